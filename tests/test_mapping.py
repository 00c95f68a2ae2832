"""Column mappings: validation on load, repeated groups, conversions, init-mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppncheck.read import MappingError, init_mapping, load_mapping, parse_mapping
from ppncheck.resources import DataFileError

FORCE = """
version = 1

[options]
date_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y"]

[fields]
ppn_id = "PPN Ref"
incident_start = "Date/Time Of Incident"
ppn_types = { column = "PPN Type(s)", values = "types", separator = "," }
officer_risk_grade = { column = "Risk Grade", values = { "Std" = "standard" } }

[values.types]
"DA" = "domestic_abuse"

[[groups]]
pattern = "Child {n} {field}"
person_id = "child{n}"
roles = ["child_in_household"]

[groups.person]
forename = "Forename"
dob = "DOB"
sex = { column = "Sex", values = { "F" = "female", "M" = "male" } }
sde_code = "Ethnicity"

[groups.voice_of_child]
seen = "Seen"
spoken_to = "Spoken To"
reason_not_spoken_to = "Reason Not Spoken To"
"aware.words" = "Words"
"""

HEADER = [
    "PPN Ref",
    "Date/Time Of Incident",
    "PPN Type(s)",
    "Risk Grade",
    "Child 1 Forename",
    "Child 1 DOB",
    "Child 1 Sex",
    "Child 1 Ethnicity",
    "Child 1 Seen",
    "Child 1 Spoken To",
    "Child 1 Reason Not Spoken To",
    "Child 1 Words",
    "Child 2 Forename",
    "Child 2 DOB",
    "Child 2 Sex",
    "Child 2 Ethnicity",
    "Child 2 Seen",
    "Child 2 Spoken To",
    "Child 2 Reason Not Spoken To",
    "Child 2 Words",
    "Child 3 Forename",
    "Child 3 DOB",
    "Child 3 Sex",
    "Child 3 Ethnicity",
    "Child 3 Seen",
    "Child 3 Spoken To",
    "Child 3 Reason Not Spoken To",
    "Child 3 Words",
]


def row(**cells: str) -> dict[str, str]:
    base = dict.fromkeys(HEADER, "")
    base.update({k.replace("_", " "): v for k, v in cells.items()})
    return base


def test_repeated_groups_make_one_person_and_voice_entry_per_filled_child() -> None:
    bound = parse_mapping(FORCE).bind(HEADER)
    record = bound.apply(
        {
            **row(),
            "PPN Ref": "P1",
            "Date/Time Of Incident": "20/11/2026 14:05",
            "PPN Type(s)": "DA, child concern",
            "Risk Grade": "Std",
            "Child 1 Forename": "Maya",
            "Child 1 DOB": "02/05/2016",
            "Child 1 Sex": "F",
            "Child 1 Ethnicity": "White - British",
            "Child 1 Seen": "Y",
            "Child 1 Spoken To": "Y",
            "Child 1 Words": 'Maya said "I hid"',
            "Child 2 Forename": "Kai",
            "Child 2 DOB": "31/02/2024",
            "Child 2 Sex": "M",
            "Child 2 Ethnicity": "w2",
            "Child 2 Seen": "Yes",
            "Child 2 Spoken To": "No",
            "Child 2 Reason Not Spoken To": "pre-verbal",
        }
    )
    assert record == {
        "ppn_id": "P1",
        "incident_start": "2026-11-20T14:05:00",
        "ppn_types": ["domestic_abuse", "child_concern"],
        "officer_risk_grade": "standard",
        "persons": [
            {
                "person_id": "child1",
                "forename": "Maya",
                "dob": "2016-05-02",
                "sex": "female",
                "sde_code": "White - British",
                "roles": ["child_in_household"],
            },
            # an impossible date is passed through for the validator to report (PPN002)
            {
                "person_id": "child2",
                "forename": "Kai",
                "dob": "31/02/2024",
                "sex": "male",
                "sde_code": "W2",
                "roles": ["child_in_household"],
            },
        ],
        "voice_of_child": [
            {
                "child_person_id": "child1",
                "seen": True,
                "spoken_to": True,
                "aware": {"words": 'Maya said "I hid"'},
            },
            {
                "child_person_id": "child2",
                "seen": True,
                "spoken_to": False,
                "reason_not_spoken_to": "pre-verbal",
            },
        ],
    }


def test_a_child_without_voice_cells_has_no_voice_entry() -> None:
    bound = parse_mapping(FORCE).bind(HEADER)
    record = bound.apply({**row(), "PPN Ref": "P2", "Child 3 Forename": "Ava"})
    assert record["persons"] == [
        {"person_id": "child3", "forename": "Ava", "roles": ["child_in_household"]}
    ]
    assert "voice_of_child" not in record


def test_header_names_match_loosely_and_count_comes_from_the_header() -> None:
    header = [
        "ppn ref",
        "DATE/TIME  OF INCIDENT",
        "PPN Type(s)",
        "Risk Grade",
        "child 1 forename",
        "Child 1 DOB",
        "Child 1 Sex",
        "Child 1 Ethnicity",
        "Child 1 Seen",
        "Child 1 Spoken To",
        "Child 1 Reason Not Spoken To",
        "Child 1 Words",
    ]
    bound = parse_mapping(FORCE).bind(header)
    record = bound.apply({**dict.fromkeys(header, ""), "ppn ref": "P3", "child 1 forename": "Leo"})
    assert record == {
        "ppn_id": "P3",
        "persons": [{"person_id": "child1", "forename": "Leo", "roles": ["child_in_household"]}],
    }


def test_every_problem_in_a_mapping_file_is_reported_at_once(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(
        'version = 1\ncolour = "red"\n[fields]\nppn_id = 5\n'
        '[[groups]]\npattern = "Child {n}"\n[groups.person]\nforename = "Forename"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as exc:
        load_mapping(p)
    text = " | ".join(exc.value.problems)
    assert "colour" in text  # unknown key
    assert "fields/ppn_id" in text  # wrong type
    assert "groups/0/pattern" in text  # no {field}
    assert len(exc.value.problems) >= 3


def test_semantic_problems_are_reported_together() -> None:
    text = """
version = 1
[fields]
ppn_idd = "PPN Ref"
incident_start = { column = "When", format = "%d/%q/%Y" }
circumstances = { column = "Notes", values = "nowhere", separator = ";" }
"persons[0].forename" = "Name"
[[groups]]
pattern = "Child {n} {field}"
person_id = "child"
roles = ["toddler"]
[groups.person]
shoe_size = "Shoes"
"""
    with pytest.raises(DataFileError) as exc:
        parse_mapping(text)
    assert exc.value.problems == [
        "fields.ppn_idd: not a record v1 field",
        "fields.incident_start.format: '%d/%q/%Y' is not a valid date format",
        "fields.circumstances.values: no value map [values.nowhere]",
        "fields.circumstances.separator: the field is not a list",
        "fields.persons[0].forename: persons are made by [[groups]], not by [fields]",
        "groups[0].person_id: must contain {n} when the pattern does",
        "groups[0].roles: 'toddler' is not a person role",
        "groups[0].person.shoe_size: not a record v1 field",
    ]


def test_group_and_field_columns_absent_from_the_header_are_named() -> None:
    header = [
        "PPN Ref",
        "Date/Time Of Incident",
        "PPN Type(s)",
        "Child 1 Forename",
        "Child 1 DOB",
        "Child 1 Sex",
        "Child 1 Ethnicity",
        "Child 1 Seen",
        "Child 1 Spoken To",
        "Child 1 Reason Not Spoken To",
    ]
    with pytest.raises(MappingError) as exc:
        parse_mapping(FORCE).bind(header, source="day.csv")
    assert exc.value.problems == [
        "column 'Risk Grade' (mapped to officer_risk_grade) is not in the header",
        "column 'Child 1 Words' (group 'Child {n} {field}', mapped to aware.words) is not "
        "in the header",
    ]
    assert str(exc.value).startswith("day.csv: ")


def test_init_mapping_guesses_fields_and_groups_and_loads_back() -> None:
    header = [
        "PPN Ref",
        "Occurrence No",
        "Date/Time Of Incident",
        "Date Submitted",
        "Officer Collar No",
        "Officer Name",
        "Team",
        "PPN Type(s)",
        "Risk Grade",
        "Circumstances",
        "Rationale",
        "Action Taken",
        "Station Code",
        "Child 1 Forename",
        "Child 1 Surname",
        "Child 1 DOB",
        "Child 1 Ethnicity",
        "Child 1 Seen",
        "Child 1 Words",
        "Child 1 Shoe Size",
        "Child 2 Forename",
        "Child 2 Surname",
        "Child 2 DOB",
        "Child 2 Ethnicity",
        "Child 2 Seen",
        "Child 2 Words",
        "Child 2 Shoe Size",
        "Adult 1 Role",
        "Adult 1 Forename",
        "Adult 1 Surname",
        'Odd "quoted" \\ col',
    ]
    text = init_mapping(header)
    assert '"ppn_id" = "PPN Ref"' in text
    assert '"officer.collar_number" = "Officer Collar No"' in text
    assert 'pattern = "Child {n} {field}"' in text
    assert '#   "Station Code"' in text
    assert '# unmapped: "Child {n} Shoe Size"' in text
    bound = parse_mapping(text).bind(header)
    record = bound.apply(
        {
            **dict.fromkeys(header, ""),
            "PPN Ref": "P1",
            "Date Submitted": "20/11/2026 09:00",
            "Risk Grade": "Std",
            "Child 2 Forename": "Ivy",
            "Child 2 Seen": "yes",
            "Adult 1 Role": "Victim",
            "Adult 1 Forename": "Jo",
        }
    )
    assert record == {
        "ppn_id": "P1",
        "submitted_at": "2026-11-20T09:00:00",
        "officer_risk_grade": "standard",
        "persons": [
            {"person_id": "child2", "forename": "Ivy", "roles": ["child_in_household"]},
            {"person_id": "adult1", "roles": ["victim"], "forename": "Jo"},
        ],
        "voice_of_child": [{"child_person_id": "child2", "seen": True}],
    }


def test_init_mapping_of_an_unrecognised_header_is_still_valid() -> None:
    header = ["Alpha", "Beta 1 Gamma", "Delta"]
    mapping = parse_mapping(init_mapping(header))
    assert mapping.fields == () and mapping.groups == ()
