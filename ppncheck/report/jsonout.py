"""One JSON document: ``{"reports": [...], "summary": {...}}``, written as it streams.

The reports array is written record by record so that a 100k-row export never sits in
memory; the summary (counts only) closes the document.
"""

from __future__ import annotations

import json
from typing import TextIO

from ppncheck.findings import Report
from ppncheck.read.types import InputItem
from ppncheck.report.base import report_dict
from ppncheck.report.summary import Summary


class JsonWriter:
    def __init__(self, stream: TextIO, *, show_text: bool = False) -> None:
        self._stream = stream
        self._show_text = show_text
        self._first = True
        self._stream.write('{"reports": [')

    def write(self, item: InputItem, report: Report) -> None:
        text = json.dumps(report_dict(item, report, show_text=self._show_text), ensure_ascii=False)
        self._stream.write(("\n  " if self._first else ",\n  ") + text)
        self._first = False

    def close(self, summary: Summary) -> None:
        tail = json.dumps(summary.to_dict(), ensure_ascii=False)
        self._stream.write(("" if self._first else "\n") + '],\n"summary": ' + tail + "}\n")
        self._stream.flush()
