"""Records handed to the Python API as Python objects, made into what JSON could hold.

``check()`` takes a dict straight from a caller, who may put a ``datetime`` where the record
format says ISO 8601 text, a set of referrals, a ``bytes`` narrative or a non-string key.  The
schema validator refuses such values with a ValueError, and a lone surrogate in a string
breaks every later step that encodes text, so the record is cleaned first:

* dates and date-times become ISO 8601 text, sets and tuples become lists (a set sorted, so
  that field paths such as ``referrals[0]`` do not change between runs);
* a lone surrogate (half a character) becomes U+FFFD;
* anything else (bytes, Decimal, objects) and any non-string key is a problem reported as
  PPN002 on its path; the value is dropped so that the rest of the record is still checked.

The walk that decides whether cleaning is needed does not recurse, so junk nested thousands of
levels deep costs a loop, not a RecursionError.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from ppncheck.shape import format_path

_JSON_SCALARS = (str, int, float, bool, type(None))
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_DEPTH = 200  # deeper than this is junk; cleaning keeps it as None


def needs_cleaning(value: Any) -> bool:
    """Whether ``value`` holds anything JSON could not (checked without recursion)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if not node.isascii() and _SURROGATE.search(node):
                return True
        elif isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str) or (not key.isascii() and _SURROGATE.search(key)):
                    return True
                stack.append(child)
        elif isinstance(node, list):
            stack.extend(node)
        elif not isinstance(node, _JSON_SCALARS):
            return True
    return False


def clean_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def clean(value: Any) -> tuple[Any, list[tuple[str | None, str]]]:
    """A JSON-shaped copy of ``value`` and the problems found: (field path or None, what)."""
    problems: list[tuple[str | None, str]] = []
    return _clean(value, [], problems), problems


def _clean(value: Any, path: list[str | int], problems: list[tuple[str | None, str]]) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, _JSON_SCALARS):
        return value
    if len(path) > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            if not isinstance(key, str):
                where = format_path(path) or None
                problems.append((where, f"one of its keys is a Python {_kind(key)}, not text"))
                continue
            key = clean_text(key)
            out[key] = _clean(child, [*path, key], problems)
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        items = value
        if isinstance(value, (set, frozenset)):
            items = sorted(value, key=lambda x: (type(x).__name__, str(x)))
        return [_clean(child, [*path, i], problems) for i, child in enumerate(items)]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    problems.append(
        (format_path(path) or None, f"it holds a Python {_kind(value)} value, not JSON data")
    )
    return None


def _kind(value: Any) -> str:
    return type(value).__name__
