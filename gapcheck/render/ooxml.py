"""The WordprocessingML details python-docx has no API for, in one place.

Shading, borders, cell margins and column widths (used by the template generator),
hyperlinks and fields, tracked insertions (used by the annotated terms), XML-safe text,
and a package whose bytes do not depend on the clock. Each helper edits the XML
python-docx built and keeps child elements in the order the schema requires, because
Word reports a file with misordered properties as corrupt.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can carry; used for every entry so output is reproducible."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Children that must follow an element inside a properties element (ECMA-376 order).
_TCPR_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
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
_PPR_AFTER_BORDER = ("w:shd", *_PPR_AFTER_SHD)
_BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")
_TBLPR_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
_TBLPR_AFTER_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription")
_TRPR_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def xml_safe(text: str) -> str:
    """Replace the control characters XML cannot hold (e.g. a PDF form feed) by spaces.

    Everything else, including line breaks and tabs, is kept, so quotes stay verbatim.
    """
    return _XML_ILLEGAL.sub(" ", text)


# --- shading, borders, widths (the template generator's toolbox) ---------------------------


def shade_cell(cell: _Cell, fill: str) -> None:
    """Fill a table cell with the hex colour ``fill`` (e.g. ``"C6EFCE"``) via ``w:shd``."""
    _set_shading(cell._tc.get_or_add_tcPr(), fill, _TCPR_AFTER_SHD)


def shade_properties(properties: BaseOxmlElement, fill: str) -> None:
    """Fill the background of a paragraph or paragraph style, given its ``w:pPr``."""
    _set_shading(properties, fill, _PPR_AFTER_SHD)


def _set_shading(properties: BaseOxmlElement, fill: str, successors: tuple[str, ...]) -> None:
    """Give a properties element exactly one ``w:shd``, placed where the schema wants it."""
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.insert_element_before(shading, *successors)


def paragraph_border(
    properties: BaseOxmlElement, side: str, colour: str, *, size: int, space: int
) -> None:
    """Draw one border of a paragraph (or paragraph style), given its ``w:pPr``.

    ``size`` is in eighths of a point and ``space`` in points, as Word stores them.
    """
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *_PPR_AFTER_BORDER)
    for old in borders.findall(qn(f"w:{side}")):
        borders.remove(old)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), colour)
    borders.append(line)
    ordered = sorted(borders, key=lambda child: _BORDER_SIDES.index(child.tag.split("}")[1]))
    for child in ordered:
        borders.append(child)


def set_table_borders(table: Table, colour: str, size: int = 4) -> None:
    """Thin single rules around and inside a table, in one colour."""
    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size))
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), colour)
        borders.append(line)
    properties.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def set_cell_margins(table: Table, *, top: int, bottom: int, left: int, right: int) -> None:
    """Default inner cell margins of a table, in twentieths of a point (twips)."""
    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblCellMar")):
        properties.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(value))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(margins, *_TBLPR_AFTER_MARGINS)


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


def auto_cell_width(cell: _Cell) -> None:
    """Make a cell's width automatic, to be shared out by :func:`share_auto_widths`.

    The width element stays (as ``w:type="auto"``): docxtpl's ``cellbg`` tag misplaces
    its shading in a cell whose properties element would otherwise be empty.
    """
    width = cell._tc.get_or_add_tcPr().get_or_add_tcW()
    width.set(qn("w:type"), "auto")
    width.set(qn("w:w"), "0")


def share_auto_widths(table: BaseOxmlElement) -> None:
    """Give the automatic-width cells of each row equal shares of what is left.

    Template columns repeated by a loop (``{%tc for %}``, e.g. one per vendor) cannot
    know their width in advance; here they split the table's width after the fixed
    columns. The grid is rebuilt from the first row so Word and LibreOffice agree.
    Tables without automatic-width cells are left alone.
    """
    grid = table.find(qn("w:tblGrid"))
    rows = table.findall(qn("w:tr"))
    if grid is None or not rows:
        return
    total = sum(int(col.get(qn("w:w"), "0")) for col in grid.findall(qn("w:gridCol")))
    first_widths: list[int] | None = None
    for tr in rows:
        cells = tr.findall(qn("w:tc"))
        fixed = [_cell_width(tc) for tc in cells]
        auto = [i for i, width in enumerate(fixed) if width is None]
        if not auto or any(_spans(tc) for tc in cells):
            return
        share = max(total - sum(w for w in fixed if w is not None), 0) // len(auto)
        widths = [share if width is None else width for width in fixed]
        for tc, width in zip(cells, widths, strict=True):
            _set_cell_width(tc, width)
        if first_widths is None:
            first_widths = widths
    if first_widths is None:
        return
    for col in grid.findall(qn("w:gridCol")):
        grid.remove(col)
    for width in first_widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        grid.append(col)


def _cell_width(tc: BaseOxmlElement) -> int | None:
    """A cell's fixed width in twips, or None when it is automatic."""
    width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    if width is None or width.get(qn("w:type"), "dxa") != "dxa":
        return None
    return int(width.get(qn("w:w"), "0"))


def _spans(tc: BaseOxmlElement) -> bool:
    """True for a merged cell (its share of the grid is not one column)."""
    return tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None


def _set_cell_width(tc: BaseOxmlElement, width: int) -> None:
    properties = tc.find(qn("w:tcPr"))
    if properties is None:
        properties = OxmlElement("w:tcPr")
        tc.insert(0, properties)
    element = properties.find(qn("w:tcW"))
    if element is None:
        element = OxmlElement("w:tcW")
        properties.insert_element_before(
            element, "w:gridSpan", "w:vMerge", "w:tcBorders", "w:shd", *_TCPR_AFTER_SHD
        )
    element.set(qn("w:w"), str(width))
    element.set(qn("w:type"), "dxa")


# --- fields and links ---------------------------------------------------------------------


def add_field(paragraph: Paragraph, code: str) -> None:
    """Append a field such as ``PAGE`` or ``NUMPAGES``, which Word fills in when shown."""
    begin, instruction, separate, end = (paragraph.add_run() for _ in range(4))
    begin._r.append(_field_char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {code} "
    instruction._r.append(text)
    separate._r.append(_field_char("separate"))
    end._r.append(_field_char("end"))


def _field_char(kind: str) -> BaseOxmlElement:
    """A ``w:fldChar`` marking the begin, separator or end of a field."""
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def hyperlink_xml(relationship_id: str, text: str) -> str:
    """A ``w:hyperlink`` holding one run of ``text`` in the Hyperlink character style."""
    return (
        f"<w:hyperlink r:id={quoteattr(relationship_id)}><w:r><w:rPr>"
        '<w:rStyle w:val="Hyperlink"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r></w:hyperlink>'
    )


# --- tracked changes ----------------------------------------------------------------------


def revision_stamp(moment: dt.datetime) -> str:
    """A ``w:date`` value: UTC, to the second, with ``Z`` (what Word writes)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def tracked_paragraph(
    text: str, *, revision: int, author: str, date: str, style_id: str | None = None
) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """A new paragraph recorded as a tracked insertion by ``author`` at ``date``.

    Both the text (a run inside ``w:ins``) and the paragraph mark (``w:ins`` in the
    mark's run properties) are marked inserted, so rejecting the change in Word removes
    the whole paragraph. Uses revision ids ``revision`` and ``revision + 1``. Returns
    the paragraph and its run (to anchor a comment on).
    """
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    if style_id:
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), style_id)
        properties.append(style)
    mark = OxmlElement("w:rPr")
    mark.append(_revision("w:ins", revision, author, date))
    properties.append(mark)
    paragraph.append(properties)
    inserted = _revision("w:ins", revision + 1, author, date)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = xml_safe(text)
    run.append(text_element)
    inserted.append(run)
    paragraph.append(inserted)
    return paragraph, run


def _revision(tag: str, revision: int, author: str, date: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(revision))
    element.set(qn("w:author"), author)
    element.set(qn("w:date"), date)
    return element


# --- reproducible packages -----------------------------------------------------------------


def reproducible_package(data: bytes) -> bytes:
    """Rewrite a saved DOCX so its zip entries carry a fixed date and a fixed order.

    python-docx stamps every entry with the current time, so two renders of the same
    report would differ byte for byte; a reproducible file can be hashed and archived
    next to the report's inputs. ``[Content_Types].xml`` stays first, as Office expects.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            entry = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(name))
    return target_buffer.getvalue()
