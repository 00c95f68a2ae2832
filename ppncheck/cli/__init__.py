"""The ``ppncheck`` command line.  Exit codes are a contract: 0 clean, 1 findings at or above
the fail level, 2 could not run.

Importing this package registers the commands and nothing more: each command imports what
it runs when it runs, so ``--help``, ``--version``, ``rules`` and ``schema`` never load
spaCy, numpy or scikit-learn.
"""

from __future__ import annotations

import sys

import typer

from ppncheck._extras import MissingExtra
from ppncheck._version import __version__
from ppncheck.cli import (
    check_command,
    mapping_command,
    model_commands,
    report_commands,
    review_command,
    rules_commands,
)
from ppncheck.cli.app import app, use_plain_commands

__all__ = ["app", "main"]
_COMMAND_MODULES = (
    check_command,
    mapping_command,
    model_commands,
    report_commands,
    review_command,
    rules_commands,
)
use_plain_commands(app)


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
    except MissingExtra as exc:  # e.g. `ppncheck train` without the [train] extra
        sys.stderr.write(f"ppncheck: {exc}\n")
        sys.exit(2)
    except Exception as exc:
        from ppncheck.modelfile import ModelFileError  # only now: --help never imports it

        if not isinstance(exc, ModelFileError):
            raise
        sys.stderr.write(f"ppncheck: {exc.explain()}\n")  # a model folder is broken
        sys.exit(2)
