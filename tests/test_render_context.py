"""The shared report context: ordering, counts and formatting every renderer relies on."""

from __future__ import annotations

import dataclasses

from report_factory import QUALIFIER_PASS_THROUGH, make_report

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


def _multi_vendor_report():  # type: ignore[no-untyped-def]
    """ANT-AUP-7 (Anthropic, high, missing) and OAI-UP-4 (OpenAI, medium, partial): one duty."""
    report = make_report()
    findings = list(report.findings)
    findings[3] = dataclasses.replace(findings[3], canonical="C-REVIEW")
    findings[0] = dataclasses.replace(findings[0], canonical="C-REVIEW")
    return dataclasses.replace(report, findings=tuple(findings))


def test_priority_rules() -> None:
    from gapcheck.render.context import priority

    assert priority(Severity.CRITICAL, Status.PARTIAL) == 1
    assert priority(Severity.LOW, Status.CONFLICT) == 1
    assert priority(Severity.HIGH, Status.MISSING) == 2
    assert priority(Severity.MEDIUM, Status.PARTIAL) == 3
    assert priority(Severity.LOW, Status.MISSING) == 4


def test_remediation_plan_one_item_per_duty() -> None:
    plan = report_context(_multi_vendor_report())["remediation_plan"]
    assert [(i["number"], i["priority_label"], i["obligation_ids"]) for i in plan] == [
        (1, "P1 Urgent", ["ANT-AUP-2"]),
        (2, "P2 High", ["OAI-UP-4", "ANT-AUP-7"]),
        (3, "P4 Low", ["OAI-UP-9"]),
    ]
    assert plan[1]["action"] == (
        "Add a clause on human review of high-risk outputs to the terms of service."
    )
    assert all(i["owner"] == "" and i["checkbox"] == "☐" for i in plan)
    by_id = {f["id"]: f for f in report_context(_multi_vendor_report())["findings"]}
    assert by_id["OAI-UP-4"]["plan_number"] == by_id["ANT-AUP-7"]["plan_number"] == 2
    assert by_id["OAI-UP-1"]["plan_number"] is None and by_id["OAI-UP-1"]["priority"] is None


def test_gap_groups_carry_driver_and_members() -> None:
    groups = report_context(_multi_vendor_report())["gap_groups"]
    review = groups[1]
    assert review["driver"]["id"] == "ANT-AUP-7"
    assert [m["id"] for m in review["members"]] == ["ANT-AUP-7", "OAI-UP-4"]
    assert review["multi_vendor"] and review["vendors"] == ["OpenAI", "Anthropic"]
    assert review["note"] == "Anthropic's version decides (missing); OpenAI: partial"
    assert [g["plan_number"] for g in groups] == [1, 2, 3]


def test_top_gaps_in_plain_english() -> None:
    top = report_context(_multi_vendor_report())["top_gaps"]
    assert [g["sentence"] for g in top] == [
        "Anthropic requires “No use by children under 18”, but §2.1 of "
        "acme-terms-of-service.docx says the opposite.",
        "OpenAI and Anthropic require “Human review of high-risk outputs”; nothing in the "
        "terms addresses it.",
        "OpenAI requires “Protect personal data in prompts”; nothing in the terms addresses it.",
    ]
    partial = report_context(make_report())["top_gaps"][2]
    assert partial["sentence"].endswith(
        "the terms meet it only in part (closest: §7.3 of acme-terms-of-service.docx)."
    )


def test_coverage_matrix_worst_status_per_cell() -> None:
    context = report_context(make_report())
    assert context["vendors"] == ["OpenAI", "Anthropic"]
    rows = {row["category"]: row["cells"] for row in context["coverage_matrix"]}
    assert list(rows) == [
        "disclosure",
        "age-and-minors",
        "prohibited-use",
        "human-oversight",
        "privacy",
        "pass-through",
    ]
    openai, anthropic = rows["prohibited-use"]
    assert (openai["status"], openai["counts_text"], openai["total"]) == (
        "covered",
        "1 of 1 covered",
        2,
    )  # the not-applicable one is counted but does not decide
    assert anthropic["status"] == "none" and anthropic["status_label"] == "—"
    assert rows["age-and-minors"][1]["status"] == "conflict"


def test_elements_and_not_applicable_reasons() -> None:
    from gapcheck.model import ElementCheck

    report = make_report()
    finding = dataclasses.replace(
        report.findings[0],
        elements=(
            ElementCheck(name="labels AI content", present=True),
            ElementCheck(name="covers API outputs", present=False),
        ),
    )
    context = report_context(dataclasses.replace(report, findings=(finding, report.findings[5])))
    row = next(f for f in context["findings"] if f["id"] == "OAI-UP-4")
    assert row["elements_found"] == ["labels AI content"]
    assert row["what_missing"] == ["covers API outputs"]
    excluded = context["not_applicable"][0]
    assert excluded["reason"] == "profile: the operator does not offer medical services"


def test_methodology_uses_recorded_thresholds_only() -> None:
    steps = report_context(make_report())["methodology"]["steps"]
    assert "at least 0.62" in steps[2] and "between 0.48 and 0.62" in steps[2]
    assert "n/a" not in " ".join(steps)
    bare = report_context(dataclasses.replace(make_report(), settings={}))["methodology"]
    assert "thresholds recorded with the report" in bare["steps"][2]
    assert bare["covered_threshold"] == "n/a"


def test_methodology_describes_the_coverage_model_when_one_decided() -> None:
    settings = {
        "partial_threshold": 0.5,
        "covered_threshold": 0.66,
        "coverage_model_threshold": 0.2,
        "statement_floor": 0.55,
    }
    methodology = report_context(dataclasses.replace(make_report(), settings=settings))[
        "methodology"
    ]
    rules, confidence = methodology["steps"][2], methodology["steps"][3]
    assert "coverage model" in rules and "reaches 0.2" in rules
    assert "scoring 0.55 or more" in rules and "no clause reaches 0.5" in rules
    assert "at least 0.66" not in rules  # the threshold rule did not decide
    assert "coverage model's probability" in confidence
    assert methodology["coverage_model_threshold"] == "0.2"


def test_evidence_names_its_exceptions() -> None:
    covered = {f["id"]: f for f in report_context(make_report())["covered"]}
    assert covered["ANT-AUP-3"]["evidence"][0]["qualified"] == QUALIFIER_PASS_THROUGH
    assert covered["OAI-UP-1"]["evidence"][0]["qualified"] == ""
