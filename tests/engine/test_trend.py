"""A leader who audited in September and re-audited in January sees, on one page, what moved.

The trend is worked out by the engine from the audits kept on the school's
device, oldest first, and drawn by the page from these figures.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given

from audit_app import bridge, compare, history, trend
from audit_app.model import Details
from audit_app.scoring import score

from .support import FRAMEWORK, STATEMENT_IDS, plain
from .team_support import OAIP, OAIP_IDS, PROPERTY_SETTINGS, audits, build, saved_text

SEPTEMBER = build(
    FRAMEWORK,
    {
        "safe-ethos-1": "red",        # → amber in January: improved
        "safe-ethos-2": "amber",      # → green: improved
        "safe-ethos-3": "green",      # → amber: worse
        "safe-ethos-4": "amber",      # → amber: unchanged
        "safe-ethos-5": "red",        # → not rated: no longer rated
        "safe-practice-1": "red",     # → red: unchanged
        "personalised-ethos-1": "amber",
    },
    responses={"safe-ethos-1": {"evidence": "Pupil voice survey, June", "next_step": "Run a safety survey each term",
                                "owner": "Deputy head", "target_date": "2025-12-01"}},
    details=Details(school="Oakfield Primary", date="2025-09-20", completed_by="A. Head"),
)
JANUARY = build(
    FRAMEWORK,
    {
        "safe-ethos-1": "amber",
        "safe-ethos-2": "green",
        "safe-ethos-3": "amber",
        "safe-ethos-4": "amber",
        "safe-practice-1": "red",
        "personalised-ethos-1": "amber",
        "relationships-ethos-1": "green",   # newly rated: section 3 had nothing rated in September
    },
    details=Details(school="Oakfield Primary", date="2026-01-15", completed_by="A. Head"),
)
MAY = build(
    FRAMEWORK,
    {sid: "green" for sid in ["safe-ethos-1", "safe-ethos-2", "safe-ethos-3", "safe-ethos-4", "relationships-ethos-1"]},
    details=Details(school="Oakfield Primary", date="Summer term", completed_by="B. Deputy"),
)


def history_of(*named: tuple[str, object]) -> trend.Trend:
    result = trend.trend_saved([(name, saved_text(audit)) for name, audit in named])
    assert result.ok, result.problems
    return result.trend


@pytest.fixture(scope="module")
def sept_jan() -> trend.Trend:
    return history_of(("Autumn audit", SEPTEMBER), ("Spring re-audit", JANUARY))


def test_a_leader_who_audited_in_september_and_january_sees_which_statements_moved(sept_jan):
    (change,) = sept_jan.changes
    moved = {item.statement_id: (item.baseline_rating_label, item.review_rating_label, item.movement_label) for item in change.moved()}
    assert moved == {
        "safe-ethos-1": ("Red", "Amber", "Improved"),
        "safe-ethos-2": ("Amber", "Green", "Improved"),
        "safe-ethos-3": ("Green", "Amber", "Worse"),
        "safe-ethos-5": ("Red", "Not yet rated", "No longer rated"),
        "relationships-ethos-1": ("Not yet rated", "Green", "Newly rated"),
    }
    assert [item.ref for item in change.moved()] == ["1.1.1", "1.1.2", "1.1.3", "1.1.5", "3.1.1"]  # framework order
    assert change.comparison.overall.movements == {
        "improved": 2, "worse": 1, "unchanged": 3, "newly-rated": 1, "no-longer-rated": 1, "not-rated": 32,
    }


def test_what_moved_is_exactly_what_the_compare_page_says(sept_jan):
    compared = compare.compare_saved(saved_text(SEPTEMBER), saved_text(JANUARY)).comparison
    (change,) = sept_jan.changes
    assert change.comparison.as_dict() == compared.as_dict()


def test_every_audit_is_a_point_scored_as_the_self_audit_page_scores_it(sept_jan):
    for point, audit in zip(sept_jan.points, [SEPTEMBER, JANUARY]):
        assert point.score == score(FRAMEWORK, audit)
    figures = sept_jan.as_dict()
    overall = figures["areas"][0]
    # September: 0+1+2+1+0+0+1 = 5 of 14 points = 36% (Red); January: 1+2+1+1+0+1+2 = 8 of 14 = 57% (Amber).
    assert (overall["level"], overall["title"], overall["percents"]) == ("overall", "Whole audit", [36, 57])
    assert [p["band_label"] for p in overall["points"]] == ["Red", "Amber"]
    assert overall["coverage_percents"] == [18, 18] and [p["rated"] for p in overall["points"]] == [7, 7]


def test_the_chart_gets_a_series_per_section_with_a_gap_where_nothing_was_rated(sept_jan):
    figures = sept_jan.as_dict()
    sections = [area for area in figures["areas"] if area["level"] == "section"]
    assert [(s["ref"], s["title"]) for s in sections] == [
        ("1", "Feeling safe in school"), ("2", "Personalised approach"), ("3", "Positive relationships and interactions")]
    assert sections[2]["percents"] == [None, 100]  # nothing in section 3 was rated in September
    subsections = [area for area in figures["areas"] if area["level"] == "subsection"]
    assert [s["ref"] for s in subsections] == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]
    assert [s["section_id"] for s in subsections[:3]] == [sections[0]["id"], sections[0]["id"], sections[1]["id"]]
    assert [area["level"] for area in figures["areas"]][:4] == ["overall", "section", "subsection", "subsection"]
    assert [band["label"] for band in figures["bands"]] == ["Green", "Amber", "Red"]
    assert [band["min_share"] for band in figures["bands"]] == [0.75, 0.4, 0.0]


def test_the_json_lists_each_audit_and_each_change_between_consecutive_audits():
    figures = json.loads(bridge.trend([  # text, an object (as IndexedDB keeps it) and bytes are all accepted
        {"name": "Autumn audit", "data": saved_text(SEPTEMBER)},
        {"name": "Spring re-audit", "data": json.loads(saved_text(JANUARY))},
        {"name": "", "data": saved_text(MAY).encode("utf-8")},
    ]))
    assert figures["ok"] is True
    assert [(a["position"], a["name"], a["details"]["date"]) for a in figures["audits"]] == [
        (1, "Autumn audit", "2025-09-20"), (2, "Spring re-audit", "2026-01-15"), (3, "Audit 3", "Summer term")]
    assert [(c["from"], c["to"], c["from_name"], c["to_name"]) for c in figures["changes"]] == [
        (1, 2, "Autumn audit", "Spring re-audit"), (2, 3, "Spring re-audit", "Audit 3")]
    first = figures["changes"][0]
    assert first["overall"] == {"percent_change": 21, "coverage_change": 0, "rated_change": 0, "movements": first["overall"]["movements"]}
    assert first["moved"][0] | {"text": ""} == {
        "statement_id": "safe-ethos-1", "ref": "1.1.1", "section_id": first["moved"][0]["section_id"],
        "section_title": "Feeling safe in school", "subsection_id": "safe-ethos", "subsection_title": "Whole School values and ethos",
        "text": "", "baseline_rating": "red", "baseline_rating_label": "Red", "review_rating": "amber",
        "review_rating_label": "Amber", "movement": "improved", "movement_label": "Improved", "points_change": 1,
    }
    assert [s["number"] for s in first["sections"]] == ["1", "2", "3"]
    assert [sub["ref"] for sub in first["sections"][0]["subsections"]] == ["1.1", "1.2"]
    assert figures["notices"] == []


def test_the_order_given_is_the_order_shown_and_dates_are_never_read():
    shown = history_of(("Later", JANUARY), ("Earlier", SEPTEMBER))  # the caller's order, whatever the dates say
    assert [p.name for p in shown.points] == ["Later", "Earlier"]
    assert shown.changes[0].comparison.overall.movements["worse"] == 2
    free_text = history_of(("One", SEPTEMBER), ("Two", MAY))
    assert free_text.points[1].audit.details.date == "Summer term"


def test_with_one_audit_there_is_a_point_and_nothing_yet_to_compare():
    single = history_of(("Autumn audit", SEPTEMBER))
    assert len(single.points) == 1 and single.changes == () and single.latest_change is None
    assert "There is only one audit, so nothing can be compared yet." in trend.render(single, "md")
    assert single.as_dict()["changes"] == []


def test_copying_forward_then_rating_again_is_how_a_school_re_audits():
    copied = history.copy_forward(FRAMEWORK, SEPTEMBER)
    answers = {sid: vars(copied.response(sid)) for sid in STATEMENT_IDS} | {"safe-ethos-1": vars(copied.response("safe-ethos-1")) | {"rating": "green"}}
    january = build(FRAMEWORK, responses=answers, details=copied.details)
    shown = history_of(("September", SEPTEMBER), ("January", january))
    moved = {item.statement_id: item.movement for item in shown.changes[0].moved()}
    assert moved["safe-ethos-1"] == "improved"
    assert sum(1 for kind in moved.values() if kind == "no-longer-rated") == 6  # not yet rated again
    assert shown.points[1].audit.response("safe-ethos-1").evidence == "Pupil voice survey, June"


def test_audits_of_different_frameworks_are_refused_plainly():
    oaip = build(OAIP, {OAIP_IDS[0]: "green"})
    result = trend.trend_saved([("Autumn audit", saved_text(SEPTEMBER)), ("Setting review", saved_text(oaip))])
    assert not result.ok
    assert plain(result.problems) == (
        "The audits are not all the same audit: Autumn audit is a saved Relational Approaches Audit but Setting review "
        "is a saved OAIP self-review: Attendance and belonging. Only audits of the same framework can be shown together.",
    )
    insisted = json.loads(bridge.trend(json.dumps([{"name": "x", "data": saved_text(SEPTEMBER)}]), OAIP.id))
    assert insisted["ok"] is False and "not a saved OAIP self-review" in plain(insisted["problems"][0])


def test_a_damaged_audit_is_named_by_its_name_or_its_place():
    result = json.loads(bridge.trend(json.dumps([
        {"name": "Autumn \u202eaudit", "data": saved_text(SEPTEMBER)},
        {"name": "", "data": "{"},
        {"name": "Spring", "data": json.dumps({"schema": "belonging-audit/1", "framework": {"id": FRAMEWORK.id, "version": FRAMEWORK.version},
                                                 "responses": {"safe-ethos-1": {"rating": "purple"}}})},
    ])))
    assert result["ok"] is False
    assert result["problems"][0].startswith("Audit 2: The file is not one this site can read: it is not valid JSON")
    assert result["problems"][1].startswith("\u2068Spring\u2069: Statement 1.1.1")


def test_a_setting_is_taken_from_the_latest_audit_as_on_the_compare_page():
    school = build(OAIP, {OAIP_IDS[0]: "red"}, details=Details(setting="school"))
    early_years = build(OAIP, {OAIP_IDS[0]: "green"}, details=Details(setting="early-years"))
    result = trend.trend_saved([("Spring", saved_text(school)), ("Summer", saved_text(early_years))])
    assert result.ok
    shown = result.trend
    assert shown.setting == "early-years"
    assert plain(shown.notices) == (
        "Spring was recorded for ‘School’ and the latest audit for ‘Early years setting’, so it is shown for ‘Early years setting’.",)
    titles = [area.title for area in shown.areas() if area.level == "subsection"]
    assert "Classroom" not in titles and "Early years" in titles, titles
    assert shown.points[0].audit.details.setting == "school"  # the audit as recorded


def test_names_holding_half_an_emoji_are_repaired_and_quoted_safely():
    result = trend.trend_saved([("Autumn \ud83d", saved_text(SEPTEMBER)), ("Spring", saved_text(JANUARY))])
    assert result.trend.points[0].name == "Autumn \ufffd"
    json.dumps(result.trend.as_dict()).encode("utf-8")  # no lone surrogate left to break UTF-8


def test_no_audits_or_far_too_many_are_refused_plainly():
    assert json.loads(bridge.trend("[]"))["problems"] == ["Choose at least one audit."]
    too_many = trend.trend_saved([("", "{}")] * (trend.MAX_AUDITS + 1))
    assert too_many.problems == (f"At most {trend.MAX_AUDITS} audits can be shown together; {trend.MAX_AUDITS + 1} were given.",)
    for wrong in ['{"name": "x"}', '[{"name": "x"}]', "[1, 2]"]:
        assert json.loads(bridge.trend(wrong))["problems"] == ["The audits must be a list of {name, data} entries."]


def test_the_markdown_shows_the_scores_over_time_then_what_moved(sept_jan):
    md = trend.render(sept_jan, "md")
    assert md.startswith("# Relational Approaches Audit: trend across 2 audits\n")
    assert ("| 1 | Autumn audit | 2025-09-20 | A. Head | 36% Red | 33% Red | 50% Amber | – | 7 of 40 (18%) |") in md
    assert "| 2 | Spring re-audit | 2026-01-15 | A. Head | 57% Amber | 50% Amber | 50% Amber | 100% Green | 7 of 40 (18%) |" in md
    assert "| # | Audit | 1.1 Whole School values and ethos | 1.2 Whole School practice |" in md
    assert "### From audit 1 to audit 2\n\nAutumn audit → Spring re-audit\n" in md
    assert "- **Score:** 36% (Red) → 57% (Amber): +21 percentage points." in md
    assert "- **Statements:** 2 improved, 1 worse, 3 unchanged, 1 newly rated, 1 no longer rated, 32 not rated." in md
    assert "| 1.1.3 | We have shared belief" in md and "| Green | Amber | Worse |" in md
    assert md.index("## Scores over time") < md.index("## What moved between audits")


def test_the_csv_has_a_row_per_audit_and_area_guarded_against_formulas():
    shown = history_of(('=HYPERLINK("http://evil.example","x")', SEPTEMBER), ("Spring", JANUARY))
    text = trend.render(shown, "csv")
    assert text.startswith("\ufeffPosition,Audit,Date,")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 1 + 2 * (1 + 3 + 8)
    assert rows[1][:12] == ["1", "'=HYPERLINK(\"http://evil.example\",\"x\")", "2025-09-20", "A. Head", "Whole audit", "", "Whole audit", "36", "Red", "7", "40", "18"]
    assert rows[1][12:] == [""] * 7  # nothing before the first audit
    spring_whole = rows[13]
    assert spring_whole[:2] == ["2", "Spring"] and spring_whole[12:15] == ["21", "2", "1"]


def chart_xml(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("xl/charts/chart")]


def test_the_workbook_has_the_table_a_line_chart_and_the_moved_statements():
    shown = history_of(("Autumn audit", SEPTEMBER), ("Spring re-audit", JANUARY), ("@SUM(1+1)", MAY))
    xlsx = trend.render(shown, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert workbook.sheetnames == ["Trend", "Subsections", "Movements", "Changes"]
    sheet = workbook["Trend"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row[:2] == ["#", "Audit"])
    assert header[:8] == ["#", "Audit", "Date", "Completed by", "Rated", "Coverage %", "Whole audit %", "Whole audit band"]
    body = rows[rows.index(header) + 1: rows.index(header) + 4]
    assert [row[:8] for row in body] == [
        [1, "Autumn audit", "2025-09-20", "A. Head", 7, 18, 36, "Red"],
        [2, "Spring re-audit", "2026-01-15", "A. Head", 7, 18, 57, "Amber"],
        [3, "'@SUM(1+1)", "Summer term", "B. Deputy", 5, 13, 100, "Green"],
    ]
    (chart,) = chart_xml(xlsx)
    assert "<lineChart>" in chart and chart.count("<ser>") == 4  # the whole audit and three sections
    assert len(set(re.findall(r'<symbol val="(\w+)"', chart))) == 4  # told apart by shape, not only colour
    assert chart.count("<strRef><f>'Trend'!$B$5:$B$7</f></strRef>") == 4  # the audits' names along the axis
    assert '<dispBlanksAs val="gap" />' in chart  # nothing rated: a gap, never a fall to 0
    changes = [[cell.value for cell in row] for row in workbook["Changes"].iter_rows()]
    assert changes[0][:4] == ["From #", "From", "To #", "To"]
    assert [1, "Autumn audit", 2, "Spring re-audit", "1.1.3"] in [row[:5] for row in changes]
    assert len(changes) == 1 + 5 + len(shown.changes[1].moved())
    movements = [[cell.value for cell in row] for row in workbook["Movements"].iter_rows()]
    assert movements[1][:8] == [1, "Autumn audit", 2, "Spring re-audit", 36, 57, 21, 0]


def test_the_same_history_always_gives_the_same_bytes(sept_jan):
    assert trend.render(sept_jan, "xlsx") == trend.render(history_of(("Autumn audit", SEPTEMBER), ("Spring re-audit", JANUARY)), "xlsx")
    assert bridge.trend_export(json.dumps([{"name": "a", "data": saved_text(SEPTEMBER)}]), "md") == trend.render(history_of(("a", SEPTEMBER)), "md")


def test_an_unknown_export_format_is_a_programming_mistake():
    with pytest.raises(ValueError):
        bridge.trend_export("[]", "pdf")


@PROPERTY_SETTINGS
@given(audits(), audits())
def test_any_two_audits_move_exactly_as_the_compare_page_says(first, second):
    shown = history_of(("First", first), ("Second", second))
    compared = compare.compare_saved(saved_text(first), saved_text(second)).comparison
    assert shown.changes[0].comparison.as_dict() == compared.as_dict()
    assert [p.score.overall for p in shown.points] == [compared.overall.baseline, compared.overall.review]


@PROPERTY_SETTINGS
@given(audits(OAIP))
def test_an_audit_followed_by_itself_moves_nowhere(audit):
    shown = history_of(("Once", audit), ("Again", audit))
    assert shown.changes[0].moved() == []
    assert shown.changes[0].comparison.overall.percent_change in (0, None)


def test_the_compare_page_can_pick_two_audits_from_the_history_without_files():
    kept = [json.loads(saved_text(SEPTEMBER)), json.loads(saved_text(JANUARY))]  # as the page keeps them
    assert bridge.compare(*kept) == bridge.compare(saved_text(SEPTEMBER), saved_text(JANUARY).encode("utf-8"))
    assert bridge.compare_export(*kept, "md") == bridge.compare_export(saved_text(SEPTEMBER), saved_text(JANUARY), "md")
    damaged = json.loads(bridge.compare(kept[0], {"schema": "belonging-audit/1"}))
    assert plain(damaged["problems"]) == ["The review: The file does not say which audit it belongs to (its 'framework' entry is missing or damaged)."]
