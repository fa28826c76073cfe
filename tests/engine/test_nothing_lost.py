"""No answer is lost when something is odd: a box too long, half an emoji, a failure inside the engine."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app import bridge, compare, merge, savefile
from audit_app.agenda import build_agenda
from audit_app.export_xlsx import CUT_NOTE, MAX_CELL_CHARS
from audit_app.formula_guard import restore
from audit_app.text_fields import MAX_TEXT_CHARS

from .support import plain, saved_dict
from .team_support import PROPERTY_SETTINGS

LONG = ("Pupils said they feel listened to. " * 800)[:25_000]
LONG_NOTICE = (
    "Statement 1.1.1 (‘The School leadership team (SLT) are…’): the evidence held 25,000 characters, more than "
    "the 20,000 a box on the form holds. All of it has been kept; shorten it before adding more."
)
FORMS = ("score", "plan", "score_and_plan")
BRIDGE_CALLS = {
    "load_saved": lambda value: bridge.load_saved(value),
    "score": lambda value: bridge.score(value),
    "plan": lambda value: bridge.plan(value),
    "score_and_plan": lambda value: bridge.score_and_plan(value),
    "export md": lambda value: bridge.export(value, "md"),
    "export xlsx": lambda value: bridge.export(value, "xlsx"),
    "compare": lambda value: bridge.compare(value, value),
    "compare_export md": lambda value: bridge.compare_export(value, value, "md"),
    "merge": lambda value: bridge.merge(value),
    "merge_report": lambda value: bridge.merge_report(value),
    "missed_learning": lambda value: bridge.missed_learning(value),
    "agenda": lambda value: bridge.agenda(value),
    "framework_json": lambda value: bridge.framework_json(value),
    "new_audit": lambda value: bridge.new_audit(value),
}


def answers(**responses: dict[str, Any]) -> str:
    """The page's answers as JSON (compact, as JSON.stringify writes them), with these responses."""
    return json.dumps(saved_dict(responses=responses, subsection_notes={}, details={"school": "Oakfield"}), separators=(",", ":"))


def csv_cells(text: str) -> list[list[str]]:
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))]


def plan_cell(xlsx: bytes, column: str = "G") -> str:
    return openpyxl.load_workbook(io.BytesIO(xlsx))["Action plan"][f"{column}2"].value


def test_a_box_longer_than_the_form_allows_is_kept_in_full_with_a_notice_naming_it():
    text = answers(**{"safe-ethos-1": {"rating": "red", "evidence": LONG}})
    loaded = json.loads(bridge.load_saved(text))
    assert loaded["ok"] is True and loaded["audit"]["responses"]["safe-ethos-1"]["evidence"] == LONG
    assert plain(loaded["notices"]) == [LONG_NOTICE]
    for name in FORMS:
        assert json.loads(getattr(bridge, name)(text))["ok"] is True
    assert json.loads(bridge.export(text, "json"))["responses"]["safe-ethos-1"]["evidence"] == LONG
    assert csv_cells(bridge.export(text, "csv"))[1][6] == LONG
    assert " ".join(LONG.split()) in bridge.export(text, "md")
    assert plan_cell(bridge.export(text, "xlsx")) == LONG  # under Excel's limit: the cell has it all


def test_a_box_longer_than_a_spreadsheet_cell_is_cut_there_with_a_note_and_kept_whole_in_the_json():
    huge = "Notes from every class. " * 2_000  # 48,000 characters
    text = answers(**{"safe-ethos-1": {"rating": "red", "evidence": huge}})
    cell = plan_cell(bridge.export(text, "xlsx"))
    assert len(cell) == MAX_CELL_CHARS and cell.endswith(CUT_NOTE) and huge.startswith(cell.removesuffix(CUT_NOTE))
    assert "The saved answers (JSON) hold all of it." in cell
    assert json.loads(bridge.export(text, "json"))["responses"]["safe-ethos-1"]["evidence"] == huge
    comparison = bridge.compare_export(answers(**{"safe-ethos-1": {"rating": "red"}}), text, "xlsx")
    assert comparison[:2] == b"PK"


def test_half_an_emoji_is_repaired_with_a_notice_and_every_export_works():
    text = json.dumps(saved_dict(
        details={"school": "Oak \ud83c"},
        responses={"safe-ethos-1": {"rating": "amber", "evidence": "We 💙 it \udfff", "next_step": "\ud800\ud800"}},
        subsection_notes={"safe-ethos": "Note \udc00"},
    ))  # json.dumps writes each lone surrogate as a \\udXXX escape, as JSON.stringify does
    loaded = json.loads(bridge.load_saved(text))
    assert loaded["ok"] is True
    assert loaded["audit"]["details"]["school"] == "Oak \ufffd"
    assert loaded["audit"]["responses"]["safe-ethos-1"]["evidence"] == "We 💙 it \ufffd"
    assert plain(loaded["notices"]) == [
        "The ‘School’ detail held a damaged character (for example, half of an emoji), replaced with �.",
        "Statement 1.1.1 (‘The School leadership team (SLT) are…’): the evidence held a damaged character (for example, half of an emoji), replaced with �.",
        "Statement 1.1.1 (‘The School leadership team (SLT) are…’): the next step held 2 damaged characters (for example, half of an emoji), replaced with �.",
        "The additional notes for 1.1 Whole School values and ethos (Feeling safe in school) held a damaged character (for example, half of an emoji), replaced with �.",
    ]
    for fmt in ("md", "csv", "json"):
        assert "\ufffd" in bridge.export(text, fmt) and bridge.export(text, fmt).encode("utf-8")
    assert plan_cell(bridge.export(text, "xlsx")) == "We 💙 it \ufffd"
    # The same, passed as text holding the lone surrogates themselves (a JavaScript string from the form).
    raw_text = text.encode("ascii").decode("unicode_escape")
    assert json.loads(bridge.export(raw_text, "json"))["details"]["school"] == "Oak \ufffd"


def test_a_copy_downloaded_while_the_engine_was_away_imports_with_notices_not_a_refusal():
    # What the page writes itself when Python is unavailable: JSON.stringify of the form, compact.
    text = answers(**{"safe-ethos-1": {"rating": "green", "evidence": LONG, "owner": "Jo \ud83d"}, "safe-ethos-2": {"rating": "red"}})
    loaded = json.loads(bridge.load_saved(text.encode("utf-8")))
    assert loaded["ok"] is True and len(loaded["notices"]) == 2
    assert loaded["audit"]["responses"]["safe-ethos-2"]["rating"] == "red"


def test_comparing_and_merging_odd_files_keeps_everything_and_says_which_file():
    odd = answers(**{"safe-ethos-1": {"rating": "red", "evidence": LONG}})
    plain_audit = answers(**{"safe-ethos-1": {"rating": "green"}})
    compared = json.loads(bridge.compare(odd, plain_audit))
    assert compared["ok"] is True and plain(compared["notices"]) == ["The baseline: " + LONG_NOTICE]
    merged = json.loads(bridge.merge([{"name": "sam.json", "data": odd.encode("utf-8")}, {"name": "jo.json", "data": plain_audit.encode("utf-8")}]))
    assert merged["ok"] is True and plain(merged["notices"])[0] == "sam.json: " + LONG_NOTICE
    assert LONG in merged["spread"][0]["notes"][0]["evidence"]
    alone = merge.merge_saved([("sam.json", odd)])
    assert alone.agreed.response("safe-ethos-1").evidence == LONG  # one file: that file, whole


def test_the_meeting_agenda_keeps_long_notes_and_repairs_half_an_emoji_with_notices():
    result = build_agenda({"other_notes": "x" * (MAX_TEXT_CHARS + 1), "questions": {"overview-1": {"checked": True, "notes": "Ask \ud83d"}}})
    assert result["ok"] is True and "x" * (MAX_TEXT_CHARS + 1) in result["markdown"] and "Ask \ufffd" in result["markdown"]
    assert plain(result["notices"]) == [
        "The other notes held 20,001 characters, more than the 20,000 a box on the form holds. All of it has been kept; shorten it before adding more.",
        "Question ‘What is the young person's current…’: the notes held a damaged character (for example, half of an emoji), replaced with �.",
    ]


def test_a_wrong_type_where_text_belongs_is_still_a_problem():
    result = json.loads(bridge.load_saved(json.dumps(saved_dict(responses={"safe-ethos-1": {"evidence": 12}}))))
    assert result == {"ok": False, "problems": ["Statement 1.1.1 (‘The School leadership team (SLT) are…’): the evidence must be text; the file has the number 12."]}


@pytest.mark.parametrize(
    ("failure", "sentence"),
    [(RecursionError, bridge.UNEXPECTED_PROBLEM), (MemoryError, bridge.MEMORY_PROBLEM), (ValueError, bridge.UNEXPECTED_PROBLEM), (KeyError, bridge.UNEXPECTED_PROBLEM)],
)
@pytest.mark.parametrize("name", ["load_saved", "score", "plan", "score_and_plan", "export md", "export xlsx", "compare", "compare_export md"])
def test_a_failure_inside_the_engine_becomes_one_plain_sentence_never_a_traceback(monkeypatch, capsys, failure, sentence, name):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise failure("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(savefile, "from_dict", broken)
    output = BRIDGE_CALLS[name](answers())
    assert output == json.dumps({"ok": False, "problems": [sentence]}, ensure_ascii=False)
    assert "Traceback" in capsys.readouterr().err  # for developers, in the worker's console


def test_the_sentences_for_the_unexpected_are_plain():
    assert bridge.UNEXPECTED_PROBLEM == "Something unexpected went wrong while working this out, so nothing was changed: your answers are as they were."
    assert bridge.MEMORY_PROBLEM == "There was not enough memory to work this out, so nothing was changed: your answers are as they were."


def test_an_unknown_export_format_is_still_raised_for_the_programmer():
    with pytest.raises(ValueError, match="unknown export format"):
        bridge.export(answers(), "pdf")
    with pytest.raises(ValueError, match="unknown comparison format"):
        bridge.compare_export(answers(), answers(), "csv")


class FakeJsArray:
    """What Pyodide hands Python for a JavaScript array of {name, data: Uint8Array}: to_py() gives dicts and memoryviews."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def to_py(self) -> list[dict[str, Any]]:
        return self.items


def test_the_page_can_send_the_files_to_merge_as_bytes():
    sam, jo = answers(**{"safe-ethos-1": {"rating": "red"}}), answers(**{"safe-ethos-1": {"rating": "red"}})
    expected = json.loads(bridge.merge(json.dumps([{"name": "sam.json", "text": sam}, {"name": "jo.json", "text": jo}])))
    as_bytes = [{"name": "sam.json", "data": memoryview(sam.encode("utf-16"))}, {"name": "jo.json", "data": jo.encode("utf-8")}]
    assert json.loads(bridge.merge(FakeJsArray(as_bytes))) == expected
    assert json.loads(bridge.merge(as_bytes)) == expected
    assert bridge.merge_report(FakeJsArray(as_bytes)).startswith("# Relational Approaches Audit: team ratings side by side")
    refused = json.loads(bridge.merge([{"name": "latin.json", "data": sam.replace("Oakfield", "Café").encode("latin-1")}]))
    assert plain(refused["problems"])[0].startswith("latin.json: The file is not in a text encoding this site reads")


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
anything = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200),
    json_like.map(json.dumps),
    json_like,
    st.sampled_from(["[" * 100_000, "{" * 50_000, "9" * 5000, "\ud800", b"\xff\xfe{\x00", "[]", "{}", "null"]),
)


@PROPERTY_SETTINGS
@given(st.sampled_from(sorted(BRIDGE_CALLS)), anything)
def test_no_input_makes_a_bridge_function_raise(name, value):
    output = BRIDGE_CALLS[name](value)
    if isinstance(output, str) and output.startswith('{"ok": false'):
        problems = json.loads(output)["problems"]
        assert problems and not any("Traceback" in problem or "Error" in problem for problem in problems)


def test_comparing_a_file_with_itself_still_works_after_repairs():
    text = answers(**{"safe-ethos-1": {"rating": "red", "evidence": "\ud800" + LONG}})
    result = compare.compare_saved(text, text)
    assert result.ok and len(result.comparison.notices) == 4
