"""The team tools, as a school leader and a team lead use them, in real Chromium.

* Compare two audits (/audit/compare/): a baseline and a review, each picked
  from the audits on this device or chosen as a saved file.
* Agree a team's audit (/audit/moderate/): several colleagues' saved files side
  by side, the lead's agreed ratings and next steps, a new saved audit that
  joins the audits on this device.

Nothing is mocked: the built site is served with its own headers (CSP
included) and the pages boot the real Python engine in their worker. What
they show and download is checked against the same engine (``audit_app.bridge``)
run here in CPython on the same files. The ``watch`` fixture (through ``page``)
fails a test on any off-origin request, console error, CSP violation or
uncaught exception; the module's Chromium network log is checked too.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from support import axe_violations
from a11y_support import VIEWPORTS, apply_text_spacing, ibm_violations, unreachable_content
from audit_support import (
    FRAMEWORK_ID,
    STORAGE_FULL_FOR_AUDIT,
    active_element,
    download_bytes,
    download_from,
    focus_is_drawn,
    stored_index,
    stored_record,
    tab_until,
    today,
    wait_for_engine,
    workbook_values,
)
from team_support import (
    COMPARE_KEY,
    MODERATE_KEY,
    STATEMENT_IDS,
    agreed_name,
    change_text,
    choice_text,
    compared,
    isolate,
    keep_on_device,
    long_date,
    movement_text,
    on_device,
    saved_audit,
    score_rows,
    score_text,
    spread_text,
    write,
)
from audit_app import bridge

pytestmark = pytest.mark.browser

AUDIT = "/audit/"
SELF_REVIEW = "/oaip/self-review/"
COMPARE = "/audit/compare/"
MODERATE = "/audit/moderate/"
OAIP = "oaip-attendance-and-belonging"
HTML_INJECTION = "<img src=x onerror=alert(1)>"
NOT_AN_AUDIT = "These are my notes, not a saved audit.\n"

# IndexedDB refused (as some privacy settings do), the rest of storage working.
INDEXEDDB_REFUSED = """
Object.defineProperty(window, "indexedDB", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""

# Every cell of every row of a table, as text (textContent: the CSS arrows are not words).
ROWS = """(selector) => [...document.querySelectorAll(selector)]
  .map((row) => [...row.cells].map((cell) => cell.textContent.trim()))"""


# ---- Saved files ----------------------------------------------------------------------------

S = STATEMENT_IDS
# The movements a leader looks for, one statement each; the rest follow a pattern.
CHOSEN_MOVES = {
    S[0]: ("red", "amber"),  # Improved (Red to Amber)
    S[1]: ("amber", "green"),  # Improved (Amber to Green)
    S[2]: ("green", "amber"),  # Worse
    S[3]: ("amber", "amber"),  # Unchanged
    S[4]: (None, "green"),  # Newly rated
    S[5]: ("red", None),  # No longer rated
    S[6]: (None, None),  # Not rated
}


def baseline_and_review() -> tuple[dict, dict]:
    cycle = ("red", "amber", "green")
    before = {sid: cycle[i % 3] if i < 24 else None for i, sid in enumerate(S)}
    after = {sid: cycle[(i + 1) % 3] if i % 5 else cycle[i % 3] for i, sid in enumerate(S)}
    for sid, (b, r) in CHOSEN_MOVES.items():
        before[sid], after[sid] = b, r
    baseline = saved_audit(before, details={"school": HTML_INJECTION, "date": "March 2026", "completed_by": "Jo Bloggs"})
    review = saved_audit(after, details={"school": HTML_INJECTION, "date": "July 2026", "completed_by": "Jo Bloggs"})
    return baseline, review


def statement_rows(comparison: dict) -> list[list[str]]:
    return [
        [st["ref"], st["text"], st["baseline_rating_label"], st["review_rating_label"], movement_text(st)]
        for st in comparison["statements"]
    ]


def expect_comparison(page: Page, comparison: dict) -> None:
    """The page shows exactly the engine's comparison: every score row, every statement."""
    results = page.locator("[data-results]")
    expect(results).to_be_visible()
    wanted = (statement_rows(comparison), score_rows(comparison))
    assert eventually(page, lambda: (
        page.evaluate(ROWS, ".compare-statements tbody tr.compare-statement"),
        page.evaluate(ROWS, ".compare-scores tbody tr"),
    ), wanted) == wanted
    overall = comparison["overall"]
    expect(page.locator("[data-overall]")).to_contain_text(
        f"{score_text(overall['baseline'])} in the baseline, {score_text(overall['review'])} in the review"
    )


def eventually(page: Page, read, wanted, timeout_s: float = 10):
    """What ``read()`` gives once it equals ``wanted`` (or at the time limit): the page
    updates after the engine answers, so a test reads again until it has."""
    deadline = time.monotonic() + timeout_s
    while (value := read()) != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return value


def storage(page: Page, key: str) -> dict | None:
    raw = page.evaluate("(key) => localStorage.getItem(key)", key)
    return None if raw is None else json.loads(raw)


# ---- Compare two audits ------------------------------------------------------------------------


def test_a_leader_compares_march_with_july_downloads_it_and_finds_it_after_a_reload(page: Page, tmp_path: Path) -> None:
    baseline, review = baseline_and_review()
    march = write(tmp_path, "march.json", baseline)
    july = write(tmp_path, "july.json", review)
    march_text, july_text = march.read_text(encoding="utf-8"), july.read_text(encoding="utf-8")
    expected = compared(march_text, july_text)
    assert expected["ok"]

    page.goto(COMPARE)
    wait_for_engine(page)
    results = page.locator("[data-results]")
    expect(results).to_be_hidden()

    page.locator("#compare-baseline").set_input_files(march)
    expect(page.locator("#compare-baseline-chosen")).to_have_text("Chosen: march.json.")
    expect(results).to_be_hidden()
    page.locator("#compare-review").set_input_files(july)
    expect(page.locator("#compare-review-chosen")).to_have_text("Chosen: july.json.")
    expect_comparison(page, expected)

    # The movements a leader looks for, in words.
    rows = {row[0]: row for row in statement_rows(expected)}
    moved = {st["statement_id"]: st for st in expected["statements"]}
    assert [moved[sid]["movement"] for sid in CHOSEN_MOVES] == [
        "improved", "improved", "worse", "unchanged", "newly-rated", "no-longer-rated", "not-rated"
    ]
    row = page.locator(f'tr[data-statement-id="{S[0]}"]')
    expect(row.locator("td").nth(4)).to_have_text("Improved (Red to Amber)")
    expect(page.locator(f'tr[data-statement-id="{S[1]}"] td').nth(4)).to_have_text("Improved (Amber to Green)")
    expect(page.locator(f'tr[data-statement-id="{S[2]}"] td').nth(4)).to_have_text("Worse (Green to Amber)")
    expect(page.locator(f'tr[data-statement-id="{S[3]}"] td').nth(4)).to_have_text("Unchanged")
    expect(page.locator(f'tr[data-statement-id="{S[4]}"] td').nth(4)).to_have_text("Newly rated")
    expect(page.locator(f'tr[data-statement-id="{S[5]}"] td').nth(4)).to_have_text("No longer rated")
    assert rows[moved[S[0]]["ref"]][2:] == ["Red", "Amber", "Improved (Red to Amber)"]
    overall_change = expected["overall"]["percent_change"]
    assert page.evaluate(ROWS, ".compare-scores tbody tr")[0][4] == change_text(overall_change)

    # What a file says stays text.
    assert page.locator("img[src=x]").count() == 0
    expect(page.locator(".compare-details")).to_contain_text(HTML_INJECTION)

    # Downloads: named for today, exactly what the engine makes.
    md = download_from(page, page.locator("[data-action=export][data-format=md]"))
    assert md.suggested_filename == f"belonging-audit-comparison-{today()}.md"
    assert download_bytes(md).decode("utf-8") == bridge.compare_export(march_text, july_text, "md")
    xlsx = download_from(page, page.locator("[data-action=export][data-format=xlsx]"))
    assert xlsx.suggested_filename == f"belonging-audit-comparison-{today()}.xlsx"
    sheets = workbook_values(download_bytes(xlsx))
    assert sheets == workbook_values(bridge.compare_export(march_text, july_text, "xlsx"))
    assert list(sheets) == ["Summary", "Statements"]
    first = next(r for r in sheets["Statements"] if r[0] == moved[S[0]]["ref"])
    assert first[4:7] == ["Red", "Amber", "Improved"]

    # Printed (or saved as PDF): the comparison, without the choosers, buttons or website.
    page.emulate_media(media="print")
    expect(page.locator(".compare-statements")).to_be_visible()
    for hidden in (".team-choose", "[data-action=export]", "[data-engine-status]", ".md-header", ".md-sidebar--primary"):
        expect(page.locator(hidden).first).to_be_hidden()
    page.emulate_media(media="screen")

    # Reload: both files and the comparison are still here.
    kept = storage(page, COMPARE_KEY)
    assert kept["baseline"]["name"] == "march.json" and kept["review"]["text"] == july_text
    page.reload()
    expect(page.locator("#compare-baseline-chosen")).to_have_text("Chosen: march.json.")
    expect(page.locator("#compare-review-chosen")).to_have_text("Chosen: july.json.")
    wait_for_engine(page)
    expect_comparison(page, expected)

    # A damaged file: the problem is shown, with focus on it, and nothing is compared.
    broken = write(tmp_path, "notes.json", NOT_AN_AUDIT)
    page.locator("#compare-baseline").set_input_files(broken)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("[data-error-list] li")).to_have_text(compared(NOT_AN_AUDIT, july_text)["problems"])
    expect(results).to_be_hidden()

    # Clear forgets both.
    page.locator("[data-action=clear]").click()
    expect(page.locator("#compare-baseline-chosen")).to_have_text("No audit chosen yet.")
    expect(summary).to_be_hidden()
    assert storage(page, COMPARE_KEY) is None


def september_and_january() -> list[dict]:
    """The two audits a leader did on this device, as the self-audit keeps them."""
    baseline, review = baseline_and_review()
    return [
        on_device("audit-september", "September 2026", baseline, "2026-09-14T12:00:00.000Z"),
        on_device("audit-january", "January 2027", review, "2027-01-18T12:00:00.000Z"),
    ]


def from_device(name: str) -> str:
    return f"Chosen: {name}, from your audits on this device."


def test_a_leader_compares_two_audits_on_this_device_without_a_file_and_finds_them_after_a_reload(
    context: BrowserContext, page: Page,
) -> None:
    september, january = september_and_january()
    expected = compared(september["answers"], january["answers"])
    assert expected["ok"]
    page.goto("/")
    keep_on_device(page, [september, january])

    # Both lists offer every audit on this device, with its date and score;
    # the likely pair is ready: the audit before the latest, and the latest.
    page.goto(COMPARE)
    wait_for_engine(page)
    expect(page.locator('[data-history-note="some"]')).to_be_visible()
    baseline_list, review_list = page.locator("#compare-baseline-audit"), page.locator("#compare-review-audit")
    for listed in (baseline_list, review_list):
        expect(listed.locator("option")).to_have_text([choice_text(september), choice_text(january)])
    expect(baseline_list).to_have_value("audit-september")
    expect(review_list).to_have_value("audit-january")

    page.get_by_role("button", name="Use this audit as the baseline").click()
    expect(page.locator("#compare-baseline-chosen")).to_have_text(from_device("September 2026"))
    expect(page.locator("[data-announcer]")).to_have_text(f"{isolate('September 2026')} chosen as the baseline.")
    expect(page.locator("[data-results]")).to_be_hidden()
    page.get_by_role("button", name="Use this audit as the review").click()
    expect(page.locator("#compare-review-chosen")).to_have_text(from_device("January 2027"))
    expect_comparison(page, expected)
    expect(page.locator("[data-files-text]")).to_have_text(
        "Baseline: September 2026, from your audits on this device. Review: January 2027, from your audits on this device."
    )
    assert page.locator("img[src=x]").count() == 0

    # The downloads are the engine's, as for files.
    md = download_from(page, page.locator("[data-action=export][data-format=md]"))
    assert download_bytes(md).decode("utf-8") == bridge.compare_export(
        json.dumps(september["answers"]), json.dumps(january["answers"]), "md"
    )

    # Kept in this browser: which audits, never a second copy of their answers.
    kept = storage(page, COMPARE_KEY)
    assert kept["baseline"] == {"audit": "audit-september", "name": "September 2026"}
    assert kept["review"] == {"audit": "audit-january", "name": "January 2027"}
    page.reload()
    expect(page.locator("#compare-baseline-chosen")).to_have_text(from_device("September 2026"))
    expect(page.locator("#compare-review-chosen")).to_have_text(from_device("January 2027"))
    wait_for_engine(page)
    expect_comparison(page, expected)

    # September is deleted in the self-audit; back here, the page says so plainly.
    page.goto(AUDIT)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete September 2026").click()
    expect(page.locator("[data-history-rows] tr")).to_have_count(1)
    page.goto(COMPARE)
    summary = page.locator("[data-error-summary]")
    expect(summary.locator("[data-error-list] li")).to_have_text([
        f"The baseline, {isolate('September 2026')}, is no longer among your audits on this device "
        "(it may have been deleted). It has been cleared: choose another audit or a saved file."
    ])
    expect(page.locator("#compare-baseline-chosen")).to_have_text("No audit chosen yet.")
    expect(page.locator("#compare-review-chosen")).to_have_text(from_device("January 2027"))
    expect(page.locator("[data-results]")).to_be_hidden()
    expect(baseline_list.locator("option")).to_have_text([choice_text(january)])
    assert storage(page, COMPARE_KEY)["baseline"] is None

    # January is deleted in another tab while this page is open: it hears, and says so.
    audit_tab = context.new_page()
    audit_tab.goto(AUDIT)
    audit_tab.once("dialog", lambda dialog: dialog.accept())
    audit_tab.get_by_role("button", name="Delete January 2027").click()
    expect(summary.locator("[data-error-list] li")).to_have_text([
        f"The review, {isolate('January 2027')}, is no longer among your audits on this device "
        "(it may have been deleted). It has been cleared: choose another audit or a saved file."
    ])
    expect(page.locator("#compare-review-chosen")).to_have_text("No audit chosen yet.")
    expect(page.locator('[data-history-note="none"]')).to_be_visible()
    expect(page.locator('[data-history-pick="baseline"]')).to_be_hidden()
    assert storage(page, COMPARE_KEY) is None


def test_a_leader_compares_two_audits_on_this_device_with_the_keyboard_only(page: Page) -> None:
    september, january = september_and_january()
    april = on_device("audit-april", "April 2027", saved_audit({sid: "green" for sid in S[:20]}), "2027-04-20T12:00:00.000Z")
    page.goto("/")
    keep_on_device(page, [september, january, april])
    page.goto(COMPARE)
    wait_for_engine(page)

    # From the top of the page: Tab to the baseline's list, an arrow to choose September.
    info = tab_until(page, lambda i: i["id"] == "compare-baseline-audit")
    assert focus_is_drawn(info), f"no focus indicator on the list: {info}"
    expect(page.locator("#compare-baseline-audit")).to_have_value("audit-january")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#compare-baseline-audit")).to_have_value("audit-september")
    info = tab_until(page, lambda i: i["action"] == "use-audit", limit=1)
    assert focus_is_drawn(info), f"no focus indicator on the button: {info}"
    page.keyboard.press("Enter")
    expect(page.locator("#compare-baseline-chosen")).to_have_text(from_device("September 2026"))

    # The review's list already offers the latest, April: Tab to it, and to its button.
    info = tab_until(page, lambda i: i["id"] == "compare-review-audit", limit=3)
    assert focus_is_drawn(info), f"no focus indicator on the list: {info}"
    expect(page.locator("#compare-review-audit")).to_have_value("audit-april")
    tab_until(page, lambda i: i["action"] == "use-audit", limit=1)
    page.keyboard.press("Enter")
    baseline, review = json.dumps(september["answers"]), json.dumps(april["answers"])
    expect_comparison(page, compared(baseline, review))

    info = tab_until(page, lambda i: i["action"] == "export" and i["format"] == "xlsx")
    assert focus_is_drawn(info), f"no focus indicator on the Excel button: {info}"
    xlsx = download_from(page, key="Enter")
    assert workbook_values(download_bytes(xlsx)) == workbook_values(bridge.compare_export(baseline, review, "xlsx"))
    button = page.locator("[data-action=export][data-format=xlsx]")
    expect(button).to_have_text("Download the comparison (Excel)")
    expect(button).to_be_focused()

    tab_until(page, lambda i: i["action"] == "export" and i["format"] == "md", backwards=True, limit=3)
    md = download_from(page, key="Enter")
    assert download_bytes(md).decode("utf-8") == bridge.compare_export(baseline, review, "md")

    info = tab_until(page, lambda i: i["action"] == "clear", backwards=True)
    assert focus_is_drawn(info), f"no focus indicator on Clear: {info}"
    page.keyboard.press("Enter")
    expect(page.locator("[data-results]")).to_be_hidden()
    assert storage(page, COMPARE_KEY) is None


def test_where_the_audits_on_this_device_cannot_be_read_files_still_compare(context: BrowserContext, page: Page, tmp_path: Path) -> None:
    context.add_init_script(INDEXEDDB_REFUSED)
    baseline, review = baseline_and_review()
    page.goto(COMPARE)
    wait_for_engine(page)
    expect(page.locator('[data-history-note="unavailable"]')).to_have_text(
        "This browser is not letting this site read the audits kept on this device (its storage may be turned off, "
        "as in some private windows), so choose two saved answers files (JSON)."
    )
    expect(page.locator('[data-history-pick="baseline"]')).to_be_hidden()
    page.locator("#compare-baseline").set_input_files(write(tmp_path, "march.json", baseline))
    page.locator("#compare-review").set_input_files(write(tmp_path, "july.json", review))
    expect_comparison(page, compared(baseline, review))


# ---- Agree a team's audit -------------------------------------------------------------------------

AGREED, DISPUTED, ONE_RATER = S[0], S[1], S[2]


def team() -> list[tuple[str, dict]]:
    """Three colleagues: all Red on one statement, Green/Amber/Green on another."""
    sam = saved_audit(
        {AGREED: "red", DISPUTED: "green", ONE_RATER: "amber"},
        details={"completed_by": "Sam Patel"},
        fields={AGREED: {"evidence": f"Sam saw it {HTML_INJECTION}"}, DISPUTED: {"next_step": "Share the ethos at INSET"}},
    )
    jo = saved_audit(
        {AGREED: "red", DISPUTED: "green"},
        details={"completed_by": "Jo Green"},
        fields={DISPUTED: {"evidence": "Pupil voice survey\nsecond line", "next_step": "Run a parents' evening"}},
    )
    ali = saved_audit(
        {AGREED: "red", DISPUTED: "amber"},
        details={"completed_by": "Ali Khan"},
        notes={"safe-ethos": "Discussed with governors"},
    )
    return [("sam.json", sam), ("jo.json", jo), ("ali.json", ali)]


def files_json(paths: list[Path]) -> str:
    return json.dumps([{"name": path.name, "text": path.read_text(encoding="utf-8")} for path in paths])


def with_choices(agreed: dict, spread: list[dict], ratings: dict[str, str | None], next_steps: dict[str, str]) -> dict:
    """The agreed audit the page should save: the engine's draft with the lead's choices."""
    audit = json.loads(json.dumps(agreed))
    for item in spread:
        sid = item["statement_id"]
        response = audit["responses"][sid]
        response["rating"] = ratings.get(sid, item["agreed_rating"])
        response["next_step"] = next_steps.get(sid, response.get("next_step") or "")
    return audit


def block(page: Page, statement_id: str):
    return page.locator(f'.moderate-statement[data-statement-id="{statement_id}"]')


def test_a_lead_agrees_the_team_audit_with_the_keyboard_and_keeps_it(context: BrowserContext, page: Page, tmp_path: Path) -> None:
    colleagues = team()
    paths = [write(tmp_path, name, audit) for name, audit in colleagues]
    expected = json.loads(bridge.merge(files_json(paths)))
    assert expected["ok"] and expected["summary"]["disagreement"] == 1
    spread = {item["statement_id"]: item for item in expected["spread"]}
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    page.goto(MODERATE)
    wait_for_engine(page)
    expect(page.locator("[data-results]")).to_be_hidden()
    page.locator("#moderate-files").set_input_files(paths)
    expect(page.locator("[data-results]")).to_be_visible()
    expect(page.locator("[data-file-list] li")).to_have_count(3)
    expect(page.locator("[data-file-list] li").first).to_contain_text("sam.json (Sam Patel)")
    expect(page.locator("[data-colleagues]")).to_have_text("Audits from 3 colleagues: Sam Patel, Jo Green, Ali Khan.")
    counted = expected["summary"]
    expect(page.locator("[data-summary] li")).to_have_text([
        f"Everyone who rated it agreed: {counted['agreed']} of {counted['statements']} statements.",
        f"Colleagues disagree: {counted['disagreement']} of {counted['statements']}.",
        f"Nobody rated it: {counted['not_rated']} of {counted['statements']}.",
    ])
    expect(page.locator(".moderate-statement")).to_have_count(len(expected["spread"]))

    # The spread in words, everyone's notes side by side, the disagreement named.
    disputed = block(page, DISPUTED)
    expect(disputed.locator("[data-flag]")).to_have_text("Colleagues disagree")
    expect(disputed.locator("[data-spread]")).to_have_text(f"Ratings: {spread_text(spread[DISPUTED]['counts'])}.")
    assert spread_text(spread[DISPUTED]["counts"]) == "1 Amber, 2 Green"
    assert page.evaluate(ROWS, f'.moderate-statement[data-statement-id="{DISPUTED}"] tbody tr') == [
        ["Sam Patel", "Green", "None", "Share the ethos at INSET", "None"],
        ["Jo Green", "Green", "Pupil voice survey\nsecond line", "Run a parents' evening", "None"],
        ["Ali Khan", "Amber", "None", "None", "None"],
    ]
    agreed_block = block(page, AGREED)
    expect(agreed_block.locator("[data-flag]")).to_have_text("Everyone who rated it agreed: Red")
    expect(agreed_block.locator("[data-spread]")).to_have_text("Ratings: 3 Red.")
    expect(agreed_block).to_contain_text(f"Sam saw it {HTML_INJECTION}")
    assert page.locator("img[src=x]").count() == 0
    expect(page.locator(f"#agree-{AGREED}-red")).to_be_checked()
    expect(page.locator(f"#agree-{DISPUTED}-unrated")).to_be_checked()
    expect(page.locator(f"#agree-{ONE_RATER}-amber")).to_be_checked()
    expect(page.locator("[data-notes]")).to_contain_text("Discussed with governors")
    expect(page.locator("[data-progress]").first).to_have_text(
        f"You have chosen an agreed rating for 0 of the 1 statements where colleagues disagree. "
        f"The agreed audit rates 2 of {len(expected['spread'])} statements."
    )

    # The lead settles with the keyboard: arrows choose a rating, Tab moves on.
    page.locator("#moderate-only-disagreements").focus()  # set-up: the start of the statements
    page.keyboard.press("Space")
    expect(agreed_block).to_be_hidden()
    expect(disputed).to_be_visible()
    page.keyboard.press("Space")
    expect(agreed_block).to_be_visible()
    info = tab_until(page, lambda i: i["name"] == f"agree-{AGREED}")
    assert info["id"] == f"agree-{AGREED}-red" and focus_is_drawn(info), info
    page.keyboard.press("ArrowRight")
    assert active_element(page)["id"] == f"agree-{AGREED}-amber"
    info = tab_until(page, lambda i: i["name"] == f"agree-{DISPUTED}")
    assert info["id"] == f"agree-{DISPUTED}-unrated", info
    page.keyboard.press("ArrowLeft")
    assert active_element(page)["id"] == f"agree-{DISPUTED}-green"
    info = tab_until(page, lambda i: i["id"] == f"moderate-next-{DISPUTED}", limit=2)
    assert focus_is_drawn(info), info
    page.keyboard.type("Agree the ethos statement at the staff meeting")
    expect(page.locator(f"#agree-{AGREED}-amber")).to_be_checked()
    expect(page.locator(f"#agree-{DISPUTED}-green")).to_be_checked()
    expect(page.locator("[data-progress]").first).to_contain_text("for 1 of the 1 statements")
    choices = {AGREED: "amber", DISPUTED: "green"}
    steps = {DISPUTED: "Agree the ethos statement at the staff meeting"}
    agreed = with_choices(expected["agreed"], expected["spread"], choices, steps)

    # Take it away, by keyboard: the agreed answers are a valid saved audit with the lead's choices.
    info = tab_until(page, lambda i: i["action"] == "download-json")
    assert focus_is_drawn(info), info
    saved = download_from(page, key="Enter")
    assert saved.suggested_filename == f"belonging-audit-agreed-answers-{today()}.json"
    saved_text = download_bytes(saved).decode("utf-8")
    loaded = json.loads(bridge.load_saved(saved_text))
    assert loaded["ok"], loaded
    assert {sid: loaded["audit"]["responses"][sid]["rating"] for sid in (AGREED, DISPUTED, ONE_RATER)} == {
        AGREED: "amber", DISPUTED: "green", ONE_RATER: "amber"
    }
    assert loaded["audit"]["responses"][DISPUTED]["next_step"] == steps[DISPUTED]
    assert saved_text == bridge.export(json.dumps(agreed), "json")

    page.keyboard.press("Tab")
    assert active_element(page)["action"] == "download-xlsx"
    plan = download_from(page, key="Enter")
    assert plan.suggested_filename == f"belonging-audit-agreed-plan-{today()}.xlsx"
    assert workbook_values(download_bytes(plan)) == workbook_values(bridge.export(json.dumps(agreed), "xlsx"))
    report = download_from(page, page.locator("[data-action=download-spread]"))
    assert download_bytes(report).decode("utf-8") == bridge.merge_report(files_json(paths))

    # Printed for the meeting: the spread and the choices, without the file list or buttons.
    page.emulate_media(media="print")
    expect(disputed).to_be_visible()
    expect(page.locator(".team-choose")).to_be_hidden()
    expect(page.locator("[data-action=download-json]")).to_be_hidden()
    page.emulate_media(media="screen")

    # Reload: the files and every choice are still here.
    kept = storage(page, MODERATE_KEY)
    assert [file["name"] for file in kept["files"]] == ["sam.json", "jo.json", "ali.json"]
    page.reload()
    expect(page.locator("[data-file-list] li")).to_have_count(3)
    wait_for_engine(page)
    expect(page.locator(f"#agree-{AGREED}-amber")).to_be_checked()
    expect(page.locator(f"#agree-{DISPUTED}-green")).to_be_checked()
    expect(page.locator(f"#moderate-next-{DISPUTED}")).to_have_value(steps[DISPUTED])

    # A file that is not a saved audit: said plainly, focus on it; removing it puts things right.
    broken = write(tmp_path, "notes.json", NOT_AN_AUDIT)
    page.locator("#moderate-files").set_input_files(broken)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    problems = json.loads(bridge.merge(files_json([*paths, broken])))["problems"]
    expect(summary.locator("[data-error-list] li")).to_have_text(problems)
    assert problems[0].startswith("\u2068notes.json\u2069:")
    # The file that could not be read is not kept; the team's spread stays on show.
    expect(page.locator("[data-action=remove]")).to_have_count(3)
    expect(page.locator("[data-results]")).to_be_visible()
    assert len(storage(page, MODERATE_KEY)["files"]) == 3

    # The lead's own audit is on this device, open in another tab. The agreed
    # audit joins it, without a warning (nothing is replaced), and opens in the self-audit.
    own = on_device("audit-own", "My audit", saved_audit({AGREED: "green"}), "2025-09-14T12:00:00.000Z")
    keep_on_device(page, [own])
    audit_tab = context.new_page()
    audit_tab.goto(AUDIT)
    expect(audit_tab.locator("[data-history-rows] tr")).to_have_count(1)
    add = page.get_by_role("button", name="Add to your audits on this device")
    expect(add).to_have_accessible_description(
        "It becomes a new audit in the self-audit, beside the audits already there (nothing is replaced), and opens there."
    )
    add.click()
    page.wait_for_url("**/audit/")
    assert dialogs == []
    assert [audit["name"] for audit in stored_index(page)] == ["My audit", agreed_name()]
    assert stored_record(page)["answers"] == agreed
    expect(page.locator(f"#{AGREED}-amber")).to_be_checked()
    expect(page.locator(f"#{DISPUTED}-green")).to_be_checked()
    expect(page.locator(f"#{DISPUTED}-next_step")).to_have_value(steps[DISPUTED])
    expect(page.locator("[data-history-rows] tr").nth(1)).to_contain_text("Open now")
    # The other tab's list shows it too, and keeps the lead's own audit open there.
    expect(audit_tab.locator("[data-history-rows] tr")).to_have_count(2)
    expect(audit_tab.locator(f"#{AGREED}-green")).to_be_checked()


def test_an_agreed_oaip_self_review_joins_the_oaip_self_reviews_and_opens_there(page: Page, tmp_path: Path) -> None:
    """The tool reads any audit of this site; the agreed audit joins that audit's own history."""
    statement = next(iter(json.loads(bridge.new_audit(OAIP))["responses"]))
    paths = []
    for name, rating in (("ruth.json", "green"), ("tom.json", "amber")):
        audit = json.loads(bridge.new_audit(OAIP))
        audit["details"]["completed_by"] = name.removesuffix(".json").title()
        audit["responses"][statement]["rating"] = rating
        paths.append(write(tmp_path, name, audit))
    expected = json.loads(bridge.merge(files_json(paths)))

    # The lead's own self-review was open in this tab before.
    own_answers = json.loads(bridge.new_audit(OAIP))
    own_answers["responses"][statement]["rating"] = "red"
    page.goto("/")
    keep_on_device(page, [on_device("review-own", "Our self-review", own_answers, "2025-09-14T12:00:00.000Z")], OAIP)
    page.goto(SELF_REVIEW)
    expect(page.locator(f"#{statement}-red")).to_be_checked()

    page.goto(MODERATE)
    wait_for_engine(page)
    page.locator("#moderate-files").set_input_files(paths)
    expect(block(page, statement).locator("[data-flag]")).to_have_text("Colleagues disagree")
    page.locator(f"#agree-{statement}-green").check()
    expect(page.locator("[data-open-note]")).to_have_text(
        "It becomes a new audit in the OAIP self-review, beside the audits already there (nothing is replaced), and opens there."
    )
    page.get_by_role("button", name="Add to your audits on this device").click()
    page.wait_for_url("**/oaip/self-review/")
    assert [audit["name"] for audit in stored_index(page, OAIP)] == ["Our self-review", agreed_name()]
    agreed = with_choices(expected["agreed"], expected["spread"], {statement: "green"}, {})
    assert stored_record(page, OAIP)["answers"] == agreed
    expect(page.locator(f"#{statement}-green")).to_be_checked()
    assert stored_index(page, FRAMEWORK_ID) == []


def test_with_storage_full_the_agreed_audit_is_not_lost(context: BrowserContext, page: Page, tmp_path: Path) -> None:
    context.add_init_script(STORAGE_FULL_FOR_AUDIT)
    paths = [write(tmp_path, name, audit) for name, audit in team()]
    expected = json.loads(bridge.merge(files_json(paths)))
    page.goto(MODERATE)
    wait_for_engine(page)
    page.locator("#moderate-files").set_input_files(paths)
    page.get_by_role("button", name="Add to your audits on this device").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("[data-error-list] li")).to_have_text([
        "The agreed audit could not be added to your audits on this device (the browser’s storage may be full or "
        "turned off). Download the agreed answers (JSON) and open that file in the self-audit instead."
    ])
    assert page.url.endswith(MODERATE)
    saved = download_from(page, page.locator("[data-action=download-json]"))
    agreed = with_choices(expected["agreed"], expected["spread"], {}, {})
    assert download_bytes(saved).decode("utf-8") == bridge.export(json.dumps(agreed), "json")


# ---- Accessibility ------------------------------------------------------------------------------


def switch_palette(page: Page, to: str) -> None:
    """Use the site's own palette switch in the header, as a reader would (no reload)."""
    title = {"dark": "Switch to dark mode", "light": "Switch to light mode"}[to]
    page.locator(f'label[title="{title}"]').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", {"dark": "slate", "light": "default"}[to])


def expect_accessible(page: Page, state: str, *, dark_too: bool = False) -> None:
    """axe and IBM's Equal Access engine find nothing in the light palette
    and, with ``dark_too``, axe finds nothing in the dark one."""
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert axe_violations(page) == [], f"axe, light palette, {state}"
    assert ibm_violations(page, urlsplit(page.url).path) == [], f"IBM Equal Access, {state}"
    if dark_too:
        switch_palette(page, "dark")
        assert axe_violations(page) == [], f"axe, dark palette, {state}"
        switch_palette(page, "light")


def test_the_team_tools_are_accessible_empty_filled_and_with_a_problem(page: Page, tmp_path: Path) -> None:
    # Every state in the light palette; the filled pages, where the colours of
    # ratings, movements and disagreements matter, in the dark palette too.
    page.emulate_media(color_scheme="light")
    baseline, review = baseline_and_review()
    page.goto("/")
    keep_on_device(page, september_and_january())
    page.goto(COMPARE)
    wait_for_engine(page)
    expect(page.locator('[data-history-pick="baseline"]')).to_be_visible()
    expect_accessible(page, "compare: empty, the audits on this device listed")
    page.locator("#compare-baseline").set_input_files(write(tmp_path, "march.json", baseline))
    page.get_by_role("button", name="Use this audit as the review").click()
    expect(page.locator("[data-results]")).to_be_visible()
    expect_accessible(page, "compare: filled, a file and an audit on this device", dark_too=True)
    page.locator("#compare-review").set_input_files(write(tmp_path, "notes.json", NOT_AN_AUDIT))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect_accessible(page, "compare: error")
    # The lists of audits and their buttons stay within reach at 320 px, with text spacing.
    page.set_viewport_size(VIEWPORTS[320])
    apply_text_spacing(page)
    assert unreachable_content(page) == [], "compare at 320 px with text spacing, the audits on this device listed"
    page.set_viewport_size(VIEWPORTS[1280])

    page.goto(MODERATE)
    wait_for_engine(page)
    expect_accessible(page, "moderate: empty")
    page.locator("#moderate-files").set_input_files([write(tmp_path, name, audit) for name, audit in team()])
    expect(page.locator("[data-results]")).to_be_visible()
    page.locator(f"#agree-{DISPUTED}-green").check()
    expect_accessible(page, "moderate: filled", dark_too=True)
    page.locator("#moderate-files").set_input_files(write(tmp_path, "notes.json", NOT_AN_AUDIT))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect_accessible(page, "moderate: error")
