"""The browser's door into the engine: plain JSON text in, JSON text (or XLSX bytes) out.

This is the only module written knowing it may run inside Pyodide in a Web
Worker. It imports nothing browser-specific; it just keeps to values that cross
the JavaScript boundary cleanly (``str`` and ``bytes``) and never raises for bad
user input, because an exception in a worker is far harder to show to a school
leader than a list of problems.

Choosing the framework: every audit function takes an optional last argument
``framework_id`` (default ``"relational-approaches-audit"``); the OAIP self-review
is ``"oaip-attendance-and-belonging"``. An unknown id gives
``{"ok": false, "problems": [...]}`` (for ``framework_json`` and ``new_audit``
too, whose normal answer has no ``"ok"``). ``frameworks_json()`` lists them.

Audit functions:

``frameworks_json() -> str``
    ``[{"id", "title", "version", "settings": [{"id", "label"}]}]``, one per
    packaged framework.
``framework_json(framework_id=...) -> str``
    The validated framework: the data file's fields plus the derived ``ref``
    labels ("1.2", "1.2.3") on subsections and statements, and always
    ``settings`` (top level; ``[]`` when none), ``evidence`` (sections) and
    ``applies_to`` (subsections; ``[]`` = every setting).
``new_audit(framework_id=...) -> str``
    A blank audit in the saved-file format. For a framework with settings the
    details include ``"setting": ""`` (set it to a setting id to choose one).
``load_saved(text: str | bytes, framework_id=...) -> str``
    ``{"ok": true, "audit": {...full normalised saved audit...}, "notices": [...]}``
    or ``{"ok": false, "problems": [...]}``. A Pyodide proxy of a Uint8Array or
    ArrayBuffer is accepted too (it is converted with its ``to_bytes()``).
``score(audit_json: str, framework_id=...) -> str``
    ``{"ok": true, "overall": {metrics}, "sections": [{"id", "number", "title",
    ...metrics, "subsections": [{"id", "ref", "title", ...metrics}]}]}`` where
    metrics are ``points, max_points, share, percent, band, band_label, rated,
    total, coverage, counts, status`` (see ``audit_app.scoring``). With a
    setting chosen, only the subsections that apply to it are listed and counted.
``plan(audit_json: str, framework_id=...) -> str``
    ``{"ok": true, "actions": [{"statement_id", "number", "section_title",
    "subsection_title", "text", "examples", "rating", "rating_label", "kind",
    "evidence", "next_step", "owner", "target_date", "success_criteria",
    "review_date"}]}`` in plan order (see ``audit_app.plan``).
``score_and_plan(audit_json: str, framework_id=...) -> str``
    ``{"ok": true, "score": {...as score...}, "plan": {...as plan...}}``: what the
    page shows after every change, in one call (one parse, one message).
``export(audit_json: str, fmt: str, framework_id=...) -> str | bytes``
    ``fmt`` is "md", "csv", "json" (text) or "xlsx" (bytes). Only "xlsx" imports
    openpyxl, so load that package into Pyodide before the first XLSX export
    (otherwise ImportError is raised).

Team and comparison functions (the framework is read from the files; pass
``framework_id`` to insist on one):

``compare(baseline: str | bytes, review: str | bytes, framework_id=None) -> str``
    ``{"ok": true, "framework": {"id", "version", "title"}, "setting",
    "setting_label", "baseline_details", "review_details", "overall": {change},
    "sections": [{"id", "number", "title", ...change, "subsections": [{"id",
    "ref", "title", ...change}]}], "statements": [{"statement_id", "ref",
    "section_id", "section_title", "subsection_id", "subsection_title", "text",
    "baseline_rating", "baseline_rating_label", "review_rating",
    "review_rating_label", "movement", "movement_label", "points_change"}],
    "notices": [...]}`` where change is ``{"baseline": {metrics}, "review":
    {metrics}, "percent_change", "coverage_percent_baseline",
    "coverage_percent_review", "coverage_change", "rated_change", "movements":
    {"improved", "worse", "unchanged", "newly-rated", "no-longer-rated",
    "not-rated": counts}}`` (see ``audit_app.compare``), or problems.
``compare_export(baseline, review, fmt: str, framework_id=None) -> str | bytes``
    ``fmt`` "md" or "json" (text) or "xlsx" (bytes; load openpyxl first).
``merge(files_json: str, framework_id=None) -> str``
    ``files_json`` is a JSON list of ``{"name": str, "text": str}`` (name: the
    file name; may be ""). Result: ``{"ok": true, "framework": {...},
    "colleagues": [names], "setting", "summary": {"statements", "agreed",
    "disagreement", "not_rated"}, "spread": [{"statement_id", "ref",
    "section_title", "subsection_title", "text", "examples", "counts":
    {rating id: n, "unrated": n}, "ratings": [{"name", "rating",
    "rating_label"}], "disagreement", "agreed_rating", "notes": [{"name",
    "evidence", "next_step", "owner", "target_date", "success_criteria",
    "review_date"}]}], "subsection_notes": [{"subsection_id", "ref", "title",
    "section_title", "notes": [{"name", "note"}]}], "agreed": {saved audit},
    "notices": [...]}`` or problems (see ``audit_app.merge``).
``merge_report(files_json: str, framework_id=None) -> str``
    The spread as Markdown, or problems JSON.

Other tools:

``missed_learning(input_json: str) -> str``
    See ``audit_app.missed_learning`` for the input and the ``{"ok": true, ...}``
    figures, or problems.
``partnership_questions_json() -> str``
    ``{"schema", "id", "version", "title", "source", "groups": [{"id", "title",
    "questions": [{"id", "number", "text"}]}]}``.
``agenda(input_json: str) -> str``
    ``{"ok": true, "markdown": "...", "items": n}`` or problems (input: see
    ``audit_app.agenda``).

When the audit passed to ``score``, ``plan`` or ``export`` is not a valid saved
audit, each returns ``{"ok": false, "problems": [...]}`` as a JSON string instead.
For ``export`` and ``compare_export`` that string is told apart from a successful
export because it always starts with ``{"ok": false`` (no export does) and, for
XLSX, because it is ``str`` rather than ``bytes``. Only an unknown ``fmt`` raises
``ValueError``: that is a programming mistake, not something a user can cause.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from . import agenda as agenda_module
from . import compare as compare_module
from . import exports, merge as merge_module, missed_learning as missed_learning_module, savefile
from .framework import DEFAULT_FRAMEWORK_ID, Framework, FrameworkError, framework_by_id, framework_ids
from .model import empty_audit
from .plan import build_plan
from .scoring import score as score_audit


def frameworks_json() -> str:
    frameworks = [framework_by_id(framework_id) for framework_id in framework_ids()]
    return _dumps([
        {"id": f.id, "title": f.title, "version": f.version, "settings": [dataclasses.asdict(s) for s in f.settings]}
        for f in frameworks
    ])


def framework_json(framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    framework = _framework(framework_id)
    if isinstance(framework, str):
        return framework
    return _dumps(dataclasses.asdict(framework))


def new_audit(framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    framework = _framework(framework_id)
    if isinstance(framework, str):
        return framework
    return savefile.dumps(empty_audit(framework), framework)


def load_saved(text: str | bytes, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(text, framework_id)
    if not result.ok:
        return _problems(result.problems)
    return _dumps({"ok": True, "audit": savefile.to_dict(result.audit, result.framework), "notices": list(result.notices)})


def score(audit_json: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    return _dumps({"ok": True, **score_audit(result.framework, result.audit).as_dict()})


def plan(audit_json: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    actions = build_plan(result.framework, result.audit)
    return _dumps({"ok": True, "actions": [dataclasses.asdict(action) for action in actions]})


def score_and_plan(audit_json: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    framework = result.framework
    actions = build_plan(framework, result.audit)
    return _dumps({
        "ok": True,
        "score": {"ok": True, **score_audit(framework, result.audit).as_dict()},
        "plan": {"ok": True, "actions": [dataclasses.asdict(action) for action in actions]},
    })


def export(audit_json: str, fmt: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str | bytes:
    if fmt not in exports.FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(exports.FORMATS)}")
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    return exports.render(result.framework, result.audit, fmt)


def compare(baseline: Any, review: Any, framework_id: str | None = None) -> str:
    result = _compare(baseline, review, framework_id)
    if isinstance(result, str):
        return result
    return _dumps({"ok": True, **result.as_dict()})


def compare_export(baseline: Any, review: Any, fmt: str, framework_id: str | None = None) -> str | bytes:
    if fmt not in compare_module.FORMATS:
        raise ValueError(f"unknown comparison format {fmt!r}; expected one of {', '.join(compare_module.FORMATS)}")
    result = _compare(baseline, review, framework_id)
    if isinstance(result, str):
        return result
    return compare_module.render(result, fmt)


def merge(files_json: str, framework_id: str | None = None) -> str:
    result = _merge(files_json, framework_id)
    return result if isinstance(result, str) else _dumps(result.as_dict())


def merge_report(files_json: str, framework_id: str | None = None) -> str:
    result = _merge(files_json, framework_id)
    return result if isinstance(result, str) else merge_module.render_report(result, "md")


def missed_learning(input_json: str) -> str:
    values = _json_input(input_json, "the figures")
    if isinstance(values, str):
        return values
    return _dumps(missed_learning_module.calculate(values))


def partnership_questions_json() -> str:
    return _dumps(dataclasses.asdict(agenda_module.partnership_questions()))


def agenda(input_json: str) -> str:
    values = _json_input(input_json, "the meeting preparation")
    if isinstance(values, str):
        return values
    return _dumps(agenda_module.build_agenda(values))


def _framework(framework_id: Any) -> Framework | str:
    """The framework, or a problems JSON string when there is no such framework."""
    try:
        return framework_by_id(framework_id)
    except FrameworkError as error:
        return _problems((str(error),))


def _text(value: Any) -> str | bytes | None:
    """Text or bytes from a str, bytes or a Pyodide proxy of a Uint8Array/ArrayBuffer; None otherwise."""
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return value
    to_bytes = getattr(value, "to_bytes", None)
    if isinstance(value, int) or not callable(to_bytes):
        return None
    return to_bytes()


def _load(value: Any, framework_id: str) -> savefile.LoadResult:
    try:
        framework = framework_by_id(framework_id)
    except FrameworkError as error:
        return savefile.LoadResult(audit=None, problems=(str(error),))
    data = _text(value)
    if data is None:
        return savefile.LoadResult(audit=None, problems=("The audit could not be read: it was not text.",))
    return savefile.load(data, framework)


def _compare(baseline: Any, review: Any, framework_id: str | None) -> compare_module.Comparison | str:
    framework = None if framework_id is None else _framework(framework_id)
    if isinstance(framework, str):
        return framework
    texts = [_text(baseline), _text(review)]
    unreadable = [f"{name}: the audit could not be read: it was not text." for name, text in zip(("The baseline", "The review"), texts) if text is None]
    if unreadable:
        return _problems(tuple(unreadable))
    result = compare_module.compare_saved(texts[0], texts[1], framework)
    return result.comparison if result.ok else _problems(result.problems)


def _merge(files_json: str, framework_id: str | None) -> merge_module.MergeResult | str:
    framework = None if framework_id is None else _framework(framework_id)
    if isinstance(framework, str):
        return framework
    files = _json_input(files_json, "the list of files")
    if isinstance(files, str):
        return files
    problem = "The files to merge must be a list of {name, text} entries."
    if not isinstance(files, list) or not all(isinstance(item, dict) and isinstance(item.get("text"), str) for item in files):
        return _problems((problem,))
    pairs = [(item["name"] if isinstance(item.get("name"), str) else "", item["text"]) for item in files]
    result = merge_module.merge_saved(pairs, framework)
    return result if result.ok else _problems(result.problems)


def _json_input(text: Any, what: str) -> Any:
    """Parsed JSON, or a problems JSON string (never raises)."""
    data = _text(text)
    if data is None:
        return _problems((f"Could not read {what}: it was not text.",))
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return _problems((f"Could not read {what}: it was not valid JSON.",))


def _problems(problems: tuple[str, ...]) -> str:
    return _dumps({"ok": False, "problems": list(problems)})


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
