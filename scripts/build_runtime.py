"""Prepare the self-hosted Pyodide runtime for the audit page.

Output, in ``build/pyodide-runtime/`` (copied into ``site/assets/pyodide/``
by the MkDocs hook):

* Pyodide's core files from the pinned npm package (``node_modules/pyodide``);
* our wheel (``audit_app``) and the pinned openpyxl and et_xmlfile wheels;
* ``pyodide-lock.json``: Pyodide's own lock file plus those wheels, made by
  pyodide-build's ``pyodide lockfile add-wheels`` so Pyodide checks each
  wheel's sha256 before installing it.

Everything comes from the registries at set-up time; nothing is fetched from
a CDN when the site runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
OUT = ROOT / "build" / "pyodide-runtime"
WHEELS = ROOT / "build" / "wheels"
CORE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
# Pure-Python wheels the engine needs in the browser, at the versions the
# CPython side is pinned to, so both run the same code.
BROWSER_DEPENDENCIES = ["openpyxl", "et_xmlfile"]


def pinned_version(package: str) -> str:
    """The version ``requirements.lock`` pins, so browser and CPython agree."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(package)}==(\S+)$", lock, flags=re.MULTILINE | re.IGNORECASE)
    if match is None:
        sys.exit(f"requirements.lock does not pin {package}")
    return match.group(1)


def run(*command: str) -> None:
    """Run a build step, echoing it, and stop the build if it fails."""
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def build_wheels() -> list[Path]:
    """Our wheel, built from this checkout, plus the pinned dependencies."""
    if WHEELS.exists():
        shutil.rmtree(WHEELS)
    WHEELS.mkdir(parents=True)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", str(WHEELS), ".")
    requirements = [f"{name}=={pinned_version(name)}" for name in BROWSER_DEPENDENCIES]
    run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", str(WHEELS), *requirements)
    # setuptools leaves a build/ tree behind; it is not ours to keep.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    shutil.rmtree(ROOT / "build" / "bdist.linux-x86_64", ignore_errors=True)
    return sorted(WHEELS.glob("*.whl"))


def main() -> None:
    if not (NPM_PYODIDE / "pyodide-lock.json").exists():
        sys.exit("node_modules/pyodide is missing: run `npm ci` first (the Makefile does).")
    wheels = build_wheels()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copy2(NPM_PYODIDE / name, OUT / name)
    for wheel in wheels:
        shutil.copy2(wheel, OUT / wheel.name)
    pyodide = Path(sys.executable).with_name("pyodide")
    run(
        str(pyodide), "lockfile", "add-wheels",
        "--input", str(NPM_PYODIDE / "pyodide-lock.json"),
        "--output", str(OUT / "pyodide-lock.json"),
        "--base-path", str(OUT),
        *[str(OUT / wheel.name) for wheel in wheels],
    )
    print(f"Pyodide runtime ready in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
