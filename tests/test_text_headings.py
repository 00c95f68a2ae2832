"""AWARE headings (data-driven forms), section bodies, and labelled lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppncheck.resources import DataFileError
from ppncheck.text import headings
from ppncheck.text.headings import find_headings
from ppncheck.text.labelled import find_labelled
from ppncheck.text.tables import heading_table

NOTE = """Name: Ellie Hart  DOB: 02/05/2016
A - wearing pink pyjamas, clean.
W - N/A
A - playing on tablet
Relationships / dynamics: went straight to mum.
Env: tidy, food in fridge.
Ethnicity: W1
"""


def test_letter_headings_resolve_by_aware_order_and_bodies_stop_at_labels() -> None:
    found = find_headings(NOTE, heading_table())
    assert [h.element for h in found] == [
        "appearance",
        "words",
        "activity",
        "relationships",
        "environment",
    ]
    bodies = [NOTE[h.body_start : h.body_end] for h in found]
    assert bodies == [
        "wearing pink pyjamas, clean.",
        "N/A",
        "playing on tablet",
        "went straight to mum.",
        "tidy, food in fridge.",
    ]
    assert NOTE[found[3].start : found[3].end] == "Relationships / dynamics:"


@pytest.mark.parametrize(
    ("line", "element"),
    [
        ("Appearance: x y", "appearance"),
        ("Appearance / demeanour: x", "appearance"),
        ("Words spoken: x", "words"),
        ("Env: x", "environment"),
        ("- Activity: x", "activity"),
        ("WORDS\nx", "words"),
        ("Rels: x", "relationships"),
        ("Voice of child - x", "words"),
        ("With:\nDad sat with his arm round him.", "relationships"),
        ("Who with: her nan", "relationships"),
        ("WITH MUM / FAMILY\nMum hugged him at the door.", "relationships"),
        ('Child\'s account:\n  Jade (RHI 21/08 15:00): "He kept going."', "words"),
        ("When found: Jade in the back of the car, half asleep.", "activity"),
        ('Child\'s account (RHI by phone 19/07 at 11:20): "I lost track of time."', "words"),
        ("Appearance (on arrival): wet hair, sliders.", "appearance"),
        ('Where staying: he says "a flat by the docks, there\'s four of us".', "environment"),
        (
            'Child\'s account (RHI 12/08 at 15:00, social worker present): "Ash is my mate."',
            "words",
        ),
    ],
)
def test_heading_forms(line: str, element: str) -> None:
    assert [h.element for h in find_headings(line, heading_table())] == [element]


@pytest.mark.parametrize(
    "line", ["Mum said: she was fine", "A man was seen", "Appearance of the child was good"]
)
def test_prose_is_not_a_heading(line: str) -> None:
    assert find_headings(line, heading_table()) == []


def test_force_can_add_heading_forms(tmp_path: Path) -> None:
    extra = tmp_path / "headings.toml"
    extra.write_text('version = 1\n[elements.words]\nforms = ["child voice"]\n', "utf-8")
    assert find_headings("Child voice: x", heading_table()) == []
    found = find_headings("Child voice: x", heading_table((str(extra),)))
    assert [h.element for h in found] == ["words"]


def test_unknown_element_in_force_file_is_an_error(tmp_path: Path) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text('version = 1\n[elements.wordz]\nforms = ["x"]\n', "utf-8")
    with pytest.raises(DataFileError):
        heading_table((str(extra),))


def test_labelled_lines_several_per_line_with_value_offsets() -> None:
    text = (
        "Name: Ellie Hart  DOB: 02/05/2016  Ethnicity: W1\nChild 2: Tom Hart, Age: 4, "
        "Sex: male\nD.O.B.: 01/01/2010\nSelf-defined ethnicity: White British\nODE: IC1\n"
        "Alfie Hart (DOB 03/03/2024) was asleep."
    )
    got = [(x.key, x.value) for x in find_labelled(text)]
    assert got == [
        ("name", "Ellie Hart"),
        ("dob", "02/05/2016"),
        ("ethnicity", "W1"),
        ("name", "Tom Hart"),
        ("age", "4"),
        ("sex", "male"),
        ("dob", "01/01/2010"),
        ("ethnicity", "White British"),
        ("ode", "IC1"),
        ("dob", "03/03/2024"),
    ]
    for x in find_labelled(text):
        assert text[x.start : x.end] == x.value


_PIECES = [
    "Appearance", "A", "W", "Words", "Env", "Relationships / dynamics", "Ethnicity", "Activity",
    ":", " - ", "--", " – ", "—", "=", ")", "(", "\n", "\n\n", ". ", "  ", "\t", "1. ", "* ",
    "clean and tidy", "N/A", "said", "\"I'm ok\"", "asleep", "Kai (9)", "mum", "x",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=14))
@settings(max_examples=400, deadline=None)
def test_separator_hints_never_hide_a_heading(pieces: list[str]) -> None:
    """The cheap separator checks only skip scans that could not match: with the hint forced
    to match everywhere, every text gets exactly the same headings."""
    text = "".join(pieces)
    table = heading_table()
    hinted = find_headings(text, table)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(headings, "_SEP_HINT", re.compile(""))
        assert find_headings(text, table) == hinted


QUESTIONS = """Who was there
Kayla REECE (29) and her son Finn (6).

How did the children look?
Finn was in school uniform, clean.

What did the kids say?
Finn said "mummy was crying".

What was he doing? Sitting on the stairs with a tablet.

Who did they go to?
Finn went straight to his nan.

What happened
Neighbour called.
"""


def test_how_a_child_came_across_is_appearance() -> None:
    text = "How did Jake come across?\nJeans, black t-shirt, polite but flushed.\n"
    assert [h.element for h in find_headings(text, heading_table())] == ["appearance"]


def test_question_headings_are_named_by_their_words() -> None:
    found = find_headings(QUESTIONS, heading_table())
    assert [h.element for h in found] == [
        "appearance",
        "words",
        "activity",
        "relationships",
    ]
    bodies = [QUESTIONS[h.body_start : h.body_end] for h in found]
    assert bodies[2] == "Sitting on the stairs with a tablet."
    assert bodies[1] == 'Finn said "mummy was crying".'


@pytest.mark.parametrize(
    "line",
    [
        "Who is she?",  # no element's words
        "What happened",
        "Who lives here",
        "Who's in the house?",  # the people, not the home
        "What did he say and what was he doing?",  # two elements: not a heading
        "Mum said she was fine and went to bed.",  # a sentence, not a question or a label
    ],
)
def test_lines_that_are_not_question_headings(line: str) -> None:
    assert find_headings(f"{line}\nSome text here.\n", heading_table()) == []


def test_one_line_sections_end_the_last_section_at_its_line() -> None:
    text = (
        "App: tired, same clothes.\nWords: 'been at my mate's'.\nAct: went up to her room.\n"
        "Env: as above\n6th missing episode this month. RHI to be arranged.\n"
    )
    found = find_headings(text, heading_table())
    assert text[found[-1].body_start : found[-1].body_end] == "as above"


def test_sections_under_headings_alone_on_their_line_run_on() -> None:
    text = "Appearance\nclean.\nWords\nsaid hi.\nEnvironment\ntidy flat.\nfood in.\n"
    found = find_headings(text, heading_table())
    assert text[found[-1].body_start : found[-1].body_end] == "tidy flat.\nfood in."


def test_who_alone_heads_the_people_not_relationships() -> None:
    text = "Who\nMarley GORDON-SMITH, 16.\n\nWho she turns to: her nan, every time.\n"
    found = find_headings(text, heading_table())
    assert [h.element for h in found] == ["relationships"]
    assert text[found[0].body_start : found[0].body_end] == "her nan, every time."


def test_dictated_headings_after_a_spoken_paragraph_break() -> None:
    text = (
        "missing from home new paragraph appearance she was in a long black dress new paragraph "
        "words dad said quote she won't talk to us unquote new paragraph what she was doing "
        "sat on her bed new paragraph a word of thanks to the neighbour"
    )
    found = find_headings(text, heading_table())
    assert [h.element for h in found] == ["appearance", "words", "activity"]
    bodies = [text[h.body_start : h.body_end] for h in found]
    assert bodies == [
        "she was in a long black dress",
        "dad said quote she won't talk to us unquote",
        "sat on her bed",  # the next spoken break ends it, though no heading follows
    ]


def test_a_question_and_answer_block_is_not_appearance_or_activity() -> None:
    text = (
        'Words: Q: what did auntie say? A: "that we will have a party." Q: and then? A: "a bit."\n'
        "Q: who gave you the phone?\nA: a lad called Deano\n"
        "Home visit 15:30 same day. Mum was calm.\n"
        "Activity: reading when I arrived."
    )
    found = find_headings(text, heading_table())
    assert [(h.element, text[h.start : h.end]) for h in found] == [
        ("words", "Words:"),
        ("activity", "Activity:"),
    ]


def test_mid_line_labels_with_a_dash() -> None:
    text = (
        "Seen at school first. App – school uniform, clean, no marks. Voice: she said she was "
        "fine. Rels – close to her sister. The man was in a car. A - a letter on its own is no "
        "heading after a full stop."
    )
    found = find_headings(text, heading_table())
    assert [(h.element, text[h.start : h.end]) for h in found] == [
        ("appearance", "App –"),
        ("words", "Voice:"),
        ("relationships", "Rels –"),
    ]


def test_a_heading_with_the_childs_name_before_it() -> None:
    text = "Reece's voice\nMum said he has gone off the rails.\n\nMaisie-Jo's presentation: tired."
    found = find_headings(text, heading_table())
    assert [(h.element, text[h.start : h.end]) for h in found] == [
        ("words", "Reece's voice"),
        ("appearance", "Maisie-Jo's presentation:"),
    ]


def test_lettered_sub_headings_under_a_title() -> None:
    text = (
        "3. Voice of the child\n"
        "(a) Presentation: crop top and jeans, mascara run.\n"
        "(b) Relationships: N/A.\n"
        "(c) Environment: a tidy three-bedroom house.\n"
    )
    found = find_headings(text, heading_table())
    # the title over the lettered points is no empty Words section
    assert [h.element for h in found] == ["appearance", "relationships", "environment"]
    assert text[found[1].body_start : found[1].body_end] == "N/A."


@pytest.mark.parametrize(
    ("line", "element"),
    [
        ("Describe the child's presentation:", "appearance"),
        ("Outline the home conditions:", "environment"),
        ("INJURIES / APPEARANCE -", "appearance"),
        ("Home & school:", "environment"),
        ("What Lily wants\n", "words"),
        ("How she presented\n", "appearance"),
    ],
)
def test_a_forms_prompt_and_a_joined_label_open_their_section(line: str, element: str) -> None:
    text = f"{line} the body of the section, which has words in it.\n"
    found = find_headings(text, heading_table())
    assert [h.element for h in found] == [element]


def test_a_joined_label_without_an_aware_word_opens_nothing() -> None:
    for line in ("Injuries / bruising: 2cm to cheek.\n", "A & E: seen at 0300.\n"):
        assert find_headings(line, heading_table()) == []


def test_a_line_of_shorthand_with_an_element_word_is_no_heading() -> None:
    for line in ("Is happy at home\n", "Did say she was ok\n"):
        assert find_headings(f"Intro.\n{line}More text here.\n", heading_table()) == []


def test_bracketed_letters_and_an_apps_markdown_sections() -> None:
    text = "• [A] Black tracksuit, clean.\n• [W] Said nothing.\n• [E] Bus station.\n"
    assert [h.element for h in find_headings(text, heading_table())] == [
        "appearance",
        "words",
        "environment",
    ]
    app = (
        '### Voice of the child\nBoth in the front room.\n\nHe said "Mum is at work."\n\n'
        "### Home conditions\nCold, no food.\n"
    )
    words, home = find_headings(app, heading_table())
    assert (words.element, home.element) == ("words", "environment")
    assert app[words.body_start : words.body_end].endswith('"Mum is at work."')


def test_an_adults_words_label_is_no_childs_words_heading() -> None:
    text = "IP's words: \"He is always outside.\"\nMum's house: clean, food in.\n"
    assert [h.element for h in find_headings(text, heading_table())] == ["environment"]


def test_a_forms_field_label_ends_the_section_before_it() -> None:
    text = "Child's words: N/A\nInjuries: red mark to neck\nConveyed: Y - A&E with mum\n"
    (words,) = find_headings(text, heading_table())
    assert text[words.body_start : words.body_end].strip() == "N/A"


def test_a_words_label_that_names_an_adult_is_not_the_childs() -> None:
    text = 'What parents said\nBoth said "never".\nVoice of the child\nSalma said "hi".\n'
    assert [h.element for h in find_headings(text, heading_table())] == ["words"]


def test_a_childs_name_a_dash_and_a_heading_alone_on_the_line() -> None:
    text = (
        'MAJA – HOW SHE LOOKED\nClean, in pyjamas.\n\nMAJA – WHAT SHE SAID\n"He waved at me."\n\n'
        "Gabriel - With others\nStayed close to his brother.\n\nMaja - was asleep upstairs.\n"
    )
    found = find_headings(text, heading_table())
    assert [h.element for h in found] == ["appearance", "words", "relationships"]
    assert text[found[1].start : found[1].end] == "WHAT SHE SAID"
