"""Same inputs and settings, same bytes: every report format and the annotated terms."""

from __future__ import annotations

import pytest
from paths import PROJECT_ROOT
from report_factory import make_report

from gapcheck import commands
from gapcheck.render import FORMATS, render
from gapcheck.render.annotate import annotate_file

TEMPLATES = PROJECT_ROOT / "report_templates"
SAMPLE = (
    PROJECT_ROOT / "examples" / "brightdesk_terms.docx",
    PROJECT_ROOT / "examples" / "brightdesk_aup.md",
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_twice_gives_the_same_bytes(fmt: str) -> None:
    assert render(make_report(), fmt, TEMPLATES) == render(make_report(), fmt, TEMPLATES)


@pytest.mark.model
def test_two_runs_with_source_date_epoch_are_byte_identical(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795046400")  # 2026-11-19T00:00:00Z
    analyzer = commands.build_analyzer(commands.CatalogChoice(), commands.EngineOptions(quiet=True))
    try:
        first = analyzer.analyze(SAMPLE)
        second = analyzer.analyze(SAMPLE)
    finally:
        analyzer.close()
    assert first.generated_at == "2026-11-19T00:00:00Z"
    for fmt in FORMATS:
        assert render(first, fmt, TEMPLATES) == render(second, fmt, TEMPLATES), fmt
    for index, path in enumerate(SAMPLE):
        main = index == 0
        assert annotate_file(first, path, main=main) == annotate_file(second, path, main=main)
