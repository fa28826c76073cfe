"""The trainers' page: every main section and audit statement with its link.

Links are written as Markdown links to the source files, so the strict
build checks every one; the page script turns any of them into a QR code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from audit_app.framework import Framework

HEADING = re.compile(r"^(?P<level>#{1,2})\s+(?P<title>.+?)\s*\{#(?P<id>[\w-]+)[^}]*\}\s*$")
QR_BUTTON = '<button type="button" class="qr-button" data-qr>Show QR code</button>'


def slug(text: str) -> str:
    """A readable anchor from a nav title; the nav titles are fixed in mkdocs.yml."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def headings(markdown_file: Path) -> Iterator[tuple[int, str, str]]:
    """Level, title and explicit id of each level-1 and level-2 heading."""
    for line in markdown_file.read_text(encoding="utf-8").splitlines():
        match = HEADING.match(line)
        if match:
            yield len(match["level"]), match["title"], match["id"]


def nav_pages(nav: list, section: str = "") -> Iterator[tuple[str, str, str]]:
    """(nav section, page title, page file) for each page in the nav, in order."""
    for item in nav:
        if isinstance(item, str):
            yield section, "", item
            continue
        for title, value in item.items():
            if isinstance(value, list):
                yield from nav_pages(value, title)
            else:
                yield section, title, value


def section_links(docs_dir: Path, nav: list, targets: tuple[str, ...], page_dir: str) -> str:
    """Markdown lists of pages' main headings. A target is a nav section's
    title (all its pages) or one page's file; each gets its own heading."""
    lines: list[str] = []
    current = None
    for section, title, page in nav_pages(nav):
        group = section if section in targets else title if page in targets else None
        if group is None:
            continue
        if group != current:
            lines += ["", f"### {group} {{#training-{slug(group)}}}", ""]
            current = group
        for level, heading, anchor in headings(docs_dir / page):
            indent = "    " if level == 2 else ""
            lines.append(f"{indent}- [{heading}]({page_dir}{page}#{anchor}) {QR_BUTTON}")
    return "\n".join(lines)


def statement_links(framework: Framework, audit_page: str) -> str:
    """Every statement of the framework, linking to its place in the form."""
    lines: list[str] = []
    for section in framework.sections:
        lines += ["", f"### {section.number}. {section.title} {{#training-audit-{section.id}}}", ""]
        for subsection in section.subsections:
            lines.append(f"- [{subsection.ref} {subsection.title}]({audit_page}#{subsection.id}) {QR_BUTTON}")
            for statement in subsection.statements:
                words = statement.text if len(statement.text) <= 90 else statement.text[:88].rstrip() + "…"
                lines.append(f"    - [{statement.ref} {words}]({audit_page}#{statement.id}) {QR_BUTTON}")
    return "\n".join(lines)
