"""Stop spreadsheet programs from running text as a formula (CSV/formula injection).

A note such as ``=HYPERLINK("http://evil.example","Click")`` typed into the audit
would become a live formula when a colleague opens the CSV in Excel. Following
OWASP's advice, any cell whose text starts with ``=``, ``+``, ``-``, ``@``, tab,
carriage return or line feed gets a single quote ``'`` in front, which
spreadsheets show as text.

``restore`` undoes ``neutralise`` exactly, for anyone re-importing an export. To
keep that exact, text that already starts with quotes followed by a trigger
character (``'=x``) is also given one more quote; otherwise ``'=x`` and ``=x``
would both come out as ``'=x`` and could not be told apart.
"""

from __future__ import annotations

import re

TRIGGERS = "=+-@\t\r\n"
_NEEDS_GUARD = re.compile(f"^'*[{re.escape(TRIGGERS)}]")
_GUARDED = re.compile(f"^'+[{re.escape(TRIGGERS)}]")


def neutralise(text: str) -> str:
    """Prefix ``'`` when a spreadsheet could read ``text`` as a formula."""
    return "'" + text if _NEEDS_GUARD.match(text) else text


def restore(text: str) -> str:
    """Reverse ``neutralise``: ``restore(neutralise(s)) == s`` for every string ``s``."""
    return text[1:] if _GUARDED.match(text) else text
