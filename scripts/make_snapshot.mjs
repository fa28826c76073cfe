// Build step: a memory snapshot of Pyodide with the engine already imported
// and warmed up, so a return visit restores it instead of starting Python.
//
//   node scripts/make_snapshot.mjs RUNTIME_DIR SNAPSHOT_FILE
//
// RUNTIME_DIR is the finished runtime (precompiled stdlib, wheels, lock);
// the snapshot is tied to exactly those files, and the worker keys its cache
// by them. Pyodide's snapshot API is private, and these rules come from
// trying it:
// * no loadPackage before the snapshot ("Unexpected hiwire entry"): our
//   wheels are unpacked with Python's zipfile. The workout imports all the
//   engine and openpyxl need and reads every framework, so a restored engine
//   needs no file from disk and the worker installs nothing after restoring;
// * no live JavaScript references: only runPython with strings, and
//   FS.writeFile with bytes;
// * blank audits only (scripts/engine_workout.py): the memory is served to
//   every visitor.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const scripts = path.dirname(fileURLToPath(import.meta.url));
const [runtime, output] = process.argv.slice(2).map((file) => path.resolve(file));
const { loadPyodide } = await import(pathToFileURL(path.join(runtime, "pyodide.mjs")).href);

const pyodide = await loadPyodide({
  indexURL: runtime + path.sep,
  lockFileURL: path.join(runtime, "pyodide-lock.json"),
  packageBaseUrl: runtime + path.sep,
  stdout: (line) => process.stderr.write(`[python] ${line}\n`),
  stderr: (line) => process.stderr.write(`[python] ${line}\n`),
  _makeSnapshot: true,
});
for (const wheel of readdirSync(runtime).filter((name) => name.endsWith(".whl"))) {
  pyodide.FS.writeFile(`/tmp/${wheel}`, readFileSync(path.join(runtime, wheel)));
}
pyodide.runPython(`
import site, zipfile
from pathlib import Path
for wheel in sorted(Path("/tmp").glob("*.whl")):
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site.getsitepackages()[0])
    wheel.unlink()
`);
pyodide.runPython(readFileSync(path.join(scripts, "engine_workout.py"), "utf-8"));
pyodide.runPython("exercise(excel=True)\ndel exercise\nimport gc\ngc.collect()");
writeFileSync(output, pyodide.makeMemorySnapshot());
