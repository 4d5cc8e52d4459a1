"""The domain types every stage passes along: documents, clauses, findings, reports.

They are frozen dataclasses with no I/O so that each stage (ingest, segment, match,
assess, render) can be tested on its own and a report can be rebuilt from JSON.
Catalog types live in :mod:`gapcheck.catalog` because they are validated user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class BlockKind(str, Enum):
    """What a block of ingested text is, as the source document marked it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


class DocumentKind(str, Enum):
    """What a document is to the user: terms that bind them, or a notice about practices.

    A privacy notice tells users what the operator does with their data. It binds the
    operator's practice, not the user: "we do not use facial recognition" does not forbid
    users to do so. See :mod:`gapcheck.document_kind` for how the kind is read.
    """

    TERMS = "terms"
    PRIVACY_NOTICE = "privacy-notice"


@dataclass(frozen=True)
class Block:
    """One visual unit of a document: a heading, a paragraph, a list item or a table row.

    ``text`` is exactly ``Document.text[start:end]``; the list number or marker that the
    source rendered automatically (a Word numbered list, an HTML ``<ol>``) is kept apart in
    ``label`` because it is not part of the typed text but a lawyer cites it.
    """

    kind: BlockKind
    text: str
    start: int
    end: int
    level: int = 0
    label: str = ""
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """Text extracted from one input file, with its blocks and a fingerprint of the file."""

    path: Path
    format: str
    text: str
    blocks: tuple[Block, ...]
    sha256: str
    warnings: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        """Word count of the extracted text, as reported to the user."""
        return len(self.text.split())

    @property
    def name(self) -> str:
        """The file name shown in reports (not the full path, which may be private)."""
        return self.path.name


@dataclass(frozen=True)
class Clause:
    """The unit a lawyer cites: a numbered section, list item, paragraph or sentence.

    ``text`` is copied from the document (``document.text[start:end]``) and is what the
    report quotes. ``lead_in`` is the sentence that introduces a list ("You may not:") so
    that a list item is matched with its meaning, but it is never quoted as evidence.
    """

    document: str
    section: str
    heading_path: tuple[str, ...]
    text: str
    start: int
    end: int
    page: int | None = None
    lead_in: str = ""
    kind: DocumentKind = DocumentKind.TERMS
    """The kind of document the clause comes from (terms or a privacy notice)."""

    @property
    def heading(self) -> str:
        """The heading path as one line, e.g. ``5 Acceptable use > 5.2 Prohibited content``."""
        return " > ".join(self.heading_path)

    @property
    def match_text(self) -> str:
        """What is embedded and compared: the lead-in (if any) followed by the clause."""
        return f"{self.lead_in} {self.text}" if self.lead_in else self.text


class Status(str, Enum):
    """The verdict for one obligation against one policy set."""

    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"
    CONFLICT = "conflict"
    NOT_APPLICABLE = "not_applicable"

    @property
    def is_gap(self) -> bool:
        """Partial, missing and conflicting obligations all need the operator to act."""
        return self in (Status.PARTIAL, Status.MISSING, Status.CONFLICT)


class Severity(str, Enum):
    """How much governance exposure a gap carries; ordered from worst to mildest."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for critical up to 3 for low, so sorting by rank puts the worst first."""
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as serious as ``other`` or more."""
        return self.rank <= other.rank


@dataclass(frozen=True)
class Evidence:
    """A clause quoted in support of a finding, with the similarity that selected it."""

    document: str
    section: str
    heading: str
    page: int | None
    text: str
    score: float
    start: int
    end: int


@dataclass(frozen=True)
class Explanation:
    """Why a finding has its status: the deciding rule and the figures it compared."""

    rule: str
    best_score: float
    thresholds: dict[str, float]
    matched_example: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remediation:
    """What the operator should do about a gap, with clause language to start from."""

    actions: tuple[str, ...]
    model_clause: str


@dataclass(frozen=True)
class Regulation:
    """A law that imposes or sharpens the duty, with the jurisdictions it flags."""

    law: str
    jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """Where the obligation comes from in the vendor's own text."""

    vendor: str
    document: str
    section: str
    effective: str
    url: str
    excerpt_only: bool = False

    def __str__(self) -> str:
        return f"{self.vendor}, {self.document} ({self.effective}), {self.section}"


@dataclass(frozen=True)
class ElementCheck:
    """Whether one required part of an obligation was found in the terms, and where."""

    name: str
    present: bool
    cue: str = ""
    section: str = ""


@dataclass(frozen=True)
class Finding:
    """The verdict on one obligation: status, confidence, evidence and what to do."""

    obligation_id: str
    catalog: str
    vendor: str
    title: str
    requirement: str
    severity: Severity
    category: str
    status: Status
    confidence: float
    evidence: tuple[Evidence, ...]
    remediation: Remediation
    citation: Citation
    explanation: Explanation
    severity_reason: str = ""
    canonical: str = ""
    regulatory: tuple[Regulation, ...] = ()
    elements: tuple[ElementCheck, ...] = ()
    applies_when: tuple[str, ...] = ()
    minimum_age: int | None = None

    @property
    def source(self) -> str:
        """The citation as one line (vendor, document, date, section)."""
        return str(self.citation)

    @property
    def source_url(self) -> str:
        """Link to the vendor document."""
        return self.citation.url

    @property
    def group_key(self) -> str:
        """Findings with the same key are one duty imposed by several vendors."""
        return self.canonical or self.obligation_id


@dataclass(frozen=True)
class DocumentSummary:
    """What the report says about an input file: where it was, its fingerprint, its size."""

    path: str
    format: str
    sha256: str
    words: int
    clauses: int
    warnings: tuple[str, ...] = ()
    kind: DocumentKind = DocumentKind.TERMS


@dataclass(frozen=True)
class CatalogSummary:
    """Which catalog (and which version of it) a report was checked against."""

    id: str
    vendor: str
    title: str
    version: str
    obligations: int


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs: inputs, catalogs, model and findings."""

    gapcheck_version: str
    generated_at: str
    operator: str
    documents: tuple[DocumentSummary, ...]
    catalogs: tuple[CatalogSummary, ...]
    model: str
    findings: tuple[Finding, ...]
    settings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    """Warnings about the whole run (e.g. settings calibrated for another model)."""

    @property
    def summary(self) -> dict[str, int]:
        """Count of findings per status, every status present (zero when none)."""
        counts = {status.value: 0 for status in Status}
        for finding in self.findings:
            counts[finding.status.value] += 1
        return counts

    def gaps_at_or_above(self, severity: Severity) -> list[Finding]:
        """Findings that need action and are at least as severe as ``severity``."""
        return [f for f in self.findings if f.status.is_gap and f.severity.at_least(severity)]
