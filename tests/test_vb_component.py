"""The ppn_victim_blaming component in a user's own pipeline, and across processes."""

from __future__ import annotations

import pytest
import spacy

import ppncheck.text.victim_blaming.component  # noqa: F401  (registers the factory)
from ppncheck.text.victim_blaming import hits_from_doc

NOTE = (
    "Officers attended Ashdown Close at 21:40 after Maisie (14) was reported missing. "
    "Staff said she is safe now. Maisie is putting herself at risk by going to Kestrel Moor. "
    "Nothing suggests she put herself at risk before this summer."
)


def test_usable_by_name_in_a_blank_pipeline_without_other_components() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("ppn_victim_blaming")
    doc = nlp(NOTE)
    assert doc.has_annotation("SENT_START")  # it segmented the doc itself
    hits = hits_from_doc(doc)
    assert [NOTE[h.start : h.end] for h in hits if h.source != "model"] == [
        "putting herself at risk"
    ]
    spans = doc.spans["ppn_victim_blaming"]
    assert [s.label_ for s in spans] == [h.category for h in hits]
    assert all(h.threshold is not None for h in hits)


def test_threshold_config_overrides_the_shipped_one() -> None:
    nlp = spacy.blank("en")
    vb = nlp.add_pipe("ppn_victim_blaming", config={"threshold": 0.97})
    assert vb.detector.threshold == 0.97


def test_hits_from_doc_without_the_component_is_empty() -> None:
    assert hits_from_doc(spacy.blank("en")("She is streetwise.")) == []


def test_respects_sentences_set_by_an_earlier_component() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ppn_victim_blaming", config={"use_model": False})
    doc = nlp("She is a regular misper. She always comes back.")
    assert len(list(doc.sents)) == 2
    assert {h.entry_id for h in hits_from_doc(doc)} == {"VB-MIN-002"}


@pytest.mark.slow
def test_pipe_with_two_processes_gives_the_same_hits() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("ppn_victim_blaming")
    texts = [NOTE, "Jade refuses to engage with officers.", "Risk assessed as high."] * 4
    single = [hits_from_doc(d) for d in nlp.pipe(texts)]
    multi = [hits_from_doc(d) for d in nlp.pipe(texts, n_process=2, batch_size=3)]
    assert multi == single
    assert any(single)
