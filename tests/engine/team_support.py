"""Builders for the OAIP self-review and the team tools (compare, merge), from the real data files."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from audit_app import savefile
from audit_app.framework import Framework, framework_by_id
from audit_app.model import RESPONSE_TEXT_FIELDS, Audit, Details, Response

from .support import FRAMEWORK, audit_with

OAIP = framework_by_id("oaip-attendance-and-belonging")
OAIP_IDS = [statement.id for _, _, statement in OAIP.iter_statements()]
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "@SUM(1+1)",
    "-2+3",
    "<script>alert('x')</script>",
    "| pipes | and # hashes",
    "Line one\nLine two",
    "Great progress 🎉👩🏽‍🏫",
    "التقييم الذاتي",
]


def build(
    framework: Framework = FRAMEWORK,
    ratings: dict[str, str | None] | None = None,
    responses: dict[str, dict[str, Any]] | None = None,
    details: Details | None = None,
    notes: dict[str, str] | None = None,
) -> Audit:
    """A complete audit of ``framework`` (framework first: these tests use two)."""
    return audit_with(ratings, responses, details, notes, framework=framework)


def saved_text(audit: Audit, framework: Framework | None = None) -> str:
    framework = framework or (OAIP if audit.framework_id == OAIP.id else FRAMEWORK)
    return savefile.dumps(audit, framework)


def rating_ids(framework: Framework) -> list[str | None]:
    return [None, *(rating.id for rating in framework.ratings)]


@st.composite
def audits(draw: st.DrawFn, framework: Framework = FRAMEWORK, text: st.SearchStrategy[str] | None = None) -> Audit:
    """Any audit of ``framework``: any ratings, any (or hostile) text, any setting it declares."""
    text = text if text is not None else st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80))
    responses = {}
    for _, _, statement in framework.iter_statements():
        if draw(st.booleans()):
            responses[statement.id] = vars(
                Response(rating=draw(st.sampled_from(rating_ids(framework))), **{key: draw(text) for key in RESPONSE_TEXT_FIELDS})
            )
    notes = {sub.id: draw(text) for _, sub in framework.iter_subsections() if draw(st.booleans())}
    setting = draw(st.sampled_from(["", *(s.id for s in framework.settings)]))
    details = Details(school=draw(text), date=draw(text), completed_by=draw(text), setting=setting)
    return build(framework, responses=responses, details=details, notes=notes)
