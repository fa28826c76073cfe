"""A trainer puts links and QR codes on slides; both must land on the right place."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect

TRAINING = "/using-this-site/training/"


def test_a_trainer_shows_a_qr_code_that_scans_to_the_statements_link(page: Page, tmp_path: Path) -> None:
    page.goto(TRAINING)
    link = page.get_by_role("link", name="2.2.3", exact=False).first
    expected = page.evaluate("(href) => new URL(href, location.href).href", link.get_attribute("href"))
    assert expected.endswith("/audit/#personalised-practice-3")
    button = link.locator("xpath=following-sibling::button[1]")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    figure = page.locator("figure.qr-code")
    expect(figure.locator("figcaption")).to_have_text(expected)
    expect(figure.locator("svg")).to_have_attribute("role", "img")
    shot = tmp_path / "qr.png"
    figure.locator("svg").screenshot(path=str(shot))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == expected

    page.keyboard.press("Enter")
    expect(figure).to_have_count(0)
    expect(button).to_have_text("Show QR code")


def test_the_trainers_links_lead_to_the_statement_ready_to_answer(page: Page) -> None:
    page.goto(TRAINING)
    page.get_by_role("link", name="1.2.4", exact=False).first.click()
    expect(page).to_have_url(re.compile(r"/audit/#safe-practice-4$"))
    expect(page.locator("fieldset#safe-practice-4")).to_be_focused()
