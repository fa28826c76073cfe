"""The self-audit's history on this device: the list of audits, the trend and
the report for governors.

Only the fixed parts are rendered here (headings, empty tables and lists,
buttons); the page script (``overrides/assets/javascripts/audit-page.js``,
with ``audit/history-view.js`` and ``audit/trend-view.js``) fills them from
IndexedDB and from the engine's figures, with ``textContent`` only. Every
heading has a fixed id, so trainers can link to it.
"""

from __future__ import annotations


def _join(*parts: str) -> str:
    # No blank lines: the result is one raw HTML block to Markdown.
    return "\n".join(part for part in parts if part)


def history_panel() -> str:
    """"Your audits on this device": the list, and starting a new audit."""
    columns = ("Audit", "Date of the audit", "Completed by", "Overall score", "Statements rated", "Actions")
    header = "".join(f'<th scope="col">{name}</th>' for name in columns)
    return _join(
        '<section class="audit-history no-print" aria-labelledby="audit-history-heading" data-history hidden>',
        '<h2 id="audit-history-heading" tabindex="-1">Your audits on this device</h2>',
        "<p>Every audit you start here is kept in this browser, on this device only: a history you can compare "
        "and report on, without an account or a server.</p>",
        '<p data-history-empty>You have no audits on this device yet. Your first is kept as soon as you answer.</p>',
        '<div class="table-scroll" data-history-scroll hidden tabindex="0" role="region" aria-labelledby="audit-history-heading">',
        '<table class="history-table" data-history-table>',
        '<caption class="visually-hidden">Your audits on this device, oldest first</caption>',
        f"<thead><tr>{header}</tr></thead>",
        "<tbody data-history-rows></tbody>",
        "</table>",
        "</div>",
        '<div class="audit-buttons">',
        '<button type="button" class="md-button md-button--primary" data-action="new-blank">Start a new audit</button>',
        '<button type="button" class="md-button" data-action="new-copy" disabled>'
        "Start a new audit from the latest (copy forward)</button>",
        '<button type="button" class="md-button" data-action="download-all" disabled>Download all audits (one file)</button>',
        "</div>",
        '<p class="audit-hint">Copying forward keeps the latest audit’s evidence, next steps and notes and clears '
        "its ratings: the usual way to re-audit.</p>",
        '<p class="visually-hidden" role="status" aria-live="polite" data-history-announcer></p>',
        "</section>",
    )


def trend_panel() -> str:
    """How the audits on this device have changed, and the report for governors."""
    return _join(
        '<section class="audit-trend" aria-labelledby="audit-trend-heading" data-trend hidden>',
        '<h2 id="audit-trend-heading" tabindex="-1">How your audits have changed</h2>',
        '<p data-trend-summary></p>',
        '<div class="trend-charts" data-trend-charts></div>',
        '<h3 id="audit-trend-table-heading">The scores in each audit</h3>',
        '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit-trend-table-heading" data-trend-table></div>',
        '<h3 id="audit-trend-moved-heading">What moved since the previous audit</h3>',
        '<div data-trend-moved></div>',
        '<div class="audit-buttons no-print">',
        '<button type="button" class="md-button md-button--primary" data-action="governors-print">'
        "Print the report for governors</button>",
        '<button type="button" class="md-button" data-action="governors-export" data-format="md">'
        "Download the report for governors (Markdown)</button>",
        '<button type="button" class="md-button" data-action="governors-export" data-format="xlsx">'
        "Download the report for governors (Excel)</button>",
        '<button type="button" class="md-button" data-action="trend-export" data-format="csv">'
        "Download the trend (CSV)</button>",
        "</div>",
        "</section>",
        '<section class="governors-report" aria-labelledby="governors-report-heading" data-governors-report hidden>',
        '<h2 id="governors-report-heading">Report for governors</h2>',
        '<div data-governors-body></div>',
        "</section>",
    )
