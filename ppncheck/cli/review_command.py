"""``ppncheck review EXPORT``, ``ppncheck serve`` and the workbench's exports.

``review EXPORT`` (``review open EXPORT``) checks the export exactly as ``ppncheck check``
does (the batch runner and the readers), imports it into the store and serves the workbench;
``serve`` serves an existing store.  Both print the URL with its session token on one line of
standard output, and nothing else there, so scripts and tests can read it.

``review export-baseline`` writes the reviewers' dismissals as a baseline for ``ppncheck check
--baseline``; ``review export-labels`` writes their VB001 decisions as training sentences for
``ppncheck train vb --extra``.  Everything here needs the ``review`` extra, imported only when a
command runs.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ppncheck.cli.app import app
from ppncheck.cli.options import JobsError, JobsOption, MappingOption, QuietOption, parse_jobs


class _ReviewGroup(TyperGroup):
    """``review EXPORT`` stays the short form of ``review open EXPORT``: anything that is not a
    subcommand's name (a file, an option) goes to ``open``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


review_app = typer.Typer(
    cls=_ReviewGroup,
    help="The VAT's review workbench: review EXPORT checks, imports and serves an export "
    "(the same as review open EXPORT); the export-* commands write what reviewers decided.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
)
app.add_typer(review_app, name="review")

_STORE_HELP = (
    "The review store: a SQLite file (default: review.sqlite3 in the user's data folder, "
    "$XDG_DATA_HOME/ppncheck) or a SQLAlchemy URL such as postgresql+psycopg://host/db."
)


def _reviewer(name: str | None) -> str:
    if name and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "reviewer"


def _load() -> Any:
    """The review package, or a clear message naming the extra."""
    from ppncheck._extras import missing_extra

    try:
        import alembic  # noqa: F401
        import fastapi  # noqa: F401
        import jinja2  # noqa: F401
        import multipart  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise missing_extra("review", "the review workbench", exc) from None
    from ppncheck.review import store

    return store


def _open(store_arg: str | None) -> Any:
    from ppncheck.cli.check_command import die

    store_mod = _load()
    try:
        return store_mod.open_store(store_arg)
    except store_mod.StoreError as exc:
        die(str(exc))


@review_app.command("open")
def review_command(
    export: Annotated[
        Path,
        typer.Argument(
            metavar="EXPORT", help="The export to check and review (.csv .xlsx .jsonl ...)."
        ),
    ],
    mapping: MappingOption = None,
    store: Annotated[str | None, typer.Option("--store", metavar="PATH", help=_STORE_HELP)] = None,
    port: Annotated[
        int, typer.Option("--port", metavar="N", help="Port on 127.0.0.1 (0: any free port).")
    ] = 0,
    no_open: Annotated[bool, typer.Option("--no-open", help="Do not open a browser.")] = False,
    no_serve: Annotated[
        bool,
        typer.Option("--no-serve", help="Import, print where the store is and exit."),
    ] = False,
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", metavar="NAME", help="Who decisions are recorded as."),
    ] = None,
    jobs: JobsOption = "auto",
    quiet: QuietOption = False,
) -> None:
    """Check an export, import it into the review store and open the review workbench."""
    from ppncheck.cli.check_command import (
        CommandError,
        ProgressBar,
        die,
        err,
        expand_inputs,
        input_source,
        is_terminal,
        load_column_mapping,
        load_config,
        preflight,
    )
    from ppncheck.read import MappingError, ReadError, ReadNotices
    from ppncheck.resources import DataFileError

    try:
        most = parse_jobs(jobs)
    except JobsError as exc:
        die(str(exc))
    opened = _open(store)
    from ppncheck.review.importer import export_digest, import_export

    who = _reviewer(reviewer)
    try:
        files = expand_inputs([export])
        config = load_config(files[0], None, None, None, None, None)
        column_mapping = load_column_mapping(mapping)
        preflight(files, column_mapping)
        notices = ReadNotices()
        show = not quiet and is_terminal(sys.stderr)
        with ProgressBar(show) as progress:
            result = import_export(
                opened,
                input_source(files, column_mapping, notices),
                sources=[p.name for p in files],
                digest=export_digest(files, mapping, config),
                config=config,
                reviewer=who,
                jobs=most,
                progress=progress,
                notices=notices,
            )
    except CommandError as exc:
        opened.close()
        die(str(exc))
    except (MappingError, ReadError, DataFileError) as exc:
        opened.close()
        die(str(exc))
    from ppncheck.report.base import printable

    for notice in result.notices:
        err(f"ppncheck: note: {printable(notice)}\n")
    err(f"ppncheck: {result.line()}\n")
    if no_serve:  # the store's location is the one line on stdout, for scripts
        from ppncheck.review.store import describe

        typer.echo(f"review store: {describe(opened.url)}")
        opened.close()
        return
    _serve(opened, port=port, open_browser=not no_open, reviewer=who)


@app.command("serve")
def serve_command(
    store: Annotated[str | None, typer.Option("--store", metavar="PATH", help=_STORE_HELP)] = None,
    port: Annotated[
        int, typer.Option("--port", metavar="N", help="Port on 127.0.0.1 (0: any free port).")
    ] = 0,
    no_open: Annotated[bool, typer.Option("--no-open", help="Do not open a browser.")] = False,
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", metavar="NAME", help="Who decisions are recorded as."),
    ] = None,
) -> None:
    """Serve an existing review store in the review workbench."""
    _serve(_open(store), port=port, open_browser=not no_open, reviewer=_reviewer(reviewer))


def _serve(opened: Any, *, port: int, open_browser: bool, reviewer: str) -> None:
    from ppncheck.cli.check_command import die
    from ppncheck.review.server import DEFAULT_HOST, serve

    try:
        serve(opened, host=DEFAULT_HOST, port=port, reviewer=reviewer, open_browser=open_browser)
    except OSError as exc:
        die(f"cannot serve on {DEFAULT_HOST}:{port}: {exc.strerror or type(exc).__name__}")
    except KeyboardInterrupt:
        pass
    finally:
        opened.close()


@review_app.command("export-baseline")
def export_baseline_command(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The baseline file to write (JSON)."),
    ],
    store: Annotated[str | None, typer.Option("--store", metavar="PATH", help=_STORE_HELP)] = None,
) -> None:
    """Write the reviewers' dismissals (false alarm, acceptable here) as a baseline.

    The latest decision on each finding counts, with its reason, who and when;
    ppncheck check --baseline FILE then leaves those findings out until their text changes.
    A baseline holds no note text, only each finding's key.
    """
    from ppncheck.baseline import BaselineError, write_baseline
    from ppncheck.cli.check_command import die, err
    from ppncheck.report.base import printable

    opened = _open(store)
    from ppncheck.review.exports import dismissals
    from ppncheck.review.store import describe

    try:
        with opened.session() as session:
            found = dismissals(session)
        where = describe(opened.url)
        written = write_baseline(
            file, found.entries, generated_by=f"ppncheck review export-baseline ({where})"[:200]
        )
    except BaselineError as exc:
        die(str(exc))
    except OSError as exc:
        die(f"cannot write {file}: {exc.strerror or type(exc).__name__}")
    finally:
        opened.close()
    if found.unnamed:
        err(
            f"ppncheck: note: {found.unnamed} dismissals of notes without a usable ppn_id "
            "cannot be in a baseline\n"
        )
    err(f"ppncheck: wrote {written} baseline entries to {printable(str(file))}\n")


@review_app.command("export-labels")
def export_labels_command(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The labels file to write (JSON lines)."),
    ],
    store: Annotated[str | None, typer.Option("--store", metavar="PATH", help=_STORE_HELP)] = None,
) -> None:
    """Write reviewed VB001 decisions as labelled sentences for ppncheck train vb --extra FILE.

    Each row is the sentence of the stored note holding the flagged words, in the
    victim-blaming training format: accepted findings are positives (label 1), findings
    dismissed as a false alarm negatives (label 0). Findings dismissed as "acceptable here"
    are not labels: the reviewer kept wording the rule rightly found, for a reason of that
    note, which says nothing about whether the sentence blames the victim. Every row has
    source review:<store>:<date>, so training counts how many reviewed labels it used.

    FILE HOLDS NOTE TEXT (personal data): it is written readable by its owner only; keep it
    with the store, not in a shared folder. Nothing of it is printed or logged.

    The workbench records decisions on findings, not corrected AWARE elements or person
    lists, so there are no AWARE or people corrections to export.
    """
    from ppncheck.cli.check_command import die, err
    from ppncheck.report.base import printable

    opened = _open(store)
    from ppncheck.review.exports import reviewed_source, vb_labels, write_private_jsonl
    from ppncheck.review.store import describe

    try:
        with opened.session() as session:
            labels = vb_labels(session, reviewed_source(_store_name(describe(opened.url))))
        write_private_jsonl(file, labels.rows)
    except OSError as exc:
        die(f"cannot write {file}: {exc.strerror or type(exc).__name__}")
    finally:
        opened.close()
    err(f"ppncheck: {labels.line()}; no AWARE or people corrections (the workbench records none)\n")
    err(f"ppncheck: wrote them to {printable(str(file))} (note text: owner-only file)\n")


def _store_name(described: str) -> str:
    """A short name for the store in a row's source tag: its file name or database name."""
    name = described.rstrip("/").rsplit("/", 1)[-1] or "store"
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:80]
