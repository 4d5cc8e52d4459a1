"""Obligation catalogs: the YAML schema, safe loading, validation and selection.

A catalog is user input (law firms write their own), so it is parsed with
``yaml.safe_load`` (no object-constructing tags) and validated with pydantic models that
reject unknown keys; every error names the file, the obligation id and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

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

CATEGORIES: tuple[str, ...] = (
    "pass-through",
    "prohibited-use",
    "disclosure",
    "age-and-minors",
    "human-oversight",
    "privacy",
    "model-protection",
    "enforcement",
    "attribution",
    "region-and-export",
    "security",
    "reporting",
    "accuracy",
    "intellectual-property",
    "agentic",
    "contract",
)
"""The fixed category vocabulary; a catalog using another word is rejected."""

Category = Literal[
    "pass-through",
    "prohibited-use",
    "disclosure",
    "age-and-minors",
    "human-oversight",
    "privacy",
    "model-protection",
    "enforcement",
    "attribution",
    "region-and-export",
    "security",
    "reporting",
    "accuracy",
    "intellectual-property",
    "agentic",
    "contract",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
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

    action: Text
    model_clause: Text


class Element(_Strict):
    """A part of an obligation that must be present on its own (e.g. one banned category)."""

    name: Text
    cues: list[Text] = Field(min_length=1)


class Obligation(_Strict):
    """One duty the operator must pass on to its users or meet in its terms."""

    id: Identifier
    title: Text
    requirement: Text
    category: Category
    severity: Severity
    severity_reason: str = ""
    source: SourceRef
    examples: list[Text] = Field(min_length=1)
    counterexamples: list[Text] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    applies_when: list[Identifier] = Field(default_factory=list)
    regulatory: list[Text] = Field(default_factory=list)
    remediation: RemediationSpec


class Catalog(_Strict):
    """A set of obligations from one vendor (or one firm), with the sources they cite."""

    id: Identifier
    vendor: Text
    title: Text
    version: Text
    sources: list[Source] = Field(min_length=1)
    obligations: list[Obligation] = Field(min_length=1)
    path: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _check_references(self) -> Catalog:
        """Obligation ids are unique and every obligation cites a declared source."""
        source_ids = {source.id for source in self.sources}
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
        return self

    def source(self, source_id: str) -> Source:
        """The declared source with this id (validation guarantees it exists)."""
        return next(s for s in self.sources if s.id == source_id)


def _describe_validation_error(data: Any, error: ValidationError) -> str:
    """Turn pydantic's first error into 'obligation ID: field X: problem'."""
    first = error.errors()[0]
    location = list(first["loc"])
    prefix = ""
    if len(location) >= 2 and location[0] == "obligations" and isinstance(location[1], int):
        index = location[1]
        obligations = data.get("obligations") if isinstance(data, dict) else None
        ident = None
        if isinstance(obligations, list) and index < len(obligations):
            entry = obligations[index]
            ident = entry.get("id") if isinstance(entry, dict) else None
        prefix = f"obligation {ident or f'#{index + 1}'}: "
        location = location[2:]
    field_name = ".".join(str(part) for part in location)
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    if first["type"] == "literal_error" and location and location[-1] == "category":
        message = f"unknown category (allowed: {', '.join(CATEGORIES)})"
    if not field_name:
        return f"{prefix}{message.removeprefix('Value error, ')}"
    return f"{prefix}field {field_name}: {message}"


def parse_catalog(data: Any, path: Path) -> Catalog:
    """Validate already-parsed YAML data as a catalog; errors name ``path``."""
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a catalog must be a YAML mapping with id, vendor, ...")
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as error:
        raise CatalogError(f"{path}: {_describe_validation_error(data, error)}") from None
    return catalog.model_copy(update={"path": path})


def load_catalog(path: Path) -> Catalog:
    """Read and validate one catalog file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalog file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read catalog ({error})") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CatalogError(f"{path}: invalid YAML{where}: {problem}") from None
    return parse_catalog(data, path)


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


def bundled_vendors(bundled_dir: Path) -> list[str]:
    """Names of the catalogs shipped with gapcheck (file stems of the bundled folder)."""
    return sorted(p.stem for p in bundled_dir.glob("*.yaml"))


def select_catalogs(
    bundled_dir: Path, vendors: Sequence[str], extra_paths: Sequence[Path]
) -> list[Catalog]:
    """Choose catalogs as the CLI documents it.

    Bundled catalogs named by ``vendors`` (all of them when none is named and no
    ``extra_paths`` are given), plus every catalog under ``extra_paths``. Obligation ids
    must be unique across everything selected.
    """
    available = bundled_vendors(bundled_dir)
    chosen: list[Path] = []
    if vendors:
        for vendor in vendors:
            key = vendor.strip().lower()
            if key not in available:
                raise CatalogError(
                    f"--vendor {vendor}: no bundled catalog of that name "
                    f"(available: {', '.join(available)})"
                )
            chosen.append(bundled_dir / f"{key}.yaml")
    elif not extra_paths:
        chosen.extend(bundled_dir / f"{name}.yaml" for name in available)
    for extra in extra_paths:
        chosen.extend(catalog_files(extra))
    catalogs = [load_catalog(path) for path in dict.fromkeys(chosen)]
    _check_unique_ids(catalogs)
    return catalogs


def _check_unique_ids(catalogs: Iterable[Catalog]) -> None:
    """Obligation ids must be unique across all selected catalogs (findings are keyed on them)."""
    owner: dict[str, Path | None] = {}
    for catalog in catalogs:
        for obligation in catalog.obligations:
            if obligation.id in owner:
                raise CatalogError(
                    f"{catalog.path}: obligation {obligation.id}: id already used in "
                    f"{owner[obligation.id]}"
                )
            owner[obligation.id] = catalog.path
