"""One entry point for every export format, shared by the command line and the browser bridge.

``json`` is the saved-audit format itself (so an exported audit can be reopened);
``md``, ``csv`` and ``json`` are text, ``xlsx`` is bytes. The XLSX module, and so
openpyxl, is imported only when an XLSX is asked for.
"""

from __future__ import annotations

from . import export_csv, export_markdown, savefile
from .framework import Framework
from .model import Audit

FORMATS = ("md", "csv", "xlsx", "json")


def render(framework: Framework, audit: Audit, fmt: str) -> str | bytes:
    """The audit in ``fmt``; raises ValueError for an unknown format (a programming error, not user input)."""
    if fmt == "md":
        return export_markdown.render(framework, audit)
    if fmt == "csv":
        return export_csv.render(framework, audit)
    if fmt == "json":
        return savefile.dumps(audit, framework)
    if fmt == "xlsx":
        from . import export_xlsx

        return export_xlsx.render(framework, audit)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
