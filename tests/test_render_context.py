"""The shared report context: ordering, counts and formatting every renderer relies on."""

from __future__ import annotations

import dataclasses

from report_factory import make_report

from gapcheck.model import Severity, Status
from gapcheck.render import report_context
from gapcheck.render.context import STATUS_ORDER


def test_findings_sorted_by_severity_then_status_then_id() -> None:
    context = report_context(make_report())
    assert [f["id"] for f in context["findings"]] == [
        "ANT-AUP-2",  # critical conflict
        "ANT-AUP-7",  # high missing
        "OAI-UP-1",  # high covered
        "OAI-UP-6",  # high not applicable
        "OAI-UP-4",  # medium partial
        "ANT-AUP-3",  # medium covered
        "OAI-UP-9",  # low missing
    ]


def test_ties_within_severity_and_status_break_on_id() -> None:
    report = make_report()
    template = report.findings[0]
    clones = tuple(
        dataclasses.replace(template, obligation_id=ident, severity=Severity.LOW)
        for ident in ("Z-1", "A-1", "M-1")
    )
    context = report_context(dataclasses.replace(report, findings=clones))
    assert [f["id"] for f in context["findings"]] == ["A-1", "M-1", "Z-1"]


def test_gaps_covered_and_not_applicable_lists() -> None:
    context = report_context(make_report())
    assert [f["id"] for f in context["gaps"]] == ["ANT-AUP-2", "ANT-AUP-7", "OAI-UP-4", "OAI-UP-9"]
    assert [f["id"] for f in context["covered"]] == ["OAI-UP-1", "ANT-AUP-3"]
    assert [f["id"] for f in context["not_applicable"]] == ["OAI-UP-6"]


def test_summary_counts_and_matrix() -> None:
    context = report_context(make_report())
    assert context["summary"] == {
        "covered": 2,
        "partial": 1,
        "missing": 2,
        "conflict": 1,
        "not_applicable": 1,
    }
    assert [s["value"] for s in context["statuses"]] == [s.value for s in STATUS_ORDER]
    matrix = {row["severity"]: row["counts"] for row in context["severity_matrix"]}
    # columns: conflict, missing, partial, covered, not_applicable
    assert matrix == {
        "critical": [1, 0, 0, 0, 0],
        "high": [0, 1, 0, 1, 1],
        "medium": [0, 0, 1, 1, 0],
        "low": [0, 1, 0, 0, 0],
    }
    assert context["total"] == 7
    assert context["gap_count"] == 4


def test_coverage_excludes_not_applicable() -> None:
    coverage = report_context(make_report())["coverage"]
    assert coverage["covered"] == 2
    assert coverage["applicable"] == 6
    assert coverage["percent"] == 33.3
    assert coverage["percent_text"] == "33%"


def test_coverage_when_nothing_applies() -> None:
    report = make_report()
    only_na = tuple(f for f in report.findings if f.status is Status.NOT_APPLICABLE)
    context = report_context(dataclasses.replace(report, findings=only_na))
    assert context["coverage"]["percent"] is None
    assert context["coverage"]["percent_text"] == "n/a"
    assert "No obligation" in context["headline"]


def test_headline_names_gap_count_and_severities() -> None:
    headline = report_context(make_report())["headline"]
    assert headline == (
        "4 of 6 applicable obligations need action (1 critical, 1 high, 1 medium, 1 low)."
    )


def test_evidence_is_formatted_but_text_untouched() -> None:
    report = make_report()
    context = report_context(report)
    by_id = {f["id"]: f for f in context["findings"]}
    evidence = by_id["ANT-AUP-2"]["evidence"][0]
    assert evidence["section"] == "§2.1"
    assert evidence["page"] == "p. 3"
    assert evidence["location"] == "§2.1 — 2 Eligibility (p. 3)"
    assert evidence["score_text"] == "0.70"
    no_page = by_id["OAI-UP-4"]["evidence"][0]
    assert no_page["location"] == "§7.3 — 7 Transparency > 7.3 Labelling"
    bare = by_id["OAI-UP-1"]["evidence"][1]
    assert bare["location"] == ""
    originals = {e.text for f in report.findings for e in f.evidence}
    rendered = {e["text"] for f in context["findings"] for e in f["evidence"]}
    assert rendered == originals


def test_documents_show_file_name_not_private_folder() -> None:
    documents = report_context(make_report())["documents"]
    assert documents[0]["name"] == "acme-terms-of-service.docx"
    assert documents[0]["sha256_short"] == documents[0]["sha256"][:16]
    assert documents[0]["words_text"] == "4,210"


def test_missing_findings_label_candidates_not_evidence() -> None:
    by_id = {f["id"]: f for f in report_context(make_report())["findings"]}
    assert by_id["ANT-AUP-7"]["evidence_label"] == "Closest clauses found"
    assert by_id["OAI-UP-4"]["evidence_label"] == "Evidence"


def test_context_holds_only_plain_data() -> None:
    """Templates run sandboxed; live objects (enums, dataclasses) must not leak in."""

    def check(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert type(key) is str
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)
        else:
            assert value is None or type(value) in (str, int, float, bool), repr(value)

    check(report_context(make_report()))


def test_date_from_generated_at() -> None:
    context = report_context(make_report())
    assert context["date"] == "2025-03-14"
    odd = report_context(dataclasses.replace(make_report(), generated_at="yesterday"))
    assert odd["date"] == "yesterday"
