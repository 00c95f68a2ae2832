"""Speed of the victim-blaming model and component (a benchmark, not a test).

Run:  /work/venv/bin/python benchmarks/bench_vb_model.py [--records 2000] [--repeat 3]
Measures, on one core (best of ``--repeat`` runs, so a busy machine disturbs it less):
  1. model load time (checksum verification + arrays), cold, best of 5;
  2. classifier throughput in sentences/s, scoring pre-tokenised sentences in batches of 1,000;
  3. the component's cost in a pipeline: spacy.blank("en") + sentencizer, with and without
     ppn_victim_blaming, over the same texts in the same run, on three workloads:
       - realistic record fields: every circumstances / rationale / AWARE field of
         ``ppncheck_dev.synthetic.generate_records`` (short texts: per-doc overhead dominates);
       - realistic whole notes: those fields of one record joined into one text;
       - corpus notes: 8 random corpus sentences per note (40% of them blaming, so context
         checks run far more often than on real notes).
     The figure reported is the component's added cost as a multiple of the bare pass
     (target: well under 2x) and the speed ratio with / without (issue 5 wants the whole
     ppncheck check, of which this is one component, at >= 0.25).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import spacy

import ppncheck.text.victim_blaming.component  # noqa: F401
from ppncheck.resources import model_dir
from ppncheck.text.victim_blaming.classifier import clear_model_cache, load_model
from ppncheck_dev.synthetic import generate_records

DATA = Path(__file__).resolve().parents[1] / "datasets" / "victim_blaming"
TEXT_FIELDS = ("circumstances", "rationale")


def _sentences() -> list[str]:
    texts = []
    for split in ("train", "dev", "test"):
        with (DATA / f"{split}.jsonl").open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def _record_fields(n: int, seed: int) -> list[list[str]]:
    """The free-text fields of each generated record (circumstances, rationale, AWARE)."""
    out = []
    for record in generate_records(n, seed):
        fields = [record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)]
        for voice in record.get("voice_of_child") or []:
            aware = voice.get("aware") or {}
            fields += [v for v in aware.values() if isinstance(v, str) and v]
        out.append(fields)
    return out


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _compare(name: str, texts: list[str], repeat: int) -> None:
    base = spacy.blank("en")
    base.add_pipe("sentencizer")
    full = spacy.blank("en")
    full.add_pipe("sentencizer")
    full.add_pipe("ppn_victim_blaming")
    for nlp in (base, full):  # warm-up (model load, token caches)
        list(nlp.pipe(texts[:300]))
    n_tok = sum(len(d) for d in base.pipe(texts))
    t_base = _best(lambda: list(base.pipe(texts, batch_size=256)), repeat)
    t_full = _best(lambda: list(full.pipe(texts, batch_size=256)), repeat)
    added = (t_full - t_base) / t_base
    print(
        f"{name:<24} {len(texts):>6} texts {n_tok:>9,} tokens | bare {len(texts) / t_base:>8,.0f}"
        f" texts/s | +vb {len(texts) / t_full:>8,.0f} texts/s | component adds {added:4.2f}x"
        f" the bare cost | speed ratio {t_base / t_full:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = model_dir("victim_blaming")
    loads = []
    for _ in range(5):
        clear_model_cache()
        t = time.perf_counter()
        load_model(folder)
        loads.append(time.perf_counter() - t)
    print(
        f"model load (verify sha256 + read arrays): best {min(loads) * 1000:.1f} ms, "
        f"worst {max(loads) * 1000:.1f} ms"
    )

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

    records = _record_fields(args.records, seed=3)
    fields = [f for rec in records for f in rec]
    notes = [" ".join(rec) for rec in records if rec]
    rng = random.Random(7)
    corpus_notes = [" ".join(rng.sample(sentences, 8)) for _ in range(args.records)]
    print("spacy.blank('en') + sentencizer, without and with ppn_victim_blaming, batch 256:")
    _compare("record fields", fields, args.repeat)
    _compare("whole records", notes, args.repeat)
    _compare("corpus notes", corpus_notes, args.repeat)


if __name__ == "__main__":
    main()
