"""The missed-learning calculator and the partnership meeting page, rendered at build time.

One source of truth for each:

* the calculator's field names, labels and default assumptions come from the
  engine (``audit_app.missed_learning``: ``LABELS`` and ``DEFAULTS``), so the
  page's labels are the words the engine's problems use, and the page script
  can point each problem at its field by that label;
* Toolkit 4's key questions come from ``audit_app/frameworks/partnership-questions.json``
  through the engine's own loader (``audit_app.agenda.partnership_questions``);
  nothing here retypes them.

The HTML carries the names, ids and ``data-*`` hooks that the page scripts
(``missed-learning-page.js``, ``partnership-page.js``) and the browser tests use.
Every id starts ``missed-`` or ``meeting-``. No field asks about a pupil.
"""

from __future__ import annotations

from html import escape

from audit_app import agenda, missed_learning


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


# ---- Without JavaScript --------------------------------------------------------

NOSCRIPT_TEXT = (
    "<strong>This tool needs JavaScript, which is turned off in this browser.</strong> "
    "The tool works only on this device and sends nothing anywhere; without JavaScript it can "
    "neither save nor work anything out, so it is not shown. Turn JavaScript on for this site to use it."
)


def needs_javascript() -> str:
    """What a reader with JavaScript off sees where a tool would be.

    ``noscript.css`` (loaded from a ``<noscript>`` in the page head, so only
    when scripts are off) hides the tool itself: its form, buttons and
    "getting ready" banner, which would otherwise promise what cannot happen.
    """
    return f'<noscript><div class="audit-banner audit-banner--warning tool-noscript"><p>{NOSCRIPT_TEXT}</p></div></noscript>'


# ---- Missed-learning calculator ------------------------------------------------

# (engine key, input mode, width class, one-line explanation). Labels are the engine's.
ATTENDANCE_FIELDS = {
    "percent": (
        ("percent", "decimal", "short", "For example 87 or 87.5."),
    ),
    "sessions": (
        ("attended", "numeric", "short", "Whole sessions: a morning or an afternoon each."),
        ("possible", "numeric", "short", "The sessions the pupil could have attended this year so far."),
    ),
}
ASSUMPTION_FIELDS = (
    ("school_days_per_year", "numeric", "short",
     "Schools in England are usually open to pupils for 190 days a year."),
    ("sessions_per_day", "numeric", "short",
     "Attendance is taken twice a day: a morning and an afternoon session."),
    ("lessons_per_day", "decimal", "short",
     "Approximate: secondary timetables often have 5 or 6 lessons a day; primary days are not divided the same way."),
    ("days_so_far", "numeric", "short",
     "Optional. School days since the start of this school year, to see what has been missed so far. "
     "With sessions this is not needed: the sessions possible already say how far into the year you are."),
    ("key_stage_years", "numeric", "short",
     "Key Stage 1 is 2 years, Key Stage 2 is 4, Key Stage 3 is 3 and Key Stage 4 is 2."),
)
MODES = (
    ("percent", "Attendance as a percentage"),
    ("sessions", "Sessions attended out of sessions possible"),
)


def _field_id(key: str) -> str:
    return "missed-" + key.replace("_", "-")


def _number_field(key: str, inputmode: str, width: str, hint: str) -> str:
    field_id = _field_id(key)
    default = missed_learning.DEFAULTS.get(key)
    value = "" if default is None else f' value="{default}"'
    default_attr = "" if default is None else f' data-default="{default}"'
    return (
        f'<div class="audit-field missed-field" data-field-for="{key}">'
        f'<label class="audit-label" for="{field_id}">{escape(missed_learning.LABELS[key])}</label>'
        f'<p class="audit-hint" id="{field_id}-hint">{escape(hint)}</p>'
        f'<p class="missed-field__error" id="{field_id}-error" data-error-for="{key}" hidden></p>'
        f'<input class="audit-input missed-input missed-input--{width}" type="text" id="{field_id}" name="{key}" '
        f'inputmode="{inputmode}" autocomplete="off" spellcheck="false" '
        f'data-label="{escape(missed_learning.LABELS[key])}"{default_attr}{value} '
        f'aria-describedby="{field_id}-hint">'
        f"</div>"
    )


def _mode_choice() -> str:
    options = []
    for index, (mode, label) in enumerate(MODES):
        checked = " checked" if index == 0 else ""
        fields = "".join(_number_field(*field) for field in ATTENDANCE_FIELDS[mode])
        options.append(
            f'<div class="tool-choice">'
            f'<input type="radio" id="missed-mode-{mode}" name="mode" value="{mode}"{checked} '
            f'aria-controls="missed-reveal-{mode}">'
            f'<label for="missed-mode-{mode}">{escape(label)}</label></div>'
            f'<div class="tool-reveal" id="missed-reveal-{mode}" data-reveal-for="{mode}"'
            f'{"" if index == 0 else " hidden"}>{fields}</div>'
        )
    return _join(
        '<fieldset class="tool-fieldset" id="missed-attendance">',
        '<legend class="tool-fieldset__legend">How do you want to give the attendance?</legend>',
        "".join(options),
        "</fieldset>",
    )


def _assumptions() -> str:
    fields = "".join(_number_field(*field) for field in ASSUMPTION_FIELDS)
    return _join(
        '<fieldset class="tool-fieldset" id="missed-assumptions">',
        '<legend class="tool-fieldset__legend">School-year assumptions</legend>',
        '<p class="audit-hint">The usual figures are filled in. Change any of them to match the school; '
        "a field left empty uses the usual figure.</p>",
        fields,
        "</fieldset>",
    )


def missed_learning_form() -> str:
    """The calculator: attendance, assumptions, the button, problems and results."""
    return _join(
        needs_javascript(),
        '<div class="tool-app missed-app" id="missed-app">',
        '<div class="audit-banner" role="status" aria-live="polite" data-engine-status>'
        "Getting the calculator ready. You can fill in the figures now.</div>",
        '<div class="audit-banner audit-banner--warning" data-kept-aside hidden></div>',
        '<div class="error-summary" role="group" data-error-summary tabindex="-1" hidden aria-labelledby="missed-error-title">'
        '<h2 class="error-summary__title" id="missed-error-title">There is a problem</h2>'
        '<ul class="error-summary__list" data-error-list></ul></div>',
        # method="dialog" outside a <dialog>: submitting (Enter in a field, the
        # button) still fires the submit event the page script handles, but
        # the browser never sends the form anywhere, even with JavaScript off.
        '<form class="missed-form" id="missed-form" method="dialog" novalidate aria-label="Missed-learning calculator">',
        _mode_choice(),
        _assumptions(),
        '<div class="audit-buttons">',
        '<button type="submit" class="md-button md-button--primary" data-action="calculate">Work it out</button>',
        '<button type="button" class="md-button audit-button--danger" data-action="clear">Clear the figures</button>',
        "</div>",
        '<p class="tool-save-status" data-save-status aria-live="polite"></p>',
        "</form>",
        '<section class="missed-results" aria-labelledby="missed-results-heading" data-results hidden>',
        '<h2 id="missed-results-heading" tabindex="-1">What this attendance means</h2>',
        '<p class="missed-results__stale" data-results-stale hidden>You have changed the figures since these '
        "were worked out. Choose “Work it out” to update them.</p>",
        '<ul class="missed-summary" data-summary></ul>',
        '<div class="missed-table">',
        "<table>",
        "<caption>Learning missed at this attendance</caption>",
        '<thead><tr><th scope="col">Period</th><th scope="col">Days missed</th>'
        '<th scope="col">School weeks missed</th><th scope="col">Sessions missed</th>'
        '<th scope="col">Lessons missed (approximate)</th></tr></thead>',
        '<tbody data-table-body></tbody>',
        "</table>",
        "</div>",
        '<h3 id="missed-absence-thresholds">Persistent and severe absence</h3>',
        '<ul class="missed-flags" data-flags></ul>',
        '<h3 id="missed-about-figures">About these figures</h3>',
        '<ul class="missed-notes" data-notes></ul>',
        "</section>",
        "</div>",
    )


# ---- Partnership meeting preparation -------------------------------------------


def _question(group: agenda.QuestionGroup, question: agenda.Question) -> str:
    base = f"meeting-{question.id}"
    where = f"{group.title.removesuffix(' Questions').removesuffix(' questions')} question {question.number}"
    return _join(
        f'<fieldset class="meeting-question" id="meeting-q-{question.id}" data-question="{question.id}">',
        f'<legend class="meeting-question__text" id="{base}-legend">'
        f'<span class="visually-hidden">{escape(where)}: </span>'
        f'<span class="meeting-question__number" aria-hidden="true">{escape(question.number)}.</span> '
        f"{escape(question.text)}</legend>",
        f'<div class="tool-choice tool-choice--check">'
        f'<input type="checkbox" id="{base}-checked" name="questions.{question.id}.checked">'
        f'<label for="{base}-checked">Discuss at the meeting'
        f'<span class="visually-hidden"> ({escape(where)})</span></label></div>',
        f'<div class="audit-field">'
        f'<label class="audit-label" id="{base}-notes-label" for="{base}-notes">Notes</label>'
        f'<textarea class="audit-textarea" id="{base}-notes" name="questions.{question.id}.notes" rows="3" '
        f'maxlength="{agenda.MAX_NOTES_CHARS}" aria-labelledby="{base}-notes-label {base}-legend"></textarea>'
        f"</div>",
        "</fieldset>",
    )


def _group(group: agenda.QuestionGroup) -> str:
    return _join(
        f'<section class="meeting-group" aria-labelledby="meeting-{group.id}">',
        f'<h3 id="meeting-{group.id}">{escape(group.title)}</h3>',
        "\n".join(_question(group, question) for question in group.questions),
        "</section>",
    )


def _meeting_field(field_id: str, name: str, label: str, kind: str, hint: str) -> str:
    if kind == "textarea":
        control = (
            f'<textarea class="audit-textarea" id="{field_id}" name="{name}" rows="4" '
            f'maxlength="{agenda.MAX_NOTES_CHARS}" aria-describedby="{field_id}-hint"></textarea>'
        )
    else:
        control = (
            f'<input class="audit-input missed-input--medium" type="text" id="{field_id}" name="{name}" '
            f'autocomplete="off" aria-describedby="{field_id}-hint">'
        )
    return (
        f'<div class="audit-field"><label class="audit-label" for="{field_id}">{escape(label)}</label>'
        f'<p class="audit-hint" id="{field_id}-hint">{escape(hint)}</p>{control}</div>'
    )


def partnership_checklist() -> str:
    """Toolkit 4's key questions as a checklist with notes, the tools and the print agenda."""
    questions = agenda.partnership_questions()
    return _join(
        needs_javascript(),
        f'<div class="tool-app meeting-app" id="meeting-app" data-questions-title="{escape(questions.title)}" '
        f'data-questions-source="{escape(questions.source)}">',
        '<div class="audit-banner" role="status" aria-live="polite" data-engine-status>'
        "Getting the agenda download ready. You can start preparing now.</div>",
        '<div class="audit-banner audit-banner--warning" role="alert" data-tab-warning hidden></div>',
        '<div class="audit-banner audit-banner--warning" data-kept-aside hidden></div>',
        '<div class="error-summary" role="group" data-error-summary tabindex="-1" hidden aria-labelledby="meeting-error-title">'
        '<h2 class="error-summary__title" id="meeting-error-title">The agenda could not be made</h2>'
        '<ul class="error-summary__list" data-error-list></ul></div>',
        '<p class="audit-save-status" data-save-status aria-live="off">Not saved yet.</p>',
        '<form class="meeting-form" id="meeting-form" method="dialog" novalidate aria-label="Partnership meeting preparation">',
        _meeting_field("meeting-date", "meeting_date", "Meeting date", "text",
                       "For example 14/03/2026 or ‘first week after half term’."),
        f'<h2 id="meeting-key-questions">{escape(questions.title)}</h2>',
        "\n".join(_group(group) for group in questions.groups),
        '<h2 id="meeting-other-notes-heading">Anything else</h2>',
        _meeting_field("meeting-other-notes", "other_notes", "Other notes", "textarea",
                       "Anything else to raise at the meeting. Do not write a pupil’s name or other details "
                       "that identify them."),
        "</form>",
        '<section class="meeting-tools no-print" aria-labelledby="meeting-tools-heading">',
        '<h2 id="meeting-tools-heading">Take the agenda to the meeting</h2>',
        "<p>The agenda lists the questions you ticked and any question you wrote notes on, "
        "in the toolkit’s order, with your notes and space for the actions agreed.</p>",
        '<div class="audit-buttons">',
        '<button type="button" class="md-button md-button--primary" data-action="download-agenda" disabled>'
        "Download agenda (Markdown)</button>",
        '<button type="button" class="md-button" data-action="print">Print the agenda</button>',
        "</div>",
        '<p><button type="button" class="md-button audit-button--danger" data-action="clear">'
        "Clear the meeting preparation from this device</button></p>",
        "</section>",
        '<section class="meeting-print" aria-labelledby="meeting-agenda-heading" data-agenda hidden>',
        '<h2 id="meeting-agenda-heading" tabindex="-1">Partnership meeting agenda</h2>',
        '<div class="meeting-print__body" data-agenda-body></div>',
        "</section>",
        "</div>",
    )
