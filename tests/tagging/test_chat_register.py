"""The default model on chat register: acronyms, emoji, replies, content-free comments.

The second held-out set (assets/labelled/heldout_chat.csv) was written independently of
the training data, in chat register, and is never used for training or tuning. The
thresholds sit a little under the figures measured when it was added (README).
"""

from __future__ import annotations

import pytest

from feedback.tagging.evaluation import evaluate
from feedback.tagging.training import bundled_heldout_data

#: Measured macro-F1 on the held-out sets (README "Tagging accuracy"), less a margin.
MIN_MACRO = {"heldout.csv": 0.79, "heldout_chat.csv": 0.82}


@pytest.mark.parametrize("name", sorted(MIN_MACRO))
def test_heldout_macro_f1(default_tagger, name):
    data = bundled_heldout_data(name)
    table = evaluate(default_tagger, data["text"].tolist(), data["labels"].tolist())
    assert table.loc["macro avg", "f1"] >= MIN_MACRO[name]


@pytest.mark.parametrize(
    "text",
    [
        "+1",
        "^",
        "^ this",
        "all good",
        "good q",
        "anyone watching the football later",
        "lol",
        "same",
    ],
)
def test_content_free_comments_get_no_code(default_tagger, text):
    assert default_tagger.predict_labels([text]) == [[]]


@pytest.mark.parametrize(
    "text",
    ["morning all 👋 from Leeds", "thanks everyone, great session 🙏", "hi all, first time here"],
)
def test_greetings_and_thanks_stay_social(default_tagger, text):
    assert default_tagger.predict_labels([text]) == [["social"]]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("our ICB wont fund QI time for AHPs", "infrastructure"),
        ("the VCSE partners in our PCN were brilliant", "networks"),
        ("can u share the slides pls", "logistics"),
        ("+1 to more case studies from social care", "case_studies"),
    ],
)
def test_chat_register_comments(default_tagger, text, code):
    assert code in default_tagger.predict_labels([text])[0]
