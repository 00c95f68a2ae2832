"""The one interface every report writer implements, and helpers they share."""

from __future__ import annotations

import hashlib
import re
from typing import Any, Protocol

from ppncheck.findings import Finding, Report
from ppncheck.read.types import InputItem
from ppncheck.report.summary import Summary
from ppncheck.shape import parse_path

# Control characters (C0 but newline, DEL, C1: the terminal escape sequences) and the Unicode
# bidirectional controls (which reorder what follows them on screen).  Tab becomes a space.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
BIDI_CONTROLS = re.compile(f"[{_BIDI}]")


def printable(text: str) -> str:
    """``text`` safe for a terminal or a plain-text file: no escape sequence can reach the
    screen and no bidi control can reorder it; a tab becomes a space."""
    if text.isprintable():
        return text
    return _UNPRINTABLE.sub("", text.replace("\t", " "))


class ReportSink(Protocol):
    """Receives records in input order; must not keep them (memory stays flat)."""

    def write(self, item: InputItem, report: Report) -> None: ...

    def close(self, summary: Summary) -> None: ...


def resolve_field(payload: Any, path: str | None) -> Any:
    """The value at a finding's field path (``voice_of_child[0].aware.words``), or None.

    A free-text note's findings name the note itself (``note``): its whole text.
    """
    if isinstance(payload, str):
        return payload
    parts = parse_path(path) if path is not None else None
    if parts is None:
        return None
    value: Any = payload
    for part in parts:
        if isinstance(part, int):
            if not isinstance(value, list) or not -len(value) <= part < len(value):
                return None
            value = value[part]
        else:
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
    return value


def finding_text(payload: Any, finding: Finding) -> str | None:
    """The note text a finding points at: its span, or the whole field when it is text."""
    value = resolve_field(payload, finding.field)
    if not isinstance(value, str):
        return None
    if finding.start is not None and finding.end is not None:
        return value[finding.start : finding.end]
    return value


FindingKey = tuple[str, str, str, str]
"""``(ppn_id, rule_id, field, text digest)``: what a decision or baseline entry is keyed by."""

_SPACE = re.compile(r"\s+")


def text_digest(text: str | None) -> str:
    """A short digest of flagged text (whitespace runs folded), so a key carries no note text."""
    folded = _SPACE.sub(" ", text or "").strip()
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def finding_key(ppn_id: str | None, payload: Any, finding: Finding) -> FindingKey:
    """The identity of a finding across runs: ``ppn_id``, rule, field and the flagged text.

    The same note checked again gives the same keys; a note whose flagged text changed gives
    a new key, so a decision taken on the old text (a dismissal, a baseline entry) no longer
    applies and the finding comes back.  The text is kept only as a digest.
    """
    return (
        ppn_id or "",
        finding.rule_id,
        finding.field or "",
        text_digest(finding_text(payload, finding)),
    )


def finding_dict(item: InputItem, finding: Finding, *, show_text: bool) -> dict[str, Any]:
    out = finding.to_dict()
    if show_text:
        out["text"] = finding_text(item.payload, finding)
    return out


def report_dict(item: InputItem, report: Report, *, show_text: bool) -> dict[str, Any]:
    """The jsonl/json shape: ``{"ppn_id", "row", "ok", "findings"}`` plus the source file."""
    return {
        "ppn_id": report.ppn_id,
        "row": report.row if report.row is not None else item.row,
        "ok": report.ok,
        "findings": [finding_dict(item, f, show_text=show_text) for f in report.findings],
        "source": item.source or None,
    }
