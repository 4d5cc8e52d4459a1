"""Assemble a :class:`~gapcheck.model.Document` from blocks so every reader lays text out alike.

Readers only decide *what* the blocks are; this module alone decides how they become
``Document.text`` and computes offsets, so the invariant ``text[b.start:b.end] == b.text``
holds by construction for every format instead of being re-implemented five times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from gapcheck.model import Block, BlockKind, Document

BLOCK_SEPARATOR = "\n\n"
"""Between two rendered blocks: a blank line, so the text reads like the source."""

_WHITESPACE = re.compile(r"\s+")
# Characters that render as nothing: soft hyphen, zero-width space/joiners, BOM, word joiner.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# C0/C1 control characters other than whitespace; PDFs and old files leak them.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def clean_text(text: str) -> str:
    """Return ``text`` as one line: invisible characters removed, whitespace runs collapsed.

    Control characters become spaces (they usually sat between words); invisible
    characters are dropped (they sit inside words, e.g. a soft hyphen).
    """
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()


class DocumentBuilder:
    """Collects blocks in document order and renders them into one text with offsets.

    Each block is rendered as ``label + " " + text`` (just ``text`` without a label) and
    blocks are separated by :data:`BLOCK_SEPARATOR`. Text is cleaned on the way in, so
    readers may pass raw fragments; a block whose text is empty after cleaning is skipped.

    ``count_check`` is called with the number of non-heading blocks after each one is
    added; it may raise to stop a huge document early (every such block is at least one
    clause, so this is how ``--max-clauses`` stops a reader before it runs out of memory).
    """

    def __init__(self, count_check: Callable[[int], None] | None = None) -> None:
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._length = 0
        self._content_blocks = 0
        self._count_check = count_check

    def add(
        self,
        kind: BlockKind,
        text: str,
        *,
        level: int = 0,
        label: str = "",
        page: int | None = None,
    ) -> Block | None:
        """Append a block; return it, or ``None`` when its text is empty after cleaning."""
        text = clean_text(text)
        if not text:
            return None
        label = clean_text(label)
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        prefix = f"{label} " if label else ""
        start = self._length + len(prefix)
        block = Block(
            kind=kind,
            text=text,
            start=start,
            end=start + len(text),
            level=max(level, 0),
            label=label,
            page=page,
        )
        self._parts.append(prefix + text)
        self._length = block.end
        self._blocks.append(block)
        if kind is not BlockKind.HEADING:
            self._content_blocks += 1
            if self._count_check is not None:
                self._count_check(self._content_blocks)
        return block

    def build(self, path: Path, format: str, sha256: str, warnings: Iterable[str]) -> Document:
        """Return the finished document; the builder can keep adding blocks afterwards."""
        return Document(
            path=path,
            format=format,
            text="".join(self._parts),
            blocks=tuple(self._blocks),
            sha256=sha256,
            warnings=tuple(warnings),
        )
