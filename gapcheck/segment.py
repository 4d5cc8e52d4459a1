"""Splitting a document's blocks into clauses at the level a lawyer cites.

A clause is a numbered section or list item, a paragraph, or a sentence of a very long
paragraph. Each keeps the section number as written ("4.2", "5.2(c)", "Article 5"), the
heading path above it and its exact offsets, so the report can quote it verbatim and say
where it is. Headings give context but are never clauses themselves: a heading that says
"Prohibited uses" does not prohibit anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gapcheck.document_kind import document_kind, title_kind
from gapcheck.model import Block, BlockKind, Clause, Document, DocumentKind

MAX_CLAUSE_WORDS = 90
"""Paragraphs longer than this are split into sentences: a 300-word paragraph mixes
several duties, and one embedding of it matches none of them well."""

MIN_SENTENCE_WORDS = 6
"""Shorter sentence fragments are merged into a neighbour; alone they carry no duty."""

_SECTION_NUMBER = re.compile(
    r"""^(?P<number>
        (?:(?:section|article|clause|part|schedule|§)\s*)?   # optional keyword
        (?:\d+(?:\.\d+)*|[IVXLC]+(?=[.\s)]))                 # 4, 4.2, 4.2.1, IV
    )[.)]?(?=\s|$)""",
    re.IGNORECASE | re.VERBOSE,
)
_SUB_LABEL = re.compile(
    r"^(?P<label>\((?:[a-z]{1,2}|[ivxlc]{1,5}|\d{1,2})\)|(?:[a-z]|[ivx]{1,4})[.)])\s"
)
_CLOSING_QUOTES = "\"'\u201d\u2019)"
_OPENING_QUOTES = "\"'\u201c\u2018("
# The closing quote is captured so it stays with its sentence (``end("close")``); only the
# whitespace after it separates two sentences.
_SENTENCE_END = re.compile(
    rf"(?<=[.!?;])(?P<close>[{re.escape(_CLOSING_QUOTES)}]?)\s+"
    rf"(?=[{re.escape(_OPENING_QUOTES)}]?[A-Z0-9])"
)
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|inc|ltd|llc|co|corp|no|nos|sec|art|para|cf|vs|v|u\.s|u\.k|"
    r"mr|mrs|ms|dr|st|approx|incl)\.$",
    re.IGNORECASE,
)


@dataclass
class _Context:
    """What the walker knows at a given point: headings above, current section, lead-ins."""

    headings: list[tuple[int, str]]
    section: str = ""
    lead_in: str = ""
    item_lead_ins: dict[int, str] | None = None
    table_header: str = ""

    def item_lead_in(self, level: int) -> str:
        """The lead-in of an item at ``level``: the paragraph's, then each parent item's."""
        parents = self.item_lead_ins or {}
        parts = [self.lead_in, *(parents[lvl] for lvl in sorted(parents) if lvl < level)]
        return " ".join(part for part in parts if part)

    def after_item(self, level: int, text: str) -> None:
        """Forget deeper items' lead-ins; remember this item if it introduces a sub-list."""
        parents = {lvl: t for lvl, t in (self.item_lead_ins or {}).items() if lvl < level}
        if text.rstrip().endswith(":"):
            parents[level] = text
        self.item_lead_ins = parents


def section_number(text: str) -> str:
    """The section number a clause or heading starts with, as written ("" if none)."""
    match = _SECTION_NUMBER.match(text)
    if match and any(ch.isdigit() for ch in match.group("number")):
        return match.group("number").strip()
    if match and len(match.group("number")) > 1:  # a lone "I" is more often a word
        return match.group("number").strip()
    return ""


def sub_label(text: str) -> str:
    """A list-item marker typed at the start of a clause, e.g. "(c)" or "ii." ("" if none)."""
    match = _SUB_LABEL.match(text)
    return match.group("label") if match else ""


def _compose(parent: str, label: str) -> str:
    """Cite a list item under its section: "5.2" + "(c)" -> "5.2(c)"."""
    core = label.strip().strip(".)").strip("(")
    if not core:
        return parent
    if not parent:
        return label.strip().rstrip(".")
    return f"{parent}({core})"


def split_clauses(document: Document, kind: DocumentKind | None = None) -> list[Clause]:
    """Turn a document's blocks into clauses, in document order.

    ``kind`` is the user's word on what the document is (``--notice``/``--terms``); it
    then holds for every clause. Without it the kind is read from the titles.
    """
    context = _Context(headings=[])
    forced = kind
    kind = kind or document_kind(document)
    clauses: list[Clause] = []
    for block in document.blocks:
        if block.kind is BlockKind.HEADING:
            _enter_heading(context, block)
            continue
        clauses.extend(_clauses_for_block(document, block, context, kind, forced is not None))
    return clauses


def _enter_heading(context: _Context, block: Block) -> None:
    title = f"{block.label} {block.text}" if block.label else block.text
    level = max(block.level, 1)
    context.headings = [(lvl, text) for lvl, text in context.headings if lvl < level]
    context.headings.append((level, title))
    context.section = block.label.rstrip(".") if block.label else section_number(block.text)
    context.lead_in = ""
    context.item_lead_ins = None
    context.table_header = ""


def _clauses_for_block(
    document: Document, block: Block, context: _Context, kind: DocumentKind, forced: bool
) -> Iterator[Clause]:
    heading_path = tuple(text for _, text in context.headings)
    typed_number = section_number(block.text)
    typed_label = sub_label(block.text)
    is_item = block.kind is BlockKind.LIST_ITEM or bool(typed_label and context.lead_in)

    if block.kind is BlockKind.TABLE_ROW:
        lead_in = context.table_header
        if not context.table_header:
            context.table_header = block.text
        section = context.section
    else:
        context.table_header = ""
        if typed_number:
            context.section = typed_number
            section = typed_number
        elif block.label or typed_label:
            section = _compose(context.section, block.label or typed_label)
        else:
            section = context.section
        if is_item:
            lead_in = context.item_lead_in(block.level)
            context.after_item(block.level, block.text)
        else:
            lead_in = ""
            context.item_lead_ins = None
            context.lead_in = _introducing_sentence(block.text)

    for start, end in _sentence_spans(block):
        yield Clause(
            document=document.name,
            section=section,
            heading_path=heading_path,
            text=document.text[start:end],
            start=start,
            end=end,
            page=block.page,
            lead_in=lead_in,
            kind=kind if forced else _section_kind(heading_path, kind),
        )


def _section_kind(heading_path: tuple[str, ...], document: DocumentKind) -> DocumentKind:
    """The kind of the top-level section a clause is in (see :mod:`gapcheck.document_kind`).

    Only an unnumbered top-level heading can start another document inside a file: "9.
    Privacy Policy" is a section of the terms (it binds like the rest of them), while a
    bare "Privacy Policy" heading followed later by "Terms of Service" marks two documents
    pasted into one file.
    """
    if not heading_path or section_number(heading_path[0]):
        return document
    return title_kind(heading_path[0]) or document


def _introducing_sentence(text: str) -> str:
    """The sentence of a paragraph that introduces a list ("In particular, you may not:").

    Only that sentence is kept as the lead-in: the rest of the paragraph is about
    something else and would blur what each list item means.
    """
    if not text.rstrip().endswith(":"):
        return ""
    starts = [match.end() for match in _SENTENCE_END.finditer(text)]
    return text[starts[-1] :] if starts else text


def _sentence_spans(block: Block) -> Iterable[tuple[int, int]]:
    """Offsets of the block, or of its sentences when it is very long."""
    if len(block.text.split()) <= MAX_CLAUSE_WORDS:
        return [(block.start, block.end)]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(block.text):
        if _ABBREVIATIONS.search(block.text[cursor : match.start()]):
            continue
        candidate = block.text[cursor : match.end("close")].rstrip()
        spans.append((cursor, cursor + len(candidate)))
        cursor = match.end()
    spans.append((cursor, len(block.text)))
    merged = _merge_short(spans, block.text)
    return [(block.start + s, block.start + e) for s, e in merged if e > s]


def _merge_short(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join fragments shorter than MIN_SENTENCE_WORDS to the following sentence."""
    merged: list[tuple[int, int]] = []
    pending_start: int | None = None
    for start, end in spans:
        begin = start if pending_start is None else pending_start
        if len(text[begin:end].split()) < MIN_SENTENCE_WORDS:
            pending_start = begin
            continue
        merged.append((begin, end))
        pending_start = None
    if pending_start is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending_start, spans[-1][1]))
    return merged
