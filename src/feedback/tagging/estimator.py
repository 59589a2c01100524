"""The estimator: :class:`CommentTagger`, a multi-label tagger of comments against a codebook.

It combines the codebook's key phrases (stemmed with nltk) with one logistic regression
per code over word and character n-grams, picks a threshold per code by
cross-validation, and explains each tag (the phrases matched and the terms that
weighed most).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from feedback.codebook import Codebook, codebook_from_dict, load_codebook
from feedback.exceptions import CodebookError, ModelError
from feedback.tagging.embeddings import words
from feedback.tagging.features import _PHRASE, _WORD, TextPreparer, _Vectoriser
from feedback.tagging.labels import labels_to_matrix
from feedback.tagging.prior import PAIR_FEATURES, CodebookPrior, fit_matcher, matcher_logits
from feedback.text import PhraseMatcher, stem

#: Version of the saved-model layout; bumped when it changes.
MODEL_FORMAT = 4
#: Weights of the codebook prior's matcher: an intercept and one per pair figure.
_N_MATCHER = 1 + len(PAIR_FEATURES)
#: The codebook prior's matcher is learned from the training data from this many comments
#: on; below, the shipped default model's is used.
_LEARN_MATCHER_FROM = 1000
#: Training on this many comments or more fits codes on two threads.
_THREADS_FROM = 2000
#: Codes trained on fewer comments than this choose C from ``C_grid`` by cross-validation.
_GRID_BELOW = 2000
#: The codebook prior enters each code's regression divided by this: its weight is then
#: penalised like the others', so the regression decides how far to trust it (keeping it at
#: full strength, by multiplying instead, did worse on a user's codebook with 120 labels).
_PRIOR_SCALE = 8.0
#: Codes that learn from fewer comments than ``_GRID_BELOW`` also get the cosine of a comment
#: to the mean embedding of the code's labelled comments (its *centroid*) as a feature,
#: multiplied by this before the regression sees it.
_CENTROID_SCALE = 4.0


def _as_texts(X: object) -> list[str]:
    if isinstance(X, str):
        raise ModelError("expected a list of comments, got a single string")
    try:
        texts = list(X)  # type: ignore[call-overload]
    except TypeError:
        raise ModelError(f"expected a list of comments, got {type(X).__name__}") from None
    out = []
    for value in texts:
        if isinstance(value, np.ndarray | list) and len(value) == 1:
            value = value[0]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = ""
        out.append(str(value))
    return out


def _threads() -> int:
    """Threads for fitting codes side by side: the machine's cores, at most two."""
    import os

    return max(1, min(2, os.cpu_count() or 1))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


# -- the estimator ----------------------------------------------------------------------------
class _Estimator:
    """scikit-learn's estimator contract without importing scikit-learn.

    ``get_params``, ``set_params``, ``__sklearn_tags__`` and a short ``repr``, as
    :class:`sklearn.base.BaseEstimator` gives them, so ``clone``, pipelines and
    grid searches work. Importing scikit-learn costs about 0.75 s, more than tagging
    a whole webinar; here it is imported only to train, and for the tags.
    """

    _estimator_type = "classifier"

    @classmethod
    def _get_param_names(cls) -> list[str]:
        import inspect

        signature = inspect.signature(cls.__init__)
        return sorted(
            name
            for name, parameter in signature.parameters.items()
            if name != "self" and parameter.kind != parameter.VAR_KEYWORD
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters and their values (scikit-learn's contract)."""
        params = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                params.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            params[name] = value
        return params

    def set_params(self, **params: Any):
        """Set parameters by name and return the estimator (scikit-learn's contract)."""
        valid = set(self._get_param_names())
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(valid)!r}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        import inspect

        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(type(self).__init__).parameters.items()
        }
        changed = []
        for name in self._get_param_names():
            value = getattr(self, name, None)
            default = defaults.get(name, inspect.Parameter.empty)
            try:
                same = bool(value == default)
            except Exception:
                same = value is default
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(),
        )


def check_is_fitted(estimator, attribute: str) -> None:
    """Raise scikit-learn's ``NotFittedError`` unless ``estimator`` has ``attribute``."""
    if not hasattr(estimator, attribute):
        from sklearn.exceptions import NotFittedError

        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


class CommentTagger(_Estimator):
    """Multi-label tagger of comments against a codebook.

    Parameters
    ----------
    codebook : Codebook, str, Path or None
        The codebook (or a path to one); the bundled default when None.
    C : float
        Inverse regularisation strength of each code's logistic regression.
    word_ngrams : tuple of int or None
        Range of stemmed word n-grams, e.g. ``(1, 2)``; None for none.
    char_ngrams : tuple of int or None
        Range of character n-grams, e.g. ``(2, 5)``; None for none.
    phrase_weight : float
        Value of the feature "a key phrase of code c occurs"; 0 turns phrases off.
    use_examples : bool
        Add the codebook's example comments to the training data.
    cv : int
        Folds used to choose each code's threshold.
    class_weight : "balanced" or None
        Weighting of each code's positive and negative comments.
    min_df : int
        Keep only n-grams that occur in at least this many training comments.
    ensure_label : bool
        When no code reaches its threshold, give the comment its most likely code
        if that code's probability reaches ``fallback_`` of its threshold (a ratio
        chosen by cross-validation; comments that fit nothing still get none).
    embedding_weight : float
        Scale of the sentence embedding (a unit vector) beside the n-gram blocks.
    min_labels : int
        A code learns its own regression only from this many labelled comments on;
        below, it is tagged by similarity to its codebook entry alone (the codebook
        prior), which works before anyone labels anything.
    matcher : sequence of 8 floats or None
        Weights (intercept first), threshold and fallback ratio of the codebook prior (see
        :mod:`feedback.tagging.prior`); None learns them from the training data, which
        needs 1,000 labelled comments or more (the bundled data); with fewer they come
        from the shipped default model.

    C_grid : tuple of float or None
        For codes with fewer than 2,000 training comments (a user's own labels), C is
        chosen per code from these by cross-validated F1; None always uses ``C``.

    Attributes
    ----------
    classes_ : ndarray of str
        Code ids, in codebook order.
    codebook_ : Codebook
    coef_ : ndarray of shape (n_codes, n_features)
    intercept_ : ndarray of shape (n_codes,)
    thresholds_ : ndarray of shape (n_codes,)
        Probability at or above which a code is given.
    fallback_ : float
        Ratio of probability to threshold at which the most likely code is given to
        a comment that no code reached (above 1 when ``ensure_label`` is off).
    cv_scores_ : dict
        Micro and macro F1 of the cross-validated predictions used for the thresholds,
        over the comments passed as ``scored`` (and codes with support among them).
    coef_embedding_, coef_prior_ : ndarrays
        Weights of the sentence embedding and of the codebook prior per code.
    centroids_, coef_centroid_ : ndarrays
        Per code trained on fewer than 2,000 comments (a user's own labels): the unit mean
        embedding of its labelled comments and the weight of a comment's cosine to it (zero
        for the other codes).
    learned_ : ndarray of bool
        Codes with their own regression (the rest use the codebook prior alone).
    label_counts_ : ndarray of int
        Labelled comments (with codebook examples) per code.
    rows_per_code_ : ndarray of int
        Comments each code learned from (positives and negatives).
    matcher_, matcher_threshold_
        The codebook prior's weights and threshold.

    Examples
    --------
    >>> tagger = CommentTagger().fit(texts, labels)  # doctest: +SKIP
    >>> tagger.predict_labels(["We need permission to fail"])  # doctest: +SKIP
    [['failure']]
    """

    def __init__(
        self,
        codebook: Codebook | str | Path | None = None,
        *,
        C: float = 32.0,
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (3, 5),
        phrase_weight: float = 1.0,
        use_examples: bool = True,
        cv: int = 4,
        class_weight: str | None = None,
        min_df: int = 2,
        ensure_label: bool = True,
        embedding_weight: float = 1.0,
        min_labels: int = 5,
        matcher: Sequence[float] | None = None,
        C_grid: tuple[float, ...] | None = (0.5, 2.0, 8.0, 32.0),
    ) -> None:
        self.codebook = codebook
        self.C = C
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.phrase_weight = phrase_weight
        self.use_examples = use_examples
        self.cv = cv
        self.class_weight = class_weight
        self.min_df = min_df
        self.ensure_label = ensure_label
        self.embedding_weight = embedding_weight
        self.min_labels = min_labels
        self.matcher = matcher
        self.C_grid = C_grid

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        tags.classifier_tags.multi_label = True
        return tags

    # -- fitting --------------------------------------------------------------------------
    def _resolve_codebook(self) -> Codebook:
        if isinstance(self.codebook, Codebook):
            return self.codebook
        return load_codebook(self.codebook)

    def fit(
        self,
        X: Iterable[str],
        y: Sequence[object],
        *,
        known: np.ndarray | None = None,
        scored: np.ndarray | None = None,
        reuse: dict[int, tuple[float, np.ndarray]] | None = None,
        progress=None,
    ) -> CommentTagger:
        """Learn from comments ``X`` and their labels ``y``.

        Parameters
        ----------
        X : iterable of str
        y : sequence of label cells (``"a;b"`` or lists) or a 0/1 array (n, n_codes)
        known : bool array (n, n_codes), optional
            Which labels are known: a comment is a negative example of a code only where
            its cell is True (bundled comments are unknown for a user's new codes).
            All True by default.
        scored : bool array (n,), optional
            The comments whose cross-validated predictions make ``cv_scores_`` (e.g. a
            user's own comments, not the bundled ones). All by default.
        reuse : dict, optional
            Code index to ``(threshold, probabilities)``: for these codes no
            cross-validation is run; the threshold is taken as given and the
            probabilities (one per comment; only those of ``scored`` comments are read)
            stand for the out-of-fold ones. :func:`~feedback.tagging.training.train_model`
            passes the shipped model's thresholds and predictions for the default codes
            when a user's few comments are added to the thousands it was trained on.
        progress : callable, optional
            Called with (codes done, codes in all) while the per-code models are fitted.

        Returns
        -------
        self
        """
        codebook = self._resolve_codebook()
        texts = _as_texts(X)
        classes = codebook.ids
        Y = labels_to_matrix(y if isinstance(y, np.ndarray) else list(y), classes)
        if len(texts) != len(Y):
            raise ModelError(f"{len(texts)} comments but {len(Y)} label rows")
        known = np.ones(Y.shape, dtype=bool) if known is None else np.asarray(known, dtype=bool)
        scored = np.ones(len(Y), dtype=bool) if scored is None else np.asarray(scored, dtype=bool)
        if known.shape != Y.shape or scored.shape != (len(Y),):
            raise ModelError("'known' and 'scored' must match the comments and codes")
        if self.use_examples:
            extra_texts, extra_rows = [], []
            for i, code in enumerate(codebook.codes):
                for example in code.examples:
                    extra_texts.append(example)
                    row = np.zeros(len(classes), dtype=np.int8)
                    row[i] = 1
                    extra_rows.append(row)
            if extra_texts:
                texts = texts + extra_texts
                Y = np.vstack([Y, np.array(extra_rows)])
                known = np.vstack([known, np.ones((len(extra_texts), len(classes)), bool)])
                scored = np.concatenate([scored, np.zeros(len(extra_texts), dtype=bool)])
        if reuse:  # the examples added above are never scored
            reuse = {
                j: (threshold, np.resize(np.asarray(given, dtype=float), len(texts)))
                for j, (threshold, given) in reuse.items()
            }
        self.codebook_ = codebook
        self.classes_ = np.array(classes, dtype=object)
        self._setup(codebook)
        prepared = [self._prepare(t) for t in texts]
        self._vectoriser = _Vectoriser(self.word_ngrams, self.char_ngrams, min_df=self.min_df)
        self._vectoriser.fit(prepared)
        sparse_part, embedded, pairs = self._features(prepared)
        matcher = self.matcher
        if matcher is None and (len(texts) < _LEARN_MATCHER_FROM or Y.sum() == 0):
            from feedback.tagging.training import default_matcher

            matcher = default_matcher()
        if matcher is not None:
            if len(matcher) != _N_MATCHER + 2:
                raise ModelError(
                    f"matcher: expected {_N_MATCHER} weights, a threshold and a fallback ratio"
                )
            self.matcher_ = np.asarray(matcher[:_N_MATCHER], dtype=np.float64)
            self.matcher_threshold_ = float(matcher[_N_MATCHER])
            self.matcher_fallback_ = float(matcher[_N_MATCHER + 1])
        else:
            self.matcher_, self.matcher_threshold_, self.matcher_fallback_ = fit_matcher(
                pairs, Y, known
            )
        prior = matcher_logits(pairs, self.matcher_) if len(texts) else np.zeros(Y.shape)
        self.label_counts_ = (Y * known).sum(axis=0).astype(np.int64)
        self.rows_per_code_ = known.sum(axis=0).astype(np.int64)
        n_codes = len(classes)
        n_sparse = sparse_part.shape[1]
        self.coef_ = np.zeros((n_codes, n_sparse))
        self.coef_embedding_ = np.zeros((n_codes, embedded.shape[1]))
        self.coef_prior_ = np.ones(n_codes)
        self.centroids_ = np.zeros((n_codes, embedded.shape[1]), dtype=np.float32)
        self.coef_centroid_ = np.zeros(n_codes)
        self.intercept_ = np.zeros(n_codes)
        self.thresholds_ = np.full(n_codes, self.matcher_threshold_)
        self.learned_ = np.zeros(n_codes, dtype=bool)
        probabilities = _sigmoid(prior).astype(np.float64)
        from scipy import sparse

        design = None
        if len(texts):
            design = sparse.hstack(
                [sparse_part, sparse.csr_matrix(embedded * float(self.embedding_weight))],
                format="csr",
            )

        def fit_code(j: int):
            rows = np.flatnonzero(known[:, j])
            positives = int(Y[rows, j].sum())
            if positives < self.min_labels or positives >= len(rows):
                return None
            target = Y[rows, j]
            columns = [design[rows], sparse.csr_matrix(prior[rows, j : j + 1] / _PRIOR_SCALE)]
            centroid = None
            if len(rows) < _GRID_BELOW and _CENTROID_SCALE:
                centroid, similarity = _centroid_similarity(embedded[rows], target)
                columns.append(sparse.csr_matrix(similarity[:, None] * _CENTROID_SCALE))
            block = sparse.hstack(columns, format="csr")
            grid = self.C_grid if self.C_grid and len(rows) < _GRID_BELOW else (self.C,)
            if reuse and j in reuse:
                threshold, given = reuse[j]
                fitted = self._train(block, target, grid[0] if len(grid) == 1 else self.C)
                return rows, np.asarray(given)[rows], threshold, centroid, fitted
            best = None
            for C in grid:
                out_of_fold = self._cross_validated(block, target, C)
                threshold = _best_threshold(target, out_of_fold)
                f1 = _f1_at(target, out_of_fold, threshold)
                if best is None or f1 > best[0] + 1e-9:
                    best = (f1, C, out_of_fold, threshold)
            _, C, out_of_fold, threshold = best
            return rows, out_of_fold, threshold, centroid, self._train(block, target, C)

        # liblinear releases the GIL: with many comments, codes are fitted two at a time on
        # two threads. liblinear draws from one process-wide random sequence, so threads
        # change the last digits of the weights from run to run; small fits (a user's own
        # labels) stay on one thread and are exactly reproducible.
        from concurrent.futures import ThreadPoolExecutor

        threads = _threads() if len(texts) >= _THREADS_FROM else 1
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for j, result in enumerate(pool.map(fit_code, range(n_codes))):
                if result is not None:
                    rows, out_of_fold, threshold, centroid, (weights, bias) = result
                    if centroid is not None:
                        self.centroids_[j] = centroid
                        self.coef_centroid_[j] = weights[-1] * _CENTROID_SCALE
                        weights = weights[:-1]
                    self.learned_[j] = True
                    probabilities[rows, j] = out_of_fold
                    self.thresholds_[j] = threshold
                    self.coef_[j] = weights[:n_sparse]
                    self.coef_embedding_[j] = weights[n_sparse:-1] * float(self.embedding_weight)
                    self.coef_prior_[j] = weights[-1] / _PRIOR_SCALE
                    self.intercept_[j] = bias
                if progress is not None:
                    progress(j + 1, n_codes)
        cells = known & scored[:, None]
        # With no labelled comments to judge by, the codebook prior's own fallback applies.
        self.fallback_ = self.matcher_fallback_ if self.ensure_label else 2.0
        if self.ensure_label and cells.any():
            best_ratio = 2.0
            best = _f1_summary(Y, self._decide(probabilities), cells)["micro_f1"]
            for ratio in np.round(np.arange(0.3, 1.0, 0.05), 2):
                self.fallback_ = float(ratio)
                score = _f1_summary(Y, self._decide(probabilities), cells)["micro_f1"]
                if score > best + 1e-9:
                    best, best_ratio = score, float(ratio)
            self.fallback_ = best_ratio
        self.cv_scores_ = _f1_summary(Y, self._decide(probabilities), cells)
        # Weights are stored as float32: round them now so that a saved and loaded model
        # predicts exactly what the fitted one does.
        self.coef_ = self.coef_.astype(np.float32).astype(np.float64)
        self.coef_embedding_ = self.coef_embedding_.astype(np.float32).astype(np.float64)
        self.n_features_ = self.coef_.shape[1]
        self.n_train_ = len(texts)
        self._names = None
        return self

    def _setup(self, codebook: Codebook) -> None:
        """Parts rebuilt from the codebook: phrase matcher, text preparer, prototypes."""
        from feedback.tagging.embeddings import load_embeddings

        self._matcher = PhraseMatcher({c.id: c.phrases for c in codebook.codes})
        self._prepare = TextPreparer(codebook.acronyms)
        self._embeddings = load_embeddings()
        self.embeddings_sha256_ = self._embeddings.sha256
        embed = self._embeddings.embed_words
        self._prior = CodebookPrior(
            codebook,
            lambda items: embed([words(self._prepare(t)) for t in items]),
            prepare=self._prepare,
            stems_of=lambda text: [stem(t) for t in _Vectoriser.tokens(text)],
        )

    def _features(self, prepared: Sequence[str]):
        """Sparse n-grams and phrases, unit embeddings, and the codebook pair figures."""
        from scipy import sparse

        stems: list[str] = []
        tokens: list[list[str]] = []
        blocks = [self._vectoriser.transform(prepared, stems_out=stems, tokens_out=tokens)]
        hits = self._matcher.indicator_stemmed(stems)
        if self.phrase_weight:
            blocks.append(hits * float(self.phrase_weight))
        embedded = self._embeddings.embed_words(tokens)
        pairs = self._prior.pair_features(embedded, hits, stems)
        return sparse.hstack(blocks, format="csr"), embedded, pairs

    def _train(
        self, design, target: np.ndarray, C: float | None = None
    ) -> tuple[np.ndarray, float]:
        """One code's logistic regression: weights and intercept."""
        from sklearn.linear_model import LogisticRegression

        # The dual problem is the faster one with more features than comments.
        model = LogisticRegression(
            C=self.C if C is None else C,
            class_weight=self.class_weight,
            solver="liblinear",
            dual=design.shape[1] > design.shape[0],
            max_iter=1000,
            random_state=0,
        )
        model.fit(design, target)
        weights = model.coef_[0].copy()
        # Tiny weights change nothing but size: drop them so saved models stay small.
        weights[np.abs(weights) < 1e-4] = 0.0
        return weights, float(model.intercept_[0])

    def _cross_validated(self, design, target: np.ndarray, C: float | None = None) -> np.ndarray:
        """Out-of-fold probabilities of one code, used to choose its threshold.

        The vocabulary and idf are fitted once on all comments (unsupervised), so the
        folds only refit the regression.
        """
        from sklearn.model_selection import StratifiedKFold

        n = design.shape[0]
        positives = int(target.sum())
        folds = min(int(self.cv), positives, n - positives)
        if folds < 2:
            return np.full(n, 0.5)
        out = np.zeros(n)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        for train, test in splitter.split(np.zeros(n), target):
            weights, bias = self._train(design[train], target[train], C)
            out[test] = _sigmoid(np.asarray(design[test] @ weights).ravel() + bias)
        return out

    # -- prediction -----------------------------------------------------------------------
    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probability of each code for each comment, shape (n, n_codes)."""
        check_is_fitted(self, "coef_")
        texts = _as_texts(X)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        from feedback.tagging.batch import batch_logits

        return _sigmoid(batch_logits(self, texts))

    def _logits(self, prepared: Sequence[str]) -> np.ndarray:
        """Log-odds from the feature matrices (as training builds them); see also
        :func:`feedback.tagging.batch.batch_logits`, which gives the same for raw texts."""
        sparse_part, embedded, pairs = self._features(prepared)
        prior = matcher_logits(pairs, self.matcher_)
        logits = np.asarray(sparse_part @ self.coef_.T)
        logits += embedded @ self.coef_embedding_.T.astype(np.float32)
        logits += prior * self.coef_prior_ + self.intercept_
        if self.coef_centroid_.any():
            logits += (embedded @ self.centroids_.T) * self.coef_centroid_
        return logits

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """0/1 matrix (n, n_codes) of the codes given (see :meth:`decide`)."""
        return self.decide(self.predict_proba(X))

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """Codes given for probabilities from :meth:`predict_proba`, as a 0/1 matrix.

        A code is given when its probability reaches its threshold; a comment that
        no code reached gets its relatively most likely code when that code is
        within ``fallback_`` of its threshold.
        """
        check_is_fitted(self, "coef_")
        return self._decide(probabilities)

    def _decide(self, probabilities: np.ndarray) -> np.ndarray:
        given = probabilities >= self.thresholds_
        fallback = getattr(self, "fallback_", 2.0)
        if fallback < 1.0 and len(probabilities):
            ratio = probabilities / self.thresholds_
            empty = ~given.any(axis=1)
            best = ratio.argmax(axis=1)
            pick = empty & (ratio[np.arange(len(ratio)), best] >= fallback)
            given[np.flatnonzero(pick), best[pick]] = True
        return given.astype(np.int8)

    def predict_labels(self, X: Iterable[str]) -> list[list[str]]:
        """Code ids given to each comment (possibly none)."""
        matrix = self.predict(X)
        return [[self.classes_[j] for j in np.flatnonzero(row)] for row in matrix]

    def score(self, X: Iterable[str], y: Sequence[object]) -> float:
        """Micro-averaged F1 of the predictions against labels ``y``."""
        check_is_fitted(self, "coef_")
        truth = labels_to_matrix(y if isinstance(y, np.ndarray) else list(y), list(self.classes_))
        return _f1_summary(truth, self.predict(X))["micro_f1"]

    def explain(self, text: str, code: str, *, top: int = 3) -> dict[str, Any]:
        """Why ``code`` scored as it did for ``text``.

        Returns
        -------
        dict
            ``probability``, ``threshold``, ``phrases`` (key phrases of the code found in
            the text) and ``terms`` (the word n-grams that pushed the score up most).
        """
        check_is_fitted(self, "coef_")
        j = list(self.classes_).index(code)
        prepared = [self._prepare(text)]
        row = self._features(prepared)[0].getrow(0)
        contributions = row.data * self.coef_[j, row.indices]
        names = self._feature_names()
        terms = []
        for k in np.argsort(-contributions):
            if contributions[k] <= 0 or len(terms) >= top:
                break
            name = names[row.indices[k]]
            if name.startswith(_WORD):
                terms.append(name[len(_WORD) :])
        found = self._matcher.match(prepared[0]).get(code, [])
        probability = float(_sigmoid(self._logits(prepared)[0, j]))
        return {
            "probability": probability,
            "threshold": float(self.thresholds_[j]),
            "phrases": found,
            "terms": terms,
        }

    def fingerprint(self) -> str:
        """A short SHA-256 of the fitted weights and codebook (identifies a model file)."""
        import hashlib

        check_is_fitted(self, "coef_")
        digest = hashlib.sha256(self.codebook_.fingerprint().encode())
        for array in (self.coef_, self.coef_embedding_, self.intercept_, self.thresholds_):
            digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
        if self.coef_centroid_.any():  # (models without centroids keep their fingerprint)
            for array in (self.centroids_, self.coef_centroid_):
                digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
        return digest.hexdigest()[:16]

    def _feature_names(self) -> list[str]:
        if getattr(self, "_names", None) is None:
            codes = [_PHRASE + c for c in self.classes_] if self.phrase_weight else []
            self._names = self._vectoriser.feature_names() + codes
        return self._names

    # -- persistence ----------------------------------------------------------------------
    def to_state(self) -> dict:
        """The fitted model as plain Python and numpy values (for :func:`save_model`)."""
        check_is_fitted(self, "coef_")
        return {
            "format": MODEL_FORMAT,
            "params": {
                "C": float(self.C),
                "word_ngrams": list(self.word_ngrams) if self.word_ngrams else None,
                "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
                "phrase_weight": float(self.phrase_weight),
                "use_examples": bool(self.use_examples),
                "cv": int(self.cv),
                "class_weight": self.class_weight,
                "min_df": int(self.min_df),
                "ensure_label": bool(self.ensure_label),
                "embedding_weight": float(self.embedding_weight),
                "min_labels": int(self.min_labels),
                "matcher": [float(v) for v in self.matcher] if self.matcher is not None else None,
                "C_grid": [float(v) for v in self.C_grid] if self.C_grid else None,
            },
            "codebook": self.codebook_.to_dict(),
            "classes": [str(c) for c in self.classes_],
            "features": "\n".join(self._vectoriser.feature_names()),
            "idf": self._vectoriser.idf,
            "n_word": int(self._vectoriser.n_word),
            "coef": self.coef_,
            "coef_embedding": self.coef_embedding_,
            "coef_prior": self.coef_prior_,
            "centroids": self.centroids_,
            "coef_centroid": self.coef_centroid_,
            "intercept": self.intercept_,
            "thresholds": self.thresholds_,
            "label_counts": self.label_counts_,
            "rows_per_code": self.rows_per_code_,
            "learned": self.learned_.astype(np.int8),
            "matcher": self.matcher_,
            "matcher_threshold": float(self.matcher_threshold_),
            "matcher_fallback": float(self.matcher_fallback_),
            "embeddings_sha256": self.embeddings_sha256_,
            "fallback": float(self.fallback_),
            "cv_scores": {k: float(v) for k, v in self.cv_scores_.items()},
            "n_train": int(self.n_train_),
            "training_key": str(getattr(self, "training_key_", "")),
        }

    @classmethod
    def from_state(cls, state: dict) -> CommentTagger:
        """Rebuild a fitted tagger from :meth:`to_state` output.

        Raises
        ------
        ModelError
            When the state is of another format or incomplete.
        """
        try:
            tagger = cls._from_state(state)
        except CodebookError as error:
            raise ModelError(f"the model's stored codebook is invalid ({error})") from None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise ModelError(f"the model file is incomplete or damaged ({error!r})") from None
        n_codes = len(tagger.classes_)
        expected = len(tagger._vectoriser.vocabulary) + (n_codes if tagger.phrase_weight else 0)
        if (
            tagger.classes_.tolist() != tagger.codebook_.ids
            or tagger.coef_.shape != (n_codes, expected)
            or tagger.intercept_.shape != (n_codes,)
            or tagger.thresholds_.shape != (n_codes,)
            or tagger.coef_embedding_.shape != (n_codes, tagger._embeddings.dims)
            or tagger.coef_prior_.shape != (n_codes,)
            or tagger.centroids_.shape != (n_codes, tagger._embeddings.dims)
            or tagger.coef_centroid_.shape != (n_codes,)
            or tagger.learned_.shape != (n_codes,)
            or tagger.label_counts_.shape != (n_codes,)
            or tagger.rows_per_code_.shape != (n_codes,)
            or tagger.matcher_.shape != (_N_MATCHER,)
            or tagger._vectoriser.idf.shape != (len(tagger._vectoriser.vocabulary),)
        ):
            raise ModelError("the model file is damaged: its arrays do not fit together")
        return tagger

    @classmethod
    def _from_state(cls, state: dict) -> CommentTagger:
        if state.get("format") != MODEL_FORMAT:
            raise ModelError(
                f"model format {state.get('format')!r} is not supported (expected {MODEL_FORMAT})"
            )
        params = dict(state["params"])
        for key in ("word_ngrams", "char_ngrams", "C_grid"):
            params[key] = tuple(params[key]) if params[key] else None
        codebook = codebook_from_dict(state["codebook"])
        tagger = cls(codebook=codebook, **params)
        tagger.codebook_ = codebook
        tagger.classes_ = np.array(state["classes"], dtype=object)
        tagger._setup(codebook)
        if str(state["embeddings_sha256"]) != tagger.embeddings_sha256_:
            raise ModelError(
                "the model was trained with other static embeddings than the ones installed; "
                "retrain it with 'feedback train'"
            )
        vectoriser = _Vectoriser(params["word_ngrams"], params["char_ngrams"], params["min_df"])
        features = str(state["features"]).split("\n") if state["features"] else []
        vectoriser.set_vocabulary(features, int(state["n_word"]))
        vectoriser.idf = np.asarray(state["idf"], dtype=np.float64)
        tagger._vectoriser = vectoriser
        tagger.coef_ = np.asarray(state["coef"], dtype=np.float64)
        tagger.coef_embedding_ = np.asarray(state["coef_embedding"], dtype=np.float64)
        tagger.coef_prior_ = np.asarray(state["coef_prior"], dtype=np.float64)
        # Models saved before the centroid feature have none (all zeros).
        n_codes, dims = len(tagger.classes_), tagger._embeddings.dims
        tagger.centroids_ = np.asarray(
            state.get("centroids", np.zeros((n_codes, dims))), dtype=np.float32
        )
        tagger.coef_centroid_ = np.asarray(
            state.get("coef_centroid", np.zeros(n_codes)), dtype=np.float64
        )
        tagger.label_counts_ = np.asarray(state["label_counts"], dtype=np.int64)
        tagger.rows_per_code_ = np.asarray(state["rows_per_code"], dtype=np.int64)
        tagger.learned_ = np.asarray(state["learned"]).astype(bool)
        tagger.matcher_ = np.asarray(state["matcher"], dtype=np.float64)
        tagger.matcher_threshold_ = float(state["matcher_threshold"])
        tagger.matcher_fallback_ = float(state["matcher_fallback"])
        tagger.intercept_ = np.asarray(state["intercept"], dtype=np.float64)
        tagger.thresholds_ = np.asarray(state["thresholds"], dtype=np.float64)
        tagger.fallback_ = float(state["fallback"])
        tagger.cv_scores_ = dict(state["cv_scores"])
        tagger.n_train_ = int(state["n_train"])
        tagger.training_key_ = str(state.get("training_key", ""))
        tagger.n_features_ = tagger.coef_.shape[1]
        return tagger


def _centroid_similarity(embedded: np.ndarray, target: np.ndarray):
    """A code's centroid (unit mean embedding of its positives) and each comment's cosine to it.

    A positive comment is compared with the centroid of the *other* positives
    (leave-one-out), so that the feature is as honest on training comments as on new ones.
    """
    positives = target == 1
    total = embedded[positives].sum(axis=0, dtype=np.float64)
    centroid = total / max(np.linalg.norm(total), 1e-12)
    similarity = embedded @ centroid
    others = total[None, :] - embedded[positives]
    norms = np.linalg.norm(others, axis=1)
    own = np.einsum("ij,ij->i", embedded[positives], others)
    similarity[positives] = np.divide(own, norms, out=np.zeros_like(own), where=norms > 0)
    return centroid.astype(np.float32), similarity.astype(np.float64)


def _f1_at(truth: np.ndarray, probabilities: np.ndarray, threshold: float) -> float:
    predicted = probabilities >= threshold
    tp = int((predicted & (truth == 1)).sum())
    return 2 * tp / max(1, int(predicted.sum()) + int(truth.sum()))


def _best_threshold(truth: np.ndarray, probabilities: np.ndarray) -> float:
    """The probability cut-off that maximises F1 for one code (0.5 when it has no positives)."""
    if truth.sum() == 0:
        return 0.5
    best, best_f1 = 0.5, -1.0
    for threshold in np.round(np.arange(0.15, 0.91, 0.025), 3):
        predicted = probabilities >= threshold
        tp = int((predicted & (truth == 1)).sum())
        fp = int((predicted & (truth == 0)).sum())
        fn = int((~predicted & (truth == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    return best


def _f1_summary(
    truth: np.ndarray, predicted: np.ndarray, cells: np.ndarray | None = None
) -> dict[str, float]:
    if cells is not None:
        truth = truth * cells
        predicted = predicted * cells
    tp = (predicted & truth).sum(axis=0).astype(float)
    fp = (predicted & (1 - truth)).sum(axis=0).astype(float)
    fn = ((1 - predicted) & truth).sum(axis=0).astype(float)
    denom = 2 * tp + fp + fn
    per_code = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    support = truth.sum(axis=0) > 0
    micro = 2 * tp.sum() / max(1.0, (2 * tp + fp + fn).sum())
    macro = float(per_code[support].mean()) if support.any() else 0.0
    return {"micro_f1": float(micro), "macro_f1": macro}
