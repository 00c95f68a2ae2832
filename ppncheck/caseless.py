"""Case-insensitive patterns matched as case-sensitive ones over the lower-cased text.

``re`` runs a pattern compiled with IGNORECASE several times slower than the same pattern
without it (4x for the note reader's ethnicity cues over a whole note).  For a pattern written
in lower case the two find the same matches.  With IGNORECASE, ``re`` compares a text's
character with a cased letter of the pattern by the character's lower case (and with anything
else as it is), so at every position the pattern matches in a text exactly when its
case-sensitive twin matches in ``text.lower()``, provided that

- lower-casing keeps every character of the text one character (only "İ" becomes two),
- no character of the text is folded by IGNORECASE onto an ASCII letter other than by its
  lower case ("ı" matches "i" and "ſ" matches "s"), and
- lower-casing never changes whether a character is a word character, a digit or a space.

The last holds for every character; ``tests/test_caseless.py`` checks all three facts over the
whole of Unicode for the running Python.  A text for which the first two fail is matched with
the pattern itself.  The matches returned are the pattern's own, matched again at each start
found, so their groups hold the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# characters that IGNORECASE folds onto an ASCII letter although their lower case is another
FOLDED_ONTO_ASCII = ("ı", "ſ")
_NAMED_GROUP = re.compile(r"\(\?P<\w+>|\(\?P=\w+\)")


def lower(text: str) -> str:
    """``text.lower()``, kept for the last few hundred long texts: a note's finders ask about
    windows of the same note thousands of times (a window is given as pos and endpos, so each
    call would lower the whole note again)."""
    if len(text) < _CACHE_MIN:
        return text.lower()
    cached = _CACHE.get(id(text))
    if cached is not None and cached[0] is text:
        return cached[1]
    lowered = text.lower()
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[id(text)] = (text, lowered)  # holds the text, so its id is not reused meanwhile
    return lowered


_CACHE: dict[int, tuple[str, str]] = {}
_CACHE_SIZE = 256  # four chunks of 64 notes; a lowered copy is at most 100,000 characters
_CACHE_MIN = 200  # below this, lowering again is cheaper than the look-up


def lowered_alike(text: str) -> str | None:
    """``text.lower()`` when a lower-case pattern finds the same there without IGNORECASE as
    in ``text`` with it; None when it may not (see the module's docstring)."""
    lowered = lower(text)
    if len(lowered) != len(text):
        return None
    if not text.isascii() and any(c in text for c in FOLDED_ONTO_ASCII):
        return None
    return lowered


def lower_case_source(source: str) -> bool:
    """Whether a pattern's source names only lower-case or uncased characters: no capital,
    no character given by its number (``\\x41``), no inline flag."""
    source = _NAMED_GROUP.sub("(", source)
    i = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            escaped = source[i + 1 : i + 2]
            if not escaped or escaped in "xuUN" or escaped.isdigit() or escaped != escaped.lower():
                return False
            i += 2
            continue
        if source.startswith("(?", i):
            if source[i + 2 : i + 3] not in (":", "=", "!", "<"):
                return False  # an inline flag, a comment or a conditional group
            i += 2
            continue
        if c != c.lower() or (not c.isascii() and c != c.upper()):
            return False
        i += 1
    return True


class Caseless:
    """An IGNORECASE pattern whose ``finditer`` and ``search`` give the pattern's own results,
    faster (see the module's docstring); any other pattern is used as it is."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        flags = pattern.flags
        self._twin = (
            re.compile(pattern.pattern, flags & ~re.IGNORECASE)
            if flags & re.IGNORECASE
            and not flags & (re.ASCII | re.LOCALE)
            and lower_case_source(pattern.pattern)
            else None
        )

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        lowered = None if self._twin is None else lowered_alike(text)
        if self._twin is None or lowered is None:
            return self.pattern.finditer(text, pos, end)
        found = []
        for twin in self._twin.finditer(lowered, pos, end):
            m = self.pattern.match(text, twin.start(), end)
            if m is None or m.end() != twin.end():  # cannot happen; never give another result
                return self.pattern.finditer(text, pos, end)
            found.append(m)
        return iter(found)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        lowered = None if self._twin is None else lowered_alike(text)
        if self._twin is None or lowered is None:
            return self.pattern.search(text, pos, end)
        twin = self._twin.search(lowered, pos, end)
        if twin is None:
            return None
        m = self.pattern.match(text, twin.start(), end)
        return m if m is not None and m.end() == twin.end() else self.pattern.search(text, pos, end)


@lru_cache(maxsize=128)
def caseless(pattern: re.Pattern[str]) -> Caseless:
    """The ``Caseless`` of a compiled pattern, made once per process."""
    return Caseless(pattern)
