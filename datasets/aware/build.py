"""Build the synthetic AWARE sentence dataset (train/dev/test JSONL).

Why: a PPN written as plain narrative has no AWARE headings, so coverage has to be
judged sentence by sentence. This script turns hand-written base sentences (the
``src_*.py`` modules next to it) into labelled rows by filling name, age, pronoun,
time and place slots, then splits by base-sentence group so that no near-duplicate
of a test sentence is ever seen in training.

Run: /work/venv/bin/python /work/main/datasets/aware/build.py  (from any directory).
Deterministic: one random.Random(20261121) drives every choice.
"""

from __future__ import annotations

import json
import random
import re
import string
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep the dataset folder free of __pycache__
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import slots  # noqa: E402
import src_activity  # noqa: E402
import src_appearance  # noqa: E402
import src_environment  # noqa: E402
import src_multi  # noqa: E402
import src_none  # noqa: E402
import src_relationships  # noqa: E402
import src_words  # noqa: E402

Row = dict[str, Any]
SEED = 20261121
ELEMENTS = ("appearance", "words", "activity", "relationships", "environment")
CODES = {
    "app": "appearance",
    "wds": "words",
    "act": "activity",
    "rel": "relationships",
    "env": "environment",
}
MAX_EXPANSIONS = 3
MIN_BASES = 700
MIN_ROWS = 1700
MIN_PER_ELEMENT = 300
SPLIT_SHARES = (("train", 0.70), ("dev", 0.15), ("test", 0.15))
SOURCES = (
    ("appearance", src_appearance.BASES),
    ("words", src_words.BASES),
    ("activity", src_activity.BASES),
    ("relationships", src_relationships.BASES),
    ("environment", src_environment.BASES),
    ("multi", src_multi.BASES),
    ("none", src_none.BASES),
)
_FORMATTER = string.Formatter()
_BAD_AGREEMENT = re.compile(
    r"\bthey (was|is|has|does|wasn't|isn't|hasn't|doesn't|says|likes|wants|goes|lives|feels|"
    r"gets|sleeps|loves|hates|needs|attends|seems|appears|looks|knows|thinks|tells|stays|"
    r"calls|shares|wears|uses|plays|cries|tries|talks|refers|spends|comes|keeps)\b",
    re.IGNORECASE,
)


def parse_labels(code: str) -> list[str]:
    """Turn a short code string ("app env") into labels in canonical element order."""
    found = set()
    for part in code.split():
        if part not in CODES:
            raise ValueError(f"unknown label code {part!r}")
        found.add(CODES[part])
    return [e for e in ELEMENTS if e in found]


def slot_names(template: str) -> set[str]:
    """Names of the {slots} used in a template."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def expand(template: str, rng: random.Random) -> list[str]:
    """Up to MAX_EXPANSIONS distinct renderings of one base; one if it has no slots."""
    names = slot_names(template)
    unknown = names - slots.KNOWN_SLOTS
    if unknown:
        raise ValueError(f"unknown slots {sorted(unknown)} in a base sentence")
    if not names:
        return [template]
    out: list[str] = []
    for _ in range(40):
        values = slots.draw(rng, names)
        text = template.format_map(values)
        if _BAD_AGREEMENT.search(text):
            raise ValueError("pronoun agreement error in a base sentence (they + singular verb)")
        if text not in out:
            out.append(text)
        if len(out) == MAX_EXPANSIONS:
            break
    return out


def build_rows(rng: random.Random) -> tuple[list[Row], int]:
    """All rows (without split) and the number of base sentences."""
    rows: list[Row] = []
    seen_bases: set[str] = set()
    seen_text: set[str] = set()
    gnum = 0
    for source, bases in SOURCES:
        for template, code in bases:
            if template in seen_bases:
                raise ValueError(f"duplicate base sentence in source {source}")
            seen_bases.add(template)
            gnum += 1
            group = f"g{gnum:04d}-{source}"
            labels = parse_labels(code)
            try:
                texts = expand(template, rng)
            except ValueError as exc:
                raise ValueError(f"{group}: {exc}") from exc
            for text in texts:
                if text in seen_text:
                    raise ValueError(f"rendered text collides with another group ({group})")
                seen_text.add(text)
                rows.append({"text": text, "labels": labels, "group": group})
    return rows, len(seen_bases)


def assign_splits(rows: list[Row], rng: random.Random) -> None:
    """Assign each group wholly to train/dev/test (~70/15/15 of groups)."""
    groups = sorted({str(r["group"]) for r in rows})
    rng.shuffle(groups)
    n = len(groups)
    n_train = round(n * SPLIT_SHARES[0][1])
    n_dev = round(n * SPLIT_SHARES[1][1])
    split_of: dict[str, str] = {}
    for i, g in enumerate(groups):
        split_of[g] = "train" if i < n_train else "dev" if i < n_train + n_dev else "test"
    for r in rows:
        r["split"] = split_of[str(r["group"])]


def stats(rows: list[Row]) -> Row:
    """Counts per split and element, no-label and multi-label shares."""
    per_el = Counter(e for r in rows for e in r["labels"])
    n = len(rows)
    none = sum(1 for r in rows if not r["labels"])
    multi = sum(1 for r in rows if len(r["labels"]) > 1)
    return {
        "rows": n,
        "per_element": {e: per_el[e] for e in ELEMENTS},
        "no_label": none,
        "no_label_share": round(none / n, 3) if n else 0.0,
        "multi_label": multi,
        "multi_label_share": round(multi / n, 3) if n else 0.0,
        "groups": len({r["group"] for r in rows}),
    }


def check(rows: list[Row], n_bases: int) -> None:
    """Hard requirements from the dataset brief; fail loudly rather than ship a bad set."""
    assert n_bases >= MIN_BASES, f"only {n_bases} base sentences"
    assert len(rows) >= MIN_ROWS, f"only {len(rows)} rows"
    per_group = Counter(str(r["group"]) for r in rows)
    assert max(per_group.values()) <= MAX_EXPANSIONS
    texts_by_split: dict[str, set[str]] = {}
    for r in rows:
        texts_by_split.setdefault(str(r["split"]), set()).add(str(r["text"]))
    splits = sorted(texts_by_split)
    for i, a in enumerate(splits):
        for b in splits[i + 1 :]:
            assert not texts_by_split[a] & texts_by_split[b], f"text shared by {a} and {b}"
    groups_by_split: dict[str, set[str]] = {}
    for r in rows:
        groups_by_split.setdefault(str(r["group"]), set()).add(str(r["split"]))
    assert all(len(s) == 1 for s in groups_by_split.values()), "group spans splits"
    overall = stats(rows)["per_element"]
    for e, c in overall.items():
        assert c >= MIN_PER_ELEMENT, f"{e} positive in only {c} rows"
    for name, _ in SPLIT_SHARES:
        sub = [r for r in rows if r["split"] == name]
        sub_el = stats(sub)["per_element"]
        for e, c in sub_el.items():
            assert c >= 20, f"{e} has only {c} rows in {name}"
        assert any(not r["labels"] for r in sub), f"no unlabelled rows in {name}"


def report(rows: list[Row], n_bases: int) -> None:
    """Print the counts pasted into DATASET.md (counts only, never sentence text)."""
    print(f"base sentences: {n_bases}")
    print(f"all:   {json.dumps(stats(rows))}")
    for name, _ in SPLIT_SHARES:
        sub = [r for r in rows if r["split"] == name]
        print(f"{name + ':':6} {json.dumps(stats(sub))}")
    label_sets = Counter("+".join(r["labels"]) or "(none)" for r in rows)
    print("label sets (all splits):")
    for k, v in sorted(label_sets.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {v:5d}  {k}")


def main() -> None:
    rng = random.Random(SEED)
    rows, n_bases = build_rows(rng)
    assign_splits(rows, rng)
    order = {"train": 0, "dev": 1, "test": 2}
    rows.sort(key=lambda r: (order[str(r["split"])], str(r["group"])))
    for i, r in enumerate(rows, start=1):
        r["id"] = f"aw-{i:05d}"
    check(rows, n_bases)
    for name, _ in SPLIT_SHARES:
        path = HERE / f"{name}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for r in rows:
                if r["split"] != name:
                    continue
                out = {k: r[k] for k in ("id", "text", "labels", "group", "split")}
                fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    report(rows, n_bases)


if __name__ == "__main__":
    main()
