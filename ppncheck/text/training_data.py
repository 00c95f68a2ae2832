"""Labelled rows for the trainers (``ppncheck train vb`` and ``ppncheck train aware``): JSON
lines, each bad row named by its file and line and never quoted (a row may hold note text)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

SPLITS = ("train", "dev", "test")


class DataError(ValueError):
    """A data folder is missing a split or a row is malformed (the message names files/lines)."""


def read_jsonl(
    path: Path, row_ok: Callable[[dict[str, Any]], bool], need: str
) -> list[dict[str, Any]]:
    """Every row of a JSON lines file; a row that is not an object passing ``row_ok`` is a
    ``DataError`` saying what a row needs (``need``)."""
    if not path.is_file():
        raise DataError(f"{path} not found")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise DataError(f"{path}:{n}: not valid JSON") from None
            if not isinstance(row, dict) or not row_ok(row):
                raise DataError(f"{path}:{n}: a row needs {need}")
            rows.append(row)
    return rows


def split_path(data_dir: Path | str, split: str) -> Path:
    """``<data_dir>/<split>.jsonl``, or a ``DataError`` naming every split a folder needs."""
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise DataError(f"{path} not found (expected {', '.join(s + '.jsonl' for s in SPLITS)})")
    return path
