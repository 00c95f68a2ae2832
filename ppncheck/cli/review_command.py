"""``ppncheck review EXPORT`` and ``ppncheck serve``: the VAT review workbench.

``review`` checks the export exactly as ``ppncheck check`` does (the batch runner and the
readers), imports it into the store and serves the workbench; ``serve`` serves an existing
store.  Both print the URL with its session token on one line of standard output, and nothing
else there, so scripts and tests can read it.  They need the ``review`` extra, imported only
when they run.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ppncheck.cli.app import app

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
    from ppncheck.cli.check_command import _die

    store_mod = _load()
    try:
        return store_mod.open_store(store_arg)
    except store_mod.StoreError as exc:
        _die(str(exc))


@app.command("review")
def review_command(
    export: Annotated[
        Path,
        typer.Argument(
            metavar="EXPORT", help="The export to check and review (.csv .xlsx .jsonl ...)."
        ),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", metavar="FILE", help="Column mapping (TOML) for CSV/XLSX exports."
        ),
    ] = None,
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
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", metavar="N", help="Processes to check with.")
    ] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Check an export, import it into the review store and open the review workbench."""
    from ppncheck.cli.check_command import (
        _config,
        _die,
        _err,
        _Fail,
        _isatty,
        _preflight,
        _Progress,
        expand_inputs,
    )
    from ppncheck.read import MappingError, ReadError, ReadNotices, load_mapping, read_path
    from ppncheck.resources import DataFileError

    opened = _open(store)
    from ppncheck.review.importer import export_digest, import_export

    who = _reviewer(reviewer)
    try:
        files = expand_inputs([export])
        config = _config(files[0], None, None, None, None, None)
        column_mapping = None
        if mapping is not None:
            try:
                column_mapping = load_mapping(mapping)
            except (DataFileError, MappingError) as exc:
                raise _Fail(f"bad mapping: {exc}") from None
            except OSError as exc:
                raise _Fail(f"bad mapping: {mapping}: {exc.strerror or exc}") from None
        _preflight(files, column_mapping)
        notices = ReadNotices()

        def source() -> Iterator[Any]:
            for path in files:
                yield from read_path(path, mapping=column_mapping, notices=notices)

        show = not quiet and _isatty(sys.stderr)
        with _Progress(show) as progress:
            result = import_export(
                opened,
                source,
                sources=[p.name for p in files],
                digest=export_digest(files, mapping, config),
                config=config,
                reviewer=who,
                jobs=max(1, jobs),
                progress=progress,
                notices=notices,
            )
    except _Fail as exc:
        opened.close()
        _die(str(exc))
    except (MappingError, ReadError, DataFileError) as exc:
        opened.close()
        _die(str(exc))
    from ppncheck.report.base import printable

    for notice in result.notices:
        _err(f"ppncheck: note: {printable(notice)}\n")
    _err(f"ppncheck: {result.line()}\n")
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
    from ppncheck.cli.check_command import _die
    from ppncheck.review.server import DEFAULT_HOST, serve

    try:
        serve(opened, host=DEFAULT_HOST, port=port, reviewer=reviewer, open_browser=open_browser)
    except OSError as exc:
        _die(f"cannot serve on {DEFAULT_HOST}:{port}: {exc.strerror or type(exc).__name__}")
    except KeyboardInterrupt:
        pass
    finally:
        opened.close()
