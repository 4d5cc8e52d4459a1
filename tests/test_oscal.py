"""OSCAL export and import: schema-valid, lossless, reproducible, with one-line errors."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from oscal_schema import schema_errors

from gapcheck.catalog import Catalog, Obligation, Source, load_catalog
from gapcheck.catalog_commands import import_oscal
from gapcheck.cli import cli
from gapcheck.errors import CatalogError, ExitCode
from gapcheck.oscal import (
    GAPCHECK_NS,
    OSCAL_VERSION,
    catalog_to_oscal,
    content_date,
    oscal_json,
    oscal_to_catalogs,
)
from gapcheck.settings import BUNDLED_CATALOG_DIR

OPENAI = BUNDLED_CATALOG_DIR / "openai.yaml"
STAMP = dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc)


def _obligation(ident: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ident,
        "title": f"Title of {ident}",
        "requirement": f"The terms must do what {ident} asks.",
        "category": "disclosure",
        "severity": "high",
        "severity_reason": "Regulators look at this first.",
        "source": {"id": "house-policy", "section": "2. Oversight"},
        "examples": ["First clause.", "Second clause.", "Third clause."],
        "counterexamples": ["A clause that looks close."],
        "remediation": {"actions": ["Add a clause."], "model_clause": "You may [x]."},
    }
    data.update(fields)
    return data


def full_catalog() -> Catalog:
    """A catalog that sets every field of the schema to a non-default value somewhere."""
    return Catalog.model_validate(
        {
            "id": "house",
            "vendor": "Example LLP",
            "title": 'Example LLP house requirements: ünïcode, quotes " and {braces}',
            "policy_versions": ["2025-01-01", "2026-01-01"],
            "sources": [
                {
                    "id": "house-policy",
                    "title": "Example LLP AI checklist",
                    "url": "https://example.com/ai-checklist?v=2#part-2",
                    "effective": "2025-01-01",
                    "excerpt_only": True,
                },
                {
                    "id": "binder",
                    "title": "Partner binder",
                    "url": "Partner binder, shelf 3 (not a URL)",
                    "effective": "2024-06-30",
                },
            ],
            "obligations": [
                _obligation(
                    "HOUSE-HUMAN-CONTACT",
                    canonical="C-99",
                    in_force={"since": "2025-01-01", "until": "2026-01-01"},
                    minimum_age=16,
                    contradictions=["Our assistant is the only support channel."],
                    elements=[
                        {"name": "a human is reachable", "cues": ["human", "person"]},
                        {"name": "how to reach", "cues": ["email", "contact form"]},
                    ],
                    conflict_cues=[
                        {
                            "name": "bot-only support",
                            "cues": ["only support channel"],
                            "unless": ["human agent"],
                        }
                    ],
                    applies_when=["consumer-facing", "chatbot"],
                    regulatory=[
                        {"law": "GDPR art. 22(3)", "jurisdictions": ["EU", "GB"]},
                        {"law": "Cal. B&P 17941", "jurisdictions": ["US-CA"]},
                    ],
                    requirement="Line one of the requirement.\nLine two, *not* markdown.",
                ),
                _obligation(
                    "2-digit-first",
                    severity="low",
                    category="privacy",
                    in_force={"since": "2026-01-01"},
                    source={"id": "binder", "section": "Tab 4"},
                ),
            ],
        }
    )


def second_catalog() -> Catalog:
    return Catalog.model_validate(
        {
            "id": "other",
            "vendor": "Other Vendor",
            "title": "Other vendor rules",
            "sources": [
                {
                    "id": "house-policy",
                    "title": "Same source id, other catalog",
                    "url": "https://other.example/policy",
                    "effective": "2025-05-05",
                }
            ],
            "obligations": [_obligation("OTHER-RULE", severity="critical")],
        }
    )


def dumped(catalogs: list[Catalog]) -> list[dict[str, Any]]:
    return [c.model_dump() for c in catalogs]


def export(catalogs: list[Catalog]) -> dict[str, Any]:
    """Export, then parse the JSON text (what a reader of the file would get)."""
    return dict(json.loads(oscal_json(catalog_to_oscal(catalogs, STAMP))))


def trestle_validate(document: dict[str, Any]) -> None:
    """Parse with compliance-trestle's OSCAL 1.1.x pydantic model (a second validator)."""
    trestle_catalog = pytest.importorskip("trestle.oscal.catalog")
    trestle_catalog.Catalog.parse_obj(document["catalog"])


# ---------------------------------------------------------------- schema and round trip


def test_bundled_openai_export_is_valid_oscal_and_round_trips() -> None:
    original = load_catalog(OPENAI)
    document = export([original])
    assert schema_errors(document) == []
    trestle_validate(document)
    metadata = document["catalog"]["metadata"]
    assert metadata["oscal-version"] == OSCAL_VERSION == "1.1.2"
    assert metadata["last-modified"] == "2026-02-03T04:05:06Z"
    (group,) = document["catalog"]["groups"]
    assert len(group["controls"]) == len(original.obligations)
    assert dumped(oscal_to_catalogs(document, "openai.json")) == dumped([original])


def test_every_field_survives_the_round_trip_and_the_schema() -> None:
    catalogs = [full_catalog(), second_catalog()]
    document = export(catalogs)
    assert schema_errors(document) == []
    trestle_validate(document)
    assert dumped(oscal_to_catalogs(document, "full.json")) == dumped(catalogs)


def test_the_round_trip_catalog_exercises_every_schema_field() -> None:
    """A field added to the schema must be added to full_catalog (and to the mapping)."""
    catalog = full_catalog()
    for model, instances in (
        (Obligation, catalog.obligations),
        (Source, catalog.sources),
    ):
        for name, info in model.model_fields.items():
            default = info.get_default(call_default_factory=True)
            assert any(getattr(item, name) != default for item in instances), (
                f"{model.__name__}.{name} is not exercised by the round-trip test"
            )
    unexercised = {"overrides", "disable", "path", "selected_version"}
    for name, info in Catalog.model_fields.items():
        if name not in unexercised:
            assert getattr(catalog, name) != info.get_default(call_default_factory=True), name


def test_control_mapping() -> None:
    document = export([full_catalog()])
    group = document["catalog"]["groups"][0]
    control, digit = group["controls"]
    assert control["id"] == "house-human-contact" and digit["id"] == "_2-digit-first"
    props = {(p["name"], p.get("ns")): p["value"] for p in control["props"]}
    assert props[("label", None)] == "HOUSE-HUMAN-CONTACT"
    assert props[("severity", GAPCHECK_NS)] == "high"
    assert props[("category", GAPCHECK_NS)] == "disclosure"
    assert props[("vendor", GAPCHECK_NS)] == "Example LLP"
    assert props[("in-force-until", GAPCHECK_NS)] == "2026-01-01"
    assert [p["value"] for p in control["props"] if p["name"] == "jurisdiction"] == [
        "EU",
        "GB",
        "US-CA",
    ]
    assert control["params"][0]["values"] == ["16"]
    names = [part["name"] for part in control["parts"]]
    assert names[:3] == ["statement", "guidance", "remediation"]
    assert names.count("element") == 2 and names.count("regulation") == 2
    (link,) = control["links"]
    assert link["rel"] == "reference" and link["text"] == "2. Oversight"
    resources = {r["uuid"]: r for r in document["catalog"]["back-matter"]["resources"]}
    cited = resources[link["href"].removeprefix("#")]
    assert cited["rlinks"] == [{"href": "https://example.com/ai-checklist?v=2#part-2"}]
    binder = next(r for r in resources.values() if r["title"] == "Partner binder")
    assert binder["citation"] == {"text": "Partner binder, shelf 3 (not a URL)"}


def test_import_writes_yaml_that_validates(tmp_path: Path) -> None:
    source = tmp_path / "full.json"
    source.write_text(oscal_json(catalog_to_oscal([full_catalog()], STAMP)), encoding="utf-8")
    out = tmp_path / "house.yaml"
    assert import_oscal(source, out) == [f"wrote {out} (2 obligations)"]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported by 'gapcheck catalog import' from the OSCAL catalog")
    assert "ünïcode" in text and "excerpt_only: true" in text and "path:" not in text
    assert max(len(line) for line in text.splitlines()) <= 120
    assert load_catalog(out).model_dump() == full_catalog().model_dump()


def test_export_is_reproducible_and_uuid_follows_content() -> None:
    first = oscal_json(catalog_to_oscal([full_catalog()], STAMP))
    assert oscal_json(catalog_to_oscal([full_catalog()], STAMP)) == first
    later = catalog_to_oscal([full_catalog()], STAMP + dt.timedelta(days=1))
    assert later["catalog"]["uuid"] == json.loads(first)["catalog"]["uuid"]
    changed = full_catalog().model_copy(update={"title": "A new title"})
    assert (
        catalog_to_oscal([changed], STAMP)["catalog"]["uuid"]
        != json.loads(first)["catalog"]["uuid"]
    )
    assert content_date([full_catalog()]) == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def test_export_refuses_what_oscal_cannot_hold() -> None:
    twins = second_catalog().model_copy(
        update={
            "obligations": [
                Obligation.model_validate(_obligation("Rule-A")),
                Obligation.model_validate(_obligation("RULE-A")),
            ]
        }
    )
    with pytest.raises(CatalogError, match="differ only in case"):
        catalog_to_oscal([twins], STAMP)
    two_lines = second_catalog().model_copy(update={"vendor": "Other\nVendor"})
    with pytest.raises(CatalogError, match="one line"):
        catalog_to_oscal([two_lines], STAMP)
    with pytest.raises(CatalogError, match="more than one"):
        catalog_to_oscal([second_catalog(), second_catalog()], STAMP)


def test_schema_helper_really_checks_patterns_and_formats() -> None:
    """The \\p{L} token pattern and the formats are enforced, not skipped."""
    document = export([second_catalog()])
    broken = copy.deepcopy(document)
    control = broken["catalog"]["groups"][0]["controls"][0]
    control["id"] = "1-starts-with-digit"
    control["props"][0]["value"] = "two\nlines"
    broken["catalog"]["metadata"]["last-modified"] = "yesterday"
    errors = "\n".join(schema_errors(broken))
    assert "1-starts-with-digit" in errors and "two\\nlines" in errors
    assert "'yesterday' is not a 'date-time'" in errors
    accented = copy.deepcopy(document)
    accented["catalog"]["groups"][0]["controls"][0]["id"] = "règle-1"
    assert schema_errors(accented) == []


# ---------------------------------------------------------------- import of other OSCAL


NIST_STYLE: dict[str, Any] = {
    "catalog": {
        "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
        "metadata": {
            "title": "NIST SP 800-53 excerpt",
            "last-modified": "2023-12-04T14:41:00Z",
            "version": "5.1.1",
            "oscal-version": "1.1.2",
        },
        "groups": [
            {
                "id": "ac",
                "class": "family",
                "title": "Access Control",
                "controls": [
                    {
                        "id": "ac-1",
                        "title": "Policy and Procedures",
                        "props": [{"name": "label", "value": "AC-1"}],
                        "parts": [
                            {
                                "id": "ac-1_smt",
                                "name": "statement",
                                "parts": [
                                    {
                                        "name": "item",
                                        "props": [{"name": "label", "value": "a."}],
                                        "prose": "Develop a policy.",
                                    }
                                ],
                            },
                            {"id": "ac-1_gdn", "name": "guidance", "prose": "Discussion."},
                        ],
                    }
                ],
            }
        ],
    }
}


def _ours(name: str, texts: list[str]) -> list[dict[str, Any]]:
    return [{"name": name, "ns": GAPCHECK_NS, "prose": text} for text in texts]


def test_generic_catalog_with_examples_imports_with_documented_defaults() -> None:
    document = copy.deepcopy(NIST_STYLE)
    control = document["catalog"]["groups"][0]["controls"][0]
    control["parts"] += [
        *_ours("example", ["a", "b", "c"]),
        *_ours("counterexample", ["d"]),
        *_ours("action", ["Write the policy."]),
        *_ours("model-clause", ["We keep a policy."]),
    ]
    control["controls"] = [copy.deepcopy(control) | {"id": "ac-1.1", "props": []}]
    (catalog,) = oscal_to_catalogs(document, "nist.json")
    assert (catalog.id, catalog.vendor) == ("nist-sp-800-53-excerpt", "NIST SP 800-53 excerpt")
    first, enhancement = catalog.obligations
    assert (first.id, enhancement.id) == ("AC-1", "ac-1.1")
    assert first.requirement == "a. Develop a policy."
    assert (first.severity.value, first.category) == ("medium", "contract")
    assert "default" in first.severity_reason
    assert first.source.id == "oscal-catalog" and first.source.section == "AC-1"
    assert catalog.sources[0].effective == dt.date(2023, 12, 4)


def test_generic_catalog_without_examples_is_a_clear_error() -> None:
    with pytest.raises(CatalogError) as caught:
        oscal_to_catalogs(NIST_STYLE, "nist.json")
    message = str(caught.value)
    assert message.startswith("nist.json: control AC-1: missing examples (need 3, found 0)")
    assert "counterexamples" in message and "model clause" in message
    assert "\n" not in message


def _broken(change: str) -> dict[str, Any]:
    document = export([second_catalog()])
    control = document["catalog"]["groups"][0]["controls"][0]
    if change == "no-statement":
        control["parts"] = control["parts"][1:]
    elif change == "severity":
        control["props"][1]["value"] = "severe"
    elif change == "category":
        control["props"][2]["value"] = "nonsense"
    elif change == "dangling-link":
        control["links"][0]["href"] = "#00000000-0000-4000-8000-000000000000"
    elif change == "mapping":
        document["catalog"]["metadata"]["props"][0]["value"] = "99"
    elif change == "parts-not-list":
        control["parts"] = {"name": "statement"}
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no-statement", "control other-rule: no statement part"),
        ("severity", "unknown severity 'severe' (allowed: critical, high, medium, low)"),
        ("category", "obligation OTHER-RULE: field category: unknown category 'nonsense'"),
        ("dangling-link", "names no back-matter resource"),
        ("mapping", "mapping 99"),
        ("parts-not-list", "'parts' must be a JSON array, found an object"),
    ],
)
def test_malformed_gapcheck_documents_give_one_line_errors(change: str, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        oscal_to_catalogs(_broken(change), "in.json")
    assert str(caught.value).startswith("in.json: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "not an OSCAL catalog (the JSON is an array)"),
        ({"profile": {}}, "not an OSCAL catalog (an OSCAL profile)"),
        ({"catalog": {"uuid": "x"}}, "catalog.metadata: expected a JSON object, found nothing"),
        ({"catalog": {"metadata": {"title": "Empty"}}}, "catalog: contains no controls"),
    ],
)
def test_documents_that_are_not_catalogs(data: Any, message: str) -> None:
    with pytest.raises(CatalogError, match=r"^in\.json: ") as caught:
        oscal_to_catalogs(data, "in.json")
    assert message in str(caught.value)


# ---------------------------------------------------------------- command line


def test_cli_export_import_validate(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "openai.json"
    exported = runner.invoke(cli, ["catalog", "export", "--oscal", str(out), "--vendor", "openai"])
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.startswith(f"wrote {out} (OSCAL catalog: ")
    again = tmp_path / "again.json"
    runner.invoke(cli, ["catalog", "export", "--oscal", str(again), "--vendor", "openai"])
    assert out.read_bytes() == again.read_bytes()
    assert schema_errors(json.loads(out.read_text(encoding="utf-8"))) == []

    folder = tmp_path / "imported"
    imported = runner.invoke(cli, ["catalog", "import", str(out), "-o", str(folder)])
    assert imported.exit_code == 0, imported.output
    written = folder / "openai.yaml"
    count = len(load_catalog(OPENAI).obligations)
    assert imported.stdout == f"wrote {written} ({count} obligations)\n"
    assert load_catalog(written).model_dump() == load_catalog(OPENAI).model_dump()
    validated = runner.invoke(cli, ["catalog", "validate", str(written)])
    assert validated.exit_code == 0 and "ok" in validated.stdout

    refused = runner.invoke(cli, ["catalog", "import", str(out), "-o", str(folder)])
    assert refused.exit_code == ExitCode.USAGE and "--force" in refused.stderr
    forced = runner.invoke(cli, ["catalog", "import", str(out), "-o", str(folder), "--force"])
    assert forced.exit_code == 0


def test_cli_export_to_stdout_with_timestamp_and_user_catalog(tmp_path: Path) -> None:
    user = tmp_path / "house.yaml"
    user.write_text(
        yaml.safe_dump(full_catalog().model_dump(mode="json", exclude_defaults=True)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "catalog",
            "export",
            "--oscal",
            "-",
            "--no-bundled",
            "--catalog",
            str(user),
            "--last-modified",
            "2026-03-01T12:00:00+01:00",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["catalog"]["metadata"]["last-modified"] == "2026-03-01T12:00:00+01:00"
    assert dumped(oscal_to_catalogs(document)) == dumped([full_catalog()])


def test_cli_export_at_a_policy_version_is_a_snapshot(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            *("catalog", "export", "--oscal", "-", "--vendor", "openai"),
            *("--policy-version", "openai=2025-02-01"),
        ],
    )
    assert result.exit_code == 0, result.output
    (catalog,) = oscal_to_catalogs(json.loads(result.stdout))
    original = load_catalog(OPENAI)
    at_version = [o.id for o in original.obligations if o.in_force_at(dt.date(2025, 1, 29))]
    assert catalog.policy_versions == [dt.date(2025, 1, 29)]
    assert [o.id for o in catalog.obligations] == at_version
    assert all(o.in_force is None for o in catalog.obligations)


def test_cli_export_applies_overrides_and_disable(tmp_path: Path) -> None:
    edits = tmp_path / "edits.yaml"
    edits.write_text(
        "id: edits\nvendor: Us\ntitle: Our edits\n"
        "overrides:\n  - {id: OPENAI-MIN-AGE, severity: low}\n"
        "disable: [OPENAI-USAGE-POLICY-PASSTHROUGH]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["catalog", "export", "--oscal", "-", "--vendor", "openai", "--catalog", str(edits)],
    )
    assert result.exit_code == 0, result.output
    (catalog,) = oscal_to_catalogs(json.loads(result.stdout))
    by_id = {o.id: o for o in catalog.obligations}
    assert by_id["OPENAI-MIN-AGE"].severity.value == "low"
    assert "OPENAI-USAGE-POLICY-PASSTHROUGH" not in by_id
    assert catalog.overrides == [] and catalog.disable == []


def test_cli_import_needs_a_folder_for_several_catalogs(tmp_path: Path) -> None:
    source = tmp_path / "two.json"
    source.write_text(
        oscal_json(catalog_to_oscal([full_catalog(), second_catalog()], STAMP)), encoding="utf-8"
    )
    runner = CliRunner()
    one_file = runner.invoke(
        cli, ["catalog", "import", str(source), "-o", str(tmp_path / "x.yaml")]
    )
    assert one_file.exit_code == ExitCode.USAGE and "give a folder" in one_file.stderr
    folder = runner.invoke(cli, ["catalog", "import", str(source), "-o", str(tmp_path / "out")])
    assert folder.exit_code == 0, folder.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["house.yaml", "other.yaml"]


@pytest.mark.parametrize(
    ("content", "arguments", "code", "message"),
    [
        ("{not json", ["catalog", "import", "{file}", "-o", "{tmp}/o.yaml"], 4, "not JSON"),
        ('{"profile": {}}', ["catalog", "import", "{file}", "-o", "{tmp}/o"], 4, "profile"),
        (None, ["catalog", "import", "{file}", "-o", "{tmp}/o"], 4, "OSCAL file not found"),
        (
            None,
            [
                *("catalog", "export", "--oscal", "{tmp}/o.json", "--vendor", "openai"),
                *("--last-modified", "2026-01-01T10:00:00"),
            ],
            2,
            "add a timezone",
        ),
    ],
)
def test_cli_errors_are_one_line_with_exit_codes(
    content: str | None, arguments: list[str], code: int, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    argv = [a.format(file=path, tmp=tmp_path) for a in arguments]
    result = subprocess.run(
        [sys.executable, "-m", "gapcheck", *argv], capture_output=True, text=True, check=False
    )
    assert result.returncode == code, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("gapcheck: error:"), result.stderr
    assert message in lines[0] and "Traceback" not in result.stderr
    if argv[1] == "import":
        assert str(path) in lines[0]
