"""Running only the components a field's rules read never changes a report."""

from __future__ import annotations

from pathlib import Path

import pytest

import ppncheck.api
from ppncheck.api import check_items
from ppncheck.config import Config
from ppncheck.read.types import InputItem
from ppncheck.rules.needs import note_needs, record_field_needs
from ppncheck.text.analysis import (
    OPTIONAL_COMPONENTS,
    _run,
    analyse_texts,
    doc_to_analysis,
    pipeline_for,
)
from ppncheck.text.sentences import remember_text
from ppncheck_dev.synthetic import generate_records


def _reports(records: list[dict[str, object]], config: Config) -> list[dict[str, object]]:
    items = [InputItem(row=i, payload=r) for i, r in enumerate(records, start=1)]
    return [r.to_dict() for r in check_items(items, config=config)]


@pytest.mark.parametrize("config", [Config(), Config(ignore=("VB001", "AWR007"))])
def test_selective_components_give_the_same_reports(
    monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    records = list(generate_records(150, seed=21))
    selective = _reports(records, config)
    monkeypatch.setattr(ppncheck.api, "record_field_needs", lambda path, cfg: OPTIONAL_COMPONENTS)
    everything = _reports(records, config)
    assert selective == everything
    assert any(r["findings"] for r in selective)


def test_needs_follow_the_field_and_the_selected_rules() -> None:
    cfg = Config()
    assert record_field_needs("voice_of_child[0].aware.words", cfg) == {
        "ppn_child_speech",
        "ppn_victim_blaming",
    }
    assert record_field_needs("circumstances", cfg) == {"ppn_children", "ppn_victim_blaming"}
    assert record_field_needs("voice_of_child[1].aware.appearance", cfg) == {"ppn_victim_blaming"}
    quiet = Config(ignore=("VB001", "CHD001"))
    assert record_field_needs("circumstances", quiet) == frozenset()
    assert note_needs(cfg) == OPTIONAL_COMPONENTS
    assert "ppn_victim_blaming" not in note_needs(quiet)


def test_analysis_says_which_components_ran() -> None:
    text = 'Mia said "I want my nan". She sleeps around with older men.'
    full, light = analyse_texts(
        [text, text], config=Config(), needs=[OPTIONAL_COMPONENTS, frozenset()]
    )
    assert "ppn_child_speech" in full.components and full.child_speech
    assert full.victim_blaming
    assert "ppn_child_speech" not in light.components and not light.child_speech
    assert "ppn_victim_blaming" not in light.components and not light.victim_blaming
    assert {"ppn_sentences", "ppn_aware_sections"} <= set(light.components)
    with pytest.raises(ValueError):
        analyse_texts([text], config=Config(), needs=[])


def _field_texts() -> list[str]:
    """Record fields of generated records plus the note fixtures (headings, labelled lines,
    speech, children): every kind of text the direct path can meet."""
    from ppncheck.shape import all_text_fields

    texts = [
        text
        for record in generate_records(120, seed=33)
        for _, text in all_text_fields(record)
        if text.strip()
    ]
    notes = sorted((Path(__file__).parent / "notes").glob("*.txt"))
    texts += [p.read_text(encoding="utf-8") for p in notes]
    texts += ["", "   ", "N/A", 'Words: "I\'m fine" said Kai (9).', "Appearance:\n\nWords: asleep"]
    return texts


@pytest.mark.parametrize(
    "wanted",
    [
        frozenset(),
        frozenset({"ppn_victim_blaming"}),
        frozenset({"ppn_child_speech", "ppn_victim_blaming"}),
        frozenset({"ppn_children"}),
        OPTIONAL_COMPONENTS - {"ppn_aware_coverage"},
    ],
    ids=lambda w: "+".join(sorted(w)) or "none",
)
def test_direct_path_matches_the_doc_round_trip(wanted: frozenset[str]) -> None:
    """Without AWARE coverage, ``analyse_texts`` reads the components' finders directly;
    every analysis must equal what storing the finds on a Doc and converting it gives."""
    config = Config()
    texts = _field_texts()
    direct = analyse_texts(texts, config=config, needs=[wanted] * len(texts))
    nlp = pipeline_for(config)
    names = tuple(n for n in nlp.pipe_names if n not in OPTIONAL_COMPONENTS or n in wanted)
    docs = (remember_text(nlp.make_doc(t), t) for t in texts)
    via_docs = [doc_to_analysis(doc, names) for doc in _run(nlp, names, docs)]
    assert len(direct) == len(via_docs) == len(texts)
    for text_no, (a, b) in enumerate(zip(direct, via_docs, strict=True)):
        assert a == b, f"text {text_no} differs"
    # the comparison saw every kind of find
    assert any(a.headings for a in direct) and any(a.labelled for a in direct)
    assert any(a.placeholder for a in direct) and any(a.aware_evidence for a in direct)
    if "ppn_victim_blaming" in wanted:
        assert any(a.victim_blaming for a in direct)
    if "ppn_child_speech" in wanted:
        assert any(a.child_speech for a in direct) and any(a.no_speech_reasons for a in direct)
    if "ppn_children" in wanted:
        assert any(a.child_mentions for a in direct)
