"""Templates: the documented context, the bundled templates, and untrusted firm templates."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from paths import PROJECT_ROOT
from report_factory import make_report

from gapcheck.cli import cli
from gapcheck.errors import ExitCode
from gapcheck.render import TemplateError, check_template, render, report_context
from gapcheck.render.docx_report import docx_environment, render_docx
from gapcheck.render.templates import context_keys, sandboxed_environment

TEMPLATES = PROJECT_ROOT / "report_templates"
README = (TEMPLATES / "README.md").read_text(encoding="utf-8")


def _documented(heading: str) -> list[str]:
    """The backquoted names in the first column of the table under ``heading``."""
    start = README.index(f"\n{heading}\n")
    end = README.find("\n#", start + len(heading) + 2)
    section = README[start : end if end != -1 else None]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


def _multi_vendor_context() -> dict[str, Any]:
    report = make_report()
    findings = list(report.findings)
    findings[3] = dataclasses.replace(findings[3], canonical="C-REVIEW")
    findings[0] = dataclasses.replace(findings[0], canonical="C-REVIEW")
    return report_context(dataclasses.replace(report, findings=tuple(findings)))


def test_documented_variables_are_exactly_the_context() -> None:
    context = _multi_vendor_context()
    assert _documented("## Context variables") == list(context)
    assert set(context) == context_keys()
    finding = context["findings"][0]
    group = context["groups"][0]
    records = {
        "### Document": context["documents"][0],
        "### Catalog": context["catalogs"][0],
        "### Severity row": context["severity_matrix"][0],
        "### Matrix row": context["coverage_matrix"][0],
        "### Matrix cell": context["coverage_matrix"][0]["cells"][0],
        "### Top gap": context["top_gaps"][0],
        "### Finding": finding,
        "### Evidence": finding["evidence"][0],
        "### Group": group,
        "### Plan item": context["remediation_plan"][0],
        "### Methodology": context["methodology"],
    }
    for heading, example in records.items():
        assert _documented(heading) == list(example), heading
    gap_group = context["gap_groups"][0]
    assert list(group) + _documented("### Gap group") == list(gap_group)


def test_bundled_docx_template_uses_only_context_variables() -> None:
    template = DocxTemplate(TEMPLATES / "report.docx")
    environment = sandboxed_environment(autoescape=True, filters={"link": str})
    used = template.get_undeclared_template_variables(jinja_env=environment)
    assert used, "the template should use context variables"
    assert used <= set(_documented("## Context variables")) | set(environment.globals)
    assert {"operator", "documents", "gap_groups", "remediation_plan", "disclaimer"} <= used


@pytest.mark.parametrize("name", ["report.docx", "report.html.j2", "report.md.j2"])
def test_bundled_templates_pass_the_firm_template_check(name: str) -> None:
    fmt = {"docx": "docx", "j2": name.split(".")[1]}[name.rsplit(".", 1)[1]]
    assert check_template(TEMPLATES / name, (fmt,)) == fmt


def test_default_template_is_regenerated_byte_for_byte(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    subprocess.run(
        [sys.executable, "-B", str(TEMPLATES / "build_default_template.py"), "-o", str(target)],
        check=True,
        capture_output=True,
    )
    assert target.read_bytes() == (TEMPLATES / "report.docx").read_bytes(), (
        "report_templates/report.docx is stale: run report_templates/build_default_template.py"
    )


# --- a firm's own Word template -----------------------------------------------------------


def _word_template(path: Path, *paragraphs: str, title: str = "") -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    document.save(path)
    return path


def test_firm_template_is_rendered(tmp_path: Path) -> None:
    template = _word_template(
        tmp_path / "firm.docx",
        "Smith & Partners LLP",
        "{{ operator }}: {{ headline }}",
        "{%p for item in remediation_plan %}",
        "{{ item.number }}. {{ item.action }} {{ item.checkbox }}",
        "{%p endfor %}",
        title="Gap report for {{ operator }}",
    )
    output = render(make_report(), "docx", TEMPLATES, template)
    document = docx.Document(io.BytesIO(output))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Smith & Partners LLP"
    assert texts[1].startswith("Acme Assistants GmbH: 4 of 6 applicable obligations")
    assert texts[2:] == [
        "1. Add a clause on no use by children under 18 to the terms of service. ☐",
        "2. Add a clause on human review of high-risk outputs to the terms of service. ☐",
        "3. Add a clause on disclose ai-generated content | label outputs to the terms of "
        "service. ☐",
        "4. Add a clause on protect personal data in prompts to the terms of service. ☐",
    ]
    assert document.core_properties.title == "Gap report for Acme Assistants GmbH"
    assert render(make_report(), "docx", TEMPLATES, template) == output


def test_not_a_docx_is_a_one_line_error(tmp_path: Path) -> None:
    template = tmp_path / "firm.docx"
    template.write_bytes(b"this is not a zip file")
    with pytest.raises(TemplateError, match=r"firm\.docx: not a valid Word \(\.docx\) template"):
        check_template(template, ("docx",))


def test_syntax_error_names_the_file_and_the_text_near_it(tmp_path: Path) -> None:
    template = _word_template(tmp_path / "firm.docx", "Fine text", "Total: {{ total + }}", "More")
    with pytest.raises(TemplateError) as caught:
        check_template(template, ("docx",))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{template}: template error near “Total: {{{{ total + }}}}”: ")
    assert caught.value.exit_code is ExitCode.USAGE


def test_unknown_variable_is_refused_before_rendering(tmp_path: Path) -> None:
    template = _word_template(tmp_path / "firm.docx", "{{ operator }} {{ client_name }}")
    with pytest.raises(TemplateError, match="does not provide: client_name"):
        check_template(template, ("docx",))


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ operator.__class__.__base__.__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
        "{{ documents.__class__.__init__.__globals__ }}",
    ],
)
def test_malicious_docx_template_fails_cleanly_in_the_sandbox(
    tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    template = _word_template(tmp_path / "evil.docx", "Report", source)
    with pytest.raises(TemplateError, match="template error") as caught:
        render_docx(make_report(), template)
    assert isinstance(caught.value.__cause__, SecurityError)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "pwned").exists()


def test_link_filter_only_links_web_urls() -> None:
    template = DocxTemplate(TEMPLATES / "report.docx")
    template.init_docx()
    link = docx_environment(template).filters["link"]
    assert "w:hyperlink" in link("https://example.com/a?b=1&c=2")
    assert "&amp;" in link("https://example.com/a?b=1&c=2")
    plain = link("javascript:alert(1)")
    assert "w:hyperlink" not in plain and "javascript:alert(1)" in plain


def test_template_for_another_format_is_refused(tmp_path: Path) -> None:
    template = _word_template(tmp_path / "firm.docx", "{{ operator }}")
    with pytest.raises(TemplateError, match="not a template for the requested report format"):
        check_template(template, ("md",))
    with pytest.raises(TemplateError, match="not json"):
        render(make_report(), "json", TEMPLATES, template)


def test_cli_refuses_a_broken_template_before_any_analysis(tmp_path: Path) -> None:
    template = _word_template(tmp_path / "firm.docx", "{{ operator }", "end")
    terms = tmp_path / "terms.md"
    terms.write_text("# Terms\n\nYou must be 18.\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["analyze", str(terms), "-o", str(tmp_path / "r.docx"), "--template", str(template)],
    )
    assert result.exit_code == ExitCode.USAGE
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"gapcheck: error: {template}: template error")
    assert not (tmp_path / "r.docx").exists()
