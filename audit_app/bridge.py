"""The browser's door into the engine: plain JSON text in, JSON text (or XLSX bytes) out.

This is the only module written knowing it may run inside Pyodide in a Web
Worker. It imports nothing browser-specific; it just keeps to values that cross
the JavaScript boundary cleanly (``str`` and ``bytes``) and never raises for bad
user input, because an exception in a worker is far harder to show to a school
leader than a list of problems.

Functions (all use the packaged Relational Approaches Audit framework):

``framework_json() -> str``
    The validated framework: the data file's fields plus the derived ``ref``
    labels ("1.2", "1.2.3") on subsections and statements.
``new_audit() -> str``
    A blank audit in the saved-file format.
``load_saved(text: str | bytes) -> str``
    ``{"ok": true, "audit": {...full normalised saved audit...}, "notices": [...]}``
    or ``{"ok": false, "problems": [...]}``. A Pyodide proxy of a Uint8Array or
    ArrayBuffer is accepted too (it is converted with its ``to_bytes()``).
``score(audit_json: str) -> str``
    ``{"ok": true, "overall": {metrics}, "sections": [{"id", "number", "title",
    ...metrics, "subsections": [{"id", "ref", "title", ...metrics}]}]}`` where
    metrics are ``points, max_points, share, percent, band, band_label, rated,
    total, coverage, counts, status`` (see ``audit_app.scoring``).
``plan(audit_json: str) -> str``
    ``{"ok": true, "actions": [{"statement_id", "number", "section_title",
    "subsection_title", "text", "examples", "rating", "rating_label", "kind",
    "evidence", "next_step", "owner", "target_date", "success_criteria",
    "review_date"}]}`` in plan order (see ``audit_app.plan``).
``score_and_plan(audit_json: str) -> str``
    ``{"ok": true, "score": {...as score...}, "plan": {...as plan...}}``: what the
    page shows after every change, in one call (one parse, one message).
``export(audit_json: str, fmt: str) -> str | bytes``
    ``fmt`` is "md", "csv", "json" (text) or "xlsx" (bytes). Only "xlsx" imports
    openpyxl, so load that package into Pyodide before the first XLSX export
    (otherwise ImportError is raised).

When the audit passed to ``score``, ``plan`` or ``export`` is not a valid saved
audit, each returns ``{"ok": false, "problems": [...]}`` as a JSON string instead.
For ``export`` that string is told apart from a successful export because it
always starts with ``{"ok": false`` (no export does) and, for XLSX, because it is
``str`` rather than ``bytes``. Only an unknown ``fmt`` raises ``ValueError``:
that is a programming mistake, not something a user can cause.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from . import exports, savefile
from .framework import default_framework
from .model import empty_audit
from .plan import build_plan
from .scoring import score as score_audit


def framework_json() -> str:
    return _dumps(dataclasses.asdict(default_framework()))


def new_audit() -> str:
    framework = default_framework()
    return savefile.dumps(empty_audit(framework), framework)


def load_saved(text: str | bytes) -> str:
    framework = default_framework()
    result = _load(text)
    if not result.ok:
        return _problems(result.problems)
    return _dumps({"ok": True, "audit": savefile.to_dict(result.audit, framework), "notices": list(result.notices)})


def score(audit_json: str) -> str:
    result = _load(audit_json)
    if not result.ok:
        return _problems(result.problems)
    return _dumps({"ok": True, **score_audit(default_framework(), result.audit).as_dict()})


def plan(audit_json: str) -> str:
    result = _load(audit_json)
    if not result.ok:
        return _problems(result.problems)
    actions = build_plan(default_framework(), result.audit)
    return _dumps({"ok": True, "actions": [dataclasses.asdict(action) for action in actions]})


def score_and_plan(audit_json: str) -> str:
    result = _load(audit_json)
    if not result.ok:
        return _problems(result.problems)
    framework = default_framework()
    actions = build_plan(framework, result.audit)
    return _dumps({
        "ok": True,
        "score": {"ok": True, **score_audit(framework, result.audit).as_dict()},
        "plan": {"ok": True, "actions": [dataclasses.asdict(action) for action in actions]},
    })


def export(audit_json: str, fmt: str) -> str | bytes:
    if fmt not in exports.FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(exports.FORMATS)}")
    result = _load(audit_json)
    if not result.ok:
        return _problems(result.problems)
    return exports.render(default_framework(), result.audit, fmt)


def _load(value: Any) -> savefile.LoadResult:
    if not isinstance(value, (str, bytes, bytearray, memoryview)):
        to_bytes = getattr(value, "to_bytes", None)  # Pyodide's proxy of a Uint8Array or ArrayBuffer
        if isinstance(value, int) or not callable(to_bytes):
            return savefile.LoadResult(audit=None, problems=("The audit could not be read: it was not text.",))
        value = to_bytes()
    return savefile.load(value, default_framework())


def _problems(problems: tuple[str, ...]) -> str:
    return _dumps({"ok": False, "problems": list(problems)})


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
