"""Check a whole export: read, check and write in chunks, optionally in several processes.

Why this shape
--------------
* **Flat memory.** Items are read lazily, grouped into chunks of ``chunk_size``, checked, and
  handed to the report sinks straight away; at most ``2 * jobs`` chunks are in flight.  No
  report or note text is kept after it is written (``Pool.imap`` is not used because its feeder
  thread drains the whole input into the task queue).
* **Same output for any ``--jobs``.** Workers only turn a chunk of items into a list of
  reports (TPL002 lookups included, against counts the parent made in pass 1 and sent to each
  worker once); everything order- or batch-dependent (pass 1, sampling, filtering, counting,
  writing) happens in the parent, in input order.
* **Spawn-safe.** The worker function and its initialiser are top-level and take picklable
  arguments, so the pool works with the ``spawn`` start method (the Windows and macOS default,
  and the one used here everywhere); each worker builds its text pipeline once.
* **Two passes when needed.** TPL002 needs counts over the whole batch and ``--sample`` needs
  the number of records, so the input is read once before checking when either is on.
"""

from __future__ import annotations

import multiprocessing
import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, TypeVar

from ppncheck.batch.templated import TemplateDetector
from ppncheck.config import Config
from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem, ReadNotices
from ppncheck.report.base import ReportSink
from ppncheck.report.summary import Summary

T = TypeVar("T")
ItemSource = Callable[[], Iterator[InputItem]]
ProgressFn = Callable[[int, "int | None"], None]

DEFAULT_CHUNK = 64
SAMPLE_SEED = 20261120

# -- worker side ---------------------------------------------------------------------------

# Set once per worker process by _init_worker (and in-process for --jobs 1): the standard
# multiprocessing pattern for state that is expensive to send with every task.
_WORKER_CONFIG: Config | None = None
_WORKER_DETECTOR: TemplateDetector | None = None


def _init_worker(config: Config, detector: TemplateDetector | None = None) -> None:
    """Pool initialiser: remember the config (and the batch's TPL002 counts) once per process."""
    global _WORKER_CONFIG, _WORKER_DETECTOR
    _WORKER_CONFIG = config
    _WORKER_DETECTOR = detector
    _check_chunk([])  # import the checker and let it build what it caches


def _check_chunk(items: list[InputItem]) -> list[Report]:
    """Top-level (picklable) worker: one report per item, in order, TPL002 included."""
    from ppncheck.api import check_items

    config = _WORKER_CONFIG or Config()
    reports = list(check_items(items, config=config))
    if _WORKER_DETECTOR is not None:
        for item, report in zip(items, reports, strict=True):
            if item.error is None:
                report.findings.extend(_WORKER_DETECTOR.findings(item.payload, config))
    return reports


def chunked(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


def check_chunks(
    chunks: Iterable[list[InputItem]],
    *,
    config: Config,
    jobs: int = 1,
    detector: TemplateDetector | None = None,
) -> Iterator[tuple[list[InputItem], list[Report]]]:
    """Each chunk with its reports, in input order, using ``jobs`` processes.

    ``detector`` (pass 1 of TPL002, already filled) is sent to each worker once, so that the
    per-note TPL002 lookups run in parallel with the rest of the check.
    """
    if jobs <= 1:
        global _WORKER_CONFIG, _WORKER_DETECTOR
        _WORKER_CONFIG, _WORKER_DETECTOR = config, detector
        try:
            for chunk in chunks:
                yield chunk, _check_chunk(chunk)
        finally:
            _WORKER_CONFIG = _WORKER_DETECTOR = None
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(config, detector)) as pool:
        pending: deque[tuple[list[InputItem], Any]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.apply_async(_check_chunk, (chunk,))))
            if len(pending) >= 2 * jobs:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()


# -- parent side ---------------------------------------------------------------------------


@dataclass
class BatchOptions:
    """What a run was asked for, beyond the config."""

    jobs: int = 1
    sample: int | None = None
    sample_seed: int = SAMPLE_SEED
    chunk_size: int = DEFAULT_CHUNK


def templated_active(config: Config) -> bool:
    """TPL002 costs a pass over the input: run it only when it can be reported or fail."""
    if not config.is_selected("TPL002"):
        return False
    from ppncheck.catalogue import catalogue

    sev = config.severity_for("TPL002", catalogue().get("TPL002").severity)
    return sev.rank >= min(config.min_level.rank, config.fail_level.rank)


def run_batch(
    source: ItemSource,
    sinks: Sequence[ReportSink],
    *,
    config: Config,
    options: BatchOptions | None = None,
    progress: ProgressFn | None = None,
    notices: ReadNotices | None = None,
) -> Summary:
    """Check every item ``source()`` yields and write each to every sink, in input order.

    ``source`` is called once per pass, so it must return a fresh iterator each time.  The
    returned summary's ``failing`` says whether any record reached the fail level.
    """
    opts = options or BatchOptions()
    summary = Summary(fail_level=config.fail_level, min_level=config.min_level)
    check_config = replace(config, min_level=Severity.INFO)  # filter here, after fail counting

    detector = None
    total: int | None = None
    if templated_active(config) or opts.sample is not None:
        detector = TemplateDetector.from_config(config) if templated_active(config) else None
        total = 0
        for chunk in chunked(source(), 512):
            total += len(chunk)
            if detector is not None:
                detector.add_notes(item.payload for item in chunk if item.error is None)

    wanted: set[int] | None = None
    if opts.sample is not None and total is not None and opts.sample < total:
        wanted = set(random.Random(opts.sample_seed).sample(range(total), opts.sample))
        summary.sample_size = opts.sample
        summary.sample_seed = opts.sample_seed
    elif opts.sample is not None:
        summary.sample_size = total
        summary.sample_seed = opts.sample_seed

    def selected() -> Iterator[InputItem]:
        for index, item in enumerate(source()):
            summary.rows_read += 1
            if wanted is None or index in wanted:
                yield item

    progress_total = len(wanted) if wanted is not None else total
    done = 0
    if progress:
        progress(0, progress_total)
    for chunk, reports in check_chunks(
        chunked(selected(), opts.chunk_size),
        config=check_config,
        jobs=opts.jobs,
        detector=detector,
    ):
        for item, report in zip(chunk, reports, strict=True):
            if report.row is None:
                report.row = item.row
            failed = _reaches(report.findings, config.fail_level)
            shown = Report(
                ppn_id=report.ppn_id,
                findings=_at_least(report.findings, config.min_level),
                row=report.row,
            )
            summary.add(item, shown, failed=failed)
            for sink in sinks:
                sink.write(item, shown)
        done += len(chunk)
        if progress:
            progress(done, progress_total)
    if notices is not None:
        summary.notices.extend(dict.fromkeys(notices.messages))  # each pass reports them again
    for sink in sinks:
        sink.close(summary)
    return summary


def _reaches(findings: Iterable[Finding], level: Severity) -> bool:
    return any(f.severity.rank >= level.rank for f in findings)


def _at_least(findings: list[Finding], level: Severity) -> list[Finding]:
    if level is Severity.INFO:
        return findings
    return [f for f in findings if f.severity.rank >= level.rank]
