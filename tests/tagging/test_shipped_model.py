"""The default model ships trained in the package and matches the bundled data.

When this fails after a change of the bundled labelled data, the default codebook, the
static embeddings or the tagger's default parameters, rebuild the model with
``python scripts/build_default_model.py`` (or ``feedback train --default``).
"""

from __future__ import annotations

import time

from feedback.codebook import load_codebook
from feedback.tagging.training import (
    bundled_training_data,
    default_model,
    default_model_key,
    shipped_model,
)


def test_the_shipped_model_matches_the_bundled_data_and_codebook():
    model = shipped_model()
    assert model is not None, "assets/models/default_model.npz is missing"
    assert model.training_key_ == default_model_key(), (
        "the shipped model is out of date: run python scripts/build_default_model.py"
    )
    book = load_codebook()
    assert list(model.classes_) == book.ids
    examples = sum(len(code.examples) for code in book.codes)
    assert model.n_train_ == len(bundled_training_data()) + examples
    assert model.learned_.all()


def test_default_model_is_the_shipped_one_without_training(tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_CACHE_DIR", str(tmp_path))
    started = time.perf_counter()
    model = default_model()
    elapsed = time.perf_counter() - started
    assert model.training_key_ == default_model_key()
    assert list(tmp_path.iterdir()) == []  # nothing trained, nothing cached
    assert elapsed < 15  # loading, not training (training takes minutes)


def test_default_model_for_another_codebook_trains_and_caches(tmp_path, monkeypatch):
    import feedback.tagging.training as training

    monkeypatch.setenv("FEEDBACK_CACHE_DIR", str(tmp_path))
    book = load_codebook()
    edited = book.to_dict()
    edited["codes"] = edited["codes"][:2]
    from feedback.codebook import codebook_from_dict

    small = codebook_from_dict(edited)
    bundled = bundled_training_data().head(300)
    monkeypatch.setattr(training, "bundled_training_data", lambda: bundled)
    model = default_model(small)
    assert list(model.classes_) == small.ids
    cached = list(tmp_path.glob("model-*.npz"))
    assert len(cached) == 1
    again = default_model(small)
    assert again.fingerprint() == model.fingerprint()
