"""The workbench's trends dashboard in a real headless Chromium, on two imported weeks.

Two weeks of synthetic exports by the same force's officers are imported into one store (the
first with ``--no-serve``, the second by the served ``ppncheck review``); the dashboard is
opened through Playwright in Debian's chromium, and each chart must have drawn pixels and hold
the figures of the workbench's own CSV download of the same view (issue 17: "the dashboard's
charts render with real data from two imported weeks").
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from test_review_browser import Server, _ppncheck, browser  # noqa: F401  (fixture)

from ppncheck_dev.synthetic import main as synthetic

pytestmark = pytest.mark.browser

_READ_CHARTS = """() => {
  function painted(c) {
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  }
  return Array.from(document.querySelectorAll("canvas")).map(function (c) {
    var chart = Chart.getChart(c);
    return {id: c.id, painted: painted(c), labels: chart ? chart.data.labels : null,
            datasets: chart ? chart.data.datasets.map(function (d) {
              return {label: d.label, data: d.data}; }) : null};
  });
}"""


def _weeks(tmp_path: Path) -> tuple[list[Path], Path]:
    exports, mapping = [], tmp_path / "mapping.toml"
    for week, day in enumerate(("2026-11-02", "2026-11-09")):
        export = tmp_path / f"week{week}.csv"
        synthetic(
            [
                *("--rows", "80", "--seed", str(21 + week), "--csv", str(export)),
                *("--mapping", str(mapping), "--day", day, "--officers-seed", "7"),
            ]
        )
        exports.append(export)
    return exports, mapping


def test_dashboard_charts_draw_two_imported_weeks(tmp_path: Path, browser: object) -> None:  # noqa: F811
    (first, second), mapping = _weeks(tmp_path)
    store = tmp_path / "review.sqlite3"
    common = ["--mapping", str(mapping), "--store", str(store)]
    done = subprocess.run(
        [*_ppncheck(), "review", str(first), *common, "--no-serve", "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    server = Server(["review", str(second), *common, "--no-open", "--port", "0"], tmp_path)
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(server.url)  # the token, once; the cookie carries it from here
        base = server.url.split("/?")[0]
        page.goto(base + "/trends?period=week")
        page.wait_for_selector("canvas#chart-per100")
        charts = {c["id"]: c for c in page.evaluate(_READ_CHARTS)}
        table = page.request.get(base + "/trends.csv?period=week").text()
    finally:
        server.stop()
        context.close()

    assert {"chart-per100", "chart-needs-work", "chart-top-rules"} <= set(charts)
    for chart in charts.values():
        assert chart["painted"] > 500, chart["id"]  # something was drawn, not an empty canvas

    rows = list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))  # Excel's BOM
    weeks = sorted({r["period"] for r in rows if r["table"] == "overall"} - {"undated"})
    assert {"2026-W45", "2026-W46"} <= set(weeks)  # both imports' weeks are in the store
    per100 = charts["chart-per100"]
    assert per100["labels"] == weeks
    by_team = {
        (r["team"], r["period"]): float(r["findings_per_100_notes"])
        for r in rows
        if r["table"] == "team"
    }
    teams = [d for d in per100["datasets"] if any((d["label"], w) in by_team for w in weeks)]
    assert len(teams) >= 2
    for dataset in teams:
        for week, value in zip(weeks, dataset["data"], strict=True):
            expected = by_team.get((dataset["label"], week))
            assert value == pytest.approx(expected, abs=0.06), (dataset["label"], week)
    top = charts["chart-top-rules"]
    assert top["labels"] and set(top["labels"]) <= {
        r["rule_id"] for r in rows if r["table"] == "rule"
    }
