"""Tagging a batch with array operations gives what comment-by-comment features give."""

from __future__ import annotations

import random

import numpy as np
import pytest

from feedback.classifier import bundled_heldout_data, bundled_training_data, default_model
from feedback.tagging.batch import prepare_batch

TRICKY = [
    "",
    " ",
    "ICB and PCN leads, our icb too; QI vs qi; GP/GPs",
    "see www.icb.nhs.uk for the ICB plan",
    "WWW.EXAMPLE.ORG in capitals, and https://x.org/a?b=1 ICB",
    "naïve café 👍 ICB — “quoted” ‘single’",
    "+1 ^ :) :-( <3 ^^ :D",
    "a\x00b ICB",
    "ΣΟΦΙΑ ΣΟΦΟΣ and Straße",
    "e\u0301 combining accent, ﬁ ligature, ½ fraction",
    "permission to fail, fail fast and stop doing things",
    "line one\nline two\ttabbed   spaced",
    "x" * 300,
    "!!!",
    "🙂🙂🙂",
]


@pytest.fixture(scope="module")
def model():
    return default_model()


@pytest.fixture(scope="module")
def texts():
    heldout = bundled_heldout_data()["text"].astype(str).tolist()
    training = bundled_training_data()["text"].astype(str).tolist()
    rng = random.Random(7)
    mixed = [f"{rng.choice(heldout)} {rng.choice(training).lower()}" for _ in range(1500)]
    return heldout + training[:2000] + mixed + TRICKY


def test_prepared_text_is_exactly_as_one_by_one(model, texts):
    together = prepare_batch(model._prepare, texts)
    alone = [model._prepare(t) for t in texts]
    heldout = len(bundled_heldout_data())
    assert len(together) == len(texts) == heldout + 2000 + 1500 + len(TRICKY)
    assert together == alone


def test_probabilities_match_the_feature_matrices(model, texts):
    from feedback.tagging.estimator import _sigmoid

    fast = model.predict_proba(texts)
    slow = _sigmoid(model._logits([model._prepare(t) for t in texts]))
    assert fast.shape == slow.shape == (len(texts), len(model.classes_))
    assert np.abs(fast - slow).max() < 1e-6
    assert (model.decide(fast) == model.decide(slow)).all()


def test_batches_of_one_and_empty_batches(model):
    one = model.predict_proba(["We need permission to fail"])
    assert one.shape == (1, len(model.classes_))
    assert model.predict_proba([]).shape == (0, len(model.classes_))
    together = model.predict_proba(TRICKY)
    alone = np.vstack([model.predict_proba([t]) for t in TRICKY])
    assert np.abs(together - alone).max() < 1e-6
