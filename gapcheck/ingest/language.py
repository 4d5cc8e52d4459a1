"""Warn when a document does not look like English.

The embedding model and every catalog example are English, so clauses in another
language score low against every obligation and the report would list everything as
missing. Reading such a document is not an error (bilingual terms exist, and the user
may want the report anyway) but the user must be told why the results are poor.

The test is deliberately simple and dependency-free: English prose is about a third
function words ("the", "you", "of", ...), other languages score near zero on this list.
"""

from __future__ import annotations

import itertools
import re

ENGLISH_FUNCTION_WORDS = frozenset(
    {
        *("the", "of", "and", "to", "you", "your", "we", "our", "us", "is", "are", "be"),
        *("will", "may", "not", "any", "or", "for", "with", "that", "this", "by", "if"),
        *("shall", "must", "as", "from", "it", "its", "all", "such", "these", "which"),
        *("have", "has", "can", "at", "other", "without", "who", "under", "upon", "into"),
    }
)
"""Common English words that are rare in other languages written in Latin script."""

MIN_WORDS = 40
"""Shorter texts (a heading list, a table) give no reliable signal; they are not judged."""

MIN_LETTERS = 200
"""Fewer letters than this are not judged by script either."""

MIN_SHARE = 0.12
"""English terms run 0.3-0.45; German, French, Spanish, Dutch and Italian below 0.05."""

SAMPLE_WORDS = 20000
"""Only the first words are counted: enough for a verdict, bounded on huge files."""

_WORD = re.compile(r"[^\W\d_]+")


def english_share(text: str) -> tuple[float, int]:
    """The share of English function words among the first words of ``text``, and the count."""
    matches = itertools.islice(_WORD.finditer(text), SAMPLE_WORDS)
    words = [match.group(0).lower() for match in matches]
    if not words:
        return 0.0, 0
    hits = sum(1 for word in words if word in ENGLISH_FUNCTION_WORDS)
    return hits / len(words), len(words)


def latin_share(text: str) -> tuple[float, int]:
    """The share of ASCII letters among the letters at the start of ``text``, and the count.

    Scripts written without spaces (Chinese, Japanese) give few "words", so they are
    recognised by their letters instead.
    """
    sample = text[: SAMPLE_WORDS * 6]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return 0.0, 0
    return sum(1 for ch in letters if ch.isascii()) / len(letters), len(letters)


def language_warning(text: str) -> str | None:
    """A warning when ``text`` is long enough to judge and does not look like English."""
    latin, letters = latin_share(text)
    share, count = english_share(text)
    other_script = letters >= MIN_LETTERS and latin < 0.5
    other_language = count >= MIN_WORDS and share < MIN_SHARE
    if not (other_script or other_language):
        return None
    return (
        "the text does not look like English; the embedding model and catalogs are "
        "English-only, so most obligations will be reported missing"
    )
