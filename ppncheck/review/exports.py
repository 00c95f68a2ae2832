"""What leaves the workbench: reviewers' dismissals as a baseline, their VB001 decisions as
training labels.

Why this shape
--------------
* **The latest decision per key.** Decisions are append-only (``store.Decision``); what a key
  means now is its latest row, as in the queue.  A key reopened last has no decision.
* **A baseline holds no note text.** ``dismissals`` turns each key dismissed as a false alarm
  or acceptable here into a :class:`ppncheck.baseline.BaselineEntry` (reason, who, when) for
  :func:`ppncheck.baseline.write_baseline`, the one writer of that format.
* **Labels are note text, by nature.** ``vb_labels`` gives each decided VB001 key the sentence
  around its flagged span, from the note as stored: accepted findings are positives, false
  alarms negatives.  "Acceptable here" is not a label: the reviewer agreed the wording is what
  the rule looks for and kept it for a reason of this note (a quotation the checker missed, a
  police term of art), so it says nothing about whether the sentence blames the victim.  The
  rows carry a ``source`` tag (``review:<store>:<date>``) so that training can count them.
* **One row per sentence and label.** Pasted wording decided alike in many notes is one
  labelled sentence, not many: a template accepted in twelve notes must not outweigh the
  rest of the training data twelve times over (it moved the sentence test F1 by 0.02 when it
  did).  Reviewers who disagree about a sentence leave one row of each label.
* **No AWARE or people corrections.** The workbench records a decision on a finding, never a
  corrected AWARE element or person list, so there are none to export (``vb_labels`` says so
  in its counts, for the command to print).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ppncheck.baseline import BaselineEntry
from ppncheck.report.base import resolve_field
from ppncheck.review.store import Decision, FindingRow, Note
from ppncheck.text.victim_blaming.labels import is_reviewed, reviewed_source

__all__ = ["dismissals", "is_reviewed", "reviewed_source", "vb_labels", "write_private_jsonl"]

DISMISSALS = ("false_alarm", "acceptable_here")
LABELS = {"accept": 1, "false_alarm": 0}
LABEL_RULE = "VB001"
# the baseline format's limits (baseline.schema.json): longer values cannot be written
_MAX_PPN_ID = 200
_MAX_REASON = 2000
_MAX_BY = 200


def latest_decisions(session: Session, rule_id: str | None = None) -> list[Decision]:
    """The latest decision of every key (optionally of one rule), in key order."""
    latest = select(func.max(Decision.id)).group_by(Decision.key)
    query = select(Decision).where(Decision.id.in_(latest))
    if rule_id is not None:
        query = query.where(Decision.rule_id == rule_id)
    return list(session.scalars(query.order_by(Decision.key)))


@dataclass
class Dismissals:
    entries: list[BaselineEntry] = field(default_factory=list)
    unnamed: int = 0  # dismissals of notes without a ppn_id (or one too long for a baseline)


def dismissals(session: Session) -> Dismissals:
    """Every key whose latest decision dismisses it, as a baseline entry."""
    out = Dismissals()
    for d in latest_decisions(session):
        if d.decision not in DISMISSALS:
            continue
        if not d.ppn_id or len(d.ppn_id) > _MAX_PPN_ID:
            out.unnamed += 1
            continue
        when = d.decided_at.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.entries.append(
            BaselineEntry.from_key(
                (d.ppn_id, d.rule_id, d.field, d.digest),
                decision=d.decision,
                reason=d.reason[:_MAX_REASON] if d.reason else None,
                by=d.reviewer[:_MAX_BY] if d.reviewer else None,
                at=when,
            )
        )
    return out


@dataclass
class LabelExport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    positives: int = 0
    negatives: int = 0
    acceptable_here: int = 0  # decided, but not a label (see the module notes)
    no_text: int = 0  # the decided finding is no longer in the store (its note changed)
    repeats: int = 0  # decisions giving a sentence and label already exported (one row each)
    corrections: int = 0  # AWARE / people corrections: the workbench records none

    def line(self) -> str:
        """Counts only: safe for stderr."""
        text = f"{len(self.rows)} labelled sentences ({self.positives} accepted, "
        text += f"{self.negatives} false alarms)"
        if self.repeats:
            text += f"; {self.repeats} repeats of a sentence already labelled alike"
        if self.acceptable_here:
            text += f"; {self.acceptable_here} 'acceptable here' left out (not a label)"
        if self.no_text:
            text += f"; {self.no_text} decided findings no longer in the store"
        return text


def vb_labels(session: Session, source: str) -> LabelExport:
    """Reviewed VB001 decisions as labelled sentences in the VB training format."""
    out = LabelExport()
    seen: set[tuple[str, int]] = set()
    for d in latest_decisions(session, LABEL_RULE):
        if d.decision == "acceptable_here":
            out.acceptable_here += 1
            continue
        label = LABELS.get(d.decision)
        if label is None:  # reopened: no decision
            continue
        found = session.execute(
            select(FindingRow, Note.record)
            .join(Note, Note.id == FindingRow.note_id)
            .where(FindingRow.key == d.key)
            .order_by(FindingRow.id)
            .limit(1)
        ).first()
        sentence = _sentence(found[0], found[1]) if found is not None else None
        if found is None or sentence is None:
            out.no_text += 1
            continue
        category = None
        if label == 1:
            details = json.loads(found[0].details) if found[0].details else {}
            category = details.get("category") or "unknown"
        if (sentence, label) in seen:  # the same wording decided alike in several notes
            out.repeats += 1
            continue
        seen.add((sentence, label))
        key_digest = hashlib.sha256(d.key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        text_digest = hashlib.sha256(sentence.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        out.rows.append(
            {
                "id": f"review-{key_digest}",
                "text": sentence,
                "label": label,
                "category": category,
                "kind": "reviewed",
                "hard_negative_type": None,
                # one group per sentence: the same wording decided in several notes is never
                # on both sides of a cross-validation fold
                "group": f"review-{text_digest}",
                "split": "train",
                "source": source,
                "decision": d.decision,
            }
        )
        if label:
            out.positives += 1
        else:
            out.negatives += 1
    return out


def write_private_jsonl(path: str | os.PathLike[str], rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` as JSON lines readable by the owner only (0600), replacing ``path`` in
    one step.  For files that hold note text."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
        os.chmod(tmp, 0o600)  # an existing temporary file keeps its mode through O_CREAT
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def _sentence(row: FindingRow, record: str | None) -> str | None:
    """The sentence(s) of the stored note holding the finding's span, or None."""
    from ppncheck.text.sentences import sentence_starts

    if record is None or row.start is None or row.end is None:
        return None
    text = resolve_field(json.loads(record), row.field)
    if not isinstance(text, str) or not 0 <= row.start < row.end <= len(text):
        return None
    starts = [0, *sentence_starts(text)]
    ends = [*starts[1:], len(text)]
    first = max(i for i, s in enumerate(starts) if s <= row.start)
    last = max(i for i, s in enumerate(starts) if s < row.end)
    sentence = " ".join(text[starts[first] : ends[last]].split())
    return sentence or None
