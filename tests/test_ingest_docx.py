"""DOCX ingest: styles, Word auto-numbering, tables, revisions and damaged files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx.enum.text import WD_BREAK
from ingest_fixtures import (
    abstract_of_style,
    add_abstract_numbering,
    add_num,
    append_body_xml,
    check_invariants,
    docx_bytes,
    find,
    kinds,
    new_docx,
    number,
)

from gapcheck.errors import InputError
from gapcheck.ingest import read_document
from gapcheck.model import BlockKind, Document

W_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _read(tmp_path: Path, document: Any, name: str = "terms.docx") -> Document:
    path = tmp_path / name
    path.write_bytes(docx_bytes(document))
    result = read_document(path)
    check_invariants(result)
    return result


@pytest.fixture
def terms(tmp_path: Path) -> Document:
    """A realistic set of terms touching every DOCX feature the reader supports."""
    document = new_docx()
    document.add_paragraph("Acme Terms of Service", style="Title")
    document.add_heading("Definitions", level=1)
    document.add_paragraph("4.2 Prohibited uses are listed below.")
    for text in ("Do not resell the service.", "Do not scrape.", "Do not spam."):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Between the lists.")
    restart = add_num(document, 91, abstract_of_style(document, "List Number"), restart_at=1)
    for text in ("Restarted one.", "Restarted two."):
        number(document.add_paragraph(text, style="List Number"), restart)
    document.add_paragraph("A bullet point.", style="List Bullet")
    document.add_paragraph("A nested bullet.", style="List Bullet 2")

    add_abstract_numbering(document, 90, [("lowerLetter", "(%1)"), ("lowerRoman", "(%2)")])
    items = add_num(document, 90, 90)
    number(document.add_paragraph("First lettered."), items, 0)
    number(document.add_paragraph("Roman under a."), items, 1)
    number(document.add_paragraph("Second roman."), items, 1)
    number(document.add_paragraph("Second lettered."), items, 0)
    number(document.add_paragraph("Roman restarts."), items, 1)

    add_abstract_numbering(document, 92, [("decimal", "%1."), ("decimal", "%1.%2")])
    legal = add_num(document, 92, 92)
    number(document.add_heading("Use of the Service", level=2), legal, 0)
    number(document.add_heading("Accounts", level=3), legal, 1)
    number(document.add_heading("Content", level=3), legal, 1)
    number(document.add_heading("Termination", level=2), legal, 0)
    number(document.add_heading("Effect", level=3), legal, 1)

    document.add_paragraph("")  # empty paragraphs are skipped
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Data", "Purpose", "Retention"), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("Email", "", "2 years"), strict=True):
        cell.text = text
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Logs (merged)"
    table.cell(2, 2).text = "30 days"
    document.add_paragraph("After the table.")
    not_numbered = document.add_paragraph("Numbering removed.", style="List Number")
    number(not_numbered, "0")
    append_body_xml(
        document,
        f'<w:p {W_DECL}><w:r><w:t xml:space="preserve">Keep </w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>deleted </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>inserted</w:t></w:r></w:ins>'
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>"
        "<w:r><w:tab/><w:t>after tab</w:t></w:r></w:p>",
    )
    append_body_xml(
        document,
        f"<w:sdt {W_DECL}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Inside a content control"
        "</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    )
    broken = document.add_paragraph("Line one")
    broken.runs[0].add_break(WD_BREAK.LINE)
    broken.add_run("line   two")
    return _read(tmp_path, document)


def test_title_and_heading_styles(terms: Document) -> None:
    title = terms.blocks[0]
    assert (title.kind, title.text, title.level) == (BlockKind.HEADING, "Acme Terms of Service", 0)
    heading = find(terms, "Definitions")
    assert (heading.kind, heading.level, heading.label) == (BlockKind.HEADING, 1, "")


def test_typed_section_number_stays_in_text(terms: Document) -> None:
    block = find(terms, "Prohibited uses")
    assert block.text == "4.2 Prohibited uses are listed below."
    assert block.kind is BlockKind.PARAGRAPH
    assert block.label == ""


def test_list_number_style_gets_word_labels(terms: Document) -> None:
    items = [find(terms, text) for text in ("resell", "scrape", "spam")]
    assert [item.label for item in items] == ["1.", "2.", "3."]
    assert {item.kind for item in items} == {BlockKind.LIST_ITEM}
    assert "1. Do not resell the service." in terms.text


def test_second_list_restarts_with_start_override(terms: Document) -> None:
    assert find(terms, "Restarted one").label == "1."
    assert find(terms, "Restarted two").label == "2."


def test_bullets_have_empty_labels_and_style_levels(terms: Document) -> None:
    bullet, nested = find(terms, "A bullet point"), find(terms, "A nested bullet")
    assert (bullet.kind, bullet.label, bullet.level) == (BlockKind.LIST_ITEM, "", 0)
    assert (nested.kind, nested.label, nested.level) == (BlockKind.LIST_ITEM, "", 1)


def test_custom_numbering_letters_romans_and_reset(terms: Document) -> None:
    got = [
        (find(terms, text).label, find(terms, text).level)
        for text in (
            "First lettered",
            "Roman under a",
            "Second roman",
            "Second lettered",
            "Roman restarts",
        )
    ]
    assert got == [("(a)", 0), ("(i)", 1), ("(ii)", 1), ("(b)", 0), ("(i)", 1)]


def test_numbered_headings_keep_kind_and_get_multilevel_labels(terms: Document) -> None:
    got = [
        (find(terms, text).kind, find(terms, text).label, find(terms, text).level)
        for text in ("Use of the Service", "Accounts", "Content", "Termination", "Effect")
    ]
    assert got == [
        (BlockKind.HEADING, "1.", 2),
        (BlockKind.HEADING, "1.1", 3),
        (BlockKind.HEADING, "1.2", 3),
        (BlockKind.HEADING, "2.", 2),
        (BlockKind.HEADING, "2.1", 3),
    ]


def test_table_rows_in_document_order(terms: Document) -> None:
    rows = kinds(terms, BlockKind.TABLE_ROW)
    assert [row.text for row in rows] == [
        "Data | Purpose | Retention",
        "Email | 2 years",
        "Logs (merged) | 30 days",
    ]
    texts = [block.text for block in terms.blocks]
    assert texts.index(rows[-1].text) + 1 == texts.index("After the table.")
    assert texts.index("Roman restarts.") < texts.index(rows[0].text)


def test_numbering_removed_with_num_id_zero(terms: Document) -> None:
    block = find(terms, "Numbering removed")
    assert (block.kind, block.label) == (BlockKind.PARAGRAPH, "")


def test_revisions_hidden_text_and_content_controls(terms: Document) -> None:
    assert find(terms, "Keep").text == "Keep inserted after tab"
    assert "deleted" not in terms.text and "hidden" not in terms.text
    assert find(terms, "content control").kind is BlockKind.PARAGRAPH
    assert find(terms, "Line one").text == "Line one line two"


def test_metadata(terms: Document, tmp_path: Path) -> None:
    assert terms.format == "docx"
    assert terms.path == tmp_path / "terms.docx"
    assert len(terms.sha256) == 64
    assert terms.warnings == ()


def test_list_continues_across_interruption(tmp_path: Path) -> None:
    document = new_docx()
    document.add_paragraph("One.", style="List Number")
    document.add_paragraph("An explanatory paragraph.")
    document.add_paragraph("Two.", style="List Number")
    document.add_paragraph("", style="List Number")  # empty, still counted by Word
    document.add_paragraph("Four.", style="List Number")
    result = _read(tmp_path, document)
    assert [b.label for b in kinds(result, BlockKind.LIST_ITEM)] == ["1.", "2.", "4."]


def test_docx_with_txt_extension_is_read_as_docx(tmp_path: Path) -> None:
    document = new_docx()
    document.add_paragraph("Hidden behind a .txt name.")
    result = _read(tmp_path, document, name="terms.txt")
    assert result.format == "docx"
    assert result.blocks[0].text == "Hidden behind a .txt name."


def test_truncated_docx_is_an_input_error(tmp_path: Path) -> None:
    document = new_docx()
    document.add_paragraph("Some text. " * 200)
    data = docx_bytes(document)
    path = tmp_path / "broken.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"broken\.docx: corrupt or truncated DOCX"):
        read_document(path)


def test_docx_without_main_part(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<styles/>")
    path = tmp_path / "partial.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match=r"partial\.docx: corrupt DOCX \(word/document\.xml"):
        read_document(path)


def test_malformed_document_xml(tmp_path: Path) -> None:
    document = new_docx()
    document.add_paragraph("text")
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(document)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            archive.writestr(item, data)
    path = tmp_path / "bad-xml.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match=r"bad-xml\.docx: corrupt or truncated DOCX"):
        read_document(path)


def _ole_container(*streams: str) -> bytes:
    """Bytes shaped like an OLE compound file with the given stream names in its directory.

    Enough for format sniffing: Office writes an encrypted DOCX as such a container
    holding ``EncryptionInfo`` and ``EncryptedPackage`` streams.
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)
    return header + directory + b"\x00" * 1024


def test_password_protected_docx(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(_ole_container("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    with pytest.raises(
        InputError, match=r"locked\.docx: password-protected; remove the password and try again"
    ):
        read_document(path)


def test_legacy_doc_is_rejected_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(_ole_container("Root Entry", "WordDocument"))
    with pytest.raises(InputError, match=r"old\.doc: a legacy Office file.*save it as \.docx"):
        read_document(path)


def test_docx_with_only_empty_paragraphs(tmp_path: Path) -> None:
    document = new_docx()
    document.add_paragraph("   ")
    path = tmp_path / "blank.docx"
    path.write_bytes(docx_bytes(document))
    with pytest.raises(InputError, match=r"blank\.docx: no text found"):
        read_document(path)


def test_macro_enabled_document_gets_advice(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(new_docx())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            archive.writestr(item, data)
    path = tmp_path / "macros.docm"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match=r"macros\.docm: not a plain Word document"):
        read_document(path)
