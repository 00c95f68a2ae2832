"""The child's own words: attribution to the child rather than an adult, and no-speech reasons."""

from __future__ import annotations

import pytest

from ppncheck.text.headings import find_headings
from ppncheck.text.sentences import sentence_starts
from ppncheck.text.speech import SpeechResult, find_speech, names_in
from ppncheck.text.tables import heading_table, speech_table


def _speech(text: str) -> SpeechResult:
    words = [
        (h.body_start, h.body_end)
        for h in find_headings(text, heading_table())
        if h.element == "words"
    ]
    return find_speech(text, sentence_starts(text), words, names_in(text, 18), speech_table())


def _child(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in _speech(text).child_speech]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ellie (7) was in the lounge. She said 'daddy hit mummy'.", "'daddy hit mummy'"),
        ('When asked what happened, Ellie replied "he pushed mummy".', '"he pushed mummy"'),
        ('"I want my mummy," Ellie said.', '"I want my mummy,"'),
        ("Tyler told officers that he was scared.", "told officers that he was scared."),
        ("Tyler later told officers he was scared.", "told officers he was scared."),
        (
            "Ellie disclosed that her stepdad had hit her.",
            "disclosed that her stepdad had hit her.",
        ),
        (
            "Name: Isla Hart\nIsla was on the stairs. When officers arrived she was crying. "
            'She told PC Hale "Daddy threw his phone".',
            '"Daddy threw his phone"',
        ),
    ],
)
def test_speech_attributed_to_the_child(text: str, expected: str) -> None:
    assert expected in _child(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mum said that Ellie had been asleep all evening.",
        "Mum was spoken to. She said he had been drinking.",
        "Mr Hale stated that nothing had happened.",
        '"Get out," the suspect shouted.',
        "Sarah (mother) said the children were upstairs.",
        "Officers explained why they were there.",
        "Ellie said nothing to officers.",
        "Jade shouted at her mum and went inside.",
        # an ethnicity, not speech
        "Marcus HALL (15) describes himself as Black Caribbean (B1).",
        # a note's passive with "was" left out: nobody in the note is speaking
        "Ellie (9) at home. Report Remove process explained to mother. School DSL informed.",
        # a threat's caption, with no child speaking
        'Ellie (9) lives there. He sent a photo of the gates captioned "nice school".',
        # shorthand without a subject in a Words section: the officer's own actions
        "Ellie (9).\nWords: spoke to mum at length. Explained grounds for search.",
        # the second quote of a sentence belongs to the first one's speaker
        'Noor (16).\nWords: Father said Rasha is "a liar" and that her passport is "with us".',
        # the child is the object of the officers' reassurance, not the speaker
        "Lucas (6). Officers reassured Lucas and explained they were there to help.",
        # a quote far into an adult's reported speech is the adult's word about the child
        "Simran (6).\nWords: mum said Simran was in the kitchen doorway and saw the push, "
        'and that Simran "always cries when we argue".',
        # "and mum said": mum is the subject, not a word governed by "and"
        "Kacey (15). words mum said Kacey won't listen and mum said quote she thinks she's "
        "in love with him unquote",
        # a capitalised word far from the verb is no subject; an agency is told, not speaking
        "Reece (15). Yesterday (Mon 3 Feb) at 12:40 the head of Year 10 asked me to attend.",
        "Reece (15). Actions: Licensing informed re the off-licence; school DSL aware.",
        # a titled adult's words, in or out of quotes; an agency reporting
        'Kai (15).\nVoice of the child:\nMr Dobson believes "some blokes off the estate" did it.',
        "Lily (14). School reported on 17/04 that images of Lily had been posted.",
        # where a value came from: an aside, not speech
        "Lorraine KEMP (42, White British as she told me) rang. Ruby KEMP (14) is her daughter.",
    ],
)
def test_adult_speech_or_no_speech_is_not_the_childs(text: str) -> None:
    assert _child(text) == []


def test_he_in_a_quoted_officers_account_is_the_child_not_the_officer() -> None:
    text = (
        'Mason WHITTAKER (15).\n\nPC 3398 (14/03/25): "Mason had on a grey tracksuit. He looked '
        "tired. He was playing FIFA when I went up. He said 'I owe them' and 'I'm not grassing'."
    )
    assert _child(text) == ["'I owe them'", "'I'm not grassing'"]


def test_why_an_ethnicity_is_missing_is_no_reason_the_child_did_not_speak() -> None:
    text = "Ruby (14) was seen. Tyler ROSS (19, ethnicity not known yet as not spoken to)."
    assert _speech(text).no_speech_reasons == []


def test_adult_speech_is_kept_apart() -> None:
    text = "Dad said Jack had been in his room all evening."
    result = _speech(text)
    assert result.child_speech == [] and len(result.other_speech) == 1


def test_words_section_bare_quote_and_subjectless_said_are_the_childs() -> None:
    text = "Words: 'I want to go to nanny's'\nWords: said she was scared of the shouting"
    assert len(_child(text)) == 2


def test_a_quote_after_an_adults_speaker_label_is_the_adults() -> None:
    text = (
        "CHILD'S VOICE - Mum (Tracey McALLISTER) on phone: he's been \"off the rails\" since "
        "Xmas. Jordan booked in.\n"
    )
    assert _child(text) == []
    assert len(_speech(text).other_speech) == 1
    # a label naming the child is the child's
    child = "CHILD'S VOICE - Jordan (15) in booking: \"I'm not going home\".\n"
    assert _child(child) == ['"I\'m not going home"']


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Alfie is pre-verbal.", "pre-verbal"),
        ("Ellie declined to speak to officers.", "declined to speak"),
        ("Darcy was too distressed to speak.", "too distressed"),
        ("Ellie was asleep and was not spoken to.", "not spoken to"),
        ("Words: Baby, 4 months.", "baby"),
        ("Words: asleep throughout.", "asleep"),
    ],
)
def test_no_speech_reasons(text: str, reason: str) -> None:
    assert reason in [cue for _, _, cue in _speech(text).no_speech_reasons]


def test_an_adults_refusal_or_upset_is_not_the_childs_reason() -> None:
    text = "Noor (16).\nWords: we asked to speak to Noor alone; father refused. Mum v upset."
    assert _speech(text).no_speech_reasons == []


def test_subjectless_said_in_a_words_section_is_the_childs() -> None:
    assert _child("Ellie (9).\nWords: Said she was scared of him.") != []


def test_weak_reasons_need_a_words_section_or_a_speak_cue() -> None:
    assert _speech("The baby was asleep in the cot.").no_speech_reasons == []
    assert _speech("Mum declined to speak to officers.").no_speech_reasons == []


def test_a_weak_reason_inside_an_adults_quote_is_not_the_childs_reason() -> None:
    text = 'Bianca (14).\nWords: Ana said Bianca has been "crying since she got in".'
    assert _speech(text).no_speech_reasons == []


def test_a_quote_whose_speaker_opens_the_line_is_theirs() -> None:
    from ppncheck.read.note import read_note
    from ppncheck.rules.note_record import child_quotes

    text = (
        "Andrei CONSTANTIN, 6 (dob 01/02/2018). Mum Elena CONSTANTIN, 31.\n"
        'Mum states the children are fine and that this "never happened before".'
    )
    assert not child_quotes(text, read_note(text))


def test_a_negated_state_is_no_reason_the_child_could_not_speak() -> None:
    text = "Words: mum said he is not sleeping, up gaming till 4am.\n"
    assert _speech(text).no_speech_reasons == []
    asleep = "Words: he was sleeping when we arrived and was not woken.\n"
    assert _speech(asleep).no_speech_reasons != []


def test_clauses_joined_by_semicolons_keep_their_subject() -> None:
    # one long sentence of clauses: "she" goes with the subject of the clause before, not with
    # the last woman named ("mum" after "toast")
    text = (
        "Lacey PRICE, 13, returned 01:20; mum Dawn PRICE, 40, opened the door; Lacey was in a "
        'grey tracksuit; she ate the toast mum made and sat with me; she said "I was at the '
        'park, nobody hurt me"; mum said "she is grounded"'
    )
    assert _child(text) == ['"I was at the park, nobody hurt me"']


def test_a_young_male_is_a_child_as_a_speaker() -> None:
    text = (
        "Stop search 15:40; Jake ROSS, 16, W1; the young male was in a black jacket, hands "
        'shaking; searched, no weapon; he said "they will do my mum\'s windows again".'
    )
    assert _child(text) == ['"they will do my mum\'s windows again"']


def test_a_question_and_answer_transcript_with_the_child() -> None:
    text = (
        "Mia HART, 9, was drawing at the table when I arrived.\n"
        "Q: Who lives at home with you?\nA: Me and mummy.\nQ: Do you feel safe?\nA: Yes.\n"
        "Mum Jo HART, 31, W1.\nSpoke to mum in the kitchen:\n"
        "Q: Has he been back?\nA: No, not since Friday.\n"
    )
    assert _child(text) == ["Me and mummy.", "Yes."]
    # a lone "A - ..." line is an AWARE heading, not an answer
    assert _child("Mia HART, 9.\nA - clean, in pyjamas.\n") == []


def test_speaker_tagged_lines_of_a_recording() -> None:
    text = (
        "Children: Rojin AHMED, 11. Aram AHMED, 7.\n"
        "[00:00:41] ROJIN: Yes me. My dad is hurting my mum again.\n"
        "[00:01:02] SHWAN: Everything is fine.\n"
        "00:07:30 ARAM - I hid.\n"
    )
    assert _child(text) == ["Yes me. My dad is hurting my mum again.", "I hid."]
    # an untimed label is no speaker
    assert _child("Child: Rojin AHMED, DOB 08/09/2013 (11).\n") == []


def test_a_run_of_she_goes_back_to_the_girl_named_before_and_i_is_no_antecedent() -> None:
    text = (
        "Returned: Kayla BRENNAN (15), lives with dad Sean BRENNAN (44).\n"
        "Kayla walked back in at 01:20 and Sean rang it in. Seen by me at 01:50. "
        "This is her 7th episode, she stays out late. She was in school uniform, clean. "
        "Sat at the table eating toast when I arrived, polite. She said she'd been at the park."
    )
    assert _child(text) == ["said she'd been at the park."]


def test_a_refusal_of_something_else_or_a_trip_to_hospital_is_no_reason() -> None:
    refused = "Andrei (16) sat picking at the table and refused food; I asked him twice."
    assert _speech(refused).no_speech_reasons == []
    went = "Lola (7). Talked away from the window and agreed to go to hospital."
    assert _speech(went).no_speech_reasons == []
    # a bare refusal, refusing an interview or being in hospital is one (each a weak reason
    # alone in a Words section)
    for words in (
        "Andrei (16) refused.",
        "Andrei (16) refused an interview.",
        "Lola (7) is in hospital.",
    ):
        reasons = _speech(f"Words: {words}").no_speech_reasons
        assert [cue for _, _, cue in reasons] in (["refused"], ["hospital"])


def test_a_weak_reason_inside_an_adults_account_is_not_the_childs_reason() -> None:
    # the mother's account of the child's past, under a Words heading: no reason the child
    # could not speak to the officer (AWR007 stands)
    text = "Harvey (6).\nWords: Mum said Harvey was asleep during the argument.\n"
    assert _speech(text).no_speech_reasons == []
    text = "Lauren SMITH (34). Riley (8).\nWords: Lauren says Riley was crying in his room.\n"
    assert _speech(text).no_speech_reasons == []
    # the officer's own note of it is one
    assert _speech("Harvey (6).\nWords: asleep throughout.\n").no_speech_reasons != []


def test_a_quote_inside_an_adults_account_is_the_adults() -> None:
    text = (
        "Lorraine JOHNSON (41). Amara JOHNSON-FAYE (12).\n"
        'Words: the mother stated that Amara had told her "everything".\n'
    )
    assert _child(text) == []
    # the child's own saying, heard by the officer, stays hers
    assert '"everything"' in _child('Amara (12).\nWords: Amara told me "everything".\n')
