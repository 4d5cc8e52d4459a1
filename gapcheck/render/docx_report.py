"""The Word report: the report context poured into a Word template with docxtpl.

The layout, wording, fonts, colours, header, footer and section order all live in the
template (``report_templates/report.docx`` or a firm's own ``--template``), which a
firm edits in Word; this module only fills it in. Templates are untrusted input, so
they run in gapcheck's Jinja sandbox with autoescaping (quoted clauses with ``<`` or
``&`` stay valid XML) and are checked before use: a valid DOCX, valid tags, and only
variables the documented context provides.

The output is reproducible: document dates come from the report's ``generated_at``
and the zip entries carry a fixed timestamp, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document as open_document
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from gapcheck.errors import OutputError
from gapcheck.model import Report
from gapcheck.render.context import report_context, utc_timestamp
from gapcheck.render.ooxml import (
    hyperlink_xml,
    reproducible_package,
    share_auto_widths,
    xml_safe,
)
from gapcheck.render.templates import (
    TemplateError,
    bounded_rendering,
    check_unknown_variables,
    describe_error,
    sandboxed_environment,
)

TEMPLATE_NAME = "report.docx"

TEXT_PROPERTIES = ("title", "subject", "comments", "keywords", "category")
"""Core properties that may hold Jinja tags (File > Info > Properties in Word)."""

_RENDER_FAILURES = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    etree.LxmlError,
)
"""What a malformed template can raise inside docxtpl besides Jinja's own errors."""


def render_docx(report: Report, template: Path) -> bytes:
    """Render ``report`` with the Word template ``template`` and return the DOCX bytes.

    Raises:
        TemplateError: the template is not a valid DOCX, has a tag error, uses a
            variable the report does not provide, or fails to render.
        OutputError: ``report.generated_at`` is not an ISO 8601 timestamp, so the
            document's dates cannot be set reproducibly.
    """
    moment = utc_timestamp(report.generated_at)
    if moment is None:
        raise OutputError(
            f"cannot date the DOCX report: generated_at {report.generated_at!r} "
            "is not an ISO 8601 timestamp"
        )
    document = load_docx_template(template)
    properties = {name: getattr(document.docx.core_properties, name) for name in TEXT_PROPERTIES}
    context = _xml_safe_context(report_context(report))
    environment = docx_environment(document)
    with bounded_rendering(template):
        try:
            document.render(context, jinja_env=environment)
        except JinjaError as error:
            raise describe_error(template, error, _near(error)) from error
        except _RENDER_FAILURES as error:
            raise TemplateError(f"{template}: cannot render template: {error}") from error
    buffer = io.BytesIO()
    document.save(buffer)
    rendered = open_document(buffer)
    _lay_out_tables(rendered)
    _set_properties(rendered, properties, context, template)
    rendered.core_properties.created = moment
    rendered.core_properties.modified = moment
    rendered.core_properties.last_printed = moment
    rendered.core_properties.revision = 1
    rendered.core_properties.last_modified_by = "gapcheck"
    buffer = io.BytesIO()
    rendered.save(buffer)
    return reproducible_package(buffer.getvalue())


def docx_environment(document: DocxTemplate) -> SandboxedEnvironment:
    """The sandbox a Word template renders in, with the ``link`` filter bound to it.

    ``{{r url | link }}`` turns a vendor policy URL into a clickable hyperlink showing
    the URL, ``{{r url | link(text) }}`` one showing ``text``. Anything that is not an
    http(s) URL stays plain text, so a catalog cannot plant a ``javascript:`` or
    ``file:`` link in the report.
    """

    def link(url: object, text: object = None) -> Markup:
        target = str(url)
        shown = target if text is None or str(text) == "" else str(text)
        if not target.startswith(("https://", "http://")):
            return Markup(f'<w:r><w:t xml:space="preserve">{Markup.escape(shown)}</w:t></w:r>')
        return Markup(hyperlink_xml(document.build_url_id(target), shown))

    return sandboxed_environment(autoescape=True, filters={"link": link})


def load_docx_template(path: Path) -> DocxTemplate:
    """Open a Word template and check it before any rendering.

    Raises:
        TemplateError: the file is missing or not a DOCX, a tag is malformed (the
            message quotes the Word text near it), or it uses an unknown variable.
    """
    if not path.is_file():
        raise TemplateError(f"{path}: template not found")
    document = DocxTemplate(path)
    try:
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise TemplateError(f"{path}: not a valid Word (.docx) template ({reason})") from None
    except etree.LxmlError as error:
        raise TemplateError(f"{path}: not a valid Word (.docx) template ({error})") from None
    environment = sandboxed_environment(autoescape=True, filters={"link": str})
    for xml in _template_parts(document):
        try:
            environment.parse(xml)
        except JinjaError as error:
            line = getattr(error, "lineno", None) or 1
            raise describe_error(path, error, _line_text(xml, line)) from error
    used = document.get_undeclared_template_variables(jinja_env=environment)
    check_unknown_variables(path, used, environment)
    return document


def _template_parts(document: DocxTemplate) -> list[str]:
    """The body, headers and footers as docxtpl hands them to Jinja, one paragraph a line."""
    parts = [document.get_xml()]
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        parts.extend(document.get_part_xml(part) for _, part in document.get_headers_footers(uri))
    return [re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml)) for xml in parts]


def _line_text(xml: str, line: int) -> str:
    """The visible text of one line of patched template XML (one Word paragraph)."""
    lines = xml.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[min(line, len(lines)) - 1]) if lines else ""
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "…"


def _near(error: JinjaError) -> str:
    """The Word text docxtpl records around a render error's line, if any."""
    context = [" ".join(line.split()) for line in getattr(error, "docx_context", ())]
    line = getattr(error, "lineno", None) or 0
    index = min(max(line - 1, 0), 3)
    text = context[index] if index < len(context) else ""
    return text if len(text) <= 80 else text[:77] + "…"


def _xml_safe_context(value: Any) -> Any:
    """The context with every string stripped of characters XML cannot hold."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: _xml_safe_context(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_safe_context(item) for item in value]
    return value


def _lay_out_tables(document: Document) -> None:
    """Share the width of loop-generated columns (one per vendor) in every table."""
    for table in document.element.body.iter(qn("w:tbl")):
        share_auto_widths(table)


def _set_properties(
    document: Document, templates: dict[str, str], context: dict[str, Any], path: Path
) -> None:
    """Title, subject and the like, rendered from the template's own properties.

    Rendered without autoescaping (they are plain text, not XML), in the sandbox.
    """
    environment = sandboxed_environment(autoescape=False)
    for name, source in templates.items():
        with bounded_rendering(path):
            try:
                value = environment.from_string(source or "").render(context)
            except JinjaError as error:
                raise describe_error(path, error, f"document property {name}") from error
        setattr(document.core_properties, name, _metadata(xml_safe(value)))


def _metadata(text: str) -> str:
    """Core properties hold at most 255 characters; longer values are cut with an ellipsis."""
    return text if len(text) <= 255 else text[:254] + "…"
