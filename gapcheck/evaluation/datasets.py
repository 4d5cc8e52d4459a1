"""Labelled data the harness scores against, read into one shape.

A :class:`Case` is one policy set (documents read together) with gold labels for some
obligations; each dataset says which catalogs to check against and how its cases split
into a tuning part (used to calibrate) and a test part (used to report).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gapcheck.catalog_selection import CatalogSelection
from gapcheck.evaluation.evidence_judgments import EvidenceJudgments
from gapcheck.model import Clause, Status


@dataclass(frozen=True)
class GoldLabel:
    """The right status for one obligation, and the text that shows it."""

    obligation_id: str
    status: Status
    evidence: tuple[str, ...] = ()
    reason: str = ""
    judged_evidence: tuple[str, ...] = ()
    """Further clauses judged, blind to the method that quoted them, to address the
    obligation (see :mod:`gapcheck.evaluation.evidence_judgments`)."""


@dataclass(frozen=True)
class Case:
    """One policy set with its labels. ``clauses`` is set when the data fixes them."""

    id: str
    split: str
    paths: tuple[Path, ...]
    labels: tuple[GoldLabel, ...]
    clauses: tuple[Clause, ...] | None = None


@dataclass(frozen=True)
class Dataset:
    """Cases plus the catalog selection they are labelled against."""

    name: str
    cases: tuple[Case, ...]
    selection: CatalogSelection


CONTRACTNLI_STATUS = {
    "Entailment": Status.COVERED,
    "NotMentioned": Status.MISSING,
    "Contradiction": Status.CONFLICT,
}


def contractnli(dev_json: Path, catalog: Path, work_dir: Path) -> Dataset:
    """ContractNLI dev: each NDA a document, each hypothesis an obligation.

    The NDAs are written to ``work_dir`` as text files so they go through gapcheck's own
    reading and clause splitting. Every third document (by id order) is tuning data.
    """
    data = json.loads(dev_json.read_text(encoding="utf-8"))
    work_dir.mkdir(parents=True, exist_ok=True)
    cases = []
    for position, document in enumerate(sorted(data["documents"], key=lambda d: d["id"])):
        path = work_dir / f"nda-{document['id']:04d}.txt"
        if not path.exists():
            path.write_text(document["text"], encoding="utf-8")
        spans = document["spans"]
        labels = []
        for key, annotation in sorted(document["annotation_sets"][0]["annotations"].items()):
            evidence = tuple(
                document["text"][spans[i][0] : spans[i][1]] for i in annotation["spans"]
            )
            labels.append(
                GoldLabel(key.upper(), CONTRACTNLI_STATUS[annotation["choice"]], evidence)
            )
        split = "tune" if position % 3 == 0 else "test"
        cases.append(Case(f"nda-{document['id']}", split, (path,), tuple(labels)))
    selection = CatalogSelection(paths=(catalog,), include_bundled=False)
    return Dataset("contractnli", tuple(cases), selection)


def operator_labels(
    label_dir: Path, terms_dir: Path, judgments: EvidenceJudgments | None = None
) -> Dataset:
    """The labelled operator development set (benchmarks/data/operator_labels/).

    Checked against every bundled catalog at OpenAI's January 2025 policy version (the
    labels cover OpenAI obligations, including the AI-disclosure rule of that version).
    ``judgments`` adds the clauses judged to address an obligation besides the quotes.
    """
    judged = judgments or EvidenceJudgments()
    cases = []
    for file in sorted(label_dir.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        operator = str(data["operator"])
        paths = tuple(terms_dir / operator / name for name in data["documents"])
        labels = tuple(
            GoldLabel(
                str(item["obligation"]),
                Status(item["status"]),
                _label_evidence(item),
                str(item.get("reason", "")),
                judged.accepted(operator, str(item["obligation"])),
            )
            for item in data["labels"]
        )
        cases.append(Case(operator, str(data["split"]), paths, labels))
    selection = CatalogSelection(policy_versions={"openai": dt.date(2025, 1, 29)})
    return Dataset("operators", tuple(cases), selection)


def _label_evidence(item: dict[str, Any]) -> tuple[str, ...]:
    """Every clause a label rests on: its main quote, then the ``more_evidence`` quotes.

    The labelling rules (RULES.md 1.6) put the single most specific clause in ``quote``
    and the other clauses the label also rests on in ``more_evidence``; each of them
    addresses the obligation, so citing any of them first is a correct citation.
    """
    quotes = [item.get("quote")] + [extra.get("quote") for extra in item.get("more_evidence") or []]
    return tuple(str(quote) for quote in quotes if quote)


CLAUDETTE_TAG_OBLIGATIONS = {
    "ter": "OPENAI-SUSPENSION-FOR-BREACH",
    "ch": "OPENAI-POLICY-CHANGES-FLOW-THROUGH",
}
"""CLAUDETTE tags whose sentences are the clause our obligation should cite:
unilateral termination -> the suspension right; unilateral change -> changes apply."""


def claudette(folder: Path) -> Dataset:
    """CLAUDETTE terms of service, one sentence per clause, for evidence precision.

    Only documents containing a mapped tag are kept; the gold evidence for the mapped
    obligation is every sentence carrying the tag. All cases are test data.
    """
    cases = []
    for sentences_file in sorted((folder / "sentences").glob("*.txt")):
        tags_file = folder / "tags" / sentences_file.name
        sentences = sentences_file.read_text(encoding="utf-8").splitlines()
        tags = tags_file.read_text(encoding="utf-8").splitlines()
        clauses = []
        tagged: dict[str, list[str]] = {}
        for number, (sentence, tag_line) in enumerate(zip(sentences, tags, strict=False)):
            if not sentence.strip():
                continue
            clauses.append(Clause(sentences_file.name, str(number + 1), (), sentence.strip(), 0, 0))
            for tag in tag_line.split():
                tagged.setdefault(tag.rstrip("0123456789"), []).append(sentence.strip())
        labels = tuple(
            GoldLabel(obligation, Status.COVERED, tuple(tagged[tag]))
            for tag, obligation in CLAUDETTE_TAG_OBLIGATIONS.items()
            if tag in tagged
        )
        if labels:
            cases.append(
                Case(sentences_file.stem, "test", (sentences_file,), labels, tuple(clauses))
            )
    selection = CatalogSelection(vendors=("openai",))
    return Dataset("claudette", tuple(cases), selection)


def fingerprint(dataset: Dataset) -> str:
    """A short hash of the labels, recorded with results so they can be matched to data."""
    digest = hashlib.sha256()
    for case in dataset.cases:
        for label in case.labels:
            digest.update(f"{case.id}|{label.obligation_id}|{label.status.value}\n".encode())
    return digest.hexdigest()[:12]
