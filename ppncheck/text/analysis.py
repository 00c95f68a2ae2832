"""Run the text pipeline over many texts and turn each Doc into a plain ``TextAnalysis``.

The pipeline is built once per process per ``Config.cache_key()``: loading data files,
compiling patterns and loading the coverage model happen once, not per note.  The rules in
``ppncheck.rules`` only ever see ``TextAnalysis`` objects, never spaCy types.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ppncheck.config import Config
from ppncheck.read.spoken import cased_for_reading
from ppncheck.text.analysis_types import (
    ChildMention,
    Heading,
    LabelledLine,
    PlaceholderVerdict,
    TextAnalysis,
    TextSpan,
    VBHit,
)
from ppncheck.text.children import find_child_mentions
from ppncheck.text.components import (
    AwareSections,
    Children,
    ChildSpeech,
    heading_evidence,
    speech_evidence,
    speech_spans,
)
from ppncheck.text.sentences import (
    doc_text,
    remember_text,
    sentence_starts,
    set_sentence_starts,
)

log = logging.getLogger(__name__)
_C = TypeVar("_C")

BATCH_SIZE = 64
# Docs the victim-blaming detector scores at once on the direct path (one sparse product).
DIRECT_BATCH = 1024


def _vb_available() -> bool:
    try:
        from ppncheck.text.victim_blaming import component  # noqa: F401
    except ImportError:
        return False
    return True


def build_pipeline(config: Config) -> Language:
    """The full ppncheck text pipeline for ``config`` (uncached; see ``pipeline_for``)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ppn_sentences")
    nlp.add_pipe(
        "ppn_aware_sections",
        config={
            "extra_headings": [str(p) for p in config.extra_aware_headings],
            "extra_placeholders": [str(p) for p in config.extra_placeholders],
        },
    )
    nlp.add_pipe("ppn_aware_coverage")
    nlp.add_pipe("ppn_child_speech")
    nlp.add_pipe("ppn_children")
    if _vb_available():
        vb_config: dict[str, Any] = {"extra_lexicons": [str(p) for p in config.extra_lexicons]}
        if config.vb_threshold is not None:
            vb_config["threshold"] = config.vb_threshold
        if config.vb_model is not None:
            vb_config["model"] = str(config.vb_model)
        nlp.add_pipe("ppn_victim_blaming", config=vb_config)
    else:
        log.warning("victim-blaming component not available; VB001 cannot run")
    return nlp


class _Carrier:
    """Carries the Config into the cache without taking part in the key (Config is
    unhashable: it holds a dict); the key is ``config.cache_key()``."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Carrier)


@lru_cache(maxsize=4)
def _pipeline(key: tuple[Any, ...], carrier: _Carrier) -> Language:
    del key
    return build_pipeline(carrier.config)


def pipeline_for(config: Config, needs: Iterable[str] = ()) -> Language:
    """One pipeline per process per ``config.cache_key()``, with the components named in
    ``needs`` loaded: a component whose model or tables load on first use (AWARE coverage,
    which only whole notes need) raises here if they cannot be loaded, not in mid-check."""
    nlp = _pipeline(config.cache_key(), _Carrier(config))
    for name in needs:
        if name in nlp.pipe_names:
            load = getattr(nlp.get_pipe(name), "load", None)
            if callable(load):
                load()
    return nlp


# Every text gets sentences, headings, labelled lines and placeholder verdicts: the other
# components read them.  These four run only where the caller needs what they find.
OPTIONAL_COMPONENTS = frozenset(
    {"ppn_aware_coverage", "ppn_child_speech", "ppn_children", "ppn_victim_blaming"}
)


def analyse_texts(
    texts: Sequence[str],
    *,
    config: Config,
    needs: Sequence[frozenset[str]] | None = None,
) -> list[TextAnalysis]:
    """Analyse every text; the result list is aligned with ``texts``.

    ``needs`` (aligned with ``texts``) names the optional components each text needs, from
    ``OPTIONAL_COMPONENTS``; without it every component runs on every text.  A record's short
    AWARE fields need neither sentence-level AWARE classification nor child mentions, and
    skipping them is most of the cost of a record.  ``TextAnalysis.components`` says what ran,
    so an empty result is never mistaken for "looked and found nothing".

    Texts that need sentence-level AWARE coverage go through the spaCy components and
    ``doc_to_analysis``; the others (a record's fields) take ``_analyse_direct``, which gives
    the same analyses faster.
    """
    if not texts:
        return []
    nlp = pipeline_for(config)
    if needs is None:
        needs = [OPTIONAL_COMPONENTS] * len(texts)
    if len(needs) != len(texts):
        raise ValueError("needs must be aligned with texts")
    groups: dict[frozenset[str], list[int]] = {}
    for i, wanted in enumerate(needs):
        groups.setdefault(wanted & OPTIONAL_COMPONENTS, []).append(i)
    out: list[TextAnalysis | None] = [None] * len(texts)
    for wanted, indices in groups.items():
        names = tuple(n for n in nlp.pipe_names if n not in OPTIONAL_COMPONENTS or n in wanted)
        if "ppn_aware_coverage" in names:
            docs = (remember_text(nlp.make_doc(texts[i]), texts[i]) for i in indices)
            for i, doc in zip(indices, _run(nlp, names, docs), strict=True):
                out[i] = doc_to_analysis(doc, names)
        else:
            analyses = _analyse_direct(nlp, names, [texts[i] for i in indices])
            for i, analysis in zip(indices, analyses, strict=True):
                out[i] = analysis
    return [a for a in out if a is not None]


def _analyse_direct(nlp: Language, names: tuple[str, ...], texts: list[str]) -> list[TextAnalysis]:
    """The same analyses as running the components ``names`` (sentence-level AWARE coverage
    not among them), from the components' own finders but without the Doc round trip.

    A record's fields are many short texts; storing every find on its Doc (``doc._``, span
    groups) and reading it back in ``doc_to_analysis`` cost as much as finding it.  Here
    each Doc is only tokenised and split into sentences; the sections, speech and children
    finders read the text, the victim-blaming detector scores ``DIRECT_BATCH`` Docs at a
    time, and spans are only made where an offset must snap to token edges as the
    components' spans do.
    """
    sections = _component(nlp, "ppn_aware_sections", AwareSections)
    docs = [_split(remember_text(nlp.make_doc(text), text), text) for text in texts]
    vb_hits: list[list[VBHit]] = [[] for _ in docs]
    if "ppn_victim_blaming" in names:
        from ppncheck.text.victim_blaming import in_text_order
        from ppncheck.text.victim_blaming.component import VictimBlamingComponent

        detector = _component(nlp, "ppn_victim_blaming", VictimBlamingComponent).detector
        for start in range(0, len(docs), DIRECT_BATCH):
            batch = docs[start : start + DIRECT_BATCH]
            for i, found_vb in enumerate(detector.detect(batch), start=start):
                vb_hits[i] = in_text_order(found_vb.hits)
    speech = (
        _component(nlp, "ppn_child_speech", ChildSpeech) if "ppn_child_speech" in names else None
    )
    children = _component(nlp, "ppn_children", Children) if "ppn_children" in names else None
    out = []
    for doc, text, hits in zip(docs, texts, vb_hits, strict=True):
        found = sections.read(text)
        analysis = TextAnalysis(
            text_length=len(text),
            headings=found.headings,
            placeholder=found.placeholder,
            section_placeholders=found.section_placeholders,
            labelled=found.labelled,
            victim_blaming=hits,
            components=names,
        )
        evidence = heading_evidence(doc, found)
        if speech is not None:
            result = speech.find(doc, found.words_sections(), found.names())
            analysis.child_speech = _text_spans(speech_spans(doc, result.child_speech))
            analysis.no_speech_reasons = _text_spans(
                speech_spans(doc, result.no_speech_reasons, "reason")
            )
            evidence += speech_evidence(doc, result)
        if children is not None:
            analysis.child_mentions = find_child_mentions(cased_for_reading(text), children.table)
        analysis.aware_evidence = _evidence(evidence)
        out.append(analysis)
    return out


def _split(doc: Doc, text: str) -> Doc:
    """``ppn_sentences`` for the direct path: a one-sentence text (most record fields) is
    left unmarked, which every finder and the detector read as one sentence, as they read
    the explicit flags; only texts with a boundary pay for writing them."""
    starts = sentence_starts(text)
    return set_sentence_starts(doc, starts) if starts else doc


def _component(nlp: Language, name: str, kind: type[_C]) -> _C:
    proc = nlp.get_pipe(name)
    if not isinstance(proc, kind):
        raise TypeError(f"pipeline component {name!r} is not a {kind.__name__}")
    return proc


def _text_spans(spans: Iterable[Span | None]) -> list[TextSpan]:
    return [TextSpan(s.start_char, s.end_char, s.label_, "pattern") for s in spans if s]


def _evidence(spans: Iterable[Span | None]) -> dict[str, list[TextSpan]]:
    """``ppn_aware`` spans by element: each element's distinct spans in text order."""
    evidence: dict[str, list[TextSpan]] = {}
    for span in spans:
        if span is not None:
            evidence.setdefault(span.label_, []).append(
                TextSpan(span.start_char, span.end_char, span.label_, span.id_ or "model")
            )
    return {
        k: sorted(set(v), key=lambda s: (s.start, s.end, s.label, s.source))
        for k, v in evidence.items()
    }


def _run(nlp: Language, names: Sequence[str], docs: Iterable[Doc]) -> Iterator[Doc]:
    """``nlp.pipe`` with only the components ``names``, without touching the shared pipeline."""
    stream: Iterable[Doc] = docs
    for name in names:
        proc = nlp.get_pipe(name)
        if hasattr(proc, "pipe"):
            stream = proc.pipe(stream, batch_size=BATCH_SIZE)
        else:
            stream = map(proc, stream)
    yield from stream


def doc_to_analysis(doc: Doc, components: tuple[str, ...] = ()) -> TextAnalysis:
    """Convert the spans and attributes the components (named in ``components``) left."""
    analysis = TextAnalysis(text_length=len(doc_text(doc)), components=components)
    attrs = doc._
    analysis.headings = [Heading(*h) for h in (attrs.ppn_headings or [])]
    analysis.labelled = [LabelledLine(*x) for x in (attrs.ppn_labelled or [])]
    analysis.placeholder = _verdict(attrs.ppn_placeholder)
    analysis.section_placeholders = {
        e: v
        for e, raw in (attrs.ppn_section_placeholders or {}).items()
        if (v := _verdict(raw)) is not None
    }
    groups = doc.spans
    if "ppn_aware" in groups and len(aware := groups["ppn_aware"]):
        analysis.aware_evidence = _evidence(aware)
    analysis.child_speech = _pattern_spans(groups, "ppn_child_speech")
    analysis.no_speech_reasons = _pattern_spans(groups, "ppn_no_speech_reason")
    analysis.child_mentions = [ChildMention(**m) for m in (attrs.ppn_child_mentions or [])]
    analysis.victim_blaming = _vb_hits(doc)
    return analysis


def _pattern_spans(groups: Any, key: str) -> list[TextSpan]:
    return _text_spans(groups[key]) if key in groups else []


def _verdict(raw: Any) -> PlaceholderVerdict | None:
    return None if raw is None else PlaceholderVerdict(raw[0], raw[1], int(raw[2]))


def _vb_hits(doc: Doc) -> list[VBHit]:
    if "ppn_victim_blaming" not in doc.spans:
        return []
    from ppncheck.text.victim_blaming import hits_from_doc

    return list(hits_from_doc(doc))
