"""Exceptions, conditions and scope limits: the words that narrow a clause's rule.

"You may not use outputs to train models unless we agree in writing" satisfies a training
ban only as far as its exception allows, and "no hateful content in our forums" bans it
in one place. Similarity cannot see how far a rule reaches, and the element cues cannot
either, so a covered finding resting on such a clause must say so where the lawyer reads
it: the finding's explanation quotes each qualifier of the deciding clause.

They inform the reader and decide nothing. On both tuning splits a qualifier in the best
supporting clause hardly tells the gold statuses apart (``benchmarks/qualifier_signal.py``:
5% of covered against 3% of partial operator obligations; 40% of entailed, 46% of
not-mentioned and 29% of contradicted NDA hypotheses), so as a coverage-model signal it
would add noise. How far an exception reaches is a reading for the lawyer, not for a
pattern.

Legal boilerplate that narrows nothing ("except as required by law", "to the fullest
extent permitted by law", "subject to these Terms") is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class QualifierKind(str, Enum):
    """How a qualifier narrows a rule."""

    EXCEPTION = "exception"
    CONDITION = "condition"
    SCOPE = "scope"


@dataclass(frozen=True)
class Qualifier:
    """One qualifier found in a clause, with the words it introduces."""

    kind: QualifierKind
    excerpt: str


_BOILERPLATE = re.compile(
    r"\b(?:except|unless|save)\s+(?:as\s+)?(?:otherwise\s+)?(?:expressly\s+|specifically\s+)?"
    r"(?:required|permitted|prohibited|provided|set\s+(?:forth|out)|stated|agreed|specified"
    r"|authori[sz]ed|described|noted)\b[^.;:]{0,50}?\b(?:laws?|herein|below|above|terms"
    r"|agreement|policy|writing|section\s+[\w.()]+)\b"
    r"|\b(?:except|unless|save)\b[^.;:]{0,60}?\b(?:required|permitted|allowed|prohibited)\s+"
    r"(?:by|under)\s+(?:applicable\s+|the\s+)?laws?\b"
    r"|\bunless\s+otherwise\s+\w+"
    r"|\b(?:but\s+)?not\s+limited\s+to\b|\bwithout\s+limitation\b"
    r"|\bto\s+the\s+(?:maximum|fullest|greatest|full)?\s*extent\s+(?:permitted|required|allowed"
    r"|permissible|prohibited)\s+(?:by|under)\s+(?:applicable\s+|the\s+)?laws?\b"
    r"|\bto\s+the\s+extent\s+(?:permitted|required|allowed)\s+by\s+(?:applicable\s+)?laws?\b"
    r"|\b(?:except|save)\s+(?:and\s+solely\s+)?to\s+the\s+extent\b[^.;:]{0,80}?"
    r"\b(?:impermissible|unenforceable|prohibited|permitted|required|allowed)\b[^.;:]{0,30}?"
    r"\blaws?\b"
    r"|\bsubject\s+to\s+(?:these|the|this|our)\s+(?:terms|agreement|conditions|policy)\b"
    r"|\bsubject\s+to\s+(?:applicable\s+)?laws?\b",
    re.IGNORECASE,
)
"""Phrases every contract carries; they do not narrow the rule of the clause ("including but
not limited to" even widens it)."""

_PATTERNS: tuple[tuple[QualifierKind, re.Pattern[str]], ...] = (
    (
        QualifierKind.EXCEPTION,
        re.compile(
            r"\b(?:except(?:ing)?(?!ional)|unless|other\s+than|save\s+(?:as|for|where)"
            r"|with\s+the\s+exception\s+of|excluding|apart\s+from)\b",
            re.IGNORECASE,
        ),
    ),
    (
        QualifierKind.CONDITION,
        re.compile(
            r"\b(?:only\s+(?:if|where|when)|if\s+and\s+only\s+if|provided(?:\s+that|\s*,\s*however)"
            r"|on\s+(?:the\s+)?condition\s+that|to\s+the\s+extent|insofar\s+as)\b"
            # "Subject to X, you may ..." conditions a rule; "be subject to a decision" does not.
            r"|(?:^|[.,;]\s*)subject\s+to\b",
            re.IGNORECASE,
        ),
    ),
    (
        QualifierKind.SCOPE,
        re.compile(
            r"\b(?:(?:applies|apply)\s+only\s+to|only\s+(?:applies|apply)\s+to|limited\s+to"
            r"|solely\s+(?:for|in|to|within)|only\s+(?:in|on|within)\s+(?:the|our|your|this)"
            r"|in\s+(?:our|the)\s+(?:community|forums?|chats?|comments?|discord|message\s+boards?"
            r"|public\s+areas?|gallery|feed)|in\s+your\s+(?:profile|username|avatar|bio))\b",
            re.IGNORECASE,
        ),
    ),
)

_EXCERPT_WORDS = 10
"""Words quoted from the qualifier on, up to the next punctuation: enough to read it."""


@lru_cache(maxsize=8192)
def find_qualifiers(text: str) -> tuple[Qualifier, ...]:
    """Every exception, condition and scope limit in ``text``, in reading order."""
    cleaned = _BOILERPLATE.sub(lambda match: " " * len(match.group(0)), text)
    found: list[tuple[int, Qualifier]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(cleaned):
            phrase = match.group(0)
            start = match.start() + len(phrase) - len(phrase.lstrip(".,; \t\n"))
            found.append((start, Qualifier(kind, _excerpt(text, start, match.end()))))
    found.sort(key=lambda item: item[0])
    unique: dict[str, Qualifier] = {}
    for _, qualifier in found:
        unique.setdefault(qualifier.excerpt.lower(), qualifier)
    return tuple(unique.values())


def _excerpt(text: str, start: int, end: int) -> str:
    """The qualifier's words (``start`` to ``end``) and what follows up to punctuation."""
    rest = text[end:]
    # "provided, however, that ..." goes on after its comma; other qualifiers end there.
    lead = len(rest) - len(rest.lstrip(" ,")) if text[:end].lower().endswith("however") else 0
    tail = rest[:lead] + re.split(r"[.;:,\n]", rest[lead:], maxsplit=1)[0]
    words = (text[start:end] + tail).split()
    clipped = " ".join(words[:_EXCERPT_WORDS])
    return clipped + (" ..." if len(words) > _EXCERPT_WORDS else "")


def describe(qualifiers: tuple[Qualifier, ...]) -> str:
    """One line for an explanation: each qualifier's kind and its quoted words."""
    return "; ".join(f'{q.kind.value}: "{q.excerpt}"' for q in qualifiers)
