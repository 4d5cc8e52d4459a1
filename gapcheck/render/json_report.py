"""The JSON report: a stable, lossless record of a run that can be read back into a Report.

JSON is the format machines consume (CI gates, ``diff`` between runs, golden tests), so
it has a fixed key order, enums as their string values, and every quote exactly as
extracted. Only floats are rounded (confidence to 3 places, scores to 4) so that
numeric noise between platforms does not show up as a change.
"""

from __future__ import annotations

import json
from typing import Any

from gapcheck.errors import InputError
from gapcheck.grouping import ObligationGroup, group_findings
from gapcheck.model import (
    CatalogSummary,
    Citation,
    DocumentKind,
    DocumentSummary,
    ElementCheck,
    Evidence,
    Explanation,
    Finding,
    Regulation,
    Remediation,
    Report,
    Severity,
    Status,
)

CONFIDENCE_DIGITS = 3
SCORE_DIGITS = 4


def render_json(report: Report) -> str:
    """Serialise ``report`` as indented UTF-8 JSON (non-ASCII kept as is), newline-terminated."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON document as plain data, keys in their documented order."""
    return {
        "gapcheck_version": report.gapcheck_version,
        "generated_at": report.generated_at,
        "operator": report.operator,
        "documents": [
            {
                "path": doc.path,
                "format": doc.format,
                "kind": doc.kind.value,
                "sha256": doc.sha256,
                "words": doc.words,
                "clauses": doc.clauses,
                "warnings": list(doc.warnings),
            }
            for doc in report.documents
        ],
        "catalogs": [
            {
                "id": cat.id,
                "vendor": cat.vendor,
                "title": cat.title,
                "version": cat.version,
                "obligations": cat.obligations,
            }
            for cat in report.catalogs
        ],
        "model": report.model,
        "settings": dict(sorted(report.settings.items())),
        "warnings": list(report.warnings),
        "summary": report.summary,
        "findings": [_finding_to_dict(finding) for finding in report.findings],
        "groups": [_group_to_dict(group) for group in group_findings(report.findings)],
    }


def _group_to_dict(group: ObligationGroup) -> dict[str, Any]:
    """One duty and the member whose verdict decides it.

    Derived from the findings (never read back by :func:`report_from_json`), it is here
    so that a consumer of the JSON sees which vendor drives a multi-vendor verdict.
    """
    return {
        "key": group.key,
        "status": group.status.value,
        "severity": group.severity.value,
        "vendors": list(group.vendors),
        "driver": group.driver.obligation_id,
        "members": [member.obligation_id for member in group.members],
        "note": group.note,
    }


def _finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding; the order of findings is the pipeline's, not re-sorted here."""
    return {
        "obligation_id": finding.obligation_id,
        "catalog": finding.catalog,
        "vendor": finding.vendor,
        "title": finding.title,
        "requirement": finding.requirement,
        "severity": finding.severity.value,
        "category": finding.category,
        "status": finding.status.value,
        "confidence": round(finding.confidence, CONFIDENCE_DIGITS),
        "evidence": [
            {
                "document": ev.document,
                "section": ev.section,
                "heading": ev.heading,
                "page": ev.page,
                "text": ev.text,
                "score": round(ev.score, SCORE_DIGITS),
                "start": ev.start,
                "end": ev.end,
            }
            for ev in finding.evidence
        ],
        "elements": [
            {"name": e.name, "present": e.present, "cue": e.cue, "section": e.section}
            for e in finding.elements
        ],
        "remediation": {
            "actions": list(finding.remediation.actions),
            "model_clause": finding.remediation.model_clause,
        },
        "citation": {
            "vendor": finding.citation.vendor,
            "document": finding.citation.document,
            "section": finding.citation.section,
            "effective": finding.citation.effective,
            "url": finding.citation.url,
            "excerpt_only": finding.citation.excerpt_only,
        },
        "source": finding.source,
        "severity_reason": finding.severity_reason,
        "canonical": finding.canonical,
        "applies_when": list(finding.applies_when),
        "minimum_age": finding.minimum_age,
        "regulatory": [
            {"law": r.law, "jurisdictions": list(r.jurisdictions)} for r in finding.regulatory
        ],
        "explanation": {
            "rule": finding.explanation.rule,
            "best_score": round(finding.explanation.best_score, SCORE_DIGITS),
            "thresholds": dict(sorted(finding.explanation.thresholds.items())),
            "matched_example": finding.explanation.matched_example,
            "notes": list(finding.explanation.notes),
        },
    }


def report_from_json(text: str) -> Report:
    """Rebuild a Report from :func:`render_json` output.

    Raises:
        InputError: the text is not JSON, or a required key is missing or has the wrong
            type; the message names the key so a hand-edited file can be fixed.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"report JSON is not valid JSON: {error}") from None
    try:
        return _report_from_dict(data)
    except KeyError as error:
        raise InputError(f"report JSON has no key {error}") from None
    except (TypeError, ValueError, AttributeError) as error:
        raise InputError(f"report JSON is malformed: {error}") from None


def _report_from_dict(data: dict[str, Any]) -> Report:
    """The inverse of :func:`report_to_dict`; ``summary`` and ``groups`` are derived, not read."""
    return Report(
        gapcheck_version=str(data["gapcheck_version"]),
        generated_at=str(data["generated_at"]),
        operator=str(data["operator"]),
        documents=tuple(
            DocumentSummary(
                path=str(doc["path"]),
                format=str(doc["format"]),
                sha256=str(doc["sha256"]),
                words=int(doc["words"]),
                clauses=int(doc["clauses"]),
                warnings=tuple(str(w) for w in doc.get("warnings", ())),
                kind=DocumentKind(str(doc.get("kind", DocumentKind.TERMS.value))),
            )
            for doc in data["documents"]
        ),
        catalogs=tuple(
            CatalogSummary(
                id=str(cat["id"]),
                vendor=str(cat["vendor"]),
                title=str(cat["title"]),
                version=str(cat["version"]),
                obligations=int(cat["obligations"]),
            )
            for cat in data["catalogs"]
        ),
        model=str(data["model"]),
        findings=tuple(_finding_from_dict(item) for item in data["findings"]),
        settings={str(k): float(v) for k, v in data.get("settings", {}).items()},
        warnings=tuple(str(w) for w in data.get("warnings", ())),
    )


def _finding_from_dict(data: dict[str, Any]) -> Finding:
    """One finding; unknown status or severity strings raise ValueError."""
    explanation = data["explanation"]
    citation = data["citation"]
    return Finding(
        obligation_id=str(data["obligation_id"]),
        catalog=str(data["catalog"]),
        vendor=str(data["vendor"]),
        title=str(data["title"]),
        requirement=str(data["requirement"]),
        severity=Severity(data["severity"]),
        category=str(data["category"]),
        status=Status(data["status"]),
        confidence=float(data["confidence"]),
        evidence=tuple(
            Evidence(
                document=str(ev["document"]),
                section=str(ev["section"]),
                heading=str(ev["heading"]),
                page=None if ev["page"] is None else int(ev["page"]),
                text=str(ev["text"]),
                score=float(ev["score"]),
                start=int(ev["start"]),
                end=int(ev["end"]),
            )
            for ev in data["evidence"]
        ),
        remediation=Remediation(
            actions=tuple(str(a) for a in data["remediation"]["actions"]),
            model_clause=str(data["remediation"]["model_clause"]),
        ),
        citation=Citation(
            vendor=str(citation["vendor"]),
            document=str(citation["document"]),
            section=str(citation["section"]),
            effective=str(citation["effective"]),
            url=str(citation["url"]),
            excerpt_only=bool(citation.get("excerpt_only", False)),
        ),
        severity_reason=str(data.get("severity_reason", "")),
        canonical=str(data.get("canonical", "")),
        applies_when=tuple(str(c) for c in data.get("applies_when", ())),
        minimum_age=None if data.get("minimum_age") is None else int(data["minimum_age"]),
        regulatory=tuple(
            Regulation(law=str(r["law"]), jurisdictions=tuple(str(j) for j in r["jurisdictions"]))
            for r in data.get("regulatory", ())
        ),
        elements=tuple(
            ElementCheck(
                name=str(e["name"]),
                present=bool(e["present"]),
                cue=str(e.get("cue", "")),
                section=str(e.get("section", "")),
            )
            for e in data.get("elements", ())
        ),
        explanation=Explanation(
            rule=str(explanation["rule"]),
            best_score=float(explanation["best_score"]),
            thresholds={str(k): float(v) for k, v in explanation["thresholds"].items()},
            matched_example=str(explanation.get("matched_example", "")),
            notes=tuple(str(n) for n in explanation.get("notes", ())),
        ),
    )
