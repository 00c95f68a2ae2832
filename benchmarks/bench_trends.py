"""What trends cost beyond the check: counting outcomes and writing the three outputs.

    /work/venv/bin/python benchmarks/bench_trends.py                 # 100,000 outcomes, best of 3

Checks ``--check-rows`` generated records once (``check_items``, the pipeline built first and
not timed) for the check's CPU time per note, turns their reports into outcomes, repeats those
over a year of days up to ``--outcomes``, then times ``compute_trends`` (by week, with a
training date) and writing CSV, Excel and HTML.  CPU time of this process, best of
``--repeat``; the ratio of trends to check per note is measured in the same run.  Prints the
figures and writes ``benchmarks/trends.json``.  Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _best(fn: Any, repeat: int) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return min(times), times, result


def measure(check_rows: int, outcomes: int, repeat: int) -> dict[str, Any]:
    from ppncheck.api import check_items
    from ppncheck.config import Config
    from ppncheck.read.types import InputItem
    from ppncheck.text.analysis import pipeline_for
    from ppncheck.trends import compute_trends, outcome_of, table_rows, write_trends
    from ppncheck_dev.synthetic import generate_records

    config = Config()
    pipeline_for(config)
    items = [InputItem(row=i, payload=r) for i, r in enumerate(generate_records(check_rows, 3), 1)]
    check_s, check_all, reports = _best(lambda: list(check_items(items, config=config)), repeat)
    base = [outcome_of(item, report) for item, report in zip(items, reports, strict=True)]
    start = date(2026, 1, 5)
    many = [
        replace(base[i % len(base)], submitted=start + timedelta(days=i % 364))
        for i in range(outcomes)
    ]
    training = date(2026, 7, 1)
    compute_s, compute_all, trends = _best(
        lambda: compute_trends(many, period="week", since_training=training), repeat
    )
    out: dict[str, Any] = {
        "check_rows": check_rows,
        "outcomes": outcomes,
        "repeat": repeat,
        "check_us_per_note": round(check_s / check_rows * 1e6, 1),
        "check_seconds_all": [round(s, 3) for s in check_all],
        "compute_us_per_note": round(compute_s / outcomes * 1e6, 2),
        "compute_seconds_all": [round(s, 3) for s in compute_all],
        "table_rows": sum(1 for _ in table_rows(trends)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("csv", "xlsx", "html"):
            path = Path(tmp) / f"t.{suffix}"
            s, all_s, _ = _best(lambda p=path: write_trends(trends, p), repeat)
            out[f"write_{suffix}_seconds"] = round(s, 3)
            out[f"write_{suffix}_seconds_all"] = [round(x, 3) for x in all_s]
            out[f"{suffix}_bytes"] = path.stat().st_size
    total = compute_s + sum(out[f"write_{s}_seconds"] for s in ("csv", "xlsx", "html"))
    out["trends_us_per_note"] = round(total / outcomes * 1e6, 2)
    out["trends_to_check_ratio"] = round(out["trends_us_per_note"] / out["check_us_per_note"], 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check-rows", type=int, default=500)
    parser.add_argument("--outcomes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "trends.json")
    args = parser.parse_args(argv)
    result = measure(args.check_rows, args.outcomes, args.repeat)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
