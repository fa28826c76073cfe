"""Scores for each subsection, each section and the whole audit.

The scheme is deliberately simple enough to check by hand, because a school
leader has to be able to explain it to governors:

1. Points per rating come from the framework data (Red 0, Amber 1, Green 2 for
   the Relational Approaches Audit).
2. Only rated statements count. A statement that is not yet rated adds nothing
   to the points *and nothing to the maximum*, so it is never treated as Red.
3. ``share = points / max_points`` where ``max_points`` is (number of rated
   statements) x (points for the best rating). ``share`` is ``None`` when nothing
   in the group is rated; ``percent`` is the share rounded half-up to a whole
   number (computed with integers, so it is the same on every platform).
4. The band is the first band in the framework data, highest ``min_share`` first,
   whose ``min_share`` the share reaches (Relational Approaches Audit: Green from
   75%, Amber from 40%, otherwise Red). No rated statements means no band.
5. Sections and the whole audit pool their statements (they are not averages of
   averages), so every statement weighs the same wherever it sits.
6. ``coverage = rated / total`` and counts per rating plus ``unrated`` are given at
   every level, so a high score on few rated statements is visibly provisional.
   ``status`` is "not-started" (nothing rated), "in-progress" or "completed".
7. When the framework has settings and the audit names one, only the subsections
   that apply to that setting are scored (and counted in sections and the whole
   audit); the others are left out of the result altogether.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .framework import Framework, Statement
from .model import NOT_RATED_LABEL, Audit

STATUS_LABELS = {"not-started": "Not started", "in-progress": "In progress", "completed": "Completed"}


@dataclass(frozen=True)
class Metrics:
    points: int
    max_points: int
    share: float | None
    percent: int | None
    band: str | None
    band_label: str
    rated: int
    total: int
    coverage: float
    counts: dict[str, int]  # one entry per rating id, plus "unrated"
    status: str

    @property
    def score_text(self) -> str:
        """"63%", or "–" when nothing is rated; for reports read by people."""
        return "–" if self.percent is None else f"{self.percent}%"

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "max_points": self.max_points,
            "share": self.share,
            "percent": self.percent,
            "band": self.band,
            "band_label": self.band_label,
            "rated": self.rated,
            "total": self.total,
            "coverage": self.coverage,
            "counts": dict(self.counts),
            "status": self.status,
        }


@dataclass(frozen=True)
class SubsectionScore:
    id: str
    ref: str
    title: str
    metrics: Metrics


@dataclass(frozen=True)
class SectionScore:
    id: str
    number: str
    title: str
    metrics: Metrics
    subsections: tuple[SubsectionScore, ...]


@dataclass(frozen=True)
class AuditScore:
    overall: Metrics
    sections: tuple[SectionScore, ...]

    def as_dict(self) -> dict[str, Any]:
        """The shape the browser bridge and ``score --format json`` promise."""
        return {
            "overall": self.overall.as_dict(),
            "sections": [
                {
                    "id": section.id,
                    "number": section.number,
                    "title": section.title,
                    **section.metrics.as_dict(),
                    "subsections": [
                        {"id": sub.id, "ref": sub.ref, "title": sub.title, **sub.metrics.as_dict()}
                        for sub in section.subsections
                    ],
                }
                for section in self.sections
            ],
        }


def score(framework: Framework, audit: Audit) -> AuditScore:
    """Score every level of the audit (see the module docstring for the scheme)."""
    framework = framework.for_setting(audit.details.setting)
    sections = []
    for section in framework.sections:
        subsections = tuple(
            SubsectionScore(sub.id, sub.ref, sub.title, _metrics(framework, audit, sub.statements))
            for sub in section.subsections
        )
        section_statements = [statement for sub in section.subsections for statement in sub.statements]
        sections.append(
            SectionScore(
                section.id, section.number, section.title, _metrics(framework, audit, section_statements), subsections
            )
        )
    every_statement = [statement for _, _, statement in framework.iter_statements()]
    return AuditScore(overall=_metrics(framework, audit, every_statement), sections=tuple(sections))


def describe_scheme(framework: Framework) -> str:
    """The scheme in one paragraph, built from the framework data, for every report a person reads."""
    points = ", ".join(f"{rating.label} {rating.points}" for rating in framework.ratings)
    labels = {rating.id: rating.label for rating in framework.ratings}
    bands = []
    for higher, band in zip((None, *framework.bands), framework.bands):
        if band.min_share > 0:
            bands.append(f"{labels[band.rating]} from {_percent_text(band.min_share)}")
        elif higher is not None:
            bands.append(f"{labels[band.rating]} below {_percent_text(higher.min_share)}")
        else:
            bands.append(f"{labels[band.rating]} at any score")
    return (
        f"Points per statement: {points}. A score is the points earned as a share of the most that the "
        "rated statements could earn. Statements not yet rated are left out of the score (never counted "
        f"as {framework.ratings[0].label}) and shown as coverage instead. Bands: {', '.join(bands)}."
    )


def _metrics(framework: Framework, audit: Audit, statements: Iterable[Statement]) -> Metrics:
    counts = {rating.id: 0 for rating in framework.ratings} | {"unrated": 0}
    points = 0
    for statement in statements:
        rating_id = audit.response(statement.id).rating
        rating = framework.rating_index.get(rating_id) if rating_id is not None else None
        if rating is None:
            counts["unrated"] += 1
        else:
            counts[rating.id] += 1
            points += rating.points
    total = sum(counts.values())
    rated = total - counts["unrated"]
    max_points = rated * framework.max_points
    share = points / max_points if max_points else None
    band = _band(framework, share)
    return Metrics(
        points=points,
        max_points=max_points,
        share=share,
        # Half-up rounding in integers: floats and banker's rounding would make 12.5% flip between 12 and 13.
        percent=(points * 200 + max_points) // (2 * max_points) if max_points else None,
        band=band,
        band_label=framework.rating_index[band].label if band else NOT_RATED_LABEL,
        rated=rated,
        total=total,
        coverage=rated / total if total else 0.0,
        counts=counts,
        status="not-started" if rated == 0 else "completed" if rated == total else "in-progress",
    )


def _band(framework: Framework, share: float | None) -> str | None:
    if share is None:
        return None
    # Bands are sorted highest first and one starts at 0 (checked on load), so this always finds one.
    return next(band.rating for band in framework.bands if share >= band.min_share)


def _percent_text(share: float) -> str:
    return f"{share * 100:g}%"
