"""Reading JSON from outside the engine: bytes or text in, a value or one plain-English problem out.

Every door reads through here: saved audits (``savefile``, and so compare and
merge), the page's own answers and figures (``bridge``) and files named on the
command line (``cli``), so a file is judged the same way in the browser and in
a terminal. The checks run in this order, each before the costlier next step:

1. **Size**: at most ``MAX_FILE_BYTES`` (text is measured as its UTF-8 bytes).
2. **Encoding**: UTF-8 with or without a byte order mark, or UTF-16 (little or
   big endian) with one. Anything else (Latin-1, Windows-1252, invalid UTF-8,
   UTF-32, UTF-16 without a mark) is refused rather than guessed: a guess, or a
   browser's lenient decoder, silently puts U+FFFD in place of the school's
   words, and they would only notice after saving over their good copy.
3. **Nesting depth**: at most ``MAX_JSON_DEPTH`` arrays and objects inside one
   another (and ``MAX_JSON_PARTS`` in all), found by a linear scan that skips
   strings. ``json.loads`` recurses once per level; in Pyodide a deep enough file
   (100,000 levels) overflows the WebAssembly stack and kills the interpreter
   ("Pyodide has suffered a fatal error") before Python's recursion limit can
   raise, so the depth must be known before parsing. A saved audit is 3 levels
   deep.
4. **Parsing** with ``json.loads``; any failure, including a number too long for
   Python to convert, becomes a sentence rather than an exception.

``MAX_FILE_BYTES`` is generous on purpose: it must hold the largest audit the
form can produce (every box filled to ``text_fields.MAX_TEXT_CHARS`` with the
characters that take the most bytes in JSON), so no answer the form accepted is
ever refused on the way back in; ``tests/engine/test_json_input.py`` checks that
for every packaged framework.
"""

from __future__ import annotations

import codecs
import json
import re
from itertools import accumulate
from typing import Any

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_JSON_PARTS = 100_000

ENCODING_PROBLEM = (
    "The file is not in a text encoding this site reads (it may have been saved as Latin-1 or Windows-1252, "
    "or be damaged). Open it in a text editor, save it as UTF-8, and try again."
)

_ENCODING_REASON = "it was not in UTF-8"
_UTF32_MARKS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # checked first: the LE mark starts like UTF-16's
# The codec functions themselves, not ``bytes.decode("utf-16-le")``: the browser's trimmed standard
# library has no ``encodings.utf_16_*`` modules for the name lookup, but always has these.
_UTF16_MARKS = ((codecs.BOM_UTF16_LE, codecs.utf_16_le_decode), (codecs.BOM_UTF16_BE, codecs.utf_16_be_decode))
# A JSON string, or an unterminated one running to the end (so one failed match never rescans).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_STEPS = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class InputProblem(ValueError):
    """Input that cannot be read: ``str(error)`` is the sentence to show about a file, ``reason`` the short
    clause ("it was not valid JSON") for input that is not a file the user chose (the page's own figures)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def size_problem(size: int) -> str | None:
    """The problem with ``size`` bytes of input, if it is over the limit (callers can check before reading).

    A reader that stops after ``MAX_FILE_BYTES + 1`` bytes passes that: the size is then "more than" the limit.
    """
    if size <= MAX_FILE_BYTES:
        return None
    shown = f"more than {MAX_FILE_BYTES // 1024 // 1024} MB" if size == MAX_FILE_BYTES + 1 else f"{size / 1024 / 1024:.1f} MB"
    return (
        f"The file is too large ({shown}). A saved audit is never more than "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB, so this is probably not the right file."
    )


def _decode(data: str | bytes | bytearray | memoryview) -> str:
    """Checks 1 and 2: the text of ``data``, without a byte order mark; raises InputProblem."""
    if isinstance(data, str):
        # Every character is at least one byte, so a huge string is refused before encoding it.
        size = len(data) if len(data) > MAX_FILE_BYTES else len(data.encode("utf-8", "surrogatepass"))
        if problem := size_problem(size):
            raise InputProblem(problem, "it was too large")
        return data.removeprefix("\ufeff")
    data = bytes(data)
    if problem := size_problem(len(data)):
        raise InputProblem(problem, "it was too large")
    if data.startswith(_UTF32_MARKS):
        raise InputProblem(ENCODING_PROBLEM, _ENCODING_REASON)
    decoder, body = codecs.utf_8_decode, data.removeprefix(codecs.BOM_UTF8)
    for mark, utf16_decoder in _UTF16_MARKS:
        if data.startswith(mark):
            decoder, body = utf16_decoder, data[len(mark):]
    try:
        text, _ = decoder(body, "strict", True)
    except UnicodeDecodeError:
        raise InputProblem(ENCODING_PROBLEM, _ENCODING_REASON) from None
    if "\x00" in text:  # UTF-16 without its mark decodes as "UTF-8" full of NULs; JSON never holds a raw NUL
        raise InputProblem(ENCODING_PROBLEM, _ENCODING_REASON)
    return text


def structure_problem(text: str) -> str | None:
    """Check 3: the problem with how arrays and objects nest outside strings, if any (linear time).

    More than ``MAX_JSON_DEPTH`` levels, or more than ``MAX_JSON_PARTS`` arrays and objects in
    all (a saved audit has about 50), is refused. The second bound keeps the depth count itself
    fast: every other step is a C-speed pass over the text, so a 32 MB file takes about a second
    even in Pyodide, whatever it holds.
    """
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:  # a saved audit: nothing to scan
        return None
    # Outside strings JSON is ASCII, so whatever else is there cannot be a bracket.
    brackets = _STRING.sub("", text).encode("ascii", "ignore").translate(None, _NOT_BRACKETS)
    if len(brackets) > 2 * MAX_JSON_PARTS:
        return (
            f"The file is not one this site can read: it holds more than {MAX_JSON_PARTS:,} groups of values, "
            "far more than any saved file from this site."
        )
    if max(accumulate(_STEPS[byte] for byte in brackets)) > MAX_JSON_DEPTH:
        return (
            f"The file is not one this site can read: its contents are nested more than {MAX_JSON_DEPTH} levels "
            "deep, which no saved file from this site is."
        )
    return None


def read_text(data: str | bytes | bytearray | memoryview) -> str:
    """Checks 1 to 3: the text of ``data``, ready for ``json.loads``; raises InputProblem with the sentence to show."""
    text = _decode(data)
    if not text.strip():
        raise InputProblem("The file is empty.", "it was empty")
    if problem := structure_problem(text):
        raise InputProblem(problem, "it held far too many levels or parts")
    return text


def read_json(data: str | bytes | bytearray | memoryview) -> Any:
    """The parsed value of ``data`` after every check above; raises InputProblem with the sentence to show."""
    text = read_text(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputProblem(
            "The file is not one this site can read: it is not valid JSON "
            f"(the first fault is on line {error.lineno}, column {error.colno}). "
            "It may have been cut short or changed by another program.",
            "it was not valid JSON",
        ) from None
    except ValueError:  # a number of thousands of digits: Python refuses to convert it
        raise InputProblem(
            "The file is not one this site can read: it holds a number far too long to be real.", "it held a number far too long"
        ) from None
    except (RecursionError, MemoryError):
        raise InputProblem("The file is not one this site can read: its contents are damaged.", "it was damaged") from None
