"""Each example record produces exactly the rule ids its guide promises (trainers rely on it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ppncheck
from ppncheck.catalogue import catalogue
from ppncheck.read import read_path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "records"
# beside the folder, not in it: `ppncheck check examples/records/` must read only records
EXPECTED = json.loads((EXAMPLES.parent / "records-expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".json")))
def test_example_fires_exactly_its_rules(name: str) -> None:
    record = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    report = ppncheck.check(record)
    assert report.rule_ids == sorted(EXPECTED[name]), [f.to_dict() for f in report.findings]
    if name.startswith("good-"):
        assert report.ok  # good records carry no error


def test_broken_export_keeps_every_line() -> None:
    items = list(read_path(EXAMPLES / "bad-13-broken-export.jsonl"))
    reports = list(ppncheck.check_items(items))
    assert [r.rule_ids for r in reports] == EXPECTED["bad-13-broken-export.jsonl"]
    assert [r.row for r in reports] == [1, 2, 3]


def test_examples_cover_every_rule_of_the_record_checker() -> None:
    fired: set[str] = set()
    for ids in EXPECTED.values():
        for entry in ids:
            fired.update([entry] if isinstance(entry, str) else entry)
    # Every rule of the record checker (issue 2); VB001, CHD001 and TPL002 come from later work.
    required = set(catalogue().ids()) - {"VB001", "CHD001", "TPL002"}
    assert required <= fired


def test_guide_names_every_example() -> None:
    guide = (EXAMPLES / "GUIDE.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert Path(name).stem in guide, name
