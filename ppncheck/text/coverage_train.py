"""Train the AWARE coverage model and compare it with the cue lexicon, per element
(``ppncheck train aware``; needs the ``[train]`` extra).

Hyper-parameters (C per element, probability threshold per element) are chosen on the dev
split with a model trained on train; the model is then refitted on train+dev with those
settings and both methods are scored once on the held-out test split, which training never
reads otherwise.  The method with the higher macro-F1 on test is the one the
``ppn_aware_coverage`` component uses by default.  The printed table is the one in
``models/aware_coverage/MODEL.md``.
"""

from __future__ import annotations

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
    import sklearn
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
from ppncheck.text.training_data import DataError, read_jsonl, split_path

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(float(x), 2) for x in np.arange(0.05, 0.8, 0.05))
METRICS_FILE = "metrics.json"
Scores = dict[str, tuple[float, float, float]]  # element -> (precision, recall, F1)


@dataclass(frozen=True)
class Split:
    texts: list[str]
    labels: list[set[str]]

    def __add__(self, other: Split) -> Split:
        return Split(self.texts + other.texts, self.labels + other.labels)


def _aware_row(row: dict[str, Any]) -> bool:
    labels = row.get("labels")
    return (
        isinstance(row.get("text"), str)
        and isinstance(labels, list)
        and all(label in AWARE_ELEMENTS for label in labels)
    )


def read_sentences(path: Path) -> Split:
    """Labelled sentences: ``text`` and ``labels``, a list of AWARE elements (maybe empty)."""
    rows = read_jsonl(path, _aware_row, f"text and labels (a list of {', '.join(AWARE_ELEMENTS)})")
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
) -> dict[str, tuple[float, float, float]]:
    """element -> (C, threshold, dev F1), the pair maximising dev F1."""
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
        chosen[element] = (best[1], best[2], best[0])
    return chosen


def fit(
    x: csr_matrix, split: Split, params: dict[str, tuple[float, float, float]]
) -> CoverageModel:
    coefs, intercepts, thresholds = [], [], []
    for element in AWARE_ELEMENTS:
        c, t, _ = params[element]
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


def score(gold: Split, pred: list[set[str]]) -> Scores:
    out = {}
    for element in AWARE_ELEMENTS:
        g = y_of(gold, element)
        p = np.array([element in labels for labels in pred], dtype=int)
        out[element] = prf(g, p)
    return out


def train(
    data_dir: Path | str,
    out_dir: Path | str,
    *,
    extra: Sequence[Path | str] = (),
    extra_dev: Sequence[Path | str] = (),
    params_file: Path | str | None = None,
) -> dict[str, Any]:
    """Choose C and thresholds on dev (+ ``extra_dev``) with a model fitted on train (+
    ``extra``), refit on all of them, save to ``out_dir`` with ``metrics.json``; return the
    metrics (the test split is read only to measure).

    ``params_file`` (``datasets/notes/aware_params.json``) gives C and the threshold per
    element instead: chosen for whole notes, writer by writer (see that folder's
    ``aware_params.py``), not for sentence F1 on dev."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    train_split, dev, test = (
        read_sentences(split_path(data_dir, s)) for s in ("train", "dev", "test")
    )
    for path in extra:
        train_split += read_sentences(Path(path))
    for path in extra_dev:
        dev += read_sentences(Path(path))
    if params_file is not None:
        params = read_params(Path(params_file))
    else:
        params = tune(featurise(train_split.texts), train_split, featurise(dev.texts), dev)
    both = train_split + dev
    model = fit(featurise(both.texts), both, params)

    lex = score(test, lexicon_predictions(test.texts))
    mod = score(test, model_predictions(model, test.texts))
    lex_macro = float(np.mean([lex[e][2] for e in AWARE_ELEMENTS]))
    mod_macro = float(np.mean([mod[e][2] for e in AWARE_ELEMENTS]))
    model.save(
        out_dir,
        {
            "trained_on": f"{data_dir.as_posix()} train+dev"
            + "".join(f" + {Path(p).name}" for p in [*extra, *extra_dev]),
            "hyperparameters": {
                e: {"C": params[e][0], "threshold": params[e][1]} for e in AWARE_ELEMENTS
            },
            "chosen_by": "note-level, leave one writer out (" + Path(params_file).name + ")"
            if params_file is not None
            else "sentence F1 on dev",
            "test_macro_f1": {"model": round(mod_macro, 4), "lexicon": round(lex_macro, 4)},
        },
        versions={"scikit-learn": sklearn.__version__, "spacy": spacy.__version__},
    )
    metrics = {
        "rows": {"train": len(train_split.texts), "dev": len(dev.texts), "test": len(test.texts)},
        "chosen_on_dev": {
            e: {"C": params[e][0], "threshold": params[e][1], "dev_f1": round(params[e][2], 4)}
            for e in AWARE_ELEMENTS
        }
        if params_file is None
        else {},
        "chosen_from": None if params_file is None else Path(params_file).name,
        "test_positives": {e: int(y_of(test, e).sum()) for e in AWARE_ELEMENTS},
        "test": {
            method: {e: dict(zip(("precision", "recall", "f1"), s[e], strict=True)) for e in s}
            for method, s in (("lexicon", lex), ("model", mod))
        },
        "test_macro_f1": {"lexicon": lex_macro, "model": mod_macro},
    }
    (out_dir / METRICS_FILE).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    return metrics


def read_params(path: Path) -> dict[str, tuple[float, float, float]]:
    """element -> (C, threshold, nan) from an ``aware_params.json``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["params"]
        return {e: (float(raw[e]["C"]), float(raw[e]["threshold"]), float("nan"))
                for e in AWARE_ELEMENTS}  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a params file ({type(exc).__name__})") from None


def format_metrics(m: dict[str, Any]) -> str:
    """The training run as text: the dev choices, then the test table of MODEL.md."""
    lines = [
        f"dev {e}: F1 {c['dev_f1']:.3f} at C={c['C']} threshold={c['threshold']}"
        for e, c in m["chosen_on_dev"].items()
    ]
    if m.get("chosen_from"):
        lines.append(f"C and thresholds from {m['chosen_from']}")
    rows = m["rows"]
    lines.append(f"train={rows['train']} dev={rows['dev']} test={rows['test']}")
    lines += [
        "| element | test positives | lexicon P | lexicon R | lexicon F1 "
        "| model P | model R | model F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lex, mod = m["test"]["lexicon"], m["test"]["model"]
    for e in AWARE_ELEMENTS:
        cells = [f"{s[e][k]:.2f}" for s in (lex, mod) for k in ("precision", "recall", "f1")]
        lines.append(f"| {e} | {m['test_positives'][e]} | " + " | ".join(cells) + " |")

    def mean(s: dict[str, dict[str, float]], key: str) -> float:
        return float(np.mean([s[e][key] for e in AWARE_ELEMENTS]))

    lines.append(
        f"| **macro** | | {mean(lex, 'precision'):.2f} | {mean(lex, 'recall'):.2f} | "
        f"**{mean(lex, 'f1'):.2f}** | {mean(mod, 'precision'):.2f} | "
        f"{mean(mod, 'recall'):.2f} | **{mean(mod, 'f1'):.2f}** |"
    )
    macro = m["test_macro_f1"]
    winner = "model" if macro["model"] > macro["lexicon"] else "lexicon"
    lines.append(
        f"winner by test macro-F1: {winner} "
        f"(lexicon {macro['lexicon']:.3f}, model {macro['model']:.3f})"
    )
    return "\n".join(lines)
