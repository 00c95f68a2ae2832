"""Whose words: does a word name an adult or a child?

One vocabulary serves every reader that must decide whether a label, a sentence opening or a
speaker names an adult or a child: the referent words of ``data/speech_cues.toml``
(``[referents]``: ``child_*`` and ``adult_*``).  The speech finder attributes quotes and
reported speech with them; the heading finder uses them to tell an adult's Words label
("What parents said", "IP's words") from the child's; the note checker to tell whose a
pronoun's quote is after a sentence about an adult; the children finder to tell whose "his"
is.  A word added there is seen by all of them.
"""

from __future__ import annotations

from functools import lru_cache

from ppncheck.text.tables import PhraseFinder, speech_table

# determiners that may stand before a role at a sentence's opening ("Her mum says ...")
_DETERMINERS = ("the", "her", "his", "their", "my", "our", "a", "an")
# the officer's own voice is an adult's, but "I"/"we" in a label or an opening is the
# officer writing, not a speaker named
_OFFICER_PRONOUNS = frozenset({"i", "we"})


@lru_cache(maxsize=2)
def _finders() -> tuple[PhraseFinder, PhraseFinder]:
    kinds = speech_table().referent_kind
    adults = [w for w, (who, _) in kinds.items() if who == "adult" and w not in _OFFICER_PRONOUNS]
    children = [w for w, (who, _) in kinds.items() if who == "child"]
    return PhraseFinder(adults), PhraseFinder(children)


def _referent_at(text: str, pos: int) -> tuple[str, str] | None:
    """(adult|child, f|m|n) of the referent word (the longest that matches) starting at
    ``pos``, or None."""
    m = speech_table().referent.search(text, pos)
    if m is None or m.start() != pos or m.group() in _OFFICER_PRONOUNS:
        return None
    return speech_table().referent_kind[" ".join(m.group().split())]


def _kind_at(text: str, pos: int) -> str | None:
    """ "adult" or "child" when a referent word starts at ``pos``."""
    found = _referent_at(text, pos)
    return found[0] if found else None


def names_an_adult(text: str) -> bool:
    """Some word of ``text`` names an adult ("parents", "Mum's", "IP", "suspect")."""
    adults, _ = _finders()
    text = text.replace("’", "'")  # "Mum’s voice": the curly apostrophe ends the word too
    for m in adults.finditer(text):
        # "young female" names a child: an adult word inside a longer child referent is not one
        if _kind_at(text, _word_start(text, m.start())) != "child":
            return True
    return False


def names_a_child(text: str) -> bool:
    """Some word of ``text`` names a child ("girl", "son", "the baby", "young male")."""
    _, children = _finders()
    return children.search(text) is not None


def opening_adult(text: str) -> str | None:
    """The gender ("f", "m" or "n") of the adult referent ``text`` opens with, perhaps after a
    determiner ("Her mum says" -> "f", "The suspect" -> "n"), or None."""
    stripped = text.lstrip(" \t\n:-")
    offset = len(text) - len(stripped)
    first = stripped.split(None, 1)
    if first and first[0].lower() in _DETERMINERS and len(first) > 1:
        offset += len(stripped) - len(first[1])
    found = _referent_at(text, offset)
    return found[1] if found and found[0] == "adult" else None


def pronoun_continues(pronoun: str, gender: str | None) -> bool:
    """A pronoun subject ("she", "he", "they", or none: "Said ...") may go on with an adult of
    this gender from the sentence before: "she" a woman's word, "he" a man's, and the others
    a gendered one ("Mum ..., Said "...""); an adult named by a neutral word (officers,
    victim, IP) is not taken to go on, as the child is often the victim."""
    if gender is None or gender == "n":
        return False
    return {"she": "f", "he": "m"}.get(pronoun.lower(), gender) == gender


def _word_start(text: str, pos: int) -> int:
    """The start of the previous word when one stands right before ``pos`` (so a two-word
    referent that ends in this one is seen whole)."""
    before = text[:pos].rstrip(" \t")
    if len(before) == pos:
        return pos
    start = len(before)
    while start > 0 and (before[start - 1].isalnum() or before[start - 1] in "-'’"):
        start -= 1
    return start if start < len(before) else pos
