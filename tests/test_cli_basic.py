"""The console script's contract: exit codes 0/1/2, rules, schema and version (issue 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "records"
GOOD = EXAMPLES / "good-01-domestic-abuse-two-children.json"
BAD = EXAMPLES / "bad-01-ethnicity-missing.json"


def ppncheck_cmd() -> list[str]:
    script = shutil.which("ppncheck", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ppncheck"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    return subprocess.run(
        [*ppncheck_cmd(), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_clean_record_exits_0(tmp_path: Path) -> None:
    result = run("check", str(GOOD), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data


def test_error_finding_exits_1(tmp_path: Path) -> None:
    result = run("check", str(BAD), "--format", "jsonl", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = result.stdout.strip().splitlines()
    assert [f["rule_id"] for f in json.loads(line)["findings"]] == ["ETH001", "ETH001"]


def test_fail_level_and_ignore_change_the_exit_code(tmp_path: Path) -> None:
    late = EXAMPLES / "bad-07-submitted-late.json"
    assert run("check", str(late), "--format", "jsonl", cwd=tmp_path).returncode == 0
    assert (
        run(
            "check", str(late), "--format", "jsonl", "--fail-level", "warning", cwd=tmp_path
        ).returncode
        == 1
    )
    assert (
        run("check", str(BAD), "--format", "jsonl", "--ignore", "ETH", cwd=tmp_path).returncode == 0
    )


def test_missing_file_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.json"), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1


def test_bad_config_exits_2_listing_every_problem(tmp_path: Path) -> None:
    (tmp_path / "ppncheck.toml").write_text(
        'select = ["NOPE"]\nlate_submission_hours = -1\ncolour = "red"\n', encoding="utf-8"
    )
    target = tmp_path / "record.json"
    target.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("check", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for word in ("NOPE", "late_submission_hours", "colour"):
        assert word in result.stderr


def test_config_is_discovered_from_the_input(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ppncheck]\nignore = ["ETH001"]\n', encoding="utf-8"
    )
    target = tmp_path / "record.json"
    target.write_text(BAD.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("check", str(target), "--format", "jsonl").returncode == 0


def test_rules_table_and_page() -> None:
    table = run("rules")
    assert table.returncode == 0
    for rule_id in ("PPN000", "ETH001", "AWR008", "VB001", "TPL002"):
        assert rule_id in table.stdout
    page = run("rules", "ETH001")
    assert page.returncode == 0
    assert "Why it matters" in page.stdout and "What to write instead" in page.stdout
    assert run("rules", "ZZZ").returncode == 2


def test_schema_is_valid_json_schema() -> None:
    import jsonschema

    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "sde_code" in json.dumps(schema)


def test_version() -> None:
    from ppncheck import __version__

    result = run("--version")
    assert result.returncode == 0 and __version__ in result.stdout


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "pdf", str(GOOD)]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
