"""Sentence-level AWARE coverage: which elements a sentence speaks to, without headings.

Two classifiers share one interface so they could be compared on the held-out split
(models/aware_coverage/MODEL.md): a transparent cue lexicon (``data/aware_cues.toml``) and a
one-vs-rest logistic regression over hashed token unigrams and bigrams.  The model's features
come straight from spaCy's ``LOWER`` hash array, so scoring a document is a few numpy
operations with no Python loop over tokens and no re-tokenisation.  The model folder is
``ppncheck.modelfile``'s: plain arrays with a checksummed manifest, no pickle.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import IS_SPACE, LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc

from ppncheck.caseless import caseless
from ppncheck.fastre import first_char_guard
from ppncheck.modelfile import ModelFileError, ModelKind, read_model, write_model
from ppncheck.read.note import _LO, _UP
from ppncheck.text.analysis_types import AWARE_ELEMENTS
from ppncheck.text.sentences import doc_text
from ppncheck.text.tables import CueTable, StrongCueTable

N_FEATURES = 1 << 18
_BIGRAM_MULT = np.uint64(1000003)
_BOS = np.uint64(0x9E3779B97F4A7C15)
MODEL_KIND = ModelKind(
    name="aware_coverage",
    title="AWARE coverage",
    format_version=1,
    arrays=("feature_index", "weights", "intercepts", "thresholds"),
    train_command="ppncheck train aware",
)


_STEMS: dict[int, int] = {}
LEXICON_FEATURES: dict[str, int] = {
    e: zlib.crc32(f"__lexicon__{e}".encode()) % N_FEATURES for e in AWARE_ELEMENTS
}


def stem_hashes(lower: np.ndarray, strings: StringStore) -> np.ndarray:
    """A crude stem (first five letters of longer words) per token, 0 where there is none.

    Looked up per distinct word type and cached, so the per-token work stays in numpy.
    """
    uniq, inverse = np.unique(lower, return_inverse=True)
    if len(_STEMS) > 200_000:
        _STEMS.clear()
    mapped = np.empty(uniq.size, dtype=np.uint64)
    for i, h in enumerate(uniq.tolist()):
        stem = _STEMS.get(h)
        if stem is None:
            word = strings[h] if h in strings else ""  # noqa: SIM401 (StringStore has no get)
            stem = zlib.crc32(("§" + word[:5]).encode()) if len(word) > 5 and word.isalpha() else 0
            _STEMS[h] = stem
        mapped[i] = stem
    return mapped[inverse.reshape(-1)]


def hashed_features(
    lower: np.ndarray,
    keep: np.ndarray,
    sent_ids: np.ndarray,
    stems: np.ndarray | None = None,
    lexicon: dict[str, set[int]] | None = None,
) -> np.ndarray:
    """Unique (sentence, feature) pairs as one int64 key array: ``sent * N_FEATURES + feat``.

    Features are token unigrams and bigrams (with a sentence-start marker) of the kept tokens
    (whitespace and masked heading labels are dropped), crude stems, and one feature per
    element whose cue lexicon fires in the sentence.  Shared by training and inference.
    """
    extra: list[np.ndarray] = []
    if stems is not None:
        st = stems[keep].astype(np.int64)
        sid_all = sent_ids[keep].astype(np.int64)
        extra.append(sid_all[st != 0] * N_FEATURES + (st[st != 0] % N_FEATURES))
    for element, sents in (lexicon or {}).items():
        if sents:
            extra.append(
                np.array(sorted(sents), dtype=np.int64) * N_FEATURES + LEXICON_FEATURES[element]
            )
    low = lower[keep].astype(np.uint64)
    sid = sent_ids[keep].astype(np.int64)
    if low.size == 0:
        return np.zeros(0, dtype=np.int64)
    prev = np.empty_like(low)
    prev[0] = _BOS
    prev[1:] = low[:-1]
    new_sent = np.ones(low.size, dtype=bool)
    new_sent[1:] = sid[1:] != sid[:-1]
    prev[new_sent] = _BOS
    with np.errstate(over="ignore"):
        bigram = prev * _BIGRAM_MULT + low
    uni = (low % np.uint64(N_FEATURES)).astype(np.int64)
    bi = (bigram % np.uint64(N_FEATURES)).astype(np.int64)
    keys = np.concatenate([sid * N_FEATURES + uni, sid * N_FEATURES + bi, *extra])
    return np.unique(keys)


def doc_sentence_features(
    doc: Doc, masked: Sequence[tuple[int, int]] = (), cues: CueTable | None = None
) -> tuple[np.ndarray, int, list[int]]:
    """(feature keys, number of sentences, sentence start chars) for a sentence-split Doc."""
    if len(doc) == 0:
        return np.zeros(0, dtype=np.int64), 0, []
    arr = doc.to_array([LOWER, IS_SPACE, "SENT_START", "IDX"])
    lower = arr[:, 0]
    starts = arr[:, 2].astype(np.int64) == 1
    starts[0] = True
    sent_ids = np.cumsum(starts) - 1
    keep = arr[:, 1] == 0
    idx = arr[:, 3].astype(np.int64)
    for start, end in masked:
        keep &= ~((idx >= start) & (idx < end))
    sent_chars = idx[starts].tolist()
    lexicon = None
    if cues is not None:
        per_sent = lexicon_sentence_labels(doc_text(doc), sent_chars, cues, masked)
        lexicon = {
            e: {i for i, labels in enumerate(per_sent) if e in labels} for e in AWARE_ELEMENTS
        }
    stems = stem_hashes(lower, doc.vocab.strings)
    return (
        hashed_features(lower, keep, sent_ids, stems, lexicon),
        int(sent_ids[-1]) + 1,
        sent_chars,
    )


@dataclass(frozen=True)
class CoverageModel:
    """Sparse one-vs-rest logistic regression: weights only for features seen in training."""

    labels: tuple[str, ...]
    feature_index: np.ndarray  # sorted int64 feature ids with a non-zero weight
    weights: np.ndarray  # (len(feature_index), len(labels)) float32
    intercepts: np.ndarray  # (len(labels),)
    thresholds: np.ndarray  # (len(labels),) probability cut-offs tuned on dev

    def probabilities(self, keys: np.ndarray, n_sents: int) -> np.ndarray:
        scores = np.tile(self.intercepts.astype(np.float64), (n_sents, 1))
        if keys.size and self.feature_index.size:
            feats = keys % N_FEATURES
            sents = keys // N_FEATURES
            pos = np.searchsorted(self.feature_index, feats)
            pos[pos >= self.feature_index.size] = 0
            hit = self.feature_index[pos] == feats
            np.add.at(scores, sents[hit], self.weights[pos[hit]].astype(np.float64))
        return 1.0 / (1.0 + np.exp(-scores))

    def predict_matrix(self, keys: np.ndarray, n_sents: int) -> np.ndarray:
        """(n_sents, n_labels) booleans; a sentence with no features (all masked) gets none.

        ``keys`` may hold the sentences of many documents (``hashed_features`` over a batch):
        each sentence's score only sums its own features, so one call scores a whole batch.
        """
        on = self.probabilities(keys, n_sents) >= self.thresholds
        has_features = np.zeros(n_sents, dtype=bool)
        has_features[keys // N_FEATURES] = True
        on &= has_features[:, None]
        return on

    def predict(self, keys: np.ndarray, n_sents: int) -> list[set[str]]:
        """Labels per sentence; a sentence with no features (all masked) gets none."""
        on = self.predict_matrix(keys, n_sents)
        return [{self.labels[j] for j in np.flatnonzero(row)} for row in on]

    def save(
        self,
        folder: Path,
        settings: dict[str, object] | None = None,
        versions: dict[str, str] | None = None,
    ) -> dict[str, object]:
        """Write the model folder (``ppncheck.modelfile``); return the manifest."""
        arrays: dict[str, np.ndarray] = {
            "feature_index": self.feature_index.astype(np.int64),
            "weights": self.weights.astype(np.float32),
            "intercepts": self.intercepts.astype(np.float64),
            "thresholds": self.thresholds.astype(np.float64),
        }
        own = {
            "method": "ovr-logistic-regression/hashed-lower-uni-bigram-stem",
            "n_features": N_FEATURES,
            "labels": list(self.labels),
        }
        return write_model(
            folder, MODEL_KIND, arrays, {**own, **(settings or {})}, versions=versions
        )


def load_model(folder: Path) -> CoverageModel:
    """Load and verify (``ppncheck.modelfile``), then check the feature space and labels."""
    model = read_model(folder, MODEL_KIND)
    manifest, arrays = model.manifest, model.arrays
    if manifest.get("n_features") != N_FEATURES:
        raise ModelFileError(
            f"the {MODEL_KIND.title} model at {folder}: n_features does not match this "
            f"ppncheck's ({N_FEATURES}); retrain it with `{MODEL_KIND.train_command}`",
            MODEL_KIND.title,
        )
    labels = manifest.get("labels")
    if not isinstance(labels, list):
        labels = []
    n_labels = len(labels)
    if n_labels < 1 or any(
        arrays[name].ndim == 0 or arrays[name].shape[-1] != n_labels
        for name in ("weights", "intercepts", "thresholds")
    ):
        raise ModelFileError(
            f"the {MODEL_KIND.title} model at {folder}: its labels and arrays do not agree",
            MODEL_KIND.title,
        )
    return CoverageModel(
        labels=tuple(str(label) for label in labels),
        feature_index=arrays["feature_index"],
        weights=arrays["weights"],
        intercepts=arrays["intercepts"],
        thresholds=arrays["thresholds"],
    )


CHILD_ELEMENTS = frozenset({"appearance", "words", "activity", "relationships"})
# what may open a list item before its first word: bullets, dashes, "(c)", "3.", "ii)"
_LEAD = r"[\s\-*•:>]*(?:\(?(?:[a-hj-z]|\d{1,2}|[ivx]{1,4})[).][\s]+)?"
# \b(?:child|children|childs|girls?|boys?|baby|babies|bairns?|sons?|daughters?|toddlers?|
# infants?|young (?:person|people|males?|females?|lads?|lass|ones?)|(?:wee|little) (?:lads?|lass|
# ones?)|yp|kids?|twins?|siblings?|teenagers?|teens?|youngsters?|juveniles?|minors?|pupils?|
# weans?|lassies?|c[1-9])\b ("C1": a note's first child, "C1: Jayden FOSTER-BELL") with the
# words grouped by first letter (in order) and the boundary tested after it (``fastre``),
# searched caselessly: re skips to those letters in the lower-cased text
_CHILD_NOUN = re.compile(
    r"(?:c(?<!\wc)(?:hild|hildren|hilds|[1-9])|g(?<!\wg)irls?|b(?<!\wb)(?:oys?|aby|abies|airns?)"
    r"|s(?<!\ws)(?:ons?|iblings?)|d(?<!\wd)aughters?"
    r"|t(?<!\wt)(?:oddlers?|wins?|eenagers?|eens?|he (?:eldest|youngest|oldest|middle one))"
    r"|i(?<!\wi)nfants?"
    r"|y(?<!\wy)(?:oung (?:person|people|males?|females?|lads?|lass|ones?)|p|oungsters?)"
    r"|w(?<!\ww)(?:ee (?:lads?|lass|ones?)|eans?)|l(?<!\wl)(?:ittle (?:lads?|lass|ones?)|assies?)"
    r"|k(?<!\wk)ids?|j(?<!\wj)uveniles?|m(?<!\wm)inors?|p(?<!\wp)upils?)\b",
    re.IGNORECASE,
)
# an age under 18 said of someone in the sentence: "IP is a 16 yr old female", "aged 9"
_CHILD_AGE = re.compile(
    r"\b(?:1[0-7]|[1-9])[ \t-]*(?:(?:yrs?|years?)[ \t-]*old|y/?o)\b"
    r"|\baged[ \t]+(?:1[0-7]|[1-9])\b(?![ \t]*(?:months|weeks))",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    first_char_guard("[sht]", r"\b(?:she|he|her|him|his|they|them|their|hers)\b"), re.IGNORECASE
)
_ADULT_OPENING = re.compile(
    _LEAD + r"(?:the\s+)?(?:male|female|man|woman|mum|mother|dad|father|stepdad|stepfather|"
    r"suspect|partner|ex-partner|boyfriend|girlfriend|ip|perpetrator|parents|officers|police|"
    r"neighbour|caller)\b",
    re.IGNORECASE,
)
# a capitalised word (the note reader's letters), whole: "Lily-Mae", "O'Neill", "Ionuț"
_WORD = re.compile(rf"[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)*")
# a person's initials standing for them ("OW was awake in the lounge")
# ("TOH", "E-R" for Ellie-Rose)
_INITIALS = re.compile(r"\b[A-Z](?:-?[A-Z]){1,3}\b")
# shorthand with the subject left out ("Was walking fast w/ phone out."): about whoever the
# sentence before was about
_SUBJECTLESS = re.compile(
    _LEAD + r"(?:was|were|is|seemed|appeared|looked|sat|stood|ran|walked|came|went|kept|"
    r"got|found|seen|sitting|standing|playing|watching|lying|crying|asleep)\b",
    re.IGNORECASE,
)
# an -ing verb opening a sentence ("Building a Duplo tower on the floor and showed it to me"),
# not a preposition or noun of that shape: about the one before when that one is the child's
_ING_OPENING = re.compile(
    _LEAD + r"(?!(?:during|following|according|regarding|including|concerning|nothing|"
    r"something|anything|everything|morning|evening|housing|ceiling|bedding|clothing|parking|"
    r"meeting|hearing|wedding|being)\b)[a-z]{2,}ing\b",
    re.IGNORECASE,
)


# a sentence that names nobody ("- In school PE kit, clean, hair in bunches, no marks.") is
# about whoever the sentence before was about, like a subjectless one
_MENTIONS_ANYONE = re.compile(
    # (not the end of a hyphenated word: "Spider-Man pyjamas")
    r"\b(?<!-)(?:she|he|her|him|his|they|them|their|hers|i|we|us|me|my|mum|mother|mam|dad|"
    r"father|parents?|carers?|stepdad|stepfather|stepmum|male|female|man|woman|men|women|suspect|"
    r"partner|ex-partner|boyfriend|girlfriend|ip|dp|perpetrator|officers?|police|neighbours?|"
    r"caller|staff|teachers?|nan|gran|grandma|grandad|aunt|auntie|uncle)\b",
    re.IGNORECASE,
)


def _mentions_anyone(sentence: str) -> bool:
    return bool(_MENTIONS_ANYONE.search(sentence) or _named_inside(sentence))


def _named_inside(sentence: str) -> bool:
    """A capitalised word inside the sentence that is no part of a multi-word proper name."""
    for m in _NAME_INSIDE.finditer(sentence):
        words = sentence[: m.start()].split()
        prev = words[-1] if len(words) > 1 else ""  # (a sentence's first word is capitalised)
        prev = prev.lstrip("(\"'“‘[")  # "School uniform (Saltings Primary)"
        if prev[:1].isupper() and prev[1:2].islower():
            continue  # "North Face", "Little Acorns": the second word of a name of a thing
        if prev.lower() in ("a", "an"):
            continue  # "asked for a McDonald's", "a Costa": a thing, not a person
        return True
    return False


# a capitalised word after a lower-case one, not joined to another capitalised word ("Spider-Man
# pyjamas", "Little Acorns nursery"); a SURNAME in capitals may follow ("Kyle DEAN")
# (nor a brand before what it names: "new Nike trainers", "a Puma hoodie")
_NAME_INSIDE = re.compile(
    r"(?<=[a-z,;] )[A-Z][a-z]+(?![a-z]|-[A-Z]|[ \t]+[A-Z][a-z]|[ \t]+(?:trainers|tracksuit|"
    r"hoodie|jacket|coat|top|shoes|boots|cap|bag|joggers|trackies|shirt|t-shirt|jumper|"
    r"leggings|sliders|puffer|bottoms|shorts|socks|phone|watch|headphones)\b)"
)


# a sentence opening with one adult of a sex ("Mum Stacey HAYES (27) came back 0020"): the
# next sentence's "she"/"her" (or "he"/"his") is that adult, not a child
_ADULT_OF_SEX = {
    "f": re.compile(
        _LEAD + r"(?:the\s+)?(?:mum|mother|mam|stepmum|stepmother|female|woman|girlfriend|"
        r"nan|gran|grandma|grandmother|aunt|auntie)\b",
        re.IGNORECASE,
    ),
    "m": re.compile(
        _LEAD + r"(?:the\s+)?(?:dad|father|stepdad|stepfather|male|man|boyfriend|grandad|"
        r"grandfather|uncle)\b",
        re.IGNORECASE,
    ),
}
_PRONOUN_SEX = {"she": "f", "her": "f", "hers": "f", "he": "m", "him": "m", "his": "m"}


def _pronoun_sex(sentence: str) -> str | None:
    """ "f" or "m" when every he/she pronoun of ``sentence`` is of one sex (and it has no
    "they"), else None."""
    sexes = {_PRONOUN_SEX.get(m.group().lower()) for m in _PRONOUN.finditer(sentence)}
    return next(iter(sexes)) if len(sexes) == 1 else None


def _the_adult_before(
    sex: str | None,
    previous_text: str | None,
    adults: Callable[[], frozenset[str]] | None = None,
    children: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence before opens with one adult of the pronouns' ``sex``, or with an
    adult the note names ("The victim, Danielle FROST (28), ..."), and names no child."""
    if not previous_text or sex is None:
        return False
    if _ADULT_OF_SEX[sex].match(previous_text) is not None:
        return True
    if adults is None:
        return False
    opening = _NAME_OPENING.match(previous_text)
    if opening is None or opening.group("name") not in adults():
        return False
    # the adult's sex: a reflexive after the name ("Danielle FROST (28, describes herself
    # as ...)"); a name alone says nothing of whose "her" follows
    if _REFLEXIVE[sex].search(previous_text, opening.end()) is None:
        return False
    return not any(w in children for w in _WORD.findall(previous_text))


_REFLEXIVE = {
    "f": re.compile(r"\bherself\b", re.IGNORECASE),
    "m": re.compile(r"\bhimself\b", re.IGNORECASE),
}


# a sentence that opens with a name, after at most a role ("The victim, Danielle FROST")
_NAME_OPENING = re.compile(
    _LEAD + r"(?:(?:the[ \t]+)?(?:victim|ip|suspect|dp|aggrieved|subject|rp)[ \t]*[,:\-–]?[ \t]*)?"
    rf"(?P<name>[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)*)",
    re.IGNORECASE,
)


def with_the_child(sentence: str) -> bool:
    """A sentence that opens with an adult and goes on with someone else by pronoun ("Mum
    tried to hug him at the door, he shrugged her off"): how the adult and the child were with
    each other, evidence for Relationships though the sentence is the adult's."""
    opening = _ADULT_OPENING.match(sentence)
    return opening is not None and _PRONOUN.search(sentence, opening.end()) is not None


def about_a_child(
    sentence: str,
    child_names: frozenset[str] | Callable[[], frozenset[str]],
    previous: str | Callable[[], bool] | None = None,
    previous_text: str | None = None,
    no_child_of: Callable[[str], bool] | None = None,
    adult_names: Callable[[], frozenset[str]] | None = None,
) -> bool:
    """Whether a sentence can be about the child: A, W, A and R describe the child, so a
    sentence about adults only ("Verbal argument between parents", "Male left to stay with
    his brother") is not evidence for them.  Environment needs no child.

    ``child_names`` may be a callable so the note's names are only worked out when a sentence
    has no child noun (finding them costs several regex passes over the whole note).  A
    sentence with no subject is about whoever ``previous`` (the sentence before) is about;
    ``previous`` may be a callable giving that sentence's own answer, so a run of subjectless
    bullets ("Oversized hoodie, he said ..." / "Slumped in chair." / "Was gaming ...") all
    inherit from the last sentence that names someone.  ``previous_text`` (the sentence
    before, as written) tells whose "her" a sentence means when that sentence opens with one
    adult of the pronoun's sex.  ``no_child_of(sex)`` says the note's children are all known
    and none is of that sex ("f" or "m"): "Tonight he sat outside in his Astra" in a note
    whose one child is a daughter is about an adult."""

    def inherited() -> bool:
        if callable(previous):
            return previous()
        return previous is not None and about_a_child(previous, child_names)

    if previous is not None and _SUBJECTLESS.match(sentence):
        return inherited()
    if previous is not None and _ING_OPENING.match(sentence) and inherited():
        return True
    if caseless(_CHILD_NOUN).search(sentence) or _CHILD_AGE.search(sentence):
        return True
    words = _WORD.findall(sentence) + _INITIALS.findall(sentence)
    names = child_names() if callable(child_names) else child_names
    if any(w in names for w in words):
        return True
    if _PRONOUN.search(sentence) and not _ADULT_OPENING.match(sentence):
        # "Smelled of drink, unsteady on her feet." after "Mum Stacey came back ...": hers
        sex = _pronoun_sex(sentence)
        if sex is not None and no_child_of is not None and no_child_of(sex):
            return False  # a child's name returned True above
        if not _the_adult_before(sex, previous_text, adult_names, names) or _named_inside(sentence):
            return True
        lower = {n.lower() for n in names}  # "leon says ... him": a child named in lower case
        return any(w.lower() in lower for w in re.findall(r"[^\W\d_]+", sentence))
    if previous is not None and not _mentions_anyone(_QUOTED.sub(" ", sentence)):
        return inherited()  # (a quote's "I" and "mummy" are the speaker's words, no mention)
    if previous is not None and _an_ethnicity_alone(sentence):
        return inherited()  # "Mary-Kate WARD, 15, / Irish Traveller (W3), / was sat ...": hers
    return False


# a clause that is only an ethnicity, with or without its code: "Irish Traveller (W3),"
_ETHNICITY_CLAUSE = re.compile(
    r"[ \t]*(?P<label>[A-Z][a-z]+(?:[ \t-]+[A-Za-z][a-z]+){0,4})[ \t]*"
    r"(?:\([ \t]*[WMABO][1-9][ \t]*\))?[ \t]*[,;.]?[ \t]*"
)


def _an_ethnicity_alone(sentence: str) -> bool:
    m = _ETHNICITY_CLAUSE.fullmatch(sentence)
    if m is None:
        return False
    from ppncheck.normalise.ethnicity import ethnicity_table

    return ethnicity_table().normalise(m.group("label")) is not None


_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def lexicon_labels(
    text: str,
    sent_starts: list[int],
    cues: CueTable,
    masked: Sequence[tuple[int, int]] = (),
) -> dict[str, list[tuple[int, int]]]:
    """element -> cue match offsets, one regex pass per element over the whole text."""
    del sent_starts  # matches are located by offset; the caller maps them to sentences
    out: dict[str, list[tuple[int, int]]] = {}
    for element in AWARE_ELEMENTS:
        hits = [
            (m.start(), m.end())
            for m in cues.patterns[element].finditer(text)
            if not any(s <= m.start() < e for s, e in masked)
        ]
        if hits:
            out[element] = hits
    return out


def strong_sentence_labels(
    text: str,
    sent_starts: list[int],
    strong: StrongCueTable,
    masked: Sequence[tuple[int, int]] = (),
) -> list[set[str]]:
    """Per sentence, the elements a strong cue (``[strong]`` in aware_cues.toml) speaks to."""
    starts = sent_starts or [0]
    labels: list[set[str]] = [set() for _ in starts]
    for element, finders in strong.patterns.items():
        for finder in finders:
            for m in finder.finditer(text):
                if not any(s <= m.start() < e for s, e in masked):
                    labels[max(0, bisect_right(starts, m.start()) - 1)].add(element)
    return labels


def lexicon_sentence_labels(
    text: str, sent_starts: list[int], cues: CueTable, masked: Sequence[tuple[int, int]] = ()
) -> list[set[str]]:
    """Per sentence, the elements with at least one cue in it."""
    starts = sent_starts or [0]
    labels: list[set[str]] = [set() for _ in starts]
    for element, hits in lexicon_labels(text, starts, cues, masked).items():
        for start, _ in hits:
            labels[max(0, bisect_right(starts, start) - 1)].add(element)
    return labels
