"""JSON report: documented shape, string enums, verbatim quotes and a lossless round trip."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from report_factory import QUOTE_DISCLOSURE, QUOTE_PROHIBITED, RUN_WARNING, make_report

from gapcheck.errors import InputError, UsageError
from gapcheck.model import Severity, Status
from gapcheck.render import FORMATS, render, render_json, report_from_json

TOP_KEYS = [
    "gapcheck_version",
    "generated_at",
    "operator",
    "documents",
    "catalogs",
    "model",
    "settings",
    "warnings",
    "summary",
    "findings",
    "groups",
]
FINDING_KEYS = [
    "obligation_id",
    "catalog",
    "vendor",
    "title",
    "requirement",
    "severity",
    "category",
    "status",
    "confidence",
    "evidence",
    "elements",
    "remediation",
    "citation",
    "source",
    "severity_reason",
    "canonical",
    "applies_when",
    "minimum_age",
    "regulatory",
    "explanation",
]
EVIDENCE_KEYS = ["document", "section", "heading", "page", "text", "score", "start", "end"]


@pytest.fixture
def data() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_json(make_report()))
    return parsed


def test_keys_are_documented_and_ordered(data: dict[str, Any]) -> None:
    assert list(data) == TOP_KEYS
    findings = data["findings"]
    for finding in findings:
        assert list(finding) == FINDING_KEYS
        assert list(finding["remediation"]) == ["actions", "model_clause"]
        assert list(finding["explanation"]) == [
            "rule",
            "best_score",
            "thresholds",
            "matched_example",
            "notes",
        ]
        for evidence in finding["evidence"]:
            assert list(evidence) == EVIDENCE_KEYS
    documents = data["documents"]
    assert [list(d) for d in documents] == [
        ["path", "format", "kind", "sha256", "words", "clauses", "warnings"]
    ] * 2
    catalogs = data["catalogs"]
    assert [list(c) for c in catalogs] == [["id", "vendor", "title", "version", "obligations"]] * 2


def test_values(data: dict[str, Any]) -> None:
    report = make_report()
    assert data["gapcheck_version"] == "0.1.0"
    assert data["generated_at"] == "2025-03-14T09:26:53Z"
    assert data["operator"] == "Acme Assistants GmbH"
    assert data["model"] == report.model
    assert data["settings"] == {"covered_threshold": 0.62, "partial_threshold": 0.48, "top_k": 3.0}
    assert data["warnings"] == [RUN_WARNING]
    assert data["summary"] == {
        "covered": 2,
        "partial": 1,
        "missing": 2,
        "conflict": 1,
        "not_applicable": 1,
    }
    documents = data["documents"]
    assert documents[1]["warnings"] == ["page 7 has no extractable text (scanned image?)"]
    assert documents[0]["sha256"] == report.documents[0].sha256
    catalogs = data["catalogs"]
    assert catalogs[1]["id"] == "anthropic-aup"


def test_enums_are_plain_strings(data: dict[str, Any]) -> None:
    findings = data["findings"]
    assert {f["status"] for f in findings} == {s.value for s in Status}
    assert {f["severity"] for f in findings} == {s.value for s in Severity}
    for finding in findings:
        assert type(finding["status"]) is str
        assert type(finding["severity"]) is str


def test_findings_keep_pipeline_order_and_round_confidence(data: dict[str, Any]) -> None:
    findings = data["findings"]
    assert [f["obligation_id"] for f in findings] == [
        f.obligation_id for f in make_report().findings
    ]
    first = findings[0]
    assert first["confidence"] == 0.712  # 0.71234 rounded to 3 places
    assert first["evidence"][0]["score"] == 0.5532
    assert first["explanation"]["thresholds"] == {"covered": 0.62, "partial": 0.48}
    for finding in findings:
        assert 0.0 <= finding["confidence"] <= 1.0


def test_evidence_verbatim_with_location(data: dict[str, Any]) -> None:
    findings = {f["obligation_id"]: f for f in data["findings"]}
    partial = findings["OAI-UP-4"]["evidence"][0]
    assert partial["text"] == QUOTE_DISCLOSURE
    assert partial["page"] is None
    assert partial["section"] == "7.3"
    covered = findings["OAI-UP-1"]["evidence"][0]
    assert covered["text"] == QUOTE_PROHIBITED
    assert covered["page"] == 4
    assert covered["end"] - covered["start"] == len(QUOTE_PROHIBITED)


def test_non_ascii_is_not_escaped() -> None:
    text = render_json(make_report())
    assert "Zoë Müller-Łukasiewicz" in text
    assert "“AI-generated”" in text
    assert "\\u" not in text
    assert text.endswith("}\n")
    assert text.startswith('{\n  "gapcheck_version"')


def test_round_trip_is_stable() -> None:
    first = render_json(make_report())
    rebuilt = report_from_json(first)
    assert render_json(rebuilt) == first
    assert rebuilt.summary == make_report().summary
    assert rebuilt.findings[2].evidence[0].text == QUOTE_PROHIBITED
    assert rebuilt.findings[0].status is Status.PARTIAL
    assert rebuilt.findings[0].severity is Severity.MEDIUM
    assert rebuilt.documents == make_report().documents
    assert rebuilt.catalogs == make_report().catalogs
    assert rebuilt.warnings == (RUN_WARNING,)


def test_round_trip_of_rounded_report_is_exact() -> None:
    once = report_from_json(render_json(make_report()))
    assert report_from_json(render_json(once)) == once


def test_invalid_json_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        report_from_json("{not json")


def test_missing_key_is_named() -> None:
    data = json.loads(render_json(make_report()))
    del data["findings"][0]["status"]
    with pytest.raises(InputError, match="'status'"):
        report_from_json(json.dumps(data))


def test_unknown_status_is_an_input_error() -> None:
    data = json.loads(render_json(make_report()))
    data["findings"][0]["status"] = "mostly_fine"
    with pytest.raises(InputError, match="mostly_fine"):
        report_from_json(json.dumps(data))


def test_dispatch_encodes_utf8(tmp_path: Path) -> None:
    assert FORMATS == ("docx", "html", "md", "csv", "json")
    report = make_report()
    assert render(report, "json", tmp_path) == render_json(report).encode("utf-8")


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pdf"):
        render(make_report(), "pdf", tmp_path)


def test_groups_name_the_driving_vendor() -> None:
    report = make_report()
    findings = list(report.findings)
    # ANT-AUP-7 (Anthropic, high, missing) and OAI-UP-4 (OpenAI, medium, partial): one duty.
    findings[3] = dataclasses.replace(findings[3], canonical="C-REVIEW")
    findings[0] = dataclasses.replace(findings[0], canonical="C-REVIEW")
    data = json.loads(render_json(dataclasses.replace(report, findings=tuple(findings))))
    groups = {g["key"]: g for g in data["groups"]}
    assert list(groups["C-REVIEW"]) == [
        "key",
        "status",
        "severity",
        "vendors",
        "driver",
        "members",
        "note",
    ]
    assert groups["C-REVIEW"] == {
        "key": "C-REVIEW",
        "status": "missing",
        "severity": "high",
        "vendors": ["OpenAI", "Anthropic"],
        "driver": "ANT-AUP-7",
        "members": ["OAI-UP-4", "ANT-AUP-7"],
        "note": "Anthropic's version decides (missing); OpenAI: partial",
    }
    assert groups["C-2"]["members"] == ["ANT-AUP-2"] and groups["C-2"]["note"] == ""
    assert len(data["groups"]) == len(data["findings"]) - 1


def test_groups_are_derived_not_read_back() -> None:
    text = render_json(make_report())
    data = json.loads(text)
    data["groups"] = []
    assert render_json(report_from_json(json.dumps(data))) == text
