"""The DOCX report's house style: colours, sizes, and the paragraph and table primitives.

Keeping the look in one place means the report layout (:mod:`gapcheck.render.docx_report`)
says only *what* goes where, and a restyle (a firm's colours, a different body size)
touches this module alone. Every text goes through :func:`add_run`, which is where
characters XML cannot hold are dealt with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Length, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from gapcheck.render.ooxml import repeat_as_header, set_column_widths, shade_cell, shade_run

STATUS_FILLS: dict[str, str] = {
    "covered": "C6EFCE",
    "partial": "FFEB9C",
    "missing": "FFC7CE",
    "conflict": "C00000",
    "not_applicable": "D9D9D9",
}
"""Cell fill per status: the green/amber/red convention of compliance dashboards."""

STATUS_TEXT: dict[str, str] = {
    "covered": "006100",
    "partial": "7F4F00",
    "missing": "9C0006",
    "conflict": "FFFFFF",
    "not_applicable": "404040",
}
"""Text colour on each fill, chosen for contrast (white only on the dark conflict red)."""

HEADER_FILL = "DCE3EE"
MODEL_CLAUSE_FILL = "EEF2F7"
MUTED = RGBColor(0x59, 0x59, 0x59)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)

BODY_SIZE = Pt(10)
TABLE_SIZE = Pt(9)
SMALL_SIZE = Pt(7.5)
MONOSPACE = "Consolas"

MARGIN = Inches(1)
QUOTE_INDENT = Inches(0.3)
TEXT_WIDTH = Inches(6.2)
"""Tables never exceed 6.2in: A4 with 1in margins leaves 6.27in, Letter 6.5in."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def add_table(
    document: Document, headings: Sequence[str], widths: Sequence[Length], *, header: bool = True
) -> Table:
    """A Table Grid table with a shaded header row that repeats on every page."""
    table: Table = document.add_table(rows=1, cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if header:
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            write_cell(cell, text, bold=True)
            shade_cell(cell, HEADER_FILL)
    repeat_as_header(table.rows[0])
    set_column_widths(table, widths)
    return table


def new_row(table: Table) -> _Row:
    """Append a row (python-docx leaves ``Table.add_row`` unannotated)."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    return row


def status_cell(
    cell: _Cell, status: str, label: str, *, align: Any = WD_ALIGN_PARAGRAPH.LEFT
) -> None:
    """A status label on its status colour."""
    write_cell(
        cell, label, bold=True, align=align, colour=RGBColor.from_string(STATUS_TEXT[status])
    )
    shade_cell(cell, STATUS_FILLS[status])


def write_cell(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    align: Any = None,
    font: str | None = None,
    colour: RGBColor | None = None,
) -> None:
    """Put ``text`` in a table cell's first paragraph in the table font size."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    add_run(paragraph, text, bold=bold, size=TABLE_SIZE, font=font, colour=colour)


def add_labelled(
    document: Document, label: str, text: str, *, space_before: bool = False
) -> Paragraph:
    """A "Label: text" paragraph, the label in bold."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    if space_before:
        paragraph.paragraph_format.space_before = Pt(8)
    add_run(paragraph, f"{label}: ", bold=True)
    add_run(paragraph, text)
    return paragraph


def add_subheading(document: Document, text: str) -> None:
    """A bold run-in heading inside a finding (kept off the navigation pane)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.keep_with_next = True
    add_run(paragraph, text, bold=True, colour=ACCENT)


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
    font: str | None = None,
    colour: RGBColor | None = None,
    highlight_fill: str | None = None,
) -> None:
    """Append formatted text; ``highlight_fill`` shades just this run (a status badge)."""
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = size
    if font is not None:
        run.font.name = font
    if colour is not None:
        run.font.color.rgb = colour
    if highlight_fill is not None:
        shade_run(run, highlight_fill)


def xml_safe(text: str) -> str:
    """Replace the control characters XML cannot hold (e.g. a PDF form feed) by spaces.

    Everything else, including line breaks and tabs, is kept, so quotes stay verbatim.
    """
    return _XML_ILLEGAL.sub(" ", text)
