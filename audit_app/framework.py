"""The audit framework as data: a frozen dataclass tree, its loader and its validator.

Why data and not code: the statements are quoted verbatim from a published
toolkit, the browser form is generated from the same file at build time, and a
second framework (the OAIP expectations) must load through this same code. So
nothing here names a particular section, subsection, statement or rating; the
file says what exists and this module only checks that it is well formed.

Why validation names the file and the entry: the people who correct wording or
add a framework edit JSON by hand, and "sections[1].subsections[0].statements[3]:
'text' must be a non-empty string" tells them exactly where to look.

Reference labels (one scheme, used everywhere a person reads a statement's
place): a section is labelled by its ``number`` ("2"), a subsection by
``<section number>.<position of the subsection, from 1>`` ("2.3") and a statement
by ``<subsection label>.<statement number>`` ("2.3.1"). The source restarts its
statement numbers in every subsection, so a two-part label would be ambiguous.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

FRAMEWORK_SCHEMA = "belonging-framework/1"
FRAMEWORKS_DIR = Path(__file__).with_name("frameworks")
DEFAULT_FRAMEWORK_ID = "relational-approaches-audit"
DEFAULT_FRAMEWORK_PATH = FRAMEWORKS_DIR / f"{DEFAULT_FRAMEWORK_ID}.json"

# Reserved because score counts use rating ids as keys next to "unrated".
_RESERVED_RATING_IDS = frozenset({"unrated"})
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOUR_PATTERN = re.compile(r"^[0-9A-F]{6}$")


class FrameworkError(ValueError):
    """A framework file is missing, unreadable or malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Rating:
    """One point on the rating scale, e.g. Red: its meaning, points and display colour."""

    id: str
    label: str
    letter: str
    meaning: str
    points: int
    colour: str = ""  # six hex digits (RRGGBB) for spreadsheet fills; "" means no fill


@dataclass(frozen=True)
class Band:
    """A score at or above ``min_share`` (0..1) of the maximum earns the rating ``rating``."""

    rating: str
    min_share: float


@dataclass(frozen=True)
class Setting:
    """A kind of setting a framework can be used in, e.g. a school or an early years setting."""

    id: str
    label: str


@dataclass(frozen=True)
class Statement:
    """One statement a school rates; ``examples`` are the bullets printed inside it in the source."""

    id: str
    number: str
    text: str
    examples: tuple[str, ...]
    ref: str  # derived human label, e.g. "1.1.5" (see the module docstring)


@dataclass(frozen=True)
class Subsection:
    id: str
    title: str
    ref: str  # derived human label, e.g. "1.2"
    statements: tuple[Statement, ...]
    applies_to: tuple[str, ...] = ()  # setting ids; () means every setting
    # The printed recording sheet's prompt for free notes after this
    # subsection's numbered notes lines ("Additional notes"), if it prints one.
    additional_notes_prompt: str = ""

    def applies(self, setting: str | None) -> bool:
        """Whether this subsection is part of an audit for ``setting`` (no setting: everything applies)."""
        return not setting or not self.applies_to or setting in self.applies_to


@dataclass(frozen=True)
class Section:
    id: str
    number: str
    title: str
    subsections: tuple[Subsection, ...]
    evidence: tuple[str, ...] = ()  # the source's evidence base for the section, if it gives one


@dataclass(frozen=True)
class RetiredStatement:
    """A statement removed in a later version, kept so migrated audits can quote what was lost."""

    id: str
    ref: str
    text: str


@dataclass(frozen=True)
class Framework:
    schema: str
    id: str
    version: str
    title: str
    source: str
    introduction: str
    guidance: str
    notes_prompt: str
    ratings: tuple[Rating, ...]
    bands: tuple[Band, ...]  # highest min_share first
    sections: tuple[Section, ...]
    retired_statements: tuple[RetiredStatement, ...]
    settings: tuple[Setting, ...] = ()

    def iter_statements(self) -> Iterator[tuple[Section, Subsection, Statement]]:
        """Every statement with its parents, in framework order."""
        for section in self.sections:
            for subsection in section.subsections:
                for statement in subsection.statements:
                    yield section, subsection, statement

    def iter_subsections(self) -> Iterator[tuple[Section, Subsection]]:
        for section in self.sections:
            for subsection in section.subsections:
                yield section, subsection

    @functools.cached_property
    def statement_index(self) -> dict[str, tuple[Section, Subsection, Statement]]:
        return {statement.id: (sec, sub, statement) for sec, sub, statement in self.iter_statements()}

    @functools.cached_property
    def subsection_index(self) -> dict[str, tuple[Section, Subsection]]:
        return {sub.id: (sec, sub) for sec, sub in self.iter_subsections()}

    @functools.cached_property
    def rating_index(self) -> dict[str, Rating]:
        return {rating.id: rating for rating in self.ratings}

    @functools.cached_property
    def max_points(self) -> int:
        """Points for the best rating: what one rated statement can earn at most."""
        return max(rating.points for rating in self.ratings)

    @functools.cached_property
    def setting_index(self) -> dict[str, Setting]:
        return {setting.id: setting for setting in self.settings}

    @functools.cached_property
    def _setting_views(self) -> dict[str, Framework]:
        return {}

    def for_setting(self, setting: str | None) -> Framework:
        """The framework as an audit for ``setting`` sees it: only the subsections that apply.

        ``None`` or ``""`` gives the whole framework. Sections left with no subsection
        are left out. Ids and labels are unchanged. An id the framework does not
        declare raises ValueError: saved files are checked on loading, so only a
        programming mistake can get here with one.
        """
        if not setting:
            return self
        if setting not in self.setting_index:
            raise ValueError(f"{self.id} has no setting {setting!r}")
        views = self._setting_views
        if setting not in views:
            sections = []
            for section in self.sections:
                kept = tuple(sub for sub in section.subsections if sub.applies(setting))
                if kept:
                    sections.append(dataclasses.replace(section, subsections=kept))
            views[setting] = dataclasses.replace(self, sections=tuple(sections))
        return views[setting]

    def setting_label(self, setting: str | None) -> str:
        """The setting's label ("School"), or "" when none is chosen."""
        return self.setting_index[setting].label if setting else ""


class _Checker:
    """Reads raw JSON values and raises FrameworkError naming the file and entry at fault."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> FrameworkError:
        return FrameworkError(f"{self.name}: {where}: {message}" if where else f"{self.name}: {message}")

    def obj(self, value: Any, where: str, required: set[str], optional: set[str] | None = None) -> dict:
        """Check ``value`` is an object with every required key and no unknown ones (typos are errors)."""
        allowed = required | (optional or set())
        if not isinstance(value, dict):
            raise self.fail(where, "must be an object")
        missing = sorted(required - value.keys())
        if missing:
            raise self.fail(where, f"'{missing[0]}' is missing")
        unknown = sorted(value.keys() - allowed)
        if unknown:
            raise self.fail(where, f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")
        return value

    def text(self, obj: dict, key: str, where: str, *, empty_ok: bool = False) -> str:
        value = obj.get(key, "")
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            raise self.fail(where, f"'{key}' must be {'a string' if empty_ok else 'a non-empty string'}")
        return value

    def ident(self, obj: dict, key: str, where: str) -> str:
        value = self.text(obj, key, where)
        if not _ID_PATTERN.match(value):
            raise self.fail(where, f"'{key}' must use only lower-case letters, digits and single hyphens; got {value!r}")
        return value

    def items(self, obj: dict, key: str, where: str, *, empty_ok: bool = False) -> list:
        value = obj.get(key, [])
        if not isinstance(value, list) or (not empty_ok and not value):
            raise self.fail(where, f"'{key}' must be {'a list' if empty_ok else 'a non-empty list'}")
        return value


def parse_framework(data: str | bytes, name: str) -> Framework:
    """Validate framework JSON text and build the tree; ``name`` is used in error messages."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FrameworkError(f"{name}: not valid JSON ({exc})") from None
    check = _Checker(name)
    top = check.obj(
        raw,
        "",
        required={"schema", "id", "version", "title", "source", "guidance", "ratings", "bands", "sections"},
        optional={"introduction", "notes_prompt", "retired_statements", "settings"},
    )
    if top["schema"] != FRAMEWORK_SCHEMA:
        raise check.fail("", f"'schema' must be {FRAMEWORK_SCHEMA!r}; got {top['schema']!r}")
    seen_ids: dict[str, str] = {}

    def claim(identifier: str, where: str) -> str:
        # IDs are the stable keys saved audits use, so they must be unique across the whole file.
        if identifier in seen_ids:
            raise check.fail(where, f"id {identifier!r} is already used at {seen_ids[identifier]}")
        seen_ids[identifier] = where
        return identifier

    ratings = tuple(_rating(check, item, f"ratings[{i}]") for i, item in enumerate(check.items(top, "ratings", "")))
    rating_ids = [rating.id for rating in ratings]
    if len(set(rating_ids)) != len(rating_ids):
        raise check.fail("ratings", "rating ids must be unique")
    if max(rating.points for rating in ratings) <= 0:
        raise check.fail("ratings", "at least one rating must be worth more than 0 points")
    bands = _bands(check, top, set(rating_ids))
    settings = _settings(check, top)
    setting_ids = {setting.id for setting in settings}

    sections = []
    refs: dict[str, str] = {}
    for s_index, s_raw in enumerate(check.items(top, "sections", "")):
        s_where = f"sections[{s_index}]"
        s_obj = check.obj(s_raw, s_where, required={"id", "number", "title", "subsections"}, optional={"evidence"})
        s_number = check.text(s_obj, "number", s_where)
        evidence = _strings(check, s_obj, "evidence", s_where)
        subsections = []
        for ss_index, ss_raw in enumerate(check.items(s_obj, "subsections", s_where)):
            ss_where = f"{s_where}.subsections[{ss_index}]"
            ss_obj = check.obj(
                ss_raw, ss_where, required={"id", "title", "statements"}, optional={"applies_to", "additional_notes_prompt"}
            )
            applies_to = _applies_to(check, ss_obj, ss_where, setting_ids)
            ss_ref = f"{s_number}.{ss_index + 1}"
            statements = []
            for st_index, st_raw in enumerate(check.items(ss_obj, "statements", ss_where)):
                st_where = f"{ss_where}.statements[{st_index}]"
                st_obj = check.obj(st_raw, st_where, required={"id", "number", "text", "examples"})
                examples = check.items(st_obj, "examples", st_where, empty_ok=True)
                for e_index, example in enumerate(examples):
                    if not isinstance(example, str) or not example.strip():
                        raise check.fail(f"{st_where}.examples[{e_index}]", "must be a non-empty string")
                ref = f"{ss_ref}.{check.text(st_obj, 'number', st_where)}"
                if ref in refs:
                    raise check.fail(st_where, f"statement number gives the label {ref}, already used at {refs[ref]}")
                refs[ref] = st_where
                statements.append(
                    Statement(
                        id=claim(check.ident(st_obj, "id", st_where), st_where),
                        number=st_obj["number"],
                        text=check.text(st_obj, "text", st_where),
                        examples=tuple(examples),
                        ref=ref,
                    )
                )
            subsections.append(
                Subsection(
                    id=claim(check.ident(ss_obj, "id", ss_where), ss_where),
                    title=check.text(ss_obj, "title", ss_where),
                    ref=ss_ref,
                    statements=tuple(statements),
                    applies_to=applies_to,
                    additional_notes_prompt=check.text(ss_obj, "additional_notes_prompt", ss_where, empty_ok=True),
                )
            )
        sections.append(
            Section(
                id=claim(check.ident(s_obj, "id", s_where), s_where),
                number=s_number,
                title=check.text(s_obj, "title", s_where),
                subsections=tuple(subsections),
                evidence=evidence,
            )
        )

    retired = []
    for r_index, r_raw in enumerate(check.items(top, "retired_statements", "", empty_ok=True)):
        r_where = f"retired_statements[{r_index}]"
        r_obj = check.obj(r_raw, r_where, required={"id", "ref", "text"})
        retired.append(
            RetiredStatement(
                id=claim(check.ident(r_obj, "id", r_where), r_where),
                ref=check.text(r_obj, "ref", r_where),
                text=check.text(r_obj, "text", r_where),
            )
        )

    for setting in settings:
        if not any(sub.applies(setting.id) for section in sections for sub in section.subsections):
            raise check.fail("settings", f"no subsection applies to the setting {setting.id!r}")

    return Framework(
        schema=top["schema"],
        id=check.ident(top, "id", ""),
        version=check.text(top, "version", ""),
        title=check.text(top, "title", ""),
        source=check.text(top, "source", ""),
        introduction=check.text(top, "introduction", "", empty_ok=True),
        guidance=check.text(top, "guidance", ""),
        notes_prompt=check.text(top, "notes_prompt", "", empty_ok=True),
        ratings=ratings,
        bands=bands,
        sections=tuple(sections),
        retired_statements=tuple(retired),
        settings=settings,
    )


def _strings(check: _Checker, obj: dict, key: str, where: str) -> tuple[str, ...]:
    """An optional list of non-empty strings (``[]`` when the key is absent)."""
    values = check.items(obj, key, where, empty_ok=True)
    for index, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise check.fail(f"{where}.{key}[{index}]", "must be a non-empty string")
    return tuple(values)


def _settings(check: _Checker, top: dict) -> tuple[Setting, ...]:
    settings = []
    for index, raw in enumerate(check.items(top, "settings", "", empty_ok=True)):
        where = f"settings[{index}]"
        obj = check.obj(raw, where, required={"id", "label"})
        settings.append(Setting(id=check.ident(obj, "id", where), label=check.text(obj, "label", where)))
    if len({setting.id for setting in settings}) != len(settings):
        raise check.fail("settings", "setting ids must be unique")
    return tuple(settings)


def _applies_to(check: _Checker, obj: dict, where: str, setting_ids: set[str]) -> tuple[str, ...]:
    if "applies_to" not in obj:
        return ()
    if not setting_ids:
        raise check.fail(where, "'applies_to' needs the framework to declare its 'settings'")
    values = check.items(obj, "applies_to", where)
    for value in values:
        if value not in setting_ids:
            raise check.fail(where, f"'applies_to' must list setting ids ({', '.join(sorted(setting_ids))}); got {value!r}")
    if len(set(values)) != len(values):
        raise check.fail(where, "'applies_to' lists a setting twice")
    return tuple(values)


def _rating(check: _Checker, raw: Any, where: str) -> Rating:
    obj = check.obj(raw, where, required={"id", "label", "letter", "meaning", "points"}, optional={"colour"})
    rating_id = check.ident(obj, "id", where)
    if rating_id in _RESERVED_RATING_IDS:
        raise check.fail(where, f"'id' may not be {rating_id!r} (reserved)")
    points = obj["points"]
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise check.fail(where, "'points' must be a whole number, 0 or more")
    colour = check.text(obj, "colour", where, empty_ok=True)
    if colour and not _COLOUR_PATTERN.match(colour):
        raise check.fail(where, "'colour' must be six upper-case hex digits such as 'FFC7CE'")
    return Rating(
        id=rating_id,
        label=check.text(obj, "label", where),
        letter=check.text(obj, "letter", where),
        meaning=check.text(obj, "meaning", where),
        points=points,
        colour=colour,
    )


def _bands(check: _Checker, top: dict, rating_ids: set[str]) -> tuple[Band, ...]:
    bands = []
    for index, raw in enumerate(check.items(top, "bands", "")):
        where = f"bands[{index}]"
        obj = check.obj(raw, where, required={"rating", "min_share"})
        rating = check.text(obj, "rating", where)
        if rating not in rating_ids:
            raise check.fail(where, f"'rating' must be one of the rating ids; got {rating!r}")
        share = obj["min_share"]
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise check.fail(where, "'min_share' must be a number from 0 to 1")
        bands.append(Band(rating=rating, min_share=float(share)))
    shares = [band.min_share for band in bands]
    if len(set(shares)) != len(shares):
        raise check.fail("bands", "each band needs a different 'min_share'")
    if 0.0 not in shares:
        # Without a band starting at 0 some scores would have no band at all.
        raise check.fail("bands", "one band must have 'min_share' 0 so that every score has a band")
    return tuple(sorted(bands, key=lambda band: band.min_share, reverse=True))


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and validate a framework file; ``None`` means the packaged Relational Approaches Audit."""
    file = Path(path) if path is not None else DEFAULT_FRAMEWORK_PATH
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"{file.name}: cannot be read ({exc.strerror or exc})") from None
    return parse_framework(data, file.name)


@functools.cache
def default_framework() -> Framework:
    """The packaged framework, parsed once per process (the browser worker calls the bridge often)."""
    return load_framework(None)


def framework_by_id(framework_id: str) -> Framework:
    """The packaged framework ``frameworks/<framework_id>.json``, parsed once per process.

    Raises FrameworkError with a plain sentence when there is no such framework,
    so callers taking the id from a person or a page can pass the message on.
    """
    if not isinstance(framework_id, str) or not _ID_PATTERN.match(framework_id):
        raise FrameworkError(f"There is no audit framework called {str(framework_id)[:60]!r}.")
    if framework_id == DEFAULT_FRAMEWORK_ID:
        return default_framework()
    return _packaged_framework(framework_id)


@functools.cache
def _packaged_framework(framework_id: str) -> Framework:
    path = FRAMEWORKS_DIR / f"{framework_id}.json"
    if framework_id not in framework_ids():
        raise FrameworkError(f"There is no audit framework called {framework_id!r}.")
    framework = load_framework(path)
    if framework.id != framework_id:
        raise FrameworkError(f"{path.name}: 'id' must be {framework_id!r} (the file name) but is {framework.id!r}")
    return framework


@functools.cache
def framework_ids() -> tuple[str, ...]:
    """Ids of the packaged frameworks (files in ``frameworks/`` whose schema is a framework's), sorted."""
    ids = []
    for path in sorted(FRAMEWORKS_DIR.glob("*.json")):
        try:
            schema = json.loads(path.read_bytes()).get("schema")
        except (OSError, ValueError, AttributeError):
            continue
        if schema == FRAMEWORK_SCHEMA:
            ids.append(path.stem)
    return tuple(ids)
