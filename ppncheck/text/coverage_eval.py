"""Compare the AWARE cue lexicon with the hashed-n-gram logistic regression, per element.

    python -m ppncheck.text.coverage_eval [--data datasets/aware] [--save]

Hyper-parameters (C per element, probability threshold per element) are chosen on the dev
split with a model trained on train; the shipped model is then refitted on train+dev with
those settings and both methods are scored once on the held-out test split.  The method with
the higher macro-F1 on test is the one the ``ppn_aware_coverage`` component uses by default.
``--save`` writes the model arrays and manifest to models/aware_coverage; the printed table
is the one in models/aware_coverage/MODEL.md.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import spacy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from ppncheck._extras import missing_extra

try:  # training only: scikit-learn and scipy come with the [train] extra
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
except ImportError as _exc:
    raise missing_extra("train", "training the AWARE coverage model", _exc) from None

from ppncheck.text.analysis_types import AWARE_ELEMENTS
from ppncheck.text.coverage import (
    N_FEATURES,
    CoverageModel,
    doc_sentence_features,
    lexicon_sentence_labels,
)
from ppncheck.text.tables import cue_table

REPO = Path(__file__).resolve().parents[2]
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(float(x), 2) for x in np.arange(0.05, 0.8, 0.05))


@dataclass(frozen=True)
class Split:
    texts: list[str]
    labels: list[set[str]]


def load_split(folder: Path, name: str) -> Split:
    rows = [
        json.loads(line)
        for line in (folder / f"{name}.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    return Split([r["text"] for r in rows], [set(r["labels"]) for r in rows])


def featurise(texts: Sequence[str]) -> csr_matrix:
    """The same features the component computes, one row per sentence of the dataset."""
    nlp = spacy.blank("en")
    rows, cols = [], []
    for i, doc in enumerate(nlp.pipe(texts)):
        keys, _, _ = doc_sentence_features(_single_sentence(doc))
        feats = keys % N_FEATURES
        rows.extend([i] * len(feats))
        cols.extend(feats.tolist())
    data = np.ones(len(rows), dtype=np.float64)
    return csr_matrix((data, (rows, cols)), shape=(len(texts), N_FEATURES))


def _single_sentence(doc: Doc) -> Doc:
    """Each dataset row is one sentence: mark only its first token as a sentence start."""
    if len(doc):
        flags = np.full((len(doc), 1), -1, dtype="int32")
        flags[0, 0] = 1
        doc.from_array([SENT_START], cast(Any, flags.astype("uint64")))
    return doc


def y_of(split: Split, element: str) -> np.ndarray:
    return np.array([element in labels for labels in split.labels], dtype=int)


def prf(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = int(((gold == 1) & (pred == 1)).sum())
    fp = int(((gold == 0) & (pred == 1)).sum())
    fn = int(((gold == 1) & (pred == 0)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def tune(
    x_train: csr_matrix, train: Split, x_dev: csr_matrix, dev: Split
) -> dict[str, tuple[float, float]]:
    """element -> (C, threshold) maximising dev F1."""
    chosen = {}
    for element in AWARE_ELEMENTS:
        best = (-1.0, 1.0, 0.5)
        for c in C_GRID:
            clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
            clf.fit(x_train, y_of(train, element))
            probs = clf.predict_proba(x_dev)[:, 1]
            for t in THRESHOLDS:
                f = prf(y_of(dev, element), (probs >= t).astype(int))[2]
                if f > best[0] + 1e-9:
                    best = (f, c, t)
        chosen[element] = (best[1], best[2])
        print(f"dev {element}: F1 {best[0]:.3f} at C={best[1]} threshold={best[2]}")
    return chosen


def fit(x: csr_matrix, split: Split, params: dict[str, tuple[float, float]]) -> CoverageModel:
    coefs, intercepts, thresholds = [], [], []
    for element in AWARE_ELEMENTS:
        c, t = params[element]
        clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
        clf.fit(x, y_of(split, element))
        coefs.append(clf.coef_[0])
        intercepts.append(float(clf.intercept_[0]))
        thresholds.append(t)
    dense = np.vstack(coefs).T  # (N_FEATURES, labels)
    index = np.flatnonzero(np.abs(dense).sum(axis=1) > 0).astype(np.int64)
    return CoverageModel(
        labels=AWARE_ELEMENTS,
        feature_index=index,
        weights=dense[index].astype(np.float32),
        intercepts=np.array(intercepts),
        thresholds=np.array(thresholds),
    )


def model_predictions(model: CoverageModel, texts: Sequence[str]) -> list[set[str]]:
    x = featurise(texts)
    out = []
    for i in range(len(texts)):
        feats = x.indices[x.indptr[i] : x.indptr[i + 1]].astype(np.int64)
        out.extend(model.predict(np.sort(feats), 1))
    return out


def lexicon_predictions(texts: Sequence[str]) -> list[set[str]]:
    cues = cue_table()
    return [lexicon_sentence_labels(t, [0], cues)[0] for t in texts]


def score(gold: Split, pred: list[set[str]]) -> dict[str, tuple[float, float, float]]:
    out = {}
    for element in AWARE_ELEMENTS:
        g = y_of(gold, element)
        p = np.array([element in labels for labels in pred], dtype=int)
        out[element] = prf(g, p)
    return out


def table(
    lex: dict[str, tuple[float, float, float]],
    mod: dict[str, tuple[float, float, float]],
    n: dict[str, int],
) -> str:
    lines = [
        "| element | test positives | lexicon P | lexicon R | lexicon F1 "
        "| model P | model R | model F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in AWARE_ELEMENTS:
        lp, lr, lf = lex[e]
        mp, mr, mf = mod[e]
        lines.append(
            f"| {e} | {n[e]} | {lp:.2f} | {lr:.2f} | {lf:.2f} | {mp:.2f} | {mr:.2f} | {mf:.2f} |"
        )
    lm = np.mean([lex[e][2] for e in AWARE_ELEMENTS])
    mm = np.mean([mod[e][2] for e in AWARE_ELEMENTS])
    lines.append(
        f"| **macro** | | {np.mean([lex[e][0] for e in AWARE_ELEMENTS]):.2f} | "
        f"{np.mean([lex[e][1] for e in AWARE_ELEMENTS]):.2f} | **{lm:.2f}** | "
        f"{np.mean([mod[e][0] for e in AWARE_ELEMENTS]):.2f} | "
        f"{np.mean([mod[e][1] for e in AWARE_ELEMENTS]):.2f} | **{mm:.2f}** |"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=REPO / "datasets" / "aware")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "aware_coverage")
    parser.add_argument("--save", action="store_true", help="write the model arrays and manifest")
    parser.add_argument(
        "--extra-train", type=Path, action="append", default=[],
        help="more labelled sentences for training (e.g. datasets/notes/aware_train.jsonl)",
    )
    parser.add_argument(
        "--extra-dev", type=Path, action="append", default=[],
        help="more labelled sentences for choosing C and thresholds (aware_dev.jsonl)",
    )
    args = parser.parse_args(argv)

    train, dev, test = (load_split(args.data, s) for s in ("train", "dev", "test"))
    for path in args.extra_train:
        more = load_split(path.parent, path.name.removesuffix(".jsonl"))
        train = Split(train.texts + more.texts, train.labels + more.labels)
    for path in args.extra_dev:
        more = load_split(path.parent, path.name.removesuffix(".jsonl"))
        dev = Split(dev.texts + more.texts, dev.labels + more.labels)
    x_train, x_dev = featurise(train.texts), featurise(dev.texts)
    params = tune(x_train, train, x_dev, dev)
    both = Split(train.texts + dev.texts, train.labels + dev.labels)
    model = fit(featurise(both.texts), both, params)

    lex = score(test, lexicon_predictions(test.texts))
    mod = score(test, model_predictions(model, test.texts))
    n = {e: int(y_of(test, e).sum()) for e in AWARE_ELEMENTS}
    lex_macro = float(np.mean([lex[e][2] for e in AWARE_ELEMENTS]))
    mod_macro = float(np.mean([mod[e][2] for e in AWARE_ELEMENTS]))
    winner = "model" if mod_macro > lex_macro else "lexicon"
    print(f"train={len(train.texts)} dev={len(dev.texts)} test={len(test.texts)}")
    print("chosen on dev (C, threshold):", {e: params[e] for e in AWARE_ELEMENTS})
    print(table(lex, mod, n))
    print(f"winner by test macro-F1: {winner} (lexicon {lex_macro:.3f}, model {mod_macro:.3f})")
    if args.save:
        model.save(
            args.out,
            {
                "trained_on": "datasets/aware train+dev"
                + "".join(f" + {p.name}" for p in [*args.extra_train, *args.extra_dev]),
                "hyperparameters": {
                    e: {"C": params[e][0], "threshold": params[e][1]} for e in AWARE_ELEMENTS
                },
                "test_macro_f1": {"model": round(mod_macro, 4), "lexicon": round(lex_macro, 4)},
            },
        )
        print(f"saved model to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
