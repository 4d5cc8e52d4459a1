"""Running gapcheck and the baselines over a dataset, once, then scoring any settings.

Matching (reading, splitting, embedding, ranking candidate clauses) is the slow part and
does not depend on the thresholds, so :func:`collect` does it once per dataset and keeps
each (case, obligation) pair's candidates. :func:`predict` then applies the verdict
rules for given settings in milliseconds, which is what lets calibration search many
settings honestly on the tuning split. The candidates are collected with the default
``candidates_per_obligation``, so that setting is fixed for a collection, not searched;
clauses naming a required element are recalled down to :data:`COLLECTED_ELEMENT_FLOOR`,
the lowest element floor calibration may choose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gapcheck.assess import Verdict, cited_clauses, confidence_for, decide
from gapcheck.catalog_selection import resolve_catalogs
from gapcheck.embedding_cache import EmbeddingCache, default_cache_dir
from gapcheck.encoder import resolve_model_path
from gapcheck.evaluation.baselines import BaselineHit, bm25_hit, max_cosine_hit
from gapcheck.evaluation.datasets import Case, Dataset, GoldLabel
from gapcheck.ingest import read_document
from gapcheck.matching import ClauseMatch, ObligationEntry, embed_clauses
from gapcheck.model import Clause, Status
from gapcheck.pipeline import Analyzer
from gapcheck.progress import Progress
from gapcheck.segment import split_clauses
from gapcheck.settings import BUNDLED_CATALOG_DIR, Calibration, MatchSettings

COLLECTED_ELEMENT_FLOOR = 0.4
"""Element floor the candidates are collected with; calibration tries none lower."""


@dataclass(frozen=True)
class PairRecord:
    """Everything needed to judge one obligation in one case under any settings."""

    case: Case
    gold: GoldLabel
    entry: ObligationEntry
    matches: tuple[ClauseMatch, ...]
    clauses: tuple[Clause, ...]
    bm25: BaselineHit
    cosine: BaselineHit


@dataclass(frozen=True)
class Prediction:
    """One method's status for a pair, its confidence and its top evidence text."""

    record: PairRecord
    status: Status
    confidence: float
    top_evidence: str
    rule: str = ""
    verdict: Verdict | None = None


def make_analyzer(dataset: Dataset, model: str | None = None) -> Analyzer:
    """An analyzer over the dataset's catalogs with default settings and no output."""
    catalogs = resolve_catalogs(BUNDLED_CATALOG_DIR, dataset.selection)
    return Analyzer(
        catalogs,
        resolve_model_path(model),
        cache=EmbeddingCache(default_cache_dir()),
        calibration=Calibration(MatchSettings(element_floor=COLLECTED_ELEMENT_FLOOR), None),
        progress=Progress.for_terminal(quiet=True),
    )


def collect(dataset: Dataset, analyzer: Analyzer) -> list[PairRecord]:
    """Match every case once; one record per labelled (case, obligation) pair."""
    index = analyzer.catalog_index()
    column_of = {entry.obligation.id: i for i, entry in enumerate(index.entries)}
    records: list[PairRecord] = []
    for case in dataset.cases:
        clauses = list(case.clauses) if case.clauses is not None else _read_clauses(case.paths)
        vectors = embed_clauses(clauses, analyzer.model)
        candidates = analyzer.candidate_matches(clauses, vectors)
        texts = [clause.match_text for clause in clauses]
        for gold in case.labels:
            column = column_of.get(gold.obligation_id)
            if column is None:
                raise ValueError(f"{case.id}: label for unknown obligation {gold.obligation_id}")
            entry = index.entries[column]
            query = " ".join([entry.obligation.requirement, *entry.obligation.examples])
            requirement_vector = index.vectors[entry.requirement_row]
            records.append(
                PairRecord(
                    case=case,
                    gold=gold,
                    entry=entry,
                    matches=tuple(candidates[column]),
                    clauses=tuple(clauses),
                    bm25=bm25_hit(texts, query),
                    cosine=max_cosine_hit(vectors, requirement_vector),
                )
            )
    return records


def _read_clauses(paths: Sequence[Path]) -> list[Clause]:
    return [clause for path in paths for clause in split_clauses(read_document(path))]


def candidates(record: PairRecord, settings: MatchSettings) -> tuple[ClauseMatch, ...]:
    """The record's candidates as a run with ``settings`` would collect them.

    The most on-topic clauses come first; the clauses recalled for naming an element
    follow, and a run recalls only those at least ``element_floor`` close.
    """
    limit = settings.candidates_per_obligation
    recalled = tuple(m for m in record.matches[limit:] if m.score >= settings.element_floor)
    return record.matches[:limit] + recalled


def predict(records: Sequence[PairRecord], settings: MatchSettings) -> list[Prediction]:
    """Gapcheck's verdicts for every record under ``settings``."""
    predictions = []
    for record in records:
        matches = candidates(record, settings)
        verdict: Verdict = decide(record.entry, matches, settings)
        cited = cited_clauses(record.entry, verdict, matches, settings)
        top = cited[0].clause.text if cited else ""
        predictions.append(
            Prediction(
                record,
                verdict.status,
                confidence_for(verdict, settings),
                top,
                verdict.rule,
                verdict,
            )
        )
    return predictions


def predict_baseline(
    records: Sequence[PairRecord], method: str, covered: float, partial: float
) -> list[Prediction]:
    """A baseline's verdicts: covered / partial / missing by two score thresholds."""
    predictions = []
    for record in records:
        hit = record.bm25 if method == "bm25" else record.cosine
        if hit.score >= covered:
            status = Status.COVERED
        elif hit.score >= partial:
            status = Status.PARTIAL
        else:
            status = Status.MISSING
        top = record.clauses[hit.clause_index].text if hit.clause_index >= 0 else ""
        predictions.append(Prediction(record, status, 1.0, top))
    return predictions


_WORD = re.compile(r"[a-z0-9]+")


def evidence_matches(cited: str, gold: Sequence[str]) -> bool:
    """Whether a cited clause is (mostly) one of the gold evidence texts.

    Clause boundaries differ between gapcheck's splitter and the annotators' spans, so
    a hit is a word overlap: at least half of the shorter text's words appear in the
    other, or one contains the other outright.
    """
    cited_words = _WORD.findall(cited.lower())
    if not cited_words:
        return False
    cited_set = set(cited_words)
    for text in gold:
        gold_words = _WORD.findall(text.lower())
        if not gold_words:
            continue
        joined_cited = " ".join(cited_words)
        joined_gold = " ".join(gold_words)
        if joined_gold in joined_cited or joined_cited in joined_gold:
            return True
        shorter, other = (
            (gold_words, cited_set)
            if len(gold_words) <= len(cited_words)
            else (cited_words, set(gold_words))
        )
        overlap = sum(1 for word in shorter if word in other) / len(shorter)
        if overlap >= 0.5 and len(shorter) >= 4:
            return True
    return False
