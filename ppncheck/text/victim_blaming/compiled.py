"""The victim-blaming matchers, compiled ahead of time and shipped in the package.

Expanding the compact patterns of the lexicon and the context cues into some 36,000 variants
took about 0.4 s of CPU, most of what building the pipeline cost.  What they expand to
depends only on the pattern sources (``victim_blaming.toml``, ``vb_context.toml``), the code
that expands them (``patterns.py``) and the tokenizer that gives each literal its norms, so
the finished ``PatternSet`` tables are written once to ``data/compiled/victim_blaming.json``
(plain JSON, never pickle) and loaded from there when the key of those inputs matches.  When
anything differs (an edited lexicon, another spaCy version, a user's own tokenizer), the
patterns are compiled at load as before: the result is the same, only slower.  Nothing is
written at run time.  A force's extra lexicon files are compiled at load, after the shipped
entries, as before.

After changing ``victim_blaming.toml``, ``vb_context.toml`` or ``patterns.py``, write the file
again (``tests/test_vb_compiled.py`` fails until it is)::

    python -m ppncheck.text.victim_blaming.compiled
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from spacy.vocab import Vocab

from ppncheck.resources import data_path
from ppncheck.text.victim_blaming.context import add_cue_patterns, cue_sources
from ppncheck.text.victim_blaming.detector import _UNLESS, compiled_lexicon
from ppncheck.text.victim_blaming.lexicon import BUILTIN_FILE, Lexicon
from ppncheck.text.victim_blaming.patterns import PatternSet, Tokenise

FORMAT = 1
COMPILED_FILE = "compiled/victim_blaming.json"


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
    payload = json.dumps(
        [FORMAT, tokenizer, hashlib.sha256(compiler).hexdigest(), entries, cue_sources(rules)],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
def _read(path: Path) -> dict[str, Any] | None:
    """The compiled file, parsed once per process (its tables are shared: read, never change;
    ``PatternSet.from_data`` copies what it may extend)."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


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
    data = _read(data_path(COMPILED_FILE)) if key is not None else None
    if data is None or data.get("key") != key:
        return compile_matchers(vocab, lexicon, rules, tokenise, extra_files)
    matcher = PatternSet.from_data(vocab, data["lexicon"])
    cues = PatternSet.from_data(vocab, data["cues"])
    builtin = set(builtin_entries(lexicon))
    extra = [i for i in lexicon.entries if i not in builtin]
    if extra:
        _add(matcher, lexicon.compile(tokenise, only=extra), extra)
    return matcher, cues


def write_compiled(path: Path | None = None) -> Path:
    """Compile the shipped lexicon and cues with ``spacy.blank("en")``'s tokenizer and write
    the tables (sorted keys, one line: the file is data, rebuilt, never edited by hand)."""
    import spacy

    from ppncheck.text.victim_blaming.context import load_context_rules
    from ppncheck.text.victim_blaming.lexicon import load_lexicon
    from ppncheck.text.victim_blaming.patterns import make_tokenise

    nlp = spacy.blank("en")
    tokenise = make_tokenise(nlp.tokenizer)
    lexicon, rules = load_lexicon(), load_context_rules()
    matcher, cues = compile_matchers(nlp.vocab, lexicon, rules, tokenise)
    data = {
        "format": FORMAT,
        "about": "Generated by python -m ppncheck.text.victim_blaming.compiled; do not edit.",
        "spacy": spacy.__version__,
        "key": cache_key(lexicon, rules, tokenise),
        "lexicon": matcher.to_data(),
        "cues": cues.to_data(),
    }
    target = path or data_path(COMPILED_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    target.write_text(text + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(f"written {write_compiled()}")
