"""The lexicon is the floor (issue 14): every entry, put into short sentences and into a longer
note, is flagged VB001; none fires on its own recommended alternative wording.

The phrases are generated from the lexicon file itself, so a new entry is tested the day it is
added: the first alternative of each ``{a|b}`` slot, optional slots left out, the lower bound
of an age range, "the" for an any-token slot.  Entries whose first pattern is a regular
expression token are generated from their next literal pattern.
"""

from __future__ import annotations

import re

import pytest

import ppncheck
from ppncheck.text.victim_blaming.lexicon import load_lexicon

LEXICON = load_lexicon(())
_SLOT = re.compile(r"\{([^}]*)\}(\?)?|<(\d+)-\d+>|(~\??)|(/[^/]+/)|(\S+\?)")


def phrase(pattern: str) -> str | None:
    if "/" in pattern:
        return None

    def fill(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return "" if m.group(2) else m.group(1).split("|")[0]
        if m.group(3) is not None:
            return m.group(3)
        if m.group(4) is not None:
            return "" if m.group(4).endswith("?") else "the"
        return ""  # an optional single word

    text = _SLOT.sub(fill, pattern)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" (['’]s|n't|,|\.)", r"\1", text).replace(" - ", "-")
    return text or None


def _phrases() -> list[tuple[str, str]]:
    out = []
    for entry_id, entry in sorted(LEXICON.entries.items()):
        for pattern in entry.patterns:
            text = phrase(pattern)
            if text:
                out.append((entry_id, text))
                break
    return out


PHRASES = _phrases()


def test_every_entry_has_a_generated_phrase() -> None:
    assert {e for e, _ in PHRASES} == set(LEXICON.entries)


@pytest.mark.parametrize(("entry_id", "text"), PHRASES, ids=[e for e, _ in PHRASES])
def test_every_entry_is_flagged_in_short_sentences_and_in_a_note(entry_id: str, text: str) -> None:
    note = (
        "Concern for welfare. Child: Mia HOLT, 14 (DOB 02/03/2011), SDE W1. Mia was seen at home "
        "with her mum, who was calm and cooperative; the house was clean and warm. "
        f"Officer's assessment: {text}. Referral made to MASH and school informed."
    )
    for sample in (f"She is {text}.", f"{text[0].upper()}{text[1:]} noted.", note):
        found = [f for f in ppncheck.check(sample).findings if f.rule_id == "VB001"]
        assert found, (entry_id, sample)


@pytest.mark.parametrize("entry_id", sorted(LEXICON.entries))
def test_no_entry_fires_on_its_own_alternative(entry_id: str) -> None:
    alternative = LEXICON.alternative(entry_id)
    found = [
        f.details["entry_id"]
        for f in ppncheck.check(alternative).findings
        if f.rule_id == "VB001" and f.details and f.details.get("entry_id")
    ]
    assert entry_id not in found, alternative
