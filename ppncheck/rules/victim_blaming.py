"""VB001: victim-blaming language in any free-text field, explained.

The text layer decides what is a hit (lexicon, context, model); this rule only words the
finding.  The message never quotes the note (it may name the child): the span's offsets point
at the words, and reports show them only where the user asked for note text.
"""

from __future__ import annotations

from collections.abc import Iterator

from ppncheck.findings import Finding
from ppncheck.rules.context import FindingMaker, RecordContext
from ppncheck.text.analysis_types import TextAnalysis

CATEGORY_LABELS = {
    "choice_consent": "choice or consent",
    "responsibility_for_risk": "responsibility for risk",
    "relationship_framing": "relationship framing",
    "sexualising": "sexualising",
    "criminalising": "criminalising",
    "adultification": "adultification",
    "minimising_normalising": "minimising or normalising",
    "blaming_non_engagement": "blaming non-engagement",
    "character_credibility": "character and credibility",
    "domestic_abuse_blame": "domestic abuse blame",
}


def findings_for_text(
    make: FindingMaker, path: str | None, analysis: TextAnalysis
) -> Iterator[Finding | None]:
    for hit in analysis.victim_blaming:
        details = {
            "category": hit.category,
            "entry_id": hit.entry_id,
            "source": hit.source,
            "threshold": hit.threshold,
            "cues": list(hit.cues),
            "explanation": hit.explanation,
        }
        label = CATEGORY_LABELS.get(hit.category, hit.category.replace("_", " "))
        yield make(
            "VB001",
            field=path,
            start=hit.start,
            end=hit.end,
            suggestion=hit.suggestion,
            score=hit.score,
            details=details,
            category_label=label,
        )


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    for path, analysis in ctx.texts.items():
        if analysis.placeholder is not None and analysis.placeholder.kind == "placeholder":
            continue  # AWR006/TPL001 own a field that holds only a placeholder
        yield from findings_for_text(ctx.finding, path, analysis)
