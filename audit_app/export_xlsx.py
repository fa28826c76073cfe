"""The audit as an Excel workbook: a Summary sheet and an Action plan sheet.

openpyxl is imported inside ``render`` so that loading this package, scoring or
any other export never imports it: in the browser, openpyxl is fetched only when
someone asks for a spreadsheet.

Safety and fidelity:

* Every text cell is written as a string cell (never a formula) and is also
  passed through ``formula_guard.neutralise``, so the text stays inert if the
  sheet is later saved as CSV.
* XML cannot carry most control characters; ``cell_text`` turns them into
  U+FFFD, and turns CR and CRLF into LF (XML readers would do that anyway, and
  Excel uses LF for line breaks in a cell). Everything else survives exactly.
* A cell holds at most ``MAX_CELL_CHARS`` (Excel's limit, in UTF-16 units; a
  longer text makes Excel "repair" the file, and openpyxl cuts it silently).
  Only a text longer than a box on the form can reach it, and it is cut with a
  visible note saying so and that the saved answers (JSON) hold all of it.
* Ratings and bands are written in words and filled with the rating's colour
  from the framework data, so colour is never the only signal.
* Output is deterministic: document properties use the audit date when it is an
  ISO date (else 2000-01-01) and the zip entries get a fixed timestamp, so the
  same audit always gives the same bytes with the same zlib.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from .formula_guard import neutralise
from .framework import Framework
from .model import DETAIL_FIELDS, SETTING_LABEL, Audit
from .plan import COLUMNS, build_plan
from .scoring import STATUS_LABELS, Metrics, describe_scheme, score

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_CHARS = 32_767
CUT_NOTE = (
    f" […cut short here: a spreadsheet cell holds at most {MAX_CELL_CHARS:,} characters. "
    "The saved answers (JSON) hold all of it.]"
)
_FIXED_MOMENT = dt.datetime(2000, 1, 1)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLAN_WIDTHS = {
    "Ref": 8,
    "Section": 22,
    "Subsection": 26,
    "Statement": 60,
    "Rating": 10,
    "Type": 10,
    "Evidence": 40,
    "Next step": 40,
    "Owner": 16,
    "Target date": 13,
    "Success criteria": 36,
    "Review date": 13,
}


def cell_text(text: str) -> str:
    """Text as it will read back from the workbook (before neutralising)."""
    return _XML_ILLEGAL.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def fitted(text: str) -> str:
    """``text``, or its start and ``CUT_NOTE`` when it is longer than a cell holds (never splitting a character)."""
    if len(text) <= MAX_CELL_CHARS // 2:  # at most two UTF-16 units a character: surely fits
        return text
    # codecs' functions, not str.encode("utf-16-le"): the browser's trimmed standard library lacks that name.
    units, _ = codecs.utf_16_le_encode(text)
    if len(units) <= 2 * MAX_CELL_CHARS:
        return text
    room = 2 * MAX_CELL_CHARS - len(codecs.utf_16_le_encode(CUT_NOTE)[0])
    return codecs.utf_16_le_decode(units[:room], "ignore", True)[0] + CUT_NOTE


def cell_writer(framework: Framework) -> Callable[..., Any]:
    """The one way our workbooks write a cell: ``put(ws, row, column, value, rating=None)``.

    Text is formula-guarded and stored as text (so a note starting with "="
    is never run), cut with a note if longer than a cell holds, empty text
    stays a blank cell, and a rating id fills the
    cell with that rating's colour from the framework data.
    """
    from openpyxl.styles import PatternFill

    fills = {r.id: PatternFill("solid", start_color=r.colour) for r in framework.ratings if r.colour}

    def put(ws: Any, row: int, column: int, value: str | int | None, rating: str | None = None) -> Any:
        cell = ws.cell(row=row, column=column)
        if isinstance(value, str):
            if value:  # empty text stays a blank cell
                cell.value = fitted(neutralise(cell_text(value)))
                cell.data_type = "s"  # belt and braces: openpyxl treats a leading "=" as a formula
        else:
            cell.value = value
        if rating in fills:
            cell.fill = fills[rating]
        return cell

    return put


def render(framework: Framework, audit: Audit) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    framework = framework.for_setting(audit.details.setting)
    labels = {r.id: r.label for r in framework.ratings}
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    put = cell_writer(framework)

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    put(summary, 1, 1, f"{framework.title}: summary").font = Font(bold=True, size=14)
    row = 2
    for key, label in DETAIL_FIELDS.items():
        put(summary, row, 1, label).font = bold
        put(summary, row, 2, getattr(audit.details, key))
        row += 1
    if framework.settings:  # only frameworks with settings get this row, so other workbooks are unchanged
        put(summary, row, 1, SETTING_LABEL).font = bold
        put(summary, row, 2, framework.setting_label(audit.details.setting) or "Not chosen (every part included)")
        row += 1
    put(summary, row, 1, "Framework").font = bold
    put(summary, row, 2, f"{framework.title}, version {framework.version}")
    headers = ["Ref", "Area", "Score %", "Band", "Status", "Rated", "Total", "Coverage %"]
    headers += [labels[r.id] for r in framework.ratings] + ["Not yet rated", "Additional notes"]
    put(summary, row + 1, 1, "Scoring").font = bold
    put(summary, row + 1, 2, describe_scheme(framework)).alignment = wrap
    summary.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=len(headers))
    summary.row_dimensions[row + 1].height = 45
    header_row = row + 3
    for column, header in enumerate(headers, 1):
        put(summary, header_row, column, header).font = bold

    result = score(framework, audit)
    rows: list[tuple[str, str, Metrics, str, int]] = [("", "Whole audit", result.overall, "", 0)]
    for section, section_score in zip(framework.sections, result.sections):
        rows.append((section.number, section.title, section_score.metrics, "", 0))
        rows += [
            (sub.ref, sub.title, sub_score.metrics, audit.note(sub.id), 1)
            for sub, sub_score in zip(section.subsections, section_score.subsections)
        ]
    for r, (ref, title, metrics, note, indent) in enumerate(rows, header_row + 1):
        counts = [metrics.counts[rating.id] for rating in framework.ratings] + [metrics.counts["unrated"]]
        values = [ref, title, metrics.percent, metrics.band_label, STATUS_LABELS[metrics.status], metrics.rated,
                  metrics.total, round(metrics.coverage * 100), *counts, note]
        for column, value in enumerate(values, 1):
            cell = put(summary, r, column, value, metrics.band if column == 4 else None)
            cell.alignment = Alignment(indent=indent if column == 2 else 0, wrap_text=True, vertical="top")
            if indent == 0 and column <= 2:
                cell.font = bold
    for column, width in enumerate([8, 44, 9, 14, 12, 7, 7, 11] + [8] * len(framework.ratings) + [13, 50], 1):
        summary.column_dimensions[get_column_letter(column)].width = width

    sheet = workbook.create_sheet("Action plan")
    for column, (header, _) in enumerate(COLUMNS, 1):
        cell = put(sheet, 1, column, header)
        cell.font = bold
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = _PLAN_WIDTHS.get(header, 20)
    rating_column = [header for header, _ in COLUMNS].index("Rating") + 1
    for row_number, action in enumerate(build_plan(framework, audit), 2):
        for column, (_, value) in enumerate(COLUMNS, 1):
            put(sheet, row_number, column, value(action), action.rating if column == rating_column else None)
            sheet.cell(row=row_number, column=column).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    return workbook_bytes(workbook, framework.title, audit.details.date)


def workbook_bytes(workbook: Any, creator: str, date_text: str) -> bytes:
    """Deterministic .xlsx bytes: document dates from ``date_text`` (ISO date, else 2000-01-01), fixed zip times.

    Shared by every workbook the engine writes (the plan, the comparison).
    """
    from openpyxl.writer.excel import ExcelWriter

    moment = _document_moment(date_text)
    workbook.properties.creator = creator
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save(), which would overwrite 'modified' with the current time.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip_timestamps(buffer.getvalue())


def _document_moment(date_text: str) -> dt.datetime:
    if _ISO_DATE.match(date_text.strip()):
        try:
            return dt.datetime.fromisoformat(date_text.strip())
        except ValueError:
            pass
    return _FIXED_MOMENT


def _fixed_zip_timestamps(data: bytes) -> bytes:
    """Rewrite the archive with one fixed timestamp; zipfile otherwise stamps every entry with 'now'."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_MOMENT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return output.getvalue()
