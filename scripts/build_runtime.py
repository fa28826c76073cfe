"""Prepare the self-hosted Pyodide runtime for the site's Python engine.

Output, in ``build/pyodide-runtime/`` (copied into ``site/assets/pyodide/``
by the MkDocs hook):

* Pyodide's core files from the pinned npm package (``node_modules/pyodide``),
  unchanged;
* ``python_stdlib.zip``: only the standard-library modules the site imports,
  as bytecode compiled by this very Pyodide under Node
  (``scripts/precompile_runtime.mjs``), so no visit compiles them again;
* our wheel (``audit_app``) and the pinned openpyxl and et_xmlfile wheels,
  each with bytecode beside its sources;
* ``pyodide-lock.json``: made by pyodide-build's ``pyodide lockfile
  add-wheels`` (so Pyodide checks each wheel's sha256), trimmed to the
  packages the site loads;
* a memory snapshot of Python with the engine imported
  (``scripts/make_snapshot.mjs``), gzip-compressed, and ``snapshot.json``
  naming it and the key the worker caches it under.

Which stdlib modules are kept is found by running every bridge call inside
Pyodide (``scripts/engine_workout.py``) and importing every module the engine
names; a module the site imports in no other way would be missing, and the
Pyodide tests, which run on this runtime, would say so.

Everything comes from the registries at set-up time; nothing is fetched from
a CDN when the site runs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from runtime_files import add_bytecode_to_wheel, sha256_of, trim_lock, write_precompiled_stdlib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
OUT = ROOT / "build" / "pyodide-runtime"
WORK = ROOT / "build" / "runtime-work"
PLAIN = WORK / "plain"
CORE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]
# Pure-Python wheels the engine needs in the browser, at the versions the
# CPython side is pinned to, so both run the same code.
BROWSER_DEPENDENCIES = ["openpyxl", "et_xmlfile"]
SITE_PACKAGES = ["audit-app", "openpyxl"]


def pinned_version(package: str) -> str:
    """The version ``requirements.lock`` pins, so browser and CPython agree."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(package)}==(\S+)$", lock, flags=re.MULTILINE | re.IGNORECASE)
    if match is None:
        sys.exit(f"requirements.lock does not pin {package}")
    return match.group(1)


def run(*command: str, capture: bool = False) -> str:
    """Run a build step, echoing it, and stop the build if it fails."""
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.PIPE if capture else None, text=True)
    return result.stdout if capture else ""


def build_wheels(dest: Path) -> list[Path]:
    """Our wheel, built from this checkout, plus the pinned dependencies."""
    dest.mkdir(parents=True)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", str(dest), ".")
    requirements = [f"{name}=={pinned_version(name)}" for name in BROWSER_DEPENDENCIES]
    run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", str(dest), *requirements)
    # setuptools leaves a build/ tree behind; it is not ours to keep.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    shutil.rmtree(ROOT / "build" / "bdist.linux-x86_64", ignore_errors=True)
    return sorted(dest.glob("*.whl"))


def lock_for(wheels: list[Path], dest: Path) -> None:
    """Pyodide's lock file plus ``wheels`` (their sha256s included)."""
    run(
        str(Path(sys.executable).with_name("pyodide")), "lockfile", "add-wheels",
        "--input", str(NPM_PYODIDE / "pyodide-lock.json"),
        "--output", str(dest),
        "--base-path", str(dest.parent),
        *[str(wheel) for wheel in wheels],
    )


def build_id() -> str:
    """The id Pyodide stamps on its snapshots; a snapshot restores only into the same build."""
    match = re.search(r'BUILD_ID:"([0-9a-f]+)"', (NPM_PYODIDE / "pyodide.mjs").read_text(encoding="utf-8"))
    if match is None:
        sys.exit("Cannot find Pyodide's build id in pyodide.mjs")
    return match.group(1)


def write_snapshot(runtime: Path, app_wheel: Path) -> None:
    """The snapshot, gzip-compressed (hosts do not compress unknown types), and its manifest.

    The cache key covers everything the snapshot's memory depends on: the
    interpreter (build id), the stdlib it imported from (zipimport keeps the
    archive's directory in memory) and our engine.
    """
    raw_file = WORK / "engine.snapshot"
    run("node", str(ROOT / "scripts" / "make_snapshot.mjs"), str(runtime), str(raw_file))
    raw = raw_file.read_bytes()
    raw_file.unlink()
    parts = {"buildId": build_id(), "stdlibSha256": sha256_of(runtime / "python_stdlib.zip"), "appWheelSha256": sha256_of(app_wheel)}
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    name = f"engine-{key[:16]}.snapshot"
    (runtime / name).write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    manifest = {"file": name, "key": key, **parts, "sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
    (runtime / "snapshot.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    if not (NPM_PYODIDE / "pyodide-lock.json").exists():
        sys.exit("node_modules/pyodide is missing: run `npm ci` first (the Makefile does).")
    for directory in (WORK, OUT):
        shutil.rmtree(directory, ignore_errors=True)
    wheels = build_wheels(PLAIN)
    lock_for(wheels, PLAIN / "pyodide-lock.json")
    bytecode = WORK / "bytecode"
    bytecode.mkdir()
    run("node", str(ROOT / "scripts" / "precompile_runtime.mjs"), str(PLAIN), str(bytecode))

    OUT.mkdir(parents=True, exist_ok=True)
    for name in CORE_FILES:
        shutil.copy2(NPM_PYODIDE / name, OUT / name)
    kept = write_precompiled_stdlib(bytecode / "stdlib", OUT / "python_stdlib.zip")
    print(f"Standard library: {len(kept)} precompiled modules")
    for wheel in wheels:
        add_bytecode_to_wheel(wheel, bytecode / "wheels" / wheel.name, OUT / wheel.name)
    lock_for([OUT / wheel.name for wheel in wheels], OUT / "pyodide-lock.json")
    trim_lock(OUT / "pyodide-lock.json", OUT / "pyodide-lock.json", SITE_PACKAGES)
    write_snapshot(OUT, next(OUT.glob("audit_app-*.whl")))
    # The plain wheels and their lock stay: `make bench` measures a baseline with them.
    shutil.rmtree(bytecode)
    print(f"Pyodide runtime ready in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
