"""Whose words: one vocabulary (speech_cues.toml [referents]) for every reader that asks
whether a label, a sentence opening or a speaker names an adult or a child."""

from __future__ import annotations

import pytest

from ppncheck.read.note import read_note
from ppncheck.rules.note_record import child_quotes
from ppncheck.text.headings import find_headings
from ppncheck.text.speakers import (
    names_a_child,
    names_an_adult,
    opening_adult,
    pronoun_continues,
)
from ppncheck.text.tables import heading_table


@pytest.mark.parametrize(
    "label",
    ["What parents said", "IP's words", "Mum’s voice", "DP's account", "What the carers said"],
)
def test_a_label_naming_an_adult(label: str) -> None:
    assert names_an_adult(label)


@pytest.mark.parametrize(
    "label", ["In her own words", "Words", "What I was told", "The young female's words"]
)
def test_a_label_naming_no_adult(label: str) -> None:
    # "I" is the officer writing; "young female" is a child though "female" alone is an adult
    assert not names_an_adult(label)


def test_child_words() -> None:
    assert names_a_child("her son said")
    assert names_a_child("the young male")
    assert not names_a_child("her mum said")


@pytest.mark.parametrize(
    ("opening", "gender"),
    [("Mum says they were upstairs", "f"), ("Her dad was calm", "m"), ("The suspect ran", "n"),
     ("Officers attended", "n"), ("Jade was upset", None), ("I spoke to her", None)],
)  # fmt: skip
def test_the_adult_a_sentence_opens_with(opening: str, gender: str | None) -> None:
    assert opening_adult(opening) == gender


def test_a_pronoun_goes_on_with_an_adult_of_its_gender_only() -> None:
    assert pronoun_continues("She", "f")
    assert not pronoun_continues("she", "m")
    assert pronoun_continues("he", "m")
    assert pronoun_continues("", "m")  # 'Dad was angry. Said "..."'
    assert not pronoun_continues("she", "n")  # 'Officers attended. She said "..."'
    assert not pronoun_continues("she", None)


NOTE = (
    "Persons: Mia HOLT (DOB 02/03/2016, W1), mother Kerry HOLT (DOB 01/01/1990, W1).\n"
    'Visit at 20:00. {lead} She said "I don\'t want to go back there".\n'
)


@pytest.mark.parametrize(
    ("lead", "childs"),
    [("Mum was very upset.", False), ("Her dad was shouting.", True),
     ("Officers attended at 21:00.", True), ("Mia was in the kitchen.", True)],
)  # fmt: skip
def test_whose_quote_after_a_sentence_about_an_adult(lead: str, childs: bool) -> None:
    # "She" goes on with "Mum", not with "Her dad" or the officers
    text = NOTE.format(lead=lead)
    assert bool(child_quotes(text, read_note(text))) is childs


def test_an_adults_words_label_ends_the_childs_words_section() -> None:
    text = 'Words: "I like it here"\nMum’s words: she is fine\n'
    sections = [
        (h.element, text[h.body_start : h.body_end]) for h in find_headings(text, heading_table())
    ]
    assert ("words", '"I like it here"') in sections
    assert all(body != "she is fine" for element, body in sections if element == "words")
