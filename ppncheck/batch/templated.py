"""TPL002: the same passage of wording pasted across many notes of one batch.

Why this shape
--------------
Inspectors found staff pasting templated wording instead of describing the individual child.
A passage counts as templated when ``templated_min_words`` (12) or more consecutive words
appear in ``templated_min_notes`` (5) or more notes of the batch.  Comparing every pair of
notes is quadratic and hopeless at 100k notes, so the detector works on hashed word shingles
counted in a fixed-size sketch; memory is the same for 1,000 notes and for 1,000,000.

How
---
1. **Normalise.** Text is split into words; case is folded, punctuation dropped, every number
   becomes ``#`` and (by default) every capitalised word that does not start a sentence
   becomes ``@`` (names of people and places), so "Jayden, 7, was seen at 14:00" and
   "Amira, 9, was seen at 16:30" read the same.  Near-duplicates beyond that are handled in
   step 4.
2. **Shingle.** Each run of ``w`` consecutive words (``w = min_words // 2``, at least 3) is
   hashed to 64 bits: word ids come from BLAKE2b (stable across processes and runs, unlike
   ``hash()``), and a shingle's hash is a polynomial over its word ids computed with numpy.
3. **Count (pass 1).** Each note contributes each of its distinct shingles once to a
   count-min sketch (``depth`` rows of ``2**width_bits`` saturating 16-bit counters, with the
   conservative update) -- an over-estimate of how many notes contain that shingle, never an
   under-estimate.  This pass reads the whole batch before any report is written, because
   findings are streamed in input order and a note early in the file may share its wording
   with notes at the end.
4. **Find passages (pass 2).** For each text field a word is *covered* when some shingle
   containing it is counted in at least ``min_notes`` notes.  Covered words are joined into
   passages, bridging gaps of up to ``max_gap`` words -- one changed word breaks only the
   shingles that contain it, so an edited copy still yields one passage.  A passage of at
   least ``min_words`` words is reported with its character offsets and the estimated number
   of notes sharing it (the smallest count among its shingles).

A false passage needs many consecutive shingles to be over-counted at once, which is why
sketch collisions do not surface as findings.  Nothing from the text is kept: only hashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ppncheck.config import Config
from ppncheck.findings import Finding

RULE_ID = "TPL002"
TEXT_FIELD = "note"  # the field a free-text note's findings carry (rules/free_text.py)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.:/,]\d+)*")
_SENTENCE_END = frozenset(".!?:;\n")
_MASK64 = (1 << 64) - 1
_MULT = np.uint64(0x9E3779B97F4A7C15)
_ROW_SALTS = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xA0761D6478BD642F)
_CAP = 65535

U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Passage:
    """One templated passage in one field: word span, character span, estimated note count."""

    field: str
    start: int
    end: int
    words: int
    notes: int
    passage_id: str


def text_fields(payload: Any) -> Iterator[tuple[str, str]]:
    """Every free-text string in a record, with its field path (``voice_of_child[0].aware.words``).

    Walking the record rather than naming fields keeps the detector working for mapped
    exports and future fields; short strings (ids, codes) never reach ``min_words`` words.
    """
    if isinstance(payload, str):
        yield TEXT_FIELD, payload
        return
    yield from _walk(payload, "")


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if path:
            yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(key, str):
                yield from _walk(sub, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _walk(sub, f"{path}[{i}]")


class _WordIds:
    """Stable 64-bit ids for normalised words, memoised up to a bounded size."""

    def __init__(self, limit: int = 200_000) -> None:
        self._memo: dict[str, int] = {}
        self._limit = limit

    def __getstate__(self) -> dict[str, Any]:
        return {"_memo": {}, "_limit": self._limit}  # a cache: not worth sending to workers

    def __call__(self, word: str) -> int:
        got = self._memo.get(word)
        if got is None:
            got = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            if len(self._memo) >= self._limit:
                self._memo.clear()
            self._memo[word] = got
        return got


def normalise_words(text: str, *, mask_names: bool = True) -> list[tuple[str, int, int]]:
    """Normalised words with their character offsets in ``text``."""
    out: list[tuple[str, int, int]] = []
    prev_end = 0
    for m in _WORD.finditer(text):
        tok = m.group()
        if tok[0].isdigit():
            norm = "#"
        elif (
            mask_names
            and tok[0].isupper()
            and out
            and not _starts_sentence(text, prev_end, m.start())
        ):
            norm = "@"  # a name or place, not a sentence opener
        else:
            norm = tok.lower().replace("’", "'")
        out.append((norm, m.start(), m.end()))
        prev_end = m.end()
    return out


def _starts_sentence(text: str, prev_end: int, start: int) -> bool:
    gap = text[prev_end:start]
    return any(ch in _SENTENCE_END for ch in gap)


class TemplateDetector:
    """Two-pass TPL002 detector over one batch; see the module docstring."""

    def __init__(
        self,
        *,
        min_words: int = 12,
        min_notes: int = 5,
        shingle: int | None = None,
        max_gap: int = 2,
        width_bits: int = 23,
        depth: int = 3,
        mask_names: bool = True,
    ) -> None:
        if not 1 <= depth <= len(_ROW_SALTS):
            raise ValueError(f"depth must be between 1 and {len(_ROW_SALTS)}")
        self.min_words = min_words
        self.min_notes = min_notes
        self.shingle = shingle or min(min_words, max(3, min_words // 2))
        self.max_gap = max_gap
        self.mask_names = mask_names
        self._shift = np.uint64(64 - width_bits)
        self._salts = [np.uint64(s) for s in _ROW_SALTS[:depth]]
        self._counts = np.zeros((depth, 1 << width_bits), dtype=np.uint16)
        self._ids = _WordIds()
        self._powers = np.array(
            [pow(0x100000001B3, self.shingle - 1 - j, 1 << 64) for j in range(self.shingle)],
            dtype=np.uint64,
        )
        self.notes_seen = 0

    @classmethod
    def from_config(cls, config: Config, **kwargs: Any) -> TemplateDetector:
        return cls(
            min_words=config.templated_min_words, min_notes=config.templated_min_notes, **kwargs
        )

    # -- hashing ---------------------------------------------------------------------------

    def _shingles(self, words: list[str]) -> U64:
        w = self.shingle
        if len(words) < w:
            return np.empty(0, dtype=np.uint64)
        ids = np.fromiter((self._ids(x) for x in words), dtype=np.uint64, count=len(words))
        n = len(words) - w + 1
        h = np.zeros(n, dtype=np.uint64)
        for j in range(w):
            h += ids[j : j + n] * self._powers[j]
        # splitmix64 finaliser so that row indices taken from the high bits are well mixed
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
        return h

    def _rows(self, hashes: U64) -> list[npt.NDArray[np.intp]]:
        return [((hashes * salt) >> self._shift).astype(np.intp) for salt in self._salts]

    def _long_fields(self, payload: Any) -> Iterator[tuple[str, str]]:
        """The text fields with at least ``min_words`` words.

        A record has about 46 strings (names, codes, dates, short AWARE fields) and five in six
        are shorter than a passage; counting words with one regex call is far cheaper than
        normalising them, and it counts exactly the words ``normalise_words`` returns.
        """
        for path, text in text_fields(payload):
            if len(_WORD.findall(text)) >= self.min_words:
                yield path, text

    def _note_hashes(self, payload: Any) -> U64:
        parts = []
        for _path, text in self._long_fields(payload):
            words = [w for w, _, _ in normalise_words(text, mask_names=self.mask_names)]
            if len(words) >= self.min_words:
                parts.append(self._shingles(words))
        if not parts:
            return np.empty(0, dtype=np.uint64)
        return np.unique(np.concatenate(parts))

    # -- pass 1 ----------------------------------------------------------------------------

    def add_notes(self, payloads: Iterable[Any]) -> None:
        """Count a chunk of notes (pass 1); call with every readable payload of the batch."""
        self.add_hashes(self.note_hashes(payloads))

    def note_hashes(self, payloads: Iterable[Any]) -> list[U64]:
        """Each note's distinct shingle hashes (the costly half of pass 1, and the half that
        needs no counts, so worker processes can do it for the parent)."""
        return [self._note_hashes(p) for p in payloads if p is not None]

    def add_hashes(self, per_note: Sequence[U64]) -> None:
        """Count notes given as ``note_hashes`` output (the cheap half of pass 1)."""
        self.notes_seen += len(per_note)
        per_note = [h for h in per_note if h.size]
        if not per_note:
            return
        uniq, counts = np.unique(np.concatenate(per_note), return_counts=True)
        rows = self._rows(uniq)
        current = np.min(
            np.stack([self._counts[r][idx] for r, idx in enumerate(rows)]), axis=0
        ).astype(np.int64)
        target = np.minimum(current + counts, _CAP).astype(np.uint16)
        for r, idx in enumerate(rows):
            # conservative update: raise each counter only as far as the new estimate
            np.maximum.at(self._counts[r], idx, target)

    def save_counts(self, path: Path) -> None:
        """Write the counts for ``load_counts`` (workers map the file instead of each
        receiving a pickled copy of the 48 MB sketch)."""
        np.save(path, self._counts, allow_pickle=False)

    def load_counts(self, path: Path) -> None:
        """Use the counts ``save_counts`` wrote, memory-mapped read-only."""
        counts = np.load(path, mmap_mode="r", allow_pickle=False)
        if counts.shape != self._counts.shape or counts.dtype != self._counts.dtype:
            raise ValueError("TPL002 counts were written by a detector with other settings")
        self._counts = counts

    def estimate(self, hashes: U64) -> npt.NDArray[np.int64]:
        """Estimated number of notes containing each shingle (never an under-estimate)."""
        if hashes.size == 0:
            return np.empty(0, dtype=np.int64)
        rows = self._rows(hashes)
        return np.min(
            np.stack([self._counts[r][idx] for r, idx in enumerate(rows)]), axis=0
        ).astype(np.int64)

    # -- pass 2 ----------------------------------------------------------------------------

    def passages(self, payload: Any) -> list[Passage]:
        """Templated passages in one record's text fields, at most one list entry per passage."""
        found: list[Passage] = []
        if payload is None:
            return found
        for path, text in self._long_fields(payload):
            words = normalise_words(text, mask_names=self.mask_names)
            hashes = self._shingles([w for w, _, _ in words])
            counts = self.estimate(hashes)
            hot = counts >= self.min_notes
            if not hot.any():
                continue
            covered = np.zeros(len(words), dtype=bool)
            for s in np.flatnonzero(hot):
                covered[s : s + self.shingle] = True
            for first, last in _runs(covered, self.max_gap):
                if last - first + 1 < self.min_words:
                    continue
                lo, hi = first, last - self.shingle + 1  # shingles wholly inside the passage
                inside = [i for i in range(lo, max(lo, hi) + 1) if i < len(hot) and hot[i]]
                if not inside:
                    continue
                notes = int(min(counts[i] for i in inside))
                passage_id = f"{int(min(hashes[i] for i in inside)):016x}"[:12]
                found.append(
                    Passage(
                        field=path,
                        start=words[first][1],
                        end=words[last][2],
                        words=last - first + 1,
                        notes=notes,
                        passage_id=passage_id,
                    )
                )
        return found

    def findings(self, payload: Any, config: Config) -> list[Finding]:
        """TPL002 findings for one record: one per field, on its longest passage."""
        from ppncheck.catalogue import catalogue

        by_field: dict[str, list[Passage]] = {}
        for p in self.passages(payload):
            by_field.setdefault(p.field, []).append(p)
        out: list[Finding] = []
        cat = catalogue()
        for path, group in by_field.items():
            main = max(group, key=lambda p: (p.words, -p.start))
            details: dict[str, Any] = {
                "passage_id": main.passage_id,
                "notes": main.notes,
                "words": main.words,
            }
            if len(group) > 1:
                details["passages"] = [
                    {"start": p.start, "end": p.end, "words": p.words, "notes": p.notes}
                    for p in group
                ]
            finding = cat.finding(
                RULE_ID,
                config,
                field=path,
                start=main.start,
                end=main.end,
                details=details,
                words=main.words,
                count=main.notes,
            )
            if finding is not None:
                out.append(finding)
        return out


def _runs(covered: npt.NDArray[np.bool_], max_gap: int) -> Iterator[tuple[int, int]]:
    """(first, last) word indices of covered stretches, bridging gaps of <= max_gap words."""
    idx = np.flatnonzero(covered)
    if idx.size == 0:
        return
    first = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev - 1 > max_gap:
            yield first, prev
            first = i
        prev = i
    yield first, prev
