"""Where the full check's time goes: each stage of a record's check, timed on its own.

    /work/venv/bin/python benchmarks/bench_stages.py                # 2,000 records, best of 3
    /work/venv/bin/python benchmarks/bench_stages.py --rows 5000 --repeat 5

Each stage runs the same functions the checker runs (``ppncheck.api`` and
``ppncheck.text.analysis``'s direct path), over every record or text field of N generated
records, with the garbage collector off; the bare ``spacy.blank("en")`` + ``sentencizer``
pass over the same texts is timed alongside.  The stages are timed separately, so their sum
differs a little from the whole check (``bench_batch.py`` measures that).  CPU time of this
process, best of ``--repeat`` runs.  It also times building the text pipeline (what every
process, and every ``--jobs`` worker, pays once) in ``--repeat`` fresh processes.  Prints a
table and writes ``benchmarks/stages.json``.  Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


_BUILD = (
    "import time\n"
    "from ppncheck.config import Config\n"
    "from ppncheck.text.analysis import build_pipeline\n"
    "t0 = time.process_time()\n"
    "build_pipeline(Config())\n"
    "print(time.process_time() - t0)\n"
)


def pipeline_build(repeat: int) -> list[float]:
    """CPU seconds to build the text pipeline, once in each of ``repeat`` fresh processes
    (imports done before the clock starts)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _BUILD], capture_output=True, text=True, check=True
        ).stdout
        runs.append(round(float(out), 3))
    return runs


def stages(n: int, seed: int, repeat: int) -> dict[str, Any]:
    import spacy

    from ppncheck.api import _RECORD_RULES, _prepare, check_items
    from ppncheck.config import Config
    from ppncheck.read.types import InputItem
    from ppncheck.rules.needs import record_field_needs
    from ppncheck.text.analysis import (
        DIRECT_BATCH,
        _component,
        _split,
        analyse_texts,
        pipeline_for,
    )
    from ppncheck.text.children import find_child_mentions
    from ppncheck.text.components import AwareSections, Children, ChildSpeech
    from ppncheck.text.sentences import remember_text
    from ppncheck.text.victim_blaming.component import VictimBlamingComponent
    from ppncheck_dev.synthetic import generate_records

    config = Config()
    items = [InputItem(row=i, payload=r) for i, r in enumerate(generate_records(n, seed), 1)]
    list(check_items(items[:100], config=config))  # build the pipeline, warm the caches
    prepared = [_prepare(item, config) for item in items]
    fields = [(path, text) for p in prepared for path, text in p.texts]
    texts = [text for _, text in fields]
    needs = [record_field_needs(path, config) for path, _ in fields]
    nlp = pipeline_for(config)
    sections = _component(nlp, "ppn_aware_sections", AwareSections)
    speech = _component(nlp, "ppn_child_speech", ChildSpeech)
    children = _component(nlp, "ppn_children", Children)
    vb = _component(nlp, "ppn_victim_blaming", VictimBlamingComponent)
    docs = [_split(remember_text(nlp.make_doc(t), t), t) for t in texts]
    found = [sections.read(t) for t in texts]
    words = [
        (d, f)
        for (path, _), d, f in zip(fields, docs, found, strict=True)
        if path.endswith(".words")
    ]
    circumstances = [
        t for (path, _), t in zip(fields, texts, strict=True) if path == "circumstances"
    ]
    analyses = analyse_texts(texts, config=config, needs=needs)
    bare = spacy.blank("en")
    bare.add_pipe("sentencizer")

    def bare_pass() -> None:
        for _doc in bare.pipe(texts, batch_size=256):
            pass

    def rules() -> None:
        it = iter(analyses)
        for p in prepared:
            assert p.ctx is not None
            for path, _ in p.texts:
                p.ctx.texts[path] = next(it)
            for module in _RECORD_RULES:
                list(module.check(p.ctx))

    def victim_blaming() -> None:
        for i in range(0, len(docs), DIRECT_BATCH):
            vb.detector.detect(docs[i : i + DIRECT_BATCH])

    timed: dict[str, Callable[[], Any]] = {
        "bare spaCy pass (reference)": bare_pass,
        "whole check (check_items)": lambda: list(check_items(items, config=config)),
        "read, schema, context (_prepare)": lambda: [_prepare(i, config) for i in items],
        "tokenise (make_doc)": lambda: [nlp.make_doc(t) for t in texts],
        "sentences": lambda: [_split(remember_text(nlp.make_doc(t), t), t) for t in texts],
        "headings, labelled lines, placeholders": lambda: [sections.read(t) for t in texts],
        "victim blaming (detector)": victim_blaming,
        "child speech (Words fields)": lambda: [
            speech.find(d, f.words_sections(), f.names()) for d, f in words
        ],
        "children (circumstances)": lambda: [
            find_child_mentions(t, children.table) for t in circumstances
        ],
        "record rules": rules,
    }
    was = gc.isenabled()
    gc.disable()
    try:
        seconds = {name: _best(fn, repeat) for name, fn in timed.items()}
    finally:
        if was:
            gc.enable()
    # "sentences" re-tokenises: report the splitting alone
    seconds["sentences"] = max(0.0, seconds["sentences"] - seconds["tokenise (make_doc)"])
    return {
        "records": n,
        "texts": len(texts),
        "repeat": repeat,
        "cpu_seconds": {k: round(v, 3) for k, v in seconds.items()},
        "microseconds_per_text": {k: round(v / len(texts) * 1e6, 1) for k, v in seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000, help="generated records")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="keep the best of this many runs")
    parser.add_argument("--out", type=Path, default=HERE / "stages.json")
    args = parser.parse_args(argv)
    result = stages(args.rows, args.seed, args.repeat)
    builds = pipeline_build(args.repeat)
    result["pipeline_build_cpu_seconds_all"] = builds
    result["pipeline_build_cpu_seconds"] = min(builds)
    result["command"] = " ".join(["python", "benchmarks/bench_stages.py", *(argv or sys.argv[1:])])
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{result['records']} records, {result['texts']} text fields, best of {args.repeat}")
    for name, sec in result["cpu_seconds"].items():
        per = result["microseconds_per_text"][name]
        print(f"  {name:<42} {sec:8.3f} s  {per:7.1f} µs per text field")
    print(f"  pipeline build (fresh process): {min(builds):.3f} s CPU, all runs {builds}")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
