"""Each record rule fires where it should and stays silent where it must (record-format.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import ppncheck
from ppncheck import Config, Severity


def ids(record: Any, config: Config | None = None) -> list[str]:
    return ppncheck.check(record, config=config).rule_ids


def findings(record: Any, rule_id: str, config: Config | None = None) -> list[ppncheck.Finding]:
    return [f for f in ppncheck.check(record, config=config).findings if f.rule_id == rule_id]


def test_good_record_is_clean(good: dict[str, Any]) -> None:
    report = ppncheck.check(good)
    assert report.ok and report.findings == []
    assert report.ppn_id == "PPN-2026-00101"


def test_check_does_not_change_the_callers_record(good: dict[str, Any]) -> None:
    good["persons"][2]["sde_code"] = "White British"
    ppncheck.check(good)
    assert good["persons"][2]["sde_code"] == "White British"


# --- ethnicity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alias",
    [
        "w1",
        "White British",
        "White - English/Welsh/Scottish/Northern Irish/British",
        "W1 - White British",
    ],
)
def test_ethnicity_aliases_are_normalised_not_flagged(good: dict[str, Any], alias: str) -> None:
    good["persons"][2]["sde_code"] = alias
    assert ids(good) == []


@pytest.mark.parametrize(
    ("alias", "code"),
    [("O1", "A4"), ("Asian/Asian British - Pakistani", "A2"), ("any other asian background", "A9")],
)
def test_other_aliases(alias: str, code: str) -> None:
    from ppncheck.normalise.ethnicity import normalise_sde

    assert normalise_sde(alias) == code


def test_child_without_ethnicity_is_an_error_and_names_the_field(good: dict[str, Any]) -> None:
    del good["persons"][2]["sde_code"]
    (f,) = findings(good, "ETH001")
    assert f.severity is Severity.ERROR and f.field == "persons[2].sde_code"
    assert "PPN001" not in ids(good)  # one rule owns the defect


def test_adult_without_ethnicity_is_a_warning(good: dict[str, Any]) -> None:
    good["persons"][1]["sde_code"] = ""
    (f,) = findings(good, "ETH001")
    assert f.severity is Severity.WARNING and f.field == "persons[1].sde_code"
    assert ppncheck.check(good).ok


def test_two_children_missing_ethnicity_are_two_findings(good: dict[str, Any]) -> None:
    del good["persons"][2]["sde_code"]
    del good["persons"][3]["sde_code"]
    assert [f.field for f in findings(good, "ETH001")] == [
        "persons[2].sde_code",
        "persons[3].sde_code",
    ]


def test_not_stated_with_reason_is_fine(good: dict[str, Any]) -> None:
    good["persons"][2].update(sde_code="NS", sde_not_stated_reason="Mother declined to say.")
    assert ids(good) == []


def test_not_stated_without_reason(good: dict[str, Any]) -> None:
    good["persons"][2]["sde_code"] = "NS"
    assert ids(good) == ["ETH002"]


@pytest.mark.parametrize("value", ["IC1", "Martian", "white", 7])
def test_unrecognised_ethnicity_is_eth003_not_ppn002(good: dict[str, Any], value: Any) -> None:
    good["persons"][2]["sde_code"] = value
    assert ids(good) == ["ETH003"]


# --- required fields, values and dates ---------------------------------------------------------


def test_missing_required_field_names_the_field_in_plain_english(good: dict[str, Any]) -> None:
    del good["rationale"]
    (f,) = findings(good, "PPN001")
    assert f.field == "rationale"
    assert "rationale" in f.message and "required property" not in f.message


def test_every_missing_field_of_an_object_is_reported(good: dict[str, Any]) -> None:
    del good["rationale"], good["actions_taken"]
    assert [f.field for f in findings(good, "PPN001")] == ["actions_taken", "rationale"]


def test_empty_narrative_is_ppn001_not_tpl001(good: dict[str, Any]) -> None:
    good["actions_taken"] = "   "
    assert ids(good) == ["PPN001"]


def test_child_needs_dob_or_age(good: dict[str, Any]) -> None:
    del good["persons"][3]["dob"]
    (f,) = findings(good, "PPN001")
    assert f.field == "persons[3].dob"


def test_age_without_dob_is_accepted(good: dict[str, Any]) -> None:
    del good["persons"][3]["dob"]
    good["persons"][3]["age_years"] = 5
    assert ids(good) == []


def test_invalid_enum_is_ppn002_with_readable_message(good: dict[str, Any]) -> None:
    good["officer_risk_grade"] = "very high"
    (f,) = findings(good, "PPN002")
    assert f.field == "officer_risk_grade"
    assert "high, medium, low, standard" in f.message


def test_wrong_type(good: dict[str, Any]) -> None:
    good["persons"] = {"p1": good["persons"][0]}
    (f,) = findings(good, "PPN002")
    assert f.field == "persons" and "a list" in f.message


def test_unparseable_date_skips_timeliness(good: dict[str, Any]) -> None:
    good["incident_start"] = "20/11/2026 21:40"
    good["submitted_at"] = "2026-12-20T10:00:00Z"
    assert ids(good) == ["PPN002"]


def test_submitted_before_incident(good: dict[str, Any]) -> None:
    good["submitted_at"] = "2026-11-20T20:00:00Z"
    (f,) = findings(good, "PPN003")
    assert f.field == "submitted_at"


def test_age_and_dob_disagree(good: dict[str, Any]) -> None:
    good["persons"][2]["age_years"] = 12
    (f,) = findings(good, "PPN003")
    assert f.field == "persons[2].age_years"


def test_age_matching_dob_is_fine(good: dict[str, Any]) -> None:
    good["persons"][2]["age_years"] = 8
    assert ids(good) == []


def test_timezone_offsets_are_respected(good: dict[str, Any]) -> None:
    good["incident_start"] = "2026-11-20T21:40:00+01:00"
    good["submitted_at"] = "2026-11-21T21:00:00+01:00"
    assert ids(good) == []


# --- timeliness and risk ----------------------------------------------------------------------


def test_late_submission(good: dict[str, Any]) -> None:
    good["submitted_at"] = "2026-11-21T22:41:00Z"
    (f,) = findings(good, "TIM001")
    assert f.severity is Severity.WARNING and "25 hours" in f.message


def test_late_submission_threshold_is_configurable(good: dict[str, Any]) -> None:
    good["submitted_at"] = "2026-11-22T21:00:00Z"
    assert ids(good) == ["TIM001"]
    assert ids(good, Config(late_submission_hours=72)) == []


def test_missing_child_graded_low(good: dict[str, Any]) -> None:
    good["ppn_types"] = ["missing_person"]
    good["persons"][2]["roles"] = ["subject"]
    for grade in ("low", "standard"):
        good["officer_risk_grade"] = grade
        assert ids(good) == ["RSK001"]
    good["officer_risk_grade"] = "medium"
    assert ids(good) == []


def test_missing_adult_graded_low_is_not_rsk001(good: dict[str, Any]) -> None:
    good["ppn_types"] = ["missing_person"]
    good["officer_risk_grade"] = "low"
    good["persons"][0]["roles"] = ["subject", "parent_carer"]
    assert "RSK001" not in ids(good)


# --- AWARE -----------------------------------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["N/A", "nil", "none", "as above", "see log", "-"])
def test_placeholder_in_aware_element(good: dict[str, Any], placeholder: str) -> None:
    good["voice_of_child"][0]["aware"]["environment"] = placeholder
    (f,) = findings(good, "AWR006")
    assert f.field == "voice_of_child[0].aware.environment"
    assert ids(good) == ["AWR006"]


def test_short_specific_entry_is_not_a_placeholder(good: dict[str, Any]) -> None:
    good["voice_of_child"][0]["aware"]["appearance"] = "Bruise to left cheek, crying."
    assert ids(good) == []


def test_missing_elements_each_have_their_rule(good: dict[str, Any]) -> None:
    aware = good["voice_of_child"][1]["aware"]
    del aware["appearance"]
    aware["environment"] = ""
    assert ids(good) == ["AWR001", "AWR005"]


def test_child_without_entry_is_awr008_alone(good: dict[str, Any]) -> None:
    del good["voice_of_child"][1]
    assert ids(good) == ["AWR008"]
    (f,) = findings(good, "AWR008")
    assert f.field == "persons[3]"


def test_child_by_age_alone_needs_an_entry(good: dict[str, Any]) -> None:
    good["persons"].append(
        {
            "person_id": "w1",
            "roles": ["witness"],
            "forename": "Amy",
            "surname": "Dray",
            "sex": "female",
            "sde_code": "W1",
            "age_years": 16,
        }
    )
    assert ids(good) == ["AWR008"]


def test_words_with_only_adult_speech(good: dict[str, Any]) -> None:
    good["voice_of_child"][1]["aware"]["words"] = (
        "Mother said he had been fine all evening and was tired."
    )
    assert ids(good) == ["AWR007"]


def test_words_with_reason_not_spoken_to_is_fine(good: dict[str, Any]) -> None:
    entry = good["voice_of_child"][1]
    entry["aware"]["words"] = "Asleep in bed throughout and was not woken."
    assert ids(good) == []


def test_narrative_placeholder(good: dict[str, Any]) -> None:
    good["circumstances"] = "See OEL"
    (f,) = findings(good, "TPL001")
    assert f.field == "circumstances" and "See OEL" in f.message


# --- configuration ---------------------------------------------------------------------------


def test_select_and_ignore_by_prefix(good: dict[str, Any]) -> None:
    del good["persons"][2]["sde_code"]
    good["submitted_at"] = "2026-11-23T09:30:00Z"
    assert ids(good) == ["ETH001", "TIM001"]
    assert ids(good, Config(ignore=("ETH",))) == ["TIM001"]
    assert ids(good, Config(select=("TIM",))) == ["TIM001"]
    assert ids(good, Config(select=("ETH",), ignore=("ETH001",))) == []


def test_severity_override(good: dict[str, Any]) -> None:
    good["submitted_at"] = "2026-11-23T09:30:00Z"
    (f,) = findings(good, "TIM001", Config(severity={"TIM001": Severity.ERROR}))
    assert f.severity is Severity.ERROR


def test_invalid_enum_values_are_never_quoted(good: dict[str, Any]) -> None:
    """Issue 18: what the officer typed may be personal data; only --show-text shows it."""
    from ppncheck.read.types import InputItem
    from ppncheck.report.base import report_dict

    secret = "Mrs Jane Secret-Doe of 4 Any Street"
    good["consent"] = {"status": secret}
    good["officer_risk_grade"] = secret
    good["ppn_types"] = [secret]
    good["persons"][0]["sex"] = secret
    report = ppncheck.check(good)
    enum = {f.field: f.message for f in report.findings if f.rule_id == "PPN002"}
    assert set(enum) == {"consent.status", "officer_risk_grade", "ppn_types[0]", "persons[0].sex"}
    assert enum["persons[0].sex"] == (
        "The sex of persons[0] is not valid: it is not one of male, female, unknown."
    )
    assert all(secret[:5] not in f.message for f in report.findings)
    item = InputItem(1, payload=good)
    hidden = report_dict(item, report, show_text=False)
    assert "Secret" not in json.dumps(hidden)
    shown = report_dict(item, report, show_text=True)
    assert [f["text"] for f in shown["findings"] if f["field"] == "ppn_types[0]"] == [secret]
