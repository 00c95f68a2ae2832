"""Dump every result the note path gives, so a speed change can be shown to change none.

    python benchmarks/notes_outputs.py OUT.json

For every note of ``datasets/notes`` (all splits), every note of ``tests/notes`` and every
record of ``examples/records``: the full ``ppncheck.extract(text)`` (for a record, of each of
its text fields) and every finding of ``ppncheck.check`` with all its fields.  Then the whole
corpus as one batch (``check_many`` over a list, so TPL002 runs too), the corpus a second time
note by note (a cache that kept the wrong thing would show), and the example export through
``ppncheck check`` with ``--show-text``.  Run it before and after a change and compare the two
files byte for byte (``cmp``); the dump holds note text, so keep it out of the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _findings(report: Any) -> list[dict[str, Any]]:
    return [f.to_dict() for f in report.findings]


def _text_fields(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string of a record with its path, in order."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [
            pair for k, v in value.items() for pair in _text_fields(v, f"{path}.{k}".lstrip("."))
        ]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in _text_fields(v, f"{path}[{i}]")]
    return []


def main() -> int:
    import ppncheck

    out_path = Path(sys.argv[1])
    corpus = REPO / "datasets" / "notes"
    gold = [json.loads(x) for x in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    notes = [(r["file"], (corpus / r["file"]).read_text(encoding="utf-8")) for r in gold]
    notes += [
        (str(p.relative_to(REPO)), p.read_text(encoding="utf-8"))
        for p in sorted((REPO / "tests" / "notes").glob("*.txt"))
    ]
    dump: dict[str, Any] = {"notes": {}, "records": {}}
    for name, text in notes:
        dump["notes"][name] = {
            "extract": ppncheck.extract(text),
            "check": _findings(ppncheck.check(text)),
        }
    for p in sorted((REPO / "examples" / "records").iterdir()):
        if p.suffix not in (".json", ".jsonl"):
            continue
        raw = p.read_text(encoding="utf-8")
        records = (
            [raw] if p.suffix == ".json" else [line for line in raw.splitlines() if line.strip()]
        )
        for i, line in enumerate(records):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            entry: dict[str, Any] = {"check": _findings(ppncheck.check(line.encode("utf-8")))}
            if isinstance(record, dict):
                entry["check_dict"] = _findings(ppncheck.check(record))
                entry["extract"] = {
                    path: ppncheck.extract(text) for path, text in _text_fields(record) if text
                }
            dump["records"][f"{p.name}#{i}"] = entry
    texts = [t for _, t in notes]
    dump["batch"] = [_findings(r) for r in ppncheck.check_many(texts)]
    dump["again"] = [_findings(ppncheck.check(t)) for t in texts]
    export = REPO / "examples" / "export"
    command = [sys.executable, "-m", "ppncheck", "check", str(export / "ppn_export_2026-11-20.csv")]
    command += ["--mapping", str(export / "mapping.toml"), "-f", "json", "--show-text", "-q"]
    command += ["--jobs", "1", "--exit-zero"]
    cli = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    )
    dump["export"] = json.loads(cli.stdout)
    out_path.write_text(json.dumps(dump, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(notes)} notes, {len(dump['records'])} records -> {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
