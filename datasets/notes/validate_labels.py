"""Check a label file against its notes: every exact text value must occur in the note."""
import json
import sys
from pathlib import Path

RULES = {"ETH001", "ETH002", "ETH003", "AWR001", "AWR002", "AWR003", "AWR004", "AWR005",
         "AWR006", "AWR007", "CHD001", "VB001", "RSK001", "TPL001"}
CATS = {"choice_consent", "responsibility_for_risk", "relationship_framing", "sexualising",
        "criminalising", "adultification", "minimising_normalising", "blaming_non_engagement",
        "character_credibility", "domestic_abuse_blame"}
CODES = set("W1 W2 W3 W9 M1 M2 M3 M9 A1 A2 A3 A4 A9 B1 B2 B9 O2 O9 NS".split())
ROLES = {"victim", "suspect", "child_present", "child_in_household", "subject", "parent_carer",
         "witness", "reporting_person", "adult_at_risk", "other"}
ELEMENTS = ["appearance", "words", "activity", "relationships", "environment"]
STYLES = {"headed", "narrative", "shorthand", "thin", "mixed"}


def main() -> int:
    notes_dir, labels = Path(sys.argv[1]), Path(sys.argv[2])
    problems = []
    seen = set()
    for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            problems.append(f"line {n}: not JSON ({exc})")
            continue
        nid = obj.get("note_id")
        where = f"line {n} ({nid})"
        if nid in seen:
            problems.append(f"{where}: duplicate note_id")
        seen.add(nid)
        path = notes_dir / f"{nid}.txt"
        if not path.exists():
            problems.append(f"{where}: no file {path}")
            continue
        note = path.read_text(encoding="utf-8")
        words = len(note.split())
        if obj.get("style") != "thin" and not 80 <= words <= 520:
            problems.append(f"{where}: note has {words} words (80-500 expected)")

        def find(text, what):
            if text is None:
                return
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: {what} must be a non-empty string or null")
            elif text not in note:
                problems.append(f"{where}: {what} {text!r} not found exactly in the note")

        rules = obj.get("expected_rules")
        if not isinstance(rules, list) or not set(rules) <= RULES:
            problems.append(f"{where}: expected_rules must be a list of {sorted(RULES)}")
        elif len(set(rules)) != len(rules):
            problems.append(f"{where}: expected_rules repeats an id")
        if obj.get("quality") not in {"good", "bad"}:
            problems.append(f"{where}: quality must be good or bad")
        elif (obj["quality"] == "good") != (rules == []):
            problems.append(f"{where}: quality good iff expected_rules is empty")
        if obj.get("style") not in STYLES:
            problems.append(f"{where}: style must be one of {sorted(STYLES)}")
        if not isinstance(obj.get("has_child"), bool):
            problems.append(f"{where}: has_child must be true or false")
        for i, p in enumerate(obj.get("people", [])):
            for key in ("name", "dob", "age", "ethnicity_text", "ode_text"):
                find(p.get(key), f"people[{i}].{key}")
            if p.get("sde_code") is not None and p["sde_code"] not in CODES:
                problems.append(f"{where}: people[{i}].sde_code {p['sde_code']!r} not an 18+1 code")
            if p.get("role") not in ROLES:
                problems.append(f"{where}: people[{i}].role {p.get('role')!r} not one of {sorted(ROLES)}")
            if not isinstance(p.get("child"), bool):
                problems.append(f"{where}: people[{i}].child must be true or false")
        aware = obj.get("aware", {})
        if set(aware) - set(ELEMENTS):
            problems.append(f"{where}: aware has unknown keys {sorted(set(aware) - set(ELEMENTS))}")
        for el in ELEMENTS:
            for j, t in enumerate(aware.get(el, [])):
                find(t, f"aware.{el}[{j}]")
        for key in ("child_words", "no_speech_reasons", "unrecorded_children"):
            for j, t in enumerate(obj.get(key, [])):
                find(t, f"{key}[{j}]")
        for j, vb in enumerate(obj.get("victim_blaming", [])):
            find(vb.get("text"), f"victim_blaming[{j}].text")
            if vb.get("category") not in CATS:
                problems.append(f"{where}: victim_blaming[{j}].category not one of {sorted(CATS)}")
    for p in problems:
        print(p)
    print(f"{len(seen)} notes, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
