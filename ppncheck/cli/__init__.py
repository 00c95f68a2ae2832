"""The ``ppncheck`` command line.  Exit codes are a contract: 0 clean, 1 findings at or above
the fail level, 2 could not run."""

from __future__ import annotations

import sys

import typer

from ppncheck import __version__
from ppncheck.cli import check_command, mapping_command, model_commands, rules_commands
from ppncheck.cli.app import app

__all__ = ["app", "main"]
_COMMAND_MODULES = (check_command, mapping_command, model_commands, rules_commands)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ppncheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Quality-check police Public Protection Notices (PPNs)."""


def main() -> None:
    """Console-script entry point: usage errors exit 2, never with a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("ppncheck: interrupted\n")
        sys.exit(2)
