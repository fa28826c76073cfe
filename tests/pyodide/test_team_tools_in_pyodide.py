"""The OAIP self-review and the team tools give the same answers in the browser's Pyodide as in CPython.

Compare, merge, missed learning and the meeting agenda run in the school's
browser; the CLI and our tests run CPython. Both must agree to the byte (text)
and to the cell (XLSX).
"""

from __future__ import annotations

import io
import json
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


def saved(framework, seed: int, *, completed_by: str = "", setting: str | None = None) -> str:
    """A full saved audit whose ratings and notes depend on ``seed``."""
    responses = {}
    for index, (_, _, statement) in enumerate(framework.iter_statements()):
        note = HOSTILE[(index + seed) % len(HOSTILE)]
        responses[statement.id] = {
            "rating": RATINGS[(index * (seed + 1) + seed) % len(RATINGS)],
            "evidence": f"{note} ({seed})",
            "next_step": f"Step {index % (seed + 2)}",
            "owner": "Deputy head",
            "target_date": "2026-07-01",
            "success_criteria": "=1+1" if index % 5 == 0 else "Pupils say they feel safe",
            "review_date": "2026-09-01",
        }
    details: dict[str, Any] = {"school": "Oak Tree Primary", "date": f"2026-0{seed % 9 + 1}-14", "completed_by": completed_by}
    if setting is not None:
        details["setting"] = setting
    return json.dumps({
        "schema": "belonging-audit/1",
        "framework": {"id": framework.id, "version": framework.version},
        "details": details,
        "responses": responses,
        "subsection_notes": {sub.id: f"Notes {seed}" for _, sub in framework.iter_subsections()},
    })


TEAM = [{"name": f"colleague-{n}.json", "text": saved(RAA, n, completed_by="" if n % 3 else f"Teacher {n}")} for n in range(10)]


def cell_values(xlsx: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(xlsx))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def test_frameworks_and_the_oaip_self_review_match_cpython(pyodide_bridge) -> None:
    assert pyodide_bridge.call("frameworks_json") == bridge.frameworks_json()
    assert pyodide_bridge.call("framework_json", OAIP.id) == bridge.framework_json(OAIP.id)
    assert pyodide_bridge.call("new_audit", OAIP.id) == bridge.new_audit(OAIP.id)
    assert json.loads(pyodide_bridge.call("framework_json", "nope"))["ok"] is False


@pytest.mark.parametrize("setting", ["", "school", "early-years"])
@pytest.mark.parametrize("op", ["score", "plan", "score_and_plan", "load_saved"])
def test_an_oaip_self_review_scores_the_same_for_each_setting(pyodide_bridge, setting: str, op: str) -> None:
    audit = saved(OAIP, 2, setting=setting)
    assert pyodide_bridge.call(op, audit, OAIP.id) == getattr(bridge, op)(audit, OAIP.id)


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_oaip_text_exports_are_byte_identical(pyodide_bridge, fmt: str) -> None:
    audit = saved(OAIP, 3, setting="school")
    assert pyodide_bridge.call("export", audit, fmt, OAIP.id) == bridge.export(audit, fmt, OAIP.id)


def test_oaip_workbooks_have_the_same_cells(pyodide_bridge) -> None:
    audit = saved(OAIP, 4, setting="early-years")
    assert cell_values(pyodide_bridge.call("export", audit, "xlsx", OAIP.id)) == cell_values(bridge.export(audit, "xlsx", OAIP.id))


@pytest.mark.parametrize(("baseline", "review"), [(saved(RAA, 1), saved(RAA, 2)), (saved(RAA, 5), saved(RAA, 5)),
                                                  (saved(OAIP, 1, setting="school"), saved(OAIP, 2, setting="early-years"))])
def test_comparisons_match_cpython(pyodide_bridge, baseline: str, review: str) -> None:
    assert pyodide_bridge.call("compare", baseline, review) == bridge.compare(baseline, review)
    for fmt in ("md", "json"):
        assert pyodide_bridge.call("compare_export", baseline, review, fmt) == bridge.compare_export(baseline, review, fmt)


def test_comparison_workbooks_have_the_same_cells(pyodide_bridge) -> None:
    baseline, review = saved(RAA, 1), saved(RAA, 2)
    pyodide_bridge.call("export", baseline, "xlsx")  # the runner loads openpyxl on the first XLSX export, as the page would
    in_browser = pyodide_bridge.call("compare_export", baseline, review, "xlsx")
    assert isinstance(in_browser, bytes)
    assert cell_values(in_browser) == cell_values(bridge.compare_export(baseline, review, "xlsx"))


def test_comparing_different_audits_gives_the_same_problems(pyodide_bridge) -> None:
    for pair in [(saved(RAA, 1), saved(OAIP, 1)), ("{", saved(RAA, 1)), (saved(RAA, 1), "[]")]:
        assert pyodide_bridge.call("compare", *pair) == bridge.compare(*pair)


@pytest.mark.parametrize("size", [1, 3, 10])
def test_merges_match_cpython(pyodide_bridge, size: int) -> None:
    files = json.dumps(TEAM[:size])
    assert pyodide_bridge.call("merge", files) == bridge.merge(files)
    assert pyodide_bridge.call("merge_report", files) == bridge.merge_report(files)


def test_merging_bad_lists_gives_the_same_problems(pyodide_bridge) -> None:
    for files in ["[]", "nope", json.dumps([{"name": "a", "text": saved(RAA, 1)}, {"name": "b", "text": saved(OAIP, 1)}])]:
        assert pyodide_bridge.call("merge", files) == bridge.merge(files)


@pytest.mark.parametrize("values", [
    {"percent": 87}, {"percent": "90%", "days_so_far": 60, "lessons_per_day": 6}, {"attended": 150, "possible": 180, "key_stage_years": 3},
    {"percent": 33.3333}, {"attended": 181, "possible": 180}, {"percent": 87, "pupil_name": "x"},
])
def test_missed_learning_matches_cpython(pyodide_bridge, values: dict[str, Any]) -> None:
    text = json.dumps(values)
    assert pyodide_bridge.call("missed_learning", text) == bridge.missed_learning(text)


def test_the_agenda_and_questions_match_cpython(pyodide_bridge) -> None:
    assert pyodide_bridge.call("partnership_questions_json") == bridge.partnership_questions_json()
    preparation = json.dumps({
        "meeting_date": "3 March",
        "questions": {"overview-1": {"checked": True, "notes": HOSTILE[5]}, "school-based-8": {"checked": True, "notes": HOSTILE[0]}},
        "other_notes": HOSTILE[2],
    })
    assert pyodide_bridge.call("agenda", preparation) == bridge.agenda(preparation)
    assert pyodide_bridge.call("agenda", '{"name": "x"}') == bridge.agenda('{"name": "x"}')
