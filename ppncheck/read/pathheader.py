"""Rows whose header cells already are record paths need no mapping file.

``ppn_id, persons[0].sde_code, persons[0].roles, voice_of_child[0].aware.words`` is record v1
flattened: each cell goes to its path, list cells split on ``;``, an empty cell is an absent
value, and types (list, boolean, integer, date) come from the record schema.
"""

from __future__ import annotations

from ppncheck.read.convert import CellRule
from ppncheck.read.errors import MappingError
from ppncheck.read.mapping import BoundColumn, BoundMapping
from ppncheck.read.recordpaths import STRING, kind_of
from ppncheck.read.types import ReadNotices
from ppncheck.shape import Path, format_path, parse_path

LIST_SEPARATOR = ";"


def is_path_header(header: list[str]) -> bool:
    """The signal that a file is record v1 flattened: it has a ``ppn_id`` column."""
    return any(h.strip() == "ppn_id" for h in header)


def bind_path_header(
    header: list[str], *, source: str, notices: ReadNotices | None = None
) -> BoundMapping:
    """A BoundMapping whose columns are their own paths.

    Columns that are not paths are ignored and paths the schema does not know are kept as
    extra fields (the schema allows them); both are reported once as notices.  Two columns
    that claim the same place (``officer`` and ``officer.name``) are a MappingError.
    """
    bound: list[BoundColumn] = []
    shapes: dict[Path, str] = {}
    problems: list[str] = []
    for column in header:
        path = parse_path(column)
        if path is None:
            _notice(notices, f"{source}: column {column!r} is not a record path; ignored")
            continue
        kind = kind_of(path)
        if kind is None:
            _notice(notices, f"{source}: column {column!r} is not a record v1 field; kept as is")
            kind = STRING
        clash = _clash(shapes, path)
        if clash:
            problems.append(f"column {column!r} clashes with another column at {clash}")
            continue
        bound.append(BoundColumn(column, path, CellRule(kind, separator=LIST_SEPARATOR).compile()))
    if problems:
        raise MappingError(source, problems)
    return BoundMapping(bound, [])


def _clash(shapes: dict[Path, str], path: Path) -> str | None:
    """Record each prefix's shape (leaf, object, list); return a column that disagrees."""
    for i in range(1, len(path) + 1):
        prefix = path[:i]
        shape = "leaf" if i == len(path) else ("list" if isinstance(path[i], int) else "object")
        previous = shapes.get(prefix)
        if previous is not None and (previous != shape or shape == "leaf"):
            return format_path(prefix)
        shapes[prefix] = shape
    return None


def _notice(notices: ReadNotices | None, message: str) -> None:
    if notices is not None:
        notices.add(message)
