"""Read Markdown and plain text into blocks.

Markdown says what is a heading, a list item or a table row, so its block syntax is
followed (a pragmatic subset of CommonMark/GFM) and inline markup is stripped by
:mod:`markdown_inline`. Plain text says nothing, so its lines go through the same
cue-based rebuilding as PDF text (:mod:`paragraphs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.ingest.list_nesting import IndentNesting, indentation
from gapcheck.ingest.markdown_inline import strip_inline
from gapcheck.ingest.paragraphs import Line, ParagraphRebuilder
from gapcheck.model import BlockKind

UNWRAPPED_LINE_LENGTH = 100
"""If most lines of a text file are longer than this, each line is a whole paragraph."""

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^\s{0,3}>[ \t]?")
_BULLET_ITEM = re.compile(r"^(\s*)([-*+])(?:[ \t]+(.*))?$")
_ORDERED_ITEM = re.compile(r"^(\s*)(\d{1,9})([.)])(?:[ \t]+(.*))?$")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_ESCAPED_PIPE = "\ue07c"


def read_plain_text(text: str, builder: DocumentBuilder) -> list[str]:
    """Add the blocks of plain ``text`` to ``builder``; return warnings."""
    lines = text.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    unwrapped = bool(lengths) and lengths[len(lengths) // 2] > UNWRAPPED_LINE_LENGTH
    ParagraphRebuilder(builder, wrapped=not unwrapped).add_lines([Line(line) for line in lines])
    return []


def read_markdown(text: str, builder: DocumentBuilder) -> list[str]:
    """Add the blocks of Markdown ``text`` to ``builder``; return warnings."""
    reader = _MarkdownReader(builder)
    reader.read(text.split("\n"))
    return reader.warnings


@dataclass
class _Open:
    """A block still collecting lines."""

    kind: BlockKind
    parts: list[str]
    level: int = 0
    label: str = ""


def _fenced_lines(lines: list[str]) -> tuple[set[int], list[str]]:
    """Indices of fenced code lines (fences included), and warnings for unclosed fences.

    An unclosed fence would hide the rest of the file, so only its marker line is dropped.
    """
    dropped: set[int] = set()
    warnings: list[str] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening.group(1)
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((j for j in range(index + 1, len(lines)) if closing.match(lines[j])), None)
        if end is None:
            warnings.append(f"line {index + 1}: unclosed code fence ignored")
            dropped.add(index)
            index += 1
            continue
        dropped.update(range(index, end + 1))
        index = end + 1
    return dropped, warnings


def _table_cells(line: str) -> list[str]:
    row = line.strip().replace("\\|", _ESCAPED_PIPE)
    row = row.removeprefix("|").removesuffix("|")
    cells = (strip_inline(cell.replace(_ESCAPED_PIPE, "\\|")) for cell in row.split("|"))
    return [" ".join(cell.split()) for cell in cells if cell.strip()]


class _MarkdownReader:
    """Line-by-line Markdown block parser feeding a :class:`DocumentBuilder`."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self._builder = builder
        self._open: _Open | None = None
        self._nesting = IndentNesting()
        self._in_table = False
        self._in_comment = False
        self.warnings: list[str] = []

    def read(self, lines: list[str]) -> None:
        """Parse all ``lines`` and add their blocks."""
        dropped, self.warnings = _fenced_lines(lines)
        last_comment_end = max((i for i, line in enumerate(lines) if "-->" in line), default=-1)
        for index, raw in enumerate(lines):
            if index in dropped:
                self._close()
                continue
            line = self._outside_comment(raw, closes_later=index < last_comment_end)
            while _QUOTE.match(line):
                line = _QUOTE.sub("", line, count=1)
            following = lines[index + 1] if index + 1 < len(lines) else ""
            self._line(line, following)
        self._close()

    def _outside_comment(self, line: str, *, closes_later: bool) -> str:
        """Drop the parts of ``line`` inside a multi-line ``<!-- -->`` comment.

        A comment that is never closed is left alone rather than hiding the rest.
        """
        if self._in_comment:
            if "-->" not in line:
                return ""
            self._in_comment = False
            line = line.split("-->", 1)[1]
        opened = line.rfind("<!--")
        if opened != -1 and "-->" not in line[opened:] and closes_later:
            self._in_comment = True
            line = line[:opened]
        return line

    def _line(self, line: str, following: str) -> None:
        if not line.strip():
            self._close()
            self._in_table = False
            return
        if self._table_row(line, following):
            return
        heading = _ATX.match(line)
        if heading:
            self._close()
            self._nesting.reset()
            self._builder.add(
                BlockKind.HEADING, strip_inline(heading.group(2) or ""), level=len(heading.group(1))
            )
            return
        underline = _SETEXT.match(line)
        current = self._open
        if underline and current is not None and current.kind is BlockKind.PARAGRAPH:
            current.kind = BlockKind.HEADING
            current.level = 1 if underline.group(1).startswith("=") else 2
            self._close()
            self._nesting.reset()
            return
        if _RULE.match(line) or _REFERENCE_DEFINITION.match(line):
            self._close()
            return
        if self._list_item(line):
            return
        text = line.strip()
        if text.endswith("\\") and not text.endswith("\\\\"):
            text = text[:-1]  # a hard line break
        if current is not None:
            current.parts.append(text)
            return
        if indentation(line) < 2:
            self._nesting.reset()
        self._open = _Open(BlockKind.PARAGRAPH, [text])

    def _table_row(self, line: str, following: str) -> bool:
        stripped = line.strip()
        starts_table = (
            "|" in stripped and "|" in following and bool(_TABLE_SEPARATOR.match(following))
        )
        if not (stripped.startswith("|") or starts_table or (self._in_table and "|" in stripped)):
            self._in_table = False
            return False
        if _TABLE_SEPARATOR.match(stripped) and "-" in stripped:
            return True
        self._close()
        self._in_table = True
        self._builder.add(BlockKind.TABLE_ROW, " | ".join(_table_cells(line)))
        return True

    def _list_item(self, line: str) -> bool:
        bullet = _BULLET_ITEM.match(line)
        ordered = None if bullet else _ORDERED_ITEM.match(line)
        current = self._open
        interrupts = ordered and current is not None and current.kind is BlockKind.PARAGRAPH
        if ordered and interrupts and int(ordered.group(2)) != 1:
            return False  # as in CommonMark, only "1." may interrupt a paragraph
        match = bullet or ordered
        if match is None:
            return False
        self._close()
        level = self._nesting.level(indentation(match.group(1)))
        if bullet:
            self._open = _Open(BlockKind.LIST_ITEM, [bullet.group(3) or ""], level)
        else:
            assert ordered is not None
            label = ordered.group(2) + ordered.group(3)
            self._open = _Open(BlockKind.LIST_ITEM, [ordered.group(4) or ""], level, label)
        return True

    def _close(self) -> None:
        current, self._open = self._open, None
        if current is None:
            return
        self._builder.add(
            current.kind,
            strip_inline(" ".join(current.parts)),
            level=current.level,
            label=current.label,
        )
