"""CSV exports as records systems and Excel write them.

Forces' exports come as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), Windows-1252 (Excel's
plain "CSV") or UTF-16 ("Unicode text"), separated by commas, semicolons (European locales),
tabs or pipes, with narratives in quoted multi-line cells.  The file is streamed: the encoding is
decided by a scan in fixed-size chunks and rows are parsed one at a time, so memory does not
grow with the export.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ppncheck.read.errors import ReadError
from ppncheck.read.tabular import EMPTY, RawRow, RowStream
from ppncheck.read.types import ReadNotices

DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 20
_SAMPLE = 1 << 16


def detect_encoding(path: Path, *, source: str, notices: ReadNotices) -> tuple[str, str]:
    """(encoding, errors) for ``open``: BOM first, then UTF-8 if every byte decodes, else cp1252.

    The whole file is scanned in chunks because a cp1252 byte may first appear deep inside
    (an officer's name with an accent in row 40,000) and rows already yielded cannot be undone.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        else:
            encoding = "utf-8"
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if encoding == "utf-16":
                raise ReadError(
                    f"{source}: not valid UTF-16 text despite its byte-order mark"
                ) from None
            notices.add(f"{source}: decoded as cp1252 because it is not valid UTF-8")
            return "cp1252", "replace"
    return encoding, "strict"


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
            rows = list(csv.reader(io.StringIO(lines, newline=""), delimiter=delimiter))[:50]
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


def read_csv_rows(
    path: Path, *, source: str, notices: ReadNotices
) -> tuple[list[str] | None, RowStream]:
    """The header (None for an empty file) and an iterator over the data rows."""
    encoding, errors = detect_encoding(path, source=source, notices=notices)
    fh = path.open(encoding=encoding, errors=errors, newline="")
    try:
        sample = fh.read(_SAMPLE)
        if not sample.strip():
            fh.close()
            notices.add(f"{source}: the file is empty")
            return None, EMPTY
        fh.seek(0)
        reader = csv.reader(fh, delimiter=sniff_delimiter(sample))
        header = next(reader, None)
    except BaseException:
        fh.close()
        raise
    if header is None:
        fh.close()
        return None, EMPTY
    return header, RowStream(_rows(reader), fh.close)


def _rows(reader: Iterator[list[str]]) -> Iterator[RawRow]:
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # csv's messages describe the shape ("field larger than field limit"), not text
            yield RawRow(number, error=f"row is not valid CSV ({exc})")
            continue
        yield RawRow(number, cells)
