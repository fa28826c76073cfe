"""Helpers for the self-audit page's browser tests.

The expected scores, plans and exports always come from the engine itself
(``audit_app.bridge``) run here in CPython with the same answers the test typed
into the page, so the page is checked against the engine, never against
numbers copied into a test.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Download, Locator, Page, Route, expect

from audit_app import bridge
from support import REPORT_CSP_VIOLATIONS, same_origin  # noqa: F401 - re-exported for the tests

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = json.loads(bridge.framework_json())
FRAMEWORK_ID = FRAMEWORK["id"]
SAVED_SCHEMA = json.loads(bridge.new_audit())["schema"]
SECTIONS = FRAMEWORK["sections"]
STATEMENT_IDS = [st["id"] for sec in SECTIONS for sub in sec["subsections"] for st in sub["statements"]]
SUBSECTION_IDS = [sub["id"] for sec in SECTIONS for sub in sec["subsections"]]
SECTION_STATEMENTS = {
    sec["id"]: [st["id"] for sub in sec["subsections"] for st in sub["statements"]] for sec in SECTIONS
}
RATING_IDS = [rating["id"] for rating in FRAMEWORK["ratings"]]
# The ratings the form shows the action fields (owner, dates, criteria) for.
ACTION_RATINGS = {"red", "amber"}
ANSWERS_KEY = f"belonging-audit/{FRAMEWORK_ID}/answers"
STATUS_LABELS = {"not-started": "Not started", "in-progress": "In progress", "completed": "Completed"}
STATEMENT_TEXT_FIELDS = ("evidence", "next_step", "owner", "target_date", "success_criteria", "review_date")

ENGINE_READY_TIMEOUT_MS = 60_000
PYODIDE_PATH = "/assets/pyodide/"

# Storage that is full for this site's own records: its localStorage keys and
# its IndexedDB store (others still work, so the rest of the page, e.g.
# Material's palette memory, behaves as usual). Chromium offers no way to
# shrink a real quota from a test (CDP's Storage.overrideQuotaForOrigin has no
# effect on these contexts), so the writes fail as a full disk makes them fail.
STORAGE_FULL_FOR_AUDIT = """
(() => {
  const full = () => new DOMException("The quota has been exceeded.", "QuotaExceededError");
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (String(key).startsWith("belonging-audit/")) throw full();
    return setItem.call(this, key, value);
  };
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (this.transaction.db.name === "belonging-audit") throw full();
    return put.apply(this, args);
  };
})();
"""

# Text a school might paste, and text an attacker might: each must stay text.
FORMULA = '=HYPERLINK("http://x")'
HTML_INJECTION = "<img src=x onerror=alert(1)>"


def long_unicode_text(length: int = 5000) -> str:
    """Mixed-script text of exactly ``length`` code points: emoji (with ZWJ
    sequences and skin tones), right-to-left Arabic, accents, quotes."""
    chunk = (
        "Pupils feel they belong 🌱👩🏽‍🏫🧑‍🤝‍🧑 — «الانتماء إلى المدرسة يبدأ بالعلاقات» "
        "“café naïve” 日本語 עברית ✅ "
    )
    text = (chunk * (length // len(chunk) + 1))[:length]
    assert len(text) == length
    return text


def today() -> str:
    return dt.date.today().isoformat()


# ---- The engine's view of a set of answers ----------------------------------


def answers_document(
    responses: dict[str, dict[str, str]],
    details: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The saved-audit JSON the page keeps for these answers: only fields
    with a value (the page leaves untouched fields out)."""
    return {
        "schema": SAVED_SCHEMA,
        "framework": {"id": FRAMEWORK["id"], "version": FRAMEWORK["version"]},
        "details": {k: v for k, v in (details or {}).items() if v},
        "responses": {
            sid: {k: v for k, v in fields.items() if v} for sid, fields in responses.items() if any(fields.values())
        },
        "subsection_notes": {k: v for k, v in (notes or {}).items() if v},
    }


def engine(op: str, *args: Any) -> Any:
    """Call the bridge in CPython; JSON answers come back parsed."""
    result = getattr(bridge, op)(*args)
    return json.loads(result) if op in {"score", "plan", "load_saved", "read_history_backup"} else result


def describe(metrics: dict[str, Any]) -> str:
    """How the page words a score (render.js ``describe``)."""
    counts = metrics["counts"]
    tally = f"{counts['red']} Red, {counts['amber']} Amber, {counts['green']} Green, {counts['unrated']} not yet rated"
    if metrics["percent"] is None:
        return f"Not yet rated. {tally}."
    return (
        f"Score {metrics['percent']}% ({metrics['band_label']}). "
        f"{metrics['rated']} of {metrics['total']} rated: {tally}."
    )


def expect_scores_match_engine(page: Page, answers: dict[str, Any]) -> dict[str, Any]:
    """The overall, section and subsection scores and the task-list statuses
    on the page are exactly what the engine says for ``answers``."""
    score = engine("score", json.dumps(answers))
    assert score["ok"], score
    overall = score["overall"]
    expect(page.locator('[data-score-for="overall"]')).to_have_text(
        "No statements rated yet." if overall["percent"] is None else f"Overall: {describe(overall)}"
    )
    for section in score["sections"]:
        expect(page.locator(f'[data-score-for="{section["id"]}"]')).to_have_text(describe(section))
        status = page.locator(f'[data-status-for="{section["id"]}"]')
        expect(status).to_have_text(STATUS_LABELS[section["status"]])
        for subsection in section["subsections"]:
            expect(page.locator(f'[data-score-for="{subsection["id"]}"]')).to_have_text(describe(subsection))
    return score


def expect_plan_matches_engine(page: Page, answers: dict[str, Any]) -> list[dict[str, Any]]:
    plan = engine("plan", json.dumps(answers))
    assert plan["ok"], plan
    items = page.locator("[data-plan-list] > li")
    expect(items).to_have_count(len(plan["actions"]))
    kinds = {"sustain": "Sustain"}
    expect(page.locator("[data-plan-list] .audit-plan__title")).to_have_text(
        [
            f"{a['number']} {a['text']} ({kinds.get(a['kind'], 'Improve')}; rated {a['rating_label']})"
            for a in plan["actions"]
        ]
    )
    return plan["actions"]


# ---- Reading the page ---------------------------------------------------------


def wait_for_engine(page: Page) -> None:
    status = page.locator("[data-engine-status]")
    # Not just "ready": the starting message says "Getting the scoring engine ready".
    expect(status).to_contain_text("Scoring engine ready.", timeout=ENGINE_READY_TIMEOUT_MS)


# The page keeps audits in IndexedDB (audit/history.js): "index/<framework>"
# lists them, "audit/<id>" holds each one's answers, and sessionStorage says
# which audit the tab has open. Read here as the page wrote them.
READ_HISTORY = """async ([frameworkId, what]) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("belonging-audit");
    request.onupgradeneeded = () => request.result.createObjectStore("audits");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const get = (key) => new Promise((resolve, reject) => {
    const request = db.transaction("audits").objectStore("audits").get(key);
    request.onsuccess = () => resolve(request.result ?? null);
    request.onerror = () => reject(request.error);
  });
  const open = sessionStorage.getItem(`belonging-audit/${frameworkId}/open`);
  const result = what === "index" ? await get(`index/${frameworkId}`)
    : what === "kept-aside" ? await get(`kept-aside/${frameworkId}`)
    : open ? await get(`audit/${open}`) : null;
  db.close();
  return result;
}"""


def settled_saving(page: Page) -> None:
    """Wait until no save is under way (the save status is busy while one is)."""
    expect(page.locator("[data-save-status]")).not_to_have_attribute("aria-busy", "true")


def stored_record(page: Page, framework_id: str = FRAMEWORK_ID) -> dict[str, Any] | None:
    """The open audit as kept on this device: {id, answers, saved_at, tab_id}."""
    settled_saving(page)
    return page.evaluate(READ_HISTORY, [framework_id, "open"])


def stored_answers(page: Page, framework_id: str = FRAMEWORK_ID) -> dict[str, Any] | None:
    record = stored_record(page, framework_id)
    return None if record is None else record["answers"]


def stored_index(page: Page, framework_id: str = FRAMEWORK_ID) -> list[dict[str, Any]]:
    """The audits on this device, as the list shows them (oldest first)."""
    settled_saving(page)
    index = page.evaluate(READ_HISTORY, [framework_id, "index"]) or {"audits": []}
    return sorted(index["audits"], key=lambda audit: audit["created_at"])


def stored_kept_aside(page: Page, framework_id: str = FRAMEWORK_ID) -> list[dict[str, Any]]:
    return page.evaluate(READ_HISTORY, [framework_id, "kept-aside"]) or []


def rating_radio(page: Page, statement_id: str, rating: str | None) -> Locator:
    return page.locator(f"#{statement_id}-{rating or 'unrated'}")


FORM_VALUES = """() => {
  const values = {};
  for (const field of document.getElementById("audit-form").elements) {
    if (!field.name) continue;
    if (field.type === "radio") { if (field.checked) values[field.name] = field.value; }
    else values[field.name] = field.value;
  }
  return values;
}"""


def expected_form_values(answers: dict[str, Any]) -> dict[str, str]:
    """Every named field of the form as it should read for ``answers``."""
    responses = answers.get("responses", {})
    values = {}
    for key in ("school", "date", "completed_by"):
        values[f"details.{key}"] = (answers.get("details") or {}).get(key) or ""
    for statement_id in STATEMENT_IDS:
        response = responses.get(statement_id) or {}
        values[f"responses.{statement_id}.rating"] = response.get("rating") or ""
        for key in STATEMENT_TEXT_FIELDS:
            values[f"responses.{statement_id}.{key}"] = response.get(key) or ""
    for subsection_id in SUBSECTION_IDS:
        values[f"subsection_notes.{subsection_id}"] = (answers.get("subsection_notes") or {}).get(subsection_id) or ""
    return values


def expect_form_shows(page: Page, answers: dict[str, Any], timeout_s: float = 5) -> None:
    """Every rating and text field on the form holds what ``answers`` says
    (missing means blank / not yet rated); read in one go, retried briefly."""
    wanted = expected_form_values(answers)
    deadline = time.monotonic() + timeout_s
    while (shown := page.evaluate(FORM_VALUES)) != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert shown == wanted


def active_element(page: Page) -> dict[str, Any]:
    """What has keyboard focus, and whether a focus indicator is drawn for it."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return { tag: "body" };
          const ring = (node) => {
            const style = getComputedStyle(node);
            return {
              outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
              shadow: style.boxShadow !== "none",
            };
          };
          const option = el.closest(".rag-option");
          return {
            tag: el.tagName.toLowerCase(),
            id: el.id,
            name: el.getAttribute("name") || "",
            type: el.getAttribute("type") || "",
            action: el.dataset ? (el.dataset.action || "") : "",
            format: el.dataset ? (el.dataset.format || "") : "",
            checked: !!el.checked,
            focusVisible: el.matches(":focus-visible"),
            ring: ring(el),
            optionRing: option ? ring(option) : null,
          };
        }"""
    )


def focus_is_drawn(info: dict[str, Any]) -> bool:
    """Keyboard focus (:focus-visible) with an outline or shadow drawn on the
    control or, for a rating, on its option box."""
    rings = [info.get("ring") or {}, info.get("optionRing") or {}]
    return bool(info.get("focusVisible")) and any(ring.get("outline") or ring.get("shadow") for ring in rings)


# ---- Downloads ------------------------------------------------------------------


def download_from(page: Page, button: Locator | None = None, key: str | None = None) -> Download:
    """Click ``button`` (or press ``key`` on whatever has focus) and return the download."""
    with page.expect_download(timeout=ENGINE_READY_TIMEOUT_MS) as info:
        if button is not None:
            button.click()
        else:
            page.keyboard.press(key or "Enter")
    return info.value


def download_bytes(download: Download) -> bytes:
    return Path(download.path()).read_bytes()


def workbook_values(data: bytes) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


# ---- Network --------------------------------------------------------------------


def audit_worker_resources(page: Page, must_include: tuple[str, ...] = ()) -> list[str]:
    """What the audit's worker fetched, by its own Resource Timing record.

    Entries are added when a response ends, so wait briefly for ``must_include``.
    """
    workers = [w for w in page.workers if w.url.endswith("/audit-worker.js")]
    assert len(workers) == 1, f"expected one audit worker, found {[w.url for w in page.workers]}"
    deadline = time.monotonic() + 10
    while True:
        names = workers[0].evaluate("performance.getEntriesByType('resource').map((entry) => entry.name)")
        if all(any(part in name for name in names) for part in must_include) or time.monotonic() > deadline:
            return names
        page.wait_for_timeout(100)


class Gate:
    """Holds every request matching ``pattern`` until opened: lets a test act
    before the Python runtime has even arrived, without racing it. Nothing is
    faked: held requests then go to the real server unchanged."""

    def __init__(self, context: BrowserContext, pattern: str) -> None:
        self.context = context
        self.pattern = pattern
        self.held: list[Route] = []
        self.opened = False
        context.route(pattern, self._handle)

    def _handle(self, route: Route) -> None:
        if self.opened:
            route.continue_()
        else:
            self.held.append(route)

    def open(self) -> None:
        self.opened = True
        held, self.held = self.held, []
        for route in held:
            route.continue_()


@contextmanager
def extra_server(directory: Path, rewrite_rules) -> Iterator[str]:
    """Serve ``directory`` like scripts/serve.py does, with its headers rules
    passed through ``rewrite_rules``; yields the base URL."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from serve import make_server  # noqa: PLC0415

    server = make_server(directory)
    handler = server.RequestHandlerClass.func  # make_server binds a fresh subclass per server
    handler.rules = rewrite_rules(handler.rules)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


def without_wasm(rules):
    """The site's headers with WebAssembly forbidden: Python cannot start."""
    return [
        (pattern, [(name, value.replace(" 'wasm-unsafe-eval'", "")) for name, value in headers])
        for pattern, headers in rules
    ]


def tab_until(page: Page, wanted, *, backwards: bool = False, limit: int = 400) -> dict:
    """Press Tab (or Shift+Tab) until ``wanted(active element)``; fail after ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    info: dict = {}
    for _ in range(limit):
        page.keyboard.press(key)
        info = active_element(page)
        if wanted(info):
            return info
    pytest.fail(f"{key} never reached the wanted control; last focus was on {info}")
