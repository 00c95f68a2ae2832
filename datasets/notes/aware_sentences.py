"""AWARE-labelled sentences for the coverage model from the notes corpus.

The coverage model was trained on single sentences written for it; whole notes hold
shorthand, headed fragments and long mixed sentences it never saw.  Each sentence of each note
that involves a child becomes a row labelled with the AWARE elements whose gold passages cover
at least half of the sentence or half of the passage.  The training writers' sentences train
the model; the dev writers' sentences choose its per-element C and threshold; the held-out
writer is never read.

Run: python datasets/notes/aware_sentences.py   (writes aware_train.jsonl and aware_dev.jsonl)
"""

from __future__ import annotations

import json
from pathlib import Path

from ppncheck.evaluate.notes import load_corpus
from ppncheck.text.sentences import sentence_starts

HERE = Path(__file__).resolve().parent
ELEMENTS = ("appearance", "words", "activity", "relationships", "environment")


def _covers(s: int, e: int, span: dict[str, int]) -> bool:
    overlap = min(e, span["end"]) - max(s, span["start"])
    if overlap <= 0:
        return False
    return overlap >= 0.5 * (e - s) or overlap >= 0.5 * (span["end"] - span["start"])


def sentence_rows(root: Path, split: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for rec in load_corpus(root, split):
        if not rec["has_child"]:
            continue
        text = rec["text"]
        starts = [0, *sentence_starts(text)]
        for i, (s, e) in enumerate(zip(starts, [*starts[1:], len(text)], strict=True)):
            sentence = text[s:e].strip()
            if len(sentence.split()) < 2:
                continue
            labels = [el for el in ELEMENTS if any(_covers(s, e, sp) for sp in rec["aware"][el])]
            rows.append(
                {
                    "id": f"{rec['note_id']}-s{i:03d}",
                    "text": sentence,
                    "labels": labels,
                    "group": rec["note_id"],
                    "split": split,
                }
            )
    return rows


def main() -> None:
    for split in ("train", "dev"):
        rows = sentence_rows(HERE, split)
        out = HERE / f"aware_{split}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        labelled = sum(1 for r in rows if r["labels"])
        print(f"{len(rows)} sentences ({labelled} with an element) written to {out}")


if __name__ == "__main__":
    main()
