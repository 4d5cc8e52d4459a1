"""Writing reports safely: atomically, never over an input, with clear errors.

A report is written to a temporary file in the destination folder and renamed into
place, so an interrupted run leaves either the previous report or the new one, never
half of one. Ctrl-C and SIGTERM remove the temporary file on the way out; SIGKILL
cannot be caught, so a run killed in the middle of a write may leave its hidden
temporary file behind, and the next write of the same report removes it (temporary
names carry the writer's process id, so a live concurrent writer's file is kept).
"""

from __future__ import annotations

import contextlib
import os
import re
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
    remove_stale_temporaries(folder, path.name)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder
        )
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


def remove_stale_temporaries(folder: Path, name: str) -> list[Path]:
    """Delete temporary files of report ``name`` left by writers that no longer run.

    Returns the files removed. Only names of the exact form ``.NAME.PID.XXXXXXXX.tmp``
    whose process is gone are touched.
    """
    pattern = re.compile(rf"^\.{re.escape(name)}\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or _is_running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _is_running(pid: int) -> bool:
    """True when a process with this id exists (ours included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process; leave its file alone
    return True
