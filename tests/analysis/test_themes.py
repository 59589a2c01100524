"""What each theme said: distinctive phrases by class-based TF-IDF, on hand-made groups."""

from __future__ import annotations

from feedback.analysis.themes import distinctive_phrases, summary_line


def test_phrases_that_set_a_group_apart():
    groups = {
        "format": [
            "Concise and clear, bite sized chunks",
            "Really clear slides and easy to navigate",
            "bite sized sessions suit shift workers",
            "easy to navigate guide, concise",
        ],
        "funding": [
            "The funding ran out after a year",
            "No recurrent funding for the posts",
            "funding was short term so staff left",
        ],
        "staff": [
            "Staff were exhausted",
            "We lost staff to the acute trust",
            "funding for staff training",
        ],
    }
    found = distinctive_phrases(groups, n=4)
    # "bite sized", "easy to navigate", "concise" and "clear" each occur in two comments of
    # "format" and nowhere else; longer phrases win ties and hide their parts.
    assert found["format"] == ["easy to navigate", "bite sized", "clear", "concise"]
    # "funding" is in all three funding comments (and once in staff): still the most distinctive.
    assert found["funding"] == ["funding"]
    # "staff" is in all three staff comments, but also in one funding comment.
    assert found["staff"] == ["staff"]
    assert summary_line(found["format"]) == "easy to navigate, bite sized, clear, concise"


def test_a_phrase_from_one_comment_alone_is_not_a_summary():
    groups = {
        "a": ["alpha beta", "gamma delta", "epsilon"],
        "b": ["zeta"],
    }
    found = distinctive_phrases(groups)
    assert found["a"] == []
    # A group of fewer than three comments may be summed up by one.
    assert found["b"] == ["zeta"]


def test_placeholders_stop_words_and_empty_groups():
    groups = {
        "a": ["[name] said it was great", "Person 3 and [name] agreed", "it was great and so"],
        "b": [],
    }
    found = distinctive_phrases(groups)
    assert found == {"a": [], "b": []}
