"""Every audit a school has done, kept on its own device: the history, the
trend and the report for governors, in real Chromium with the real worker.

The story: a leader audits in September, re-audits in January by copying
forward, sees on one page what moved and prints a report for governors,
without a file, an account or a server. Around it, what can go wrong: two
tabs, storage full or turned off, deleting the open audit, fifty audits.
Every figure on the page is checked against the engine (audit_app) run here
in CPython on the same audits.
"""

from __future__ import annotations

import json
import re
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from audit_app import bridge
from audit_support import (
    ANSWERS_KEY,
    STORAGE_FULL_FOR_AUDIT,
    active_element,
    download_bytes,
    download_from,
    focus_is_drawn,
    rating_radio,
    stored_answers,
    stored_index,
    tab_until,
    wait_for_engine,
)
from support import axe_violations
from team_support import saved_audit

pytestmark = pytest.mark.browser

AUDIT = "/audit/"
# Played into the page in this order: each statement's rating in September
# and in January (None: not rated).
SEPTEMBER = {"safe-ethos-1": "red", "safe-ethos-2": "amber", "safe-ethos-3": "green", "personalised-practice-1": "red"}
JANUARY = {"safe-ethos-1": "amber", "safe-ethos-2": "green", "safe-ethos-3": "green", "personalised-practice-1": "red"}
COUNT_PRINTS = "window.print = () => { window.__prints = (window.__prints || 0) + 1; };"


def rate(page: Page, ratings: dict[str, str]) -> None:
    for statement_id, rating in ratings.items():
        rating_radio(page, statement_id, rating).check()


def history_names(page: Page) -> list[str]:
    return [audit["name"] for audit in stored_index(page)]


def engine_history(page: Page) -> str:
    """The audits on the device as the page sends them to the engine."""
    audits = stored_index(page)
    records = [page.evaluate(
        """async (id) => new Promise((resolve) => {
          const open = indexedDB.open("belonging-audit");
          open.onsuccess = () => {
            const get = open.result.transaction("audits").objectStore("audits").get(`audit/${id}`);
            get.onsuccess = () => { resolve(get.result.answers); open.result.close(); };
          };
        })""", audit["id"]) for audit in audits]
    return json.dumps([{"name": audit["name"], "data": record} for audit, record in zip(audits, records)])


def backup_of(count: int) -> bytes:
    """A file of ``count`` audits, written by the engine as the page's download is."""
    audits = []
    for number in range(count):
        ratings = {sid: ("red", "amber", "green")[(number + index) % 3] for index, sid in enumerate(SEPTEMBER)}
        audits.append({
            "id": f"audit-{number:03d}",
            "name": f"Audit {number + 1}",
            "created_at": f"2025-{1 + number // 28:02d}-{1 + number % 28:02d}T09:00:00Z",
            "updated_at": f"2025-{1 + number // 28:02d}-{1 + number % 28:02d}T10:00:00Z",
            "saved": saved_audit(ratings, details={"completed_by": "A. Okafor"}),
        })
    result = json.loads(bridge.write_history_backup(json.dumps({"exported_at": "2026-12-02T09:00:00Z", "audits": audits})))
    assert result["ok"], result
    return result["text"].encode("utf-8")


def import_file(page: Page, name: str, content: bytes) -> None:
    page.locator("#audit-import-file").set_input_files({"name": name, "mimeType": "application/json", "buffer": content})


# ---- The story ---------------------------------------------------------------------------------------


def test_a_leader_re_audits_by_copying_forward_sees_what_moved_and_prints_a_report(context: BrowserContext, page: Page) -> None:
    context.add_init_script(COUNT_PRINTS)
    page.goto(AUDIT)
    wait_for_engine(page)

    # September: the first audit starts itself with the first answer.
    expect(page.locator("[data-history-empty]")).to_be_visible()
    page.locator("#audit-date").fill("September 2026")
    rate(page, SEPTEMBER)
    page.locator("#safe-ethos-1-evidence").fill("Staff survey shows belonging is not yet a shared priority")
    page.locator("#safe-ethos-1-next_step").fill("Belonging on every SLT agenda")
    expect(page.locator("[data-history-rows] tr")).to_have_count(1)
    september = stored_answers(page)

    # Named, so governors know which is which.
    page.get_by_role("button", name=re.compile(r"^Rename Audit, ")).click()
    page.get_by_label("New name").fill("September 2026")
    page.keyboard.press("Enter")
    expect(page.locator("[data-history-announcer]")).to_have_text("Renamed to \u2068September 2026\u2069.")
    assert history_names(page) == ["September 2026"]

    # January: copy forward keeps the evidence and next steps, clears the ratings.
    page.get_by_role("button", name="Start a new audit from the latest (copy forward)").click()
    expect(page.locator("[data-history-rows] tr")).to_have_count(2)
    expect(page.locator("#safe-ethos-1-evidence")).to_have_value("Staff survey shows belonging is not yet a shared priority")
    expect(page.locator("#safe-ethos-1-next_step")).to_have_value("Belonging on every SLT agenda")
    expect(rating_radio(page, "safe-ethos-1", None)).to_be_checked()
    expect(page.locator("#audit-date")).to_have_value("")
    copied = json.loads(bridge.copy_forward(json.dumps(september)))["audit"]
    assert stored_answers(page) == copied
    page.locator("#audit-date").fill("January 2027")
    rate(page, JANUARY)
    expect(page.locator("[data-history-rows] tr").nth(1)).to_contain_text("Open now")

    # What moved, on one page, from the engine's own figures.
    trend = json.loads(bridge.trend(engine_history(page)))
    assert trend["ok"], trend
    moved = trend["changes"][-1]["moved"]
    assert {statement["statement_id"] for statement in moved} == {"safe-ethos-1", "safe-ethos-2"}
    section = page.locator("[data-trend]")
    expect(section).to_be_visible(timeout=15_000)
    expect(section.locator("svg.trend-chart__svg")).to_have_count(len([a for a in trend["areas"] if a["level"] != "subsection"]))
    expect(section.locator("[data-trend-moved] li")).to_have_count(len(moved))
    expect(section.locator("[data-trend-moved]")).to_contain_text("(Red to Amber)")
    rows = section.locator("table.trend-table tbody tr")
    expect(rows).to_have_count(len(trend["areas"]))
    overall = trend["areas"][0]["points"]
    expect(rows.first).to_contain_text(f"{overall[0]['percent']}% ({overall[0]['band_label']})")
    expect(rows.first).to_contain_text(f"{overall[1]['percent']}% ({overall[1]['band_label']})")

    # The report for governors: printed alone, and downloadable.
    page.get_by_role("button", name="Print the report for governors").click()
    report = page.locator("[data-governors-report]")
    expect(report).to_be_visible()
    assert page.evaluate("window.__prints") == 1
    governors = json.loads(bridge.governors_report(engine_history(page), "json"))
    expect(report).to_contain_text(governors["title"])
    expect(report.locator("ol.audit-plan__list > li")).to_have_count(len(governors["actions"]))
    page.emulate_media(media="print")
    expect(page.locator("#audit-form")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(report).to_be_visible()
    page.emulate_media(media="screen")
    md = download_from(page, page.get_by_role("button", name="Download the report for governors (Markdown)"))
    assert download_bytes(md).decode("utf-8") == bridge.governors_report(engine_history(page), "md")
    xlsx = download_from(page, page.get_by_role("button", name="Download the report for governors (Excel)"))
    assert download_bytes(xlsx).startswith(b"PK")

    # Nothing left the device, and a reload finds both audits, January open.
    page.reload()
    expect(page.locator("[data-history-rows] tr")).to_have_count(2)
    expect(page.locator("#audit-date")).to_have_value("January 2027")


# ---- Keyboard only ---------------------------------------------------------------------------------------


def test_a_leader_starts_and_renames_an_audit_with_the_keyboard_only(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    page.locator("#audit-date").focus()
    page.keyboard.type("Autumn term")
    expect(page.locator("[data-history-rows] tr")).to_have_count(1)

    page.locator("#audit-history-heading").focus()
    info = tab_until(page, lambda info: info["action"] == "new-blank")
    assert focus_is_drawn(info)
    page.keyboard.press("Enter")
    expect(page.locator("[data-history-rows] tr")).to_have_count(2)
    expect(page.locator("#audit-overview")).to_be_focused()

    page.locator("#audit-history-heading").focus()
    renames = page.locator("[data-action=history-rename]")
    target_id = renames.nth(1).get_attribute("data-id")
    tab_until(page, lambda info: info["action"] == "history-rename" and page.evaluate(
        "document.activeElement.dataset.id") == target_id)
    page.keyboard.press("Enter")
    expect(page.get_by_label("New name")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Spring term")
    page.keyboard.press("Enter")
    expect(page.locator(f'[data-action=history-rename][data-id="{target_id}"]')).to_be_focused()
    assert history_names(page)[1] == "Spring term"
    assert active_element(page)["focusVisible"]


# ---- Nothing lost, nothing leaked ------------------------------------------------------------------------


def test_answers_saved_by_the_single_audit_version_arrive_as_the_first_audit(page: Page) -> None:
    earlier = {"answers": saved_audit({"safe-ethos-1": "green"}, details={"school": "Oak Hill Primary"}),
               "savedAt": "2026-09-14T10:42:00.000Z", "tabId": "earlier-version"}
    page.goto("/")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [ANSWERS_KEY, json.dumps(earlier)])
    page.goto(AUDIT)
    expect(page.locator("[data-history-rows] tr")).to_have_count(1)
    expect(page.locator("[data-history-rows]")).to_contain_text("Audit, 14 September 2026")
    expect(rating_radio(page, "safe-ethos-1", "green")).to_be_checked()
    expect(page.locator("#audit-school")).to_have_value("Oak Hill Primary")
    assert stored_answers(page) == earlier["answers"]
    assert page.evaluate("(key) => localStorage.getItem(key)", ANSWERS_KEY) is None


def test_a_file_of_all_audits_adds_each_once_and_fifty_show_with_a_trend(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    backup = backup_of(50)
    import_file(page, "all-audits.json", backup)
    success = page.locator("[data-import-success]")
    expect(success).to_contain_text("50 audits from all-audits.json added to your audits on this device.")
    expect(page.locator("[data-history-rows] tr")).to_have_count(50)
    expect(page.locator("[data-trend]")).to_be_visible(timeout=15_000)
    expect(page.locator("table.trend-table thead th")).to_have_count(51)

    # The same file again adds nothing: each audit is recognised by its id.
    import_file(page, "all-audits.json", backup)
    expect(success).to_contain_text("0 audits from all-audits.json added")
    expect(success).to_contain_text("50 were already on this device, so not added again.")
    expect(page.locator("[data-history-rows] tr")).to_have_count(50)

    # And every audit downloads again in one file, as the engine writes it.
    everything = download_from(page, page.get_by_role("button", name="Download all audits (one file)"))
    again = json.loads(bridge.read_history_backup(download_bytes(everything)))
    assert again["ok"] and [audit["id"] for audit in again["audits"]] == [f"audit-{n:03d}" for n in range(50)]


def test_a_damaged_file_of_audits_changes_nothing_and_says_why(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    rate(page, {"safe-ethos-1": "red"})
    before = stored_index(page)
    damaged = json.loads(backup_of(2))
    damaged["audits"][1]["saved"]["responses"]["safe-ethos-1"]["rating"] = "purple"
    content = json.dumps(damaged)
    import_file(page, "damaged.json", content.encode())
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("[data-error-list] li")).to_have_text(json.loads(bridge.read_history_backup(content))["problems"])
    assert stored_index(page) == before


def test_a_second_tab_sees_new_audits_and_never_overwrites_the_open_one(context: BrowserContext, page: Page) -> None:
    tab_a = page
    tab_a.goto(AUDIT)
    rate(tab_a, {"safe-ethos-1": "red"})
    tab_b = context.new_page()
    tab_b.goto(AUDIT)
    expect(rating_radio(tab_b, "safe-ethos-1", "red")).to_be_checked()

    # A new audit in tab B appears in tab A's list; tab A keeps its own open.
    tab_b.get_by_role("button", name="Start a new audit", exact=True).click()
    expect(tab_b.locator("[data-history-rows] tr")).to_have_count(2)
    expect(tab_a.locator("[data-history-rows] tr")).to_have_count(2)
    expect(rating_radio(tab_a, "safe-ethos-1", "red")).to_be_checked()

    # Both on the first audit: a change in B pauses A until the leader chooses.
    tab_b.locator("[data-action=history-open]").first.click()
    tab_b.locator("#safe-ethos-2-evidence").fill("Typed in tab B")
    expect(tab_a.locator("[data-tab-warning]")).to_be_visible()
    tab_a.locator("#safe-ethos-3-evidence").fill("Typed in tab A")
    expect(tab_a.locator("[data-save-status]")).to_contain_text("Not saved: this audit was changed in another tab")
    assert stored_answers(tab_b)["responses"]["safe-ethos-2"]["evidence"] == "Typed in tab B"


def test_deleting_the_open_audit_opens_the_latest_other_one(page: Page) -> None:
    page.goto(AUDIT)
    rate(page, {"safe-ethos-1": "red"})
    page.get_by_role("button", name="Start a new audit", exact=True).click()
    rate(page, {"safe-ethos-1": "green"})
    first, second = history_names(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Delete {second}").click()
    expect(page.locator("[data-history-announcer]")).to_have_text(f"\u2068{second}\u2069 deleted. \u2068{first}\u2069 is now open.")
    expect(rating_radio(page, "safe-ethos-1", "red")).to_be_checked()
    assert history_names(page) == [first]


def test_with_storage_full_the_history_says_so_and_answers_still_download(context: BrowserContext, page: Page) -> None:
    context.add_init_script(STORAGE_FULL_FOR_AUDIT)
    page.goto(AUDIT)
    wait_for_engine(page)
    rate(page, {"safe-ethos-1": "amber"})
    expect(page.locator("[data-save-status]")).to_contain_text("could not be saved on this device")
    page.get_by_role("button", name="Start a new audit", exact=True).click()
    expect(page.locator("[data-history-announcer]")).to_contain_text("could not be started")
    saved = download_from(page, page.locator("[data-action=download-json]"))
    assert json.loads(download_bytes(saved))["responses"]["safe-ethos-1"]["rating"] == "amber"


def test_the_history_is_accessible_with_three_audits_the_chart_and_an_import_error(page: Page) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    import_file(page, "three.json", backup_of(3))
    expect(page.locator("[data-trend]")).to_be_visible(timeout=15_000)
    assert axe_violations(page) == [], "three audits and the chart"
    import_file(page, "notes.json", b"These are notes, not audits.")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert axe_violations(page) == [], "an import error shown"

