"""Every page of the site, as a reader meets it in Chromium: private,
policy-clean and accessible, in the light and the dark palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support import axe_violations

ROOT = Path(__file__).resolve().parents[2]


def site_pages() -> list[str]:
    """Every page's path, from the Markdown sources (the build mirrors them)."""
    docs = ROOT / "docs"
    paths = []
    for source in sorted(docs.rglob("*.md")):
        relative = source.relative_to(docs)
        if relative.parts[0] == "includes":
            continue
        page = relative.with_suffix("")
        if page.name == "index":
            page = page.parent
        paths.append("/" if str(page) == "." else f"/{page.as_posix()}/")
    return [*paths, "/print_page/"]


@pytest.mark.parametrize("path", site_pages())
def test_a_reader_opens_a_page_privately_and_accessibly(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    expect(page.locator("h1").first).to_be_visible()
    assert axe_violations(page) == [], f"axe, light palette, {path}"


@pytest.mark.parametrize("path", site_pages())
def test_a_reader_who_prefers_dark_mode_gets_an_accessible_page(page: Page, path: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert axe_violations(page) == [], f"axe, dark palette, {path}"
