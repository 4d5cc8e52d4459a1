"""Progress messages on stderr while the model loads and texts are encoded.

Progress is for a person watching a terminal: it is silent with ``--quiet`` and when
stderr is not a terminal (CI logs, pipes), and it never writes to stdout, which may
carry a JSON report.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints stage messages and a one-line counter to a stream, or nothing at all."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self._stream = stream or sys.stderr
        self._started = time.monotonic()
        self._counter_open = False

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        """Enabled only when not quiet and stderr is an interactive terminal."""
        return cls(enabled=not quiet and sys.stderr.isatty())

    def stage(self, message: str) -> None:
        """Announce a stage ("loading model", "encoding 812 clauses")."""
        if not self.enabled:
            return
        self._end_counter()
        elapsed = time.monotonic() - self._started
        self._stream.write(f"gapcheck [{elapsed:5.1f}s] {message}\n")
        self._stream.flush()

    def count(self, done: int, total: int, label: str) -> None:
        """Redraw a progress bar in place (batch: operators done out of total)."""
        if not self.enabled:
            return
        width = 24
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self._stream.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}")
        self._stream.flush()
        self._counter_open = True
        if done >= total:
            self._end_counter()

    def _end_counter(self) -> None:
        if self._counter_open:
            self._stream.write("\n")
            self._counter_open = False
