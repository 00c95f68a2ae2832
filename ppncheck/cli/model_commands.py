"""``ppncheck train`` and ``ppncheck evaluate``: reproduce and measure the victim-blaming model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ppncheck.cli.app import app


def _fail(message: str) -> typer.Exit:
    typer.echo(f"ppncheck: {message}", err=True)
    return typer.Exit(code=2)


def _check_data(data: Path) -> None:
    if not data.is_dir():
        raise _fail(f"data folder not found: {data}")
    missing = [s for s in ("train", "dev", "test") if not (data / f"{s}.jsonl").is_file()]
    if missing:
        raise _fail(f"{data} has no {', '.join(m + '.jsonl' for m in missing)}")


DataArg = Annotated[Path, typer.Argument(help="Folder with train.jsonl, dev.jsonl, test.jsonl.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder to write the model and metrics to.")]
ModelOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads this annotation at run time on Python 3.10
    typer.Option("--model", help="Model folder; default: the shipped model."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")]


@app.command()
def train(
    data: DataArg,
    out: OutOpt,
) -> None:
    """Train the victim-blaming sentence classifier deterministically and print its test metrics."""
    from ppncheck.text.victim_blaming.train import DataError, format_metrics
    from ppncheck.text.victim_blaming.train import train as run_train

    _check_data(data)
    if out.exists() and not out.is_dir():
        raise _fail(f"--out is a file, not a folder: {out}")
    try:
        metrics = run_train(data, out)
    except DataError as exc:
        raise _fail(str(exc)) from None
    typer.echo(format_metrics(metrics))
    typer.echo(f"\nmodel written to {out}")


@app.command()
def evaluate(data: DataArg, model: ModelOpt = None, as_json: JsonOpt = False) -> None:
    """Measure the shipped victim-blaming detector (lexicon + context + model) on the test split."""
    from ppncheck.text.victim_blaming.classifier import ModelError
    from ppncheck.text.victim_blaming.train import DataError, format_metrics
    from ppncheck.text.victim_blaming.train import evaluate as run_evaluate

    if not data.is_dir():
        raise _fail(f"data folder not found: {data}")
    if not (data / "test.jsonl").is_file():
        raise _fail(f"{data} has no test.jsonl")
    if model is not None and not model.is_dir():
        raise _fail(f"model folder not found: {model}")
    try:
        metrics = run_evaluate(data, model)
    except (DataError, ModelError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(
        json.dumps(metrics, indent=2, sort_keys=True) if as_json else format_metrics(metrics)
    )
