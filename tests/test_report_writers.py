"""Every report writer on hand-made reports: shape, order, escaping and privacy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.csvout import BOM, CsvWriter, safe_cell
from ppncheck.report.feedback import FeedbackWriter, safe_name
from ppncheck.report.jsonl import JsonlWriter
from ppncheck.report.jsonout import JsonWriter
from ppncheck.report.summary import Summary
from ppncheck.report.text import TextWriter
from ppncheck.shape import field_in_words

NOTE = "She appears to engage in risky business with older friends."
RECORD: dict[str, Any] = {
    "ppn_id": "PPN-W-001",
    "officer": {"collar_number": "PC4471", "name": "PC Dana Whitlock", "team": "Vale Response"},
    "circumstances": NOTE,
    "persons": [{"person_id": "c1", "sde_code": ""}],
}
VB = Finding(
    rule_id="VB001",
    severity=Severity.WARNING,
    message="This wording may blame the child; describe who is causing the risk.",
    field="circumstances",
    start=NOTE.index("risky business"),
    end=NOTE.index("risky business") + len("risky business"),
    suggestion="she is being exploited by ...",
)
ETH = Finding(
    rule_id="ETH001",
    severity=Severity.ERROR,
    message="No self-defined ethnicity is recorded for person c1.",
    field="persons[0].sde_code",
)
PPN0 = Finding(
    rule_id="PPN000",
    severity=Severity.ERROR,
    message="This record could not be read (not valid JSON).",
)


def _batch() -> list[tuple[InputItem, Report]]:
    return [
        (InputItem(row=1, payload=RECORD, source="a.jsonl"), Report("PPN-W-001", [ETH, VB], row=1)),
        (InputItem(row=2, error="not valid JSON", source="a.jsonl"), Report(None, [PPN0], row=2)),
        (
            InputItem(row=3, payload={"ppn_id": "=HYPERLINK(1)"}, source="a.jsonl"),
            Report("=HYPERLINK(1)", [], row=3),
        ),
    ]


def _run(writer: Any) -> Summary:
    summary = Summary()
    for item, report in _batch():
        summary.add(item, report, failed=not report.ok)
        writer.write(item, report)
    summary.rows_read = 3
    writer.close(summary)
    return summary


def test_jsonl_one_line_per_record_in_order_without_note_text() -> None:
    out = io.StringIO()
    _run(JsonlWriter(out))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    docs = [json.loads(line) for line in lines]
    assert [d["row"] for d in docs] == [1, 2, 3]
    assert [d["ppn_id"] for d in docs] == ["PPN-W-001", None, "=HYPERLINK(1)"]
    assert [d["ok"] for d in docs] == [False, False, True]
    assert set(docs[0]) >= {"ppn_id", "row", "ok", "findings"}
    assert [f["rule_id"] for f in docs[0]["findings"]] == ["ETH001", "VB001"]
    assert "risky business" not in out.getvalue()
    assert "text" not in docs[0]["findings"][1]


def test_show_text_adds_the_flagged_words() -> None:
    out = io.StringIO()
    _run(JsonlWriter(out, show_text=True))
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["findings"][1]["text"] == "risky business"
    assert first["findings"][0]["text"] == ""  # the blank ethnicity cell


def test_json_is_one_valid_document_with_summary() -> None:
    out = io.StringIO()
    _run(JsonWriter(out))
    doc = json.loads(out.getvalue())
    assert [r["row"] for r in doc["reports"]] == [1, 2, 3]
    assert doc["summary"]["rows_read"] == 3
    assert doc["summary"]["by_severity"] == {"info": 0, "warning": 1, "error": 2}
    assert doc["summary"]["by_officer"]["PC4471"]["needs_work"] == 1


def test_json_with_no_records_is_valid() -> None:
    out = io.StringIO()
    writer = JsonWriter(out)
    writer.close(Summary())
    assert json.loads(out.getvalue())["reports"] == []


def test_csv_opens_with_csv_module_bom_crlf_and_one_row_per_finding(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        _run(CsvWriter(fh))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["row"], r["rule_id"]) for r in rows] == [
        ("1", "ETH001"),
        ("1", "VB001"),
        ("2", "PPN000"),
        ("3", ""),
    ]
    assert rows[1]["officer"] == "PC4471" and rows[1]["start"] == str(VB.start)
    assert rows[3]["ok"] == "true" and rows[0]["ok"] == "false"
    # formula injection: the id that starts with = is neutralised
    assert rows[3]["ppn_id"] == "'=HYPERLINK(1)"
    assert "text" not in rows[0]
    assert "risky business" not in raw.decode("utf-8-sig")


def test_csv_show_text_column(tmp_path: Path) -> None:
    out = io.StringIO()
    _run(CsvWriter(out, show_text=True))
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip(BOM))))
    assert rows[1]["text"] == "risky business"


def test_safe_cell() -> None:
    for danger in ("=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(danger) == "'" + danger
    assert safe_cell("Kestrel Moor") == "Kestrel Moor"
    assert safe_cell(3) == 3


def test_text_writer_prints_a_table_and_the_summary() -> None:
    out = io.StringIO()
    _run(TextWriter(out, color=False, width=160))
    text = out.getvalue()
    for expected in ("PPN-W-001", "ETH001", "VB001", "PPN000", "no findings", "3 rows read"):
        assert expected in text
    assert "risky business" not in text


def test_feedback_one_message_per_officer_and_export_faults_to_the_vat(tmp_path: Path) -> None:
    writer = FeedbackWriter(tmp_path / "fb")
    second = {**RECORD, "ppn_id": "PPN-W-002"}
    other = {**RECORD, "ppn_id": "PPN-W-003", "officer": {"collar_number": "PC9"}}
    batch = [
        *_batch(),
        (InputItem(row=4, payload=second, source="a.jsonl"), Report("PPN-W-002", [VB], row=4)),
        (InputItem(row=5, payload=other, source="a.jsonl"), Report("PPN-W-003", [VB], row=5)),
    ]
    summary = Summary()
    for item, report in batch:
        summary.add(item, report, failed=not report.ok)
        writer.write(item, report)
    writer.close(summary)
    files = sorted(p.name for p in (tmp_path / "fb").iterdir())
    # one message per collar number; the unreadable row goes to the VAT, never to an officer;
    # the clean record gets no message; the spool is gone
    assert files == ["PC4471.txt", "PC9.txt", "vat-export-faults.txt"]
    assert writer.written == 3
    body = (tmp_path / "fb" / "PC4471.txt").read_text(encoding="utf-8")
    assert body.startswith("To: Officer PC4471 (PC Dana Whitlock)")
    assert "About: 2 PPNs of yours" in body
    assert "== 1. PPN PPN-W-001 (row 1 of a.jsonl) ==" in body
    assert "== 2. PPN PPN-W-002 (row 4 of a.jsonl) ==" in body
    assert "PPN-W-003" not in body and "PPN000" not in body
    assert "person 1: self-defined ethnicity" in body.lower()
    assert "Please fix before this PPN can be shared:" in body
    assert "Instead, write: she is being exploited by ..." in body
    assert 'Your wording: "risky business"' in body
    assert "(Check ETH001:" in body  # the id comes with a plain explanation
    assert "Please update and resubmit." in body
    only_warnings = (tmp_path / "fb" / "PC9.txt").read_text(encoding="utf-8")
    assert "can go ahead" in only_warnings and "resubmit" not in only_warnings
    vat = (tmp_path / "fb" / "vat-export-faults.txt").read_text(encoding="utf-8")
    assert vat.startswith("To: Vulnerability Assessment Team")
    assert "- row 2 of a.jsonl: This record could not be read (not valid JSON)." in vat
    assert "resubmit" not in vat


def test_feedback_file_names_are_sanitised_and_unique(tmp_path: Path) -> None:
    writer = FeedbackWriter(tmp_path)
    for collar in ("PC 12/7", "PC-12-7"):  # two collar numbers that sanitise the same
        record = {"ppn_id": "../../etc/passwd", "officer": {"collar_number": collar}}
        writer.write(InputItem(row=1, payload=record), Report(record["ppn_id"], [ETH], row=1))
    writer.close(Summary())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["PC-12-7.txt", "PC-12-7_2.txt"]
    assert safe_name("") == "unknown"


def test_field_paths_in_plain_words() -> None:
    assert field_in_words("persons[1].sde_code") == "person 2: self-defined ethnicity"
    assert field_in_words("voice_of_child[0].aware.words").startswith(
        "voice of child entry 1: AWARE Words"
    )
    assert field_in_words("circumstances") == "the circumstances"
    assert field_in_words(None) == "the note as a whole"


# -- issue 18: isolation ---------------------------------------------------------------------


def test_text_report_drops_control_characters_from_input_text() -> None:
    esc = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
    record = {"ppn_id": f"PPN{esc}-1\u202e", "circumstances": f"risky{esc} business"}
    finding = Finding(
        rule_id="VB001",
        severity=Severity.WARNING,
        message=f"msg {esc}",
        field="circumstances",
        start=0,
        end=16,
        suggestion=f"sug{esc}",
    )
    out = io.StringIO()
    writer = TextWriter(out, color=False, width=200, show_text=True)
    summary = Summary()
    item = InputItem(row=1, payload=record, source=f"in{esc}.jsonl")
    report = Report(record["ppn_id"], [finding], row=1)
    summary.add(item, report, failed=True)
    summary.notices.append(f"in{esc}.jsonl: a notice")
    writer.write(item, report)
    writer.close(summary)
    text = out.getvalue()
    assert not any(c in text for c in "\x1b\x07\x9b\u202e")
    assert "PPN]0;pwned[2J31m-1" in text  # the printable rest is still shown
    assert "risky]0;pwned" in text  # --show-text's column too


def test_feedback_never_overwrites_or_follows_a_symlink(tmp_path: Path) -> None:
    folder = tmp_path / "fb"
    folder.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    (folder / "PC1.txt").symlink_to(target)  # planted before the run
    (folder / "PC1_2.txt").write_text("an earlier run", encoding="utf-8")
    (folder / "vat-export-faults.txt").write_text("an earlier run", encoding="utf-8")
    writer = FeedbackWriter(folder)
    for row, ident in enumerate(("A/B", "A-B", "A B"), start=1):
        record = {"ppn_id": ident, "officer": {"collar_number": "PC1"}}
        writer.write(InputItem(row=row, payload=record), Report(ident, [ETH], row=row))
    writer.write(InputItem(row=4, error="bad JSON"), Report(None, [PPN0], row=4))
    writer.close(Summary())
    assert target.read_text(encoding="utf-8") == "keep me"
    assert (folder / "PC1_2.txt").read_text(encoding="utf-8") == "an earlier run"
    assert (folder / "vat-export-faults.txt").read_text(encoding="utf-8") == "an earlier run"
    new = sorted(p.name for p in folder.iterdir() if not p.is_symlink())
    assert new == ["PC1_2.txt", "PC1_3.txt", "vat-export-faults.txt", "vat-export-faults_2.txt"]
    body = (folder / "PC1_3.txt").read_text(encoding="utf-8")
    assert [line for line in body.splitlines() if line.startswith("==")] == [
        "== 1. PPN A/B ==",
        "== 2. PPN A-B ==",
        "== 3. PPN A B ==",
    ]
    assert writer.written == 2
