"""JSON (one record or a list of records), JSON lines, and plain-text notes.

A JSON file is parsed whole (use JSON lines for large exports: they are streamed line by line).
What cannot be read becomes an error item with a position, never the offending text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ppncheck.read.types import InputItem, ReadNotices

NOT_OBJECT = "item is not a JSON object"


def _item(row: int, value: Any, source: str) -> InputItem:
    if isinstance(value, dict):
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
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputItem(1, error=_bad_json(exc, with_line=True), source=source)
        return
    if isinstance(data, list):
        for index, value in enumerate(data):
            yield _item(index + 1, value, source)
    else:
        yield _item(1, data, source)


def read_jsonl(path: Path, *, source: str) -> Iterator[InputItem]:
    """One item per non-blank line, numbered by line; a bad line does not stop the rest."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InputItem(number, error=f"not UTF-8 text (byte {exc.start + 1})",
                                source=source)
                continue
            try:
                value = json.loads(text.rstrip())
            except json.JSONDecodeError as exc:
                yield InputItem(number, error=_bad_json(exc, with_line=False), source=source)
                continue
            yield _item(number, value, source)


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
