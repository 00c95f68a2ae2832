"""What trends need of one checked note: its date, officer, team, types and findings' rules.

A ``NoteOutcome`` carries no note text and no names of the people in the note, so that it can
be stored, exported and charted without the note.  ``ppncheck report trends`` makes one per
record from the batch runner's reports (``outcome_of``); the review workbench can make them
from the rows of its store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ppncheck.findings import Report, Severity
from ppncheck.normalise.dates import parse_datetime
from ppncheck.read.types import InputItem
from ppncheck.report.summary import NOT_RECORDED, Summary, officer_of

UNREADABLE_RULE = "PPN000"
_NEEDS_WORK = (Severity.ERROR, Severity.WARNING)


@dataclass(frozen=True)
class NoteOutcome:
    """One checked note, as trends count it.

    ``rule_ids`` has one entry per finding (a rule that fired twice appears twice), so that
    findings per 100 notes count findings, not rules.  ``worst`` is the most severe finding's
    severity (``None`` for a clean note): a note *needs work* when it is an error or a warning.
    An ``unreadable`` note (PPN000) is counted apart and never in any officer's or team's
    figures.  Strings are accepted for ``worst`` (``"error"``) and a datetime for
    ``submitted``, as a store may hold them.
    """

    submitted: date | None
    collar: str = NOT_RECORDED
    team: str = NOT_RECORDED
    ppn_types: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()
    worst: Severity | None = None
    unreadable: bool = False
    ppn_id: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.submitted, datetime):
            object.__setattr__(self, "submitted", self.submitted.date())
        elif self.submitted is not None and not isinstance(self.submitted, date):
            raise TypeError("NoteOutcome.submitted must be a date, a datetime or None")
        if isinstance(self.worst, str) and not isinstance(self.worst, Severity):
            object.__setattr__(self, "worst", Severity.parse(self.worst))
        for name in ("ppn_types", "rule_ids"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"NoteOutcome.{name} must be a sequence of strings, not a string")
            object.__setattr__(self, name, tuple(value))
        object.__setattr__(self, "collar", _label(self.collar))
        object.__setattr__(self, "team", _label(self.team))

    @property
    def needs_work(self) -> bool:
        return self.worst in _NEEDS_WORK


def _label(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return text or NOT_RECORDED


def outcome_of(item: InputItem, report: Report) -> NoteOutcome:
    """The outcome of one record as the batch runner reports it (findings after
    ``--min-level``).  Officer, team, types and the submission date come from the record
    itself; a free-text note records none of them, so it is undated and "not recorded"."""
    if item.error is not None:
        return NoteOutcome(
            submitted=None,
            rule_ids=tuple(f.rule_id for f in report.findings),
            worst=report.worst(),
            unreadable=True,
            ppn_id=report.ppn_id,
        )
    collar, team = officer_of(item.payload)
    submitted = types = None
    if isinstance(item.payload, dict):
        when = parse_datetime(item.payload.get("submitted_at"))
        submitted = when.date() if when is not None else None
        raw = item.payload.get("ppn_types")
        if isinstance(raw, list):
            types = tuple(dict.fromkeys(t.strip() for t in raw if isinstance(t, str) and t.strip()))
    return NoteOutcome(
        submitted=submitted,
        collar=collar,
        team=team,
        ppn_types=types or (),
        rule_ids=tuple(f.rule_id for f in report.findings),
        worst=report.worst(),
        ppn_id=report.ppn_id,
    )


class OutcomeSink:
    """A report sink (``ppncheck.report.base.ReportSink``) that keeps each record's outcome,
    so that ``run_batch`` checks an export once for trends, exactly as ``ppncheck check``
    does.  It keeps no note text."""

    def __init__(self) -> None:
        self.outcomes: list[NoteOutcome] = []
        self.summary: Summary | None = None

    def write(self, item: InputItem, report: Report) -> None:
        self.outcomes.append(outcome_of(item, report))

    def close(self, summary: Summary) -> None:
        self.summary = summary
