"""Baselines (issue 17): findings dismissed before stay out, changed text comes back, stale
entries are listed, PPN000 is never suppressed, and a malformed file is refused."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ppncheck
from ppncheck.baseline import (
    Baseline,
    BaselineEntry,
    BaselineError,
    entries_for,
    write_baseline,
)
from ppncheck.findings import Finding, Report, Severity
from ppncheck.report.base import finding_key

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "records"
VB = "bad-12-victim-blaming-and-unrecorded-children"


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _rules(report: Report) -> list[str]:
    return [f.rule_id for f in report.findings]


@pytest.fixture(scope="module")
def vb_record() -> dict[str, Any]:
    return _example(VB)


@pytest.fixture(scope="module")
def vb_report(vb_record: dict[str, Any]) -> Report:
    report = ppncheck.check(vb_record)
    assert {"VB001", "CHD001"} <= set(_rules(report))  # the example this test relies on
    return report


def _dismiss(record: dict[str, Any], report: Report, rule: str, **why: Any) -> BaselineEntry:
    (finding,) = [f for f in report.findings if f.rule_id == rule]
    return BaselineEntry.from_key(finding_key(report.ppn_id, record, finding), **why)


def test_dismissed_stay_out_and_others_untouched(
    vb_record: dict[str, Any], vb_report: Report
) -> None:
    baseline = Baseline([_dismiss(vb_record, vb_report, "VB001", decision="false_alarm")])
    (report,) = ppncheck.check_many([vb_record], baseline=baseline)
    assert "VB001" not in _rules(report)
    others = [f for f in vb_report.findings if f.rule_id != "VB001"]
    assert report.findings == others  # every other finding exactly as without a baseline
    assert baseline.stale() == []
    outcome = baseline.outcome()
    assert outcome.suppressed == 1 and outcome.entries == 1


def test_changed_text_comes_back_and_entry_is_stale(
    vb_record: dict[str, Any], vb_report: Report
) -> None:
    entry = _dismiss(vb_record, vb_report, "VB001", reason="quoting the mother")
    (f,) = [f for f in vb_report.findings if f.rule_id == "VB001"]
    flagged = vb_record["rationale"][f.start : f.end]
    changed = copy.deepcopy(vb_record)
    # the officer rewrote the note around the same words: same rule, same field, new text
    changed["rationale"] = changed["rationale"].replace(flagged, "keeps going back to her partner")
    baseline = Baseline([entry])
    (report,) = ppncheck.check_many([changed], baseline=baseline)
    assert "VB001" in _rules(report)
    assert baseline.stale() == [entry]
    assert baseline.outcome().suppressed == 0


def test_entries_for_notes_not_checked_are_not_stale(vb_record: dict[str, Any]) -> None:
    elsewhere = BaselineEntry("PPN-NOT-IN-THIS-RUN", "VB001", "rationale", "0" * 16)
    baseline = Baseline([elsewhere])
    list(ppncheck.check_many([vb_record], baseline=baseline))
    outcome = baseline.outcome()
    assert outcome.stale == [] and outcome.not_in_run == 1


def test_ppn000_never_suppressed_nor_written(tmp_path: Path) -> None:
    report = Report(None, [Finding("PPN000", Severity.ERROR, "unreadable")], row=3)
    assert entries_for(None, report) == []
    # even with a ppn_id and an entry built by hand for it, PPN000 stays
    unreadable = Report("P9", [Finding("PPN000", Severity.ERROR, "unreadable")])
    key = finding_key("P9", None, unreadable.findings[0])
    baseline = Baseline([BaselineEntry.from_key(key)])
    assert baseline.apply(None, unreadable).findings == unreadable.findings
    with pytest.raises(BaselineError, match="PPN000"):
        write_baseline(tmp_path / "b.json", [BaselineEntry.from_key(key)])
    document = {"ppncheck_baseline": 1, "entries": [BaselineEntry.from_key(key).to_dict()]}
    with pytest.raises(BaselineError, match=r"PPN000.*never suppressed"):
        Baseline.from_dict(document)


def test_findings_without_a_ppn_id_are_never_suppressed() -> None:
    note = "Appearance: N/A. Words: nil. She keeps going back to him and puts herself at risk."
    report = ppncheck.check(note)
    assert report.ppn_id is None and report.findings
    assert entries_for(note, report) == []
    keys = [finding_key(None, note, f) for f in report.findings]
    baseline = Baseline(BaselineEntry.from_key(("x", *k[1:])) for k in keys)
    (again,) = ppncheck.check_many([note], baseline=baseline)
    assert again.findings == report.findings


def test_write_then_read_round_trips(
    tmp_path: Path, vb_record: dict[str, Any], vb_report: Report
) -> None:
    dismissed = _dismiss(
        vb_record,
        vb_report,
        "VB001",
        decision="acceptable_here",
        reason="the mother's words, quoted",
        by="VAT 4471",
        at="2026-11-21T09:30:00+00:00",
    )
    entries = [*entries_for(vb_record, vb_report), dismissed]  # the dismissal's reason wins
    path = tmp_path / "baseline.json"
    assert write_baseline(path, entries) == len(vb_report.findings)
    loaded = Baseline.load(path)
    assert sorted(e.key for e in loaded.entries) == sorted(
        finding_key(vb_report.ppn_id, vb_record, f) for f in vb_report.findings
    )
    assert dismissed in loaded.entries
    text = path.read_text(encoding="utf-8")
    for f in vb_report.findings:  # keys only: no flagged note text in the file
        assert vb_record[f.field.split("[")[0]][f.start : f.end] not in text
    (report,) = ppncheck.check_many([vb_record], baseline=loaded)
    assert report.findings == []
    write_baseline(path, loaded.entries)  # written again: same entries, same order
    assert Baseline.load(path).entries == loaded.entries


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"{not json", "not valid JSON (line 1"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "(top level): must be an object"),
        (b'{"entries": []}', "missing ppncheck_baseline"),
        (b'{"ppncheck_baseline": 2, "entries": []}', "format version 2 is newer"),
        (b'{"ppncheck_baseline": 1, "entries": [{"ppn_id": "P1"}]}', "entries/0: missing"),
        (
            b'{"ppncheck_baseline": 1, "entries": [{"ppn_id": "P1", "rule_id": "VB001", '
            b'"field": "rationale", "digest": "She put herself at risk"}]}',
            "entries/0/digest: is not in the expected form",
        ),
        (
            b'{"ppncheck_baseline": 1, "entries": [{"ppn_id": "P1", "rule_id": "VB001", '
            b'"field": "rationale", "digest": "0123456789abcdef", "text": "She is streetwise"}]}',
            "entries/0: unknown key",
        ),
        (b'{"ppncheck_baseline": NaN, "entries": []}', "not valid JSON"),
    ],
)
def test_malformed_file_refused_without_quoting_it(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    with pytest.raises(BaselineError) as info:
        Baseline.load(path)
    message = str(info.value)
    assert needle in message and str(path) in message
    assert "put herself" not in message and "streetwise" not in message


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ppncheck", "check", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_cli_write_baseline_then_check_against_it(tmp_path: Path) -> None:
    """Write today's findings, re-run: all left out but PPN000; change a note: its finding
    comes back and the old entry is listed as stale in the JSON and text reports."""
    records = [
        _example(VB),
        _example("bad-01-ethnicity-missing"),
        _example("good-03-baby-pre-verbal"),
    ]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    base = tmp_path / "baseline.json"
    first = _cli(str(src), "-o", "first.json", "--write-baseline", str(base), cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    assert "baseline entries to" in first.stderr
    before = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    named = [f for r in before["reports"] if r["ppn_id"] for f in r["findings"]]
    assert len(json.loads(base.read_text(encoding="utf-8"))["entries"]) == len(named)

    again = _cli(str(src), "-o", "again.json", "--baseline", str(base), cwd=tmp_path)
    assert again.returncode == 1, again.stderr  # the unreadable row still fails the run
    doc = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    left = [f["rule_id"] for r in doc["reports"] for f in r["findings"]]
    assert left == ["PPN000"]
    assert len(doc["reports"]) == 4  # every row still reported
    assert doc["summary"]["baseline"]["suppressed"] == len(named)
    assert doc["summary"]["baseline"]["stale"] == []
    assert f"baseline: {len(named)} left out, 0 stale entries" in again.stderr

    vb = records[0]
    vb["rationale"] = vb["rationale"].replace("going back to him", "going back to her partner")
    src.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    changed = _cli(str(src), "-o", "changed.json", "--baseline", str(base), cwd=tmp_path)
    doc = json.loads((tmp_path / "changed.json").read_text(encoding="utf-8"))
    back = [(r["ppn_id"], f["rule_id"]) for r in doc["reports"] for f in r["findings"]]
    assert (vb["ppn_id"], "VB001") in back
    stale = doc["summary"]["baseline"]["stale"]
    assert [(s["ppn_id"], s["rule_id"], s["field"]) for s in stale] == [
        (vb["ppn_id"], "VB001", "rationale")
    ]
    assert set(stale[0]) == {"ppn_id", "rule_id", "field", "digest"}  # no text, no reason
    assert "1 stale entry" in changed.stderr
    assert "keeps going back" not in changed.stderr

    text = _cli(str(src), "-f", "text", "--baseline", str(base), cwd=tmp_path)
    assert "stale baseline entries" in text.stdout
    assert f"{vb['ppn_id']}  VB001  rationale" in text.stdout
    assert "keeps going back" not in text.stdout  # no --show-text: no note text

    # --write-baseline with --baseline keeps the old entries that still match, drops stale ones
    rewritten = _cli(
        str(src),
        "-o",
        "r.json",
        "--baseline",
        str(base),
        "--write-baseline",
        str(base),
        cwd=tmp_path,
    )
    assert rewritten.returncode == 1, rewritten.stderr
    final = _cli(str(src), "-o", "final.json", "--baseline", str(base), cwd=tmp_path)
    assert "0 stale entries" in final.stderr
    doc = json.loads((tmp_path / "final.json").read_text(encoding="utf-8"))
    assert [f["rule_id"] for r in doc["reports"] for f in r["findings"]] == ["PPN000"]
    assert doc["summary"]["baseline"]["stale"] == []


def test_cli_malformed_baseline_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "one.json"
    src.write_text(json.dumps(_example("good-03-baby-pre-verbal")), encoding="utf-8")
    bad = tmp_path / "bad-baseline.json"
    bad.write_text('{"ppncheck_baseline": 1, "entries": [{"ppn_id": 5}]}', encoding="utf-8")
    proc = _cli(str(src), "--baseline", str(bad), cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith("ppncheck: bad baseline: ") and "entries/0" in lines[0]
    missing = _cli(str(src), "--baseline", str(tmp_path / "nope.json"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    over = _cli(str(src), "--write-baseline", str(src), cwd=tmp_path)
    assert over.returncode == 2 and "one of the inputs" in over.stderr
