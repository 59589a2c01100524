"""Questions: the labelled evaluation, session/topic filing, merging near-duplicates."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from feedback.analysis.questions import find_questions, merge_questions, score_questions
from feedback.exceptions import SchemaError
from feedback.schema import Col, Kind, items_from_records

START = datetime(2026, 3, 12, 10, 0, 0)


def labelled(data_dir, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / "questions" / name, dtype=str, keep_default_na=False)


# -- the labelled evaluation ------------------------------------------------------------------
def test_question_detection_on_the_independent_evaluation_chats(data_dir):
    scores = score_questions(labelled(data_dir, "chats.csv"))
    # 382 messages from three invented webinars, 137 of them questions (see its README).
    assert (scores["messages"], scores["questions"]) == (382, 137)
    # Measured 0.979 / 1.000 / 0.989 and 0.971 (README); the thresholds sit a little under.
    assert scores["precision"] >= 0.96
    assert scores["recall"] >= 0.97
    assert scores["f1"] >= 0.97
    assert scores["split_accuracy"] >= 0.94


def test_question_detection_on_the_second_independent_chats(data_dir):
    # Four more invented webinars by another writer, never read while the rules were written;
    # measured once when added: P 0.941, R 0.957, F1 0.949, session/topic 0.875.
    scores = score_questions(labelled(data_dir, "chats2.csv"))
    assert (scores["messages"], scores["questions"]) == (392, 117)
    assert scores["f1"] >= 0.93
    assert scores["split_accuracy"] >= 0.85


@pytest.mark.parametrize("name", ["dev.csv", "dev2.csv"])
def test_question_detection_on_the_development_chats(data_dir, name):
    scores = score_questions(labelled(data_dir, name))
    assert scores["f1"] >= 0.95
    assert scores["split_accuracy"] >= 0.9


def test_score_questions_counts_by_hand():
    table = pd.DataFrame(
        {
            "text": [
                "slides pls",
                "is this recorded",
                "great talk",
                "how did you fund it",
                "why not.",
            ],
            "is_question": [1, 1, 0, 1, 1],
            "kind": ["session", "topic", "", "topic", "topic"],
        }
    )
    scores = score_questions(table)
    # Found: rows 0, 1, 3 (all true); missed: row 4. P = 3/3, R = 3/4.
    assert scores["precision"] == 1.0
    assert scores["recall"] == 0.75
    assert scores["f1"] == pytest.approx(2 * 0.75 / 1.75)
    # Topics of the three found: session (right), session (labelled topic: wrong), topic (right).
    assert scores["split_accuracy"] == pytest.approx(2 / 3)
    with pytest.raises(SchemaError, match="kind"):
        score_questions(table.drop(columns="kind"))


# -- filing and merging -----------------------------------------------------------------------
def chat(*records: tuple[str, float, str]) -> pd.DataFrame:
    from feedback.text import is_question

    rows = [
        {
            Col.ITEM_ID: f"m{k:02d}",
            Col.KIND: Kind.CHAT,
            Col.AUTHOR: author,
            Col.TIMESTAMP: START + timedelta(minutes=minute),
            Col.TEXT: text,
            Col.LABELS: labels,
            Col.SCORES: "",
            Col.IS_QUESTION: is_question(text),
        }
        for k, (author, minute, text, labels) in enumerate(records, start=1)
    ]
    return items_from_records(rows)


def test_session_questions_are_filed_by_their_words():
    table = chat(
        ("Ana", 1, "could we have the slide as a separate image?", "case_studies"),
        ("Ben", 2, "where can I find the recording", ""),
        ("Cat", 3, "what was the sample size", "evidence"),
        ("Dev", 4, "Will the sound be fixed?", "logistics"),
    )
    questions = find_questions(table)
    assert questions["about"].tolist() == ["session", "session", "content", "session"]


def test_merge_questions_counts_askers_and_picks_the_best_wording():
    table = chat(
        ("Ana", 1, "slides?", "logistics"),
        ("Ben", 2, "Will the slides be shared after the session?", "logistics"),
        ("Cat", 3, "can we get the slides pls", "logistics"),
        ("Dev", 4, "how did you fund the night staff", "funding"),
        ("Eve", 5, "Sorry if I missed it, but how were the night staff funded?", "funding"),
        ("Fay", 6, "What did the patients think of it?", "patients"),
        ("Gus", 7, "how did you fund the night staff", "funding"),
    )
    questions = find_questions(table)
    agreements = pd.DataFrame({"item_id": ["x1", "x2"], "author": ["Hal", "Ana"],
                               "parent": ["m04", "m04"]})  # fmt: skip
    merged = merge_questions(questions, agreements=agreements)
    assert merged["text"].tolist() == [
        # Dev, Eve, Gus asked it and Hal backed it ("+1"); Ana's "+1" makes five people.
        "Sorry if I missed it, but how were the night staff funded?",
        "Will the slides be shared after the session?",
        "What did the patients think of it?",
    ]
    assert merged["askers"].tolist() == [5, 3, 1]
    assert merged["authors"].tolist()[0] == ["Dev", "Eve", "Gus", "Hal", "Ana"]
    assert merged["variants"].tolist()[1] == ["slides?", "can we get the slides pls"]
    assert merged["theme"].tolist() == ["funding", "logistics", "patients"]
    assert merged["about"].tolist() == ["content", "session", "content"]
    assert merged["item_ids"].tolist()[0] == ["m04", "m05", "m07"]


def test_merge_questions_keeps_different_questions_apart():
    table = chat(
        ("Ana", 1, "how did you fund the night staff", ""),
        ("Ben", 2, "how did you train the night staff", ""),
        ("Cat", 3, "how did you fund the day centre", ""),
    )
    merged = merge_questions(find_questions(table))
    assert merged["askers"].tolist() == [1, 1, 1]


def test_merge_questions_empty_and_malformed():
    assert merge_questions(find_questions(chat(("Ana", 1, "hello", "")))).empty
    with pytest.raises(SchemaError, match="about"):
        merge_questions(pd.DataFrame({"text": ["x"]}))
