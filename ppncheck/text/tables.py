"""Load the text layer's data files once per process, merged with a force's extra files.

Each loader returns a frozen, ready-to-use table (compiled regexes, lookup sets) so the spaCy
components do no parsing per document.  Extra files use the same schema as the shipped file;
every key is optional there, lists are appended and scalars override.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ppncheck.caseless import caseless, lower, lowered_alike
from ppncheck.fastre import LeadingBoundary, leading_boundary_rest
from ppncheck.resources import data_path, load_toml_validated
from ppncheck.text.analysis_types import AWARE_ELEMENTS


class PhraseFinder:
    """Find whole-word phrases fast: a case-sensitive alternation over lower-cased text.

    Python's ``re`` skips positions quickly when every branch starts with a literal, which a
    leading look-behind or IGNORECASE defeats (about 15x slower on a note), so the left word
    boundary is checked here instead.  Offsets are into the original text; matched groups are
    lower case.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        parts = []
        firsts: set[str] = set()
        prefixes: set[str] = set()
        filterable = True
        for raw in sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True):
            wild = raw.endswith("*")
            core = raw[:-1] if wild else raw
            body = r"[ \t]+".join(re.escape(w) for w in core.split())
            if wild:
                body += r"[\w'’-]*"
            right = r"(?![\w’])" if (core[-1:].isalnum() or wild) else ""
            parts.append(body + right)
            words = core.split()
            if not words or not words[0][0].isalnum():
                filterable = False  # starts with punctuation: no left boundary, no key
                continue
            required = [run for w in words for run in _ALNUM_RUN.findall(w)]
            if wild and core[-1].isalnum():
                last = required.pop()  # "injur*": the last run may go on ("injured")
                if not required:
                    prefixes.add(last)
                    continue
            firsts.add(max(required, key=len))  # the longest is the rarest, as a rule
        # compiled when a text first needs it: most texts are ruled out by the key runs below
        # before the alternation is scanned, and some finders never meet a text that is not
        self._source = "|".join(parts) if parts else r"(?!x)x"
        # The same alternation with its phrases grouped by their first character (the order
        # kept within each group): at any position only the phrases that start with the
        # text's character can match, so the first phrase to match is the same one, but
        # ``re`` tries one branch per first character instead of every phrase (3-4x faster
        # on a note).  Every phrase starts with one literal character, escaped or not.
        self._grouped = grouped_alternation(parts) if parts else self._source
        self._pattern: re.Pattern[str] | None = None
        # for the rare text whose lower case changes its length: compiled when one comes
        self._fallback: re.Pattern[str] | None = None
        # Every phrase starts with an alphanumeric, so a match that survives the left-boundary
        # check below starts a maximal run of alphanumerics; inside it, each run of the
        # phrase's words is bounded by the phrase's own punctuation, by [ \t]+ or by the right
        # boundary, so each is a maximal run of the text too (except the last run of a
        # wildcard, which may go on).  So when the text has none of the phrases' key runs
        # (or, for one-word wildcards, no run with that prefix), nothing can match and the
        # alternation (the costly part) need not be scanned at all.
        self._firsts: frozenset[str] | None = frozenset(firsts) if filterable else None
        self._prefixes = tuple(sorted(prefixes))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The alternation, matched against lower-cased text."""
        if self._pattern is None:
            self._pattern = re.compile(self._grouped)
        return self._pattern

    def _cannot_match(self, text: str, lowered: str) -> bool:
        if self._firsts is None:
            return False
        runs = _runs(text, lowered)
        if not runs.isdisjoint(self._firsts):
            return False
        prefixes = self._prefixes
        return not (prefixes and any(r.startswith(prefixes) for r in runs))

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        lowered = lower(text)
        if len(lowered) != len(text):  # a rare character whose lower case is longer
            if self._fallback is None:
                self._fallback = re.compile(self._source, re.IGNORECASE)
            lowered, pattern = text, self._fallback
        elif pos == 0 and end >= len(text) and self._cannot_match(text, lowered):
            return
        else:
            pattern = self._pattern or self.pattern
        for m in pattern.finditer(lowered, pos, end):
            start = m.start()
            if (
                start > 0
                and lowered[start].isalnum()
                and (lowered[start - 1].isalnum() or lowered[start - 1] in "_'’")
            ):
                continue
            yield m

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


def grouped_alternation(parts: Sequence[str]) -> str:
    """``"|".join(parts)`` as one branch per first character, in the order of first use."""
    groups: dict[str, list[str]] = {}
    for part in parts:
        first = part[:2] if part.startswith("\\") else part[:1]
        groups.setdefault(first, []).append(part[len(first) :])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_ALNUM_RUN = re.compile(r"[^\W_]+")  # a maximal run of str.isalnum() characters
_RUNS_CACHE: dict[int, tuple[str, frozenset[str]]] = {}
_RUNS_CACHE_SIZE = 512


def _runs(text: str, lowered: str) -> frozenset[str]:
    """The alphanumeric runs of ``lowered``, kept for the last few hundred texts: every finder
    of every component scans the same text object (``doc_text``) in turn.  The entry holds
    the text itself, so its ``id`` cannot be reused while the entry lives."""
    cached = _RUNS_CACHE.get(id(text))
    if cached is not None and cached[0] is text:
        return cached[1]
    runs = frozenset(_ALNUM_RUN.findall(lowered))
    if len(_RUNS_CACHE) >= _RUNS_CACHE_SIZE:
        _RUNS_CACHE.clear()
    _RUNS_CACHE[id(text)] = (text, runs)
    return runs


def word_runs(text: str) -> frozenset[str] | None:
    """The alphanumeric runs of ``text.lower()`` (kept for the last few hundred texts, shared
    with every ``PhraseFinder``), or None for a text whose lower case a caseless pattern may
    not match as it matches the text (``caseless.lowered_alike``).  A pattern that can only
    match where some word stands whole (a whole run) cannot match a text whose runs lack it:
    a cheap test before a scan that would find nothing."""
    lowered = lowered_alike(text)
    return None if lowered is None else _runs(text, lowered)


def phrase_pattern(phrases: Iterable[str]) -> PhraseFinder:
    """Whole-word phrase finder; a trailing ``*`` matches any word ending."""
    return PhraseFinder(phrases)


def _load(name: str, extras: Sequence[str]) -> list[dict[str, Any]]:
    files = [load_toml_validated(data_path(f"{name}.toml"), name)]
    files.extend(load_toml_validated(Path(p), name) for p in extras)
    return files


@dataclass(frozen=True)
class HeadingTable:
    forms: dict[str, tuple[str, ...]]  # normalised form -> elements it may name (AWARE order)
    multiword_prefixes: tuple[str, ...]  # multi-letter forms, longest first
    other: frozenset[str]
    max_heading_words: int
    # question headings: the words a question may open with, and per element the words that
    # name it ("What did the kids say?" -> words)
    question_openers: frozenset[str] = frozenset()
    question_words: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def question_element(self, label: str) -> str | None:
        """The one element a question heading names, or None (none or more than one)."""
        key = normalise_label(label)
        first = key.split(" ", 1)[0]
        if first not in self.question_openers and not label.rstrip().endswith("?"):
            return None
        named = [element for element, words in self.question_words if words.search(key)]
        if first in {"who", "who's", "whos"}:
            # "Who's in the house?" asks about the people; "Who did they go to?" about ties
            named = [e for e in named if e == "relationships"]
        return named[0] if len(named) == 1 else None


@lru_cache(maxsize=8)
def heading_table(extras: tuple[str, ...] = ()) -> HeadingTable:
    forms: dict[str, list[str]] = {}
    other: set[str] = set()
    max_words = 6
    openers: set[str] = set()
    qwords: dict[str, set[str]] = {e: set() for e in AWARE_ELEMENTS}
    for data in _load("aware_headings", extras):
        max_words = data.get("max_heading_words", max_words)
        questions = data.get("questions", {})
        openers.update(w.lower() for w in questions.get("openers", []))
        for element, words in questions.get("words", {}).items():
            qwords[element].update(normalise_label(w) for w in words)
        for element in AWARE_ELEMENTS:
            for form in data.get("elements", {}).get(element, {}).get("forms", []):
                key = normalise_label(form)
                forms.setdefault(key, [])
                if element not in forms[key]:
                    forms[key].append(element)
        other.update(normalise_label(f) for f in data.get("other", {}).get("forms", []))
    ordered = {k: tuple(e for e in AWARE_ELEMENTS if e in v) for k, v in forms.items()}
    prefixes = tuple(sorted((k for k in ordered if len(k) > 1), key=len, reverse=True))
    question_words = tuple(
        (
            element,
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(qwords[element])) + r")\b"),
        )
        for element in AWARE_ELEMENTS
        if qwords[element]
    )
    return HeadingTable(
        ordered, prefixes, frozenset(other), max_words, frozenset(openers), question_words
    )


_SPACES = re.compile(r"\s+")


def normalise_label(label: str) -> str:
    """Lower case, one space between words, no trailing dots or brackets: the heading key."""
    out = _SPACES.sub(" ", label.strip().lower().replace("’", "'"))
    return out.strip(" .()[]?")


_PH_WORD = re.compile(r"[a-z0-9]+")


def placeholder_words(text: str) -> tuple[str, ...]:
    """The lower-case word tokens a placeholder form is compared on (punctuation dropped)."""
    return tuple(_PH_WORD.findall(text.lower()))


@dataclass(frozen=True)
class PlaceholderTable:
    forms: frozenset[tuple[str, ...]]  # word tokens of each form; punctuation-only forms drop out
    max_form_words: int
    vacuous: frozenset[str]
    min_content_words: int
    min_note_words: int = 40  # a whole free-text note shorter than this is too thin to act on
    # word form -> is it a content word (filled by ``placeholders.content_words``)
    content: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)


@lru_cache(maxsize=8)
def placeholder_table(extras: tuple[str, ...] = ()) -> PlaceholderTable:
    forms: set[str] = set()
    vacuous: set[str] = set()
    minimum = 2
    note_minimum = 40
    for data in _load("placeholders", extras):
        forms.update(data.get("forms", []))
        vacuous.update(w.lower() for w in data.get("vacuous_words", []))
        minimum = data.get("min_content_words", minimum)
        note_minimum = data.get("min_note_words", note_minimum)
    tuples = frozenset(t for t in (placeholder_words(f) for f in forms) if t)
    longest = max((len(t) for t in tuples), default=1)
    return PlaceholderTable(tuples, longest, frozenset(vacuous), minimum, note_minimum)


@dataclass(frozen=True)
class CueTable:
    patterns: dict[str, PhraseFinder]  # element -> cue alternation


class _Finder(Protocol):
    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]: ...


@dataclass(frozen=True)
class StrongCueTable:
    patterns: dict[str, tuple[_Finder, ...]]  # element -> its strong cues (elements that have one)


def _strong_finder(source: str) -> _Finder:
    """One strong cue, matched without case: a cue opening with ``\\b`` is searched from the
    literal after it (``fastre.LeadingBoundary``), which ``re`` skips to directly."""
    rest = leading_boundary_rest(source)
    if rest is None:
        return caseless(re.compile(source, re.IGNORECASE))
    return LeadingBoundary(caseless(re.compile(rest, re.IGNORECASE)))


@lru_cache(maxsize=2)
def cue_table() -> CueTable:
    (data,) = _load("aware_cues", ())
    return CueTable({e: phrase_pattern(data["elements"][e]["cues"]) for e in AWARE_ELEMENTS})


@lru_cache(maxsize=2)
def strong_cue_table() -> StrongCueTable:
    (data,) = _load("aware_cues", ())
    strong = data.get("strong", {})
    return StrongCueTable(
        {e: tuple(_strong_finder(p) for p in strong[e]) for e in AWARE_ELEMENTS if strong.get(e)}
    )


@dataclass(frozen=True)
class SpeechTable:
    verbs: PhraseFinder  # reported speech and quote attribution
    quote_verbs: PhraseFinder  # quote attribution only (also includes ``verbs``)
    negations: frozenset[str]
    referent: PhraseFinder  # any referent word, group "ref"
    referent_kind: dict[str, tuple[str, str]]  # lower referent -> (child|adult, f|m|n)
    reasons: PhraseFinder
    weak_reasons: PhraseFinder
    speak_cues: PhraseFinder


@lru_cache(maxsize=2)
def speech_table() -> SpeechTable:
    (data,) = _load("speech_cues", ())
    kinds: dict[str, tuple[str, str]] = {}
    for key, words in data["referents"].items():
        who, gender = key.split("_")
        for w in words:
            kinds[w.lower()] = (who, gender[0])
    return SpeechTable(
        verbs=phrase_pattern(data["speech_verbs"]),
        quote_verbs=phrase_pattern([*data["speech_verbs"], *data.get("quote_only_verbs", [])]),
        negations=frozenset(data["negations"]),
        referent=phrase_pattern(kinds),
        referent_kind=kinds,
        reasons=phrase_pattern(data["no_speech_reasons"]),
        weak_reasons=phrase_pattern(data["weak_no_speech_reasons"]),
        speak_cues=phrase_pattern(data["speak_cues"]),
    )


@dataclass(frozen=True)
class ChildrenTable:
    adult_age: int
    relation_of: dict[str, str]  # word -> relation
    age_only: frozenset[str]
    adult_possessors: frozenset[str]
    numbers: dict[str, int]
    unborn_cues: PhraseFinder | None = None  # "pregnant", "unborn": "the baby" is not born yet
    body_words: frozenset[str] = frozenset()  # "Baby Unit": a relation word in a body's name


@lru_cache(maxsize=2)
def children_table() -> ChildrenTable:
    (data,) = _load("children", ())
    relation_of = {w.lower(): rel for rel, words in data["relations"].items() for w in words}
    return ChildrenTable(
        adult_age=data["adult_age"],
        relation_of=relation_of,
        age_only=frozenset(w.lower() for w in data["age_only"]["words"]),
        adult_possessors=frozenset(w.lower() for w in data["adult_possessors"]),
        numbers={k.lower(): v for k, v in data["numbers"].items()},
        unborn_cues=phrase_pattern(data.get("unborn_cues", [])),
        body_words=frozenset(data.get("body_words", [])),
    )
