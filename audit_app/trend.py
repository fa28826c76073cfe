"""The trend across a school's audits of one framework: scores over time, and what moved between audits.

A school repeats its audit (every 3 to 6 months, say) and keeps every audit
on its own device. Given those audits **in chronological order** (the caller
orders them; no date is ever parsed or used to reorder, because dates are free
text typed by people), the trend gives:

* for every audit (a *point*, numbered from 1 in the order given): the scores of
  the whole audit, every section and every subsection, exactly as
  ``audit_app.scoring`` works them out (percent, band, rated, total, coverage,
  counts, status), plus ``coverage_percent``: rated statements as a whole-number
  percentage, rounded half up (as in ``audit_app.compare``);
* between every two consecutive audits (a *change*): what ``audit_app.compare``
  says about them, the earlier as the baseline and the later as the review:
  per area the change in score and coverage (percentage points) and how many
  statements made each movement (improved, worse, unchanged, newly rated, no
  longer rated, not rated), and the statements that *moved*: every statement
  whose movement is improved, worse, newly rated or no longer rated, in
  framework order;
* for a chart: per area (whole audit, sections, subsections) the series of
  percents, ``None`` where nothing in the area was rated, and the framework's
  bands (so a chart can mark where each band starts).

Names: each audit comes with a name (the one the school gave it on this device,
or a file name). A blank name is shown as "Audit N" (N its position). Problems
and notices about one audit start with its name, bidi-isolated
(``quoting.isolate``); the figures and exports hold the names as given.

One framework: every audit must be of the same framework (other versions of it
are brought up to date by ``savefile``, with notices); otherwise nothing is
worked out and a plain problem says which audit differs. Settings, as in
``audit_app.compare``: every audit is scored for the setting of the latest audit
(the one the school chose most recently), and a notice names each earlier audit
recorded for another setting.

Exports: ``render(trend, fmt)`` gives Markdown (a table of the whole audit and
each section across audits, one per section for its subsections, then what
moved at each step), CSV (one row per audit and area: a long table for
spreadsheets and pivot tables), XLSX (the same tables, with a line chart of the
whole audit and every section drawn by openpyxl, and the moved statements) or
JSON (``Trend.as_dict``). Typed text is escaped in Markdown and formula-guarded
in CSV and XLSX exactly as in every other export.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import compare as compare_module
from . import savefile
from .compare import MOVEMENTS, Comparison, LevelChange, change_text
from .export_csv import BOM
from .export_markdown import md_text
from .formula_guard import neutralise
from .framework import Framework
from .model import DETAIL_FIELDS, SETTING_LABEL, Audit
from .quoting import isolate
from .scoring import AuditScore, Metrics, describe_scheme, score

MAX_AUDITS = 500
FORMATS = ("md", "csv", "xlsx", "json")
# The movements that count as "moved": the statement's rating changed, or it was rated in only one of the two.
MOVED = ("improved", "worse", "newly-rated", "no-longer-rated")
WHOLE_AUDIT = "Whole audit"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Marker shapes for the chart's lines, so a line is told apart by its shape as well as its colour.
_MARKERS = ("circle", "square", "triangle", "diamond", "x", "star", "plus", "dash", "dot")


@dataclass(frozen=True)
class TrendPoint:
    """One audit of the history: its place (from 1), name, the audit as recorded, and its scores."""

    position: int
    name: str  # as given, or "Audit N" when blank
    audit: Audit
    score: AuditScore  # worked out for the trend's setting


@dataclass(frozen=True)
class Change:
    """Two consecutive audits compared: ``comparison`` has ``earlier`` as its baseline, ``later`` as its review."""

    earlier: TrendPoint
    later: TrendPoint
    comparison: Comparison

    def moved(self) -> list[compare_module.StatementChange]:
        return [item for item in self.comparison.statements if item.movement in MOVED]


@dataclass(frozen=True)
class Area:
    """One row of the trend: the whole audit, a section or a subsection, with its metrics at every point."""

    level: str  # "overall" | "section" | "subsection"
    id: str  # "" for the whole audit
    ref: str  # "" for the whole audit, "1" for a section, "1.2" for a subsection
    title: str
    section_id: str  # the section a subsection is in; "" otherwise
    metrics: tuple[Metrics, ...]  # one per point, in order

    @property
    def label(self) -> str:
        """"1.2 Whole School practice", or "Whole audit"; plain text."""
        return f"{self.ref} {self.title}" if self.ref else self.title

    @property
    def md_label(self) -> str:
        """The label for Markdown: the title escaped, the ref as it is (escaping would show "1\\.2")."""
        return f"{self.ref} {one_line(self.title)}" if self.ref else one_line(self.title)


@dataclass(frozen=True)
class Trend:
    framework: Framework  # the whole framework (not the setting's view)
    setting: str  # every audit is scored for this setting: the latest audit's
    points: tuple[TrendPoint, ...]
    changes: tuple[Change, ...]  # every consecutive pair, oldest first (or only the latest pair: ``build``)
    notices: tuple[str, ...] = ()

    @property
    def latest(self) -> TrendPoint:
        return self.points[-1]

    @property
    def previous(self) -> TrendPoint | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def latest_change(self) -> Change | None:
        return self.changes[-1] if self.changes and self.changes[-1].later is self.latest else None

    def areas(self, *, subsections: bool = True) -> list[Area]:
        """The whole audit, then each section followed (if ``subsections``) by its subsections."""
        points = self.points
        rows = [Area("overall", "", "", WHOLE_AUDIT, "", tuple(p.score.overall for p in points))]
        for index, section in enumerate(points[0].score.sections):
            rows.append(Area("section", section.id, section.number, section.title, "",
                             tuple(p.score.sections[index].metrics for p in points)))
            if subsections:
                rows += [
                    Area("subsection", sub.id, sub.ref, sub.title, section.id,
                         tuple(p.score.sections[index].subsections[position].metrics for p in points))
                    for position, sub in enumerate(section.subsections)
                ]
        return rows

    def as_dict(self, *, subsections: bool = True, changes: bool = True) -> dict[str, Any]:
        """The JSON form (the bridge's ``trend`` adds ``"ok"``); see ``audit_app.bridge`` for every field."""
        framework = self.framework
        labels = {rating.id: rating for rating in framework.ratings}
        result: dict[str, Any] = {
            "framework": {"id": framework.id, "version": framework.version, "title": framework.title},
            "setting": self.setting,
            "setting_label": framework.setting_label(self.setting),
            "scheme": describe_scheme(framework),
            "bands": [
                {"rating": band.rating, "label": labels[band.rating].label, "min_share": band.min_share,
                 "colour": labels[band.rating].colour}
                for band in framework.bands
            ],
            "audits": [{"position": p.position, "name": p.name, "details": details(p.audit)} for p in self.points],
            "areas": [
                {
                    "level": area.level,
                    "id": area.id,
                    "ref": area.ref,
                    "title": area.title,
                    "section_id": area.section_id,
                    "percents": [m.percent for m in area.metrics],
                    "coverage_percents": [coverage_percent(m) for m in area.metrics],
                    "points": [metrics_dict(m) for m in area.metrics],
                }
                for area in self.areas(subsections=subsections)
            ],
        }
        if changes:
            result["changes"] = [change_dict(change) for change in self.changes]
        result["notices"] = list(self.notices)
        return result


@dataclass(frozen=True)
class TrendResult:
    """Either ``trend`` or ``problems``; never both."""

    trend: Trend | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.trend is not None


def coverage_percent(metrics: Metrics) -> int:
    """Rated statements as a whole-number percentage, rounded half up (as ``compare`` reports coverage)."""
    return compare_module._whole_percent(metrics.rated, metrics.total)


def metrics_dict(metrics: Metrics) -> dict[str, Any]:
    return metrics.as_dict() | {"coverage_percent": coverage_percent(metrics)}


def details(audit: Audit) -> dict[str, str]:
    """The audit's details as recorded: school, date, completed_by and setting (always present)."""
    return {key: getattr(audit.details, key) for key in DETAIL_FIELDS} | {"setting": audit.details.setting}


def level_change_dict(change: LevelChange) -> dict[str, Any]:
    """The change figures only (the scores themselves are in the trend's areas)."""
    return {
        "percent_change": change.percent_change,
        "coverage_change": change.coverage_change,
        "rated_change": change.rated_change,
        "movements": dict(change.movements),
    }


def change_dict(change: Change) -> dict[str, Any]:
    comparison = change.comparison
    return {
        "from": change.earlier.position,
        "to": change.later.position,
        "from_name": change.earlier.name,
        "to_name": change.later.name,
        "overall": level_change_dict(comparison.overall),
        "sections": [
            {
                "id": section.id,
                "number": section.number,
                "title": section.title,
                **level_change_dict(section.change),
                "subsections": [
                    {"id": sub.id, "ref": sub.ref, "title": sub.title, **level_change_dict(sub.change)}
                    for sub in section.subsections
                ],
            }
            for section in comparison.sections
        ],
        "moved": [dict(vars(item)) for item in change.moved()],  # flat frozen dataclasses: quicker than asdict
    }


def label(name: str, position: int) -> str:
    """How a message names an audit: its name, bidi-isolated, or "Audit N" when it has none."""
    return isolate(name.strip()) if name.strip() else f"Audit {position}"


def display_name(name: str, position: int) -> str:
    return name if name.strip() else f"Audit {position}"


def build(
    framework: Framework, audits: Sequence[tuple[str, Audit]], notices: Sequence[str] = (), *, every_change: bool = True
) -> Trend:
    """The trend of already-read audits of ``framework`` (at least one), oldest first.

    ``every_change=False`` compares only the latest audit with the one before (what the
    governors' report needs), which saves work on a long history.
    """
    notices = list(notices)
    setting = audits[-1][1].details.setting
    view = framework.for_setting(setting)
    points: list[TrendPoint] = []
    scored: list[Audit] = []  # each audit with the trend's setting, as it is scored and compared
    for position, (name, audit) in enumerate(audits, 1):
        if audit.details.setting != setting:
            notices.append(
                f"{label(name, position)} was recorded for {_setting_name(framework, audit.details.setting)} and the "
                f"latest audit for {_setting_name(framework, setting)}, so it is shown for "
                f"{_setting_name(framework, setting)}."
            )
            audit_for_setting = dataclasses.replace(audit, details=dataclasses.replace(audit.details, setting=setting))
        else:
            audit_for_setting = audit
        scored.append(audit_for_setting)
        points.append(TrendPoint(position, display_name(name, position), audit, score(view, audit_for_setting)))
    pairs = range(1, len(points)) if every_change else range(max(1, len(points) - 1), len(points))
    changes = tuple(
        Change(
            points[index - 1],
            points[index],
            compare_module.compare(
                framework, scored[index - 1], scored[index], scores=(points[index - 1].score, points[index].score)
            ),
        )
        for index in pairs
    )
    return Trend(framework, setting, tuple(points), changes, tuple(notices))


def read_audits(
    items: Sequence[tuple[str, Any]], framework: Framework | None = None
) -> tuple[Framework | None, list[tuple[str, Audit]], list[str], list[str]]:
    """Read ``(name, data)`` pairs: ``data`` is a saved audit's bytes or text, or the parsed object.

    Each is read by ``savefile``'s rules against ``framework``, or the framework it names.
    Returns ``(framework, [(name, audit)], notices, problems)``; with problems, nothing else counts.
    """
    if not items:
        return None, [], [], ["Choose at least one audit."]
    if len(items) > MAX_AUDITS:
        return None, [], [], [f"At most {MAX_AUDITS} audits can be shown together; {len(items)} were given."]
    items = [(name if isinstance(name, str) else "", data) for name, data in items]
    results = [_load(data, framework) for _, data in items]
    labels = [label(_LONE_SURROGATE.sub("\ufffd", name), position) for position, (name, _) in enumerate(items, 1)]
    problems = [f"{who}: {problem}" for who, result in zip(labels, results) for problem in result.problems]
    if problems:
        return None, [], [], problems
    first = results[0].framework
    for who, result in zip(labels, results):
        if result.framework.id != first.id:
            return None, [], [], [
                f"The audits are not all the same audit: {labels[0]} is a saved {first.title} but {who} is a saved "
                f"{result.framework.title}. Only audits of the same framework can be shown together."
            ]
    notices = [f"{who}: {notice}" for who, result in zip(labels, results) for notice in result.notices]
    # Half an emoji in a name (JavaScript strings can hold one) becomes U+FFFD, as in any answer.
    named = [(_LONE_SURROGATE.sub("\ufffd", name), result.audit) for (name, _), result in zip(items, results)]
    return first, named, notices, []


def trend_saved(
    items: Sequence[tuple[str, Any]], framework: Framework | None = None, *, every_change: bool = True
) -> TrendResult:
    """Read the audits (see ``read_audits``) and work out their trend; plain problems instead of exceptions."""
    found, audits, notices, problems = read_audits(items, framework)
    if problems:
        return TrendResult(None, tuple(problems))
    return TrendResult(build(found, audits, notices, every_change=every_change))


def _load(data: Any, framework: Framework | None) -> savefile.LoadResult:
    if isinstance(data, Mapping):
        return savefile.from_value(dict(data), framework)
    return savefile.load(data, framework) if framework is not None else savefile.load_any(data)


def _setting_name(framework: Framework, setting: str) -> str:
    return f"‘{framework.setting_label(setting)}’" if setting else "no particular setting"


# ---------------------------------------------------------------------------------------------- exports


def render(trend: Trend, fmt: str) -> str | bytes:
    """The trend as Markdown, CSV or JSON (text) or XLSX (bytes); an unknown ``fmt`` raises ValueError."""
    if fmt == "md":
        return render_markdown(trend)
    if fmt == "csv":
        return render_csv(trend)
    if fmt == "json":
        return json.dumps(trend.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "xlsx":
        return render_xlsx(trend)
    raise ValueError(f"unknown trend format {fmt!r}; expected one of {', '.join(FORMATS)}")


def one_line(text: str) -> str:
    """Typed text for a table cell or heading: on one line, escaped (``|`` included)."""
    return md_text(" ".join(text.split()))


def score_cell(metrics: Metrics) -> str:
    """"45% Amber", or "–" when nothing is rated."""
    return "–" if metrics.percent is None else f"{metrics.percent}% {md_text(metrics.band_label)}"


def score_words(metrics: Metrics) -> str:
    """"45% (Amber)", or "no score (nothing rated)"; plain text."""
    return "no score (nothing rated)" if metrics.percent is None else f"{metrics.percent}% ({metrics.band_label})"


def rated_text(metrics: Metrics) -> str:
    """"20 of 40 (50%)": rated statements and coverage."""
    return f"{metrics.rated} of {metrics.total} ({coverage_percent(metrics)}%)"


def rated_words(metrics: Metrics) -> str:
    """"20 of 40 statements rated (50%)"."""
    return f"{metrics.rated} of {metrics.total} statements rated ({coverage_percent(metrics)}%)"


def movements_text(movements: Mapping[str, int]) -> str:
    """"3 improved, 1 worse, …": every movement, in the order of ``compare.MOVEMENTS``."""
    return ", ".join(f"{count} {MOVEMENTS[kind].lower()}" for kind, count in movements.items())


def markdown_header(trend: Trend, heading: str | None) -> list[str]:
    """Title (unless ``heading`` is None), setting, framework, scoring and notices: shared with the governors' report."""
    framework = trend.framework
    out = [] if heading is None else [f"# {md_text(framework.title)}: {heading}", ""]
    if framework.settings:
        out += [f"{SETTING_LABEL}: {md_text(framework.setting_label(trend.setting) or 'not chosen (every part included)')}.", ""]
    out += [f"Framework: {md_text(framework.title)}, version {md_text(framework.version)}. {md_text(framework.source)}.", ""]
    out += [md_text(describe_scheme(framework)) + " Changes are in percentage points.", ""]
    if trend.notices:
        out += ["## Notices", ""] + [f"- {md_text(notice, '  ')}" for notice in trend.notices] + [""]
    return out


def markdown_scores_table(trend: Trend) -> list[str]:
    """One row per audit: date, completed by, the whole audit and every section, and how much was rated."""
    sections = [area for area in trend.areas(subsections=False) if area.level == "section"]
    overall = trend.areas(subsections=False)[0]
    header = ["#", "Audit", "Date", "Completed by", WHOLE_AUDIT, *(area.md_label for area in sections), "Rated"]
    out = ["| " + " | ".join(header) + " |", "| ---: | --- | --- | --- | " + " | ".join("---" for _ in range(len(sections) + 1)) + " | ---: |"]
    for index, point in enumerate(trend.points):
        cells = [
            str(point.position), one_line(point.name), one_line(point.audit.details.date), one_line(point.audit.details.completed_by),
            score_cell(overall.metrics[index]), *(score_cell(area.metrics[index]) for area in sections),
            rated_text(overall.metrics[index]),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def markdown_moved_table(
    items: Sequence[compare_module.StatementChange], before: str = "Before", after: str = "After", *, movement: bool = True
) -> list[str]:
    """The statements that moved: ref, statement, rating before and after (and the movement, unless grouped by it)."""
    out = [f"| Ref | Statement | {before} | {after} |" + (" Movement |" if movement else ""),
           "| --- | --- | --- | --- |" + (" --- |" if movement else "")]
    out += [
        f"| {item.ref} | {one_line(item.text)} | {one_line(item.baseline_rating_label)} | "
        f"{one_line(item.review_rating_label)} |" + (f" {one_line(item.movement_label)} |" if movement else "")
        for item in items
    ]
    return out + [""]


def render_markdown(trend: Trend) -> str:
    count = len(trend.points)
    out = markdown_header(trend, f"trend across {count} audit{'s' if count != 1 else ''}")
    out += ["## Scores over time", "", "Oldest first. A dash means nothing in that part was rated.", ""]
    out += markdown_scores_table(trend)

    areas = trend.areas()
    for section in (area for area in areas if area.level == "section"):
        subs = [area for area in areas if area.section_id == section.id]
        out += [f"### {section.ref} {one_line(section.title)}", ""]
        out += ["| # | Audit | " + " | ".join(sub.md_label for sub in subs) + " |",
                "| ---: | --- | " + " | ".join("---" for _ in subs) + " |"]
        out += [
            f"| {point.position} | {one_line(point.name)} | " + " | ".join(score_cell(sub.metrics[index]) for sub in subs) + " |"
            for index, point in enumerate(trend.points)
        ]
        out.append("")

    out += ["## What moved between audits", ""]
    if not trend.changes:
        out += ["There is only one audit, so nothing can be compared yet.", ""]
    for change in trend.changes:
        overall = change.comparison.overall
        moved = change.moved()
        out += [
            # Headings hold no typed text: renderers make ids (and links) from headings.
            f"### From audit {change.earlier.position} to audit {change.later.position}",
            "",
            f"{one_line(change.earlier.name)} → {one_line(change.later.name)}",
            "",
            f"- **Score:** {md_text(score_words(overall.baseline))} → {md_text(score_words(overall.review))}"
            + ("." if overall.percent_change is None else f": {change_text(overall.percent_change)} percentage points."),
            f"- **Rated:** {rated_text(overall.baseline)} → {rated_text(overall.review)}.",
            f"- **Statements:** {movements_text(overall.movements)}.",
            "",
        ]
        out += markdown_moved_table(moved) if moved else ["No statement changed its rating.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


CSV_COLUMNS = (
    "Position", "Audit", "Date", "Completed by", "Level", "Ref", "Area", "Score %", "Band", "Rated", "Total", "Coverage %",
    "Change since previous (percentage points)", *(f"{label} since previous" for label in MOVEMENTS.values()),
)
_LEVEL_LABELS = {"overall": "Whole audit", "section": "Section", "subsection": "Subsection"}


def render_csv(trend: Trend) -> str:
    """One row per audit and area (whole audit, sections, subsections), oldest audit first; UTF-8 with a BOM."""
    changes = {change.later.position: change for change in trend.changes}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    areas = trend.areas()
    for index, point in enumerate(trend.points):
        change = changes.get(point.position)
        level_changes = _level_changes(change.comparison) if change else {}
        for area in areas:
            metrics = area.metrics[index]
            moved = level_changes.get((area.level, area.id))
            row: list[Any] = [
                point.position, point.name, point.audit.details.date, point.audit.details.completed_by,
                _LEVEL_LABELS[area.level], area.ref, area.title, metrics.percent, metrics.band_label, metrics.rated,
                metrics.total, coverage_percent(metrics),
                moved.percent_change if moved else None,
                *(moved.movements[kind] if moved else None for kind in MOVEMENTS),
            ]
            writer.writerow(["" if value is None else neutralise(str(value)) if isinstance(value, str) else value for value in row])
    return BOM + buffer.getvalue()


def _level_changes(comparison: Comparison) -> dict[tuple[str, str], LevelChange]:
    found = {("overall", ""): comparison.overall}
    for section in comparison.sections:
        found[("section", section.id)] = section.change
        found |= {("subsection", sub.id): sub.change for sub in section.subsections}
    return found


def xlsx_scores_sheet(sheet: Any, trend: Trend, put: Any, title: str) -> None:
    """The trend table (one row per audit; the whole audit and every section) and a line chart of it.

    Shared by the trend and the governors' report. Bands are written in words next to each score,
    filled with the band's colour; the chart's lines have different marker shapes too.
    """
    from openpyxl.chart import LineChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.utils import quote_sheetname
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    framework = trend.framework
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    row = 2
    if framework.settings:
        put(sheet, row, 1, SETTING_LABEL).font = bold
        put(sheet, row, 2, framework.setting_label(trend.setting) or "Not chosen (every part included)")
        row += 1
    put(sheet, row, 1, "Scoring").font = bold
    put(sheet, row, 2, describe_scheme(framework) + " Oldest audit first; a blank score means nothing was rated.").alignment = wrap
    areas = trend.areas(subsections=False)
    fixed = ["#", "Audit", "Date", "Completed by", "Rated", "Coverage %"]
    headers = fixed + [header for area in areas for header in (f"{area.label} %", f"{area.label} band")]
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=min(len(headers), 12))
    sheet.row_dimensions[row].height = 45
    header_row = row + 2
    for column, header in enumerate(headers, 1):
        cell = put(sheet, header_row, column, header)
        cell.font = bold
        cell.alignment = wrap
    for index, point in enumerate(trend.points):
        r = header_row + 1 + index
        overall = areas[0].metrics[index]
        values: list[Any] = [point.position, point.name, point.audit.details.date, point.audit.details.completed_by,
                             overall.rated, coverage_percent(overall)]
        for column, value in enumerate(values, 1):
            put(sheet, r, column, value)
        for offset, area in enumerate(areas):
            metrics = area.metrics[index]
            column = len(fixed) + 1 + 2 * offset
            put(sheet, r, column, metrics.percent)
            put(sheet, r, column + 1, metrics.band_label, metrics.band)
    last_row = header_row + len(trend.points)
    for column, width in enumerate([5, 28, 13, 18, 7, 10] + [12, 12] * len(areas), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)

    chart = LineChart()
    chart.title = "Scores over time (%)"
    chart.y_axis.title = "Score %"
    chart.x_axis.title = "Audit, oldest first"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.x_axis.delete = False  # openpyxl 3.1 hides the axes otherwise
    chart.y_axis.delete = False
    chart.display_blanks = "gap"
    chart.height = 9
    chart.width = 18
    for offset, _area in enumerate(areas):
        column = len(fixed) + 1 + 2 * offset
        chart.add_data(Reference(sheet, min_col=column, min_row=header_row, max_row=last_row), titles_from_data=True)
    # The audits' names label the axis: a text reference (set_categories would make it a number reference).
    names = StrRef(f"{quote_sheetname(sheet.title)}!$B${header_row + 1}:$B${last_row}")
    for number, series in enumerate(chart.series):
        series.cat = AxDataSource(strRef=names)
        series.marker.symbol = _MARKERS[number % len(_MARKERS)]
        series.marker.size = 7
        series.smooth = False
    sheet.add_chart(chart, f"A{last_row + 3}")


_WRAPPED_MOVED_COLUMNS = (8,)  # the statement; the other columns are short or wide enough


def xlsx_moved_sheet(sheet: Any, changes: Sequence[Change], put: Any) -> None:
    """One row per statement that moved, for every change given."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    columns = ["From #", "From", "To #", "To", "Ref", "Section", "Subsection", "Statement", "Before", "After", "Movement",
               "Change in points"]
    for column, (header, width) in enumerate(zip(columns, [7, 22, 7, 22, 8, 22, 26, 60, 12, 12, 16, 10]), 1):
        cell = put(sheet, 1, column, header)
        cell.font = bold
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = width
    r = 2
    for change in changes:
        for item in change.moved():
            values = [change.earlier.position, change.earlier.name, change.later.position, change.later.name, item.ref,
                      item.section_title, item.subsection_title, item.text, item.baseline_rating_label,
                      item.review_rating_label, item.movement_label, item.points_change]
            for column, value in enumerate(values, 1):
                fill = item.baseline_rating if column == 9 else item.review_rating if column == 10 else None
                cell = put(sheet, r, column, value, fill)
                if column in _WRAPPED_MOVED_COLUMNS:  # styling every cell would cost a second on a long history
                    cell.alignment = wrap
            r += 1
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def render_xlsx(trend: Trend) -> bytes:
    """Sheets: Trend (table and chart), Subsections, Movements (counts per change), Changes (moved statements)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .export_xlsx import cell_writer, workbook_bytes

    framework = trend.framework
    put = cell_writer(framework)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Trend"
    count = len(trend.points)
    xlsx_scores_sheet(sheet, trend, put, f"{framework.title}: trend across {count} audit{'s' if count != 1 else ''}")
    notice_row = sheet.max_row + 22  # below the chart
    for notice in trend.notices:
        put(sheet, notice_row, 1, "Notice").font = bold
        put(sheet, notice_row, 2, notice)
        notice_row += 1

    subs = [area for area in trend.areas() if area.level == "subsection"]
    sheet = workbook.create_sheet("Subsections")
    headers = ["#", "Audit"] + [header for area in subs for header in (f"{area.label} %", f"{area.label} band")]
    for column, header in enumerate(headers, 1):
        cell = put(sheet, 1, column, header)
        cell.font = bold
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = 5 if column == 1 else 28 if column == 2 else 14
    for index, point in enumerate(trend.points):
        put(sheet, index + 2, 1, point.position)
        put(sheet, index + 2, 2, point.name)
        for offset, area in enumerate(subs):
            metrics = area.metrics[index]
            put(sheet, index + 2, 3 + 2 * offset, metrics.percent)
            put(sheet, index + 2, 4 + 2 * offset, metrics.band_label, metrics.band)
    sheet.freeze_panes = "C2"

    sheet = workbook.create_sheet("Movements")
    headers = ["From #", "From", "To #", "To", "Score before %", "Score after %", "Change", "Coverage change",
               *MOVEMENTS.values()]
    for column, header in enumerate(headers, 1):
        cell = put(sheet, 1, column, header)
        cell.font = bold
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = 22 if header in ("From", "To") else 10
    for r, change in enumerate(trend.changes, 2):
        overall = change.comparison.overall
        values = [change.earlier.position, change.earlier.name, change.later.position, change.later.name,
                  overall.baseline.percent, overall.review.percent, overall.percent_change, overall.coverage_change,
                  *overall.movements.values()]
        for column, value in enumerate(values, 1):
            put(sheet, r, column, value)
    sheet.freeze_panes = "A2"

    xlsx_moved_sheet(workbook.create_sheet("Changes"), trend.changes, put)
    return workbook_bytes(workbook, framework.title, trend.latest.audit.details.date)
