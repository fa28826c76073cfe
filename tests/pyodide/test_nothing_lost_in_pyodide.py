"""Inside the browser's Pyodide, odd files and odd answers give plain messages and never kill the engine.

The same cases as ``tests/engine/test_nothing_lost.py`` and ``test_json_input.py``,
run by the real runtime: files arrive as the page sends them (a Uint8Array of
the file's bytes), answers as JavaScript strings (which may hold half an emoji).
Every answer must equal CPython's, and Pyodide must still answer afterwards.
"""

from __future__ import annotations

import base64
import codecs
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from audit_app import bridge
from audit_app.framework import default_framework
from audit_app.json_input import ENCODING_PROBLEM

pytestmark = pytest.mark.pyodide

FRAMEWORK = default_framework()
LONG = ("Pupils said they feel listened to. " * 800)[:25_000]
DEEP = "The file is not one this site can read: its contents are nested more than 64 levels deep, which no saved file from this site is."


def answers(responses: dict[str, Any], school: str = "Oakfield") -> dict[str, Any]:
    return {
        "schema": "belonging-audit/1",
        "framework": {"id": FRAMEWORK.id, "version": FRAMEWORK.version},
        "details": {"school": school},
        "responses": responses,
        "subsection_notes": {"safe-ethos": "Notes \ud83d"},
    }


# json.dumps writes each lone surrogate as \udXXX, so the page's JSON.stringify output is what arrives;
# the bridge runner's JSON.parse also turns a raw lone surrogate argument into a JavaScript string holding it.
ODD = json.dumps(answers({"safe-ethos-1": {"rating": "red", "evidence": LONG, "owner": "Jo \udc00"}}, school="Oak \ud800"))
ODD_RAW = ODD.encode("ascii").decode("unicode_escape")  # the same text with the lone surrogates themselves in it


def from_bytes(op: str, data: bytes, *more: str) -> str:
    """Python source calling ``bridge.<op>`` with ``data`` as a Uint8Array, as the worker passes an imported file."""
    extra = "".join(f", {value!r}" for value in more)
    return (
        "import base64\nfrom pyodide.ffi import to_js\nimport audit_app.bridge as bridge\n"
        f"bridge.{op}(to_js(base64.b64decode({base64.b64encode(data).decode()!r})){extra})"
    )


def cell_values(xlsx: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(xlsx))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


@pytest.mark.parametrize("op", ["load_saved", "score", "score_and_plan", "compare", "merge", "missed_learning", "agenda"])
def test_100000_levels_of_nesting_give_the_plain_problem_and_pyodide_keeps_running(pyodide_bridge, op: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    args = (deep, deep) if op == "compare" else (deep,)
    in_pyodide = pyodide_bridge.call(op, *args)
    assert in_pyodide == getattr(bridge, op)(*args)
    assert (DEEP if op in ("load_saved", "score", "score_and_plan", "compare") else "it held far too many levels or parts.") in in_pyodide
    assert json.loads(pyodide_bridge.call("load_saved", bridge.new_audit()))["ok"] is True


def test_a_deeply_nested_file_sent_as_bytes_is_refused_too(pyodide_bridge) -> None:
    assert json.loads(pyodide_bridge.call("eval", from_bytes("load_saved", b"[" * 100_000))) == {"ok": False, "problems": [DEEP]}


@pytest.mark.parametrize("text", [ODD, ODD_RAW], ids=["escaped", "raw lone surrogates"])
def test_a_long_box_and_half_an_emoji_load_with_notices_exactly_as_in_cpython(pyodide_bridge, text: str) -> None:
    in_pyodide = pyodide_bridge.call("load_saved", text)
    assert in_pyodide == bridge.load_saved(text)
    loaded = json.loads(in_pyodide)
    assert loaded["ok"] is True and len(loaded["notices"]) == 4
    assert loaded["audit"]["responses"]["safe-ethos-1"]["evidence"] == LONG
    assert loaded["audit"]["details"]["school"] == "Oak \ufffd"
    for op in ("score", "plan", "score_and_plan"):
        assert pyodide_bridge.call(op, text) == getattr(bridge, op)(text)


@pytest.mark.parametrize("fmt", ["json", "md", "csv"])
def test_a_long_box_and_half_an_emoji_export_the_same_text(pyodide_bridge, fmt: str) -> None:
    exported = pyodide_bridge.call("export", ODD_RAW, fmt)
    assert exported == bridge.export(ODD_RAW, fmt)
    assert LONG.split()[-1] in exported and "\ufffd" in exported


def test_a_long_box_and_half_an_emoji_export_the_same_workbook(pyodide_bridge) -> None:
    workbook = pyodide_bridge.call("export", ODD_RAW, "xlsx")
    assert isinstance(workbook, bytes)
    cells = cell_values(workbook)
    assert cells == cell_values(bridge.export(ODD_RAW, "xlsx"))
    assert cells["Action plan"][1][6] == LONG


@pytest.mark.parametrize(
    "encoded",
    [codecs.BOM_UTF16_LE + ODD.encode("utf-16-le"), codecs.BOM_UTF16_BE + ODD.encode("utf-16-be"), codecs.BOM_UTF8 + ODD.encode("utf-8")],
    ids=["utf-16 LE", "utf-16 BE", "utf-8 with BOM"],
)
def test_a_file_saved_as_utf16_or_with_a_byte_order_mark_loads(pyodide_bridge, encoded: bytes) -> None:
    in_pyodide = pyodide_bridge.call("eval", from_bytes("load_saved", encoded))
    assert in_pyodide == bridge.load_saved(encoded) == bridge.load_saved(ODD)


def test_a_latin1_file_is_refused_with_the_message_to_save_it_as_utf8(pyodide_bridge) -> None:
    latin = json.dumps(answers({}, school="École Thérèse") | {"subsection_notes": {}}, ensure_ascii=False).encode("latin-1")
    for op in ("load_saved", "score"):
        assert json.loads(pyodide_bridge.call("eval", from_bytes(op, latin))) == {"ok": False, "problems": [ENCODING_PROBLEM]}
    assert json.loads(pyodide_bridge.call("eval", from_bytes("compare", latin, ODD))) == {"ok": False, "problems": ["The baseline: " + ENCODING_PROBLEM]}


def test_files_to_merge_arrive_as_a_javascript_array_of_bytes(pyodide_bridge) -> None:
    sam = json.dumps(answers({"safe-ethos-1": {"rating": "red"}}, school="Oakfield"))
    jo = json.dumps(answers({"safe-ethos-1": {"rating": "green"}}, school="Oakfield"))
    source = (
        "import base64\nfrom pyodide.code import run_js\nfrom pyodide.ffi import to_js\nimport audit_app.bridge as bridge\n"
        "files = run_js('(pairs) => pairs.map(([name, data]) => ({name, data}))')(to_js([\n"
        f"    ['sam.json', to_js({sam.encode('utf-16')!r})], ['jo.json', to_js({jo.encode('utf-8')!r})]]))\n"
        "bridge.merge(files)"
    )
    assert pyodide_bridge.call("eval", source) == bridge.merge(json.dumps([{"name": "sam.json", "text": sam}, {"name": "jo.json", "text": jo}]))


@pytest.mark.parametrize("values", [{"percent": "9" * 5000}, {"attended": "1" * 4301, "possible": "10"}, {"percent": 10**400}])
def test_an_absurd_number_in_the_calculator_gets_the_same_plain_problem(pyodide_bridge, values: dict[str, Any]) -> None:
    text = json.dumps(values)
    in_pyodide = pyodide_bridge.call("missed_learning", text)
    assert in_pyodide == bridge.missed_learning(text)
    assert json.loads(in_pyodide)["ok"] is False and "Traceback" not in in_pyodide


def test_the_largest_bracket_file_is_checked_in_about_a_second(pyodide_bridge) -> None:
    source = (
        "import time\nimport audit_app.bridge as bridge\n"
        "started = time.perf_counter()\n"
        "answers = [bridge.load_saved(text) for text in ('[' * (32 << 20), '[]' * (16 << 20), '[\"' + '[' * ((32 << 20) - 10) + '\"]')]\n"
        "time.perf_counter() - started"
    )
    assert float(pyodide_bridge.call("eval", source)) < 10  # about 1.2 s in all on a shared two-core machine
