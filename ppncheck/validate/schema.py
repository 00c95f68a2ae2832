"""The record JSON Schema and the translation of its errors into PPN001/PPN002 findings.

Officers never see jsonschema's own wording.  Errors that belong to a more specific rule
(ethnicity, AWARE elements) are left to that rule, so each defect is reported once
(record-format.md §4).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema_rs

from ppncheck.catalogue import catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding
from ppncheck.resources import load_schema
from ppncheck.rules.registry import owned_elsewhere
from ppncheck.shape import format_path, label_for

SCHEMA_NAME = "record-v1"

# Paths whose defects another rule owns (ETH001-ETH003, AWR001-AWR005): the rule registry.
_OWNED_ELSEWHERE = owned_elsewhere()
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields (an object)",
}


@lru_cache(maxsize=1)
def _validator() -> Any:
    """The record schema compiled by jsonschema-rs (draft 2020-12).

    jsonschema (pure Python) spent about 0.5 ms on a valid record and more on a broken one,
    as much as the rest of the record's rules; jsonschema-rs answers in microseconds and its
    errors carry the same facts (keyword, instance path, schema path, keyword values), which
    ``_translate`` turns into findings.  Formats are annotations in draft 2020-12 and are not
    asserted.  A test checks that jsonschema and jsonschema-rs find the same errors.
    """
    return jsonschema_rs.Draft202012Validator(load_schema(SCHEMA_NAME), validate_formats=False)


def record_is_valid(record: Any) -> bool:
    """Whether ``record`` fits the record schema."""
    return bool(_validator().is_valid(record))


def schema_text() -> str:
    """The schema as users see it from ``ppncheck schema``."""
    return json.dumps(load_schema(SCHEMA_NAME), indent=2)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _translate(error: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(rule id, field path, message values) for one jsonschema-rs error, or None to drop it."""
    parts = list(error.instance_path)
    keyword = error.kind.name
    if keyword == "required":
        path = format_path([*parts, error.kind.property])
        return "PPN001", path, {"label": label_for(path)}
    if keyword == "anyOf" and "allOf" in error.schema_path:
        path = format_path([*parts, "dob"])
        return "PPN001", path, {"label": label_for(path) + " (or age)"}
    path = format_path(parts)
    if keyword in {"minItems", "pattern", "minLength"} and _is_blank(error.instance):
        return "PPN001", path, {"label": label_for(path)}
    if keyword == "type":
        want = " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in error.kind.types)
        problem = f"it should be {want}"
    elif keyword == "enum":
        # the allowed values, never the value given: it is whatever the officer typed, which
        # may be personal data (--show-text shows it, next to the finding)
        options = ", ".join(str(o) for o in error.kind.options)
        problem = f"it is not one of {options}"
    elif keyword.lower() == "const":
        problem = f"it should be {error.kind.expected_value}"
    elif keyword in {"minimum", "maximum"}:
        problem = (
            "it is out of range (0 to 120)" if parts[-1:] == ["age_years"] else "it is out of range"
        )
    else:
        problem = "it does not fit the PPN record format"
    return "PPN002", path, {"label": label_for(path), "problem": problem}


_MAX_DEPTH = 32  # the record schema is six levels deep; anything below this is junk


def _bounded(value: Any, depth: int = 0) -> Any:
    """``value`` with containers nested deeper than ``_MAX_DEPTH`` replaced by a string, so
    jsonschema-rs can convert it; the errors of the shallow part are unchanged."""
    if isinstance(value, dict):
        if depth >= _MAX_DEPTH:
            return "(nested too deeply)"
        return {k: _bounded(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if depth >= _MAX_DEPTH:
            return "(nested too deeply)"
        return [_bounded(v, depth + 1) for v in value]
    return value


def schema_findings(record: dict[str, Any], config: Config) -> list[Finding]:
    if record_is_valid(record):
        return []
    validator = _validator()
    cat = catalogue()
    seen: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    try:
        errors = list(validator.iter_errors(record))
    except ValueError:  # nested deeper than jsonschema-rs converts: junk, not a record
        errors = list(validator.iter_errors(_bounded(record)))
    for error in errors:
        translated = _translate(error)
        if translated is None:
            continue
        rule_id, path, values = translated
        if _OWNED_ELSEWHERE.match(path) or (rule_id, path) in seen:
            continue
        seen.add((rule_id, path))
        finding = cat.finding(rule_id, config, field=path, **values)
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: (f.field or "", f.rule_id))
    return findings
