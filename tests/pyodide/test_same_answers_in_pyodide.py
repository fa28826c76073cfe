"""The engine gives the same answers in the browser's Pyodide as in CPython.

Schools see scores and download plans made by Pyodide in their browser; the
CLI and our tests use CPython. Whatever a leader does, both must agree to the
byte (Markdown, CSV, JSON) and to the cell (XLSX).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from audit_app import bridge
from audit_app.framework import default_framework

pytestmark = pytest.mark.pyodide

FRAMEWORK = default_framework()
STATEMENT_IDS = [statement.id for _, _, statement in FRAMEWORK.iter_statements()]
SUBSECTION_IDS = [subsection.id for _, subsection in FRAMEWORK.iter_subsections()]
HOSTILE = [
    '=HYPERLINK("http://x")',
    "@SUM(A1:A9)",
    "+1-1",
    "-2",
    "\tTabbed",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "🙂 emoji and ünïcödé",
    "مرحبا بالعالم right-to-left",
    "Line one\nLine two, \"quoted\", and a | pipe",
    "x" * 10_000,
]


def saved_audit(**responses: dict[str, Any]) -> str:
    """A saved audit as the browser's form writes it."""
    return json.dumps(
        {
            "schema": "belonging-audit/1",
            "framework": {"id": FRAMEWORK.id, "version": FRAMEWORK.version},
            "details": {"school": "Oak Tree Primary", "date": "2026-03-14", "completed_by": "A. Leader"},
            "responses": responses,
            "subsection_notes": {SUBSECTION_IDS[0]: "Notes for the first subsection"},
        }
    )


def full_audit_with_hostile_notes() -> str:
    ratings = ["red", "amber", "green", None]
    responses = {}
    for index, statement_id in enumerate(STATEMENT_IDS):
        note = HOSTILE[index % len(HOSTILE)]
        responses[statement_id] = {
            "rating": ratings[index % len(ratings)],
            "evidence": note,
            "next_step": f"Step {index}: {note[:200]}",
            "owner": "@owner" if index % 3 == 0 else "Deputy head",
            "target_date": "2026-07-01",
            "success_criteria": "=1+1" if index % 5 == 0 else "Pupils say they feel safe",
            "review_date": "2026-09-01",
        }
    return saved_audit(**responses)


AUDITS = {
    "empty": saved_audit(),
    "one red": saved_audit(**{STATEMENT_IDS[0]: {"rating": "red", "evidence": "None yet"}}),
    "all green": saved_audit(**{sid: {"rating": "green"} for sid in STATEMENT_IDS}),
    "full with hostile notes": full_audit_with_hostile_notes(),
}


def test_pyodide_runs_the_browsers_python(pyodide_bridge) -> None:
    assert pyodide_bridge.python_version.startswith("3.14"), pyodide_bridge.python_version


@pytest.mark.parametrize("name", AUDITS)
@pytest.mark.parametrize("op", ["score", "plan", "score_and_plan", "load_saved"])
def test_scores_plan_and_import_match_cpython(pyodide_bridge, name: str, op: str) -> None:
    assert pyodide_bridge.call(op, AUDITS[name]) == getattr(bridge, op)(AUDITS[name])


@pytest.mark.parametrize("name", AUDITS)
@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_text_exports_are_byte_identical(pyodide_bridge, name: str, fmt: str) -> None:
    in_browser = pyodide_bridge.call("export", AUDITS[name], fmt)
    assert isinstance(in_browser, str)
    assert in_browser.encode("utf-8") == bridge.export(AUDITS[name], fmt).encode("utf-8")


def cell_values(xlsx: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(xlsx))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


@pytest.mark.parametrize("name", AUDITS)
def test_excel_plans_have_the_same_cells(pyodide_bridge, name: str) -> None:
    in_browser = pyodide_bridge.call("export", AUDITS[name], "xlsx")
    assert isinstance(in_browser, bytes)
    assert cell_values(in_browser) == cell_values(bridge.export(AUDITS[name], "xlsx"))


def test_a_broken_file_gets_the_same_problems(pyodide_bridge) -> None:
    for broken in ['{"schema": "belonging-audit/1"', "[]", '{"schema": "something-else/9"}', "\x00\xff"]:
        assert pyodide_bridge.call("load_saved", broken) == bridge.load_saved(broken)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ratings=st.lists(st.sampled_from(["red", "amber", "green", None]), min_size=len(STATEMENT_IDS), max_size=len(STATEMENT_IDS)),
    note=st.text(max_size=300),
)
def test_any_audit_scores_and_exports_the_same(pyodide_bridge, ratings: list[str | None], note: str) -> None:
    audit = saved_audit(**{sid: {"rating": r, "evidence": note, "next_step": note} for sid, r in zip(STATEMENT_IDS, ratings)})
    for op in ("score", "plan"):
        assert pyodide_bridge.call(op, audit) == getattr(bridge, op)(audit)
    for fmt in ("md", "csv", "json"):
        assert pyodide_bridge.call("export", audit, fmt) == bridge.export(audit, fmt)
