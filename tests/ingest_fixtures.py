"""Helpers for the ingest tests: real DOCX/PDF builders and the block invariant check."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF

from gapcheck.model import Block, BlockKind, Document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def check_invariants(document: Document) -> None:
    """Assert every documented property of blocks and of the text layout."""
    previous_end = -1
    for block in document.blocks:
        assert document.text[block.start : block.end] == block.text, block
        assert block.text, block
        assert block.text == block.text.strip(), block
        assert not re.search(r"\s{2,}|[^\S ]", block.text), f"whitespace not collapsed: {block}"
        assert block.label == block.label.strip(), block
        assert block.start > previous_end, f"blocks overlap or are out of order: {block}"
        assert block.level >= 0
        previous_end = block.end
    rendered = "\n\n".join(
        f"{block.label} {block.text}" if block.label else block.text for block in document.blocks
    )
    assert document.text == rendered


def kinds(document: Document, kind: BlockKind) -> list[Block]:
    return [block for block in document.blocks if block.kind is kind]


def find(document: Document, fragment: str) -> Block:
    """The first block containing ``fragment``."""
    for block in document.blocks:
        if fragment in block.text:
            return block
    raise AssertionError(f"no block contains {fragment!r}: {[b.text for b in document.blocks]}")


# -- DOCX ----------------------------------------------------------------------------


def add_abstract_numbering(document: Any, abstract_id: int, levels: list[tuple[str, str]]) -> None:
    """Add a ``w:abstractNum`` whose level ``i`` has (numFmt, lvlText) ``levels[i]``."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W}}}num")
    first_num.addprevious(abstract)


def add_num(
    document: Any, num_id: int, abstract_id: str | int, restart_at: int | None = None
) -> str:
    """Add a ``w:num`` instance, optionally restarting level 0 at ``restart_at``."""
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
        if restart_at is not None
        else ""
    )
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}">'
        f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
    )
    document.part.numbering_part.element.append(num)
    return str(num_id)


def abstract_of_style(document: Any, style_name: str) -> str:
    """The abstractNumId behind a built-in list style such as "List Number"."""
    style = document.styles[style_name].element
    num_id = style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId").get(f"{{{W}}}val")
    numbering = document.part.numbering_part.element
    for num in numbering.findall(f"{{{W}}}num"):
        if num.get(f"{{{W}}}numId") == num_id:
            return str(num.find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val"))
    raise AssertionError(style_name)


def number(paragraph: Any, num_id: str, ilvl: int = 0) -> Any:
    """Give a python-docx paragraph direct numbering (``w:numPr``)."""
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


def append_body_xml(document: Any, xml: str) -> None:
    """Append raw block XML (a paragraph, a content control) before the section properties."""
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def new_docx() -> Any:
    return docx.Document()


# -- PDF -----------------------------------------------------------------------------

HEADER = "ACME Corp - Terms of Service"


class TermsPdf(FPDF):
    """A PDF with a running header and a "Page N of M" footer on every page."""

    def header(self) -> None:
        self.set_font("helvetica", size=9)
        self.cell(0, 8, HEADER, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.set_font("helvetica", "B", 14)
        self.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")

    def para(self, text: str) -> None:
        self.set_font("helvetica", size=11)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)


def write_pdf(pdf: FPDF, path: Path) -> Path:
    path.write_bytes(bytes(pdf.output()))
    return path
