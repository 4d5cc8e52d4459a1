"""Versions, overrides, disable lists, profiles, scaffold and schema: catalog customisation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gapcheck.catalog import load_catalog
from gapcheck.catalog_commands import SCHEMA_FILE_NAME, schema_text, show_obligation
from gapcheck.catalog_selection import CatalogSelection, parse_policy_version, resolve_catalogs
from gapcheck.cli import cli
from gapcheck.errors import CatalogError, ExitCode, UsageError
from gapcheck.profile import load_profile
from gapcheck.settings import BUNDLED_CATALOG_DIR


def _write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _obligations(selection: CatalogSelection) -> dict[str, object]:
    return {
        o.id: o for c in resolve_catalogs(BUNDLED_CATALOG_DIR, selection) for o in c.obligations
    }


def test_policy_version_selects_obligations_in_force() -> None:
    newest = _obligations(CatalogSelection(vendors=("openai",)))
    january = _obligations(
        CatalogSelection(vendors=("openai",), policy_versions={"openai": dt.date(2025, 3, 1)})
    )
    assert "OPENAI-AI-INTERACTION-DISCLOSURE" not in newest
    assert "OPENAI-AI-INTERACTION-DISCLOSURE" in january
    catalog = resolve_catalogs(
        BUNDLED_CATALOG_DIR,
        CatalogSelection(vendors=("openai",), policy_versions={"openai": dt.date(2025, 3, 1)}),
    )[0]
    assert catalog.selected_version == dt.date(2025, 1, 29)


def test_policy_version_errors_are_clear() -> None:
    with pytest.raises(CatalogError, match="no OpenAI policy version in effect on 2020-01-01"):
        _obligations(
            CatalogSelection(vendors=("openai",), policy_versions={"openai": dt.date(2020, 1, 1)})
        )
    with pytest.raises(UsageError, match="expected VENDOR=YYYY-MM-DD"):
        parse_policy_version("openai")
    with pytest.raises(UsageError, match="no selected catalog has id 'nosuch'"):
        _obligations(
            CatalogSelection(vendors=("openai",), policy_versions={"nosuch": dt.date(2025, 1, 1)})
        )


def test_override_and_disable_follow_the_merge_rule(tmp_path: Path) -> None:
    firm = _write(
        tmp_path / "firm.yaml",
        {
            "id": "firm",
            "vendor": "Firm LLP",
            "title": "Firm adjustments",
            "overrides": [
                {
                    "id": "OPENAI-MIN-AGE",
                    "severity": "critical",
                    "add_examples": ["Our service is for adults aged 18 and over only."],
                }
            ],
            "disable": ["OPENAI-POLITICAL-ELECTIONS"],
        },
    )
    bundled = _obligations(CatalogSelection(vendors=("openai",)))
    merged = _obligations(CatalogSelection(vendors=("openai",), paths=(firm,)))
    age = merged["OPENAI-MIN-AGE"]
    original = bundled["OPENAI-MIN-AGE"]
    assert age.severity.value == "critical"  # type: ignore[attr-defined]
    assert age.examples[-1] == "Our service is for adults aged 18 and over only."  # type: ignore[attr-defined]
    assert age.examples[:-1] == original.examples  # type: ignore[attr-defined]
    assert age.source == original.source  # type: ignore[attr-defined]
    assert "OPENAI-POLITICAL-ELECTIONS" not in merged
    assert len(merged) == len(bundled) - 1


def test_override_of_unknown_id_names_the_file(tmp_path: Path) -> None:
    firm = _write(
        tmp_path / "firm.yaml",
        {"id": "firm", "vendor": "F", "title": "t", "disable": ["NOPE-1"]},
    )
    with pytest.raises(CatalogError, match=r"firm.yaml: disable NOPE-1: no obligation"):
        _obligations(CatalogSelection(vendors=("openai",), paths=(firm,)))


def test_redefining_a_bundled_id_points_to_overrides(tmp_path: Path) -> None:
    bundled = load_catalog(BUNDLED_CATALOG_DIR / "openai.yaml")
    data = bundled.model_dump(mode="json", exclude_none=True)
    data["id"] = "copy"
    data["obligations"] = data["obligations"][:1]
    copy = _write(tmp_path / "copy.yaml", data)
    with pytest.raises(CatalogError, match="list it under 'overrides'"):
        _obligations(CatalogSelection(vendors=("openai",), paths=(copy,)))


def test_validation_errors_carry_the_line_number(tmp_path: Path) -> None:
    text = (BUNDLED_CATALOG_DIR / "openai.yaml").read_text(encoding="utf-8")
    broken = text.replace("    severity: high\n", "    severity: urgent\n", 1)
    line = broken.splitlines().index("    severity: urgent") + 1
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert str(error.value).startswith(f"{path}:{line}: obligation ")
    assert "field severity" in str(error.value)


def test_profile_marks_conditional_obligations_not_applicable(tmp_path: Path) -> None:
    profile = load_profile(
        _write(
            tmp_path / "profile.yaml",
            {"vendors": ["openai"], "consumer_facing": True, "features": ["images"]},
        )
    )
    disclosure = _obligations(
        CatalogSelection(vendors=("openai",), policy_versions={"openai": dt.date(2025, 2, 1)})
    )["OPENAI-AI-INTERACTION-DISCLOSURE"]
    reason = profile.not_applicable_reason(disclosure)  # type: ignore[arg-type]
    assert reason is not None and "feature 'chatbot' not listed" in reason
    age = _obligations(CatalogSelection(vendors=("openai",)))["OPENAI-MIN-AGE"]
    assert profile.not_applicable_reason(age) is None  # type: ignore[arg-type]


def test_profile_rejects_unknown_features(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.yaml", {"features": ["telepathy"]})
    with pytest.raises(CatalogError, match="unknown feature 'telepathy'"):
        load_profile(path)


def test_scaffold_is_a_valid_catalog_and_is_never_overwritten(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "mine.yaml"
    result = runner.invoke(cli, ["catalog", "new", str(target)])
    assert result.exit_code == 0, result.output
    catalog = load_catalog(target)
    assert catalog.obligations[0].id == "EXAMPLE-HUMAN-CONTACT"
    again = runner.invoke(cli, ["catalog", "new", str(target)])
    assert again.exit_code == ExitCode.USAGE
    assert "already exists" in again.output


def test_published_schema_matches_the_code() -> None:
    published = BUNDLED_CATALOG_DIR / SCHEMA_FILE_NAME
    assert published.read_text(encoding="utf-8") == schema_text(), (
        "run: gapcheck catalog schema -o requirements_catalog/catalog.schema.json"
    )
    schema = json.loads(schema_text())
    assert "obligations" in schema["properties"]
    assert "path" not in schema["properties"]


def test_catalog_list_and_show() -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["catalog", "list", "--vendor", "openai"])
    assert listed.exit_code == 0
    assert "OPENAI-MIN-AGE" in listed.output and "age-and-minors" in listed.output
    shown = runner.invoke(cli, ["catalog", "show", "openai-min-age"])
    assert shown.exit_code == 0
    data = yaml.safe_load(shown.output)
    assert data["citation"]["url"].startswith("https://openai.com/")
    assert data["minimum_age"] == 13
    missing = runner.invoke(cli, ["catalog", "show", "NOPE"])
    assert missing.exit_code == ExitCode.USAGE
    catalogs = resolve_catalogs(BUNDLED_CATALOG_DIR, CatalogSelection(vendors=("openai",)))
    assert "requirement:" in show_obligation(catalogs, "OPENAI-MIN-AGE")
