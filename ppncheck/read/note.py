"""Read a free-text note into a partial record v1: its people, each value with its span.

Officers introduce people in every style: labelled lines (``IP: Leanne MARSDEN, DOB
19/04/1991, SDE W1``), blocks (``Name:`` / ``DOB:`` / ``SDE:`` on their own lines), shorthand
(``Dean QUARRINGTON (17/10/89, W1)``) and prose (``her daughter Saoirse P. (DOB 09/03/2019,
5), who describes herself as White Irish``).  The reader does not parse sentences: it finds
the *values* first (dates of birth, ages, ethnicity codes and labels, IC codes), because their
forms are few and distinctive, then the name each value belongs to, which is the nearest
person-like name before it on the same line (or block).  A value with no name before it stays
in the note's lists: "Children - all recorded as W2" still records an ethnicity.

Word lists live in ``data/people.toml`` (roles, relations, ethnicity cues and labels) and
``data/ethnicity.toml`` (the form's labels).  Officer-defined IC codes are kept apart: they
never count as self-defined ethnicity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate, islice
from typing import Any

from ppncheck.caseless import caseless
from ppncheck.fastre import first_char_guard
from ppncheck.normalise.dates import age_on
from ppncheck.normalise.ethnicity import ethnicity_table
from ppncheck.read.spoken import (
    ages_after_names,
    cased_for_reading,
    spoken_ages,
    spoken_codes,
    spoken_dates,
)
from ppncheck.resources import data_path, load_toml_validated
from ppncheck.text.tables import grouped_alternation, word_runs

__all__ = ["NotePerson", "NoteRecord", "Value", "read_note"]


@dataclass(frozen=True)
class Value:
    """One value read from the note: what it means, and the exact text and span it came from."""

    value: Any
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class NotePerson:
    name: Value
    roles: list[str] = field(default_factory=list)
    relation: str | None = None
    dob: Value | None = None
    age: Value | None = None
    sde: Value | None = None  # value: the 18+1 code
    ode: Value | None = None
    sex: str | None = None
    child: bool | None = None

    @property
    def recorded(self) -> bool:
        """Identifiable as the form asks: a name with a date of birth or an age."""
        return self.dob is not None or self.age is not None

    @property
    def name_words(self) -> list[str]:
        """The name's words, forename first: a system's "ASHBY, Kyle" is Kyle ASHBY."""
        surname_first, comma, rest = self.name.value.partition(",")
        if comma and rest.strip():
            return [*rest.split(), *surname_first.split()]
        return self.name.value.split()

    @property
    def initials(self) -> str | None:
        """The forename's and surname's first letters ("OW" for Oscar WONG-HOLT), unless they
        spell one of the note's own abbreviations (IP, DP, PC ...)."""
        words = self.name_words
        if len(words) < 2 or not (words[0][:1].isupper() and words[-1][:1].isupper()):
            return None
        initials = words[0][0] + words[-1][0]
        return None if initials in _NOT_INITIALS else initials

    @property
    def initial_forms(self) -> frozenset[str]:
        """Every way the note may write the person's initials: "OW" for Oscar WONG-HOLT, and
        "OWH" with each part of a hyphenated name ("TOH" for Tyrese OKAFOR-HILL), and a
        hyphenated forename's own ("E-R" for Ellie-Rose CHAMBERS)."""
        words = self.name_words
        if len(words) < 2 or not (words[0][:1].isupper() and words[-1][:1].isupper()):
            return frozenset()
        parts = [p for w in (words[0], words[-1]) for p in w.split("-") if p[:1].isupper()]
        forms = {self.initials, "".join(p[0] for p in parts)}
        fore = [p for p in words[0].split("-") if p[:1].isupper()]
        if len(fore) > 1:
            forms.add("-".join(p[0] for p in fore))
        kept = frozenset(f for f in forms if f and 2 <= len(f.replace("-", "")) <= 4)
        return kept - _NOT_INITIALS

    @property
    def age_years(self) -> int | None:
        return self.age.value if self.age is not None else None

    def to_record(self, person_id: str) -> dict[str, Any]:
        """This person as a record v1 person (the fields the note gives), with ``spans``:
        field -> the character span of the note it was read from."""
        words = self.name_words
        roles = [{"child": "child_in_household"}.get(r, r) for r in self.roles]
        out: dict[str, Any] = {"person_id": person_id, "roles": roles or ["other"]}
        out["forename"] = words[0]
        if len(words) > 1:
            out["surname"] = " ".join(words[1:])
        spans: dict[str, dict[str, int]] = {"name": _span(self.name)}
        if self.dob is not None:
            out["dob"], spans["dob"] = self.dob.value, _span(self.dob)
        if self.age is not None:
            out["age_years"], spans["age_years"] = self.age.value, _span(self.age)
        if self.sde is not None and self.sde.value is not None:
            out["sde_code"], spans["sde_code"] = self.sde.value, _span(self.sde)
        if self.ode is not None:
            out["ode_code"], spans["ode_code"] = self.ode.value, _span(self.ode)
        if self.sex is not None:
            out["sex"] = self.sex
        if self.child is not None:
            out["is_child"] = self.child
        out["spans"] = spans
        return out

    def to_dict(self) -> dict[str, Any]:
        def v(x: Value | None) -> dict[str, Any] | None:
            return x.to_dict() if x is not None else None

        return {
            "name": v(self.name),
            "roles": list(self.roles),
            "relation": self.relation,
            "dob": v(self.dob),
            "age_years": v(self.age),
            "sde_code": v(self.sde),
            "ode_code": v(self.ode),
            "sex": self.sex,
            "child": self.child,
        }


@dataclass
class NoteRecord:
    """What a note records about its people; ``ethnicity`` holds every self-defined value."""

    persons: list[NotePerson] = field(default_factory=list)
    ethnicity: list[Value] = field(default_factory=list)
    unrecognised_ethnicity: list[Value] = field(default_factory=list)
    not_stated_without_reason: list[Value] = field(default_factory=list)
    officer_defined: list[Value] = field(default_factory=list)
    reference_date: date | None = None

    @property
    def children(self) -> list[NotePerson]:
        return [p for p in self.persons if p.child]

    def to_dict(self) -> dict[str, Any]:
        return {
            "persons": [p.to_dict() for p in self.persons],
            "ethnicity": [v.to_dict() for v in self.ethnicity],
            "unrecognised_ethnicity": [v.to_dict() for v in self.unrecognised_ethnicity],
            "not_stated_without_reason": [v.to_dict() for v in self.not_stated_without_reason],
            "officer_defined": [v.to_dict() for v in self.officer_defined],
        }


def _span(value: Value) -> dict[str, int]:
    return {"start": value.start, "end": value.end}


# --------------------------------------------------------------------------------------------
# Word lists


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process, a cache key
class _Lexicon:
    adult_age: int
    role_of: dict[str, str]
    relation_of: dict[str, str]
    cues: tuple[str, ...]
    missing_values: frozenset[str]
    not_ethnicity: frozenset[str]
    ns_reasons: tuple[str, ...]
    strong_labels: dict[str, str]  # folded label -> code (two words or more)
    weak_labels: dict[str, str]  # folded single-word label -> code
    not_names: frozenset[str]
    role_re: re.Pattern[str]
    relation_re: re.Pattern[str]
    cue_re: re.Pattern[str]  # the cue phrases, for "Ethnicity: <value>" over a whole note
    cued_re: re.Pattern[str]  # the phrases and their grammatical variants, before a value
    label_lengths: dict[str, tuple[int, ...]]  # first word -> word counts of labels, longest first
    label_start: re.Pattern[str]  # a label's first word as a whole token, in lower-cased text


def _fold(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", value.lower().replace("&", " and ")).strip()


def _alternation(words: list[str]) -> str:
    """The lower-case ``words``, longest first, grouped by first character: the same first
    match (``grouped_alternation``), found about twice as fast over a whole note."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return grouped_alternation([re.escape(w).replace(r"\ ", r"[ \t]+") for w in parts])


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_toml_validated(data_path("people.toml"), "people")
    role_of = {w.lower(): role for role, words in data["roles"].items() for w in words}
    relation_of = {w.lower(): rel for rel, words in data["relations"].items() for w in words}
    eth = data["ethnicity"]
    table = ethnicity_table()
    labels: dict[str, str] = {}
    for folded, code in table.aliases.items():
        if not re.fullmatch(r"[a-z]\d|ns", folded):
            labels[folded] = code
    for code, words in eth["labels"].items():
        for w in words:
            labels[_fold(w)] = code
    strong = {k: v for k, v in labels.items() if " " in k and k not in {"not stated"}}
    strong["not stated"] = "NS"
    # codes ("w1", "ns") are read by the code pattern, with its own context checks
    weak = {k: v for k, v in labels.items() if " " not in k and not re.fullmatch(r"[a-z]\d|ns", k)}
    return _Lexicon(
        adult_age=int(data["adult_age"]),
        role_of=role_of,
        relation_of=relation_of,
        cues=tuple(eth["cues"]),
        missing_values=frozenset(_fold(w) or w for w in eth["missing_values"]),
        not_ethnicity=frozenset(_fold(w) or w for w in eth.get("not_ethnicity", [])),
        ns_reasons=tuple(w.lower() for w in eth["ns_reasons"]),
        strong_labels=strong,
        weak_labels=weak,
        not_names=frozenset(w.lower() for w in data["names"]["not_names"]),
        role_re=re.compile(
            r"(?:^|(?<=\n))[ \t]*(?:[-*•>]+[ \t]*)?(?P<role>"
            + _alternation(list(role_of))
            # (a capital after the role, whatever the flags: "Mum Tina", not "Mum reported")
            + r")(?:[ \t]*\(?\d{1,2}\)?)?[ \t]*(?:[:\-–=]|(?=[ \t]+(?-i:[A-Z])))",
            re.IGNORECASE,
        ),
        relation_re=re.compile(
            r"\b(?:her|his|their|the|our|my|[A-Z][a-z]+'s)[ \t]+(?:(?:older|younger|little|"
            r"big|baby|eldest|youngest|elder|twin|teenage|infant|new-born|newborn|"
            r"\d{1,2}[- ]year[- ]old|\d{1,2}[- ]month[- ]old)[ \t]+){0,2}(?P<rel>"
            + _alternation(list(relation_of))
            + r")[ \t,:–-]*$",  # "her daughter Isla", "Her daughter - Isla"
            re.IGNORECASE,
        ),
        cue_re=re.compile(
            r"\b(?P<cue>" + _alternation(list(eth["cues"])) + r")\b[ \t]*[:\-=]?[ \t]*",
            re.IGNORECASE,
        ),
        cued_re=re.compile(
            r"\b(?P<cue>"
            + "|".join([_alternation(list(eth["cues"])), *eth.get("cue_patterns", [])])
            + r")\b[ \t]*[:\-=]?[ \t]*",
            re.IGNORECASE,
        ),
        label_lengths=_lengths_by_first_word([*strong, *weak]),
        label_start=_label_start([*strong, *weak]),
    )


def _lengths_by_first_word(labels: list[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for label in labels:
        words = label.split()
        lengths.setdefault(words[0], set()).add(len(words))
    return {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}


def _label_start(labels: list[str]) -> re.Pattern[str]:
    """Where a ``_LABEL_TOKEN`` is the first word of a label: a whole run of letters and
    digits (branches grouped by first letter: ``re`` tries one per position), or "&" where
    a label opens with "and"."""
    firsts = {label.split()[0] for label in labels}
    words = sorted(firsts, key=len, reverse=True)
    source = rf"(?<![A-Za-z0-9])(?:{grouped_alternation([re.escape(w) for w in words])})"
    return re.compile(source + r"(?![A-Za-z0-9])" + ("|&" if "and" in firsts else ""))


def _form_labels() -> dict[str, list[str]]:
    data = load_toml_validated(data_path("ethnicity.toml"), "ethnicity")
    return {code: list(entry["labels"]) for code, entry in data["codes"].items()}


# --------------------------------------------------------------------------------------------
# Value patterns

_MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
    "september|oct|october|nov|november|dec|december"
)
_MONTH_NUM = {
    m: i
    for i, ms in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in ms
}
_DATE = re.compile(
    first_char_guard(
        r"\d",
        r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
        r"(?![\d/-]|\.\d)"
        r"|(?<![\w])(?P<d2>\d{1,2})(?:st|nd|rd|th)?[ \t]+(?P<m2>"
        + _MONTHS
        + r")\.?,?[ \t]+(?P<y2>\d{4})\b",
    ),
    re.IGNORECASE,
)
_DOB_CUE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\.?|\bdate[ \t]+of[ \t]+birth|\bborn(?:[ \t]+on)?|\bb\.)"
    r"[ \t]*(?:[:\-=]|\.{2,}|…+)?[ \t]*$",  # "DOB:", "DOB ........"
    re.IGNORECASE,
)
# Latin letters with diacritics count as letters ("Mirela LĂCĂTUŞ", "Zofia WÓJCIK").
_UP = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_LO = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower())
# (a match opens with an "a" (a1, a6), a digit, or a space or tab right after "(" or "," (a4))
_AGE_FORMS = re.compile(
    first_char_guard(
        r"[a\d]|(?<=[(,])[ \t]",
        r"\baged?[ \t]*[:\-=]?[ \t]*(?P<a1>\d{1,3})(?![\d/:.]\d)"
        r"(?:[ \t]*(?P<u1>months?|mths?|weeks?|wks?))?"
        r"|(?<![\w/.:])(?P<a2>\d{1,2})[ \t]*(?P<u2>y/?o|yo|yrs?|years?(?:[ \t]+old)?|"
        r"months?(?:[ \t]+old)?|mths?|weeks?(?:[ \t]+old)?|wks?|days?[ \t]+old)\b"
        r"(?![ \t]+(?:ago|later|earlier|before|after|previously|since))"
        r"|(?<![\w/.:])(?P<a3>\d{1,2})[- ](?P<u3>year|month|week|day)s?[- ]old\b"
        r"|(?<=[(,])[ \t]*(?:(?:about|approx\.?|approximately|around|roughly|c\.)[ \t]+)?"
        r"(?P<a4>\d{1,3})[ \t]*(?=[),.]|[ \t]*$|[ \t]*\n|[ \t]+\(|[ \t]+[-–][ \t]"
        # "Nasra HASSAN (8 / B2)": an age, a slash and a code or word (a date has digits)
        r"|[ \t]*/[ \t]*[A-Za-z])"
        # "His sister Ffion BEVAN who is 11 and White Welsh" (before a5: "who is 44 (A4)")
        r"|(?:(?<=\bwho is )|(?<=\bwho's )|(?<=\bwho’s ))(?P<a7>\d{1,2})\b"
        r"(?![ \t]*(?:%|am\b|pm\b|x\b|years?[ \t]+ago|o'clock))"
        r"|(?<=[ \t])(?P<a5>\d{1,3})(?=[ \t]*\(|,[ \t]*(?:d\.?o\.?b|born)\b)"
        # "mum Elena POPESCU 43 W9", "dad Tariq RAFIQ approx 48 (A2 per sana)": a bare age right
        # after a SURNAME, before a code, a label or a bracket
        r"|(?-i:(?<=[A-Z] ))(?:approx\.?[ \t]+)?(?P<a6>\d{1,3})"
        r"(?=[ \t]*[,)]|[ \t]+(?:\(|sde\b|and\b|&|"
        r"(?:W[1239]|M[1239]|A[1-49]|B[129]|O[29]|NS)\b|(?:white|black|asian|mixed|irish|british|"
        r"romanian|polish|arab|chinese|indian|pakistani|bangladeshi|african|caribbean)\b))",
    ),
    re.IGNORECASE,
)
_NAME_AGE_PAIR = rf"[{_UP}][{_LO}]+[ \t]+\d{{1,2}}(?![\d/:.]|[ \t]*(?:%|am|pm|hrs|mins?|x)\b)"
# (?<![\w-]) before the first pair, tested after its capital (``fastre``: the same matches)
_NAME_AGE_LIST = re.compile(
    rf"[{_UP}](?<![\w-][{_UP}]){_NAME_AGE_PAIR.removeprefix(f'[{_UP}]')}"
    rf"(?:(?:[ \t]*[,;][ \t]*|[ \t]+(?:and|&)[ \t]+){_NAME_AGE_PAIR})+"
)
_NAME_AGE = re.compile(rf"[{_UP}][{_LO}]+[ \t]+(?P<age>\d{{1,2}})")
# (?<![\w/-])(?P<code>W[1239]|M[1239]|A[1-49]|B[129]|O[1-29]|NS)(?![\w/]), the look-behind
# tested after each code's letter (``fastre``: the same matches)
_CODE = re.compile(
    r"(?P<code>W(?<![\w/-]W)[1239]|M(?<![\w/-]M)[1239]|A(?<![\w/-]A)[1-49]|B(?<![\w/-]B)[129]"
    r"|O(?<![\w/-]O)[1-29]|N(?<![\w/-]N)S)(?![\w/])"
)
_BAD_CODE_GIVEN = re.compile(
    r"\bethnicity[ \t]+(?:is|was)[ \t]+(?:[a-z]+[ \t]+){0,5}?(?:as|given as|recorded as)[ \t]+"
    r"(?P<bad>(?-i:[WMABO][0-9]))(?![\w/])",
    re.IGNORECASE,
)
_NS_AFTER_AGE = re.compile(
    rf"[{_UP}]{{2}}[{_UP}'’-]*,?[ \t]+\d{{1,3}}[ \t]*(?:yrs?|y/?o)?\.[ \t]*$"
)
_BAD_CODE_FIELD = re.compile(r"[-–|][ \t]+(?P<bad>[WMABO][0-9])(?=[ \t]*(?:\(|$))", re.MULTILINE)


# "both gave their ethnicity as "normal"", "describes her ethnicity as 'local'": a quoted value
def _quoted(name: str) -> str:
    """A value in double or single quotation marks (an apostrophe inside double ones)."""
    return rf"(?:[\"“](?P<{name}_d>[^\"”\n]{{1,40}})[\"”]|['‘](?P<{name}_s>[^'’\n]{{1,40}})['’])"


# "both gave their ethnicity as "normal"", "said 'local' when I asked her ethnicity", "When I
# asked how she describes her ethnicity she said "Brackenford born and bred"": a quoted value
_QUOTED_ETHNICITY_GIVEN = re.compile(
    r"\bethnicity[ \t]+(?:as|was|is)[ \t]+"
    + _quoted("value")
    + r"|\bsaid[ \t]+"
    + _quoted("before")
    + r"[ \t]+when[ \t]+(?:I|we)[ \t]+asked"
    r"[ \t]+(?:about[ \t]+)?(?:her|his|their)[ \t]+ethnicity\b"
    r"|\basked[^.\n\"“]{0,40}\bethnicity[^.\n\"“]{0,25}\bsaid[ \t]+" + _quoted("after"),
    re.IGNORECASE,
)
# "Lee JARVIS 40 (W7)", "Kayden COLE (B4)": a code-shaped value in brackets right after a
# SURNAME, or after its age
_BAD_CODE_BRACKET = re.compile(
    rf"[{_UP}][{_UP}'’-]+(?:[ \t,]+\d{{1,3}})?[ \t,]*\([ \t]*(?P<bad>[WMABO][0-9])[ \t]*\)"
    # "Khaled SALEH, 47, O4, who ...": the code slot after a SURNAME and an age, in commas
    rf"|[{_UP}][{_UP}'’-]+[ \t]*,[ \t]*\d{{1,3}}[ \t]*,[ \t]*(?P<listed>[WMABO][0-9])"
    r"(?=[ \t]*[,.;)])"
)
# (?<![\w])(?P<ic>IC[ \t]?[1-69])\b in lower case (the same under IGNORECASE), its look-behind
# tested after the "i" (``fastre``), so that its ``caseless`` twin opens with a plain "i"
_IC = re.compile(r"(?P<ic>i(?<![\w]i)c[ \t]?[1-69])\b", re.IGNORECASE)
_NOT_CODE_AFTER = re.compile(
    r"[ \t]*(?:motorway|road|rd\b|southbound|northbound|eastbound|westbound|junction|j\d|"
    r"paper|sheet|envelope|size|phone|network|sim|contract|arena|shop|account|mobile|bus|"
    r"service|roundabout|slip|dual|carriageway|audi|bmw|saloon|hatchback|estate\b|car\b|"
    r"vehicle|reg\b|registration|[-–][ \t]*[A-Z]\d)",
    re.IGNORECASE,
)
_NOT_CODE_BEFORE = re.compile(
    r"(?:\bthe|\bon|\bvia|\boff|\balong|\bjunction|\bjct|\bfrom|\bto|\bnear|\bat|\bby|\bonto|"
    r"\bsize|\bthe[ \t]+old|\bform|\bsection|\bs\.|\bcategory|\bclass|\bgrade|\broom|\bblock|"
    r"\bflat|\bunit|\bbed|\bcell|\bplatform|\bseat|\bbay|\bward|\bzone|\bpitch|\blevel|"
    r"\baudi|\bbmw|\bmercedes|\bmerc)[ \t]*$",
    re.IGNORECASE,
)

# A name: a capitalised word, then a SURNAME in capitals, another capitalised word, or an
# initial.  "Mc"/"O'" forms and hyphens are kept.
_WORD = (
    rf"(?:Mc|Mac|O'|O’|D'|De|Le|La|Van|Von|Al-|El-|Di)?[{_UP}][{_LO}]+"
    rf"(?:[-'’][{_UP}]?[{_LO}]+)*(?![{_LO}])"
)
_CAPS = rf"(?:Mc|Mac|O'|O’)?[{_UP}][{_UP}'’-]*[{_UP}](?![{_LO}])"
_NAME = re.compile(
    first_char_guard(
        f"[{_UP}]",
        r"(?<![\w'’.-])(?P<name>(?:"
        + _WORD
        + r")(?:[ \t]+(?:"
        + _CAPS
        + r"|"
        + _WORD
        + r"|[A-Z]\.?(?![\w])))?(?:[ \t]+(?:"
        + _CAPS
        + r"|"
        + _WORD
        + r"))?"
        r"|" + _CAPS + r"[ \t]+(?:" + _WORD + r")(?![ \t]+[A-Z]))",
    )
)
_LINE_LABEL = re.compile(
    r"^[ \t]*(?:[-*•>]+[ \t]*)?(?P<key>[A-Za-z][A-Za-z.' /-]{0,30}?)[ \t]*(?:\d{1,2})?"
    r"[ \t]*(?:[:=]|\.{3,}|…+)[ \t]*"  # "DOB:", "DOB =", "DOB ........"
)
# "DOB 27.06.2008 (15) | SDE W1": a line that opens with a date of birth or an age with no colon
_UNLABELLED_ATTR_LINE = re.compile(
    r"[ \t]*(?:[-*•>]+[ \t]*)?(?:d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|born|aged?)[ \t]+\d",
    re.IGNORECASE,
)
_ATTR_KEYS = re.compile(
    r"^(?:d\.?o\.?b\.?|date of birth|born|age|aged|sde|s\.d\.e|self[- ]defined(?: ethnicity)?|"
    r"ethnicity|ethnic origin|ethnic group|eth|ode|officer[- ]defined(?: ethnicity)?|sex|gender|"
    r"address|school|nhs|nhs no|pnc|tel|phone|mobile|relationship|relation|role|lives|nationality|"
    r"language|religion|gp|occupation|education|setting|pronouns)$",
    re.IGNORECASE,
)
_SENT_END = re.compile(
    r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\bDr|\bMr|\bMs|\bSt)[.!?](?=[ \t]+[A-Z\"“]|[ \t]*$)|;"
)
_SEX_WORDS = {
    "male": "male",
    "female": "female",
    "boy": "male",
    "girl": "female",
    "man": "male",
    "woman": "female",
    "son": "male",
    "daughter": "female",
    "brother": "male",
    "sister": "female",
    "mum": "female",
    "mother": "female",
    "dad": "male",
    "father": "male",
    "he": "male",
    "she": "female",
    "his": "male",
    "her": "female",
    "m": "male",
    "f": "female",
}
_PLACE_WORDS = (
    r"(?:Lane|Road|Street|Close|Avenue|Drive|Way|Court|Crescent|Terrace|Place|Gardens|Grove|Row|"
    r"Yard|Walk|Mews|Park|Green|Hill|Rise|View|Square|Estate|House|Primary|Academy|School|"
    r"College|Station|Hospital)"
)
_PLACE_AT_END = re.compile(r"\b" + _PLACE_WORDS + "$")  # "Mill Lane"
_PLACE_AFTER = re.compile(r"[ \t]+" + _PLACE_WORDS + r"\b")  # "Willow Farm Road"
_SEX_IN_WINDOW = re.compile(r"\b(male|female|boy|girl|man|woman|[MF])\b")


@lru_cache(maxsize=1)
def _not_name_nouns() -> frozenset[str]:
    """The words of ``_not_names`` that are no English stop word ("ppn", "log", "police"):
    a row whose name cell holds one is a title line, while "Will" or "May" may be a name."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return _not_names() - frozenset(STOP_WORDS)


def not_name_words() -> frozenset[str]:
    """Lower-case words that never begin or end a person's name (agencies, places, roles,
    stop words ...): "School reported" names nobody of the note."""
    return _not_names()


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Lower-case words that never begin or end a person's name (``[names]`` of people.toml,
    stop words, role and relation words, ethnicity labels and months)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    lex = _lexicon()
    words = set(STOP_WORDS) | set(lex.not_names)
    words |= set(lex.role_of) | set(lex.relation_of)
    words |= {w for k in lex.strong_labels for w in k.split()} | set(lex.weak_labels)
    words |= set(_MONTH_NUM)
    return frozenset(words)


# --------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Attr:
    kind: str  # "dob", "age", "sde", "ode", "ns"
    value: Value
    group: bool = False  # "Children - all recorded as W2"
    cued: bool = False  # "She describes herself as ...", "Ethnicity: NS": may follow a sentence


# A dictated note is read twice, from the note (the rules) and from its cased copy (the
# speech finder's names): two different reads, as the cased copy is mostly not dictated any
# more, but of the same text.  The parts that depend on the text alone are kept for a chunk's
# notes, so the second read does not scan for them again.
_TEXT_PARTS = 128


@lru_cache(maxsize=256)  # a chunk of 64 notes is read by several components, then the rules
def read_note(text: str) -> NoteRecord:
    """The note's people, their values with spans, and every self-defined ethnicity.

    A note dictated in lower case is read with the capitals it was spoken with
    (``spoken.cased_for_reading``: the same offsets), and every value's text is then the
    note's own.  Cached per text (the speech finder and the rules both read a note): treat
    the result as read-only."""
    cased = cased_for_reading(text)
    record = _read(cased, dictated=cased is not text)
    return record if cased is text else _as_written(record, text)


def _as_written(record: NoteRecord, text: str) -> NoteRecord:
    """The record read from the cased copy, with each value's text as the note wrote it."""

    def own(v: Value | None) -> Value | None:
        return None if v is None else replace(v, text=text[v.start : v.end])

    for p in record.persons:
        p.name = replace(p.name, text=text[p.name.start : p.name.end])
        p.dob, p.age, p.sde, p.ode = own(p.dob), own(p.age), own(p.sde), own(p.ode)
    for values in (
        record.ethnicity,
        record.unrecognised_ethnicity,
        record.not_stated_without_reason,
        record.officer_defined,
    ):
        values[:] = [replace(v, text=text[v.start : v.end]) for v in values]
    return record


def _spoken(text: str, dictated: bool) -> list[_Attr]:
    """Ages and dates of birth said in words ("aged eleven", "born the ninth of may twenty
    fourteen"), as a dictation app writes them; in a dictated note also a bare age after a
    name ("Abdul KARIM fifty two") and codes said as words ("w nine")."""
    out = [_Attr("age", Value(years, text[s:e], s, e)) for s, e, years, _unit in spoken_ages(text)]
    out += [_Attr("dob", Value(d.isoformat(), text[s:e], s, e)) for s, e, d in spoken_dates(text)]
    if not dictated:
        return out
    out += [_Attr("age", Value(n, text[s:e], s, e)) for s, e, n in ages_after_names(text)]
    out += [
        _Attr("sde", Value(code, text[s:e], s, e), cued=cued)
        for s, e, code, cued in spoken_codes(text)
    ]
    return out


def _read(text: str, *, dictated: bool = False) -> NoteRecord:
    lex = _lexicon()
    record = NoteRecord()
    attrs = _dates(text) + _ages(text) + _ethnicities(text, lex, record) + _ics(text)
    attrs += [
        _Attr("age", Value(int(m.group(1)), m.group(1), *m.span(1)))
        for m in _LISTED_NAME_AGE.finditer(text)
    ]
    attrs += _spoken(text, dictated)
    attrs = _code_beats_label(text, _dedupe(attrs))
    record.reference_date = _reference_date(text, attrs)
    taken = [(a.value.start, a.value.end) for a in attrs]
    names = _clear_of(_names(text, lex), taken)
    names = sorted(names + _initials(text, names, taken))
    persons: dict[int, NotePerson] = {}
    for attr in sorted(attrs, key=lambda a: a.value.start):
        owner = _owner(text, names, attr, persons)
        if attr.kind == "sde":
            record.ethnicity.append(attr.value)
        elif attr.kind == "ode":
            record.officer_defined.append(attr.value)
        if owner is None:
            continue
        for i in _owners_with_both(text, names, owner, attr):
            person = persons.get(i)
            if person is None:
                person = persons[i] = _new_person(text, names[i], lex)
            _attach(person, attr)
    _apply_births(text, persons, names, lex)
    _apply_group_ethnicity(text, attrs, persons, names)
    _apply_listed_ethnicity(text, attrs, persons, names)
    _apply_collective_ethnicity(text, attrs, persons, names, record.reference_date, lex)
    for i in range(len(names)):
        if i not in persons and _labelled_person(text, names[i], lex):
            persons[i] = _new_person(text, names[i], lex)
    table_people = _table_people(text, record)
    taken_names = {(p.name.start, p.name.end) for p in table_people}
    table_people += _pipe_rows(text, record, taken_names)
    taken_names = {(p.name.start, p.name.end) for p in table_people}
    inline = [
        persons[i]
        for i in sorted(persons)
        if not any(s <= persons[i].name.start < e for s, e in taken_names)
    ]
    table_people += _dash_rows(text, record, taken_names, inline)
    record.persons = _merge(sorted([*table_people, *inline], key=lambda p: p.name.start))
    for person in record.persons:
        _decide_child(person, record.reference_date, lex)
    _older_adults_offspring(text, record)
    return record


OLDER_PARENT_AGE = 60  # a son or daughter of someone this old is, without an age, an adult
# "Desmond's daughter, Marcia ...", "his son Paul": whose son or daughter, right before a name
_WHOSE_OFFSPRING = re.compile(
    r"(?:\b(?P<owner>[A-Z][a-z]+)['’]s|\b(?P<pronoun>his|her|their))[ \t]+"
    r"(?:(?:eldest|elder|older|youngest|younger|only|adult|grown-up)[ \t]+)?"
    r"(?:step-?)?(?:son|daughter)[ \t]*,?[ \t]*(?:called[ \t]+|named[ \t]+)?$",
    re.IGNORECASE,
)


def _older_adults_offspring(text: str, record: NoteRecord) -> None:
    """A son or daughter with no age, of a person the note gives an age of 60 or more, is not
    taken for a child ("Desmond CAMPBELL (81) ... Desmond's daughter, Marcia CAMPBELL-REID"):
    the relation word alone made them one."""
    when = record.reference_date
    for person in record.persons:
        if not person.child or person.recorded or "child" in person.roles:
            continue
        start = person.name.start
        m = _WHOSE_OFFSPRING.search(text, max(0, start - 40), start)
        if m is None:
            continue
        earlier = [p for p in record.persons if p.name.start < m.start() and p is not person]
        if m.group("owner"):
            owner = m.group("owner").lower()
            earlier = [p for p in earlier if p.name_words[0].lower() == owner]
        if earlier and (age := _years(earlier[-1], when)) is not None and age >= OLDER_PARENT_AGE:
            person.child = None


def _clear_of(
    names: list[tuple[int, int, str]], spans: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """The names that overlap none of ``spans`` (``s < end and start < e``), in order: with the
    spans sorted by start and the greatest end so far, one bisection a name, not a scan."""
    if not spans:
        return list(names)
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))
    out = []
    for name in names:
        k = bisect_left(starts, name[1])  # the spans that start before the name ends
        if not (k and reach[k - 1] > name[0]):
            out.append(name)
    return out


# capitals that are the note's own words, not a person's initials
_NOT_INITIALS = frozenset(
    {"IP", "DP", "RP", "AA", "DSL", "CSC", "SDE", "ODE", "DOB", "NFA", "PC", "DC", "DS", "PS",
     "DI", "CID", "MASH", "CAD", "NS", "OIC", "UK", "GP", "AE", "CCTV", "BWV", "NHS", "PNC"}
)  # fmt: skip
# (?<![\w'’-])([A-Z]{2,4})(?![\w'’-]), the look-behind tested after the first capital
_CAPITALS = re.compile(r"([A-Z](?<![\w'’-][A-Z])[A-Z]{1,3})(?![\w'’-])")
_INITIALS_SPLIT = re.compile(r"[ \t-]+")
_INITIAL_LETTERS: dict[str, str] = {}  # a name's initials, kept for the names of many notes
_DEFINES = re.compile(r"(?:hereafter|after|as|\()[ \t]*[\"“'‘]?[ \t]*$|[\"“'‘][ \t]*$", re.I)


def _initials(
    text: str, names: list[tuple[int, int, str]], taken: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """ "Kacper NOWAK (hereafter 'KN') ... KN self-defines as White Polish (W9)": a person's
    initials, after the note has named them, stand for that name (one person only)."""
    if not names or _CAPITALS.search(text) is None:
        return []
    owners: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    known = _INITIAL_LETTERS
    for start, _end, value in names:
        letters = known.get(value)
        if letters is None:
            if len(known) >= _NAME_WORDS_SIZE:
                known.clear()
            letters = known[value] = "".join(
                w[0] for w in _INITIALS_SPLIT.split(value) if w[:1].isupper()
            )
        if 2 <= len(letters) <= 4:
            owners.setdefault(letters, set()).add(value)
            first[value] = min(first.get(value, start), start)
    out = []
    for m in _CAPITALS.finditer(text):
        letters = m.group(1)
        values = owners.get(letters)
        if letters in _NOT_INITIALS or not values or len(values) != 1:
            continue
        value = next(iter(values))
        if _DEFINES.search(text, max(0, m.start() - 14), m.start()):
            continue  # "(hereafter 'KN')": the definition, not a mention
        if first[value] < m.start() and not any(s < m.end() and m.start() < e for s, e in taken):
            out.append((m.start(), m.end(), value))
    return out


# "Kyle ASHBY", and a system's "ASHBY, Kyle"
_TABLE_NAME = re.compile(r"[A-Z][\w'’.-]*,?(?:[ ]+[A-Z][\w'’.-]*){0,3}")
_CELL_SPLIT = re.compile(r"\t+|[ ]{2,}|[ \t]*\|[ \t]*")
_COLUMN = {
    "name": "name",
    "full name": "name",
    "person": "name",
    "persons": "name",
    "age": "age",
    "aged": "age",
    "dob": "dob",
    "d.o.b": "dob",
    "d.o.b.": "dob",
    "date of birth": "dob",
    "sde": "sde",
    "ethnicity": "sde",
    "self-defined ethnicity": "sde",
    "eth": "sde",
    "ode": "ode",
    "role": "role",
    "relationship": "role",
    "relation": "role",
    "sex": "sex",
    "gender": "sex",
}


# a header cell in other words: "Ethnicity (self-defined)", "IC", "Officer-defined", "Status"
_COLUMN_WORDS = (
    ("ode", re.compile(r"\b(?:ic|ode|officer[ -]defined|officer[ -]observed)\b")),
    ("sde", re.compile(r"\b(?:sde|ethnic\w*|self[ -]defined)\b")),
    ("dob", re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|born)(?![\w.])")),
    ("name", re.compile(r"\b(?:name|person)\b")),
    ("age", re.compile(r"\bage\b")),
    ("role", re.compile(r"\b(?:role|relation\w*|status|involvement)\b")),
    ("sex", re.compile(r"\b(?:sex|gender)\b")),
)


def _column_kind(header: str) -> str | None:
    """What a header cell names: the exact words first, then the first column word it holds
    ("Ethnicity (self-defined)" is the SDE column, "IC" officer-defined); None for a column
    the reader has no use for ("Address", "School"), whose cells are then left alone."""
    lowered = header.lower().rstrip(":").strip()
    if lowered in _COLUMN:
        return _COLUMN[lowered]
    if ":" in lowered or len(lowered.split()) > 4 or any(c.isdigit() for c in lowered):
        return None  # "Name: Tyler Grant" is a labelled value, not a column's header
    return next((kind for kind, words in _COLUMN_WORDS if words.search(lowered)), None)


def _cells(
    line: str, offset: int, split: re.Pattern[str] = _CELL_SPLIT
) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a table row: cells are split by tabs, two or more
    spaces, or pipes (or by ``split``: spaced dashes for a dash row)."""
    out, pos = [], 0
    for m in [*split.finditer(line), None]:
        end = m.start() if m is not None else len(line)
        cell = line[pos:end]
        if cell.strip():
            lead = len(cell) - len(cell.lstrip())
            out.append((offset + pos + lead, offset + pos + lead + len(cell.strip()), cell.strip()))
        if m is not None:
            pos = m.end()
    return out


def _tab_cells(line: str, offset: int, sep: str = "\t") -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell split by ``sep`` (a tab, or a pipe), empty ones kept so
    columns count; a pipe table's outer pipes ("| Name | DOB |") make no cells."""
    out, pos = [], 0
    if sep == "|" and line.strip().startswith("|"):
        pos = line.index("|") + 1
        line = line[pos:]
    if sep == "|" and line.rstrip().endswith("|"):
        line = line[: line.rindex("|")]
    for cell in line.split(sep):
        lead = len(cell) - len(cell.lstrip())
        body = cell.strip()
        out.append((offset + pos + lead, offset + pos + lead + len(body), body))
        pos += len(cell) + 1
    return out


def _table_people(text: str, record: NoteRecord) -> list[NotePerson]:
    """People in a table pasted as text: a header row naming at least a name column and one
    of age, DOB or ethnicity, then one row per person up to a blank line."""
    people: list[NotePerson] = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    # a header row has a name column ("Name", "Full name", "Person"): most lines have neither
    lowered = text.lower().split("\n")
    i = 0
    while i < len(lines):
        if "name" not in lowered[i] and "person" not in lowered[i]:
            i += 1
            continue
        # a table pasted from a system with tab stops, or with pipes between its cells, goes
        # by column count, not position
        sep = "\t" if "\t" in lines[i] else "|" if lines[i].count("|") >= 2 else None
        header = _tab_cells(lines[i], offsets[i], sep) if sep else _cells(lines[i], offsets[i])
        kinds = [_column_kind(c[2]) for c in header]
        if "name" not in kinds or not {"age", "dob", "sde"} & set(kinds):
            i += 1
            continue
        starts = [c[0] - offsets[i] for c in header]
        i += 1
        while i < len(lines) and lines[i].strip():
            if sep is not None:
                row = _tab_cells(lines[i], offsets[i], sep)
                cells = [c for c in row if c[2]]
                columns: list[int] | None = [j for j, c in enumerate(row) if c[2]]
            else:
                cells, columns = _cells(lines[i], offsets[i]), None
            person = _table_row(text, cells, starts, kinds, offsets[i], record, columns)
            if person is not None:
                people.append(person)
            elif not (lines[i].startswith((" ", "\t")) or (cells and cells[0][2][:1] in "(-")):
                break  # a row that is no person ends the table, unless it carries on the one above
            i += 1
    return people


# an age cell's years, or its months or weeks (a baby is 0)
_AGE_CELL = re.compile(
    r"(\d{1,3})(?:[ \t]*(months?|mths?|weeks?|wks?)|[ \t]*(?:yrs?|years?|y/?o))?(?![\w/.:])", re.I
)
_PIPE_AGE = re.compile(r"\d{1,3}(?:[ \t]*(?:yrs?|years?|y/?o|months?|mths?|weeks?|wks?))?", re.I)


_DASH_SPLIT = re.compile(r"[ \t]+[-–][ \t]+")
_SPACE_SPLIT = re.compile(r"\t+|[ ]{2,}")
# "MARSH, Kerry-Ann / 09/06/1991 / W1 - driver": spaced slashes (a date's own are unspaced),
# and a spaced dash before the role
_SLASH_SPLIT = re.compile(r"[ \t]+/[ \t]+|[ \t]+[-–][ \t]+")
# a dash row's name: "GREEN, Tasha" or "Tasha GREEN" (a forename and a SURNAME)
_DASH_ROW_NAME = re.compile(
    rf"[{_UP}][{_UP}'’-]+,[ \t]*[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?(?:[ \t]+[{_UP}][{_LO}]+)?"
    rf"|[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?(?:[ \t]+[{_UP}][{_LO}]+)?[ \t]+[{_UP}][{_UP}'’-]+"
)


def _pipe_rows(text: str, record: NoteRecord, taken: set[tuple[int, int]]) -> list[NotePerson]:
    """People in rows of pipe-separated cells with no header ("ASHBY, Kyle | 07/09/2002 | 22 |
    W1 | suspect"): a row whose first cell is a name and whose other cells include a date of
    birth, an age or an ethnicity.  Each column's kind is what most of its rows' cells hold, so
    "local" or "B7" where the others have codes is an ethnicity no code or label names."""
    return _separated_rows(text, record, taken, "|") if "|" in text else []


def _dash_rows(
    text: str, record: NoteRecord, taken: set[tuple[int, int]], inline: list[NotePerson]
) -> list[NotePerson]:
    """People of spaced-dash rows ("GREEN, Tasha - 03/09/1992 - W1 - subject"), spaced-slash
    rows ("MARSH, Kerry-Ann / 09/06/1991 / W1 - driver") and rows in columns of spaces that the
    inline reading missed.  Where it found the person (a name inside the row's name cell), the
    row only fills in what it left out, so its reading of the cells it knows stands."""
    rows = _separated_rows(text, record, taken, "-") if " - " in text or " – " in text else []
    if "  " in text or "\t" in text:
        # "Jodie CAMPBELL    29     victim     M1": rows in columns of spaces, no header
        spaced = {(p.name.start, p.name.end) for p in rows} | taken
        rows += _separated_rows(text, record, spaced, " ")
    if " / " in text:
        slashed = {(p.name.start, p.name.end) for p in rows} | taken
        rows += _separated_rows(text, record, slashed, "/")
    if text.count("/") >= 3:
        rows += _slash_rows(text, record, taken)
    new: list[NotePerson] = []
    for row in rows:
        cell = (row.name.start, row.name.end)
        found = next((p for p in inline if cell[0] <= p.name.start < cell[1]), None)
        if found is None:
            new.append(row)
            continue
        found.dob = found.dob or row.dob
        found.age = found.age or row.age
        found.sde = found.sde or row.sde
        found.roles = found.roles or row.roles
        found.relation = found.relation or row.relation
        if len(row.name.value) > len(found.name.value) and found.name.value in row.name.value:
            found.name = row.name
    return new


# "HALE/Maisie/21.01.2018/F/W1/child present (7)": a national-database style nominal line,
# SURNAME/Forename then fields in any order, some of them empty
_SLASH_ROW = re.compile(
    rf"^[ \t*•-]*(?P<sur>[{_UP}][{_UP}'’-]+)/"
    rf"(?P<fore>[{_UP}][{_LO}'’-]+(?:[ \t]+[{_UP}][{_LO}'’-]+)?)/(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
_SEX_CELL = frozenset({"m", "f", "u", "male", "female"})
_SLASH_ORDER = ("dob", "sex", "sde")


def _slash_rows(text: str, record: NoteRecord, taken: set[tuple[int, int]]) -> list[NotePerson]:
    people: list[NotePerson] = []
    for m in _SLASH_ROW.finditer(text):
        if any(s <= m.start("sur") < e for s, e in taken) or m.group("rest").count("/") < 1:
            continue
        name = f"{m.group('fore')} {m.group('sur')}"
        cells = [(m.start("sur"), m.end("fore"), name)]
        kinds: list[str | None] = ["name"]
        parts = m.group("rest").split("/")
        # the national order (DOB/sex/ethnicity/role) when every field is there, else each
        # cell read for itself
        order = [*_SLASH_ORDER, *["role"] * (len(parts) - 3)] if len(parts) >= 4 else None
        pos = m.start("rest")
        for i, part in enumerate(parts):
            body = part.strip()
            lead = len(part) - len(part.lstrip())
            kind = order[i] if order else _cell_kind(body)
            if body and body.lower() not in _SEX_CELL and kind != "sex":
                cells.append((pos + lead, pos + lead + len(body), body))
                kinds.append(kind if kind != "dob" or _DATE.fullmatch(body) else _cell_kind(body))
            pos += len(part) + 1
        seen: set[str] = set()
        usual: list[str | None] = []
        for kind in kinds:
            usual.append(kind if kind not in seen else None)
            seen.add(str(kind))
        person = _table_row(text, cells, [], usual, 0, record, columns=list(range(len(cells))))
        if person is None:
            continue
        start, end = m.start("sur"), m.end("fore")
        person.name = Value(name, text[start:end], start, end)
        if person.dob is None:  # (the date pattern will not open right after a slash)
            for (c_start, c_end, body), kind in zip(cells, usual, strict=True):
                day = _DATE.fullmatch(body) if kind == "dob" else None
                born = _date_of(day) if day is not None else None
                if born is not None:
                    person.dob = Value(born.isoformat(), body, c_start, c_end)
        people.append(person)
    return people


def _separated_rows(
    text: str, record: NoteRecord, taken: set[tuple[int, int]], separator: str
) -> list[NotePerson]:
    rows: list[tuple[int, list[tuple[int, int, str]], list[str | None]]] = []
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if separator == "|":
            if line.count("|") < 2:
                continue
            cells = _cells(line, start)
        elif separator == "/":
            if line.count(" / ") < 2:
                continue
            cells = _cells(line, start, _SLASH_SPLIT)
        else:
            split = _DASH_SPLIT if separator == "-" else _SPACE_SPLIT
            # two spaced dashes need two dashes (most lines have none: no scan there)
            if separator == "-" and line.count("-") + line.count("–") < 2:
                continue
            if len(split.findall(line.strip())) < 2:
                continue
            cells = _cells(line, start, split)
        if len(cells) < 3 or any(s <= cells[0][0] < e for s, e in taken):
            continue
        if (separator != "|" and not _DASH_ROW_NAME.fullmatch(cells[0][2])) or any(
            w.lower().strip(",") in _not_name_nouns() for w in cells[0][2].split()
        ):
            continue  # "PPN DA | 02/02/2025 | 22:15", "Log NM - 12/10/2024": no person
        kinds: list[str | None] = ["name", *(_cell_kind(c[2]) for c in cells[1:])]
        if {"dob", "age", "sde"} & set(kinds):
            rows.append((start, cells, kinds))
    columns: dict[int, Counter[str]] = defaultdict(Counter)
    for *_, row_kinds in rows:
        for j, kind in enumerate(row_kinds):
            if kind is not None:
                columns[j][kind] += 1
    # dash rows' fields come and go, so their columns mean something only when every row has
    # the same number of cells; otherwise each cell keeps its own kind
    by_column = separator == "|" or (len(rows) > 1 and len({len(r[1]) for r in rows}) == 1)
    people: list[NotePerson] = []
    for start, cells, kinds in rows:
        # each column's usual kind, each kind once per row (the first column holding it)
        seen: set[str] = set()
        usual: list[str | None] = []
        for j, own in enumerate(kinds):
            kind = (
                max(columns[j], key=lambda k: (columns[j][k], k in {"dob", "age", "sde"}))
                if columns[j] and by_column
                else own
            )
            if own is not None and own != kind and own in {"dob", "age", "sde"}:
                kind = own  # a date where the others have ages: still a date
            usual.append(kind if kind not in seen else None)
            seen.add(str(kind))
        person = _table_row(text, cells, [], usual, start, record, columns=list(range(len(cells))))
        if person is not None:
            people.append(person)
    return people


def _cell_kind(value: str) -> str | None:
    """What a table cell holds, read from the cell alone."""
    if _DATE.fullmatch(value):
        return "dob"
    if _PIPE_AGE.fullmatch(value):
        return "age"
    if _CODE.fullmatch(value) or ethnicity_table().normalise(value) is not None:
        return "sde"
    if re.fullmatch(r"[A-Za-z][A-Za-z /'’()-]*", value):
        return "role"
    return None


def _table_row(
    text: str,
    cells: list[tuple[int, int, str]],
    starts: list[int],
    kinds: list[str | None],
    line_offset: int,
    record: NoteRecord,
    columns: list[int] | None = None,
) -> NotePerson | None:
    """One row, each cell given to the column whose header starts nearest before it (or, for
    a tab-separated table, to the column ``columns`` gives it)."""
    by_kind: dict[str, tuple[int, int, str]] = {}
    for n, cell in enumerate(cells):
        if columns is not None:
            col = columns[n]
            if col >= len(kinds):
                continue
        else:
            col = max(
                (j for j, st in enumerate(starts) if st <= cell[0] - line_offset + 1), default=0
            )
        kind = kinds[col]
        if kind == "name" and not _TABLE_NAME.fullmatch(cell[2]) and col + 1 < len(kinds):
            # "Callum HARGREAVES 7 Aug 2008, 15": a long name runs into the next column
            head = _TABLE_NAME.match(cell[2])
            rest = cell[2][head.end() :].lstrip(" ,") if head else ""
            after = kinds[col + 1]
            if head and rest[:1].isdigit() and after is not None and after not in by_kind:
                by_kind[after] = (cell[1] - len(rest), cell[1], rest)
                named = head.group().rstrip(" ,")
                cell = (cell[0], cell[0] + len(named), named)
        if kind is not None and kind not in by_kind:
            by_kind[kind] = cell
    name = by_kind.get("name")
    if name is None or not _TABLE_NAME.fullmatch(name[2]):
        return None
    person = NotePerson(name=Value(name[2], name[2], name[0], name[1]))
    if (age := by_kind.get("age")) and (m := _AGE_CELL.match(age[2])):
        years = 0 if m.group(2) else int(m.group(1))
        person.age = Value(years, m.group(1), age[0], age[0] + len(m.group(1)))
    if (dob := by_kind.get("dob")) and (m := _DATE.search(text, dob[0], dob[1])):
        d = _date_of(m)
        if d is not None:
            person.dob = Value(d.isoformat(), m.group(), m.start(), m.end())
    elif dob and person.age is None and (m := _AGE_CELL.match(dob[2])):
        # "18 months" or "41" in a "DOB / age" column: an age
        years = 0 if m.group(2) else int(m.group(1))
        person.age = Value(years, m.group(1), dob[0], dob[0] + len(m.group(1)))
    sde = by_kind.get("sde")
    if sde is not None and _IC.fullmatch(sde[2].strip()):
        # "IC1" in the ethnicity column: officer-defined, no self-defined value at all
        if not any(v.start == sde[0] for v in record.officer_defined):
            record.officer_defined.append(Value(sde[2], sde[2], sde[0], sde[1]))
        sde = None
    if sde:
        code = _CODE.match(sde[2])
        value = code.group("code") if code else None
        if value is None:
            folded = _fold(sde[2])
            lex = _lexicon()
            value = (
                ethnicity_table().normalise(sde[2])
                or lex.strong_labels.get(folded)
                or lex.weak_labels.get(folded)
            )
        if value is None and (code := _CODE.search(sde[2])) is not None:
            # "Black African, self-defines as Somali (B2)": the code inside the cell
            value = code.group("code")
            sde = (sde[0] + code.start(), sde[0] + code.end(), code.group())
            code = _CODE.match(sde[2])
        if value is not None:
            person.sde = Value(
                value,
                code.group() if code else sde[2],
                sde[0],
                sde[0] + (len(code.group()) if code else len(sde[2])),
            )
            record.ethnicity.append(person.sde)
            if value == "NS" and not _ns_reason(text, person.sde, _lexicon()):
                record.not_stated_without_reason.append(person.sde)
        elif _fold(sde[2]) and _fold(sde[2]) not in _lexicon().missing_values:
            # "X1" in the SDE column: a value that is no code or label (ETH003)
            record.unrecognised_ethnicity.append(Value(None, sde[2], sde[0], sde[1]))
    if role := by_kind.get("role"):
        lowered = role[2].lower()
        if person.age is None and (m := _AGE_IN_ROLE.search(role[2])):
            # "sister, 12", "subject, 17": the age written after the role in its cell
            start = role[0] + m.start(1)
            person.age = Value(int(m.group(1)), m.group(1), start, start + len(m.group(1)))
            lowered = lowered[: m.start()].strip()
        person.relation = lowered
        for word, kind in _lexicon().role_of.items():
            if re.search(r"\b" + re.escape(word) + r"\b", lowered):
                person.roles.append(kind)
                break
    return person


_AGE_IN_ROLE = re.compile(
    r"[,(][ \t]*(?:aged?[ \t]*)?(\d{1,2})[ \t]*(?:yrs?|y/?o)?[ \t]*\)?[ \t]*$", re.IGNORECASE
)


_JOINED_AFTER_ROLE = re.compile(r"\b(?:and|with|or|plus)\b|[&+]", re.IGNORECASE)


# "gave birth on 16/04/24 to a girl, Selam HAILE": the baby's date of birth
_BIRTH = re.compile(
    r"\b(?:gave[ \t]+birth|was[ \t]+delivered)[ \t]+(?:on[ \t]+)?(?P<date>[\w/.-]+)[ \t]+"
    r"(?:at[ \t]+[\w:]+[ \t]+)?to[ \t]+(?:a|her)[ \t]+(?:baby[ \t]+)?(?:girl|boy|son|daughter)"
    r"[ \t]*,?[ \t]*(?:named[ \t]+|called[ \t]+)?(?=[A-Z])",
    re.IGNORECASE,
)


def _apply_births(
    text: str,
    persons: dict[int, NotePerson],
    names: list[tuple[int, int, str]],
    lex: _Lexicon,
) -> None:
    """A baby born on a date the note gives, named right after ("gave birth on 16/04/24 to a
    girl, Selam HAILE"): that date is the baby's date of birth."""
    if "birth" not in text and "delivered" not in text:
        return
    for m in _BIRTH.finditer(text):
        day = _DATE.fullmatch(m.group("date"))
        born = _date_of(day) if day is not None else None
        i = next((k for k, n in enumerate(names) if n[0] == m.end()), None)
        if born is None or i is None or day is None:
            continue
        person = persons.get(i)
        if person is None:
            person = persons[i] = _new_person(text, names[i], lex)
        if person.dob is None and person.age is None:
            start = m.start("date")
            person.dob = Value(born.isoformat(), day.group(), start, start + len(day.group()))


def _new_person(text: str, name: tuple[int, int, str], lex: _Lexicon) -> NotePerson:
    start, end, value = name
    person = NotePerson(name=Value(value, text[start:end], start, end))
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start]
    role = lex.role_re.match(text, line_start)
    if (
        role is not None
        and role.end() <= start + 1
        and len(head.strip()) <= 40
        # "Mum and Jayden: he cried ...": the role is the other person's
        and not _JOINED_AFTER_ROLE.search(text, role.end(), start)
    ):
        person.roles.append(lex.role_of[re.sub(r"[ \t]+", " ", role.group("role").lower())])
    before = text[max(line_start, start - 60) : start]
    rel = lex.relation_re.search(before)
    if rel is not None:
        person.relation = rel.group("rel").lower()
    elif person.roles and person.roles[0] in {"child", "parent_carer"}:
        person.relation = role.group("role").lower() if role else None
    word = (person.relation or "").split("-")[-1]
    person.sex = (
        _SEX_WORDS.get(word)
        if word
        in {
            "son",
            "daughter",
            "brother",
            "sister",
            "mum",
            "mother",
            "dad",
            "father",
            "stepson",
            "stepdaughter",
            "stepbrother",
            "stepsister",
            "husband",
            "wife",
            "boyfriend",
            "girlfriend",
        }
        else None
    )
    return person


def _attach(person: NotePerson, attr: _Attr) -> None:
    if attr.kind == "dob" and person.dob is None:
        person.dob = attr.value
    elif attr.kind == "age" and person.age is None:
        person.age = attr.value
    elif attr.kind == "sde" and person.sde is None:
        person.sde = attr.value
    elif attr.kind == "ode" and person.ode is None:
        person.ode = attr.value
    elif attr.kind == "sex" and person.sex is None:
        person.sex = attr.value.value


def _labelled_person(text: str, name: tuple[int, int, str], lex: _Lexicon) -> bool:
    """A name opening a line under a role label ("Suspect: Kyle DEAN") is a person of the note.

    A lone capitalised word there that the note never writes again is the first word of a
    sentence, not a name ("VICTIM - Shaken, angry.", "CHILDREN - None involved.")."""
    start, end, value = name
    line_start = text.rfind("\n", 0, start) + 1
    role = lex.role_re.match(text, line_start)
    if role is None or role.end() > start + 1 or len(text[line_start:start]) > 40:
        return False
    if " " in value.strip():
        return True
    return _written_again(text, value, end, len(text)) or _written_again(text, value, 0, start)


def _written_again(text: str, value: str, pos: int, endpos: int) -> bool:
    r"""Whether ``re.compile(rf"(?<![\w'’-]){re.escape(value)}(?![\w'’-])").search(text, pos,
    endpos)`` finds one, by ``str.find`` (a pattern compiled for each name cost more than the
    rest of the reading of it): the look-behind reads before ``pos``, the look-ahead nothing
    from ``endpos`` on."""
    n = len(value)
    i = text.find(value, pos, endpos)
    while i >= 0:
        if (i == 0 or not _joins_word(text[i - 1])) and (
            i + n >= endpos or not _joins_word(text[i + n])
        ):
            return True
        i = text.find(value, i + 1, endpos)
    return False


def _joins_word(c: str) -> bool:
    r"""``c`` is in ``[\w'’-]`` (``re``'s ``\w`` of a str pattern: ``isalnum`` or "_")."""
    return c.isalnum() or c in "_'’-"


@lru_cache(maxsize=_TEXT_PARTS)
def _names(text: str, lex: _Lexicon) -> list[tuple[int, int, str]]:
    stop = _not_names()
    out: list[tuple[int, int, str]] = []
    key_ends: dict[int, int] = {}  # line start -> _label_key_end of the line (names share lines)
    known = _NAME_WORDS
    for m in _NAME.finditer(text):
        found = m.group("name")
        entry = known.get(found)
        if entry is None:
            if len(known) >= _NAME_WORDS_SIZE:
                known.clear()
            entry = known[found] = _name_words(found, stop)
        stop_word_forename, words = entry
        # a short forename that is also a stop word before a SURNAME and a value ("An VU, 4")
        if stop_word_forename and _VALUE_AFTER_NAME.match(text, m.end()):
            out.append((m.start(), m.end(), m.group("name")))
            continue
        if words is None or (m.end() < len(text) and _PLACE_AFTER.match(text, m.end())):
            continue
        name = " ".join(words)
        start = m.start() + m.group().index(words[0])
        end = text.find(words[-1], start) + len(words[-1])
        line_start = text.rfind("\n", 0, start) + 1
        key_end = key_ends.get(line_start)
        if key_end is None:
            key_end = key_ends[line_start] = _label_key_end(text, line_start)
        if start - line_start < key_end or _a_place(text, (start, end, name)):
            continue  # in an attribute line's label ("Date of birth:"), or a place
        out.append((start, end, name))
    # "IP jade MORLEY DOB 21-7-95": a forename typed in lower case, its SURNAME in capitals and
    # a value right after them
    for m in _on_lines(_FORENAME_VALUE_LINE, _LOWER_FORENAME, text):
        forename, surname = m.group("fore"), m.group("sur")
        if not (forename[0].islower() and surname.isupper() and len(surname) > 1):
            continue  # (the pattern ignores case for its cue words only)
        if forename in stop or surname.lower() in stop or surname in _NOT_SURNAMES:
            continue
        if not any(s <= m.start("fore") < e for s, e, _ in out):
            out.append((m.start("fore"), m.end("sur"), f"{forename.capitalize()} {surname}"))
    out.sort()
    return _with_nicknames(text, out)


# what _name_words made of each match of _NAME (its words hold the same for every note)
_NAME_WORDS: dict[str, tuple[bool, list[str] | None]] = {}
_NAME_WORDS_SIZE = 20_000
_HYPHENS = re.compile(r"[-‐]")


def _name_words(found: str, stop: frozenset[str]) -> tuple[bool, list[str] | None]:
    """What the match ``found`` of _NAME says by itself: whether it is a short forename that
    is also a stop word before a SURNAME (a name if a value follows), and the words of the
    name it holds, or None when it holds none (``_names`` then tests what follows it)."""
    if " " not in found and "\t" not in found and found.lower().strip("'’") in stop:
        return False, None  # one word that cannot be a forename ("When", "The"): most matches
    words = found.split()
    stop_word_forename = (
        len(words) > 1 and words[0].lower() in _STOP_WORD_FORENAMES and words[1].isupper()
    )
    # Drop leading words that cannot be a forename ("When Kayla", "IP Leanne")
    while words and (
        words[0].lower().strip("'’") in stop
        or (
            words[0].isupper()
            and len(words) > 1
            and not any(w.isupper() for w in words[1:])
            and words[0].lower() in stop
        )
    ):
        words = words[1:]
    while words and words[-1].lower() in stop:
        words = words[:-1]
    if not words:
        return stop_word_forename, None
    if all(w.isupper() for w in words) and len(words) == 1:
        return stop_word_forename, None
    if all(part.lower() in stop for w in words for part in _HYPHENS.split(w) if part):
        return stop_word_forename, None  # "Polish-British", "Black-British": no name's words
    if _PLACE_AT_END.search(found) or words[-1].endswith(("'s", "’s")):
        return stop_word_forename, None
    return stop_word_forename, words


# forenames that are also English stop words ("An VU", "Will HART", "May OSEI")
_STOP_WORD_FORENAMES = frozenset(
    {"an", "al", "jo", "will", "may", "bo", "mo", "ed", "jun", "jan", "june", "april", "august"}
)
# a person's value straight after a name: ", 4 (DOB", " (4)", ", DOB", " aged 4"
_VALUE_AFTER_NAME = re.compile(r"[ \t]*(?:,[ \t]*\d{1,2}\b|\([ \t]*\d|,?[ \t]*(?:DOB|dob|aged?)\b)")


# the value after the SURNAME: "jade MORLEY DOB ...", "jade MORLEY (7)"
_FORENAME_VALUE = (
    r"(?:dob\b|d\.o\.b|b\.[ \t]*\d|aged?[ \t]*\d|\d{1,2}[ \t]*(?:yrs|y/?o|yo)\b|\(\d|sde\b)"
)
_LOWER_FORENAME = re.compile(
    rf"(?<![\w'’.-])(?P<fore>[a-z][{_LO}'’-]+)[ \t]+(?P<sur>(?:Mc|Mac|O')?[{_UP}][{_UP}'’-]+)"
    rf"(?=[ \t,(]+{_FORENAME_VALUE})",
    re.IGNORECASE,
)


class _LinesHolding:
    """The whole lines holding a match of ``cue`` (which never spans a newline), as the
    ``finditer`` of ``^[^\n]*?(?:cue)[^\n]*`` with MULTILINE gives them, found by one search for
    the cue per line: the lazy scan tried the cue at every character (under IGNORECASE: this
    searches the lower-cased text, ``caseless``), about four times slower."""

    def __init__(self, cue: re.Pattern[str]) -> None:
        self.cue = caseless(cue)

    def finditer(self, text: str) -> Iterator[_Span]:
        pos = 0
        while (m := self.cue.search(text, pos)) is not None:
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            if end < 0:
                yield _Span(text, start, len(text))
                return
            yield _Span(text, start, end)
            pos = end + 1


# a line with such a value in it: the only lines _LOWER_FORENAME can match in (a few)
_FORENAME_VALUE_LINE = _LinesHolding(re.compile(rf"[ \t,(]{_FORENAME_VALUE}", re.IGNORECASE))
# capitals after a lower-case word that are no surname
_NOT_SURNAMES = frozenset({"DOB", "SDE", "IP", "DP", "NFA", "MASH", "DASH", "CSE", "CCE", "PPN"})


_NICKNAME_THEN_SURNAME = re.compile(
    r"[ \t]+[\"“'‘][^\"”'’\n]{1,24}[\"”'’][ \t]+(?P<surname>" + _CAPS + "|" + _WORD + ")"
)


def _with_nicknames(text: str, names: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Patrick "Paddy" McDONAGH': one name, not three (the nickname is in its span)."""
    out: list[tuple[int, int, str]] = []
    skip_to = -1
    for start, end, value in names:
        if start < skip_to:
            continue
        m = _NICKNAME_THEN_SURNAME.match(text, end) if " " not in value else None
        if m is not None:
            out.append((start, m.end(), f"{value} {m.group('surname')}"))
            skip_to = m.end()
            continue
        out.append((start, end, value))
    return out


# "of Willow Farm, Nether Wyck", "at 12 Mill Lane": a capitalised name after a place
# preposition (or after the first part of such an address) is a place, not a person
_PLACE_BEFORE = re.compile(
    r"\b(?:of|at|in|near)[ \t]+(?:\d+[A-Za-z]?,?[ \t]+)?(?:[A-Z][^,.;:()\n]{0,40},[ \t]*)?$"
)


def _a_place(text: str, name: tuple[int, int, str]) -> bool:
    start = name[0]
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 60) : start]
    return _PLACE_BEFORE.search(before) is not None and not _is_person_like(text, name)


def _label_key_end(text: str, line_start: int) -> int:
    """ "Date of birth:  11/09/2006": where the label of the attribute line starting at
    ``line_start`` ends (a capitalised word before it is no name), relative to the line; 0
    when the line is no attribute line."""
    line_end = text.find("\n", line_start)
    label = _LINE_LABEL.match(text[line_start : len(text) if line_end < 0 else line_end])
    if label is None or _ATTR_KEYS.match(label.group("key").strip().rstrip(".")) is None:
        return 0
    return label.end("key")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _owner(
    text: str,
    names: list[tuple[int, int, str]],
    attr: _Attr,
    persons: dict[int, NotePerson] | None = None,
) -> int | None:
    """The name a value belongs to: the nearest name before it in its clause or block."""
    pos = attr.value.start
    best: int | None = None
    for i, (_start, end, _) in enumerate(names):
        if end > pos:
            break
        best = i
    if best is not None:
        start, end, _ = names[best]
        between = text[end:pos]
        if "\n" not in between:
            limit = 45 if attr.kind == "age" else 160
            if _SENT_END.search(between) is None and len(between) <= limit:
                return best
            if _field_dump(between):
                return best
            # "Kayla-Mae FENWICK, 14 (...). She describes herself as Mixed ...": a cued
            # ethnicity in the next sentence belongs to the person named last before it (a
            # name already known as a person's: places are names too)
            if attr.cued:
                person = _known_person_before(text, names, best, pos, persons or {})
                if person is not None:
                    return person
            # "Father: Tariq IQBAL, 54. British Pakistani (A2).": on a line that is one
            # person's entry (the name opens it, after at most a role label, and values
            # follow it), that person's ethnicity may come sentences later
            if (
                attr.kind in ("sde", "ode", "ns")
                and len(between) <= 200
                and _heads_an_entry(text, start, end)
            ):
                return best
        elif _block_continues(text, end, pos) and len(between) <= 400:
            return best
    # "a 15-year-old, Jayden R." / "aged 7, Lily": an age right before a name.
    if attr.kind == "age":
        for i, (start, _end, _) in enumerate(names):
            if 0 <= start - attr.value.end <= 12 and re.fullmatch(
                r"[ \t,]*(?:(?:girl|boy|child|male|female|son|daughter)[ \t,]*)?",
                text[attr.value.end : start],
            ):
                return i
    return None


# what may stand before the name that opens a person's entry line: a bullet or number, then a
# short role label ("Father:", "Driver/suspect:", "IP -", "Nan:")
_ENTRY_LEAD = re.compile(
    r"[ \t]*(?:[-*•·>]+[ \t]*|\d{1,2}[.)][ \t]+)?"
    r"(?:[A-Za-z][A-Za-z0-9 /'’&-]{0,28}?[ \t]*(?::|[-–—](?=[ \t]))[ \t]*)?"
)
# what follows that name on its line: its values ("Tariq IQBAL, 54", "Skye M (15)", " - 44")
_ENTRY_VALUES = re.compile(r"[ \t]*(?:,|\(|[-–—][ \t])")


def _heads_an_entry(text: str, start: int, end: int) -> bool:
    """The name at ``start``-``end`` opens its line (after at most a bullet and a role label)
    and values follow it: the line is that person's entry."""
    line_start = text.rfind("\n", 0, start) + 1
    lead = _ENTRY_LEAD.match(text, line_start, start)
    return lead is not None and lead.end() == start and _ENTRY_VALUES.match(text, end) is not None


def _field_dump(between: str) -> bool:
    """ "Name: Kayla DUNNE; DOB: 14.02.2010; Age: 14; SDE: W2": between the name and the
    value only "; Key: value" fields of a person's own attributes (a custody system's dump)."""
    fields = between.split(";")
    if len(fields) < 2 or len(between) > 200 or fields[0].strip(" \t,"):
        return False
    for i, part in enumerate(fields[1:], start=1):
        key, colon, value = part.partition(":")
        if not colon or _ATTR_KEYS.match(key.strip()) is None:
            return False
        if i == len(fields) - 1 and value.strip():
            return False  # the value itself follows the last key
    return True


def _known_person_before(
    text: str,
    names: list[tuple[int, int, str]],
    last: int,
    pos: int,
    persons: dict[int, NotePerson],
) -> int | None:
    """The nearest name before ``pos`` on the same line, within 300 characters, that is a
    person: it already owns a value, or it is the same forename as one that does."""
    known = {names[i][2].split()[0] for i in persons}
    for i in range(last, -1, -1):
        _start, end, value = names[i]
        if pos - end > 300 or "\n" in text[end:pos]:
            return None
        if i in persons or value.split()[0] in known:
            return i
    return None


def _owners_with_both(
    text: str, names: list[tuple[int, int, str]], owner: int, attr: _Attr
) -> list[int]:
    """ "Both told me they are British Bangladeshi (A3)": a cued ethnicity said of "both"
    belongs to the last two different people named before it; "Amara NWOSU and Kene NWOSU,
    both 4 (14.01.2020)": a value after "both" belongs to both names joined by "and"."""
    shared = _shared_by_pair(text, names, owner, attr)
    if shared is not None:
        return shared
    if attr.kind != "sde" or not attr.cued:
        return [owner]
    sentence_start = max(
        text.rfind(". ", 0, attr.value.start), text.rfind("\n", 0, attr.value.start)
    )
    if not re.search(r"\bboth\b", text[sentence_start + 1 : attr.value.start], re.IGNORECASE):
        return [owner]
    first = names[owner][2].split()[0]
    for i in range(owner - 1, -1, -1):
        _start, end, value = names[i]
        if attr.value.start - end > 300:
            break
        if value.split()[0] != first and _is_person_like(text, names[i]):
            return [i, owner]
    return [owner]


_BOTH_AFTER = re.compile(
    # "Lexi BLOWERS, 5 (dob 08/01/2019), both White British": her own values may come first
    r"(?:[ \t]*[,(]?(?:(?!\.[ \t])[^\n]){0,30}?[,)])?[ \t]*[,(]?[ \t]*(?:both|each)\b[^.\n]{0,40}$",
    re.IGNORECASE,
)
_JOINED = re.compile(r"[ \t]*(?:,|and|&)[ \t]*(?:and[ \t]+)?$")
# "Mason BLOWERS, 8 (dob 19/06/2015), and Lexi ...": the first name's own values between
_JOINED_WITH_VALUES = re.compile(
    r"[ \t]*[,(]?(?:(?!\.[ \t])[^\n]){0,45}?(?:\d|\))[ \t]*\)?[ \t]*(?:,[ \t]*)?(?:and|&)[ \t]*$"
)


def _shared_by_pair(
    text: str, names: list[tuple[int, int, str]], owner: int, attr: _Attr
) -> list[int] | None:
    """The two names of "A and B, both <value>", when ``attr`` follows "both" after B."""
    if owner == 0 or attr.kind not in {"age", "dob", "sde"}:
        return None
    end = names[owner][1]
    if not 0 <= attr.value.start - end <= 45 or not _BOTH_AFTER.match(text[end : attr.value.start]):
        return None
    prev_end = names[owner - 1][1]
    between = text[prev_end : names[owner][0]]
    if _JOINED.match(between) is None and _JOINED_WITH_VALUES.fullmatch(between) is None:
        return None
    return [owner - 1, owner]


def _is_person_like(text: str, name: tuple[int, int, str]) -> bool:
    """A SURNAME in capitals, an initial, or a value right after it ("Rafiq UDDIN, 42")."""
    _start, end, value = name
    words = value.split()
    if len(words) > 1 and (words[-1].isupper() or re.fullmatch(r"[A-Z]\.?", words[-1])):
        return True
    return (
        re.match(r"[ \t]*[,(][ \t]*(?:\d|DOB|d\.o\.b|aged)", text[end:], re.IGNORECASE) is not None
    )


def _block_continues(text: str, name_end: int, pos: int) -> bool:
    """A value on a later line belongs to the name above when every line between (and the
    value's own line) is a labelled attribute line: ``DOB: ...`` / ``SDE: ...``."""
    line_end = text.find("\n", name_end)
    if line_end < 0 or line_end >= pos:
        return True
    while 0 <= line_end < pos:
        nxt = text.find("\n", line_end + 1)
        line = text[line_end + 1 : nxt if nxt >= 0 else len(text)]
        if not line.strip():
            return False
        label = _LINE_LABEL.match(line)
        if (
            label is None or not _ATTR_KEYS.match(label.group("key").strip().rstrip("."))
        ) and not _UNLABELLED_ATTR_LINE.match(line):
            return False
        if nxt < 0:
            break
        line_end = nxt
        if line_end >= pos:
            break
    return True


def _dates(text: str) -> list[_Attr]:
    out = []
    for m, d in _date_matches(text):
        if d is None:
            continue
        before = text[max(0, m.start() - 24) : m.start()]
        cue = _DOB_CUE.search(before) is not None
        # "Dean QUARRINGTON (17/10/89, W1)": a date first in brackets or after a comma.
        bracketed = (
            re.search(r"[(,][ \t]*$", before) is not None
            and re.search(r"[^\W\d_][ \t]*[(,][ \t]*$", before) is not None
        ) or _AGE_THEN_DATE.search(before) is not None
        # "Mariam AKHTAR - 02.10.2007 - 17 - British Pakistani": a field list of dashes or pipes
        listed = _LISTED_BEFORE.search(before) is not None and _LISTED_AFTER.match(text, m.end())
        # "Tenant: Gary SUTCLIFFE 12/01/1972, SDE W1": a date right after a SURNAME, at least a
        # year before the note's latest date (a date of the incident is no birth)
        after_name = (
            _SURNAME_BEFORE.search(before) is not None
            and _VALUE_ENDS.match(text, m.end()) is not None
            and d <= _latest_date(text) - timedelta(days=365)
        )
        if not (cue or bracketed or listed or after_name):
            continue
        if not cue and _TIME_AFTER.match(text, m.end()):
            continue  # "4 Lighthouse View, Quaynton, 12/07/2025 15:00": when, not a birth
        if not cue and re.search(
            r"\b(?:on|at|from|since|until|dated|of)[ \t]*[(,]?[ \t]*$", before, re.IGNORECASE
        ):
            continue
        start = m.start()
        out.append(_Attr("dob", Value(d.isoformat(), m.group(), start, m.end())))
        age = _LISTED_AGE.match(text, m.end()) if listed else None
        if age is not None:
            out.append(_Attr("age", Value(int(age.group(1)), age.group(1), *age.span(1))))
    return out


_SURNAME_BEFORE = re.compile(rf"[{_UP}][{_LO}]+[ \t]+[{_UP}][{_UP}'’-]*[{_UP}][ \t]+$")
_VALUE_ENDS = re.compile(
    r"[ \t]*(?:[,;(]|$|[ \t]+(?:sde|\(|[-–][ \t]))", re.IGNORECASE | re.MULTILINE
)


def _latest_date(text: str) -> date:
    """The latest date the note writes (any date, with or without a cue)."""
    return max((d for _, d in _date_matches(text) if d is not None), default=date.max)


# a clock time straight after a date: "12/07/2025 15:00", "12/07/2025, 1500hrs"
_TIME_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:at[ \t]+)?"
    r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d\b|(?:[01]\d|2[0-3])[0-5]\d[ \t]*(?:hrs|hours|h)\b)",
    re.IGNORECASE,
)
# "Shania GREEN, 11, 28/02/2013": a date after a name's age
_AGE_THEN_DATE = re.compile(rf"[{_UP}][{_UP}{_LO}'’-]+[ \t]*,[ \t]*\d{{1,2}}[ \t]*,[ \t]*$")


# "Mother - Agnieszka NOWAK - 33 - W9 Polish", "Child - Maja K - 9 (DOB ...)": an age between
# dashes or pipes right after a name
_PERSON_LABEL = re.compile(r"[ \t]*:")
_LABEL_DEFINED = re.compile(r"^[ \t*•-]*(?P<label>[MFC][1-9])[ \t]*:", re.MULTILINE)


@lru_cache(maxsize=_TEXT_PARTS)
def _person_labels(text: str) -> frozenset[str]:
    """The labels a note gives people in a list ("M1: driver ...", "F1: ...")."""
    return (
        frozenset(m.group("label") for m in _LABEL_DEFINED.finditer(text))
        if ":" in text
        else frozenset()
    )


_LISTED_NAME_AGE = re.compile(
    rf"[{_UP}][{_LO}]+[ \t]+[{_UP}][{_UP}'’-]+[ \t]+[-–|][ \t]+(\d{{1,3}})"
    r"(?=[ \t]*(?:[-–|,(](?!\d)|$))",  # not a date: "Dante CLARKE - 23-02-24 to 25-02-24"
    re.MULTILINE,
)
_LISTED_BEFORE = re.compile(rf"[{_UP}][{_LO}]+[ \t]+[{_UP}][{_UP}'’-]+[ \t]+[-–|][ \t]*$")
_LISTED_AFTER = re.compile(r"[ \t]+[-–|][ \t]")
_LISTED_AGE = re.compile(r"[ \t]+[-–|][ \t]+(\d{1,3})(?=[ \t]*(?:[-–|](?!\d)|$))", re.MULTILINE)


@lru_cache(maxsize=_TEXT_PARTS)  # also: _dates and _reference_date scan for the same dates
def _date_matches(text: str) -> tuple[tuple[re.Match[str], date | None], ...]:
    """Every match of the date pattern in ``text`` with the date it names (None if none)."""
    return tuple((m, _date_of(m)) for m in _on_lines(_digit_lines(text), _DATE, text))


# a line with a digit in it (the first digit found without going back: one pass per line)
_DIGIT_LINE = re.compile(r"^[^\n\d]*\d[^\n]*", re.MULTILINE)


@lru_cache(maxsize=_TEXT_PARTS)
def _digit_lines(text: str) -> tuple[_Span, ...]:
    """The lines ``_DIGIT_LINE`` finds, found once for the dates and the ages."""
    return tuple(_Span(text, m.start(), m.end()) for m in _DIGIT_LINE.finditer(text))


def _on_lines(
    lines: re.Pattern[str] | _LinesHolding | tuple[_Span, ...], pattern: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` over only the whole lines that ``lines`` finds, for a
    pattern each of whose matches lies within a line that ``lines`` would find, with
    look-arounds that read nothing past the line's end but its newline (the date and age
    patterns in the lines with a digit: about half of a note's text; a lower-case forename
    in the lines with its value): each line is scanned as if the text ended there."""
    for line in lines if isinstance(lines, tuple) else lines.finditer(text):
        yield from pattern.finditer(text, line.start(), line.end())


def _date_of(m: re.Match[str]) -> date | None:
    try:
        if m.group("d"):
            day, month, year = int(m.group("d")), int(m.group("m")), m.group("y")
        else:
            day, month, year = int(m.group("d2")), _MONTH_NUM[m.group("m2").lower()], m.group("y2")
        y = int(year)
        if len(year) == 2:
            y += 2000 if y <= 30 else 1900
        return date(y, month, day)
    except (ValueError, KeyError):
        return None


# the checks on each age found, compiled once (each is asked of thousands of ages)
_AGE_OF_NEXT_WORD = re.compile(r"[ \t]+(?!girl|boy|child|son|daughter)[a-z]")
_DURATION_BEFORE = re.compile(
    r"\b(?:after|for|over|within|last|past|about|around|nearly|almost|than|of|every|"
    r"since|in)[ \t]*$",
    re.IGNORECASE,
)
_AFTER_SURNAME = re.compile(r"[A-Z][ \t]$")  # a5 takes "CAMPBELL 13 (" before a6 can
_DOB_AFTER_BARE_AGE = re.compile(
    r"[ \t]*\([ \t]*(?:d\.?o\.?b|born|\d{1,2}[/.-])|,[ \t]*(?:d\.?o\.?b|born)\b", re.IGNORECASE
)
_NUMBERED_BEFORE = re.compile(
    r"(?:\bpc|\bps|\bdc|\bds|\bsgt|\bno\.?|\bflat|\bhouse|\broom|\bcollar|#|£|\$|x)"
    r"[ \t]*$",
    re.IGNORECASE,
)
_LISTED_AGE_BEFORE = re.compile(
    r"(?:[^\W\d_]|\))\.?[ \t]*[(,][ \t]*$|\d[ \t]*[(,][ \t]*$"
    r"|\b(?:W[1239]|M[1239]|A[1-49]|B[129]|O[29]|NS)[ \t]*,[ \t]*$"
)
_COUNT_AFTER = re.compile(
    r"[ \t]*[),][ \t]*(?:\d|pm|am|hrs|hours|mins|minutes|times|x\b)", re.IGNORECASE
)


@lru_cache(maxsize=_TEXT_PARTS)
def _ages(text: str) -> list[_Attr]:
    out = []
    for m in _on_lines(_digit_lines(text), _AGE_FORMS, text):
        for g in ("a1", "a2", "a3", "a4", "a5", "a6", "a7"):
            if m.group(g) is not None:
                digits = m.group(g)
                unit = (m.group("u" + g[1]) if g in {"a1", "a2", "a3"} else "") or ""
                break
        years = int(digits)
        if unit.lower().startswith(("m", "w", "d")):  # months, weeks or days: a baby
            years = 0
        if years > 110:
            continue
        if m.group("a3") is not None and _AGE_OF_NEXT_WORD.match(text, m.end()):
            continue  # "a 14-year-old friend": the age of the word after it, not of a name
        if _DURATION_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "after 2 yrs", "for 3 years": a duration, not an age
        # "Leanne 29 (DOB ...)", "Brooke 8, DOB ...": a bare number needs the DOB right after it.
        if (
            m.group("a5") is not None
            and not _DOB_AFTER_BARE_AGE.match(text, m.end())
            and not _AFTER_SURNAME.search(text, max(0, m.start() - 2), m.start())
        ):
            continue  # (but "Jordan CAMPBELL 13 (B1)": a6's bare age after a SURNAME)
        if m.group("a4") is not None:
            # A bare number in a list: not a house number, time, count or collar number.
            before = text[max(0, m.start() - 30) : m.start()]
            if _NUMBERED_BEFORE.search(before):
                continue
            if not _LISTED_AGE_BEFORE.search(before):
                continue
            after = text[m.end() : m.end() + 20]
            if _COUNT_AFTER.match(after) and not _DATE.match(after.lstrip(" \t),")):
                continue  # (but "Shania GREEN, 11, 28/02/2013": an age, then a date of birth)
        start = m.start(g)
        out.append(_Attr("age", Value(years, digits, start, start + len(digits))))
    # "four younger siblings (Wahid 12, Parwana 10, Nasir 7, Laila 4)": names with bare ages,
    # two or more in a list
    for run in _NAME_AGE_LIST.finditer(text):
        for pair in _NAME_AGE.finditer(text, run.start(), run.end()):
            digits = pair.group("age")
            start = pair.start("age")
            if not any(a.value.start == start for a in out):
                out.append(_Attr("age", Value(int(digits), digits, start, start + len(digits))))
    return out


def _ics(text: str) -> list[_Attr]:
    out = []
    for m in caseless(_IC).finditer(text):
        code = m.group("ic").upper().replace(" ", "").replace("\t", "")
        out.append(_Attr("ode", Value(code, m.group("ic"), m.start(), m.end())))
    return out


# a label's checks, compiled once (each is asked of thousands of labels): a value between
# delimiters ("(White British)", "- W1 -", "as British"), and a language, a shop or a flag
_DELIMITED_BEFORE = re.compile(r"(?:[(,/]|[-–]|\bas)[ \t]*$")
_DELIMITED_AFTER = re.compile(
    r"[ \t]*(?:[),/;.\n]|[-–]|$|\(|[ \t]+(?:male|female|boy|girl|heritage|background|"
    r"origin|descent)\b)"
)
_NOT_A_PERSON_AFTER = re.compile(
    r"[ \t]*(?:interpreter|speaking|speaker|language|translator|food|takeaway|restaurant|"
    r"shop|community|flag|national|passport|embassy|citizen)",
    re.IGNORECASE,
)


def _ethnicities(text: str, lex: _Lexicon, record: NoteRecord) -> list[_Attr]:
    """Codes and labels of self-defined ethnicity, cued or in a person's values."""
    out: list[_Attr] = []
    for m in _CODE.finditer(text):
        code = m.group("code")
        if code == "O1":
            code = "A4"
        before = text[max(0, m.start() - 40) : m.start()]
        cued = _cued(before, lex)
        road = _NOT_CODE_AFTER.match(text, m.end()) or _NOT_CODE_BEFORE.search(before)
        if road and not cued:
            continue
        if _ic_before(before):
            continue
        if _PERSON_LABEL.match(text, m.end()) and re.search(r"(?:^|\n)[ \t*•-]*$", before):
            continue  # "M1: male, 30s, seen ...": a person's label in a list (M1, F1, C1 ...)
        if code in _person_labels(text) and not (cued or re.search(r"[(,/][ \t]*$", before)):
            continue  # "M1 had 11 passports": the person so labelled, not a code
        if code == "NS" and not (
            cued or re.search(r"[(,/)\-–][ \t]*$|\b(?:is|was|as)[ \t]+$", before)
            # "Lee BRIGGS, 36yrs. NS.": the code slot after a person's age
            or _NS_AFTER_AGE.search(before)
        ):
            continue
        out.append(_Attr("sde", Value(code, m.group(), m.start(), m.end()), cued=cued))
    for lm in _label_matches(text, lex):
        folded = _fold(lm.group())
        code = lex.strong_labels.get(folded) or lex.weak_labels.get(folded)
        if code is None:
            continue
        before = text[max(0, lm.start() - 40) : lm.start()]
        after = text[lm.end() : lm.end() + 30]
        strong = folded in lex.strong_labels
        cued = _cued(before, lex)
        delimited = (
            _DELIMITED_BEFORE.search(before) is not None
            and _DELIMITED_AFTER.match(after) is not None
        )
        if folded in {"black", "mixed", "asian", "other", "african", "caribbean"} and not cued:
            continue
        if folded == "not stated" and not (cued or delimited):
            continue
        if not (strong or cued or delimited):
            continue
        if _NOT_A_PERSON_AFTER.match(after):
            continue
        out.append(_Attr("sde", Value(code, lm.group(), lm.start(), lm.end()), cued=cued))
    # "Ethnicity: normal": a cued value that is no code or label.
    for m in caseless(lex.cue_re).finditer(text):
        cue = m.group("cue").lower()
        if cue in {
            "all",
            "recorded as",
            "given as",
            "all recorded as",
            "self-defined",
            "self defined",
        }:
            continue
        if not re.search(r"[:\-=][ \t]*$", m.group()) and cue not in {
            "sde",
            "s.d.e",
            "ethnicity",
            "eth",
        }:
            continue
        rest = text[m.end() : m.end() + 40]
        if ":" not in m.group() and (
            re.search(r"(?:\t|[ ]{2,})[ \t]*$", m.group()) or re.match(r"[ \t]*\|", rest)
        ):
            continue  # a table's header row ("Name   DOB   SDE   Role"), not a value
        value = re.match(r"[^,;()\n|]*", rest).group().strip()  # type: ignore[union-attr]
        value = re.split(
            r"\.(?:[ \t]|$)|[ \t]{2,}|[ \t]+[-–][ \t]+"
            r"|\b(?:DOB|D\.O\.B|Age|ODE|Sex|Gender|Address)\b",
            value,
        )[0].strip(" .-")
        if not value or any(
            a.value.start < m.end() + len(rest) and m.end() <= a.value.start
            for a in out
            if a.value.start - m.end() <= 3
        ):
            continue
        folded = _fold(value)
        if folded in lex.missing_values or not folded or value in {"-", "?"}:
            continue
        if (
            ethnicity_table().normalise(value) is not None
            or folded in lex.strong_labels
            or folded in lex.weak_labels
        ):
            continue
        if re.match(r"(?:not|to be|tbc|unknown|n/?a|nil|none)\b", folded):
            continue
        if re.match(
            r"(?:given|from|per|as|recorded|taken|provided|obtained|supplied|confirmed|"
            r"held|sought|requested|asked|awaited|pending|checked|still|yet|"
            r"by|for|of|on|in|to|at)\b",
            folded,
        ) or re.search(r"\bno[ \t]+$", text[max(0, m.start() - 4) : m.start()], re.IGNORECASE):
            continue  # "Children (SDE given by mum):", "no SDE held": about the values, not one
        if re.search(r"\bself[- ]?defined\b|\bas recorded\b|\brecorded by\b", folded):
            continue  # "SDE: Chidi and Ifeoma self-defined; ...": where the values came from
        named_non_value = folded in lex.not_ethnicity  # "SDE Muslim", "ethnicity local"
        if (
            not re.search(r"[:\-=][ \t]*$", m.group())
            and folded.split()[0] in _not_names()
            and not named_non_value
        ):
            continue  # "(mother's SDE for the baby)": words after the cue, not a value
        if (
            (cue in _VALUE_CUES and re.search(r"[:\-=]", m.group()))
            or cue in {"sde", "s.d.e"}
            or named_non_value
        ):
            start = m.end() + rest.index(value)
            if any(start <= a.value.start <= start + len(value) + 3 for a in out):
                continue  # "ETHNICITY - Kelly W1. ...": a recognised value in (or just after) it
            if len(value.split()) <= 4:
                record.unrecognised_ethnicity.append(Value(None, value, start, start + len(value)))
    # "Child - Kayden COLE - 6 (DOB 11/11/2017) - W7": a code-shaped value no 18+1 code names,
    # the last field of a person's dash- or pipe-separated line
    for m in _BAD_CODE_FIELD.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if (
            len(re.findall(r"[ \t][-–|][ \t]", line)) >= 2
            and _CODE.fullmatch(m.group("bad")) is None
        ):
            value = Value(None, m.group("bad"), m.start("bad"), m.end("bad"))
            record.unrecognised_ethnicity.append(value)
    for m in _QUOTED_ETHNICITY_GIVEN.finditer(text) if "thnicity" in text else ():
        group = next(g for g in _QUOTED_ETHNICITY_GIVEN.groupindex if m.group(g) is not None)
        folded = _fold(m.group(group))
        if folded in lex.not_ethnicity or (  # "normal", "local", "Muslim"
            not group.startswith("value") and not _names_an_ethnicity(folded, lex)
        ):  # an answer to the question that names none ("Brackenford born and bred")
            value = Value(None, m.group(group), m.start(group), m.end(group))
            record.unrecognised_ethnicity.append(value)
    for m in _BAD_CODE_BRACKET.finditer(text):
        bad = "bad" if m.group("bad") else "listed"
        if _CODE.fullmatch(m.group(bad)) is None:
            value = Value(None, m.group(bad), m.start(bad), m.end(bad))
            record.unrecognised_ethnicity.append(value)
    # "self-defined ethnicity is recorded on the school referral as W4": a code-shaped value
    # no 18+1 code names, given for an ethnicity in words
    for m in _BAD_CODE_GIVEN.finditer(text) if "thnicity" in text.lower() else ():
        if _CODE.fullmatch(m.group("bad")) is None and not any(
            v.start == m.start("bad") for v in record.unrecognised_ethnicity
        ):
            value = Value(None, m.group("bad"), m.start("bad"), m.end("bad"))
            record.unrecognised_ethnicity.append(value)
    for a in out:
        if a.value.value == "NS" and not _ns_reason(text, a.value, lex):
            record.not_stated_without_reason.append(a.value)
    return out


def _names_an_ethnicity(folded: str, lex: _Lexicon) -> bool:
    """Whether a folded value holds an ethnicity: a code, or a label ("I'm Nigerian")."""
    if ethnicity_table().normalise(folded) is not None or _CODE.search(folded.upper()):
        return True
    padded = f" {folded} "
    return any(f" {label} " in padded for label in (*lex.strong_labels, *lex.weak_labels))


_VALUE_CUES = frozenset(
    {
        "ethnicity",
        "sde",
        "s.d.e",
        "eth",
        "ethnic origin",
        "ethnic group",
        "ethnic background",
        "self-defined ethnicity",
        "self defined ethnicity",
    }
)


class _Span:
    """A matched stretch of the note, shaped like the ``re.Match`` methods used here."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start : self._end]


_LABEL_TOKEN = re.compile(r"[A-Za-z0-9]+|&")


@lru_cache(maxsize=_TEXT_PARTS)
def _label_matches(text: str, lex: _Lexicon) -> list[_Span]:
    """Ethnicity labels in the note, longest first at each word: one dictionary look-up per
    length at each word that opens a label, instead of one regex alternative per label at
    every position.  A label found is skipped whole: no label starts inside another."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: keep offsets
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    longest = _longest_label(lex)
    out: list[_Span] = []
    starts = _label_starts(text, lowered, lex)
    if starts is None:
        starts = [m.start() for m in lex.label_start.finditer(lowered)]
    for start in starts:
        if out and start < out[-1].end():
            continue
        tokens = list(islice(_LABEL_TOKEN.finditer(lowered, start), longest))
        words = ["and" if m.group() == "&" else m.group() for m in tokens]
        for n in lex.label_lengths[words[0]]:
            if n > len(words):
                continue
            key = " ".join(words[:n])
            if key in lex.strong_labels or key in lex.weak_labels:
                out.append(_Span(text, tokens[0].start(), tokens[n - 1].end()))
                break
    return out


_NON_ASCII_ALNUM = re.compile(r"[^\W_\x00-\x7f]")


@lru_cache(maxsize=1)
def _label_firsts(lex: _Lexicon) -> frozenset[str] | None:
    """The first words of the labels, when each is a run of ASCII letters and digits (so
    ``label_start`` matches exactly where one stands whole) and none is "and"; else None."""
    firsts = frozenset(lex.label_lengths)
    simple = all(w.isascii() and w.isalnum() for w in firsts) and "and" not in firsts
    return firsts if simple else None


def _label_starts(text: str, lowered: str, lex: _Lexicon) -> list[int] | None:
    """The starts of ``lex.label_start.finditer(lowered)``, found without scanning the note:
    for a note whose only letters and digits are ASCII, ``label_start`` (ASCII edges) matches
    where a label's first word is a whole run of letters and digits, so each such word that
    the note's runs (``word_runs``, shared with the phrase finders) hold is found by
    ``str.find`` with the same edge test.  None when that does not hold (the pattern then)."""
    firsts = _label_firsts(lex)
    if firsts is None or not (text.isascii() or _NON_ASCII_ALNUM.search(text) is None):
        return None
    runs = word_runs(text)  # of text's lower case, which is ``lowered`` for such a note
    if runs is None or len(lowered) != len(text):
        return None
    starts = []
    for word in runs & firsts:
        i = lowered.find(word)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or not lowered[i - 1].isalnum()) and (
                j == len(lowered) or not lowered[j].isalnum()
            ):
                starts.append(i)
            i = lowered.find(word, j)
    starts.sort()
    return starts


@lru_cache(maxsize=1)
def _longest_label(lex: _Lexicon) -> int:
    """The most words any label has."""
    return max(n for lengths in lex.label_lengths.values() for n in lengths)


def _cued(before: str, lex: _Lexicon) -> bool:
    tail = before.split("\n")[-1]
    for m in lex.cued_re.finditer(tail):
        between = tail[m.end() :]
        if len(between) <= 20 and not re.search(r"[.;]", between):
            return True
    return False


_IC_CUE_BEFORE = re.compile(
    r"\b(?:ode|officer[- ]defined(?:[ \t]+ethnicity)?)[ \t:=\-]*$", re.IGNORECASE
)


def _ic_before(before: str) -> bool:
    return _IC_CUE_BEFORE.search(before) is not None


_REASON_AFTER = re.compile(
    # "NS as he wasn't there to ask"; not "NS as well" or "NS, as are the children"
    r"[ \t,(:–-]*(?:as(?![ \t]+(?:well|are|is|was|were|per|for|above|below)\b)|since|because|"
    r"due|owing|cos|coz)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=[ \t]+\S|[ \t]*$)", re.MULTILINE)
# the sentence after a bare "NS." that gives its reason opens with who or why, not a new name
_REASON_FOLLOWS = re.compile(
    r"[ \t]*(?:(?:she|he|they|mum|dad|mother|father|the child)[ \t]+(?:declined|refused|"
    r"would|wouldn't|did not|didn't|was not|wasn't|is not|isn't|could not|couldn't|chose|"
    r"preferred|was asleep|was too|is too|was unable|is unable|has not|hasn't|had not|"
    r"hadn't)|declined|refused|reason|due|because|not)\b",
    re.IGNORECASE,
)


def _ns_reason(text: str, value: Value, lex: _Lexicon) -> bool:
    line_start, line_end = _line_bounds(text, value.start)
    end = min(line_end, value.end + 120)
    stop = _SENTENCE_END.search(text, value.end, end)
    if stop is not None and not _REASON_FOLLOWS.match(text, stop.end()):
        end = stop.end()  # "Tracey ... is NS. Tracey visited ...": the next sentence is another
    if _REASON_AFTER.match(text, value.end):
        return True  # "NS as he wasn't there to ask", "NS - because ..."
    window = text[max(line_start, value.start - 60) : end].lower()
    if any(r in window for r in lex.ns_reasons):
        return True
    return re.match(r"declined|refused|prefer", value.text, re.IGNORECASE) is not None


def _dedupe(attrs: list[_Attr]) -> list[_Attr]:
    """One value per span; a longer label beats a shorter one inside it."""
    kept: list[_Attr] = []
    for a in sorted(attrs, key=lambda a: (a.value.start, -(a.value.end - a.value.start))):
        if any(k.value.start < a.value.end and a.value.start < k.value.end for k in kept):
            continue
        kept.append(a)
    return kept


def _reference_date(text: str, attrs: list[_Attr]) -> date | None:
    """The note's own date: the latest date in it that is not a date of birth."""
    dobs = {(a.value.start, a.value.end) for a in attrs if a.kind == "dob"}
    latest = None
    for m, d in _date_matches(text):
        if (m.start(), m.end()) in dobs:
            continue
        if d is not None and d.year >= 2000 and (latest is None or d > latest):
            latest = d
    return latest


def _apply_group_ethnicity(
    text: str, attrs: list[_Attr], persons: dict[int, NotePerson], names: list[tuple[int, int, str]]
) -> None:
    """ "Children - all recorded as W2": an ethnicity on a line with no name applies to the
    people listed in the lines below it, up to a blank line; "All W3 as Kathleen gave it."
    (a name only after the value) to the people listed in the lines just above it."""
    for attr in attrs:
        if attr.kind != "sde":
            continue
        line_start, line_end = _line_bounds(text, attr.value.start)
        on_line = [s for s, _, _ in names if line_start <= s < line_end]
        opens = _GROUP_OPENING.match(text, line_start, line_end) is not None
        if on_line and not (opens and min(on_line) > attr.value.end):
            continue  # a name on the line is a person's, unless it is who gave the value
        if not re.search(
            r"\b(?:all|both|each|children|kids|family|everyone|whole)\b",
            text[line_start:line_end],
            re.IGNORECASE,
        ):
            continue
        block_end = text.find("\n\n", line_end)
        block_end = len(text) if block_end < 0 else block_end
        below = [i for i, (start, _, _) in enumerate(names) if line_end < start < block_end]
        above = _people_on_lines_above(text, line_start, names)
        if on_line and not above:
            continue  # "All W3 as Kathleen gave it." closes a list, or says nothing of one
        for i in above if above and (opens or not below) else below:
            if i in persons and persons[i].sde is None:
                persons[i].sde = attr.value


# "Both describe themselves as ...", "All three are W1": a line about the people just above
_GROUP_OPENING = re.compile(
    r"[ \t\-*•]*(?:both|all|each|they|the[ \t]+(?:children|kids|twins|boys|girls))\b",
    re.IGNORECASE,
)


def _people_on_lines_above(
    text: str, line_start: int, names: list[tuple[int, int, str]]
) -> list[int]:
    """ "Jasmine DUNN, 15 (DOB ...)" / "Kian DUNN, 12 (DOB ...)" / "Both describe themselves
    as ... (M9).": the people each named at the start of the lines just above, up to a blank
    line or a line that opens with no name."""
    out: list[int] = []
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        first = next((i for i, (n, _, _) in enumerate(names) if start <= n < end), None)
        if not line.strip() or first is None or line[: names[first][0] - start].strip(" \t-*•"):
            break
        out.append(first)
        end = start - 1
    return out


_JUST_CODE = re.compile(r"(?:W[1239]|M[1239]|A[1-49]|B[129]|O[1-29]|NS)")
# what may stand between a label and the officer's code for it: a separator, and up to two
# more words of the same description ("Black British Ghanaian (B2)", "White Polish (W9)")
_LABEL_TO_CODE = re.compile(r"(?:[ \t]+[A-Z][\w'’-]*){0,2}[ \t]*(?:[(,/:–-][ \t]*)?$")


def _code_beats_label(text: str, attrs: list[_Attr]) -> list[_Attr]:
    """ "Roma (W9)", "Kurdish, O9", "Black British Ghanaian (B2)": the officer's code, right
    after a label (or a run of labels describing one person), is the value; the labels' own
    readings of it (Roma is not always W3, "Black British" alone is B9) give way to it."""
    sde = sorted((a for a in attrs if a.kind == "sde"), key=lambda a: a.value.start)
    replaced: dict[int, _Attr | None] = {}
    for n, code in enumerate(sde):
        if not _JUST_CODE.fullmatch(code.value.text):
            continue
        chain: list[_Attr] = []  # the labels before the code, nearest first
        end = code.value.start
        for label in reversed(sde[:n]):
            if _JUST_CODE.fullmatch(label.value.text) or id(label) in replaced:
                break
            if not _LABEL_TO_CODE.match(text[label.value.end : end]):
                break
            chain.append(label)
            end = label.value.start
        if not chain or all(label.value.value == code.value.value for label in chain):
            continue
        first = chain[-1]  # one value where the description began (its cue goes with it)
        cued = any(label.cued for label in chain) or code.cued
        replaced[id(first)] = replace(first, value=code.value, cued=cued)
        for label in chain[:-1]:
            replaced[id(label)] = None
        replaced[id(code)] = None
    out = [replaced.get(id(a), a) if id(a) in replaced else a for a in attrs]
    return [a for a in out if a is not None]


# "all recorded by their mother as W9: Kacper ..., Zofia ...", "three children, all B2 per
# their parents: Temitope ...": a group's code before a list of names
_GROUP_BEFORE = re.compile(r"\b(?:all|both|each)\b[^.\n]{0,40}$", re.IGNORECASE)
_LIST_FOLLOWS = re.compile(r"[ \t]*(?:(?:per|by|according[ \t]+to)\b[^.:\n]{0,30})?:")
# "Dilan ..., and Aram ..., both O9 per their parents", "Alina and Robert are W9": after them
_GROUP_AFTER = re.compile(r"(?:\b(?:all|both|each)|\bare)[ \t]+(?:recorded[ \t]+as[ \t]+)?$")


def _apply_listed_ethnicity(
    text: str, attrs: list[_Attr], persons: dict[int, NotePerson], names: list[tuple[int, int, str]]
) -> None:
    """A code said of a group in the same sentence as the group's names: before a list that
    follows it (up to the sentence's end), or after the names it closes ("both O9")."""
    for attr in attrs:
        if attr.kind != "sde" or not _JUST_CODE.fullmatch(attr.value.text):
            continue
        start, end = attr.value.start, attr.value.end
        s_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        s_end = min(
            (i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=len(text)
        )
        before = text[max(s_start, start - 60) : start]
        if _GROUP_BEFORE.search(before) and _LIST_FOLLOWS.match(text, end):
            targets = [i for i, (n_start, _, _) in enumerate(names) if end < n_start < s_end]
        elif _GROUP_AFTER.search(before):
            targets = [i for i, (n_start, _, _) in enumerate(names) if s_start <= n_start < start]
        else:
            continue
        for i in targets:
            if i in persons and persons[i].sde is None:
                persons[i].sde = attr.value


# "gave W9 for both children", "both kids W9 per mum", "W9 for herself and all four children",
# "Hoda self-defines as Arab (O2) and gave the same for both": a value said of a group
_COLLECTIVE_CHILDREN = re.compile(
    r"\b(?:both|all|the|her|his|their)(?:[ \t]+(?:the|of[ \t]+the|of[ \t]+her|of[ \t]+his|"
    r"of[ \t]+their|her|his|their))?(?:[ \t]+(?:two|three|four|five|six|\d))?[ \t]+"
    r"(?:children|kids|boys|girls|twins|siblings|little[ \t]+ones)\b"
    # "Bridget gave all five as Irish Traveller (W3)", "says they are all British Pakistani"
    r"|\ball[ \t]+(?:two|three|four|five|six|seven|eight|\d)[ \t]+(?:as|are|were)\b"
    r"|\bthey[ \t]+(?:are|were)[ \t]+all\b|\ball[ \t]+of[ \t]+them[ \t]+(?:as|are|were)\b"
    # "Kids W1 per mum.", "Children: W1": the word alone opening a clause, before the value
    r"|(?:^|(?<=[.;:,\-–]))[ \t]*(?:kids|children)\b(?=[ \t]*[:\-–]?[ \t]*(?:[WMABO]\d|NS)\b)",
    re.IGNORECASE,
)
_GIVER_BEFORE = re.compile(r"\b(?:by|per)[ \t]+$", re.IGNORECASE)
_COLLECTIVE_BOTH = re.compile(
    r"\bfor[ \t]+both\b|\bboth[ \t]+of[ \t]+them\b|\b(?:gave|recorded|give)[ \t]+both[ \t]+as\b"
    # "Sami describes both as Arab (O2)", "describes them both as", "both described by mum as"
    r"|\bdescrib(?:es|ed|e)[ \t]+(?:them[ \t]+)?both[ \t]+as\b"
    r"|\bboth[ \t]+described[ \t]+(?:by|as)\b"
    r"|\b[WMABO]\d[ \t]+both\b",  # "(W9 both)"
    re.IGNORECASE,
)
# "All three self-define as White Romanian (W9)": the last that many people named before it
# "B2 recorded for all four", "for all of them", "The family self-define as ..."
_COLLECTIVE_PEOPLE = re.compile(
    r"\ball[ \t]+(?:two|three|four|five|six|\d)[ \t]+(?:self[ -]?define|self[ -]?identify|"
    r"describe[ \t]+themselves|identify)"
    r"|\bfor[ \t]+all[ \t]+(?:two|three|four|five|six|seven|eight|\d|of[ \t]+them)\b"
    r"|\bthe[ \t]+(?:whole[ \t]+)?family[ \t]+(?:all[ \t]+)?(?:self[ -]?defines?|self[ -]?identify|"
    r"say|says|describe[ \t]+themselves|are|identify)\b",
    re.IGNORECASE,
)


def _apply_collective_ethnicity(
    text: str,
    attrs: list[_Attr],
    persons: dict[int, NotePerson],
    names: list[tuple[int, int, str]],
    when: date | None,
    lex: _Lexicon,
) -> None:
    """An ethnicity said of "both children" or "all four kids" (within a few words of it, no
    name between) goes to that many of the children named before it who have none, the
    nearest first; "for both" to the last two people named before it who have none."""
    for attr in attrs:
        if attr.kind != "sde":
            continue
        start, end = attr.value.start, attr.value.end
        s_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        ends = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
        s_end = min(ends, default=len(text))
        lo, hi = max(s_start, start - 50), min(s_end, end + 50)
        # (a name after "by" or "per" gave the value: "both described by Danielle as ...")
        between = [
            (n_start, n_end)
            for n_start, n_end, _ in names
            if (lo < n_start < start or end <= n_start < hi)
            and not _GIVER_BEFORE.search(text, max(0, n_start - 5), n_start)
        ]
        if between:
            # a name between the value and the group: "...w one and the children are tayla"
            lo = max([lo, *(n_end for _, n_end in between if lo < n_end <= start)])
            hi = min([hi, *(n_start for n_start, _ in between if end <= n_start < hi)])
        window = text[lo:hi]
        group = _COLLECTIVE_CHILDREN.search(window)
        both = group is None and _COLLECTIVE_BOTH.search(window) is not None
        everyone = None if group is not None or both else _COLLECTIVE_PEOPLE.search(window)
        if group is None and not both and everyone is None:
            continue  # no group in the window (most values): nobody to list
        before = [i for i, (n_start, _, _) in enumerate(names) if n_start < start and i in persons]
        if group is not None:
            children = []
            for i in before:
                _decide_child(persons[i], when, lex)
                if persons[i].child and persons[i].sde is None:
                    children.append(i)
            count = _group_size(group.group())
            for i in children[-count:] if count else children:
                persons[i].sde = attr.value
        elif both:
            without = [i for i in before if persons[i].sde is None]
            for i in without[-2:]:
                persons[i].sde = attr.value
        elif everyone is not None:
            count = _group_size(everyone.group())
            named = [i for i in before if persons[i].sde is None or persons[i].sde is attr.value]
            for i in named[-count:]:
                if persons[i].sde is None:
                    persons[i].sde = attr.value


_GROUP_SIZES = {
    "both": 2, "twins": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8,
}  # fmt: skip


def _group_size(phrase: str) -> int:
    """How many the group phrase names: 2 for "both children", 0 (all) for "the kids"."""
    for word in re.findall(r"[a-z0-9]+", phrase.lower()):
        if word.isdigit():
            return int(word)
        if word in _GROUP_SIZES:
            return _GROUP_SIZES[word]
    return 0


def _merge(persons: list[NotePerson]) -> list[NotePerson]:
    """One person per name: a later mention with the same forename (and a compatible
    surname or initial) adds what the first lacked."""
    out: list[NotePerson] = []
    for p in persons:
        same = next((q for q in out if _same_person(q.name.value, p.name.value)), None)
        if same is None and " " not in p.name.value.strip():
            # "Dean FLETCHER ... Partner of Fletcher, 4 yrs": a surname alone is that person
            same = next(
                (q for q in out if q.name.value.split()[-1].lower() == p.name.value.lower()),
                None,
            )
        if same is None:
            out.append(p)
            continue
        for attr in ("dob", "age", "sde", "ode", "sex", "relation"):
            if getattr(same, attr) is None and getattr(p, attr) is not None:
                setattr(same, attr, getattr(p, attr))
        same.roles.extend(r for r in p.roles if r not in same.roles)
    return out


def _same_person(a: str, b: str) -> bool:
    wa, wb = a.lower().split(), b.lower().split()
    if wa[0] != wb[0]:
        return False
    if len(wa) == 1 or len(wb) == 1:
        return True
    return wa[1][0] == wb[1][0]


def _years(person: NotePerson, when: date | None) -> int | None:
    """The person's age: as the note states it, else from the date of birth."""
    # an age the note states wins: a note often has no dated year to measure a DOB against
    age = person.age_years
    if age is None and person.dob is not None:
        dob = date.fromisoformat(person.dob.value)
        ref = when or date.today()
        if dob <= ref:
            age = age_on(dob, ref)
    return age


def _decide_child(person: NotePerson, when: date | None, lex: _Lexicon) -> None:
    age = _years(person, when)
    if age is not None:
        person.child = age < lex.adult_age
    elif "child" in person.roles or person.relation in {
        "son",
        "daughter",
        "baby",
        "stepson",
        "stepdaughter",
        "child",
    }:
        person.child = True
