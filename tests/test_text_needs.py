"""Running only the components a field's rules read never changes a report."""

from __future__ import annotations

import pytest

import ppncheck.api
from ppncheck.api import check_items
from ppncheck.batch.synthetic import generate_records
from ppncheck.config import Config
from ppncheck.read.types import InputItem
from ppncheck.rules.needs import note_needs, record_field_needs
from ppncheck.text.analysis import OPTIONAL_COMPONENTS, analyse_texts


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
