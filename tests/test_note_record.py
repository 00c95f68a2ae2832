"""A free-text note is checked by the record rules, as the partial record read from it
(rules/note_record.py), and every finding on it names the note and the words it concerns."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import ppncheck
from ppncheck import Config
from ppncheck.api import analyse_texts
from ppncheck.evaluate.notes import NOTE_RULES as EVALUATED
from ppncheck.rules.context import NoteSource
from ppncheck.rules.note_record import note_context
from ppncheck.rules.registry import NOTE_RULE_MODULES, NOTE_RULES, THIN_NOTE_RULES
from ppncheck.text.analysis_types import AWARE_ELEMENTS
from tests.conftest import load_example

NOTES = Path(__file__).parent / "notes"


def _text(name: str) -> str:
    return (NOTES / name).read_text("utf-8")


def _flagged(text: str, rule_id: str) -> list[str | None]:
    """The words each ``rule_id`` finding on the note points at (None: the whole note)."""
    out = []
    for f in ppncheck.check(text).findings:
        if f.rule_id == rule_id:
            assert f.field == "note"
            out.append(None if f.start is None else text[f.start : f.end])
    return out


def test_every_finding_on_a_note_names_the_note() -> None:
    texts = [_text(p.name) for p in sorted(NOTES.glob("*.txt"))]
    findings = [f for r in ppncheck.check_many(texts) for f in r.findings]
    assert {f.rule_id for f in findings} >= {"AWR001", "AWR002", "ETH001", "TPL001", "CHD001"}
    assert all(f.field == "note" for f in findings)
    # only TPL001 (the note as a whole says nothing) has no better place than the whole note
    assert {f.rule_id for f in findings if f.start is None} == {"TPL001"}


def test_a_missing_element_points_at_the_child() -> None:
    assert _flagged(_text("headed_missing_env.txt"), "AWR005") == ["Harvey Stone"]
    assert _flagged(_text("prose_no_words.txt"), "AWR002") == ["Evie Saunders"]
    assert _flagged(_text("headed_missing_activity_relationships.txt"), "AWR003") == [
        _flagged(_text("headed_missing_activity_relationships.txt"), "AWR004")[0]
    ]


def test_a_child_only_mentioned_is_where_a_missing_element_points() -> None:
    text = (
        "Call to a verbal argument between Dean HOLLIS (34, W1) and his partner Kim SHAW (31, W1) "
        "at 14 Ash Row. Both adults were calm when officers arrived. The baby was asleep in "
        "the cot upstairs throughout. The flat was clean and warm, food in the fridge. Advice "
        "given to both, DASH standard, no offences disclosed."
    )
    spans = {f.rule_id: f for f in ppncheck.check(text).findings}
    assert "AWR001" in spans
    f = spans["AWR001"]
    assert text[f.start : f.end].lower().endswith("baby")


def test_a_placeholder_or_an_empty_words_section_points_at_the_section() -> None:
    assert _flagged(_text("headed_env_nil.txt"), "AWR006") == ["nil"]
    (words,) = _flagged(_text("headed_words_adult_only.txt"), "AWR007")
    assert words is not None and words.startswith("Mum stated that Ruby")


def test_ethnicity_findings_point_at_the_value_or_the_child() -> None:
    (eth001,) = _flagged(_text("headed_no_ethnicity.txt"), "ETH001")
    assert eth001 is not None and eth001 in _text("headed_no_ethnicity.txt").splitlines()[0]
    text = (
        "IP: Leanne MARSDEN, DOB 19/04/1991, SDE NS. Her son Tyler MARSDEN, DOB 02/03/2017, "
        "Ethnicity: normal. " + _text("headed_words_asleep.txt").split("\n", 2)[2]
    )
    assert _flagged(text, "ETH002") == ["NS"]
    assert _flagged(text, "ETH003") == ["normal"]


def test_a_note_with_nobody_in_it_names_the_whole_note_for_ethnicity() -> None:
    text = " ".join(["The caller reported shouting next door but nobody answered the door."] * 5)
    assert _flagged(text, "ETH001") == [None]


def test_a_missing_child_graded_low_points_at_the_grade() -> None:
    text = (
        "Misper: Jayden COLE, DOB 04/02/2011 (13), W1, missing from home since 16:00; did not "
        "return from school. Mum Tara COLE (W1) reported him missing at 22:10. Graded as standard "
        "risk by control. He was found at a friend's house at 01:30, tired and cold. He said "
        '"I just wanted to get away from the shouting". Home clean and warm.'
    )
    assert _flagged(text, "RSK001") == ["Graded as standard"]
    # a negation in an earlier clause is not the grade's; a risk level label is a grade
    earlier = text.replace(
        "Graded as standard", "She did not come back from the shops, and was graded as standard"
    )
    assert _flagged(earlier, "RSK001") == ["graded as standard"]
    level = text.replace("Graded as standard risk by control.", "Risk level: Standard.")
    assert _flagged(level, "RSK001") == ["Risk level: Standard"]
    upgraded = text.replace("Graded as standard risk", "Upgraded from standard to high risk")
    assert _flagged(upgraded, "RSK001") == []


def test_an_unrecorded_child_points_at_the_mention() -> None:
    assert set(_flagged(_text("chd_baby_unrecorded.txt"), "CHD001")) == {"the baby"}


def test_a_thin_note_is_tpl001_with_vb001_on_its_wording_and_nothing_else() -> None:
    text = "Verbal argument, kids in bed. She keeps putting herself at risk. NFA."
    report = ppncheck.check(text)
    assert sorted(report.rule_ids) == ["TPL001", "VB001"]
    (tpl,) = [f for f in report.findings if f.rule_id == "TPL001"]
    assert (tpl.field, tpl.start, tpl.end) == ("note", None, None)


def test_the_partial_record_read_from_a_note() -> None:
    text = _text("chd_baby_unrecorded.txt")
    config = Config()
    (analysis,) = analyse_texts([text], config=config)
    ctx = note_context(text, analysis, config)
    record = ctx.record
    assert record["circumstances"] == text
    (tyler,) = record["persons"]
    assert (tyler["forename"], tyler["surname"], tyler["age_years"]) == ("Tyler", "Grant", 8)
    assert ctx.persons[0].is_child and ctx.persons[0].recorded
    (entry,) = record["voice_of_child"]
    assert set(entry["aware"]) == set(AWARE_ELEMENTS)
    assert entry["aware"]["words"].startswith("Words:")
    assert ctx.note is not None
    start, end = ctx.note.spans["voice_of_child[0].aware.words"]
    assert text[start:end].startswith("Tyler told officers")
    assert ctx.note.spans["persons[0].age_years"] == (text.index("8"), text.index("8") + 1)
    # the rules that judge a note; AWR008 does not (the note's AWARE is judged as a whole)
    assert ctx.judged == NOTE_RULES and "AWR008" not in NOTE_RULES


def test_the_registry_says_which_rules_judge_a_note() -> None:
    assert set(EVALUATED) == NOTE_RULES
    assert {"TPL001", "VB001"} == THIN_NOTE_RULES
    assert "ppncheck.rules.dates" not in NOTE_RULE_MODULES
    assert {"ppncheck.rules.ethnicity", "ppncheck.rules.aware"} <= set(NOTE_RULE_MODULES)


def test_a_finding_is_placed_on_the_value_or_the_nearest_one_around_it() -> None:
    source = NoteSource(
        spans={"persons[1]": (10, 20), "voice_of_child[0].aware.words": (40, 60)},
        offsets={"circumstances": 0, "voice_of_child[0].aware.words": 40},
    )
    assert source.place("persons[1].sde_code", None, None) == (10, 20)
    assert source.place("voice_of_child[0].aware.words", 2, 5) == (42, 45)
    assert source.place("voice_of_child[0].aware.words", None, None) == (40, 60)
    assert source.place("circumstances", 3, 9) == (3, 9)
    assert source.place("circumstances", None, None) is None
    assert source.place("voice_of_child[0].aware.appearance", None, None) is None


# --- the same child-mention judgement on a structured record ----------------------------------


def _chd(circumstances: str) -> list[str]:
    record: dict[str, Any] = copy.deepcopy(load_example("good-01-domestic-abuse-two-children"))
    record["circumstances"] = circumstances
    report = ppncheck.check(record)
    return [circumstances[f.start : f.end] for f in report.findings if f.rule_id == "CHD001"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rachel has a toddler bed ready for the new flat.",
        'Curtis shouted "you treat me like a baby" at Rachel.',
        "Rachel said that a 15-year-old cannot consent to what he did to her cousin.",
        "Rachel is 31 weeks pregnant; a cot is ready for the baby.",
        "Rachel was seen by the midwife at 16/40; her partner is the father of the baby.",
        "Rachel was 15 at conception; she wants the baby to stay in her room.",
    ],
)
def test_a_record_mention_that_is_no_child_of_the_ppn(sentence: str) -> None:
    base = load_example("good-01-domestic-abuse-two-children")["circumstances"]
    assert _chd(f"{base} {sentence}") == []


def test_a_record_still_needs_a_child_it_names_as_a_person() -> None:
    base = load_example("good-01-domestic-abuse-two-children")["circumstances"]
    assert _chd(f"{base} Their cousin Kayden (9) was also staying over.") == ["Kayden (9)"]


def test_a_child_named_with_an_age_in_the_prose_is_recorded_there() -> None:
    # "June" is a month to the people reader; the child-mention finder reads "June (6)"
    text = _text("chd_baby_unrecorded.txt").replace(
        "Ethnicity: W1\n", "Ethnicity: W1\nAlso in the house: his sister June (6), asleep.\n"
    )
    text = text.replace("rocking the baby in a bouncer", "alone").replace(
        "Tyler was gentle with the baby and kept", "Tyler kept"
    )
    assert "CHD001" not in ppncheck.check(text).rule_ids
    # the same sister with no age records no child: CHD001 points at her
    no_age = text.replace("June (6)", "June")
    assert _flagged(no_age, "CHD001") != []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Streetwise.", ["AWR006", "VB001"]), ("N/A", ["AWR006"]), ("Mature for her age.", ["VB001"])],
)
def test_a_thin_field_keeps_its_wording_checked_as_a_thin_note_does(
    text: str, expected: list[str]
) -> None:
    record: dict[str, Any] = load_example("good-01-domestic-abuse-two-children")
    record["voice_of_child"][0]["aware"]["activity"] = text
    assert sorted(ppncheck.check(record).rule_ids) == expected
    assert sorted(ppncheck.check(f"She is {text.lower()}").rule_ids) == sorted(
        {"TPL001", *(r for r in expected if r == "VB001")}
    )


_SISTERS = (
    "Forced marriage concern. Amna SHAH, 17 (DOB 02/02/2007), W1... A2 per Amna, and her sister "
    "Hira SHAH, 14 (DOB 05/05/2010), A2, live with their parents Tariq SHAH, 49, A2, and Nasreen "
    'SHAH, 44, A2. Amna said "they are taking us to Lahore in the summer". Both girls were calm, '
    "clean and in school uniform, sat together on the sofa and held hands. The house is clean "
    "and warm. A Forced Marriage Protection Order covering both sisters is being prepared."
)


def test_siblings_named_without_whose_they_are_are_the_children_themselves() -> None:
    assert _flagged(_SISTERS, "CHD001") == []
    # "her two sisters" of a recorded child are two more children
    two_more = _SISTERS.replace("covering both sisters", "covering Amna and her two sisters")
    assert _flagged(two_more, "CHD001") != []


def test_an_older_sibling_of_a_teenager_and_a_claimed_persona_are_no_child() -> None:
    older = _SISTERS + " Amna's older brothers have threatened her."
    assert _flagged(older, "CHD001") == []
    # the same brothers again, without "older", later in the note
    again = older + " She was assaulted by her brothers on Friday."
    assert _flagged(again, "CHD001") == []
    assert _flagged(_SISTERS + " She was assaulted by her brothers on Friday.", "CHD001") != []
    persona = _SISTERS + " The account said he was a 16yo lad from Leeds."
    assert _flagged(persona, "CHD001") == []
    saying = _SISTERS + " An account messaged him saying she was a 16 year old girl from Leeds."
    assert _flagged(saying, "CHD001") == []


def test_a_son_where_every_recorded_child_is_a_daughter_is_another_child() -> None:
    text = (
        "Nicola FERGUSON (37, W1) reported stalking by her ex-partner.\n"
        "Nicola's daughter Poppy FERGUSON (8, DOB 30/10/2016, W1) was at home. "
        "Her older son was at his dad's for the week. Poppy was at the kitchen table doing "
        "her homework in her school uniform, clean and well cared for, and said \"I don't "
        'like it when he comes round". She stayed close to her mum. The house was clean and '
        "warm with food in the cupboards. DASH completed, medium; referral to the MASH."
    )
    assert _flagged(text, "CHD001") == ["Her older son"]
    both = text.replace("Her older son was", "Poppy's brother Leo FERGUSON (12, W1) was")
    assert _flagged(both, "CHD001") == []


def test_an_adults_sister_named_with_a_possessive_in_lower_case_is_no_child() -> None:
    from ppncheck.rules.children import _an_older_adults_own
    from ppncheck.rules.context import PersonFacts
    from ppncheck.text.analysis_types import ChildMention

    aoife = PersonFacts(0, {"forename": "Aoife"}, is_child=False, age=35, is_adult=True)
    sister = ChildMention(0, 14, "relation", relation="sister")
    assert _an_older_adults_own(["aoife's", "sister"], sister, [aoife])
    child = PersonFacts(0, {"forename": "Aoife"}, is_child=True, age=9)
    assert not _an_older_adults_own(["aoife's", "sister"], sister, [child])


def test_a_note_that_says_no_children_are_involved_has_no_unnamed_child() -> None:
    text = (
        "Adult at risk - financial abuse by a lodger. No children involved.\n"
        "Walter BRIGGS, 84 (DOB 02/02/1940), self-defines as White British (W1), lives alone "
        "with a lodger, Dean PRATT, 39, W1. Reported by his daughter Carol BRIGGS, 58, W1, "
        "after large withdrawals from his account. Walter said he is scared of Dean and that "
        "he wants his daughter to come and stay. Flat cold, fridge empty, post unopened."
    )
    rules = {f.rule_id for f in ppncheck.check(text).findings}
    assert not rules & {"CHD001", "AWR001", "AWR002", "AWR003", "AWR004", "AWR005"}


def test_a_grown_son_named_with_his_age_is_no_child() -> None:
    text = (
        "Forced marriage concern. Nadia KOSTA, 16 (DOB 03/03/2008), self-defines as White "
        "Albanian (W9), told her teacher that her father has agreed she will marry a family "
        "friend's son, Besnik, who she thinks is 27, in the summer holidays. "
    )
    rules = {f.rule_id for f in ppncheck.check(text * 2).findings}
    assert "CHD001" not in rules


def test_a_forms_field_labels_are_no_words_of_a_thin_note() -> None:
    text = (
        "MOBILE PPN EXPORT\nOccurrence: AB-250101-0001\nDate/Time: 01/01/2025 02:10\n"
        "Officer: PC 1234\nPPN type: MH\nSubject: adult, flat - see log\nSDE:\n"
        "Children present: 0\n\nNARRATIVE\nWelfare check for a neighbour. Spoken to at the "
        "door, says fine. Advice given. NFA.\n"
    )
    assert [f.rule_id for f in ppncheck.check(text).findings] == ["TPL001"]


def test_a_young_woman_is_no_adultification_when_no_teenager_is_recorded() -> None:
    adult = (
        "DA. IP Kerry MOSS, 19, W1, lives with her son Alfie MOSS, 2 (DOB 01/01/2023), W1. "
        "A young woman ran into the shop carrying a little boy, crying, at 21:40. "
    )
    teen = (
        "Missing. Keira BELL, 15 (DOB 01/01/2010), W1, reported missing by her mum at 20:00. "
        "The young woman was found at the bus station at 23:10 by the late turn. "
    )
    assert "VB001" not in {f.rule_id for f in ppncheck.check(adult * 2).findings}
    assert "VB001" in {f.rule_id for f in ppncheck.check(teen * 2).findings}


def test_no_children_in_either_household_and_rel_is_no_name() -> None:
    text = (
        "Stalking. IP Nat SHAW 32yrs DOB 09/03/92 W1. DP Ryan COLE 35yrs DOB 26/10/89 W1. "
        "Rel 4 yrs, ended Aug 24. No children together, no children in either household. "
        "DP has sent 200 messages and waited outside her work four times; she says she is "
        "scared to walk to her car. DASH medium. DP to be arrested for stalking."
    )
    rules = {f.rule_id for f in ppncheck.check(text).findings}
    assert not rules & {"CHD001", "AWR001", "AWR002", "AWR003", "AWR004", "AWR005"}


def test_a_words_heading_that_points_back_to_the_childs_quoted_words() -> None:
    body = (
        "Tyrone BELL, 15 (DOB 01/02/2009), W1, seen in ED at 02:00 with a cut hand. He said "
        '"I fell on a bottle, nobody did it" and "I want my mum." '
    )
    rest = "\nAppearance: grey hoodie, blood on his sleeve, pale.\n"
    pointed = ppncheck.check(body * 2 + rest + "W - as quoted above.\n").findings
    assert not {f.rule_id for f in pointed} & {"AWR002", "AWR006", "AWR007"}
    nothing = ppncheck.check(
        "Tyrone BELL, 15 (DOB 01/02/2009), W1, seen in ED at 02:00 with a cut hand, quiet. " * 2
        + rest
        + "Words: as above.\n"
    ).findings
    assert "AWR006" in {f.rule_id for f in nothing}


def test_a_mothers_she_said_in_the_words_section_is_not_the_childs() -> None:
    head = (
        "DA. IP Gemma HOLT, 34, W1. Children: Harvey HOLT, 10 (DOB 01/01/2014), W1, and Poppy "
        "HOLT, 6 (DOB 02/02/2018), W1.\nAppearance: both in pyjamas, clean, no marks.\n"
        "Activity: Harvey on the Xbox, Poppy doing a jigsaw.\n"
    )
    words = (
        "Voice of the child: Mum says they were upstairs and didn't hear much. She says they "
        'love their dad and "just want things back to normal".\n'
    )
    rules = {f.rule_id for f in ppncheck.check(head + words).findings}
    assert "AWR007" in rules


def test_a_mention_on_another_line_is_not_the_next_names_introduction() -> None:
    text = (
        "Return visit 21/09/2024 to 4 Slate Row after a missing episode.\n\n"
        "Present: Kian, Dawn HOLT (mum), his little sister.\n\n"
        'Kian HOLT, 14 (DOB 13/08/2010), self-defines as White British (W1). He said "I was at '
        "my mate's\". Dawn HOLT, 37, White British (W1). The house was clean and warm.\n"
    )
    assert _flagged(text, "CHD001") == ["his little sister"]
    # on the same line, "her son Kian HOLT" introduces the recorded child
    same_line = text.replace("his little sister.\n\nKian HOLT", "and her son Kian HOLT")
    assert _flagged(same_line, "CHD001") == []


def test_a_little_boy_in_an_adult_at_risk_record_is_a_child() -> None:
    # in an adult-at-risk PPN "his daughter" is usually grown; "her little boy" never is
    record: dict[str, Any] = copy.deepcopy(load_example("good-05-adult-at-risk-no-children"))
    base = record["circumstances"]

    def chd(extra: str) -> list[str]:
        record["circumstances"] = f"{base} {extra}"
        found = ppncheck.check(record).findings
        return [record["circumstances"][f.start : f.end] for f in found if f.rule_id == "CHD001"]

    assert chd("His daughter visits fortnightly.") == []
    assert chd("A neighbour came round with her little boy.") == ["her little boy"]


def test_no_children_or_grandchildren_means_a_son_is_grown() -> None:
    record: dict[str, Any] = copy.deepcopy(load_example("good-05-adult-at-risk-no-children"))
    record["ppn_types"] = ["stalking_harassment"]
    base = record["circumstances"]
    record["circumstances"] = f"{base} She rang her son, who called us."
    assert "CHD001" in ppncheck.check(record).rule_ids
    record["circumstances"] = (
        f"{base} No children or grandchildren living with her. She rang her son, who called us."
    )
    assert "CHD001" not in ppncheck.check(record).rule_ids


def test_an_adults_quote_with_no_subject_or_after_a_named_adult_is_not_the_childs() -> None:
    from ppncheck.read.note import read_note
    from ppncheck.rules.note_record import child_quotes

    people = "Lacey COLE, 4 (DOB 05/08/2019), W1. Mihai DUMITRU, W9.\n"
    for said in (
        'Mum phoned and returned 17:05 - says she went to her pal\'s "for an hour".',
        'Mihai was very angry. He said they had "bottles thrown at the van".',
    ):
        text = people + said
        assert child_quotes(text, read_note(text)) == ()
    # the child named, or "she" after the child, is the child
    text = people + 'Lacey was on the floor. She said "mummy went out".'
    assert [text[q.start : q.end] for q in child_quotes(text, read_note(text))] == [
        '"mummy went out"'
    ]


def test_an_adults_named_sister_is_no_child() -> None:
    text = (
        "Concern for welfare for Mark SUTTON 37 (W1), 24 Chapel Street, Askby. His sister "
        "Claire SUTTON (W1) rang in after a text from him. Found him on the kitchen floor, "
        "conscious and talking; he went to hospital with the ambulance crew. Lives alone, no "
        "kids. Door secured by us. PPN for the crisis team and GP follow up."
    )
    assert _flagged(text, "CHD001") == []
    # a child's mark still makes her a child
    little = text.replace("His sister Claire", "His little sister Claire")
    assert _flagged(little, "CHD001") != []


def test_a_cousin_with_an_age_abroad_is_no_child_of_the_notes_own() -> None:
    text = (
        "Victim Amrit KAUR, 19 (DOB 02/02/2005), A1, attended the front counter with her "
        "friend. She says her parents are arranging her marriage to a man in Punjab and have "
        "taken her passport. V states her cousin aged 16 was taken to Punjab last summer and "
        "married there. Amrit is staying with a friend tonight; FMU informed and a Forced "
        "Marriage Protection Order is being sought."
    )
    assert _flagged(text, "CHD001") != []  # the cousin is an unrecorded child
    assert _flagged(text, "AWR003") == []  # but the note is about an adult: AWARE does not apply
    # a child the note mentions as its own still brings AWARE in
    own = text.replace("her cousin aged 16", "her little sister")
    assert _flagged(own, "AWR003") != []


def test_an_adults_injuries_in_a_clause_after_her_name_are_not_the_childs_appearance() -> None:
    text = (
        "Attended 56 Greaves Road at 01:10 after a neighbour heard screaming. The victim, "
        "Danielle FROST (28, describes herself as White British), was on the pavement with a "
        "swollen left eye, a bloody nose and a clump of hair missing from the back of her head; "
        "her partner Ryan COLE (31, W1) was arrested for ABH. Her daughter Lacey FROST, DOB "
        "22/04/2017 (7), W1, was at the top of the stairs when we got in. Lacey told me "
        '"Ryan pulled Mummy\'s hair." Lacey went straight to her mum and would not let go of '
        "her. The house is a clean 3 bed terrace with food in. CSC informed."
    )
    assert _flagged(text, "AWR001") != []  # nothing says how Lacey looked
    # the same clause after a sentence about the child is hers
    hers = text.replace(
        "Lacey went straight", "Lacey was in pyjamas, with a bloody nose. Lacey went straight"
    )
    assert _flagged(hers, "AWR001") == []


def _note_chd(note: str) -> list[str]:
    return [note[f.start : f.end] for f in ppncheck.check(note).findings if f.rule_id == "CHD001"]


_PEER_NOTE = (
    "Attended 14 Holt Road re online abuse. Priya SHAH, 14 (DOB 02/03/2012), self-defines as "
    "British Indian (A1), lives with mum Anita SHAH, 41 (A1). Priya was on her bed in school "
    'uniform, tearful, and said "I feel sick about it". Her room is tidy and warm. She hugged '
    "mum throughout. {}"
)


@pytest.mark.parametrize(
    ("sentence", "mention"),
    [
        ("Her friend from school told her about the group chat.", "Her friend from school"),
        ("Lewis is his mate from his year at Holt High.", "his mate from his year"),
        ("A Year 8 pupil showed a teacher the pictures.", "A Year 8 pupil"),
    ],
)
def test_a_peer_at_school_is_a_child_to_record(sentence: str, mention: str) -> None:
    assert _note_chd(_PEER_NOTE.format(sentence)) == [mention]


@pytest.mark.parametrize(
    "sentence",
    [
        "Her friends from school have been supportive.",  # a group, no one child
        "Priya, a Year 9 pupil at Holt High, is doing well.",  # the recorded child, 13 or 14
    ],
)
def test_a_group_of_peers_or_the_recorded_childs_school_year_is_no_unrecorded_child(
    sentence: str,
) -> None:
    assert _note_chd(_PEER_NOTE.format(sentence)) == []
