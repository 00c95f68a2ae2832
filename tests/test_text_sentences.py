"""Sentence splitting on police-note quirks."""

from __future__ import annotations

from itertools import pairwise

import spacy

from ppncheck.text.sentences import sentence_starts


def _split(text: str) -> list[str]:
    cuts = [0, *sentence_starts(text), len(text)]
    return [text[a:b].strip() for a, b in pairwise(cuts) if text[a:b].strip()]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "P.C. 2231 Ives saw Ellie, D.O.B. 02/05/2016, approx. 3 metres away c/o mum. "
        "DS Kerr agreed."
    )
    assert _split(text) == [
        "P.C. 2231 Ives saw Ellie, D.O.B. 02/05/2016, approx. 3 metres away c/o mum.",
        "DS Kerr agreed.",
    ]


def test_titles_and_initials() -> None:
    assert _split("Mr. Hale and J. Smith left. PC Noor stayed.") == [
        "Mr. Hale and J. Smith left.",
        "PC Noor stayed.",
    ]


def test_times_with_dots_and_colons_stay_inside() -> None:
    text = "Officers arrived at 21.40 and left at 22:15. Mum was calm."
    assert _split(text) == ["Officers arrived at 21.40 and left at 22:15.", "Mum was calm."]


def test_line_breaks_end_sentences_without_full_stops() -> None:
    text = "APPEARANCE\nwearing pyjamas\n- bullet one\n* bullet two\nshe was crying"
    assert _split(text) == [
        "APPEARANCE",
        "wearing pyjamas",
        "- bullet one",
        "* bullet two",
        "she was crying",
    ]


def test_question_exclamation_quote_and_lower_case_start() -> None:
    text = 'She said "get out!" Then she cried. is he ok? yes.'
    assert _split(text) == ['She said "get out!"', "Then she cried.", "is he ok?", "yes."]


def test_component_sets_doc_sents() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("ppn_sentences")
    doc = nlp("At approx. 19.20 P.C. Ward attended. Sophia was at home\nshe was fine")
    assert [s.text.strip() for s in doc.sents] == [
        "At approx. 19.20 P.C. Ward attended.",
        "Sophia was at home",
        "she was fine",
    ]
    assert doc[0].is_sent_start and not doc[1].is_sent_start
