"""Score gapcheck and two baselines on labelled data; write the tables the README shows.

    python benchmarks/evaluate.py                      # all datasets, report the test split
    python benchmarks/evaluate.py operators --split all

Datasets: ContractNLI dev (NDAs x 17 hypotheses), the labelled operator development set
(benchmarks/data/operator_labels), CLAUDETTE (evidence precision only). gapcheck runs
with the calibrated settings (gapcheck/calibration.json; ContractNLI with its own
benchmarks/results/contractnli_calibration.json). Baseline thresholds are tuned on the
same tuning split with the same objective, then everything is reported on the test split.
Results: benchmarks/results/evaluation.json and evaluation.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from calibrate import contractnli_objective, operators_objective
from evaluation_data import CONTRACTNLI_SETTINGS, RESULTS
from evaluation_data import records as cached_records

from gapcheck.encoder import model_identity, resolve_model_path
from gapcheck.evaluation.datasets import fingerprint
from gapcheck.evaluation.harness import (
    PairRecord,
    Prediction,
    predict,
    predict_baseline,
)
from gapcheck.evaluation.scoring import reliability, score_nli, score_statuses
from gapcheck.settings import CALIBRATION_FILE, MatchSettings, load_calibration

Objective = Callable[[Sequence[Prediction]], float]


def tune_baseline(
    records: Sequence[PairRecord], method: str, objective: Objective
) -> tuple[float, float]:
    """Covered and partial thresholds for a baseline, chosen on the tuning records."""
    scores = sorted({round((r.bm25 if method == "bm25" else r.cosine).score, 3) for r in records})
    if not scores:
        return 0.0, 0.0
    step = max(1, len(scores) // 60)
    grid = [*scores[::step], scores[-1] + 1.0]
    best = (-float("inf"), grid[0], grid[0])
    for covered in grid:
        for partial in [*[g for g in grid if g <= covered][::2], covered]:
            value = objective(predict_baseline(records, method, covered, partial))
            if value > best[0]:
                best = (value, covered, partial)
    return best[1], best[2]


def evaluate(name: str, split: str, settings_file: Path | None = None) -> dict[str, Any]:
    """All methods on one dataset; figures for ``split`` (baselines tuned on 'tune')."""
    dataset, records, model = cached_records(name)
    nli = name == "contractnli"
    settings = _settings_for(name, settings_file)
    objective = contractnli_objective if nli else operators_objective
    tune = [r for r in records if r.case.split == "tune"]
    chosen = records if split == "all" else [r for r in records if r.case.split == split]
    score = score_nli if nli else score_statuses
    methods: dict[str, Any] = {}
    ours = predict(chosen, settings)
    methods["gapcheck"] = {**score(ours), "reliability": reliability(ours, nli)}
    for method in ("bm25", "max_cosine"):
        if name == "claudette":
            covered, partial = -1.0, -1.0
        else:
            covered, partial = tune_baseline(tune, method.replace("max_", ""), objective)
        predictions = predict_baseline(chosen, method.replace("max_", ""), covered, partial)
        methods[method] = {**score(predictions), "thresholds": [covered, partial]}
    return {
        "dataset": name,
        "split": split,
        "cases": len({r.case.id for r in chosen}),
        "pairs": len(chosen),
        "labels_fingerprint": fingerprint(dataset),
        "model": model,
        "settings": settings.as_dict(),
        "methods": methods,
        "errors": _errors(ours) if not nli else _nli_errors(ours),
    }


def _settings_for(name: str, settings_file: Path | None) -> MatchSettings:
    """The dataset's settings, refused when they were fitted to another model.

    Scoring one model's matches with thresholds fitted to another would print figures
    that describe neither.
    """
    if settings_file is not None:
        path = settings_file
    elif name == "contractnli" and CONTRACTNLI_SETTINGS.is_file():
        path = CONTRACTNLI_SETTINGS
    else:
        path = CALIBRATION_FILE
    calibration = load_calibration(path)
    model_dir = resolve_model_path(None)
    mismatch = calibration.model_mismatch(model_identity(model_dir), model_dir.name)
    if mismatch:
        raise SystemExit(f"evaluate.py {name}: {mismatch}")
    return calibration.settings


def _errors(predictions: Sequence[Prediction]) -> list[dict[str, str]]:
    """Every disagreement with gold, for error analysis."""
    return [
        {
            "case": p.record.case.id,
            "obligation": p.record.gold.obligation_id,
            "gold": p.record.gold.status.value,
            "predicted": p.status.value,
            "rule": p.rule,
            "cited": p.top_evidence[:200],
            "gold_quote": (p.record.gold.evidence or ("",))[0][:200],
        }
        for p in predictions
        if p.status is not p.record.gold.status
    ]


def _nli_errors(predictions: Sequence[Prediction]) -> list[dict[str, str]]:
    from gapcheck.evaluation.scoring import NLI_LABEL

    return [
        {
            "case": p.record.case.id,
            "obligation": p.record.gold.obligation_id,
            "gold": NLI_LABEL[p.record.gold.status],
            "predicted": NLI_LABEL[p.status],
            "rule": p.rule,
        }
        for p in predictions
        if NLI_LABEL[p.status] != NLI_LABEL[p.record.gold.status]
    ]


def markdown(results: Sequence[dict[str, Any]]) -> str:
    """The README tables."""
    lines = [f"Produced by `python benchmarks/evaluate.py` on {dt.date.today().isoformat()}.", ""]
    for result in results:
        lines.append(
            f"### {result['dataset']} ({result['split']} split: {result['cases']} cases, "
            f"{result['pairs']} pairs)"
        )
        lines.append("")
        if result["dataset"] == "claudette":
            # Gold here is only which sentence is the evidence; statuses are not labelled.
            lines.append("| method | evidence P@1 |")
            lines.append("|---|---:|")
            for method, figures in result["methods"].items():
                evidence = figures["evidence_p_at_1"]
                lines.append(
                    f"| {method} | {evidence['p_at_1']:.3f} "
                    f"({evidence['hits']} of {evidence['cited']}) |"
                )
            lines.append("")
            continue
        if result["dataset"] == "contractnli":
            lines.append("| method | accuracy | macro-F1 | NotMentioned recall | evidence P@1 |")
            lines.append("|---|---:|---:|---:|---:|")
            for method, figures in result["methods"].items():
                lines.append(
                    f"| {method} | {figures['accuracy']:.3f} | {figures['macro_f1']:.3f} | "
                    f"{figures['not_mentioned_recall']:.3f} | "
                    f"{figures['evidence_p_at_1']['p_at_1']:.3f} "
                    f"({figures['evidence_p_at_1']['cited']} cited) |"
                )
        else:
            lines.append(
                "| method | covered-vs-gap macro-F1 | accuracy (4 statuses) | "
                "gold missing called covered | evidence P@1, label quotes | "
                "evidence P@1, pooled judgments |"
            )
            lines.append("|---|---:|---:|---:|---:|---:|")
            for method, figures in result["methods"].items():
                evidence = figures["evidence_p_at_1"]
                lines.append(
                    f"| {method} | {figures['macro_f1_covered_vs_gap']:.3f} | "
                    f"{figures['accuracy']:.3f} | {figures['silent_coverage']} of "
                    f"{figures['gold_missing']} | {evidence['p_at_1']:.3f} "
                    f"({evidence['hits']} of {evidence['cited']}) | "
                    f"{evidence['p_at_1_pooled']:.3f} ({evidence['pooled_hits']}) |"
                )
        lines.append("")
        bins = result["methods"]["gapcheck"]["reliability"]
        lines.append(f"gapcheck reliability (ECE {bins['ece']:.3f}):")
        lines.append("")
        lines.append("| confidence | verdicts | mean confidence | observed accuracy |")
        lines.append("|---|---:|---:|---:|")
        for b in bins["bins"]:
            if b["count"]:
                lines.append(
                    f"| {b['low']:.1f}-{b['high']:.1f} | {b['count']} | "
                    f"{b['mean_confidence']:.2f} | {b['accuracy']:.2f} |"
                )
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Evaluate the chosen datasets and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", default=["contractnli", "operators", "claudette"])
    parser.add_argument("--split", default="test", choices=("test", "tune", "all"))
    parser.add_argument(
        "--settings",
        type=Path,
        help="score gapcheck with this settings file (e.g. one fitted for the model "
        "GAPCHECK_MODEL names) instead of the bundled ones",
    )
    args = parser.parse_args()
    results = [evaluate(name, args.split, args.settings) for name in args.datasets]
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.split == "test" and len(args.datasets) == 3 else f"-{args.split}"
    if args.settings is not None:
        suffix += f"-{args.settings.stem}"
    (RESULTS / f"evaluation{suffix}.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    text = markdown(results)
    (RESULTS / f"evaluation{suffix}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
