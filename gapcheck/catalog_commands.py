"""What the ``gapcheck catalog`` commands do: list, show, validate, scaffold, schema.

Plain functions that return text, so the click layer only parses options and prints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
)
from gapcheck.catalog_selection import CatalogSelection, bundled_vendors, resolve_catalogs
from gapcheck.errors import CatalogError, UsageError
from gapcheck.outputs import write_atomically
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
