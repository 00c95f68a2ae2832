"""One self-contained, offline HTML page for a batch: counts, a contents list, each note with
findings (errors first), and the batch panel of wording pasted across notes.

Trainers and safeguarding staff open this file from a shared drive or an e-mail, often on
locked-down machines, so everything is inline: the CSS, and one small script (``_SCRIPT``) for
the severity and officer filters.  A Content-Security-Policy in the page allows that script
(by its hash) and nothing else: no other script runs and nothing is fetched from a network.
With scripts off the page still reads top to bottom: the filters stay hidden and every note is
listed.  Every piece of note-derived text (note text, ids, names, teams, messages) goes through
``html.escape``: a note that contains ``<script>`` is shown as those characters, never run.  It
is also isolated in ``<bdi>`` (``user``), so that a right-to-left override in a name cannot
make the words around it read differently; tooltips and ``<option>`` labels, which cannot hold
elements, drop such controls (``attr``).

Why this shape
--------------
* **Errors first.** Notes are written to one temporary file per worst severity as they stream
  in, and copied out error, warning, info; the contents list is spooled the same way.  Memory
  stays flat however long the export is; the counts and filters come from the summary.
* **Batch findings once.** TPL002 (the same passage pasted across notes) is a fact about the
  batch, and marking it on every card buried the errors.  Each passage gets one entry in the
  batch panel ("this passage appears in 37 notes", with links to them); a card only links to
  it.  The panel keeps, per passage, its text once and at most ``_PANEL_NOTES`` links.
* **Folded fields.** A narrative field with no finding of its own is folded (``<details>``);
  flagged fields are open, their spans highlighted.
* **Text.** The HTML report shows note text (that is its purpose; ``--show-text`` is for the
  other formats), as it always has.
"""

from __future__ import annotations

import base64
import hashlib
import html
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import pairwise
from typing import IO, Any, TextIO

from ppncheck.batch.templated import RULE_ID as TEMPLATED
from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.base import finding_text, printable
from ppncheck.report.summary import GroupCounts, Summary, officer_of
from ppncheck.shape import NOTE_FIELD, all_text_fields, field_in_words, is_free_text

BATCH_RULES = frozenset({TEMPLATED})  # findings about the batch: one panel, not every card
SEVERITIES = ("error", "warning", "info")  # worst first
_SEVERITY_WORDS = {"error": "Errors", "warning": "Warnings", "info": "Info only"}
_PANEL_NOTES = 200  # links kept per pasted passage; the count stays exact

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
 color:#1b1f24;background:#f6f7f9}
[hidden]{display:none!important}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.5em;margin:.3em 0}
h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid #d0d4da;padding-bottom:.2em}
h3{font-size:1.05em;margin:0 0 .3em}
h4{font-size:.95em;margin:.8em 0 .2em}
nav.jump a{margin-right:1em}
.counts{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.count{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:8px 14px;min-width:90px}
.count .n{display:block;font-size:1.5em;font-weight:700}
table{border-collapse:collapse;background:#fff;margin:.3em 0 1em;width:100%}
th,td{border:1px solid #d0d4da;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.filters{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:8px 14px;
 position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
.filters fieldset{border:0;margin:0;padding:0}
.filters legend{float:left;margin-right:.5em;font-weight:600}
.toc h3{margin:.8em 0 .2em}
.toc ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 6px}
.toc li a{display:inline-block;padding:1px 6px;border-radius:3px;text-decoration:none;
 font-size:.9em;border:1px solid #d0d4da;background:#fff}
.toc li.sev-error a{border-left:4px solid #c62828}
.toc li.sev-warning a{border-left:4px solid #b58100}
.toc li.sev-info a{border-left:4px solid #1f6feb}
.note{background:#fff;border:1px solid #d0d4da;border-left-width:5px;border-radius:6px;
 padding:12px 16px;margin:14px 0}
.note.sev-error{border-left-color:#c62828}
.note.sev-warning{border-left-color:#b58100}
.note.sev-info{border-left-color:#1f6feb}
.meta{color:#57606a;margin:0 0 .5em}
.quiet{color:#57606a;font-weight:400}
details.field>summary{cursor:pointer;font-weight:600;margin:.6em 0 .2em}
details.field.quiet>summary::after{content:" · no findings";font-weight:400;color:#57606a}
details.field.pasted>summary::after{content:" · pasted wording, see the batch panel";
 font-weight:400;color:#57606a}
.text{white-space:pre-wrap;background:#fbfbfc;border-left:3px solid #d0d4da;padding:6px 10px;
 margin:.2em 0}
mark{padding:0 1px;border-radius:2px}
mark.sev-error{background:#ffd6d6;border-bottom:2px solid #c62828}
mark.sev-warning{background:#fff1b8;border-bottom:2px solid #b58100}
mark.sev-info{background:#d8ecff;border-bottom:2px solid #1f6feb}
.tag{font-size:.75em;font-weight:700;padding:0 3px;border-radius:3px;margin-left:2px;
 vertical-align:super;color:#fff}
.tag.sev-error,.badge.sev-error{background:#c62828}
.tag.sev-warning,.badge.sev-warning{background:#9a6b00}
.tag.sev-info,.badge.sev-info{background:#1f6feb}
.badge{color:#fff;border-radius:3px;padding:0 5px;font-size:.85em}
.explain{margin:.2em 0 .6em 1.2em;padding:0}
.explain li{margin:.15em 0}
.suggestion{color:#1a5e20}
.passage{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:8px 14px;
 margin:10px 0}
.passage ul{margin:.3em 0;padding-left:1.2em;columns:14em}
code{font-size:.9em}
footer{max-width:1100px;margin:30px auto;padding:0 20px;color:#57606a;font-size:.85em}
"""

# The filters: severity check boxes and an officer list hide the notes (and contents entries)
# that do not match.  The starting state can come from the address (``report.html?severity=
# error,warning&officer=1234``), so a filtered view can be shared as a link.
_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=severity]"));
  var officer = form.querySelector("select[name=officer]");
  var status = document.getElementById("filter-status");
  var params = new URLSearchParams(window.location.search);
  if (params.has("severity")) {
    var wanted = params.get("severity").split(",");
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
  }
  if (params.has("officer")) { officer.value = params.get("officer"); }
  function apply() {
    var sev = {};
    boxes.forEach(function (b) { sev[b.value] = b.checked; });
    var who = officer.value;
    var shown = 0;
    var notes = document.querySelectorAll("section.note");
    notes.forEach(function (el) {
      var keep = sev[el.dataset.worst] === true && (!who || el.dataset.officer === who);
      el.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll("[data-officer]:not(section)").forEach(function (el) {
      var bySeverity = !el.dataset.worst || sev[el.dataset.worst] === true;
      el.hidden = !(bySeverity && (!who || el.dataset.officer === who));
    });
    status.textContent = "Showing " + shown + " of " + notes.length + " notes";
    form.dataset.shown = String(shown);
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
"""


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# Only this page's own style and script, by hash; no fetch, image, font, frame or form target.
CSP = (
    f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def user(value: Any) -> str:
    """Text that came from the input, escaped and isolated in ``<bdi>``: a name holding a
    right-to-left override cannot reorder the words around it."""
    return f"<bdi>{esc(value)}</bdi>"


def attr(value: Any) -> str:
    """Text for an attribute (a tooltip), which cannot hold ``<bdi>``: controls dropped."""
    return esc(printable("" if value is None else str(value)))


@dataclass
class _Passage:
    """One pasted passage of the batch panel: its text once, and the notes that carry it."""

    text: str
    where: str  # the field it was first seen in
    words: int
    notes: int = 0  # every note carrying it (exact)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (card, ident, collar)


class HtmlWriter:
    def __init__(self, stream: TextIO, *, title: str = "ppncheck report") -> None:
        self._stream = stream
        self._title = title
        # notes and their contents entries, one file per worst severity, closed in close()
        self._cards = {s: _spool() for s in SEVERITIES}
        self._toc = {s: _spool() for s in SEVERITIES}
        self._by_worst: Counter[str] = Counter()
        self._passages: dict[str, _Passage] = {}
        self._shown = 0

    def write(self, item: InputItem, report: Report) -> None:
        if not report.findings:
            return
        self._shown += 1
        number = self._shown
        worst = (report.worst() or Severity.INFO).value
        self._by_worst[worst] += 1
        collar, _ = officer_of(item.payload)
        ident = _ident(item, report)
        links = self._add_passages(item, report, number, ident, collar)
        self._cards[worst].write(render_note(item, report, number, passages=links))
        self._toc[worst].write(
            f'<li class="sev-{worst}" data-worst="{worst}" data-officer="{attr(collar)}">'
            f'<a href="#note-{number}">{user(ident)}</a></li>\n'
        )

    def _add_passages(
        self, item: InputItem, report: Report, number: int, ident: str, collar: str
    ) -> dict[str, str]:
        """Record the report's batch findings in the panel; field -> the passage's anchor."""
        links: dict[str, str] = {}
        for f in report.findings:
            if f.rule_id not in BATCH_RULES:
                continue
            key = str((f.details or {}).get("passage_id") or f"{f.rule_id}-{number}-{f.field}")
            passage = self._passages.get(key)
            if passage is None:
                text = finding_text(item.payload, f) or ""
                words = int((f.details or {}).get("words") or len(text.split()))
                passage = self._passages[key] = _Passage(text, f.field or "", words)
            if not passage.links or passage.links[-1][0] != number:
                passage.notes += 1
                if len(passage.links) < _PANEL_NOTES:
                    passage.links.append((number, ident, collar))
            links[f.field or ""] = f"passage-{_anchor(key)}"
        return links

    def close(self, summary: Summary) -> None:
        out = self._stream
        out.write(_head(self._title))
        out.write(_jump_links(bool(self._passages)))
        out.write(_summary_html(summary, self._shown))
        out.write(_filters_html(summary, self._by_worst))
        self._write_contents(out)
        out.write('<h2 id="notes">Notes with findings, errors first</h2>\n')
        if self._shown == 0:
            out.write("<p>No note has a finding at the reported level.</p>\n")
        for sev in SEVERITIES:
            _copy(self._cards[sev], out)
        if self._passages:
            out.write(self._panel_html())
        out.write(
            _group_table("by-officer", "By officer (collar number)", "Officer", summary.officers)
        )
        out.write(_group_table("by-team", "By team", "Team", summary.teams))
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out.write(
            f"</main>\n<footer>Generated by ppncheck on {esc(stamp)}. "
            f"{esc(summary.line())}</footer>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
        )
        out.flush()

    def _write_contents(self, out: TextIO) -> None:
        """The contents list: every note's id by its worst severity, linking to its card."""
        out.write('<nav class="toc" id="contents" aria-label="Notes"><h2>Contents</h2>\n')
        if not self._shown:
            out.write("<p>No note has a finding at the reported level.</p>\n")
        for sev in SEVERITIES:
            n = self._by_worst[sev]
            if n:
                out.write(
                    f'<h3 id="contents-{sev}">{_SEVERITY_WORDS[sev]} <span class="quiet">'
                    f"({n} {'note' if n == 1 else 'notes'})</span></h3>\n<ol>\n"
                )
                _copy(self._toc[sev], out)
                out.write("</ol>\n")
            else:
                self._toc[sev].close()
        out.write("</nav>\n")

    def _panel_html(self) -> str:
        passages = sorted(self._passages.items(), key=lambda kv: (-kv[1].notes, kv[0]))
        total = sum(p.notes for _, p in passages)
        parts = [
            '<section id="batch" class="batch"><h2>Wording pasted across notes (TPL002)</h2>',
            f"<p>{len(passages)} {'passage' if len(passages) == 1 else 'passages'} of wording "
            f"{'is' if len(passages) == 1 else 'are'} pasted into several notes of this batch "
            f"({total} findings). Each note should describe the individual child; the notes "
            "below carry the passage (in full, or edited).</p>",
        ]
        for key, p in passages:
            parts.append(
                f'<div class="passage" id="passage-{_anchor(key)}" data-notes="{p.notes}">'
                f"<h3>This passage appears in {p.notes} {'note' if p.notes == 1 else 'notes'}"
                f' <span class="quiet">({p.words} words, first seen in '
                f"{user(field_in_words(p.where))})</span></h3>"
                f'<div class="text"><bdi>{esc(p.text)}</bdi></div><ul>'
            )
            for number, ident, collar in p.links:
                parts.append(
                    f'<li data-officer="{attr(collar)}"><a href="#note-{number}">'
                    f"{user(ident)}</a></li>"
                )
            if p.notes > len(p.links):
                parts.append(f"<li>and {p.notes - len(p.links)} more</li>")
            parts.append("</ul></div>")
        parts.append("</section>\n")
        return "\n".join(parts)


def _spool() -> IO[str]:
    return tempfile.TemporaryFile("w+", encoding="utf-8")  # closed by _copy


def _copy(spool: IO[str], out: TextIO) -> None:
    spool.seek(0)
    shutil.copyfileobj(spool, out)
    spool.close()


def _anchor(key: str) -> str:
    """An id-safe form of a passage key (a hex passage id in practice)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in key)


def _ident(item: InputItem, report: Report) -> str:
    row = report.row if report.row is not None else item.row
    return report.ppn_id or f"row {row}"


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{esc(title)}</h1></header>\n<main>\n"
    )


def _jump_links(panel: bool) -> str:
    links = [
        ("summary", "Summary"),
        ("by-rule", "By rule"),
        ("contents", "Contents"),
        ("notes", "Notes"),
        *([("batch", "Pasted wording")] if panel else []),
        ("by-officer", "By officer"),
        ("by-team", "By team"),
    ]
    return (
        '<nav class="jump" aria-label="Sections">'
        + "".join(f'<a href="#{key}">{label}</a>' for key, label in links)
        + "</nav>\n"
    )


def _filters_html(summary: Summary, by_worst: Counter[str]) -> str:
    """The filter bar: hidden until the script shows it, so a page without scripts lists
    every note and offers no control that would do nothing."""
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{sev}" checked> '
        f"{_SEVERITY_WORDS[sev].lower()} ({by_worst[sev]})</label> "
        for sev in SEVERITIES
    )
    options = "".join(
        f'<option value="{attr(collar)}">{attr(collar)} ({g.notes} '
        f"{'note' if g.notes == 1 else 'notes'}, {g.needs_work} need work)</option>"
        for collar, g in sorted(summary.officers.items())
    )
    return (
        '<form id="filters" class="filters" hidden>'
        f"<fieldset><legend>Worst finding</legend>{boxes}</fieldset>"
        '<label>Officer <select name="officer"><option value="">all officers</option>'
        f'{options}</select></label> <output id="filter-status" aria-live="polite"></output>'
        "</form>\n"
    )


def _summary_html(summary: Summary, shown: int) -> str:
    from ppncheck.catalogue import catalogue

    boxes = [
        ("rows-read", "rows read", summary.rows_read),
        ("checked", "checked", summary.checked),
        ("unreadable", "unreadable", summary.unreadable),
        ("needs-work", "notes needing work", summary.needs_work),
        ("error", "errors", summary.by_severity["error"]),
        ("warning", "warnings", summary.by_severity["warning"]),
        ("info", "info", summary.by_severity["info"]),
    ]
    parts = ['<h2 id="summary">Summary</h2>\n<div class="counts">']
    for key, label, n in boxes:
        parts.append(
            f'<div class="count" id="count-{key}"><span class="n">{n}</span>{esc(label)}</div>'
        )
    parts.append("</div>")
    if summary.sample_size is not None:
        parts.append(
            f"<p>A deterministic sample of {summary.reported} of {summary.rows_read} records "
            f"was checked (seed {esc(summary.sample_seed)}).</p>"
        )
    if summary.baseline is not None:
        b = summary.baseline
        parts.append(
            f'<p class="meta" id="baseline">Baseline {user(b.source)}: {b.suppressed} '
            f"{'finding' if b.suppressed == 1 else 'findings'} dismissed before are left out; "
            f"{len(b.stale)} stale {'entry' if len(b.stale) == 1 else 'entries'} (listed in the "
            "text and JSON reports).</p>"
        )
    for notice in summary.notices:
        parts.append(f'<p class="meta">Note: {user(notice)}</p>')
    parts.append('<h2 id="by-rule">Findings by rule</h2>')
    if summary.by_rule:
        cat = catalogue()
        rows = []
        for rule_id, n in summary.by_rule.items():
            try:
                rule = cat.get(rule_id)
                name, sev, what = rule.name, rule.severity.value, rule.summary
            except KeyError:
                name, sev, what = "", "", ""
            rank = SEVERITIES.index(sev) if sev in SEVERITIES else len(SEVERITIES)
            rows.append((rank, -n, rule_id, name, sev, what, n))
        parts.append(
            '<table id="table-rules"><thead><tr><th>Rule</th><th>Name</th><th>Severity</th>'
            "<th>What it means</th><th>Findings</th></tr></thead><tbody>"
        )
        for *_, rule_id, name, sev, what, n in sorted(rows):  # errors first, then by count
            parts.append(
                f'<tr data-rule="{esc(rule_id)}"><td>{esc(rule_id)}</td><td>{esc(name)}</td>'
                f'<td>{esc(sev)}</td><td>{esc(what)}</td><td class="num">{n}</td></tr>'
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No findings.</p>")
    return "\n".join(parts) + "\n"


def _group_table(key: str, heading: str, label: str, groups: dict[str, GroupCounts]) -> str:
    rows = [
        f'<tr><td>{user(name)}</td><td class="num">{g.notes}</td>'
        f'<td class="num">{g.needs_work}</td><td class="num">{g.error}</td>'
        f'<td class="num">{g.warning}</td><td class="num">{g.info}</td></tr>'
        for name, g in sorted(groups.items(), key=lambda kv: (-kv[1].needs_work, kv[0]))
    ]
    return (
        f'<h2 id="{key}">{esc(heading)}</h2>\n<table id="table-{key}"><thead><tr>'
        f"<th>{esc(label)}</th><th>Notes</th><th>Need work</th><th>Errors</th>"
        "<th>Warnings</th><th>Info</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n"
    )


def render_note(
    item: InputItem, report: Report, number: int, *, passages: dict[str, str] | None = None
) -> str:
    """One note's card: who, its findings, and its text fields, flagged ones open with their
    spans highlighted and the rest folded.  Batch findings (TPL002) are not marked here: the
    card links to their passage in the batch panel (``passages``: field -> anchor)."""
    collar, team = officer_of(item.payload)
    name = None
    if isinstance(item.payload, dict) and isinstance(item.payload.get("officer"), dict):
        name = item.payload["officer"].get("name")
    row = report.row if report.row is not None else item.row
    worst = (report.worst() or Severity.INFO).value
    own = [f for f in report.findings if f.rule_id not in BATCH_RULES]
    batch = [f for f in report.findings if f.rule_id in BATCH_RULES]
    counts = Counter(f.severity.value for f in own)
    tally = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    parts = [
        f'<section class="note sev-{worst}" id="note-{number}" '
        f'data-ppn="{attr(report.ppn_id or "")}" data-worst="{worst}" '
        f'data-officer="{attr(collar)}">',
        f'<h3><span class="badge sev-{worst}">{worst}</span> PPN '
        f'<span class="ppn-id">{user(_ident(item, report))}</span>'
        + (f' <span class="quiet">({esc(tally)})</span>' if tally else "")
        + "</h3>",
        f'<p class="meta">Row {esc(row)}{" of " + user(item.source) if item.source else ""}'
        f" · Officer {user(collar)}{' (' + user(name) + ')' if isinstance(name, str) else ''}"
        f" · Team {user(team)}</p>",
    ]
    if own:
        parts.append(
            '<table class="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Where</th>'
            "<th>What to change</th></tr></thead><tbody>"
        )
        for f in own:
            sev = esc(f.severity.value)
            suggestion = _suggestion(f, "Suggestion: ", br=True)
            parts.append(
                f'<tr class="finding" data-rule="{esc(f.rule_id)}">'
                f'<td><span class="badge sev-{sev}">{sev}</span></td>'
                f"<td>{esc(f.rule_id)}</td><td>{user(field_in_words(f.field))}"
                f"<br><code>{user(f.field or '')}</code></td>"
                f"<td>{user(f.message)}{suggestion}</td></tr>"
            )
        parts.append("</tbody></table>")
    if batch:
        links = passages or {}
        where = ", ".join(
            f'<a href="#{links[f.field or ""]}">{user(field_in_words(f.field))}</a>'
            if (f.field or "") in links
            else user(field_in_words(f.field))
            for f in batch
        )
        parts.append(
            f'<p class="batch-ref"><span class="badge sev-info">{esc(TEMPLATED)}</span> '
            f"Wording pasted across notes of this batch, in: {where} (see the batch panel).</p>"
        )
    batch_fields = {f.field or "" for f in batch}
    for path, text, findings in _text_fields(item.payload, own, batch_fields):
        # flagged fields open; the rest folded, their state said by CSS (.quiet, .pasted)
        if findings:
            opening = '<details class="field" open>'
        else:
            opening = f'<details class="field {"pasted" if path in batch_fields else "quiet"}">'
        parts.append(f"{opening}<summary>{user(field_in_words(path))}</summary>")
        parts.append(f'<div class="text"><bdi>{highlight(text, findings)}</bdi></div>')
        spans = [f for f in findings if _span(f, len(text))]
        if spans:
            parts.append('<ul class="explain">')
            for f in spans:
                quoted = text[f.start or 0 : f.end or 0]
                parts.append(
                    f'<li><span class="tag sev-{esc(f.severity.value)}">{esc(f.rule_id)}</span> '
                    f"“{user(quoted)}”: {user(f.message)}" + _suggestion(f, "Instead: ") + "</li>"
                )
            parts.append("</ul>")
        parts.append("</details>")
    parts.append("</section>\n")
    return "\n".join(parts)


def _suggestion(f: Finding, label: str, *, br: bool = False) -> str:
    if not f.suggestion:
        return ""
    before = "<br>" if br else " "
    return f'{before}<span class="suggestion">{esc(label)}{user(f.suggestion)}</span>'


def _text_fields(
    payload: Any, findings: list[Finding], also: set[str] | frozenset[str] = frozenset()
) -> list[tuple[str, str, list[Finding]]]:
    """The note's narrative fields plus any text field a finding (or ``also``) points at, in
    record order, each with its findings.

    The whole narrative is shown (unflagged fields folded) so that a reader sees each flag in
    context, as the officer wrote it.
    """
    by_field: dict[str, list[Finding]] = {}
    for f in findings:
        key = f.field or (NOTE_FIELD if isinstance(payload, str) else "")
        if key:
            by_field.setdefault(key, []).append(f)
    out = []
    for path, value in all_text_fields(payload):
        wanted = path in by_field or path in also or is_free_text(path)
        if wanted and value.strip():
            out.append((path, value, by_field.get(path, [])))
    return out


def _span(f: Finding, length: int) -> bool:
    return f.start is not None and f.end is not None and 0 <= f.start < f.end <= length


def highlight(text: str, findings: list[Finding]) -> str:
    """Escape ``text`` and wrap each finding's span in ``<mark>``, tagged with its rule id.

    Overlapping spans are split into segments; a segment covered by several findings carries
    all their rule ids.  The tag after a span names the rule, and the mark's title explains it.
    """
    spans = [f for f in findings if _span(f, len(text))]
    if not spans:
        return esc(text)
    cuts = sorted({0, len(text), *(f.start or 0 for f in spans), *(f.end or 0 for f in spans)})
    out: list[str] = []
    for a, b in pairwise(cuts):
        segment = esc(text[a:b])
        covering = [f for f in spans if (f.start or 0) <= a and b <= (f.end or 0)]
        if covering:
            worst = max(covering, key=lambda f: f.severity.rank)
            rules = " ".join(dict.fromkeys(f.rule_id for f in covering))
            title = " | ".join(f"{f.rule_id}: {f.message}" for f in covering)
            out.append(
                f'<mark class="sev-{esc(worst.severity.value)}" data-rule="{esc(rules)}" '
                f'title="{attr(title)}">{segment}</mark>'
            )
        else:
            out.append(segment)
        for f in spans:
            if f.end == b:
                out.append(f'<sup class="tag sev-{esc(f.severity.value)}">{esc(f.rule_id)}</sup>')
    return "".join(out)
