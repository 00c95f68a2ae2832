"""Every example in README.md runs as written (issue 15), so the README cannot drift.

The fenced blocks are read from the README itself: each ``python`` block runs in a fresh
interpreter and must print something, each ``ppncheck`` command line of a ``bash`` block runs
through the console script in a scratch folder holding a copy of ``examples/`` and the files
the line names (``export.csv``, ``mapping.toml``, ...), and the ``toml`` block is used as a
``pyproject.toml`` and pasted into a ``ppncheck.toml``.  A command may find problems (exit 1)
but must run (never exit 2).  What cannot run here (installing, the test suite itself) is
listed in ``NOT_RUN``; any other new command must run, or this test fails.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples"
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, re.M | re.S)

# Shell commands in the README that this test does not run, and why.
NOT_RUN = {
    "pip install .": "installing is what the test environment already did",
    'pip install ".[test]"': "the same",
    "pytest": "the test suite is what is running this",
    'pip install ".[review]"': "installing is what the test environment already did",
    "ppncheck review export.csv --mapping mapping.toml": (
        "serves until stopped: tests/test_review_browser.py runs it and drives it in chromium"
    ),
    'ppncheck serve --store review.sqlite3 --reviewer "DC Ames"': "the same",
    "ppncheck train vb datasets/victim_blaming --out vb-model"
    " --extra datasets/notes/vb_sentences.jsonl"
    " --extra labels.jsonl --notes datasets/notes": (
        "a minute of training: tests/test_review_learning.py retrains with exported labels"
    ),
    'pip install ".[train]"': "installing is what the test environment already did",
    "ppncheck train vb datasets/victim_blaming --out vb-model"
    " --extra datasets/notes/vb_sentences.jsonl --notes datasets/notes": (
        "a minute of training: tests/test_vb_model.py retrains the shipped model"
    ),
    "ppncheck train aware datasets/aware --out aware-model"
    " --extra datasets/notes/aware_train.jsonl --extra datasets/notes/aware_dev.jsonl"
    " --params datasets/notes/aware_params.json": (
        "tests/test_train_cli.py runs it and compares the files with the shipped model's"
    ),
}

# Stand-ins for the file names the README's commands use.
EXPORT = EXAMPLES / "export"


def _notes_jsonl(path: Path) -> None:
    notes = sorted((ROOT / "tests" / "notes").glob("*.txt"))[:5]
    path.write_text(
        "".join(json.dumps(n.read_text(encoding="utf-8")) + "\n" for n in notes), encoding="utf-8"
    )


def _empty_baseline(path: Path) -> None:
    from ppncheck.baseline import write_baseline

    write_baseline(path, [])


def _reviewed_store(path: Path) -> None:
    """The example export imported, each VB001 finding accepted and one finding dismissed."""
    from sqlalchemy import select

    from ppncheck.config import Config
    from ppncheck.read import ReadNotices, load_mapping, read_path
    from ppncheck.review import queries
    from ppncheck.review.importer import import_export
    from ppncheck.review.store import FindingRow, open_store

    export = EXPORT / "ppn_export_2026-11-20.csv"
    mapping = load_mapping(EXPORT / "mapping.toml")
    store = open_store(path)
    import_export(
        store,
        lambda: read_path(export, mapping=mapping, notices=ReadNotices()),
        sources=[export.name],
        digest="readme",
        config=Config(),
    )
    with store.session() as s, s.begin():
        rows = list(s.scalars(select(FindingRow).where(FindingRow.rule_id != "PPN000")))
        for f in rows:
            if f.rule_id == "VB001":
                queries.decide(s, f.id, "accept", "", "DC Ames")
        queries.decide(s, rows[0].id, "false_alarm", "", "DC Ames")
    store.close()


FIXTURES = {
    "review.sqlite3": _reviewed_store,
    "baseline.json": _empty_baseline,
    "export.csv": lambda p: shutil.copy(EXPORT / "ppn_export_2026-11-20.csv", p),
    "export.xlsx": lambda p: shutil.copy(EXPORT / "ppn_export_2026-11-20.xlsx", p),
    "mapping.toml": lambda p: shutil.copy(EXPORT / "mapping.toml", p),
    "notes.jsonl": _notes_jsonl,
}
# The force's own files named in the README's configuration block: small valid examples.
FORCE_FILES = {
    "force-vb.toml": (
        'format = 1\n[[entries]]\nid = "FORCE-VB-001"\ncategory = "choice_consent"\n'
        'patterns = ["chose to stay out all night"]\n'
    ),
    "force-headings.toml": '[elements.words]\nforms = ["child says"]\n',
    "force-placeholders.toml": 'forms = ["see storm log"]\n',
}


def _blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == language]


def _commands() -> list[str]:
    """Every shell command of the README's bash blocks (comments dropped, && split)."""
    commands = []
    for body in _blocks("bash"):
        for line in body.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            commands.extend(part.strip() for part in line.split("&&") if part.strip())
    return commands


def _ppncheck() -> list[str]:
    script = shutil.which("ppncheck", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ppncheck"]


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        argv, capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=600
    )


def _scratch(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES, work / "examples")
    (work / "datasets").symlink_to(ROOT / "datasets")  # the notes corpus, read only
    return work


def test_the_readme_has_examples_of_every_kind() -> None:
    assert len(_blocks("python")) >= 2 and _blocks("toml") and len(_commands()) >= 10
    skipped = {c for c in _commands() if not c.startswith("ppncheck ") or c in NOT_RUN}
    assert skipped == set(NOT_RUN), "a README command this test does not know how to run"


@pytest.mark.parametrize(
    "command",
    [c for c in _commands() if c.startswith("ppncheck ") and c not in NOT_RUN],
    ids=lambda c: c[:60],
)
def test_readme_command_runs(command: str, tmp_path: Path) -> None:
    work = _scratch(tmp_path)
    args = shlex.split(command)[1:]
    outputs = {args[i + 1] for i, a in enumerate(args[:-1]) if a in ("--output", "-o", "--out")}
    if args[:1] == ["review"] and args[1].startswith("export-"):
        outputs.add(args[2])  # review export-baseline / export-labels FILE
    for name, make in FIXTURES.items():
        if name in args and name not in outputs:
            make(work / name)
    proc = _run([*_ppncheck(), *args], work)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    for name in outputs:
        assert (work / name).stat().st_size > 0, name
    if "--feedback" in args:
        assert any((work / args[args.index("--feedback") + 1]).iterdir())
    if args[0] in ("rules", "schema") or not outputs:
        assert proc.stdout.strip()
    if args[:2] == ["check", "examples/records/"]:
        sources = {json.loads(line)["source"] for line in proc.stdout.splitlines()}
        assert sources == {
            p.name for p in (EXAMPLES / "records").iterdir() if p.suffix in (".json", ".jsonl")
        }


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_readme_python_block_runs(index: int, tmp_path: Path) -> None:
    work = _scratch(tmp_path)
    proc = _run([sys.executable, "-c", _blocks("python")[index]], work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), "the example shows nothing when run"


@pytest.mark.parametrize("where", ["pyproject.toml", "ppncheck.toml"])
def test_readme_config_block_works_in_either_file(where: str, tmp_path: Path) -> None:
    (block,) = _blocks("toml")
    work = _scratch(tmp_path)
    (work / where).write_text(block, encoding="utf-8")
    for name, text in FORCE_FILES.items():
        (work / name).write_text(text, encoding="utf-8")
    record = work / "examples" / "records" / "bad-07-submitted-late.json"
    proc = _run([*_ppncheck(), "check", str(record), "--format", "jsonl"], work)
    assert proc.returncode in (0, 1), proc.stderr
    (report,) = [json.loads(line) for line in proc.stdout.splitlines()]
    # the block's severity = { TIM001 = "error" } took effect: the config was read
    assert [(f["rule_id"], f["severity"]) for f in report["findings"]] == [("TIM001", "error")]
