"""``ppncheck check PATH...``: check records, notes and whole exports.

Exit codes are a contract (ruff's): 0 when no finding reaches the fail level, 1 when one
does, 2 when the check could not run (missing file, bad config, bad mapping, bad option) --
with a one-line message on stderr and never a traceback.  Nothing on stderr ever quotes note
text: messages name files, options and counts only.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer

from ppncheck.cli.app import app
from ppncheck.cli.options import (
    ConfigOption,
    JobsError,
    JobsOption,
    MappingOption,
    QuietOption,
    parse_jobs,
)

if TYPE_CHECKING:  # imported where used: `ppncheck --help` and `rules` should not pay for them
    from ppncheck.config import Config
    from ppncheck.findings import Severity
    from ppncheck.report.base import ReportSink

FORMATS = ("text", "json", "jsonl", "csv", "html")
_SUFFIX_FORMAT = {
    ".txt": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}
_SUFFIXES_IN_WORDS = ".txt, .json, .jsonl, .csv or .html"
# suffixes users reach for that no writer produces: refused, never filled with another format
_NO_WRITER = {".xlsx": "Excel", ".xlsm": "Excel", ".xls": "Excel", ".pdf": "PDF"}
# a text report in a file or a pipe is never wrapped or cut: ids and paths stay whole
_UNWRAPPED_WIDTH = 100_000


class CommandError(Exception):
    """Could not run: the message is printed on one line and the exit code is 2."""


@app.command("check")
def check_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Files (.json .jsonl .csv .xlsx .txt) or folders of them.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text, json, jsonl, csv or html. Default: from the --output name (.txt .json "
            ".jsonl .csv .html), else text on a terminal and jsonl in a pipe.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to FILE; its name sets the format (.xlsx is refused).",
        ),
    ] = None,
    mapping: MappingOption = None,
    config_file: ConfigOption = None,
    select: Annotated[
        str | None,
        typer.Option("--select", metavar="IDS", help="Only these rule ids or prefixes (X,Y)."),
    ] = None,
    ignore: Annotated[
        str | None,
        typer.Option("--ignore", metavar="IDS", help="Also skip these rule ids or prefixes (X,Y)."),
    ] = None,
    fail_level: Annotated[
        str | None,
        typer.Option(
            "--fail-level",
            metavar="LEVEL",
            help="Exit 1 when a finding reaches this level (error).",
        ),
    ] = None,
    min_level: Annotated[
        str | None,
        typer.Option(
            "--min-level",
            metavar="LEVEL",
            help="Report findings at this level and above (info).",
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings reach the fail level.")
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option("--sample", metavar="N", help="Check a deterministic sample of N records."),
    ] = None,
    sample_seed: Annotated[
        int | None,
        typer.Option("--sample-seed", metavar="N", help="Seed for --sample.", hidden=True),
    ] = None,
    jobs: JobsOption = "auto",
    feedback: Annotated[
        Path | None,
        typer.Option(
            "--feedback",
            metavar="DIR",
            help="Write one message per officer (and the export faults for the VAT) into DIR.",
        ),
    ] = None,
    quiet: QuietOption = False,
    show_text: Annotated[
        bool,
        typer.Option("--show-text", help="Include the flagged note text in text/json/jsonl/csv."),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Leave out findings dismissed in this baseline file; report its stale entries.",
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Write this run's findings as a baseline file (keeps --baseline's reasons).",
        ),
    ] = None,
) -> None:
    """Check PPN records, notes and exports; exit 1 when a finding reaches the fail level."""
    try:
        code = _run(
            paths=paths,
            output_format=output_format,
            output=output,
            mapping=mapping,
            config_file=config_file,
            select=select,
            ignore=ignore,
            fail_level=fail_level,
            min_level=min_level,
            exit_zero=exit_zero,
            sample=sample,
            sample_seed=sample_seed,
            jobs=jobs,
            feedback=feedback,
            quiet=quiet,
            show_text=show_text,
            baseline=baseline,
            write_baseline=write_baseline,
        )
    except CommandError as exc:
        die(str(exc))
    except BrokenPipeError:
        _quiet_stdout()
        die("output closed before the report was complete")
    except _WriteFailed as exc:
        if exc.closed:
            _quiet_stdout()
        die(str(exc))
    except Exception as exc:  # a bug: still no traceback (it could quote a note), unless asked
        if os.environ.get("PPNCHECK_DEBUG"):
            raise
        die(f"internal error ({type(exc).__name__}); set PPNCHECK_DEBUG=1 to see the traceback")
    raise typer.Exit(code)


class _WriteFailed(Exception):
    """The report (or a feedback message) could not be written: disk full, closed pipe."""

    def __init__(self, message: str, *, closed: bool = False) -> None:
        super().__init__(message)
        self.closed = closed


class _GuardedStream(io.TextIOBase):
    """The report's stream, turning an OSError on write or flush (``--output /dev/full``, a
    closed pipe) into one clear message naming the destination, not an internal error."""

    def __init__(self, stream: TextIO, where: str) -> None:
        super().__init__()
        self._stream = stream
        self._where = where

    def _failed(self, exc: OSError) -> _WriteFailed:
        if isinstance(exc, BrokenPipeError):
            return _WriteFailed("output closed before the report was complete", closed=True)
        reason = exc.strerror or type(exc).__name__
        return _WriteFailed(f"cannot write the report to {self._where} ({reason})")

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._failed(exc) from None
        except ValueError:  # "I/O operation on closed file"
            raise _WriteFailed(f"{self._where} is closed", closed=True) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._failed(exc) from None
        except ValueError:
            raise _WriteFailed(f"{self._where} is closed", closed=True) from None

    def close_stream(self) -> None:
        try:
            self._stream.close()
        except OSError as exc:
            raise self._failed(exc) from None

    def isatty(self) -> bool:
        return is_terminal(self._stream)

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True


def die(message: str) -> NoReturn:
    from ppncheck.report.base import printable

    err(f"ppncheck: {printable(message)}\n")
    raise typer.Exit(2)


def err(text: str) -> None:
    """Write to stderr if there is one: a closed stderr must not turn into a traceback."""
    stream = sys.stderr
    if stream is None:
        return
    with suppress(OSError, ValueError):
        stream.write(text)
        stream.flush()


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(
    *,
    paths: list[Path],
    output_format: str | None,
    output: Path | None,
    mapping: Path | None,
    config_file: Path | None,
    select: str | None,
    ignore: str | None,
    fail_level: str | None,
    min_level: str | None,
    exit_zero: bool,
    sample: int | None,
    sample_seed: int | None,
    jobs: str,
    feedback: Path | None,
    quiet: bool,
    show_text: bool,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
) -> int:
    from ppncheck.baseline import BaselineError
    from ppncheck.batch.runner import SAMPLE_SEED, BatchOptions, cpu_count, run_batch
    from ppncheck.modelfile import ModelFileError
    from ppncheck.read import MappingError, ReadError, ReadNotices
    from ppncheck.report.feedback import FeedbackError
    from ppncheck.resources import DataFileError

    fmt = _choose_format(output_format, output)
    if sample is not None and sample < 1:
        raise CommandError(f"--sample must be a number of records, at least 1, not {sample}")
    try:
        most = parse_jobs(jobs)
    except JobsError as exc:
        raise CommandError(str(exc)) from None
    files = expand_inputs(paths)
    refuse_overwriting_an_input(output, [*files, mapping, config_file])
    files, dismissed = _baseline_options(
        baseline, write_baseline, output, files, mapping, config_file
    )
    config = load_config(files[0], config_file, select, ignore, fail_level, min_level)

    column_mapping = load_column_mapping(mapping)
    notices = ReadNotices()
    baseline_writer = None
    source = input_source(files, column_mapping, notices)

    try:
        preflight(files, column_mapping)
        with ExitStack() as stack:
            stream = _open_output(stack, output, fmt)
            sinks: list[ReportSink] = [_writer(fmt, stream, show_text)]
            if write_baseline is not None:
                from ppncheck.baseline import BaselineWriter

                # first, so that its notice is in the report's summary
                baseline_writer = BaselineWriter(write_baseline, previous=dismissed)
                sinks.insert(0, baseline_writer)
            if feedback is not None:
                from ppncheck.report.feedback import FeedbackWriter

                try:
                    sinks.append(FeedbackWriter(feedback))
                except OSError as exc:
                    raise CommandError(f"--feedback {feedback}: {exc.strerror or exc}") from None
            # a live bar and a table streaming to the same terminal would garble each other
            text_on_terminal = fmt == "text" and output is None and is_terminal(sys.stdout)
            show_progress = not quiet and is_terminal(sys.stderr) and not text_on_terminal
            cpus = cpu_count()
            if most is not None and most > cpus:
                notices.add(f"--jobs {most} is more than the {cpus} CPUs here; using {cpus}")
            options = BatchOptions(
                jobs=most,
                sample=sample,
                sample_seed=SAMPLE_SEED if sample_seed is None else sample_seed,
            )
            with ProgressBar(show_progress) as progress:
                summary = run_batch(
                    source,
                    sinks,
                    config=config,
                    options=options,
                    progress=progress,
                    notices=notices,
                    baseline=dismissed,
                )
    except (MappingError, ReadError) as exc:
        raise CommandError(str(exc)) from None
    except DataFileError as exc:  # a force's extra lexicon or heading file is invalid
        raise CommandError(f"bad data file: {exc}") from None
    except FeedbackError as exc:
        raise _WriteFailed(str(exc)) from None
    except BaselineError as exc:  # --write-baseline could not be written
        raise _WriteFailed(str(exc)) from None
    except ModelFileError as exc:
        raise CommandError(exc.explain()) from None
    summary_in_output = fmt == "text" and output is None
    if not quiet and not summary_in_output:
        from ppncheck.report.base import printable

        for notice in summary.notices:  # they name files, which may hold escape sequences
            err(f"ppncheck: note: {printable(notice)}\n")
        err(f"ppncheck: {summary.line()}\n")
    if not quiet and baseline_writer is not None:
        from ppncheck.report.base import printable

        where = printable(str(write_baseline))
        err(f"ppncheck: wrote {baseline_writer.written} baseline entries to {where}\n")
    if exit_zero:
        return 0
    return 1 if summary.failing else 0


def load_column_mapping(mapping: Path | None) -> Any:
    """The ``--mapping`` file, loaded and validated; a bad one stops the run (exit 2)."""
    from ppncheck.read import MappingError, load_mapping
    from ppncheck.resources import DataFileError

    if mapping is None:
        return None
    try:
        return load_mapping(mapping)
    except (DataFileError, MappingError) as exc:
        raise CommandError(f"bad mapping: {exc}") from None
    except OSError as exc:
        raise CommandError(
            f"bad mapping: {mapping}: {exc.strerror or type(exc).__name__}"
        ) from None


def input_source(
    files: list[Path], column_mapping: Any, notices: Any
) -> Callable[[], Iterator[Any]]:
    """The batch runner's item source over ``files``: a fresh iterator on every call."""
    from ppncheck.read import read_path

    def source() -> Iterator[Any]:
        for path in files:
            yield from read_path(path, mapping=column_mapping, notices=notices)

    return source


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files to read, in the order given; a folder stands for its readable files, sorted."""
    from ppncheck.read import SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                raise CommandError(f"{path}: no {', '.join(SUFFIXES)} files in this folder")
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise CommandError(
                    f"{path}: unknown file type; expected one of {', '.join(SUFFIXES)}"
                )
            files.append(path)
        else:
            raise CommandError(f"{path}: no such file or folder")
    return files


def refuse_overwriting_an_input(output: Path | None, inputs: list[Path | None]) -> None:
    """Opening ``--output`` truncates it: it must not be a file this run reads."""
    if output is None:
        return
    for path in inputs:
        if path is not None and _same_file(output, path):
            raise CommandError(
                f"--output {output} is one of the inputs; write the report to another file"
            )


def _baseline_options(
    baseline: Path | None,
    write_baseline: Path | None,
    output: Path | None,
    files: list[Path],
    mapping: Path | None,
    config_file: Path | None,
) -> tuple[list[Path], Any]:
    """The inputs without the baseline file (a folder may hold it), and the baseline read
    and validated before anything is checked; ``--write-baseline`` must not replace an input
    or the report, and its folder must exist."""
    from ppncheck.baseline import Baseline, BaselineError

    dismissed = None
    if baseline is not None:
        try:
            dismissed = Baseline.load(baseline)
        except BaselineError as exc:
            raise CommandError(f"bad baseline: {exc}") from None
        files = [f for f in files if not _same_file(f, baseline)]
        if not files:
            raise CommandError(f"--baseline {baseline} is the only input; give the export to check")
    if write_baseline is not None:
        for path in [*files, mapping, config_file, output]:
            if path is not None and _same_file(write_baseline, path):
                what = "the report" if path is output else "one of the inputs"
                raise CommandError(
                    f"--write-baseline {write_baseline} is {what}; choose another file"
                )
        if not write_baseline.parent.is_dir():
            raise CommandError(f"--write-baseline {write_baseline}: no such folder")
        if write_baseline.is_dir():
            raise CommandError(f"--write-baseline {write_baseline} is a folder; give a file name")
    return files, dismissed


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _choose_format(output_format: str | None, output: Path | None) -> str:
    """The report format: --format, else the --output file's suffix, else text on a terminal
    and JSON lines in a pipe.  A file is never written in a format its name contradicts."""
    fmt = None
    if output_format is not None:
        fmt = output_format.strip().lower()
        if fmt not in FORMATS:
            raise CommandError(
                f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}"
            )
    if output is None:
        return fmt or ("text" if is_terminal(sys.stdout) else "jsonl")
    suffix = output.suffix.lower()
    if suffix in _NO_WRITER:
        raise CommandError(
            f"--output {output.name}: ppncheck cannot write {_NO_WRITER[suffix]} files; "
            "use .csv (it opens in Excel), .html, .json, .jsonl or .txt"
        )
    implied = _SUFFIX_FORMAT.get(suffix)
    if fmt is None:
        if implied is None:
            raise CommandError(
                f"--output {output.name}: cannot tell the report format from its name; "
                f"end it in {_SUFFIXES_IN_WORDS}, or give --format"
            )
        return implied
    if implied is not None and implied != fmt:
        raise CommandError(
            f"--format {fmt} does not match --output {output.name}, whose name asks for "
            f"{implied}; drop --format or rename the file"
        )
    return fmt


def _level(option: str, value: str | None) -> Severity | None:
    from ppncheck.findings import Severity

    if value is None:
        return None
    try:
        return Severity.parse(value)
    except ValueError:
        raise CommandError(f"{option} must be info, warning or error, not {value!r}") from None


def _rule_list(option: str, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    from ppncheck.catalogue import catalogue

    items = tuple(x.strip().upper() for x in value.split(",") if x.strip())
    if not items:
        raise CommandError(f"{option} needs at least one rule id or prefix")
    ids = catalogue().ids()
    bad = [x for x in items if x != "ALL" and not any(r.startswith(x) for r in ids)]
    if bad:
        raise CommandError(f"{option}: no rule matches {', '.join(bad)} (see `ppncheck rules`)")
    return items


def load_config(
    first_input: Path,
    config_file: Path | None,
    select: str | None,
    ignore: str | None,
    fail_level: str | None,
    min_level: str | None,
) -> Config:
    from ppncheck.config import Config, ConfigError, discover_config, load_config_file

    try:
        if config_file is not None:
            if not config_file.is_file():
                raise CommandError(f"--config {config_file}: no such file")
            config = load_config_file(config_file)
        else:
            found = discover_config(first_input)
            config = load_config_file(found) if found else Config()
    except ConfigError as exc:
        raise CommandError(f"bad config: {exc}") from None
    selected = _rule_list("--select", select)
    ignored = _rule_list("--ignore", ignore)
    return config.with_overrides(
        select=selected,
        ignore=(config.ignore + ignored) if ignored else None,
        fail_level=_level("--fail-level", fail_level),
        min_level=_level("--min-level", min_level),
    )


def preflight(files: list[Path], column_mapping: Any) -> None:
    """Open each file and read its first record, so a bad header or mapping stops the run
    before any output is written."""
    from ppncheck.read import ReadNotices, read_path

    for path in files:
        items = read_path(path, mapping=column_mapping, notices=ReadNotices())
        next(iter(items), None)
        close = getattr(items, "close", None)
        if close is not None:
            close()


def _open_output(stack: ExitStack, output: Path | None, fmt: str) -> TextIO:
    if output is None:
        stream = sys.stdout
        if stream is None or getattr(stream, "closed", False):  # started with stdout closed
            raise CommandError("standard output is closed; write the report with --output FILE")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with suppress(ValueError, OSError):
                if fmt != "text":
                    reconfigure(encoding="utf-8")
                else:  # a terminal that cannot show a character shows a replacement for it
                    reconfigure(errors="replace")
        return _GuardedStream(stream, "standard output")  # type: ignore[return-value]
    try:
        newline = "" if fmt == "csv" else None
        opened = output.open("w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise CommandError(f"--output {output}: {exc.strerror or type(exc).__name__}") from None
    guarded = _GuardedStream(opened, str(output))
    stack.callback(guarded.close_stream)  # the last buffered bytes may not fit either
    return guarded  # type: ignore[return-value]


def _writer(fmt: str, stream: TextIO, show_text: bool) -> ReportSink:
    if fmt == "json":
        from ppncheck.report.jsonout import JsonWriter

        return JsonWriter(stream, show_text=show_text)
    if fmt == "jsonl":
        from ppncheck.report.jsonl import JsonlWriter

        return JsonlWriter(stream, show_text=show_text)
    if fmt == "csv":
        from ppncheck.report.csvout import CsvWriter

        return CsvWriter(stream, show_text=show_text)
    if fmt == "html":
        from ppncheck.report.html import HtmlWriter

        return HtmlWriter(stream)
    from ppncheck.report.text import TextWriter

    width = None if is_terminal(stream) else _UNWRAPPED_WIDTH
    return TextWriter(stream, show_text=show_text, width=width)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """A rich progress bar on stderr showing counts only (never note text)."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Any:
        if not self._enabled:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("check", total=None)
        return self.update

    def update(self, done: int, total: int | None) -> None:
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
