"""Read an HTML page into blocks, keeping the terms and dropping the site around them.

Terms of service are often saved straight from a browser, so navigation, cookie
banners, scripts and footers come along; those elements are skipped. The parser is the
standard library's event-based one: it never recurses, so deeply nested markup cannot
exhaust the stack, and open-element bookkeeping is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.ingest.list_markers import letters, roman
from gapcheck.model import BlockKind

SKIPPED_TAGS = frozenset(
    {"script", "style", "nav", "footer", "noscript", "template", "svg", "head", "iframe", "header"}
)
"""Elements whose whole content is site furniture or not text."""

MAX_TRACKED_DEPTH = 64
"""Lists or tables nested deeper than this are flattened into the deepest tracked one."""

_LANDMARK_TAGS = frozenset({"article", "main"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "form",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        *_HEADINGS,
    }
)
# Elements that may carry ``hidden`` and always have an end tag in practice.
_HIDEABLE_TAGS = frozenset(
    {"div", "span", "section", "aside", "form", "ul", "ol", "table", "dialog"}
)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def read_html(text: str, builder: DocumentBuilder) -> list[str]:
    """Add the blocks of the HTML ``text`` to ``builder``; return warnings."""
    parser = _BlockParser(builder)
    parser.feed(text)
    parser.close()
    parser.finish()
    return parser.warnings


@dataclass
class _List:
    """An open ``<ol>``/``<ul>`` and the number its next item gets."""

    ordered: bool
    style: str = "1"
    next_value: int = 1
    step: int = 1


@dataclass
class _Table:
    """An open ``<table>`` and its row so far; ``layout`` once it only arranges the page."""

    layout: bool = False
    cells: list[str] = field(default_factory=list)
    in_cell: bool = False


@dataclass(frozen=True)
class _Item:
    """An ``<li>`` whose text has not been emitted yet: its label and nesting level."""

    label: str
    level: int


def _ol_label(value: int, style: str) -> str:
    if style == "a":
        text = letters(value, "css")
    elif style == "A":
        text = letters(value, "css").upper()
    elif style == "i":
        text = roman(value)
    elif style == "I":
        text = roman(value).upper()
    else:
        text = str(value)
    return f"{text}."


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


class _BlockParser(HTMLParser):
    """Turns parser events into blocks; text is buffered until a block boundary.

    State is a handful of counters and two bounded stacks (lists, tables), so input
    with any nesting depth is handled in constant stack space.
    """

    def __init__(self, builder: DocumentBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self._builder = builder
        self.warnings: list[str] = []
        self._buffer: list[str] = []
        self._skipping: dict[str, int] = {}
        self._landmarks = 0
        self._heading: int | None = None
        self._item: _Item | None = None
        self._lists: list[_List] = []
        self._lists_overflow = 0
        self._tables: list[_Table] = []
        self._tables_overflow = 0

    # -- events ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: start skipping, end the current block, or track list/table state."""
        if tag == "body":
            self._skipping.pop("head", None)  # an unclosed <head> ends here
        if self._skipping:
            if tag in _VOID_TAGS:
                return
            if tag in self._skipping:
                self._skipping[tag] += 1
            elif self._is_skipped(tag, attrs):
                self._skipping[tag] = 1
            return
        if self._is_skipped(tag, attrs):
            if tag not in _VOID_TAGS:
                self._skipping[tag] = 1
            return
        if tag in _LANDMARK_TAGS:
            self._landmarks += 1
        if tag == "br":
            self._buffer.append(" ")
            return
        table = self._data_cell_table()
        if table is not None:
            if tag in _HEADINGS or tag == "table":
                self._make_layout_tables()
            elif tag in ("td", "th", "tr"):
                self._table_event(table, tag, opening=True)
                return
            else:
                if tag in _BLOCK_TAGS:
                    self._buffer.append(" ")
                return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _HEADINGS:
            self._heading = _HEADINGS[tag]
        elif tag in ("ol", "ul"):
            self._open_list(tag, dict(attrs))
        elif tag == "li":
            self._open_item(dict(attrs))
        elif tag == "table":
            self._open_table()
        elif tag in ("tr", "td", "th") and self._tables:
            self._table_event(self._tables[-1], tag, opening=True)

    def handle_endtag(self, tag: str) -> None:
        """Close an element: stop skipping, end the current block, or pop list/table state."""
        if self._skipping:
            if tag in self._skipping:
                self._skipping[tag] -= 1
                if not self._skipping[tag]:
                    del self._skipping[tag]
            return
        if tag in _LANDMARK_TAGS and self._landmarks:
            self._landmarks -= 1
        table = self._data_cell_table()
        if table is not None:
            if tag in ("td", "th", "tr", "table"):
                self._table_event(table, tag, opening=False)
            elif tag in _BLOCK_TAGS:
                self._buffer.append(" ")
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _HEADINGS:
            self._heading = None
        elif tag in ("ol", "ul"):
            self._close_list()
        elif tag == "li":
            self._item = None
        elif tag in ("tr", "table") and self._tables:
            self._table_event(self._tables[-1], tag, opening=False)

    def handle_data(self, data: str) -> None:
        """Buffer text unless inside a skipped element."""
        if not self._skipping:
            self._buffer.append(data)

    def finish(self) -> None:
        """Emit whatever is still open at the end of the input (unclosed tags are common)."""
        self._skipping.clear()
        self._tables_overflow = 0
        while self._tables:
            self._table_event(self._tables[-1], "table", opening=False)
        self._flush()

    # -- skipping -------------------------------------------------------------------

    def _is_skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag == "header":
            return self._landmarks == 0  # a site banner; inside <article> it holds the title
        if tag in SKIPPED_TAGS:
            return True
        if tag not in _HIDEABLE_TAGS:
            return False  # elements with optional end tags could swallow the rest
        values = dict(attrs)
        return (
            "hidden" in values
            or values.get("aria-hidden") == "true"
            or values.get("role") == "navigation"
        )

    # -- blocks ---------------------------------------------------------------------

    def _flush(self) -> None:
        """Turn buffered text into one block of the kind the open elements call for."""
        text = "".join(self._buffer)
        self._buffer.clear()
        if not text.strip():
            return
        item, self._item = self._item, None
        if self._heading is not None:
            label = item.label if item else ""
            self._builder.add(BlockKind.HEADING, text, level=self._heading, label=label)
        elif item is not None:
            self._builder.add(BlockKind.LIST_ITEM, text, level=item.level, label=item.label)
        else:
            self._builder.add(BlockKind.PARAGRAPH, text)

    def _open_list(self, tag: str, attrs: dict[str, str | None]) -> None:
        if len(self._lists) >= MAX_TRACKED_DEPTH:
            self._lists_overflow += 1
            return
        style = (attrs.get("type") or "1").strip()
        start = _int(attrs.get("start"))
        self._lists.append(
            _List(
                ordered=tag == "ol",
                style=style if style in ("1", "a", "A", "i", "I") else "1",
                next_value=start if start is not None else 1,
                step=-1 if "reversed" in attrs else 1,
            )
        )

    def _close_list(self) -> None:
        if self._lists_overflow:
            self._lists_overflow -= 1
        elif self._lists:
            self._lists.pop()

    def _open_item(self, attrs: dict[str, str | None]) -> None:
        current = self._lists[-1] if self._lists else None
        level = max(len(self._lists) - 1, 0)
        if current is None or not current.ordered:
            self._item = _Item("", level)
            return
        value = _int(attrs.get("value"))
        if value is not None:
            current.next_value = value
        self._item = _Item(_ol_label(current.next_value, current.style), level)
        current.next_value += current.step

    # -- tables ---------------------------------------------------------------------

    def _data_cell_table(self) -> _Table | None:
        """The innermost table when its current cell is collecting text, else ``None``."""
        if self._tables and not self._tables[-1].layout and self._tables[-1].in_cell:
            return self._tables[-1]
        return None

    def _open_table(self) -> None:
        if len(self._tables) >= MAX_TRACKED_DEPTH:
            self._tables_overflow += 1
            return
        self._tables.append(_Table())

    def _make_layout_tables(self) -> None:
        """A heading or a table inside a cell means the table only arranges the page."""
        for table in self._tables:
            if not table.layout:
                self._end_row(table)
                table.layout = True

    def _table_event(self, table: _Table, tag: str, *, opening: bool) -> None:
        if tag == "table" and not opening:
            if self._tables_overflow:
                self._tables_overflow -= 1
                return
            if not table.layout:
                self._end_row(table)
            self._tables.pop()
            return
        if table.layout:
            return
        if tag in ("td", "th"):
            self._end_cell(table)
            table.in_cell = opening
        elif tag == "tr":
            self._end_row(table)

    def _end_cell(self, table: _Table) -> None:
        if not table.in_cell:
            return
        text = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if text:
            table.cells.append(text)
        table.in_cell = False

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.cells:
            self._builder.add(BlockKind.TABLE_ROW, " | ".join(table.cells))
        table.cells = []
