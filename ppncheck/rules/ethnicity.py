"""Self-defined ethnicity: missing (ETH001), NS without reason (ETH002), unrecognised (ETH003).

ETH001 is an error for a child and a warning for an adult: the inspection's concern was
children's ethnicity.
"""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding, Severity
from ppncheck.normalise.ethnicity import ethnicity_table
from ppncheck.rules.context import RecordContext


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    table = ethnicity_table()
    for person in ctx.persons:
        who = f"person {person.person_id}"
        path = f"{person.path}.sde_code"
        code = person.data.get("sde_code")
        if code is None or (isinstance(code, str) and not code.strip()):
            severity = Severity.ERROR if person.is_child else Severity.WARNING
            yield ctx.finding("ETH001", field=path, who=who, severity=severity)
            continue
        if not isinstance(code, str) or code not in table.codes:
            details = (
                {"officer_defined": True}
                if isinstance(code, str) and table.is_officer_defined(code)
                else None
            )
            yield ctx.finding("ETH003", field=path, who=who, details=details)
            continue
        if code == "NS":
            reason = person.data.get("sde_not_stated_reason")
            if not isinstance(reason, str) or not reason.strip():
                yield ctx.finding("ETH002", field=f"{person.path}.sde_not_stated_reason", who=who)
