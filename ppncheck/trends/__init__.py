"""Oversight trends: PPN quality over time by team, officer, PPN type and rule.

The flow is outcomes -> figures -> outputs:

* ``outcomes``: a ``NoteOutcome`` per checked note (date, officer, team, types, the rule of
  each finding, worst severity; no text).  ``outcome_of(item, report)`` makes one from the
  batch runner's output; a store (the review workbench) can build them from its rows.
* ``figures``: ``compute_trends(outcomes, period=..., team=..., since_training=...)`` counts
  them in one pass into a ``Trends`` of plain rows.
* ``tables`` (CSV, Excel) and ``page`` (one self-contained HTML page with Chart.js charts).

``write_trends(trends, path)`` picks the output by the file's suffix.  Nothing here imports
spaCy: the figures and outputs are cheap; checking the notes is the batch runner's job.
"""

from __future__ import annotations

from pathlib import Path

from ppncheck.trends.figures import (
    ALL_TEAMS,
    PERIODS,
    UNDATED,
    GroupRow,
    RuleRow,
    TrainingRow,
    Trends,
    compute_trends,
    period_of,
)
from ppncheck.trends.outcomes import NoteOutcome, OutcomeSink, outcome_of
from ppncheck.trends.tables import COLUMNS, table_rows

__all__ = [
    "ALL_TEAMS",
    "COLUMNS",
    "OUTPUT_SUFFIXES",
    "PERIODS",
    "UNDATED",
    "GroupRow",
    "NoteOutcome",
    "OutcomeSink",
    "RuleRow",
    "TrainingRow",
    "Trends",
    "compute_trends",
    "outcome_of",
    "period_of",
    "table_rows",
    "write_trends",
]

OUTPUT_SUFFIXES = (".html", ".csv", ".xlsx")


def write_trends(trends: Trends, path: Path) -> None:
    """Write ``trends`` as HTML, CSV or Excel, chosen by ``path``'s suffix."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        from ppncheck.trends.page import write_html

        write_html(trends, path)
    elif suffix == ".csv":
        from ppncheck.trends.tables import write_csv

        write_csv(trends, path)
    elif suffix == ".xlsx":
        from ppncheck.trends.tables import write_xlsx

        write_xlsx(trends, path)
    else:
        raise ValueError(
            f"{path.name}: cannot tell the output from its name; end it in "
            + ", ".join(OUTPUT_SUFFIXES)
        )
