"""Compile the compact pattern syntax of the lexicon and cue files into fast spaCy matchers.

``spacy.blank("en")`` has no lemmatizer, so inflections are written out; a compact syntax keeps
that readable: ``{put|puts|putting} {herself|himself} at risk``.  Literal words are run through
the same tokenizer as the notes (so ``won't`` becomes ``wo n't`` with norms ``will not``) and
matched on ``NORM``, which in a blank English pipeline is the lower-cased text with contractions
normalised.

Syntax: ``word`` (one or more tokens), ``{a|b c}`` (alternatives, each may be several words),
a trailing ``?`` (optional slot), ``<18-69>`` (a whole number in a range), ``/regex/`` (one token
whose norm matches), ``~`` / ``~?`` (any one token / an optional any token).

Speed: every pattern is expanded into its literal variants, which go into one table of
``PatternSet`` (looked up once per word that can start a variant); only patterns with a wildcard
or a regular expression are matched by its anchored check (see there), never by spaCy's token
``Matcher``.  Expanding the shipped lexicon takes a few tenths of a second, so the pipeline
loads the finished tables from the package (``ppncheck.text.victim_blaming.compiled``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import numpy as np
from spacy.attrs import NORM
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


class NoteTokeniser:
    """The norms a note's tokenizer gives a literal (a ``Tokenise``), and a fingerprint of
    everything that decides them, so that patterns compiled with one tokenizer are reused
    only with a tokenizer that gives the same norms."""

    def __init__(self, nlp_tokenizer: Callable[[str], Any]) -> None:
        self.tokenizer = nlp_tokenizer

    def __call__(self, text: str) -> list[str]:
        return [t.norm_ for t in self.tokenizer(text) if not t.is_space]

    def fingerprint(self) -> str | None:
        """A digest of spaCy's version, the tokenizer's rules and special cases, and the
        vocab's language and lookup tables (lexeme norms); None for a tokenizer that cannot
        be serialised (then nothing compiled elsewhere is reused)."""
        import spacy

        from ppncheck.precompiled import digest

        tokenizer: Any = self.tokenizer
        vocab = getattr(tokenizer, "vocab", None)
        try:
            return digest(
                spacy.__version__,
                str(getattr(vocab, "lang", "")),
                tokenizer.to_bytes(exclude=["vocab"]),
                vocab.lookups.to_bytes() if vocab is not None else b"",
            )
        except (AttributeError, TypeError, ValueError):
            return None


def make_tokenise(nlp_tokenizer: Callable[[str], Any]) -> NoteTokeniser:
    """The ``Tokenise`` of a note's tokenizer (``nlp.tokenizer``)."""
    return NoteTokeniser(nlp_tokenizer)


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


# Literal variants are kept as their norms joined by one space ("put herself at risk").  A
# pattern word holding a space (a norm such as "New York") goes with the non-literal patterns;
# a doc word holding one is read as "" (see ``PatternSet.__call__``), so a joined span of L
# words can only equal a variant of L words that are the doc's own.
_SEP = " "


class PatternSet:
    """Named compiled patterns, matched once per Doc.

    Literal variants (nearly all of them) are one table from the variant's norms, joined by a
    space, to the keys it belongs to, plus the variant lengths per first word.  The table is
    plain data (``to_data``/``from_data``), so a pipeline loads it ready-made
    (``ppncheck.text.victim_blaming.compiled``) instead of expanding every pattern at start-up;
    a doc is matched against it by looking up the positions whose word can start a variant.
    Filling spaCy's ``PhraseMatcher`` (a hash walk in C) with the same variants takes about
    0.1 s, and looking up in Python costs about 0.4 µs a token more than it, so the first
    ``PHRASE_MATCHER_AFTER`` tokens are looked up here and the ``PhraseMatcher`` is filled
    only then: a check of a few notes never pays for it, a batch pays once.  Either way the
    matches are the same, in one order: by start, then by end, then the key added first (the
    earlier lexicon entry first) when several keys share a variant.

    The few patterns with a wildcard (``~``) or a regex are matched here by anchoring: a set
    lookup finds the tokens whose norm can start the pattern, and only those positions are
    checked in Python.  spaCy's token ``Matcher`` evaluated its predicates at every token, which
    cost more than the tokenizer.
    """

    PHRASE_MATCHER_AFTER = 250_000  # tokens

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._keys: list[str] = []  # key index -> key
        self._key_index: dict[str, int] = {}
        # joined norms -> a key index, or a list of them when several keys share the variant
        self._phrases: dict[str, int | list[int]] = {}
        self._lengths: dict[str, list[int]] = {}  # first norm -> variant lengths, ascending
        self._specs: list[tuple[int, MatcherPattern]] = []  # non-literal: (key index, pattern)
        self._slow: list[tuple[str, list[_Slot]]] = []
        self._anchors: dict[int, list[int]] = {}  # first-token norm hash -> indices into _slow
        self._unanchored: list[int] = []
        self._anchor_set: frozenset[int] = frozenset()
        self._norms: dict[str, str] = {}  # word -> its lexeme's norm
        self._tokens_seen = 0
        self._phrase_matcher: Any = None  # spaCy's PhraseMatcher, once filled
        self._key_of_hash: dict[int, int] = {}  # the PhraseMatcher's key hash -> key index

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

    def _key(self, key: str) -> int:
        index = self._key_index.get(key)
        if index is None:
            index = self._key_index[key] = len(self._keys)
            self._keys.append(key)
        return index

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
        index = self._key(key)
        norms = self._norms
        for words in literal:
            # a doc token's NORM is its lexeme's, so a variant matches the norms a Doc of
            # its words would have
            for w in words:
                if w not in norms:
                    norms[w] = self.vocab[w].norm_
            variant = [norms[w] for w in words]
            if any(_SEP in n for n in variant):
                other.append([{"NORM": n} for n in variant])
            else:
                self._add_phrase(_SEP.join(variant), variant[0], len(variant), index)
        for pattern in collapse(other):
            self._add_slow(index, pattern)
        self._anchor_set = frozenset(self._anchors)

    def _add_phrase(self, joined: str, first: str, length: int, index: int) -> None:
        self._phrase_matcher = None  # filled again from the table when needed
        # lists are replaced, never changed in place: they may be shared with loaded data
        found = self._phrases.get(joined)
        if found is None:
            self._phrases[joined] = index
        elif isinstance(found, int):
            if found != index:
                self._phrases[joined] = sorted([found, index])
        elif index not in found:
            self._phrases[joined] = sorted([*found, index])
        lengths = self._lengths.get(first, [])
        if length not in lengths:
            self._lengths[first] = sorted([*lengths, length])

    def _add_slow(self, index: int, pattern: MatcherPattern) -> None:
        self._specs.append((index, pattern))
        slots = [self._slot(s) for s in pattern]
        position = len(self._slow)
        self._slow.append((self._keys[index], slots))
        first = slots[0]
        if first.hashes is None or first.regex is not None:
            self._unanchored.append(position)
        else:
            for h in first.hashes:
                self._anchors.setdefault(h, []).append(position)

    def to_data(self) -> dict[str, Any]:
        """The compiled tables as plain JSON data (``from_data`` reads them back)."""
        return {
            "keys": list(self._keys),
            "phrases": dict(self._phrases),
            "lengths": dict(self._lengths),
            "slow": [[index, pattern] for index, pattern in self._specs],
        }

    @classmethod
    def from_data(cls, vocab: Vocab, data: dict[str, Any]) -> PatternSet:
        """A ``PatternSet`` from ``to_data``'s tables, exactly as the ``add`` calls that made
        them left it (``add`` may then extend it)."""
        self = cls(vocab)
        self._keys = list(data["keys"])
        self._key_index = {k: i for i, k in enumerate(self._keys)}
        self._phrases = dict(data["phrases"])
        self._lengths = dict(data["lengths"])
        for index, pattern in data["slow"]:
            self._add_slow(index, pattern)
        self._anchor_set = frozenset(self._anchors)
        return self

    def __call__(self, doc: Doc, norms: list[int] | None = None) -> list[tuple[str, int, int]]:
        """(key, start, end) token indices of every match in ``doc`` (pass the NORM column if
        the caller already has it)."""
        if norms is None:
            norms = doc.to_array([NORM]).astype(np.uint64).ravel().tolist()
        n = len(norms)
        found: list[tuple[str, int, int]] = []
        if self._lengths and n:
            if self._phrase_matcher is None:
                self._tokens_seen += n
                if self._tokens_seen > self.PHRASE_MATCHER_AFTER:
                    self._fill_phrase_matcher()
            if self._phrase_matcher is not None:
                found = self._phrase_matches(doc)
            else:
                found = self._looked_up(norms)
        if not self._slow:
            return found
        strings = self.vocab.strings
        starts: list[tuple[int, int]] = []
        anchors = self._anchors
        if not self._anchor_set.isdisjoint(norms):
            for i, h in enumerate(norms):
                if h in anchors:
                    starts.extend((i, k) for k in anchors[h])
        if self._unanchored:
            starts.extend((i, k) for i in range(n) for k in self._unanchored)
        slow = self._slow
        for i, k in starts:
            key, slots = slow[k]
            end = i + len(slots)
            if end > n:
                continue
            # ``all(slot.ok(...))`` unrolled: a set slot (nearly all) is tested here without a
            # call, and most starts fail at their second slot
            j = i
            for slot in slots:
                if slot.regex is None:
                    if slot.hashes is not None and norms[j] not in slot.hashes:
                        break
                elif not slot.ok(norms[j], strings):
                    break
                j += 1
            else:
                found.append((key, i, end))
        return list(dict.fromkeys(found))  # two variants of one pattern can match the same span

    def _looked_up(self, norms: list[int]) -> list[tuple[str, int, int]]:
        """The literal variants in a doc, looked up in the table."""
        strings = self.vocab.strings
        lengths = self._lengths
        words = [strings[h] for h in norms]
        if lengths.keys().isdisjoint(words):
            return []
        found: list[tuple[str, int, int]] = []
        keys, phrases, n = self._keys, self._phrases, len(words)
        words = [w if _SEP not in w else "" for w in words]
        for i, w in enumerate(words):
            sizes = lengths.get(w)
            if sizes is None:
                continue
            for size in sizes:
                if i + size > n:
                    break
                hit = phrases.get(_SEP.join(words[i : i + size]))
                if hit is None:
                    continue
                if isinstance(hit, int):
                    found.append((keys[hit], i, i + size))
                else:
                    found.extend((keys[k], i, i + size) for k in hit)
        return found

    def _fill_phrase_matcher(self) -> None:
        """spaCy's ``PhraseMatcher`` on NORM with every literal variant of the table."""
        from spacy.matcher import PhraseMatcher

        strings = self.vocab.strings
        by_key: dict[int, list[list[int]]] = {}
        for joined, hit in self._phrases.items():
            hashes = [int(strings.add(w)) for w in joined.split(_SEP)]
            for index in (hit,) if isinstance(hit, int) else hit:
                by_key.setdefault(index, []).append(hashes)
        matcher = PhraseMatcher(self.vocab, attr="NORM")
        for index, variants in by_key.items():
            matcher.add(self._keys[index], cast(Any, variants))  # typed as Docs; hashes do
        self._key_of_hash = {int(strings.add(k)): i for i, k in enumerate(self._keys)}
        self._phrase_matcher = matcher

    def _phrase_matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """The literal variants in a doc, from the ``PhraseMatcher``, in the table's order (it
        gives keys sharing a span in the order of its own hash map)."""
        index = self._key_of_hash
        found = sorted((s, e, index[m]) for m, s, e in self._phrase_matcher(doc))
        keys = self._keys
        return [(keys[i], s, e) for s, e, i in found]
