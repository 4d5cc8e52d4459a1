"""The few WordprocessingML features the DOCX report needs that python-docx has no API for.

Cell and paragraph shading, repeating table headers, column widths that both Word and
LibreOffice respect, external hyperlinks, a PAGE field, and a package whose bytes do not
depend on the clock. Each helper edits the XML python-docx built, so the rest of the
DOCX renderer stays at the level of headings, paragraphs and tables.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can carry; used for every entry so output is reproducible."""


# Children that must follow w:shd inside cell / paragraph properties (ECMA-376 order);
# Word reports a file with w:shd after any of them as corrupt.
_TCPR_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)
_RPR_AFTER_SHD = (
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_PPR_AFTER_SHD = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)

_TRPR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def shade_cell(cell: _Cell, fill: str) -> None:
    """Fill a table cell with the hex colour ``fill`` (e.g. ``"C6EFCE"``) via ``w:shd``."""
    _set_shading(cell._tc.get_or_add_tcPr(), fill, _TCPR_AFTER_SHD)


def shade_run(run: Run, fill: str) -> None:
    """Fill the background behind a run of text (a coloured badge inside a sentence)."""
    _set_shading(run._r.get_or_add_rPr(), fill, _RPR_AFTER_SHD)


def shade_paragraph(paragraph: Paragraph, fill: str) -> None:
    """Fill the background of a paragraph (a shaded box such as a model clause)."""
    _set_shading(paragraph._p.get_or_add_pPr(), fill, _PPR_AFTER_SHD)


def _set_shading(properties: BaseOxmlElement, fill: str, successors: tuple[str, ...]) -> None:
    """Give a properties element exactly one ``w:shd``, placed where the schema wants it."""
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.insert_element_before(shading, *successors)


def repeat_as_header(row: _Row) -> None:
    """Mark a row as the table header, repeated at the top of every page the table spans."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.insert_element_before(header, *_TRPR_AFTER_HEADER)


def keep_row_together(row: _Row) -> None:
    """Stop Word from splitting a row across two pages."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.insert_element_before(cant_split, "w:trHeight", "w:tblHeader", *_TRPR_AFTER_HEADER)


def set_column_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fix column widths: Word reads each cell's ``w:tcW``, LibreOffice the ``w:gridCol``."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """Append a clickable external link, styled as Word's built-in blue underline."""
    relationship_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship_id)
    run = OxmlElement("w:r")
    run_properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    run_properties.append(colour)
    run_properties.append(underline)
    run.append(run_properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def add_page_number(paragraph: Paragraph) -> None:
    """Append a PAGE field, which Word and LibreOffice fill in with the current page."""
    begin, instruction, separate, end = (paragraph.add_run() for _ in range(4))
    begin._r.append(_field_char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    instruction._r.append(code)
    separate._r.append(_field_char("separate"))
    end._r.append(_field_char("end"))


def _field_char(kind: str) -> BaseOxmlElement:
    """A ``w:fldChar`` marking the begin, separator or end of a field."""
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def reproducible_package(data: bytes) -> bytes:
    """Rewrite a saved DOCX so its zip entries carry a fixed date and a fixed order.

    python-docx stamps every entry with the current time, so two renders of the same
    report would differ byte for byte; a reproducible file can be hashed and archived
    next to the report's inputs.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return target_buffer.getvalue()
