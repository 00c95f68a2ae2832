"""Step 1 of a record's flow: read an input file into InputItems, one per record, in order.

``read_path`` picks the reader by suffix.  Every record of the file becomes exactly one item,
readable (``payload`` is a record dict or a free-text str) or not (``error`` says why, never
quoting the text).  Problems with the file as a whole (missing, not a workbook, a mapping that
does not fit the header) raise ReadError, before the first item.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppncheck.read.errors import MappingError, ReadError
from ppncheck.read.types import InputItem, ReadNotices

# Each reader is imported when a file of its kind is read: importing any module of this
# package (the text layer reads ``read.spoken``) must not load the CSV, Excel and mapping code.
if TYPE_CHECKING:
    from ppncheck.read.mapping import ColumnMapping, init_mapping, load_mapping, parse_mapping
    from ppncheck.read.tabular import RowStream

_LAZY = {
    "ColumnMapping": "ppncheck.read.mapping",
    "init_mapping": "ppncheck.read.mapping",
    "load_mapping": "ppncheck.read.mapping",
    "parse_mapping": "ppncheck.read.mapping",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'ppncheck.read' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "SUFFIXES",
    "ColumnMapping",
    "InputItem",
    "MappingError",
    "ReadError",
    "ReadNotices",
    "init_mapping",
    "load_mapping",
    "parse_mapping",
    "read_header",
    "read_path",
]

TABULAR = (".csv", ".tsv", ".xlsx", ".xlsm")
SUFFIXES = (*TABULAR, ".json", ".jsonl", ".ndjson", ".txt")


def read_path(
    path: Path,
    *,
    mapping: ColumnMapping | None = None,
    notices: ReadNotices | None = None,
    sheet: str | None = None,
) -> Iterator[InputItem]:
    """Items of one file.  CSV/XLSX rows go through ``mapping`` (or their own path header).

    The file's existence and format are checked now; the header is checked when iteration
    starts, so a MappingError comes before any item.
    """
    path = Path(path)
    suffix = _suffix(path)
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    notices = notices if notices is not None else ReadNotices()
    source = path.name
    if suffix in TABULAR:
        return _tabular(path, suffix, mapping, notices, sheet)
    if mapping is not None:
        notices.add(f"{source}: the column mapping applies to CSV and XLSX files only; ignored")
    from ppncheck.read.jsonfile import read_json, read_jsonl, read_text

    if suffix == ".json":
        return read_json(path, source=source)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path, source=source)
    return read_text(path, source=source, notices=notices)


def read_header(path: Path, *, sheet: str | None = None) -> list[str]:
    """The header row of a CSV or XLSX export (for init-mapping); nothing else is read."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix not in TABULAR:
        raise ReadError(f"{path.name}: a header can be read from CSV or XLSX files only")
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    header, rows = _open_rows(path, suffix, ReadNotices(), sheet)
    rows.close()
    if not header:
        raise ReadError(f"{path.name}: the file is empty")
    return [h.strip() for h in header]


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(f"{path.name}: unknown file type; expected one of {', '.join(SUFFIXES)}")
    return suffix


def _open_rows(
    path: Path, suffix: str, notices: ReadNotices, sheet: str | None
) -> tuple[list[str] | None, RowStream]:
    try:
        if suffix in (".xlsx", ".xlsm"):
            from ppncheck.read.xlsxfile import read_xlsx_rows

            return read_xlsx_rows(path, source=path.name, notices=notices, sheet=sheet)
        from ppncheck.read.csvfile import read_csv_rows

        return read_csv_rows(path, source=path.name, notices=notices)
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None


def _tabular(
    path: Path,
    suffix: str,
    mapping: ColumnMapping | None,
    notices: ReadNotices,
    sheet: str | None,
) -> Iterator[InputItem]:
    from ppncheck.read.tabular import bind, clean_header, items_from_rows

    header, rows = _open_rows(path, suffix, notices, sheet)
    if header is None:
        return
    try:
        names = clean_header(header, source=path.name, notices=notices)
        mapper = bind(names, mapping, source=path.name, notices=notices)
        yield from items_from_rows(names, rows, mapper, source=path.name, notices=notices)
    finally:
        rows.close()
