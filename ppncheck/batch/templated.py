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
   ``hash()``), and a shingle's hash is a polynomial over its word ids computed with numpy,
   once per record over all its fields' words (a shingle never runs across two fields).
3. **Count (pass 1).** Each note contributes each of its distinct shingles once to a
   count-min sketch (``depth`` rows of ``2**width_bits`` saturating 16-bit counters, with the
   conservative update) -- an over-estimate of how many notes contain that shingle, never an
   under-estimate.  This pass reads the whole batch before any report is written, because
   findings are streamed in input order and a note early in the file may share its wording
   with notes at the end.
   Pass 1 keeps each note's shingle hashes (``NoteShingles``: hashes and field sizes, never
   text), so that pass 2 need not normalise and hash the note again.
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
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ppncheck.config import Config
from ppncheck.findings import Finding
from ppncheck.shape import all_text_fields

RULE_ID = "TPL002"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.:/,]\d+)*")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_SENTENCE_END = re.compile(r"[.!?:;\n]")
_MASK64 = (1 << 64) - 1
_MULT = np.uint64(0x9E3779B97F4A7C15)
_ROW_SALTS = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xA0761D6478BD642F)
_CAP = 65535

U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class NoteShingles:
    """What pass 1 computed for one note, kept for pass 2: hashes and sizes, never text."""

    hashes: U64  # every shingle of the note's long fields, field after field, in word order
    bounds: tuple[int, ...]  # where each long field's shingles start in ``hashes``, then the end
    fields: tuple[int, ...]  # each long field's index in ``all_text_fields(payload)``
    words: tuple[int, ...]  # each long field's number of normalised words

    @property
    def nbytes(self) -> int:
        """About what keeping this costs (the array, and the tuples at 8 bytes an entry)."""
        return int(self.hashes.nbytes) + 8 * (len(self.bounds) + 2 * len(self.fields)) + 200


@dataclass(frozen=True)
class Passage:
    """One templated passage in one field: word span, character span, estimated note count."""

    field: str
    start: int
    end: int
    words: int
    notes: int
    passage_id: str


class _WordIds:
    """Stable 64-bit ids for normalised words, memoised up to a bounded size."""

    def __init__(self, limit: int = 200_000) -> None:
        self._memo: dict[str, int] = {}
        self._limit = limit

    def __getstate__(self) -> dict[str, Any]:
        return {"_memo": {}, "_limit": self._limit}  # a cache: not worth sending to workers

    def __call__(self, words: list[str]) -> U64:
        memo = self._memo
        new = {w for w in words if w not in memo}
        if new:
            if len(memo) + len(new) > self._limit:
                memo.clear()
                new = set(words)  # the words this call already knew went with the memo
            for word in new:
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                memo[word] = int.from_bytes(digest, "little")
        return np.array([memo[w] for w in words], dtype=np.uint64)


def normalise(text: str, *, mask_names: bool = True) -> list[str]:
    """The normalised words of ``text`` (step 1), in order: the k-th is ``_WORD``'s k-th match.

    One ``split`` call yields every word and the gap before it; only a gap that is not a single
    space is searched for a sentence end (a capital after one opens a sentence, not a name).
    """
    parts = _WORD_SPLIT.split(text.replace("’", "'"))  # gap, word, gap, word, ..., gap
    words = parts[1::2]
    if not words:
        return []
    if not mask_names:
        return ["#" if w[0].isdigit() else w.lower() for w in words]
    # does word i go on the sentence of word i - 1?  (the first word opens one)
    goes_on = [False] + [g == " " or _SENTENCE_END.search(g) is None for g in parts[2:-1:2]]
    return [
        "#" if w[0].isdigit() else "@" if on and w[0].isupper() else w.lower()
        for w, on in zip(words, goes_on, strict=True)
    ]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets of the words ``normalise`` returns, in the same order: the running
    length of ``split``'s parts (gap, word, gap, ...) gives each word's start and end."""
    ends = list(itertools.accumulate(map(len, _WORD_SPLIT.split(text))))
    return list(zip(ends[0::2], ends[1::2], strict=False))  # one more gap than words


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

    def _shingles(self, fields: list[list[str]]) -> tuple[U64, list[int]]:
        """The shingle hashes of every field's words, concatenated, and where each field's
        hashes start (with the total at the end): one numpy pass per record, not per field,
        keeping only the shingles that lie inside one field."""
        w = self.shingle
        sizes = [max(0, len(words) - w + 1) for words in fields]
        bounds = [0, *itertools.accumulate(sizes)]
        if not bounds[-1]:
            return np.empty(0, dtype=np.uint64), bounds
        ids = self._ids([x for words in fields for x in words])
        n = len(ids) - w + 1
        h = np.zeros(n, dtype=np.uint64)
        for j in range(w):
            h += ids[j : j + n] * self._powers[j]
        if len(fields) > 1:  # drop the shingles that run from one field into the next
            starts = itertools.accumulate((len(words) for words in fields[:-1]), initial=0)
            h = h[np.concatenate([np.arange(s, s + k) for s, k in zip(starts, sizes, strict=True)])]
        # splitmix64 finaliser so that row indices taken from the high bits are well mixed
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
        return h, bounds

    def _rows(self, hashes: U64) -> list[npt.NDArray[np.intp]]:
        return [((hashes * salt) >> self._shift).astype(np.intp) for salt in self._salts]

    def _long_fields(self, payload: Any) -> list[tuple[int, list[str]]]:
        """(index in ``all_text_fields``, normalised words) of the text fields with at least
        ``min_words`` words.  A record has about 46 strings (names, codes, dates, short AWARE
        fields); one shorter than ``min_words`` characters cannot hold that many words."""
        out = []
        for index, (_, text) in enumerate(all_text_fields(payload)):
            if len(text) >= self.min_words:
                words = normalise(text, mask_names=self.mask_names)
                if len(words) >= self.min_words:
                    out.append((index, words))
        return out

    def shingles_of(self, payload: Any) -> NoteShingles:
        """One note's shingles (steps 1 and 2): what pass 1 counts and pass 2 looks up."""
        fields = self._long_fields(payload)
        hashes, bounds = self._shingles([words for _, words in fields])
        return NoteShingles(
            hashes=hashes,
            bounds=tuple(bounds),
            fields=tuple(index for index, _ in fields),
            words=tuple(len(words) for _, words in fields),
        )

    # -- pass 1 ----------------------------------------------------------------------------

    def add_notes(self, payloads: Iterable[Any]) -> list[NoteShingles]:
        """Count a chunk of notes (pass 1); call with every readable payload of the batch.
        Returns each note's shingles, which ``findings`` can take instead of hashing again."""
        notes = self.note_shingles(payloads)
        self.add_shingles(notes)
        return notes

    def note_shingles(self, payloads: Iterable[Any]) -> list[NoteShingles]:
        """Each note's shingles (the costly half of pass 1, and the half that needs no
        counts, so worker processes can do it for the parent)."""
        return [self.shingles_of(p) for p in payloads if p is not None]

    def add_shingles(self, notes: Sequence[NoteShingles]) -> None:
        """Count notes given as ``note_shingles`` output (the cheap half of pass 1)."""
        self.notes_seen += len(notes)
        per_note = [_distinct(n.hashes) for n in notes if n.hashes.size]
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

    def passages(self, payload: Any, shingles: NoteShingles | None = None) -> list[Passage]:
        """Templated passages in one record's text fields, at most one list entry per passage.

        ``shingles`` is what pass 1 computed for this payload (``shingles_of(payload)``); without
        it the note is normalised and hashed again.  The text is read only for a field that
        holds a hot shingle, to turn word indices into character offsets.
        """
        found: list[Passage] = []
        if payload is None:
            return found
        note = shingles if shingles is not None else self.shingles_of(payload)
        all_counts = self.estimate(note.hashes)
        if not (all_counts >= self.min_notes).any():
            return found
        texts = all_text_fields(payload)
        bounds = note.bounds
        for index, n_words, lo_h, hi_h in zip(
            note.fields, note.words, bounds[:-1], bounds[1:], strict=True
        ):
            hashes, counts = note.hashes[lo_h:hi_h], all_counts[lo_h:hi_h]
            hot = counts >= self.min_notes
            if not hot.any():
                continue
            path, text = texts[index]
            spans = word_spans(text)
            # a word is covered when a hot shingle holds it: +1 where one starts, -1 past its end
            edges = np.zeros(n_words + 1, dtype=np.int64)
            starts = np.flatnonzero(hot)  # distinct, so plain fancy indexing adds once each
            edges[starts] += 1
            edges[starts + self.shingle] -= 1
            covered = np.cumsum(edges[:-1]) > 0
            for first, last in _runs(covered, self.max_gap):
                if last - first + 1 < self.min_words:
                    continue
                # the hot shingles wholly inside the passage
                inside = slice(first, min(max(first, last - self.shingle + 1) + 1, len(hot)))
                keep = hot[inside]
                if not keep.any():
                    continue
                notes = int(counts[inside][keep].min())
                passage_id = f"{int(hashes[inside][keep].min()):016x}"[:12]
                found.append(
                    Passage(
                        field=path,
                        start=spans[first][0],
                        end=spans[last][1],
                        words=last - first + 1,
                        notes=notes,
                        passage_id=passage_id,
                    )
                )
        return found

    def findings(
        self, payload: Any, config: Config, shingles: NoteShingles | None = None
    ) -> list[Finding]:
        """TPL002 findings for one record: one per field, on its longest passage
        (``shingles`` as for ``passages``)."""
        from ppncheck.catalogue import catalogue

        by_field: dict[str, list[Passage]] = {}
        for p in self.passages(payload, shingles):
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


def _runs(covered: npt.NDArray[np.bool_], max_gap: int) -> list[tuple[int, int]]:
    """(first, last) word indices of covered stretches, bridging gaps of <= max_gap words."""
    idx = np.flatnonzero(covered)
    if idx.size == 0:
        return []
    cut = np.flatnonzero(np.diff(idx) > max_gap + 1)  # a stretch ends before each cut
    firsts = idx[np.concatenate(([0], cut + 1))].tolist()
    lasts = idx[np.concatenate((cut, [idx.size - 1]))].tolist()
    return list(zip(firsts, lasts, strict=True))


def _distinct(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``np.unique(values)`` of a non-empty 1-D integer array, without the call into
    ``numpy.ma`` with which ``np.unique`` imports the masked-array package (7 ms of every
    start-up that checks a record)."""
    ordered = np.sort(values)
    first = np.empty(ordered.shape, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]
