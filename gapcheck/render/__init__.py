"""Render stage: turn a :class:`~gapcheck.model.Report` into DOCX, HTML, Markdown, CSV or JSON.

Every renderer reads the same precomputed context (:mod:`gapcheck.render.context`), so
the formats never disagree; this module only dispatches on the format name and picks
the template (the bundled one, or the user's ``--template``).
"""

from __future__ import annotations

from pathlib import Path

from gapcheck.errors import UsageError
from gapcheck.model import Report
from gapcheck.render.context import report_context
from gapcheck.render.csv_report import render_csv
from gapcheck.render.docx_report import load_docx_template, render_docx
from gapcheck.render.html_report import render_html
from gapcheck.render.json_report import render_json, report_from_json
from gapcheck.render.markdown_report import MARKDOWN_FILTERS, render_markdown
from gapcheck.render.templates import (
    TEMPLATE_FILES,
    TemplateError,
    load_text_template,
    resolve_template,
    template_format,
)

FORMATS: tuple[str, ...] = ("docx", "html", "md", "csv", "json")
"""Output formats the CLI accepts for ``--format``."""

__all__ = [
    "FORMATS",
    "TEMPLATE_FILES",
    "TemplateError",
    "check_template",
    "render",
    "render_csv",
    "render_docx",
    "render_html",
    "render_json",
    "render_markdown",
    "report_context",
    "report_from_json",
]


def render(report: Report, fmt: str, template_dir: Path, template: Path | None = None) -> bytes:
    """Render ``report`` in format ``fmt``; text formats are encoded as UTF-8 (CSV with a BOM).

    ``template_dir`` holds the bundled templates (:data:`TEMPLATE_FILES`); ``template``,
    when given, replaces the bundled template of ``fmt``.

    Raises:
        UsageError: ``fmt`` is not one of :data:`FORMATS`.
        TemplateError: the template is unusable (a usage error: exit 2).
        OutputError: the report cannot be dated (``generated_at`` is not ISO 8601).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "json":
        if template is not None:
            resolve_template(fmt, template_dir, template)
        return render_json(report).encode("utf-8")
    if fmt == "csv":
        if template is not None:
            resolve_template(fmt, template_dir, template)
        # A byte-order mark, so that Excel reads the accents in quoted clauses correctly.
        return render_csv(report).encode("utf-8-sig")
    path = resolve_template(fmt, template_dir, template)
    if fmt == "docx":
        return render_docx(report, path)
    if fmt == "html":
        return render_html(report, path).encode("utf-8")
    return render_markdown(report, path).encode("utf-8")


def check_template(template: Path, formats: tuple[str, ...]) -> str:
    """Check a ``--template`` before any analysis runs, so a typo costs no model time.

    Returns the format the template renders, which must be one of ``formats``.

    Raises:
        TemplateError: the template is for none of ``formats``, is not a valid DOCX or
            Jinja template, or uses a variable the report context does not provide.
    """
    fmt = template_format(template)
    if fmt is None or fmt not in formats:
        wanted = ", ".join(f for f in formats if f in TEMPLATE_FILES) or "none"
        raise TemplateError(
            f"{template}: not a template for the requested report format "
            f"(templated formats requested: {wanted}; use .docx, .html.j2 or .md.j2)"
        )
    path = resolve_template(fmt, template.parent, template)
    if fmt == "docx":
        load_docx_template(path)
    else:
        filters = MARKDOWN_FILTERS if fmt == "md" else None
        load_text_template(path, autoescape=fmt == "html", filters=filters)
    return fmt
