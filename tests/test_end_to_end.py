"""End to end on real policy sets: findings checked against clauses located by hand.

Midjourney (../shared/data/operator_terms/midjourney, read by hand for these checks):
  * terms_of_service.md, "You confirm that You are at least 13 years old ..." -> minimum age;
  * terms_of_service.md 9(4) and community_guidelines.md: no images "for political
    campaigns" -> political use;
  * community_guidelines.md: no content that "sexualizes children or minors" -> CSAM;
  * terms_of_service.md: "You may not reverse engineer the Services" -> reverse engineering;
  * no document mentions OpenAI or its usage policies, nor tells users they are talking
    to an AI -> the pass-through and AI-disclosure obligations are not covered.
BrightDesk (examples/, written to a designed coverage listed in examples/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import PROJECT_ROOT, shared_data

from gapcheck.cli import cli


def _analyze_json(paths: list[Path], tmp_path: Path, *options: str) -> dict[str, dict[str, object]]:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli, ["analyze", *map(str, paths), "-o", str(out), "--quiet", *options]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    return {finding["obligation_id"]: finding for finding in report["findings"]}


def _cites(finding: dict[str, object], document: str, fragment: str) -> bool:
    evidence = finding["evidence"]
    assert isinstance(evidence, list)
    return any(e["document"] == document and fragment in e["text"] for e in evidence)


@pytest.mark.model
def test_midjourney_hand_checked_findings(tmp_path: Path) -> None:
    folder = shared_data("operator_terms", "midjourney")
    # The January 2025 OpenAI policy still had the AI-interaction disclosure rule.
    findings = _analyze_json(
        sorted(folder.iterdir()), tmp_path, "--policy-version", "openai=2025-03-01"
    )

    assert findings["OPENAI-MIN-AGE"]["status"] == "covered"
    assert _cites(findings["OPENAI-MIN-AGE"], "terms_of_service.md", "at least 13 years old")
    political = findings["OPENAI-POLITICAL-ELECTIONS"]
    assert political["status"] == "covered"
    assert _cites(political, "terms_of_service.md", "political campaigns") or _cites(
        political, "community_guidelines.md", "political campaigns"
    )
    assert _cites(
        findings["OPENAI-CSAM-AND-MINORS"], "community_guidelines.md", "sexualizes children"
    )
    assert _cites(
        findings["OPENAI-REVERSE-ENGINEERING-SCRAPING"], "terms_of_service.md", "reverse engineer"
    )
    for obligation_id in ("OPENAI-USAGE-POLICY-PASSTHROUGH", "OPENAI-AI-INTERACTION-DISCLOSURE"):
        assert findings[obligation_id]["status"] != "covered", obligation_id


@pytest.mark.model
def test_brightdesk_sample_designed_coverage(tmp_path: Path) -> None:
    examples = PROJECT_ROOT / "examples"
    findings = _analyze_json(
        [examples / "brightdesk_terms.docx", examples / "brightdesk_aup.md"], tmp_path
    )
    # Covered on purpose, and cited where the sample says (examples/README.md).
    assert findings["OPENAI-USAGE-POLICY-PASSTHROUGH"]["status"] == "covered"
    assert _cites(
        findings["OPENAI-USAGE-POLICY-PASSTHROUGH"],
        "brightdesk_terms.docx",
        "OpenAI Usage Policies",
    )
    min_age = findings["OPENAI-MIN-AGE"]
    assert min_age["status"] == "covered"
    assert any(e["section"] in {"3.1", "3.2", "3.3"} for e in min_age["evidence"])  # type: ignore[index, union-attr]
    assert findings["OPENAI-PROFESSIONAL-ADVICE"]["status"] == "covered"
    assert _cites(
        findings["OPENAI-PROFESSIONAL-ADVICE"], "brightdesk_terms.docx", "not legal, medical"
    )
    # Missing on purpose: never reported covered (the catch-all "unlawful purpose" item
    # may make a prohibited-use obligation partial, never covered).
    for obligation_id in (
        "OPENAI-POLITICAL-ELECTIONS",
        "OPENAI-PRIVACY-SURVEILLANCE-BIOMETRICS",
        "OPENAI-HIGH-STAKES-HUMAN-REVIEW",
        "OPENAI-LIKENESS-NCII",
    ):
        assert findings[obligation_id]["status"] != "covered", obligation_id
    # Evidence is copied from the input, never paraphrased.
    aup_text = (examples / "brightdesk_aup.md").read_text(encoding="utf-8")
    for finding in findings.values():
        for evidence in finding["evidence"]:  # type: ignore[union-attr]
            if evidence["document"] == "brightdesk_aup.md":
                words = evidence["text"].split()[:6]
                assert all(word.strip("*_`") in aup_text for word in words)
