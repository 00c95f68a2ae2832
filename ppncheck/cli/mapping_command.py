"""``ppncheck init-mapping EXPORT``: write a starting column mapping from an export's header."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ppncheck.cli.app import app


def _fail(message: str) -> typer.Exit:
    typer.echo(f"ppncheck: {message}", err=True)
    return typer.Exit(code=2)


@app.command("init-mapping")
def init_mapping_command(
    export: Annotated[
        Path,
        typer.Argument(metavar="EXPORT", help="A CSV or XLSX export; only its header is read."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the mapping here, not to standard output.",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="XLSX sheet (default: the first).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing output file.")
    ] = False,
) -> None:
    """Guess a column mapping (TOML) from an export's header, to edit and pass to --mapping."""
    from ppncheck.read import ReadError, read_header
    from ppncheck.read.mapping import init_mapping

    try:
        header = read_header(export, sheet=sheet)
    except ReadError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{export}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    text = init_mapping(header)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise _fail(f"{output} exists; use --force to overwrite it")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{output}: cannot be written ({exc.strerror or type(exc).__name__})") from None
    typer.echo(f"wrote {output} ({len(header)} columns)", err=True)
