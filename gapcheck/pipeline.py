"""The whole analysis in order: read, split, embed, match, assess, report.

This is the only module that knows the order of the stages. An :class:`Analyzer` holds
what is shared between analyses (catalogs, the model, the embedded catalog) so a batch
run loads the model and embeds the catalog once, and it starts loading the model in the
background while the first documents are read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from gapcheck import __version__
from gapcheck.assess import assess
from gapcheck.catalog import Catalog, Obligation
from gapcheck.document_kind import prevailing_kind
from gapcheck.embedding_cache import EmbeddingCache
from gapcheck.encoder import LoadedModel, load_model
from gapcheck.errors import UsageError
from gapcheck.ingest import read_document
from gapcheck.limits import DEFAULT_LIMITS, Limits
from gapcheck.matching import (
    CatalogIndex,
    ClauseMatch,
    ScoreTable,
    embed_clauses,
    rank_clauses,
    score_table,
)
from gapcheck.model import (
    CatalogSummary,
    Clause,
    Document,
    DocumentKind,
    DocumentSummary,
    Finding,
    Report,
    Status,
)
from gapcheck.profile import Profile
from gapcheck.progress import Progress
from gapcheck.segment import split_clauses
from gapcheck.settings import Calibration


def report_timestamp(fixed: str | None = None) -> str:
    """The report date: ``fixed`` if given, else ``SOURCE_DATE_EPOCH``, else now (UTC).

    A fixed date makes two runs on the same inputs produce the same report.
    """
    if fixed:
        return fixed
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        if epoch and epoch.isdigit()
        else dt.datetime.now(tz=dt.timezone.utc)
    )
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Analyzer:
    """Checks policy sets against a fixed selection of catalogs with one model."""

    def __init__(
        self,
        catalogs: Sequence[Catalog],
        model_dir: Path,
        *,
        precision: str = "auto",
        cache: EmbeddingCache,
        calibration: Calibration,
        progress: Progress,
        profile: Profile | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.catalogs = list(catalogs)
        self.profile = profile
        self.limits = limits
        self.calibration = calibration
        self.settings = calibration.settings
        self.progress = progress
        self._cache = cache
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gapcheck-model")
        self._model_future: Future[LoadedModel] = self._executor.submit(
            load_model, model_dir, precision
        )
        self._index: CatalogIndex | None = None

    @property
    def model(self) -> LoadedModel:
        """The loaded model (waits for the background load; re-raises its error)."""
        if not self._model_future.done():
            self.progress.stage("loading the embedding model")
        return self._model_future.result()

    def catalog_index(self) -> CatalogIndex:
        """The embedded catalog, built on first use and reused for every analysis."""
        if self._index is None:
            model = self.model
            self.progress.stage("embedding the catalog (cached after the first run)")
            self._index = CatalogIndex.build(self.catalogs, model, self._cache)
        return self._index

    def analyze(
        self,
        paths: Sequence[Path],
        operator: str | None = None,
        date: str | None = None,
        kinds: Mapping[Path, DocumentKind] | None = None,
    ) -> Report:
        """Analyse one policy set (one or more files read as a whole).

        ``kinds`` says what some of the files are (terms or a privacy notice) where the
        user knows better than their titles; the others are read from their titles.
        """
        if not paths:
            raise UsageError("no input documents given")
        given = {path.resolve(): kind for path, kind in (kinds or {}).items()}
        documents = [read_document(path, self.limits) for path in paths]
        clauses_per_document = [
            split_clauses(document, given.get(document.path.resolve())) for document in documents
        ]
        self.limits.check_policy_set(
            (document.path, len(group))
            for document, group in zip(documents, clauses_per_document, strict=True)
        )
        clauses = [clause for group in clauses_per_document for clause in group]
        index = self.catalog_index()
        self.progress.stage(f"embedding {len(clauses)} clauses")
        findings = self._assess_all(index, clauses)
        return Report(
            gapcheck_version=__version__,
            generated_at=report_timestamp(date),
            operator=operator or _operator_name(documents),
            documents=tuple(
                _summarise(document, group)
                for document, group in zip(documents, clauses_per_document, strict=True)
            ),
            catalogs=tuple(_summarise_catalog(catalog) for catalog in self.catalogs),
            model=self.model.display_name,
            findings=findings,
            settings=self.settings.as_dict(),
            warnings=self.run_warnings(),
        )

    def run_warnings(self) -> tuple[str, ...]:
        """What the whole run's verdicts rest on that the reader must know (one line each)."""
        mismatch = self.calibration.model_mismatch(self.model.identity, self.model.display_name)
        return (mismatch,) if mismatch else ()

    def _assess_all(self, index: CatalogIndex, clauses: list[Clause]) -> tuple[Finding, ...]:
        return self.assess_clauses(clauses, embed_clauses(clauses, self.model))

    def assess_clauses(
        self,
        clauses: Sequence[Clause],
        vectors: np.ndarray,
        hidden_rows: Sequence[int] = (),
    ) -> tuple[Finding, ...]:
        """Findings for already-embedded clauses (one row of ``vectors`` per clause).

        ``hidden_rows`` are catalog texts to ignore, as if absent from the catalog: the
        self-test hides an example to check the rest of the catalog still recognises it.
        """
        index = self.catalog_index()
        candidates = self.candidate_matches(clauses, vectors, hidden_rows)
        return tuple(
            self._apply_profile(assess(entry, matches, self.settings), entry.obligation)
            for entry, matches in zip(index.entries, candidates, strict=True)
        )

    def assess_one(
        self,
        clauses: Sequence[Clause],
        vectors: np.ndarray,
        column: int,
        hidden_rows: Sequence[int] = (),
    ) -> Finding:
        """The finding for one obligation (index column) only: the self-test's fast path."""
        index = self.catalog_index()
        similarities, table = self._score(clauses, vectors, hidden_rows)
        matches = rank_clauses(
            column,
            index,
            list(clauses),
            similarities,
            table,
            self.settings.candidates_per_obligation,
            self.settings.element_floor,
        )
        entry = index.entries[column]
        return self._apply_profile(assess(entry, matches, self.settings), entry.obligation)

    def candidate_matches(
        self,
        clauses: Sequence[Clause],
        vectors: np.ndarray,
        hidden_rows: Sequence[int] = (),
    ) -> list[list[ClauseMatch]]:
        """Per obligation (index order), its most on-topic clauses with their signals.

        Separate from the verdict so the evaluation harness can score many settings
        against one matching pass.
        """
        index = self.catalog_index()
        clauses = list(clauses)
        similarities, table = self._score(clauses, vectors, hidden_rows)
        limit = self.settings.candidates_per_obligation
        floor = self.settings.element_floor
        return [
            rank_clauses(column, index, clauses, similarities, table, limit, floor)
            for column in range(len(index.entries))
        ]

    def _score(
        self, clauses: Sequence[Clause], vectors: np.ndarray, hidden_rows: Sequence[int]
    ) -> tuple[np.ndarray, ScoreTable]:
        """Clause x catalog-text similarities (hidden rows masked) and their score table."""
        index = self.catalog_index()
        similarities = vectors @ index.vectors.T
        if len(hidden_rows):
            similarities[:, list(hidden_rows)] = -1.0
        return similarities, score_table(index, similarities, list(clauses))

    def _apply_profile(self, finding: Finding, obligation: Obligation) -> Finding:
        """Mark a finding not_applicable when the profile switches its obligation off."""
        if self.profile is None:
            return finding
        reason = self.profile.not_applicable_reason(obligation)
        if reason is None:
            return finding
        return replace(
            finding,
            status=Status.NOT_APPLICABLE,
            confidence=1.0,
            explanation=replace(
                finding.explanation,
                rule="the product profile switches this obligation off",
                notes=(reason,),
            ),
        )

    def close(self) -> None:
        """Release the background loader thread."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def _operator_name(documents: Sequence[Document]) -> str:
    """A default operator name: the first file's stem (batch passes the folder name)."""
    return documents[0].path.stem


def _summarise(document: Document, clauses: Sequence[Clause]) -> DocumentSummary:
    return DocumentSummary(
        path=str(document.path),
        format=document.format,
        sha256=document.sha256,
        words=document.words,
        clauses=len(clauses),
        warnings=document.warnings,
        kind=prevailing_kind(clauses),
    )


def _summarise_catalog(catalog: Catalog) -> CatalogSummary:
    return CatalogSummary(
        id=catalog.id,
        vendor=catalog.vendor,
        title=catalog.title,
        version=catalog.selected_version.isoformat() if catalog.selected_version else "",
        obligations=len(catalog.obligations),
    )
