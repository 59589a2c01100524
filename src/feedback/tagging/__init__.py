"""Tagging comments against a codebook.

Modules
-------
features
    Word and character n-grams of comments.
estimator
    :class:`CommentTagger`, the scikit-learn estimator.
labels
    Label cells as code lists and 0/1 matrices.
training
    The bundled labelled data, training, and the default model.
persistence
    Saving and loading models (plain data only).
evaluation
    Precision, recall and F1 per code; cross-validation.
apply
    :func:`tag_items`: tagging an items table.

Names are imported lazily, so ``import feedback.tagging`` costs nothing.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "CommentTagger": "estimator",
    "MODEL_FORMAT": "estimator",
    "labels_to_matrix": "labels",
    "parse_labels": "labels",
    "bundled_training_data": "training",
    "bundled_heldout_data": "training",
    "train_model": "training",
    "default_model": "training",
    "save_model": "persistence",
    "load_model": "persistence",
    "check_model_codebook": "persistence",
    "evaluation_table": "evaluation",
    "evaluate": "evaluation",
    "cross_validate": "evaluation",
    "tag_items": "apply",
    "taggable_mask": "apply",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'feedback.tagging' has no attribute {name!r}")
    return getattr(importlib.import_module(f"feedback.tagging.{module}"), name)
