"""Check the labelled operator development set in ``benchmarks/data/operator_labels``.

Every ``<operator>.yaml`` file there labels all obligations of the bundled OpenAI catalog for
one operator's real policy set in ``../shared/data/operator_terms/<operator>/``. This script
checks the schema (known obligation ids, each labelled exactly once, valid statuses, a quote
for every status but ``missing``), checks that every quote occurs in the named document's text
as gapcheck extracts it (after collapsing whitespace and normalising curly quotes and dashes),
checks the pooled evidence judgments the same way,
prints the number of labels per status per split and exits non-zero on any problem.

Usage::

    python benchmarks/check_operator_labels.py [--labels DIR] [--terms DIR] [--catalog FILE]
                                                [--judgments FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gapcheck.evaluation.evidence_judgments import JudgmentsError, load_judgments
from gapcheck.ingest.dispatch import read_document

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = PROJECT_ROOT / "benchmarks" / "data" / "operator_labels"
DEFAULT_TERMS = PROJECT_ROOT.parent / "shared" / "data" / "operator_terms"
DEFAULT_CATALOG = PROJECT_ROOT / "requirements_catalog" / "openai.yaml"
DEFAULT_JUDGMENTS = PROJECT_ROOT / "benchmarks" / "data" / "operator_evidence_judgments.yaml"

STATUSES: tuple[str, ...] = ("covered", "partial", "missing", "conflict")
SPLITS: tuple[str, ...] = ("tune", "test")
LABEL_KEYS = frozenset({"obligation", "status", "document", "quote", "reason", "more_evidence"})
FILE_KEYS = frozenset({"operator", "split", "documents", "labels"})

_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return ``text`` with curly quotes and dashes made plain and whitespace collapsed."""
    return _SPACE.sub(" ", text.translate(_TRANSLATION)).strip()


@dataclass
class Problems:
    """Collects problems found while checking, each prefixed with the file it came from."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        """Record one problem found in ``where``."""
        self.items.append(f"{where}: {message}")


class TextCache:
    """Extracted, normalised document texts, read once per file."""

    def __init__(self, terms_dir: Path) -> None:
        self._terms_dir = terms_dir
        self._texts: dict[tuple[str, str], str | None] = {}

    def get(self, operator: str, document: str) -> str | None:
        """Return the normalised text of ``document`` for ``operator``, or None if unreadable."""
        key = (operator, document)
        if key not in self._texts:
            path = self._terms_dir / operator / document
            try:
                self._texts[key] = normalise(read_document(path).text)
            except Exception:  # any reader failure is reported as a problem by the caller
                self._texts[key] = None
        return self._texts[key]


def load_obligation_ids(catalog: Path) -> list[str]:
    """Return the obligation ids of ``catalog`` in file order."""
    data = yaml.safe_load(catalog.read_text(encoding="utf-8"))
    obligations = data.get("obligations", []) if isinstance(data, dict) else []
    return [str(item["id"]) for item in obligations if isinstance(item, dict) and "id" in item]


def _check_quote(
    where: str,
    operator: str,
    document: object,
    quote: object,
    documents: Sequence[str],
    texts: TextCache,
    problems: Problems,
) -> None:
    """Check that ``quote`` is a non-empty string found verbatim in ``document``."""
    if not isinstance(document, str) or not document:
        problems.add(where, "document missing or not a string")
        return
    if document not in documents:
        problems.add(where, f"document {document!r} is not in the file's documents list")
    if not isinstance(quote, str) or not quote.strip():
        problems.add(where, "quote missing or empty")
        return
    text = texts.get(operator, document)
    if text is None:
        problems.add(where, f"cannot read {operator}/{document}")
        return
    if normalise(quote) not in text:
        problems.add(where, f"quote not found in {document}: {quote[:80]!r}")


def check_label(
    where: str,
    operator: str,
    label: Mapping[str, Any],
    documents: Sequence[str],
    texts: TextCache,
    problems: Problems,
) -> None:
    """Check one label entry: keys, status, reason, quote and any extra evidence."""
    unknown = set(label) - LABEL_KEYS
    if unknown:
        problems.add(where, f"unknown keys {sorted(unknown)}")
    status = label.get("status")
    reason = label.get("reason")
    if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
        problems.add(where, "reason must be one non-empty line")
    if status not in STATUSES:
        problems.add(where, f"status {status!r} is not one of {', '.join(STATUSES)}")
        return
    if status == "missing":
        if "quote" in label or "document" in label or "more_evidence" in label:
            problems.add(where, "a missing label has no document, quote or more_evidence")
        return
    _check_quote(
        where, operator, label.get("document"), label.get("quote"), documents, texts, problems
    )
    extra = label.get("more_evidence", [])
    if not isinstance(extra, list):
        problems.add(where, "more_evidence must be a list")
        return
    for index, item in enumerate(extra):
        item_where = f"{where} more_evidence[{index}]"
        if not isinstance(item, dict) or set(item) != {"document", "quote"}:
            problems.add(item_where, "each entry needs exactly document and quote")
            continue
        _check_quote(
            item_where, operator, item["document"], item["quote"], documents, texts, problems
        )


def check_file(
    path: Path,
    obligation_ids: Sequence[str],
    terms_dir: Path,
    texts: TextCache,
    problems: Problems,
    counts: Counter[tuple[str, str]],
) -> str | None:
    """Check one operator label file, add its statuses to ``counts`` and return its split."""
    where = path.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        problems.add(where, "top level must be a mapping")
        return None
    unknown = set(data) - FILE_KEYS
    if unknown:
        problems.add(where, f"unknown keys {sorted(unknown)}")
    operator = data.get("operator")
    if operator != path.stem:
        problems.add(where, f"operator {operator!r} does not match the file name")
        return None
    split = data.get("split")
    if split not in SPLITS:
        problems.add(where, f"split {split!r} is not one of {', '.join(SPLITS)}")
        split = None
    documents = data.get("documents")
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        problems.add(where, "documents must be a list of file names")
        documents = []
    on_disk = sorted(p.name for p in (terms_dir / operator).iterdir() if p.is_file())
    if sorted(documents) != on_disk:
        problems.add(where, f"documents {sorted(documents)} differ from the folder {on_disk}")
    labels = data.get("labels")
    if not isinstance(labels, list):
        problems.add(where, "labels must be a list")
        return split
    seen: Counter[str] = Counter()
    for index, label in enumerate(labels):
        if not isinstance(label, dict):
            problems.add(where, f"labels[{index}] is not a mapping")
            continue
        obligation = label.get("obligation")
        label_where = f"{where} {obligation or f'labels[{index}]'}"
        if not isinstance(obligation, str) or obligation not in obligation_ids:
            problems.add(label_where, "unknown obligation id")
            continue
        seen[obligation] += 1
        check_label(label_where, operator, label, documents, texts, problems)
        if split is not None and label.get("status") in STATUSES:
            counts[(split, label["status"])] += 1
    for obligation in obligation_ids:
        if seen[obligation] == 0:
            problems.add(where, f"{obligation} not labelled")
        elif seen[obligation] > 1:
            problems.add(where, f"{obligation} labelled {seen[obligation]} times")
    return split


def check_judgments(
    path: Path,
    documents: Mapping[str, Sequence[str]],
    obligation_ids: Sequence[str],
    texts: TextCache,
    problems: Problems,
) -> Counter[bool]:
    """Check the pooled evidence judgments; return how many say yes and no.

    Every judged clause must belong to a labelled operator and a catalog obligation, and
    occur in one of that operator's documents as gapcheck extracts it.
    """
    try:
        judged = load_judgments(path)
    except (OSError, yaml.YAMLError, JudgmentsError) as error:
        problems.add(path.name, str(error))
        return Counter()
    for operator, obligation, clause in judged.verdicts:
        where = f"{path.name} {operator} {obligation}"
        if operator not in documents:
            problems.add(where, "no label file for this operator")
            continue
        if obligation not in obligation_ids:
            problems.add(where, "unknown obligation id")
        found = any(
            normalise(clause) in (texts.get(operator, name) or "") for name in documents[operator]
        )
        if not found:
            problems.add(where, f"clause not found in the operator's documents: {clause[:80]!r}")
    return Counter(judged.verdicts.values())


def print_summary(counts: Counter[tuple[str, str]], operators: Mapping[str, list[str]]) -> None:
    """Print operators and labels per status for each split and in total."""
    header = f"{'split':<6} {'ops':>4} " + " ".join(f"{s:>9}" for s in STATUSES) + f" {'total':>6}"
    print(header)
    for split in (*SPLITS, "all"):
        chosen = SPLITS if split == "all" else (split,)
        row = [sum(counts[(s, status)] for s in chosen) for status in STATUSES]
        n_ops = sum(len(operators.get(s, [])) for s in chosen)
        print(f"{split:<6} {n_ops:>4} " + " ".join(f"{n:>9}" for n in row) + f" {sum(row):>6}")
    for split in SPLITS:
        print(f"{split}: {', '.join(sorted(operators.get(split, [])))}")


def main(argv: Sequence[str] | None = None) -> int:
    """Check every label file; print a summary; return 0 when there is no problem, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--terms", type=Path, default=DEFAULT_TERMS)
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    parser.add_argument("--judgments", type=Path, default=DEFAULT_JUDGMENTS)
    args = parser.parse_args(argv)
    obligation_ids = load_obligation_ids(args.catalog)
    problems = Problems()
    if not obligation_ids:
        problems.add(str(args.catalog), "no obligations found")
    files = sorted(args.labels.glob("*.yaml"))
    if not files:
        problems.add(str(args.labels), "no label files found")
    texts = TextCache(args.terms)
    counts: Counter[tuple[str, str]] = Counter()
    operators: dict[str, list[str]] = {}
    documents: dict[str, list[str]] = {}
    for path in files:
        try:
            split = check_file(path, obligation_ids, args.terms, texts, problems, counts)
        except (OSError, yaml.YAMLError) as error:
            problems.add(path.name, f"cannot be read: {error}")
            continue
        if split is not None:
            operators.setdefault(split, []).append(path.stem)
            documents[path.stem] = sorted(p.name for p in (args.terms / path.stem).iterdir())
    judged = check_judgments(args.judgments, documents, obligation_ids, texts, problems)
    print(f"{len(files)} label files, {len(obligation_ids)} obligations in the catalog")
    print_summary(counts, operators)
    print(f"evidence judgments: {judged[True]} address the obligation, {judged[False]} do not")
    for problem in problems.items:
        print(f"PROBLEM {problem}", file=sys.stderr)
    if problems.items:
        print(f"{len(problems.items)} problem(s)", file=sys.stderr)
        return 1
    print("all labels OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
