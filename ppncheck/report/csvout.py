"""CSV: one row per finding, made to open cleanly in Excel.

* UTF-8 with a byte-order mark, so Excel does not read names as cp1252 mojibake;
* CRLF line ends and every cell quoted where needed, so multi-line messages stay in one cell;
* cells that start with ``= + - @`` (or a tab / carriage return) get a leading ``'`` so that a
  note or id can never run as a formula in the safeguarding team's spreadsheet.

A record with no findings still gets one row (empty rule columns, ``ok`` true), so every input
record appears in the file.  Note text (the ``text`` column) only with ``--show-text``.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from ppncheck.findings import Finding, Report
from ppncheck.read.types import InputItem
from ppncheck.report.base import finding_text
from ppncheck.report.summary import Summary, officer_of

BOM = "\ufeff"
COLUMNS = [
    "source",
    "row",
    "ppn_id",
    "officer",
    "team",
    "ok",
    "rule_id",
    "severity",
    "field",
    "start",
    "end",
    "message",
    "suggestion",
    "score",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CsvWriter:
    def __init__(self, stream: TextIO, *, show_text: bool = False) -> None:
        self._show_text = show_text
        stream.write(BOM)
        self._stream = stream
        self._csv = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._csv.writerow(COLUMNS + (["text"] if show_text else []))

    def write(self, item: InputItem, report: Report) -> None:
        collar, team = officer_of(item.payload)
        base = [item.source, report.row, report.ppn_id, collar, team, report.ok]
        if not report.findings:
            self._row(base + [""] * (len(COLUMNS) - len(base)), None, item)
        for f in report.findings:
            cells: list[Any] = [f.rule_id, f.severity.value, f.field, f.start, f.end, f.message]
            cells += [f.suggestion, f.score]
            self._row(base + cells, f, item)

    def _row(self, cells: list[Any], finding: Finding | None, item: InputItem) -> None:
        if self._show_text:
            cells.append(finding_text(item.payload, finding) if finding else None)
        self._csv.writerow([safe_cell(_plain(c)) for c in cells])

    def close(self, summary: Summary) -> None:
        self._stream.flush()


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
