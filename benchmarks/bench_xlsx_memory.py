"""Peak memory of reading and checking large workbooks (issue 18's large-XLSX case).

    python benchmarks/bench_xlsx_memory.py                       # both workbooks
    python benchmarks/bench_xlsx_memory.py --shared-mb 300 --rows 20000 --openpyxl-timeout 600

Two workbooks, written to a temporary folder:

1. **hostile**: a sheet of 20 rows whose ``xl/sharedStrings.xml`` holds about ``--shared-mb``
   MB (uncompressed) of short strings, all alike; zipped it is well under a megabyte.  This is
   the shape that took 4.4 GB and 44 s through openpyxl (issue 18).
2. **export**: ``--rows`` generated PPN rows (``ppncheck_dev.synthetic.write_xlsx``).

Each is read, in a fresh child process, by ppncheck's streaming reader
(``ppncheck.read.read_path``, every row) and by openpyxl's read-only mode (every row of every
sheet; abandoned after ``--openpyxl-timeout`` seconds), and checked by ``ppncheck check
--jobs 1`` (JSON lines to /dev/null; one process, so its peak is the run's: with workers each
process's peak would be counted alone).  Peak memory is the child's ``ru_maxrss`` (``resource``,
``RUSAGE_CHILDREN`` of a small wrapper process); time is wall time.  Target: peak at most
2x the workbook's uncompressed size + 300 MB.  Writes ``benchmarks/xlsx_memory.json``.
Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# Runs argv[1:] and prints its exit code, wall seconds and peak RSS (KB); a timeout kills it.
_WRAP = """
import resource, subprocess, sys, time
t = time.perf_counter()
try:
    rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        timeout=float(sys.argv[1])).returncode
except subprocess.TimeoutExpired:
    rc = "timeout"
wall = time.perf_counter() - t
print(rc, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

_READ_PPNCHECK = """
import sys
from pathlib import Path
from ppncheck.read import ReadNotices, load_mapping, read_path
mapping = load_mapping(Path(sys.argv[2])) if len(sys.argv) > 2 else None
n = sum(1 for _ in read_path(Path(sys.argv[1]), mapping=mapping, notices=ReadNotices()))
print(n)
"""

_READ_OPENPYXL = """
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
print(n)
"""

_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SML}.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_REL}"><sheets><sheet name="PPNs" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def write_hostile(path: Path, shared_mb: int, rows: int = 20) -> None:
    """A small sheet whose cells use a few of the first entries of a huge table of distinct
    shared strings."""
    # the same fictional text in every entry: the table compresses as a hostile one does
    entry = "<si><t>Fictional shared string, padding padding padding padding pad</t></si>"
    per_entry = len(entry)
    count = shared_mb * 1_000_000 // per_entry
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        cells = ['<row r="1"><c r="A1" t="inlineStr"><is><t>ppn_id</t></is></c>'
                 '<c r="B1" t="inlineStr"><is><t>circumstances</t></is></c></row>']  # fmt: skip
        for r in range(2, rows + 2):
            cells.append(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>PPN-X-{r:04d}</t></is></c>'
                f'<c r="B{r}" t="s"><v>{r * 7}</v></c></row>'
            )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f"<worksheet {_NS}><sheetData>{''.join(cells)}</sheetData></worksheet>",
        )
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<sst {_NS} count="{count}" uniqueCount="{count}">'.encode())
            block = 10_000
            for start in range(0, count, block):
                text = entry * (min(count, start + block) - start)
                fh.write(text.encode())
            fh.write(b"</sst>")


def uncompressed_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as z:
        return sum(info.file_size for info in z.infolist()) / 1e6


def measure(cmd: list[str], timeout: float) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _WRAP, str(timeout), *cmd], capture_output=True, text=True
    )
    rc, wall, maxrss_kb = proc.stdout.split()
    return {
        "exit": rc,
        "seconds": round(float(wall), 2),
        "peak_rss_mb": round(int(maxrss_kb) / 1024, 1),
    }


def workbook(path: Path, timeout: float, mapping: Path | None = None) -> dict[str, Any]:
    size = uncompressed_mb(path)
    target = 2 * size + 300
    out: dict[str, Any] = {
        "file_mb": round(path.stat().st_size / 1e6, 2),
        "uncompressed_mb": round(size, 1),
        "target_peak_mb": round(target, 1),
    }
    py = sys.executable
    check = [py, "-m", "ppncheck", "check", str(path), "--format", "jsonl",
             "--output", os.devnull, "--quiet", "--exit-zero", "--jobs", "1"]  # fmt: skip
    read = [py, "-c", _READ_PPNCHECK, str(path)]
    if mapping is not None:
        check += ["--mapping", str(mapping)]
        read.append(str(mapping))
    runs = {
        "ppncheck_reader": (read, 3600.0),
        "openpyxl_read_only": ([py, "-c", _READ_OPENPYXL, str(path)], timeout),
        "ppncheck_check": (check, 3600.0),
    }
    for name, (cmd, limit) in runs.items():
        print(f"  {name} ...", flush=True)
        result = measure(cmd, limit)
        gave_up = name == "openpyxl_read_only" and result["exit"] == "timeout"
        if result["exit"] != "0" and not gave_up:
            raise SystemExit(f"{name} exited {result['exit']}")
        if name != "openpyxl_read_only":
            result["within_target"] = result["peak_rss_mb"] <= target
        out[name] = result
        print(f"  {name}: {json.dumps(result)}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-mb", type=int, default=300)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--openpyxl-timeout", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=HERE / "xlsx_memory.json")
    args = parser.parse_args(argv)

    from ppncheck_dev.synthetic import MAPPING_TOML, write_xlsx

    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "command": " ".join(["python", "benchmarks/bench_xlsx_memory.py", *(argv or sys.argv[1:])]),
        "target": "peak RSS <= 2 x uncompressed size + 300 MB",
    }
    with tempfile.TemporaryDirectory() as tmp:
        hostile = Path(tmp) / "hostile.xlsx"
        write_hostile(hostile, args.shared_mb)
        print(f"hostile: {hostile.stat().st_size / 1e6:.2f} MB zipped", flush=True)
        results["hostile"] = workbook(hostile, args.openpyxl_timeout)
        export = Path(tmp) / "export.xlsx"
        write_xlsx(export, args.rows, args.seed)
        print(f"export: {args.rows} rows, {export.stat().st_size / 1e6:.2f} MB", flush=True)
        mapping = Path(tmp) / "mapping.toml"
        mapping.write_text(MAPPING_TOML, encoding="utf-8")
        found = workbook(export, args.openpyxl_timeout, mapping)
        results["export"] = {"rows": args.rows, **found}
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
