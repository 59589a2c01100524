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
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from feedback.codebook import Codebook, codebook_from_dict, load_codebook
from feedback.exceptions import CodebookError, ModelError
from feedback.tagging.features import _PHRASE, _WORD, _Vectoriser
from feedback.tagging.labels import labels_to_matrix
from feedback.text import PhraseMatcher

#: Version of the saved-model layout; bumped when it changes.
MODEL_FORMAT = 3


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


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


# -- the estimator ----------------------------------------------------------------------------
class CommentTagger(ClassifierMixin, BaseEstimator):
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
        Micro and macro F1 of the cross-validated predictions used for the thresholds.

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

    def fit(self, X: Iterable[str], y: Sequence[object]) -> CommentTagger:
        """Learn from comments ``X`` and their labels ``y``.

        Parameters
        ----------
        X : iterable of str
        y : sequence of label cells (``"a;b"`` or lists) or a 0/1 array (n, n_codes)

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
        if not texts:
            raise ModelError("no comments to train on")
        self.codebook_ = codebook
        self.classes_ = np.array(classes, dtype=object)
        self._matcher = PhraseMatcher({c.id: c.phrases for c in codebook.codes})
        self._vectoriser = _Vectoriser(self.word_ngrams, self.char_ngrams, min_df=self.min_df).fit(
            texts
        )
        design = self._design(texts, self._vectoriser)
        probabilities = self._cross_validated_probabilities(design, Y)
        self.thresholds_ = np.array(
            [_best_threshold(Y[:, j], probabilities[:, j]) for j in range(len(classes))]
        )
        self.fallback_ = 2.0
        if self.ensure_label:
            best_ratio = 2.0
            best = _f1_summary(Y, self._decide(probabilities))["micro_f1"]
            for ratio in np.round(np.arange(0.3, 1.0, 0.05), 2):
                self.fallback_ = float(ratio)
                score = _f1_summary(Y, self._decide(probabilities))["micro_f1"]
                if score > best + 1e-9:
                    best, best_ratio = score, float(ratio)
            self.fallback_ = best_ratio
        self.cv_scores_ = _f1_summary(Y, self._decide(probabilities))
        self.coef_, self.intercept_ = self._train(design, Y)
        self.n_features_ = self.coef_.shape[1]
        self.n_train_ = len(texts)
        self._names = None
        return self

    def _design(self, texts: Sequence[str], vectoriser: _Vectoriser):
        from scipy import sparse

        stems: list[str] = []
        blocks = [vectoriser.transform(texts, stems_out=stems)]
        if self.phrase_weight:
            blocks.append(self._matcher.indicator_stemmed(stems) * float(self.phrase_weight))
        return sparse.hstack(blocks, format="csr")

    def _train(self, design, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One logistic regression per code; codes never seen get a huge negative bias."""
        from sklearn.linear_model import LogisticRegression

        coef = np.zeros((Y.shape[1], design.shape[1]))
        intercept = np.full(Y.shape[1], -20.0)
        for j in range(Y.shape[1]):
            target = Y[:, j]
            if target.min() == target.max():
                continue
            model = LogisticRegression(
                C=self.C, class_weight=self.class_weight, solver="liblinear", max_iter=1000
            )
            model.fit(design, target)
            coef[j] = model.coef_[0]
            intercept[j] = model.intercept_[0]
        # Tiny weights change nothing but size: drop them so saved models stay small.
        coef[np.abs(coef) < 1e-4] = 0.0
        return coef, intercept

    def _cross_validated_probabilities(self, design, Y: np.ndarray) -> np.ndarray:
        """Out-of-fold probabilities, used to choose thresholds.

        The vocabulary and idf are fitted once on all comments (unsupervised), so the
        folds only refit the per-code regressions.
        """
        from sklearn.model_selection import KFold

        n = design.shape[0]
        if n < 4:
            return np.full(Y.shape, 0.5)
        probabilities = np.zeros(Y.shape, dtype=np.float64)
        folds = max(2, min(int(self.cv), n))
        for train, test in KFold(n_splits=folds, shuffle=True, random_state=0).split(np.arange(n)):
            coef, intercept = self._train(design[train], Y[train])
            probabilities[test] = _sigmoid(np.asarray(design[test] @ coef.T) + intercept)
        return probabilities

    # -- prediction -----------------------------------------------------------------------
    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probability of each code for each comment, shape (n, n_codes)."""
        check_is_fitted(self, "coef_")
        texts = _as_texts(X)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        design = self._design(texts, self._vectoriser)
        return _sigmoid(np.asarray(design @ self.coef_.T) + self.intercept_)

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
        design = self._design([text], self._vectoriser)
        row = design.getrow(0)
        contributions = row.data * self.coef_[j, row.indices]
        names = self._feature_names()
        terms = []
        for k in np.argsort(-contributions):
            if contributions[k] <= 0 or len(terms) >= top:
                break
            name = names[row.indices[k]]
            if name.startswith(_WORD):
                terms.append(name[len(_WORD) :])
        found = self._matcher.match(text).get(code, [])
        probability = float(_sigmoid(np.array([contributions.sum() + self.intercept_[j]]))[0])
        return {
            "probability": probability,
            "threshold": float(self.thresholds_[j]),
            "phrases": found,
            "terms": terms,
        }

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
            },
            "codebook": self.codebook_.to_dict(),
            "classes": [str(c) for c in self.classes_],
            "features": "\n".join(self._vectoriser.feature_names()),
            "idf": self._vectoriser.idf,
            "n_word": int(self._vectoriser.n_word),
            "coef": self.coef_,
            "intercept": self.intercept_,
            "thresholds": self.thresholds_,
            "fallback": float(self.fallback_),
            "cv_scores": {k: float(v) for k, v in self.cv_scores_.items()},
            "n_train": int(self.n_train_),
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
        for key in ("word_ngrams", "char_ngrams"):
            params[key] = tuple(params[key]) if params[key] else None
        codebook = codebook_from_dict(state["codebook"])
        tagger = cls(codebook=codebook, **params)
        tagger.codebook_ = codebook
        tagger.classes_ = np.array(state["classes"], dtype=object)
        tagger._matcher = PhraseMatcher({c.id: c.phrases for c in codebook.codes})
        vectoriser = _Vectoriser(params["word_ngrams"], params["char_ngrams"], params["min_df"])
        features = str(state["features"]).split("\n") if state["features"] else []
        vectoriser.set_vocabulary(features, int(state["n_word"]))
        vectoriser.idf = np.asarray(state["idf"], dtype=np.float64)
        tagger._vectoriser = vectoriser
        tagger.coef_ = np.asarray(state["coef"], dtype=np.float64)
        tagger.intercept_ = np.asarray(state["intercept"], dtype=np.float64)
        tagger.thresholds_ = np.asarray(state["thresholds"], dtype=np.float64)
        tagger.fallback_ = float(state["fallback"])
        tagger.cv_scores_ = dict(state["cv_scores"])
        tagger.n_train_ = int(state["n_train"])
        tagger.n_features_ = tagger.coef_.shape[1]
        return tagger


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


def _f1_summary(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = (predicted & truth).sum(axis=0).astype(float)
    fp = (predicted & (1 - truth)).sum(axis=0).astype(float)
    fn = ((1 - predicted) & truth).sum(axis=0).astype(float)
    denom = 2 * tp + fp + fn
    per_code = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    support = truth.sum(axis=0) > 0
    micro = 2 * tp.sum() / max(1.0, (2 * tp + fp + fn).sum())
    macro = float(per_code[support].mean()) if support.any() else 0.0
    return {"micro_f1": float(micro), "macro_f1": macro}
