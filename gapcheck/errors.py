"""The errors gapcheck reports to a user, each tied to a documented exit code.

Library code raises these with a one-line message that names the file and what is
wrong; the CLI prints the message and exits with the error's code, never a traceback
(unless ``--debug``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README and in ``gapcheck --help``."""

    OK = 0
    GAPS_FOUND = 1
    USAGE = 2
    INPUT = 3
    CATALOG = 4
    MODEL = 5
    OUTPUT = 6
    INTERNAL = 70
    INTERRUPTED = 130


class GapcheckError(Exception):
    """Base for every error meant for the user rather than for a developer."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(GapcheckError):
    """The command line asks for something impossible (e.g. output equal to an input)."""

    exit_code = ExitCode.USAGE


class InputError(GapcheckError):
    """An input document cannot be read, or has no text gapcheck can analyse."""

    exit_code = ExitCode.INPUT


class CatalogError(GapcheckError):
    """A catalog or profile file is missing, malformed or fails validation."""

    exit_code = ExitCode.CATALOG


class ModelError(GapcheckError):
    """The sentence-transformers model cannot be found or loaded."""

    exit_code = ExitCode.MODEL


class OutputError(GapcheckError):
    """A report cannot be written (missing folder, no permission, template error)."""

    exit_code = ExitCode.OUTPUT


class InterruptedOutput(GapcheckError):
    """Ctrl-C while a report was being printed: what was printed is incomplete.

    A report file is written atomically and never left half-written, but bytes already
    sent to stdout cannot be taken back, so the message must say so.
    """

    exit_code = ExitCode.INTERRUPTED
