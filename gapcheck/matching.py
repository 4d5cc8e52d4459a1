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
from functools import lru_cache

import numpy as np

from gapcheck.catalog import Catalog, Obligation
from gapcheck.elements import find_cue
from gapcheck.embedding_cache import EmbeddingCache
from gapcheck.encoder import LoadedModel
from gapcheck.lexical import bm25_scores, lexical_terms
from gapcheck.modality import Modality, detect_modality, expected_modality
from gapcheck.model import Clause


@dataclass(frozen=True)
class ObligationEntry:
    """An obligation with the rows of its texts in the catalog embedding matrix."""

    obligation: Obligation
    catalog: Catalog
    requirement_row: int
    example_rows: tuple[int, ...]
    counterexample_rows: tuple[int, ...]
    contradiction_rows: tuple[int, ...] = ()
    expected_modality: Modality = Modality.NONE


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
                expected = expected_modality(obligation.examples)
                # A counterexample written with the opposite stance (the examples forbid,
                # it permits) is a contradiction: matching it means conflict, not a gap.
                opposing = tuple(
                    row
                    for row, counter in zip(counter_rows, obligation.counterexamples, strict=True)
                    if expected.opposes(detect_modality(counter))
                )
                explicit = tuple(add(text) for text in obligation.contradictions)
                entries.append(
                    ObligationEntry(
                        obligation,
                        catalog,
                        requirement_row,
                        example_rows,
                        counter_rows,
                        opposing + explicit,
                        expected,
                    )
                )
        vectors = cache.encode(model.model_id, texts, model.encoder.encode)
        return cls(tuple(entries), tuple(texts), vectors)


MIN_OBLIGATIONS_FOR_SPECIFICITY = 5
"""Specificity compares a clause's match to one obligation with its matches to the others;
with fewer obligations selected there is nothing meaningful to compare against."""


@dataclass(frozen=True)
class ClauseMatch:
    """How one clause relates to one obligation: similarity, specificity, stance.

    ``specificity`` is how much better the clause matches this obligation than it
    matches a typical other obligation (the median). A catch-all ("do not use the
    Service for any unlawful purpose") resembles every prohibited use a little and none
    in particular, so its specificity is low even when its similarity is high.
    ``counterexample_score`` and ``contradiction_score`` are the best similarities to
    the obligation's counterexamples and to its contradicting clauses. ``cue_share`` is
    the share of the obligation's required elements whose cues the clause itself names
    (0 when it lists none): the clause that names most parts is the one to cite.
    """

    clause: Clause
    score: float
    specificity: float
    best_text: str
    counterexample_score: float
    contradiction_score: float = -1.0
    modality: Modality = Modality.NONE
    lexical: float = 0.0
    cue_share: float = 0.0

    @property
    def topical(self) -> float:
        """How close the clause is to the obligation's subject, for or against it."""
        return max(self.score, self.counterexample_score, self.contradiction_score)


@dataclass(frozen=True)
class ScoreTable:
    """Per clause and obligation: best similarity, which text gave it, and specificity."""

    scores: np.ndarray
    best_rows: np.ndarray
    specificity: np.ndarray
    lexical: np.ndarray | None = None


def embed_clauses(clauses: Sequence[Clause], model: LoadedModel) -> np.ndarray:
    """Embed what each clause means in context (lead-in + text), one row per clause."""
    return model.encoder.encode([clause.match_text for clause in clauses])


def score_table(
    index: CatalogIndex, similarities: np.ndarray, clauses: Sequence[Clause] = ()
) -> ScoreTable:
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
    lexical = lexical_scores(index, clauses) if len(clauses) else None
    return ScoreTable(scores, best_rows, specificity, lexical)


def rank_clauses(
    column: int,
    index: CatalogIndex,
    clauses: Sequence[Clause],
    similarities: np.ndarray,
    table: ScoreTable,
    limit: int,
    recall_floor: float = 0.0,
) -> list[ClauseMatch]:
    """The ``limit`` clauses most on-topic for obligation ``column``, best first.

    Clauses are ranked by how close they are to the obligation's subject, whether they
    satisfy it, only resemble it (counterexamples) or contradict it; the assessment
    decides which they do. Each candidate's stance (modality) is read here.

    After them come up to ``limit`` further clauses that name one of the obligation's
    required elements, most on-topic first. A long list of banned uses is split into
    one clause per item, and the item naming a part ("software viruses, worms") can
    rank below twenty looser clauses on the subject. Recall by the element's own words
    keeps it in view. Only clauses at least ``recall_floor`` close are recalled (the
    assessment's ``element_floor``): a farther one could not count, and skipping it
    keeps the cue scan off most of a long document.
    """
    if not clauses:
        return []
    entry = index.entries[column]
    scores = table.scores[:, column]
    counter = _best_of(similarities, entry.counterexample_rows, len(clauses))
    contra = _best_of(similarities, entry.contradiction_rows, len(clauses))
    topical = np.maximum(scores, np.maximum(counter, contra))
    ranked = np.argsort(-topical, kind="stable")
    tail = ranked[limit:]
    near: list[int] = tail[scores[tail] >= recall_floor].tolist()
    order = [*ranked[:limit], *_naming_elements(entry.obligation, clauses, near, limit)]
    return [
        ClauseMatch(
            clause=clauses[i],
            score=float(scores[i]),
            specificity=float(table.specificity[i, column]),
            best_text=index.texts[int(table.best_rows[i, column])],
            counterexample_score=float(counter[i]),
            contradiction_score=float(contra[i]),
            modality=detect_modality(clauses[i].match_text),
            lexical=float(table.lexical[i, column]) if table.lexical is not None else 0.0,
            cue_share=_cue_share(entry.obligation, clauses[i]),
        )
        for i in order
    ]


def _naming_elements(
    obligation: Obligation, clauses: Sequence[Clause], order: Sequence[int], limit: int
) -> list[int]:
    """The first ``limit`` clauses of ``order`` that name a cue of a required element."""
    if not obligation.elements:
        return []
    found: list[int] = []
    for i in order:
        if len(found) >= limit:
            break
        if _cue_share(obligation, clauses[i]) > 0:
            found.append(i)
    return found


def _cue_share(obligation: Obligation, clause: Clause) -> float:
    """Share of the obligation's elements with a cue in the clause (or its heading)."""
    if not obligation.elements:
        return 0.0
    text = f"{clause.heading} {clause.match_text}"
    return sum(1 for element in obligation.elements if find_cue(element, text)) / len(
        obligation.elements
    )


def _best_of(similarities: np.ndarray, rows: Sequence[int], count: int) -> np.ndarray:
    """Per clause, the best similarity to any of ``rows`` (-1 when there are none)."""
    if not rows:
        return np.full(count, -1.0, dtype=np.float32)
    best: np.ndarray = similarities[:, list(rows)].max(axis=1)
    return best


def lexical_scores(index: CatalogIndex, clauses: Sequence[Clause]) -> np.ndarray:
    """Key-term (BM25) score of each clause against each obligation's words.

    Embeddings blur distinctive terms ("reverse engineer", "solicit", "orally"); a key
    term shared with the obligation's requirement and examples is strong evidence a
    clause is on point (see :mod:`gapcheck.lexical`).
    """
    queries = [
        _query_terms(entry.obligation.requirement, tuple(entry.obligation.examples))
        for entry in index.entries
    ]
    return bm25_scores([lexical_terms(clause.match_text) for clause in clauses], queries)


@lru_cache(maxsize=4096)
def _query_terms(requirement: str, examples: tuple[str, ...]) -> frozenset[str]:
    """An obligation's distinct words (cached: the catalog is the same for every document)."""
    return frozenset(lexical_terms(" ".join([requirement, *examples])))
