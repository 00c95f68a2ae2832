"""The sentence classifier: hashed n-gram features from spaCy tokens, logistic regression, Platt
calibration, and safe persistence as plain arrays plus a JSON manifest.

Features are built from the tokens the pipeline already has (``NORM`` of each token): word
unigrams and bigrams, and character 3-5-grams of each token (like scikit-learn's ``char_wb``),
hashed with MurmurHash3 (fixed seed, not Python's salted ``hash``) into a fixed space, then
TF-IDF weighted and L2-normalised per block.  Per-token work is cached by the token's norm hash
and the rest is vectorised with numpy, so scoring keeps pace with the tokenizer.

Persistence is ``ppncheck.modelfile``'s: one ``.npy`` per array (read with
``allow_pickle=False``) and ``manifest.json`` (versions, sha256 of each file), with this model's
feature config, thresholds, calibration and training record in the manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from murmurhash.mrmr import hash as _mrmr_hash
from spacy.attrs import IS_SPACE, NORM
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ppncheck._extras import missing_extra
from ppncheck.modelfile import ModelFileError, ModelKind, read_model, write_model

if TYPE_CHECKING:
    from scipy import sparse

MODEL_KIND = ModelKind(
    name="victim_blaming",
    title="victim-blaming",
    # v3: a second head, the blame-frame classifier (``frame_coef``), decides where model-only
    # hits may be made; an older ppncheck would ignore it and decide differently, so it
    # refuses v3
    format_version=3,
    arrays=("active", "idf", "coef", "cat_coef", "cat_intercept", "frame_coef"),
    train_command="ppncheck train vb",
)
_CACHE_LIMIT = 400_000
_MIX_A = np.uint64(0x9E3779B1)
_MASK32 = np.uint64(0xFFFFFFFF)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Unit = tuple[Doc, int, int]  # a doc and a token range (usually a sentence)
# a doc's NORM and IS_SPACE columns and a token range: what scoring needs, with no spaCy objects
Segment = tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_], int, int]


def word_tokens(
    segments: Sequence[Segment],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Every non-space token's norm hash in the segments, and the segment number of each."""
    hashes = [norms[s:e][~space[s:e]] for norms, space, s, e in segments]
    rows = np.repeat(np.arange(len(segments), dtype=np.int64), [len(h) for h in hashes])
    return np.concatenate(hashes), rows


def _sparse() -> Any:
    """``scipy.sparse``, imported on first use: training builds matrices, but scoring the
    shipped model sums cached per-token terms, so a check never needs scipy (it comes with
    the ``[train]`` extra)."""
    try:
        from scipy import sparse
    except ImportError as exc:
        raise missing_extra("train", "building a feature matrix", exc) from None
    return sparse


def murmurhash3_32(key: str, seed: int) -> int:
    """Unsigned MurmurHash3 (x86, 32-bit) of ``key``'s UTF-8 bytes.

    The same value as scikit-learn's ``murmurhash3_32(key, seed, positive=True)``, with which
    the features were defined (a test compares them), computed by the ``murmurhash`` package
    spaCy itself depends on: importing scikit-learn to score sentences cost about 2 s in every
    process (each ``--jobs`` worker included), and only training needs it.
    """
    return int(_mrmr_hash(key, seed)) & 0xFFFFFFFF


@dataclass(frozen=True)
class FeatureConfig:
    word_bits: int = 18
    char_bits: int = 18
    char_min: int = 3
    char_max: int = 5
    seed: int = 0
    hash: str = "murmurhash3_32"
    # raw TF x IDF with each block's L2 norm taken over token occurrences (sum of count x idf^2):
    # every feature then decomposes into per-token terms, so scoring sums cached per-token
    # scalars instead of building a sparse matrix (see SentenceModel.score_tokens)
    tf: str = "raw"
    norm: str = "l2-occurrences-per-block"
    # binary "sentence has <= n word tokens" features, appended after the n-gram columns and
    # left unnormalised: without them the L2-normalised n-grams of a three-word fragment
    # ("Very cold.") weigh as much as a whole sentence's, and fragments were scored as blaming
    length_bins: tuple[int, ...] = ()

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
        self.generation = 0
        self._index: dict[int, int] = {}
        self._word: IntArray = np.zeros(0, dtype=np.int64)
        self._mix: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)
        self._cstart: IntArray = np.zeros(0, dtype=np.int64)
        self._clen: IntArray = np.zeros(0, dtype=np.int64)
        self._chars: IntArray = np.zeros(0, dtype=np.int64)

    @property
    def n_length(self) -> int:
        """Length columns are only added to compact (trained) feature spaces."""
        return len(self.config.length_bins) if self.active is not None else 0

    @property
    def n_columns(self) -> int:
        if self.active is None:
            return self.config.word_space + self.config.char_space
        return len(self.active) + self.n_length

    # global ids ---------------------------------------------------------------------------------

    def word_id(self, norm: str) -> int:
        return int(murmurhash3_32("w:" + norm, self.config.seed)) % self.config.word_space

    def char_ids(self, norm: str) -> list[int]:
        cfg = self.config
        padded = f" {norm} "
        out = []
        for n in range(cfg.char_min, cfg.char_max + 1):
            for i in range(len(padded) - n + 1):
                h = murmurhash3_32("c:" + padded[i : i + n], cfg.seed)
                out.append(cfg.word_space + int(h) % cfg.char_space)
        return out

    def _compact(self, ids: Sequence[int] | IntArray) -> IntArray:
        arr = np.asarray(ids, dtype=np.int64)
        if self.active is None:
            return arr
        pos = np.searchsorted(self.active, arr)
        pos = np.minimum(pos, len(self.active) - 1)
        return pos[self.active[pos] == arr] if len(self.active) else arr[:0]

    def _token_rows(self, uniq: list[int], vocab: Vocab) -> IntArray:
        """Rows of the token table for these norm hashes, adding the ones not seen yet.

        The table holds, per distinct norm, its compact word id, its bigram mixing hash and the
        span of its character n-gram ids in one flat array, so a batch gathers everything with
        numpy indexing instead of building per-token Python objects.
        """
        if len(self._index) + len(uniq) > _CACHE_LIMIT:
            self._reset_table()
        get = self._index.get
        rows = [get(h, -1) for h in uniq]
        new = [h for h, r in zip(uniq, rows, strict=True) if r < 0]
        if new:
            words, mixes, lens, chars = [], [], [], []
            for h in new:
                norm = vocab.strings[h]
                word = self._compact([self.word_id(norm)])
                words.append(int(word[0]) if len(word) else -1)
                mixes.append(int(murmurhash3_32(norm, self.config.seed + 1)))
                ids = self._compact(self.char_ids(norm))
                lens.append(len(ids))
                chars.append(ids)
                self._index[h] = len(self._index)
            lens_arr = np.asarray(lens, dtype=np.int64)
            starts = len(self._chars) + np.concatenate([[0], np.cumsum(lens_arr)[:-1]])
            self._word = np.concatenate([self._word, np.asarray(words, dtype=np.int64)])
            self._mix = np.concatenate([self._mix, np.asarray(mixes, dtype=np.uint64)])
            self._cstart = np.concatenate([self._cstart, starts.astype(np.int64)])
            self._clen = np.concatenate([self._clen, lens_arr])
            self._chars = np.concatenate([self._chars, *chars]).astype(np.int64)
            rows = [get(h, -1) for h in uniq]
        return np.asarray(rows, dtype=np.int64)

    def token_rows(self, all_h: npt.NDArray[np.uint64], vocab: Vocab) -> IntArray:
        """The token-table row of every occurrence (adds unseen norms to the table)."""
        uniq, inverse = np.unique(all_h, return_inverse=True)
        return self._token_rows(uniq.tolist(), vocab)[inverse.ravel()]

    def bigrams(self, mix: npt.NDArray[np.uint64], rows_tok: IntArray) -> tuple[IntArray, IntArray]:
        """(column, row) of every word bigram inside a row (compact columns if trained)."""
        if len(mix) < 2:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        same = rows_tok[1:] == rows_tok[:-1]
        big = ((mix[:-1] * _MIX_A) ^ mix[1:]) & _MASK32
        big_g = (big % np.uint64(self.config.word_space)).astype(np.int64)
        big_g, big_rows = big_g[same], rows_tok[1:][same]
        if self.active is not None:
            pos = np.minimum(np.searchsorted(self.active, big_g), max(len(self.active) - 1, 0))
            hit = self.active[pos] == big_g
            big_g, big_rows = pos[hit], big_rows[hit]
        return big_g, big_rows

    def _reset_table(self) -> None:
        self.generation += 1
        self._index = {}
        self._word = np.zeros(0, dtype=np.int64)
        self._mix = np.zeros(0, dtype=np.uint64)
        self._cstart = np.zeros(0, dtype=np.int64)
        self._clen = np.zeros(0, dtype=np.int64)
        self._chars = np.zeros(0, dtype=np.int64)

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
        n_cols = self.n_columns
        if not segments or vocab is None:
            return _sparse().csr_matrix((len(segments), n_cols), dtype=np.float64)
        all_h, rows_tok = word_tokens(segments)
        return self.counts_tokens(all_h, rows_tok, len(segments), vocab)

    def counts_tokens(
        self,
        all_h: npt.NDArray[np.uint64],
        rows_tok: npt.NDArray[np.int64],
        n_rows: int,
        vocab: Vocab,
    ) -> sparse.csr_matrix:
        """The count matrix from every (non-space) token's norm hash and its row number; rows
        must be non-decreasing (tokens in text order), as bigrams pair neighbouring tokens."""
        n_cols = self.n_columns
        if not len(all_h):
            return _sparse().csr_matrix((n_rows, n_cols), dtype=np.float64)
        tok = self.token_rows(all_h, vocab)
        word_c = self._word[tok]
        mix = self._mix[tok]

        # word unigrams
        ok = word_c >= 0
        rows = [rows_tok[ok]]
        cols = [word_c[ok]]
        # word bigrams inside a unit
        big_g, big_rows = self.bigrams(mix, rows_tok)
        rows.append(big_rows)
        cols.append(big_g)
        # character n-grams: gather each token's cached ids without a Python loop
        lens = self._clen[tok]
        total = int(lens.sum())
        if total:
            starts = self._cstart[tok]
            offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
            rows.append(np.repeat(rows_tok, lens))
            cols.append(self._chars[offsets])
        if self.n_length:
            n_tok = np.bincount(rows_tok, minlength=n_rows)
            base = len(self.active) if self.active is not None else 0
            for j, limit in enumerate(self.config.length_bins):
                short = np.flatnonzero(n_tok <= limit)
                rows.append(short.astype(np.int64))
                cols.append(np.full(len(short), base + j, dtype=np.int64))
        r = np.concatenate(rows)
        c = np.concatenate(cols)
        m = _sparse().coo_matrix((np.ones(len(r)), (r, c)), shape=(n_rows, n_cols)).tocsr()
        m.sum_duplicates()
        return m


def _row_sums(terms: FloatArray, tok: IntArray, rows: IntArray, n_rows: int) -> FloatArray:
    """Sum each term row over the occurrences of every sentence."""
    return np.vstack(
        [np.bincount(rows, terms[j][tok], minlength=n_rows) for j in range(terms.shape[0])]
    )


def tfidf(
    counts: sparse.csr_matrix,
    idf: FloatArray,
    n_word: int,
    n_extra: int = 0,
    config: FeatureConfig | None = None,
) -> sparse.csr_matrix:
    """TF times IDF, L2-normalised separately over word and character columns; the last
    ``n_extra`` columns (length indicators) are kept as 0/1.  ``config`` picks sublinear or raw
    TF and a true L2 norm or the occurrence norm (default: ``FeatureConfig()``)."""
    cfg = config or FeatureConfig()
    x = counts.copy()
    n_ngram = x.shape[1] - n_extra
    extra = x.indices >= n_ngram
    weights = np.ones(len(x.data))
    weights[~extra] = idf[x.indices[~extra]]
    tf = x.data if cfg.tf == "raw" else 1.0 + np.log(x.data)
    sq = counts.data * weights**2 if cfg.norm == "l2-occurrences-per-block" else (tf * weights) ** 2
    x.data = tf * weights
    is_word = x.indices < n_word
    is_char = ~is_word & ~extra
    row_of = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    word_norm = np.sqrt(np.bincount(row_of[is_word], sq[is_word], minlength=x.shape[0]))
    char_norm = np.sqrt(np.bincount(row_of[is_char], sq[is_char], minlength=x.shape[0]))
    denom = np.where(is_word, word_norm[row_of], np.where(is_char, char_norm[row_of], 1.0))
    x.data = x.data / np.where(denom > 0, denom, 1.0)
    return x


@dataclass(frozen=True)
class SentenceScores:
    """Per sentence: the calibrated victim-blaming probability, the likeliest category, and the
    blame-frame probability (None for a model without a frame head)."""

    prob: FloatArray
    categories: list[str]
    frame: FloatArray | None = None


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
    # a lexicon candidate that only a weak cue lowered is kept when the model agrees at this
    # (lower) score; the stricter ``threshold`` applies to model-only hits
    agree_threshold: float | None = None
    # model-only hits in a sentence outside any blame frame need this stricter score; None:
    # never (see Detector.in_blame_frame)
    unframed_threshold: float | None = None
    # the blame-frame head: a logistic regression on the same features telling sentences about
    # the victim's own conduct, choices, character, consent or relationships from plain facts
    # (see train.frame_labels).  A sentence whose frame probability reaches ``frame_threshold``
    # is in a blame frame even when no cue of the context file says so; None: cues only
    frame_coef: FloatArray | None = None
    frame_intercept: float = 0.0
    frame_threshold: float | None = None
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def heads(self) -> FloatArray:
        """The category coefficients, then the frame head's when there is one (one matrix, so
        scoring sums every head's per-token terms in the same pass)."""
        if self.frame_coef is None:
            return self.cat_coef
        heads: FloatArray | None = self.cache.get("heads")  # stacked once, not per batch
        if heads is None:
            heads = self.cache["heads"] = np.vstack([self.cat_coef, self.frame_coef[np.newaxis, :]])
        return heads

    def score_units(self, units: Sequence[Unit]) -> tuple[FloatArray, list[str]]:
        """Calibrated probability and most likely category for each unit."""
        segments: list[Segment] = []
        arrays: dict[int, tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]] = {}
        for doc, start, end in units:
            arr = arrays.get(id(doc))
            if arr is None:
                raw = doc.to_array([NORM, IS_SPACE])
                arr = (raw[:, 0].astype(np.uint64), raw[:, 1] == 1)
                arrays[id(doc)] = arr
            segments.append((arr[0], arr[1], start, end))
        return self.score_segments(segments, units[0][0].vocab) if units else (np.zeros(0), [])

    def score_segments(
        self, segments: Sequence[Segment], vocab: Vocab
    ) -> tuple[FloatArray, list[str]]:
        """``score_units`` on token columns already read from the docs."""
        if not segments:
            return np.zeros(0), []
        norms, rows = word_tokens(segments)
        return self.score_tokens(norms, rows, len(segments), vocab)

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
        cfg = self.featuriser.config
        if cfg.tf != "raw" or cfg.norm != "l2-occurrences-per-block":
            counts = self.featuriser.counts_tokens(norms, rows, n_rows, vocab)
            return self.score_matrix(
                tfidf(counts, self.idf, self.n_word, self.featuriser.n_length, cfg)
            )
        scores = self.score_batch(norms, rows, n_rows, vocab)
        return scores.prob, scores.categories

    def score_batch(
        self,
        norms: npt.NDArray[np.uint64],
        rows: npt.NDArray[np.int64],
        n_rows: int,
        vocab: Vocab,
    ) -> SentenceScores:
        """``score_tokens`` with the blame-frame probability of every sentence as well."""
        if not n_rows:
            return SentenceScores(np.zeros(0), [], None if self.frame_coef is None else np.zeros(0))
        cfg = self.featuriser.config
        if cfg.tf != "raw" or cfg.norm != "l2-occurrences-per-block":
            counts = self.featuriser.counts_tokens(norms, rows, n_rows, vocab)
            x = tfidf(counts, self.idf, self.n_word, self.featuriser.n_length, cfg)
            prob, cats = self.score_matrix(x)
            return SentenceScores(prob, cats, self.frame_matrix(x))
        return self._score_fast(norms, rows, n_rows, vocab)

    def _score_fast(
        self,
        norms: npt.NDArray[np.uint64],
        rows: npt.NDArray[np.int64],
        n_rows: int,
        vocab: Vocab,
    ) -> SentenceScores:
        """Exactly ``score_matrix(tfidf(counts))`` (and ``frame_matrix``) for occurrence-normed
        raw TF, computed as sums of cached per-token terms: no sparse matrix, no sort, one pass
        of ``bincount``."""
        fz = self.featuriser
        n_cat = len(self.categories)
        heads = self.heads
        n_heads = heads.shape[0]
        # per-sentence sums: [logit numerator, squared norm, category (and frame) numerators...]
        word = np.zeros((n_heads + 2, n_rows))
        char = np.zeros((n_heads + 2, n_rows))
        if len(norms):
            tok = fz.token_rows(norms, vocab)
            w_terms, c_terms = self._token_terms()
            word += _row_sums(w_terms, tok, rows, n_rows)
            char += _row_sums(c_terms, tok, rows, n_rows)
            big_g, big_rows = fz.bigrams(fz._mix[tok], rows)
            if len(big_g):
                idf = self.idf[big_g]
                b_terms = np.vstack([self.coef[big_g] * idf, idf**2, heads[:, big_g] * idf])
                for j in range(n_heads + 2):
                    word[j] += np.bincount(big_rows, b_terms[j], minlength=n_rows)
        w_norm = np.sqrt(word[1])
        c_norm = np.sqrt(char[1])
        w_div = np.where(w_norm > 0, w_norm, 1.0)
        c_div = np.where(c_norm > 0, c_norm, 1.0)
        z = word[0] / w_div + char[0] / c_div + self.intercept
        head_scores = (word[2:] / w_div + char[2:] / c_div).T
        if fz.n_length:
            n_tok = np.bincount(rows, minlength=n_rows)
            base = len(fz.active) if fz.active is not None else 0
            for j, limit in enumerate(fz.config.length_bins):
                short = n_tok <= limit
                z = z + short * self.coef[base + j]
                head_scores = head_scores + np.outer(short, heads[:, base + j])
        prob = 1.0 / (1.0 + np.exp(-(self.platt_a * z + self.platt_b)))
        cat_scores = head_scores[:, :n_cat] + self.cat_intercept
        cats = [self.categories[i] for i in np.argmax(cat_scores, axis=1)]
        frame = None
        if self.frame_coef is not None:
            frame = 1.0 / (1.0 + np.exp(-(head_scores[:, n_cat] + self.frame_intercept)))
        return SentenceScores(np.asarray(prob, dtype=np.float64), cats, frame)

    def _token_terms(self) -> tuple[FloatArray, FloatArray]:
        """Per token-table row: (coef x idf, idf^2, cat_coef x idf) summed over its word id and,
        separately, over its character n-grams; extended as the table grows."""
        fz = self.featuriser
        cache = self.cache
        if cache.get("generation") != fz.generation:
            cache.clear()
            cache["generation"] = fz.generation
        heads = cache.get("heads")
        if heads is None:
            heads = cache["heads"] = self.heads
        n_heads = heads.shape[0]
        w_terms: FloatArray = cache.get("word", np.zeros((n_heads + 2, 0)))
        c_terms: FloatArray = cache.get("char", np.zeros((n_heads + 2, 0)))
        done, total = w_terms.shape[1], len(fz._word)
        if done < total:
            new = np.arange(done, total)
            wc = fz._word[new]
            ok = wc >= 0
            wcol = np.where(ok, wc, 0)
            idf = np.where(ok, self.idf[wcol], 0.0)
            w_new = np.vstack([self.coef[wcol] * idf, idf**2, heads[:, wcol] * idf])
            lens = fz._clen[new]
            starts = fz._cstart[new]
            total_c = int(lens.sum())
            offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total_c)
            ccol = fz._chars[offsets]
            seg = np.repeat(np.arange(len(new)), lens)
            cidf = self.idf[ccol]
            c_vals = np.vstack([self.coef[ccol] * cidf, cidf**2, heads[:, ccol] * cidf])
            c_new = np.vstack(
                [np.bincount(seg, c_vals[j], minlength=len(new)) for j in range(n_heads + 2)]
            )
            w_terms = np.hstack([w_terms, w_new])
            c_terms = np.hstack([c_terms, c_new])
            cache["word"], cache["char"] = w_terms, c_terms
        return w_terms, c_terms

    def score_matrix(self, x: sparse.csr_matrix) -> tuple[FloatArray, list[str]]:
        z = x @ self.coef + self.intercept
        prob = 1.0 / (1.0 + np.exp(-(self.platt_a * z + self.platt_b)))
        cat_scores = x @ self.cat_coef.T + self.cat_intercept
        cats = [self.categories[i] for i in np.argmax(cat_scores, axis=1)]
        return np.asarray(prob, dtype=np.float64), cats

    def frame_matrix(self, x: sparse.csr_matrix) -> FloatArray | None:
        """The blame-frame probability of each row of a TF-IDF matrix (training's path)."""
        if self.frame_coef is None:
            return None
        z = x @ self.frame_coef + self.frame_intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


# -- persistence -------------------------------------------------------------------------------


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
    agree_threshold: float,
    extra: dict[str, Any],
    unframed_threshold: float | None = None,
    frame: tuple[FloatArray, float, float | None] | None = None,
    versions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Write the model folder (``ppncheck.modelfile``); return the manifest.  ``frame``: the
    blame-frame head's (coefficients, intercept, threshold or None); ``versions``: the
    libraries that trained it."""
    arrays: dict[str, npt.NDArray[Any]] = {
        "active": np.asarray(active, dtype=np.int64),
        "idf": np.asarray(idf, dtype=np.float32),
        "coef": np.asarray(coef, dtype=np.float32),
        "cat_coef": np.asarray(cat_coef, dtype=np.float32),
        "cat_intercept": np.asarray(cat_intercept, dtype=np.float64),
        "frame_coef": np.asarray(frame[0] if frame is not None else np.zeros(0), dtype=np.float32),
    }
    settings: dict[str, Any] = {
        "feature_config": asdict(config),
        "n_active_features": len(active),
        "n_word_features": int(n_word),
        "intercept": float(intercept),
        "calibration": {"method": "platt", "a": float(platt[0]), "b": float(platt[1])},
        "categories": list(categories),
        "threshold": float(threshold),
        "agree_threshold": float(agree_threshold),
        "unframed_threshold": None if unframed_threshold is None else float(unframed_threshold),
        "frame_intercept": None if frame is None else float(frame[1]),
        "frame_threshold": None if frame is None or frame[2] is None else float(frame[2]),
        **extra,
    }
    return write_model(out_dir, MODEL_KIND, arrays, settings, versions=versions)


def load_model(model_dir: Path | str) -> SentenceModel:
    """Load and verify a model folder (cached per process by resolved path)."""
    return _load_cached(str(Path(model_dir).resolve()))


@lru_cache(maxsize=4)
def _load_cached(model_dir: str) -> SentenceModel:
    folder = read_model(Path(model_dir), MODEL_KIND)
    manifest, arrays = folder.manifest, folder.arrays
    try:
        raw_cfg = dict(manifest["feature_config"])
        raw_cfg["length_bins"] = tuple(raw_cfg.get("length_bins", ()))
        cfg = FeatureConfig(**raw_cfg)
        calib = manifest["calibration"]
        platt_a, platt_b = float(calib["a"]), float(calib["b"])
        categories = tuple(manifest["categories"])
        n_word = int(manifest["n_word_features"])
        intercept, threshold = float(manifest["intercept"]), float(manifest["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(
            f"model manifest in {model_dir} has a missing or bad setting "
            f"({type(exc).__name__}: {exc})",
            MODEL_KIND.title,
        ) from None
    active = arrays["active"].astype(np.int64)
    frame_coef = arrays["frame_coef"].astype(np.float64)
    has_frame = len(frame_coef) > 0 and manifest.get("frame_intercept") is not None
    if has_frame and len(frame_coef) != len(arrays["coef"]):
        raise ModelFileError(
            f"model file {Path(model_dir) / 'frame_coef.npy'} has the wrong length",
            MODEL_KIND.title,
        )
    return SentenceModel(
        featuriser=Featuriser(cfg, active),
        idf=arrays["idf"].astype(np.float64),
        coef=arrays["coef"].astype(np.float64),
        intercept=intercept,
        platt_a=platt_a,
        platt_b=platt_b,
        cat_coef=arrays["cat_coef"].astype(np.float64),
        cat_intercept=arrays["cat_intercept"].astype(np.float64),
        categories=categories,
        n_word=n_word,
        threshold=threshold,
        manifest=manifest,
        agree_threshold=float(manifest.get("agree_threshold", manifest["threshold"])),
        unframed_threshold=(
            float(manifest["unframed_threshold"])
            if manifest.get("unframed_threshold") is not None
            else None
        ),
        frame_coef=frame_coef if has_frame else None,
        frame_intercept=float(manifest["frame_intercept"]) if has_frame else 0.0,
        frame_threshold=(
            float(manifest["frame_threshold"])
            if has_frame and manifest.get("frame_threshold") is not None
            else None
        ),
    )


def clear_model_cache() -> None:
    """Forget loaded models (tests that rewrite a model folder call this)."""
    _load_cached.cache_clear()
