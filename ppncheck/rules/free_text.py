"""Rules for a free-text note: the whole note is one narrative, judged as a whole.

Span findings carry ``field="note"`` and offsets into the note; findings about the whole note
have ``field=None``.  A note that is only a placeholder gets TPL001 alone: AWARE and ethnicity
findings on an empty note would repeat the same defect.
"""

from __future__ import annotations

from typing import Any

from ppncheck.catalogue import catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding, Severity
from ppncheck.normalise.ethnicity import ethnicity_table
from ppncheck.rules import children, victim_blaming
from ppncheck.rules.aware import ELEMENT_NAMES, ELEMENT_RULES
from ppncheck.rules.context import FindingMaker
from ppncheck.text.analysis_types import AWARE_ELEMENTS, TextAnalysis

NOTE_FIELD = "note"


def check_note(analysis: TextAnalysis, config: Config) -> list[Finding]:
    cat = catalogue()

    def make(rule_id: str, **kwargs: Any) -> Finding | None:
        return cat.finding(rule_id, config, **kwargs)

    out: list[Finding | None] = []
    verdict = analysis.placeholder
    if verdict is not None:
        details = {"placeholder": verdict.matched, "content_words": verdict.content_words}
        if verdict.kind == "placeholder":
            out.append(make("TPL001", variant="text", matched=verdict.matched, details=details))
        else:
            out.append(make("TPL001", variant="text_thin", details=details))
        return [f for f in out if f is not None]

    out.extend(_ethnicity(make, analysis))
    out.extend(_aware(make, analysis))

    # A child is recorded in a note by a Name: line with a DOB:/Age: line, or inline ("Ellie (7)").
    names = [line for line in analysis.labelled if line.key == "name" and line.value.strip()]
    ages = [line for line in analysis.labelled if line.key in {"dob", "age"} and line.value.strip()]
    forenames = {line.value.split()[0].lower() for line in names}
    recorded_ages: list[int | None] = [_int(line.value) for line in ages[: len(names)]]
    for m in analysis.child_mentions:
        if m.name and m.age is not None and m.name.split()[0].lower() not in forenames:
            forenames.add(m.name.split()[0].lower())
            recorded_ages.append(m.age)
    out.extend(
        children.findings_for(
            make, NOTE_FIELD, analysis.child_mentions, forenames, recorded_ages, "note"
        )
    )
    out.extend(victim_blaming.findings_for_text(make, NOTE_FIELD, analysis))
    return [f for f in out if f is not None]


def _int(value: str) -> int | None:
    digits = value.strip().split()[0] if value.strip() else ""
    return int(digits) if digits.isdigit() else None


def _ethnicity(make: FindingMaker, analysis: TextAnalysis) -> list[Finding | None]:
    lines = [line for line in analysis.labelled if line.key == "ethnicity"]
    given = [line for line in lines if line.value.strip()]
    if not given:
        return [make("ETH001", variant="text", severity=Severity.ERROR)]
    table = ethnicity_table()
    return [
        make(
            "ETH003", field=NOTE_FIELD, start=line.start, end=line.end, who="a person in this note"
        )
        for line in given
        if table.normalise(line.value) is None
    ]


def _aware(make: FindingMaker, analysis: TextAnalysis) -> list[Finding | None]:
    out: list[Finding | None] = []
    headings = {h.element: h for h in analysis.headings}
    for element in AWARE_ELEMENTS:
        verdict = analysis.section_placeholders.get(element)
        if verdict is not None:
            heading = headings.get(element)
            span = {"start": heading.body_start, "end": heading.body_end} if heading else {}
            details = {"placeholder": verdict.matched, "content_words": verdict.content_words}
            if verdict.kind == "placeholder":
                out.append(
                    make(
                        "AWR006",
                        field=NOTE_FIELD,
                        element=ELEMENT_NAMES[element],
                        matched=verdict.matched,
                        who="",
                        details=details,
                        **span,
                    )
                )
            else:
                out.append(
                    make(
                        "AWR006",
                        field=NOTE_FIELD,
                        element=ELEMENT_NAMES[element],
                        who="",
                        variant="thin",
                        details=details,
                        **span,
                    )
                )
            continue
        if not analysis.aware_evidence.get(element):
            out.append(make(ELEMENT_RULES[element], who=""))
            continue
        if element == "words" and not (analysis.child_speech or analysis.no_speech_reasons):
            spans = analysis.aware_evidence["words"]
            out.append(
                make("AWR007", field=NOTE_FIELD, start=spans[0].start, end=spans[0].end, who="")
            )
    return out
