"""Assemble the runtime's files from bytecode made inside Pyodide.

Pure file work, run by ``scripts/build_runtime.py`` on the host. Every archive
is written byte-for-byte reproducibly: sorted entries, fixed timestamps and
permissions, fixed compression level.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

# zip's earliest date; any fixed one makes the archive reproducible.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_precompiled_stdlib(pyc_dir: Path, dest: Path) -> list[str]:
    """A standard library of the compiled modules only, as ``.pyc``; returns its names.

    Only the modules the site imports are kept (the build finds them by
    running every bridge call in Pyodide). zipimport loads ``json/decoder.pyc``
    without a source; tracebacks still name ``.../json/decoder.py`` and its
    line, because that is the path each module was compiled with.
    """
    names = sorted(path.relative_to(pyc_dir).as_posix() for path in pyc_dir.rglob("*.pyc"))
    with zipfile.ZipFile(dest, "w", compresslevel=9) as archive:
        for name in names:
            archive.writestr(_entry(name), (pyc_dir / name).read_bytes())
    return names


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def add_bytecode_to_wheel(wheel: Path, pyc_dir: Path, dest: Path) -> None:
    """Copy ``wheel`` to ``dest`` with ``__pycache__`` bytecode beside its sources.

    Sources stay, so tracebacks show the lines themselves; the bytecode is
    unchecked-hash, so Python never compares it with them. RECORD lists the
    new files with their hashes, as a wheel must.
    """
    added = {path.relative_to(pyc_dir).as_posix(): path.read_bytes() for path in sorted(pyc_dir.rglob("*.pyc"))}
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(dest, "w", compresslevel=9) as target:
        record_name = next(name for name in source.namelist() if name.endswith(".dist-info/RECORD"))
        for name in [name for name in source.namelist() if name != record_name]:
            target.writestr(_entry(name), source.read(name))
        for name, data in added.items():
            target.writestr(_entry(name), data)
        record = source.read(record_name).decode("utf-8").rstrip("\n").split("\n")
        record[-1:-1] = [_record_line(name, data) for name, data in added.items()]
        target.writestr(_entry(record_name), "\n".join(record) + "\n")


def trim_lock(lock: Path, dest: Path, packages: list[str]) -> None:
    """Pyodide's lock file with only ``packages`` (and what they depend on).

    Pyodide reads the whole lock file before it starts; the stock one lists
    every package Pyodide was built with (120 KB) for the three we load.
    """
    data = json.loads(lock.read_text(encoding="utf-8"))
    wanted: set[str] = set()
    todo = list(packages)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(data["packages"][name]["depends"])
    data["packages"] = {name: data["packages"][name] for name in sorted(wanted)}
    dest.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
