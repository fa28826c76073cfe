"""Compile the site's Python to bytecode, inside Pyodide itself (run by
``scripts/precompile_runtime.mjs`` at build time).

Pyodide's ``python_stdlib.zip`` ships sources, so every visit compiles again
each module it imports. Bytecode must come from the very interpreter that
will run it (a host CPython's is refused with "bad magic number"), hence this
runs in the runtime's own WebAssembly under Node.

The ``.pyc`` files are *unchecked-hash* (PEP 552): the importer never compares
them with a source, so the standard library can drop the sources of the
modules it precompiles, and our wheels can keep theirs (for readable
tracebacks) without Python ever recompiling them. Each code object is compiled
with the path its source has (or would have) at run time, so a traceback
still names the real file and line.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

STDLIB_ZIP = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
SITE_PACKAGES = f"/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
SCRATCH = Path("/tmp/precompile")
# Codecs are found by name when text is encoded or decoded, which no import
# statement shows: these are the ones a saved file, a workbook or a zip
# archive can need (the engine reads files in any Unicode form).
CODECS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
    "ascii", "latin-1", "cp1252", "cp437", "unicode-escape", "raw-unicode-escape",
]


def import_what_the_engine_names(package_dir: Path) -> None:
    """Import every module our engine names anywhere, even inside a function.

    The workout may miss a rarely taken path; a module imported only there
    would then be missing from the trimmed standard library in the browser.
    The command-line entry points never run in the browser.
    """
    import ast  # already imported by Pyodide at start-up
    import importlib

    for source in sorted(package_dir.glob("*.py")):
        if source.stem in {"cli", "__main__"}:
            continue
        for node in ast.walk(ast.parse(source.read_bytes())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                importlib.import_module(name)


def files_imported_from(directory: str) -> list[str]:
    """Paths inside ``directory`` (``json/decoder.py``) of the modules imported so far."""
    prefix = directory + "/"
    origins = {getattr(module.__spec__, "origin", None) for module in list(sys.modules.values()) if getattr(module, "__spec__", None)}
    return sorted(origin[len(prefix):] for origin in origins if isinstance(origin, str) and origin.startswith(prefix))


def compile_to(source: bytes, display_path: str, target: Path, optimize: int = 0) -> None:
    """Write unchecked-hash bytecode for ``source``, as if it lived at ``display_path``."""
    import py_compile  # here, so that importing this file adds no module to the list above

    SCRATCH.mkdir(parents=True, exist_ok=True)
    scratch = SCRATCH / "module.py"
    scratch.write_bytes(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    py_compile.compile(
        str(scratch), cfile=str(target), dfile=display_path, doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH, optimize=optimize,
    )


def compile_stdlib(members: list[str], out: Path) -> None:
    """``out/<member>c`` for each stdlib member (zipimport looks for ``json/decoder.pyc``).

    Compiled as ``python -OO`` would, without docstrings and asserts: 15%
    fewer bytes for every first visit, and nothing the site uses reads a
    standard-library docstring.
    """
    with zipfile.ZipFile(STDLIB_ZIP) as archive:
        for member in members:
            compile_to(archive.read(member), f"{STDLIB_ZIP}/{member}", out / (member + "c"), optimize=2)


# Our engine neither asserts nor reads its docstrings (they are for its
# readers, and its sources stay in the wheel for tracebacks), so its bytecode
# drops them as the stdlib's does: 33 KB less for every first visit. Other
# wheels (openpyxl) keep theirs, as their authors compiled them.
OWN_WHEEL_PREFIX = "audit_app-"


def compile_wheel(wheel: Path, in_use: set[str], out: Path) -> None:
    """``out/<package>/__pycache__/<module>.<tag>.pyc`` for each module of a wheel the site imports."""
    optimize = 2 if wheel.name.startswith(OWN_WHEEL_PREFIX) else 0
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(set(archive.namelist()) & in_use):
            path = Path(member)
            target = out / path.parent / "__pycache__" / f"{path.stem}.{sys.implementation.cache_tag}.pyc"
            compile_to(archive.read(member), f"{SITE_PACKAGES}/{member}", target, optimize=optimize)


def precompile(out_dir: str, wheels: list[str]) -> list[str]:
    """Compile the stdlib and wheel modules the site imports; returns the stdlib members compiled."""
    import codecs

    out = Path(out_dir)
    import_what_the_engine_names(Path(SITE_PACKAGES) / "audit_app")
    for name in CODECS:
        codecs.lookup(name)
    members = files_imported_from(STDLIB_ZIP)
    in_wheels = set(files_imported_from(SITE_PACKAGES))
    compile_stdlib(members, out / "stdlib")
    for wheel in wheels:
        compile_wheel(Path(wheel), in_wheels, out / "wheels" / Path(wheel).name)
    return members
