"""Key-term matching: the words a clause shares with a query, weighted by Okapi BM25.

One implementation serves the matcher's lexical signal (every clause against every
obligation) and the BM25 baseline of the evaluation harness (one query at a time).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

K1 = 1.5
B = 0.75


def bm25_scores(
    documents: Sequence[Sequence[str]], queries: Sequence[frozenset[str]]
) -> np.ndarray:
    """BM25 of each document (a list of terms) against each query, per query term.

    Scores are divided by the number of distinct query terms so one weight or threshold
    serves queries of any length. Only words that occur in some query are indexed, so
    memory grows with documents x queries, never with the documents' vocabulary (a
    hostile file of unique words cannot blow it up). IDF is over ``documents``.
    """
    vocabulary: dict[str, int] = {}
    for terms in queries:
        for term in sorted(terms):
            vocabulary.setdefault(term, len(vocabulary))
    weights_by_query = np.zeros((len(vocabulary) or 1, len(queries)), dtype=np.float32)
    for column, terms in enumerate(queries):
        for term in terms:
            weights_by_query[vocabulary[term], column] = 1.0 / max(1, len(terms))
    counts: list[Counter[str]] = []
    lengths = np.zeros(len(documents), dtype=np.float32)
    frequency = np.zeros(len(vocabulary) or 1, dtype=np.float32)
    for row, words in enumerate(documents):
        lengths[row] = len(words)
        kept = Counter(word for word in words if word in vocabulary)
        counts.append(kept)
        for term in kept:
            frequency[vocabulary[term]] += 1
    idf = np.log(1 + (len(documents) - frequency + 0.5) / (frequency + 0.5))
    average = float(lengths.mean()) if len(lengths) else 1.0
    result = np.zeros((len(documents), len(queries)), dtype=np.float32)
    for row, kept in enumerate(counts):
        if not kept:
            continue
        norm = K1 * (1 - B + B * lengths[row] / (average or 1.0))
        columns = [vocabulary[term] for term in kept]
        tf = np.array(list(kept.values()), dtype=np.float32)
        weights = idf[columns] * tf * (K1 + 1) / (tf + norm)
        result[row] = weights @ weights_by_query[columns]
    return result


_LEXICAL_TOKEN = re.compile(r"[a-z0-9]+")
_STOP_WORDS = frozenset(
    (
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
        "such",
        "other",
        "which",
        "who",
    )
)


def lexical_terms(text: str) -> list[str]:
    """Lower-case words of at least three letters, without stop words, crudely stemmed."""
    return [
        word[:7]
        for word in _LEXICAL_TOKEN.findall(text.lower())
        if len(word) > 2 and word not in _STOP_WORDS
    ]
