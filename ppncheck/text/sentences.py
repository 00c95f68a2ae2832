"""Rule-based sentence boundaries for police notes.

Police notes break the assumptions of ordinary sentence splitters: abbreviations with full stops
(P.C., D.O.B., approx.), times written 21.40, lines with no full stop at all, ALL-CAPS headings and
bullet lines.  Here a line break always ends a sentence, and a full stop, "!" or "?" ends one only
when followed by space and the word before it is not a known abbreviation or a single initial.
The boundaries are found with one regex pass over the text and written to the Doc with
``Doc.from_array`` so no Python loop over tokens is needed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, cast

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc

ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "p.c",
        "pc",
        "pcs",
        "d.c",
        "dc",
        "ds",
        "d.s",
        "ps",
        "p.s",
        "sgt",
        "insp",
        "ch",
        "supt",
        "det",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "rd",
        "ave",
        "no",
        "nos",
        "approx",
        "apx",
        "c/o",
        "d.o.b",
        "dob",
        "e.g",
        "eg",
        "i.e",
        "ie",
        "etc",
        "vs",
        "v",
        "tel",
        "ref",
        "refs",
        "yrs",
        "yr",
        "mths",
        "dept",
        "inc",
        "est",
        "poss",
        "prev",
        "re",
        "w/e",
        "att",
        "info",
        "misc",
        "min",
        "mins",
        "hrs",
        "incl",
        "nr",
        "co",
        "ltd",
        "jnr",
        "snr",
        "sr",
        "jr",
        "fig",
        "aka",
        "a.k.a",
        "n.f.a",
        "i.p",
        "r.p",
        "p.n.c",
        "o.e.l",
    }
)

# A sentence-final mark, optional closing quotes/brackets, then space.
_END = re.compile(r"([.!?]+)([\"'”’)\]]*)(?=[ \t]+\S)")
_WORD_BEFORE = re.compile(r"([\w/.'’-]+)$")
_LINE_START = re.compile(r"\n[ \t\r\f\v]*(?=\S)")
# a dictation app writes the punctuation it was told: "... crying full stop dad was ..."
_SPOKEN_END = re.compile(
    r"\b(?:full[ \t]+stop|new[ \t]+paragraph|next[ \t]+paragraph|new[ \t]+line)\b[ \t,.]*(?=\S)",
    re.IGNORECASE,
)


def sentence_starts(text: str) -> list[int]:
    """Character offsets where a new sentence starts (excluding 0), in order."""
    starts: set[int] = {m.end() for m in _LINE_START.finditer(text)}
    if "full stop" in text or "new paragraph" in text or "new line" in text:
        starts.update(m.end() for m in _SPOKEN_END.finditer(text))
    for m in _END.finditer(text):
        nxt = m.end()
        while nxt < len(text) and text[nxt] in " \t":
            nxt += 1
        if nxt >= len(text) or text[nxt] == "\n":
            continue
        if m.group(1) == "." and _is_abbreviation(text, m.start(), text[nxt]):
            continue
        starts.add(nxt)
    return sorted(starts)


def _is_abbreviation(text: str, dot: int, following: str) -> bool:
    before = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if before is None:
        return False
    word = before.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Hale"
        return following.isupper()
    # digits before the stop followed by lower case: "approx 5. then" is rare; keep going
    return following.islower() and not word.isalpha()


_TEXT_KEY = "ppn_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc.

    ``Doc.text`` rebuilds the string from every token on each access (about as costly as a
    component), and every ppncheck component needs it; a Doc's text never changes, so it is
    kept in ``doc.user_data`` (which also travels with the Doc between processes).
    """
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Give ``doc`` its text up front when the caller already has it (saves one rebuild)."""
    doc.user_data[_TEXT_KEY] = text
    return doc


def set_sentence_starts(doc: Doc, starts: list[int] | None = None) -> Doc:
    """Write the boundaries to ``doc`` (every token gets an explicit start flag); ``starts``
    are ``sentence_starts`` of its text when the caller already has them."""
    n = len(doc)
    if n == 0:
        return doc
    flags = np.full((n,), -1, dtype="int32")
    flags[0] = 1
    idx = doc.to_array("IDX")
    offsets = idx.tolist()
    for char in sentence_starts(doc_text(doc)) if starts is None else starts:
        i = bisect_left(offsets, char)
        if i < n:
            flags[i] = 1
    doc.from_array([SENT_START], cast(Any, flags.reshape(n, 1).astype("uint64")))
    return doc
