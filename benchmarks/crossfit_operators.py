"""How much would more tuning operators help? Cross-fitting over all 15 labelled operators.

    python benchmarks/crossfit_operators.py [--folds 3] [--jobs 2]

The reported operator figures come from settings fitted on the 6 tuning operators and
scored on the other 9. With so few tuning operators, the held-out gap could be the
method's limit or just too little data. This script deals the 15 operators into folds
(alphabetically, every ``folds``-th one), fits every setting on the other folds exactly as
``calibrate.py operators`` does, scores the fold, and pools the held-out predictions:
each operator is scored by settings fitted on 10 others instead of 6.

It is an analysis, not the product: the bundled settings stay those fitted on the fixed
tuning split, and the README's held-out figures stay the fixed split's. Results go to
``benchmarks/results/crossfit_operators.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from calibrate import calibrate
from evaluation_data import RESULTS, records

from gapcheck.evaluation.harness import Prediction, predict
from gapcheck.evaluation.scoring import score_statuses


def _fold_predictions(fold: int, folds: int) -> tuple[list[str], list[Prediction], float]:
    """Fit on every operator outside ``fold``; predict the operators in it."""
    _, collected, _ = records("operators")
    operators = sorted({r.case.id for r in collected})
    held_out = set(operators[fold::folds])
    tune = [r for r in collected if r.case.id not in held_out]
    settings, objective, _ = calibrate(tune, nli=False)
    test = [r for r in collected if r.case.id in held_out]
    return sorted(held_out), predict(test, settings), objective


def _figures(predictions: list[Prediction]) -> dict[str, Any]:
    figures = score_statuses(predictions)
    evidence = figures["evidence_p_at_1"]
    return {
        "operators": len({p.record.case.id for p in predictions}),
        "pairs": len(predictions),
        "macro_f1_covered_vs_gap": round(figures["macro_f1_covered_vs_gap"], 3),
        "accuracy_4_statuses": round(figures["accuracy"], 3),
        "silent_coverage": figures["silent_coverage"],
        "gold_missing": figures["gold_missing"],
        "evidence_p_at_1": round(evidence["p_at_1"], 3),
        "evidence_p_at_1_pooled": round(evidence["p_at_1_pooled"], 3),
    }


def main() -> int:
    """Cross-fit, print and store the pooled held-out figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    records("operators")  # collect (or read the cache) once, before the workers start
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(_fold_predictions, range(args.folds), [args.folds] * args.folds))
    pooled = [p for _, predictions, _ in outcomes for p in predictions]
    fixed_test = [p for p in pooled if p.record.case.split == "test"]
    result = {
        "date": dt.date.today().isoformat(),
        "command": f"python benchmarks/crossfit_operators.py --folds {args.folds}",
        "folds": [
            {"held_out": held_out, "cv_objective": round(objective, 4)}
            for held_out, _, objective in outcomes
        ],
        "all_operators": _figures(pooled),
        "fixed_test_operators": _figures(fixed_test),
    }
    (RESULTS / "crossfit_operators.json").write_text(
        json.dumps(result, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
