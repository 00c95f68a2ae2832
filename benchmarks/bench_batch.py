"""Batch benchmarks for issue 5: speed against bare spaCy, peak memory, and --jobs speed-up.

    /work/venv/bin/python benchmarks/bench_batch.py                 # 10k notes + 100k memory run
    /work/venv/bin/python benchmarks/bench_batch.py --big 0         # skip the 100k run
    /work/venv/bin/python benchmarks/bench_batch.py --repeat 3      # best of 3 (shared machines)

What is measured (all on fictional notes from ``ppncheck_dev.synthetic``):

1. **Speed ratio.** Notes per second of the full check (``ppncheck.api.check_items``: schema,
   rules, the spaCy pipeline and the victim-blaming model) on N generated records, against a
   bare ``spacy.blank("en")`` + ``sentencizer`` pass over exactly the texts the checker
   analyses, in the same process and run.  Both are warmed up first.
2. **Peak memory.** ``ru_maxrss`` of a fresh ``ppncheck check export.csv --mapping ... --format
   jsonl -o /dev/null`` process (the CLI path: read CSV, TPL002 pass, check, write) for N and
   for the big row count; streaming means the two should be close.
3. **--jobs 2 speed-up.** Wall time of the same CLI run with ``--jobs 1`` and ``--jobs 2``.

Prints a table and writes ``benchmarks/results.json``.  Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

_CHILD = """
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
print(rc, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _texts_of(records: list[dict[str, Any]]) -> list[str]:
    """The free-text fields the checker sends through spaCy, in the same order."""
    from ppncheck.shape import all_text_fields

    out = []
    for record in records:
        for path, text in all_text_fields(record):
            if path in (
                "circumstances",
                "rationale",
                "actions_taken",
                "supervisor_review.comments",
            ) or (path.startswith("voice_of_child[") and ".aware." in path):
                out.append(text)
    return [t for t in out if t.strip()]


def speed(n: int, seed: int, repeat: int = 1) -> dict[str, Any]:
    import spacy

    from ppncheck.api import check_items
    from ppncheck.read.types import InputItem
    from ppncheck_dev.synthetic import generate_records

    records = list(generate_records(n, seed))
    items = [InputItem(row=i, payload=r) for i, r in enumerate(records, start=1)]
    texts = _texts_of(records)

    warm = list(generate_records(64, seed + 1))
    list(check_items([InputItem(row=i, payload=r) for i, r in enumerate(warm, 1)]))
    bare = spacy.blank("en")
    bare.add_pipe("sentencizer")
    list(bare.pipe(_texts_of(warm)))

    bare_all, full_all = [], []
    for _ in range(repeat):  # interleaved, so a slow spell of a shared machine hits both
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=256):
            pass
        bare_all.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        findings = sum(len(r.findings) for r in check_items(items))
        full_all.append(time.perf_counter() - t0)
    bare_s, full_s = min(bare_all), min(full_all)
    return {
        "repeat": repeat,
        "bare_spacy_seconds_all": [round(x, 3) for x in bare_all],
        "full_check_seconds_all": [round(x, 3) for x in full_all],
        "notes": n,
        "texts": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "findings": findings,
        "bare_spacy_seconds": round(bare_s, 3),
        "bare_spacy_notes_per_second": round(n / bare_s, 1),
        "full_check_seconds": round(full_s, 3),
        "full_check_notes_per_second": round(n / full_s, 1),
        "ratio_full_to_bare": round(bare_s / full_s, 3),
    }


def cli_run(csv_path: Path, mapping: Path, jobs: int) -> dict[str, Any]:
    """Wall time and peak RSS of one fresh CLI process (its workers' RSS are separate)."""
    cmd = [
        sys.executable, "-m", "ppncheck", "check", str(csv_path), "--mapping", str(mapping),
        "--format", "jsonl", "--output", os.devnull, "--quiet", "--exit-zero", "--jobs", str(jobs),
    ]  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *cmd], capture_output=True, text=True, check=True
    )
    rc, wall, maxrss_kb = proc.stdout.split()
    if rc != "0":
        raise SystemExit(f"ppncheck exited {rc}: {proc.stderr[-500:]}")
    return {
        "jobs": jobs,
        "seconds": round(float(wall), 2),
        "peak_rss_mb": round(int(maxrss_kb) / 1024, 1),
    }


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run's time, the largest peak memory of any run, and every run's time."""
    return {
        "jobs": runs[0]["jobs"],
        "seconds": min(r["seconds"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "seconds_all": [r["seconds"] for r in runs],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="notes for speed and memory")
    parser.add_argument("--big", type=int, default=100_000, help="rows for the big memory run")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time the speed and --jobs measures this many times (interleaved) and keep the best",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    from ppncheck_dev.synthetic import MAPPING_TOML, write_csv

    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "command": " ".join(["python", "benchmarks/bench_batch.py", *(argv or sys.argv[1:])]),
    }

    def save() -> None:  # after every stage, so a long big run still leaves figures behind
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    print(f"speed: {args.rows} notes ...", flush=True)
    results["speed"] = speed(args.rows, args.seed, args.repeat)
    save()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mapping = folder / "mapping.toml"
        mapping.write_text(MAPPING_TOML, encoding="utf-8")
        small = folder / f"export_{args.rows}.csv"
        write_csv(small, args.rows, args.seed)
        print(f"cli: {args.rows} rows, --jobs 1 and 2 ...", flush=True)
        runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for jobs in (1, 2):
                runs[jobs].append(cli_run(small, mapping, jobs))
        one, two = (_best(runs[jobs]) for jobs in (1, 2))
        results["cli_small"] = {"rows": args.rows, "jobs1": one, "jobs2": two}
        results["jobs2_speedup"] = round(one["seconds"] / two["seconds"], 2)
        save()
        print(json.dumps(results["cli_small"]), flush=True)
        if args.big:
            big = folder / f"export_{args.big}.csv"
            write_csv(big, args.big, args.seed)
            print(f"cli: {args.big} rows, --jobs 1 (memory) ...", flush=True)
            results["cli_big"] = {"rows": args.big, "jobs1": cli_run(big, mapping, 1)}
            results["memory_ratio_big_to_small"] = round(
                results["cli_big"]["jobs1"]["peak_rss_mb"] / one["peak_rss_mb"], 3
            )

    save()
    _print_table(results)
    print(f"written: {args.out}")
    return 0


def _print_table(r: dict[str, Any]) -> None:
    s = r["speed"]
    one, two = r["cli_small"]["jobs1"], r["cli_small"]["jobs2"]
    rows = [
        ("notes checked (speed)", f"{s['notes']} ({s['texts']} texts, {s['words']} words)"),
        ("bare spaCy blank+sentencizer", f"{s['bare_spacy_notes_per_second']} notes/s"),
        ("full check (api.check_items)", f"{s['full_check_notes_per_second']} notes/s"),
        ("ratio full / bare", f"{s['ratio_full_to_bare']} (target >= 0.25)"),
        (
            f"CLI {r['cli_small']['rows']} rows --jobs 1",
            f"{one['seconds']} s, peak {one['peak_rss_mb']} MB",
        ),
        (
            f"CLI {r['cli_small']['rows']} rows --jobs 2",
            f"{two['seconds']} s, largest process peak {two['peak_rss_mb']} MB",
        ),
        ("--jobs 2 speed-up", f"{r['jobs2_speedup']}x (target >= 1.6)"),
    ]
    if "cli_big" in r:
        big = r["cli_big"]
        rows.append(
            (
                f"CLI {big['rows']} rows --jobs 1",
                f"{big['jobs1']['seconds']} s, peak {big['jobs1']['peak_rss_mb']} MB",
            )
        )
        rows.append(
            ("peak memory big / small", f"{r['memory_ratio_big_to_small']} (target <= 1.2)")
        )
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    raise SystemExit(main())
