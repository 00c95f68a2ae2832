"""The victim-blaming lexicon: validation on load, the compact pattern syntax, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from ppncheck.resources import DataFileError
from ppncheck.rules.victim_blaming import CATEGORY_LABELS
from ppncheck.text.victim_blaming.lexicon import load_lexicon
from ppncheck.text.victim_blaming.patterns import (
    PatternError,
    collapse,
    compile_pattern,
    make_tokenise,
)

# The ten categories of shared/domain.md, as the VB001 rule names them for officers.
CATEGORIES = set(CATEGORY_LABELS)


@pytest.fixture(scope="module")
def tokenise():
    return make_tokenise(spacy.blank("en").tokenizer)


def test_builtin_lexicon_covers_every_category_with_why_and_alternatives() -> None:
    lex = load_lexicon()
    assert set(lex.categories) == CATEGORIES
    used = {e.category for e in lex.entries.values()}
    assert used == CATEGORIES
    for cat in lex.categories.values():
        assert len(cat.why) > 40 and cat.alternatives


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    extra = tmp_path / "force.toml"
    extra.write_text(
        'format = 1\n[[entries]]\nid = "NYP-001"\ncategory = "adultification"\n'
        'patterns = ["little adult"]\nseverity = "high"\n'
    )
    with pytest.raises(DataFileError) as err:
        load_lexicon([extra])
    assert "severity" in str(err.value)


def test_unknown_category_and_duplicate_id_are_reported_together(tmp_path: Path) -> None:
    extra = tmp_path / "force.toml"
    extra.write_text(
        'format = 1\n[[entries]]\nid = "VB-RSK-001"\ncategory = "adultification"\n'
        'patterns = ["x"]\n'
        '[[entries]]\nid = "NYP-002"\ncategory = "no_such"\npatterns = ["y"]\n'
    )
    with pytest.raises(DataFileError) as err:
        load_lexicon([extra])
    assert len(err.value.problems) == 2


def test_a_force_file_adds_entries(tmp_path: Path) -> None:
    extra = tmp_path / "force.toml"
    extra.write_text(
        'format = 1\n[[entries]]\nid = "NYP-001"\ncategory = "adultification"\n'
        'patterns = ["{little|tiny} adult"]\nalternative = "Say child."\n'
    )
    lex = load_lexicon([extra])
    assert lex.alternative("NYP-001") == "Say child."
    assert lex.why("NYP-001") == lex.categories["adultification"].why


def test_compact_syntax_expands_inflections_and_contractions(tokenise) -> None:
    pats = compile_pattern("{put|puts|placing} {herself|himself} at risk", tokenise)
    assert len(pats) == 6
    assert [{"NORM": "placing"}, {"NORM": "himself"}, {"NORM": "at"}, {"NORM": "risk"}] in pats
    # "won't" is tokenised like a note: two tokens with the norms "will" and "not"
    assert compile_pattern("won't leave", tokenise) == [
        [{"NORM": "will"}, {"NORM": "not"}, {"NORM": "leave"}]
    ]
    assert len(compile_pattern("{the suspect|he} said?", tokenise)) == 4
    assert compile_pattern("aged <16-17>", tokenise) == [
        [{"NORM": "aged"}, {"NORM": "16"}],
        [{"NORM": "aged"}, {"NORM": "17"}],
    ]
    # wildcard variants are merged back into IN sets for the token Matcher
    merged = collapse(compile_pattern("{claims|insists} ~ {hit|pushed}", tokenise))
    assert merged == [
        [{"NORM": {"IN": ["claims", "insists"]}}, {}, {"NORM": {"IN": ["hit", "pushed"]}}]
    ]


@pytest.mark.parametrize("bad", ["{a|b", "{a||b} c", "/[unclosed/ x"])
def test_bad_patterns_fail_clearly(bad: str, tokenise) -> None:
    with pytest.raises(PatternError):
        compile_pattern(bad, tokenise)


def test_pattern_set_matches_wildcards_and_literals_once_per_doc(tokenise) -> None:
    from ppncheck.text.victim_blaming.patterns import PatternSet, compile_many

    nlp = spacy.blank("en")
    ps = PatternSet(nlp.vocab)
    ps.add("WILD", compile_many(["{claims|insists} {that}? ~ ~? {hit|pushed}"], tokenise))
    ps.add("LIT", compile_many(["{put|puts} herself at risk"], tokenise))
    doc = nlp("She claims that he pushed her. She claims he hit her. She puts herself at risk.")
    found = sorted((k, doc[s:e].text) for k, s, e in ps(doc))
    assert found == [
        ("LIT", "puts herself at risk"),
        ("WILD", "claims he hit"),
        ("WILD", "claims that he pushed"),
    ]


def test_literal_variants_match_as_pattern_docs_of_their_words_would() -> None:
    """``PatternSet`` gives the PhraseMatcher each literal variant as its NORM hashes rather
    than as a Doc: the matches must be those of a matcher built from Docs of the same words,
    including words whose norm is not their text ("Because" is "because")."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from ppncheck.text.victim_blaming.patterns import PatternSet

    nlp = spacy.blank("en")
    variants = [("Because", "he"), ("cos", "she"), ("did", "not"), ("puts", "herself"), ("wo",)]
    patterns = PatternSet(nlp.vocab)
    patterns.add("LIT", variants)
    reference = PhraseMatcher(nlp.vocab, attr="NORM")
    reference.add("LIT", [Doc(nlp.vocab, words=list(v)) for v in variants])
    doc = nlp("Cos she didn't come, cos he won't go, because he puts herself first.")
    found = sorted((s, e) for _, s, e in patterns(doc))
    assert found == sorted((s, e) for _, s, e in reference(doc))
    assert [doc[s:e].text for s, e in found] == ["Cos she", "because he", "puts herself"]


def test_shipped_lexicon_matches_as_pattern_docs_would() -> None:
    """The same, for every literal variant of the shipped lexicon, over the dev sentences."""
    import json

    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from ppncheck.text.victim_blaming.detector import compiled_lexicon
    from ppncheck.text.victim_blaming.patterns import PatternSet

    nlp = spacy.blank("en")
    compiled = compiled_lexicon(load_lexicon(), make_tokenise(nlp.tokenizer), ())
    patterns = PatternSet(nlp.vocab)
    reference = PhraseMatcher(nlp.vocab, attr="NORM")
    for key, (variants, _unless) in compiled.items():
        literal = [v for v in variants if isinstance(v, tuple)]
        patterns.add(key, literal)
        reference.add(key, [Doc(nlp.vocab, words=list(v)) for v in literal])
    dev = Path(__file__).parents[1] / "datasets" / "victim_blaming" / "dev.jsonl"
    texts = [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()]
    strings = nlp.vocab.strings
    ours, theirs = set(), set()
    for i, doc in enumerate(nlp.pipe(texts)):
        ours.update((i, key, s, e) for key, s, e in patterns(doc))
        theirs.update((i, strings[key], s, e) for key, s, e in reference(doc))
    assert len(theirs) > 200
    assert ours == theirs


def test_no_entry_fires_on_its_own_false_positive_examples() -> None:
    # each entry's `false_positives` are sentences it must not flag (the note in brackets says
    # why); the context cues or the entry's own `unless` patterns must hold them back
    import tomllib

    import ppncheck
    from ppncheck.resources import data_path

    entries = tomllib.loads(data_path("victim_blaming.toml").read_text("utf-8"))["entries"]
    fired = []
    for entry in entries:
        for example in entry.get("false_positives", []):
            text = example.split(" (")[0]
            for f in ppncheck.check(text).findings:
                if f.rule_id == "VB001" and (f.details or {}).get("entry_id") == entry["id"]:
                    fired.append((entry["id"], text))
    assert fired == []
