"""Describe a third-party library's exception in a few words for an :class:`InputError`.

python-docx, pypdf and zipfile raise dozens of exception types with multi-line
messages; users need one short line saying what the library tripped over.
"""

from __future__ import annotations


def describe(error: BaseException, limit: int = 160) -> str:
    """``"TypeName: first line of the message"``, cut to ``limit`` characters."""
    lines = str(error).strip().splitlines()
    detail = lines[0].strip()[:limit] if lines else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__
