"""CSV exports as records systems and Excel write them.

Forces' exports come as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), Windows-1252 (Excel's
plain "CSV") or UTF-16 ("Unicode text"), separated by commas, semicolons (European locales),
tabs or pipes, with narratives in quoted multi-line cells.

The unit of failure is the row, never the file:

* **Decoding is decided per physical line.**  A line is UTF-8 if it decodes as UTF-8, else
  Windows-1252 (reported once per file, naming the rows); a row that is neither is a PPN000
  item.  One stray byte in row 40,000 costs nothing, and a BOM still marks the header.
* **Structure problems stay in their row.**  ``csv.reader`` parses the lines one record at a
  time from a feed that remembers which lines the record took.  A record that comes out wrong
  (a quote never closed, so it swallowed the rows after it, even when a later stray quote
  closed it into a row of the right shape; longer than ``MAX_ROW_CHARS``; not CSV at all) is
  split where the next well-formed row starts, or skipped to its real end, and becomes one
  error item; the rows after it are read as if it were not there.
* **Bounded memory.**  A record may hold at most ``MAX_ROW_CHARS`` characters (the csv
  module's field limit is raised to match while a record is parsed, and put back after), a
  physical line is read in pieces of at most that size, and lines are decoded one at a time.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, NamedTuple

from ppncheck.read.errors import ReadError
from ppncheck.read.tabular import EMPTY, RawRow, RowStream
from ppncheck.read.types import ReadNotices

DELIMITERS = (",", ";", "\t", "|")
# The most characters one record (all its cells) may hold; a longer one is a PPN000 item.  The
# text checks read at most 100,000 characters of a field, so this is far above any real row.
MAX_ROW_CHARS = 10_000_000
_CHUNK = 1 << 20
_FIELD_LIMIT = MAX_ROW_CHARS + 1
_SAMPLE = 1 << 16
# A row that swallowed the rows after it (an unclosed quote) is split where a well-formed row
# starts; these bound that search so that a hostile file cannot make it quadratic.
_SPLIT_CANDIDATES = 1_000
_SPLIT_CHARS = 1 << 20
_SPLIT_DEPTH = 8  # broken rows in a row that can still be told apart
_SPLIT_BUDGET = 5_000  # record parses spent on one broken record
# Handed to csv.reader after the last line: inside a quoted cell it ends up in the cell (the
# quote was never closed), otherwise it is a record of its own (the end).
_EOF = "\ue000ppncheck-end-of-file\ue000"
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_MARK = "ppncheck-undecodable"  # codec error handler: an undecodable unit becomes "\udcff"

UNCLOSED = 'a quoted cell is not closed (an unmatched ") and ran into the rows after it'
UNCLOSED_AT_END = 'a quoted cell is not closed (an unmatched ") before the end of the file'
TOO_LONG = f"row is longer than the {MAX_ROW_CHARS:,}-character limit"
NOT_TEXT = "row is not valid UTF-8 or Windows-1252 text"
NOT_UTF16 = "row is not valid UTF-16 text"


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "\udcff", exc.end  # a lone surrogate: valid UTF-16 never decodes to one


codecs.register_error(_MARK, _mark_undecodable)


class _Line(NamedTuple):
    """One physical line (terminator kept) or, for an over-long line, one piece of it."""

    text: str
    cp1252: bool = False  # not UTF-8, decoded as Windows-1252
    bad: bool = False  # not decodable at all (shown with replacement characters)
    cut: bool = False  # a piece of a line longer than MAX_ROW_CHARS: more of it follows


def _byte_chunks(fh: IO[bytes]) -> tuple[Iterator[bytes], bool]:
    """The file's bytes as UTF-8 (UTF-16 is transcoded) and whether it was UTF-16."""
    head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16_as_utf8(head, fh), True
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]

    def chunks() -> Iterator[bytes]:
        if head:
            yield head
        while chunk := fh.read(_CHUNK):
            yield chunk

    return chunks(), False


def _utf16_as_utf8(head: bytes, fh: IO[bytes]) -> Iterator[bytes]:
    """UTF-16 transcoded to UTF-8; an undecodable unit becomes a lone surrogate, which the
    per-line UTF-8 decode then refuses, so only its row is lost."""
    decoder = codecs.getincrementaldecoder("utf-16")(errors=_MARK)
    chunk = head
    while chunk:
        yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
        chunk = fh.read(_CHUNK)
    yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


def _byte_lines(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Physical lines split at CRLF, CR or LF (kept), as ``io`` does with ``newline=""``.

    A line longer than MAX_ROW_CHARS bytes comes in pieces flagged ``True`` (more follows),
    so no single line is held whole.
    """
    rest = b""
    for chunk in chunks:
        if not chunk:
            continue
        lines = (rest + chunk).splitlines(keepends=True)
        rest = lines.pop()
        if rest.endswith(b"\n"):
            lines.append(rest)
            rest = b""
        yield from ((line, False) for line in lines)
        # a final CR may be the first half of a CRLF in the next chunk; anything else is the
        # start of a line still being read
        while len(rest) > MAX_ROW_CHARS:
            yield rest[:MAX_ROW_CHARS], True
            rest = rest[MAX_ROW_CHARS:]
    if rest:
        yield rest, False


def _decode(raw: bytes, cut: bool, utf16: bool) -> _Line:
    try:
        return _Line(raw.decode("utf-8"), cut=cut)
    except UnicodeDecodeError:
        pass
    if utf16 or cut:  # a cut piece may split a character: the row is too long anyway
        return _Line(raw.decode("utf-8", "replace"), bad=not cut, cut=cut)
    try:
        return _Line(raw.decode("cp1252"), cp1252=True)
    except UnicodeDecodeError:  # cp1252 leaves five bytes undefined
        return _Line(raw.decode("cp1252", "replace"), bad=True)


class _TooLong(Exception):
    """Raised through csv.reader by the feed when a record passes MAX_ROW_CHARS."""


class _Feed:
    """The lines csv.reader parses: lines put back first, then the file's, then ``_EOF``.

    ``taken`` holds the lines the current record has used, so that a broken record can be
    split or skipped, and its lines (or the ones after the split) put back.
    """

    def __init__(self, lines: Iterator[_Line]) -> None:
        self._source = lines
        self._back: deque[_Line] = deque()
        self._eof_given = False
        self.taken: list[_Line] = []
        self._chars = 0
        self.cp1252 = False  # a line of the current record was decoded as Windows-1252
        self.bad = False  # a line of the current record could not be decoded

    def start_record(self) -> None:
        self.taken = []
        self._chars = 0
        self.cp1252 = self.bad = False

    def pull(self) -> _Line | None:
        """The next line, outside any record (None at the end of the file)."""
        if self._back:
            return self._back.popleft()
        return next(self._source, None)

    def put_back(self, lines: list[_Line]) -> None:
        self._back.extendleft(reversed(lines))
        if lines:
            self._eof_given = False

    def ahead(self) -> Iterator[_Line]:
        """The lines after the current record, read ahead without consuming them."""
        yield from list(self._back)
        while (line := next(self._source, None)) is not None:
            self._back.append(line)
            yield line

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self.pull()
        if line is None:
            if self._eof_given:
                raise StopIteration
            self._eof_given = True
            return _EOF
        self.taken.append(line)
        self._chars += len(line.text)
        if line.cut or self._chars > MAX_ROW_CHARS:
            raise _TooLong
        if line.cp1252:
            self.cp1252 = True
        elif line.bad:
            self.bad = True
        return line.text


class _Lookahead:
    """The broken record's lines, then the lines after it (read ahead, put back), by index."""

    def __init__(self, taken: list[_Line], feed: _Feed) -> None:
        self._taken = taken
        self._ahead = feed.ahead()
        self._more: list[_Line] = []

    def at(self, index: int) -> _Line | None:
        if index < len(self._taken):
            return self._taken[index]
        index -= len(self._taken)
        while len(self._more) <= index:
            line = next(self._ahead, None)
            if line is None:
                return None
            self._more.append(line)
        return self._more[index]


def _parse_one(reader: Iterator[list[str]]) -> list[str]:
    """``next(reader)`` with the csv module's field limit (process-wide) raised to
    MAX_ROW_CHARS for the call and put back after it, so the caller's own csv use is as
    before."""
    old = csv.field_size_limit(_FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(old)


class _EndState:
    """Where csv.reader would end a record, found by scanning lines (used only to skip a
    broken record whose text csv.reader cannot give back)."""

    def __init__(self, delimiter: str) -> None:
        self._delimiter = delimiter
        self._stop = re.compile(f"[{re.escape(delimiter)}\r\n]")
        self._state = "start"  # start of a field, "plain", "quoted" or "quote" (just closed)

    def ends_record(self, line: _Line) -> bool:
        text, i, n = line.text, 0, len(line.text)
        while i < n:
            if self._state == "quoted":
                j = text.find('"', i)
                if j < 0:
                    return False
                self._state, i = "quote", j + 1
                continue
            if self._state == "quote":
                if text[i] == '"':  # a doubled quote inside the quoted cell
                    self._state, i = "quoted", i + 1
                    continue
                self._state = "plain"
            if self._state == "start" and text[i] == '"':
                self._state, i = "quoted", i + 1
                continue
            m = self._stop.search(text, i)
            if m is None:
                self._state = "plain"
                break
            if m.group() == self._delimiter:
                self._state, i = "start", m.end()
                continue
            self._state = "start"
            return True
        # a line without a terminator ends the record unless more of it follows
        return not line.cut and self._state != "quoted" and not text.endswith(("\r", "\n"))


def _shape(cell: str) -> str:
    """A cell's shape: letters become ``a``, digit runs ``9``, quotes and edge spaces go."""
    return _DIGITS.sub("9", _LETTERS.sub("a", cell.replace('"', "").strip()))


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first rows into the same, widest shape.

    csv.Sniffer is easily fooled by commas inside narratives; parsing the sample with each
    candidate and preferring consistent row widths is not.
    """
    lines = sample
    if len(sample) >= _SAMPLE:  # the last row may be cut off
        cut = max(sample.rfind("\n"), 0)
        lines = sample[:cut]
    best = ","
    best_score = (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines.splitlines(keepends=True), delimiter=delimiter))[:50]
        except csv.Error:
            continue
        rows = [r for r in rows if r]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(r) == width for r in rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Records:
    """Records of one CSV file as RawRows, numbered in data rows (header excluded)."""

    def __init__(self, feed: _Feed, delimiter: str, *, utf16: bool) -> None:
        self._feed = feed
        self._delimiter = delimiter
        self._reader = csv.reader(feed, delimiter=delimiter)
        self._utf16 = utf16
        self.cp1252_rows: list[int] = []

    def header(self, source: str) -> list[str] | None:
        cells, problem = self._next()
        if cells is None and problem is None:
            return None
        if problem is not None or self._feed.bad:
            reason = problem or (NOT_UTF16 if self._utf16 else NOT_TEXT)
            raise ReadError(f"{source}: the header row cannot be read ({reason})")
        if self._feed.cp1252:
            self.cp1252_rows.append(0)
        return cells

    def rows(self, width: int) -> Iterator[RawRow]:
        number = 0
        while True:
            cells, problem = self._next()
            if cells is None and problem is None:
                return
            number += 1
            taken = self._feed.taken
            # A quote left open is certain when the record ran to the end of the file inside
            # it, grew past the limit, broke csv.reader, or closed with text after the closing
            # quote (it closed where a later cell's quote opened); a multi-line record of the
            # wrong shape that is otherwise valid CSV may just be a ragged row.
            certain = problem is not None
            if problem is None and len(taken) > 1:
                certain = not self._strict([t.text for t in taken])
                if certain or len(cells or ()) != width or self._paired(taken, width):
                    problem = UNCLOSED
            if problem is not None:
                split = self._split_at(
                    taken, width, any_row=certain, like=self._anchor(taken, width)
                )
                if split is not None:
                    self._feed.put_back(taken[split:])
                    yield RawRow(number, error=UNCLOSED)
                    continue
                if cells is None:  # csv.reader gave up inside the record: skip to its end
                    self._skip_rest(taken)
                    yield RawRow(number, error=problem)
                    continue
                if problem != UNCLOSED:
                    yield RawRow(number, error=problem)
                    continue
                # a multi-line row of the wrong shape: the cell count says what is wrong
            if self._feed.bad:
                yield RawRow(number, error=NOT_UTF16 if self._utf16 else NOT_TEXT)
                continue
            if self._feed.cp1252:
                self.cp1252_rows.append(number)
            yield RawRow(number, cells)

    def _next(self) -> tuple[list[str] | None, str | None]:
        """The next record's cells and what is wrong with it; (None, None) at the end."""
        self._feed.start_record()
        try:
            cells = _parse_one(self._reader)
        except StopIteration:
            return None, None
        except _TooLong:
            return None, TOO_LONG
        except csv.Error as exc:  # csv's messages describe the shape, never the text
            return None, f"row is not valid CSV ({exc})"
        if cells == [_EOF] and not self._feed.taken:
            return None, None
        if cells and cells[-1].endswith(_EOF):
            cells[-1] = cells[-1][: -len(_EOF)]
            return cells, UNCLOSED_AT_END
        return cells, None

    def _split_at(
        self, taken: list[_Line], width: int, *, any_row: bool, like: str | None
    ) -> int | None:
        """The first line after the record's first at which a row starts.

        A quote that is never closed makes csv.reader swallow the rows after it; the row it
        belongs to ends where the next row begins.  A row starts at a line when the record
        read from there is well-formed, or is itself a swallowing record that splits (several
        broken rows in a row), or, when the open quote is certain (``any_row``), is any whole
        line (a ragged row after the broken one), or is a whole line whose first cell has the
        shape ``like`` (the broken row's own first cell, see ``_anchor``).  A multi-line row
        that is merely ragged has no such line, so it stays one row.
        """
        lines = _Lookahead(taken, self._feed)
        budget = [_SPLIT_BUDGET]
        for k in range(1, min(len(taken), _SPLIT_CANDIDATES + 1)):
            if self._row_starts(lines, k, width, 0, budget, any_row=any_row, like=like):
                return k
        return None

    def _row_starts(
        self,
        lines: _Lookahead,
        start: int,
        width: int,
        depth: int,
        budget: list[int],
        *,
        any_row: bool = False,
        like: str | None = None,
    ) -> bool:
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        used: list[str] = []

        def texts() -> Iterator[str]:
            chars = 0
            while (line := lines.at(start + len(used))) is not None:
                used.append(line.text)
                chars += len(line.text)
                if chars > _SPLIT_CHARS or line.cut:
                    raise _TooLong
                yield line.text
            yield _EOF

        reader = csv.reader(texts(), delimiter=self._delimiter)
        try:
            cells = _parse_one(reader)
        except (StopIteration, _TooLong, csv.Error):
            return False
        open_at_end = bool(cells) and cells[-1].endswith(_EOF)  # a quote open to the end
        if open_at_end:
            cells[-1] = cells[-1][: -len(_EOF)]
        elif width > 0 and len(cells) == width and (len(used) == 1 or self._strict(used)):
            return True
        whole_line = len(used) == 1 and any(c.strip() for c in cells)
        if whole_line and (any_row or (like is not None and _shape(cells[0]) == like)):
            return True
        if depth >= _SPLIT_DEPTH or len(used) < 2:
            return False
        return any(
            self._row_starts(lines, start + j, width, depth + 1, budget, any_row=any_row, like=like)
            for j in range(1, min(len(used), _SPLIT_CANDIDATES))
        )

    def _paired(self, taken: list[_Line], width: int) -> bool:
        """Whether a multi-line record of the right shape, valid even to ``_strict``, is a
        stray quote paired with a later one: an unclosed quote at a cell's start, closed by an
        unescaped quote just before a delimiter in a later row (``5",``), reads as one row of
        the right width and hides the rows between.

        It is, when the first line is a whole row by itself (``_anchor``) and the next line
        starts a row whose first cell has the same shape (``P2``/``P3``,
        ``PPN-261120-00099``/``-00100``).  A narrative that merely has the right number of
        delimiters on its lines fails the last test: its second line starts with prose.
        """
        like = self._anchor(taken, width)
        if like is None:
            return False
        second = self._cells(taken[1].text)
        if not second or _shape(second[0]) != like:
            return False
        lines = _Lookahead(taken, self._feed)
        return self._row_starts(lines, 1, width, 0, [_SPLIT_BUDGET], like=like)

    def _anchor(self, taken: list[_Line], width: int) -> str | None:
        """The shape of a broken record's first cell, when its first line is a whole row with
        the stray quote read as a character (None otherwise): a later line whose first cell
        has this shape starts a row of the same export (ids like ``P2``/``P3``)."""
        first = self._cells(taken[0].text, literal_quotes=True)
        return _shape(first[0]) if len(first) == width and first[0].strip() else None

    def _cells(self, text: str, *, literal_quotes: bool = False) -> list[str]:
        """One line's cells, read on its own (a quote left open ends with the line)."""
        if literal_quotes:
            reader = csv.reader([text], delimiter=self._delimiter, quoting=csv.QUOTE_NONE)
        else:
            reader = csv.reader([text], delimiter=self._delimiter)
        try:
            return _parse_one(reader)
        except (StopIteration, csv.Error):
            return []

    def _strict(self, texts: list[str]) -> bool:
        """Whether one record's lines are CSV as a writer makes it: nothing but a delimiter,
        a line end or a doubled quote after a closing quote.  csv.reader reads the rest
        leniently, which is what lets a quote that was never closed pair up with the opening
        quote of a later row's cell and hide the rows between."""
        try:
            _parse_one(csv.reader(texts, delimiter=self._delimiter, strict=True))
        except csv.Error:
            return False
        except StopIteration:
            return True
        return True

    def _skip_rest(self, taken: list[_Line]) -> None:
        """Read on, without keeping anything, to where the broken record really ends."""
        scan = _EndState(self._delimiter)
        ended = False
        for line in taken:
            ended = scan.ends_record(line)
        while not ended and (more := self._feed.pull()) is not None:
            ended = scan.ends_record(more)


def read_csv_rows(
    path: Path, *, source: str, notices: ReadNotices
) -> tuple[list[str] | None, RowStream]:
    """The header (None for an empty file) and an iterator over the data rows."""
    fh = path.open("rb")
    try:
        chunks, utf16 = _byte_chunks(fh)
        lines = (_decode(raw, cut, utf16) for raw, cut in _byte_lines(chunks))
        feed = _Feed(lines)
        sample = ""
        for line in feed.ahead():
            sample += line.text
            if len(sample) >= _SAMPLE:
                break
        if not sample.strip():
            fh.close()
            notices.add(f"{source}: the file is empty")
            return None, EMPTY
        records = _Records(feed, sniff_delimiter(sample[:_SAMPLE]), utf16=utf16)
        header = records.header(source)
    except BaseException:
        fh.close()
        raise
    if header is None:
        fh.close()
        return None, EMPTY
    return header, RowStream(_rows(records, len(header), source, notices), fh.close)


def _rows(records: _Records, width: int, source: str, notices: ReadNotices) -> Iterator[RawRow]:
    yield from records.rows(width)
    if records.cp1252_rows:
        notices.add(_cp1252_notice(source, records.cp1252_rows))


def _cp1252_notice(source: str, rows: list[int]) -> str:
    """Which rows were read as Windows-1252, by number only (never their text)."""
    named = ["the header" if r == 0 else f"row {r}" for r in rows[:10]]
    more = f" and {len(rows) - 10:,} more" if len(rows) > 10 else ""
    return (
        f"{source}: decoded as cp1252 (Windows-1252) because not valid UTF-8: "
        f"{', '.join(named)}{more}"
    )
