"""TPL001: circumstances, rationale or actions taken that say nothing (an empty one is PPN001)."""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding
from ppncheck.rules.context import RecordContext
from ppncheck.validate.paths import label_for

NARRATIVE_FIELDS = ("circumstances", "rationale", "actions_taken")


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    for key in NARRATIVE_FIELDS:
        analysis = ctx.texts.get(key)
        if analysis is None or analysis.placeholder is None:
            continue
        verdict = analysis.placeholder
        details = {"placeholder": verdict.matched, "content_words": verdict.content_words}
        if verdict.kind == "placeholder":
            yield ctx.finding(
                "TPL001", field=key, label=label_for(key), matched=verdict.matched, details=details
            )
        else:
            yield ctx.finding(
                "TPL001", field=key, label=label_for(key), variant="thin", details=details
            )
