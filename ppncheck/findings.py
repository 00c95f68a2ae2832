"""The finding and report types: the public result of every check.

A finding is one defect, owned by exactly one rule (record-format.md §4), so counts by
rule mean something.  ``details`` carries the explanation a trainer needs (lexicon entry,
model score and threshold, context cues) without widening the fixed field list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """Ordered severities; ``error`` goes back to the officer."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r}; expected one of: info, warning, error"
            ) from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Finding:
    """One defect in one field of one record (record-format.md §2)."""

    rule_id: str
    severity: Severity
    message: str
    field: str | None = None
    start: int | None = None
    end: int | None = None
    suggestion: str | None = None
    score: float | None = None
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "message": self.message,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "suggestion": self.suggestion,
            "score": self.score,
        }
        if self.details:
            out["details"] = self.details
        return out


@dataclass
class Report:
    """A record's result: its id (or input row) and its findings."""

    ppn_id: str | None
    findings: list[Finding] = field(default_factory=list)
    row: int | None = None

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings})

    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ppn_id": self.ppn_id,
            "row": self.row,
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
        }
