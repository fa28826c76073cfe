"""Two more checkers beside axe, both offline: the Nu HTML Checker on every
built page, and IBM's Equal Access engine on every page and on the tools'
states. Zero errors and zero violations; the only findings let through are
the false positives listed, with reasons and evidence, in
``checker_exceptions.toml``.

* Nu: npm ``vnu-jar`` (pinned in package-lock.json), run once over every
  page in one Java process (Debian's ``default-jre-headless``, which
  ``make test`` installs when Java is missing), errors only.
* IBM: npm ``accessibility-checker-engine``, evaluated in the page like axe
  (the engine's own command-line tool downloads its rules at run time,
  which these tests never do); its "Violation" level, policy
  ``IBM_Accessibility`` (WCAG 2.2 A and AA and IBM's own requirements).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from a11y_support import ROOT, excepted, ibm_violations
from audit_support import rating_radio, wait_for_engine
from test_site_pages import site_pages

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def built_pages(site: Path) -> list[Path]:
    """Every HTML page the build wrote (not the vendored runtime's files)."""
    return sorted(path for path in site.rglob("*.html") if path.relative_to(site).parts[0] != "assets")


def page_path(site: Path, url: str) -> str:
    """The site path ("/audit/", "/404.html") of a file the checker names by URL."""
    relative = Path(unquote(urlsplit(url).path)).resolve().relative_to(site.resolve())
    return "/" + relative.as_posix() if relative.name != "index.html" else "/" + (relative.parent.as_posix() + "/").lstrip("./")


def test_every_built_page_is_valid_html(built_site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu HTML Checker: `make test` installs Debian's default-jre-headless")
    pages = built_pages(built_site)
    assert len(pages) == len(site_pages()) + 1, "every page of the site, and the 404 page"
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or '{"messages": []}')
    found = []
    for message in report["messages"]:
        page = page_path(built_site, message.get("url", ""))
        where = f"{message.get('message', '')} {message.get('extract', '')}"
        if not excepted("nu", message.get("type", ""), page, where):
            found.append(f"{page} line {message.get('lastLine')}: {message.get('message')} [{message.get('extract', '').strip()}]")
    assert found == [], f"the Nu HTML Checker found {len(found)} errors:\n" + "\n".join(found[:60])
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("path", site_pages())
def test_ibm_equal_access_finds_no_violation_on_any_page(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("h1").first).to_be_visible()
    assert ibm_violations(page, path) == [], f"IBM Equal Access, {path}"


def test_ibm_equal_access_finds_no_violation_in_the_self_audit_as_it_is_used(page: Page) -> None:
    """The form's states: empty, rated (action fields shown, the overview's
    bars drawn), and with a file refused (the error summary shown)."""
    page.goto("/audit/")
    wait_for_engine(page)
    assert ibm_violations(page, "/audit/") == [], "IBM, self-audit: empty"

    for statement, rating in (("safe-ethos-1", "red"), ("safe-ethos-2", "amber"), ("safe-ethos-3", "green")):
        rating_radio(page, statement, rating).check()
    page.locator("#safe-ethos-1-next_step").fill("Plan a staff meeting on belonging.")
    expect(page.locator('[data-bar-for="safe"] .rag-bar__segment--red')).to_be_visible()
    assert ibm_violations(page, "/audit/") == [], "IBM, self-audit: rated"

    page.locator("#audit-import-file").set_input_files(
        {"name": "notes.json", "mimeType": "application/json", "buffer": b"These are my notes, not a saved audit.\n"}
    )
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert ibm_violations(page, "/audit/") == [], "IBM, self-audit: a file refused"
