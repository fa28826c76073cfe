// The audit's Python engine, in a module Worker so the page never waits on it.
// This file only boots Pyodide from the site's own copy (audit-worker-boot.js)
// and forwards calls to audit_app.bridge; all scoring and exporting logic is
// Python.
//
// Messages in:  { id, op, args }   where op is a bridge function name, or
//               "prepare_excel" to load openpyxl ahead of an Excel export.
// Messages out: { type: "status", state: "ready" | "failed", message, bootMs, restored }
//               { id, ok: true, result }  or  { id, ok: false, error }
// openpyxl is most of the Python bytes and only Excel export needs it, so it
// is not loaded before the first score. Pages that offer Excel send
// "prepare_excel" once their first answer is shown; audit-worker-boot.js
// prepares it in the background without making any score wait.
import { prepareExcel as prepareExcelSupport, startEngine } from "./audit-worker-boot.js";

async function boot() {
  const started = performance.now();
  const { pyodide, bridge, restored } = await startEngine();
  postMessage({ type: "status", state: "ready", bootMs: Math.round(performance.now() - started), restored });
  return { pyodide, bridge };
}

const engine = boot().catch((error) => {
  postMessage({ type: "status", state: "failed", message: String(error && error.message || error) });
  return null;
});

function toPlain(value) {
  // bytes (XLSX) arrive as a PyProxy; strings arrive as strings.
  if (value && typeof value.toJs === "function") {
    const plain = value.toJs();
    value.destroy();
    return plain;
  }
  return value;
}

self.onmessage = async (event) => {
  const { id, op, args = [] } = event.data;
  const ready = await engine;
  if (!ready) {
    postMessage({ id, ok: false, error: "The Python engine could not start." });
    return;
  }
  try {
    if (op === "prepare_excel") {
      prepareExcelSupport(ready.pyodide).catch(() => { /* the Excel export will say */ });
      postMessage({ id, ok: true, result: true });
      return;
    }
    if (args.includes("xlsx")) await prepareExcelSupport(ready.pyodide);
    const fn = ready.bridge[op];
    if (typeof fn !== "function") throw new Error(`Unknown operation ${op}`);
    // A performance measure per call lets `make bench` tell Python's share
    // of a round trip from the browser's; it sends nothing anywhere.
    const started = performance.now();
    const result = toPlain(fn(...args));
    performance.measure(`audit:engine-${op}`, { start: started });
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    postMessage({ id, ok: true, result }, transfer);
  } catch (error) {
    postMessage({ id, ok: false, error: String(error && error.message || error) });
    // After a fatal error Pyodide refuses every later call: say so, and the
    // page restarts the engine rather than showing stale scores.
    if (error && error.pyodide_fatal_error) postMessage({ type: "status", state: "failed", message: "fatal error" });
  }
};
