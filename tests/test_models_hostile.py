"""Issue 18: a broken or hostile model folder is a clear error, never an internal one.

The CLI tests run a copy of the package whose model folder was damaged (the package finds
its models next to itself), so the real loading code meets a real broken file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ppncheck.batch.runner import cpu_count
from ppncheck.modelfile import ModelFileError
from ppncheck.resources import model_dir
from ppncheck.text.coverage import load_model

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "examples" / "records" / "good-01-domestic-abuse-two-children.json"


def test_coverage_manifest_cannot_name_a_file_outside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "models" / "aware_coverage"
    shutil.copytree(model_dir("aware_coverage"), folder)
    outside = tmp_path / "models" / "elsewhere.npy"
    shutil.copy(folder / "weights.npy", outside)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    for name in ("../elsewhere.npy", str(outside)):
        files = dict(manifest["files"])
        files[name] = digest  # the right checksum: only the path is wrong
        manifest_path.write_text(json.dumps({**manifest, "files": files}), "utf-8")
        with pytest.raises(ModelFileError, match="files must list exactly"):
            load_model(folder)
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    assert load_model(folder).labels[0] == "appearance"


def _package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "pkg"
    shutil.copytree(
        ROOT / "ppncheck",
        copy / "ppncheck",
        ignore=shutil.ignore_patterns("__pycache__", "_models"),
    )
    shutil.copytree(ROOT / "models", copy / "models")
    return copy


def _package_with_broken_vb_model(tmp_path: Path) -> Path:
    copy = _package_copy(tmp_path)
    array = copy / "models" / "victim_blaming" / "coef.npy"
    array.write_bytes(array.read_bytes()[:-8] + b"\0" * 8)
    return copy


def _run_copy(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    return subprocess.run(
        [sys.executable, "-m", "ppncheck", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=copy,
        timeout=600, check=False,
    )  # fmt: skip


def test_a_broken_model_stops_the_run_with_its_own_message(tmp_path: Path) -> None:
    copy = _package_with_broken_vb_model(tmp_path)
    jobs = ["1", "2"] if cpu_count() >= 2 else ["1"]
    for n in jobs:  # with a pool the workers must not be restarted for ever
        proc = _run_copy(copy, "check", str(GOOD), "-f", "jsonl", "--jobs", n)
        assert proc.returncode == 2, proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "internal error" not in lines[0]
        assert lines[0].startswith("ppncheck: the victim-blaming model cannot be used: ")
        assert "checksum mismatch" in lines[0]
        assert proc.stdout == ""


def test_a_model_for_another_version_stops_every_command_with_its_own_message(
    tmp_path: Path,
) -> None:
    copy = _package_copy(tmp_path)
    manifest_path = copy / "models" / "aware_coverage" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "format_version": 99}), "utf-8")
    note = sorted((ROOT / "tests" / "notes").glob("*.txt"))[0]
    # a record's fields never need the coverage model (it loads with the first note)
    assert _run_copy(copy, "check", str(GOOD), "-f", "jsonl").returncode == 0
    for args in (["check", str(note), "-f", "jsonl"], ["extract", str(note)]):
        proc = _run_copy(copy, *args)
        assert proc.returncode == 2, proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, proc.stderr  # no traceback
        assert lines[0].startswith("ppncheck: the AWARE coverage model cannot be used: ")
        assert "format_version 99, but this ppncheck reads 1" in lines[0]
        assert "ppncheck train aware" in lines[0]
        assert proc.stdout == ""
