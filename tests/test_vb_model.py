"""The shipped model: determinism and what it catches (safe loading, checksums and versions:
tests/test_modelfile.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import spacy

import ppncheck.text.victim_blaming.component  # noqa: F401
from ppncheck.resources import model_dir
from ppncheck.text.victim_blaming import hits_from_doc
from ppncheck.text.victim_blaming.classifier import clear_model_cache, load_model
from ppncheck.text.victim_blaming.train import train

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "datasets" / "victim_blaming"
NOTES = REPO / "datasets" / "notes"
SHIPPED = model_dir("victim_blaming")


def test_shipped_model_loads_without_pickle_and_has_a_manifest() -> None:
    model = load_model(SHIPPED)
    manifest = model.manifest
    assert manifest["format_version"] == 3
    assert model.frame_coef is not None and len(model.frame_coef) == len(model.coef)
    assert 0 < model.threshold < 1
    assert manifest["training_data"]["sha256_train_dev"]
    assert manifest["versions"]["scikit-learn"]


def test_a_paraphrase_no_lexicon_entry_matches_is_caught_by_the_model() -> None:
    nlp = spacy.blank("en")
    vb = nlp.add_pipe("ppn_victim_blaming")
    text = "Kirsty makes herself an easy target for the men by hanging around the bus station."
    doc = nlp(text)
    assert vb.detector.candidates(doc) == [] or all(c.entry_id for c in vb.detector.candidates(doc))
    text = "Ellis brings this on himself by going to that house every weekend."
    doc = nlp(text)
    assert vb.detector.candidates(doc) == []  # no lexicon phrase at all
    hits = hits_from_doc(doc)
    assert [h.source for h in hits] == ["model"]
    hit = hits[0]
    assert hit.score is not None and hit.threshold is not None and hit.score >= hit.threshold
    assert "sentence classifier" in hit.explanation and hit.suggestion
    assert (hit.start, hit.end) == (0, len(text))


def test_retraining_from_committed_data_reproduces_committed_metrics(tmp_path: Path) -> None:
    committed = json.loads((SHIPPED / "metrics.json").read_text())
    clear_model_cache()
    try:
        # the shipped model's command (models/victim_blaming/MODEL.md): the notes corpus's
        # training-writer sentences as extra rows, thresholds chosen on its dev writers
        metrics = train(
            DATA, tmp_path / "vb", extra=[NOTES / "vb_sentences.jsonl"], notes_dir=NOTES
        )
    finally:
        clear_model_cache()
    assert metrics == committed
    shipped_manifest = json.loads((SHIPPED / "manifest.json").read_text())
    new_manifest = json.loads((tmp_path / "vb" / "manifest.json").read_text())
    assert new_manifest["files"] == shipped_manifest["files"]  # byte-identical arrays
    # and the same thresholds, chosen the same way on the dev writers
    for key in ("threshold", "frame_threshold", "unframed_threshold", "note_threshold"):
        assert new_manifest[key] == shipped_manifest[key]


def test_fast_scoring_equals_the_training_feature_matrix() -> None:
    """The component sums cached per-token terms; training builds the sparse TF-IDF matrix.
    Both must give the same probabilities and categories."""
    import numpy as np

    from ppncheck.text.victim_blaming.classifier import tfidf

    model = load_model(SHIPPED)
    nlp = spacy.blank("en")
    texts = [
        json.loads(line)["text"]
        for line in (DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:300]
    ]
    units = [(d, 0, len(d)) for d in (nlp.make_doc(t) for t in texts)]
    fast, fast_cats = model.score_units(units)
    fz = model.featuriser
    x = tfidf(fz.counts(units), model.idf, model.n_word, fz.n_length, fz.config)
    slow, slow_cats = model.score_matrix(x)
    assert np.allclose(fast, slow, atol=1e-9)
    assert fast_cats == slow_cats
    # the blame-frame head is summed in the same pass
    from ppncheck.text.victim_blaming.classifier import word_tokens

    arrays = [d.to_array(["NORM", "IS_SPACE"]) for d, _, _ in units]
    segments = [
        (a[:, 0].astype(np.uint64), a[:, 1] == 1, s, e)
        for a, (_, s, e) in zip(arrays, units, strict=True)
    ]
    norms, rows = word_tokens(segments)
    batch = model.score_batch(norms, rows, len(units), nlp.vocab)
    frame = model.frame_matrix(x)
    assert batch.frame is not None and frame is not None
    assert np.allclose(batch.frame, frame, atol=1e-9)
    assert np.allclose(batch.prob, slow, atol=1e-9)


def test_feature_hash_is_scikit_learns_murmurhash3() -> None:
    """Scoring hashes with the murmurhash package (no scikit-learn import at run time); the
    features were defined with scikit-learn's murmurhash3_32, so the two must agree exactly."""
    import random

    from sklearn.utils import murmurhash3_32 as reference

    from ppncheck.text.victim_blaming.classifier import murmurhash3_32

    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '’-éß中😀"
    keys = [
        "",
        "w:",
        "c: a",
        "w:she",
        *("w:" + "".join(rng.choices(alphabet, k=rng.randint(1, 14))) for _ in range(3000)),
    ]
    for seed in (0, 1):
        assert [murmurhash3_32(k, seed) for k in keys] == [
            reference(k, seed=seed, positive=True) for k in keys
        ]


def test_the_model_only_thresholds_were_chosen_on_whole_notes_not_the_test_writer() -> None:
    manifest = json.loads((SHIPPED / "manifest.json").read_text())
    choice = manifest["note_threshold"]
    splits = json.loads((NOTES / "splits.json").read_text("utf-8"))["writers"]
    # the dev writers, never a held-out one
    assert choice["writers"] == sorted(w for w, split in splits.items() if split == "dev")
    assert manifest["threshold"] == choice["threshold"]
    assert manifest["unframed_threshold"] == choice["unframed_threshold"]
    assert manifest["unframed_threshold"] >= manifest["threshold"]
    assert manifest["frame_threshold"] == choice["frame_threshold"]
    # each threshold is the median choice over bootstrap resamples of the dev writers, and the
    # spread of those choices is on record beside the single-sample one
    assert choice["resamples"] >= 100
    for name in ("threshold", "frame_threshold", "unframed_threshold"):
        assert choice["choices"][name]["chosen"] == choice[name]
        assert "single_sample" in choice["choices"][name]
    # the note-level rule (precision >= 0.9, good notes flagged <= 3%) or, when no setting met
    # it on the dev writers, the nearest setting, with the loosened targets it does meet on
    # record (round 11, 51 dev writers: one step, 2.0% of good notes; README, MODEL.md)
    if choice["rule_met"]:
        assert choice["precision"] >= 0.9
        assert choice["good_flagged_share"] <= 0.03
    else:
        near = choice["choices"]["threshold"]["nearest"]
        assert near["steps"] >= 1
        assert choice["precision"] >= near["precision_at_least"]
        assert choice["good_flagged_share"] <= near["good_flagged_share_at_most"]


def test_the_dev_writers_sentences_train_the_model_but_their_notes_are_scored_out_of_fold() -> None:
    # issue 14: negatives from the whole notes of every writer but the held-out ones; the dev
    # writers still choose the thresholds, each scored by the model refitted without them
    manifest = json.loads((SHIPPED / "manifest.json").read_text())
    splits = json.loads((NOTES / "splits.json").read_text("utf-8"))["writers"]
    rows = [json.loads(line) for line in (NOTES / "vb_sentences.jsonl").open(encoding="utf-8")]
    writers = {row["writer"] for row in rows}
    assert writers == {w for w, split in splits.items() if split in ("train", "dev")}
    dev = sorted(w for w, split in splits.items() if split == "dev")
    assert manifest["note_threshold"]["writers_scored_out_of_fold"] == dev


def test_a_fact_dense_introduction_is_not_flagged_by_the_model() -> None:
    """Issue 14's examples: plain facts about a victim are no blame frame, so a model-only hit
    needs the stricter threshold there, which these do not reach."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ppn_victim_blaming")
    for text in (
        "Jayden R. (DOB 03/05/2009, 15), who self-defines as Black Caribbean (B1), was punched "
        "and kicked by three youths outside the bus station at 22:10 on 04/11/2024.",
        "IP Donna W. (DOB 11/09/1990) assaulted by partner Craig H., punch to the face.",
    ):
        assert hits_from_doc(nlp(text)) == []


def test_the_frame_classifier_widens_the_frame_beyond_the_cues() -> None:
    """A blaming paraphrase with no blame-frame cue reaches the in-frame threshold through the
    frame classifier, and its explanation states the frame score and threshold it met; a plain
    fact outside the cues stays outside the frame."""
    nlp = spacy.blank("en")
    vb = nlp.add_pipe("ppn_victim_blaming")
    detector = vb.detector
    assert detector.frame_threshold is not None
    text = "Kayla knows exactly what goes on at that house and still turns up there every weekend."
    doc = nlp(text)
    assert detector.candidates(doc) == []
    [result] = detector.detect([doc], full_context=True)
    [sentence] = result.sentences
    assert not sentence.framed  # no cue of the context file
    assert sentence.frame_prob is not None and sentence.in_frame(detector.frame_threshold)
    hits = hits_from_doc(doc)
    assert [h.source for h in hits] == ["model"]
    assert hits[0].threshold == detector.threshold
    assert f"frame threshold {detector.frame_threshold:.2f}" in hits[0].explanation
    fact = nlp("The flat is above a takeaway on Mill Lane and is noisy late into the night.")
    [fact_result] = detector.detect([fact], full_context=True)
    assert not fact_result.sentences[0].in_frame(detector.frame_threshold)
    assert hits_from_doc(fact) == []


def test_the_vectorised_decision_equals_each_sentences_own() -> None:
    """The threshold search decides every sentence at once (``_Sentences.flagged``); it must
    agree with ``SentenceResult.decide`` for every setting, or the search chooses for a
    detector that does not exist."""
    import itertools

    from ppncheck.text.victim_blaming.detector import DocResult, SentenceResult
    from ppncheck.text.victim_blaming.train import _Sentences

    flags = (True, False)
    docs = []
    for kept, weak, eligible, framed in itertools.product(flags, flags, flags, flags):
        for prob, frame in ((None, None), (0.2, None), (0.5, 0.3), (0.95, 0.8)):
            s = SentenceResult(0, 1, prob, None, kept, eligible, (), weak, framed, frame)
            docs.append(DocResult(sentences=[s]))
    table = _Sentences.of(docs)
    for t, u, f in itertools.product((0.3, 0.49, 0.9), (None, 0.6, 0.99), (None, 0.25, 0.5)):
        expected = [any(s.decide(t, 0.3, u, f) for s in d.sentences) for d in docs]
        assert table.flagged(t, 0.3, u, f).tolist() == expected


def test_with_the_rule_loosened_recall_is_given_up_before_precision() -> None:
    from ppncheck.text.victim_blaming.train import best_setting

    # three settings over 100 gold notes and 1,000 good ones: the first has the best recall but
    # flags 3.4% of good notes, the second flags 2.0% at precision 0.89, the third 3.1%
    tp, fp, flagged = np.array([96, 89, 80]), np.array([10, 11, 5]), np.array([34, 20, 31])
    sentence = np.full(3, 0.95)
    # none meets the rule itself (precision >= 0.9 and <= 3% of good notes)
    assert best_setting(tp, fp, flagged, 1000, 100, sentence) == 3
    # one step loosened (precision >= 0.89, <= 3.5%): all three hold, and the one that flags
    # the fewest good notes is taken, not the one with the highest recall
    assert best_setting(tp, fp, flagged, 1000, 100, sentence, slack=1) == 1
    # unloosened, among settings that hold the highest recall is taken
    assert best_setting(tp, np.array([8, 9, 5]), np.array([25, 20, 30]), 1000, 100, sentence) == 0
