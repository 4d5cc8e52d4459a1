"""Decide what kind of document a file really is, and decode text files.

Users rename files, save Word documents as ``.txt`` and download HTML as ``.md``; the
extension is therefore only a tie-breaker (Markdown versus plain text) and the bytes
decide. Unsupported binary input is rejected here with a message the user can act on,
before a parser produces an obscure error.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

from gapcheck.errors import InputError

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
"""Extensions that make a text file Markdown rather than plain text."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Start of an OLE compound file: legacy .doc, or an encrypted .docx."""

OLE_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
"""Name of the stream Office writes into the OLE wrapper of a password-protected file."""

_SNIFF_BYTES = 8192
_STRONG_HTML = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]")
_COMMON_TAG = re.compile(
    r"<(p|div|h[1-6]|ul|ol|li|table|tr|td|span|a|br|meta|title|section|article|strong|em)[\s>/]"
)


def detect_format(path: Path, data: bytes) -> str:
    """Return ``"docx"``, ``"pdf"``, ``"html"``, ``"markdown"`` or ``"text"`` for ``data``.

    Raises:
        InputError: the bytes are another binary format (legacy .doc, a non-Word ZIP,
            an image...) that gapcheck cannot read.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _detect_zip(path, data)
    if data.startswith(OLE_MAGIC):
        if OLE_ENCRYPTION_STREAM in data:
            return "docx"  # the DOCX reader reports it as password-protected
        raise InputError(
            f"{path}: a legacy Office file (.doc/.xls/.ppt); save it as .docx and try again"
        )
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-") or (b"%PDF-" in head and path.suffix.lower() == ".pdf"):
        return "pdf"
    text, _ = decode_text(path, data[:_SNIFF_BYTES], sample=True)
    if looks_like_html(text, path):
        return "html"
    return "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text"


def _detect_zip(path: Path, data: bytes) -> str:
    """A ZIP is a DOCX when it holds ``word/document.xml``; a damaged one is assumed DOCX."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # zipfile raises several types for damaged archives
        return "docx"  # truncated archive: the DOCX reader says it is corrupt
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("word/") for name in names):
        return "docx"  # a damaged DOCX missing its main part; the reader explains
    raise InputError(f"{path}: a ZIP archive but not a Word document (.docx)")


def looks_like_html(text: str, path: Path) -> bool:
    """True when the start of ``text`` is HTML markup rather than prose or Markdown.

    Markdown may embed a few tags (``<br>`` in tables), so for ``.md`` files only the
    unambiguous markers (doctype, ``<html>``, ``<body>``, ``<head>``) count.
    """
    start = text[:2048].lower()
    if _STRONG_HTML.search(start[:1024]):
        return True
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return False
    tags = {match.group(1) for match in _COMMON_TAG.finditer(start)}
    if suffix in {".html", ".htm", ".xhtml"}:
        return bool(tags)
    return start.lstrip().startswith("<") and len(tags) >= 3


def decode_text(path: Path, data: bytes, *, sample: bool = False) -> tuple[str, list[str]]:
    """Decode a text file; return the text (with ``LF`` newlines) and warnings.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded as such; anything
    else is taken as Windows-1252 (Latin-1 where 1252 has holes) with a warning, because
    that is what legacy Windows tools write. ``sample`` relaxes the checks for a prefix
    that may end inside a multi-byte character.

    Raises:
        InputError: the bytes look binary (many NUL or control bytes).
    """
    warnings: list[str] = []
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(codec, errors="replace")
            if not sample and "\ufffd" in text and "\ufffd" not in body.decode(codec, "ignore"):
                warnings.append(f"invalid {codec.upper()} byte sequences replaced")
            return _normalise_newlines(text), warnings
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        warnings.append(f"no byte-order mark; decoded as {utf16.upper()}")
        return _normalise_newlines(data.decode(utf16, errors="replace")), warnings
    if _is_binary(data):
        raise InputError(f"{path}: not a supported document (binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if sample and error.start >= len(data) - 3:
            text = data[: error.start].decode("utf-8")
        else:
            try:
                text = data.decode("cp1252")
                warnings.append("not valid UTF-8; decoded as Windows-1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                warnings.append("not valid UTF-8; decoded as Latin-1")
    return _normalise_newlines(text), warnings


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 text by its NULs all falling on even or odd bytes."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 8 or sample.count(0) < len(sample) // 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd_nuls >= pairs * 0.6 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= pairs * 0.6 and odd_nuls == 0:
        return "utf-16-be"
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")


def _is_binary(data: bytes) -> bool:
    """More than 1% of the first bytes are NUL or control bytes that text never contains."""
    sample = data[:_SNIFF_BYTES]
    suspicious = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return suspicious > max(1, len(sample) // 100)
