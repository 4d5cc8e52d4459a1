"""The evaluation harness end to end on a tiny labelled set, with the real model."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from gapcheck.evaluation.calibration import fit_confidence, search
from gapcheck.evaluation.datasets import Dataset, operator_labels
from gapcheck.evaluation.harness import collect, make_analyzer, predict, predict_baseline
from gapcheck.evaluation.scoring import evidence_precision, score_statuses
from gapcheck.model import Status
from gapcheck.settings import MatchSettings

pytestmark = pytest.mark.model

TERMS = """# Terms of Service

## 1. Eligibility

You must be at least 13 years old, and users under 18 need a parent's or guardian's consent.

## 2. Acceptable use

You may not use the Service to create malware, hack other systems or infringe anyone's
intellectual property.

## 3. Our AI provider

Your use of AI features must comply with the OpenAI Usage Policies, which form part of
these Terms; a breach of them is a breach of these Terms.
"""


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    root = tmp_path_factory.mktemp("eval")
    (root / "terms" / "acme").mkdir(parents=True)
    (root / "terms" / "acme" / "terms.md").write_text(TERMS, encoding="utf-8")
    labels = root / "labels"
    labels.mkdir()
    items = [
        ("OPENAI-MIN-AGE", "covered", "You must be at least 13 years old"),
        ("OPENAI-USAGE-POLICY-PASSTHROUGH", "covered", "must comply with the OpenAI Usage"),
        ("OPENAI-POLITICAL-ELECTIONS", "missing", None),
        ("OPENAI-SELF-HARM", "missing", None),
    ]
    (labels / "acme.yaml").write_text(
        yaml.safe_dump(
            {
                "operator": "acme",
                "split": "tune",
                "documents": ["terms.md"],
                "labels": [
                    {"obligation": o, "status": s, "reason": "test", **({"quote": q} if q else {})}
                    for o, s, q in items
                ],
            }
        ),
        encoding="utf-8",
    )
    return operator_labels(labels, root / "terms")


def test_collect_predict_and_score(dataset: Dataset) -> None:
    assert dataset.selection.policy_versions == {"openai": dt.date(2025, 1, 29)}
    analyzer = make_analyzer(dataset)
    try:
        records = collect(dataset, analyzer)
    finally:
        analyzer.close()
    assert len(records) == 4
    predictions = {p.record.gold.obligation_id: p for p in predict(records, MatchSettings())}
    assert predictions["OPENAI-MIN-AGE"].status is Status.COVERED
    assert "at least 13" in predictions["OPENAI-MIN-AGE"].top_evidence
    assert predictions["OPENAI-POLITICAL-ELECTIONS"].status is not Status.COVERED
    figures = score_statuses(list(predictions.values()))
    assert figures["silent_coverage"] == 0
    assert figures["evidence_p_at_1"]["hits"] >= 1
    # A cited clause the label does not quote counts only once judged to address it.
    age = predictions["OPENAI-MIN-AGE"]
    unquoted = replace(age.record.gold, evidence=("Our AI provider is named in section three",))
    misses = replace(age, record=replace(age.record, gold=unquoted))
    judged = replace(
        misses,
        record=replace(age.record, gold=replace(unquoted, judged_evidence=(age.top_evidence,))),
    )
    assert evidence_precision([misses])["p_at_1_pooled"] == 0.0
    assert evidence_precision([judged])["p_at_1"] == 0.0
    assert evidence_precision([judged])["p_at_1_pooled"] == 1.0
    baseline = predict_baseline(records, "bm25", covered=1e9, partial=1e9)
    assert all(p.status is Status.MISSING for p in baseline)

    def objective(preds: list) -> float:  # type: ignore[type-arg]
        return float(score_statuses(preds)["macro_f1_covered_vs_gap"])

    tuned, value = search(records, MatchSettings(), {"covered_threshold": [0.5, 0.6]}, objective)
    assert value >= objective(predict(records, MatchSettings()))
    fitted = fit_confidence(records, tuned, lambda p: p.status is p.record.gold.status)
    assert fitted.confidence_slope >= 0.0
    assert all(0.0 < p.confidence < 1.0 for p in predict(records, fitted))


def test_unknown_obligation_label_is_an_error(dataset: Dataset, tmp_path: Path) -> None:
    case = dataset.cases[0]
    bad = Dataset(
        "bad",
        (
            type(case)(
                case.id,
                case.split,
                case.paths,
                (type(case.labels[0])("NOPE-1", Status.MISSING),),
            ),
        ),
        dataset.selection,
    )
    analyzer = make_analyzer(bad)
    try:
        with pytest.raises(ValueError, match="unknown obligation NOPE-1"):
            collect(bad, analyzer)
    finally:
        analyzer.close()
