"""A report for governors: the latest audit, its trend, what moved since the audit before, and the open actions.

Built from a school's audits of one framework in chronological order (the
last is the latest), read and scored exactly as ``audit_app.trend`` does (every
audit scored for the latest audit's setting). It holds, in this order:

1. **The latest audit's details**: its name, school, date, completed by (and
   setting, for a framework that has settings), and the scoring scheme.
2. **A summary**: the score now, the score in the previous audit and the
   change, how many statements made each movement since then, and how many
   actions are open.
3. **Scores over time**: the whole audit and every section at every audit
   (the trend table; the JSON form also gives the series a chart needs).
4. **Then and now**: the whole audit and every section in the previous audit
   (*then*) and the latest (*now*), with the change in percentage points.
5. **What moved**: the statements whose movement between the previous and the
   latest audit is improved, worse, newly rated or no longer rated, grouped in
   that order, each group in framework order.
6. **Open actions**: the latest audit's action plan exactly as
   ``audit_app.plan`` builds it (and the self-audit page shows it). An audit
   records no "done" mark, so every action of the latest plan is open:

   * every statement rated below the best rating (Red or Amber), lowest rating
     first, then in framework order, whether or not a next step has been
     written yet (one without is shown as such: it still needs a plan);
   * then every statement rated the best rating (Green) for which the school
     wrote a next step (an action to sustain it).

   Statements not rated in the latest audit are not actions, and actions of
   earlier audits are not carried over: the latest audit's ratings replace
   them. Each action shows its next step, owner, target date, success criteria
   and review date; the evidence stays in the audit's own plan and exports.

With a single audit there is no previous audit: *then* is empty, nothing has
moved, and the report says so.

Formats: ``json`` (``Report.as_dict``: the page renders its print view from it
with text only), ``md`` (Markdown, escaped as every export is) and ``xlsx``
(sheets Report, Trend with a line chart, What moved, Open actions).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import trend as trend_module
from .compare import MOVEMENTS, LevelChange, change_text
from .export_markdown import action_heading, md_text
from .framework import Framework
from .model import DETAIL_FIELDS, RESPONSE_TEXT_FIELDS, SETTING_LABEL
from .plan import KIND_LABELS, Action, build_plan
from .scoring import Metrics
from .trend import MOVED, Trend, metrics_dict, one_line, rated_text, rated_words, score_cell, score_words

FORMATS = ("json", "md", "xlsx")
ACTION_FIELDS = {key: label for key, label in RESPONSE_TEXT_FIELDS.items() if key != "evidence"}
NO_NEXT_STEP = "No next step recorded yet."


@dataclass(frozen=True)
class Report:
    trend: Trend  # with the latest change only
    actions: tuple[Action, ...]

    @property
    def framework(self) -> Framework:
        return self.trend.framework

    @property
    def title(self) -> str:
        return f"{self.framework.title}: report for governors"

    def details(self) -> list[tuple[str, str]]:
        """(label, value) rows for the latest audit: the name, each detail, and the setting if the framework has them."""
        latest = self.trend.latest
        rows = [("Audit", latest.name)]
        rows += [(label, getattr(latest.audit.details, key)) for key, label in DETAIL_FIELDS.items()]
        if self.framework.settings:
            rows.append((SETTING_LABEL, self.framework.setting_label(self.trend.setting) or "Not chosen (every part included)"))
        return rows

    def then_and_now(self) -> list[tuple[trend_module.Area, Metrics | None, Metrics, LevelChange | None]]:
        """The whole audit and each section: (area, then, now, change); then and change are None with one audit."""
        change = self.trend.latest_change
        changes: list[LevelChange | None] = [None] * (1 + len(self.trend.latest.score.sections))
        if change is not None:
            changes = [change.comparison.overall, *(section.change for section in change.comparison.sections)]
        return [
            (area, area.metrics[-2] if len(area.metrics) > 1 else None, area.metrics[-1], level)
            for area, level in zip(self.trend.areas(subsections=False), changes)
        ]

    def moved(self) -> list[tuple[str, list[Any]]]:
        """(movement id, statements) for each movement in ``trend.MOVED``, in that order (empty lists kept)."""
        change = self.trend.latest_change
        items = change.moved() if change is not None else []
        return [(kind, [item for item in items if item.movement == kind]) for kind in MOVED]

    def actions_rule(self) -> str:
        """What counts as an open action, in words built from the framework's ratings."""
        below, best = _rating_words(self.framework)
        return (
            "Open actions are the latest audit's action plan: every statement rated "
            f"{below}, lowest rating first, whether or not a next step has been written yet, then every statement "
            f"rated {best} that has a next step. An audit has no 'done' mark, so every action in the latest "
            "plan is open; actions from earlier audits are not carried over, because the latest audit's ratings "
            "replace them."
        )

    def summary(self) -> list[tuple[str, str]]:
        """(label, plain sentence) pairs: the figures a governor reads first."""
        trend = self.trend
        now = trend.latest.score.overall
        rows = [("Score now", f"{score_words(now)}, with {rated_words(now)}.")]
        change = trend.latest_change
        if change is None:
            rows.append(("Previous audit", "None: this is the first audit on record, so nothing can be compared yet."))
        else:
            overall = change.comparison.overall
            rows.append((
                "Previous audit",
                f"{score_words(overall.baseline)}, with {rated_words(overall.baseline)}"
                + ("." if overall.percent_change is None else f": {change_text(overall.percent_change)} percentage points since."),
            ))
            rows.append(("Statements since the previous audit", trend_module.movements_text(overall.movements) + "."))
        improve = sum(1 for action in self.actions if action.kind == "improve")
        below, best = _rating_words(self.framework)
        rows.append((
            "Open actions",
            f"{len(self.actions)}: {improve} to improve (rated {below}) and {len(self.actions) - improve} to sustain "
            f"(rated {best}, with a next step).",
        ))
        return rows

    def as_dict(self) -> dict[str, Any]:
        """The JSON form; see ``audit_app.bridge`` (``governors_report``) for every field."""
        trend = self.trend
        framework = self.framework
        previous = trend.previous
        trend_figures = trend.as_dict(subsections=False, changes=False)

        def point(p: trend_module.TrendPoint | None) -> dict[str, Any] | None:
            return None if p is None else {"position": p.position, "name": p.name, "details": trend_module.details(p.audit)}

        return {
            "title": self.title,
            "framework": trend_figures["framework"],
            "setting": trend.setting,
            "setting_label": framework.setting_label(trend.setting),
            "scheme": trend_figures["scheme"],
            "latest": point(trend.latest),
            "previous": point(previous),
            "details": [{"label": label, "value": value} for label, value in self.details()],
            "summary": [{"label": label, "text": text} for label, text in self.summary()],
            "trend": {key: trend_figures[key] for key in ("bands", "audits", "areas")},
            "then_and_now": [
                {
                    "level": area.level,
                    "id": area.id,
                    "ref": area.ref,
                    "title": area.title,
                    "then": None if then is None else metrics_dict(then),
                    "now": metrics_dict(now),
                    **(trend_module.level_change_dict(change) if change is not None else
                       {"percent_change": None, "coverage_change": None, "rated_change": None, "movements": None}),
                }
                for area, then, now, change in self.then_and_now()
            ],
            "moved": [
                {"movement": kind, "label": MOVEMENTS[kind], "statements": [dataclasses.asdict(item) for item in items]}
                for kind, items in self.moved()
            ],
            "actions_rule": self.actions_rule(),
            "actions": [dataclasses.asdict(action) for action in self.actions],
            "notices": list(trend.notices),
        }


@dataclass(frozen=True)
class ReportResult:
    """Either ``report`` or ``problems``; never both."""

    report: Report | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.report is not None


def build_report(trend: Trend) -> Report:
    """The report for a trend (its latest change is all it uses of the changes)."""
    return Report(trend, build_plan(trend.framework, trend.latest.audit))


def build(framework: Framework, audits: Sequence[tuple[str, Any]], notices: Sequence[str] = ()) -> Report:
    """The report for already-read audits of ``framework``, oldest first."""
    return build_report(trend_module.build(framework, audits, notices, every_change=False))


def report_saved(items: Sequence[tuple[str, Any]], framework: Framework | None = None) -> ReportResult:
    """Read ``(name, data)`` pairs as ``trend.read_audits`` does and build the report; problems instead of exceptions."""
    result = trend_module.trend_saved(items, framework, every_change=False)
    return ReportResult(build_report(result.trend)) if result.ok else ReportResult(None, result.problems)


def render(report: Report, fmt: str) -> str | bytes:
    """The report as JSON or Markdown (text) or XLSX (bytes); an unknown ``fmt`` raises ValueError."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return render_markdown(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _rating_words(framework: Framework) -> tuple[str, str]:
    """("Red or Amber", "Green"): the ratings below the best, and the best, as words."""
    below = [rating.label for rating in framework.ratings if rating.points < framework.max_points]
    best = [rating.label for rating in framework.ratings if rating.points == framework.max_points]

    def joined(labels: list[str]) -> str:
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]

    return joined(below) if below else "below the best rating", joined(best)


def render_markdown(report: Report) -> str:
    trend = report.trend
    previous = trend.previous
    out = [f"# {md_text(report.title)}", ""]
    out += [f"- **{label}:** {one_line(value)}" for label, value in report.details() if value.strip()] + [""]
    out += trend_module.markdown_header(trend, None)
    out += ["## Summary", ""] + [f"- **{label}:** {md_text(text)}" for label, text in report.summary()] + [""]

    out += ["## Scores over time", "", "Oldest first. A dash means nothing in that part was rated.", ""]
    out += trend_module.markdown_scores_table(trend)

    out += ["## Then and now", ""]
    if previous is None:
        out += ["This is the first audit on record, so there is nothing to compare it with yet.", ""]
    else:
        out += [
            f"Then: audit {previous.position} ({one_line(previous.name)}), dated {one_line(previous.audit.details.date) or 'no date'}. "
            f"Now: audit {trend.latest.position} ({one_line(trend.latest.name)}), dated {one_line(trend.latest.audit.details.date) or 'no date'}.",
            "",
            "| Ref | Area | Then | Now | Change | Rated then | Rated now |",
            "| --- | --- | --- | --- | ---: | ---: | ---: |",
        ]
        for area, then, now, change in report.then_and_now():
            title = f"**{one_line(area.title)}**" if area.level == "overall" else one_line(area.title)
            out.append(
                f"| {area.ref} | {title} | {score_cell(then)} | {score_cell(now)} | "
                f"{change_text(change.percent_change if change else None)} | {rated_text(then)} | {rated_text(now)} |"
            )
        out.append("")

    out += ["## What moved since the previous audit", ""]
    if previous is None:
        out += ["Nothing yet: this is the first audit on record.", ""]
    else:
        for kind, items in report.moved():
            out += [f"### {MOVEMENTS[kind]} ({len(items)})", ""]
            out += trend_module.markdown_moved_table(items, "Then", "Now", movement=False) if items else ["None.", ""]

    out += ["## Open actions", "", md_text(report.actions_rule()), ""]
    if not report.actions:
        out += ["No open actions: nothing in the latest audit is rated below the best rating, and no next step is recorded.", ""]
    for action in report.actions:
        out += action_heading(action)
        recorded = [
            f"- **{label}:** {md_text(getattr(action, key), '  ')}"
            for key, label in ACTION_FIELDS.items()
            if getattr(action, key).strip()
        ]
        out += (recorded if action.next_step.strip() else [f"- *{NO_NEXT_STEP}*", *recorded]) + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_xlsx(report: Report) -> bytes:
    """Sheets: Report (details, summary, then and now), Trend (table and chart), What moved, Open actions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .export_xlsx import cell_writer, workbook_bytes

    trend = report.trend
    framework = report.framework
    put = cell_writer(framework)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Report"
    put(sheet, 1, 1, report.title).font = Font(bold=True, size=14)
    row = 3
    for label, value in report.details():
        put(sheet, row, 1, label).font = bold
        put(sheet, row, 2, value)
        row += 1
    put(sheet, row, 1, "Framework").font = bold
    put(sheet, row, 2, f"{framework.title}, version {framework.version}")
    row += 2
    for label, text in report.summary():
        put(sheet, row, 1, label).font = bold
        put(sheet, row, 2, text).alignment = wrap
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
        sheet.row_dimensions[row].height = 30
        row += 1
    for notice in trend.notices:
        put(sheet, row, 1, "Notice").font = bold
        put(sheet, row, 2, notice).alignment = wrap
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
        row += 1
    row += 1
    previous = trend.previous
    put(sheet, row, 1, "Then and now").font = Font(bold=True, size=12)
    then_name = f"Then: {previous.position}. {previous.name}" if previous else "Then: no previous audit"
    headers = ["Ref", "Area", f"{then_name} (score %)", "Then band", f"Now: {trend.latest.position}. {trend.latest.name} (score %)",
               "Now band", "Change", "Rated then", "Rated now"]
    row += 1
    for column, header in enumerate(headers, 1):
        cell = put(sheet, row, column, header)
        cell.font = bold
        cell.alignment = wrap
    for area, then, now, change in report.then_and_now():
        row += 1
        values = [area.ref, area.title, then.percent if then else None, then.band_label if then else "",
                  now.percent, now.band_label, change.percent_change if change else None,
                  then.rated if then else None, now.rated]
        for column, value in enumerate(values, 1):
            fill = (then.band if then else None) if column == 4 else now.band if column == 6 else None
            cell = put(sheet, row, column, value, fill)
            if column == 2:
                cell.alignment = wrap
            if area.level == "overall" and column <= 2:
                cell.font = bold
    for column, width in enumerate([22, 44, 16, 12, 16, 12, 9, 9, 9], 1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    trend_module.xlsx_scores_sheet(workbook.create_sheet("Trend"), trend, put, f"{framework.title}: scores over time")
    change = trend.latest_change
    trend_module.xlsx_moved_sheet(workbook.create_sheet("What moved"), [change] if change else [], put)

    sheet = workbook.create_sheet("Open actions")
    put(sheet, 1, 1, report.actions_rule()).alignment = wrap
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    sheet.row_dimensions[1].height = 60
    columns: list[tuple[str, Any]] = [
        ("Ref", lambda a: a.number), ("Section", lambda a: a.section_title), ("Subsection", lambda a: a.subsection_title),
        ("Statement", lambda a: a.text), ("Rating", lambda a: a.rating_label), ("Type", lambda a: KIND_LABELS[a.kind]),
        *((label, lambda a, key=key: getattr(a, key) or (NO_NEXT_STEP if key == "next_step" else "")) for key, label in ACTION_FIELDS.items()),
    ]
    widths = {"Ref": 8, "Section": 20, "Subsection": 24, "Statement": 50, "Rating": 10, "Type": 10, "Next step": 40,
              "Owner": 16, "Target date": 13, "Success criteria": 36, "Review date": 13}
    for column, (header, _) in enumerate(columns, 1):
        cell = put(sheet, 2, column, header)
        cell.font = bold
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(header, 16)
    for r, action in enumerate(report.actions, 3):
        for column, (header, value) in enumerate(columns, 1):
            cell = put(sheet, r, column, value(action), action.rating if header == "Rating" else None)
            if widths.get(header, 16) >= 20:
                cell.alignment = wrap
    sheet.freeze_panes = "A3"
    return workbook_bytes(workbook, framework.title, trend.latest.audit.details.date)
