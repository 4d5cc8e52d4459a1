"""Pooled judgments of quoted clauses: does this clause address the obligation?

A label quotes the clauses its status rests on, but a policy can address an obligation
in more places than the annotator quoted. Clauses that some method quoted first and the
label did not name are judged one by one, blind to the method (see
``benchmarks/pool_evidence.py``), and the judgments are kept here as data, negative ones
included so that a clause is never judged twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gapcheck.elements import normalise

_KEYS = frozenset({"operator", "obligation", "clause", "addresses", "reason"})


@dataclass(frozen=True)
class EvidenceJudgments:
    """Judged clauses per (operator, obligation), keyed by normalised text (quotes, spaces)."""

    verdicts: dict[tuple[str, str, str], bool] = field(default_factory=dict)

    def verdict(self, operator: str, obligation: str, clause: str) -> bool | None:
        """True or False when the clause was judged for the pair, else None."""
        return self.verdicts.get((operator, obligation, normalise(clause)))

    def accepted(self, operator: str, obligation: str) -> tuple[str, ...]:
        """The clauses judged to address the obligation for this operator."""
        return tuple(
            clause
            for (case, obligation_id, clause), addresses in self.verdicts.items()
            if addresses and case == operator and obligation_id == obligation
        )


class JudgmentsError(ValueError):
    """The judgments file is malformed; the message names the entry."""


def load_judgments(path: Path) -> EvidenceJudgments:
    """Read and check the judgments file; a missing file means nothing judged yet."""
    if not path.is_file():
        return EvidenceJudgments()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("judgments") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise JudgmentsError(f"{path}: expected a mapping with a 'judgments' list")
    verdicts: dict[tuple[str, str, str], bool] = {}
    for index, entry in enumerate(entries):
        where = f"{path}: judgments[{index}]"
        if not isinstance(entry, dict) or set(entry) != _KEYS:
            raise JudgmentsError(f"{where}: needs exactly the keys {sorted(_KEYS)}")
        if not isinstance(entry["addresses"], bool):
            raise JudgmentsError(f"{where}: 'addresses' must be true or false")
        if not all(
            isinstance(entry[key], str) and entry[key].strip() for key in _KEYS - {"addresses"}
        ):
            raise JudgmentsError(f"{where}: operator, obligation, clause and reason must be text")
        key = (entry["operator"], entry["obligation"], normalise(entry["clause"]))
        if key in verdicts:
            raise JudgmentsError(f"{where}: this clause is already judged for the pair")
        verdicts[key] = entry["addresses"]
    return EvidenceJudgments(verdicts)
