"""Officer feedback: one plain-text message per officer, gathering their notes that need work.

A note needs work when it has an error or a warning.  Each officer (by collar number) gets one
message listing each of their notes, field by field in plain words: what to add or change; rule
ids appear only as a reference next to a plain explanation, so an officer who has never seen
the catalogue can act on it.  Rows that could not be read at all (PPN000: an export fault, not
the officer's writing) never go to an officer: they are listed in one file for the VAT.

The same functions write ``ppncheck check --feedback DIR`` and the review workbench's drafts
(``officer_message``), so the wording is written once.  Files are always new files (see
``FeedbackWriter``).  Control characters in what the note holds are dropped from the message,
so that opening it in a terminal cannot run escape sequences.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.base import finding_text, printable
from ppncheck.report.summary import NOT_RECORDED, Summary, officer_of
from ppncheck.shape import field_in_words

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_HEADINGS = {
    Severity.ERROR: "Please fix before this PPN can be shared:",
    Severity.WARNING: "Please also change:",
    Severity.INFO: "Worth considering (advice only):",
}
_MAX_QUOTE = 160
VAT_FILE_STEM = "vat-export-faults"
UNKNOWN_OFFICER = "unknown-officer"


def safe_name(text: str, *, limit: int = 60) -> str:
    """A file-name fragment that is safe on Windows and POSIX alike."""
    cleaned = _UNSAFE.sub("-", text).strip("-.") or "unknown"
    return cleaned[:limit]


@dataclass(frozen=True)
class NoteFeedback:
    """One note's part of an officer's message: where it came from and what to change."""

    ppn_id: str | None
    row: int
    source: str
    payload: Any
    findings: Sequence[Finding]


@dataclass(frozen=True)
class ExportFault:
    """A row the export could not give ppncheck (PPN000): for the VAT, never an officer."""

    row: int
    source: str
    reason: str


def needs_work(findings: Iterable[Finding]) -> bool:
    return any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings)


def officer_name(payload: Any) -> str | None:
    if isinstance(payload, dict) and isinstance(payload.get("officer"), dict):
        name = payload["officer"].get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def officer_message(collar: str, notes: Sequence[NoteFeedback], *, name: str | None = None) -> str:
    """The whole message to one officer about ``notes`` (in the order given)."""
    any_error = any(f.severity is Severity.ERROR for n in notes for f in n.findings)
    parts = [message_head(collar, name, len(notes), any_error=any_error)]
    parts += [note_section(i, n) for i, n in enumerate(notes, start=1)]
    parts.append(message_foot())
    return "\n".join(parts)


def message_head(collar: str, name: str | None, count: int, *, any_error: bool) -> str:
    who = f"Officer {collar}" if collar not in (NOT_RECORDED, "") else "Reporting officer"
    lines = [f"To: {who}{f' ({name})' if name else ''}"]
    if collar in (NOT_RECORDED, ""):
        lines.append("(The collar number was not recorded on these PPNs.)")
    lines += [f"About: {count} {'PPN' if count == 1 else 'PPNs'} of yours, listed below", ""]
    if any_error:
        lines.append(
            f"{'This PPN needs' if count == 1 else 'Some of these PPNs need'} some changes "
            "before the safeguarding team can act on "
            f"{'it' if count == 1 else 'them'}. Please update and resubmit."
        )
    else:
        lines.append(
            f"{'This PPN' if count == 1 else 'These PPNs'} can go ahead, but please improve the "
            "points below next time."
        )
    return "\n".join(lines) + "\n"


def message_foot() -> str:
    return "Thank you. If anything here is unclear, contact the safeguarding team.\n"


def note_section(number: int, note: NoteFeedback) -> str:
    """One note's part: which PPN, then its points grouped by severity."""
    from ppncheck.catalogue import catalogue

    about = f"PPN {note.ppn_id}" if note.ppn_id else f"the PPN in row {note.row}"
    if note.source:
        about += f" (row {note.row} of {note.source})"
    lines = [f"== {number}. {about} =="]
    cat = catalogue()
    point = 0
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in note.findings if f.severity is sev]
        if not group:
            continue
        lines.append(_HEADINGS[sev])
        for f in group:
            point += 1
            lines += _item_lines(point, f, note.payload, _explain(cat, f.rule_id))
    return "\n".join(lines) + "\n"


def vat_message(faults: Sequence[ExportFault]) -> str:
    """The VAT's list of rows the export could not give: fix the export, not the officer."""
    lines = [
        "To: Vulnerability Assessment Team",
        f"About: {len(faults)} {'row' if len(faults) == 1 else 'rows'} of the export that "
        "could not be read",
        "",
        "These rows could not be read because of the export itself (its layout, encoding or a "
        "broken cell), not because of what the officer wrote. Please re-export them or read "
        "them in the case-management system; they were not sent to any officer.",
        "",
    ]
    for fault in faults:
        where = f"row {fault.row}" + (f" of {fault.source}" if fault.source else "")
        lines.append(f"- {where}: {fault.reason}")
    lines.append("")
    return "\n".join(lines)


def note_feedback(item: InputItem, report: Report) -> NoteFeedback:
    row = report.row if report.row is not None else item.row
    return NoteFeedback(report.ppn_id, row, item.source, item.payload, tuple(report.findings))


def export_fault(item: InputItem, report: Report) -> ExportFault:
    row = report.row if report.row is not None else item.row
    reason = next((f.message for f in report.findings if f.rule_id == "PPN000"), None)
    return ExportFault(row, item.source, reason or item.error or "unreadable")


class FeedbackError(Exception):
    """A message could not be written (disk full, folder gone); names the folder only."""


# exclusive creation: never overwrite a file, never follow a symlink planted in the folder
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CREATE |= getattr(os, "O_BINARY", 0)
_MAX_TRIES = 1_000


@dataclass
class _Officer:
    spool: Path
    count: int = 0
    name: str | None = None
    any_error: bool = False


class FeedbackWriter:
    """Writes one message per officer, and the export faults to one file for the VAT.

    Notes stream in while a batch is checked, but an officer's message is complete only at
    the end, so each note's section is spooled to a private folder inside ``folder`` (memory
    stays flat) and the messages are assembled on ``close``.  A message file is created with
    ``O_EXCL`` (and ``O_NOFOLLOW``), so a name already taken (an earlier run, a collar number
    that sanitises the same, a symlink left in the folder) is never overwritten or followed:
    the next free name is used (``_2``, ``_3`` ...).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._spool = Path(tempfile.mkdtemp(prefix=".ppncheck-spool-", dir=folder))
        # the spool holds quoted note text: gone on close, on failure, or when the run dies
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._spool, ignore_errors=True)
        self._officers: dict[str, _Officer] = {}
        self._faults = self._spool / "faults.jsonl"
        self._fault_count = 0
        self.written = 0

    def write(self, item: InputItem, report: Report) -> None:
        try:
            if item.error is not None:
                fault = export_fault(item, report)
                with self._faults.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps([fault.row, fault.source, fault.reason]) + "\n")
                self._fault_count += 1
                return
            if not needs_work(report.findings):
                return
            collar, _team = officer_of(item.payload)
            officer = self._officers.get(collar)
            if officer is None:
                officer = _Officer(self._spool / f"officer-{len(self._officers)}.txt")
                self._officers[collar] = officer
            officer.count += 1
            officer.name = officer.name or officer_name(item.payload)
            officer.any_error |= any(f.severity is Severity.ERROR for f in report.findings)
            section = note_section(officer.count, note_feedback(item, report))
            with officer.spool.open("a", encoding="utf-8") as fh:
                fh.write(section + "\x00")
        except OSError as exc:
            raise self._failed(exc) from None

    def close(self, summary: Summary) -> None:
        try:
            for collar in sorted(self._officers):
                officer = self._officers[collar]
                sections = officer.spool.read_text(encoding="utf-8").split("\x00")[:-1]
                head = message_head(
                    collar, officer.name, officer.count, any_error=officer.any_error
                )
                body = "\n".join([head, *sections, message_foot()])
                who = collar if collar != NOT_RECORDED else UNKNOWN_OFFICER
                self._write_file(safe_name(who), body)
            if self._fault_count:
                faults = [
                    ExportFault(*json.loads(line))
                    for line in self._faults.read_text(encoding="utf-8").splitlines()
                ]
                self._write_file(VAT_FILE_STEM, vat_message(faults))
        except OSError as exc:
            raise self._failed(exc) from None
        finally:
            self._cleanup()

    def _failed(self, exc: OSError) -> FeedbackError:
        self._cleanup()
        reason = exc.strerror or str(exc)
        return FeedbackError(f"--feedback {self._folder}: cannot write a message ({reason})")

    def _write_file(self, stem: str, text: str) -> None:
        body = printable(text).replace("\n", "\r\n").encode("utf-8")
        fd = self._create(stem)
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        self.written += 1

    def _create(self, stem: str) -> int:
        names = chain((f"{stem}.txt",), (f"{stem}_{n}.txt" for n in range(2, _MAX_TRIES)))
        for name in names:
            try:
                return os.open(self._folder / name, _CREATE, 0o666)
            except FileExistsError:
                continue
        raise FileExistsError(f"{_MAX_TRIES} files named {stem}*.txt already exist")


def _item_lines(number: int, f: Finding, payload: Any, explanation: str) -> list[str]:
    where = field_in_words(f.field)
    out = [f"{number}. {where[:1].upper()}{where[1:]}"]
    out.append(f"   {f.message}")
    quoted = finding_text(payload, f) if f.start is not None else None
    if quoted and quoted not in f.message:
        if len(quoted) > _MAX_QUOTE:
            quoted = quoted[: _MAX_QUOTE - 3] + "..."
        out.append(f'   Your wording: "{quoted}"')
    if f.suggestion:
        out.append(f"   Instead, write: {f.suggestion}")
    out.append(f"   (Check {f.rule_id}: {explanation})")
    return out


def _explain(cat: Any, rule_id: str) -> str:
    try:
        return str(cat.get(rule_id).summary)
    except KeyError:
        return "see the ppncheck rule list"
