"""What the workbench's pages ask of the store.

The queue is ordered by what needs action first: notes with errors, then warnings, then the
rest (``notes.worst``, ``n_error``, ``n_warning``, all indexed), filtered in SQL and paginated
with LIMIT/OFFSET, so a page over 10,000 notes reads one page of rows and one count.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, distinct, exists, false, func, or_, select
from sqlalchemy.orm import Session

from ppncheck.findings import Finding, Severity
from ppncheck.report.feedback import ExportFault, NoteFeedback, officer_message
from ppncheck.review.importer import BATCH_RULES, apply_decisions, refresh_pending
from ppncheck.review.store import (
    DECISIONS,
    NEEDS_REASON,
    BatchFinding,
    BatchFindingNote,
    Decision,
    FindingRow,
    Note,
    utcnow,
)

PAGE_SIZE = 50
STATUSES = {
    "": "any",
    "pending": "to review",
    "reviewed": "reviewed",
    "clean": "no findings",
}
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Filters:
    rule: str = ""
    severity: str = ""
    officer: str = ""
    team: str = ""
    ppn_type: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        def get(name: str) -> str:
            value = params.get(name) or ""
            return str(value).strip()[:300]

        status = get("status")
        severity = get("severity")
        return cls(
            rule=get("rule").upper(),
            severity=severity if severity in SEVERITIES else "",
            officer=get("officer"),
            team=get("team"),
            ppn_type=get("type"),
            status=status if status in STATUSES else "",
            q=get("q"),
        )

    def query(self) -> dict[str, str]:
        pairs = {
            "rule": self.rule,
            "severity": self.severity,
            "officer": self.officer,
            "team": self.team,
            "type": self.ppn_type,
            "status": self.status,
            "q": self.q,
        }
        return {k: v for k, v in pairs.items() if v}

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [Note.unreadable.is_(false())]
        if self.rule in BATCH_RULES:
            where.append(exists().where(BatchFindingNote.note_id == Note.id))
        elif self.rule:
            where.append(
                exists().where(and_(FindingRow.note_id == Note.id, FindingRow.rule_id == self.rule))
            )
        if self.severity:
            where.append(getattr(Note, f"n_{self.severity}") > 0)
        if self.officer:
            where.append(Note.collar == self.officer)
        if self.team:
            where.append(Note.team == self.team)
        if self.ppn_type:
            where.append(Note.ppn_type.like(f"%,{_like(self.ppn_type)},%", escape="\\"))
        if self.status == "pending":
            where.append(Note.pending > 0)
        elif self.status == "reviewed":
            where.append(and_(Note.pending == 0, Note.worst >= 0))
        elif self.status == "clean":
            where.append(Note.worst < 0)
        if self.q:
            where.append(Note.ppn_id.like(f"%{_like(self.q)}%", escape="\\"))
        return where


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


ORDER = (Note.worst.desc(), Note.n_error.desc(), Note.n_warning.desc(), Note.id.asc())


@dataclass
class QueueRow:
    id: int
    ppn_id: str | None
    source: str
    row: int
    collar: str
    team: str
    ppn_types: list[str]
    n_error: int
    n_warning: int
    pending: int
    rules: list[tuple[str, str, bool]] = field(default_factory=list)  # (rule, severity, decided)


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def queue(session: Session, filters: Filters, page: int = 1, per: int = PAGE_SIZE) -> QueuePage:
    where = filters.conditions()
    total = session.scalar(select(func.count(Note.id)).where(*where)) or 0
    pages = max(1, -(-total // per))
    page = min(max(1, page), pages)
    cols = (
        Note.id,
        Note.ppn_id,
        Note.source,
        Note.row,
        Note.collar,
        Note.team,
        Note.ppn_type,
        Note.n_error,
        Note.n_warning,
        Note.pending,
    )
    found = session.execute(
        select(*cols).where(*where).order_by(*ORDER).limit(per).offset((page - 1) * per)
    ).all()
    rows = [
        QueueRow(
            id=r.id,
            ppn_id=r.ppn_id,
            source=r.source,
            row=r.row,
            collar=r.collar,
            team=r.team,
            ppn_types=_types(r.ppn_type),
            n_error=r.n_error,
            n_warning=r.n_warning,
            pending=r.pending,
        )
        for r in found
    ]
    by_id = {r.id: r for r in rows}
    if by_id:
        chips = session.execute(
            select(FindingRow.note_id, FindingRow.rule_id, FindingRow.severity, FindingRow.decision)
            .where(FindingRow.note_id.in_(list(by_id)))
            .order_by(FindingRow.note_id, FindingRow.rank.desc(), FindingRow.position)
        ).all()
        for note_id, rule, severity, decision in chips:
            by_id[note_id].rules.append((rule, severity, decision is not None))
    return QueuePage(rows=rows, total=total, page=page, pages=pages)


def _types(stored: str | None) -> list[str]:
    return [t for t in (stored or "").split(",") if t]


def filter_options(session: Session) -> dict[str, list[str]]:
    """The values each queue filter can take, from what the store holds."""
    readable = Note.unreadable.is_(false())
    rules = sorted(session.scalars(select(FindingRow.rule_id).distinct()))
    if session.scalar(select(exists().where(BatchFindingNote.id.is_not(None)))):
        rules = sorted({*rules, *BATCH_RULES})
    types = set()
    for stored in session.scalars(select(Note.ppn_type).distinct().where(readable)):
        types.update(_types(stored))
    return {
        "rule": rules,
        "officer": sorted(session.scalars(select(Note.collar).distinct().where(readable))),
        "team": sorted(session.scalars(select(Note.team).distinct().where(readable))),
        "type": sorted(types),
    }


def neighbours(session: Session, note: Note, filters: Filters) -> tuple[int | None, int | None]:
    """The previous and next note in the queue's order under ``filters`` (keyset)."""
    w, e, ww, i = note.worst, note.n_error, note.n_warning, note.id
    after = or_(
        Note.worst < w,
        and_(Note.worst == w, Note.n_error < e),
        and_(Note.worst == w, Note.n_error == e, Note.n_warning < ww),
        and_(Note.worst == w, Note.n_error == e, Note.n_warning == ww, Note.id > i),
    )
    before = or_(
        Note.worst > w,
        and_(Note.worst == w, Note.n_error > e),
        and_(Note.worst == w, Note.n_error == e, Note.n_warning > ww),
        and_(Note.worst == w, Note.n_error == e, Note.n_warning == ww, Note.id < i),
    )
    where = filters.conditions()
    nxt = session.scalar(select(Note.id).where(*where, after).order_by(*ORDER).limit(1))
    reverse = (Note.worst.asc(), Note.n_error.asc(), Note.n_warning.asc(), Note.id.desc())
    prv = session.scalar(select(Note.id).where(*where, before).order_by(*reverse).limit(1))
    return prv, nxt


def payload_of(note: Note) -> Any:
    return None if note.record is None else json.loads(note.record)


def as_finding(row: FindingRow) -> Finding:
    return Finding(
        rule_id=row.rule_id,
        severity=Severity(row.severity),
        message=row.message,
        field=row.field,
        start=row.start,
        end=row.end,
        suggestion=row.suggestion,
        score=row.score,
        details=json.loads(row.details) if row.details else None,
    )


def note_findings(session: Session, note_id: int) -> list[FindingRow]:
    return list(
        session.scalars(
            select(FindingRow)
            .where(FindingRow.note_id == note_id)
            .order_by(FindingRow.rank.desc(), FindingRow.position)
        )
    )


@dataclass
class Passage:
    id: int
    rule_id: str
    words: int
    notes: int
    message: str
    suggestion: str | None
    field: str | None = None
    start: int | None = None
    end: int | None = None
    estimate: int = 0  # notes sharing it across the batch, as TPL002 counted them


def note_passages(session: Session, note_id: int) -> list[Passage]:
    rows = session.execute(
        select(BatchFinding, BatchFindingNote)
        .join(BatchFindingNote, BatchFindingNote.batch_finding_id == BatchFinding.id)
        .where(BatchFindingNote.note_id == note_id)
    ).all()
    counts = _passage_counts(session, [bf.id for bf, _ in rows])
    return [
        Passage(
            bf.id,
            bf.rule_id,
            bf.words,
            counts.get(bf.id, 0),
            bf.message,
            bf.suggestion,
            link.field,
            link.start,
            link.end,
            max(bf.notes_estimate, counts.get(bf.id, 0)),
        )
        for bf, link in rows
    ]


def _passage_counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        session.execute(
            select(
                BatchFindingNote.batch_finding_id, func.count(distinct(BatchFindingNote.note_id))
            )
            .where(BatchFindingNote.batch_finding_id.in_(list(ids)))
            .group_by(BatchFindingNote.batch_finding_id)
        ).all()
    )


def top_passages(session: Session, limit: int = 8) -> tuple[list[Passage], int]:
    """The batch panel: the passages shared by the most notes, and how many passages there are."""
    count = func.count(distinct(BatchFindingNote.note_id)).label("n")
    rows = session.execute(
        select(BatchFinding, count)
        .join(BatchFindingNote, BatchFindingNote.batch_finding_id == BatchFinding.id)
        .group_by(BatchFinding.id)
        .order_by(BatchFinding.notes_estimate.desc(), count.desc(), BatchFinding.id)
        .limit(limit)
    ).all()
    total = session.scalar(select(func.count(BatchFinding.id))) or 0
    return [
        Passage(
            bf.id,
            bf.rule_id,
            bf.words,
            n,
            bf.message,
            bf.suggestion,
            estimate=max(bf.notes_estimate, n),
        )
        for bf, n in rows
    ], total


def passage_notes(session: Session, passage_id: int) -> list[tuple[int, str | None, str, str]]:
    return [
        (r.id, r.ppn_id, r.collar, r.field or "")
        for r in session.execute(
            select(Note.id, Note.ppn_id, Note.collar, BatchFindingNote.field)
            .join(BatchFindingNote, BatchFindingNote.note_id == Note.id)
            .where(BatchFindingNote.batch_finding_id == passage_id)
            .order_by(Note.id)
        )
    ]


def history(session: Session, keys: Sequence[str]) -> dict[str, list[Decision]]:
    """Every decision on these keys, latest first."""
    out: dict[str, list[Decision]] = {}
    if keys:
        for d in session.scalars(
            select(Decision).where(Decision.key.in_(list(keys))).order_by(Decision.id.desc())
        ):
            out.setdefault(d.key, []).append(d)
    return out


class DecisionError(ValueError):
    """A decision that cannot be recorded: unknown kind, or a reason that is required."""


def decide(
    session: Session, finding_id: int, decision: str, reason: str, reviewer: str
) -> FindingRow:
    """Append a decision on a finding's key and refresh the caches of every finding with it."""
    if decision not in DECISIONS:
        raise DecisionError("unknown decision")
    reason = reason.strip()
    if decision in NEEDS_REASON and not reason:
        raise DecisionError("a reason is required to dismiss a finding as acceptable here")
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise LookupError("no such finding")
    session.add(
        Decision(
            key=row.key,
            ppn_id=row.key_ppn_id,
            rule_id=row.rule_id,
            field=row.key_field,
            digest=row.key_digest,
            decision=decision,
            reason=reason[:2000] or None,
            reviewer=(reviewer.strip() or "unknown")[:120],
            decided_at=utcnow(),
        )
    )
    session.flush()
    apply_decisions(session, FindingRow.key == row.key)
    holders = select(FindingRow.note_id).where(FindingRow.key == row.key)
    refresh_pending(session, Note.id.in_(holders))
    return row


def officers_with_accepted(session: Session) -> list[tuple[str, int, int]]:
    """(collar, notes, accepted findings) for every officer with an accepted finding."""
    return [
        (r[0], r[1], r[2])
        for r in session.execute(
            select(Note.collar, func.count(distinct(Note.id)), func.count(FindingRow.id))
            .join(FindingRow, FindingRow.note_id == Note.id)
            .where(FindingRow.decision == "accept", Note.unreadable.is_(false()))
            .group_by(Note.collar)
            .order_by(Note.collar)
        ).all()
    ]


def officer_draft(session: Session, collar: str) -> str | None:
    """The officer's feedback: their accepted findings across the store, one message."""
    notes = list(
        session.scalars(
            select(Note)
            .where(
                Note.collar == collar,
                Note.unreadable.is_(false()),
                exists().where(
                    and_(FindingRow.note_id == Note.id, FindingRow.decision == "accept")
                ),
            )
            .order_by(Note.source, Note.row)
        )
    )
    if not notes:
        return None
    parts = []
    name = None
    for note in notes:
        accepted = [
            as_finding(f) for f in note_findings(session, note.id) if f.decision == "accept"
        ]
        name = name or note.officer_name
        parts.append(NoteFeedback(note.ppn_id, note.row, note.source, payload_of(note), accepted))
    return officer_message(collar, parts, name=name)


def export_faults(session: Session) -> list[tuple[int, ExportFault]]:
    rows = session.execute(
        select(Note.id, Note.row, Note.source, FindingRow.message)
        .outerjoin(FindingRow, and_(FindingRow.note_id == Note.id, FindingRow.rule_id == "PPN000"))
        .where(Note.unreadable.is_(True))
        .order_by(Note.source, Note.row)
    ).all()
    return [(r.id, ExportFault(r.row, r.source, r.message or "unreadable")) for r in rows]
