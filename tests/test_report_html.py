"""The HTML report without a browser: self-contained, escaped, spans highlighted."""

from __future__ import annotations

import io
import re
from typing import Any

from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.html import _CSS, _SCRIPT, CSP, HtmlWriter, _csp_hash, highlight
from ppncheck.report.summary import Summary

HOSTILE = 'Child said <script>alert(1)</script> and <b>bold</b> "quoted" & more.'


def _finding(rule: str, sev: Severity, start: int | None, end: int | None, field: str) -> Finding:
    return Finding(
        rule_id=rule, severity=sev, message=f"{rule} <i>msg</i>", field=field, start=start, end=end
    )


def _render(items: list[tuple[InputItem, Report]]) -> str:
    out = io.StringIO()
    writer = HtmlWriter(out)
    summary = Summary()
    for item, report in items:
        summary.rows_read += 1
        summary.add(item, report, failed=not report.ok)
        writer.write(item, report)
    writer.close(summary)
    return out.getvalue()


def _record(**extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ppn_id": "<img src=x onerror=alert(2)>",
        "officer": {"collar_number": "PC<9>", "name": "<b>Sgt</b>", "team": "Team & <u>Co</u>"},
        "circumstances": HOSTILE,
    }
    record.update(extra)
    return record


def _without_own_script(page: str) -> str:
    """The page minus the one script it carries (the filters), which must be exactly ours."""
    assert page.count("<script") == 1, "the page's own filter script, and no other"
    assert f"<script>{_SCRIPT}</script>" in page
    return page.replace(f"<script>{_SCRIPT}</script>", "")


def test_every_piece_of_note_text_is_escaped() -> None:
    start = HOSTILE.index("<script>")
    f = _finding(
        "VB001", Severity.WARNING, start, start + len("<script>alert(1)</script>"), "circumstances"
    )
    page = _render([(InputItem(row=1, payload=_record()), Report(_record()["ppn_id"], [f], row=1))])
    page = _without_own_script(page)
    assert "<script" not in page.lower()
    assert "<b>" not in page and "<img" not in page and "<u>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "PC&lt;9&gt;" in page and "&lt;b&gt;Sgt&lt;/b&gt;" in page
    assert "Team &amp; &lt;u&gt;Co&lt;/u&gt;" in page


def test_self_contained_no_external_urls_only_its_own_script() -> None:
    page = _render([])
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "http" not in _SCRIPT and "fetch" not in _SCRIPT and "src" not in _SCRIPT
    assert "<script" not in _without_own_script(page)
    # the policy allows this page's style and script, by hash, and nothing from anywhere
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP
    assert _csp_hash(_SCRIPT) in CSP and _csp_hash(_CSS) in CSP
    assert f"<style>{_CSS}</style>" in page


def test_counts_by_rule_officer_and_team() -> None:
    rec = _record()
    items = [
        (
            InputItem(row=i, payload=rec),
            Report(
                f"P{i}",
                [_finding("ETH001", Severity.ERROR, None, None, "persons[0].sde_code")],
                row=i,
            ),
        )
        for i in (1, 2)
    ]
    items.append(
        (
            InputItem(row=3, error="bad"),
            Report(None, [_finding("PPN000", Severity.ERROR, None, None, "")], row=3),
        )
    )
    page = _render(items)
    assert re.search(r'id="count-rows-read"><span class="n">3<', page)
    assert re.search(r'id="count-unreadable"><span class="n">1<', page)
    assert re.search(r'id="count-error"><span class="n">3<', page)
    assert re.search(r'<tr data-rule="ETH001"><td>ETH001</td>.*?<td class="num">2</td>', page)
    assert 'id="table-by-officer"' in page and 'id="table-by-team"' in page


def test_highlight_marks_spans_with_rule_ids_and_handles_overlap() -> None:
    text = "She is streetwise and puts herself at risk."
    a = _finding("VB001", Severity.WARNING, 7, 17, "note")
    b = _finding("TPL002", Severity.INFO, 0, 42, "note")
    html = highlight(text, [a, b])
    marks = re.findall(r'<mark class="sev-(\w+)" data-rule="([^"]+)"', html)
    assert ("warning", "TPL002 VB001") in marks or ("warning", "VB001 TPL002") in marks
    assert ("info", "TPL002") in marks
    assert '<sup class="tag sev-warning">VB001</sup>' in html
    # text is intact once tags are removed
    assert re.sub(r"<sup[^>]*>.*?</sup>|<[^>]+>", "", html) == text


def test_out_of_range_spans_are_ignored_not_crashing() -> None:
    f = _finding("VB001", Severity.WARNING, 5, 999, "note")
    assert highlight("short", [f]) == "short"


def test_free_text_note_is_shown_whole() -> None:
    note = "Appearance: N/A\nWords: she said <hello>"
    f = _finding("AWR006", Severity.ERROR, 12, 15, "note")
    page = _render([(InputItem(row=1, payload=note), Report(None, [f], row=1))])
    assert "she said &lt;hello&gt;" in page
    assert 'data-rule="AWR006"' in page


def test_user_text_is_isolated_in_bdi() -> None:
    """Issue 18: a right-to-left override in a name must not reorder the words after it."""
    rlo = "\u202e"
    record = {
        "ppn_id": f"PPN-{rlo}gpj.exe",
        "officer": {"collar_number": f"PC{rlo}12", "name": f"Sgt {rlo}Evil", "team": f"T{rlo}1"},
        "circumstances": f"Mum said {rlo}txet desrever and left.",
    }
    start = record["circumstances"].index("Mum")
    f = Finding(
        rule_id="VB001",
        severity=Severity.WARNING,
        message=f"quoting {rlo}x",
        field="circumstances",
        start=start,
        end=start + 8,
        suggestion=f"say {rlo}y",
    )
    page = _render(
        [
            (
                InputItem(row=1, payload=record, source=f"a{rlo}.jsonl"),
                Report(record["ppn_id"], [f], row=1),
            )
        ]
    )
    body = page[page.index('<section class="note') :]
    # every override in the page sits inside a <bdi> (or was dropped from an attribute)
    for m in re.finditer(rlo, page):
        before = page[: m.start()]
        assert before.rfind("<bdi>") > before.rfind("</bdi>"), page[m.start() - 80 : m.start()]
    assert f'<span class="ppn-id"><bdi>PPN-{rlo}gpj.exe</bdi></span>' in body
    officer = f"Officer <bdi>PC{rlo}12</bdi> (<bdi>Sgt {rlo}Evil</bdi>) · Team <bdi>T{rlo}1</bdi>"
    assert officer in body
    assert 'data-ppn="PPN-gpj.exe"' in body
    titles = re.findall(r'title="([^"]*)"', page)
    assert titles and all(rlo not in t for t in titles)
    assert f"<td><bdi>T{rlo}1</bdi></td>" in page  # the by-team table


def _tpl(field: str, start: int, end: int, passage: str, notes: int) -> Finding:
    return Finding(
        "TPL002",
        Severity.INFO,
        f"A passage here also appears in {notes} notes.",
        field,
        start,
        end,
        details={"passage_id": passage, "notes": notes, "words": 6},
    )


PASTED = "Child was seen and spoken to alone, no concerns raised today."


def _batch() -> list[tuple[InputItem, Report]]:
    """Five notes: one info-only (pasted wording), a warning, an error, two pasted again."""
    items = []
    plans = [
        ("P-info", "PC1", []),
        ("P-warn", "PC2", [_finding("VB001", Severity.WARNING, 0, 5, "rationale")]),
        ("P-err", "PC1", [_finding("ETH001", Severity.ERROR, None, None, "persons[0].sde_code")]),
        ("P-info2", "PC3", []),
        ("P-clean", "PC3", None),
    ]
    for row, (ppn, collar, own) in enumerate(plans, start=1):
        record = {
            "ppn_id": ppn,
            "officer": {"collar_number": collar, "team": "North"},
            "circumstances": PASTED + f" Note {row}.",
            "rationale": "Risky business again, graded medium.",
            "actions_taken": "Referred to children's social care.",
        }
        findings = [] if own is None else [*own, _tpl("circumstances", 0, len(PASTED), "abc123", 4)]
        items.append((InputItem(row=row, payload=record), Report(ppn, findings, row=row)))
    return items


def test_cards_errors_first_with_a_contents_list() -> None:
    page = _render(_batch())
    cards = re.findall(r'<section class="note sev-(\w+)" id="(note-\d+)" data-ppn="([^"]*)"', page)
    assert [c[2] for c in cards] == ["P-err", "P-warn", "P-info", "P-info2"]  # worst first
    assert [c[0] for c in cards] == ["error", "warning", "info", "info"]
    toc = page[
        page.index('<nav class="toc"') : page.index("</nav>", page.index('<nav class="toc"'))
    ]
    entries = re.findall(
        r'<li class="sev-(\w+)" data-worst="\1" data-officer="([^"]*)">'
        r'<a href="#(note-\d+)"><bdi>([^<]*)</bdi></a>',
        toc,
    )
    assert [(e[0], e[3]) for e in entries] == [
        ("error", "P-err"),
        ("warning", "P-warn"),
        ("info", "P-info"),
        ("info", "P-info2"),
    ]
    ids = {c[2]: c[1] for c in cards}
    assert all(ids[e[3]] == e[2] for e in entries)  # each entry links to its own card
    assert "Errors" in toc and "Warnings" in toc and "Info only" in toc
    assert "P-clean" not in toc  # a note without findings has no card


def test_batch_findings_in_one_panel_not_on_cards() -> None:
    page = _render(_batch())
    panel = page[page.index('<section id="batch"') :]
    panel = panel[: panel.index("</section>")]
    assert "This passage appears in 4 notes" in panel
    assert panel.count(PASTED) == 1  # the passage once, not per note
    assert re.findall(r'<a href="#note-\d+"><bdi>([^<]*)</bdi>', panel) == [
        "P-info",
        "P-warn",
        "P-err",
        "P-info2",
    ]
    cards = page[page.index('<h2 id="notes"') : page.index('<section id="batch"')]
    assert 'data-rule="TPL002"' not in cards  # no mark and no table row for it
    assert cards.count('href="#passage-abc123"') == 4  # each card links to the panel
    assert '<tr data-rule="TPL002">' in page  # still counted in the rule table


def test_unflagged_fields_are_folded_and_flagged_ones_open() -> None:
    page = _render(_batch())
    warn = re.search(r'<section [^>]*data-ppn="P-warn".*?</section>', page, re.S)
    assert warn is not None
    card = warn.group(0)
    assert re.search(r'<details class="field" open><summary><bdi>the rationale', card)
    assert re.search(r'<details class="field pasted"><summary><bdi>the circumstances', card)
    assert re.search(r'<details class="field quiet"><summary><bdi>the actions taken', card)


def test_rule_table_puts_errors_before_frequent_info() -> None:
    page = _render(_batch())
    order = re.findall(r'<tr data-rule="(\w+)">', page)
    assert order == ["ETH001", "VB001", "TPL002"]


def test_filters_are_hidden_without_a_script_and_list_officers() -> None:
    page = _render(_batch())
    form = page[page.index('<form id="filters"') : page.index("</form>")]
    assert '<form id="filters" class="filters" hidden>' in form  # shown by the script only
    assert re.findall(r'name="severity" value="(\w+)" checked', form) == [
        "error",
        "warning",
        "info",
    ]
    assert re.findall(r'<option value="([^"]*)">', form) == ["", "PC1", "PC2", "PC3"]
