"""Whole free-text notes: checking speed and rule-level judgement, this tree against another.

    python benchmarks/bench_notes.py [--split test] [--against TREE] [--repeat 3]

Each tree (this one, and ``--against`` a checkout of an earlier commit, e.g. made with
``git worktree add /tmp/base 764dc91``) is measured in its own subprocess, one after the other
in the same run, so the speed ratio is taken under the same machine load.  Speed is notes per
second of ``check_many`` over every note of the corpus (after one warm-up pass that builds the
pipeline); judgement is note-level exact match and the share of good notes with any finding on
the chosen split, from the rule ids alone (an earlier tree has no note reader to score).
Results go to stdout and ``benchmarks/notes.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO / "datasets" / "notes"

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import ppncheck
from ppncheck.api import check_many
corpus, split, repeat = sys.argv[2], sys.argv[3], int(sys.argv[4])
recs = [json.loads(x) for x in open(corpus + "/gold.jsonl", encoding="utf-8")]
texts = [open(corpus + "/" + r["file"], encoding="utf-8").read() for r in recs]
list(check_many(iter(texts[:8])))  # build the pipeline
best = None
for _ in range(repeat):
    t0 = time.perf_counter()
    reports = list(check_many(iter(texts)))  # one pass, each note alone (no batch TPL002)
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
chosen = [(r, rep) for r, rep in zip(recs, reports) if split == "all" or r["split"] == split]
exact = sum(set(rep.rule_ids) == set(r["expected_rules"]) for r, rep in chosen)
good = [(r, rep) for r, rep in chosen if not r["expected_rules"]]
flagged = sum(bool(rep.findings) for _, rep in good)
print(json.dumps({"notes": len(texts), "seconds": best, "notes_per_s": len(texts) / best,
                  "split_notes": len(chosen), "exact_match": exact / len(chosen),
                  "good_notes": len(good), "good_flagged": flagged}))
"""


def measure(tree: Path, split: str, repeat: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), str(CORPUS), split, str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("train", "dev", "test", "all"))
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M")
    results = {"this tree": measure(REPO, args.split, args.repeat)}
    if args.against:
        results[str(args.against)] = measure(args.against, args.split, args.repeat)
    for name, r in results.items():
        print(
            f"{name:>20}: {r['notes_per_s']:7.1f} notes/s over {r['notes']} notes; "
            f"{args.split} split: exact match {r['exact_match']:.2f}, good notes flagged "
            f"{r['good_flagged']}/{r['good_notes']}"
        )
    out: dict[str, object] = {"date": started, "split": args.split, "results": results}
    if args.against:
        base = results[str(args.against)]["notes_per_s"]
        ratio = results["this tree"]["notes_per_s"] / base
        out["speed_ratio"] = round(ratio, 3)
        print(f"speed ratio (this tree / {args.against}): {ratio:.2f} (target >= 0.90)")
    (HERE / "notes.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
