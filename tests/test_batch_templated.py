"""TPL002: a passage of 12+ words pasted across 5+ notes of a batch, near-duplicates included."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppncheck.batch.templated import (
    _WORD,
    TemplateDetector,
    _runs,
    normalise,
    word_spans,
)
from ppncheck.config import Config
from ppncheck.findings import Severity
from ppncheck.shape import all_text_fields

# The pasted passage, written with slots for the small edits a copy-paste picks up.
PASSAGE = (
    "On arrival at {time} {name} appeared well cared for, the home was clean and {tidy} "
    "and there was plenty of food in the kitchen and {count} beds made up upstairs"
)
EDITS = [
    {"time": "21:40", "name": "Maisie", "tidy": "tidy", "count": "2"},
    {"time": "19:05", "name": "Jayden", "tidy": "tidy", "count": "3"},  # other name, digits
    {"time": "07:15", "name": "AMIRA", "tidy": "TIDY,", "count": "1"},  # case and punctuation
    {"time": "16:30", "name": "Oliver", "tidy": "neat", "count": "2"},  # one word changed
    {"time": "23:10", "name": "Priya", "tidy": "tidy;", "count": "4"},
]
OPENINGS = [
    "Rachel Oakden called 999 after her partner threw a mug at her in the kitchen.",
    "A neighbour on Ashdown Close reported shouting and a child crying late at night.",
    "School staff at Kestrel Moor Primary raised a concern about bruising on a wrist.",
    "The paternal grandmother called to say the children had been left alone overnight.",
    "Officers were flagged down in Harrowgate Vale by a man worried about his sister.",
]
RATIONALES = [
    "Medium: first call to this address.",
    "High because the children were alone all night.",
    "Medium; injury seen by staff, explanation plausible but checked.",
    "Standard risk was considered and rejected given the history of neglect.",
    "High: sister fears for her life and he has a knife.",
]
OTHERS = [
    "A quiet welfare visit after a report of a dog barking for hours; nobody was home.",
    "Mother said the argument was about rent arrears and that nobody had been hurt tonight.",
    "The teenager returned home with a friend at 02:00 and was spoken to in the hallway.",
]


def _note(i: int) -> dict[str, Any]:
    return {
        "ppn_id": f"PPN-TPL-{i:03d}",
        "circumstances": OPENINGS[i] + " " + PASSAGE.format(**EDITS[i]) + ". Nothing further.",
        "rationale": RATIONALES[i],
    }


def _others() -> list[dict[str, Any]]:
    return [{"ppn_id": f"PPN-OTH-{i}", "circumstances": t} for i, t in enumerate(OTHERS)]


def _detector(notes: list[Any], **kwargs: Any) -> TemplateDetector:
    det = TemplateDetector(**kwargs)
    det.add_notes(notes)
    return det


def test_fires_on_five_notes_with_small_edits() -> None:
    notes = [_note(i) for i in range(5)] + _others()
    det = _detector(notes)
    config = Config()
    for note in notes[:5]:
        findings = det.findings(note, config)
        assert [f.rule_id for f in findings] == ["TPL002"]
        f = findings[0]
        assert f.severity is Severity.INFO
        assert f.field == "circumstances"
        assert f.details is not None and f.details["notes"] == 5
        assert f.details["words"] >= 12
        assert "5 notes" in f.message
        passage = note["circumstances"][f.start : f.end]
        # the reported span is the pasted passage, not the officer's own opening, to its
        # last word
        assert passage.startswith("On arrival at") and passage.endswith("upstairs. Nothing further")
        assert "beds made up upstairs" in passage
        assert "called 999" not in passage and "Harrowgate" not in passage
    for other in notes[5:]:
        assert det.findings(other, config) == []


def test_silent_when_only_four_notes_share_the_passage() -> None:
    notes = [_note(i) for i in range(4)] + _others()
    det = _detector(notes)
    assert all(det.findings(n, Config()) == [] for n in notes)


def test_short_shared_passage_is_not_templated() -> None:
    short = "Child seen and spoken to alone in her bedroom today."  # 9 words
    notes = [{"ppn_id": f"P{i}", "circumstances": f"{OPENINGS[i]} {short}"} for i in range(5)]
    det = _detector(notes)
    assert all(det.findings(n, Config()) == [] for n in notes)


def test_thresholds_come_from_config() -> None:
    notes = [_note(i) for i in range(4)] + _others()
    config = Config(templated_min_notes=4)
    det = TemplateDetector.from_config(config)
    det.add_notes(notes)
    assert [f.rule_id for f in det.findings(notes[0], config)] == ["TPL002"]


def test_ignored_rule_gives_no_finding() -> None:
    notes = [_note(i) for i in range(5)]
    det = _detector(notes)
    assert det.findings(notes[0], Config(ignore=("TPL",))) == []


def test_free_text_notes_are_checked_as_the_note_field() -> None:
    notes = [_note(i)["circumstances"] for i in range(5)]
    det = _detector(notes)
    findings = det.findings(notes[2], Config())
    assert [(f.rule_id, f.field) for f in findings] == [("TPL002", "note")]


def test_passage_repeated_inside_one_note_counts_once() -> None:
    text = PASSAGE.format(**EDITS[0])
    doubled = {"ppn_id": "P-dup", "circumstances": text, "rationale": text, "actions_taken": text}
    det = _detector([copy.deepcopy(doubled) for _ in range(2)] + _others())
    assert det.passages(doubled) == []


def test_sketch_memory_does_not_depend_on_batch_size() -> None:
    small = _detector([_note(i) for i in range(5)])
    large = _detector([_note(i % 5) for i in range(500)] + _others() * 50)
    assert small._counts.nbytes == large._counts.nbytes
    assert large.notes_seen == 650


def test_normalisation_folds_case_punctuation_digits_and_names() -> None:
    a = normalise("Seen at 21:40 with Maisie, who was calm.")
    b = normalise("SEEN at 7.15 with Jayden who was CALM")
    assert a == ["seen", "at", "#", "with", "@", "who", "was", "calm"]
    assert a[:4] == b[:4]
    assert b[4] == "@"
    # a capital after a full stop starts a sentence: not a name
    assert normalise("Home visit. She was asleep.")[2] == "she"
    # offsets point into the original text
    assert word_spans("Seen at 21:40 with Maisie, who was calm.")[4] == (19, 25)


def test_text_fields_walk_nested_records() -> None:
    record = {"ppn_id": "X", "voice_of_child": [{"aware": {"words": "She said hello."}}]}
    assert dict(all_text_fields(record))["voice_of_child[0].aware.words"] == "She said hello."


@pytest.mark.parametrize("n", [0, 1])
def test_empty_or_tiny_batches(n: int) -> None:
    notes = [_note(0)][:n]
    det = _detector(notes)
    assert all(det.findings(x, Config()) == [] for x in notes)


def _reference_words(text: str, mask_names: bool = True) -> list[tuple[str, int, int]]:
    """Step 1 of the module docstring, word by word: the plain reading ``normalise`` and
    ``word_spans`` must agree with."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(text):
        tok = m.group()
        gap = text[out[-1][2] : m.start()] if out else ""
        if tok[0].isdigit():
            norm = "#"
        elif mask_names and tok[0].isupper() and out and not set(gap) & set(".!?:;\n"):
            norm = "@"
        else:
            norm = tok.lower().replace("’", "'")
        out.append((norm, m.start(), m.end()))
    return out


_PIECES = [
    "Maisie",
    "she",
    "SAID",
    "don’t",
    "O'Neil",
    "21:40",
    "3.5",
    "x1",
    "_",
    "é",
    "Ängel",
    " ",
    "  ",
    ". ",
    ".",
    "!",
    "? ",
    ":",
    ";",
    "\n",
    "\n\n",
    ",",
    "-",
    "’",
    "'",
    "(",
    "²",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.booleans())
def test_normalise_and_word_spans_read_words_as_the_plain_loop_does(
    pieces: list[str], mask: bool
) -> None:
    text = "".join(pieces)
    expected = _reference_words(text, mask)
    assert normalise(text, mask_names=mask) == [w for w, _, _ in expected]
    assert word_spans(text) == [(s, e) for _, s, e in expected]


def test_shingles_of_a_record_are_each_fields_shingles_in_turn() -> None:
    det = TemplateDetector()
    a = normalise(PASSAGE.format(**EDITS[0]))
    b = normalise(OPENINGS[1])
    short = normalise("too few words here")
    both, bounds = det._shingles([a, short, b])
    alone = [det._shingles([x])[0] for x in (a, short, b)]
    assert bounds == [0, len(alone[0]), len(alone[0]), len(alone[0]) + len(alone[2])]
    assert both.tolist() == np.concatenate(alone).tolist()
    assert len(alone[1]) == 0 and len(alone[0]) == len(a) - det.shingle + 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=60), st.integers(0, 3))
def test_runs_bridge_gaps_of_at_most_max_gap_words(flags: list[bool], max_gap: int) -> None:
    expected: list[tuple[int, int]] = []
    for i, on in enumerate(flags):
        if not on:
            continue
        if expected and i - expected[-1][1] - 1 <= max_gap:
            expected[-1] = (expected[-1][0], i)
        else:
            expected.append((i, i))
    assert _runs(np.array(flags, dtype=bool), max_gap) == expected


def test_word_ids_stay_stable_when_the_memo_is_cleared() -> None:
    from ppncheck.batch.templated import _WordIds

    ids = _WordIds(limit=3)
    first = ids(["calm", "quiet", "tidy"]).tolist()
    # the memo is full: this call clears it, and "calm" (known before) must still get its id
    again = ids(["calm", "settled"]).tolist()
    assert again[0] == first[0]
    assert ids(["tidy"]).tolist() == [first[2]]


def test_findings_from_pass_one_shingles_are_the_same() -> None:
    notes = [_note(i) for i in range(5)] + _others()
    det = TemplateDetector()
    kept = det.add_notes(notes)
    assert len(kept) == len(notes)
    config = Config()
    for note, shingles in zip(notes, kept, strict=True):
        assert det.findings(note, config, shingles) == det.findings(note, config)
    assert any(det.findings(n, config) for n in notes)


def test_check_many_reports_tpl002_over_a_batch_in_memory() -> None:
    import ppncheck

    shared = (
        "Advice given re safety planning and the DV helpline number, the IDVA service and the "
        "option of a non-molestation order; occupants reassured and words of advice given."
    )
    notes = [
        f"Domestic incident {i} at Flat {i}, Corran Court. Caller was the neighbour. {shared} "
        f"Officer {i} attended with a colleague and spoke to both parties separately."
        for i in range(6)
    ]
    config = ppncheck.Config(templated_min_notes=5)
    in_memory = list(ppncheck.check_many(notes, config=config))
    assert all("TPL002" in r.rule_ids for r in in_memory)
    found = next(f for f in in_memory[0].findings if f.rule_id == "TPL002")
    assert found.start is not None and shared in notes[0][found.start : found.end]
    # one pass over an iterator: no batch to count, so no TPL002, and nothing else changes
    lazy = list(ppncheck.check_many(iter(notes), config=config))
    assert all("TPL002" not in r.rule_ids for r in lazy)
    assert [sorted(set(r.rule_ids) - {"TPL002"}) for r in in_memory] == [r.rule_ids for r in lazy]
    # below the note count, or ignored, it is not reported
    few = list(ppncheck.check_many(notes[:4], config=config))
    assert all("TPL002" not in r.rule_ids for r in few)
    ignored = ppncheck.Config(templated_min_notes=5, ignore=("TPL002",))
    assert all("TPL002" not in r.rule_ids for r in ppncheck.check_many(notes, config=ignored))
