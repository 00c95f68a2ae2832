"""VB001: victim-blaming language in any free-text field, explained.

The text layer decides what is a hit (lexicon, context, model); this rule only words the
finding.  The message never quotes the note (it may name the child): the span's offsets point
at the words, and reports show them only where the user asked for note text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

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


# "a young woman", "young man", "female": adult words that adultify only when said of a child
# old enough to be mistaken for an adult (an age in the words, "15-year-old female", always is)
ADULT_WORDS_ENTRY = "VB-ADU-003"
ADULT_WORDS_MIN_CHILD_AGE = 10


def _no_one_to_adultify(ctx: RecordContext) -> bool:
    """The record's people are all known, and each is an adult or a child under 10: "a young
    woman had run in carrying a little boy" is about an adult."""
    people = ctx.persons
    return bool(people) and all(
        p.recorded and (p.is_adult or (p.age is not None and p.age < ADULT_WORDS_MIN_CHILD_AGE))
        for p in people
    )


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    no_teenager = None
    for path, analysis in ctx.texts.items():
        if analysis.placeholder is not None and analysis.placeholder.kind == "placeholder":
            continue  # AWR006/TPL001 own a field that holds only a placeholder
        if any(h.entry_id == ADULT_WORDS_ENTRY for h in analysis.victim_blaming):
            no_teenager = _no_one_to_adultify(ctx) if no_teenager is None else no_teenager
            if no_teenager:
                text = _text_at(ctx, path)
                kept = [
                    h
                    for h in analysis.victim_blaming
                    if h.entry_id != ADULT_WORDS_ENTRY
                    or text is None
                    or any(c.isdigit() for c in text[h.start : h.end])
                ]
                analysis = replace(analysis, victim_blaming=kept)
        yield from findings_for_text(ctx.finding, path, analysis)


def _text_at(ctx: RecordContext, path: str) -> str | None:
    value = ctx.record.get(path) if "[" not in path and "." not in path else None
    return value if isinstance(value, str) else None
