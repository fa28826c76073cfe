"""Helpers for the team tools' browser tests (compare two audits, agree a team's audit).

Saved files are made here with the engine itself (``audit_app.bridge``), and
what the pages should show is worked out from the engine's own answers in
CPython, worded as the page scripts word them (compare-page.js,
moderate-page.js, audit/history-picks.js): the pages are checked against the
engine, never against numbers copied into a test.

Audits already on the device are put there by the site's own history module
(audit/history.js), exactly as the self-audit keeps them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from audit_app import bridge

FRAMEWORK = json.loads(bridge.framework_json())
FRAMEWORK_ID = FRAMEWORK["id"]
STATEMENT_IDS = [st["id"] for sec in FRAMEWORK["sections"] for sub in sec["subsections"] for st in sub["statements"]]
RATINGS = [(rating["id"], rating["label"]) for rating in FRAMEWORK["ratings"]]
COMPARE_KEY = "belonging-audit/compare"
MODERATE_KEY = "belonging-audit/moderate"


def saved_audit(
    ratings: dict[str, str | None],
    *,
    details: dict[str, str] | None = None,
    fields: dict[str, dict[str, str]] | None = None,
    notes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A complete saved audit (as "Download your answers (JSON)" writes it)."""
    audit = json.loads(bridge.new_audit())
    audit["details"].update(details or {})
    for statement_id, rating in ratings.items():
        audit["responses"][statement_id]["rating"] = rating
    for statement_id, values in (fields or {}).items():
        audit["responses"][statement_id].update(values)
    audit["subsection_notes"].update(notes or {})
    return audit


def on_device(audit_id: str, name: str, answers: dict[str, Any], created_at: str) -> dict[str, Any]:
    """An audit as the self-audit keeps it on the device: its name, dates, answers
    and the last score the engine gave it (as the list shows it)."""
    overall = json.loads(bridge.score(json.dumps(answers), answers["framework"]["id"]))["overall"]
    score = {key: overall[key] for key in ("percent", "band_label", "rated", "total")}
    return {"id": audit_id, "name": name, "created_at": created_at, "updated_at": created_at, "answers": answers, "score": score}


KEEP_ON_DEVICE = """async ([frameworkId, audits]) => {
  const { AuditHistory } = await import("/assets/javascripts/audit/history.js");
  await new AuditHistory(frameworkId).addMany(audits);
}"""


def keep_on_device(page, audits: list[dict[str, Any]], framework_id: str = FRAMEWORK_ID) -> None:
    """Put ``audits`` among the audits on this device (any page of the site must be open)."""
    page.evaluate(KEEP_ON_DEVICE, [framework_id, audits])


def long_date(day: dt.date) -> str:
    """A date as the pages write it: "14 September 2026"."""
    return f"{day.day} {day:%B} {day.year}"


def agreed_name() -> str:
    """The name an agreed audit gets when it joins the audits on this device today."""
    return f"Agreed audit, {long_date(dt.date.today())}"


def isolate(text: str) -> str:
    """User text inside a sentence the page builds as a string (dom.js ``isolate``)."""
    return f"\u2068{text}\u2069"


def choice_text(audit: dict[str, Any]) -> str:
    """How a list of audits on the Compare page words one (history-picks.js)."""
    started = long_date(dt.datetime.fromisoformat(audit["created_at"]).astimezone().date())
    score = audit["score"]
    scored = "not yet rated" if score["percent"] is None else f"score {score['percent']}% ({score['band_label']})"
    return f"{isolate(audit['name'])}: started {started}, {scored}"


def write(directory: Path, name: str, audit: dict[str, Any] | str) -> Path:
    path = directory / name
    path.write_text(audit if isinstance(audit, str) else json.dumps(audit, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def compared(baseline: dict[str, Any] | str, review: dict[str, Any] | str) -> dict[str, Any]:
    def text(value: dict[str, Any] | str) -> str:
        return value if isinstance(value, str) else json.dumps(value)

    return json.loads(bridge.compare(text(baseline), text(review)))


# ---- The pages' words (compare-page.js and moderate-page.js) ----------------------------------


def score_text(metrics: dict[str, Any]) -> str:
    return "Not yet rated" if metrics["percent"] is None else f"{metrics['percent']}% ({metrics['band_label']})"


def change_text(change: int | None) -> str:
    if change is None:
        return "Not comparable"
    if change > 0:
        return f"Up {change}"
    if change < 0:
        return f"Down {-change}"
    return "No change"


def rated_text(metrics: dict[str, Any], coverage: int) -> str:
    return f"{metrics['rated']} of {metrics['total']} ({coverage}%)"


def movement_text(statement: dict[str, Any]) -> str:
    label = statement["movement_label"]
    if statement["movement"] in {"improved", "worse"}:
        return f"{label} ({statement['baseline_rating_label']} to {statement['review_rating_label']})"
    return label


def score_row(ref: str, title: str, change: dict[str, Any]) -> list[str]:
    """One row of the page's scores table, cell by cell."""
    return [
        ref,
        title,
        score_text(change["baseline"]),
        score_text(change["review"]),
        change_text(change["percent_change"]),
        rated_text(change["baseline"], change["coverage_percent_baseline"]),
        rated_text(change["review"], change["coverage_percent_review"]),
        change_text(change["coverage_change"]),
    ]


def score_rows(comparison: dict[str, Any]) -> list[list[str]]:
    rows = [score_row("", "Whole audit", comparison["overall"])]
    for section in comparison["sections"]:
        rows.append(score_row(section["number"], section["title"], section))
        rows += [score_row(sub["ref"], sub["title"], sub) for sub in section["subsections"]]
    return rows


def spread_text(counts: dict[str, int]) -> str:
    parts = [f"{counts[rating]} {label}" for rating, label in RATINGS if counts.get(rating)]
    if counts.get("unrated"):
        parts.append(f"{counts['unrated']} not yet rated")
    return ", ".join(parts)
