"""Build-time macros for the site (mkdocs-macros ``module_name: macros``).

Pages stay plain Markdown; anything the site must render the same way in
many places, or from the audit framework data, is a macro here.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from audit_app.framework import default_framework, framework_by_id

from macros.audit_form import audit_form, audit_reference
from macros.team_tools import compare_tool, moderate_tool
from macros.tools_pages import missed_learning_form, partnership_checklist
from macros.training import section_links, statement_links

ABBREVIATION_LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<meaning>.+?)\s*$")


def read_abbreviations(path: Path) -> list[tuple[str, str]]:
    """The glossary's one source: the abbreviations appended to every page."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ABBREVIATION_LINE.match(line)
        if match:
            entries.append((match["term"], match["meaning"]))
    return sorted(entries, key=lambda entry: entry[0].casefold())


def figure_caption_only(anchor: str, caption: str) -> str:
    """A figure whose picture is not in our source: keep the caption, say so.

    The guide was converted from a PDF whose images did not survive. We would
    rather tell readers plainly than invent a picture or drop the caption
    that other text refers to.
    """
    return (
        f'<figure class="figure-not-reproduced" id="{escape(anchor)}">\n'
        f'<p class="figure-not-reproduced__note">This figure is an image in the '
        f"printed guide. The image is not reproduced on this site; its caption "
        f"is kept so that references to it still make sense.</p>\n"
        f"<figcaption>{escape(caption)}</figcaption>\n"
        f"</figure>"
    )


def glossary_table(abbreviations: list[tuple[str, str]]) -> str:
    """The glossary page's table, from the same file that explains
    abbreviations on hover, so the two can never disagree. Spellings that
    differ only in case (SENCos, SENCOs) share one row and one anchor."""
    rows: dict[str, tuple[list[str], str]] = {}
    for term, meaning in abbreviations:
        rows.setdefault(term.casefold(), ([], meaning))[0].append(term)
    html_rows = [
        f'<tr id="glossary-{escape(key)}"><th scope="row">{escape(", ".join(terms))}</th><td>{escape(meaning)}</td></tr>'
        for key, (terms, meaning) in rows.items()
    ]
    return (
        '<table class="glossary">\n<thead><tr><th scope="col">Abbreviation</th>'
        '<th scope="col">Meaning</th></tr></thead>\n<tbody>\n' + "\n".join(html_rows) + "\n</tbody>\n</table>"
    )


def audit_introduction(framework: Any) -> str:
    """Toolkit 1's own introduction and RAG guidance notes, from the data."""
    return "\n\n".join(
        [
            f"*{framework.source}*",
            framework.introduction,
            f"**Guidance notes:** {framework.guidance}",
        ]
    )


def define_env(env: Any) -> None:
    """Register the macros that pages may call."""
    abbreviations_file = Path(env.conf["docs_dir"]) / "includes" / "abbreviations.md"
    env.macro(figure_caption_only)
    env.macro(lambda: glossary_table(read_abbreviations(abbreviations_file)), "glossary_table")
    env.macro(
        lambda framework_id="relational-approaches-audit": audit_form(framework_by_id(framework_id)), "audit_form"
    )
    env.macro(lambda: audit_reference(default_framework(), "../audit/index.md"), "audit_reference")
    env.macro(lambda: audit_introduction(default_framework()), "audit_introduction")
    docs_dir = Path(env.conf["docs_dir"])
    env.macro(
        lambda *sections: section_links(docs_dir, env.conf["nav"], sections, "../"),
        "training_section_links",
    )
    env.macro(lambda: statement_links(default_framework(), "../audit/index.md"), "training_statement_links")
    env.macro(lambda: compare_tool(default_framework()), "compare_tool")
    env.macro(moderate_tool, "moderate_tool")
    env.macro(missed_learning_form, "missed_learning_form")
    env.macro(partnership_checklist, "partnership_checklist")
