"""Ctrl-C at the edges of a run: while the command line loads, while a report prints."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

import pytest

from gapcheck.commands import print_report
from gapcheck.console import main
from gapcheck.errors import ExitCode, InterruptedOutput


class _InterruptedImport(importlib.abc.MetaPathFinder):
    """Behaves as if Ctrl-C arrived while ``gapcheck.cli`` was being imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname == "gapcheck.cli":
            raise KeyboardInterrupt
        return None


def test_ctrl_c_while_loading_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "gapcheck.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_InterruptedImport(), *sys.meta_path])
    with pytest.raises(SystemExit) as exited:
        try:
            main()
        except KeyboardInterrupt:
            pytest.fail("the interrupt escaped the console script (a traceback for the user)")
    assert exited.value.code == ExitCode.INTERRUPTED
    err = capsys.readouterr().err
    assert err == "gapcheck: error: interrupted before starting\n"


class _StalledStdout:
    """A stdout whose reader stalls until the user presses Ctrl-C mid-write."""

    class _Buffer:
        def write(self, data: bytes) -> int:
            raise KeyboardInterrupt

    buffer = _Buffer()

    def flush(self) -> None:
        pass


def test_ctrl_c_while_printing_a_report_says_the_output_is_incomplete(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", _StalledStdout())
    with pytest.raises(InterruptedOutput, match="output on stdout is incomplete") as raised:
        print_report(b'{"findings": []}')
    assert raised.value.exit_code == ExitCode.INTERRUPTED
