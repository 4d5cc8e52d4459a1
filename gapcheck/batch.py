"""Auditing many operators in one run, as a vendor trust-and-safety team does.

Every subfolder of the batch folder is one operator's policy set and every loose file is
an operator of its own. The model is loaded and the catalog embedded once; a document
that cannot be read fails only its own operator, which is listed in the summary with
its error.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from gapcheck.errors import GapcheckError, InputError, UsageError
from gapcheck.model import DocumentKind, Report, Severity, Status
from gapcheck.outputs import write_atomically
from gapcheck.pipeline import Analyzer
from gapcheck.progress import Progress


@dataclass(frozen=True)
class KindPatterns:
    """File-name patterns (shell globs, any case) for documents whose titles mislead.

    A team auditing many operators knows their layout ("privacy*" is always the
    privacy notice) better than the titles tell; the pattern says it once for every
    operator, as ``--notice FILE`` does for one analysis.
    """

    notices: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    def kind_of(self, path: Path) -> DocumentKind | None:
        """The kind the patterns give ``path`` (None: read it from its titles)."""
        name = path.name.lower()
        notice = any(fnmatchcase(name, pattern.lower()) for pattern in self.notices)
        terms = any(fnmatchcase(name, pattern.lower()) for pattern in self.terms)
        if notice and terms:
            raise UsageError(f"{path}: matches both --notice-glob and --terms-glob")
        if notice:
            return DocumentKind.PRIVACY_NOTICE
        return DocumentKind.TERMS if terms else None

    def check_used(self, policy_sets: Sequence[PolicySet], folder: Path) -> None:
        """Fail on a pattern that names no document: it is almost surely a typo."""
        paths = [path for policy_set in policy_sets for path in policy_set.paths]
        for option, patterns in (("--notice-glob", self.notices), ("--terms-glob", self.terms)):
            for pattern in patterns:
                if not any(fnmatchcase(path.name.lower(), pattern.lower()) for path in paths):
                    raise UsageError(f"{folder}: {option} {pattern!r} matches no document")


@dataclass(frozen=True)
class PolicySet:
    """One operator's documents, analysed together."""

    name: str
    paths: tuple[Path, ...]
    error: str = ""
    """Why the operator's folder could not even be listed (it is reported, not fatal)."""
    kinds: tuple[tuple[Path, DocumentKind], ...] = ()
    """Documents whose kind the user gave by pattern (see :class:`KindPatterns`)."""


@dataclass
class BatchOutcome:
    """What happened to one operator: its report and files, or the error that stopped it."""

    policy_set: PolicySet
    report: Report | None = None
    outputs: list[Path] = field(default_factory=list)
    error: str = ""
    skipped: bool = False


Renderer = Callable[[Report, str], bytes]

SUMMARY_COLUMNS = (
    "operator",
    "result",
    "documents",
    "words",
    "covered",
    "partial",
    "missing",
    "conflict",
    "not_applicable",
    "critical_gaps",
    "high_gaps",
    "coverage_pct",
    "reports",
    "error",
)


def discover_policy_sets(folder: Path, patterns: KindPatterns | None = None) -> list[PolicySet]:
    """Policy sets in ``folder``: each subfolder's files together, each loose file alone.

    With ``patterns``, each set records the kinds they give its documents; a pattern
    that matches no document, or a document matched as both kinds, is a usage error
    raised before any model loads.
    """
    sets = _policy_sets(folder)
    if patterns is None or not (patterns.notices or patterns.terms):
        return sets
    patterns.check_used(sets, folder)
    return [_with_kinds(policy_set, patterns) for policy_set in sets]


def _with_kinds(policy_set: PolicySet, patterns: KindPatterns) -> PolicySet:
    kinds = tuple(
        (path, kind) for path in policy_set.paths if (kind := patterns.kind_of(path)) is not None
    )
    return PolicySet(policy_set.name, policy_set.paths, policy_set.error, kinds)


def _policy_sets(folder: Path) -> list[PolicySet]:
    if not folder.is_dir():
        raise InputError(f"{folder}: batch input must be a folder of operators")
    try:
        entries = sorted(folder.iterdir())
    except OSError as error:
        raise InputError(f"{folder}: cannot list folder ({error.strerror or error})") from None
    sets: list[PolicySet] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            try:
                files = tuple(
                    sorted(p for p in entry.iterdir() if p.is_file() and not p.name.startswith("."))
                )
            except OSError as error:
                problem = f"{entry}: cannot list folder ({error.strerror or error})"
                sets.append(PolicySet(entry.name, (), problem))
                continue
            sets.append(PolicySet(entry.name, files))
        elif entry.is_file():
            sets.append(PolicySet(entry.stem, (entry,)))
    if not sets:
        raise InputError(f"{folder}: no operator folders or documents found")
    return sets


def output_stem(name: str) -> str:
    """A safe file name for an operator's report."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "operator"


def run_batch(
    analyzer: Analyzer,
    policy_sets: Sequence[PolicySet],
    out_dir: Path,
    formats: Sequence[str],
    render: Renderer,
    *,
    resume: bool = False,
    date: str | None = None,
) -> list[BatchOutcome]:
    """Analyse every policy set, write its reports and the summaries; never stop early."""
    progress: Progress = analyzer.progress
    outcomes: list[BatchOutcome] = []
    for done, policy_set in enumerate(policy_sets):
        progress.count(done, len(policy_sets), policy_set.name)
        targets = [out_dir / f"{output_stem(policy_set.name)}.{fmt}" for fmt in formats]
        outcome = BatchOutcome(policy_set)
        if resume and all(target.is_file() for target in targets):
            outcome.skipped = True
            outcome.outputs = targets
        else:
            _analyse_one(analyzer, outcome, targets, formats, render, date)
        outcomes.append(outcome)
    progress.count(len(policy_sets), len(policy_sets), "done")
    write_summaries(outcomes, out_dir)
    return outcomes


def _analyse_one(
    analyzer: Analyzer,
    outcome: BatchOutcome,
    targets: list[Path],
    formats: Sequence[str],
    render: Renderer,
    date: str | None,
) -> None:
    if outcome.policy_set.error:
        outcome.error = outcome.policy_set.error
        return
    if not outcome.policy_set.paths:
        outcome.error = f"{outcome.policy_set.name}: folder has no documents"
        return
    try:
        report = analyzer.analyze(
            outcome.policy_set.paths,
            operator=outcome.policy_set.name,
            date=date,
            kinds=dict(outcome.policy_set.kinds),
        )
        for target, fmt in zip(targets, formats, strict=True):
            write_atomically(target, render(report, fmt))
            outcome.outputs.append(target)
        outcome.report = report
    except GapcheckError as error:
        outcome.error = str(error)
    except Exception as error:
        # One operator's unexpected failure (a bug, memory) must not cost the others their
        # reports; Ctrl-C is a BaseException and still stops the batch.
        outcome.error = (
            f"{outcome.policy_set.name}: internal error: {type(error).__name__}: {error}"
        )


def summary_row(outcome: BatchOutcome) -> dict[str, str | int | float]:
    """One operator's line in summary.csv / summary.json."""
    row: dict[str, str | int | float] = {column: "" for column in SUMMARY_COLUMNS}
    row["operator"] = outcome.policy_set.name
    row["documents"] = len(outcome.policy_set.paths)
    row["reports"] = ";".join(path.name for path in outcome.outputs)
    if outcome.skipped:
        row["result"] = "skipped (complete)"
        return row
    if outcome.report is None:
        row["result"] = "error"
        row["error"] = outcome.error
        return row
    report = outcome.report
    summary = report.summary
    row["result"] = "ok"
    row["words"] = sum(document.words for document in report.documents)
    for status in Status:
        row[status.value] = summary[status.value]
    row["critical_gaps"] = len(
        [f for f in report.findings if f.status.is_gap and f.severity is Severity.CRITICAL]
    )
    row["high_gaps"] = len(
        [f for f in report.findings if f.status.is_gap and f.severity is Severity.HIGH]
    )
    applicable = len(report.findings) - summary[Status.NOT_APPLICABLE.value]
    row["coverage_pct"] = (
        round(100 * summary[Status.COVERED.value] / applicable, 1) if applicable else 0.0
    )
    return row


def write_summaries(outcomes: Sequence[BatchOutcome], out_dir: Path) -> None:
    """Write summary.csv and summary.json across all operators (atomically)."""
    rows = [summary_row(outcome) for outcome in outcomes]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomically(out_dir / "summary.csv", buffer.getvalue().encode("utf-8"))
    payload = {"operators": rows, "failed": sum(1 for row in rows if row["result"] == "error")}
    write_atomically(
        out_dir / "summary.json",
        (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )
