"""Notes dictated into a phone: lower-case names, codes and numbers said as words.

A force's dictation app writes "jayden born the third of june twenty eleven so he's thirteen,
mum kerry white british w1". The note reader finds people by the capitals officers type names
with, and ages and dates of birth by their digits; here the same note is given the capitals it
was spoken with (``cased_for_reading``: only the case of letters changes, so every offset is
the note's own), and ages and dates said in words are read with their spans
(``spoken_ages``, ``spoken_dates``).  A note typed with capitals is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ppncheck.caseless import caseless, lower
from ppncheck.fastre import first_char_guard
from ppncheck.text.tables import word_runs

# a note is "dictated" when almost none of its letters are capitals
_MAX_CAPITAL_SHARE = 0.02
_MIN_SHOUTED_LETTERS = 40  # "NFA." or a short label in capitals is no note in capitals

# a quotation dictated in words: "she said quote i heard mummy unquote"
SPOKEN_QUOTE = (
    r"\b(?:open[ \t]+)?quote\b[^\n]{1,400}?"
    r"\b(?:unquote|end[ \t]+(?:of[ \t]+)?quote|close[ \t]+quote)\b"
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_RE = "|".join(_TENS)
# 0-99 in words: "eleven", "twenty", "twenty one", "twenty-one"
_DIGIT_WORDS = "|".join(k for k in _UNITS if _UNITS[k] < 10)
NUMBER = rf"(?:(?:{_TENS_RE})(?:[ -](?:{_DIGIT_WORDS}))?|{_UNIT_RE})"
_NUMBER_WORDS = frozenset((*_UNITS, *_TENS))  # NUMBER's words: its first is one of them
_NUMBER_FIRST = "".join(sorted({w[0] for w in (*_TENS, *_UNITS)}))  # NUMBER's first letters
_ORD_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
ORDINAL = (
    rf"(?:(?:twenty|thirty)[ -](?:{_ORD_UNITS})|"
    rf"{'|'.join(sorted(_ORDINALS, key=len, reverse=True))}|\d{{1,2}}(?:st|nd|rd|th)?)"
)
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "twenty fourteen", "two thousand and ten", "two thousand ten", "nineteen eighty five", "2014"
YEAR = (
    rf"(?:\d{{4}}|two[ -]thousand(?:[ -]and)?(?:[ -]{NUMBER})?|"
    rf"(?:nineteen|twenty)[ -](?:{NUMBER}|hundred)|(?:nineteen|twenty)[ -]oh[ -](?:{_UNIT_RE}))"
)

# a number after a name is an age unless a unit or a noun makes it a count or a time
_NOT_A_COUNT = (
    r"(?![ \t]*(?:years?[ \t]+ago|times|men|women|people|lads|girls|boys|of|minutes|hours|"
    r"days|weeks|months|yrs|pm|am|o'clock|miles|quid|pounds|hundred|thousand|grand|bed|"
    r"[:.]\d|/))"
)
# (every match opens a word: the guard's \b turns a position inside a word away at once)
_AGE = re.compile(
    first_char_guard(
        f"\\b[ahstw{_NUMBER_FIRST}]",
        rf"\b(?:aged?[ \t]+|(?:she|he|they|who)(?:'s|’s|[ \t]+is|[ \t]+was)[ \t]+"
        rf"(?:only[ \t]+|just[ \t]+)?)(?P<a1>{NUMBER})"
        rf"(?:[ \t]+(?P<u1>(?:years?|months?|weeks?)(?:[ \t]+old)?))?\b"
        rf"|\b(?P<a2>{NUMBER})[ \t-]+(?P<u2>years?|months?|weeks?)[ \t-]+old\b"
        # "born the second of march last year so ten months": a baby's age after its birth
        rf"|(?<=\bso[ \t])(?P<a3>{NUMBER})[ \t]+(?P<u3>months?|weeks?)\b",
    ),
    re.IGNORECASE,
)
_DOB_CUE = r"(?:born(?:[ \t]+on)?|date[ \t]+of[ \t]+birth(?:[ \t]+is)?|dob|d\.o\.b\.?)"
_DOB = re.compile(
    first_char_guard(
        "[bd]",  # the first letters of _DOB_CUE
        rf"\b{_DOB_CUE}[ \t:]*(?:the[ \t]+)?(?P<day>{ORDINAL}|\d{{1,2}})[ \t]+(?:of[ \t]+)?"
        rf"(?:(?P<month>{_MONTH_RE})|the[ \t]+(?P<month_ord>{ORDINAL}|{NUMBER}))[ \t,]+"
        rf"(?P<year>{YEAR})\b",
    ),
    re.IGNORECASE,
)


def number_of(words: str) -> int | None:
    """ "twenty one" -> 21, "eleven" -> 11, "7" -> 7; None if it is not a number."""
    words = words.lower().replace("-", " ").strip()
    if words.isdigit():
        return int(words)
    parts = words.split()
    if len(parts) == 1:
        return _UNITS.get(parts[0], _TENS.get(parts[0]))
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def ordinal_of(words: str) -> int | None:
    words = words.lower().replace("-", " ").strip()
    digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", words)
    if digits:
        return int(digits.group(1))
    parts = words.split()
    if len(parts) == 2 and parts[0] in _TENS:
        unit = _ORDINALS.get(parts[1])
        return _TENS[parts[0]] + unit if unit is not None and unit < 10 else None
    return _ORDINALS.get(words)


def year_of(words: str) -> int | None:
    w = words.lower().replace("-", " ").split()
    if len(w) == 1 and w[0].isdigit():
        return int(w[0])
    if w[:2] == ["two", "thousand"]:
        rest = [x for x in w[2:] if x != "and"]
        tail = number_of(" ".join(rest)) if rest else 0
        return None if tail is None else 2000 + tail
    if len(w) >= 2 and w[0] in {"nineteen", "twenty"}:
        century = 1900 if w[0] == "nineteen" else 2000
        if w[1] == "hundred":
            return century
        if w[1] == "oh" and len(w) == 3:
            unit = _UNITS.get(w[2])
            return None if unit is None else century + unit
        tail = number_of(" ".join(w[1:]))
        return None if tail is None else century + tail
    return None


def _lines_saying(lowered: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each line of ``lowered`` (a text's lower case, ``lowered_alike``) in
    which one of ``words`` stands whole (a maximal run of alphanumerics), in order.

    Every match of _AGE says a number word standing whole: its NUMBER's first word, after a
    space, a tab or a word boundary and before a space, a tab, a hyphen or a word boundary.
    No match spans a newline, and its look-arounds read nothing past a line's end but the
    newline, which they read as the end of the text: so ``finditer`` over each such line
    (``pos``, ``endpos``) finds what it finds in the whole text, without scanning the rest."""
    starts = set()
    for word in words:
        i = lowered.find(word)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or not lowered[i - 1].isalnum()) and (
                j == len(lowered) or not lowered[j].isalnum()
            ):
                starts.add(lowered.rfind("\n", 0, i) + 1)
            i = lowered.find(word, j)
    out = []
    for start in sorted(starts):
        end = lowered.find("\n", start)
        out.append((start, len(lowered) if end < 0 else end))
    return out


@lru_cache(maxsize=128)  # a dictated note is read twice (see read.note)
def spoken_ages(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, years, unit) of ages said in words: "aged eleven", "she's fifteen", "the
    eleven year old", "six months old"."""
    out: list[tuple[int, int, int, str]] = []
    runs = word_runs(text)
    if runs is not None and runs.isdisjoint(_NUMBER_WORDS):
        return out  # every form says a number word, standing whole: none in this note
    age = caseless(_AGE)
    if runs is None:
        found: Iterable[re.Match[str]] = age.finditer(text)
    else:  # only the lines that say one (no match spans a line; see _lines_saying)
        found = (
            m
            for start, end in _lines_saying(lower(text), runs & _NUMBER_WORDS)
            for m in age.finditer(text, start, end)
        )
    for m in found:
        said = next(g for g in ("a1", "a2", "a3") if m.group(g))
        words, unit = m.group(said), m.group("u" + said[1])
        n = number_of(words)
        if n is None:
            continue
        unit = (unit or "years").lower()
        start = m.start(said)
        out.append((start, m.end(), 0 if unit.startswith(("month", "week")) else n, unit))
    return out


@lru_cache(maxsize=128)  # a dictated note is read twice (see read.note)
def spoken_dates(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of dates of birth said in words after a cue: "born the ninth of
    may twenty fourteen", "date of birth twelfth of the second two thousand and ten"."""
    out = []
    for m in caseless(_DOB).finditer(text):
        day = ordinal_of(m.group("day"))
        if m.group("month"):
            month: int | None = _MONTHS[m.group("month").lower()]
        else:
            month = ordinal_of(m.group("month_ord")) or number_of(m.group("month_ord"))
        year = year_of(m.group("year"))
        if day is None or month is None or year is None:
            continue
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        out.append((m.start("day"), m.end(), when))
    return out


_CODE_DIGITS = {"one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}
_SPOKEN_CODE = re.compile(
    r"\b(?P<letter>[wmabo])[ \t-]+(?P<digit>one|two|three|four|nine)\b", re.IGNORECASE
)
_CODE_CUE = re.compile(
    r"(?:self[ -]defines?|describes[ \t]+(?:him|her|them)sel(?:f|ves)|ethnicity|sde|"
    r"white|black|asian|mixed|british|irish|indian|pakistani|bangladeshi|chinese|african|"
    r"caribbean|arab|per[ \t]+(?:mum|dad|mother|father|her|him))[^.\n]{0,30}$",
    re.IGNORECASE,
)
_A_CODE_AFTER = re.compile(rf"(?:\balso|\b(?:{NUMBER}))[ \t,]+$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"[ \t-]+(?:year|yr|bed|bedroom|storey|minute|min|hour|hr|day|week|month|mile|metre|foot|"
    r"feet|inch|times?|pence|pound|seater|door|piece|point|nil|all)",
    re.IGNORECASE,
)
_VALID = {"W": {1, 2, 3, 9}, "M": {1, 2, 3, 9}, "A": {1, 2, 3, 4, 9}, "B": {1, 2, 9}, "O": {2, 9}}


def spoken_codes(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, code, cued) of 18+1 codes said as words: "w nine", "a three" (an "a"
    code only after an ethnicity cue: "a two bed flat" is no ethnicity)."""
    out = []
    for m in _SPOKEN_CODE.finditer(text):
        letter, digit = m.group("letter").upper(), _CODE_DIGITS[m.group("digit").lower()]
        if digit not in _VALID[letter]:
            continue
        cued = _CODE_CUE.search(text, max(0, m.start() - 60), m.start()) is not None
        # "bangladeshi a three", "self defines as a three": an "a" code right after its cue, or
        # after "also" or a person's age ("nasrin karim forty four a three"), never before a
        # unit ("a two bed flat", "a three year old")
        if letter == "A" and not (
            _CODE_CUE.search(text, max(0, m.start() - 25), m.start())
            or _A_CODE_AFTER.search(text, max(0, m.start() - 30), m.start())
        ):
            continue
        if letter == "A" and _UNIT_AFTER.match(text, m.end()):
            continue
        out.append((m.start(), m.end(), f"{letter}{digit}", cued))
    return out


_NAME_THEN_AGE = re.compile(
    rf"\b[A-Z][a-z'’-]+(?:[ \t]+[A-Z][A-Za-z'’-]+)?[ \t,]+(?:who(?:'s|’s|[ \t]+is)[ \t]+)?"
    rf"(?P<n>{NUMBER}|\d{{1,2}})\b{_NOT_A_COUNT}"
)


def ages_after_names(cased: str) -> list[tuple[int, int, int]]:
    """(start, end, years) of a bare age said after a name in a cased dictated note:
    "Abdul KARIM fifty two who self defines ..."."""
    out = []
    for m in _NAME_THEN_AGE.finditer(cased):
        n = number_of(m.group("n"))
        if n is not None and 0 < n < 110:
            out.append((m.start("n"), m.end("n"), n))
    return out


# -- capitals ----------------------------------------------------------------------------------

_CODE = re.compile(r"\b(?:[wmabo][ \t]?[1-9]|ns|ic[ \t]?[1-9])\b")
_WORD = r"[a-zà-ÿăâîșțşţąćęłńóśźżčšžėįųūő'’-]+"
# what follows a bare number that is a name's age: a unit, a code, a bracket or punctuation
# ("mohammed nazir 52 yrs, sde a2"), not a noun ("ate 2 pots of noodles", "in 3 bundles")
_AGE_AFTER = (
    r"(?:[,)]|[ \t]*(?=\n|$)|[ \t]+(?=(?:yrs?|years?|y/?o|yo|months?|weeks?|days?|old|"
    r"[wmabo][1-9]|ns|ic[1-69]|sde|ode|dob|d\.o\.b|\(|[,.;:\-–])))"
)
_NAME_THEN_VALUE = re.compile(
    rf"(?<![\w'’-])(?P<n1>{_WORD})(?:[ \t]+(?P<n2>{_WORD}))?"
    rf"(?=[ \t,(]+(?:{_DOB_CUE}\b|aged?[ \t]+(?:\d|{NUMBER})|\d{{1,2}}{_AGE_AFTER}|\(\d|"
    rf"(?:who[ \t]+)?(?:self[ -]defines?|describes[ \t]+(?:him|her|them)sel(?:f|ves))|"
    rf"(?:who(?:'s|’s|[ \t]+is|[ \t]+was)[ \t]+)?(?:{NUMBER}|\d{{1,2}})\b{_NOT_A_COUNT}|"
    rf"(?:is|was)[ \t]+(?:{NUMBER})\b))",
    re.IGNORECASE,
)
# a note in capitals was typed: its ages are digits, and a number word or a bare number before
# a noun is a count ("TOOK ONE EARPHONE OUT", "9 LACERATIONS, 2 NEEDING GLUE")
_NAME_THEN_TYPED_VALUE = re.compile(
    rf"(?<![\w'’-])(?P<n1>{_WORD})(?:[ \t]+(?P<n2>{_WORD}))?"
    rf"(?=[ \t,(]+(?:{_DOB_CUE}\b|aged?[ \t]+\d|\d{{1,2}}{_AGE_AFTER}|\(\d|"
    rf"(?:who[ \t]+)?(?:self[ -]defines?|describes[ \t]+(?:him|her|them)sel(?:f|ves))))",
    re.IGNORECASE,
)
_RELATION_THEN_NAME = re.compile(
    rf"\b(?:mum|mother|mam|dad|father|stepdad|stepmum|son|daughter|brother|sister|partner|"
    rf"boyfriend|girlfriend|husband|wife|nan|nana|gran|grandad|grandma|auntie|aunt|uncle|"
    rf"cousin|friend|named|called|ip|dp|suspect|victim|baby|stepson|stepdaughter)[ \t]+"
    rf"(?P<n1>{_WORD})(?:[ \t]+(?P<n2>{_WORD}))?",
    re.IGNORECASE,
)


_LETTER = re.compile(r"[^\W\d_]")
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ]")


def _capitals(text: str) -> int:
    """How many of the text's characters are capitals (``_CAPITAL``)."""
    return len(_CAPITAL.findall(text))


def dictated(text: str, capitals: int | None = None) -> bool:
    """Almost none of the note's letters are capitals (counted in C, by regex; ``capitals``,
    if given, is their number, as ``_capitals`` counts them)."""
    if capitals is None:
        capitals = _capitals(text)
    if text and capitals / len(text) > _MAX_CAPITAL_SHARE:
        return False  # no more letters than characters: their share of capitals is higher still
    letters = len(_LETTER.findall(text))
    return letters > 0 and capitals / letters <= _MAX_CAPITAL_SHARE


def shouted(text: str, capitals: int | None = None) -> bool:
    """Almost all of the note's letters are capitals: an old command-and-control system that
    exports every note in upper case, where a SURNAME looks like every other word
    (``capitals`` as for ``dictated``)."""
    if capitals is None:
        capitals = _capitals(text)
    if sum(map(text.count, "aeiou")) > capitals:
        return False  # more lower-case vowels than capitals: no need to count every letter
    letters = len(_LETTER.findall(text))
    return letters >= _MIN_SHOUTED_LETTERS and capitals / letters >= 1 - _MAX_CAPITAL_SHARE


def _lowered(text: str) -> str:
    """``text`` in lower case, letter for letter (a letter whose lower case is longer, such as
    "İ", stays as it is, so every offset is kept)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# a batch's chunk is 64 notes, and each is asked for several times while it is analysed
@lru_cache(maxsize=256)
def cased_for_reading(text: str) -> str:
    """A dictated note with the capitals it was spoken with: names that stand before a value
    ("kerry white aged thirty") or after a relation ("her son jayden"), and 18+1 and IC codes.
    Only the case of letters changes: the result is the same length, every offset the note's.
    A note typed with capitals comes back unchanged; a note in capitals throughout is read as
    if dictated, from its lower case."""
    patterns: tuple[re.Pattern[str], ...] = (_NAME_THEN_VALUE, _RELATION_THEN_NAME)
    capitals = _capitals(text)  # counted once for both tests
    if shouted(text, capitals):
        text = _lowered(text)
        patterns = (_NAME_THEN_TYPED_VALUE,)
    elif not dictated(text, capitals):
        return text
    from ppncheck.read.note import _not_names  # the reader's own list of non-name words

    stop = _not_names() | _NOT_NAMES
    chars = list(text)

    def capitalise(start: int, end: int, upper: bool = False) -> None:
        for i in range(start, end):
            chars[i] = chars[i].upper() if upper or i == start else chars[i]

    for m in _CODE.finditer(text):
        capitalise(m.start(), m.end(), upper=True)
    forenames: set[str] = set()
    surnames: set[str] = set()
    for pattern in patterns:
        for m in pattern.finditer(text):
            first, second = m.group("n1"), m.group("n2")
            if first.lower() in stop or number_of(first) is not None:
                continue
            forenames.add(first.lower())
            if second and second.lower() not in stop and number_of(second) is None:
                surnames.add(second.lower())
    # every mention of a name found, not only the one before its values ("jayden was on the
    # stairs ... he said"), so the people can be followed through the note
    for words, upper in ((forenames - surnames, False), (surnames, True)):
        if not words:
            continue
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        for m in re.finditer(rf"(?<![\w'’-])(?:{alternation})(?![\w-])", text, re.IGNORECASE):
            capitalise(m.start(), m.end(), upper=upper)
    return "".join(chars)


# spoken words that are no names, beyond the reader's list (stop words, roles, labels, months)
_NOT_NAMES = frozenset(
    {*_UNITS, *_TENS, *_ORDINALS, "born", "aged", "age", "dob", "years", "year", "old", "months",
     "weeks", "self", "defines", "describes", "who", "is", "was", "full", "stop", "comma",
     "paragraph", "new", "officer", "officers", "pc", "ps", "sergeant", "child", "children",
     "kids", "baby", "girl", "boy", "lad", "man", "woman", "male", "female", "who's", "whos",
     "men", "women", "people", "lads", "girls", "boys",
     # words before a number that is no age: times, numbered things, and what people do
     "past", "quarter", "half", "section", "number", "flat", "house", "room", "route", "bus",
     "junction", "platform", "ward", "bay", "cell", "lives", "living", "lived", "married",
     "together", "separated", "divorced", "check", "upstairs", "downstairs", "shocked",
     # a note in capitals: times, counts and a log's own shorthand before a number
     "hrs", "hr", "yrs", "yr", "mins", "min", "hours", "hour", "minutes", "days", "day", "episode",
     "episodes", "att", "sent", "log", "ref", "approx", "located", "seen", "missing", "sailing",
     "gives", "gave", "given", "stated", "states", "says", "said", "known",
     "gate", "pier", "berth", "coach", "carriage", "train", "service", "tel", "mob", "collar"}
)  # fmt: skip
