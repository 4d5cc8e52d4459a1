"""Property tests: ingest and segmentation never lose, duplicate or misplace text.

How the text of a document is accounted for (what "nothing lost" means):

* ``Document.text`` is the extracted text. Every clause quotes it exactly:
  ``document.text[clause.start:clause.end] == clause.text``.
* Every non-whitespace character of ``Document.text`` belongs to exactly one of:
  a heading block (context, never evidence: a heading saying "Prohibited uses"
  prohibits nothing), a block label (the number Word or HTML generated, e.g. "4.2" or
  "(b)", which the clause carries as its ``section`` rather than in its text), or one
  clause. Clauses never overlap, so nothing is quoted twice.
* ``Clause.lead_in`` repeats the sentence that introduces a list ("You may not:") so
  the item is matched with its meaning. It is a copy used for matching, never quoted
  as evidence and outside the offsets, so it is not a duplication; the property
  checked for it is that it only repeats text that appears earlier in the document.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcheck.errors import InputError
from gapcheck.ingest import read_document
from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.model import BlockKind, Clause, Document
from gapcheck.segment import MAX_CLAUSE_WORDS, split_clauses


def _non_space(text: str) -> collections.Counter[str]:
    return collections.Counter(ch for ch in text if not ch.isspace())


def check_clauses(document: Document, clauses: list[Clause]) -> None:
    """Assert every property in the module docstring."""
    previous_end = -1
    for clause in clauses:
        assert document.text[clause.start : clause.end] == clause.text, clause
        assert clause.text.strip(), clause
        assert clause.start >= previous_end, f"clauses overlap: {clause}"
        previous_end = clause.end
        earlier = document.text[: clause.start]
        for word in clause.lead_in.split():
            assert word in earlier, f"lead-in word {word!r} not from earlier text: {clause}"
    # Each clause lies inside one non-heading block, and a block's clauses cover it.
    blocks = [block for block in document.blocks if block.kind is not BlockKind.HEADING]
    for block in blocks:
        inside = [c for c in clauses if block.start <= c.start and c.end <= block.end]
        assert _non_space("".join(c.text for c in inside)) == _non_space(block.text), block
    assert sum(1 for c in clauses for b in blocks if b.start <= c.start and c.end <= b.end) == len(
        clauses
    ), "a clause is outside every block or spans two blocks"
    # The whole extracted text is headings + labels + clauses, each character once.
    accounted = _non_space(
        "".join(b.text for b in document.blocks if b.kind is BlockKind.HEADING)
        + "".join(b.label for b in document.blocks)
        + "".join(c.text for c in clauses)
    )
    assert accounted == _non_space(document.text)


# -- documents built block by block (the shape every reader produces) -------------------

_UNICODE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),  # lone surrogates cannot be written as UTF-8
    ),
    max_size=40,
)
_SENTENCE_WORDS = st.sampled_from(
    [
        *("You", "must", "not", "use", "the", "Service", "to", "harm", "others", "We"),
        *("may", "suspend", "accounts", "e.g.", "i.e.", "Inc.", "No.", "U.S.", "etc."),
        *("(a)", "(ii)", "4.2", "Section", "5.", "§", "\u201cquoted.\u201d", '"stop."'),
        *("it;", "end.", "why?", "now!", "(see", "below).", "Ünïcödé", "中文", "😀", "a"),
    ]
)
# Short paragraphs, and paragraphs over MAX_CLAUSE_WORDS that are split into sentences.
_PROSE = st.one_of(
    st.lists(_SENTENCE_WORDS, min_size=1, max_size=30),
    st.lists(_SENTENCE_WORDS, min_size=MAX_CLAUSE_WORDS + 1, max_size=MAX_CLAUSE_WORDS + 80),
).map(" ".join)
_BLOCK = st.tuples(
    st.sampled_from(list(BlockKind)),
    st.one_of(_PROSE, _UNICODE_TEXT),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["", "1.", "2.", "(a)", "(b)", "ii.", "4.2", "A.", "•"]),
)


@settings(max_examples=100, deadline=None)
@given(blocks=st.lists(_BLOCK, max_size=25))
def test_property_clauses_partition_any_block_sequence(
    blocks: list[tuple[BlockKind, str, int, str]],
) -> None:
    builder = DocumentBuilder()
    for kind, text, level, label in blocks:
        builder.add(kind, text, level=level, label=label)
    document = builder.build(Path("generated.docx"), "docx", "0" * 64, ())
    check_clauses(document, split_clauses(document))


# -- documents read from text and Markdown files --------------------------------------

_LINE = st.one_of(
    _PROSE,
    _UNICODE_TEXT,
    st.tuples(st.sampled_from(["# ", "## ", "### "]), _PROSE).map("".join),
    st.tuples(st.sampled_from(["1. ", "2) ", "- ", "* ", "(a) ", "4.2 ", "  - "]), _PROSE).map(
        "".join
    ),
    st.sampled_from(["", "", "TERMS OF SERVICE", "Acceptable Use", "---", "| a | b |"]),
)
_FILE_TEXT = st.lists(_LINE, min_size=1, max_size=30).map("\n".join)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_FILE_TEXT)
def test_property_read_then_split_keeps_every_character(
    tmp_path: Path, suffix: str, text: str
) -> None:
    path = tmp_path / f"generated{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        document = read_document(path)
    except InputError as error:
        assert any(
            problem in str(error) for problem in ("no text found", "file is empty", "binary data")
        ), error
        return
    check_clauses(document, split_clauses(document))


def test_lead_in_repeats_the_introducing_sentence_but_is_not_quoted() -> None:
    builder = DocumentBuilder()
    builder.add(BlockKind.PARAGRAPH, "Some context. You may not:")
    builder.add(BlockKind.LIST_ITEM, "harm others;", label="(a)")
    document = builder.build(Path("t.docx"), "docx", "0" * 64, ())
    clauses = split_clauses(document)
    check_clauses(document, clauses)
    assert clauses[1].lead_in == "You may not:"
    assert clauses[1].text == "harm others;"


def test_closing_quote_after_a_sentence_stays_in_its_clause() -> None:
    """Regression: the quote closing a sentence was dropped between two clauses."""
    words = " ".join(["word"] * MAX_CLAUSE_WORDS)
    text = f'{words} and he said "stop." Then we left the building after that talk.'
    builder = DocumentBuilder()
    builder.add(BlockKind.PARAGRAPH, text)
    document = builder.build(Path("t.docx"), "docx", "0" * 64, ())
    clauses = split_clauses(document)
    check_clauses(document, clauses)
    assert clauses[0].text.endswith('"stop."')
