"""Trends figures on a small hand-built set of outcomes whose answers are worked out by hand,
and the plain table, CSV and Excel outputs made from them."""

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.summary import NOT_RECORDED
from ppncheck.trends import (
    ALL_TEAMS,
    COLUMNS,
    UNDATED,
    NoteOutcome,
    compute_trends,
    outcome_of,
    period_of,
    table_rows,
    write_trends,
)
from ppncheck.trends.page import STATIC, chart_data

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# 2026-11-09 is the Monday of ISO week 46; 2026-11-16 the Monday of week 47.
DA = ("domestic_abuse",)
OUTCOMES = [
    NoteOutcome(date(2026, 11, 9), "101", "North", DA, ("ETH001", "ETH001", "VB001"), E),
    NoteOutcome(date(2026, 11, 10), "102", "North", ("missing_person",), ("TIM001",), W),
    NoteOutcome(date(2026, 11, 15), "101", "North", ("domestic_abuse", "child_concern"), (), None),
    NoteOutcome(date(2026, 11, 16), "101", "North", DA, ("TPL002",), INFO),
    NoteOutcome(date(2026, 11, 17), "201", "South", ("child_concern",), ("ETH001",), E),
    NoteOutcome(None, "202", "South", (), ("VB001",), W),
    NoteOutcome(date(2026, 11, 18), rule_ids=("PPN000",), worst=E, unreadable=True),
    NoteOutcome(None, rule_ids=("PPN000",), worst=E, unreadable=True),
]  # fmt: skip


def _rows(trends, table):  # type: ignore[no-untyped-def]
    return [r for r in table_rows(trends) if r["table"] == table]


def test_overall_by_week_counts_notes_findings_and_needs_work() -> None:
    t = compute_trends(OUTCOMES, period="week")
    assert [(r.period, r.period_start) for r in t.overall] == [
        ("2026-W46", date(2026, 11, 9)),
        ("2026-W47", date(2026, 11, 16)),
        (UNDATED, None),
    ]
    w46, w47, undated = t.overall
    assert (w46.notes, w46.findings, w46.needs_work, w46.unreadable) == (3, 4, 2, 0)
    assert w46.findings_per_100 == pytest.approx(400 / 3)
    assert w46.needs_work_percent == pytest.approx(200 / 3)
    assert w46.top_rules == (("ETH001", 2), ("TIM001", 1), ("VB001", 1))  # ties by rule id
    # an info-only note (TPL002) does not need work; the unreadable row is counted apart
    assert (w47.notes, w47.findings, w47.needs_work, w47.unreadable) == (2, 2, 1, 1)
    assert (undated.notes, undated.findings, undated.needs_work, undated.unreadable) == (1, 1, 1, 1)
    assert (t.notes, t.undated, t.unreadable, t.scope) == (6, 1, 2, ALL_TEAMS)
    assert t.rule_totals == (("ETH001", 3), ("VB001", 2), ("TIM001", 1), ("TPL002", 1))


def test_by_month_puts_the_whole_of_november_together() -> None:
    t = compute_trends(OUTCOMES, period="month")
    (nov, undated) = t.overall
    assert (nov.period, nov.period_start, nov.notes, nov.findings, nov.needs_work) == (
        "2026-11",
        date(2026, 11, 1),
        5,
        6,
        3,
    )
    assert nov.unreadable == 1 and undated.unreadable == 1


def test_teams_officers_and_types_never_count_an_unreadable_row() -> None:
    t = compute_trends(OUTCOMES, period="week")
    teams = {(r.period, r.team): (r.notes, r.findings, r.needs_work) for r in t.teams}
    assert teams == {
        ("2026-W46", "North"): (3, 4, 2),
        ("2026-W47", "North"): (1, 1, 0),
        ("2026-W47", "South"): (1, 1, 1),
        (UNDATED, "South"): (1, 1, 1),
    }
    officers = {
        (r.period, r.team, r.officer): (r.notes, r.findings, r.needs_work) for r in t.officers
    }
    assert officers == {
        ("2026-W46", "North", "101"): (2, 3, 1),
        ("2026-W46", "North", "102"): (1, 1, 1),
        ("2026-W47", "North", "101"): (1, 1, 0),
        ("2026-W47", "South", "201"): (1, 1, 1),
        (UNDATED, "South", "202"): (1, 1, 1),
    }
    assert NOT_RECORDED not in {r.team for r in t.teams}
    types = {(r.period, r.ppn_type): (r.notes, r.findings) for r in t.ppn_types}
    assert types[("2026-W46", "domestic_abuse")] == (2, 3)
    assert types[("2026-W46", "child_concern")] == (1, 0)  # a note of two types counts in each
    assert types[("2026-W46", "missing_person")] == (1, 1)


def test_rules_by_period_for_the_scope_and_each_team() -> None:
    t = compute_trends(OUTCOMES, period="week")
    rules = {(r.period, r.team, r.rule_id): r for r in t.rules}
    eth = rules[("2026-W46", ALL_TEAMS, "ETH001")]
    assert (eth.notes, eth.findings, eth.notes_with_rule) == (3, 2, 1)
    assert eth.findings_per_100 == pytest.approx(200 / 3)
    assert eth.notes_with_rule_percent == pytest.approx(100 / 3)
    assert rules[("2026-W47", "South", "ETH001")].findings_per_100 == 100
    assert "PPN000" not in {r.rule_id for r in t.rules}


def test_since_training_compares_before_with_on_or_after_the_date() -> None:
    t = compute_trends(OUTCOMES, period="week", since_training=date(2026, 11, 16))
    rows = {(r.team, r.rule_id): r for r in t.training}
    eth = rows[(ALL_TEAMS, "ETH001")]  # before: 3 notes, 2 ETH001; after: 2 notes, 1 ETH001
    assert (eth.before_notes, eth.before_findings, eth.after_notes, eth.after_findings) == (
        3,
        2,
        2,
        1,
    )
    assert eth.change_per_100 == pytest.approx(50 - 200 / 3)
    assert eth.improved is True
    tpl = rows[(ALL_TEAMS, "TPL002")]
    assert (tpl.before_per_100, tpl.after_per_100, tpl.improved) == (0, 50, False)
    north = rows[("North", "ETH001")]
    assert (north.before_notes, north.after_notes, north.after_per_100, north.improved) == (
        3,
        1,
        0,
        True,
    )
    # South has no dated note before the date (its undated note is on neither side)
    south = rows[("South", "ETH001")]
    assert (south.before_notes, south.improved) == (0, None)
    assert ("South", "VB001") not in rows


def test_a_team_filter_shows_only_that_team_and_its_officers() -> None:
    t = compute_trends(OUTCOMES, period="week", team=" north ", since_training=date(2026, 11, 16))
    assert t.scope == "North" and t.team_filter == "north"
    assert {r.team for r in (*t.overall, *t.teams, *t.officers)} == {"North"}
    assert {r.officer for r in t.officers} == {"101", "102"}
    assert {r.team for r in t.rules} | {r.team for r in t.training} == {"North"}
    assert (t.notes, t.undated, t.unreadable) == (4, 0, 0)
    assert all(row["team"] in ("North", None) for row in table_rows(t))


def test_periods_fill_quiet_weeks_and_cross_year_ends() -> None:
    assert period_of(date(2027, 1, 1), "week") == ("2026-W53", date(2026, 12, 28))
    assert period_of(date(2026, 12, 31), "month") == ("2026-12", date(2026, 12, 1))
    outcomes = [NoteOutcome(date(2026, 12, 22)), NoteOutcome(date(2027, 1, 5)), NoteOutcome(None)]
    weeks = compute_trends(outcomes, period="week").periods()
    assert [p for p, _ in weeks] == ["2026-W52", "2026-W53", "2027-W01", UNDATED]
    months = compute_trends(outcomes, period="month").periods()
    assert [p for p, _ in months] == ["2026-12", "2027-01", UNDATED]
    data = chart_data(compute_trends(outcomes, period="week"))
    assert data["periods"] == ["2026-W52", "2026-W53", "2027-W01"]
    (all_line,) = [s for s in data["per100"] if s["overall"]]
    assert all_line["label"] == ALL_TEAMS
    assert all_line["data"] == [0.0, None, 0.0]  # a quiet week is a gap, not a zero


def test_outcome_accepts_what_a_store_holds_and_refuses_a_bare_string() -> None:
    o = NoteOutcome(datetime(2026, 11, 9, 23, 50), " 101 ", "", ["cse"], ["VB001"], "warning")
    assert (o.submitted, o.collar, o.team, o.ppn_types, o.worst, o.needs_work) == (
        date(2026, 11, 9),
        "101",
        NOT_RECORDED,
        ("cse",),
        W,
        True,
    )
    with pytest.raises(TypeError):
        NoteOutcome(date(2026, 11, 9), rule_ids="VB001")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        compute_trends(OUTCOMES, period="fortnight")


def test_outcome_of_a_record_a_note_and_an_unreadable_row() -> None:
    vb = Finding("VB001", W, "m", "circumstances", 0, 4)
    record = {
        "ppn_id": "P1",
        "submitted_at": "2026-11-15T23:30:00Z",
        "ppn_types": ["cse", "cse", "missing_person"],
        "officer": {"collar_number": 4521, "team": "North"},
    }
    o = outcome_of(InputItem(row=1, payload=record), Report("P1", [vb, vb], row=1))
    assert (o.submitted, o.collar, o.team, o.ppn_types, o.rule_ids, o.worst) == (
        date(2026, 11, 15),
        "4521",
        "North",
        ("cse", "missing_person"),
        ("VB001", "VB001"),
        W,
    )
    note = outcome_of(InputItem(row=2, payload="a free-text note"), Report(None, [], row=2))
    assert (note.submitted, note.team, note.worst, note.unreadable) == (
        None,
        NOT_RECORDED,
        None,
        False,
    )
    bad = Finding("PPN000", E, "row has 3 cells, header has 4")
    gone = outcome_of(InputItem(row=3, error="row has 3 cells"), Report(None, [bad], row=3))
    assert gone.unreadable and gone.rule_ids == ("PPN000",)


def test_csv_is_the_plain_table_and_rates_follow_from_its_counts(tmp_path: Path) -> None:
    t = compute_trends(OUTCOMES, period="week", since_training=date(2026, 11, 16))
    path = tmp_path / "t.csv"
    write_trends(t, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(list(table_rows(t)))
    overall = [r for r in rows if r["table"] == "overall"]
    assert [
        (r["period"], r["notes"], r["findings_per_100_notes"], r["needs_work_percent"])
        for r in overall
    ] == [
        ("2026-W46", "3", "133.3", "66.7"),
        ("2026-W47", "2", "100.0", "50.0"),
        ("undated", "1", "100.0", "100.0"),
    ]
    assert overall[0]["top_rules"] == "ETH001 2; TIM001 1; VB001 1"
    for r in rows:
        if r["table"] != "training" and r["notes"] not in ("", "0"):
            assert float(r["findings_per_100_notes"]) == round(
                100 * int(r["findings"]) / int(r["notes"]), 1
            )
    training = {(r["team"], r["rule_id"]): r for r in rows if r["table"] == "training"}
    assert training[(ALL_TEAMS, "ETH001")]["improved"] == "yes"
    assert training[("South", "ETH001")]["improved"] == ""


def test_excel_has_a_sheet_per_table_and_text_never_runs_as_a_formula(tmp_path: Path) -> None:
    hostile = [
        NoteOutcome(date(2026, 11, 9), "=1+1", '=HYPERLINK("http://x","y")', (), ("VB001",), W)
    ]
    t = compute_trends([*OUTCOMES, *hostile], period="week")
    path = tmp_path / "t.xlsx"
    write_trends(t, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["About", "Overall", "By team", "By officer", "By PPN type", "By rule"]
    teams = wb["By team"]
    header = [c.value for c in teams[1]]
    assert header[:4] == ["period", "period_start", "team", "notes"]
    cells = [c for row in teams.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert '=HYPERLINK("http://x","y")' in [c.value for c in cells]
    assert len(list(teams.iter_rows(min_row=2))) == len(t.teams)
    csv_path = tmp_path / "t.csv"
    write_trends(t, csv_path)
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")
    with pytest.raises(ValueError):
        write_trends(t, tmp_path / "t.pdf")


def test_vendored_chart_js_is_the_recorded_release() -> None:
    """The inlined library is byte-for-byte the npm release VENDORED.md names."""
    js = (STATIC / "chart.umd.min.js").read_bytes()
    recorded = (STATIC / "VENDORED.md").read_text(encoding="utf-8")
    assert hashlib.sha256(js).hexdigest() in recorded
    assert js.startswith(b"/*!\n * Chart.js v4.6.2")
    assert "MIT" in (STATIC / "chart.js-LICENSE.md").read_text(encoding="utf-8")
