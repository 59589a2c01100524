"""A user's own codebook: codebook-only tagging, training on few labels, bundled data rules.

The custom codebook and its labelled comments (tests/data/tagging/custom, see its README)
are for another webinar topic and were written independently of the bundled data. The
thresholds below sit a little under the figures measured when they were added (README,
"Tagging accuracy").
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from feedback.codebook import load_codebook, parse_codebook
from feedback.tagging.evaluation import evaluate
from feedback.tagging.training import shared_codes, train_model

#: Measured: see README "Tagging accuracy"; a little under the measured figures.
MIN_CODEBOOK_ONLY = 0.60
MIN_TRAINED = 0.67
CUSTOM = Path(__file__).resolve().parents[1] / "data" / "tagging" / "custom"


def _labelled(name: str) -> tuple[list[str], list[str]]:
    with (CUSTOM / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["labels"] for row in rows]


@pytest.fixture(scope="module")
def custom_book():
    return load_codebook(CUSTOM / "codebook.yaml")


@pytest.fixture(scope="module")
def codebook_only(custom_book):
    return train_model(codebook=custom_book)


@pytest.fixture(scope="module")
def trained(custom_book):
    texts, labels = _labelled("train.csv")
    return train_model(texts, labels, codebook=custom_book)


def test_the_custom_data_is_as_described(custom_book):
    texts, _ = _labelled("train.csv")
    test_texts, _ = _labelled("test.csv")
    assert (len(custom_book), len(texts), len(test_texts)) == (10, 120, 250)
    assert shared_codes(custom_book) == []


def test_codebook_alone_tags_a_new_topic(codebook_only):
    texts, labels = _labelled("test.csv")
    table = evaluate(codebook_only, texts, labels)
    assert not codebook_only.learned_.any()
    assert codebook_only.n_train_ == 20  # the codebook's own examples
    assert table.loc["macro avg", "f1"] >= MIN_CODEBOOK_ONLY
    # Every code is given to some comment: none is left silent.
    assert (table.loc[codebook_only.classes_, "recall"] > 0).all()


def test_training_on_120_labels(trained):
    texts, labels = _labelled("test.csv")
    table = evaluate(trained, texts, labels)
    assert trained.learned_.all()
    assert trained.n_train_ == 140  # 120 labelled comments and 20 examples
    assert table.loc["macro avg", "f1"] >= MIN_TRAINED


def test_cross_validation_figures_are_about_the_users_comments(trained):
    assert 0.6 <= trained.cv_scores_["macro_f1"] <= 1.0
    assert set(trained.cv_scores_) == {"micro_f1", "macro_f1"}


def test_bundled_comments_count_only_for_codes_kept_with_the_same_meaning():
    default = load_codebook()
    edited = default.to_dict()
    edited["codes"] = [c for c in edited["codes"] if c["id"] in ("failure", "social", "video")]
    social = next(c for c in edited["codes"] if c["id"] == "social")
    social["description"] = "Anything friendly."  # the same id with another meaning
    edited["codes"].append(
        {
            "id": "virtual_wards",
            "label": "Virtual wards",
            "group": "theme",
            "description": "Hospital at home and remote monitoring.",
            "phrases": ["virtual ward", "remote monitoring"],
            "examples": ["Our virtual ward takes 40 patients now."],
        }
    )
    book = parse_codebook(__import__("yaml").safe_dump(edited), "edited.yaml")
    assert shared_codes(book) == ["failure", "video"]
    texts = [f"virtual ward number {i} is going well" for i in range(10)] + ["hello all"] * 2
    labels = ["virtual_wards"] * 10 + ["social"] * 2
    model = train_model(texts, labels, codebook=book)
    counts = dict(zip(model.classes_, model.label_counts_, strict=True))
    rows = dict(zip(model.classes_, model.rows_per_code_, strict=True))
    examples = sum(len(code.examples) for code in book.codes)
    assert examples == 7
    bundled_rows = model.n_train_ - len(texts) - examples
    # Shared codes learn from the bundled comments as well; the others only from the user's.
    assert rows["failure"] == rows["video"] == model.n_train_
    assert rows["social"] == rows["virtual_wards"] == model.n_train_ - bundled_rows
    assert counts["virtual_wards"] == 10 + 1 and counts["social"] == 2 + 2
    assert counts["failure"] > 100


def test_a_model_from_the_codebook_examples_alone_tags(codebook_only):
    labels = codebook_only.predict_labels(
        ["hi all, joining from the DN team in Hull", "can we get the slides after?"]
    )
    assert "hello_thanks" in labels[0]
    assert labels[1] == ["housekeeping"]


def test_user_codes_use_their_centroid_and_it_survives_saving(trained, tmp_path):
    from feedback.tagging.persistence import load_model, save_model

    # Every code learned from the user's 140 comments weighs the cosine to its centroid.
    assert (trained.coef_centroid_ != 0).all()
    norms = np.linalg.norm(trained.centroids_, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    save_model(trained, tmp_path / "user.npz")
    loaded = load_model(tmp_path / "user.npz")
    texts, _ = _labelled("test.csv")
    assert np.array_equal(loaded.predict(texts), trained.predict(texts))
    assert loaded.fingerprint() == trained.fingerprint()
