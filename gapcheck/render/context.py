"""The report context: every figure, ordering and label a renderer shows, computed once.

Markdown and DOCX must never disagree about a count, an order or how a score is
written, so neither computes anything: both read the plain dict built here (the
"template context contract"). Values are only built-in types (str, int, float, None,
list, dict), which also keeps the sandboxed Jinja templates away from live objects.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from gapcheck.model import (
    DocumentSummary,
    Evidence,
    Explanation,
    Finding,
    Report,
    Severity,
    Status,
)

REPORT_TITLE = "AI usage-policy gap report"

DISCLAIMER = (
    "This report describes what the analysed documents say, compared automatically with "
    "the listed AI vendors' usage-policy obligations. It is not legal advice and not an "
    "opinion on enforceability. Automated matching can miss or misread a clause: a "
    "qualified lawyer should review every finding before anyone relies on it."
)

STATUS_ORDER: tuple[Status, ...] = (
    Status.CONFLICT,
    Status.MISSING,
    Status.PARTIAL,
    Status.COVERED,
    Status.NOT_APPLICABLE,
)
"""Worst first: a conflict is worse than silence, which is worse than partial cover.

Used for sorting findings within a severity and for every status column, so a reader
meets the statuses in the same order in every table.
"""

STATUS_LABELS: dict[Status, str] = {
    Status.CONFLICT: "Conflict",
    Status.MISSING: "Missing",
    Status.PARTIAL: "Partial",
    Status.COVERED: "Covered",
    Status.NOT_APPLICABLE: "Not applicable",
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
}

SHA256_SHORT = 16
"""Hex digits of a fingerprint shown in tables; enough to tell files apart at a glance."""


def report_context(report: Report) -> dict[str, Any]:
    """Build the dict every renderer reads: metadata, summary figures and ordered findings.

    Findings are sorted by severity (critical first), then status (conflict, missing,
    partial, covered, not applicable), then obligation id, so the most urgent work is
    on top and the order is stable between runs.
    """
    findings = sorted(report.findings, key=_finding_sort_key)
    rows = [_finding_context(finding) for finding in findings]
    summary = report.summary
    return {
        "title": REPORT_TITLE,
        "operator": report.operator,
        "generated_at": report.generated_at,
        "date": _display_date(report.generated_at),
        "gapcheck_version": report.gapcheck_version,
        "model": report.model,
        "settings": [
            {"name": name, "value": _format_number(value)}
            for name, value in sorted(report.settings.items())
        ],
        "documents": [_document_context(doc) for doc in report.documents],
        "catalogs": [
            {
                "id": catalog.id,
                "vendor": catalog.vendor,
                "title": catalog.title,
                "version": catalog.version,
                "obligations": catalog.obligations,
            }
            for catalog in report.catalogs
        ],
        "statuses": [
            {"value": status.value, "label": STATUS_LABELS[status], "count": summary[status.value]}
            for status in STATUS_ORDER
        ],
        "summary": summary,
        "total": len(report.findings),
        "severity_matrix": _severity_matrix(report.findings),
        "coverage": _coverage(summary),
        "gap_count": sum(1 for f in report.findings if f.status.is_gap),
        "headline": _headline(report.findings),
        "findings": rows,
        "gaps": [row for row in rows if row["is_gap"]],
        "covered": [row for row in rows if row["status"] == Status.COVERED.value],
        "not_applicable": [row for row in rows if row["status"] == Status.NOT_APPLICABLE.value],
        "disclaimer": DISCLAIMER,
    }


def _finding_sort_key(finding: Finding) -> tuple[int, int, str]:
    """Severity rank, then status in worst-first order, then id."""
    return (finding.severity.rank, STATUS_ORDER.index(finding.status), finding.obligation_id)


def _finding_context(finding: Finding) -> dict[str, Any]:
    """One finding with every value already formatted for display."""
    return {
        "id": finding.obligation_id,
        "title": finding.title,
        "catalog": finding.catalog,
        "vendor": finding.vendor,
        "requirement": finding.requirement,
        "category": finding.category,
        "severity": finding.severity.value,
        "severity_label": SEVERITY_LABELS[finding.severity],
        "status": finding.status.value,
        "status_label": STATUS_LABELS[finding.status],
        "is_gap": finding.status.is_gap,
        "confidence": finding.confidence,
        "confidence_text": f"{finding.confidence:.0%}",
        # For a missing obligation the quoted clauses are only the nearest candidates;
        # calling them "evidence" would suggest they support the obligation.
        "evidence_label": (
            "Closest clauses found" if finding.status is Status.MISSING else "Evidence"
        ),
        "evidence": [_evidence_context(item) for item in finding.evidence],
        "remediation": {
            "action": " ".join(finding.remediation.actions),
            "actions": list(finding.remediation.actions),
            "model_clause": finding.remediation.model_clause,
        },
        "source": finding.source,
        "source_url": finding.source_url,
        "citation": {
            "vendor": finding.citation.vendor,
            "document": finding.citation.document,
            "section": finding.citation.section,
            "effective": finding.citation.effective,
            "url": finding.citation.url,
            "excerpt_only": finding.citation.excerpt_only,
        },
        "severity_reason": finding.severity_reason,
        "canonical": finding.canonical,
        "regulatory": [
            {"law": r.law, "jurisdictions": ", ".join(r.jurisdictions)}
            for r in finding.regulatory
        ],
        "elements_found": [e.name for e in finding.elements if e.present],
        "elements_missing": [e.name for e in finding.elements if not e.present],
        "explanation": _explanation_context(finding.explanation),
    }


def _evidence_context(evidence: Evidence) -> dict[str, Any]:
    """A quoted clause with its citation parts and a one-line location for headings."""
    section = f"§{evidence.section}" if evidence.section else ""
    page = f"p. {evidence.page}" if evidence.page is not None else ""
    location = " — ".join(part for part in (section, evidence.heading) if part)
    if page:
        location = f"{location} ({page})" if location else page
    return {
        "document": evidence.document,
        "section": section,
        "heading": evidence.heading,
        "page": page,
        "location": location,
        "text": evidence.text,
        "score": evidence.score,
        "score_text": f"{evidence.score:.2f}",
    }


def _explanation_context(explanation: Explanation) -> dict[str, Any]:
    """The deciding rule, the best score and the thresholds it was compared with."""
    thresholds = [
        {"name": name, "value": _format_number(value)}
        for name, value in sorted(explanation.thresholds.items())
    ]
    return {
        "rule": explanation.rule,
        "best_score": explanation.best_score,
        "best_score_text": f"{explanation.best_score:.2f}",
        "thresholds": thresholds,
        "thresholds_text": ", ".join(f"{t['name']} {t['value']}" for t in thresholds),
        "matched_example": explanation.matched_example,
        "notes": list(explanation.notes),
    }


def _document_context(document: DocumentSummary) -> dict[str, Any]:
    """An input file as listed in the report: its file name only, never its folder."""
    return {
        "path": document.path,
        "name": PurePath(document.path).name or document.path,
        "format": document.format,
        "sha256": document.sha256,
        "sha256_short": document.sha256[:SHA256_SHORT],
        "words": document.words,
        "words_text": f"{document.words:,}",
        "clauses": document.clauses,
        "warnings": list(document.warnings),
    }


def _severity_matrix(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """Rows per severity (critical first), counts per status in ``STATUS_ORDER``."""
    rows = []
    for severity in Severity:
        counts = [
            sum(1 for f in findings if f.severity is severity and f.status is status)
            for status in STATUS_ORDER
        ]
        rows.append(
            {
                "severity": severity.value,
                "label": SEVERITY_LABELS[severity],
                "counts": counts,
                "total": sum(counts),
            }
        )
    return rows


def _coverage(summary: dict[str, int]) -> dict[str, Any]:
    """Covered share of the obligations that apply (not-applicable ones are left out)."""
    covered = summary[Status.COVERED.value]
    applicable = sum(summary.values()) - summary[Status.NOT_APPLICABLE.value]
    percent = round(100 * covered / applicable, 1) if applicable else None
    return {
        "covered": covered,
        "applicable": applicable,
        "percent": percent,
        "percent_text": f"{percent:.0f}%" if percent is not None else "n/a",
    }


def _headline(findings: tuple[Finding, ...]) -> str:
    """The bottom line a reader needs first: how many obligations need action, how bad."""
    gaps = [f for f in findings if f.status.is_gap]
    applicable = [f for f in findings if f.status is not Status.NOT_APPLICABLE]
    if not applicable:
        return "No obligation in the selected catalogs applies to these documents."
    if not gaps:
        return f"All {len(applicable)} applicable obligations are covered."
    by_severity = [
        f"{count} {severity.value}"
        for severity in Severity
        if (count := sum(1 for f in gaps if f.severity is severity))
    ]
    verb = "needs" if len(gaps) == 1 else "need"
    return (
        f"{len(gaps)} of {len(applicable)} applicable obligations {verb} action "
        f"({', '.join(by_severity)})."
    )


def _display_date(generated_at: str) -> str:
    """The calendar date of the run, or the raw stamp if it is not ISO 8601."""
    moment = parse_timestamp(generated_at)
    return moment.date().isoformat() if moment else generated_at


def parse_timestamp(value: str) -> dt.datetime | None:
    """Read an ISO 8601 stamp (``Z`` allowed, as Python 3.10 does not); None if invalid."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _format_number(value: float) -> str:
    """Thresholds and settings as written by a person: 0.65, 5, not 0.6500000001."""
    return f"{value:.4g}"
