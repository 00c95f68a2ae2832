"""Speed of the victim-blaming model and component (a benchmark, not a test).

Run:  /work/venv/bin/python benchmarks/bench_vb_model.py
Measures, on one core:
  1. model load time (checksum verification + arrays), cold, best of 5;
  2. classifier throughput in sentences/s, scoring pre-tokenised sentences in batches of 1,000;
  3. the component's cost in a pipeline: spacy.blank("en") + sentencizer, with and without
     ppn_victim_blaming, over notes of 8 corpus sentences each (target: with >= 1/4 of without).
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import spacy

import ppncheck.text.victim_blaming.component  # noqa: F401
from ppncheck.resources import model_dir
from ppncheck.text.victim_blaming.classifier import clear_model_cache, load_model

DATA = Path(__file__).resolve().parents[1] / "datasets" / "victim_blaming"


def _sentences() -> list[str]:
    texts = []
    for split in ("train", "dev", "test"):
        with (DATA / f"{split}.jsonl").open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def main() -> None:
    folder = model_dir("victim_blaming")
    loads = []
    for _ in range(5):
        clear_model_cache()
        t = time.perf_counter()
        load_model(folder)
        loads.append(time.perf_counter() - t)
    print(f"model load (verify sha256 + read arrays): best {min(loads) * 1000:.1f} ms, "
          f"worst {max(loads) * 1000:.1f} ms")

    sentences = _sentences()
    model = load_model(folder)
    nlp = spacy.blank("en")
    docs = [nlp.make_doc(s) for s in sentences] * 4
    n = len(docs)
    model.score_units([(d, 0, len(d)) for d in docs[:1000]])  # warm the token cache
    t = time.perf_counter()
    for i in range(0, n, 1000):
        model.score_units([(d, 0, len(d)) for d in docs[i : i + 1000]])
    dt = time.perf_counter() - t
    print(f"classifier: {n} sentences in {dt:.2f} s = {n / dt:,.0f} sentences/s (batches of 1,000)")

    rng = random.Random(7)
    notes = [" ".join(rng.sample(sentences, 8)) for _ in range(2000)]
    base = spacy.blank("en")
    base.add_pipe("sentencizer")
    full = spacy.blank("en")
    full.add_pipe("sentencizer")
    full.add_pipe("ppn_victim_blaming")
    for nlp_ in (base, full):  # warm-up
        list(nlp_.pipe(notes[:200]))
    timings = {}
    for name, nlp_ in (("blank+sentencizer", base), ("+ppn_victim_blaming", full)):
        t = time.perf_counter()
        n_tok = sum(len(d) for d in nlp_.pipe(notes, batch_size=256))
        timings[name] = time.perf_counter() - t
        print(f"{name:<22} {len(notes)} notes ({n_tok:,} tokens) in {timings[name]:.2f} s "
              f"= {len(notes) / timings[name]:,.0f} notes/s")
    ratio = timings["blank+sentencizer"] / timings["+ppn_victim_blaming"]
    print(f"speed with the component / without: {ratio:.2f} (target >= 0.25)")


if __name__ == "__main__":
    main()
