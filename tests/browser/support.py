"""Helpers every browser test shares: what counts as the site's own origin,
how CSP violations are made visible, and how axe is run."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()

# Echo every CSP violation to the console, where the watcher fails the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def same_origin(url: str, site_url: str) -> bool:
    """True for the site's own origin and for in-browser schemes (data:, blob:)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}:
        return True
    return (parts.scheme, parts.netloc) == tuple(urlsplit(site_url)[:2])


def settle(page: Page, timeout_s: float = 3) -> None:
    """Wait until nothing is mid-transition. Moving focus scrolls the page, and
    Material then fades its "Back to top" button in or out (a moment after the
    scroll): half-faded text is no fair test of contrast."""
    deadline = time.monotonic() + timeout_s
    moving = """() => {
      const top = document.querySelector(".md-top");
      const opacity = top ? Number(getComputedStyle(top).opacity) : 1;
      return document.getAnimations().some((a) => a.playState === "running") || (opacity > 0 && opacity < 1);
    }"""
    page.wait_for_timeout(250)
    while page.evaluate(moving) and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.0-2.2 A and AA violations on the whole page, once it is
    still, each described with where it is."""
    settle(page)
    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": WCAG_TAGS}}
    results = AXE.run(page, options=options)
    return [
        f"{violation['id']}: {violation['help']} at {[node['target'] for node in violation['nodes']][:5]}"
        for violation in results.response["violations"]
    ]
