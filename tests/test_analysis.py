"""Analysis tables: tagging, code counts, bursts, questions, quotes, survey summaries.

Every table here is made by hand, small enough to count on paper; the expected
values are worked out in the comments, not copied from the functions' output.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from feedback import analysis as an
from feedback.codebook import Code, Codebook
from feedback.schema import Col, Kind, ResponseType, Role, items_from_records

START = datetime(2026, 3, 12, 10, 0, 0)


def at(minutes: float) -> datetime:
    """A time ``minutes`` after 10:00 on the day of the hand-made webinar."""
    return START + timedelta(minutes=minutes)


def tagged(records: list[dict]) -> pd.DataFrame:
    """A tagged table: items with ``labels``, ``scores`` and ``is_question`` columns."""
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


def participants(*people: tuple[str, str]) -> pd.DataFrame:
    from feedback.schema import PCol, participants_from_records

    return participants_from_records(
        [{PCol.NAME: name, PCol.ROLE: role, PCol.ATTENDED: True} for name, role in people]
    )


@pytest.fixture
def codebook() -> Codebook:
    """Four codes in two groups, in a known order."""
    return Codebook(
        codes=(
            Code("adapt", "Adapting", "principle"),
            Code("fail", "Failure", "principle"),
            Code("network", "Networks", "theme"),
            Code("hello", "Greetings", "other"),
        ),
        name="tiny",
    )


# -- tagging --------------------------------------------------------------------------------
def test_tag_items_tags_only_text_rows(default_tagger):
    items = items_from_records(
        [
            {Col.KIND: Kind.CHAT, Col.TEXT: "Our network of ward sisters spread it in a month"},
            {Col.KIND: Kind.REACTION, Col.TEXT: "👍"},
            {Col.KIND: Kind.CHAT, Col.TEXT: "   "},
            {Col.KIND: Kind.ANSWER, Col.RESPONSE_TYPE: ResponseType.RATING, Col.TEXT: "5"},
            {
                Col.KIND: Kind.ANSWER,
                Col.RESPONSE_TYPE: ResponseType.TEXT,
                Col.TEXT: "How do we keep momentum going after the launch?",
            },
        ]
    )
    out = an.tag_items(items, default_tagger)
    assert len(out) == 5
    assert out[Col.TEXT].tolist() == items[Col.TEXT].tolist()
    # The reaction, the blank message and the rating are not tagged.
    for row in (1, 2, 3):
        assert out.loc[row, Col.LABELS] == ""
        assert out.loc[row, Col.SCORES] == ""
        assert pd.isna(out.loc[row, Col.SENTIMENT])
        assert not out.loc[row, Col.IS_QUESTION]
    # The text rows are: every label has a score, every score is a probability.
    for row in (0, 4):
        labels = [x for x in out.loc[row, Col.LABELS].split(";") if x]
        scores = dict(s.split(":") for s in out.loc[row, Col.SCORES].split(";") if s)
        assert list(scores) == labels
        assert all(0.0 <= float(p) <= 1.0 for p in scores.values())
        assert -1.0 <= out.loc[row, Col.SENTIMENT] <= 1.0
    assert "networks" in out.loc[0, Col.LABELS].split(";")
    assert out[Col.IS_QUESTION].tolist() == [False, False, False, False, True]


def test_labels_of_and_score_of():
    table = tagged(
        [
            {Col.LABELS: "adapt;fail", Col.SCORES: "adapt:0.91;fail:0.55"},
            {Col.LABELS: "", Col.SCORES: ""},
            {Col.LABELS: "fail", Col.SCORES: "fail:0.70"},
        ]
    )
    assert an.labels_of(table).tolist() == [["adapt", "fail"], [], ["fail"]]
    assert an.score_of(table, "fail").tolist() == [0.55, 0.0, 0.70]
    assert an.score_of(table, "adapt").tolist() == [0.91, 0.0, 0.0]


def test_public_conversation_leaves_out_private_reactions_and_answers():
    table = tagged(
        [
            {Col.TEXT: "public chat"},
            {Col.TEXT: "private", Col.IS_PRIVATE: True},
            {Col.KIND: Kind.REACTION, Col.TEXT: "👍"},
            {Col.KIND: Kind.QUESTION, Col.TEXT: "a Q&A question?"},
            {Col.KIND: Kind.ANSWER, Col.TEXT: "a survey answer"},
            {Col.KIND: Kind.TRANSCRIPT, Col.TEXT: "a speaker"},
        ]
    )
    assert an.public_conversation(table)[Col.TEXT].tolist() == ["public chat", "a Q&A question?"]
    assert "private" not in an.shareable(table)[Col.TEXT].tolist()
    assert len(an.shareable(table)) == 5


# -- code counts ----------------------------------------------------------------------------
def test_code_counts_order_zeros_and_shares(codebook):
    table = tagged(
        [
            {Col.LABELS: "network"},
            {Col.LABELS: "fail;network"},
            {Col.LABELS: "adapt"},
            {Col.LABELS: "fail"},
            {Col.LABELS: ""},
            {Col.LABELS: "unknown_code"},
        ]
    )
    counts = an.code_counts(table, codebook)
    assert list(counts.columns) == ["code", "label", "group", "count", "share"]
    # network 2, fail 2 (tie: codebook order puts fail first), adapt 1, hello 0.
    assert counts["code"].tolist() == ["fail", "network", "adapt", "hello"]
    assert counts["count"].tolist() == [2, 2, 1, 0]
    assert counts["label"].tolist() == ["Failure", "Networks", "Adapting", "Greetings"]
    assert counts["group"].tolist() == ["principle", "theme", "principle", "other"]
    assert counts["share"].tolist() == pytest.approx([2 / 6, 2 / 6, 1 / 6, 0.0])


def test_code_counts_groups_and_empty_table(codebook):
    table = tagged([{Col.LABELS: "hello"}, {Col.LABELS: "hello;adapt"}])
    counts = an.code_counts(table, codebook, groups=["principle"])
    assert counts["code"].tolist() == ["adapt", "fail"]
    assert counts["count"].tolist() == [1, 0]
    empty = an.code_counts(tagged([]), codebook)
    assert empty["count"].tolist() == [0, 0, 0, 0]
    assert empty["code"].tolist() == ["adapt", "fail", "network", "hello"]


def test_messages_per_minute_fills_quiet_minutes():
    table = tagged(
        [
            {Col.TIMESTAMP: at(0.1)},
            {Col.TIMESTAMP: at(0.9)},
            {Col.TIMESTAMP: at(3.5)},
            {Col.TIMESTAMP: None},
        ]
    )
    per_minute = an.messages_per_minute(table)
    assert per_minute.index.tolist() == [pd.Timestamp(at(m)) for m in range(4)]
    assert per_minute.tolist() == [2, 0, 0, 1]
    assert an.messages_per_minute(tagged([])).empty


# -- bursts ---------------------------------------------------------------------------------
def steady_chat(minutes: int = 60) -> list[dict]:
    """One message a minute, the topic moving round four codes."""
    cycle = ["adapt", "network", "hello", "fail"]
    return [
        {Col.TIMESTAMP: at(m + 0.5), Col.LABELS: cycle[m % 4], Col.TEXT: f"message {m}"}
        for m in range(minutes)
    ]


def test_find_bursts_finds_a_dense_run_on_one_code():
    rows = steady_chat()
    # Six messages on failure between 30:10 and 32:40 (2.5 minutes), in a chat that
    # otherwise carries failure once every four minutes (at 3:30, 7:30, ... 31:30, ...).
    run = [at(30 + s / 60) for s in (10, 35, 60, 95, 120, 160)]
    rows += [{Col.TIMESTAMP: t, Col.LABELS: "fail", Col.TEXT: "it failed"} for t in run]
    bursts = an.find_bursts(tagged(rows))
    assert len(bursts) == 1
    burst = bursts[0]
    assert burst.code == "fail"
    assert burst.start == pd.Timestamp(run[0])
    assert burst.end == pd.Timestamp(run[-1])
    assert burst.count == 7  # the six, and the steady chat's failure message at 31:30
    assert burst.describe("Failure") == "Failure: 7 messages in 2 minutes from 10:30"


def test_find_bursts_none_in_a_steady_chat():
    assert an.find_bursts(tagged(steady_chat())) == []


def test_find_bursts_none_when_one_code_is_steady_all_along():
    # Two messages a minute on networks for an hour: 6 or 7 in any 3-minute window,
    # above min_count, but no denser than the code's own rate.
    rows = [{Col.TIMESTAMP: at(m / 2), Col.LABELS: "network"} for m in range(120)]
    assert an.find_bursts(tagged(rows)) == []


def test_find_bursts_needs_the_code_to_dominate_the_window():
    rows = steady_chat()
    # Five failure messages within 2 minutes, drowned in ten greetings at the same time.
    rows += [{Col.TIMESTAMP: at(30 + k * 0.4), Col.LABELS: "fail"} for k in range(5)]
    rows += [{Col.TIMESTAMP: at(30 + k * 0.2), Col.LABELS: "hello"} for k in range(10)]
    codes = {b.code for b in an.find_bursts(tagged(rows))}
    assert "fail" not in codes


def test_find_bursts_merges_overlapping_windows_and_filters_codes():
    rows = steady_chat()
    # Ten network messages every 30 s from 20:00 to 24:30: windows overlap, one burst.
    # The steady chat talks about networks at 21:30 and 25:30; the window from 22:30
    # to 25:30 holds six network messages of nine, so the burst runs on to 25:30.
    run = [at(20 + k * 0.5) for k in range(10)]
    rows += [{Col.TIMESTAMP: t, Col.LABELS: "network"} for t in run]
    bursts = an.find_bursts(tagged(rows))
    assert [(b.code, b.start, b.end) for b in bursts] == [
        ("network", pd.Timestamp(run[0]), pd.Timestamp(at(25.5)))
    ]
    assert bursts[0].count == 12  # the ten, and the steady chat's at 21:30 and 25:30
    assert an.find_bursts(tagged(rows), codes=["fail", "adapt"]) == []


def test_find_bursts_without_times():
    rows = [{Col.LABELS: "fail"} for _ in range(8)]
    assert an.find_bursts(tagged(rows)) == []


# -- questions ------------------------------------------------------------------------------
SPEAKERS = participants(
    ("Hana Host", Role.HOST), ("Pat Panel", Role.PANELIST), ("Ann Asker", Role.ATTENDEE)
)


def question_rows() -> list[dict]:
    return [
        # m01: answered by a panelist's reply.
        {Col.TIMESTAMP: at(1), Col.AUTHOR: "Ann Asker", Col.TEXT: "How do we start?",
         Col.IS_QUESTION: True},
        {Col.TIMESTAMP: at(3), Col.AUTHOR: "Pat Panel", Col.TEXT: "Start small, Ann",
         Col.REPLY_TO: "m01"},
        # m03: no question mark; answered by the host's @mention 4 minutes later.
        {Col.TIMESTAMP: at(5), Col.AUTHOR: "Bob Brown", Col.TEXT: "any tips for funding",
         Col.IS_QUESTION: True},
        {Col.TIMESTAMP: at(9), Col.AUTHOR: "Hana Host", Col.TEXT: "@Bob Brown try the ICB fund"},
        # m05: only another attendee replied, and the host mentioned Cat too late.
        {Col.TIMESTAMP: at(10), Col.AUTHOR: "Cat Cole", Col.TEXT: "Is there a toolkit?",
         Col.IS_QUESTION: True},
        {Col.TIMESTAMP: at(11), Col.AUTHOR: "Dan Doe", Col.TEXT: "I'd like to know too",
         Col.REPLY_TO: "m05"},
        {Col.TIMESTAMP: at(45), Col.AUTHOR: "Hana Host", Col.TEXT: "@Cat Cole see the slides"},
        # m08: the host's own question is not a participant's question.
        {Col.TIMESTAMP: at(12), Col.AUTHOR: "Hana Host", Col.TEXT: "Any more questions?",
         Col.IS_QUESTION: True},
        # m09: private questions never appear.
        {Col.TIMESTAMP: at(13), Col.AUTHOR: "Eve Moss", Col.TEXT: "Can you hear me?",
         Col.IS_QUESTION: True, Col.IS_PRIVATE: True},
        # m10: answered by a panelist starting with the asker's first name.
        {Col.TIMESTAMP: at(14), Col.AUTHOR: "Fay Lund", Col.TEXT: "Who funds the backfill?",
         Col.IS_QUESTION: True, Col.LABELS: "infrastructure"},
        {Col.TIMESTAMP: at(15), Col.AUTHOR: "Pat Panel", Col.TEXT: "Fay, the ICB did"},
        # m12-m14: Q&A report questions: written answer, live answer, none.
        {Col.KIND: Kind.QUESTION, Col.TIMESTAMP: at(2), Col.AUTHOR: "Gus Hay",
         Col.TEXT: "What about evidence?", Col.ANSWER: "Answered by Pat Panel: Ask adopters."},
        {Col.KIND: Kind.QUESTION, Col.TIMESTAMP: at(6), Col.AUTHOR: "Ivy Roe",
         Col.TEXT: "And the board?", Col.ANSWER: "Live answered"},
        {Col.KIND: Kind.QUESTION, Col.TIMESTAMP: at(7), Col.AUTHOR: "Jon Kay",
         Col.TEXT: "National funding?", Col.ANSWER: ""},
        # m15: a question about the session itself (sound).
        {Col.TIMESTAMP: at(16), Col.AUTHOR: "Kim Lo", Col.TEXT: "can't hear, is it me?",
         Col.IS_QUESTION: True, Col.LABELS: "logistics"},
    ]  # fmt: skip


def test_find_questions_answered_and_open():
    table = an.find_questions(tagged(question_rows()), SPEAKERS)
    assert list(table.columns) == [
        "item_id", "source", "author", "time", "text", "answered", "answered_by", "answer",
        "labels", "about",
    ]  # fmt: skip
    by_id = table.set_index("item_id")
    # In time order; the host's question and the private one are left out.
    assert table["item_id"].tolist() == [
        "m01", "m12", "m03", "m13", "m14", "m05", "m10", "m15",
    ]  # fmt: skip
    assert by_id.loc["m01", "answered"]
    assert by_id.loc["m01", "answered_by"] == "Pat Panel"
    assert by_id.loc["m01", "answer"] == "Start small, Ann"
    assert by_id.loc["m03", "answered"]
    assert by_id.loc["m03", "answered_by"] == "Hana Host"
    assert not by_id.loc["m05", "answered"]
    assert by_id.loc["m05", "answered_by"] == ""
    assert by_id.loc["m10", "answered"]
    assert by_id.loc["m10", "answered_by"] == "Pat Panel"
    assert by_id.loc["m12", "answered"]
    assert by_id.loc["m12", "answered_by"] == "Pat Panel"
    assert by_id.loc["m12", "source"] == "Q&A"
    assert by_id.loc["m13", "answered"]
    assert by_id.loc["m13", "answered_by"] == ""
    assert not by_id.loc["m14", "answered"]
    assert table["source"].tolist() == ["chat", "Q&A", "chat", "Q&A", "Q&A", "chat", "chat", "chat"]
    assert by_id.loc["m15", "about"] == "session"
    assert by_id.loc["m10", "about"] == "content"
    assert by_id.loc["m01", "about"] == "content"  # no codes: content


def test_find_questions_speakers_by_name_and_without_speakers():
    rows = question_rows()
    # Without a participants table nobody is a speaker: any other person's reply or
    # mention counts (so Cat's question is answered by Dan's reply), the host's own
    # question is listed, and the private one still is not.
    table = an.find_questions(tagged(rows)).set_index("item_id")
    assert table.loc["m05", "answered"]
    assert table.loc["m05", "answered_by"] == "Dan Doe"
    assert "m08" in table.index
    assert "m09" not in table.index
    # Speakers named by hand count like hosts and panelists.
    named = an.find_questions(tagged(rows), speakers=["hana host", "Pat Panel"])
    named = named.set_index("item_id")
    assert not named.loc["m05", "answered"]
    assert named.loc["m03", "answered_by"] == "Hana Host"
    assert "m08" not in named.index


def test_find_questions_asker_following_up_is_not_an_answer():
    rows = [
        {Col.TIMESTAMP: at(1), Col.AUTHOR: "Ann Asker", Col.TEXT: "Is there a toolkit?",
         Col.IS_QUESTION: True},
        {Col.TIMESTAMP: at(2), Col.AUTHOR: "Ann Asker", Col.TEXT: "@Ann Asker bump",
         Col.REPLY_TO: "m01"},
    ]  # fmt: skip
    table = an.find_questions(tagged(rows))
    assert table["answered"].tolist() == [False]


def test_find_questions_empty():
    table = an.find_questions(tagged([{Col.TEXT: "hello all", Col.AUTHOR: "A"}]))
    assert len(table) == 0
    assert "answered" in table.columns


# -- quotes ---------------------------------------------------------------------------------
def quote_rows() -> list[dict]:
    return [
        {Col.AUTHOR: "Xia", Col.LABELS: "fail", Col.SCORES: "fail:0.95",
         Col.TEXT: "we celebrate pilots then quietly stop them and never talk about why"},
        # A near-duplicate of the first (Jaccard 10/11), by someone else.
        {Col.AUTHOR: "Yan", Col.LABELS: "fail", Col.SCORES: "fail:0.90",
         Col.TEXT: "we celebrate pilots then quietly stop them and never ever talk about why"},
        # Xia again, a different comment: used only once other authors are quoted.
        {Col.AUTHOR: "Xia", Col.LABELS: "fail", Col.SCORES: "fail:0.85",
         Col.TEXT: "nobody ever got promoted for a brave failure in our trust"},
        {Col.AUTHOR: "Zed", Col.LABELS: "fail;adapt", Col.SCORES: "fail:0.60;adapt:0.7",
         Col.TEXT: "failing is fine as long as we write down what we learned"},
        # Too short to quote.
        {Col.AUTHOR: "Abe", Col.LABELS: "fail", Col.SCORES: "fail:0.99", Col.TEXT: "fail fast"},
        # Another code.
        {Col.AUTHOR: "Bea", Col.LABELS: "adapt", Col.SCORES: "adapt:0.99",
         Col.TEXT: "adapt the form but keep the function of the model"},
    ]  # fmt: skip


def test_representative_quotes_varied_and_confident():
    table = tagged(quote_rows())
    quotes = an.representative_quotes(table, "fail", n=3)
    assert quotes[Col.AUTHOR].tolist() == ["Xia", "Zed", "Xia"]
    assert quotes[Col.TEXT].tolist() == [
        quote_rows()[0][Col.TEXT],
        quote_rows()[3][Col.TEXT],
        quote_rows()[2][Col.TEXT],
    ]
    # No two quotes are near-duplicates.
    from feedback.text import tokenise

    sets = [set(tokenise(t)) for t in quotes[Col.TEXT]]
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            assert len(a & b) / len(a | b) <= 0.5
    # The helper columns do not leak out.
    assert "_score" not in quotes.columns
    assert "_labels" not in quotes.columns


def test_representative_quotes_prefers_new_authors_and_limits():
    table = tagged(quote_rows())
    two = an.representative_quotes(table, "fail", n=2)
    assert two[Col.AUTHOR].tolist() == ["Xia", "Zed"]
    assert an.representative_quotes(table, "network").empty
    assert an.representative_quotes(table, "fail", min_words=30).empty
    # Short comments come in when the floor is lowered.
    short = an.representative_quotes(table, "fail", n=1, min_words=2)
    assert short[Col.TEXT].tolist() == ["fail fast"]


# -- survey ---------------------------------------------------------------------------------
def answers(question: str, values: list[str], kind: str = ResponseType.RATING) -> pd.DataFrame:
    return items_from_records(
        [
            {
                Col.KIND: Kind.ANSWER,
                Col.QUESTION: question,
                Col.RESPONSE_TYPE: kind,
                Col.RESPONDENT: str(number),
                Col.TEXT: value,
            }
            for number, value in enumerate(values, start=1)
        ]
    )


def test_rating_distribution_numeric_fills_missing_scores():
    table = an.rating_distribution(answers("Useful?", ["5", "2", "4", "4", "", " 5 "]), "Useful?")
    assert list(table.columns) == ["answer", "count", "share"]
    assert table["answer"].tolist() == ["1", "2", "3", "4", "5"]
    assert table["count"].tolist() == [0, 1, 0, 2, 2]
    assert table["share"].tolist() == pytest.approx([0, 0.2, 0, 0.4, 0.4])


def test_rating_distribution_numeric_from_zero():
    table = an.rating_distribution(answers("NPS", ["0", "10", "9", "9"]), "NPS")
    assert table["answer"].tolist() == [str(v) for v in range(11)]
    assert table["count"].tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]


def test_rating_distribution_likert_order():
    values = ["Agree", "Strongly agree", "Agree", "Disagree", "agree"]
    table = an.rating_distribution(answers("Q", values), "Q")
    # A known scale, least to most, with the answers nobody gave.
    assert table["answer"].tolist()[:5] == [
        "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree",
    ]  # fmt: skip
    assert table["count"].tolist()[:5] == [0, 1, 0, 2, 1]
    # "agree" in lower case is kept as given, after the scale.
    assert table["answer"].tolist()[5:] == ["agree"]
    assert table["count"].sum() == 5


def test_rating_distribution_given_scale_and_unknown_scale():
    scale = ["Too slow", "About right", "Too fast"]
    table = an.rating_distribution(answers("Pace", ["Too fast", "About right"]), "Pace", scale)
    assert table["answer"].tolist() == scale
    assert table["count"].tolist() == [0, 1, 1]
    unknown = an.rating_distribution(answers("Pace", ["Brisk", "Gentle", "Brisk"]), "Pace")
    assert unknown["answer"].tolist() == ["Brisk", "Gentle"]
    assert unknown["count"].tolist() == [2, 1]


def test_choice_counts_splits_multi_select():
    values = ["Case studies;Short videos;", "Short videos", "Podcast; Case studies", "", "Podcast"]
    table = an.choice_counts(answers("Use?", values, ResponseType.CHOICE), "Use?")
    # Case studies 2, Podcast 2, Short videos 2: ties by name.
    assert table["answer"].tolist() == ["Case studies", "Podcast", "Short videos"]
    assert table["count"].tolist() == [2, 2, 2]
    # Shares are of the four people who answered, so they add up to more than 1.
    assert table["share"].tolist() == pytest.approx([0.5, 0.5, 0.5])


def test_choice_counts_orders_by_count():
    values = ["B", "A;B", "C;B", "A"]
    table = an.choice_counts(answers("Q", values, ResponseType.CHOICE), "Q")
    assert table["answer"].tolist() == ["B", "A", "C"]
    assert table["count"].tolist() == [3, 2, 1]


def test_survey_questions_in_order():
    table = pd.concat(
        [
            answers("First", ["1"]),
            answers("Second", ["x"], ResponseType.TEXT),
            answers("First", ["2"]),
        ],
        ignore_index=True,
    )
    assert an.survey_questions(table) == [
        ("First", ResponseType.RATING),
        ("Second", ResponseType.TEXT),
    ]


def test_opt_in_question_and_eligible_respondents():
    table = pd.concat(
        [
            answers("How was it?", ["Good", "Good", "Fair", "Good"], ResponseType.CHOICE),
            answers(
                "Would you like to enter the prize draw?",
                ["Yes", "No", "yes please", "Yes"],
                ResponseType.CHOICE,
            ),
        ],
        ignore_index=True,
    )
    question = an.opt_in_question(table)
    assert question == "Would you like to enter the prize draw?"
    assert an.opt_in_question(table, "how was") == "How was it?"
    assert an.opt_in_question(table, "not asked") is None
    assert an.opt_in_question(answers("Rate us", ["5"])) is None
    eligible = an.eligible_respondents(table, question)
    assert eligible[Col.RESPONDENT].tolist() == ["1", "3", "4"]


def test_sentiment_by_code(codebook):
    table = tagged(
        [
            {Col.LABELS: "fail", Col.SENTIMENT: -0.6},
            {Col.LABELS: "fail", Col.SENTIMENT: 0.0},
            {Col.LABELS: "fail;network", Col.SENTIMENT: 0.5},
            {Col.LABELS: "network", Col.SENTIMENT: 0.7},
        ]
    )
    tone = an.sentiment_by_code(table, codebook).set_index("code")
    assert tone.index.tolist() == ["fail", "network"]
    assert tone.loc["fail", "count"] == 3
    assert tone.loc["fail", "mean"] == pytest.approx(-0.1 / 3)
    assert tone.loc["fail", ["negative", "neutral", "positive"]].tolist() == pytest.approx(
        [1 / 3, 1 / 3, 1 / 3]
    )
    assert tone.loc["network", "positive"] == 1.0


@pytest.mark.parametrize(
    "call",
    [
        lambda table, book: an.code_counts(table, book),
        lambda table, book: an.find_bursts(table),
        lambda table, book: an.find_questions(table),
        lambda table, book: an.representative_quotes(table, "fail"),
    ],
    ids=["code_counts", "find_bursts", "find_questions", "representative_quotes"],
)
def test_untagged_table_is_refused_with_a_schema_error(call, codebook):
    from feedback.exceptions import SchemaError

    untagged = items_from_records(
        [{Col.KIND: Kind.CHAT, Col.TEXT: "hello", Col.TIMESTAMP: at(1), Col.AUTHOR: "A"}]
    )
    with pytest.raises(SchemaError, match="labels"):
        call(untagged, codebook)
