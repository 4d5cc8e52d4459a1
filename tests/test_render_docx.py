"""DOCX report: structure, sorted and shaded findings table, verbatim quotes, determinism."""

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
from docx.text.paragraph import Paragraph
from report_factory import (
    MODEL_CLAUSE_MINORS,
    QUOTE_DISCLOSURE,
    QUOTE_MINORS_CONFLICT,
    QUOTE_PASS_THROUGH,
    QUOTE_PROHIBITED,
    QUOTE_REVIEW,
    QUOTE_WEAK_PRIVACY,
    make_report,
)

from gapcheck.errors import OutputError
from gapcheck.model import Report, Severity, Status
from gapcheck.render import render, render_docx
from gapcheck.render.context import DISCLAIMER
from gapcheck.render.docx_style import MODEL_CLAUSE_FILL, STATUS_FILLS, TEXT_WIDTH

SEVERITY_LABELS = {s.value.capitalize(): s for s in Severity}


def _open(report: Report) -> Document:
    return open_document(io.BytesIO(render_docx(report)))


@pytest.fixture(scope="module")
def document() -> Document:
    return _open(make_report())


def _headings(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def _table_with_header(document: Document, *header: str) -> Table:
    for table in document.tables:
        if tuple(cell.text for cell in table.rows[0].cells) == header:
            return table
    raise AssertionError(f"no table with header {header}")


def _fill(element: _Cell | Paragraph) -> str | None:
    xml = element._tc if isinstance(element, _Cell) else element._p
    shading = xml.find(f".//{qn('w:shd')}")
    return None if shading is None else shading.get(qn("w:fill"))


def test_title_and_metadata(document: Document) -> None:
    assert _headings(document, "Title") == ["AI usage-policy gap report"]
    texts = [p.text for p in document.paragraphs]
    assert "Operator: Acme Assistants GmbH" in texts
    assert "Date: 2025-03-14" in texts
    assert "Matching model: sentence-transformers/all-MiniLM-L6-v2" in texts


def test_section_headings(document: Document) -> None:
    assert _headings(document, "Heading 1") == [
        "Documents analysed",
        "Catalogs and model",
        "Summary",
        "Findings",
        "Gaps requiring action",
        "Appendix: covered obligations",
        "Appendix: obligations not applicable",
        "About this report",
    ]
    assert _headings(document, "Heading 2") == [
        "ANT-AUP-2 — No use by children under 18",
        "ANT-AUP-7 — Human review of high-risk outputs",
        "OAI-UP-4 — Disclose AI-generated content | label outputs",
        "OAI-UP-9 — Protect personal data in prompts",
        "OAI-UP-1 — Prohibit malware and harassment",
        "ANT-AUP-3 — Pass vendor usage policies through to users",
    ]


def test_documents_table(document: Document) -> None:
    table = _table_with_header(document, "File", "Format", "Words", "Clauses", "SHA-256")
    report = make_report()
    assert len(table.rows) == 1 + len(report.documents)
    first = table.rows[1].cells
    assert first[0].text == "acme-terms-of-service.docx"
    assert first[2].text == "4,210"
    sha = report.documents[0].sha256
    assert first[4].paragraphs[0].text == sha[:16] + "…"
    assert first[4].paragraphs[1].text == sha


def test_findings_table_sorted_with_every_id(document: Document) -> None:
    table = _table_with_header(document, "ID", "Obligation", "Severity", "Status", "Conf.")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    ids = [row[0] for row in rows]
    assert sorted(ids) == sorted(f.obligation_id for f in make_report().findings)
    ranks = [SEVERITY_LABELS[row[2]].rank for row in rows]
    assert ranks == sorted(ranks)
    assert ids == [
        "ANT-AUP-2",
        "ANT-AUP-7",
        "OAI-UP-1",
        "OAI-UP-6",
        "OAI-UP-4",
        "ANT-AUP-3",
        "OAI-UP-9",
    ]
    assert rows[0][3:] == ["Conflict", "88%"]


def test_status_cells_are_shaded(document: Document) -> None:
    table = _table_with_header(document, "ID", "Obligation", "Severity", "Status", "Conf.")
    statuses = {f.obligation_id: f.status for f in make_report().findings}
    for row in table.rows[1:]:
        status = statuses[row.cells[0].text]
        assert _fill(row.cells[3]) == STATUS_FILLS[status.value]
    assert STATUS_FILLS == {
        "covered": "C6EFCE",
        "partial": "FFEB9C",
        "missing": "FFC7CE",
        "conflict": "C00000",
        "not_applicable": "D9D9D9",
    }


def test_summary_tables(document: Document) -> None:
    table = _table_with_header(document, "Status", "Count")
    counts = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    assert counts == {
        "Conflict": "1",
        "Missing": "2",
        "Partial": "1",
        "Covered": "2",
        "Not applicable": "1",
        "Total": "7",
    }
    assert _fill(table.rows[1].cells[0]) == STATUS_FILLS["conflict"]
    matrix = _table_with_header(
        document, "Severity", "Conflict", "Missing", "Partial", "Covered", "Not applicable", "Total"
    )
    assert [c.text for c in matrix.rows[2].cells] == ["High", "0", "1", "0", "1", "1", "3"]
    texts = [p.text for p in document.paragraphs]
    assert "Coverage: 2 of 6 applicable obligations covered (33%)." in texts


def test_evidence_quotes_verbatim(document: Document) -> None:
    quotes = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Quote"
    ]
    for quote in (
        QUOTE_MINORS_CONFLICT,
        QUOTE_REVIEW,
        QUOTE_DISCLOSURE,
        QUOTE_PROHIBITED,
        QUOTE_PASS_THROUGH,
        QUOTE_WEAK_PRIVACY,
    ):
        assert quote in quotes
    paragraph = next(p for p in document.paragraphs if p.text == QUOTE_MINORS_CONFLICT)
    assert all(run.italic for run in paragraph.runs)


def test_evidence_prefixed_by_location(document: Document) -> None:
    texts = [p.text for p in document.paragraphs]
    index = texts.index(QUOTE_MINORS_CONFLICT)
    assert texts[index - 1] == (
        "§2.1 — 2 Eligibility (p. 3) · acme-terms-of-service.docx · similarity 0.70"
    )
    index = texts.index(QUOTE_DISCLOSURE)
    assert texts[index - 1].startswith("§7.3 — 7 Transparency > 7.3 Labelling · ")


def test_gap_detail(document: Document) -> None:
    texts = [p.text for p in document.paragraphs]
    start = texts.index("ANT-AUP-2 — No use by children under 18")
    section = texts[start : texts.index("ANT-AUP-7 — Human review of high-risk outputs")]
    assert "Status:  Conflict    Severity: Critical   Confidence: 88%" in section
    assert "Requirement: The operator's terms must address: no use by children under 18." in section
    assert (
        "Source: Anthropic, Anthropic Usage Policies (2025-01-29), section 2 — "
        "https://example.com/policies/usage?rev=2025-01"
        in section
    )
    for label in ("Evidence", "Why", "Remediation", "Model clause"):
        assert label in section
    assert "Deciding rule: a matching clause permits what the obligation forbids" in section
    assert "Add a clause on no use by children under 18 to the terms of service." in section
    clause = next(p for p in document.paragraphs if p.text == MODEL_CLAUSE_MINORS)
    assert _fill(clause) == MODEL_CLAUSE_FILL
    missing = texts[texts.index("ANT-AUP-7 — Human review of high-risk outputs") :]
    assert "Closest clauses found" in missing[:10]


def test_source_is_a_hyperlink(document: Document) -> None:
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert targets == {"https://example.com/policies/usage?rev=2025-01"}
    assert document.element.body.findall(f".//{qn('w:hyperlink')}")


def test_disclaimer_is_last(document: Document) -> None:
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[-1] == DISCLAIMER
    footer = document.sections[0].footer.paragraphs[0].text
    assert "Not legal advice" in footer


def test_core_properties_are_deterministic(document: Document) -> None:
    properties = document.core_properties
    assert properties.author == "gapcheck"
    assert properties.title == "AI usage-policy gap report: Acme Assistants GmbH"
    assert properties.subject
    assert properties.created == dt.datetime(2025, 3, 14, 9, 26, 53, tzinfo=dt.timezone.utc)
    assert properties.modified == properties.created


def test_same_report_same_bytes() -> None:
    first = render_docx(make_report())
    second = render_docx(make_report())
    with zipfile.ZipFile(io.BytesIO(first)) as a, zipfile.ZipFile(io.BytesIO(second)) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
        assert a.read("docProps/core.xml") == b.read("docProps/core.xml")
    assert first == second


def test_tables_fit_a4_and_letter(document: Document) -> None:
    for table in document.tables:
        grid = table._tbl.tblGrid
        total = sum(int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol")))
        assert total * 635 <= TEXT_WIDTH  # twips to EMU
    section = document.sections[0]
    assert section.left_margin is not None and section.right_margin is not None
    a4_text_width = 7560310 - section.left_margin - section.right_margin  # A4 width in EMU
    assert a4_text_width >= TEXT_WIDTH


def test_no_appendix_when_nothing_covered_or_excluded() -> None:
    report = make_report()
    gaps_only = tuple(f for f in report.findings if f.status.is_gap)
    document = _open(dataclasses.replace(report, findings=gaps_only))
    headings = _headings(document, "Heading 1")
    assert "Appendix: covered obligations" not in headings
    assert "Appendix: obligations not applicable" not in headings


def test_no_gaps_says_so() -> None:
    report = make_report()
    covered = tuple(f for f in report.findings if f.status is Status.COVERED)
    document = _open(dataclasses.replace(report, findings=covered))
    assert "No gaps: every applicable obligation is covered." in [
        p.text for p in document.paragraphs
    ]


def test_control_characters_do_not_break_the_file() -> None:
    report = make_report()
    finding = report.findings[0]
    evidence = dataclasses.replace(finding.evidence[0], text="Page one\x0cpage two\ttabbed")
    odd = dataclasses.replace(finding, evidence=(evidence,))
    document = _open(dataclasses.replace(report, findings=(odd,)))
    assert "Page one page two\ttabbed" in [p.text for p in document.paragraphs]


def test_bad_timestamp_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="generated_at"):
        render_docx(dataclasses.replace(make_report(), generated_at="last Tuesday"))


def test_offset_timestamp_is_stored_in_utc() -> None:
    report = dataclasses.replace(make_report(), generated_at="2025-03-14T10:26:53+01:00")
    created = _open(report).core_properties.created
    assert created == dt.datetime(2025, 3, 14, 9, 26, 53, tzinfo=dt.timezone.utc)


def test_dispatch(tmp_path: Path) -> None:
    assert render(make_report(), "docx", tmp_path) == render_docx(make_report())
