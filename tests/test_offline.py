"""Offline (issue 6, point 5): analyze succeeds with every network path closed.

Terms of service under review are often confidential, and gapcheck promises that
nothing leaves the machine. A child process runs the real CLI with sockets patched to
fail (any attempt is also written to stderr, so a library that swallows the error is
still caught) and with the Hugging Face offline switches set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.errors import ExitCode

NO_NETWORK = """
import socket, sys

def refuse(*args, **kwargs):
    sys.stderr.write(f"NETWORK ATTEMPT {args[1:2] or args[:1]}\\n")
    sys.stderr.flush()
    raise OSError("network access is disabled in this test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from gapcheck.cli import main
sys.argv = ["gapcheck", *sys.argv[1:]]
main()
"""


@pytest.mark.model
def test_analyze_works_without_network(tmp_path: Path) -> None:
    terms = tmp_path / "terms.md"
    terms.write_text(
        "# Terms\n\n1. You must be at least 18 years old to use the Service.\n\n"
        "2. You must comply with the OpenAI Usage Policies.\n",
        encoding="utf-8",
    )
    script = tmp_path / "offline_gapcheck.py"
    script.write_text(NO_NETWORK, encoding="utf-8")
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
    }
    result = subprocess.run(
        [
            *(sys.executable, str(script), "analyze", str(terms)),
            *("--vendor", "openai", "--format", "json", "-q"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert "NETWORK ATTEMPT" not in result.stderr
    report = json.loads(result.stdout)
    assert report["documents"][0]["format"] == "markdown" and report["findings"]
