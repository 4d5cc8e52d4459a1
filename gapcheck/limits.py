"""How much one input may cost: file size, unpacked size, pages and clauses.

Terms of service are kilobytes to a few megabytes, a few dozen pages and a few hundred
clauses. Inputs far beyond that are mistakes (a scanned archive, a log file) or hostile
(a zip bomb, a PDF with a million pages); without limits they would exhaust memory or
run for hours before failing. Each limit is checked as early as the input allows (size
before reading, unpacked size before unzipping, pages before extracting text, clauses
while blocks are collected) and exceeding one is an :class:`~gapcheck.errors.InputError`
naming the file, the measured size and the option that raises the limit.

The defaults are about ten times the largest real policy set we have seen, and keep the
peak memory of the largest allowed input near 1 GB (see ``benchmarks/hostile_limits.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gapcheck.errors import InputError, UsageError

MIB = 1024 * 1024

DEFAULT_MAX_FILE_MB = 50
"""Largest input file read at all (``--max-file-mb``)."""

DEFAULT_MAX_UNPACKED_MB = 100
"""Largest total size of a DOCX's parts once decompressed (``--max-unpacked-mb``)."""

DEFAULT_MAX_PAGES = 2000
"""Most PDF pages whose text is extracted (``--max-pages``)."""

DEFAULT_MAX_CLAUSES = 20000
"""Most clauses in one policy set, all its documents together (``--max-clauses``)."""


@dataclass(frozen=True)
class Limits:
    """The limits of one run; every reader and the pipeline check the one that applies."""

    max_file_bytes: int = DEFAULT_MAX_FILE_MB * MIB
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_MB * MIB
    max_pages: int = DEFAULT_MAX_PAGES
    max_clauses: int = DEFAULT_MAX_CLAUSES

    @classmethod
    def from_options(
        cls,
        *,
        max_file_mb: float = DEFAULT_MAX_FILE_MB,
        max_unpacked_mb: float = DEFAULT_MAX_UNPACKED_MB,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_clauses: int = DEFAULT_MAX_CLAUSES,
    ) -> Limits:
        """Limits from the command-line values (sizes in MiB).

        Raises:
            UsageError: a limit is zero or negative, which would refuse every input.
        """
        values = {
            "--max-file-mb": max_file_mb,
            "--max-unpacked-mb": max_unpacked_mb,
            "--max-pages": max_pages,
            "--max-clauses": max_clauses,
        }
        for option, value in values.items():
            if value <= 0:
                raise UsageError(f"{option} {value}: must be greater than zero")
        return cls(
            max_file_bytes=int(max_file_mb * MIB),
            max_unpacked_bytes=int(max_unpacked_mb * MIB),
            max_pages=max_pages,
            max_clauses=max_clauses,
        )

    def check_file_size(self, path: Path, size: int) -> None:
        """Refuse a file larger than ``max_file_bytes`` before reading it."""
        if size > self.max_file_bytes:
            raise InputError(
                f"{path}: file is too large ({_size(size)}; the limit is "
                f"{_size(self.max_file_bytes)}, see --max-file-mb)"
            )

    def check_unpacked_size(self, path: Path, size: int) -> None:
        """Refuse an archive whose parts would inflate beyond ``max_unpacked_bytes``."""
        if size > self.max_unpacked_bytes:
            raise InputError(
                f"{path}: DOCX is too large when unpacked ({_size(size)}; the limit is "
                f"{_size(self.max_unpacked_bytes)}, see --max-unpacked-mb)"
            )

    def check_pages(self, path: Path, pages: int) -> None:
        """Refuse a PDF with more than ``max_pages`` pages before extracting any text."""
        if pages > self.max_pages:
            raise InputError(
                f"{path}: too many pages ({pages:,}; the limit is {self.max_pages:,}, "
                "see --max-pages)"
            )

    def check_clauses(self, path: Path, clauses: int, *, at_least: bool = False) -> None:
        """Refuse a policy set whose clauses (counted up to ``path``) exceed ``max_clauses``.

        ``at_least`` marks a lower bound taken while reading (every non-heading block is
        at least one clause), which stops a huge file before it is segmented.
        """
        if clauses > self.max_clauses:
            count = f"more than {self.max_clauses:,}" if at_least else f"{clauses:,}"
            raise InputError(
                f"{path}: too many clauses ({count}; the limit is {self.max_clauses:,} "
                "per policy set, see --max-clauses)"
            )

    def check_policy_set(self, counts: Iterable[tuple[Path, int]]) -> None:
        """Refuse a policy set whose documents together exceed ``max_clauses`` clauses.

        ``counts`` holds (document, clauses) in reading order; the error names the
        document at which the running total passes the limit.
        """
        total = 0
        for path, clauses in counts:
            total += clauses
            self.check_clauses(path, total)


def _size(size: float) -> str:
    """A size for a message: one decimal, so 100.2 MiB is not shown as the limit 100 MiB."""
    if size < MIB:
        return f"{size / 1024:.1f} KiB"
    return f"{size / MIB:.1f} MiB".replace(".0 MiB", " MiB")


DEFAULT_LIMITS = Limits()
"""The limits used when no option changes them."""
