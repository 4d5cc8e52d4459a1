"""PDF ingest: running headers and footers, page numbers, hyphenation, locked and scanned files."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from fpdf import FPDF
from ingest_fixtures import HEADER, TermsPdf, check_invariants, find, kinds, write_pdf
from PIL import Image

from gapcheck.errors import InputError
from gapcheck.ingest import read_document
from gapcheck.ingest.page_furniture import is_page_number, strip_page_furniture
from gapcheck.model import BlockKind, Document

FLOWING = (
    "The licence granted to you is limited, revocable and non-exclusive, and it may be "
    "withdrawn at any time if you breach these terms or if the law requires it. "
) * 9 + "This sentence ends the paragraph that crossed the page break."


def _terms_pdf() -> TermsPdf:
    pdf = TermsPdf()
    pdf.add_page()
    pdf.heading("1. Introduction")
    pdf.para(
        "These terms govern your use of the service. Use of the service is subject to regu-\n"
        "lation by the authorities of the State of Delaware and to our published policies."
    )
    pdf.heading("1.1 Scope")
    pdf.para("These terms apply to every user.")
    pdf.para("- Do not misuse the service.\n- Keep your password secret.")
    pdf.set_y(230)
    pdf.para(FLOWING)
    pdf.add_page()
    pdf.heading("2. Prohibited Uses")
    pdf.para(
        "You must not:\n(a) use the service for any unlawful purpose; or\n"
        "(b) attempt to reverse engineer the models."
    )
    pdf.add_page()
    pdf.heading("3. Termination")
    pdf.para("We may suspend accounts that break these terms.")
    return pdf


@pytest.fixture(scope="module")
def terms_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(_terms_pdf(), tmp_path_factory.mktemp("pdf") / "terms.pdf")


@pytest.fixture(scope="module")
def terms(terms_path: Path) -> Document:
    document = read_document(terms_path)
    check_invariants(document)
    return document


def test_three_pages_with_running_header_and_footer(terms_path: Path) -> None:
    reader = pypdf.PdfReader(terms_path)
    assert len(reader.pages) == 4  # the flowing paragraph spills onto a second page
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert HEADER in text and f"Page {number} of 4" in text


def test_headers_footers_and_page_numbers_removed(terms: Document) -> None:
    assert terms.format == "pdf"
    assert HEADER not in terms.text
    assert "Page " not in terms.text and " of 4" not in terms.text


def test_headings_and_levels(terms: Document) -> None:
    headings = [(b.text, b.level, b.page) for b in kinds(terms, BlockKind.HEADING)]
    assert headings == [
        ("1. Introduction", 1, 1),
        ("1.1 Scope", 2, 1),
        ("2. Prohibited Uses", 1, 3),
        ("3. Termination", 1, 4),
    ]


def test_hyphenation_repaired(terms: Document) -> None:
    block = find(terms, "regulation")
    assert "regu-" not in terms.text
    assert block.text.startswith("These terms govern")
    assert block.text.endswith("our published policies.")
    assert block.page == 1


def test_paragraph_across_page_break_is_one_block(terms: Document) -> None:
    block = find(terms, "The licence granted")
    assert block.page == 1  # where it starts
    assert block.text.endswith("crossed the page break.")
    assert block.text.count("The licence granted") == 9


def test_bullets_and_lettered_items(terms: Document) -> None:
    items = [(b.text, b.label, b.page) for b in kinds(terms, BlockKind.LIST_ITEM)]
    assert items == [
        ("Do not misuse the service.", "", 1),
        ("Keep your password secret.", "", 1),
        ("(a) use the service for any unlawful purpose; or", "", 3),
        ("(b) attempt to reverse engineer the models.", "", 3),
    ]
    assert find(terms, "You must not:").kind is BlockKind.PARAGRAPH


def test_password_protected_pdf(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(bytes(_terms_pdf().output()))))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(
        InputError, match=r"locked\.pdf: password-protected; remove the password and try again"
    ):
        read_document(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(bytes(_terms_pdf().output()))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    document = read_document(path)
    check_invariants(document)
    assert find(document, "Termination").kind is BlockKind.HEADING


def test_blank_pdf_has_no_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_page()
    path = write_pdf(pdf, tmp_path / "blank.pdf")
    with pytest.raises(InputError, match=r"blank\.pdf: no text layer \(scanned\?\); run OCR first"):
        read_document(path)


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    image = Image.new("RGB", (200, 100), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=100)
    path = write_pdf(pdf, tmp_path / "scan.pdf")
    with pytest.raises(InputError, match=r"scan\.pdf: no text layer"):
        read_document(path)


def test_some_pages_without_text_give_a_warning(tmp_path: Path) -> None:
    pdf = TermsPdf()
    pdf.add_page()
    pdf.para("Only the first page has text of its own.")
    pdf.add_page()
    pdf.add_page()
    document = read_document(write_pdf(pdf, tmp_path / "mostly-empty.pdf"))
    assert [b.text for b in document.blocks] == ["Only the first page has text of its own."]
    assert document.warnings == ()  # headers/footers count as text, so no page is empty

    bare = FPDF()
    bare.add_page()
    bare.set_font("helvetica", size=11)
    bare.cell(0, 10, "Text on page one.")
    bare.add_page()
    document = read_document(write_pdf(bare, tmp_path / "gap.pdf"))
    assert any("page(s) 2" in warning for warning in document.warnings)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = bytes(_terms_pdf().output())
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:300])
    with pytest.raises(InputError, match=r"cut\.pdf: (corrupt or truncated PDF|no text layer)"):
        read_document(path)


def test_garbage_after_pdf_signature(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"this is not a pdf body\n" * 20)
    with pytest.raises(InputError, match=r"junk\.pdf: corrupt or truncated PDF"):
        read_document(path)


@pytest.mark.parametrize(
    "line", ["3", "- 3 -", "Page 3", "page 3 of 10", "3 / 10", "3/10", "\u2013 12 \u2013"]
)
def test_page_number_lines(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["3 days", "Section 3", "Page three", "2024 Acme Inc."])
def test_not_page_number_lines(line: str) -> None:
    assert not is_page_number(line)


def test_furniture_only_at_page_edges_and_not_clause_numbers() -> None:
    words = ["alpha", "beta", "gamma", "delta"]
    pages = [
        [
            f"Article {n}",
            "Acme Confidential",
            *(f"{word} {count}." for count in ("one", "two", "three")),
            "Acme Confidential",
            f"Page {n}",
        ]
        for n, word in enumerate(words, 1)
    ]
    pages[1].insert(3, "Acme Confidential")  # the same words in the body stay
    cleaned, removed = strip_page_furniture(pages)
    assert cleaned[0] == ["Article 1", "alpha one.", "alpha two.", "alpha three."]
    assert cleaned[1].count("Acme Confidential") == 1
    assert removed == 4 * 3


def test_short_documents_keep_repeated_lines() -> None:
    pages = [["Acme", "Body one."], ["Acme", "Body two."]]
    assert strip_page_furniture(pages)[0] == pages


def test_paragraphs_and_unnumbered_headings_without_blank_lines(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 10, "Acceptable Use", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for text in (
        "You agree to use the service only for lawful purposes and in accordance with these "
        "terms and any guidance we publish from time to time. You are responsible for content.",
        "We may review content to check that it complies with these terms, but we are not "
        "obliged to do so and we do not endorse content that users submit to the service.",
    ):
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 10, "Payment Terms", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Fees are payable monthly in advance.", new_x="LMARGIN", new_y="NEXT")
    document = read_document(write_pdf(pdf, tmp_path / "plain.pdf"))
    check_invariants(document)
    assert [(b.kind, b.text[:20].strip()) for b in document.blocks] == [
        (BlockKind.HEADING, "Acceptable Use"),
        (BlockKind.PARAGRAPH, "You agree to use the"),
        (BlockKind.PARAGRAPH, "We may review conten"),
        (BlockKind.HEADING, "Payment Terms"),
        (BlockKind.PARAGRAPH, "Fees are payable mon"),
    ]
