"""Markdown and plain-text ingest, text encodings, and a property test of the invariants."""

from __future__ import annotations

import codecs
import collections
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_fixtures import check_invariants, find, kinds

from gapcheck.errors import InputError
from gapcheck.ingest import read_document
from gapcheck.ingest.markdown_inline import strip_inline
from gapcheck.ingest.paragraphs import StartKind, classify
from gapcheck.model import BlockKind, Document

MARKDOWN = """\
Acme Terms of Service
=====================

Last updated: **1 March 2025**. Read the [Privacy Policy](https://acme.example/privacy "policy")
and the <https://acme.example/aup> page.

![Acme logo](logo.png)

## 4.2 Prohibited uses

You must not:

1. resell the *service*;
2. use it to __harm__ others; or
   continue this item on a second line
    - including `minors`
    - including animals
      * deeply nested
3) break the law.

- A bullet with a [reference link][ref]
+ A plus bullet

Data retention
--------------

| Data | Retention |
|------|----------:|
| Email | 2 years |
| Logs <br> and traces | |

```python
print("code is dropped")
```

> Quoted **guidance**
> on two lines.

***

### 1\\. Escaped number heading ###

The year
2024. It was not a list item.

<!-- an HTML comment
spread over lines -->
Text with <span>inline tags</span> and snake_case_name kept.

[ref]: https://acme.example/ref
"""


def _read(tmp_path: Path, text: str, name: str, encoding: str = "utf-8") -> Document:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    check_invariants(document)
    return document


@pytest.fixture
def markdown(tmp_path: Path) -> Document:
    return _read(tmp_path, MARKDOWN, "terms.md")


def test_markdown_headings(markdown: Document) -> None:
    headings = [(b.text, b.level) for b in kinds(markdown, BlockKind.HEADING)]
    assert headings == [
        ("Acme Terms of Service", 1),
        ("4.2 Prohibited uses", 2),
        ("Data retention", 2),
        ("1. Escaped number heading", 3),
    ]
    assert markdown.format == "markdown"


def test_markdown_inline_markup_stripped(markdown: Document) -> None:
    block = find(markdown, "Last updated")
    assert block.text == (
        "Last updated: 1 March 2025. Read the Privacy Policy and the https://acme.example/aup page."
    )
    assert "logo" not in markdown.text
    assert "*" not in markdown.text and "`" not in markdown.text


def test_markdown_lists_labels_levels_and_continuations(markdown: Document) -> None:
    items = [(b.label, b.text, b.level) for b in kinds(markdown, BlockKind.LIST_ITEM)]
    assert items == [
        ("1.", "resell the service;", 0),
        ("2.", "use it to harm others; or continue this item on a second line", 0),
        ("", "including minors", 1),
        ("", "including animals", 1),
        ("", "deeply nested", 2),
        ("3)", "break the law.", 0),
        ("", "A bullet with a reference link", 0),
        ("", "A plus bullet", 0),
    ]


def test_markdown_table_rows(markdown: Document) -> None:
    rows = [b.text for b in kinds(markdown, BlockKind.TABLE_ROW)]
    assert rows == ["Data | Retention", "Email | 2 years", "Logs and traces"]


def test_markdown_drops_code_rules_comments_and_quote_markers(markdown: Document) -> None:
    assert "code is dropped" not in markdown.text
    assert "HTML comment" not in markdown.text
    assert find(markdown, "Quoted").text == "Quoted guidance on two lines."
    assert "ref]:" not in markdown.text
    assert ">" not in markdown.text


def test_markdown_number_inside_paragraph_is_not_a_list(markdown: Document) -> None:
    block = find(markdown, "The year")
    assert (block.kind, block.text) == (
        BlockKind.PARAGRAPH,
        "The year 2024. It was not a list item.",
    )
    assert find(markdown, "inline tags").text == "Text with inline tags and snake_case_name kept."


def test_markdown_unclosed_comment_hides_nothing(tmp_path: Path) -> None:
    document = _read(tmp_path, "Intro <!-- never closed\n\nStill text.\n", "comment.md")
    assert [b.text for b in document.blocks] == ["Intro <!-- never closed", "Still text."]


def test_markdown_unclosed_fence_is_ignored_with_warning(tmp_path: Path) -> None:
    document = _read(tmp_path, "Intro.\n\n```\nStill text.\n", "fence.md")
    assert [b.text for b in document.blocks] == ["Intro.", "Still text."]
    assert document.warnings == ("line 3: unclosed code fence ignored",)


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("***both***", "both"),
        ("**bold _and em_**", "bold and em"),
        ("a \\*literal\\* star", "a *literal* star"),
        ("`a_b_c` and `**x**`", "a_b_c and **x**"),
        ("[![badge](b.svg)](https://x)", ""),
        ("see [docs](https://x.org/a_(b)) now", "see docs now"),
        ("5 * 3 * 2", "5 * 3 * 2"),
        ("AT&amp;T &copy;", "AT&T \u00a9"),
        ("~~old~~ new", "old new"),
        ("_Opt-Out Rights  _You may", "Opt-Out Rights  You may"),
    ],
)
def test_strip_inline(markup: str, plain: str) -> None:
    assert strip_inline(markup) == plain


PLAIN = """\
ACME TERMS OF SERVICE

1. Introduction
These terms govern your use of the service and are written as hard-wrapped
lines that must be joined back into one paragraph.

A second paragraph follows
after a blank line.

4.2 Prohibited uses
You must not:
  - resell the service;
  - harm others; or
      * nested bullet
(c) break the law.

THE SERVICE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND EXPRESS OR
IMPLIED TO THE EXTENT PERMITTED BY LAW.

Contact
Email us with questions.
"""


def test_plain_text_structure(tmp_path: Path) -> None:
    document = _read(tmp_path, PLAIN, "terms.txt")
    assert document.format == "text"
    got = [(b.kind.value, b.level, b.text) for b in document.blocks]
    assert got == [
        ("heading", 1, "ACME TERMS OF SERVICE"),
        ("heading", 1, "1. Introduction"),
        (
            "paragraph",
            0,
            "These terms govern your use of the service and are written as hard-wrapped "
            "lines that must be joined back into one paragraph.",
        ),
        ("paragraph", 0, "A second paragraph follows after a blank line."),
        ("heading", 2, "4.2 Prohibited uses"),
        ("paragraph", 0, "You must not:"),
        ("list_item", 0, "resell the service;"),
        ("list_item", 0, "harm others; or"),
        ("list_item", 1, "nested bullet"),
        ("list_item", 0, "(c) break the law."),
        (
            "paragraph",
            0,
            "THE SERVICE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND EXPRESS OR "
            "IMPLIED TO THE EXTENT PERMITTED BY LAW.",
        ),
        ("heading", 1, "Contact"),
        ("paragraph", 0, "Email us with questions."),
    ]


def test_plain_text_with_one_paragraph_per_line(tmp_path: Path) -> None:
    sentence = (
        "This clause is written on one long line without any wrapping at all, as word "
        "processors and web forms save text when nobody presses the return key"
    )
    text = f"{sentence} one.\n{sentence} two.\n{sentence} three\n"
    document = _read(tmp_path, text, "long-lines.txt")
    assert [b.text[-6:] for b in document.blocks] == ["y one.", "y two.", " three"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    document = _read(
        tmp_path, "\ufeffRésumé of the terms.\r\n\r\nSecond — paragraph.", "u16.txt", "utf-16"
    )
    assert [b.text for b in document.blocks] == ["Résumé of the terms.", "Second — paragraph."]
    assert document.warnings == ()


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(codecs.BOM_UTF8 + b"# Title\n\nBody.")
    document = read_document(path)
    assert document.blocks[0].text == "Title" and document.blocks[0].kind is BlockKind.HEADING


def test_latin1_is_decoded_with_a_warning(tmp_path: Path) -> None:
    document = _read(tmp_path, "Caf\u00e9 terms \u2013 \u00a9 Acme.", "legacy.txt", "cp1252")
    assert document.blocks[0].text == "Caf\u00e9 terms \u2013 \u00a9 Acme."
    assert document.warnings == ("not valid UTF-8; decoded as Windows-1252",)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(b"Terms \x81 and \xe9t\xe9.")
    document = read_document(path)
    assert document.blocks[0].text == "Terms \x81 and \u00e9t\u00e9.".replace("\x81 ", "")
    assert document.warnings == ("not valid UTF-8; decoded as Latin-1",)


def test_whitespace_only_file_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "spaces.txt"
    path.write_text("  \n\t\n   ")
    with pytest.raises(InputError, match=r"spaces\.txt: no text found"):
        read_document(path)


# Letters, digits and sentence punctuation: no character that Markdown or the bullet
# detection treats as markup, so every word of the input must survive.
_WORD = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()'\"éß"
    ),
    min_size=1,
    max_size=12,
)
_LINE = st.lists(_WORD, min_size=0, max_size=14).map(" ".join)
_INDENT = st.sampled_from(["", " ", "  ", "    ", "\t"])
_DOCUMENT = st.lists(st.tuples(_INDENT, _LINE), min_size=1, max_size=30).map(
    lambda lines: "\n".join(indent + line for indent, line in lines)
)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_DOCUMENT)
def test_property_offsets_and_no_lost_words(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_text(text, encoding="utf-8")
    if not text.split():
        with pytest.raises(InputError):
            read_document(path)
        return
    document = read_document(path)
    check_invariants(document)
    assert collections.Counter(document.text.split()) == collections.Counter(text.split())


_MARKDOWN_TOKENS = st.sampled_from(
    [
        *("# ", "## ", "1. ", "2) ", "- ", "* ", "  ", "    ", "\n", "\n\n", "|", "|---|"),
        *("```", "> ", "**", "*", "_", "`", "[", "](", ")", "![", "<br>", "<!--", "-->"),
        *("===", "---", "\\", "&amp;", "<http://x.org>", "[r]: http://x", "Clause text. "),
        "word ",
    ]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tokens=st.lists(_MARKDOWN_TOKENS, max_size=60))
def test_property_any_markdown_gives_blocks_or_input_error(
    tmp_path: Path, tokens: list[str]
) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text("".join(tokens), encoding="utf-8")
    try:
        document = read_document(path)
    except InputError as error:
        assert "no text found" in str(error) or "file is empty" in str(error)
        return
    check_invariants(document)


@pytest.mark.parametrize(
    ("line", "kind", "text", "depth", "may_be_heading"),
    [
        ("\u2022 Bullet item", StartKind.BULLET, "Bullet item", 1, False),
        ("- dash item", StartKind.BULLET, "dash item", 1, False),
        ("4.2 Prohibited uses", StartKind.SECTION, "4.2 Prohibited uses", 2, True),
        ("4.2.1. Detail", StartKind.SECTION, "4.2.1. Detail", 3, True),
        ("Article 5 Liability", StartKind.SECTION, "Article 5 Liability", 1, True),
        ("SECTION 3.1: Fees", StartKind.SECTION, "SECTION 3.1: Fees", 2, True),
        ("5. Termination", StartKind.ITEM, "5. Termination", 1, True),
        ("IV. Remedies", StartKind.ITEM, "IV. Remedies", 1, True),
        ("(b) harm others", StartKind.ITEM, "(b) harm others", 1, False),
        ("ii) second", StartKind.ITEM, "ii) second", 1, False),
        ("12 months after", StartKind.PLAIN, "12 months after", 1, True),
        ("Schedule a call", StartKind.PLAIN, "Schedule a call", 1, True),
        ("-5% discount", StartKind.PLAIN, "-5% discount", 1, True),
    ],
)
def test_classify_line_starts(
    line: str, kind: StartKind, text: str, depth: int, may_be_heading: bool
) -> None:
    start = classify(line)
    assert (start.kind, start.text, start.depth, start.may_be_heading) == (
        kind,
        text,
        depth,
        may_be_heading,
    )


OPERATOR_TERMS = Path(__file__).resolve().parents[2] / "shared" / "data" / "operator_terms"


@pytest.mark.shared
@pytest.mark.skipif(not OPERATOR_TERMS.is_dir(), reason="shared/data is absent")
def test_real_operator_terms_read_cleanly() -> None:
    paths = sorted(OPERATOR_TERMS.glob("*/*.md"))
    assert len(paths) >= 34
    for path in paths:
        document = read_document(path)
        check_invariants(document)
        assert document.format == "markdown"
        assert len(document.blocks) >= 40, path
        assert document.words >= 800, path
        for leftover in ("](", "\\.", "<br"):
            assert leftover not in document.text, (path, leftover)
        assert not re.search(r"\*\*\w|\w\*\*", document.text), path
