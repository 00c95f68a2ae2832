"""JSON (one record or a list of records), JSON lines, and plain-text notes.

A JSON file is parsed whole (use JSON lines for large exports: they are streamed line by line).
What cannot be read becomes an error item with a position, never the offending text.

Each record is bounded on its own, so that a hostile line costs that line only: nesting
deeper than ``MAX_DEPTH``, an integer longer than ``MAX_DIGITS`` digits (Python refuses to
convert past 4,300 and the conversion is quadratic before that), ``NaN``/``Infinity`` (not
JSON) and a ``\\ud800``-style escape that is half of a character (it cannot be written out as
UTF-8) each make that record a PPN000 item.  A JSON line longer than ``MAX_LINE_BYTES`` is one
too, and is never held whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ppncheck.read.types import InputItem, ReadNotices

NOT_OBJECT = "item is neither a JSON object (a record) nor a string (a free-text note)"
MAX_DEPTH = 100  # the record format is six levels deep
MAX_DIGITS = 100
MAX_LINE_BYTES = 10_000_000

TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
TOO_MANY_DIGITS = f"a number has more than {MAX_DIGITS} digits"
NOT_A_NUMBER = "NaN and Infinity are not valid JSON"
HALF_CHARACTER = "a \\u escape in it is an unpaired surrogate, half of a character"
LINE_TOO_LONG = f"line is longer than the {MAX_LINE_BYTES:,}-byte limit"

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONG_NUMBER = re.compile(rf"\d{{{MAX_DIGITS + 1}}}")


class _Refused:
    """Stands in for a value the parser was told to refuse; the record then becomes PPN000."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


_BIG = _Refused(TOO_MANY_DIGITS)
_NAN = _Refused(NOT_A_NUMBER)


def _parse_int(digits: str) -> Any:
    if len(digits) > MAX_DIGITS + 1:  # a sign may lead
        return _BIG
    return int(digits)


_DECODER = json.JSONDecoder(parse_int=_parse_int, parse_constant=lambda _name: _NAN)


def loads(text: str) -> Any:
    """``json.loads`` with the bounds above: refused numbers come back as placeholders for
    ``problem`` to find.  Raises ``ValueError`` (a ``json.JSONDecodeError`` when the text is
    not JSON, with its position) or ``RecursionError`` (nested far too deeply)."""
    return _DECODER.decode(text)


def needs_inspection(text: str) -> bool:
    """Whether ``problem`` can find anything in a value parsed from ``text`` (cheap: most
    records have no surrogate escape, few brackets and no refused number)."""
    return (
        text.count("[") + text.count("{") > MAX_DEPTH
        or _SURROGATE_ESCAPE.search(text) is not None
        or "NaN" in text
        or "Infinity" in text
        or _has_long_number(text)
    )


def _has_long_number(text: str) -> bool:
    return _LONG_NUMBER.search(text) is not None


def problem(value: Any) -> str | None:
    """Why a parsed value cannot be a record: too deep, a refused number or a half character.

    Walks the value without recursion, so depth itself cannot break the walk.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > MAX_DEPTH:
                return TOO_DEEP
            for key, child in node.items():
                if _half_character(key):
                    return HALF_CHARACTER
                stack.append((child, depth + 1))
        elif isinstance(node, list):
            if depth > MAX_DEPTH:
                return TOO_DEEP
            stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, _Refused):
            return node.reason
        elif isinstance(node, str) and _half_character(node):
            return HALF_CHARACTER
    return None


def _half_character(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_record_text(text: str, *, with_line: bool) -> tuple[Any, str | None]:
    """(value, None) or (None, why it cannot be read) for the text of one record."""
    try:
        value = loads(text)
    except json.JSONDecodeError as exc:
        return None, _bad_json(exc, with_line=with_line)
    except RecursionError:
        return None, TOO_DEEP
    except ValueError:  # e.g. an over-long float exponent; the message may quote the text
        return None, "not valid JSON"
    if needs_inspection(text):
        reason = problem(value)
        if reason is not None:
            return None, reason
    return value, None


def _item(row: int, value: Any, source: str) -> InputItem:
    # a record is an object; a string is a free-text note (record-format.md, section 1)
    if isinstance(value, (dict, str)):
        return InputItem(row, payload=value, source=source)
    return InputItem(row, error=NOT_OBJECT, source=source)


def _bad_json(exc: json.JSONDecodeError, *, with_line: bool) -> str:
    if with_line:
        return f"not valid JSON at line {exc.lineno} column {exc.colno}"
    return f"not valid JSON at column {exc.colno}"


def read_json(path: Path, *, source: str) -> Iterator[InputItem]:
    """One item for an object, one per element for a list; one error item if unparseable."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputItem(1, error=f"not UTF-8 text (byte {exc.start + 1})", source=source)
        return
    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        yield InputItem(1, error=_bad_json(exc, with_line=True), source=source)
        return
    except RecursionError:
        yield InputItem(1, error=TOO_DEEP, source=source)
        return
    except ValueError:
        yield InputItem(1, error="not valid JSON", source=source)
        return
    inspect = needs_inspection(text)
    elements = data if isinstance(data, list) else [data]
    for index, value in enumerate(elements):
        reason = problem(value) if inspect else None
        if reason is not None:
            yield InputItem(index + 1, error=reason, source=source)
        else:
            yield _item(index + 1, value, source)


def read_jsonl(path: Path, *, source: str) -> Iterator[InputItem]:
    """One item per non-blank line, numbered by line; a bad line does not stop the rest."""
    with path.open("rb") as fh:
        number = 0
        while line := fh.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                _skip_line(fh)
                yield InputItem(number, error=LINE_TOO_LONG, source=source)
                continue
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InputItem(
                    number, error=f"not UTF-8 text (byte {exc.start + 1})", source=source
                )
                continue
            value, reason = parse_record_text(text.rstrip(), with_line=False)
            if reason is not None:
                yield InputItem(number, error=reason, source=source)
                continue
            yield _item(number, value, source)


def _skip_line(fh: IO[bytes]) -> None:
    """Read past the rest of an over-long line without keeping it."""
    while piece := fh.readline(1 << 20):
        if piece.endswith(b"\n"):
            return


def read_text(path: Path, *, source: str, notices: ReadNotices) -> Iterator[InputItem]:
    """A ``.txt`` file is one free-text note; a Windows-1252 file is read and reported."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        notices.add(f"{source}: decoded as cp1252 because it is not valid UTF-8")
    if not text.strip():
        notices.add(f"{source}: the file is empty")
        return
    yield InputItem(1, payload=text, source=source)
