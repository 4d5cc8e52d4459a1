"""The README's worked example: a firm catalog and a product profile on the sample terms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import PROJECT_ROOT

from gapcheck.cli import cli

pytestmark = pytest.mark.model

EXAMPLES = PROJECT_ROOT / "examples"


def test_firm_catalog_and_profile_shape_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(EXAMPLES / "brightdesk_terms.docx"),
            str(EXAMPLES / "brightdesk_aup.md"),
            "--catalog",
            str(EXAMPLES / "firm" / "harbor-legal.yaml"),
            "--profile",
            str(EXAMPLES / "firm" / "brightdesk-profile.yaml"),
            "-o",
            str(out),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {c["id"] for c in report["catalogs"]} == {"openai", "anthropic", "harbor-legal"}
    findings = {f["obligation_id"]: f for f in report["findings"]}
    assert "HARBOR-AI-COMPLAINTS" in findings
    assert findings["OPENAI-MIN-AGE"]["severity"] == "critical"  # the firm's override
    assert "OPENAI-POLITICAL-ELECTIONS" not in findings  # disabled by the firm
    switched_off = [f for f in findings.values() if f["status"] == "not_applicable"]
    assert switched_off
    for finding in switched_off:
        assert finding["applies_when"]
        assert "brightdesk-profile.yaml" in finding["explanation"]["notes"][0]
    minors = [f for f in switched_off if "serves-minors" in f["applies_when"]]
    assert minors and "serves_minors is false" in minors[0]["explanation"]["notes"][0]
