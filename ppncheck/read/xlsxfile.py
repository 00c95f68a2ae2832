"""Excel workbooks, read the way openpyxl streams them: read-only, values only.

Cells come back typed (numbers, dates, booleans); they are turned into the text a CSV of the
same sheet would hold, except that dates become ISO 8601 so that no day/month guess is needed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ppncheck.read.errors import ReadError
from ppncheck.read.tabular import EMPTY, RawRow, RowStream
from ppncheck.read.types import ReadNotices


def cell_text(value: Any) -> str:
    """A cell value as text: dates ISO 8601, whole numbers without ``.0``, None empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_rows(
    path: Path, *, source: str, notices: ReadNotices, sheet: str | None = None
) -> tuple[list[str] | None, RowStream]:
    """The first (or the named) sheet's header and an iterator over its data rows."""
    import openpyxl  # imported here: reading CSV or JSON should not pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(f"{source}: not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise ReadError(f"{source}: no sheet named {sheet!r}")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
    except BaseException:
        wb.close()
        raise
    if first is None:
        wb.close()
        notices.add(f"{source}: the sheet is empty")
        return None, EMPTY
    header = _trim([cell_text(v) for v in first])
    return header, RowStream(_rows(rows, len(header)), wb.close)


def _trim(cells: list[str]) -> list[str]:
    """Drop trailing empty cells: a sheet's used range often runs wider than its data."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _rows(rows: Iterator[tuple[Any, ...]], width: int) -> Iterator[RawRow]:
    for number, values in enumerate(rows, start=1):
        cells = _trim([cell_text(v) for v in values])
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        yield RawRow(number, cells)
