"""Dictated notes: lower-case names, codes and numbers said as words (read/spoken.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ppncheck.read.note import read_note
from ppncheck.read.spoken import (
    cased_for_reading,
    number_of,
    ordinal_of,
    spoken_ages,
    spoken_dates,
    year_of,
)

DICTATED = (
    "ppn domestic at four mill lane saltby called by the neighbour full stop mum kerry white "
    "aged thirty two white british w1 and her son jayden born the third of june twenty eleven "
    "so he's thirteen, his sister mia is six years old and the baby lola is eight months old"
)


@pytest.mark.parametrize(
    ("words", "n"), [("eleven", 11), ("twenty one", 21), ("twenty-one", 21), ("7", 7), ("x", None)]
)
def test_numbers_in_words(words: str, n: int | None) -> None:
    assert number_of(words) == n


def test_ordinals_and_years_in_words() -> None:
    assert ordinal_of("third") == 3 and ordinal_of("twenty first") == 21
    assert ordinal_of("9th") == 9
    assert year_of("twenty fourteen") == 2014
    assert year_of("two thousand and ten") == 2010
    assert year_of("nineteen eighty five") == 1985
    assert year_of("twenty oh nine") == 2009


def test_ages_and_dates_said_in_words_keep_their_spans() -> None:
    ages = {DICTATED[s:e]: years for s, e, years, _ in spoken_ages(DICTATED)}
    assert ages == {"thirty two": 32, "thirteen": 13, "six years old": 6, "eight months old": 0}
    (dob,) = spoken_dates(DICTATED)
    assert dob[2] == date(2011, 6, 3) and DICTATED[dob[0] : dob[1]] == "third of june twenty eleven"
    assert spoken_dates("date of birth twelfth of the second two thousand and ten")[0][2] == date(
        2010, 2, 12
    )


def test_a_dictated_note_is_read_with_its_spoken_capitals_and_its_own_text() -> None:
    cased = cased_for_reading(DICTATED)
    assert len(cased) == len(DICTATED) and cased.lower() == DICTATED.lower()
    people = {p.name.value: p for p in read_note(DICTATED).persons}
    assert {"Kerry", "Jayden", "Mia"} <= set(people)
    kerry, jayden, mia = people["Kerry"], people["Jayden"], people["Mia"]
    assert kerry.age is not None and kerry.age.value == 32
    assert kerry.sde is not None and kerry.sde.value == "W1"
    assert kerry.sde.text in {"w1", "white british"}  # the note's own text
    assert jayden.dob is not None and jayden.dob.value == "2011-06-03" and jayden.child
    assert mia.age is not None and mia.age.value == 6
    assert kerry.name.text == "kerry"  # the note's own text, not the cased copy


def test_a_typed_note_is_left_as_it_is() -> None:
    typed = "Mum Kerry WHITE, 32, W1. Her son Jayden WHITE, 13 (DOB 03/06/2011)."
    assert cased_for_reading(typed) is typed


def test_codes_and_bare_ages_said_in_a_dictated_note() -> None:
    from ppncheck.read.spoken import spoken_codes

    text = (
        "the owner abdul karim fifty two who self defines as bangladeshi a three was cut and "
        "connor wray twenty four white british w one was arrested at a two bed flat"
    )
    codes = {text[s:e]: code for s, e, code, _ in spoken_codes(text)}
    assert codes == {"a three": "A3", "w one": "W1"}  # not "a two bed flat"
    people = {p.name.value: p for p in read_note(text).persons}
    abdul = people["Abdul KARIM"]
    assert abdul.age is not None and abdul.age.value == 52
    assert abdul.sde is not None and abdul.sde.value == "A3"


def test_dictated_quotes_and_spoken_full_stops() -> None:
    from ppncheck.text.sentences import sentence_starts

    text = "jayden six was on the stairs full stop he said quote i want my mummy unquote"
    assert text.index("he said") in sentence_starts(text)
    import ppncheck

    assert (
        "AWR002"
        not in ppncheck.check(
            "domestic at four mill lane. mum kerry white aged thirty two w1 and her son jayden "
            "white aged six w1 full stop jayden was on the stairs in his pyjamas full stop he said "
            "quote i want my mummy unquote full stop he went to his nan full stop the house was "
            "tidy with food in the fridge full stop dad arrested"
        ).rule_ids
    )
