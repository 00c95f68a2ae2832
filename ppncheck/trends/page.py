"""The trends as one self-contained HTML page for a monthly meeting: charts and tables.

The page works from a file on a locked-down machine: Chart.js (vendored, MIT, see
``static/VENDORED.md``) and the chart set-up are inlined, nothing is fetched, and a
Content-Security-Policy allows only those two scripts (by their sha256) and no network at all.
It holds counts, team names and collar numbers, never note text.  Every name from the input is
escaped (``ppncheck.report.html``); the figures reach the charts as a JSON block whose ``<``,
``>`` and ``&`` are escaped, so a team named ``</script>`` cannot end it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

from ppncheck._version import __version__
from ppncheck.report.html import esc, user
from ppncheck.trends.figures import Trends
from ppncheck.trends.tables import TABLE_COLUMNS, about, table_rows

STATIC = Path(__file__).resolve().parent / "static"
TOP_RULES_CHARTED = 10
_TITLES = {
    "overall": "Overall",
    "team": "By team",
    "officer": "By officer (collar number)",
    "ppn_type": "By PPN type",
    "rule": "By rule",
    "training": "Before and after the training date",
}

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
 color:#1b1f24;background:#f6f7f9}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.5em;margin:.3em 0}
h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid #d0d4da;padding-bottom:.2em}
.counts{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.count{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:8px 14px;min-width:90px}
.count .n{display:block;font-size:1.5em;font-weight:700}
.chart{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:10px;margin:10px 0;
 position:relative;height:340px}
table{border-collapse:collapse;background:#fff;margin:.3em 0 1em;width:100%;font-size:.9em}
th,td{border:1px solid #d0d4da;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef0f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#57606a}
footer{margin:30px auto;color:#57606a;font-size:.85em}
@media print{.chart{break-inside:avoid}body{background:#fff}}
"""


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _json_block(value: Any) -> str:
    """JSON that cannot end or comment out its ``<script>`` element whatever it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def chart_data(trends: Trends) -> dict[str, Any]:
    """What the charts draw: the dated periods in order (empty ones included, so time is
    spaced evenly), one line per team (or, in a team's view, per officer) plus the scope's,
    the most frequent rules, and the before/after comparison for the scope."""
    periods = [(label, start) for label, start in trends.periods() if start is not None]
    labels = [label for label, _ in periods]
    index = {label: i for i, label in enumerate(labels)}

    def series(rows: Any, name: Any, overall: bool = False) -> dict[str, list[dict[str, Any]]]:
        per100: dict[str, list[float | None]] = {}
        needs: dict[str, list[float | None]] = {}
        for row in rows:
            if row.period not in index:
                continue  # undated: in the tables, not on a time axis
            key = name(row)
            per100.setdefault(key, [None] * len(labels))[index[row.period]] = _rounded(
                row.findings_per_100
            )
            needs.setdefault(key, [None] * len(labels))[index[row.period]] = _rounded(
                row.needs_work_percent
            )
        return {
            "per100": [{"label": k, "data": v, "overall": overall} for k, v in per100.items()],
            "needs_work": [{"label": k, "data": v, "overall": overall} for k, v in needs.items()],
        }

    if trends.team_filter is None:
        parts = [series(trends.teams, lambda r: r.team)]
    else:
        parts = [series(trends.officers, lambda r: f"officer {r.officer}")]
    parts.append(series(trends.overall, lambda r: r.team, overall=True))
    top = trends.rule_totals[:TOP_RULES_CHARTED]
    out: dict[str, Any] = {
        "periods": labels,
        "per100": [s for part in parts for s in part["per100"]],
        "needs_work": [s for part in parts for s in part["needs_work"]],
        "top_rules": {"labels": [r for r, _ in top], "data": [n for _, n in top]},
        "training": None,
    }
    if trends.since_training is not None:
        rows = [r for r in trends.training if r.team == trends.scope]
        rows.sort(key=lambda r: -(r.before_findings + r.after_findings))
        rows = rows[:TOP_RULES_CHARTED]
        day = trends.since_training.isoformat()
        out["training"] = {
            "labels": [r.rule_id for r in rows],
            "before": [_rounded(r.before_per_100) for r in rows],
            "after": [_rounded(r.after_per_100) for r in rows],
            "before_label": f"before {day}",
            "after_label": f"from {day}",
        }
    return out


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="num">{esc(value)}</td>'
    if column in ("team", "officer", "ppn_type"):
        return f"<td>{user(value)}</td>"
    return f"<td>{esc(value)}</td>"


def _tables(trends: Trends) -> str:
    by_table: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_COLUMNS}
    for row in table_rows(trends):
        by_table[row["table"]].append(row)
    parts = []
    for name, columns in TABLE_COLUMNS.items():
        if name == "training" and trends.since_training is None:
            continue
        parts.append(f'<h2 id="table-{name}">{esc(_TITLES[name])}</h2>\n')
        if not by_table[name]:
            parts.append('<p class="muted">Nothing to show.</p>\n')
            continue
        head = "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(_cell(c, row[c]) for c in columns) + "</tr>\n"
            for row in by_table[name]
        )
        parts.append(f'<table id="rows-{name}"><tr>{head}</tr>\n{body}</table>\n')
    return "".join(parts)


def _counts(trends: Trends) -> str:
    officers = {(r.team, r.officer) for r in trends.officers}
    boxes = [
        ("notes", trends.notes, "notes"),
        ("teams", len(trends.team_names()), "teams"),
        ("officers", len(officers), "officers"),
        ("undated", trends.undated, "notes with no date"),
        ("unreadable", trends.unreadable, "unreadable rows (PPN000)"),
    ]
    return (
        '<div class="counts">'
        + "".join(
            f'<div class="count" id="count-{key}"><span class="n">{n}</span>{esc(label)}</div>'
            for key, n, label in boxes
        )
        + "</div>\n"
    )


def _chart(ident: str, title: str, note: str = "") -> str:
    extra = f'<p class="muted">{esc(note)}</p>' if note else ""
    return (
        f'<h2 id="{ident}-title">{esc(title)}</h2>{extra}\n'
        f'<div class="chart"><canvas id="{ident}" role="img" aria-label="{esc(title)}">'
        f"</canvas></div>\n"
    )


def body_html(trends: Trends) -> str:
    """Counts, chart canvases and tables: the page's body, which the review workbench's
    dashboard shows inside its own layout (with ``data_block`` and the static scripts)."""
    who = "officer" if trends.team_filter is not None else "team"
    parts = [
        _counts(trends),
        "<noscript><p>The charts need JavaScript; the tables below hold the same figures."
        "</p></noscript>\n",
        _chart("chart-per100", "Findings per 100 notes", f"One line per {who}; dashed: all."),
        _chart("chart-needs-work", "Share of notes needing work (%)"),
        _chart("chart-top-rules", "Most frequent rules"),
    ]
    if trends.since_training is not None:
        parts.append(
            _chart(
                "chart-training",
                f"Findings per 100 notes before and from {trends.since_training.isoformat()}",
                "A fall is an improvement; on a few dozen notes a change can be chance.",
            )
        )
    if trends.undated:
        parts.append(
            f'<p id="undated-note">{trends.undated} notes had no submission date: they are in '
            "the tables' <em>undated</em> rows and not on the charts' time axis.</p>\n"
        )
    parts.append(_tables(trends))
    return "".join(parts)


def data_block(trends: Trends) -> str:
    """The charts' figures as the JSON data block ``static/trends.js`` reads (not a script:
    a Content-Security-Policy without inline scripts allows it)."""
    return (
        f'<script type="application/json" id="trends-data">{_json_block(chart_data(trends))}'
        "</script>\n"
    )


def render_page(trends: Trends, *, title: str | None = None) -> str:
    """The whole page as a string (a few hundred kilobytes, most of it Chart.js)."""
    chart_js, setup_js = _static("chart.umd.min.js"), _static("trends.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_script_hash(chart_js)} {_script_hash(setup_js)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    heading = title or f"PPN quality trends: {trends.scope}"
    period = "ISO week" if trends.period == "week" else "calendar month"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{esc(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>{user(heading)}</h1>\n",
        f'<p class="muted">By {esc(period)}. ',
        "Counts and rates only: no note text. A note needs work when any finding is an error "
        "or a warning. Unreadable rows (PPN000) are counted apart, never as an officer's "
        "quality.</p></header>\n<main>\n",
        body_html(trends),
    ]
    facts = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc('' if v is None else v)}</td></tr>"
        for k, v in about(trends)
    )
    parts.append(f'<h2 id="about">About these figures</h2>\n<table>{facts}</table>\n')
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts += [
        "</main>\n",
        f"<footer>Generated by ppncheck {esc(__version__)} on {esc(stamp)}. Charts drawn "
        "with Chart.js 4.6.2 (MIT licence), included in this page.</footer>\n",
        data_block(trends),
        f"<script>{chart_js}</script>\n",
        f"<script>{setup_js}</script>\n",
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def write_html(trends: Trends, path: Path) -> None:
    path.write_text(render_page(trends), encoding="utf-8")
