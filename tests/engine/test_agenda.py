"""A designated teacher prepares a partnership meeting from Toolkit 4's key questions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app import bridge
from audit_app.agenda import build_agenda, partnership_questions

from .support import FRAMEWORK, plain
from .team_support import HOSTILE, PROPERTY_SETTINGS

SOURCE_GUIDE = Path(__file__).resolve().parents[1] / "source" / "relational-approaches-guide.md"  # the client's text
QUESTIONS = partnership_questions()
QUESTION_IDS = [q.id for group in QUESTIONS.groups for q in group.questions]


def test_the_key_questions_come_in_the_toolkits_three_groups_with_stable_ids():
    assert [(g.id, g.title, len(g.questions)) for g in QUESTIONS.groups] == [
        ("overview", "Overview Questions", 4),
        ("support-network", "Support Network Questions", 6),
        ("school-based", "School based questions", 8),
    ]
    for group in QUESTIONS.groups:
        assert [q.id for q in group.questions] == [f"{group.id}-{n}" for n in range(1, len(group.questions) + 1)]
    assert QUESTIONS.question_index["overview-2"].text == "What patterns are there in attendance and why?"


def test_every_question_is_verbatim_from_toolkit_4_in_order():
    source = SOURCE_GUIDE.read_text(encoding="utf-8")
    block = source[source.index("### Key Questions to support Proactive Partnership Working") : source.index("# Acknowledgements")]
    bullets = [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]
    assert [q.text for group in QUESTIONS.groups for q in group.questions] == bullets
    assert [f"#### {g.title}:" for g in QUESTIONS.groups] == re.findall(r"^#### .*$", block, flags=re.MULTILINE)


def test_the_agenda_lists_the_ticked_questions_with_notes_numbered_through():
    result = build_agenda({
        "meeting_date": "Tuesday 3 March, 3.30pm",
        "questions": {
            "overview-1": {"checked": True, "notes": "Bring the missed-learning figures\nEnglish and Maths"},
            "overview-2": {"checked": False},
            "school-based-4": {"checked": True},
            "support-network-3": {"notes": "Ask about the walk to school"},
        },
        "other_notes": "Room 4",
    })
    assert result["ok"] is True and result["items"] == 3
    md = result["markdown"]
    assert md.startswith("# Partnership meeting agenda\n\n**Meeting date:** Tuesday 3 March, 3.30pm\n")
    assert "## Overview Questions\n\n1. What is the young person's current attendance" in md
    assert "   *Notes:* Bring the missed-learning figures  \n   English and Maths" in md
    assert "## Support Network Questions\n\n2. What are the Push/Pull factors" in md  # notes put it on the agenda
    assert "## School based questions\n\n3. Who is the young person's key trusted adult within school?" in md
    assert "What patterns are there" not in md
    assert md.index("## Other notes\n\nRoom 4") < md.index("## Actions agreed")


def test_an_empty_checklist_gives_an_agenda_that_says_so():
    md = build_agenda({})["markdown"]
    assert "No questions chosen yet: tick the questions to discuss at the meeting." in md
    assert build_agenda(None)["ok"] is True


def test_notes_stay_text_in_the_agenda():
    md = build_agenda({"questions": {"overview-4": {"checked": True, "notes": "# not a heading <script>alert(1)</script> | x"}}})["markdown"]
    assert "*Notes:* \\# not a heading &lt;script&gt;alert(1)&lt;/script&gt; &#124; x" in md


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"pupil_name": "Tom"}, "‘pupil_name’ is not part of the meeting preparation, which keeps only the meeting date, notes on the key questions and other notes (never a pupil’s name or other details)."),
        ({"questions": {"overview-9": {"checked": True}}}, "‘overview-9’ is not one of the key questions."),
        ({"questions": {"overview-2": {"checked": "yes"}}}, "Question ‘What patterns are there in attendance and…’: ‘checked’ must be true or false."),
        ({"questions": {"overview-2": {"child": "Tom"}}}, "Question ‘What patterns are there in attendance and…’: ‘child’ is not kept (only whether it is ticked, and notes)."),
        ({"questions": ["overview-1"]}, "The answers to the key questions are not in the expected form."),
        ({"other_notes": 7}, "The other notes must be text."),
        ("agenda", "The meeting preparation is not in the expected form (a set of named values)."),
    ],
)
def test_unusable_preparation_is_explained_never_raised(values, problem):
    result = build_agenda(values)
    assert result["ok"] is False and plain(result["problems"]) == [problem]


@PROPERTY_SETTINGS
@given(st.dictionaries(st.sampled_from(QUESTION_IDS), st.fixed_dictionaries({"checked": st.booleans(), "notes": st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))})))
def test_every_chosen_question_is_on_the_agenda_once(answers):
    result = build_agenda({"questions": answers})
    chosen = [qid for qid in QUESTION_IDS if qid in answers and (answers[qid]["checked"] or answers[qid]["notes"].strip())]
    assert result["ok"] and result["items"] == len(chosen)
    for number, qid in enumerate(chosen, 1):
        assert result["markdown"].count(f"\n{number}. ") == 1
        assert QUESTIONS.question_index[qid].text in result["markdown"]


def test_the_page_gets_the_questions_and_the_agenda_through_the_bridge():
    data = json.loads(bridge.partnership_questions_json())
    assert data["id"] == "partnership-questions" and data["groups"][1]["questions"][0]["id"] == "support-network-1"
    assert set(data["groups"][0]["questions"][0]) == {"id", "number", "text"}
    made = json.loads(bridge.agenda(json.dumps({"questions": {"overview-1": {"checked": True}}})))
    assert made["ok"] is True and made["markdown"] == build_agenda({"questions": {"overview-1": {"checked": True}}})["markdown"]
    assert json.loads(bridge.agenda("nope")) == {"ok": False, "problems": ["Could not read the meeting preparation: it was not valid JSON."]}


def test_the_questions_file_is_not_taken_for_an_audit_framework():
    from audit_app.framework import framework_ids

    assert "partnership-questions" not in framework_ids() and FRAMEWORK.id in framework_ids()
