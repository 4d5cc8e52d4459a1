"""Ingest: turn a DOCX, PDF, HTML, Markdown or text file into a :class:`Document` of blocks.

Other stages depend only on :func:`read_document` and :data:`SUPPORTED_FORMATS`; the
per-format readers behind them are implementation details.
"""

from __future__ import annotations

from gapcheck.ingest.dispatch import SUPPORTED_FORMATS, read_document

__all__ = ["SUPPORTED_FORMATS", "read_document"]
