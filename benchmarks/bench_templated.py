"""TPL002's two passes over a generated batch, timed on their own.

    /work/venv/bin/python benchmarks/bench_templated.py               # 5,000 records, best of 3
    /work/venv/bin/python benchmarks/bench_templated.py --rows 20000 --repeat 5

Pass 1 hashes every record's long text fields into the count sketch (``add_notes``); pass 2
finds each record's templated passages against those counts (``findings``), as
``ppncheck check`` does for every row when TPL002 runs.  Pass 2 is timed twice in each run:
hashing every record again (as before) and with the shingles pass 1 kept (as the runner does
now); the two must find the same.  CPU time of this process, best of
``--repeat`` runs, with a fresh detector each run.  Prints the figures and writes
``benchmarks/templated.json``.  Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def measure(n: int, seed: int, repeat: int) -> dict[str, Any]:
    from ppncheck.batch.templated import TemplateDetector
    from ppncheck.config import Config
    from ppncheck_dev.synthetic import generate_records

    config = Config()
    records = list(generate_records(n, seed))
    pass1: list[float] = []
    rehash: list[float] = []
    reuse: list[float] = []
    findings = 0
    for _ in range(repeat):
        detector = TemplateDetector.from_config(config)
        t0 = time.process_time()
        kept = detector.add_notes(records)
        pass1.append(time.process_time() - t0)
        # pass 2 as before: every record normalised and hashed again
        t0 = time.process_time()
        again = [detector.findings(r, config) for r in records]
        rehash.append(time.process_time() - t0)
        # pass 2 as the runner does it now: with the shingles pass 1 kept
        t0 = time.process_time()
        reused = [detector.findings(r, config, k) for r, k in zip(records, kept, strict=True)]
        reuse.append(time.process_time() - t0)
        if reused != again:
            raise SystemExit("pass 2 with kept shingles found something else")
        findings = sum(len(f) for f in reused)
    kept_bytes = sum(k.nbytes for k in kept)
    return {
        "records": n,
        "seed": seed,
        "repeat": repeat,
        "findings": findings,
        "pass1_seconds_all": [round(s, 3) for s in pass1],
        "pass2_rehash_seconds_all": [round(s, 3) for s in rehash],
        "pass2_reuse_seconds_all": [round(s, 3) for s in reuse],
        "pass1_seconds": round(min(pass1), 3),
        "pass2_rehash_seconds": round(min(rehash), 3),
        "pass2_reuse_seconds": round(min(reuse), 3),
        "pass2_reuse_to_rehash": round(min(reuse) / min(rehash), 3),
        "pass1_us_per_record": round(min(pass1) / n * 1e6, 1),
        "pass2_reuse_us_per_record": round(min(reuse) / n * 1e6, 1),
        "kept_bytes_per_record": round(kept_bytes / n, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000, help="generated records")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="keep the best of this many runs")
    parser.add_argument("--out", type=Path, default=HERE / "templated.json")
    args = parser.parse_args(argv)
    result = measure(args.rows, args.seed, args.repeat)
    result["command"] = " ".join(
        ["python", "benchmarks/bench_templated.py", *(argv or sys.argv[1:])]
    )
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{result['records']} records, {result['findings']} TPL002 findings, best of {args.repeat}"
    )
    for k in ("pass1", "pass2_rehash", "pass2_reuse"):
        print(f"  {k}: {result[k + '_seconds']:.3f} s; all runs {result[k + '_seconds_all']}")
    print(
        f"  pass 2 with pass 1's shingles / without: {result['pass2_reuse_to_rehash']};"
        f" kept {result['kept_bytes_per_record']} bytes per record"
    )
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
