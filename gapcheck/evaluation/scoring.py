"""Turning predictions into the figures the README reports, per dataset and split."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from gapcheck.evaluation.harness import Prediction, evidence_matches
from gapcheck.evaluation.metrics import (
    accuracy,
    class_scores,
    covered_vs_gap,
    expected_calibration_error,
    macro_f1,
    reliability_table,
    silent_coverage,
)
from gapcheck.model import Status

STATUS_LABELS = ("covered", "partial", "missing", "conflict")
NLI_LABEL = {
    Status.COVERED: "Entailment",
    Status.CONFLICT: "Contradiction",
    Status.PARTIAL: "NotMentioned",
    Status.MISSING: "NotMentioned",
}
"""ContractNLI's three classes: partial coverage is not entailment."""


def score_statuses(predictions: Sequence[Prediction]) -> dict[str, Any]:
    """Per-status P/R/F1, covered-vs-gap macro-F1, silent coverage, evidence P@1."""
    pairs = [(p.record.gold.status.value, p.status.value) for p in predictions]
    two_way = [
        (covered_vs_gap(p.record.gold.status), covered_vs_gap(p.status)) for p in predictions
    ]
    return {
        "pairs": len(predictions),
        "accuracy": accuracy(pairs),
        "per_status": [asdict(s) for s in class_scores(pairs, STATUS_LABELS)],
        "macro_f1_covered_vs_gap": macro_f1(two_way, ("covered", "gap")),
        "silent_coverage": silent_coverage([(p.record.gold.status, p.status) for p in predictions]),
        "gold_missing": sum(1 for p in predictions if p.record.gold.status is Status.MISSING),
        "evidence_p_at_1": evidence_precision(predictions),
    }


def score_nli(predictions: Sequence[Prediction]) -> dict[str, Any]:
    """ContractNLI's figures: 3-class accuracy, NotMentioned recall, evidence P@1."""
    pairs = [(NLI_LABEL[p.record.gold.status], NLI_LABEL[p.status]) for p in predictions]
    scores = class_scores(pairs, ("Entailment", "Contradiction", "NotMentioned"))
    return {
        "pairs": len(predictions),
        "accuracy": accuracy(pairs),
        "macro_f1": macro_f1(pairs, ("Entailment", "Contradiction", "NotMentioned")),
        "per_class": [asdict(s) for s in scores],
        "not_mentioned_recall": next(s.recall for s in scores if s.label == "NotMentioned"),
        "evidence_p_at_1": evidence_precision(predictions),
    }


def evidence_precision(predictions: Sequence[Prediction]) -> dict[str, Any]:
    """How often the first cited clause is gold evidence.

    Counted over the pairs gold says are addressed and the method quotes a clause for,
    whatever its verdict. A "missing" finding still quotes the closest clause, and
    leaving such pairs out would let a method raise its precision by calling the hard
    ones missing.

    ``p_at_1`` accepts only the label's own quotes. ``p_at_1_pooled`` also accepts the
    clauses judged, blind to the method, to address the obligation: a label quotes the
    clauses its status rests on, not every clause that addresses the obligation.
    """
    eligible = [p for p in predictions if p.record.gold.evidence and p.top_evidence]
    hits = sum(1 for p in eligible if evidence_matches(p.top_evidence, p.record.gold.evidence))
    pooled = sum(
        1
        for p in eligible
        if evidence_matches(p.top_evidence, p.record.gold.evidence + p.record.gold.judged_evidence)
    )
    return {
        "cited": len(eligible),
        "hits": hits,
        "p_at_1": hits / len(eligible) if eligible else 0.0,
        "pooled_hits": pooled,
        "p_at_1_pooled": pooled / len(eligible) if eligible else 0.0,
    }


def reliability(predictions: Sequence[Prediction], nli: bool = False) -> dict[str, Any]:
    """Confidence bins against observed accuracy, and the expected calibration error."""
    if nli:
        outcomes = [
            (p.confidence, NLI_LABEL[p.status] == NLI_LABEL[p.record.gold.status])
            for p in predictions
        ]
    else:
        # Confidence speaks to the decision a reader acts on: covered or a gap.
        outcomes = [
            (p.confidence, covered_vs_gap(p.status) == covered_vs_gap(p.record.gold.status))
            for p in predictions
        ]
    bins = reliability_table(outcomes)
    return {"bins": [asdict(b) for b in bins], "ece": expected_calibration_error(bins)}
