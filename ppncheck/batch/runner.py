"""Check a whole export: read, check and write in chunks, optionally in several processes.

Why this shape
--------------
* **Flat memory.** Items are read lazily, grouped into chunks of ``chunk_size``, checked, and
  handed to the report sinks straight away; at most ``2 * jobs`` chunks are in flight.  No
  report or note text is kept after it is written (``Pool.imap`` is not used because its feeder
  thread drains the whole input into the task queue).
* **Same output for any ``--jobs``.** Workers only turn a chunk of items into a list of
  reports (TPL002 lookups included, against the counts of pass 1, which reach them as one
  memory-mapped file) or, in pass 1, a chunk of notes into their shingle hashes; everything
  order- or batch-dependent (adding up the counts, sampling, filtering, counting, writing)
  happens in the parent, in input order.
* **Spawn-safe.** The worker function and its initialiser are top-level and take picklable
  arguments, so the pool works with the ``spawn`` start method (the Windows and macOS default,
  and the one used here everywhere); each worker builds its text pipeline once.
* **Two passes when needed.** TPL002 needs counts over the whole batch and ``--sample`` needs
  the number of records, so the input is read once before checking when either is on.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice, tee
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ppncheck.batch.templated import RULE_ID as TEMPLATED
from ppncheck.batch.templated import U64, TemplateDetector
from ppncheck.config import Config
from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem, ReadNotices
from ppncheck.report.base import ReportSink
from ppncheck.report.summary import Summary

if TYPE_CHECKING:
    from ppncheck.baseline import Baseline

T = TypeVar("T")
R = TypeVar("R")
ItemSource = Callable[[], Iterator[InputItem]]
ProgressFn = Callable[[int, "int | None"], None]

DEFAULT_CHUNK = 64
SAMPLE_SEED = 20261120

# -- worker side ---------------------------------------------------------------------------

# Set once per worker process by _init_worker (and in-process for --jobs 1): the standard
# multiprocessing pattern for state that is expensive to send with every task.
_WORKER_CONFIG: Config | None = None
_WORKER_DETECTOR: TemplateDetector | None = None
_WORKER_SKETCH: str | None = None  # the counts file _WORKER_DETECTOR was loaded from
_WORKER_HASHER: TemplateDetector | None = None


_WORKER_FAILURE: Exception | None = None  # why _init_worker could not build the pipeline


def _init_worker(config: Config) -> None:
    """Pool initialiser: remember the config once per process and build the text pipeline
    (about 3 s), so that workers do it while the parent is still reading pass 1.

    A failure (a broken model) is kept and raised by the first task instead: an initialiser
    that raises makes the pool start replacement workers for ever, and the run hangs.
    """
    from ppncheck.text.analysis import pipeline_for

    global _WORKER_CONFIG, _WORKER_FAILURE
    _WORKER_CONFIG = config
    try:
        pipeline_for(config)
    except Exception as exc:
        _WORKER_FAILURE = exc


def _raise_worker_failure() -> None:
    if _WORKER_FAILURE is not None:
        raise _WORKER_FAILURE


def _hash_chunk(payloads: list[Any]) -> list[U64]:
    """Pass 1 of TPL002 in a worker: each note's shingle hashes; the parent counts them."""
    global _WORKER_HASHER
    _raise_worker_failure()
    if _WORKER_HASHER is None:
        _WORKER_HASHER = TemplateDetector.from_config(_WORKER_CONFIG or Config())
    return _WORKER_HASHER.note_hashes(payloads)


def _detector_for(sketch: str) -> TemplateDetector:
    """The batch's TPL002 counts, memory-mapped from the file the parent wrote after pass 1."""
    global _WORKER_DETECTOR, _WORKER_SKETCH
    if _WORKER_DETECTOR is None or sketch != _WORKER_SKETCH:
        detector = TemplateDetector.from_config(_WORKER_CONFIG or Config())
        detector.load_counts(Path(sketch))
        _WORKER_DETECTOR, _WORKER_SKETCH = detector, sketch
    return _WORKER_DETECTOR


def _check_chunk(items: list[InputItem], sketch: str | None = None) -> list[Report]:
    """Top-level (picklable) worker: one report per item, in order, TPL002 included."""
    from ppncheck.api import check_items

    _raise_worker_failure()
    config = _WORKER_CONFIG or Config()
    reports = list(check_items(items, config=config))
    detector = _detector_for(sketch) if sketch is not None else _WORKER_DETECTOR
    if detector is not None:
        for item, report in zip(items, reports, strict=True):
            if item.error is None:
                report.findings.extend(detector.findings(item.payload, config))
    return reports


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, where the OS tells), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def chunked(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


def _in_order(
    pool: Any, fn: Callable[..., R], tasks: Iterable[tuple[Any, ...]], jobs: int
) -> Iterator[R]:
    """``fn(*task)`` for every task on ``pool``, results in task order, at most ``2 * jobs``
    tasks in flight (``Pool.imap`` is not used: its feeder thread drains the whole input)."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(pool.apply_async(fn, task))
        if len(pending) >= 2 * jobs:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


@contextmanager
def _workers(jobs: int, config: Config) -> Iterator[Any]:
    """A spawn pool of ``jobs`` checker processes, or None for ``jobs <= 1``.

    One pool serves both passes: the workers build their pipelines while they hash pass 1's
    notes, and the batch's TPL002 counts reach them as a memory-mapped file, not as a pickled
    copy per worker.
    """
    jobs = min(jobs, cpu_count())  # more workers than CPUs only cost memory and start-up
    if jobs <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(config,)) as pool:
        yield pool


def check_chunks(
    chunks: Iterable[list[InputItem]],
    *,
    config: Config,
    pool: Any = None,
    jobs: int = 1,
    detector: TemplateDetector | None = None,
    sketch: Path | None = None,
) -> Iterator[tuple[list[InputItem], list[Report]]]:
    """Each chunk with its reports, in input order, in-process or on ``pool`` (``jobs``
    workers).  TPL002 uses ``detector`` in-process and the counts file ``sketch`` on the pool."""
    if pool is None:
        global _WORKER_CONFIG, _WORKER_DETECTOR
        _WORKER_CONFIG, _WORKER_DETECTOR = config, detector
        try:
            for chunk in chunks:
                yield chunk, _check_chunk(chunk)
        finally:
            _WORKER_CONFIG = _WORKER_DETECTOR = None
        return
    path = None if sketch is None else str(sketch)
    chunks_a, chunks_b = tee(chunks)
    tasks = ((chunk, path) for chunk in chunks_a)
    yield from zip(chunks_b, _in_order(pool, _check_chunk, tasks, jobs), strict=True)


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
    baseline: Baseline | None = None,
) -> Summary:
    """Check every item ``source()`` yields and write each to every sink, in input order.

    ``source`` is called once per pass, so it must return a fresh iterator each time.  The
    returned summary's ``failing`` says whether any record reached the fail level.  Findings
    that ``baseline`` dismissed are left out before anything is counted, failed or written.
    """
    opts = options or BatchOptions()
    jobs = max(1, min(opts.jobs, cpu_count()))
    summary = Summary(fail_level=config.fail_level, min_level=config.min_level)
    check_config = replace(config, min_level=Severity.INFO)  # filter here, after fail counting
    # the pool closes (and unmaps the counts file) before the directory is removed
    with tempfile.TemporaryDirectory() as tmp, _workers(jobs, check_config) as pool:
        detector = TemplateDetector.from_config(config) if templated_active(config) else None
        total: int | None = None
        if detector is not None or opts.sample is not None:
            total = _first_pass(source, detector, pool, jobs)
        sketch = None
        if detector is not None and pool is not None:
            sketch = Path(tmp) / "tpl002-counts.npy"
            detector.save_counts(sketch)

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
            pool=pool,
            jobs=jobs,
            detector=detector,
            sketch=sketch,
        ):
            for item, report in zip(chunk, reports, strict=True):
                if report.row is None:
                    report.row = item.row
                if baseline is not None:
                    report = baseline.apply(item.payload, report)
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
    if baseline is not None:
        ran_templated = templated_active(config)

        def rule_checked(rule_id: str) -> bool:
            return config.is_selected(rule_id) and (rule_id != TEMPLATED or ran_templated)

        summary.baseline = baseline.outcome(rule_checked)
    for sink in sinks:
        sink.close(summary)
    return summary


_PASS_ONE_CHUNK = 512


def _first_pass(source: ItemSource, detector: TemplateDetector | None, pool: Any, jobs: int) -> int:
    """Count the items and, with ``detector``, fill its TPL002 counts; returns the count.

    On a pool the workers hash the notes (the costly half) and the parent only adds the
    hashes up, in input order, so the counts are the same for any ``--jobs``.
    """
    total = 0
    chunks = chunked(source(), _PASS_ONE_CHUNK)
    if detector is None:
        return sum(len(chunk) for chunk in chunks)
    if pool is None:
        for chunk in chunks:
            total += len(chunk)
            detector.add_notes(item.payload for item in chunk if item.error is None)
        return total
    sizes: deque[int] = deque()

    def tasks() -> Iterator[tuple[list[Any]]]:
        for chunk in chunks:
            sizes.append(len(chunk))
            yield ([item.payload for item in chunk if item.error is None],)

    for hashes in _in_order(pool, _hash_chunk, tasks(), jobs):
        total += sizes.popleft()
        detector.add_hashes(hashes)
    return total


def _reaches(findings: Iterable[Finding], level: Severity) -> bool:
    return any(f.severity.rank >= level.rank for f in findings)


def _at_least(findings: list[Finding], level: Severity) -> list[Finding]:
    if level is Severity.INFO:
        return findings
    return [f for f in findings if f.severity.rank >= level.rank]
