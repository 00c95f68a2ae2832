"""A seeded generator of fictional PPN exports, in a force-style column layout.

Exports from real records systems cannot leave a force, yet tests, the example export and the
benchmarks need a day's worth of realistic notes: good ones, and the defects the inspection
found (missing ethnicity, AWARE left as "N/A", adult speech instead of the child's words,
missing children graded low, late submissions, pasted templated wording, victim-blaming phrases,
children mentioned but not recorded) plus a broken row or two.  Every person, street and town
is invented.  The same ``(n, seed)`` always gives the same rows, and the first ``k`` rows of a
larger run are the rows of a smaller one.

    python -m ppncheck_dev.synthetic --rows 200 --seed 7 --csv out.csv --xlsx out.xlsx
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")

__all__ = [
    "COLUMNS",
    "MAPPING_TOML",
    "RAGGED",
    "generate_records",
    "generate_rows",
    "main",
    "write_csv",
    "write_xlsx",
]

#: A row carrying this key is written with one cell too many (a stray delimiter in the export).
RAGGED = "_ragged"

TOP = [
    "PPN Ref", "Occurrence No", "Date/Time Of Incident", "Date Submitted", "Officer Collar No",
    "Officer Name", "Team", "PPN Type(s)", "Risk Grade", "Circumstances", "Rationale",
    "Action Taken", "Consent", "Referrals",
]
CHILD_FIELDS = [
    "Forename", "Surname", "DOB", "Sex", "Ethnicity", "Ethnicity NS Reason", "Seen",
    "Spoken To", "Reason Not Spoken To", "Appearance", "Words", "Activity", "Relationships",
    "Environment",
]
ADULT_FIELDS = ["Role", "Forename", "Surname", "DOB", "Sex", "Ethnicity"]
MAX_CHILDREN = 3
MAX_ADULTS = 2
COLUMNS: list[str] = (
    TOP
    + [f"Child {n} {f}" for n in range(1, MAX_CHILDREN + 1) for f in CHILD_FIELDS]
    + [f"Adult {n} {f}" for n in range(1, MAX_ADULTS + 1) for f in ADULT_FIELDS]
)
DATE_TIME_COLUMNS = frozenset({"Date/Time Of Incident", "Date Submitted"})
DATE_COLUMNS = frozenset(c for c in COLUMNS if c.endswith(" DOB"))
_DT_FORMAT = "%d/%m/%Y %H:%M"
_D_FORMAT = "%d/%m/%Y"

#: The column mapping of this layout (examples/export/mapping.toml is a copy).
MAPPING_TOML = """\
# Column mapping for the fictional Kestrel Moor Police PPN export (ppncheck_dev.synthetic).
version = 1

[options]
list_separator = ";"
date_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y"]

[fields]
ppn_id = "PPN Ref"
incident_reference = "Occurrence No"
incident_start = "Date/Time Of Incident"
submitted_at = "Date Submitted"
"officer.collar_number" = "Officer Collar No"
"officer.name" = "Officer Name"
"officer.team" = "Team"
ppn_types = { column = "PPN Type(s)", values = "ppn_types" }
officer_risk_grade = { column = "Risk Grade", values = "risk" }
circumstances = "Circumstances"
rationale = "Rationale"
actions_taken = "Action Taken"
"consent.status" = "Consent"
referrals = { column = "Referrals", values = "referrals" }

[values.ppn_types]
"DA" = "domestic_abuse"
"Misper" = "missing_person"
"CSE" = "cse"
"CCE" = "cce"

[values.risk]
"Std" = "standard"
"Med" = "medium"

[values.sex]
"M" = "male"
"F" = "female"
"U" = "unknown"

[values.referrals]
"CSC" = "childrens_social_care"
"School (Encompass)" = "school_encompass"

[[groups]]
pattern = "Child {n} {field}"
count = 3
person_id = "child{n}"
roles = ["child_in_household"]

[groups.person]
forename = "Forename"
surname = "Surname"
dob = "DOB"
sex = { column = "Sex", values = "sex" }
sde_code = "Ethnicity"
sde_not_stated_reason = "Ethnicity NS Reason"

[groups.voice_of_child]
seen = "Seen"
spoken_to = "Spoken To"
reason_not_spoken_to = "Reason Not Spoken To"
"aware.appearance" = "Appearance"
"aware.words" = "Words"
"aware.activity" = "Activity"
"aware.relationships" = "Relationships"
"aware.environment" = "Environment"

[[groups]]
pattern = "Adult {n} {field}"
count = 2
person_id = "adult{n}"
roles = ["other"]

[groups.person]
roles = "Role"
forename = "Forename"
surname = "Surname"
dob = "DOB"
sex = { column = "Sex", values = "sex" }
sde_code = "Ethnicity"
"""

# --- invented people and places ------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _pick(rng: random.Random, seq: Sequence[_T]) -> _T:
    """rng.choice, three times quicker: 100k rows make millions of picks."""
    return seq[int(rng.random() * len(seq))]


def _randint(rng: random.Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))


def _weighted(rng: random.Random, seq: Sequence[_T], cum: list[int]) -> _T:
    return seq[bisect_right(cum, rng.random() * cum[-1])]


def _dmy(d: date | datetime) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _dmy_hm(d: datetime) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year} {d.hour:02d}:{d.minute:02d}"


GIRLS = _names(
    "Amelia Isla Maya Zara Lily Freya Ava Niamh Aisha Poppy Erin Sofia Hannah Imogen Keira "
    "Leah Mia Nadia Orla Ruby Skye Tilly Yasmin Esme Hollie Jasmine Kacey Layla Millie Phoebe"
)
BOYS = _names(
    "Oliver Harry Jacob Kai Ethan Leo Mason Noah Reuben Tyler Alfie Callum Dylan Finley George "
    "Hamza Ibrahim Jayden Kyle Logan Max Rhys Sami Theo Zain Archie Brody Corey Declan Ellis"
)
WOMEN = _names(
    "Claire Danielle Gemma Joanne Kerry Leanne Natalie Rachel Samantha Stacey Tasha Vicky "
    "Amina Beata Chantelle Farah Lorna Marcia"
)
MEN = _names(
    "Craig Darren Gary Jamie Kevin Lee Mark Neil Paul Ricky Scott Wayne Tomasz Imran Dean "
    "Marcus Owen Stuart"
)
SURNAMES = _names(
    "Ashworth Brennan Calloway Dunmore Eastwood Fairbairn Garside Hollings Ingram Jessop "
    "Kershaw Lomax Marlow Northam Oakes Pennock Quarmby Redfern Sowerby Thwaite Umpleby "
    "Varley Whitlock Yeadon Kowalczyk Rahman Okafor Mahmood Novak Achterberg Pellow Trask"
)
TOWNS = (
    "Harrowgate Vale", "Kestrel Moor", "Brackenford", "Millbeck Edge", "Thornwick Bridge",
    "Ousebury", "Fellside Green", "Larkspur Heath", "Cragton", "Wendle St Mary",
)
STREETS = (
    "Ashdown Close", "Rowan Crescent", "Tanners Lane", "Heron Walk", "Quarry Bank Road",
    "Mill Race View", "Sandpiper Court", "Beckside Terrace", "Foundry Street", "Chapel Fold",
    "Linnet Way", "Coppice Rise",
)
TEAMS = (
    "Response A Kestrel Moor", "Response B Brackenford", "Response C Harrowgate Vale",
    "Neighbourhood Ousebury", "Neighbourhood Millbeck Edge", "Safeguarding Hub",
)

# self-defined ethnicity: code, weight, the "Group - Label" a records system may export instead
ETHNICITIES: tuple[tuple[str, int, str], ...] = (
    ("W1", 66, "White - British"),
    ("W9", 7, "White - Any other White background"),
    ("W2", 2, "White - Irish"),
    ("W3", 2, "White - Gypsy or Irish Traveller"),
    ("A2", 5, "Asian - Pakistani"),
    ("A1", 2, "Asian - Indian"),
    ("A3", 1, "Asian - Bangladeshi"),
    ("M1", 4, "Mixed - White and Black Caribbean"),
    ("M3", 2, "Mixed - White and Asian"),
    ("B2", 3, "Black - African"),
    ("B1", 1, "Black - Caribbean"),
    ("O2", 1, "Other - Arab"),
    ("A4", 1, "Asian - Chinese"),
    ("M9", 1, "Mixed - Any other Mixed background"),
    ("O9", 2, "Other - Any other ethnic group"),
)
_ETH_CODES = [e[0] for e in ETHNICITIES]
_ETH_CUM = list(accumulate(e[1] for e in ETHNICITIES))
_ETH_LABEL = {e[0]: e[2] for e in ETHNICITIES}
NOT_CODES = ("IC1", "IC3", "Unknown", "Brit", "Eastern Euro")
PLACEHOLDERS = ("N/A", "n/a", "as above", "As above.", "nil", "-", "see log", "None", "NA")

TEMPLATED = (
    "Officers attended and spoke with all parties present at the address. Words of advice were "
    "given regarding future conduct and both parties were made aware of the support services "
    "available to them. No further police action is required at this time.",
    "The address was clean and tidy throughout with adequate food in the cupboards and suitable "
    "sleeping arrangements in place for all of the children living at the property.",
    "Risk has been assessed based on the information available at the time of reporting and in "
    "line with the current policy. Partner agencies will review the information and decide on "
    "any further action that may be needed.",
    "All children present were seen by officers and appeared safe and well with no concerns "
    "noted at the time of the visit. They were happy and content in the care of the parent.",
    "Both parties were spoken to separately and gave accounts of a verbal argument only. There "
    "were no visible injuries and no offences were disclosed by either party to officers.",
)


def _dob_for(age: int, on: date, rng: random.Random) -> date:
    return on - timedelta(days=age * 365 + _randint(rng, 15, 350))


@dataclass
class _Person:
    forename: str
    surname: str
    sex: str  # M / F
    age: int
    dob: date
    eth: str
    eth_reason: str = ""

    @property
    def name(self) -> str:
        return self.forename

    @property
    def he(self) -> str:
        return "he" if self.sex == "M" else "she"

    @property
    def his(self) -> str:
        return "his" if self.sex == "M" else "her"

    @property
    def him(self) -> str:
        return "him" if self.sex == "M" else "her"


@dataclass
class _Child(_Person):
    seen: str = "Y"
    spoken: str = "Y"
    reason: str = ""
    aware: dict[str, str] = field(default_factory=dict)
    no_voice: bool = False


@dataclass(frozen=True)
class _Officer:
    collar: str
    name: str
    team: str
    good_p: float


@dataclass
class _Ctx:
    """Per-run state: the random stream, the force's officers, the day of the export."""

    rng: random.Random
    officers: list[_Officer]
    export_day: datetime


def _officers(rng: random.Random) -> list[_Officer]:
    out: list[_Officer] = []
    collars: set[int] = set()
    while len(out) < 28:
        collar = _randint(rng, 1100, 9899)
        if collar in collars:
            continue
        collars.add(collar)
        first = _pick(rng, WOMEN + MEN)
        # most officers write about as well as the force average; a few much better or worse
        good_p = min(0.9, max(0.05, rng.gauss(0.4, 0.18)))
        out.append(_Officer(str(collar), f"{first} {_pick(rng, SURNAMES)}",
                            _pick(rng, TEAMS), good_p))
    return out


# --- AWARE text ----------------------------------------------------------------------------
# Sentences are built from short interchangeable pieces (none longer than about six words) so
# that no run of 12 words repeats across notes by chance: only the deliberately pasted
# TEMPLATED paragraphs should look templated to TPL002.

_WEARING = {
    "baby": ("a clean babygrow", "a vest and nappy", "a hooded sleepsuit", "a fleece onesie",
             "a cardigan and leggings", "a stained vest", "just a nappy", "a knitted jumper"),
    "child": ("school uniform", "cartoon pyjamas", "a football kit", "a jumper and jeans",
              "a dressing gown", "a party dress", "shorts and a vest", "a PE kit", "a onesie",
              "a hoodie and leggings"),
    "teen": ("a grey hoodie", "school uniform", "a black puffer jacket", "a tracksuit",
             "a crop top and joggers", "a school blazer", "a parka with the hood up",
             "a football shirt", "jeans and trainers", "a dressing gown"),
}
_HYGIENE = (
    "Clean and dressed for the weather.", "Hair brushed, clothes clean.",
    "Clothes stained and smelling of smoke.", "Hair unwashed and matted.",
    "Face and hands grubby.", "Looked well cared for.", "Clothes too small, feet bare.",
    "Tidy and warm.", "Clothes damp and dirty.", "Nails long and dirty.",
)
_INJURY = (
    "No visible injuries.", "No marks seen.", "A graze on {his} knee.",
    "A red mark on {his} upper arm.", "An old bruise on {his} shin.",
    "A scratch below {his} eye.", "No injuries seen or reported.", "A plaster on {his} elbow.",
    "Small bruises on {his} wrist.",
)
_MOOD = (
    "appeared calm", "was quiet and watchful", "was tearful and clingy", "seemed withdrawn",
    "was chatty and smiley", "looked exhausted", "flinched at loud noises", "seemed anxious",
    "was giggly and relaxed", "stared at the floor", "was fidgety and restless",
    "kept asking for mum",
)


def _band(c: _Child) -> str:
    return "baby" if c.age < 2 else "child" if c.age < 11 else "teen"


def _appearance(c: _Child, rng: random.Random) -> str:
    pieces = [_pick(rng, _HYGIENE), _pick(rng, _INJURY).format(his=c.his),
              f"{c.he.capitalize()} {_pick(rng, _MOOD)}."]
    rng.shuffle(pieces)
    return f"{c.name} wore {_pick(rng, _WEARING[_band(c)])}. " + " ".join(pieces)


_QUOTES = {
    "child": (
        "Daddy was shouting at mummy", "I hid under my bed", "I don't like it when they fight",
        "Mum was crying in the kitchen", "I want to stay at Nana's", "I put my headphones on",
        "He pushed mum into the door", "Can I go back to my game", "I was asleep",
        "It's always like this when he drinks", "I look after my little brother",
        "He broke my tablet", "I was scared", "Mummy has a sore face", "I'm hungry",
        "Can the police stay", "Daddy threw the remote", "I heard a bang", "My tummy hurts",
        "Nana makes tea", "I don't want to go to school",
    ),
    "teen": (
        "I was at a mate's, I'm fine", "I don't want to say where I was",
        "He buys me stuff, he's alright", "I just didn't want to come home",
        "They said I owed them money", "I'm not grassing on anyone", "Just leave it",
        "Mum doesn't care where I am", "I was scared to come back", "I can handle it",
        "Nobody listens to me anyway", "He said he'd hurt my sister",
    ),
}
_FRAME = (
    "{name} said", "Asked about home, {name} said", "{name} told the officer",
    "{name} whispered", "Asked how {he} felt, {name} said", "Unprompted, {name} said",
    "In {his} bedroom, {name} said", "{name} told PC {pc}",
)
_AFTER = (
    ".", " and then went quiet.", " and asked for a drink.", " while holding {his} teddy.",
    " and asked if mum was in trouble.", " and then asked for Nana.", ", then laughed.",
    " and started to cry.", " and looked at the floor.", ", twisting {his} sleeve.",
    " before hiding behind the sofa.", " and asked where PC {pc} lived.", " very quietly.",
    " and showed us {his} room.",
)
_HEARD = (
    "heard shouting downstairs", "had hidden under the bed", "had put {his} headphones on",
    "was woken by banging", "saw the argument start", "was in the bath at the time",
    "had heard mum scream", "stayed in {his} room",
)
_FELT = (
    "felt safe now", "wanted to stay with Nana", "was worried about mum", "was hungry",
    "wanted everyone to stop arguing", "said it was fine", "was tired", "was scared to sleep",
    "wanted {his} dog", "asked for a hug",
)


def _words(c: _Child, rng: random.Random, *, teen: bool, pc: str) -> str:
    if c.spoken == "N":
        lowered = c.reason[0].lower() + c.reason[1:]
        return _pick(rng, (f"Not spoken to. {c.reason}.", f"{c.name} was not spoken with: "
                           f"{lowered}.", f"{c.reason} ({c.name}).", f"No words: {lowered}."))
    fmt = {"name": c.name, "he": c.he, "his": c.his, "pc": pc}
    if rng.random() < 0.25:
        heard = _pick(rng, _HEARD).format(**fmt)
        told = _pick(rng, ("told officers", "explained", "said", "told PC " + pc, "let us know"))
        felt = _pick(rng, _FELT).format(his=c.his)
        return f"{c.name} {told} {c.he} {heard}. {c.he.capitalize()} {felt}."
    quote = _pick(rng, _QUOTES["teen" if teen else "child"])
    frame = _pick(rng, _FRAME).format(**fmt)
    return f'{frame} "{quote}"{_pick(rng, _AFTER).format(**fmt)}'


_ADULT_ONLY_WORDS = (
    "Mum stated {name} was fine and did not see anything.",
    "Dad said {he} had been asleep the whole time.",
    "Mother reported that {name} is doing well at school.",
    "Mum said {he} is used to it and is not bothered.",
    "Grandmother advised {he} is a happy child.",
    "Mum says {name} didn't hear the argument.",
    "Dad stated {he} was playing upstairs and was unaware.",
)

_DOING = {
    "baby": ("asleep in {his} cot upstairs", "being fed by mum", "in a bouncer, crying",
             "lying on a play mat", "in {his} pram in the hallway", "being held by grandma"),
    "child": ("watching cartoons in the lounge", "playing with building blocks",
              "sat on the stairs listening", "on {his} tablet in bed", "eating toast",
              "hiding in the bathroom", "doing homework at the table",
              "in the garden on {his} bike", "colouring at the coffee table",
              "asleep on the sofa"),
    "teen": ("on {his} phone in {his} room", "playing Xbox with headphones on",
             "sat on the stairs listening", "in the kitchen making food", "out with friends",
             "asleep on the sofa", "doing homework at the table",
             "looking after {his} younger siblings"),
}
_WHEN = ("when officers arrived", "as we came in", "on our arrival", "during the call",
         "throughout the visit", "when police knocked")
_THEN = ("", " {He} carried on as before.", " {He} came straight over.", " {He} did not look up.",
         " {He} asked who we were.", " {He} ran upstairs.", " {He} stayed put.")


def _activity(c: _Child, rng: random.Random) -> str:
    doing = _pick(rng, _DOING[_band(c)]).format(his=c.his)
    then = _pick(rng, _THEN).format(He=c.he.capitalize())
    return f"{c.name} was {doing} {_pick(rng, _WHEN)}.{then}"


_WITH = (
    "went straight to mum for a cuddle", "stayed close to {his} nan", "held mum's hand",
    "ignored mum's requests", "climbed onto mum's lap", "looked to mum before answering",
    "hugged {his} older sibling", "kept away from the adults", "chatted happily with mum",
    "sat apart from everyone", "clung to {his} big sister", "copied what {his} brother did",
)
_AVOID = ("avoided {s}", "flinched when {s} shouted", "would not go near {s}",
          "moved behind mum when {s} spoke", "watched {s} closely")
_WHO = ("mum", "nan", "dad", "an aunt", "grandad", "mum's friend")
_REACT = ("was warm and gentle", "was distracted by a phone", "comforted {him}",
          "snapped at {him} twice", "ignored {him}", "praised {him}", "talked over {him}",
          "stroked {his} hair", "told {him} to be quiet", "made {him} a drink")


def _relationships(c: _Child, rng: random.Random, suspect: _Person | None) -> str:
    pool = _WITH + (_AVOID if suspect is not None else ())
    first = _pick(rng, pool).format(his=c.his, s=suspect.forename if suspect else "")
    react = _pick(rng, _REACT).format(him=c.him, his=c.his)
    return f"{c.name} {first}; {_pick(rng, _WHO)} {react}."


_HOME = ("Two-bed flat", "Terraced house", "Semi-detached house", "Ground-floor flat",
         "Static caravan", "Maisonette", "Three-bed council house", "Rented bedsit")
_STATE = ("clean and warm", "cluttered but clean", "very cold", "smelling of cannabis",
          "cans and bottles everywhere", "dog mess on the floor", "tidy throughout",
          "damp with black mould")
_FOOD = ("food in the fridge", "little food in the cupboards", "takeaway boxes on the floor",
         "fruit bowl full", "only cereal in the cupboard", "baby milk made up")
_SLEEP = ("The children share a bunk bed.", "{name} has {his} own room.",
          "Baby sleeps in a cot.", "{name} sleeps on the sofa.", "Mattress on {his} floor.",
          "{name} sleeps in mum's bed.", "Beds made, clean bedding.", "No sheets on {his} bed.")
_UPSET = ("Too upset to talk", "Sobbing and unable to speak", "Too distressed to talk",
          "Crying and would not speak", "Shaking and silent")
_HAZARD = ("", " Broken glass in the hallway.", " Hole punched in the lounge door.",
           " Knife block within reach.", " Cannabis grinder on the table.",
           " Smoke alarm not working.", " Stairgate fitted.", " Tablets left on the side.")


def _environment(c: _Child, rng: random.Random) -> str:
    pieces = [_pick(rng, _STATE).capitalize() + ".", _pick(rng, _FOOD).capitalize() + ".",
              _pick(rng, _SLEEP).format(name=c.name, his=c.his)]
    hazard = _pick(rng, _HAZARD).strip()
    if hazard:
        pieces.append(hazard)
    rng.shuffle(pieces)
    return f"{_pick(rng, _HOME)}. " + " ".join(pieces)


def _not_spoken(c: _Child, rng: random.Random, why: str) -> str:
    if why == "pre-verbal":
        months = max(c.age * 12 + _randint(rng, 1, 11), 2)
        return _pick(rng, (f"{c.name} is {months} months old and pre-verbal",
                           f"Pre-verbal, {months} months old",
                           f"Too young to talk ({months} months)"))
    if why == "asleep":
        where = _pick(rng, ("cot", "bed", "bunk bed", "room", "nan's bed", "travel cot"))
        why = _pick(rng, ("to avoid distress", "at mum's request", "as it was late at night",
                          "as {he} is unwell", "after checking {him}", "as {he} has school"))
        return f"Asleep in {c.his} {where} and not woken " + why.format(he=c.he, him=c.him)
    if why == "distressed":
        how = _pick(rng, ("comforted", "settled", "sat with", "calmed", "cuddled"))
        return f"{_pick(rng, _UPSET)}; {_pick(rng, _WHO)} {how} {c.him}"
    return f"Declined to talk and {_pick(rng, ('went upstairs', 'hid', 'turned away'))}"


# --- one note ------------------------------------------------------------------------------

_KINDS = ("da", "child", "missing", "cse", "cce", "online")
_KIND_CUM = list(accumulate((46, 20, 16, 7, 5, 6)))
_DEFECTS = {
    "eth_missing": 14, "eth_ns": 6, "eth_invalid": 5, "aware_placeholder": 12,
    "aware_missing": 8, "words_adult": 12, "no_voice": 5, "late": 10, "templated": 12,
    "vb": 14, "sibling": 9, "thin_rationale": 7, "bad_date": 2, "missing_dob": 4,
    "missing_low": 0,  # only for missing children; added below
}


def _pick_defects(kind: str, rng: random.Random) -> set[str]:
    names = list(_DEFECTS)
    weights = [_DEFECTS[n] for n in names]
    if kind == "missing":
        weights[names.index("missing_low")] = 40
    if kind == "child":
        weights[names.index("vb")] = 2
    chosen: set[str] = set()
    for _ in range(_pick(rng, (1, 1, 2, 2, 3))):
        chosen.add(rng.choices(names, weights)[0])
    return chosen


def _make_child(rng: random.Random, surname: str, eth: str, age: int, on: date) -> _Child:
    sex = _pick(rng, "MF")
    first = _pick(rng, BOYS if sex == "M" else GIRLS)
    return _Child(first, surname, sex, age, _dob_for(age, on, rng), eth)


def _make_adult(rng: random.Random, sex: str, surname: str, eth: str, on: date) -> _Person:
    first = _pick(rng, MEN if sex == "M" else WOMEN)
    age = _randint(rng, 19, 52)
    return _Person(first, surname, sex, age, _dob_for(age, on, rng), eth)


def _row(ctx: _Ctx, index: int) -> dict[str, str]:
    rng = ctx.rng
    officer = _pick(rng, ctx.officers)
    kind = _weighted(rng, _KINDS, _KIND_CUM)
    good = rng.random() < officer.good_p
    defects: set[str] = set() if good else _pick_defects(kind, rng)

    submitted = ctx.export_day - timedelta(minutes=_randint(rng, 30, 24 * 60))
    delay = timedelta(minutes=_randint(rng, 40, 20 * 60))
    if "late" in defects:
        delay = timedelta(days=_pick(rng, (2, 3, 4, 6, 9, 14, 21, 42)), hours=_randint(rng, 0, 9))
    incident = submitted - delay
    on = incident.date()

    surname = _pick(rng, SURNAMES)
    eth = _weighted(rng, _ETH_CODES, _ETH_CUM)
    town, street = _pick(rng, TOWNS), _pick(rng, STREETS)
    address = f"{_randint(rng, 1, 88)} {street}, {town}"

    # the children
    if kind == "missing" or kind in ("cse", "cce", "online"):
        lo, hi = (11, 17) if kind != "online" else (10, 15)
        ages = [_randint(rng, lo, hi)]
        if rng.random() < 0.35:
            ages.append(_randint(rng, 3, 10))
    else:
        count = rng.choices((1, 2, 3), (45, 35, 20))[0]
        ages = sorted((_randint(rng, 0, 16) for _ in range(count)), reverse=True)
    children = [_make_child(rng, surname, eth, a, on) for a in ages]
    mother = _make_adult(rng, "F", surname, eth, on)
    suspect: _Person | None = None
    if kind == "da" or (kind == "child" and rng.random() < 0.4):
        other_eth = _weighted(rng, _ETH_CODES, _ETH_CUM)
        suspect = _make_adult(rng, "M", _pick(rng, SURNAMES), other_eth, on)

    teen = kind in ("missing", "cse", "cce", "online")
    officer_surname = officer.name.split()[-1]
    for c in children:
        if c.age < 2:
            c.spoken, c.reason = "N", _not_spoken(c, rng, "pre-verbal")
        elif rng.random() < 0.18 and kind not in ("missing", "cse", "cce", "online"):
            why = _pick(rng, ("asleep", "distressed", "declined"))
            c.spoken, c.reason = "N", _not_spoken(c, rng, why)
        c.aware = {
            "Appearance": _appearance(c, rng),
            "Words": _words(c, rng, teen=teen and c is children[0], pc=officer_surname),
            "Activity": _activity(c, rng),
            "Relationships": _relationships(c, rng, suspect),
            "Environment": _environment(c, rng),
        }
        draw = rng.random()
        if draw < 0.1:
            c.eth = _ETH_LABEL[c.eth]  # a label instead of the code: normalised, not a defect
        elif draw < 0.13:
            c.eth, c.eth_reason = "NS", "Mum declined to give an ethnicity for the child"

    lead = children[0]
    _apply_child_defects(children, defects, rng)
    circumstances = _circumstances(kind, lead, children, mother, suspect, address, defects, rng)
    risk = _risk(kind, defects, rng)
    rationale = _rationale(kind, risk, lead, defects, rng)
    actions = _actions(kind, lead, mother, suspect, defects, rng)

    types = {"da": "DA", "child": "Child Concern", "missing": "Misper", "cse": "CSE",
             "cce": "CCE", "online": "Online Abuse"}[kind]
    if kind == "da" and rng.random() < 0.5:
        types += "; Child Concern"
    if kind == "missing" and rng.random() < 0.3:
        types += _pick(rng, ("; CSE", "; CCE"))
    incident_text = _dmy_hm(incident)
    if "bad_date" in defects:
        incident_text = _pick(rng, ("31/11/2026 14:65", "19/13/2026", "yesterday pm"))

    row = {c: "" for c in COLUMNS}
    row.update({
        "PPN Ref": f"PPN-{ctx.export_day:%y%m%d}-{index + 1:05d}",
        "Occurrence No": f"KMP-{incident:%Y%m%d}-{_randint(rng, 100, 9999):04d}",
        "Date/Time Of Incident": incident_text,
        "Date Submitted": _dmy_hm(submitted),
        "Officer Collar No": officer.collar,
        "Officer Name": officer.name,
        "Team": officer.team,
        "PPN Type(s)": types,
        "Risk Grade": risk,
        "Circumstances": circumstances,
        "Rationale": rationale,
        "Action Taken": actions,
        "Consent": _pick(rng, ("Given", "Given", "Given", "Refused", "Not Sought")),
        "Referrals": _referrals(kind, rng),
    })
    for n, c in enumerate(children, start=1):
        p = f"Child {n} "
        row.update({
            p + "Forename": c.forename, p + "Surname": c.surname,
            p + "DOB": "" if "missing_dob" in defects and n == 1 else _dmy(c.dob),
            p + "Sex": c.sex, p + "Ethnicity": c.eth, p + "Ethnicity NS Reason": c.eth_reason,
        })
        if not c.no_voice:
            row.update({p + "Seen": c.seen, p + "Spoken To": c.spoken,
                        p + "Reason Not Spoken To": c.reason})
            row.update({p + k: v for k, v in c.aware.items()})
    adults = [(mother, "Victim" if kind == "da" else "Parent/Carer")]
    if suspect is not None:
        adults.append((suspect, "Suspect"))
    for n, (a, role) in enumerate(adults, start=1):
        p = f"Adult {n} "
        row.update({
            p + "Role": role, p + "Forename": a.forename, p + "Surname": a.surname,
            p + "DOB": _dmy(a.dob), p + "Sex": a.sex,
            p + "Ethnicity": "" if rng.random() < 0.08 else a.eth,
        })
    if index % 97 == 41:  # a stray delimiter in about one row in a hundred
        row[RAGGED] = "1"
    return row


def _apply_child_defects(children: list[_Child], defects: set[str], rng: random.Random) -> None:
    c = _pick(rng, children)
    if "eth_missing" in defects:
        c.eth = ""
    elif "eth_ns" in defects:
        c.eth, c.eth_reason = "NS", ""
    elif "eth_invalid" in defects:
        c.eth = _pick(rng, NOT_CODES)
    if "no_voice" in defects and len(children) > 1:
        children[-1].no_voice = True
    element = _pick(rng, ("Appearance", "Words", "Activity", "Relationships", "Environment"))
    if "aware_placeholder" in defects:
        c.aware[element] = _pick(rng, PLACEHOLDERS)
        if len(children) > 1 and rng.random() < 0.5:
            children[1].aware["Appearance"] = "As above"
    if "aware_missing" in defects:
        c.aware[element] = ""
    if "words_adult" in defects:
        lead = children[0]
        lead.spoken, lead.reason = "Y", ""
        lead.aware["Words"] = _pick(rng, _ADULT_ONLY_WORDS).format(name=lead.name, he=lead.he)
    if "templated" in defects and rng.random() < 0.5:
        for child in children:
            child.aware["Environment"] = TEMPLATED[1]


def _circumstances(
    kind: str, c: _Child, children: list[_Child], mother: _Person, suspect: _Person | None,
    address: str, defects: set[str], rng: random.Random,
) -> str:
    when = _pick(rng, ("late evening", "early hours", "afternoon", "teatime", "morning"))
    names = ", ".join(f"{k.forename} ({k.age})" for k in children)
    he, him, his = c.he.capitalize(), c.him, c.his
    s: list[str] = []
    if kind == "da":
        assert suspect is not None
        v, sx = mother.forename, suspect.forename
        caller = _pick(rng, ("A neighbour", f"{v} {mother.surname}", "An anonymous caller",
                             "A passer-by", f"{v}'s mother", f"{c.forename} ({c.age})"))
        what = _pick(rng, ("reported shouting", "reported screaming and banging",
                           "rang 999 about a fight", "asked for police", "heard glass smashing",
                           "reported a woman crying"))
        s.append(f"{caller} {what} at {address} in the {when}.")
        acts = rng.sample(_DA_ACTS, 2)
        s.append(f"{v} said {sx} {acts[0]} and {acts[1]}.")
        s.append(f"{sx} {_pick(rng, _DA_AFTER)}.")
        s.append(f"Children in the household: {names}.")
        if "vb" in defects:
            s.append(_pick(rng, (
                f"This was just a verbal argument and {v} keeps going back to him.",
                "It is a volatile relationship and both are as bad as each other.",
                f"{v} provoked him by going through his phone.",
                f"{v} won't leave him so there is little police can do.",
            )))
    elif kind == "child":
        who = _pick(rng, ("A neighbour", "School", "A health visitor", "An anonymous caller",
                          "The nursery", "A relative"))
        about = _pick(rng, ("that children were left alone at",
                            "about shouting at a child at", "about the state of the home at",
                            "after seeing a child with a black eye at",
                            "about a baby crying for hours at"))
        found = _pick(rng, ("mum asleep and unwell", "the children unsupervised",
                            "dad drunk and unsteady", "no adult present for an hour",
                            "mum coping but struggling", "the home in poor condition",
                            "a new partner living there"))
        s.append(f"{who} raised concerns {about} {address} in the {when}.")
        s.append(f"Officers found {found}. Children present: {names}.")
    elif kind == "missing":
        by = _pick(rng, ("mum", "dad", "care staff", f"{his} aunt", "foster carers", "school"))
        after = _pick(rng, ("after not coming home from school", "after an argument at home",
                            "after leaving a friend's house", f"when {c.he} missed {his} curfew",
                            "after slipping out overnight"))
        s.append(f"{c.forename} ({c.age}) was reported missing by {by} {after}.")
        at = _pick(rng, (f"at an address in {_pick(rng, TOWNS)}",
                         f"at a bus shelter on {_pick(rng, STREETS)}",
                         f"in a car park in {_pick(rng, TOWNS)}", "at a friend's house",
                         f"outside a takeaway in {_pick(rng, TOWNS)}", "by a patrol"))
        s.append(f"{he} was found {_pick(rng, _FOUND_WHEN)} {at}.")
        if "vb" in defects:
            s.append(_pick(rng, (
                f"It is not out of character for {him} to go missing.",
                f"{he} is known to go missing and always comes back.",
                f"{he} was found at the address of {his} boyfriend (aged 24).",
                f"{he} is putting {him}self at risk by associating with older males.",
                f"{he} has made a lifestyle choice to stay out with older friends.",
                f"{he} is a regular misper.",
            )))
        else:
            nth = _pick(rng, ("second", "third", "fourth", "sixth"))
            s.append(_pick(rng, (
                f"This is {his} {nth} missing episode {_pick(rng, _PERIOD)}.",
                f"{he} would not say where {c.he} had been.",
                f"{he} said a man called {_pick(rng, MEN)} {_pick(rng, _PICKED_UP)} {him}.",
            )))
    elif kind == "cse":
        who = _pick(rng, ("School", "Mum", "A youth worker", "Her social worker"))
        signs = rng.sample(_CSE_SIGNS, 2)
        s.append(f"{who} raised concerns that {c.forename} ({c.age}) {signs[0]} and {signs[1]}.")
        if "vb" in defects:
            s.append(_pick(rng, (
                f"{he} appears to engage in risky behaviour and is sexually active.",
                f"{he} is in a relationship with {his} boyfriend (aged 19).",
                f"{he} chose to go with him and was willingly getting into the car.",
                f"{he} is promiscuous and puts {him}self in danger.",
            )))
        else:
            s.append(f"{_pick(rng, _BELIEVE)} {c.forename} is being groomed by "
                     f"{_pick(rng, _ADULT_DESC)}.")
    elif kind == "cce":
        s.append(f"{c.forename} ({c.age}) was stopped in {_pick(rng, TOWNS)} with "
                 f"{_pick(rng, _CCE_ITEMS)}, {_randint(rng, 15, 60)} miles from home.")
        if "vb" in defects:
            s.append(_pick(rng, (
                f"{he} is a drug runner for a county lines group.",
                f"{he} is streetwise and is working for older dealers.",
                f"{he} is involved in county lines and refuses to engage.",
            )))
        else:
            s.append(f"{_pick(rng, _BELIEVE)} {c.forename} is being criminally exploited by "
                     f"{_pick(rng, _ADULT_DESC)}.")
    else:
        app = _pick(rng, ("a gaming app", "a chat site", "social media", "a messaging app"))
        s.append(f"{c.forename} ({c.age}) told {_pick(rng, ('a teacher', 'mum', 'a friend'))} "
                 f"that an adult from {app} {_pick(rng, _ONLINE_ASK)}.")
        if "vb" in defects:
            s.append(f"{he} agreed to send images and consented to the chats.")
        else:
            s.append(f"{c.forename} was coerced into sending images; {_pick(rng, _DEVICE)}.")
    if "sibling" in defects:
        sib = _pick(rng, GIRLS + BOYS)
        s.append(_pick(rng, (
            f"{his.capitalize()} little brother {sib} (aged {_randint(rng, 2, 9)}) was asleep "
            "upstairs.",
            f"Mum's youngest, {sib}, was at nursery at the time.",
            "A baby was heard crying in a back bedroom.",
            f"{sib}, a {_randint(rng, 5, 12)}-year-old cousin who lives there, let officers in.",
        )))
    return " ".join(s)


_DA_ACTS = (
    "grabbed her by the throat", "pulled her hair", "took her phone",
    "locked the front door", "pushed her into the door", "threw a mug at the wall",
    "punched the wardrobe", "spat at her", "kicked the bedroom door in",
    "threatened to burn the house down", "smashed her laptop", "dragged her by the arm",
)
_DA_AFTER = (
    "had left before officers arrived", "was found two streets away", "was still at the address",
    "was drunk and abusive to officers", "denied touching her", "claimed she attacked him",
    "was arrested at the scene", "drove off in a blue van",
)
_FOUND_WHEN = ("the next morning", "just after midnight", "at 02:40", "after six hours",
               "at lunchtime", "two days later", "later that night")
_PERIOD = ("this month", "in two months", "since the summer", "this year", "since September")
_PICKED_UP = ("drives", "collects", "gives lifts to", "buys vapes for", "meets")
_CSE_SIGNS = (
    "has a new phone", "has been given gifts", "is collected from school by a man in a car",
    "has unexplained cash", "stays out late", "has been seen at a hotel",
    "has new nails and clothes", "is drinking alcohol",
)
_BELIEVE = ("Officers believe", "It is believed", "Police suspect", "Enquiries suggest",
            "School think", "There is evidence")
_ADULT_DESC = ("a man in his twenties", "a 31-year-old man", "an adult known as Deeks",
               "older men in a grey car", "adults from outside the area", "a local dealer")
_CCE_ITEMS = ("two phones and cash", "a large amount of cash", "wraps of cocaine",
              "a train ticket and a burner phone", "a knife and cash")
_ONLINE_ASK = ("had asked for photographs", "wanted to meet up", "was sending her gifts",
               "threatened to share images", "had asked for a video call")
_DEVICE = ("the phone has been seized", "screenshots were taken", "the account was reported",
           "the device was kept by mum")


def _risk(kind: str, defects: set[str], rng: random.Random) -> str:
    if kind == "missing":
        if "missing_low" in defects:
            return _pick(rng, ("Std", "Low", "Standard"))
        return _pick(rng, ("Med", "Medium", "High"))
    return rng.choices(("High", "Med", "Std"), (20, 45, 35))[0]


_REASONS = {
    "da": ("children were in the house", "this is the third call in six months",
           "there was a strangulation allegation", "he has convictions for violence",
           "no injuries and she has family support", "she is pregnant",
           "there are no previous incidents", "he is on bail for a similar offence",
           "she has left him before", "he has threatened to kill her", "{name} saw it happen",
           "she is isolated from family", "the abuse is escalating", "she minimised it"),
    "child": ("the children were left alone for hours", "school have raised this twice before",
              "{name} appeared well", "mum engaged well with officers",
              "the home was unsafe for a baby", "there is no support network",
              "mum has been drinking", "{name} has missed school", "a new partner is unknown",
              "the baby is under one", "dad was calm and cooperative", "nan will help out"),
    "missing": ("{name} is {age} and was with an unknown adult", "this is a repeat episode",
                "there are signs of exploitation", "{name} was missing overnight",
                "{name} will not say where {he} was", "{name} has no phone",
                "{name} was found with an older male", "{his} phone was switched off",
                "{name} has been drinking", "{name} is new to the area"),
    "cse": ("{name} is {age} with clear grooming indicators", "the adult is not identified",
            "{name} is missing school", "{name} has been given alcohol",
            "{name} was seen in a car late at night"),
    "cce": ("{name} is {age} and was found far from home", "{name} was carrying a knife",
            "there is a debt to the group", "{name} has been excluded from school",
            "older males are using {his} home"),
    "online": ("{name} is {age} and images were requested", "the adult threatened {name}",
               "the adult knows {his} school", "{name} sent one image",
               "the adult is using several accounts"),
}


def _rationale(kind: str, risk: str, c: _Child, defects: set[str], rng: random.Random) -> str:
    if "thin_rationale" in defects:
        return _pick(rng, ("see log", "As per circumstances.", "N/A", "Standard risk.", "-"))
    if "templated" in defects and rng.random() < 0.5:
        return TEMPLATED[2]
    level = {"Std": "standard", "Med": "medium", "Low": "low"}.get(risk, risk.lower())
    picked = rng.sample(_REASONS[kind], 2)
    fmt = {"name": c.forename, "age": c.age, "he": c.he, "his": c.his}
    return f"Graded {level}: {picked[0].format(**fmt)}; {picked[1].format(**fmt)}."


_DONE = {
    "da": ("{s} arrested for assault", "DASH completed with {v}", "safety plan agreed",
           "IDVA referral made", "photos of injuries taken", "body-worn video retained",
           "neighbour statement taken", "{s} told not to return tonight",
           "bail conditions requested", "locks to be changed tomorrow"),
    "other": ("return home interview requested", "CSC informed out of hours",
              "school safeguarding lead told", "{name}'s phone seized",
              "strategy discussion requested", "{name} to stay with grandparents",
              "NRM referral started", "intelligence report submitted",
              "health visitor informed", "missing person debrief booked"),
}


def _actions(
    kind: str, c: _Child, mother: _Person, suspect: _Person | None, defects: set[str],
    rng: random.Random,
) -> str:
    if "templated" in defects:
        return _pick(rng, (TEMPLATED[0], TEMPLATED[4])) if kind == "da" else TEMPLATED[3]
    pool = _DONE["da" if kind == "da" and suspect is not None else "other"]
    fmt = {"s": suspect.forename if suspect else "", "v": mother.forename, "name": c.forename}
    done = [d.format(**fmt) for d in rng.sample(pool, _randint(rng, 2, 3))]
    return ". ".join(d[0].upper() + d[1:] for d in done) + "."


def _referrals(kind: str, rng: random.Random) -> str:
    pool = {
        "da": ("CSC", "IDVA", "MARAC", "School (Encompass)", "Health"),
        "missing": ("CSC", "Early Help", "Education"),
    }.get(kind, ("CSC", "MASH", "Health", "Education"))
    return "; ".join(sorted(set(rng.sample(pool, k=_randint(rng, 1, 2)))))


# --- public entry points -------------------------------------------------------------------

EXPORT_DAY = date(2026, 11, 20)


def _context(seed: int, day: date | None = None, officers_seed: int | None = None) -> _Ctx:
    """The run's random stream, officers and export day.  With ``officers_seed`` the force's
    officers come from their own stream, so exports of different days (different ``seed``)
    share the same officers and teams, as a force's weekly exports do."""
    rng = random.Random(seed)
    officers = _officers(rng if officers_seed is None else random.Random(officers_seed))
    on = day or EXPORT_DAY
    return _Ctx(rng, officers, datetime(on.year, on.month, on.day, 7, 0))


def generate_rows(
    n: int, seed: int, *, day: date | None = None, officers_seed: int | None = None
) -> Iterator[dict[str, str]]:
    """``n`` export rows, each a dict over COLUMNS (a broken row also carries RAGGED), all
    submitted in the 24 hours before 07:00 on ``day`` (default EXPORT_DAY)."""
    ctx = _context(seed, day, officers_seed)
    for i in range(n):
        yield _row(ctx, i)


def generate_records(
    n: int, seed: int, *, day: date | None = None, officers_seed: int | None = None
) -> Iterator[dict[str, Any]]:
    """The same notes as generate_rows, already mapped onto record v1 (for benchmarks)."""
    from ppncheck.read.mapping import parse_mapping

    bound = parse_mapping(MAPPING_TOML, source="synthetic").bind(COLUMNS)
    for row in generate_rows(n, seed, day=day, officers_seed=officers_seed):
        yield bound.apply(row)


def _cells(row: dict[str, str]) -> list[str]:
    cells = [row[c] for c in COLUMNS]
    if RAGGED in row:
        cells.append("see attached")  # a stray delimiter: one cell too many
    return cells


def write_csv(
    path: Path,
    n: int,
    seed: int,
    *,
    encoding: str = "utf-8-sig",
    day: date | None = None,
    officers_seed: int | None = None,
) -> None:
    """A CSV as Excel's "CSV UTF-8" writes it: BOM, CRLF, quoted multi-line cells."""
    with Path(path).open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in generate_rows(n, seed, day=day, officers_seed=officers_seed):
            writer.writerow(_cells(row))


def write_xlsx(
    path: Path, n: int, seed: int, *, day: date | None = None, officers_seed: int | None = None
) -> None:
    """A workbook with real date cells, written in streaming mode and byte-for-byte repeatable."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    fixed = datetime(2026, 11, 20, 7, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    ws = wb.create_sheet("PPN export")
    ws.append(COLUMNS)
    for row in generate_rows(n, seed, day=day, officers_seed=officers_seed):
        out: list[Any] = []
        for column, value in zip(COLUMNS, _cells(row), strict=False):
            out.append(_xlsx_cell(ws, WriteOnlyCell, column, value))
        if RAGGED in row:
            out.append(_cells(row)[-1])
        ws.append(out)
    target = Path(path)
    tmp = target.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    _fix_zip_times(tmp, target, fixed)
    tmp.unlink()


def _xlsx_cell(ws: Any, cell_type: Any, column: str, value: str) -> Any:
    if value and column in DATE_TIME_COLUMNS:
        try:
            cell = cell_type(ws, value=datetime.strptime(value, _DT_FORMAT))
        except ValueError:
            return value  # a broken date stays text, as in a real export
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if value and column in DATE_COLUMNS:
        cell = cell_type(ws, value=datetime.strptime(value, _D_FORMAT))
        cell.number_format = "dd/mm/yyyy"
        return cell
    return value or None


def _fix_zip_times(src: Path, dst: Path, when: datetime) -> None:
    """Rewrite the workbook's zip with fixed timestamps so that reruns give the same bytes.

    openpyxl stamps the save time into the zip entries and docProps/core.xml.
    """
    stamp = (when.year, when.month, when.day, when.hour, when.minute, 0)
    modified = f"{when:%Y-%m-%dT%H:%M:%S}Z".encode()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + modified, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, data)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ppncheck_dev.synthetic",
        description="Write a fictional PPN export (CSV and/or XLSX) and its column mapping.",
    )
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--csv", type=Path, help="write the export as CSV here")
    parser.add_argument("--xlsx", type=Path, help="write the export as XLSX here")
    parser.add_argument("--mapping", type=Path, help="write the layout's column mapping here")
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        help="export day, YYYY-MM-DD: notes are submitted in the 24 hours before 07:00 on it",
    )
    parser.add_argument(
        "--officers-seed",
        type=int,
        help="seed for the force's officers and teams, so that exports of several days "
        "(different --seed) share them",
    )
    args = parser.parse_args(argv)
    if not (args.csv or args.xlsx or args.mapping):
        parser.error("give at least one of --csv, --xlsx, --mapping")
    if args.rows < 0:
        parser.error("--rows must be 0 or more")
    same = {"day": args.day, "officers_seed": args.officers_seed}
    if args.csv:
        write_csv(args.csv, args.rows, args.seed, **same)
    if args.xlsx:
        write_xlsx(args.xlsx, args.rows, args.seed, **same)
    if args.mapping:
        args.mapping.write_text(MAPPING_TOML, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
