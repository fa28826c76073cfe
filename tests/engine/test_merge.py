"""A lead moderates the team's audits: the spread of ratings, everyone's notes, a draft agreed audit."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app import bridge, merge, savefile
from audit_app.model import Details, Response

from .support import FRAMEWORK, STATEMENT_IDS, plain, run_cli
from .team_support import OAIP, PROPERTY_SETTINGS, audits, build, saved_text

SAM = build(
    FRAMEWORK,
    {"safe-ethos-1": "green", "safe-ethos-2": "red", "safe-ethos-3": "amber"},
    responses={
        "safe-ethos-1": {"evidence": "Assemblies every week", "next_step": "Keep going", "owner": "Head"},
        "safe-ethos-2": {"evidence": "No pupil voice yet", "next_step": "Start a school council"},
    },
    details=Details(school="Oakfield Primary", date="2026-01-10", completed_by="Sam"),
    notes={"safe-ethos": "Sam's thoughts"},
)
JO = build(
    FRAMEWORK,
    {"safe-ethos-1": "green", "safe-ethos-2": "amber"},
    responses={
        "safe-ethos-1": {"evidence": "Assemblies every week", "next_step": "Keep going", "owner": "Head"},
        "safe-ethos-2": {"evidence": "Council started in 2024", "next_step": "Survey pupils"},
    },
    details=Details(school="Oakfield Primary", date="2026-01-12"),
)
ALEX = build(FRAMEWORK, {"safe-ethos-1": "green", "safe-ethos-2": "red"}, details=Details(school="Oakfield Primary", date="2026-01-10"))
FILES = [("sam.json", saved_text(SAM)), ("jo.json", saved_text(JO)), ("", saved_text(ALEX))]


@pytest.fixture(scope="module")
def team() -> merge.MergeResult:
    result = merge.merge_saved(FILES)
    assert result.ok, result.problems
    return result


def spread_of(result: merge.MergeResult, statement_id: str) -> dict:
    return next(item for item in result.spread if item["statement_id"] == statement_id)


def test_colleagues_are_named_by_completed_by_then_file_name_then_number(team):
    assert [c.name for c in team.colleagues] == ["Sam", "jo.json", "Colleague 3"]
    twins = merge.merge_saved([("a.json", saved_text(SAM)), ("b.json", saved_text(SAM))])
    assert [c.name for c in twins.colleagues] == ["Sam", "Sam (2)"]


def test_the_spread_shows_who_rated_what_and_flags_disagreement(team):
    agreed = spread_of(team, "safe-ethos-1")
    assert agreed["counts"] == {"red": 0, "amber": 0, "green": 3, "unrated": 0}
    assert agreed["disagreement"] is False and agreed["agreed_rating"] == "green"
    split = spread_of(team, "safe-ethos-2")
    assert split["counts"] == {"red": 2, "amber": 1, "green": 0, "unrated": 0}
    assert split["ratings"] == [
        {"name": "Sam", "rating": "red", "rating_label": "Red"},
        {"name": "jo.json", "rating": "amber", "rating_label": "Amber"},
        {"name": "Colleague 3", "rating": "red", "rating_label": "Red"},
    ]
    assert split["disagreement"] is True and split["agreed_rating"] is None
    # Leaving a statement unrated is not disagreeing: one Amber and two blanks is agreement.
    alone = spread_of(team, "safe-ethos-3")
    assert (alone["disagreement"], alone["agreed_rating"], alone["counts"]["unrated"]) == (False, "amber", 2)
    assert spread_of(team, "safe-ethos-4")["agreed_rating"] is None
    assert merge.summary(team) == {"statements": 40, "agreed": 2, "disagreement": 1, "not_rated": 37}


def test_everyones_notes_are_side_by_side(team):
    notes = spread_of(team, "safe-ethos-2")["notes"]
    assert [(n["name"], n["evidence"], n["next_step"]) for n in notes] == [
        ("Sam", "No pupil voice yet", "Start a school council"),
        ("jo.json", "Council started in 2024", "Survey pupils"),
        ("Colleague 3", "", ""),
    ]
    assert set(notes[0]) == {"name", "evidence", "next_step", "owner", "target_date", "success_criteria", "review_date"}
    assert team.note_spread[0]["notes"][0] == {"name": "Sam", "note": "Sam's thoughts"}


def test_the_agreed_audit_is_prefilled_where_everyone_agreed_and_gathers_the_notes(team):
    agreed = team.agreed
    assert agreed.response("safe-ethos-1") == Response(
        rating="green", evidence="Sam, jo.json: Assemblies every week", next_step="Keep going", owner="Head"
    )
    disputed = agreed.response("safe-ethos-2")
    assert disputed.rating is None and disputed.next_step == ""
    assert disputed.evidence == (
        "Sam: No pupil voice yet\n\njo.json: Council started in 2024\n\n"
        "Sam (next step): Start a school council\n\njo.json (next step): Survey pupils"
    )
    assert agreed.response("safe-ethos-3").rating == "amber"
    assert agreed.note("safe-ethos") == "Sam: Sam's thoughts"
    assert agreed.details == Details(school="Oakfield Primary", date="2026-01-10 / 2026-01-12", completed_by="Sam")


def test_the_agreed_audit_is_a_normal_saved_audit(team):
    text = savefile.dumps(team.agreed, FRAMEWORK)
    reopened = json.loads(bridge.load_saved(text))
    assert reopened["ok"] is True and reopened["notices"] == []
    assert reopened["audit"] == json.loads(text)


def test_the_spread_report_is_readable_markdown_and_json(team):
    md = merge.render_report(team, "md")
    assert md.startswith("# Relational Approaches Audit: team ratings side by side\n")
    assert "Audits from: Sam, jo.json, Colleague 3." in md
    assert "### 1.1.2 · Ratings differ" in md and "### 1.1.1 · Agreed: Green" in md
    assert "Ratings: Red 2, Amber 1, Green 0, not yet rated 0." in md
    assert "- **jo.json**: Amber\n  - Evidence: Council started in 2024\n  - Next step: Survey pupils" in md
    assert "### 1.1.4 · Not rated by anyone\n\n*Feeling safe in school › Whole School values and ethos*\n\nOpen communication from all staff in the school\n\nRatings: Red 0, Amber 0, Green 0, not yet rated 3.\n\n*Nobody rated this statement or wrote anything for it.*" in md
    assert json.loads(merge.render_report(team, "json")) == team.as_dict()


def test_notes_too_long_for_one_saved_field_are_cut_with_a_notice_and_kept_in_the_spread():
    long = "x" * (savefile.MAX_TEXT_CHARS - 1)
    files = [(f"c{i}.json", saved_text(build(FRAMEWORK, responses={"safe-ethos-1": {"evidence": long + str(i)}}))) for i in range(2)]
    result = merge.merge_saved(files)
    evidence = result.agreed.response("safe-ethos-1").evidence
    assert len(evidence) == savefile.MAX_TEXT_CHARS and evidence.endswith("the team's full notes are in the spread report.]")
    assert result.notices == ("The team's text for the evidence for statement 1.1.1 was longer than a box on the form holds, so the agreed audit has the start of it; the spread report has all of it.",)
    assert savefile.load(savefile.dumps(result.agreed, FRAMEWORK), FRAMEWORK).ok
    assert spread_of(result, "safe-ethos-1")["notes"][1]["evidence"] == long + "1"


def test_audits_for_different_settings_leave_the_setting_for_the_lead():
    school = build(OAIP, {"curiosity-classroom-1": "green"}, details=Details(setting="school", completed_by="Sam"))
    nursery = build(OAIP, {"curiosity-classroom-1": "green"}, details=Details(setting="early-years", completed_by="Jo"))
    result = merge.merge_saved([("", saved_text(school)), ("", saved_text(nursery))])
    assert result.agreed.details.setting == "" and len(result.spread) == 26
    assert plain(result.notices) == ("The audits were recorded for different settings (Sam: School; Jo: Early years setting), so the agreed audit has no setting chosen and covers every part; choose the setting before settling it.",)
    same = merge.merge_saved([("", saved_text(school)), ("", saved_text(school))])
    assert same.agreed.details.setting == "school" and len(same.spread) == 16 and same.notices == ()


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ([], "Choose at least one saved audit to merge."),
        ([("sam.json", saved_text(SAM)), ("notes.json", "just notes")], "notes.json: The file is not one this site can read: it is not valid JSON (the first fault is on line 1, column 1). It may have been cut short or changed by another program."),
        ([("sam.json", saved_text(SAM)), ("oaip.json", saved_text(build(OAIP)))], "The files are not all the same audit: sam.json is a saved Relational Approaches Audit but oaip.json is a saved OAIP self-review: Attendance and belonging. Only saved copies of the same audit can be merged."),
        ([("", "")], "File 1: The file is empty."),
        ([("x", saved_text(SAM))] * 51, "At most 50 audits can be merged at once; 51 were given."),
    ],
)
def test_files_that_cannot_be_merged_are_explained(files, problem):
    result = merge.merge_saved(files)
    assert not result.ok and plain(result.problems[0]) == problem
    assert result.as_dict() == {"ok": False, "problems": list(result.problems)}


@PROPERTY_SETTINGS
@given(st.sampled_from([FRAMEWORK, OAIP]).flatmap(audits))
def test_merging_one_file_gives_that_file(audit):
    # "Gives that file": the agreed audit equals the audit read from the file, every rating, text,
    # note and detail, with nothing labelled; so its saved form is the file's saved form.
    framework = OAIP if audit.framework_id == OAIP.id else FRAMEWORK
    text = saved_text(audit)
    result = merge.merge_saved([("mine.json", text)])
    assert result.ok and result.notices == ()
    assert result.agreed == savefile.load(text, framework).audit == audit
    assert savefile.dumps(result.agreed, framework) == text
    assert all(not item["disagreement"] for item in result.spread)


@PROPERTY_SETTINGS
@given(st.lists(audits(FRAMEWORK), min_size=2, max_size=4))
def test_a_merged_team_audit_always_reopens_and_keeps_agreed_ratings(team_audits):
    result = merge.merge_saved([(f"c{i}.json", saved_text(a)) for i, a in enumerate(team_audits)])
    assert savefile.load(savefile.dumps(result.agreed, FRAMEWORK), FRAMEWORK).audit == result.agreed
    for statement_id in STATEMENT_IDS:
        given_ratings = {a.response(statement_id).rating for a in team_audits} - {None}
        assert result.agreed.response(statement_id).rating == (given_ratings.pop() if len(given_ratings) == 1 else None)


def test_the_page_merges_through_the_bridge():
    files = json.dumps([{"name": name, "text": text} for name, text in FILES])
    result = json.loads(bridge.merge(files))
    assert set(result) == {"ok", "framework", "colleagues", "setting", "summary", "spread", "subsection_notes", "agreed", "notices"}
    assert result["ok"] is True and result["colleagues"] == ["Sam", "jo.json", "Colleague 3"]
    assert result["agreed"] == json.loads(savefile.dumps(merge.merge_saved(FILES).agreed, FRAMEWORK))
    assert bridge.merge_report(files).startswith("# Relational Approaches Audit: team ratings side by side")


@pytest.mark.parametrize(
    ("files_json", "problem"),
    [
        ("not json", "Could not read the list of files: it was not valid JSON."),
        ('{"name": "x"}', "The files to merge must be a list of {name, data} entries."),
        ('[{"name": "x", "text": 5}]', "The files to merge must be a list of {name, data} entries."),
        ("[]", "Choose at least one saved audit to merge."),
    ],
)
def test_the_bridge_explains_a_bad_list_of_files(files_json, problem):
    assert json.loads(bridge.merge(files_json)) == {"ok": False, "problems": [problem]}
    assert json.loads(bridge.merge_report(files_json)) == {"ok": False, "problems": [problem]}


def test_a_lead_merges_on_the_command_line(tmp_path):
    paths = []
    for name, text in FILES:
        path = tmp_path / (name or "third.json")
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    out, report = tmp_path / "agreed.json", tmp_path / "spread.md"
    result = run_cli("merge", *paths, "-o", str(out), "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert plain(result.stderr.decode("utf-8")).endswith(
        "Merged 3 audits (Sam, jo.json, third.json): 2 statements agreed, 1 with different ratings (left unrated), 37 not rated by anyone.\n"
    )
    assert run_cli("validate", str(out)).returncode == 0
    assert report.read_text(encoding="utf-8").startswith("# Relational Approaches Audit: team ratings side by side")
    as_json = tmp_path / "spread.json"
    assert run_cli("merge", *paths, "-o", str(out), "--report", str(as_json)).returncode == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["summary"]["disagreement"] == 1
    to_stdout = run_cli("merge", paths[0])
    assert to_stdout.stdout.decode("utf-8") == FILES[0][1]


def test_merging_broken_files_on_the_command_line_exits_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    result = run_cli("merge", str(bad), "-o", str(tmp_path / "agreed.json"))
    assert result.returncode == 1 and not (tmp_path / "agreed.json").exists()
    assert "bad.json: The file is not a saved audit from this site (it holds a list)." in plain(result.stderr.decode("utf-8"))
