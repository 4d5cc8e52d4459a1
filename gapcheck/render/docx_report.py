"""The Word report: the deliverable a lawyer opens, built with python-docx from the context.

It reads only :func:`gapcheck.render.context.report_context`, so every count, order and
formatted score matches the Markdown report. The layout follows what legal teams expect
from a gap report: metadata with file fingerprints, a summary, a findings table sorted
by severity, one section per gap with quoted evidence and a model clause, an appendix
of covered obligations, and a standing disclaimer. Colours, sizes and the paragraph
primitives live in :mod:`gapcheck.render.docx_style`; only built-in Word styles are used
so a firm's own template styles can restyle it later.

The output is reproducible: the document dates are the report's ``generated_at`` and the
zip entries carry a fixed timestamp, so the same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt, RGBColor

from gapcheck.errors import OutputError
from gapcheck.model import Report
from gapcheck.render.context import parse_timestamp, report_context
from gapcheck.render.docx_style import (
    BODY_SIZE,
    HEADER_FILL,
    MARGIN,
    MODEL_CLAUSE_FILL,
    MONOSPACE,
    MUTED,
    QUOTE_INDENT,
    SMALL_SIZE,
    STATUS_FILLS,
    STATUS_TEXT,
    TABLE_SIZE,
    add_labelled,
    add_run,
    add_subheading,
    add_table,
    new_row,
    status_cell,
    write_cell,
    xml_safe,
)
from gapcheck.render.ooxml import (
    add_hyperlink,
    add_page_number,
    keep_row_together,
    reproducible_package,
    set_column_widths,
    shade_cell,
    shade_paragraph,
)


def render_docx(report: Report) -> bytes:
    """Build the DOCX report for ``report`` and return the file's bytes.

    Raises:
        OutputError: ``report.generated_at`` is not an ISO 8601 timestamp, so the
            document's creation date cannot be set reproducibly.
    """
    context = report_context(report)
    document = new_document()
    _set_up_page(document, context)
    _set_properties(document, report, context)
    _add_title(document, context)
    _add_documents(document, context)
    _add_catalogs(document, context)
    _add_summary(document, context)
    _add_findings_table(document, context)
    _add_gaps(document, context)
    _add_covered(document, context)
    _add_not_applicable(document, context)
    _add_disclaimer(document, context)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_package(buffer.getvalue())


# --- page, metadata and title -------------------------------------------------------------


def _set_up_page(document: Document, context: dict[str, Any]) -> None:
    """Margins, body font size, and a footer with the report name and page number."""
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(4)
    quote = document.styles["Quote"]
    quote.paragraph_format.left_indent = QUOTE_INDENT
    quote.paragraph_format.right_indent = QUOTE_INDENT
    quote.paragraph_format.space_after = Pt(8)
    for section in document.sections:
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(footer, f"{context['title']} · {context['operator']} · Not legal advice · Page ")
        add_page_number(footer)
        for run in footer.runs:
            run.font.size = SMALL_SIZE
            run.font.color.rgb = MUTED


def _set_properties(document: Document, report: Report, context: dict[str, Any]) -> None:
    """Title, subject and author, dated at ``generated_at`` so the file is reproducible."""
    moment = parse_timestamp(report.generated_at)
    if moment is None:
        raise OutputError(
            f"cannot date the DOCX report: generated_at {report.generated_at!r} "
            "is not an ISO 8601 timestamp"
        )
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = _metadata(f"{context['title']}: {report.operator}")
    properties.subject = "AI vendor usage-policy obligations compared with terms of service"
    properties.author = "gapcheck"
    properties.last_modified_by = "gapcheck"
    properties.comments = _metadata(f"gapcheck {report.gapcheck_version}; model {report.model}")
    properties.keywords = _metadata(", ".join(c.id for c in report.catalogs))
    properties.revision = 1
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment


def _metadata(text: str) -> str:
    """Core properties hold at most 255 characters; longer values are cut with an ellipsis."""
    return text if len(text) <= 255 else text[:254] + "…"


def _add_title(document: Document, context: dict[str, Any]) -> None:
    """Title, then who and when: the first lines a reader checks."""
    document.add_paragraph(xml_safe(context["title"]), style="Title")
    add_labelled(document, "Operator", context["operator"])
    add_labelled(document, "Date", context["date"])
    add_labelled(
        document,
        "Generated by",
        f"gapcheck {context['gapcheck_version']} ({context['generated_at']})",
    )


# --- inputs ---------------------------------------------------------------------------------


def _add_documents(document: Document, context: dict[str, Any]) -> None:
    """Files analysed, with fingerprints so a reader can tell which version was checked."""
    document.add_heading("Documents analysed", level=1)
    widths = (Inches(1.95), Inches(0.7), Inches(0.65), Inches(0.7), Inches(2.2))
    table = add_table(document, ("File", "Format", "Words", "Clauses", "SHA-256"), widths)
    for doc in context["documents"]:
        cells = new_row(table).cells
        write_cell(cells[0], doc["name"])
        write_cell(cells[1], doc["format"])
        write_cell(cells[2], doc["words_text"], align=WD_ALIGN_PARAGRAPH.RIGHT)
        write_cell(cells[3], str(doc["clauses"]), align=WD_ALIGN_PARAGRAPH.RIGHT)
        write_cell(cells[4], doc["sha256_short"] + "…", font=MONOSPACE)
        full = cells[4].add_paragraph()
        add_run(full, doc["sha256"], size=SMALL_SIZE, font=MONOSPACE, colour=MUTED)
    set_column_widths(table, widths)
    for doc in context["documents"]:
        for warning in doc["warnings"]:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.paragraph_format.space_before = Pt(6)
            add_run(paragraph, f"{doc['name']}: ", bold=True)
            add_run(paragraph, warning)


def _add_catalogs(document: Document, context: dict[str, Any]) -> None:
    """Which vendor catalogs (and versions) the terms were checked against, and how."""
    document.add_heading("Catalogs and model", level=1)
    widths = (Inches(2.9), Inches(1.2), Inches(1.1), Inches(1.0))
    table = add_table(document, ("Catalog", "Vendor", "Version", "Obligations"), widths)
    for catalog in context["catalogs"]:
        cells = new_row(table).cells
        write_cell(cells[0], catalog["title"])
        add_run(cells[0].paragraphs[0], f"  {catalog['id']}", size=SMALL_SIZE, colour=MUTED)
        write_cell(cells[1], catalog["vendor"])
        write_cell(cells[2], catalog["version"])
        write_cell(cells[3], str(catalog["obligations"]), align=WD_ALIGN_PARAGRAPH.RIGHT)
    set_column_widths(table, widths)
    add_labelled(document, "Matching model", context["model"], space_before=True)
    if context["settings"]:
        settings = ", ".join(f"{s['name']} = {s['value']}" for s in context["settings"])
        add_labelled(document, "Settings", settings)


# --- summary and findings table -------------------------------------------------------------


def _add_summary(document: Document, context: dict[str, Any]) -> None:
    """Bottom line, coverage, counts per status and a severity x status matrix."""
    document.add_heading("Summary", level=1)
    headline = document.add_paragraph()
    add_run(headline, context["headline"], bold=True)
    coverage = context["coverage"]
    document.add_paragraph(
        f"Coverage: {coverage['covered']} of {coverage['applicable']} applicable obligations "
        f"covered ({coverage['percent_text']})."
    )

    status_widths = (Inches(1.6), Inches(0.8))
    table = add_table(document, ("Status", "Count"), status_widths)
    for status in context["statuses"]:
        cells = new_row(table).cells
        status_cell(cells[0], status["value"], status["label"])
        write_cell(cells[1], str(status["count"]), align=WD_ALIGN_PARAGRAPH.RIGHT)
    cells = new_row(table).cells
    write_cell(cells[0], "Total", bold=True)
    write_cell(cells[1], str(context["total"]), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    set_column_widths(table, status_widths)

    document.add_paragraph()
    statuses = context["statuses"]
    widths = (
        Inches(0.85),
        *(Inches(1.25 if s["value"] == "not_applicable" else 0.78) for s in statuses),
        Inches(0.6),
    )
    table = add_table(
        document, ("Severity", *(s["label"] for s in statuses), "Total"), widths, header=False
    )
    header = table.rows[0].cells
    write_cell(header[0], "Severity", bold=True)
    shade_cell(header[0], HEADER_FILL)
    for cell, status in zip(header[1:], statuses, strict=False):
        status_cell(cell, status["value"], status["label"], align=WD_ALIGN_PARAGRAPH.CENTER)
    write_cell(header[-1], "Total", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    shade_cell(header[-1], HEADER_FILL)
    for row in context["severity_matrix"]:
        cells = new_row(table).cells
        write_cell(cells[0], row["label"])
        for cell, count in zip(cells[1:], row["counts"], strict=False):
            write_cell(
                cell, str(count), align=WD_ALIGN_PARAGRAPH.CENTER, colour=None if count else MUTED
            )
        write_cell(cells[-1], str(row["total"]), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_column_widths(table, widths)


def _add_findings_table(document: Document, context: dict[str, Any]) -> None:
    """Every finding, most severe first, with its status cell coloured."""
    document.add_heading("Findings", level=1)
    widths = (Inches(1.7), Inches(2.2), Inches(0.8), Inches(0.95), Inches(0.55))
    table = add_table(document, ("ID", "Obligation", "Severity", "Status", "Conf."), widths)
    for finding in context["findings"]:
        row = new_row(table)
        keep_row_together(row)
        cells = row.cells
        write_cell(cells[0], finding["id"])
        write_cell(cells[1], finding["title"])
        add_run(cells[1].paragraphs[0], f"  {finding['vendor']}", size=SMALL_SIZE, colour=MUTED)
        write_cell(cells[2], finding["severity_label"])
        status_cell(cells[3], finding["status"], finding["status_label"])
        write_cell(cells[4], finding["confidence_text"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    set_column_widths(table, widths)


# --- detail sections ------------------------------------------------------------------------


def _add_gaps(document: Document, context: dict[str, Any]) -> None:
    """One section per partial, missing or conflicting obligation: what, why, what to do."""
    document.add_heading("Gaps requiring action", level=1)
    if not context["gaps"]:
        document.add_paragraph("No gaps: every applicable obligation is covered.")
        return
    for finding in context["gaps"]:
        document.add_heading(f"{finding['id']} — {finding['title']}", level=2)
        status = document.add_paragraph()
        add_run(status, "Status: ", bold=True)
        add_run(
            status,
            f" {finding['status_label']} ",
            bold=True,
            colour=RGBColor.from_string(STATUS_TEXT[finding["status"]]),
            highlight_fill=STATUS_FILLS[finding["status"]],
        )
        add_run(status, "   Severity: ", bold=True)
        add_run(status, finding["severity_label"])
        add_run(status, "   Confidence: ", bold=True)
        add_run(status, finding["confidence_text"])
        add_labelled(
            document,
            "Vendor",
            f"{finding['vendor']} (catalog {finding['catalog']}, category {finding['category']})",
        )
        add_labelled(document, "Requirement", finding["requirement"])
        _add_source(document, finding)

        add_subheading(document, finding["evidence_label"])
        if finding["evidence"]:
            _add_evidence(document, finding["evidence"])
        else:
            document.add_paragraph(
                "No clause in the analysed documents came close to this obligation."
            )

        add_subheading(document, "Why")
        explanation = finding["explanation"]
        add_labelled(document, "Deciding rule", explanation["rule"])
        best = explanation["best_score_text"]
        if explanation["thresholds"]:
            best += f" (thresholds: {explanation['thresholds_text']})"
        add_labelled(document, "Best similarity", best)
        for note in explanation["notes"]:
            add_run(document.add_paragraph(style="List Bullet"), note)
        if explanation["matched_example"]:
            add_labelled(document, "Closest catalog example", explanation["matched_example"])

        add_subheading(document, "Remediation")
        document.add_paragraph(xml_safe(finding["remediation"]["action"]))
        add_subheading(document, "Model clause")
        clause = document.add_paragraph(xml_safe(finding["remediation"]["model_clause"]))
        clause.paragraph_format.left_indent = QUOTE_INDENT
        clause.paragraph_format.right_indent = QUOTE_INDENT
        shade_paragraph(clause, MODEL_CLAUSE_FILL)


def _add_covered(document: Document, context: dict[str, Any]) -> None:
    """Covered obligations with the clauses that cover them, so a reviewer can verify."""
    if not context["covered"]:
        return
    document.add_heading("Appendix: covered obligations", level=1)
    for finding in context["covered"]:
        document.add_heading(f"{finding['id']} — {finding['title']}", level=2)
        line = document.add_paragraph()
        add_run(line, "Severity: ", bold=True)
        add_run(line, finding["severity_label"])
        add_run(line, "   Confidence: ", bold=True)
        add_run(line, finding["confidence_text"])
        _add_source(document, finding)
        add_subheading(document, finding["evidence_label"])
        _add_evidence(document, finding["evidence"])


def _add_not_applicable(document: Document, context: dict[str, Any]) -> None:
    """Obligations switched off for this operator, with the reason, so none looks forgotten."""
    if not context["not_applicable"]:
        return
    document.add_heading("Appendix: obligations not applicable", level=1)
    widths = (Inches(1.7), Inches(2.2), Inches(2.3))
    table = add_table(document, ("ID", "Obligation", "Reason"), widths)
    for finding in context["not_applicable"]:
        cells = new_row(table).cells
        write_cell(cells[0], finding["id"])
        write_cell(cells[1], finding["title"])
        write_cell(cells[2], finding["explanation"]["rule"])
    set_column_widths(table, widths)


def _add_disclaimer(document: Document, context: dict[str, Any]) -> None:
    """The standing disclaimer, last, under its own heading so it is not missed."""
    document.add_heading("About this report", level=1)
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_together = True
    add_run(paragraph, context["disclaimer"], italic=True)


def _add_source(document: Document, finding: dict[str, Any]) -> None:
    """The vendor policy the obligation comes from, with a clickable link."""
    paragraph = document.add_paragraph()
    add_run(paragraph, "Source: ", bold=True)
    add_run(paragraph, finding["source"])
    if finding["source_url"]:
        add_run(paragraph, " — ")
        url = xml_safe(finding["source_url"])
        add_hyperlink(paragraph, url, url)


def _add_evidence(document: Document, evidence: Sequence[dict[str, Any]]) -> None:
    """Each quote verbatim, italic and indented, under a line saying where it is from."""
    for item in evidence:
        where = document.add_paragraph()
        where.paragraph_format.keep_with_next = True
        where.paragraph_format.space_after = Pt(0)
        if item["location"]:
            add_run(where, item["location"], bold=True, size=TABLE_SIZE)
            add_run(where, " · ", size=TABLE_SIZE, colour=MUTED)
        add_run(
            where,
            f"{item['document']} · similarity {item['score_text']}",
            size=TABLE_SIZE,
            colour=MUTED,
        )
        quote = document.add_paragraph(style="Quote")
        add_run(quote, item["text"], italic=True)
