"""Counts for one batch: what the summary line, the JSON document and the HTML page report.

Only counts and ids are kept (by rule, by officer collar number, by team), never note text,
so the summary can be printed to stderr and grows with the number of officers, not of notes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ppncheck.findings import Report, Severity
from ppncheck.read.types import InputItem

if TYPE_CHECKING:
    from ppncheck.baseline import BaselineOutcome

NOT_RECORDED = "(not recorded)"


@dataclass
class GroupCounts:
    """Per officer or per team: notes seen, notes needing work, findings by severity."""

    notes: int = 0
    needs_work: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0

    def add(self, report: Report) -> None:
        self.notes += 1
        sev = Counter(f.severity.value for f in report.findings)
        self.error += sev["error"]
        self.warning += sev["warning"]
        self.info += sev["info"]
        if sev["error"] or sev["warning"]:
            self.needs_work += 1

    def to_dict(self) -> dict[str, int]:
        return {
            "notes": self.notes,
            "needs_work": self.needs_work,
            "error": self.error,
            "warning": self.warning,
            "info": self.info,
        }


@dataclass
class Summary:
    """Running totals; ``add`` is called once per record written."""

    fail_level: Severity = Severity.ERROR
    min_level: Severity = Severity.INFO
    rows_read: int = 0
    reported: int = 0
    checked: int = 0
    unreadable: int = 0
    failing: int = 0
    sample_size: int | None = None
    sample_seed: int | None = None
    by_severity: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    officers: dict[str, GroupCounts] = field(default_factory=dict)
    teams: dict[str, GroupCounts] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    baseline: BaselineOutcome | None = None  # set when a run used --baseline

    def add(self, item: InputItem, report: Report, *, failed: bool) -> None:
        """Count one record; ``report`` holds the findings as reported (after --min-level)."""
        self.reported += 1
        if item.error is not None:
            self.unreadable += 1
        else:
            self.checked += 1
        if failed:
            self.failing += 1
        for f in report.findings:
            self.by_severity[f.severity.value] += 1
            self.by_rule[f.rule_id] += 1
        collar, team = officer_of(item.payload)
        if item.error is None:
            self.officers.setdefault(collar, GroupCounts()).add(report)
            self.teams.setdefault(team, GroupCounts()).add(report)

    @property
    def needs_work(self) -> int:
        return sum(g.needs_work for g in self.teams.values())

    def line(self) -> str:
        """One line, counts only: safe for stderr and logs."""
        parts = [f"{self.rows_read} {_plural('row', self.rows_read)} read"]
        if self.sample_size is not None:
            parts.append(f"sample of {self.reported} (seed {self.sample_seed})")
        parts.append(f"{self.checked} checked")
        parts.append(f"{self.unreadable} unreadable")
        sev = ", ".join(
            f"{self.by_severity[s.value]} {_plural(s.value, self.by_severity[s.value])}"
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        )
        text = "; ".join(parts) + f"; findings: {sev}"
        text += f"; {self.failing} at or above {self.fail_level.value}"
        if self.baseline is not None:
            text += f"; {self.baseline.line()}"
        return text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rows_read": self.rows_read,
            "reported": self.reported,
            "checked": self.checked,
            "unreadable": self.unreadable,
            "sample": (
                None
                if self.sample_size is None
                else {"size": self.sample_size, "seed": self.sample_seed}
            ),
            "fail_level": self.fail_level.value,
            "min_level": self.min_level.value,
            "failing": self.failing,
            "needs_work": self.needs_work,
            "by_severity": {s.value: self.by_severity[s.value] for s in Severity},
            "by_rule": dict(sorted(self.by_rule.items())),
            "by_officer": {k: v.to_dict() for k, v in sorted(self.officers.items())},
            "by_team": {k: v.to_dict() for k, v in sorted(self.teams.items())},
            "notices": list(self.notices),
        }
        if self.baseline is not None:
            out["baseline"] = self.baseline.to_dict()
        return out


def _plural(word: str, n: int) -> str:
    if n == 1 or word == "info":
        return word
    return word + "s"


def officer_of(payload: Any) -> tuple[str, str]:
    """(collar number, team) of a structured record; placeholders when absent."""
    collar = team = NOT_RECORDED
    if isinstance(payload, dict):
        officer = payload.get("officer")
        if isinstance(officer, dict):
            c = officer.get("collar_number")
            t = officer.get("team")
            if isinstance(c, (str, int)) and str(c).strip():
                collar = str(c).strip()
            if isinstance(t, str) and t.strip():
                team = t.strip()
    return collar, team
