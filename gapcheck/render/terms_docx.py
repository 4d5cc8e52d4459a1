"""A clean Word rendering of terms that did not come as DOCX (PDF, HTML, Markdown, text).

A lawyer reviews suggested changes in Word, so terms read from another format are laid
out as a plain DOCX from the blocks gapcheck extracted: headings as Word headings (so
"end of section" means the same as in a real DOCX), paragraphs, list items with their
numbers typed out, and table rows as a Word table. It records which paragraph each
block became, so evidence is placed by its offsets rather than by searching text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from gapcheck.model import Block, BlockKind, Document
from gapcheck.render.ooxml import xml_safe

BULLET = "•"


@dataclass(frozen=True)
class RenderedTerms:
    """The Word document and, for each block of the source, the paragraph it became."""

    document: WordDocument
    blocks: tuple[Block, ...]
    paragraphs: tuple[Paragraph, ...]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph holding the text at ``offset`` of the source's extracted text."""
        for block, paragraph in zip(self.blocks, self.paragraphs, strict=True):
            if block.start <= offset < max(block.end, block.start + 1):
                return paragraph
        return None


def render_terms(source: Document) -> RenderedTerms:
    """Lay out ``source``'s blocks as a Word document (see the module docstring)."""
    document = new_document()
    styles = document.styles
    styles["Normal"].font.size = Pt(10.5)
    document.add_paragraph(xml_safe(source.name), style="Title")
    note = document.add_paragraph(
        f"A clean Word rendering of {xml_safe(source.name)} ({source.format}), made by "
        "gapcheck so that its comments and suggested insertions can be reviewed in Word. "
        "The original file is unchanged."
    )
    note.runs[0].italic = True
    paragraphs: list[Paragraph] = []
    index = 0
    blocks = source.blocks
    while index < len(blocks):
        block = blocks[index]
        if block.kind is BlockKind.TABLE_ROW:
            run_end = index
            while run_end < len(blocks) and blocks[run_end].kind is BlockKind.TABLE_ROW:
                run_end += 1
            paragraphs.extend(_add_table(document, blocks[index:run_end]))
            index = run_end
            continue
        paragraphs.append(_add_block(document, block))
        index += 1
    return RenderedTerms(document, blocks, tuple(paragraphs))


def _add_block(document: WordDocument, block: Block) -> Paragraph:
    """One heading, paragraph or list item; its typed number or bullet is kept as text."""
    text = xml_safe(block.text)
    if block.kind is BlockKind.HEADING:
        level = min(max(block.level, 1), 9)
        heading: Paragraph = document.add_heading(f"{block.label} {text}".strip(), level=level)
        return heading
    if block.kind is BlockKind.LIST_ITEM:
        marker = xml_safe(block.label) or BULLET
        paragraph = document.add_paragraph(f"{marker}\t{text}")
        paragraph.paragraph_format.left_indent = Cm(0.75 * (block.level + 1))
        paragraph.paragraph_format.first_line_indent = Cm(-0.75)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.75 * (block.level + 1)))
        return paragraph
    return document.add_paragraph(text)


def _add_table(document: WordDocument, rows: Sequence[Block]) -> list[Paragraph]:
    """Consecutive table rows as one table; each row is represented by its first cell."""
    cells = [row.text.split(" | ") for row in rows]
    width = max(len(row) for row in cells)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = document.styles["Table Grid"]
    firsts = []
    for table_row, texts in zip(table.rows, cells, strict=True):
        for cell, text in zip(table_row.cells, texts, strict=False):
            cell.paragraphs[0].add_run(xml_safe(text))
        firsts.append(table_row.cells[0].paragraphs[0])
    document.add_paragraph()
    return firsts
