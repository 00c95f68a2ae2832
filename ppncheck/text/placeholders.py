"""Decide whether a piece of text says nothing: a listed placeholder, or too thin to act on.

The forms (N/A, nil, as above, see log, a dash ...) and the substance threshold live in
``data/placeholders.toml``.  A text is a placeholder when nothing but those forms and
punctuation is left once they are removed; it is thin when it has fewer content words than
the threshold.  A short text that records why a child could not speak ("Asleep.") or a quote
is not thin: it is exactly what the Words element asks for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from ppncheck.text.analysis_types import PlaceholderVerdict
from ppncheck.text.tables import PlaceholderTable, SpeechTable

_PH_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_QUOTE = re.compile(r"[\"“”]|(?:^|\s)'\w")


_SHORT = 120  # a placeholder is short: longer texts only need the substance count
_KNOWN_MAX = 50_000  # word forms whose content verdict is kept


def content_words(text: str, table: PlaceholderTable, *, stop_at: int | None = None) -> int:
    """Words that carry meaning: not stop words, not vacuous words, not single letters.

    Each word form's verdict is kept in ``table.content`` (bounded): notes reuse a small
    vocabulary, and lower-casing and two set lookups per word were most of the cost.
    """
    n = 0
    known = table.content
    raws: Iterable[str] = (
        _WORD.findall(text)
        if stop_at is None or len(text) <= _SHORT
        else (m.group() for m in _WORD.finditer(text))  # a long text may stop early
    )
    for raw in raws:
        is_content = known.get(raw)
        if is_content is None:
            w = raw.lower().strip("'’-")
            is_content = len(w) > 1 and w not in STOP_WORDS and w not in table.vacuous
            if len(known) >= _KNOWN_MAX:
                known.clear()
            known[raw] = is_content
        if is_content:
            n += 1
            if stop_at is not None and n >= stop_at:
                break
    return n


def placeholder_verdict(
    text: str, table: PlaceholderTable, speech: SpeechTable | None = None
) -> PlaceholderVerdict | None:
    """``None`` when the text has substance (or is empty: absence is a different defect)."""
    stripped = text.strip()
    if not stripped:
        return None
    if len(text) > _SHORT and content_words(text, table, stop_at=table.min_content_words + 4) >= (
        table.min_content_words + 4
    ):
        return None  # plenty of substance: no list of placeholder forms is this long
    lowered = text.lower()
    tokens = tuple(_PH_WORD.findall(lowered))
    if not tokens:
        return PlaceholderVerdict("placeholder", stripped, 0)  # "-", "...", "?"
    cover = _cover(tokens, table)
    if cover is not None:
        words = _words(lowered)
        first = cover[0]
        return PlaceholderVerdict("placeholder", text[words[0][1] : words[first - 1][2]], 0)
    count = content_words(text, table, stop_at=table.min_content_words)
    if count >= table.min_content_words:
        return None  # below the minimum the count is exact: it did not stop early
    if _QUOTE.search(text):
        return None
    if speech is not None and (speech.reasons.search(text) or speech.weak_reasons.search(text)):
        return None
    return PlaceholderVerdict("thin", _first_form(_words(lowered), text, table), count)


def _words(lowered: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of the placeholder words; only needed once a verdict is reached."""
    return [(m.group(), m.start(), m.end()) for m in _PH_WORD.finditer(lowered)]


def _cover(words: tuple[str, ...], table: PlaceholderTable) -> list[int] | None:
    """Split ``words`` wholly into placeholder forms; the segment ends, or None if impossible."""
    n = len(words)
    best: list[list[int] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        path = best[i]
        if path is None:
            continue
        for k in range(1, min(table.max_form_words, n - i) + 1):
            if best[i + k] is None and words[i : i + k] in table.forms:
                best[i + k] = [*path, i + k]
    return best[n]


def _first_form(
    words: list[tuple[str, int, int]], text: str, table: PlaceholderTable
) -> str | None:
    tokens = tuple(w for w, _, _ in words)
    for i in range(len(tokens)):
        for k in range(min(table.max_form_words, len(tokens) - i), 0, -1):
            if tokens[i : i + k] in table.forms:
                return text[words[i][1] : words[i + k - 1][2]]
    return None
