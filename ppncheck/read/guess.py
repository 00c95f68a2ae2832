"""``init-mapping``: a starting column mapping guessed from an export's header alone.

The guess is deliberately plain (known column names, and ``<Prefix> <n> <Field>`` repeats for
people); it writes every column it could not place as a comment, so the person finishing the
mapping sees the whole header in one file.  The text it writes always loads as a valid mapping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# record path -> column names seen in forces' exports (compared with _name_key)
_SCALARS: dict[str, tuple[str, ...]] = {
    "ppn_id": ("ppn ref", "ppn reference", "ppn id", "ppn number", "ppn no", "reference"),
    "incident_reference": (
        "occurrence no",
        "occurrence number",
        "occurrence ref",
        "incident ref",
        "incident reference",
        "log number",
        "log no",
        "log ref",
        "crime ref",
        "crime number",
    ),
    "incident_start": (
        "date time of incident",
        "date of incident",
        "incident date",
        "incident date time",
        "incident start",
        "incident datetime",
    ),
    "submitted_at": (
        "date submitted",
        "submitted",
        "submitted at",
        "submission date",
        "date time submitted",
        "submitted date",
    ),
    "officer.collar_number": (
        "officer collar no",
        "collar no",
        "collar number",
        "officer collar number",
        "officer number",
        "warrant no",
        "officer id",
    ),
    "officer.name": ("officer name", "reporting officer", "officer"),
    "officer.team": ("team", "officer team", "station", "department", "unit"),
    "ppn_types": ("ppn type s", "ppn type", "ppn types", "type", "concern type"),
    "officer_risk_grade": (
        "risk grade",
        "risk",
        "officer risk grade",
        "risk level",
        "dash risk",
        "risk rating",
    ),
    "circumstances": ("circumstances", "narrative", "details", "incident details", "summary"),
    "rationale": ("rationale", "risk rationale", "rationale for grading", "grading rationale"),
    "actions_taken": ("action taken", "actions taken", "actions", "police action"),
    "consent.status": ("consent", "consent status", "consent given"),
    "consent.override_reason": ("consent override reason", "consent override"),
    "referrals": ("referrals", "referred to", "referral", "onward referrals"),
    "supervisor_review.collar_number": ("supervisor collar no", "supervisor collar number"),
    "supervisor_review.reviewed_at": ("reviewed at", "date reviewed", "supervisor review date"),
    "supervisor_review.outcome": ("review outcome", "supervisor outcome"),
    "supervisor_review.comments": ("supervisor comments", "review comments"),
}

_PERSON: dict[str, tuple[str, ...]] = {
    "forename": ("forename", "first name", "firstname", "given name"),
    "surname": ("surname", "last name", "lastname", "family name"),
    "dob": ("dob", "date of birth", "d o b", "birth date"),
    "age_years": ("age", "age years"),
    "sex": ("sex", "gender"),
    "sde_code": ("ethnicity", "sde", "self defined ethnicity", "ethnicity code", "sde code"),
    "sde_not_stated_reason": (
        "ethnicity not stated reason",
        "sde not stated reason",
        "ethnicity ns reason",
    ),
    "ethnicity_stated_by": ("ethnicity stated by",),
    "ode_code": ("ode", "officer defined ethnicity", "ic code"),
    "roles": ("role", "roles"),
    "present_at_incident": ("present", "present at incident"),
    "education_setting": ("school", "education setting", "school nursery"),
}

_VOICE: dict[str, tuple[str, ...]] = {
    "seen": ("seen", "child seen"),
    "spoken_to": ("spoken to", "spoken with"),
    "reason_not_spoken_to": ("reason not spoken to", "not spoken to reason"),
    "aware.appearance": ("appearance",),
    "aware.words": ("words", "voice", "voice of child"),
    "aware.activity": ("activity",),
    "aware.relationships": ("relationships", "relationships and dynamics", "dynamics"),
    "aware.environment": ("environment",),
}

_ROLE_BY_PREFIX = {
    "child": "child_in_household",
    "victim": "victim",
    "suspect": "suspect",
    "perpetrator": "suspect",
    "subject": "subject",
    "witness": "witness",
    "parent": "parent_carer",
    "carer": "parent_carer",
}

_STARTER_VALUES: dict[str, dict[str, str]] = {
    "officer_risk_grade": {
        "Std": "standard",
        "Med": "medium",
        "H": "high",
        "M": "medium",
        "L": "low",
        "S": "standard",
    },
    "ppn_types": {
        "DA": "domestic_abuse",
        "Domestic": "domestic_abuse",
        "Misper": "missing_person",
        "Missing": "missing_person",
        "Child": "child_concern",
        "Child Protection": "child_concern",
        "Adult Concern": "adult_at_risk",
        "Vulnerable Adult": "adult_at_risk",
        "Stalking": "stalking_harassment",
        "Harassment": "stalking_harassment",
        "Online": "online_abuse",
        "FM/HBA": "forced_marriage_hba",
    },
    "sex": {"M": "male", "F": "female", "U": "unknown", "Not Known": "unknown"},
    "roles": {
        "Parent": "parent_carer",
        "Carer": "parent_carer",
        "Perpetrator": "suspect",
        "Informant": "reporting_person",
        "Caller": "reporting_person",
    },
    "referrals": {
        "CSC": "childrens_social_care",
        "Children's Social Care": "childrens_social_care",
        "ASC": "adult_social_care",
        "Encompass": "school_encompass",
    },
}

_REPEAT = re.compile(
    r"^(?P<prefix>[^\d]*?[A-Za-z][^\d]*?)(?P<n>\d+)(?P<sep>[\s_:\-.]*)(?P<field>\S.*)$"
)


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold()).split())


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_name_key(alias): path for path, aliases in table.items() for alias in aliases}


@dataclass
class _Group:
    prefix: str
    sep: str
    numbers: set[int] = field(default_factory=set)
    parts: dict[str, str] = field(default_factory=dict)  # {field} part -> path, first seen
    unknown: list[str] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)

    @property
    def pattern(self) -> str:
        return f"{self.prefix}{{n}}{self.sep}{{field}}"


def init_mapping(header: Iterable[str]) -> str:
    """TOML text of a starting mapping for an export with this header."""
    names = [h.strip() for h in header if h and h.strip()]
    scalar_by_key = _lookup(_SCALARS)
    person_by_key = _lookup(_PERSON)
    voice_by_key = _lookup(_VOICE)

    groups: dict[tuple[str, str], _Group] = {}
    for name in names:
        m = _REPEAT.match(name)
        if not m:
            continue
        key = (m["prefix"], m["sep"])
        g = groups.setdefault(key, _Group(m["prefix"], m["sep"]))
        g.numbers.add(int(m["n"]))
        g.columns.add(name)
        part = m["field"]
        pkey = _name_key(part)
        if part in g.parts or part in g.unknown:
            continue
        path = person_by_key.get(pkey) or voice_by_key.get(pkey)
        if path and path not in g.parts.values():
            g.parts[part] = path
        else:
            g.unknown.append(part)
    # a repeat is a group when it has at least two recognised person fields
    real = [g for g in groups.values() if sum(p in _PERSON for p in g.parts.values()) >= 2]
    grouped = set().union(*(g.columns for g in real)) if real else set()

    fields: dict[str, str] = {}
    unmapped: list[str] = []
    for name in names:
        if name in grouped:
            continue
        path = scalar_by_key.get(_name_key(name))
        if path and path not in fields:
            fields[path] = name
        else:
            unmapped.append(name)
    return _render(fields, real, unmapped)


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML accepts)."""
    return json.dumps(text, ensure_ascii=False)


def _render(fields: dict[str, str], groups: list[_Group], unmapped: list[str]) -> str:
    out = [
        "# ppncheck column mapping: the export's columns -> PPN record v1 fields.",
        "# Written by `ppncheck init-mapping` from the header only: check every line.",
        '# Values that match a record value loosely ("Domestic Abuse" -> domestic_abuse,',
        '# "Yes" -> true) need no value map; add the export\'s own labels to [values.*].',
        "version = 1",
        "",
        "[options]",
        'list_separator = ";"',
        "# tried in order after ISO 8601; day first, as UK systems write dates",
        'date_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"]',
        "",
        "[fields]",
    ]
    used_values: set[str] = set()
    for path, column in fields.items():
        vname = _value_map_name(path)
        if vname:
            used_values.add(vname)
            out.append(f"{_q(path)} = {{ column = {_q(column)}, values = {_q(vname)} }}")
        else:
            out.append(f"{_q(path)} = {_q(column)}")
    person_id_bases: set[str] = set()
    for g in groups:
        out += ["", "[[groups]]", f"pattern = {_q(g.pattern)}", f"count = {max(g.numbers)}"]
        base = re.sub(r"[^a-z0-9]+", "_", g.prefix.casefold()).strip("_") or "person"
        while base in person_id_bases:
            base += "_"
        person_id_bases.add(base)
        out.append(f"person_id = {_q(base + '{n}')}")
        has_roles = "roles" in g.parts.values()
        role = _ROLE_BY_PREFIX.get(base.split("_")[0], "other")
        comment = "  # if the Role cell is empty" if has_roles else "  # every person of the group"
        out.append(f"roles = [{_q(role)}]{comment}")
        out += ["", "[groups.person]"]
        for part, path in g.parts.items():
            if path in _PERSON:
                out.append(_group_line(path, part, used_values))
        voice = [(part, path) for part, path in g.parts.items() if path in _VOICE]
        if voice:
            out += ["", "[groups.voice_of_child]"]
            out += [_group_line(path, part, used_values) for part, path in voice]
        for part in g.unknown:
            out.append(f"# unmapped: {_q(g.pattern.replace('{field}', part))}")
    for vname in sorted(used_values):
        out += ["", f"[values.{vname}]"]
        out += [f"{_q(k)} = {_q(v)}" for k, v in _STARTER_VALUES[vname].items()]
    if unmapped:
        out += ["", "# Columns not mapped (add them under [fields] if they hold a record field):"]
        out += [f"#   {_q(name)}" for name in unmapped]
    return "\n".join(out) + "\n"


def _value_map_name(path: str) -> str | None:
    leaf = path.rsplit(".", 1)[-1]
    return leaf if leaf in _STARTER_VALUES else None


def _group_line(path: str, part: str, used_values: set[str]) -> str:
    vname = _value_map_name(path)
    if vname:
        used_values.add(vname)
        return f"{_q(path)} = {{ column = {_q(part)}, values = {_q(vname)} }}"
    return f"{_q(path)} = {_q(part)}"
