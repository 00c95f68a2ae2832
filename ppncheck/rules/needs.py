"""Which optional text components a text needs, from its field and the selected rules.

The record rules read little of each field's analysis: an AWARE field's placeholder verdict,
the Words field's child speech (AWR007), the circumstances' child mentions (CHD001) and every
field's victim-blaming hits (VB001).  Running only what a field's rules read is most of the
speed of a batch; a rule that starts reading more of a field must say so in its ``needs`` in
the rule registry (``rules/registry.py``).
"""

from __future__ import annotations

from ppncheck.config import Config
from ppncheck.rules.registry import component_needs

_VB = "ppn_victim_blaming"


def record_field_needs(path: str, config: Config) -> frozenset[str]:
    """The optional components the record rules read for the text field at ``path`` (each
    rule's ``needs`` in the rule registry, for the selected rules)."""
    return frozenset(
        component
        for rule_id, component, fields in component_needs()
        if fields.search(path) and config.is_selected(rule_id)
    )


def note_needs(config: Config) -> frozenset[str]:
    """A free-text note is judged as a whole: every component, VB only when VB001 runs."""
    # imported here: ppncheck.text.analysis loads spaCy, and the API must import without it
    from ppncheck.text.analysis import OPTIONAL_COMPONENTS

    return OPTIONAL_COMPONENTS if config.is_selected("VB001") else OPTIONAL_COMPONENTS - {_VB}
