"""Nothing lost (issue 6, point 4): interrupted runs with real processes and real signals.

``python -m gapcheck`` runs in a child process whose ``os.fsync`` (called once the
report's bytes are in the temporary file, before the rename) or whose catalog embedding
(the middle of the analysis) announce themselves on stderr and then wait. The test
sends SIGINT (Ctrl-C), SIGTERM (``kill``) or SIGKILL at exactly that moment and checks
that the previous report is byte-identical and nothing partial is left: Ctrl-C and
SIGTERM clean up and exit 130 with one line; SIGKILL cannot be caught, so its hidden
temporary file is removed by the next write of the same report.
"""

from __future__ import annotations

import csv
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gapcheck.cli import cli
from gapcheck.errors import ExitCode
from gapcheck.outputs import remove_stale_temporaries

TERMS = (
    "1. Eligibility\n\n1.1 You must be at least 18 years old to use the Service.\n\n"
    "2. Acceptable use\n\nYou must not use the Service to create malware or harass people.\n"
)
PREVIOUS = b'{"previous": "report", "must": "survive"}\n'

# Runs the real CLI after making one step announce itself and wait to be killed.
WRAPPER = """
import os, signal, sys, time
# A shell starts background jobs with SIGINT ignored, and the child would inherit that
# (CI runners may run us so); Ctrl-C in a terminal reaches a process with the default
# handler, which is what this test simulates.
signal.signal(signal.SIGINT, signal.default_int_handler)
pause_at, match = os.environ["PAUSE_AT"], os.environ.get("PAUSE_MATCH", "")

def announce_and_wait(label):
    sys.stderr.write(f"PAUSED {label}\\n")
    sys.stderr.flush()
    time.sleep(120)

if pause_at == "write":
    real_fsync = os.fsync
    def fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        if match in os.path.basename(name):
            announce_and_wait(name)
        return real_fsync(fd)
    os.fsync = fsync
else:
    import gapcheck.pipeline as pipeline
    real_index = pipeline.Analyzer.catalog_index
    def catalog_index(self):
        announce_and_wait("analysis")
        return real_index(self)
    pipeline.Analyzer.catalog_index = catalog_index

from gapcheck.cli import main
sys.argv = ["gapcheck", *sys.argv[1:]]
main()
"""


class Child:
    """A gapcheck process paused at a known step; its stderr is read in a thread."""

    def __init__(
        self, tmp_path: Path, pause_at: str, arguments: list[str], match: str = ""
    ) -> None:
        script = tmp_path / "paused_gapcheck.py"
        script.write_text(WRAPPER, encoding="utf-8")
        env = {**os.environ, "PAUSE_AT": pause_at, "PAUSE_MATCH": match, "HF_HUB_OFFLINE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(script), *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)
            self.lines.put(line)

    def wait_until_paused(self, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith("PAUSED "):
                return line.removeprefix("PAUSED ").strip()
        self.process.kill()
        raise AssertionError(f"child never paused: {''.join(self.stderr)}")

    def stop(self, signum: int) -> tuple[int, list[str]]:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=240)
        time.sleep(0.2)  # let the reader thread drain stderr
        messages = [line.strip() for line in self.stderr if not line.startswith("PAUSED ")]
        return code, [line for line in messages if line]


def _temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    terms = tmp_path / "terms.md"
    terms.write_text(TERMS, encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_bytes(PREVIOUS)
    return terms, report


def _analyze_args(terms: Path, report: Path) -> list[str]:
    return ["analyze", str(terms), "-o", str(report), "--vendor", "openai", "-q"]


@pytest.mark.model
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_write_removes_the_temporary_and_keeps_the_report(
    tmp_path: Path, workspace: tuple[Path, Path], signum: int
) -> None:
    terms, report = workspace
    child = Child(tmp_path, "write", _analyze_args(terms, report), match="report.json")
    temporary = Path(child.wait_until_paused())
    assert temporary.parent == tmp_path and temporary.name.startswith(".report.json.")
    assert temporary.exists() and temporary.stat().st_size > 0  # half-way through the write
    assert report.read_bytes() == PREVIOUS

    code, stderr = child.stop(signum)
    assert code == ExitCode.INTERRUPTED
    assert stderr == ["gapcheck: error: interrupted; no partial report was written"]
    assert report.read_bytes() == PREVIOUS
    assert _temporaries(tmp_path) == []


@pytest.mark.model
def test_sigkill_during_write_leaves_the_report_and_the_next_write_cleans_up(
    tmp_path: Path, workspace: tuple[Path, Path], loaded_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms, report = workspace
    child = Child(tmp_path, "write", _analyze_args(terms, report), match="report.json")
    temporary = Path(child.wait_until_paused())
    code, _ = child.stop(signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert report.read_bytes() == PREVIOUS  # never half a report under the real name
    assert _temporaries(tmp_path) == [temporary]  # hidden, and only this one
    assert re.fullmatch(rf"\.report\.json\.{child.process.pid}\.\w+\.tmp", temporary.name)

    monkeypatch.setattr("gapcheck.pipeline.load_model", lambda *args, **kwargs: loaded_model)
    result = CliRunner().invoke(cli, _analyze_args(terms, report))
    assert result.exit_code == ExitCode.OK, result.output
    assert json.loads(report.read_bytes())["operator"] == "terms"
    assert _temporaries(tmp_path) == []


def test_stale_temporaries_of_live_writers_are_kept(tmp_path: Path) -> None:
    mine = tmp_path / f".report.json.{os.getpid()}.abcdefgh.tmp"
    dead = tmp_path / ".report.json.999999999.abcdefgh.tmp"
    other_report = tmp_path / ".summary.csv.999999999.abcdefgh.tmp"
    unrelated = tmp_path / ".report.json.notes.tmp"
    for path in (mine, dead, other_report, unrelated):
        path.write_text("partial")
    assert remove_stale_temporaries(tmp_path, "report.json") == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (mine, other_report, unrelated)
    )


@pytest.mark.model
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_kill_during_analysis_writes_nothing(
    tmp_path: Path, workspace: tuple[Path, Path], signum: int
) -> None:
    terms, report = workspace
    child = Child(tmp_path, "analysis", _analyze_args(terms, report))
    assert child.wait_until_paused() == "analysis"
    code, stderr = child.stop(signum)
    if signum == signal.SIGINT:
        assert code == ExitCode.INTERRUPTED
        assert stderr == ["gapcheck: error: interrupted; no partial report was written"]
    else:
        assert code == -signal.SIGKILL
    assert report.read_bytes() == PREVIOUS
    assert _temporaries(tmp_path) == []


@pytest.fixture
def run_cli(loaded_model: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    monkeypatch.setattr("gapcheck.pipeline.load_model", lambda *args, **kwargs: loaded_model)
    yield lambda *arguments: CliRunner().invoke(cli, list(arguments))


@pytest.mark.model
def test_batch_killed_mid_write_resumes_without_redoing_complete_operators(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    folder = tmp_path / "operators"
    folder.mkdir()
    for name in ("alpha", "beta", "gamma"):
        (folder / f"{name}.md").write_text(TERMS, encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["batch", str(folder), "-o", str(out), "--format", "json", "--vendor", "openai"]
    child = Child(tmp_path, "write", [*arguments, "-q"], match="beta.json")
    child.wait_until_paused()
    code, _ = child.stop(signal.SIGKILL)
    assert code == -signal.SIGKILL
    alpha = (out / "alpha.json").read_bytes()
    assert json.loads(alpha)["operator"] == "alpha"  # complete before the kill
    assert not (out / "beta.json").exists() and not (out / "summary.csv").exists()

    result = run_cli(*arguments, "--resume", "-q")
    assert result.exit_code == ExitCode.OK, result.output
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = {row["operator"]: row["result"] for row in csv.DictReader(handle)}
    assert rows == {"alpha": "skipped (complete)", "beta": "ok", "gamma": "ok"}
    assert (out / "alpha.json").read_bytes() == alpha
    assert json.loads((out / "beta.json").read_bytes())["operator"] == "beta"
    assert _temporaries(out) == []
