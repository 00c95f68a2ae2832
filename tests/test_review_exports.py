"""What leaves the workbench, through the real commands: dismissals as a baseline that
``ppncheck check --baseline`` honours, and VB001 decisions as training sentences."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ppncheck.cli import app
from ppncheck.config import Config
from ppncheck.read import ReadNotices, read_path
from ppncheck.review import queries
from ppncheck.review.exports import is_reviewed
from ppncheck.review.importer import export_digest, import_export
from ppncheck.review.store import FindingRow, Note, Store, open_store

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "examples" / "records"
# a sentence the checker flags (lexicon) and the reviewer accepts, one it flags and the
# reviewer calls a false alarm, one "acceptable here"
EXTRA_RATIONALE = " She is very streetwise for her age."
EXTRA_ACTIONS = " Daisy was making poor choices again tonight."


def _record(name: str, ppn_id: str) -> dict[str, Any]:
    record = json.loads((RECORDS / name).read_text(encoding="utf-8"))
    record["ppn_id"] = ppn_id
    return record


def _records() -> list[dict[str, Any]]:
    late = _record("bad-07-submitted-late.json", "P-07")
    late["rationale"] += EXTRA_RATIONALE
    late["actions_taken"] += EXTRA_ACTIONS
    return [
        _record("bad-01-ethnicity-missing.json", "P-01"),
        _record("bad-12-victim-blaming-and-unrecorded-children.json", "P-12"),
        late,
        _record("good-01-domestic-abuse-two-children.json", "P-G1"),
    ]


@pytest.fixture
def loaded(tmp_path: Path) -> Any:
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    store = open_store(tmp_path / "review.sqlite3")
    cfg = Config()
    import_export(
        store,
        lambda: read_path(export, notices=ReadNotices()),
        sources=[export.name],
        digest=export_digest([export], None, cfg),
        config=cfg,
    )
    yield store, export
    store.close()


def _finding(store: Store, ppn_id: str, rule: str, field: str | None = None) -> FindingRow:
    with store.session() as s:
        query = (
            select(FindingRow)
            .join(Note, Note.id == FindingRow.note_id)
            .where(Note.ppn_id == ppn_id, FindingRow.rule_id == rule)
        )
        if field is not None:
            query = query.where(FindingRow.field == field)
        row = s.scalars(query).first()
    assert row is not None
    return row


def _decide(store: Store, row: FindingRow, decision: str, reason: str = "", who: str = "") -> None:
    with store.session() as s, s.begin():
        queries.decide(s, row.id, decision, reason, who or "dc-ames")


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result


def _found(export: Path, *options: str) -> set[tuple[str, str, str | None, int | None]]:
    out = _cli("check", str(export), "--format", "jsonl", "--quiet", *options).stdout
    return {
        (r["ppn_id"], f["rule_id"], f["field"], f["start"])
        for r in map(json.loads, out.splitlines())
        for f in r["findings"]
    }


def _where(row: FindingRow, ppn_id: str) -> tuple[str, str, str | None, int | None]:
    return (ppn_id, row.rule_id, row.field, row.start)


def test_exported_dismissals_are_exactly_what_check_leaves_out(loaded: Any, tmp_path: Path) -> None:
    store, export = loaded
    false_alarm = _finding(store, "P-12", "VB001")
    acceptable = _finding(store, "P-01", "ETH001")
    accepted = _finding(store, "P-07", "TIM001")
    reopened = _finding(store, "P-07", "VB001", "actions_taken")
    changed_mind = _finding(store, "P-12", "CHD001")
    _decide(store, false_alarm, "false_alarm", who="DC Ames")
    _decide(store, acceptable, "acceptable_here", "recorded on the linked PPN", "PS Khan")
    _decide(store, accepted, "accept")
    _decide(store, reopened, "false_alarm")
    _decide(store, reopened, "reopen")
    _decide(store, changed_mind, "acceptable_here", "thought so")
    _decide(store, changed_mind, "accept")

    baseline = tmp_path / "dismissed.json"
    result = _cli(
        "review", "export-baseline", str(baseline), "--store", str(tmp_path / "review.sqlite3")
    )
    assert "wrote 2 baseline entries" in result.stderr
    document = json.loads(baseline.read_text(encoding="utf-8"))
    entries = {(e["ppn_id"], e["rule_id"]): e for e in document["entries"]}
    assert set(entries) == {("P-12", "VB001"), ("P-01", "ETH001")}
    assert entries["P-01", "ETH001"]["decision"] == "acceptable_here"
    assert entries["P-01", "ETH001"]["reason"] == "recorded on the linked PPN"
    assert entries["P-01", "ETH001"]["by"] == "PS Khan"
    assert entries["P-12", "VB001"]["by"] == "DC Ames" and entries["P-12", "VB001"]["at"]
    assert "going back" not in baseline.read_text(encoding="utf-8")  # keys, never note text

    everything = _found(export)
    left = _found(export, "--baseline", str(baseline))
    assert everything - left == {_where(false_alarm, "P-12"), _where(acceptable, "P-01")}
    assert left <= everything


def test_exported_labels_are_the_flagged_sentences_of_decided_vb001_findings(
    loaded: Any, tmp_path: Path
) -> None:
    store, _ = loaded
    positive = _finding(store, "P-07", "VB001", "rationale")
    negative = _finding(store, "P-07", "VB001", "actions_taken")
    kept = _finding(store, "P-12", "VB001")
    _decide(store, positive, "accept")
    _decide(store, negative, "false_alarm")
    _decide(store, kept, "acceptable_here", "quoting the mother's words")
    _decide(store, _finding(store, "P-01", "ETH001"), "accept")  # not VB001: not a label

    labels = tmp_path / "labels.jsonl"
    result = _cli(
        "review", "export-labels", str(labels), "--store", str(tmp_path / "review.sqlite3")
    )
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert {(r["text"], r["label"]) for r in rows} == {
        (EXTRA_RATIONALE.strip(), 1),
        (EXTRA_ACTIONS.strip(), 0),
    }
    (pos,) = [r for r in rows if r["label"] == 1]
    assert pos["category"] == "adultification" and pos["kind"] == "reviewed"
    assert all(is_reviewed(r) and r["source"].startswith("review:review.sqlite3:") for r in rows)
    assert stat.S_IMODE(labels.stat().st_mode) == 0o600
    # counts only on stderr: no note text
    assert "1 'acceptable here' left out" in result.stderr
    assert "streetwise" not in result.stderr and "poor choices" not in result.stderr

    from ppncheck.text.victim_blaming.train import read_rows

    assert len(read_rows(labels)) == 2  # the training reader takes the file as it is


def test_review_export_still_means_review_open(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps(_records()[0]) + "\n", encoding="utf-8")
    store = tmp_path / "s.sqlite3"
    result = _cli("review", str(export), "--store", str(store), "--no-serve", "--quiet")
    assert result.stdout.strip() == f"review store: {store.resolve()}"
