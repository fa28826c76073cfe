// Runs audit_app.bridge inside real Pyodide under Node, loading our wheel the
// way the browser's worker does: from the lock file made by pyodide-build
// (so Pyodide checks each wheel's sha256), openpyxl only when XLSX is asked.
//
// Protocol: one JSON request per stdin line, {"op": "...", "args": [...]};
// one JSON reply per stdout line, {"ok": true, "text": "..."} or
// {"ok": true, "base64": "..."} for bytes, or {"ok": false, "error": "..."}.
// The first line written is {"ready": true, "bootMs": n}.
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runtime = path.join(root, "build", "pyodide-runtime") + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(root, "node_modules", "pyodide", "pyodide.mjs")).href);

const started = performance.now();
const pyodide = await loadPyodide({
  indexURL: path.join(root, "node_modules", "pyodide") + path.sep,
  lockFileURL: path.join(runtime, "pyodide-lock.json"),
  packageBaseUrl: runtime,
  stdout: (line) => process.stderr.write(`[python] ${line}\n`),
  stderr: (line) => process.stderr.write(`[python] ${line}\n`),
});
await pyodide.loadPackage(["audit-app"], { messageCallback: () => {} });
const bridge = pyodide.pyimport("audit_app.bridge");
const write = (value) => process.stdout.write(JSON.stringify(value) + "\n");
write({ ready: true, bootMs: Math.round(performance.now() - started), python: pyodide.runPython("import sys; sys.version") });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { op, args = [] } = JSON.parse(line);
  try {
    if (op === "export" && args[1] === "xlsx") await pyodide.loadPackage(["openpyxl"], { messageCallback: () => {} });
    if (op === "eval") {
      write({ ok: true, text: String(pyodide.runPython(args[0])) });
      continue;
    }
    const result = bridge[op](...args);
    if (typeof result === "string") {
      write({ ok: true, text: result });
    } else {
      const bytes = result.toJs();
      result.destroy();
      write({ ok: true, base64: Buffer.from(bytes).toString("base64") });
    }
  } catch (error) {
    write({ ok: false, error: String(error && error.message || error) });
  }
}
