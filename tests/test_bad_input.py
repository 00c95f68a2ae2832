"""Bad input never produces a traceback: it becomes PPN000 or PPN002 findings."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ppncheck


def only(report: ppncheck.Report) -> list[str]:
    return report.rule_ids


def test_not_json_bytes() -> None:
    report = ppncheck.check(b'{"ppn_id": "X", ')
    assert only(report) == ["PPN000"]
    assert "not valid JSON" in report.findings[0].message


def test_invalid_utf8_bytes() -> None:
    report = ppncheck.check(b'{"ppn_id": "\xff\xfe"}')
    assert only(report) == ["PPN000"]
    assert "UTF-8" in report.findings[0].message


def test_json_bytes_are_parsed(good: dict[str, Any]) -> None:
    assert ppncheck.check(json.dumps(good).encode()).findings == []


def test_list_of_strings_and_numbers_are_not_records() -> None:
    reports = list(ppncheck.check_many([["a", "b"], 42, None, 3.5, True]))
    assert [r.rule_ids for r in reports] == [["PPN000"]] * 5
    assert "not a list" in reports[0].findings[0].message


def test_ten_megabyte_string_field(good: dict[str, Any]) -> None:
    good["circumstances"] = "word " * 2_000_000
    report = ppncheck.check(good)
    (f,) = [f for f in report.findings if f.field == "circumstances"]
    assert f.rule_id == "PPN002" and "too long to check in full" in f.message


def test_ten_megabyte_note_is_checked_up_to_the_limit() -> None:
    from ppncheck.api import MAX_TEXT_CHARS

    report = ppncheck.check("x" * 10_000_000)
    assert report.findings[0].rule_id == "PPN002"
    assert report.findings[0].message == (
        "The note is not valid: it is 10,000,000 characters long, too long to check in full; "
        f"only its first {MAX_TEXT_CHARS:,} characters were checked."
    )
    assert only(report) == ["PPN002", "TPL001"]  # a run of x is no note at all


def test_a_long_note_is_checked_up_to_the_limit_not_skipped() -> None:
    from ppncheck.api import MAX_TEXT_CHARS

    head = 'Appearance: Leo (7) was clean and tidy. Words: Leo said "I want my mum". '
    note = head + "Mum was calm and spoke with officers. " * (MAX_TEXT_CHARS // 38 + 10)
    report = ppncheck.check(note)
    assert "PPN002" in report.rule_ids
    # the part that was read still counts: Appearance and Words are there, Activity is not
    assert {"AWR001", "AWR002"}.isdisjoint(report.rule_ids)
    assert "AWR003" in report.rule_ids


@pytest.mark.parametrize("run", ['"' * 50_000, " " * 50_000, "\t" * 50_000])
def test_long_runs_cannot_make_the_text_steps_quadratic(run: str) -> None:
    """A note of 50,000 quote marks took 189 s (spaCy's suffix search) and one of 50,000
    spaces never finished (a value pattern ending in ``[ \t]*$``): neither run reaches the
    text steps whole.  The time itself is measured in benchmarks/bench_hostile.py."""
    from ppncheck.api import MAX_WORD_CHARS, _within_limit

    note = "Appearance: fine. " + run + " Words: she said hi."
    ((_, checked),) = _within_limit([("note", note)], ppncheck.Config())[1]
    assert len(checked) == len(note)  # spans keep pointing at the officer's text
    assert checked.startswith("Appearance: fine. ") and checked.endswith(" Words: she said hi.")
    assert '"' not in checked  # a long run without a space is a run of x (linear for spaCy)
    assert max(len(s) for s in re.findall(r"[ \t]+", checked)) <= MAX_WORD_CHARS
    report = ppncheck.check(note)
    assert all(f.end is None or f.end <= len(note) for f in report.findings)


def test_deeply_nested_junk() -> None:
    junk: Any = "leaf"
    for _ in range(5_000):
        junk = {"persons": [junk]}
    report = ppncheck.check(junk)
    assert not report.ok
    assert {"PPN001", "ETH001"} <= set(report.rule_ids)
    assert report.findings[0].field is not None


def test_deeply_nested_json_bytes() -> None:
    report = ppncheck.check(b"[" * 100_000 + b"]" * 100_000)
    assert only(report) == ["PPN000"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
record_keys = st.sampled_from(
    [
        "ppn_id",
        "persons",
        "voice_of_child",
        "incident_start",
        "submitted_at",
        "officer",
        "ppn_types",
        "circumstances",
        "officer_risk_grade",
        "sde_code",
        "aware",
        "roles",
        "dob",
    ]
)
record_like = st.dictionaries(record_keys, json_values, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, record_like))
def test_any_json_returns_a_report(value: Any) -> None:
    report = ppncheck.check(value)
    assert isinstance(report, ppncheck.Report)
    assert all(f.rule_id and f.message for f in report.findings)
    json.dumps(report.to_dict())


def test_empty_and_blank_notes_are_ppn001() -> None:
    for note in ("", "   ", "\n\n"):
        report = ppncheck.check(note)
        assert only(report) == ["PPN001"]
        assert report.findings[0].field == "note"


def test_empty_text_through_the_text_layer() -> None:
    from ppncheck.text.analysis import analyse_texts

    (analysis,) = analyse_texts([""], config=ppncheck.Config())
    assert analysis.victim_blaming == [] and analysis.text_length == 0


def test_json_bytes_are_bounded_like_a_json_line() -> None:
    reports = list(
        ppncheck.check_many(
            [b"[" * 10_000 + b"]" * 10_000, b'{"n": ' + b"7" * 5_000 + b"}", b'{"a": "\\ud800"}']
        )
    )
    assert [r.findings[0].message for r in reports] == [
        f"This record could not be read ({reason}); nothing else in it could be checked."
        for reason in (
            "nested more than 100 levels deep",
            "a number has more than 100 digits",
            "a \\u escape in it is an unpaired surrogate, half of a character",
        )
    ]


# -- issue 18: the API never raises on Python values, and loses no report ------------------


def test_python_values_that_json_cannot_hold(good: dict[str, Any]) -> None:
    from datetime import datetime

    ok = dict(good, incident_start=datetime(2026, 11, 20, 21, 40), referrals={"mash"})
    ok["submitted_at"] = datetime.fromisoformat(good["submitted_at"])
    assert ppncheck.check(ok).findings == []  # dates as ISO 8601 text, a set as a list

    bad = dict(good, circumstances=b"Secret narrative", officer={1: "x", "collar_number": "7"})
    bad[2] = "y"
    report = ppncheck.check(bad)
    assert [(f.rule_id, f.field, f.message) for f in report.findings] == [
        ("PPN002", None, "The record is not valid: one of its keys is a Python int, not text."),
        (
            "PPN002",
            "circumstances",
            "The circumstances are not valid: it holds a Python bytes value, not JSON data.",
        ),
        (
            "PPN002",
            "officer",
            "The officer details are not valid: one of its keys is a Python int, not text.",
        ),
    ]
    assert "Secret" not in json.dumps(report.to_dict())


def test_lone_surrogates_from_python_do_not_break_the_check(good: dict[str, Any]) -> None:
    good["circumstances"] = good["circumstances"] + " \ud800"
    assert ppncheck.check(good).findings == []
    report = ppncheck.check("Appearance: \udc00 tired.")
    json.dumps(report.to_dict()).encode("utf-8")  # the report can be written out


def test_check_many_yields_what_it_checked_before_the_source_raised(
    good: dict[str, Any],
) -> None:
    def source() -> Any:
        yield good
        yield 3
        yield "Appearance: tidy. Words: said she was fine."
        raise RuntimeError("the export broke")

    got: list[list[str]] = []
    with pytest.raises(RuntimeError, match="the export broke"):
        for report in ppncheck.check_many(source()):
            got.append(report.rule_ids)
    assert len(got) == 3
    assert got[0] == [] and got[1] == ["PPN000"]
