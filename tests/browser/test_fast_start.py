"""How the self-audit's Python starts fast, and stays private and robust doing it.

A return visit restores a memory snapshot of the engine that the first visit
kept in Cache Storage. The snapshot is made at build time from blank audits,
so nothing anyone types can ever be in it: checked here byte by byte. A
damaged snapshot must cost only time, and the runtime must arrive compressed
as a real static host sends it.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from audit_support import (
    PYODIDE_PATH, STATEMENT_IDS, answers_document, expect_scores_match_engine, rating_radio, wait_for_engine,
)

pytestmark = pytest.mark.browser

AUDIT = "/audit/"
SNAPSHOT_KEPT_TIMEOUT_S = 60

# Every byte of every entry of every cache this origin keeps, searched for
# one text; returns the bytes searched and the entries that hold the text.
SEARCH_CACHE_STORAGE = """async (text) => {
  const needle = new TextEncoder().encode(text);
  let searched = 0;
  const holding = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
      searched += bytes.length;
      outer: for (let i = bytes.indexOf(needle[0]); i !== -1; i = bytes.indexOf(needle[0], i + 1)) {
        for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
        holding.push(request.url);
        break;
      }
    }
  }
  return { searched, holding };
}"""

# Damages every kept entry: "truncated" leaves a few bytes, "flipped" keeps
# the length and changes one byte in the middle.
DAMAGE_CACHE_STORAGE = """async (how) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
      const damaged = how === "truncated" ? bytes.slice(0, 1000) : bytes;
      if (how === "flipped") damaged[damaged.length >> 1] ^= 0xff;
      await cache.put(request, new Response(damaged));
    }
  }
}"""


def audit_worker(page: Page):
    workers = [w for w in page.workers if w.url.endswith("/audit-worker.js")]
    assert len(workers) == 1, [w.url for w in page.workers]
    return workers[0]


def worker_marked(page: Page, name: str) -> bool:
    return audit_worker(page).evaluate(f"performance.getEntriesByName('{name}').length > 0")


def wait_until_snapshot_kept(page: Page) -> None:
    """The first visit keeps the snapshot once it has been quiet after its first score."""
    deadline = time.monotonic() + SNAPSHOT_KEPT_TIMEOUT_S
    while not worker_marked(page, "audit:snapshot-kept"):
        assert time.monotonic() < deadline, "the engine's snapshot was never kept"
        page.wait_for_timeout(200)


def rate_and_check(page: Page, rating: str) -> None:
    rating_radio(page, STATEMENT_IDS[0], rating).check()
    expect_scores_match_engine(page, answers_document({STATEMENT_IDS[0]: {"rating": rating}}))


def test_a_return_visit_restores_the_engine_and_no_answer_is_kept_in_its_cache(page: Page) -> None:
    sentence = f"Our unique evidence sentence {time.time_ns()} about the breakfast club"
    page.goto(AUDIT)
    wait_for_engine(page)
    assert not worker_marked(page, "audit:snapshot-restored"), "a first visit has nothing to restore"
    page.locator(f"#{STATEMENT_IDS[0]}-evidence").fill(sentence)
    rate_and_check(page, "amber")
    wait_until_snapshot_kept(page)

    page.reload()
    wait_for_engine(page)
    assert worker_marked(page, "audit:snapshot-restored")
    expect(page.locator(f"#{STATEMENT_IDS[0]}-evidence")).to_have_value(sentence)
    rate_and_check(page, "green")

    found = page.evaluate(SEARCH_CACHE_STORAGE, sentence)
    assert found["searched"] > 10_000_000, "the snapshot should be in Cache Storage"
    assert found["holding"] == []


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_a_damaged_snapshot_costs_only_time(page: Page, damage: str) -> None:
    page.goto(AUDIT)
    wait_for_engine(page)
    wait_until_snapshot_kept(page)
    page.evaluate(DAMAGE_CACHE_STORAGE, damage)

    page.reload()
    wait_for_engine(page)
    assert not worker_marked(page, "audit:snapshot-restored")
    rate_and_check(page, "red")
    # ... and a good copy is kept again for the next visit.
    wait_until_snapshot_kept(page)


def test_the_runtime_arrives_compressed_as_from_a_static_host(page: Page) -> None:
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(AUDIT)
    wait_for_engine(page)
    page.wait_for_load_state("networkidle")
    by_name = {response.url.rsplit("/", 1)[-1]: response for response in responses if PYODIDE_PATH in response.url}
    for name in ("pyodide.asm.wasm", "pyodide.asm.mjs"):
        assert by_name[name].all_headers().get("content-encoding") in {"br", "gzip"}, name
    wasm = by_name["pyodide.asm.wasm"]
    assert wasm.request.sizes()["responseBodySize"] < len(wasm.body()) / 2
    page_response = next(response for response in responses if response.url.endswith(AUDIT))
    assert page_response.all_headers().get("content-encoding") in {"br", "gzip"}
    # Files that are compressed already are sent as they are.
    assert "content-encoding" not in by_name["python_stdlib.zip"].all_headers()
