"""Find children mentioned in a narrative: named with an age, by relation, babies, age phrases.

Inspectors found children at risk left out of PPNs; the narrative usually gives them away
("her two younger brothers", "the baby", "a 14-year-old friend", "Ellie (7)").  A sibling word
counts when something marks a child (a number, "younger", "little", a possessive "her"), a
generic "child"/"children" only with a number (alone it names the note's own subject), and a
friend-like word only with an age under the adult age.  Word lists live in
``data/children.toml``.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from ppncheck.caseless import caseless
from ppncheck.fastre import first_char_guard
from ppncheck.text.analysis_types import (
    ANOTHER_CHILD_RELATION,
    SCHOOL_YEAR_RELATION,
    ChildMention,
)
from ppncheck.text.speakers import names_a_child, names_an_adult, opening_adult
from ppncheck.text.tables import _ALNUM_RUN, ChildrenTable, PhraseFinder, word_runs

_NAME = r"(?P<name>[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?:[ \t]+[A-Z][a-z]+)?)"
_AGE_UNIT = r"(?:[ \t]*(?:yrs?|years?|y/?o|yo)(?:[ \t]+old)?)?"
_NAMED = re.compile(
    _NAME + r"(?:"
    r"[ \t]*\([ \t]*(?:aged?[ \t]*)?(?P<age>\d{1,2})" + _AGE_UNIT + r"[ \t]*\)"
    r"|[ \t]*\([ \t]*(?P<months>\d{1,2})[ \t]*(?:months?|mths?|weeks?|wks?)(?:[ \t]+old)?[ \t]*\)"
    r"|,?[ \t]+aged[ \t]+(?P<age2>\d{1,2})(?![\d/])"
    r"|,[ \t]*(?P<age3>\d{1,2})" + _AGE_UNIT + r"[ \t]*(?=[,)])"
    r"|[ \t]*\([ \t]*(?i:dob|d\.o\.b\.?|born)[ \t:]*(?P<dob>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})"
    r")",
)
# Each alternative starts with a digit or a literal so that ``re`` can skip ahead quickly.
_AGE_PHRASE = re.compile(
    first_char_guard(
        r"[\da]",
        # not "12 years older"
        r"(?<!\d)(?P<age>\d{1,2})[ \t-]*(?:[Yy]ears?|[Yy]rs?)[ \t-]*[Oo]ld\b"
        r"(?:[ \t]+(?P<noun>[a-z][a-z-]*))?"
        r"|(?<!\d)(?P<age2>\d{1,2})[ \t]*(?:yo|y/o|YO)\b(?:[ \t]+(?P<noun2>[a-z][a-z-]*))?"
        r"|aged[ \t]+(?P<age3>\d{1,2})(?![\d/])",
    )
)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|An?)[ \t]+$")
_NOUN_BEFORE = re.compile(r"\b(?P<noun3>[a-z][a-z-]*)[ \t]+$")
# where a named form can go on after its name: a bracket or comma only with an age or a date
# of birth after it (most of a note's commas have none: the look-back for a name is skipped)
_NAMED_TRIGGER = re.compile(
    r"\((?=[ \t]*(?:aged?[ \t]*)?\d|[ \t]*(?i:dob|d\.o\.b|born))|,(?=[ \t]*\d|[ \t]+aged)|aged"
)
_NAME_BEFORE = re.compile(_NAME + r"[ \t]*$")
_MODS = (
    r"(?:(?:younger|older|little|big|baby|twin|infant|young|elder|eldest|youngest|oldest|"
    r"new-born|newborn|half|step|teenage|two-year-old|other|wee)[ \t-]+){0,2}"
)
# an age that is a guess: "another lad, about 16", "a girl, thought to be around 14"
_ABOUT = (
    r"(?:(?:thought|believed|estimated|said)[ \t]+to[ \t]+be[ \t]+)?"
    r"(?:(?:about|around|approx\.?|approximately|roughly|maybe|possibly|c\.)[ \t]+)?"
)
_TRAIL_AGE = re.compile(
    r"[ \t]*(?:\([ \t]*(?:aged?[ \t]*)?(?P<age>\d{1,2})" + _AGE_UNIT + r"[ \t]*\)"
    r"|,?[ \t]+aged[ \t]+(?P<age2>\d{1,2})"
    r"|,[ \t]*(?:also[ \t]+)?"
    + _ABOUT
    + r"(?:aged?[ \t]+)?(?P<age3>\d{1,2})(?![\d/:.]\d)"
    + _AGE_UNIT
    + r"\b)"
)
# "her son, Tyler": a name straight after; not the first word of a place or body
# ("all three children, Holbeck Fen Academy for ...")
_TRAIL_NAME = re.compile(r"[ \t,]+(?P<name>[A-Z][a-z]+)\b(?![ \t]+[A-Z][a-z])")
# "..., Ardit, who she thinks is 26", "Ardit (26)", "Ardit, aged 26": the named one's age
_AGE_AFTER_NAME = re.compile(
    r"[ \t]*(?:,[ \t]*(?:who|whom)[ \t]+(?:[a-z]+[ \t]+){0,3}?(?:is|was|be)[ \t]+(?:about[ \t]+)?"
    r"|,?[ \t]*\([ \t]*|,[ \t]*(?:aged?[ \t]+)?)(?P<age>\d{1,2})(?![\d/:.]\d)\b"
)
_CHILD_MARKS = {
    "younger",
    "little",
    "baby",
    "twin",
    "infant",
    "young",
    "youngest",
    "newborn",
    "new-born",
    "teenage",
    "two-year-old",
    "wee",
}
_NAME_IS_BEFORE = re.compile(
    r"(?P<name>[A-Z][a-z]+)[ \t]+(?:is|was)[ \t]+"
    r"(?:(?:[A-Z][\w-]*['’]s|his|her|their|a|an)[ \t]+)?$"
)
_SCHOOL_YEAR_BEFORE = re.compile(r"\b(?:year|yr|y)\.?[ \t]*$", re.IGNORECASE)
# "her two older brothers, both adults", "her sons (both grown up)"
_GROWN_AFTER = re.compile(
    r"[ \t]*[,(][ \t]*(?:both|all|who[ \t]+are|now)?[ \t]*(?:adults|grown[ -]?up)\b",
    re.IGNORECASE,
)
# a relation word capitalised in the middle of a sentence, after a capitalised word (or its
# possessive) on the same line: part of a school's or a body's name ("St Mary's Infants")
_IN_A_TITLE = re.compile(r"(?<![.!?:;\n][ \t])(?<!^)\b[A-Z][a-z]+(?:['’]s)?[ \t]+[A-Z][a-z]+$")
# "her youngest son": the word after a noun "youngest" names the relation itself
_NOUN_AFTER = re.compile(r"[ \t]+(?P<word>[a-z]+)")
_POSSESSIVE = {"her", "his", "their", "our", "my"}
_SIBLING = {"brother", "sister", "sibling", "son", "daughter"}
_SENTENCE_END = re.compile(r"[.!?\n][^.!?\n]*$")
_DIGIT = re.compile(r"\d")
_SCHOOL_WORDS = frozenset({"school", "class", "year", "form", "yr"})
# one friend-like word (not a group: "friends from school" are no one child) at school
_SCHOOL_PEER = re.compile(
    r"\b(?:(?:a|her|his|their|one)[ \t]+)?(?P<peer>friend|mate|pal|classmate)[ \t]+"
    r"(?:from|at|in)[ \t]+(?:(?:her|his|their|the|same|school)[ \t]+)?"
    r"(?:school|class|year|form)\b",
    re.IGNORECASE,
)
# "a Year 8 Pakistani pupil", "a yr 10 girl": a school year before the child's noun
_YEAR_PUPIL = re.compile(
    r"\b(?:a|an|one)[ \t]+(?:year|yr\.?)[ \t]*(?P<year>\d{1,2})[ \t]+(?:[A-Za-z-]+[ \t]+){0,2}"
    r"(?:pupil|student|girl|boy|lad|lass|child)\b",
    re.IGNORECASE,
)
# the counts _OTHER_N takes; it needs "other" and one of them standing whole
_OTHER_COUNTS = frozenset({"two", "three", "four", "five", "2", "3", "4", "5"})
# "the other two were at their dad's": children counted with no noun (a verb or a stop follows)
_OTHER_N = re.compile(
    r"\b(?:the|her|his|their)[ \t]+other[ \t]+(?P<num>two|three|four|five|2|3|4|5)\b"
    r"(?=[ \t]+(?:were|are|had|have|stay|stayed|live|lived|went|go|came|being)\b)",
    re.IGNORECASE,
)


_FINDERS: dict[int, tuple[PhraseFinder, re.Pattern[str]]] = {}


def _relation_finders(table: ChildrenTable) -> tuple[PhraseFinder, re.Pattern[str]]:
    """The relation words, and what may come before one (determiner, number, modifiers)."""
    cached = _FINDERS.get(id(table))
    if cached is not None:
        return cached
    nums = "|".join(re.escape(w) for w in sorted(table.numbers, key=len, reverse=True))
    before = re.compile(
        r"(?:(?P<det>\b(?:her|his|their|our|my|the|a|an|another)|\b[A-Z][a-z]+(?:'s|’s))[ \t]+)?"
        r"(?:(?P<num>\b(?:" + nums + r")|(?<![\w:./])\d{1,2})[ \t]+)?"
        r"(?P<mods>" + _MODS + r")$",
        re.IGNORECASE,
    )
    finders = (PhraseFinder(table.relation_of), before)
    _FINDERS[id(table)] = finders
    return finders


def find_child_mentions(text: str, table: ChildrenTable) -> list[ChildMention]:
    """Mentions in text order; overlapping finds keep the most specific (named > age > relation)."""
    found: list[tuple[int, ChildMention]] = []
    has_digit = _DIGIT.search(text) is not None  # every named and age form has a digit
    for m in _named_matches(text) if has_digit else ():
        name = m.group("name")
        if name.split()[0].lower() in STOP_WORDS or name.split()[0] in {"Mr", "Mrs", "Ms", "Dr"}:
            continue
        age = _first_int(m.group("age"), m.group("age2"), m.group("age3"))
        if m.group("months"):
            age = 0
        if age is not None and age >= table.adult_age:
            continue
        found.append((0, ChildMention(m.start(), m.end(), "named", name=name, age=age)))

    for m in _AGE_PHRASE.finditer(text) if has_digit else ():
        age = _first_int(m.group("age"), m.group("age2"), m.group("age3"))
        if age is None or age >= table.adult_age:
            continue
        start = m.start()
        noun = (m.group("noun") or m.group("noun2") or "").lower()
        if m.group("age3") is not None:
            before = _NOUN_BEFORE.search(text, max(0, start - 30), start)
            noun = before.group("noun3").lower() if before else ""
            if noun not in table.age_only and noun not in table.relation_of:
                continue
            start = before.start() if before else start
        else:
            article = _ARTICLE_BEFORE.search(text, max(0, start - 4), start)
            start = article.start() if article else start
        relation = table.relation_of.get(noun) or (noun if noun in table.age_only else None)
        relation = _singular(relation)
        found.append((1, ChildMention(start, m.end(), "age_phrase", age=age, relation=relation)))

    # both patterns below need words of theirs standing whole: not scanned where none is
    runs = word_runs(text)
    age_only = has_digit and (runs is None or any(w <= runs for w in _age_only_runs(table)))
    for m in caseless(_age_only_pattern(table)).finditer(text) if age_only else ():
        # a school year gives the age within a year: Year 10 is 14-15
        year = m.group("year") or m.group("year2")
        age = int(m.group("age")) if m.group("age") else int(year) + 4
        if age >= table.adult_age:
            continue
        relation = _singular(m.group("word").lower())
        named = _NAME_IS_BEFORE.search(text, max(0, m.start() - 40), m.start())
        friend = ChildMention(
            m.start(),
            m.end(),
            "age_phrase",
            age=age,
            relation=relation,
            # "Ladan is AH's niece, about 9": the friend-like word names Ladan
            name=named.group("name")
            if named and named.group("name").lower() not in STOP_WORDS
            else None,
        )
        found.append((1, friend))

    # "her friend from school", "his mate from his year at Skelmouth High": a peer at school is
    # a child of no recorded age; "a Year 8 pupil" is 12-13
    school = runs is None or not runs.isdisjoint(_SCHOOL_WORDS)
    for m in caseless(_SCHOOL_PEER).finditer(text) if school else ():
        named = _NAME_IS_BEFORE.search(text, max(0, m.start() - 40), m.start())
        name = named.group("name") if named else None
        peer = ChildMention(
            m.start(),
            m.end(),
            "peer",
            name=name if name and name.lower() not in STOP_WORDS else None,
            relation=_singular(m.group("peer").lower()),
        )
        found.append((2, peer))
    for m in caseless(_YEAR_PUPIL).finditer(text) if school and has_digit else ():
        age = int(m.group("year")) + 4  # Year 8 is 12-13
        if age < table.adult_age:
            pupil = ChildMention(
                m.start(), m.end(), "age_phrase", age=age, relation=SCHOOL_YEAR_RELATION
            )
            found.append((1, pupil))

    other_n = runs is None or ("other" in runs and not runs.isdisjoint(_OTHER_COUNTS))
    for m in caseless(_OTHER_N).finditer(text) if other_n else ():
        count = table.numbers.get(m.group("num").lower()) or int(m.group("num"))
        other = ChildMention(m.start(), m.end(), "relation", relation="child", count=count)
        found.append((2, other))

    words, before_pattern = _relation_finders(table)
    for hit in words.finditer(text):
        before = before_pattern.search(text, max(0, hit.start() - 60), hit.start())
        mention = _relation_mention(text, before, hit, table)
        if mention is not None:
            found.append((2, mention))
    return _dedupe(found)


_AGE_ONLY: dict[int, re.Pattern[str]] = {}


_GUESS = (
    r"(?:also|aged?|approx\.?|about|around|approximately|roughly|maybe|"
    r"thought[ \t]+to[ \t]+be|believed[ \t]+to[ \t]+be|"
    r"who[ \t]+(?:looked|looks|appeared|appears|seemed|seems)(?:[ \t]+to[ \t]+be)?)"
)


_AGE_ONLY_RUNS: dict[int, list[frozenset[str]]] = {}


def _age_only_runs(table: ChildrenTable) -> list[frozenset[str]]:
    """The runs of each friend-like word: ``_age_only_pattern`` matches a word standing whole
    (a boundary before it, a space, comma or bracket after it), so all its runs are the
    text's."""
    cached = _AGE_ONLY_RUNS.get(id(table))
    if cached is None:
        cached = _AGE_ONLY_RUNS[id(table)] = [
            frozenset(_ALNUM_RUN.findall(w.lower())) for w in table.age_only
        ]
    return cached


def _age_only_pattern(table: ChildrenTable) -> re.Pattern[str]:
    """ "a mate, 15", "her friend, also 14", "a friend (13)", "her nephew, who is in Year 10",
    "her friend in yr 8": a friend-like word with an age or a school year."""
    cached = _AGE_ONLY.get(id(table))
    if cached is None:
        words = "|".join(re.escape(w) for w in sorted(table.age_only, key=len, reverse=True))
        cached = _AGE_ONLY[id(table)] = re.compile(
            # not a count ("9 male, 6 female"): a number just before the word
            r"(?<![0-9][ \t])\b(?P<word>"
            + words
            # ("a pal's, 15": the pal's house, and the pal's age)
            + r")(?:['’]s)?(?:(?:[ \t]*[,(][ \t]*(?:"
            + _GUESS
            + r"[ \t]+)*"
            r"|[ \t]+(?:" + _GUESS + r"[ \t]+)+)"  # "third lad about 15": no comma, a qualifier
            r"(?P<age>\d{1,2})(?![\d/:.]\d)(?:[ \t]*(?:yrs?|years?|y/?o))?[ \t]*(?=[,).;\s]|$)"
            r"|,?[ \t]+(?:who[ \t]+is[ \t]+|also[ \t]+)?(?:in|from)[ \t]+(?:year|yr\.?|y)[ \t]*"
            r"(?P<year>\d{1,2})\b"
            r"|[ \t]*\([ \t]*(?:year|yr\.?|y)[ \t]*(?P<year2>\d{1,2})[ \t]*\))",
            re.IGNORECASE,
        )
    return cached


def _named_matches(text: str) -> list[re.Match[str]]:
    """ "Ellie (7)", "Tom aged 4": find the cheap trigger first, then the name before it."""
    out: list[re.Match[str]] = []
    last_end = -1
    for trigger in _NAMED_TRIGGER.finditer(text):
        pos = trigger.start()
        while pos > 0 and text[pos - 1] in " \t":
            pos -= 1
        name = _NAME_BEFORE.search(text, max(0, pos - 40), pos)
        if name is None or name.start() < last_end:
            continue
        m = _NAMED.match(text, name.start())
        if m is not None:
            out.append(m)
            last_end = m.end()
    return out


def _relation_mention(
    text: str, m: re.Match[str] | None, hit: re.Match[str], table: ChildrenTable
) -> ChildMention | None:
    word = hit.group().lower()
    if m is None:  # the look-back always matches (every part is optional); keep mypy calm
        return None
    relation = table.relation_of[word]
    det = (m.group("det") or "").lower()
    if word == "youngest":
        after = _NOUN_AFTER.match(text, hit.end())
        if not det or (
            after is not None
            and (
                after.group("word") in table.relation_of
                or after.group("word") in table.age_only
                or after.group("word") in {"one", "ones", "of"}
            )
        ):
            return None  # "the youngest", "her youngest son", "the youngest of the three"
    mods = set(m.group("mods").lower().replace("-", " ").split()) | (
        {"newborn"} if "new-born" in m.group("mods").lower() else set()
    )
    num_word = (m.group("num") or "").lower()
    count = table.numbers.get(num_word) or (int(num_word) if num_word.isdigit() else None)
    plural = (word.endswith("s") and word not in {"twins"}) or word in {"children", "babies"}
    if word in {"twin", "twins"}:
        count = count or 2
    if num_word.isdigit() and (
        (count is not None and count > 1 and not plural)
        or _SCHOOL_YEAR_BEFORE.search(text, max(0, m.start("num") - 6), m.start("num"))
    ):
        # "section 17 child in need", "a Year 8 girl", "the Year 11 boys": a number, no count
        return None
    if _GROWN_AFTER.match(text, hit.end()):
        return None  # "his two older half-brothers, both adults"
    if text[hit.start() : hit.end()].istitle() and _IN_A_TITLE.search(
        text, max(0, hit.start() - 40), hit.end()
    ):
        return None  # "St Mary's Infants", "Bright Kids Club": a capitalised word in a name
    before = text[max(0, m.start() - 20) : m.start()].lower().split()
    if (before and before[-1] in table.adult_possessors and not det) or (
        det.replace("’", "'") in table.adult_possessors
    ):
        return None
    trail = _TRAIL_AGE.match(text, hit.end())
    age = (
        _first_int(trail.group("age"), trail.group("age2"), trail.group("age3")) if trail else None
    )
    if age is not None and age >= table.adult_age:
        return None
    if relation == "baby":
        kind = "baby"
    elif relation == "child" and "other" in mods and count is not None and det in ("", "a", "an"):
        # "two other boys who looked about 15": children besides the note's own
        kind, relation = "relation", ANOTHER_CHILD_RELATION
    elif relation == "child" and det == "another" and count is None:
        # "another girl from the home": a child besides the note's own
        kind, relation = "relation", ANOTHER_CHILD_RELATION
    elif (
        relation == "child"
        and count is None
        and not plural
        and (det in _POSSESSIVE or det.endswith(("'s", "’s")))
        and mods & _CHILD_MARKS
    ):
        # "her little boy", "Shannon's younger girl": a parent's son or daughter
        kind = "relation"
        relation = {"boy": "son", "lad": "son", "girl": "daughter"}.get(word, "child")
    elif relation == "child":
        counted_small = count is not None and bool(
            (mods & _CHILD_MARKS) or {"little", "young", "younger", "wee"} & set(word.split())
        )
        if (
            (count is None and age is None)
            or (det == "the" and not counted_small)
            or (num_word == "both")
        ):
            # "the child", "both children": the note's own, recorded children; "the two
            # little ones" is counted against them
            return None
        kind = "relation"
    elif relation in _SIBLING:
        marked = bool(mods & _CHILD_MARKS) or det in _POSSESSIVE or "'" in det or "’" in det
        if not (marked or count or age is not None):
            return None
        if (
            relation not in {"son", "daughter"}
            and det in _POSSESSIVE
            and not mods & _CHILD_MARKS  # "Mum says her younger sister has the tablet too"
            and _adult_owner(text, m.start())
        ):
            return None  # "the male left to stay with his brother"
        kind = "relation"
    else:
        kind = "relation"
    if kind != "baby" and mods & {"baby", "newborn", "infant"} and relation in {"child", "baby"}:
        kind = "baby"
    name = None
    end = trail.end() if trail else hit.end()
    named = _TRAIL_NAME.match(text, end)
    if named and named.group("name") in table.body_words:
        return None  # "the Mother and Baby Unit": a body's name, no child
    if named and named.group("name").lower() not in STOP_WORDS:
        name = named.group("name")
        aged = _AGE_AFTER_NAME.match(text, named.end())
        if aged and int(aged.group("age")) >= table.adult_age:
            return None  # "their son, Ardit, who she thinks is 26": a grown son
    start = (
        m.start("det")
        if m.group("det")
        else (m.start("num") if m.group("num") else m.start("mods"))
    )
    start = start if m.group("det") or m.group("num") or m.group("mods") else hit.start()
    return ChildMention(
        start,
        end,
        kind,
        name=name,
        age=age,
        relation=relation,
        count=count or (2 if plural else 1),
    )


def _adult_owner(text: str, pos: int) -> bool:
    """The sentence so far names an adult and no child: "his" is probably the adult's."""
    end = _SENTENCE_END.search(text, 0, pos)
    start = end.start() + 1 if end else 0
    segment = text[start:pos]
    opening = re.match(r"\s*([A-Z][a-z]+)\b", segment)
    named_child_first = (
        opening is not None
        and opening.group(1).lower() not in STOP_WORDS
        and opening_adult(opening.group(1)) is None
    )
    return names_an_adult(segment) and not names_a_child(segment) and not named_child_first


def _dedupe(found: list[tuple[int, ChildMention]]) -> list[ChildMention]:
    kept: list[tuple[int, ChildMention]] = []
    for rank, mention in sorted(found, key=lambda f: (f[0], f[1].start)):
        if any(mention.start < k.end and k.start < mention.end for _, k in kept):
            continue
        kept.append((rank, mention))
    return [m for _, m in sorted(kept, key=lambda f: f[1].start)]


def _first_int(*values: str | None) -> int | None:
    for v in values:
        if v:
            return int(v)
    return None


def _singular(word: str | None) -> str | None:
    if word and word.endswith("s") and word not in {"associates"}:
        return word[:-1]
    return word.removesuffix("s") if word else word
