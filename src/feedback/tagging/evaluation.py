"""Evaluation: per-code precision, recall and F1, and cross-validation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from feedback.codebook import Codebook, load_codebook
from feedback.exceptions import ModelError
from feedback.tagging.estimator import CommentTagger
from feedback.tagging.labels import labels_to_matrix


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
