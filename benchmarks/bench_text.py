"""Speed of the full text pipeline against a bare ``spacy.blank("en")`` + sentencizer.

    python benchmarks/bench_text.py [--repeat 20]

The target (issue 3) is that the full check runs at >= 1/4 of the bare pipeline's speed over
the same texts.  Texts are the fictional notes in tests/notes, repeated.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from ppncheck.config import Config
from ppncheck.text.analysis import BATCH_SIZE, analyse_texts, doc_to_analysis, pipeline_for

NOTES = Path(__file__).resolve().parents[1] / "tests" / "notes"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = [p.read_text("utf-8") for p in sorted(NOTES.glob("*.txt"))] * args.repeat
    chars = sum(map(len, texts))

    bare = spacy.blank("en")
    bare.add_pipe("sentencizer")
    list(bare.pipe(texts[:10]))
    t0 = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=64):
        pass
    t_bare = time.perf_counter() - t0

    config = Config()
    nlp = pipeline_for(config)
    analyse_texts(texts[:10], config=config)
    t0 = time.perf_counter()
    analyse_texts(texts, config=config)
    t_full = time.perf_counter() - t0

    print(f"{len(texts)} texts, {chars} chars")
    print(f"bare blank+sentencizer: {len(texts) / t_bare:8.0f} texts/s")
    print(
        f"ppncheck text pipeline: {len(texts) / t_full:8.0f} texts/s  ({', '.join(nlp.pipe_names)})"
    )
    print(f"ratio full/bare speed: {t_bare / t_full:.2f} (target >= 0.25)")
    # Per component over the same docs, each stage run the way nlp.pipe runs it (a component
    # with ``pipe`` gets whole batches), so the batched components are measured as used.
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=BATCH_SIZE))
        else:
            docs = [proc(d) for d in docs]
        print(f"  {name:22s} {(time.perf_counter() - t0) / len(docs) * 1e6:7.1f} us/doc")
    t0 = time.perf_counter()
    for d in docs:
        doc_to_analysis(d)
    print(f"  {'doc_to_analysis':22s} {(time.perf_counter() - t0) / len(docs) * 1e6:7.1f} us/doc")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
