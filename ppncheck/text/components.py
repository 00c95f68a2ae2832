"""spaCy factories of the text layer: one component per concern, results on the Doc.

Each factory is registered here (at import) and under the ``spacy_factories`` entry point, so
``nlp.add_pipe("ppn_aware_sections")`` works in a user's own ``spacy.blank("en")`` pipeline.
Custom attributes are registered inside the factories (not at import) so that
``nlp.pipe(..., n_process=2)`` works with the ``spawn`` start method.  Values stored in
``doc._`` are plain lists and dicts so that Docs cross process boundaries.

Span groups: ``ppn_aware`` (label = element, ``span.id_`` = source), ``ppn_aware_headings``,
``ppn_child_speech``, ``ppn_adult_speech``, ``ppn_no_speech_reason``, ``ppn_children``.
Doc attributes: ``ppn_headings``, ``ppn_labelled``, ``ppn_placeholder``,
``ppn_section_placeholders``, ``ppn_child_mentions``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LOWER, SENT_START
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ppncheck.read.spoken import cased_for_reading
from ppncheck.resources import model_dir
from ppncheck.text.analysis_types import Heading, LabelledLine, PlaceholderVerdict
from ppncheck.text.children import find_child_mentions
from ppncheck.text.coverage import (
    CHILD_ELEMENTS,
    CoverageModel,
    about_a_child,
    hashed_features,
    lexicon_sentence_labels,
    load_model,
    stem_hashes,
    strong_sentence_labels,
    with_the_child,
)
from ppncheck.text.headings import find_headings
from ppncheck.text.labelled import find_labelled
from ppncheck.text.placeholders import placeholder_verdict
from ppncheck.text.sentences import doc_text, set_sentence_starts
from ppncheck.text.speech import Names, SpeechResult, find_speech, names_in
from ppncheck.text.tables import (
    children_table,
    cue_table,
    heading_table,
    placeholder_table,
    speech_table,
    strong_cue_table,
)

_LABEL_PREFIX = re.compile(r"[ \t]*[-*•]?[ \t]*[A-Za-z][A-Za-z .'’()\d-]{0,30}[:=-][ \t]*$")
COVERAGE_METHODS = ("model", "lexicon", "both")
DEFAULT_COVERAGE_METHOD = "model"

_DOC_ATTRS = (
    "ppn_headings",
    "ppn_labelled",
    "ppn_placeholder",
    "ppn_section_placeholders",
    "ppn_child_mentions",
)


def register_extensions() -> None:
    """Idempotent; called by every factory so spawned worker processes get them too."""
    for name in _DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _span(doc: Doc, start: int, end: int, label: str, source: str = "") -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    if source:
        span = Span(doc, span.start, span.end, label=label, span_id=source)
    return span


def _add_spans(doc: Doc, group: str, spans: Iterable[Span | None]) -> None:
    kept = [s for s in spans if s is not None]
    if group in doc.spans:
        doc.spans[group].extend(kept)
    else:
        doc.spans[group] = kept


def _verdict_list(v: PlaceholderVerdict | None) -> list[Any] | None:
    return None if v is None else [v.kind, v.matched, v.content_words]


def masked_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Heading labels and placeholder-only section bodies: text that says nothing by itself."""
    out: list[tuple[int, int]] = []
    placeholders = doc._.ppn_section_placeholders or {}
    for element, start, end, b_start, b_end in doc._.ppn_headings or []:
        out.append((start, end))
        if element in placeholders:
            out.append((b_start, b_end))
    text = doc_text(doc)
    for _key, _value, start, end in doc._.ppn_labelled or []:
        line_start = text.rfind("\n", 0, start) + 1
        if _LABEL_PREFIX.match(text, line_start, start):
            line_end = text.find("\n", end)
            out.append((line_start, len(text) if line_end < 0 else line_end))
        else:
            # a label inside a line ("...; SDE: M5, lives at ..."): its value ends at the first
            # clause break, not at the end of a one-paragraph note (``start`` is the value's
            # own: a later colon, "at 01:40", is no label's)
            stop = _VALUE_END.search(text, start, end)
            out.append((start, stop.start() if stop else end))
    return out


_VALUE_END = re.compile(r"[,;.](?:[ \t]|$)|[,;]")


class SentenceSplitter:
    """Police-note sentence boundaries (see ``ppncheck.text.sentences``)."""

    def __call__(self, doc: Doc) -> Doc:
        return set_sentence_starts(doc)


class AwareSections:
    """Headings with their bodies, labelled lines and placeholder verdicts."""

    def __init__(self, extra_headings: Sequence[str], extra_placeholders: Sequence[str]) -> None:
        register_extensions()
        self.headings = heading_table(tuple(extra_headings))
        self.placeholders = placeholder_table(tuple(extra_placeholders))
        self.speech = speech_table()

    def read(self, text: str) -> Sections:
        """Everything this component finds in ``text``, without a Doc (``analyse_texts``'s
        direct path uses this; ``__call__`` stores the same result on the Doc)."""
        headings = find_headings(text, self.headings)
        substantive: set[str] = set()
        empty: dict[str, PlaceholderVerdict] = {}
        headed: list[Heading] = []
        for h in headings:
            body = text[h.body_start : h.body_end]
            verdict = (
                placeholder_verdict(body, self.placeholders, self.speech)
                if body.strip()
                else PlaceholderVerdict("thin", None, 0)
            )
            if verdict is None:
                substantive.add(h.element)
                headed.append(h)
            else:
                empty.setdefault(h.element, verdict)
        return Sections(
            headings=headings,
            labelled=find_labelled(text),
            placeholder=placeholder_verdict(text, self.placeholders, self.speech),
            section_placeholders={e: v for e, v in empty.items() if e not in substantive},
            headed=headed,
        )

    def __call__(self, doc: Doc) -> Doc:
        found = self.read(doc_text(doc))
        attrs = doc._
        attrs.ppn_headings = [
            [h.element, h.start, h.end, h.body_start, h.body_end] for h in found.headings
        ]
        attrs.ppn_labelled = [[x.key, x.value, x.start, x.end] for x in found.labelled]
        attrs.ppn_placeholder = _verdict_list(found.placeholder)
        attrs.ppn_section_placeholders = {
            e: _verdict_list(v) for e, v in found.section_placeholders.items()
        }
        _add_spans(
            doc,
            "ppn_aware_headings",
            (_span(doc, h.start, h.end, h.element) for h in found.headings),
        )
        _add_spans(doc, "ppn_aware", heading_evidence(doc, found))
        return doc


@dataclass(frozen=True)
class Sections:
    """What ``AwareSections`` finds in one text."""

    headings: list[Heading]
    labelled: list[LabelledLine]
    placeholder: PlaceholderVerdict | None  # of the whole text
    section_placeholders: dict[str, PlaceholderVerdict]  # elements whose every body is empty
    headed: list[Heading]  # the headed sections with substance: AWARE evidence

    def words_sections(self) -> list[tuple[int, int]]:
        return [(h.body_start, h.body_end) for h in self.headings if h.element == "words"]

    def names(self) -> list[str]:
        return [x.value for x in self.labelled if x.key == "name"]


def heading_evidence(doc: Doc, found: Sections) -> list[Span | None]:
    """The bodies of the substantive headed sections as ``ppn_aware`` spans."""
    return [_span(doc, h.body_start, h.body_end, h.element, "heading") for h in found.headed]


class AwareCoverage:
    """Sentence-level AWARE classification for notes without (complete) headings.

    ``pipe`` scores every sentence of a whole batch of docs with one feature matrix and one
    model call: per doc, the numpy set-up (unique, searchsorted, add.at) cost far more than
    the arithmetic on a short PPN field.  ``__call__`` is ``pipe`` over one doc.

    The model and the cue tables are loaded by ``load()``, on the first doc at the latest: a
    pipeline that only ever checks a record's fields (which never need sentence-level
    coverage) does not pay for them.
    """

    def __init__(self, method: str) -> None:
        register_extensions()
        if method not in COVERAGE_METHODS:
            raise ValueError(f"method must be one of {COVERAGE_METHODS}, not {method!r}")
        self.method = method
        self._loaded = False

    def load(self) -> None:
        """Load the cue tables and the model (once; a broken model file raises here)."""
        if self._loaded:
            return
        self.cues = cue_table()
        self.strong = strong_cue_table()
        self.model: CoverageModel | None = (
            load_model(model_dir("aware_coverage")) if self.method in {"model", "both"} else None
        )
        self._loaded = True

    def __call__(self, doc: Doc) -> Doc:
        self._process([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            self._process(batch)
            yield from batch

    def _process(self, docs: Sequence[Doc]) -> None:
        self.load()
        found: dict[int, set[str]]
        live = [d for d in docs if len(d)]
        if not live:
            return
        arrays = [d.to_array(_COVERAGE_ATTRS) for d in live]
        arr = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
        offsets = np.zeros(len(live) + 1, dtype=np.int64)
        np.cumsum([len(a) for a in arrays], out=offsets[1:])
        starts = arr[:, 2].astype(np.int64) == 1
        starts[offsets[:-1]] = True  # every doc starts a sentence
        starts = clause_starts(starts, arr[:, 0], live[0].vocab.strings)
        sent_ids = np.cumsum(starts) - 1
        keep = arr[:, 1] == 0
        idx = arr[:, 3].astype(np.int64)
        masks = [_masked(d) for d in live]
        for i, masked in enumerate(masks):
            if masked:
                o, e = int(offsets[i]), int(offsets[i + 1])
                # the doc's token offsets (ascending) as a list: a bisection per mask bound
                # costs far less than a np.searchsorted call (same left insertion points)
                doc_idx = idx[o:e].tolist()
                for m_start, m_end in masked:
                    a, b = bisect_left(doc_idx, m_start), bisect_left(doc_idx, m_end)
                    keep[o + a : o + b] = False
        sent_tok = np.flatnonzero(starts)
        sent_char = idx[sent_tok].tolist()
        first_sent = sent_ids[offsets[:-1]].tolist()
        n_sents = len(sent_tok)
        found = {}
        if self.model is not None:
            lower = arr[:, 0]
            stems = stem_hashes(lower, live[0].vocab.strings)
            keys = hashed_features(lower, keep, sent_ids, stems)
            rows, cols = np.nonzero(self.model.predict_matrix(keys, n_sents))
            labels = self.model.labels
            for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
                found.setdefault(row, set()).add(labels[col])
        cue_passes: list[Callable[[str, list[int], Sequence[tuple[int, int]]], list[set[str]]]]
        cue_passes = []
        if self.model is not None and self.strong.patterns:
            cue_passes.append(lambda t, st, m: strong_sentence_labels(t, st, self.strong, m))
        if self.model is None or self.method == "both":
            cue_passes.append(lambda t, st, m: lexicon_sentence_labels(t, st, self.cues, m))
        for labels_of in cue_passes:  # each adds its elements to the sentences it speaks to
            for i, doc in enumerate(live):
                last = first_sent[i + 1] if i + 1 < len(live) else n_sents
                per_sent = labels_of(doc_text(doc), sent_char[first_sent[i] : last], masks[i])
                for j, x in enumerate(per_sent):
                    if x:
                        found.setdefault(first_sent[i] + j, set()).update(x)
        batch = _Batch(
            sent_tok=sent_tok.tolist(),
            sent_char=sent_char,
            first_sent=first_sent,
            offsets=offsets.tolist(),
            is_space=arr[:, 1].tolist() if found else [],
            n_sents=n_sents,
        )
        by_doc: dict[int, list[int]] = {}
        if found:
            doc_of = np.searchsorted(first_sent, list(found), side="right") - 1
            for s_id, d_i in zip(found, doc_of.tolist(), strict=True):
                by_doc.setdefault(d_i, []).append(s_id)
        for i, doc in enumerate(live):
            sent_list = by_doc.get(i)
            spans = self._spans(doc, i, sorted(sent_list), found, batch) if sent_list else []
            _add_spans(doc, "ppn_aware", spans)

    def _spans(
        self, doc: Doc, i: int, sent_list: list[int], found: dict[int, set[str]], batch: _Batch
    ) -> list[Span]:
        """Spans of the labelled sentences (global ids ``sent_list``) of the batch's doc ``i``."""
        text = cased_for_reading(doc_text(doc))  # names are told by capitals: same offsets
        o = batch.offsets[i]
        n_tok = batch.offsets[i + 1] - o
        last = batch.first_sent[i + 1] if i + 1 < len(batch.first_sent) else batch.n_sents
        sent_tok, sent_char, is_space = batch.sent_tok, batch.sent_char, batch.is_space
        cache: list[Names] = []  # the note's names, worked out once when a sentence needs them

        def names() -> frozenset[str]:
            if not cache:
                cache.append(_names(doc))
            return cache[0].children

        def adult_names() -> frozenset[str]:
            if not cache:
                cache.append(_names(doc))
            return cache[0].adults

        first_of_doc = batch.first_sent[i]
        about: dict[int, bool] = {}
        # under an Environment heading a sentence naming nobody ("Beer cans on the kitchen
        # table.") is about the home, not about the child of the sentence before
        home = [(h[3], h[4]) for h in doc._.ppn_headings or [] if h[0] == "environment"]

        sexes: list[frozenset[str] | None] = []

        def no_child_of(sex: str) -> bool:
            """Every child the note reader found has a known sex, and none is ``sex``."""
            if not sexes:
                from ppncheck.read.note import read_note  # a note's people, read once per text

                children = [p.sex for p in read_note(text).persons if p.child]
                known = children and all(x in ("male", "female") for x in children)
                sexes.append(frozenset(x[0] for x in children if x) if known else None)
            return sexes[0] is not None and sex not in sexes[0]

        def about_child(s_id: int, depth: int = 0) -> bool:
            """Whether sentence ``s_id`` is about a child; a subjectless one asks the sentence
            before, up to _INHERIT_DEPTH sentences back."""
            if s_id not in about:
                c_end = sent_char[s_id + 1] if s_id + 1 < last else len(text)
                at = sent_char[s_id]
                before = text[sent_char[s_id - 1] : at] if s_id > first_of_doc else None
                previous = (
                    None
                    if s_id == first_of_doc
                    or depth >= _INHERIT_DEPTH
                    or any(a <= at < b for a, b in home)
                    # a paragraph that opens naming nobody ("Seen at home 15:00" / "- Same
                    # clothes as yesterday ...") is about the note's child, not the last
                    # paragraph's adult
                    else _paragraph_opens
                    if before is not None and _BLANK_END.search(before)
                    else (lambda: about_child(s_id - 1, depth + 1))
                )
                opening = before
                if before is not None and _CLAUSE_GOES_ON.search(before):
                    # "The victim, Danielle FROST (28), was on the pavement with a swollen eye,
                    # / a bloody nose ... her head": whose "her" the sentence's opening tells
                    first = s_id - 1
                    while first > first_of_doc and _CLAUSE_GOES_ON.search(
                        text[sent_char[first - 1] : sent_char[first]]
                    ):
                        first -= 1
                        if s_id - first > _OPENING_CLAUSES:
                            break
                    if s_id - first <= _OPENING_CLAUSES and at - sent_char[first] <= 300:
                        opening = text[sent_char[first] : at]  # (not in a run-on list)
                about[s_id] = about_a_child(
                    text[at:c_end], names, previous, opening, no_child_of, adult_names
                )
            return about[s_id]

        def sentence_text(s_id: int) -> str:
            c_end = sent_char[s_id + 1] if s_id + 1 < last else len(text)
            return text[sent_char[s_id] : c_end]

        spans: list[Span] = []
        for s_id in sent_list:
            elements = found[s_id]
            nxt = s_id + 1 < last
            if elements & CHILD_ELEMENTS and not about_child(s_id):
                # "Mum tried to hug him at the door, he shrugged her off": a sentence that
                # opens with the adult is still the child's relationship with them
                kept = (
                    {"relationships"}
                    if "relationships" in elements and with_the_child(sentence_text(s_id))
                    else set()
                )
                elements = (elements - CHILD_ELEMENTS) | kept
            if not elements:
                continue
            start = sent_tok[s_id] - o
            end = sent_tok[s_id + 1] - o if nxt else n_tok
            while end > start + 1 and is_space[o + end - 1]:
                end -= 1
            spans.extend(
                Span(doc, start, end, label=e, span_id=self.method) for e in sorted(elements)
            )
        return spans


_BLANK_END = re.compile(r"\n[ \t]*\n\s*$")
# a clause that the next one continues: it ends with a comma, a semicolon or an open bracket
_CLAUSE_GOES_ON = re.compile(r"[,;(–-][ \t]*$")
_OPENING_CLAUSES = 4  # how many clauses back a sentence's opening is looked for


def _paragraph_opens() -> bool:
    """The answer for a sentence opening a paragraph that names nobody: the child."""
    return True


@dataclass(frozen=True)
class _Batch:
    """Where each doc's tokens and sentences sit in the batch's concatenated arrays."""

    sent_tok: list[int]  # global token index of every sentence start
    sent_char: list[int]  # its character offset in its own doc
    first_sent: list[int]  # global id of each doc's first sentence
    offsets: list[int]  # global index of each doc's first token, then the total
    is_space: list[int]  # per global token
    n_sents: int


_COVERAGE_ATTRS = [LOWER, IS_SPACE, SENT_START, IDX]
# how far back a run of subjectless sentences looks for the sentence that names its subject
_INHERIT_DEPTH = 8
# A run-on "sentence" (shorthand strung together with commas, a dictated note with no full
# stops) holds every AWARE element at once; scored whole, its many features cancel out and it
# speaks to none.  It is scored clause by clause: cut after a comma or semicolon (and, with
# hardly any commas, before "and"), keeping clauses of at least _MIN_CLAUSE tokens.
_LONG_SENTENCE = 40
_MIN_CLAUSE = 6


def clause_starts(starts: np.ndarray, lower: np.ndarray, strings: StringStore) -> np.ndarray:
    """``starts`` with clause starts added inside sentences longer than _LONG_SENTENCE."""
    bounds = np.append(np.flatnonzero(starts), len(starts))
    long = np.flatnonzero(np.diff(bounds) > _LONG_SENTENCE)
    if not long.size:
        return starts
    comma, semi, and_ = (strings.add(w) for w in (",", ";", "and"))
    out = starts.copy()
    for k in long.tolist():
        a, b = int(bounds[k]), int(bounds[k + 1])
        seg = lower[a:b]
        cuts = np.flatnonzero((seg == comma) | (seg == semi)) + a + 1
        if cuts.size < (b - a) // 30:
            cuts = np.union1d(cuts, np.flatnonzero(seg == and_) + a)
        last = a
        for c in cuts.tolist():
            if c - last >= _MIN_CLAUSE and b - c >= _MIN_CLAUSE:
                out[c] = True
                last = c
    return out


def _masked(doc: Doc) -> list[tuple[int, int]]:
    """``masked_ranges`` when the sections component ran and found something to mask."""
    attrs = doc._
    if attrs.ppn_headings is None or not (attrs.ppn_headings or attrs.ppn_labelled):
        return []
    return masked_ranges(doc)


def sentence_starts(doc: Doc) -> tuple[list[int], list[int]]:
    """(token index, character offset) of every sentence start, without iterating doc.sents."""
    if len(doc) == 0:
        return [], []
    arr = doc.to_array(["SENT_START", "IDX"])
    flags = arr[:, 0].astype("int64") == 1
    flags[0] = True
    toks = np.flatnonzero(flags)
    return toks.tolist(), arr[toks, 1].tolist()


def _names(doc: Doc, labelled_names: Sequence[str] | None = None) -> Names:
    """Child and adult names of the note, worked out once per Doc (kept in ``user_data``);
    ``labelled_names`` are the values of its ``Name:`` lines (read from the Doc if None)."""
    cached = doc.user_data.get("ppn_names")
    if isinstance(cached, (list, tuple)) and len(cached) == 2:
        return Names(frozenset(cached[0]), frozenset(cached[1]))
    if labelled_names is None:
        labelled_names = [x[1] for x in (doc._.ppn_labelled or []) if x[0] == "name"]
    names = names_in(
        cased_for_reading(doc_text(doc)), children_table().adult_age, list(labelled_names)
    )
    doc.user_data["ppn_names"] = [sorted(names.children), sorted(names.adults)]
    return names


class ChildSpeech:
    """The child's own words, adult speech, and recorded reasons for no speech."""

    def __init__(self) -> None:
        register_extensions()
        self.table = speech_table()
        self.adult_age = children_table().adult_age

    def find(
        self,
        doc: Doc,
        words_sections: Sequence[tuple[int, int]],
        labelled_names: Sequence[str] | None = None,
    ) -> SpeechResult:
        """Speech and no-speech reasons in ``doc`` (its sentence starts must be set, or it is
        read as one sentence), given its Words sections and the values of its ``Name:`` lines
        (read from ``doc._.ppn_labelled`` if None)."""
        starts = sentence_starts(doc)[1] if doc.has_annotation("SENT_START") else [0]
        # a dictated note is read with its spoken capitals (the same offsets): names matter here
        text = cased_for_reading(doc_text(doc))
        names = lambda: _names(doc, labelled_names)  # noqa: E731  (worked out only if needed)
        return find_speech(text, starts, words_sections, names, self.table)

    def __call__(self, doc: Doc) -> Doc:
        headings = doc._.ppn_headings
        if headings is None:
            headings = [
                [h.element, h.start, h.end, h.body_start, h.body_end]
                for h in find_headings(doc_text(doc), heading_table())
            ]
        result = self.find(doc, [(h[3], h[4]) for h in headings if h[0] == "words"])
        _add_spans(doc, "ppn_child_speech", speech_spans(doc, result.child_speech))
        _add_spans(doc, "ppn_adult_speech", speech_spans(doc, result.other_speech))
        _add_spans(
            doc, "ppn_no_speech_reason", speech_spans(doc, result.no_speech_reasons, "reason")
        )
        _add_spans(doc, "ppn_aware", speech_evidence(doc, result))
        return doc


def speech_spans(
    doc: Doc, found: Sequence[tuple[int, int, str]], label: str | None = None
) -> list[Span | None]:
    """Spans of speech finds, labelled with their kind (or ``label``)."""
    return [_span(doc, s, e, label or k) for s, e, k in found]


def speech_evidence(doc: Doc, result: SpeechResult) -> list[Span | None]:
    """The child's words and the recorded reasons for none: Words evidence (``ppn_aware``)."""
    words = [(s, e) for s, e, _ in result.child_speech]
    words += [(s, e) for s, e, _ in result.no_speech_reasons]
    return [_span(doc, s, e, "words", "pattern") for s, e in words]


class Children:
    """Children mentioned in the narrative (named with age, relations, babies, age phrases)."""

    def __init__(self) -> None:
        register_extensions()
        self.table = children_table()

    def __call__(self, doc: Doc) -> Doc:
        mentions = find_child_mentions(cased_for_reading(doc_text(doc)), self.table)
        doc._.ppn_child_mentions = [
            {
                "start": m.start,
                "end": m.end,
                "kind": m.kind,
                "name": m.name,
                "age": m.age,
                "relation": m.relation,
                "count": m.count,
            }
            for m in mentions
        ]
        _add_spans(doc, "ppn_children", (_span(doc, m.start, m.end, m.kind) for m in mentions))
        return doc


@Language.factory("ppn_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    register_extensions()
    return SentenceSplitter()


@Language.factory(
    "ppn_aware_sections",
    default_config={"extra_headings": [], "extra_placeholders": []},
)
def make_aware_sections(
    nlp: Language, name: str, extra_headings: list[str], extra_placeholders: list[str]
) -> AwareSections:
    return AwareSections(extra_headings, extra_placeholders)


@Language.factory("ppn_aware_coverage", default_config={"method": DEFAULT_COVERAGE_METHOD})
def make_aware_coverage(nlp: Language, name: str, method: str) -> AwareCoverage:
    return AwareCoverage(method)


@Language.factory("ppn_child_speech")
def make_child_speech(nlp: Language, name: str) -> ChildSpeech:
    return ChildSpeech()


@Language.factory("ppn_children")
def make_children(nlp: Language, name: str) -> Children:
    return Children()
