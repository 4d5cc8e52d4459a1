"""The Markdown report: the shared report context poured into a sandboxed Jinja template.

The template runs in the sandbox of :mod:`gapcheck.render.templates` and without HTML
autoescaping, because the output is Markdown, where ``&amp;`` would show literally. The
two filters below make arbitrary quoted text safe inside Markdown's table and quote
syntax without changing a character of it.
"""

from __future__ import annotations

from pathlib import Path

from gapcheck.model import Report
from gapcheck.render.templates import render_text_template

TEMPLATE_NAME = "report.md.j2"


def render_markdown(report: Report, template: Path) -> str:
    """Render ``report`` with the Markdown template file ``template``.

    Raises:
        TemplateError: the template is missing, has a syntax error, uses an undefined
            variable or tries something the sandbox forbids.
    """
    return render_text_template(report, template, autoescape=False, filters=MARKDOWN_FILTERS)


def table_cell(value: object) -> str:
    r"""Make text safe inside a Markdown table cell.

    A ``|`` would end the cell and a line break would end the row, so pipes become ``\|``
    and line breaks become ``<br>`` (which GitHub-flavoured Markdown renders in tables).
    """
    return "<br>".join(str(value).replace("|", "\\|").splitlines())


def blockquote(value: object) -> str:
    """Quote text as a Markdown blockquote, every line prefixed, blank lines kept.

    The text itself is left untouched so a quoted clause reads exactly as in the
    source document.
    """
    lines = str(value).splitlines() or [""]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


MARKDOWN_FILTERS = {"cell": table_cell, "blockquote": blockquote}
"""Filters the Markdown template may use, besides Jinja's built-in ones."""
