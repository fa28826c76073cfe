"""The action plan: what the school said it will improve, and what it will keep doing.

Rules (all ratings come from the framework data, so nothing here names Red or Green):

* Every statement rated below the best rating is an "improve" action, lowest
  points first (Red before Amber) and then in framework order, because the
  weakest areas are where a plan should start.
* A statement with the best rating appears as a "sustain" action only when the
  school wrote a next step for it; otherwise there is nothing to plan.
* Statements not yet rated are not actions: the plan never guesses a rating.
* Only subsections that apply to the audit's setting (if it names one) are planned.

``COLUMNS`` is the one definition of the tabular plan, shared by the CSV and
XLSX exports so the two can never drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .framework import Framework
from .model import RESPONSE_TEXT_FIELDS, Audit

KIND_LABELS = {"improve": "Improve", "sustain": "Sustain"}


@dataclass(frozen=True)
class Action:
    statement_id: str
    number: str  # the statement's reference label, e.g. "1.1.5"
    section_title: str
    subsection_title: str
    text: str
    examples: tuple[str, ...]
    rating: str
    rating_label: str
    kind: str  # "improve" | "sustain"
    evidence: str
    next_step: str
    owner: str
    target_date: str
    success_criteria: str
    review_date: str

    @property
    def statement_with_examples(self) -> str:
        """The statement as one block of text: the source prints its examples inside it."""
        return "\n".join([self.text, *(f"• {example}" for example in self.examples)])


def build_plan(framework: Framework, audit: Audit) -> tuple[Action, ...]:
    """Improve actions (lowest rating first, then framework order), then sustain actions."""
    framework = framework.for_setting(audit.details.setting)
    improve: list[tuple[int, int, Action]] = []
    sustain: list[Action] = []
    for position, (section, subsection, statement) in enumerate(framework.iter_statements()):
        response = audit.response(statement.id)
        rating = framework.rating_index.get(response.rating) if response.rating is not None else None
        if rating is None:
            continue
        best = rating.points == framework.max_points
        if best and not response.next_step.strip():
            continue
        action = Action(
            statement_id=statement.id,
            number=statement.ref,
            section_title=section.title,
            subsection_title=subsection.title,
            text=statement.text,
            examples=statement.examples,
            rating=rating.id,
            rating_label=rating.label,
            kind="sustain" if best else "improve",
            **{key: getattr(response, key) for key in RESPONSE_TEXT_FIELDS},
        )
        if best:
            sustain.append(action)
        else:
            improve.append((rating.points, position, action))
    improve.sort(key=lambda item: item[:2])
    return tuple(action for _, _, action in improve) + tuple(sustain)


COLUMNS: tuple[tuple[str, Callable[[Action], str]], ...] = (
    ("Ref", lambda a: a.number),
    ("Section", lambda a: a.section_title),
    ("Subsection", lambda a: a.subsection_title),
    ("Statement", lambda a: a.statement_with_examples),
    ("Rating", lambda a: a.rating_label),
    ("Type", lambda a: KIND_LABELS[a.kind]),
    *((label, lambda a, key=key: getattr(a, key)) for key, label in RESPONSE_TEXT_FIELDS.items()),
)
