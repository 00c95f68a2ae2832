"""Import a checked export into the review store.

The export is checked by the batch runner (``ppncheck.batch.runner.run_batch``), exactly as
``ppncheck check`` checks it; ``StoreSink`` is one more report sink, writing each note and its
findings to the store in chunks.  Why this shape:

* **Idempotent.** A note is keyed by its ``ppn_id`` (by ``<source>#row<N>`` when it has none,
  or repeats one already seen in this import), so importing again replaces each note in place;
  notes of the same source file that the new import no longer holds are removed.  The import
  of a file whose bytes, mapping and settings match the store's latest import is skipped.
* **Decisions come back by key.** After the notes are written, each finding takes the latest
  decision recorded for its ``finding_key``: the same flagged text stays decided, changed
  text comes back undecided.
* **Every row arrives.** An unreadable row (PPN000) is a note too, marked ``unreadable``, and
  goes to the VAT's list, never to an officer's feedback.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from ppncheck.config import Config
from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem, ReadNotices
from ppncheck.report.base import finding_key
from ppncheck.report.feedback import officer_name
from ppncheck.report.summary import Summary, officer_of
from ppncheck.review.store import (
    Batch,
    BatchFinding,
    BatchFindingNote,
    Decision,
    FindingRow,
    Note,
    Store,
    joined_key,
    utcnow,
)

BATCH_RULES = frozenset({"TPL002"})  # findings about the batch: one panel, not every card
_FLUSH = 500


@dataclass
class ImportResult:
    batch_id: int
    skipped: bool = False
    added: int = 0
    updated: int = 0
    removed: int = 0
    summary: Summary | None = None
    notices: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line, counts only: safe for stderr."""
        if self.skipped:
            return "this export is already the store's latest import; nothing changed"
        text = f"imported: {self.added} new, {self.updated} updated, {self.removed} removed"
        if self.summary is not None:
            text += f"; {self.summary.line()}"
        return text


def export_digest(files: list[Path], mapping: Path | None, config: Config) -> str:
    """What makes two imports the same: the files' bytes, the mapping's, and the settings."""
    h = hashlib.sha256()
    for path in [*files, *([mapping] if mapping else [])]:
        h.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    h.update(repr(config).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def import_export(
    store: Store,
    source: Callable[[], Iterator[InputItem]],
    *,
    sources: list[str],
    digest: str,
    config: Config,
    reviewer: str | None = None,
    jobs: int | None = 1,
    progress: Any = None,
    notices: ReadNotices | None = None,
) -> ImportResult:
    """Check every item ``source()`` yields with the batch runner and write it to ``store``."""
    from ppncheck.batch.runner import BatchOptions, run_batch

    with store.session() as session:
        latest = session.scalars(select(Batch).order_by(Batch.id.desc()).limit(1)).first()
        if latest is not None and latest.digest == digest:
            return ImportResult(batch_id=latest.id, skipped=True)
        batch = Batch(
            source=", ".join(sources)[:512],
            digest=digest,
            imported_at=utcnow(),
            imported_by=reviewer,
        )
        session.add(batch)
        session.commit()
        batch_id = batch.id
    sink = StoreSink(store, batch_id)
    summary = run_batch(
        source,
        [sink],
        config=config,
        options=BatchOptions(jobs=jobs),
        progress=progress,
        notices=notices,
    )
    removed = sink.finish(sources, summary)
    return ImportResult(
        batch_id=batch_id,
        added=sink.added,
        updated=sink.updated,
        removed=removed,
        summary=summary,
        notices=list(summary.notices),
    )


class StoreSink:
    """A report sink that writes notes and findings to the store, ``_FLUSH`` notes at a time."""

    def __init__(self, store: Store, batch_id: int) -> None:
        self._store = store
        self._batch_id = batch_id
        self._pending: list[tuple[InputItem, Report]] = []
        self._seen: set[str] = set()
        self._passages: dict[str, int] = {}  # passage_id -> batch_findings.id
        self.added = 0
        self.updated = 0

    def write(self, item: InputItem, report: Report) -> None:
        self._pending.append((item, report))
        if len(self._pending) >= _FLUSH:
            self._flush()

    def close(self, summary: Summary) -> None:
        self._flush()

    def _key(self, item: InputItem, report: Report) -> str:
        row = report.row if report.row is not None else item.row
        key = report.ppn_id if report.ppn_id and item.error is None else None
        if key is None or key in self._seen:
            key = f"{item.source}#row{row}"
        self._seen.add(key)
        return key

    def _flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        rows = [_note_row(self._key(item, rep), item, rep, self._batch_id) for item, rep in batch]
        keys = [r["key"] for r in rows]
        with self._store.session() as session, session.begin():
            existing: dict[str, int] = dict(
                session.execute(select(Note.key, Note.id).where(Note.key.in_(keys))).all()
            )
            if existing:
                ids = list(existing.values())
                session.execute(delete(FindingRow).where(FindingRow.note_id.in_(ids)))
                session.execute(delete(BatchFindingNote).where(BatchFindingNote.note_id.in_(ids)))
                session.execute(
                    update(Note),
                    [{**r, "id": existing[r["key"]]} for r in rows if r["key"] in existing],
                )
            new = [r for r in rows if r["key"] not in existing]
            if new:
                inserted = session.execute(
                    insert(Note).returning(Note.key, Note.id, sort_by_parameter_order=True), new
                )
                existing.update({key: id_ for key, id_ in inserted})
            self.added += len(new)
            self.updated += len(rows) - len(new)
            findings: list[dict[str, Any]] = []
            shared: list[dict[str, Any]] = []
            for (item, report), row in zip(batch, rows, strict=True):
                note_id = existing[row["key"]]
                for position, f in enumerate(report.findings):
                    if f.rule_id in BATCH_RULES:
                        passage = self._passage(session, f)
                        shared.append(
                            {
                                "batch_finding_id": passage,
                                "note_id": note_id,
                                "field": f.field,
                                "start": f.start,
                                "end": f.end,
                            }
                        )
                    else:
                        findings.append(_finding_row(note_id, position, item, report, f))
            if findings:
                session.execute(insert(FindingRow), findings)
            if shared:
                session.execute(insert(BatchFindingNote), shared)
            note_ids = list(existing.values())
            apply_decisions(session, FindingRow.note_id.in_(note_ids))
            refresh_pending(session, Note.id.in_(note_ids))

    def _passage(self, session: Any, f: Finding) -> int:
        details = f.details or {}
        pid = str(details.get("passage_id") or f"{f.field}:{f.start}")
        found = self._passages.get(pid)
        if found is None:
            found = session.execute(
                insert(BatchFinding).returning(BatchFinding.id),
                {
                    "batch_id": self._batch_id,
                    "rule_id": f.rule_id,
                    "passage_id": pid,
                    "words": int(details.get("words") or 0),
                    "notes_estimate": int(details.get("notes") or 0),
                    "message": f.message,
                    "suggestion": f.suggestion,
                },
            ).scalar_one()
            self._passages[pid] = found
        return found

    def finish(self, sources: list[str], summary: Summary) -> int:
        """Remove notes of these source files that this import no longer holds; record counts."""
        with self._store.session() as session, session.begin():
            stale = select(Note.id).where(
                and_(Note.source.in_(sources), Note.batch_id != self._batch_id)
            )
            stale_ids = list(session.scalars(stale))
            for start in range(0, len(stale_ids), 500):
                chunk = stale_ids[start : start + 500]
                session.execute(delete(FindingRow).where(FindingRow.note_id.in_(chunk)))
                session.execute(delete(BatchFindingNote).where(BatchFindingNote.note_id.in_(chunk)))
                session.execute(delete(Note).where(Note.id.in_(chunk)))
            # passages of earlier batches that no note holds any more
            held = select(BatchFindingNote.batch_finding_id)
            session.execute(delete(BatchFinding).where(BatchFinding.id.not_in(held)))
            session.execute(
                update(Batch)
                .where(Batch.id == self._batch_id)
                .values(
                    rows=summary.rows_read,
                    checked=summary.checked,
                    unreadable=summary.unreadable,
                )
            )
        return len(stale_ids)


def latest_decision_of(key_column: Any) -> Any:
    """The latest decision for a finding key, as a correlated scalar subquery (reopen: none)."""
    latest = (
        select(Decision.decision)
        .where(Decision.key == key_column)
        .order_by(Decision.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.nullif(latest, "reopen")


def apply_decisions(session: Any, where: Any) -> None:
    """Refresh ``findings.decision`` from the decisions table for the findings ``where``."""
    session.execute(
        update(FindingRow)
        .where(where)
        .values(decision=latest_decision_of(FindingRow.key))
        .execution_options(synchronize_session=False)
    )


def refresh_pending(session: Any, where: Any) -> None:
    """Recount ``notes.pending`` (findings without a decision) for the notes ``where``."""
    undecided = (
        select(func.count(FindingRow.id))
        .where(and_(FindingRow.note_id == Note.id, FindingRow.decision.is_(None)))
        .scalar_subquery()
    )
    session.execute(
        update(Note)
        .where(where)
        .values(pending=undecided)
        .execution_options(synchronize_session=False)
    )


def _note_row(key: str, item: InputItem, report: Report, batch_id: int) -> dict[str, Any]:
    payload = item.payload
    collar, team = officer_of(payload)
    counted = [f for f in report.findings if f.rule_id not in BATCH_RULES]
    sev = [f.severity for f in counted]
    record = None if item.error is not None else json.dumps(payload, default=str)
    types = None
    submitted = None
    if isinstance(payload, dict):
        raw = payload.get("ppn_types")
        if isinstance(raw, list):
            names = [str(t).strip() for t in raw if str(t).strip()]
            types = f",{','.join(names)}," if names else None
        elif isinstance(raw, str) and raw.strip():
            types = f",{raw.strip()},"
        if isinstance(payload.get("submitted_at"), str):
            submitted = payload["submitted_at"][:40]
    row = report.row if report.row is not None else item.row
    name = officer_name(payload)
    return {
        "key": key[:600],
        "ppn_id": (report.ppn_id or None) and str(report.ppn_id)[:300],
        "batch_id": batch_id,
        "source": item.source[:512],
        "row": row,
        "collar": collar[:120],
        "officer_name": name[:300] if name else None,
        "team": team[:300],
        "ppn_type": types[:300] if types else None,
        "submitted": submitted,
        "record": record,
        "unreadable": item.error is not None,
        "n_error": sev.count(Severity.ERROR),
        "n_warning": sev.count(Severity.WARNING),
        "n_info": sev.count(Severity.INFO),
        "worst": max((s.rank for s in sev), default=-1),
        "pending": len(counted),
    }


def _finding_row(
    note_id: int, position: int, item: InputItem, report: Report, f: Finding
) -> dict[str, Any]:
    ppn_id, rule_id, path, digest = finding_key(report.ppn_id, item.payload, f)
    details = f.details or {}
    threshold = details.get("threshold")
    return {
        "note_id": note_id,
        "position": position,
        "rule_id": rule_id,
        "severity": f.severity.value,
        "rank": f.severity.rank,
        "field": f.field,
        "start": f.start,
        "end": f.end,
        "message": f.message,
        "suggestion": f.suggestion,
        "score": f.score,
        "threshold": float(threshold) if isinstance(threshold, (int, float)) else None,
        "details": json.dumps(details, default=str) if details else None,
        "key": joined_key(ppn_id, rule_id, path, digest)[:700],
        "key_ppn_id": ppn_id[:300],
        "key_field": path[:300],
        "key_digest": digest,
        "decision": None,
    }
