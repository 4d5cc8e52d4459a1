"""Choosing the obligations an analysis checks: vendors, policy versions, user catalogs.

The steps run in a fixed, documented order so a user can predict the result:

1. Bundled vendor catalogs: those named by ``--vendor`` (or the profile's ``vendors``),
   all of them when none is named; none with ``--no-bundled``.
2. User catalogs from ``--catalog`` (files or folders) are added.
3. Each catalog is cut to one policy version: ``--policy-version VENDOR=DATE`` picks the
   version in effect on that date, otherwise the newest. Obligations outside that
   version's ``in_force`` range are left out.
4. ``overrides`` in any selected catalog replace fields of the obligation with that id.
5. ``disable`` in any selected catalog removes obligations by id.
6. Obligation ids must be unique across everything that remains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gapcheck.catalog import Catalog, Obligation, catalog_files, load_catalog
from gapcheck.errors import CatalogError, UsageError


@dataclass(frozen=True)
class CatalogSelection:
    """Which catalogs, at which versions, a run checks against."""

    vendors: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()
    include_bundled: bool = True
    policy_versions: Mapping[str, dt.date] = field(default_factory=dict)
    all_versions: bool = False
    """Keep every policy version of catalogs without a requested date (for export)."""


def bundled_vendors(bundled_dir: Path) -> list[str]:
    """Names of the catalogs shipped with gapcheck (file stems of the bundled folder)."""
    return sorted(p.stem for p in bundled_dir.glob("*.yaml"))


def parse_policy_version(text: str) -> tuple[str, dt.date]:
    """``VENDOR=YYYY-MM-DD`` as given to ``--policy-version``."""
    vendor, sep, date_text = text.partition("=")
    if not sep or not vendor.strip():
        raise UsageError(f"--policy-version {text}: expected VENDOR=YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(date_text.strip())
    except ValueError:
        raise UsageError(
            f"--policy-version {text}: '{date_text}' is not a YYYY-MM-DD date"
        ) from None
    return vendor.strip().lower(), date


def resolve_catalogs(bundled_dir: Path, selection: CatalogSelection) -> list[Catalog]:
    """The effective catalogs for ``selection`` (steps 1-6 of the module docstring)."""
    paths = _bundled_paths(bundled_dir, selection) + [
        file for extra in selection.paths for file in catalog_files(extra)
    ]
    catalogs = [load_catalog(path) for path in dict.fromkeys(paths)]
    catalogs = _at_versions(catalogs, selection.policy_versions, selection.all_versions)
    catalogs = _apply_overrides(catalogs)
    catalogs = _apply_disable(catalogs)
    catalogs = [catalog for catalog in catalogs if catalog.obligations]
    _check_unique_ids(catalogs)
    if not catalogs:
        raise CatalogError("no obligations left to check after overrides and disable lists")
    return catalogs


def _bundled_paths(bundled_dir: Path, selection: CatalogSelection) -> list[Path]:
    if not selection.include_bundled:
        return []
    available = bundled_vendors(bundled_dir)
    if not selection.vendors:
        return [bundled_dir / f"{name}.yaml" for name in available]
    chosen = []
    for vendor in selection.vendors:
        key = vendor.strip().lower()
        if key not in available:
            raise CatalogError(
                f"--vendor {vendor}: no bundled catalog of that name "
                f"(available: {', '.join(available)})"
            )
        chosen.append(bundled_dir / f"{key}.yaml")
    return chosen


def _at_versions(
    catalogs: list[Catalog], requested: Mapping[str, dt.date], all_versions: bool = False
) -> list[Catalog]:
    """Each catalog cut to the requested (or newest) policy version.

    With ``all_versions`` a catalog with no requested date is kept whole (every
    version, ``selected_version`` None): an export must not lose superseded duties.
    """
    known = {catalog.id for catalog in catalogs}
    for vendor in requested:
        if vendor not in known:
            raise UsageError(
                f"--policy-version {vendor}=...: no selected catalog has id '{vendor}' "
                f"(selected: {', '.join(sorted(known))})"
            )
    result = []
    for catalog in catalogs:
        date = requested.get(catalog.id)
        if date is None and all_versions:
            result.append(catalog)
            continue
        version = catalog.version_at(date) if date is not None else catalog.newest_version
        kept = [o for o in catalog.obligations if o.in_force_at(version)]
        result.append(catalog.model_copy(update={"obligations": kept, "selected_version": version}))
    return result


def _apply_overrides(catalogs: list[Catalog]) -> list[Catalog]:
    """Merge every ``overrides`` entry into the obligation it names (last one wins)."""
    overrides = [(catalog, o) for catalog in catalogs for o in catalog.overrides]
    if not overrides:
        return catalogs
    by_id: dict[str, Obligation] = {}
    for catalog, override in overrides:
        target = by_id.get(override.id) or _find(catalogs, override.id)
        if target is None:
            raise CatalogError(
                f"{catalog.path}: override {override.id}: no obligation with that id in the "
                "selected catalogs (is its vendor selected, and in force at this version?)"
            )
        try:
            by_id[override.id] = override.apply_to(target)
        except ValueError as error:
            raise CatalogError(f"{catalog.path}: override {override.id}: {error}") from None
    return [
        catalog.model_copy(
            update={"obligations": [by_id.get(o.id, o) for o in catalog.obligations]}
        )
        for catalog in catalogs
    ]


def _apply_disable(catalogs: list[Catalog]) -> list[Catalog]:
    """Remove every obligation named in a ``disable`` list (unknown ids are errors)."""
    disabled: dict[str, Path | None] = {}
    for catalog in catalogs:
        for ident in catalog.disable:
            disabled[ident] = catalog.path
    for ident, path in disabled.items():
        if _find(catalogs, ident) is None:
            raise CatalogError(
                f"{path}: disable {ident}: no obligation with that id in the selected catalogs"
            )
    return [
        catalog.model_copy(
            update={"obligations": [o for o in catalog.obligations if o.id not in disabled]}
        )
        for catalog in catalogs
    ]


def _find(catalogs: Sequence[Catalog], ident: str) -> Obligation | None:
    return next((o for catalog in catalogs for o in catalog.obligations if o.id == ident), None)


def _check_unique_ids(catalogs: Iterable[Catalog]) -> None:
    """Obligation ids must be unique across all selected catalogs (findings are keyed on them)."""
    owner: dict[str, Path | None] = {}
    for catalog in catalogs:
        for obligation in catalog.obligations:
            if obligation.id in owner:
                raise CatalogError(
                    f"{catalog.path}: obligation {obligation.id}: id already used in "
                    f"{owner[obligation.id]} (to change a bundled obligation, list it under "
                    "'overrides')"
                )
            owner[obligation.id] = catalog.path
