"""The trends as one plain table, and that table as CSV and as an Excel workbook.

The CSV is one long table with a ``table`` column (overall, team, officer, ppn_type, rule,
training) so that it filters and pivots in a spreadsheet; the workbook has one sheet per table
with only its own columns, and an "About" sheet saying what was counted.  Rates are rounded
to one decimal place; the counts they come from are in the same row.  Text cells that could
run as a spreadsheet formula (a team named ``=cmd()``) are neutralised, as in the check CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ppncheck.report.csvout import BOM, safe_cell
from ppncheck.trends.figures import GroupRow, RuleRow, TrainingRow, Trends

_GROUP = [
    "period",
    "period_start",
    "team",
    "notes",
    "findings",
    "findings_per_100_notes",
    "notes_needing_work",
    "needs_work_percent",
    "top_rules",
]
TABLE_COLUMNS: dict[str, list[str]] = {
    "overall": [*_GROUP, "unreadable"],
    "team": _GROUP,
    "officer": [*_GROUP[:3], "officer", *_GROUP[3:]],
    "ppn_type": [*_GROUP[:2], "ppn_type", *_GROUP[3:]],
    "rule": [
        "period",
        "period_start",
        "team",
        "rule_id",
        "notes",
        "findings",
        "findings_per_100_notes",
        "notes_with_rule",
        "notes_with_rule_percent",
    ],
    "training": [
        "team",
        "rule_id",
        "training_date",
        "before_notes",
        "before_findings",
        "before_per_100_notes",
        "after_notes",
        "after_findings",
        "after_per_100_notes",
        "change_per_100_notes",
        "improved",
    ],
}
COLUMNS: list[str] = ["table", *dict.fromkeys(c for cols in TABLE_COLUMNS.values() for c in cols)]
_SHEETS = {
    "overall": "Overall",
    "team": "By team",
    "officer": "By officer",
    "ppn_type": "By PPN type",
    "rule": "By rule",
    "training": "Since training",
}


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _top(rules: tuple[tuple[str, int], ...]) -> str:
    return "; ".join(f"{rule} {n}" for rule, n in rules)


def _group(row: GroupRow) -> dict[str, Any]:
    return {
        "table": row.level,
        "period": row.period,
        "period_start": row.period_start,
        "team": row.team or None,
        "officer": row.officer or None,
        "ppn_type": row.ppn_type or None,
        "notes": row.notes,
        "findings": row.findings,
        "findings_per_100_notes": _rate(row.findings_per_100),
        "notes_needing_work": row.needs_work,
        "needs_work_percent": _rate(row.needs_work_percent),
        "top_rules": _top(row.top_rules),
        "unreadable": row.unreadable if row.level == "overall" else None,
    }


def _rule(row: RuleRow) -> dict[str, Any]:
    return {
        "table": "rule",
        "period": row.period,
        "period_start": row.period_start,
        "team": row.team,
        "rule_id": row.rule_id,
        "notes": row.notes,
        "findings": row.findings,
        "findings_per_100_notes": _rate(row.findings_per_100),
        "notes_with_rule": row.notes_with_rule,
        "notes_with_rule_percent": _rate(row.notes_with_rule_percent),
    }


def _training(row: TrainingRow) -> dict[str, Any]:
    improved = row.improved
    return {
        "table": "training",
        "team": row.team,
        "rule_id": row.rule_id,
        "training_date": row.training_date,
        "before_notes": row.before_notes,
        "before_findings": row.before_findings,
        "before_per_100_notes": _rate(row.before_per_100),
        "after_notes": row.after_notes,
        "after_findings": row.after_findings,
        "after_per_100_notes": _rate(row.after_per_100),
        "change_per_100_notes": _rate(row.change_per_100),
        "improved": None if improved is None else ("yes" if improved else "no"),
    }


def table_rows(trends: Trends) -> Iterator[dict[str, Any]]:
    """Every figure as one plain row (a dict over ``COLUMNS``; absent cells are None): the
    overall, team, officer, PPN type, rule and training rows, in that order."""
    for rows in (trends.overall, trends.teams, trends.officers, trends.ppn_types):
        for row in rows:
            yield {c: _group(row).get(c) for c in COLUMNS}
    for rule in trends.rules:
        yield {c: _rule(rule).get(c) for c in COLUMNS}
    for training in trends.training:
        yield {c: _training(training).get(c) for c in COLUMNS}


def about(trends: Trends) -> list[tuple[str, Any]]:
    """What was counted, for the top of every output: scope, period, totals, definitions."""
    return [
        ("scope", trends.scope),
        ("period", "ISO week" if trends.period == "week" else "calendar month"),
        ("notes counted", trends.notes),
        ("notes with no submission date (period 'undated')", trends.undated),
        ("unreadable rows (PPN000), counted apart", trends.unreadable),
        ("training date", trends.since_training),
        (
            "definitions",
            "findings per 100 notes counts every finding; a note needs work when any finding "
            "is an error or a warning; unreadable rows never count in a team's or officer's "
            "figures; 'before' is submitted before the training date, 'after' on it or later",
        ),
    ]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def write_csv(trends: Trends, path: Path) -> None:
    """The long table as CSV that opens cleanly in Excel (BOM, CRLF, formulas neutralised)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(BOM)
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(COLUMNS)
        for row in table_rows(trends):
            out.writerow([_cell(row[c]) for c in COLUMNS])


def write_xlsx(trends: Trends, path: Path) -> None:
    """A workbook: "About", then one sheet per table with only that table's columns."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    sheet = wb.create_sheet("About")

    def cell(ws: Any, value: Any) -> Any:
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # text stays text: "=..." never becomes a formula
        elif isinstance(value, date):
            c.number_format = "yyyy-mm-dd"
        return c

    for key, value in about(trends):
        sheet.append([cell(sheet, key), cell(sheet, value)])
    by_table: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_COLUMNS}
    for row in table_rows(trends):
        by_table[row["table"]].append(row)
    for name, columns in TABLE_COLUMNS.items():
        if name == "training" and trends.since_training is None:
            continue
        ws = wb.create_sheet(_SHEETS[name])
        ws.append([cell(ws, c) for c in columns])
        for row in by_table[name]:
            ws.append([cell(ws, row[c]) for c in columns])
    wb.save(path)
