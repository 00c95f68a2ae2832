"""RSK001: a missing child is never low risk."""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding
from ppncheck.rules.context import RecordContext

_LOW = {"low", "standard"}


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    types = ctx.record.get("ppn_types")
    grade = ctx.record.get("officer_risk_grade")
    if not isinstance(types, list) or "missing_person" not in types or grade not in _LOW:
        return
    # The missing person is the subject (or the victim); with neither role recorded, any child.
    missing = [p for p in ctx.persons if p.roles & {"subject", "victim"}] or ctx.persons
    if any(p.is_child for p in missing):
        yield ctx.finding("RSK001", field="officer_risk_grade", grade=grade)
