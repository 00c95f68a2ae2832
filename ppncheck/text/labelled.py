"""Read ``Key: value`` labels (Name:, DOB:, Age:, Ethnicity:/SDE:, Sex:) out of a note.

Free-text notes carry the person details as labels, often several on one line
("Name: Ellie Hart  DOB: 02/05/2016  Ethnicity: W1").  A value runs to the next label on the
line or the line's end.  ``DOB`` and ``Age`` are also read without a colon when a number follows
("Ellie Hart (DOB 02/05/2016)").  Officer-defined ethnicity (ODE, IC codes) is kept apart under
key ``ode``: it never replaces the self-defined code.
"""

from __future__ import annotations

import re

from ppncheck.caseless import caseless
from ppncheck.fastre import previous_char_guard
from ppncheck.text.analysis_types import LabelledLine

_KEYS: dict[str, str] = {
    "name": "name",
    "full name": "name",
    "child": "name",
    "child name": "name",
    "child's name": "name",
    "childs name": "name",
    "subject": "name",
    "young person": "name",
    "dob": "dob",
    "d.o.b": "dob",
    "d.o.b.": "dob",
    "date of birth": "dob",
    "age": "age",
    "aged": "age",
    "ethnicity": "ethnicity",
    "sde": "ethnicity",
    "self-defined ethnicity": "ethnicity",
    "self defined ethnicity": "ethnicity",
    "ethnic origin": "ethnicity",
    "ethnic group": "ethnicity",
    "self-defined ethnicity (sde)": "ethnicity",
    "ode": "ode",
    "officer defined ethnicity": "ode",
    "officer-defined ethnicity": "ode",
    "sex": "sex",
    "gender": "sex",
}
_KEY_ALT = "|".join(
    re.escape(k).replace(r"\ ", r"[ \t]+") for k in sorted(_KEYS, key=len, reverse=True)
)
_LABEL = re.compile(
    previous_char_guard(
        r"\n \t,;|(",  # every look-behind below needs one of these before the label
        r"(?:(?<=^)|(?<=\n)|(?<=[ \t]{2})|(?<=[,;|(\t])|(?<=[,;|(][ \t]))[ \t]*"
        r"(?P<key>(?:" + _KEY_ALT + r")(?:[ \t]*\d{1,2})?)[ \t]*(?P<sep>:|-[ \t]|=)[ \t]*",
    ),
    re.IGNORECASE,
)
# (?<![\w.])(?P<key>d\.?o\.?b\.?|age|aged)[ \t]+(?=\d), the look-behind tested after each key's
# first letter (``fastre``): the same matches, and ``re`` skips to an "a" or a "d" at once
_BARE = re.compile(
    r"(?P<key>d(?<![\w.]d)\.?o\.?b\.?|a(?<![\w.]a)ge|a(?<![\w.]a)ged)[ \t]+(?=\d)", re.IGNORECASE
)
# both scanned over the lower-cased text without IGNORECASE (``caseless``: the same matches,
# the label scan about twice as fast)
_LABEL_CASELESS = caseless(_LABEL)
_BARE_CASELESS = caseless(_BARE)
_VALUE_END = re.compile(r"[ \t]*[,;|).:]*[ \t]*$")
_BARE_VALUE = re.compile(r"[\d/.\-]+(?:[ \t]*\(\d{1,3}\))?")


# Cheap necessary conditions: a label needs its separator, a bare DOB/Age a digit after a
# space.  Most fields have neither, and the label scan (look-behinds at every position) is
# the costly part of reading a field.
_LABEL_HINT = re.compile(r"[:=]|-[ \t]")
_BARE_HINT = re.compile(r"[ \t]\d")


def find_labelled(text: str) -> list[LabelledLine]:
    """Labelled values in text order; the offsets are the value's, trimmed."""
    found: list[tuple[int, int, str]] = []  # (key_start, value_start, key)
    bare: set[int] = set()  # value starts of bare "DOB 21-7-95" / "age 7": the value is one word
    has_label = _LABEL_HINT.search(text) is not None
    if not has_label and _BARE_HINT.search(text) is None:
        return []
    for m in _LABEL_CASELESS.finditer(text) if has_label else ():
        key = re.sub(r"[ \t]*\d+$", "", re.sub(r"[ \t]+", " ", m.group("key").lower()))
        found.append((m.start("key"), m.end(), _KEYS[key]))
    taken = {vs for _, vs, _ in found}
    for m in _BARE_CASELESS.finditer(text):
        if any(ks <= m.start() < vs for ks, vs, _ in found) or m.end() in taken:
            continue
        key = m.group("key").lower().replace(".", "")
        found.append((m.start(), m.end(), "dob" if key == "dob" else "age"))
        bare.add(m.end())
    found.sort()
    out: list[LabelledLine] = []
    for n, (_, v_start, key) in enumerate(found):
        line_end = text.find("\n", v_start)
        limit = len(text) if line_end < 0 else line_end
        if n + 1 < len(found) and found[n + 1][0] < limit:
            limit = found[n + 1][0]
        if key in {"dob", "age"} and text[v_start:limit].count("(") < text[v_start:limit].count(
            ")"
        ):
            limit = v_start + text[v_start:limit].index(")")
        if v_start in bare:  # "IP jade MORLEY DOB 21-7-95 (28) SDE W1 answered the door ..."
            word = _BARE_VALUE.match(text, v_start, limit)
            limit = word.end() if word is not None else limit
        raw = text[v_start:limit]
        trimmed = raw[: len(raw) - len(_VALUE_END.search(raw).group())]  # type: ignore[union-attr]
        value = trimmed.strip()
        if not value:
            continue
        start = v_start + (len(trimmed) - len(trimmed.lstrip()))
        out.append(LabelledLine(key, value, start, start + len(value)))
    return out
