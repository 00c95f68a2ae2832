"""Find AWARE section headings and the body each one opens.

Officers head AWARE paragraphs in many ways ("Appearance:", "A -", "A:", "Appearance /
demeanour", "Words spoken", "Env:").  The forms live in ``data/aware_headings.toml``; here a
line's label (the text before a separator, or a label alone on its line) is looked up there.
A section's body runs to the next heading, the next known non-AWARE label ("Ethnicity:",
"Actions taken:"), a blank line or the end of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ppncheck.text.analysis_types import AWARE_ELEMENTS, Heading
from ppncheck.text.speakers import names_an_adult
from ppncheck.text.tables import HeadingTable, normalise_label

# "- ", "1. ", "2) ", "(d) ", "b) ", "(iv) ": what may stand before a heading on its line
# a bullet, a number, a lettered point, a markdown-like "### " from an app's export; then
# perhaps an opening bracket of a bracketed label ("[A] Grey tracksuit ...")
_BULLET = (
    r"(?:[-*•·>]+[ \t]*|\d{1,2}[.)][ \t]+|\(?(?:[a-h]|i{1,3}|iv|v)\)[ \t]+|#{1,6}[ \t]+)?"
    r"(?:[-*•·>]+[ \t]*)?\[?"
)
_ONLY_BULLET = re.compile(r"[ \t]*" + _BULLET + r"[ \t]*")
_WITH_SEP = re.compile(
    r"^[ \t]*"
    + _BULLET
    # (a bracket after the label may hold a time: "Child's account (RHI 19/07 at 11:20):")
    + r"(?P<label>[A-Za-z][^\n:–—=]{0,60}?(?:\([^\n()]{0,60}\))?)[ \t]*"
    + r"(?P<sep>:(?!\d\d)|–|—|=|-{1,2}(?=[ \t]|$)|[)\]](?=[ \t]))[ \t]*",  # not "15:30"
    re.MULTILINE,
)
_ALONE = re.compile(
    r"^[ \t]*" + _BULLET + r"(?P<label>[A-Za-z][A-Za-z '’/&()-]{0,60}?)[ \t]*:?[ \t]*$",
    re.MULTILINE,
)
# "What did the kids say?" alone on its line, or opening it ("What was he doing? Sitting ..."),
# or a short label alone on its line ("What they were up to"): named by its words (tables.py)
_QUESTION = re.compile(
    r"^[ \t]*" + _BULLET + r"(?P<label>[A-Za-z][^\n?:.!]{2,60}?)[ \t]*(?:\?[ \t]*|$)",
    re.MULTILINE,
)
_MID_LINE = re.compile(
    r"(?<=[.!?])[ \t]+(?P<label>[A-Za-z][A-Za-z '’/&-]{0,40}?)[ \t]*(?::|[ \t][–—-](?=[ \t]))[ \t]*"
)  # "... no marks. Voice: ...", "... at home. App – school uniform, ..."
# every _MID_LINE match starts right after one of these: the label pattern is tried only there
# (its leading look-behind gives ``re`` nothing to skip by: it was tried at every character)
_MID_LINE_AT = re.compile(r"[.!?](?=[ \t])")
_SEP_HINT = re.compile(r"[:–—=)\]-]")  # every separator _WITH_SEP accepts holds one of these
_TRAILING_PAREN = re.compile(r"[ \t]*\([^()]*\)[ \t]*$")
_PAREN = re.compile(r"^\w{1,3}\s*\((?P<inner>[^)]+)\)?$")

_OTHER = ("other",)
_MARKDOWN = re.compile(r"[ \t]*#{1,6}[ \t]+")
# a question label alone on its line with no question mark opens with one of these
_BARE_QUESTION = re.compile(r"(?:what|how|who|where|describe|outline|detail)\b", re.IGNORECASE)
_ANSWER = re.compile(r"a|ans|answer", re.IGNORECASE)
_QUESTION_BEFORE = re.compile(r"\bQ[ \t]*[:.-][^\n]*\?", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


# "Reece's voice", "Maisie-Jo's words": a heading with the child's name before it
_OWNER = re.compile(r"^[A-Z][\w-]*['’]s[ \t]+(?=\w)")


_JOINS = re.compile(r"[ \t]*(?:/|&|\+|,|\band\b)[ \t]*")


def _compound(key: str, table: HeadingTable) -> tuple[str, ...]:
    """ "Injuries / appearance", "Home & school": a joined label with one AWARE part (of
    more than one letter) names that part's element; two parts naming different elements,
    or none, name nothing here."""
    parts = [p for p in _JOINS.split(key) if p]
    if len(parts) < 2:
        return ()
    named = [table.forms[p] for p in parts if len(p) > 1 and p in table.forms]
    return named[0] if len(named) == 1 else ()


def _candidates(label: str, table: HeadingTable, *, exact_only: bool) -> tuple[str, ...]:
    # whose words a label names is read without its bracket ("Child's account (RHI, social
    # worker present)" is still the child's)
    trailing = _TRAILING_PAREN.search(label)
    own = label[: trailing.start()] if trailing is not None and trailing.start() > 0 else label
    return _whose(own, _element_of(label, table, exact_only=exact_only))


def _whose(label: str, found: tuple[str, ...]) -> tuple[str, ...]:
    """A Words label that names an adult ("What parents said", "IP's words", "Mum's voice")
    is no section of the child's words: a label of its own (which ends the one before)."""
    return _OTHER if found == ("words",) and names_an_adult(label) else found


def _element_of(label: str, table: HeadingTable, *, exact_only: bool) -> tuple[str, ...]:
    key = normalise_label(label)
    if key in table.forms:
        return table.forms[key]
    owner = _OWNER.match(label.strip())
    if owner is not None:
        rest = normalise_label(label.strip()[owner.end() :])
        if rest in table.forms:
            return table.forms[rest]  # ("Mum's house:" is still the home the child lives in)
    paren = _PAREN.match(key)
    if paren and normalise_label(paren.group("inner")) in table.forms:
        return table.forms[normalise_label(paren.group("inner"))]
    trailing = _TRAILING_PAREN.search(label)
    if trailing is not None and trailing.start() > 0:
        # "Child's account (RHI by phone 19/07):", "Appearance (on arrival)": the label
        # before its bracket
        return _element_of(label[: trailing.start()], table, exact_only=exact_only)
    if key in table.other:
        return _OTHER
    joined = _compound(key, table)
    if joined:
        return joined
    if exact_only or len(key.split()) > table.max_heading_words:
        return ()
    for prefix in table.multiword_prefixes:
        if key.startswith(prefix) and key[len(prefix) : len(prefix) + 1] in {
            " ",
            "/",
            "&",
            "(",
            ",",
        }:
            return table.forms[prefix]
    return ()


def _mid_line(text: str) -> Iterator[re.Match[str]]:
    """``_MID_LINE.finditer(text)``: the same matches, tried only where one can start."""
    resume = 0  # where finditer would look on from: the end of the last match
    for at in _MID_LINE_AT.finditer(text):
        if at.end() < resume:
            continue
        m = _MID_LINE.match(text, at.end())
        if m is not None:
            yield m
            resume = m.end()


def find_headings(text: str, table: HeadingTable) -> list[Heading]:
    """AWARE headings in text order, with body offsets trimmed of surrounding whitespace."""
    raw: dict[int, tuple[int, int, tuple[str, ...]]] = {}  # start -> (end, body_start, cands)
    # cheap necessary conditions: a label with a separator needs a separator character, a
    # mid-line label its colon; most record fields have neither, and the label scans (a lazy
    # label at every line start, a look-behind at every position) are the costly part
    with_sep = _WITH_SEP.finditer(text) if _SEP_HINT.search(text) else ()
    for m in with_sep:
        if _answers_a_question(text, m):
            continue
        cands = _candidates(m.group("label"), table, exact_only=False)
        prompt = not cands and m.group("sep") == ":"
        if prompt and len(m.group("label").split()) <= table.max_heading_words:
            # a form's prompt with a colon: "Describe the child's presentation:"
            element = table.question_element(m.group("label"))
            cands = _whose(m.group("label"), (element,)) if element is not None else ()
        if cands:
            raw[m.start("label")] = (m.end("sep"), m.end(), cands)
        elif m.group("sep") in _DASHES and _NAME_ONLY.fullmatch(m.group("label")):
            _named_heading(text, m, table, raw)
    for m in _ALONE.finditer(text):
        if m.start("label") in raw:
            continue
        cands = _candidates(m.group("label"), table, exact_only=True)
        if cands:
            raw[m.start("label")] = (m.end(), m.end(), cands)
    for m in _QUESTION.finditer(text):
        if m.start("label") in raw or len(m.group("label").split()) > table.max_heading_words:
            continue
        asked = m.group(0).rstrip().endswith("?")
        if not asked and _BARE_QUESTION.match(m.group("label")) is None:
            continue  # "Is happy at home" is a line of shorthand; "What Lily wants" a label
        element = table.question_element(m.group("label") + ("?" if asked else ""))
        if element is not None:
            raw[m.start("label")] = (m.end(), m.end(), _whose(m.group("label"), (element,)))
    for m in _mid_line(text) if ":" in text or "–" in text or " - " in text else ():
        if _answers_a_question(text, m):
            continue
        if ":" not in m.group() and len(m.group("label").strip()) < 3:
            continue  # "... home. A - ...": a dash after a letter is too common in prose
        cands = _candidates(m.group("label"), table, exact_only=True)
        if cands and m.start("label") not in raw:
            raw[m.start("label")] = (
                m.end() - 1 if text[m.end() - 1] == " " else m.end(),
                m.end(),
                cands,
            )

    if "new paragraph" in text.lower() or "new line" in text.lower():
        _spoken_headings(text, table, raw)

    starts = sorted(raw)
    headings: list[Heading] = []
    seen: set[str] = set()
    previous: str | None = None
    for n, start in enumerate(starts):
        end, body_start, cands = raw[start]
        if cands == _OTHER:
            previous = None
            continue
        element = _resolve(cands, seen, previous)
        seen.add(element)
        previous = element
        limit = _line_start(text, starts[n + 1]) if n + 1 < len(starts) else len(text)
        b_start, b_end = _trim(text, body_start, max(body_start, limit))
        blank = _BLANK_LINE.search(text, b_start, b_end)
        if blank is not None and not _MARKDOWN.match(text, text.rfind("\n", 0, start) + 1):
            # a paragraph break ends a headed paragraph; an app's "### Voice of the child"
            # section runs on to the next "###"
            b_start, b_end = _trim(text, b_start, blank.start())
        headings.append(Heading(element, start, end, b_start, b_end))
    return _one_line_layout(text, _without_titles(headings))


_DASHES = frozenset({"–", "—", "-", "--"})
_NAME_ONLY = re.compile(r"[A-Z][A-Za-z'’-]+")


def _named_heading(
    text: str,
    m: re.Match[str],
    table: HeadingTable,
    raw: dict[int, tuple[int, int, tuple[str, ...]]],
) -> None:
    """ "MAJA – WHAT SHE SAID", "Gabriel - Appearance": a child's name, a dash and a heading
    alone on the rest of its line; the heading is the rest."""
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    rest = text[m.end() : line_end].rstrip(" \t:")
    if not rest or len(rest.split()) > table.max_heading_words:
        return
    cands = _candidates(rest, table, exact_only=True)
    if not cands:
        element = table.question_element(rest)
        cands = _whose(rest, (element,)) if element is not None else ()
    if cands:
        raw[m.end()] = (m.end() + len(rest), line_end, cands)


def _without_titles(headings: list[Heading]) -> list[Heading]:
    """ "3. Voice of the child" / "(a) Presentation: ..." / "(b) Relationships: ...": a heading
    with nothing under it but two or more headings of other elements is the title over them,
    not an empty section."""
    out = []
    for n, h in enumerate(headings):
        if h.body_start == h.body_end:
            after = {x.element for x in headings[n + 1 : n + 3]} - {h.element}
            if len(after) >= 2:
                continue
        out.append(h)
    return out


# a dictated note says its line breaks: "... new paragraph words dad said quote ..."
_SPOKEN_BREAK = re.compile(r"\bnew[ \t]+(?:paragraph|line)\b[ \t]*", re.IGNORECASE)
_WORDS_AHEAD = re.compile(r"[A-Za-z'’]+(?:[ \t]+[A-Za-z'’]+){0,3}")
_WORD = re.compile(r"[A-Za-z'’]+")


def _spoken_headings(
    text: str, table: HeadingTable, raw: dict[int, tuple[int, int, tuple[str, ...]]]
) -> None:
    """ "new paragraph appearance she was in ...": an AWARE form said straight after a spoken
    paragraph break opens a section (the longest form of up to four words; no one-letter or
    three-letter forms, which are ordinary words when spoken); every other spoken break ends
    the section before it."""
    for m in _SPOKEN_BREAK.finditer(text):
        ahead = _WORDS_AHEAD.match(text, m.end())
        words = list(_WORD.finditer(ahead.group())) if ahead else []
        found = None
        for n in range(len(words), 0, -1):
            label = " ".join(w.group() for w in words[:n])
            cands = _candidates(label, table, exact_only=True)
            if cands and cands != _OTHER and len(label) > 3 and label.lower() != "said":
                found = (m.end() + words[n - 1].end(), cands)
                break
        if found is None:
            raw.setdefault(m.start(), (m.end(), m.end(), _OTHER))
        else:
            raw.setdefault(m.start(), (found[0], found[0], found[1]))


def _answers_a_question(text: str, m: re.Match[str]) -> bool:
    """ "Q: what did auntie say? A: ..." (on one line or two): "A" is the answer, not
    Appearance or Activity."""
    if not _ANSWER.fullmatch(m.group("label").strip()):
        return False
    line_start = text.rfind("\n", 0, m.start("label")) + 1
    previous_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    return _QUESTION_BEFORE.search(text, previous_start, m.start("label")) is not None


def _one_line_layout(text: str, headings: list[Heading]) -> list[Heading]:
    """ "App: ... / Words: ... / Env: as above / 6th missing episode ...": when every other
    section of the note is one line long, the last one is too, and the lines after it are the
    note going on, not that section."""
    if len(headings) < 3:
        return headings
    *others, last = headings
    if any("\n" in text[h.body_start : h.body_end] for h in others):
        return headings
    if any(text.rfind("\n", 0, h.start) != text.rfind("\n", 0, h.body_start) for h in others):
        return headings  # a heading alone on its line: bodies run on under it
    line_end = text.find("\n", last.body_start)
    if line_end < 0 or line_end >= last.body_end:
        return headings
    b_start, b_end = _trim(text, last.body_start, line_end)
    return [*others, Heading(last.element, last.start, last.end, b_start, b_end)]


def _resolve(cands: tuple[str, ...], seen: set[str], previous: str | None) -> str:
    """ "A" is Appearance first and Activity after; follow AWARE order."""
    if len(cands) == 1:
        return cands[0]
    for element in cands:
        if element not in seen:
            return element
    if previous is not None:
        after = AWARE_ELEMENTS.index(previous)
        for element in cands:
            if AWARE_ELEMENTS.index(element) > after:
                return element
    return cands[0]


def _line_start(text: str, pos: int) -> int:
    """The start of the line ``pos`` is on, when only a bullet stands before it there."""
    nl = text.rfind("\n", 0, pos)
    return nl + 1 if nl >= 0 and _ONLY_BULLET.fullmatch(text, nl + 1, pos) else pos


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
