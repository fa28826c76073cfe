"""Reading the guide in real Chromium: with the keyboard alone, with the
abbreviations explained, on paper, and searching without leaving the site.

Every page is watched by the ``watch`` fixture (tests/browser/conftest.py):
any request off the site's origin, console error, CSP violation or uncaught
exception fails the test. A strict CSP blocks Playwright's
``wait_for_function``, so waiting is done with ``expect(locator)``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

FACTORS = "/guide/factors-affecting-attendance/"
OAIP = "/oaip/attendance-and-belonging/"
INTRODUCTION = "/guide/introduction/"
TOOLKIT_1 = "/toolkit/audit-reference/"
MM = 96 / 25.4  # CSS pixels in a millimetre

# What the focused element looks like: is there a ring, and is it on
# something that takes up space on the screen? A visually hidden radio or
# checkbox (Material's palette switch, content tabs) is seen through its label.
FOCUSED = """() => {
  const element = document.activeElement;
  let shown = element;
  const own = element.getBoundingClientRect();
  if (own.width === 0 || own.height === 0) {
    const next = element.nextElementSibling;
    shown = (next && next.tagName === "LABEL" ? next : element.labels && element.labels[0]) || element;
  }
  const style = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(),
    classes: [...element.classList],
    id: element.id,
    text: (element.getAttribute("aria-label") || element.textContent || "").trim().slice(0, 80),
    href: element.href || null,
    inContent: Boolean(element.closest(".md-content")),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    width: box.width,
    height: box.height,
  };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def assert_focus_visible(page: Page) -> dict:
    """The focused element has a focus ring (outline or box-shadow) and is
    itself on screen, so the ring can be seen."""
    now = focused(page)
    assert now["outline"] or now["shadow"], f"no focus ring on {now}"
    assert now["width"] > 0 and now["height"] > 0, f"focus is on something with no size on screen: {now}"
    return now


def tab_until(page: Page, matches, *, limit: int = 80, key: str = "Tab") -> dict:
    """Press Tab (or another key) until the focused element matches; fail
    after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
    pytest.fail(f"{key} never reached the element after {limit} presses; last focus {focused(page)}")


# --------------------------------------------------------------------------
# a. Keyboard only.
# --------------------------------------------------------------------------


def test_a_keyboard_user_skips_to_the_content_from_the_first_tab(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    first = assert_focus_visible(page)
    assert "md-skip" in first["classes"] and first["text"] == "Skip to content", first
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#home$"))
    page.keyboard.press("Tab")
    after = assert_focus_visible(page)
    assert after["inContent"], f"after the skip link, Tab went to {after}, not into the content"


def test_the_search_index_waits_until_a_reader_reaches_for_search(page: Page) -> None:
    """Building the index costs a school laptop a few hundred milliseconds of
    processor time on every page load, so it waits (search-worker.js): not
    built a second after the page opens, built the moment the reader presses
    "/", and the first search still answers."""
    page.goto("/")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_timeout(1000)
    expect(meta).to_have_text("Initializing search")
    page.keyboard.press("/")
    expect(meta).to_have_text("Type to start searching")
    page.keyboard.type("attendance")
    expect(meta).to_have_text(re.compile(r"\d+ matching documents?"))


def test_the_search_index_is_built_anyway_once_the_page_has_settled(page: Page) -> None:
    page.goto(INTRODUCTION)
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching", timeout=15_000)


def test_a_search_in_the_address_answers_at_once(page: Page) -> None:
    """A link such as /?q=belonging (Material's own) opens search with the results."""
    page.goto("/?q=belonging")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ matching documents?"))


def test_a_keyboard_user_searches_for_ebsa_and_opens_the_factors_page(page: Page) -> None:
    page.goto("/")
    tab_until(page, lambda now: "md-search__input" in now["classes"], limit=10)
    assert_focus_visible(page)
    page.keyboard.type("EBSA")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    result = tab_until(page, lambda now: FACTORS in (now["href"] or ""), limit=10, key="ArrowDown")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(FACTORS)))
    expect(page.locator("h1")).to_have_text(re.compile("Factors which can affect attendance"))
    assert result["text"], result


def test_a_keyboard_user_opens_each_how_section(page: Page) -> None:
    page.goto(OAIP)
    how = page.locator("details").nth(1)
    expect(how.locator("summary")).to_have_text("How? Early years")
    text = how.get_by_text("Regardless of whether children are at compulsory school age")
    expect(text).to_be_hidden()
    tab_until(page, lambda now: now["text"] == "How? Early years")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(text).to_be_visible()
    page.keyboard.press("Enter")
    expect(text).to_be_hidden()


def test_find_in_page_finds_words_inside_closed_how_sections(page: Page) -> None:
    """Chromium's find-in-page searches closed <details> and opens the one it
    finds in. A link to a text fragment (#:~:text=...) uses the same search,
    and a test can follow one."""
    page.goto(OAIP)
    how = page.locator("details").nth(1)
    expect(how).not_to_have_attribute("open", "")
    page.goto(OAIP + "#:~:text=Manual%20or%20electronic%20registers%20are%20kept%20clearly")
    expect(how).to_have_attribute("open", "")
    expect(how.get_by_text("Manual or electronic registers are kept clearly")).to_be_visible()


def test_every_tab_stop_in_the_header_is_visible(page: Page) -> None:
    page.goto("/")
    for _ in range(6):
        page.keyboard.press("Tab")
        assert_focus_visible(page)


def test_a_trainer_copies_a_section_link_with_the_keyboard(page: Page, context: BrowserContext, site_url: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(FACTORS)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    button = tab_until(
        page,
        lambda now: "copy-link" in now["classes"] and "Emotional Based School Avoidance" in now["text"],
    )
    assert button["text"] == "Copy link to section: Emotional Based School Avoidance (EBSA)", button
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    status = page.locator("#copy-link-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(re.compile(r"Emotional Based School Avoidance \(EBSA\).{0,3} copied"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{site_url.rstrip('/')}{FACTORS}#factors-ebsa", copied
    expect(page.locator("button.copy-link:focus")).to_have_text("Copied")


# --------------------------------------------------------------------------
# b. Abbreviations explain themselves.
# --------------------------------------------------------------------------


def test_the_first_abbreviation_on_a_guide_page_can_be_focused_and_explains_itself(page: Page) -> None:
    page.goto(INTRODUCTION)
    abbr = page.locator(".md-content abbr").first
    expect(abbr).to_have_attribute("tabindex", "0")
    expect(abbr).to_have_attribute("title", re.compile(r"\w"))
    title = abbr.get_attribute("title")
    abbr.focus()
    # Keyboard users see the meaning beside the abbreviation (site.css ::after).
    shown = abbr.evaluate("(element) => getComputedStyle(element, '::after').content")
    assert shown == f'"{title}"', f"focused abbreviation shows {shown!r}, not its title {title!r}"
    assert_focus_visible(page)


# --------------------------------------------------------------------------
# c. On paper.
# --------------------------------------------------------------------------


def assert_website_furniture_hidden(page: Page) -> None:
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".copy-link"):
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()


def test_the_oaip_page_prints_every_how_section_open_without_the_website_around_it(page: Page) -> None:
    page.goto(OAIP)
    page.emulate_media(media="print")
    assert_website_furniture_hidden(page)
    sections = page.locator("details")
    assert sections.count() == 6
    for section in sections.all():
        expect(section.locator("li").first).to_be_visible()
    expect(page.locator("h1")).to_be_visible()


def test_a_guide_page_prints_without_the_website_and_with_details_open(page: Page) -> None:
    page.goto(INTRODUCTION)
    # No guide page has a collapsed section yet; add one as an author would.
    page.locator("article.md-content__inner").evaluate(
        """(article) => article.insertAdjacentHTML("beforeend",
            '<details id="print-test"><summary>More</summary><p>Hidden until printed</p></details>')"""
    )
    hidden = page.locator("#print-test p")
    expect(hidden).to_be_hidden()
    page.emulate_media(media="print")
    assert_website_furniture_hidden(page)
    expect(hidden).to_be_visible()
    expect(page.locator("h1")).to_be_visible()


def test_the_whole_guide_print_page_has_every_chapter(page: Page) -> None:
    page.goto("/print_page/")
    page.emulate_media(media="print")
    chapters = page.locator("h1")
    for title in (
        "Foreword",
        "Introduction to the guide and toolkit",
        "Factors which can affect attendance",
        "Final summary",
        "Toolkit 2: Tips to increase attendance through relational approaches",
        "Attendance and belonging",
        "References",
    ):
        expect(chapters.filter(has_text=re.compile(rf"^\s*{re.escape(title)}"))).to_have_count(1)
    assert_website_furniture_hidden(page)


def test_a_school_prints_a_blank_toolkit_1_recording_sheet_for_a_staff_meeting(page: Page) -> None:
    """On paper: every statement with three empty boxes big enough to tick,
    a ruled line per statement under each table and four after "Additional
    notes:", and none of the website (no links to the online audit)."""
    page.goto(TOOLKIT_1)
    page.emulate_media(media="print")
    assert_website_furniture_hidden(page)
    rows = page.locator(".t1-sheet tbody tr")
    expect(rows).to_have_count(40)
    boxes = page.locator(".t1-sheet__box")
    expect(boxes).to_have_count(120)
    sizes = boxes.evaluate_all("(boxes) => boxes.map((box) => box.getBoundingClientRect().width)")
    assert min(sizes) >= 6.5 * MM, f"tick boxes on paper are {min(sizes) / MM:.1f} mm wide"
    lines = page.locator(".t1-notes__line")
    expect(lines).to_have_count(44)
    for line in lines.all():
        expect(line).to_be_visible()
    expect(page.get_by_text("Additional notes:")).to_be_visible()
    links_to_the_online_audit = page.locator(".t1-sheet a")
    expect(links_to_the_online_audit).to_have_count(40)
    for hidden in (*links_to_the_online_audit.all(), page.locator(".site-note")):
        expect(hidden).to_be_hidden()
    assert page.pdf(format="A4").startswith(b"%PDF")


def test_a_phone_user_reads_the_toolkit_1_sheet_at_320px_without_scrolling_sideways(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(TOOLKIT_1)
    expect(page.locator(".t1-sheet").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    widest = page.locator(".t1-sheet").evaluate_all("(tables) => Math.max(...tables.map((t) => t.getBoundingClientRect().right))")
    assert widest <= 320, f"a recording table reaches {widest}px"
    expect(page.get_by_role("link", name="Rate 1.1.1 in the self-audit")).to_be_visible()
    expect(page.get_by_role("table", name="1.1 Whole School values and ethos")).to_be_visible()
    expect(page.locator(".t1-notes__line").first).to_be_hidden()


# --------------------------------------------------------------------------
# d. Search works offline, from the site's own index.
# --------------------------------------------------------------------------


def test_search_finds_belonging_using_only_the_sites_own_index(page: Page, watch, site_url: str) -> None:
    page.goto("/")
    page.keyboard.press("/")
    page.keyboard.type("belonging")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ matching documents?"))
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    index_requests = [url for url in watch.requests if url.startswith(site_url) and "search_index.json" in url]
    assert index_requests, f"the search index was not loaded from the site: {watch.requests}"
