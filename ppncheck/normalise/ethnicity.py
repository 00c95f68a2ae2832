"""Self-defined ethnicity: aliases become 18+1 codes, so that only real gaps are findings.

Lower-case codes, labels, the ``Group - Label`` strings of police open data and the legacy
16+1 ``O1`` are normalised rather than rejected (record-format.md).  Anything else is kept as
typed so that ETH003 can report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ppncheck.resources import data_path, load_toml_validated

_FOLD = re.compile(r"[^a-z0-9]+")


def _fold(value: str) -> str:
    return _FOLD.sub(" ", value.lower()).strip()


@dataclass(frozen=True)
class EthnicityTable:
    codes: frozenset[str]
    aliases: dict[str, str]  # folded alias -> code
    officer_defined: frozenset[str]

    def normalise(self, value: str) -> str | None:
        """The 18+1 code for ``value``, or None when it is not recognised."""
        folded = _fold(value)
        if not folded:
            return None
        if folded in self.aliases:
            return self.aliases[folded]
        # "W1 - White British", "W1 White British": a leading code decides.
        head = folded.split(" ", 1)[0].upper()
        if head in self.codes and len(folded) > len(head):
            return head
        return None

    def is_officer_defined(self, value: str) -> bool:
        return value.strip().upper() in self.officer_defined


@lru_cache(maxsize=1)
def ethnicity_table() -> EthnicityTable:
    data = load_toml_validated(data_path("ethnicity.toml"), "ethnicity")
    codes = frozenset(data["codes"])
    aliases: dict[str, str] = {}
    for code, entry in data["codes"].items():
        aliases[_fold(code)] = code
        for label in entry["labels"]:
            aliases[_fold(label)] = code
    for old, new in data["legacy"].items():
        aliases[_fold(old)] = new
    return EthnicityTable(codes, aliases, frozenset(data["officer_defined"]))


def normalise_sde(value: object) -> object:
    """Return the code for a recognised alias, else the value unchanged."""
    if isinstance(value, str):
        code = ethnicity_table().normalise(value)
        if code is not None:
            return code
    return value
