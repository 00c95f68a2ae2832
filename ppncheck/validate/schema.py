"""The record JSON Schema and the translation of its errors into PPN001/PPN002 findings.

Officers never see jsonschema's own wording.  Errors that belong to a more specific rule
(ethnicity, AWARE elements) are left to that rule, so each defect is reported once
(record-format.md §4).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError

from ppncheck.catalogue import catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding
from ppncheck.resources import load_schema
from ppncheck.validate.paths import format_path, label_for

SCHEMA_NAME = "record-v1"

# Paths whose defects another rule owns: ETH001/ETH003 (sde_code), ETH002 (reason for NS),
# AWR001-AWR005 (AWARE elements and the aware object itself).
_OWNED_ELSEWHERE = re.compile(
    r"^persons\[\d+\]\.(sde_code|sde_not_stated_reason)$"
    r"|^voice_of_child\[\d+\]\.aware(\.(appearance|words|activity|relationships|environment))?$"
)
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields (an object)",
}


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(SCHEMA_NAME))


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """The same schema compiled by jsonschema-rs: a yes/no answer in microseconds.

    Most records of an export are valid, and jsonschema (pure Python) spends about 0.5 ms
    finding that out, as much as the rest of the record's rules.  Only records the fast
    validator rejects go through jsonschema, whose errors we translate.  Formats are
    annotations in draft 2020-12 and are not asserted by either validator; the one pattern
    in the schema (``\\S``) means the same in both regex engines.  A test checks the two
    agree on valid and broken records.
    """
    return jsonschema_rs.Draft202012Validator(load_schema(SCHEMA_NAME), validate_formats=False)


def record_is_valid(record: Any) -> bool:
    """Whether ``record`` fits the record schema (fast path of ``schema_findings``)."""
    return bool(_fast_validator().is_valid(record))


def schema_text() -> str:
    """The schema as users see it from ``ppncheck schema``."""
    return json.dumps(load_schema(SCHEMA_NAME), indent=2)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _translate(error: ValidationError) -> tuple[str, str, dict[str, Any]] | None:
    """(rule id, field path, message values) for one schema error, or None to drop it."""
    parts = list(error.absolute_path)
    validator = error.validator
    if validator == "required":
        missing = [p for p in error.validator_value if p not in error.instance]
        if not missing:
            return None
        path = format_path([*parts, missing[0]])
        return "PPN001", path, {"label": label_for(path)}
    if validator == "anyOf" and error.schema_path and "allOf" in error.schema_path:
        path = format_path([*parts, "dob"])
        return "PPN001", path, {"label": label_for(path) + " (or age)"}
    path = format_path(parts)
    if validator in {"minItems", "pattern", "minLength"} and _is_blank(error.instance):
        return "PPN001", path, {"label": label_for(path)}
    if validator == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        want = " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in names)
        problem = f"it should be {want}"
    elif validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        problem = f"{_short(error.instance)!s} is not one of {options}"
    elif validator == "const":
        problem = f"it should be {error.validator_value}"
    elif validator in {"minimum", "maximum"}:
        problem = (
            "it is out of range (0 to 120)" if parts[-1:] == ["age_years"] else "it is out of range"
        )
    else:
        problem = "it does not fit the PPN record format"
    return "PPN002", path, {"label": label_for(path), "problem": problem}


def schema_findings(record: dict[str, Any], config: Config) -> list[Finding]:
    if record_is_valid(record):
        return []
    cat = catalogue()
    seen: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    for error in _validator().iter_errors(record):
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
