"""The shipped VB001 decision: a lexicon hit that survives context, or a model score at or above
the threshold in a sentence that context does not veto.

Both the spaCy component and ``train.evaluate`` go through ``Detector.detect`` so that the
metrics in the model card measure exactly what users run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from ppncheck.text.analysis_types import VBHit
from ppncheck.text.victim_blaming.classifier import SentenceModel, load_model
from ppncheck.text.victim_blaming.context import (
    STRONG_CUES,
    ContextChecker,
    QuoteRegion,
    load_context_rules,
)
from ppncheck.text.victim_blaming.lexicon import Lexicon, load_lexicon
from ppncheck.text.victim_blaming.patterns import PatternSet, Tokenise

_UNLESS = "#unless"


@dataclass(frozen=True)
class Candidate:
    start: int  # doc token indices
    end: int
    entry_id: str
    category: str
    cues: tuple[str, ...] = ()


@dataclass
class SentenceResult:
    """What the detector knows about one sentence, enough to re-decide at another threshold."""

    start: int
    end: int
    prob: float | None
    model_category: str | None
    lexicon_kept: bool  # a lexicon hit with no cue at all
    model_eligible: bool  # not vetoed, or holds a lexicon hit that only needs model agreement
    veto: tuple[str, ...] = ()

    def decide(self, threshold: float) -> bool:
        if self.lexicon_kept:
            return True
        return self.model_eligible and self.prob is not None and self.prob >= threshold


@dataclass
class DocResult:
    hits: list[VBHit] = field(default_factory=list)
    suppressed: list[Candidate] = field(default_factory=list)
    sentences: list[SentenceResult] = field(default_factory=list)


class Detector:
    """Lexicon matcher + context checker + sentence model, built once per pipeline."""

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
        self.lexicon: Lexicon = load_lexicon(extra_lexicons)
        self.matcher = PatternSet(vocab)
        for entry_id, (patterns, unless) in self.lexicon.compile(tokenise).items():
            self.matcher.add(entry_id, patterns)
            if unless:
                self.matcher.add(entry_id + _UNLESS, unless)
        self.context = ContextChecker(load_context_rules(), vocab, tokenise)
        self.model: SentenceModel | None = model
        if use_model and model is None:
            from ppncheck.resources import model_dir as shipped_model_dir

            self.model = load_model(model_dir or shipped_model_dir("victim_blaming"))
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise ValueError("victim-blaming threshold must be between 0 and 1")
        self.threshold: float | None = (
            threshold if threshold is not None else (self.model.threshold if self.model else None)
        )

    # -- lexicon ----------------------------------------------------------------------------------

    def candidates(self, doc: Doc) -> list[Candidate]:
        found: list[Span] = []
        unless: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in self.matcher(doc):
            if key.endswith(_UNLESS):
                unless.setdefault(key[: -len(_UNLESS)], []).append((start, end))
            else:
                found.append(Span(doc, start, end, label=key))
        kept = []
        for span in filter_spans(found):
            blocks = unless.get(span.label_, [])
            if any(s < span.end and span.start < e for s, e in blocks):
                continue
            entry = self.lexicon.entries[span.label_]
            kept.append(Candidate(span.start, span.end, entry.id, entry.category))
        return kept

    # -- the decision -----------------------------------------------------------------------------

    def detect(self, docs: Sequence[Doc], *, full_context: bool = False) -> list[DocResult]:
        """Hits for each doc; ``full_context`` computes vetoes for every sentence (evaluation)."""
        sents_per_doc = [list(doc.sents) for doc in docs]
        units = [
            (doc, s.start, s.end)
            for doc, sents in zip(docs, sents_per_doc, strict=True)
            for s in sents
        ]
        probs: list[float | None]
        cats: list[str | None]
        if self.model is not None:
            p, c = self.model.score_units(units)
            probs, cats = [float(x) for x in p], list(c)
        else:
            probs, cats = [None] * len(units), [None] * len(units)
        results = []
        k = 0
        for doc, sents in zip(docs, sents_per_doc, strict=True):
            n = len(sents)
            results.append(
                self._detect_doc(doc, sents, probs[k : k + n], cats[k : k + n], full_context)
            )
            k += n
        return results

    def _detect_doc(
        self,
        doc: Doc,
        sents: list[Span],
        probs: list[float | None],
        cats: list[str | None],
        full_context: bool,
    ) -> DocResult:
        result = DocResult()
        cands = self.candidates(doc)
        thr = self.threshold
        quotes: list[QuoteRegion] | None = None
        ci = 0
        for sent, prob, cat in zip(sents, probs, cats, strict=True):
            in_sent: list[Candidate] = []
            while ci < len(cands) and cands[ci].start < sent.end:
                if cands[ci].start >= sent.start:
                    in_sent.append(cands[ci])
                ci += 1
            model_fires = prob is not None and thr is not None and prob >= thr
            need_ctx = bool(in_sent) or model_fires or full_context
            if not need_ctx:
                result.sentences.append(
                    SentenceResult(sent.start, sent.end, prob, cat, False, True)
                )
                continue
            if quotes is None:
                quotes = self.context.quote_regions(doc)
            ctx = self.context.sentence_context(sent)
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
            veto = tuple(sorted(set(self.context.sentence_veto(ctx, quotes)) | removed_cues))
            eligible = not veto or bool(weak_kept)
            result.sentences.append(
                SentenceResult(sent.start, sent.end, prob, cat, bool(strong_kept), eligible, veto)
            )
            for cand in strong_kept:
                result.hits.append(self._lexicon_hit(doc, cand, prob, model_fires))
            for cand in weak_kept:
                if model_fires:
                    result.hits.append(self._lexicon_hit(doc, cand, prob, True))
                else:
                    result.suppressed.append(cand)
            if model_fires and not strong_kept and not weak_kept and not veto and prob is not None:
                result.hits.append(self._model_hit(sent, prob, cat))
        return result

    def _lexicon_hit(
        self, doc: Doc, cand: Candidate, prob: float | None, model_agrees: bool
    ) -> VBHit:
        span = doc[cand.start : cand.end]
        category = self.lexicon.categories[cand.category]
        parts = [
            self.lexicon.why(cand.entry_id),
            f"Found by lexicon entry {cand.entry_id} ({category.label}).",
        ]
        if prob is not None and self.threshold is not None:
            verdict = "agrees" if model_agrees else "is below the threshold"
            parts.append(
                f"Model score {prob:.2f}, threshold {self.threshold:.2f}: the model {verdict}."
            )
        if cand.cues:
            parts.append(
                f"Context cue {', '.join(cand.cues)} lowered this candidate; "
                "kept because the model agrees."
            )
        return VBHit(
            start=span.start_char,
            end=span.end_char,
            category=cand.category,
            entry_id=cand.entry_id,
            score=None if prob is None else round(prob, 4),
            threshold=self.threshold,
            source="lexicon+model" if model_agrees else "lexicon",
            cues=cand.cues,
            explanation=" ".join(parts),
            suggestion=self.lexicon.alternative(cand.entry_id),
        )

    def _model_hit(self, sent: Span, prob: float, cat: str | None) -> VBHit:
        category_key = cat if cat in self.lexicon.categories else None
        tokens = [t for t in sent if not t.is_space]
        start = tokens[0].idx if tokens else sent.start_char
        end = tokens[-1].idx + len(tokens[-1].text) if tokens else sent.end_char
        if category_key is None:
            why = "The wording may place responsibility for the harm on the victim."
            suggestion = "Describe what was done to the child and by whom."
            label = "uncategorised"
        else:
            category = self.lexicon.categories[category_key]
            why, suggestion, label = category.why, category.alternatives[0], category.label
        explanation = (
            f"{why} Found by the sentence classifier (no lexicon phrase): score {prob:.2f}, "
            f"threshold {self.threshold:.2f}; the category ({label}) is the model's best guess."
        )
        return VBHit(
            start=start,
            end=end,
            category=category_key or "uncategorised",
            entry_id=None,
            score=round(prob, 4),
            threshold=self.threshold,
            source="model",
            cues=(),
            explanation=explanation,
            suggestion=suggestion,
        )
