"""The seeded export generator and the committed example export it produced."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ppncheck.read import ReadNotices, load_mapping, read_path
from ppncheck_dev import synthetic

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "export"
CSV = EXPORT / "ppn_export_2026-11-20.csv"
XLSX = EXPORT / "ppn_export_2026-11-20.xlsx"


def test_rows_are_deterministic_and_a_prefix_of_longer_runs() -> None:
    a = list(synthetic.generate_rows(60, seed=3))
    assert a == list(synthetic.generate_rows(60, seed=3))
    assert a == list(synthetic.generate_rows(150, seed=3))[:60]
    assert a != list(synthetic.generate_rows(60, seed=4))
    assert all(set(r) - {synthetic.RAGGED} == set(synthetic.COLUMNS) for r in a)


def test_the_mix_of_notes() -> None:
    rows = list(synthetic.generate_rows(400, seed=11))
    children = [(r, n) for r in rows for n in (1, 2, 3) if r[f"Child {n} Forename"]]
    blank_eth = [1 for r, n in children if not r[f"Child {n} Ethnicity"]]
    labels = [1 for r, n in children if " - " in r[f"Child {n} Ethnicity"]]
    placeholders = [
        1
        for r, n in children
        for f in synthetic.CHILD_FIELDS[9:]
        if r[f"Child {n} {f}"] in synthetic.PLACEHOLDERS
    ]
    assert 0.03 < len(blank_eth) / len(children) < 0.25
    assert labels and placeholders
    missing_low = [
        r
        for r in rows
        if r["PPN Type(s)"].startswith("Misper") and r["Risk Grade"] in ("Std", "Low", "Standard")
    ]
    assert missing_low
    narratives = " ".join(r["Circumstances"] for r in rows)
    assert "not out of character" in narratives or "always comes back" in narratives
    assert sum(synthetic.RAGGED in r for r in rows) >= 3
    # each pasted paragraph that is used at all is used in at least five notes
    pasted = Counter(v for r in rows for v in r.values() if v in synthetic.TEMPLATED)
    assert pasted and min(pasted.values()) >= 5


def test_no_accidental_12_word_repeats_in_the_example() -> None:
    """Only the TEMPLATED paragraphs (and stock victim-blaming phrases) should be repeated."""
    rows = list(synthetic.generate_rows(200, seed=7))
    columns = [
        c for c in synthetic.COLUMNS if c.startswith("Child") or c in ("Rationale", "Action Taken")
    ]
    shingles: Counter[tuple[str, ...]] = Counter()
    for r in rows:
        note: set[tuple[str, ...]] = set()
        for column in columns:
            if r[column] in synthetic.TEMPLATED:
                continue
            words = re.findall(r"\w+", r[column].lower())
            note |= {tuple(words[i : i + 12]) for i in range(len(words) - 11)}
        shingles.update(note)
    assert [s for s, n in shingles.items() if n >= 5] == []


def test_records_are_the_rows_mapped() -> None:
    records = list(synthetic.generate_records(30, seed=2))
    rows = list(synthetic.generate_rows(30, seed=2))
    assert [r["ppn_id"] for r in records] == [r["PPN Ref"] for r in rows]
    first = records[0]
    assert first["persons"][0]["person_id"] == "child1"
    assert first["incident_start"][4] == "-" and "T" in first["incident_start"]


def test_write_csv_and_xlsx_read_back_identically(tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "e.csv", tmp_path / "e.xlsx"
    assert (
        synthetic.main(
            [
                "--rows",
                "120",
                "--seed",
                "9",
                "--csv",
                str(csv_path),
                "--xlsx",
                str(xlsx_path),
                "--mapping",
                str(tmp_path / "m.toml"),
            ]
        )
        == 0
    )
    mapping = load_mapping(tmp_path / "m.toml")
    from_csv = list(read_path(csv_path, mapping=mapping))
    from_xlsx = list(read_path(xlsx_path, mapping=mapping))
    assert len(from_csv) == len(from_xlsx) == 120
    assert [(i.row, i.error, i.payload) for i in from_csv] == [
        (i.row, i.error, i.payload) for i in from_xlsx
    ]
    assert [i.row for i in from_csv if i.error] == [42]


def test_committed_example_is_what_the_documented_command_writes(tmp_path: Path) -> None:
    synthetic.write_csv(tmp_path / "e.csv", 200, 7)
    synthetic.write_xlsx(tmp_path / "e.xlsx", 200, 7)
    assert (tmp_path / "e.csv").read_bytes() == CSV.read_bytes()
    assert (tmp_path / "e.xlsx").read_bytes() == XLSX.read_bytes()
    assert (EXPORT / "mapping.toml").read_text(encoding="utf-8") == synthetic.MAPPING_TOML
    assert "--rows 200 --seed 7" in (EXPORT / "README.md").read_text(encoding="utf-8")


def test_committed_example_maps_to_records() -> None:
    mapping = load_mapping(EXPORT / "mapping.toml")
    notices = ReadNotices()
    items = list(read_path(CSV, mapping=mapping, notices=notices))
    assert notices.messages == []
    assert len(items) == 200
    assert [(i.row, i.error) for i in items if i.error] == [
        (42, "row has 69 cells, header has 68"),
        (139, "row has 69 cells, header has 68"),
    ]
    first = items[0].payload
    assert first["ppn_id"] == "PPN-261120-00001"
    assert re.fullmatch(r"2026-11-\d\dT\d\d:\d\d:00", first["submitted_at"])
    assert first["officer"]["collar_number"].isdigit()
    assert first["ppn_types"] and set(first["ppn_types"]) <= {
        "domestic_abuse",
        "child_concern",
        "missing_person",
        "cse",
        "cce",
        "online_abuse",
    }
    records = [i.payload for i in items if i.payload]
    grades = Counter(r.get("officer_risk_grade") for r in records)
    assert set(grades) <= {"high", "medium", "low", "standard"}
    persons = [p for r in records for p in r["persons"]]
    assert {p["sex"] for p in persons if "sex" in p} <= {"male", "female", "unknown"}
    roles = Counter(role for p in persons for role in p["roles"])
    assert roles["child_in_household"] > 200 and roles["victim"] and roles["suspect"]
    voices = [v for r in records for v in r.get("voice_of_child", [])]
    assert all(isinstance(v.get("seen"), bool) for v in voices if "seen" in v)
    ids = {p["person_id"] for r in records for p in r["persons"]}
    assert {v["child_person_id"] for v in voices} <= ids
    xlsx_items = list(read_path(XLSX, mapping=mapping))
    assert [i.payload for i in xlsx_items] == [i.payload for i in items]


def test_exports_of_other_days_share_the_force_s_officers() -> None:
    """Weekly exports for trends: a different seed and day, the same officers and teams."""
    from datetime import date, datetime, timedelta

    def officers(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
        return {(r["Officer Collar No"], r["Team"]) for r in rows}

    week1 = list(synthetic.generate_rows(150, seed=1, day=date(2026, 11, 11), officers_seed=5))
    week2 = list(synthetic.generate_rows(150, seed=2, day=date(2026, 11, 18), officers_seed=5))
    assert week1 != week2
    assert officers(week1) | officers(week2) <= officers(
        list(synthetic.generate_rows(400, seed=3, officers_seed=5))
    )
    assert len(officers(week1) & officers(week2)) >= 15
    for rows, day in ((week1, datetime(2026, 11, 11, 7)), (week2, datetime(2026, 11, 18, 7))):
        submitted = [datetime.strptime(r["Date Submitted"], "%d/%m/%Y %H:%M") for r in rows]
        assert all(day - timedelta(hours=24) <= s < day for s in submitted)
    # without the new arguments nothing changes (the bundled example export depends on it)
    assert list(synthetic.generate_rows(20, seed=7)) == list(
        synthetic.generate_rows(20, seed=7, day=synthetic.EXPORT_DAY)
    )
