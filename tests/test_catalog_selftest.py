"""Every bundled example is recognised as covered, every counterexample is not.

As licensee and scancode test each rule against its own text: the whole bundled catalog,
at every policy version it models, in CI. A failure names the obligation and the entry.
"""

from __future__ import annotations

import pytest

from gapcheck.catalog import load_catalog
from gapcheck.catalog_selection import bundled_vendors
from gapcheck.commands import CatalogChoice, EngineOptions, build_analyzer
from gapcheck.selftest import SelfTestResult, run_self_test
from gapcheck.settings import BUNDLED_CATALOG_DIR

pytestmark = pytest.mark.model


def _run(choice: CatalogChoice, only: set[str] | None) -> list[SelfTestResult]:
    analyzer = build_analyzer(choice, EngineOptions(quiet=True))
    try:
        return run_self_test(analyzer, only=only)
    finally:
        analyzer.close()


def test_bundled_catalogs_pass_their_self_test() -> None:
    results = _run(CatalogChoice(), None)
    tested = {r.case.obligation_id for r in results}
    # Obligations only in force at older policy versions are tested at those versions.
    for vendor in bundled_vendors(BUNDLED_CATALOG_DIR):
        catalog = load_catalog(BUNDLED_CATALOG_DIR / f"{vendor}.yaml")
        for version in sorted(catalog.policy_versions)[:-1]:
            older = {o.id for o in catalog.obligations if o.in_force_at(version)} - tested
            if older:
                choice = CatalogChoice(
                    vendors=(vendor,), policy_versions=(f"{vendor}={version.isoformat()}",)
                )
                extra = _run(choice, older)
                results += extra
                tested |= {r.case.obligation_id for r in extra}
    every = {
        o.id
        for v in bundled_vendors(BUNDLED_CATALOG_DIR)
        for o in load_catalog(BUNDLED_CATALOG_DIR / f"{v}.yaml").obligations
    }
    assert tested == every
    failures = [r.describe() for r in results if not r.passed]
    assert not failures, "\n".join(failures)
