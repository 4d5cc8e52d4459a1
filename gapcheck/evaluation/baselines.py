"""The methods gapcheck must beat, run on the same clauses and the same labels.

* BM25: lexical retrieval (Okapi BM25, k1=1.5, b=0.75) of the obligation's text
  (requirement plus examples) against the document's clauses; the best clause's score,
  normalised by the obligation's self-score, is thresholded.
* Max-cosine: the plain semantic baseline: cosine between each clause and the
  requirement alone, maximum over clauses, thresholded.

Both give one score per (document, obligation) and a top clause; the thresholds are
tuned on the same tuning split as gapcheck's settings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "you",
        "your",
        "we",
        "our",
        "us",
        "any",
        "all",
        "may",
        "shall",
        "must",
        "not",
    }
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without stop words (BM25's terms)."""
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]


@dataclass(frozen=True)
class BaselineHit:
    """A baseline's score for one obligation in one document, and the clause it chose."""

    score: float
    clause_index: int


class BM25:
    """Okapi BM25 over one document's clauses."""

    def __init__(self, clauses: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.docs = [Counter(tokens(text)) for text in clauses]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        self.k1 = k1
        self.b = b
        frequency: Counter[str] = Counter()
        for doc in self.docs:
            frequency.update(doc.keys())
        n = len(self.docs)
        self.idf = {
            term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in frequency.items()
        }

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every clause for ``query``."""
        terms = tokens(query)
        result = np.zeros(len(self.docs), dtype=np.float64)
        for i, (doc, length) in enumerate(zip(self.docs, self.lengths, strict=True)):
            norm = self.k1 * (1 - self.b + self.b * length / (self.average or 1.0))
            total = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if tf:
                    total += self.idf.get(term, 0.0) * tf * (self.k1 + 1) / (tf + norm)
            result[i] = total
        return result


def bm25_hit(clauses: Sequence[str], query: str) -> BaselineHit:
    """Best clause for ``query``; the score is divided by the query's length in terms.

    Raw BM25 grows with query length; dividing by it lets one threshold serve every
    obligation.
    """
    if not clauses:
        return BaselineHit(0.0, -1)
    scores = BM25(clauses).scores(query)
    best = int(scores.argmax())
    return BaselineHit(float(scores[best]) / max(1, len(set(tokens(query)))), best)


def max_cosine_hit(clause_vectors: np.ndarray, requirement_vector: np.ndarray) -> BaselineHit:
    """Best clause by cosine with the requirement text (vectors are normalised)."""
    if not len(clause_vectors):
        return BaselineHit(0.0, -1)
    similarities = clause_vectors @ requirement_vector
    best = int(similarities.argmax())
    return BaselineHit(float(similarities[best]), best)
