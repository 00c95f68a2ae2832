"""Shared fixtures: the example records are the fixtures (real, fictional notes)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ppncheck_dev (the synthetic export generator) is in the repository, not in the wheel: it is
# found at the root, which goes after the installed package, so a non-editable install (CI)
# is still the ppncheck under test
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
EXAMPLES = ROOT / "examples" / "records"


def load_example(name: str) -> dict[str, Any]:
    with (EXAMPLES / f"{name}.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@pytest.fixture
def good() -> dict[str, Any]:
    """A complete, clean domestic-abuse PPN with two children (a fresh copy per test)."""
    return copy.deepcopy(load_example("good-01-domestic-abuse-two-children"))


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
