"""Missed learning: what an attendance figure means in days, weeks, sessions and lessons.

Toolkit 4 asks "What is the young person's current attendance and what does
this mean in terms of missed learning (rather than just a percentage)?". This
turns an attendance figure into the time missed, so far and at the same rate
over a full school year and over a key stage.

Input (a mapping, e.g. parsed JSON), one of:

* ``percent``: attendance as a percentage, 0 to 100 ("87", 87 or "87%"); or
* ``attended`` and ``possible``: sessions attended out of sessions possible
  (whole numbers; possible more than 0; attended no more than possible).

Assumptions, each optional (``None`` or "" means the default):

* ``school_days_per_year``: school days in a full year, default 190;
* ``sessions_per_day``: attendance sessions a day, default 2 (morning and afternoon);
* ``lessons_per_day``: default 5. Approximate: secondary schools often have 5 or
  6 lessons a day, primary days are not divided the same way; change it to
  match the timetable. Lessons are always shown as "about".
* ``days_so_far``: school days so far this year. With a percentage it gives the
  "so far" figures; without it a percentage gives only full-year, key-stage and
  per-week figures. With sessions, "so far" is the period the sessions cover
  (possible ÷ sessions per day school days) and ``days_so_far`` is not used.
* ``key_stage_years``: years in the key stage, default 2 (Key Stage 4; Key
  Stage 3 is 3 years, Key Stage 2 is 4, Key Stage 1 is 2).

Output figures per period (``so_far`` — or ``None`` —, ``full_year``,
``key_stage``): ``days_possible``, ``days_missed``, ``weeks_missed`` (5-day
school weeks), ``sessions_possible``, ``sessions_missed`` and ``lessons_missed``
(approximate), plus ``per_week`` (days, sessions and lessons missed in an
average school week). Arithmetic is exact (fractions); days, weeks and sessions
are then rounded half up to one decimal place and lessons to a whole number,
and a value that comes out whole is given as a whole number. Rounding never
lets days missed exceed days possible.

Flags use the Department for Education's terms: **persistent absence** is
missing 10% or more of possible sessions, **severe absence** 50% or more.

Nothing identifies a pupil: no name or other identifier is asked for, and any
input key other than those above is refused with a problem rather than kept.
Bad input gives plain-English problems, never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .quoting import isolate

DAYS_PER_WEEK = 5
PERSISTENT_SHARE = Fraction(1, 10)
SEVERE_SHARE = Fraction(1, 2)
DEFAULTS: dict[str, int | None] = {
    "school_days_per_year": 190,
    "sessions_per_day": 2,
    "lessons_per_day": 5,
    "days_so_far": None,
    "key_stage_years": 2,
}
LABELS: dict[str, str] = {
    "percent": "Attendance (%)",
    "attended": "Sessions attended",
    "possible": "Sessions possible",
    "school_days_per_year": "School days in a full year",
    "sessions_per_day": "Sessions per day",
    "lessons_per_day": "Lessons per day",
    "days_so_far": "School days so far this year",
    "key_stage_years": "Years in the key stage",
}
FLAGS = (
    ("persistent-absence", "Persistent absence", PERSISTENT_SHARE,
     "missing 10% or more of possible sessions (the Department for Education’s definition)"),
    ("severe-absence", "Severe absence", SEVERE_SHARE,
     "missing 50% or more of possible sessions (the Department for Education’s definition)"),
)
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_MAX_SESSIONS = 100_000
# No real figure here comes near these; beyond them Python may refuse to convert
# the number at all (4,300 digits) or print thousands of digits back.
_MAX_DIGITS = 30
_MAX_MAGNITUDE = 10**_MAX_DIGITS


def calculate(values: Any) -> dict[str, Any]:
    """``{"ok": True, ...figures...}`` or ``{"ok": False, "problems": [...]}`` (see the module docstring)."""
    if not isinstance(values, Mapping):
        return _failed(["The calculator needs its figures as named values (attendance, and any assumptions)."])
    problems: list[str] = []
    for key in values:
        if key not in LABELS:
            problems.append(
                f"‘{isolate(_safe(key))}’ is not something this calculator uses: it needs only attendance figures and "
                "the assumptions, never a pupil’s name or other details."
            )
    given = {key: values[key] for key in LABELS if key in values and not _blank(values[key])}

    assumptions = {
        "school_days_per_year": _number(given, "school_days_per_year", problems, whole=True, low=1, high=366),
        "sessions_per_day": _number(given, "sessions_per_day", problems, whole=True, low=1, high=10),
        "lessons_per_day": _number(given, "lessons_per_day", problems, whole=False, low=0, high=20, above_low=True),
        "days_so_far": _number(given, "days_so_far", problems, whole=True, low=1, high=366),
        "key_stage_years": _number(given, "key_stage_years", problems, whole=True, low=1, high=7),
    }
    for key, default in DEFAULTS.items():
        if key not in given:
            assumptions[key] = None if default is None else Fraction(default)
    year_days, per_day = assumptions["school_days_per_year"], assumptions["sessions_per_day"]
    so_far_days = assumptions["days_so_far"]
    if so_far_days is not None and year_days is not None and so_far_days > year_days:
        problems.append(
            f"{LABELS['days_so_far']} ({_show(so_far_days)}) cannot be more than the "
            f"{LABELS['school_days_per_year'].lower()} ({_show(year_days)})."
        )

    by_percent = "percent" in given
    by_sessions = "attended" in given or "possible" in given
    missed_share = None
    attended = possible = None
    if by_percent and by_sessions:
        problems.append("Give either the attendance percentage or the sessions attended and possible, not both.")
    elif by_percent:
        percent = _number(given, "percent", problems, whole=False, low=0, high=100, percent=True)
        if percent is not None:
            missed_share = 1 - percent / 100
    elif by_sessions:
        if "attended" not in given:
            problems.append(f"Give the {LABELS['attended'].lower()} as well as the {LABELS['possible'].lower()}.")
        elif "possible" not in given:
            problems.append(f"Give the {LABELS['possible'].lower()} as well as the {LABELS['attended'].lower()}.")
        else:
            attended = _number(given, "attended", problems, whole=True, low=0, high=_MAX_SESSIONS)
            possible = _number(given, "possible", problems, whole=True, low=0, high=_MAX_SESSIONS)
            if possible == 0:
                problems.append(
                    f"{LABELS['possible']} must be more than 0: with no possible sessions there is no attendance to work out."
                )
            elif attended is not None and possible is not None:
                if attended > possible:
                    problems.append(
                        f"{LABELS['attended']} ({_show(attended)}) cannot be more than {LABELS['possible'].lower()} "
                        f"({_show(possible)})."
                    )
                elif year_days is not None and per_day is not None and possible > year_days * per_day:
                    problems.append(
                        f"{LABELS['possible']} ({_show(possible)}) is more than a full school year holds at these "
                        f"assumptions ({_show(year_days)} days × {_show(per_day)} sessions = {_show(year_days * per_day)}). "
                        "Check the figures, or change the school days in a full year."
                    )
                else:
                    missed_share = (possible - attended) / possible
    else:
        problems.append("Give the attendance as a percentage, or the sessions attended and the sessions possible.")
    if problems:
        return _failed(problems)

    lessons, years = assumptions["lessons_per_day"], assumptions["key_stage_years"]
    notes = [
        f"Approximate: assumes {_show(year_days)} school days in a full year, {_show(per_day)} sessions a day and "
        f"{_show(lessons)} lessons a day, and {DAYS_PER_WEEK}-day school weeks. Secondary schools often have 5 or 6 "
        "lessons a day; change the lessons per day to match the timetable.",
        f"Full-year and key-stage figures assume attendance stays at this rate; the key stage is taken as "
        f"{_show(years)} year{'s' if years != 1 else ''} (Key Stage 3 is 3 years, Key Stage 4 is 2).",
    ]
    if by_sessions:
        so_far = _period(Fraction(possible) / per_day, missed_share, per_day, lessons)
        so_far["sessions_missed"] = _out(possible - attended, 1)  # exact, as recorded
        if so_far_days is not None:
            notes.append(
                f"{LABELS['days_so_far']} was not used: the sessions possible already say how much of the year has passed."
            )
    elif so_far_days is not None:
        so_far = _period(so_far_days, missed_share, per_day, lessons)
    else:
        so_far = None
        notes.append(f"Give the {LABELS['days_so_far'].lower()} to see what has been missed so far.")
    full_year = _period(year_days, missed_share, per_day, lessons)
    key_stage = _period(year_days * years, missed_share, per_day, lessons) | {"years": _out(years, 1)}
    per_week = {
        "days_missed": _out(missed_share * DAYS_PER_WEEK, 1),
        "sessions_missed": _out(missed_share * DAYS_PER_WEEK * per_day, 1),
        "lessons_missed": _out(missed_share * DAYS_PER_WEEK * lessons, 1),
    }
    flags = [
        {"id": flag_id, "label": label, "applies": missed_share >= share, "description": description}
        for flag_id, label, share, description in FLAGS
    ]
    attendance_percent = _out((1 - missed_share) * 100, 1)
    absence_percent = _out(missed_share * 100, 1)
    result = {
        "ok": True,
        "input": (
            {"kind": "sessions", "attended": _out(attended, 0), "possible": _out(possible, 0)}
            if by_sessions
            else {"kind": "percent", "percent": _out((1 - missed_share) * 100, 6)}
        ),
        "assumptions": {key: (None if value is None else _out(value, 6)) for key, value in assumptions.items()},
        "attendance_percent": attendance_percent,
        "absence_percent": absence_percent,
        "so_far": so_far,
        "per_week": per_week,
        "full_year": full_year,
        "key_stage": key_stage,
        "persistent_absence": flags[0]["applies"],
        "severe_absence": flags[1]["applies"],
        "flags": flags,
        "notes": notes,
    }
    result["summary"] = _summary(result)
    return result


def render_text(result: Mapping[str, Any]) -> str:
    """The result as a few plain sentences (the command line's output); problems as a list."""
    if not result.get("ok"):
        return "\n".join(f"- {problem}" for problem in result["problems"]) + "\n"
    return "\n".join([*result["summary"], "", *(f"Note: {note}" for note in result["notes"])]) + "\n"


def _summary(result: Mapping[str, Any]) -> list[str]:
    meaning = (
        f"attendance of {_show(result['attendance_percent'])}% means missing about {_show(result['absence_percent'])} "
        "in every 100 sessions."
    )
    if result["input"]["kind"] == "sessions":
        lines = [f"{_show(result['input']['attended'])} of {_show(result['input']['possible'])} sessions attended: {meaning}"]
    else:
        lines = [meaning[0].upper() + meaning[1:]]
    week = result["per_week"]
    lines.append(
        f"In an average school week: {_show(week['days_missed'])} days, {_show(week['sessions_missed'])} sessions, "
        f"about {_show(week['lessons_missed'])} lessons missed."
    )
    for key, heading in (("so_far", "So far this year"), ("full_year", "Over a full school year at this rate"),
                         ("key_stage", "Over a key stage at this rate")):
        period = result[key]
        if period is None:
            continue
        if key == "key_stage":
            heading = f"Over a {_show(period['years'])}-year key stage at this rate"
        lines.append(
            f"{heading}: {_show(period['days_missed'])} of {_show(period['days_possible'])} school days missed "
            f"({_show(period['weeks_missed'])} school weeks), {_show(period['sessions_missed'])} sessions, "
            f"about {_show(period['lessons_missed'])} lessons."
        )
    for flag in result["flags"]:
        if flag["applies"]:
            lines.append(f"{flag['label']}: this is {flag['description']}.")
    return lines


def _period(days: Fraction, missed_share: Fraction, per_day: Fraction, lessons: Fraction) -> dict[str, int | float]:
    days = Fraction(days)
    missed = days * missed_share
    return {
        "days_possible": _out(days, 1),
        "days_missed": _out(missed, 1),
        "weeks_possible": _out(days / DAYS_PER_WEEK, 1),
        "weeks_missed": _out(missed / DAYS_PER_WEEK, 1),
        "sessions_possible": _out(days * per_day, 1),
        "sessions_missed": _out(missed * per_day, 1),
        "lessons_missed": _out(missed * lessons, 0),
    }


def _out(value: Fraction | int, places: int) -> int | float:
    """Round half up to ``places`` decimals; a whole result is an int (so JSON shows 26, not 26.0)."""
    scale = 10**places
    rounded = Fraction(math.floor(Fraction(value) * scale + Fraction(1, 2)), scale)
    return int(rounded) if rounded.denominator == 1 else float(rounded)


def _show(value: Fraction | int | float) -> str:
    """A number as people write it: 190, 24.7, 1,234."""
    if isinstance(value, Fraction):
        value = _out(value, 6)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6f}".rstrip("0").rstrip(".")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(
    given: Mapping[str, Any], key: str, problems: list[str], *, whole: bool, low: int, high: int,
    above_low: bool = False, percent: bool = False,
) -> Fraction | None:
    """A checked number from ``given[key]`` (number or numeric text), or ``None`` with a problem added."""
    if key not in given:
        return None
    raw = given[key]
    label = LABELS[key]
    if whole:
        expected = f"a whole number from {low} to {high:,}"
    elif above_low:
        expected = f"a number more than {low} and at most {high}"
    else:
        expected = f"a number from {low} to {high}" + (" (a percentage)" if percent else "")
    value = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, (int, float)) and _MAX_MAGNITUDE <= abs(raw) < math.inf:
        problems.append(f"{label} must be {expected}; you gave a number far beyond any real figure.")
        return None
    elif isinstance(raw, int):
        value = Fraction(raw)
    elif isinstance(raw, float):
        value = Fraction(repr(raw)) if math.isfinite(raw) else None
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "") if whole else raw.strip()
        if percent:
            text = text.removesuffix("%").strip()
        if _DECIMAL.match(text) and (digits := sum(c.isdigit() for c in text)) > _MAX_DIGITS:
            problems.append(f"{label} must be {expected}; you gave a number with {digits:,} digits, far too long to be a real figure.")
            return None
        value = Fraction(text) if _DECIMAL.match(text) else None
    if value is None:
        problems.append(f"{label} must be {expected}; you gave {_describe(raw)}.")
        return None
    if whole and value.denominator != 1:
        problems.append(f"{label} must be a whole number; you gave {_show(value)}.")
        return None
    if value < low or value > high or (above_low and value == low):
        problems.append(f"{label} must be {expected}; you gave {_show(value)}.")
        return None
    return value


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "‘true’" if value else "‘false’"
    if isinstance(value, str):
        return f"‘{isolate(_safe(value))}’"
    if isinstance(value, (int, float)):
        return str(value)[:40]
    return "a list" if isinstance(value, list) else "something that is not a number"


def _safe(value: Any) -> str:
    """Input quoted back in a problem: short, and with damaged characters replaced."""
    return str(value)[:40].encode("utf-8", "replace").decode("utf-8")


def _failed(problems: list[str]) -> dict[str, Any]:
    return {"ok": False, "problems": problems}
