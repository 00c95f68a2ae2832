"""Context cues that decide whether a victim-blaming candidate is the writer's own wording.

Like ConText in medspaCy, the cue lists are data (``ppncheck/data/vb_context.toml``).  A cue is
*strong* (the candidate is removed: an attributed quotation, reported speech of someone else,
negation, a legal statement, an adult as the agent) or *weak* (the candidate needs the model to
agree: an unattributed quotation).  Every decision records the cue's name so a trainer can see
why a sentence was or was not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ppncheck.resources import DataFileError, data_path, load_toml_validated
from ppncheck.text.victim_blaming.patterns import PatternError, PatternSet, Tokenise, compile_many

SCHEMA_NAME = "vb_context"
BUILTIN_FILE = "vb_context.toml"

QUOTATION = "quotation"
UNATTRIBUTED_QUOTATION = "unattributed_quotation"
REPORTED_SPEECH = "reported_speech"
NEGATION = "negation"
LEGAL = "legal_context"
ADULT_AGENT = "adult_agent"

STRONG_CUES = frozenset({QUOTATION, REPORTED_SPEECH, NEGATION, LEGAL, ADULT_AGENT})
_MAX_QUOTE_TOKENS = 80
_ATTRIBUTION_REACH = 12
_DETERMINERS = frozenset({"the", "a", "an", "her", "his", "their", "this", "that"})


def load_context_rules() -> dict[str, Any]:
    """The validated cue file as a plain mapping."""
    return load_toml_validated(data_path(BUILTIN_FILE), SCHEMA_NAME)


@dataclass(frozen=True)
class QuoteRegion:
    """Token indices of the quoted words (exclusive of the quote marks) and whether attributed."""

    start: int
    end: int
    attributed: bool


@dataclass
class SentenceContext:
    """Cue matches in one sentence, in doc token indices."""

    sent: Span
    matches: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def of(self, key: str) -> list[tuple[int, int]]:
        return self.matches.get(key, [])


class _WordSet:
    """Single-token words with optional ``/regex/`` members, compared on NORM."""

    def __init__(self, words: Iterable[str]) -> None:
        self.plain = {w.lower() for w in words if not (w.startswith("/") and w.endswith("/"))}
        self.regexes = [re.compile(w[1:-1]) for w in words if w.startswith("/") and w.endswith("/")]

    def __contains__(self, norm: object) -> bool:
        if not isinstance(norm, str):
            return False
        return norm in self.plain or any(r.search(norm) for r in self.regexes)


class ContextChecker:
    """Finds cues around candidates; built once per pipeline from the cue file."""

    def __init__(self, rules: dict[str, Any], vocab: Vocab, tokenise: Tokenise) -> None:
        self.rules = rules
        self.patterns = PatternSet(vocab)
        q, rs, neg = rules["quotation"], rules["reported_speech"], rules["negation"]
        legal, adult = rules["legal"], rules["adult_agent"]
        try:
            self._add("SPEAKER", ["{" + "|".join(rs["speakers"]) + "}"], tokenise)
            self._add("VERB", ["{" + "|".join(rs["verbs"]) + "}"], tokenise)
            self._add("ACCORDING", ["according to"], tokenise)
            self._add("NEG", neg["patterns"], tokenise)
            self._add("NEAR_NEG", neg["near_patterns"], tokenise)
            self._add("SENT_NEG", neg["sentence_patterns"], tokenise)
            self._add("LEGAL", legal["patterns"], tokenise)
            self._add("ADULT_PAT", adult["patterns"], tokenise)
            self._add("ADULT_AGE", adult["adult_age_patterns"], tokenise)
        except PatternError as exc:
            raise DataFileError(data_path(BUILTIN_FILE), [str(exc)]) from None
        self.not_speakers = {w.lower() for w in rs["not_speakers"]}
        self.open_quotes = set(q["open_quotes"])
        self.close_quotes = set(q["close_quotes"])
        self.speech_verbs = _WordSet(q["speech_verbs"])
        self.attribution_tokens = set(q["attribution_tokens"])
        self.rs_window = int(rs["window"])
        self.neg_window = int(neg["window"])
        self.near_window = int(neg["near_window"])
        self.clause_breaks = {w.lower() for w in neg["clause_breaks"]}
        self.legal_applies = set(legal["applies_to"])
        self.adult_applies = set(adult["applies_to"])
        self.adult_age_applies = set(adult["adult_age_applies_to"])
        self.adult_nouns = _WordSet(adult["adult_nouns"])
        self.child_words = _WordSet(adult["child_words"])
        self.adult_window = int(adult["window"])

    def _add(self, key: str, patterns: list[str], tokenise: Tokenise) -> None:
        if patterns:
            self.patterns.add(key, compile_many(patterns, tokenise))

    # -- per sentence ---------------------------------------------------------------------------

    def sentence_context(self, sent: Span) -> SentenceContext:
        ctx = SentenceContext(sent)
        for key, s, e in self.patterns(sent):
            ctx.matches.setdefault(key, []).append((s, e))
        ctx.matches["RS"] = self._speech_matches(sent, ctx)
        return ctx

    def _speech_matches(self, sent: Span, ctx: SentenceContext) -> list[tuple[int, int]]:
        """"<speaker> (one word)? <verb>" and "according to <speaker>", in doc token indices."""
        doc = sent.doc
        speaker_ends = {e: s for s, e in ctx.of("SPEAKER")}
        found = []
        for vs, ve in ctx.of("VERB"):
            for gap in (0, 1):
                end = vs - gap
                if end in speaker_ends:
                    found.append((speaker_ends[end], ve))
                    break
                if end - 1 >= sent.start and self._is_name(doc[end - 1]):
                    found.append((end - 1, ve))
                    break
        speaker_starts = {s: e for s, e in ctx.of("SPEAKER")}
        for s, e in ctx.of("ACCORDING"):
            if e in speaker_starts:
                found.append((s, speaker_starts[e]))
            elif e < sent.end and self._is_name(doc[e]):
                found.append((s, e + 1))
        return found

    def _is_name(self, tok: Token) -> bool:
        return tok.is_title and tok.norm_ not in self.not_speakers

    def quote_regions(self, doc: Doc) -> list[QuoteRegion]:
        """Pair quote marks across the doc (quotes may span a sentence break)."""
        regions: list[QuoteRegion] = []
        open_at: int | None = None
        text = doc.text
        for tok in doc:
            ch = tok.text
            if ch not in self.open_quotes and ch not in self.close_quotes:
                continue
            before_ok = tok.idx == 0 or text[tok.idx - 1].isspace() or text[tok.idx - 1] in "([:"
            after_tight = tok.whitespace_ == "" and tok.i + 1 < len(doc)
            if open_at is not None and ch in self.close_quotes and not before_ok:
                if tok.i - open_at <= _MAX_QUOTE_TOKENS and tok.i > open_at + 1:
                    regions.append(
                        QuoteRegion(open_at + 1, tok.i, self._attributed(doc, open_at, tok.i))
                    )
                open_at = None
            elif ch in self.open_quotes and before_ok and after_tight:
                open_at = tok.i
        return regions

    def _attributed(self, doc: Doc, open_i: int, close_i: int) -> bool:
        if open_i > 0 and doc[open_i - 1].text in self.attribution_tokens:
            return True
        lo = max(0, open_i - _ATTRIBUTION_REACH)
        hi = min(len(doc), close_i + 1 + _ATTRIBUTION_REACH)
        for i in (*range(lo, open_i), *range(close_i + 1, hi)):
            if doc[i].norm_ in self.speech_verbs:
                return True
        return False

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
        doc = ctx.sent.doc
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
        by_adult = category in self.adult_applies and self._adult_before(doc, ctx.sent.start, start)
        adult_age = category in self.adult_age_applies and bool(ctx.of("ADULT_AGE"))
        if by_adult or adult_age:
            cues.append(ADULT_AGENT)
        return tuple(cues)

    def _reported(self, ctx: SentenceContext, start: int, end: int) -> bool:
        sent_end = ctx.sent.end
        for s, e in ctx.of("RS"):
            if (
                e <= start
                and start - e <= self.rs_window
                and not self._breaks(ctx.sent.doc, e, start, {";"})
            ):
                return True
            if s >= end and e >= sent_end - 2:
                return True
        return False

    def _negated(self, ctx: SentenceContext, start: int) -> bool:
        doc = ctx.sent.doc
        for key, window in (("NEG", self.neg_window), ("NEAR_NEG", self.near_window)):
            for _s, e in ctx.of(key):
                if (
                    e <= start
                    and start - e <= window
                    and not self._breaks(doc, e, start, self.clause_breaks)
                ):
                    return True
        return False

    def _adult_before(self, doc: Doc, sent_start: int, start: int) -> bool:
        lo = max(sent_start, start - self.adult_window)
        for i in range(start - 1, lo - 1, -1):
            norm = doc[i].norm_
            if norm in self.clause_breaks or norm in {",", "and", "who", "which"}:
                return False
            if norm in self.child_words:
                return False
            if norm in self.adult_nouns:
                return True
        return False

    @staticmethod
    def _breaks(doc: Doc, lo: int, hi: int, breaks: set[str]) -> bool:
        return any(doc[i].norm_ in breaks for i in range(lo, hi))

    # -- whole sentence (vetoes a model-only hit) -----------------------------------------------

    def sentence_veto(self, ctx: SentenceContext, quotes: list[QuoteRegion]) -> tuple[str, ...]:
        cues: list[str] = []
        sent = ctx.sent
        words = [t.i for t in sent if not (t.is_punct or t.is_space)]
        if words:
            quoted = sum(
                1 for i in words if any(r.attributed and r.start <= i < r.end for r in quotes)
            )
            if quoted * 2 >= len(words):
                cues.append(QUOTATION)
        if ctx.of("RS"):
            cues.append(REPORTED_SPEECH)
        if ctx.of("SENT_NEG"):
            cues.append(NEGATION)
        if ctx.of("LEGAL"):
            cues.append(LEGAL)
        if ctx.of("ADULT_PAT") or self._adult_subject(sent):
            cues.append(ADULT_AGENT)
        return tuple(cues)

    def _adult_subject(self, sent: Span) -> bool:
        """The sentence opens with an adult as its subject ("The suspect refused to engage")."""
        for tok in sent[:3]:
            norm = tok.norm_
            if norm in _DETERMINERS:
                continue
            return norm in self.adult_nouns
        return False
