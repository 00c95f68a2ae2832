"""CHD001: children mentioned in the narrative but not recorded as persons.

Inspectors found children at risk left out of PPNs.  A named child is matched by forename.
Unnamed mentions ("her two younger brothers", "the baby") cannot be matched one by one, so they
are counted: siblings and friends are children other than the subject; a baby, son or daughter
may be the subject.  The rule fires when fewer children are recorded than the narrative implies.

Not every mention is a child of this PPN (``children_mentioned``): a recorded person's own
introduction ("her son Tyler B., DOB ..."), the law about any child ("a 17-year-old cannot
consent"), words inside a quotation, "a toddler bed", the unborn baby of a pregnancy, an
adult's brother or sister.  A dictated narrative is read with its spoken capitals
(``read/spoken.cased_for_reading``, the same offsets), so names are found in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from ppncheck.findings import Finding
from ppncheck.read.spoken import SPOKEN_QUOTE, cased_for_reading
from ppncheck.rules.context import FindingMaker, PersonFacts, RecordContext
from ppncheck.text.analysis_types import (
    ANOTHER_CHILD_RELATION,
    SCHOOL_YEAR_RELATION,
    ChildMention,
)
from ppncheck.text.tables import children_table

OTHER_CHILD_RELATIONS = frozenset(
    {
        "brother",
        "sister",
        "sibling",
        "stepbrother",
        "stepsister",
        "half-brother",
        "half-sister",
        "half brother",
        "half sister",
        "friend",
        "cousin",
        "twin",
        ANOTHER_CHILD_RELATION,
    }
)


# "her friend, also 14": a friend, cousin or classmate is another child than any the note
# records by age alone; only a name would account for them.
ANOTHER_CHILD = frozenset(
    {
        "friend",
        "mate",
        "pal",
        "cousin",
        "peer",
        "associate",
        "boyfriend",
        "girlfriend",
        "neighbour",
        "classmate",
        "nephew",
        "niece",
    }
)


# "No children involved.", "Children present: 0": the officer says the PPN has no child
_NO_CHILDREN = re.compile(
    r"\bno[ \t]+(?:children|kids|child|under[ -]?18s?)"
    r"(?:[ \t]+or[ \t]+(?:grandchildren|grandkids|step-?children))?[ \t]+(?:are[ \t]+|were[ \t]+)?"
    r"(?:involved|present|at[ \t]+the[ \t]+address|"
    r"in[ \t]+(?:the|either|her|his|their|this|that)[ \t]+(?:household|home|house|address)|"
    r"live|living|resident)\b"
    r"|\bchildren[ \t]+(?:present|involved|in[ \t]+household)[ \t]*[:=?-][ \t]*"
    r"(?:0|none|no|nil|n)\b",
    re.IGNORECASE,
)
OFFSPRING = frozenset({"son", "daughter", "child", "children", "sons", "daughters"})
ADULT_ONLY_TYPES = frozenset({"adult_at_risk", "mental_health"})
BABY_MAX_AGE = 2


def _relation(mention: ChildMention) -> str | None:
    rel = (mention.relation or "").lower().strip()
    if rel.endswith("s") and rel[:-1] in OTHER_CHILD_RELATIONS:
        rel = rel[:-1]
    return rel or None


_SEX_OF_RELATION = {"son": "male", "brother": "male", "daughter": "female", "sister": "female"}


def unrecorded(
    mentions: Sequence[ChildMention],
    recorded_forenames: set[str],
    recorded_ages: Sequence[int | None],
    recorded_sexes: Sequence[str | None] = (),
) -> list[ChildMention]:
    """The mentions that the recorded children (their forenames and ages) cannot account for.

    Each mention is accounted for on its own terms: a named child by forename, a baby by a
    recorded child of two or under, "a 14-year-old" by a recorded child of that age.  Unnamed
    siblings and groups are counted: "his sister" needs two recorded children (the child and
    the sister), "her brother" and "her sister" three, "all three children" three.
    """
    missing = [
        m for m in mentions if m.name and m.name.split()[0].lower() not in recorded_forenames
    ]
    siblings: dict[str, int] = {}
    group = 0
    counted: list[ChildMention] = []
    for m in mentions:
        if m.name:
            continue
        if m.kind == "peer":
            missing.append(m)  # "her friend from school": another child, only a name records
            continue
        rel = _relation(m)
        sex = _SEX_OF_RELATION.get(rel or "")
        if (
            sex
            and m.count == 1
            and m.age is None
            and recorded_sexes
            and None not in recorded_sexes
            and sex not in recorded_sexes
        ):
            missing.append(m)  # "her older son" where the recorded children are all girls
            continue
        if m.kind == "baby" or rel == "baby":
            if not any(age is None or age <= BABY_MAX_AGE for age in recorded_ages):
                missing.append(m)  # "the baby" when the only recorded child is 8
                continue
            group = max(group, m.count)
        elif m.age is not None:
            # "a Year 8 pupil" is 12 or 13: the school year gives the age within a year
            ages = (m.age, m.age + 1) if rel == SCHOOL_YEAR_RELATION else (m.age,)
            if rel in ANOTHER_CHILD or not any(age is None or age in ages for age in recorded_ages):
                missing.append(m)
                continue
        elif rel in OTHER_CHILD_RELATIONS:
            siblings[rel] = max(siblings.get(rel, 0), m.count)
        else:
            group = max(group, m.count)
        counted.append(m)
    # A sibling or friend is a child besides the one whose sibling or friend they are.
    needed = max(group, 1 + sum(siblings.values()) if siblings else 0)
    if counted and len(recorded_ages) < needed:
        missing.append(counted[0])
    return sorted(missing, key=lambda m: m.start)


def findings_for(
    make: FindingMaker,
    path: str | None,
    mentions: Sequence[ChildMention],
    recorded_forenames: set[str],
    recorded_ages: Sequence[int | None],
    label: str,
    recorded_sexes: Sequence[str | None] = (),
) -> Iterator[Finding | None]:
    for m in unrecorded(mentions, recorded_forenames, recorded_ages, recorded_sexes):
        what = "a named child" if m.name else "a child"
        if m.relation == ANOTHER_CHILD_RELATION:
            what = ANOTHER_CHILD_RELATION
        elif m.relation:
            what = (
                f"the child's {m.relation}"
                if m.count == 1
                else f"{m.count} children ({m.relation})"
            )
        yield make(
            "CHD001",
            field=path,
            start=m.start,
            end=m.end,
            label=label,
            mention=what,
            details={"kind": m.kind, "count": m.count, "relation": m.relation, "age": m.age},
        )


def check(ctx: RecordContext) -> Iterator[Finding | None]:
    mentions = mentioned(ctx)
    if not mentions:
        return
    recorded = [p for p in ctx.persons if p.recorded]
    yield from findings_for(
        ctx.finding,
        "circumstances",
        mentions,
        {p.forename.lower() for p in recorded if p.forename},
        [p.age for p in recorded if p.is_child],
        "note" if ctx.note is not None else "circumstances",
        [_sex(p) for p in recorded if p.is_child],
    )


def _sex(person: PersonFacts) -> str | None:
    sex = person.data.get("sex")
    return sex if sex in ("male", "female") else None


def mentioned(ctx: RecordContext) -> list[ChildMention]:
    """The narrative's mentions of children of this PPN (``children_mentioned``), read once."""
    if ctx.child_mentions is None:
        analysis = ctx.texts.get("circumstances")
        text = ctx.record.get("circumstances")
        ctx.child_mentions = (
            children_mentioned(text, analysis.child_mentions, ctx.persons)
            if analysis is not None and analysis.child_mentions and isinstance(text, str)
            else []
        )
        types = ctx.record.get("ppn_types")
        if (isinstance(types, list) and types and set(types) <= ADULT_ONLY_TYPES) or (
            isinstance(text, str) and _NO_CHILDREN.search(text)
        ):
            # "His daughter visits fortnightly" in an adult-at-risk PPN, or in a note that
            # says "No children involved", is usually an adult; "her little boy" is not
            ctx.child_mentions = [
                m
                for m in ctx.child_mentions
                if m.name
                or m.age is not None
                or m.relation not in OFFSPRING
                or (isinstance(text, str) and _CHILD_MARK.search(text, m.start, m.end))
            ]
    return ctx.child_mentions


def children_mentioned(
    text: str, mentions: Sequence[ChildMention], persons: Sequence[PersonFacts]
) -> list[ChildMention]:
    """The mentions that may be children of this PPN: not a recorded person's own
    introduction, not the law about any child, not an adult's bare sibling, not quoted, not a
    thing for a child or the unborn baby."""
    text = cased_for_reading(text)  # a dictated narrative with its spoken capitals
    introduced = [p for p in persons if p.recorded and "name" in p.spans]
    return [
        _the_siblings_themselves(text, m)
        for m in mentions
        if not _introduces_recorded(text, m, introduced)
        and not _general_statement(text, m)
        and not _bare_sibling(text, m)
        and not _quoted(text, m)
        and not _not_a_child_here(text, m, persons)
    ]


_POSSESSIVE = re.compile(r"\b(?:her|his|their|its|my|our|your|[A-Za-z]+['’]s)\b", re.IGNORECASE)


def _the_siblings_themselves(text: str, mention: ChildMention) -> ChildMention:
    """ "both sisters", "the two brothers": siblings named without whose they are are the
    children themselves, counted as a group, not as siblings besides another child."""
    if (
        mention.kind != "relation"
        or mention.count < 2
        or _relation(mention) not in (OTHER_CHILD_RELATIONS)
    ):
        return mention
    if _POSSESSIVE.search(text, mention.start, mention.end):
        return mention
    return replace(mention, relation=None)


def _introduces_recorded(text: str, mention: ChildMention, recorded: list[PersonFacts]) -> bool:
    """ "her son Tyler B., DOB ...", "Bilal CHAUDHRY 17 y/o": the mention is part of a recorded
    person's own introduction in the narrative (just before the name, or one of the person's
    values)."""
    for p in recorded:
        name_start, name_end = p.spans["name"]
        if name_start - 60 <= mention.end <= name_end + 1 and not (
            # "Present: Reece, his little sister.\n\nReece GRANT, 14": another line, so no
            # introduction of the name
            mention.end < name_start and "\n" in text[mention.end : name_start]
        ):
            return True
        if mention.start <= name_start < mention.end:
            return True
        for key in ("age_years", "dob"):
            value = p.spans.get(key)
            if value is not None and mention.start <= value[0] < mention.end + 1:
                return True
    return False


_GENERAL = re.compile(
    r"[ \t]*(?:cannot|can't|can not|could not|is not able|is unable|is too young|"
    r"in law|under the law|would not be able|is not capable)\b",
    re.IGNORECASE,
)
_CHILD_MARK = re.compile(
    r"\b(?:younger|little|wee|baby|twin|infant|young|youngest|newborn|new-born|teenage|\d{1,2}|"
    r"two|three|four|five|six|both)\b",
    re.IGNORECASE,
)


_PERSONA = re.compile(
    r"(?:\bas|\bto[ \t]+be|\bposing[ \t]+as|\bpretending[ \t]+to[ \t]+be|\bclaim(?:s|ed|ing)"
    r"[ \t]+to[ \t]+be|\bcalling[ \t]+(?:him|her|them)self|\b(?:thought|believed|purport(?:ed|ing))"
    r"[ \t]+(?:was|to[ \t]+be|it[ \t]+was)|\b(?:said|says|saying|claim(?:s|ed|ing)|"
    r"pretend(?:s|ed|ing)|told[ \t]+\w+)[ \t]+(?:that[ \t]+)?(?:he|she|they|it)"
    r"[ \t]+(?:was|is|were|are))[ \t]+an?[ \t]*$",
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
    """ "A 17-year-old cannot consent": the law about any child, not a child of this PPN;
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


def _not_a_child_here(text: str, mention: ChildMention, persons: Sequence[PersonFacts]) -> bool:
    """Mentions that name no child of this PPN: "a toddler bed" (a thing), "around toddlers"
    (children in general), "her brothers" or "their son" of an older adult."""
    words = text[mention.start : mention.end].split()
    if _CHILD_THING.match(text, mention.end):
        return True
    if _unborn(text, mention):
        return True
    if mention.age is None and _an_older_adults_own(words, mention, persons):
        return True
    if mention.age is not None or _CHILD_MARK.search(" ".join(words)):
        return False
    if mention.name:
        # "Mark SUTTON 37 ... His sister Claire SUTTON rang in": an adult's sister, named
        return _an_adults_relative(text, mention, persons)
    if len(words) == 1 and words[0].lower().endswith("s"):
        return True  # a bare plural: "around toddlers", "children"
    rel = _relation(mention)
    if rel in OTHER_CHILD_RELATIONS and (
        _OLDER.search(" ".join(words)) or _called_older_elsewhere(text, rel)
    ):
        owner = _last_person_before(text, mention.start, persons)
        if owner is not None and isinstance(owner.age, int) and owner.age >= OLDER_SIBLING_OF:
            # "her older brothers" of a 17-year-old: no mark of a child; and "her brothers"
            # again later in a note that called them older
            return True
    return _an_adults_relative(text, mention, persons)


def _an_adults_relative(text: str, mention: ChildMention, persons: Sequence[PersonFacts]) -> bool:
    """The person named last before the mention is an adult, and the mention is their brother
    or sister, or (they being 60 or more) their son or daughter."""
    if mention.relation in {"son", "daughter", "brother", "sister", "sibling"}:
        owner = _last_person_before(text, mention.start, persons)
        if owner is not None and owner.is_adult:
            age = owner.data.get("age_years")
            if mention.relation not in {"son", "daughter"} or (isinstance(age, int) and age >= 60):
                return True  # an adult's siblings, an older adult's son or daughter
    return False


def _an_older_adults_own(
    words: list[str], mention: ChildMention, persons: Sequence[PersonFacts]
) -> bool:
    """ "Margaret's daughter Anne", Margaret being 84: the son or daughter of a person the note
    gives an age of 60 or more, or the brother or sister of an adult, named with a
    possessive ("Aoife's sister", Aoife being 35)."""
    if not words or not words[0].endswith(("'s", "’s")) or _CHILD_MARK.search(" ".join(words)):
        return False
    if mention.relation not in {"son", "daughter", "brother", "sister", "sibling"}:
        return False
    owner = words[0][:-2].lower()
    if mention.relation in {"brother", "sister", "sibling"}:  # "Aoife's sister", Aoife 35
        return any((p.forename or "").lower() == owner and p.is_adult for p in persons)
    return any(
        (p.forename or "").lower() == owner and isinstance(p.age, int) and p.age >= 60
        for p in persons
    )


_OLDER = re.compile(r"\b(?:older|elder|eldest|big)\b", re.IGNORECASE)


def _called_older_elsewhere(text: str, relation: str) -> bool:
    """The note calls this relation older somewhere ("her older brothers found out ...")."""
    return (
        re.search(
            rf"\b(?:older|elder|eldest|big)[ \t]+(?:half-|step-?)?{re.escape(relation)}s?\b",
            text,
            re.IGNORECASE,
        )
        is not None
    )


OLDER_SIBLING_OF = 13  # an older brother or sister of a child this old may well be an adult


def _unborn(text: str, mention: ChildMention) -> bool:
    """ "a cot ready for the baby" in a PPN about a pregnancy: the unborn baby."""
    if mention.kind != "baby" or mention.name or mention.age is not None or mention.count > 1:
        return False
    cues = children_table().unborn_cues
    if cues is not None and cues.search(text) is not None:
        return True
    return _GESTATION.search(text) is not None


# a midwife's "16/40": sixteen weeks of a forty-week pregnancy
_GESTATION = re.compile(r"(?<![\w/])(?:[4-9]|[1-3]\d|4[0-2])/40(?![\w/])")


def _last_person_before(text: str, pos: int, persons: Sequence[PersonFacts]) -> PersonFacts | None:
    """The person named last before ``pos`` (by forename, anywhere in the narrative)."""
    best: tuple[int, PersonFacts] | None = None
    lowered = text.lower()  # "aoife's sister" in a note typed in lower case
    for person in persons:
        if person.forename is None:
            continue
        at = lowered.rfind(person.forename.lower(), 0, pos)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, person)
    return best[1] if best else None


# someone's quoted words: typed in quotation marks, or dictated ("quote ... unquote")
QUOTATION = re.compile(
    r"\"[^\"\n]{2,400}\"|“[^”\n]{2,400}”" + "|" + SPOKEN_QUOTE,
    re.IGNORECASE,
)


def _quoted(text: str, mention: ChildMention) -> bool:
    """Inside someone's quoted words on the same line ("she said I was a baby"), or inside
    a dictated quote ("he said quote ... my son unquote")."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    before = text[line_start : mention.start]
    if (before.count('"') % 2 == 1) or before.count("“") > before.count("”"):
        return True
    return "quote" in before.lower() and any(
        m.start() <= mention.start < m.end() for m in QUOTATION.finditer(text, line_start)
    )


def _bare_sibling(text: str, mention: ChildMention) -> bool:
    """ "She has her sister's support": one brother or sister with no name, age, number or
    child's mark ("younger", "little") cannot be told from an adult's sibling, so it is not
    taken as a child of the PPN."""
    if mention.kind != "relation" or mention.age is not None or mention.count > 1 or mention.name:
        return False
    if mention.relation not in OTHER_CHILD_RELATIONS or mention.relation == ANOTHER_CHILD_RELATION:
        return False  # "another girl" says child in its own noun
    return _CHILD_MARK.search(text, mention.start, mention.end) is None
