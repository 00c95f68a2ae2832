"""The ``ppncheck`` command line.  Exit codes are a contract: 0 clean, 1 findings at or above
the fail level, 2 could not run.

Importing this package registers the commands and nothing more: each command imports what
it runs when it runs, so ``--help``, ``--version``, ``rules`` and ``schema`` never load
spaCy, numpy or scikit-learn.
"""

from __future__ import annotations

import copy
import gc
import sys

import typer
from typer.main import get_command_name

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

__all__ = ["app", "app_for", "main"]
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


def app_for(args: list[str]) -> typer.Typer:
    """``app`` with only the command that ``args`` run registered.

    Before it dispatches, typer builds every registered command (reading each signature and
    its options), about a hundredth of a second that ``ppncheck rules`` or ``check`` never
    needs.  The copy has the same settings and root callback, so the command parses, runs and
    prints its help exactly as in the whole app; ``--version`` needs no command at all.  Any
    other first argument (``--help``, none, an unknown name that click should list the
    choices for) gets the whole app.
    """
    if not args or (args[0].startswith("-") and args[0] != "--version"):
        return app
    if args[0] == "--version":
        commands, groups = [], []
    else:
        commands = [
            c
            for c in app.registered_commands
            if args[0] == (c.name or get_command_name(getattr(c.callback, "__name__", "")))
        ]
        groups = [g for g in app.registered_groups if g.name == args[0]]
        if not commands and not groups:
            return app
    light = copy.copy(app)
    light.registered_commands = commands
    light.registered_groups = groups
    return light


def main() -> None:
    """Console-script entry point: usage errors exit 2, never with a traceback.

    The process ends when this returns, so every object still alive is handed to the
    collector's permanent generation (``gc.freeze``): the collections the interpreter runs
    while it shuts down then skip them, which took about 0.1 s of every ``ppncheck check``
    (the heap holds the text pipeline with its tables and models) and more than the whole
    run of a light command.  Nothing is lost: every output is written and closed before
    (the commands close their files; standard output is flushed at exit as always), and
    ``atexit`` handlers (temporary folders, worker pools) still run.
    """
    try:
        app_for(sys.argv[1:])(standalone_mode=True)
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
    finally:
        gc.freeze()
