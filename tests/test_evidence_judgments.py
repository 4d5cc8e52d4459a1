"""Pooled evidence judgments: the file is checked as user data and reaches the labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gapcheck.evaluation.datasets import operator_labels
from gapcheck.evaluation.evidence_judgments import JudgmentsError, load_judgments

CLAUSE = "You may not harass,   bully or threaten other users."


def _write(path: Path, judgments: object) -> Path:
    path.write_text(yaml.safe_dump({"judgments": judgments}), encoding="utf-8")
    return path


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "operator": "acme",
        "obligation": "OPENAI-HARASSMENT-HATE",
        "clause": CLAUSE,
        "addresses": True,
        "reason": "bans harassment, one of the three elements",
    }
    entry.update(changes)
    return entry


def test_verdicts_are_found_whatever_the_whitespace(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "judgments.yaml",
        [_entry(), _entry(clause="Contact us at help@acme.example.", addresses=False)],
    )
    judged = load_judgments(path)
    assert (
        judged.verdict(
            "acme", "OPENAI-HARASSMENT-HATE", "You may not harass, bully or\nthreaten other users."
        )
        is True
    )
    assert (
        judged.verdict("acme", "OPENAI-HARASSMENT-HATE", "Contact us at help@acme.example.")
        is False
    )
    assert judged.verdict("acme", "OPENAI-SELF-HARM", CLAUSE) is None
    assert judged.accepted("acme", "OPENAI-HARASSMENT-HATE") == (
        "You may not harass, bully or threaten other users.",
    )
    assert judged.accepted("other", "OPENAI-HARASSMENT-HATE") == ()


def test_a_missing_file_means_nothing_judged(tmp_path: Path) -> None:
    assert load_judgments(tmp_path / "absent.yaml").verdicts == {}


@pytest.mark.parametrize(
    ("judgments", "message"),
    [
        ("not a list", "expected a mapping with a 'judgments' list"),
        ([{"operator": "acme"}], r"judgments\[0\]: needs exactly the keys"),
        ([_entry(addresses="yes")], r"judgments\[0\]: 'addresses' must be true or false"),
        ([_entry(reason=" ")], r"judgments\[0\]: operator, obligation, clause and reason"),
        ([_entry(), _entry(reason="again")], r"judgments\[1\]: this clause is already judged"),
    ],
)
def test_malformed_judgments_name_the_file_and_entry(
    tmp_path: Path, judgments: object, message: str
) -> None:
    path = _write(tmp_path / "judgments.yaml", judgments)
    with pytest.raises(JudgmentsError, match=message) as raised:
        load_judgments(path)
    assert str(path) in str(raised.value)


def test_accepted_clauses_reach_only_their_label(tmp_path: Path) -> None:
    terms = tmp_path / "terms" / "acme"
    terms.mkdir(parents=True)
    (terms / "terms.md").write_text(f"# Terms\n\n{CLAUSE}\n", encoding="utf-8")
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "acme.yaml").write_text(
        yaml.safe_dump(
            {
                "operator": "acme",
                "split": "test",
                "documents": ["terms.md"],
                "labels": [
                    {
                        "obligation": "OPENAI-HARASSMENT-HATE",
                        "status": "partial",
                        "quote": "harass",
                        "reason": "r",
                    },
                    {"obligation": "OPENAI-SELF-HARM", "status": "missing", "reason": "r"},
                ],
            }
        ),
        encoding="utf-8",
    )
    judged = load_judgments(_write(tmp_path / "judgments.yaml", [_entry()]))
    labels_by_id = {
        label.obligation_id: label
        for label in operator_labels(labels, tmp_path / "terms", judged).cases[0].labels
    }
    assert labels_by_id["OPENAI-HARASSMENT-HATE"].judged_evidence == (
        "You may not harass, bully or threaten other users.",
    )
    assert labels_by_id["OPENAI-HARASSMENT-HATE"].evidence == ("harass",)
    assert labels_by_id["OPENAI-SELF-HARM"].judged_evidence == ()
