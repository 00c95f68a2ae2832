"""The victim-blaming lexicon: categories (why it harms, what to write instead) and entries.

The lexicon is data (``ppncheck/data/victim_blaming.toml``), validated against a JSON Schema on
load so that a force's own file with a misspelt key fails loudly.  A force adds entries (and new
categories) with extra files of the same format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ppncheck.resources import DataFileError, data_path, load_toml_validated
from ppncheck.text.victim_blaming.patterns import (
    MatcherPattern,
    PatternError,
    Tokenise,
    compile_many,
)

SCHEMA_NAME = "victim_blaming"
BUILTIN_FILE = "victim_blaming.toml"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    why: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    patterns: tuple[str, ...]
    unless: tuple[str, ...] = ()
    why: str | None = None
    alternative: str | None = None
    false_positives: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Lexicon:
    categories: dict[str, Category]
    entries: dict[str, Entry]

    def why(self, entry_id: str) -> str:
        entry = self.entries[entry_id]
        return entry.why or self.categories[entry.category].why

    def alternative(self, entry_id: str) -> str:
        entry = self.entries[entry_id]
        return entry.alternative or self.categories[entry.category].alternatives[0]

    def compile(
        self, tokenise: Tokenise, only: Sequence[str] | None = None
    ) -> dict[str, tuple[list[MatcherPattern], list[MatcherPattern]]]:
        """Matcher patterns per entry id (of every entry, or of the ids ``only``):
        (patterns, unless-patterns)."""
        compiled: dict[str, tuple[list[MatcherPattern], list[MatcherPattern]]] = {}
        entries = self.entries.values() if only is None else (self.entries[i] for i in only)
        for entry in entries:
            try:
                compiled[entry.id] = (
                    compile_many(entry.patterns, tokenise),
                    compile_many(entry.unless, tokenise),
                )
            except PatternError as exc:
                raise DataFileError(entry.source, [f"entries/{entry.id}: {exc}"]) from None
        return compiled


def load_lexicon(extra_files: Sequence[Path | str] = ()) -> Lexicon:
    """Load the built-in lexicon plus a force's extra files; every problem is reported at once."""
    categories: dict[str, Category] = {}
    entries: dict[str, Entry] = {}
    for path in (data_path(BUILTIN_FILE), *(Path(p) for p in extra_files)):
        data = load_toml_validated(path, SCHEMA_NAME)
        problems: list[str] = []
        for key, raw in data.get("categories", {}).items():
            if key in categories:
                problems.append(f"categories/{key}: already defined")
                continue
            categories[key] = Category(key, raw["label"], raw["why"], tuple(raw["alternatives"]))
        for i, raw in enumerate(data.get("entries", [])):
            if raw["id"] in entries:
                problems.append(f"entries/{i}: duplicate id {raw['id']}")
            elif raw["category"] not in categories:
                problems.append(f"entries/{i}: unknown category {raw['category']!r}")
            else:
                entries[raw["id"]] = Entry(
                    id=raw["id"],
                    category=raw["category"],
                    patterns=tuple(raw["patterns"]),
                    unless=tuple(raw.get("unless", ())),
                    why=raw.get("why"),
                    alternative=raw.get("alternative"),
                    false_positives=tuple(raw.get("false_positives", ())),
                    source=str(path),
                )
        if problems:
            raise DataFileError(path, problems)
    return Lexicon(categories, entries)
