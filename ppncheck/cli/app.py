"""The typer application object; command modules register on it.

Help is click's plain layout (``rich_markup_mode=None``): it names a value only for options
that take one (``--output FILE``), never ``<bool>`` for a flag, and it does not import typer's
rich help renderer, a tenth of a second on every ``--help``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

app = typer.Typer(
    name="ppncheck",
    help="Quality-check police Public Protection Notices (PPNs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
)


def _argument_label(param: TyperArgument) -> str:
    label = param.metavar or (param.name or "").upper()
    return f"{label}..." if param.nargs != 1 else label


class Command(TyperCommand):
    """A command whose help names an argument as users type it (``PATH...``), without the
    Python type typer adds (``paths... <list[Path]>``) or braces in the usage line.  An option
    that takes a value and names no metavar is shown with its own name (``--out OUT``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and not param.is_flag and param.metavar is None:
                param.metavar = (param.name or "value").upper()

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                label = _argument_label(param)
                pieces.append(label if param.required else f"[{label}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                args.append((_argument_label(param), record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def use_plain_commands(*typers: typer.Typer) -> None:
    """Give every registered command the ``Command`` help (unless it chose its own class)."""
    for t in typers:
        for info in t.registered_commands:
            if info.cls in (None, TyperCommand):
                info.cls = Command
        for group in t.registered_groups:
            if group.typer_instance is not None:
                use_plain_commands(group.typer_instance)
