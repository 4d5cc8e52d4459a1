"""Reproduce the numbers Word shows in front of numbered paragraphs ("1.", "(a)", "4.2").

Those numbers are not in the paragraph text: Word computes them from ``numbering.xml``
(abstract definitions, per-list overrides) and from counters that run through the
document. A lawyer cites "clause 4(b)", so the reader needs the same numbers Word
displays. This module holds the definitions and the running counters; the DOCX reader
asks it for the label of each numbered paragraph in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gapcheck.ingest.docx_xml import XmlElement, attr, child, int_attr, is_on, w
from gapcheck.ingest.list_markers import format_counter

_PLACEHOLDER = re.compile(r"%([1-9])")
MAX_LEVEL = 8
"""Word supports levels 0..8; out-of-range ``ilvl`` values in damaged files are clamped."""


@dataclass(frozen=True)
class Level:
    """One level of a list definition (``w:lvl``)."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None
    legal: bool = False
    style: str | None = None

    @classmethod
    def from_xml(cls, element: XmlElement) -> Level:
        """Read a ``w:lvl`` element, with Word's defaults for missing parts."""
        start = int_attr(child(element, "start"))
        return cls(
            fmt=attr(child(element, "numFmt")) or "decimal",
            text=attr(child(element, "lvlText")) or "",
            start=start if start is not None else 1,
            restart=int_attr(child(element, "lvlRestart")),
            legal=is_on(child(element, "isLgl")),
            style=attr(child(element, "pStyle")),
        )


@dataclass(frozen=True)
class ListInstance:
    """A ``w:num``: which abstract definition it uses and what it overrides."""

    abstract_id: str
    levels: dict[int, Level]
    start_overrides: dict[int, int] = field(default_factory=dict)


def _levels(element: XmlElement) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in element.findall(w("lvl")):
        ilvl = int_attr(lvl, "ilvl")
        if ilvl is not None and 0 <= ilvl <= MAX_LEVEL:
            levels[ilvl] = Level.from_xml(lvl)
    return levels


class Numbering:
    """The list definitions of one document plus the counters Word keeps while rendering.

    Counters belong to the *abstract* definition: two ``w:num`` entries sharing one
    abstract list continue each other's numbering (as Word does) unless a ``w:num``
    carries a ``startOverride``, which restarts its list the first time it is used.
    """

    def __init__(self, element: XmlElement | None, style_num_ids: dict[str, str]) -> None:
        """Read ``numbering.xml`` (``element`` may be ``None`` when the part is absent).

        ``style_num_ids`` maps numbering-style ids to the ``numId`` they carry, which
        resolves abstract definitions that only link to a style (``w:numStyleLink``).
        """
        self._abstract: dict[str, XmlElement] = {}
        self._num: dict[str, XmlElement] = {}
        if element is not None:
            for abstract in element.findall(w("abstractNum")):
                key = attr(abstract, "abstractNumId")
                if key is not None:
                    self._abstract[key] = abstract
            for num in element.findall(w("num")):
                key = attr(num, "numId")
                if key is not None:
                    self._num[key] = num
        self._style_num_ids = style_num_ids
        self._instances: dict[str, ListInstance | None] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._overrides_applied: set[tuple[str, int]] = set()

    def instance(self, num_id: str) -> ListInstance | None:
        """The list a ``numId`` refers to; ``None`` for ``0`` (numbering removed) or unknown ids."""
        if num_id not in self._instances:
            self._instances[num_id] = self._resolve(num_id)
        return self._instances[num_id]

    def _resolve(self, num_id: str) -> ListInstance | None:
        num = self._num.get(num_id)
        if num is None or num_id == "0":
            return None
        abstract_id = attr(child(num, "abstractNumId"))
        abstract = self._abstract.get(abstract_id or "")
        # An abstract list may only point at a numbering style that holds the real one.
        for _ in range(3):
            if abstract is None:
                break
            link = attr(child(abstract, "numStyleLink"))
            linked_num = self._num.get(self._style_num_ids.get(link or "", ""))
            if link is None or linked_num is None:
                break
            abstract_id = attr(child(linked_num, "abstractNumId"))
            abstract = self._abstract.get(abstract_id or "")
        if abstract is None or abstract_id is None:
            return None
        levels = _levels(abstract)
        starts: dict[int, int] = {}
        for override in num.findall(w("lvlOverride")):
            ilvl = int_attr(override, "ilvl")
            if ilvl is None or not 0 <= ilvl <= MAX_LEVEL:
                continue
            redefined = child(override, "lvl")
            if redefined is not None:
                levels[ilvl] = Level.from_xml(redefined)
            start = int_attr(child(override, "startOverride"))
            if start is not None:
                starts[ilvl] = start
        return ListInstance(abstract_id, levels, starts)

    def level_for_style(self, num_id: str, style_id: str) -> int:
        """The level whose ``w:pStyle`` names ``style_id`` (styles like "List Number 2"), else 0."""
        found = self.instance(num_id)
        if found is not None:
            for ilvl, level in found.levels.items():
                if level.style == style_id:
                    return ilvl
        return 0

    def advance(self, num_id: str, ilvl: int) -> str | None:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and return its label.

        Returns ``None`` when the list does not exist (the paragraph is not numbered),
        ``""`` for bullets and unnumbered levels, else the label such as ``"(b)"``.
        """
        found = self.instance(num_id)
        if found is None:
            return None
        ilvl = min(max(ilvl, 0), MAX_LEVEL)
        counters = self._counters.setdefault(found.abstract_id, {})
        level = found.levels.get(ilvl, Level(fmt="none"))
        if ilvl in found.start_overrides and (num_id, ilvl) not in self._overrides_applied:
            self._overrides_applied.add((num_id, ilvl))
            counters[ilvl] = found.start_overrides[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
        for deeper in [d for d in counters if d > ilvl]:
            restart = found.levels.get(deeper, Level()).restart
            # lvlRestart=0 never restarts; N restarts after level N-1 (1-based) or shallower.
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counters[deeper]
        if level.fmt == "bullet":
            return ""
        return self._render(found, level, counters)

    @staticmethod
    def _render(found: ListInstance, level: Level, counters: dict[int, int]) -> str:
        def substitute(match: re.Match[str]) -> str:
            ilvl = int(match.group(1)) - 1
            source = found.levels.get(ilvl, Level())
            value = counters.get(ilvl, source.start)
            fmt = "decimal" if level.legal and source.fmt != "none" else source.fmt
            return format_counter(value, fmt)

        return _PLACEHOLDER.sub(substitute, level.text).strip()
