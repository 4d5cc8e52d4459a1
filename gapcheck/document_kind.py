"""Which kind of document a policy file is: terms that bind users, or a privacy notice.

An operator's policy set usually mixes both. The difference matters to a lawyer. A
privacy notice describes the operator's own practice ("we do not sell your data"). It
is the right place to tell users something, such as who processes their data. But it
binds nobody to a rule: "we do not use facial recognition" does not forbid users to do
so. So a notice clause is weak evidence for a user prohibition or duty. When it is
quoted first for one, the lawyer is sent to amend the wrong document.

The kind is read the way a person reads it: from the document's title (its first
heading, or a short first line) and, failing that, from the file name. A title or name
that says both (a combined "Terms and Privacy Policy") is read as terms, since it binds.
"""

from __future__ import annotations

import re

from gapcheck.model import BlockKind, Document, DocumentKind

_NOTICE = re.compile(
    r"\bprivacy(?:\s+(?:policy|notice|statement|centre|center))?\b"
    r"|\bcookies?\s+(?:policy|notice)\b|\bdata\s+protection\s+(?:policy|notice)\b",
    re.IGNORECASE,
)
_TERMS = re.compile(
    r"\bterms\b|\bconditions\b|\bagreement\b|\bacceptable\s+use\b|\busage\s+polic"
    r"|\bguidelines\b|\beula\b|\bcontract\b",
    re.IGNORECASE,
)
_TITLE_BLOCKS = 3
"""A title sits in the first few blocks (after a "Last updated" line, say)."""
_TITLE_WORDS = 10
"""A first line longer than this is body text, not a title."""


def document_kind(document: Document) -> DocumentKind:
    """The kind of ``document``: its title decides, then its file name; terms by default."""
    for text in (_title(document), re.sub(r"[_\-.]+", " ", document.path.stem)):
        if not text:
            continue
        if _TERMS.search(text):
            return DocumentKind.TERMS
        if _NOTICE.search(text):
            return DocumentKind.PRIVACY_NOTICE
    return DocumentKind.TERMS


def _title(document: Document) -> str:
    """The first heading among the first blocks, else the first short line, else ''."""
    blocks = document.blocks[:_TITLE_BLOCKS]
    heading = next((b.text for b in blocks if b.kind is BlockKind.HEADING), "")
    if heading:
        return heading
    short = [b.text for b in blocks if 0 < len(b.text.split()) <= _TITLE_WORDS]
    return next((text for text in short if _TERMS.search(text) or _NOTICE.search(text)), "")
