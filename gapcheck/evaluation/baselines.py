"""The methods gapcheck must beat, run on the same clauses and the same labels.

* BM25: lexical retrieval (Okapi BM25, k1=1.5, b=0.75, :mod:`gapcheck.lexical`) of the
  obligation's text (requirement plus examples) against the document's clauses; the best
  clause's score per distinct query term is thresholded.
* Max-cosine: the plain semantic baseline: cosine between each clause and the
  requirement alone, maximum over clauses, thresholded.

Both give one score per (document, obligation) and a top clause; the thresholds are
tuned on the same tuning split as gapcheck's settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gapcheck.lexical import bm25_scores, lexical_terms


@dataclass(frozen=True)
class BaselineHit:
    """A baseline's score for one obligation in one document, and the clause it chose."""

    score: float
    clause_index: int


def bm25_hit(clauses: Sequence[str], query: str) -> BaselineHit:
    """Best clause for ``query`` by BM25 per query term (the matcher's own scorer)."""
    if not clauses:
        return BaselineHit(0.0, -1)
    scores = bm25_scores(
        [lexical_terms(text) for text in clauses], [frozenset(lexical_terms(query))]
    )[:, 0]
    best = int(scores.argmax())
    return BaselineHit(float(scores[best]), best)


def max_cosine_hit(clause_vectors: np.ndarray, requirement_vector: np.ndarray) -> BaselineHit:
    """Best clause by cosine with the requirement text (vectors are normalised)."""
    if not len(clause_vectors):
        return BaselineHit(0.0, -1)
    similarities = clause_vectors @ requirement_vector
    best = int(similarities.argmax())
    return BaselineHit(float(similarities[best]), best)
