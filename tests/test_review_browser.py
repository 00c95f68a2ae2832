"""The review workbench end to end, as a VAT reviewer uses it, in a real headless Chromium.

The real ``ppncheck review`` runs as a subprocess (``--no-open --port 0``); the test reads the
URL line it prints and drives Debian's chromium through Playwright (``executable_path``, no
browser download): import -> queue -> filter -> decision -> re-import keeps the decision ->
feedback draft, and the scratch pad.  Screenshots go to ``$PPNCHECK_SCREENSHOTS`` when set
(that is how ``docs/screenshots/`` was made).  Skipped only when chromium is absent outside CI.
"""

from __future__ import annotations

import csv
import os
import selectors
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_html_browser import CHROMIUM_FLAGS, _chromium

from ppncheck_dev.synthetic import MAPPING_TOML, write_csv

pytestmark = pytest.mark.browser

# the same chromium and flags as the HTML report's browser test (and --headless for Playwright)
FLAGS = CHROMIUM_FLAGS


def _ppncheck() -> list[str]:
    script = shutil.which("ppncheck", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ppncheck"]


class Server:
    """``ppncheck review ...`` in the background; ``url`` is the line it printed."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [*_ppncheck(), *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.url = self._read_url(timeout=240)

    def _read_url(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sel.select(timeout=1):
                line = self.proc.stdout.readline()
                if line.startswith("http://127.0.0.1:"):
                    return line.strip()
                if not line and self.proc.poll() is not None:
                    break
        self.stop()
        raise AssertionError(f"no URL from ppncheck review: {self.stderr}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr = self.proc.stderr.read() if self.proc.stderr else ""

    stderr = ""


@pytest.fixture
def browser() -> Iterator[object]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _shot(page: object, tmp_path: Path, name: str) -> None:
    folder = os.environ.get("PPNCHECK_SCREENSHOTS")
    target = Path(folder) if folder else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"))  # type: ignore[attr-defined]


def test_review_in_a_real_browser(tmp_path: Path, browser: object) -> None:
    export = tmp_path / "ppn_export.csv"
    mapping = tmp_path / "mapping.toml"
    write_csv(export, 60, seed=16)
    mapping.write_text(MAPPING_TOML, encoding="utf-8")
    store = tmp_path / "review.sqlite3"
    common = ["--mapping", str(mapping), "--store", str(store), "--no-open", "--port", "0"]
    with export.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    narratives = {c.strip() for row in rows[1:] for c in row if len(c.strip()) > 40}

    server = Server(["review", str(export), *common, "--reviewer", "vat-tester"], tmp_path)
    context = browser.new_context(viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        # the queue: errors first, no token left in the address bar
        page.goto(server.url)
        assert "token=" not in page.url
        page.wait_for_selector("#queue li.card")
        first_card = page.locator("#queue li.card").first
        assert first_card.locator(".badge.sev-error").count() == 1
        _shot(page, tmp_path, "queue")

        # filter by rule: every card left carries that rule
        page.select_option("#filter-rule", "VB001")
        page.wait_for_url("**/?*rule=VB001*")
        cards = page.locator("#queue li.card")
        assert cards.count() > 0
        for i in range(cards.count()):
            assert cards.nth(i).locator(".chip", has_text="VB001").count() >= 1

        # the note: highlighted spans; decide with the keyboard (j/k, a)
        cards.first.locator("a.ppn").click()
        page.wait_for_selector("article.finding")
        ppn_id = page.locator("h1 .ppn-id").inner_text()
        assert page.locator("mark").count() >= 1
        vb = page.locator("article.finding", has=page.locator("strong", has_text="VB001")).first
        vb_id = vb.get_attribute("id")
        while page.locator("article.finding.current").get_attribute("id") != vb_id:
            page.keyboard.press("j")
        _shot(page, tmp_path, "note")
        page.keyboard.press("a")
        page.wait_for_selector(f"#{vb_id}.decided")
        assert "Accepted" in page.locator(f"#{vb_id} .state").inner_text()
        assert "vat-tester" in page.locator(f"#{vb_id} .history").inner_text()
    finally:
        server.stop()
    assert server.proc.returncode is not None
    assert not [n for n in narratives if n in server.stderr]  # no note text in the server log

    # re-import a changed export (another row's text edited): the decision is still there
    rows[-1][rows[0].index("Circumstances")] += " Officers returned the next morning."
    with export.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    server = Server(["review", str(export), *common], tmp_path)
    try:
        page.goto(server.url.replace("/?token=", f"/?q={ppn_id}&token="))
        page.locator("#queue li.card a.ppn").first.click()
        page.wait_for_selector(f"#{vb_id}")
        # the finding row was replaced on re-import, so find VB001 again by its rule
        kept = page.locator("article.finding", has=page.locator("strong", has_text="VB001")).first
        assert "Accepted" in kept.locator(".state").inner_text()

        # the officer's feedback draft gathers the accepted finding
        page.goto(server.url.split("/?")[0] + "/feedback")
        page.locator("#officers a").first.click()
        page.wait_for_selector("#draft")
        draft = page.locator("#draft").inner_text()
        assert draft.startswith("To: Officer") and f"PPN {ppn_id}" in draft
        assert "VB001" in draft
        _shot(page, tmp_path, "feedback")

        # the scratch pad: findings and highlights as you type
        page.goto(server.url.split("/?")[0] + "/scratch")
        page.fill("#scratch-input", "Words: nil. She keeps putting herself at risk.")
        page.wait_for_selector(".scratch-output mark")
        assert "VB001" in page.locator(".scratch-findings").inner_text()
        _shot(page, tmp_path, "scratch")
    finally:
        server.stop()
        context.close()
    assert "0 new, 60 updated" in server.stderr  # a real re-import, not a skipped one
    assert not [n for n in narratives if n in server.stderr]
