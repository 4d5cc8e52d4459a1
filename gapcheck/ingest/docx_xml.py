"""WordprocessingML names and the few tree walks the DOCX reader needs.

python-docx exposes the body only as paragraphs *or* tables, which loses their order
and ignores content controls; walking the XML ourselves keeps document order. The
elements are python-docx's lxml elements (untyped, hence ``Any``); nothing here parses
XML, so python-docx's safe parser settings (no entity resolution, no network) apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

XmlElement = Any
"""An lxml element from python-docx; lxml ships no type information."""


def w(name: str) -> str:
    """Clark-notation tag or attribute name in the WordprocessingML namespace."""
    return f"{{{W_NS}}}{name}"


P, TBL, TR, TC, R, T = w("p"), w("tbl"), w("tr"), w("tc"), w("r"), w("t")
VAL = w("val")

# Elements that only wrap block content (content controls, custom XML, tracked moves).
_WRAPPERS = frozenset(
    {w("sdt"), w("sdtContent"), w("customXml"), w("ins"), w("moveTo"), w("smartTag")}
)
# Subtrees whose text is not part of the paragraph as read: properties, deletions,
# text boxes (shown elsewhere on the page) and the fallback copy of drawings.
_SKIP_IN_PARAGRAPH = frozenset(
    {
        w("pPr"),
        w("rPr"),
        w("sdtPr"),
        w("sdtEndPr"),
        w("del"),
        w("moveFrom"),
        w("txbxContent"),
        w("pict"),
        w("object"),
        w("drawing"),
        f"{{{MC_NS}}}Fallback",
        f"{{{MC_NS}}}AlternateContent",
    }
)
_SPACE_TAGS = frozenset({w("tab"), w("br"), w("cr"), w("ptab")})
_FALSE_VALUES = frozenset({"0", "false", "off"})


def child(element: XmlElement, *names: str) -> XmlElement | None:
    """Follow a path of WordprocessingML child names; ``None`` when a step is missing."""
    for name in names:
        if element is None:
            return None
        element = element.find(w(name))
    return element


def attr(element: XmlElement | None, name: str = "val") -> str | None:
    """The ``w:``-namespaced attribute of ``element`` (``w:val`` by default), if any."""
    if element is None:
        return None
    value = element.get(w(name))
    return value if isinstance(value, str) else None


def int_attr(element: XmlElement | None, name: str = "val") -> int | None:
    """An integer attribute; ``None`` when absent or not a number (damaged files exist)."""
    value = attr(element, name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def is_on(element: XmlElement | None) -> bool:
    """True for an OOXML on/off property that is present and not switched off."""
    if element is None:
        return False
    value = attr(element)
    return value is None or value.lower() not in _FALSE_VALUES


def iter_blocks(container: XmlElement) -> Iterator[XmlElement]:
    """Yield the ``w:p`` and ``w:tbl`` children of a body or cell in document order.

    Content controls and other wrappers are looked through, not yielded.
    """
    stack = list(reversed(container))
    while stack:
        element = stack.pop()
        if element.tag in (P, TBL):
            yield element
        elif element.tag in _WRAPPERS:
            stack.extend(reversed(element))


def iter_children(container: XmlElement, tag: str) -> Iterator[XmlElement]:
    """Yield children named ``tag`` (rows of a table, cells of a row), through wrappers."""
    stack = list(reversed(container))
    while stack:
        element = stack.pop()
        if element.tag == tag:
            yield element
        elif element.tag in _WRAPPERS:
            stack.extend(reversed(element))


def iter_paragraphs(container: XmlElement) -> Iterator[XmlElement]:
    """Yield every paragraph inside ``container``, nested tables included, in order."""
    stack = list(reversed(container))
    while stack:
        element = stack.pop()
        if element.tag == P:
            yield element
        elif element.tag in (TBL, TR, TC) or element.tag in _WRAPPERS:
            stack.extend(reversed(element))


def paragraph_text(paragraph: XmlElement) -> str:
    """The visible text of a paragraph: its runs, hyperlinks and fields, as Word shows it.

    Deleted revisions, hidden runs, text boxes and drawings are left out; tabs and
    line breaks become spaces.
    """
    parts: list[str] = []
    stack = list(reversed(paragraph))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
            continue
        if tag == T:
            parts.append(element.text or "")
        elif tag in _SPACE_TAGS:
            parts.append(" ")
        elif tag == w("noBreakHyphen"):
            parts.append("-")
        elif tag == R and _is_hidden(element):
            continue
        else:
            stack.extend(reversed(element))
    return "".join(parts)


def _is_hidden(run: XmlElement) -> bool:
    properties = run.find(w("rPr"))
    if properties is None:
        return False
    return is_on(properties.find(w("vanish"))) or is_on(properties.find(w("webHidden")))
