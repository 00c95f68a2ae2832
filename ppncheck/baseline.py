"""Baselines: findings dismissed before, left out of later runs (``check --baseline FILE``).

Why this shape
--------------
A VAT re-checks tomorrow's export and should not see again the false alarms it dismissed
today.  A baseline entry is a finding's key, :func:`ppncheck.report.base.finding_key`:
the note's ``ppn_id``, the rule, the field and a digest of the flagged text.  The key holds no
note text, so a baseline file can sit in a shared folder; and when the officer rewrites the
flagged words the digest changes, the entry no longer matches and the finding comes back.

Like ruff's unused ``noqa``, an entry that matches nothing any more is *stale*: its note was
checked in this run, its rule ran, and no finding had its key (the note was fixed or its
text changed).  Entries for notes that are not in this run (yesterday's export, a sample)
are only counted, never called stale.

What is never suppressed: ``PPN000`` (a row that could not be read is an export fault the VAT
must see every time) and findings of a record without a ``ppn_id`` (nothing identifies it
across runs, and a digest of common words such as "put herself at risk" would otherwise hide
the same words in every unnamed note).

The file is JSON, versioned (``"ppncheck_baseline": 1``) and validated against
``ppncheck/data/schemas/baseline.schema.json``; a malformed file is refused as a whole with
every problem named, and no message quotes a value from the file.

Writers: ``check --write-baseline`` (:class:`BaselineWriter`, a report sink) and, for the
review workbench's dismissals, :func:`write_baseline` with :class:`BaselineEntry` objects.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ppncheck._version import __version__
from ppncheck.findings import Finding, Report
from ppncheck.read.types import InputItem
from ppncheck.report.base import FindingKey, finding_key
from ppncheck.report.summary import Summary

BASELINE_VERSION = 1
SCHEMA_NAME = "baseline"
NEVER_SUPPRESSED = frozenset({"PPN000"})
DECISIONS = ("false_alarm", "acceptable_here")
_OPTIONAL = ("decision", "reason", "by", "at")
_MAX_PROBLEMS = 20


class BaselineError(ValueError):
    """A baseline file that cannot be used: unreadable, not JSON, or not the baseline format.

    The message names the file, the place in it and what is wrong, never a value from it.
    """


@dataclass(frozen=True)
class BaselineEntry:
    """One dismissed finding: its key and, optionally, how, why, by whom and when."""

    ppn_id: str
    rule_id: str
    field: str
    digest: str
    decision: str | None = None
    reason: str | None = None
    by: str | None = None
    at: str | None = None

    @property
    def key(self) -> FindingKey:
        return (self.ppn_id, self.rule_id, self.field, self.digest)

    @classmethod
    def from_key(
        cls,
        key: FindingKey,
        *,
        decision: str | None = None,
        reason: str | None = None,
        by: str | None = None,
        at: str | datetime | None = None,
    ) -> BaselineEntry:
        """An entry for a finding key (as the workbench stores its decisions)."""
        when = at.isoformat() if isinstance(at, datetime) else at
        ppn_id, rule_id, field_path, digest = key
        return cls(ppn_id, rule_id, field_path, digest, decision, reason, by, when)

    def to_dict(self) -> dict[str, str]:
        out = {
            "ppn_id": self.ppn_id,
            "rule_id": self.rule_id,
            "field": self.field,
            "digest": self.digest,
        }
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    def key_dict(self) -> dict[str, str]:
        """The key alone: what a report lists for a stale entry."""
        return {
            "ppn_id": self.ppn_id,
            "rule_id": self.rule_id,
            "field": self.field,
            "digest": self.digest,
        }


def baselinable(ppn_id: str | None, finding: Finding) -> bool:
    """Whether a finding may be written to or left out by a baseline (see the module notes)."""
    return bool(ppn_id) and finding.rule_id not in NEVER_SUPPRESSED


@dataclass
class BaselineOutcome:
    """What a baseline did in one run; counts and keys only, so safe for any report."""

    source: str
    entries: int
    suppressed: int
    stale: list[BaselineEntry] = field(default_factory=list)
    not_in_run: int = 0

    def line(self) -> str:
        n = len(self.stale)
        text = f"baseline: {self.suppressed} left out"
        text += f", {n} stale {'entry' if n == 1 else 'entries'}"
        if self.not_in_run:
            text += f", {self.not_in_run} for notes or rules not in this run"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "entries": self.entries,
            "suppressed": self.suppressed,
            "stale": [e.key_dict() for e in self.stale],
            "not_in_run": self.not_in_run,
        }


class Baseline:
    """Findings to leave out, and a record of which entries matched in this run.

    ``apply`` is called once per report, in any order; ``outcome`` then says how many
    findings were left out and which entries matched nothing.  Memory grows with the
    baseline, not with the batch.
    """

    def __init__(self, entries: Iterable[BaselineEntry] = (), *, source: str = "") -> None:
        self.source = source
        self._entries: dict[FindingKey, BaselineEntry] = {}
        for entry in entries:
            self._entries.setdefault(entry.key, entry)
        self._ids = {key[0] for key in self._entries}
        self._seen: set[str] = set()
        self._matched: set[FindingKey] = set()
        self._suppressed = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    @property
    def entries(self) -> list[BaselineEntry]:
        return list(self._entries.values())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read and validate a baseline file; :class:`BaselineError` names every problem."""
        where = str(path)
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise BaselineError(f"{where}: no such file") from None
        except IsADirectoryError:
            raise BaselineError(f"{where}: is a folder, not a baseline file") from None
        except OSError as exc:
            raise BaselineError(f"{where}: {exc.strerror or type(exc).__name__}") from None
        try:
            data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
        except UnicodeDecodeError as exc:
            raise BaselineError(f"{where}: not UTF-8 text (at byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(
                f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        except (ValueError, RecursionError):
            raise BaselineError(f"{where}: not valid JSON") from None
        return cls.from_dict(data, source=where)

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "baseline") -> Baseline:
        """A baseline from its parsed JSON document, validated like a file."""
        problems = _problems(data)
        if problems:
            more = len(problems) - _MAX_PROBLEMS
            shown = problems[:_MAX_PROBLEMS] + ([f"... and {more} more"] if more > 0 else [])
            raise BaselineError(f"{source}: not a ppncheck baseline: " + "; ".join(shown))
        return cls((_entry(e) for e in data["entries"]), source=source)

    def apply(self, payload: Any, report: Report) -> Report:
        """``report`` without the findings this baseline dismisses (a new report; the given
        one is untouched).  ``payload`` is the record or note the report is about."""
        ppn_id = report.ppn_id
        if not ppn_id or ppn_id not in self._ids:
            return report
        self._seen.add(ppn_id)
        kept: list[Finding] = []
        for f in report.findings:
            if baselinable(ppn_id, f):
                key = finding_key(ppn_id, payload, f)
                if key in self._entries:
                    self._matched.add(key)
                    self._suppressed += 1
                    continue
            kept.append(f)
        if len(kept) == len(report.findings):
            return report
        return Report(ppn_id=report.ppn_id, findings=kept, row=report.row)

    def matched(self) -> list[BaselineEntry]:
        """Entries that left out a finding in this run (with their reasons)."""
        return [self._entries[k] for k in self._entries if k in self._matched]

    def outcome(self, rule_checked: Callable[[str], bool] | None = None) -> BaselineOutcome:
        """Counts and stale entries so far.  An entry is stale when its note was checked,
        its rule ran (``rule_checked``, default: every rule) and nothing matched it."""
        stale: list[BaselineEntry] = []
        not_in_run = 0
        for key, entry in self._entries.items():
            if key in self._matched:
                continue
            ran = rule_checked is None or rule_checked(entry.rule_id)
            if entry.ppn_id in self._seen and ran and entry.rule_id not in NEVER_SUPPRESSED:
                stale.append(entry)
            else:
                not_in_run += 1
        stale.sort(key=lambda e: e.key)
        return BaselineOutcome(
            source=self.source,
            entries=len(self._entries),
            suppressed=self._suppressed,
            stale=stale,
            not_in_run=not_in_run,
        )

    def stale(self, rule_checked: Callable[[str], bool] | None = None) -> list[BaselineEntry]:
        """Entries that matched no finding of a note checked so far (ruff's unused noqa)."""
        return self.outcome(rule_checked).stale


def entries_for(payload: Any, report: Report) -> list[BaselineEntry]:
    """Baseline entries for a report's findings (those a baseline may hold)."""
    out: dict[FindingKey, BaselineEntry] = {}
    for f in report.findings:
        if baselinable(report.ppn_id, f):
            key = finding_key(report.ppn_id, payload, f)
            out.setdefault(key, BaselineEntry.from_key(key))
    return list(out.values())


def baseline_document(
    entries: Iterable[BaselineEntry], *, generated_by: str | None = None
) -> dict[str, Any]:
    """The JSON document for ``entries``: one per key, sorted, so a file diffs cleanly.

    When two entries share a key, the one carrying a decision or reason wins.
    """
    by_key: dict[FindingKey, BaselineEntry] = {}
    for entry in entries:
        if entry.rule_id in NEVER_SUPPRESSED or not entry.ppn_id:
            raise BaselineError(
                f"a baseline cannot hold {entry.rule_id or 'an'} entries"
                + (" without a ppn_id" if not entry.ppn_id else "")
            )
        old = by_key.get(entry.key)
        if old is None or (_has_dismissal(entry) and not _has_dismissal(old)):
            by_key[entry.key] = entry
    return {
        "ppncheck_baseline": BASELINE_VERSION,
        "generated_by": generated_by or f"ppncheck {__version__}",
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "entries": [by_key[k].to_dict() for k in sorted(by_key)],
    }


def write_baseline(
    path: str | os.PathLike[str],
    entries: Iterable[BaselineEntry],
    *,
    generated_by: str | None = None,
) -> int:
    """Write ``entries`` as a baseline file; returns how many were written.

    This is the one writer of the format: ``check --write-baseline`` uses it, and so can a
    workbench exporting its dismissals (``BaselineEntry.from_key(key, decision=...,
    reason=..., by=..., at=...)``).  The document is validated before it is written, and the
    file is replaced in one step, so a failed write never leaves half a baseline.
    """
    document = baseline_document(entries, generated_by=generated_by)
    problems = _problems(document)
    if problems:  # a caller's entry that the format cannot hold: say so, write nothing
        raise BaselineError("cannot write the baseline: " + "; ".join(problems[:_MAX_PROBLEMS]))
    target = Path(path)
    text = _dumps(document)
    fd, tmp = tempfile.mkstemp(prefix=".baseline-", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(document["entries"])


class BaselineWriter:
    """A report sink for ``--write-baseline``: every reported finding a baseline can hold,
    plus the entries of ``previous`` that left a finding out in this run (with their
    reasons), written when the run ends.  Stale entries of ``previous`` are dropped."""

    def __init__(self, path: Path, *, previous: Baseline | None = None) -> None:
        self._path = path
        self._previous = previous
        self._entries: list[BaselineEntry] = []
        self._unnamed = 0
        self.written = 0

    def write(self, item: InputItem, report: Report) -> None:
        self._entries.extend(entries_for(item.payload, report))
        if not report.ppn_id:
            self._unnamed += sum(1 for f in report.findings if f.rule_id not in NEVER_SUPPRESSED)

    def close(self, summary: Summary) -> None:
        carried = self._previous.matched() if self._previous is not None else []
        try:
            self.written = write_baseline(
                self._path,
                [*carried, *self._entries],
                generated_by=f"ppncheck {__version__} check --write-baseline",
            )
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise BaselineError(f"cannot write the baseline to {self._path} ({reason})") from None
        if self._unnamed:
            summary.notices.append(
                f"{self._unnamed} finding{'s' if self._unnamed != 1 else ''} of records "
                "without a ppn_id could not be put in the baseline"
            )


def _dumps(document: dict[str, Any]) -> str:
    """JSON with one entry per line: a baseline kept under version control diffs by entry."""
    head = {k: v for k, v in document.items() if k != "entries"}
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    entries = [json.dumps(e, ensure_ascii=False) for e in document["entries"]]
    body = ",\n    ".join(entries)
    return (
        "{\n"
        + "\n".join(lines)
        + '\n  "entries": ['
        + (f"\n    {body}\n  " if entries else "")
        + "]\n}\n"
    )


def _has_dismissal(entry: BaselineEntry) -> bool:
    return entry.decision is not None or entry.reason is not None


def _entry(data: dict[str, Any]) -> BaselineEntry:
    return BaselineEntry(
        ppn_id=data["ppn_id"],
        rule_id=data["rule_id"],
        field=data["field"],
        digest=data["digest"],
        **{name: data.get(name) for name in _OPTIONAL},
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _problems(data: Any) -> list[str]:
    """Every way ``data`` is not a baseline document, in words that quote no value from it."""
    import jsonschema

    from ppncheck.resources import load_schema

    if isinstance(data, dict) and isinstance(data.get("ppncheck_baseline"), int):
        version = data["ppncheck_baseline"]
        if version > BASELINE_VERSION:
            return [
                f"format version {version} is newer than this ppncheck reads "
                f"({BASELINE_VERSION}); upgrade ppncheck or write the baseline again"
            ]
    validator = jsonschema.Draft202012Validator(load_schema(SCHEMA_NAME))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {_in_words(error)}")
    if not problems:
        for i, entry in enumerate(data["entries"]):
            if entry["rule_id"] in NEVER_SUPPRESSED:
                problems.append(
                    f"entries/{i}: {entry['rule_id']} (an unreadable row) is never suppressed"
                )
    return problems


def _in_words(error: Any) -> str:
    """A schema error described from the schema's side (never the file's value)."""
    kind = error.validator
    expected = error.validator_value
    if kind == "required":
        missing = [
            n for n in expected if not isinstance(error.instance, dict) or n not in error.instance
        ]
        return "missing " + ", ".join(missing)
    if kind == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        return "unknown key (allowed: " + ", ".join(allowed) + ")"
    if kind == "type":
        return f"must be {'an' if expected in ('object', 'array', 'integer') else 'a'} {expected}"
    if kind == "const":
        return f"must be {json.dumps(expected)}"
    if kind == "enum":
        return "must be one of " + ", ".join(str(v) for v in expected)
    if kind == "pattern":
        return "is not in the expected form" + (
            " (16 lower-case hex digits)"
            if error.absolute_path and error.absolute_path[-1] == "digest"
            else " (e.g. VB001)"
        )
    if kind in ("minLength", "maxLength"):
        return f"must be {'at least' if kind == 'minLength' else 'at most'} {expected} characters"
    return f"is not valid ({kind})"
