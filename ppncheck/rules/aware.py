"""AWARE on structured records: AWR001-AWR008.

AWR008 (no voice-of-child entry) owns a child with no entry; AWR001-AWR005 then stay silent for
that child.  A placeholder element is AWR006 rather than AWR001-AWR005.  AWR007 needs the
text layer's reading of the Words element.
"""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding
from ppncheck.rules.context import RecordContext
from ppncheck.text.analysis_types import AWARE_ELEMENTS, PlaceholderVerdict

ELEMENT_RULES = dict(
    zip(AWARE_ELEMENTS, ("AWR001", "AWR002", "AWR003", "AWR004", "AWR005"), strict=True)
)
ELEMENT_NAMES = {
    "appearance": "Appearance",
    "words": "Words",
    "activity": "Activity",
    "relationships": "Relationships",
    "environment": "Environment",
}


def placeholder_finding(
    ctx: RecordContext, element: str, path: str, verdict: PlaceholderVerdict, who: str
) -> Finding | None:
    details = {"placeholder": verdict.matched, "content_words": verdict.content_words}
    if verdict.kind == "placeholder":
        return ctx.finding(
            "AWR006",
            field=path,
            element=ELEMENT_NAMES[element],
            matched=verdict.matched,
            who=who,
            details=details,
        )
    return ctx.finding(
        "AWR006",
        field=path,
        element=ELEMENT_NAMES[element],
        who=who,
        variant="thin",
        details=details,
    )


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    entries = ctx.record.get("voice_of_child")
    entries = entries if isinstance(entries, list) else []
    covered: set[str] = set()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        child_id = entry.get("child_person_id")
        if isinstance(child_id, str):
            covered.add(child_id)
        who = f" for person {child_id}" if isinstance(child_id, str) and child_id.strip() else ""
        aware = entry.get("aware")
        if aware is not None and not isinstance(aware, dict):
            continue  # PPN002 already says the AWARE entry is malformed
        aware = aware or {}
        for element in AWARE_ELEMENTS:
            path = f"voice_of_child[{i}].aware.{element}"
            value = aware.get(element)
            if value is None or (isinstance(value, str) and not value.strip()):
                yield ctx.finding(ELEMENT_RULES[element], field=path, who=who)
                continue
            analysis = ctx.texts.get(path)
            if analysis is None:
                continue  # not text: PPN002 reports the type
            if analysis.placeholder is not None:
                yield placeholder_finding(ctx, element, path, analysis.placeholder, who)
                continue
            if element == "words" and not (analysis.child_speech or analysis.no_speech_reasons):
                reason = entry.get("reason_not_spoken_to")
                if entry.get("spoken_to") is False and isinstance(reason, str) and reason.strip():
                    continue
                yield ctx.finding("AWR007", field=path, who=who)
    for person in ctx.children:
        if person.person_id not in covered:
            yield ctx.finding("AWR008", field=person.path, who=f"Person {person.person_id}")
