"""Markdown exports show what was typed, as text, in CommonMark and in Python-Markdown (what MkDocs uses).

Each export is rendered with markdown-it-py (CommonMark, with GFM tables and
strikethrough), with Python-Markdown and the tables extension, and with
Python-Markdown and every extension this site enables. In every rendering no
element or attribute comes from typed text (no script, image, link, raw HTML,
attribute list, admonition, definition, footnote or included file), and the
text a reader sees holds everything that was typed, exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from markdown_it import MarkdownIt

from audit_app import bridge, compare, exports, governors_report, merge, trend
from audit_app.agenda import build_agenda
from audit_app.model import DETAIL_FIELDS, RESPONSE_TEXT_FIELDS, Details

from .support import FRAMEWORK
from .team_support import build, saved_text

LINES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<https://evil.example>",
    "<evil@example.com>",
    "[x](javascript:alert(1))",
    "![pic](https://evil.example/p.png)",
    "&lt;b&gt; already &amp; escaped &#60;i&#62; &copy",
    "a | b || c",
    "# not a heading",
    "- not a list",
    "+ not a list",
    "1. not a list",
    "2) not a list",
    "> not a quote",
    "    not code",
    "===",
    "---",
    "***",
    '{: onclick="alert(1)" }',
    '!!! danger "Click"',
    "??? note",
    ": not a definition",
    "*[HTML]: Hyper Text",
    "[^1]: not a footnote",
    '--8<-- "secret.md"',
    "```js",
    "~~~",
    "~~struck~~ *em* _em_ **strong** `code` \\ backslash \\<b>",
    '<div markdown="1">x</div> <!-- comment -->',
    "Tom & Jerry, 3 < 4 > 2",
    "🙂 مرحبا Café",
]
HOSTILE = "\n".join(LINES)
ONE_LINE = [line for line in LINES if line.strip() == line]  # table cells and names: one line each
ALLOWED_TAGS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "br"}
ALLOWED_ATTRIBUTES = {
    ("th", "style"), ("td", "style"), ("th", "align"), ("td", "align"),  # column alignment
    ("ol", "start"),  # numbering carried on across the agenda's groups
    ("h1", "id"), ("h2", "id"), ("h3", "id"),  # the toc extension's anchors, from our headings
}


class Rendered(HTMLParser):
    """The elements and the visible text of rendered HTML (entities decoded, as a browser shows them)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())


def renderers(tmp_path: Path) -> dict[str, Callable[[str], str]]:
    (tmp_path / "secret.md").write_text("SECRET FILE CONTENTS", encoding="utf-8")
    site_extensions = [
        "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
        "pymdownx.details", "pymdownx.superfences", "pymdownx.snippets",
    ]
    return {
        "CommonMark (markdown-it-py, GFM tables)": MarkdownIt("commonmark").enable(["table", "strikethrough"]).render,
        "Python-Markdown (tables)": lambda text: markdown.markdown(text, extensions=["tables"]),
        "Python-Markdown (this site's extensions)": lambda text: markdown.markdown(
            text, extensions=site_extensions,
            extension_configs={"pymdownx.snippets": {"base_path": [str(tmp_path)], "check_paths": False}},
        ),
    }


def plan_export() -> str:
    every_field = dict.fromkeys(RESPONSE_TEXT_FIELDS, HOSTILE)
    audit = build(
        FRAMEWORK, {"safe-ethos-1": "red"}, responses={"safe-ethos-1": every_field},
        details=Details(**dict.fromkeys(DETAIL_FIELDS, HOSTILE)), notes={"safe-ethos": HOSTILE},
    )
    return exports.render(FRAMEWORK, audit, "md")


def comparison_export() -> str:
    before = build(FRAMEWORK, {"safe-ethos-1": "red"}, details=Details(school=" ".join(ONE_LINE), completed_by=HOSTILE))
    after = build(FRAMEWORK, {"safe-ethos-1": "green"}, details=Details(school=HOSTILE, date=" ".join(ONE_LINE)))
    return compare.render(compare.compare(FRAMEWORK, before, after), "md")


def spread_export() -> str:
    files = [
        (f"{line}.json", saved_text(build(
            FRAMEWORK, {"safe-ethos-1": rating}, responses={"safe-ethos-1": dict.fromkeys(RESPONSE_TEXT_FIELDS, HOSTILE)},
            details=Details(completed_by=line), notes={"safe-ethos": HOSTILE},
        )))
        for line, rating in zip(ONE_LINE, ["red", "green"] * len(ONE_LINE))
    ]
    result = merge.merge_saved(files)
    assert result.ok, result.problems
    return merge.render_report(result, "md")


def agenda_export() -> str:
    result = build_agenda({
        "meeting_date": HOSTILE, "other_notes": HOSTILE,
        "questions": {"overview-1": {"checked": True, "notes": HOSTILE}, "school-based-2": {"notes": HOSTILE}},
    })
    assert json.loads(bridge.agenda(json.dumps({"other_notes": HOSTILE})))["ok"]
    return result["markdown"]


def history() -> list[tuple[str, str]]:
    """Two audits named, dated and signed with every hostile line, the second with hostile plans."""
    every_field = dict.fromkeys(RESPONSE_TEXT_FIELDS, HOSTILE)
    first = build(FRAMEWORK, {"safe-ethos-1": "red"}, details=Details(school=HOSTILE, date=" ".join(ONE_LINE), completed_by=HOSTILE))
    second = build(
        FRAMEWORK, {"safe-ethos-1": "amber", "safe-ethos-2": "green"},
        responses={"safe-ethos-1": every_field, "safe-ethos-2": every_field},
        details=Details(school=HOSTILE, date=HOSTILE, completed_by=" ".join(ONE_LINE)),
    )
    return [(HOSTILE, saved_text(first)), (" ".join(ONE_LINE), saved_text(second))]


def trend_export() -> str:
    result = trend.trend_saved(history())
    assert result.ok, result.problems
    return trend.render(result.trend, "md")


def governors_report_export() -> str:
    result = governors_report.report_saved(history())
    assert result.ok, result.problems
    return governors_report.render(result.report, "md")


EXPORTS = {
    "action plan": plan_export, "comparison": comparison_export, "team spread": spread_export, "meeting agenda": agenda_export,
    "trend": trend_export, "governors' report": governors_report_export,
}


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_typed_text_never_becomes_an_element_or_attribute_in_any_renderer(tmp_path, export):
    text = EXPORTS[export]()
    for name, render in renderers(tmp_path).items():
        rendered = Rendered(render(text))
        unexpected = [(tag, attrs) for tag, attrs in rendered.elements if tag not in ALLOWED_TAGS]
        assert not unexpected, (name, unexpected[:3])
        odd_attributes = [(tag, attr) for tag, attrs in rendered.elements for attr, _ in attrs if (tag, attr) not in ALLOWED_ATTRIBUTES]
        assert not odd_attributes, (name, odd_attributes[:3])
        values = " ".join(str(value) for _, attrs in rendered.elements for _, value in attrs)
        assert "alert" not in values and "evil" not in values and "onerror" not in values, name
        assert not rendered.comments, name
        assert "SECRET FILE CONTENTS" not in rendered.text, name


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_a_reader_sees_exactly_what_was_typed_in_every_renderer(tmp_path, export):
    text = EXPORTS[export]()
    for name, render in renderers(tmp_path).items():
        seen = Rendered(render(text)).text
        for line in LINES:
            assert " ".join(line.split()) in seen, (name, line)


def test_entities_are_used_for_angle_brackets_and_ampersands_never_backslashes():
    md = plan_export()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and "\\<" not in md.replace("\\\\&lt;", "")
    assert "&amp;lt;b&amp;gt; already &amp;amp; escaped &amp;#60;i&amp;#62; &copy" in md
    assert "Tom & Jerry, 3 &lt; 4 &gt; 2" in md  # a bare "&" reads as itself everywhere, so it stays readable


def test_a_note_stays_one_paragraph_with_hard_breaks_whatever_it_holds():
    audit = build(FRAMEWORK, notes={"safe-ethos": "First line\n\n\n    Second line\r\nThird"})
    md = exports.render(FRAMEWORK, audit, "md")
    assert "\n\nFirst line  \nSecond line  \nThird\n" in md
    for render in (MarkdownIt("commonmark").render, markdown.markdown):
        assert "<p>First line<br />\nSecond line<br />\nThird</p>" in render(md)
