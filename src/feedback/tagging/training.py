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


#: Held-out test sets: file name and what each is (never used for training or tuning).
HELDOUT_SETS = {
    "heldout.csv": "tidy comments",
    "heldout_chat.csv": "chat register",
}


def bundled_heldout_data(name: str = "heldout.csv"):
    """A bundled held-out test set (never used for training or tuning).

    Parameters
    ----------
    name : str
        One of :data:`HELDOUT_SETS`.
    """
    from importlib.resources import files

    import pandas as pd

    entry = files("feedback.assets").joinpath("labelled").joinpath(name)
    with entry.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def heldout_scores(model: CommentTagger) -> dict[str, float | int]:
    """Micro- and macro-F1 of ``model`` on the bundled held-out set, and its size.

    The figures are cached (``$FEEDBACK_CACHE_DIR``) by the model's id and the held-out
    file's bytes, so a report does not tag the held-out set again on every run.
    """
    import json
    from importlib.resources import files

    from feedback.tagging.evaluation import evaluate

    data = files("feedback.assets").joinpath("labelled").joinpath("heldout.csv").read_bytes()
    model_id = getattr(model, "training_key_", "") or model.fingerprint()
    digest = hashlib.sha256(model_id.encode() + b"\n" + data).hexdigest()[:16]
    path = _cache_dir() / f"heldout-{digest}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        cached = json.loads(path.read_text(encoding="utf-8"))
        return {k: cached[k] for k in ("micro_f1", "macro_f1", "comments")}
    heldout = bundled_heldout_data()
    table = evaluate(model, heldout["text"].tolist(), heldout["labels"].tolist())
    scores = {
        "micro_f1": float(table.loc["micro avg", "f1"]),
        "macro_f1": float(table.loc["macro avg", "f1"]),
        "comments": len(heldout),
    }
    with contextlib.suppress(OSError, FeedbackError):
        from feedback.io import write_text

        write_text(path, json.dumps(scores))
    return scores


def bundled_heldout_sets() -> dict[str, object]:
    """Every bundled held-out set present, by file name."""
    from importlib.resources import files

    folder = files("feedback.assets").joinpath("labelled")
    return {
        name: bundled_heldout_data(name) for name in HELDOUT_SETS if folder.joinpath(name).is_file()
    }


def _cache_dir() -> Path:
    root = os.environ.get("FEEDBACK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    return (base / "feedback") if not os.environ.get("FEEDBACK_CACHE_DIR") else base


#: The default model shipped inside the package (rebuilt by scripts/build_default_model.py).
SHIPPED_MODEL = "default_model.npz"


def default_model_key(codebook: Codebook | None = None, training=None) -> str:
    """Fingerprint of what the default model is trained from (recorded in the model).

    It covers the codebook, the bundled training data, the static embeddings, the model
    format and the estimator's default parameters, so a shipped or cached model is used
    only while all of them are unchanged.
    """
    from feedback.tagging.embeddings import load_embeddings

    codebook = codebook if codebook is not None else load_codebook()
    training = training if training is not None else bundled_training_data()
    digest = hashlib.sha256()
    digest.update(codebook.fingerprint().encode())
    digest.update(str(MODEL_FORMAT).encode())
    digest.update(load_embeddings().sha256.encode())
    params = {k: v for k, v in CommentTagger().get_params().items() if k != "codebook"}
    digest.update(repr(sorted(params.items())).encode())
    for text, labels in zip(training["text"], training["labels"], strict=True):
        digest.update(text.encode("utf-8", "replace"))
        digest.update(labels.encode())
    return digest.hexdigest()[:16]


def shared_codes(codebook: Codebook, reference: Codebook | None = None) -> list[str]:
    """Codes of ``codebook`` kept from the default one with the same id and description.

    Only for these codes do the bundled comments count (as positives and negatives):
    a code whose description changed may mean something else.
    """
    reference = reference if reference is not None else load_codebook()
    return [
        code.id
        for code in codebook.codes
        if code.id in reference and reference[code.id].description == code.description
    ]


def train_model(
    texts: Sequence[str] = (),
    labels: Sequence[object] = (),
    *,
    codebook: Codebook | str | Path | None = None,
    include_bundled: bool = True,
    progress=None,
    **params,
) -> CommentTagger:
    """Train a tagger on labelled comments, with the bundled data where it applies.

    Parameters
    ----------
    texts, labels : sequences
        A user's own labelled comments (may be empty: the codebook's examples, phrases
        and descriptions then make the model alone).
    codebook : Codebook or path, optional
    include_bundled : bool
        Use the bundled training data for the codes the codebook keeps from the default
        one with the same id and description (see :func:`shared_codes`); for other codes
        the bundled comments are neither positives nor negatives.
    progress : callable, optional
        Called with (codes done, codes in all).
    **params
        Parameters of :class:`CommentTagger`. Unless the model is the default one, the
        codebook prior's ``matcher`` comes from the default model.

    Returns
    -------
    CommentTagger
        With ``cv_scores_`` measured on the user's own comments (when there are any).
    """
    import numpy as np

    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    user_texts = [str(t) for t in texts]
    user_labels = [";".join(parse_labels(v)) for v in labels]
    if len(user_texts) != len(user_labels):
        raise ModelError(f"{len(user_texts)} comments but {len(user_labels)} label rows")
    all_texts, all_labels = list(user_texts), list(user_labels)
    ids = book.ids
    known_rows = [np.ones(len(ids), dtype=bool)] * len(user_texts)
    keep = shared_codes(book) if include_bundled else []
    is_default = book.fingerprint() == load_codebook().fingerprint()
    if keep:
        bundled = bundled_training_data()
        kept = set(keep)
        mask = np.array([code in kept for code in ids])
        all_texts += bundled["text"].tolist()
        all_labels += [
            ";".join(label for label in parse_labels(v) if label in kept) for v in bundled["labels"]
        ]
        known_rows += [mask] * len(bundled)
    if "matcher" not in params and not (is_default and include_bundled):
        params["matcher"] = default_matcher()
    known = np.array(known_rows, dtype=bool).reshape(len(all_texts), len(ids))
    scored = np.zeros(len(all_texts), dtype=bool)
    scored[: len(user_texts)] = True
    if not user_texts:
        scored[:] = True
    model = CommentTagger(codebook=book, **params)
    reuse = _reused_thresholds(book, keep, user_texts, len(all_texts), params)
    return model.fit(
        all_texts, all_labels, known=known, scored=scored, reuse=reuse, progress=progress
    )


#: Default codes are cross-validated again only when a user's comments are at least this
#: share of the comments they are trained on.
REUSE_BELOW_SHARE = 0.1


def _reused_thresholds(book: Codebook, keep: list[str], user_texts: list[str], total: int,
                       params: dict) -> dict | None:  # fmt: skip
    """Thresholds and honest predictions of the shipped model for the codes it keeps.

    A user's hundred comments added to the thousands of bundled ones barely move a
    default code's model, so its threshold is the one cross-validation chose for the
    shipped model, and the shipped model's predictions on the user's comments (which it
    never saw) stand for the out-of-fold ones in ``cv_scores_``. That saves four fits
    of five for each default code: training takes seconds, not minutes.
    """
    import numpy as np

    if not keep or not user_texts or len(user_texts) >= REUSE_BELOW_SHARE * total:
        return None
    if set(params) - {"matcher"}:
        return None  # other parameters than the shipped model's: cross-validate everything
    base = shipped_model()
    if base is None or base.training_key_ != default_model_key():
        return None
    base_codes = list(base.classes_)
    probabilities = base.predict_proba(user_texts)
    reuse = {}
    for j, code in enumerate(book.ids):
        if code in keep and code in base_codes:
            k = base_codes.index(code)
            given = np.zeros(total)
            given[: len(user_texts)] = probabilities[:, k]
            reuse[j] = (float(base.thresholds_[k]), given)
    return reuse


def default_matcher() -> list[float]:
    """The codebook prior's weights and threshold, as learned for the shipped default model."""
    model = shipped_model()
    if model is None:
        model = default_model()
    return [
        *model.matcher_.tolist(),
        float(model.matcher_threshold_),
        float(model.matcher_fallback_),
    ]


def shipped_model() -> CommentTagger | None:
    """The default model shipped in the package, if present and readable."""
    from importlib.resources import as_file, files

    entry = files("feedback.assets").joinpath("models").joinpath(SHIPPED_MODEL)
    if not entry.is_file():
        return None
    with as_file(entry) as path:
        try:
            return load_model(path)
        except FeedbackError:
            return None


def default_model(codebook: Codebook | str | Path | None = None) -> CommentTagger:
    """The tagger for a codebook when no model is given: ready on the first run.

    For the default codebook this is the model shipped in the package, while it matches
    the bundled data and codebook (see :func:`default_model_key`). Otherwise a model is
    trained (bundled data for the codes kept from the default codebook, the codebook
    prior for the others) and cached in ``$FEEDBACK_CACHE_DIR`` (or
    ``~/.cache/feedback``); a cache that cannot be written is skipped silently.
    """
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    training = bundled_training_data()
    key = default_model_key(book, training)
    if book.fingerprint() == load_codebook().fingerprint():
        shipped = shipped_model()
        if shipped is not None and shipped.training_key_ == key:
            return shipped
    path = _cache_dir() / f"model-{key}.npz"
    if path.is_file():
        try:
            return load_model(path)
        except FeedbackError:
            pass
    model = train_model(codebook=book)
    model.training_key_ = key
    with contextlib.suppress(OSError, FeedbackError):
        save_model(model, path)
    return model


def build_default_model(path: str | Path, progress=None) -> CommentTagger:
    """Train the default model on the bundled data and save it to ``path``.

    The model records :func:`default_model_key`, so :func:`default_model` uses it only
    while the bundled data, codebook, embeddings and parameters are unchanged.
    """
    book = load_codebook()
    training = bundled_training_data()
    model = train_model(codebook=book, progress=progress)
    model.training_key_ = default_model_key(book, training)
    save_model(model, path)
    return model


def describe_model(model: CommentTagger, name: str = "") -> dict[str, str]:
    """Which codebook and model tagged something: for output files and manifests."""
    book = model.codebook_
    key = getattr(model, "training_key_", "") or model.fingerprint()
    return {
        "model": name or "model",
        "model_id": key,
        "codebook": book.name,
        "codebook_version": book.version,
        "codebook_sha256": book.fingerprint(),
    }


def provenance(model: CommentTagger, name: str = "") -> str:
    """One line naming the codebook and model, e.g. for a ``tagged_by`` column."""
    info = describe_model(model, name)
    return (
        f"codebook {info['codebook']} v{info['codebook_version']} "
        f"(sha256 {info['codebook_sha256'][:12]}); {info['model']} (id {info['model_id']})"
    )
