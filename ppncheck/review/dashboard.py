"""The workbench's trends dashboard: ``NoteOutcome``s from the store, counted by
``ppncheck.trends`` exactly as ``ppncheck report trends`` counts an export.

What a reviewer decided counts: a finding dismissed (false alarm, acceptable here) is not a
finding of the note any more, so it is neither in the note's rules nor in its worst severity.
Shared passages (TPL002) are counted once per note that holds them, as the batch runner
reports them.  Unreadable rows (PPN000) are counted apart, as in the report.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ppncheck.findings import Severity
from ppncheck.normalise.dates import parse_datetime
from ppncheck.review.store import BatchFinding, BatchFindingNote, FindingRow, Note
from ppncheck.trends import NoteOutcome

DISMISSED = ("false_alarm", "acceptable_here")


def store_outcomes(session: Session) -> list[NoteOutcome]:
    """One outcome per note of the store, after reviewers' decisions."""
    rules: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for note_id, rule_id, rank, decision in session.execute(
        select(FindingRow.note_id, FindingRow.rule_id, FindingRow.rank, FindingRow.decision)
    ):
        if decision not in DISMISSED:
            rules[note_id].append((rule_id, rank))
    for note_id, rule_id in session.execute(
        select(BatchFindingNote.note_id, BatchFinding.rule_id).join(
            BatchFinding, BatchFinding.id == BatchFindingNote.batch_finding_id
        )
    ):
        rules[note_id].append((rule_id, Severity.INFO.rank))
    out = []
    for note in session.scalars(select(Note).order_by(Note.id)):
        found = rules.get(note.id, [])
        worst = max((rank for _, rank in found), default=None)
        out.append(
            NoteOutcome(
                submitted=_day(note.submitted),
                collar=note.collar,
                team=note.team,
                ppn_types=tuple(t for t in (note.ppn_type or "").split(",") if t),
                rule_ids=tuple(rule for rule, _ in found),
                worst=_severity(worst),
                unreadable=note.unreadable,
                ppn_id=note.ppn_id,
            )
        )
    return out


def _day(submitted: str | None) -> Any:
    when = parse_datetime(submitted) if submitted else None
    return when.date() if when is not None else None


def _severity(rank: int | None) -> Severity | None:
    if rank is None:
        return None
    return next(s for s in Severity if s.rank == rank)
