"""Where a training row came from: reviewers' decisions carry ``source: review:<store>:<date>``.

``ppncheck review export-labels`` writes the tag and ``ppncheck train vb`` counts the rows that
carry it (the model card's "reviewed labels"); both read it from here, and neither needs the
other's extra (review, train).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

REVIEWED_SOURCE = "review:"


def reviewed_source(store_name: str, day: date | None = None) -> str:
    """``review:<store>:<date>``, the ``source`` of every row a review store exports."""
    return f"{REVIEWED_SOURCE}{store_name}:{(day or date.today()).isoformat()}"


def is_reviewed(row: dict[str, Any]) -> bool:
    """A training row that came from reviewers' decisions (its ``source`` says so)."""
    return str(row.get("source") or "").startswith(REVIEWED_SOURCE)


def reviewed_sources(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many reviewed rows each ``source`` tag gave, sorted by tag."""
    counts = Counter(str(r["source"]) for r in rows if is_reviewed(r))
    return dict(sorted(counts.items()))
