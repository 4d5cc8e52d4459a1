"""Choosing settings from labelled tuning data, and fitting what confidence means.

Thresholds are searched axis by axis (each candidate scored on the tuning split only)
for the best objective. The coverage model (:mod:`gapcheck.coverage_model`) is a
regularised logistic regression on the tuning pairs; its strength of regularisation and
its decision threshold are chosen by cross-validation over whole cases (operators or
NDAs), together with the element and specificity floors, so they are judged on
documents the fit did not see. Verdicts the model does not make get a logistic confidence
from the deciding score's distance to its threshold and their status, fitted the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from gapcheck.assess import decision_margin, signals_for
from gapcheck.coverage_model import FEATURES, CoverageModel
from gapcheck.evaluation.harness import PairRecord, Prediction, candidates, predict
from gapcheck.evaluation.scoring import evidence_precision
from gapcheck.model import Status
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


def fit_confidence(
    records: Sequence[PairRecord],
    settings: MatchSettings,
    correct: Callable[[Prediction], bool],
) -> MatchSettings:
    """Fit confidence = logistic(slope * margin + offset + status offset) to correctness.

    ``margin`` is the deciding score's distance to its threshold, as in
    :func:`gapcheck.assess.confidence_for`; the per-status offsets let, say, "missing"
    verdicts be trusted more than "partial" ones at the same margin. The same
    regularised logistic fit as the coverage model (:func:`fit_logistic`), with the slope
    kept non-negative so a larger margin never means less confidence.
    """
    statuses = ("covered", "partial", "missing", "conflict")
    margins, outcomes, which = [], [], []
    for prediction in predict(records, settings):
        verdict = prediction.verdict
        assert verdict is not None  # gapcheck's own predictions always carry one
        if verdict.probability is not None:
            continue  # the coverage model's probability is its own confidence
        margins.append(decision_margin(verdict, settings))
        outcomes.append(1.0 if correct(prediction) else 0.0)
        which.append(statuses.index(verdict.status.value))
    if not outcomes:
        return settings
    onehot = np.eye(len(statuses))[np.array(which, dtype=int)]
    features = np.column_stack([np.array(margins), onehot])
    weights, offset = fit_logistic(
        features, np.array(outcomes), l2=0.01 * len(outcomes), nonnegative=(0,)
    )
    changes: dict[str, Any] = {
        "confidence_slope": round(float(weights[0]), 3),
        "confidence_offset": round(offset, 3),
    }
    for name, value in zip(statuses, weights[1:], strict=True):
        changes[f"confidence_offset_{name}"] = round(float(value), 3)
    return replace(settings, **changes)


CITATION_GRID: dict[str, Sequence[float]] = {
    "citation_lexical_weight": (0.0, 0.1, 0.3, 0.5, 0.8, 1.2, 2.0),
    "citation_element_weight": (0.0, 0.2, 0.4, 0.6, 1.0),
    "citation_notice_penalty": (0.0, 0.1, 0.3, 0.5),
}
"""Weights tried for choosing the clause a finding quotes first."""


def fit_citation(
    records: Sequence[PairRecord],
    settings: MatchSettings,
    grid: Mapping[str, Sequence[float]] = CITATION_GRID,
) -> tuple[MatchSettings, float]:
    """The citation weights with the best evidence precision@1 on ``records``, and it.

    They only choose which clause is quoted first, never a verdict, so they are fitted
    last, on the verdicts already settled, by trying every combination (the score is
    cheap). Ties keep the earlier, smaller weights.
    """
    names = list(grid)
    best_value, best_settings = -1.0, settings
    for combination in itertools.product(*(grid[name] for name in names)):
        changes: dict[str, Any] = dict(zip(names, combination, strict=True))
        candidate = replace(settings, **changes)
        value = float(evidence_precision(predict(records, candidate))["p_at_1"])
        if value > best_value + 1e-9:
            best_value, best_settings = value, candidate
    return best_settings, best_value


MODEL_THRESHOLDS = tuple(round(0.2 + 0.05 * step, 2) for step in range(14))
"""Decision thresholds tried for the coverage model: 0.20 to 0.85."""


MONOTONE_FEATURES = ("similarity", "key_terms", "specificity", "best_key_terms", "element_share")
"""Signals that may only push towards coverage as they grow."""


def fit_logistic(
    features: np.ndarray,
    labels: np.ndarray,
    l2: float,
    nonnegative: Sequence[int] = (),
) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression (Newton's method).

    ``features`` are already standardised; the bias is not penalised. A few Newton
    steps converge on problems this size (hundreds of rows, a handful of features).
    Columns in ``nonnegative`` may not get a negative weight: a closer or more complete
    clause must never lower P(covered), even where correlated signals would let an
    unconstrained fit trade one against another. Any such column that comes out
    negative is fixed at zero and the rest refitted (an active-set method).
    """
    columns = features.shape[1]
    fixed: set[int] = set()
    while True:
        free = [c for c in range(columns) if c not in fixed]
        theta = _newton_logistic(features[:, free], labels, l2)
        negative = [c for c, w in zip(free, theta[:-1], strict=True) if c in nonnegative and w < 0]
        if not negative:
            weights = np.zeros(columns)
            weights[free] = theta[:-1]
            return weights, float(theta[-1])
        fixed.add(min(negative, key=lambda c: theta[free.index(c)]))


def _newton_logistic(features: np.ndarray, labels: np.ndarray, l2: float) -> np.ndarray:
    rows, columns = features.shape
    design = np.hstack([features, np.ones((rows, 1))])
    penalty = np.diag([l2] * columns + [0.0])
    theta = np.zeros(columns + 1)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -50, 50)))
        gradient = design.T @ (p - labels) + penalty @ theta
        hessian = (design.T * (p * (1 - p))) @ design + penalty + 1e-9 * np.eye(columns + 1)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return theta


def train_coverage_model(
    records: Sequence[PairRecord], settings: MatchSettings, l2: float, threshold: float
) -> CoverageModel | None:
    """The coverage model fitted on ``records`` (None when they hold only one class).

    Each pair the model could be asked about (one with a supporting clause) is a row;
    the label is whether gold says the obligation is covered.
    """
    rows, labels, obligations = [], [], []
    for record in records:
        signals = signals_for(record.entry, candidates(record, settings), settings)
        if signals is None:
            continue
        rows.append(signals.values)
        labels.append(1.0 if record.gold.status is Status.COVERED else 0.0)
        obligations.append(signals.obligation)
    y = np.array(labels)
    if len(set(labels)) < 2:
        return None
    x = np.array(rows, dtype=float)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-6] = 1.0
    monotone = [FEATURES.index(name) for name in MONOTONE_FEATURES]
    # One indicator column per obligation: its weight is the obligation's offset, shrunk
    # towards zero by the same L2 penalty, so an obligation seen rarely moves little.
    idents = sorted(set(obligations))
    indicators = np.array([[float(o == ident) for ident in idents] for o in obligations])
    weights, bias = fit_logistic(np.hstack([(x - means) / scales, indicators]), y, l2, monotone)
    offsets = dict(zip(idents, (float(w) for w in weights[len(FEATURES) :]), strict=True))
    return CoverageModel(
        weights=tuple(float(w) for w in weights[: len(FEATURES)]),
        bias=bias,
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales),
        threshold=threshold,
        obligation_offsets={ident: w for ident, w in offsets.items() if abs(w) >= 1e-4},
    )


def fit_coverage_model(
    records: Sequence[PairRecord],
    settings: MatchSettings,
    objective: Objective,
    grid: Mapping[str, Sequence[float]] | None = None,
    l2_values: Sequence[float] = (0.3, 1.0, 3.0, 10.0),
    thresholds: Sequence[float] = MODEL_THRESHOLDS,
    folds: int = 6,
) -> tuple[MatchSettings, float]:
    """Settings with a coverage model, and its cross-validated objective on ``records``.

    Cases are dealt into ``folds`` groups. For every combination of the ``grid``
    settings (those that shape the model's inputs or gate its verdict, such as the
    element floor) and regularisation, the model is fitted without a group and predicts
    that group; each decision threshold is scored on all held-out predictions together.
    The best combination is refitted on every record. Choosing them on held-out cases
    keeps them honest: an in-sample fit looks better than it is and overfits.
    """
    grid = grid or {}
    cases = sorted({record.case.id for record in records})
    group_of = {case: i % min(folds, len(cases)) for i, case in enumerate(cases)}
    groups = sorted(set(group_of.values()))
    best_value, best_settings = -float("inf"), settings
    best_l2, best_threshold = l2_values[0], thresholds[0]
    names = list(grid)
    for combination in itertools.product(*(grid[name] for name in names)):
        changes: dict[str, Any] = dict(zip(names, combination, strict=True))
        candidate = replace(settings, **changes)
        for l2 in l2_values:
            held_out: dict[float, list[Prediction]] = {t: [] for t in thresholds}
            for group in groups:
                train = [r for r in records if group_of[r.case.id] != group]
                test = [r for r in records if group_of[r.case.id] == group]
                model = train_coverage_model(train, candidate, l2, 0.5)
                for threshold in thresholds:
                    fold_model = replace(model, threshold=threshold) if model else None
                    held_out[threshold].extend(
                        predict(test, replace(candidate, coverage_model=fold_model))
                    )
            for threshold in thresholds:
                value = objective(held_out[threshold])
                if value > best_value + 1e-9:
                    best_value, best_settings = value, candidate
                    best_l2, best_threshold = l2, threshold
    model = train_coverage_model(records, best_settings, best_l2, best_threshold)
    return replace(best_settings, coverage_model=model), best_value
