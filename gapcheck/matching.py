"""Semantic matching of clauses against obligations.

Each obligation is represented by its requirement and by its example clauses: examples
are written the way terms of service are written, so clause-to-example similarity is
the strongest signal, and the requirement catches clauses worded like a rule. Counter-
examples (clauses that look alike but do not satisfy the obligation) are embedded too,
so a clause that resembles them more than any example is not taken as coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gapcheck.catalog import Catalog, Obligation
from gapcheck.embedding_cache import EmbeddingCache
from gapcheck.encoder import LoadedModel
from gapcheck.model import Clause


@dataclass(frozen=True)
class ObligationEntry:
    """An obligation with the rows of its texts in the catalog embedding matrix."""

    obligation: Obligation
    catalog: Catalog
    requirement_row: int
    example_rows: tuple[int, ...]
    counterexample_rows: tuple[int, ...]


@dataclass(frozen=True)
class CatalogIndex:
    """Every selected obligation with the embeddings of its texts."""

    entries: tuple[ObligationEntry, ...]
    texts: tuple[str, ...]
    vectors: np.ndarray

    @classmethod
    def build(
        cls, catalogs: Sequence[Catalog], model: LoadedModel, cache: EmbeddingCache
    ) -> CatalogIndex:
        """Embed all catalog texts, reading what it can from the cache."""
        texts: list[str] = []
        entries: list[ObligationEntry] = []

        def add(text: str) -> int:
            texts.append(text)
            return len(texts) - 1

        for catalog in catalogs:
            for obligation in catalog.obligations:
                requirement_row = add(obligation.requirement)
                example_rows = tuple(add(example) for example in obligation.examples)
                counter_rows = tuple(add(counter) for counter in obligation.counterexamples)
                entries.append(
                    ObligationEntry(
                        obligation, catalog, requirement_row, example_rows, counter_rows
                    )
                )
        vectors = cache.encode(model.model_id, texts, model.encoder.encode)
        return cls(tuple(entries), tuple(texts), vectors)


MIN_OBLIGATIONS_FOR_SPECIFICITY = 5
"""Specificity compares a clause's match to one obligation with its matches to the others;
with fewer obligations selected there is nothing meaningful to compare against."""


@dataclass(frozen=True)
class ClauseMatch:
    """How well one clause matches one obligation, and against which text.

    ``specificity`` is how much better the clause matches this obligation than it
    matches a typical other obligation (the median). A catch-all ("do not use the
    Service for any unlawful purpose") resembles every prohibited use a little and none
    in particular, so its specificity is low even when its similarity is high.
    """

    clause: Clause
    score: float
    specificity: float
    best_text: str
    counterexample_score: float


@dataclass(frozen=True)
class ScoreTable:
    """Per clause and obligation: best similarity, which text gave it, and specificity."""

    scores: np.ndarray
    best_rows: np.ndarray
    specificity: np.ndarray


def embed_clauses(clauses: Sequence[Clause], model: LoadedModel) -> np.ndarray:
    """Embed what each clause means in context (lead-in + text), one row per clause."""
    return model.encoder.encode([clause.match_text for clause in clauses])


def score_table(index: CatalogIndex, similarities: np.ndarray) -> ScoreTable:
    """Reduce the clause x catalog-text similarities to clause x obligation scores."""
    columns = len(index.entries)
    scores = np.zeros((similarities.shape[0], columns), dtype=np.float32)
    best_rows = np.zeros((similarities.shape[0], columns), dtype=np.int64)
    for column, entry in enumerate(index.entries):
        rows = np.array([entry.requirement_row, *entry.example_rows])
        block = similarities[:, rows]
        best = block.argmax(axis=1) if len(block) else np.zeros(0, dtype=np.int64)
        scores[:, column] = block.max(axis=1) if len(block) else 0.0
        best_rows[:, column] = rows[best]
    if columns >= MIN_OBLIGATIONS_FOR_SPECIFICITY and len(scores):
        specificity = scores - np.median(scores, axis=1, keepdims=True)
    else:
        specificity = np.full_like(scores, np.inf)
    return ScoreTable(scores, best_rows, specificity)


def rank_clauses(
    column: int,
    index: CatalogIndex,
    clauses: Sequence[Clause],
    similarities: np.ndarray,
    table: ScoreTable,
    counterexample_margin: float,
    limit: int,
) -> list[ClauseMatch]:
    """The ``limit`` clauses that best satisfy obligation ``column``, best first.

    A clause closer to one of the obligation's counterexamples than to its requirement
    and examples (by more than ``counterexample_margin``) is left out: it resembles the
    wording that does *not* satisfy the obligation.
    """
    if not clauses:
        return []
    entry = index.entries[column]
    scores = table.scores[:, column]
    if entry.counterexample_rows:
        counter = similarities[:, list(entry.counterexample_rows)].max(axis=1)
    else:
        counter = np.full(len(clauses), -1.0, dtype=np.float32)
    kept = np.flatnonzero(counter <= scores + counterexample_margin)
    order = kept[np.argsort(-scores[kept], kind="stable")][:limit]
    return [
        ClauseMatch(
            clause=clauses[i],
            score=float(scores[i]),
            specificity=float(table.specificity[i, column]),
            best_text=index.texts[int(table.best_rows[i, column])],
            counterexample_score=float(counter[i]),
        )
        for i in order
    ]
