"""What the ``gapcheck catalog`` commands do: list, show, validate, scaffold, schema, OSCAL.

Plain functions that return text, so the click layer only parses options and prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from gapcheck.catalog import (
    CATEGORIES,
    CONDITIONS,
    Catalog,
    Obligation,
    catalog_files,
    load_catalog,
    parse_catalog,
)
from gapcheck.catalog_selection import CatalogSelection, bundled_vendors, resolve_catalogs
from gapcheck.errors import CatalogError, OutputError, UsageError
from gapcheck.oscal import catalog_to_oscal, content_date, oscal_json, read_oscal
from gapcheck.outputs import check_output_path, write_atomically
from gapcheck.safe_yaml import load_untrusted_yaml
from gapcheck.settings import BUNDLED_CATALOG_DIR

SCHEMA_FILE_NAME = "catalog.schema.json"
"""The JSON Schema published next to the bundled catalogs for editor completion."""


def obligation_table(catalogs: Sequence[Catalog]) -> str:
    """One line per obligation: id, vendor, category, severity, title (aligned columns)."""
    rows = [("ID", "VENDOR", "CATEGORY", "SEVERITY", "TITLE")]
    rows += [
        (o.id, catalog.vendor, o.category, o.severity.value, o.title)
        for catalog in catalogs
        for o in catalog.obligations
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        for row in rows
    ]
    total = sum(len(c.obligations) for c in catalogs)
    lines.append(f"{total} obligations in {len(catalogs)} catalogs")
    return "\n".join(lines) + "\n"


def show_obligation(catalogs: Sequence[Catalog], ident: str) -> str:
    """Everything about one obligation, as readable YAML with its citation resolved."""
    for catalog in catalogs:
        for obligation in catalog.obligations:
            if obligation.id.lower() == ident.strip().lower():
                return _describe(catalog, obligation)
    known = [o.id for c in catalogs for o in c.obligations]
    close = [k for k in known if ident.strip().upper() in k][:5]
    hint = f" (did you mean: {', '.join(close)})" if close else ""
    raise UsageError(f"catalog show {ident}: no obligation with that id{hint}")


def _describe(catalog: Catalog, obligation: Obligation) -> str:
    source = catalog.source(obligation.source.id)
    data: dict[str, Any] = obligation.model_dump(mode="json", exclude_none=True)
    data["vendor"] = catalog.vendor
    data["catalog"] = str(catalog.path) if catalog.path else catalog.id
    data["citation"] = {
        "document": source.title,
        "section": obligation.source.section,
        "effective": source.effective.isoformat(),
        "url": source.url,
        "excerpt_only": source.excerpt_only,
    }
    data.pop("source", None)
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=92)
    return text


def validate_paths(paths: Sequence[Path]) -> list[str]:
    """Validate catalog files or folders; one 'ok' line per file, or a CatalogError.

    A file that overrides or disables obligations is also checked against the bundled
    catalogs, so an override naming an id that does not exist is caught here.
    """
    targets = list(paths) or [
        BUNDLED_CATALOG_DIR / f"{v}.yaml" for v in bundled_vendors(BUNDLED_CATALOG_DIR)
    ]
    lines = []
    for target in targets:
        for path in catalog_files(target):
            loaded = load_catalog(path)
            if loaded.overrides or loaded.disable:
                resolve_catalogs(BUNDLED_CATALOG_DIR, CatalogSelection(paths=(path,)))
            parts = [f"{len(loaded.obligations)} obligations"]
            if loaded.overrides:
                parts.append(f"{len(loaded.overrides)} overrides")
            if loaded.disable:
                parts.append(f"{len(loaded.disable)} disabled")
            lines.append(f"{path}: ok ({', '.join(parts)})")
    return lines


def catalog_json_schema() -> dict[str, Any]:
    """The JSON Schema of a catalog file (editors use it for completion and checks)."""
    schema: dict[str, Any] = Catalog.model_json_schema(mode="validation")
    properties = schema.get("properties", {})
    for internal in ("path", "selected_version"):
        properties.pop(internal, None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://gapcheck.dev/schema/catalog.schema.json"
    schema["title"] = "gapcheck obligation catalog"
    definitions = schema.get("$defs", {})
    obligation = definitions.get("Obligation", {}).get("properties", {})
    if "category" in obligation:
        obligation["category"] = {"type": "string", "enum": list(CATEGORIES)}
    if "applies_when" in obligation:
        obligation["applies_when"] = {
            "type": "array",
            "items": {"type": "string", "enum": list(CONDITIONS)},
        }
    return schema


def schema_text() -> str:
    """The schema as the stable, pretty-printed JSON that is published in the repo."""
    return json.dumps(catalog_json_schema(), indent=2, sort_keys=True) + "\n"


SCAFFOLD = """\
# yaml-language-server: $schema=https://gapcheck.dev/schema/catalog.schema.json
# A gapcheck catalog of your own. Check it with:  gapcheck catalog validate {name}
# Use it with:  gapcheck analyze terms.docx --catalog {name} -o report.docx
#
# Everything here is your text. Write requirements in your own words and cite where the
# duty comes from. Categories: {categories}.
# applies_when conditions (switched off by a --profile): {conditions}.

id: {stem}                      # unique; letters, digits, '-', '_' or '.'
vendor: Example LLP             # who imposes these obligations (shown in reports)
title: Example LLP house requirements for AI products
policy_versions: [2026-01-01]   # effective dates of the versions this file models

sources:
  - id: house-policy
    title: Example LLP AI product checklist
    url: https://example.com/ai-checklist
    effective: 2026-01-01
    excerpt_only: false         # true when you only had excerpts of the source text

obligations:
  - id: EXAMPLE-HUMAN-CONTACT
    title: Users can reach a human
    requirement: >-
      The terms must tell users how to reach a human being about the AI features,
      for complaints and for decisions that affect them.
    category: human-oversight
    canonical: EXAMPLE-HUMAN-CONTACT   # give several vendors' versions of one duty the same key
    severity: medium                    # critical | high | medium | low
    severity_reason: >-
      Complaint handling without a human route invites regulator complaints.
    source: {{id: house-policy, section: "2. Oversight"}}
    # in_force: {{since: 2026-01-01}}   # limit to some policy_versions (until is exclusive)
    # applies_when: [consumer-facing]
    # minimum_age: 18                  # for age obligations: the age the duty requires
    examples:                           # at least 3 clauses that satisfy it, varied wording
      - You can reach a member of our team at help@example.com about anything our AI does.
      - >-
        Users may at any time request that a decision made with the assistance of the
        AI Features be reviewed by a human representative of the Company.
      - "Contact us: (a) by email; (b) to ask for a person, not the assistant, to help you."
    counterexamples:                    # at least 1 that looks close but does not satisfy it
      - Our AI assistant answers all support questions, and it is the only support channel.
    elements:                           # parts that must each be present (optional)
      - name: a human is reachable
        cues: [human, person, team, representative, member of our]
    # conflict_cues:                    # wording of a position the duty rules out (optional):
    #   - name: bot-only support        # an on-topic clause naming a cue is a conflict,
    #     cues: [only support channel]  # unless it also names one of the "unless" phrases
    #     unless: [human agent]
    regulatory:
      - {{law: "GDPR art. 22(3)", jurisdictions: [EU]}}
    remediation:
      actions:
        - Add a contact route to a human for questions and complaints about AI features.
      model_clause: >-
        You can contact a person at [Operator] about any AI feature at [contact].

# Change a bundled obligation (fields given replace the original; add_examples appends):
# overrides:
#   - id: OPENAI-MIN-AGE
#     severity: critical
#     add_examples: ["Our service is for adults aged 18 and over only."]

# Switch bundled obligations off entirely:
# disable: [OPENAI-POLITICAL-ELECTIONS]
"""


def write_scaffold(path: Path) -> str:
    """Write a commented example catalog to ``path`` (never over an existing file)."""
    if path.exists():
        raise UsageError(f"{path}: already exists; choose a new file name")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"{path}: catalog files end in .yaml")
    text = SCAFFOLD.format(
        name=path.name,
        stem=path.stem,
        categories=", ".join(CATEGORIES),
        conditions=", ".join(CONDITIONS),
    )
    write_atomically(path, text.encode("utf-8"))
    try:
        load_catalog(path)
    except CatalogError:
        path.unlink(missing_ok=True)
        raise
    return f"wrote {path}; edit it, then run: gapcheck catalog validate {path}"


def export_catalogs(selection: CatalogSelection) -> list[Catalog]:
    """The catalogs an OSCAL export holds: every policy version unless one is requested.

    ``--policy-version`` (or the profile) cuts that vendor's catalog to a snapshot of
    one version: its ``policy_versions`` become that date and ``in_force`` is dropped,
    since every obligation left is in force then. Without it the whole catalog is kept,
    ``in_force`` ranges included, so import gives back exactly what was exported.
    Overrides and disable lists are applied, then left out (OSCAL catalogs have no way
    to edit another catalog).
    """
    catalogs = resolve_catalogs(
        BUNDLED_CATALOG_DIR, dataclasses.replace(selection, all_versions=True)
    )
    result = []
    for catalog in catalogs:
        update: dict[str, Any] = {"overrides": [], "disable": []}
        version = catalog.selected_version
        if version is not None:
            update["policy_versions"] = [version]
            update["obligations"] = [
                o.model_copy(update={"in_force": None}) for o in catalog.obligations
            ]
        result.append(catalog.model_copy(update=update))
    return result


def export_oscal(
    selection: CatalogSelection, output: Path | None, last_modified: dt.datetime | None
) -> str:
    """Write the selected catalogs as one OSCAL catalog (JSON) to ``output``.

    Returns the JSON itself when ``output`` is None (stdout), else a confirmation line
    (both end with a newline).
    ``last_modified`` defaults to the newest date in the content, so that exporting the
    same catalogs twice gives byte-identical files.
    """
    catalogs = export_catalogs(selection)
    document = catalog_to_oscal(catalogs, last_modified or content_date(catalogs))
    text = oscal_json(document)
    if output is None:
        return text
    check_output_path(output, [c.path for c in catalogs if c.path is not None])
    write_atomically(output, text.encode("utf-8"))
    controls = sum(len(c.obligations) for c in catalogs)
    groups = f"{len(catalogs)} group{'s' if len(catalogs) > 1 else ''}"
    return f"wrote {output} (OSCAL catalog: {controls} controls in {groups})\n"


def parse_last_modified(text: str | None) -> dt.datetime | None:
    """``--last-modified``: an ISO 8601 timestamp with a timezone, or a date (UTC midnight)."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--last-modified {text}: not an ISO 8601 timestamp (e.g. 2026-01-01T09:00:00Z)"
        ) from None
    if len(text.strip()) == 10:
        return moment.replace(tzinfo=dt.timezone.utc)
    if moment.tzinfo is None:
        raise UsageError(f"--last-modified {text}: add a timezone, e.g. {text.strip()}Z")
    return moment


def catalog_yaml(catalog: Catalog, origin: str, file_name: str) -> str:
    """A catalog as gapcheck YAML: schema field order, defaults left out, a provenance note."""
    data = _plain(catalog.model_dump(mode="python", exclude_defaults=True))
    body: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=92)
    return (
        f"# Imported by 'gapcheck catalog import' from the OSCAL catalog {origin}.\n"
        f"# Check it with: gapcheck catalog validate {file_name}\n\n{body}"
    )


def _plain(value: Any) -> Any:
    """Enums as their values, so yaml.safe_dump can write the data (dates stay dates)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def import_oscal(source: Path, output: Path, force: bool = False) -> list[str]:
    """Convert an OSCAL catalog file into gapcheck YAML catalogs, one file per catalog.

    ``output`` is a ``.yaml``/``.yml`` file when the document holds one catalog, else a
    folder (created if its parent exists) that receives ``<catalog id>.yaml`` files.
    Nothing is written unless every file validates, and existing files are replaced
    only with ``force``.
    """
    catalogs = read_oscal(source)
    new_folder = None
    if output.suffix.lower() in (".yaml", ".yml"):
        if len(catalogs) > 1:
            ids = ", ".join(c.id for c in catalogs)
            raise UsageError(
                f"{source}: holds {len(catalogs)} catalogs ({ids}); give a folder to -o"
            )
        targets = [(output, catalogs[0])]
    else:
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: not a folder; give a folder or a .yaml file to -o")
        if not output.exists():
            if not output.parent.is_dir():
                raise OutputError(f"{output}: its parent folder {output.parent} does not exist")
            new_folder = output
        targets = [(output / f"{c.id}.yaml", c) for c in catalogs]
        names = [path.name for path, _ in targets]
        if len(set(names)) < len(names):
            raise UsageError(f"{source}: two catalogs have the same id; import them one by one")
    texts = []
    for path, catalog in targets:
        if path.exists() and not force:
            raise UsageError(f"{path}: already exists; use --force to replace it")
        text = catalog_yaml(catalog, source.name, path.name)
        parse_catalog(load_untrusted_yaml(text, path), path, text)
        texts.append((path, text))
    if new_folder is not None:
        new_folder.mkdir()
    lines = []
    for (path, text), (_, catalog) in zip(texts, targets, strict=True):
        check_output_path(path, [source])
        write_atomically(path, text.encode("utf-8"))
        lines.append(f"wrote {path} ({len(catalog.obligations)} obligations)")
    return lines
