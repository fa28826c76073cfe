"""The browser's door into the engine: plain JSON text in, JSON text (or XLSX bytes) out.

This is the only module written knowing it may run inside Pyodide in a Web
Worker. It imports nothing browser-specific; it just keeps to values that cross
the JavaScript boundary cleanly (``str`` and ``bytes``) and never raises, because
an exception in a worker is far harder to show to a school leader than a list of
problems.

Never raises: every public function returns ``{"ok": false, "problems":
[UNEXPECTED_PROBLEM]}`` (or ``[MEMORY_PROBLEM]`` for a MemoryError) for anything
unexpected (a RecursionError, any bug) instead of an exception, with no
traceback in the sentence; the traceback goes to standard error (the worker's
console) for developers. The one exception is an unknown export ``fmt``
(``UnknownFormat``, a ValueError; below).

Reading input: files and the page's own answers are read by ``audit_app.json_input``
before parsing: at most ``json_input.MAX_FILE_BYTES`` (32 MB: the largest audit
the form can make fits), UTF-8 with or without a byte order mark or UTF-16 with
one (anything else, e.g. Latin-1, is refused with ``json_input.ENCODING_PROBLEM``,
which asks for UTF-8), nested at most ``json_input.MAX_JSON_DEPTH`` (64) deep
with at most ``json_input.MAX_JSON_PARTS`` arrays and objects. Send a file's
**bytes** (a Uint8Array or ArrayBuffer; ``str`` still works) so that the
engine, not the browser, decodes it and a wrongly encoded file is refused rather
than silently changed. Problems about a file are sentences about "The file"
(prefixed with "The baseline: " / "The review: " in ``compare`` and with the file
name in ``merge``); input the page builds itself (``missed_learning``,
``agenda``, ``merge``'s list) gives "Could not read <what>: <reason>." instead.

Text rules are notices, not problems: a text longer than the form's limit
(``audit_app.text_fields.MAX_TEXT_CHARS``, 20,000; also importable from
``audit_app.savefile``) is kept in full, and a lone surrogate (half an emoji)
is replaced with U+FFFD, each with a notice naming the box, in ``notices``
wherever the answer has them (``load_saved``, ``compare``, ``merge``,
``agenda``). ``score``, ``plan``, ``score_and_plan`` and ``export`` accept such an
audit and work on the repaired text (they have no notices; ``load_saved`` tells
the page what was repaired). Wrong types (a number where text belongs, an
unknown rating) are still problems. Values quoted from the user inside a
problem or notice are wrapped in Unicode isolates (U+2068 … U+2069; see
``audit_app.quoting``), so show messages as plain text.

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
    ArrayBuffer is accepted too (it is converted with its ``to_bytes()``), and
    is the way to pass an imported file.
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
    ``baseline`` and ``review`` are files' bytes or text, or saved audits as
    objects (two audits picked from the history kept on the device).
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
``merge(files, framework_id=None) -> str``
    ``files`` is a list of ``{"name": str, "data": bytes}``: a JavaScript array
    of objects whose ``data`` is a Uint8Array or ArrayBuffer (the files'
    bytes), or a Python list of dicts; ``"text": str`` may stand in for
    ``"data"``. It may also be JSON text of a list of ``{"name", "text"}`` (the
    original form; then the list as a whole is one input and is limited to
    ``MAX_FILE_BYTES``). ``name`` is the file name and may be "". Result: ``{"ok": true, "framework": {...},
    "colleagues": [names], "setting", "summary": {"statements", "agreed",
    "disagreement", "not_rated"}, "spread": [{"statement_id", "ref",
    "section_title", "subsection_title", "text", "examples", "counts":
    {rating id: n, "unrated": n}, "ratings": [{"name", "rating",
    "rating_label"}], "disagreement", "agreed_rating", "notes": [{"name",
    "evidence", "next_step", "owner", "target_date", "success_criteria",
    "review_date"}]}], "subsection_notes": [{"subsection_id", "ref", "title",
    "section_title", "notes": [{"name", "note"}]}], "agreed": {saved audit},
    "notices": [...]}`` or problems (see ``audit_app.merge``).
``merge_report(files, framework_id=None) -> str``
    The spread as Markdown, or problems JSON (``files`` as for ``merge``).

History functions (a school's audits of one framework kept on its device; see
``audit_app.trend``, ``audit_app.governors_report`` and ``audit_app.history``):

``audits`` below is the history in chronological order, oldest first (the
engine never reorders, and never parses a date): a JavaScript array (or a
Python list, or JSON text of a list) of ``{"name": str, "data": ...}`` where
``data`` is a saved audit's bytes (Uint8Array/ArrayBuffer), its JSON text, or
the saved audit as an object (as ``load_saved`` gives it and IndexedDB keeps
it); ``"text"`` may stand in for ``"data"``. Each is read by ``savefile``'s
rules against ``framework_id`` if given, else the framework it names; all must
be the same framework. Problems and notices about one audit start with its
name (bidi-isolated), or "Audit N" (its position, from 1) when the name is
blank; a blank name is shown as "Audit N" in the figures too. At most
``trend.MAX_AUDITS`` (500) audits.

``trend(audits, framework_id=None) -> str``
    ``{"ok": true, "framework": {"id", "version", "title"}, "setting", "setting_label",
    "scheme": str, "bands": [{"rating", "label", "min_share", "colour"}] (highest
    first), "audits": [{"position", "name", "details": {"school", "date",
    "completed_by", "setting"}}], "areas": [{"level": "overall"|"section"|"subsection",
    "id", "ref", "title", "section_id", "percents": [int|null, one per audit],
    "coverage_percents": [int, one per audit], "points": [{metrics,
    "coverage_percent"}, one per audit]}], "changes": [{"from": position, "to":
    position, "from_name", "to_name", "overall": {change}, "sections": [{"id",
    "number", "title", ...change, "subsections": [{"id", "ref", "title",
    ...change}]}], "moved": [{statement change as in ``compare``}]}], "notices":
    [...]}`` or problems. ``areas`` is the whole audit, then each section
    followed by its subsections (only those that apply to the setting), in
    framework order: a chart per section (or of the whole audit and the sections)
    draws ``percents`` (``null`` = nothing rated there: leave a gap), and the
    table beside it reads ``points``. ``changes`` has one entry per consecutive
    pair (``len(audits) - 1``, oldest first); change is ``{"percent_change",
    "coverage_change", "rated_change", "movements": {"improved", "worse",
    "unchanged", "newly-rated", "no-longer-rated", "not-rated": counts}}``;
    ``moved`` lists the statements whose movement is improved, worse, newly rated
    or no longer rated, in framework order, "baseline" being the earlier audit
    and "review" the later. Every audit is scored for the latest audit's setting.
``trend_export(audits, fmt: str, framework_id=None) -> str | bytes``
    ``fmt`` "md", "csv", "json" (text) or "xlsx" (bytes, with a line chart;
    load openpyxl first).
``governors_report(audits, fmt: str = "json", framework_id=None) -> str | bytes``
    The report for governors on the latest (last) audit. "md" (text), "xlsx"
    (bytes; load openpyxl first), or "json": ``{"ok": true, "title",
    "framework", "setting", "setting_label", "scheme", "latest": {"position",
    "name", "details"}, "previous": {same} | null, "details": [{"label",
    "value"}], "summary": [{"label", "text"}], "trend": {"bands", "audits",
    "areas"} (as ``trend``, sections only), "then_and_now": [{"level", "id",
    "ref", "title", "then": {metrics} | null, "now": {metrics},
    "percent_change", "coverage_change", "rated_change", "movements"} (null
    with one audit)], "moved": [{"movement", "label", "statements": [...]}]
    (improved, worse, newly-rated, no-longer-rated, in that order, each present),
    "actions_rule": str, "actions": [as ``plan``'s actions], "notices"}`` or
    problems. Show every text with textContent.
``read_history_backup(data) -> str``
    ``data``: a chosen file's bytes (or text): a backup of every audit
    (``belonging-audit-history/1``) or a single saved audit. ``{"ok": true,
    "kind": "backup"|"audit", "exported_at": str, "audits": [{"id": str|null,
    "name", "framework": {"id", "version", "title"}, "created_at",
    "updated_at", "saved": {normalised saved audit}, "summary": {"percent",
    "band", "band_label", "rated", "total", "coverage_percent", "status"}}],
    "notices": [...]}`` in the file's order, or problems (all or nothing). A
    single saved audit gives ``kind: "audit"`` and one entry with ``id: null``.
``write_history_backup(entries) -> str``
    ``entries``: ``{"exported_at": str, "audits": [{"id", "name", "created_at",
    "updated_at", "saved": <object, JSON text or bytes>}]}`` (or just the list),
    a JavaScript object or JSON text. ``{"ok": true, "text": <the file's text,
    to download as UTF-8>, "count": n, "notices": [...]}`` or problems.
``copy_forward(audit_json, framework_id=...) -> str``
    A new audit started from the latest: ``{"ok": true, "audit": {saved
    audit}, "notices": [...]}`` or problems. Ratings, target and review dates,
    date and completed by cleared; evidence, next step, owner, success
    criteria, additional notes, school and setting kept. ``audit_json`` may be
    text, bytes or the saved audit as an object.

Other tools:

``read_file(data) -> str``
    ``{"ok": true, "text": str}``: a chosen file's text, read by the same
    checks (size, encoding, nesting) as every file above, or problems. The team
    pages keep a file only once it has passed, so a file that cannot be read is
    never kept in the browser to fail again after a reload.
``missed_learning(input_json: str) -> str``
    See ``audit_app.missed_learning`` for the input and the ``{"ok": true, ...}``
    figures, or problems.
``partnership_questions_json() -> str``
    ``{"schema", "id", "version", "title", "source", "groups": [{"id", "title",
    "questions": [{"id", "number", "text"}]}]}``.
``agenda(input_json: str) -> str``
    ``{"ok": true, "markdown": "...", "items": n, "notices": [...]}`` or problems
    (input: see ``audit_app.agenda``).

When the audit passed to ``score``, ``plan`` or ``export`` is not a valid saved
audit, each returns ``{"ok": false, "problems": [...]}`` as a JSON string instead.
For ``export``, ``compare_export``, ``trend_export`` and ``governors_report`` (as "md"
or "xlsx") that string is told apart from a successful
export because it always starts with ``{"ok": false`` (no export does) and, for
XLSX, because it is ``str`` rather than ``bytes``. Only an unknown ``fmt`` raises
``ValueError``: that is a programming mistake, not something a user can cause.

Exports never fail because of what a box holds: Markdown escapes typed text so
it renders as text in CommonMark and Python-Markdown alike (entities for ``<``,
``>`` and ``&``; see ``audit_app.export_markdown``), and an XLSX cell longer than
Excel's 32,767 characters is cut with a visible note that the JSON holds it all.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from . import agenda as agenda_module
from . import compare as compare_module
from . import exports, merge as merge_module, missed_learning as missed_learning_module, savefile
from . import governors_report as governors_report_module
from . import history as history_module
from . import trend as trend_module
from .framework import DEFAULT_FRAMEWORK_ID, Framework, FrameworkError, framework_by_id, framework_ids
from .json_input import InputProblem, read_json, read_text
from .model import empty_audit
from .plan import build_plan
from .scoring import score as score_audit

UNEXPECTED_PROBLEM = (
    "Something unexpected went wrong while working this out, so nothing was changed: your answers are as they were."
)
MEMORY_PROBLEM = "There was not enough memory to work this out, so nothing was changed: your answers are as they were."

_Call = TypeVar("_Call", bound=Callable[..., Any])


class UnknownFormat(ValueError):
    """An export format the engine does not have: a mistake in the calling code, so it is raised."""


def _never_raises(function: _Call) -> _Call:
    """Turn any exception (but an unknown format) into problems JSON; the traceback goes to stderr."""

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except UnknownFormat:
            raise
        except Exception as error:  # noqa: BLE001 - the point of this door
            traceback.print_exc(file=sys.stderr)
            return _problems((MEMORY_PROBLEM if isinstance(error, MemoryError) else UNEXPECTED_PROBLEM,))

    return guarded  # type: ignore[return-value]


@_never_raises
def frameworks_json() -> str:
    frameworks = [framework_by_id(framework_id) for framework_id in framework_ids()]
    return _dumps([
        {"id": f.id, "title": f.title, "version": f.version, "settings": [dataclasses.asdict(s) for s in f.settings]}
        for f in frameworks
    ])


@_never_raises
def framework_json(framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    framework = _framework(framework_id)
    if isinstance(framework, str):
        return framework
    return _dumps(dataclasses.asdict(framework))


@_never_raises
def new_audit(framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    framework = _framework(framework_id)
    if isinstance(framework, str):
        return framework
    return savefile.dumps(empty_audit(framework), framework)


@_never_raises
def load_saved(text: str | bytes, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(text, framework_id)
    if not result.ok:
        return _problems(result.problems)
    return _dumps({"ok": True, "audit": savefile.to_dict(result.audit, result.framework), "notices": list(result.notices)})


@_never_raises
def score(audit_json: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    return _dumps({"ok": True, **score_audit(result.framework, result.audit).as_dict()})


@_never_raises
def plan(audit_json: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    actions = build_plan(result.framework, result.audit)
    return _dumps({"ok": True, "actions": [dataclasses.asdict(action) for action in actions]})


@_never_raises
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


@_never_raises
def export(audit_json: str, fmt: str, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str | bytes:
    if fmt not in exports.FORMATS:
        raise UnknownFormat(f"unknown export format {fmt!r}; expected one of {', '.join(exports.FORMATS)}")
    result = _load(audit_json, framework_id)
    if not result.ok:
        return _problems(result.problems)
    return exports.render(result.framework, result.audit, fmt)


@_never_raises
def compare(baseline: Any, review: Any, framework_id: str | None = None) -> str:
    result = _compare(baseline, review, framework_id)
    if isinstance(result, str):
        return result
    return _dumps({"ok": True, **result.as_dict()})


@_never_raises
def compare_export(baseline: Any, review: Any, fmt: str, framework_id: str | None = None) -> str | bytes:
    if fmt not in compare_module.FORMATS:
        raise UnknownFormat(f"unknown comparison format {fmt!r}; expected one of {', '.join(compare_module.FORMATS)}")
    result = _compare(baseline, review, framework_id)
    if isinstance(result, str):
        return result
    return compare_module.render(result, fmt)


@_never_raises
def merge(files: Any, framework_id: str | None = None) -> str:
    result = _merge(files, framework_id)
    return result if isinstance(result, str) else _dumps(result.as_dict())


@_never_raises
def merge_report(files: Any, framework_id: str | None = None) -> str:
    result = _merge(files, framework_id)
    return result if isinstance(result, str) else merge_module.render_report(result, "md")


@_never_raises
def read_file(data: Any) -> str:
    value = _data(data)
    if value is None:
        return _problems(("The file could not be read: it was not text.",))
    try:
        return _dumps({"ok": True, "text": read_text(value)})
    except InputProblem as problem:
        return _problems((str(problem),))


@_never_raises
def trend(audits: Any, framework_id: str | None = None) -> str:
    result = _trend(audits, framework_id, every_change=True)
    return result if isinstance(result, str) else _dumps({"ok": True, **result.as_dict()})


@_never_raises
def trend_export(audits: Any, fmt: str, framework_id: str | None = None) -> str | bytes:
    if fmt not in trend_module.FORMATS:
        raise UnknownFormat(f"unknown trend format {fmt!r}; expected one of {', '.join(trend_module.FORMATS)}")
    result = _trend(audits, framework_id, every_change=True)
    return result if isinstance(result, str) else trend_module.render(result, fmt)


@_never_raises
def governors_report(audits: Any, fmt: str = "json", framework_id: str | None = None) -> str | bytes:
    if fmt not in governors_report_module.FORMATS:
        raise UnknownFormat(f"unknown report format {fmt!r}; expected one of {', '.join(governors_report_module.FORMATS)}")
    result = _trend(audits, framework_id, every_change=False)
    if isinstance(result, str):
        return result
    report = governors_report_module.build_report(result)
    if fmt == "json":
        return _dumps({"ok": True, **report.as_dict()})
    return governors_report_module.render(report, fmt)


@_never_raises
def read_history_backup(data: Any) -> str:
    value = _value(data)
    if value is None:
        return _problems(("The file could not be read: it was not text.",))
    result = history_module.from_value(value) if isinstance(value, dict) else history_module.read_backup(value)
    return _dumps(result.as_dict())


@_never_raises
def write_history_backup(entries: Any) -> str:
    if callable(getattr(entries, "to_py", None)):  # a JavaScript object or array
        entries = _from_js(entries)
    elif not isinstance(entries, (list, Mapping)):
        entries, problems = _parsed(entries, "the audits to back up")
        if problems:
            return problems
    text, notices, problems = history_module.write_backup(entries)
    if text is None:
        return _problems(problems)
    count = len(entries) if isinstance(entries, list) else len(entries.get("audits") or ())
    return _dumps({"ok": True, "text": text, "count": count, "notices": list(notices)})


@_never_raises
def copy_forward(audit_json: Any, framework_id: str = DEFAULT_FRAMEWORK_ID) -> str:
    framework = _framework(framework_id)
    if isinstance(framework, str):
        return framework
    value = _value(audit_json)
    if value is None:
        return _problems(("The audit could not be read: it was not text.",))
    result = savefile.from_value(value, framework) if isinstance(value, dict) else savefile.load(value, framework)
    if not result.ok:
        return _problems(result.problems)
    audit = history_module.copy_forward(framework, result.audit)
    return _dumps({"ok": True, "audit": savefile.to_dict(audit, framework), "notices": list(result.notices)})


@_never_raises
def missed_learning(input_json: str) -> str:
    values = _json_input(input_json, "the figures")
    if isinstance(values, str):
        return values
    return _dumps(missed_learning_module.calculate(values))


@_never_raises
def partnership_questions_json() -> str:
    return _dumps(dataclasses.asdict(agenda_module.partnership_questions()))


@_never_raises
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


def _data(value: Any) -> str | bytes | None:
    """Text or bytes from a str, bytes or a Pyodide proxy of a Uint8Array/ArrayBuffer; None otherwise."""
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return value
    to_bytes = getattr(value, "to_bytes", None)
    if isinstance(value, int) or not callable(to_bytes):
        return None
    return to_bytes()


def _value(value: Any) -> str | bytes | dict | None:
    """Like ``_data``, and also a parsed object: a dict, or a JavaScript object (converted); None otherwise."""
    if isinstance(value, Mapping):
        return dict(value)
    data = _data(value)
    if data is not None:
        return data
    converted = _from_js(value) if callable(getattr(value, "to_py", None)) else None
    return converted if isinstance(converted, dict) else None


def _from_js(value: Any) -> Any:
    """A JavaScript value's proxy as plain Python: ``to_py()``, and JavaScript's ``null`` as None.

    Pyodide converts ``null`` to ``pyodide.ffi.jsnull``, which every check would take for a
    wrong value (an unrated statement is ``"rating": null``), so it is replaced throughout.
    """
    return _without_jsnull(value.to_py())


def _without_jsnull(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_jsnull(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_jsnull(item) for item in value]
    return None if type(value).__name__ == "JsNull" else value


def _trend(audits: Any, framework_id: str | None, *, every_change: bool) -> trend_module.Trend | str:
    """The trend of the history ``audits`` (see the module docstring), or a problems JSON string."""
    framework = None if framework_id is None else _framework(framework_id)
    if isinstance(framework, str):
        return framework
    if callable(getattr(audits, "to_py", None)):  # a JavaScript array of {name, data}
        audits = _from_js(audits)
    elif not isinstance(audits, list):
        audits, problems = _parsed(audits, "the list of audits")
        if problems:
            return problems
    problem = "The audits must be a list of {name, data} entries."
    if not isinstance(audits, list) or not all(isinstance(item, Mapping) for item in audits):
        return _problems((problem,))
    pairs = []
    for item in audits:
        data = _value(item.get("data", item.get("text")))
        if data is None:
            return _problems((problem,))
        pairs.append((item["name"] if isinstance(item.get("name"), str) else "", data))
    result = trend_module.trend_saved(pairs, framework, every_change=every_change)
    return result.trend if result.ok else _problems(result.problems)


def _load(value: Any, framework_id: str) -> savefile.LoadResult:
    try:
        framework = framework_by_id(framework_id)
    except FrameworkError as error:
        return savefile.LoadResult(audit=None, problems=(str(error),))
    data = _data(value)
    if data is None:
        return savefile.LoadResult(audit=None, problems=("The audit could not be read: it was not text.",))
    return savefile.load(data, framework)


def _compare(baseline: Any, review: Any, framework_id: str | None) -> compare_module.Comparison | str:
    framework = None if framework_id is None else _framework(framework_id)
    if isinstance(framework, str):
        return framework
    texts = [_value(baseline), _value(review)]
    unreadable = [f"{name}: the audit could not be read: it was not text." for name, text in zip(("The baseline", "The review"), texts) if text is None]
    if unreadable:
        return _problems(tuple(unreadable))
    result = compare_module.compare_saved(texts[0], texts[1], framework)
    return result.comparison if result.ok else _problems(result.problems)


def _merge(files: Any, framework_id: str | None) -> merge_module.MergeResult | str:
    framework = None if framework_id is None else _framework(framework_id)
    if isinstance(framework, str):
        return framework
    if callable(getattr(files, "to_py", None)):  # a JavaScript array of {name, data}
        files = files.to_py()
    elif not isinstance(files, list):
        files = _json_input(files, "the list of files")
        if isinstance(files, str):
            return files
    problem = "The files to merge must be a list of {name, data} entries."
    if not isinstance(files, list) or not all(isinstance(item, Mapping) for item in files):
        return _problems((problem,))
    pairs = []
    for item in files:
        data = _data(item.get("data", item.get("text")))
        if data is None:
            return _problems((problem,))
        pairs.append((item["name"] if isinstance(item.get("name"), str) else "", data))
    result = merge_module.merge_saved(pairs, framework)
    return result if result.ok else _problems(result.problems)


def _parsed(text: Any, what: str) -> tuple[Any, str | None]:
    """``(value, None)``, or ``(None, problems JSON)``: unlike ``_json_input``, a JSON string is a value, not problems."""
    data = _data(text)
    if data is None:
        return None, _problems((f"Could not read {what}: it was not text.",))
    try:
        return read_json(data), None
    except InputProblem as problem:
        return None, _problems((f"Could not read {what}: {problem.reason}.",))


def _json_input(text: Any, what: str) -> Any:
    """Parsed JSON read by ``json_input``, or a problems JSON string."""
    data = _data(text)
    if data is None:
        return _problems((f"Could not read {what}: it was not text.",))
    try:
        return read_json(data)
    except InputProblem as problem:
        return _problems((f"Could not read {what}: {problem.reason}.",))


def _problems(problems: tuple[str, ...]) -> str:
    return _dumps({"ok": False, "problems": list(problems)})


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
