"""What every record rule may read: the normalised record, derived facts and text analyses.

A structured record and a free-text note reach the rules in the same shape: a record
(``build_context``), or the partial record read from a note (``rules/note_record.py``), whose
findings are placed back on the note's own words (``NoteSource.place``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from ppncheck.catalogue import Catalogue, catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding
from ppncheck.normalise.dates import age_on, parse_date, parse_datetime
from ppncheck.shape import NOTE_FIELD, format_path, parse_path
from ppncheck.text.analysis_types import ChildMention, TextAnalysis


class FindingMaker(Protocol):
    """Makes a catalogue finding under the run's config (None when the rule is not selected)."""

    def __call__(self, rule_id: str, **kwargs: Any) -> Finding | None: ...


CHILD_ROLES = frozenset({"child_present", "child_in_household"})
ADULT_AGE = 18

Span = tuple[int, int]


@dataclass
class PersonFacts:
    index: int
    data: dict[str, Any]
    is_child: bool
    # the age the record gives (by date of birth at the incident, else in years), if any
    age: int | None = None
    # known to be an adult (an age of 18 or more); no age says nothing either way
    is_adult: bool = False
    # identifiable as the form asks: a record's person always; a note's person when the note
    # gives a date of birth or an age with the name (a name alone does not record a child)
    recorded: bool = True
    # where a note wrote this person's values: "name", "dob", "age_years", "sde_code" ...
    spans: dict[str, Span] = field(default_factory=dict)

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

    @cached_property
    def forename(self) -> str | None:
        name = self.data.get("forename")
        return name.strip() if isinstance(name, str) and name.strip() else None


class EthnicityEntry(NamedTuple):
    """A self-defined ethnicity the record holds or should hold.

    In a record, one per person, at ``persons[i].sde_code``.  In a free-text note, one per
    value the note writes, at its span; a note that writes none has one entry for the note
    itself, with no code: ETH001 judges a note as a whole (record-format.md).
    """

    code: Any  # as recorded; None (or blank) when there is none
    who: str
    child: bool
    field: str  # where the code is, or belongs
    reason_field: str  # where the reason for NS is, or belongs
    has_reason: bool = False
    start: int | None = None
    end: int | None = None
    variant: str | None = None  # the catalogue's message variant for a whole note


@dataclass
class NoteSource:
    """Where the partial record read from a free-text note came from: the note's text and, for
    each record path, the note span its value was read from.

    A finding on a path becomes a finding on the note (``field="note"``): a span inside a text
    value moves by the value's offset; a finding on a whole value points at its span, or at the
    nearest enclosing value's (a person's name for a missing value of that person); a finding
    on nothing the note wrote names the whole note.
    """

    spans: dict[str, Span] = field(default_factory=dict)
    # record paths whose value is a stretch of the note's text, and where it starts: a span
    # inside the value moves by that much
    offsets: dict[str, int] = field(default_factory=dict)
    # the note records or mentions a child of its own (then AWARE and RSK001 apply)
    about_a_child: bool = False

    def place(self, path: str | None, start: int | None, end: int | None) -> tuple[int, int] | None:
        """The note span of a finding on ``path`` (``start``/``end`` inside its value), or None
        for the whole note."""
        if path is None or path == NOTE_FIELD:
            return (start, end) if start is not None and end is not None else None
        if path in self.offsets and start is not None and end is not None:
            base = self.offsets[path]
            return base + start, base + end
        parts = parse_path(path) or ()
        while parts:  # the value, or the nearest one around it
            span = self.spans.get(format_path(parts))
            if span is not None:
                return span
            parts = parts[:-1]
        return None


@dataclass
class RecordContext:
    record: dict[str, Any]
    config: Config
    persons: list[PersonFacts]
    incident: datetime | None
    submitted: datetime | None
    texts: dict[str, TextAnalysis] = field(default_factory=dict)
    ethnicity: list[EthnicityEntry] = field(default_factory=list)
    # a record read from a free-text note: where its values are in the note
    note: NoteSource | None = None
    # the rules that judge this record (None: every rule); a note judges fewer
    judged: frozenset[str] | None = None
    # the narrative's mentions of children of this PPN, once read (rules/children.mentioned)
    child_mentions: list[ChildMention] | None = None

    @property
    def cat(self) -> Catalogue:
        return catalogue()

    def finding(self, rule_id: str, **kwargs: Any) -> Finding | None:
        if self.judged is not None and rule_id not in self.judged:
            return None
        if self.note is not None:
            span = self.note.place(kwargs.get("field"), kwargs.get("start"), kwargs.get("end"))
            kwargs["field"] = NOTE_FIELD
            kwargs["start"], kwargs["end"] = span if span is not None else (None, None)
        return self.cat.finding(rule_id, self.config, **kwargs)

    @property
    def children(self) -> list[PersonFacts]:
        return [p for p in self.persons if p.is_child]


def person_facts(index: int, person: dict[str, Any], incident_day: date | None) -> PersonFacts:
    """A person of a record: a child by role, by date of birth at the incident, or by age in
    years (record-format.md); the age by date of birth at the incident, else in years."""
    dob = parse_date(person.get("dob"))
    years = person.get("age_years")
    years = years if isinstance(years, int) and not isinstance(years, bool) else None
    roles = person.get("roles")
    roles = [r for r in roles if isinstance(r, str)] if isinstance(roles, list) else []
    child = (
        not CHILD_ROLES.isdisjoint(roles)
        or (dob is not None and age_on(dob, incident_day or date.today()) < ADULT_AGE)
        or (years is not None and years < ADULT_AGE)
    )
    age = age_on(dob, incident_day) if dob is not None and incident_day is not None else years
    adult = not child and age is not None and age >= ADULT_AGE
    return PersonFacts(index, person, child, age, adult)


def _ethnicity(person: PersonFacts) -> EthnicityEntry:
    reason = person.data.get("sde_not_stated_reason")
    return EthnicityEntry(
        code=person.data.get("sde_code"),
        who=f"person {person.person_id}",
        child=person.is_child,
        field=f"{person.path}.sde_code",
        reason_field=f"{person.path}.sde_not_stated_reason",
        has_reason=isinstance(reason, str) and bool(reason.strip()),
    )


def build_context(record: dict[str, Any], config: Config) -> RecordContext:
    incident = parse_datetime(record.get("incident_start"))
    submitted = parse_datetime(record.get("submitted_at"))
    raw_persons = record.get("persons")
    persons: list[PersonFacts] = []
    if isinstance(raw_persons, list):
        day = incident.date() if incident else None
        for i, person in enumerate(raw_persons):
            if isinstance(person, dict):
                persons.append(person_facts(i, person, day))
    ctx = RecordContext(record, config, persons, incident, submitted)
    ctx.ethnicity = [_ethnicity(p) for p in persons]
    return ctx
