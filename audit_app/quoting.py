"""Quote what someone typed (a file name, a note, a key) inside a message without letting it reorder the message.

A name such as ``"report\u202eeciv\u202c.json"`` holds a RIGHT-TO-LEFT OVERRIDE: quoted
bare inside a sentence, it reverses everything after it ("Answers from
report.ecived siht no devas…") and can disguise the name itself. ``isolate``
wraps the quoted value in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so
by the Unicode bidirectional algorithm nothing inside can affect the text
around it, whatever the reader's browser or terminal.

Two things could still break out, so they are dealt with first:

* isolate controls in the value itself (a stray POP DIRECTIONAL ISOLATE would
  close our isolate early; a stray initiator would swallow our closing one) are
  removed: in a message they can only do harm;
* a paragraph break (a new line in a quoted note) ends every isolate, so each
  line is isolated on its own.

Only messages (problems and notices) are quoted this way. Exports hold the
school's text exactly as typed.
"""

from __future__ import annotations

import re

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
_ISOLATE_CONTROLS = re.compile("[\u2066-\u2069]")
# Unicode bidi class B (paragraph separators), kept in place between the isolated lines.
_PARAGRAPH_BREAK = re.compile("(\r\n|[\n\r\x1c-\x1e\x85\u2029])")


def isolate(text: str) -> str:
    """``text`` (each of its lines) wrapped in FSI … PDI, with its own isolate controls removed."""
    parts = _PARAGRAPH_BREAK.split(_ISOLATE_CONTROLS.sub("", text))
    return "".join(
        part if index % 2 else f"{FIRST_STRONG_ISOLATE}{part}{POP_DIRECTIONAL_ISOLATE}" for index, part in enumerate(parts)
    )
