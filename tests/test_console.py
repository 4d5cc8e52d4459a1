"""The console script: a Ctrl-C while the command line is still loading."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

import pytest

from gapcheck.console import main
from gapcheck.errors import ExitCode


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
