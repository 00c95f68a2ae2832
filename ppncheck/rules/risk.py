"""RSK001: a missing child is never low risk.

A free-text note gives its type and grade in words ("missing from home ... graded as standard
risk by control"): the note's record carries what the note reader found (``rules/
note_record.py``), and the grade's span.
"""

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
    if _missing_is_a_child(ctx):
        yield ctx.finding("RSK001", field="officer_risk_grade", grade=grade)


def _missing_is_a_child(ctx: RecordContext) -> bool:
    """The missing person is the subject (or the victim); with neither role recorded, any
    child.  A free-text note does not say who is missing: a note about a child (one it
    records or mentions) is about a missing child."""
    if ctx.note is not None:
        return ctx.note.about_a_child
    missing = [p for p in ctx.persons if p.roles & {"subject", "victim"}] or ctx.persons
    return any(p.is_child for p in missing)
