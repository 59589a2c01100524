"""Training data and the default model: bundled labelled comments, training, the cache."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from feedback.codebook import Codebook, load_codebook
from feedback.exceptions import FeedbackError, ModelError
from feedback.tagging.estimator import MODEL_FORMAT, CommentTagger
from feedback.tagging.labels import parse_labels
from feedback.tagging.persistence import load_model, save_model


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
