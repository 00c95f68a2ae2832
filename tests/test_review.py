"""The review workbench through its real code paths: import with the batch runner into a real
SQLite store, then the FastAPI app through TestClient (token, CSRF, filters, pagination,
decisions across re-imports and two reviewers, the VAT list, drafts, the scratch pad, logs)."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ppncheck.config import Config
from ppncheck.read import ReadNotices, read_path
from ppncheck.review.app import COOKIE, create_app, csrf_for
from ppncheck.review.importer import ImportResult, export_digest, import_export
from ppncheck.review.store import (
    Batch,
    BatchFindingNote,
    Decision,
    FindingRow,
    Note,
    Store,
    open_store,
)

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "examples" / "records"
TOKEN = "test-token-123"
CSRF = csrf_for(TOKEN)


def _record(name: str, ppn_id: str, collar: str = "PC4471", team: str = "Vale") -> dict[str, Any]:
    record = json.loads((RECORDS / name).read_text(encoding="utf-8"))
    record["ppn_id"] = ppn_id
    record["officer"] = {**record["officer"], "collar_number": collar, "team": team}
    return record


def _export(path: Path, records: list[Any], broken: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(broken)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(store: Store, path: Path, config: Config | None = None) -> ImportResult:
    cfg = config or Config()
    return import_export(
        store,
        lambda: read_path(path, notices=ReadNotices()),
        sources=[path.name],
        digest=export_digest([path], None, cfg),
        config=cfg,
        reviewer="importer",
    )


def _client(store: Store, reviewer: str = "alice") -> TestClient:
    client = TestClient(create_app(store, TOKEN, reviewer=reviewer))
    assert client.get(f"/?token={TOKEN}").status_code == 200
    return client


def _p05() -> dict[str, Any]:
    """An adult-at-risk record whose rationale holds one victim-blaming phrase that the
    lexicon and the model both flag (a warning with a model score to show)."""
    record = _record("good-05-adult-at-risk-no-children.json", "P-05", "PC9001", "Coast")
    record["rationale"] += " He keeps putting himself at risk by going out at night."
    return record


def _base_records() -> list[dict[str, Any]]:
    return [
        _record("bad-01-ethnicity-missing.json", "P-01"),
        _record("bad-12-victim-blaming-and-unrecorded-children.json", "P-12"),
        _p05(),
        _record("bad-07-submitted-late.json", "P-07", "PC9001", "Coast"),
        _record("good-01-domestic-abuse-two-children.json", "P-G1"),
    ]


BROKEN = ('{"ppn_id": "P-99", "circumstances": ', "[1, 2, 3]")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "review.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def loaded(tmp_path: Path, store: Store) -> tuple[Store, Path]:
    path = _export(tmp_path / "export.jsonl", _base_records(), BROKEN)
    result = _import(store, path)
    assert not result.skipped and result.added == 7
    return store, path


def _note_id(store: Store, ppn_id: str) -> int:
    with store.session() as s:
        found = s.scalar(select(Note.id).where(Note.ppn_id == ppn_id))
    assert found is not None
    return found


def _finding(store: Store, ppn_id: str, rule: str) -> FindingRow:
    with store.session() as s:
        row = s.scalars(
            select(FindingRow)
            .join(Note, Note.id == FindingRow.note_id)
            .where(Note.ppn_id == ppn_id, FindingRow.rule_id == rule)
        ).first()
    assert row is not None
    return row


def _decide(
    client: TestClient, store: Store, ppn_id: str, rule: str, decision: str, reason: str = ""
) -> Any:
    f = _finding(store, ppn_id, rule)
    return client.post(
        f"/note/{f.note_id}/decide",
        data={"finding_id": f.id, "decision": decision, "reason": reason, "csrf": CSRF},
        follow_redirects=False,
    )


def _ppn_ids(html: str) -> list[str]:
    return re.findall(r'class="ppn" href="/note/\d+[^"]*"><bdi>([^<]+)</bdi>', html)


def _counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Note, FindingRow, BatchFindingNote, Decision, Batch)
        }


# -- the token ------------------------------------------------------------------------------


def test_requests_without_the_session_token_are_refused(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    client = TestClient(create_app(store, TOKEN))
    for path in ("/", "/vat", "/feedback", "/scratch", "/static/review.js", "/note/1"):
        assert client.get(path).status_code == 403, path
    assert client.get("/?token=wrong").status_code == 403
    client.cookies.set(COOKIE, "wrong")
    assert client.get("/").status_code == 403
    client.cookies.clear()
    first = client.get(f"/vat?token={TOKEN}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/vat"  # token dropped
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and f"{COOKIE}={TOKEN}" in cookie
    assert client.get("/vat").status_code == 200  # the cookie now carries the session
    assert client.get("/static/review.js").status_code == 200


def test_posts_need_the_csrf_token(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    client = _client(store)
    f = _finding(store, "P-01", "ETH001")
    for data in ({}, {"csrf": "forged"}):
        r = client.post(
            f"/note/{f.note_id}/decide", data={"finding_id": f.id, "decision": "accept", **data}
        )
        assert r.status_code == 403
    assert client.post("/api/check", json={"text": "x"}).status_code == 403
    assert _counts(store)["decisions"] == 0


# -- the queue ------------------------------------------------------------------------------


def test_queue_orders_errors_first_and_filters(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    client = _client(store)
    html = client.get("/").text
    ids = _ppn_ids(html)
    # errors first (P-01 ETH001; P-12 has no error), then warnings, then clean; no PPN000 rows
    assert ids[0] == "P-01" and ids[-1] == "P-G1" and len(ids) == 5
    assert ids.index("P-12") < ids.index("P-G1")
    assert _ppn_ids(client.get("/?rule=ETH001").text) == ["P-01"]
    assert set(_ppn_ids(client.get("/?officer=PC9001").text)) == {"P-05", "P-07"}
    assert set(_ppn_ids(client.get("/?team=Coast").text)) == {"P-05", "P-07"}
    assert _ppn_ids(client.get("/?severity=error").text) == ["P-01"]
    # ETH001 is a warning for an adult in P-01
    assert set(_ppn_ids(client.get("/?severity=warning").text)) == {"P-01", "P-12", "P-05", "P-07"}
    assert _ppn_ids(client.get("/?q=P-1").text) == ["P-12"]
    assert _ppn_ids(client.get("/?status=clean").text) == ["P-G1"]
    record_type = _record("bad-07-submitted-late.json", "x")["ppn_types"][0]
    assert "P-07" in _ppn_ids(client.get(f"/?type={record_type}").text)
    assert _ppn_ids(client.get("/?rule=ETH001&officer=PC9001").text) == []
    # review status: once every finding of P-07 is decided it leaves "to review"
    assert "P-07" in _ppn_ids(client.get("/?status=pending").text)
    assert _decide(client, store, "P-07", "TIM001", "accept").status_code == 303
    assert "P-07" not in _ppn_ids(client.get("/?status=pending").text)
    assert _ppn_ids(client.get("/?status=reviewed").text) == ["P-07"]


def test_queue_is_paginated(tmp_path: Path, store: Store) -> None:
    records = [_record("bad-07-submitted-late.json", f"P-{i:03d}") for i in range(120)]
    _import(store, _export(tmp_path / "many.jsonl", records))
    client = _client(store)
    pages = [_ppn_ids(client.get(f"/?page={n}").text) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert len({i for p in pages for i in p}) == 120  # no note twice, none lost
    assert "Page 3 of 3" in client.get("/?page=99").text  # past the end: the last page


def test_templated_wording_is_one_batch_panel_not_on_every_card(
    tmp_path: Path, store: Store
) -> None:
    records = [_record("bad-07-submitted-late.json", f"T-{i}") for i in range(6)]
    _import(store, _export(tmp_path / "pasted.jsonl", records))
    with store.session() as s:
        assert (
            s.scalar(select(func.count(FindingRow.id)).where(FindingRow.rule_id == "TPL002")) == 0
        )
        assert (s.scalar(select(func.count(BatchFindingNote.id))) or 0) >= 6
    client = _client(store)
    html = client.get("/").text
    assert len(re.findall(r"This passage appears in 6 notes", html)) >= 1
    assert 'class="chip sev-info' not in html  # no TPL002 chip on the cards
    passage = re.search(r'href="/passage/(\d+)"', html)
    assert passage is not None
    assert len(_ppn_ids_passage(client.get(f"/passage/{passage.group(1)}").text)) == 6
    assert set(_ppn_ids(client.get("/?rule=TPL002").text)) == {f"T-{i}" for i in range(6)}


def _ppn_ids_passage(html: str) -> list[str]:
    return re.findall(r'<a href="/note/\d+"><bdi>([^<]+)</bdi>', html)


# -- the note and its decisions -------------------------------------------------------------


def test_note_view_highlights_and_explains(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    client = _client(store)
    html = client.get(f"/note/{_note_id(store, 'P-05')}").text
    vb = _finding(store, "P-05", "VB001")
    flagged = _p05()["rationale"][vb.start : vb.end]
    assert re.search(
        r'<mark class="sev-warning" data-rule="VB001"[^>]*>' + re.escape(flagged), html
    )
    assert vb.message in html and "Instead:" in html
    assert "against a threshold of" in html  # score and threshold
    assert 'rel="next"' in html or 'rel="prev"' in html


def test_a_decision_persists_and_needs_a_reason_to_be_acceptable_here(
    loaded: tuple[Store, Path],
) -> None:
    store, _ = loaded
    client = _client(store, "alice")
    refused = _decide(client, store, "P-12", "VB001", "acceptable_here", "")
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    assert _counts(store)["decisions"] == 0
    ok = _decide(client, store, "P-12", "VB001", "acceptable_here", "quoting the parent")
    assert ok.status_code == 303
    assert _finding(store, "P-12", "VB001").decision == "acceptable_here"
    # another client on the same store (a restart) sees it, with who and why
    later = _client(store, "bob")
    html = later.get(f"/note/{_note_id(store, 'P-12')}").text
    assert "Dismissed: acceptable here by <bdi>alice</bdi>" in html
    assert "quoting the parent" in html


def test_reimport_keeps_decisions_of_unchanged_text_and_brings_back_changed_text(
    tmp_path: Path, loaded: tuple[Store, Path]
) -> None:
    store, path = loaded
    client = _client(store)
    _decide(client, store, "P-12", "VB001", "false_alarm")
    _decide(client, store, "P-05", "VB001", "accept")
    _decide(client, store, "P-01", "ETH001", "accept")
    before = _finding(store, "P-05", "VB001")
    records = _base_records()
    changed = records[2]
    text = changed["rationale"]
    flagged = text[before.start : before.end]
    changed["rationale"] = text.replace(flagged, flagged.upper())  # same rule, new wording
    _import(store, _export(path, records, BROKEN))
    assert _finding(store, "P-12", "VB001").decision == "false_alarm"
    assert _finding(store, "P-01", "ETH001").decision == "accept"
    after = _finding(store, "P-05", "VB001")
    assert after.key != before.key and after.decision is None  # back in the queue
    assert "P-05" in _ppn_ids(client.get("/?status=pending").text)
    assert _counts(store)["decisions"] == 3  # nothing was lost or rewritten


def test_importing_the_same_file_twice_is_idempotent(
    tmp_path: Path, loaded: tuple[Store, Path]
) -> None:
    store, path = loaded
    client = _client(store)
    _decide(client, store, "P-01", "ETH001", "accept")
    first = _counts(store)
    again = _import(store, path)
    assert again.skipped and _counts(store) == first
    # after another export, the same file again: re-checked, and the store holds the same
    other = _export(tmp_path / "other.jsonl", [_record("bad-07-submitted-late.json", "O-1")])
    _import(store, other)
    _import(store, path)
    counts = _counts(store)
    assert counts["notes"] == first["notes"] + 1  # the other export's note, once
    assert counts["findings"] == first["findings"] + 1 and counts["decisions"] == 1
    assert _finding(store, "P-01", "ETH001").decision == "accept"


def test_a_malformed_export_imports_what_it_can_and_faults_go_to_the_vat_list(
    loaded: tuple[Store, Path],
) -> None:
    store, _ = loaded
    client = _client(store)
    vat = client.get("/vat").text
    assert vat.count("<td><bdi>export.jsonl</bdi></td>") == 2
    assert "<td>6</td>" in vat and "<td>7</td>" in vat  # the broken lines, by row
    assert 'id="nav-vat">VAT list <span class="count">2</span>' in client.get("/").text
    # never an officer's: accept everything, and no draft mentions those rows
    with store.session() as s:
        ids = list(s.scalars(select(FindingRow.id).where(FindingRow.rule_id != "PPN000")))
    for fid in ids:
        with store.session() as s:
            note_id = s.get(FindingRow, fid).note_id  # type: ignore[union-attr]
        client.post(
            f"/note/{note_id}/decide", data={"finding_id": fid, "decision": "accept", "csrf": CSRF}
        )
    page = client.get("/feedback").text
    assert "PC4471" in page and "PC9001" in page
    for collar in ("PC4471", "PC9001"):
        draft = client.get(f"/feedback/{collar}.txt").text
        assert "row 6" not in draft and "row 7" not in draft and "could not be read" not in draft


def test_feedback_draft_gathers_an_officers_accepted_findings(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    client = _client(store)
    _decide(client, store, "P-01", "ETH001", "accept")
    _decide(client, store, "P-12", "VB001", "accept")
    _decide(client, store, "P-12", "CHD001", "false_alarm")
    _decide(client, store, "P-07", "TIM001", "accept")  # another officer
    draft = client.get("/feedback/PC4471.txt")
    assert draft.status_code == 200
    assert 'filename="PC4471.txt"' in draft.headers["content-disposition"]
    text = draft.text.replace("\r\n", "\n")
    assert text.startswith("To: Officer PC4471")
    assert "About: 2 PPNs of yours" in text
    assert "PPN P-01" in text and "PPN P-12" in text and "P-07" not in text
    assert "(Check VB001:" in text and "CHD001" not in text  # dismissed: not sent
    page = client.get("/feedback?officer=PC4471").text
    assert 'id="draft"' in page and "PPN P-01" in page
    assert client.get("/feedback/PC0000.txt").status_code == 404


def test_two_reviewers_at_once_lose_no_decision(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    second = open_store(store.url)  # its own engine and connections, like a second server
    try:
        clients = [_client(store, "alice"), _client(second, "bob")]
        targets = [
            (f.note_id, f.id)
            for f in (
                _finding(store, p, r)
                for p, r in (
                    ("P-01", "ETH001"),
                    ("P-12", "VB001"),
                    ("P-12", "CHD001"),
                    ("P-05", "VB001"),
                    ("P-07", "TIM001"),
                )
            )
        ]
        errors: list[int] = []

        def work(client: TestClient, decision: str) -> None:
            for _ in range(3):
                for note_id, fid in targets:
                    r = client.post(
                        f"/note/{note_id}/decide",
                        data={"finding_id": fid, "decision": decision, "csrf": CSRF},
                        follow_redirects=False,
                    )
                    if r.status_code != 303:
                        errors.append(r.status_code)

        threads = [
            threading.Thread(target=work, args=(clients[0], "accept")),
            threading.Thread(target=work, args=(clients[1], "false_alarm")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with store.session() as s:
            rows = list(s.scalars(select(Decision).order_by(Decision.id)))
            assert len(rows) == 2 * 3 * len(targets)  # every decision is kept
            assert {d.reviewer for d in rows} == {"alice", "bob"}
            for _note_id, fid in targets:  # and each finding shows the latest for its key
                finding = s.get(FindingRow, fid)
                assert finding is not None
                latest = [d for d in rows if d.key == finding.key][-1]
                assert finding.decision == latest.decision
    finally:
        second.close()


# -- the scratch pad ------------------------------------------------------------------------


def test_scratch_pad_checks_as_you_type(loaded: tuple[Store, Path]) -> None:
    store, _ = loaded
    client = _client(store)
    text = "Appearance: tired. Words: nil. She keeps putting herself at risk by going out."
    r = client.post("/api/check", json={"text": text}, headers={"X-CSRF-Token": CSRF})
    assert r.status_code == 200
    data = r.json()
    assert "VB001" in {f["rule_id"] for f in data["findings"]}
    assert '<mark class="sev-warning" data-rule="VB001"' in data["html"]
    hostile = "<script>alert(1)</script> she put herself at risk"
    r = client.post("/api/check", json={"text": hostile}, headers={"X-CSRF-Token": CSRF})
    assert "<script>" not in r.json()["html"] and "&lt;script&gt;" in r.json()["html"]
    assert client.post("/api/check", json=[1], headers={"X-CSRF-Token": CSRF}).status_code == 400
    for page in ("/scratch", "/compare"):
        assert client.get(page).status_code == 200


# -- privacy --------------------------------------------------------------------------------


def test_no_note_text_reaches_the_logs(
    loaded: tuple[Store, Path], caplog: pytest.LogCaptureFixture
) -> None:
    store, path = loaded
    texts = set()
    for record in _base_records():
        for key in ("circumstances", "rationale", "actions_taken"):
            value = record.get(key)
            if isinstance(value, str) and len(value) > 20:
                texts.update(s.strip() for s in value.split(".") if len(s.strip()) > 20)
    assert texts
    with caplog.at_level(logging.DEBUG):
        client = _client(store)
        for page in ("/", "/vat", "/feedback", "/scratch", "/?q=P-12&rule=VB001"):
            client.get(page)
        for ppn in ("P-01", "P-12", "P-05"):
            client.get(f"/note/{_note_id(store, ppn)}")
        _decide(client, store, "P-12", "VB001", "accept")
        client.get("/feedback?officer=PC4471")
        client.post("/api/check", json={"text": next(iter(texts))}, headers={"X-CSRF-Token": CSRF})
        _import(store, _export(path, _base_records()[:3], BROKEN))
    logged = caplog.text
    assert not [t for t in texts if t in logged]


def test_check_does_not_import_the_review_extra(tmp_path: Path) -> None:
    # (jinja2 is left out: spaCy itself imports it)
    code = (
        "import sys\n"
        "from ppncheck.cli import main\n"
        "sys.argv = ['ppncheck', 'check', sys.argv[1], '--format', 'jsonl', '-q', '--exit-zero']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('fastapi', 'starlette', 'sqlalchemy', 'alembic', 'uvicorn',"
        " 'ppncheck.review') if m in sys.modules]\n"
        "sys.stderr.write('LOADED=' + ','.join(loaded))\n"
    )
    record = RECORDS / "bad-07-submitted-late.json"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(record)], capture_output=True, text=True, timeout=300
    )
    assert "LOADED=" in proc.stderr
    assert proc.stderr.rsplit("LOADED=", 1)[1].strip() == ""
