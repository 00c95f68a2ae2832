"""The typer application object; command modules register on it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="ppncheck",
    help="Quality-check police Public Protection Notices (PPNs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
