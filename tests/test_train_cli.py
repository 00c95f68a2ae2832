"""One ``ppncheck train`` for every model (issue 15): ``train vb`` and ``train aware`` write
the shipped folders again from the committed data.  The solver's last digits depend on the
CPU (an AMD EPYC gives weights up to 0.009 away from the shipped ones), so the arrays are
compared to a tolerance; the feature space, the thresholds and every reported figure exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from ppncheck.cli import app

ROOT = Path(__file__).resolve().parent.parent
AWARE = ROOT / "datasets" / "aware"
NOTES = ROOT / "datasets" / "notes"
SHIPPED = ROOT / "models" / "aware_coverage"


def test_train_aware_reproduces_the_shipped_model(tmp_path: Path) -> None:
    # the command in models/aware_coverage/MODEL.md
    args = ["train", "aware", str(AWARE), "--out", str(tmp_path / "aware")]
    args += ["--extra", str(NOTES / "aware_train.jsonl")]
    args += ["--extra", str(NOTES / "aware_dev.jsonl")]
    args += ["--params", str(NOTES / "aware_params.json")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| **macro** |" in result.output and "winner by test macro-F1: model" in result.output
    new = json.loads((tmp_path / "aware" / "manifest.json").read_text("utf-8"))
    shipped = json.loads((SHIPPED / "manifest.json").read_text("utf-8"))
    for name in ("feature_index.npy", "thresholds.npy"):  # the same features and cut-offs
        assert new["files"][name] == shipped["files"][name], name
    for name in ("weights.npy", "intercepts.npy"):  # the solver's result, to its precision
        ours, theirs = np.load(tmp_path / "aware" / name), np.load(SHIPPED / name)
        assert ours.shape == theirs.shape and np.allclose(ours, theirs, atol=0.05), name
    for key in ("hyperparameters", "test_macro_f1", "labels", "n_features"):
        assert new[key] == shipped[key], key
    metrics = (tmp_path / "aware" / "metrics.json").read_text("utf-8")
    assert metrics == (SHIPPED / "metrics.json").read_text("utf-8")


def test_train_names_a_bad_row_by_file_and_line_without_quoting_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    row = {"text": "Secret words of a note.", "labels": ["appearance"]}
    for split in ("train", "dev", "test"):
        (data / f"{split}.jsonl").write_text(json.dumps(row) + "\n", "utf-8")
    bad = tmp_path / "extra.jsonl"
    bad.write_text(json.dumps(row) + "\n" + json.dumps({**row, "labels": ["smell"]}) + "\n")
    result = CliRunner().invoke(
        app, ["train", "aware", str(data), "--out", str(tmp_path / "m"), "--extra", str(bad)]
    )
    assert result.exit_code == 2
    assert f"{bad}:2: a row needs text and labels" in result.output
    assert "Secret" not in result.output
    vb = CliRunner().invoke(app, ["train", "vb", str(data), "--out", str(tmp_path / "m")])
    assert vb.exit_code == 2 and "train.jsonl:1: a row needs text and label 0/1" in vb.output


def test_train_needs_the_model_to_train() -> None:
    result = CliRunner().invoke(app, ["train", str(AWARE), "--out", "x"])
    assert result.exit_code == 2
    assert "No such command" in result.output
