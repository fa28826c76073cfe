"""Moderate a team's audits: everyone's ratings side by side, and a draft agreed audit for the lead.

Several colleagues complete the same audit separately; the lead gathers their
saved files, sees where they agree and disagree, and settles an agreed audit.
This module does the gathering. It never decides a disputed rating.

Who is who: each file is named by its ``completed_by`` detail, or else the name
it was given (the file name), or else "Colleague N" (N = its place in the list,
from 1). A name used twice gets " (2)", " (3)"… so every column is distinct.

The spread (one entry per statement that applies to the agreed setting, in
framework order): each colleague's rating, counts per rating (plus
``unrated``), everyone's notes side by side, and ``disagreement``: true when
those who rated the statement gave more than one distinct rating (colleagues
who left it unrated never disagree). ``agreed_rating`` is the one rating when
everyone who rated it agreed, else ``None``.

The agreed audit (a normal saved audit, loadable like any other):

* **Ratings**: pre-filled where everyone who rated the statement gave the same
  rating; left unrated where they disagree or nobody rated it.
* **Evidence**: everyone's evidence gathered, each labelled with its writer's
  name ("Sam: …"), entries separated by a blank line; identical text from
  several people appears once, labelled with all their names ("Sam, Jo: …").
* **Next step, owner, dates, success criteria**: copied when everyone who filled
  the field in wrote the same; otherwise left blank for the lead, and each
  version is added to the evidence labelled with the name and the field ("Sam
  (next step): …"), so nothing is lost.
* **Additional notes** (per subsection): gathered like the evidence.
* **Details**: each detail is copied when everyone gave the same (blank ones
  aside), otherwise the distinct values are joined with " / ". The setting is
  the one setting everyone chose; if they chose different ones it is left
  unchosen and a notice says who chose what.
* A gathered text longer than a box on the form holds (``text_fields.MAX_TEXT_CHARS``)
  is cut short with a note saying so, and a notice names where; the spread keeps
  everything. (A single colleague's text that is already longer is kept whole
  when that file is merged alone, as ``savefile`` reads it.)

One file ("merging one file gives that file"): with a single file nothing is
labelled or gathered: the agreed audit equals the audit read from that file,
every rating, text, note and detail exactly as ``savefile.load`` reads it.

All files must be saved audits of the same framework (other versions of it are
brought up to date as usual, with notices naming the file). Bad input gives
plain-English problems, each starting with the file's name; never an exception.
Names quoted in problems and notices are bidi-isolated (``quoting.isolate``);
the spread and the agreed audit hold them as given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import savefile
from .export_markdown import md_text
from .framework import Framework
from .model import DETAIL_FIELDS, NOT_RATED_LABEL, RESPONSE_TEXT_FIELDS, SETTING_LABEL, Audit, Details, Response
from .quoting import isolate
from .text_fields import MAX_TEXT_CHARS

MAX_FILES = 50
MAX_NAME_CHARS = 80
FORMATS = ("md", "json")
_CUT_NOTE = "\n\n[Cut short here: the team's full notes are in the spread report.]"
_AGREEABLE_FIELDS = tuple(key for key in RESPONSE_TEXT_FIELDS if key != "evidence")


@dataclass(frozen=True)
class Colleague:
    name: str
    audit: Audit


@dataclass(frozen=True)
class MergeResult:
    """Either the merge (``agreed``, ``spread`` …) or ``problems``; never both."""

    framework: Framework | None
    colleagues: tuple[Colleague, ...] = ()
    agreed: Audit | None = None
    spread: tuple[dict[str, Any], ...] = ()
    note_spread: tuple[dict[str, Any], ...] = ()
    notices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.agreed is not None

    def as_dict(self) -> dict[str, Any]:
        """The bridge's ``merge`` result (and the JSON report): see ``audit_app.bridge``."""
        if not self.ok:
            return {"ok": False, "problems": list(self.problems)}
        framework = self.framework
        return {
            "ok": True,
            "framework": {"id": framework.id, "version": framework.version, "title": framework.title},
            "colleagues": [colleague.name for colleague in self.colleagues],
            "setting": self.agreed.details.setting,
            "summary": summary(self),
            "spread": list(self.spread),
            "subsection_notes": list(self.note_spread),
            "agreed": savefile.to_dict(self.agreed, framework),
            "notices": list(self.notices),
        }


def merge_saved(files: Sequence[tuple[str, str | bytes]], framework: Framework | None = None) -> MergeResult:
    """Merge saved files given as ``(name, contents)``; ``name`` may be "" (see the module docstring).

    Each file is read against the framework it names, or against ``framework`` when given.
    """
    if not files:
        return MergeResult(None, problems=("Choose at least one saved audit to merge.",))
    if len(files) > MAX_FILES:
        return MergeResult(None, problems=(f"At most {MAX_FILES} audits can be merged at once; {len(files)} were given.",))
    labels = [_file_label(name, index) for index, (name, _) in enumerate(files)]
    results = [savefile.load(data, framework) if framework else savefile.load_any(data) for _, data in files]
    problems = [f"{label}: {problem}" for label, result in zip(labels, results) for problem in result.problems]
    if problems:
        return MergeResult(None, problems=tuple(problems))
    first = results[0].framework
    others = [(label, result.framework) for label, result in zip(labels, results) if result.framework.id != first.id]
    if others:
        label, other = others[0]
        return MergeResult(
            None,
            problems=(
                f"The files are not all the same audit: {labels[0]} is a saved {first.title} but {label} is a saved "
                f"{other.title}. Only saved copies of the same audit can be merged.",
            ),
        )
    notices = [f"{label}: {notice}" for label, result in zip(labels, results) for notice in result.notices]
    names = _unique_names(
        [result.audit.details.completed_by.strip() or name.strip() or f"Colleague {index}"
         for index, ((name, _), result) in enumerate(zip(files, results), 1)]
    )
    colleagues = [Colleague(name, result.audit) for name, result in zip(names, results)]
    return merge(first, colleagues, notices)


def merge(framework: Framework, colleagues: Sequence[Colleague], notices: Sequence[str] = ()) -> MergeResult:
    """Merge already-read audits of ``framework`` (names must be distinct)."""
    notices = list(notices)
    single = len(colleagues) == 1
    labels = {rating.id: rating.label for rating in framework.ratings}
    setting = _agreed_setting(framework, colleagues, notices)

    responses: dict[str, Response] = {}
    for section, subsection, statement in framework.iter_statements():
        answers = [(c.name, c.audit.response(statement.id)) for c in colleagues]
        if single:
            responses[statement.id] = answers[0][1]
            continue
        given = {response.rating for _, response in answers if response.rating is not None}
        fields: dict[str, str] = {}
        overflow: list[tuple[str, str]] = []
        for key in _AGREEABLE_FIELDS:
            values = [(name, getattr(response, key)) for name, response in answers if getattr(response, key).strip()]
            if len({value for _, value in values}) == 1:
                fields[key] = values[0][1]
            else:
                fields[key] = ""
                label = RESPONSE_TEXT_FIELDS[key].lower()
                overflow += [(f"{name} ({label})", value) for name, value in values]
        evidence = _gathered([(name, response.evidence) for name, response in answers] + overflow)
        responses[statement.id] = Response(
            rating=next(iter(given)) if len(given) == 1 else None,
            evidence=_capped(evidence, f"the evidence for statement {statement.ref}", notices),
            **fields,
        )

    notes = {}
    for section, subsection in framework.iter_subsections():
        values = [(c.name, c.audit.note(subsection.id)) for c in colleagues]
        notes[subsection.id] = values[0][1] if single else _capped(
            _gathered(values), f"the additional notes for {subsection.ref} {subsection.title}", notices
        )

    if single:
        details = colleagues[0].audit.details
    else:
        details = Details(
            **{key: _capped(_agreed_detail([getattr(c.audit.details, key) for c in colleagues]), f"the ‘{label}’ detail", notices)
               for key, label in DETAIL_FIELDS.items()},
            setting=setting,
        )
    agreed = Audit(framework.id, framework.version, details=details, responses=responses, subsection_notes=notes)

    spread = []
    view = framework.for_setting(setting)
    for section, subsection, statement in view.iter_statements():
        ratings = [(c.name, c.audit.response(statement.id).rating) for c in colleagues]
        counts = dict.fromkeys(labels, 0) | {"unrated": 0}
        for _, rating in ratings:
            counts[rating if rating in labels else "unrated"] += 1
        given = {rating for _, rating in ratings if rating in labels}
        spread.append(
            {
                "statement_id": statement.id,
                "ref": statement.ref,
                "section_title": section.title,
                "subsection_title": subsection.title,
                "text": statement.text,
                "examples": list(statement.examples),
                "counts": counts,
                "ratings": [
                    {"name": name, "rating": rating, "rating_label": labels.get(rating, NOT_RATED_LABEL)}
                    for name, rating in ratings
                ],
                "disagreement": len(given) > 1,
                "agreed_rating": next(iter(given)) if len(given) == 1 else None,
                "notes": [
                    {"name": c.name, **{key: getattr(c.audit.response(statement.id), key) for key in RESPONSE_TEXT_FIELDS}}
                    for c in colleagues
                ],
            }
        )
    note_spread = [
        {
            "subsection_id": subsection.id,
            "ref": subsection.ref,
            "title": subsection.title,
            "section_title": section.title,
            "notes": [{"name": c.name, "note": c.audit.note(subsection.id)} for c in colleagues],
        }
        for section, subsection in view.iter_subsections()
    ]
    return MergeResult(
        framework=framework,
        colleagues=tuple(colleagues),
        agreed=agreed,
        spread=tuple(spread),
        note_spread=tuple(note_spread),
        notices=tuple(notices),
    )


def summary(result: MergeResult) -> dict[str, int]:
    """How many statements everyone agreed on, disagreed on, or nobody rated."""
    agreed = sum(1 for item in result.spread if item["agreed_rating"] is not None)
    disagreed = sum(1 for item in result.spread if item["disagreement"])
    return {
        "statements": len(result.spread),
        "agreed": agreed,
        "disagreement": disagreed,
        "not_rated": len(result.spread) - agreed - disagreed,
    }


def render_report(result: MergeResult, fmt: str) -> str:
    """The spread as Markdown (for the moderation meeting) or JSON (``as_dict``); unknown ``fmt`` raises ValueError."""
    if fmt == "json":
        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt != "md":
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    framework = result.framework
    labels = [rating.label for rating in framework.ratings]
    counted = summary(result)
    out = [f"# {md_text(framework.title)}: team ratings side by side", ""]
    out += [f"Audits from: {md_text(', '.join(colleague.name for colleague in result.colleagues))}.", ""]
    if result.agreed.details.setting:
        out += [f"{SETTING_LABEL}: {md_text(framework.setting_label(result.agreed.details.setting))}.", ""]
    out += [
        f"- **Everyone who rated it agreed:** {counted['agreed']} of {counted['statements']} statements "
        "(the agreed audit has these ratings filled in)",
        f"- **Ratings differ:** {counted['disagreement']} (left unrated in the agreed audit for the lead to settle)",
        f"- **Nobody rated it:** {counted['not_rated']}",
        "",
    ]
    if result.notices:
        out += ["## Notices", ""] + [f"- {md_text(notice, '  ')}" for notice in result.notices] + [""]
    out += ["## Statements", ""]
    for item in result.spread:
        if item["disagreement"]:
            verdict = "Ratings differ"
        elif item["agreed_rating"] is not None:
            verdict = "Agreed: " + next(r["rating_label"] for r in item["ratings"] if r["rating"] == item["agreed_rating"])
        else:
            verdict = "Not rated by anyone"
        out += [
            f"### {item['ref']} · {md_text(verdict)}",
            "",
            f"*{md_text(item['section_title'])} › {md_text(item['subsection_title'])}*",
            "",
            md_text(item["text"]),
            "",
            "Ratings: " + ", ".join(
                f"{md_text(label)} {item['counts'][rating.id]}" for label, rating in zip(labels, framework.ratings)
            ) + f", {NOT_RATED_LABEL.lower()} {item['counts']['unrated']}.",
            "",
        ]
        if not item["counts"]["unrated"] < len(item["ratings"]) and not any(
            notes[key].strip() for notes in item["notes"] for key in RESPONSE_TEXT_FIELDS
        ):
            out += ["*Nobody rated this statement or wrote anything for it.*", ""]
            continue
        for rating, notes in zip(item["ratings"], item["notes"]):
            written = [
                f"{label}: {md_text(notes[key], '    ')}" for key, label in RESPONSE_TEXT_FIELDS.items() if notes[key].strip()
            ]
            out.append(f"- **{md_text(rating['name'])}**: {md_text(rating['rating_label'])}")
            out += [f"  - {line}" for line in written]
        out.append("")
    written_notes = [entry for entry in result.note_spread if any(n["note"].strip() for n in entry["notes"])]
    if written_notes:
        out += ["## Additional notes", ""]
        for entry in written_notes:
            out += [f"### {entry['ref']} {md_text(entry['title'])} ({md_text(entry['section_title'])})", ""]
            out += [f"- **{md_text(n['name'])}**: {md_text(n['note'], '  ')}" for n in entry["notes"] if n["note"].strip()]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _clean_name(name: str) -> str:
    """One line, at most MAX_NAME_CHARS, damaged characters replaced: names label notes and columns."""
    return " ".join(name.split())[:MAX_NAME_CHARS].encode("utf-8", "replace").decode("utf-8")


def _file_label(name: Any, index: int) -> str:
    """How messages name a file: its name, isolated (the user chose it), or "File N"."""
    return isolate(_clean_name(name)) if isinstance(name, str) and name.strip() else f"File {index + 1}"


def _unique_names(names: list[str]) -> list[str]:
    names = [_clean_name(name) for name in names]
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _gathered(entries: list[tuple[str, str]]) -> str:
    """"Name: text" entries separated by blank lines; identical texts appear once under all their names."""
    order: list[str] = []
    writers: dict[str, list[str]] = {}
    for name, text in entries:
        if text.strip():
            if text not in writers:
                order.append(text)
                writers[text] = []
            writers[text].append(name)
    return "\n\n".join(f"{', '.join(writers[text])}: {text}" for text in order)


def _capped(text: str, what: str, notices: list[str]) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    notices.append(
        f"The team's text for {what} was longer than a box on the form holds, so the agreed audit has the start "
        "of it; the spread report has all of it."
    )
    return text[: MAX_TEXT_CHARS - len(_CUT_NOTE)] + _CUT_NOTE


def _agreed_detail(values: list[str]) -> str:
    distinct = list(dict.fromkeys(value for value in values if value.strip()))
    return " / ".join(distinct)


def _agreed_setting(framework: Framework, colleagues: Sequence[Colleague], notices: list[str]) -> str:
    chosen = {c.audit.details.setting for c in colleagues if c.audit.details.setting}
    if len(chosen) <= 1:
        return next(iter(chosen), "")
    who = "; ".join(
        f"{isolate(c.name)}: {framework.setting_label(c.audit.details.setting) or 'none chosen'}" for c in colleagues
    )
    notices.append(
        f"The audits were recorded for different settings ({who}), so the agreed audit has no setting chosen and "
        "covers every part; choose the setting before settling it."
    )
    return ""
