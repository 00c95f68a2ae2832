"""The child's own words: direct and reported speech attributed to the child, and recorded
reasons why the child could not speak.

AWARE's W asks what the *child* said.  A note full of what mum or the suspect said has Words
content but not the child's voice, so every quote and speech verb is attributed: to the nearest
referent before the verb ("Tyler told officers", "her mum said"), or for a pronoun to the
nearest gender-compatible referent earlier in the sentence, else the subject of the sentence
before.  Names are adults when a title or role names them ("Mr Hale", "mum Sarah", "Sarah
(mother)") and children otherwise.  Inside a Words section a bare quote or a subject-less "said
..." belongs to the child.  Cues live in ``data/speech_cues.toml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from spacy.lang.en.stop_words import STOP_WORDS

from ppncheck.caseless import caseless
from ppncheck.fastre import first_char_guard
from ppncheck.read.note import not_name_words
from ppncheck.read.spoken import SPOKEN_QUOTE
from ppncheck.text.speakers import opening_adult
from ppncheck.text.tables import PhraseFinder, SpeechTable

_QUOTES = re.compile(
    r"“[^”\n]{1,400}”|\"[^\"\n]{1,400}\"|(?:(?<=^)|(?<=[\s(:]))'(?:[^'\n]|'(?=\w)){1,400}?'(?=[\s.,;:!?)]|$)"
    + "|"
    + SPOKEN_QUOTE,
    re.IGNORECASE,
)
_NAME = re.compile(
    first_char_guard(
        "[A-Z]",
        r"\b(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?|(?:Mc|Mac|O'|O’)?[A-Z]{2,}(?:-[A-Z]{2,})?)\b",
    )
)
# "describes herself as Black African": an ethnicity, not speech
_REFLEXIVE = re.compile(r"[ \t]+(?:her|him|them|my|your)sel(?:f|ves)\b", re.IGNORECASE)
# "Report Remove process explained to mother", "School DSL informed": a note's passive with
# "was" left out; the word before the verb is a thing or an agency, not a speaker
_THING_BEFORE = re.compile(r"\b(?P<word>[a-z]{3,}|[A-Z]{2,5})[ \t]+$")
_ADVERB = re.compile(r"(?:\w+ly|then|also|later|again|first|still|just|never|always|even)$")
# \b(?:she|he|they)\b, with each word's left boundary tested after its first letter ("s" not
# after a word character): the lower-cased twin (``caseless``) then opens with a plain letter
# that ``re`` skips to, instead of trying the pattern at every character (the same matches)
_PRONOUN = re.compile(r"(?:s(?<!\ws)he|h(?<!\wh)e|t(?<!\wt)hey)\b", re.IGNORECASE)
# \b(?:Mr|Mrs|Ms|Miss|Mx|Dr|PC|P\.C\.|DC|DS|PS|Sgt|Insp)\.?[ \t]+(?P<name>[A-Z][a-z]+), the
# titles grouped by first letter (in order) and the boundary tested after it (``fastre``)
_TITLE_NAME = re.compile(
    r"(?:M(?<!\wM)(?:r|rs|s|iss|x)|D(?<!\wD)(?:r|C|S)|P(?<!\wP)(?:C|\.C\.|S)|S(?<!\wS)gt"
    r"|I(?<!\wI)nsp)\.?[ \t]+(?P<name>[A-Z][a-z]+)"
)
_ADULT_ROLE = (
    r"mum|mother|mam|dad|father|stepdad|stepfather|stepmum|stepmother|partner|ex-partner|nan|"
    r"grandma|grandmother|grandad|grandfather|aunt|auntie|uncle|boyfriend|girlfriend|carer|"
    r"suspect|neighbour|teacher|victim|ip|aggrieved"
)
_ROLES = PhraseFinder(_ADULT_ROLE.split("|"))
_NAME_AFTER_ROLE = re.compile(r"[ \t,]+(?P<name>[A-Z][a-z]+)")
_NAME_BEFORE_ROLE = re.compile(
    r"(?P<name>[A-Z][a-z]+)(?:[ \t]+(?:[A-Z][a-z]+|(?:Mc|Mac|O'|O’)?[A-Z]{2,}(?:-[A-Z]{2,})?))?"
    r"[ \t]*[(,–-][ \t]*(?:the[ \t]+)?$"
)
_NAME_AGE = re.compile(
    r"(?P<name>[A-Z][a-z]+)(?:[ \t]+[A-Z][a-z]+)?[ \t]*\((?:aged[ \t]*)?(?P<age>\d{1,3})"
)
_CHILD_QUOTE = re.compile(r"\b(?:mummy|daddy|my mum|my dad|my mam|nanny|my nan)\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)[ \t]+$", re.IGNORECASE)
_PREPOSITION = re.compile(
    r"\b(?:with|to|by|from|about|of|at|for|behind|near|towards|than|like)[ \t]+"
    r"(?:(?:the[ \t]+|her[ \t]+|his[ \t]+|their[ \t]+)?\w+[ \t]+and[ \t]+)?"  # "with Ella and"
    r"(?:the[ \t]+|her[ \t]+|his[ \t]+|their[ \t]+)?"
    r"(?:(?:two|three|four|five|younger|older|little|baby|elder|eldest|youngest|other)"
    r"[ \t]+){0,2}$",
    re.IGNORECASE,
)
_PLURAL = frozenset(
    {"officers", "police", "parents", "adults", "neighbours", "children", "we", "staff", "i"}
)
_TO_SOMEONE = re.compile(
    r"[ \t]+(?:to|with)[ \t]+(?:the[ \t]+)?"
    r"(?:mum|mother|dad|father|her|him|them|ip|parents?|staff|officers?|me|us)\b",
    re.IGNORECASE,
)
_OBJECT_OF = re.compile(
    r"\b(?:\w{3,}ed|told|saw|gave|took|left|brought|found|met|kept|let|sent|got|sees|tells|"
    r"reassure|reassures|thank|thanks|ask|asks|help|helps)[ \t]+$"
)
# verbs that record the child's words even with the subject left out, inside a Words section
# ("Words: Said she was scared."); without a subject, "spoke to mum" and "explained grounds"
# are the officer's own actions
_SUBJECTLESS_SPEECH = frozenset(
    {
        "said",
        "says",
        "told",
        "tells",
        "stated",
        "states",
        "disclosed",
        "discloses",
        "replied",
        "replies",
        "answered",
        "answers",
        "whispered",
        "added",
        "repeated",
        "kept saying",
        "mentioned",
        "described",
        "admitted",
        "alleged",
        "claimed",
    }
)
_SUBJECT_REACH = 4  # words between a sentence's opening name and its speech verb
# "Licensing informed", "Housing notified": an agency told, a note's passive with "was" left out
_AGENCY_TOLD = re.compile(r"\b[A-Z][a-z]{2,}[ \t]+(?=(?:informed|notified|updated|advised)\b)")
_NEXT_WORD = re.compile(r"[ \t]*(\w+(?:n't)?)")
# "Ellie then said": a capitalised word right before a speech verb
_SUBJECT_RIGHT_BEFORE = re.compile(
    r"([A-Z][a-z]+)(?:'s)?[ \t]+(?:\w+ly[ \t]+|then[ \t]+|also[ \t]+)?$"
)


@dataclass(frozen=True)
class Names:
    """Names the note itself tells apart: children and adults."""

    children: frozenset[str]
    adults: frozenset[str]


def names_in(text: str, adult_age: int, labelled_names: Sequence[str] = ()) -> Names:
    adults = {m.group("name") for m in _TITLE_NAME.finditer(text)}
    for role in _ROLES.finditer(text):
        after = _NAME_AFTER_ROLE.match(text, role.end())
        if after:
            adults.add(after.group("name"))
        before = _NAME_BEFORE_ROLE.search(text, max(0, role.start() - 40), role.start())
        if before:
            adults.add(before.group("name"))
    children: set[str] = set()
    for m in _NAME_AGE.finditer(text) if "(" in text else ():  # "Name (7)": needs "("
        (children if int(m.group("age")) < adult_age else adults).add(m.group("name"))
    for value in labelled_names:
        first = value.split()[0] if value.split() else ""
        if first[:1].isupper() and first not in adults:
            children.add(first)
    # The note reader knows who is a child by age or date of birth, in any layout.
    from ppncheck.read.note import read_note

    for person in read_note(text).persons:
        if person.child is None:
            continue
        words = person.name_words
        forms = {words[0], *(w for w in words[1:] if w.isupper() and len(w) > 1)}
        if len(words) > 1:
            forms |= person.initial_forms  # "OW was awake in the lounge": Oscar WONG-HOLT
        (children if person.child else adults).update(forms)
        if person.child:
            adults.difference_update(forms)
        else:
            children.difference_update(forms)
    return Names(frozenset(children - adults), frozenset(adults))


@dataclass(frozen=True)
class SpeechResult:
    child_speech: list[tuple[int, int, str]]  # (start, end, "direct" | "reported")
    other_speech: list[tuple[int, int, str]]  # speech attributed to an adult
    no_speech_reasons: list[tuple[int, int, str]]  # (start, end, matched cue)


class _Attributor:
    def __init__(
        self,
        text: str,
        sent_starts: list[int],
        words_sections: Sequence[tuple[int, int]],
        names: Names | Callable[[], Names],
        table: SpeechTable,
    ) -> None:
        self.text = text
        self.sent_starts = sent_starts
        self.words_sections = words_sections
        self._names = names
        self.table = table
        self.quotes: list[tuple[int, int]] = []
        self._refs: list[tuple[int, int, str, str]] | None = None
        self._ref_starts: list[int] = []
        self._governed_at: dict[int, bool] = {}

    @property
    def names(self) -> Names:
        """Worked out on first use: most fields have no speech to attribute."""
        if callable(self._names):
            self._names = self._names()
        return self._names

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.sent_starts, pos) - 1
        start = self.sent_starts[max(i, 0)]
        end = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else len(self.text)
        return start, end

    def in_words_section(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.words_sections)

    def referents(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """(start, end, who, gender) for nouns, known names and pronouns in [start, end)."""
        if self._refs is None:
            self._refs = self._all_referents()
            self._ref_starts = [r[0] for r in self._refs]
        lo = bisect_left(self._ref_starts, start)
        hi = bisect_left(self._ref_starts, end)
        return [r for r in self._refs[lo:hi] if r[1] <= end]

    def _all_referents(self) -> list[tuple[int, int, str, str]]:
        """Every referent of the text outside quotes, found once (attributing a note's quotes
        and verbs asks for the referents of its sentences many times over)."""
        text = self.text
        out: list[tuple[int, int, str, str]] = []
        for m in self.table.referent.finditer(text):
            who, gender = self.table.referent_kind[m.group().lower()]
            out.append((m.start(), m.end(), who, gender))
        names: Names | None = None  # worked out at the first name-like word, as before
        for m in _NAME.finditer(text):
            if names is None:
                names = self.names
            word = m.group()
            if word in names.children:
                out.append((m.start(), m.end(), "child", "n"))
            elif word in names.adults:
                out.append((m.start(), m.end(), "adult", "n"))
        for m in caseless(_PRONOUN).finditer(text):
            gender = {"she": "f", "he": "m"}.get(m.group().lower(), "t")
            out.append((m.start(), m.end(), "pronoun", gender))
        if self.quotes:
            # outside every quote [qs, qe): the quotes that start at or before the referent,
            # sorted by start, with the furthest end among them, one bisection a referent
            ordered = sorted(self.quotes)
            q_starts = [qs for qs, _ in ordered]
            reach = list(accumulate((qe for _, qe in ordered), max))
            out = [
                r for r in out if not ((k := bisect_right(q_starts, r[0])) and reach[k - 1] > r[0])
            ]
        out.sort()
        return out

    def speaker_before(self, pos: int, sent_start: int) -> str | None:
        """ "child", "adult" or None for the subject of a verb at ``pos``."""
        before = self.text[sent_start:pos]
        direct = _SUBJECT_RIGHT_BEFORE.search(before)
        refs = [r for r in self.referents(sent_start, pos) if not self._governed(r[0])]
        if refs and refs[-1][1] >= pos - 40:
            return self._who(refs[-1], sent_start)
        if direct and direct.group(1).lower() not in STOP_WORDS:
            word = direct.group(1)
            if _TITLE_BEFORE.search(before, 0, direct.start(1)):
                return "adult"  # "Mr Dobson said"
            if word.lower() in not_name_words():
                return None  # "School reported": an agency, nobody of the note
            return "adult" if word in self.names.adults else "child"
        lead = before.lstrip(" \t-*•")
        opening = _NAME.match(lead)
        if opening and _TITLE.fullmatch(opening.group().split()[0]):
            return "adult"  # "Mr Dobson believes "...""
        if (
            not refs
            and opening
            and opening.group().lower() not in STOP_WORDS
            and opening.group().split()[0].lower() not in not_name_words()
            and not lead[opening.end() :].lstrip(" \t").startswith((":", "-"))  # a heading
            # the subject is close to its verb: "Tyler later told officers", not "Yesterday
            # (Mon 3 Feb) at 12:40 the head of Year 10 asked me"
            and len(lead[opening.end() :].split()) <= _SUBJECT_REACH
        ):
            return "adult" if opening.group() in self.names.adults else "child"
        return None

    def _governed(self, ref_start: int) -> bool:
        """A referent after a preposition ("with mum") or straight after a verb ("Officers
        reassured Lucas and explained ...") is not the subject."""
        known = self._governed_at.get(ref_start)
        if known is None:  # asked again for the same referent by every verb and quote after it
            before = self.text[max(0, ref_start - 40) : ref_start]
            known = self._governed_at[ref_start] = bool(
                _PREPOSITION.search(before) or _OBJECT_OF.search(before)
            )
        return known

    def _who(self, ref: tuple[int, int, str, str], sent_start: int) -> str | None:
        _, _, who, gender = ref
        if who != "pronoun":
            return who  # "Ellie's mum": the head noun (mum) is the referent found last
        if gender == "t":
            return None
        return self._antecedent(ref[0], sent_start, gender)

    def _antecedent(self, pos: int, sent_start: int, gender: str) -> str | None:
        """She/he: the nearest singular referent of that gender in the sentence, else the
        subject of an earlier sentence (a same-gender pronoun there is the same person, so
        the search goes on back)."""

        def compatible(r: tuple[int, int, str, str]) -> bool:
            if r[2] == "pronoun" or r[3] not in ("n", gender):
                return False
            word = self.text[r[0] : r[1]].lower()
            return word not in _PLURAL and word not in _OFFICER  # ("I arrived": not "she")

        # a sentence of clauses joined by semicolons ("she ate the toast mum made; she said
        # ..."): each clause is searched like a sentence of its own
        clause_start = max(sent_start, self.text.rfind(";", sent_start, pos) + 1)
        same = [
            r
            for r in self.referents(clause_start, pos)
            if compatible(r) and not self._governed(r[0])
        ]
        if same:
            return same[-1][2]
        i = bisect_right(self.sent_starts, sent_start) - 1
        earlier = [
            (s, e) for s, e in _clauses(self.text, sent_start, clause_start) if s < clause_start
        ][::-1]
        for back in range(1, 7):
            if i - back < 0:
                break
            earlier.append((self.sent_starts[i - back], self.sent_starts[i - back + 1]))
        # three units back, not counting those that name nobody or go on with the same
        # "she" ("Kayla walked in at 01:20. Seen by me. She was in uniform. Sat eating
        # toast. She said ...": Kayla's)
        budget = 3
        for s, e in earlier[:6]:
            if budget == 0:
                break
            named = False  # someone other than the same "she" or the officer
            for r in self.referents(s, e):
                if self._governed(r[0]) or _LABELS_A_QUOTE.match(self.text, r[1]):
                    continue  # ('PC 3398 (14/03): "Mason had on ...': the quoted officer)
                if self.text[r[0] : r[1]].lower() in _OFFICER:
                    continue
                if r[2] == "pronoun":
                    if r[3] == gender:
                        break  # the same person again: look further back
                    named = True
                    continue
                if compatible(r):
                    return r[2]
                named = True
            if named:
                budget -= 1
        return None


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The semicolon-separated clauses of text[start:end], in order (one when there is none)."""
    out, pos = [], start
    while (semi := text.find(";", pos, end)) != -1:
        out.append((pos, semi))
        pos = semi + 1
    return [*out, (pos, end)] if pos < end else out


def find_speech(
    text: str,
    sent_starts: list[int],
    words_sections: Sequence[tuple[int, int]],
    names: Names | Callable[[], Names],
    table: SpeechTable,
) -> SpeechResult:
    """Attribute every quote and speech verb; collect recorded no-speech reasons.

    ``names`` may be a callable, called only if some quote or verb needs attributing."""
    starts = sent_starts if sent_starts and sent_starts[0] == 0 else [0, *sent_starts]
    att = _Attributor(text, starts, words_sections, names, table)
    child: list[tuple[int, int, str]] = []
    other: list[tuple[int, int, str]] = []
    quotes = (
        _quote_spans(text)
        # every quote form opens with one of these (a dictated one with the word "quote")
        if ('"' in text or "'" in text or "“" in text or "quote" in text.lower())
        else []
    )
    att.quotes = quotes

    last: tuple[int, str] | None = None  # (sentence start, speaker) of the last quote
    for q_start, q_end in quotes:
        s_start, s_end = att.sentence_of(q_start)
        who = _quote_speaker(att, q_start, q_end, s_start, s_end)
        if who is None and last is not None and last[0] == s_start:
            who = last[1]  # 'Father said Rasha is "a liar" and that ... is "with the family."'
        if who == "child" and _reported_by_an_adult(
            att, text[max(s_start, q_start - _ACCOUNT_REACH) : q_start]
        ):
            who = "adult"  # 'the mother stated that AJF ... had told her "everything"': hers
        if who is not None:
            last = (s_start, who)
        if who is None:
            if _CHILD_QUOTE.search(text, q_start, q_end):
                who = "child"
            elif _opens_with_an_adult(att, s_start, q_start):
                who = "adult"  # 'Mr Dobson believes "some blokes off the estate" are ...'
            elif att.in_words_section(q_start):
                who = "child"
            else:
                continue
        (child if who == "child" else other).append((q_start, q_end, "direct"))

    for a_start, a_end, who in [*_transcript_answers(att, text), *_tagged_lines(att, text)]:
        (child if who == "child" else other).append((a_start, a_end, "direct"))

    for m in table.verbs.finditer(text):
        if any(qs <= m.start() < qe for qs, qe in quotes):
            continue
        if _PASSIVE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if _REFLEXIVE.match(text, m.end()) or _thing_before(att, m.start()):
            continue
        nxt = _NEXT_WORD.match(text, m.end())
        if nxt and nxt.group(1).lower() in table.negations:
            continue
        if _AS_ASIDE_BEFORE.search(
            text, max(0, m.start() - 24), m.start()
        ) and _AS_ASIDE_AFTER.match(text, m.end()):
            continue  # "(42, White British as she told me)": where a value came from
        if any(qs >= m.end() and qs - m.end() < 4 for qs, _ in quotes) or any(
            qe <= m.start() and m.start() - qe < 30 and not set(".\n") & set(text[qe : m.start()])
            for _, qe in quotes
        ):
            continue  # the quote's own verb: "said: '...'", "'...' Ellie said"
        s_start, s_end = att.sentence_of(m.start())
        who = att.speaker_before(m.start(), s_start)
        if (
            who is None
            and att.in_words_section(m.start())
            and m.group().lower() in _SUBJECTLESS_SPEECH
            and not _TO_SOMEONE.match(text, m.end())
        ):
            who = "child"
        if who is None:
            continue
        if who == "child" and _reported_by_an_adult(
            att, text[max(s_start, m.start() - _ACCOUNT_REACH) : m.start()]
        ):
            who = "adult"  # "the mother stated that AJF ... had told her "everything"": hers
        end = s_end
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        (child if who == "child" else other).append((m.start(), end, "reported"))

    reasons = _reasons(att, text, table)
    return SpeechResult(_dedupe(child), _dedupe(other), reasons)


# a question-and-answer transcript: "Q: Who lives at home with you?" / "A: Me and mummy."
_QA_LINE = re.compile(
    r"^[ \t]*(?P<kind>Q|Qu|Question|A|Ans|Answer)[ \t]*[:.)\-–][ \t]*(?P<body>\S[^\n]*)",
    re.MULTILINE | re.IGNORECASE,
)


def _transcript_answers(att: _Attributor, text: str) -> list[tuple[int, int, str]]:
    """(start, end, "child" | "adult") of each answer line of a transcript: an "A:" line
    right after a "Q:" or "A:" line (a lone "A -" line is an AWARE heading), answered by
    whoever the text just before the first question is about ("Ruvimbo was doing her
    homework ... / Q: ... / A: ...")."""
    if "Q" not in text and "q" not in text:
        return []
    out: list[tuple[int, int, str]] = []
    previous: re.Match[str] | None = None
    who: str | None = None
    for m in _QA_LINE.finditer(text):
        kind = m.group("kind").lower()[0]
        joined = previous is not None and not text[previous.end() : m.start()].strip()
        if kind == "q" and not joined:
            who = _answerer(att, m.start())
        elif kind == "a" and joined and who is not None:
            out.append((m.start("body"), m.end("body"), who))
        previous = m
    return out


# a speaker-tagged line of a typed-up recording: "[00:03:12] ROJIN: he hit mummy.",
# "00:07:30 CHILD - I hid." (a line without a time is a label: "CHILD: Rojin AHMED, 11")
_TAGGED_LINE = re.compile(
    r"^[ \t]*(?P<time>\[?[ \t]*\d{1,2}:\d{2}(?::\d{2})?[ \t]*\]?)?[ \t]*"
    r"(?P<tag>[A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*)?)"
    r"(?:[ \t]*\([^)\n]{0,20}\))?[ \t]*[:\-–][ \t]+(?P<body>\S[^\n]*)",
    re.MULTILINE,
)
_CHILD_TAGS = frozenset({"child", "girl", "boy", "son", "daughter", "yp"})
_ADULT_TAGS = frozenset(
    {"mum", "mother", "dad", "father", "pc", "ps", "dc", "officer", "me", "ip", "dp", "suspect",
     "stepdad", "nan", "interpreter", "caller", "male", "female", "sgt"}
)  # fmt: skip


def _tagged_lines(att: _Attributor, text: str) -> list[tuple[int, int, str]]:
    """(start, end, "child" | "adult") of the speech of each speaker-tagged line: a child's
    name or a child word as the tag is the child's direct speech, an adult's (on a timed line
    of a recording) the adult's."""
    out: list[tuple[int, int, str]] = []
    for m in _TAGGED_LINE.finditer(text):
        tag = m.group("tag")
        if m.group("time") is None:
            continue  # "CHILD: Rojin AHMED, DOB ...": a label, not a speaker
        word = tag.split()[0]
        key = word.lower()
        title = word[:1].upper() + word[1:].lower()
        if key in _CHILD_TAGS or title in att.names.children or word in att.names.children:
            out.append((m.start("body"), m.end("body"), "child"))
        elif m.group("time") is not None and (
            key in _ADULT_TAGS or title in att.names.adults or word in att.names.adults
        ):
            # (an untimed "IP:" or "DP:" line introduces a person: only a recording's are said)
            out.append((m.start("body"), m.end("body"), "adult"))
    return out


def _answerer(att: _Attributor, pos: int) -> str | None:
    """Who a transcript starting at ``pos`` is with: the subject (first person named) of the
    nearest sentence before it that names anyone, "child" or "adult" (a pronoun goes to its
    antecedent)."""
    end = pos
    for _ in range(3):
        if end <= 0:
            break
        s_start, _ = att.sentence_of(end - 1)
        spoke = _SPOKE_TO.search(att.text, s_start, end)
        if spoke is not None:  # "Spoke to her in the car and then at home:"
            gender = {"her": "f", "him": "m"}.get(spoke.group("who").lower())
            if gender is not None:
                # the last person named before ("Lili was in school uniform ... / Spoke to
                # her"), else the pronoun's antecedent
                named = [
                    r
                    for r in att.referents(max(0, spoke.start() - 600), spoke.start())
                    if r[3] == "n" and att.text[r[0] : r[1]].lower() not in _OFFICER
                ]
                if named:
                    return named[-1][2]
                return att._antecedent(spoke.start("who"), s_start, gender)
            word = spoke.group("who")
            if word in att.names.children or _CHILD_WORD.fullmatch(word):
                return "child"
            if word in att.names.adults:
                return "adult"
        refs = [
            r
            for r in att.referents(s_start, end)
            if not att._governed(r[0]) and att.text[r[0] : r[1]].lower() not in _OFFICER
        ]
        if refs:
            return att._who(refs[0], s_start)
        end = s_start
    return None


# the officer writing: never who answers the officer's questions
_OFFICER = frozenset({"i", "me", "we", "us"})
_SPOKE_TO = re.compile(
    r"(?i:\b(?:(?:spoke|speaking|talked|talking|chatted|chatting)[ \t]+(?:to|with)|asked|"
    r"interviewed)[ \t]+)(?P<who>(?i:her|him|the[ \t]+(?:girl|boy|child))|[A-Z][a-z]+)\b"
)
_CHILD_WORD = re.compile(r"the[ \t]+(?:girl|boy|child)", re.IGNORECASE)


# an ethnicity cue shortly before a no-speech reason: the reason is the value's, not the child's
_ETHNICITY_ASIDE = re.compile(r"\b(?:ethnicity|sde|s\.d\.e\.?)\b[^.()\n]*$", re.IGNORECASE)
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?")
_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?[ \t]+$")
# "as she told me)", "as mum said,": an aside saying where a value came from, not speech
_AS_ASIDE_BEFORE = re.compile(r"\bas[ \t]+(?:[\w'’]+[ \t]+){0,2}$", re.IGNORECASE)
_AS_ASIDE_AFTER = re.compile(
    r"[ \t]*(?:me|us|him|her|them|police|officers)?[ \t]*(?:[),;]|$)", re.M
)
_QUOTE_OPENS = re.compile("[“\"']")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """``_QUOTES.finditer``'s spans.  Unless the note says "quote", every quote starts with
    one of ``_QUOTE_OPENS``, so the pattern is tried only there: scanning for it costs the
    regex a look-behind at every character (5x slower over a note)."""
    if "quote" in text.lower():
        return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]
    out: list[tuple[int, int]] = []
    for opening in _QUOTE_OPENS.finditer(text):
        if out and opening.start() < out[-1][1]:
            continue  # inside the quote found last, where finditer would not look
        m = _QUOTES.match(text, opening.start())
        if m is not None:
            out.append((m.start(), m.end()))
    return out


# a speaker label just before a quote: 'PC 3398 (14/03/25): "...'
_LABELS_A_QUOTE = re.compile(r"[^\n\"“:]{0,24}:[ \t]*[\"“]")


def _quote_speaker(
    att: _Attributor, q_start: int, q_end: int, s_start: int, s_end: int
) -> str | None:
    text = att.text
    # every quote verb in the 60 characters before the quote, found once: the first says
    # whether there is one, the last is the one whose subject speaks
    near = list(att.table.quote_verbs.finditer(text, max(s_start, q_start - 60), q_start))
    before = near[0] if near else None
    label = _speaker_label(att, q_start, s_start)
    if before is None and label is not None:
        return label
    if before is None:
        # 'mum said Simran saw the push, and that Simran "always cries when we argue"': a
        # quote inside an adult's reported speech is that adult's word, however far back in
        # the sentence the verb is
        far = [m for m in att.table.quote_verbs.finditer(text, s_start, q_start)]
        if far and att.speaker_before(far[-1].start(), s_start) == "adult":
            return "adult"
    if before is not None:
        return att.speaker_before(near[-1].start(), s_start)
    after = att.table.quote_verbs.search(text, q_end, min(s_end, q_end + 40))
    if after is not None:
        between = text[q_end : after.start()]
        refs = att.referents(q_end, after.start())
        if refs:
            return att._who(refs[-1], s_start) if between.strip(" ,.!?'\"”") else None
        tail = att.referents(after.end(), min(s_end, after.end() + 30))
        if tail:
            return att._who(tail[0], s_start)
        names = _NAME.match(text[after.end() :].lstrip())
        if names and names.group() not in att.names.adults:
            return "child"
    return None


# "Mum (Tracey McALLISTER) on phone: he's been "off the rails"": who speaks, before a colon
_LABEL_START = re.compile(r"(?:^|[-–—][ \t]+|[.;][ \t]+)(?=[^\n]*$)")


def _opens_with_an_adult(att: _Attributor, s_start: int, q_start: int) -> bool:
    """The sentence opens with a titled or known adult ("Mr Dobson believes ...") and names
    no child before the quote."""
    lead = att.text[s_start:q_start].lstrip(" \t-*•")
    opening = _NAME.match(lead)
    if opening is None:
        return False
    first = opening.group().split()[0]
    if not (_TITLE.fullmatch(first) or opening.group() in att.names.adults):
        return False
    return not any(w in att.names.children for w in re.findall(r"[A-Z][a-z]+", lead))


def _speaker_label(att: _Attributor, q_start: int, s_start: int) -> str | None:
    """The adult a short speaker label names ("Mum (Tracey) on phone: ... "...""): the colon's
    last one before the quote on its line, its label at most six words after a dash or the
    line's start, one adult and no child in it."""
    text = att.text
    line_start = text.rfind("\n", 0, q_start) + 1
    colon = text.rfind(":", max(s_start, line_start), q_start)
    if colon < 0 or text[colon + 1 : colon + 2] not in (" ", "\t"):
        return None
    opening = max(
        (m.end() for m in _LABEL_START.finditer(text, line_start, colon)), default=line_start
    )
    label = re.sub(r"\([^)]*\)", "", text[opening:colon])
    if not label.strip() or len(label.split()) > 6:
        return None
    kinds = {r[2] for r in att.referents(opening, colon) if r[2] != "pronoun"}
    return "adult" if kinds == {"adult"} else None


def _thing_before(att: _Attributor, pos: int) -> bool:
    """The word just before a speech verb is a thing or an agency ("process explained",
    "School DSL informed"), so nobody in the note is speaking."""
    agency = _AGENCY_TOLD.search(att.text, max(0, pos - 30), pos + 12)
    if agency is not None and agency.end() == pos:
        word = agency.group().strip()
        if word not in att.names.children and word.lower() not in att.table.referent_kind:
            return True
    m = _THING_BEFORE.search(att.text, max(0, pos - 30), pos)
    if m is None:
        return False
    word = m.group("word")
    if _ADVERB.match(word) or word.lower() in STOP_WORDS:
        return False
    if word.lower() in att.table.referent_kind or word in att.names.children:
        return False
    return word not in att.names.adults


_NOT_BEFORE = re.compile(r"\b(?:not|n't|never|no longer)[ \t]+$", re.IGNORECASE)
# "refused food", "declined a lift home", "refused to go": a weak reason's object that is not
# speaking (what may follow "refused" as a reason: an end, "to speak", "an interview", ...)
_REFUSED_SOMETHING = re.compile(
    r"[ \t]+(?!to[ \t]+(?:speak|talk|engage|answer|say|comment|be[ \t]+spoken|be[ \t]+seen|"
    r"give|tell|discuss|provide)|(?:an?|the|any|all)[ \t]+(?:interview|account|abe|"
    r"conversation|questions?|contact|engagement|statement)|(?:interview|an?[ \t]+abe))"
    r"(?:to[ \t]+[a-z]+|(?:an?|the|any|his|her|their|all)[ \t]+[a-z]+|[a-z]+)",
    re.IGNORECASE,
)
# the word before a speech verb: its subject ("Mum says", "Lauren said")
_SUBJECT_OF_VERB = re.compile(r"(?P<who>[A-Za-z][\w'’-]*)[ \t]+$")


_ACCOUNT_REACH = 300  # how far back in its sentence an adult's account is looked for
_NO_SUBJECT = frozenset(
    {"had", "has", "have", "and", "then", "also", "who", "which", "that", "was", "were", "is",
     "later", "but", "further", "previously", "already", "just"}
)  # fmt: skip


def _reported_by_an_adult(att: _Attributor, before: str) -> bool:
    """The sentence so far is an adult's account ("Mum said Harvey ...", "Lauren says Riley
    ..."): a weak reason inside it is what the adult said of the child's past, not why the
    officer could not speak to the child."""
    # the last saying with a subject of its own ("had told", "and said" have none; "he said"
    # does, and a pronoun is no adult's account)
    # (the note's own speech verbs, ``speech_cues.toml``'s ``speech_verbs``)
    whos = [
        subject.group("who")
        for verb in att.table.verbs.finditer(before)
        if (subject := _SUBJECT_OF_VERB.search(before, max(0, verb.start() - 40), verb.start()))
        and subject.group("who").lower() not in _NO_SUBJECT
    ]
    return bool(whos) and (whos[-1] in att.names.adults or opening_adult(whos[-1]) is not None)


_IN_HOSPITAL = re.compile(r"\b(?:in|at)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)


def _reasons(att: _Attributor, text: str, table: SpeechTable) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for m in table.reasons.finditer(text):
        s_start, _ = att.sentence_of(m.start())
        if att.speaker_before(m.start(), s_start) == "adult" and not att.in_words_section(
            m.start()
        ):
            continue
        if _ETHNICITY_ASIDE.search(text, max(s_start, m.start() - 40), m.start()):
            continue  # "(19, ethnicity not known yet as not spoken to)": why a value is missing
        out.append((m.start(), m.end(), m.group().lower()))
    for m in table.weak_reasons.finditer(text):
        if any(s <= m.start() < e for s, e, _ in out):
            continue
        if _NOT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "is not sleeping, up gaming till 4am": no reason at all
        word = m.group().lower()
        if word in ("refused", "declined") and _REFUSED_SOMETHING.match(text, m.end()):
            continue  # "refused food", "declined a lift": something else refused, not to speak
        if word == "hospital" and not _IN_HOSPITAL.search(text, max(0, m.start() - 12), m.start()):
            continue  # "agreed to go to hospital": on the way, not kept from speaking
        if any(qs <= m.start() < qe for qs, qe in att.quotes):
            continue  # 'Ana said she has been "crying since she got in"': her words, no reason
        s_start, s_end = att.sentence_of(m.start())
        if _reported_by_an_adult(att, text[max(s_start, m.start() - _ACCOUNT_REACH) : m.start()]):
            continue  # "Words: Mum said Harvey was asleep during the argument": her account
        if att.in_words_section(m.start()) or table.speak_cues.search(text, s_start, s_end):
            if att.speaker_before(m.start(), s_start) == "adult":
                continue  # "father refused", "mum v upset": an adult's state, not the child's
            out.append((m.start(), m.end(), m.group().lower()))
    return sorted(out)


def _dedupe(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for span in sorted(set(spans)):
        if out and span[0] < out[-1][1] and span[2] == out[-1][2] == "reported":
            continue
        out.append(span)
    return out
