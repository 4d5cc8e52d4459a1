"""The CSV report: one row per obligation, for the trackers legal teams already use.

Spreadsheets execute a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula,
and the quoted clauses come from third-party documents, so such cells get a leading
apostrophe (the OWASP "CSV injection" defence): Excel and LibreOffice then show the
text instead of evaluating it. Rows follow the report's order (severity, then status).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from gapcheck.model import Report
from gapcheck.render.context import report_context

COLUMNS: tuple[str, ...] = (
    "obligation_id",
    "title",
    "vendor",
    "category",
    "severity",
    "status",
    "confidence",
    "priority",
    "plan_item",
    "evidence_location",
    "evidence_quote",
    "missing",
    "action",
    "source",
    "url",
)
"""Column order of the CSV report (documented in the README)."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: Report) -> str:
    """The findings as CSV text: a header row, then one row per obligation (CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in report_context(report)["findings"]:
        writer.writerow([neutralise(value) for value in _row(finding)])
    return buffer.getvalue()


def _row(finding: dict[str, Any]) -> list[str]:
    """One obligation's cells, in :data:`COLUMNS` order."""
    top = finding["evidence"][0] if finding["evidence"] else None
    location = ""
    if top is not None:
        location = " ".join(part for part in (top["document"], top["location"]) if part)
    return [
        finding["id"],
        finding["title"],
        finding["vendor"],
        finding["category"],
        finding["severity"],
        finding["status"],
        f"{finding['confidence']:.2f}",
        finding["priority_label"],
        str(finding["plan_number"] or ""),
        location,
        top["text"] if top is not None else "",
        "; ".join(finding["what_missing"]),
        finding["remediation"]["action"] if finding["is_gap"] else "",
        finding["source"],
        finding["source_url"],
    ]


def neutralise(value: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would otherwise run as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value
