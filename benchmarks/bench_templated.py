"""TPL002's two passes over a generated batch, timed on their own.

    /work/venv/bin/python benchmarks/bench_templated.py               # 5,000 records, best of 3
    /work/venv/bin/python benchmarks/bench_templated.py --rows 20000 --repeat 5

Pass 1 hashes every record's long text fields into the count sketch (``add_notes``); pass 2
finds each record's templated passages against those counts (``findings``), as
``ppncheck check`` does for every row when TPL002 runs.  CPU time of this process, best of
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
    from ppncheck.batch.synthetic import generate_records
    from ppncheck.batch.templated import TemplateDetector
    from ppncheck.config import Config

    config = Config()
    records = list(generate_records(n, seed))
    pass1: list[float] = []
    pass2: list[float] = []
    findings = 0
    for _ in range(repeat):
        detector = TemplateDetector.from_config(config)
        t0 = time.process_time()
        detector.add_notes(records)
        pass1.append(time.process_time() - t0)
        t0 = time.process_time()
        findings = sum(len(detector.findings(r, config)) for r in records)
        pass2.append(time.process_time() - t0)
    return {
        "records": n,
        "seed": seed,
        "repeat": repeat,
        "findings": findings,
        "pass1_seconds_all": [round(s, 3) for s in pass1],
        "pass2_seconds_all": [round(s, 3) for s in pass2],
        "pass1_seconds": round(min(pass1), 3),
        "pass2_seconds": round(min(pass2), 3),
        "pass1_us_per_record": round(min(pass1) / n * 1e6, 1),
        "pass2_us_per_record": round(min(pass2) / n * 1e6, 1),
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
        f"{result['records']} records, {result['findings']} TPL002 findings,"
        f" best of {args.repeat}"
    )
    for k in ("pass1", "pass2"):
        print(
            f"  {k}: {result[k + '_seconds']:.3f} s ({result[k + '_us_per_record']} µs per record);"
            f" all runs {result[k + '_seconds_all']}"
        )
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
