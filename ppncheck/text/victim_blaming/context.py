"""Context cues that decide whether a victim-blaming candidate is the writer's own wording.

Like ConText in medspaCy, the cue lists are data (``ppncheck/data/vb_context.toml``).  A cue is
*strong* (the candidate is removed: an attributed quotation, reported speech of someone else,
negation, a legal statement, an adult as the agent) or *weak* (the candidate needs the model to
agree: an unattributed quotation).  Every decision records the cue's name so a trainer can see
why a sentence was or was not flagged.

Speed: everything here works on one ``DocArrays`` per Doc (token attribute columns from a single
``Doc.to_array`` call, as Python lists) and on cue matches found once per Doc by the shared
``PatternSet``; no spaCy Token or Span object is created per sentence.  Word lists are compared
as norm hashes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, IS_TITLE, LENGTH, NORM, ORTH, SENT_START, SPACY
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ppncheck.resources import DataFileError, data_path, load_toml_validated
from ppncheck.text.sentences import doc_text
from ppncheck.text.victim_blaming.patterns import PatternError, PatternSet, Tokenise, compile_many

SCHEMA_NAME = "vb_context"
BUILTIN_FILE = "vb_context.toml"

QUOTATION = "quotation"
UNATTRIBUTED_QUOTATION = "unattributed_quotation"
REPORTED_SPEECH = "reported_speech"
NEGATION = "negation"
LEGAL = "legal_context"
ADULT_AGENT = "adult_agent"
ORDINARY_USE = "ordinary_use"  # vetoes a model-only hit only; never removes a lexicon hit
# the note speaks of nothing a model-only hit of its category presupposes ([category_context])
CATEGORY_CONTEXT = "category_context"

STRONG_CUES = frozenset({QUOTATION, REPORTED_SPEECH, NEGATION, LEGAL, ADULT_AGENT})
_MAX_QUOTE_TOKENS = 80
# a chat log pasted into a note: "[21:14] amira.b.x: ..." or "21:14 Kez - ...", one message
# a line, its sender before the separator
_CHAT_LINE = re.compile(
    r"^[ \t>*•-]*(?:\[\d{1,2}[:.]\d{2}(?::\d{2})?\]|\d{1,2}[:.]\d{2})[ \t]*"
    r"[^\s:\[\]]{1,30}(?:[ \t][^\s:\[\]]{1,20})?[ \t]*[:–-][ \t]*(?P<message>\S[^\n]*)$",
    re.MULTILINE,
)
_ATTRIBUTION_REACH = 12
_DETERMINERS = frozenset({"the", "a", "an", "her", "his", "their", "this", "that"})


def load_context_rules() -> dict[str, Any]:
    """The validated cue file as a plain mapping."""
    return load_toml_validated(data_path(BUILTIN_FILE), SCHEMA_NAME)


_COLUMNS = [NORM, SENT_START, IS_SPACE]  # read for every doc of a batch
_CONTEXT_COLUMNS = [IS_PUNCT, IS_TITLE, IDX, LENGTH, SPACY, ORTH]  # only when context is needed


class DocArrays:
    """The token columns the detector needs for one Doc, read once for a whole batch.

    ``norms`` and the sentence bounds are always needed; the other columns only when a sentence
    needs context checks or a hit needs offsets: ``ensure_context()`` reads them then.
    """

    # filled by ensure_context(); class-level empties so most docs allocate nothing for them
    is_space: list[int] = []  # noqa: RUF012
    is_punct: list[int] = []  # noqa: RUF012
    is_title: list[int] = []  # noqa: RUF012
    idx: list[int] = []  # noqa: RUF012
    length: list[int] = []  # noqa: RUF012
    ws: list[int] = []  # noqa: RUF012
    orths: list[int] = []  # noqa: RUF012

    def __init__(
        self, doc: Doc, raw: npt.NDArray[np.uint64], norms: list[int], sent_starts: list[int]
    ) -> None:
        self.doc = doc
        self.raw = raw
        self.norms = norms
        self.sent_starts = sent_starts
        n = len(norms)
        ends = [*sent_starts[1:], n] if sent_starts else []  # an empty doc has no sentence
        self.sents = list(zip(sent_starts, ends, strict=True))
        self.has_context = False

    @classmethod
    def of(cls, doc: Doc) -> DocArrays:
        return batch_arrays([doc]).docs[0]

    def ensure_context(self) -> None:
        """Read the columns context checks and hit offsets need (once; most docs never do)."""
        if self.has_context:
            return
        self.has_context = True
        self.is_space = self.raw[:, 2].tolist()
        if not self.norms:
            return
        cols = self.doc.to_array(_CONTEXT_COLUMNS)
        (
            self.is_punct,
            self.is_title,
            self.idx,
            self.length,
            self.ws,
            self.orths,
        ) = (cols[:, j].tolist() for j in range(len(_CONTEXT_COLUMNS)))

    def start_char(self, i: int) -> int:
        return self.idx[i]

    def end_char(self, i: int) -> int:
        """End offset of token ``i`` (inclusive token index)."""
        return self.idx[i] + self.length[i]

    @property
    def text(self) -> str:
        """The doc's text, rebuilt from its tokens only once per Doc (``doc_text``)."""
        return doc_text(self.doc)

    def text_of(self, i: int) -> str:
        return str(self.doc.vocab.strings[self.orths[i]])

    def sentence_of(self, i: int) -> int:
        return bisect.bisect_right(self.sent_starts, i) - 1

    def adult_names(self, min_age: int) -> frozenset[int]:
        """Forenames (orth hashes) of the people the note reader finds to be adults by an age
        or a date of birth: "Maureen HUGHES, 68", "Dilan (41)", "Bridget McGINLEY, 27 (DOB
        ...)": wording about them is about an adult, whichever sentence it is in (once per
        doc; needs ``ensure_context``)."""
        cached = self.__dict__.get("_adult_names")
        if cached is not None:
            return cached
        from ppncheck.read.note import read_note  # a note's people, read once per text

        names: set[int] = set()
        for person in read_note(self.text).persons:
            age = person.age_years
            if person.child is False and (age is None or min_age <= age <= 120):
                forename = person.name_words[0]
                if forename[:1].isupper() and forename[1:].islower():
                    names.add(self.doc.vocab.strings.as_int(forename))
        frozen = frozenset(names)
        self.__dict__["_adult_names"] = frozen
        return frozen


@dataclass
class BatchArrays:
    """Every doc's columns, plus the batch-wide token columns the classifier needs:
    the norm of each non-space token and the (batch-wide) sentence number it belongs to."""

    docs: list[DocArrays]
    word_norms: npt.NDArray[np.uint64]
    word_rows: npt.NDArray[np.int64]
    n_sents: int


def batch_arrays(docs: Sequence[Doc]) -> BatchArrays:
    """One ``to_array`` per doc, then everything else vectorised over the whole batch."""
    lens = [len(d) for d in docs]
    raws: list[npt.NDArray[np.uint64]] = [
        np.asarray(d.to_array(_COLUMNS), dtype=np.uint64)
        if n
        else np.zeros((0, len(_COLUMNS)), dtype=np.uint64)
        for d, n in zip(docs, lens, strict=True)
    ]
    big = np.concatenate(raws) if raws else np.zeros((0, len(_COLUMNS)), dtype=np.uint64)
    total = big.shape[0]
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lens, out=offsets[1:])
    is_start = big[:, 1] == 1
    firsts = offsets[:-1][np.asarray(lens) > 0] if docs else offsets[:0]
    is_start[firsts] = True  # a doc's first token always starts a sentence
    start_pos = np.flatnonzero(is_start)
    norms_all = big[:, 0].tolist()
    cut = np.searchsorted(start_pos, offsets).tolist()
    starts_all = start_pos.tolist()
    out = []
    for i, doc in enumerate(docs):
        o, e = int(offsets[i]), int(offsets[i + 1])
        starts = [s - o for s in starts_all[cut[i] : cut[i + 1]]]
        out.append(DocArrays(doc, raws[i], norms_all[o:e], starts))
    rows = np.cumsum(is_start) - 1
    keep = big[:, 2] != 1
    return BatchArrays(
        docs=out,
        word_norms=big[keep, 0].astype(np.uint64),
        word_rows=rows[keep].astype(np.int64),
        n_sents=len(start_pos) if total else 0,
    )


@dataclass(frozen=True)
class QuoteRegion:
    """Token indices of the quoted words (exclusive of the quote marks) and whether attributed."""

    start: int
    end: int
    attributed: bool


@dataclass
class SentenceContext:
    """Cue matches in one sentence, in doc token indices."""

    arrays: DocArrays
    start: int
    end: int
    matches: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def of(self, key: str) -> list[tuple[int, int]]:
        return self.matches.get(key, [])


class _WordSet:
    """Single-token words with optional ``/regex/`` members, compared on the NORM hash."""

    def __init__(self, words: Iterable[str], vocab: Vocab) -> None:
        words = list(words)
        self.strings = vocab.strings
        self.plain = frozenset(
            int(vocab.strings.add(w.lower()))
            for w in words
            if not (w.startswith("/") and w.endswith("/"))
        )
        self.regexes = [re.compile(w[1:-1]) for w in words if w.startswith("/") and w.endswith("/")]
        self._cache: dict[int, bool] = {}

    def __contains__(self, norm_hash: object) -> bool:
        if norm_hash in self.plain:
            return True
        if not self.regexes or not isinstance(norm_hash, int):
            return False
        hit = self._cache.get(norm_hash)
        if hit is None:
            norm = self.strings[norm_hash]
            hit = any(r.search(norm) for r in self.regexes)
            self._cache[norm_hash] = hit
        return hit


CUE_PREFIX = "ctx:"
_CUE_KEYS = (
    "SPEAKER",
    "VERB",
    "ACCORDING",
    "NEG",
    "NEAR_NEG",
    "SENT_NEG",
    "LEGAL",
    "ADULT_PAT",
    "ADULT_AGE",
    "ORDINARY",
)


def cue_sources(rules: dict[str, Any]) -> dict[str, list[str]]:
    """The cue file's phrase patterns, by matcher key (``ctx:`` and the cue's name), in the
    order they are added to the cue ``PatternSet``."""
    rs, neg = rules["reported_speech"], rules["negation"]
    legal, adult = rules["legal"], rules["adult_agent"]
    sources = {
        "SPEAKER": ["{" + "|".join(rs["speakers"]) + "}"],
        "VERB": ["{" + "|".join(rs["verbs"]) + "}"],
        "ACCORDING": ["according to"],
        "NEG": neg["patterns"],
        "NEAR_NEG": neg["near_patterns"],
        "SENT_NEG": neg["sentence_patterns"],
        "LEGAL": legal["patterns"],
        "ADULT_PAT": adult["patterns"],
        "ADULT_AGE": adult["adult_age_patterns"],
        "ORDINARY": rules.get("ordinary_use", {}).get("sentence_patterns", []),
    }
    return {CUE_PREFIX + key: list(sources[key]) for key in _CUE_KEYS if sources[key]}


def add_cue_patterns(patterns: PatternSet, rules: dict[str, Any], tokenise: Tokenise) -> None:
    """Compile the cue file's phrase patterns into ``patterns`` (the detector's cue matcher,
    run once per Doc that needs context, so cue matching costs no extra pass per cue)."""
    try:
        for key, sources in cue_sources(rules).items():
            patterns.add(key, compile_many(sources, tokenise))
    except PatternError as exc:
        raise DataFileError(data_path(BUILTIN_FILE), [str(exc)]) from None


class ContextChecker:
    """Finds cues around candidates; built once per pipeline from the cue file.

    Its phrase patterns are matched by the detector's cue ``PatternSet`` (``add_cue_patterns``
    or the compiled tables), keys prefixed ``ctx:``.
    """

    def __init__(self, rules: dict[str, Any], vocab: Vocab, tokenise: Tokenise) -> None:
        self.rules = rules
        q, rs, neg = rules["quotation"], rules["reported_speech"], rules["negation"]
        legal, adult = rules["legal"], rules["adult_agent"]
        h = vocab.strings.add
        self.not_speakers = frozenset(int(h(w.lower())) for w in rs["not_speakers"])
        self.open_quotes = set(q["open_quotes"])
        self.close_quotes = set(q["close_quotes"])
        quote_norms = {n for ch in self.open_quotes | self.close_quotes for n in tokenise(ch)}
        quote_norms |= self.open_quotes | self.close_quotes
        self.quote_hashes = frozenset(int(h(ch)) for ch in quote_norms)
        self.speech_verbs = _WordSet(q["speech_verbs"], vocab)
        self.attribution_tokens = set(q["attribution_tokens"])
        self.rs_window = int(rs["window"])
        self.neg_window = int(neg["window"])
        self.near_window = int(neg["near_window"])
        self.clause_breaks = frozenset(int(h(w.lower())) for w in neg["clause_breaks"])
        self.semicolon = frozenset({int(h(";"))})
        self.said_objects = frozenset(int(h(w)) for w in ("this", "that", "it", "so"))
        self.and_but = frozenset(int(h(w)) for w in ("and", "but", ","))
        self.contrast = frozenset(
            int(h(w)) for w in (";", "but", "though", "although", "however", "yet", "whereas")
        )
        self.adult_stops = self.clause_breaks | {int(h(w)) for w in (",", "and", "who", "which")}
        self.determiners = frozenset(int(h(w)) for w in _DETERMINERS)
        self.legal_applies = set(legal["applies_to"])
        self.adult_applies = set(adult["applies_to"])
        self.adult_age_applies = set(adult["adult_age_applies_to"])
        self.adult_nouns = _WordSet(adult["adult_nouns"], vocab)
        self.child_words = _WordSet(adult["child_words"], vocab)
        self.adult_window = int(adult["window"])
        self.adult_min_age = 18

    # -- per doc / per sentence -----------------------------------------------------------------

    def split_by_sentence(
        self, arrays: DocArrays, matches: Iterable[tuple[str, int, int]]
    ) -> dict[int, dict[str, list[tuple[int, int]]]]:
        """Cue matches (keys without the prefix) grouped by the sentence that contains them."""
        out: dict[int, dict[str, list[tuple[int, int]]]] = {}
        for key, s, e in matches:
            k = arrays.sentence_of(s)
            if e > arrays.sents[k][1]:
                continue  # crosses a sentence break: the per-sentence matcher never saw it
            out.setdefault(k, {}).setdefault(key, []).append((s, e))
        for per_key in out.values():
            for v in per_key.values():
                v.sort()
        return out

    def sentence_context(
        self,
        arrays: DocArrays,
        start: int,
        end: int,
        matches: dict[str, list[tuple[int, int]]] | None,
    ) -> SentenceContext:
        ctx = SentenceContext(arrays, start, end, dict(matches or {}))
        ctx.matches["RS"] = self._speech_matches(ctx)
        return ctx

    def _speech_matches(self, ctx: SentenceContext) -> list[tuple[int, int]]:
        """ "<speaker> (one word)? <verb>" and "according to <speaker>", in doc token indices."""
        speaker_ends = {e: s for s, e in ctx.of("SPEAKER")}
        found = []
        for vs, ve in ctx.of("VERB"):
            for gap in (0, 1):
                end = vs - gap
                if end in speaker_ends:
                    found.append((speaker_ends[end], ve))
                    break
                if end - 1 >= ctx.start and self._is_name(ctx.arrays, end - 1):
                    found.append((end - 1, ve))
                    break
        speaker_starts = {s: e for s, e in ctx.of("SPEAKER")}
        norms = ctx.arrays.norms
        for s, e in ctx.of("ACCORDING"):
            if e < ctx.end and norms[e] in self.determiners:
                e += 1  # "according to her aunt", "according to the driver"
            if e in speaker_starts:
                found.append((s, speaker_starts[e]))
            elif e < ctx.end and self._is_name(ctx.arrays, e):
                found.append((s, e + 1))
        return found

    def _is_name(self, arrays: DocArrays, i: int) -> bool:
        return bool(arrays.is_title[i]) and arrays.norms[i] not in self.not_speakers

    def quote_regions(self, arrays: DocArrays) -> list[QuoteRegion]:
        """Pair quote marks across the doc (quotes may span a sentence break); a chat log's
        message lines ("[08:05] Kez: if ur short ...") are quotes of their sender too."""
        return sorted(self._chat_lines(arrays) + self._quote_marks(arrays), key=lambda r: r.start)

    def _chat_lines(self, arrays: DocArrays) -> list[QuoteRegion]:
        text = arrays.text
        if ":" not in text:
            return []
        regions: list[QuoteRegion] = []
        for m in _CHAT_LINE.finditer(text):
            first = bisect.bisect_left(arrays.idx, m.start("message"))
            last = bisect.bisect_left(arrays.idx, m.end("message"))
            if last > first:
                regions.append(QuoteRegion(first, last, True))
        return regions

    def _quote_marks(self, arrays: DocArrays) -> list[QuoteRegion]:
        norms = arrays.norms
        if self.quote_hashes.isdisjoint(norms):
            return []
        positions = [i for i, h in enumerate(norms) if h in self.quote_hashes]
        regions: list[QuoteRegion] = []
        open_at: int | None = None
        n = len(norms)
        for i in positions:
            ch = arrays.text_of(i)
            if ch not in self.open_quotes and ch not in self.close_quotes:
                continue
            before_ok = i == 0 or arrays.ws[i - 1]
            if not before_ok:
                prev = arrays.text_of(i - 1)
                before_ok = not prev or prev[-1].isspace() or prev[-1] in "([:"
            after_tight = not arrays.ws[i] and i + 1 < n
            if open_at is not None and ch in self.close_quotes and not before_ok:
                if i - open_at <= _MAX_QUOTE_TOKENS and i > open_at + 1:
                    regions.append(
                        QuoteRegion(open_at + 1, i, self._attributed(arrays, open_at, i))
                    )
                open_at = None
            elif ch in self.open_quotes and before_ok and after_tight:
                open_at = i
        return regions

    def _attributed(self, arrays: DocArrays, open_i: int, close_i: int) -> bool:
        if open_i > 0 and arrays.text_of(open_i - 1) in self.attribution_tokens:
            return True
        lo = max(0, open_i - _ATTRIBUTION_REACH)
        hi = min(len(arrays.norms), close_i + 1 + _ATTRIBUTION_REACH)
        norms = arrays.norms
        return any(
            norms[i] in self.speech_verbs for i in (*range(lo, open_i), *range(close_i + 1, hi))
        )

    # -- per candidate --------------------------------------------------------------------------

    def candidate_cues(
        self,
        ctx: SentenceContext,
        quotes: list[QuoteRegion],
        start: int,
        end: int,
        category: str,
    ) -> tuple[str, ...]:
        """Cue names that apply to the candidate at doc tokens [start, end)."""
        cues: list[str] = []
        for region in quotes:
            if region.start <= start and end <= region.end:
                cues.append(QUOTATION if region.attributed else UNATTRIBUTED_QUOTATION)
                break
        if self._reported(ctx, start, end):
            cues.append(REPORTED_SPEECH)
        if self._negated(ctx, start):
            cues.append(NEGATION)
        if category in self.legal_applies and ctx.of("LEGAL"):
            cues.append(LEGAL)
        by_adult = category in self.adult_applies and (
            self._adult_before(ctx, start) or bool(ctx.of("ADULT_PAT")) or self._adult_aged(ctx)
        )
        adult_age = category in self.adult_age_applies and bool(ctx.of("ADULT_AGE"))
        if by_adult or adult_age:
            cues.append(ADULT_AGENT)
        return tuple(cues)

    def _reported(self, ctx: SentenceContext, start: int, end: int) -> bool:
        for s, e in ctx.of("RS"):
            if (
                e <= start
                and start - e <= self.rs_window
                and not self._breaks(ctx.arrays, e, start, self.semicolon)
                and not self._said_this_and(ctx.arrays, e, start)
            ):
                return True
            if s >= end and e >= ctx.end - 2:
                return True
        return False

    def _negated(self, ctx: SentenceContext, start: int) -> bool:
        for key, window in (("NEG", self.neg_window), ("NEAR_NEG", self.near_window)):
            for _s, e in ctx.of(key):
                if (
                    e <= start
                    and start - e <= window
                    and not self._breaks(ctx.arrays, e, start, self.clause_breaks)
                ):
                    return True
        return False

    def _adult_before(self, ctx: SentenceContext, start: int) -> bool:
        a = ctx.arrays
        norms = a.norms
        lo = max(ctx.start, start - self.adult_window)
        for i in range(start - 1, lo - 1, -1):
            norm = norms[i]
            if norm in self.adult_stops or norm in self.child_words:
                return False
            if norm in self.adult_nouns or self._named_adult(a, i):
                return True
        return False

    def _named_adult(self, a: DocArrays, i: int) -> bool:
        """Token ``i`` is the forename of someone the doc gives an adult age."""
        return bool(a.is_title[i]) and a.orths[i] in a.adult_names(self.adult_min_age)

    def _said_this_and(self, arrays: DocArrays, e: int, start: int) -> bool:
        """ "She has said this before and keeps going back to him": the speech verb's object
        is "this" and an "and" or "but" closes it before the candidate, which is the writer's."""
        if e >= start or arrays.norms[e] not in self.said_objects:
            return False
        return self._breaks(arrays, e + 1, start, self.and_but)

    @staticmethod
    def _breaks(arrays: DocArrays, lo: int, hi: int, breaks: frozenset[int]) -> bool:
        norms = arrays.norms
        return any(norms[i] in breaks for i in range(lo, hi))

    # -- whole sentence (vetoes a model-only hit) -----------------------------------------------

    def sentence_veto(
        self, ctx: SentenceContext, quotes: list[QuoteRegion], category: str | None = None
    ) -> tuple[str, ...]:
        """Cues that veto a model-only hit in the sentence; ``category`` is the model's (an
        adult as the subject vetoes only the categories the adult-agent cue applies to: "Ryan
        is Chloe's boyfriend" frames the adult himself)."""
        cues: list[str] = []
        a = ctx.arrays
        attributed = [r for r in quotes if r.attributed and r.start < ctx.end and ctx.start < r.end]
        if attributed:
            words = [i for i in range(ctx.start, ctx.end) if not (a.is_punct[i] or a.is_space[i])]
            quoted = sum(1 for i in words if any(r.start <= i < r.end for r in attributed))
            if words and quoted * 2 >= len(words):
                cues.append(QUOTATION)
        if any(not self._breaks(a, e, ctx.end, self.contrast) for _s, e in ctx.of("RS")):
            # a contrast clause after the reported words ("..., but she has lied before") is
            # the writer's own comment, which the model may still flag
            cues.append(REPORTED_SPEECH)
        if ctx.of("SENT_NEG"):
            cues.append(NEGATION)
        if ctx.of("LEGAL"):
            cues.append(LEGAL)
        if (category is None or category in self.adult_applies) and (
            ctx.of("ADULT_PAT") or self._adult_subject(ctx) or self._adult_aged(ctx)
        ):
            cues.append(ADULT_AGENT)
        if ctx.of("ORDINARY"):
            cues.append(ORDINARY_USE)
        return tuple(cues)

    def _adult_aged(self, ctx: SentenceContext) -> bool:
        """The sentence's first word (or a forename and surname) is followed by an adult age:
        "Carl, aged 34, ...", "Wayne, 29, ...", "Dean (41) ...", "Craig SHAW, 36, ...", or it
        opens "The 23 year old ..."."""
        a = ctx.arrays
        i = ctx.start + 1
        if i + 2 >= ctx.end:
            return False
        text = a.text_of
        if a.is_title[ctx.start] and (a.is_title[i] or text(i).isupper()) and text(i).isalpha():
            i += 1  # a surname after the forename
            if i + 2 >= ctx.end:
                return False
        if a.norms[ctx.start] in self.determiners and text(i).isdigit():
            j = i + 1 + (text(i + 1) == "-")
            if j < ctx.end and text(j).lower() in ("year", "years"):
                return self.adult_min_age <= int(text(i)) <= 120
        if text(i) not in (",", "("):
            return False
        j = i + 1
        if text(j).lower() in ("aged", "age"):
            j += 1
        if j + 1 >= ctx.end or not text(j).isdigit() or text(j + 1) not in (",", ")"):
            return False
        return self.adult_min_age <= int(text(j)) <= 120

    def _adult_subject(self, ctx: SentenceContext) -> bool:
        """The sentence opens with an adult as its subject ("The suspect refused to engage",
        "Leanne was flat ..." when the doc gives Leanne an adult age)."""
        norms = ctx.arrays.norms
        for i in range(ctx.start, min(ctx.end, ctx.start + 3)):
            if norms[i] in self.determiners:
                continue
            return norms[i] in self.adult_nouns or self._named_adult(ctx.arrays, i)
        return False
