"""Obligation catalogs: the YAML schema, safe loading, validation and selection.

A catalog is user input (law firms write their own), so it is parsed with
``yaml.safe_load`` (no object-constructing tags) and validated with pydantic models that
reject unknown keys; every error names the file, the obligation id and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from gapcheck.errors import CatalogError
from gapcheck.model import Severity
from gapcheck.safe_yaml import load_untrusted_yaml

CATEGORIES: dict[str, str] = {
    "pass-through": "bind users to the vendor's usage rules (flow-down, incorporation)",
    "prohibited-use": "a use the operator's terms must forbid",
    "disclosure": "something users must be told (AI interaction, synthetic media, limits)",
    "age-and-minors": "age floors, parental consent, child safety",
    "human-oversight": "human review of consequential or professional outputs",
    "privacy": "personal-data handling, notices and sensitive data",
    "model-protection": "protecting the vendor's model and service (training, extraction)",
    "enforcement": "suspension, termination, moderation and appeal rights",
    "attribution": "licence notices, naming and endorsement rules",
    "region-and-export": "supported regions, sanctions and export control",
    "security": "account, credential and data security",
    "reporting": "channels to report misuse and duties to notify",
    "accuracy": "disclaimers about output accuracy and professional advice",
    "intellectual-property": "rights in inputs and outputs, infringement",
    "agentic": "AI agents acting for users",
    "contract": "allocation of responsibility: accounts, indemnity, changes",
}
"""The fixed category vocabulary, with what each word means; other words are rejected."""

NOTICE_CATEGORIES: frozenset[str] = frozenset({"disclosure", "privacy"})
"""Categories of obligations about what users are told, which a privacy notice can speak
to. For every other category (a prohibition, a user duty) a notice binds nobody, so its
clauses are quoted after those of the terms (see :mod:`gapcheck.document_kind`)."""

CATCH_ALL_CATEGORIES: frozenset[str] = frozenset({"prohibited-use"})
"""Categories a general clause reaches in part: "no illegal, harmful or offensive
content" is a partial ban on each specific prohibited use, although it names none of its
parts. An obligation in any other category whose parts no clause names is missing."""

CONDITIONS: dict[str, str] = {
    "consumer-facing": "the product is offered to individual consumers, not only businesses",
    "serves-minors": "people under 18 may use the product",
    "high-risk-domain": (
        "outputs inform advice or decisions about people in legal, medical, financial, "
        "insurance, employment, housing, education or similar areas"
    ),
    "agentic": "the AI takes actions for users (browsing, tools, purchases, messages)",
    "chatbot": "users converse with an AI assistant, agent or character",
    "eu-users": "the product is offered to people in the EEA, the UK or Switzerland",
    "voice": "the product produces synthetic speech or cloned voices",
    "images": "the product generates or edits images or video",
    "code": "the product generates software code",
    "grounding": "the product shows search- or map-grounded results from the vendor",
    "distributes-model": "the operator distributes model weights or derivatives",
}
"""When an obligation applies (``applies_when``); a profile states which hold."""

Category = Annotated[str, StringConstraints(strip_whitespace=True)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
]
Jurisdiction = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^(INTL|[A-Z]{2}(-[A-Z]{2,3})?)$")
]


class _Strict(BaseModel):
    """Base for catalog models: immutable and no unknown keys (typos are errors)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Strict):
    """A vendor document the catalog paraphrases, at a dated version."""

    id: Identifier
    title: Text
    url: Text
    effective: dt.date
    excerpt_only: bool = Field(
        default=False, description="True when only excerpts of the vendor text were available."
    )


class SourceRef(_Strict):
    """Where in a source an obligation comes from."""

    id: Identifier
    section: Text


class RemediationSpec(_Strict):
    """What to change in the operator's terms, and clause language they could adopt."""

    actions: list[Text] = Field(min_length=1)
    model_clause: Text


class Element(_Strict):
    """A part of an obligation that must be present on its own (e.g. one banned category)."""

    name: Text
    cues: list[Text] = Field(min_length=1)


class ConflictCue(Element):
    """A position the obligation rules out, recognised by cue phrases.

    ``unless`` lists phrases that mark the cue as the opposite position: "business
    information is excluded" names "business" while agreeing with a technical-only rule.
    """

    unless: list[Text] = Field(default_factory=list)


class Regulation(_Strict):
    """A law that imposes or sharpens the duty, and where it applies."""

    law: Text
    jurisdictions: list[Jurisdiction] = Field(min_length=1)


class InForce(_Strict):
    """The policy versions an obligation belongs to: ``since`` inclusive, ``until`` exclusive."""

    since: dt.date | None = None
    until: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> InForce:
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError("in_force.since must be before in_force.until")
        return self

    def covers(self, version: dt.date) -> bool:
        """True when the obligation is part of the policy as it stood at ``version``."""
        if self.since is not None and version < self.since:
            return False
        return self.until is None or version < self.until


class Obligation(_Strict):
    """One duty the operator must pass on to its users or meet in its terms."""

    id: Identifier
    title: Text
    requirement: Text
    category: Category
    severity: Severity
    severity_reason: Text
    canonical: Identifier | None = Field(
        default=None,
        description="Key shared by the same duty across vendors (e.g. C-15), for grouping.",
    )
    source: SourceRef
    in_force: InForce | None = None
    minimum_age: int | None = Field(default=None, ge=0, le=25)
    examples: list[Text] = Field(min_length=3)
    counterexamples: list[Text] = Field(min_length=1)
    contradictions: list[Text] = Field(
        default_factory=list,
        description="Clauses that contradict the obligation (a match is a conflict). "
        "Counterexamples whose stance opposes the examples' count as contradictions too.",
    )
    elements: list[Element] = Field(default_factory=list)
    conflict_cues: list[ConflictCue] = Field(
        default_factory=list,
        description="Positions the obligation rules out, each with cue phrases: an on-topic "
        "clause naming one is a conflict (e.g. a definition of Confidential Information that "
        "includes business information, where only technical information may be).",
    )
    applies_when: list[Identifier] = Field(default_factory=list)
    regulatory: list[Regulation] = Field(default_factory=list)
    remediation: RemediationSpec

    @model_validator(mode="after")
    def _known_vocabulary(self) -> Obligation:
        if self.category not in CATEGORIES:
            raise ValueError(
                f"field category: unknown category '{self.category}' "
                f"(allowed: {', '.join(CATEGORIES)})"
            )
        for condition in self.applies_when:
            if condition not in CONDITIONS:
                raise ValueError(
                    f"field applies_when: unknown condition '{condition}' "
                    f"(allowed: {', '.join(CONDITIONS)})"
                )
        return self

    def in_force_at(self, version: dt.date | None) -> bool:
        """True when the obligation belongs to the policy version ``version`` (None: newest)."""
        if self.in_force is None:
            return True
        if version is None:
            return self.in_force.until is None
        return self.in_force.covers(version)


OVERRIDABLE_FIELDS: tuple[str, ...] = (
    "title",
    "requirement",
    "category",
    "severity",
    "severity_reason",
    "canonical",
    "minimum_age",
    "examples",
    "counterexamples",
    "contradictions",
    "elements",
    "conflict_cues",
    "applies_when",
    "regulatory",
    "remediation",
)
"""Fields a user catalog may replace in a bundled obligation (see :class:`Override`)."""


class Override(_Strict):
    """A user's change to an obligation defined elsewhere, addressed by its id.

    Merge rule: each field given replaces the original field whole (lists included);
    ``add_examples`` and ``add_counterexamples`` append instead. The source citation,
    version range and id never change: an override adjusts a duty, it does not move it.
    """

    id: Identifier
    title: Text | None = None
    requirement: Text | None = None
    category: Category | None = None
    severity: Severity | None = None
    severity_reason: Text | None = None
    canonical: Identifier | None = None
    minimum_age: int | None = Field(default=None, ge=0, le=25)
    examples: list[Text] | None = Field(default=None, min_length=3)
    counterexamples: list[Text] | None = Field(default=None, min_length=1)
    contradictions: list[Text] | None = None
    elements: list[Element] | None = None
    conflict_cues: list[ConflictCue] | None = None
    applies_when: list[Identifier] | None = None
    regulatory: list[Regulation] | None = None
    remediation: RemediationSpec | None = None
    add_examples: list[Text] = Field(default_factory=list)
    add_counterexamples: list[Text] = Field(default_factory=list)

    def apply_to(self, obligation: Obligation) -> Obligation:
        """The obligation with this override merged in (validated again as a whole)."""
        data = obligation.model_dump()
        for name in OVERRIDABLE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                data[name] = (
                    value.model_dump() if isinstance(value, BaseModel) else _dump_list(value)
                )
        data["examples"] = [*data["examples"], *self.add_examples]
        data["counterexamples"] = [*data["counterexamples"], *self.add_counterexamples]
        return Obligation.model_validate(data)


def _dump_list(value: object) -> object:
    if isinstance(value, list):
        return [item.model_dump() if isinstance(item, BaseModel) else item for item in value]
    return value


class Catalog(_Strict):
    """A set of obligations from one vendor (or one firm), with the sources they cite.

    A user catalog may also carry ``overrides`` and ``disable`` lists that change or
    switch off obligations of other selected catalogs (bundled ones included).
    """

    id: Identifier
    vendor: Text
    title: Text
    policy_versions: list[dt.date] = Field(
        default_factory=list,
        description="Effective dates of the vendor policy versions this catalog models.",
    )
    sources: list[Source] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    disable: list[Identifier] = Field(default_factory=list)
    path: Path | None = Field(default=None, exclude=True)
    selected_version: dt.date | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _check_references(self) -> Catalog:
        """Ids are unique, sources exist, version ranges name declared versions."""
        if not (self.obligations or self.overrides or self.disable):
            raise ValueError("a catalog needs obligations, overrides or disable entries")
        if self.obligations and not self.sources:
            raise ValueError("field sources: a catalog with obligations must declare sources")
        source_ids = {source.id for source in self.sources}
        versions = set(self.policy_versions)
        seen: set[str] = set()
        for obligation in self.obligations:
            if obligation.id in seen:
                raise ValueError(f"obligation {obligation.id}: duplicate id")
            seen.add(obligation.id)
            if obligation.source.id not in source_ids:
                raise ValueError(
                    f"obligation {obligation.id}: field source.id: unknown source "
                    f"'{obligation.source.id}' (declared: {', '.join(sorted(source_ids))})"
                )
            bounds = obligation.in_force
            for bound in (bounds.since, bounds.until) if bounds else ():
                if bound is not None and bound not in versions:
                    raise ValueError(
                        f"obligation {obligation.id}: field in_force: {bound} is not one of "
                        f"the catalog's policy_versions"
                    )
        return self

    def source(self, source_id: str) -> Source:
        """The declared source with this id (validation guarantees it exists)."""
        return next(s for s in self.sources if s.id == source_id)

    @property
    def newest_version(self) -> dt.date | None:
        """The latest policy version the catalog models (the default for analysis)."""
        return max(self.policy_versions) if self.policy_versions else None

    def version_at(self, date: dt.date) -> dt.date:
        """The policy version in effect on ``date``: the newest one not after it."""
        earlier = [version for version in self.policy_versions if version <= date]
        if not earlier:
            known = ", ".join(v.isoformat() for v in sorted(self.policy_versions)) or "none"
            raise CatalogError(
                f"{self.path or self.id}: no {self.vendor} policy version in effect on "
                f"{date.isoformat()} (versions modelled: {known})"
            )
        return max(earlier)


def _describe_validation_error(data: Any, error: ValidationError) -> tuple[str, list[Any]]:
    """Turn pydantic's first error into 'obligation ID: field X: problem' and its location."""
    first = error.errors()[0]
    full_location = list(first["loc"])
    location = full_location
    prefix = ""
    if (
        len(location) >= 2
        and location[0] in ("obligations", "overrides")
        and isinstance(location[1], int)
    ):
        index = location[1]
        entries = data.get(location[0]) if isinstance(data, dict) else None
        ident = None
        if isinstance(entries, list) and index < len(entries):
            entry = entries[index]
            ident = entry.get("id") if isinstance(entry, dict) else None
        kind = "obligation" if location[0] == "obligations" else "override"
        prefix = f"{kind} {ident or f'#{index + 1}'}: "
        location = location[2:]
    field_name = ".".join(str(part) for part in location)
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    if not field_name or message.startswith(("field ", "obligation ")):
        return f"{prefix}{message}", full_location
    return f"{prefix}field {field_name}: {message}", full_location


def _line_of(raw: str, location: Sequence[Any]) -> int | None:
    """The 1-based line of the YAML node at ``location`` (as deep as it exists).

    Composing the node tree with the safe loader gives positions without constructing
    any objects, so a validation error can point at the line to fix.
    """
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line: int = node.start_mark.line + 1
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if child is None:
                key = next((k for k, _ in node.value if getattr(k, "value", None) == part), None)
                if key is not None:
                    return int(key.start_mark.line) + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def parse_catalog(data: Any, path: Path, raw: str | None = None) -> Catalog:
    """Validate already-parsed YAML data as a catalog; errors name ``path`` (and the line)."""
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a catalog must be a YAML mapping with id, vendor, ...")
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as error:
        message, location = _describe_validation_error(data, error)
        line = _line_of(raw, location) if raw is not None else None
        where = f"{path}:{line}" if line else f"{path}"
        raise CatalogError(f"{where}: {message}") from None
    return catalog.model_copy(update={"path": path})


def load_catalog(path: Path) -> Catalog:
    """Read and validate one catalog file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalog file not found") from None
    except IsADirectoryError:
        raise CatalogError(f"{path}: is a folder, expected a catalog file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read catalog ({error})") from None
    data = load_untrusted_yaml(raw, path)  # safe tags, bounded depth and alias expansion
    return parse_catalog(data, path, raw)


def catalog_files(path: Path) -> list[Path]:
    """The catalog files a ``--catalog`` argument names: the file, or a folder's YAML files."""
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise CatalogError(f"{path}: folder has no .yaml catalog files")
        return files
    if not path.exists():
        raise CatalogError(f"{path}: catalog file not found")
    return [path]
