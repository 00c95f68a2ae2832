"""The rule registry: every rule declared once, like ruff's code-to-rule table.

Each entry says where a rule is checked (``scope``: the input row, the record or free-text
note, or the whole batch), which modules' code emits it, which record fields it owns (their
schema defects are its findings, not PPN001/PPN002) and which optional text components it
reads, on which fields.  Derived from here, not kept by hand elsewhere:

- the record rule modules the API runs (``RECORD_RULE_MODULES``);
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

_PERSON = r"^persons\[\d+\]\."
_AWARE = r"^voice_of_child\[\d+\]\.aware"


@dataclass(frozen=True)
class RuleSpec:
    id: str
    scope: Scope
    # modules whose code emits the rule (record rules have a ``check(ctx)``; the note rules
    # are in ``ppncheck.rules.free_text``)
    checked_by: tuple[str, ...]
    # record field paths (regular expressions) whose schema defects this rule reports
    owns: tuple[str, ...] = ()
    # (optional text component, field path regex) the rule reads on structured records
    needs: tuple[tuple[str, str], ...] = ()


_RECORD: Scope = "record"
_ETH = "ppncheck.rules.ethnicity"
_AWR = "ppncheck.rules.aware"
_NOTE = "ppncheck.rules.free_text"

REGISTRY: tuple[RuleSpec, ...] = (
    RuleSpec("PPN000", "input", ("ppncheck.api", "ppncheck.catalogue")),
    RuleSpec("PPN001", _RECORD, ("ppncheck.validate.schema", "ppncheck.api")),
    RuleSpec(
        "PPN002", _RECORD, ("ppncheck.validate.schema", "ppncheck.api", "ppncheck.rules.dates")
    ),
    RuleSpec("PPN003", _RECORD, ("ppncheck.rules.dates",)),
    RuleSpec("ETH001", _RECORD, (_ETH, _NOTE), owns=(_PERSON + r"sde_code$",)),
    RuleSpec("ETH002", _RECORD, (_ETH, _NOTE), owns=(_PERSON + r"sde_not_stated_reason$",)),
    RuleSpec("ETH003", _RECORD, (_ETH, _NOTE), owns=(_PERSON + r"sde_code$",)),
    RuleSpec("AWR001", _RECORD, (_AWR, _NOTE), owns=(_AWARE + r"$", _AWARE + r"\.appearance$")),
    RuleSpec("AWR002", _RECORD, (_AWR, _NOTE), owns=(_AWARE + r"\.words$",)),
    RuleSpec("AWR003", _RECORD, (_AWR, _NOTE), owns=(_AWARE + r"\.activity$",)),
    RuleSpec("AWR004", _RECORD, (_AWR, _NOTE), owns=(_AWARE + r"\.relationships$",)),
    RuleSpec("AWR005", _RECORD, (_AWR, _NOTE), owns=(_AWARE + r"\.environment$",)),
    RuleSpec("AWR006", _RECORD, (_AWR, _NOTE)),
    RuleSpec(
        "AWR007", _RECORD, (_AWR, _NOTE), needs=(("ppn_child_speech", r"\.aware\.words$"),)
    ),
    RuleSpec("AWR008", _RECORD, (_AWR,)),
    RuleSpec(
        "VB001",
        _RECORD,
        ("ppncheck.rules.victim_blaming", _NOTE),
        needs=(("ppn_victim_blaming", r""),),
    ),
    RuleSpec("RSK001", _RECORD, ("ppncheck.rules.risk", _NOTE)),
    RuleSpec("TIM001", _RECORD, ("ppncheck.rules.dates",)),
    RuleSpec("TPL001", _RECORD, ("ppncheck.rules.narrative", _NOTE)),
    RuleSpec("TPL002", "batch", ("ppncheck.batch.templated", "ppncheck.batch.runner")),
    RuleSpec(
        "CHD001",
        _RECORD,
        ("ppncheck.rules.children", _NOTE),
        needs=(("ppn_children", r"^circumstances$"),),
    ),
)

# Modules that emit a rule through another module's helper rather than by its id:
# free_text reports AWR001-AWR005 through aware.ELEMENT_RULES, CHD001 through
# children.findings_for and VB001 through victim_blaming.findings_for_text.
INDIRECT: dict[str, frozenset[str]] = {
    _NOTE: frozenset({"AWR001", "AWR003", "AWR004", "AWR005", "CHD001", "VB001"}),
}


def spec(rule_id: str) -> RuleSpec:
    return _BY_ID[rule_id]


_BY_ID = {s.id: s for s in REGISTRY}

# The record rules, in the order the API runs them: every ``ppncheck.rules`` module a record
# rule is checked by (the note's rules run instead for a free-text note).
RECORD_RULE_MODULES: tuple[str, ...] = tuple(
    dict.fromkeys(
        m
        for s in REGISTRY
        if s.scope == _RECORD
        for m in s.checked_by
        if m.startswith("ppncheck.rules.") and m != _NOTE
    )
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
