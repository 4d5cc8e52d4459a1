"""Whether a clause forbids, permits or requires something: the deontic signal.

Embeddings see topic, not stance: "you may use outputs to train models" and "you may not
use outputs to train models" are near neighbours. A gap report that calls the first
clause coverage of a training ban gets the one thing that matters backwards. This module
reads the modal verbs and negations a drafter uses, so the assessment can tell a clause
that satisfies an obligation from one that contradicts it.

The rules are deliberately lexical and transparent (a lawyer can read them). They answer
for the clause's *main* stance; exceptions ("except as required by law") do not flip it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from functools import lru_cache


class Modality(str, Enum):
    """The stance a clause takes towards the conduct it describes."""

    PROHIBIT = "prohibit"
    PERMIT = "permit"
    REQUIRE = "require"
    NONE = "none"

    def opposes(self, other: Modality) -> bool:
        """True for a forbid/permit pair: one clause allows what the other bans."""
        return {self, other} == {Modality.PROHIBIT, Modality.PERMIT}


_PARTY = (
    r"(?:you|users?|customers?|members?|subscribers?|licensees?|operators?|we|the\s+company"
    r"|(?:receiving|disclosing)\s+party|recipients?|discloser|receivers?|(?:each|either|"
    r"neither|both|the)\s+part(?:y|ies)|employees?|it)"
)
"""Who a deontic modal binds. "Outputs may not be accurate" has no party: it is a
warning about likelihood, not a rule, so its "may not" is not a prohibition."""

_BOUND = rf"\b{_PARTY}\b[^.;:]{{0,60}}?"
_PROHIBIT = re.compile(
    rf"{_BOUND}\b(?:may|shall|must|will|can|should)\s+not\b"
    rf"|{_BOUND}\b(?:cannot|can't|won't|mustn't|shan't|agrees?\s+not\s+to|will\s+never)\b"
    r"|^\s*(?:do\s+not|don't|never|no)\b|[.;:]\s*(?:do\s+not|don't|never)\b"
    r"|\b(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden|not\s+(?:permitted|allowed))\b"
    r"|\bprohibit(?:s|ed|ion)?\b|\bforbid(?:s|den)?\b|\brefrain\s+from\b"
    r"|\byou\s+(?:agree\s+)?not\s+to\b|\bwithout\s+(?:our|the)\s+(?:prior\s+)?written\s+consent\b"
    rf"|{_BOUND}\b(?:may|shall|must|will|can)\b[^.;:]{{0,30}}\b(?:only|solely|exclusively)\b",
    re.IGNORECASE,
)
_POSSIBLE_DUTY = (
    r"(?:also\s+)?(?:be\s+(?:required|asked|obliged|obligated|expected)|need|have)\s+to\b"
)
"""After "may": "you may be required to provide ..." announces a possible duty, not a
permission, so it must not read as allowing anything."""
_PERMIT = re.compile(
    rf"{_BOUND}\b(?:may|can|could)\b(?!\s+not\b)(?!\s+{_POSSIBLE_DUTY})"
    r"|\b(?:is|are)\s+(?:permitted|allowed|free|entitled)\s+to\b|\bfree\s+to\b"
    r"|\bentitled\s+to\b|\bha(?:s|ve)\s+the\s+right\s+to\b|\bfor\s+any\s+purpose\b",
    re.IGNORECASE,
)
_REQUIRE = re.compile(
    rf"{_BOUND}\b(?:shall|must|will|agrees?\s+to|(?:is|are)\s+required\s+to|undertakes?\s+to)\b"
    r"(?!\s+not\b)",
    re.IGNORECASE,
)
_PERMISSIVE_NEGATION = re.compile(
    r"\bnothing\s+in\s+th(?:is|ese)\b[^.;]*\b(?:prevent|prohibit|restrict|limit)", re.IGNORECASE
)


@lru_cache(maxsize=65536)
def detect_modality(text: str) -> Modality:
    """The clause's main stance: prohibition beats permission beats requirement.

    "Nothing in this Agreement prevents ..." is a permission, although it contains a
    negation. "You may use the Service only for ..." is a restriction (prohibitive).
    Modal verbs count only when a party is their subject (or in an imperative), so a
    warning such as "outputs may not be accurate" takes no stance.
    """
    if _PERMISSIVE_NEGATION.search(text):
        return Modality.PERMIT
    if _PROHIBIT.search(text):
        return Modality.PROHIBIT
    if _PERMIT.search(text):
        return Modality.PERMIT
    if _REQUIRE.search(text):
        return Modality.REQUIRE
    return Modality.NONE


def expected_modality(examples: Iterable[str]) -> Modality:
    """The stance an obligation's satisfying clauses take: the majority of its examples.

    Reading it off the examples keeps it data: a catalog author controls it by how the
    examples are written, and no per-obligation flag can drift out of step with them.
    Returns NONE when no stance has a clear majority.
    """
    counts: dict[Modality, int] = {}
    total = 0
    for example in examples:
        modality = detect_modality(example)
        counts[modality] = counts.get(modality, 0) + 1
        total += 1
    if not total:
        return Modality.NONE
    best = max(counts, key=lambda m: counts[m])
    if best is Modality.NONE or counts[best] * 2 <= total:
        return Modality.NONE
    return best
