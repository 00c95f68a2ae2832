"""Child mentions in a narrative (CHD001 input)."""

from __future__ import annotations

import pytest

from ppncheck.text.analysis_types import ChildMention
from ppncheck.text.children import find_child_mentions
from ppncheck.text.tables import children_table


def _one(text: str) -> ChildMention:
    found = find_child_mentions(text, children_table())
    assert len(found) == 1, found
    return found[0]


def test_counted_siblings() -> None:
    m = _one("Her two younger brothers were asleep upstairs.")
    assert (m.kind, m.relation, m.count, m.start) == ("relation", "brother", 2, 0)


def test_the_baby() -> None:
    m = _one("The baby was in a bouncer.")
    assert (m.kind, m.relation, m.count) == ("baby", "baby", 1)


def test_age_phrase_friend() -> None:
    text = "She was with a 14-year-old friend."
    m = _one(text)
    assert (m.kind, m.age, m.relation) == ("age_phrase", 14, "friend")
    assert text[m.start : m.end] == "a 14-year-old friend"


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Her friend in yr 8 also sent pictures.", 12),
        ("A friend, who is in Year 10, was there.", 14),
        ("Her friend (Y9) was with her.", 13),
        ("He was with his friend, also in Year 7, at the park.", 11),
    ],
)
def test_a_school_year_gives_a_friend_an_age(text: str, age: int) -> None:
    m = _one(text)
    assert (m.kind, m.age, m.relation) == ("age_phrase", age, "friend")


def test_a_guessed_age_after_who_looked() -> None:
    m = _one("A second lad, who looked about 15, ran off.")
    assert (m.kind, m.age, m.relation) == ("age_phrase", 15, "lad")
    assert find_child_mentions("A man, who looked about 40, drove off.", children_table()) == []


@pytest.mark.parametrize(
    ("text", "name", "age"),
    [
        ("Ellie (7) was present.", "Ellie", 7),
        ("Ellie aged 7 was present.", "Ellie", 7),
        ("Ellie, 7, was present.", "Ellie", 7),
        ("Alfie (9 months) was asleep.", "Alfie", 0),
        ("Ellie Hart (DOB 02/05/2016) was present.", "Ellie Hart", None),
    ],
)
def test_named_with_age(text: str, name: str, age: int | None) -> None:
    m = _one(text)
    assert (m.kind, m.name, m.age) == ("named", name, age)


def test_sibling_named_after_relation() -> None:
    m = _one("She was with her sister Mia in the garden.")
    assert (m.relation, m.name) == ("sister", "Mia")


@pytest.mark.parametrize(
    "text",
    [
        "The children were in bed.",  # the note's own recorded subjects
        "Both children were asleep.",
        "Her brother (19) answered the door.",  # an adult
        "Mr Hale (42) was arrested.",
        "A 35 year old male was arrested.",
        "Mum's brother was present.",
        "Also present: the IP's sister, who lives nearby.",  # a role's possessive: an adult's
        "Bailed to DP's brother's address.",
        "The male left to stay with his brother.",
        "She was with a friend.",  # no age: cannot tell
    ],
)
def test_not_child_mentions(text: str) -> None:
    assert find_child_mentions(text, children_table()) == []


def test_numbers_and_twins() -> None:
    assert _one("Three children live at the address.").count == 3
    assert _one("her 2 sisters").count == 2
    assert _one("the twins were in the bath").count == 2


def test_a_place_after_a_group_is_not_a_childs_name() -> None:
    from ppncheck.text.children import find_child_mentions
    from ppncheck.text.tables import children_table

    text = "Referral to MASH for all three children, Holbeck Fen Academy for Charlie."
    (mention,) = [m for m in find_child_mentions(text, children_table()) if m.count == 3]
    assert mention.name is None


def test_a_younger_sibling_after_an_adult_subject_is_still_a_child() -> None:
    # "her" may be mum's, but a younger sister using the child's tablet is a child to record
    m = _one("Mum says her younger sister has also been using the same tablet.")
    assert (m.kind, m.relation) == ("relation", "sister")
    # without a child's mark the adult's own sibling is not counted
    assert find_child_mentions("The male left to stay with his brother.", children_table()) == []


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("He was with another lad, about 16, in a red hoodie.", 16),
        ("A second young girl, thought to be around 14, ran off.", 14),
    ],
)
def test_a_guessed_age_makes_a_child(text: str, age: int) -> None:
    assert _one(text).age == age


def test_years_older_is_no_age() -> None:
    assert find_child_mentions("She is a child and he is 12 years older.", children_table()) == []


def test_a_friend_like_word_with_a_guessed_age_and_no_comma() -> None:
    m = _one("Third lad about 15 went out the back window.")
    assert (m.relation, m.age) == ("lad", 15)


def test_another_girl_is_a_child_besides_the_notes_own() -> None:
    m = _one("She was making toast for herself and another girl from the home.")
    assert (m.kind, m.relation) == ("relation", "another child")


def test_another_girl_named_after_it_is_that_named_child() -> None:
    text = "She was with another girl, Chloe (15), at the park."
    assert {m.name for m in find_child_mentions(text, children_table())} == {"Chloe"}


def test_a_count_of_males_and_females_is_no_child() -> None:
    text = "15 passengers, all adults - 9 male, 6 female, ages approx 19-50."
    assert find_child_mentions(text, children_table()) == []


def test_other_children_and_a_friends_age_after_a_possessive() -> None:
    found = find_child_mentions("Used by five men and two other boys, about 15.", children_table())
    assert [(m.relation, m.count) for m in found] == [("another child", 2)]
    found = find_child_mentions("She said she was at a pal's, 15, from school.", children_table())
    assert [(m.relation, m.age) for m in found] == [("pal", 15)]
    # the note's own children, whoever's they are
    assert [
        m.relation for m in find_child_mentions("Her two other children slept.", children_table())
    ] == ["child"]


def test_a_parents_youngest_is_a_brother_or_sister() -> None:
    m = _one("Her youngest was asleep in the back bedroom.")
    assert (m.kind, m.relation, m.count) == ("relation", "sibling", 1)
    assert _one("Shannon's two youngest were at nursery.").count == 2
    # the next word names the relation itself: one mention, of that relation
    assert _one("Her youngest son was asleep.").relation == "son"
    assert find_child_mentions("The youngest of the three boys ran off.", children_table()) == []


@pytest.mark.parametrize(
    ("text", "mark", "relation"),
    [
        ("Her little boy was out in the garden.", "little ", "son"),
        ("Rear: her little boy in a child seat.", "little ", "son"),
        ("Shannon's younger girl was at school.", "younger ", "daughter"),
    ],
)
def test_a_possessive_and_a_childs_mark(text: str, mark: str, relation: str) -> None:
    m = _one(text)
    assert (m.kind, m.relation, m.count) == ("relation", relation, 1)
    # without the mark, "her boy" may be a grown son: no mention
    assert find_child_mentions(text.replace(mark, ""), children_table()) == []


def test_wee_marks_a_child() -> None:
    text = "He said his wee brother was in bed."
    m = _one(text)
    assert (m.kind, m.relation, text[m.start : m.end]) == ("relation", "brother", "his wee brother")


@pytest.mark.parametrize(
    "text",
    [
        "A section 17 child in need assessment for both boys.",
        "On Thursday a Year 8 girl showed a teacher the group.",
        "He argues with the Year 11 boys he used to play football with.",
        "He lives with her and his two older half-brothers, both adults.",
    ],
)
def test_numbers_that_count_no_children(text: str) -> None:
    assert [m for m in find_child_mentions(text, children_table()) if m.count > 1] == []


def test_a_count_with_a_plural_still_counts() -> None:
    assert _one("There were 3 boys at the door.").count == 3


def test_a_friend_like_word_after_a_name_and_is_names_that_person() -> None:
    m = _one("Ladan is AH's niece, about 9, lives in Hargeisa.")
    assert (m.name, m.age, m.relation) == ("Ladan", 9, "niece")


def test_a_relation_word_in_a_bodys_name_is_no_child() -> None:
    table = children_table()
    text = "She agreed to a voluntary admission to the Mother and Baby Unit at Ashgrove."
    assert [m for m in find_child_mentions(text, table) if m.relation == "baby"] == []
    # a name after the word still names a child
    named = find_child_mentions("She left the baby, Lina, with her aunt.", table)
    assert [m.name for m in named] == ["Lina"]


def test_a_capitalised_relation_word_inside_a_name_is_no_child() -> None:
    table = children_table()
    school = "Zayn's school, St Mary's Infants, will be informed through this PPN."
    assert find_child_mentions(school, table) == []
    # at a sentence's start, or typed in capitals, the word is still a mention
    assert [m.relation for m in find_child_mentions("Her Baby was asleep.", table)] == ["baby"]
    shouted = find_child_mentions("SHE SAID HER LITTLE SISTER WAS THERE.", table)
    assert [m.relation for m in shouted] == ["sister"]
