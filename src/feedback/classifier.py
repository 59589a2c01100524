"""Tagging comments against a codebook: a multi-label classifier, training and evaluation.

:class:`CommentTagger` follows scikit-learn's estimator contract. It combines the
codebook's key phrases (stemmed with nltk) with one logistic regression per code
over word and character n-grams, picks a threshold per code by cross-validation,
and explains each tag (the phrases matched and the terms that weighed most).

Models are saved with skops as plain arrays and dicts, so loading one runs no
code from the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from feedback.codebook import Codebook, codebook_from_dict, load_codebook
from feedback.exceptions import CodebookError, FeedbackError, ModelError
from feedback.text import PhraseMatcher, normalise, stem

if TYPE_CHECKING:
    pass

#: Version of the saved-model layout; bumped when it changes.
MODEL_FORMAT = 3
_WORD = "w:"
_CHAR = "c:"
_PHRASE = "p:"


# -- features -------------------------------------------------------------------------------
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


def _char_grams(token: str, ngrams: tuple[int, int]) -> list[str]:
    """Character n-grams of one token padded with spaces (like scikit-learn's ``char_wb``)."""
    padded = " " + token + " "
    out = []
    for n in range(ngrams[0], ngrams[1] + 1):
        if len(padded) < n:
            break
        out.extend(_CHAR + padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


class _Vectoriser:
    """Binary TF-IDF over stemmed word n-grams and in-word character n-grams.

    Each block (words, characters) is L2-normalised on its own. Per-token work
    (stemming, character n-grams, vocabulary look-up) is cached, so transforming
    costs a few dictionary look-ups per token.
    """

    def __init__(self, word_ngrams, char_ngrams, min_df: int = 1) -> None:
        self.word_ngrams = tuple(word_ngrams) if word_ngrams else None
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.min_df = min_df
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.n_word = 0
        self._cache: dict[str, tuple[str, int, list[int]]] = {}

    @staticmethod
    def tokens(text: str) -> list[str]:
        return _TOKEN_RE.findall(normalise(text))

    def _doc_features(self, tokens: list[str]) -> tuple[set[str], set[str]]:
        stems = [stem(t) for t in tokens]
        words: set[str] = set()
        if self.word_ngrams:
            lo, hi = self.word_ngrams
            for n in range(lo, hi + 1):
                words.update(_WORD + " ".join(stems[i : i + n]) for i in range(len(stems) - n + 1))
        chars: set[str] = set()
        if self.char_ngrams:
            for token in set(tokens):
                chars.update(_char_grams(token, self.char_ngrams))
        return words, chars

    def fit(self, texts: Sequence[str]) -> _Vectoriser:
        df: Counter = Counter()
        for text in texts:
            words, chars = self._doc_features(self.tokens(text))
            df.update(words)
            df.update(chars)
        kept = sorted(f for f, c in df.items() if c >= self.min_df)
        words = [f for f in kept if f.startswith(_WORD)]
        chars = [f for f in kept if f.startswith(_CHAR)]
        self.set_vocabulary(words + chars, len(words))
        n = len(texts)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[f])) + 1.0 for f in words + chars], dtype=np.float64
        )
        return self

    def set_vocabulary(self, features: list[str], n_word: int) -> None:
        self.vocabulary = {f: i for i, f in enumerate(features)}
        self.n_word = n_word
        self._cache = {}

    def _entry(self, token: str) -> tuple[str, int, list[int]]:
        entry = self._cache.get(token)
        if entry is None:
            stemmed = stem(token)
            vocab = self.vocabulary
            word = vocab.get(_WORD + stemmed, -1) if self.word_ngrams else -1
            chars: list[int] = []
            if self.char_ngrams:
                chars = sorted(
                    {vocab[g] for g in _char_grams(token, self.char_ngrams) if g in vocab}
                )
            entry = (stemmed, word, chars)
            if len(self._cache) < 500_000:
                self._cache[token] = entry
        return entry

    def transform(self, texts: Sequence[str], stems_out: list | None = None):
        """Feature matrix of ``texts``; ``stems_out`` receives each text's stemmed form."""
        from scipy import sparse

        vocab = self.vocabulary
        lo, hi = self.word_ngrams or (0, 0)
        word_cols: list[int] = []
        word_ptr = [0]
        char_cols: list[int] = []
        char_ptr = [0]
        entry = self._entry
        for text in texts:
            stems = []
            for token in self.tokens(text):
                stemmed, word, chars = entry(token)
                stems.append(stemmed)
                if word >= 0 and lo <= 1:
                    word_cols.append(word)
                if chars:
                    char_cols.extend(chars)
            for n in range(max(lo, 2), hi + 1):
                for i in range(len(stems) - n + 1):
                    index = vocab.get(_WORD + " ".join(stems[i : i + n]))
                    if index is not None:
                        word_cols.append(index)
            word_ptr.append(len(word_cols))
            char_ptr.append(len(char_cols))
            if stems_out is not None:
                stems_out.append(" " + " ".join(stems) + " ")
        blocks = []
        for cols, ptr in ((word_cols, word_ptr), (char_cols, char_ptr)):
            matrix = sparse.csr_matrix(
                (np.ones(len(cols)), np.array(cols, dtype=np.int64), np.array(ptr)),
                shape=(len(texts), len(vocab)),
            )
            matrix.sum_duplicates()
            matrix.data[:] = 1.0
            blocks.append(matrix)
        from sklearn.preprocessing import normalize

        weighted = [normalize(b.multiply(self.idf).tocsr()) for b in blocks]
        return (weighted[0] + weighted[1]).tocsr()

    def feature_names(self) -> list[str]:
        names = [""] * len(self.vocabulary)
        for feature, index in self.vocabulary.items():
            names[index] = feature
        return names


# -- labels ---------------------------------------------------------------------------------
def parse_labels(value: object) -> list[str]:
    """Labels from a cell: ``"a;b"``, ``"a, b"``, a list, or empty/NaN for none."""
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, list | tuple | set | np.ndarray):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).replace(",", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def labels_to_matrix(labels: Sequence[object], classes: Sequence[str]) -> np.ndarray:
    """A 0/1 matrix (n x n_classes) from label cells or an indicator array.

    Raises
    ------
    CodebookError
        Naming the row and the label that is not a code of ``classes``.
    """
    if isinstance(labels, np.ndarray) and labels.ndim == 2:
        if labels.shape[1] != len(classes):
            raise CodebookError(
                f"the label matrix has {labels.shape[1]} columns; the codebook has {len(classes)}"
            )
        return (labels > 0).astype(np.int8)
    index = {c: i for i, c in enumerate(classes)}
    matrix = np.zeros((len(labels), len(classes)), dtype=np.int8)
    for row, cell in enumerate(labels):
        for label in parse_labels(cell):
            if label not in index:
                raise CodebookError(
                    f"row {row + 1}: label {label!r} is not a code of the codebook "
                    f"(codes: {', '.join(classes)})"
                )
            matrix[row, index[label]] = 1
    return matrix


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


# -- evaluation -----------------------------------------------------------------------------
def evaluation_table(truth: np.ndarray, predicted: np.ndarray, classes: Sequence[str]):
    """Per-code precision, recall, F1 and support, with micro and macro averages.

    Returns
    -------
    pandas.DataFrame
        Index: code ids, then ``micro avg`` and ``macro avg``; columns ``precision``,
        ``recall``, ``f1``, ``support``. The macro average is over codes with support.
    """
    import pandas as pd

    truth = truth.astype(bool)
    predicted = predicted.astype(bool)
    tp = (truth & predicted).sum(axis=0)
    fp = (~truth & predicted).sum(axis=0)
    fn = (truth & ~predicted).sum(axis=0)
    support = truth.sum(axis=0)

    def ratio(a, b):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return np.divide(a, b, out=np.zeros_like(a), where=b > 0)

    precision = ratio(tp, tp + fp)
    recall = ratio(tp, tp + fn)
    f1 = ratio(2 * tp, 2 * tp + fp + fn)
    table = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support},
        index=pd.Index(list(classes), name="code"),
    )
    has = support > 0
    micro_p = ratio(tp.sum(), (tp + fp).sum())
    micro_r = ratio(tp.sum(), (tp + fn).sum())
    micro_f = ratio(2 * tp.sum(), (2 * tp + fp + fn).sum())
    table.loc["micro avg"] = [float(micro_p), float(micro_r), float(micro_f), int(support.sum())]
    table.loc["macro avg"] = [
        float(precision[has].mean()) if has.any() else 0.0,
        float(recall[has].mean()) if has.any() else 0.0,
        float(f1[has].mean()) if has.any() else 0.0,
        int(support.sum()),
    ]
    table["support"] = table["support"].astype(int)
    return table


def evaluate(model: CommentTagger, texts: Sequence[str], labels: Sequence[object]):
    """Evaluate ``model`` on labelled comments; see :func:`evaluation_table`."""
    classes = list(model.classes_)
    truth = labels_to_matrix(list(labels), classes)
    return evaluation_table(truth, model.predict(texts), classes)


def cross_validate(
    texts: Sequence[str], labels: Sequence[object], *, k: int = 5, codebook=None, **params
):
    """K-fold cross-validation of a new tagger on labelled comments.

    Returns
    -------
    pandas.DataFrame
        The evaluation table of the out-of-fold predictions.
    """
    from sklearn.model_selection import KFold

    codebook = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    classes = codebook.ids
    truth = labels_to_matrix(list(labels), classes)
    texts = list(texts)
    if k < 2 or k > len(texts):
        raise ModelError(f"--cv {k}: needs 2 to {len(texts)} folds")
    predicted = np.zeros_like(truth)
    for train, test in KFold(n_splits=k, shuffle=True, random_state=0).split(texts):
        model = CommentTagger(codebook=codebook, **params)
        model.fit([texts[i] for i in train], truth[train])
        predicted[test] = model.predict([texts[i] for i in test])
    return evaluation_table(truth, predicted, classes)


# -- bundled data, saving, loading ---------------------------------------------------------
def bundled_training_data():
    """The bundled labelled comments used to train the default model (not the held-out set).

    Returns
    -------
    pandas.DataFrame
        Columns ``text``, ``labels``, ``source``, ``voice`` and ``file``.
    """
    from importlib.resources import files

    import pandas as pd

    folder = files("feedback.assets").joinpath("labelled")
    frames = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("train") and entry.name.endswith(".csv"):
            with entry.open("r", encoding="utf-8") as handle:
                frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
            frame["file"] = entry.name
            frames.append(frame)
    if not frames:
        raise ModelError("the bundled training data is missing from the installation")
    return pd.concat(frames, ignore_index=True)


def bundled_heldout_data():
    """The bundled held-out test set (never used for training or tuning)."""
    from importlib.resources import files

    import pandas as pd

    entry = files("feedback.assets").joinpath("labelled").joinpath("heldout.csv")
    with entry.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def _cache_dir() -> Path:
    root = os.environ.get("FEEDBACK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    return (base / "feedback") if not os.environ.get("FEEDBACK_CACHE_DIR") else base


def _default_model_key(codebook: Codebook, training) -> str:
    from feedback import __version__

    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(codebook.fingerprint().encode())
    digest.update(str(MODEL_FORMAT).encode())
    params = {k: v for k, v in CommentTagger().get_params().items() if k != "codebook"}
    digest.update(repr(sorted(params.items())).encode())
    for text, labels in zip(training["text"], training["labels"], strict=True):
        digest.update(text.encode("utf-8", "replace"))
        digest.update(labels.encode())
    return digest.hexdigest()[:16]


def train_model(
    texts: Sequence[str] = (),
    labels: Sequence[object] = (),
    *,
    codebook: Codebook | str | Path | None = None,
    include_bundled: bool = True,
    **params,
) -> CommentTagger:
    """Train a tagger on labelled comments, by default together with the bundled data.

    Parameters
    ----------
    texts, labels : sequences
        A user's own labelled comments (may be empty).
    codebook : Codebook or path, optional
    include_bundled : bool
        Add the bundled training data (only labels that are codes of the codebook are
        kept from it, so a user's codebook that drops or renames codes still trains).
    """
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    all_texts = list(texts)
    all_labels = [";".join(parse_labels(v)) for v in labels]
    if include_bundled:
        bundled = bundled_training_data()
        known = set(book.ids)
        all_texts += bundled["text"].tolist()
        all_labels += [
            ";".join(label for label in parse_labels(v) if label in known)
            for v in bundled["labels"]
        ]
    if not all_texts:
        raise ModelError("no labelled comments to train on")
    return CommentTagger(codebook=book, **params).fit(all_texts, all_labels)


def default_model(codebook: Codebook | str | Path | None = None) -> CommentTagger:
    """The tagger trained on the bundled data, cached on disk after the first use.

    The cache lives in ``$FEEDBACK_CACHE_DIR`` (or ``~/.cache/feedback``) and is keyed by
    the package version, codebook and training data; a cache that cannot be written is
    skipped silently (the model is then trained in memory each run).
    """
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    training = bundled_training_data()
    key = _default_model_key(book, training)
    path = _cache_dir() / f"model-{key}.npz"
    if path.is_file():
        try:
            return load_model(path)
        except FeedbackError:
            pass
    model = train_model(codebook=book)
    with contextlib.suppress(OSError, FeedbackError):
        save_model(model, path)
    return model


#: Arrays of a model's state stored as ``.npy`` entries; the rest is JSON.
_STATE_ARRAYS = ("idf", "coef", "intercept", "thresholds")


def save_model(model: CommentTagger, path: str | Path) -> None:
    """Save a fitted tagger (atomic write) as plain arrays and text.

    A path ending in ``.skops`` is written with skops; any other (``.npz`` is
    usual) as a NumPy archive of arrays plus a JSON document. Neither holds code,
    and :func:`load_model` reads both without running any.
    """
    import io

    from feedback.io import write_bytes

    state = model.to_state()
    if Path(path).suffix.lower() == ".skops":
        import skops.io as sio

        try:
            data = sio.dumps(state)
        except Exception as error:  # skops raises several kinds
            raise ModelError(f"could not serialise the model ({error})") from None
    else:
        import json

        meta = {k: v for k, v in state.items() if k not in _STATE_ARRAYS}
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.array(json.dumps(meta, ensure_ascii=False)),
            **{k: np.asarray(state[k]) for k in _STATE_ARRAYS},
        )
        data = buffer.getvalue()
    write_bytes(path, data)


def _read_state(data: bytes, path: Path) -> dict:
    """The state dict from a model file's bytes (skops or NumPy archive)."""
    import io
    import json
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ModelError(f"{path}: not a feedback model file") from None
    if "schema.json" in names:
        import skops.io as sio

        untrusted = sio.get_untrusted_types(data=data)
        if untrusted:
            raise ModelError(
                f"{path}: the model file holds types that are not plain data ({untrusted[:3]}); "
                "refusing to load it"
            )
        return sio.loads(data)
    if "meta.npy" in names:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            state = json.loads(str(archive["meta"]))
            for key in _STATE_ARRAYS:
                state[key] = archive[key]
        return state
    raise ModelError(f"{path}: not a feedback model file")


def load_model(path: str | Path, codebook: Codebook | str | Path | None = None) -> CommentTagger:
    """Load a tagger saved by :func:`save_model`; loading runs no code from the file.

    Parameters
    ----------
    path : str or Path
    codebook : Codebook or path, optional
        When given, the model must have been trained for a codebook with the same codes.

    Raises
    ------
    ModelError
        When the file is unreadable, holds anything but plain data, or was built for
        another codebook.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelError(f"{path}: cannot read the model ({error.strerror})") from None
    try:
        state = _read_state(data, path)
    except ModelError:
        raise
    except Exception as error:
        raise ModelError(f"{path}: not a feedback model file ({type(error).__name__})") from None
    if not isinstance(state, dict) or "coef" not in state:
        raise ModelError(f"{path}: not a feedback model file")
    model = CommentTagger.from_state(state)
    if codebook is not None:
        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        check_model_codebook(model, book, str(path))
    return model


def check_model_codebook(model: CommentTagger, codebook: Codebook, name: str = "model") -> None:
    """Refuse a model built for other codes than ``codebook``'s."""
    model_ids, book_ids = list(model.classes_), codebook.ids
    if model_ids != book_ids:
        missing = sorted(set(book_ids) - set(model_ids))
        extra = sorted(set(model_ids) - set(book_ids))
        detail = []
        if missing:
            detail.append(f"codes not in the model: {', '.join(missing)}")
        if extra:
            detail.append(f"codes only in the model: {', '.join(extra)}")
        if not detail:
            detail.append("the codes are in another order")
        raise ModelError(
            f"{name} was built for another codebook ({'; '.join(detail)}); "
            "retrain it with 'feedback train --codebook ...'"
        )
