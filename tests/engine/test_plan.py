"""The action plan: Red first, then Amber, in framework order; Green with a next step to sustain."""

from __future__ import annotations

from audit_app.plan import COLUMNS, build_plan

from .support import FRAMEWORK, audit_with, rate_all


def test_a_leader_gets_red_actions_first_then_amber_in_framework_order():
    audit = audit_with(
        {
            "safe-ethos-2": "amber",
            "relationships-practice-1": "red",
            "safe-ethos-5": "red",
            "personalised-ethos-1": "amber",
            "safe-ethos-3": "green",
        }
    )
    plan = build_plan(FRAMEWORK, audit)
    assert [(a.statement_id, a.rating, a.kind) for a in plan] == [
        ("safe-ethos-5", "red", "improve"),
        ("relationships-practice-1", "red", "improve"),
        ("safe-ethos-2", "amber", "improve"),
        ("personalised-ethos-1", "amber", "improve"),
    ]


def test_green_statements_with_a_next_step_become_sustain_actions_at_the_end():
    audit = audit_with(
        {"safe-ethos-1": "green", "safe-ethos-2": "green", "relationships-individual-6": "amber"},
        responses={"safe-ethos-2": {"next_step": "Keep the termly survey"}, "safe-ethos-1": {"next_step": "   "}},
    )
    plan = build_plan(FRAMEWORK, audit)
    assert [(a.statement_id, a.kind) for a in plan] == [("relationships-individual-6", "improve"), ("safe-ethos-2", "sustain")]


def test_an_unrated_statement_is_never_an_action():
    audit = audit_with(responses={"safe-ethos-1": {"next_step": "Think about it", "evidence": "Some"}})
    assert build_plan(FRAMEWORK, audit) == ()
    assert build_plan(FRAMEWORK, rate_all(None)) == ()


def test_actions_carry_the_notes_and_action_fields_and_the_statement_context():
    fields = {
        "evidence": "No survey yet",
        "next_step": "Run a pupil voice survey",
        "owner": "Deputy head",
        "target_date": "2025-12-01",
        "success_criteria": "80% response rate",
        "review_date": "Spring term",
    }
    (action,) = build_plan(FRAMEWORK, audit_with({"safe-ethos-1": "red"}, responses={"safe-ethos-1": fields}))
    assert {key: getattr(action, key) for key in fields} == fields
    assert (action.number, action.section_title, action.subsection_title) == ("1.1.1", "Feeling safe in school", "Whole School values and ethos")
    assert (action.rating_label, action.kind) == ("Red", "improve")
    assert len(action.examples) == 5
    assert action.statement_with_examples.splitlines()[1].startswith("• There is an appreciation")


def test_the_tabular_plan_has_one_column_definition():
    assert [header for header, _ in COLUMNS] == [
        "Ref", "Section", "Subsection", "Statement", "Rating", "Type",
        "Evidence", "Next step", "Owner", "Target date", "Success criteria", "Review date",
    ]
