"""The built site's files, checked the way a reader, a trainer and a privacy
reviewer would meet them: the whole guide is there, every section keeps its
link, no link is broken, nothing is loaded from anywhere else, and every page
says how to find the accessibility statement and the privacy page.

These tests read the HTML that MkDocs wrote (the ``built_site`` fixture); they
need no browser.

``tests/site/anchors.txt`` is the inventory of every stable link target on the
site (``/page-path/#anchor``). Trainers put these links in slides, so an anchor
may never silently disappear. To regenerate the inventory after adding or
deliberately renaming sections, from the repository root::

    NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build -d /tmp/site && .venv/bin/python tests/site/test_built_site.py /tmp/site > tests/site/anchors.txt
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown.extensions.toc import slugify

from audit_app.framework import default_framework

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# The client's text, as converted from the printed guide and the OAIP web page.
SOURCE_DIR = ROOT / "tests" / "source"
GUIDE_SOURCE = SOURCE_DIR / "relational-approaches-guide.md"
OAIP_SOURCE = SOURCE_DIR / "oaip-attendance-and-belonging.txt"
ANCHORS_FILE = Path(__file__).with_name("anchors.txt")

# The site's own address (mkdocs.yml site_url): links to it are internal.
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)[1]

# Pages whose headings are not written by hand in Markdown.
GENERATED_PAGES = ("print_page/", "404.html", "audit/")
# Ids that Markdown extensions and Material make up (footnotes and the like):
# none is a stable link target.
GENERATED_ID = re.compile(r"^(__|fn:|fnref:)")

THIRD_PARTY_HOSTS = (
    "fonts.googleapis",
    "fonts.gstatic",
    "cdn.jsdelivr",
    "unpkg",
    "google-analytics",
    "googletagmanager",
)
# Material's bundle names two third-party scripts that it fetches only when a
# browser lacks ResizeObserver (every browser since 2020 has it) or when a page
# contains a Mermaid diagram (none does). The Content-Security-Policy would
# block either request. Anything else is new and needs a decision.
KNOWN_DORMANT_THIRD_PARTY_URLS = {
    "https://unpkg.com/resize-observer-polyfill",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
}

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
}
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


# --------------------------------------------------------------------------
# A small DOM, built with the standard library's HTML parser.
# --------------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, *tags: str, cls: str | None = None) -> list[Element]:
        return [
            element
            for element in self.iter()
            if (not tags or element.tag in tags) and (cls is None or cls in element.classes)
        ]

    def find(self, *tags: str, cls: str | None = None) -> Element | None:
        found = self.find_all(*tags, cls=cls)
        return found[0] if found else None

    def text(self, *, skip_classes: frozenset[str] = frozenset()) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (child.classes & skip_classes):
                parts.append(child.text(skip_classes=skip_classes))
        return "".join(parts)


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {name: value or "" for name, value in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


@dataclass
class BuiltPage:
    """One HTML file of the built site."""

    site: Path
    file: Path

    @property
    def path(self) -> str:
        """The page's path as a reader sees it in the address bar."""
        relative = self.file.relative_to(self.site).as_posix()
        return relative[: -len("index.html")] if relative.endswith("index.html") else relative

    @cached_property
    def html(self) -> str:
        return self.file.read_text(encoding="utf-8")

    @cached_property
    def dom(self) -> Element:
        builder = TreeBuilder()
        builder.feed(self.html)
        builder.close()
        return builder.root

    @cached_property
    def content(self) -> Element | None:
        """Material's content area: the page's own words, no navigation."""
        return self.dom.find("article", cls="md-content__inner")

    @cached_property
    def ids(self) -> list[str]:
        return [element.attrs["id"] for element in self.dom.iter() if "id" in element.attrs]

    def headings(self, *tags: str) -> list[Element]:
        return self.content.find_all(*(tags or ("h1", "h2", "h3", "h4", "h5", "h6"))) if self.content else []

    @property
    def source(self) -> Path | None:
        """The Markdown file the page was built from."""
        if not self.file.name == "index.html" or self.path in {"print_page/"}:
            return None
        stem = self.path.rstrip("/") or "index"
        for candidate in (DOCS / f"{stem}.md", DOCS / stem / "index.md"):
            if candidate.exists():
                return candidate
        return None

    @property
    def generated(self) -> bool:
        return any(self.path.startswith(prefix) for prefix in GENERATED_PAGES)


def heading_text(heading: Element) -> str:
    return heading.text(skip_classes=frozenset({"headerlink"})).strip()


def is_generated_id(anchor: str) -> bool:
    return bool(GENERATED_ID.match(anchor))


def all_pages(site: Path) -> list[BuiltPage]:
    return [
        BuiltPage(site, file)
        for file in sorted(site.rglob("*.html"))
        if "assets" not in file.relative_to(site).parts[:1]
    ]


# Elements people link to: headings, figures, tables and their rows (the
# glossary), and the tools' statements (a trainer's link to one statement).
LINK_TARGETS = {"h1", "h2", "h3", "h4", "h5", "h6", "figure", "table", "tr", "fieldset", "section"}
NOT_PAGES = ("print_page/", "404.html")


def anchor_inventory(site: Path) -> list[str]:
    """Every stable link target in the content area of every page."""
    inventory = set()
    for page in all_pages(site):
        if page.path.startswith(NOT_PAGES) or page.content is None:
            continue
        for element in page.content.iter():
            anchor = element.attrs.get("id")
            if anchor and element.tag in LINK_TARGETS and not is_generated_id(anchor):
                inventory.add(f"/{page.path}#{anchor}")
    return sorted(inventory)


# --------------------------------------------------------------------------
# Text normalisation for comparing the site with the source documents.
# --------------------------------------------------------------------------

PUNCTUATION_MAP = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"', "″": '"',
        "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
        "\u00a0": " ", "\u202f": " ",
    }
)


def normalise(text: str) -> str:
    """Case, whitespace, curly quotes, dashes, emphasis and the spacing
    around punctuation never make two headings different."""
    text = unicodedata.normalize("NFKC", text).translate(PUNCTUATION_MAP)
    text = re.sub(r"[*_]", "", text)
    text = re.sub(r"\s*([-.:,;?!'\"()&/|])\s*", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text.rstrip(".:;,?! ")


def strip_markdown(text: str) -> str:
    """A Markdown line as its reader sees it: no emphasis, no link syntax."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](target) -> text
    text = re.sub(r"<(https?://[^>]+|[^>@\s]+@[^>\s]+)>", r"\1", text)  # autolinks
    return text.replace("\\", "")


# --------------------------------------------------------------------------
# What the source documents contain.
# --------------------------------------------------------------------------


def guide_source_headings() -> tuple[list[str], list[str]]:
    """The printed guide's headings, and separately its bylines set as
    headings, without what the PDF conversion added: the title block and
    Contents and the repeated page headers ("... CONTINUED", "- continued")."""
    lines = GUIDE_SOURCE.read_text(encoding="utf-8").splitlines()
    contents_at = next(i for i, line in enumerate(lines) if line.strip() == "# Contents")
    headings, bylines = [], []
    for line in lines[contents_at + 1 :]:
        match = re.match(r"^(#{1,6})\s+(?P<text>.+?)\s*$", line)
        if not match:
            continue
        text = match["text"]
        if re.search(r"\bCONTINUED$", text) or re.search(r"-\s*continued\.?$", text, re.IGNORECASE):
            continue
        plain = strip_markdown(text).replace("*", "").strip()
        # "#### *Member of one of ...*", wholly in italics, is an attribution:
        # the PDF set who said the words above as a heading.
        if re.fullmatch(r"\*[^*].*\*", text):
            bylines.append(plain)
        else:
            headings.append(plain)
    return headings, bylines


def oaip_source_headings() -> list[str]:
    """The OAIP page's headings in order: each expectation, its "Why?" and
    "How?" sections, and "Resources"."""
    lines = [line.strip() for line in OAIP_SOURCE.read_text(encoding="utf-8").splitlines()]
    headings = []
    for index, line in enumerate(lines):
        if line == "Expectation":
            headings.append(next(following for following in lines[index + 1 :] if following))
        elif re.fullmatch(r"•\s*(Why\?|How\?).*", line):
            headings.append(line.lstrip("• ").strip())
        elif line == "Resources":
            headings.append(line)
    return headings


def source_references() -> list[str]:
    """The 24 entries of the printed guide's References section."""
    text = GUIDE_SOURCE.read_text(encoding="utf-8")
    section = text.split("\n# References\n", 1)[1].split("\n## VSK contact details", 1)[0]
    entries: list[str] = []
    for line in section.splitlines():
        if line.startswith("- "):
            entries.append(line[2:])
        elif line.strip() and not line.startswith("#") and entries:
            entries[-1] += " " + line.strip()  # a DOI on its own line belongs to the entry above
    return [strip_markdown(entry).replace("*", "") for entry in entries]


# --------------------------------------------------------------------------
# Fixtures.
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[BuiltPage]:
    return all_pages(built_site)


@pytest.fixture(scope="module")
def pages_by_file(pages: list[BuiltPage]) -> dict[Path, BuiltPage]:
    return {page.file.resolve(): page for page in pages}


def page_at(pages: list[BuiltPage], path: str) -> BuiltPage:
    return next(page for page in pages if page.path == path)


# --------------------------------------------------------------------------
# a. The whole guide is here.
# --------------------------------------------------------------------------


# What a working copy holds beside the project's own files, made by setting
# up, building and testing (see .gitignore): a fresh clone has none of it.
NOT_THE_PROJECT_AT_TOP = {".git", ".venv", "node_modules", "site", "build", "test-results"}
NOT_THE_PROJECT_ANYWHERE = {".hypothesis", ".pytest_cache", "__pycache__"}
PROJECT_TEXT_SUFFIXES = {".py", ".md", ".txt", ".yml", ".yaml", ".toml", ".json", ".js", ".mjs", ".css", ".html", ".cfg", ".lock"}
# Folders outside the project that its files once read from: a sibling
# folder of the project, and the machine folder it was first written in.
OUTSIDE_FOLDERS = "shared|work"
OUTSIDE_PATH = re.compile(rf"\.\.[/\\](?:{OUTSIDE_FOLDERS})\b|(?<![\w.~-])/(?:{OUTSIDE_FOLDERS})/")


def project_text_files() -> list[Path]:
    """Every text file a fresh clone of the project holds (roughly: what git
    tracks), without walking into what setting up and testing made."""
    files = []
    for folder, subfolders, names in ROOT.walk():
        subfolders[:] = [
            name
            for name in subfolders
            if not (folder == ROOT and name in NOT_THE_PROJECT_AT_TOP)
            and name not in NOT_THE_PROJECT_ANYWHERE
            and not name.endswith(".egg-info")
        ]
        files += [folder / name for name in names if Path(name).suffix in PROJECT_TEXT_SUFFIXES or name in {"Makefile", "run"}]
    return files


def test_a_fresh_clone_carries_the_clients_source_documents() -> None:
    """The comparisons with the printed guide and the OAIP page read the
    client's text from the project itself, so they run on any machine."""
    assert SOURCE_DIR.is_relative_to(ROOT)
    guide = GUIDE_SOURCE.read_text(encoding="utf-8")
    oaip = OAIP_SOURCE.read_text(encoding="utf-8")
    assert "# Toolkit 1 - Relational Approaches Audit" in guide and "Expectation" in oaip


def test_no_file_in_the_project_reads_from_outside_it() -> None:
    found = [
        f"{file.relative_to(ROOT)}:{number}: {line.strip()}"
        for file in project_text_files()
        for number, line in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE_PATH.search(line)
    ]
    assert found == [], "files that refer to a folder outside the project:\n" + "\n".join(found)


def test_every_heading_of_the_printed_guide_is_a_heading_on_the_site(pages: list[BuiltPage]) -> None:
    on_site = {
        normalise(heading_text(heading))
        for page in pages
        if not page.generated
        for heading in page.headings()
    }
    expected, _ = guide_source_headings()
    assert len(expected) > 70, "the guide's headings could not be read from the source"
    missing = [heading for heading in expected if normalise(heading) not in on_site]
    assert missing == [], f"{len(missing)} of the guide's headings are not headings on the site: {missing}"


def test_every_byline_of_the_printed_guide_is_on_the_site(pages: list[BuiltPage]) -> None:
    on_site = " ".join(normalise(page.content.text()) for page in pages if page.content and not page.generated)
    _, bylines = guide_source_headings()
    assert bylines, "the guide's bylines could not be read from the source"
    missing = [byline for byline in bylines if normalise(byline) not in on_site]
    assert missing == [], f"bylines missing from the site: {missing}"


def test_the_oaip_page_keeps_every_expectation_and_its_sections_in_order(pages: list[BuiltPage]) -> None:
    page = page_at(pages, "oaip/attendance-and-belonging/")
    # A "How?" section's three parts are collapsible: their summaries are its headings.
    on_page = [
        normalise(element.text(skip_classes=frozenset({"headerlink"})))
        for element in page.content.iter()
        if element.tag in {"h1", "h2", "h3", "h4", "summary"}
    ]
    expected = [normalise(heading) for heading in oaip_source_headings()]
    assert len(expected) == 11, f"expected 2 expectations x (why + 3 hows) + resources, read {expected}"
    position = 0
    for heading in expected:
        assert heading in on_page[position:], f"OAIP heading missing or out of order: {heading!r}"
        position = on_page.index(heading, position) + 1


def test_every_reference_of_the_printed_guide_is_on_the_references_page(pages: list[BuiltPage]) -> None:
    page = page_at(pages, "references/")
    expected = [normalise(entry) for entry in source_references()]
    assert len(expected) == 24, f"the source's References section should list 24 entries, read {len(expected)}"
    reference_list = page.content.find("ul")
    on_page = [normalise(item.text()) for item in reference_list.find_all("li")]
    missing = [entry for entry in expected if entry not in on_page]
    assert missing == [], f"references missing or changed on the References page: {missing}"
    assert len(on_page) == 24, f"the References page lists {len(on_page)} entries, the guide 24"


# --------------------------------------------------------------------------
# b. Trainers' links keep working.
# --------------------------------------------------------------------------


def made_up_by_the_build(anchor: str, text: str, source: Path) -> bool:
    """True if the Markdown toc extension invented the id from the heading's
    words (so it would change if the words were corrected), rather than an
    author or a macro fixing it.

    The toc extension only ever invents ``slugify(text)``, perhaps with a
    ``_1`` suffix; any other id was set explicitly. An id that equals the slug
    counts as explicit only if it is written as ``{#id`` in the page's Markdown.
    """
    slug = slugify(text, "-")
    if not re.fullmatch(rf"{re.escape(slug)}(_\d+)?", anchor):
        return False
    return f"{{#{anchor}" not in source.read_text(encoding="utf-8")


def test_every_section_heading_has_a_link_target_written_by_hand(pages: list[BuiltPage]) -> None:
    problems = []
    for page in pages:
        if page.generated:
            continue
        source = page.source
        assert source is not None, f"no Markdown source found for {page.path}"
        for heading in page.headings("h1", "h2", "h3", "h4"):
            anchor = heading.attrs.get("id")
            text = heading_text(heading)
            if not anchor:
                problems.append(f"{page.path}: “{text}” has no id")
            elif made_up_by_the_build(anchor, text, source):
                problems.append(
                    f"{page.path}: “{text}” has id {anchor!r}, made up from its words by the build; "
                    f"write {{#...}} after the heading in {source.relative_to(ROOT)}"
                )
    assert problems == [], "\n".join(problems)


def test_no_link_target_that_trainers_may_use_has_disappeared(built_site: Path) -> None:
    listed = [line.strip() for line in ANCHORS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    current = set(anchor_inventory(built_site))
    gone = [anchor for anchor in listed if anchor not in current]
    assert gone == [], (
        "These links are in tests/site/anchors.txt but no longer exist on the site, so links in "
        "trainers' slides would break. Restore the anchors (keep the old {#id} when renaming a "
        f"heading), or, if removing them is deliberate, regenerate anchors.txt: {gone}"
    )


def test_every_link_target_is_in_the_anchor_inventory(built_site: Path) -> None:
    listed = {line.strip() for line in ANCHORS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()}
    new = [anchor for anchor in anchor_inventory(built_site) if anchor not in listed]
    assert new == [], (
        "New link targets are not yet in tests/site/anchors.txt; add them (see this module's "
        f"docstring for the one-line command that regenerates it): {new}"
    )


def test_the_anchor_inventory_is_sorted_and_has_no_duplicates() -> None:
    listed = [line.strip() for line in ANCHORS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert listed == sorted(set(listed)), "tests/site/anchors.txt should be sorted, one anchor per line"


# The glossary lists both "SENCOs" and "SENCos"; glossary_table() in
# macros/__init__.py makes ids from term.lower(), so both rows get the same id.
KNOWN_DUPLICATE_IDS = {"glossary-sencos"}


def duplicate_ids(pages: list[BuiltPage]) -> dict[str, list[str]]:
    found = {
        page.path: sorted(anchor for anchor, count in Counter(page.ids).items() if count > 1) for page in pages
    }
    return {path: anchors for path, anchors in found.items() if anchors}


def test_no_page_has_two_link_targets_with_the_same_name(pages: list[BuiltPage]) -> None:
    found = {
        path: [anchor for anchor in anchors if anchor not in KNOWN_DUPLICATE_IDS]
        for path, anchors in duplicate_ids(pages).items()
    }
    assert {path: anchors for path, anchors in found.items() if anchors} == {}


def test_every_glossary_entry_has_its_own_link_target(pages: list[BuiltPage]) -> None:
    assert duplicate_ids([page_at(pages, "glossary/")]) == {}


# --------------------------------------------------------------------------
# c. No broken links.
# --------------------------------------------------------------------------

LINK_ATTRIBUTES = {
    "a": "href", "area": "href", "link": "href",
    "script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
}


def resolve_link(site: Path, page: BuiltPage, url: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points at; None for a link to
    another site or a non-web scheme."""
    if url.startswith(SITE_URL):
        url = "/" + url[len(SITE_URL) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page.file, unquote(parts.fragment)
    if parts.path.startswith("/"):
        target = site / unquote(parts.path).lstrip("/")
    else:
        target = page.file.parent / unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve(), unquote(parts.fragment)


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page or 'home'}: {self.url!r} -> {self.problem}"


def broken_links(site: Path, pages: list[BuiltPage], pages_by_file: dict[Path, BuiltPage]) -> tuple[int, list[BrokenLink]]:
    """How many internal links and resources the pages have, and which lead
    nowhere (no such file, or no such id on the target page)."""
    broken = []
    checked = 0
    for page in pages:
        for element in page.dom.iter():
            attribute = LINK_ATTRIBUTES.get(element.tag)
            url = element.attrs.get(attribute) if attribute else None
            if url is None:
                continue
            resolved = resolve_link(site, page, url.strip())
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            if not target.is_file():
                broken.append(BrokenLink(page.path, url, f"<{element.tag}> to a file that does not exist"))
                continue
            if fragment:
                target_page = pages_by_file.get(target)
                if target_page is None:
                    broken.append(BrokenLink(page.path, url, "a fragment on a file that is not a page"))
                elif fragment not in target_page.ids:
                    broken.append(BrokenLink(page.path, url, f"{target_page.path or 'home'} has no id {fragment!r}"))
    return checked, broken


def known_print_page_defect(link: BrokenLink) -> bool:
    """mkdocs-print-site turns every link into an anchor on the print page,
    even links to pages left out of it (mkdocs.yml print-site `exclude`), and
    loses the page prefix of footnote back-links inside list items."""
    if link.page != "print_page/":
        return False
    fragment = urlsplit(link.url).fragment
    return fragment.startswith(("audit", "using-this-site-")) or "-fnref:" in fragment


def test_every_internal_link_and_resource_exists(built_site: Path, pages: list[BuiltPage], pages_by_file) -> None:
    checked, broken = broken_links(built_site, pages, pages_by_file)
    assert checked > 500, f"only {checked} links were checked; is the site built?"
    new = [str(link) for link in broken if not known_print_page_defect(link)]
    assert new == [], f"{len(new)} broken links:\n" + "\n".join(new)


def test_every_link_on_the_whole_guide_print_page_leads_somewhere(built_site: Path, pages: list[BuiltPage], pages_by_file) -> None:
    _, broken = broken_links(built_site, [page_at(pages, "print_page/")], pages_by_file)
    assert [str(link) for link in broken] == []


# --------------------------------------------------------------------------
# d. Private by construction.
# --------------------------------------------------------------------------


def site_files(site: Path, *suffixes: str) -> list[Path]:
    pyodide = site / "assets" / "pyodide"
    return sorted(
        file
        for file in site.rglob("*")
        if file.suffix in suffixes and file.is_file() and pyodide not in file.parents
    )


def test_no_page_loads_anything_from_font_cdn_or_analytics_hosts(built_site: Path, pages: list[BuiltPage]) -> None:
    loaded = []
    for page in pages:
        for element in page.dom.find_all("link", "script", "img", "iframe", "source"):
            for attribute in ("href", "src", "srcset"):
                value = element.attrs.get(attribute, "")
                if any(host in value for host in THIRD_PARTY_HOSTS):
                    loaded.append(f"{page.path}: <{element.tag} {attribute}={value!r}>")
    for stylesheet in site_files(built_site, ".css"):
        for match in re.finditer(r"(?:@import|url\()\s*[\"']?([^\"')\s;]+)", stylesheet.read_text(encoding="utf-8")):
            if any(host in match[1] for host in THIRD_PARTY_HOSTS):
                loaded.append(f"{stylesheet.relative_to(built_site)}: {match[1]}")
    assert loaded == [], f"third-party resources loaded: {loaded}"


def test_scripts_name_no_third_party_host_except_materials_dormant_fallbacks(built_site: Path) -> None:
    found = set()
    for script in site_files(built_site, ".js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"https?://[^\s\"'`)]+", text):
            if any(host in match[0] for host in THIRD_PARTY_HOSTS):
                found.add(match[0])
    assert found <= KNOWN_DORMANT_THIRD_PARTY_URLS, f"scripts name third-party hosts: {sorted(found - KNOWN_DORMANT_THIRD_PARTY_URLS)}"


def test_every_page_starts_its_head_with_the_content_security_policy(pages: list[BuiltPage]) -> None:
    wrong = []
    for page in pages:
        head = page.dom.find("head")
        first = next((child for child in head.children if isinstance(child, Element)), None) if head else None
        if (
            first is None
            or first.tag != "meta"
            or first.attrs.get("http-equiv", "").lower() != "content-security-policy"
            or "default-src 'self'" not in first.attrs.get("content", "")
            or "'unsafe-inline'" in first.attrs.get("content", "")
        ):
            wrong.append(f"{page.path}: first in <head> is {first and first.tag} {first and first.attrs}")
    assert wrong == [], "\n".join(wrong)


def test_the_headers_file_sends_a_strict_policy_for_every_path(built_site: Path) -> None:
    headers = built_site / "_headers"
    assert headers.exists(), "site/_headers is missing"
    block: list[str] = []
    lines = headers.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.strip() == "/*":
            for following in lines[index + 1 :]:
                if not following.startswith((" ", "\t")):
                    break
                block.append(following.strip())
            break
    policies = [line.split(":", 1)[1].strip() for line in block if line.lower().startswith("content-security-policy:")]
    assert len(policies) == 1, f"/* should carry one Content-Security-Policy, found {block}"
    policy = policies[0]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy


def test_no_page_has_inline_script_or_inline_style(pages: list[BuiltPage]) -> None:
    found = []
    for page in pages:
        for element in page.dom.iter():
            if element.tag == "script" and "src" not in element.attrs:
                if element.attrs.get("type", "").lower() in JAVASCRIPT_TYPES and element.text().strip():
                    found.append(f"{page.path}: inline <script>")
            elif element.tag == "style":
                found.append(f"{page.path}: <style> element")
            if "style" in element.attrs:
                found.append(f"{page.path}: style= on <{element.tag}>")
            for name in element.attrs:
                if name.startswith("on"):
                    found.append(f"{page.path}: {name}= on <{element.tag}>")
    assert found == [], "\n".join(found)


# --------------------------------------------------------------------------
# e. Every page says where to find the statements, and how fresh it is.
# --------------------------------------------------------------------------


def test_every_page_footer_links_to_the_accessibility_statement_and_privacy_page(
    built_site: Path, pages: list[BuiltPage]
) -> None:
    statements = {
        (built_site / "using-this-site" / "accessibility" / "index.html").resolve(): "accessibility statement",
        (built_site / "using-this-site" / "privacy" / "index.html").resolve(): "privacy page",
    }
    missing = []
    for page in pages:
        footer = page.dom.find("footer")
        targets = set()
        for link in footer.find_all("a") if footer else []:
            resolved = resolve_link(built_site, page, link.attrs.get("href", ""))
            if resolved:
                targets.add(resolved[0])
        missing += [f"{page.path}: no {name}" for target, name in statements.items() if target not in targets]
    assert missing == [], "\n".join(missing)


def test_every_page_but_home_shows_when_it_was_last_updated(pages: list[BuiltPage]) -> None:
    missing = []
    for page in pages:
        if page.path in {"", "404.html", "print_page/"}:
            continue
        source_file = page.dom.find("aside", cls="md-source-file")
        labelled = source_file is not None and any(
            element.attrs.get("title") == "Last update" for element in source_file.iter()
        )
        date = source_file.find("span", cls="git-revision-date-localized-plugin-date") if source_file else None
        if not (labelled and date is not None and re.search(r"\d{4}", date.text())):
            missing.append(page.path)
    assert missing == [], f"pages without a “Last update” date: {missing}"


# --------------------------------------------------------------------------
# f. Toolkit 1 on paper, and the site's own words labelled as the site's.
# --------------------------------------------------------------------------

SITE_NOTE_TITLE = "Note from this site"
# Pages that carry the guide's or the OAIP's own text, where a reader must be
# able to tell the site's words from Kent County Council's.
CLIENT_TEXT_PAGES = ("guide/", "toolkit/", "oaip/attendance-and-belonging/", "acknowledgements/", "further-information/", "references/", "glossary/")


def own_text(element: Element) -> str:
    return " ".join(element.text(skip_classes=frozenset({"headerlink"})).split())


def child_elements(element: Element, tag: str) -> list[Element]:
    return [child for child in element.children if isinstance(child, Element) and child.tag == tag]


def next_element(element: Element) -> Element | None:
    """The element's next sibling element (by identity: equal-looking
    elements, such as two "Expectation" labels, are different elements)."""
    siblings = [child for child in element.parent.children if isinstance(child, Element)]
    position = next(index for index, sibling in enumerate(siblings) if sibling is element)
    return siblings[position + 1] if position + 1 < len(siblings) else None


@pytest.mark.parametrize("path", ["toolkit/audit-reference/", "print_page/"])
def test_a_school_prints_a_blank_toolkit_1_recording_sheet(pages: list[BuiltPage], path: str) -> None:
    """The printed guide's recording sheet, on the Toolkit 1 page and in the
    whole-guide print page: a table per subsection headed by its rating
    columns, every statement with an empty box under each rating, then the
    guide's notes prompt with a line per statement, and "Additional notes:"
    where the guide has it."""
    framework = default_framework()
    page = page_at(pages, path)
    tables = page.dom.find_all("table", cls="t1-sheet")
    subsections = [sub for _, sub in framework.iter_subsections()]
    assert len(tables) == len(subsections) == 8
    ratings = [rating.label for rating in framework.ratings]
    for table, sub in zip(tables, subsections, strict=True):
        headers = table.find("thead").find_all("th")
        assert [own_text(th) for th in headers] == [f"{sub.ref} {sub.title}", *ratings]
        assert {th.attrs.get("scope") for th in headers} == {"col"}
        assert table.attrs.get("aria-labelledby") == headers[0].attrs.get("id")
        rows = table.find("tbody").find_all("tr")
        assert [row.attrs.get("id") for row in rows] == [f"t1-{s.id}" for s in sub.statements]
        for row, statement in zip(rows, sub.statements, strict=True):
            [statement_cell] = child_elements(row, "th")
            assert statement_cell.attrs.get("scope") == "row"
            assert normalise(own_text(statement_cell)).startswith(normalise(f"{statement.ref} {statement.text}"))
            ticks = child_elements(row, "td")
            assert len(ticks) == len(ratings)
            assert all(cell.find("span", cls="t1-sheet__box") and not own_text(cell) for cell in ticks)
        assert table.find_all("input", "select", "textarea", "button") == [], "the boxes are for a pen, not controls"
    assert sum(len(table.find("tbody").find_all("tr")) for table in tables) == 40

    prompts = [own_text(p) for p in page.dom.find_all("p", cls="t1-notes__prompt")]
    expected = []
    for sub in subsections:
        expected.append(f"Notes: {framework.notes_prompt}")
        if sub.additional_notes_prompt:
            expected.append(f"{sub.additional_notes_prompt}:")
    assert prompts == expected
    assert prompts.count(f"Notes: {framework.notes_prompt}") == 8 and prompts.count("Additional notes:") == 1
    lines = page.dom.find_all("div", cls="t1-notes__lines")
    assert all(block.attrs.get("aria-hidden") == "true" for block in lines), "ruled lines are for a pen, not a screen reader"
    numbered = [own_text(line) for line in page.dom.find_all("p", cls="t1-notes__line") if own_text(line)]
    assert numbered == [s.ref for _, _, s in framework.iter_statements()]


def test_the_toolkit_1_page_restores_the_guides_subheading_and_links_each_statement_to_the_self_audit(pages: list[BuiltPage]) -> None:
    page = page_at(pages, "toolkit/audit-reference/")
    assert own_text(page.content.find("h2")) == "Virtual School Kent & Kent Educational Psychology Service"
    links = [a.attrs["href"] for a in page.content.find_all("a") if own_text(a).startswith("Rate ")]
    assert links == [f"../../audit/#{s.id}" for _, _, s in default_framework().iter_statements()]


def test_every_note_the_site_adds_to_the_guides_pages_says_it_is_the_sites(pages: list[BuiltPage]) -> None:
    """On the pages that carry the client's text, the site's own words are
    only ever in a "Note from this site" (no other admonition)."""
    problems = []
    for page in pages:
        if not page.path.startswith(CLIENT_TEXT_PAGES):
            continue
        for note in page.content.find_all("div", cls="admonition"):
            title = note.find("p", cls="admonition-title")
            if "site-note" not in note.classes or title is None or own_text(title) != SITE_NOTE_TITLE:
                problems.append(f"{page.path}: {own_text(note)[:80]!r}")
    assert problems == [], "\n".join(problems)


def test_where_the_printed_guide_shows_an_image_a_reader_is_told_it_is_not_reproduced(pages: list[BuiltPage]) -> None:
    figures = [figure for page in pages if not page.generated for figure in page.content.find_all("figure", cls="figure-not-reproduced")]
    assert len(figures) == 7
    for figure in figures:
        note = figure.find("div", cls="site-note")
        assert note is not None and "not reproduced" in own_text(note) and figure.find("figcaption") is not None
    page = page_at(pages, "guide/psychological-understanding/")
    maslow = next(p for p in page.content.find_all("p") if own_text(p).endswith("Maslow's Hierarchy of Needs (1943):"))
    after = next_element(maslow)
    assert after is not None and "site-note" in after.classes and "not reproduced" in own_text(after)


def test_the_quote_about_miss_comes_before_regulate_relate_reason_as_in_the_guide(pages: list[BuiltPage]) -> None:
    text = own_text(page_at(pages, "guide/psychological-understanding/").content)
    section = text[text.index("Regulate-Relate-Reason") :]
    assert section.index("When I am having a bad time") < section.index("Regulate - This may include")


def test_the_glossary_says_which_meanings_are_the_guides_and_which_are_this_sites(pages: list[BuiltPage]) -> None:
    """A meaning marked as the guide's is in the guide's own words (a plural
    abbreviation may spell out its singular); every other meaning is marked
    as this site's explanation."""
    source = normalise(" ".join((GUIDE_SOURCE.read_text(encoding="utf-8") + OAIP_SOURCE.read_text(encoding="utf-8")).split()))
    page = page_at(pages, "glossary/")
    assert SITE_NOTE_TITLE in own_text(page.content.find("div", cls="site-note"))
    origins: dict[str, str] = {}
    meanings: dict[str, str] = {}
    for row in page.content.find("table").find("tbody").find_all("tr"):
        [term] = child_elements(row, "th")
        meaning_cell, origin_cell = child_elements(row, "td")
        meaning, origin = normalise(own_text(meaning_cell)), normalise(own_text(origin_cell))
        in_guide = meaning in source or meaning.removesuffix("s") in source
        assert origin in {"the guide", "this site's own explanation"}, own_text(row)
        assert in_guide == (origin == "the guide"), f"{own_text(row)}: the guide {'does' if in_guide else 'does not'} give this meaning"
        origins[own_text(term)] = origin
        meanings[own_text(term)] = own_text(meaning_cell)
    sites_own = {"CAMHS", "DfE", "EHCPs", "ELSA", "GCSEs", "MPs", "PRU", "RAG", "SECC", "SEMH", "STLS", "UK", "VLE"}
    assert {term for term, origin in origins.items() if origin != "the guide"} == sites_own
    assert (meanings["DoE"], origins["DoE"]) == ("Department of Education", "the guide")


def test_further_information_lists_the_guides_eight_items_as_the_guide_gives_them(pages: list[BuiltPage]) -> None:
    text = GUIDE_SOURCE.read_text(encoding="utf-8")
    section = text.split("\n## Kent support services and information\n", 1)[1].split("\n## FURTHER INFORMATION CONTINUED", 1)[0]
    expected = [normalise(strip_markdown(line[2:])) for line in section.splitlines() if line.startswith("- ")]
    assert len(expected) == 8
    page = page_at(pages, "further-information/")
    heading = next(h for h in page.headings("h2") if h.attrs.get("id") == "further-kent-support-services")
    items = next_element(heading).find_all("li")
    assert [normalise(own_text(item)) for item in items] == expected


def test_the_oaip_page_labels_each_expectation_and_adds_no_headings_of_its_own(pages: list[BuiltPage]) -> None:
    page = page_at(pages, "oaip/attendance-and-belonging/")
    labels = page.content.find_all("p", cls="oaip-expectation-label")
    expectations = [heading for heading in oaip_source_headings() if heading.endswith(".") and not heading.startswith(("Why?", "How?"))]
    assert [own_text(label) for label in labels] == ["Expectation"] * len(expectations) == ["Expectation"] * 2
    assert [normalise(own_text(next_element(label))) for label in labels] == [normalise(e) for e in expectations]
    source_headings = {normalise(h) for h in oaip_source_headings()} | {normalise("Attendance and belonging")}
    added = [heading_text(h) for h in page.headings() if normalise(heading_text(h)) not in source_headings]
    assert added == [], f"headings the OAIP page does not have: {added}"


def test_the_home_page_gives_the_guides_full_title_and_says_what_is_not_reproduced(pages: list[BuiltPage]) -> None:
    lines = [line.strip("#*: ") for line in GUIDE_SOURCE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    title, subtitle = lines[0], lines[1]
    assert subtitle == "A Guide and Toolkit"
    home = own_text(page_at(pages, "").content)
    assert f"{title}: {subtitle}" in home
    assert "published here in full" in home and "Not reproduced: the cover, the images of its figures" in home


if __name__ == "__main__":
    # Print the anchor inventory of a built site (see the module docstring).
    print("\n".join(anchor_inventory(Path(sys.argv[1]))))
