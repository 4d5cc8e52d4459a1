"""Markdown report: sections per gap, escaped tables, verbatim quotes, sandboxed templates."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError
from report_factory import (
    MODEL_CLAUSE_MINORS,
    QUALIFIER_PASS_THROUGH,
    QUOTE_DISCLOSURE,
    QUOTE_MINORS_CONFLICT,
    QUOTE_PROHIBITED,
    RUN_WARNING,
    make_report,
)

from gapcheck.errors import ExitCode
from gapcheck.model import Status
from gapcheck.render import TemplateError, render, render_markdown, report_context
from gapcheck.render.context import DISCLAIMER
from gapcheck.render.markdown_report import TEMPLATE_NAME, blockquote, table_cell

TEMPLATES = Path(__file__).resolve().parent.parent / "report_templates"
TEMPLATE = TEMPLATES / TEMPLATE_NAME


@pytest.fixture(scope="module")
def markdown() -> str:
    return render_markdown(make_report(), TEMPLATE)


def _section(markdown: str, heading: str) -> str:
    """The text of a ``##`` section, up to the next ``##`` heading."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def test_header_metadata(markdown: str) -> None:
    assert markdown.startswith("# AI usage-policy gap report\n")
    assert "**Operator:** Acme Assistants GmbH" in markdown
    assert "**Date:** 2025-03-14" in markdown
    report = make_report()
    for document in report.documents:
        assert document.sha256 in markdown
    assert "/private/clients" not in markdown  # only the file name is shown
    assert "| acme-terms-of-service.docx | docx | 4,210 | 87 |" in markdown
    assert "`sentence-transformers/all-MiniLM-L6-v2`" in markdown
    assert "OpenAI Usage Policies (`openai-usage-policies`) | OpenAI | 2025-01-29 | 4 |" in markdown
    assert "page 7 has no extractable text" in markdown
    assert f"> **Warning:** {RUN_WARNING}\n" in markdown
    assert markdown.index("**Warning:**") < markdown.index("## Documents analysed")


def test_summary_table(markdown: str) -> None:
    summary = _section(markdown, "Summary")
    assert "| Conflict | 1 |" in summary
    assert "| Missing | 2 |" in summary
    assert "| Not applicable | 1 |" in summary
    assert "| **Total** | **7** |" in summary
    assert "| High | 0 | 1 | 0 | 1 | 1 | 3 |" in summary
    assert "(33%)" in summary


def test_findings_table_sorted_and_escaped(markdown: str) -> None:
    table = _section(markdown, "Findings")
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0] == "| ID | Obligation | Severity | Status | Confidence |"
    ids = [row.split(" | ")[0].removeprefix("| ") for row in rows[1:]]
    assert ids == [f["id"] for f in report_context(make_report())["findings"]]
    assert (
        "| OAI-UP-4 | Disclose AI-generated content \\| label outputs | Medium | Partial | 71% |"
        in rows
    )
    for row in rows:
        # Every data row has exactly six unescaped pipes: five columns.
        assert len(re.findall(r"(?<!\\)\|", row)) == 6, row


def test_one_section_per_gap(markdown: str) -> None:
    gaps = _section(markdown, "Gaps")
    report = make_report()
    for finding in report.findings:
        heading = f"### {finding.obligation_id} — {finding.title}"
        assert (heading in gaps) is finding.status.is_gap, finding.obligation_id
    assert "**Model clause:**" in gaps
    assert blockquote(MODEL_CLAUSE_MINORS) in gaps
    assert "Deciding rule: a matching clause permits what the obligation forbids" in gaps
    assert "- Clause allows use by children under 13 without consent." in gaps
    assert "#### Closest clauses found" in gaps  # missing: candidates, not "evidence"
    assert "No clause in the analysed documents came close" in gaps  # OAI-UP-9 has none


def test_gap_order_follows_severity(markdown: str) -> None:
    positions = [
        markdown.index(f"### {ident} ")
        for ident in ("ANT-AUP-2", "ANT-AUP-7", "OAI-UP-4", "OAI-UP-9")
    ]
    assert positions == sorted(positions)


def test_quotes_are_verbatim_blockquotes(markdown: str) -> None:
    assert f"> {QUOTE_MINORS_CONFLICT}\n" in markdown
    assert f"> {QUOTE_DISCLOSURE}\n" in markdown  # the pipe is not escaped outside tables
    assert blockquote(QUOTE_PROHIBITED) in markdown
    assert (
        "*§2.1 — 2 Eligibility (p. 3) · acme-terms-of-service.docx · similarity 0.70*" in markdown
    )


def test_covered_section_lists_evidence(markdown: str) -> None:
    covered = _section(markdown, "Covered obligations")
    assert "### OAI-UP-1 — Prohibit malware and harassment" in covered
    assert "### ANT-AUP-3 — Pass vendor usage policies through to users" in covered
    assert blockquote(QUOTE_PROHIBITED) in covered
    assert f"*Narrowed by {QUALIFIER_PASS_THROUGH}: check how far the rule reaches.*" in covered
    assert "ANT-AUP-2" not in covered


def test_not_applicable_and_disclaimer(markdown: str) -> None:
    assert "| OAI-UP-6 | Medical use requires a qualified professional |" in markdown
    assert markdown.rstrip().endswith(f"*{DISCLAIMER}*")
    assert "not legal advice" in DISCLAIMER


def test_no_empty_sections_without_gaps_or_covered() -> None:
    report = make_report()
    covered_only = tuple(f for f in report.findings if f.status is Status.COVERED)
    text = render_markdown(dataclasses.replace(report, findings=covered_only), TEMPLATE)
    assert "No gaps: every applicable obligation is covered." in text
    assert "## Not applicable" not in text
    gaps_only = tuple(f for f in report.findings if f.status.is_gap)
    text = render_markdown(dataclasses.replace(report, findings=gaps_only), TEMPLATE)
    assert "## Covered obligations" not in text


def test_no_blank_line_runs(markdown: str) -> None:
    assert "\n\n\n" not in markdown


def test_table_cell_filter() -> None:
    assert table_cell("a | b") == "a \\| b"
    assert table_cell("line one\nline two") == "line one<br>line two"
    assert table_cell(3) == "3"


def test_blockquote_filter_keeps_blank_lines() -> None:
    assert blockquote("first\n\nsecond") == "> first\n>\n> second"
    assert blockquote("") == ">"


def test_dispatch_encodes_utf8() -> None:
    report = make_report()
    assert render(report, "md", TEMPLATES) == render_markdown(report, TEMPLATE).encode("utf-8")


def test_custom_template_replaces_bundled(tmp_path: Path) -> None:
    custom = tmp_path / "firm.md.j2"
    custom.write_text("# {{ operator }} for {{ remediation_plan | length }} items\n", "utf-8")
    assert render(make_report(), "md", TEMPLATES, custom) == b"# Acme Assistants GmbH for 4 items\n"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
        "{{ operator.__class__.__base__.__subclasses__() }}",
    ],
)
def test_sandbox_blocks_escapes(
    tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / TEMPLATE_NAME).write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match="template error") as caught:
        render_markdown(make_report(), tmp_path / TEMPLATE_NAME)
    assert isinstance(caught.value.__cause__, SecurityError)
    assert caught.value.exit_code is ExitCode.USAGE
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "pwned").exists()


def test_undefined_variable_is_an_error(tmp_path: Path) -> None:
    (tmp_path / TEMPLATE_NAME).write_text("{{ operator }} {{ opertor }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="does not provide: opertor"):
        render_markdown(make_report(), tmp_path / TEMPLATE_NAME)


def test_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    (tmp_path / TEMPLATE_NAME).write_text("ok\n{% for %}", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"report\.md\.j2 \(line 2\)"):
        render_markdown(make_report(), tmp_path / TEMPLATE_NAME)


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not found"):
        render_markdown(make_report(), tmp_path / TEMPLATE_NAME)


def test_no_html_autoescape(tmp_path: Path) -> None:
    (tmp_path / TEMPLATE_NAME).write_text("{{ operator }}", encoding="utf-8")
    report = dataclasses.replace(make_report(), operator="Smith & <Jones>")
    assert render_markdown(report, tmp_path / TEMPLATE_NAME) == "Smith & <Jones>"
