"""Slot values for expanding base sentences: fictional names, ages, pronouns, times, places.

Why: the brief allows expansion only by swapping names, ages, pronouns, times and
fictional places, so the wording of every row is still hand-written. Keeping the
value lists here makes that boundary easy to audit.
"""

from __future__ import annotations

import random

GIRL_NAMES = (
    "Ellie",
    "Maisie",
    "Kayla",
    "Amira",
    "Poppy",
    "Jasmine",
    "Leah",
    "Tia",
    "Nadia",
    "Freya",
    "Ruby",
    "Skye",
    "Zara",
    "Imogen",
    "Lacey",
    "Hana",
    "Courtney",
    "Esme",
    "Mia",
    "Bethany",
    "Aaliyah",
    "Keira",
    "Lottie",
    "Daisy",
    "Precious",
    "Oksana",
    "Niamh",
    "Shanice",
    "Evie",
    "Ayesha",
)
BOY_NAMES = (
    "Tyler",
    "Kai",
    "Callum",
    "Harvey",
    "Mason",
    "Reece",
    "Oliver",
    "Bilal",
    "Jayden",
    "Logan",
    "Alfie",
    "Kacper",
    "Ethan",
    "Rhys",
    "Leon",
    "Tomasz",
    "Ibrahim",
    "Connor",
    "Dylan",
    "Archie",
    "Kyle",
    "Jamal",
    "Finley",
    "Zain",
    "Brandon",
    "Oscar",
    "Liam",
    "Mohammed",
    "Lewis",
    "Theo",
)
NEUTRAL_NAMES = (
    "Alex",
    "Sam",
    "Jordan",
    "Riley",
    "Charlie",
    "Robin",
    "Morgan",
    "Jules",
    "Ari",
    "Sky",
)
MUM_NAMES = (
    "Donna",
    "Kerry",
    "Shelley",
    "Aneta",
    "Samira",
    "Lisa",
    "Jodie",
    "Nicola",
    "Farah",
    "Gemma",
)
DAD_NAMES = (
    "Wayne",
    "Darren",
    "Lee",
    "Marek",
    "Imran",
    "Craig",
    "Gary",
    "Stuart",
    "Dean",
    "Nathan",
)
SURNAMES = (
    "Pelham",
    "Ockwell",
    "Tranmere",
    "Bexley",
    "Hartigan",
    "Morrow",
    "Quill",
    "Ashby",
    "Fenwick",
    "Sallow",
    "Crane",
    "Dunmore",
    "Yardley",
    "Kettering",
    "Oduya",
    "Brannagh",
    "Vance",
    "Lister",
)
TOWNS = (
    "Harrowgate Vale",
    "Kestrel Moor",
    "Thornby Cross",
    "Little Amberley",
    "Coldwater Bridge",
    "Saltmere",
    "Redhythe",
    "Brackenfold",
    "Ousterby",
    "Fellingham",
    "Wyke Lantern",
    "Dunsmoor",
)
STREETS = (
    "Ashdown Close",
    "Millrace Lane",
    "Curlew Walk",
    "Pennyfield Road",
    "Tanners Row",
    "Larkspur Court",
    "Old Quarry Way",
    "Hobson Terrace",
    "Fennel Drive",
    "Beckside Mews",
)
SCHOOLS = (
    "Kestrel Moor Primary",
    "Harrowgate Vale Academy",
    "St Aldric's Primary",
    "Thornby Cross High",
    "Saltmere Community School",
    "Brackenfold Junior",
    "Redhythe Free School",
)
PRONOUNS = {
    "she": {
        "he": "she",
        "him": "her",
        "his": "her",
        "self": "herself",
        "was": "was",
        "is": "is",
        "has": "has",
        "does": "does",
        "s": "s",
        "es": "es",
    },
    "he": {
        "he": "he",
        "him": "him",
        "his": "his",
        "self": "himself",
        "was": "was",
        "is": "is",
        "has": "has",
        "does": "does",
        "s": "s",
        "es": "es",
    },
    "they": {
        "he": "they",
        "him": "them",
        "his": "their",
        "self": "themself",
        "was": "were",
        "is": "are",
        "has": "have",
        "does": "do",
        "s": "",
        "es": "",
    },
}
PRONOUN_SLOTS = frozenset(
    {"he", "him", "his", "self", "He", "His", "was", "is", "has", "does", "s", "es"}
)
KNOWN_SLOTS = PRONOUN_SLOTS | frozenset(
    {
        "name",
        "NAME",
        "sib",
        "sis",
        "bro",
        "mum_name",
        "dad_name",
        "surname",
        "age",
        "baby_age",
        "small_age",
        "mid_age",
        "teen_age",
        "time",
        "time2",
        "town",
        "street",
        "school",
        "num",
        "TOWN",
        "STREET",
        "SURNAME",
    }
)
_UPPER_OF = {"TOWN": "town", "STREET": "street", "SURNAME": "surname"}


def _time(rng: random.Random) -> str:
    """A time in one of the formats officers actually type."""
    h, m = rng.randrange(24), rng.choice((0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55))
    style = rng.randrange(4)
    if style == 0:
        return f"{h:02d}.{m:02d}"
    if style == 1:
        return f"{h:02d}:{m:02d}"
    if style == 2:
        return f"{h:02d}{m:02d}hrs"
    return f"{(h % 12) or 12}.{m:02d}{'am' if h < 12 else 'pm'}"


def draw(rng: random.Random, names: set[str]) -> dict[str, str]:
    """Values for one rendering; only the slots the template uses are drawn."""
    names = set(names) | {low for up, low in _UPPER_OF.items() if up in names}
    kind = rng.choices(("she", "he", "they"), weights=(45, 45, 10))[0]
    pool = {"she": GIRL_NAMES, "he": BOY_NAMES, "they": NEUTRAL_NAMES}[kind]
    child = rng.choice(pool)
    vals: dict[str, str] = dict(PRONOUNS[kind])
    vals["He"] = vals["he"].capitalize()
    vals["His"] = vals["his"].capitalize()
    vals["name"] = child
    vals["NAME"] = child.upper()
    if "sib" in names:
        vals["sib"] = rng.choice([n for n in GIRL_NAMES + BOY_NAMES if n != child])
    if "sis" in names:
        vals["sis"] = rng.choice([n for n in GIRL_NAMES if n != child])
    if "bro" in names:
        vals["bro"] = rng.choice([n for n in BOY_NAMES if n != child])
    if "mum_name" in names:
        vals["mum_name"] = rng.choice(MUM_NAMES)
    if "dad_name" in names:
        vals["dad_name"] = rng.choice(DAD_NAMES)
    if "surname" in names:
        vals["surname"] = rng.choice(SURNAMES)
    if "age" in names:
        vals["age"] = str(rng.randint(3, 16))
    if "baby_age" in names:
        vals["baby_age"] = rng.choice(
            (
                "6 weeks",
                "3 months",
                "5 months",
                "7 months",
                "9 months",
                "10 months",
                "11 months",
                "14 months",
            )
        )
    if "small_age" in names:
        vals["small_age"] = str(rng.randint(2, 5))
    if "mid_age" in names:
        vals["mid_age"] = str(rng.randint(6, 11))
    if "teen_age" in names:
        vals["teen_age"] = str(rng.randint(12, 17))
    if "time" in names:
        vals["time"] = _time(rng)
    if "time2" in names:
        vals["time2"] = _time(rng)
    if "town" in names:
        vals["town"] = rng.choice(TOWNS)
    if "street" in names:
        vals["street"] = rng.choice(STREETS)
    if "school" in names:
        vals["school"] = rng.choice(SCHOOLS)
    if "num" in names:
        vals["num"] = str(rng.randint(1, 96))
    for up, low in _UPPER_OF.items():
        if low in vals:
            vals[up] = vals[low].upper()
    return {k: v for k, v in vals.items() if k in names or k in PRONOUN_SLOTS}
