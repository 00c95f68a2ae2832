"""``ppncheck rules``, ``ppncheck rules ID``, ``ppncheck schema`` and ``ppncheck extract``: the
catalogue, the contract, and a note read into it.

``rules`` and ``schema`` print plain text: the rule table is aligned columns that never wrap or
cut an id, so it reads the same on a terminal, in a pipe and in a file, and neither command
imports more than the catalogue or the schema needs (``extract`` loads the text pipeline only
when it runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ppncheck.cli.app import app


@app.command("rules")
def rules_command(
    rule: Annotated[
        str | None,
        typer.Argument(
            metavar="RULE",
            help="A rule id (ETH001) for its page, or a prefix (ETH) to filter.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the rules, or show one rule's documentation."""
    from ppncheck.catalogue import catalogue

    cat = catalogue()
    if rule and len(rule) == 6 and rule.upper() in cat.ids():
        typer.echo(cat.get(rule).page())
        return
    selected = cat.select([rule]) if rule else cat.rules
    if not selected:
        typer.echo(
            f"ppncheck: no rule matches {rule!r}; run 'ppncheck rules' for the list", err=True
        )
        raise typer.Exit(2)
    rows: list[tuple[str, ...]] = [("id", "name", "severity", "summary")]
    rows += [(r.id, r.name, r.severity.value, r.summary) for r in selected]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    rows.insert(1, (*("-" * w for w in widths), "-" * 7))
    lines = ["  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3] for row in rows]
    typer.echo("\n".join(lines))


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the PPN record, version 1."""
    from ppncheck.validate.schema import schema_text

    typer.echo(schema_text())


NoteArg = Annotated[Path, typer.Argument(help="A free-text note (a text file), or - for stdin.")]


@app.command("extract")
def extract_command(note: NoteArg) -> None:
    """Read a free-text note into a partial PPN record (people, ethnicity, the child's
    voice) as JSON, every value with the character span it came from."""
    import json
    import sys

    from ppncheck.api import extract

    if str(note) == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = note.read_bytes()
        except OSError as exc:
            typer.echo(f"ppncheck: cannot read {note}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        typer.echo(
            f"ppncheck: {note} is not UTF-8 text (undecodable byte at {exc.start})", err=True
        )
        raise typer.Exit(2) from None
    typer.echo(json.dumps(extract(text), indent=2, ensure_ascii=False))
