"""``ppncheck check`` through the real console entry point, in a subprocess.

Exit codes are a contract (0 clean, 1 findings at the fail level, 2 could not run), stderr
never quotes note text, and every input row reaches the output once, in order.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ppncheck_dev.synthetic import COLUMNS, MAPPING_TOML, RAGGED, generate_rows

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "records"
BROKEN_ROW = 500


def ppncheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console entry point (``python -m ppncheck`` = the ``ppncheck`` script)."""
    return subprocess.run(
        [sys.executable, "-m", "ppncheck", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=900,
        check=False,
    )


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, (proc.stdout[-500:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("ppncheck: ")
    for needle in needles:
        assert needle in lines[0]
    assert proc.stdout == ""


def _late(good: dict[str, Any]) -> dict[str, Any]:
    """A clean record submitted three days late: a TIM001 warning and nothing else."""
    late = copy.deepcopy(good)
    late["ppn_id"] = "PPN-CLI-LATE"
    late["submitted_at"] = "2026-11-24T09:00:00Z"
    return late


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict[str, str]]]:
    """A 1,000-row fictional export with exactly one broken (ragged) row, and its mapping."""
    folder = tmp_path_factory.mktemp("export")
    rows = list(generate_rows(1000, 11))
    path = folder / "ppn_export.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for number, row in enumerate(rows, start=1):
            cells = [row[c] for c in COLUMNS]
            if number == BROKEN_ROW:
                cells.append("see attached")  # one cell too many
            writer.writerow(cells)
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING_TOML, encoding="utf-8")
    for row in rows:
        row.pop(RAGGED, None)
    return path, mapping, rows


# -- exit codes -------------------------------------------------------------------------------


def test_exit_0_1_and_fail_level(tmp_path: Path) -> None:
    good = _example("good-03-baby-pre-verbal")
    clean = _write_json(tmp_path / "clean.json", good)
    bad = EXAMPLES / "bad-01-ethnicity-missing.json"
    late = _write_json(tmp_path / "late.json", _late(good))

    assert ppncheck("check", str(clean), "--quiet", cwd=tmp_path).returncode == 0
    proc = ppncheck("check", str(bad), cwd=tmp_path)
    assert proc.returncode == 1
    assert "ETH001" in proc.stdout
    assert ppncheck("check", str(bad), "--exit-zero", cwd=tmp_path).returncode == 0

    # --select narrows to the timeliness rule, so other rules' judgement cannot move the result
    proc = ppncheck("check", str(late), "--format", "jsonl", "--select", "TIM", cwd=tmp_path)
    assert proc.returncode == 0  # a warning does not reach the default fail level (error)
    assert [f["rule_id"] for f in json.loads(proc.stdout)["findings"]] == ["TIM001"]
    warn = ["--select", "TIM,ETH", "--fail-level", "warning"]
    assert ppncheck("check", str(late), *warn, cwd=tmp_path).returncode == 1
    assert ppncheck("check", str(late), *warn, "--ignore", "TIM001", cwd=tmp_path).returncode == 0
    proc = ppncheck("check", str(bad), "--select", "TIM,RSK", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["findings"] == []


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["missing.json"], ["missing.json", "no such file"]),
        (["{good}", "--format", "xml"], ["--format"]),
        (["{good}", "--fail-level", "severe"], ["--fail-level"]),
        (["{good}", "--min-level", "loud"], ["--min-level"]),
        (["{good}", "--select", "ZZZ9"], ["--select", "ZZZ9"]),
        (["{good}", "--config", "nowhere.toml"], ["nowhere.toml"]),
        (["{good}", "--config", "{badconfig}"], ["bad config", "frobnicate"]),
        (["{good}", "--mapping", "{badmapping}"], ["bad mapping"]),
        (["{notes}"], ["unknown file type"]),
    ],
)
def test_exit_2_one_line_no_traceback(tmp_path: Path, args: list[str], needles: list[str]) -> None:
    good = _write_json(tmp_path / "good.json", _example("good-03-baby-pre-verbal"))
    badconfig = tmp_path / "bad.toml"
    badconfig.write_text("frobnicate = 3\nfail_level = 'loud'\n", encoding="utf-8")
    badmapping = tmp_path / "mapping.toml"
    badmapping.write_text("[[nonsense]]\nx = 1\n", encoding="utf-8")
    notes = tmp_path / "notes.docx"
    notes.write_text("x", encoding="utf-8")
    values = {"good": good, "badconfig": badconfig, "badmapping": badmapping, "notes": notes}
    argv = [a.format(**{k: str(v) for k, v in values.items()}) for a in args]
    _assert_one_line_error(ppncheck("check", *argv, cwd=tmp_path), *needles)


def test_mapping_that_does_not_fit_the_header_stops_before_output(
    tmp_path: Path, export: tuple[Path, Path, list[dict[str, str]]]
) -> None:
    path, _mapping, _rows = export
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(MAPPING_TOML.replace("PPN Ref", "Reference Number"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = ppncheck("check", str(path), "--mapping", str(wrong), "-o", str(out), cwd=tmp_path)
    _assert_one_line_error(proc)
    assert not out.exists() or out.read_text(encoding="utf-8") == ""


def test_config_is_discovered_from_the_input_folder(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    _write_json(folder / "bad.json", _example("bad-01-ethnicity-missing"))
    (folder / "ppncheck.toml").write_text('ignore = ["ETH"]\n', encoding="utf-8")
    proc = ppncheck("check", str(folder / "bad.json"), "--format", "jsonl", cwd=tmp_path)
    # without the config this record fails on ETH001 (see test_exit_0_1_and_fail_level)
    assert proc.returncode == 0, proc.stderr
    rules = {f["rule_id"] for f in json.loads(proc.stdout)["findings"]}
    assert not any(r.startswith("ETH") for r in rules)
    (folder / "ppncheck.toml").write_text("fail_level = 'loud'\n", encoding="utf-8")
    _assert_one_line_error(ppncheck("check", str(folder), cwd=tmp_path), "fail_level")


# -- a whole export: nothing lost, order kept, same output for any --jobs ----------------------


@pytest.mark.slow
def test_one_broken_row_among_1000_through_the_cli(
    tmp_path: Path, export: tuple[Path, Path, list[dict[str, str]]]
) -> None:
    path, mapping, rows = export
    proc = ppncheck("check", str(path), "--mapping", str(mapping), "--exit-zero", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()  # jsonl: stdout is not a terminal
    assert len(lines) == 1000
    docs = [json.loads(line) for line in lines]
    assert [d["row"] for d in docs] == list(range(1, 1001))
    unreadable = [d for d in docs if any(f["rule_id"] == "PPN000" for f in d["findings"])]
    assert [d["row"] for d in unreadable] == [BROKEN_ROW]
    assert unreadable[0]["ppn_id"] is None and len(unreadable[0]["findings"]) == 1
    for d, row in zip(docs, rows, strict=True):
        if d["row"] != BROKEN_ROW:
            assert d["ppn_id"] == row["PPN Ref"]
    assert "1000 rows read; 999 checked; 1 unreadable" in proc.stderr
    _assert_private(proc.stderr, rows)

    two = ppncheck(
        "check", str(path), "--mapping", str(mapping), "--exit-zero", "--jobs", "2", cwd=tmp_path
    )
    assert two.returncode == 0, two.stderr
    assert two.stdout == proc.stdout


def _assert_private(stderr: str, rows: list[dict[str, str]]) -> None:
    """stderr carries counts and file names only: no cell of the export appears in it."""
    assert all(line.startswith("ppncheck: ") for line in stderr.splitlines() if line.strip())
    cells = {v.strip() for row in rows for v in row.values() if len(v.strip()) >= 8}
    leaked = [c for c in cells if c in stderr]
    assert leaked == []


@pytest.mark.slow
def test_formats_sample_feedback_and_min_level_on_an_export(
    tmp_path: Path, export: tuple[Path, Path, list[dict[str, str]]]
) -> None:
    path, mapping, rows = export
    common = [str(path), "--mapping", str(mapping), "--sample", "60", "--exit-zero"]

    out_csv = tmp_path / "report.csv"
    fb = tmp_path / "feedback"
    proc = ppncheck("check", *common, "-o", str(out_csv), "--feedback", str(fb), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "sample of 60" in proc.stderr and "1000 rows read" in proc.stderr
    _assert_private(proc.stderr, rows)
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len({r["row"] for r in table}) == 60
    # without --show-text no cell of the export's free text reaches the CSV
    narratives = {row["Circumstances"] for row in rows if len(row["Circumstances"]) > 40}
    assert not any(n in raw.decode("utf-8-sig") for n in narratives)
    # one message per officer with a note needing work; unreadable rows go to the VAT's file
    readable = [r for r in table if r["rule_id"] != "PPN000"]
    officers = {r["officer"] for r in readable if r["severity"] in ("error", "warning")}
    files = {p.name for p in fb.iterdir()}
    expected = {f"{o}.txt" for o in officers}
    if any(r["rule_id"] == "PPN000" for r in table):
        expected.add("vat-export-faults.txt")
    assert files == expected and officers
    for name in files:
        body = (fb / name).read_text(encoding="utf-8")
        assert body.startswith("To: ")
        assert body.startswith("To: Vulnerability") == (name == "vat-export-faults.txt")

    # the same sample in JSON, errors only: the same rows, and no warning reported
    out_json = tmp_path / "report.json"
    proc = ppncheck("check", *common, "-o", str(out_json), "--min-level", "error", cwd=tmp_path)
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert sorted({r["row"] for r in doc["reports"]}) == sorted(
        int(r) for r in {r["row"] for r in table}
    )
    assert all(f["severity"] == "error" for r in doc["reports"] for f in r["findings"])
    assert doc["summary"]["sample"]["size"] == 60

    # --show-text puts the flagged words into the output
    shown = ppncheck("check", *common, "--format", "jsonl", "--show-text", cwd=tmp_path)
    spans = [
        f
        for line in shown.stdout.splitlines()
        for f in json.loads(line)["findings"]
        if f.get("start") is not None
    ]
    assert spans and all(isinstance(f["text"], str) and f["text"] for f in spans)


def test_text_format_and_folder_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write_json(folder / "b.json", _example("bad-01-ethnicity-missing"))
    _write_json(folder / "a.json", _example("good-03-baby-pre-verbal"))
    (folder / "readme.md").write_text("not an input", encoding="utf-8")
    proc = ppncheck("check", str(folder), "--format", "jsonl", "--exit-zero", cwd=tmp_path)
    assert [json.loads(x)["source"] for x in proc.stdout.splitlines()] == ["a.json", "b.json"]
    proc = ppncheck("check", str(folder), "--format", "text", cwd=tmp_path)
    assert proc.returncode == 1
    assert "ETH001" in proc.stdout and "2 rows read" in proc.stdout
    assert proc.stderr == ""  # the summary is part of the text report


def test_html_output_by_suffix(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    proc = ppncheck(
        "check", str(EXAMPLES / "bad-01-ethnicity-missing.json"), "-o", str(page), cwd=tmp_path
    )
    assert proc.returncode == 1
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "ETH001" in text
