"""The ``ppn_victim_blaming`` spaCy component: VB001 candidates as spans, hits on the Doc.

Usable alone in a user's ``spacy.blank("en")`` pipeline: if nothing has set sentence boundaries
it segments the doc itself.  Custom attributes are registered when the component is built, not
at import, so ``nlp.pipe(n_process=2)`` works with the spawn start method.  Hits are stored on
the Doc as plain dicts (``doc._.ppn_vb_hits``) so they survive the trip between processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, SpanGroup
from spacy.util import minibatch

from ppncheck.text.analysis_types import VBHit
from ppncheck.text.victim_blaming.detector import Detector, DocResult
from ppncheck.text.victim_blaming.patterns import make_tokenise

SPAN_KEY = "ppn_victim_blaming"
HITS_ATTR = "ppn_vb_hits"
SUPPRESSED_ATTR = "ppn_vb_suppressed"
_HIT_FIELDS = fields(VBHit)


def register_extensions() -> None:
    """Doc attributes for the hits and the candidates context removed (for trainers)."""
    for name in (HITS_ATTR, SUPPRESSED_ATTR):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@Language.factory(
    "ppn_victim_blaming",
    default_config={"threshold": None, "extra_lexicons": [], "model": None, "use_model": True},
    assigns=["doc.spans", f"doc._.{HITS_ATTR}", f"doc._.{SUPPRESSED_ATTR}"],
)
def make_victim_blaming(
    nlp: Language,
    name: str,
    threshold: float | None,
    extra_lexicons: list[str],
    model: str | None,
    use_model: bool,
) -> VictimBlamingComponent:
    """``threshold`` null = the model's shipped threshold; ``model`` null = the shipped model."""
    return VictimBlamingComponent(
        nlp,
        name,
        threshold=threshold,
        extra_lexicons=[Path(p) for p in extra_lexicons],
        model=Path(model) if model else None,
        use_model=use_model,
    )


class VictimBlamingComponent:
    def __init__(
        self,
        nlp: Language,
        name: str = "ppn_victim_blaming",
        *,
        threshold: float | None = None,
        extra_lexicons: list[Path] | None = None,
        model: Path | None = None,
        use_model: bool = True,
    ) -> None:
        register_extensions()
        self.name = name
        self.detector = Detector(
            nlp.vocab,
            make_tokenise(nlp.tokenizer),
            extra_lexicons=extra_lexicons or [],
            model_dir=model,
            use_model=use_model,
            threshold=threshold,
        )
        self._sentencizer = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        """Score the sentences of a whole batch of docs at once (one sparse product)."""
        for batch in minibatch(stream, size=batch_size):
            docs = [self._ensure_sentences(d) for d in batch]
            for doc, result in zip(docs, self.detector.detect(docs), strict=True):
                self._store(doc, result)
                yield doc

    def _ensure_sentences(self, doc: Doc) -> Doc:
        if len(doc) and not doc.has_annotation("SENT_START"):
            self._sentencizer(doc)
        return doc

    def _store(self, doc: Doc, result: DocResult) -> None:
        spans = []
        for hit in result.hits:
            span = doc.char_span(hit.start, hit.end, label=hit.category, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPAN_KEY] = SpanGroup(doc, name=SPAN_KEY, spans=spans)
        doc._.set(HITS_ATTR, [hit_to_dict(h) for h in result.hits])
        suppressed = []
        for c in result.suppressed:
            last = doc[c.end - 1]
            suppressed.append(
                {
                    "start": doc[c.start].idx,
                    "end": last.idx + len(last.text),
                    "entry_id": c.entry_id,
                    "category": c.category,
                    "cues": list(c.cues),
                }
            )
        doc._.set(SUPPRESSED_ATTR, suppressed)


def hit_to_dict(hit: VBHit) -> dict[str, Any]:
    """A msgpack-friendly copy (tuples become lists) so Docs can cross process boundaries."""
    return {
        f.name: list(v) if isinstance(v := getattr(hit, f.name), tuple) else v for f in _HIT_FIELDS
    }


__all__ = ["SPAN_KEY", "VictimBlamingComponent", "make_victim_blaming"]
