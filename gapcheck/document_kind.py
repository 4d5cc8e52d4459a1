"""Which kind of text a clause sits in: terms that bind users, or a privacy notice.

An operator's policy set usually mixes both. The difference matters to a lawyer. A
privacy notice describes the operator's own practice ("we do not sell your data"). It
is the right place to tell users something, such as who processes their data. But it
binds nobody to a rule: "we do not use facial recognition" does not forbid users to do
so. So a notice clause cannot satisfy a user prohibition or duty, and when it is quoted
first for one, the lawyer is sent to amend the wrong document.

The kind is read the way a person reads it, from titles. Real files are not tidy: one
file may hold a "Privacy Policy" section followed by the "Terms of Service". So each
top-level section whose heading is a title ("Terms of Service", "Acme Privacy Notice")
takes the kind that title names; the rest of the file takes the kind of the document's
own title, or failing that its file name, and is terms by default. A title that names
both (a combined "Terms and Privacy Policy") is read as terms, since it binds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from gapcheck.model import BlockKind, Clause, Document, DocumentKind

_NOTICE_TITLE = re.compile(
    r"\bprivacy\s+(?:policy|notice|statement)\b"
    r"|\bcookies?\s+(?:policy|notice)\b|\bdata\s+protection\s+(?:policy|notice)\b",
    re.IGNORECASE,
)
_NOTICE_FILE = re.compile(r"\bprivacy\b|\bcookies?\b", re.IGNORECASE)
"""A file name is terser than a title: ``privacy.md`` is a privacy notice."""
_TERMS = re.compile(
    r"\bterms\b|\bconditions\b|\bagreement\b|\bacceptable\s+use\b|\busage\s+polic"
    r"|\bguidelines\b|\beula\b|\bcontract\b",
    re.IGNORECASE,
)
_TITLE_BLOCKS = 3
"""A document's title sits in its first few blocks (after a "Last updated" line, say)."""
_TITLE_WORDS = 10
"""A heading or line longer than this is body text, not a title."""


def title_kind(title: str) -> DocumentKind | None:
    """The kind a title names, or None when it names neither (e.g. "1. Introduction")."""
    if not title or len(title.split()) > _TITLE_WORDS:
        return None
    if _TERMS.search(title):
        return DocumentKind.TERMS
    if _NOTICE_TITLE.search(title):
        return DocumentKind.PRIVACY_NOTICE
    return None


def document_kind(document: Document) -> DocumentKind:
    """The kind of the document as a whole: its title decides, then its file name."""
    blocks = document.blocks[:_TITLE_BLOCKS]
    titles = [b.text for b in blocks if b.kind is BlockKind.HEADING] or [b.text for b in blocks]
    for title in titles:
        if (kind := title_kind(title)) is not None:
            return kind
    name = re.sub(r"[_\-.]+", " ", document.path.stem)
    if _TERMS.search(name):
        return DocumentKind.TERMS
    return DocumentKind.PRIVACY_NOTICE if _NOTICE_FILE.search(name) else DocumentKind.TERMS


def prevailing_kind(clauses: Sequence[Clause]) -> DocumentKind:
    """What most of a document's clauses are, for the report's list of documents."""
    counts = Counter(clause.kind for clause in clauses)
    return max(
        counts,
        key=lambda kind: (counts[kind], kind is DocumentKind.TERMS),
        default=DocumentKind.TERMS,
    )
