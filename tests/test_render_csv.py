"""CSV report: one row per obligation for trackers, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from report_factory import QUOTE_MINORS_CONFLICT, QUOTE_PROHIBITED, make_report

from gapcheck.render import render, render_csv, report_context
from gapcheck.render.csv_report import COLUMNS, neutralise


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_obligation_in_report_order() -> None:
    text = render_csv(make_report())
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = _rows(text)
    assert [r["obligation_id"] for r in rows] == [
        f["id"] for f in report_context(make_report())["findings"]
    ]
    first = rows[0]
    assert first == {
        "obligation_id": "ANT-AUP-2",
        "title": "No use by children under 18",
        "vendor": "Anthropic",
        "category": "age-and-minors",
        "severity": "critical",
        "status": "conflict",
        "confidence": "0.88",
        "priority": "P1 Urgent",
        "plan_item": "1",
        "evidence_location": "acme-terms-of-service.docx §2.1 — 2 Eligibility (p. 3)",
        "evidence_quote": QUOTE_MINORS_CONFLICT,
        "missing": "A clause in the terms says the opposite of what this obligation requires.",
        "action": "Add a clause on no use by children under 18 to the terms of service.",
        "source": "Anthropic, Anthropic Usage Policies (2025-01-29), section 2",
        "url": "https://example.com/policies/usage?rev=2025-01",
    }
    covered = next(r for r in rows if r["obligation_id"] == "OAI-UP-1")
    assert covered["evidence_quote"] == QUOTE_PROHIBITED  # line breaks survive quoting
    assert covered["action"] == "" and covered["priority"] == "" and covered["missing"] == ""
    missing = next(r for r in rows if r["obligation_id"] == "OAI-UP-9")
    assert missing["evidence_location"] == "" and missing["evidence_quote"] == ""


def test_formula_injection_is_neutralised() -> None:
    report = make_report()
    finding = report.findings[1]
    evidence = dataclasses.replace(finding.evidence[0], text='=HYPERLINK("http://evil","click")')
    odd = dataclasses.replace(
        finding, evidence=(evidence,), title="+cmd|' /C calc'!A0", vendor="@SUM(1+1)"
    )
    odd = dataclasses.replace(odd, category="-2+3")
    row = _rows(render_csv(dataclasses.replace(report, findings=(odd,))))[0]
    assert row["evidence_quote"] == '\'=HYPERLINK("http://evil","click")'
    assert row["title"] == "'+cmd|' /C calc'!A0"
    assert row["vendor"] == "'@SUM(1+1)"
    assert row["category"] == "'-2+3"
    assert neutralise("\tx") == "'\tx" and neutralise("plain") == "plain"


def test_dispatch_writes_utf8_with_bom_for_spreadsheets(tmp_path: Path) -> None:
    data = render(make_report(), "csv", tmp_path)
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig") == render_csv(make_report())
    assert "Zoë Müller-Łukasiewicz" in data.decode("utf-8-sig")
