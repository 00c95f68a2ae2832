"""Field paths and their plain-English names, for messages an officer can act on."""

from __future__ import annotations

import re
from collections.abc import Iterable

_LABELS = {
    "schema_version": "schema version",
    "ppn_id": "PPN id",
    "incident_reference": "incident reference (log or occurrence number)",
    "ppn_types": "PPN type",
    "incident_start": "incident date and time",
    "submitted_at": "submission date and time",
    "officer": "officer details",
    "officer.collar_number": "officer's collar number",
    "officer_risk_grade": "risk grade",
    "persons": "list of persons",
    "voice_of_child": "voice of the child (AWARE) section",
    "circumstances": "circumstances",
    "rationale": "rationale for the risk grade",
    "actions_taken": "actions taken",
    "consent.status": "consent status",
    "referrals": "referrals",
    "person_id": "person id",
    "roles": "role",
    "forename": "forename",
    "surname": "surname",
    "dob": "date of birth",
    "age_years": "age",
    "sex": "sex",
    "sde_code": "self-defined ethnicity",
    "ethnicity_stated_by": "who stated the ethnicity",
    "ode_code": "officer-defined ethnicity",
    "present_at_incident": "present at incident",
    "child_person_id": "child's person id",
    "seen": "whether the child was seen",
    "spoken_to": "whether the child was spoken to",
    "reason_not_spoken_to": "reason the child was not spoken to",
    "aware": "AWARE entry",
    "supervisor_review.reviewed_at": "supervisor review date",
}

_INDEX = re.compile(r"\[\d+\]")
# labels that take a plural verb ("the actions taken are missing"); a label with an owner
# ("referrals of ...") agrees with its head, the words before " of "
_PLURAL_LABELS = frozenset(
    {"circumstances", "actions taken", "referrals", "officer details", "comments"}
)


def format_path(parts: Iterable[str | int]) -> str:
    """``['persons', 1, 'dob']`` -> ``persons[1].dob``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def label_for(path: str) -> str:
    """A readable name for a path: ``persons[1].dob`` -> ``date of birth of persons[1]``."""
    bare = _INDEX.sub("", path)
    if bare in _LABELS:
        name = _LABELS[bare]
    else:
        last = bare.rsplit(".", 1)[-1]
        name = _LABELS.get(last, last.replace("_", " "))
    owner = path.rsplit(".", 1)[0] if "." in path else ""
    if owner and _INDEX.search(owner):
        return f"{name} of {owner}"
    return name


def is_plural_label(label: str) -> bool:
    """Whether a label from ``label_for`` (or a rule's own label) takes a plural verb."""
    head = label.split(" of ", 1)[0].split(" (", 1)[0].strip().lower()
    return head in _PLURAL_LABELS
