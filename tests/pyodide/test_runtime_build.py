"""The runtime the site serves, as ``scripts/build_runtime.py`` makes it.

Its standard library is bytecode compiled inside Pyodide and trimmed to what
the site imports, its lock file lists only the site's packages, and its
memory snapshot must restore into an engine that answers exactly as CPython
does. The parity tests beside this file run on the same runtime, plainly
started; the snapshot tests here restore it, as a return visit does.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_app import bridge
from audit_app.framework import framework_by_id, framework_ids
from pyodide_bridge import PyodideBridge

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "build" / "pyodide-runtime"
# PEP 552 flags: bit 0 hash-based, bit 1 check_source. Unchecked hash = 0b01.
UNCHECKED_HASH = 0b01


def pyc_files() -> Iterator[tuple[str, bytes]]:
    """Every ``.pyc`` the runtime ships: in the stdlib zip and in each wheel."""
    for archive_path in [RUNTIME / "python_stdlib.zip", *RUNTIME.glob("*.whl")]:
        with zipfile.ZipFile(archive_path) as archive:
            for name in archive.namelist():
                if name.endswith(".pyc"):
                    yield f"{archive_path.name}:{name}", archive.read(name)


@pytest.fixture(scope="module")
def restored() -> Iterator[PyodideBridge]:
    """Pyodide restored from the build's snapshot, as the worker does on a return visit."""
    engine = PyodideBridge(snapshot=True)
    yield engine
    engine.close()


def test_the_stdlib_is_bytecode_for_the_modules_the_site_imports() -> None:
    with zipfile.ZipFile(RUNTIME / "python_stdlib.zip") as archive:
        names = set(archive.namelist())
    assert names, "empty standard library"
    assert all(name.endswith(".pyc") for name in names), sorted(n for n in names if not n.endswith(".pyc"))[:5]
    for start_up in ["encodings/utf_8.pyc", "asyncio/__init__.pyc", "json/decoder.pyc", "zipfile/__init__.pyc", "tarfile.pyc"]:
        assert start_up in names
    # Modules nothing on the site imports are left out.
    assert "unittest/__init__.py" not in names and "unittest/__init__.pyc" not in names


def test_all_bytecode_is_unchecked_hash_from_pyodides_own_python(pyodide_bridge) -> None:
    magic = bytes.fromhex(pyodide_bridge.call("eval", "import importlib.util; importlib.util.MAGIC_NUMBER.hex()"))
    files = list(pyc_files())
    assert len(files) > 300
    for name, data in files:
        assert data[:4] == magic, name
        assert int.from_bytes(data[4:8], "little") == UNCHECKED_HASH, name


def test_the_site_imports_that_bytecode(pyodide_bridge) -> None:
    loaded = json.loads(pyodide_bridge.call("eval", (
        "import json, audit_app.bridge, sys\n"
        "json.dumps([json.__file__, audit_app.bridge.__cached__, sys.modules['audit_app.bridge'].__file__])"
    )))
    assert loaded[0] == "/lib/python314.zip/json/__init__.pyc"
    assert loaded[1].endswith("/site-packages/audit_app/__pycache__/bridge.cpython-314.pyc")
    assert loaded[2].endswith("/site-packages/audit_app/bridge.py")


def test_a_traceback_still_names_the_file_and_line(pyodide_bridge) -> None:
    traceback = pyodide_bridge.call("eval", (
        "import json, traceback\n"
        "try:\n    json.loads('{')\nexcept ValueError as error:\n    text = ''.join(traceback.format_exception(error))\ntext"
    ))
    assert re.search(r'File "/lib/python314\.zip/json/decoder\.py", line \d+, in raw_decode', traceback), traceback
    engine = pyodide_bridge.call("eval", (
        "import traceback\nfrom audit_app import bridge\n"
        "try:\n    bridge.export('{}', 'nope')\nexcept ValueError as error:\n    text = ''.join(traceback.format_exception(error))\ntext"
    ))
    # Our wheel keeps its sources, so the line itself is shown too.
    assert re.search(r'File "/lib/python3\.14/site-packages/audit_app/bridge\.py", line \d+, in export\n +\S', engine), engine


def test_the_engines_bytecode_drops_only_what_the_engine_never_uses() -> None:
    """Its bytecode is compiled as ``python -OO`` would (smaller first visits):
    that is safe only while no module asserts, or reads a docstring or
    ``__debug__``, which such bytecode would silently leave out."""
    leaning_on_them = [
        f"{path.name}:{node.lineno}"
        for path in sorted((ROOT / "audit_app").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
        or (isinstance(node, ast.Attribute) and node.attr == "__doc__")
        or (isinstance(node, ast.Name) and node.id in {"__doc__", "__debug__"})
    ]
    assert leaning_on_them == []
    with zipfile.ZipFile(next(RUNTIME.glob("audit_app-*.whl"))) as wheel:
        bytecode = wheel.read("audit_app/__pycache__/bridge.cpython-314.pyc")
    first_line_of_its_docstring = bridge.__doc__.splitlines()[0].encode()
    assert first_line_of_its_docstring not in bytecode


def test_the_lock_lists_only_what_the_site_loads_with_true_hashes() -> None:
    lock = json.loads((RUNTIME / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert set(lock["packages"]) == {"audit-app", "openpyxl", "et-xmlfile"}
    for package in lock["packages"].values():
        wheel = RUNTIME / package["file_name"]
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == package["sha256"], wheel.name


def test_the_snapshot_manifest_describes_these_files() -> None:
    manifest = json.loads((RUNTIME / "snapshot.json").read_text(encoding="utf-8"))
    lock = json.loads((RUNTIME / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert manifest["stdlibSha256"] == hashlib.sha256((RUNTIME / "python_stdlib.zip").read_bytes()).hexdigest()
    assert manifest["appWheelSha256"] == lock["packages"]["audit-app"]["sha256"]
    assert f'BUILD_ID:"{manifest["buildId"]}"' in (RUNTIME / "pyodide.mjs").read_text(encoding="utf-8")
    assert manifest["file"] == f"engine-{manifest['key'][:16]}.snapshot"
    raw = gzip.decompress((RUNTIME / manifest["file"]).read_bytes())
    assert len(raw) == manifest["bytes"]
    assert hashlib.sha256(raw).hexdigest() == manifest["sha256"]


@pytest.mark.parametrize("framework_id", framework_ids())
def test_a_restored_engine_answers_as_cpython_does(restored, framework_id: str) -> None:
    audit = json.loads(bridge.new_audit(framework_id))
    for index, (_, _, statement) in enumerate(framework_by_id(framework_id).iter_statements()):
        audit["responses"][statement.id] = {"rating": ["red", "amber", "green"][index % 3], "evidence": f"Note {index}"}
    audit = json.dumps(audit)
    for op in ("score", "score_and_plan", "load_saved"):
        assert restored.call(op, audit, framework_id) == getattr(bridge, op)(audit, framework_id)
    assert restored.call("export", audit, "md", framework_id) == bridge.export(audit, "md", framework_id)


def test_a_restored_engine_writes_excel_without_preparing_it(restored) -> None:
    assert restored.call("eval", "import sys; str('openpyxl' in sys.modules)") == "True"
    audit = bridge.new_audit()
    workbook, expected = (load_workbook(io.BytesIO(x)) for x in (restored.call("export", audit, "xlsx"), bridge.export(audit, "xlsx")))
    assert [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in workbook] == \
        [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in expected]


def test_each_restore_draws_its_own_random_numbers(restored) -> None:
    again = PyodideBridge(snapshot=True)
    try:
        draw = "import random; random.random()"
        assert restored.call("eval", draw) != again.call("eval", draw)
    finally:
        again.close()
