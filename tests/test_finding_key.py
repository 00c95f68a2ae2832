"""finding_key: the identity of a finding across runs (decisions, baselines)."""

from __future__ import annotations

from ppncheck.findings import Finding, Severity
from ppncheck.report.base import finding_key, text_digest

RECORD = {"ppn_id": "P1", "circumstances": "She put herself at risk again.  Mum present."}


def _finding(start: int, end: int) -> Finding:
    return Finding("VB001", Severity.WARNING, "m", field="circumstances", start=start, end=end)


def test_same_text_same_key_and_no_text_in_key() -> None:
    a = finding_key("P1", RECORD, _finding(4, 23))
    b = finding_key("P1", dict(RECORD), _finding(4, 23))
    assert a == b
    assert a[:3] == ("P1", "VB001", "circumstances")
    assert "herself" not in "".join(a)


def test_changed_text_changes_key_but_spacing_does_not() -> None:
    a = finding_key("P1", RECORD, _finding(4, 23))
    changed = {**RECORD, "circumstances": "She was put at risk again by him.  Mum present."}
    assert finding_key("P1", changed, _finding(4, 23)) != a
    assert text_digest("put  herself\nat risk") == text_digest("put herself at risk")


def test_field_without_text_and_missing_id() -> None:
    f = Finding("ETH001", Severity.ERROR, "m", field="persons[0].sde_code")
    assert finding_key(None, {"persons": [{}]}, f) == (
        "",
        "ETH001",
        "persons[0].sde_code",
        text_digest(""),
    )
