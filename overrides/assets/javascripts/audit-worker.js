// The audit's Python engine, in a module Worker so the page never waits on it.
// This file only boots Pyodide from the site's own copy and forwards calls to
// audit_app.bridge; all scoring and exporting logic is Python.
//
// Messages in:  { id, op, args }   where op is a bridge function name, or
//               "prepare_excel" to load openpyxl ahead of an Excel export.
// Messages out: { type: "status", state: "ready" | "failed", message, bootMs }
//               { id, ok: true, result }  or  { id, ok: false, error }
import { loadPyodide } from "../pyodide/pyodide.mjs";

const RUNTIME_URL = new URL("../pyodide/", import.meta.url).href;
// The smallest valid WebAssembly module. If the page's policy or the browser
// forbids WebAssembly, compiling it fails at once, whereas Pyodide would hang.
const EMPTY_WASM_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
// openpyxl is most of the Python bytes and only Excel export needs it, so it
// is not loaded before the first score. Measured (make bench): loading it on
// the first Excel click made that click take about 3 s, so pages that offer
// Excel send "prepare_excel" once their first answer is shown, and the
// worker fetches and imports it quietly while the user reads.
let excelSupport = null;

function prepareExcelSupport(pyodide) {
  excelSupport ??= pyodide.loadPackage(["openpyxl"], { messageCallback: () => {} })
    .then(() => pyodide.runPythonAsync("import openpyxl"));
  return excelSupport;
}

async function boot() {
  const started = performance.now();
  try {
    await WebAssembly.compile(EMPTY_WASM_MODULE);
  } catch (error) {
    throw new Error(`WebAssembly is not available here (${error.message}).`);
  }
  const pyodide = await loadPyodide({
    indexURL: RUNTIME_URL,
    lockFileURL: new URL("pyodide-lock.json", RUNTIME_URL).href,
    packageBaseUrl: RUNTIME_URL,
    fullStdLib: false,
  });
  await pyodide.loadPackage(["audit-app"], { messageCallback: () => {} });
  const bridge = pyodide.pyimport("audit_app.bridge");
  postMessage({ type: "status", state: "ready", bootMs: Math.round(performance.now() - started) });
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
    if (op === "prepare_excel" || args.includes("xlsx")) await prepareExcelSupport(ready.pyodide);
    if (op === "prepare_excel") {
      postMessage({ id, ok: true, result: true });
      return;
    }
    const fn = ready.bridge[op];
    if (typeof fn !== "function") throw new Error(`Unknown operation ${op}`);
    const result = toPlain(fn(...args));
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    postMessage({ id, ok: true, result }, transfer);
  } catch (error) {
    postMessage({ id, ok: false, error: String(error && error.message || error) });
    // After a fatal error Pyodide refuses every later call: say so, and the
    // page restarts the engine rather than showing stale scores.
    if (error && error.pyodide_fatal_error) postMessage({ type: "status", state: "failed", message: "fatal error" });
  }
};
