"""Rules for a free-text note: the whole note is one narrative, judged as a whole.

Span findings carry ``field="note"`` and offsets into the note; findings about the whole note
have ``field=None``.  A note that is only a placeholder gets TPL001 alone: AWARE and ethnicity
findings on an empty note would repeat the same defect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from ppncheck.catalogue import catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding, Severity
from ppncheck.normalise.dates import age_on
from ppncheck.read.note import NotePerson, NoteRecord, read_note
from ppncheck.read.spoken import SPOKEN_QUOTE, cased_for_reading
from ppncheck.rules import children, victim_blaming
from ppncheck.rules.aware import ELEMENT_NAMES, ELEMENT_RULES
from ppncheck.rules.context import FindingMaker
from ppncheck.text.analysis_types import AWARE_ELEMENTS, ChildMention, Heading, TextAnalysis
from ppncheck.text.tables import children_table, placeholder_table

NOTE_FIELD = "note"


def check_note(text: str, analysis: TextAnalysis, config: Config) -> list[Finding]:
    """The note's findings; its people come from the note reader (``read/note.py``)."""
    cat = catalogue()

    def make(rule_id: str, **kwargs: Any) -> Finding | None:
        return cat.finding(rule_id, config, **kwargs)

    out: list[Finding | None] = []
    verdict = analysis.placeholder
    table = placeholder_table(tuple(str(p) for p in config.extra_placeholders))
    words = len(text.split())
    if verdict is not None and verdict.kind == "placeholder":
        details = {"placeholder": verdict.matched, "content_words": verdict.content_words}
        out.append(make("TPL001", variant="text", matched=verdict.matched, details=details))
        return [f for f in out if f is not None]
    if verdict is not None or words < table.min_note_words:
        # Too thin to judge AWARE, ethnicity or children (each would repeat this defect); its
        # wording is still checked, so a trainer can paste one sentence and see VB001.
        details = {"words": words, "min_note_words": table.min_note_words}
        out.append(make("TPL001", variant="text_thin", details=details))
        out.extend(victim_blaming.findings_for_text(make, NOTE_FIELD, analysis))
        return [f for f in out if f is not None]

    note = read_note(text)
    text = cased_for_reading(text)  # a dictated note with its spoken capitals: same offsets
    out.extend(_ethnicity(make, note))
    mentions = _child_mentions(text, note, analysis)
    if _involves_a_child(note, mentions, analysis):
        out.extend(_aware(make, text, note, analysis))
        out.extend(_missing_child_graded_low(make, text))
    out.extend(_children(make, note, mentions))
    out.extend(victim_blaming.findings_for_text(make, NOTE_FIELD, analysis))
    return [f for f in out if f is not None]


_MISSING = re.compile(
    r"\b(?:missing|misper|mfh|absent from|did not return|didn'?t return|not come home|"
    r"didn'?t come (?:back|home)|did not come (?:back|home)|not returned)\b",
    re.IGNORECASE,
)
_LOW_GRADE = re.compile(
    r"\b(?:graded|grade|assessed|rated|risk)\b[ \t:=-]*"
    r"(?:(?:him|her|them|it|this|the[ \t]+child|the[ \t]+episode)[ \t]+)?(?:as[ \t]+|at[ \t]+)?"
    r"(?P<g1>low|standard)\b"
    r"|\b(?P<g2>low|standard)[ \t-]+risk\b",
    re.IGNORECASE,
)
_NOT_LOW = re.compile(
    r"\b(?:not|never|cannot|can'?t|no longer|rather than|instead of|from|upgraded|raised|"
    r"regraded|re-graded|dash|s-dash)\b[^.\n]{0,25}$",
    re.IGNORECASE,
)


def _missing_child_graded_low(make: FindingMaker, text: str) -> list[Finding | None]:
    """RSK001 in a note about a child: a missing episode graded low or standard risk
    ("Graded as standard risk by control", "Risk: low").  "Never low risk", "upgraded
    from standard" and a DASH grade are not this rule."""
    if _MISSING.search(text) is None:
        return []
    for m in _LOW_GRADE.finditer(text):
        if _NOT_LOW.search(text, max(0, m.start() - 40), m.start()):
            continue
        grade = (m.group("g1") or m.group("g2")).lower()
        return [make("RSK001", field=NOTE_FIELD, start=m.start(), end=m.end(), grade=grade)]
    return []


def _child_mentions(text: str, note: NoteRecord, analysis: TextAnalysis) -> list[ChildMention]:
    """The mentions that may be children of this note: not a recorded person's own
    introduction, not the law about any child, not an adult's bare sibling, not quoted."""
    recorded = [p for p in note.persons if p.recorded]
    return [
        m
        for m in analysis.child_mentions
        if not _introduces_recorded(m, recorded)
        and not _general_statement(text, m)
        and not _bare_sibling(text, m)
        and not _quoted(text, m)
        and not _not_a_child_here(text, m, note)
    ]


def _children(
    make: FindingMaker, note: NoteRecord, mentions: list[ChildMention]
) -> Iterator[Finding | None]:
    """CHD001: a child mentioned in the note whom no recorded person (name with a date of
    birth or age) accounts for."""
    recorded = [p for p in note.persons if p.recorded]
    forenames = {p.name.value.split()[0].lower() for p in recorded}
    ages: list[int | None] = [_age_of(p, note) for p in recorded if p.child]
    for m in mentions:
        if m.name and m.age is not None and m.name.split()[0].lower() not in forenames:
            forenames.add(m.name.split()[0].lower())
            ages.append(m.age)
    yield from children.findings_for(make, NOTE_FIELD, mentions, forenames, ages, "note")


def _involves_a_child(
    note: NoteRecord, mentions: list[ChildMention], analysis: TextAnalysis
) -> bool:
    """AWARE is the voice of the *child*: a note about adults only (an adult at risk, a
    stalking victim with no children) has no AWARE elements to miss, even when its writer
    uses the same headings for the adult.  A child is involved when the note records one or
    mentions one."""
    del analysis
    return bool(note.children or mentions)


def _age_of(person: NotePerson, note: NoteRecord) -> int | None:
    if person.age is not None:
        return int(person.age.value)
    if person.dob is not None and note.reference_date is not None:
        return age_on(date.fromisoformat(person.dob.value), note.reference_date)
    return None


def _introduces_recorded(mention: ChildMention, recorded: list[NotePerson]) -> bool:
    """ "her son Tyler B., DOB ...", "Bilal CHAUDHRY 17 y/o": the mention is part of a recorded
    person's own introduction (just before the name, or one of the person's values)."""
    for p in recorded:
        if p.name.start - 60 <= mention.end <= p.name.end + 1:
            return True
        if mention.start <= p.name.start < mention.end:
            return True
        for value in (p.age, p.dob):
            if value is not None and mention.start <= value.start < mention.end + 1:
                return True
    return False


_GENERAL = re.compile(
    r"[ \t]*(?:cannot|can't|can not|could not|is not able|is unable|is too young|"
    r"in law|under the law|would not be able|is not capable)\b",
    re.IGNORECASE,
)
_CHILD_MARK = re.compile(
    r"\b(?:younger|little|baby|twin|infant|young|youngest|newborn|new-born|teenage|\d{1,2}|"
    r"two|three|four|five|six|both)\b",
    re.IGNORECASE,
)


_PERSONA = re.compile(
    r"(?:\bas|\bto[ \t]+be|\bposing[ \t]+as|\bpretending[ \t]+to[ \t]+be|\bclaim(?:s|ed|ing)"
    r"[ \t]+to[ \t]+be|\bcalling[ \t]+(?:him|her|them)self|\b(?:thought|believed|purport(?:ed|ing))"
    r"[ \t]+(?:was|to[ \t]+be|it[ \t]+was))[ \t]+an?[ \t]*$",
    re.IGNORECASE,
)
# "a toddler bed", "baby clothes": the word names a thing for a child, not a child
_CHILD_THING = re.compile(
    r"[ \t]+(?:bed|beds|seat|seats|gate|gates|monitor|clothes|food|formula|milk|bottle|bottles|"
    r"toys?|group|groups|club|minder|minding|care|carer|walker|bath|cot|pushchair|buggy|pram|"
    r"protection|services|social|safeguarding|workers?|sling|changing|wipes|nappies|steps?|"
    r"friendly|proof|size|sized|room)\b",
    re.IGNORECASE,
)


def _general_statement(text: str, mention: ChildMention) -> bool:
    """ "A 17-year-old cannot consent": the law about any child, not a child of this note;
    "the account presents as a 16-year-old": a persona, not a child."""
    if mention.kind != "age_phrase":
        return False
    if _PERSONA.search(text, max(0, mention.start - 40), mention.start + 2):
        return True
    tail = text[mention.start : mention.end + 40]
    old = re.search(r"(?:old|y/?o|yrs?)\b[ \t]*", tail, re.IGNORECASE)
    if old is None:
        return False
    if _GENERAL.match(tail, old.end()):
        return True
    word = re.match(r"[a-z]+[ \t]+", tail[old.end() :])  # "A 17-year-old girl cannot ..."
    return word is not None and _GENERAL.match(tail, old.end() + word.end()) is not None


def _not_a_child_here(text: str, mention: ChildMention, note: NoteRecord) -> bool:
    """Mentions that name no child of this note: "a toddler bed" (a thing), "around toddlers"
    (children in general), "her brothers" or "their son" of an older adult."""
    words = text[mention.start : mention.end].split()
    if _CHILD_THING.match(text, mention.end):
        return True
    if _unborn(text, mention):
        return True
    if mention.age is not None or mention.name or _CHILD_MARK.search(" ".join(words)):
        return False
    if len(words) == 1 and words[0].lower().endswith("s"):
        return True  # a bare plural: "around toddlers", "children"
    if mention.relation in {"son", "daughter", "brother", "sister", "sibling"}:
        owner = _last_person_before(text, mention.start, note)
        age = owner.age_years if owner is not None else None
        if (
            owner is not None
            and owner.child is False
            and (mention.relation not in {"son", "daughter"} or (age is not None and age >= 60))
        ):
            return True  # an adult's siblings, an older adult's son or daughter
    return False


def _unborn(text: str, mention: ChildMention) -> bool:
    """ "a cot ready for the baby" in a note about a pregnancy: the unborn baby."""
    if mention.kind != "baby" or mention.name or mention.age is not None or mention.count > 1:
        return False
    cues = children_table().unborn_cues
    return cues is not None and cues.search(text) is not None


def _last_person_before(text: str, pos: int, note: NoteRecord) -> NotePerson | None:
    """The person named last before ``pos`` (by forename, anywhere in the note)."""
    best: tuple[int, NotePerson] | None = None
    for person in note.persons:
        at = text.rfind(person.name.value.split()[0], 0, pos)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, person)
    return best[1] if best else None


def _quoted(text: str, mention: ChildMention) -> bool:
    """Inside someone's quoted words on the same line ("she said I was a baby"), or inside
    a dictated quote ("he said quote ... my son unquote")."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    before = text[line_start : mention.start]
    if (before.count('"') % 2 == 1) or before.count("“") > before.count("”"):
        return True
    return "quote" in before.lower() and any(
        m.start() <= mention.start < m.end() for m in _QUOTE.finditer(text, line_start)
    )


def _bare_sibling(text: str, mention: ChildMention) -> bool:
    """ "She has her sister's support": one brother or sister with no name, age, number or
    child's mark ("younger", "little") cannot be told from an adult's sibling, so it is not
    taken as a child of the note."""
    if mention.kind != "relation" or mention.age is not None or mention.count > 1 or mention.name:
        return False
    if mention.relation not in children.OTHER_CHILD_RELATIONS:
        return False
    return _CHILD_MARK.search(text, mention.start, mention.end) is None


def _ethnicity(make: FindingMaker, note: NoteRecord) -> list[Finding | None]:
    """ETH001 when no self-defined ethnicity is recorded for anyone in the note (IC codes do
    not count); ETH002 for NS without a reason; ETH003 for a value that is no code or label."""
    out: list[Finding | None] = []
    if not note.ethnicity and not note.unrecognised_ethnicity:
        first = next(
            (p for p in note.persons if p.child), note.persons[0] if note.persons else None
        )
        span = {"start": first.name.start, "end": first.name.end} if first else {}
        out.append(
            make("ETH001", variant="text", severity=Severity.ERROR, field=NOTE_FIELD, **span)
        )
    for rule, values in (
        ("ETH002", note.not_stated_without_reason),
        ("ETH003", note.unrecognised_ethnicity),
    ):
        out.extend(
            make(rule, field=NOTE_FIELD, start=v.start, end=v.end, who=_who(note, v.start))
            for v in values
        )
    return out


def _who(note: NoteRecord, pos: int) -> str:
    owner = next(
        (p for p in note.persons if p.sde is not None and p.sde.start == pos), None
    ) or max(
        (p for p in note.persons if p.name.start < pos), key=lambda p: p.name.start, default=None
    )
    return owner.name.value if owner is not None else "a person in this note"


def _aware(
    make: FindingMaker, text: str, note: NoteRecord, analysis: TextAnalysis
) -> list[Finding | None]:
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
        if element == "words":
            out.extend(_words(make, text, note, analysis, headings.get("words")))
            continue
        if not analysis.aware_evidence.get(element):
            out.append(make(ELEMENT_RULES[element], who=""))
    return out


_QUOTE = re.compile(
    r"\"[^\"\n]{2,400}\"|“[^”\n]{2,400}”"
    + "|"
    + SPOKEN_QUOTE,
    re.IGNORECASE,
)
_SPEECH_VERB = re.compile(
    r"(?:^|[\s(|+,;:])(?P<subject>[A-Za-z][\w'’-]*)?[ \t]*"
    r"(?:said|says|told|tells|asked|asks|replied|replies|stated|states|explained|disclosed|"
    r"whispered|shouted|added|answered|kept saying|keeps saying|repeated)\b[^\"“\n.]{0,40}$",
    re.IGNORECASE,
)


def _child_quote(text: str, note: NoteRecord, lo: int = 0, hi: int | None = None) -> bool:
    """A quotation the child said: "She said "..."", "Said "..."" or "Tomas said "..."", the
    speaker being the child named, or for a pronoun or no subject the person named last
    before it.  (The note reader knows who is a child; the sentence-level speech finder
    does not know whom "she" means.)"""
    children_first = {p.name.value.split()[0] for p in note.persons if p.child}
    if not children_first:
        return False
    for m in _QUOTE.finditer(text, lo, len(text) if hi is None else hi):
        line_start = text.rfind("\n", 0, m.start()) + 1
        # from the newline before the line, so a subject opening the line is seen
        verb = _SPEECH_VERB.search(text, max(line_start - 1, 0, m.start() - 100), m.start())
        if verb is None:
            continue
        subject = verb.group("subject") or ""
        if subject in children_first:
            return True
        if not subject and "shouted" in verb.group().lower():
            continue  # "..., shouted "dirty ..."": the subject is further back, not known here
        if subject.lower() in {"", "she", "he", "they", "child", "boy", "girl"}:
            # "She said" in a note about a child: taken as the child's words unless an adult
            # is named in the same sentence before it (who "she" is cannot be known for
            # sure; a missed adult quote costs a missed AWR007, a wrong one a false alarm)
            # (the verb's match may open with the space after the full stop: "jumper. he said")
            sentence = max(text.rfind(". ", 0, verb.start() + 1), line_start - 1)
            adults = [p for p in note.persons if p.child is False]
            if not any(
                p.name.value.split()[0] in text[sentence + 1 : verb.start()] for p in adults
            ):
                return True
    return False


def _words(
    make: FindingMaker,
    text: str,
    note: NoteRecord,
    analysis: TextAnalysis,
    heading: Heading | None,
) -> list[Finding | None]:
    """The child's voice: what the child said, or why they could not speak.  A Words
    section holding neither is AWR007; a note with no Words section and neither is AWR002
    (adults' words elsewhere in the note are not the child's voice)."""
    if heading is not None:
        # the Words section is where the officer put the child's voice: judge what it holds
        # (a quotation by the mother under "Voice of the child" is not the child's voice)
        lo, hi = heading.body_start, heading.body_end
        inside = [
            s
            for s in (*analysis.child_speech, *analysis.no_speech_reasons)
            if lo <= s.start < hi
        ]
        if inside or _child_quote(text, note, lo, hi):
            return []
        return [make("AWR007", field=NOTE_FIELD, start=lo, end=hi, who="")]
    if analysis.child_speech or analysis.no_speech_reasons or _child_quote(text, note):
        return []
    spoken = _SPOKEN_TO.search(text)
    if spoken is not None:  # "Mason was spoken to ... but did not say anything"
        return [make("AWR007", field=NOTE_FIELD, start=spoken.start(), end=spoken.end(), who="")]
    return [make("AWR002", who="")]


# The child was spoken to, or said nothing: the Words element is there, with nothing in it.
_SPOKEN_TO = re.compile(
    r"\b(?:was|were|been)[ \t]+(?:spoken|talked)[ \t]+(?:to|with)\b[^.\n]{0,80}?\b(?:but|and)[ \t]+"
    r"(?:did[ \t]+not|didn'?t|would[ \t]+not|wouldn'?t|could[ \t]+not|couldn'?t)[ \t]+"
    r"(?:say|tell|talk|speak|answer)[^.\n]*"
    r"|\b(?:said|told[ \t]+(?:us|me|officers))[ \t]+nothing\b[^.\n]*",
    re.IGNORECASE,
)
