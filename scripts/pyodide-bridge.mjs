// Runs audit_app.bridge inside real Pyodide under Node, from the very files
// the browser's worker loads (build/pyodide-runtime: the precompiled stdlib,
// the lock file that checks each wheel's sha256, the snapshot), in the same
// order: openpyxl only when XLSX is asked, unless already imported.
//
//   node scripts/pyodide-bridge.mjs [--snapshot]
//
// --snapshot restores the build's memory snapshot first, as a return visit
// does; otherwise Python starts plainly, as a first visit does.
//
// Protocol: one JSON request per stdin line, {"op": "...", "args": [...]};
// one JSON reply per stdout line, {"ok": true, "text": "..."} or
// {"ok": true, "base64": "..."} for bytes, or {"ok": false, "error": "..."}.
// The first line written is {"ready": true, "bootMs": n, "python": "..."}.
// "eval" runs Python source and returns str() of its value.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runtime = path.join(root, "build", "pyodide-runtime") + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
const fromSnapshot = process.argv.includes("--snapshot");
const quiet = { messageCallback: () => {} };

function snapshot() {
  const manifest = JSON.parse(readFileSync(path.join(runtime, "snapshot.json"), "utf-8"));
  return gunzipSync(readFileSync(path.join(runtime, manifest.file)));
}

const started = performance.now();
const pyodide = await loadPyodide({
  indexURL: runtime,
  lockFileURL: path.join(runtime, "pyodide-lock.json"),
  packageBaseUrl: runtime,
  stdout: (line) => process.stderr.write(`[python] ${line}\n`),
  stderr: (line) => process.stderr.write(`[python] ${line}\n`),
  ...(fromSnapshot ? { _loadSnapshot: snapshot() } : {}),
});
// As the worker does: a restored engine needs nothing installed.
if (fromSnapshot) pyodide.runPython("import random; random.seed()");
else await pyodide.loadPackage(["audit-app"], quiet);
const bridge = pyodide.pyimport("audit_app.bridge");
const write = (value) => process.stdout.write(JSON.stringify(value) + "\n");
write({ ready: true, bootMs: Math.round(performance.now() - started), python: pyodide.runPython("import sys; sys.version") });

async function prepareExcel() {
  if (pyodide.runPython("import sys; 'openpyxl' in sys.modules")) return;
  await pyodide.loadPackage(["openpyxl"], quiet);
  pyodide.runPython("import openpyxl");
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { op, args = [] } = JSON.parse(line);
  try {
    if (args.includes("xlsx")) await prepareExcel();
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
