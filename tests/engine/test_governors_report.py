"""A leader who re-audited in January prints a report for governors: what moved, the trend, the open actions."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from audit_app import bridge, governors_report
from audit_app.model import Details
from audit_app.plan import build_plan

from .support import FRAMEWORK, plain
from .team_support import OAIP, OAIP_IDS, build, saved_text
from .test_trend import JANUARY, SEPTEMBER

# January, with the plan the school wrote: two actions to improve (one without a next step yet), one to sustain.
JANUARY_PLANNED = build(
    FRAMEWORK,
    {sid: response.rating for sid, response in JANUARY.responses.items()},
    responses={
        "safe-ethos-1": {"next_step": "Termly pupil safety survey", "owner": "Deputy head", "target_date": "2026-04-01",
                         "success_criteria": "90% of pupils say they feel safe", "review_date": "2026-07-01",
                         "evidence": "Survey results, December"},
        "safe-ethos-2": {"next_step": "Keep the weekly check-ins", "owner": "Class teachers"},
        "safe-ethos-4": {"evidence": "Staff questionnaire"},
    },
    details=JANUARY.details,
)


def report_of(*named: tuple[str, object]) -> governors_report.Report:
    result = governors_report.report_saved([(name, saved_text(audit)) for name, audit in named])
    assert result.ok, result.problems
    return result.report


@pytest.fixture(scope="module")
def report() -> governors_report.Report:
    return report_of(("Autumn audit", SEPTEMBER), ("Spring re-audit", JANUARY_PLANNED))


def test_governors_read_the_score_now_then_and_what_moved_first(report):
    assert report.summary() == [
        ("Score now", "57% (Amber), with 7 of 40 statements rated (18%)."),
        ("Previous audit", "36% (Red), with 7 of 40 statements rated (18%): +21 percentage points since."),
        ("Statements since the previous audit",
         "2 improved, 1 worse, 3 unchanged, 1 newly rated, 1 no longer rated, 32 not rated."),
        ("Open actions", "6: 5 to improve (rated Red or Amber) and 1 to sustain (rated Green, with a next step)."),
    ]
    assert report.details() == [("Audit", "Spring re-audit"), ("School", "Oakfield Primary"), ("Date", "2026-01-15"),
                                ("Completed by", "A. Head")]


def test_the_sections_are_shown_then_and_now(report):
    rows = [(area.ref, area.title, then.percent, now.percent, change.percent_change) for area, then, now, change in report.then_and_now()]
    assert rows == [
        ("", "Whole audit", 36, 57, 21),
        ("1", "Feeling safe in school", 33, 50, 17),
        ("2", "Personalised approach", 50, 50, 0),
        ("3", "Positive relationships and interactions", None, 100, None),
    ]


def test_the_statements_that_moved_are_grouped_improved_worse_newly_rated_no_longer_rated(report):
    groups = [(kind, [item.ref for item in items]) for kind, items in report.moved()]
    assert groups == [("improved", ["1.1.1", "1.1.2"]), ("worse", ["1.1.3"]), ("newly-rated", ["3.1.1"]),
                      ("no-longer-rated", ["1.1.5"])]


def test_open_actions_are_the_latest_plan_whether_or_not_a_next_step_is_written(report):
    assert report.actions == build_plan(FRAMEWORK, JANUARY_PLANNED)
    kinds = [(action.number, action.rating_label, action.kind, action.next_step) for action in report.actions]
    assert kinds == [
        ("1.2.1", "Red", "improve", ""),             # Red first: the weakest area is where a plan starts
        ("1.1.1", "Amber", "improve", "Termly pupil safety survey"),
        ("1.1.3", "Amber", "improve", ""),
        ("1.1.4", "Amber", "improve", ""),
        ("2.1.1", "Amber", "improve", ""),
        ("1.1.2", "Green", "sustain", "Keep the weekly check-ins"),  # Green only with a next step
    ]
    assert "safe-ethos-5" not in {a.statement_id for a in report.actions}  # not rated now: not an action
    assert report.actions_rule().startswith("Open actions are the latest audit's action plan: every statement rated Red or Amber")


def test_the_json_form_holds_everything_the_print_view_shows():
    history = json.dumps([{"name": "Autumn audit", "data": saved_text(SEPTEMBER)},
                          {"name": "Spring re-audit", "data": saved_text(JANUARY_PLANNED)}])
    figures = json.loads(bridge.governors_report(history))
    assert figures["ok"] is True and figures["title"] == "Relational Approaches Audit: report for governors"
    assert list(figures) == ["ok", "title", "framework", "setting", "setting_label", "scheme", "latest", "previous", "details",
                             "summary", "trend", "then_and_now", "moved", "actions_rule", "actions", "notices"]
    assert figures["latest"] == {"position": 2, "name": "Spring re-audit", "details": {
        "school": "Oakfield Primary", "date": "2026-01-15", "completed_by": "A. Head", "setting": ""}}
    assert figures["previous"]["name"] == "Autumn audit"
    assert figures["summary"][0] == {"label": "Score now", "text": "57% (Amber), with 7 of 40 statements rated (18%)."}
    assert [area["level"] for area in figures["trend"]["areas"]] == ["overall", "section", "section", "section"]
    assert figures["trend"]["areas"][0]["percents"] == [36, 57]
    whole = figures["then_and_now"][0]
    assert (whole["then"]["percent"], whole["now"]["percent"], whole["percent_change"], whole["movements"]["improved"]) == (36, 57, 21, 2)
    assert [group["label"] for group in figures["moved"]] == ["Improved", "Worse", "Newly rated", "No longer rated"]
    assert figures["moved"][0]["statements"][0]["ref"] == "1.1.1"
    assert figures["actions"][1]["next_step"] == "Termly pupil safety survey"
    assert figures["actions"] == json.loads(bridge.plan(saved_text(JANUARY_PLANNED)))["actions"]


def test_with_a_single_audit_the_report_says_there_is_nothing_to_compare_yet():
    single = report_of(("Autumn audit", SEPTEMBER))
    assert single.summary()[1] == ("Previous audit", "None: this is the first audit on record, so nothing can be compared yet.")
    assert all(then is None and change is None for _, then, _, change in single.then_and_now())
    assert all(items == [] for _, items in single.moved())
    figures = single.as_dict()
    assert figures["previous"] is None and figures["then_and_now"][0]["then"] is None
    assert figures["then_and_now"][0]["percent_change"] is None
    md = governors_report.render(single, "md")
    assert "This is the first audit on record, so there is nothing to compare it with yet." in md
    assert "Nothing yet: this is the first audit on record." in md
    assert openpyxl.load_workbook(io.BytesIO(governors_report.render(single, "xlsx"))).sheetnames == [
        "Report", "Trend", "What moved", "Open actions"]


def test_a_long_history_reports_on_the_latest_audit_against_the_one_before():
    may = build(FRAMEWORK, {"safe-ethos-1": "green"}, details=Details(date="2026-05-20"))
    long = report_of(("Autumn audit", SEPTEMBER), ("Spring re-audit", JANUARY_PLANNED), ("Summer", may))
    assert [p.name for p in long.trend.points] == ["Autumn audit", "Spring re-audit", "Summer"]
    assert len(long.trend.changes) == 1 and long.trend.changes[0].earlier.name == "Spring re-audit"
    assert long.details()[0] == ("Audit", "Summer")
    assert long.as_dict()["trend"]["areas"][0]["percents"] == [36, 57, 100]


def test_the_markdown_report_reads_in_the_order_governors_need(report):
    md = governors_report.render(report, "md")
    assert md.startswith("# Relational Approaches Audit: report for governors\n\n- **Audit:** Spring re-audit\n- **School:** Oakfield Primary\n")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Summary", "## Scores over time", "## Then and now", "## What moved since the previous audit", "## Open actions"]
    assert "- **Previous audit:** 36% (Red), with 7 of 40 statements rated (18%): +21 percentage points since." in md
    assert "|  | **Whole audit** | 36% Red | 57% Amber | +21 | 7 of 40 (18%) | 7 of 40 (18%) |" in md
    assert "| 3 | Positive relationships and interactions | – | 100% Green | – | 0 of 15 (0%) | 1 of 15 (7%) |" in md
    assert "### Improved (2)\n\n| Ref | Statement | Then | Now |\n" in md
    assert "### 1.2.1 · Red · Improve" in md and "- *No next step recorded yet.*" in md
    assert "- **Next step:** Termly pupil safety survey\n- **Owner:** Deputy head\n" in md
    assert "Survey results, December" not in md  # evidence stays in the audit's own plan


def chart_xml(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("xl/charts/chart")]


def test_the_workbook_has_the_report_the_trend_chart_what_moved_and_the_open_actions(report):
    xlsx = governors_report.render(report, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert workbook.sheetnames == ["Report", "Trend", "What moved", "Open actions"]
    cells = [[cell.value for cell in row] for row in workbook["Report"].iter_rows()]
    assert cells[0][0] == "Relational Approaches Audit: report for governors"
    assert ["Audit", "Spring re-audit"] == cells[2][:2]
    assert ["Score now", "57% (Amber), with 7 of 40 statements rated (18%)."] in [row[:2] for row in cells]
    then_now = next(index for index, row in enumerate(cells) if row[0] == "Ref")
    assert cells[then_now][2] == "Then: 1. Autumn audit (score %)" and cells[then_now][4] == "Now: 2. Spring re-audit (score %)"
    assert cells[then_now + 1][:9] == [None, "Whole audit", 36, "Red", 57, "Amber", 21, 7, 7]  # no ref: a blank cell
    (chart,) = chart_xml(xlsx)
    assert "<lineChart>" in chart and chart.count("<ser>") == 4
    moved = [[cell.value for cell in row] for row in workbook["What moved"].iter_rows()]
    assert [row[4] for row in moved[1:]] == ["1.1.1", "1.1.2", "1.1.3", "1.1.5", "3.1.1"]
    actions = [[cell.value for cell in row] for row in workbook["Open actions"].iter_rows()]
    assert actions[0][0] == report.actions_rule()
    assert actions[1] == ["Ref", "Section", "Subsection", "Statement", "Rating", "Type", "Next step", "Owner", "Target date",
                          "Success criteria", "Review date"]
    assert actions[2][:7] == ["1.2.1", "Feeling safe in school", "Whole School practice", actions[2][3], "Red", "Improve",
                              "No next step recorded yet."]
    assert len(actions) == 2 + len(report.actions)
    assert xlsx == governors_report.render(report_of(("Autumn audit", SEPTEMBER), ("Spring re-audit", JANUARY_PLANNED)), "xlsx")


def test_typed_text_cannot_become_a_formula_in_the_workbook():
    hostile = build(FRAMEWORK, {"safe-ethos-1": "red"}, responses={"safe-ethos-1": {"next_step": "=1+1", "owner": "@SUM(A1)"}},
                    details=Details(school="+44 school", completed_by="-me"))
    workbook = openpyxl.load_workbook(io.BytesIO(governors_report.render(report_of(("=HYPERLINK(\"x\")", hostile)), "xlsx")))
    values = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'=1+1" in values and "'@SUM(A1)" in values and "'+44 school" in values and "'-me" in values
    assert "'=HYPERLINK(\"x\")" in values
    assert not any(value.startswith(("=", "@", "+", "-")) for value in values)


def test_an_oaip_report_names_the_setting_and_plans_only_what_applies():
    review = build(OAIP, {sid: "amber" for sid in OAIP_IDS}, details=Details(setting="early-years", school="Little Acorns"))
    shown = report_of(("Review", review))
    assert ("Setting", "Early years setting") in shown.details()
    assert {action.subsection_title for action in shown.actions} == {"Whole setting", "Early years"}


def test_problems_are_plain_and_name_the_audit():
    answer = json.loads(bridge.governors_report(json.dumps([{"name": "Autumn", "data": "[]"}]), "md"))
    assert answer["ok"] is False
    assert plain(answer["problems"]) == ["Autumn: The file is not a saved audit from this site (it holds a list)."]
    with pytest.raises(ValueError):
        bridge.governors_report("[]", "pdf")
