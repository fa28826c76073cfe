"""Builders shared by the engine tests, all made from the real framework data."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from audit_app import savefile
from audit_app.framework import Framework, default_framework
from audit_app.model import Audit, Details, empty_audit

REPO = Path(__file__).resolve().parents[2]
FRAMEWORK = default_framework()
STATEMENT_IDS = [statement.id for _, _, statement in FRAMEWORK.iter_statements()]
SUBSECTION_IDS = [subsection.id for _, subsection in FRAMEWORK.iter_subsections()]


def audit_with(
    ratings: dict[str, str | None] | None = None,
    responses: dict[str, dict[str, Any]] | None = None,
    details: Details | None = None,
    notes: dict[str, str] | None = None,
    framework: Framework = FRAMEWORK,
) -> Audit:
    """A complete audit of ``framework``: ratings by statement id, other Response fields in ``responses``."""
    audit = empty_audit(framework)
    merged = dict(audit.responses)
    for statement_id, rating in (ratings or {}).items():
        merged[statement_id] = dataclasses.replace(merged[statement_id], rating=rating)
    for statement_id, values in (responses or {}).items():
        merged[statement_id] = dataclasses.replace(merged[statement_id], **values)
    return dataclasses.replace(
        audit,
        responses=merged,
        details=details or Details(),
        subsection_notes=dict(audit.subsection_notes) | (notes or {}),
    )


def rate_all(rating: str | None) -> Audit:
    return audit_with({statement_id: rating for statement_id in STATEMENT_IDS})


def saved(audit: Audit) -> str:
    return savefile.dumps(audit, FRAMEWORK)


def saved_dict(**changes: Any) -> dict[str, Any]:
    """A minimal saved file as the browser writes it (untouched statements omitted), with changes."""
    base = {
        "schema": "belonging-audit/1",
        "framework": {"id": FRAMEWORK.id, "version": FRAMEWORK.version},
        "details": {},
        "responses": {},
        "subsection_notes": {},
    }
    base.update(changes)
    return base


def load_dict(raw: dict[str, Any]) -> savefile.LoadResult:
    return savefile.load(json.dumps(raw), FRAMEWORK)


def plain(messages: str | tuple[str, ...] | list[str]) -> Any:
    """Messages as a reader sees them: without the invisible bidi isolates around quoted values."""
    if isinstance(messages, str):
        return messages.replace("\u2068", "").replace("\u2069", "")
    return type(messages)(plain(message) for message in messages)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60, **options: Any) -> subprocess.CompletedProcess[bytes]:
    """Run the command line exactly as a user would; ``timeout`` seconds at most (a hang fails the test)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "audit_app", *args], cwd=cwd or REPO, env=env, capture_output=True, timeout=timeout, **options
    )

