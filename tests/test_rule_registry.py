"""The rule registry (rules/registry.py) and the catalogue (rules.toml) match one to one, and
each module the registry names emits exactly the rules it is declared for."""

from __future__ import annotations

import importlib
import inspect
import re

from ppncheck.catalogue import catalogue
from ppncheck.rules.registry import INDIRECT, RECORD_RULE_MODULES, REGISTRY, owned_elsewhere

_ID = re.compile(r"\"((?:PPN|ETH|AWR|VB|RSK|TIM|TPL|CHD)\d{3})\"")


def test_catalogue_and_registry_hold_the_same_rules_once() -> None:
    ids = [s.id for s in REGISTRY]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(catalogue().ids())


def test_each_module_emits_exactly_its_declared_rules() -> None:
    declared: dict[str, set[str]] = {}
    for s in REGISTRY:
        for module in s.checked_by:
            declared.setdefault(module, set()).add(s.id)
    for module, ids in declared.items():
        source = inspect.getsource(importlib.import_module(module))
        emitted = set(_ID.findall(source)) | INDIRECT.get(module, frozenset())
        assert emitted == ids, module


def test_record_rule_modules_have_a_check_and_owned_paths_are_anchored() -> None:
    for name in RECORD_RULE_MODULES:
        assert callable(importlib.import_module(name).check), name
    pattern = owned_elsewhere()
    assert pattern.match("persons[2].sde_code")
    assert pattern.match("voice_of_child[0].aware.words")
    assert not pattern.match("persons[2].dob")
    assert not pattern.match("voice_of_child[0].child_person_id")
