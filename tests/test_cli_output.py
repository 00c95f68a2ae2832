"""What ``ppncheck check`` writes where (issue 15): the format follows the --output name or a
mismatch is refused, text never wraps or cuts an id, the summary is one whole line, --select
keeps unreadable rows, and messages are grammatical."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ppncheck

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "records"
BAD = EXAMPLES / "bad-01-ethnicity-missing.json"
BROKEN = EXAMPLES / "bad-13-broken-export.jsonl"


def run(*args: str, cwd: Path, columns: int = 40) -> subprocess.CompletedProcess[str]:
    # a narrow COLUMNS: nothing written to a file or a pipe may depend on it
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ppncheck", "check", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=600,
        check=False,
    )


def _one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    (line,) = [x for x in proc.stderr.splitlines() if x.strip()]
    for needle in needles:
        assert needle in line
    return line


def _is_json(text: str) -> bool:
    return isinstance(json.loads(text), (dict, list))


def _is_jsonl(text: str) -> bool:
    return all(isinstance(json.loads(x), dict) for x in text.splitlines())


def _is_csv(text: str) -> bool:
    return "rule_id" in next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("name", "looks_right"),
    [
        ("r.json", _is_json),
        ("r.jsonl", _is_jsonl),
        ("r.ndjson", _is_jsonl),
        ("r.csv", _is_csv),
        ("r.html", lambda t: t.startswith("<!DOCTYPE html>")),
        ("r.txt", lambda t: "ETH001" in t and "1 row read" in t),
    ],
)
def test_the_format_follows_the_output_name(tmp_path: Path, name: str, looks_right: Any) -> None:
    out = tmp_path / name
    proc = run(str(BAD), "--output", str(out), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert looks_right(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["r.xlsx", "R.XLSX", "r.pdf"])
def test_an_output_no_writer_produces_is_refused(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    for extra in ([], ["--format", "jsonl"]):
        line = _one_line_error(run(str(BAD), "--output", str(out), *extra, cwd=tmp_path), name)
        assert ".csv" in line
        assert not out.exists()


def test_a_format_that_contradicts_the_output_name_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    _one_line_error(
        run(str(BAD), "--format", "json", "-o", str(out), cwd=tmp_path), "--format json", "r.csv"
    )
    assert not out.exists()
    # agreeing, or a name that says nothing, is fine
    assert run(str(BAD), "--format", "csv", "-o", str(out), cwd=tmp_path).returncode == 1
    plain = tmp_path / "report"
    assert run(str(BAD), "--format", "json", "-o", str(plain), cwd=tmp_path).returncode == 1
    assert _is_json(plain.read_text(encoding="utf-8"))


def test_an_output_name_without_a_known_suffix_needs_format(tmp_path: Path) -> None:
    _one_line_error(run(str(BAD), "-o", str(tmp_path / "r.out"), cwd=tmp_path), "--format")


def _long_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(BAD.read_text(encoding="utf-8"))
    record["ppn_id"] = "PPN-2026-NORTH-DIVISION-SAFEGUARDING-HUB-0000000201-REVIEWED"
    return record


def test_text_in_a_file_or_a_pipe_never_wraps_or_cuts(tmp_path: Path) -> None:
    src = tmp_path / "long.json"
    src.write_text(json.dumps(_long_record()), encoding="utf-8")
    expected = ppncheck.check(_long_record())
    assert expected.findings
    out = tmp_path / "r.txt"
    to_file = run(str(src), str(BROKEN), "--format", "text", "-o", str(out), cwd=tmp_path)
    to_pipe = run(str(src), str(BROKEN), "--format", "text", cwd=tmp_path)
    for text in (out.read_text(encoding="utf-8"), to_pipe.stdout):
        assert "…" not in text
        lines = text.splitlines()
        for f in expected.findings:
            # id, rule, field path and message on one line, each whole
            assert any(
                "PPN-2026-NORTH-DIVISION-SAFEGUARDING-HUB-0000000201-REVIEWED" in line
                and f.rule_id in line
                and (f.field or "") in line
                and f.message in line
                for line in lines
            ), f.message
        summary = lines[-1]
        assert summary.startswith("4 rows read; 2 checked; 2 unreadable; findings: ")
        assert summary.endswith(" at or above error")
        assert text.endswith(" at or above error\n")
    assert to_file.returncode == to_pipe.returncode == 1


def test_the_summary_on_stderr_is_one_line(tmp_path: Path) -> None:
    proc = run(str(BAD), "--format", "jsonl", cwd=tmp_path, columns=20)
    assert proc.stderr == (
        "ppncheck: 1 row read; 1 checked; 0 unreadable; findings: 1 error, 1 warning, "
        "0 info; 1 at or above error\n"
    )


def test_select_keeps_the_rows_that_could_not_be_read(tmp_path: Path) -> None:
    proc = run(str(BROKEN), "--format", "jsonl", "--select", "ETH", cwd=tmp_path)
    reports = [json.loads(x) for x in proc.stdout.splitlines()]
    unreadable = [r for r in reports if any(f["rule_id"] == "PPN000" for f in r["findings"])]
    assert len(unreadable) == 2 and proc.returncode == 1
    assert all(
        f["rule_id"] in ("PPN000", "ETH001", "ETH002", "ETH003")
        for r in reports
        for f in r["findings"]
    )
    # only an explicit --ignore hides them
    proc = run(
        str(BROKEN), "--format", "jsonl", "--select", "ETH", "--ignore", "PPN000", cwd=tmp_path
    )
    assert "PPN000" not in proc.stdout


def test_api_select_keeps_ppn000_too() -> None:
    (report,) = ppncheck.check_many([b"{not json"], config=ppncheck.Config(select=("ETH",)))
    assert [f.rule_id for f in report.findings] == ["PPN000"]


def test_messages_agree_with_plural_field_names(good: dict[str, Any]) -> None:
    record = copy.deepcopy(good)
    del record["actions_taken"]
    record["circumstances"] = "See OEL"
    messages = [f.message for f in ppncheck.check(record).findings]
    assert "The actions taken are missing; add them before the PPN is submitted." in messages
    assert 'The circumstances say only "See OEL"; describe them in your own words.' in messages
    record["rationale"] = "As above"
    messages = [f.message for f in ppncheck.check(record).findings]
    assert (
        'The rationale for the risk grade says only "As above"; describe it in your own words.'
        in messages
    )
    blaming = json.loads(
        (EXAMPLES / "bad-12-victim-blaming-and-unrecorded-children.json").read_text("utf-8")
    )
    chd = [f.message for f in ppncheck.check(blaming).findings if f.rule_id == "CHD001"]
    assert chd and all(m.startswith("The circumstances mention ") for m in chd)
