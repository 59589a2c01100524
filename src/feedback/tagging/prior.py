"""What the codebook alone says about a comment: similarity to each code's own words.

Each code is described by its label and description, its key phrases and its
examples. A comment is compared with them in the space of the static sentence
embeddings (see :mod:`feedback.tagging.embeddings`), which gives four figures per
comment and code:

``similarity``
    cosine to the code's prototype (the mean of its description, phrases and examples);
``margin``
    that similarity minus the best similarity to any other code of the codebook;
``nearest``
    cosine to the closest single phrase or example of the code;
``phrase``
    1 when one of the code's key phrases occurs in the comment (after stemming);
``overlap``
    cosine between the comment's word stems and the stems of the code's whole entry
    (label, description, phrases, examples), each stem weighted by how few codes use it,
    so a comment that shares the description's own rare words ("smartphone", "carer")
    scores even when no key phrase occurs as written.

A small logistic model over those four figures (the *matcher*, learned once on the
bundled labelled comments against the default codebook, and shipped with the default
model) turns them into a log-odds that holds for any codebook, because it only
looks at how close a comment is to a code's description, never at which code it is.
That log-odds tags comments before anyone labels anything, and is one more feature
of each code's learned model once labels exist.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from feedback.codebook import Codebook

#: Names of the per-(comment, code) figures, in column order.
PAIR_FEATURES = ("similarity", "margin", "nearest", "phrase", "overlap")
#: Words too common to say anything about a code (left out of the word overlap).
_COMMON_WORDS = (
    "a an the and or but if of to in on at for from by with as is are was were be been "
    "being it its this that these those there their they them we our us you your i me my "
    "he she his her so not no do does did have has had can could would should will just "
    "also very really more most much many some any all what which who whom how when where "
    "why than then too about into out up down over again only own same such other each "
    "both few off yes ok get got make made one way well e g eg etc s t don"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


class CodebookPrior:
    """Prototypes of a codebook's codes and the pair figures of comments against them.

    Parameters
    ----------
    codebook : Codebook
    embed : callable
        Maps a list of prepared (normalised) texts to unit embeddings.
    """

    def __init__(self, codebook: Codebook, embed, prepare=None, stems_of=None) -> None:
        self._overlap_setup(codebook, prepare, stems_of)
        texts: list[str] = []
        owner: list[int] = []
        prototypes = []
        for index, code in enumerate(codebook.codes):
            described = embed([f"{code.label}. {code.description}".strip()])[0]
            parts = [described]
            items = list(code.phrases) + list(code.examples)
            if items:
                vectors = embed(items)
                texts.extend(items)
                owner.extend([index] * len(items))
                parts.append(_unit(vectors.mean(axis=0)))
            texts.append(code.description or code.label)
            owner.append(index)
            prototypes.append(_unit(np.mean(parts, axis=0)))
        self.prototypes = np.asarray(prototypes, dtype=np.float32)
        self.items = embed(texts).astype(np.float32) if texts else np.zeros((0, 1))
        order = np.argsort(np.asarray(owner), kind="stable")
        self.items = self.items[order]
        owner_sorted = np.asarray(owner)[order]
        self._starts = np.searchsorted(owner_sorted, np.arange(len(codebook.codes)))
        self.n_codes = len(codebook.codes)

    def _overlap_setup(self, codebook: Codebook, prepare, stems_of) -> None:
        """The stem x code weight table of the word overlap."""
        from feedback.text import stem_tokens

        prepare = prepare or (lambda text: text)
        stems_of = stems_of or (lambda text: stem_tokens(text))
        entries = []
        for code in codebook.codes:
            text = " ".join(
                [code.label, code.description, *code.phrases, *code.examples, code.id]
            ).replace("_", " ")
            stems = {s for s in stems_of(prepare(text)) if s not in _COMMON and len(s) > 1}
            entries.append(stems)
        vocabulary = sorted(set().union(*entries)) if entries else []
        self._stem_index = {s: i for i, s in enumerate(vocabulary)}
        k = len(entries)
        df = np.zeros(len(vocabulary))
        for stems in entries:
            for s in stems:
                df[self._stem_index[s]] += 1
        self._stem_idf = np.log(1.0 + k / np.maximum(df, 1.0)).astype(np.float32)
        table = np.zeros((len(vocabulary), k), dtype=np.float32)
        for j, stems in enumerate(entries):
            for s in stems:
                table[self._stem_index[s], j] = self._stem_idf[self._stem_index[s]]
        norms = np.linalg.norm(table, axis=0, keepdims=True)
        self._stem_table = np.divide(table, norms, out=np.zeros_like(table), where=norms > 0)

    def overlap(self, stemmed: Sequence[str]) -> np.ndarray:
        """Word-overlap cosine of each stemmed text (``" a b "``) with each code, (n, k)."""
        from scipy import sparse

        index = self._stem_index
        cols: list[int] = []
        ptr = [0]
        for text in stemmed:
            found = {index[s] for s in text.split() if s in index}
            cols.extend(found)
            ptr.append(len(cols))
        cols_array = np.array(cols, dtype=np.int64)
        weights = self._stem_idf[cols_array] if len(cols) else np.zeros(0, np.float32)
        matrix = sparse.csr_matrix(
            (weights, cols_array, np.array(ptr)), shape=(len(stemmed), len(index))
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).astype(np.float32)
        scores = np.asarray(matrix @ self._stem_table, dtype=np.float32)
        return np.divide(scores, norms, out=np.zeros_like(scores), where=norms > 0)

    def pair_features(
        self, embedded: np.ndarray, phrase_hits, stemmed=None, *, overlap=None
    ) -> np.ndarray:
        """The figures of each comment against each code, shape (n, n_codes, 5).

        Parameters
        ----------
        embedded : ndarray (n, dims)
            Unit embeddings of the comments.
        phrase_hits : sparse or dense (n, n_codes)
            1 where a key phrase of the code occurs.
        stemmed : sequence of str, optional
            Each comment's stems (``" a b "``), for the word overlap.
        overlap : ndarray (n, n_codes), optional
            The word overlap, already computed (see :meth:`overlap`).
        """
        n, k = len(embedded), self.n_codes
        out = np.zeros((n, k, len(PAIR_FEATURES)), dtype=np.float32)
        if n == 0:
            return out
        similarity = embedded @ self.prototypes.T
        out[:, :, 0] = similarity
        if k > 1:
            top2 = np.partition(similarity, k - 2, axis=1)[:, -2:]
            best, second = top2.max(axis=1), top2.min(axis=1)
            other_best = np.where(similarity >= best[:, None], second[:, None], best[:, None])
            out[:, :, 1] = similarity - other_best
        if len(self.items):
            item_sims = embedded @ self.items.T
            out[:, :, 2] = np.maximum.reduceat(item_sims, self._starts, axis=1)
        hits = phrase_hits.toarray() if hasattr(phrase_hits, "toarray") else phrase_hits
        out[:, :, 3] = np.asarray(hits) > 0
        if overlap is not None:
            out[:, :, 4] = overlap
        elif stemmed is not None:
            out[:, :, 4] = self.overlap(stemmed)
        # A comment with no known word piece has no similarity to anything.
        empty = ~embedded.any(axis=1)
        out[empty, :, :3] = 0.0
        return out


def fit_matcher(
    pairs: np.ndarray, truth: np.ndarray, known: np.ndarray
) -> tuple[np.ndarray, float]:
    """Learn the matcher from labelled comments: weights (intercept first) and a threshold.

    Parameters
    ----------
    pairs : ndarray (n, n_codes, 4)
        From :meth:`CodebookPrior.pair_features`.
    truth : ndarray (n, n_codes) of 0/1
    known : ndarray (n, n_codes) of bool
        Which cells of ``truth`` are known.

    Returns
    -------
    (ndarray of shape (6,), float, float)
        The weights; the probability cut-off that maximises F1 over all pairs; and the
        fallback ratio: a comment that no code reaches gets its most likely code when
        that code's probability reaches this share of the cut-off (2.0 for never).
    """
    from sklearn.linear_model import LogisticRegression

    X = pairs[known].astype(np.float64)
    target = truth[known].astype(int)
    model = LogisticRegression(C=10.0, max_iter=1000)
    model.fit(X, target)
    weights = np.concatenate([model.intercept_, model.coef_[0]])
    probability = model.predict_proba(X)[:, 1]
    best, best_f1 = 0.5, -1.0
    for threshold in np.round(np.arange(0.1, 0.91, 0.025), 3):
        given = probability >= threshold
        tp = int((given & (target == 1)).sum())
        f1 = 2 * tp / max(1, given.sum() + target.sum())
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    rows = known.all(axis=1)
    scores = 1.0 / (1.0 + np.exp(-matcher_logits(pairs[rows], weights)))
    return weights, best, best_fallback(truth[rows], scores, np.full(truth.shape[1], best))


def best_fallback(truth: np.ndarray, probabilities: np.ndarray, thresholds: np.ndarray) -> float:
    """The fallback ratio (see :func:`decide`) that maximises micro-F1; 2.0 for none."""
    best_ratio, best = 2.0, _micro_f1(truth, decide(probabilities, thresholds, 2.0))
    for ratio in np.round(np.arange(0.3, 1.0, 0.05), 2):
        score = _micro_f1(truth, decide(probabilities, thresholds, float(ratio)))
        if score > best + 1e-9:
            best, best_ratio = score, float(ratio)
    return best_ratio


def decide(probabilities: np.ndarray, thresholds: np.ndarray, fallback: float) -> np.ndarray:
    """Codes given: each at its threshold; a comment no code reached gets its relatively
    most likely code when that code's probability is within ``fallback`` of its threshold."""
    given = probabilities >= thresholds
    if fallback < 1.0 and len(probabilities):
        ratio = probabilities / thresholds
        empty = ~given.any(axis=1)
        best = ratio.argmax(axis=1)
        pick = empty & (ratio[np.arange(len(ratio)), best] >= fallback)
        given[np.flatnonzero(pick), best[pick]] = True
    return given.astype(np.int8)


def _micro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((truth.astype(bool) & predicted.astype(bool)).sum())
    return 2 * tp / max(1, int(truth.sum()) + int(predicted.sum()))


def matcher_logits(pairs: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Log-odds of each (comment, code) pair, shape (n, n_codes)."""
    weights = np.asarray(weights, dtype=np.float32)
    return pairs @ weights[1:] + weights[0]
