"""``ppncheck report trends EXPORT...``: PPN quality over time, for oversight.

The exports are checked by the same batch runner as ``ppncheck check`` (same config, mapping,
readers and ``--jobs``); only each note's outcome is kept (``ppncheck.trends``), never its
text.  Exit codes: 0 written, 2 could not run (one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ppncheck.cli.app import app
from ppncheck.cli.check_command import (
    CommandError,
    ProgressBar,
    die,
    err,
    expand_inputs,
    input_source,
    is_terminal,
    load_column_mapping,
    load_config,
    preflight,
    refuse_overwriting_an_input,
)
from ppncheck.cli.options import (
    ConfigOption,
    JobsError,
    JobsOption,
    MappingOption,
    QuietOption,
    parse_jobs,
)

report_app = typer.Typer(
    help="Reports over whole exports (trends over time).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
)
app.add_typer(report_app, name="report")


@report_app.command("trends")
def trends_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="EXPORT",
            help="Exports (.csv .xlsx .jsonl .json) or folders of them, e.g. several weeks'.",
            show_default=False,
        ),
    ],
    out: Annotated[
        list[Path],
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write the trends to FILE: .html (charts and tables), .csv or .xlsx. "
            "Give it more than once to write several from one check.",
            show_default=False,
        ),
    ],
    mapping: MappingOption = None,
    period: Annotated[
        str,
        typer.Option("--period", metavar="PERIOD", help="week (ISO weeks) or month."),
    ] = "month",
    team: Annotated[
        str | None,
        typer.Option(
            "--team",
            metavar="NAME",
            help="Only this team's notes and officers (a line manager's view).",
        ),
    ] = None,
    since_training: Annotated[
        str | None,
        typer.Option(
            "--since-training",
            metavar="YYYY-MM-DD",
            help="Compare each team's rules before this date with on or after it.",
        ),
    ] = None,
    min_level: Annotated[
        str | None,
        typer.Option(
            "--min-level",
            metavar="LEVEL",
            help="Count findings at this level and above (info; warning leaves out TPL002).",
        ),
    ] = None,
    config_file: ConfigOption = None,
    jobs: JobsOption = "auto",
    quiet: QuietOption = False,
) -> None:
    """Check exports and write PPN quality over time by team, officer and rule."""
    from ppncheck.modelfile import ModelFileError

    try:
        _run(paths, out, mapping, period, team, since_training, min_level, config_file, jobs, quiet)
    except CommandError as exc:
        die(str(exc))
    except ModelFileError as exc:
        die(exc.explain())
    except Exception as exc:  # a bug: no traceback (it could quote a note), unless asked
        if os.environ.get("PPNCHECK_DEBUG"):
            raise
        die(f"internal error ({type(exc).__name__}); set PPNCHECK_DEBUG=1 to see the traceback")


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--since-training must be a date as YYYY-MM-DD, not {value!r}"
        ) from None


def _run(
    paths: list[Path],
    outs: list[Path],
    mapping: Path | None,
    period: str,
    team: str | None,
    since_training: str | None,
    min_level: str | None,
    config_file: Path | None,
    jobs: str,
    quiet: bool,
) -> None:
    from ppncheck.batch.runner import BatchOptions, run_batch
    from ppncheck.read import MappingError, ReadError, ReadNotices
    from ppncheck.resources import DataFileError
    from ppncheck.trends import OUTPUT_SUFFIXES, PERIODS, OutcomeSink, compute_trends
    from ppncheck.trends import write_trends as write

    period = period.strip().lower()
    if period not in PERIODS:
        raise CommandError(f"--period must be week or month, not {period!r}")
    training = _parse_day(since_training)
    if team is not None and not team.strip():
        raise CommandError("--team needs a team name")
    for out in outs:
        if out.suffix.lower() not in OUTPUT_SUFFIXES:
            raise CommandError(
                f"--out {out.name}: cannot tell the output from its name; end it in "
                + ", ".join(OUTPUT_SUFFIXES)
            )
    try:
        most = parse_jobs(jobs)
    except JobsError as exc:
        raise CommandError(str(exc)) from None
    files = expand_inputs(paths)
    for out in outs:
        refuse_overwriting_an_input(out, [*files, mapping, config_file])
    config = load_config(files[0], config_file, None, None, None, min_level)
    column_mapping = load_column_mapping(mapping)
    notices = ReadNotices()
    source = input_source(files, column_mapping, notices)

    sink = OutcomeSink()
    try:
        preflight(files, column_mapping)
        with ProgressBar(not quiet and is_terminal(sys.stderr)) as progress:
            summary = run_batch(
                source,
                [sink],
                config=config,
                options=BatchOptions(jobs=most),
                progress=progress,
                notices=notices,
            )
    except (MappingError, ReadError) as exc:
        raise CommandError(str(exc)) from None
    except DataFileError as exc:
        raise CommandError(f"bad data file: {exc}") from None

    trends = compute_trends(sink.outcomes, period=period, team=team, since_training=training)
    if team is not None and trends.notes == 0 and trends.unreadable == 0:
        found = sorted({o.team for o in sink.outcomes if not o.unreadable})
        raise CommandError(
            f"--team {team!r}: no note in the exports is from that team; teams: " + ", ".join(found)
        )
    for out in outs:
        try:
            write(trends, out)
        except OSError as exc:
            raise CommandError(f"--out {out}: {exc.strerror or type(exc).__name__}") from None
    if not quiet:
        from ppncheck.report.base import printable

        for notice in summary.notices:
            err(f"ppncheck: note: {printable(notice)}\n")
        err(f"ppncheck: {summary.line()}\n")
        err(
            f"ppncheck: trends for {printable(trends.scope)}: {trends.notes} notes in "
            f"{len(trends.periods())} periods, {trends.undated} undated, "
            f"{trends.unreadable} unreadable; wrote {', '.join(str(o) for o in outs)}\n"
        )
