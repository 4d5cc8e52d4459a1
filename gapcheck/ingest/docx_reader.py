"""Read a Word ``.docx`` into blocks: headings, numbered and bulleted items, paragraphs, rows.

Structure comes from what the author chose in Word (heading styles, list numbering,
tables) rather than from guessing at the text, and the numbers Word generates for
numbered paragraphs are recovered as block labels (see :mod:`docx_numbering`).
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx

from gapcheck.errors import InputError
from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.ingest.docx_numbering import Numbering
from gapcheck.ingest.docx_xml import (
    TBL,
    TC,
    TR,
    XmlElement,
    attr,
    child,
    int_attr,
    iter_blocks,
    iter_children,
    iter_paragraphs,
    paragraph_text,
    w,
)
from gapcheck.ingest.failures import describe
from gapcheck.ingest.filetype import OLE_ENCRYPTION_STREAM, OLE_MAGIC
from gapcheck.limits import Limits
from gapcheck.model import BlockKind

DTD_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
"""Word never writes a DTD; one in a part can only serve entity tricks (billion laughs, XXE)."""

_PROLOG_BYTES = 64 * 1024

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_LIST_STYLE_NAME = re.compile(r"^list\s*(?:number|bullet|continue)?\s*([2-9])$", re.IGNORECASE)
_BULLET_STYLE_NAME = re.compile(r"^list\s*bullet", re.IGNORECASE)
_MAX_STYLE_CHAIN = 20


@dataclass(frozen=True)
class _Style:
    """What the reader needs from one paragraph style in ``styles.xml``."""

    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline_level: int | None


@dataclass(frozen=True)
class _Numbered:
    num_id: str
    ilvl: int


def read_docx(path: Path, data: bytes, builder: DocumentBuilder, limits: Limits) -> list[str]:
    """Add the blocks of the DOCX in ``data`` to ``builder``; return warnings.

    Raises:
        InputError: the file is password-protected, a legacy .doc, not a readable DOCX,
            declares a DTD, or inflates beyond ``limits.max_unpacked_bytes``.
    """
    if data.startswith(OLE_MAGIC):
        if OLE_ENCRYPTION_STREAM in data:
            raise InputError(f"{path}: password-protected; remove the password and try again")
        raise InputError(f"{path}: a legacy Word .doc file; save it as .docx and try again")
    _check_archive(path, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as error:
        if "not a Word file" not in str(error):
            raise InputError(f"{path}: corrupt DOCX ({describe(error)})") from error
        raise InputError(
            f"{path}: not a plain Word document (macro-enabled or a template?);"
            " save it as .docx and try again"
        ) from error
    except Exception as error:  # python-docx, zipfile and lxml raise many types
        raise InputError(f"{path}: corrupt or truncated DOCX ({describe(error)})") from error
    root = document.element
    if root.tag != w("document") or root.find(w("body")) is None:
        # A damaged main part may parse as XML yet hold no w:document/w:body to walk.
        raise InputError(f"{path}: corrupt DOCX (word/document.xml has no document body)")
    try:
        return _DocxWalker(document, builder).walk()
    except InputError:
        raise
    except Exception as error:  # python-docx, zipfile and lxml raise many types
        raise InputError(f"{path}: corrupt or truncated DOCX ({describe(error)})") from error


def _check_archive(path: Path, data: bytes, limits: Limits) -> None:
    """Reject damaged, oversized or DTD-carrying archives before python-docx unpacks them.

    The unpacked size is the sum of the sizes the archive declares; zipfile stops each
    member at its declared size (and fails its CRC), so a member lying about its size
    cannot inflate further than declared.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "word/document.xml" not in names:
                raise InputError(f"{path}: corrupt DOCX (word/document.xml is missing)")
            limits.check_unpacked_size(path, sum(member.file_size for member in members))
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as stream:
                        prolog = stream.read(_PROLOG_BYTES)
                    if any(marker in prolog for marker in DTD_MARKERS):
                        raise InputError(
                            f"{path}: unsafe DOCX ({member.filename} declares a DTD or "
                            "entities, which Word never writes)"
                        )
    except InputError:
        raise
    except Exception as error:  # zipfile raises several types for damaged archives
        raise InputError(
            f"{path}: corrupt or truncated DOCX (not a readable ZIP archive)"
        ) from error


def _read_styles(styles_element: XmlElement) -> tuple[dict[str, _Style], str | None]:
    """Paragraph styles by id, and the id of the default paragraph style."""
    styles: dict[str, _Style] = {}
    default: str | None = None
    for style in styles_element.findall(w("style")):
        style_id = attr(style, "styleId")
        if style_id is None:
            continue
        properties = child(style, "pPr")
        numbering = child(properties, "numPr")
        styles[style_id] = _Style(
            name=(attr(child(style, "name")) or style_id).strip(),
            based_on=attr(child(style, "basedOn")),
            num_id=attr(child(numbering, "numId")),
            ilvl=int_attr(child(numbering, "ilvl")),
            outline_level=int_attr(child(properties, "outlineLvl")),
        )
        if attr(style, "type") == "paragraph" and attr(style, "default") in ("1", "true", "on"):
            default = style_id
    return styles, default


class _DocxWalker:
    """One pass over the body in document order, turning paragraphs and tables into blocks."""

    def __init__(self, document: XmlElement, builder: DocumentBuilder) -> None:
        self._body = document.element.body
        self._builder = builder
        self._styles, self._default_style = _read_styles(document.styles.element)
        numbering_element = None
        with contextlib.suppress(KeyError, NotImplementedError, AttributeError):
            # Without a numbering part nothing is auto-numbered.
            numbering_element = document.part.numbering_part.element
        style_num_ids = {key: s.num_id for key, s in self._styles.items() if s.num_id}
        self._numbering = Numbering(numbering_element, style_num_ids)
        self._warnings: list[str] = []

    def walk(self) -> list[str]:
        """Add every block to the builder; return warnings."""
        for element in iter_blocks(self._body):
            if element.tag == TBL:
                self._add_table(element)
            else:
                self._add_paragraph(element)
        return self._warnings

    def _style_chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        current = style_id if style_id in self._styles else self._default_style
        while current is not None and current not in seen and len(chain) < _MAX_STYLE_CHAIN:
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            chain.append(style)
            current = style.based_on
        return chain

    def _add_paragraph(self, paragraph: XmlElement) -> None:
        properties = child(paragraph, "pPr")
        style_id = attr(child(properties, "pStyle"))
        chain = self._style_chain(style_id)
        numbered = self._numbering_of(properties, style_id, chain)
        label: str | None = None
        if numbered is not None:
            # Advance even for empty paragraphs: Word numbers them too.
            label = self._numbering.advance(numbered.num_id, numbered.ilvl)
        text = paragraph_text(paragraph)
        heading_level = _heading_level(properties, chain)
        if heading_level is not None:
            self._builder.add(BlockKind.HEADING, text, level=heading_level, label=label or "")
        elif label is not None or (chain and _BULLET_STYLE_NAME.match(chain[0].name)):
            level = max(numbered.ilvl if numbered else 0, _list_style_level(chain))
            self._builder.add(BlockKind.LIST_ITEM, text, level=level, label=label or "")
        else:
            self._builder.add(BlockKind.PARAGRAPH, text)

    def _numbering_of(
        self, properties: XmlElement | None, style_id: str | None, chain: list[_Style]
    ) -> _Numbered | None:
        """The list and level of a paragraph: its own ``w:numPr`` first, then its styles'."""
        own = child(properties, "numPr")
        own_num_id = attr(child(own, "numId"))
        own_ilvl = int_attr(child(own, "ilvl"))
        if own_num_id is not None:
            if own_num_id == "0":
                return None  # numbering explicitly removed from this paragraph
            return _Numbered(own_num_id, own_ilvl or 0)
        for style in chain:
            if style.num_id is not None:
                if style.num_id == "0":
                    return None
                ilvl = own_ilvl if own_ilvl is not None else style.ilvl
                if ilvl is None:
                    ilvl = self._numbering.level_for_style(style.num_id, style_id or "")
                return _Numbered(style.num_id, ilvl)
        return None

    def _add_table(self, table: XmlElement) -> None:
        for row in iter_children(table, TR):
            cells: list[str] = []
            for cell in iter_children(row, TC):
                # A horizontally merged cell is one w:tc with a gridSpan: read once.
                parts = []
                for paragraph in iter_paragraphs(cell):
                    self._advance_numbering_only(paragraph)
                    parts.append(paragraph_text(paragraph))
                text = " ".join(" ".join(parts).split())
                if text:
                    cells.append(text)
            self._builder.add(BlockKind.TABLE_ROW, " | ".join(cells))

    def _advance_numbering_only(self, paragraph: XmlElement) -> None:
        """Count numbered paragraphs inside cells so later numbering stays right."""
        properties = child(paragraph, "pPr")
        style_id = attr(child(properties, "pStyle"))
        numbered = self._numbering_of(properties, style_id, self._style_chain(style_id))
        if numbered is not None:
            self._numbering.advance(numbered.num_id, numbered.ilvl)


def _heading_level(properties: XmlElement | None, chain: list[_Style]) -> int | None:
    """Heading level from the style name ("Heading 2" -> 2, "Title" -> 0) or outline level."""
    for style in chain:
        match = _HEADING_NAME.match(style.name)
        if match:
            return int(match.group(1))
        if style.name.lower() == "title":
            return 0
    outline = int_attr(child(properties, "outlineLvl"))
    if outline is None:
        outline = next((s.outline_level for s in chain if s.outline_level is not None), None)
    if outline is not None and 0 <= outline <= 8:
        return outline + 1
    return None


def _list_style_level(chain: list[_Style]) -> int:
    """Nesting implied by styles like "List Number 3", which Word indents at ``ilvl`` 0."""
    for style in chain:
        match = _LIST_STYLE_NAME.match(style.name)
        if match:
            return int(match.group(1)) - 1
    return 0
