"""What CSV and XLSX have in common: a header, rows of cells, and a mapping onto record v1.

The format readers only split a file into ``RawRow``s; this module checks each row's shape,
turns it into a record, and makes sure that whatever happens to one row, it becomes exactly one
InputItem in input order and the rows after it are still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ppncheck.read.errors import MappingError
from ppncheck.read.mapping import BoundMapping, ColumnMapping
from ppncheck.read.pathheader import bind_path_header, is_path_header
from ppncheck.read.types import InputItem, ReadNotices


@dataclass(frozen=True)
class RawRow:
    """One data row: its 1-based number (header excluded) and its cells, or why it broke."""

    row: int
    cells: list[str] | None = None
    error: str | None = None


class RowStream(Iterator[RawRow]):
    """Rows of an open file that closes the file when exhausted or closed, even if unstarted."""

    def __init__(self, rows: Iterator[RawRow], close: Callable[[], None]) -> None:
        self._rows = rows
        self._close: Callable[[], None] | None = close

    def __next__(self) -> RawRow:
        try:
            return next(self._rows)
        except StopIteration:
            self.close()
            raise

    def close(self) -> None:
        if self._close is not None:
            close, self._close = self._close, None
            close()


EMPTY = RowStream(iter(()), lambda: None)


def clean_header(header: list[str], *, source: str, notices: ReadNotices) -> list[str]:
    """Header names trimmed; a repeated name keeps its first column (reported)."""
    seen: set[str] = set()
    names = []
    for i, raw in enumerate(header):
        name = raw.strip()
        if name and name in seen:
            notices.add(f"{source}: column {i + 1} repeats the name {name!r}; it is ignored")
            name = ""
        seen.add(name)
        names.append(name)
    return names


def bind(
    header: list[str],
    mapping: ColumnMapping | None,
    *,
    source: str,
    notices: ReadNotices,
) -> BoundMapping:
    """The mapping to use for this header: the given one, or the header's own paths."""
    present = [h for h in header if h]
    if mapping is not None:
        return mapping.bind(present, source=source)
    if is_path_header(present):
        return bind_path_header(present, source=source, notices=notices)
    raise MappingError(
        source,
        [
            "the columns are not record fields and no column mapping was given "
            "(ppncheck init-mapping writes a starting one)"
        ],
    )


def items_from_rows(
    header: list[str],
    rows: Iterable[RawRow],
    mapper: BoundMapping,
    *,
    source: str,
    notices: ReadNotices,
) -> Iterator[InputItem]:
    """Map each row; a wrong-shaped or unmappable row is an error item, never an exception."""
    width = len(header)
    named = [(i, name) for i, name in enumerate(header) if name]
    blank = 0
    for raw in rows:
        if raw.cells is None:
            yield InputItem(raw.row, error=raw.error or "row could not be read", source=source)
            continue
        cells = raw.cells
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        if len(cells) != width:
            yield InputItem(
                raw.row,
                error=f"row has {len(cells)} cells, header has {width}",
                source=source,
            )
            continue
        try:
            record = mapper.apply({name: cells[i] for i, name in named})
        except Exception as exc:  # one bad row must not stop the file
            yield InputItem(
                raw.row, error=f"row could not be mapped ({type(exc).__name__})", source=source
            )
            continue
        yield InputItem(raw.row, payload=record, source=source)
    if blank:
        notices.add(f"{source}: skipped {blank} empty row{'s' if blank != 1 else ''}")
