"""List the quoted clauses no one has judged yet, for blind evidence judgments.

    python benchmarks/pool_evidence.py > to_judge.yaml

Evidence precision@1 asks whether the clause a method quotes first really addresses the
obligation. The labels name one clause (``quote``) and the others the label rests on
(``more_evidence``), but a policy often addresses an obligation in more places than the
annotator quoted, and a method citing such a clause is counted wrong. The standard cure
in retrieval evaluation is pooling: the first clause each method quotes (gapcheck, BM25,
max-cosine, so no method is favoured) that the label does not already accept is judged,
without saying which method quoted it, against the labelling rules. The judgments live
in ``benchmarks/data/operator_evidence_judgments.yaml``; this script prints the pool
items not judged yet, in a stable shuffled order that hides which method found them.
"""

from __future__ import annotations

import hashlib
import sys
from typing import Any

import yaml
from evaluation_data import OPERATOR_JUDGMENTS, records

from gapcheck.evaluation.evidence_judgments import load_judgments
from gapcheck.evaluation.harness import evidence_matches, predict, predict_baseline
from gapcheck.settings import load_match_settings


def main() -> int:
    """Print the unjudged pool as YAML items ready to be judged."""
    _, collected, _ = records("operators")
    judged = load_judgments(OPERATOR_JUDGMENTS)
    settings = load_match_settings()
    methods = [
        predict(collected, settings),
        predict_baseline(collected, "bm25", -1.0, -1.0),
        predict_baseline(collected, "cosine", -1.0, -1.0),
    ]
    items: dict[tuple[str, str, str], dict[str, Any]] = {}
    for predictions in methods:
        for prediction in predictions:
            record = prediction.record
            cited = prediction.top_evidence
            if not record.gold.evidence or not cited:
                continue
            if evidence_matches(cited, record.gold.evidence):
                continue
            key = (record.case.id, record.gold.obligation_id, cited)
            if key in items or judged.verdict(*key) is not None:
                continue
            clause = next(c for c in record.clauses if c.text == cited)
            obligation = record.entry.obligation
            items[key] = {
                "operator": record.case.id,
                "obligation": obligation.id,
                "requirement": obligation.requirement,
                "elements": [element.name for element in obligation.elements],
                "label": {
                    "status": record.gold.status.value,
                    "quote": record.gold.evidence[0],
                    "reason": record.gold.reason,
                },
                "document": clause.document,
                "section": " > ".join(clause.heading_path),
                "clause": cited,
            }
    ordered = sorted(items.values(), key=_shuffle_key)
    yaml.safe_dump(ordered, sys.stdout, sort_keys=False, allow_unicode=True, width=100)
    print(f"# {len(ordered)} clauses to judge", file=sys.stderr)
    return 0


def _shuffle_key(item: dict[str, Any]) -> str:
    """A stable order that does not group items by the method that quoted them."""
    text = f"{item['operator']}|{item['obligation']}|{item['clause']}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


if __name__ == "__main__":
    raise SystemExit(main())
