"""The public entry points: check one PPN, or many in order.

A record flows read -> normalise -> validate -> analyse text -> rules -> report.  Records are
handled in chunks so that every free-text field of a chunk goes through one ``nlp.pipe`` call.
Nothing here raises on bad input: an unreadable record becomes a PPN000 report.
"""

from __future__ import annotations

import copy
import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from ppncheck.catalogue import catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding, Report
from ppncheck.normalise.ethnicity import normalise_sde
from ppncheck.read.types import InputItem
from ppncheck.rules import aware, children, dates, ethnicity, narrative, risk, victim_blaming
from ppncheck.rules.context import RecordContext, build_context
from ppncheck.rules.free_text import check_note
from ppncheck.rules.needs import note_needs, record_field_needs
from ppncheck.text.analysis_types import TextAnalysis
from ppncheck.validate.schema import schema_findings

_RECORD_RULES = (ethnicity, aware, dates, risk, narrative, children, victim_blaming)
_TOP_TEXT_FIELDS = ("circumstances", "rationale", "actions_taken")
_CHUNK = 64
# Longer texts are not analysed: no real PPN field is this long, and spaCy's cost grows with it.
MAX_TEXT_CHARS = 100_000


@dataclass
class _Prepared:
    row: int | None
    ppn_id: str | None = None
    findings: list[Finding] = field(default_factory=list)
    note: str | None = None
    ctx: RecordContext | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (field path, text)


def check(record_or_text: Any, *, config: Config | None = None) -> Report:
    """Check one PPN: a record (dict), a free-text note (str) or raw JSON bytes."""
    return next(check_many([record_or_text], config=config))


def check_many(records: Iterable[Any], *, config: Config | None = None) -> Iterator[Report]:
    """Check PPNs in order, lazily; one report per input, whatever the input is."""
    items = (InputItem(row=i, payload=r) for i, r in enumerate(records, start=1))
    for report in check_items(items, config=config):
        report.row = None
        yield report


def check_items(items: Iterable[InputItem], *, config: Config | None = None) -> Iterator[Report]:
    """Check reader items in order; an item with ``error`` becomes a PPN000 report with its row."""
    cfg = config or Config()
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        with _collector_paused():
            reports = _check_chunk(chunk, cfg)
        yield from reports


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one chunk is checked.

    A chunk allocates hundreds of thousands of short-lived objects (tokens' spans, dicts,
    findings) that reference counting frees; the collector's generation scans over them and
    over everything the caller holds cost about a third of the batch time and found nothing
    to free.  The collector is switched back on (if it was on) when the chunk is done, so
    any cycles made meanwhile are collected by its next run; memory per chunk is bounded.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def analyse_texts(
    texts: Sequence[str],
    *,
    config: Config,
    needs: Sequence[frozenset[str]] | None = None,
) -> list[TextAnalysis]:
    """``ppncheck.text.analysis.analyse_texts``, imported on the first call: it loads spaCy
    and builds the pipeline, and importing ppncheck (or the API) must stay cheap."""
    from ppncheck.text.analysis import analyse_texts as analyse

    return analyse(texts, config=config, needs=needs)


def _check_chunk(chunk: Sequence[InputItem], config: Config) -> list[Report]:
    prepared = [_prepare(item, config) for item in chunk]
    texts = [text for p in prepared for _, text in p.texts]
    note = note_needs(config)
    needs = [
        note if p.note is not None else record_field_needs(path, config)
        for p in prepared
        for path, _ in p.texts
    ]
    analyses = iter(analyse_texts(texts, config=config, needs=needs)) if texts else iter(())
    reports = []
    for p in prepared:
        findings = list(p.findings)
        if p.note is not None:
            findings.extend(check_note(p.note, next(analyses), config))
        elif p.ctx is not None:
            for path, _ in p.texts:
                p.ctx.texts[path] = next(analyses)
            for module in _RECORD_RULES:
                findings.extend(f for f in module.check(p.ctx) if f is not None)
        reports.append(Report(ppn_id=p.ppn_id, findings=_ordered(findings), row=p.row))
    return reports


def _ordered(findings: list[Finding]) -> list[Finding]:
    order = {rid: i for i, rid in enumerate(catalogue().ids())}
    return sorted(findings, key=lambda f: (order.get(f.rule_id, 999), f.field or "", f.start or 0))


def _unreadable(row: int | None, reason: str, config: Config) -> _Prepared:
    finding = catalogue().finding("PPN000", config, reason=reason)
    return _Prepared(row=row, findings=[finding] if finding else [])


def _prepare(item: InputItem, config: Config) -> _Prepared:
    if item.error is not None:
        return _unreadable(item.row, item.error, config)
    payload = item.payload
    if isinstance(payload, (bytes, bytearray)):
        try:
            decoded = bytes(payload).decode("utf-8")
        except UnicodeDecodeError as exc:
            return _unreadable(
                item.row, f"the bytes are not valid UTF-8 (at byte {exc.start})", config
            )
        stripped = decoded.lstrip()
        if stripped.startswith(("{", "[")):
            try:
                payload = json.loads(decoded)
            except (ValueError, RecursionError) as exc:
                where = (
                    f" at line {exc.lineno} column {exc.colno}"
                    if isinstance(exc, json.JSONDecodeError)
                    else ""
                )
                return _unreadable(item.row, f"not valid JSON{where}", config)
        else:
            payload = decoded
    if isinstance(payload, str) and not payload.strip():
        finding = catalogue().finding("PPN001", config, field="note", label="note text")
        return _Prepared(row=item.row, findings=[finding] if finding else [])
    if isinstance(payload, str):
        prepared = _Prepared(row=item.row, note=payload)
        prepared.findings, prepared.texts = _within_limit([("note", payload)], config)
        if prepared.findings:
            prepared.note = None  # too long to read: the PPN002 finding is the whole report
        return prepared
    if not isinstance(payload, dict):
        kind = type(payload).__name__ if payload is not None else "null"
        kind = {"list": "a list", "int": "a number", "float": "a number", "bool": "true/false"}.get(
            kind, kind
        )
        return _unreadable(item.row, f"a PPN must be a JSON object, not {kind}", config)
    return _prepare_record(item.row, payload, config)


def _prepare_record(row: int | None, raw: dict[str, Any], config: Config) -> _Prepared:
    record = _normalised(raw)
    ppn_id = record.get("ppn_id")
    prepared = _Prepared(
        row=row, ppn_id=ppn_id if isinstance(ppn_id, str) and ppn_id.strip() else None
    )
    prepared.findings = schema_findings(record, config)
    prepared.ctx = build_context(record, config)
    too_long, prepared.texts = _within_limit(list(_text_fields(record)), config)
    prepared.findings.extend(too_long)
    return prepared


def _within_limit(
    texts: list[tuple[str, str]], config: Config
) -> tuple[list[Finding], list[tuple[str, str]]]:
    """Split off texts too long to analyse, each reported as PPN002 on its field."""
    findings: list[Finding] = []
    kept: list[tuple[str, str]] = []
    for path, text in texts:
        if len(text) <= MAX_TEXT_CHARS:
            kept.append((path, text))
            continue
        problem = (
            f"it is too long to check ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})"
        )
        finding = catalogue().finding(
            "PPN002", config, field=path, label=path.replace("_", " "), problem=problem
        )
        if finding is not None:
            findings.append(finding)
    return findings, kept


def _normalised(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy with ethnicity aliases turned into codes; the caller's record is untouched."""
    persons = raw.get("persons")
    if not isinstance(persons, list):
        return raw
    record = dict(raw)
    record["persons"] = [copy.copy(p) if isinstance(p, dict) else p for p in persons]
    for person in record["persons"]:
        if isinstance(person, dict) and "sde_code" in person:
            person["sde_code"] = normalise_sde(person["sde_code"])
    return record


def _text_fields(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key in _TOP_TEXT_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            yield key, value
    yield from aware.aware_text_fields(record)
    review = record.get("supervisor_review")
    if isinstance(review, dict):
        comments = review.get("comments")
        if isinstance(comments, str) and comments.strip():
            yield "supervisor_review.comments", comments
