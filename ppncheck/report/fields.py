"""Field paths in plain words, for officers who never see the record's JSON."""

from __future__ import annotations

import re

_TOP = {
    "ppn_id": "the PPN reference",
    "incident_reference": "the incident (log) reference",
    "ppn_types": "the PPN type",
    "incident_start": "the incident date and time",
    "submitted_at": "the submission date and time",
    "officer": "the officer details",
    "officer_risk_grade": "the risk grade",
    "persons": "the people recorded",
    "voice_of_child": "the voice of the child (AWARE)",
    "circumstances": "the circumstances",
    "rationale": "the rationale for the risk grade",
    "actions_taken": "the actions taken",
    "consent": "consent",
    "referrals": "the referrals",
    "supervisor_review": "the supervisor review",
    "note": "the note",
}
_PERSON = {
    "sde_code": "self-defined ethnicity",
    "sde_not_stated_reason": "reason ethnicity was not stated",
    "ode_code": "officer-defined ethnicity",
    "dob": "date of birth",
    "age_years": "age",
    "forename": "forename",
    "surname": "surname",
    "sex": "sex",
    "roles": "role",
}
_AWARE = {
    "appearance": "Appearance",
    "words": "Words (what the child said)",
    "activity": "Activity",
    "relationships": "Relationships",
    "environment": "Environment",
}
_PART = re.compile(r"^(\w+)(?:\[(\d+)\])?$")


def field_in_words(path: str | None) -> str:
    """``persons[1].sde_code`` -> "person 2: self-defined ethnicity"; unknown paths unchanged."""
    if not path:
        return "the note as a whole"
    parts = path.split(".")
    head = _PART.match(parts[0])
    if head is None:
        return path
    name, index = head.group(1), head.group(2)
    rest = parts[1:]
    if name == "persons" and index is not None:
        label = f"person {int(index) + 1}"
        return f"{label}: {_PERSON.get(rest[0], rest[0])}" if rest else label
    if name == "voice_of_child" and index is not None:
        label = f"voice of child entry {int(index) + 1}"
        if len(rest) >= 2 and rest[0] == "aware":
            return f"{label}: AWARE {_AWARE.get(rest[1], rest[1])}"
        return f"{label}: {rest[0].replace('_', ' ')}" if rest else label
    label = _TOP.get(name, name.replace("_", " "))
    if rest:
        return f"{label}: {' '.join(r.replace('_', ' ') for r in rest)}"
    return label
