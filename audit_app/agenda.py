"""Partnership meeting preparation: Toolkit 4's key questions as a checklist, exported as an agenda.

The questions are data (``frameworks/partnership-questions.json``, verbatim
from Toolkit 4 "Key Questions to support Proactive Partnership Working"), in
three groups with stable ids ("overview-1", "support-network-3",
"school-based-8").

Input (a mapping, e.g. parsed JSON); every key is optional::

    {
      "meeting_date": "free text",
      "questions": {"<question id>": {"checked": true, "notes": "free text"}},
      "other_notes": "free text"
    }

``checked`` puts the question on the agenda. A question with notes is on the
agenda even if it is not ticked, so that no notes are lost. Items are numbered
1, 2, 3… through the whole agenda, in the toolkit's order, under their group's
heading.

No pupil identifiers: the data model has no name, date of birth or any other
field about a child, and any key other than those above is refused with a
problem rather than kept. Notes are free text, so the page should remind people
not to type names. Bad input gives plain-English problems, never an exception.

Notes follow the form's text rules (``text_fields``): a note longer than a box
holds is kept whole and half an emoji is repaired, each with a notice in the
result's ``notices``, so the agenda is always made from everything typed.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .export_markdown import md_text
from .framework import FRAMEWORKS_DIR, FrameworkError, _Checker
from .quoting import isolate
from .text_fields import MAX_TEXT_CHARS, checked_text

QUESTIONS_SCHEMA = "partnership-questions/1"
QUESTIONS_PATH = FRAMEWORKS_DIR / "partnership-questions.json"
MAX_NOTES_CHARS = MAX_TEXT_CHARS  # the meeting page's boxes (``maxlength``) are the audit form's
_TOP_KEYS = ("meeting_date", "questions", "other_notes")
_QUESTION_KEYS = ("checked", "notes")


@dataclass(frozen=True)
class Question:
    id: str
    number: str
    text: str


@dataclass(frozen=True)
class QuestionGroup:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class QuestionSet:
    schema: str
    id: str
    version: str
    title: str
    source: str
    groups: tuple[QuestionGroup, ...]

    @functools.cached_property
    def question_index(self) -> dict[str, Question]:
        return {question.id: question for group in self.groups for question in group.questions}


def parse_questions(data: str | bytes, name: str) -> QuestionSet:
    """Validate question-set JSON and build it; raises FrameworkError naming the file and entry."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FrameworkError(f"{name}: not valid JSON ({exc})") from None
    check = _Checker(name)
    top = check.obj(raw, "", required={"schema", "id", "version", "title", "source", "groups"})
    if top["schema"] != QUESTIONS_SCHEMA:
        raise check.fail("", f"'schema' must be {QUESTIONS_SCHEMA!r}; got {top['schema']!r}")
    seen: set[str] = set()
    groups = []
    for g_index, g_raw in enumerate(check.items(top, "groups", "")):
        g_where = f"groups[{g_index}]"
        g_obj = check.obj(g_raw, g_where, required={"id", "title", "questions"})
        questions = []
        for q_index, q_raw in enumerate(check.items(g_obj, "questions", g_where)):
            q_where = f"{g_where}.questions[{q_index}]"
            q_obj = check.obj(q_raw, q_where, required={"id", "number", "text"})
            question = Question(check.ident(q_obj, "id", q_where), check.text(q_obj, "number", q_where), check.text(q_obj, "text", q_where))
            if question.id in seen:
                raise check.fail(q_where, f"id {question.id!r} is used twice")
            seen.add(question.id)
            questions.append(question)
        groups.append(QuestionGroup(check.ident(g_obj, "id", g_where), check.text(g_obj, "title", g_where), tuple(questions)))
    return QuestionSet(
        schema=top["schema"],
        id=check.ident(top, "id", ""),
        version=check.text(top, "version", ""),
        title=check.text(top, "title", ""),
        source=check.text(top, "source", ""),
        groups=tuple(groups),
    )


@functools.cache
def partnership_questions() -> QuestionSet:
    """The packaged Toolkit 4 key questions, parsed once per process."""
    return load_questions(QUESTIONS_PATH)


def load_questions(path: str | Path) -> QuestionSet:
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"{file.name}: cannot be read ({exc.strerror or exc})") from None
    return parse_questions(data, file.name)


def build_agenda(values: Any, questions: QuestionSet | None = None) -> dict[str, Any]:
    """``{"ok": True, "markdown": "...", "items": n, "notices": [...]}`` or ``{"ok": False, "problems": [...]}``."""
    questions = questions or partnership_questions()
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        return _failed(["The meeting preparation is not in the expected form (a set of named values)."])
    problems: list[str] = []
    notices: list[str] = []
    for key in values:
        if key not in _TOP_KEYS:
            problems.append(
                f"‘{_safe(key)}’ is not part of the meeting preparation, which keeps only the meeting date, "
                "notes on the key questions and other notes (never a pupil’s name or other details)."
            )
    meeting_date = _text(values.get("meeting_date"), "The meeting date", problems, notices)
    other_notes = _text(values.get("other_notes"), "The other notes", problems, notices)
    answers = values.get("questions") or {}
    chosen: dict[str, tuple[bool, str]] = {}
    if not isinstance(answers, Mapping):
        problems.append("The answers to the key questions are not in the expected form.")
        answers = {}
    for question_id, answer in answers.items():
        question = questions.question_index.get(question_id)
        if question is None:
            problems.append(f"‘{_safe(question_id)}’ is not one of the key questions.")
            continue
        if answer is None:
            continue
        where = f"Question ‘{_short(question.text)}’"
        if not isinstance(answer, Mapping):
            problems.append(f"{where}: the answer is not in the expected form.")
            continue
        for key in answer:
            if key not in _QUESTION_KEYS:
                problems.append(f"{where}: ‘{_safe(key)}’ is not kept (only whether it is ticked, and notes).")
        checked = answer.get("checked", False)
        if checked is None:
            checked = False
        if not isinstance(checked, bool):
            problems.append(f"{where}: ‘checked’ must be true or false.")
            checked = False
        chosen[question_id] = (checked, _text(answer.get("notes"), f"{where}: the notes", problems, notices))
    if problems:
        return _failed(problems)

    out = ["# Partnership meeting agenda", ""]
    if meeting_date.strip():
        out += [f"**Meeting date:** {md_text(meeting_date, '  ')}", ""]
    out += [f"Questions from {md_text(questions.title)} ({md_text(questions.source)}).", ""]
    number = 0
    for group in questions.groups:
        items = [q for q in group.questions if chosen.get(q.id, (False, ""))[0] or chosen.get(q.id, (False, ""))[1].strip()]
        if not items:
            continue
        out += [f"## {md_text(group.title)}", ""]
        for question in items:
            number += 1
            notes = chosen[question.id][1]
            indent = " " * (len(str(number)) + 2)
            out += [f"{number}. {md_text(question.text, indent)}", ""]
            if notes.strip():
                out += [f"{indent}*Notes:* {md_text(notes, indent)}", ""]
    if number == 0:
        out += ["No questions chosen yet: tick the questions to discuss at the meeting.", ""]
    if other_notes.strip():
        out += ["## Other notes", "", md_text(other_notes), ""]
    out += ["## Actions agreed", "", "*To complete at the meeting: what will be done, by whom and by when.*", ""]
    return {"ok": True, "markdown": "\n".join(out).rstrip("\n") + "\n", "items": number, "notices": notices}


def _text(value: Any, what: str, problems: list[str], notices: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{what} must be text.")
        return ""
    return checked_text(value, what, notices)


def _short(text: str, limit: int = 45) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:?") + "…"


def _safe(value: Any) -> str:
    """An unknown key quoted back: short, isolated, and with damaged characters replaced."""
    return isolate(str(value)[:40].encode("utf-8", "replace").decode("utf-8"))


def _failed(problems: list[str]) -> dict[str, Any]:
    return {"ok": False, "problems": problems}
