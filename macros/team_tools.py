"""The team tools' page skeletons: compare two audits, and agree a team's audit.

Only the fixed parts are rendered here (status, error summary, file choosers,
the Compare page's empty lists of the audits on this device, empty results
with their headings); the page scripts
(``overrides/assets/javascripts/compare-page.js`` and ``moderate-page.js``)
fill in the results from the engine's answers, with ``textContent`` only.
Every heading has a fixed id, so trainers can link to it.

Names the scripts and tests rely on: ``data-engine-status``,
``data-error-summary`` / ``data-error-list``, ``data-action=...`` on buttons,
``data-results`` on the results, the ids of the file inputs and of the
Compare page's lists of audits (``compare-<side>-audit``).
"""

from __future__ import annotations

import json
from html import escape

from audit_app.framework import Framework
from audit_app.savefile import MAX_FILE_BYTES
from macros.tools_pages import needs_javascript

COMPARE_STORAGE_KEY = "belonging-audit/compare"
MODERATE_STORAGE_KEY = "belonging-audit/moderate"
JSON_FILES = ".json,application/json"


def _join(*parts: str) -> str:
    # No blank lines: the result is one raw HTML block to Markdown.
    return "\n".join(part for part in parts if part)


def _status(ready_hint: str) -> str:
    return (
        '<div class="audit-banner" role="status" aria-live="polite" data-engine-status>'
        f"Getting the scoring engine ready. {escape(ready_hint)}</div>"
        '<div class="audit-banner audit-banner--warning" data-kept-aside hidden></div>'
    )


def _error_summary(prefix: str, title: str, advice: str) -> str:
    return (
        f'<div class="error-summary" role="group" data-error-summary tabindex="-1" hidden aria-labelledby="{prefix}-error-title">'
        f'<h2 class="error-summary__title" id="{prefix}-error-title">{escape(title)}</h2>'
        f'<p>{escape(advice)}</p><ul class="error-summary__list" data-error-list></ul></div>'
    )


def _file_field(field_id: str, label: str, hint: str, *, multiple: bool = False, described_by: str = "") -> str:
    described = " ".join(part for part in (f"{field_id}-hint", described_by) if part)
    return _join(
        '<div class="audit-field team-file">',
        f'<label class="audit-label" for="{field_id}">{escape(label)}</label>',
        f'<p class="audit-hint" id="{field_id}-hint">{escape(hint)}</p>',
        f'<input type="file" id="{field_id}" accept="{JSON_FILES}"{" multiple" if multiple else ""} '
        f'aria-describedby="{described}">',
        "</div>",
    )


# The self-audit's list of audits, for links from the Compare page (relative to /audit/compare/).
SELF_AUDIT_LIST = "../#audit-history-heading"


def _history_notes() -> str:
    """What the Compare page says about the audits on this device: one of these is shown."""
    self_audit = f'<a href="{SELF_AUDIT_LIST}">self-audit</a>'
    return _join(
        '<p data-history-note="some" hidden>Choose each audit from your audits on this device, which the '
        f"{self_audit} keeps, or from a saved answers file (JSON).</p>",
        '<p data-history-note="none" hidden>There are no audits on this device yet, so choose two saved answers '
        f"files (JSON). The {self_audit} keeps every audit you do in it on this device, and then you can choose "
        "them here without files.</p>",
        '<p data-history-note="unavailable" hidden>This browser is not letting this site read the audits kept on '
        "this device (its storage may be turned off, as in some private windows), so choose two saved answers "
        "files (JSON).</p>",
    )


def _compare_side(side: str, legend: str, hint: str) -> str:
    """One of the two audits: one of the audits on this device, or a saved file."""
    field_id = f"compare-{side}"
    chosen = f"{field_id}-chosen"
    return _join(
        '<fieldset class="tool-fieldset team-side">',
        f'<legend class="tool-fieldset__legend">{escape(legend)}</legend>',
        f'<div class="audit-field" data-history-pick="{side}" hidden>',
        f'<label class="audit-label" for="{field_id}-audit">One of your audits on this device</label>',
        f'<select class="audit-input team-select" id="{field_id}-audit" aria-describedby="{chosen}"></select>',
        f'<p class="team-inline-button"><button type="button" class="md-button" data-action="use-audit" '
        f'data-side="{side}">Use this audit as the {side}</button></p>',
        "</div>",
        _file_field(field_id, "A saved answers file (JSON)", hint, described_by=chosen),
        f'<p class="team-chosen" id="{chosen}" data-chosen>No audit chosen yet.</p>',
        "</fieldset>",
    )


def compare_tool(framework: Framework) -> str:
    """Two audits, each one of the audits on this device or a saved file, then what changed."""
    return _join(
        needs_javascript(),
        f'<div class="team-tool" id="compare-app" data-storage-key="{COMPARE_STORAGE_KEY}" '
        f'data-framework-id="{escape(framework.id)}" data-max-file-bytes="{MAX_FILE_BYTES}">',
        _status("You can choose your audits now."),
        _error_summary(
            "compare",
            "There is a problem with those audits",
            "Nothing has been compared. Choose another audit or file, or a copy downloaded again from the self-audit.",
        ),
        '<section class="team-choose no-print" aria-labelledby="compare-choose">',
        '<h2 id="compare-choose">Choose the two audits</h2>',
        _history_notes(),
        _compare_side(
            "baseline",
            "Earlier audit (baseline)",
            "For example the answers file you downloaded in March.",
        ),
        _compare_side(
            "review",
            "Later audit (review)",
            "For example the answers file you downloaded in July.",
        ),
        '<p class="team-kept" data-kept>What you choose is kept in this browser, on this device only (a file’s '
        "answers, or which of your audits you picked), so the comparison is still here if you reload the page.</p>",
        '<p><button type="button" class="md-button audit-button--danger" data-action="clear">'
        "Clear both audits from this page</button></p>",
        "</section>",
        '<section class="compare-results" aria-labelledby="compare-results" data-results hidden>',
        '<h2 id="compare-results" tabindex="-1">What changed</h2>',
        '<p class="compare-files" data-files-text></p>',
        '<div data-details></div>',
        '<ul class="team-notices" data-notices hidden></ul>',
        '<div class="compare-overall" data-overall></div>',
        '<div class="audit-buttons no-print">',
        '<button type="button" class="md-button md-button--primary" data-action="export" data-format="md">'
        "Download the comparison (Markdown)</button>",
        '<button type="button" class="md-button" data-action="export" data-format="xlsx">'
        "Download the comparison (Excel)</button>",
        '<button type="button" class="md-button" data-action="print">Print or save as PDF</button>',
        "</div>",
        '<h3 id="compare-scores">Scores by section and subsection</h3>',
        '<p class="audit-hint">Scores and coverage (how many statements were rated) are percentages; '
        "changes are in percentage points.</p>",
        '<div data-score-table></div>',
        '<h3 id="compare-statements">Statement by statement</h3>',
        '<div data-statement-table></div>',
        "</section>",
        '<div class="visually-hidden" role="status" aria-live="polite" data-announcer></div>',
        "</div>",
    )


# Where an agreed audit opens once it is added to the audits on this device,
# by framework: the page (relative to /audit/moderate/) and its name.
OPEN_TARGETS = {
    "relational-approaches-audit": {"url": "../", "name": "the self-audit"},
    "oaip-attendance-and-belonging": {"url": "../../oaip/self-review/", "name": "the OAIP self-review"},
}


def moderate_tool() -> str:
    """Load colleagues' files, see the spread, settle each statement, save the agreed audit."""
    return _join(
        needs_javascript(),
        f'<div class="team-tool" id="moderate-app" data-storage-key="{MODERATE_STORAGE_KEY}" '
        f'data-open-targets="{escape(json.dumps(OPEN_TARGETS))}" data-max-file-bytes="{MAX_FILE_BYTES}">',
        _status("You can choose your colleagues’ files now."),
        _error_summary(
            "moderate",
            "There is a problem with a file",
            "The team’s audits have not been put side by side. Remove the file named below from the list, "
            "or ask for a fresh copy of it.",
        ),
        '<section class="team-choose no-print" aria-labelledby="moderate-choose">',
        '<h2 id="moderate-choose">Load your colleagues’ audits</h2>',
        _file_field(
            "moderate-files",
            "Colleagues’ saved answers",
            "Choose the answers files (JSON) your colleagues downloaded from the self-audit. "
            "You can choose several at once, and add more later.",
            multiple=True,
        ),
        '<h3 id="moderate-loaded" tabindex="-1">Loaded audits</h3>',
        '<p data-files-empty>No audits loaded yet.</p>',
        '<ul class="team-file-list" data-file-list></ul>',
        '<p class="team-kept">The files and your choices are kept in this browser, on this device only, '
        "until you clear them, so your work is still here if you reload the page.</p>",
        '<p><button type="button" class="md-button audit-button--danger" data-action="clear">'
        "Clear the files and your choices from this device</button></p>",
        "</section>",
        '<div class="moderate-results" data-results hidden>',
        '<section aria-labelledby="moderate-summary">',
        '<h2 id="moderate-summary" tabindex="-1">Where the team agrees</h2>',
        '<p data-colleagues></p>',
        '<ul class="moderate-summary" data-summary></ul>',
        '<ul class="team-notices" data-notices hidden></ul>',
        '<p class="moderate-progress" data-progress></p>',
        '<div class="team-check no-print">',
        '<input type="checkbox" id="moderate-only-disagreements" data-action="filter">',
        '<label for="moderate-only-disagreements">Show only the statements where colleagues disagree</label>',
        "</div>",
        "</section>",
        '<section aria-labelledby="moderate-statements">',
        '<h2 id="moderate-statements">Statement by statement</h2>',
        '<p class="audit-hint">For each statement, choose the agreed rating and write the agreed next step. '
        "Where everyone who rated a statement agreed, their rating is already chosen.</p>",
        '<div data-statements></div>',
        "</section>",
        '<section aria-labelledby="moderate-notes" data-notes-section hidden>',
        '<h2 id="moderate-notes">Colleagues’ additional notes</h2>',
        '<div data-notes></div>',
        "</section>",
        '<section class="no-print" aria-labelledby="moderate-save">',
        '<h2 id="moderate-save">Save the agreed audit</h2>',
        "<p>The agreed audit is a normal saved audit: the agreed ratings and next steps, with everyone’s "
        "evidence gathered under their names. Download it to keep it, or add it to your audits on this device and "
        "carry on in the self-audit.</p>",
        '<p class="moderate-progress" data-progress></p>',
        '<div class="audit-buttons">',
        '<button type="button" class="md-button md-button--primary" data-action="download-json">'
        "Download agreed answers (JSON)</button>",
        '<button type="button" class="md-button" data-action="download-xlsx">Download agreed plan (Excel)</button>',
        '<button type="button" class="md-button" data-action="add-to-audits" aria-describedby="moderate-open-note">'
        "Add to your audits on this device</button>",
        '<button type="button" class="md-button" data-action="download-spread">Download the spread (Markdown)</button>',
        '<button type="button" class="md-button" data-action="print">Print or save as PDF</button>',
        "</div>",
        '<p class="audit-hint" id="moderate-open-note" data-open-note></p>',
        "</section>",
        "</div>",
        '<div class="visually-hidden" role="status" aria-live="polite" data-announcer></div>',
        "</div>",
    )
