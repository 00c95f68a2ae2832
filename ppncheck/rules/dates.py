"""Dates: unparseable values (PPN002), contradictions (PPN003) and late submission (TIM001).

A date-time that cannot be parsed is PPN002 and the checks that need it are skipped, not passed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding
from ppncheck.normalise.dates import age_on, parse_date, parse_datetime
from ppncheck.rules.context import RecordContext
from ppncheck.shape import label_for

_DATETIME_EXAMPLE = "use a date and time such as 2026-11-20T21:40:00"
_DATE_EXAMPLE = "use a date such as 2016-05-02"


def _unparseable(value: object, parser: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and parser is None


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    record = ctx.record
    for key in ("incident_start", "submitted_at"):
        value = record.get(key)
        if _unparseable(value, parse_datetime(value)):
            yield ctx.finding(
                "PPN002",
                field=key,
                label=label_for(key),
                problem=f"it is not a valid date and time; {_DATETIME_EXAMPLE}",
            )
    review = record.get("supervisor_review")
    if isinstance(review, dict):
        value = review.get("reviewed_at")
        if _unparseable(value, parse_datetime(value)):
            path = "supervisor_review.reviewed_at"
            yield ctx.finding(
                "PPN002",
                field=path,
                label=label_for(path),
                problem=f"it is not a valid date and time; {_DATETIME_EXAMPLE}",
            )

    for person in ctx.persons:
        value = person.data.get("dob")
        dob = parse_date(value)
        path = f"{person.path}.dob"
        if _unparseable(value, dob):
            yield ctx.finding(
                "PPN002",
                field=path,
                label=label_for(path),
                problem=f"it is not a valid date; {_DATE_EXAMPLE}",
            )
            continue
        if dob is None or ctx.incident is None:
            continue
        if dob > ctx.incident.date():
            yield ctx.finding(
                "PPN003",
                field=path,
                problem=f"The date of birth of {person.path} is after the incident",
            )
            continue
        age = person.data.get("age_years")
        if (
            isinstance(age, int)
            and not isinstance(age, bool)
            and abs(age_on(dob, ctx.incident.date()) - age) >= 1
        ):
            yield ctx.finding(
                "PPN003",
                field=f"{person.path}.age_years",
                problem=f"The age recorded for {person.path} does not match the date of birth",
            )

    if ctx.incident is None or ctx.submitted is None:
        return
    if ctx.submitted < ctx.incident:
        yield ctx.finding(
            "PPN003",
            field="submitted_at",
            problem="The PPN is recorded as submitted before the incident started",
        )
        return
    hours = (ctx.submitted - ctx.incident).total_seconds() / 3600
    limit = ctx.config.late_submission_hours
    if hours > limit:
        yield ctx.finding(
            "TIM001",
            field="submitted_at",
            hours=f"{hours:.0f}",
            limit=f"{limit:g}",
            details={"hours_late": round(hours - limit, 1), "limit_hours": limit},
        )
