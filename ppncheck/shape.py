"""The record's shape, written once: its free-text fields, its field paths and their names.

A field path names one value of a record v1 (record-format.md): ``persons[1].sde_code``,
``voice_of_child[0].aware.words``; every finding on a free-text note names ``note``.  The
readers, the rules, the schema check and the reports all list the record's text fields, write
and read its paths and name its fields through this module, so a field added to the record (and
to its JSON Schema) is added here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ppncheck.text.analysis_types import AWARE_ELEMENTS

# --------------------------------------------------------------------------------------------
# Text fields

NOTE_FIELD = "note"  # the field every finding on a free-text note names
NARRATIVE_FIELDS = ("circumstances", "rationale", "actions_taken")
# every field a person writes in their own words, by bare path (list indexes left out), in
# record order: what the text checks read
FREE_TEXT_FIELDS: tuple[str, ...] = (
    *NARRATIVE_FIELDS,
    *(f"voice_of_child.aware.{element}" for element in AWARE_ELEMENTS),
    "voice_of_child.reason_not_spoken_to",
    "supervisor_review.comments",
)
_FREE_TEXT = frozenset(FREE_TEXT_FIELDS)


def _plan() -> dict[str, tuple[tuple[str, ...], ...]]:
    """FREE_TEXT_FIELDS by top-level field: the rest of each path under it."""
    plan: dict[str, list[tuple[str, ...]]] = {}
    for bare in FREE_TEXT_FIELDS:
        head, *rest = bare.split(".")
        plan.setdefault(head, []).append(tuple(rest))
    return {head: tuple(tails) for head, tails in plan.items()}


_PLAN = _plan()


def text_fields(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, text) of every free-text field of ``record`` that holds some text, in record
    order (a voice-of-child entry's fields together)."""
    for head, tails in _PLAN.items():
        top = record.get(head)
        if isinstance(top, list):  # voice_of_child: each entry
            items = [(f"{head}[{i}]", item) for i, item in enumerate(top)]
        else:
            items = [(head, top)]
        for base, item in items:
            for tail in tails:
                value = item
                for name in tail:
                    value = value.get(name) if isinstance(value, dict) else None
                if isinstance(value, str) and value.strip():
                    yield (".".join((base, *tail)) if tail else base), value


def is_free_text(path: str) -> bool:
    """Whether ``path`` is one of the record's free-text fields (``FREE_TEXT_FIELDS``)."""
    return bare_path(path) in _FREE_TEXT


def all_text_fields(payload: Any) -> list[tuple[str, str]]:
    """Every string in a record, with its path; a free-text note is its one ``note`` field.

    Walking the record rather than naming fields keeps a check of wording (TPL002) working for
    mapped exports and future fields.
    """
    if isinstance(payload, str):
        return [(NOTE_FIELD, payload)]
    found: list[tuple[str, str]] = []
    _walk(payload, "", found)
    return found


def _walk(value: Any, path: str, found: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(key, str):
                sub_path = f"{path}.{key}" if path else key
                if isinstance(sub, str):
                    found.append((sub_path, sub))
                else:
                    _walk(sub, sub_path, found)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            if isinstance(sub, str):
                found.append((f"{path}[{i}]", sub))
            else:
                _walk(sub, f"{path}[{i}]", found)


# --------------------------------------------------------------------------------------------
# Paths

Path = tuple[str | int, ...]

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|(\.)")
_INDEX = re.compile(r"\[\d+\]")


def format_path(parts: Iterable[str | int]) -> str:
    """``['persons', 1, 'dob']`` -> ``persons[1].dob``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_path(text: str) -> Path | None:
    """``voice_of_child[0].aware.words`` -> ``('voice_of_child', 0, 'aware', 'words')``.

    Returns None when the text is not a path (a force's column name such as ``PPN Ref``), so a
    caller can tell a path header from an ordinary one without exceptions.
    """
    parts: list[str | int] = []
    pos = 0
    expect_name = True
    text = text.strip()
    if not text:
        return None
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        name, index, dot = m.groups()
        if name is not None:
            if not expect_name:
                return None
            parts.append(name)
            expect_name = False
        elif index is not None:
            if expect_name:
                return None
            parts.append(int(index))
        else:
            if expect_name or dot is None:
                return None
            expect_name = True
        pos = m.end()
    if expect_name:
        return None
    return tuple(parts)


def bare_path(path: str) -> str:
    """The path with its list indexes left out: ``persons[1].dob`` -> ``persons.dob``."""
    return _INDEX.sub("", path)


# --------------------------------------------------------------------------------------------
# What each field is called, in the form's words, by bare path: messages say "The date of birth
# of persons[1] is missing", reports "person 2: date of birth".

_NAMES = {
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
    "consent": "consent",
    "consent.status": "consent status",
    "referrals": "referrals",
    "supervisor_review": "supervisor review",
    "supervisor_review.reviewed_at": "supervisor review date",
    NOTE_FIELD: "note",
    "persons.person_id": "person id",
    "persons.roles": "role",
    "persons.forename": "forename",
    "persons.surname": "surname",
    "persons.dob": "date of birth",
    "persons.age_years": "age",
    "persons.sex": "sex",
    "persons.sde_code": "self-defined ethnicity",
    "persons.sde_not_stated_reason": "reason ethnicity was not stated",
    "persons.ethnicity_stated_by": "who stated the ethnicity",
    "persons.ode_code": "officer-defined ethnicity",
    "persons.present_at_incident": "present at incident",
    "voice_of_child.child_person_id": "child's person id",
    "voice_of_child.seen": "whether the child was seen",
    "voice_of_child.spoken_to": "whether the child was spoken to",
    "voice_of_child.reason_not_spoken_to": "reason the child was not spoken to",
    "voice_of_child.aware": "AWARE entry",
    "voice_of_child.aware.appearance": "AWARE Appearance",
    "voice_of_child.aware.words": "AWARE Words (what the child said)",
    "voice_of_child.aware.activity": "AWARE Activity",
    "voice_of_child.aware.relationships": "AWARE Relationships",
    "voice_of_child.aware.environment": "AWARE Environment",
}
# labels that take a plural verb ("the actions taken are missing"); a label with an owner
# ("referrals of ...") agrees with its head, the words before " of "
_PLURAL_LABELS = frozenset(
    {"circumstances", "actions taken", "referrals", "officer details", "comments"}
)


def _name(bare: str) -> str:
    return _NAMES.get(bare) or bare.rsplit(".", 1)[-1].replace("_", " ")


def label_for(path: str) -> str:
    """A field's name for a message: ``persons[1].dob`` -> ``date of birth of persons[1]``."""
    name = _name(bare_path(path))
    owner, dot, _ = path.rpartition(".")
    if dot and _INDEX.search(owner):
        return f"{name} of {owner[: owner.rfind(']') + 1]}"
    return name


def is_plural_label(label: str) -> bool:
    """Whether a label from ``label_for`` (or a rule's own label) takes a plural verb."""
    head = label.split(" of ", 1)[0].split(" (", 1)[0].strip().lower()
    return head in _PLURAL_LABELS


def field_in_words(path: str | None) -> str:
    """A field's name for an officer who never sees the record's JSON:
    ``persons[1].sde_code`` -> "person 2: self-defined ethnicity"."""
    if not path:
        return "the note as a whole"
    parts = parse_path(path)
    if not parts or not isinstance(parts[0], str):
        return path
    head, rest = parts[0], parts[1:]
    entry = {"persons": "person", "voice_of_child": "voice of child entry"}.get(head)
    if entry is not None and rest and isinstance(rest[0], int):
        label = f"{entry} {rest[0] + 1}"
        return f"{label}: {_name(bare_path(path))}" if rest[1:] else label
    bare = bare_path(path)
    if bare in _NAMES:
        return f"the {_NAMES[bare]}"
    if rest:
        inner = " ".join(str(r).replace("_", " ") for r in rest if isinstance(r, str))
        return f"{field_in_words(head)}: {inner}"
    return head.replace("_", " ")
