"""What each CLI command does, as plain functions the CLI (and tests) call.

Keeping this out of :mod:`gapcheck.cli` leaves the click layer to parse options and map
errors to exit codes; everything here is ordinary, typed Python.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gapcheck.batch import BatchOutcome, KindPatterns, discover_policy_sets, run_batch
from gapcheck.catalog import Catalog
from gapcheck.catalog_selection import (
    CatalogSelection,
    parse_policy_version,
    resolve_catalogs,
)
from gapcheck.embedding_cache import EmbeddingCache, default_cache_dir
from gapcheck.encoder import resolve_model_path
from gapcheck.errors import ExitCode, InterruptedOutput, OutputError, UsageError
from gapcheck.limits import DEFAULT_LIMITS, Limits
from gapcheck.model import DocumentKind, Report, Severity
from gapcheck.outputs import check_output_path, write_atomically
from gapcheck.pipeline import Analyzer
from gapcheck.profile import Profile, load_profile
from gapcheck.progress import Progress
from gapcheck.render import FORMATS, check_template, render
from gapcheck.render.annotate import check_annotation_targets, write_annotations
from gapcheck.selftest import run_self_test
from gapcheck.settings import (
    BUNDLED_CATALOG_DIR,
    BUNDLED_TEMPLATE_DIR,
    load_calibration,
    resolve_settings_path,
)

SUFFIX_FORMATS = {
    ".docx": "docx",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
}


@dataclass(frozen=True)
class CatalogChoice:
    """Which catalogs to check against, at which versions, for which product.

    Mirrors ``--vendor``, ``--catalog``, ``--no-bundled``, ``--policy-version`` and
    ``--profile``; values given on the command line win over the profile's.
    """

    vendors: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()
    include_bundled: bool = True
    policy_versions: tuple[str, ...] = ()
    profile_path: Path | None = None

    def profile(self) -> Profile | None:
        """The product profile, when one was given."""
        return load_profile(self.profile_path) if self.profile_path else None

    def selection(self, profile: Profile | None = None) -> CatalogSelection:
        """The catalog selection these options and the profile describe."""
        versions = dict(profile.policy_versions) if profile else {}
        versions.update(parse_policy_version(text) for text in self.policy_versions)
        vendors = self.vendors or (tuple(profile.vendors) if profile else ())
        return CatalogSelection(
            vendors=vendors,
            paths=self.paths,
            include_bundled=self.include_bundled,
            policy_versions=versions,
        )

    def load(self) -> list[Catalog]:
        """Load, version, merge and validate the chosen catalogs."""
        return resolve_catalogs(BUNDLED_CATALOG_DIR, self.selection(self.profile()))


@dataclass(frozen=True)
class EngineOptions:
    """How to run the matcher: model, settings file, precision, cache, progress, limits."""

    model: str | None = None
    settings: Path | None = None
    precision: str = "auto"
    use_cache: bool = True
    quiet: bool = False
    progress: Progress | None = field(default=None, compare=False)
    limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True)
class AnalyzeRequest:
    """``gapcheck analyze`` as data."""

    inputs: tuple[Path, ...]
    output: Path | None
    format: str | None
    catalogs: CatalogChoice
    engine: EngineOptions
    fail_on: Severity | None = None
    operator: str | None = None
    date: str | None = None
    template: Path | None = None
    annotate: Path | None = None
    notices: tuple[Path, ...] = ()
    terms: tuple[Path, ...] = ()


@dataclass(frozen=True)
class BatchRequest:
    """``gapcheck batch`` as data."""

    folder: Path
    out_dir: Path
    formats: tuple[str, ...]
    catalogs: CatalogChoice
    engine: EngineOptions
    fail_on: Severity | None = None
    resume: bool = False
    date: str | None = None
    template: Path | None = None
    notice_globs: tuple[str, ...] = ()
    terms_globs: tuple[str, ...] = ()


def output_format(output: Path | None, requested: str | None) -> str:
    """The report format: ``--format`` if given, else from the output suffix."""
    if requested:
        if requested not in FORMATS:
            raise UsageError(f"--format {requested}: choose one of {', '.join(FORMATS)}")
        return requested
    if output is None:
        raise UsageError("give -o FILE for a report, or --format json|md to print to stdout")
    fmt = SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{output}: cannot tell the format from the suffix; use .docx, .html, .md, .csv "
            "or .json, or pass --format"
        )
    return fmt


def build_analyzer(catalogs: CatalogChoice, engine: EngineOptions) -> Analyzer:
    """Load catalogs, resolve the model, and start loading it in the background."""
    profile = catalogs.profile()
    loaded = resolve_catalogs(BUNDLED_CATALOG_DIR, catalogs.selection(profile))
    model_dir = resolve_model_path(engine.model)
    cache = EmbeddingCache(default_cache_dir() if engine.use_cache else None)
    progress = engine.progress or Progress.for_terminal(engine.quiet)
    return Analyzer(
        loaded,
        model_dir,
        precision=engine.precision,
        cache=cache,
        calibration=load_calibration(resolve_settings_path(engine.settings)),
        progress=progress,
        profile=profile,
        limits=engine.limits,
    )


def gate(reports: Sequence[Report], fail_on: Severity | None) -> ExitCode:
    """``--fail-on``: GAPS_FOUND when any report has a gap at or above that severity."""
    if fail_on is None:
        return ExitCode.OK
    if any(report.gaps_at_or_above(fail_on) for report in reports):
        return ExitCode.GAPS_FOUND
    return ExitCode.OK


def analyze(request: AnalyzeRequest) -> ExitCode:
    """Run ``gapcheck analyze``: one policy set, one report (file or stdout)."""
    fmt = output_format(request.output, request.format)
    if request.output is None and fmt == "docx":
        raise UsageError("a DOCX report needs -o FILE.docx")
    if request.output is not None:
        check_output_path(request.output, request.inputs)
    if request.template is not None:
        check_template(request.template, (fmt,))
    annotations = _annotation_targets(request)
    kinds = document_kinds(request)
    analyzer = build_analyzer(request.catalogs, request.engine)
    try:
        report = analyzer.analyze(
            request.inputs, operator=request.operator, date=request.date, kinds=kinds
        )
    finally:
        analyzer.close()
    if not request.engine.quiet:
        print_run_warnings(report)
    data = render(report, fmt, BUNDLED_TEMPLATE_DIR, request.template)
    if request.output is None:
        print_report(data)
    else:
        write_atomically(request.output, data)
        analyzer.progress.stage(f"wrote {request.output}")
    for target in write_annotations(report, annotations, request.engine.limits):
        analyzer.progress.stage(f"wrote {target}")
    return gate([report], request.fail_on)


def document_kinds(request: AnalyzeRequest) -> dict[Path, DocumentKind]:
    """The kinds the user gave with ``--notice`` and ``--terms``, checked against the inputs.

    Checked before the model loads, so a typo fails at once.
    """
    inputs = {path.resolve() for path in request.inputs}
    kinds: dict[Path, DocumentKind] = {}
    for option, paths, kind in (
        ("--notice", request.notices, DocumentKind.PRIVACY_NOTICE),
        ("--terms", request.terms, DocumentKind.TERMS),
    ):
        for path in paths:
            key = path.resolve()
            if key not in inputs:
                raise UsageError(f"{path}: {option} names a file that is not among the inputs")
            if kinds.get(key, kind) is not kind:
                raise UsageError(f"{path}: named by both --notice and --terms")
            kinds[key] = kind
    return kinds


def print_report(data: bytes) -> None:
    """Send a report to stdout; an interrupt midway says the printed report is cut short."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except KeyboardInterrupt:
        raise InterruptedOutput(
            "interrupted while printing the report; the output on stdout is incomplete"
        ) from None


def print_run_warnings(report: Report) -> None:
    """Show on stderr what the results rest on: the settings and how documents were read.

    Settings calibrated for another model, a decoding guess, a language other than
    English, damaged pages: the warnings are in the report too, but a user writing
    ``-o report.docx`` should not have to open it to learn that the results rest on a
    guess.
    """
    print_warnings(report.warnings)
    for document in report.documents:
        print_warnings(f"{document.path}: {warning}" for warning in document.warnings)


def print_warnings(warnings: Iterable[str]) -> None:
    """One ``gapcheck: warning:`` line on stderr per warning."""
    for warning in warnings:
        print(f"gapcheck: warning: {warning}", file=sys.stderr)


def _annotation_targets(request: AnalyzeRequest) -> dict[Path, Path]:
    """``--annotate``'s files, checked before the analysis (none without the option)."""
    if request.annotate is None:
        return {}
    targets = check_annotation_targets(request.inputs, request.annotate)
    if request.output is not None and request.output.resolve() in {
        target.resolve() for target in targets.values()
    }:
        raise UsageError(f"--annotate {request.annotate}: would overwrite the report -o")
    return targets


def batch(request: BatchRequest) -> tuple[ExitCode, list[BatchOutcome]]:
    """Run ``gapcheck batch``: every operator in a folder, reports plus summaries."""
    for fmt in request.formats:
        if fmt not in FORMATS:
            raise UsageError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    template_fmt = (
        check_template(request.template, request.formats or ("docx",))
        if request.template is not None
        else None
    )
    policy_sets = discover_policy_sets(
        request.folder, KindPatterns(request.notice_globs, request.terms_globs)
    )
    # Catalogs and settings are checked before the output folder is made, so a bad one
    # leaves nothing behind.
    analyzer = build_analyzer(request.catalogs, request.engine)
    try:
        try:
            request.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(
                f"{request.out_dir}: cannot create output folder ({error.strerror})"
            ) from None
        outcomes = run_batch(
            analyzer,
            policy_sets,
            request.out_dir,
            request.formats or ("docx",),
            lambda report, fmt: render(
                report,
                fmt,
                BUNDLED_TEMPLATE_DIR,
                request.template if fmt == template_fmt else None,
            ),
            resume=request.resume,
            date=request.date,
        )
        if outcomes and not request.engine.quiet:
            print_warnings(analyzer.run_warnings())
    finally:
        analyzer.close()
    if any(outcome.error for outcome in outcomes):
        return ExitCode.INPUT, outcomes
    reports = [outcome.report for outcome in outcomes if outcome.report is not None]
    return gate(reports, request.fail_on), outcomes


@dataclass(frozen=True)
class SelfTestOutcome:
    """The self-test's report lines and the exit code it earns."""

    lines: tuple[str, ...]
    exit_code: ExitCode


def self_test(
    catalogs: CatalogChoice, engine: EngineOptions, leave_one_out: bool = False
) -> SelfTestOutcome:
    """Run the catalog self-test (see :mod:`gapcheck.selftest`)."""
    analyzer = build_analyzer(catalogs, engine)
    try:
        results = run_self_test(analyzer, leave_one_out=leave_one_out)
    finally:
        analyzer.close()
    failures = [result for result in results if not result.passed]
    lines = [result.describe() for result in failures]
    examples = [r for r in results if r.case.kind == "example"]
    counters = [r for r in results if r.case.kind != "example"]
    lines.append(
        f"self-test{' (leave-one-out)' if leave_one_out else ''}: "
        f"{sum(r.passed for r in examples)}/{len(examples)} examples covered, "
        f"{sum(r.passed for r in counters)}/{len(counters)} counterexamples not covered"
    )
    failed = bool(failures) and not leave_one_out
    return SelfTestOutcome(tuple(lines), ExitCode.CATALOG if failed else ExitCode.OK)
