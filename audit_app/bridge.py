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
For ``export`` and ``compare_export`` that string is told apart from a successful
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
    texts = [_data(baseline), _data(review)]
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
