"""What a reader yields: one item per input record, readable or not.

Readers never raise on a bad row: they yield an item with ``error`` set (the reason, never the
row's text) so that every input record reaches the output, in input order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InputItem:
    # 1-based: data row of a CSV/XLSX (header excluded), line of a JSONL, index+1 in a JSON list
    row: int
    payload: Any = (
        None  # a dict (structured record) or a str (free-text note); None when error is set
    )
    error: str | None = None  # why the record could not be read (becomes a PPN000 finding)
    source: str = ""  # the input file's name, for reports


@dataclass
class ReadNotices:
    """Things a reader wants the user to know that are not per-row errors (e.g. cp1252 fallback)."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.messages.append(message)
