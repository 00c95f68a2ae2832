"""Options that several commands take (``check``, ``report trends``, ``review``): declared
once, so they read and behave the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MappingOption = Annotated[
    Path | None,
    typer.Option("--mapping", metavar="FILE", help="Column mapping (TOML) for CSV/XLSX exports."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE", help="Config file (ppncheck.toml or pyproject.toml)."),
]
JobsOption = Annotated[
    str,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N|auto",
        help=(
            "Most processes to check with (auto or 0 = one per CPU; at most one per CPU);"
            " a batch too small to gain from workers is checked in one process."
        ),
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar and no summary on stderr.")
]


class JobsError(ValueError):
    """``--jobs`` is neither auto nor a number of processes; the message says so."""


def parse_jobs(value: str) -> int | None:
    """``--jobs``: the most processes, or None for one per CPU (``auto`` or 0)."""
    if value.strip().lower() == "auto":
        return None
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise JobsError(
            f"--jobs must be auto, 0 (one per CPU) or a number of processes, not {value}"
        )
    return jobs or None
