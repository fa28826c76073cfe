"""The rules for a free-text answer read from a file or the page: keep every word, say what is odd.

``MAX_TEXT_CHARS`` is the most a box on the form holds; the form's ``maxlength``
is built from it, so typing and the engine agree. (``maxlength`` counts UTF-16
code units and Python counts code points, so the form can never let through
more than the engine expects.)

A value that breaks a rule is a *notice*, never a refusal, because a refusal
would throw away every other answer in the file for the sake of one box:

* longer than ``MAX_TEXT_CHARS`` (typed before the form had a limit, or written
  by another program): kept in full, and the notice names the box;
* holding a lone surrogate (half of an emoji pair, left by a cut or a bad copy):
  each one is replaced with U+FFFD, which every later step (UTF-8 files,
  spreadsheets) can carry, and the notice names the box.

A value of the wrong type (a number or a list where text belongs) is still a
problem for the caller to report: the page never writes one, so such a file was
changed by something else and may hold other surprises.
"""

from __future__ import annotations

import re

MAX_TEXT_CHARS = 20_000
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_plain_text(value: object) -> bool:
    """Whether ``value`` is text that ``checked_text`` would return unchanged, with no notice (a quick test)."""
    return (
        type(value) is str
        and len(value) <= MAX_TEXT_CHARS
        and (value.isascii() or _LONE_SURROGATE.search(value) is None)
    )


def checked_text(value: str, what: str, notices: list[str]) -> str:
    """``value`` repaired if need be, with a notice added for each rule it broke.

    ``what`` names the box and starts the sentence ("The other notes", "Statement 1.1.1 (…): the
    evidence"); the verb is "held", which reads right after a singular or a plural.
    """
    repaired, count = _LONE_SURROGATE.subn("\ufffd", value)
    if count:
        notices.append(
            f"{what} held {'a damaged character' if count == 1 else f'{count:,} damaged characters'} (for example, "
            f"half of an emoji), replaced with �."
        )
    if len(repaired) > MAX_TEXT_CHARS:
        notices.append(
            f"{what} held {len(repaired):,} characters, more than the {MAX_TEXT_CHARS:,} a box on the form holds. "
            "All of it has been kept; shorten it before adding more."
        )
    return repaired
