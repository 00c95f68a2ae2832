"""The shipped VB001 decision: a lexicon hit that survives context, or a model score at or above
the threshold in a sentence that context does not veto.

Both the spaCy component and ``train.evaluate`` go through ``Detector.detect`` so that the
metrics in the model card measure exactly what users run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab

from ppncheck.resources import data_path
from ppncheck.text.analysis_types import VBHit
from ppncheck.text.victim_blaming.classifier import SentenceModel, load_model
from ppncheck.text.victim_blaming.context import (
    CATEGORY_CONTEXT,
    CUE_PREFIX,
    STRONG_CUES,
    ContextChecker,
    DocArrays,
    QuoteRegion,
    batch_arrays,
    load_context_rules,
)
from ppncheck.text.victim_blaming.lexicon import Lexicon, load_lexicon
from ppncheck.text.victim_blaming.patterns import Tokenise, freeze

_UNLESS = "#unless"
# [category_context] is judged on a whole note: a text this many sentences long at least
_NOTE_SENTENCES = 3


@dataclass(frozen=True)
class Candidate:
    start: int  # doc token indices
    end: int
    entry_id: str
    category: str
    cues: tuple[str, ...] = ()


@dataclass(slots=True)
class SentenceResult:
    """What the detector knows about one sentence, enough to re-decide at another threshold."""

    start: int
    end: int
    prob: float | None
    model_category: str | None
    lexicon_kept: bool  # a lexicon hit with no cue at all
    model_eligible: bool  # no veto: a model-only hit may be made here
    veto: tuple[str, ...] = ()
    weak_lexicon: bool = False  # a lexicon hit a weak cue lowered: kept if the model agrees
    # about the victim's own conduct, choices, character ... (blame frame): a cue of the context
    # file says so, or the frame classifier's probability reaches the frame threshold
    framed: bool = True
    frame_prob: float | None = None  # the frame classifier's probability (None: no frame head)

    def in_frame(self, frame_threshold: float | None) -> bool:
        """In a blame frame by a cue, or by the frame classifier at this threshold."""
        return self.framed or (
            frame_threshold is not None
            and self.frame_prob is not None
            and self.frame_prob >= frame_threshold
        )

    def decide(
        self,
        threshold: float,
        agree_threshold: float | None = None,
        unframed_threshold: float | None = None,
        frame_threshold: float | None = None,
    ) -> bool:
        """Flagged at these thresholds (model-only hits in a blame frame / outside one /
        agreement with a lowered lexicon hit; the frame classifier's threshold)?  ``framed``
        must hold the cue decision (``full_context`` detection) for this to re-decide."""
        if self.lexicon_kept:
            return True
        if self.prob is None:
            return False
        agree = threshold if agree_threshold is None else agree_threshold
        if self.weak_lexicon and self.prob >= agree:
            return True
        if not self.model_eligible:
            return False
        if self.in_frame(frame_threshold):
            return self.prob >= threshold
        return unframed_threshold is not None and self.prob >= unframed_threshold


@dataclass
class DocResult:
    hits: list[VBHit] = field(default_factory=list)
    suppressed: list[Candidate] = field(default_factory=list)
    sentences: list[SentenceResult] = field(default_factory=list)


class Detector:
    """Lexicon matcher + context checker + sentence model, built once per pipeline.

    Per batch of docs: one ``Doc.to_array`` per doc, one ``PatternSet`` pass per doc (lexicon
    and cue phrases together), one sparse product for every sentence of the batch, and context
    work only for sentences that hold a candidate or that the model would flag.
    """

    def __init__(
        self,
        vocab: Vocab,
        tokenise: Tokenise,
        *,
        extra_lexicons: Sequence[Path | str] = (),
        model_dir: Path | None = None,
        use_model: bool = True,
        threshold: float | None = None,
        model: SentenceModel | None = None,
    ) -> None:
        from ppncheck.text.victim_blaming.compiled import load_matchers

        self.lexicon: Lexicon = load_lexicon(extra_lexicons)
        rules = load_context_rules()
        # cue phrases (he, she, said ...) match in almost every doc but are only needed for the
        # few sentences that hold a candidate or that the model flags: a second matcher, run
        # only for those docs.  Both come ready-made from the package when they can.
        self.matcher, self.cue_matcher = load_matchers(
            vocab, self.lexicon, rules, tokenise, tuple(str(p) for p in extra_lexicons)
        )
        self.context = ContextChecker(rules, vocab, tokenise)
        self._rules = rules
        self._blame_frame: re.Pattern[str] | None = None  # compiled when a sentence needs it
        # category -> the words one of which a note needs for a model-only hit of it
        self._category_context: dict[str, re.Pattern[str]] | None = None
        self.model: SentenceModel | None = model
        if use_model and model is None:
            from ppncheck.resources import model_dir as shipped_model_dir

            self.model = load_model(model_dir or shipped_model_dir("victim_blaming"))
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise ValueError("victim-blaming threshold must be between 0 and 1")
        self.threshold: float | None = (
            threshold if threshold is not None else (self.model.threshold if self.model else None)
        )
        shipped_unframed = self.model.unframed_threshold if self.model else None
        # model-only hits outside a blame frame need this stricter score (None: never)
        self.unframed_threshold: float | None = (
            None
            if shipped_unframed is None or self.threshold is None
            else max(shipped_unframed, self.threshold)
        )
        # the frame classifier's threshold: a sentence it scores at or above this is in a blame
        # frame even with no cue (None: cues only)
        self.frame_threshold: float | None = self.model.frame_threshold if self.model else None
        shipped_agree = self.model.agree_threshold if self.model else None
        self.agree_threshold: float | None = (
            self.threshold
            if shipped_agree is None or self.threshold is None
            else min(shipped_agree, self.threshold)
        )

    # -- lexicon ----------------------------------------------------------------------------------

    def _match(self, arrays: DocArrays) -> list[Candidate]:
        """Lexicon candidates: longest first, no overlaps, none an ``unless`` pattern cancels."""
        found: list[tuple[str, int, int]] = []
        unless: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in self.matcher(arrays.doc, arrays.norms):
            if key.endswith(_UNLESS):
                unless.setdefault(key[: -len(_UNLESS)], []).append((start, end))
            else:
                found.append((key, start, end))
        kept = []
        for key, start, end in _filter_spans(found):
            blocks = unless.get(key, [])
            if any(s < end and start < e for s, e in blocks):
                continue
            entry = self.lexicon.entries[key]
            kept.append(Candidate(start, end, entry.id, entry.category))
        return kept

    def _cues(self, arrays: DocArrays) -> list[tuple[str, int, int]]:
        n = len(CUE_PREFIX)
        return [(key[n:], s, e) for key, s, e in self.cue_matcher(arrays.doc, arrays.norms)]

    def candidates(self, doc: Doc) -> list[Candidate]:
        return self._match(DocArrays.of(doc))

    # -- the decision -----------------------------------------------------------------------------

    def detect(self, docs: Sequence[Doc], *, full_context: bool = False) -> list[DocResult]:
        """Hits for each doc; ``full_context`` computes vetoes for every sentence (evaluation)."""
        batch = batch_arrays(docs)
        arrays = batch.docs
        n_units = batch.n_sents
        probs: list[float | None]
        cats: list[str | None]
        frames: list[float | None]
        if self.model is not None and n_units:
            scores = self.model.score_batch(
                batch.word_norms, batch.word_rows, n_units, docs[0].vocab
            )
            probs, cats = scores.prob.tolist(), list(scores.categories)
            frames = [None] * n_units if scores.frame is None else scores.frame.tolist()
        else:
            probs, cats, frames = [None] * n_units, [None] * n_units, [None] * n_units
        results = []
        k = 0
        for a in arrays:
            n = len(a.sents)
            results.append(
                self._detect_doc(
                    a, probs[k : k + n], cats[k : k + n], frames[k : k + n], full_context
                )
            )
            k += n
        return results

    def _detect_doc(
        self,
        a: DocArrays,
        probs: list[float | None],
        cats: list[str | None],
        frames: list[float | None],
        full_context: bool,
    ) -> DocResult:
        result = DocResult()
        cands = self._match(a)
        thr = self.threshold
        agree_thr = self.agree_threshold
        if (
            not cands
            and not full_context
            and (thr is None or not any(p is not None and p >= thr for p in probs))
        ):
            # the common case: nothing to check, no context work at all
            result.sentences = [
                SentenceResult(s, e, p, c, False, True, frame_prob=f)
                for (s, e), p, c, f in zip(a.sents, probs, cats, frames, strict=True)
            ]
            return result
        quotes: list[QuoteRegion] | None = None
        by_sent: dict[int, dict[str, list[tuple[int, int]]]] | None = None
        ci = 0
        for si, ((s_start, s_end), prob, cat, frame_prob) in enumerate(
            zip(a.sents, probs, cats, frames, strict=True)
        ):
            in_sent: list[Candidate] = []
            while ci < len(cands) and cands[ci].start < s_end:
                if cands[ci].start >= s_start:
                    in_sent.append(cands[ci])
                ci += 1
            model_fires = prob is not None and thr is not None and prob >= thr
            agrees = prob is not None and agree_thr is not None and prob >= agree_thr
            if not (in_sent or model_fires or full_context):
                result.sentences.append(
                    SentenceResult(s_start, s_end, prob, cat, False, True, frame_prob=frame_prob)
                )
                continue
            if quotes is None:
                a.ensure_context()
                quotes = self.context.quote_regions(a)
                by_sent = self.context.split_by_sentence(a, self._cues(a))
            assert by_sent is not None
            ctx = self.context.sentence_context(a, s_start, s_end, by_sent.get(si))
            strong_kept: list[Candidate] = []
            weak_kept: list[Candidate] = []
            removed_cues: set[str] = set()
            for cand in in_sent:
                cues = self.context.candidate_cues(ctx, quotes, cand.start, cand.end, cand.category)
                cand = Candidate(cand.start, cand.end, cand.entry_id, cand.category, cues)
                if STRONG_CUES.intersection(cues):
                    result.suppressed.append(cand)
                    removed_cues.update(STRONG_CUES.intersection(cues))
                elif cues:
                    weak_kept.append(cand)
                else:
                    strong_kept.append(cand)
            veto = tuple(sorted(set(self.context.sentence_veto(ctx, quotes, cat)) | removed_cues))
            if cat is not None and not self.note_speaks_of(a, cat):
                veto = (*veto, CATEGORY_CONTEXT)
            sentence = SentenceResult(
                s_start,
                s_end,
                prob,
                cat,
                bool(strong_kept),
                not veto,
                veto,
                bool(weak_kept),
                self.in_blame_frame(a, s_start, s_end),
                frame_prob,
            )
            result.sentences.append(sentence)
            framed = sentence.in_frame(self.frame_threshold)
            for cand in strong_kept:
                result.hits.append(self._lexicon_hit(a, cand, prob, agrees))
            for cand in weak_kept:
                if agrees:
                    result.hits.append(self._lexicon_hit(a, cand, prob, True))
                else:
                    result.suppressed.append(cand)
            applies = thr if framed else self.unframed_threshold
            if (
                model_fires
                and not strong_kept
                and not weak_kept
                and not veto
                and prob is not None
                and applies is not None
                and prob >= applies
            ):
                result.hits.append(self._model_hit(a, sentence, applies))
        return result

    def note_speaks_of(self, a: DocArrays, category: str) -> bool:
        """Whether the note holds a word ``[category_context]`` asks of a model-only hit of
        ``category`` (always, for a category with no such list, and for a text too short to
        be a note: "She keeps taking him back." alone says nothing of its context)."""
        if self._category_context is None:
            self._category_context = {
                cat: cue_pattern(words)
                for cat, words in self._rules.get("category_context", {}).items()
            }
        pattern = self._category_context.get(category)
        if pattern is None or len(a.sents) < _NOTE_SENTENCES:
            return True  # a sentence or two is no note to tell the context from
        key = f"ppn_vb_context_{category}"
        if key not in a.doc.user_data:
            a.doc.user_data[key] = pattern.search(a.text) is not None
        return bool(a.doc.user_data[key])

    def in_blame_frame(self, a: DocArrays, s_start: int, s_end: int) -> bool:
        """The sentence is about the victim's own conduct, choices, character, consent or
        relationships (``[blame_frame]`` of the context file): only there may the classifier
        add a hit that no lexicon phrase made."""
        a.ensure_context()
        start = a.start_char(s_start)
        end = a.end_char(s_end - 1)
        return self.blame_frame.search(a.text[start:end]) is not None

    @property
    def blame_frame(self) -> re.Pattern[str]:
        """``blame_frame_pattern`` of the cue file, compiled when a sentence first needs
        context (most texts never do)."""
        if self._blame_frame is None:
            self._blame_frame = blame_frame_pattern(self._rules)
        return self._blame_frame

    def _lexicon_hit(
        self, a: DocArrays, cand: Candidate, prob: float | None, model_agrees: bool
    ) -> VBHit:
        category = self.lexicon.categories[cand.category]
        parts = [
            self.lexicon.why(cand.entry_id),
            f"Found by lexicon entry {cand.entry_id} ({category.label}).",
        ]
        if prob is not None and self.agree_threshold is not None:
            verdict = "agrees" if model_agrees else "is below it; the lexicon hit stands alone"
            parts.append(
                f"Model score {prob:.2f}, agreement threshold {self.agree_threshold:.2f}: "
                f"the model {verdict}."
            )
        if cand.cues:
            parts.append(
                f"Context cue {', '.join(cand.cues)} lowered this candidate; "
                "kept because the model agrees."
            )
        return VBHit(
            start=a.start_char(cand.start),
            end=a.end_char(cand.end - 1),
            category=cand.category,
            entry_id=cand.entry_id,
            score=None if prob is None else round(prob, 4),
            threshold=self.agree_threshold,  # the one threshold a lexicon hit is compared with
            source="lexicon+model" if model_agrees else "lexicon",
            cues=cand.cues,
            explanation=" ".join(parts),
            suggestion=self.lexicon.alternative(cand.entry_id),
        )

    def _model_hit(self, a: DocArrays, sentence: SentenceResult, threshold: float) -> VBHit:
        s_start, s_end, cat = sentence.start, sentence.end, sentence.model_category
        prob = sentence.prob
        assert prob is not None
        category_key = cat if cat in self.lexicon.categories else None
        words = [i for i in range(s_start, s_end) if not a.is_space[i]]
        if words:
            start, end = a.start_char(words[0]), a.end_char(words[-1])
        else:
            start, end = a.start_char(s_start), a.end_char(s_end - 1)
        if category_key is None:
            why = "The wording may place responsibility for the harm on the victim."
            suggestion = "Describe what was done to the child and by whom."
            label = "uncategorised"
        else:
            category = self.lexicon.categories[category_key]
            why, suggestion, label = category.why, category.alternatives[0], category.label
        if sentence.framed:
            frame = "in a sentence about the victim's own conduct or choices (a blame-frame cue)"
        elif sentence.in_frame(self.frame_threshold):
            assert sentence.frame_prob is not None and self.frame_threshold is not None
            frame = (
                "in a sentence the blame-frame classifier takes to be about the victim's own "
                f"conduct or choices (frame score {sentence.frame_prob:.2f}, frame threshold "
                f"{self.frame_threshold:.2f})"
            )
        else:
            frame = "outside any blame frame, so the stricter threshold applies"
        explanation = (
            f"{why} Found by the sentence classifier (no lexicon phrase), {frame}: score "
            f"{prob:.2f}, threshold {threshold:.2f}; the category ({label}) is the model's best "
            "guess."
        )
        return VBHit(
            start=start,
            end=end,
            category=category_key or "uncategorised",
            entry_id=None,
            score=round(prob, 4),
            threshold=threshold,
            source="model",
            cues=(),
            explanation=explanation,
            suggestion=suggestion,
        )


def blame_frame_pattern(rules: dict[str, Any]) -> re.Pattern[str]:
    """One case-insensitive whole-word alternation of the blame-frame cues ("*" = any ending)."""
    return cue_pattern(rules["blame_frame"]["cues"])


def cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    """One case-insensitive whole-word alternation of cue words ("*" = any ending)."""
    parts = []
    for cue in sorted(cues, key=len, reverse=True):
        stem = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"[\w'’-]*" if cue.endswith("*") else "") + r"(?![\w'’])")
    return re.compile(r"(?<![\w'’])(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _filter_spans(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """spaCy's ``filter_spans`` on (key, start, end) tuples: longest first, then earliest."""
    ordered = sorted(spans, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
    taken: set[int] = set()
    kept = []
    for key, start, end in ordered:
        if start not in taken and end - 1 not in taken:
            kept.append((key, start, end))
            taken.update(range(start, end))
    return sorted(kept, key=lambda m: m[1])


# entry id -> (patterns, unless), each a tuple of variants (``freeze``: a literal variant is a
# tuple of norms, a wildcard variant keeps its token specs)
_Compiled = dict[str, tuple[tuple[Any, ...], tuple[Any, ...]]]
_COMPILED: dict[tuple[Any, ...], _Compiled] = {}


def compiled_lexicon(lexicon: Lexicon, tokenise: Tokenise, extra: tuple[str, ...]) -> _Compiled:
    """The lexicon's expanded patterns, as ``PatternSet.add`` takes them, compiled once per
    process per set of lexicon files (callers share the cached result: read it, never change it).

    The key includes each file's size and modification time, and the tokenizer's output for a
    probe string (contractions), so a changed file or a different tokenizer recompiles.
    """
    files = [data_path("victim_blaming.toml"), *(Path(p) for p in extra)]
    key = (
        tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files),
        tuple(tokenise("won't can't she's 14-year-old")),
    )
    hit = _COMPILED.get(key)
    if hit is None:
        hit = {
            k: (freeze(pats), freeze(unless))
            for k, (pats, unless) in lexicon.compile(tokenise).items()
        }
        _COMPILED[key] = hit
    return hit
