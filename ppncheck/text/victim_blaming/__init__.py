"""Victim-blaming language (rule VB001): lexicon, context cues, sentence classifier, component.

``hits_from_doc(doc)`` turns what the ``ppn_victim_blaming`` component stored on a Doc into the
plain ``VBHit`` records the rules use.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from ppncheck.text.analysis_types import VBHit

HITS_ATTR = "ppn_vb_hits"


def hits_from_doc(doc: Doc) -> list[VBHit]:
    """The VB001 hits the component found, ordered by position; [] if it has not run."""
    if not Doc.has_extension(HITS_ATTR):
        return []
    raw = doc._.get(HITS_ATTR) or []
    hits = [
        VBHit(
            start=int(h["start"]),
            end=int(h["end"]),
            category=str(h["category"]),
            entry_id=h.get("entry_id"),
            score=None if h.get("score") is None else float(h["score"]),
            threshold=None if h.get("threshold") is None else float(h["threshold"]),
            source=str(h["source"]),
            cues=tuple(h.get("cues") or ()),
            explanation=str(h["explanation"]),
            suggestion=str(h["suggestion"]),
        )
        for h in raw
    ]
    return in_text_order(hits)


def in_text_order(hits: Iterable[VBHit]) -> list[VBHit]:
    return sorted(hits, key=lambda h: (h.start, h.end))


__all__ = ["VBHit", "hits_from_doc", "in_text_order"]
