"""A leader compares the autumn baseline with the summer review: what moved, and by how much."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from hypothesis import given

from audit_app import bridge, compare
from audit_app.model import Details

from .support import FRAMEWORK, STATEMENT_IDS, plain, run_cli
from .team_support import OAIP, PROPERTY_SETTINGS, audits, build, saved_text

AUTUMN = build(
    FRAMEWORK,
    {
        "safe-ethos-1": "red",      # → amber: improved
        "safe-ethos-2": "amber",    # → green: improved
        "safe-ethos-3": "green",    # → amber: worse
        "safe-ethos-4": "amber",    # → amber: unchanged
        "safe-ethos-6": "red",      # → unrated: no longer rated
        "safe-ethos-7": "red",      # → green: improved by two steps
    },
    details=Details(school="Oakfield Primary", date="2025-10-01", completed_by="A. Head"),
)
SUMMER = build(
    FRAMEWORK,
    {
        "safe-ethos-1": "amber",
        "safe-ethos-2": "green",
        "safe-ethos-3": "amber",
        "safe-ethos-4": "amber",
        "safe-ethos-5": "green",    # newly rated
        "safe-ethos-7": "green",
    },
    details=Details(school="Oakfield Primary", date="2026-06-30", completed_by="A. Head"),
)


@pytest.fixture(scope="module")
def comparison() -> compare.Comparison:
    result = compare.compare_saved(saved_text(AUTUMN), saved_text(SUMMER))
    assert result.ok, result.problems
    return result.comparison


def test_each_statement_shows_how_it_moved(comparison):
    moved = {item.statement_id: (item.baseline_rating_label, item.review_rating_label, item.movement_label, item.points_change) for item in comparison.statements}
    assert moved["safe-ethos-1"] == ("Red", "Amber", "Improved", 1)
    assert moved["safe-ethos-2"] == ("Amber", "Green", "Improved", 1)
    assert moved["safe-ethos-3"] == ("Green", "Amber", "Worse", -1)
    assert moved["safe-ethos-4"] == ("Amber", "Amber", "Unchanged", 0)
    assert moved["safe-ethos-5"] == ("Not yet rated", "Green", "Newly rated", None)
    assert moved["safe-ethos-6"] == ("Red", "Not yet rated", "No longer rated", None)
    assert moved["safe-ethos-7"] == ("Red", "Green", "Improved", 2)
    assert moved["safe-ethos-8"] == ("Not yet rated", "Not yet rated", "Not rated", None)
    assert [item.statement_id for item in comparison.statements] == STATEMENT_IDS


def test_every_level_shows_the_change_in_score_and_coverage(comparison):
    overall = comparison.overall
    # Autumn: 0+1+2+1+0+0 = 4 of 12 points = 33%; summer: 1+2+1+1+2+2 = 9 of 12 = 75%.
    assert (overall.baseline.percent, overall.review.percent, overall.percent_change) == (33, 75, 42)
    assert (overall.coverage_percent_baseline, overall.coverage_percent_review, overall.coverage_change, overall.rated_change) == (15, 15, 0, 0)
    assert overall.movements == {"improved": 3, "worse": 1, "unchanged": 1, "newly-rated": 1, "no-longer-rated": 1, "not-rated": 33}
    ethos = comparison.sections[0].subsections[0].change
    assert (ethos.baseline.rated, ethos.review.rated, ethos.coverage_percent_baseline, ethos.coverage_change) == (6, 6, 75, 0)
    untouched = comparison.sections[2].change
    assert untouched.percent_change is None and untouched.coverage_change == 0


def test_the_markdown_report_reads_as_a_summary_then_every_area_then_every_statement(comparison):
    md = compare.render(comparison, "md")
    assert md.startswith("# Relational Approaches Audit: comparison of two audits\n")
    assert "| Date | 2025-10-01 | 2026-06-30 |" in md
    assert "- **Score:** 33% (Red) in the baseline, 75% (Green) in the review: +42 percentage points." in md
    assert "- **Statements:** 3 improved, 1 worse, 1 unchanged, 1 newly rated, 1 no longer rated, 33 not rated." in md
    assert "|  | **Whole audit** | 33% Red | 75% Green | +42 | 6 of 40 | 6 of 40 | 0 | 3 | 1 |" in md
    assert "| 1.1.3 | We have shared belief that families and carers are doing the best they can at the time, working in the best interests of the child. We are open and non-judgemental | Green | Amber | Worse |" in md
    assert "### 3.3 Personalised support for individual children and young people (Positive relationships and interactions)" in md


def test_the_json_export_is_the_figures_the_page_gets(comparison):
    data = json.loads(compare.render(comparison, "json"))
    page = json.loads(bridge.compare(saved_text(AUTUMN), saved_text(SUMMER)))
    assert page == {"ok": True, **data}
    assert data["framework"] == {"id": FRAMEWORK.id, "version": FRAMEWORK.version, "title": FRAMEWORK.title}
    assert data["overall"]["percent_change"] == 42 and data["overall"]["review"]["band"] == "green"
    assert data["statements"][0] == {
        "statement_id": "safe-ethos-1", "ref": "1.1.1", "section_id": "safe", "section_title": "Feeling safe in school",
        "subsection_id": "safe-ethos", "subsection_title": "Whole School values and ethos", "text": FRAMEWORK.statement_index["safe-ethos-1"][2].text,
        "baseline_rating": "red", "baseline_rating_label": "Red", "review_rating": "amber", "review_rating_label": "Amber",
        "movement": "improved", "movement_label": "Improved", "points_change": 1,
    }
    assert data["baseline_details"]["date"] == "2025-10-01" and data["notices"] == []


def test_the_workbook_has_a_summary_and_a_statement_sheet_and_is_deterministic(comparison):
    xlsx = compare.render(comparison, "xlsx")
    assert xlsx == compare.render(comparison, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["Summary", "Statements"]
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    whole = next(row for row in summary if row[1] == "Whole audit")
    assert whole[2:10] == [33, "Red", 75, "Green", 42, 15, 15, 0]
    statements = [[c.value for c in row] for row in book["Statements"].iter_rows()]
    assert statements[0][:7] == ["Ref", "Section", "Subsection", "Statement", "Baseline rating", "Review rating", "Movement"]
    assert statements[7][0] == "1.1.7" and statements[7][4:] == ["Red", "Green", "Improved", 2]
    assert book["Statements"]["E2"].fill.start_color.rgb.endswith("FFC7CE")


def test_hostile_details_stay_inert_in_every_format():
    hostile = build(FRAMEWORK, details=Details(school='=HYPERLINK("http://evil.example")', completed_by="a | b <script>"))
    result = compare.compare_saved(saved_text(hostile), saved_text(hostile)).comparison
    assert "a &#124; b &lt;script&gt;" in compare.render(result, "md")
    book = openpyxl.load_workbook(io.BytesIO(compare.render(result, "xlsx")))
    assert book["Summary"]["B3"].value == "'=HYPERLINK(\"http://evil.example\")" and book["Summary"]["B3"].data_type == "s"


def test_two_different_audits_cannot_be_compared():
    result = compare.compare_saved(saved_text(AUTUMN), saved_text(build(OAIP)), names=("autumn.json", "oaip.json"))
    assert plain(result.problems) == (
        "The two files are different audits: autumn.json is a saved Relational Approaches Audit and oaip.json is a saved "
        "OAIP self-review: Attendance and belonging. Only two saved copies of the same audit can be compared.",
    )


def test_a_broken_file_is_named_in_the_problem():
    result = compare.compare_saved(saved_text(AUTUMN), "{")
    assert not result.ok and result.problems[0].startswith("The review: The file is not one this site can read: it is not valid JSON")


def test_an_older_version_is_brought_up_to_date_and_the_notice_says_which_file():
    raw = json.loads(saved_text(AUTUMN))
    raw["framework"]["version"] = "2024-01"
    result = compare.compare_saved(json.dumps(raw), saved_text(SUMMER))
    assert result.ok and plain(result.comparison.notices[0]).startswith("The baseline: This audit was saved with version 2024-01")


def test_audits_for_different_settings_are_compared_for_the_reviews_setting():
    school = build(OAIP, {"curiosity-classroom-1": "red", "curiosity-early-years-1": "red"}, details=Details(setting="school"))
    early_years = build(OAIP, {"curiosity-classroom-1": "green", "curiosity-early-years-1": "green"}, details=Details(setting="early-years"))
    result = compare.compare(OAIP, school, early_years)
    assert result.notices == ("The baseline was recorded for ‘School’ and the review for ‘Early years setting’, so both are compared for ‘Early years setting’.",)
    assert [item.statement_id for item in result.statements if item.movement == "improved"] == ["curiosity-early-years-1"]
    assert result.overall.review.total == 21 and result.as_dict()["baseline_details"]["setting"] == "school"


@PROPERTY_SETTINGS
@given(audits(FRAMEWORK))
def test_comparing_an_audit_with_itself_shows_no_movement(audit):
    _assert_no_movement(compare.compare(FRAMEWORK, audit, audit))


@PROPERTY_SETTINGS
@given(audits(OAIP))
def test_comparing_an_oaip_self_review_with_itself_shows_no_movement(audit):
    result = compare.compare_saved(saved_text(audit), saved_text(audit))
    assert result.ok and result.comparison.notices == ()
    _assert_no_movement(result.comparison)


def _assert_no_movement(result: compare.Comparison) -> None:
    assert {item.movement for item in result.statements} <= {"unchanged", "not-rated"}
    levels = [result.overall] + [s.change for s in result.sections] + [sub.change for s in result.sections for sub in s.subsections]
    for level in levels:
        assert level.percent_change in (0, None) and (level.percent_change is None) == (level.review.percent is None)
        assert level.coverage_change == 0 and level.rated_change == 0
        assert level.movements["improved"] == level.movements["worse"] == level.movements["newly-rated"] == level.movements["no-longer-rated"] == 0


@PROPERTY_SETTINGS
@given(audits(FRAMEWORK), audits(FRAMEWORK))
def test_movements_agree_with_the_ratings_and_add_up(before, after):
    result = compare.compare(FRAMEWORK, before, after)
    points = {rating.id: rating.points for rating in FRAMEWORK.ratings}
    for item in result.statements:
        if item.baseline_rating and item.review_rating:
            assert item.points_change == points[item.review_rating] - points[item.baseline_rating]
    assert sum(result.overall.movements.values()) == result.overall.review.total == len(result.statements)
    assert result.overall.rated_change == result.overall.movements["newly-rated"] - result.overall.movements["no-longer-rated"]


def test_the_page_gets_problems_not_exceptions():
    assert json.loads(bridge.compare("{", saved_text(SUMMER)))["ok"] is False
    assert json.loads(bridge.compare(42, saved_text(SUMMER)))["problems"] == ["The baseline: the audit could not be read: it was not text."]
    assert json.loads(bridge.compare(saved_text(AUTUMN), saved_text(SUMMER), "nope"))["problems"] == ["There is no audit framework called 'nope'."]
    assert bridge.compare_export(saved_text(AUTUMN), "[]", "xlsx").startswith('{"ok": false')
    assert bridge.compare_export(saved_text(AUTUMN), saved_text(SUMMER), "xlsx")[:2] == b"PK"
    assert bridge.compare_export(saved_text(AUTUMN), saved_text(SUMMER), "md") == compare.render(compare.compare(FRAMEWORK, AUTUMN, SUMMER), "md")
    with pytest.raises(ValueError):
        bridge.compare_export(saved_text(AUTUMN), saved_text(SUMMER), "csv")


@pytest.fixture
def audit_files(tmp_path):
    old, new = tmp_path / "autumn.json", tmp_path / "summer.json"
    old.write_text(saved_text(AUTUMN), encoding="utf-8")
    new.write_text(saved_text(SUMMER), encoding="utf-8")
    return old, new


def test_a_leader_compares_on_the_command_line(audit_files, tmp_path):
    old, new = audit_files
    result = run_cli("compare", str(old), str(new))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").startswith("# Relational Approaches Audit: comparison of two audits")
    assert json.loads(run_cli("compare", str(old), str(new), "--format", "json").stdout)["overall"]["percent_change"] == 42
    out = tmp_path / "changes.xlsx"
    assert run_cli("compare", str(old), str(new), "--format", "xlsx", "-o", str(out)).returncode == 0
    assert openpyxl.load_workbook(out).sheetnames == ["Summary", "Statements"]
    assert run_cli("compare", str(old), str(new), "--format", "xlsx").returncode == 2
    assert "compare" in run_cli("--help").stdout.decode()


def test_comparing_different_audits_on_the_command_line_exits_1(audit_files, tmp_path):
    old, _ = audit_files
    other = tmp_path / "oaip.json"
    other.write_text(saved_text(build(OAIP)), encoding="utf-8")
    result = run_cli("compare", str(old), str(other))
    assert result.returncode == 1 and result.stdout == b""
    assert "The audits could not be compared:" in result.stderr.decode("utf-8")
    assert "is a saved OAIP self-review" in result.stderr.decode("utf-8")
