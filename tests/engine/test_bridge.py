"""The browser's door: JSON in, JSON (or XLSX bytes) out, problems instead of exceptions."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from audit_app import bridge

from .support import FRAMEWORK, REPO, STATEMENT_IDS, audit_with, saved

PACKAGE = REPO / "audit_app"
SAMPLE = saved(audit_with({"safe-ethos-1": "red", "safe-ethos-2": "green"}, responses={"safe-ethos-2": {"next_step": "Keep"}}))


def test_the_form_gets_the_framework_with_reference_labels():
    data = json.loads(bridge.framework_json())
    assert data["id"] == "relational-approaches-audit" and data["version"] == "2025-04"
    first = data["sections"][0]["subsections"][0]
    assert first["ref"] == "1.1"
    assert first["statements"][4] == {
        "id": "safe-ethos-5", "number": "5", "ref": "1.1.5", "examples": [],
        "text": "Commitment to action – when an adult or child raises concerns about safety, these are acting upon (‘You said, we did’)",
    }
    assert data["ratings"][0] == {"id": "red", "label": "Red", "letter": "R", "meaning": "No evidence for this area", "points": 0, "colour": "FFC7CE"}


def test_a_new_audit_is_blank_and_in_the_saved_format():
    data = json.loads(bridge.new_audit())
    assert data["schema"] == "belonging-audit/1"
    assert list(data["responses"]) == STATEMENT_IDS
    assert all(response["rating"] is None for response in data["responses"].values())


def test_loading_a_saved_file_returns_the_full_audit_and_notices():
    result = json.loads(bridge.load_saved(SAMPLE.encode("utf-8")))
    assert result["ok"] is True and result["notices"] == []
    assert result["audit"] == json.loads(SAMPLE)
    partial = json.dumps({"schema": "belonging-audit/1", "framework": {"id": FRAMEWORK.id, "version": FRAMEWORK.version}, "responses": {"gone": {"rating": "red"}}})
    result = json.loads(bridge.load_saved(partial))
    assert result["ok"] and len(result["audit"]["responses"]) == 40 and "‘\u2068gone\u2069’" in result["notices"][0]


def test_loading_a_broken_file_returns_problems_only():
    assert json.loads(bridge.load_saved("{")) == {
        "ok": False,
        "problems": ["The file is not one this site can read: it is not valid JSON (the first fault is on line 1, column 2). It may have been cut short or changed by another program."],
    }


def test_a_pyodide_buffer_proxy_is_read_through_to_bytes():
    class FakeUint8ArrayProxy:
        def to_bytes(self) -> bytes:
            return SAMPLE.encode("utf-8")

    assert json.loads(bridge.load_saved(FakeUint8ArrayProxy()))["ok"] is True
    assert json.loads(bridge.load_saved(42))["ok"] is False


def test_score_returns_metrics_at_every_level():
    result = json.loads(bridge.score(SAMPLE))
    assert result["ok"] is True
    assert result["overall"]["percent"] == 50 and result["overall"]["band_label"] == "Amber"
    assert result["overall"]["counts"] == {"red": 1, "amber": 0, "green": 1, "unrated": 38}
    assert [s["number"] for s in result["sections"]] == ["1", "2", "3"]
    assert result["sections"][1]["share"] is None and result["sections"][1]["band"] is None
    assert result["sections"][0]["subsections"][0]["ref"] == "1.1"


def test_plan_returns_actions_in_plan_order():
    actions = json.loads(bridge.plan(SAMPLE))["actions"]
    assert [(a["statement_id"], a["number"], a["kind"]) for a in actions] == [("safe-ethos-1", "1.1.1", "improve"), ("safe-ethos-2", "1.1.2", "sustain")]
    assert set(actions[0]) == {
        "statement_id", "number", "section_title", "subsection_title", "text", "examples", "rating", "rating_label",
        "kind", "evidence", "next_step", "owner", "target_date", "success_criteria", "review_date",
    }


def test_the_page_gets_scores_and_plan_in_one_call():
    both = json.loads(bridge.score_and_plan(SAMPLE))
    assert both["ok"] is True
    assert both["score"] == json.loads(bridge.score(SAMPLE))
    assert both["plan"] == json.loads(bridge.plan(SAMPLE))


def test_export_gives_text_for_md_csv_json_and_bytes_for_xlsx():
    assert bridge.export(SAMPLE, "md").startswith("# Relational Approaches Audit")
    assert bridge.export(SAMPLE, "csv").startswith("\ufeffRef,")
    assert bridge.export(SAMPLE, "json") == SAMPLE
    assert bridge.export(SAMPLE, "xlsx")[:2] == b"PK"


@pytest.mark.parametrize("call", [bridge.score, bridge.plan, bridge.score_and_plan, lambda text: bridge.export(text, "md"), lambda text: bridge.export(text, "xlsx")])
def test_an_invalid_audit_gives_problems_json_never_an_exception(call):
    output = call('{"schema": "belonging-audit/1"}')
    assert isinstance(output, str) and output.startswith('{"ok": false')
    assert json.loads(output)["problems"] == ["The file does not say which audit it belongs to (its 'framework' entry is missing or damaged)."]


def test_an_unknown_export_format_raises():
    with pytest.raises(ValueError):
        bridge.export(SAMPLE, "pdf")


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_bridge_may_know_about_the_browser_and_the_core_uses_no_threads_or_processes():
    for path in sorted(PACKAGE.glob("*.py")):
        imported = _imported_modules(path)
        assert not imported & {"js", "pyodide", "pyodide_js", "micropip"}, path.name
        assert not imported & {"threading", "subprocess", "multiprocessing", "concurrent", "asyncio"}, path.name
    # Not even indirectly (import_module, __import__) outside the bridge.
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name != "bridge.py":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(import_module|__import__)\(\s*['\"](js|pyodide)", text), path.name


def test_the_package_uses_only_the_standard_library_and_openpyxl():
    allowed = set(sys.stdlib_module_names) | {"openpyxl", "audit_app"}
    for path in sorted(PACKAGE.glob("*.py")):
        assert _imported_modules(path) <= allowed, path.name


def test_openpyxl_is_imported_only_when_an_xlsx_is_asked_for():
    script = (
        "import sys, json; from audit_app import bridge; a = bridge.new_audit(); "
        "[bridge.export(a, f) for f in ('md', 'csv', 'json')]; bridge.score(a); bridge.plan(a); bridge.load_saved(a); "
        "print('openpyxl' in sys.modules); bridge.export(a, 'xlsx'); print('openpyxl' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(REPO)})
    assert result.stdout.split() == ["False", "True"]


def test_a_chosen_file_is_read_as_text_by_the_same_checks_as_any_file():
    utf16 = json.dumps({"school": "École 🌱"}, ensure_ascii=False).encode("utf-16")
    assert json.loads(bridge.read_file(utf16)) == {"ok": True, "text": '{"school": "École 🌱"}'}
    latin1 = json.loads(bridge.read_file('{"school": "Café"}'.encode("latin-1")))
    assert latin1["ok"] is False and "UTF-8" in latin1["problems"][0]
    nested = json.loads(bridge.read_file(b"[" * 100_000 + b"]" * 100_000))
    assert nested["ok"] is False and len(nested["problems"]) == 1
