"""The report context: every figure, ordering and sentence a renderer shows, computed once.

DOCX, HTML, Markdown and CSV must never disagree about a count, an order, a priority or
how a score is written, so none of them computes anything: all read the plain dict built
here (the "template context contract", documented key by key in
``report_templates/README.md`` for firms that write their own templates). Values are
only built-in types (str, int, float, bool, None, list, dict), which also keeps the
sandboxed templates away from live objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from gapcheck.grouping import ObligationGroup, group_findings
from gapcheck.model import (
    DocumentKind,
    DocumentSummary,
    Evidence,
    Explanation,
    Finding,
    Report,
    Severity,
    Status,
)
from gapcheck.qualifiers import describe as describe_qualifiers
from gapcheck.qualifiers import find_qualifiers

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

PRIORITY_LABELS: dict[int, str] = {1: "Urgent", 2: "High", 3: "Medium", 4: "Low"}
"""Remediation priorities: P1 is the first thing a legal team should fix."""

EMPTY_CELL = "none"
"""Status value of a coverage-matrix cell where a vendor has no obligation in a category."""

TOP_GAPS = 5
"""How many of the most serious gaps the executive summary spells out."""

SHA256_SHORT = 16
"""Hex digits of a fingerprint shown in tables; enough to tell files apart at a glance."""

KIND_TEXT: dict[DocumentKind, str] = {
    DocumentKind.TERMS: "",
    DocumentKind.PRIVACY_NOTICE: "privacy notice",
}
"""How a document's kind is shown next to its format; terms, the usual case, say nothing."""

WHAT_IS_MISSING: dict[Status, str] = {
    Status.MISSING: "No clause in the analysed documents addresses this obligation.",
    Status.PARTIAL: (
        "The closest clauses touch the topic but do not state this obligation specifically "
        "enough to count as covered."
    ),
    Status.CONFLICT: "A clause in the terms says the opposite of what this obligation requires.",
}
"""What is missing when no element-level check says more precisely (``Finding.elements``)."""

LIMITATIONS: tuple[str, ...] = (
    "Matching measures similarity of meaning, not legal effect: a clause can be credited "
    "for sharing vocabulary with an obligation, and a duty written in unusual words can be "
    "missed.",
    "A short list item whose introduction is about the topic can be over-credited.",
    "A clause that grants users what an obligation forbids (\u201cyou may use outputs to "
    "build competing models\u201d) is reported as a conflict only when it is very close to "
    "the obligation's wording. A looser permission is reported as a missing prohibition; "
    "the finding names the permitting clause when it is the closest one, but a permission "
    "the reader is not pointed to can still hide that the terms allow the use. Check that "
    "quoted evidence forbids rather than allows.",
    "Only the text of the supplied documents is read. Images, scanned pages without a text "
    "layer and documents incorporated by reference but not supplied are not analysed.",
    "Obligations are our paraphrase of the vendors' documents at the policy versions listed "
    "on the cover; vendors change their policies, and the cited text prevails.",
    "Statuses near a threshold (low confidence) deserve the closest review.",
)


def report_context(report: Report) -> dict[str, Any]:
    """Build the dict every renderer reads: metadata, summaries, ordered findings, plan.

    Findings are sorted by severity (critical first), then status (conflict, missing,
    partial, covered, not applicable), then obligation id, so the most urgent work is
    on top and the order is stable between runs.
    """
    groups = group_findings(report.findings)
    group_of = {f.obligation_id: g for g in groups for f in g.members}
    plan = _remediation_plan(groups)
    plan_number = {ident: item["number"] for item in plan for ident in item["obligation_ids"]}
    findings = sorted(report.findings, key=_finding_sort_key)
    rows = [
        _finding_context(f, group_of[f.obligation_id], plan_number.get(f.obligation_id))
        for f in findings
    ]
    summary = report.summary
    return {
        "title": REPORT_TITLE,
        "operator": report.operator,
        "generated_at": report.generated_at,
        "date": _display_date(report.generated_at),
        "gapcheck_version": report.gapcheck_version,
        "model": report.model,
        "warnings": list(report.warnings),
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
        "vendors": _vendors(report),
        "statuses": [
            {"value": status.value, "label": STATUS_LABELS[status], "count": summary[status.value]}
            for status in STATUS_ORDER
        ],
        "summary": summary,
        "total": len(report.findings),
        "severity_matrix": _severity_matrix(report.findings),
        "coverage": _coverage(summary),
        "coverage_matrix": _coverage_matrix(report),
        "gap_count": sum(1 for f in report.findings if f.status.is_gap),
        "headline": _headline(report.findings),
        "top_gaps": _top_gaps(groups, plan_number),
        "findings": rows,
        "gaps": [row for row in rows if row["is_gap"]],
        "covered": [row for row in rows if row["status"] == Status.COVERED.value],
        "not_applicable": [row for row in rows if row["status"] == Status.NOT_APPLICABLE.value],
        "gap_groups": _gap_groups_context(groups, {row["id"]: row for row in rows}, plan),
        "groups": [_group_context(group) for group in groups],
        "multi_vendor_groups": [_group_context(g) for g in groups if len(g.vendors) > 1],
        "remediation_plan": plan,
        "methodology": _methodology(report),
        "disclaimer": DISCLAIMER,
    }


# --- ordering and priorities ---------------------------------------------------------------


def _finding_sort_key(finding: Finding) -> tuple[int, int, str]:
    """Severity rank, then status in worst-first order, then id."""
    return (finding.severity.rank, STATUS_ORDER.index(finding.status), finding.obligation_id)


def _group_sort_key(group: ObligationGroup) -> tuple[int, int, int, str]:
    """Priority, then the same order as findings (severity, status, driving id)."""
    return (
        priority(group.severity, group.status),
        group.severity.rank,
        STATUS_ORDER.index(group.status),
        group.driver.obligation_id,
    )


def priority(severity: Severity, status: Status) -> int:
    """P1..P4 for a gap: P1 for any critical gap or any conflict, else by severity.

    A conflict is urgent whatever its severity because the terms currently say the
    opposite of what the vendor requires; otherwise the vendor's own severity decides.
    """
    if severity is Severity.CRITICAL or status is Status.CONFLICT:
        return 1
    return {Severity.HIGH: 2, Severity.MEDIUM: 3}.get(severity, 4)


# --- findings ------------------------------------------------------------------------------


def _finding_context(
    finding: Finding, group: ObligationGroup, plan_number: int | None
) -> dict[str, Any]:
    """One finding with every value already formatted for display."""
    jurisdictions = sorted({j for r in finding.regulatory for j in r.jurisdictions})
    missing_elements = [e.name for e in finding.elements if not e.present]
    what_missing = list(missing_elements)
    if not what_missing and finding.status in WHAT_IS_MISSING:
        what_missing = [WHAT_IS_MISSING[finding.status]]
    rank = priority(finding.severity, finding.status) if finding.status.is_gap else None
    return {
        "id": finding.obligation_id,
        "anchor": anchor(finding.obligation_id),
        "title": finding.title,
        "catalog": finding.catalog,
        "vendor": finding.vendor,
        "requirement": finding.requirement,
        "category": finding.category,
        "category_label": category_label(finding.category),
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
        "priority": rank,
        "priority_label": f"P{rank} {PRIORITY_LABELS[rank]}" if rank else "",
        "plan_number": plan_number,
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
            {
                "law": r.law,
                "jurisdictions": ", ".join(r.jurisdictions),
                "jurisdiction_list": list(r.jurisdictions),
            }
            for r in finding.regulatory
        ],
        "jurisdictions": jurisdictions,
        "jurisdictions_text": ", ".join(jurisdictions),
        "elements_found": [e.name for e in finding.elements if e.present],
        "elements_missing": missing_elements,
        "what_missing": what_missing,
        "reason": "; ".join(finding.explanation.notes) or finding.explanation.rule,
        "group": _group_context(group),
        "explanation": _explanation_context(finding.explanation),
    }


def _evidence_context(evidence: Evidence) -> dict[str, Any]:
    """A quoted clause with its citation parts and a one-line location for headings.

    ``qualified`` names the clause's exceptions, conditions and scope limits (see
    :mod:`gapcheck.qualifiers`) next to the quote, where a lawyer reads it: a covered
    finding resting on "... unless we agree in writing" must not look unconditional.
    """
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
        "qualified": describe_qualifiers(find_qualifiers(evidence.text)),
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


def anchor(obligation_id: str) -> str:
    """A stable fragment id for links inside a report (``#f-openai-min-age``)."""
    return "f-" + (re.sub(r"[^a-z0-9]+", "-", obligation_id.lower()).strip("-") or "x")


def category_label(category: str) -> str:
    """``prohibited-use`` as a reader sees it: ``Prohibited use``."""
    words = category.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Other"


# --- groups, top gaps and the remediation plan ---------------------------------------------


def _group_context(group: ObligationGroup) -> dict[str, Any]:
    """One duty (possibly imposed by several vendors) and the member that decides it."""
    return {
        "key": group.key,
        "title": group.title,
        "status": group.status.value,
        "status_label": STATUS_LABELS[group.status],
        "severity": group.severity.value,
        "severity_label": SEVERITY_LABELS[group.severity],
        "vendors": list(group.vendors),
        "vendors_text": _join_names(group.vendors),
        "multi_vendor": len(group.vendors) > 1,
        "driver_id": group.driver.obligation_id,
        "driver_vendor": group.driver.vendor,
        "member_ids": [m.obligation_id for m in group.members],
        "note": group.note,
    }


def _gap_groups_context(
    groups: Sequence[ObligationGroup],
    rows: dict[str, dict[str, Any]],
    plan: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One entry per duty that needs work, in remediation-plan order.

    ``driver`` is the full finding that decides the duty (its evidence, what is missing,
    remediation); ``members`` are all the vendors' findings for the duty, worst first,
    so a section can show each vendor's status and citation without repeating itself.
    """
    items = {item["anchor"]: item for item in plan}
    entries = []
    for group in _gap_groups(groups):
        driver = rows[group.driver.obligation_id]
        item = items[driver["anchor"]]
        members = sorted(
            group.members, key=lambda f: (STATUS_ORDER.index(f.status), f.severity.rank)
        )
        entries.append(
            {
                **_group_context(group),
                "anchor": driver["anchor"],
                "driver": driver,
                "members": [rows[m.obligation_id] for m in members],
                "plan_number": item["number"],
                "priority": item["priority"],
                "priority_label": item["priority_label"],
            }
        )
    return entries


def _gap_groups(groups: Iterable[ObligationGroup]) -> list[ObligationGroup]:
    """Duties whose verdict needs action, most urgent first."""
    return sorted((g for g in groups if g.status.is_gap), key=_group_sort_key)


def _remediation_plan(groups: Sequence[ObligationGroup]) -> list[dict[str, Any]]:
    """Numbered action items, one per duty that needs work, ready for a tracker.

    The action is the driving (strictest) vendor's remediation; the item lists every
    member obligation it closes so that a multi-vendor duty is fixed once.
    """
    items = []
    for number, group in enumerate(_gap_groups(groups), start=1):
        rank = priority(group.severity, group.status)
        ids = [m.obligation_id for m in group.members if m.status.is_gap]
        items.append(
            {
                "number": number,
                "priority": rank,
                "priority_label": f"P{rank} {PRIORITY_LABELS[rank]}",
                "title": group.title,
                "action": " ".join(group.driver.remediation.actions) or group.driver.title,
                "obligation_ids": ids,
                "ids_text": ", ".join(ids),
                "anchor": anchor(group.driver.obligation_id),
                "vendors_text": _join_names(group.vendors),
                "severity_label": SEVERITY_LABELS[group.severity],
                "status": group.status.value,
                "status_label": STATUS_LABELS[group.status],
                "owner": "",
                "due": "",
                "checkbox": "☐",
            }
        )
    return items


def _top_gaps(
    groups: Sequence[ObligationGroup], plan_number: dict[str, int]
) -> list[dict[str, Any]]:
    """The most serious gaps as one plain-English sentence each, for the summary."""
    top = []
    for group in _gap_groups(groups)[:TOP_GAPS]:
        driver = group.driver
        top.append(
            {
                "id": driver.obligation_id,
                "anchor": anchor(driver.obligation_id),
                "title": group.title,
                "vendors_text": _join_names(group.vendors),
                "severity": group.severity.value,
                "severity_label": SEVERITY_LABELS[group.severity],
                "status": group.status.value,
                "status_label": STATUS_LABELS[group.status],
                "sentence": _plain_sentence(group),
                "plan_number": plan_number.get(driver.obligation_id),
            }
        )
    return top


def _plain_sentence(group: ObligationGroup) -> str:
    """What the gap means, in words a general counsel can repeat to a product team."""
    driver = group.driver
    who = _join_names(group.vendors)
    verb = "require" if len(group.vendors) > 1 else "requires"
    rule = f"{who} {verb} “{group.title}”"
    where = _where(driver.evidence[0]) if driver.evidence else ""
    if group.status is Status.CONFLICT:
        return f"{rule}, but {where or 'a clause in the terms'} says the opposite."
    if group.status is Status.MISSING:
        return f"{rule}; nothing in the terms addresses it."
    closest = f" (closest: {where})" if where else ""
    return f"{rule}; the terms meet it only in part{closest}."


def _where(evidence: Evidence) -> str:
    """``§2.2 of aup.md``: the shortest citation a sentence can carry."""
    section = f"§{evidence.section} of " if evidence.section else ""
    return f"{section}{evidence.document}"


def _join_names(names: Sequence[str]) -> str:
    """``OpenAI``, ``OpenAI and Anthropic``, ``OpenAI, Anthropic and Google``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- summaries -----------------------------------------------------------------------------


def _vendors(report: Report) -> list[str]:
    """Vendors in catalog order (the coverage-matrix columns), then any only in findings."""
    names = [c.vendor for c in report.catalogs] + [f.vendor for f in report.findings]
    return list(dict.fromkeys(names))


def _coverage_matrix(report: Report) -> list[dict[str, Any]]:
    """Rows per category (catalog order), a cell per vendor: worst status and counts.

    Not-applicable obligations are counted but only decide a cell when nothing else
    in it applies; an empty cell has status ``none``.
    """
    vendors = _vendors(report)
    categories = list(dict.fromkeys(f.category for f in report.findings))
    rows = []
    for category in categories:
        cells = []
        for vendor in vendors:
            members = [f for f in report.findings if f.category == category and f.vendor == vendor]
            cells.append(_matrix_cell(vendor, members))
        rows.append(
            {"category": category, "category_label": category_label(category), "cells": cells}
        )
    return rows


def _matrix_cell(vendor: str, members: Sequence[Finding]) -> dict[str, Any]:
    """One coverage-matrix cell: the worst status among its findings, with counts."""
    if not members:
        return {
            "vendor": vendor,
            "status": EMPTY_CELL,
            "status_label": "—",
            "total": 0,
            "covered": 0,
            "applicable": 0,
            "counts": [],
            "counts_text": "",
        }
    worst = min((f.status for f in members), key=STATUS_ORDER.index)
    counts = [
        {"status": s.value, "label": STATUS_LABELS[s], "count": n}
        for s in STATUS_ORDER
        if (n := sum(1 for f in members if f.status is s))
    ]
    applicable = sum(1 for f in members if f.status is not Status.NOT_APPLICABLE)
    covered = sum(1 for f in members if f.status is Status.COVERED)
    return {
        "vendor": vendor,
        "status": worst.value,
        "status_label": STATUS_LABELS[worst],
        "total": len(members),
        "covered": covered,
        "applicable": applicable,
        "counts": counts,
        "counts_text": f"{covered} of {applicable} covered" if applicable else "not applicable",
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
                "cells": [
                    {"status": status.value, "count": count}
                    for status, count in zip(STATUS_ORDER, counts, strict=True)
                ],
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


def _methodology(report: Report) -> dict[str, Any]:
    """How the statuses were reached, with the thresholds this run actually used.

    The text follows the settings the report records: with a calibrated coverage model
    it describes the model's decision and the rules around it, without one the
    threshold rules. A figure the settings do not record is left out of the sentence
    rather than printed as a placeholder.
    """
    settings = report.settings

    def setting(name: str) -> str:
        return _format_number(settings[name]) if name in settings else ""

    covered, partial = setting("covered_threshold"), setting("partial_threshold")
    floor, margin = setting("specificity_floor"), setting("counterexample_margin")
    model_threshold, statement = setting("coverage_model_threshold"), setting("statement_floor")
    by_margin = f" (by more than {margin})" if settings.get("counterexample_margin") else ""
    below_floor = f", specificity below {floor}" if settings.get("specificity_floor") else ""
    if model_threshold and partial:
        statuses = (
            f"Missing: no clause reaches {partial}, or the obligation lists required parts and "
            "no clause on the topic names any of them (a prohibited use met only by a general "
            "ban is partial instead). Otherwise a coverage model calibrated on labelled operator "
            "terms weighs the best clause's similarity, key terms and specificity, its "
            "neighbours, and the share of required parts named, into a probability of coverage. "
            f"Covered: that probability reaches {model_threshold}, every required part is named "
            "by a clause on the topic"
            + (
                f" (an obligation without listed parts needs a clause scoring {statement} or more)"
                if statement
                else ""
            )
            + ", and the deciding clause is specific to the obligation, not a catch-all. "
            "Partial: anything less, with the missing parts named. "
        )
    elif covered and partial:
        statuses = (
            f"Covered: a specific clause scores at least {covered}. Partial: the best clause "
            f"scores between {partial} and {covered}, or only generic clauses (a catch-all"
            f"{below_floor}) reach {covered}. Missing: no clause reaches {partial}. "
        )
    else:
        statuses = (
            "Covered, partial and missing follow from the best clause's score against the "
            "thresholds recorded with the report. "
        )
    confidence = (
        "Confidence is the coverage model's probability for the status it decided (of "
        "coverage for a covered finding, of a gap for a partial one), and for other statuses "
        "a calibrated function of the deciding score's distance from its threshold. It is "
        "how often such verdicts were right on labelled data, not a probability that the "
        "status is legally right."
        if model_threshold
        else "Confidence grows with the distance between the deciding score and the nearest "
        "threshold; it is not a probability that the status is legally right."
    )
    steps = [
        "Each document is split into the clauses a lawyer would cite: numbered sections, "
        "list items and paragraphs, with long paragraphs split into sentences. Each clause "
        "keeps its section number, heading and page, and is read as part of binding terms or "
        "of a privacy notice, from the titles or as the user said. A privacy notice can "
        "satisfy what users must be told, never a prohibition or a user duty.",
        f"Clauses and each obligation's requirement and example clauses are embedded with the "
        f"sentence-embedding model {report.model}. A clause's score for an obligation is its "
        f"best cosine similarity to the requirement or to one of the examples; a clause closer "
        f"to one of the obligation's counterexamples{by_margin} is set aside, unless it sets "
        "the required minimum age outright.",
        "Conflict: a clause admits users younger than the obligation's minimum age, names a "
        "position the obligation rules out, or permits what it forbids. "
        + statuses
        + "Not applicable: the product profile rules the obligation out.",
        confidence,
        "When the deciding clause carries an exception, a condition or a scope limit "
        '("unless we agree in writing", "only if", "in your profile"), the finding quotes it '
        "and asks the reader to check how far the rule reaches; such words inform the "
        "reader and do not change the status.",
        "Where several vendors impose the same duty, each vendor's obligation is assessed on "
        "its own and the strictest verdict decides; the report names the vendor that drives it.",
    ]
    return {
        "steps": steps,
        "limitations": list(LIMITATIONS),
        "covered_threshold": covered or "n/a",
        "partial_threshold": partial or "n/a",
        "specificity_floor": floor or "n/a",
        "counterexample_margin": margin or "n/a",
        "coverage_model_threshold": model_threshold or "n/a",
        "statement_floor": statement or "n/a",
        "model": report.model,
    }


# --- inputs and dates ----------------------------------------------------------------------


def _document_context(document: DocumentSummary) -> dict[str, Any]:
    """An input file as listed in the report: its file name only, never its folder."""
    return {
        "path": document.path,
        "name": PurePath(document.path).name or document.path,
        "format": document.format,
        "kind": document.kind.value,
        "kind_text": KIND_TEXT[document.kind],
        "sha256": document.sha256,
        "sha256_short": document.sha256[:SHA256_SHORT],
        "words": document.words,
        "words_text": f"{document.words:,}",
        "clauses": document.clauses,
        "warnings": list(document.warnings),
    }


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


def utc_timestamp(value: str) -> dt.datetime | None:
    """``value`` as a naive UTC datetime (what DOCX properties store); None if invalid."""
    moment = parse_timestamp(value)
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def _format_number(value: float) -> str:
    """Thresholds and settings as written by a person: 0.65, 5, not 0.6500000001."""
    return f"{value:.4g}"
