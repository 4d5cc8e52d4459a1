"""Read a PDF's text layer into blocks, page by page, with the page each block starts on.

A PDF holds positioned glyphs, not paragraphs: pypdf gives the text of each page as
lines, :mod:`page_furniture` removes what repeats on every page and
:mod:`paragraphs` rebuilds headings, items and paragraphs from the lines.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf

from gapcheck.errors import InputError
from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.ingest.failures import describe
from gapcheck.ingest.page_furniture import strip_page_furniture
from gapcheck.ingest.paragraphs import Line, ParagraphRebuilder
from gapcheck.limits import Limits

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)


class _Collect(logging.Handler):
    """Keeps pypdf's complaints about a damaged file so they become one warning."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _pypdf_log() -> Iterator[_Collect]:
    """Route pypdf's warnings to a collector instead of the user's terminal."""
    logger = logging.getLogger("pypdf")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def read_pdf(path: Path, data: bytes, builder: DocumentBuilder, limits: Limits) -> list[str]:
    """Add the blocks of the PDF in ``data`` to ``builder``; return warnings.

    Raises:
        InputError: the PDF is damaged, password-protected, has no text layer or more
            pages than ``limits`` allow.
    """
    with _pypdf_log() as log:
        page_texts, failures = _extract_pages(path, data, limits)
    damage = " ".join(log.messages[0].split())[:120] if log.messages else ""
    if not any(text.strip() for text in page_texts):
        if failures and len(failures) == len(page_texts):
            raise InputError(f"{path}: corrupt PDF; no page could be read ({failures[0][1]})")
        if damage:
            raise InputError(
                f"{path}: no text could be extracted; the PDF is damaged ({damage})"
                " or scanned (run OCR first)"
            )
        raise InputError(f"{path}: no text layer (scanned?); run OCR first")
    warnings: list[str] = []
    if damage:
        warnings.append(
            f"damaged PDF structure; {len(log.messages)} problem(s) repaired while reading"
            f" (first: {damage})"
        )
    if failures:
        warnings.append(
            f"text could not be extracted from page(s) {_page_list(n for n, _ in failures)}"
            f" ({failures[0][1]})"
        )
    failed = {number for number, _ in failures}
    empty = [
        number
        for number, text in enumerate(page_texts, 1)
        if not text.strip() and number not in failed
    ]
    if empty:
        warnings.append(
            f"no text on page(s) {_page_list(empty)} (scanned images?); their content is missing"
        )
    pages = [text.translate(_LIGATURES).split("\n") for text in page_texts]
    pages, _ = strip_page_furniture(pages)
    lines = [Line(line, number) for number, page in enumerate(pages, 1) for line in page]
    ParagraphRebuilder(builder, wrapped=True, dehyphenate=True).add_lines(lines)
    return warnings


def _page_list(numbers: Iterable[int]) -> str:
    """``1, 2, 5`` for a warning; long lists are cut after ten pages."""
    shown = [str(number) for number in numbers]
    return ", ".join(shown[:10]) + (", ..." if len(shown) > 10 else "")


def _extract_pages(
    path: Path, data: bytes, limits: Limits
) -> tuple[list[str], list[tuple[int, str]]]:
    """The text of every page, and (page, reason) for pages whose text could not be read.

    Raises:
        InputError: the file is damaged beyond reading its pages, locked, or has more
            pages than ``limits.max_pages`` (checked before any text is extracted).
    """
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many types for damaged files
        raise InputError(f"{path}: corrupt or truncated PDF ({describe(error)})") from error
    if encrypted:
        try:
            unlocked = reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
        except Exception as error:
            raise InputError(
                f"{path}: encrypted in a way gapcheck cannot open ({describe(error)})"
            ) from error
        if not unlocked:
            raise InputError(f"{path}: password-protected; remove the password and try again")
    try:
        pages = list(reader.pages)
    except Exception as error:
        raise InputError(f"{path}: corrupt or truncated PDF ({describe(error)})") from error
    limits.check_pages(path, len(pages))
    if not pages:
        raise InputError(f"{path}: the PDF has no pages")
    texts: list[str] = []
    failures: list[tuple[int, str]] = []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as error:  # one damaged page should not lose the others
            failures.append((number, describe(error)))
            texts.append("")
    return texts, failures
