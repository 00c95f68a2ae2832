"""The batch runner: streaming, order, nothing lost, sampling, gates, and --jobs equivalence."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ppncheck.batch.runner import BatchOptions, chunked, run_batch
from ppncheck.config import Config
from ppncheck.findings import Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.jsonl import JsonlWriter
from ppncheck.report.summary import Summary

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "records"


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


GOOD = _example("good-01-domestic-abuse-two-children")
BAD = _example("bad-01-ethnicity-missing")


def _items(n: int, *, broken: set[int] = frozenset()) -> list[InputItem]:  # type: ignore[assignment]
    items = []
    for row in range(1, n + 1):
        if row in broken:
            items.append(
                InputItem(row=row, error="the row has 31 cells, the header 30", source="x")
            )
            continue
        record = copy.deepcopy(GOOD if row % 3 else BAD)
        record["ppn_id"] = f"PPN-RUN-{row:05d}"
        items.append(InputItem(row=row, payload=record, source="x"))
    return items


class _Collect:
    def __init__(self) -> None:
        self.seen: list[tuple[InputItem, Report]] = []
        self.summary: Summary | None = None

    def write(self, item: InputItem, report: Report) -> None:
        self.seen.append((item, report))

    def close(self, summary: Summary) -> None:
        self.summary = summary


def test_every_item_once_in_input_order_with_unreadable_rows_kept() -> None:
    items = _items(60, broken={1, 37, 60})
    sink = _Collect()
    summary = run_batch(lambda: iter(items), [sink], config=Config())
    assert [r.row for _, r in sink.seen] == list(range(1, 61))
    assert [i.row for i, _ in sink.seen] == list(range(1, 61))
    for item, report in sink.seen:
        if item.error:
            assert report.ppn_id is None
            assert [f.rule_id for f in report.findings] == ["PPN000"]
        else:
            assert report.ppn_id == item.payload["ppn_id"]
            assert "PPN000" not in report.rule_ids
    assert (summary.rows_read, summary.checked, summary.unreadable) == (60, 57, 3)
    assert sink.summary is summary


def test_reading_is_lazy_and_writing_starts_before_the_input_is_exhausted() -> None:
    pulled = 0
    pulled_at_first_write: list[int] = []

    def source() -> Iterator[InputItem]:
        nonlocal pulled
        for item in _items(80):
            pulled += 1
            yield item

    class _Probe(_Collect):
        def write(self, item: InputItem, report: Report) -> None:
            if not pulled_at_first_write:
                pulled_at_first_write.append(pulled)
            super().write(item, report)

    probe = _Probe()
    # TPL002 off, no sample and one process (no count of the rows to decide on workers): a
    # single pass, so nothing is read ahead of the chunk being checked
    run_batch(
        source,
        [probe],
        config=Config(ignore=("TPL002",)),
        options=BatchOptions(jobs=1, chunk_size=16),
    )
    assert pulled == 80
    assert pulled_at_first_write == [16]
    assert len(probe.seen) == 80


def test_two_passes_when_templated_wording_is_on() -> None:
    calls = 0

    def source() -> Iterator[InputItem]:
        nonlocal calls
        calls += 1
        yield from _items(10)

    one = BatchOptions(jobs=1)  # no count of the rows to decide on workers
    run_batch(source, [_Collect()], config=Config(), options=one)
    assert calls == 2
    calls = 0
    run_batch(source, [_Collect()], config=Config(ignore=("TPL",)), options=one)
    assert calls == 1


def test_min_level_filters_what_is_reported_not_what_fails() -> None:
    late = copy.deepcopy(GOOD)
    late["submitted_at"] = "2026-11-24T09:00:00Z"  # TIM001: a warning
    items = [InputItem(row=1, payload=late), InputItem(row=2, payload=copy.deepcopy(BAD))]
    sink = _Collect()
    config = Config(select=("TIM", "ETH"), min_level=Severity.ERROR, fail_level=Severity.WARNING)
    summary = run_batch(lambda: iter(items), [sink], config=config)
    assert sink.seen[0][1].findings == []  # the late record's warning is not reported ...
    assert summary.failing == 2  # ... but it still fails at --fail-level warning
    reported = sink.seen[1][1].findings
    assert reported and all(f.severity is Severity.ERROR for f in reported)
    assert {f.rule_id for f in reported} == {"ETH001"}
    assert summary.by_severity["warning"] == 0


def test_sample_is_deterministic_in_input_order_and_stated() -> None:
    items = _items(100)
    runs = []
    for _ in range(2):
        sink = _Collect()
        summary = run_batch(
            lambda: iter(items), [sink], config=Config(), options=BatchOptions(sample=10)
        )
        runs.append([r.row for _, r in sink.seen])
    assert runs[0] == runs[1]
    assert len(runs[0]) == 10 and runs[0] == sorted(runs[0])
    assert summary.rows_read == 100 and summary.sample_size == 10
    assert "sample of 10" in summary.line() and f"seed {summary.sample_seed}" in summary.line()
    other = _Collect()
    run_batch(
        lambda: iter(items),
        [other],
        config=Config(),
        options=BatchOptions(sample=10, sample_seed=7),
    )
    assert [r.row for _, r in other.seen] != runs[0]


def test_sample_larger_than_batch_checks_everything() -> None:
    sink = _Collect()
    run_batch(lambda: iter(_items(5)), [sink], config=Config(), options=BatchOptions(sample=50))
    assert [r.row for _, r in sink.seen] == [1, 2, 3, 4, 5]


def test_summary_counts_officers_and_teams() -> None:
    sink = _Collect()
    summary = run_batch(lambda: iter(_items(9, broken={4})), [sink], config=Config())
    assert set(summary.officers) == {
        GOOD["officer"]["collar_number"],
        BAD["officer"]["collar_number"],
    }
    assert sum(g.notes for g in summary.officers.values()) == 8
    assert sum(g.notes for g in summary.teams.values()) == 8
    data = summary.to_dict()
    assert data["rows_read"] == 9 and data["unreadable"] == 1
    assert sum(data["by_rule"].values()) == sum(data["by_severity"].values())


def _jsonl(jobs: int, items: list[InputItem]) -> str:
    out = io.StringIO()
    run_batch(
        lambda: iter(items),
        [JsonlWriter(out)],
        config=Config(),
        options=BatchOptions(jobs=jobs, chunk_size=8),
    )
    return out.getvalue()


@pytest.mark.slow
def test_jobs_two_gives_output_identical_to_jobs_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # several pass-1 chunks, so the workers' hashes are added up from more than one task
    monkeypatch.setattr("ppncheck.batch.runner._PASS_ONE_CHUNK", 8)
    monkeypatch.setattr("ppncheck.batch.runner.WORKERS_FROM_ROWS", 0)  # workers for 40 rows
    monkeypatch.setattr("ppncheck.batch.runner.cpu_count", lambda: 2)
    items = _items(40, broken={5, 24})
    single = _jsonl(1, items)
    double = _jsonl(2, items)
    assert single == double
    lines = single.splitlines()
    assert len(lines) == 40
    assert json.loads(lines[4])["findings"][0]["rule_id"] == "PPN000"
    assert any(f["rule_id"] == "TPL002" for f in json.loads(lines[0])["findings"])


def test_chunked() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []


def test_checking_leaves_the_garbage_collector_as_it_found_it() -> None:
    """check_items pauses the collector per chunk; the caller's setting must survive, including
    when the caller stops reading reports part-way."""
    import gc

    from ppncheck.api import check_many

    records = [copy.deepcopy(GOOD) for _ in range(70)]  # more than one 64-record chunk
    was = gc.isenabled()
    try:
        gc.enable()
        reports = check_many(records)
        first = next(reports)
        assert gc.isenabled() and first.ok  # paused only while a chunk is checked
        del reports
        assert len(list(check_many(records))) == 70 and gc.isenabled()
        gc.disable()
        list(check_many(records[:3]))
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_workers_need_a_batch_big_enough_to_pay_for_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ppncheck.batch import runner

    monkeypatch.setattr(runner, "WORKERS_FROM_ROWS", 100)
    assert runner.rows_for_workers(1) is None
    assert runner.rows_for_workers(2) == 100
    assert runner.rows_for_workers(4) == 67  # 4 save 3/4 of the checking, 2 only 1/2
    small = _items(60)
    assert not runner._has_rows(lambda: iter(small), 100)
    assert runner._has_rows(lambda: iter(small), 60)

    def endless() -> Iterator[InputItem]:  # the rows are counted only as far as needed
        while True:
            yield small[0]

    assert runner._has_rows(endless, 100)


@pytest.mark.parametrize("templated", [True, False])
def test_small_batches_never_start_workers(
    monkeypatch: pytest.MonkeyPatch, templated: bool
) -> None:
    from ppncheck.batch import runner

    started: list[int] = []
    workers = runner._workers

    def spy(jobs: int, config: Config) -> Any:
        started.append(jobs)
        return workers(jobs, config)

    monkeypatch.setattr(runner, "_workers", spy)
    monkeypatch.setattr(runner, "cpu_count", lambda: 2)
    monkeypatch.setattr(runner, "WORKERS_FROM_ROWS", 1000)
    config = Config() if templated else Config(ignore=("TPL",))
    for jobs in (None, 2):
        sink = _Collect()
        run_batch(lambda: iter(_items(30)), [sink], config=config, options=BatchOptions(jobs=jobs))
        assert len(sink.seen) == 30
    assert started == []
    # a sample smaller than the threshold never starts them, however big the batch
    monkeypatch.setattr(runner, "WORKERS_FROM_ROWS", 20)
    run_batch(
        lambda: iter(_items(30)),
        [_Collect()],
        config=config,
        options=BatchOptions(jobs=2, sample=10),
    )
    assert started == []


def test_pass_two_reuses_pass_ones_shingles(monkeypatch: pytest.MonkeyPatch) -> None:
    from ppncheck.batch import runner, templated

    items = _items(30, broken={7})
    calls = {"n": 0}
    normalise = templated.normalise

    def counting(text: str, **kwargs: Any) -> list[str]:
        calls["n"] += 1
        return normalise(text, **kwargs)

    monkeypatch.setattr(templated, "normalise", counting)
    reused = _jsonl(1, items)
    once = calls["n"]
    assert once > 0 and any('"TPL002"' in line for line in reused.splitlines())
    calls["n"] = 0
    monkeypatch.setattr(runner, "REUSE_BYTES", 0)  # nothing kept: pass 2 hashes again
    again = _jsonl(1, items)
    assert calls["n"] == 2 * once  # every long field normalised in both passes
    assert again == reused  # and the findings are the same
