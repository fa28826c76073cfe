"""A school's history of audits gives the same answers in the browser's Pyodide as in CPython.

The trend, the governors' report, the backup file and copying forward run in
the school's browser on the audits kept on its device; the command line and
our tests run CPython. Both must agree to the byte (text) and to the cell
(XLSX), and the bridge must take the values the page really sends: arrays of
JavaScript objects (whose ``null`` Pyodide does not turn into ``None``),
strings and Uint8Arrays.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from audit_app import bridge
from audit_app.framework import default_framework, framework_by_id

pytestmark = pytest.mark.pyodide

RAA = default_framework()
OAIP = framework_by_id("oaip-attendance-and-belonging")
HOSTILE = ['=HYPERLINK("http://x")', "@SUM(A1:A9)", "<script>alert(1)</script>", "🙂 ünïcödé", "مرحبا", 'Line one\nLine "two" | pipe']
RATINGS = ["red", "amber", "green", None]


def saved(framework, seed: int, *, setting: str | None = None) -> dict[str, Any]:
    """A saved audit (as an object, as the page keeps it) whose ratings and notes depend on ``seed``."""
    responses = {}
    for index, (_, _, statement) in enumerate(framework.iter_statements()):
        note = HOSTILE[(index + seed) % len(HOSTILE)]
        responses[statement.id] = {
            "rating": RATINGS[(index + seed * (index % 3)) % len(RATINGS)],
            "evidence": f"{note} ({seed})",
            "next_step": "" if index % 4 == 0 else f"Step {index}: {note}",
            "owner": "@owner" if index % 3 == 0 else "Deputy head",
            "target_date": "2026-07-01",
            "success_criteria": "=1+1" if index % 5 == 0 else "Pupils say they feel safe",
            "review_date": "2026-09-01",
        }
    details: dict[str, Any] = {"school": "Oak Tree Primary", "date": f"2026-0{seed % 9 + 1}-14", "completed_by": HOSTILE[seed % 6]}
    if setting is not None:
        details["setting"] = setting
    return {
        "schema": "belonging-audit/1",
        "framework": {"id": framework.id, "version": framework.version},
        "details": details,
        "responses": responses,
        "subsection_notes": {sub.id: f"Notes {seed}" for _, sub in framework.iter_subsections()},
    }


HISTORIES = {
    "September and January": [{"name": "September", "data": saved(RAA, 1)}, {"name": "January", "data": json.dumps(saved(RAA, 2))}],
    "one audit": [{"name": HOSTILE[5], "data": saved(RAA, 3)}],
    "six audits, hostile names": [{"name": HOSTILE[n], "data": saved(RAA, n)} for n in range(6)],
    "OAIP, settings changing": [{"name": "Spring", "data": saved(OAIP, 1, setting="school")},
                                {"name": "", "data": saved(OAIP, 2, setting="early-years")}],
}


def cell_values(xlsx: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(xlsx))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def charts(xlsx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [archive.read(name) for name in sorted(archive.namelist()) if name.startswith("xl/charts/")]


@pytest.mark.parametrize("name", HISTORIES)
def test_the_trend_matches_cpython(pyodide_bridge, name: str) -> None:
    history = json.dumps(HISTORIES[name])
    answer = pyodide_bridge.call("trend", history)
    assert answer == bridge.trend(history)
    assert json.loads(answer)["ok"] is True


@pytest.mark.parametrize("name", HISTORIES)
@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_trend_exports_are_byte_identical(pyodide_bridge, name: str, fmt: str) -> None:
    history = json.dumps(HISTORIES[name])
    in_browser = pyodide_bridge.call("trend_export", history, fmt)
    assert isinstance(in_browser, str)
    assert in_browser.encode("utf-8") == bridge.trend_export(history, fmt).encode("utf-8")


@pytest.mark.parametrize("name", HISTORIES)
def test_trend_workbooks_have_the_same_cells_and_the_same_chart(pyodide_bridge, name: str) -> None:
    history = json.dumps(HISTORIES[name])
    in_browser = pyodide_bridge.call("trend_export", history, "xlsx")
    assert isinstance(in_browser, bytes)
    in_cpython = bridge.trend_export(history, "xlsx")
    assert cell_values(in_browser) == cell_values(in_cpython)
    assert charts(in_browser) == charts(in_cpython) and len(charts(in_browser)) == 1


@pytest.mark.parametrize("name", HISTORIES)
@pytest.mark.parametrize("fmt", ["json", "md"])
def test_governors_reports_are_byte_identical(pyodide_bridge, name: str, fmt: str) -> None:
    history = json.dumps(HISTORIES[name])
    in_browser = pyodide_bridge.call("governors_report", history, fmt)
    assert in_browser.encode("utf-8") == bridge.governors_report(history, fmt).encode("utf-8")


@pytest.mark.parametrize("name", HISTORIES)
def test_governors_workbooks_have_the_same_cells(pyodide_bridge, name: str) -> None:
    history = json.dumps(HISTORIES[name])
    in_browser = pyodide_bridge.call("governors_report", history, "xlsx")
    assert isinstance(in_browser, bytes)
    assert cell_values(in_browser) == cell_values(bridge.governors_report(history, "xlsx"))
    assert len(charts(in_browser)) == 1


BACKUP = {"exported_at": "2026-01-20T16:02:11.000Z", "audits": [
    {"id": f"id-{n}", "name": HOSTILE[n], "created_at": f"2026-0{n + 1}-01T09:00:00.000Z", "updated_at": "", "saved": saved(framework, n)}
    for n, framework in enumerate([RAA, RAA, OAIP])
]}


def test_the_backup_file_is_written_and_read_back_the_same(pyodide_bridge) -> None:
    entries = json.dumps(BACKUP)
    written = pyodide_bridge.call("write_history_backup", entries)
    assert written == bridge.write_history_backup(entries)
    text = json.loads(written)["text"]
    assert pyodide_bridge.call("read_history_backup", text) == bridge.read_history_backup(text)
    single = json.dumps(saved(RAA, 4))
    assert pyodide_bridge.call("read_history_backup", single) == bridge.read_history_backup(single)


def test_damaged_backups_and_histories_give_the_same_problems(pyodide_bridge) -> None:
    for backup in ['{"schema": "belonging-audit-history/9"}', json.dumps(dict(BACKUP, audits=[{"id": "", "saved": {}}])), "[]", "{"]:
        assert pyodide_bridge.call("read_history_backup", backup) == bridge.read_history_backup(backup)
    mixed = json.dumps([{"name": "a", "data": saved(RAA, 1)}, {"name": "b", "data": saved(OAIP, 1)}])
    for history in [mixed, "[]", '"x"', json.dumps([{"name": "a", "data": "{"}])]:
        assert pyodide_bridge.call("trend", history) == bridge.trend(history)
        assert pyodide_bridge.call("governors_report", history, "md") == bridge.governors_report(history, "md")


@pytest.mark.parametrize(("framework", "seed"), [(RAA, 1), (RAA, 5), (OAIP, 2)])
def test_copying_forward_matches_cpython(pyodide_bridge, framework, seed: int) -> None:
    audit = json.dumps(saved(framework, seed, setting="school" if framework is OAIP else None))
    assert pyodide_bridge.call("copy_forward", audit, framework.id) == bridge.copy_forward(audit, framework.id)


def run_in_pyodide(pyodide_bridge, source: str) -> str:
    return pyodide_bridge.call("eval", f"from audit_app import bridge\nimport js, json\n{source}")


def test_the_page_can_send_javascript_objects_with_nulls_strings_and_bytes(pyodide_bridge) -> None:
    """As the page sends a history from IndexedDB: an array of objects, unrated statements as ``null``."""
    history = [
        {"name": "September", "data": saved(RAA, 1)},
        {"name": "January", "data": json.dumps(saved(RAA, 2))},
        {"name": "May", "data": json.dumps(saved(RAA, 3))},  # sent below as a Uint8Array
    ]
    source = (
        f"history = js.JSON.parse({json.dumps(json.dumps(history))})\n"
        "history[2].data = js.TextEncoder.new().encode(history[2].data)\n"
        "bridge.trend(history)"
    )
    assert run_in_pyodide(pyodide_bridge, source) == bridge.trend(history)
    report = f"bridge.governors_report(js.JSON.parse({json.dumps(json.dumps(history[:2]))}), 'json')"
    assert run_in_pyodide(pyodide_bridge, report) == bridge.governors_report(history[:2], "json")
    backup = f"bridge.write_history_backup(js.JSON.parse({json.dumps(json.dumps(BACKUP))}))"
    assert run_in_pyodide(pyodide_bridge, backup) == bridge.write_history_backup(BACKUP)
    copied = f"bridge.copy_forward(js.JSON.parse({json.dumps(json.dumps(saved(RAA, 2)))}))"
    assert run_in_pyodide(pyodide_bridge, copied) == bridge.copy_forward(saved(RAA, 2))
    as_bytes = f"bridge.read_history_backup(js.TextEncoder.new().encode({json.dumps(json.dumps(BACKUP['audits'][0]['saved']))}))"
    assert json.loads(run_in_pyodide(pyodide_bridge, as_bytes))["kind"] == "audit"


def test_fifty_audits_are_trended_in_time(pyodide_bridge) -> None:
    """The issue's goal is 200 ms for 50 audits in Pyodide (``make bench`` gives the real figures). Checked
    loosely here, at three times the goal on a busy machine, to catch a slip such as work growing with the
    square of the history: 50 full audits sent as JavaScript objects, as the page sends them."""
    audits = [{"name": f"Audit {n}", "data": saved(RAA, n)} for n in range(50)]
    timing = run_in_pyodide(pyodide_bridge, (
        f"history = js.JSON.parse({json.dumps(json.dumps(audits))})\n"
        "import time\n"
        "assert json.loads(bridge.trend(history))['ok']\n"
        "times = []\n"
        "for _ in range(5):\n"
        "    started = time.perf_counter(); bridge.trend(history); times.append((time.perf_counter() - started) * 1000)\n"
        "sorted(times)[2]"
    ))
    assert float(timing) < 600, timing


def test_the_compare_page_can_send_two_audits_from_the_history_as_objects(pyodide_bridge) -> None:
    baseline, review = saved(RAA, 1), saved(RAA, 2)
    source = f"bridge.compare(js.JSON.parse({json.dumps(json.dumps(baseline))}), js.JSON.parse({json.dumps(json.dumps(review))}))"
    assert run_in_pyodide(pyodide_bridge, source) == bridge.compare(json.dumps(baseline), json.dumps(review))
