"""What the record schema says each record path (``persons[0].sde_code``) holds.

Both ways of turning a spreadsheet row into a record (a column mapping, or a header whose cells
already are record paths) need to know which cells are lists, booleans, integers, dates or enum
values.  That knowledge is read from the record v1 JSON Schema, not kept in a hand list, so a
field added to the schema is converted correctly without touching the readers.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ppncheck.resources import load_schema
from ppncheck.shape import Path


@dataclass(frozen=True)
class FieldKind:
    """What the schema allows at one path: enough to convert a spreadsheet cell."""

    types: frozenset[str]
    enum: tuple[Any, ...] = ()
    format: str | None = None
    item: FieldKind | None = None  # for arrays

    @property
    def is_list(self) -> bool:
        return "array" in self.types

    def enum_lookup(self) -> dict[str, Any]:
        """Enum values keyed by a loose form, so ``Domestic Abuse`` finds ``domestic_abuse``."""
        return {loose_key(str(v)): v for v in self.enum}


@lru_cache(maxsize=8192)
def loose_key(value: str) -> str:
    """Case- and punctuation-insensitive key: ``Parent/Carer`` -> ``parent_carer``."""
    return re.sub(r"[^a-z0-9]+", "_", value.casefold()).strip("_")


STRING = FieldKind(types=frozenset({"string"}))


class _SchemaIndex:
    """Walks the record schema by path, following local ``$ref``s and ``allOf``."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._root = schema

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self._root
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node if isinstance(node, dict) else {}

    def _flatten(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        """The node and every subschema it combines with ($ref, allOf, anyOf, oneOf)."""
        out = [node]
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            out.extend(self._flatten(self._resolve(node["$ref"])))
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key, []):
                if isinstance(sub, dict):
                    out.extend(self._flatten(sub))
        return out

    def node_at(self, path: Path) -> list[dict[str, Any]] | None:
        nodes = self._flatten(self._root)
        for part in path:
            nxt: list[dict[str, Any]] = []
            for node in nodes:
                if isinstance(part, int):
                    items = node.get("items")
                    if isinstance(items, dict):
                        nxt.extend(self._flatten(items))
                else:
                    prop = node.get("properties", {}).get(part)
                    if isinstance(prop, dict):
                        nxt.extend(self._flatten(prop))
            if not nxt:
                return None
            nodes = nxt
        return nodes

    def kind(self, nodes: list[dict[str, Any]]) -> FieldKind:
        types: set[str] = set()
        enum: list[Any] = []
        fmt: str | None = None
        items: list[dict[str, Any]] = []
        for node in nodes:
            t = node.get("type")
            if isinstance(t, str):
                types.add(t)
            elif isinstance(t, list):
                types.update(x for x in t if isinstance(x, str))
            for value in node.get("enum", []):
                if value not in enum:
                    enum.append(value)
            if fmt is None and isinstance(node.get("format"), str):
                fmt = node["format"]
            if isinstance(node.get("items"), dict):
                items.extend(self._flatten(node["items"]))
        if not types and enum:
            types = {_json_type(v) for v in enum}
        item = self.kind(items) if items else None
        return FieldKind(frozenset(types), tuple(enum), fmt, item)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


@lru_cache(maxsize=1)
def _index() -> _SchemaIndex:
    return _SchemaIndex(load_schema("record-v1"))


@lru_cache(maxsize=4096)
def kind_of(path: Path) -> FieldKind | None:
    """The schema's kind for a path, or None when the record schema has no such field.

    List indexes are looked up as array items, so ``persons[3].dob`` is a date like
    ``persons[0].dob``.
    """
    index = _index()
    nodes = index.node_at(path)
    return index.kind(nodes) if nodes is not None else None


class _Indexed(dict[int, Any]):
    """A list under construction: positions may arrive in any order or with gaps."""


def set_path(target: dict[str, Any], path: Path, value: Any) -> None:
    """Set ``value`` at ``path`` inside a nested structure built of dicts and ``_Indexed``."""
    node: Any = target
    for part, nxt in itertools.pairwise(path):
        child = node.get(part)
        if child is None:
            child = _Indexed() if isinstance(nxt, int) else {}
            node[part] = child
        node = child
    node[path[-1]] = value


def finalise(value: Any) -> Any:
    """Turn ``_Indexed`` positions into lists in index order, dropping gaps."""
    if isinstance(value, _Indexed):
        return [finalise(value[k]) for k in sorted(value)]
    if isinstance(value, dict):
        return {k: finalise(v) for k, v in value.items()}
    return value
