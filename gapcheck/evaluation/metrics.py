"""The figures an evaluation reports, computed from (gold, predicted) status pairs.

Kept free of models and files so each formula is unit-tested on hand-made pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gapcheck.model import Status

GAP_STATUSES = frozenset({Status.PARTIAL, Status.MISSING, Status.CONFLICT})


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one class, with its support (gold count)."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


def _safe_div(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def class_scores(pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> list[ClassScore]:
    """Per-label precision/recall/F1 over (gold, predicted) pairs."""
    scores = []
    for label in labels:
        tp = sum(1 for gold, pred in pairs if gold == label and pred == label)
        fp = sum(1 for gold, pred in pairs if gold != label and pred == label)
        fn = sum(1 for gold, pred in pairs if gold == label and pred != label)
        precision = _safe_div(tp, tp + fp)
        recall = _safe_div(tp, tp + fn)
        f1 = _safe_div(2 * precision * recall, precision + recall)
        scores.append(ClassScore(label, precision, recall, f1, tp + fn))
    return scores


def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    """Share of pairs whose prediction equals the gold label."""
    return _safe_div(sum(1 for gold, pred in pairs if gold == pred), len(pairs))


def macro_f1(pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> float:
    """Unweighted mean F1 over ``labels``."""
    scores = class_scores(pairs, labels)
    return _safe_div(sum(s.f1 for s in scores), len(scores))


def covered_vs_gap(status: Status) -> str:
    """Collapse a status to the two-way decision a reader acts on."""
    if status is Status.COVERED:
        return "covered"
    if status in GAP_STATUSES:
        return "gap"
    return "n/a"


def silent_coverage(pairs: Sequence[tuple[Status, Status]]) -> int:
    """Gold-missing obligations reported covered: the error a gap report must not make."""
    return sum(1 for gold, pred in pairs if gold is Status.MISSING and pred is Status.COVERED)


@dataclass(frozen=True)
class ReliabilityBin:
    """Predictions whose confidence fell in [low, high): how many, and how many right."""

    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability_table(
    outcomes: Sequence[tuple[float, bool]],
    edges: Sequence[float] = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0001),
) -> list[ReliabilityBin]:
    """Bin (confidence, correct) outcomes; a calibrated model has accuracy ~ confidence."""
    bins = []
    lows = [0.0, *edges[:-1]]
    for low, high in zip(lows, edges, strict=True):
        inside = [(c, ok) for c, ok in outcomes if low <= c < high]
        bins.append(
            ReliabilityBin(
                low=low,
                high=min(high, 1.0),
                count=len(inside),
                mean_confidence=_safe_div(sum(c for c, _ in inside), len(inside)),
                accuracy=_safe_div(sum(1 for _, ok in inside if ok), len(inside)),
            )
        )
    return bins


def expected_calibration_error(bins: Sequence[ReliabilityBin]) -> float:
    """Count-weighted mean |accuracy - confidence| over the bins."""
    total = sum(b.count for b in bins)
    return _safe_div(sum(b.count * abs(b.accuracy - b.mean_confidence) for b in bins), total)
