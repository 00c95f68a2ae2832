"""jsonschema-rs, which ``schema_findings`` uses, finds the same errors as jsonschema.

PPN001/PPN002 are translated from jsonschema-rs errors (keyword, instance path, schema path).
jsonschema is the reference implementation of draft 2020-12; if the two ever found different
errors on a record, that record would gain or lose findings, so they are compared on the
examples, on generated records and on random mutations of a good record.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ppncheck.api import _normalised
from ppncheck.resources import load_schema
from ppncheck.validate.schema import SCHEMA_NAME, _validator, record_is_valid
from ppncheck_dev.synthetic import generate_records

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "records"


@lru_cache(maxsize=1)
def _reference() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(SCHEMA_NAME))


def _errors_rs(record: Any) -> Counter[tuple[str, tuple[Any, ...]]]:
    return Counter(
        (e.kind.name.lower(), tuple(e.instance_path)) for e in _validator().iter_errors(record)
    )


def _errors_reference(record: Any) -> Counter[tuple[str, tuple[Any, ...]]]:
    return Counter(
        (str(e.validator).lower(), tuple(e.absolute_path)) for e in _reference().iter_errors(record)
    )


def _agree(record: Any) -> bool:
    return record_is_valid(record) == _reference().is_valid(record) and _errors_rs(
        record
    ) == _errors_reference(record)


def test_examples_and_generated_records_agree() -> None:
    records = [json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))]
    records = [r for r in records if isinstance(r, dict) and "ppn_id" in r]
    records += [_normalised(r) for r in generate_records(400, seed=11)]
    verdicts = [record_is_valid(r) for r in records]
    assert all(_agree(r) for r in records)
    # both kinds are present, so the agreement is not trivially "all valid"
    assert any(verdicts) and not all(verdicts)
    # and several kinds of error are compared, not one
    kinds = {k for r in records for k, _ in _errors_rs(r)}
    assert {"required", "enum", "anyof"} <= kinds, kinds


leaf = st.none() | st.booleans() | st.integers(-5, 200) | st.text(max_size=12)
value = st.recursive(
    leaf,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["sde_code", "roles", "age_years", "x"]), children)
    ),
    max_leaves=10,
)
person_keys = st.sampled_from(
    ["person_id", "roles", "sde_code", "sde_not_stated_reason", "dob", "age_years", "name"]
)
record_keys = st.sampled_from(
    ["ppn_id", "ppn_types", "incident_start", "submitted_at", "officer", "circumstances",
     "officer_risk_grade", "rationale", "persons", "voice_of_child", "supervisor_review"]
)  # fmt: skip


@settings(
    max_examples=300,
    deadline=None,
    # the fixture is only read (deep-copied) by each example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    top=st.dictionaries(record_keys, value, max_size=3),
    person=st.dictionaries(person_keys, value, max_size=3),
    aware=st.dictionaries(
        st.sampled_from(["appearance", "words", "activity", "relationships", "environment"]),
        value,
        max_size=2,
    ),
)
def test_mutated_records_agree(
    good: dict[str, Any], top: dict[str, Any], person: dict[str, Any], aware: dict[str, Any]
) -> None:
    record = copy.deepcopy(good)
    if record.get("persons"):
        record["persons"][0].update(person)
    if record.get("voice_of_child") and isinstance(record["voice_of_child"][0].get("aware"), dict):
        record["voice_of_child"][0]["aware"].update(aware)
    record.update(top)
    assert _agree(record)
