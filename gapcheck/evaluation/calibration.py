"""Choosing settings from labelled tuning data, and fitting what confidence means.

Thresholds are searched axis by axis (each candidate scored on the tuning split only)
for the best objective; then a one-feature logistic regression maps the deciding score's
distance from its threshold to the probability that the verdict is right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from gapcheck.assess import decision_margin
from gapcheck.evaluation.harness import PairRecord, Prediction, predict
from gapcheck.settings import MatchSettings

Objective = Callable[[Sequence[Prediction]], float]


def search(
    records: Sequence[PairRecord],
    base: MatchSettings,
    axes: dict[str, Sequence[float]],
    objective: Objective,
    rounds: int = 3,
) -> tuple[MatchSettings, float]:
    """Coordinate ascent over the axes: best value of one axis at a time, repeated.

    A full grid over five thresholds is tens of thousands of candidates; optimising
    one axis with the others fixed, for a few rounds, reaches the same optimum on this
    kind of smooth, nearly separable objective at a hundredth of the cost.
    """
    best_settings = base
    best_value = objective(predict(records, base))
    for _ in range(rounds):
        improved = False
        for name, values in axes.items():
            for value in values:
                changes: dict[str, Any] = {name: value}
                candidate = replace(best_settings, **changes)
                if candidate.partial_threshold > candidate.covered_threshold:
                    continue
                score = objective(predict(records, candidate))
                if score > best_value + 1e-9:
                    best_settings, best_value, improved = candidate, score, True
        if not improved:
            break
    return best_settings, best_value


def per_obligation_thresholds(
    records: Sequence[PairRecord],
    settings: MatchSettings,
    values: Sequence[float],
    correct: Callable[[Prediction], bool],
    min_cases: int = 12,
    min_gain: int = 2,
) -> MatchSettings:
    """Covered thresholds per obligation, where the tuning data has enough cases of it.

    Obligations differ in how closely satisfying clauses resemble the catalog's texts;
    one global threshold is a compromise. An obligation gets its own threshold only with
    at least ``min_cases`` tuning cases and when it fixes at least ``min_gain`` more
    verdicts than the global threshold, so sparse data cannot overfit it.
    """
    by_obligation: dict[str, list[PairRecord]] = {}
    for record in records:
        by_obligation.setdefault(record.gold.obligation_id, []).append(record)
    chosen: dict[str, float] = {}
    for obligation_id, group in sorted(by_obligation.items()):
        if len(group) < min_cases:
            continue
        baseline = sum(correct(p) for p in predict(group, settings))
        best_value, best_right = settings.covered_threshold, baseline
        for value in values:
            trial = replace(settings, covered_thresholds={obligation_id: value})
            right = sum(correct(p) for p in predict(group, trial))
            if right > best_right:
                best_value, best_right = value, right
        if best_right - baseline >= min_gain:
            chosen[obligation_id] = best_value
    return replace(settings, covered_thresholds=chosen)


def fit_confidence(
    records: Sequence[PairRecord],
    settings: MatchSettings,
    correct: Callable[[Prediction], bool],
) -> MatchSettings:
    """Fit confidence = logistic(slope * margin + offset + status offset) to correctness.

    ``margin`` is the deciding score's distance to its threshold, as in
    :func:`gapcheck.assess.confidence_for`; the per-status offsets let, say, "missing"
    verdicts be trusted more than "partial" ones at the same margin. Plain gradient
    descent on the log loss with a little L2 on the status offsets; the slope is kept
    non-negative so a larger margin never means less confidence.
    """
    statuses = ("covered", "partial", "missing", "conflict")
    margins, outcomes, which = [], [], []
    for prediction in predict(records, settings):
        verdict = prediction.verdict
        assert verdict is not None  # gapcheck's own predictions always carry one
        margins.append(decision_margin(verdict, settings))
        outcomes.append(1.0 if correct(prediction) else 0.0)
        which.append(statuses.index(verdict.status.value))
    x = np.array(margins)
    y = np.array(outcomes)
    onehot = np.eye(len(statuses))[np.array(which, dtype=int)]
    slope, offset = 0.0, 0.0
    status_offsets = np.zeros(len(statuses))
    for _ in range(20000):
        p = 1.0 / (1.0 + np.exp(-(slope * x + offset + onehot @ status_offsets)))
        error = p - y
        slope = max(0.0, slope - 2.0 * float(np.mean(error * x)))
        offset -= 0.5 * float(np.mean(error))
        status_offsets -= 0.5 * (onehot.T @ error / len(y) + 0.01 * status_offsets)
    changes: dict[str, Any] = {
        "confidence_slope": round(slope, 3),
        "confidence_offset": round(offset, 3),
    }
    for name, value in zip(statuses, status_offsets, strict=True):
        changes[f"confidence_offset_{name}"] = round(float(value), 3)
    return replace(settings, **changes)
