"""The ``gapcheck`` console script: load the command line under a Ctrl-C guard, then run it.

Loading the command line takes a moment (click, the YAML, PDF and Word readers). A
Ctrl-C in that moment would print a Python traceback, where every later interruption
gets one line and exit code 130; nothing has been read or written yet, so the same line
is all there is to say.
"""

from __future__ import annotations

import sys

from gapcheck.errors import ExitCode


def main() -> None:
    """Console-script entry point (``gapcheck`` and ``python -m gapcheck``)."""
    try:
        from gapcheck.cli import main as run_command_line
    except KeyboardInterrupt:
        print("gapcheck: error: interrupted before starting", file=sys.stderr)
        sys.exit(ExitCode.INTERRUPTED)
    run_command_line()
