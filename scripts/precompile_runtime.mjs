// Build step: compile the site's Python to bytecode inside the stock Pyodide
// (the interpreter the browser will run), under Node.
//
//   node scripts/precompile_runtime.mjs STAGING_DIR OUT_DIR
//
// STAGING_DIR holds the plain wheels and a lock file for them. Pyodide boots
// as the browser's worker does, loads our wheel and openpyxl, and calls every
// bridge function (scripts/engine_workout.py); the standard-library modules
// imported by then are the ones compiled. Every module of the wheels is
// compiled too. Output: OUT_DIR/stdlib/<member>c and
// OUT_DIR/wheels/<wheel name>/<package>/__pycache__/<module>.<tag>.pyc, and
// the list of stdlib members on stdout as JSON.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const scripts = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(scripts, "..");
const [staging, out] = process.argv.slice(2).map((dir) => path.resolve(dir));
const { loadPyodide } = await import(pathToFileURL(path.join(root, "node_modules", "pyodide", "pyodide.mjs")).href);

const pyodide = await loadPyodide({
  indexURL: path.join(root, "node_modules", "pyodide") + path.sep,
  lockFileURL: path.join(staging, "pyodide-lock.json"),
  packageBaseUrl: staging + path.sep,
  stdout: (line) => process.stderr.write(`[python] ${line}\n`),
  stderr: (line) => process.stderr.write(`[python] ${line}\n`),
});
await pyodide.loadPackage(["audit-app", "openpyxl"], { messageCallback: () => {} });
pyodide.runPython(readFileSync(path.join(scripts, "engine_workout.py"), "utf-8"));
pyodide.runPython("exercise(excel=True)");

pyodide.mountNodeFS("/staging", staging);
pyodide.mountNodeFS("/out", out);
const wheels = readdirSync(staging).filter((name) => name.endsWith(".whl")).sort().map((name) => `/staging/${name}`);
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(readFileSync(path.join(scripts, "precompile_runtime.py"), "utf-8"), { globals: namespace });
const members = namespace.get("precompile")("/out", pyodide.toPy(wheels));
process.stderr.write(`Compiled ${members.length} stdlib modules and ${wheels.length} wheels\n`);
