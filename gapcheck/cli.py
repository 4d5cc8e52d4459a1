"""The ``gapcheck`` command line: parse options, call one command, map errors to exit codes.

Nothing here decides anything about documents or obligations; see
:mod:`gapcheck.commands` for what each command does.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gapcheck import __version__, catalog_commands, commands
from gapcheck.encoder import MODEL_ENV, PRECISIONS
from gapcheck.errors import ExitCode, GapcheckError
from gapcheck.interrupts import terminate_like_interrupt
from gapcheck.limits import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_CLAUSES,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_UNPACKED_MB,
    Limits,
)
from gapcheck.model import Severity
from gapcheck.outputs import write_atomically
from gapcheck.render import FORMATS
from gapcheck.settings import SETTINGS_ENV

EXIT_CODES_HELP = (
    "\b\nExit codes:\n"
    f"  {ExitCode.OK:>3}  success\n"
    f"  {ExitCode.GAPS_FOUND:>3}  --fail-on: a gap at or above that severity was found\n"
    f"  {ExitCode.USAGE:>3}  usage error (bad option, output path equal to an input, "
    "unusable --template or --settings)\n"
    f"  {ExitCode.INPUT:>3}  an input document cannot be read (batch: an operator failed)\n"
    f"  {ExitCode.CATALOG:>3}  a catalog is missing or invalid\n"
    f"  {ExitCode.MODEL:>3}  the embedding model cannot be loaded\n"
    f"  {ExitCode.OUTPUT:>3}  a report cannot be written\n"
    f"  {ExitCode.INTERNAL:>3}  internal error (a bug: please report it with --debug output)\n"
    f"  {ExitCode.INTERRUPTED:>3}  interrupted (Ctrl-C); no partial report is left behind"
)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> None:
    click.echo(f"gapcheck: error: {message}", err=True)
    sys.exit(code)


def reports_errors(command: F) -> F:
    """Turn gapcheck errors into one line on stderr and their exit code (``--debug``: raise)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return command(*args, **kwargs)
        except GapcheckError as error:
            if debug:
                raise
            _fail(str(error), int(error.exit_code))
        except KeyboardInterrupt:
            _fail("interrupted; no partial report was written", int(ExitCode.INTERRUPTED))
        except Exception as error:
            if debug:
                raise
            _fail(
                f"internal error: {type(error).__name__}: {error} (run with --debug for details)",
                int(ExitCode.INTERNAL),
            )
        return None

    return wrapper  # type: ignore[return-value]


def catalog_options(command: F) -> F:
    """Catalog selection options, shared by analyze, batch and the catalog commands.

    The five values reach the command as one ``catalogs`` argument
    (:class:`gapcheck.commands.CatalogChoice`).
    """

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        vendors: tuple[str, ...],
        catalog_paths: tuple[Path, ...],
        no_bundled: bool,
        policy_versions: tuple[str, ...],
        profile_path: Path | None,
        **kwargs: Any,
    ) -> Any:
        kwargs["catalogs"] = commands.CatalogChoice(
            vendors=vendors,
            paths=catalog_paths,
            include_bundled=not no_bundled,
            policy_versions=policy_versions,
            profile_path=profile_path,
        )
        return command(*args, **kwargs)

    decorated: F = wrapper  # type: ignore[assignment]
    for decorator in reversed(
        [
            click.option(
                "--vendor",
                "vendors",
                multiple=True,
                help="Use this bundled vendor catalog (repeatable; default: all, or the "
                "profile's vendors). See 'gapcheck catalog list'.",
            ),
            click.option(
                "--catalog",
                "catalog_paths",
                multiple=True,
                type=click.Path(path_type=Path),
                help="Add a catalog file or folder of your own (repeatable); it may add, "
                "override or disable obligations.",
            ),
            click.option(
                "--no-bundled", is_flag=True, help="Use only the catalogs given with --catalog."
            ),
            click.option(
                "--policy-version",
                "policy_versions",
                multiple=True,
                metavar="VENDOR=DATE",
                help="Check against the vendor policy in effect on DATE (repeatable; "
                "default: the newest version modelled).",
            ),
            click.option(
                "--profile",
                "profile_path",
                type=click.Path(path_type=Path),
                help="Product profile (YAML): vendors used, audience, features; obligations "
                "it rules out are reported not_applicable.",
            ),
        ]
    ):
        decorated = decorator(decorated)
    return decorated


def engine_options(command: F) -> F:
    """Model, settings, precision, cache, quiet and debug options (analyze and batch)."""
    for decorator in reversed(
        [
            click.option(
                "--model",
                type=click.Path(path_type=str),
                help=f"Local sentence-transformers model folder (default: the embedded "
                f"all-MiniLM-L6-v2; also ${MODEL_ENV}).",
            ),
            click.option(
                "--settings",
                "settings_file",
                type=click.Path(path_type=Path),
                metavar="FILE",
                help="Matching settings (JSON, as benchmarks/calibrate.py writes them) to use "
                f"instead of the bundled calibration; also ${SETTINGS_ENV}.",
            ),
            click.option(
                "--precision",
                type=click.Choice(PRECISIONS),
                default="auto",
                show_default=True,
                help="Encoder arithmetic: bf16 is used automatically where the CPU has it.",
            ),
            click.option(
                "--no-cache", is_flag=True, help="Do not read or write the embedding cache."
            ),
            click.option(
                "--fail-on",
                type=click.Choice([s.value for s in Severity]),
                help=f"Exit {ExitCode.GAPS_FOUND} if a gap at or above this severity is found.",
            ),
            click.option(
                "--date", help="Report date (ISO 8601); default SOURCE_DATE_EPOCH or now."
            ),
            click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr."),
            click.option(
                "--debug", is_flag=True, help="Show tracebacks instead of one-line errors."
            ),
        ]
    ):
        command = decorator(command)
    return command


def limit_options(command: F) -> F:
    """``--max-file-mb``, ``--max-unpacked-mb``, ``--max-pages``, ``--max-clauses``.

    The four values reach the command as one ``limits`` argument (see :mod:`gapcheck.limits`).
    """

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        max_file_mb: float,
        max_unpacked_mb: float,
        max_pages: int,
        max_clauses: int,
        **kwargs: Any,
    ) -> Any:
        kwargs["limits"] = Limits.from_options(
            max_file_mb=max_file_mb,
            max_unpacked_mb=max_unpacked_mb,
            max_pages=max_pages,
            max_clauses=max_clauses,
        )
        return command(*args, **kwargs)

    positive = click.FloatRange(min=0, min_open=True)
    options = [
        click.option(
            "--max-file-mb",
            type=positive,
            default=DEFAULT_MAX_FILE_MB,
            show_default=True,
            help="Refuse input files larger than this (MiB).",
        ),
        click.option(
            "--max-unpacked-mb",
            type=positive,
            default=DEFAULT_MAX_UNPACKED_MB,
            show_default=True,
            help="Refuse a DOCX whose parts unpack to more than this (MiB; zip bombs).",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_PAGES,
            show_default=True,
            help="Refuse PDFs with more pages than this.",
        ),
        click.option(
            "--max-clauses",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_CLAUSES,
            show_default=True,
            help="Refuse a policy set with more clauses than this (bounds time and memory).",
        ),
    ]
    decorated: Any = wrapper
    for decorator in reversed(options):
        decorated = decorator(decorated)
    return decorated  # type: ignore[no-any-return]


def _engine(
    model: str | None,
    settings_file: Path | None,
    precision: str,
    no_cache: bool,
    quiet: bool,
    limits: Limits = DEFAULT_LIMITS,
) -> commands.EngineOptions:
    return commands.EngineOptions(
        model=model,
        settings=settings_file,
        precision=precision,
        use_cache=not no_cache,
        quiet=quiet,
        limits=limits,
    )


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gapcheck")
def cli() -> None:
    """Check AI operators' terms of service against AI vendors' usage-policy obligations."""


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Report file (.docx, .html, .md, .csv, .json).",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="Report format (default: from -o)."
)
@click.option("--operator", help="Operator name on the report (default: from the file names).")
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    help="Your own report template: a .docx edited in Word (DOCX report) or a .html.j2 / "
    ".md.j2 Jinja file. See report_templates/README.md.",
)
@click.option(
    "--annotate",
    type=click.Path(path_type=Path),
    metavar="OUT.docx",
    help="Also write a copy of the terms with Word comments on the evidence and the model "
    "clauses as tracked insertions (several inputs: OUT's folder, <stem>.annotated.docx).",
)
@click.option(
    "--notice",
    "notices",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Read this input as a privacy notice, whatever its title says (repeatable). A notice "
    "can satisfy what users must be told, never a prohibition or user duty.",
)
@click.option(
    "--terms",
    "terms_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Read this input as binding terms, whatever its title says (repeatable).",
)
@catalog_options
@engine_options
@limit_options
@reports_errors
def analyze(
    inputs: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    operator: str | None,
    template: Path | None,
    annotate: Path | None,
    notices: tuple[Path, ...],
    terms_files: tuple[Path, ...],
    catalogs: commands.CatalogChoice,
    model: str | None,
    settings_file: Path | None,
    precision: str,
    no_cache: bool,
    fail_on: str | None,
    date: str | None,
    quiet: bool,
    debug: bool,
    limits: Limits,
) -> None:
    r"""Analyse one policy set (one or more files read together) and write a gap report.

    \b
    Examples:
      gapcheck analyze terms.docx -o report.docx
      gapcheck analyze terms.pdf aup.html privacy.md --vendor openai -o report.docx
      gapcheck analyze terms.docx --format json > report.json
    """
    request = commands.AnalyzeRequest(
        inputs=inputs,
        output=output,
        format=fmt,
        catalogs=catalogs,
        engine=_engine(model, settings_file, precision, no_cache, quiet, limits),
        fail_on=Severity(fail_on) if fail_on else None,
        operator=operator,
        date=date,
        template=template,
        annotate=annotate,
        notices=notices,
        terms=terms_files,
    )
    sys.exit(int(commands.analyze(request)))


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the reports and summary.csv / summary.json.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Report format per operator (repeatable; default docx).",
)
@click.option("--resume", is_flag=True, help="Skip operators whose reports already exist.")
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    help="Your own template for the matching --format (.docx, .html.j2 or .md.j2).",
)
@click.option(
    "--notice-glob",
    "notice_globs",
    multiple=True,
    metavar="PATTERN",
    help="Read every operator's files whose name matches PATTERN (e.g. 'privacy*') as "
    "privacy notices, whatever their titles say (repeatable).",
)
@click.option(
    "--terms-glob",
    "terms_globs",
    multiple=True,
    metavar="PATTERN",
    help="Read files whose name matches PATTERN as binding terms (repeatable).",
)
@catalog_options
@engine_options
@limit_options
@reports_errors
def batch(
    folder: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    resume: bool,
    template: Path | None,
    notice_globs: tuple[str, ...],
    terms_globs: tuple[str, ...],
    catalogs: commands.CatalogChoice,
    model: str | None,
    settings_file: Path | None,
    precision: str,
    no_cache: bool,
    fail_on: str | None,
    date: str | None,
    quiet: bool,
    debug: bool,
    limits: Limits,
) -> None:
    """Analyse every operator in FOLDER: each subfolder is one policy set, each loose file another.

    One report per operator plus summary.csv and summary.json. An operator whose documents
    cannot be read is listed with its error and the others still run.
    """
    request = commands.BatchRequest(
        folder=folder,
        out_dir=out_dir,
        formats=formats or ("docx",),
        catalogs=catalogs,
        engine=_engine(model, settings_file, precision, no_cache, quiet, limits),
        fail_on=Severity(fail_on) if fail_on else None,
        resume=resume,
        date=date,
        template=template,
        notice_globs=notice_globs,
        terms_globs=terms_globs,
    )
    code, outcomes = commands.batch(request)
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"gapcheck: error: {outcome.error}", err=True)
    failed = sum(1 for outcome in outcomes if outcome.error)
    if not quiet:
        click.echo(
            f"gapcheck: {len(outcomes) - failed} of {len(outcomes)} operators analysed; "
            f"summary in {out_dir / 'summary.csv'}",
            err=True,
        )
    sys.exit(int(code))


@cli.group()
def catalog() -> None:
    """Inspect, validate, scaffold, export and import obligation catalogs."""


@catalog.command("list")
@catalog_options
@reports_errors
def catalog_list(
    catalogs: commands.CatalogChoice,
) -> None:
    """List obligations: id, vendor, category, severity, title."""
    click.echo(catalog_commands.obligation_table(catalogs.load()), nl=False)


@catalog.command("show")
@click.argument("obligation_id")
@catalog_options
@reports_errors
def catalog_show(
    obligation_id: str,
    catalogs: commands.CatalogChoice,
) -> None:
    """Show one obligation in full: requirement, citation, examples, remediation."""
    click.echo(catalog_commands.show_obligation(catalogs.load(), obligation_id), nl=False)


@catalog.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@reports_errors
def catalog_validate(paths: tuple[Path, ...]) -> None:
    """Validate catalog files or folders (default: the bundled catalogs).

    Errors name the file, the line, the obligation and the field.
    """
    for line in catalog_commands.validate_paths(paths):
        click.echo(line)


@catalog.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@reports_errors
def catalog_new(path: Path) -> None:
    """Write a commented catalog scaffold to PATH to start your own."""
    click.echo(catalog_commands.write_scaffold(path))


@catalog.command("schema")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
@reports_errors
def catalog_schema(output: Path | None) -> None:
    """Print the JSON Schema of catalog files (for editor completion)."""
    text = catalog_commands.schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text.encode("utf-8"))


@catalog.command("export")
@click.option(
    "--oscal",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    metavar="OUT.json",
    help="Write an OSCAL 1.1 catalog (JSON) to this file ('-': standard output).",
)
@catalog_options
@click.option(
    "--last-modified",
    metavar="TIMESTAMP",
    help="OSCAL metadata last-modified (ISO 8601 with timezone; default: the newest date "
    "in the catalogs, so the same catalogs always export to the same bytes).",
)
@reports_errors
def catalog_export(
    output: Path,
    catalogs: commands.CatalogChoice,
    last_modified: str | None,
) -> None:
    """Export catalogs as one OSCAL catalog: a group per catalog, a control per obligation.

    Every policy version is exported (in_force as props) unless --policy-version picks
    one; overrides and disable lists are applied first. See README, OSCAL.
    """
    click.echo(
        catalog_commands.export_oscal(
            catalogs.selection(catalogs.profile()),
            None if str(output) == "-" else output,
            catalog_commands.parse_last_modified(last_modified),
        ),
        nl=False,
    )


@catalog.command("import")
@click.argument("source", type=click.Path(path_type=Path), metavar="IN.json")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="A .yaml file (document with one catalog) or a folder (one <id>.yaml per catalog).",
)
@click.option("--force", is_flag=True, help="Replace catalog files that already exist.")
@reports_errors
def catalog_import(source: Path, output: Path, force: bool) -> None:
    """Convert an OSCAL catalog (JSON) into gapcheck YAML catalogs.

    Controls must carry gapcheck's examples, counterexamples and remediation; severity
    and category default to medium and contract. See README, OSCAL.
    """
    for line in catalog_commands.import_oscal(source, output, force):
        click.echo(line)


@catalog.command("selftest")
@catalog_options
@click.option(
    "--leave-one-out",
    is_flag=True,
    help="Hide each example from the catalog while testing it (measures generalisation).",
)
@click.option("--model", type=click.Path(path_type=str), help="Local model folder.")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Matching settings file to test with (default: the bundled calibration).",
)
@reports_errors
def catalog_selftest(
    catalogs: commands.CatalogChoice,
    leave_one_out: bool,
    model: str | None,
    settings_file: Path | None,
) -> None:
    """Check every example is matched as covered and every counterexample is not.

    Exits 4 when an entry fails; each failure names the obligation and the example.
    """
    outcome = commands.self_test(
        catalogs, _engine(model, settings_file, "auto", False, True), leave_one_out
    )
    for line in outcome.lines:
        click.echo(line)
    sys.exit(int(outcome.exit_code))


def main() -> None:
    """Console-script entry point."""
    terminate_like_interrupt()
    cli(prog_name="gapcheck")
