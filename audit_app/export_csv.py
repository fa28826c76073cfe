"""The action plan as CSV for spreadsheets and school information systems.

RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a comma,
quote or line break, quotes doubled. The text starts with a UTF-8 byte order
mark because Excel otherwise guesses a legacy code page and garbles curly quotes,
accents and emoji. Every cell passes through ``formula_guard.neutralise``.
"""

from __future__ import annotations

import csv
import io

from .formula_guard import neutralise
from .framework import Framework
from .model import Audit
from .plan import COLUMNS, build_plan

BOM = "\ufeff"


def render(framework: Framework, audit: Audit) -> str:
    """One header row, then one row per action in plan order. Encode the result as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(header) for header, _ in COLUMNS])
    for action in build_plan(framework, audit):
        writer.writerow([neutralise(value(action)) for _, value in COLUMNS])
    return BOM + buffer.getvalue()
