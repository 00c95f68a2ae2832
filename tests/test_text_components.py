"""The components by name in a user's own pipeline, with n_process=2, and analyse_texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from ppncheck.config import Config
from ppncheck.text.analysis import analyse_texts, pipeline_for

NOTE = """Name: Ellie Hart  DOB: 02/05/2016
Ethnicity: W1
Appearance: Ellie was wearing pink pyjamas and was tearful.
Words: N/A

Ellie said "daddy hit mummy". Her two younger brothers were asleep upstairs.
The kitchen was dirty and there was no food in the fridge.
"""

NAMES = [
    "ppn_sentences",
    "ppn_aware_sections",
    "ppn_aware_coverage",
    "ppn_child_speech",
    "ppn_children",
]


def _user_pipeline() -> spacy.language.Language:
    nlp = spacy.blank("en")
    for name in NAMES:
        nlp.add_pipe(name)
    return nlp


def test_components_by_name_in_a_blank_pipeline() -> None:
    doc = _user_pipeline()(NOTE)
    assert {s.label_ for s in doc.spans["ppn_aware_headings"]} == {"appearance", "words"}
    assert "environment" in {s.label_ for s in doc.spans["ppn_aware"]}
    assert [s.text for s in doc.spans["ppn_child_speech"]] == ['"daddy hit mummy"']
    assert [s.text for s in doc.spans["ppn_children"]] == ["Her two younger brothers"]
    assert doc._.ppn_section_placeholders == {"words": ["placeholder", "N/A", 0]}


def test_components_with_two_processes() -> None:
    texts = [NOTE, "See log.", NOTE.replace("Ellie", "Maisie")] * 2
    single = [d.to_json() for d in _user_pipeline().pipe(texts)]
    docs = list(_user_pipeline().pipe(texts, n_process=2, batch_size=2))
    assert [d.to_json() for d in docs] == single
    assert docs[0]._.ppn_child_mentions[0]["count"] == 2
    assert docs[1]._.ppn_placeholder == ["placeholder", "See log", 0]


def test_lexicon_method_is_available() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("ppn_sentences")
    nlp.add_pipe("ppn_aware_coverage", config={"method": "lexicon"})
    doc = nlp("She was wearing a soiled nappy. There was no food in the kitchen.")
    assert {(s.label_, s.id_) for s in doc.spans["ppn_aware"]} >= {
        ("appearance", "lexicon"),
        ("environment", "lexicon"),
    }


def test_analyse_texts_fills_every_field() -> None:
    (a,) = analyse_texts([NOTE], config=Config())
    assert a.text_length == len(NOTE)
    assert [h.element for h in a.headings] == ["appearance", "words"]
    assert a.section_placeholders["words"].matched == "N/A"
    assert a.placeholder is None
    assert {"appearance", "words", "environment"} <= set(a.aware_evidence)
    assert any(s.source == "heading" for s in a.aware_evidence["appearance"])
    assert [NOTE[s.start : s.end] for s in a.child_speech] == ['"daddy hit mummy"']
    assert a.child_mentions[0].relation == "brother" and a.child_mentions[0].count == 2
    assert [(x.key, x.value) for x in a.labelled] == [
        ("name", "Ellie Hart"),
        ("dob", "02/05/2016"),
        ("ethnicity", "W1"),
    ]
    assert analyse_texts([], config=Config()) == []


def test_pipeline_built_once_per_cache_key(tmp_path: Path) -> None:
    assert pipeline_for(Config()) is pipeline_for(Config(min_level=Config().min_level))
    extra = tmp_path / "p.toml"
    extra.write_text('version = 1\nforms = ["refer to storm"]\n', "utf-8")
    other = Config(extra_placeholders=(extra,))
    assert pipeline_for(other) is not pipeline_for(Config())
    (a,) = analyse_texts(["Refer to STORM"], config=other)
    assert a.placeholder is not None and a.placeholder.kind == "placeholder"


def test_about_a_child_reads_plurals_and_subjectless_shorthand() -> None:
    from ppncheck.text.coverage import about_a_child

    none: frozenset[str] = frozenset()
    assert about_a_child("The girls were drawing at the kitchen table.", none)
    assert about_a_child("Both boys were asleep.", none)
    assert not about_a_child("Male left to stay with a friend.", none)
    # no subject: about whoever the sentence before was about
    assert about_a_child("Was walking fast w/ phone out.", none, "App - the girl in jeans, cold.")
    assert about_a_child("Was walking fast.", frozenset({"Jade"}), "Found Jade on Saltpan Rd.")
    assert not about_a_child("Was shouting in the street.", none, "Mum was arrested.")
    # a run of subjectless lines inherits from the last line that names someone
    assert about_a_child("Was gaming in his room.", none, lambda: True)
    assert not about_a_child("Was gaming in his room.", none, lambda: False)
    # an -ing opening is the child's when the sentence before was, even naming "me"
    duplo = "Building a Duplo tower on the floor and showed it off to me."
    assert about_a_child(duplo, none, lambda: True)
    assert not about_a_child(duplo, none, lambda: False)
    assert not about_a_child("During the visit I spoke to mum.", none, lambda: True)
    # list markers before a subjectless point; a hyphenated thing's name names nobody
    assert about_a_child("(c) Playing with a train track on the floor.", none, lambda: True)
    assert not about_a_child("(c) Playing with a train track on the floor.", none, lambda: False)
    spider = "(a) In Spider-Man pyjamas, just bathed, clean, no marks."
    assert about_a_child(spider, none, lambda: True)
    # a brand or place of two capitalised words names nobody; a name inside still does
    puffer = "(a) Black North Face puffer, brand-new trainers, clean, no injuries."
    assert about_a_child(puffer, none, lambda: True)
    assert not about_a_child("Later Kyle came back to the flat.", none, lambda: True)
    # a child's quote names nobody outside it: the sentence still inherits
    assert about_a_child('+ "mummy says i can have earrings".', none, lambda: True)
    # a child's initials stand for the child ("OW" for Oscar WONG-HOLT)
    assert about_a_child("OW was awake in the lounge, in pyjamas.", frozenset({"OW"}))


def test_her_after_a_sentence_opening_with_one_adult_of_her_sex_is_that_adult() -> None:
    from ppncheck.text.coverage import about_a_child

    kids = frozenset({"Brooke", "Leon"})
    mum = "Mum Stacey HAYES (27) came back 0020, said she'd popped out."
    assert not about_a_child("Smelled of drink, unsteady on her feet.", kids, None, mum)
    # another sex, a name or a child named in lower case: not that adult
    assert about_a_child("Unsteady on his feet.", kids, None, mum)
    assert about_a_child("She ran to Brooke and held her.", kids, None, mum)
    dad = "dad Kwame MENSAH 45 lives in nottm, rang by mum,"
    assert not about_a_child("says he is fine, doesnt see him much", kids, None, dad)
    assert about_a_child("leon says he is fine w/ dad but doesnt see him much", kids, None, dad)
    assert about_a_child("Crying, her face red.", kids, None, "Officers attended at 2300.")


@pytest.mark.parametrize(
    ("sentence", "element"),
    [
        ("When I went up Owen was at his PC with a headset on.", "activity"),
        ("Kathleen slept through in the bunk room.", "activity"),
        ("He was wearing a white thobe over grey tracksuit bottoms.", "appearance"),
        ("Charlie was on the landing in PE shorts and a hoodie.", "appearance"),
        ("I drove them home to a warm and tidy terraced house.", "environment"),
        ("When seen, AK was in the school library with her books open.", "activity"),
        ("Nana: eyes red. Sitting on the neighbour's sofa hugging her knees.", "activity"),
        ("Kofi: asleep on the neighbour's bed in a vest and nappy.", "activity"),
        ("Macsen asleep in his own room throughout, checked by me.", "activity"),
        ("Mia - in her cot in Kayden's room, nappy dry, no marks.", "activity"),
        ("They live in a cold, damp bedsit above the shop.", "environment"),
        ("Tired and flat, answering mostly with shrugs and picking at her nails.", "activity"),
        ("they live in a flat on the Selwood estate, mum says its clean", "environment"),
        ("School uniform (Saltings Primary), neat, clean, no marks.", "appearance"),
        ("No visible injuries to his arms or face.", "appearance"),
        ("- Sat slumped in the back of our car the whole time.", "activity"),
        ("She was texting someone when we went in.", "activity"),
    ],
)
def test_strong_cues_speak_to_an_element_in_any_writers_prose(sentence: str, element: str) -> None:
    from ppncheck.text.coverage import strong_sentence_labels
    from ppncheck.text.tables import strong_cue_table

    assert element in strong_sentence_labels(sentence, [0], strong_cue_table())[0]


def test_strong_cues_leave_plain_facts_alone() -> None:
    from ppncheck.text.coverage import strong_sentence_labels
    from ppncheck.text.tables import strong_cue_table

    facts = (
        "Suspect arrested for assault. DASH high. Referral to children's social care. "
        "Sat 24/08 00:50, log 19."
    )
    assert strong_sentence_labels(facts, [0], strong_cue_table()) == [set()]


def test_a_run_on_paragraph_is_scored_clause_by_clause() -> None:
    """Shorthand strung together with commas: every AWARE element in one 'sentence'.  Scored
    whole, it spoke to none; clause by clause each element is found, and a bare "DOB 21-7-95"
    label hides only its date, not the rest of the line."""
    note = (
        "attended 14 Orchard Rise 0135hrs re 999 from neighbour hearing screaming, IP jade "
        "MORLEY DOB 21-7-95 (28) SDE W1 answered the door crying w/ red marks on her neck, "
        "DP kyle FENWICK DOB 9-11-93 SDE W1 left in his van before we got there, 2 kids in "
        "the house, Ellie-Mae FENWICK 6yrs DOB 30-4-17 W1 was sat on the top stair in her "
        "pjs holding her teddy when we came in, clean no marks seen but shaking and pale, "
        "she went straight to mum and wouldnt let go of her, house clean and warm with food "
        "in the fridge and a broken chair in the kitchen"
    )
    (analysis,) = analyse_texts([note], config=Config())
    assert {"appearance", "activity", "relationships", "environment"} <= set(
        analysis.aware_evidence
    )
    # the same words in short sentences: the clause cut changes nothing there
    short = "Ellie-Mae was sat on the top stair holding her teddy. She was clean, no marks."
    (plain,) = analyse_texts([short], config=Config())
    assert set(plain.aware_evidence) >= {"activity", "appearance"}


def test_a_bare_label_holds_only_its_value() -> None:
    from ppncheck.text.labelled import find_labelled

    found = find_labelled("IP jade MORLEY DOB 21-7-95 (28) SDE W1 answered the door, age 7 now")
    assert [(x.key, x.value) for x in found] == [("dob", "21-7-95 (28"), ("age", "7")]


def test_a_run_of_subjectless_bullets_is_about_the_child_named_before() -> None:
    import ppncheck

    note = (
        "Persons\n- HOLT, Rory (02.03.2010) - 14 - W1 - subject\n"
        "- HOLT, Dawn (11.06.1982) - 42 - W1 - mother\n\n"
        "Observations\n"
        "- Grey tracksuit, scuffed trainers, graze on his chin which he said was from football.\n"
        "- Slumped in the chair, looking at the floor.\n"
        "- Was gaming in his room with a headset on when we arrived.\n"
    )
    activity = ppncheck.extract(note)["voice_of_child"]["aware"]["activity"]
    assert any("gaming" in note[s["start"] : s["end"]] for s in activity)
    assert "AWR003" not in ppncheck.check(note).rule_ids


def test_a_hyphenated_or_accented_childs_name_is_about_the_child() -> None:
    from ppncheck.text.coverage import about_a_child

    names = frozenset({"Lily-Mae", "Ionuț"})
    assert about_a_child("When we arrived Lily-Mae was sat on the floor.", names)
    assert about_a_child("When we arrived Ionuț was asleep.", names)


def test_a_paragraph_opening_with_nobody_named_is_about_the_child_not_the_adult_before() -> None:
    import ppncheck

    text = (
        "Caitlin BRODIE - 15 (DOB 03/01/2009) - SDE W1. Lives w/ dad Gary BRODIE, 47, W1.\n"
        "- Returned herself 14:20 Sat, says she was at a friend's.\n"
        "- Dad not worried, says she always turns up.\n\n"
        "Seen at home 15:00\n"
        "- Same clothes as yesterday, school shirt creased, looked exhausted, no injuries seen.\n"
    )
    aware = ppncheck.extract(text)["voice_of_child"]["aware"]
    assert [text[s["start"] : s["end"]] for s in aware["appearance"]] == [
        "- Same clothes as yesterday, school shirt creased, looked exhausted, no injuries seen."
    ]


def test_his_in_a_note_whose_only_child_is_a_daughter_is_an_adults() -> None:
    from ppncheck.text.coverage import about_a_child

    isla = frozenset({"Isla"})
    sentence = "Tonight he sat outside the house in his Astra for about an hour."
    assert not about_a_child(sentence, isla, None, None, lambda sex: sex == "m")
    # a child of that sex, or children of unknown sex: it may be the child
    assert about_a_child(sentence, isla, None, None, lambda sex: False)
    assert about_a_child(sentence, isla)
    assert about_a_child("Then he ran to Isla.", isla, None, None, lambda sex: sex == "m")


def test_a_clause_that_is_only_an_ethnicity_passes_on_its_subject() -> None:
    from ppncheck.text.coverage import about_a_child

    none: frozenset[str] = frozenset()
    # "Mary-Kate WARD, 15, / Irish Traveller (W3), / was sat on the step": the child's
    assert about_a_child("Irish Traveller (W3),", none, lambda: True)
    assert not about_a_child("Irish Traveller (W3),", none, lambda: False)
    assert not about_a_child("Irish Cream liqueur,", none, lambda: True)


def test_a_label_inside_a_one_paragraph_note_masks_its_value_only() -> None:
    from ppncheck.text.components import masked_ranges

    text = (
        "Misper return 10:05; Ethan GRAY, 14, SDE: M3, lives at a children's home; walked in "
        "wearing a grey hoodie and muddy trainers, tired, red eyes; made himself cereal."
    )
    doc = pipeline_for(Config())(text)
    for start, end in masked_ranges(doc):
        assert "hoodie" not in text[start:end]


def test_a_later_time_is_no_label_of_an_inline_value() -> None:
    # "SDE: W4), ..." then "at 01:40" further on: the mask of the value stopped at the time's
    # colon's clause and hid the whole paragraph (the child's clothes and behaviour with it)
    from ppncheck.text.components import masked_ranges

    text = (
        "The younger is Lewis HART (DOB 15/04/2007, 17, SDE: W1), Y12 at Strand Academy. He was "
        "in a black hoodie, paint on both hands, shaking. Dad came to custody at 01:40, calm."
    )
    doc = pipeline_for(Config())(text)
    masks = masked_ranges(doc)
    assert masks
    for start, end in masks:
        assert "hoodie" not in text[start:end]


def test_an_adults_sentence_with_the_child_in_it_is_a_relationship() -> None:
    from ppncheck.text.coverage import with_the_child

    assert with_the_child("Mum tried to hug him at the door, he shrugged her off.")
    assert with_the_child("Mum holds him a lot; he let her.")
    assert not with_the_child("Mum was arrested at 22:10 and taken to custody.")
    assert not with_the_child("Kai went to his mum straight away.")  # not opened by an adult


def test_a_brand_before_what_it_names_is_no_person() -> None:
    from ppncheck.text.coverage import about_a_child

    bullet = "* Black tracksuit, new Nike trainers, very thin, bags under eyes."
    assert about_a_child(bullet, frozenset({"Dwayne"}), lambda: True, "Observations of the child")
    # a name inside the sentence is someone else
    named = "* Black tracksuit, with Kyle by the door."
    assert not about_a_child(named, frozenset({"Dwayne"}), lambda: True, "Observations")


def test_the_eldest_is_a_child() -> None:
    from ppncheck.text.coverage import about_a_child

    text = "The eldest was sitting on the top stair when we went in, in pyjamas and bare feet."
    assert about_a_child(text, frozenset(), None, None)


def test_a_childs_list_label_is_the_child() -> None:
    from ppncheck.text.coverage import about_a_child

    none: frozenset[str] = frozenset()
    assert about_a_child("C1 is a known runner, stopped 3 times since November.", none)
    # shorthand after it inherits the child
    assert about_a_child("Sat on the floor scrolling his phone.", none, "C1 said no comment.")
    assert not about_a_child("Male left in a silver Golf.", none)


def test_a_sentence_giving_an_age_under_eighteen_is_about_a_child() -> None:
    from ppncheck.text.coverage import about_a_child

    none: frozenset[str] = frozenset()
    assert about_a_child("IP is a 16 yr old female, wearing pyjamas and a borrowed coat.", none)
    assert about_a_child("Red mark L cheek, split lip.", none, "IP is a 16 y/o female.")
    # a duration or an adult's age is no child
    assert not about_a_child("Mum has been drinking for 3 years, slurring.", none)
    assert not about_a_child("The male, 34 years old, was shouting.", none)


def test_a_name_of_a_thing_in_brackets_names_nobody() -> None:
    """ "School uniform (Saltings Primary), neat, clean, no marks." after a sentence about the
    child is the child's appearance: the school in brackets is no person."""
    from ppncheck.text.coverage import about_a_child

    kids = frozenset({"Isla"})
    before = "Isla in kitchen eating pasta, watching us."
    sentence = "School uniform (Saltings Primary), neat, clean, no marks."
    assert about_a_child(sentence, kids, before)
    assert not about_a_child("Uniform, then spoke to Karen Hale.", kids, "Mum was out.")


def test_a_thing_after_a_or_an_names_nobody() -> None:
    """ "Asked for a McDonald's." names no adult: the run of subjectless lines after it is
    still about the child named before."""
    from ppncheck.text.coverage import about_a_child

    kids = frozenset({"Kieran"})
    assert about_a_child("Asked for a McDonald's.", kids, "Kieran: skinny, calm.")
    assert not about_a_child("Asked for a drink from Gary.", kids, "Kieran: skinny, calm.")
