"""The self-audit form and the Toolkit 1 reference, rendered from framework data.

Both read the framework through ``audit_app.framework`` (the engine's own
loader), so the printable statements, the form, the scores and the exports
can never disagree. The HTML carries the exact names and ids that the page
script (``overrides/assets/javascripts/audit-page.js``) and the tests use:

* every statement is a ``<fieldset id="<statement id>">``;
* every field is named by its place in the saved-audit JSON, e.g.
  ``responses.safe-ethos-1.rating`` or ``subsection_notes.safe-ethos``, so the
  page script can save and restore answers without knowing the format.
"""

from __future__ import annotations

from html import escape

from audit_app.framework import Framework, Rating, Section, Setting, Statement, Subsection
from audit_app.savefile import MAX_FILE_BYTES, MAX_TEXT_CHARS
from audit_app.savefile import SCHEMA as SAVED_SCHEMA

from macros.audit_history import history_panel, trend_panel
from macros.tools_pages import needs_javascript

NOT_RATED_LABEL = "Not yet rated"
STATEMENT_FIELDS = (
    ("evidence", "Evidence", "What you already do, and how you know."),
    ("next_step", "Next step", "What you will do next, if anything."),
)
ACTION_FIELDS = (
    ("owner", "Owner", "text", "Who will lead this."),
    ("target_date", "Target date", "text", "For example 17/07/2026 or ‘end of summer term’."),
    ("success_criteria", "Success criteria", "textarea", "How you will know it has worked."),
    ("review_date", "Review date", "text", "For example 01/10/2026."),
)
# Dates are plain text on purpose: schools write "end of summer term" as
# often as a date, saved files may hold either, and a date picker would
# silently drop what it cannot parse (GOV.UK advises text inputs for dates).
DETAIL_FIELDS = (
    ("school", "School or setting", "text", "organization", ""),
    ("date", "Date of this audit", "text", "off", "For example 14/03/2026."),
    ("completed_by", "Completed by", "text", "name", ""),
)
# Downloaded files are named <stem>-answers-<date>.json, <stem>-plan-<date>.xlsx.
FILE_STEMS = {"relational-approaches-audit": "belonging-audit", "oaip-attendance-and-belonging": "oaip-self-review"}
# Ratings that call for an action; the engine's plan uses the same rule.
ACTION_RATINGS = "red amber"


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _hint(field_id: str, text: str) -> str:
    return f'<p class="audit-hint" id="{field_id}-hint">{escape(text)}</p>' if text else ""


def _text_field(field_id: str, name: str, label: str, kind: str, hint: str, autocomplete: str = "off") -> str:
    described = f' aria-describedby="{field_id}-hint"' if hint else ""
    label_html = f'<label class="audit-label" for="{field_id}">{escape(label)}</label>'
    if kind == "textarea":
        control = (
            f'<textarea class="audit-textarea" id="{field_id}" name="{name}" rows="3" '
            f'maxlength="{MAX_TEXT_CHARS}"{described}></textarea>'
        )
    else:
        control = (
            f'<input class="audit-input audit-input--{kind}" type="{kind}" id="{field_id}" '
            f'name="{name}" autocomplete="{autocomplete}" maxlength="{MAX_TEXT_CHARS}"{described}>'
        )
    return f'<div class="audit-field">{label_html}{_hint(field_id, hint)}{control}</div>'


def _rating_options(statement: Statement, ratings: tuple[Rating, ...]) -> str:
    name = f"responses.{statement.id}.rating"
    options = [
        f'<div class="rag-option rag-option--{escape(r.id)}">'
        f'<input type="radio" id="{statement.id}-{escape(r.id)}" name="{name}" value="{escape(r.id)}">'
        f'<label for="{statement.id}-{escape(r.id)}"><span class="rag-option__label">{escape(r.label)}</span> '
        f'<span class="rag-option__meaning">{escape(r.meaning)}</span></label></div>'
        for r in ratings
    ]
    options.append(
        f'<div class="rag-option rag-option--unrated">'
        f'<input type="radio" id="{statement.id}-unrated" name="{name}" value="" checked>'
        f'<label for="{statement.id}-unrated"><span class="rag-option__label">{NOT_RATED_LABEL}</span></label></div>'
    )
    return f'<div class="rag-options">{"".join(options)}</div>'


def statement_fieldset(statement: Statement, ratings: tuple[Rating, ...]) -> str:
    """One statement: its words and examples, the rating, notes and actions."""
    examples = ""
    if statement.examples:
        items = "".join(f"<li>{escape(example)}</li>" for example in statement.examples)
        examples = f'<ul class="statement__examples">{items}</ul>'
    notes = "".join(
        _text_field(f"{statement.id}-{key}", f"responses.{statement.id}.{key}", label, "textarea", hint)
        for key, label, hint in STATEMENT_FIELDS
    )
    actions = "".join(
        _text_field(f"{statement.id}-{key}", f"responses.{statement.id}.{key}", label, kind, hint)
        for key, label, kind, hint in ACTION_FIELDS
    )
    return _join(
        f'<fieldset class="statement" id="{statement.id}" tabindex="-1" data-statement="{statement.id}">',
        f'<legend class="statement__text"><span class="statement__ref">{escape(statement.ref)}</span> '
        f"{escape(statement.text)}</legend>",
        examples,
        _rating_options(statement, ratings),
        f'<div class="statement__notes">{notes}</div>',
        f'<div class="statement__actions" data-shows-for="{ACTION_RATINGS}">'
        f'<p class="statement__actions-title">Action for this statement</p>{actions}</div>',
        f'<p class="statement__link no-print"><button type="button" class="copy-link audit-copy-link" '
        f'data-target="{statement.id}">Copy link to statement {escape(statement.ref)}</button></p>',
        "</fieldset>",
    )


def _subsection(subsection: Subsection, framework: Framework) -> str:
    statements = "\n".join(statement_fieldset(s, framework.ratings) for s in subsection.statements)
    notes = _text_field(
        f"{subsection.id}-notes",
        f"subsection_notes.{subsection.id}",
        f"Additional notes for {subsection.ref} {subsection.title}",
        "textarea",
        framework.notes_prompt,
    )
    applies = f' data-applies-to="{" ".join(subsection.applies_to)}"' if subsection.applies_to else ""
    return _join(
        f'<section class="audit-subsection" aria-labelledby="{subsection.id}"{applies}>',
        f'<h3 id="{subsection.id}" tabindex="-1"><span class="statement__ref">{escape(subsection.ref)}</span> '
        f"{escape(subsection.title)}</h3>",
        f'<p class="audit-subsection__score" data-score-for="{subsection.id}" aria-live="off"></p>',
        statements,
        notes,
        "</section>",
    )


def _evidence(section: Section) -> str:
    """The source's "Why? Evidence base" for a section, where it gives one."""
    if not section.evidence:
        return ""
    items = "".join(f"<li>{escape(point)}</li>" for point in section.evidence)
    return (
        f'<h3 class="audit-evidence__title" id="{section.id}-why">Why? Evidence base</h3>'
        f'<ul class="audit-evidence">{items}</ul>'
    )


def _section(section: Section, framework: Framework) -> str:
    return _join(
        f'<section class="audit-section" aria-labelledby="{section.id}">',
        f'<h2 id="{section.id}" tabindex="-1">{escape(section.number)}. {escape(section.title)}</h2>',
        f'<p class="audit-section__score" data-score-for="{section.id}"></p>',
        _evidence(section),
        "\n".join(_subsection(sub, framework) for sub in section.subsections),
        '<p class="no-print"><a href="#audit-overview">Back to the overview</a></p>',
        "</section>",
    )


def _overview(framework: Framework) -> str:
    """GOV.UK task-list style overview: each section's status and score."""
    rows = "".join(
        f'<li class="task-list__item">'
        f'<a class="task-list__link" href="#{section.id}" aria-describedby="{section.id}-status">'
        f"{escape(section.number)}. {escape(section.title)}</a>"
        f'<span class="task-list__status" id="{section.id}-status" data-status-for="{section.id}">Not started</span>'
        f'<span class="task-list__score" data-overview-score-for="{section.id}"></span>'
        f'<span class="rag-bar" data-bar-for="{section.id}" aria-hidden="true"></span>'
        f"</li>"
        for section in framework.sections
    )
    return _join(
        '<section class="audit-overview" aria-labelledby="audit-overview">',
        '<h2 id="audit-overview" tabindex="-1">Overview</h2>',
        '<p class="audit-overall" data-score-for="overall">No statements rated yet.</p>',
        f'<ul class="task-list">{rows}</ul>',
        '<p class="audit-chart-text" data-chart-text></p>',
        "</section>",
    )


def _setting_choice(settings: tuple[Setting, ...]) -> str:
    """Which kind of setting is reviewing: only the parts for it are shown and scored."""
    if not settings:
        return ""
    options = [("", "Show every part")] + [(setting.id, setting.label) for setting in settings]
    radios = "".join(
        f'<div class="rag-option"><input type="radio" id="audit-setting-{value or "all"}" name="details.setting" '
        f'value="{escape(value)}"{" checked" if not value else ""}>'
        f'<label for="audit-setting-{value or "all"}">{escape(label)}</label></div>'
        for value, label in options
    )
    return _join(
        '<fieldset class="audit-setting" data-setting-choice>',
        "<legend>Who is reviewing?</legend>",
        '<p class="audit-hint">Only the parts for your kind of setting are shown and scored. '
        "Answers you give for other parts are kept.</p>",
        f'<div class="rag-options">{radios}</div>',
        "</fieldset>",
    )


def _details(framework: Framework) -> str:
    fields = "".join(
        _text_field(f"audit-{key}", f"details.{key}", label, kind, hint, autocomplete)
        for key, label, kind, autocomplete, hint in DETAIL_FIELDS
    )
    return _join(
        _setting_choice(framework.settings),
        '<fieldset class="audit-details">',
        "<legend>About this audit (optional)</legend>",
        fields,
        "</fieldset>",
    )


def audit_form(framework: Framework) -> str:
    """The whole self-audit: status, overview, tools, form and plan."""
    return _join(
        needs_javascript(),
        f'<div class="audit-app" id="audit-app" data-framework-id="{escape(framework.id)}" '
        f'data-framework-version="{escape(framework.version)}" data-saved-schema="{SAVED_SCHEMA}" '
        f'data-file-stem="{escape(FILE_STEMS.get(framework.id, framework.id))}" data-max-file-bytes="{MAX_FILE_BYTES}">',
        '<div class="audit-banner" role="status" aria-live="polite" data-engine-status>'
        "Getting the scoring engine ready. You can start answering now.</div>",
        '<div class="audit-banner audit-banner--warning" role="alert" data-tab-warning hidden></div>',
        '<div class="audit-banner audit-banner--warning" data-kept-aside hidden></div>',
        '<div class="error-summary" role="group" data-error-summary tabindex="-1" hidden aria-labelledby="audit-error-title">'
        '<h2 class="error-summary__title" id="audit-error-title">There is a problem with that file</h2>'
        '<p>Your current answers have not been changed.</p><ul class="error-summary__list" data-error-list></ul></div>',
        '<div class="audit-banner audit-banner--success" role="status" data-import-success hidden tabindex="-1"></div>',
        '<p class="audit-save-status" data-save-status aria-live="off">Not saved yet.</p>',
        history_panel(),
        _overview(framework),
        _tools(),
        '<form class="audit-form" id="audit-form" method="dialog" novalidate aria-label="Self-audit answers">',
        f'<p class="audit-hint">Each answer box holds up to {MAX_TEXT_CHARS:,} characters.</p>',
        _details(framework),
        "\n".join(_section(section, framework) for section in framework.sections),
        "</form>",
        '<section class="audit-plan" aria-labelledby="audit-plan-heading">',
        '<h2 id="audit-plan-heading" tabindex="-1">Your action plan</h2>',
        '<p data-plan-empty>Rate statements Red or Amber, or add a next step to a Green one, and your plan appears here.</p>',
        '<ol class="audit-plan__list" data-plan-list></ol>',
        "</section>",
        trend_panel(),
        '<div class="visually-hidden" role="status" aria-live="polite" data-score-announcer></div>',
        "</div>",
    )


def _tools() -> str:
    """Save, import, export and clear: each a real button, usable by keyboard."""
    return _join(
        '<section class="audit-tools no-print" aria-labelledby="audit-tools-heading">',
        '<h2 id="audit-tools-heading">Save, share and print</h2>',
        "<p>Your answers stay on this device, in this browser. Browsers may clear them "
        "(Safari does after 7 days without a visit), so download a copy to keep: "
        "it is the only lasting record.</p>",
        '<p class="audit-download-status" data-download-status>You have not downloaded a copy yet.</p>',
        '<div class="audit-buttons">',
        '<button type="button" class="md-button md-button--primary" data-action="download-json">Download your answers (JSON)</button>',
        '<button type="button" class="md-button" data-action="export" data-format="xlsx" disabled>Download action plan (Excel)</button>',
        '<button type="button" class="md-button" data-action="export" data-format="csv" disabled>Download action plan (CSV)</button>',
        '<button type="button" class="md-button" data-action="export" data-format="md" disabled>Download action plan (Markdown)</button>',
        '<button type="button" class="md-button" data-action="print">Print or save as PDF</button>',
        "</div>",
        '<div class="audit-import">',
        '<label class="audit-label" for="audit-import-file">Open saved answers, or a file of all audits (JSON)</label>',
        '<p class="audit-hint" id="audit-import-file-hint">Choose a file you downloaded from this page. '
        "It is checked first, then added to your audits on this device: nothing already here is changed.</p>",
        '<input type="file" id="audit-import-file" accept=".json,application/json" aria-describedby="audit-import-file-hint" data-action="import" disabled>',
        "</div>",
        '<p class="audit-tools__message" role="alert" data-tools-message hidden></p>',
        "</section>",
    )


def audit_reference(framework: Framework, audit_page: str) -> str:
    """Toolkit 1 as the printed guide gives it: the recording sheet a school
    prints for a staff meeting, and on screen a link from each statement to
    the self-audit.

    Each subsection is a table (its statements, then an empty box to tick
    under each rating), followed by the guide's notes prompt with a ruled
    line per statement and, where the guide has one, its further prompt.
    Returns Markdown so that the headings get Material's permalinks, the
    statements get the abbreviations' explanations, and the links are
    checked by the strict build like any other.
    """
    lines: list[str] = []
    for section in framework.sections:
        lines += [f"## {section.number}. {section.title} {{#t1-{section.id}}}", ""]
        for subsection in section.subsections:
            lines += [
                f"### {subsection.ref} {subsection.title} {{#t1-{subsection.id}}}",
                "",
                *_recording_table(subsection, framework.ratings, audit_page),
                "",
                *_notes_space(subsection, framework.notes_prompt),
                "",
            ]
    return "\n".join(lines)


def _recording_table(subsection: Subsection, ratings: tuple[Rating, ...], audit_page: str) -> list[str]:
    """One table of the sheet, headed like the guide's: the subsection, then a
    column per rating. The tick boxes are empty, for a pen, not form controls:
    a screen reader meets the statements and their links, not 120 unnamed
    checkboxes. The first header cell names the table: Markdown in HTML
    would wrap a <caption> in a paragraph."""
    name_id = f"t1-{subsection.id}-sheet"
    rating_headers = "".join(
        f'<th scope="col" class="t1-sheet__rating t1-sheet__rating--{escape(r.id)}">{escape(r.label)}</th>'
        for r in ratings
    )
    ticks = ['<td class="t1-sheet__tick"><span class="t1-sheet__box"></span></td>'] * len(ratings)
    rows = [line for statement in subsection.statements for line in _statement_row(statement, ticks, audit_page)]
    return [
        f'<table class="t1-sheet" aria-labelledby="{name_id}" markdown="1">',
        f'<thead><tr><th scope="col" id="{name_id}">{escape(subsection.ref)} {escape(subsection.title)}</th>'
        f"{rating_headers}</tr></thead>",
        '<tbody markdown="1">',
        *rows,
        "</tbody>",
        "</table>",
    ]


def _statement_row(statement: Statement, ticks: list[str], audit_page: str) -> list[str]:
    """A statement as the row's header (words, examples, link to rate it
    online), then the tick boxes. The row keeps the statement's stable id."""
    examples = [f"- {_markdown_text(example)}" for example in statement.examples]
    return [
        f'<tr id="t1-{statement.id}" markdown="1">',
        '<th scope="row" markdown="block">',
        "",
        f"**{statement.ref}** {_markdown_text(statement.text)}",
        "",
        *examples,
        *([""] if examples else []),
        f"[Rate {statement.ref} in the self-audit]({audit_page}#{statement.id}){{ .no-print }}",
        "",
        "</th>",
        *ticks,
        "</tr>",
    ]


# The guide prints its notes prompt after this label.
NOTES_LABEL = "Notes"
# Ruled lines for free notes after a further prompt such as "Additional notes".
FREE_NOTES_LINES = 4


def _notes_space(subsection: Subsection, prompt: str) -> list[str]:
    """The guide's notes prompt under a table, with a ruled line for each
    statement (numbered as the statements are) and, where the guide prints
    one, a further prompt with free lines. The lines are for a pen, so they
    appear on paper only (print.css) and are hidden from screen readers."""
    numbered = "".join(
        f'<p class="t1-notes__line"><span class="t1-notes__ref">{escape(s.ref)}</span></p>' for s in subsection.statements
    )
    lines = [
        '<div class="t1-notes" markdown="1">',
        "",
        f"**{NOTES_LABEL}: {_markdown_text(prompt)}**",
        "{: .t1-notes__prompt }",
        "",
        f'<div class="t1-notes__lines" aria-hidden="true">{numbered}</div>',
        "",
    ]
    if subsection.additional_notes_prompt:
        free = '<p class="t1-notes__line"></p>' * FREE_NOTES_LINES
        lines += [
            f"**{_markdown_text(subsection.additional_notes_prompt)}:**",
            "{: .t1-notes__prompt .t1-notes__prompt--additional }",
            "",
            f'<div class="t1-notes__lines" aria-hidden="true">{free}</div>',
            "",
        ]
    return [*lines, "</div>"]


def _markdown_text(text: str) -> str:
    """Quote source text so Markdown shows it exactly (no accidental emphasis)."""
    return "".join(f"\\{char}" if char in "\\`*_[]<>#|" else char for char in text)
