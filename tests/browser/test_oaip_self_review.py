"""An early years leader reviews their setting against the OAIP expectations.

Same form, same engine, same storage as the Relational Approaches Audit:
only the framework file differs, and the setting decides which parts count.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from audit_app import bridge
from audit_support import describe, download_bytes, download_from, stored_answers, wait_for_engine
from support import axe_violations

PAGE = "/oaip/self-review/"
OAIP = "oaip-attendance-and-belonging"
FRAMEWORK = json.loads(bridge.framework_json(OAIP))


def part(page: Page, subsection_id: str):
    return page.locator(f'section[aria-labelledby="{subsection_id}"]')


def test_an_early_years_leader_reviews_only_the_parts_for_their_setting(page: Page) -> None:
    page.goto(PAGE)
    wait_for_engine(page)
    # Every part shows until a setting is chosen; then only the early years ones.
    expect(part(page, "curiosity-classroom")).to_be_visible()
    page.get_by_label("Early years setting").check()
    expect(part(page, "curiosity-classroom")).to_be_hidden()
    expect(part(page, "partners-classroom")).to_be_hidden()
    expect(part(page, "curiosity-early-years")).to_be_visible()

    page.locator("#curiosity-early-years-1-amber").check()
    page.locator("#curiosity-whole-setting-2-red").check()
    page.locator("#curiosity-whole-setting-2-next_step").fill("Termly attendance review with governors")

    answers = {
        "schema": "belonging-audit/1",
        "framework": {"id": OAIP, "version": FRAMEWORK["version"]},
        "details": {"setting": "early-years"},
        "responses": {
            "curiosity-early-years-1": {"rating": "amber"},
            "curiosity-whole-setting-2": {"rating": "red", "next_step": "Termly attendance review with governors"},
        },
        "subsection_notes": {},
    }
    score = json.loads(bridge.score(json.dumps(answers), OAIP))
    expect(page.locator('[data-score-for="overall"]')).to_have_text(f"Overall: {describe(score['overall'])}")
    assert score["overall"]["total"] == 21  # whole setting and early years statements only

    # The "Why? Evidence base" of each expectation is shown with it.
    expect(page.locator("#curiosity-why")).to_have_text("Why? Evidence base")
    expect(page.locator(".audit-evidence").first).to_contain_text(FRAMEWORK["sections"][0]["evidence"][0])

    download = download_from(page, page.locator("[data-action=export][data-format=md]"))
    assert download.suggested_filename.startswith("oaip-self-review-plan-")
    assert download_bytes(download).decode("utf-8") == bridge.export(json.dumps(answers), "md", OAIP)

    page.reload()
    wait_for_engine(page)
    expect(page.get_by_label("Early years setting")).to_be_checked()
    expect(part(page, "curiosity-classroom")).to_be_hidden()
    expect(page.locator("#curiosity-whole-setting-2-red")).to_be_checked()
    assert stored_answers(page, OAIP)["framework"]["id"] == OAIP


def test_a_school_chooses_its_setting_with_the_keyboard(page: Page) -> None:
    page.goto(PAGE)
    wait_for_engine(page)
    page.locator("#audit-setting-all").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#audit-setting-school")).to_be_checked()
    expect(part(page, "curiosity-early-years")).to_be_hidden()
    expect(part(page, "curiosity-classroom")).to_be_visible()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_the_self_review_is_accessible(page: Page, palette: str) -> None:
    page.emulate_media(color_scheme=palette)
    page.goto(PAGE)
    wait_for_engine(page)
    page.get_by_label("School", exact=True).check()
    page.locator("#curiosity-classroom-1-green").check()
    assert axe_violations(page) == []
