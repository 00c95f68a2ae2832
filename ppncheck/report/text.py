"""The terminal report: a rich table of findings, printed in blocks as records are checked.

Everything that comes from the input (ids, file names, quoted words, --show-text) goes through
``_safe``: a ppn_id holding an escape sequence must not reach the terminal raw.

A single rich ``Table`` would hold every row until the end; printing a table per block of
records keeps memory flat on a 100k-row export and shows results as they come.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ppncheck.findings import Report
from ppncheck.read.types import InputItem
from ppncheck.report.base import finding_text, printable
from ppncheck.report.summary import Summary

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan", "ok": "green"}


def _safe(text: str) -> str:
    """Text from the input, for the terminal: control characters (escape sequences) and bidi
    controls dropped, rich markup escaped."""
    return escape(printable(text))


class TextWriter:
    def __init__(
        self,
        stream: TextIO,
        *,
        show_text: bool = False,
        block: int = 40,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        self._console = Console(
            file=stream,
            no_color=color is False,
            force_terminal=color,
            width=width,
            highlight=False,
            soft_wrap=False,
        )
        self._show_text = show_text
        self._block = block
        self._rows: list[list[str]] = []
        self._records = 0

    def _new_table(self) -> Table:
        table = Table(show_lines=False, expand=False, header_style="bold")
        table.add_column("PPN")
        table.add_column("Row", justify="right")
        table.add_column("Severity")
        table.add_column("Rule")
        table.add_column("Field")
        table.add_column("Message", ratio=1)
        if self._show_text:
            table.add_column("Text")
        return table

    def write(self, item: InputItem, report: Report) -> None:
        ppn = _safe(report.ppn_id or (f"({item.source})" if item.source else "-"))
        row = str(report.row if report.row is not None else item.row)
        if not report.findings:
            self._add([ppn, row, "[green]ok[/]", "", "", "no findings", *self._blank()])
        for f in report.findings:
            sev = f"[{_STYLE[f.severity.value]}]{f.severity.value}[/]"
            message = _safe(f.message)
            if f.suggestion:
                message += f"\n[dim]Suggestion: {_safe(f.suggestion)}[/]"
            cells = [ppn, row, sev, f.rule_id, _safe(f.field or "(record)"), message]
            if self._show_text:
                cells.append(_safe(finding_text(item.payload, f) or ""))
            self._add(cells)
        self._records += 1
        if self._records % self._block == 0:
            self._flush()

    def _blank(self) -> list[str]:
        return [""] if self._show_text else []

    def _add(self, cells: list[str]) -> None:
        self._rows.append(cells)

    def _flush(self) -> None:
        if not self._rows:
            return
        table = self._new_table()
        for cells in self._rows:
            table.add_row(*cells)
        self._console.print(table)
        self._rows = []

    def close(self, summary: Summary) -> None:
        self._flush()
        for notice in summary.notices:
            self._console.print(f"[yellow]note:[/] {_safe(notice)}")
        self._console.print(escape(summary.line()))
        if summary.baseline is not None and summary.baseline.stale:
            self._console.print(
                "[yellow]stale baseline entries[/] (their notes were checked and no finding "
                "matches them any more; --write-baseline drops them):"
            )
            for entry in summary.baseline.stale:
                where = entry.field or "(record)"
                self._console.print(
                    f"  {_safe(entry.ppn_id)}  {entry.rule_id}  {_safe(where)}  {entry.digest}"
                )
        self._console.file.flush()
