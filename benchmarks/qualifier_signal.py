"""Does a qualifier in the best supporting clause predict the gold status? (tuning splits)

    python benchmarks/qualifier_signal.py

Exceptions, conditions and scope limits (``gapcheck/qualifiers.py``) are quoted in a
finding's explanation. Whether they should also weigh in the verdict is a question for
the data: this prints, per gold status, how often the best supporting clause (the one the
coverage model reads) carries a qualifier. Only the tuning splits are read.
"""

from __future__ import annotations

from collections import Counter

from evaluation_data import CONTRACTNLI_SETTINGS, records

from gapcheck.assess import supporting_clauses
from gapcheck.evaluation.harness import candidates
from gapcheck.qualifiers import find_qualifiers
from gapcheck.settings import load_match_settings


def main() -> int:
    """Print the share of qualified best clauses per gold status and dataset."""
    for name in ("operators", "contractnli"):
        _, collected, _ = records(name)
        settings = (
            load_match_settings(CONTRACTNLI_SETTINGS)
            if name == "contractnli"
            else load_match_settings()
        )
        counts: Counter[tuple[str, bool]] = Counter()
        for record in collected:
            if record.case.split != "tune":
                continue
            supporting = supporting_clauses(record.entry, candidates(record, settings), settings)
            if supporting:
                qualified = bool(find_qualifiers(supporting[0].clause.text))
                counts[(record.gold.status.value, qualified)] += 1
        print(f"{name} (tuning split): best supporting clause carries a qualifier")
        for status in ("covered", "partial", "missing", "conflict"):
            total = counts[(status, True)] + counts[(status, False)]
            if total:
                share = counts[(status, True)] / total
                print(f"  gold {status:<9} {counts[(status, True)]:>4} of {total:<4} {share:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
