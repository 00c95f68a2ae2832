"""Choose the AWARE coverage model's thresholds for whole notes, writer by writer.

The coverage model scores sentences; a VAT officer sees notes.  A note gets AWR001/AWR003/
AWR004/AWR005 when no sentence (and no heading) speaks to the element, so the threshold that
serves the officer is the one that gets the *note's* finding right, not the one with the best
sentence F1.  And a threshold chosen on writers the model was trained on flatters it: on a new
writer the model is less sure of everything.

So the choice is made leave-one-writer-out over every training and development writer (the
held-out test writers are never read): for each writer, the model is fitted on the sentence
corpus (`datasets/aware` train+dev) and every *other* writer's note sentences, then the
writer's notes are checked whole with each threshold on the grid.  The false alarms and misses
of each AWARE rule are pooled over the writers.  Issue 13's target for these rules is precision
(each AWR rule at >= 0.9; there is none for recall), and every false alarm costs a VAT officer a
call, so each element gets the threshold with the highest pooled recall among those whose pooled
precision reaches TARGET_PRECISION, or, when none does, the highest pooled F0.5 (precision
weighted twice recall); ties: fewer false alarms.  (Until the fifth session the choice was the
best pooled F1, which ran activity at 18 pooled false alarms to 5 misses.)  C stays as the
sentence model chose it.

Writes `aware_params.json` (read by `ppncheck train aware --params`), with the pooled table.

Run (about 15 minutes on two cores; needs the train extra):
    python datasets/notes/aware_params.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.sparse import vstack
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from aware_sentences import sentence_rows  # noqa: E402

from ppncheck.config import Config  # noqa: E402
from ppncheck.evaluate.notes import evaluate_notes, load_corpus  # noqa: E402
from ppncheck.text.analysis import pipeline_for  # noqa: E402
from ppncheck.text.analysis_types import AWARE_ELEMENTS  # noqa: E402
from ppncheck.text.coverage import CoverageModel  # noqa: E402
from ppncheck.text.coverage_train import featurise, read_sentences  # noqa: E402

GRID = (0.02, 0.03, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.65)
RULES = {"appearance": "AWR001", "activity": "AWR003", "relationships": "AWR004",
         "environment": "AWR005"}  # fmt: skip
OUT = HERE / "aware_params.json"
TARGET_PRECISION = 0.9  # issue 13: each of AWR001-AWR007 at precision >= 0.9
BETA = 0.5  # F-beta when no threshold reaches the target: precision weighted twice recall


def _shipped_c() -> dict[str, dict[str, float]]:
    manifest = json.loads((REPO / "models" / "aware_coverage" / "manifest.json").read_text())
    return {e: dict(v) for e, v in manifest["hyperparameters"].items()}


def main() -> None:
    params = _shipped_c()
    splits = json.loads((HERE / "splits.json").read_text())["writers"]
    writers = sorted(
        (w for w, s in splits.items() if s in {"train", "dev"}), key=lambda w: int(w[1:])
    )
    config = Config()
    component = pipeline_for(config).get_pipe("ppn_aware_coverage")
    base = read_sentences(REPO / "datasets" / "aware" / "train.jsonl")
    base += read_sentences(REPO / "datasets" / "aware" / "dev.jsonl")
    rows = sentence_rows(HERE, "train") + sentence_rows(HERE, "dev")
    by_writer: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by_writer[str(row["group"]).split("-")[0]].append(row)
    notes = load_corpus(HERE, "train") + load_corpus(HERE, "dev")
    x_base = featurise(base.texts)
    x_writer = {w: featurise([str(r["text"]) for r in by_writer[w]]) for w in writers}
    # element -> threshold -> [false alarms, misses, gold notes]
    tally: dict[str, dict[float, list[int]]] = {e: {t: [0, 0, 0] for t in GRID} for e in RULES}
    for held in writers:
        others = [w for w in writers if w != held]
        x = vstack([x_base] + [x_writer[w] for w in others]).tocsr()
        labels = list(base.labels) + [set(r["labels"]) for w in others for r in by_writer[w]]  # type: ignore[arg-type]
        coefs, intercepts = [], []
        for element in AWARE_ELEMENTS:
            y = np.array([element in s for s in labels], dtype=int)
            clf = LogisticRegression(C=params[element]["C"], max_iter=2000, solver="liblinear")
            clf.fit(x, y)
            coefs.append(clf.coef_[0])
            intercepts.append(float(clf.intercept_[0]))
        dense = np.vstack(coefs).T
        index = np.flatnonzero(np.abs(dense).sum(axis=1) > 0).astype(np.int64)
        mine = [n for n in notes if n["writer"] == held]
        for t in GRID:
            component.model = CoverageModel(
                labels=AWARE_ELEMENTS,
                feature_index=index,
                weights=dense[index].astype(np.float32),
                intercepts=np.array(intercepts),
                thresholds=np.full(len(AWARE_ELEMENTS), t),
            )
            for note in evaluate_notes(mine, config)["notes"]:
                gold, predicted = set(note["gold"]), set(note["predicted"])
                for element, rule in RULES.items():
                    counts = tally[element][t]
                    counts[0] += rule in predicted and rule not in gold
                    counts[1] += rule in gold and rule not in predicted
                    counts[2] += rule in gold
        print(f"{held}: {len(mine)} notes", flush=True)

    def prf(counts: list[int], beta: float = 1.0) -> tuple[float, float, float]:
        """Pooled precision, recall and F-beta of the rule at one threshold."""
        fp, fn, gold = counts
        tp = gold - fn
        if not tp:
            return 0.0, 0.0, 0.0
        p, r = tp / (tp + fp), tp / gold
        return p, r, (1 + beta**2) * p * r / (beta**2 * p + r)

    def choose(by_t: dict[float, list[int]]) -> float:
        held = [t for t in GRID if prf(by_t[t])[0] >= TARGET_PRECISION]
        if held:
            return max(held, key=lambda t: (round(prf(by_t[t])[1], 6), -by_t[t][0], t))
        return max(GRID, key=lambda t: (round(prf(by_t[t], BETA)[2], 6), -by_t[t][0], t))

    table: dict[str, list[dict[str, float]]] = {}
    for element, by_t in tally.items():
        best = choose(by_t)
        params[element]["threshold"] = best
        table[element] = [
            {"threshold": t, "false_alarms": c[0], "misses": c[1], "gold_notes": c[2],
             "precision": round(prf(c)[0], 3), "recall": round(prf(c)[1], 3),
             "f1": round(prf(c)[2], 3), "f0_5": round(prf(c, BETA)[2], 3)}
            for t, c in by_t.items()
        ]  # fmt: skip
        c = by_t[best]
        p, r, _ = prf(c)
        print(f"{element}: threshold {best} (P {p:.3f}, R {r:.3f}, {c[0]} false alarms, {c[1]} misses)")
    OUT.write_text(
        json.dumps(
            {
                "command": "python datasets/notes/aware_params.py",
                "chosen_by": "AWR001/AWR003/AWR004/AWR005 at note level, pooled over "
                "leave-one-writer-out folds of the training and development writers: the highest "
                f"recall with precision >= {TARGET_PRECISION}, else the highest F{BETA}",
                "writers": writers,
                "params": params,
                "pooled": table,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
