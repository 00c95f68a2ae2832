"""The free-text note corpus: every note's exact expected rule ids, written from the spec.

tests/notes/expected.json maps each fictional note to the sorted rule ids that
record-format.md says it should get (AWR001-AWR007, ETH001, CHD001, TPL001, VB001).  Notes
whose expectation the code does not meet yet are listed in KNOWN_GAPS with the reason; they
are strict xfails, so fixing one turns it into a failure until it is removed from the list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ppncheck

NOTES = Path(__file__).parent / "notes"
EXPECTED: dict[str, list[str]] = json.loads((NOTES / "expected.json").read_text("utf-8"))

KNOWN_GAPS: dict[str, str] = {}


def test_corpus_is_big_enough_and_complete() -> None:
    files = {p.name for p in NOTES.glob("*.txt")}
    assert len(files) >= 40
    assert files == set(EXPECTED)
    covered = {rule for ids in EXPECTED.values() for rule in ids}
    assert {
        "AWR001",
        "AWR002",
        "AWR003",
        "AWR004",
        "AWR005",
        "AWR006",
        "AWR007",
        "ETH001",
        "CHD001",
        "TPL001",
        "VB001",
    } <= covered
    assert sum(1 for ids in EXPECTED.values() if not ids) >= 10
    assert set(KNOWN_GAPS) <= set(EXPECTED)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=True))
        if n in KNOWN_GAPS
        else n
        for n in sorted(EXPECTED)
    ],
)
def test_note_gets_exactly_the_expected_rules(name: str) -> None:
    text = (NOTES / name).read_text("utf-8")
    report = ppncheck.check(text)
    assert report.rule_ids == EXPECTED[name]
