"""Saved-audit files: a leader saves, reopens, migrates, and is told plainly what is wrong."""

from __future__ import annotations

import dataclasses
import json

from audit_app import savefile
from audit_app.framework import parse_framework
from audit_app.json_input import ENCODING_PROBLEM, MAX_FILE_BYTES
from audit_app.model import Details, Response, empty_audit

from .support import FRAMEWORK, STATEMENT_IDS, SUBSECTION_IDS, audit_with, load_dict, plain, saved, saved_dict
from .test_framework_data import RAW


def test_a_leader_reopens_a_saved_audit_exactly_as_it_was():
    audit = audit_with(
        {"safe-ethos-1": "red", "safe-ethos-2": "amber", "relationships-individual-6": "green"},
        responses={"safe-ethos-1": {"evidence": "Staff survey", "next_step": "Plan INSET", "owner": "Head", "target_date": "2025-07-01", "success_criteria": "All staff trained", "review_date": "next term"}},
        details=Details(school="Oakfield Primary", date="1 May 2025", completed_by="J. Smith"),
        notes={"safe-ethos": "Discussed at SLT"},
    )
    result = savefile.load(saved(audit), FRAMEWORK)
    assert result.ok and result.problems == () and result.notices == ()
    assert result.audit == audit


def test_the_saved_file_has_a_schema_version_and_the_framework_id_and_version():
    data = json.loads(saved(empty_audit(FRAMEWORK)))
    assert data["schema"] == "belonging-audit/1"
    assert data["framework"] == {"id": "relational-approaches-audit", "version": "2025-04"}
    assert list(data["responses"]) == STATEMENT_IDS
    assert list(data["subsection_notes"]) == SUBSECTION_IDS
    assert data["responses"]["safe-ethos-1"] == {
        "rating": None, "evidence": "", "next_step": "", "owner": "", "target_date": "", "success_criteria": "", "review_date": "",
    }
    assert data["details"] == {"school": "", "date": "", "completed_by": ""}


def test_the_saved_file_is_deterministic_readable_json():
    text = saved(audit_with({"safe-ethos-1": "green"}, details=Details(school="École Saint-Jean ✓")))
    assert text.endswith("}\n") and text == saved(audit_with({"safe-ethos-1": "green"}, details=Details(school="École Saint-Jean ✓")))
    assert "École Saint-Jean ✓" in text and '\n  "framework": {' in text


def test_a_browser_file_that_omits_untouched_statements_and_empty_fields_loads_complete():
    result = load_dict(saved_dict(responses={"safe-practice-3": {"rating": "amber"}}, details={"school": "Oak"}))
    assert result.ok
    assert result.audit.response("safe-practice-3") == Response(rating="amber")
    assert result.audit.response("safe-ethos-1") == Response()
    assert set(result.audit.responses) == set(STATEMENT_IDS)
    assert result.audit.details == Details(school="Oak")
    assert result.audit.subsection_notes == {sub: "" for sub in SUBSECTION_IDS}


def test_dates_are_kept_as_typed_whether_iso_or_not():
    result = load_dict(saved_dict(details={"date": "Summer term 2025"}, responses={"safe-ethos-1": {"target_date": "by half term", "review_date": "2025-09-01"}}))
    assert result.ok
    assert result.audit.details.date == "Summer term 2025"
    assert result.audit.response("safe-ethos-1").target_date == "by half term"


def test_ratings_typed_as_labels_or_blank_are_understood():
    result = load_dict(saved_dict(responses={"safe-ethos-1": {"rating": "Green"}, "safe-ethos-2": {"rating": ""}, "safe-ethos-3": None}))
    assert result.ok
    assert result.audit.response("safe-ethos-1").rating == "green"
    assert result.audit.response("safe-ethos-2").rating is None


def test_unknown_top_level_keys_are_ignored():
    assert load_dict(saved_dict(savedAt="2025-05-01T10:00", ui={"tab": 2})).ok


def test_a_leader_is_told_in_plain_english_which_statement_has_a_bad_rating():
    result = load_dict(saved_dict(responses={"safe-ethos-2": {"rating": "purple"}}))
    assert not result.ok and result.audit is None
    assert plain(result.problems) == (
        "Statement 1.1.2 (‘Commitment to hearing the voice of young…’): the rating must be Red, Amber, Green "
        "or left blank; the file has 'purple'.",
    )


def test_every_problem_in_a_file_is_listed_and_nothing_is_half_loaded():
    result = load_dict(
        saved_dict(
            details={"school": 42},
            responses={"safe-ethos-1": {"rating": "amber", "evidence": ["a"]}, "safe-ethos-3": "green", "safe-ethos-4": {"owner": 4}},
            subsection_notes={"safe-practice": {"text": "hi"}},
        )
    )
    assert result.audit is None
    assert plain(result.problems) == (
        "The ‘School’ detail must be text; the file has the number 42.",
        "Statement 1.1.1 (‘The School leadership team (SLT) are…’): the evidence must be text; the file has a list.",
        "Statement 1.1.3 (‘We have shared belief that families and…’): the answer is not in the expected form (the file has 'green').",
        "Statement 1.1.4 (‘Open communication from all staff in the…’): the owner must be text; the file has the number 4.",
        "The additional notes for 1.2 Whole School practice (Feeling safe in school) must be text; the file has a group of values.",
    )


def test_a_file_without_a_schema_is_not_taken_for_an_audit():
    raw = saved_dict()
    del raw["schema"]
    assert load_dict(raw).problems == ("The file is not a saved audit from this site (it has no 'schema').",)
    assert plain(load_dict(saved_dict(schema="belonging-framework/1")).problems) == (
        "The file is not a saved audit from this site (its 'schema' is 'belonging-framework/1').",
    )
    assert savefile.load("[1, 2]", FRAMEWORK).problems == (
        "The file is not a saved audit from this site (it holds a list).",
    )


def test_a_file_from_a_newer_version_of_the_site_is_refused_with_advice():
    (problem,) = load_dict(saved_dict(schema="belonging-audit/2")).problems
    assert "saved by a newer version of this site" in problem


def test_a_file_for_another_framework_is_refused():
    (problem,) = load_dict(saved_dict(framework={"id": "oaip-attendance", "version": "1"})).problems
    assert plain(problem) == "The file is a saved ‘oaip-attendance’, not a saved Relational Approaches Audit, so it cannot be opened here."
    assert load_dict(saved_dict(framework="relational-approaches-audit")).problems == (
        "The file does not say which audit it belongs to (its 'framework' entry is missing or damaged).",
    )


def test_empty_broken_binary_and_oversized_files_return_problems():
    assert savefile.load("", FRAMEWORK).problems == ("The file is empty.",)
    (broken,) = savefile.load('{"schema": "belonging-audit/1", "respo', FRAMEWORK).problems
    assert "not valid JSON" in broken and "line 1" in broken and "cut short" in broken
    assert savefile.load(b"\x89PNG\r\n\x1a\n\x00\x00", FRAMEWORK).problems == (ENCODING_PROBLEM,)
    (large,) = savefile.load(b" " * (MAX_FILE_BYTES + 2), FRAMEWORK).problems
    assert large.startswith("The file is too large (32.0 MB).")
    assert savefile.load("[" * 100_000 + "]" * 100_000, FRAMEWORK).problems


def test_a_file_saved_by_excel_or_notepad_with_a_byte_order_mark_still_opens():
    text = saved(audit_with({"safe-ethos-1": "amber"}))
    assert savefile.load("\ufeff" + text, FRAMEWORK).ok
    assert savefile.load(("\ufeff" + text).encode("utf-8"), FRAMEWORK).ok


def test_an_answer_for_an_unknown_statement_is_reported_with_what_it_held():
    result = load_dict(saved_dict(responses={"safe-ethos-99": {"rating": "red", "evidence": "We had a plan"}}))
    assert result.ok
    assert plain(result.notices) == (
        "The file has an answer for a statement this version of the Relational Approaches Audit does not "
        "include (‘safe-ethos-99’), so it was not loaded. The file had: rating Red; evidence “We had a plan”.",
    )


def test_an_audit_from_an_older_framework_version_migrates_and_names_removed_statements():
    # A later version of the framework drops statement 1.1.8 and records it as retired.
    newer = json.loads(json.dumps(RAW))
    newer["version"] = "2026-01"
    removed = newer["sections"][0]["subsections"][0]["statements"].pop()
    newer["retired_statements"] = [{"id": removed["id"], "ref": "1.1.8", "text": removed["text"]}]
    framework = parse_framework(json.dumps(newer), "relational-approaches-audit.json")
    old_file = saved(audit_with({"safe-ethos-1": "green", "safe-ethos-8": "amber"}, responses={"safe-ethos-8": {"next_step": "Join ARC"}}))

    result = savefile.load(old_file, framework)

    assert result.ok
    assert result.audit.framework_version == "2026-01"
    assert result.audit.response("safe-ethos-1").rating == "green"
    assert "safe-ethos-8" not in result.audit.responses
    version_notice, removed_notice = plain(result.notices)
    assert "saved with version 2025-04" in version_notice and "version 2026-01" in version_notice
    assert removed_notice == (
        f"Statement 1.1.8 (‘{removed['text']}’) is no longer part of the Relational Approaches Audit, so its "
        "answer was not carried over. The file had: rating Amber; next step “Join ARC”."
    )
    assert json.loads(savefile.dumps(result.audit, framework))["framework"]["version"] == "2026-01"


def test_notes_for_an_unknown_subsection_are_reported_not_dropped():
    result = load_dict(saved_dict(subsection_notes={"old-part": "Keep this idea"}))
    assert result.ok
    assert plain(result.notices) == (
        "The file has additional notes for a part of the audit this version does not include (‘old-part’), "
        "so they were not loaded. The notes were: “Keep this idea”",
    )


def test_a_file_with_hundreds_of_faults_lists_the_first_and_counts_the_rest():
    result = load_dict(saved_dict(responses={statement_id: {"rating": 7, "evidence": 7} for statement_id in STATEMENT_IDS}))
    assert len(result.problems) == savefile.MAX_MESSAGES + 1
    assert result.problems[-1] == "…and 55 more problems like these."


def test_half_an_emoji_is_repaired_with_a_notice_not_a_refusal_or_a_crash_later():
    result = savefile.load('{"schema": "belonging-audit/1", "framework": {"id": "relational-approaches-audit", "version": "2025-04"}, "responses": {"safe-ethos-1": {"evidence": "ok \\ud800", "rating": "red"}}}', FRAMEWORK)
    assert result.ok and result.audit.response("safe-ethos-1") == Response(rating="red", evidence="ok \ufffd")
    assert result.notices == ("Statement 1.1.1 (‘The School leadership team (SLT) are…’): the evidence held a damaged character (for example, half of an emoji), replaced with �.",)
    assert savefile.dumps(result.audit, FRAMEWORK).encode("utf-8")


def test_audits_compare_equal_only_when_everything_matches():
    a = audit_with({"safe-ethos-1": "red"})
    assert a == audit_with({"safe-ethos-1": "red"})
    assert a != dataclasses.replace(a, details=Details(school="x"))
