"""Officer feedback: one short plain-text message per note that needs work.

A note needs work when it has an error or a warning.  The message is addressed by collar
number and says, field by field in plain words, what to add or change; rule ids appear only
as a reference next to a plain explanation, so an officer who has never seen the catalogue
can act on it.  Files are named ``<collar>_<ppn_id>.txt`` with unsafe characters replaced, and
are always new files (see ``FeedbackWriter``).  Control characters in what the note holds are
dropped from the message, so that opening it in a terminal cannot run escape sequences.
"""

from __future__ import annotations

import os
import re
from itertools import chain
from pathlib import Path
from typing import Any

from ppncheck.findings import Finding, Report, Severity
from ppncheck.read.types import InputItem
from ppncheck.report.base import finding_text, printable
from ppncheck.report.fields import field_in_words
from ppncheck.report.summary import NOT_RECORDED, Summary, officer_of

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_HEADINGS = {
    Severity.ERROR: "Please fix before this PPN can be shared:",
    Severity.WARNING: "Please also change:",
    Severity.INFO: "Worth considering (advice only):",
}
_MAX_QUOTE = 160


def safe_name(text: str, *, limit: int = 60) -> str:
    """A file-name fragment that is safe on Windows and POSIX alike."""
    cleaned = _UNSAFE.sub("-", text).strip("-.") or "unknown"
    return cleaned[:limit]


class FeedbackError(Exception):
    """A message could not be written (disk full, folder gone); names the folder only."""


# exclusive creation: never overwrite a file, never follow a symlink planted in the folder
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CREATE |= getattr(os, "O_BINARY", 0)
_MAX_TRIES = 1_000


class FeedbackWriter:
    """Writes each message to a new file of its own.

    A file is created with ``O_EXCL`` (and ``O_NOFOLLOW``), so a name already taken (an earlier
    run, another note whose name sanitises the same, a symlink left in the folder) is never
    overwritten or followed: the next free name is used (``_row<N>``, then ``_2``, ``_3`` ...).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.written = 0

    def write(self, item: InputItem, report: Report) -> None:
        if not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in report.findings):
            return
        collar, _team = officer_of(item.payload)
        row = report.row if report.row is not None else item.row
        ident = report.ppn_id or f"row{row}"
        who = collar if collar != NOT_RECORDED else "unknown-officer"
        stem = f"{safe_name(who)}_{safe_name(ident)}"
        body = printable(message(item, report)).replace("\n", "\r\n").encode("utf-8")
        try:
            fd = self._create(stem, row)
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise FeedbackError(
                f"--feedback {self._folder}: cannot write a message ({reason})"
            ) from None
        self.written += 1

    def _create(self, stem: str, row: int) -> int:
        names = chain(
            (f"{stem}.txt", f"{stem}_row{row}.txt"),
            (f"{stem}_row{row}_{n}.txt" for n in range(2, _MAX_TRIES)),
        )
        for name in names:
            try:
                return os.open(self._folder / name, _CREATE, 0o666)
            except FileExistsError:
                continue
        raise FileExistsError(f"{_MAX_TRIES} files named {stem}*.txt already exist")

    def close(self, summary: Summary) -> None:
        return None


def message(item: InputItem, report: Report) -> str:
    """The plain-text message for one note."""
    from ppncheck.catalogue import catalogue

    collar, _team = officer_of(item.payload)
    name = _officer_name(item.payload)
    row = report.row if report.row is not None else item.row
    who = f"Officer {collar}" if collar != NOT_RECORDED else "Reporting officer"
    lines = [f"To: {who}{f' ({name})' if name else ''}"]
    about = f"PPN {report.ppn_id}" if report.ppn_id else f"the PPN in row {row}"
    if item.source:
        about += f" (row {row} of {item.source})"
    lines += [f"About: {about}", ""]
    errors = sum(f.severity is Severity.ERROR for f in report.findings)
    if errors:
        lines.append(
            "This PPN needs some changes before the safeguarding team can act on it. "
            "Please update it and resubmit."
        )
    else:
        lines.append("This PPN can go ahead, but please improve the points below next time.")
    cat = catalogue()
    number = 0
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity is sev]
        if not group:
            continue
        lines += ["", _HEADINGS[sev]]
        for f in group:
            number += 1
            lines += _item_lines(number, f, item.payload, _explain(cat, f.rule_id))
    lines += [
        "",
        "Thank you. If anything here is unclear, contact the safeguarding team.",
        "",
    ]
    return "\n".join(lines)


def _item_lines(number: int, f: Finding, payload: Any, explanation: str) -> list[str]:
    out = [f"{number}. {field_in_words(f.field)[:1].upper()}{field_in_words(f.field)[1:]}"]
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


def _officer_name(payload: Any) -> str | None:
    if isinstance(payload, dict) and isinstance(payload.get("officer"), dict):
        name = payload["officer"].get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None
