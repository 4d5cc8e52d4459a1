"""Remove what a PDF repeats on every page (running headers, footers, page numbers).

Such lines would otherwise be glued into the middle of clauses that cross a page break
and be quoted back to the user as evidence. They are recognised by repetition: a line
that, with its digits ignored, sits at the top or bottom of most pages is furniture,
not content.
"""

from __future__ import annotations

import math
import re
from collections import Counter

EDGE_LINES = 3
"""How many lines at the top and at the bottom of a page may hold headers or footers."""

MIN_PAGES = 3
"""Repetition says nothing on fewer pages than this."""

REPEAT_SHARE = 0.6
"""A line must be at the edge of at least this share of pages to count as running."""

_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*)?[-\u2013\u2014]?\s*\d{1,4}\s*[-\u2013\u2014]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
# Lines that start like a clause are never furniture, even when each page starts with one.
_CLAUSE_START = re.compile(
    r"^(?:article|section|clause|chapter|part|schedule|annex|§)\s*#|^#(?:\.#)*\.?\s",
    re.IGNORECASE,
)


def line_key(line: str) -> str:
    """What identifies a running line across pages: digits masked, spacing and case folded."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def is_page_number(line: str) -> bool:
    """True for a lone page number: ``3``, ``- 3 -``, ``Page 3 of 10``, ``3 / 10``."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if len(filled) <= 2 * EDGE_LINES:
        return filled
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def strip_page_furniture(pages: list[list[str]]) -> tuple[list[list[str]], int]:
    """Return the pages' lines without running headers, footers and page numbers.

    Only lines at the edges of a page are candidates, so a body sentence that happens
    to repeat a header's words stays. Also returns how many lines were removed.
    """
    running: set[str] = set()
    if len(pages) >= MIN_PAGES:
        counts: Counter[str] = Counter()
        for lines in pages:
            counts.update({line_key(lines[index]) for index in _edge_indices(lines)})
        needed = math.ceil(len(pages) * REPEAT_SHARE)
        running = {
            key
            for key, count in counts.items()
            if count >= needed and key and not _CLAUSE_START.match(key)
        }
    removed = 0
    cleaned: list[list[str]] = []
    for lines in pages:
        drop = {
            index
            for index in _edge_indices(lines)
            if line_key(lines[index]) in running or is_page_number(lines[index])
        }
        removed += len(drop)
        cleaned.append([line for index, line in enumerate(lines) if index not in drop])
    return cleaned, removed
