"""The GOV.UK Design System's manual accessibility checks, scripted, and the
checkers that axe does not replace.

* ``tab_walk``: every Tab (or Shift+Tab) stop on a page, each checked the
  moment it has focus: on screen, not under the sticky header or any other
  layer, and not clipped away (WCAG 2.4.7 Focus visible, 2.4.11 Focus not
  obscured, 2.4.3 Focus order).
* ``unreachable_content``: content pushed off the screen where nothing can
  scroll to it, or cut off inside a box that does not scroll (1.4.10 Reflow,
  1.4.12 Text spacing).
* ``apply_text_spacing``: WCAG 1.4.12's text spacing, as the W3C's
  bookmarklet sets it.
* ``ibm_violations``: IBM's Equal Access engine (npm
  ``accessibility-checker-engine``), injected from node_modules: its own
  command-line tool downloads rules at run time, which this site's tests
  never do.

Checkers' false positives are listed, each with its reason and evidence, in
``checker_exceptions.toml`` beside this file, and nowhere else.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
EXCEPTIONS_FILE = Path(__file__).with_name("checker_exceptions.toml")
ACE_ENGINE = ROOT / "node_modules" / "accessibility-checker-engine" / "ace.js"
IBM_POLICY = "IBM_Accessibility"

# The three widths of the issue: a small phone, a 1024 px laptop (and a
# 1280 px screen zoomed to 125%), and a common desktop.
VIEWPORTS = {
    320: {"width": 320, "height": 640},
    1024: {"width": 1024, "height": 768},
    1280: {"width": 1280, "height": 720},
}

# ---- Focus ------------------------------------------------------------------

# Runs after each key press (focusing scrolls at once: the site never
# scrolls smoothly, so the layout read here is the one the reader sees).
# "Visible" is exact: the element has a size, is not hidden (visibility,
# opacity, content-visibility), its box after clipping by every ancestor
# that clips lies inside the viewport and below the sticky header (unless it
# is in the header or in a fixed layer above it, such as the open drawer),
# and the topmost element at its centre is the element itself, something
# inside it, something around it, or its label: nothing covers it.
FOCUS_PROBE = """async () => {
  const focused = document.activeElement;
  if (!focused || focused === document.body || focused === document.documentElement) return { end: true };
  // Wait for the element's own fade or slide to finish (Material's skip link
  // fades in over 0.25 s), for at most half a second.
  // Only changes that move, show or hide things count (not colour fades).
  const shifts = (a) => a.playState === "running" && a.effect && a.effect.target instanceof Element &&
    !/color|shadow/.test(a.transitionProperty || "");
  const moving = () => document.getAnimations().some((a) => shifts(a) && a.effect.target.contains(focused));
  for (let i = 0; i < 20 && moving(); i++) await new Promise((done) => setTimeout(done, 25));
  // A visually hidden radio (Material's palette switch) is seen through the
  // label that follows it, which is what its focus ring is drawn on.
  let el = focused;
  const size = el.getBoundingClientRect();
  if (size.width < 1 || size.height < 1) {
    const next = el.nextElementSibling;
    el = (next && next.tagName === "LABEL" && next.checkVisibility() ? next : el.labels && el.labels[0]) || el;
  }
  if (!window.__a11yFocusIds) { window.__a11yFocusIds = new WeakMap(); window.__a11yFocusCount = 0; }
  if (!window.__a11yFocusIds.has(focused)) window.__a11yFocusIds.set(focused, ++window.__a11yFocusCount);
  const text = (focused.getAttribute("aria-label") || focused.innerText || focused.value || focused.getAttribute("title") || "")
    .replace(/\\s+/g, " ").trim().slice(0, 60);
  const what = `<${focused.tagName.toLowerCase()}${focused.id ? "#" + focused.id : ""}${
    focused.classList.length ? "." + [...focused.classList].join(".") : ""}> ${JSON.stringify(text)}`;
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const header = document.querySelector(".md-header");
  let layered = false;
  for (let node = el; node && node !== document.documentElement; node = node.parentElement) {
    if (node === header || getComputedStyle(node).position === "fixed") { layered = true; break; }
  }
  const headerBottom = header && header.checkVisibility() ? header.getBoundingClientRect().bottom : 0;
  const top = layered ? 0 : headerBottom;
  const own = el.getBoundingClientRect();
  if (own.width < 1 || own.height < 1) problems.push(`has no size (${own.width}x${own.height})`);
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) {
    problems.push("is hidden (display, visibility or opacity)");
  }
  const box = { left: own.left, top: own.top, right: own.right, bottom: own.bottom };
  for (let node = el.parentElement; node && node !== document.body && node !== document.documentElement;
       node = node.parentElement) {
    const style = getComputedStyle(node);
    const rect = node.getBoundingClientRect();
    if (style.overflowX !== "visible") { box.left = Math.max(box.left, rect.left); box.right = Math.min(box.right, rect.right); }
    if (style.overflowY !== "visible") { box.top = Math.max(box.top, rect.top); box.bottom = Math.min(box.bottom, rect.bottom); }
    if (style.position === "fixed") break;
  }
  const seen = {
    left: Math.max(box.left, 0), right: Math.min(box.right, vw),
    top: Math.max(box.top, top), bottom: Math.min(box.bottom, vh),
  };
  const seenWidth = seen.right - seen.left;
  const seenHeight = seen.bottom - seen.top;
  // Across: all of it (or all the screen's width, if it is wider). Down: its
  // top edge below the header, and at least 24 px of it on screen (all of it,
  // if it is smaller): Chromium scrolls a text box only far enough to show
  // its caret.
  // (Something taller than the space below the header cannot fit: enough
  // that it fills that space.)
  const fits = own.height <= vh - top;
  const headerCovers = fits && !layered && own.top < headerBottom - 1 && own.bottom > 0;
  if (seenWidth < Math.min(own.width, vw) - 2 || seenHeight < Math.min(own.height, 24) - 1 || headerCovers) {
    problems.push(
      `is not fully on screen: box ${Math.round(own.left)},${Math.round(own.top)} to ` +
      `${Math.round(own.right)},${Math.round(own.bottom)}; seen ${Math.round(seenWidth)}x${Math.round(seenHeight)}` +
      ` of the ${vw}x${vh} viewport below ${Math.round(top)} px${headerCovers ? "; under the header" : ""}`
    );
  }
  if (seenWidth > 0 && seenHeight > 0) {
    // The centre of the part of the element that is on screen; for an inline
    // element over several lines, of its first line box on screen.
    let point = [(seen.left + seen.right) / 2, (seen.top + seen.bottom) / 2];
    for (const line of el.getClientRects()) {
      const l = Math.max(line.left, seen.left), r = Math.min(line.right, seen.right);
      const t = Math.max(line.top, seen.top), b = Math.min(line.bottom, seen.bottom);
      if (r - l >= 1 && b - t >= 1) { point = [(l + r) / 2, (t + b) / 2]; break; }
    }
    const relatedTo = (hit) => hit && (
      hit === el || el.contains(hit) || hit.contains(el) ||
      (el.labels && [...el.labels].some((label) => label === hit || label.contains(hit)))
    );
    // A layer that is fading away (Material's search overlay, as focus
    // leaves the search box) is given the time its fade takes.
    const fading = (node) => document.getAnimations().some((a) => shifts(a) && a.effect.target.contains(node));
    let hit = document.elementFromPoint(point[0], point[1]);
    for (let i = 0; i < 20 && hit && !relatedTo(hit) && fading(hit); i++) {
      await new Promise((done) => setTimeout(done, 25));
      hit = document.elementFromPoint(point[0], point[1]);
    }
    const related = relatedTo(hit);
    if (!related) {
      const by = hit ? `<${hit.tagName.toLowerCase()}${hit.id ? "#" + hit.id : ""}${
        hit.classList.length ? "." + [...hit.classList].join(".") : ""}>` : "nothing";
      problems.push(`is covered at ${point.map(Math.round)} by ${by}`);
    }
  }
  return { end: false, id: window.__a11yFocusIds.get(focused), what, problems };
}"""


@dataclass
class Stop:
    id: int
    what: str
    problems: list[str]


def tab_walk(page: Page, *, backwards: bool = False, limit: int = 600) -> list[Stop]:
    """Every stop of one full Tab (or Shift+Tab) pass through the page, from
    wherever focus is now until focus leaves the page, each checked as it is
    reached. Fails if the pass never ends (a keyboard trap)."""
    key = "Shift+Tab" if backwards else "Tab"
    stops: list[Stop] = []
    for _ in range(limit):
        page.keyboard.press(key)
        found = page.evaluate(FOCUS_PROBE)
        if found["end"]:
            if stops:
                return stops
            continue
        stop = Stop(found["id"], found["what"], found["problems"])
        if stops and stop.id == stops[0].id:
            return stops
        stops.append(stop)
    raise AssertionError(f"{key} never left the page after {limit} stops: a keyboard trap? Last: {stops[-1:]}")


def focus_problems(stops: list[Stop]) -> list[str]:
    return [f"stop {n}: {stop.what} {'; '.join(stop.problems)}" for n, stop in enumerate(stops, 1) if stop.problems]


# Where the next Tab starts is where focus last was (or the last click),
# even after blur(): a throwaway focus target at the very start (or end) of
# the page moves that starting point, then goes.
MOVE_FOCUS_START = """(atEnd) => {
  const mark = document.createElement("span");
  mark.tabIndex = -1;
  if (atEnd) document.body.append(mark); else document.body.prepend(mark);
  mark.focus({ preventScroll: true });
  mark.remove();
  window.scrollTo(0, atEnd ? document.documentElement.scrollHeight : 0);
}"""


def start_from_the_top(page: Page) -> None:
    """The next Tab goes to the page's first stop, as on a fresh load."""
    page.evaluate(MOVE_FOCUS_START, False)


def start_from_the_end(page: Page) -> None:
    """The next Shift+Tab goes to the page's last stop."""
    page.evaluate(MOVE_FOCUS_START, True)


# ---- Reflow and text spacing ---------------------------------------------------

# WCAG 1.4.12's values, as the W3C's text spacing bookmarklet applies them.
# A constructed stylesheet: the CSP forbids <style> and style attributes.
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
    * { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
    p { margin-bottom: 2em !important; }
  `);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""

# Content that cannot be reached: a visible element whose box runs past the
# viewport's side (the page never scrolls sideways: html has overflow-x
# hidden) or out of an ancestor that clips without scrolling, unless a
# scrolling ancestor in between brings it back, and that scroller can take
# keyboard focus. Also a clipping box too small for its own content.
UNREACHABLE_PROBE = """() => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const name = (node) => `<${node.tagName.toLowerCase()}${node.id ? "#" + node.id : ""}${
    node.classList.length ? "." + [...node.classList].join(".") : ""}>`;
  const shown = (node) => node.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  // Not content that could be lost: text for screen readers only, the closed
  // drawer and search layers, and the header's title, which repeats the
  // site's name and the page's heading (both shown in full on the page).
  const exempt = (node) => node.closest(
    ".visually-hidden, .md-sidebar--primary, .md-search, .md-tooltip, .md-tooltip2, .md-header__topic, [hidden]"
  );
  const scrolls = (style, axis) => ["auto", "scroll"].includes(axis === "x" ? style.overflowX : style.overflowY);
  const clips = (style, axis) => ["hidden", "clip"].includes(axis === "x" ? style.overflowX : style.overflowY);
  const leaves = document.querySelectorAll(
    "main *:not(:has(*)), main img, main input, main select, main textarea, main button, main th, main td, main svg, footer *:not(:has(*))"
  );
  for (const node of leaves) {
    if (exempt(node) || !shown(node)) continue;
    const own = node.getBoundingClientRect();
    if (own.width === 0 || own.height === 0) continue;
    let reachable = true;
    let why = "";
    for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      const rect = a.getBoundingClientRect();
      const outX = own.right > rect.right + 1 || own.left < rect.left - 1;
      const outY = own.bottom > rect.bottom + 1 || own.top < rect.top - 1;
      if ((outX && scrolls(style, "x")) || (outY && scrolls(style, "y"))) {
        if (a.tabIndex < 0 && !a.querySelector("a[href], button, input, select, textarea, [tabindex='0']")) {
          reachable = false; why = `inside ${name(a)}, which scrolls but cannot take keyboard focus`;
        }
        break;
      }
      if ((outX && clips(style, "x")) || (outY && clips(style, "y"))) {
        reachable = false; why = `cut off by ${name(a)} (overflow hidden)`; break;
      }
      if (style.position === "fixed") break;
    }
    if (reachable && (own.right > vw + 1 || own.left < -1)) {
      // Past the side of the viewport, and no scroller in between.
      let scroller = null;
      for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) {
        if (scrolls(getComputedStyle(a), "x") && a.scrollWidth > a.clientWidth) { scroller = a; break; }
      }
      if (!scroller) { reachable = false; why = `runs past the ${vw} px viewport (${Math.round(own.left)} to ${Math.round(own.right)})`; }
    }
    if (!reachable) {
      const text = (node.innerText || node.value || node.getAttribute("aria-label") || "").replace(/\\s+/g, " ").trim().slice(0, 50);
      problems.push(`${name(node)} ${JSON.stringify(text)} ${why}`);
    }
  }
  // Boxes that clip their own content without scrolling (fixed heights, text cut short).
  for (const node of document.querySelectorAll("main *, header *, footer *")) {
    if (exempt(node) || !shown(node)) continue;
    const style = getComputedStyle(node);
    if (!(clips(style, "x") || clips(style, "y") || style.textOverflow === "ellipsis")) continue;
    const overX = node.scrollWidth > node.clientWidth + 1 && (clips(style, "x") || style.textOverflow === "ellipsis");
    const overY = node.scrollHeight > node.clientHeight + 1 && clips(style, "y");
    if (overX || overY) {
      const text = (node.innerText || "").replace(/\\s+/g, " ").trim().slice(0, 50);
      problems.push(`${name(node)} ${JSON.stringify(text)} clips its own content ` +
        `(${node.scrollWidth}x${node.scrollHeight} in ${node.clientWidth}x${node.clientHeight})`);
    }
  }
  return [...new Set(problems)];
}"""


def apply_text_spacing(page: Page) -> None:
    page.evaluate(TEXT_SPACING)


def unreachable_content(page: Page) -> list[str]:
    return page.evaluate(UNREACHABLE_PROBE)


# ---- Checker exceptions ----------------------------------------------------------


@dataclass(frozen=True)
class Exception_:
    checker: str
    rule: str
    pages: tuple[str, ...]
    match: str
    reason: str
    evidence: str

    def covers(self, checker: str, rule: str, page: str, where: str) -> bool:
        return (
            checker == self.checker
            and rule == self.rule
            and any(fnmatch.fnmatchcase(page, pattern) for pattern in self.pages)
            and re.search(self.match, where) is not None
        )


def checker_exceptions() -> list[Exception_]:
    """Every false positive we accept, from the one file that lists them."""
    data = tomllib.loads(EXCEPTIONS_FILE.read_text(encoding="utf-8"))
    found = []
    for entry in data.get("exception", []):
        missing = {"checker", "rule", "pages", "match", "reason", "evidence"} - entry.keys()
        assert not missing, f"{EXCEPTIONS_FILE.name}: an exception lacks {sorted(missing)}: {entry}"
        found.append(
            Exception_(entry["checker"], entry["rule"], tuple(entry["pages"]), entry["match"], entry["reason"], entry["evidence"])
        )
    return found


def excepted(checker: str, rule: str, page: str, where: str) -> bool:
    return any(exception.covers(checker, rule, page, where) for exception in checker_exceptions())


# ---- IBM Equal Access ------------------------------------------------------------

IBM_CHECK = """async (policy) => {
  const report = await new ace.Checker().check(document, [policy]);
  return report.results
    .filter((result) => result.value[0] === "VIOLATION" && result.value[1] === "FAIL")
    .map((result) => ({ rule: result.ruleId, message: result.message, where: result.path.dom, snippet: result.snippet }));
}"""


def ibm_engine_version() -> str:
    package = json.loads((ACE_ENGINE.parent / "package.json").read_text(encoding="utf-8"))
    return package["version"]


def ibm_violations(page: Page, path: str) -> list[str]:
    """IBM Equal Access's violations (its "Violation" level, failed; not the
    "needs review" or recommendation levels) on the page as it is now, less
    the listed false positives. The engine is evaluated like axe is: through
    the DevTools protocol, which the page's CSP does not govern; nothing is
    fetched."""
    if not page.evaluate("() => typeof ace !== 'undefined'"):
        page.evaluate(ACE_ENGINE.read_text(encoding="utf-8"))
    results: list[dict[str, Any]] = page.evaluate(IBM_CHECK, IBM_POLICY)
    return [
        f"{result['rule']}: {result['message']} at {result['where']} {result['snippet'][:160]}"
        for result in results
        if not excepted("ibm", result["rule"], path, result["where"] + " " + result["snippet"])
    ]
