"""Catalog loading and validation: clear errors naming file, obligation and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gapcheck.catalog import CATEGORIES, Catalog, load_catalog
from gapcheck.catalog_selection import CatalogSelection, resolve_catalogs
from gapcheck.errors import CatalogError
from gapcheck.settings import BUNDLED_CATALOG_DIR

VALID = {
    "id": "acme-firm",
    "vendor": "Acme LLP",
    "title": "Firm obligations",
    "policy_versions": ["2026-01-01"],
    "sources": [
        {
            "id": "memo",
            "title": "Firm memo",
            "url": "https://example.com",
            "effective": "2026-01-01",
        }
    ],
    "obligations": [
        {
            "id": "ACME-AGE",
            "title": "Minimum age",
            "requirement": "Terms must set a minimum age of 18.",
            "category": "age-and-minors",
            "severity": "high",
            "source": {"id": "memo", "section": "2"},
            "severity_reason": "Children's-privacy liability.",
            "examples": [
                "You must be 18 or older to use the Service.",
                "The Service is only for adults aged eighteen (18) years or more.",
                "You may use the Service only if: (a) you are at least 18 years old.",
            ],
            "counterexamples": ["The Service is suitable for all ages."],
            "remediation": {
                "actions": ["Add an age clause."],
                "model_clause": "Users must be 18+.",
            },
        }
    ],
}


def select_catalogs(
    bundled: Path, vendors: tuple[str, ...], paths: tuple[Path, ...], *, bundled_too: bool = True
) -> list[Catalog]:
    return resolve_catalogs(bundled, CatalogSelection(vendors, paths, bundled_too))


def _write(tmp_path: Path, data: object, name: str = "firm.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _variant(**obligation_changes: object) -> dict[str, object]:
    data = yaml.safe_load(yaml.safe_dump(VALID))
    data["obligations"][0].update(obligation_changes)
    return data


def test_valid_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(_write(tmp_path, VALID))
    assert catalog.obligations[0].id == "ACME-AGE"
    assert catalog.source("memo").effective.year == 2026


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"severity": "urgent"}, "obligation ACME-AGE: field severity"),
        ({"category": "misc"}, "obligation ACME-AGE: field category: unknown category"),
        ({"examples": []}, "obligation ACME-AGE: field examples"),
        ({"colour": "red"}, "obligation ACME-AGE: field colour: unknown field"),
        ({"source": {"id": "nope", "section": "1"}}, "unknown source 'nope'"),
        ({"requirement": "   "}, "obligation ACME-AGE: field requirement"),
    ],
)
def test_invalid_obligations_name_file_id_and_field(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    path = _write(tmp_path, _variant(**change))
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_yaml_syntax_error_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nvendor: [unclosed\ntitle: y\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken.yaml: invalid YAML at line \d"):
        load_catalog(path)


def test_yaml_object_tags_are_refused_not_executed(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("id: !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="invalid YAML"):
        load_catalog(path)
    assert not Path("pwned").exists()


def test_duplicate_ids_across_catalogs_are_rejected(tmp_path: Path) -> None:
    first = _write(tmp_path, VALID, "a.yaml")
    second_data = yaml.safe_load(yaml.safe_dump(VALID))
    second_data["id"] = "other"
    _write(tmp_path, second_data, "b.yaml")
    with pytest.raises(CatalogError, match="ACME-AGE: id already used"):
        select_catalogs(BUNDLED_CATALOG_DIR, (), (tmp_path,), bundled_too=False)
    assert first.exists()


def test_selection_rules(tmp_path: Path) -> None:
    own = _write(tmp_path, VALID)
    only_own = select_catalogs(BUNDLED_CATALOG_DIR, (), (own,), bundled_too=False)
    assert [c.id for c in only_own] == ["acme-firm"]
    added = select_catalogs(BUNDLED_CATALOG_DIR, (), (own,))
    assert "openai" in [c.id for c in added]
    assert added[-1].id == "acme-firm"
    both = select_catalogs(BUNDLED_CATALOG_DIR, ("openai",), (own,))
    assert [c.id for c in both] == ["openai", "acme-firm"]
    everything = select_catalogs(BUNDLED_CATALOG_DIR, (), ())
    assert "openai" in [c.id for c in everything]
    with pytest.raises(CatalogError, match="--vendor nosuch: no bundled catalog"):
        select_catalogs(BUNDLED_CATALOG_DIR, ("nosuch",), ())


def test_bundled_catalogs_are_valid_and_well_formed() -> None:
    catalogs = select_catalogs(BUNDLED_CATALOG_DIR, (), ())
    assert catalogs
    for catalog in catalogs:
        for obligation in catalog.obligations:
            assert obligation.category in CATEGORIES
            assert len(obligation.examples) >= 3, obligation.id
            assert obligation.remediation.model_clause, obligation.id
