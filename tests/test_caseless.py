"""Caseless patterns give exactly the pattern's own matches, on any text."""

from __future__ import annotations

import re
import string
import sys

import pytest

from ppncheck.caseless import FOLDED_ONTO_ASCII, Caseless, lower_case_source

# every code point but the surrogates, which a str from a decoded file never holds
_ALL = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)


def _kind(c: str) -> tuple[bool, bool, bool]:
    return (c.isalnum() or c == "_", c.isdecimal(), c.isspace())


def test_lower_case_keeps_one_character_and_its_class() -> None:
    longer = [c for c in _ALL if len(c.lower()) != 1]
    assert longer == ["İ"]  # lowered_alike() sees the length change and uses the pattern
    assert [c for c in _ALL if len(c.lower()) == 1 and _kind(c) != _kind(c.lower())] == []


def test_only_the_listed_characters_fold_onto_ascii_letters_otherwise() -> None:
    odd = set()
    for letter in string.ascii_lowercase:
        for m in re.finditer(letter, _ALL, re.IGNORECASE):
            if m.group().lower() != letter:
                odd.add(m.group())
    # "İ" folds onto "i" too, but lowers to two characters: the length check catches it
    assert odd - {"İ"} == set(FOLDED_ONTO_ASCII)


@pytest.mark.parametrize(
    ("source", "lower_case"),
    [
        (r"\b(?P<cue>ethnicity|sde)\b[ \t]*[:\-=]?", True),
        (r"(?<![\w/.:])(?P<a2>\d{1,2})(?P=a2)[ \t]*(?:y/?o|yrs?)\b", True),
        (r"\(?\d\)?[“”’-]", True),
        (r"Ethnicity", False),
        (r"\x45thnicity", False),
        (r"(?-i:[a-z] )\d", False),
        (r"\S+", False),
        (r"é", False),
        (r"\1", False),
    ],
)
def test_lower_case_source(source: str, lower_case: bool) -> None:
    assert lower_case_source(source) is lower_case


_PATTERNS = [
    re.compile(r"\b(?P<cue>self[ \t]+defines?|ethnicity|is)\b[ \t]*[:\-=]?[ \t]*", re.IGNORECASE),
    re.compile(r"(?<![\w])(?P<n>\d{1,2})[ \t]*(?:yrs?|y/?o)\b|\bkiss\b", re.IGNORECASE),
    re.compile(r"[a-z]+(?=[ \t]*\()", re.IGNORECASE),
]
_TEXTS = [
    "ETHNICITY: W1. She Self Defines as White British; Kai (7) is 7 YRS old.",
    "Kelvin-sign \u212aiss, KISS, ki\u017f\u017f and kıss; ethnıcity: W2 and Ethnicity - W9",
    "İbrahim (12) said İS ethnicity W1 (aged 12 y/o)",
    "ΣΟΦΙΑ ΠΑΠΑΔΟΠΟΥΛΟΣ (9) ethnicity: Greek ΣΟΦΙΑΣ; straße STRASSE ẞ (4)",
    "",
]


@pytest.mark.parametrize("pattern", _PATTERNS, ids=range(len(_PATTERNS)))
@pytest.mark.parametrize("text", _TEXTS, ids=range(len(_TEXTS)))
def test_the_same_matches_as_the_pattern(pattern: re.Pattern[str], text: str) -> None:
    fast = Caseless(pattern)
    assert fast._twin is not None  # these patterns are written in lower case
    for pos, endpos in [(0, None), (3, 40), (10, len(text))]:
        want = list(pattern.finditer(text, pos, len(text) if endpos is None else endpos))
        got = list(fast.finditer(text, pos, endpos))
        assert [(m.span(), m.groupdict(), m.group()) for m in got] == [
            (m.span(), m.groupdict(), m.group()) for m in want
        ]
        first = pattern.search(text, pos, len(text) if endpos is None else endpos)
        found = fast.search(text, pos, endpos)
        assert (found and found.span()) == (first and first.span())


def test_a_pattern_not_in_lower_case_is_used_as_it_is() -> None:
    pattern = re.compile(r"(?-i:[A-Z] )\d+", re.IGNORECASE)
    fast = Caseless(pattern)
    assert fast._twin is None
    text = "mum Elena POPESCU 43 W9"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]
