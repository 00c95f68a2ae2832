"""The victim-blaming matchers shipped compiled (``data/compiled/vb_matchers.json``): the
file is what compiling the shipped sources gives, it is used only when its key matches, and a
force's extra lexicon is compiled on top of it as before."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ppncheck import precompiled
from ppncheck.text.victim_blaming import compiled
from ppncheck.text.victim_blaming.context import load_context_rules
from ppncheck.text.victim_blaming.lexicon import load_lexicon
from ppncheck.text.victim_blaming.patterns import PatternSet, make_tokenise

REGENERATE = precompiled.REGENERATE


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.blank("en")


def test_the_shipped_file_is_what_the_shipped_sources_compile_to(nlp) -> None:
    tokenise = make_tokenise(nlp.tokenizer)
    lexicon, rules = load_lexicon(), load_context_rules()
    key = compiled.cache_key(lexicon, rules, tokenise)
    assert key is not None
    shipped = precompiled.read_compiled(compiled.COMPILED_NAME, key)
    assert shipped is not None, (
        f"victim_blaming.toml, vb_context.toml or patterns.py changed: run {REGENERATE}"
    )
    matcher, cues = compiled.compile_matchers(nlp.vocab, lexicon, rules, tokenise)
    assert shipped["lexicon"] == _as_json(matcher.to_data())
    assert shipped["cues"] == _as_json(cues.to_data())


def test_loaded_tables_match_as_compiled_ones_do(nlp) -> None:
    tokenise = make_tokenise(nlp.tokenizer)
    lexicon, rules = load_lexicon(), load_context_rules()
    loaded, _ = compiled.load_matchers(nlp.vocab, lexicon, rules, tokenise)
    fresh, _ = compiled.compile_matchers(nlp.vocab, lexicon, rules, tokenise)
    doc = nlp(
        "She put herself at risk and keeps going back to him. He says she chose to stay; "
        "she was selling herself for vodka, N.Y. style."
    )
    assert loaded(doc) == fresh(doc)
    assert {k for k, _, _ in loaded(doc)} >= {"VB-DOM-001", "VB-SEX-002"}


def test_a_force_file_is_compiled_on_top_of_the_shipped_tables(nlp, tmp_path: Path) -> None:
    extra = tmp_path / "force.toml"
    extra.write_text(
        'format = 1\n[[entries]]\nid = "NYP-001"\ncategory = "adultification"\n'
        'patterns = ["{little|tiny} adult", "put herself at risk"]\n'
        'unless = ["little adult size"]\n'
    )
    tokenise = make_tokenise(nlp.tokenizer)
    lexicon, rules = load_lexicon([extra]), load_context_rules()
    loaded, _ = compiled.load_matchers(nlp.vocab, lexicon, rules, tokenise, (str(extra),))
    fresh, _ = compiled.compile_matchers(nlp.vocab, lexicon, rules, tokenise, (str(extra),))
    assert loaded.to_data() == fresh.to_data()
    doc = nlp("She is a tiny adult who put herself at risk.")
    found = [(k, doc[s:e].text) for k, s, e in loaded(doc)]
    assert ("NYP-001", "tiny adult") in found
    # a variant two entries share is matched for both, the earlier entry first
    shared = [k for k, text in found if text == "put herself at risk"]
    assert shared[-1] == "NYP-001" and len(shared) == 2


def test_a_tokenizer_that_cannot_say_what_it_does_gets_freshly_compiled_tables(nlp) -> None:
    lexicon, rules = load_lexicon(), load_context_rules()

    def tokenise(text: str) -> list[str]:  # a plain function: no fingerprint
        return [t.norm_ for t in nlp.tokenizer(text) if not t.is_space]

    assert compiled.cache_key(lexicon, rules, tokenise) is None
    loaded, _ = compiled.load_matchers(nlp.vocab, lexicon, rules, tokenise)
    key = compiled.cache_key(lexicon, rules, make_tokenise(nlp.tokenizer))
    assert key is not None
    shipped = precompiled.read_compiled(compiled.COMPILED_NAME, key)
    assert shipped is not None
    assert _as_json(loaded.to_data()) == shipped["lexicon"]


def test_a_different_tokenizer_changes_the_key(nlp) -> None:
    lexicon, rules = load_lexicon(), load_context_rules()
    other = spacy.blank("en")
    other.tokenizer.add_special_case("herself", [{"ORTH": "her"}, {"ORTH": "self"}])
    ours = compiled.cache_key(lexicon, rules, make_tokenise(nlp.tokenizer))
    theirs = compiled.cache_key(lexicon, rules, make_tokenise(other.tokenizer))
    assert ours is not None and theirs is not None and ours != theirs


def test_words_whose_norm_holds_a_space_match_as_the_phrase_matcher_does() -> None:
    """Variants are kept as norms joined by spaces, and a token's norm may hold one ("nyc"
    read as "new york" here, as spaCy reads "N.Y." as "New York"): such a token never joins
    into a longer variant, and a variant of such words still matches."""
    nlp = spacy.blank("en")
    nlp.tokenizer.add_special_case("nyc", [{"ORTH": "nyc", "NORM": "new york"}])
    variants = [("the", "new", "york", "police"), ("the", "city", "police"), ("york",)]
    patterns = PatternSet(nlp.vocab)
    patterns.add("LIT", variants)
    spaced = PatternSet(nlp.vocab)  # a pattern word whose norm holds a space
    spaced.add("SPACED", [[{"NORM": "new york"}, {"NORM": "police"}]])
    reference = PhraseMatcher(nlp.vocab, attr="NORM")
    reference.add("LIT", [Doc(nlp.vocab, words=list(v)) for v in variants])
    doc = nlp("the nyc police, the new york police and The New York police in York.")
    assert sorted((s, e) for _, s, e in patterns(doc)) == sorted(
        (s, e) for _, s, e in reference(doc)
    )
    assert [doc[s:e].text for _, s, e in patterns(doc)][:1] == ["the new york police"]
    assert [doc[s:e].text for _, s, e in spaced(doc)] == ["nyc police"]


def _as_json(data: dict) -> dict:
    import json

    return json.loads(json.dumps(data, ensure_ascii=False))


def test_lookups_and_the_phrase_matcher_give_the_same_matches_in_the_same_order(nlp) -> None:
    """A ``PatternSet`` looks variants up in its table until it has seen
    ``PHRASE_MATCHER_AFTER`` tokens, then fills spaCy's ``PhraseMatcher``: the matches, and
    their order (start, end, the earlier key first), are the same either way."""
    import json

    texts = [
        json.loads(line)["text"]
        for line in (Path(__file__).parents[1] / "datasets" / "victim_blaming" / "dev.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    texts.append("She chose to stay; she sold herself, he says, and keeps going back to him.")
    lexicon, rules = load_lexicon(), load_context_rules()
    tokenise = make_tokenise(nlp.tokenizer)
    looked_up, cues_looked_up = compiled.load_matchers(nlp.vocab, lexicon, rules, tokenise)
    looked_up.PHRASE_MATCHER_AFTER = cues_looked_up.PHRASE_MATCHER_AFTER = 10**12
    filled, cues_filled = compiled.load_matchers(nlp.vocab, lexicon, rules, tokenise)
    filled.PHRASE_MATCHER_AFTER = cues_filled.PHRASE_MATCHER_AFTER = 0
    docs = list(nlp.pipe(texts))
    ours = [looked_up(doc) for doc in docs]
    assert [filled(doc) for doc in docs] == ours
    assert [cues_filled(doc) for doc in docs] == [cues_looked_up(doc) for doc in docs]
    assert filled._phrase_matcher is not None and looked_up._phrase_matcher is None
    assert sum(map(len, ours)) > 200
    shared = [k for k, s, e in ours[-1] if docs[-1][s:e].text == "chose to stay"]
    assert shared == ["VB-CHO-003", "VB-DOM-001"]  # the earlier entry first

    fresh, _ = compiled.load_matchers(nlp.vocab, lexicon, rules, tokenise)
    fresh.PHRASE_MATCHER_AFTER = len(docs[0]) + len(docs[1])
    fresh(docs[0])
    fresh(docs[1])
    assert fresh._phrase_matcher is None
    assert fresh(docs[2]) == ours[2] and fresh._phrase_matcher is not None
