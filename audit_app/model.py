"""What a school records: ratings, notes and actions per statement, notes per subsection, details.

Ratings are rating ids from the framework (e.g. "red") or ``None`` for "not yet
rated"; they are plain strings rather than an enum because a framework file, not
this code, decides which ratings exist. The dataclasses are frozen so that the
scorer and exporters can never change an audit behind the caller's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .framework import Framework

NOT_RATED_LABEL = "Not yet rated"

# Per-statement free-text fields, in the order people fill them in; keys match the saved file.
RESPONSE_TEXT_FIELDS: dict[str, str] = {
    "evidence": "Evidence",
    "next_step": "Next step",
    "owner": "Owner",
    "target_date": "Target date",
    "success_criteria": "Success criteria",
    "review_date": "Review date",
}

# The free-text details. ``Details.setting`` is not one of them: it is a choice from the
# framework's settings, saved only for frameworks that declare settings.
DETAIL_FIELDS: dict[str, str] = {
    "school": "School",
    "date": "Date",
    "completed_by": "Completed by",
}
SETTING_LABEL = "Setting"


@dataclass(frozen=True)
class Response:
    """A school's answer to one statement. Dates are kept exactly as typed (ISO or free text)."""

    rating: str | None = None
    evidence: str = ""
    next_step: str = ""
    owner: str = ""
    target_date: str = ""
    success_criteria: str = ""
    review_date: str = ""


@dataclass(frozen=True)
class Details:
    """Optional facts about the audit as a whole.

    ``setting`` is the id of the framework setting the audit is for (e.g. "school"),
    or "" when none is chosen or the framework has no settings; it decides which
    subsections are scored, planned and exported (see ``audit_app.framework``).
    """

    school: str = ""
    date: str = ""
    completed_by: str = ""
    setting: str = ""


@dataclass(frozen=True)
class Audit:
    """A complete audit against one framework version.

    ``responses`` and ``subsection_notes`` are keyed by framework ids. A missing
    key means "untouched", which reads the same as an empty Response or "".
    """

    framework_id: str
    framework_version: str
    details: Details = field(default_factory=Details)
    responses: dict[str, Response] = field(default_factory=dict)
    subsection_notes: dict[str, str] = field(default_factory=dict)

    def response(self, statement_id: str) -> Response:
        return self.responses.get(statement_id, _EMPTY_RESPONSE)

    def note(self, subsection_id: str) -> str:
        return self.subsection_notes.get(subsection_id, "")


_EMPTY_RESPONSE = Response()


def empty_audit(framework: Framework) -> Audit:
    """A blank audit with an entry for every statement and subsection, in framework order."""
    return Audit(
        framework_id=framework.id,
        framework_version=framework.version,
        responses={statement.id: Response() for _, _, statement in framework.iter_statements()},
        subsection_notes={subsection.id: "" for _, subsection in framework.iter_subsections()},
    )
