"""Tagging comments against a codebook (kept for older imports; see :mod:`feedback.tagging`).

Everything here is re-exported from the modules of :mod:`feedback.tagging`.
"""

from __future__ import annotations

from feedback.tagging.estimator import MODEL_FORMAT, CommentTagger
from feedback.tagging.evaluation import cross_validate, evaluate, evaluation_table
from feedback.tagging.labels import labels_to_matrix, parse_labels
from feedback.tagging.persistence import check_model_codebook, load_model, save_model
from feedback.tagging.training import (
    bundled_heldout_data,
    bundled_training_data,
    default_model,
    train_model,
)

__all__ = [
    "MODEL_FORMAT",
    "CommentTagger",
    "bundled_heldout_data",
    "bundled_training_data",
    "check_model_codebook",
    "cross_validate",
    "default_model",
    "evaluate",
    "evaluation_table",
    "labels_to_matrix",
    "load_model",
    "parse_labels",
    "save_model",
    "train_model",
]
