"""Self-defined ethnicity: missing (ETH001), NS without reason (ETH002), unrecognised (ETH003).

ETH001 is an error for a child and a warning for an adult: the inspection's concern was
children's ethnicity.  The rule judges the record's ethnicity entries (``RecordContext.
ethnicity``): each person's in a record; in a free-text note, each value the note writes, or
the note's own when it writes none (ETH001 judges a note as a whole, and it is an error: the
message asks for each child's ethnicity).
"""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding, Severity
from ppncheck.normalise.ethnicity import ethnicity_table
from ppncheck.rules.context import RecordContext


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    table = ethnicity_table()
    for entry in ctx.ethnicity:
        code, span = entry.code, {"start": entry.start, "end": entry.end}
        if code is None or (isinstance(code, str) and not code.strip()):
            severity = Severity.ERROR if entry.child else Severity.WARNING
            yield ctx.finding(
                "ETH001",
                field=entry.field,
                who=entry.who,
                severity=severity,
                variant=entry.variant,
                **span,
            )
            continue
        if not isinstance(code, str) or code not in table.codes:
            details = (
                {"officer_defined": True}
                if isinstance(code, str) and table.is_officer_defined(code)
                else None
            )
            yield ctx.finding("ETH003", field=entry.field, who=entry.who, details=details, **span)
            continue
        if code == "NS" and not entry.has_reason:
            yield ctx.finding("ETH002", field=entry.reason_field, who=entry.who, **span)
