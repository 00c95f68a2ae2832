"""``fastre``: the faster forms find exactly the matches of the patterns they stand for."""

from __future__ import annotations

import random
import re

import pytest

from ppncheck.caseless import caseless
from ppncheck.fastre import LeadingBoundary, leading_boundary_rest
from ppncheck.text.tables import strong_cue_table

SOURCES = [
    r"\b(?:was|were)[ \t]+(?:sat|sitting)\b",
    r"\bin[ \t]+(?:his|her)[ \t]+cot\b",
    r"\b(?:red|tear)[ \t-](?:eyed|stained)\b",
    r"\b[-/]x",  # opens with a non-word character: the boundary needs a word before it
    r"\b\w+ly\b",  # matches that end inside another candidate
]
ALPHABET = "was were sat sitting in his her cot red-eyed tear stained _x-/ly x /x a-x\n.é"


def _spans(matches):
    return [(m.start(), m.end(), m.groups()) for m in matches]


@pytest.mark.parametrize("source", SOURCES)
def test_leading_boundary_finds_the_patterns_own_matches(source):
    rest = leading_boundary_rest(source)
    assert rest is not None
    whole = re.compile(source, re.IGNORECASE)
    fast = LeadingBoundary(caseless(re.compile(rest, re.IGNORECASE)))
    rng = random.Random(source)
    for _ in range(400):
        words = ALPHABET.split(" ")
        text = "".join(
            rng.choice(words) + rng.choice([" ", "", "\t", "-", "_", "."]) for _ in range(12)
        )
        text = text.upper() if rng.random() < 0.2 else text
        assert _spans(fast.finditer(text)) == _spans(whole.finditer(text)), text


def test_words_inside_other_words_are_not_matches():
    fast = LeadingBoundary(re.compile(r"in[ \t]+(?:his|her)[ \t]+cot"))
    assert _spans(fast.finditer("within his cot, in her cot")) == [(16, 26, ())]


@pytest.mark.parametrize(
    ("source", "rest"),
    [
        (r"\bfoo", "foo"),
        (r"\b(?:a|b)c", "(?:a|b)c"),
        (r"\b[|]x", "[|]x"),  # a "|" in a class is no alternation
        (r"\b[]|]x", "[]|]x"),
        (r"\b\|x", r"\|x"),
        (r"\bfoo|bar", None),  # the boundary is only the first branch's
        (r"\b(?:a)|b", None),
        (r"foo\b", None),
        (r"\b", None),
        (r"\b?x", None),
    ],
)
def test_the_rest_is_given_only_when_every_match_opens_with_the_boundary(source, rest):
    assert leading_boundary_rest(source) == rest


def test_strong_cues_opening_with_a_boundary_are_searched_from_their_first_word():
    finders = [f for fs in strong_cue_table().patterns.values() for f in fs]
    assert sum(isinstance(f, LeadingBoundary) for f in finders) >= len(finders) - 2
