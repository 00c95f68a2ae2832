"""The learning loop end to end: a synthetic export imported into a store, a reviewer's VB001
decisions, ``review export-labels``, ``ppncheck train vb --extra`` with them; and the trends
dashboard built from the store's notes after decisions.

The reviewer here follows one fixed rule (the model card's known false positives): model-only
VB001 hits are false alarms, lexicon hits are accepted.  Only the sentence test split is
measured; the notes corpus's held-out writers (w6, w8) are never read (``--notes`` chooses
thresholds on its dev writers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from ppncheck.cli import app
from ppncheck.review import queries
from ppncheck.review.app import create_app
from ppncheck.review.store import FindingRow, open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "datasets" / "victim_blaming"
NOTES = ROOT / "datasets" / "notes"


def _invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result


def _synthetic_store(tmp_path: Path) -> Path:
    from ppncheck_dev.synthetic import main as synthetic

    store = tmp_path / "review.sqlite3"
    for week, day in enumerate(("2026-11-02", "2026-11-09")):
        export, mapping = tmp_path / f"w{week}.csv", tmp_path / "mapping.toml"
        synthetic(
            [
                "--rows",
                "150",
                "--seed",
                # two exports whose notes get model-only VB001 hits from the shipped model
                # (round 9 flags fewer than round 8 did: seeds 3 and 4 now get none)
                str(6 + 2 * week),
                "--csv",
                str(export),
                "--mapping",
                str(mapping),
                "--day",
                day,
                "--officers-seed",
                "7",
            ]
        )
        _invoke(
            "review",
            str(export),
            "--mapping",
            str(mapping),
            "--store",
            str(store),
            "--no-serve",
            "--quiet",
        )
    return store


def _review_vb001(store_path: Path) -> None:
    store = open_store(store_path)
    with store.session() as s, s.begin():
        for f in list(s.scalars(select(FindingRow).where(FindingRow.rule_id == "VB001"))):
            source = json.loads(f.details or "{}").get("source")
            queries.decide(s, f.id, "false_alarm" if source == "model" else "accept", "", "vat")
    store.close()


def _flagged(model: Path | None, texts: list[str]) -> list[bool]:
    from ppncheck.resources import model_dir
    from ppncheck.text.victim_blaming.classifier import clear_model_cache, load_model
    from ppncheck.text.victim_blaming.detector import Detector
    from ppncheck.text.victim_blaming.patterns import make_tokenise
    from ppncheck.text.victim_blaming.train import _tokenizer_nlp

    clear_model_cache()
    nlp = _tokenizer_nlp()
    detector = Detector(
        nlp.vocab,
        make_tokenise(nlp.tokenizer),
        model=load_model(model or model_dir("victim_blaming")),
    )
    return [bool(r.hits) for r in detector.detect(list(nlp.pipe(texts)))]


@pytest.fixture(scope="module")
def retrained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("loop")
    store = _synthetic_store(tmp)
    _review_vb001(store)
    labels = tmp / "labels.jsonl"
    _invoke("review", "export-labels", str(labels), "--store", str(store))
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    from ppncheck.text.victim_blaming.classifier import clear_model_cache

    try:  # the README's command
        _invoke(
            "train", "vb", str(DATA), "--out", str(tmp / "vb"),
            "--extra", str(NOTES / "vb_sentences.jsonl"), "--extra", str(labels),
            "--notes", str(NOTES),
        )  # fmt: skip
    finally:
        clear_model_cache()
    metrics = json.loads((tmp / "vb" / "metrics.json").read_text(encoding="utf-8"))
    return {"rows": rows, "metrics": metrics, "model": tmp / "vb"}


@pytest.mark.slow
def test_retraining_with_exported_decisions_changes_the_verdict_on_them(
    retrained: dict[str, Any],
) -> None:
    rows = retrained["rows"]
    negatives = [r["text"] for r in rows if r["label"] == 0]
    positives = [r["text"] for r in rows if r["label"] == 1]
    assert negatives and positives
    assert all(_flagged(None, negatives))  # the shipped model flagged every false alarm
    after = _flagged(retrained["model"], negatives)
    assert not any(after)  # retrained on them, it flags none
    assert all(_flagged(retrained["model"], positives))  # accepted ones stay flagged
    manifest = json.loads((retrained["model"] / "manifest.json").read_text())
    assert manifest["training_data"]["rows_reviewed"] == len(rows)
    assert retrained["metrics"]["reviewed_labels"] == len(rows)


@pytest.mark.slow
def test_retraining_with_exported_decisions_keeps_the_sentence_test_f1(
    retrained: dict[str, Any],
) -> None:
    shipped = json.loads((ROOT / "models" / "victim_blaming" / "metrics.json").read_text())
    # no worse than the shipped model by more than 0.01 (it may be better: with the nearest
    # setting chosen on the dev notes it came out at 0.930 against the shipped 0.909)
    assert retrained["metrics"]["f1"] >= shipped["f1"] - 0.01
    # the note-level choice is on record, and when no setting met the rule the nearest one
    # was taken (with the loosened targets beside it) rather than switching the model off
    choice = json.loads((retrained["model"] / "manifest.json").read_text())["note_threshold"]
    assert retrained["metrics"]["note_threshold"]["rule_met"] == choice["rule_met"]
    assert choice["threshold"] < 0.99
    if not choice["rule_met"]:
        assert any("nearest" in c for c in choice["choices"].values())


@pytest.mark.slow
def test_a_forces_retrained_model_is_used_by_check_and_evaluate(
    retrained: dict[str, Any], tmp_path: Path
) -> None:
    """`vb_model` in a config runs the retrained model: `check` stops flagging what the
    reviewers dismissed, and `evaluate notes --config` measures it on the notes corpus (the
    README's "did our labels help?" comparison)."""
    import ppncheck
    from ppncheck.config import load_config_file
    from ppncheck.text.victim_blaming.classifier import clear_model_cache

    config_file = tmp_path / "ppncheck.toml"
    config_file.write_text(f'vb_model = "{retrained["model"].as_posix()}"\n', encoding="utf-8")
    config = load_config_file(config_file)
    dismissed = next(r["text"] for r in retrained["rows"] if r["label"] == 0)
    try:
        before = {f.rule_id for f in ppncheck.check(dismissed).findings}
        after = {f.rule_id for f in ppncheck.check(dismissed, config=config).findings}
        assert "VB001" in before and "VB001" not in after
        shipped = _invoke("evaluate", "notes", str(NOTES), "--split", "dev", "--writer", "w4",
                          "--json")  # fmt: skip
        force = _invoke("evaluate", "notes", str(NOTES), "--split", "dev", "--writer", "w4",
                        "--json", "--config", str(config_file))  # fmt: skip
    finally:
        clear_model_cache()
    for result in (shipped, force):
        figures = json.loads(result.output)["overall"]
        assert figures["notes"] == 55 and "VB001" in figures["rules"]


def test_the_dashboard_counts_the_store_after_decisions(tmp_path: Path) -> None:
    store_path = _synthetic_store(tmp_path)
    store = open_store(store_path)
    client = TestClient(create_app(store, "tok"))
    assert client.get("/trends?token=tok").status_code == 200
    page = client.get("/trends?period=week").text
    assert 'id="chart-per100"' in page and 'id="trends-data"' in page
    assert '<script src="/trends-static/chart.umd.min.js">' in page
    assert client.get("/trends-static/chart.umd.min.js").status_code == 200
    before = client.get("/trends.csv?period=week").text
    _review_vb001(store_path)  # dismissals no longer count
    after = client.get("/trends.csv?period=week").text
    assert before != after
    with store.session() as s:
        teams = queries.filter_options(s)["team"]
    team_csv = client.get("/trends.csv", params={"period": "week", "team": teams[0]}).text
    assert all(t not in team_csv for t in teams[1:])
    xlsx = client.get("/trends.xlsx?period=month")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    store.close()
