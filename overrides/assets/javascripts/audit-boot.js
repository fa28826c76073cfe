// Starts the audit's Python worker while the page is still being parsed, so
// Pyodide downloads and compiles in parallel with everything else. Only the
// self-audit page loads this file: no other page fetches any Python.
(function startAuditWorker() {
  const workerUrl = new URL("audit-worker.js", document.currentScript.src);
  try {
    window.auditWorker = new Worker(workerUrl, { type: "module", name: "audit-engine" });
  } catch (error) {
    window.auditWorkerError = error;
  }
})();
