"""Real headless Chromium (Debian's), driven by Playwright, against the built
site served with its own ``_headers``, as a static host would serve it.

Every page a test opens is watched: any request that leaves the origin, any
console error (CSP violations are reported there, and we echo them too) and
any uncaught exception fails the test. Chromium's own network log is kept as
a second witness that also sees what Web Workers fetch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from serve import serve_in_background  # noqa: E402
from support import REPORT_CSP_VIOLATIONS, same_origin  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built site, served with its headers file."""
    server, url = serve_in_background(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def netlog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("netlog") / "netlog.json"


@pytest.fixture(scope="module")
def browser(playwright: Playwright, netlog: Path, site_url: str) -> Iterator[Browser]:
    """One Chromium per test module; on close, its network log must show
    nothing but the site's own origin (this covers Web Workers too)."""
    instance = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--log-net-log={netlog}", "--net-log-capture-mode=Default"],
    )
    yield instance
    instance.close()
    off_origin = sorted(url for url in urls_in_netlog(netlog, site_url) if not same_origin(url, site_url))
    assert off_origin == [], f"Chromium's network log shows requests off the site's origin: {off_origin}"


def urls_in_netlog(path: Path, site_url: str) -> set[str]:
    """Every URL that the site's pages or workers asked Chromium to fetch.

    A request started by a page or a worker carries that document's origin as
    its initiator; Chromium's own housekeeping (update checks, sign-in,
    autofill) carries none, and is not the site's doing.
    """
    text = path.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        # Chromium may leave the log unterminated when it is shut down.
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    site_origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    urls = set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        if params.get("initiator") == site_origin and isinstance(params.get("url"), str):
            urls.add(params["url"])
    return urls


@dataclass
class Watch:
    """What one page did: requests, console errors and uncaught exceptions."""

    site_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"exception: {error}")

    def off_origin(self) -> list[str]:
        return [url for url in self.requests if not same_origin(url, self.site_url)]

    def assert_clean(self) -> None:
        assert self.off_origin() == [], f"requests left the origin: {self.off_origin()}"
        assert self.errors == [], f"console errors, CSP violations or exceptions: {self.errors}"


@pytest.fixture
def context(browser: Browser, site_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=site_url, accept_downloads=True)
    ctx.add_init_script(REPORT_CSP_VIOLATIONS)
    yield ctx
    ctx.close()


@pytest.fixture
def watch(context: BrowserContext, site_url: str) -> Iterator[Watch]:
    """Watches every page of the test's browser context; fails the test on
    any off-origin request, console error, CSP violation or exception."""
    recorder = Watch(site_url)
    context.on("request", recorder.on_request)

    def watch_page(page: Page) -> None:
        page.on("console", recorder.on_console)
        page.on("pageerror", recorder.on_page_error)

    context.on("page", watch_page)
    yield recorder
    recorder.assert_clean()


@pytest.fixture
def page(context: BrowserContext, watch: Watch) -> Page:
    return context.new_page()
