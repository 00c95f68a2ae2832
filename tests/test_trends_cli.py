"""``ppncheck report trends`` on two weeks of synthetic exports, through the real console entry
point: the figures it writes agree with the rows that went in, a line manager's view holds only
their team, no note text reaches any output, and the page's charts really draw in Chromium."""

from __future__ import annotations

import csv
import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_cli_check import ppncheck
from test_html_browser import dump_dom

from ppncheck_dev import synthetic

ROOT = Path(__file__).resolve().parent.parent
ROWS = 60
OFFICERS_SEED = 5
WEEKS = (
    (1, date(2026, 11, 11), "2026-W46", "week1.csv"),
    (2, date(2026, 11, 18), "2026-W47", "week2.xlsx"),
)
TRAINING = "2026-11-16"
TEXT_COLUMNS = ("Circumstances", "Rationale", "Action Taken")
CHILD_TEXT = (
    "Appearance",
    "Words",
    "Activity",
    "Relationships",
    "Environment",
    "Reason Not Spoken To",
)
UNDATED_NOTE = (
    "Attended Larkspur Heath after a call from school. Tilly Quarmby, aged 9, said "
    '"mum sleeps all day". The house was cold and there was no food in the fridge.'
)

pytestmark = pytest.mark.slow


@dataclass
class Exports:
    folder: Path
    rows: dict[str, list[dict[str, str]]]  # period -> the export's rows
    undated_record: dict[str, Any]

    def files(self) -> list[str]:
        return [name for *_, name in WEEKS] + ["undated.jsonl", "note.txt"]

    def readable(self, period: str) -> list[dict[str, str]]:
        return [r for r in self.rows[period] if synthetic.RAGGED not in r]

    def note_texts(self) -> list[str]:
        """Every piece of note text and every person's name that went in."""
        texts = [UNDATED_NOTE, self.undated_record["circumstances"]]
        for rows in self.rows.values():
            for r in rows:
                texts += [r[c] for c in TEXT_COLUMNS]
                texts.append(r["Officer Name"])
                for n in range(1, synthetic.MAX_CHILDREN + 1):
                    texts += [r[f"Child {n} {f}"] for f in CHILD_TEXT]
                    texts.append(f"{r[f'Child {n} Forename']} {r[f'Child {n} Surname']}")
                for n in range(1, synthetic.MAX_ADULTS + 1):
                    texts.append(f"{r[f'Adult {n} Forename']} {r[f'Adult {n} Surname']}")
        return sorted({t.strip() for t in texts if len(t.strip()) >= 12})


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    folder = tmp_path_factory.mktemp("trends")
    rows: dict[str, list[dict[str, str]]] = {}
    for seed, day, period, name in WEEKS:
        write = synthetic.write_csv if name.endswith(".csv") else synthetic.write_xlsx
        write(folder / name, ROWS, seed, day=day, officers_seed=OFFICERS_SEED)
        rows[period] = list(
            synthetic.generate_rows(ROWS, seed, day=day, officers_seed=OFFICERS_SEED)
        )
    (folder / "mapping.toml").write_text(synthetic.MAPPING_TOML, encoding="utf-8")
    record = json.loads(
        (ROOT / "examples/records/good-01-domestic-abuse-two-children.json").read_text("utf-8")
    )
    del record["submitted_at"]  # readable, but undated
    (folder / "undated.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "note.txt").write_text(UNDATED_NOTE, encoding="utf-8")  # a note: no date, no team
    return Exports(folder, rows, record)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Run:
    proc: subprocess.CompletedProcess[str]
    html: Path
    csv: list[dict[str, str]]
    xlsx: Path | None


@pytest.fixture(scope="module")
def full(exports: Exports) -> Run:
    """All teams, by week, with a training date, written as HTML, CSV and Excel at once."""
    args = [*exports.files(), "--mapping", "mapping.toml", "--period", "week"]
    args += ["--since-training", TRAINING, "--out", "t.html", "-o", "t.csv", "--out", "t.xlsx"]
    proc = ppncheck("report", "trends", *args, cwd=exports.folder)
    assert proc.returncode == 0, proc.stderr
    f = exports.folder
    return Run(proc, f / "t.html", _csv_rows(f / "t.csv"), f / "t.xlsx")


def _busiest_team(exports: Exports) -> str:
    teams = Counter(r["Team"] for p in exports.rows for r in exports.readable(p))
    return teams.most_common(1)[0][0]


@pytest.fixture(scope="module")
def team_view(exports: Exports) -> Run:
    team = _busiest_team(exports)
    args = [*exports.files(), "--mapping", "mapping.toml", "--period", "week", "--team", team]
    proc = ppncheck(
        "report", "trends", *args, "--out", "team.html", "--out", "team.csv", cwd=exports.folder
    )
    assert proc.returncode == 0, proc.stderr
    return Run(proc, exports.folder / "team.html", _csv_rows(exports.folder / "team.csv"), None)


def _table(rows: list[dict[str, str]], name: str) -> list[dict[str, str]]:
    return [r for r in rows if r["table"] == name]


def test_each_week_s_notes_teams_and_officers_are_the_rows_that_went_in(
    exports: Exports, full: Run
) -> None:
    overall = {r["period"]: r for r in _table(full.csv, "overall")}
    assert list(overall) == ["2026-W46", "2026-W47", "undated"]
    ragged = 0
    for *_, period, _name in WEEKS:
        readable = exports.readable(period)
        ragged += len(exports.rows[period]) - len(readable)
        assert int(overall[period]["notes"]) == len(readable)
        teams = {
            r["team"]: int(r["notes"]) for r in _table(full.csv, "team") if r["period"] == period
        }
        assert teams == Counter(r["Team"] for r in readable)
        officers = {
            (r["team"], r["officer"]) for r in _table(full.csv, "officer") if r["period"] == period
        }
        assert officers == {(r["Team"], r["Officer Collar No"]) for r in readable}
    assert ragged >= 1  # the generator's broken rows: unreadable, counted apart
    assert overall["undated"]["notes"] == "2"
    assert sum(int(r["unreadable"]) for r in overall.values()) == ragged
    assert "2 undated" in full.proc.stderr and f"{ragged} unreadable" in full.proc.stderr


def test_needs_work_per_team_agrees_with_ppncheck_check(exports: Exports, full: Run) -> None:
    """The same week checked by ``ppncheck check``: its summary's notes needing work per team
    (TPL002, counted over a different batch, is info and never makes a note need work)."""
    proc = ppncheck(
        "check",
        "week1.csv",
        "--mapping",
        "mapping.toml",
        "--format",
        "json",
        "-o",
        "w1.json",
        "--exit-zero",
        "--quiet",
        cwd=exports.folder,
    )
    assert proc.returncode == 0, proc.stderr
    by_team = json.loads((exports.folder / "w1.json").read_text("utf-8"))["summary"]["by_team"]
    week = {r["team"]: r for r in _table(full.csv, "team") if r["period"] == "2026-W46"}
    assert {t: int(r["notes_needing_work"]) for t, r in week.items()} == {
        t: c["needs_work"] for t, c in by_team.items()
    }
    assert {t: int(r["notes"]) for t, r in week.items()} == {
        t: c["notes"] for t, c in by_team.items()
    }


def test_training_rows_compare_the_two_weeks(full: Run) -> None:
    rule_rows = _table(full.csv, "rule")
    training = _table(full.csv, "training")
    assert training and {r["training_date"] for r in training} == {TRAINING}
    overall = {r["period"]: r for r in _table(full.csv, "overall")}
    for r in training:
        if r["team"] != "(all teams)":
            continue
        assert r["before_notes"] == overall["2026-W46"]["notes"]
        assert r["after_notes"] == overall["2026-W47"]["notes"]
        week = {
            p["period"]: int(p["findings"])
            for p in rule_rows
            if p["team"] == "(all teams)" and p["rule_id"] == r["rule_id"]
        }
        assert int(r["before_findings"]) == week.get("2026-W46", 0)
        assert int(r["after_findings"]) == week.get("2026-W47", 0)


def test_the_workbook_holds_the_same_rows_as_the_csv(full: Run) -> None:
    assert full.xlsx is not None
    wb = openpyxl.load_workbook(full.xlsx)
    assert wb.sheetnames == [
        "About",
        "Overall",
        "By team",
        "By officer",
        "By PPN type",
        "By rule",
        "Since training",
    ]
    sheet = wb["By team"]
    header = [c.value for c in sheet[1]]
    got = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    want = _table(full.csv, "team")
    assert [(g["period"], g["team"], g["notes"], g["findings"]) for g in got] == [
        (w["period"], w["team"], int(w["notes"]), int(w["findings"])) for w in want
    ]


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs += [(tag, k, v) for k, v in attrs]


def test_the_page_is_self_contained(full: Run) -> None:
    page = _Attrs()
    page.feed(full.html.read_text(encoding="utf-8"))
    assert not [a for a in page.attrs if a[1] in ("src", "href", "action", "srcset")]
    assert page.tags["canvas"] == 4 and page.tags["script"] == 3
    (csp,) = [
        v for t, k, v in page.attrs if t == "meta" and k == "content" and v and "default-src" in v
    ]
    assert (
        "default-src 'none'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )


def test_no_note_text_in_any_output(exports: Exports, full: Run, team_view: Run) -> None:
    assert full.xlsx is not None
    wb = openpyxl.load_workbook(full.xlsx)
    cells = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    outputs = {
        "html": full.html.read_text(encoding="utf-8"),
        "csv": (exports.folder / "t.csv").read_text(encoding="utf-8-sig"),
        "xlsx": cells,
        "team html": team_view.html.read_text(encoding="utf-8"),
        "stderr": full.proc.stderr + team_view.proc.stderr,
    }
    texts = exports.note_texts()
    assert len(texts) > 500
    leaks = [(name, t[:40]) for name, blob in outputs.items() for t in texts if t in blob]
    assert leaks == []


def test_a_line_manager_sees_only_their_team(exports: Exports, team_view: Run) -> None:
    team = _busiest_team(exports)
    readable = [r for p in exports.rows for r in exports.readable(p)]
    others = {r["Team"] for r in readable} - {team}
    assert others
    assert {r["team"] for r in team_view.csv if r["team"]} == {team}
    mine = {r["Officer Collar No"] for r in readable if r["Team"] == team}
    assert {r["officer"] for r in _table(team_view.csv, "officer")} == mine
    page = team_view.html.read_text(encoding="utf-8")
    assert not [t for t in others if t in page]
    theirs = {r["Officer Collar No"] for r in readable if r["Team"] != team} - mine
    assert not [c for c in theirs if f"officer {c}" in page or f">{c}<" in page]
    overall = {r["period"]: int(r["notes"]) for r in _table(team_view.csv, "overall")}
    for *_, period, _name in WEEKS:
        assert overall[period] == sum(r["Team"] == team for r in exports.readable(period))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--period", "fortnight"], "--period"),
        (["--since-training", "16/11/2026"], "--since-training"),
        (["--team", "Nobody Here"], "no note in the exports is from that team"),
    ],
)
def test_bad_options_exit_2_with_one_line(exports: Exports, args: list[str], needle: str) -> None:
    proc = ppncheck(
        "report",
        "trends",
        "week1.csv",
        "--mapping",
        "mapping.toml",
        *args,
        "--out",
        "x.csv",
        cwd=exports.folder,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in proc.stderr
    assert not (exports.folder / "x.csv").exists()


def test_an_output_name_it_cannot_write_is_refused(exports: Exports) -> None:
    proc = ppncheck("report", "trends", "week1.csv", "--out", "t.pdf", cwd=exports.folder)
    assert proc.returncode == 2 and ".html, .csv, .xlsx" in proc.stderr


# -- the charts in a real browser ------------------------------------------------------------

_PROBE = """<script>
window.addEventListener("load", function () {
  function painted(c) {
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  }
  var empty = Object.assign(document.createElement("canvas"), {width: 50, height: 50});
  var out = {blank: painted(empty), charts: []};
  document.querySelectorAll("canvas").forEach(function (c) {
    var chart = Chart.getChart(c);
    out.charts.push({
      id: c.id, width: c.width, height: c.height, painted: painted(c),
      type: chart ? chart.config.type : null,
      labels: chart ? chart.data.labels : null,
      area: chart ? chart.chartArea : null,
      datasets: chart ? chart.data.datasets.map(function (ds, i) {
        return {label: ds.label, data: ds.data,
                points: chart.getDatasetMeta(i).data.map(function (e) { return [e.x, e.y]; })};
      }) : null
    });
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


class _Probe(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self._in = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = self._in or ("id", "probe") in attrs

    def handle_endtag(self, tag: str) -> None:
        self._in = False if tag == "pre" else self._in

    def handle_data(self, data: str) -> None:
        if self._in:
            self.text += data


def _charts_in_browser(page: Path, tmp_path: Path) -> dict[str, Any]:
    """Open the page as written, plus a test-only probe script (allowed by adding its hash to
    the page's policy) that reads each canvas's pixels and each Chart.js chart's data."""
    import base64
    import hashlib

    html = page.read_text(encoding="utf-8")
    body = _PROBE.removeprefix("<script>").removesuffix("</script>\n")
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    html = html.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = dump_dom(probed, tmp_path, "--window-size=1200,900", "--virtual-time-budget=5000")
    probe = _Probe()
    probe.feed(dom)
    assert probe.text, "the probe did not run: the page's scripts failed or were blocked"
    result: dict[str, Any] = json.loads(probe.text)
    return result


@pytest.mark.browser
def test_charts_draw_the_two_weeks_in_chromium(full: Run, tmp_path: Path) -> None:
    result = _charts_in_browser(full.html, tmp_path)
    assert result["blank"] == 0  # the pixel count sees an empty canvas as empty
    charts = {c["id"]: c for c in result["charts"]}
    assert set(charts) == {"chart-per100", "chart-needs-work", "chart-top-rules", "chart-training"}
    for chart in charts.values():
        assert chart["type"] in ("line", "bar")
        assert chart["painted"] > 0.02 * chart["width"] * chart["height"], chart["id"]

    per100 = charts["chart-per100"]
    assert per100["labels"] == ["2026-W46", "2026-W47"]
    teams = _table(full.csv, "team") + _table(full.csv, "overall")
    want = {}
    for r in teams:
        if r["period"] != "undated":
            want.setdefault(r["team"], [None, None])[per100["labels"].index(r["period"])] = float(
                r["findings_per_100_notes"]
            )
    assert {d["label"]: d["data"] for d in per100["datasets"]} == want
    area = per100["area"]
    for d in per100["datasets"]:  # every week of every team is a point inside the plot
        for (x, y), value in zip(d["points"], d["data"], strict=True):
            if value is not None:
                assert area["left"] <= x <= area["right"] and area["top"] <= y <= area["bottom"]

    totals: Counter[str] = Counter()
    for r in _table(full.csv, "rule"):
        if r["team"] == "(all teams)":
            totals[r["rule_id"]] += int(r["findings"])
    top = charts["chart-top-rules"]
    assert top["datasets"][0]["data"] == sorted(totals.values(), reverse=True)[: len(top["labels"])]
    assert [totals[label] for label in top["labels"]] == top["datasets"][0]["data"]
