"""Multi-vendor grouping: the worst member decides and is named."""

from __future__ import annotations

from dataclasses import replace

from report_factory import make_report

from gapcheck.grouping import group_findings, multi_vendor_groups
from gapcheck.model import Severity, Status


def test_stricter_vendor_drives_the_group() -> None:
    base = make_report().findings[0]
    openai = replace(
        base,
        obligation_id="O-AGE",
        vendor="OpenAI",
        canonical="C-15",
        minimum_age=13,
        status=Status.COVERED,
        severity=Severity.HIGH,
    )
    anthropic = replace(
        base,
        obligation_id="A-AGE",
        vendor="Anthropic",
        canonical="C-15",
        minimum_age=18,
        status=Status.CONFLICT,
        severity=Severity.HIGH,
    )
    alone = replace(base, obligation_id="X", canonical="", vendor="OpenAI")
    groups = group_findings([openai, anthropic, alone])
    assert [g.key for g in groups] == ["C-15", "X"]
    age = groups[0]
    assert age.driver is anthropic and age.status is Status.CONFLICT
    assert age.vendors == ("OpenAI", "Anthropic")
    assert "Anthropic's version decides (conflict)" in age.note
    assert multi_vendor_groups(groups) == [age]
    same = group_findings([openai, replace(anthropic, status=Status.COVERED)])[0]
    assert same.driver.minimum_age == 18  # equal verdicts: the higher age is the strictest
