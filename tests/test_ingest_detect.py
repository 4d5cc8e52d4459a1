"""Format detection from content, file-system errors and the public API surface."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from ingest_fixtures import TermsPdf, check_invariants, docx_bytes, new_docx, write_pdf

import gapcheck.ingest
from gapcheck.errors import ExitCode, InputError
from gapcheck.ingest import SUPPORTED_FORMATS, read_document
from gapcheck.ingest import dispatch as dispatch_module
from gapcheck.ingest.filetype import decode_text, detect_format, looks_like_html
from gapcheck.limits import Limits


def test_public_api() -> None:
    assert gapcheck.ingest.__all__ == ["SUPPORTED_FORMATS", "read_document"]
    assert SUPPORTED_FORMATS == ("docx", "pdf", "html", "markdown", "text")


def _docx_data() -> bytes:
    document = new_docx()
    document.add_paragraph("Word content.")
    return docx_bytes(document)


def _pdf_data(tmp_path: Path) -> bytes:
    pdf = TermsPdf()
    pdf.add_page()
    pdf.para("PDF content.")
    return write_pdf(pdf, tmp_path / "made.pdf").read_bytes()


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("terms.txt", "docx", "docx"),
        ("terms.pdf", "docx", "docx"),
        ("terms", "docx", "docx"),
        ("terms.docx", "pdf", "pdf"),
        ("terms.md", "pdf", "pdf"),
        ("terms.txt", "html", "html"),
        ("terms.md", "html", "html"),
        ("terms.md", "markdown", "markdown"),
        ("terms.markdown", "markdown", "markdown"),
        ("terms.txt", "markdown", "text"),
        ("terms.html", "text", "text"),
        ("terms.docx", "text", "text"),
    ],
)
def test_format_comes_from_content(tmp_path: Path, name: str, kind: str, expected: str) -> None:
    data = {
        "docx": _docx_data,
        "pdf": lambda: _pdf_data(tmp_path),
        "html": lambda: b"<!DOCTYPE html><html><body><p>HTML content.</p></body></html>",
        "markdown": lambda: b"# Heading\n\nMarkdown content.\n",
        "text": lambda: b"Plain content, no markup.\n",
    }[kind]()
    path = tmp_path / name
    path.write_bytes(data)
    document = read_document(path)
    check_invariants(document)
    assert document.format == expected
    assert document.path == path
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert "content" in document.text


def test_markdown_with_some_tags_stays_markdown(tmp_path: Path) -> None:
    path = tmp_path / "table.md"
    path.write_text("| a <br> b | <p>c</p> |\n|---|---|\n| <div>d</div> | e |\n")
    assert read_document(path).format == "markdown"


@pytest.mark.parametrize(
    ("start", "suffix", "expected"),
    [
        ("<!doctype html><p>x</p>", ".txt", True),
        ("<html lang=en>", ".md", True),
        ("<div><p>One</p><ul><li>two</li></ul></div>", ".txt", True),
        ("<p>only one tag</p>", ".txt", False),
        ("<p>only one tag</p>", ".html", True),
        ("Text that mentions <b>bold</b> and <i>it</i> and <p>para</p>", ".txt", False),
        ("Plain words", ".htm", False),
    ],
)
def test_looks_like_html(start: str, suffix: str, expected: bool) -> None:
    assert looks_like_html(start, Path(f"x{suffix}")) is expected


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.docx"
    with pytest.raises(InputError, match=r"nope\.docx: file not found$"):
        read_document(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r": is a directory, not a document$") as caught:
        read_document(tmp_path)
    assert str(tmp_path) in str(caught.value)
    assert caught.value.exit_code is ExitCode.INPUT


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.touch()
    with pytest.raises(InputError, match=r"empty\.pdf: file is empty$"):
        read_document(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match=r"secret\.txt: permission denied$"):
            read_document(path)
    finally:
        path.chmod(0o600)


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe: not a regular file$"):
        read_document(fifo)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 11)
    with pytest.raises(InputError, match=r"big\.txt: file is too large.*--max-file-mb"):
        read_document(path, Limits(max_file_bytes=10))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64 + b"code" * 50,
        bytes(range(32)) * 20,
    ],
)
def test_binary_junk(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"junk\.txt: not a supported document \(binary data\)$"):
        read_document(path)


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "sheet.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match=r"sheet\.docx: a ZIP archive but not a Word document"):
        read_document(path)


def test_utf16_without_bom_is_recognised() -> None:
    text, warnings = decode_text(Path("x.txt"), "Terms in UTF-16.".encode("utf-16-le"))
    assert text == "Terms in UTF-16."
    assert warnings == ["no byte-order mark; decoded as UTF-16-LE"]


def test_newlines_are_normalised() -> None:
    text, warnings = decode_text(Path("x.txt"), b"one\r\ntwo\rthree\n")
    assert (text, warnings) == ("one\ntwo\nthree\n", [])


def test_a_few_control_bytes_are_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "form-feed.txt"
    path.write_bytes(b"Page one text.\x0c\nPage two text with a stray \x07 bell." + b" more" * 50)
    document = read_document(path)
    check_invariants(document)
    assert "Page two text" in document.text


def test_sniffing_is_not_fooled_by_pdf_marker_in_text(tmp_path: Path) -> None:
    assert detect_format(Path("notes.txt"), b"We store files as %PDF-1.7 documents.") == "text"


def test_permission_error_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("text")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(InputError, match=r"locked\.txt: permission denied$"):
        read_document(path)


def test_unexpected_reader_failure_becomes_one_line_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(text: str, builder: object) -> list[str]:
        raise ValueError("parser exploded\nwith a second line")

    monkeypatch.setattr(dispatch_module, "read_html", explode)
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>x</p></body></html>")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: could not be read as HTML (ValueError: parser exploded)"
    assert isinstance(caught.value.__cause__, ValueError)


@pytest.mark.parametrize("target", ["docx.Document", "pypdf.PdfReader"])
def test_keyboard_interrupt_is_not_swallowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    path = tmp_path / "doc.bin"
    path.write_bytes(_docx_data() if target.startswith("docx") else _pdf_data(tmp_path))
    monkeypatch.setattr(target, interrupt)
    with pytest.raises(KeyboardInterrupt):
        read_document(path)
