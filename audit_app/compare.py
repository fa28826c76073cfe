"""Compare two audits of the same framework: a baseline and a later review.

What a leader wants to know after a second audit is what moved. Per statement
the *movement* is one of (ids as in the JSON, labels as in every report):

* ``improved`` "Improved": rated in both, the review's rating earns more points
  (Red → Amber, Amber → Green, Red → Green);
* ``worse`` "Worse": rated in both, the review's rating earns fewer points;
* ``unchanged`` "Unchanged": rated in both, the same points;
* ``newly-rated`` "Newly rated": not rated in the baseline, rated in the review;
* ``no-longer-rated`` "No longer rated": rated in the baseline, not in the review;
* ``not-rated`` "Not rated": rated in neither.

``points_change`` is the review's points minus the baseline's (``None`` unless
rated in both). For the whole audit, every section and every subsection the
comparison gives both scores (``audit_app.scoring``, unchanged) and:

* ``percent_change``: review percent minus baseline percent, in percentage
  points, from the whole-number percents people see (so "45% → 60%" is always
  "+15"); ``None`` when either side has nothing rated;
* ``coverage_percent_baseline`` / ``coverage_percent_review``: rated statements
  as a whole-number percentage (rounded half up), and ``coverage_change``, their
  difference in percentage points; ``rated_change`` in statements;
* ``movements``: how many statements made each movement.

So comparing an audit with itself shows every statement "unchanged" or "not
rated" and every change 0 (or ``None`` where nothing is rated).

Settings: both audits are scored for the review's setting (the one the school
chose most recently). If the baseline names another setting a notice says so,
and the baseline's scores are worked out for the review's setting.

Both audits must be of the same framework; a file saved with another version of
it is brought up to date by ``savefile`` as usual and its notices are passed on,
each starting with which audit it is about. Nothing here raises for bad files:
``compare_saved`` returns plain-English problems.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import savefile
from .export_markdown import md_text
from .framework import Framework
from .model import DETAIL_FIELDS, NOT_RATED_LABEL, SETTING_LABEL, Audit
from .quoting import isolate
from .scoring import AuditScore, Metrics, describe_scheme, score

MOVEMENTS: dict[str, str] = {
    "improved": "Improved",
    "worse": "Worse",
    "unchanged": "Unchanged",
    "newly-rated": "Newly rated",
    "no-longer-rated": "No longer rated",
    "not-rated": "Not rated",
}
FORMATS = ("md", "json", "xlsx")


@dataclass(frozen=True)
class StatementChange:
    statement_id: str
    ref: str
    section_id: str
    section_title: str
    subsection_id: str
    subsection_title: str
    text: str
    baseline_rating: str | None
    baseline_rating_label: str
    review_rating: str | None
    review_rating_label: str
    movement: str
    movement_label: str
    points_change: int | None


@dataclass(frozen=True)
class LevelChange:
    """Scores of one area (whole audit, section or subsection) in both audits, and the change."""

    baseline: Metrics
    review: Metrics
    movements: dict[str, int]

    @property
    def percent_change(self) -> int | None:
        if self.baseline.percent is None or self.review.percent is None:
            return None
        return self.review.percent - self.baseline.percent

    @property
    def coverage_percent_baseline(self) -> int:
        return _whole_percent(self.baseline.rated, self.baseline.total)

    @property
    def coverage_percent_review(self) -> int:
        return _whole_percent(self.review.rated, self.review.total)

    @property
    def coverage_change(self) -> int:
        return self.coverage_percent_review - self.coverage_percent_baseline

    @property
    def rated_change(self) -> int:
        return self.review.rated - self.baseline.rated

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline.as_dict(),
            "review": self.review.as_dict(),
            "percent_change": self.percent_change,
            "coverage_percent_baseline": self.coverage_percent_baseline,
            "coverage_percent_review": self.coverage_percent_review,
            "coverage_change": self.coverage_change,
            "rated_change": self.rated_change,
            "movements": dict(self.movements),
        }


@dataclass(frozen=True)
class SubsectionChange:
    id: str
    ref: str
    title: str
    change: LevelChange


@dataclass(frozen=True)
class SectionChange:
    id: str
    number: str
    title: str
    change: LevelChange
    subsections: tuple[SubsectionChange, ...]


@dataclass(frozen=True)
class Comparison:
    framework: Framework  # the whole framework (not the setting's view)
    setting: str  # the setting both were compared for: the review's
    baseline: Audit  # as recorded (its own setting, even when compared for another)
    review: Audit
    overall: LevelChange
    sections: tuple[SectionChange, ...]
    statements: tuple[StatementChange, ...]
    notices: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The shape of the JSON export and of the bridge's ``compare`` (which adds ``"ok"``)."""
        return {
            "framework": {"id": self.framework.id, "version": self.framework.version, "title": self.framework.title},
            "setting": self.setting,
            "setting_label": self.framework.setting_label(self.setting),
            "baseline_details": _details(self.baseline),
            "review_details": _details(self.review),
            "overall": self.overall.as_dict(),
            "sections": [
                {
                    "id": section.id,
                    "number": section.number,
                    "title": section.title,
                    **section.change.as_dict(),
                    "subsections": [
                        {"id": sub.id, "ref": sub.ref, "title": sub.title, **sub.change.as_dict()}
                        for sub in section.subsections
                    ],
                }
                for section in self.sections
            ],
            "statements": [dataclasses.asdict(statement) for statement in self.statements],
            "notices": list(self.notices),
        }


@dataclass(frozen=True)
class CompareResult:
    """Either ``comparison`` or ``problems``; never both."""

    comparison: Comparison | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.comparison is not None


def movement(framework: Framework, baseline_rating: str | None, review_rating: str | None) -> tuple[str, int | None]:
    """The movement id and the change in points (``None`` unless rated in both)."""
    before = framework.rating_index.get(baseline_rating) if baseline_rating is not None else None
    after = framework.rating_index.get(review_rating) if review_rating is not None else None
    if before is None and after is None:
        return "not-rated", None
    if before is None:
        return "newly-rated", None
    if after is None:
        return "no-longer-rated", None
    change = after.points - before.points
    return ("improved" if change > 0 else "worse" if change < 0 else "unchanged"), change


def compare(
    framework: Framework,
    baseline: Audit,
    review: Audit,
    notices: Sequence[str] = (),
    scores: tuple[AuditScore, AuditScore] | None = None,
) -> Comparison:
    """Compare two audits of ``framework`` (see the module docstring for every rule).

    ``scores`` may give both audits' scores already worked out for the review's setting
    (``audit_app.trend`` scores each audit of a history once); otherwise they are worked out here.
    """
    notices = list(notices)
    setting = review.details.setting
    recorded = baseline  # kept as recorded for the report; ``baseline`` is what is scored
    if baseline.details.setting != setting:
        def named(value: str) -> str:
            return f"‘{framework.setting_label(value)}’" if value else "no particular setting"

        notices.append(
            f"The baseline was recorded for {named(baseline.details.setting)} and the review for "
            f"{named(setting)}, so both are compared for {named(setting)}."
        )
        baseline = dataclasses.replace(baseline, details=dataclasses.replace(baseline.details, setting=setting))
    view = framework.for_setting(setting)
    labels = {rating.id: rating.label for rating in framework.ratings}

    statements: list[StatementChange] = []
    moved: dict[str, str] = {}
    for section, subsection, statement in view.iter_statements():
        before = baseline.response(statement.id).rating
        after = review.response(statement.id).rating
        before = before if before in labels else None
        after = after if after in labels else None
        kind, points = movement(framework, before, after)
        moved[statement.id] = kind
        statements.append(
            StatementChange(
                statement_id=statement.id,
                ref=statement.ref,
                section_id=section.id,
                section_title=section.title,
                subsection_id=subsection.id,
                subsection_title=subsection.title,
                text=statement.text,
                baseline_rating=before,
                baseline_rating_label=labels[before] if before else NOT_RATED_LABEL,
                review_rating=after,
                review_rating_label=labels[after] if after else NOT_RATED_LABEL,
                movement=kind,
                movement_label=MOVEMENTS[kind],
                points_change=points,
            )
        )

    def counts(statement_ids: Sequence[str]) -> dict[str, int]:
        tally = dict.fromkeys(MOVEMENTS, 0)
        for statement_id in statement_ids:
            tally[moved[statement_id]] += 1
        return tally

    before_score, after_score = scores if scores is not None else (score(framework, baseline), score(framework, review))
    sections = []
    for section, before_section, after_section in zip(view.sections, before_score.sections, after_score.sections):
        subsections = tuple(
            SubsectionChange(
                sub.id, sub.ref, sub.title,
                LevelChange(before_sub.metrics, after_sub.metrics, counts([s.id for s in sub.statements])),
            )
            for sub, before_sub, after_sub in zip(section.subsections, before_section.subsections, after_section.subsections)
        )
        section_ids = [s.id for sub in section.subsections for s in sub.statements]
        sections.append(
            SectionChange(
                section.id, section.number, section.title,
                LevelChange(before_section.metrics, after_section.metrics, counts(section_ids)), subsections,
            )
        )
    return Comparison(
        framework=framework,
        setting=setting,
        baseline=recorded,
        review=review,
        overall=LevelChange(before_score.overall, after_score.overall, counts(list(moved))),
        sections=tuple(sections),
        statements=tuple(statements),
        notices=tuple(notices),
    )


def compare_saved(
    baseline_data: str | bytes | Mapping[str, Any],
    review_data: str | bytes | Mapping[str, Any],
    framework: Framework | None = None,
    names: tuple[str, str] | None = None,
) -> CompareResult:
    """Read two saved files (each against the framework it names, or ``framework``) and compare them.

    Each is a file's bytes or text, or a saved audit already parsed (an object kept by the page).

    Problems and notices start with which file they are about: "The baseline" and "The review", or
    ``names`` (file names, bidi-isolated by ``quoting.isolate`` because the user chose them).
    """
    names = ("The baseline", "The review") if names is None else (isolate(names[0]), isolate(names[1]))
    results = [_read(data, framework) for data in (baseline_data, review_data)]
    problems = [f"{name}: {problem}" for name, result in zip(names, results) for problem in result.problems]
    if problems:
        return CompareResult(None, tuple(problems))
    baseline, review = results
    if baseline.framework.id != review.framework.id:
        return CompareResult(
            None,
            (
                f"The two files are different audits: {names[0]} is a saved {baseline.framework.title} and "
                f"{names[1]} is a saved {review.framework.title}. Only two saved copies of the same audit "
                "can be compared.",
            ),
        )
    notices = [f"{name}: {notice}" for name, result in zip(names, results) for notice in result.notices]
    return CompareResult(compare(review.framework, baseline.audit, review.audit, notices))


def render(comparison: Comparison, fmt: str) -> str | bytes:
    """The comparison as Markdown or JSON (text) or XLSX (bytes); unknown ``fmt`` raises ValueError."""
    if fmt == "md":
        return render_markdown(comparison)
    if fmt == "json":
        return json.dumps(comparison.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "xlsx":
        return render_xlsx(comparison)
    raise ValueError(f"unknown comparison format {fmt!r}; expected one of {', '.join(FORMATS)}")


def change_text(change: int | None) -> str:
    """"+15", "-5", "0", or "–" when there is nothing to compare."""
    if change is None:
        return "–"
    return f"+{change}" if change > 0 else str(change)


def render_markdown(comparison: Comparison) -> str:
    framework = comparison.framework
    out = [f"# {md_text(framework.title)}: comparison of two audits", ""]
    rows = [(label, getattr(comparison.baseline.details, key), getattr(comparison.review.details, key)) for key, label in DETAIL_FIELDS.items()]
    if framework.settings:
        rows.append((SETTING_LABEL, framework.setting_label(comparison.baseline.details.setting), framework.setting_label(comparison.setting)))
    out += ["| | Baseline | Review |", "| --- | --- | --- |"]
    out += [f"| {label} | {_cell(before)} | {_cell(after)} |" for label, before, after in rows]
    out += ["", f"Framework: {md_text(framework.title)}, version {md_text(framework.version)}. {md_text(framework.source)}.", ""]
    out += [md_text(describe_scheme(framework)) + " Changes are in percentage points.", ""]
    if comparison.notices:
        out += ["## Notices", ""] + [f"- {md_text(notice, '  ')}" for notice in comparison.notices] + [""]

    overall = comparison.overall
    out += ["## Summary", ""]
    out += [
        f"- **Score:** {_score(overall.baseline)} in the baseline, {_score(overall.review)} in the review"
        + ("." if overall.percent_change is None else f": {change_text(overall.percent_change)} percentage points."),
        f"- **Rated:** {overall.baseline.rated} of {overall.baseline.total} statements ({overall.coverage_percent_baseline}%) "
        f"in the baseline, {overall.review.rated} of {overall.review.total} ({overall.coverage_percent_review}%) in the review: "
        f"{change_text(overall.coverage_change)} percentage points.",
        "- **Statements:** " + ", ".join(f"{count} {MOVEMENTS[kind].lower()}" for kind, count in overall.movements.items()) + ".",
        "",
    ]

    out += ["## Scores", ""]
    out += [
        "| Ref | Area | Baseline | Review | Change | Rated (baseline) | Rated (review) | Coverage change | Improved | Worse |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        _level_row("", "**Whole audit**", overall),
    ]
    for section in comparison.sections:
        out.append(_level_row(section.number, f"**{md_text(section.title)}**", section.change))
        out += [_level_row(sub.ref, md_text(sub.title), sub.change) for sub in section.subsections]
    out.append("")

    out += ["## Statement by statement", ""]
    for section in comparison.sections:
        for sub in section.subsections:
            out += [
                f"### {sub.ref} {md_text(sub.title)} ({md_text(section.title)})",
                "",
                "| Ref | Statement | Baseline | Review | Movement |",
                "| --- | --- | --- | --- | --- |",
            ]
            out += [
                f"| {item.ref} | {_cell(item.text)} | {_cell(item.baseline_rating_label)} | "
                f"{_cell(item.review_rating_label)} | {_cell(item.movement_label)} |"
                for item in comparison.statements
                if item.subsection_id == sub.id
            ]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_xlsx(comparison: Comparison) -> bytes:
    """Two sheets: Summary (every area, both scores and the change) and Statements (one row each)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .export_xlsx import cell_writer, workbook_bytes

    framework = comparison.framework
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    put = cell_writer(framework)

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    put(summary, 1, 1, f"{framework.title}: comparison of two audits").font = Font(bold=True, size=14)
    put(summary, 2, 2, "Baseline").font = bold
    put(summary, 2, 3, "Review").font = bold
    rows = [(label, getattr(comparison.baseline.details, key), getattr(comparison.review.details, key)) for key, label in DETAIL_FIELDS.items()]
    if framework.settings:
        rows.append((SETTING_LABEL, framework.setting_label(comparison.baseline.details.setting), framework.setting_label(comparison.setting)))
    row = 3
    for label, before, after in rows:
        put(summary, row, 1, label).font = bold
        put(summary, row, 2, before)
        put(summary, row, 3, after)
        row += 1
    put(summary, row, 1, "Framework").font = bold
    put(summary, row, 2, f"{framework.title}, version {framework.version}")
    put(summary, row + 1, 1, "Scoring").font = bold
    put(summary, row + 1, 2, describe_scheme(framework) + " Changes are in percentage points.").alignment = wrap
    headers = [
        "Ref", "Area", "Baseline score %", "Baseline band", "Review score %", "Review band", "Score change",
        "Baseline coverage %", "Review coverage %", "Coverage change", *MOVEMENTS.values(),
    ]
    summary.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=len(headers))
    summary.row_dimensions[row + 1].height = 45
    notice_row = row + 2
    for notice in comparison.notices:
        put(summary, notice_row, 1, "Notice").font = bold
        put(summary, notice_row, 2, notice).alignment = wrap
        summary.merge_cells(start_row=notice_row, start_column=2, end_row=notice_row, end_column=len(headers))
        notice_row += 1
    header_row = notice_row + 1
    for column, header in enumerate(headers, 1):
        cell = put(summary, header_row, column, header)
        cell.font = bold
        cell.alignment = wrap
    areas: list[tuple[str, str, LevelChange, int]] = [("", "Whole audit", comparison.overall, 0)]
    for section in comparison.sections:
        areas.append((section.number, section.title, section.change, 0))
        areas += [(sub.ref, sub.title, sub.change, 1) for sub in section.subsections]
    for r, (ref, title, change, indent) in enumerate(areas, header_row + 1):
        values: list[Any] = [
            ref, title, change.baseline.percent, change.baseline.band_label, change.review.percent, change.review.band_label,
            change.percent_change, change.coverage_percent_baseline, change.coverage_percent_review, change.coverage_change,
            *change.movements.values(),
        ]
        for column, value in enumerate(values, 1):
            fill = change.baseline.band if column == 4 else change.review.band if column == 6 else None
            cell = put(summary, r, column, value, fill)
            cell.alignment = Alignment(indent=indent if column == 2 else 0, wrap_text=True, vertical="top")
            if indent == 0 and column <= 2:
                cell.font = bold
    for column, width in enumerate([8, 44, 10, 14, 10, 14, 9, 11, 11, 10] + [10] * len(MOVEMENTS), 1):
        summary.column_dimensions[get_column_letter(column)].width = width

    sheet = workbook.create_sheet("Statements")
    columns = ["Ref", "Section", "Subsection", "Statement", "Baseline rating", "Review rating", "Movement", "Change in points"]
    for column, (header, width) in enumerate(zip(columns, [8, 22, 26, 60, 12, 12, 16, 10]), 1):
        cell = put(sheet, 1, column, header)
        cell.font = bold
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(column)].width = width
    for r, item in enumerate(comparison.statements, 2):
        values = [item.ref, item.section_title, item.subsection_title, item.text, item.baseline_rating_label,
                  item.review_rating_label, item.movement_label, item.points_change]
        for column, value in enumerate(values, 1):
            fill = item.baseline_rating if column == 5 else item.review_rating if column == 6 else None
            put(sheet, r, column, value, fill).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook_bytes(workbook, framework.title, comparison.review.details.date)


def _read(data: str | bytes | Mapping[str, Any], framework: Framework | None) -> savefile.LoadResult:
    if isinstance(data, Mapping):  # a saved audit already parsed (the page keeps its history as objects)
        return savefile.from_value(dict(data), framework)
    return savefile.load(data, framework) if framework is not None else savefile.load_any(data)


def _details(audit: Audit) -> dict[str, str]:
    return {key: getattr(audit.details, key) for key in DETAIL_FIELDS} | {"setting": audit.details.setting}


def _whole_percent(part: int, whole: int) -> int:
    """``part / whole`` as a whole-number percentage, rounded half up with integers (0 when ``whole`` is 0)."""
    return (part * 200 + whole) // (2 * whole) if whole else 0


def _score(metrics: Metrics) -> str:
    return "no score (nothing rated)" if metrics.percent is None else f"{metrics.percent}% ({md_text(metrics.band_label)})"


def _cell(text: str) -> str:
    """Text for a table cell: on one line, escaped (``|`` included)."""
    return md_text(" ".join(text.split()))


def _level_row(ref: str, title: str, change: LevelChange) -> str:
    def score_cell(metrics: Metrics) -> str:
        return "–" if metrics.percent is None else f"{metrics.percent}% {md_text(metrics.band_label)}"

    cells = [
        ref, title, score_cell(change.baseline), score_cell(change.review), change_text(change.percent_change),
        f"{change.baseline.rated} of {change.baseline.total}", f"{change.review.rated} of {change.review.total}",
        change_text(change.coverage_change), str(change.movements["improved"]), str(change.movements["worse"]),
    ]
    return "| " + " | ".join(cells) + " |"
