"""Catalog self-test: every example must be recognised, every counterexample rejected.

As licensee and scancode test each licence rule against its own text, each obligation's
examples (clauses written to satisfy it) are analysed as one-clause policies and must come
out ``covered``; its counterexamples (clauses that look close but do not satisfy it) must
not. This catches authoring mistakes that would otherwise surface as wrong verdicts on a
client's terms: an example missing an element's cue, a counterexample that is really an
example, two obligations whose texts are indistinguishable.

``leave_one_out`` is the harder variant: the example under test is hidden from the catalog,
so it must be recognised from the obligation's *other* texts. It measures how well the
catalog generalises and is reported, not enforced.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from gapcheck.model import Clause, Status
from gapcheck.pipeline import Analyzer


@dataclass(frozen=True)
class SelfTestCase:
    """One example or counterexample of one obligation."""

    obligation_id: str
    kind: str
    number: int
    text: str
    row: int

    @property
    def name(self) -> str:
        """A name that locates the text in the catalog, e.g. ``OPENAI-MIN-AGE example 2``."""
        return f"{self.obligation_id} {self.kind} {self.number}"


@dataclass(frozen=True)
class SelfTestResult:
    """What the analyzer made of one case, and whether that is what the catalog intends."""

    case: SelfTestCase
    status: Status
    rule: str
    passed: bool

    def describe(self) -> str:
        """One line for a failure list."""
        expected = "covered" if self.case.kind == "example" else "not covered"
        snippet = self.case.text if len(self.case.text) <= 90 else self.case.text[:87] + "..."
        return (
            f"{self.case.name}: expected {expected}, got {self.status.value} "
            f"({self.rule}) - {snippet!r}"
        )


def self_test_cases(analyzer: Analyzer) -> list[SelfTestCase]:
    """Every example and counterexample of every selected obligation."""
    index = analyzer.catalog_index()
    cases = []
    for entry in index.entries:
        ident = entry.obligation.id
        for number, row in enumerate(entry.example_rows, start=1):
            cases.append(SelfTestCase(ident, "example", number, index.texts[row], row))
        for number, row in enumerate(entry.counterexample_rows, start=1):
            cases.append(SelfTestCase(ident, "counterexample", number, index.texts[row], row))
    return cases


def run_self_test(
    analyzer: Analyzer,
    *,
    leave_one_out: bool = False,
    only: Collection[str] | None = None,
) -> list[SelfTestResult]:
    """Analyse each case as a one-clause policy and compare with what the catalog intends.

    ``only`` limits the run to these obligation ids (to test older policy versions
    without repeating obligations already tested at the newest).
    """
    index = analyzer.catalog_index()
    cases = [c for c in self_test_cases(analyzer) if only is None or c.obligation_id in only]
    if not cases:
        return []
    vectors = index.vectors[[case.row for case in cases]]
    column_of = {entry.obligation.id: i for i, entry in enumerate(index.entries)}
    results = []
    for case, vector in zip(cases, vectors, strict=True):
        clause = Clause(
            document="self-test",
            section="",
            heading_path=(),
            text=case.text,
            start=0,
            end=len(case.text),
        )
        hidden = (case.row,) if leave_one_out else ()
        finding = analyzer.assess_one(
            [clause], vector[None, :].copy(), column_of[case.obligation_id], hidden
        )
        if case.kind == "example":
            passed = finding.status is Status.COVERED
        else:
            passed = finding.status is not Status.COVERED
        results.append(SelfTestResult(case, finding.status, finding.explanation.rule, passed))
    return results
