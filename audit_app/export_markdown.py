r"""A readable action plan with scores, as Markdown (fine as plain text, better when rendered).

Layout: title and audit details; a scores table (whole audit, sections,
subsections); the action plan, improve actions first in plan order, each with
the statement and what the school recorded; then the additional notes.

``md_text`` (used by every Markdown export: the plan, the comparison, the team
spread and the meeting agenda) makes typed text render as exactly that text,
and nothing else, in CommonMark/GFM renderers *and* in Python-Markdown (what
MkDocs and many wikis use), including the extensions this site enables
(tables, attr_list, def_list, admonition, footnotes, abbr, md_in_html,
pymdownx.details, pymdownx.snippets). The two disagree about backslashes, so:

* ``<``, ``>`` and ``&`` (when it could start an entity) become entities
  (``&lt;`` ``&gt;`` ``&amp;``): Python-Markdown passes ``\<script>`` through as
  raw HTML, so a backslash is not enough. No raw HTML and no ``<https://…>``
  autolink can come from typed text.
* ``|`` and ``~`` become ``&#124;`` and ``&#126;`` (table cells, strikethrough
  and fences), as Python-Markdown does not take a backslash before them.
* Other characters with inline meaning (backslash, backtick, ``*``, ``_``,
  ``[``, ``]``, ``{``, ``}``: emphasis, code, links, images, footnotes,
  abbreviations, attribute lists) get a backslash, which both read the same way.
* At the start of a line, characters that would begin a heading, list, quote,
  rule, setext underline, definition, admonition or details block (``#``, ``+``,
  ``-``, ``=``, ``:``, ``!``, ``?``, ``1.``, ``1)``) are escaped, and leading
  spaces are dropped (four would start a code block).
* Line breaks become hard breaks (two spaces, which both read; a trailing
  backslash shows as a backslash in Python-Markdown) and blank lines are left
  out, so a note stays one paragraph (or one list item) whatever it holds.

Bare web addresses (``https://…``, ``www.…``) are left as typed: CommonMark and
Python-Markdown show them as text; renderers with GFM's autolink extension may
link them, but such a link always shows its own address and only ever uses
http(s) or mail, so it cannot disguise where it goes or run script. Typed
``[text](javascript:…)`` links cannot form, because ``[`` and ``]`` are escaped.
"""

from __future__ import annotations

import re

from .framework import Framework
from .model import DETAIL_FIELDS, RESPONSE_TEXT_FIELDS, SETTING_LABEL, Audit
from .plan import KIND_LABELS, Action, build_plan
from .scoring import Metrics, describe_scheme, score

_BACKSLASHED = re.compile(r"[\\`*_\[\]{}]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}
_ENTITY_CHARS = re.compile(r"[<>|~]|&(?=#?\w+;)")  # a bare "&" is shown as "&" by both renderers
_LINE_START = {"#": "\\#", "+": "\\+", "-": "\\-", "!": "\\!", "=": "&#61;", ":": "&#58;", "?": "&#63;"}
_ORDERED = re.compile(r"^(\d+)([.)])")  # "1." or "1)" would start a numbered list
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def md_text(text: str, indent: str = "") -> str:
    """Escape ``text`` so it renders literally (see the module docstring); continuation lines get ``indent``."""
    lines = []
    for line in _NEWLINES.split(text):
        line = line.strip(" \t")
        if not line:
            continue
        line = _BACKSLASHED.sub(lambda match: "\\" + match.group(0), line)
        line = _ENTITY_CHARS.sub(lambda match: _ENTITIES.get(match.group(0), "&amp;"), line)
        line = _LINE_START.get(line[0], line[0]) + line[1:]
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return ("  \n" + indent).join(lines)


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
        out += action_heading(action)
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


def action_heading(action: Action) -> list[str]:
    """An action's heading, where it sits in the audit and its statement: the
    same lines in the plan and in the report for governors."""
    return [
        f"### {action.number} · {md_text(action.rating_label)} · {KIND_LABELS[action.kind]}",
        "",
        f"*{md_text(action.section_title)} › {md_text(action.subsection_title)}*",
        "",
        md_text(action.text),
        "",
    ]
