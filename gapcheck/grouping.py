"""One duty, several vendors: grouping findings by canonical obligation.

An operator on OpenAI and Anthropic owes "set a minimum age" twice, with different ages.
Each vendor's obligation is assessed on its own (its own examples, its own age), then the
findings that share a ``canonical`` key are grouped. The group's verdict is its worst
member's, because the operator's terms must satisfy every vendor it uses: the strictest
requirement is the one that decides, and the report names the vendor that drives it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gapcheck.model import Finding, Severity, Status

STATUS_SEVERITY: dict[Status, int] = {
    Status.CONFLICT: 0,
    Status.MISSING: 1,
    Status.PARTIAL: 2,
    Status.COVERED: 3,
    Status.NOT_APPLICABLE: 4,
}
"""Worst first: a conflict outranks a gap, a gap outranks partial coverage."""


@dataclass(frozen=True)
class ObligationGroup:
    """Findings for the same duty from one or more vendors, with the deciding one."""

    key: str
    members: tuple[Finding, ...]
    driver: Finding

    @property
    def status(self) -> Status:
        """The verdict that counts: the driving (worst) member's."""
        return self.driver.status

    @property
    def severity(self) -> Severity:
        """The most serious severity any vendor gives the duty."""
        return min((m.severity for m in self.members), key=lambda s: s.rank)

    @property
    def vendors(self) -> tuple[str, ...]:
        """Vendors imposing the duty, in catalog order, without repeats."""
        return tuple(dict.fromkeys(m.vendor for m in self.members))

    @property
    def title(self) -> str:
        """The driving obligation's title."""
        return self.driver.title

    @property
    def note(self) -> str:
        """Why this member decides, in a sentence (empty for a single-vendor duty)."""
        if len(self.members) == 1:
            return ""
        others = [m for m in self.members if m is not self.driver]
        statuses = {m.status for m in self.members if m.status is not Status.NOT_APPLICABLE}
        driver = self.driver
        if len(statuses) > 1:
            return f"{driver.vendor}'s version decides ({driver.status.value}); " + ", ".join(
                f"{m.vendor}: {m.status.value}" for m in others
            )
        return (
            f"Same verdict for {', '.join(self.vendors)}; "
            f"{driver.vendor}'s version is listed as the strictest"
        )


def _strictness(finding: Finding) -> tuple[int, int, int, str]:
    """Sort key: worst status, then highest severity, then highest age, then id."""
    age = _minimum_age(finding)
    return (STATUS_SEVERITY[finding.status], finding.severity.rank, -age, finding.obligation_id)


def _minimum_age(finding: Finding) -> int:
    """The age an age obligation requires (0 when it sets none)."""
    return finding.minimum_age or 0


def group_findings(findings: Iterable[Finding]) -> list[ObligationGroup]:
    """Group by canonical key (findings without one stand alone), in first-seen order."""
    buckets: dict[str, list[Finding]] = {}
    for finding in findings:
        buckets.setdefault(finding.group_key, []).append(finding)
    return [
        ObligationGroup(key=key, members=tuple(members), driver=min(members, key=_strictness))
        for key, members in buckets.items()
    ]


def multi_vendor_groups(groups: Sequence[ObligationGroup]) -> list[ObligationGroup]:
    """Groups that more than one vendor imposes (where vendor differences matter)."""
    return [group for group in groups if len(group.vendors) > 1]
