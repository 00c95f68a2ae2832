"""Where worker processes start to pay, and --jobs on the 200-row example export.

    python benchmarks/bench_jobs.py                      # both parts, 3 repeats
    python benchmarks/bench_jobs.py --part example --repeat 5
    python benchmarks/bench_jobs.py --part crossover --rows 250 500 1000 2000 4000

1. **crossover**: generated CSV exports of each ``--rows`` size, checked by fresh
   ``ppncheck check`` processes with one process and with 2 workers forced on (the child sets
   ``ppncheck.batch.runner.WORKERS_FROM_ROWS = 0`` before running the CLI, so the size rule
   does not decide).  The ratio workers/one-process below 1 means the workers win; where it
   crosses 1 is what ``WORKERS_FROM_ROWS`` is set from.
2. **example**: ``examples/export/ppn_export_2026-11-20.csv`` (200 rows) with ``--jobs 1``,
   ``2``, ``0`` and ``auto``, as a user runs them.  Target: each at most 1.05x ``--jobs 1``.

Wall time of each run (``time.perf_counter`` around the child), the runs of one repeat back
to back and the repeats interleaved, so a ratio compares runs made under the same load; the
median of the per-repeat ratios is reported.  Writes ``benchmarks/jobs.json``.  Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXPORT = HERE.parent / "examples" / "export"

# The CLI in a child process, with the size rule switched off when asked ("force").
_CHILD = """
import sys
if sys.argv[1] == "force":
    import ppncheck.batch.runner as runner
    runner.WORKERS_FROM_ROWS = 0
sys.argv = ["ppncheck", *sys.argv[2:]]
from ppncheck.cli import main
main()
"""


def run(csv_path: Path, mapping: Path, jobs: str, *, force: bool = False) -> float:
    """Wall seconds of one fresh ``ppncheck check`` process."""
    cmd = [
        sys.executable, "-c", _CHILD, "force" if force else "rule",
        "check", str(csv_path), "--mapping", str(mapping), "--format", "jsonl",
        "--output", os.devnull, "--quiet", "--exit-zero", "--jobs", jobs,
    ]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"ppncheck exited {proc.returncode}: {proc.stderr[-500:]}")
    return wall


def crossover(sizes: list[int], repeat: int, seed: int) -> list[dict[str, Any]]:
    from ppncheck_dev.synthetic import MAPPING_TOML, write_csv

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mapping = folder / "mapping.toml"
        mapping.write_text(MAPPING_TOML, encoding="utf-8")
        for n in sizes:
            path = folder / f"export_{n}.csv"
            write_csv(path, n, seed)
            one: list[float] = []
            two: list[float] = []
            for _ in range(repeat):
                one.append(run(path, mapping, "1"))
                two.append(run(path, mapping, "2", force=True))
            ratios = [b / a for a, b in zip(one, two, strict=True)]
            row = {
                "rows": n,
                "jobs1_seconds": [round(x, 2) for x in one],
                "workers2_seconds": [round(x, 2) for x in two],
                "ratio_workers_to_one": round(statistics.median(ratios), 3),
                "ratios": [round(r, 3) for r in ratios],
            }
            print(json.dumps(row), flush=True)
            out.append(row)
    return out


def example(repeat: int) -> dict[str, Any]:
    path = EXPORT / "ppn_export_2026-11-20.csv"
    mapping = EXPORT / "mapping.toml"
    settings = ["1", "2", "0", "auto"]
    times: dict[str, list[float]] = {s: [] for s in settings}
    for _ in range(repeat):
        for s in settings:
            times[s].append(run(path, mapping, s))
    result: dict[str, Any] = {"rows": 200, "seconds": {}, "ratio_to_jobs1": {}}
    for s in settings:
        ratios = [t / base for t, base in zip(times[s], times["1"], strict=True)]
        result["seconds"][s] = [round(x, 2) for x in times[s]]
        result["ratio_to_jobs1"][s] = round(statistics.median(ratios), 3)
    result["worst_ratio"] = max(result["ratio_to_jobs1"].values())
    result["target_met"] = result["worst_ratio"] <= 1.05
    print(json.dumps(result), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["both", "crossover", "example"], default="both")
    parser.add_argument("--rows", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "jobs.json")
    args = parser.parse_args(argv)

    from ppncheck.batch.runner import WORKERS_FROM_ROWS, cpu_count

    results: dict[str, Any] = {}
    if args.out.exists():  # one part at a time keeps the other's figures
        results = json.loads(args.out.read_text(encoding="utf-8"))
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": cpu_count(),
        "platform": platform.platform(),
    }
    results["workers_from_rows"] = WORKERS_FROM_ROWS
    command = " ".join(["python", "benchmarks/bench_jobs.py", *(argv or sys.argv[1:])])
    if args.part in ("both", "crossover"):
        # earlier commands' runs are kept beside this one's (each ratio comes from one run)
        before = results.get("crossover", {})
        earlier = [
            dict(r, command=r.get("command", before.get("command"))) for r in before.get("rows", [])
        ]
        rows = [dict(r, command=command) for r in crossover(args.rows, args.repeat, args.seed)]
        rows = earlier + rows
        results["crossover"] = {"rows": sorted(rows, key=lambda r: r["rows"])}  # stable: runs
        # of one size stay in the order they were made
    if args.part in ("both", "example"):
        results["example"] = {"command": command, **example(args.repeat)}
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
