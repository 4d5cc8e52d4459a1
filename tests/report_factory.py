"""A realistic Report for the render tests: two documents, two catalogs, every status."""

from __future__ import annotations

from gapcheck.model import (
    CatalogSummary,
    Citation,
    DocumentSummary,
    Evidence,
    Explanation,
    Finding,
    Regulation,
    Remediation,
    Report,
    Severity,
    Status,
)

TERMS = "acme-terms-of-service.docx"
AUP = "acme-acceptable-use.pdf"
RUN_WARNING = (
    "the matching settings (firm.json) were calibrated for all-mpnet-base-v2 (fp32), not for "
    "all-MiniLM-L6-v2 (fp32): treat the verdicts as uncalibrated"
)

THRESHOLDS = {"covered": 0.62, "partial": 0.48}

# Quotes deliberately contain characters that renderers tend to mangle: a pipe (breaks
# Markdown tables), curly quotes, an em dash, a non-ASCII name and a line break.
QUOTE_DISCLOSURE = (
    "Where Acme\u2019s assistant generates content, we label it as “AI-generated” in the "
    "interface — including in exports | downloads."
)
QUOTE_MINORS_CONFLICT = (
    "Our services are designed for everyone, including children under 13, who may use "
    "the assistant without parental consent."
)
QUOTE_REVIEW = (
    "Users should review outputs before relying on them for medical, legal or financial decisions."
)
QUOTE_PROHIBITED = (
    "You must not use the Services to:\n(a) generate malware; or\n(b) harass, threaten or "
    "defame any person, including Zoë Müller-Łukasiewicz."
)
QUOTE_PASS_THROUGH = (
    "Your use of the Services is also subject to the usage policies of our model "
    "providers, which are incorporated by reference, except where we agree otherwise in "
    "writing."
)
QUALIFIER_PASS_THROUGH = 'exception: "except where we agree otherwise in writing"'
"""What the report must show next to QUOTE_PASS_THROUGH: its exception."""
QUOTE_WEAK_PRIVACY = "We take the privacy of your data seriously."

MODEL_CLAUSE_MINORS = (
    "The Services are not directed to children under 13. Users aged 13 to 17 may use "
    "the Services only with the consent of a parent or legal guardian."
)


def _finding(
    obligation_id: str,
    *,
    title: str,
    severity: Severity,
    status: Status,
    confidence: float,
    evidence: tuple[Evidence, ...],
    rule: str,
    best_score: float,
    catalog: str = "openai-usage-policies",
    vendor: str = "OpenAI",
    category: str = "prohibited-use",
    notes: tuple[str, ...] = (),
    model_clause: str = "The operator will insert clause language here.",
) -> Finding:
    return Finding(
        obligation_id=obligation_id,
        catalog=catalog,
        vendor=vendor,
        title=title,
        requirement=f"The operator's terms must address: {title.lower()}.",
        severity=severity,
        category=category,
        status=status,
        confidence=confidence,
        evidence=evidence,
        remediation=Remediation(
            actions=(f"Add a clause on {title.lower()} to the terms of service.",),
            model_clause=model_clause,
        ),
        citation=Citation(
            vendor=vendor,
            document=f"{vendor} Usage Policies",
            section=f"section {obligation_id[-1]}",
            effective="2025-01-29",
            url="https://example.com/policies/usage?rev=2025-01",
        ),
        severity_reason="Breach of the vendor's terms can end API access.",
        canonical=f"C-{obligation_id[-1]}",
        regulatory=(Regulation(law="EU AI Act art. 50", jurisdictions=("EU",)),),
        explanation=Explanation(
            rule=rule,
            best_score=best_score,
            thresholds=dict(THRESHOLDS),
            matched_example="Users must not use the service to create malware."
            if status is Status.COVERED
            else "",
            notes=notes,
        ),
    )


def _evidence(
    text: str, *, section: str, heading: str, page: int | None, score: float, document: str
) -> Evidence:
    start = 1000 + len(section) * 17
    return Evidence(
        document=document,
        section=section,
        heading=heading,
        page=page,
        text=text,
        score=score,
        start=start,
        end=start + len(text),
    )


def make_report() -> Report:
    """Six findings over all statuses and severities, listed in a scrambled order."""
    findings = (
        _finding(
            "OAI-UP-4",
            title="Disclose AI-generated content | label outputs",
            severity=Severity.MEDIUM,
            status=Status.PARTIAL,
            confidence=0.71234,
            evidence=(
                _evidence(
                    QUOTE_DISCLOSURE,
                    section="7.3",
                    heading="7 Transparency > 7.3 Labelling",
                    page=None,
                    score=0.553217,
                    document=TERMS,
                ),
            ),
            rule="best clause is between the partial and covered thresholds",
            best_score=0.553217,
            category="disclosure",
            notes=("Labelling is limited to the interface; API outputs are not mentioned.",),
        ),
        _finding(
            "ANT-AUP-2",
            title="No use by children under 18",
            severity=Severity.CRITICAL,
            status=Status.CONFLICT,
            confidence=0.88,
            evidence=(
                _evidence(
                    QUOTE_MINORS_CONFLICT,
                    section="2.1",
                    heading="2 Eligibility",
                    page=3,
                    score=0.7012,
                    document=TERMS,
                ),
            ),
            rule="a matching clause permits what the obligation forbids",
            best_score=0.7012,
            catalog="anthropic-aup",
            vendor="Anthropic",
            category="age-and-minors",
            notes=("Clause allows use by children under 13 without consent.",),
            model_clause=MODEL_CLAUSE_MINORS,
        ),
        _finding(
            "OAI-UP-1",
            title="Prohibit malware and harassment",
            severity=Severity.HIGH,
            status=Status.COVERED,
            confidence=0.93,
            evidence=(
                _evidence(
                    QUOTE_PROHIBITED,
                    section="5.2",
                    heading="5 Acceptable use > 5.2 Prohibited content",
                    page=4,
                    score=0.812345,
                    document=AUP,
                ),
                _evidence(
                    QUOTE_PASS_THROUGH,
                    section="",
                    heading="",
                    page=None,
                    score=0.6301,
                    document=TERMS,
                ),
            ),
            rule="best clause is at or above the covered threshold",
            best_score=0.812345,
        ),
        _finding(
            "ANT-AUP-7",
            title="Human review of high-risk outputs",
            severity=Severity.HIGH,
            status=Status.MISSING,
            confidence=0.64,
            evidence=(
                _evidence(
                    QUOTE_REVIEW,
                    section="9",
                    heading="9 Disclaimers",
                    page=6,
                    score=0.41,
                    document=AUP,
                ),
            ),
            rule="no clause reaches the partial threshold",
            best_score=0.41,
            catalog="anthropic-aup",
            vendor="Anthropic",
            category="human-oversight",
        ),
        _finding(
            "OAI-UP-9",
            title="Protect personal data in prompts",
            severity=Severity.LOW,
            status=Status.MISSING,
            confidence=0.5,
            evidence=(),
            rule="no clause reaches the partial threshold",
            best_score=0.12,
            category="privacy",
        ),
        _finding(
            "OAI-UP-6",
            title="Medical use requires a qualified professional",
            severity=Severity.HIGH,
            status=Status.NOT_APPLICABLE,
            confidence=1.0,
            evidence=(),
            rule="profile: the operator does not offer medical services",
            best_score=0.0,
        ),
        _finding(
            "ANT-AUP-3",
            title="Pass vendor usage policies through to users",
            severity=Severity.MEDIUM,
            status=Status.COVERED,
            confidence=0.9,
            evidence=(
                _evidence(
                    QUOTE_PASS_THROUGH,
                    section="1.4",
                    heading="1 Agreement > 1.4 Third-party terms",
                    page=2,
                    score=0.77,
                    document=TERMS,
                ),
                _evidence(
                    QUOTE_WEAK_PRIVACY,
                    section="12",
                    heading="12 Privacy",
                    page=9,
                    score=0.3,
                    document=AUP,
                ),
            ),
            rule="best clause is at or above the covered threshold",
            best_score=0.77,
            catalog="anthropic-aup",
            vendor="Anthropic",
            category="pass-through",
        ),
    )
    return Report(
        gapcheck_version="0.1.0",
        generated_at="2025-03-14T09:26:53Z",
        operator="Acme Assistants GmbH",
        documents=(
            DocumentSummary(
                path=f"/private/clients/acme/{TERMS}",
                format="docx",
                sha256="3f1c9a7be2d4408e9c51a0d6b7e8f9a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7",
                words=4210,
                clauses=87,
            ),
            DocumentSummary(
                path=AUP,
                format="pdf",
                sha256="a0b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff",
                words=1532,
                clauses=31,
                warnings=("page 7 has no extractable text (scanned image?)",),
            ),
        ),
        catalogs=(
            CatalogSummary(
                id="openai-usage-policies",
                vendor="OpenAI",
                title="OpenAI Usage Policies",
                version="2025-01-29",
                obligations=4,
            ),
            CatalogSummary(
                id="anthropic-aup",
                vendor="Anthropic",
                title="Anthropic Usage Policy",
                version="2024-06-06",
                obligations=3,
            ),
        ),
        model="sentence-transformers/all-MiniLM-L6-v2",
        findings=findings,
        settings={"partial_threshold": 0.48, "covered_threshold": 0.62, "top_k": 3.0},
        warnings=(RUN_WARNING,),
    )
