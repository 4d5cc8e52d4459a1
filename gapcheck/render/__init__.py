"""Render stage: turn a :class:`~gapcheck.model.Report` into DOCX, JSON or Markdown.

Every renderer reads the same precomputed context (:mod:`gapcheck.render.context`), so
the formats never disagree; this module only dispatches on the format name.
"""

from __future__ import annotations

from pathlib import Path

from gapcheck.errors import UsageError
from gapcheck.model import Report
from gapcheck.render.context import report_context
from gapcheck.render.docx_report import render_docx
from gapcheck.render.json_report import render_json, report_from_json
from gapcheck.render.markdown_report import render_markdown

FORMATS: tuple[str, ...] = ("docx", "json", "md")
"""Output formats the CLI accepts for ``--format``."""

__all__ = [
    "FORMATS",
    "render",
    "render_docx",
    "render_json",
    "render_markdown",
    "report_context",
    "report_from_json",
]


def render(report: Report, fmt: str, template_dir: Path) -> bytes:
    """Render ``report`` in format ``fmt``; text formats are encoded as UTF-8.

    ``template_dir`` holds ``report.md.j2`` and is only read for Markdown.

    Raises:
        UsageError: ``fmt`` is not one of :data:`FORMATS`.
        OutputError: the report cannot be rendered (template error, bad timestamp).
    """
    if fmt == "docx":
        return render_docx(report)
    if fmt == "json":
        return render_json(report).encode("utf-8")
    if fmt == "md":
        return render_markdown(report, template_dir).encode("utf-8")
    raise UsageError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")
