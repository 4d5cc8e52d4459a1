"""DOCX report from the Word template: structure, content, shading, order, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_document
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from paths import PROJECT_ROOT
from report_factory import (
    MODEL_CLAUSE_MINORS,
    QUALIFIER_PASS_THROUGH,
    QUOTE_DISCLOSURE,
    QUOTE_MINORS_CONFLICT,
    QUOTE_PROHIBITED,
    QUOTE_REVIEW,
    RUN_WARNING,
    make_report,
)

from gapcheck.errors import OutputError
from gapcheck.model import Report, Severity, Status
from gapcheck.render import render, render_docx, report_context
from gapcheck.render.context import DISCLAIMER

TEMPLATES = PROJECT_ROOT / "report_templates"
TEMPLATE = TEMPLATES / "report.docx"
SEVERITY_LABELS = {s.value.capitalize(): s for s in Severity}
TEXT_WIDTH_TWIPS = 9072  # 16 cm: A4 less the template's 2.3 cm margins, with room for Letter


def _open(report: Report) -> Document:
    return open_document(io.BytesIO(render_docx(report, TEMPLATE)))


@pytest.fixture(scope="module")
def document() -> Document:
    return _open(make_report())


def _multi_vendor_report() -> Report:
    """ANT-AUP-7 (Anthropic, high, missing) and OAI-UP-4 (OpenAI, medium, partial): one duty."""
    report = make_report()
    findings = list(report.findings)
    findings[3] = dataclasses.replace(findings[3], canonical="C-REVIEW")
    findings[0] = dataclasses.replace(findings[0], canonical="C-REVIEW")
    return dataclasses.replace(report, findings=tuple(findings))


def _styled(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def _table(document: Document, *header: str) -> Table:
    for table in document.tables:
        if tuple(cell.text for cell in table.rows[0].cells)[: len(header)] == header:
            return table
    raise AssertionError(f"no table with header {header}")


def _fill(cell: _Cell) -> str | None:
    shading = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    return None if shading is None else shading.get(qn("w:fill"))


def _all_text(document: Document) -> str:
    return "\n".join(t.text or "" for t in document.element.body.iter(qn("w:t")))


def test_cover_names_operator_date_documents_policies_and_model(document: Document) -> None:
    assert _styled(document, "Title") == ["AI usage-policy gap report"]
    assert _styled(document, "Subtitle") == ["Acme Assistants GmbH"]
    texts = [p.text for p in document.paragraphs]
    assert "Report date: 2025-03-14" in texts
    files = _table(document, "File", "Format", "Words", "SHA-256")
    rows = [[c.text for c in row.cells] for row in files.rows[1:]]
    report = make_report()
    assert rows == [
        ["acme-terms-of-service.docx", "docx", "4,210", report.documents[0].sha256],
        ["acme-acceptable-use.pdf", "pdf", "1,532", report.documents[1].sha256],
    ]
    assert "/private/clients" not in _all_text(document)
    catalogs = _table(document, "Catalog", "Vendor", "Policy version", "Obligations")
    assert [[c.text for c in row.cells] for row in catalogs.rows[1:]] == [
        ["OpenAI Usage Policies", "OpenAI", "2025-01-29", "4"],
        ["Anthropic Usage Policy", "Anthropic", "2024-06-06", "3"],
    ]
    assert any("sentence-transformers/all-MiniLM-L6-v2" in t for t in texts)
    assert any("page 7 has no extractable text" in t for t in texts)
    warnings = [p for p in document.paragraphs if p.text.startswith("Warning: ")]
    assert [p.text for p in warnings] == [f"Warning: {RUN_WARNING}"]
    assert warnings[0].style is not None and warnings[0].style.name == "Report Warning"
    assert texts.index(warnings[0].text) < texts.index("Report date: 2025-03-14") + 3


def test_sections_in_order(document: Document) -> None:
    assert _styled(document, "Heading 1") == [
        "Executive summary",
        "Coverage by category and vendor",
        "All findings",
        "Gaps in detail",
        "Remediation plan",
        "Appendix: Methodology",
        "Appendix: Covered obligations and their evidence",
        "Appendix: Obligations not applicable",
        "Appendix: Disclaimer",
    ]
    assert _styled(document, "Heading 2") == [
        "1. No use by children under 18",
        "2. Human review of high-risk outputs",
        "3. Disclose AI-generated content | label outputs",
        "4. Protect personal data in prompts",
    ]


def test_no_tag_survives_rendering(document: Document) -> None:
    text = _all_text(document)
    for marker in ("{{", "}}", "{%", "%}", "{#"):
        assert marker not in text
    for section in document.sections:
        for part in (section.header, section.footer):
            assert "{{" not in "".join(p.text for p in part.paragraphs)


def test_executive_summary_counts_and_top_gaps(document: Document) -> None:
    texts = [p.text for p in document.paragraphs]
    headline = "4 of 6 applicable obligations need action (1 critical, 1 high, 1 medium, 1 low)."
    assert headline in texts
    assert _styled(document, "Big Number") == ["33%"]
    matrix = _table(document, "Severity", "Conflict", "Missing", "Partial", "Covered")
    rows = [[c.text for c in row.cells] for row in matrix.rows]
    assert rows[0] == [
        "Severity",
        "Conflict",
        "Missing",
        "Partial",
        "Covered",
        "Not applicable",
        "Total",
    ]
    assert rows[2] == ["High", "0", "1", "0", "1", "1", "3"]
    assert rows[-1] == ["Total", "1", "2", "1", "2", "1", "7"]
    assert len({_fill(cell) for cell in matrix.rows[0].cells[1:6]}) == 5  # a colour per status
    top = _table(document, "#", "Gap", "Severity", "Status")
    assert [row.cells[0].text for row in top.rows[1:]] == ["1", "2", "3", "4"]
    first = top.rows[1].cells
    assert first[1].paragraphs[0].text == (
        "Anthropic requires “No use by children under 18”, but §2.1 of "
        "acme-terms-of-service.docx says the opposite."
    )
    assert first[3].text == "Conflict"
    assert _fill(first[3]) != _fill(top.rows[2].cells[3])  # conflict vs missing


def test_coverage_matrix_is_category_by_vendor_and_shaded(document: Document) -> None:
    matrix = _table(document, "Category", "OpenAI", "Anthropic")
    cells = {
        (row.cells[0].text, vendor): row.cells[index]
        for row in matrix.rows[1:]
        for index, vendor in ((1, "OpenAI"), (2, "Anthropic"))
    }
    assert cells[("Age and minors", "Anthropic")].paragraphs[0].text == "Conflict"
    assert cells[("Age and minors", "Anthropic")].paragraphs[1].text == "0/1"
    assert cells[("Prohibited use", "OpenAI")].paragraphs[0].text == "Covered"
    assert cells[("Age and minors", "OpenAI")].paragraphs[0].text == "—"
    fills = {key: _fill(cell) for key, cell in cells.items()}
    assert fills[("Age and minors", "OpenAI")] == "FFFFFF"  # no obligation: unshaded
    shaded = {
        fills[("Age and minors", "Anthropic")],
        fills[("Human oversight", "Anthropic")],
        fills[("Disclosure", "OpenAI")],
        fills[("Prohibited use", "OpenAI")],
    }
    assert len(shaded) == 4 and None not in shaded  # conflict, missing, partial, covered
    widths = [int(c.get(qn("w:w"))) for c in matrix._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(widths) == 3 and widths[1] == widths[2]  # vendors share the width evenly
    assert abs(sum(widths) - TEXT_WIDTH_TWIPS) <= 10


def test_findings_table_sorted_by_severity_with_shaded_status(document: Document) -> None:
    table = _table(document, "Obligation", "Category", "Severity", "Status", "Conf.")
    rows = table.rows[1:]
    ids = [row.cells[0].paragraphs[1].text.split(" · ")[0] for row in rows]
    assert ids == [f["id"] for f in report_context(make_report())["findings"]]
    ranks = [SEVERITY_LABELS[row.cells[2].text].rank for row in rows]
    assert ranks == sorted(ranks)
    statuses = {f.obligation_id: f.status for f in make_report().findings}
    fills: dict[Status, str | None] = {}
    for ident, row in zip(ids, rows, strict=True):
        fills.setdefault(statuses[ident], _fill(row.cells[3]))
        assert _fill(row.cells[3]) == fills[statuses[ident]]
    assert len(set(fills.values())) == len(Status)
    assert rows[0].cells[0].paragraphs[0].text == "No use by children under 18"
    assert [c.text for c in rows[0].cells[3:]] == ["Conflict", "88%"]


def test_gap_section_has_every_part(document: Document) -> None:
    texts = [p.text for p in document.paragraphs]
    start = texts.index("1. No use by children under 18")
    section = texts[start : texts.index("2. Human review of high-risk outputs")]
    for label in (
        "The obligation",
        "Evidence in the terms",
        "What is missing",
        "Governance exposure",
        "Regulatory context",
        "Why this status",
        "Recommended remediation",
        "Model clause",
    ):
        assert label in section, label
    assert "The operator's terms must address: no use by children under 18." in section
    assert (
        "Source: Anthropic, Anthropic Usage Policies (2025-01-29), section 2 "
        "https://example.com/policies/usage?rev=2025-01" in section
    )
    assert "§2.1 — 2 Eligibility (p. 3) · acme-terms-of-service.docx · similarity 0.70" in section
    assert QUOTE_MINORS_CONFLICT in section
    assert "A clause in the terms says the opposite of what this obligation requires." in section
    assert "Breach of the vendor's terms can end API access." in section
    assert "Jurisdictions flagged: EU" in section
    assert "EU AI Act art. 50 (EU)" in section
    assert MODEL_CLAUSE_MINORS in section
    assert _styled(document, "Model Clause")[0] == MODEL_CLAUSE_MINORS
    facts = next(
        t
        for t in document.tables
        if len(t.rows[0].cells) == 4 and t.rows[0].cells[1].text.startswith("Severity:")
    )
    assert facts.rows[0].cells[0].text == "Conflict"
    assert [c.text for c in facts.rows[0].cells[1:]] == [
        "Severity: Critical",
        "Confidence: 88%",
        "Priority: P1 Urgent",
    ]
    missing = texts[texts.index("2. Human review of high-risk outputs") :]
    assert "Closest clauses found in the terms" in missing[:12]


def test_quotes_are_verbatim_in_quote_style(document: Document) -> None:
    quotes = _styled(document, "Quote")
    for quote in (QUOTE_MINORS_CONFLICT, QUOTE_REVIEW, QUOTE_DISCLOSURE):
        assert quote in quotes
    assert QUOTE_PROHIBITED in _all_text(document).replace("\n", "\n")  # covered appendix


def test_source_links_are_hyperlinks(document: Document) -> None:
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert targets == {"https://example.com/policies/usage?rev=2025-01"}
    assert document.element.body.findall(f".//{qn('w:hyperlink')}")


def test_remediation_plan_is_numbered_with_owner_and_checkbox(document: Document) -> None:
    plan = _table(document, "#", "Priority", "Action", "Owner", "Due", "Done")
    rows = [[c.text for c in row.cells] for row in plan.rows[1:]]
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    assert [row[1] for row in rows] == ["P1 Urgent", "P2 High", "P3 Medium", "P4 Low"]
    assert all(row[3] == "" and row[4] == "" and row[5] == "☐" for row in rows)
    assert rows[0][2] == (
        "Add a clause on no use by children under 18 to the terms of service.\nANT-AUP-2"
    )


def test_appendix_methodology_covered_not_applicable_disclaimer(document: Document) -> None:
    steps = _styled(document, "List Number")
    assert len(steps) == 6
    assert any("exception, a condition or a scope limit" in step for step in steps)
    assert any("at least 0.62" in step and "between 0.48 and 0.62" in step for step in steps)
    covered = _table(document, "Obligation", "Evidence in the terms")
    assert [row.cells[0].paragraphs[0].text for row in covered.rows[1:]] == [
        "Prohibit malware and harassment",
        "Pass vendor usage policies through to users",
    ]
    assert QUOTE_PROHIBITED.split("\n")[0] in covered.rows[1].cells[1].text
    assert "Narrowed by" not in covered.rows[1].cells[1].text
    assert f"Narrowed by {QUALIFIER_PASS_THROUGH}" in covered.rows[2].cells[1].text
    excluded = _table(document, "Obligation", "Reason")
    assert excluded.rows[1].cells[1].text == "profile: the operator does not offer medical services"
    texts = [p.text for p in document.paragraphs if p.text]
    assert DISCLAIMER in texts
    assert texts[texts.index("Appendix: Disclaimer") + 1] == DISCLAIMER  # also on the cover
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Not legal advice · 2025-03-14")


def test_multi_vendor_duty_lists_every_vendor() -> None:
    document = _open(_multi_vendor_report())
    assert "2. Human review of high-risk outputs" in _styled(document, "Heading 2")
    members = _table(document, "Vendor", "Obligation", "Status", "Severity", "Source")
    assert [[c.text for c in row.cells[:4]] for row in members.rows[1:]] == [
        ["Anthropic", "Human review of high-risk outputs\nANT-AUP-7", "Missing", "High"],
        ["OpenAI", "Disclose AI-generated content | label outputs\nOAI-UP-4", "Partial", "Medium"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Anthropic's version decides (missing); OpenAI: partial." in texts
    assert "Appendix: Duties imposed by several vendors" in _styled(document, "Heading 1")


def test_special_characters_are_escaped() -> None:
    report = make_report()
    finding = report.findings[1]
    evidence = dataclasses.replace(finding.evidence[0], text="A <script>x</script> & “y” \x0c z")
    odd = dataclasses.replace(finding, evidence=(evidence,))
    document = _open(dataclasses.replace(report, operator="Smith & <Jones>", findings=(odd,)))
    assert _styled(document, "Subtitle") == ["Smith & <Jones>"]
    assert "A <script>x</script> & “y”   z" in _styled(document, "Quote")
    assert document.core_properties.title == "AI usage-policy gap report: Smith & <Jones>"


def test_tables_fit_the_page(document: Document) -> None:
    for table in document.tables:
        total = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
        assert total <= TEXT_WIDTH_TWIPS + 10
    section = document.sections[0]
    assert section.page_width is not None and section.left_margin is not None
    text_width = section.page_width - section.left_margin - section.right_margin
    assert text_width >= TEXT_WIDTH_TWIPS * 635  # twips to EMU


def test_no_gaps_and_no_optional_appendices() -> None:
    report = make_report()
    covered = tuple(f for f in report.findings if f.status is Status.COVERED)
    document = _open(dataclasses.replace(report, findings=covered))
    assert "No gaps: every applicable obligation is covered." in [
        p.text for p in document.paragraphs
    ]
    headings = _styled(document, "Heading 1")
    assert "Remediation plan" not in headings
    assert "Appendix: Obligations not applicable" not in headings
    gaps_only = tuple(f for f in report.findings if f.status.is_gap)
    headings = _styled(_open(dataclasses.replace(report, findings=gaps_only)), "Heading 1")
    assert "Appendix: Covered obligations and their evidence" not in headings


def test_core_properties_are_dated_by_the_report(document: Document) -> None:
    properties = document.core_properties
    assert properties.author == "gapcheck"
    assert properties.title == "AI usage-policy gap report: Acme Assistants GmbH"
    assert properties.comments == "gapcheck 0.1.0; model sentence-transformers/all-MiniLM-L6-v2"
    moment = dt.datetime(2025, 3, 14, 9, 26, 53, tzinfo=dt.timezone.utc)
    assert properties.created == properties.modified == properties.last_printed == moment
    assert properties.revision == 1


def test_same_report_same_bytes() -> None:
    first = render_docx(make_report(), TEMPLATE)
    assert render_docx(make_report(), TEMPLATE) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert package.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_bad_timestamp_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="generated_at"):
        render_docx(dataclasses.replace(make_report(), generated_at="last Tuesday"), TEMPLATE)


def test_offset_timestamp_is_stored_in_utc() -> None:
    report = dataclasses.replace(make_report(), generated_at="2025-03-14T10:26:53+01:00")
    created = _open(report).core_properties.created
    assert created == dt.datetime(2025, 3, 14, 9, 26, 53, tzinfo=dt.timezone.utc)


def test_dispatch(tmp_path: Path) -> None:
    assert render(make_report(), "docx", TEMPLATES) == render_docx(make_report(), TEMPLATE)
