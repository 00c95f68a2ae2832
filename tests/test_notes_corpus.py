"""The notes corpus (datasets/notes) and ``ppncheck evaluate notes``: the instrument itself."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ppncheck.evaluate.notes import NOTE_RULES, CorpusError, evaluate_notes, load_corpus

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "datasets" / "notes"
# sha256 over every held-out note file and its gold line, in gold.jsonl order (w6; w8 and w10 added
# on 2026-12-06, w13 on the same day after all tuning, w16 in the next session before any
# tuning of that session was measured on it, w19 later in that session, w22, w25, w28
# and w31 in the fifth session, w34, w37, w41 and w45 in the sixth, w48, w51, w54, w56, w60 and
# w62 in the seventh, w69 and w71 in the eighth, w75 and w77 in the ninth, w80, w83, w84,
# w86, w88 and w90 in the tenth, w93 and w96 in the eleventh, each added before it was ever
# measured).
# A change to the test split must be deliberate: update this value in the same commit and say
# why.
TEST_SPLIT_SHA256 = "bedf47ef262f4de53d0048d4ed8ac6d32468f986739b3a60e8ff94aaa9b5d758"


def _build_module():  # datasets/notes/build.py is a script, not a package module
    spec = importlib.util.spec_from_file_location("notes_build", CORPUS / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_held_out_split_is_pinned() -> None:
    digest = hashlib.sha256()
    for line in (CORPUS / "gold.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(line)
        if rec["split"] == "test":
            digest.update((CORPUS / rec["file"]).read_bytes())
            digest.update(line.encode("utf-8"))
    assert digest.hexdigest() == TEST_SPLIT_SHA256


def test_splits_are_by_writer_and_one_writer_is_held_out() -> None:
    splits = json.loads((CORPUS / "splits.json").read_text("utf-8"))["writers"]
    assert sorted(w for w, s in splits.items() if s == "test") == [
        "w10",
        "w13",
        "w16",
        "w19",
        "w22",
        "w25",
        "w28",
        "w31",
        "w34",
        "w37",
        "w41",
        "w45",
        "w48",
        "w51",
        "w54",
        "w56",
        "w6",
        "w60",
        "w62",
        "w69",
        "w71",
        "w75",
        "w77",
        "w8",
        "w80",
        "w83",
        "w84",
        "w86",
        "w88",
        "w90",
        "w93",
        "w96",
    ]
    records = [json.loads(x) for x in (CORPUS / "gold.jsonl").read_text("utf-8").splitlines()]
    for rec in records:
        assert rec["split"] == splits[rec["writer"]]
    assert len(records) >= 300 and len({r["writer"] for r in records}) >= 5
    good = sum(1 for r in records if not r["expected_rules"])
    assert good / len(records) >= 0.4


def test_gold_is_rebuilt_exactly_from_the_labels() -> None:
    records, agreement = _build_module().build(CORPUS)
    committed = [json.loads(x) for x in (CORPUS / "gold.jsonl").read_text("utf-8").splitlines()]
    assert records == committed
    assert agreement == json.loads((CORPUS / "agreement.json").read_text("utf-8"))


def test_every_gold_span_points_at_its_text() -> None:
    for rec in load_corpus(CORPUS, "all"):
        text = rec["text"]
        spans = [v for p in rec["people"] for v in p.values() if isinstance(v, dict)]
        spans += [s for el in rec["aware"].values() for s in el]
        spans += rec["child_words"] + rec["victim_blaming"] + rec["unrecorded_children"]
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"], rec["note_id"]
        assert set(rec["expected_rules"]) <= set(NOTE_RULES)


def test_a_label_that_is_not_in_its_note_is_refused(tmp_path: Path) -> None:
    build = _build_module()
    with pytest.raises(build.LabelError, match="not found"):
        build.gold_record(
            "The note.",
            {"note_id": "x", "expected_rules": [], "people": [{"name": "Somebody Else"}]},
            "w",
            "notes/x.txt",
        )


def _tiny_corpus(tmp_path: Path) -> Path:
    (tmp_path / "notes" / "wa").mkdir(parents=True)
    good = (
        "Concern for welfare at 3 Mill Lane. Child: Ava PENROSE, 7 (DOB 02/03/2018), SDE W1.\n"
        "Appearance: school uniform, clean, no marks, calm and smiling throughout.\n"
        'Words: Ava said "I like my teacher and my cat".\n'
        "Activity: drawing at the kitchen table when we arrived.\n"
        "Relationships: sat close to her mum, went to her for a hug.\n"
        "Environment: warm, clean flat, food in the fridge, her own bed."
    )
    bad = "DA. Kids in bed. All fine. NFA."
    (tmp_path / "notes" / "wa" / "wa-001.txt").write_text(good, "utf-8")
    (tmp_path / "notes" / "wa" / "wa-002.txt").write_text(bad, "utf-8")
    gold = [
        {
            "note_id": "wa-001",
            "writer": "wa",
            "split": "test",
            "file": "notes/wa/wa-001.txt",
            "expected_rules": [],
            "people": [
                {
                    "name": {"text": "Ava PENROSE", "start": 43, "end": 54},
                    "age": {"text": "7", "start": 56, "end": 57},
                    "dob": None,
                    "ethnicity": {"text": "W1", "start": 78, "end": 80},
                    "sde_code": "W1",
                }
            ],
            "victim_blaming": [],
        },
        {
            "note_id": "wa-002",
            "writer": "wa",
            "split": "test",
            "file": "notes/wa/wa-002.txt",
            "expected_rules": ["TPL001"],
            "people": [],
            "victim_blaming": [],
        },
    ]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n")
    return tmp_path


def test_evaluate_scores_whole_notes_and_people(tmp_path: Path) -> None:
    result = evaluate_notes(load_corpus(_tiny_corpus(tmp_path), "test"))
    overall = result["overall"]
    assert overall["notes"] == 2 and overall["good_notes"] == 1
    assert overall["good_notes_flagged"] == 0 and overall["exact_match"] == 1.0
    assert overall["rules"]["TPL001"] == {
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "precision": 1.0,
        "recall": 1.0,
    }
    assert overall["people"]["name"]["tp"] == 1 and overall["people"]["ethnicity"]["tp"] == 1
    assert [n["predicted"] for n in result["notes"]] == [[], ["TPL001"]]


def test_evaluate_notes_cli_prints_the_table_and_json(tmp_path: Path) -> None:
    corpus = _tiny_corpus(tmp_path)
    cmd = [sys.executable, "-m", "ppncheck", "evaluate", "notes", str(corpus), "--split", "test"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "good notes flagged" in proc.stdout and "TPL001 P/R" in proc.stdout
    proc = subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=False)
    assert json.loads(proc.stdout)["overall"]["exact_match"] == 1.0
    missing = subprocess.run(
        [*cmd[:5], str(tmp_path / "nowhere")], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_an_unknown_split_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="unknown split"):
        load_corpus(_tiny_corpus(tmp_path), "holdout")
