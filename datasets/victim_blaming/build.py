"""Build the synthetic victim-blaming sentence corpus (train/dev/test.jsonl).

Why this exists: the ppncheck victim-blaming classifier and the lexicon+context detector need
labelled sentences in the register of police notes, including paraphrases that a lexicon cannot
see and hard negatives (quoted, reported, negated, legal, adult-agent, innocent uses) that a
lexicon would wrongly flag. Every base sentence is hand-written in sentences_*.py; this script
only fills name/age/time/place/pronoun slots (at most 4 variants per base, sharing one group id),
splits by group (stratified, hash-based), checks the corpus invariants and writes the files.

Run: /work/venv/bin/python /work/main/datasets/victim_blaming/build.py  (from any directory;
the output is byte-for-byte reproducible).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20261121
MAX_EXPANSIONS = 4
# Variants per base sentence, by kind (bases without slots always give exactly one).
EXPANSIONS = {"lexicon": 3, "paraphrase": 3, "hard_negative": 4, "plain_negative": 4}
SPLIT_SHARES = (("train", 0.70), ("dev", 0.15), ("test", 0.15))

CATEGORIES = (
    "choice_consent",
    "responsibility_for_risk",
    "relationship_framing",
    "sexualising",
    "criminalising",
    "adultification",
    "minimising_normalising",
    "blaming_non_engagement",
    "character_credibility",
    "domestic_abuse_blame",
)
KINDS = ("lexicon", "paraphrase", "hard_negative", "plain_negative")
HARD_TYPES = ("quoted", "reported_speech", "negated", "legal", "adult_agent", "innocent_use")

# ---------------------------------------------------------------------------------------------
# Lexicon: every typical wording from the domain table (shared/domain.md), lower-case, with
# simple inflections. Lexicon rows must contain one; paraphrase and plain rows must contain none.
# ---------------------------------------------------------------------------------------------
_REFL = ("herself", "himself", "themselves")


def _lexicon_phrases() -> tuple[str, ...]:
    """Return the detection-target wordings with inflections (sorted, unique)."""
    p: list[str] = []
    # choice / consent
    p += [
        "lifestyle choice",
        "lifestyle choices",
        "lifestyle",
        "poor choice",
        "poor choices",
        "bad choice",
        "bad choices",
    ]
    p += [f"{v} to go" for v in ("chose", "chooses", "choose", "choosing")]
    p += [
        "consent",
        "consents",
        "consented",
        "consenting",
        "consensual",
        "consensually",
        "willingly",
        "willing participant",
        "in exchange for",
    ]
    p += [f"{v} to send" for v in ("agreed", "agree", "agrees", "agreeing")]
    p += ["agreed to send images"]
    # responsibility for risk
    for verb in ("put", "puts", "putting", "place", "places", "placed", "placing"):
        for refl in _REFL:
            p += [f"{verb} {refl} at risk", f"{verb} {refl} in danger"]
    for verb in ("expose", "exposes", "exposed", "exposing"):
        for refl in _REFL:
            p.append(f"{verb} {refl} to risk")
    p += [
        "risky behaviour",
        "risky behaviours",
        "risky behavior",
        "risky business",
        "risk-taking",
        "risk taking",
        "should have known",
    ]
    # relationship framing
    p += [
        "boyfriend",
        "boyfriends",
        "girlfriend",
        "girlfriends",
        "relationship",
        "relationships",
        "associating with",
        "associates with",
        "associated with",
        "associate with",
        "older friend",
        "older friends",
    ]
    # sexualising
    p += [
        "sexually active",
        "promiscuous",
        "promiscuity",
        "prostitute",
        "prostitutes",
        "prostitution",
        "child prostitute",
        "child prostitution",
        "sexting",
        "sext",
        "sexts",
        "child pornography",
        "child porn",
        "provocative",
        "provocatively",
        "provocative clothing",
    ]
    p += [f"prostituting {refl}" for refl in _REFL]
    # criminalising ("work for" is left out: "how the streets work for a 13 year old")
    p += [
        "drug runner",
        "drug runners",
        "dealer",
        "dealers",
        "drug dealer",
        "drug dealing",
        "dealing drugs",
        "money mule",
        "money mules",
        "recruiting others",
        "recruits others",
        "recruited others",
        "recruit others",
        "working for",
        "works for",
        "worked for",
        "gang member",
        "gang members",
        "involved in county lines",
        "plugging",
        "plugged",
    ]
    # adultification
    p += [
        "streetwise",
        "street-wise",
        "street wise",
        "young woman",
        "young women",
        "young man",
        "young men",
        "young lady",
        "young female",
        "young male",
        "female",
        "females",
        "male",
        "males",
    ]
    for pron in ("her", "his", "their"):
        p += [f"mature for {pron} age", f"mature for {pron} years"]
    # minimising / normalising
    p += [
        "not out of character",
        "not out of character to go missing",
        "regular misper",
        "regular mispers",
        "known to go missing",
        "always comes back",
        "always come back",
        "abscond",
        "absconds",
        "absconded",
        "absconding",
        "absconder",
        "absconders",
        "volatile relationship",
        "just an argument",
        "historical abuse",
        "historic abuse",
    ]
    # blaming non-engagement
    for verb in ("refuse", "refuses", "refused", "refusing"):
        p += [f"{verb} to engage", f"{verb} to support police"]
    p += [
        "not engaging",
        "non-engagement",
        "hard to reach",
        "hard-to-reach",
        "uncooperative",
        "un-cooperative",
    ]
    # character and credibility
    p += [
        "attention seeking",
        "attention-seeking",
        "attention seeker",
        "manipulative",
        "troublemaker",
        "troublemakers",
        "trouble maker",
        "making it up",
        "made it up",
        "makes it up",
        "make it up",
        "making things up",
        "made things up",
        "claim",
        "claims",
        "claimed",
        "claiming",
        "insist",
        "insists",
        "insisted",
        "insisting",
    ]
    # domestic abuse blame
    for verb in ("keeps", "kept", "keep", "keeping"):
        p.append(f"{verb} going back")
    p += [
        "keeps going back to him",
        "going back to him",
        "goes back to him",
        "go back to him",
        "went back to him",
        "won't leave",
        "wont leave",
        "will not leave",
        "wouldn't leave",
    ]
    p += [f"{verb} to leave" for verb in ("refuse", "refuses", "refused", "refusing")]
    for verb in ("provoke", "provokes", "provoked", "provoking"):
        p += [f"{verb} him", f"{verb} her"]
    p += [f"{v} to stay" for v in ("chose", "chooses", "choose", "choosing")]
    return tuple(sorted(set(p)))


LEXICON_PHRASES: tuple[str, ...] = _lexicon_phrases()
_LEXICON_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(x) for x in sorted(LEXICON_PHRASES, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)


def lexicon_matches(text: str) -> list[str]:
    """Lexicon phrases found in text (case-insensitive, on word boundaries)."""
    return [m.group(0).lower() for m in _LEXICON_RE.finditer(text)]


# ---------------------------------------------------------------------------------------------
# Slot values: fictional people and places only.
# ---------------------------------------------------------------------------------------------
CHILD_NAMES = {
    "f": [
        "Kayleigh",
        "Jade",
        "Chloe",
        "Amber",
        "Leah",
        "Megan",
        "Ruby",
        "Tia",
        "Shannon",
        "Courtney",
        "Mia",
        "Ellie",
        "Paige",
        "Niamh",
        "Aaliyah",
        "Demi",
        "Keira",
        "Jasmine",
        "Zara",
        "Amira",
        "Lacey",
        "Skye",
        "Holly",
        "Roxanne",
    ],
    "m": [
        "Jake",
        "Tyler",
        "Kai",
        "Callum",
        "Reece",
        "Liam",
        "Connor",
        "Jayden",
        "Kieran",
        "Mason",
        "Dylan",
        "Brandon",
        "Ryan",
        "Harvey",
        "Ethan",
        "Tomasz",
        "Zain",
        "Bilal",
        "Kofi",
        "Lewis",
        "Owen",
        "Declan",
    ],
    "n": [
        "Alex",
        "Charlie",
        "Jordan",
        "Riley",
        "Sam",
        "Jamie",
        "Frankie",
        "Robin",
        "Taylor",
        "Morgan",
        "Remy",
        "Casey",
    ],
}
ADULT_VICTIM_NAMES = {
    "f": [
        "Donna",
        "Tracey",
        "Kerry",
        "Lisa",
        "Joanne",
        "Nicola",
        "Sharon",
        "Michelle",
        "Gemma",
        "Aisha",
        "Leanne",
        "Stacey",
    ],
    "m": ["Gary", "Paul", "Steven", "Adam", "Rizwan", "Martin", "Neil", "Jason"],
    "n": ["Sam", "Alex", "Jo", "Chris", "Robin", "Jordan"],
}
ADULT_MALE_NAMES = [
    "Darren",
    "Wayne",
    "Craig",
    "Lee",
    "Gavin",
    "Stuart",
    "Dean",
    "Shane",
    "Carl",
    "Imran",
    "Marek",
    "Troy",
    "Glen",
    "Ashley",
]
SURNAMES = [
    "Ashcombe",
    "Brindley",
    "Carrow",
    "Dellow",
    "Fenwright",
    "Garside",
    "Holroyd",
    "Iveson",
    "Jessop",
    "Kettlewell",
    "Lumbley",
    "Marwood",
    "Nettleton",
    "Oakshott",
    "Pennock",
    "Rawcliffe",
    "Selwood",
    "Thackray",
    "Umpleby",
    "Varley",
    "Wragge",
]
TOWNS = [
    "Harrowgate Vale",
    "Kestrel Moor",
    "Brackenford",
    "Elmsby Bridge",
    "Thornwick Cross",
    "Saltmere",
    "Ravensdale End",
    "Cobble Hill",
    "Ashby Fold",
    "Wetherdown",
    "Millbeck",
    "Greyscar",
    "Oxley Marsh",
    "Fernholt",
]
STREETS = [
    "Ashdown Close",
    "Linnet Way",
    "Tanner's Row",
    "Cuthbert Street",
    "Orchard Rise",
    "Beckside Court",
    "Heron Walk",
    "Foundry Terrace",
    "Sycamore Crescent",
    "Plover Drive",
    "Quarry Bank",
    "Wharf Road",
    "Gorse Lane",
    "Kiln Street",
]
PRONOUNS = {
    "f": {
        "she": "she",
        "She": "She",
        "obj": "her",
        "pos": "her",
        "Pos": "Her",
        "refl": "herself",
        "girl": "girl",
        "is": "is",
        "was": "was",
        "has": "has",
        "s": "s",
        "es": "es",
    },
    "m": {
        "she": "he",
        "She": "He",
        "obj": "him",
        "pos": "his",
        "Pos": "His",
        "refl": "himself",
        "girl": "boy",
        "is": "is",
        "was": "was",
        "has": "has",
        "s": "s",
        "es": "es",
    },
    "n": {
        "she": "they",
        "She": "They",
        "obj": "them",
        "pos": "their",
        "Pos": "Their",
        "refl": "themselves",
        "girl": "child",
        "is": "are",
        "was": "were",
        "has": "have",
        "s": "",
        "es": "",
    },
}
SLOT_RE = re.compile(r"\{(\w+)\}")
GENDERED = set(PRONOUNS["f"]) | {"N", "V"}
KNOWN_SLOTS = GENDERED | {"S", "A", "U", "T", "M", "town", "street"}


def _fill(template: str, gender: str, rng: random.Random) -> str:
    values: dict[str, str] = dict(PRONOUNS[gender])
    values.update(
        N=rng.choice(CHILD_NAMES[gender]),
        V=rng.choice(ADULT_VICTIM_NAMES[gender]),
        S=rng.choice(SURNAMES),
        A=str(rng.randint(12, 17)),
        U=str(rng.randint(11, 15)),
        T=f"{rng.randint(0, 23):02d}:{rng.choice(range(0, 60, 5)):02d}",
        M=rng.choice(ADULT_MALE_NAMES),
        town=rng.choice(TOWNS),
        street=rng.choice(STREETS),
    )
    return template.format_map(values)


def expand(template: str, n_wanted: int, rng: random.Random) -> list[str]:
    """Fill slots to give up to n_wanted distinct variants of one base sentence."""
    genders = ["f", "m", "n"]
    if template.startswith(("F:", "M:")):
        genders = [template[0].lower()]
        template = template[2:]
    slots = set(SLOT_RE.findall(template))
    unknown = slots - KNOWN_SLOTS
    assert not unknown, f"unknown slots {sorted(unknown)}"
    if not slots:
        return [template]
    rng.shuffle(genders)
    out: list[str] = []
    attempts = 0
    while len(out) < min(n_wanted, MAX_EXPANSIONS) and attempts < 60:
        text = _fill(template, genders[len(out) % len(genders)], rng)
        attempts += 1
        if text not in out:
            out.append(text)
    return out


# ---------------------------------------------------------------------------------------------
# Corpus assembly
# ---------------------------------------------------------------------------------------------
def _load_sources() -> tuple[Any, Any, Any]:
    sys.dont_write_bytecode = True  # keep __pycache__ out of the dataset folder
    sys.path.insert(0, str(HERE))
    try:
        pos = importlib.import_module("sentences_pos").POSITIVES
        hard = importlib.import_module("sentences_hard").HARD_NEGATIVES
        plain = importlib.import_module("sentences_plain").PLAIN_NEGATIVES
    finally:
        sys.path.remove(str(HERE))
    return pos, hard, plain


# Later rounds: (round, group-id prefix, [(module, attribute)] for positives, hard, plain).
LATER_ROUNDS = (
    (
        3,
        "r3-",
        (
            ("sentences_round3_pos", "POSITIVES_R3"),
            ("sentences_round3_neg", "HARD_NEGATIVES_R3"),
            ("sentences_round3_neg", "PLAIN_NEGATIVES_R3"),
        ),
    ),
    (
        4,
        "r4-",
        (
            ("sentences_round4", "POSITIVES_R4"),
            ("sentences_round4", "HARD_NEGATIVES_R4"),
            ("sentences_round4", "PLAIN_NEGATIVES_R4"),
        ),
    ),
)


def _load_round(sources: tuple[tuple[str, str], ...]) -> tuple[Any, Any, Any]:
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(HERE))
    try:
        pos, hard, plain = (getattr(importlib.import_module(m), a) for m, a in sources)
    finally:
        sys.path.remove(str(HERE))
    return pos, hard, plain


def _bases(sources: tuple[Any, Any, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Every hand-written base sentence with its labels, stratum and group id."""
    positives, hard, plain = sources
    bases: list[dict[str, Any]] = []
    assert tuple(positives) == CATEGORIES, "positive categories out of order or missing"
    for category, kinds in positives.items():
        for kind in ("lexicon", "paraphrase"):
            for i, t in enumerate(kinds[kind], 1):
                bases.append(
                    dict(
                        template=t,
                        label=1,
                        category=category,
                        kind=kind,
                        hard_negative_type=None,
                        stratum=f"{kind}/{category}",
                        group=f"{prefix}{kind[:4]}-{category}-{i:03d}",
                    )
                )
    assert tuple(hard) == HARD_TYPES, "hard-negative types out of order or missing"
    for htype, items in hard.items():
        for i, t in enumerate(items, 1):
            bases.append(
                dict(
                    template=t,
                    label=0,
                    category=None,
                    kind="hard_negative",
                    hard_negative_type=htype,
                    stratum=f"hard/{htype}",
                    group=f"{prefix}hard-{htype}-{i:03d}",
                )
            )
    for topic, items in plain.items():
        for i, t in enumerate(items, 1):
            bases.append(
                dict(
                    template=t,
                    label=0,
                    category=None,
                    kind="plain_negative",
                    hard_negative_type=None,
                    stratum=f"plain/{topic}",
                    group=f"{prefix}plain-{topic}-{i:03d}",
                )
            )
    return bases


def _assign_splits(
    bases: list[dict[str, Any]], shares: tuple[tuple[str, float], ...] = SPLIT_SHARES
) -> dict[str, str]:
    """Group -> split: within each stratum, order groups by SHA-256 of the id and cut by
    ``shares`` (70/15/15 train/dev/test; later rounds use 85/15 train/dev)."""
    by_stratum: dict[str, list[str]] = {}
    for b in bases:
        by_stratum.setdefault(b["stratum"], []).append(b["group"])
    split_of: dict[str, str] = {}
    for groups in by_stratum.values():
        ordered = sorted(groups, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
        n = len(ordered)
        n_train = round(n * shares[0][1])
        n_dev = round(n * shares[1][1])
        for j, g in enumerate(ordered):
            split_of[g] = "train" if j < n_train else "dev" if j < n_train + n_dev else "test"
    return split_of


LATER_ROUND_SHARES = (("train", 0.85), ("dev", 0.15), ("test", 0.0))


def _rows(
    bases: list[dict[str, Any]], split_of: dict[str, str], rng: random.Random, first_id: int
) -> list[dict[str, Any]]:
    """Expand every base, shuffle the rows and number them from ``first_id``."""
    rows: list[dict[str, Any]] = []
    for b in bases:
        for text in expand(b["template"], EXPANSIONS[b["kind"]], rng):
            rows.append(
                dict(
                    text=text,
                    label=b["label"],
                    category=b["category"],
                    kind=b["kind"],
                    hard_negative_type=b["hard_negative_type"],
                    group=b["group"],
                    split=split_of[b["group"]],
                )
            )
    rng.shuffle(rows)
    for i, r in enumerate(rows, first_id):
        r["id"] = f"vb-{i:05d}"
    order = ("id", "text", "label", "category", "kind", "hard_negative_type", "group", "split")
    return [{k: r[k] for k in order} for r in rows]


def build() -> dict[str, list[dict[str, Any]]]:
    """Rounds 1-2 exactly as first built (so the test split never changes), then rounds 3, 4.

    A later round's bases (group ids prefixed ``r3-``, ``r4-``) go to train and dev only, with
    the round's own random generator, after every earlier row: adding a round cannot move an
    earlier group between splits or change an earlier row's text or id.
    """
    bases = _bases(_load_sources())
    later = [
        (n, _bases(_load_round(sources), prefix=prefix)) for n, prefix, sources in LATER_ROUNDS
    ]
    templates = [b["template"] for b in bases] + [b["template"] for _, r in later for b in r]
    dupes = [t for t, c in Counter(templates).items() if c > 1]
    assert not dupes, f"{len(dupes)} duplicated base sentences"
    rows = _rows(bases, _assign_splits(bases), random.Random(SEED), 1)
    for n, round_bases in later:
        split = _assign_splits(round_bases, LATER_ROUND_SHARES)
        rows += _rows(round_bases, split, random.Random(SEED + n), len(rows) + 1)
    _check(rows, n_bases=len(templates))
    return {name: [r for r in rows if r["split"] == name] for name, _ in SPLIT_SHARES}


def _check(rows: list[dict[str, Any]], n_bases: int) -> None:
    """The corpus invariants from the brief; fail loudly rather than write a bad corpus."""
    assert n_bases >= 900, n_bases
    assert len(rows) >= 2600, len(rows)
    texts = Counter(r["text"] for r in rows)
    assert all(c == 1 for c in texts.values()), "duplicated text"
    split_sets: dict[str, set[str]] = {}
    for r in rows:
        split_sets.setdefault(r["split"], set()).add(r["text"])
    names = list(split_sets)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not split_sets[a] & split_sets[b], f"text shared by {a} and {b}"
    group_splits: dict[str, set[str]] = {}
    for r in rows:
        group_splits.setdefault(r["group"], set()).add(r["split"])
    assert all(len(s) == 1 for s in group_splits.values()), "group split across splits"
    per_group = Counter(r["group"] for r in rows)
    assert max(per_group.values()) <= MAX_EXPANSIONS
    for r in rows:
        hits = lexicon_matches(r["text"])
        if r["kind"] == "lexicon":
            assert hits, f"{r['group']}: lexicon row without a lexicon phrase"
        elif r["kind"] in ("paraphrase", "plain_negative"):
            assert not hits, f"{r['group']} ({r['kind']}) contains lexicon phrase(s) {hits}"
        assert (r["label"] == 1) == (r["kind"] in ("lexicon", "paraphrase"))
        assert (r["category"] is not None) == (r["label"] == 1)
        assert (r["hard_negative_type"] is not None) == (r["kind"] == "hard_negative")
        assert "{" not in r["text"] and "}" not in r["text"], r["group"]
    pos = [r for r in rows if r["label"] == 1]
    neg = [r for r in rows if r["label"] == 0]
    share_pos = len(pos) / len(rows)
    assert 0.37 <= share_pos <= 0.43, share_pos
    assert sum(r["kind"] == "paraphrase" for r in pos) >= 0.40 * len(pos)
    assert sum(r["kind"] == "hard_negative" for r in neg) >= 0.30 * len(neg)
    for name, _ in SPLIT_SHARES:
        in_split = [r for r in rows if r["split"] == name]
        for field, wanted in (
            ("category", CATEGORIES),
            ("kind", KINDS),
            ("hard_negative_type", HARD_TYPES),
        ):
            got = {r[field] for r in in_split}
            missing = set(wanted) - got
            assert not missing, f"{name} lacks {field} {sorted(missing)}"
        for cat in CATEGORIES:
            for kind in ("lexicon", "paraphrase"):
                assert any(r["category"] == cat and r["kind"] == kind for r in in_split), (
                    name,
                    cat,
                    kind,
                )


def _write(splits: dict[str, list[dict[str, Any]]]) -> None:
    for name, rows in splits.items():
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _table(
    title: str, key: str, splits: dict[str, list[dict[str, Any]]], values: tuple[Any, ...]
) -> str:
    head = f"| {title} | " + " | ".join(splits) + " | total |"
    lines = [head, "|" + "---|" * (len(splits) + 2)]
    for v in values:
        counts = [sum(r[key] == v for r in rows) for rows in splits.values()]
        lines.append(
            f"| {v if v is not None else '(none)'} | "
            + " | ".join(map(str, counts))
            + f" | {sum(counts)} |"
        )
    return "\n".join(lines)


def _report(splits: dict[str, list[dict[str, Any]]]) -> str:
    allrows = [r for rows in splits.values() for r in rows]
    n_groups = len({r["group"] for r in allrows})
    pos = [r for r in allrows if r["label"] == 1]
    neg = [r for r in allrows if r["label"] == 0]
    hard = [r for r in neg if r["kind"] == "hard_negative"]
    hard_with_lex = sum(bool(lexicon_matches(r["text"])) for r in hard)
    parts = [
        f"rows: {len(allrows)}  base sentences (groups): {n_groups}  "
        f"lexicon phrases: {len(LEXICON_PHRASES)}",
        f"positive share: {len(pos) / len(allrows):.3f}  "
        f"paraphrase share of positives: "
        f"{sum(r['kind'] == 'paraphrase' for r in pos) / len(pos):.3f}  "
        f"hard-negative share of negatives: {len(hard) / len(neg):.3f}  "
        f"hard negatives containing a lexicon phrase: {hard_with_lex}/{len(hard)}",
        "",
        _table("label", "label", splits, (1, 0)),
        "",
        _table("kind", "kind", splits, KINDS),
        "",
        _table("category", "category", splits, (*CATEGORIES, None)),
        "",
        _table("hard_negative_type", "hard_negative_type", splits, (*HARD_TYPES, None)),
        "",
        "| split | rows | groups |",
        "|---|---|---|",
    ]
    for name, rows in splits.items():
        parts.append(f"| {name} | {len(rows)} | {len({r['group'] for r in rows})} |")
    return "\n".join(parts)


def main() -> None:
    splits = build()
    _write(splits)
    print(_report(splits))


if __name__ == "__main__":
    main()
