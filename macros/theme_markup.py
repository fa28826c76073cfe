"""Small, exact repairs to the markup Material for MkDocs writes on every page.

Material is in maintenance mode; copying its large templates (base.html,
nav-item.html) to change a few attributes would leave us porting them for
ever. These repairs run on each built page instead (``on_post_page`` in
``site_hooks.py``), each one a precise substitution with the reason beside
it. If Material's markup changes so that one no longer applies, nothing
breaks, and the Nu HTML Checker and IBM's engine in the browser tests
report the old fault again (tests/browser/test_checkers.py).
"""

from __future__ import annotations

import html
import re

# The section labels of the navigation get tabindex="" (Material sets "0" or
# nothing and writes the attribute either way): not a valid integer (Nu), and
# read by checkers as a focusable label with no role. No value, no attribute.
EMPTY_TABINDEX = re.compile(r'\s+tabindex=""')

# autocomplete="off" on the drawer and search checkboxes: not allowed on a
# checkbox (Nu). theme-keyboard.js closes a drawer or search box that a
# browser restores open on "Back" instead.
TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)"[^>]*?)\s+autocomplete="off"')

# Each section of the navigation is a nested <nav> named by aria-labelledby
# pointing at the section's toggle label, which is empty for a section with
# an index page (an icon only): two unnamed navigation landmarks per page.
# It also carries aria-expanded, which a <nav> may not (ARIA 1.2). The nav's
# own title label, right inside it, holds the section's name: use it.
NESTED_NAV = re.compile(
    r'<nav class="md-nav" data-md-level="(?P<level>\d+)" aria-labelledby="[^"]*" aria-expanded="(?:true|false)">'
    r'(?P<between>\s*<label class="md-nav__title" for="[^"]*">\s*<span class="md-nav__icon md-icon"></span>)'
    r"(?P<title>.*?)</label>",
    re.DOTALL,
)

# The table of contents' title is a label for the "__toc" checkbox, which a
# section's index page does not have (Nu: a label for no control).
TOC_TITLE = '<label class="md-nav__title" for="__toc">'

# Material's icons are inline SVGs inside links and buttons that are named
# already (aria-label, title or text). Unnamed, IBM's engine reports each
# one; hidden from assistive technology, they are what they are: decoration.
UNNAMED_SVG = re.compile(r"<svg(?![^>]*\baria-(?:hidden|label))")

# "Last update" is an <aside>: a complementary landmark, which needs a name.
SOURCE_FILE = '<aside class="md-source-file">'

# mkdocs-print-site numbers the print page's sections in an attribute HTML
# does not have; data-* is the valid home for it.
HEADING_NUMBER = re.compile(r"(<section\b[^>]*?)\sheading-number=")


def _name_nested_nav(match: re.Match[str]) -> str:
    title = " ".join(re.sub(r"<[^>]+>", "", match["title"]).split())
    return (
        f'<nav class="md-nav" data-md-level="{match["level"]}" aria-label="{html.escape(html.unescape(title))}">'
        f"{match['between']}{match['title']}</label>"
    )


def repair(page_html: str) -> str:
    """The page with Material's invalid or unnamed markup put right."""
    out = EMPTY_TABINDEX.sub("", page_html)
    out = TOGGLE_AUTOCOMPLETE.sub(r"\1", out)
    out = NESTED_NAV.sub(_name_nested_nav, out)
    if 'id="__toc"' not in out:
        out = out.replace(TOC_TITLE, '<label class="md-nav__title">')
    out = UNNAMED_SVG.sub('<svg aria-hidden="true" focusable="false"', out)
    out = out.replace(SOURCE_FILE, '<aside class="md-source-file" aria-label="About this page">')
    out = HEADING_NUMBER.sub(r"\1 data-heading-number=", out)
    return out
