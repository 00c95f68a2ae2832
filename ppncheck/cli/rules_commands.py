"""``ppncheck rules``, ``ppncheck rules ID`` and ``ppncheck schema``: the catalogue and contract.

Both print plain text: the rule table is aligned columns that never wrap or cut an id, so it
reads the same on a terminal, in a pipe and in a file, and neither command imports more than
the catalogue or the schema needs.
"""

from __future__ import annotations

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
