"""Saved-audit files: read, check, migrate and write the ``belonging-audit/1`` JSON format.

The same format is what the browser keeps in localStorage, what it downloads,
and what the JSON export produces, so a school can always reopen its own work.

Reading follows these rules:

* All or nothing. ``load`` returns either a complete audit or a list of problems,
  never a half-read audit, so a damaged file can never overwrite good answers.
* The bytes are checked before they are parsed (size, encoding, nesting depth:
  see ``json_input``), the same way in the browser and on the command line.
* A text that breaks the form's rules (longer than the form allows, or holding
  half of an emoji) is kept, repaired if need be, and reported as a notice, not
  a problem (see ``text_fields``): one odd box never costs the school the rest of
  its answers. A value of the wrong type is still a problem.
* Problems are written for a school leader, not a programmer: they name the
  statement by its label and the start of its wording and say what was expected.
* Nothing disappears silently. Answers for statements this framework version no
  longer has become notices that quote the statement (when the framework lists it
  as retired) and everything the school had written for it. Whatever a notice or
  problem quotes from the file is bidi-isolated (``quoting.isolate``).

Leniency where it costs nothing: missing keys and ``null`` mean blank, unknown
top-level keys are ignored, ratings may be given by id or label in any case
("Red"), and dates are free text because people type them in many ways.

Settings: for a framework that declares settings (the OAIP self-review), the
details also hold ``"setting"``: a setting id, or "" for none chosen (a label such
as "School" is accepted too). Files for frameworks without settings never have it,
so their saved form is unchanged; a setting found in one is reported and ignored.

Which framework: ``load`` reads a file against the framework it is given;
``load_any`` reads the file's own framework id and uses that packaged framework
(for the command line, compare and merge, which take files of any audit).

Migration: a file saved against another version of the same framework is mapped
by statement id (ids never change when wording is corrected). ``belonging-audit/1``
is the first file schema; a file from a newer schema is refused with a clear
message, and an upgrade step for an older schema belongs in ``_check_schema``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .framework import Framework, FrameworkError, Statement, default_framework, framework_by_id
from .json_input import MAX_FILE_BYTES, InputProblem, read_json  # noqa: F401 (the form's build reads MAX_FILE_BYTES here)
from .model import DETAIL_FIELDS, RESPONSE_TEXT_FIELDS, SETTING_LABEL, Audit, Details, Response
from .quoting import isolate
from .text_fields import MAX_TEXT_CHARS, checked_text, is_plain_text  # noqa: F401 (the form's build reads MAX_TEXT_CHARS here)

SCHEMA_NAME = "belonging-audit"
SCHEMA_VERSION = 1
SCHEMA = f"{SCHEMA_NAME}/{SCHEMA_VERSION}"
# A mutated file can hold thousands of faults; a leader needs the first few and a count.
MAX_MESSAGES = 25

_SCHEMA_PATTERN = re.compile(rf"^{SCHEMA_NAME}/(\d{{1,6}})$")


@dataclass(frozen=True)
class LoadResult:
    """Either ``audit`` (with any ``notices``) or ``problems``; never both.

    ``framework`` is the framework the audit was read against (``None`` with problems).
    """

    audit: Audit | None
    notices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    framework: Framework | None = None

    @property
    def ok(self) -> bool:
        return self.audit is not None


def load(data: str | bytes | bytearray | memoryview, framework: Framework) -> LoadResult:
    """Read a saved file's contents (text or bytes). Never raises for bad content."""
    raw, problem = _parse(data)
    if problem:
        return _failed([problem])
    return from_dict(raw, framework)


def load_any(data: str | bytes | bytearray | memoryview, framework_id: str | None = None) -> LoadResult:
    """Read a saved file against its own framework (named in the file), or ``framework_id`` if given.

    A file naming an unknown framework, or no framework, is read against the
    default framework, which gives the usual plain-English problem. An unknown
    ``framework_id`` gives a problem too. Never raises for bad content.
    """
    raw, problem = _parse(data)
    if problem:
        return _failed([problem])
    return from_dict(raw, _framework_for(raw, framework_id))


def from_value(raw: Any, framework: Framework | None = None) -> LoadResult:
    """An already-parsed saved audit (e.g. one kept in the browser as an object), read like ``load_any``:
    against ``framework`` if given, else the packaged framework it names. Never raises for bad content."""
    return from_dict(raw, framework if framework is not None else _framework_for(raw, None))


def _framework_for(raw: Any, framework_id: str | None) -> Framework:
    if framework_id is None:
        named = raw.get("framework") if isinstance(raw, dict) else None
        framework_id = named.get("id") if isinstance(named, dict) else None
        if not isinstance(framework_id, str):
            return default_framework()
    try:
        return framework_by_id(framework_id)
    except FrameworkError:
        return default_framework()


def _parse(data: str | bytes | bytearray | memoryview) -> tuple[Any, str | None]:
    """The parsed JSON value, or a problem sentence (see ``json_input``)."""
    try:
        return read_json(data), None
    except InputProblem as problem:
        return None, str(problem)


def from_dict(raw: Any, framework: Framework) -> LoadResult:
    """Check an already-parsed saved audit and build the complete Audit (all or nothing, like ``load``)."""
    if not isinstance(raw, dict):
        return _failed([f"The file is not a saved audit from this site (it holds {_describe(raw)})."])
    problems: list[str] = []
    notices: list[str] = []
    problem = _check_schema(raw)
    if problem:
        return _failed([problem])
    problem = _check_framework(raw.get("framework"), framework, notices)
    if problem:
        return _failed([problem])

    details = _read_details(raw.get("details"), framework, problems, notices)
    responses = _read_responses(raw.get("responses"), framework, problems, notices)
    notes = _read_notes(raw.get("subsection_notes"), framework, problems, notices)
    if problems:
        return _failed(problems)
    audit = Audit(
        framework_id=framework.id,
        framework_version=framework.version,
        details=details,
        responses=responses,
        subsection_notes=notes,
    )
    return LoadResult(audit=audit, notices=_capped(notices, "notice"), framework=framework)


def to_dict(audit: Audit, framework: Framework) -> dict[str, Any]:
    """The full normalised saved form: every statement and subsection, in framework order."""
    responses = {}
    for _, _, statement in framework.iter_statements():
        response = audit.response(statement.id)
        responses[statement.id] = {"rating": response.rating} | {
            key: getattr(response, key) for key in RESPONSE_TEXT_FIELDS
        }
    details = {key: getattr(audit.details, key) for key in DETAIL_FIELDS}
    if framework.settings:
        details["setting"] = audit.details.setting
    return {
        "schema": SCHEMA,
        "framework": {"id": framework.id, "version": framework.version},
        "details": details,
        "responses": responses,
        "subsection_notes": {sub.id: audit.note(sub.id) for _, sub in framework.iter_subsections()},
    }


def dumps(audit: Audit, framework: Framework) -> str:
    """Deterministic saved-file text: framework order, indent 2, UTF-8 characters kept, final newline."""
    return json.dumps(to_dict(audit, framework), ensure_ascii=False, indent=2) + "\n"


def _statement_label(statement: Statement) -> str:
    """How problems and notices name a statement: its label and the start of its wording."""
    return f"Statement {statement.ref} (‘{_shorten(statement.text, 45)}’)"


def _failed(problems: list[str]) -> LoadResult:
    return LoadResult(audit=None, problems=_capped(problems, "problem"))


def _capped(messages: list[str], noun: str) -> tuple[str, ...]:
    """At most MAX_MESSAGES messages plus a count; damaged characters quoted from the file become '?'."""
    kept = [message.encode("utf-8", "replace").decode("utf-8") for message in messages[:MAX_MESSAGES]]
    hidden = len(messages) - len(kept)
    if hidden:
        kept.append(f"…and {hidden} more {noun}{'s' if hidden > 1 else ''} like these.")
    return tuple(kept)


def _check_schema(raw: dict) -> str | None:
    if "schema" not in raw:
        return "The file is not a saved audit from this site (it has no 'schema')."
    schema = raw["schema"]
    match = _SCHEMA_PATTERN.match(schema) if isinstance(schema, str) else None
    if not match:
        return f"The file is not a saved audit from this site (its 'schema' is {_describe(schema)})."
    if int(match.group(1)) > SCHEMA_VERSION:
        return (
            f"The file was saved by a newer version of this site (format {schema}); this version reads "
            f"format {SCHEMA}. Open it with the latest version of the site."
        )
    if int(match.group(1)) < SCHEMA_VERSION:
        return f"The file uses format {schema}, which this site never wrote, so it cannot be read."
    return None


def _check_framework(raw: Any, framework: Framework, notices: list[str]) -> str | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("version"), str):
        return "The file does not say which audit it belongs to (its 'framework' entry is missing or damaged)."
    if raw["id"] != framework.id:
        try:
            other = framework_by_id(raw["id"]).title
        except FrameworkError:
            other = f"‘{isolate(_shorten(raw['id'], 60))}’"
        return f"The file is a saved {other}, not a saved {framework.title}, so it cannot be opened here."
    if raw["version"] != framework.version:
        notices.append(
            f"This audit was saved with version {isolate(_shorten(raw['version'], 30))} of the {framework.title} and has "
            f"been brought up to date with version {framework.version}. Answers to statements that are still "
            "in the audit have been kept."
        )
    return None


def _read_text(value: Any, what: str, problems: list[str], notices: list[str]) -> str:
    """A free-text value (kept, repaired and noticed by ``text_fields``), or "" with a problem for a wrong type."""
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{what} must be text; the file has {_describe(value)}.")
        return ""
    return checked_text(value, what, notices)


def _read_details(raw: Any, framework: Framework, problems: list[str], notices: list[str]) -> Details:
    if raw is None:
        return Details()
    if not isinstance(raw, dict):
        problems.append("The audit details (school, date, completed by) are not in the expected form.")
        return Details()
    texts = {key: _read_text(raw.get(key), f"The ‘{label}’ detail", problems, notices) for key, label in DETAIL_FIELDS.items()}
    return Details(**texts, setting=_read_setting(raw.get("setting"), framework, problems, notices))


def _read_setting(value: Any, framework: Framework, problems: list[str], notices: list[str]) -> str:
    """A setting id from the framework (given by id or label, any case), or "" for none chosen."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not framework.settings:
        notices.append(
            f"The file names a setting ({_describe(value)}), but the {framework.title} is the same for every "
            "setting, so it was ignored."
        )
        return ""
    lookup = {key.casefold(): s.id for s in framework.settings for key in (s.id, s.label)}
    if isinstance(value, str) and value.strip().casefold() in lookup:
        return lookup[value.strip().casefold()]
    choices = ", ".join(s.label for s in framework.settings) + " or left blank"
    problems.append(f"The ‘{SETTING_LABEL}’ detail must be {choices}; the file has {_describe(value)}.")
    return ""


def _read_responses(raw: Any, framework: Framework, problems: list[str], notices: list[str]) -> dict[str, Response]:
    responses = {statement.id: Response() for _, _, statement in framework.iter_statements()}
    if raw is None:
        return responses
    if not isinstance(raw, dict):
        problems.append("The answers in the file are not in the expected form, so none of them could be read.")
        return responses
    rating_ids = _rating_lookup(framework)
    rating_choices = ", ".join(rating.label for rating in framework.ratings) + " or left blank"
    for statement_id, value in raw.items():
        found = framework.statement_index.get(statement_id)
        if found is None:
            notices.append(_lost_answer_notice(statement_id, value, framework))
            continue
        statement = found[2]
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append(
                f"{_statement_label(statement)}: the answer is not in the expected form (the file has {_describe(value)})."
            )
            continue
        rating = value.get("rating")
        if rating is not None and not (isinstance(rating, str) and (rating.strip() == "" or rating.strip().casefold() in rating_ids)):
            problems.append(
                f"{_statement_label(statement)}: the rating must be {rating_choices}; the file has {_describe(rating)}."
            )
            rating = None
        elif isinstance(rating, str):
            rating = rating_ids.get(rating.strip().casefold())
        texts = {}
        for key, label in RESPONSE_TEXT_FIELDS.items():
            text = value.get(key)
            # Most answers need no notice: they are taken as they are, without building the label a notice needs
            # (a history of 50 long audits reads twice as fast).
            if is_plain_text(text):
                texts[key] = text
            else:
                texts[key] = _read_text(text, f"{_statement_label(statement)}: the {label.lower()}", problems, notices)
        responses[statement_id] = Response(rating=rating, **texts)
    return responses


def _read_notes(raw: Any, framework: Framework, problems: list[str], notices: list[str]) -> dict[str, str]:
    notes = {subsection.id: "" for _, subsection in framework.iter_subsections()}
    if raw is None:
        return notes
    if not isinstance(raw, dict):
        problems.append("The additional notes in the file are not in the expected form, so none of them could be read.")
        return notes
    for subsection_id, value in raw.items():
        found = framework.subsection_index.get(subsection_id)
        if found is None:
            if isinstance(value, str) and value.strip():
                notices.append(
                    f"The file has additional notes for a part of the audit this version does not include "
                    f"(‘{isolate(_shorten(subsection_id, 60))}’), so they were not loaded. The notes were: “{isolate(value)}”"
                )
            continue
        section, subsection = found
        what = f"The additional notes for {subsection.ref} {subsection.title} ({section.title})"
        notes[subsection_id] = _read_text(value, what, problems, notices)
    return notes


def _lost_answer_notice(statement_id: str, value: Any, framework: Framework) -> str:
    """Quote a no-longer-known statement and everything written for it, so the school can copy it back."""
    retired = next((r for r in framework.retired_statements if r.id == statement_id), None)
    if retired is not None:
        opening = (
            f"Statement {retired.ref} (‘{retired.text}’) is no longer part of the {framework.title}, "
            "so its answer was not carried over."
        )
    else:
        opening = (
            f"The file has an answer for a statement this version of the {framework.title} does not include "
            f"(‘{isolate(_shorten(statement_id, 60))}’), so it was not loaded."
        )
    if not isinstance(value, dict):
        return f"{opening} The answer could not be read."
    held = []
    rating = value.get("rating")
    if isinstance(rating, str) and rating.strip():
        rating_id = _rating_lookup(framework).get(rating.strip().casefold())
        held.append(f"rating {framework.rating_index[rating_id].label if rating_id else isolate(rating)}")
    for key, label in RESPONSE_TEXT_FIELDS.items():
        text = value.get(key)
        if isinstance(text, str) and text.strip():
            held.append(f"{label.lower()} “{isolate(text)}”")
    return f"{opening} The file had: {'; '.join(held)}." if held else f"{opening} It had no rating or notes."


def _rating_lookup(framework: Framework) -> dict[str, str]:
    """Accept a rating by id or label in any case ("green", "Green"); map it to the id."""
    return {key.casefold(): rating.id for rating in framework.ratings for key in (rating.id, rating.label)}


def _describe(value: Any) -> str:
    """Name a wrong value the way a non-programmer would."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"‘{'true' if value else 'false'}’"
    if isinstance(value, (int, float)):
        return f"the number {_shorten(str(value), 20)}"
    if isinstance(value, str):
        return f"'{isolate(_shorten(value, 40))}'"
    if isinstance(value, list):
        return "a list"
    return "a group of values"


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis; used when quoting long text in messages."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:–-") + "…"
