"""The GOV.UK Design System's manual accessibility checks, as scripted
acceptance tests, at 320, 1024 and 1280 px wide.

* Keyboard: every Tab and every Shift+Tab stop, on every tool page (filled
  in) and three guide pages, is on screen, not under the sticky header or
  anything else, and each pass leaves the page (no trap). The menu opens,
  reads and closes with the keyboard.
* Zoom and reflow: no content, and no table column, out of reach; also with
  WCAG 1.4.12's text spacing.
* Forced colours: the boundaries that carry meaning stay drawn.
* JavaScript off: the guide reads in full; every tool says plainly that it
  needs JavaScript and sends nothing, and its form cannot send anything.
* CSS off: the self-audit still reads in a sensible order.

What "visible" means exactly is in a11y_support.FOCUS_PROBE.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from a11y_support import (
    FOCUS_PROBE,
    VIEWPORTS,
    Stop,
    apply_text_spacing,
    focus_problems,
    start_from_the_end,
    start_from_the_top,
    tab_walk,
    unreachable_content,
)
from audit_support import SECTIONS, STATEMENT_IDS, rating_radio, wait_for_engine
from team_support import saved_audit, write
from test_site_pages import site_pages

WIDTHS = sorted(VIEWPORTS)
AUDIT = "/audit/"
SELF_REVIEW = "/oaip/self-review/"
COMPARE = "/audit/compare/"
MODERATE = "/audit/moderate/"
CALCULATOR = "/tools/missed-learning/"
MEETING = "/tools/partnership-meeting/"
TOOL_PAGES = [AUDIT, SELF_REVIEW, COMPARE, MODERATE, CALCULATOR, MEETING]
GUIDE_SAMPLE = ["/guide/factors-affecting-attendance/", "/oaip/attendance-and-belonging/", "/toolkit/audit-reference/"]
NOSCRIPT = (
    "This tool needs JavaScript, which is turned off in this browser. The tool works only on this device and "
    "sends nothing anywhere; without JavaScript it can neither save nor work anything out, so it is not shown. "
    "Turn JavaScript on for this site to use it."
)
NO_PRINT_DIALOG = "window.print = () => {};"
LONG_NOTE = "Checked at the staff meeting with the pastoral team; follow up with the attendance officer."


# ---- The tools, filled in ------------------------------------------------------------------


def everyone_rated(offset: int, who: str) -> dict:
    """A saved audit with every statement rated and every note written."""
    cycle = ("red", "amber", "green")
    ratings = {sid: cycle[(i + offset) % 3] for i, sid in enumerate(STATEMENT_IDS)}
    fields = {
        sid: {"evidence": LONG_NOTE, "next_step": LONG_NOTE, "owner": who, "success_criteria": LONG_NOTE}
        for sid in STATEMENT_IDS
    }
    return saved_audit(ratings, details={"completed_by": who, "school": "Oak Hill Primary"}, fields=fields)


def fill_in(page: Page, path: str, files: Path) -> None:
    """Open a tool page and bring it to the state with the most on it."""
    page.goto(path)
    if path in (AUDIT, SELF_REVIEW):
        wait_for_engine(page)
        if path == AUDIT:
            for statement, rating in zip(STATEMENT_IDS[:3], ("red", "amber", "green"), strict=True):
                rating_radio(page, statement, rating).check()
    elif path == COMPARE:
        wait_for_engine(page)
        page.locator("#compare-baseline").set_input_files(write(files, "march.json", everyone_rated(0, "Sam Patel")))
        page.locator("#compare-review").set_input_files(write(files, "july.json", everyone_rated(1, "Sam Patel")))
        expect(page.locator("[data-results]")).to_be_visible()
    elif path == MODERATE:
        wait_for_engine(page)
        team = [write(files, f"{who}.json", everyone_rated(n, who)) for n, who in enumerate(("Sam", "Jo", "Ali"))]
        page.locator("#moderate-files").set_input_files(team)
        expect(page.locator("table.moderate-colleagues")).to_have_count(len(STATEMENT_IDS))
    elif path == CALCULATOR:
        expect(page.locator("[data-engine-status]")).to_have_text("Calculator ready.", timeout=60_000)
        page.get_by_label("Attendance (%)").fill("87")
        page.get_by_role("button", name="Work it out").click()
        expect(page.locator("[data-results]")).to_be_visible()
    elif path == MEETING:
        expect(page.locator("[data-engine-status]")).to_have_text("Ready: you can download the agenda.", timeout=60_000)
        page.locator("#meeting-date").fill("14/03/2026")
        page.get_by_role("button", name="Print the agenda").click()
        expect(page.locator("[data-agenda]")).to_be_visible()
    else:
        expect(page.locator("h1").first).to_be_visible()


@pytest.fixture
def sized(page: Page) -> Callable[[int], Page]:
    def size(width: int) -> Page:
        page.set_viewport_size(VIEWPORTS[width])
        return page

    return size


# ---- 1. Keyboard: every stop visible, none under the header ----------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", TOOL_PAGES + GUIDE_SAMPLE)
def test_every_tab_and_shift_tab_stop_is_on_screen_and_clear_of_the_header(
    sized: Callable[[int], Page], tmp_path: Path, path: str, width: int
) -> None:
    page = sized(width)
    page.add_init_script(NO_PRINT_DIALOG)
    fill_in(page, path, tmp_path)
    start_from_the_top(page)
    forwards = tab_walk(page)
    assert focus_problems(forwards) == [], f"Tab at {width} px on {path}"
    start_from_the_end(page)
    backwards = tab_walk(page, backwards=True)
    assert focus_problems(backwards) == [], f"Shift+Tab at {width} px on {path}"
    # The same stops both ways; Material's "Back to top" button only shows
    # (and so takes focus) while the page scrolls up, as Shift+Tab makes it.
    there = {stop.what for stop in forwards}
    back = {stop.what for stop in backwards if "md-top" not in stop.what}
    assert back == there, f"Shift+Tab meets the stops Tab meets: only Tab {there - back}, only Shift+Tab {back - there}"



def test_the_menu_opens_reads_and_closes_with_the_keyboard_at_320px(sized: Callable[[int], Page]) -> None:
    page = sized(320)
    page.goto(GUIDE_SAMPLE[0])
    menu = page.get_by_role("button", name="Site menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    drawer = page.locator(".md-sidebar--primary")
    expect(drawer).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(drawer.get_by_role("link", name="Final summary")).to_be_visible()
    # Focus moved into the drawer; every stop in it is on screen.
    stops: list[Stop] = []
    for _ in range(100):
        if not page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')"):
            break
        found = page.evaluate(FOCUS_PROBE)
        stops.append(Stop(found["id"], found["what"], found["problems"]))
        page.keyboard.press("Tab")
    links = drawer.locator("a[href]:visible").count()
    assert len(stops) == links, "every link in the menu is a stop"
    assert links > len(site_pages()) / 2
    assert focus_problems(stops) == [], "the open menu at 320 px"
    # Focus went on past the drawer into the page: the drawer closed behind it.
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.focus()
    page.keyboard.press(" ")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(drawer).to_be_hidden()


# ---- 2. Zoom, reflow and text spacing --------------------------------------------------------


@pytest.mark.parametrize("path", site_pages())
def test_nothing_is_out_of_reach_at_320px_or_with_text_spacing(sized: Callable[[int], Page], path: str) -> None:
    page = sized(320)
    page.goto(path)
    expect(page.locator("h1").first).to_be_visible()
    assert unreachable_content(page) == [], f"320 px, {path}"
    apply_text_spacing(page)
    assert unreachable_content(page) == [], f"320 px with text spacing, {path}"
    page.set_viewport_size(VIEWPORTS[1280])
    assert unreachable_content(page) == [], f"1280 px with text spacing, {path}"


@pytest.mark.parametrize("path", TOOL_PAGES)
def test_no_tool_filled_in_loses_content_or_a_table_column(sized: Callable[[int], Page], tmp_path: Path, path: str) -> None:
    page = sized(320)
    page.add_init_script(NO_PRINT_DIALOG)
    fill_in(page, path, tmp_path)
    for width in WIDTHS:
        page.set_viewport_size(VIEWPORTS[width])
        assert unreachable_content(page) == [], f"{width} px, {path} filled in"
    page.set_viewport_size(VIEWPORTS[320])
    apply_text_spacing(page)
    assert unreachable_content(page) == [], f"320 px with text spacing, {path} filled in"
    # Wide tables scroll inside a region that keyboard users can reach.
    for box in page.locator("[data-table-scroll]").all():
        if box.evaluate("(box) => box.scrollWidth > box.clientWidth + 1"):
            expect(box).to_have_attribute("tabindex", "0")
            expect(box).to_have_attribute("role", "region")


# ---- 3. Forced colours -------------------------------------------------------------------------

BOUNDARIES = """() => {
  const width = (node, side) => parseFloat(getComputedStyle(node)[`border${side}Width`]) || 0;
  const colour = (node, side) => getComputedStyle(node)[`border${side}Color`];
  const bars = [...document.querySelectorAll(".rag-bar")].filter((bar) => bar.children.length);
  return {
    bars: bars.map((bar) => ({
      frame: ["Top", "Right", "Bottom", "Left"].every((side) => width(bar, side) >= 1),
      edges: [...bar.children].slice(1).map((segment) => width(segment, "Left")),
    })),
    options: [...document.querySelectorAll("#safe-ethos-1 .rag-option")].map((option) => ({
      checked: option.querySelector("input").checked,
      colour: colour(option, "Top"),
      width: width(option, "Top"),
    })),
  };
}"""


def test_forced_colours_keep_the_score_bars_edges_and_the_chosen_rating(page: Page) -> None:
    page.emulate_media(forced_colors="active")
    page.goto(AUDIT)
    wait_for_engine(page)
    for statement, rating in zip(STATEMENT_IDS[:4], ("red", "amber", "green", "red"), strict=True):
        rating_radio(page, statement, rating).check()
    first_section = SECTIONS[0]["id"]
    expect(page.locator(f'[data-bar-for="{first_section}"] .rag-bar__segment--green')).to_be_visible()
    found = page.evaluate(BOUNDARIES)
    assert found["bars"], "the overview draws a bar for the rated section"
    assert any(bar["edges"] for bar in found["bars"]), "the rated section's bar has several segments"
    for bar in found["bars"]:
        assert bar["frame"], f"a score bar keeps its frame: {bar}"
        assert all(edge >= 1 for edge in bar["edges"]), f"each segment keeps its edge: {bar}"
    chosen = [option for option in found["options"] if option["checked"]]
    others = [option for option in found["options"] if not option["checked"]]
    assert len(chosen) == 1 and others
    assert all((chosen[0]["colour"], chosen[0]["width"]) != (o["colour"], o["width"]) for o in others), found["options"]
    assert chosen[0]["width"] > max(o["width"] for o in others), "the chosen rating's border is thicker"


# ---- 4. JavaScript off ---------------------------------------------------------------------------


@dataclass
class NoScript:
    context: BrowserContext
    requests: list[str]


@pytest.fixture
def no_script(browser: Browser, site_url: str) -> Iterator[NoScript]:
    """A browser with JavaScript off, recording every request it makes."""
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    found = NoScript(context, [])
    context.on("request", lambda request: found.requests.append(request.url))
    yield found
    context.close()


def reading_text(page: Page) -> str:
    return " ".join(page.locator("article").inner_text().split())


def test_with_javascript_off_every_guide_page_reads_in_full(no_script: NoScript, context: BrowserContext) -> None:
    with_script = context.new_page()
    without = no_script.context.new_page()
    for path in site_pages():
        if path in TOOL_PAGES:
            continue
        with_script.goto(path)
        expect(with_script.locator("h1").first).to_be_visible()
        # The only words scripts add: the headings' "Copy link" buttons; and
        # the trainers' "Show QR code" buttons need them.
        words = re.compile(r"\s?(Copy link|Show QR code)")
        expected = words.sub("", reading_text(with_script))
        without.goto(path)
        assert words.sub("", reading_text(without)) == expected, f"{path} reads differently without JavaScript"


@pytest.mark.parametrize("path", TOOL_PAGES)
def test_with_javascript_off_each_tool_says_it_needs_javascript_and_sends_nothing(no_script: NoScript, path: str) -> None:
    page = no_script.context.new_page()
    page.goto(path)
    message = page.locator(".tool-noscript")
    expect(message).to_be_visible()
    expect(message).to_have_text(NOSCRIPT)
    expect(page.get_by_text("Getting the", exact=False)).to_be_hidden()
    expect(page.locator("article :is(form, button, input, textarea):visible")).to_have_count(0)


@pytest.mark.parametrize("path", [AUDIT, SELF_REVIEW, CALCULATOR, MEETING])
def test_with_javascript_and_css_off_no_tool_form_can_send_anything(no_script: NoScript, path: str) -> None:
    """Even with the stylesheet that hides them blocked, the tools' forms
    cannot send what is typed: buttons and Enter in a field go nowhere."""
    page = no_script.context.new_page()
    page.route("**/noscript.css", lambda route: route.fulfill(status=200, content_type="text/css", body=""))
    page.goto(path)
    expect(page.locator("article form").first).to_be_visible()
    start = page.url
    sent_before = len(no_script.requests)
    for field in page.locator("article form input[type=text]:visible").all()[:3]:
        field.fill("87")
        field.press("Enter")
    for button in page.locator("article form button:visible").all():
        button.click()
    page.wait_for_timeout(300)
    assert page.url == start, f"a form on {path} went to {page.url}"
    sent = no_script.requests[sent_before:]
    assert [url for url in sent if "?" in url or "87" in url] == [], sent


# ---- 5. CSS off ------------------------------------------------------------------------------

READING_ORDER = """() => {
  for (const sheet of document.styleSheets) sheet.disabled = true;
  document.adoptedStyleSheets = [];
  const main = document.querySelector("main article");
  const order = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_ELEMENT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (!node.checkVisibility()) continue;
    if (/^H[1-6]$/.test(node.tagName)) order.push(["heading", node.textContent.replace(/#$/, "").trim()]);
    else if (node.matches("fieldset.statement")) order.push(["statement", node.id]);
    else if (node.matches("input[type=radio]")) order.push(["radio", node.id]);
    else if (node.matches("label")) order.push(["label", node.htmlFor]);
    else if (node.matches("textarea, input[type=text], input[type=date]")) order.push(["field", node.id]);
  }
  return order;
}"""


def test_with_css_off_the_self_audit_reads_in_a_sensible_order(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    order = page.evaluate(READING_ORDER)
    kinds = [kind for kind, _ in order]
    assert kinds[0] == "heading", f"the page starts with its heading: {order[:3]}"
    # The overview comes before the form, the plan after it.
    position = {tuple(entry): index for index, entry in reversed(list(enumerate(order)))}
    first_statement = kinds.index("statement")
    last_statement = len(kinds) - 1 - kinds[::-1].index("statement")
    assert position[("heading", "Overview")] < first_statement
    assert position[("heading", "Your action plan")] > last_statement
    headings = [text for kind, text in order if kind == "heading"]
    # Statements in the framework's order, each section heading before them.
    statements = [value for kind, value in order if kind == "statement"]
    assert statements == STATEMENT_IDS
    for section in SECTIONS:
        first = f"{section['number']}. {section['title']}"
        assert any(text.startswith(first) for text in headings), first
    # Each radio is followed by its own label; each field's label comes first.
    for index, (kind, value) in enumerate(order):
        if kind == "radio":
            assert order[index + 1] == ["label", value], f"the label of {value} follows it: {order[index:index + 2]}"
        if kind == "field":
            labels = [v for k, v in order[max(0, index - 4):index] if k == "label"]
            assert value in labels, f"the label of {value} comes just before it: {order[max(0, index - 4):index + 1]}"
