"""The missed-learning calculator and the partnership meeting page, in real Chromium.

Nothing is mocked: the built site is served with its own headers (CSP
included) and each page boots the real Python engine (Pyodide) in its worker.
What the pages show and download is checked against the same engine
(``audit_app.bridge``) run here in CPython on the same input, never against
numbers copied into a test. The ``watch`` fixture fails a test on any
off-origin request, console error, CSP violation or uncaught exception.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from audit_app import bridge
from support import axe_violations
from a11y_support import ibm_violations
from audit_support import (
    ENGINE_READY_TIMEOUT_MS,
    FORMULA,
    HTML_INJECTION,
    PYODIDE_PATH,
    REPORT_CSP_VIOLATIONS,
    active_element,
    download_bytes,
    download_from,
    extra_server,
    focus_is_drawn,
    Gate,
    same_origin,
    tab_until,
    today,
    without_wasm,
)

pytestmark = pytest.mark.browser

CALCULATOR = "/tools/missed-learning/"
MEETING = "/tools/partnership-meeting/"
CALCULATOR_KEY = "belonging-audit/missed-learning"
MEETING_KEY = "belonging-audit/partnership-meeting"
SAVED_AT = re.compile(r"Saved on this device at \d\d:\d\d\.")
QUESTIONS = json.loads(bridge.partnership_questions_json())
QUESTION_IDS = [q["id"] for group in QUESTIONS["groups"] for q in group["questions"]]
QUESTION_TEXT = {q["id"]: q["text"] for group in QUESTIONS["groups"] for q in group["questions"]}
ASSUMPTION_FIELDS = {
    "school_days_per_year": "#missed-school-days-per-year",
    "sessions_per_day": "#missed-sessions-per-day",
    "lessons_per_day": "#missed-lessons-per-day",
    "days_so_far": "#missed-days-so-far",
    "key_stage_years": "#missed-key-stage-years",
}
DEFAULT_ASSUMPTIONS = {
    "school_days_per_year": "190",
    "sessions_per_day": "2",
    "lessons_per_day": "5",
    "days_so_far": "",
    "key_stage_years": "2",
}
# window.print() is replaced by a counter: headless Chromium has no dialog,
# and the test wants to know the page asked to print.
COUNT_PRINTS = "window.print = () => { window.__prints = (window.__prints || 0) + 1; };"


# ---- Shared helpers -------------------------------------------------------------------


def switch_to_dark(page: Page) -> None:
    """Prefer dark, choose the dark palette in the header as a reader would
    (Material remembers the light one from the first visit), then reload."""
    page.emulate_media(color_scheme="dark")
    body = page.locator("body")
    if body.get_attribute("data-md-color-scheme") != "slate":
        page.locator("label[for='__palette_1']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def stored(page: Page, key: str) -> Any:
    raw = page.evaluate("(key) => localStorage.getItem(key)", key)
    return None if raw is None else json.loads(raw)


# ---- The calculator's view of the engine -------------------------------------------------


def show(value: int | float) -> str:
    """A number as the page (and the engine's sentences) write it: 190, 24.7, 1,234."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6f}".rstrip("0").rstrip(".")


def calculation(**given: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The input the page sends for these fields (assumptions as shown), and the engine's answer."""
    values = {**DEFAULT_ASSUMPTIONS, **given}
    return values, json.loads(bridge.missed_learning(json.dumps(values)))


def expected_rows(result: dict[str, Any]) -> list[list[str]]:
    def row(heading: str, figures: dict[str, Any], weeks: bool = True) -> list[str]:
        return [
            heading,
            show(figures["days_missed"]),
            show(figures["weeks_missed"]) if weeks else "Not applicable",
            show(figures["sessions_missed"]),
            f"about {show(figures['lessons_missed'])}",
        ]

    so_far = result["so_far"]
    rows = [
        row(f"So far this year ({show(so_far['days_possible'])} school days)", so_far)
        if so_far
        else ["So far this year", "Give the school days so far this year to see this."],
        row("An average school week", result["per_week"], weeks=False),
        row(f"A full school year ({show(result['full_year']['days_possible'])} school days)", result["full_year"]),
    ]
    stage = result["key_stage"]
    rows.append(row(f"A {show(stage['years'])}-year key stage ({show(stage['days_possible'])} school days)", stage))
    return rows


def expect_results_match_engine(page: Page, result: dict[str, Any]) -> None:
    assert result["ok"], result
    results = page.locator("[data-results]")
    expect(results).to_be_visible()
    expect(results.locator("[data-summary] li")).to_have_text(result["summary"])
    expect(results.locator("[data-notes] li")).to_have_text(result["notes"])
    table = results.locator("[data-table-body] tr")
    expect(table).to_have_count(4)
    cells = table.evaluate_all("(rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent))")
    assert cells == expected_rows(result)
    for flag in result["flags"]:
        verdict = "applies" if flag["applies"] else "does not apply"
        expect(results.locator(f'[data-flag="{flag["id"]}"]')).to_have_text(
            f"{flag['label']}: {verdict} at {show(result['absence_percent'])}% absence. "
            f"{flag['label']} means {flag['description']}."
        )
    # Days missed never exceed the days possible, whatever was typed.
    for period in ("so_far", "full_year", "key_stage"):
        if result[period]:
            assert result[period]["days_missed"] <= result[period]["days_possible"]


def wait_for_calculator(page: Page) -> None:
    expect(page.locator("[data-engine-status]")).to_have_text("Calculator ready.", timeout=ENGINE_READY_TIMEOUT_MS)


# ---- The partnership meeting's view of the engine ----------------------------------------


def agenda_for(preparation: dict[str, Any]) -> dict[str, Any]:
    result = json.loads(bridge.agenda(json.dumps(preparation)))
    assert result["ok"], result
    return result


def wait_for_agenda_engine(page: Page) -> None:
    expect(page.locator("[data-engine-status]")).to_have_text(
        "Ready: you can download the agenda.", timeout=ENGINE_READY_TIMEOUT_MS
    )


MEETING_FORM_VALUES = """() => {
  const values = {};
  for (const field of document.getElementById("meeting-form").elements) {
    if (!field.name) continue;
    values[field.name] = field.type === "checkbox" ? field.checked : field.value;
  }
  return values;
}"""


def expected_meeting_form(preparation: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {"meeting_date": preparation.get("meeting_date", "")}
    for qid in QUESTION_IDS:
        answer = preparation["questions"].get(qid, {})
        values[f"questions.{qid}.checked"] = answer.get("checked", False)
        values[f"questions.{qid}.notes"] = answer.get("notes", "")
    values["other_notes"] = preparation.get("other_notes", "")
    return values


def agenda_items(preparation: dict[str, Any]) -> list[str]:
    """The printed agenda's items, in the engine's rule: ticked, or with notes."""
    items = []
    for qid in QUESTION_IDS:
        answer = preparation["questions"].get(qid, {})
        if answer.get("checked") or answer.get("notes", "").strip():
            notes = answer.get("notes", "")
            items.append(QUESTION_TEXT[qid] + (f"Notes: {notes}" if notes.strip() else ""))
    return items


# ---- 1. The calculator ---------------------------------------------------------------------


def test_a_teacher_works_out_missed_learning_and_finds_it_again_after_a_reload(
    context: BrowserContext, page: Page
) -> None:
    # The Python runtime is held back until the first figures are in.
    gate = Gate(context, f"**{PYODIDE_PATH}**")
    page.goto(CALCULATOR)
    status = page.locator("[data-engine-status]")
    expect(status).to_have_text("Getting the calculator ready. You can fill in the figures now.")
    # Nothing about a pupil is asked for.
    labels = page.locator("#missed-form label").all_inner_texts()
    assert not [text for text in labels if re.search(r"name|identif|date of birth|UPN", text, re.I)], labels
    for key, selector in ASSUMPTION_FIELDS.items():
        expect(page.locator(selector)).to_have_value(DEFAULT_ASSUMPTIONS[key])

    # 87% with the usual assumptions, asked for before Python has arrived.
    page.get_by_label("Attendance (%)").fill("87")
    page.get_by_role("button", name="Work it out").click()
    expect(status).to_contain_text("Your figures will be worked out as soon as it is.")
    assert gate.held, "the Python runtime was not requested at all"
    gate.open()
    heading = page.locator("#missed-results-heading")
    expect(heading).to_be_focused(timeout=ENGINE_READY_TIMEOUT_MS)
    expect(status).to_have_text("Calculator ready.")
    sent, result = calculation(percent="87")
    expect_results_match_engine(page, result)
    assert result["persistent_absence"] and not result["severe_absence"]
    assert stored(page, CALCULATOR_KEY)["calculated"] is True

    # Sessions attended out of sessions possible, with the days so far; Enter works it out.
    page.get_by_label("Sessions attended out of sessions possible").check()
    expect(page.get_by_label("Attendance (%)")).to_be_hidden()
    page.get_by_label("Sessions attended", exact=True).fill("150")
    page.get_by_label("Sessions possible", exact=True).fill("180")
    page.locator(ASSUMPTION_FIELDS["days_so_far"]).fill("95")
    expect(page.locator("[data-results-stale]")).to_be_visible()
    page.get_by_label("Sessions possible", exact=True).press("Enter")
    expect(heading).to_be_focused()
    expect(page.locator("[data-results-stale]")).to_be_hidden()
    _, result = calculation(attended="150", possible="180", days_so_far="95")
    expect_results_match_engine(page, result)
    assert result["so_far"] is not None

    # A different school year: 6 lessons a day, a 3-year key stage.
    page.locator(ASSUMPTION_FIELDS["lessons_per_day"]).fill("6")
    page.locator(ASSUMPTION_FIELDS["key_stage_years"]).fill("3")
    page.get_by_role("button", name="Work it out").click()
    _, result = calculation(attended="150", possible="180", days_so_far="95", lessons_per_day="6", key_stage_years="3")
    expect_results_match_engine(page, result)

    # Bad input: a clear problem, linked to its field, and no exception (the watch fixture).
    page.get_by_label("Attendance as a percentage").check()
    page.get_by_label("Attendance (%)").fill("120%")
    page.get_by_role("button", name="Work it out").click()
    summary = page.locator("[data-error-summary]")
    _, bad = calculation(percent="120%", days_so_far="95", lessons_per_day="6", key_stage_years="3")
    assert not bad["ok"]
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.locator("[data-error-list] a")
    expect(links).to_have_text(bad["problems"])
    expect(links.first).to_have_attribute("href", "#missed-percent")
    expect(page.locator("[data-results]")).to_be_hidden()
    percent = page.get_by_label("Attendance (%)")
    expect(percent).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#missed-percent-error")).to_have_text(f"Error: {bad['problems'][0]}")
    links.first.click()
    expect(percent).to_be_focused()

    # Two problems at once, each pointing at its own field.
    page.locator(ASSUMPTION_FIELDS["school_days_per_year"]).fill("90")
    page.get_by_role("button", name="Work it out").click()
    _, bad = calculation(percent="120%", days_so_far="95", lessons_per_day="6", key_stage_years="3", school_days_per_year="90")
    # The engine checks the assumptions first; the summary follows the form's order.
    assert len(bad["problems"]) == 2, bad
    percent_problem, days_problem = (
        next(p for p in bad["problems"] if p.startswith(label))
        for label in ("Attendance (%)", "School days so far this year")
    )
    expect(links).to_have_text([percent_problem, days_problem])
    hrefs = links.evaluate_all("(links) => links.map((link) => link.getAttribute('href'))")
    assert hrefs == ["#missed-percent", "#missed-days-so-far"]
    expect(page.locator("#missed-days-so-far-error")).to_have_text(f"Error: {days_problem}")
    expect(summary).to_be_focused()

    # Put right, worked out, then come back later: the figures and results are still here.
    page.locator(ASSUMPTION_FIELDS["school_days_per_year"]).fill("190")
    percent.fill("92.5")
    page.get_by_role("button", name="Work it out").click()
    expect(summary).to_be_hidden()
    expect(percent).not_to_have_attribute("aria-invalid", "true")
    sent, result = calculation(percent="92.5", days_so_far="95", lessons_per_day="6", key_stage_years="3")
    expect_results_match_engine(page, result)
    record = stored(page, CALCULATOR_KEY)
    assert set(record) == {"fields", "calculated", "savedAt", "tabId"}
    assert set(record["fields"]) == {"mode", "percent", "attended", "possible", *DEFAULT_ASSUMPTIONS}

    page.reload()
    wait_for_calculator(page)
    expect(page.get_by_label("Attendance as a percentage")).to_be_checked()
    expect(percent).to_have_value("92.5")
    for key, selector in ASSUMPTION_FIELDS.items():
        expect(page.locator(selector)).to_have_value(sent[key])
    expect_results_match_engine(page, result)
    expect(heading).not_to_be_focused()  # shown again quietly, not announced

    # Clear: the usual assumptions back, nothing kept.
    page.get_by_role("button", name="Clear the figures").click()
    expect(percent).to_have_value("")
    for key, selector in ASSUMPTION_FIELDS.items():
        expect(page.locator(selector)).to_have_value(DEFAULT_ASSUMPTIONS[key])
    expect(page.locator("[data-results]")).to_be_hidden()
    assert stored(page, CALCULATOR_KEY) is None
    page.reload()
    expect(percent).to_have_value("")
    expect(page.locator("[data-results]")).to_be_hidden()


# ---- 2. The partnership meeting ---------------------------------------------------------------


def test_a_designated_teacher_prepares_a_partnership_meeting_and_takes_the_agenda(page: Page) -> None:
    page.add_init_script(COUNT_PRINTS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(MEETING)

    # The questions are the engine's, in its groups and order.
    headings = page.locator(".meeting-group h3").all_inner_texts()
    assert headings == [group["title"] for group in QUESTIONS["groups"]]
    ids = page.locator("fieldset[data-question]").evaluate_all("(sets) => sets.map((s) => s.dataset.question)")
    assert ids == QUESTION_IDS
    for qid in QUESTION_IDS:
        expect(page.locator(f"#meeting-q-{qid} legend")).to_contain_text(QUESTION_TEXT[qid])
    expect(page.locator("#meeting-preparation ~ p").filter(has_text="Do not write a pupil's name")).to_have_count(1)

    # Tick and write; markup and formulas must stay text.
    preparation: dict[str, Any] = {"meeting_date": "", "questions": {}, "other_notes": ""}
    ticks = {"overview-1": "Attendance 87%: about 124 lessons a year", "overview-4": "",
             "support-network-3": HTML_INJECTION, "school-based-8": ""}
    for qid, notes in ticks.items():
        page.locator(f"#meeting-{qid}-checked").check()
        if notes:
            page.locator(f"#meeting-{qid}-notes").fill(notes)
        preparation["questions"][qid] = {"checked": True, "notes": notes}
    # Notes without a tick still reach the agenda.
    page.locator("#meeting-school-based-2-notes").fill(FORMULA)
    preparation["questions"]["school-based-2"] = {"checked": False, "notes": FORMULA}
    page.get_by_label("Meeting date").fill("Tuesday 3 March, 4pm")
    page.get_by_label("Other notes").fill("Line one\nLine two <b>bold?</b>")
    preparation.update(meeting_date="Tuesday 3 March, 4pm", other_notes="Line one\nLine two <b>bold?</b>")
    expect(page.locator("[data-save-status]")).to_have_text(SAVED_AT)
    record = stored(page, MEETING_KEY)
    assert record["preparation"] == preparation
    assert set(record) == {"preparation", "savedAt", "tabId"}

    # Come back later: all still here.
    page.reload()
    deadline = time.monotonic() + 5
    while page.evaluate(MEETING_FORM_VALUES) != expected_meeting_form(preparation) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate(MEETING_FORM_VALUES) == expected_meeting_form(preparation)
    expect(page.locator("[data-save-status]")).to_have_text(SAVED_AT)

    # The Markdown agenda is exactly the engine's.
    wait_for_agenda_engine(page)
    expected = agenda_for(preparation)
    assert expected["items"] == 5
    agenda = download_from(page, page.get_by_role("button", name="Download agenda (Markdown)"))
    assert agenda.suggested_filename == f"partnership-meeting-agenda-{today()}.md"
    assert download_bytes(agenda).decode("utf-8") == expected["markdown"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in expected["markdown"]

    # Print: the agenda is shown, the same items, as text.
    page.get_by_role("button", name="Print the agenda").click()
    assert page.evaluate("window.__prints") == 1
    printed = page.locator("[data-agenda]")
    expect(printed).to_be_visible()
    expect(printed.locator("li")).to_have_count(expected["items"])
    expect(printed.locator("li")).to_have_text(agenda_items(preparation))
    expect(printed.locator("h3")).to_have_text(
        [group["title"] for group in QUESTIONS["groups"]] + ["Other notes", "Actions agreed"]
    )
    numbers = printed.locator("ol").evaluate_all("(lists) => lists.map((list) => list.start)")
    assert numbers == [1, 3, 4]
    expect(printed).to_contain_text("Meeting date: Tuesday 3 March, 4pm")
    expect(printed).to_contain_text(HTML_INJECTION)
    expect(printed).to_contain_text(FORMULA)
    assert page.locator("img[src=x]").count() == 0 and page.locator("[data-agenda] b").count() == 0
    assert dialogs == []

    page.emulate_media(media="print")
    expect(printed).to_be_visible()
    expect(page.locator("#meeting-form")).to_be_hidden()
    expect(page.locator(".meeting-tools")).to_be_hidden()
    expect(page.locator("h1#meeting-preparation")).to_be_hidden()
    expect(printed.locator("li").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("#meeting-form")).to_be_visible()

    # A change after printing updates the agenda on screen.
    page.locator("#meeting-overview-4-checked").uncheck()
    del preparation["questions"]["overview-4"]
    expect(printed.locator("li")).to_have_text(agenda_items(preparation))
    assert stored(page, MEETING_KEY)["preparation"] == preparation
    assert dialogs == []


def test_clearing_the_meeting_preparation_asks_first(page: Page) -> None:
    page.goto(MEETING)
    page.locator("#meeting-overview-2-checked").check()
    page.locator("#meeting-overview-2-notes").fill("Mondays are hardest")
    expect(page.locator("[data-save-status]")).to_have_text(SAVED_AT)
    before = stored(page, MEETING_KEY)["preparation"]
    clear = page.get_by_role("button", name="Clear the meeting preparation from this device")

    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    clear.click()
    assert len(questions) == 1 and "cannot be undone" in questions[0]
    expect(page.locator("#meeting-overview-2-notes")).to_have_value("Mondays are hardest")
    assert stored(page, MEETING_KEY)["preparation"] == before

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    clear.click()
    assert len(questions) == 2
    expect(page.locator("[data-save-status]")).to_have_text("The meeting preparation has been cleared from this device.")
    expect(page.locator("#meeting-overview-2-checked")).not_to_be_checked()
    expect(page.locator("#meeting-overview-2-notes")).to_have_value("")
    assert stored(page, MEETING_KEY) is None
    page.reload()
    assert page.evaluate(MEETING_FORM_VALUES) == expected_meeting_form({"questions": {}})


# ---- 3. Accessibility -------------------------------------------------------------------------------


def test_the_calculator_is_accessible_empty_with_results_with_problems_and_in_dark_mode(page: Page) -> None:
    page.goto(CALCULATOR)
    wait_for_calculator(page)
    assert axe_violations(page) == [], "axe, light palette, empty"
    assert ibm_violations(page, CALCULATOR) == [], "IBM Equal Access, empty"

    page.get_by_label("Sessions attended out of sessions possible").check()
    page.get_by_label("Sessions attended", exact=True).fill("100")
    page.get_by_label("Sessions possible", exact=True).fill("180")
    page.locator(ASSUMPTION_FIELDS["days_so_far"]).fill("95")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator("#missed-results-heading")).to_be_focused()
    expect(page.locator('[data-flag="severe-absence"]')).to_contain_text("does not apply")
    assert axe_violations(page) == [], "axe, light palette, results"
    assert ibm_violations(page, CALCULATOR) == [], "IBM Equal Access, results"

    page.get_by_label("Sessions possible", exact=True).fill("")
    page.get_by_label("Sessions attended", exact=True).fill("1.5")
    page.locator(ASSUMPTION_FIELDS["key_stage_years"]).fill("0")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert axe_violations(page) == [], "axe, light palette, problems shown"
    assert ibm_violations(page, CALCULATOR) == [], "IBM Equal Access, problems shown"

    page.get_by_label("Sessions possible", exact=True).fill("180")
    page.get_by_label("Sessions attended", exact=True).fill("60")
    page.locator(ASSUMPTION_FIELDS["key_stage_years"]).fill("2")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator('[data-flag="severe-absence"]')).to_contain_text("applies at")
    switch_to_dark(page)
    wait_for_calculator(page)
    expect(page.locator("[data-results]")).to_be_visible()
    page.locator(ASSUMPTION_FIELDS["days_so_far"]).fill("20")
    expect(page.locator("[data-results-stale]")).to_be_visible()
    assert axe_violations(page) == [], "axe, dark palette, results (changed since)"

    page.get_by_label("Sessions possible", exact=True).fill("x")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert axe_violations(page) == [], "axe, dark palette, problems shown"


def test_the_partnership_page_is_accessible_empty_filled_and_in_dark_mode(page: Page) -> None:
    page.add_init_script(COUNT_PRINTS)
    page.goto(MEETING)
    wait_for_agenda_engine(page)
    assert axe_violations(page) == [], "axe, light palette, empty"
    assert ibm_violations(page, MEETING) == [], "IBM Equal Access, empty"

    for qid in QUESTION_IDS[::3]:
        page.locator(f"#meeting-{qid}-checked").check()
        page.locator(f"#meeting-{qid}-notes").fill(f"Notes for {qid}")
    page.get_by_label("Meeting date").fill("14/03/2026")
    page.get_by_role("button", name="Print the agenda").click()
    expect(page.locator("[data-agenda]")).to_be_visible()
    assert axe_violations(page) == [], "axe, light palette, filled with the agenda shown"
    assert ibm_violations(page, MEETING) == [], "IBM Equal Access, filled with the agenda shown"

    switch_to_dark(page)
    wait_for_agenda_engine(page)
    page.get_by_role("button", name="Print the agenda").click()
    expect(page.locator("[data-agenda]")).to_be_visible()
    assert axe_violations(page) == [], "axe, dark palette, filled with the agenda shown"


# ---- 4. Keyboard only --------------------------------------------------------------------------------


def test_the_calculator_can_be_used_with_the_keyboard_only(page: Page) -> None:
    page.goto(CALCULATOR)
    wait_for_calculator(page)

    info = tab_until(page, lambda i: i["id"] == "missed-mode-percent")
    assert focus_is_drawn(info), f"no focus indicator on the first choice: {info}"
    page.keyboard.press("ArrowDown")  # radios: the arrow chooses
    info = active_element(page)
    assert info["id"] == "missed-mode-sessions" and info["checked"], info
    info = tab_until(page, lambda i: i["id"] == "missed-attended", limit=1)
    assert focus_is_drawn(info), f"no focus indicator on a number field: {info}"
    page.keyboard.type("150")
    tab_until(page, lambda i: i["id"] == "missed-possible", limit=1)
    page.keyboard.type("180")
    tab_until(page, lambda i: i["id"] == "missed-lessons-per-day", limit=3)
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    info = tab_until(page, lambda i: i["tag"] == "button" and i["action"] == "calculate", limit=4)
    assert focus_is_drawn(info), f"no focus indicator on the button: {info}"
    page.keyboard.press("Enter")
    expect(page.locator("#missed-results-heading")).to_be_focused()
    _, result = calculation(attended="150", possible="180", lessons_per_day="6")
    expect_results_match_engine(page, result)

    # Back to the choice, a percentage this time, worked out with Enter in the field.
    tab_until(page, lambda i: i["id"] == "missed-mode-sessions", backwards=True)
    page.keyboard.press("ArrowUp")
    expect(page.locator("#missed-mode-percent")).to_be_checked()
    tab_until(page, lambda i: i["id"] == "missed-percent", limit=1)
    page.keyboard.type("45")
    page.keyboard.press("Enter")
    expect(page.locator("#missed-results-heading")).to_be_focused()
    _, result = calculation(percent="45", lessons_per_day="6")
    expect_results_match_engine(page, result)
    assert result["severe_absence"]


def test_the_partnership_checklist_can_be_completed_with_the_keyboard_only(page: Page) -> None:
    page.goto(MEETING)
    wait_for_agenda_engine(page)
    info = tab_until(page, lambda i: i["id"] == "meeting-date")
    assert focus_is_drawn(info), f"no focus indicator on the meeting date: {info}"
    page.keyboard.type("Next Tuesday")
    preparation: dict[str, Any] = {"meeting_date": "Next Tuesday", "questions": {}, "other_notes": ""}
    for qid, notes in (("overview-2", "Fridays"), ("support-network-1", ""), ("school-based-5", "Daily check-in")):
        info = tab_until(page, lambda i, qid=qid: i["id"] == f"meeting-{qid}-checked")
        assert focus_is_drawn(info), f"no focus indicator on a tick box: {info}"
        page.keyboard.press("Space")
        expect(page.locator(f"#meeting-{qid}-checked")).to_be_checked()
        info = tab_until(page, lambda i, qid=qid: i["id"] == f"meeting-{qid}-notes", limit=1)
        assert focus_is_drawn(info), f"no focus indicator on the notes: {info}"
        page.keyboard.type(notes)
        preparation["questions"][qid] = {"checked": True, "notes": notes}
    tab_until(page, lambda i: i["id"] == "meeting-other-notes")
    page.keyboard.type("Bring the attendance figures")
    preparation["other_notes"] = "Bring the attendance figures"
    assert stored(page, MEETING_KEY)["preparation"] == preparation

    info = tab_until(page, lambda i: i["action"] == "download-agenda")
    assert focus_is_drawn(info), f"no focus indicator on the download button: {info}"
    agenda = download_from(page, key="Enter")
    assert agenda.suggested_filename == f"partnership-meeting-agenda-{today()}.md"
    assert download_bytes(agenda).decode("utf-8") == agenda_for(preparation)["markdown"]
    button = page.get_by_role("button", name="Download agenda (Markdown)")
    expect(button).to_be_focused()
    expect(button).to_have_text("Download agenda (Markdown)")


# ---- 5. Python blocked ------------------------------------------------------------------------------


def test_when_python_cannot_start_the_pages_say_so_and_notes_are_still_kept(
    browser: Browser, built_site: Path
) -> None:
    with extra_server(Path(built_site), without_wasm) as url:
        context = browser.new_context(base_url=url, accept_downloads=True)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.add_init_script(COUNT_PRINTS)
        requests: list[str] = []
        errors: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        try:
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(f"exception: {error}"))

            page.goto(MEETING)
            status = page.locator("[data-engine-status]")
            expect(status).to_contain_text("Downloads of the agenda are not available", timeout=15_000)
            expect(status).to_contain_text("This browser does not allow WebAssembly here")
            expect(status).to_contain_text("You can still prepare your notes and print the agenda")
            expect(page.get_by_role("button", name="Download agenda (Markdown)")).to_be_disabled()
            page.locator("#meeting-overview-3-checked").check()
            page.locator("#meeting-overview-3-notes").fill("Engagement in lessons")
            expect(page.locator("[data-save-status]")).to_have_text(SAVED_AT)
            page.reload()
            expect(page.locator("#meeting-overview-3-checked")).to_be_checked()
            expect(page.locator("#meeting-overview-3-notes")).to_have_value("Engagement in lessons")
            page.get_by_role("button", name="Print the agenda").click()
            expect(page.locator("[data-agenda] li")).to_have_text(
                [QUESTION_TEXT["overview-3"] + "Notes: Engagement in lessons"]
            )

            page.goto(CALCULATOR)
            status = page.locator("[data-engine-status]")
            expect(status).to_contain_text("The calculator is not available in this browser", timeout=15_000)
            page.get_by_label("Attendance (%)").fill("87")
            page.get_by_role("button", name="Work it out").click()
            summary = page.locator("[data-error-summary]")
            expect(summary).to_be_focused()
            expect(summary).to_contain_text("The calculator could not work this out")
        finally:
            context.close()
    assert [u for u in requests if not same_origin(u, url)] == []
    unexpected = [e for e in errors if not re.search(r"WebAssembly|wasm-unsafe-eval", e)]
    assert unexpected == [], f"console errors other than the blocked WebAssembly: {unexpected}"


# ---- 6. A second tab ------------------------------------------------------------------------------


def test_a_second_tab_does_not_silently_overwrite_the_meeting_preparation(context: BrowserContext, page: Page) -> None:
    tab_a = page
    tab_a.goto(MEETING)
    tab_a.locator("#meeting-overview-1-checked").check()
    expect(tab_a.locator("[data-save-status]")).to_have_text(SAVED_AT)

    tab_b = context.new_page()
    tab_b.goto(MEETING)
    expect(tab_b.locator("#meeting-overview-1-checked")).to_be_checked()
    tab_b.locator("#meeting-overview-2-notes").fill("Written in tab B")
    from_b = stored(tab_b, MEETING_KEY)["preparation"]
    assert from_b["questions"]["overview-2"] == {"checked": False, "notes": "Written in tab B"}

    warning = tab_a.locator("[data-tab-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("this tab has stopped saving")
    tab_a.bring_to_front()
    tab_a.locator("#meeting-overview-3-checked").check()
    assert stored(tab_a, MEETING_KEY)["preparation"] == from_b

    # Loading tab B's notes would replace what was ticked in tab A: it says so first.
    tab_a.once("dialog", lambda dialog: dialog.accept())
    tab_a.get_by_role("button", name="Load the other tab's notes").click()
    expect(warning).to_be_hidden()
    expect(tab_a.locator("#meeting-overview-2-notes")).to_have_value("Written in tab B")
    expect(tab_a.locator("#meeting-overview-3-checked")).not_to_be_checked()
    tab_a.locator("#meeting-overview-4-checked").check()
    assert stored(tab_a, MEETING_KEY)["preparation"]["questions"]["overview-4"] == {"checked": True, "notes": ""}
