"""Excel workbooks (.xlsx/.xlsm), streamed straight from the zip's XML.

Cells come back typed (numbers, dates, booleans); they are turned into the text a CSV of the
same sheet would hold, except that dates become ISO 8601 so that no day/month guess is needed.

Why not openpyxl's reader
-------------------------
openpyxl loads the whole shared-strings table as Python strings before the first row (a 394 KB
workbook with a hostile table took 4.4 GB and 44 s), and its row generator dies with the first
bad cell, so one malformed cell or truncated sheet cost every row of every file in the run.
Here:

* **The row is the unit of failure.**  A cell that cannot be read (a shared-string index that
  does not exist, a number that is not a number, a date out of range, a column past XFD) makes
  its row a PPN000 item; XML that breaks part-way (a truncated sheet) ends the file with one
  PPN000 item at the row where it broke, and the rows before it stand.
* **Bounded memory.**  The sheet is parsed in 64 KB pieces and each cell and row is dropped as
  soon as it is read.  The shared-strings table is kept as one UTF-8 buffer with offsets, and
  only as many entries as the sheets could refer to (``_BYTES_PER_CELL``) or
  ``MAX_SHARED_TEXT`` bytes of text are loaded; a cell pointing past them costs its row.
* **No DTDs.**  A part with a ``<!DOCTYPE`` (entity tricks) is not read.

openpyxl is still used for its date helpers (serial numbers, date number formats).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from typing import IO, Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from ppncheck.read.errors import ReadError
from ppncheck.read.tabular import EMPTY, RawRow, RowStream
from ppncheck.read.types import ReadNotices

MAX_COLUMNS = 16_384  # Excel's own limit (column XFD)
MAX_ROW_CHARS = 10_000_000  # the same bound as a CSV row
MAX_SHARED_TEXT = 1 << 30  # bytes of UTF-8 text kept from the shared-strings table
_BYTES_PER_CELL = 20  # a cell that uses a shared string takes at least <c t="s"><v>0</v></c>
_MIN_SHARED = 10_000  # entries always allowed, however small the sheets
_MAX_PART = 10_000_000  # workbook.xml, styles.xml and the relationship parts (parsed whole)
_CHUNK = 1 << 16

_REL_KINDS = ("worksheet", "sharedStrings", "styles")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class _Broken(Exception):
    """An XML part cannot be parsed (or holds a DTD)."""


class _CellError(Exception):
    """One cell cannot be read; its row becomes an error item.  The message never quotes it."""


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


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot hold as ``_xHHHH_`` (``_x005F_`` is ``_``); half a
    character (a surrogate) becomes U+FFFD, since it could not be written out again."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(_unescaped, text)


def _unescaped(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)


class _SharedStrings:
    """The shared-strings table as one UTF-8 buffer and offsets (a Python str per entry
    costs about 60 bytes more than its text)."""

    def __init__(self) -> None:
        self._text = bytearray()
        self._ends = array("q")
        self._too_long: set[int] = set()
        self.complete = True  # False when the table had more than was loaded

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, text: str, *, too_long: bool = False) -> bool:
        """Keep one entry; False when the table's byte limit is reached."""
        if too_long:
            self._too_long.add(len(self._ends))
        data = text.encode("utf-8")
        if len(self._text) + len(data) > MAX_SHARED_TEXT:
            self.complete = False
            return False
        self._text += data
        self._ends.append(len(self._text))
        return True

    def get(self, index: int) -> str:
        if not 0 <= index < len(self._ends):
            if self.complete:
                raise _CellError("refers to a shared string that does not exist")
            raise _CellError("refers to a shared string past the part that could be read")
        if index in self._too_long:
            raise _CellError(f"holds more than {MAX_ROW_CHARS:,} characters")
        start = self._ends[index - 1] if index else 0
        return self._text[start : self._ends[index]].decode("utf-8")


class _Workbook:
    """The parts of an XLSX that reading one sheet needs."""

    def __init__(self, path: Any, source: str) -> None:
        self.source = source
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ReadError(
                f"{source}: not a readable XLSX workbook ({type(exc).__name__})"
            ) from None
        try:
            self._load()
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def _fail(self, why: str) -> ReadError:
        return ReadError(f"{self.source}: not a readable XLSX workbook ({why})")

    def _part(self, name: str) -> Element | None:
        """A small part, parsed whole (None when absent)."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        if info.file_size > _MAX_PART:
            raise self._fail(f"{name} is larger than {_MAX_PART:,} bytes")
        try:
            target = _TreeTarget()
            with self.zip.open(info) as stream:
                for _ in _parse(stream, target):
                    pass
            return target.builder.close()
        except _Broken as exc:
            raise self._fail(f"{name}: {exc}") from None
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise self._fail(f"{name}: {type(exc).__name__}") from None

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (kind, target part) for ``part``."""
        folder = PurePosixPath(part).parent
        rels = self._part(str(folder / "_rels" / (PurePosixPath(part).name + ".rels")))
        out: dict[str, tuple[str, str]] = {}
        for rel in rels if rels is not None else ():
            target = rel.get("Target") or ""
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External":
                continue
            full = target.lstrip("/") if target.startswith("/") else str(folder / target)
            out[rel.get("Id") or ""] = (kind, _normalise_part(full))
        return out

    def _load(self) -> None:
        main = next(
            (t for k, t in self._rels("").values() if k == "officeDocument"), "xl/workbook.xml"
        )
        workbook = self._part(main)
        if workbook is None:
            raise self._fail("no workbook part")
        rels = self._rels(main)
        self.sheets: list[tuple[str, str]] = []  # (name, part), worksheets only, in tab order
        self.date1904 = False
        for element in workbook.iter():
            name = element.tag
            if name == "workbookPr":
                self.date1904 = element.get("date1904") in ("1", "true")
            elif name == "sheet":
                kind, target = rels.get(element.get("id") or "", ("", ""))
                if kind == "worksheet":
                    self.sheets.append((element.get("name") or "", target))
        if not self.sheets:
            raise self._fail("no worksheet")
        by_kind = {kind: target for kind, target in rels.values() if kind in _REL_KINDS}
        self.shared_part = by_kind.get("sharedStrings")
        self.date_styles, self.timedelta_styles = self._styles(by_kind.get("styles"))

    def _styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """Which cell styles (``s`` indexes) format numbers as dates or durations."""
        from openpyxl.styles.numbers import (
            builtin_format_code,
            is_date_format,
            is_timedelta_format,
        )

        root = self._part(part) if part else None
        if root is None:
            return set(), set()
        custom: dict[int, str] = {}
        dates: set[int] = set()
        durations: set[int] = set()
        for element in root:
            name = element.tag
            if name == "numFmts":
                for fmt in element:
                    try:
                        custom[int(fmt.get("numFmtId") or "")] = fmt.get("formatCode") or ""
                    except ValueError:
                        continue
            elif name == "cellXfs":
                for index, xf in enumerate(element):
                    try:
                        number_format = int(xf.get("numFmtId") or 0)
                    except ValueError:
                        continue
                    code = custom.get(number_format) or builtin_format_code(number_format)
                    if is_date_format(code):
                        dates.add(index)
                    if is_timedelta_format(code):
                        durations.add(index)
        return dates, durations

    def sheet_part(self, sheet: str | None) -> str:
        if sheet is None:
            return self.sheets[0][1]
        for name, part in self.sheets:
            if name == sheet:
                return part
        raise ReadError(f"{self.source}: no sheet named {sheet!r}")

    def shared_strings(self, notices: ReadNotices) -> _SharedStrings:
        """The table, bounded by what the workbook's sheets could possibly refer to."""
        table = _SharedStrings()
        if self.shared_part is None:
            return table
        try:
            info = self.zip.getinfo(self.shared_part)
        except KeyError:
            return table
        sheet_bytes = 0
        for _name, part in self.sheets:
            try:
                sheet_bytes += self.zip.getinfo(part).file_size
            except KeyError:
                continue
        limit = max(sheet_bytes // _BYTES_PER_CELL, _MIN_SHARED)
        target = _SharedStringsTarget(table, limit)
        try:
            with self.zip.open(info) as stream:
                for _ in _parse(stream, target):
                    if target.full:
                        table.complete = False
                        break
        except _Broken as exc:
            table.complete = False
            notices.add(
                f"{self.source}: the shared strings table cannot be read in full ({exc}); "
                "cells that use the rest cost their rows"
            )
            return table
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise self._fail(f"{self.shared_part}: {type(exc).__name__}") from None
        if not table.complete:
            notices.add(
                f"{self.source}: the shared strings table is larger than its sheets could use; "
                f"only its first {len(table):,} entries were read"
            )
        return table


def _normalise_part(name: str) -> str:
    parts: list[str] = []
    for piece in name.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


class _Target:
    """expat callbacks for the big parts: no Element is built.  Names are compared without
    their prefix (``x:c`` is ``c``); expat runs without namespace processing, which is faster
    and enough for the few SpreadsheetML names read here."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def local(self, tag: str) -> str:
        name = self.names[tag] = tag.rpartition(":")[2]
        return name

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, tag: str) -> None:
        raise NotImplementedError

    def data(self, text: str) -> None:
        raise NotImplementedError


class _TreeTarget(_Target):
    """Builds a small part's tree with prefixes dropped from element and attribute names
    (``r:id`` is ``id``), so that lookups do not depend on the namespace prefixes used."""

    def __init__(self) -> None:
        super().__init__()
        self.builder = TreeBuilder()

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.builder.start(
            self.names.get(tag) or self.local(tag),
            {k.rpartition(":")[2]: v for k, v in attrib.items()},
        )

    def end(self, tag: str) -> None:
        self.builder.end(self.names.get(tag) or self.local(tag))

    def data(self, text: str) -> None:
        self.builder.data(text)


def _no_dtd(*_args: object) -> None:
    raise _Broken("it declares a DTD")


def _parse(stream: IO[bytes], target: _Target) -> Iterator[None]:
    """Feed an XML part to ``target`` 64 KB at a time, pausing after each piece so the caller
    can take what is ready; raises _Broken on damaged data, bad XML or a DTD (the way to
    declare entities, so no entity is ever expanded)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = target.start
    parser.EndElementHandler = target.end
    parser.CharacterDataHandler = target.data
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    try:
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise _Broken(f"its data is damaged ({type(exc).__name__})") from None
            if not chunk:
                break
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Broken(f"its XML is broken at line {exc.lineno} column {exc.offset}") from None
    yield


class _SharedStringsTarget(_Target):
    """Fills the table from ``<si>`` entries (their ``<t>`` text, not phonetic runs)."""

    def __init__(self, table: _SharedStrings, limit: int) -> None:
        super().__init__()
        self._table = table
        self._limit = limit
        self._in_t = False
        self._phonetic = 0
        self._parts: list[str] = []
        self._chars = 0
        self.full = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = self.names.get(tag) or self.local(tag)
        if name == "si":
            self._parts, self._chars = [], 0
        elif name == "t":
            self._in_t = True
        elif name == "rPh":
            self._phonetic += 1

    def data(self, text: str) -> None:
        if self._in_t and not self._phonetic and self._chars <= MAX_ROW_CHARS:
            self._parts.append(text)
            self._chars += len(text)

    def end(self, tag: str) -> None:
        name = self.names.get(tag) or self.local(tag)
        if name == "t":
            self._in_t = False
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "si" and not self.full:
            too_long = self._chars > MAX_ROW_CHARS
            text = "" if too_long else _unescape("".join(self._parts))
            if len(self._table) >= self._limit or not self._table.add(text, too_long=too_long):
                self.full = True
            self._parts = []


_Row = tuple[int, "list[str] | None", "str | None"]  # (sheet row number, cells, problem)


class _SheetTarget(_Target):
    """Turns ``<row>``/``<c>`` callbacks into rows of cell texts, one problem per row."""

    def __init__(self, book: _Workbook, strings: _SharedStrings) -> None:
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

        super().__init__()
        self._book = book
        self._strings = strings
        self._epoch = MAC_EPOCH if book.date1904 else WINDOWS_EPOCH
        self.ready: list[_Row] = []
        self.done = False
        self._columns: dict[str, int] = {}  # column letters -> number, as met
        self._number = 0
        self._row_attr: str | None = None
        self._cells: dict[int, str] = {}
        self._column = 0
        self._row_chars = 0
        self._problem: str | None = None
        self._ref: str | None = None
        self._type = "n"
        self._style: str | None = None
        self._text: list[str] = []
        self._text_chars = 0
        self._has_value = False
        self._inline = False
        self._in_text = False
        self._phonetic = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = self.names.get(tag) or self.local(tag)
        if name == "c":
            self._ref = attrib.get("r")
            self._type = attrib.get("t", "n")
            self._style = attrib.get("s")
            self._text, self._text_chars, self._has_value = [], 0, False
        elif name == "v":
            self._in_text = self._has_value = True
        elif name == "is":
            self._inline = self._has_value = True
        elif name == "t":
            self._in_text = self._inline
        elif name == "rPh":
            self._phonetic += 1
        elif name == "row":
            self._row_attr = attrib.get("r")
            self._cells, self._column, self._row_chars, self._problem = {}, 0, 0, None

    def data(self, text: str) -> None:
        if self._in_text and not self._phonetic and self._text_chars <= MAX_ROW_CHARS:
            self._text.append(text)
            self._text_chars += len(text)

    def end(self, tag: str) -> None:
        name = self.names.get(tag) or self.local(tag)
        if name == "c":
            if self._problem is None:
                try:
                    self._cell()
                except _CellError as exc:
                    self._problem = f"cell {self._ref or _column_name(self._column + 1)} {exc}"
        elif name in ("v", "t"):
            self._in_text = False
        elif name == "is":
            self._inline = False
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "row":
            self._number = _row_number(self._row_attr, self._number)
            if self._problem is not None:
                self.ready.append((self._number, None, self._problem))
            else:
                self.ready.append((self._number, _as_list(self._cells), None))
        elif name == "sheetData":
            self.done = True

    def _cell(self) -> None:
        if self._ref:
            letters = self._ref.rstrip("0123456789")
            column = self._columns.get(letters)
            if column is None:
                if _CELL_REF.match(self._ref) is None:
                    raise _CellError("has a reference that is not a cell reference")
                column = self._columns[letters] = _column_index(letters)
            self._column = column
        else:
            self._column += 1
        if self._column > MAX_COLUMNS:
            raise _CellError(f"is past column XFD, Excel's last ({MAX_COLUMNS:,})")
        if self._text_chars > MAX_ROW_CHARS:
            raise _CellError(f"holds more than {MAX_ROW_CHARS:,} characters")
        text = cell_text(self._value("".join(self._text)) if self._has_value else None)
        if text:
            self._row_chars += len(text)
            if self._row_chars > MAX_ROW_CHARS:
                raise _CellError(f"takes the row past {MAX_ROW_CHARS:,} characters")
            self._cells[self._column] = text

    def _value(self, raw: str) -> Any:
        kind = self._type
        if kind == "inlineStr":
            return _unescape(raw)
        if raw == "":
            return None
        if kind == "s":
            try:
                index = int(raw)
            except ValueError:
                raise _CellError("has a shared string index that is not a number") from None
            return self._strings.get(index)
        if kind in ("str", "e"):
            return _unescape(raw)
        if kind == "b":
            if raw.strip() not in ("0", "1"):
                raise _CellError("is marked true/false but holds something else")
            return raw.strip() == "1"
        if kind == "d":
            return self._iso_date(raw)
        if kind != "n":
            raise _CellError("has a type Excel does not write")
        return self._number_value(raw)

    def _number_value(self, raw: str) -> Any:
        from openpyxl.utils.datetime import from_excel

        if len(raw) > 100:
            raise _CellError("holds a number longer than 100 characters")
        try:
            value: float | int = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
        except ValueError:
            raise _CellError("should hold a number but does not") from None
        try:
            style = int(self._style or 0)
        except ValueError:
            style = 0
        if style in self._book.date_styles:
            try:
                converted: Any = from_excel(
                    value, self._epoch, timedelta=style in self._book.timedelta_styles
                )
            except (OverflowError, ValueError, TypeError):
                raise _CellError("is formatted as a date but its number is not one") from None
            if isinstance(converted, timedelta):
                return str(converted)
            return converted
        return value

    def _iso_date(self, raw: str) -> Any:
        from openpyxl.utils.datetime import from_ISO8601

        try:
            return from_ISO8601(raw)
        except (ValueError, TypeError, OverflowError):
            raise _CellError("is marked as a date but is not an ISO 8601 date") from None


class _SheetReader:
    """Rows of one sheet, streamed; ``broken`` says why it stopped early, if it did."""

    def __init__(self, book: _Workbook, strings: _SharedStrings, part: str) -> None:
        self._target = _SheetTarget(book, strings)
        try:
            self._stream = book.zip.open(part)
        except KeyError:
            raise book._fail(f"the sheet part {part} is missing") from None
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise book._fail(f"{part}: {type(exc).__name__}") from None
        self.broken: str | None = None  # why the sheet stopped early, if it did

    def close(self) -> None:
        self._stream.close()

    def rows(self) -> Iterator[_Row]:
        target = self._target
        try:
            for _ in _parse(self._stream, target):
                if target.ready:
                    ready, target.ready = target.ready, []
                    yield from ready
                if target.done:
                    return
        except _Broken as exc:
            yield from target.ready
            target.ready = []
            self.broken = str(exc)


def _column_name(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index


def _row_number(attribute: str | None, previous: int) -> int:
    """The row's number in the sheet: its ``r`` when that moves forward, else the next one."""
    try:
        number = int(attribute) if attribute else previous + 1
    except ValueError:
        number = previous + 1
    return number if number > previous else previous + 1


def _as_list(cells: dict[int, str]) -> list[str]:
    if not cells:
        return []
    out = [""] * max(cells)
    for column, text in cells.items():
        out[column - 1] = text
    return out


def read_xlsx_rows(
    path: Any, *, source: str, notices: ReadNotices, sheet: str | None = None
) -> tuple[list[str] | None, RowStream]:
    """The first (or the named) sheet's header and an iterator over its data rows.

    The header is the first row with a value; data rows are numbered from it (the row under
    the header is 1), so a row's number is its sheet row minus the header's.
    """
    book = _Workbook(path, source)
    reader: _SheetReader | None = None
    try:
        part = book.sheet_part(sheet)
        strings = book.shared_strings(notices)
        reader = _SheetReader(book, strings, part)
        rows = reader.rows()
        header_row = 0
        header: list[str] | None = None
        for number, cells, problem in rows:
            if problem is not None:
                raise ReadError(f"{source}: the header row cannot be read ({problem})")
            if cells and any(c.strip() for c in cells):
                header_row, header = number, _trim(cells)
                break
        if header is None:
            if reader.broken is not None:
                raise ReadError(f"{source}: the sheet cannot be read ({reader.broken})")
            reader.close()
            book.close()
            notices.add(f"{source}: the sheet is empty")
            return None, EMPTY
    except BaseException:
        if reader is not None:
            reader.close()
        book.close()
        raise

    def close() -> None:
        assert reader is not None
        reader.close()
        book.close()

    return header, RowStream(_data_rows(reader, rows, header_row, len(header)), close)


def _trim(cells: list[str]) -> list[str]:
    """Drop trailing empty cells: a sheet's used range often runs wider than its data."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _data_rows(
    reader: _SheetReader,
    rows: Iterator[tuple[int, list[str] | None, str | None]],
    header_row: int,
    width: int,
) -> Iterator[RawRow]:
    last = 0
    for number, cells, problem in rows:
        last = number - header_row
        if cells is None:
            yield RawRow(last, error=problem)
            continue
        cells = _trim(cells)
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        yield RawRow(last, cells)
    if reader.broken is not None:
        yield RawRow(last + 1, error=f"the rest of the sheet cannot be read ({reader.broken})")
