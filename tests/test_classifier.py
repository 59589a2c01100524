"""Tests of feedback.classifier: the estimator contract, saving/loading, evaluation.

Small models are fitted on the hand-made files in tests/data/tagging (a few tenths of a
second each); the default model comes from the session fixture ``default_tagger``.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from feedback.classifier import (
    MODEL_FORMAT,
    CommentTagger,
    check_model_codebook,
    cross_validate,
    evaluate,
    evaluation_table,
    labels_to_matrix,
    load_model,
    parse_labels,
    save_model,
    train_model,
)
from feedback.codebook import Code, Codebook, load_codebook
from feedback.exceptions import CodebookError, FeedbackError, ModelError

TAGGING = Path(__file__).resolve().parent / "data" / "tagging"
SMALL_IDS = ["failure", "case_studies", "logistics", "social"]
#: Label counts of labelled_small.csv, counted by hand.
SMALL_SUPPORT = {"failure": 8, "case_studies": 7, "logistics": 7, "social": 7}
FAST = {"cv": 2, "use_examples": False, "min_labels": 3}


def _labelled(name: str) -> tuple[list[str], list[str]]:
    with (TAGGING / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["labels"] for row in rows]


@pytest.fixture(scope="module")
def small_book() -> Codebook:
    return load_codebook(TAGGING / "codebook_small.yaml")


@pytest.fixture(scope="module")
def small_data() -> tuple[list[str], list[str]]:
    return _labelled("labelled_small.csv")


@pytest.fixture(scope="module")
def small_tagger(small_book, small_data) -> CommentTagger:
    texts, labels = small_data
    return CommentTagger(small_book, **FAST).fit(texts, labels)


@pytest.fixture(scope="module")
def saved_small(small_tagger, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "small.skops"
    save_model(small_tagger, path)
    return path


# -- the estimator contract ------------------------------------------------------------------
def test_init_only_stores_parameters(small_book):
    import inspect

    tagger = CommentTagger(small_book, C=2.0, word_ngrams=(1, 1), char_ngrams=None, cv=3)
    params = tagger.get_params()
    # Every parameter of __init__ is a parameter of the estimator, stored as given.
    signature = inspect.signature(CommentTagger).parameters
    assert set(params) == set(signature)
    assert params["codebook"] is small_book
    assert (params["C"], params["word_ngrams"], params["char_ngrams"], params["cv"]) == (
        2.0,
        (1, 1),
        None,
        3,
    )
    for name in set(signature) - {"codebook", "C", "word_ngrams", "char_ngrams", "cv"}:
        assert params[name] == signature[name].default, name
    assert vars(tagger) == params
    # A path that does not exist is only read at fit time.
    lazy = CommentTagger("no/such/codebook.yaml")
    with pytest.raises(CodebookError, match="cannot read the codebook"):
        lazy.fit(["a"], [""])


def test_set_params_returns_self_and_changes_parameters(small_book):
    tagger = CommentTagger(small_book)
    assert tagger.set_params(C=0.5, min_df=1, use_examples=False) is tagger
    assert tagger.get_params()["C"] == 0.5
    assert tagger.min_df == 1
    assert tagger.use_examples is False
    with pytest.raises(ValueError):
        tagger.set_params(no_such_parameter=1)


def test_clone_of_an_unfitted_tagger(small_book):
    tagger = CommentTagger(small_book, C=3.0, char_ngrams=(2, 4))
    copy = clone(tagger)
    assert copy is not tagger
    assert copy.get_params() == tagger.get_params()


def test_clone_of_a_fitted_tagger_is_unfitted(small_tagger):
    copy = clone(small_tagger)
    assert copy.get_params() == small_tagger.get_params()
    assert not hasattr(copy, "coef_")
    with pytest.raises(NotFittedError):
        copy.predict(["hello"])


def test_fit_returns_self(small_book, small_data):
    texts, labels = small_data
    tagger = CommentTagger(small_book, **FAST)
    assert tagger.fit(texts, labels) is tagger


@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_labels"])
def test_not_fitted_error_before_fit(small_book, method):
    with pytest.raises(NotFittedError):
        getattr(CommentTagger(small_book), method)(["hello"])


def test_not_fitted_error_for_explain_score_and_saving(small_book, tmp_path):
    tagger = CommentTagger(small_book)
    with pytest.raises(NotFittedError):
        tagger.explain("hello", "social")
    with pytest.raises(NotFittedError):
        tagger.score(["hello"], ["social"])
    # Either the estimator's own error or a ModelError that says why.
    with pytest.raises((NotFittedError, ModelError), match="not fitted"):
        save_model(tagger, tmp_path / "never.skops")
    assert not (tmp_path / "never.skops").exists()


def test_fitted_attributes(small_tagger, small_book, small_data):
    texts, _ = small_data
    assert list(small_tagger.classes_) == small_book.ids == SMALL_IDS
    assert small_tagger.codebook_ == small_book
    assert small_tagger.thresholds_.shape == (4,)
    assert all(0.15 <= t <= 0.9 for t in small_tagger.thresholds_)
    assert small_tagger.coef_.shape == (4, small_tagger.n_features_)
    assert small_tagger.intercept_.shape == (4,)
    assert small_tagger.n_train_ == len(texts) == 28
    assert isinstance(small_tagger.fallback_, float)
    assert set(small_tagger.cv_scores_) == {"micro_f1", "macro_f1"}
    assert all(0.0 <= v <= 1.0 for v in small_tagger.cv_scores_.values())


def test_codebook_examples_are_added_to_the_training_data(small_book, small_data):
    texts, labels = small_data
    tagger = CommentTagger(small_book, cv=2, use_examples=True).fit(texts, labels)
    # codebook_small.yaml has one example for failure and one for case_studies.
    assert tagger.n_train_ == 30


def test_predict_shapes_and_types(small_tagger):
    texts = ["We failed and learned", "Good morning from Leeds", "no sound"]
    probabilities = small_tagger.predict_proba(texts)
    assert probabilities.shape == (3, 4)
    assert ((probabilities > 0) & (probabilities < 1)).all()
    predicted = small_tagger.predict(texts)
    assert predicted.shape == (3, 4)
    assert predicted.dtype == np.int8
    assert set(np.unique(predicted)) <= {0, 1}
    assert np.array_equal(predicted, small_tagger.decide(probabilities))
    # Every code that reaches its threshold is given ...
    reached = probabilities >= small_tagger.thresholds_
    assert (predicted[reached] == 1).all()
    # ... and at most one more code, to a comment that no code reached.
    extra = (predicted == 1) & ~reached
    assert (extra.sum(axis=1) <= 1).all()
    assert not (extra.any(axis=1) & reached.any(axis=1)).any()
    labels = small_tagger.predict_labels(texts)
    assert len(labels) == 3
    assert all(isinstance(code, str) for row in labels for code in row)


def test_decide_gives_the_closest_code_to_a_comment_no_code_reached(small_tagger):
    import copy

    tagger = copy.deepcopy(small_tagger)
    tagger.thresholds_ = np.array([0.5, 0.5, 0.4, 0.5])
    tagger.fallback_ = 0.6
    probabilities = np.array(
        [
            [0.6, 0.1, 0.1, 0.1],  # failure reached its threshold
            [0.4, 0.2, 0.1, 0.1],  # none reached; failure at 0.8 of its threshold
            [0.2, 0.25, 0.1, 0.1],  # none reached; the best is at 0.5 < 0.6
            [0.3, 0.1, 0.3, 0.1],  # none reached; logistics is relatively closest
        ]
    )
    assert tagger.decide(probabilities).tolist() == [
        [1, 0, 0, 0],
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 0],
    ]
    tagger.fallback_ = 2.0
    assert tagger.decide(probabilities).tolist() == [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
    ]


def test_without_ensure_label_only_thresholds_count(small_book, small_data):
    texts, labels = small_data
    tagger = CommentTagger(small_book, ensure_label=False, **FAST).fit(texts, labels)
    assert tagger.fallback_ > 1.0
    probe = ["We failed and learned", "Good morning", "no sound", "something else"]
    probabilities = tagger.predict_proba(probe)
    assert np.array_equal(tagger.predict(probe), probabilities >= tagger.thresholds_)


def test_predict_on_no_comments(small_tagger):
    assert small_tagger.predict_proba([]).shape == (0, 4)
    assert small_tagger.predict([]).shape == (0, 4)
    assert small_tagger.predict_labels([]) == []


def test_predict_accepts_series_arrays_and_missing_values(small_tagger):
    import pandas as pd

    texts = ["We failed", None, float("nan"), ""]
    from_list = small_tagger.predict_proba(texts)
    from_series = small_tagger.predict_proba(pd.Series(texts, dtype=object))
    from_column = small_tagger.predict_proba(np.array(texts, dtype=object).reshape(-1, 1))
    assert np.array_equal(from_list, from_series)
    assert np.array_equal(from_list, from_column)
    # Missing texts are scored as empty text.
    assert np.array_equal(from_list[1], from_list[3])
    assert np.array_equal(from_list[2], from_list[3])


def test_a_single_string_is_refused(small_tagger):
    with pytest.raises(ModelError, match="single string"):
        small_tagger.predict("hello")
    with pytest.raises(ModelError, match="got int"):
        small_tagger.predict(3)


def test_clear_training_comments_are_tagged(small_tagger):
    assert small_tagger.predict_labels(
        [
            "We need permission to fail",
            "Good morning everyone, joining from Swansea",
            "I can't hear the speaker",
            "Could we have a case study from a hospice?",
        ]
    ) == [["failure"], ["social"], ["logistics"], ["case_studies"]]


def test_label_forms_give_the_same_model(small_book, small_data):
    texts, labels = small_data
    matrix = labels_to_matrix(labels, SMALL_IDS)
    lists = [parse_labels(cell) for cell in labels]
    from_cells = CommentTagger(small_book, **FAST).fit(texts, labels)
    from_matrix = CommentTagger(small_book, **FAST).fit(texts, matrix)
    from_lists = CommentTagger(small_book, **FAST).fit(texts, lists)
    probe = ["we failed fast", "hello there"]
    expected = from_cells.predict_proba(probe)
    assert np.array_equal(from_matrix.predict_proba(probe), expected)
    assert np.array_equal(from_lists.predict_proba(probe), expected)


def test_fit_is_deterministic(small_book, small_data, small_tagger):
    texts, labels = small_data
    again = CommentTagger(small_book, **FAST).fit(texts, labels)
    assert np.array_equal(again.coef_, small_tagger.coef_)
    assert np.array_equal(again.thresholds_, small_tagger.thresholds_)


def test_a_code_without_labels_is_tagged_from_its_codebook_entry(small_book, small_data):
    # Changed deliberately (issue 9): a code nobody labelled is tagged by similarity to its
    # description, phrases and examples (the codebook prior) instead of never.
    texts, labels = small_data
    no_social = [";".join(c for c in parse_labels(cell) if c != "social") for cell in labels]
    tagger = CommentTagger(small_book, **FAST).fit(texts, no_social)
    j = SMALL_IDS.index("social")
    assert not tagger.learned_[j] and tagger.learned_.sum() == 3
    assert tagger.label_counts_[j] == 0
    assert not tagger.coef_[j].any() and tagger.coef_prior_[j] == 1.0
    assert tagger.thresholds_[j] == tagger.matcher_threshold_
    assert tagger.predict(["Good morning everyone, hello!"])[0, j] == 1
    assert tagger.predict(["We need permission to fail"])[0, j] == 0


def test_set_params_codebook_then_refit_follows_the_new_codebook(small_tagger, small_data):
    texts, labels = small_data
    two = Codebook(codes=(Code("failure", "Failure", "theme"), Code("social", "Social", "other")))
    keep = [";".join(c for c in parse_labels(v) if c in ("failure", "social")) for v in labels]
    tagger = clone(small_tagger).set_params(codebook=two).fit(texts, keep)
    assert list(tagger.classes_) == ["failure", "social"]
    assert tagger.thresholds_.shape == (2,)
    assert tagger.predict_proba(["hi"]).shape == (1, 2)


def test_codebook_given_as_a_path(small_data):
    texts, labels = small_data
    tagger = CommentTagger(str(TAGGING / "codebook_small.yaml"), **FAST).fit(texts, labels)
    assert list(tagger.classes_) == SMALL_IDS
    assert tagger.codebook == str(TAGGING / "codebook_small.yaml")


def test_fit_errors(small_book):
    with pytest.raises(CodebookError, match=r"row 2: label 'praise' is not a code"):
        CommentTagger(small_book, **FAST).fit(["a", "b"], ["social", "praise"])
    with pytest.raises(ModelError, match="2 comments but 3 label rows"):
        CommentTagger(small_book, **FAST).fit(["a", "b"], ["social", "", "failure"])
    # Changed deliberately (issue 9): no comments at all is a codebook-only model.
    empty = CommentTagger(small_book, **FAST).fit([], [])
    assert empty.n_train_ == 0 and not empty.learned_.any()


def test_score_is_micro_f1(small_tagger, small_data):
    texts, labels = small_data
    table = evaluate(small_tagger, texts, labels)
    assert small_tagger.score(texts, labels) == pytest.approx(table.loc["micro avg", "f1"])


def test_sklearn_tags():
    tags = CommentTagger().__sklearn_tags__()
    assert tags.input_tags.string is True
    assert tags.input_tags.two_d_array is False
    assert tags.classifier_tags.multi_label is True
    assert tags.target_tags.multi_output is True


# -- explanations -------------------------------------------------------------------------------
def test_explain_returns_matched_phrases_and_terms(small_tagger):
    text = "We need permission to fail and to stop doing things"
    detail = small_tagger.explain(text, "failure")
    assert set(detail) == {"probability", "threshold", "phrases", "terms"}
    assert detail["phrases"] == ["fail", "stop doing"]
    j = SMALL_IDS.index("failure")
    assert detail["probability"] == pytest.approx(small_tagger.predict_proba([text])[0, j])
    assert detail["threshold"] == small_tagger.thresholds_[j]
    assert detail["probability"] >= detail["threshold"]
    assert 1 <= len(detail["terms"]) <= 3
    # Terms are stemmed word n-grams of the text.
    stems = " ".join(["we", "need", "permiss", "to", "fail", "and", "stop", "do", "thing"])
    assert all(term in stems for term in detail["terms"])


def test_explain_of_a_code_without_evidence(small_tagger):
    detail = small_tagger.explain("Good morning everyone", "case_studies", top=5)
    assert detail["phrases"] == []
    assert detail["probability"] < detail["threshold"]


def test_explain_top_limits_the_terms(small_tagger):
    text = "Hello, good morning, joining from a sunny Swansea, thank you"
    assert len(small_tagger.explain(text, "social", top=1)["terms"]) <= 1
    assert small_tagger.explain(text, "social", top=0)["terms"] == []
    assert small_tagger.explain(text, "social")["phrases"] == [
        "hello",
        "good morning",
        "joining from",
        "thank you",
    ]


# -- labels -------------------------------------------------------------------------------------
def test_parse_labels():
    assert parse_labels(" failure ; social,logistics ") == ["failure", "social", "logistics"]
    assert parse_labels("") == []
    assert parse_labels(None) == []
    assert parse_labels(float("nan")) == []
    assert parse_labels(["social", " ", "failure"]) == ["social", "failure"]


def test_labels_to_matrix():
    matrix = labels_to_matrix(
        ["failure;social", "", None, ["logistics"], "social, failure"], SMALL_IDS
    )
    assert matrix.dtype == np.int8
    assert matrix.tolist() == [
        [1, 0, 0, 1],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 0],
        [1, 0, 0, 1],
    ]
    indicator = np.array([[0, 2, 0, 0], [1, 0, 0, -1]])
    assert labels_to_matrix(indicator, SMALL_IDS).tolist() == [[0, 1, 0, 0], [1, 0, 0, 0]]


def test_labels_to_matrix_names_the_row_and_the_unknown_label():
    with pytest.raises(CodebookError) as caught:
        labels_to_matrix(["social", "failure", "social;praise"], SMALL_IDS)
    assert str(caught.value) == (
        "row 3: label 'praise' is not a code of the codebook "
        "(codes: failure, case_studies, logistics, social)"
    )


def test_labels_to_matrix_refuses_a_matrix_of_the_wrong_width():
    with pytest.raises(CodebookError, match="has 3 columns; the codebook has 4"):
        labels_to_matrix(np.zeros((2, 3)), SMALL_IDS)


# -- evaluation ------------------------------------------------------------------------------------
def test_evaluation_table_hand_computed():
    # truth            predicted
    # 1: a             a
    # 2: a, b          a
    # 3: b             a, b
    # 4: b             -
    # 5: c             d
    classes = ["a", "b", "c", "d"]
    truth = labels_to_matrix(["a", "a;b", "b", "b", "c"], classes)
    predicted = labels_to_matrix(["a", "a", "a;b", "", "d"], classes)
    table = evaluation_table(truth, predicted, classes)
    assert list(table.index) == ["a", "b", "c", "d", "micro avg", "macro avg"]
    assert list(table.columns) == ["precision", "recall", "f1", "support"]
    # a: tp 2, fp 1, fn 0; b: tp 1, fp 0, fn 2; c: tp 0, fp 0, fn 1; d: tp 0, fp 1, fn 0
    expected = {
        "a": (Fraction(2, 3), Fraction(1), Fraction(4, 5), 2),
        "b": (Fraction(1), Fraction(1, 3), Fraction(1, 2), 3),
        "c": (Fraction(0), Fraction(0), Fraction(0), 1),
        "d": (Fraction(0), Fraction(0), Fraction(0), 0),
        # micro: tp 3, fp 2, fn 3
        "micro avg": (Fraction(3, 5), Fraction(1, 2), Fraction(6, 11), 6),
        # macro: mean over a, b, c (d has no support)
        "macro avg": (
            (Fraction(2, 3) + 1 + 0) / 3,
            (1 + Fraction(1, 3) + 0) / 3,
            (Fraction(4, 5) + Fraction(1, 2) + 0) / 3,
            6,
        ),
    }
    for code, (precision, recall, f1, support) in expected.items():
        row = table.loc[code]
        assert row["precision"] == pytest.approx(float(precision), abs=1e-12), code
        assert row["recall"] == pytest.approx(float(recall), abs=1e-12), code
        assert row["f1"] == pytest.approx(float(f1), abs=1e-12), code
        assert row["support"] == support, code
    assert table["support"].dtype.kind == "i"


def test_evaluation_table_perfect_and_empty_predictions():
    classes = ["a", "b"]
    truth = labels_to_matrix(["a", "b", "a;b"], classes)
    perfect = evaluation_table(truth, truth, classes)
    assert (perfect[["precision", "recall", "f1"]] == 1.0).all().all()
    none = evaluation_table(truth, np.zeros_like(truth), classes)
    assert (none[["precision", "recall", "f1"]] == 0.0).all().all()
    assert none["support"].tolist() == [2, 2, 4, 4]


def test_evaluate_reports_exact_support(small_tagger, small_data):
    texts, labels = small_data
    table = evaluate(small_tagger, texts, labels)
    assert list(table.index) == [*SMALL_IDS, "micro avg", "macro avg"]
    assert table["support"].to_dict() == {**SMALL_SUPPORT, "micro avg": 29, "macro avg": 29}


def test_cross_validate(small_book, small_data):
    texts, labels = small_data
    table = cross_validate(texts, labels, k=3, codebook=small_book, **FAST)
    assert list(table.index) == [*SMALL_IDS, "micro avg", "macro avg"]
    assert table["support"].to_dict() == {**SMALL_SUPPORT, "micro avg": 29, "macro avg": 29}
    assert (
        ((table[["precision", "recall", "f1"]] >= 0) & (table[["precision", "recall", "f1"]] <= 1))
        .all()
        .all()
    )


@pytest.mark.parametrize("k", [1, 29])
def test_cross_validate_refuses_impossible_folds(small_book, small_data, k):
    texts, labels = small_data
    with pytest.raises(ModelError, match=f"--cv {k}: needs 2 to 28 folds"):
        cross_validate(texts, labels, k=k, codebook=small_book)


# -- saving and loading ----------------------------------------------------------------------------
PROBE = [
    "We need permission to fail",
    "Good morning from a sunny Swansea",
    "no sound and the link is broken",
    "A case study from other trusts please",
    "Something else entirely",
]


def test_save_and_load_round_trip(small_tagger, saved_small):
    loaded = load_model(saved_small)
    assert isinstance(loaded, CommentTagger)
    assert list(loaded.classes_) == list(small_tagger.classes_)
    assert loaded.codebook_ == small_tagger.codebook_
    assert loaded.get_params() == small_tagger.get_params()
    assert np.array_equal(loaded.thresholds_, small_tagger.thresholds_)
    assert np.array_equal(loaded.intercept_, small_tagger.intercept_)
    assert loaded.fallback_ == small_tagger.fallback_
    assert loaded.cv_scores_ == small_tagger.cv_scores_
    assert loaded.n_train_ == small_tagger.n_train_
    np.testing.assert_allclose(
        loaded.predict_proba(PROBE), small_tagger.predict_proba(PROBE), rtol=0, atol=1e-6
    )
    assert np.array_equal(loaded.predict(PROBE), small_tagger.predict(PROBE))
    assert loaded.explain(PROBE[0], "failure")["phrases"] == ["fail"]


def test_a_loaded_model_saves_and_loads_to_identical_probabilities(saved_small, tmp_path):
    loaded = load_model(saved_small)
    save_model(loaded, tmp_path / "again.skops")
    again = load_model(tmp_path / "again.skops")
    assert np.array_equal(again.predict_proba(PROBE), loaded.predict_proba(PROBE))


def test_loaded_probabilities_are_identical_to_the_saved_model(small_tagger, saved_small):
    loaded = load_model(saved_small)
    assert np.array_equal(loaded.predict_proba(PROBE), small_tagger.predict_proba(PROBE))


def test_load_with_the_same_codebook(saved_small, small_book):
    assert list(load_model(saved_small, codebook=small_book).classes_) == SMALL_IDS
    path_book = load_model(saved_small, codebook=TAGGING / "codebook_small.toml")
    assert list(path_book.classes_) == SMALL_IDS


def test_load_with_a_codebook_of_other_codes_is_refused(saved_small):
    with pytest.raises(ModelError) as caught:
        load_model(saved_small, codebook=TAGGING / "codebook_user.yaml")
    message = str(caught.value)
    assert message.startswith(f"{saved_small} was built for another codebook (")
    assert "codes not in the model: accessibility, learning_from_failure" in message
    assert "codes only in the model: case_studies, failure" in message
    assert "feedback train --codebook" in message


def test_load_with_the_codes_in_another_order_is_refused(saved_small, small_book):
    reordered = Codebook(codes=tuple(reversed(small_book.codes)))
    with pytest.raises(ModelError, match="the codes are in another order"):
        load_model(saved_small, codebook=reordered)


def test_check_model_codebook_passes_for_the_same_codes(small_tagger, small_book):
    check_model_codebook(small_tagger, small_book)


def test_load_missing_file(tmp_path):
    with pytest.raises(ModelError, match="cannot read the model"):
        load_model(tmp_path / "missing.skops")


@pytest.mark.parametrize(
    "content",
    [b"", b"text,labels\nhello,social\n", b"PK\x03\x04 not really a zip"],
    ids=["empty", "csv", "fake-zip"],
)
def test_a_file_that_is_not_a_skops_model_is_refused(tmp_path, content):
    path = tmp_path / "model.skops"
    path.write_bytes(content)
    with pytest.raises(ModelError, match="not a feedback model file"):
        load_model(path)


def test_a_truncated_or_corrupted_model_is_refused(saved_small, tmp_path):
    data = saved_small.read_bytes()
    truncated = tmp_path / "truncated.skops"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="not a feedback model file"):
        load_model(truncated)
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0xFF
    corrupted = tmp_path / "corrupted.skops"
    corrupted.write_bytes(bytes(flipped))
    with pytest.raises(ModelError, match="not a feedback model file"):
        load_model(corrupted)


def test_a_model_holding_code_is_refused(small_tagger, tmp_path):
    import skops.io as sio

    state = small_tagger.to_state()
    state["hook"] = np.sum  # a function: loading it would import and call code
    path = tmp_path / "tampered.skops"
    path.write_bytes(sio.dumps(state))
    with pytest.raises(ModelError, match=r"not plain data.*refusing to load it"):
        load_model(path)


def test_another_skops_object_is_refused(tmp_path):
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    path = tmp_path / "other.skops"
    path.write_bytes(sio.dumps(LogisticRegression()))
    with pytest.raises(ModelError, match="not a feedback model file"):
        load_model(path)


def _save_state(state: dict, path: Path) -> Path:
    import skops.io as sio

    path.write_bytes(sio.dumps(state))
    return path


def test_a_model_of_another_format_is_refused(small_tagger, tmp_path):
    state = small_tagger.to_state()
    state["format"] = MODEL_FORMAT + 1
    with pytest.raises(ModelError, match=f"model format {MODEL_FORMAT + 1} is not supported"):
        load_model(_save_state(state, tmp_path / "future.skops"))


@pytest.mark.parametrize(
    "key", ["idf", "params", "classes", "thresholds", "coef_embedding", "matcher", "learned"]
)
def test_a_model_missing_a_part_is_refused(small_tagger, tmp_path, key):
    state = small_tagger.to_state()
    del state[key]
    with pytest.raises(ModelError, match="incomplete or damaged"):
        load_model(_save_state(state, tmp_path / "partial.skops"))


def _cut_coef(state):
    state["coef"] = state["coef"][:, :5]


def _cut_classes(state):
    state["classes"] = state["classes"][:2]


def _cut_thresholds(state):
    state["thresholds"] = state["thresholds"][:2]


def _cut_embedding_weights(state):
    state["coef_embedding"] = state["coef_embedding"][:, :5]


def _other_embeddings(state):
    state["embeddings_sha256"] = "0" * 64


@pytest.mark.parametrize(
    "tamper", [_cut_coef, _cut_classes, _cut_thresholds, _cut_embedding_weights, _other_embeddings]
)
def test_a_model_whose_arrays_do_not_fit_together_is_refused(small_tagger, tmp_path, tamper):
    state = small_tagger.to_state()
    tamper(state)
    with pytest.raises(ModelError):
        load_model(_save_state(state, tmp_path / "tampered.skops"))


def test_a_model_with_an_invalid_stored_codebook_is_refused(small_tagger, tmp_path):
    state = small_tagger.to_state()
    state["codebook"]["codes"][0]["id"] = "Not an id"
    with pytest.raises(ModelError):
        load_model(_save_state(state, tmp_path / "badbook.skops"))


def test_model_error_is_a_feedback_error():
    assert issubclass(ModelError, FeedbackError)


# -- training with the bundled data ----------------------------------------------------------------
def test_train_model_keeps_only_bundled_labels_of_the_codebook(monkeypatch):
    import pandas as pd

    import feedback.tagging.training as classifier

    bundled = pd.DataFrame(
        {
            "text": [
                "Can't hear anything",
                "Good morning from Leeds",
                "We need permission to fail",
                "More case studies please",
                "The link does not work",
                "Hello everyone",
            ],
            "labels": ["logistics", "social", "failure", "case_studies", "logistics", "social"],
        }
    )
    monkeypatch.setattr(classifier, "bundled_training_data", lambda: bundled)
    texts, labels = _labelled("labelled_user.csv")
    model = train_model(texts, labels, codebook=TAGGING / "codebook_user.yaml", **FAST)
    assert list(model.classes_) == [
        "learning_from_failure",
        "accessibility",
        "logistics",
        "social",
    ]
    # Changed deliberately (issue 9): codebook_user.yaml keeps no code with the default's
    # description, so the bundled comments are used for none of its codes.
    assert model.n_train_ == len(texts) == 12
    only_user = train_model(
        texts, labels, codebook=TAGGING / "codebook_user.yaml", include_bundled=False, **FAST
    )
    assert only_user.n_train_ == 12


def test_train_model_checks_the_users_labels(monkeypatch):
    import feedback.tagging.training as classifier

    monkeypatch.setattr(classifier, "bundled_training_data", lambda: None)
    with pytest.raises(CodebookError, match="row 1: label 'failure' is not a code"):
        train_model(
            ["We failed"],
            ["failure"],
            codebook=TAGGING / "codebook_user.yaml",
            include_bundled=False,
        )


def test_train_model_without_any_comments_uses_the_codebook_alone():
    # Changed deliberately (issue 9): a model can be made from the codebook alone.
    model = train_model([], [], codebook=TAGGING / "codebook_small.yaml", include_bundled=False)
    assert model.n_train_ == 2  # the codebook's two examples
    assert not model.learned_.any()
    assert model.predict_labels(["Good morning from Leeds"]) == [["social"]]


# -- the default model (trained once per session) ------------------------------------------------
def test_default_model_follows_the_default_codebook(default_tagger):
    assert list(default_tagger.classes_) == load_codebook().ids
    assert default_tagger.thresholds_.shape == (len(load_codebook()),)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Can't hear anything, is it just me?", "logistics"),
        ("Good morning everyone, joining from Swansea", "social"),
        ("We need permission to fail and to stop things that don't work", "failure"),
        ("Could we have some case studies from social care?", "case_studies"),
        ("An infographic of the seven principles would be great", "slides_visuals"),
    ],
)
def test_default_model_tags_clear_comments(default_tagger, text, code):
    assert code in default_tagger.predict_labels([text])[0]


def test_default_model_explains_with_phrases(default_tagger):
    detail = default_tagger.explain(
        "Could we have some case studies from social care?", "case_studies"
    )
    assert detail["phrases"] == ["case study"]
    assert detail["probability"] >= detail["threshold"]
    assert detail["terms"]


# -- retraining on top of the shipped model ---------------------------------------------------
def test_user_labels_on_default_codes_reuse_the_shipped_thresholds(monkeypatch):
    from feedback.classifier import bundled_heldout_data
    from feedback.tagging import training
    from feedback.tagging.estimator import CommentTagger as Tagger

    seen = {}

    def fake_fit(self, X, y, **kwargs):
        seen.update(kwargs, texts=len(X))
        return self

    monkeypatch.setattr(Tagger, "fit", fake_fit)
    user = bundled_heldout_data("heldout_chat.csv").head(40)
    training.train_model(user["text"].tolist(), user["labels"].tolist())
    base = training.shipped_model()
    reuse = seen["reuse"]
    assert sorted(reuse) == list(range(len(base.classes_)))
    expected = base.predict_proba(user["text"].tolist())
    for j, (threshold, given) in reuse.items():
        assert threshold == pytest.approx(base.thresholds_[j])
        assert len(given) == seen["texts"]
        assert np.allclose(given[:40], expected[:, j])
        assert not given[40:].any()


def test_many_user_labels_or_other_parameters_cross_validate_again(monkeypatch):
    from feedback.tagging import training
    from feedback.tagging.estimator import CommentTagger as Tagger

    seen = []
    monkeypatch.setattr(Tagger, "fit", lambda self, X, y, **kw: seen.append(kw) or self)
    training.train_model(["we learned from failure"] * 900, ["failure"] * 900)
    training.train_model(["we learned from failure"] * 10, ["failure"] * 10, C=4.0)
    assert [kw["reuse"] for kw in seen] == [None, None]
