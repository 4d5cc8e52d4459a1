"""Read a file from disk, detect its format and hand it to the reader for that format.

This is the only ingest module that touches the file system, so the checks a user
needs explained (missing file, a folder, no permission, empty) live in one place and
every reader can work on bytes already in memory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import stat
from pathlib import Path

from gapcheck.errors import InputError
from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.ingest.docx_reader import read_docx
from gapcheck.ingest.failures import describe
from gapcheck.ingest.filetype import decode_text, detect_format
from gapcheck.ingest.html_reader import read_html
from gapcheck.ingest.language import language_warning
from gapcheck.ingest.pdf_reader import read_pdf
from gapcheck.ingest.text_reader import read_markdown, read_plain_text
from gapcheck.limits import DEFAULT_LIMITS, Limits
from gapcheck.model import Document

SUPPORTED_FORMATS: tuple[str, ...] = ("docx", "pdf", "html", "markdown", "text")
"""Values of ``Document.format``, in the order they are documented."""


def read_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read ``path`` into a :class:`~gapcheck.model.Document` made of blocks.

    The format is detected from the content (the extension only separates Markdown
    from plain text), and ``sha256`` fingerprints the exact bytes read. ``limits``
    bound the file size, unpacked size, pages and clauses (see :mod:`gapcheck.limits`).

    Raises:
        InputError: the file cannot be read, holds no text or exceeds a limit; the
            message names the file and says what is wrong in one line.
    """
    path = Path(path)  # tolerate a str from callers that skipped the conversion
    data = _read_bytes(path, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    fmt = "text"
    builder = DocumentBuilder(lambda count: limits.check_clauses(path, count, at_least=True))
    try:
        fmt = detect_format(path, data)
        warnings = _extract(path, fmt, data, builder, limits)
    except InputError:
        raise
    except RecursionError as error:
        raise InputError(f"{path}: structure nested too deeply to read") from error
    except Exception as error:  # a reader or library bug must still reach the user as one line
        raise InputError(
            f"{path}: could not be read as {_describe(fmt)} ({describe(error)})"
        ) from error
    document = builder.build(path, fmt, sha256, warnings)
    if not document.blocks:
        raise InputError(f"{path}: no text found in this {_describe(fmt)} file")
    language = language_warning(document.text)
    if language is not None:
        document = dataclasses.replace(document, warnings=(*document.warnings, language))
    return document


def _extract(
    path: Path, fmt: str, data: bytes, builder: DocumentBuilder, limits: Limits
) -> list[str]:
    """Run the reader for ``fmt``; return its warnings."""
    if fmt == "docx":
        return read_docx(path, data, builder, limits)
    if fmt == "pdf":
        return read_pdf(path, data, builder, limits)
    text, warnings = decode_text(path, data)
    if fmt == "html":
        return warnings + read_html(text, builder)
    if fmt == "markdown":
        return warnings + read_markdown(text, builder)
    return warnings + read_plain_text(text, builder)


def _describe(fmt: str) -> str:
    return {"docx": "DOCX", "pdf": "PDF", "html": "HTML", "markdown": "Markdown"}.get(fmt, fmt)


def _read_bytes(path: Path, limits: Limits) -> bytes:
    """Return the file's bytes, turning every file-system failure into an InputError."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file")
    limits.check_file_size(path, info.st_size)
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not data:
        raise InputError(f"{path}: file is empty")
    return data
