"""The sentence classifier: hashed n-gram features from spaCy tokens, logistic regression, Platt
calibration, and safe persistence as plain arrays plus a JSON manifest.

Features are built from the tokens the pipeline already has (``NORM`` of each token): word
unigrams and bigrams, and character 3-5-grams of each token (like scikit-learn's ``char_wb``),
hashed with MurmurHash3 (fixed seed, not Python's salted ``hash``) into a fixed space, then
TF-IDF weighted and L2-normalised per block.  Per-token work is cached by the token's norm hash
and the rest is vectorised with numpy, so scoring keeps pace with the tokenizer.

Persistence: ``model.npz`` (numeric arrays only, read with ``allow_pickle=False``) and
``manifest.json`` (format versions, feature config, threshold, calibration, sha256 of each
artefact, checksum of the training data, library versions).  Loading verifies both.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.utils import murmurhash3_32
from spacy.attrs import IS_SPACE, NORM
from spacy.tokens import Doc
from spacy.vocab import Vocab

MODEL_FORMAT = "ppncheck-vb-sentence-classifier"
MODEL_FORMAT_VERSION = 1
PPNCHECK_MODEL_FORMAT_VERSION = 1
ARRAYS_FILE = "model.npz"
MANIFEST_FILE = "manifest.json"
_ARRAY_NAMES = ("active", "idf", "coef", "cat_coef", "cat_intercept")
_CACHE_LIMIT = 400_000
_MIX_A = np.uint64(0x9E3779B1)
_MASK32 = np.uint64(0xFFFFFFFF)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Unit = tuple[Doc, int, int]  # a doc and a token range (usually a sentence)
# a doc's NORM and IS_SPACE columns and a token range: what scoring needs, with no spaCy objects
Segment = tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_], int, int]


class ModelError(RuntimeError):
    """The model files are missing, corrupt, or of a format this ppncheck cannot read."""


@dataclass(frozen=True)
class FeatureConfig:
    word_bits: int = 18
    char_bits: int = 18
    char_min: int = 3
    char_max: int = 5
    seed: int = 0
    hash: str = "murmurhash3_32"
    tf: str = "sublinear"
    norm: str = "l2-per-block"

    @property
    def word_space(self) -> int:
        return 1 << self.word_bits

    @property
    def char_space(self) -> int:
        return 1 << self.char_bits


class Featuriser:
    """Token norms -> hashed global feature ids -> compact ids of the features the model kept."""

    def __init__(self, config: FeatureConfig, active: IntArray | None = None) -> None:
        self.config = config
        self.active = active  # sorted global ids kept at training time; None = keep all
        self._cache: dict[int, tuple[int, int, IntArray]] = {}

    # global ids ---------------------------------------------------------------------------------

    def word_id(self, norm: str) -> int:
        return (
            int(murmurhash3_32("w:" + norm, seed=self.config.seed, positive=True))
            % self.config.word_space
        )

    def char_ids(self, norm: str) -> list[int]:
        cfg = self.config
        padded = f" {norm} "
        out = []
        for n in range(cfg.char_min, cfg.char_max + 1):
            for i in range(len(padded) - n + 1):
                h = murmurhash3_32("c:" + padded[i : i + n], seed=cfg.seed, positive=True)
                out.append(cfg.word_space + int(h) % cfg.char_space)
        return out

    def _compact(self, ids: Sequence[int] | IntArray) -> IntArray:
        arr = np.asarray(ids, dtype=np.int64)
        if self.active is None:
            return arr
        pos = np.searchsorted(self.active, arr)
        pos = np.minimum(pos, len(self.active) - 1)
        return pos[self.active[pos] == arr] if len(self.active) else arr[:0]

    def _token_info(self, norm_hash: int, vocab: Vocab) -> tuple[int, int, IntArray]:
        info = self._cache.get(norm_hash)
        if info is None:
            norm = vocab.strings[norm_hash]
            word = self._compact([self.word_id(norm)])
            word_c = int(word[0]) if len(word) else -1
            mix = int(murmurhash3_32(norm, seed=self.config.seed + 1, positive=True))
            info = (word_c, mix, self._compact(self.char_ids(norm)))
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[norm_hash] = info
        return info

    # matrices -----------------------------------------------------------------------------------

    def counts(self, units: Sequence[Unit]) -> sparse.csr_matrix:
        """Count matrix, one row per unit, columns = compact ids (or global ids if no active)."""
        if not units:
            return self.counts_segments([], None)
        arrays: dict[int, tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]] = {}
        segments: list[Segment] = []
        for doc, start, end in units:
            arr = arrays.get(id(doc))
            if arr is None:
                raw = doc.to_array([NORM, IS_SPACE])
                arr = (raw[:, 0].astype(np.uint64), raw[:, 1] == 1)
                arrays[id(doc)] = arr
            segments.append((arr[0], arr[1], start, end))
        return self.counts_segments(segments, units[0][0].vocab)

    def counts_segments(
        self, segments: Sequence[Segment], vocab: Vocab | None
    ) -> sparse.csr_matrix:
        """Like ``counts`` on token columns the caller already read: (norms, is_space, start, end).

        Every sentence of a whole batch of docs becomes one row of one matrix, so the numpy
        work below runs once per batch, not once per sentence.
        """
        n_cols = (
            len(self.active)
            if self.active is not None
            else (self.config.word_space + self.config.char_space)
        )
        if not segments or vocab is None:
            return sparse.csr_matrix((len(segments), n_cols), dtype=np.float64)
        hashes: list[npt.NDArray[np.uint64]] = []
        lengths: list[int] = []
        for norms, is_space, start, end in segments:
            h = norms[start:end][~is_space[start:end]]
            hashes.append(h)
            lengths.append(len(h))
        rows_tok = np.repeat(np.arange(len(segments), dtype=np.int64), lengths)
        return self.counts_tokens(np.concatenate(hashes), rows_tok, len(segments), vocab)

    def counts_tokens(
        self,
        all_h: npt.NDArray[np.uint64],
        rows_tok: npt.NDArray[np.int64],
        n_rows: int,
        vocab: Vocab,
    ) -> sparse.csr_matrix:
        """The count matrix from every (non-space) token's norm hash and its row number; rows
        must be non-decreasing (tokens in text order), as bigrams pair neighbouring tokens."""
        n_cols = (
            len(self.active)
            if self.active is not None
            else (self.config.word_space + self.config.char_space)
        )
        if not len(all_h):
            return sparse.csr_matrix((n_rows, n_cols), dtype=np.float64)
        uniq, inverse = np.unique(all_h, return_inverse=True)
        infos = [self._token_info(x, vocab) for x in uniq.tolist()]
        word_c = np.array([i[0] for i in infos], dtype=np.int64)[inverse]
        mix = np.array([i[1] for i in infos], dtype=np.uint64)[inverse]
        char_len = np.array([len(i[2]) for i in infos], dtype=np.int64)
        char_data = np.concatenate([i[2] for i in infos]) if infos else np.zeros(0, np.int64)
        char_ptr = np.concatenate([[0], np.cumsum(char_len)[:-1]]).astype(np.int64)

        # word unigrams
        ok = word_c >= 0
        rows = [rows_tok[ok]]
        cols = [word_c[ok]]
        # word bigrams inside a unit
        if len(mix) > 1:
            same = rows_tok[1:] == rows_tok[:-1]
            big = ((mix[:-1] * _MIX_A) ^ mix[1:]) & _MASK32
            big_g = (big % np.uint64(self.config.word_space)).astype(np.int64)
            big_g, big_rows = big_g[same], rows_tok[1:][same]
            if self.active is not None:
                pos = np.minimum(np.searchsorted(self.active, big_g), max(len(self.active) - 1, 0))
                hit = self.active[pos] == big_g
                big_g, big_rows = pos[hit], big_rows[hit]
            rows.append(big_rows)
            cols.append(big_g)
        # character n-grams: gather each token's cached ids without a Python loop
        lens = char_len[inverse]
        total = int(lens.sum())
        if total:
            starts = char_ptr[inverse]
            offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
            rows.append(np.repeat(rows_tok, lens))
            cols.append(char_data[offsets])
        r = np.concatenate(rows)
        c = np.concatenate(cols)
        m = sparse.coo_matrix((np.ones(len(r)), (r, c)), shape=(n_rows, n_cols)).tocsr()
        m.sum_duplicates()
        return m


def tfidf(counts: sparse.csr_matrix, idf: FloatArray, n_word: int) -> sparse.csr_matrix:
    """Sublinear TF times IDF, L2-normalised separately over word and character columns."""
    x = counts.copy()
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    is_word = x.indices < n_word
    sq = x.data**2
    row_of = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    word_norm = np.sqrt(np.bincount(row_of[is_word], sq[is_word], minlength=x.shape[0]))
    char_norm = np.sqrt(np.bincount(row_of[~is_word], sq[~is_word], minlength=x.shape[0]))
    denom = np.where(is_word, word_norm[row_of], char_norm[row_of])
    x.data = x.data / np.where(denom > 0, denom, 1.0)
    return x


@dataclass(frozen=True)
class SentenceModel:
    """A trained model: arrays plus the manifest that describes them."""

    featuriser: Featuriser
    idf: FloatArray
    coef: FloatArray
    intercept: float
    platt_a: float
    platt_b: float
    cat_coef: FloatArray
    cat_intercept: FloatArray
    categories: tuple[str, ...]
    n_word: int
    threshold: float
    manifest: dict[str, Any]

    def score_units(self, units: Sequence[Unit]) -> tuple[FloatArray, list[str]]:
        """Calibrated probability and most likely category for each unit."""
        if not units:
            return np.zeros(0), []
        x = tfidf(self.featuriser.counts(units), self.idf, self.n_word)
        return self.score_matrix(x)

    def score_segments(
        self, segments: Sequence[Segment], vocab: Vocab
    ) -> tuple[FloatArray, list[str]]:
        """``score_units`` on token columns already read from the docs (the component's path)."""
        if not segments:
            return np.zeros(0), []
        x = tfidf(self.featuriser.counts_segments(segments, vocab), self.idf, self.n_word)
        return self.score_matrix(x)

    def score_tokens(
        self,
        norms: npt.NDArray[np.uint64],
        rows: npt.NDArray[np.int64],
        n_rows: int,
        vocab: Vocab,
    ) -> tuple[FloatArray, list[str]]:
        """Score ``n_rows`` sentences given each word token's norm hash and sentence number
        (the component's path: one call for every sentence of a batch of docs)."""
        if not n_rows:
            return np.zeros(0), []
        counts = self.featuriser.counts_tokens(norms, rows, n_rows, vocab)
        return self.score_matrix(tfidf(counts, self.idf, self.n_word))

    def score_matrix(self, x: sparse.csr_matrix) -> tuple[FloatArray, list[str]]:
        z = x @ self.coef + self.intercept
        prob = 1.0 / (1.0 + np.exp(-(self.platt_a * z + self.platt_b)))
        cat_scores = x @ self.cat_coef.T + self.cat_intercept
        cats = [self.categories[i] for i in np.argmax(cat_scores, axis=1)]
        return np.asarray(prob, dtype=np.float64), cats


# -- persistence -------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_npz(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """An ``.npz`` with fixed zip timestamps: the same arrays give the same bytes and sha256."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with zf.open(info, "w") as fh:
                np.lib.format.write_array(
                    fh, np.ascontiguousarray(arrays[name]), allow_pickle=False
                )


def save_model(
    out_dir: Path,
    *,
    config: FeatureConfig,
    active: IntArray,
    idf: FloatArray,
    coef: FloatArray,
    intercept: float,
    platt: tuple[float, float],
    cat_coef: FloatArray,
    cat_intercept: FloatArray,
    categories: Sequence[str],
    n_word: int,
    threshold: float,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Write ``model.npz`` and ``manifest.json``; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    arrays_path = out_dir / ARRAYS_FILE
    write_npz(
        arrays_path,
        {
            "active": np.asarray(active, dtype=np.int64),
            "idf": np.asarray(idf, dtype=np.float32),
            "coef": np.asarray(coef, dtype=np.float32),
            "cat_coef": np.asarray(cat_coef, dtype=np.float32),
            "cat_intercept": np.asarray(cat_intercept, dtype=np.float64),
        },
    )
    manifest: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "ppncheck_model_format_version": PPNCHECK_MODEL_FORMAT_VERSION,
        "feature_config": asdict(config),
        "n_active_features": len(active),
        "n_word_features": int(n_word),
        "intercept": float(intercept),
        "calibration": {"method": "platt", "a": float(platt[0]), "b": float(platt[1])},
        "categories": list(categories),
        "threshold": float(threshold),
        **extra,
        "files": {ARRAYS_FILE: {"sha256": sha256_file(arrays_path)}},
    }
    (out_dir / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def load_model(model_dir: Path | str) -> SentenceModel:
    """Load and verify a model folder (cached per process by resolved path)."""
    return _load_cached(str(Path(model_dir).resolve()))


@lru_cache(maxsize=4)
def _load_cached(model_dir: str) -> SentenceModel:
    folder = Path(model_dir)
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ModelError(f"no victim-blaming model at {folder}: {MANIFEST_FILE} not found")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ModelError(f"model manifest {manifest_path} is not valid JSON") from None
    _check_versions(manifest, manifest_path)
    files = manifest.get("files", {})
    if set(files) != {ARRAYS_FILE}:
        raise ModelError(f"model manifest {manifest_path} must list exactly {ARRAYS_FILE}")
    for name, meta in files.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"model file {path} is missing")
        if sha256_file(path) != meta.get("sha256"):
            raise ModelError(f"model file {path} is corrupt or was changed: checksum mismatch")
    try:
        with np.load(folder / ARRAYS_FILE, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in _ARRAY_NAMES}
    except (ValueError, KeyError, OSError) as exc:
        raise ModelError(
            f"model file {folder / ARRAYS_FILE} cannot be read: {type(exc).__name__}"
        ) from None
    cfg = FeatureConfig(**manifest["feature_config"])
    active = arrays["active"].astype(np.int64)
    calib = manifest["calibration"]
    return SentenceModel(
        featuriser=Featuriser(cfg, active),
        idf=arrays["idf"].astype(np.float64),
        coef=arrays["coef"].astype(np.float64),
        intercept=float(manifest["intercept"]),
        platt_a=float(calib["a"]),
        platt_b=float(calib["b"]),
        cat_coef=arrays["cat_coef"].astype(np.float64),
        cat_intercept=arrays["cat_intercept"].astype(np.float64),
        categories=tuple(manifest["categories"]),
        n_word=int(manifest["n_word_features"]),
        threshold=float(manifest["threshold"]),
        manifest=manifest,
    )


def _check_versions(manifest: dict[str, Any], path: Path) -> None:
    expected = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "ppncheck_model_format_version": PPNCHECK_MODEL_FORMAT_VERSION,
    }
    for key, want in expected.items():
        found = manifest.get(key)
        if found != want:
            raise ModelError(
                f"model at {path.parent} has {key} {found!r}, but this ppncheck expects {want!r}; "
                "retrain it with `ppncheck train` or install a matching ppncheck"
            )


def clear_model_cache() -> None:
    """Forget loaded models (tests that rewrite a model folder call this)."""
    _load_cached.cache_clear()
