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
    """The abbreviations in one of the files appended to every page."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ABBREVIATION_LINE.match(line)
        if match:
            entries.append((match["term"], match["meaning"]))
    return entries


# Every sentence this site adds to the guide's pages is in a note with this
# title (Markdown: `!!! site-note "Note from this site"`), so nothing the site
# wrote reads as if Kent County Council wrote it.
SITE_NOTE_TITLE = "Note from this site"


def site_note(text: str) -> str:
    """The site's own words as the admonition every page uses for them."""
    return f'!!! site-note "{SITE_NOTE_TITLE}"\n    {text}'


def figure_caption_only(anchor: str, caption: str) -> str:
    """A figure whose picture is not in our source: keep the caption, say so.

    The guide was converted from a PDF whose images did not survive. We would
    rather tell readers plainly than invent a picture or drop the caption
    that other text refers to.
    """
    note = site_note(
        "This figure is an image in the printed guide. The image is not reproduced "
        "on this site; its caption is kept so that references to it still make sense."
    )
    return (
        f'<figure class="figure-not-reproduced" id="{escape(anchor)}" markdown>\n\n'
        f"{note}\n\n"
        f"<figcaption>{escape(caption)}</figcaption>\n"
        f"</figure>"
    )


def image_not_reproduced() -> str:
    """An image the printed guide shows without a caption (the text leads
    into it, as with Maslow's Hierarchy of Needs): say that something is
    missing, rather than leave a sentence that ends in a colon and nothing."""
    return site_note("The printed guide shows an image here. The image is not reproduced on this site.")


# Where a glossary meaning comes from: the guide spells it out, or this site
# explains an abbreviation the guide uses without spelling it out.
MEANING_FROM_GUIDE = "The guide"
MEANING_FROM_SITE = "This site’s own explanation"


def glossary_table(from_guide: list[tuple[str, str]], from_site: list[tuple[str, str]]) -> str:
    """The glossary page's table, from the same files that explain
    abbreviations on hover, so the two can never disagree. Each meaning says
    whether the guide gives it or this site does. Spellings that differ only
    in case (SENCos, SENCOs) share one row and one anchor."""
    rows: dict[str, tuple[list[str], str, str]] = {}
    entries = [(term, meaning, MEANING_FROM_GUIDE) for term, meaning in from_guide]
    entries += [(term, meaning, MEANING_FROM_SITE) for term, meaning in from_site]
    for term, meaning, origin in sorted(entries, key=lambda entry: entry[0].casefold()):
        rows.setdefault(term.casefold(), ([], meaning, origin))[0].append(term)
    html_rows = [
        f'<tr id="glossary-{escape(key)}"><th scope="row">{escape(", ".join(terms))}</th>'
        f'<td>{escape(meaning)}</td><td>{escape(origin)}</td></tr>'
        for key, (terms, meaning, origin) in rows.items()
    ]
    return (
        '<table>\n<thead><tr><th scope="col">Abbreviation</th>'
        '<th scope="col">Meaning</th><th scope="col">Where the meaning comes from</th></tr></thead>\n<tbody>\n'
        + "\n".join(html_rows)
        + "\n</tbody>\n</table>"
    )


def audit_introduction(framework: Any) -> str:
    """Toolkit 1's own introduction and RAG guidance notes, from the data,
    and nothing else: the page gives the guide's own subheading above them."""
    return "\n\n".join([framework.introduction, f"**Guidance notes:** {framework.guidance}"])


def define_env(env: Any) -> None:
    """Register the macros that pages may call."""
    includes = Path(env.conf["docs_dir"]) / "includes"
    env.macro(figure_caption_only)
    env.macro(image_not_reproduced)
    env.macro(
        lambda: glossary_table(
            read_abbreviations(includes / "abbreviations.md"), read_abbreviations(includes / "abbreviations-site.md")
        ),
        "glossary_table",
    )
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
