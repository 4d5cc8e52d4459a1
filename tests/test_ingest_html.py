"""HTML ingest: site furniture dropped, lists numbered like a browser, tables, deep nesting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_fixtures import check_invariants, find, kinds

from gapcheck.errors import InputError
from gapcheck.ingest import read_document
from gapcheck.model import BlockKind, Document

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>Acme Terms</title>
  <style>body { font-family: sans-serif; }</style>
  <script>window.analytics = "track everything";</script>
</head>
<body>
<header><a href="/">Acme home</a> | <a href="/login">Log in</a></header>
<nav><ul><li>Products</li><li>Pricing</li></ul></nav>
<div id="cookie-banner" hidden>We use cookies. Accept?</div>
<main>
  <article>
    <header><h1>Terms of Service</h1></header>
    <p>Last updated: 1&nbsp;March&nbsp;2025. These terms apply to Acme&nbsp;&amp;&nbsp;Co.</p>
    <h2>4.2 Prohibited uses</h2>
    <p>You must not:</p>
    <ol start="3" type="a">
      <li>resell the <b>service</b>;</li>
      <li><p>use it to harm others; or</p>
        <ul><li>including minors</li><li>including animals</li></ul>
      </li>
      <li value="10">break the law.</li>
    </ol>
    <blockquote>Quoted policy<br>on two lines.</blockquote>
    <ol type="I"><li>First roman</li><li>Second roman</li></ol>
    <h3>Data we keep</h3>
    <table>
      <thead><tr><th>Data</th><th>Retention</th></tr></thead>
      <tbody>
        <tr><td>Email</td><td>2 years</td></tr>
        <tr><td>Logs</td><td></td><td><p>30 days</p><p>then deleted</p></td></tr>
      </tbody>
    </table>
    <div>Text directly in a div <span>with inline</span> parts.<div>Nested div text.</div></div>
    <noscript>Enable JavaScript</noscript>
    <svg><text>chart label</text></svg>
    <iframe src="x">frame text</iframe>
    <template><p>template text</p></template>
  </article>
</main>
<footer>&copy; 2025 Acme. <a href="/privacy">Privacy</a></footer>
<script>document.write("<p>injected</p>")</script>
</body>
</html>
"""


@pytest.fixture
def page(tmp_path: Path) -> Document:
    path = tmp_path / "terms.html"
    path.write_text(PAGE, encoding="utf-8")
    document = read_document(path)
    check_invariants(document)
    return document


def test_format_and_title_heading(page: Document) -> None:
    assert page.format == "html"
    first = page.blocks[0]
    assert (first.kind, first.text, first.level) == (BlockKind.HEADING, "Terms of Service", 1)


@pytest.mark.parametrize(
    "dropped",
    [
        "Acme home",
        "Products",
        "cookies",
        "track everything",
        "font-family",
        "Enable JavaScript",
        "chart label",
        "frame text",
        "template text",
        "2025 Acme",
        "injected",
        "Acme Terms",
    ],
)
def test_site_furniture_is_dropped(page: Document, dropped: str) -> None:
    assert dropped not in page.text


def test_entities_and_whitespace(page: Document) -> None:
    block = find(page, "Last updated")
    assert block.text == "Last updated: 1 March 2025. These terms apply to Acme & Co."


def test_headings_keep_typed_numbers(page: Document) -> None:
    heading = find(page, "Prohibited uses")
    assert (heading.kind, heading.text, heading.level, heading.label) == (
        BlockKind.HEADING,
        "4.2 Prohibited uses",
        2,
        "",
    )
    assert find(page, "Data we keep").level == 3


def test_ordered_list_start_type_and_value(page: Document) -> None:
    items = [(b.label, b.text, b.level) for b in kinds(page, BlockKind.LIST_ITEM)]
    assert items == [
        ("c.", "resell the service;", 0),
        ("d.", "use it to harm others; or", 0),
        ("", "including minors", 1),
        ("", "including animals", 1),
        ("j.", "break the law.", 0),
        ("I.", "First roman", 0),
        ("II.", "Second roman", 0),
    ]
    assert "c. resell the service;" in page.text


def test_br_and_blockquote(page: Document) -> None:
    block = find(page, "Quoted policy")
    assert (block.kind, block.text) == (BlockKind.PARAGRAPH, "Quoted policy on two lines.")


def test_table_rows(page: Document) -> None:
    rows = [b.text for b in kinds(page, BlockKind.TABLE_ROW)]
    assert rows == ["Data | Retention", "Email | 2 years", "Logs | 30 days then deleted"]


def test_div_text_is_split_at_block_boundaries(page: Document) -> None:
    assert find(page, "Text directly").text == "Text directly in a div with inline parts."
    assert find(page, "Nested div").text == "Nested div text."


def _read_html(tmp_path: Path, html: str, name: str = "page.html") -> Document:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    document = read_document(path)
    check_invariants(document)
    return document


def test_layout_table_is_read_as_page_content(tmp_path: Path) -> None:
    document = _read_html(
        tmp_path,
        "<html><body><table><tr><td>Acme logo</td></tr><tr><td>"
        "<h1>Terms</h1><p>First clause.</p><table><tr><td>a</td><td>b</td></tr></table>"
        "<p>Second clause.</p></td></tr></table></body></html>",
    )
    got = [(b.kind, b.text) for b in document.blocks]
    assert got == [
        (BlockKind.TABLE_ROW, "Acme logo"),
        (BlockKind.HEADING, "Terms"),
        (BlockKind.PARAGRAPH, "First clause."),
        (BlockKind.TABLE_ROW, "a | b"),
        (BlockKind.PARAGRAPH, "Second clause."),
    ]


def test_numbered_heading_inside_list_item_gets_label(tmp_path: Path) -> None:
    document = _read_html(tmp_path, "<html><body><ol><li><h2>Payment</h2><p>Pay on time.</p>")
    heading, paragraph = document.blocks
    assert (heading.kind, heading.label, heading.text) == (BlockKind.HEADING, "1.", "Payment")
    assert (paragraph.kind, paragraph.label) == (BlockKind.PARAGRAPH, "")


def test_unclosed_tags_and_fragment(tmp_path: Path) -> None:
    document = _read_html(tmp_path, "<p>One<p>Two<ul><li>A<li>B</ul><p>Three", name="fragment.htm")
    assert [(b.kind.value, b.label, b.text) for b in document.blocks] == [
        ("paragraph", "", "One"),
        ("paragraph", "", "Two"),
        ("list_item", "", "A"),
        ("list_item", "", "B"),
        ("paragraph", "", "Three"),
    ]


def test_unclosed_head_ends_at_body(tmp_path: Path) -> None:
    document = _read_html(tmp_path, "<html><head><title>T</title><body><p>Visible.</p>")
    assert [b.text for b in document.blocks] == ["Visible."]


def test_html_detected_by_content_not_extension(tmp_path: Path) -> None:
    document = _read_html(tmp_path, PAGE, name="saved-page.txt")
    assert document.format == "html"
    assert document.blocks[0].text == "Terms of Service"


def test_deeply_nested_markup(tmp_path: Path) -> None:
    depth = 100_000
    html = (
        "<html><body>"
        + "<div>" * depth
        + "<ul><li>" * depth
        + "deep text"
        + "</li></ul>" * depth
        + "</div>" * depth
        + "<p>after</p></body></html>"
    )
    started = time.monotonic()
    document = _read_html(tmp_path, html)
    assert time.monotonic() - started < 30
    deep, after = document.blocks
    assert deep.text == "deep text" and deep.kind is BlockKind.LIST_ITEM
    assert deep.level == 63  # nesting bookkeeping is capped
    assert after.text == "after" and after.kind is BlockKind.PARAGRAPH


def test_deeply_nested_skipped_elements(tmp_path: Path) -> None:
    depth = 50_000
    html = "<body>" + "<nav>" * depth + "menu" + "</nav>" * depth + "<p>content</p>"
    document = _read_html(tmp_path, html)
    assert [b.text for b in document.blocks] == ["content"]


_HTML_TOKENS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<li>",
        "</li>",
        '<ol start="3" type="a">',
        "</ol>",
        "<ul>",
        "</ul>",
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<h2>",
        "</h2>",
        "<nav>",
        "</nav>",
        "<header>",
        "<article>",
        "<div hidden>",
        "</div>",
        "<br>",
        "<script>",
        "</script>",
        "&amp;",
        "&bogus;",
        "<!--",
        "-->",
        "<",
        ">",
        "Clause text. ",
        "word ",
        "\n",
    ]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tokens=st.lists(_HTML_TOKENS, max_size=60))
def test_property_any_markup_gives_blocks_or_input_error(tmp_path: Path, tokens: list[str]) -> None:
    path = tmp_path / "fuzz.html"
    path.write_text("<html><body>" + "".join(tokens), encoding="utf-8")
    try:
        document = read_document(path)
    except InputError as error:
        assert str(error) == f"{path}: no text found in this HTML file"
        return
    check_invariants(document)
