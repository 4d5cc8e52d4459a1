"""Make ``kill`` (SIGTERM) stop gapcheck the way Ctrl-C does.

Python turns Ctrl-C into ``KeyboardInterrupt``, which unwinds the stack: a report being
written loses its temporary file and the previous report stays in place. SIGTERM, the
default of ``kill``, timeouts and container stops, would instead end the process on the
spot and leave the temporary file behind. Raising ``KeyboardInterrupt`` from a SIGTERM
handler gives both signals the same clean exit (code 130, one line).
"""

from __future__ import annotations

import signal
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def terminate_like_interrupt() -> None:
    """Install the SIGTERM handler (call once, from the main thread, before any work)."""
    signal.signal(signal.SIGTERM, _interrupt)
