"""Compile the compact pattern syntax of the lexicon and cue files into fast spaCy matchers.

``spacy.blank("en")`` has no lemmatizer, so inflections are written out; a compact syntax keeps
that readable: ``{put|puts|putting} {herself|himself} at risk``.  Literal words are run through
the same tokenizer as the notes (so ``won't`` becomes ``wo n't`` with norms ``will not``) and
matched on ``NORM``, which in a blank English pipeline is the lower-cased text with contractions
normalised.

Syntax: ``word`` (one or more tokens), ``{a|b c}`` (alternatives, each may be several words),
a trailing ``?`` (optional slot), ``<18-69>`` (a whole number in a range), ``/regex/`` (one token
whose norm matches), ``~`` / ``~?`` (any one token / an optional any token).

Speed: every pattern is expanded into its literal variants, which go into one ``PhraseMatcher``
(a hash walk in C, run once per Doc); only patterns with a wildcard or a regular expression are
matched by ``PatternSet``'s own anchored check (see there), never by spaCy's token ``Matcher``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import numpy as np
from spacy.attrs import NORM
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

TokenSpec = dict[str, Any]
MatcherPattern = list[TokenSpec]
Tokenise = Callable[[str], list[str]]

_SLOT = re.compile(r"\{[^}]*\}\??|/[^/\s]+/\??|<\d+-\d+>\??|\S+")
_RANGE = re.compile(r"<(\d+)-(\d+)>")
MAX_EXPANSIONS = 20_000


class PatternError(ValueError):
    """A compact pattern cannot be compiled; the message names the pattern, never note text."""


def compile_pattern(pattern: str, tokenise: Tokenise) -> list[MatcherPattern]:
    """Expand one compact pattern into its variants: lists of literal, wildcard or regex specs."""
    slots: list[list[list[TokenSpec]]] = []  # slot -> alternatives -> token specs
    for raw in _SLOT.findall(pattern):
        optional = raw.endswith("?") and len(raw) > 1
        body = raw[:-1] if optional else raw
        alternatives: list[list[TokenSpec]]
        range_match = _RANGE.fullmatch(body)
        if body == "~":
            alternatives = [[{}]]
        elif range_match:
            lo, hi = int(range_match.group(1)), int(range_match.group(2))
            if lo > hi:
                raise PatternError(f"empty number range in pattern {pattern!r}")
            alternatives = [[{"NORM": str(n)}] for n in range(lo, hi + 1)]
        elif len(body) > 2 and body.startswith("/") and body.endswith("/"):
            regex = body[1:-1]
            try:
                re.compile(regex)
            except re.error as exc:
                raise PatternError(
                    f"bad regular expression in pattern {pattern!r}: {exc}"
                ) from None
            alternatives = [[{"NORM": {"REGEX": regex}}]]
        elif body.startswith("{"):
            if not body.endswith("}"):
                raise PatternError(f"unclosed '{{' in pattern {pattern!r}")
            parts = [p.strip() for p in body[1:-1].split("|")]
            if not all(parts):
                raise PatternError(f"empty alternative in pattern {pattern!r}")
            alternatives = [[{"NORM": n} for n in tokenise(p)] for p in parts]
        else:
            if "{" in body or "}" in body or "|" in body:
                raise PatternError(f"stray brace or bar in pattern {pattern!r}")
            alternatives = [[{"NORM": n} for n in tokenise(body)]]
        alternatives = _unique([a for a in alternatives if a])
        if not alternatives:
            raise PatternError(f"a slot of pattern {pattern!r} has no tokens")
        if optional:
            alternatives.append([])
        slots.append(alternatives)
    if not slots:
        raise PatternError("empty pattern")
    count = 1
    for alternatives in slots:
        count *= len(alternatives)
    if count > MAX_EXPANSIONS:
        raise PatternError(
            f"pattern {pattern!r} expands to {count} variants (max {MAX_EXPANSIONS})"
        )
    out = [[dict(t) for part in combo for t in part] for combo in itertools.product(*slots)]
    out = [p for p in out if p]
    if not out:
        raise PatternError(f"pattern {pattern!r} can match nothing but the empty string")
    return out


def collapse(variants: list[MatcherPattern]) -> list[MatcherPattern]:
    """Merge variants that differ in one literal position into ``IN`` sets, for the token
    Matcher, whose cost grows with the number of patterns."""
    merged = variants
    changed = True
    while changed and len(merged) > 1:
        changed = False
        for pos in range(max(len(v) for v in merged)):
            groups: dict[str, list[MatcherPattern]] = {}
            order: list[str] = []
            for v in merged:
                if pos < len(v) and _is_literal(v[pos]):
                    key = repr([t for i, t in enumerate(v) if i != pos]) + f"@{len(v)}"
                else:
                    key = repr(v) + "#fixed"
                if key not in groups:
                    order.append(key)
                    groups[key] = []
                groups[key].append(v)
            out: list[MatcherPattern] = []
            for key in order:
                group = groups[key]
                if len(group) > 1 and not key.endswith("#fixed"):
                    norms = sorted({g[pos]["NORM"] for g in group})
                    v = [dict(t) for t in group[0]]
                    v[pos] = {"NORM": {"IN": norms}}
                    out.append(v)
                    changed = True
                else:
                    out.extend(group)
            merged = out
    return merged


def _unique(alternatives: list[list[TokenSpec]]) -> list[list[TokenSpec]]:
    seen: set[str] = set()
    kept = []
    for a in alternatives:
        key = repr(a)
        if key not in seen:
            seen.add(key)
            kept.append(a)
    return kept


def compile_many(patterns: Sequence[str], tokenise: Tokenise) -> list[MatcherPattern]:
    result: list[MatcherPattern] = []
    for p in patterns:
        result.extend(compile_pattern(p, tokenise))
    return result


def make_tokenise(nlp_tokenizer: Callable[[str], Any]) -> Tokenise:
    """Return a function giving the norms a note's tokenizer produces for a literal."""

    def tokenise(text: str) -> list[str]:
        return [t.norm_ for t in nlp_tokenizer(text) if not t.is_space]

    return tokenise


def _is_literal(spec: TokenSpec) -> bool:
    return set(spec) == {"NORM"} and isinstance(spec["NORM"], str)


def freeze(variants: list[MatcherPattern]) -> tuple[MatcherPattern | tuple[str, ...], ...]:
    """``variants`` with each literal one as a tuple of norms (what ``PatternSet.add`` takes;
    tuples of strings are not tracked by the garbage collector, so a cache of them is free)."""
    return tuple(
        tuple(t["NORM"] for t in v) if all(_is_literal(t) for t in v) else v for v in variants
    )


class _Slot:
    """One position of a non-literal pattern: a set of norm hashes, any token, or a regex."""

    __slots__ = ("cache", "hashes", "regex")

    def __init__(self, hashes: frozenset[int] | None, regex: re.Pattern[str] | None) -> None:
        self.hashes = hashes
        self.regex = regex
        self.cache: dict[int, bool] = {}

    def ok(self, norm_hash: int, strings: Any) -> bool:
        if self.regex is None:
            return self.hashes is None or norm_hash in self.hashes
        hit = self.cache.get(norm_hash)
        if hit is None:
            hit = bool(self.regex.search(strings[norm_hash]))
            self.cache[norm_hash] = hit
        return hit


class PatternSet:
    """Named compiled patterns, matched once per Doc.

    Literal variants go into one ``PhraseMatcher`` (a C hash walk over the doc).  The few patterns
    with a wildcard (``~``) or a regex are matched here by anchoring: a set lookup finds the tokens
    whose norm can start the pattern, and only those positions are checked in Python.  spaCy's token
    ``Matcher`` evaluated its predicates at every token, which cost more than the tokenizer.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.phrases = PhraseMatcher(vocab, attr="NORM")
        self._keys: dict[int, str] = {}
        self._slow: list[tuple[str, list[_Slot]]] = []
        self._anchors: dict[int, list[int]] = {}  # first-token norm hash -> indices into _slow
        self._unanchored: list[int] = []
        self._anchor_set: frozenset[int] = frozenset()
        self._norms: dict[str, int] = {}  # word -> its lexeme's NORM hash

    def _hash(self, norm: str) -> int:
        return int(self.vocab.strings.add(norm))

    def _slot(self, spec: TokenSpec) -> _Slot:
        norm = spec.get("NORM")
        if norm is None:
            return _Slot(None, None)
        if isinstance(norm, str):
            return _Slot(frozenset({self._hash(norm)}), None)
        if "IN" in norm:
            return _Slot(frozenset(self._hash(n) for n in norm["IN"]), None)
        return _Slot(None, re.compile(norm["REGEX"]))

    def add(self, key: str, patterns: Iterable[MatcherPattern | tuple[str, ...]]) -> None:
        """Add ``key``'s patterns; a tuple of norms is a literal variant, as is a pattern
        whose every token spec is a literal ``NORM``."""
        literal: dict[tuple[str, ...], None] = {}
        other: list[MatcherPattern] = []
        for pattern in patterns:
            if isinstance(pattern, tuple):
                literal[pattern] = None
            elif all(_is_literal(s) for s in pattern):
                literal[tuple(s["NORM"] for s in pattern)] = None
            else:
                other.append(pattern)
        self._keys[self._hash(key)] = key
        if literal:
            # the NORM column a Doc of these words would have (a token's norm is its
            # lexeme's): the PhraseMatcher takes such hash sequences as patterns directly,
            # and building a Doc per variant was most of the time a pipeline took to load
            norms = self._norms
            for words in literal:
                for w in words:
                    if w not in norms:
                        norms[w] = self.vocab[w].norm
            hashes = [[norms[w] for w in words] for words in literal]
            self.phrases.add(key, cast(Any, hashes))  # typed as Docs; hash lists are accepted
        for pattern in collapse(other):
            slots = [self._slot(s) for s in pattern]
            index = len(self._slow)
            self._slow.append((key, slots))
            first = slots[0]
            if first.hashes is None or first.regex is not None:
                self._unanchored.append(index)
            else:
                for h in first.hashes:
                    self._anchors.setdefault(h, []).append(index)
        self._anchor_set = frozenset(self._anchors)

    def __call__(self, doc: Doc, norms: list[int] | None = None) -> list[tuple[str, int, int]]:
        """(key, start, end) token indices of every match in ``doc`` (pass the NORM column if
        the caller already has it)."""
        keys = self._keys
        found = [(keys[m], s, e) for m, s, e in self.phrases(doc)]
        if not self._slow:
            return found
        if norms is None:
            norms = doc.to_array([NORM]).astype(np.uint64).ravel().tolist()
        n = len(norms)
        starts: list[tuple[int, int]] = []
        anchors = self._anchors
        if not self._anchor_set.isdisjoint(norms):
            for i, h in enumerate(norms):
                if h in anchors:
                    starts.extend((i, k) for k in anchors[h])
        if self._unanchored:
            starts.extend((i, k) for i in range(n) for k in self._unanchored)
        strings = self.vocab.strings
        for i, k in starts:
            key, slots = self._slow[k]
            end = i + len(slots)
            if end <= n and all(
                slot.ok(norms[i + j], strings) for j, slot in enumerate(slots)
            ):
                found.append((key, i, end))
        return list(dict.fromkeys(found))  # two variants of one pattern can match the same span
