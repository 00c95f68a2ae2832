"""The rule registry: every rule declared once, like ruff's code-to-rule table.

Each entry says where a rule is checked (``scope``: the input row, the record, or the whole
batch), whether it judges a free-text note (``notes``), which modules' code emits it, which
record fields it owns (their schema defects are its findings, not PPN001/PPN002) and which
optional text components it reads, on which fields.  A free-text note is checked by the same
record rules, as the partial record read from it (``rules/note_record.py``).  Derived from
here, not kept by hand elsewhere:

- the record rule modules the API runs (``RECORD_RULE_MODULES``), and those it runs on a
  note (``NOTE_RULE_MODULES``), with the rules that judge a note (``NOTE_RULES``, and
  ``THIN_NOTE_RULES`` for a note that says nothing);
- the field paths the schema check leaves to their owners (``owned_elsewhere``);
- the text components each field of a record needs (``record_field_needs`` in ``needs.py``).

``rules.toml`` (the catalogue) holds what users read about a rule; this table holds how the
code runs it.  ``tests/test_rule_registry.py`` keeps the two one to one, and checks that each
module listed here emits exactly the rule ids declared for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Scope = Literal["input", "record", "batch"]
# How a rule judges a free-text note: "all" every note; "read" a note with enough in it to be
# read (a note that TPL001 finds saying nothing is TPL001's: the rest would repeat the same
# defect); "no" never (AWARE is judged for a note as a whole, so no child lacks an entry; a
# note has no dates or fields to validate; the API reports PPN000-PPN002 on a note itself).
Notes = Literal["all", "read", "no"]

_PERSON = r"^persons\[\d+\]\."
_AWARE = r"^voice_of_child\[\d+\]\.aware"


@dataclass(frozen=True)
class RuleSpec:
    id: str
    scope: Scope
    # modules whose code emits the rule (record rules have a ``check(ctx)``)
    checked_by: tuple[str, ...]
    notes: Notes = "no"
    # record field paths (regular expressions) whose schema defects this rule reports
    owns: tuple[str, ...] = ()
    # (optional text component, field path regex) the rule reads on structured records
    needs: tuple[tuple[str, str], ...] = ()


_RECORD: Scope = "record"
_ETH = "ppncheck.rules.ethnicity"
_AWR = "ppncheck.rules.aware"
_READ: Notes = "read"

REGISTRY: tuple[RuleSpec, ...] = (
    RuleSpec("PPN000", "input", ("ppncheck.api", "ppncheck.catalogue")),
    RuleSpec("PPN001", _RECORD, ("ppncheck.validate.schema", "ppncheck.api")),
    RuleSpec(
        "PPN002", _RECORD, ("ppncheck.validate.schema", "ppncheck.api", "ppncheck.rules.dates")
    ),
    RuleSpec("PPN003", _RECORD, ("ppncheck.rules.dates",)),
    RuleSpec("ETH001", _RECORD, (_ETH,), _READ, owns=(_PERSON + r"sde_code$",)),
    RuleSpec("ETH002", _RECORD, (_ETH,), _READ, owns=(_PERSON + r"sde_not_stated_reason$",)),
    RuleSpec("ETH003", _RECORD, (_ETH,), _READ, owns=(_PERSON + r"sde_code$",)),
    RuleSpec("AWR001", _RECORD, (_AWR,), _READ, owns=(_AWARE + r"$", _AWARE + r"\.appearance$")),
    RuleSpec("AWR002", _RECORD, (_AWR,), _READ, owns=(_AWARE + r"\.words$",)),
    RuleSpec("AWR003", _RECORD, (_AWR,), _READ, owns=(_AWARE + r"\.activity$",)),
    RuleSpec("AWR004", _RECORD, (_AWR,), _READ, owns=(_AWARE + r"\.relationships$",)),
    RuleSpec("AWR005", _RECORD, (_AWR,), _READ, owns=(_AWARE + r"\.environment$",)),
    RuleSpec("AWR006", _RECORD, (_AWR,), _READ),
    RuleSpec("AWR007", _RECORD, (_AWR,), _READ, needs=(("ppn_child_speech", r"\.aware\.words$"),)),
    RuleSpec("AWR008", _RECORD, (_AWR,)),
    RuleSpec(
        "VB001",
        _RECORD,
        ("ppncheck.rules.victim_blaming",),
        "all",
        needs=(("ppn_victim_blaming", r""),),
    ),
    RuleSpec("RSK001", _RECORD, ("ppncheck.rules.risk",), _READ),
    RuleSpec("TIM001", _RECORD, ("ppncheck.rules.dates",)),
    RuleSpec("TPL001", _RECORD, ("ppncheck.rules.narrative",), "all"),
    RuleSpec("TPL002", "batch", ("ppncheck.batch.templated", "ppncheck.batch.runner"), "all"),
    RuleSpec(
        "CHD001",
        _RECORD,
        ("ppncheck.rules.children",),
        _READ,
        needs=(("ppn_children", r"^circumstances$"),),
    ),
)

# Modules that emit a rule through another module's helper rather than by its id.
INDIRECT: dict[str, frozenset[str]] = {}


def spec(rule_id: str) -> RuleSpec:
    return _BY_ID[rule_id]


_BY_ID = {s.id: s for s in REGISTRY}

# The record rules, in the order the API runs them: every ``ppncheck.rules`` module a record
# rule is checked by; on a free-text note, those of the rules that judge a note.
RECORD_RULE_MODULES: tuple[str, ...] = tuple(
    dict.fromkeys(
        m
        for s in REGISTRY
        if s.scope == _RECORD
        for m in s.checked_by
        if m.startswith("ppncheck.rules.")
    )
)
NOTE_RULES = frozenset(s.id for s in REGISTRY if s.scope == _RECORD and s.notes != "no")
THIN_NOTE_RULES = frozenset(s.id for s in REGISTRY if s.scope == _RECORD and s.notes == "all")
NOTE_RULE_MODULES: tuple[str, ...] = tuple(
    m for m in RECORD_RULE_MODULES if any(m in spec(r).checked_by for r in NOTE_RULES)
)


@lru_cache(maxsize=1)
def owned_elsewhere() -> re.Pattern[str]:
    """Field paths whose schema defects a rule other than PPN001/PPN002 reports."""
    patterns = sorted({p for s in REGISTRY for p in s.owns})
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def component_needs() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(rule id, component, field path pattern) for every component a record rule reads."""
    return _NEEDS


_NEEDS = tuple(
    (s.id, component, re.compile(fields)) for s in REGISTRY for component, fields in s.needs
)
