"""OSCAL 1.1 catalogs: export gapcheck obligation catalogs, and import them back.

Compliance teams keep controls in GRC tools that speak NIST's OSCAL, so a catalog must
leave gapcheck in that format and come back without loss. The mapping, chosen so every
field of our schema survives the round trip (``oscal_to_catalogs(catalog_to_oscal(c))``
equals ``c``):

* the document is one OSCAL ``catalog``; each gapcheck catalog (one vendor) is one
  top-level ``group`` (props ``catalog-id``, ``vendor``, one ``policy-version`` per
  version). Categories are props, not groups, so a control has exactly one home;
* each obligation is one ``control``: OSCAL ids are tokens and conventionally lower
  case, so the control id is the obligation id lower-cased (``_`` in front when it starts
  with a digit) and the original id is kept in the OSCAL ``label`` prop;
* control props (namespace :data:`GAPCHECK_NS`): ``severity``, ``category``, ``vendor``,
  ``canonical``, ``applies-when`` (one per condition), ``in-force-since``,
  ``in-force-until`` and ``jurisdiction`` (a summary for filtering; the ``regulation``
  parts are what import reads);
* ``minimum_age`` is a ``param`` of class ``minimum-age`` whose one value is the age;
* parts: ``statement`` (the requirement); ``guidance`` holding ``severity-reason``,
  ``examples``/``example``, ``counterexamples``/``counterexample`` and (if there are
  any) ``contradictions``/``contradiction``; ``remediation`` holding ``action`` parts
  and a ``model-clause``; one ``element`` part per element and one ``conflict-cue``
  part per conflict cue (title = name, ``cue`` sub-parts, and for a conflict cue
  ``unless`` sub-parts) and one ``regulation`` part per law (title = law, ``jurisdiction`` props).
  Free text always goes into ``prose`` or ``title``, never into a prop value, because
  OSCAL prop values must be single-line;
* sources are back-matter ``resources`` (title, ``rlinks`` href = url, props
  ``source-id``, ``catalog-id``, ``effective``, ``excerpt-only``); a url that is not a
  URI reference goes into the resource ``citation`` text instead. Each control links to
  its source with ``rel: reference``, and the link text is the cited section.

UUIDs are uuid5 values, so an export is reproducible: resources from catalog and source
ids, the document from a digest of its content (so it changes when the content does, as
OSCAL asks, but not when only the timestamp does).

Import also accepts OSCAL catalogs gapcheck did not write, as far as they carry what
matching needs. Defaults: severity ``medium`` with a reason saying it was defaulted,
category ``contract``, the obligation id from the ``label`` prop (else the control id),
the requirement from the statement prose (sub-item prose appended line by line), the
source from the control's reference link or else one source describing the OSCAL
document. Examples (at least 3), counterexamples (at least 1) and remediation (actions
and a model clause) cannot be invented: a control without them is an error that names
the control and what is missing, because placeholder examples would make gapcheck report
coverage it never measured.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gapcheck.catalog import Catalog, Obligation, Source, _describe_validation_error
from gapcheck.errors import CatalogError
from gapcheck.model import Severity

OSCAL_VERSION = "1.1.2"
"""The OSCAL release the export conforms to (validated against its catalog schema)."""

GAPCHECK_NS = "https://gapcheck.dev/ns/oscal"
"""Namespace of every prop and part name that OSCAL itself does not define."""

OSCAL_NS = "http://csrc.nist.gov/ns/oscal"
"""OSCAL's own namespace (the default when a prop or part has no ``ns``)."""

MAPPING_VERSION = "1"
"""Version of the mapping above; import refuses documents from a newer mapping."""

DEFAULT_SEVERITY = Severity.MEDIUM
DEFAULT_CATEGORY = "contract"
DEFAULT_SEVERITY_REASON = (
    "The OSCAL catalog gives no gapcheck severity; gapcheck catalog import set the default."
)
DOCUMENT_SOURCE_ID = "oscal-catalog"
"""Source id given to the OSCAL document itself when a control cites no resource."""

_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, GAPCHECK_NS)
_SINGLE_LINE = re.compile(r"^\S(.*\S)?$")
"""OSCAL's StringDatatype (prop values): no line breaks, no surrounding whitespace."""
_URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
"""Characters RFC 3986 allows in a URI reference; anything else goes into a citation."""
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_NAMESPACE, "/".join(parts)))


def control_id(obligation_id: str) -> str:
    """The OSCAL control id of an obligation: lower case, and a valid OSCAL token."""
    token = obligation_id.lower()
    return token if token[:1].isalpha() else f"_{token}"


def _timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the OSCAL last-modified timestamp needs a timezone")
    if moment.utcoffset() == dt.timedelta(0):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def content_date(catalogs: Sequence[Catalog]) -> dt.datetime:
    """A reproducible default for ``last-modified``: the newest date the content names.

    The newest policy version or source effective date, at midnight UTC. A wall-clock
    timestamp would make two exports of the same catalogs differ.
    """
    dates = [d for c in catalogs for d in c.policy_versions]
    dates += [s.effective for c in catalogs for s in c.sources]
    newest = max(dates, default=dt.date(2000, 1, 1))
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc)


# ----------------------------------------------------------------------------- export


class _Exporter:
    """Builds the OSCAL document for one set of catalogs (keeps the error context)."""

    def __init__(self, catalogs: Sequence[Catalog]) -> None:
        self.catalogs = catalogs
        self.where = ""

    def prop(self, name: str, value: str, *, ns: str | None = GAPCHECK_NS) -> dict[str, str]:
        if not _SINGLE_LINE.match(value):
            raise CatalogError(
                f"{self.where}: {name} {value!r} cannot be an OSCAL property value "
                "(it must be one line without surrounding spaces)"
            )
        prop = {"name": name}
        if ns is not None:
            prop["ns"] = ns
        prop["value"] = value
        return prop

    def document(self, generated_at: dt.datetime) -> dict[str, Any]:
        ids = [catalog.id for catalog in self.catalogs]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise CatalogError(
                f"catalog id {duplicates[0]} is used by more than one selected catalog; "
                "OSCAL groups need distinct ids"
            )
        self._check_control_ids()
        if len(self.catalogs) == 1:
            title = self.catalogs[0].title
        else:
            vendors = ", ".join(dict.fromkeys(c.vendor for c in self.catalogs))
            title = f"gapcheck obligation catalogs: {vendors}"
        version = "; ".join(
            f"{c.id} {c.newest_version.isoformat() if c.newest_version else 'unversioned'}"
            for c in self.catalogs
        )
        metadata: dict[str, Any] = {
            "title": title,
            "last-modified": _timestamp(generated_at),
            "version": version,
            "oscal-version": OSCAL_VERSION,
            "props": [self.prop("mapping-version", MAPPING_VERSION)],
        }
        body: dict[str, Any] = {
            "metadata": metadata,
            "groups": [self.group(catalog) for catalog in self.catalogs],
        }
        resources = [self.resource(c, s) for c in self.catalogs for s in c.sources]
        if resources:
            body["back-matter"] = {"resources": resources}
        digest_input = {**body, "metadata": {**metadata, "last-modified": ""}}
        digest = hashlib.sha256(
            json.dumps(digest_input, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        return {"catalog": {"uuid": _uuid("catalog", digest), **body}}

    def _check_control_ids(self) -> None:
        owner: dict[str, str] = {}
        for catalog in self.catalogs:
            for obligation in catalog.obligations:
                cid = control_id(obligation.id)
                if cid in owner:
                    raise CatalogError(
                        f"{catalog.path or catalog.id}: obligation ids {owner[cid]} and "
                        f"{obligation.id} differ only in case; OSCAL control ids are "
                        "lower case, so one of them needs a new id"
                    )
                owner[cid] = obligation.id

    def group(self, catalog: Catalog) -> dict[str, Any]:
        self.where = str(catalog.path or catalog.id)
        props = [self.prop("catalog-id", catalog.id), self.prop("vendor", catalog.vendor)]
        props += [self.prop("policy-version", v.isoformat()) for v in catalog.policy_versions]
        group: dict[str, Any] = {
            "id": control_id(catalog.id),
            "class": "vendor-catalog",
            "title": catalog.title,
            "props": props,
        }
        if catalog.obligations:
            group["controls"] = [self.control(catalog, o) for o in catalog.obligations]
        return group

    def control(self, catalog: Catalog, obligation: Obligation) -> dict[str, Any]:
        self.where = f"{catalog.path or catalog.id}: obligation {obligation.id}"
        cid = control_id(obligation.id)
        props = [
            self.prop("label", obligation.id, ns=None),
            self.prop("severity", obligation.severity.value),
            self.prop("category", obligation.category),
            self.prop("vendor", catalog.vendor),
        ]
        if obligation.canonical is not None:
            props.append(self.prop("canonical", obligation.canonical))
        props += [self.prop("applies-when", c) for c in obligation.applies_when]
        if obligation.in_force is not None:
            if obligation.in_force.since is not None:
                props.append(self.prop("in-force-since", obligation.in_force.since.isoformat()))
            if obligation.in_force.until is not None:
                props.append(self.prop("in-force-until", obligation.in_force.until.isoformat()))
        jurisdictions = [j for r in obligation.regulatory for j in r.jurisdictions]
        props += [self.prop("jurisdiction", j) for j in dict.fromkeys(jurisdictions)]
        control: dict[str, Any] = {"id": cid, "title": obligation.title}
        if obligation.minimum_age is not None:
            control["params"] = [
                {
                    "id": f"{cid}_prm_minimum-age",
                    "class": "minimum-age",
                    "label": "minimum age in years",
                    "values": [str(obligation.minimum_age)],
                }
            ]
        control["props"] = props
        control["links"] = [
            {
                "href": f"#{_uuid('source', catalog.id, obligation.source.id)}",
                "rel": "reference",
                "text": obligation.source.section,
            }
        ]
        control["parts"] = self.parts(cid, obligation)
        return control

    def parts(self, cid: str, obligation: Obligation) -> list[dict[str, Any]]:
        def texts(name: str, values: Sequence[str]) -> list[dict[str, Any]]:
            return [{"name": name, "ns": GAPCHECK_NS, "prose": value} for value in values]

        remediation = obligation.remediation
        parts: list[dict[str, Any]] = [
            {"id": f"{cid}_smt", "name": "statement", "prose": obligation.requirement},
            {
                "id": f"{cid}_gdn",
                "name": "guidance",
                "parts": [
                    {
                        "name": "severity-reason",
                        "ns": GAPCHECK_NS,
                        "title": f"Why {obligation.severity.value}",
                        "prose": obligation.severity_reason,
                    },
                    {
                        "name": "examples",
                        "ns": GAPCHECK_NS,
                        "title": "Clauses that satisfy the obligation",
                        "parts": texts("example", obligation.examples),
                    },
                    {
                        "name": "counterexamples",
                        "ns": GAPCHECK_NS,
                        "title": "Clauses that look close but do not satisfy it",
                        "parts": texts("counterexample", obligation.counterexamples),
                    },
                    *(
                        [
                            {
                                "name": "contradictions",
                                "ns": GAPCHECK_NS,
                                "title": "Clauses that contradict the obligation",
                                "parts": texts("contradiction", obligation.contradictions),
                            }
                        ]
                        if obligation.contradictions
                        else []
                    ),
                ],
            },
            {
                "id": f"{cid}_rem",
                "name": "remediation",
                "ns": GAPCHECK_NS,
                "title": "Remediation",
                "parts": [
                    *texts("action", remediation.actions),
                    *texts("model-clause", [remediation.model_clause]),
                ],
            },
        ]
        for element in obligation.elements:
            parts.append(
                {
                    "name": "element",
                    "ns": GAPCHECK_NS,
                    "title": element.name,
                    "parts": texts("cue", element.cues),
                }
            )
        for conflict in obligation.conflict_cues:
            parts.append(
                {
                    "name": "conflict-cue",
                    "ns": GAPCHECK_NS,
                    "title": conflict.name,
                    "parts": [*texts("cue", conflict.cues), *texts("unless", conflict.unless)],
                }
            )
        for regulation in obligation.regulatory:
            parts.append(
                {
                    "name": "regulation",
                    "ns": GAPCHECK_NS,
                    "title": regulation.law,
                    "props": [self.prop("jurisdiction", j) for j in regulation.jurisdictions],
                }
            )
        return parts

    def resource(self, catalog: Catalog, source: Source) -> dict[str, Any]:
        self.where = f"{catalog.path or catalog.id}: source {source.id}"
        resource: dict[str, Any] = {
            "uuid": _uuid("source", catalog.id, source.id),
            "title": source.title,
            "props": [
                self.prop("source-id", source.id),
                self.prop("catalog-id", catalog.id),
                self.prop("effective", source.effective.isoformat()),
                self.prop("excerpt-only", "true" if source.excerpt_only else "false"),
            ],
        }
        if _URI_REFERENCE.match(source.url):
            resource["rlinks"] = [{"href": source.url}]
        else:
            resource["citation"] = {"text": source.url}
        return resource


def catalog_to_oscal(catalogs: Sequence[Catalog], generated_at: dt.datetime) -> dict[str, Any]:
    """One OSCAL 1.1 catalog document holding ``catalogs`` (mapping: module docstring).

    ``generated_at`` (timezone-aware) becomes ``metadata.last-modified``; it is passed
    in rather than read from the clock so the same input always gives the same bytes.
    Overrides and disable lists are not exported: callers pass catalogs they have
    already been applied to, and OSCAL catalogs have no notion of editing another one.
    """
    if not catalogs:
        raise CatalogError("no catalogs to export")
    return _Exporter(catalogs).document(generated_at)


def oscal_json(document: dict[str, Any]) -> str:
    """The document as stable, readable JSON (2-space indent, UTF-8 text, final newline)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------- import


class _Importer:
    """Reads one OSCAL document; every problem becomes a one-line CatalogError."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.resources: dict[str, dict[str, Any]] = {}
        self.document_date = dt.date(2000, 1, 1)
        self.document_source: dict[str, Any] = {}

    def fail(self, where: str, problem: str) -> CatalogError:
        prefix = f"{self.origin}: {where}: " if where else f"{self.origin}: "
        return CatalogError(prefix + problem)

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a JSON object, found {_kind(value)}")
        return value

    def items(self, owner: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = owner.get(key, [])
        if not isinstance(value, list):
            raise self.fail(where, f"'{key}' must be a JSON array, found {_kind(value)}")
        return [self.mapping(item, f"{where}, {key}[{i}]") for i, item in enumerate(value)]

    def text(self, owner: dict[str, Any], key: str, where: str) -> str | None:
        value = owner.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"'{key}' must be a string, found {_kind(value)}")
        return value

    def props(
        self, owner: dict[str, Any], where: str, ns: str = GAPCHECK_NS
    ) -> list[tuple[str, str]]:
        """(name, value) of the props in namespace ``ns`` (OSCAL's own: no ``ns`` too)."""
        found = []
        for prop in self.items(owner, "props", where):
            name, value = prop.get("name"), prop.get("value")
            if not isinstance(name, str) or not isinstance(value, str):
                raise self.fail(where, "a prop needs a string 'name' and 'value'")
            if prop.get("ns", OSCAL_NS) == ns:
                found.append((name, value))
        return found

    def prop(
        self, owner: dict[str, Any], name: str, where: str, ns: str = GAPCHECK_NS
    ) -> str | None:
        return next((v for n, v in self.props(owner, where, ns) if n == name), None)

    def date(self, value: str, what: str, where: str, *, timestamp: bool = False) -> dt.date:
        """A YYYY-MM-DD prop value (``timestamp``: the date part of an OSCAL date-time)."""
        try:
            return dt.date.fromisoformat(value[:10] if timestamp else value)
        except ValueError:
            raise self.fail(where, f"{what} '{value}' is not a YYYY-MM-DD date") from None

    def parts(self, owner: dict[str, Any], where: str) -> Iterator[dict[str, Any]]:
        """Every part below ``owner``, depth first."""
        for part in self.items(owner, "parts", where):
            yield part
            yield from self.parts(part, where)

    def ours(self, owner: dict[str, Any], name: str, where: str) -> list[dict[str, Any]]:
        """The parts below ``owner`` with this gapcheck part name."""
        return [
            p
            for p in self.parts(owner, where)
            if p.get("name") == name and p.get("ns") == GAPCHECK_NS
        ]

    def prose(self, part: dict[str, Any], where: str) -> str:
        """A part's prose, with its sub-items' prose (and labels) on following lines."""
        lines = []
        own = self.text(part, "prose", where)
        if own and own.strip():
            lines.append(own.strip())
        for child in self.items(part, "parts", where):
            text = self.prose(child, where)
            if text:
                label = self.prop(child, "label", where, ns=OSCAL_NS)
                lines.append(f"{label} {text}" if label else text)
        return "\n".join(lines)

    # -- document -------------------------------------------------------------------

    def document(self, data: Any) -> list[Catalog]:
        if not isinstance(data, dict):
            raise self.fail("", f"not an OSCAL catalog (the JSON is {_kind(data)})")
        if "catalog" not in data:
            other = next((k for k in data if k in _OTHER_MODELS), None)
            kind = f"an OSCAL {other}" if other else "no top-level 'catalog' object"
            raise self.fail("", f"not an OSCAL catalog ({kind})")
        catalog = self.mapping(data["catalog"], "catalog")
        metadata = self.mapping(catalog.get("metadata"), "catalog.metadata")
        title = self.text(metadata, "title", "catalog.metadata")
        if not title or not title.strip():
            raise self.fail("catalog.metadata", "no title")
        mapping = self.prop(metadata, "mapping-version", "catalog.metadata")
        if mapping is not None and mapping != MAPPING_VERSION:
            raise self.fail(
                "catalog.metadata",
                f"written with gapcheck OSCAL mapping {mapping}; this gapcheck reads "
                f"mapping {MAPPING_VERSION} (upgrade gapcheck)",
            )
        self.resources = {
            str(r.get("uuid")): r
            for r in self.items(
                self.mapping(catalog.get("back-matter", {}), "catalog.back-matter"),
                "resources",
                "catalog.back-matter",
            )
        }
        self.document_date = self.date(
            self.text(metadata, "published", "catalog.metadata")
            or self.text(metadata, "last-modified", "catalog.metadata")
            or "2000-01-01",
            "metadata date",
            "catalog.metadata",
            timestamp=True,
        )
        self.document_source = {
            "id": DOCUMENT_SOURCE_ID,
            "title": title.strip(),
            "url": f"urn:uuid:{catalog.get('uuid')}",
            "effective": self.document_date,
        }
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        loose = [(c, "catalog") for c in self.items(catalog, "controls", "catalog")]
        for index, group in enumerate(self.items(catalog, "groups", "catalog")):
            where = f"group {group.get('id') or index + 1}"
            if self.prop(group, "catalog-id", where) is not None:
                ours.append(group)
            else:
                theirs.append(group)
                loose += list(self.controls_in(group, where))
        results = [self.gapcheck_catalog(group) for group in ours]
        if loose:
            results.append(self.generic_catalog(title.strip(), loose))
        if not results:
            raise self.fail("catalog", "contains no controls")
        self.check_complete(results)
        return [self.validate(entry) for entry in results]

    def controls_in(
        self, owner: dict[str, Any], where: str
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """Every control in a group, nested groups and control enhancements included."""
        for control in self.items(owner, "controls", where):
            yield control, where
            yield from self.controls_in(control, f"{where}, control {control.get('id')}")
        for group in self.items(owner, "groups", where):
            yield from self.controls_in(group, f"{where}, group {group.get('id')}")

    def gapcheck_catalog(self, group: dict[str, Any]) -> dict[str, Any]:
        where = f"group {group.get('id')}"
        catalog_id = self.prop(group, "catalog-id", where) or ""
        vendor = self.prop(group, "vendor", where)
        title = self.text(group, "title", where)
        versions = [
            self.date(v, "policy-version", where)
            for n, v in self.props(group, where)
            if n == "policy-version"
        ]
        sources = [
            self.source(r, str(u))
            for u, r in self.resources.items()
            if self.prop(r, "catalog-id", f"resource {u}") == catalog_id
        ]
        entry: dict[str, Any] = {
            "id": catalog_id,
            "vendor": vendor,
            "title": title,
            "policy_versions": versions,
            "sources": sources,
        }
        return self.with_obligations(entry, list(self.controls_in(group, where)))

    def generic_catalog(
        self, title: str, controls: list[tuple[dict[str, Any], str]]
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": _slug(title),
            "vendor": title,
            "title": title,
            "policy_versions": [],
            "sources": [],
        }
        return self.with_obligations(entry, controls)

    def with_obligations(
        self, entry: dict[str, Any], controls: list[tuple[dict[str, Any], str]]
    ) -> dict[str, Any]:
        entry["obligations"] = [
            self.obligation(control, f"{where}, control {control.get('id')}", entry)
            for control, where in controls
        ]
        return entry

    def source(self, resource: dict[str, Any], ident: str) -> dict[str, Any]:
        where = f"resource {ident}"
        rlinks = self.items(resource, "rlinks", where)
        href = self.text(rlinks[0], "href", where) if rlinks else None
        citation = resource.get("citation")
        cited = self.text(self.mapping(citation, where), "text", where) if citation else None
        effective = self.prop(resource, "effective", where)
        excerpt_only = self.prop(resource, "excerpt-only", where)
        if excerpt_only not in (None, "true", "false"):
            raise self.fail(where, f"excerpt-only '{excerpt_only}' must be true or false")
        return {
            "id": self.prop(resource, "source-id", where) or ident,
            "title": self.text(resource, "title", where) or f"OSCAL resource {ident}",
            "url": href or cited or f"urn:uuid:{ident}",
            "effective": (
                self.date(effective, "effective", where) if effective else self.document_date
            ),
            "excerpt_only": excerpt_only == "true",
        }

    def obligation(
        self, control: dict[str, Any], where: str, entry: dict[str, Any]
    ) -> dict[str, Any]:
        cid = self.text(control, "id", where)
        if not cid:
            raise self.fail(where, "a control has no id")
        label = self.prop(control, "label", where, ns=OSCAL_NS)
        statements = [
            p for p in self.items(control, "parts", where) if p.get("name") == "statement"
        ]
        if not statements:
            raise self.fail(where, "no statement part (the obligation's requirement)")
        requirement = self.prose(statements[0], where)
        severity = self.prop(control, "severity", where)
        allowed = [s.value for s in Severity]
        if severity is not None and severity not in allowed:
            raise self.fail(where, f"unknown severity '{severity}' (allowed: {', '.join(allowed)})")
        reasons = self.ours(control, "severity-reason", where)
        obligation: dict[str, Any] = {
            "id": label if label and _IDENTIFIER.match(label) else cid,
            "title": self.text(control, "title", where),
            "requirement": requirement,
            "category": self.prop(control, "category", where) or DEFAULT_CATEGORY,
            "severity": severity or DEFAULT_SEVERITY.value,
            "severity_reason": (
                self.text(reasons[0], "prose", where) if reasons else DEFAULT_SEVERITY_REASON
            ),
        }
        canonical = self.prop(control, "canonical", where)
        if canonical is not None:
            obligation["canonical"] = canonical
        obligation["source"] = self.citation(control, where, entry, label or cid)
        since = self.prop(control, "in-force-since", where)
        until = self.prop(control, "in-force-until", where)
        if since is not None or until is not None:
            obligation["in_force"] = {
                "since": self.date(since, "in-force-since", where) if since else None,
                "until": self.date(until, "in-force-until", where) if until else None,
            }
        age = self.minimum_age(control, where)
        if age is not None:
            obligation["minimum_age"] = age
        obligation["examples"] = self.prose_of(control, "example", where)
        obligation["counterexamples"] = self.prose_of(control, "counterexample", where)
        obligation["contradictions"] = self.prose_of(control, "contradiction", where)
        obligation["elements"] = [
            {
                "name": self.text(part, "title", where),
                "cues": self.prose_of(part, "cue", where),
            }
            for part in self.ours(control, "element", where)
        ]
        obligation["conflict_cues"] = [
            {
                "name": self.text(part, "title", where),
                "cues": self.prose_of(part, "cue", where),
                "unless": self.prose_of(part, "unless", where),
            }
            for part in self.ours(control, "conflict-cue", where)
        ]
        obligation["applies_when"] = [
            v for n, v in self.props(control, where) if n == "applies-when"
        ]
        obligation["regulatory"] = [
            {
                "law": self.text(part, "title", where),
                "jurisdictions": [v for n, v in self.props(part, where) if n == "jurisdiction"],
            }
            for part in self.ours(control, "regulation", where)
        ]
        clauses = self.prose_of(control, "model-clause", where)
        obligation["remediation"] = {
            "actions": self.prose_of(control, "action", where),
            "model_clause": clauses[0] if clauses else None,
        }
        return obligation

    def prose_of(self, owner: dict[str, Any], name: str, where: str) -> list[str]:
        return [self.text(p, "prose", where) or "" for p in self.ours(owner, name, where)]

    def citation(
        self, control: dict[str, Any], where: str, entry: dict[str, Any], fallback_section: str
    ) -> dict[str, str]:
        """The control's first reference link as a source citation (else the document)."""
        for link in self.items(control, "links", where):
            href = self.text(link, "href", where) or ""
            if link.get("rel") != "reference" or not href.startswith("#"):
                continue
            target = href[1:]
            resource = self.resources.get(target)
            if resource is None:
                raise self.fail(where, f"link {href} names no back-matter resource")
            source = self.source(resource, target)
            if not any(s["id"] == source["id"] for s in entry["sources"]):
                entry["sources"].append(source)
            return {
                "id": source["id"],
                "section": self.text(link, "text", where) or fallback_section,
            }
        if not any(s["id"] == DOCUMENT_SOURCE_ID for s in entry["sources"]):
            entry["sources"].append(dict(self.document_source))
        return {"id": DOCUMENT_SOURCE_ID, "section": fallback_section}

    def minimum_age(self, control: dict[str, Any], where: str) -> int | None:
        for param in self.items(control, "params", where):
            if param.get("class") != "minimum-age":
                continue
            values = param.get("values")
            if not isinstance(values, list) or not values or not str(values[0]).isdigit():
                raise self.fail(where, "the minimum-age param needs a whole number value")
            return int(values[0])
        return None

    def check_complete(self, catalogs: list[dict[str, Any]]) -> None:
        """Refuse controls without the matching data gapcheck cannot make up."""
        incomplete = []
        for entry in catalogs:
            for obligation in entry["obligations"]:
                missing = []
                if len(obligation["examples"]) < 3:
                    missing.append(f"examples (need 3, found {len(obligation['examples'])})")
                if not obligation["counterexamples"]:
                    missing.append("counterexamples (need 1)")
                if not obligation["remediation"]["actions"]:
                    missing.append("remediation actions")
                if obligation["remediation"]["model_clause"] is None:
                    missing.append("model clause")
                if missing:
                    incomplete.append((obligation["id"], missing))
        if incomplete:
            first, missing = incomplete[0]
            others = (
                f" ({len(incomplete) - 1} more controls lack them too)"
                if len(incomplete) > 1
                else ""
            )
            raise self.fail(
                f"control {first}",
                f"missing {', '.join(missing)}{others}; gapcheck matches terms against "
                "example clauses, so it imports only OSCAL controls that carry them "
                "(see README, OSCAL)",
            )

    def validate(self, entry: dict[str, Any]) -> Catalog:
        try:
            return Catalog.model_validate(entry)
        except ValidationError as error:
            message, _ = _describe_validation_error(entry, error)
            raise self.fail(f"catalog {entry.get('id')}", message) from None


_OTHER_MODELS = (
    "profile",
    "component-definition",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "nothing"
    return names.get(type(value), "a number")


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
    return slug or "oscal"


def oscal_to_catalogs(data: Any, origin: str = "<OSCAL>") -> list[Catalog]:
    """Our catalogs from a parsed OSCAL catalog document (inverse of :func:`catalog_to_oscal`).

    ``origin`` (usually the file name) starts every error message. Each gapcheck group
    becomes one catalog; controls outside such groups form one more catalog named after
    the document, filled with the defaults in the module docstring.
    """
    return _Importer(origin).document(data)


def read_oscal(path: Path) -> list[Catalog]:
    """Read an OSCAL catalog JSON file into our catalogs; errors name ``path``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{path}: OSCAL file not found") from None
    except IsADirectoryError:
        raise CatalogError(f"{path}: is a folder, expected an OSCAL JSON file") from None
    except OSError as error:
        raise CatalogError(f"{path}: cannot read OSCAL file ({error.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: not JSON (the file is not UTF-8 text)") from None
    except json.JSONDecodeError as error:
        raise CatalogError(
            f"{path}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    return oscal_to_catalogs(data, str(path))
