"""A force's column mapping (TOML): load, validate, bind to a header, apply to rows.

Each force exports PPNs with its own column names, one column per child field repeated for
``Child 1``, ``Child 2`` ...  The mapping says once which column feeds which record v1 field,
how labels become enum values and how dates are written, so the checker itself only ever sees
record v1.  The file is validated on load (every problem at once); binding to a file's header
reports every mapped column the file lacks; applying to a row never raises on cell content.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path as FsPath
from typing import Any

from ppncheck.read.convert import DEFAULT_DATE_FORMATS, Cell, CellRule
from ppncheck.read.errors import MappingError
from ppncheck.read.guess import init_mapping
from ppncheck.read.recordpaths import finalise, kind_of, loose_key, set_path
from ppncheck.resources import DataFileError, load_toml_validated, validate_data
from ppncheck.shape import Path, format_path, parse_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "BoundMapping",
    "ColumnMapping",
    "build_mapping",
    "header_key",
    "init_mapping",
    "load_mapping",
    "parse_mapping",
]

SCHEMA_NAME = "mapping"
_PLACEHOLDER = re.compile(r"(\{n\}|\{field\})")
_GROUP_OWNED = ("persons", "voice_of_child")


def header_key(name: str) -> str:
    """Column names match ignoring case and runs of spaces: exports are not consistent."""
    return " ".join(name.split()).casefold()


def _loose(literal: str) -> str:
    """header_key for a piece of a pattern: its edge spaces matter."""
    return re.sub(r"\s+", " ", literal).casefold()


@dataclass(frozen=True)
class _FieldSpec:
    path: Path
    column: str
    rule: CellRule


@dataclass(frozen=True)
class _GroupSpec:
    pattern: str
    count: int | None
    person_id: str
    roles: tuple[str, ...]
    person: tuple[_FieldSpec, ...]
    voice: tuple[_FieldSpec, ...]

    def column(self, n: int, part: str) -> str:
        return self.pattern.replace("{n}", str(n)).replace("{field}", part)

    def numbers(self, header: Mapping[str, str]) -> list[int]:
        """The ``{n}`` values present in the header (just ``[1]`` for a pattern without n)."""
        if "{n}" not in self.pattern:
            return [1]
        regex = "".join(
            r"(\d+)" if p == "{n}" else ".+?" if p == "{field}" else re.escape(_loose(p))
            for p in _PLACEHOLDER.split(self.pattern)
            if p
        )
        compiled = re.compile(f"^{regex}$")
        found = set()
        for key in header:
            m = compiled.match(key)
            if m:
                found.add(int(m.group(1)))
        return sorted(n for n in found if self.count is None or n <= self.count)


@dataclass(frozen=True)
class BoundColumn:
    column: str
    path: Path
    convert: Cell


@dataclass(frozen=True)
class _BoundGroup:
    person_id: str
    roles: tuple[str, ...]
    person: tuple[BoundColumn, ...]
    voice: tuple[BoundColumn, ...]


class BoundMapping:
    """A mapping fitted to one header: applying it to a row is a tight loop, no lookups."""

    def __init__(self, scalars: list[BoundColumn], groups: list[_BoundGroup]) -> None:
        self._scalars = scalars
        self._groups = groups
        paths = [b.path for b in scalars]
        paths += [b.path for g in groups for b in (*g.person, *g.voice)]
        # lists under construction need finalising only when some path has an index
        self._indexed = any(isinstance(p, int) for path in paths for p in path)

    def apply(self, row: Mapping[str, str]) -> dict[str, Any]:
        """Row (column -> cell text) to record v1.  Empty cells are absent values."""
        record: dict[str, Any] = {}
        _fill(record, self._scalars, row)
        persons: list[dict[str, Any]] = []
        voices: list[dict[str, Any]] = []
        for g in self._groups:
            person: dict[str, Any] = {"person_id": g.person_id}
            filled = _fill(person, g.person, row)
            voice: dict[str, Any] = {"child_person_id": g.person_id}
            spoke = _fill(voice, g.voice, row)
            if not (filled or spoke):
                continue  # an empty group (every cell blank) is no person
            if "roles" not in person:
                person["roles"] = list(g.roles)
            persons.append(person)
            if spoke:
                voices.append(voice)
        if persons:
            record["persons"] = persons
        if voices:
            record["voice_of_child"] = voices
        return finalise(record) if self._indexed else record


def _fill(target: dict[str, Any], bound: Sequence[BoundColumn], row: Mapping[str, str]) -> bool:
    filled = False
    for b in bound:
        cell = row.get(b.column, "").strip()
        if cell:
            set_path(target, b.path, b.convert(cell))
            filled = True
    return filled


@dataclass(frozen=True)
class ColumnMapping:
    """A validated mapping file, not yet tied to a header."""

    source: str
    fields: tuple[_FieldSpec, ...]
    groups: tuple[_GroupSpec, ...]

    def columns(self) -> list[str]:
        """The scalar columns the mapping names (group columns depend on the header)."""
        return [f.column for f in self.fields]

    def bind(self, header: list[str], *, source: str = "") -> BoundMapping:
        """Fit to a header; raises MappingError naming every mapped column that is absent."""
        by_key = {header_key(h): h for h in header}
        problems: list[str] = []
        scalars: list[BoundColumn] = []
        for spec in self.fields:
            actual = by_key.get(header_key(spec.column))
            if actual is None:
                target = format_path(spec.path)
                problems.append(f"column {spec.column!r} (mapped to {target}) is not in the header")
                continue
            scalars.append(BoundColumn(actual, spec.path, spec.rule.compile()))
        groups: list[_BoundGroup] = []
        for g in self.groups:
            numbers = g.numbers(by_key)
            if not numbers:
                problems.append(f"no column in the header matches the group pattern {g.pattern!r}")
                continue
            seen_parts: set[str] = set()
            for n in numbers:
                bound: dict[str, list[BoundColumn]] = {"person": [], "voice": []}
                for side, specs in (("person", g.person), ("voice", g.voice)):
                    for spec in specs:
                        actual = by_key.get(header_key(g.column(n, spec.column)))
                        if actual is not None:
                            seen_parts.add(spec.column)
                            bound[side].append(BoundColumn(actual, spec.path, spec.rule.compile()))
                groups.append(
                    _BoundGroup(
                        g.person_id.replace("{n}", str(n)),
                        g.roles,
                        tuple(bound["person"]),
                        tuple(bound["voice"]),
                    )
                )
            for spec in (*g.person, *g.voice):
                if spec.column not in seen_parts:
                    example = g.column(numbers[0], spec.column)
                    problems.append(
                        f"column {example!r} (group {g.pattern!r}, mapped to "
                        f"{format_path(spec.path)}) is not in the header"
                    )
        if problems:
            raise MappingError(source or self.source, problems)
        return BoundMapping(scalars, groups)


def load_mapping(path: FsPath) -> ColumnMapping:
    """Read and validate a mapping file; DataFileError lists every problem."""
    data = load_toml_validated(path, SCHEMA_NAME)
    return build_mapping(data, source=str(path))


def parse_mapping(text: str, *, source: str = "<mapping>") -> ColumnMapping:
    """Like load_mapping, from TOML text (what init-mapping writes)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(source, [f"not valid TOML: {exc}"]) from None
    validate_data(data, SCHEMA_NAME, source=source)
    return build_mapping(data, source=source)


def build_mapping(data: dict[str, Any], *, source: str) -> ColumnMapping:
    """Check what the JSON Schema cannot (record paths, named value maps) and compile."""
    problems: list[str] = []
    options = data.get("options", {})
    separator = options.get("list_separator", ";")
    formats = tuple(options.get("date_formats", DEFAULT_DATE_FORMATS))
    for fmt in formats:
        if not _format_ok(fmt):
            problems.append(f"options.date_formats: {fmt!r} is not a valid date format")
    named: dict[str, dict[str, Any]] = {
        name: {loose_key(k): v for k, v in table.items()}
        for name, table in data.get("values", {}).items()
    }
    ctx = _Ctx(problems, named, separator, formats)

    fields = []
    for target, spec in data.get("fields", {}).items():
        where = f"fields.{target}"
        path = parse_path(target)
        if path and path[0] in _GROUP_OWNED:
            problems.append(f"{where}: {path[0]} are made by [[groups]], not by [fields]")
            continue
        made = ctx.field(where, path, (), spec)
        if made:
            fields.append(made)

    groups = []
    ids: set[str] = set()
    for i, g in enumerate(data.get("groups", [])):
        where = f"groups[{i}]"
        pattern = g["pattern"]
        has_n = "{n}" in pattern
        person_id = g.get("person_id") or _default_person_id(pattern)
        if has_n and "{n}" not in person_id:
            problems.append(f"{where}.person_id: must contain {{n}} when the pattern does")
        if person_id in ids:
            problems.append(f"{where}.person_id: {person_id!r} is used by another group")
        ids.add(person_id)
        roles_kind = kind_of(("persons", 0, "roles"))
        allowed = roles_kind.item.enum_lookup() if roles_kind and roles_kind.item else {}
        roles = []
        for role in g.get("roles", ["other"]):
            if loose_key(role) not in allowed:
                problems.append(f"{where}.roles: {role!r} is not a person role")
            else:
                roles.append(str(allowed[loose_key(role)]))
        person = [
            ctx.field(f"{where}.person.{k}", parse_path(k), ("persons", 0), v)
            for k, v in g["person"].items()
        ]
        voice = []
        for k, v in g.get("voice_of_child", {}).items():
            if k == "child_person_id":
                problems.append(f"{where}.voice_of_child.{k}: set from the group's person_id")
                continue
            voice.append(
                ctx.field(f"{where}.voice_of_child.{k}", parse_path(k), ("voice_of_child", 0), v)
            )
        if any(s and s.path == ("person_id",) for s in person):
            problems.append(f"{where}.person.person_id: set from the group's person_id")
        groups.append(
            _GroupSpec(
                pattern,
                g.get("count"),
                person_id,
                tuple(roles),
                tuple(s for s in person if s),
                tuple(s for s in voice if s),
            )
        )
    if problems:
        raise DataFileError(source, problems)
    return ColumnMapping(source, tuple(fields), tuple(groups))


@dataclass
class _Ctx:
    problems: list[str]
    named: dict[str, dict[str, Any]]
    separator: str
    formats: tuple[str, ...]

    def field(self, where: str, path: Path | None, prefix: Path, spec: Any) -> _FieldSpec | None:
        """One ``path = column`` entry, checked against the record schema."""
        if path is None:
            self.problems.append(f"{where}: not a record field path")
            return None
        kind = kind_of(prefix + path)
        if kind is None or "object" in kind.types:
            self.problems.append(f"{where}: not a record v1 field")
            return None
        if isinstance(spec, str):
            spec = {"column": spec}
        values: dict[str, Any] = {}
        ref = spec.get("values")
        if isinstance(ref, str):
            if ref not in self.named:
                self.problems.append(f"{where}.values: no value map [values.{ref}]")
            values = self.named.get(ref, {})
        elif isinstance(ref, dict):
            values = {loose_key(k): v for k, v in ref.items()}
        fmt = spec.get("format")
        formats = self.formats
        if fmt is not None:
            formats = (fmt,) if isinstance(fmt, str) else tuple(fmt)
            leaf = kind.item if kind.is_list and kind.item else kind
            if leaf.format not in ("date", "date-time"):
                self.problems.append(f"{where}.format: the field is not a date")
            for f in formats:
                if not _format_ok(f):
                    self.problems.append(f"{where}.format: {f!r} is not a valid date format")
        if "separator" in spec and not kind.is_list:
            self.problems.append(f"{where}.separator: the field is not a list")
        rule = CellRule(kind, values, spec.get("separator", self.separator), formats)
        return _FieldSpec(path, spec["column"], rule)


def _format_ok(fmt: str) -> bool:
    """A strptime format is usable when a date written with it reads back."""
    try:
        sample = datetime(2001, 2, 3, 4, 5, 6)
        datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError:
        return False
    return "%" in fmt


def _default_person_id(pattern: str) -> str:
    """``Child {n} {field}`` -> ``child{n}``; ``Subject {field}`` -> ``subject``."""
    stem = pattern.split("{")[0]
    base = re.sub(r"[^a-z0-9]+", "_", stem.casefold()).strip("_") or "person"
    return f"{base}{{n}}" if "{n}" in pattern else base
