"""``ppncheck rules``, ``ppncheck rules ID`` and ``ppncheck schema``: the catalogue and contract."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from ppncheck.catalogue import catalogue
from ppncheck.cli.app import app
from ppncheck.validate.schema import schema_text


@app.command("rules")
def rules_command(
    rule: str = typer.Argument(
        None, help="A rule id (ETH001) for its page, or a prefix (ETH) to filter."
    ),
) -> None:
    """List the rules, or show one rule's documentation."""
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
    table = Table(title="ppncheck rules", show_lines=False)
    for column in ("id", "name", "severity", "summary"):
        table.add_column(column)
    for r in selected:
        table.add_row(r.id, r.name, r.severity.value, r.summary)
    Console(width=140).print(table)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the PPN record, version 1."""
    typer.echo(schema_text())
