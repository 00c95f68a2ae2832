"""Plain result types of the text layer.

The spaCy components write spans onto a ``Doc``; ``analyse_texts`` turns each ``Doc`` into a
``TextAnalysis`` (or, for texts that need no AWARE coverage, builds the same ``TextAnalysis``
from the components' finders directly) so that the rules in ``ppncheck.rules`` never touch
spaCy objects.  All offsets are character offsets into the analysed text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the relation of a mention like "another girl": a child besides the note's own (CHD001)
ANOTHER_CHILD_RELATION = "another child"
SCHOOL_YEAR_RELATION = "pupil"  # a child named by a school year ("a Year 8 girl"), aged by it

AWARE_ELEMENTS: tuple[str, ...] = (
    "appearance",
    "words",
    "activity",
    "relationships",
    "environment",
)


@dataclass(frozen=True)
class TextSpan:
    start: int
    end: int
    label: str
    source: str  # "heading", "lexicon", "model", "pattern" ...


@dataclass(frozen=True)
class Heading:
    """An AWARE heading and the body of the section it opens."""

    element: str
    start: int
    end: int
    body_start: int
    body_end: int


@dataclass(frozen=True)
class PlaceholderVerdict:
    """Why a piece of text says nothing: a listed placeholder form or too little substance."""

    kind: str  # "placeholder" or "thin"
    matched: str | None
    content_words: int


@dataclass(frozen=True)
class ChildMention:
    start: int
    end: int
    kind: str  # "named", "relation", "baby", "age_phrase" ...
    name: str | None = None
    age: int | None = None
    relation: str | None = None  # "brother", "baby", "friend" ... when the mention names one
    count: int = 1  # "her two younger brothers" -> 2


@dataclass(frozen=True)
class LabelledLine:
    """A ``Key: value`` line of a free-text note; offsets are the value's."""

    key: str  # "name", "dob", "age", "ethnicity", "sex"
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class VBHit:
    """One victim-blaming candidate that survived context checks."""

    start: int
    end: int
    category: str
    entry_id: str | None
    score: float | None
    threshold: float | None
    source: str  # "lexicon", "model" or "lexicon+model"
    cues: tuple[str, ...]
    explanation: str
    suggestion: str


@dataclass
class TextAnalysis:
    text_length: int
    headings: list[Heading] = field(default_factory=list)
    aware_evidence: dict[str, list[TextSpan]] = field(default_factory=dict)
    placeholder: PlaceholderVerdict | None = None
    section_placeholders: dict[str, PlaceholderVerdict] = field(default_factory=dict)
    child_speech: list[TextSpan] = field(default_factory=list)
    no_speech_reasons: list[TextSpan] = field(default_factory=list)
    child_mentions: list[ChildMention] = field(default_factory=list)
    labelled: list[LabelledLine] = field(default_factory=list)
    victim_blaming: list[VBHit] = field(default_factory=list)
    # The pipeline components that ran on this text; a field a skipped component fills is empty.
    components: tuple[str, ...] = ()
