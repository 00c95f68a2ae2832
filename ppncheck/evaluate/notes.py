"""Measure ppncheck on the notes corpus: whole notes, judged as a VAT officer sees them.

The corpus (``datasets/notes``) holds notes by several writers who never saw ppncheck's code,
with gold labels from a second reader.  Every note is checked as a free-text note; the set of
rule ids is compared with the gold set, and the people the note reader finds are compared with
the gold people.  Figures are given per writer and for the chosen split, so a result can never
hide a writer on whom the checker fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOTE_RULES = [
    "ETH001", "ETH002", "ETH003", "AWR001", "AWR002", "AWR003", "AWR004",
    "AWR005", "AWR006", "AWR007", "CHD001", "VB001", "RSK001", "TPL001",
]  # fmt: skip
PEOPLE_FIELDS = ("name", "dob_or_age", "ethnicity")
SPLITS = ("train", "dev", "test", "all")


class CorpusError(ValueError):
    """The corpus folder is missing or malformed."""


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        self.tp += predicted and gold
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": _r(p), "recall": _r(r)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


@dataclass
class _Tally:
    notes: int = 0
    good: int = 0
    good_flagged: int = 0
    exact: int = 0
    exact_without_vb: int = 0
    rules: dict[str, _Counts] = field(default_factory=lambda: {r: _Counts() for r in NOTE_RULES})
    vb_spans: _Counts = field(default_factory=_Counts)
    people: dict[str, _Counts] = field(
        default_factory=lambda: {f: _Counts() for f in PEOPLE_FIELDS}
    )

    def as_dict(self) -> dict[str, Any]:
        n = self.notes or 1
        return {
            "notes": self.notes,
            "good_notes": self.good,
            "good_notes_flagged": self.good_flagged,
            "good_flagged_share": _r(self.good_flagged / self.good) if self.good else None,
            "exact_match": _r(self.exact / n),
            "exact_match_without_vb001": _r(self.exact_without_vb / n),
            "rules": {k: v.as_dict() for k, v in self.rules.items()},
            "vb001_spans": self.vb_spans.as_dict(),
            "people": {k: v.as_dict() for k, v in self.people.items()},
        }


def load_corpus(root: Path, split: str = "test", writer: str | None = None) -> list[dict[str, Any]]:
    """The gold records of ``split`` (or of one writer), each with its note text."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    gold = root / "gold.jsonl"
    if not gold.is_file():
        raise CorpusError(f"{root} has no gold.jsonl (run datasets/notes/build.py)")
    out = []
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise CorpusError(f"gold.jsonl line {n} is not JSON") from None
        if split != "all" and rec.get("split") != split:
            continue
        if writer is not None and rec.get("writer") != writer:
            continue
        path = root / rec["file"]
        try:
            rec["text"] = path.read_text(encoding="utf-8")
        except OSError:
            raise CorpusError(f"note file missing: {rec['file']}") from None
        out.append(rec)
    if not out:
        raise CorpusError(
            f"no notes in split {split!r}" + (f" for writer {writer}" if writer else "")
        )
    return out


def evaluate_notes(records: Sequence[dict[str, Any]], config: Any = None) -> dict[str, Any]:
    """Check every note and compare with gold; per writer and overall."""
    from ppncheck.api import check_many
    from ppncheck.read.note import read_note

    # each note is judged on its own, as its labels were: an iterator keeps check_many to one
    # pass, so TPL002 (a batch rule) does not count passages shared across the corpus
    reports = list(check_many(iter([r["text"] for r in records]), config=config))
    overall = _Tally()
    writers: dict[str, _Tally] = {}
    per_note = []
    for rec, report in zip(records, reports, strict=True):
        predicted = {f.rule_id for f in report.findings}
        gold = set(rec["expected_rules"])
        people = read_note(rec["text"])
        for tally in (overall, writers.setdefault(rec["writer"], _Tally())):
            _score(tally, rec, predicted, gold, report.findings, people)
        per_note.append(
            {
                "note_id": rec["note_id"],
                "writer": rec["writer"],
                "gold": sorted(gold),
                "predicted": sorted(predicted),
            }
        )
    return {
        "overall": overall.as_dict(),
        "writers": {w: t.as_dict() for w, t in sorted(writers.items())},
        "notes": per_note,
    }


def _score(
    tally: _Tally,
    rec: dict[str, Any],
    predicted: set[str],
    gold: set[str],
    findings: Iterable[Any],
    people: Any,
) -> None:
    tally.notes += 1
    if not gold:
        tally.good += 1
        tally.good_flagged += bool(predicted)
    tally.exact += predicted == gold
    tally.exact_without_vb += predicted - {"VB001"} == gold - {"VB001"}
    for rule in NOTE_RULES:
        tally.rules[rule].add(rule in predicted, rule in gold)
    _score_vb_spans(tally.vb_spans, rec, findings)
    _score_people(tally.people, rec, people)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_vb_spans(counts: _Counts, rec: dict[str, Any], findings: Iterable[Any]) -> None:
    gold = [(v["start"], v["end"]) for v in rec.get("victim_blaming", [])]
    pred = [(f.start, f.end) for f in findings if f.rule_id == "VB001" and f.start is not None]
    counts.tp += sum(any(_overlaps(p, g) for g in gold) for p in pred)
    counts.fp += sum(not any(_overlaps(p, g) for g in gold) for p in pred)
    counts.fn += sum(not any(_overlaps(p, g) for p in pred) for g in gold)


def _same_name(pred: Any, gold: dict[str, Any] | None, text: str) -> bool:
    if gold is None:
        return False
    if _overlaps((pred.start, pred.end), (gold["start"], gold["end"])):
        return True
    a, b = pred.text.lower().split(), gold["text"].lower().split()
    if not a or not b or a[0].strip(".,") != b[0].strip(".,"):
        return False
    return len(a) == 1 or len(b) == 1 or a[1][0] == b[1][0]


def _score_people(counts: dict[str, _Counts], rec: dict[str, Any], note: Any) -> None:
    """Per field: a predicted value is right when it belongs to the gold person of the same
    name and means the same (a DOB or age that overlaps the gold span, the same 18+1 code)."""
    text = rec["text"]
    gold_people = [p for p in rec.get("people", []) if p.get("name")]
    matched: dict[int, Any] = {}
    for person in note.persons:
        g = next(
            (
                i
                for i, p in enumerate(gold_people)
                if i not in matched and _same_name(person.name, p["name"], text)
            ),
            None,
        )
        counts["name"].add(True, g is not None)
        if g is not None:
            matched[g] = person
        gp = gold_people[g] if g is not None else None
        has_dob_age = person.dob is not None or person.age is not None
        if has_dob_age:
            right = gp is not None and _dob_or_age_matches(person, gp)
            counts["dob_or_age"].add(True, right)
        if person.sde is not None:
            right = gp is not None and gp.get("sde_code") == person.sde.value
            counts["ethnicity"].add(True, right)
    for i, gp in enumerate(gold_people):
        if i not in matched:
            counts["name"].fn += 1
        person = matched.get(i)
        if (gp.get("dob") or gp.get("age")) and not (
            person is not None and _dob_or_age_matches(person, gp)
        ):
            counts["dob_or_age"].fn += 1
        if gp.get("sde_code") and not (
            person is not None and person.sde is not None and person.sde.value == gp["sde_code"]
        ):
            counts["ethnicity"].fn += 1


def _dob_or_age_matches(person: Any, gp: dict[str, Any]) -> bool:
    for key, value in (("dob", person.dob), ("age", person.age)):
        g = gp.get(key)
        if value is None or g is None:
            continue
        if _overlaps((value.start, value.end), (g["start"], g["end"])) or value.text == g["text"]:
            return True
    return False


def format_table(result: dict[str, Any], title: str) -> str:
    """The figures as a plain-text table: one column per writer and one for all of them."""
    cols = [*result["writers"], "all"]
    tallies = {**result["writers"], "all": result["overall"]}
    rows: list[tuple[str, list[str]]] = []

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    rows.append(("notes", [str(tallies[c]["notes"]) for c in cols]))
    rows.append(
        (
            "good notes flagged",
            [f"{tallies[c]['good_notes_flagged']}/{tallies[c]['good_notes']}" for c in cols],
        )
    )
    rows.append(("exact match", [pct(tallies[c]["exact_match"]) for c in cols]))
    rows.append(
        ("exact match w/o VB001", [pct(tallies[c]["exact_match_without_vb001"]) for c in cols])
    )
    for rule in NOTE_RULES:
        cells = []
        for c in cols:
            r = tallies[c]["rules"][rule]
            if r["tp"] + r["fp"] + r["fn"] == 0:
                cells.append("·")
            else:
                cells.append(f"{pct(r['precision'])}/{pct(r['recall'])}")
        rows.append((f"{rule} P/R", cells))
    v = [tallies[c]["vb001_spans"] for c in cols]
    rows.append(("VB001 spans P/R", [f"{pct(x['precision'])}/{pct(x['recall'])}" for x in v]))
    for f in PEOPLE_FIELDS:
        cells = [
            f"{pct(tallies[c]['people'][f]['precision'])}/{pct(tallies[c]['people'][f]['recall'])}"
            for c in cols
        ]
        rows.append((f"people {f} P/R", cells))
    width = max(len(r[0]) for r in rows)
    colw = [max(len(c), *(len(r[1][i]) for r in rows)) for i, c in enumerate(cols)]
    lines = [title, ""]
    lines.append(
        " " * width + "  " + "  ".join(c.rjust(w) for c, w in zip(cols, colw, strict=True))
    )
    for name, cells in rows:
        lines.append(
            name.ljust(width)
            + "  "
            + "  ".join(x.rjust(w) for x, w in zip(cells, colw, strict=True))
        )
    lines.append("")
    lines.append("P/R: precision/recall over notes (people: over values); · no such note.")
    return "\n".join(lines)
