"""Rebuild headings, list items and paragraphs from bare lines of text (PDF pages, .txt files).

Neither format marks structure: a PDF gives visual lines, a text file gives whatever
its author typed. What a reader sees as structure is recovered from cues on each line:
a bullet or an item marker starts a list item, a section number starts a clause, and a
short stand-alone line without closing punctuation is a heading. Everything else is
joined back into paragraphs. Typed numbers stay in the text; only bullet glyphs (which
are layout, not words) are removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.ingest.list_nesting import IndentNesting, indentation
from gapcheck.model import BlockKind

MAX_HEADING_WORDS = 12
"""Longer lines are sentences, not headings."""

SHORT_LINE_RATIO = 0.7
"""In wrapped text, a line shorter than this share of the usual width ends its paragraph."""

_BULLET = re.compile(
    "^[\u2022\u25cf\u25cb\u25e6\u25aa\u25ab\u25a0\u25a1\u2023\u2043\u2219\u00b7"
    "\u2013\u2014*+\\-\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8](?:\\s+|$)"
)
_MULTI_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?=\s|$)")
_KEYWORD_NUMBER = re.compile(
    r"^(?i:article|section|clause|chapter|part|schedule|annex|appendix|exhibit|§)"
    r"\s*(\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[A-Z])(?=[\s.:)]|$)\.?"
)
_SINGLE_NUMBER = re.compile(r"^\d{1,3}\.(?=\s)")
_CAPITAL_MARKER = re.compile(r"^(?:[IVXLC]{1,6}|[A-Z])\.(?=\s)")
_ITEM_MARKER = re.compile(
    r"^(?:\(\s*(?:\d{1,3}|[a-zA-Z]{1,2}|[ivxlc]{1,6})\s*\)|(?:\d{1,3}|[a-zA-Z]|[ivxl]{1,6})\)"
    r"|[a-z]\.)(?=\s)"
)
_TERMINAL = re.compile(r"[.,;:!?][\"'\u201d\u2019)\]]*$")
_SENTENCE_END = re.compile(r"[.;:!?][\"'\u201d\u2019)\]]*$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
# A heading does not end on one of these words; a wrapped sentence often does.
_FUNCTION_WORDS = frozenset(
    {
        *("a", "an", "the", "of", "to", "and", "or", "for", "in", "on", "at", "by"),
        *("with", "from", "as", "that", "which", "is", "are", "be", "any", "all"),
        *("our", "your", "its", "their", "this", "these", "such", "other", "if", "but"),
        *("not", "no"),
    }
)


class StartKind(Enum):
    """How a line begins, which decides whether it may open a new block."""

    PLAIN = "plain"
    BULLET = "bullet"
    ITEM = "item"
    """An enumerated list marker kept in the text: ``5.``, ``(b)``, ``ii)``, ``A.``."""
    SECTION = "section"
    """A clause number: ``4.2``, ``Article 5``, ``Section 3``."""


@dataclass(frozen=True)
class LineStart:
    """A classified line: its kind, the text to keep, and what a heading test needs."""

    kind: StartKind
    text: str
    title: str
    depth: int = 1
    may_be_heading: bool = True


def classify(line: str) -> LineStart:
    """Classify a stripped line by how it starts."""
    bullet = _BULLET.match(line)
    if bullet:
        rest = line[bullet.end() :].strip()
        return LineStart(StartKind.BULLET, rest, rest, may_be_heading=False)
    multi = _MULTI_NUMBER.match(line)
    if multi:
        depth = multi.group(1).count(".") + 1
        return LineStart(StartKind.SECTION, line, line[multi.end() :].strip(), depth)
    keyword = _KEYWORD_NUMBER.match(line)
    if keyword:
        depth = keyword.group(1).count(".") + 1
        return LineStart(StartKind.SECTION, line, line[keyword.end() :].strip(" .:-\u2013"), depth)
    for pattern in (_SINGLE_NUMBER, _CAPITAL_MARKER):
        marker = pattern.match(line)
        if marker:
            return LineStart(StartKind.ITEM, line, line[marker.end() :].strip())
    item = _ITEM_MARKER.match(line)
    if item:
        return LineStart(StartKind.ITEM, line, line[item.end() :].strip(), may_be_heading=False)
    return LineStart(StartKind.PLAIN, line, line)


@dataclass(frozen=True)
class Line:
    """One line of source text and the page it is on (``None`` outside PDFs)."""

    text: str
    page: int | None = None


@dataclass
class _OpenBlock:
    kind: BlockKind
    parts: list[str]
    page: int | None
    level: int = 0
    last_line: str = ""


def typical_width(lines: Sequence[Line]) -> int | None:
    """The length of a full line, or ``None`` with too few lines to tell.

    It is the median of the long lines (at least half the 95th-percentile length), so
    that the many short lines of headings and paragraph ends do not pull it down and a
    stray over-long line does not push it up.
    """
    lengths = sorted(len(line.text.strip()) for line in lines if line.text.strip())
    if len(lengths) < 3:
        return None
    reference = lengths[min(len(lengths) - 1, (len(lengths) * 95) // 100)]
    long_lines = [length for length in lengths if length * 2 >= reference]
    return long_lines[len(long_lines) // 2]


def is_all_caps(text: str) -> bool:
    """True when the line has at least two letters and none of them is lower-case."""
    cased = [char for char in text if char.isalpha() and char.lower() != char.upper()]
    return len(cased) >= 2 and all(char.isupper() for char in cased)


class ParagraphRebuilder:
    """Groups lines into blocks and adds them to a builder.

    ``wrapped`` says the source breaks lines for layout (PDF, hard-wrapped text): lines
    are joined, and a short line ending a sentence closes its paragraph. Otherwise every
    line is its own block. ``dehyphenate`` joins words split across lines ("regu-" +
    "lation"), which only typesetting does.
    """

    def __init__(
        self,
        builder: DocumentBuilder,
        *,
        wrapped: bool,
        dehyphenate: bool = False,
    ) -> None:
        self._builder = builder
        self._wrapped = wrapped
        self._dehyphenate = dehyphenate
        self._width: int | None = None
        self._open: _OpenBlock | None = None
        self._nesting = IndentNesting()

    def add_lines(self, lines: Sequence[Line]) -> None:
        """Read all ``lines`` (blank ones included) and add their blocks to the builder."""
        self._width = typical_width(lines) if self._wrapped else None
        for index, line in enumerate(lines):
            text = line.text.strip()
            if not text:
                self._close()
                continue
            following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
            self._add_line(text, indentation(line.text), following, line.page)
        self._close()

    def _add_line(self, text: str, indent: int, following: str, page: int | None) -> None:
        start = classify(text)
        heading = self._is_heading(start, text, following)
        current = self._open
        if current is not None and not self._starts_block(start, heading, current):
            self._continue(current, text)
            return
        self._close()
        if heading:
            self._nesting.reset()
            level = start.depth if start.kind is not StartKind.PLAIN else 1
            self._builder.add(BlockKind.HEADING, text, level=level, page=page)
            return
        if start.kind in (StartKind.BULLET, StartKind.ITEM):
            level = self._nesting.level(indent)
            self._open = _OpenBlock(BlockKind.LIST_ITEM, [start.text], page, level, last_line=text)
            return
        if indent == 0:
            self._nesting.reset()
        self._open = _OpenBlock(BlockKind.PARAGRAPH, [start.text], page, last_line=text)

    def _starts_block(self, start: LineStart, heading: bool, current: _OpenBlock) -> bool:
        """Whether a line opens a new block rather than continuing ``current``."""
        if not self._wrapped:
            return True
        previous = current.last_line
        sentence_ended = bool(_SENTENCE_END.search(previous))
        short = self._width is not None and len(previous) < self._width * SHORT_LINE_RATIO
        if start.kind in (StartKind.BULLET, StartKind.ITEM):
            return True
        if start.kind is StartKind.SECTION:
            return sentence_ended or short
        if sentence_ended and short:
            return True
        # A heading right after a finished sentence, with no blank line between (PDF).
        return sentence_ended and heading

    def _continue(self, current: _OpenBlock, text: str) -> None:
        last = current.parts[-1]
        if self._dehyphenate and _HYPHENATED.search(last) and text[:1].islower():
            current.parts[-1] = last[:-1] + text
        else:
            current.parts.append(text)
        current.last_line = text

    def _close(self) -> None:
        current = self._open
        if current is None:
            return
        self._open = None
        self._builder.add(
            current.kind, " ".join(current.parts), level=current.level, page=current.page
        )

    def _is_heading(self, start: LineStart, text: str, following: str) -> bool:
        """A short, capitalised line without closing punctuation that stands on its own."""
        if not start.may_be_heading or _TERMINAL.search(text):
            return False
        words = text.split()
        if len(words) > MAX_HEADING_WORDS or len(text) > 120:
            return False
        if words[-1].lower().strip("\"'()") in _FUNCTION_WORDS or text.endswith("-"):
            return False
        initial = start.title.lstrip("\"'\u201c\u2018([")[:1]
        if initial and not (initial.isupper() or initial.isdigit()):
            return False
        if self._width is not None and len(text) > self._width * 0.8:
            return False  # a full-width line is the first line of a paragraph
        if following[:1].islower():
            return False  # the sentence goes on on the next line
        if start.kind is StartKind.PLAIN and is_all_caps(text) and is_all_caps(following):
            # An all-caps disclaimer wraps onto more all-caps lines; a heading does not.
            return classify(following).kind is not StartKind.PLAIN
        # A short line followed by nothing, a new block or a capitalised line: the author
        # ended the line on purpose.
        return True
