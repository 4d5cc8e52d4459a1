"""HTML report: one self-contained page, escaped quotes, the same content as the DOCX."""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from paths import PROJECT_ROOT
from report_factory import QUALIFIER_PASS_THROUGH, QUOTE_DISCLOSURE, RUN_WARNING, make_report

from gapcheck.render import render, render_html, report_context
from gapcheck.render.context import DISCLAIMER

TEMPLATES = PROJECT_ROOT / "report_templates"
TEMPLATE = TEMPLATES / "report.html.j2"


class _Collector(HTMLParser):
    """Every tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(make_report(), TEMPLATE)


def test_page_is_self_contained(page: str) -> None:
    parsed = _parse(page)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    assert "@import" not in page and "url(" not in page
    policy_urls = {f.source_url for f in make_report().findings}
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        if href is not None:
            assert tag == "a"
            assert href.startswith("#") or href in policy_urls, href
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    anchors = {attrs["id"] for _, attrs in parsed.tags if "id" in attrs}
    for _, attrs in parsed.tags:
        href = attrs.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in anchors, href


def test_ids_are_unique() -> None:
    report = make_report()
    findings = list(report.findings)
    findings[3] = dataclasses.replace(findings[3], canonical="C-REVIEW")
    findings[0] = dataclasses.replace(findings[0], canonical="C-REVIEW")
    page = render_html(dataclasses.replace(report, findings=tuple(findings)), TEMPLATE)
    ids = [attrs["id"] for _, attrs in _parse(page).tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    assert "Anthropic's version decides (missing); OpenAI: partial." in html.unescape(page)


def test_quoted_markup_is_escaped_and_bad_links_are_dropped() -> None:
    report = make_report()
    finding = report.findings[1]
    evidence = dataclasses.replace(
        finding.evidence[0], text='<script>alert("x")</script> <img src=x onerror=alert(1)> & co'
    )
    citation = dataclasses.replace(finding.citation, url="javascript:alert(1)")
    odd = dataclasses.replace(finding, evidence=(evidence,), citation=citation)
    page = render_html(
        dataclasses.replace(report, operator="<b>Acme</b>", findings=(odd,)), TEMPLATE
    )
    assert "<script>" not in page and "<img" not in page and "<b>Acme" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&amp; co" in page
    assert 'href="javascript:' not in page


def test_page_has_every_section_and_the_findings_in_order(page: str) -> None:
    text = " ".join(" ".join(_parse(page).text).split())
    for heading in (
        "Documents and policies analysed",
        "Executive summary",
        "The most serious gaps",
        "Coverage by category and vendor",
        "Findings",
        "Gaps in detail",
        "Remediation plan",
        "Appendix: Methodology",
        "Appendix: Covered obligations and their evidence",
        "Appendix: Obligations not applicable",
        "Appendix: Disclaimer",
    ):
        assert heading in text, heading
    for document in make_report().documents:
        assert document.sha256 in page
    assert DISCLAIMER in text
    positions = [page.index(f">{f['id']}<") for f in report_context(make_report())["findings"]]
    assert positions == sorted(positions)
    assert str(escape(QUOTE_DISCLOSURE)) in page
    assert re.search(r'class="center s-conflict">Conflict<', page)
    assert page.count("☐") == 4
    assert f"<strong>Warning:</strong> {escape(RUN_WARNING)}" in page
    assert page.index("Warning:") < page.index("Documents and policies analysed")


def test_dispatch_encodes_utf8(tmp_path: Path) -> None:
    report = make_report()
    assert render(report, "html", TEMPLATES) == render_html(report, TEMPLATE).encode("utf-8")


def test_a_quote_with_an_exception_says_so(page: str) -> None:
    line = f"Narrowed by {QUALIFIER_PASS_THROUGH}: check how far the rule reaches."
    assert line in html.unescape(page)
