"""The report tells the story: threads that took off, merged open questions, context, summaries.

A hand-made webinar (chat, reactions, transcript on one clock) is built into a report;
the expectations are worked out from the messages below, not from the code's output.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from feedback.schema import Col, Kind, empty_participants, items_from_records

START = datetime(2026, 3, 12, 10, 0, 0)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def item(number: int, kind: str, seconds: float, author: str, text: str, **extra) -> dict:
    return {
        Col.ITEM_ID: f"chat-{number:05d}",
        Col.WEBINAR: "story",
        Col.SOURCE: "hand-made",
        Col.KIND: kind,
        Col.TIMESTAMP: at(seconds),
        Col.AUTHOR: author,
        Col.TEXT: text,
        **extra,
    }


@pytest.fixture(scope="module")
def story(tmp_path_factory, default_tagger):
    from feedback.loaders import Webinar
    from feedback.report import ReportOptions, build_report, write_report

    rows = [
        # The speaker, in the minute before the first question (transcript cues).
        item(
            1, Kind.TRANSCRIPT, 100, "Dr Helen Mayhew", "We ran the night service with two nurses."
        ),
        item(2, Kind.TRANSCRIPT, 130, "Dr Helen Mayhew", "Funding came from the winter pot."),
        # 10:02:40 a question that takes off: a Zoom reply, an @mention, a quote, a "+1".
        item(3, Kind.CHAT, 160, "Jess Bell", "How did you fund the night nurses after winter?"),
        item(
            4,
            Kind.CHAT,
            200,
            "Tom Reid",
            "We had the same gap, following this",
            **{Col.REPLY_TO: "chat-00003"},
        ),
        item(5, Kind.CHAT, 230, "Amara Nwosu", "@Jess we moved it into the core budget"),
        item(
            6,
            Kind.CHAT,
            260,
            "Bev Otley",
            '"moved it into the core budget" - how did you win that?',
        ),
        item(7, Kind.CHAT, 262, "Rahul Patel", "+1"),
        # A private message never shows.
        item(
            8,
            Kind.CHAT,
            270,
            "Rahul Patel",
            "psst are you going to the pub after",
            **{Col.IS_PRIVATE: True, Col.RECIPIENT: "Tom Reid"},
        ),
        # Two people ask the same open question; a third backs it with "^".
        item(9, Kind.CHAT, 600, "Lucy Hart", "slides?"),
        item(10, Kind.CHAT, 660, "Mark Ellis", "Will the slides be shared after the session?"),
        item(11, Kind.CHAT, 665, "Nkechi Ade", "^"),
        # A well-liked comment: three reactions.
        item(12, Kind.CHAT, 900, "Siobhan Neill", "Stopping a pilot should count as a success"),
        item(
            13,
            Kind.REACTION,
            910,
            "Lucy Hart",
            'Reacted to "Stopping a pilot..." with 👍',
            **{Col.REPLY_TO: "chat-00012"},
        ),
        item(
            14,
            Kind.REACTION,
            915,
            "Tom Reid",
            'Reacted to "Stopping a pilot..." with 👍',
            **{Col.REPLY_TO: "chat-00012"},
        ),
        item(
            15,
            Kind.REACTION,
            920,
            "Mark Ellis",
            'Reacted to "Stopping a pilot..." with ❤️',
            **{Col.REPLY_TO: "chat-00012"},
        ),
    ]
    webinar = Webinar(
        name="story",
        items=items_from_records(rows),
        participants=empty_participants(),
        meta={"title": "A story"},
    )
    report = build_report([webinar], model=default_tagger, options=ReportOptions())
    out = tmp_path_factory.mktemp("story-report")
    write_report(report, out)
    return report, (out / "report.md").read_text(encoding="utf-8"), out


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start : end if end >= 0 else None]


def test_conversations_that_took_off(story):
    report, markdown, _ = story
    # Pseudonyms follow the order people first wrote in the chat: Jess 1, Tom 2, Amara 3...
    speaker = next(k for k, v in report.key.items() if v == "Dr Helen Mayhew")
    part = section(markdown, "## Conversations that took off")
    # Jess's question drew three replies (Tom by Zoom reply, Amara by @mention, Bev by
    # quoting Amara) from four people (Rahul's "+1" to Bev included).
    assert "How did you fund the night nurses after winter?" in part
    assert "(10:02, 3 replies from 4 people)" in part
    assert "- Participant 2: We had the same gap, following this" in part
    assert "- Participant 3: @Participant 1 we moved it into the core budget" in part
    assert '- Participant 4 (to Participant 3): "moved it into the core budget"' in part
    # The minute before 10:02:40: both cues, the last speaker's words.
    assert (
        f"Prompted by {speaker}: \u201cWe ran the night service with two nurses. "
        "Funding came from the winter pot.\u201d"
    ) in part
    # Siobhan's comment: three reactions, no replies.
    assert "### Well-liked" in part
    assert "Stopping a pilot should count as a success" in part
    assert "(10:15, 3 reactions)" in part
    assert "psst" not in markdown


def test_open_questions_are_merged(story):
    _, markdown, _ = story
    part = section(markdown, "## Questions raised")
    # "slides?" and "Will the slides be shared...?" are one session question, backed by a "^".
    assert "Will the slides be shared after the session? (asked by 3 people)" in part
    assert "- 10:10 slides?" not in part
    # Jess's question was answered by Tom's Zoom reply (no speakers are known, so anyone
    # else counts); Bev's is still open and Rahul's "+1" backs it.
    assert (
        "- 10:02 Participant 1: How did you fund the night nurses after winter? "
        "(answered by Participant 2)"
    ) in part
    assert (
        '- 10:04 "moved it into the core budget" - how did you win that? (asked by 2 people)'
    ) in part


def test_summary_times_with_a_date_are_full_iso_times(story):
    _, _, out = story
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    # The hand-made webinar has a date: full ISO times.
    assert summary["questions"][0]["time"] == "2026-03-12T10:02:40"


def test_summary_times_without_a_date_are_times_of_day(default_tagger):
    from feedback.loaders import Webinar
    from feedback.loaders.base import UNKNOWN_DATE
    from feedback.report import ReportOptions, build_report

    # A chat saved without a date: its clock sits on the placeholder day.
    day = datetime.combine(UNKNOWN_DATE, datetime.min.time())
    rows = [
        {**item(1, Kind.CHAT, 0, "Jess Bell", "How did you fund the night nurses?"),
         Col.TIMESTAMP: day + timedelta(hours=10, seconds=160)},
    ]  # fmt: skip
    webinar = Webinar(
        name="undated",
        items=items_from_records(rows),
        participants=empty_participants(),
        meta={},
    )
    report = build_report([webinar], model=default_tagger, options=ReportOptions())
    assert report.summary["questions"][0]["time"] == "10:02:40"
    assert "1900" not in str(report.summary["questions"])


def test_bursts_say_what_prompted_them():
    from types import SimpleNamespace

    import pandas as pd

    from feedback.analysis import Burst
    from feedback.report.build import _burst_line

    cues = items_from_records(
        [
            item(1, Kind.TRANSCRIPT, 550, "Participant 9", "Our pilot failed in week three."),
            item(2, Kind.CHAT, 590, "Participant 1", "a chat message is not what was said"),
        ]
    )
    data = SimpleNamespace(labels={"failure": "Failure"}, tagged=cues)
    burst = Burst("failure", pd.Timestamp(at(600)), pd.Timestamp(at(780)), 9)
    assert _burst_line(data, burst) == (
        "Failure: 9 messages in 3 minutes from 10:10. "
        "Prompted by Participant 9: \u201cOur pilot failed in week three.\u201d"
    )
    # Nothing said in the minute before: the burst alone.
    late = Burst("failure", pd.Timestamp(at(900)), pd.Timestamp(at(960)), 5)
    assert _burst_line(data, late) == "Failure: 5 messages in 1 minute from 10:15"
