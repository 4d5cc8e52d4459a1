"""Finding an obligation's required parts ("elements") in clause text by their cues.

An obligation such as "minimum age AND parental consent" or "ban these eleven categories"
is only covered when every part is there. Similarity over a whole clause cannot count
parts, so each element lists cue phrases, and a part is present when a clause that is on
topic contains one. Matching is case-insensitive, starts at a word boundary and lets the
last word continue ("prohibit" finds "prohibited"; a final "e" may drop, so "misuse"
finds "misusing"), so cues stay short and readable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from gapcheck.catalog import ConflictCue, Element

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def normalise(text: str) -> str:
    """Fold curly quotes and dashes and collapse whitespace, so cues match as typed."""
    return " ".join(text.translate(_QUOTES).split())


@lru_cache(maxsize=8192)
def _cue_pattern(cue: str) -> tuple[str, re.Pattern[str]]:
    """The cue's regular expression, and a literal word it cannot match without.

    Most clauses name none of an element's cues; a plain substring test on that word
    rules a cue out far faster than the regular expression can.
    """
    words = normalise(cue).split()
    if words and len(words[-1]) >= 5 and words[-1].lower().endswith("e"):
        # "misuse" should find "misusing" and "misused": drop a final silent e.
        words[-1] = words[-1][:-1]
    body = r"\s+".join(re.escape(word) for word in words)
    return (words[0].lower() if words else ""), re.compile(rf"(?<![\w]){body}", re.IGNORECASE)


@lru_cache(maxsize=16384)
def _folded(text: str) -> tuple[str, str]:
    folded = normalise(text)
    return folded, folded.lower()


def find_cue(element: Element, text: str) -> str:
    """The first cue of ``element`` that occurs in ``text`` ('' when none does)."""
    return next((cue for cue in element.cues if _phrase_in(cue, text)), "")


def find_conflict_cue(conflict: ConflictCue, text: str) -> str:
    """The cue of a ruled-out position that ``text`` takes ('' when it takes none).

    A clause naming one of the ``unless`` phrases excludes that position instead.
    """
    cue = find_cue(conflict, text)
    if not cue or any(_phrase_in(phrase, text) for phrase in conflict.unless):
        return ""
    return cue


def _phrase_in(phrase: str, text: str) -> bool:
    folded, lowered = _folded(text)
    word, pattern = _cue_pattern(phrase)
    return word in lowered and pattern.search(folded) is not None


def missing_elements(elements: Sequence[Element], text: str) -> list[str]:
    """Names of the elements none of whose cues occur in ``text``."""
    return [element.name for element in elements if not find_cue(element, text)]
