"""Build ``gold.jsonl`` and ``agreement.json`` from the writers' notes and the labels.

Writers and reviewers record every gold value as the exact text it has in the note (people
are poor at counting characters); this script finds each text and records its offsets.

Layout (see DATASET.md):
  notes/<writer>/<note_id>.txt        the notes, as written
  labels/<writer>.writer.jsonl        the writer's own labels
  labels/<writer>.reviewer.jsonl      a second reader's labels, made without the writer's
  labels/<writer>.gold.jsonl          the reconciled labels (GUIDE.md section 4)
  splits.json                         writer -> split

Run: python datasets/notes/build.py   (writes gold.jsonl and agreement.json beside it)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RULES = (
    "ETH001 ETH002 ETH003 AWR001 AWR002 AWR003 AWR004 AWR005 AWR006 AWR007 CHD001 VB001 RSK001 "
    "TPL001"
).split()
ELEMENTS = ("appearance", "words", "activity", "relationships", "environment")
# Writers and reviewers named PPN types in their own words (the guide gave no fixed list);
# gold carries the record format's enum, and the words as labelled.
PPN_TYPES = {
    "missing": "missing_person",
    "hba": "forced_marriage_hba",
    "harassment": "stalking_harassment",
    "domestic_abuse": "domestic_abuse",
    "missing_child": "missing_person",
    "missing_child_returned": "missing_person",
    "online_abuse": "online_abuse",
    "sextortion": "online_abuse",
    "image_sharing": "online_abuse",
    "grooming": "online_abuse",
    "mental_health": "mental_health",
    "self_harm": "mental_health",
    "s136": "mental_health",
    "perinatal": "mental_health",
    "hate_crime": "hate",
    "adult_at_risk": "adult_at_risk",
    "financial_abuse": "adult_at_risk",
    "child_sexual_exploitation": "cse",
    "cse": "cse",
    "cse_indicators": "cse",
    "radicalisation": "radicalisation",
    "prevent": "radicalisation",
    "stalking_harassment": "stalking_harassment",
    "stalking": "stalking_harassment",
    "child_criminal_exploitation": "cce",
    "cce_county_lines": "cce",
    "cce": "cce",
    "county_lines": "cce",
    "cce_indicators": "cce",
    "cuckooing": "cce",
    "fgm": "fgm",
    "neglect_child_concern": "child_concern",
    "neglect": "child_concern",
    "child_concern": "child_concern",
    "child_found_alone": "child_concern",
    "looked_after_child": "child_concern",
    "injury_to_child": "child_concern",
    "child_welfare": "child_concern",
    "forced_marriage_hba": "forced_marriage_hba",
    "forced_marriage": "forced_marriage_hba",
    "honour_based_abuse": "forced_marriage_hba",
}


# the record format's enum (record-format.md): a reviewer who used its words needs no mapping
ENUM_TYPES = frozenset(
    "domestic_abuse missing_person cse cce online_abuse child_concern fgm forced_marriage_hba "
    "radicalisation adult_at_risk stalking_harassment hate mental_health modern_slavery other".split()
)


def _ppn_type(word: str) -> str:
    return word if word in ENUM_TYPES else PPN_TYPES.get(word, "other")


class LabelError(ValueError):
    pass


def _occurrences(note: str, text: str) -> list[int]:
    out, i = [], note.find(text)
    while i >= 0:
        out.append(i)
        i = note.find(text, i + 1)
    return out


def _span(note: str, text: str | None, near: int | None = None) -> dict[str, Any] | None:
    """The offsets of ``text`` in ``note``: its first occurrence, or the one nearest ``near``."""
    if text is None:
        return None
    hits = _occurrences(note, text)
    if not hits:
        raise LabelError(f"text not found in the note: {len(text)} characters")
    start = hits[0] if near is None else min(hits, key=lambda h: (abs(h - near), h))
    return {"text": text, "start": start, "end": start + len(text)}


def _person(note: str, p: dict[str, Any]) -> dict[str, Any]:
    name = _span(note, p.get("name"))
    anchor = name["start"] if name else None
    ethnicity = _span(note, p.get("ethnicity_text"), anchor)
    if ethnicity is not None:
        ethnicity["code"] = p.get("sde_code")
    return {
        "name": name,
        "dob": _span(note, p.get("dob"), anchor),
        "age": _span(note, p.get("age"), anchor),
        "ethnicity": ethnicity,
        "sde_code": p.get("sde_code"),
        "ode": _span(note, p.get("ode_text"), anchor),
        "role": p.get("role"),
        "relation": p.get("relation"),
        "child": bool(p.get("child")),
        "sex": p.get("sex"),
    }


def gold_record(note: str, label: dict[str, Any], writer: str, path: str) -> dict[str, Any]:
    rules = sorted(set(label["expected_rules"]), key=RULES.index)
    aware = label.get("aware") or {}
    return {
        "note_id": label["note_id"],
        "writer": writer,
        "file": path,
        "sha256": hashlib.sha256(note.encode("utf-8")).hexdigest(),
        "ppn_types": sorted({_ppn_type(t) for t in label.get("ppn_types", [])}),
        "ppn_types_as_labelled": label.get("ppn_types", []),
        "style": label.get("style"),
        "quality": "good" if not rules else "bad",
        "expected_rules": rules,
        "has_child": bool(label.get("has_child")),
        "people": [_person(note, p) for p in label.get("people", [])],
        "aware": {e: [_span(note, t) for t in aware.get(e, [])] for e in ELEMENTS},
        "child_words": [_span(note, t) for t in label.get("child_words", [])],
        "no_speech_reasons": [_span(note, t) for t in label.get("no_speech_reasons", [])],
        "victim_blaming": [
            {**_span(note, v["text"]), "category": v["category"]}  # type: ignore[dict-item]
            for v in label.get("victim_blaming", [])
        ],
        "unrecorded_children": [_span(note, t) for t in label.get("unrecorded_children", [])],
    }


def _read_labels(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            out[obj["note_id"]] = obj
    return out


def _kappa(a: list[bool], b: list[bool]) -> float | None:
    n = len(a)
    if n == 0:
        return None
    po = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else round((po - pe) / (1 - pe), 3)


def agreement(
    first: dict[str, dict[str, Any]], second: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Writer-reviewer agreement before reconciling: per rule (Cohen's kappa), per note."""
    ids = sorted(set(first) & set(second))
    per_rule = {}
    for rule in RULES:
        a = [rule in first[i]["expected_rules"] for i in ids]
        b = [rule in second[i]["expected_rules"] for i in ids]
        per_rule[rule] = {
            "writer": sum(a),
            "reviewer": sum(b),
            "both": sum(x and y for x, y in zip(a, b)),
            "kappa": _kappa(a, b),
        }
    same = sum(set(first[i]["expected_rules"]) == set(second[i]["expected_rules"]) for i in ids)
    quality = sum(
        (not first[i]["expected_rules"]) == (not second[i]["expected_rules"]) for i in ids
    )
    return {
        "notes": len(ids),
        "same_rule_set": same,
        "same_good_or_bad": quality,
        "per_rule": per_rule,
    }


def build(root: Path = HERE) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    splits = json.loads((root / "splits.json").read_text(encoding="utf-8"))["writers"]
    records: list[dict[str, Any]] = []
    agree: dict[str, Any] = {}
    problems: list[str] = []
    for writer in sorted(splits):
        gold = _read_labels(root / "labels" / f"{writer}.gold.jsonl")
        notes = sorted((root / "notes" / writer).glob("*.txt"))
        if {p.stem for p in notes} != set(gold):
            problems.append(f"{writer}: notes and gold labels do not match one to one")
        for path in notes:
            label = gold.get(path.stem)
            if label is None:
                continue
            text = path.read_text(encoding="utf-8")
            try:
                rec = gold_record(text, label, writer, str(path.relative_to(root)))
            except (LabelError, KeyError) as exc:
                problems.append(f"{path.stem}: {exc}")
                continue
            rec["split"] = splits[writer]
            records.append(rec)
        writer_labels = root / "labels" / f"{writer}.writer.jsonl"
        reviewer_labels = root / "labels" / f"{writer}.reviewer.jsonl"
        if writer_labels.is_file() and reviewer_labels.is_file():
            w, r = _read_labels(writer_labels), _read_labels(reviewer_labels)
            agree[writer] = {
                "writer_vs_reviewer": agreement(w, r),
                "writer_vs_gold": agreement(w, gold),
                "reviewer_vs_gold": agreement(r, gold),
            }
    if problems:
        raise LabelError("\n".join(problems))
    return records, agree


def main() -> int:
    try:
        records, agree = build()
    except LabelError as exc:
        print(exc, file=sys.stderr)
        return 1
    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    (HERE / "agreement.json").write_text(
        json.dumps(agree, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(records)} notes written to gold.jsonl; agreement for {len(agree)} writers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
