"""The victim-blaming matchers, compiled ahead of time and shipped in the package.

Expanding the compact patterns of the lexicon and the context cues into some 36,000 variants
took about 0.4 s of CPU, most of what building the pipeline cost.  What they expand to
depends only on the pattern sources (``victim_blaming.toml``, ``vb_context.toml``), the code
that expands them (``patterns.py``) and the tokenizer that gives each literal its norms, so
the finished ``PatternSet`` tables are written to ``data/compiled/vb_matchers.json`` with
``python -m ppncheck.precompiled`` (plain JSON, never pickle) and loaded from there when the
key of those inputs matches.  When anything differs (an edited lexicon, another spaCy
version, a user's own tokenizer), the patterns are compiled at load as before: the result is
the same, only slower.  A force's extra lexicon files are compiled at load, after the
shipped entries, as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from spacy.vocab import Vocab

from ppncheck import precompiled
from ppncheck.resources import data_path
from ppncheck.text.victim_blaming.context import add_cue_patterns, cue_sources
from ppncheck.text.victim_blaming.detector import _UNLESS, compiled_lexicon
from ppncheck.text.victim_blaming.lexicon import BUILTIN_FILE, Lexicon
from ppncheck.text.victim_blaming.patterns import PatternSet, Tokenise

COMPILED_NAME = "vb_matchers"  # data/compiled/vb_matchers.json


def builtin_entries(lexicon: Lexicon) -> list[str]:
    """Ids of the lexicon's entries from the shipped file (a force's files come after)."""
    builtin = str(data_path(BUILTIN_FILE))
    return [e.id for e in lexicon.entries.values() if e.source == builtin]


def _add(
    matcher: PatternSet, compiled: dict[str, tuple[Any, Any]], entry_ids: Sequence[str]
) -> None:
    """Add these entries' compiled patterns in order (each ``unless`` under its own key)."""
    for entry_id in entry_ids:
        patterns, unless = compiled[entry_id]
        matcher.add(entry_id, patterns)
        if unless:
            matcher.add(entry_id + _UNLESS, unless)


def cache_key(lexicon: Lexicon, rules: dict[str, Any], tokenise: Tokenise) -> str | None:
    """A digest of everything the compiled tables depend on, or None when the tokenizer
    cannot say what decides its norms (then compiled tables are never reused)."""
    fingerprint = getattr(tokenise, "fingerprint", None)
    tokenizer = fingerprint() if callable(fingerprint) else None
    if tokenizer is None:
        return None
    compiler = Path(__file__).with_name("patterns.py").read_bytes()
    entries = [
        [e.id, list(e.patterns), list(e.unless)]
        for e in (lexicon.entries[i] for i in builtin_entries(lexicon))
    ]
    sources = json.dumps([entries, cue_sources(rules)], ensure_ascii=False)
    return precompiled.digest(tokenizer, compiler, sources)


def compile_matchers(
    vocab: Vocab,
    lexicon: Lexicon,
    rules: dict[str, Any],
    tokenise: Tokenise,
    extra_files: tuple[str, ...] = (),
) -> tuple[PatternSet, PatternSet]:
    """The lexicon matcher (every entry of ``lexicon``, which holds ``extra_files``) and the
    cue matcher, compiled from their sources (the expansions are kept once per process)."""
    matcher = PatternSet(vocab)
    _add(matcher, compiled_lexicon(lexicon, tokenise, extra_files), list(lexicon.entries))
    cues = PatternSet(vocab)
    add_cue_patterns(cues, rules, tokenise)
    return matcher, cues


@cache
def _shipped(key: str) -> dict[str, Any] | None:
    """The compiled tables, read once per process (shared: ``PatternSet.from_data`` copies
    what it may extend)."""
    data = precompiled.read_compiled(COMPILED_NAME, key)
    return data if isinstance(data, dict) else None


def load_matchers(
    vocab: Vocab,
    lexicon: Lexicon,
    rules: dict[str, Any],
    tokenise: Tokenise,
    extra_files: tuple[str, ...] = (),
) -> tuple[PatternSet, PatternSet]:
    """The lexicon matcher (the shipped entries, then those of a force's ``extra_files``) and
    the cue matcher: from the compiled file when its key matches, else compiled here."""
    key = cache_key(lexicon, rules, tokenise)
    data = _shipped(key) if key is not None else None
    if data is None:
        return compile_matchers(vocab, lexicon, rules, tokenise, extra_files)
    matcher = PatternSet.from_data(vocab, data["lexicon"])
    cues = PatternSet.from_data(vocab, data["cues"])
    builtin = set(builtin_entries(lexicon))
    extra = [i for i in lexicon.entries if i not in builtin]
    if extra:
        _add(matcher, lexicon.compile(tokenise, only=extra), extra)
    return matcher, cues


def write_compiled_matchers() -> Path:
    """Compile the shipped lexicon and cues with ``spacy.blank("en")``'s tokenizer and write
    the tables (``python -m ppncheck.precompiled`` writes them with the other compiled data)."""
    import spacy

    from ppncheck.text.victim_blaming.context import load_context_rules
    from ppncheck.text.victim_blaming.lexicon import load_lexicon
    from ppncheck.text.victim_blaming.patterns import make_tokenise

    nlp = spacy.blank("en")
    tokenise = make_tokenise(nlp.tokenizer)
    lexicon, rules = load_lexicon(), load_context_rules()
    matcher, cues = compile_matchers(nlp.vocab, lexicon, rules, tokenise)
    key = cache_key(lexicon, rules, tokenise)
    assert key is not None
    data = {"spacy": spacy.__version__, "lexicon": matcher.to_data(), "cues": cues.to_data()}
    return precompiled.write_compiled(COMPILED_NAME, key, data)
