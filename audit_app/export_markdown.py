"""A readable action plan with scores, as Markdown (fine as plain text, better when rendered).

Layout: title and audit details; a scores table (whole audit, sections,
subsections); the action plan, improve actions first in plan order, each with
the statement and what the school recorded; then the additional notes.

Escaping is minimal but sufficient: text is escaped so it stays text. Inline
characters with Markdown meaning (including ``|``, which would split a table
cell, ``<``, which would start raw HTML such as ``<script>``, and ``&`` before an
entity name) get a backslash; so do characters that would start a heading,
list, quote or rule at the beginning of a line; and line breaks become explicit
hard breaks so a multi-line note stays inside its own paragraph.
"""

from __future__ import annotations

import re

from .framework import Framework
from .model import DETAIL_FIELDS, RESPONSE_TEXT_FIELDS, SETTING_LABEL, Audit
from .plan import KIND_LABELS, build_plan
from .scoring import Metrics, describe_scheme, score

_INLINE = re.compile(r"[\\`*_\[\]<|~]|&(?=#?\w+;)")  # "&amp;" would otherwise render as "&"
_BLOCK_MARK = re.compile(r"^(\s*)([#>+=-])")  # heading, quote, list item, setext underline or rule
_ORDERED = re.compile(r"^(\s*\d+)([.)])")  # "1." or "1)" would start a numbered list
_NEWLINES = re.compile(r"\r\n|\r|\n")


def md_text(text: str, indent: str = "") -> str:
    """Escape ``text`` so it renders literally; continuation lines get ``indent`` (for list items)."""
    lines = []
    for line in _NEWLINES.split(text):
        line = _INLINE.sub(lambda match: "\\" + match.group(0), line)
        line = _BLOCK_MARK.sub(r"\1\\\2", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return ("\\\n" + indent).join(lines)


def render(framework: Framework, audit: Audit) -> str:
    framework = framework.for_setting(audit.details.setting)
    out: list[str] = [f"# {md_text(framework.title)}: action plan", ""]
    details = [
        f"- **{label}:** {md_text(getattr(audit.details, key), '  ')}"
        for key, label in DETAIL_FIELDS.items()
        if getattr(audit.details, key).strip()
    ]
    if audit.details.setting:
        details.append(f"- **{SETTING_LABEL}:** {md_text(framework.setting_label(audit.details.setting))}")
    out += details + [""] if details else []
    out += [f"Framework: {md_text(framework.title)}, version {md_text(framework.version)}. {md_text(framework.source)}.", ""]

    result = score(framework, audit)
    labels = [rating.label for rating in framework.ratings]
    out += ["## Scores", "", md_text(describe_scheme(framework)), ""]
    out += [
        "| Ref | Area | Score | Band | Rated | " + " | ".join(labels) + " | Not yet rated |",
        "| --- | --- | ---: | --- | ---: | " + " | ".join("---:" for _ in labels) + " | ---: |",
        _score_row(framework, "", "**Whole audit**", result.overall),
    ]
    for section in result.sections:
        out.append(_score_row(framework, section.number, f"**{md_text(section.title)}**", section.metrics))
        out += [_score_row(framework, sub.ref, md_text(sub.title), sub.metrics) for sub in section.subsections]
    out.append("")

    actions = build_plan(framework, audit)
    out += ["## Action plan", ""]
    if not actions:
        out += ["No actions yet: rate statements to build the plan.", ""]
    for action in actions:
        out += [
            f"### {action.number} · {md_text(action.rating_label)} · {KIND_LABELS[action.kind]}",
            "",
            f"*{md_text(action.section_title)} › {md_text(action.subsection_title)}*",
            "",
            md_text(action.text),
            "",
        ]
        if action.examples:
            # "*" bullets, so the list of what was recorded ("-") below stays a separate list.
            out += [f"* {md_text(example, '  ')}" for example in action.examples] + [""]
        recorded = [
            f"- **{label}:** {md_text(getattr(action, key), '  ')}"
            for key, label in RESPONSE_TEXT_FIELDS.items()
            if getattr(action, key).strip()
        ]
        out += (recorded or ["*Nothing recorded yet.*"]) + [""]

    notes = [
        (section, subsection, audit.note(subsection.id))
        for section, subsection in framework.iter_subsections()
        if audit.note(subsection.id).strip()
    ]
    if notes:
        out += ["## Additional notes", ""]
        for section, subsection, note in notes:
            out += [f"### {subsection.ref} {md_text(subsection.title)} ({md_text(section.title)})", "", md_text(note), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _score_row(framework: Framework, ref: str, title: str, metrics: Metrics) -> str:
    counts = [str(metrics.counts[rating.id]) for rating in framework.ratings]
    cells = [ref, title, metrics.score_text, md_text(metrics.band_label), f"{metrics.rated} of {metrics.total}", *counts]
    return "| " + " | ".join([*cells, str(metrics.counts["unrated"])]) + " |"
