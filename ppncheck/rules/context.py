"""What every record rule may read: the normalised record, derived facts and text analyses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from ppncheck.catalogue import Catalogue, catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding
from ppncheck.normalise.dates import age_on, parse_date, parse_datetime
from ppncheck.text.analysis_types import TextAnalysis


class FindingMaker(Protocol):
    """Makes a catalogue finding under the run's config (None when the rule is not selected)."""

    def __call__(self, rule_id: str, **kwargs: Any) -> Finding | None: ...


CHILD_ROLES = frozenset({"child_present", "child_in_household"})


@dataclass
class PersonFacts:
    index: int
    data: dict[str, Any]
    is_child: bool

    @property
    def path(self) -> str:
        return f"persons[{self.index}]"

    @property
    def person_id(self) -> str:
        pid = self.data.get("person_id")
        return pid if isinstance(pid, str) and pid.strip() else self.path

    @property
    def roles(self) -> set[str]:
        roles = self.data.get("roles")
        return {r for r in roles if isinstance(r, str)} if isinstance(roles, list) else set()


@dataclass
class RecordContext:
    record: dict[str, Any]
    config: Config
    persons: list[PersonFacts]
    incident: datetime | None
    submitted: datetime | None
    texts: dict[str, TextAnalysis] = field(default_factory=dict)

    @property
    def cat(self) -> Catalogue:
        return catalogue()

    def finding(self, rule_id: str, **kwargs: Any) -> Finding | None:
        return self.cat.finding(rule_id, self.config, **kwargs)

    @property
    def children(self) -> list[PersonFacts]:
        return [p for p in self.persons if p.is_child]


def is_child(person: dict[str, Any], incident_day: date | None) -> bool:
    """A child by role, by date of birth at the incident, or by age in years (record-format.md)."""
    roles = person.get("roles")
    if isinstance(roles, list) and CHILD_ROLES.intersection(r for r in roles if isinstance(r, str)):
        return True
    dob = parse_date(person.get("dob"))
    if dob is not None:
        when = incident_day or date.today()
        if age_on(dob, when) < 18:
            return True
    age = person.get("age_years")
    return isinstance(age, int) and not isinstance(age, bool) and age < 18


def build_context(record: dict[str, Any], config: Config) -> RecordContext:
    incident = parse_datetime(record.get("incident_start"))
    submitted = parse_datetime(record.get("submitted_at"))
    raw_persons = record.get("persons")
    persons: list[PersonFacts] = []
    if isinstance(raw_persons, list):
        day = incident.date() if incident else None
        for i, person in enumerate(raw_persons):
            if isinstance(person, dict):
                persons.append(PersonFacts(i, person, is_child(person, day)))
    return RecordContext(record, config, persons, incident, submitted)
