"""Deciding an obligation's status from its best-matching clauses, and saying why.

This is the only place thresholds turn scores into verdicts, so every finding carries
the rule that fired and the figures it compared (see :class:`gapcheck.model.Explanation`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from gapcheck.matching import ClauseMatch, ObligationEntry
from gapcheck.model import (
    Citation,
    Evidence,
    Explanation,
    Finding,
    Regulation,
    Remediation,
    Status,
)
from gapcheck.settings import MatchSettings


def status_for(matches: Sequence[ClauseMatch], settings: MatchSettings) -> tuple[Status, str]:
    """The status the ranked matches earn, with the rule that decided it.

    Coverage needs a clause that is both close enough and specific to the obligation;
    a catch-all that is merely close makes the obligation partial at best.
    """
    best = matches[0].score if matches else 0.0
    specific = [m for m in matches if m.specificity >= settings.specificity_floor]
    if specific and specific[0].score >= settings.covered_threshold:
        return Status.COVERED, "a specific clause reaches the covered threshold"
    if best >= settings.covered_threshold:
        return Status.PARTIAL, "only generic clauses (e.g. a catch-all) reach the covered threshold"
    if best >= settings.partial_threshold:
        return Status.PARTIAL, "best clause is between the partial and covered thresholds"
    return Status.MISSING, "no clause reaches the partial threshold"


def confidence_for(score: float, settings: MatchSettings) -> float:
    """How sure the verdict is, from the score's distance to the nearest threshold.

    A score right at a threshold could go either way (0.5); one far from both is
    near-certain. This is a margin-based estimate, not a calibrated probability.
    """
    margin = min(abs(score - settings.covered_threshold), abs(score - settings.partial_threshold))
    return round(1.0 / (1.0 + math.exp(-margin / settings.confidence_scale)), 3)


def assess(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> Finding:
    """The finding for one obligation given its ranked clause matches."""
    obligation = entry.obligation
    status, rule = status_for(matches, settings)
    top_score = matches[0].score if matches else 0.0
    # Among clauses worth citing, specific ones come first: they are what a lawyer
    # needs to see; a catch-all is cited after them (or alone, when it is all there is).
    matches = sorted(
        matches,
        key=lambda m: (
            m.score < settings.partial_threshold,
            m.specificity < settings.specificity_floor,
            -m.score,
        ),
    )
    best = matches[0] if matches else None
    best_score = best.score if best else 0.0
    evidence = tuple(
        Evidence(
            document=match.clause.document,
            section=match.clause.section,
            heading=match.clause.heading,
            page=match.clause.page,
            text=match.clause.text,
            score=round(match.score, 4),
            start=match.clause.start,
            end=match.clause.end,
        )
        for match in matches[: settings.evidence_limit]
        if match.score >= settings.partial_threshold
    )
    notes: list[str] = []
    if best is not None:
        where = f"§{best.clause.section} " if best.clause.section else ""
        notes.append(
            f"best clause {where}in {best.clause.document}: similarity {best_score:.2f}, "
            f"specificity {best.specificity:.2f}"
        )
    if status is Status.MISSING:
        notes.append("no clause in the policy set addresses this obligation closely enough")
    source = entry.catalog.source(obligation.source.id)
    return Finding(
        obligation_id=obligation.id,
        catalog=entry.catalog.id,
        vendor=entry.catalog.vendor,
        title=obligation.title,
        requirement=obligation.requirement,
        severity=obligation.severity,
        category=obligation.category,
        status=status,
        confidence=confidence_for(best_score, settings),
        evidence=evidence,
        remediation=Remediation(
            actions=tuple(obligation.remediation.actions),
            model_clause=obligation.remediation.model_clause,
        ),
        citation=Citation(
            vendor=entry.catalog.vendor,
            document=source.title,
            section=obligation.source.section,
            effective=source.effective.isoformat(),
            url=source.url,
            excerpt_only=source.excerpt_only,
        ),
        severity_reason=obligation.severity_reason,
        canonical=obligation.canonical or "",
        regulatory=tuple(
            Regulation(law=r.law, jurisdictions=tuple(r.jurisdictions))
            for r in obligation.regulatory
        ),
        applies_when=tuple(obligation.applies_when),
        explanation=Explanation(
            rule=rule,
            best_score=round(top_score, 4),
            thresholds={
                "covered": settings.covered_threshold,
                "partial": settings.partial_threshold,
                "specificity": settings.specificity_floor,
            },
            matched_example=best.best_text if best else "",
            notes=tuple(notes),
        ),
    )
