"""Every audit a school keeps on its device: the one-file backup of all of them, and copying an audit forward.

The backup file (``belonging-audit-history/1``)
-----------------------------------------------

"Download all audits (one file)" writes, and "Import" reads back, one JSON file::

    {
      "schema": "belonging-audit-history/1",
      "exported_at": "2026-12-02T10:15:00.000Z",
      "audits": [
        {
          "id": "0d6f4c1e-8a53-4b8e-9a57-6f7b1c2d3e4f",
          "name": "Audit, 2 December 2026",
          "framework": {"id": "relational-approaches-audit", "version": "2025-04"},
          "created_at": "2026-12-02T09:00:00.000Z",
          "updated_at": "2026-12-02T10:14:00.000Z",
          "saved": { ...a saved audit, exactly the belonging-audit/1 format... }
        }
      ]
    }

* ``id``: the stable id the page gave the audit when it was created (e.g.
  ``crypto.randomUUID()``): 1 to 100 characters, letters, digits and
  ``. _ : -``, starting with a letter or digit. It is how an audit imported
  twice is recognised; the engine never invents or changes one.
* ``name``: the name the school gave it on the device (text, may be "").
* ``framework``: which audit it is (written for people and other programs;
  reading takes the framework from ``saved``, which is authoritative).
* ``created_at``, ``updated_at``, ``exported_at``: text, kept exactly as given
  (the page writes ISO 8601 times); never parsed.
* ``saved``: the audit in the saved-file format (``audit_app.savefile``), of
  any packaged framework: one backup holds every framework's audits.
* ``audits`` is in the order the page gave (the page gives them oldest first);
  the file is written deterministically: the same list gives the same bytes.

Reading (``read_backup``) checks the file as any file is checked
(``json_input``: size, encoding, nesting), then the backup's own form, then
every audit by ``savefile``'s rules (migrating other versions, with notices).
All or nothing, like a single saved audit: any problem and nothing is read.
Problems and notices about one audit start with "Audit N" (its place in the
file, from 1) and its name, bidi-isolated. Two audits with the same id in one
file are a problem (the file was changed by something else); an id the
page already holds is for the page to notice: the engine reports every id.

A single saved audit (``belonging-audit/1``) is accepted where a backup is
expected, so the one Import button takes both: it reads as ``kind: "audit"``
with one entry whose ``id`` is ``None`` (the page gives it a new id), ``name``
"" and empty times. Such a file has no id to recognise it by; the normalised
``saved`` form is deterministic, so the page can compare it with what it holds.

Writing (``write_backup``) takes the page's list, reads every ``saved`` by the
same rules (so a file that is written always reads back) and refuses, rather
than writes, a file that would be too large to import again
(``json_input.MAX_FILE_BYTES``).

Copy forward
------------

How schools re-audit: ``copy_forward`` starts a new audit from the latest one,
keeping what still holds and clearing what must be judged afresh:

* kept, for every statement: the **evidence**, the **next step**, its
  **owner** and its **success criteria** (the action is the same action
  until it is reviewed), and every subsection's **additional notes**;
* cleared: every **rating** (the point of re-auditing), each statement's
  **target date** and **review date** (set for the last cycle, so they would
  read as overdue or misleading);
* details: the **school** and the **setting** kept; the **date** and
  **completed by** cleared (a new audit, possibly by someone else).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import savefile
from .compare import _whole_percent
from .framework import Framework
from .json_input import MAX_FILE_BYTES, InputProblem, read_json, size_problem
from .model import Audit, Details, Response
from .quoting import isolate
from .scoring import score
from .text_fields import checked_text

SCHEMA_NAME = "belonging-audit-history"
SCHEMA_VERSION = 1
SCHEMA = f"{SCHEMA_NAME}/{SCHEMA_VERSION}"
MAX_AUDITS = 1000
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
# What copy_forward keeps of each statement's answer (the rating and the other fields are cleared).
KEPT_FIELDS = ("evidence", "next_step", "owner", "success_criteria")

_SCHEMA_PATTERN = re.compile(rf"^{SCHEMA_NAME}/(\d{{1,6}})$")
_TEXT_KEYS = {"name": "name", "created_at": "time it was created", "updated_at": "time it was last changed"}


@dataclass(frozen=True)
class Entry:
    """One audit of the history, read and normalised."""

    id: str | None
    name: str
    created_at: str
    updated_at: str
    audit: Audit
    framework: Framework

    def as_dict(self) -> dict[str, Any]:
        """``read_history_backup``'s entry: the file's fields, ``saved`` normalised, and a ``summary`` for the list."""
        overall = score(self.framework, self.audit).overall
        return {
            "id": self.id,
            "name": self.name,
            "framework": {"id": self.framework.id, "version": self.framework.version, "title": self.framework.title},
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "saved": savefile.to_dict(self.audit, self.framework),
            "summary": {
                "percent": overall.percent,
                "band": overall.band,
                "band_label": overall.band_label,
                "rated": overall.rated,
                "total": overall.total,
                "coverage_percent": _whole_percent(overall.rated, overall.total),
                "status": overall.status,
            },
        }

    def file_dict(self) -> dict[str, Any]:
        """The entry as the backup file holds it."""
        return {
            "id": self.id,
            "name": self.name,
            "framework": {"id": self.framework.id, "version": self.framework.version},
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "saved": savefile.to_dict(self.audit, self.framework),
        }


@dataclass(frozen=True)
class BackupResult:
    """Either ``entries`` (with ``kind``, ``exported_at`` and any ``notices``) or ``problems``; never both."""

    entries: tuple[Entry, ...] | None
    kind: str = "backup"  # "backup" | "audit" (a single saved audit)
    exported_at: str = ""
    notices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.entries is not None

    def as_dict(self) -> dict[str, Any]:
        if not self.ok:
            return {"ok": False, "problems": list(self.problems)}
        return {
            "ok": True,
            "kind": self.kind,
            "exported_at": self.exported_at,
            "audits": [entry.as_dict() for entry in self.entries],
            "notices": list(self.notices),
        }


def read_backup(data: str | bytes | bytearray | memoryview) -> BackupResult:
    """Read a backup file (or a single saved audit) from its bytes or text. Never raises for bad content."""
    try:
        raw = read_json(data)
    except InputProblem as problem:
        return _failed([str(problem)])
    return from_value(raw)


def from_value(raw: Any) -> BackupResult:
    """Read an already-parsed backup (or single saved audit); see the module docstring."""
    if is_backup(raw):
        return _read_entries(raw)
    result = savefile.from_value(raw)
    if not result.ok:
        return _failed(list(result.problems))
    entry = Entry(None, "", "", "", result.audit, result.framework)
    return BackupResult((entry,), kind="audit", notices=result.notices)


def is_backup(raw: Any) -> bool:
    """Whether a parsed file says it is a backup of audits (rather than a single saved audit)."""
    return isinstance(raw, dict) and isinstance(raw.get("schema"), str) and raw["schema"].startswith(SCHEMA_NAME + "/")


def write_backup(value: Any) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The backup file's text from the page's list: ``(text, notices, problems)``; text is None with problems.

    ``value`` is ``{"exported_at": str, "audits": [entry, ...]}`` (or just the list), each entry
    ``{"id", "name", "created_at", "updated_at", "saved"}`` where ``saved`` is a saved audit as an
    object, or as its JSON text or bytes. Every entry is checked as on reading.
    """
    if isinstance(value, list):
        value = {"audits": value}
    if not isinstance(value, Mapping):
        return None, (), ("The audits to back up must be a list.",)
    exported_at = value.get("exported_at")
    if exported_at is not None and not isinstance(exported_at, str):
        return None, (), ("The time of the backup must be text.",)
    result = _read_entries({"schema": SCHEMA, "exported_at": exported_at, "audits": value.get("audits")}, writing=True)
    if not result.ok:
        return None, (), result.problems
    text = json.dumps(
        {"schema": SCHEMA, "exported_at": result.exported_at, "audits": [entry.file_dict() for entry in result.entries]},
        ensure_ascii=False,
        indent=2,
    ) + "\n"
    size = len(text) if len(text) > MAX_FILE_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size_problem(size):
        return None, (), (
            f"These {len(result.entries)} audits together are too large for one file ({size / 1024 / 1024:.1f} MB; a file "
            f"can be read back only up to {MAX_FILE_BYTES // 1024 // 1024} MB). Download them one by one instead.",
        )
    return text, result.notices, ()


def copy_forward(framework: Framework, audit: Audit) -> Audit:
    """A new audit started from ``audit`` (see the module docstring for what is kept and what is cleared)."""
    responses = {
        statement.id: Response(**{key: getattr(audit.response(statement.id), key) for key in KEPT_FIELDS})
        for _, _, statement in framework.iter_statements()
    }
    return dataclasses.replace(
        audit,
        details=Details(school=audit.details.school, setting=audit.details.setting),
        responses=responses,
        subsection_notes={sub.id: audit.note(sub.id) for _, sub in framework.iter_subsections()},
    )


def _read_entries(raw: dict[str, Any], *, writing: bool = False) -> BackupResult:
    match = _SCHEMA_PATTERN.match(raw["schema"])
    if not match:
        return _failed([f"The file is not a backup of audits from this site (its 'schema' is ‘{isolate(raw['schema'][:60])}’)."])
    if int(match.group(1)) > SCHEMA_VERSION:
        return _failed([
            f"The file was saved by a newer version of this site (format {raw['schema']}); this version reads "
            f"format {SCHEMA}. Open it with the latest version of the site."
        ])
    if int(match.group(1)) < SCHEMA_VERSION:
        return _failed([f"The file uses format {raw['schema']}, which this site never wrote, so it cannot be read."])
    exported_at = raw.get("exported_at")
    if exported_at is not None and not isinstance(exported_at, str):
        return _failed(["The file's time of backup ('exported_at') must be text."])
    audits = raw.get("audits")
    if not isinstance(audits, list):
        return _failed(["The list of audits is missing or damaged." if writing else
                        "The file does not hold a list of audits (its 'audits' entry is missing or damaged)."])
    if not audits and not writing:
        return _failed(["The file holds no audits."])
    if len(audits) > MAX_AUDITS:
        return _failed([f"At most {MAX_AUDITS:,} audits can be kept in one file; this one holds {len(audits):,}."])
    problems: list[str] = []
    notices: list[str] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for position, item in enumerate(audits, 1):
        entry = _read_entry(item, position, problems, notices, writing)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                f"Audits {seen[entry.id]} and {position} {'' if writing else 'in the file '}have the same id "
                f"(‘{isolate(entry.id)}’), so one could be taken for the other. "
                + ("" if writing else "The file may have been changed by another program.")
            )
        seen.setdefault(entry.id, position)
        entries.append(entry)
    if problems:
        return _failed(problems)
    return BackupResult(tuple(entries), exported_at=exported_at or "", notices=_capped(notices, "notice"))


def _read_entry(item: Any, position: int, problems: list[str], notices: list[str], writing: bool) -> Entry | None:
    if not isinstance(item, Mapping):
        problems.append(f"Audit {position}: it is not in the expected form.")
        return None
    name = item.get("name")
    who = f"Audit {position}" + (f" (‘{isolate(name.strip())}’)" if isinstance(name, str) and name.strip() else "")
    texts: dict[str, str] = {}
    for key, what in _TEXT_KEYS.items():
        value = item.get(key)
        if value is None:
            texts[key] = ""
        elif isinstance(value, str):
            texts[key] = checked_text(value, f"{who}: the {what}", notices)
        else:
            problems.append(f"{who}: the {what} must be text.")
    identifier = item.get("id")
    if not isinstance(identifier, str) or not ID_PATTERN.match(identifier):
        problems.append(
            f"{who}: its id is missing or damaged, so it could not be told apart from other audits"
            + (" (the page gives every audit an id: 1 to 100 letters, digits, dots, colons, hyphens or underscores)." if writing else
               ". The file may have been changed by another program.")
        )
        identifier = None
    saved = item.get("saved")
    if isinstance(saved, Mapping):
        result = savefile.from_value(dict(saved))
    elif writing and isinstance(saved, (str, bytes, bytearray, memoryview)):
        result = savefile.load_any(saved)
    else:
        problems.append(f"{who}: the saved audit is missing or damaged.")
        return None
    problems += [f"{who}: {problem}" for problem in result.problems]
    notices += [f"{who}: {notice}" for notice in result.notices]
    if not result.ok or identifier is None or len(texts) < len(_TEXT_KEYS):
        return None
    return Entry(identifier, texts["name"], texts["created_at"], texts["updated_at"], result.audit, result.framework)


def _failed(problems: Sequence[str]) -> BackupResult:
    return BackupResult(None, problems=_capped(list(problems), "problem"))


def _capped(messages: list[str], noun: str) -> tuple[str, ...]:
    """At most ``savefile.MAX_MESSAGES`` messages and a count of the rest, damaged characters as '?': as for one audit."""
    return savefile._capped(messages, noun)
