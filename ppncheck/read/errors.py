"""Errors that stop a whole file from being read (a bad row never raises: it becomes an item).

Messages name the file, columns and field paths, never a cell's text.
"""

from __future__ import annotations


class ReadError(Exception):
    """The file as a whole cannot be read: missing, unknown format, not a workbook."""


class MappingError(ReadError):
    """The column mapping does not fit the file's header; ``problems`` lists every one."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))
