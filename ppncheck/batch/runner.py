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
  the number of records, so the input is read once before checking when either is on.  Pass 1
  keeps each note's shingle hashes (not its text, up to ``REUSE_BYTES``) for pass 2, which
  then only looks them up.
* **Workers only where they win.** Each worker imports spaCy and builds the pipeline before
  it checks anything, so a small batch is checked in-process whatever ``jobs`` allows; see
  ``rows_for_workers``.  The rows are counted by the first pass when there is one (workers
  start once it has seen enough), else by reading ahead only that far.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import random
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from itertools import islice, tee
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ppncheck.batch.templated import RULE_ID as TEMPLATED
from ppncheck.batch.templated import NoteShingles, TemplateDetector
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
# Worker processes are started only for a batch of at least this many rows (with 2 workers;
# fewer for more, see rows_for_workers): below it, starting them costs more than they save.
# Measured on a 2-CPU machine with benchmarks/bench_jobs.py (the README gives the figures).
WORKERS_FROM_ROWS = 8000
# At most this much of pass 1's TPL002 shingles (hashes, never text; about 1.3 KB a generated
# row, so some 26,000 rows) is kept for pass 2; the rows beyond it are hashed again there.
REUSE_BYTES = 32 << 20

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


def _hash_chunk(payloads: list[Any]) -> list[NoteShingles]:
    """Pass 1 of TPL002 in a worker: each note's shingle hashes; the parent counts them."""
    global _WORKER_HASHER
    _raise_worker_failure()
    if _WORKER_HASHER is None:
        _WORKER_HASHER = TemplateDetector.from_config(_WORKER_CONFIG or Config())
    return _WORKER_HASHER.note_shingles(payloads)


def _detector_for(sketch: str) -> TemplateDetector:
    """The batch's TPL002 counts, memory-mapped from the file the parent wrote after pass 1."""
    global _WORKER_DETECTOR, _WORKER_SKETCH
    if _WORKER_DETECTOR is None or sketch != _WORKER_SKETCH:
        detector = TemplateDetector.from_config(_WORKER_CONFIG or Config())
        detector.load_counts(Path(sketch))
        _WORKER_DETECTOR, _WORKER_SKETCH = detector, sketch
    return _WORKER_DETECTOR


def _check_chunk(
    items: list[InputItem],
    sketch: str | None = None,
    shingles: Sequence[NoteShingles | None] | None = None,
) -> list[Report]:
    """Top-level (picklable) worker: one report per item, in order, TPL002 included (with
    the shingles pass 1 kept for each item, where it kept them)."""
    from ppncheck.api import check_items

    _raise_worker_failure()
    config = _WORKER_CONFIG or Config()
    reports = list(check_items(items, config=config))
    detector = _detector_for(sketch) if sketch is not None else _WORKER_DETECTOR
    if detector is not None:
        kept = shingles if shingles is not None else [None] * len(items)
        for item, report, note in zip(items, reports, kept, strict=True):
            if item.error is None:
                report.findings.extend(detector.findings(item.payload, config, note))
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


Kept = tuple[InputItem, "NoteShingles | None"]  # an item and what pass 1 kept of it


def check_chunks(
    chunks: Iterable[list[Kept]],
    *,
    config: Config,
    pool: Any = None,
    jobs: int = 1,
    detector: TemplateDetector | None = None,
    sketch: Path | None = None,
) -> Iterator[tuple[list[InputItem], list[Report]]]:
    """Each chunk's items with their reports, in input order, in-process or on ``pool``
    (``jobs`` workers).  TPL002 uses ``detector`` in-process and the counts file ``sketch`` on
    the pool, with each item's shingles from pass 1 where they were kept."""
    if pool is None:
        global _WORKER_CONFIG, _WORKER_DETECTOR
        _WORKER_CONFIG, _WORKER_DETECTOR = config, detector
        try:
            for chunk in chunks:
                items, notes = [k[0] for k in chunk], [k[1] for k in chunk]
                yield items, _check_chunk(items, None, notes)
        finally:
            _WORKER_CONFIG = _WORKER_DETECTOR = None
        return
    path = None if sketch is None else str(sketch)
    chunks_a, chunks_b = tee(chunks)
    tasks = (([k[0] for k in c], path, [k[1] for k in c]) for c in chunks_a)
    results = _in_order(pool, _check_chunk, tasks, jobs)
    for chunk, reports in zip(chunks_b, results, strict=True):
        yield [k[0] for k in chunk], reports


# -- parent side ---------------------------------------------------------------------------


@dataclass
class BatchOptions:
    """What a run was asked for, beyond the config.

    ``jobs`` is the most processes to check with (None: one per CPU); whether workers are
    started at all depends on the batch's size (``processes_for``).
    """

    jobs: int | None = None
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
    most = _most_processes(opts.jobs)
    need = rows_for_workers(most)
    if need is not None and opts.sample is not None and opts.sample < need:
        need = None  # only the sample is checked: too few rows for workers to pay
    summary = Summary(fail_level=config.fail_level, min_level=config.min_level)
    check_config = replace(config, min_level=Severity.INFO)  # filter here, after fail counting
    # the pool closes (and unmaps the counts file) before the directory is removed
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        pool: Any = None
        jobs = 1

        def start_workers() -> tuple[Any, int]:
            nonlocal pool, jobs
            pool, jobs = stack.enter_context(_workers(most, check_config)), most
            return pool, jobs

        detector = TemplateDetector.from_config(config) if templated_active(config) else None
        total: int | None = None
        kept = _KeptShingles(REUSE_BYTES)
        if detector is not None or opts.sample is not None:
            # the first pass counts the rows anyway: workers start once it has seen enough
            total = _first_pass(source, detector, kept, need, start_workers)
        elif need is not None and _has_rows(source, need):
            start_workers()
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

        def selected() -> Iterator[Kept]:
            for index, item in enumerate(source()):
                summary.rows_read += 1
                note = kept.take(index)
                if wanted is None or index in wanted:
                    yield item, note

        progress_total = len(wanted) if wanted is not None else total
        done = 0
        if progress:
            progress(0, progress_total)
        for items, reports in check_chunks(
            chunked(selected(), opts.chunk_size),
            config=check_config,
            pool=pool,
            jobs=jobs,
            detector=detector,
            sketch=sketch,
        ):
            for item, report in zip(items, reports, strict=True):
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
            done += len(items)
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


def _most_processes(jobs: int | None) -> int:
    """``jobs`` bounded by the CPUs (None: one per CPU), at least 1."""
    return cpu_count() if jobs is None else max(1, min(jobs, cpu_count()))


def rows_for_workers(processes: int) -> int | None:
    """How many rows a batch needs before ``processes`` workers pay for starting (None: never,
    one process).  Starting them costs about the same for any batch, while they save a share
    ``1 - 1/n`` of the checking, so ``n`` workers need ``WORKERS_FROM_ROWS * 0.5 / (1 - 1/n)``
    rows: the threshold measured for 2."""
    if processes <= 1:
        return None
    return math.ceil(WORKERS_FROM_ROWS * 0.5 / (1 - 1 / processes))


def _has_rows(source: ItemSource, need: int) -> bool:
    """Whether ``source`` yields at least ``need`` items (read only that far)."""
    items = source()
    try:
        return sum(1 for _ in islice(items, need)) >= need
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


class _KeptShingles:
    """Pass 1's TPL002 shingles by input position, for pass 2, up to ``budget`` bytes."""

    def __init__(self, budget: int) -> None:
        self._kept: dict[int, NoteShingles] = {}
        self._left = budget

    def keep(self, index: int, note: NoteShingles) -> None:
        size = note.nbytes
        if size <= self._left:
            self._kept[index] = note
            self._left -= size

    def take(self, index: int) -> NoteShingles | None:
        return self._kept.pop(index, None)  # pass 2 needs each once: the memory goes with it


_PASS_ONE_CHUNK = 512


def _first_pass(
    source: ItemSource,
    detector: TemplateDetector | None,
    kept: _KeptShingles,
    need: int | None,
    start_workers: Callable[[], tuple[Any, int]],
) -> int:
    """Count the items and, with ``detector``, fill its TPL002 counts; returns the count.
    Each note's shingles go into ``kept`` for pass 2.

    The first rows are hashed in this process; once ``need`` rows have been seen (never, for
    None) the workers are started and hash the rest (the costly half) while this process only
    adds the hashes up, in input order, so the counts are the same for any ``--jobs``.
    """
    total = 0
    chunks = chunked(source(), _PASS_ONE_CHUNK)

    def readable(chunk: list[InputItem], start: int) -> tuple[list[int], list[Any]]:
        pairs = [
            (start + i, item.payload)
            for i, item in enumerate(chunk)
            if item.error is None and item.payload is not None
        ]
        return [i for i, _ in pairs], [p for _, p in pairs]

    def add(indices: list[int], notes: list[NoteShingles]) -> None:
        if detector is not None:
            detector.add_shingles(notes)
            for index, note in zip(indices, notes, strict=True):
                kept.keep(index, note)

    for chunk in chunks:
        if detector is not None:
            indices, payloads = readable(chunk, total)
            add(indices, detector.note_shingles(payloads))
        total += len(chunk)
        if need is not None and total >= need:
            break
    else:
        return total  # the whole batch was read here: too small for workers
    pool, jobs = start_workers()
    if detector is None:
        return total + sum(len(chunk) for chunk in chunks)
    pending: deque[tuple[int, list[int]]] = deque()

    def tasks(start: int) -> Iterator[tuple[list[Any]]]:
        for chunk in chunks:
            indices, payloads = readable(chunk, start)
            pending.append((len(chunk), indices))
            start += len(chunk)
            yield (payloads,)

    for notes in _in_order(pool, _hash_chunk, tasks(total), jobs):
        size, indices = pending.popleft()
        total += size
        add(indices, notes)
    return total


def _reaches(findings: Iterable[Finding], level: Severity) -> bool:
    return any(f.severity.rank >= level.rank for f in findings)


def _at_least(findings: list[Finding], level: Severity) -> list[Finding]:
    if level is Severity.INFO:
        return findings
    return [f for f in findings if f.severity.rank >= level.rank]
