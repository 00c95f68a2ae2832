"""Victim-blaming classifier sentences from the notes corpus's train and dev writers.

Whole notes are mostly fact-dense sentences (people's details, offences, injuries, drugs
found) that the sentence corpus never showed the classifier as negatives.  Every sentence of
every note of the chosen split becomes a row: label 1 when it overlaps a gold victim-blaming
span (with that span's category), else 0.  Rows are grouped by note, so cross-validation never
splits a note.  Every writer but the held-out ones is used (issue 14: negatives from whole notes
of every writer but the held-out one).  The dev writers also choose the note-level thresholds;
``ppncheck train vb`` then scores each dev writer's notes with the model refitted without that
writer's sentences (``train.choose_note_threshold``), so the choice is still made out of sample.
The held-out writers are never read.

Run: python datasets/notes/vb_sentences.py [--splits train,dev]
     [--out datasets/notes/vb_sentences.jsonl]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ppncheck.evaluate.notes import load_corpus
from ppncheck.text.sentences import sentence_starts

HERE = Path(__file__).resolve().parent


def sentence_rows(root: Path, split: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for rec in load_corpus(root, split):
        text = rec["text"]
        starts = [0, *sentence_starts(text)]
        bounds = zip(starts, [*starts[1:], len(text)], strict=True)
        for i, (start, end) in enumerate(bounds):
            sentence = text[start:end].strip()
            if len(sentence.split()) < 2:
                continue
            hits = [v for v in rec["victim_blaming"] if v["start"] < end and start < v["end"]]
            rows.append(
                {
                    "id": f"{rec['note_id']}-s{i:03d}",
                    "text": sentence,
                    "label": 1 if hits else 0,
                    "category": hits[0]["category"] if hits else None,
                    "kind": "note_sentence",
                    "group": rec["note_id"],
                    "split": split,
                    "writer": rec["writer"],
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--splits", default="train,dev", help="comma-separated: train, dev")
    parser.add_argument("--out", type=Path, default=HERE / "vb_sentences.jsonl")
    args = parser.parse_args()
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if not splits or set(splits) - {"train", "dev"}:
        parser.error("--splits takes train and/or dev (the held-out writers are never read)")
    rows = [row for split in splits for row in sentence_rows(args.root, split)]
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    positives = sum(1 for r in rows if r["label"] == 1)
    print(f"{len(rows)} sentences ({positives} positive) written to {args.out}")


if __name__ == "__main__":
    main()
