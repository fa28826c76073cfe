"""Names and notes quoted in a message cannot reorder the message (right-to-left overrides, isolates)."""

from __future__ import annotations

import json

import pytest

from audit_app import bridge, compare, merge, savefile
from audit_app.agenda import build_agenda
from audit_app.missed_learning import calculate
from audit_app.model import Details
from audit_app.quoting import FIRST_STRONG_ISOLATE as FSI
from audit_app.quoting import POP_DIRECTIONAL_ISOLATE as PDI
from audit_app.quoting import isolate

from .support import FRAMEWORK, saved_dict
from .team_support import OAIP, build, saved_text

RLO, PDF, RLI, LRI = "\u202e", "\u202c", "\u2067", "\u2066"
DISGUISED = f"report{RLO}nosj.exe"  # shows as "reportexe.json"
# Unicode bidi classes: isolate initiators and their terminator; embeddings and overrides; paragraph separators.
INITIATORS, EMBEDDINGS, PARAGRAPH_BREAKS = "\u2066\u2067\u2068", "\u202a\u202b\u202d\u202e", "\n\r\x1c\x1d\x1e\x85\u2029"


def contained(message: str) -> bool:
    """Whether every direction control in ``message`` sits inside an isolate closed in the same paragraph.

    By the Unicode bidirectional algorithm, text outside a closed isolate is laid out as if the
    isolate were one neutral character, so nothing inside can reorder the rest of the message.
    """
    open_isolates = 0
    for char in message:
        if char in PARAGRAPH_BREAKS:
            if open_isolates:
                return False
        elif char in INITIATORS:
            open_isolates += 1
        elif char == PDI:
            if not open_isolates:
                return False
            open_isolates -= 1
        elif char in EMBEDDINGS + PDF and not open_isolates:
            return False
    return open_isolates == 0


def test_a_quoted_value_is_wrapped_in_first_strong_isolate_and_pop_directional_isolate():
    assert isolate(DISGUISED) == f"{FSI}{DISGUISED}{PDI}"
    assert isolate("") == f"{FSI}{PDI}"


def test_a_value_cannot_close_the_isolate_early_or_swallow_the_closing_one():
    assert isolate(f"a{PDI}{RLO}b") == f"{FSI}a{RLO}b{PDI}"
    assert isolate(f"a{RLI}b{LRI}") == f"{FSI}ab{PDI}"
    assert contained(f"Answers from {isolate(f'x{PDI}{PDI}{RLO}y')} were loaded.")


def test_each_line_of_a_quoted_note_is_isolated_because_a_new_line_ends_every_isolate():
    assert isolate(f"one{RLO}\ntwo\r\nthree") == f"{FSI}one{RLO}{PDI}\n{FSI}two{PDI}\r\n{FSI}three{PDI}"
    assert contained(f"The notes were: “{isolate(f'line{RLO}\nmore{RLO}')}” and that is all.")


def test_a_file_name_with_a_right_to_left_override_cannot_reorder_the_merge_messages():
    good = saved_text(build(FRAMEWORK, {"safe-ethos-1": "red"}))
    broken = merge.merge_saved([(DISGUISED, "{")])
    assert broken.problems[0].startswith(f"{FSI}{DISGUISED}{PDI}: The file is not one this site can read")
    assert all(contained(problem) for problem in broken.problems)
    mixed = merge.merge_saved([(DISGUISED, good), ("oaip.json", saved_text(build(OAIP)))])
    assert all(contained(problem) for problem in mixed.problems) and DISGUISED in mixed.problems[0]
    old = json.loads(good)
    old["framework"]["version"] = f"2024{RLO}01"
    migrated = merge.merge_saved([(DISGUISED, json.dumps(old)), ("b.json", good)])
    assert migrated.ok and migrated.notices and all(contained(notice) for notice in migrated.notices)


def test_names_chosen_by_colleagues_cannot_reorder_the_settings_notice():
    school = saved_text(build(OAIP, details=Details(setting="school", completed_by=f"Sam{RLO}")))
    early = saved_text(build(OAIP, details=Details(setting="early-years", completed_by=f"{RLI}Jo")))
    result = merge.merge_saved([("a.json", school), ("b.json", early)])
    (notice,) = result.notices
    assert contained(notice) and f"{FSI}Sam{RLO}{PDI}: School" in notice


def test_file_names_on_the_command_line_cannot_reorder_the_comparison_messages():
    result = compare.compare_saved("{", "[]", names=(DISGUISED, f"b{RLO}.json"))
    assert len(result.problems) == 2 and all(contained(problem) for problem in result.problems)
    defaults = compare.compare_saved("{", "{")
    assert defaults.problems[0].startswith("The baseline: The file")  # our own words are not isolated


@pytest.mark.parametrize(
    "raw",
    [
        saved_dict(responses={f"gone{RLO}": {"rating": f"purple{RLO}", "evidence": f"We had{RLO}\nsomething"}}),
        saved_dict(subsection_notes={f"old{RLO}part": f"Keep{RLO} this\nidea{RLO}"}),
        saved_dict(framework={"id": FRAMEWORK.id, "version": f"1{RLO}"}),
        saved_dict(details={"setting": f"school{RLO}"}),
        saved_dict(schema=f"belonging{RLO}"),
        saved_dict(framework={"id": f"other{RLO}", "version": "1"}),
        saved_dict(responses={"safe-ethos-1": {"rating": f"purple{RLO}"}}),
    ],
    ids=["lost answer", "lost notes", "version", "setting", "schema", "framework", "rating"],
)
def test_values_quoted_from_a_saved_file_cannot_reorder_its_notices_or_problems(raw):
    result = savefile.load(json.dumps(raw), FRAMEWORK)
    messages = result.notices + result.problems
    assert messages and all(RLO in message for message in messages) and all(contained(message) for message in messages)


def test_keys_typed_into_the_calculator_or_the_meeting_page_cannot_reorder_their_problems():
    figures = calculate({"percent": f"8{RLO}7", f"pupil{RLO}": "x"})
    agenda = build_agenda({f"child{RLO}": "x", "questions": {f"q{RLO}": {}}})
    for problems in (figures["problems"], agenda["problems"]):
        assert problems and all(contained(problem) for problem in problems)


def test_messages_reach_the_page_with_their_isolates():
    result = json.loads(bridge.load_saved(json.dumps(saved_dict(subsection_notes={"old": f"x{RLO}y"}))))
    assert f"“{FSI}x{RLO}y{PDI}”" in result["notices"][0]
