"""Issue 18 through the real console entry point: hostile exports and inputs.

Every input row reaches the output once (its findings or a PPN000 naming why), nothing a note
or cell holds reaches stderr, and what cannot run says so in one line with exit code 2.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "examples" / "export"
GOOD = ROOT / "examples" / "records" / "good-01-domestic-abuse-two-children.json"
SECRET = "Secret Name"


def ppncheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ppncheck", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=900,
        check=False,
    )


def _one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 2, (proc.stdout[-500:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ppncheck: "), proc.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def _hostile_inputs(folder: Path) -> tuple[Path, Path, Path]:
    # the example export as Excel's "CSV UTF-8" with one cp1252 byte in row 5
    lines = (EXPORT / "ppn_export_2026-11-20.csv").read_bytes().split(b"\r\n")
    lines[5] = lines[5].replace(b"Graded", b"Grad\xe9d", 1)
    csv_path = folder / "export.csv"
    csv_path.write_bytes(b"\r\n".join(lines))

    good = GOOD.read_text(encoding="utf-8")
    hostile = [
        json.dumps(json.loads(good)),
        "[" * 10_000 + "]" * 10_000,
        '{"ppn_id": "P3", "n": ' + "9" * 5_000 + "}",
        '{"ppn_id": "\\ud800 ' + SECRET + '"}',
        json.dumps(json.loads(good)),
    ]
    jsonl = folder / "lines.jsonl"
    jsonl.write_text("\n".join(hostile) + "\n", encoding="utf-8")

    # the example workbook with its sheet cut off inside data row 150
    src = EXPORT / "ppn_export_2026-11-20.xlsx"
    xlsx = folder / "cut.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b'<row r="151"') + 200]
            zout.writestr(info.filename, data)
    return csv_path, jsonl, xlsx


def test_hostile_files_in_one_run_lose_no_row_and_leak_nothing(tmp_path: Path) -> None:
    csv_path, jsonl, xlsx = _hostile_inputs(tmp_path)
    out = tmp_path / "report.jsonl"
    proc = ppncheck(
        "check", str(csv_path), str(jsonl), str(xlsx),
        "--mapping", str(EXPORT / "mapping.toml"), "-o", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # findings, not "could not run"
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    docs: list[dict[str, Any]] = [json.loads(line) for line in out.read_text().splitlines()]
    by_source: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        by_source.setdefault(doc["source"], []).append(doc)

    rows = by_source["export.csv"]
    assert [d["row"] for d in rows] == list(range(1, 201))
    assert [d["row"] for d in rows if _ppn000(d)] == [42, 139]  # the export's own ragged rows

    lines = by_source["lines.jsonl"]
    assert [(d["row"], _ppn000(d)) for d in lines] == [
        (1, None),
        (2, "nested more than 100 levels deep"),
        (3, "a number has more than 100 digits"),
        (4, "a \\u escape in it is an unpaired surrogate, half of a character"),
        (5, None),
    ]

    cut = by_source["cut.xlsx"]
    assert [d["row"] for d in cut] == list(range(1, 151))
    assert [d["row"] for d in cut if _ppn000(d)] == [42, 139, 150]
    assert (_ppn000(cut[-1]) or "").startswith("the rest of the sheet cannot be read")

    assert "export.csv: decoded as cp1252 (Windows-1252) because not valid UTF-8: row 5" in (
        proc.stderr
    )
    assert "355 rows read" in proc.stderr
    assert SECRET not in proc.stderr and SECRET not in out.read_text()
    assert "Gradéd" not in proc.stderr


def _ppn000(doc: dict[str, Any]) -> str | None:
    for f in doc["findings"]:
        if f["rule_id"] == "PPN000":
            m = re.match(r"This record could not be read \((.*)\); nothing else", f["message"])
            assert m is not None
            return m.group(1)
    return None


def test_writing_the_report_over_an_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(GOOD.read_text(encoding="utf-8").replace("\n", " ") + "\n", encoding="utf-8")
    before = src.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    for target in ("in.jsonl", "./in.jsonl", str(src), "link.jsonl"):
        proc = ppncheck("check", "in.jsonl", "--output", target, cwd=tmp_path)
        _one_line_error(proc, "--output", "is one of the inputs")
        assert src.read_bytes() == before


def test_options_and_config_that_cannot_run_say_why_in_one_line(tmp_path: Path) -> None:
    record = tmp_path / "data" / "record.json"
    record.parent.mkdir()
    record.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    _one_line_error(
        ppncheck("check", str(record), "--sample", "0", cwd=tmp_path),
        "--sample must be a number of records, at least 1",
    )
    _one_line_error(
        ppncheck("check", str(record), "--jobs", "-3", cwd=tmp_path),
        "--jobs must be auto, 0 (one per CPU) or a number of processes, not -3",
    )
    _one_line_error(
        ppncheck("check", str(record), "--jobs", "two", cwd=tmp_path),
        "--jobs must be auto, 0 (one per CPU) or a number of processes, not two",
    )

    (tmp_path / "pyproject.toml").write_text("[tool.ppncheck\n", encoding="utf-8")
    line = _one_line_error(ppncheck("check", str(record), cwd=tmp_path), "bad config")
    assert "pyproject.toml: not valid TOML" in line and "--config" in line

    (tmp_path / "pyproject.toml").write_text(
        "[tool.ppncheck]\nlate_submission_hours = nan\n", encoding="utf-8"
    )
    _one_line_error(
        ppncheck("check", str(record), cwd=tmp_path),
        "late_submission_hours must be a number of hours above 0",
    )


def test_jobs_beyond_the_cpus_are_capped_with_a_note(tmp_path: Path) -> None:
    from ppncheck.batch.runner import cpu_count

    proc = ppncheck("check", str(GOOD), "--jobs", "100000", "-f", "jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1
    cpus = cpu_count()
    assert f"--jobs 100000 is more than the {cpus} CPUs here; using {cpus}" in proc.stderr


def test_a_report_that_cannot_be_written_says_where_and_why(tmp_path: Path) -> None:
    if Path("/dev/full").exists():
        proc = ppncheck("check", str(GOOD), "--output", "/dev/full", "-f", "jsonl", cwd=tmp_path)
        _one_line_error(proc, "cannot write the report to /dev/full (No space left on device)")
    for fmt in ("jsonl", "text"):  # started with standard output closed
        proc = subprocess.run(
            [sys.executable, "-m", "ppncheck", "check", str(GOOD), "-f", fmt],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
            preexec_fn=lambda: os.close(1), timeout=600, check=False,
        )  # fmt: skip
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == (
            "ppncheck: standard output is closed; write the report with --output FILE"
        )


def test_a_feedback_folder_that_cannot_take_a_message_is_a_clear_error(tmp_path: Path) -> None:
    from ppncheck.findings import Finding, Report, Severity
    from ppncheck.read.types import InputItem
    from ppncheck.report.feedback import FeedbackError, FeedbackWriter
    from ppncheck.report.summary import Summary

    folder = tmp_path / "fb"
    writer = FeedbackWriter(folder)
    record = {"ppn_id": "P1", "officer": {"collar_number": "PC1"}}
    finding = Finding(rule_id="ETH001", severity=Severity.ERROR, message="m", field="x")
    (folder / "PC1.txt").touch()
    for n in range(2, 1_000):  # every name the writer would try is taken
        (folder / f"PC1_{n}.txt").touch()
    writer.write(InputItem(1, payload=record), Report("P1", [finding], row=1))
    with pytest.raises(FeedbackError) as info:
        writer.close(Summary())
    assert str(info.value).startswith(f"--feedback {folder}: cannot write a message (")
    assert not any(p.name.startswith(".ppncheck-spool") for p in folder.iterdir())
