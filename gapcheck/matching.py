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


@dataclass(frozen=True)
class ClauseMatch:
    """How well one clause matches one obligation, and against which text."""

    clause: Clause
    score: float
    best_text: str
    counterexample_score: float


def embed_clauses(clauses: Sequence[Clause], model: LoadedModel) -> np.ndarray:
    """Embed what each clause means in context (lead-in + text), one row per clause."""
    return model.encoder.encode([clause.match_text for clause in clauses])


def rank_clauses(
    entry: ObligationEntry,
    index: CatalogIndex,
    clauses: Sequence[Clause],
    similarities: np.ndarray,
    counterexample_margin: float,
    limit: int,
) -> list[ClauseMatch]:
    """The ``limit`` clauses that best satisfy ``entry``, best first.

    ``similarities`` is the clause x catalog-text cosine matrix. A clause's score is its
    best similarity to the requirement or an example; when it is closer to a
    counterexample by more than ``counterexample_margin`` it is left out: it resembles
    the wording that does *not* satisfy the obligation.
    """
    if not clauses:
        return []
    positive_rows = [entry.requirement_row, *entry.example_rows]
    positive = similarities[:, positive_rows]
    best_column = positive.argmax(axis=1)
    scores = positive.max(axis=1)
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
            best_text=index.texts[positive_rows[int(best_column[i])]],
            counterexample_score=float(counter[i]),
        )
        for i in order
    ]
