"""``ppncheck train vb|aware`` and ``ppncheck evaluate``: reproduce either model, and measure
the checker on the sentence splits and on the notes corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ppncheck.cli.app import app
from ppncheck.cli.options import ConfigOption


def _fail(message: str) -> typer.Exit:
    typer.echo(f"ppncheck: {message}", err=True)
    return typer.Exit(code=2)


def _check_training_paths(data: Path, out: Path, files: dict[str, list[Path] | None]) -> None:
    """The data folder, ``--out`` and every file option (``{"--extra": [...]}``) before training."""
    if not data.is_dir():
        raise _fail(f"data folder not found: {data}")
    missing = [s for s in ("train", "dev", "test") if not (data / f"{s}.jsonl").is_file()]
    if missing:
        raise _fail(f"{data} has no {', '.join(m + '.jsonl' for m in missing)}")
    if out.exists() and not out.is_dir():
        raise _fail(f"--out is a file, not a folder: {out}")
    for option, paths in files.items():
        for path in paths or []:
            if not path.is_file():
                raise _fail(f"{option} file not found: {path}")


DataArg = Annotated[Path, typer.Argument(help="Folder with train.jsonl, dev.jsonl, test.jsonl.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder to write the model and metrics to.")]
ModelOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads this annotation at run time on Python 3.10
    typer.Option("--model", help="Model folder; default: the shipped model."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")]


ExtraOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045
    typer.Option(
        "--extra",
        metavar="FILE",
        help="More labelled training sentences (JSON lines, the data folder's format); "
        "may be repeated.",
    ),
]
NotesOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--notes",
        help="Notes corpus: choose the model-only threshold on its dev split, note by note.",
    ),
]
ExtraDevOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045
    typer.Option(
        "--extra-dev",
        metavar="FILE",
        help="More labelled sentences for choosing C and thresholds; may be repeated.",
    ),
]

train_app = typer.Typer(
    help="Train a model from labelled sentences, deterministically: vb (the victim-blaming "
    "sentence classifier) or aware (AWARE coverage without headings). Needs the train extra.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
)
app.add_typer(train_app, name="train")


@train_app.command("vb")
def train_vb(
    data: DataArg,
    out: OutOpt,
    extra: ExtraOpt = None,
    notes: NotesOpt = None,
) -> None:
    """Train the victim-blaming sentence classifier and print its test metrics."""
    from ppncheck.evaluate.notes import CorpusError
    from ppncheck.text.training_data import DataError
    from ppncheck.text.victim_blaming.train import format_metrics
    from ppncheck.text.victim_blaming.train import train as run_train

    _check_training_paths(data, out, {"--extra": extra})
    if notes is not None and not notes.is_dir():
        raise _fail(f"--notes folder not found: {notes}")
    try:
        metrics = run_train(data, out, extra=extra or [], notes_dir=notes)
    except (DataError, CorpusError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(format_metrics(metrics))
    typer.echo(f"\nmodel written to {out}")


@train_app.command("aware")
def train_aware(
    data: DataArg,
    out: OutOpt,
    extra: ExtraOpt = None,
    extra_dev: ExtraDevOpt = None,
    params: Annotated[
        Optional[Path],  # noqa: UP045 (typer reads the annotation)
        typer.Option(
            "--params",
            metavar="FILE",
            help="C and threshold per element from this file (datasets/notes/aware_params.json, "
            "chosen for whole notes writer by writer) instead of choosing them on dev.",
        ),
    ] = None,
) -> None:
    """Train the AWARE coverage model and print it against the cue lexicon on the test split."""
    from ppncheck.text.coverage_train import format_metrics
    from ppncheck.text.coverage_train import train as run_train
    from ppncheck.text.training_data import DataError

    _check_training_paths(data, out, {"--extra": extra, "--extra-dev": extra_dev})
    try:
        metrics = run_train(
            data, out, extra=extra or [], extra_dev=extra_dev or [], params_file=params
        )
    except DataError as exc:
        raise _fail(str(exc)) from None
    typer.echo(format_metrics(metrics))
    typer.echo(f"\nmodel written to {out}")


evaluate_app = typer.Typer(
    help="Measure ppncheck: on the notes corpus, or the victim-blaming sentence splits.",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("sentences")
def evaluate_sentences(data: DataArg, model: ModelOpt = None, as_json: JsonOpt = False) -> None:
    """Measure the shipped victim-blaming detector (lexicon + context + model) on the test split."""
    from ppncheck.modelfile import ModelFileError
    from ppncheck.text.training_data import DataError
    from ppncheck.text.victim_blaming.train import evaluate as run_evaluate
    from ppncheck.text.victim_blaming.train import format_metrics

    if not data.is_dir():
        raise _fail(f"data folder not found: {data}")
    if not (data / "test.jsonl").is_file():
        raise _fail(f"{data} has no test.jsonl")
    if model is not None and not model.is_dir():
        raise _fail(f"model folder not found: {model}")
    try:
        metrics = run_evaluate(data, model)
    except (DataError, ModelFileError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(
        json.dumps(metrics, indent=2, sort_keys=True) if as_json else format_metrics(metrics)
    )


CorpusArg = Annotated[
    Path, typer.Argument(help="The notes corpus folder (gold.jsonl and the notes).")
]
SplitOpt = Annotated[
    str, typer.Option("--split", help="train, dev, test (the held-out writer) or all.")
]
WriterOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads this annotation at run time on Python 3.10
    typer.Option("--writer", help="Only this writer's notes."),
]
OutJsonOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--out", help="Also write the full result (with every note) as JSON here."),
]


@evaluate_app.command("notes")
def evaluate_notes(
    corpus: CorpusArg,
    split: SplitOpt = "test",
    writer: WriterOpt = None,
    as_json: JsonOpt = False,
    out: OutJsonOpt = None,
    config_file: ConfigOption = None,
) -> None:
    """Check every note of a split as a free-text note and compare with the gold labels.

    With --config, the checks run as that config says: e.g. `vb_model` set to a model
    retrained with the force's reviewed labels, to see whether they helped."""
    from ppncheck.config import Config, ConfigError, load_config_file
    from ppncheck.evaluate.notes import CorpusError, format_table, load_corpus
    from ppncheck.evaluate.notes import evaluate_notes as run

    if not corpus.is_dir():
        raise _fail(f"corpus folder not found: {corpus}")
    try:
        records = load_corpus(corpus, split, writer)
    except CorpusError as exc:
        raise _fail(str(exc)) from None
    try:
        config = load_config_file(config_file) if config_file is not None else Config()
    except ConfigError as exc:
        raise _fail(f"bad config: {exc}") from None
    result = run(records, config)
    result["split"] = split
    if out is not None:
        out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if as_json:
        summary = {k: v for k, v in result.items() if k != "notes"}
        typer.echo(json.dumps(summary, indent=2, sort_keys=True))
    else:
        typer.echo(format_table(result, f"ppncheck on the notes corpus, split {split}"))
