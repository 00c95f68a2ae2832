"""TPL001: circumstances, rationale or actions taken that say nothing (an empty one is PPN001).

A free-text note is one narrative, judged whole: only a placeholder ("see log"), or too thin
to act on, which for a whole note also means fewer words than ``min_note_words`` (in the
placeholder file).  Such a note is TPL001's alone (``rules/note_record.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ppncheck.config import Config
from ppncheck.findings import Finding
from ppncheck.rules.context import RecordContext
from ppncheck.shape import NARRATIVE_FIELDS, label_for
from ppncheck.text.analysis_types import TextAnalysis
from ppncheck.text.tables import placeholder_table

# (message variant, the placeholder matched, details) of a text that says nothing
Verdict = tuple[str | None, str | None, dict[str, Any]]


def field_verdict(analysis: TextAnalysis) -> Verdict | None:
    verdict = analysis.placeholder
    if verdict is None:
        return None
    details = {"placeholder": verdict.matched, "content_words": verdict.content_words}
    return (None if verdict.kind == "placeholder" else "thin"), verdict.matched, details


def note_verdict(text: str, analysis: TextAnalysis, config: Config) -> Verdict | None:
    """TPL001 on a whole free-text note, or None when the note has enough to be judged."""
    found = field_verdict(analysis)
    if found is not None and found[0] is None:
        return "text", found[1], found[2]
    table = placeholder_table(tuple(str(p) for p in config.extra_placeholders))
    floor = table.min_note_words
    # exact up to twice the floor (most notes are longer); a form's field labels ("Date/Time:",
    # "Children present:") are no words of the note's account
    words = len(text.split(None, 2 * floor))
    if words <= 2 * floor:
        words -= sum(len(m.group(1).split()) for m in _FIELD_LABEL.finditer(text))
    if found is None and words >= floor:
        return None
    if words > 2 * floor:
        words = len(text.split())
    return "text_thin", None, {"words": words, "min_note_words": floor}


# a field label at the start of a line: "Occurrence:", "PPN type:", "Children present:"
_FIELD_LABEL = re.compile(r"^[ \t]*([A-Z][\w/()&'’-]*(?:[ \t]+[\w/()&'’-]+){0,3})[ \t]*:", re.M)


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    for key in NARRATIVE_FIELDS:
        analysis = ctx.texts.get(key)
        if analysis is None:
            continue
        if ctx.note is not None:  # the note is the record's narrative: judged as a whole
            found = note_verdict(ctx.record[key], analysis, ctx.config)
        else:
            found = field_verdict(analysis)
        if found is None:
            continue
        variant, matched, details = found
        yield ctx.finding(
            "TPL001",
            field=key,
            label=label_for(key),
            matched=matched,
            variant=variant,
            details=details,
        )
