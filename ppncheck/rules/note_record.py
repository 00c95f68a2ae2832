"""A free-text note as the record the rules check.

A note is read once into a partial record v1 and checked by the same rules as a structured
record (``rules/registry.py`` says which judge a note):

- its people come from the note reader (``read/note.py``), each value with its span;
- the note itself is the record's narrative (``circumstances``): VB001, TPL001 and CHD001 read
  it there;
- its voice of the child comes from the note's analysis, as one entry for the note as a whole:
  an AWARE element is its section under a heading, or the sentences about it in prose;
- a missing episode graded low or standard in words is its type and grade (RSK001).

``NoteSource`` keeps, for each record path, the span of the note its value came from, so that a
finding on ``persons[1].sde_code`` or ``voice_of_child[0].aware.words`` names the note
(``field="note"``) and the words it concerns.

What only a note needs is read here, once: whose words a quotation is (the reader knows who is
a child), a child spoken to who said nothing, the grade written in words, and whether the note
has enough to read at all: a note TPL001 finds saying nothing is judged by TPL001 (and VB001,
which still reads its wording) only.  A dictated note is read with its spoken capitals
(``read/spoken.cased_for_reading``: the same offsets).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ppncheck.config import Config
from ppncheck.fastre import first_char_guard
from ppncheck.normalise.dates import age_on
from ppncheck.read.note import NotePerson, NoteRecord, Value, read_note
from ppncheck.read.spoken import cased_for_reading
from ppncheck.rules.children import QUOTATION, mentioned
from ppncheck.rules.context import (
    EthnicityEntry,
    NoteSource,
    PersonFacts,
    RecordContext,
    Span,
)
from ppncheck.rules.narrative import note_verdict
from ppncheck.rules.registry import NOTE_RULES, THIN_NOTE_RULES
from ppncheck.shape import NOTE_FIELD
from ppncheck.text.analysis_types import (
    AWARE_ELEMENTS,
    ChildMention,
    Heading,
    PlaceholderVerdict,
    TextAnalysis,
    TextSpan,
)
from ppncheck.text.speakers import names_an_adult, opening_adult, pronoun_continues

NARRATIVE = "circumstances"
VOICE = "voice_of_child[0]"


def note_context(text: str, analysis: TextAnalysis, config: Config) -> RecordContext:
    """The record read from ``text`` (the note as checked: its offsets are the note's), ready
    for the record rules; ``analysis`` is the whole note's."""
    source = NoteSource(offsets={NARRATIVE: 0})  # the narrative is the whole note
    record: dict[str, Any] = {"schema_version": "1.0", NARRATIVE: text}
    ctx = RecordContext(record, config, [], None, None, {NARRATIVE: analysis}, note=source)
    if note_verdict(text, analysis, config) is not None:
        ctx.judged = THIN_NOTE_RULES  # TPL001's: the rest would repeat the same defect
        return ctx
    ctx.judged = NOTE_RULES
    people = read_note(text)
    reading = cased_for_reading(text)
    ctx.persons = _persons(people, source)
    ctx.ethnicity = _ethnicity(people)
    mentions = mentioned(ctx)  # of the people the reader found
    ctx.persons += _named_with_an_age(mentions, ctx.persons)
    record["persons"] = [p.data for p in ctx.persons]
    # a child of the note's own: recorded, or mentioned as one ("her son", "the baby", "Ellie
    # (7)"); a friend-like word with an age ("a cousin aged 16 in Punjab") is someone else's
    # child, for CHD001 only
    source.about_a_child = bool(
        people.children
        or any(
            m.kind not in ("age_phrase", "peer") or m.name or m.relation in (None, "child")
            for m in mentions
        )
    )
    if source.about_a_child:
        child = next((p.name for p in people.persons if p.child), None)
        source.spans[VOICE] = (child.start, child.end) if child else _span(mentions[0])
        record["voice_of_child"] = [{"aware": _aware(ctx, reading, people, analysis)}]
        _missing_episode(record, source, reading)  # RSK001 judges a note about a child only
    return ctx


def _span(value: Any) -> Span:
    return value.start, value.end


# --------------------------------------------------------------------------------------------
# People and their ethnicity


def _persons(people: NoteRecord, source: NoteSource) -> list[PersonFacts]:
    out = []
    for i, person in enumerate(people.persons):
        data = person.to_record(f"p{i + 1}")
        spans = {k: (v["start"], v["end"]) for k, v in data.pop("spans").items()}
        data.pop("is_child", None)
        facts = PersonFacts(
            i,
            data,
            is_child=person.child is True,
            age=_age_of(person, people),
            is_adult=person.child is False,
            recorded=person.recorded,
            spans=spans,
        )
        for key, span in spans.items():
            source.spans[facts.path if key == "name" else f"{facts.path}.{key}"] = span
        out.append(facts)
    return out


def _named_with_an_age(
    mentions: list[ChildMention], persons: list[PersonFacts]
) -> list[PersonFacts]:
    """The children the note names with an age ("Ellie (7)") whom the reader did not read as
    people: in a note, the prose is where a child is recorded (CHD001 counts them)."""
    out: list[PersonFacts] = []
    if not any(m.name and m.age is not None for m in mentions):
        return out
    named = {p.forename.lower() for p in persons if p.recorded and p.forename}
    for m in mentions:
        forename = m.name.split()[0] if m.name else None
        if forename is None or m.age is None or forename.lower() in named:
            continue
        named.add(forename.lower())
        data = {"forename": forename, "age_years": m.age, "roles": ["child_in_household"]}
        out.append(PersonFacts(len(persons) + len(out), data, is_child=True, age=m.age))
    return out


def _age_of(person: NotePerson, note: NoteRecord) -> int | None:
    if person.age is not None:
        return int(person.age.value)
    if person.dob is not None and note.reference_date is not None:
        return age_on(date.fromisoformat(person.dob.value), note.reference_date)
    return None


def _ethnicity(people: NoteRecord) -> list[EthnicityEntry]:
    """Every self-defined ethnicity the note writes, at its span (a value that is no code or
    label as written); a note that writes none has one entry for itself, at its first child's
    (or person's) name."""
    without_reason = {_span(v) for v in people.not_stated_without_reason}
    written = {_span(v): v for v in (*people.ethnicity, *people.not_stated_without_reason)}
    values = [(v.value, span not in without_reason, v) for span, v in written.items()]
    values += [(v.text, False, v) for v in people.unrecognised_ethnicity]
    if not values:
        persons = people.persons
        first = next((p for p in persons if p.child), persons[0] if persons else None)
        name = first.name if first is not None else None
        return [_entry(None, "", name, child=True, variant="text")]
    return [_entry(code, _who(people, v.start), v, has_reason=r) for code, r, v in values]


def _entry(
    code: Any,
    who: str,
    value: Value | None,
    *,
    has_reason: bool = False,
    child: bool = False,
    variant: str | None = None,
) -> EthnicityEntry:
    return EthnicityEntry(
        code=code,
        who=who,
        child=child,
        field=NOTE_FIELD,
        reason_field=NOTE_FIELD,
        has_reason=has_reason,
        start=value.start if value is not None else None,
        end=value.end if value is not None else None,
        variant=variant,
    )


def _who(note: NoteRecord, pos: int) -> str:
    owner = next(
        (p for p in note.persons if p.sde is not None and p.sde.start == pos), None
    ) or max(
        (p for p in note.persons if p.name.start < pos), key=lambda p: p.name.start, default=None
    )
    return owner.name.value if owner is not None else "a person in this note"


# --------------------------------------------------------------------------------------------
# The voice of the child


def _aware(
    ctx: RecordContext, text: str, people: NoteRecord, analysis: TextAnalysis
) -> dict[str, str]:
    """The note's AWARE elements, each with its analysis in ``ctx.texts`` and its span."""
    assert ctx.note is not None
    headings = {h.element: h for h in analysis.headings}
    aware: dict[str, str] = {}
    for element in AWARE_ELEMENTS:
        heading = headings.get(element)
        found = _element(element, text, people, analysis, heading)
        if found is None:
            continue  # neither a heading nor anything about it: absent
        (lo, hi), own = found
        path = f"{VOICE}.aware.{element}"
        # the element as written: its heading and section, or the words about it
        # (a Words heading that points back to the child's words above is those words)
        aware[element] = (
            text[heading.start : hi] if heading is not None and hi > heading.start else text[lo:hi]
        )
        ctx.texts[path] = own
        ctx.note.spans[path] = (lo, hi)
        ctx.note.offsets[path] = lo
    return aware


def _element(
    element: str, text: str, people: NoteRecord, analysis: TextAnalysis, heading: Heading | None
) -> tuple[Span, TextAnalysis] | None:
    verdict = analysis.section_placeholders.get(element)
    if verdict is not None and element == "words" and heading is not None:
        said = [s for s in analysis.child_speech if s.end <= heading.start]
        if said and _POINTS_BACK.search(text, heading.body_start, heading.body_end):
            # "W - as quoted above." after the child's own words: they are recorded
            lo, hi = said[0].start, said[-1].end
            return (lo, hi), _section(analysis, lo, hi)
    if verdict is not None:  # a heading followed only by a placeholder
        lo, hi = (heading.body_start, heading.body_end) if heading else (0, len(text))
        return (lo, hi), _section(analysis, lo, hi, verdict)
    if element == "words":
        return _words(text, people, analysis, heading)
    evidence = analysis.aware_evidence.get(element)
    if not evidence:
        return None
    lo, hi = (heading.body_start, heading.body_end) if heading else _span(evidence[0])
    return (lo, hi), _section(analysis, lo, hi)


# a placeholder that points back to what the note already says: "as (quoted) above"
_POINTS_BACK = re.compile(r"\b(?:as|see)[ \t]+(?:quoted[ \t]+|per[ \t]+|noted[ \t]+)?above\b", re.I)


def _section(
    analysis: TextAnalysis,
    lo: int,
    hi: int,
    placeholder: PlaceholderVerdict | None = None,
    quotes: tuple[TextSpan, ...] = (),
) -> TextAnalysis:
    """What the rules read of one stretch of the note, with offsets inside it."""

    def inside(spans: list[TextSpan] | tuple[TextSpan, ...]) -> list[TextSpan]:
        return [
            TextSpan(s.start - lo, s.end - lo, s.label, s.source)
            for s in spans
            if lo <= s.start < hi
        ]

    return TextAnalysis(
        text_length=hi - lo,
        placeholder=placeholder,
        child_speech=inside((*analysis.child_speech, *quotes)),
        no_speech_reasons=inside(analysis.no_speech_reasons),
        components=analysis.components,
    )


def _words(
    text: str, people: NoteRecord, analysis: TextAnalysis, heading: Heading | None
) -> tuple[Span, TextAnalysis] | None:
    """The child's voice: what the child said, or why they could not speak.  Under a Words
    heading, what its section holds (a quotation by the mother under "Voice of the child" is
    not the child's voice); without one, the child's words anywhere in the note, else a child
    spoken to who said nothing (the element there, empty), else nothing (absent: adults' words
    elsewhere are not the child's voice)."""
    if heading is not None:
        lo, hi = heading.body_start, heading.body_end
        words = _section(analysis, lo, hi)
        if not (words.child_speech or words.no_speech_reasons):  # a quotation, maybe
            words = _section(analysis, lo, hi, quotes=child_quotes(text, people, lo, hi))
        return (lo, hi), words
    voiced = [*analysis.child_speech, *analysis.no_speech_reasons]
    quotes = () if voiced else child_quotes(text, people)
    if voiced or quotes:
        first = min((*voiced, *quotes), key=lambda s: s.start)
        lo, hi = first.start, max(first.end, first.start + 1)
        return (lo, hi), _section(analysis, lo, hi, quotes=quotes)
    spoken = _SPOKEN_TO.search(text)
    if spoken is not None:  # "Mason was spoken to ... but did not say anything"
        lo, hi = spoken.span()
        return (lo, hi), _section(analysis, lo, hi)
    return None


_SPEECH_VERB = re.compile(
    r"(?:^|[\s(|+,;:])(?P<subject>[A-Za-z][\w'’-]*)?[ \t]*"
    r"(?:said|says|told|tells|asked|asks|replied|replies|stated|states|explained|disclosed|"
    r"whispered|shouted|added|answered|kept saying|keeps saying|repeated)\b[^\"“\n.]{0,40}$",
    re.IGNORECASE,
)


def child_quotes(
    text: str, note: NoteRecord, lo: int = 0, hi: int | None = None
) -> tuple[TextSpan, ...]:
    """The first quotation the child said: "She said "..."", "Said "..."" or "Tomas said
    "..."", the speaker being the child named, or for a pronoun or no subject the person named
    last before it.  (The note reader knows who is a child; the sentence-level speech finder
    does not know whom "she" means.)"""
    children_first = {p.name_words[0].lower() for p in note.persons if p.child}
    if not children_first:
        return ()
    for m in QUOTATION.finditer(text, lo, len(text) if hi is None else hi):
        line_start = text.rfind("\n", 0, m.start()) + 1
        # from the newline before the line, so a subject opening the line is seen
        verb = _SPEECH_VERB.search(text, max(line_start - 1, 0, m.start() - 100), m.start())
        if verb is None:
            continue
        subject = verb.group("subject") or ""
        quote = (TextSpan(m.start(), m.end(), "child_quote", "note_reader"),)
        if subject.lower() in children_first:  # "fatou said" in a shorthand note
            return quote
        if not subject and "shouted" in verb.group().lower():
            continue  # "..., shouted "dirty ..."": the subject is further back, not known here
        if subject.lower() in {"", "she", "he", "they", "child", "boy", "girl"}:
            # "She said" in a note about a child: taken as the child's words unless an adult
            # is named in the same sentence before it (who "she" is cannot be known for
            # sure; a missed adult quote costs a missed AWR007, a wrong one a false alarm)
            # (the verb's match may open with the space after the full stop: "jumper. he said")
            sentence = max(text.rfind(". ", 0, verb.start() + 1), line_start - 1)
            adults = [p for p in note.persons if p.child is False]
            if any(p.name_words[0] in text[sentence + 1 : verb.start()] for p in adults):
                continue
            if not subject and names_an_adult(text[sentence + 1 : verb.start()]):
                continue  # "Mum phoned and returned - says she went ... "for an hour""
            # "Mum says they were upstairs. She says they "just want ...": the sentence before
            # opens with an adult, whom "She" goes on with
            # (the sentence before ends at a full stop or a line break, whichever is later)
            cut = max(text.rfind(". ", 0, max(sentence, 0)), text.rfind("\n", 0, max(sentence, 0)))
            before = text[max(lo, cut + 1) : sentence + 1]
            opening = before.lstrip(" \t\n:-")
            if pronoun_continues(subject, opening_adult(opening)) or any(
                # "Mihai was very angry. He said ...": a person the reader does not know to be a
                # child (an adult, or of no age given) opens the sentence before
                opening.startswith(p.name_words[0])
                for p in note.persons
                if not p.child
            ):
                continue
            return quote
    return ()


# The child was spoken to, or said nothing: the Words element is there, with nothing in it.
_SPOKEN_TO = re.compile(
    first_char_guard(
        "[bstw]",
        r"\b(?:was|were|been)[ \t]+(?:spoken|talked)[ \t]+(?:to|with)\b[^.\n]{0,80}?"
        r"\b(?:but|and)[ \t]+"
        r"(?:did[ \t]+not|didn'?t|would[ \t]+not|wouldn'?t|could[ \t]+not|couldn'?t)[ \t]+"
        r"(?:say|tell|talk|speak|answer)[^.\n]*"
        r"|\b(?:said|told[ \t]+(?:us|me|officers))[ \t]+nothing\b[^.\n]*",
    ),
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# A missing episode and its grade, in words


# searched in the lower-cased note (whether it says so is all that counts): twice as fast as
# re.IGNORECASE over a note that does not.  \b(?:missing|misper|mfh|absent from|did not return|
# didn'?t return|not come home|didn'?t come (?:back|home)|did not come (?:back|home)|not
# returned)\b with the phrases grouped by first letter (in order) and the boundary tested after
# it (``fastre``): re skips to those letters
_MISSING = re.compile(
    r"(?:m(?<!\wm)(?:issing|isper|fh)|a(?<!\wa)bsent from"
    r"|d(?<!\wd)(?:id not return|idn'?t return|idn'?t come (?:back|home)|id not come (?:back|home))"
    r"|n(?<!\wn)(?:ot come home|ot returned))\b"
)
_LOW_GRADE = re.compile(
    first_char_guard(
        "[aglrs]",
        r"\b(?:graded|grade|assessed|rated|risk(?:[ \t]+(?:level|grading|rating|assessment))?)\b"
        r"[ \t:=-]*"
        r"(?:(?:him|her|them|it|this|the[ \t]+child|the[ \t]+episode)[ \t]+)?(?:as[ \t]+|at[ \t]+)?"
        r"(?P<g1>low|standard)\b"
        r"|\b(?P<g2>low|standard)[ \t-]+risk\b",
    ),
    re.IGNORECASE,
)
_NOT_LOW = re.compile(
    # (in the grade's own clause: "did not come back from the shops, and she was graded as
    # standard" is a standard grade)
    r"\b(?:not|never|cannot|can'?t|no longer|rather than|instead of|upgraded|raised|moved|"
    r"changed|increased|escalated|regraded|re-graded|dash|s-dash)\b[^.,;\n]{0,25}$",
    re.IGNORECASE,
)


def _missing_episode(record: dict[str, Any], source: NoteSource, text: str) -> None:
    """A missing episode (``ppn_types``) and, when the note grades it low or standard
    ("Graded as standard risk by control", "Risk: low"), that grade and its span.  "Never low
    risk", "upgraded from standard" and a DASH grade are not the episode's grade."""
    lowered = text.lower()
    if _MISSING.search(lowered) is None:
        return
    record["ppn_types"] = ["missing_person"]
    if "low" not in lowered and "standard" not in lowered:
        return  # no grade the rule is about, without scanning for one
    for m in _LOW_GRADE.finditer(text):
        if _NOT_LOW.search(text, max(0, m.start() - 40), m.start()):
            continue
        record["officer_risk_grade"] = (m.group("g1") or m.group("g2")).lower()
        source.spans["officer_risk_grade"] = m.span()
        return
