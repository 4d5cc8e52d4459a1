"""The Markdown report: the shared report context poured into a Jinja template.

Templates may come from a law firm rather than from us, so they run in Jinja's
sandbox (no attribute walks to ``__class__``/``__globals__``), with ``StrictUndefined``
(a misspelt variable is an error, not a silently empty cell) and without HTML
autoescaping (the output is Markdown, where ``&amp;`` would show literally). Any
template problem becomes an :class:`~gapcheck.errors.OutputError` naming the template.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from gapcheck.errors import OutputError
from gapcheck.model import Report
from gapcheck.render.context import report_context

TEMPLATE_NAME = "report.md.j2"


def render_markdown(report: Report, template_dir: Path) -> str:
    """Render ``report`` with ``template_dir/report.md.j2``.

    Raises:
        OutputError: the template is missing, has a syntax error, uses an undefined
            variable or tries something the sandbox forbids.
    """
    environment = markdown_environment(template_dir)
    where = template_dir / TEMPLATE_NAME
    try:
        template = environment.get_template(TEMPLATE_NAME)
        return template.render(report_context(report))
    except TemplateNotFound:
        raise OutputError(f"{where}: report template not found") from None
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        at = f" (line {line})" if line else ""
        raise OutputError(f"{where}{at}: template error: {error}") from error


def markdown_environment(template_dir: Path) -> SandboxedEnvironment:
    """The one Jinja environment for Markdown templates, with its Markdown filters."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(template_dir),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["cell"] = table_cell
    environment.filters["blockquote"] = blockquote
    return environment


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
