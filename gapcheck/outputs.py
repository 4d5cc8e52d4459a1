"""Writing reports safely: atomically, never over an input, with clear errors.

A report is written to a temporary file in the destination folder and renamed into
place, so an interrupted run leaves either the previous report or the new one, never
half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gapcheck.errors import OutputError, UsageError


def check_output_path(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that would overwrite an input or land in a missing folder."""
    target = output.resolve()
    for source in inputs:
        if source.exists() and source.resolve() == target:
            raise UsageError(f"{output}: output path is one of the inputs; choose another name")
    if target.is_dir():
        raise OutputError(f"{output}: is a directory; give a file name for the report")
    if not target.parent.is_dir():
        raise OutputError(f"{output}: output folder {output.parent} does not exist")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise OutputError(f"{path}: output folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write to {folder} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write report ({error.strerror})") from None
        raise
