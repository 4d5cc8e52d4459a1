"""Report templates: which file renders which format, the sandbox, and template errors.

Templates may come from a law firm rather than from us (``--template``), so every one of
them, Word or text, runs in Jinja's sandbox with ``StrictUndefined``: no attribute walks
to ``__class__``/``__globals__``, and a misspelt variable is an error rather than a
silently empty cell. A broken template is the user's input, not a failed write, so its
problems are :class:`TemplateError`, a usage error (exit 2) whose one-line message
names the file, the line (or the Word text near it) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, StrictUndefined, Template, TemplateNotFound, meta
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from gapcheck.errors import UsageError
from gapcheck.model import Report
from gapcheck.render.context import report_context
from gapcheck.render.template_limits import BoundedSandbox, RenderTimeout, render_deadline

TEMPLATE_FILES: dict[str, str] = {
    "docx": "report.docx",
    "html": "report.html.j2",
    "md": "report.md.j2",
}
"""The bundled template of each templated format, a file in ``report_templates/``."""


class TemplateError(UsageError):
    """A report template is missing, not a template, malformed, or asks for too much."""


def sandboxed_environment(
    *,
    autoescape: bool,
    loader: BaseLoader | None = None,
    filters: dict[str, Callable[..., Any]] | None = None,
    **options: Any,
) -> SandboxedEnvironment:
    """The one kind of Jinja environment gapcheck renders any template with.

    Jinja's sandbox with bounds on the work a template may ask for
    (:mod:`gapcheck.render.template_limits`).
    """
    environment = BoundedSandbox(
        loader=loader, undefined=StrictUndefined, autoescape=autoescape, **options
    )
    environment.filters.update(filters or {})
    return environment


def context_keys() -> frozenset[str]:
    """The top-level variables every template may use (``report_templates/README.md``)."""
    empty = Report(
        gapcheck_version="",
        generated_at="",
        operator="",
        documents=(),
        catalogs=(),
        model="",
        findings=(),
    )
    return frozenset(report_context(empty))


def template_format(path: Path) -> str | None:
    """The report format a template file renders, judged by its name; None if unknown."""
    name = path.name.lower()
    if name.endswith((".docx", ".dotx")):
        return "docx"
    if name.endswith((".html.j2", ".htm.j2", ".html", ".htm")):
        return "html"
    if name.endswith((".md.j2", ".markdown.j2", ".md")):
        return "md"
    return None


def resolve_template(fmt: str, template_dir: Path, override: Path | None) -> Path:
    """The template to render ``fmt`` with: ``override`` when given, else the bundled one.

    Raises:
        TemplateError: ``fmt`` is not rendered from a template, or ``override`` is for
            another format or does not exist.
    """
    if fmt not in TEMPLATE_FILES:
        if override is None:
            raise TemplateError(f"{fmt} reports are not rendered from a template")
        raise TemplateError(
            f"{override}: --template applies to {', '.join(sorted(TEMPLATE_FILES))} "
            f"reports, not {fmt}"
        )
    if override is None:
        return template_dir / TEMPLATE_FILES[fmt]
    kind = template_format(override)
    if kind != fmt:
        wanted = {"docx": "a .docx", "html": "an .html.j2", "md": "a .md.j2"}[fmt]
        raise TemplateError(f"{override}: a {fmt} report needs {wanted} template")
    if not override.is_file():
        raise TemplateError(f"{override}: template not found")
    return override


def check_unknown_variables(path: Path, used: Iterable[str], environment: Any) -> None:
    """Refuse a template that uses a variable the report context does not provide.

    Jinja's own globals (``range``, ``dict``, ``loop`` helpers) are allowed.

    Raises:
        TemplateError: naming the unknown variables, so a typo is found before a run.
    """
    unknown = sorted(set(used) - context_keys() - set(environment.globals))
    if unknown:
        raise TemplateError(
            f"{path}: template uses variable(s) the report does not provide: "
            f"{', '.join(unknown)} (see report_templates/README.md)"
        )


def describe_error(path: Path, error: JinjaError, near: str = "") -> TemplateError:
    """A one-line :class:`TemplateError` for a Jinja error: file, line or nearby text, cause."""
    line = getattr(error, "lineno", None)
    where = f" (line {line})" if line and not near else ""
    hint = f" near “{near}”" if near else ""
    message = " ".join(str(error).split()) or type(error).__name__
    return TemplateError(f"{path}{where}: template error{hint}: {message}")


def load_text_template(
    path: Path, *, autoescape: bool, filters: dict[str, Callable[..., Any]] | None = None
) -> Template:
    """Load a Jinja text template (Markdown, HTML) after checking the variables it uses.

    Raises:
        TemplateError: the file is missing or unreadable, has a syntax error or uses a
            variable the report context does not provide.
    """
    environment = sandboxed_environment(
        autoescape=autoescape,
        loader=FileSystemLoader(path.parent),
        filters=filters,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"{path}: report template not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(f"{path}: cannot read template ({error})") from None
    try:
        used = meta.find_undeclared_variables(environment.parse(source))
        template = environment.get_template(path.name)
    except TemplateNotFound:
        raise TemplateError(f"{path}: report template not found") from None
    except JinjaError as error:
        raise describe_error(path, error) from error
    check_unknown_variables(path, used, environment)
    return template


def render_text_template(
    report: Report,
    path: Path,
    *,
    autoescape: bool,
    filters: dict[str, Callable[..., Any]] | None = None,
) -> str:
    """Render ``report`` with the text template at ``path`` in the sandbox.

    Raises:
        TemplateError: see :func:`load_text_template`; also any error while rendering,
            such as an attribute the sandbox forbids.
    """
    template = load_text_template(path, autoescape=autoescape, filters=filters)
    context = report_context(report)
    with bounded_rendering(path):
        try:
            return template.render(context)
        except JinjaError as error:
            raise describe_error(path, error) from error


@contextmanager
def bounded_rendering(path: Path) -> Iterator[None]:
    """Render under the time bound; running out of time, stack or memory is a TemplateError.

    These are the template's doing (a loop without end, a macro calling itself), so
    they are the user's input error, not a crash of gapcheck.
    """
    try:
        with render_deadline():
            yield
    except RenderTimeout as error:
        raise TemplateError(f"{path}: template error: {error}") from None
    except RecursionError:
        raise TemplateError(
            f"{path}: template error: macros or includes call themselves too deeply"
        ) from None
    except MemoryError:
        raise TemplateError(
            f"{path}: template error: rendering needs more memory than is available"
        ) from None
