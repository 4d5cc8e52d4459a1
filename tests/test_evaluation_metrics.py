"""Evaluation formulas on hand-made pairs, so every figure in the README is checkable."""

from __future__ import annotations

import pytest

from gapcheck.evaluation.harness import evidence_matches
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


def test_class_scores_and_macro_f1() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]
    a, b = class_scores(pairs, ("a", "b"))
    assert (a.precision, a.recall, a.support) == (1.0, 0.5, 2)
    assert b.precision == pytest.approx(2 / 3) and b.recall == 1.0
    assert macro_f1(pairs, ("a", "b")) == pytest.approx((2 / 3 + 0.8) / 2)
    assert accuracy(pairs) == 0.75


def test_gap_collapse_and_silent_coverage() -> None:
    assert covered_vs_gap(Status.CONFLICT) == "gap"
    assert covered_vs_gap(Status.COVERED) == "covered"
    pairs = [(Status.MISSING, Status.COVERED), (Status.MISSING, Status.PARTIAL)]
    assert silent_coverage(pairs) == 1


def test_reliability_bins_and_ece() -> None:
    outcomes = [(0.95, True), (0.95, False), (0.55, True)]
    bins = reliability_table(outcomes)
    top = bins[-1]
    assert top.count == 2 and top.accuracy == 0.5 and top.mean_confidence == pytest.approx(0.95)
    assert expected_calibration_error(bins) == pytest.approx((2 * 0.45 + 1 * 0.45) / 3)


def test_evidence_overlap() -> None:
    gold = ["We may suspend or terminate your account at any time without notice."]
    assert evidence_matches("12.1 We may suspend or terminate your account at any time", gold)
    assert not evidence_matches("You own your content.", gold)
    assert not evidence_matches("", gold)
