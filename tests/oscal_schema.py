"""Validating documents against NIST's OSCAL 1.1.2 catalog JSON Schema (test helper).

The schema is draft-07 and uses ``\\p{L}``/``\\p{N}`` in its token pattern. jsonschema
evaluates ``pattern`` with Python's ``re``, which rejects ``\\p``; skipping those
patterns would leave control, part and prop names unchecked. So ``pattern`` is evaluated
with the ``regex`` module, which accepts the same syntax plus Unicode property classes
(ECMA 262 ``.`` and ``\\S`` behave the same there); the same goes for the ``regex``
format that checking the schema itself applies to every pattern. Formats (``date-time``, ``uri``,
``uri-reference``) are checked too, with jsonschema's format checker; the helper fails
loudly if the packages those checks need are missing instead of silently passing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import regex
from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "oscal" / "oscal_catalog_schema.json"
NEEDED_FORMATS = ("date-time", "uri", "uri-reference")


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})


@cache
def catalog_validator() -> Any:
    """A validator for the official OSCAL 1.1.2 catalog schema, formats included."""
    checker = FormatChecker(formats=Draft7Validator.FORMAT_CHECKER.checkers)
    checker.checks("regex", raises=regex.error)(_compiled)
    missing = [name for name in NEEDED_FORMATS if name not in checker.checkers]
    if missing:
        raise RuntimeError(
            f"jsonschema cannot check formats {missing}: install 'jsonschema[format-nongpl]'"
        )
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    OscalValidator.check_schema(schema, format_checker=checker)
    return OscalValidator(schema, format_checker=checker)


def schema_errors(document: Any) -> list[str]:
    """Every schema violation in ``document``, as 'json.path: message' lines."""
    return [
        f"{error.json_path}: {error.message}" for error in catalog_validator().iter_errors(document)
    ]
