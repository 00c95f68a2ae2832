"""Oversight figures over time: notes, findings per 100 notes, the share needing work, the top
rules, by period and by team, officer, PPN type and rule, and before/after a training date.

Everything is counted in one pass over the outcomes (an export of any size, or a store's
rows), and the result is plain rows of counts: rates are derived from the counts, so a CSV
reader can re-add them and get the same figures.  Rules of counting:

* a note *needs work* when its worst finding is an error or a warning (as in the batch
  summary); findings per 100 notes counts every finding, a rule that fired twice twice;
* unreadable rows (PPN000) are counted apart, in the ``unreadable`` column of the overall
  rows, and never in a team's or officer's notes or rates;
* a note with no submission date is counted in the ``undated`` period, never dropped;
* a note of several PPN types counts once under each type;
* with a team filter (a line manager's view), only that team's notes are counted at all, so
  only its officers appear;
* before/after a training date D: "before" is submitted before D, "after" on D or later;
  undated notes are in neither.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ppncheck.trends.outcomes import NoteOutcome

PERIODS = ("week", "month")
UNDATED = "undated"
ALL_TEAMS = "(all teams)"
TOP_RULES = 3
_SCOPE = "\0scope"  # the scope's key in the training counts until its name is known


def period_of(day: date | None, period: str) -> tuple[str, date | None]:
    """The period a day falls in, as a label and its first day: ISO week ``2026-W47``
    (starting on Monday) or calendar month ``2026-11``; ``undated`` for no day."""
    if day is None:
        return UNDATED, None
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}", date.fromisocalendar(year, week, 1)
    if period == "month":
        return f"{day.year}-{day.month:02d}", date(day.year, day.month, 1)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def next_period(start: date, period: str) -> date:
    """The first day of the period after the one starting on ``start``."""
    if period == "week":
        return date.fromordinal(start.toordinal() + 7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def per_100(findings: int, notes: int) -> float | None:
    return None if notes == 0 else 100.0 * findings / notes


def percent(part: int, notes: int) -> float | None:
    return None if notes == 0 else 100.0 * part / notes


@dataclass
class _Counts:
    notes: int = 0
    findings: int = 0
    needs_work: int = 0
    unreadable: int = 0
    rules: Counter[str] = field(default_factory=Counter)  # findings by rule
    notes_with: Counter[str] = field(default_factory=Counter)  # notes with the rule at least once

    def add(self, outcome: NoteOutcome) -> None:
        if outcome.unreadable:
            self.unreadable += 1
            return
        self.notes += 1
        self.findings += len(outcome.rule_ids)
        self.needs_work += outcome.needs_work
        self.rules.update(outcome.rule_ids)
        self.notes_with.update(set(outcome.rule_ids))

    def top(self, n: int) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


@dataclass(frozen=True)
class GroupRow:
    """One group of notes in one period: the scope as a whole (``level`` "overall", ``team``
    holding the scope's name), a team, an officer (``team`` and ``officer``: the collar
    number) or a PPN type."""

    level: str
    period: str
    period_start: date | None
    team: str = ""
    officer: str = ""
    ppn_type: str = ""
    notes: int = 0
    findings: int = 0
    needs_work: int = 0
    unreadable: int = 0
    top_rules: tuple[tuple[str, int], ...] = ()

    @property
    def findings_per_100(self) -> float | None:
        return per_100(self.findings, self.notes)

    @property
    def needs_work_percent(self) -> float | None:
        return percent(self.needs_work, self.notes)


@dataclass(frozen=True)
class RuleRow:
    """One rule's findings in one period, for the scope (``team`` is the scope's name) or a
    team; ``notes`` is the group's number of notes, the denominator of the rates."""

    period: str
    period_start: date | None
    team: str
    rule_id: str
    notes: int
    findings: int
    notes_with_rule: int

    @property
    def findings_per_100(self) -> float | None:
        return per_100(self.findings, self.notes)

    @property
    def notes_with_rule_percent(self) -> float | None:
        return percent(self.notes_with_rule, self.notes)


@dataclass(frozen=True)
class TrainingRow:
    """One rule for one team (or the scope): findings per 100 notes before the training date
    and on or after it.  ``improved`` is None when either side has no notes."""

    team: str
    rule_id: str
    training_date: date
    before_notes: int
    before_findings: int
    after_notes: int
    after_findings: int

    @property
    def before_per_100(self) -> float | None:
        return per_100(self.before_findings, self.before_notes)

    @property
    def after_per_100(self) -> float | None:
        return per_100(self.after_findings, self.after_notes)

    @property
    def change_per_100(self) -> float | None:
        before, after = self.before_per_100, self.after_per_100
        return None if before is None or after is None else after - before

    @property
    def improved(self) -> bool | None:
        change = self.change_per_100
        return None if change is None else change < 0


@dataclass(frozen=True)
class Trends:
    """The figures for one scope (every team, or one team) and one kind of period."""

    period: str
    scope: str
    team_filter: str | None
    since_training: date | None
    overall: tuple[GroupRow, ...]
    teams: tuple[GroupRow, ...]
    officers: tuple[GroupRow, ...]
    ppn_types: tuple[GroupRow, ...]
    rules: tuple[RuleRow, ...]
    training: tuple[TrainingRow, ...]
    notes: int
    undated: int
    unreadable: int
    rule_totals: tuple[tuple[str, int], ...]  # findings by rule over every period, most first

    def periods(self) -> list[tuple[str, date | None]]:
        """Every period from the first dated one to the last, empty ones included (a chart's
        time axis must not close up a quiet week), then ``undated`` if any note is."""
        starts = sorted({r.period_start for r in self.overall if r.period_start is not None})
        out: list[tuple[str, date | None]] = []
        if starts:
            day = starts[0]
            while day <= starts[-1]:
                out.append(period_of(day, self.period))
                day = next_period(day, self.period)
        if any(r.period_start is None for r in self.overall):
            out.append((UNDATED, None))
        return out

    def team_names(self) -> list[str]:
        return sorted({r.team for r in self.teams})


def compute_trends(
    outcomes: Iterable[NoteOutcome],
    *,
    period: str = "month",
    team: str | None = None,
    since_training: date | None = None,
    top: int = TOP_RULES,
) -> Trends:
    """Trends over ``outcomes`` by ``period`` ("week": ISO weeks, or "month").

    ``team`` restricts everything to that team's notes (compared without regard to case or
    surrounding spaces): a line manager's view, in which only that team's officers appear.
    ``since_training`` adds the before/after comparison for each team and rule.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    wanted = team.strip().casefold() if team is not None else None
    if wanted == "":
        raise ValueError("the team filter is empty")
    scope = team.strip() if team is not None else ALL_TEAMS
    overall: dict[str, _Counts] = {}
    teams: dict[tuple[str, str], _Counts] = {}
    officers: dict[tuple[str, str, str], _Counts] = {}
    types: dict[tuple[str, str], _Counts] = {}
    training: dict[tuple[str, bool], _Counts] = {}
    starts: dict[str, date | None] = {}
    totals = _Counts()
    for o in outcomes:
        if wanted is not None:
            if o.team.casefold() != wanted:
                continue
            scope = o.team  # the team's name as its notes spell it
        label, start = period_of(o.submitted, period)
        starts[label] = start
        overall.setdefault(label, _Counts()).add(o)
        totals.add(o)
        if o.unreadable:
            continue  # never an officer's or a team's figure
        teams.setdefault((label, o.team), _Counts()).add(o)
        officers.setdefault((label, o.team, o.collar), _Counts()).add(o)
        for t in o.ppn_types:
            types.setdefault((label, t), _Counts()).add(o)
        if since_training is not None and o.submitted is not None:
            trained = o.submitted >= since_training
            training.setdefault((_SCOPE, trained), _Counts()).add(o)
            if wanted is None:
                training.setdefault((o.team, trained), _Counts()).add(o)

    def order(key: tuple[Any, ...]) -> tuple[Any, ...]:
        start = starts[key[0]]
        return (start is None, start or date.min, *key[1:])

    def group(level: str, key: tuple[Any, ...], c: _Counts, **names: str) -> GroupRow:
        label = key[0]
        return GroupRow(
            level=level,
            period=label,
            period_start=starts[label],
            notes=c.notes,
            findings=c.findings,
            needs_work=c.needs_work,
            unreadable=c.unreadable,
            top_rules=c.top(top),
            **names,
        )

    if since_training is not None:  # the scope's name is known now
        training = {
            (scope if name == _SCOPE else name, side): c for (name, side), c in training.items()
        }
    overall_rows = tuple(
        group("overall", (label,), overall[label], team=scope)
        for label in sorted(overall, key=lambda label: order((label,)))
    )
    team_rows = tuple(group("team", k, teams[k], team=k[1]) for k in sorted(teams, key=order))
    officer_rows = tuple(
        group("officer", k, officers[k], team=k[1], officer=k[2])
        for k in sorted(officers, key=order)
    )
    type_rows = tuple(
        group("ppn_type", k, types[k], ppn_type=k[1]) for k in sorted(types, key=order)
    )
    rule_groups: list[tuple[str, str, _Counts]] = [
        (label, scope, overall[label]) for label in overall
    ]
    if wanted is None:
        rule_groups += [(label, name, c) for (label, name), c in teams.items()]
    rule_rows = tuple(
        sorted(
            (
                RuleRow(label, starts[label], name, rule, c.notes, n, c.notes_with[rule])
                for label, name, c in rule_groups
                for rule, n in c.rules.items()
            ),
            key=lambda r: (*order((r.period, r.team != scope, r.team)), r.rule_id),
        )
    )
    training_rows: list[TrainingRow] = []
    if since_training is not None:
        names = sorted({name for name, _ in training}, key=lambda n: (n != scope, n))
        for name in names:
            before = training.get((name, False), _Counts())
            after = training.get((name, True), _Counts())
            for rule in sorted(set(before.rules) | set(after.rules)):
                training_rows.append(
                    TrainingRow(
                        team=name,
                        rule_id=rule,
                        training_date=since_training,
                        before_notes=before.notes,
                        before_findings=before.rules[rule],
                        after_notes=after.notes,
                        after_findings=after.rules[rule],
                    )
                )
    return Trends(
        period=period,
        scope=scope,
        team_filter=team.strip() if team is not None else None,
        since_training=since_training,
        overall=overall_rows,
        teams=team_rows,
        officers=officer_rows,
        ppn_types=type_rows,
        rules=rule_rows,
        training=tuple(training_rows),
        notes=totals.notes,
        undated=sum(c.notes for label, c in overall.items() if starts[label] is None),
        unreadable=totals.unreadable,
        rule_totals=totals.top(len(totals.rules)),
    )
