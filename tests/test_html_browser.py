"""The HTML report as a person sees it: loaded from file:// in a real headless Chromium.

``--dump-dom`` returns the DOM after the browser has parsed the page, so these tests see what
a reader would: the highlighted spans, the counts, and a note's ``<script>`` shown as text
(no element injected).  Skipped only when Chromium is absent outside CI; in CI it must exist.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.html import HtmlWriter
from ppncheck.report.summary import Summary

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "Leo said <script>alert(1)</script> and then <b>shouted</b> at the door."
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]


def _chromium() -> str:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is required in CI (Debian package `chromium`) but is not installed")
    pytest.skip("chromium is not installed (apt-get install chromium); not in CI, so skipping")


class _Dom(HTMLParser):
    """Element counts, <mark> rule ids, text by element id, and all visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.marks: list[dict[str, str | None]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []  # every element, in order
        self.by_id: dict[str, str] = {}
        self._open_ids: list[tuple[str, str, int]] = []
        self._depth = 0
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        attr = dict(attrs)
        self.elements.append((tag, attr))
        if tag == "mark":
            self.marks.append(attr)
        if tag == "style":
            self._in_style = True
        if tag not in {"br", "meta", "img", "input", "link", "hr"}:
            self._depth += 1
            if attr.get("id"):
                self._open_ids.append((str(attr["id"]), tag, self._depth))
                self.by_id[str(attr["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if self._open_ids and self._open_ids[-1][2] == self._depth:
            self._open_ids.pop()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.text.append(data)
        for ident, _tag, _depth in self._open_ids:
            self.by_id[ident] += data


def dump_dom(html_file: Path, tmp_path: Path, *flags: str, query: str = "") -> str:
    """The page's DOM after headless Chromium has loaded it (and run its scripts)."""
    chromium = _chromium()
    profile = f"--user-data-dir={tmp_path / 'chromium-profile'}"
    url = html_file.as_uri() + query
    proc = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, *flags, profile, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _browse(html_file: Path, tmp_path: Path, query: str = "") -> _Dom:
    dom = _Dom()
    dom.feed(dump_dom(html_file, tmp_path, query=query))
    assert dom.tags["body"] == 1 and dom.tags["section"] >= 0, "the browser rendered no page"
    return dom


def _count(dom: _Dom, key: str) -> int:
    """The number a reader sees in a count box (``<span class="n">12</span>errors``)."""
    return int("".join(ch for ch in dom.by_id[f"count-{key}"] if ch.isdigit()))


def test_handmade_report_escaped_and_highlighted_in_browser(tmp_path: Path) -> None:
    start = HOSTILE.index("<script>")
    vb = Finding("VB001", Severity.WARNING, "May blame the child.", "circumstances", 4, 8)
    inj = Finding("TPL002", Severity.INFO, "Pasted wording.", "circumstances", start, len(HOSTILE))
    eth = Finding("ETH001", Severity.ERROR, "No ethnicity for c1.", "persons[0].sde_code")
    record: dict[str, Any] = {
        "ppn_id": "PPN-<b>7</b>",
        "officer": {"collar_number": "PC<i>1</i>", "name": "<script>x()</script>", "team": "North"},
        "circumstances": HOSTILE,
    }
    out = tmp_path / "report.html"
    summary = Summary()
    with out.open("w", encoding="utf-8") as fh:
        writer = HtmlWriter(fh)
        for row, report in (
            (1, Report("PPN-<b>7</b>", [eth, vb, inj], row=1)),
            (2, Report("PPN-8", [], row=2)),
        ):
            item = InputItem(row=row, payload=record if row == 1 else {"ppn_id": "PPN-8"})
            summary.rows_read += 1
            summary.add(item, report, failed=not report.ok)
            writer.write(item, report)
        writer.close(summary)

    dom = _browse(out, tmp_path)
    # the page's own filter script only: the note's <script> is text, no element
    assert dom.tags["script"] == 1 and dom.tags["b"] == 0 and dom.tags["i"] == 0
    visible = "".join(dom.text)
    assert "<script>alert(1)</script>" in visible and "<b>shouted</b>" in visible
    assert "PPN-<b>7</b>" in visible and "PC<i>1</i>" in visible
    rules = Counter(r for m in dom.marks for r in str(m.get("data-rule")).split())
    assert rules["VB001"] >= 1 and "ETH001" not in rules
    assert "TPL002" not in rules  # a batch finding: in the panel, not marked on the card
    assert "This passage appears in 1 note" in dom.by_id["batch"]
    assert "<script>alert(1)</script>" in dom.by_id["batch"]  # the passage, shown as text
    assert any("May blame the child." in str(m.get("title")) for m in dom.marks)
    assert _count(dom, "rows-read") == 2
    assert _count(dom, "error") == 1 and _count(dom, "warning") == 1 and _count(dom, "info") == 1
    assert _count(dom, "needs-work") == 1


def _flatten_fields(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for r in doc["reports"] for f in r["findings"]]


@pytest.mark.slow
def test_cli_html_report_in_browser(tmp_path: Path) -> None:
    """The real path: ``ppncheck check`` writes the page that Chromium then shows."""
    records = [
        json.loads((ROOT / "examples" / "records" / f"{name}.json").read_text(encoding="utf-8"))
        for name in (
            "bad-12-victim-blaming-and-unrecorded-children",
            "bad-01-ethnicity-missing",
            "good-03-baby-pre-verbal",
        )
    ]
    hostile = records[1]
    hostile["circumstances"] = HOSTILE + " " + hostile["circumstances"]
    hostile["officer"]["name"] = "<b>Injected</b>"
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    page = tmp_path / "report.html"
    base = [sys.executable, "-m", "ppncheck", "check", str(src), "--exit-zero", "--quiet"]
    for args in (
        ["--format", "html", "--output", str(page)],
        ["--format", "json", "-o", str(tmp_path / "r.json")],
    ):
        proc = subprocess.run(
            base + args, capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False
        )
        assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))

    dom = _browse(page, tmp_path)
    assert dom.tags["script"] == 1 and dom.tags["b"] == 0
    visible = "".join(dom.text)
    assert "<script>alert(1)</script>" in visible and "<b>Injected</b>" in visible
    span_rules = {f["rule_id"] for f in _flatten_fields(doc) if f["start"] is not None}
    assert "VB001" in span_rules  # the victim-blaming example is flagged with a span
    marked = {r for m in dom.marks for r in str(m.get("data-rule")).split()}
    assert span_rules <= marked
    summary = doc["summary"]
    assert _count(dom, "rows-read") == summary["rows_read"] == 4
    assert _count(dom, "unreadable") == summary["unreadable"] == 1
    for sev in ("error", "warning", "info"):
        assert _count(dom, sev) == summary["by_severity"][sev]
    for rule_id in summary["by_rule"]:
        assert rule_id in visible


def test_html_writer_to_string_has_only_its_own_script() -> None:
    out = io.StringIO()
    HtmlWriter(out).close(Summary())
    assert out.getvalue().count("<script") == 1


def _notes(dom: _Dom) -> list[dict[str, str | None]]:
    return [a for tag, a in dom.elements if tag == "section" and a.get("data-worst")]


@pytest.mark.slow
def test_example_export_contents_panel_and_filters_in_browser(tmp_path: Path) -> None:
    """The bundled 200-row export as a VAT officer opens it: a contents list linking to every
    card, errors first, one batch panel for pasted wording, and filters that really hide
    notes (driven through the address, as a shared link would)."""
    export = ROOT / "examples" / "export"
    page = tmp_path / "report.html"
    proc = subprocess.run(
        [
            sys.executable, "-m", "ppncheck", "check", str(export / "ppn_export_2026-11-20.csv"),
            "--mapping", str(export / "mapping.toml"), "--format", "html", "--output", str(page),
            "--exit-zero", "--quiet",
        ],
        capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr

    dom = _browse(page, tmp_path)
    notes = _notes(dom)
    assert len(notes) > 100
    rank = {"error": 0, "warning": 1, "info": 2}
    assert [rank[str(n["data-worst"])] for n in notes] == sorted(
        rank[str(n["data-worst"])] for n in notes
    )  # errors first
    assert not any("hidden" in n for n in notes)  # all shown until a filter is chosen
    toc = [a for tag, a in dom.elements if tag == "li" and a.get("data-worst")]
    links = [a["href"] for tag, a in dom.elements if tag == "a" and a.get("href")]
    card_ids = [f"#{n['id']}" for n in notes]
    assert len(toc) == len(notes) and all(c in links for c in card_ids)
    assert "Errors" in dom.by_id["contents"] and "Info only" in dom.by_id["contents"]
    # TPL002 (pasted wording) is the batch panel's, not a mark on every card
    marked = {r for m in dom.marks for r in str(m.get("data-rule")).split()}
    assert "TPL002" not in marked
    panel = dom.by_id["batch"]
    assert "This passage appears in" in panel and "notes" in panel
    passages = [a for tag, a in dom.elements if tag == "div" and a.get("data-notes")]
    assert len(passages) > 10 and max(int(str(p["data-notes"])) for p in passages) >= 20
    # the filter bar is shown (the script ran under the page's policy) and counts all notes
    form = next(a for tag, a in dom.elements if tag == "form")
    assert "hidden" not in form and form["data-shown"] == str(len(notes))
    assert dom.by_id["filter-status"] == f"Showing {len(notes)} of {len(notes)} notes"

    errors_only = _browse(page, tmp_path, "?severity=error")
    shown = [n for n in _notes(errors_only) if "hidden" not in n]
    n_errors = sum(1 for n in notes if n["data-worst"] == "error")
    assert 0 < len(shown) == n_errors < len(notes)
    assert all(n["data-worst"] == "error" for n in shown)
    assert errors_only.by_id["filter-status"] == f"Showing {n_errors} of {len(notes)} notes"

    officer = str(notes[0]["data-officer"])
    mine = _browse(page, tmp_path, f"?officer={officer}")
    shown = [n for n in _notes(mine) if "hidden" not in n]
    assert shown and all(n["data-officer"] == officer for n in shown)
    assert len(shown) == sum(1 for n in notes if n["data-officer"] == officer)
    entries = [a for tag, a in mine.elements if tag == "li" and a.get("data-officer")]
    assert all(("hidden" in a) == (a["data-officer"] != officer) for a in entries)
