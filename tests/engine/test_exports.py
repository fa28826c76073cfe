"""Exports a leader shares: Markdown, CSV, XLSX and JSON, safe against formulas and deterministic."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from audit_app import exports, savefile
from audit_app.export_xlsx import cell_text
from audit_app.formula_guard import neutralise, restore
from audit_app.model import Details

from .support import FRAMEWORK, audit_with

SAMPLE = audit_with(
    {"safe-ethos-1": "amber", "safe-ethos-5": "red", "relationships-practice-6": "green", "personalised-ethos-2": "green"},
    responses={
        "safe-ethos-5": {"evidence": "No log of concerns", "next_step": "Start a 'You said, we did' board", "owner": "=HYPERLINK(\"http://x\",\"y\")"},
        "safe-ethos-1": {"next_step": "@SUM(A1:A2)", "success_criteria": "-1 complaints\nper term"},
        "relationships-practice-6": {"next_step": "Keep relational training | annual"},
    },
    details=Details(school="Oakfield | Primary", date="2025-05-01", completed_by="J. Smith"),
    notes={"safe-ethos": "Discussed at SLT <b>today</b>"},
)


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text[1:], newline=""))]


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1234", "'+44 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("'=x", "''=x"),
        ("plain", "plain"),
        ("'quoted", "'quoted"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_cells_that_could_be_formulas_are_neutralised_and_restored(text, guarded):
    assert neutralise(text) == guarded
    assert restore(guarded) == text


def test_a_leader_exports_a_readable_markdown_plan_with_scores():
    md = exports.render(FRAMEWORK, SAMPLE, "md")
    assert md.startswith("# Relational Approaches Audit: action plan\n")
    assert "- **School:** Oakfield &#124; Primary" in md
    assert "| 1 | **Feeling safe in school** | 25% | Red | 2 of 15 | 1 | 1 | 0 | 13 |" in md
    assert "|  | **Whole audit** | 63% | Amber | 4 of 40 | 1 | 1 | 2 | 36 |" in md
    assert md.index("### 1.1.5 · Red · Improve") < md.index("### 1.1.1 · Amber · Improve") < md.index("### 3.2.6 · Green · Sustain")
    assert "### 2.1.2" not in md  # Green with no next step: nothing to plan
    assert "- **Success criteria:** \\-1 complaints  \n  per term" in md
    assert "Discussed at SLT &lt;b&gt;today&lt;/b&gt;" in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_markdown_user_text_cannot_break_the_table_or_start_headings():
    hostile = audit_with({"safe-ethos-1": "red"}, responses={"safe-ethos-1": {"evidence": "a | b\n# Heading\n- item\n1. one\n<script>alert(1)</script>"}})
    md = exports.render(FRAMEWORK, hostile, "md")
    lines = md.splitlines()
    assert not any(line.startswith(("# Heading", "- item", "1. one", "<script")) for line in lines)
    assert "&lt;script&gt;" in md


def test_a_leader_exports_the_plan_as_csv_that_excel_opens_cleanly():
    text = exports.render(FRAMEWORK, SAMPLE, "csv")
    assert text.startswith("\ufeffRef,Section,Subsection,Statement,Rating,Type,")
    assert text.endswith("\r\n") and text.split("\r\n")[0].endswith("Review date")
    assert text.count("\r\n") == 4  # header and three actions; line breaks inside quoted cells stay LF
    rows = csv_rows(text)
    assert [row[0] for row in rows] == ["Ref", "1.1.5", "1.1.1", "3.2.6"]
    assert rows[1][4:9] == ["Red", "Improve", "No log of concerns", "Start a 'You said, we did' board", '=HYPERLINK("http://x","y")']
    assert rows[2][10] == "-1 complaints\nper term"


def test_no_csv_cell_starts_like_a_formula():
    raw = list(csv.reader(io.StringIO(exports.render(FRAMEWORK, SAMPLE, "csv")[1:], newline="")))
    assert all(not cell or cell[0] not in "=+-@\t\r\n" for row in raw for cell in row)
    assert "'=HYPERLINK" in raw[1][8]


def test_a_leader_exports_an_xlsx_with_a_summary_and_an_action_plan():
    book = workbook(exports.render(FRAMEWORK, SAMPLE, "xlsx"))
    assert book.sheetnames == ["Summary", "Action plan"]
    summary = book["Summary"]
    values = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert values[0][0] == "Relational Approaches Audit: summary"
    assert ["School", "Oakfield | Primary"] == values[1][:2]
    header = next(row for row in values if row[0] == "Ref")
    assert header[:12] == ["Ref", "Area", "Score %", "Band", "Status", "Rated", "Total", "Coverage %", "Red", "Amber", "Green", "Not yet rated"]
    overall = next(row for row in values if row[1] == "Whole audit")
    assert overall[2:12] == [63, "Amber", "In progress", 4, 40, 10, 1, 1, 2, 36]
    subsection = next(row for row in values if row[0] == "1.1")
    assert subsection[12] == "Discussed at SLT <b>today</b>"
    band_cell = next(row for row in summary.iter_rows() if row[1].value == "Whole audit")[3]
    assert band_cell.fill.fgColor.rgb.endswith("FFEB9C")

    plan = book["Action plan"]
    assert plan.freeze_panes == "A2"
    assert [c.value for c in plan[1]][:6] == ["Ref", "Section", "Subsection", "Statement", "Rating", "Type"]
    assert all(c.font.b for c in plan[1])
    assert plan.column_dimensions["D"].width == 60 and plan.column_dimensions["A"].width == 8
    rating_cells = [row[4] for row in plan.iter_rows(min_row=2)]
    assert [(c.value, c.fill.fgColor.rgb[-6:]) for c in rating_cells] == [("Red", "FFC7CE"), ("Amber", "FFEB9C"), ("Green", "C6EFCE")]
    owner = plan.cell(row=2, column=9)
    assert owner.data_type == "s" and owner.value == "'=HYPERLINK(\"http://x\",\"y\")"
    assert restore(owner.value) == '=HYPERLINK("http://x","y")'
    assert plan.cell(row=2, column=4).alignment.wrap_text


def test_no_xlsx_cell_is_a_formula():
    book = workbook(exports.render(FRAMEWORK, SAMPLE, "xlsx"))
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"))


def test_xlsx_text_that_xml_cannot_hold_is_replaced_visibly_and_line_ends_become_lf():
    assert cell_text("a\x00b\r\nc\rd\x1f") == "a\ufffdb\nc\nd\ufffd"


def test_the_json_export_is_the_whole_audit_in_the_saved_format():
    text = exports.render(FRAMEWORK, SAMPLE, "json")
    assert text == savefile.dumps(SAMPLE, FRAMEWORK)
    assert json.loads(text)["details"]["school"] == "Oakfield | Primary"
    assert savefile.load(text, FRAMEWORK).audit == SAMPLE


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_the_same_audit_always_exports_to_the_same_bytes(fmt):
    assert exports.render(FRAMEWORK, SAMPLE, fmt) == exports.render(FRAMEWORK, SAMPLE, fmt)


def test_xlsx_properties_and_zip_entries_use_fixed_dates():
    data = exports.render(FRAMEWORK, SAMPLE, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    props = workbook(data).properties
    assert props.created.isoformat().startswith("2025-05-01") and props.modified == props.created
    undated = audit_with(details=Details(date="summer"))
    assert workbook(exports.render(FRAMEWORK, undated, "xlsx")).properties.created.year == 2000


def test_an_empty_audit_exports_without_error_in_every_format():
    blank = audit_with()
    assert "No actions yet" in exports.render(FRAMEWORK, blank, "md")
    assert len(csv_rows(exports.render(FRAMEWORK, blank, "csv"))) == 1
    assert workbook(exports.render(FRAMEWORK, blank, "xlsx"))["Action plan"].max_row == 1


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        exports.render(FRAMEWORK, SAMPLE, "pdf")
