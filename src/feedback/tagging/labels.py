"""Label cells of labelled data and tagged tables, as code lists and 0/1 matrices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from feedback.exceptions import CodebookError
from feedback.schema import parse_labels

__all__ = ["labels_to_matrix", "parse_labels"]


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
