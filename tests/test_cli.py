"""The command line: formats, catalog selection, exit codes, errors without tracebacks."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document as WordDocument

from gapcheck.cli import cli
from gapcheck.errors import ExitCode

TERMS = """# Example AI Terms

## 1. Eligibility

1.1 You must be at least 18 years old to use the Service.

## 2. Acceptable Use

You may not use the Service to:

- generate sexual content involving minors;
- create malware or break into computer systems;
- run political campaigns or lobbying.

2.2 You must comply with the OpenAI Usage Policies, which form part of these Terms.
"""


@pytest.fixture
def terms(tmp_path: Path) -> Path:
    path = tmp_path / "terms.md"
    path.write_text(TERMS, encoding="utf-8")
    return path


def _firm_catalog(tmp_path: Path) -> Path:
    catalog = {
        "id": "firm",
        "vendor": "Firm",
        "title": "Firm extras",
        "policy_versions": ["2026-01-01"],
        "sources": [
            {
                "id": "memo",
                "title": "Memo",
                "url": "https://firm.example",
                "effective": "2026-01-01",
            }
        ],
        "obligations": [
            {
                "id": "FIRM-ADULTS",
                "title": "Adults only",
                "requirement": "Terms must limit the service to users aged 18 or over.",
                "category": "age-and-minors",
                "severity": "high",
                "severity_reason": "Children's-privacy liability.",
                "source": {"id": "memo", "section": "1"},
                "examples": [
                    "You must be 18 or older to use the Service.",
                    "The Service is only for adults aged eighteen and above.",
                    "Users under 18 may not register.",
                ],
                "counterexamples": ["The Service is suitable for all ages."],
                "remediation": {
                    "actions": ["Add an 18+ clause."],
                    "model_clause": "You must be 18+.",
                },
            }
        ],
    }
    path = tmp_path / "firm.yaml"
    path.write_text(yaml.safe_dump(catalog), encoding="utf-8")
    return path


@pytest.mark.model
def test_analyze_writes_docx_json_and_markdown(terms: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    docx_path = tmp_path / "report.docx"
    result = runner.invoke(
        cli, ["analyze", str(terms), "-o", str(docx_path), "--vendor", "openai", "-q"]
    )
    assert result.exit_code == 0, result.output
    document = WordDocument(str(docx_path))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "OPENAI-USAGE-POLICY-PASSTHROUGH" in body or any(
        "OPENAI-USAGE-POLICY-PASSTHROUGH" in cell.text
        for t in document.tables
        for row in t.rows
        for cell in row.cells
    )
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".report.docx.*"))

    json_result = runner.invoke(
        cli, ["analyze", str(terms), "--format", "json", "--vendor", "openai", "-q"]
    )
    assert json_result.exit_code == 0
    report = json.loads(json_result.stdout)
    for key in (
        "gapcheck_version",
        "generated_at",
        "documents",
        "catalogs",
        "model",
        "summary",
        "findings",
    ):
        assert key in report
    assert report["documents"][0]["sha256"] and report["documents"][0]["words"] > 40
    assert report["catalogs"] == [report["catalogs"][0]] and report["catalogs"][0]["id"] == "openai"
    passthrough = next(
        f for f in report["findings"] if f["obligation_id"] == "OPENAI-USAGE-POLICY-PASSTHROUGH"
    )
    assert passthrough["status"] == "covered"
    assert passthrough["evidence"][0]["section"] == "2.2"
    assert passthrough["evidence"][0]["heading"] == "Example AI Terms > 2. Acceptable Use"
    assert 0.0 <= passthrough["confidence"] <= 1.0

    md_result = runner.invoke(
        cli, ["analyze", str(terms), "--format", "md", "--vendor", "openai", "-q"]
    )
    assert md_result.exit_code == 0 and "OPENAI-MIN-AGE" in md_result.stdout


@pytest.mark.model
def test_own_catalog_alone_and_fail_on(terms: Path, tmp_path: Path) -> None:
    firm = _firm_catalog(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["analyze", str(terms), "--catalog", str(firm), "--no-bundled", "--format", "json", "-q"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [c["id"] for c in report["catalogs"]] == ["firm"]
    assert report["findings"][0]["status"] == "covered"
    assert report["findings"][0]["evidence"][0]["section"] == "1.1"

    gated = runner.invoke(
        cli,
        [
            "analyze",
            str(terms),
            "--vendor",
            "openai",
            "--format",
            "json",
            "-q",
            "--fail-on",
            "critical",
        ],
    )
    assert gated.exit_code == ExitCode.GAPS_FOUND
    passing = runner.invoke(
        cli,
        [
            "analyze",
            str(terms),
            "--catalog",
            str(firm),
            "--no-bundled",
            "--format",
            "json",
            "-q",
            "--fail-on",
            "low",
        ],
    )
    assert passing.exit_code == ExitCode.OK


@pytest.mark.model
def test_batch_isolates_failures_and_writes_summaries(tmp_path: Path) -> None:
    folder = tmp_path / "operators"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "terms.md").write_text(TERMS, encoding="utf-8")
    (folder / "acme" / "aup.txt").write_text(
        "You may not use the Service to build weapons.\n", encoding="utf-8"
    )
    (folder / "solo.md").write_text(TERMS, encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 definitely not a real docx")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["batch", str(folder), "-o", str(out), "--format", "json", "-q"]
    )
    assert result.exit_code == ExitCode.INPUT
    assert "broken.docx" in result.output
    rows = {
        row["operator"]: row for row in csv.DictReader((out / "summary.csv").open(encoding="utf-8"))
    }
    assert rows["acme"]["result"] == "ok" and rows["acme"]["documents"] == "2"
    assert rows["solo"]["result"] == "ok"
    assert rows["broken"]["result"] == "error" and "broken.docx" in rows["broken"]["error"]
    assert (out / "acme.json").is_file() and (out / "solo.json").is_file()
    assert not (out / "broken.json").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["failed"] == 1
    resumed = CliRunner().invoke(
        cli, ["batch", str(folder), "-o", str(out), "--format", "json", "-q", "--resume"]
    )
    rows = {
        row["operator"]: row for row in csv.DictReader((out / "summary.csv").open(encoding="utf-8"))
    }
    assert rows["acme"]["result"] == "skipped (complete)"
    assert resumed.exit_code == ExitCode.INPUT  # the broken operator is retried and fails again


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["analyze", "{missing}", "-o", "{out}"], ExitCode.INPUT, "missing.docx"),
        (
            ["analyze", "{terms}", "-o", "{terms}"],
            ExitCode.USAGE,
            "output path is one of the inputs",
        ),
        (
            ["analyze", "{terms}", "-o", "{tmp}/no/such/dir/r.docx"],
            ExitCode.OUTPUT,
            "does not exist",
        ),
        (["analyze", "{terms}", "-o", "{tmp}/r.pdf"], ExitCode.USAGE, "cannot tell the format"),
        (
            ["analyze", "{terms}", "--vendor", "nosuch", "--format", "json"],
            ExitCode.CATALOG,
            "--vendor nosuch",
        ),
        (
            ["analyze", "{terms}", "--catalog", "{tmp}/none.yaml", "--format", "json"],
            ExitCode.CATALOG,
            "none.yaml",
        ),
        (
            ["analyze", "{terms}", "--model", "{tmp}/nomodel", "--format", "json"],
            ExitCode.MODEL,
            "nomodel",
        ),
        (
            ["analyze", "{terms}", "--notice", "{tmp}/other.md", "--format", "json"],
            ExitCode.USAGE,
            "--notice names a file that is not among the inputs",
        ),
        (
            ["analyze", "{terms}", "--notice", "{terms}", "--terms", "{terms}", "--format", "json"],
            ExitCode.USAGE,
            "named by both --notice and --terms",
        ),
    ],
)
def test_errors_are_one_line_with_documented_codes(
    arguments: list[str], code: ExitCode, message: str, terms: Path, tmp_path: Path
) -> None:
    values = {
        "missing": str(tmp_path / "missing.docx"),
        "out": str(tmp_path / "r.docx"),
        "terms": str(terms),
        "tmp": str(tmp_path),
    }
    argv = [a.format(**values) for a in arguments]
    result = subprocess.run(
        [sys.executable, "-m", "gapcheck", *argv], capture_output=True, text=True, check=False
    )
    assert result.returncode == code, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gapcheck: error:") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_help_documents_exit_codes_and_every_command_has_help() -> None:
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert "Exit codes" in top.output and "--fail-on" in top.output
    for command in (["analyze"], ["batch"], ["catalog", "list"], ["catalog", "validate"]):
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 100, command


def test_catalog_commands() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["catalog", "list", "--vendor", "openai"])
    assert listing.exit_code == 0 and "OPENAI-MIN-AGE" in listing.output
    validated = runner.invoke(cli, ["catalog", "validate"])
    assert validated.exit_code == 0 and "openai.yaml: ok" in validated.output


@pytest.mark.model
def test_pdf_and_html_policy_set_cites_pages(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pages = [
        "1. Introduction\n\nThese Terms govern your use of the Acme Writer service.",
        "2. Eligibility\n\n2.1 You must be at least 13 years old to use the Service, and users "
        "under 18 need the consent of a parent or guardian.",
    ]
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(tmp_path / "terms.pdf"))
    (tmp_path / "aup.html").write_text(
        "<html><head><script>var x = 'You must comply with the OpenAI Usage Policies';</script>"
        "</head><body><nav>Home | Pricing</nav><h1>Acceptable Use</h1>"
        "<p>You must comply with the OpenAI Usage Policies, which are part of these terms.</p>"
        "<footer>Copyright Acme</footer></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(tmp_path / "terms.pdf"),
            str(tmp_path / "aup.html"),
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [d["format"] for d in report["documents"]] == ["pdf", "html"]
    findings = {f["obligation_id"]: f for f in report["findings"]}
    age = findings["OPENAI-MIN-AGE"]
    assert age["status"] == "covered"
    assert age["evidence"][0]["document"] == "terms.pdf"
    assert age["evidence"][0]["page"] == 2
    assert age["evidence"][0]["section"] == "2.1"
    passthrough = findings["OPENAI-USAGE-POLICY-PASSTHROUGH"]["evidence"][0]
    assert passthrough["document"] == "aup.html" and passthrough["heading"] == "Acceptable Use"


def test_progress_goes_to_stderr_only_when_enabled() -> None:
    import io

    from gapcheck.progress import Progress

    stream = io.StringIO()
    shown = Progress(enabled=True, stream=stream)
    shown.stage("loading the embedding model")
    shown.count(1, 2, "acme")
    shown.count(2, 2, "done")
    assert "loading the embedding model" in stream.getvalue()
    assert "2/2" in stream.getvalue() and stream.getvalue().endswith("\n")
    silent_stream = io.StringIO()
    silent = Progress(enabled=False, stream=silent_stream)
    silent.stage("x")
    silent.count(1, 1, "y")
    assert silent_stream.getvalue() == ""


@pytest.mark.model
def test_a_file_read_as_a_privacy_notice_binds_no_user(terms: Path) -> None:
    runner = CliRunner()
    argv = ["analyze", str(terms), "--format", "json", "--vendor", "openai", "-q"]
    as_terms = json.loads(runner.invoke(cli, argv).stdout)
    as_notice_run = runner.invoke(cli, [*argv, "--notice", str(terms)])
    assert as_notice_run.exit_code == 0, as_notice_run.output
    as_notice = json.loads(as_notice_run.stdout)
    assert as_terms["documents"][0]["kind"] == "terms"
    assert as_notice["documents"][0]["kind"] == "privacy-notice"

    def status(report: dict[str, Any], obligation: str) -> str:
        return str(
            next(f["status"] for f in report["findings"] if f["obligation_id"] == obligation)
        )

    # The pass-through clause binds users in terms; in a notice it binds nobody.
    assert status(as_terms, "OPENAI-USAGE-POLICY-PASSTHROUGH") == "covered"
    assert status(as_notice, "OPENAI-USAGE-POLICY-PASSTHROUGH") != "covered"


@pytest.mark.model
def test_batch_reads_files_matching_a_notice_glob_as_notices(tmp_path: Path) -> None:
    folder = tmp_path / "operators"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "terms.md").write_text(TERMS, encoding="utf-8")

    def passthrough(out: Path, *options: str) -> str:
        argv = ["batch", str(folder), "-o", str(out), "--format", "json", "--vendor", "openai"]
        run = CliRunner().invoke(cli, [*argv, "-q", *options])
        assert run.exit_code == 0, run.output
        report = json.loads((out / "acme.json").read_text(encoding="utf-8"))
        kinds = {document["kind"] for document in report["documents"]}
        status = next(
            f["status"]
            for f in report["findings"]
            if f["obligation_id"] == "OPENAI-USAGE-POLICY-PASSTHROUGH"
        )
        return f"{status} as {','.join(sorted(kinds))}"

    assert passthrough(tmp_path / "titles") == "covered as terms"
    as_notice = passthrough(tmp_path / "globbed", "--notice-glob", "TERMS.*")
    assert as_notice.endswith("as privacy-notice") and not as_notice.startswith("covered")


def test_batch_glob_matching_nothing_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "operators"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "terms.md").write_text(TERMS, encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(
        cli, ["batch", str(folder), "-o", str(out), "--notice-glob", "privacy*", "-q"]
    )
    assert run.exit_code == ExitCode.USAGE
    assert "--notice-glob 'privacy*' matches no document" in run.output
    assert "Traceback" not in run.output
    assert not out.exists()  # refused before anything was written
