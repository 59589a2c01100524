"""Saving and loading models as plain arrays and text (skops or NumPy archives).

Loading a model runs no code from the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from feedback.codebook import Codebook, load_codebook
from feedback.exceptions import ModelError
from feedback.tagging.estimator import CommentTagger

#: Arrays of a model's state stored as ``.npy`` entries; the rest is JSON.
_STATE_ARRAYS = (
    "idf",
    "coef",
    "coef_embedding",
    "coef_prior",
    "intercept",
    "thresholds",
    "label_counts",
    "rows_per_code",
    "learned",
    "matcher",
    "centroids",
    "coef_centroid",
)


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
            **{k: _compact(k, state[k]) for k in _STATE_ARRAYS},
        )
        data = buffer.getvalue()
    write_bytes(path, data)


def _compact(key: str, value) -> np.ndarray:
    """Weight matrices as float32 (the model rounds them so on fitting); the rest as is."""
    array = np.asarray(value)
    return array.astype(np.float32) if key in ("coef", "coef_embedding") else array


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
                if f"{key}.npy" in names:  # (older models have no centroids)
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
