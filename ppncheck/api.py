"""The public entry points: check one PPN, or many in order.

A record flows read -> normalise -> validate -> analyse text -> rules -> report.  Records are
handled in chunks so that every free-text field of a chunk goes through one ``nlp.pipe`` call.
Nothing here raises on bad input: an unreadable record becomes a PPN000 report.
"""

from __future__ import annotations

import copy
import gc
import importlib
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ppncheck.catalogue import catalogue
from ppncheck.config import Config
from ppncheck.findings import Finding, Report
from ppncheck.normalise.ethnicity import normalise_sde
from ppncheck.normalise.pyvalues import clean, clean_text, needs_cleaning
from ppncheck.read.jsonfile import parse_record_text
from ppncheck.read.types import InputItem
from ppncheck.rules.context import RecordContext, build_context
from ppncheck.rules.needs import note_needs, record_field_needs
from ppncheck.rules.registry import NOTE_RULE_MODULES, RECORD_RULE_MODULES
from ppncheck.shape import label_for, text_fields
from ppncheck.text.analysis_types import TextAnalysis
from ppncheck.validate.schema import schema_findings

if TYPE_CHECKING:
    from ppncheck.baseline import Baseline
    from ppncheck.batch.templated import NoteShingles, TemplateDetector

# the record rules' modules, from the rule registry (rules/registry.py); a free-text note is
# checked by those of its rules that judge a note, as the record read from it
_RECORD_RULES = tuple(importlib.import_module(m) for m in RECORD_RULE_MODULES)
_NOTE_RULES = tuple(importlib.import_module(m) for m in NOTE_RULE_MODULES)
_CHUNK = 64
# Longer texts are checked up to this length only: no real PPN field is this long, and spaCy's
# cost grows with it.  No word is longer than MAX_WORD_CHARS (see _within_limit).
MAX_TEXT_CHARS = 100_000
MAX_WORD_CHARS = 100
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")
_LONG_SPACE = re.compile(rf"[^\S\r\n]{{{MAX_WORD_CHARS + 1},}}")
# A lone surrogate (from a "\ud800" JSON escape) cannot be encoded, so the tokenizer would
# fail on it; it becomes U+FFFD, one character for one, so every offset stays true.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class _Prepared:
    row: int | None
    ppn_id: str | None = None
    findings: list[Finding] = field(default_factory=list)
    note: str | None = None
    ctx: RecordContext | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (field path, text)


def extract(text: str, *, config: Config | None = None) -> dict[str, Any]:
    """Read a free-text note into a partial record v1 (``schema_version``, ``persons``) plus
    what the note says of the voice of the child, every value with the character span of the
    note it came from; a case-management system can pre-fill its structured form with it."""
    from ppncheck.read.note import read_note
    from ppncheck.text.analysis_types import AWARE_ELEMENTS

    if not isinstance(text, str):
        raise TypeError("extract() takes the note's text as a string")
    cfg = config or Config()
    _, ((_, body),) = _within_limit([("note", text)], cfg)  # cut, defused, same offsets
    note = read_note(body)
    (analysis,) = analyse_texts([body], config=cfg)

    def spans(found: Any) -> list[dict[str, int]]:
        return [{"start": s.start, "end": s.end} for s in found]

    return {
        "schema_version": "1.0",
        "persons": [p.to_record(f"p{i}") for i, p in enumerate(note.persons, start=1)],
        "voice_of_child": {
            "aware": {e: spans(analysis.aware_evidence.get(e, [])) for e in AWARE_ELEMENTS},
            "headings": [
                {"element": h.element, "start": h.start, "end": h.body_end}
                for h in analysis.headings
            ],
            "child_speech": spans(analysis.child_speech),
            "no_speech_reasons": spans(analysis.no_speech_reasons),
        },
        "ethnicity_values": [v.to_dict() for v in note.ethnicity],
        "officer_defined": [v.to_dict() for v in note.officer_defined],
        "truncated": len(text) > MAX_TEXT_CHARS,
    }


def check(record_or_text: Any, *, config: Config | None = None) -> Report:
    """Check one PPN: a record (dict), a free-text note (str) or raw JSON bytes."""
    return next(check_many([record_or_text], config=config))


def check_many(
    records: Iterable[Any], *, config: Config | None = None, baseline: Baseline | None = None
) -> Iterator[Report]:
    """Check PPNs in order, lazily; one report per input, whatever the input is.

    TPL002 (the same passage pasted into several notes) is a batch rule: it is reported when
    ``records`` is a sequence (a list or tuple, all in memory already), whose notes are first
    counted in one pass; over any other iterable the check stays one pass and lazy, and
    TPL002 needs the batch runner (``ppncheck check`` or ``ppncheck.batch.runner.run_batch``).

    With ``baseline`` (``ppncheck.Baseline.load(path)``), findings it dismissed are left out;
    once the reports are consumed, ``baseline.stale()`` lists its entries that matched nothing.
    """
    cfg = config or Config()
    if isinstance(records, Sequence) and not isinstance(records, (str, bytes, bytearray)):
        counted = _batch_templates(records, cfg)
        if counted is not None:
            yield from _with_templates(records, counted, cfg, baseline)
            return
    if baseline is None:
        items = (InputItem(row=i, payload=r) for i, r in enumerate(records, start=1))
        for report in check_items(items, config=config):
            report.row = None
            yield report
        return
    pending: deque[Any] = deque()  # the payloads whose reports are not out yet, in order

    def remembered() -> Iterator[InputItem]:
        for i, r in enumerate(records, start=1):
            pending.append(r)
            yield InputItem(row=i, payload=r)

    for report in check_items(remembered(), config=config):
        report.row = None
        yield baseline.apply(pending.popleft(), report)


def _batch_templates(
    records: Sequence[Any], config: Config
) -> tuple[TemplateDetector, list[NoteShingles | None]] | None:
    """TPL002's first pass over a batch held in memory (when TPL002 is reported at all): the
    counts, and each note's shingles for pass 2 (None for an input that is no note)."""
    if len(records) < 2:  # one note has nothing to share a passage with
        return None
    from ppncheck.batch.runner import templated_active
    from ppncheck.batch.templated import TemplateDetector

    if not templated_active(config):
        return None
    detector = TemplateDetector.from_config(config)
    notes = [i for i, r in enumerate(records) if isinstance(r, (dict, str))]
    kept: list[NoteShingles | None] = [None] * len(records)
    for i, shingles in zip(notes, detector.add_notes(records[i] for i in notes), strict=True):
        kept[i] = shingles
    return detector, kept


def _with_templates(
    records: Sequence[Any],
    counted: tuple[TemplateDetector, list[NoteShingles | None]],
    config: Config,
    baseline: Baseline | None,
) -> Iterator[Report]:
    """Pass 2: each record's report with its TPL002 findings, in the catalogue's order."""
    detector, kept = counted
    items = (InputItem(row=i, payload=r) for i, r in enumerate(records, start=1))
    reports = check_items(items, config=config)
    for record, report, shingles in zip(records, reports, kept, strict=True):
        report.row = None
        if shingles is not None and not any(f.rule_id == "PPN000" for f in report.findings):
            found = detector.findings(record, config, shingles)
            report.findings = _ordered([*report.findings, *found])
        yield baseline.apply(record, report) if baseline is not None else report


def check_items(items: Iterable[InputItem], *, config: Config | None = None) -> Iterator[Report]:
    """Check reader items in order; an item with ``error`` becomes a PPN000 report with its row.

    When ``items`` itself raises, the items it gave before are checked and yielded first, then
    the exception is raised again: no report that could be made is lost.
    """
    cfg = config or Config()
    iterator = iter(items)
    while True:
        chunk: list[InputItem] = []
        failure: Exception | None = None
        try:
            for item in iterator:
                chunk.append(item)
                if len(chunk) == _CHUNK:
                    break
        except Exception as exc:  # the caller's iterable broke: report what it gave first
            failure = exc
        if chunk:
            with _collector_paused():
                reports = _check_chunk(chunk, cfg)
            yield from reports
        if failure is not None:
            raise failure
        if len(chunk) < _CHUNK:
            return


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
    """One report per item, in order.  A bug that breaks one record's check costs that record
    (a PPN000 naming the exception type, never the text), not its chunk or the run."""
    prepared = [_prepare_or_fail(item, config) for item in chunk]
    if any(p.texts for p in prepared):
        # a model or data file that cannot be loaded stops the run with its own error: it is
        # no record's fault, so it must not become a PPN000 on each of them
        from ppncheck.text.analysis import pipeline_for  # spaCy: only once texts come

        notes = any(p.note is not None for p in prepared)
        pipeline_for(config, note_needs(config) if notes else ())
    try:
        analyses: list[list[TextAnalysis]] | None = _analyse(prepared, config)
    except MemoryError:
        raise
    except Exception:  # find the record that breaks the text pipeline: one at a time
        analyses = None
    reports = []
    for i, p in enumerate(prepared):
        try:
            own = analyses[i] if analyses is not None else _analyse([p], config)[0]
            findings = _findings(p, own, config)
        except MemoryError:
            raise
        except Exception as exc:
            p = _internal_error(p.row, exc, config)
            findings = p.findings
        reports.append(Report(ppn_id=p.ppn_id, findings=_ordered(findings), row=p.row))
    return reports


def _analyse(prepared: Sequence[_Prepared], config: Config) -> list[list[TextAnalysis]]:
    """Every text of every record through the pipeline in one call, split back per record."""
    texts = [text for p in prepared for _, text in p.texts]
    if not texts:  # records without free text: no text pipeline, no spaCy
        return [[] for _ in prepared]
    note = note_needs(config) if any(p.note is not None for p in prepared) else frozenset()
    needs = [
        note if p.note is not None else record_field_needs(path, config)
        for p in prepared
        for path, _ in p.texts
    ]
    flat = analyse_texts(texts, config=config, needs=needs)
    out: list[list[TextAnalysis]] = []
    start = 0
    for p in prepared:
        out.append(list(flat[start : start + len(p.texts)]))
        start += len(p.texts)
    return out


def _findings(p: _Prepared, analyses: list[TextAnalysis], config: Config) -> list[Finding]:
    findings = list(p.findings)
    if p.note is not None:
        from ppncheck.rules.note_record import note_context  # the note reader: notes only

        # the text as analysed: cut and defused, every offset the note's own
        ctx, modules = note_context(p.note, analyses[0], config), _NOTE_RULES
    elif p.ctx is not None:
        ctx, modules = p.ctx, _RECORD_RULES
        for (path, _), analysis in zip(p.texts, analyses, strict=True):
            ctx.texts[path] = analysis
    else:
        return findings
    for module in modules:
        findings.extend(f for f in module.check(ctx) if f is not None)
    return findings


def _prepare_or_fail(item: InputItem, config: Config) -> _Prepared:
    try:
        return _prepare(item, config)
    except MemoryError:
        raise
    except Exception as exc:
        return _internal_error(item.row, exc, config)


def _internal_error(row: int | None, exc: Exception, config: Config) -> _Prepared:
    """The last resort for a bug: the record is reported, the run goes on."""
    return _unreadable(
        row,
        f"an internal error ({type(exc).__name__}) stopped its check; please report it",
        config,
    )


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
            payload, reason = parse_record_text(decoded, with_line=True)
            if reason is not None:
                return _unreadable(item.row, reason, config)
        else:
            payload = decoded
    if isinstance(payload, str) and needs_cleaning(payload):
        payload = clean_text(payload)
    if isinstance(payload, str) and not payload.strip():
        finding = catalogue().finding("PPN001", config, field="note", label="note text")
        return _Prepared(row=item.row, findings=[finding] if finding else [])
    if isinstance(payload, str):
        prepared = _Prepared(row=item.row)
        prepared.findings, prepared.texts = _within_limit([("note", payload)], config)
        prepared.note = prepared.texts[0][1]  # the note as checked (cut short, long runs blank)
        return prepared
    if not isinstance(payload, dict):
        kind = type(payload).__name__ if payload is not None else "null"
        kind = {"list": "a list", "int": "a number", "float": "a number", "bool": "true/false"}.get(
            kind, kind
        )
        return _unreadable(item.row, f"a PPN must be a JSON object, not {kind}", config)
    return _prepare_record(item.row, payload, config)


def _prepare_record(row: int | None, raw: dict[str, Any], config: Config) -> _Prepared:
    problems: list[tuple[str | None, str]] = []
    if needs_cleaning(raw):  # Python values from an API caller: see normalise/pyvalues.py
        raw, problems = clean(raw)
    record = _normalised(raw)
    ppn_id = record.get("ppn_id")
    prepared = _Prepared(
        row=row, ppn_id=ppn_id if isinstance(ppn_id, str) and ppn_id.strip() else None
    )
    prepared.findings = schema_findings(record, config)
    if problems:
        prepared.findings = _not_json_findings(problems, prepared.findings, config)
    prepared.ctx = build_context(record, config)
    too_long, prepared.texts = _within_limit(list(text_fields(record)), config)
    prepared.findings.extend(too_long)
    return prepared


def _not_json_findings(
    problems: list[tuple[str | None, str]], findings: list[Finding], config: Config
) -> list[Finding]:
    """PPN002 for each value JSON cannot hold; the schema's own finding on that path (about
    the None left in its place) gives way to it."""
    paths = {path for path, _ in problems}
    out = [f for f in findings if f.field not in paths]
    for path, problem in dict.fromkeys(problems):
        label = label_for(path) if path else "record"
        finding = catalogue().finding("PPN002", config, field=path, label=label, problem=problem)
        if finding is not None:
            out.append(finding)
    return out


def _within_limit(
    texts: list[tuple[str, str]], config: Config
) -> tuple[list[Finding], list[tuple[str, str]]]:
    """The texts as the pipeline may see them, and a PPN002 for each one that was cut short.

    A text longer than MAX_TEXT_CHARS is checked up to that length.  Runs longer than
    MAX_WORD_CHARS are defused, keeping the length so that the spans of findings still point
    at the text the officer wrote: a run without a space (no word is that long; spaCy's prefix
    and suffix search costs the square of a token's length, and a note of 50,000 quote marks
    took 189 s) becomes ``x``s, and a run of spaces or tabs (a value pattern that ends in
    ``[ \t]*$`` is quadratic in it) gets a line break every MAX_WORD_CHARS characters.
    """
    findings: list[Finding] = []
    kept: list[tuple[str, str]] = []
    for path, text in texts:
        if len(text) > MAX_TEXT_CHARS:
            problem = (
                f"it is {len(text):,} characters long, too long to check in full; "
                f"only its first {MAX_TEXT_CHARS:,} characters were checked"
            )
            finding = catalogue().finding(
                "PPN002", config, field=path, label=label_for(path), problem=problem
            )
            if finding is not None:
                findings.append(finding)
            text = text[:MAX_TEXT_CHARS]
        if len(text) > MAX_WORD_CHARS:
            if _LONG_WORD.search(text):
                text = _LONG_WORD.sub(_xs, text)
            if _LONG_SPACE.search(text):
                text = _LONG_SPACE.sub(_broken_up, text)
        kept.append((path, _SURROGATE.sub("\ufffd", text)))
    return findings, kept


def _xs(m: re.Match[str]) -> str:
    return "x" * (m.end() - m.start())


def _broken_up(m: re.Match[str]) -> str:
    lines, rest = divmod(m.end() - m.start(), MAX_WORD_CHARS)
    return (" " * (MAX_WORD_CHARS - 1) + "\n") * lines + " " * rest


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
