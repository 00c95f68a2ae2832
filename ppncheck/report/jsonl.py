"""JSON lines: one line per input record, in input order, flushed as it goes.

The default when stdout is not a terminal, so that a pipeline (``| jq``) sees each record as
soon as it is checked.  Note text appears only with ``--show-text``.
"""

from __future__ import annotations

import json
from typing import TextIO

from ppncheck.findings import Report
from ppncheck.read.types import InputItem
from ppncheck.report.base import report_dict
from ppncheck.report.summary import Summary


class JsonlWriter:
    def __init__(self, stream: TextIO, *, show_text: bool = False) -> None:
        self._stream = stream
        self._show_text = show_text

    def write(self, item: InputItem, report: Report) -> None:
        line = json.dumps(report_dict(item, report, show_text=self._show_text), ensure_ascii=False)
        self._stream.write(line + "\n")

    def close(self, summary: Summary) -> None:
        self._stream.flush()
