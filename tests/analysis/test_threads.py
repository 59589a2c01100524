"""Threads and engagement: links between messages, threads, comments that took off, context.

Every chat here is made by hand; the expected links are worked out message by
message in the comments.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from feedback.analysis.conversation import (
    ADJACENT,
    AGREE,
    MENTION,
    QUOTE,
    REPLY,
    conversations,
    find_threads,
    is_agreement,
    link_messages,
    prompted_by,
    took_off,
)
from feedback.exceptions import SchemaError
from feedback.schema import Col, Kind, items_from_records

START = datetime(2026, 3, 12, 10, 0, 0)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def chat(records: list[dict]) -> pd.DataFrame:
    """Tagged chat items m01, m02, ... from (author, minute, text, ...) records."""
    rows = []
    for number, record in enumerate(records, start=1):
        row = {
            Col.ITEM_ID: f"m{number:02d}",
            Col.KIND: Kind.CHAT,
            Col.LABELS: "",
            Col.SCORES: "",
            Col.IS_QUESTION: False,
        }
        row.update(record)
        rows.append(row)
    table = items_from_records(rows)
    for column, empty in ((Col.LABELS, ""), (Col.SCORES, ""), (Col.IS_QUESTION, False)):
        if column not in table.columns:
            table[column] = pd.Series([empty] * len(table), dtype=object)
    return table


def msg(author: str, minute: float, text: str, **extra) -> dict:
    return {Col.AUTHOR: author, Col.TIMESTAMP: at(minute), Col.TEXT: text, **extra}


@pytest.fixture
def busy_chat() -> pd.DataFrame:
    return chat(
        [
            # m01 starts a thread: a question on funding.
            msg(
                "Jess Bell",
                0,
                "How did you fund the night staff?",
                **{Col.IS_QUESTION: True, Col.LABELS: "funding"},
            ),
            # m02 Zoom reply to m01.
            msg("Tom Reid", 1, "We used winter money", **{Col.REPLY_TO: "m01"}),
            # m03 "+1" right after m02: agrees with m02 (the message before by someone else).
            msg("Rahul Patel", 1.2, "+1"),
            # m04 @mention of Jess (last wrote m01): answers m01.
            msg("Dr Amara Nwosu (she/her)", 2, "@Jess from the ICB, recurrently"),
            # m05 unrelated, nothing to link to (no code, 5 minutes on).
            msg("Lucy Hart", 7, "Lovely to see the patient voice here"),
            # m06 name first: "Lucy," answers Lucy's m05.
            msg("Gareth Pryce", 7.5, "Lucy, agreed, the patient story was the best bit"),
            # m07 quotes m04 ("from the ICB, recurrently"): joins the funding thread.
            msg("Bev Otley", 9, '"from the ICB, recurrently" - lucky you!'),
            # m08 and m09: same code within 60 s, by different people: adjacent.
            msg("Nkechi A", 12, "Travel time kills the numbers", **{Col.LABELS: "rural"}),
            msg("Siobhan O", 12.5, "45 minute drives between patients", **{Col.LABELS: "rural"}),
            # m10 same code but 3 minutes later: no link.
            msg("Mark Ellis", 15.5, "Rural teams need their own model", **{Col.LABELS: "rural"}),
            # m11 a new question on the same code 20 s later: questions start threads.
            msg(
                "Tom Reid",
                15.8,
                "Is there a rural version of the guide?",
                **{Col.LABELS: "rural", Col.IS_QUESTION: True},
            ),
        ]
    )


def test_is_agreement():
    for text in ["+1", "^", "^^ this", "Same here", "agree", "+1 to Jess's question", "👍👍"]:
        assert is_agreement(text), text
    for text in [
        "this is the crux",
        "I agree that funding matters most",
        "?",
        "",
        "same old story",
    ]:
        assert not is_agreement(text), text


def test_link_messages_uses_every_kind_of_link(busy_chat):
    links = link_messages(busy_chat)
    assert links["item_id"].tolist() == [f"m{k:02d}" for k in range(1, 12)]
    assert list(zip(links["parent"], links["link"], strict=True)) == [
        ("", ""),
        ("m01", REPLY),
        ("m02", AGREE),
        ("m01", MENTION),
        ("", ""),
        ("m05", MENTION),
        ("m04", QUOTE),
        ("", ""),
        ("m08", ADJACENT),
        ("", ""),
        ("", ""),
    ]


def test_adjacency_window_and_codes_can_be_set(busy_chat):
    # m10 is 3 minutes after m09: within a 4-minute window, but m09 already answers m08
    # and adjacency never chains; m11 is a question and stands alone.
    wide = link_messages(busy_chat, adjacency_seconds=240).set_index("item_id")
    assert wide.loc[["m09", "m10", "m11"], "parent"].tolist() == ["m08", "", ""]
    # Only the given codes count.
    other = link_messages(busy_chat, codes={"funding"})
    assert other.set_index("item_id").loc["m09", "parent"] == ""
    slow = chat(
        [
            msg("Ana", 0, "Rural teams need their own model", **{Col.LABELS: "rural"}),
            msg("Ben", 2, "Travel time is the killer", **{Col.LABELS: "rural;staff"}),
            msg("Cat", 2.5, "We pay mileage at a higher rate", **{Col.LABELS: "staff"}),
        ]
    )
    assert link_messages(slow)["parent"].tolist() == ["", "", "m02"]
    assert link_messages(slow, adjacency_seconds=150)["parent"].tolist() == ["", "m01", ""]


def test_find_threads_follows_links_to_the_first_comment(busy_chat):
    threads = find_threads(link_messages(busy_chat)).set_index("item_id")
    assert threads.loc[["m01", "m02", "m03", "m04", "m07"], "thread"].tolist() == ["m01"] * 5
    assert threads.loc[["m01", "m02", "m03", "m04", "m07"], "depth"].tolist() == [0, 1, 2, 1, 2]
    assert threads.loc[["m05", "m06"], "thread"].tolist() == ["m05", "m05"]
    assert threads.loc[["m08", "m09", "m10", "m11"], "thread"].tolist() == [
        "m08", "m08", "m10", "m11"]  # fmt: skip


def test_conversations_count_replies_agreements_and_reactions(busy_chat):
    reactions = chat(
        [
            msg(
                "Tom Reid",
                8,
                'Reacted to "Lovely to see the pat..." with 👍',
                **{Col.KIND: Kind.REACTION, Col.REPLY_TO: "m05"},
            ),
            msg("Mark Ellis", 8, "Reacted", **{Col.KIND: Kind.REACTION, Col.REPLY_TO: "m05"}),
            msg("Jess Bell", 8, "Reacted", **{Col.KIND: Kind.REACTION, Col.REPLY_TO: "m05"}),
        ]
    )
    reactions[Col.ITEM_ID] = ["r1", "r2", "r3"]
    found = {c.item_id: c for c in conversations(pd.concat([busy_chat, reactions]))}
    assert sorted(found) == ["m01", "m05", "m08", "m10", "m11"]
    funding = found["m01"]
    # Replies: m02, m04, m07 (m03 is an agreement); repliers Tom, Rahul, Amara, Bev.
    assert [(who, text, to) for who, _, text, to in funding.replies] == [
        ("Tom Reid", "We used winter money", "Jess Bell"),
        ("Dr Amara Nwosu (she/her)", "@Jess from the ICB, recurrently", "Jess Bell"),
        ("Bev Otley", '"from the ICB, recurrently" - lucky you!', "Dr Amara Nwosu (she/her)"),
    ]
    assert (funding.repliers, funding.agreements, funding.reactions) == (4, 1, 0)
    assert (found["m05"].reactions, found["m05"].likes, len(found["m05"].replies)) == (3, 3, 1)
    most, liked = took_off(list(found.values()), n=3, min_replies=2, min_likes=2)
    assert [c.item_id for c in most] == ["m01"]
    assert [c.item_id for c in liked] == ["m05"]


def test_private_messages_never_join_a_thread(busy_chat):
    private = chat(
        [
            msg(
                "Tom Reid",
                0.5,
                "psst, ask about the night rota",
                **{Col.IS_PRIVATE: True, Col.RECIPIENT: "Jess Bell"},
            )
        ]
    )
    private[Col.ITEM_ID] = ["p1"]
    found = conversations(pd.concat([busy_chat, private]))
    texts = [c.text for c in found] + [t for c in found for _, _, t, _ in c.replies]
    assert "psst, ask about the night rota" not in texts
    # All eleven public messages but the "+1" (an agreement, counted, not quoted).
    assert len(texts) == 10


def test_mentions_of_pseudonyms_find_the_right_person():
    table = chat(
        [
            msg("Participant 1", 0, "How did you fund it?"),
            msg("Participant 2", 0.5, "Same question here"),
            msg("Participant 3", 1, "@Participant 1 from the core budget"),
            msg("Participant 12", 1.5, "Lovely"),
            msg("Participant 4", 2, "@Participant 12 agreed"),
        ]
    )
    assert link_messages(table)["parent"].tolist() == ["", "", "m01", "", "m04"]


def test_link_messages_refuses_an_untagged_table():
    with pytest.raises(SchemaError):
        link_messages(pd.DataFrame({"text": ["hi"]}))


def test_prompted_by_the_minute_before():
    cues = chat(
        [
            msg("Dr Helen Mayhew", 8.0, "So the first thing we learned."),
            msg("Dr Helen Mayhew", 9.2, "We stopped the pilot after three weeks."),
            msg("Dr Helen Mayhew", 9.6, "Nobody had asked the district nurses."),
            msg("Karen Whitfield", 10.5, "Let's take questions."),
        ]
    )
    # A thread at 10:10: the minute before holds the cues at 9.2 and 9.6 (not 8.0, not 10.5).
    assert prompted_by(cues, pd.Timestamp(at(10))) == (
        "Dr Helen Mayhew",
        "We stopped the pilot after three weeks. Nobody had asked the district nurses.",
    )
    assert prompted_by(cues, pd.Timestamp(at(10)), max_words=5) == (
        "Dr Helen Mayhew",
        "\u2026had asked the district nurses.",
    )
    assert prompted_by(cues, pd.Timestamp(at(30))) is None
    assert prompted_by(cues.iloc[:0], pd.Timestamp(at(10))) is None
    assert prompted_by(cues, pd.NaT) is None
