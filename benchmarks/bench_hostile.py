"""Issue 18's hostile inputs, each timed at two sizes: none may grow faster than linearly.

    python benchmarks/bench_hostile.py                 # best of 3 per size
    python benchmarks/bench_hostile.py --repeat 5 --only quotes deep_json

Each input is built at size ``n`` and ``2n`` and run through the code path it attacks, in this
process (the text pipeline is built once, before timing).  The figure is the ratio
``time(2n) / time(n)`` of the best of ``--repeat`` runs, measured back to back: about 2 for
linear work, about 4 for quadratic; a ratio above 3 is marked ``quadratic_suspect``.
Inputs whose work is capped (a note is checked up to 100,000 characters) show a ratio near 1.

- ``quotes``: a note of 50,000 (and 100,000) ``"`` characters, ``check()``;
- ``long_note``: a 1 MB (and 2 MB) note of ordinary words, ``check()``;
- ``deep_json``: a JSON lines file of 1,000 lines, each nesting 10,000 (20,000) arrays, read;
- ``huge_int``: 1,000 JSON lines, each with a 5,000-digit (10,000) integer, read;
- ``surrogates``: JSON lines each holding a lone ``"\\ud800"`` escape, 5,000 (10,000) lines, read
  and checked;
- ``bidi_names``: records whose names hold bidi overrides (U+202E, U+2066), 500 (1,000)
  records, checked and written as an HTML report;
- ``stray_quote_csv``: a CSV whose second row opens a quote that is never closed, then 5,000
  (10,000) rows, read;
- ``quote_cells_csv``: a CSV of 5,000 (10,000) rows each with a cell of 2,000 ``"``, read.

Writes ``benchmarks/hostile.json``.  Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOOD = HERE.parent / "examples" / "records" / "good-01-domestic-abuse-two-children.json"


def _read(path: Path) -> int:
    from ppncheck.read import ReadNotices, read_path

    return sum(1 for _ in read_path(path, notices=ReadNotices()))


def _check_note(text: str) -> Callable[[], Any]:
    from ppncheck import check

    return lambda: check(text)


def _jsonl(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _good() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOOD.read_text(encoding="utf-8"))
    return data


def build(name: str, n: int, folder: Path) -> Callable[[], Any]:
    """The work for input ``name`` at size ``n`` (files written now, not timed)."""
    if name == "quotes":
        return _check_note('"' * n)
    if name == "long_note":
        words = "The child was seen in the kitchen and said she was fine today. "
        return _check_note((words * (n // len(words) + 1))[:n])
    if name == "deep_json":
        path = _jsonl(folder, f"deep{n}.jsonl", ["[" * n + "]" * n] * 1000)
        return lambda: _read(path)
    if name == "huge_int":
        path = _jsonl(folder, f"int{n}.jsonl", ['{"ppn_id": "P1", "n": ' + "7" * n + "}"] * 1000)
        return lambda: _read(path)
    if name == "surrogates":
        line = json.dumps({**_good(), "circumstances": "Mum said \\ud800 then left."})
        line = line.replace("\\\\ud800", "\\ud800")  # the raw escape, not an escaped backslash
        path = _jsonl(folder, f"sur{n}.jsonl", [line] * n)

        def read_and_check() -> int:
            from ppncheck.api import check_items
            from ppncheck.read import ReadNotices, read_path

            return sum(1 for _ in check_items(read_path(path, notices=ReadNotices())))

        return read_and_check
    if name == "bidi_names":
        records = []
        for i in range(n):
            record = _good()
            record["ppn_id"] = f"PPN-BIDI-{i:05d}"
            for person in record["persons"]:
                person["forename"] = "\u202eAnnA\u202c \u2066Lee\u2069"
            records.append(record)

        def check_and_render() -> int:
            from ppncheck import check_many
            from ppncheck.read.types import InputItem
            from ppncheck.report.html import HtmlWriter
            from ppncheck.report.summary import Summary

            out = io.StringIO()
            writer = HtmlWriter(out)
            summary = Summary()
            for i, (record, report) in enumerate(zip(records, check_many(records), strict=True)):
                item = InputItem(row=i + 1, payload=record)
                summary.add(item, report, failed=False)
                writer.write(item, report)
            writer.close(summary)
            return len(out.getvalue())

        return check_and_render
    if name == "stray_quote_csv":
        rows = ["ppn_id,incident_reference,circumstances,officer.collar_number",
                'P0,L0,"Mum said stop,0']  # fmt: skip
        rows += [f"P{i},L{i},fine,{i}" for i in range(1, n + 1)]
        path = folder / f"stray{n}.csv"
        path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        return lambda: _read(path)
    if name == "quote_cells_csv":
        cell = '"' * 2_000
        rows = ["ppn_id,circumstances"] + [f"P{i},x{cell}" for i in range(n)]
        path = folder / f"quotecells{n}.csv"
        path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        return lambda: _read(path)
    raise ValueError(name)


SIZES = {
    "quotes": 50_000,
    "long_note": 1_000_000,
    "deep_json": 10_000,
    "huge_int": 5_000,
    "surrogates": 5_000,
    "bidi_names": 500,
    "stray_quote_csv": 5_000,
    "quote_cells_csv": 5_000,
}


def best(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm: imports and caches are not what is measured
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=sorted(SIZES), default=list(SIZES))
    parser.add_argument("--out", type=Path, default=HERE / "hostile.json")
    args = parser.parse_args(argv)

    from ppncheck import check

    check("Warm-up note: the child was seen and spoken to.")  # build the pipeline first
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "command": " ".join(["python", "benchmarks/bench_hostile.py", *(argv or sys.argv[1:])]),
        "inputs": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only:
            n = SIZES[name]
            small, large = build(name, n, Path(tmp)), build(name, 2 * n, Path(tmp))
            t1, t2 = best(small, args.repeat), best(large, args.repeat)
            row = {
                "n": n,
                "seconds_n": round(t1, 4),
                "seconds_2n": round(t2, 4),
                "ratio_2n_to_n": round(t2 / t1, 2),
                "quadratic_suspect": t2 / t1 > 3,
            }
            results["inputs"][name] = row
            print(f"{name}: {json.dumps(row)}", flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
