"""Nothing lost when things go wrong: the fault suite, in real Chromium with
real storage and the real Python worker.

Each test is a fault a school could meet (damaged storage, a dying engine,
a hostile or odd file, a note too long, two tabs, storage that is full or
refused) and is named for what the user sees. Each asserts the message,
that no answer was lost (storage compared before and after), and, through
the ``watch`` fixture, that no page error fired and no request left the site.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from audit_support import (
    ANSWERS_KEY,
    FRAMEWORK,
    SAVED_SCHEMA,
    STORAGE_FULL_FOR_AUDIT,
    download_bytes,
    download_from,
    engine,
    expect_scores_match_engine,
    rating_radio,
    stored_answers,
    stored_index,
    stored_kept_aside,
    wait_for_engine,
)

pytestmark = pytest.mark.browser

AUDIT = "/audit/"
COMPARE = "/audit/compare/"
MODERATE = "/audit/moderate/"
MISSED = "/tools/missed-learning/"
MEETING = "/tools/partnership-meeting/"
MAX_TEXT_CHARS = 20_000
# What a user must never see: programmers' words.
TECHNICAL = re.compile(r"Traceback|undefined|Maximum call stack|exit\(1\)|Error:|PythonError|JSON\.parse", re.I)

# Storage that throws on mere access, as some privacy settings make it.
STORAGE_REFUSED = """
for (const name of ["localStorage", "sessionStorage", "indexedDB"]) {
  Object.defineProperty(window, name, {
    configurable: true,
    get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
  });
}
"""


# ---- Helpers -------------------------------------------------------------------------


def all_storage(page: Page) -> dict[str, str]:
    """Everything this site keeps in localStorage, key by key."""
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def seed(page: Page, values: dict[str, str]) -> None:
    """Put ``values`` in the site's localStorage from a page with no tool on it."""
    page.goto("/")
    page.evaluate("(values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }", values)


def record(answers: dict[str, Any], saved_at: str = "2026-09-14T10:42:00.000Z") -> str:
    return json.dumps({"answers": answers, "savedAt": saved_at, "tabId": "older-version"})


def answers_with(responses: dict[str, dict[str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "schema": SAVED_SCHEMA,
        "framework": {"id": FRAMEWORK["id"], "version": FRAMEWORK["version"]},
        "details": {},
        "responses": responses,
        "subsection_notes": {},
        **extra,
    }


def audit_worker(page: Page):
    workers = [worker for worker in page.workers if worker.url.endswith("/audit-worker.js")]
    assert len(workers) == 1, [worker.url for worker in page.workers]
    return workers[0]


def import_file(page: Page, name: str, content: bytes) -> None:
    page.locator("#audit-import-file").set_input_files({"name": name, "mimeType": "application/json", "buffer": content})


def expect_plain(locator) -> None:
    """Shown, and in plain words: no traceback or programmer's message."""
    expect(locator).to_be_visible()
    assert not TECHNICAL.search(locator.inner_text()), locator.inner_text()


def deeply_nested(levels: int = 100_000) -> bytes:
    return ("[" * levels + "]" * levels).encode()


# ---- Long notes and damaged characters -----------------------------------------------------


def test_a_note_stops_at_the_limit_where_it_is_typed_and_says_so(context: BrowserContext, page: Page) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(AUDIT)
    evidence = page.locator("#safe-ethos-1-evidence")
    expect(evidence).to_have_attribute("maxlength", str(MAX_TEXT_CHARS))
    expect(page.get_by_text(f"Each answer box holds up to {MAX_TEXT_CHARS:,} characters.")).to_be_visible()

    evidence.fill("a" * (MAX_TEXT_CHARS - 10))
    evidence.press("End")
    page.keyboard.type("b")
    expect(page.locator("#safe-ethos-1-evidence-limit")).to_have_text("You have 9 characters left.")

    page.evaluate("(text) => navigator.clipboard.writeText(text)", "c" * 50)
    evidence.press("Control+V")
    expect(page.locator("#safe-ethos-1-evidence-limit")).to_have_text(
        "Only the first 9 characters of what you pasted fitted: this box holds up to 20,000 characters. "
        "The rest is still on your clipboard."
    )
    assert len(evidence.input_value()) == MAX_TEXT_CHARS
    assert len(stored_answers(page)["responses"]["safe-ethos-1"]["evidence"]) == MAX_TEXT_CHARS


def test_a_25000_character_note_from_an_older_version_downloads_whole_and_opens_again(page: Page) -> None:
    long_note = "Evidence from the whole-school review. " * 700
    assert len(long_note) > MAX_TEXT_CHARS
    answers = answers_with({"safe-ethos-1": {"rating": "amber", "evidence": long_note, "next_step": "Share it"}})
    seed(page, {ANSWERS_KEY: record(answers)})
    page.goto(AUDIT)
    wait_for_engine(page)
    expect_scores_match_engine(page, answers)

    saved = json.loads(download_bytes(download_from(page, page.locator("[data-action=download-json]"))))
    assert saved["responses"]["safe-ethos-1"]["evidence"] == long_note
    for fmt in ("csv", "md"):
        plan = download_bytes(download_from(page, page.locator(f"[data-action=export][data-format={fmt}]"))).decode()
        assert '"ok": false' not in plan and "Share it" in plan
    workbook = download_bytes(download_from(page, page.locator("[data-action=export][data-format=xlsx]")))
    assert workbook.startswith(b"PK")

    import_file(page, "older.json", json.dumps(saved).encode())
    success = page.locator("[data-import-success]")
    expect(success).to_contain_text("are now open here, as a new audit saved on this device")
    expect(success).to_contain_text("All of it has been kept")
    expect(page.locator("#safe-ethos-1-evidence")).to_have_value(long_note)
    assert stored_answers(page)["responses"]["safe-ethos-1"]["evidence"] == long_note


def test_half_an_emoji_in_a_note_is_repaired_and_everything_still_downloads(page: Page) -> None:
    answers = answers_with({"safe-ethos-2": {"rating": "red", "evidence": "Pupils said \ud83d and more"}})
    seed(page, {ANSWERS_KEY: json.dumps({"answers": answers, "savedAt": "2026-09-14T10:42:00.000Z"})})
    page.goto(AUDIT)
    wait_for_engine(page)
    expect(page.locator('[data-score-for="overall"]')).to_contain_text("Overall: Score")

    saved = json.loads(download_bytes(download_from(page, page.locator("[data-action=download-json]"))))
    assert saved["responses"]["safe-ethos-2"]["rating"] == "red"
    assert saved["responses"]["safe-ethos-2"]["evidence"].startswith("Pupils said ")
    plan = download_bytes(download_from(page, page.locator("[data-action=export][data-format=csv]"))).decode()
    assert "Pupils said" in plan

    # Typed in the form, half an emoji is repaired where it happens.
    evidence = page.locator("#safe-ethos-3-evidence")
    evidence.evaluate("(field) => { field.value = 'Half \\ud83d'; field.dispatchEvent(new Event('input', { bubbles: true })); }")
    expect(evidence).to_have_value("Half \ufffd")
    expect(page.locator("#safe-ethos-3-evidence-limit")).to_contain_text("A damaged character")


# ---- Stored answers this page cannot use ---------------------------------------------------


def test_notes_for_a_retired_statement_are_kept_aside_and_can_be_downloaded(page: Page) -> None:
    answers = answers_with({
        "safe-ethos-1": {"rating": "green", "evidence": "Still here"},
        "retired-statement-9": {"rating": "red", "evidence": "Notes the school wrote for a statement since retired"},
    })
    stored = record(answers)
    seed(page, {ANSWERS_KEY: stored})
    page.goto(AUDIT)

    notice = page.locator("[data-kept-aside]")
    expect(notice).to_contain_text("include answers this version of the page does not have a place for")
    expect(notice).to_contain_text("nothing has been lost")
    expect(rating_radio(page, "safe-ethos-1", "green")).to_be_checked()
    # The earlier version's record became the first audit on this device;
    # the answers it holds with no place on the form are kept aside as they were.
    assert len(stored_index(page)) == 1 and ANSWERS_KEY not in all_storage(page)
    [kept_answers] = stored_kept_aside(page)
    assert json.loads(kept_answers["raw"]) == answers

    # Carrying on does not lose the kept copy.
    page.locator("#safe-ethos-2-evidence").fill("Typed after the upgrade")
    assert stored_answers(page)["responses"]["safe-ethos-2"]["evidence"] == "Typed after the upgrade"
    assert stored_kept_aside(page) == [kept_answers]

    kept = download_from(page, notice.get_by_role("button", name="Download the kept answers"))
    assert json.loads(download_bytes(kept)) == answers

    page.reload()
    expect(notice).to_contain_text("were kept aside on this device")
    page.once("dialog", lambda dialog: dialog.accept())
    notice.get_by_role("button", name="Remove them from this device").click()
    expect(notice).to_be_hidden()
    assert stored_kept_aside(page) == []


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param('{"answers": {"responses": {"safe-ethos-1": {"rating": "gr', id="cut short"),
        pytest.param('"just text"', id="not a record"),
        pytest.param(json.dumps({"answers": "a list of things", "savedAt": "yesterday"}), id="wrong shape"),
    ],
)
def test_damaged_saved_answers_are_kept_aside_never_overwritten(page: Page, stored: str) -> None:
    seed(page, {ANSWERS_KEY: stored})
    page.goto(AUDIT)
    notice = page.locator("[data-kept-aside]")
    expect(notice).to_contain_text("could not be opened")
    expect_plain(notice)

    rating_radio(page, "safe-ethos-1", "amber").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this device")
    assert stored_kept_aside(page)[0]["raw"] == stored
    assert download_bytes(download_from(page, notice.get_by_role("button", name="Download the kept answers"))).decode() == stored


def test_an_object_where_a_note_belongs_is_kept_aside_without_an_invalid_date(page: Page) -> None:
    answers = answers_with({"safe-ethos-1": {"rating": "red", "evidence": {"text": "nested"}}})
    stored = json.dumps({"answers": answers, "savedAt": "not a date"})
    seed(page, {ANSWERS_KEY: stored})
    page.goto(AUDIT)
    expect(page.locator("[data-kept-aside]")).to_be_visible()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this device")
    expect(page.locator("body")).not_to_contain_text("Invalid Date")
    expect(rating_radio(page, "safe-ethos-1", "red")).to_be_checked()


def test_with_storage_full_unusable_answers_are_not_overwritten_until_downloaded(context: BrowserContext, page: Page) -> None:
    stored = '{"answers": [1, 2'
    seed(page, {ANSWERS_KEY: stored})
    context.add_init_script(STORAGE_FULL_FOR_AUDIT)
    page.goto(AUDIT)
    notice = page.locator("[data-kept-aside]")
    expect(notice).to_contain_text("storage is full, so they could not be kept aside")

    rating_radio(page, "safe-ethos-1", "green").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Not saved yet: first download the saved answers")
    assert all_storage(page)[ANSWERS_KEY] == stored

    saved = download_from(page, notice.get_by_role("button", name="Download the saved answers as they are"))
    assert download_bytes(saved).decode() == stored
    expect(notice).to_be_hidden()
    expect(page.locator("[data-save-status]")).to_contain_text("could not be saved on this device")


# ---- "Saved" only when saved ------------------------------------------------------------------


def test_importing_when_storage_is_full_says_the_answers_are_not_saved(context: BrowserContext, page: Page) -> None:
    context.add_init_script(STORAGE_FULL_FOR_AUDIT)
    page.goto(AUDIT)
    wait_for_engine(page)
    audit = json.loads(engine("new_audit"))
    audit["responses"]["safe-ethos-1"]["rating"] = "green"
    import_file(page, "from-another-laptop.json", json.dumps(audit).encode())
    success = page.locator("[data-import-success]")
    expect(success).to_contain_text("are open here, but could not be saved on this device")
    expect(success).not_to_contain_text("and saved on this device")
    expect(rating_radio(page, "safe-ethos-1", "green")).to_be_checked()


def test_in_a_paused_tab_an_import_is_not_called_saved_and_typing_is_never_dropped_unasked(
    context: BrowserContext, page: Page
) -> None:
    tab_a = page
    tab_a.goto(AUDIT)
    wait_for_engine(tab_a)
    tab_a.locator("#safe-ethos-1-evidence").fill("Typed in tab A")
    tab_b = context.new_page()
    tab_b.goto(AUDIT)
    tab_b.locator("#safe-ethos-1-evidence").fill("Typed in tab B")
    expect(tab_a.locator("[data-tab-warning]")).to_be_visible()
    before = all_storage(tab_a)

    tab_a.bring_to_front()
    audit = json.loads(engine("new_audit"))
    audit["responses"]["safe-ethos-2"]["rating"] = "red"
    import_file(tab_a, "imported.json", json.dumps(audit).encode())
    success = tab_a.locator("[data-import-success]")
    expect(success).to_contain_text("are open in this tab but not saved on this device")
    assert all_storage(tab_a) == before

    # Declining the warning keeps tab A's answers as they are.
    tab_a.once("dialog", lambda dialog: dialog.dismiss())
    tab_a.get_by_role("button", name="Load the other tab's answers").click()
    expect(rating_radio(tab_a, "safe-ethos-2", "red")).to_be_checked()
    mine = download_from(tab_a, tab_a.get_by_role("button", name="Download this tab's answers (JSON)"))
    assert json.loads(download_bytes(mine))["responses"]["safe-ethos-2"]["rating"] == "red"

    tab_a.get_by_role("button", name="Keep this tab's answers").click()
    expect(tab_a.locator("[data-tab-warning]")).to_be_hidden()
    assert stored_answers(tab_a)["responses"]["safe-ethos-2"] == {"rating": "red"}
    expect(tab_b.locator("[data-tab-warning]")).to_be_visible()


# ---- A dying engine --------------------------------------------------------------------------


def test_an_engine_that_fails_is_restarted_and_scores_come_back(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    audit_worker(page).evaluate("setTimeout(() => { throw new Error('simulated crash'); })")
    status = page.locator("[data-engine-status]")
    expect(status).to_contain_text("stopped unexpectedly and is restarting")
    wait_for_engine(page)
    rating_radio(page, "safe-ethos-1", "green").check()
    expect_scores_match_engine(page, stored_answers(page))


def test_an_engine_that_goes_quiet_twice_is_reported_and_answers_still_download(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    status = page.locator("[data-engine-status]")
    for stop in range(2):
        audit_worker(page).evaluate("self.close()")
        rating_radio(page, "safe-ethos-1", ("green", "red")[stop]).check()
        if stop == 0:
            expect(status).to_contain_text("restarting", timeout=30_000)
            wait_for_engine(page)
    expect(status).to_contain_text("stopped again, so it is not available in this tab", timeout=30_000)
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this device")

    page.locator("#safe-ethos-1-evidence").fill("Typed while the engine was gone")
    saved = json.loads(download_bytes(download_from(page, page.locator("[data-action=download-json]"))))
    assert saved["responses"]["safe-ethos-1"] == {"rating": "red", "evidence": "Typed while the engine was gone"}
    csv_button = page.locator("[data-action=export][data-format=csv]")
    csv_button.click()
    expect(page.locator("[data-tools-message]")).to_contain_text("The plan could not be made")
    expect(csv_button).to_have_text("Download action plan (CSV)")


def test_a_damaged_runtime_file_is_reported_in_plain_words(context: BrowserContext, page: Page) -> None:
    context.route("**/assets/pyodide/audit_app-*.whl", lambda route: route.fulfill(status=200, body=b"not a wheel"))
    page.on("console", lambda message: None)
    page.goto(AUDIT)
    status = page.locator("[data-engine-status]")
    expect(status).to_contain_text("could not be loaded, or are damaged", timeout=60_000)
    expect_plain(status)
    rating_radio(page, "safe-ethos-1", "green").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this device")


# ---- Hostile and odd files -----------------------------------------------------------------


def test_a_deeply_nested_file_is_refused_plainly_and_the_engine_carries_on(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    rating_radio(page, "safe-ethos-1", "green").check()
    before = all_storage(page)
    import_file(page, "nested.json", deeply_nested())
    summary = page.locator("[data-error-summary]")
    expect_plain(summary)
    assert all_storage(page) == before
    rating_radio(page, "safe-ethos-2", "red").check()
    expect_scores_match_engine(page, stored_answers(page))


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        pytest.param("latin1.json", json.dumps({"schema": SAVED_SCHEMA, "details": {"school": "Café"}}, ensure_ascii=False).encode("latin-1"),
                     "UTF-8", id="Latin-1"),
        pytest.param("broken.json", b'{"schema": "\xff\xfe\xfa"}', "UTF-8", id="invalid UTF-8"),
    ],
)
def test_a_file_in_another_encoding_is_refused_rather_than_changed(page: Page, name: str, content: bytes, shown: str) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    before = all_storage(page)
    import_file(page, name, content)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(shown)
    expect_plain(summary)
    assert all_storage(page) == before


def test_a_utf16_file_opens_with_its_characters_intact(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    audit = json.loads(engine("new_audit"))
    audit["details"]["school"] = "École Saint-Exupéry 🌱"
    import_file(page, "utf16.json", json.dumps(audit, ensure_ascii=False).encode("utf-16"))
    expect(page.locator("[data-import-success]")).to_contain_text("are now open here")
    expect(page.locator("#audit-school")).to_have_value("École Saint-Exupéry 🌱")


def test_a_file_name_with_a_direction_override_cannot_reorder_the_message(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    name = "report\u202eecived siht no devas.json"
    import_file(page, name, engine("new_audit").encode())
    success = page.locator("[data-import-success]")
    expect(success).to_contain_text("are now open here")
    expect(success.locator("bdi")).to_have_text(name)


def test_the_team_pages_keep_no_file_they_could_not_read(page: Page) -> None:
    page.goto(COMPARE)
    wait_for_engine(page)
    page.locator("#compare-baseline").set_input_files({"name": "nested.json", "mimeType": "application/json", "buffer": deeply_nested()})
    summary = page.locator("[data-error-summary]")
    expect_plain(summary)
    expect(summary.locator("li").first).to_contain_text("nested.json")
    page.reload()
    wait_for_engine(page)
    expect(summary).to_be_hidden()
    expect(page.locator("#compare-baseline-chosen")).to_have_text("No audit chosen yet.")

    page.goto(MODERATE)
    wait_for_engine(page)
    name = "sam\u202enosj.jpg"
    page.locator("#moderate-files").set_input_files([
        {"name": "latin1.json", "mimeType": "application/json", "buffer": '{"x": "Café"}'.encode("latin-1")},
        {"name": name, "mimeType": "application/json", "buffer": engine("new_audit").encode()},
    ])
    expect_plain(summary)
    expect(summary).to_contain_text("latin1.json")
    expect(page.locator("bdi[data-file-name]")).to_have_text([name])
    page.reload()
    wait_for_engine(page)
    expect(summary).to_be_hidden()
    expect(page.locator("bdi[data-file-name]")).to_have_text([name])


def test_the_calculator_answers_a_5000_digit_number_in_plain_words(page: Page) -> None:
    page.goto(MISSED)
    wait_for_engine_named(page, "Calculator ready.")
    page.locator("#missed-percent").fill("9" * 5000)
    page.get_by_role("button", name="Work it out").click()
    summary = page.locator("[data-error-summary]")
    expect_plain(summary)


def wait_for_engine_named(page: Page, ready: str) -> None:
    expect(page.locator("[data-engine-status]")).to_contain_text(ready, timeout=60_000)


# ---- Other tool pages keep what they cannot use -----------------------------------------------


@pytest.mark.parametrize(
    ("url", "key", "what"),
    [
        pytest.param(MEETING, "belonging-audit/partnership-meeting", "notes", id="meeting notes"),
        pytest.param(MISSED, "belonging-audit/missed-learning", "figures", id="calculator figures"),
        pytest.param(COMPARE, "belonging-audit/compare", "chosen audits", id="chosen audits"),
        pytest.param(MODERATE, "belonging-audit/moderate", "files and choices", id="team files"),
    ],
)
def test_every_tool_keeps_aside_a_damaged_record(page: Page, url: str, key: str, what: str) -> None:
    stored = '{"damaged": tr'
    seed(page, {key: stored})
    page.goto(url)
    notice = page.locator("[data-kept-aside]")
    expect(notice).to_contain_text(f"The {what} saved on this device could not be opened")
    assert json.loads(all_storage(page)[f"{key}/kept-aside"])[0]["raw"] == stored
    assert download_bytes(download_from(page, notice.get_by_role("button", name=f"Download the kept {what}"))).decode() == stored


# ---- Storage refused, odd links -----------------------------------------------------------------


def test_pages_work_when_the_browser_refuses_storage(context: BrowserContext, page: Page) -> None:
    context.add_init_script(STORAGE_REFUSED)
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{AUDIT}#personalised-practice-3")
    expect(page.locator("#personalised-practice-3")).to_be_focused()
    rating_radio(page, "personalised-practice-3", "amber").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Your answers cannot be kept on this device")
    expect(page.locator("[data-history]")).to_contain_text("This browser is not letting this site keep audits")
    wait_for_engine(page)
    expect(page.locator('[data-score-for="overall"]')).to_contain_text("Overall: Score")


def test_a_malformed_link_does_not_break_the_audit_page(page: Page) -> None:
    page.goto(f"{AUDIT}#%")
    rating_radio(page, "safe-ethos-1", "green").check()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this device")
