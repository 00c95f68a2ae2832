"""Review workbench: import cost against ``ppncheck check``, and queue page latency.

Both imports are measured in the same run, alternating, on the same generated export:

* ``ppncheck check EXPORT --mapping M -o out.jsonl`` (the batch check alone), and
* ``ppncheck review EXPORT --mapping M --store NEW.sqlite3 --no-serve`` (the same check plus
  writing every note, finding and shared passage to a fresh SQLite store);

the ratio of their wall times is the import's overhead (target <= 1.3).  Then the store of the
last import is served in-process (FastAPI TestClient, token cookie set) and each page is
requested ``--requests`` times: the queue (first page, a deep page, filters), a note, the
batch panel's passage list and the feedback list (target: a queue page under 200 ms).

    python benchmarks/bench_review.py                 # 10,000 rows, 2 repeats
    python benchmarks/bench_review.py --rows 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _ppncheck() -> list[str]:
    script = shutil.which("ppncheck", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ppncheck"]


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:3])} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", type=Path, default=HERE / "review.json")
    args = parser.parse_args()

    from ppncheck_dev.synthetic import MAPPING_TOML, write_csv

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        export, mapping = work / "export.csv", work / "mapping.toml"
        write_csv(export, args.rows, args.seed)
        mapping.write_text(MAPPING_TOML, encoding="utf-8")
        common = [str(export), "--mapping", str(mapping), "-q"]
        checks, imports = [], []
        store = work / "store.sqlite3"
        for i in range(args.repeat):
            out = work / f"out{i}.jsonl"
            checks.append(_timed([*_ppncheck(), "check", *common, "-o", str(out), "--exit-zero"]))
            for leftover in work.glob("store.sqlite3*"):
                leftover.unlink()
            imports.append(
                _timed([*_ppncheck(), "review", *common, "--store", str(store), "--no-serve"])
            )
            print(f"repeat {i + 1}: check {checks[-1]:.2f} s, import {imports[-1]:.2f} s")
        pages = _latency(store, args.requests)

    ratio_best = min(imports) / min(checks)
    pairs = [i / c for i, c in zip(imports, checks, strict=True)]
    result = {
        "rows": args.rows,
        "seed": args.seed,
        "check_s": checks,
        "import_s": imports,
        "ratio_best_of": round(ratio_best, 3),
        "ratio_per_pair": [round(p, 3) for p in pairs],
        "import_target_ratio": 1.3,
        "pages_ms": pages,
        "page_target_ms": 200,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def _latency(store_path: Path, requests: int) -> dict[str, dict[str, float]]:
    import re

    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from ppncheck.review.app import create_app
    from ppncheck.review.store import Note, open_store

    store = open_store(store_path)
    with store.session() as s:
        note_id = s.scalar(select(Note.id).order_by(Note.id.desc()).limit(1))
        collar = s.scalar(select(Note.collar).limit(1))
    client = TestClient(create_app(store, "bench"))
    client.get("/?token=bench")
    html = client.get("/").text
    passage = re.search(r'href="/passage/(\d+)"', html)
    last = re.search(r"Page 1 of (\d+)", html)
    deep = int(last.group(1)) if last else 1
    paths = {
        "queue, first page": "/",
        f"queue, page {deep} (last)": f"/?page={deep}",
        "queue, rule VB001": "/?rule=VB001",
        "queue, officer + to review": f"/?officer={collar}&status=pending",
        "queue, search ppn_id": "/?q=00999",
        "note view": f"/note/{note_id}",
        "feedback list": "/feedback",
    }
    if passage:
        paths["passage notes"] = f"/passage/{passage.group(1)}"
    out = {}
    for name, path in paths.items():
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        out[name] = {
            "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
        }
        print(f"{name}: median {out[name]['median_ms']} ms, max {out[name]['max_ms']} ms")
    store.close()
    return out


if __name__ == "__main__":
    raise SystemExit(main())
