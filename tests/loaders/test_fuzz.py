"""Fuzz the loaders: any input gives a LoadResult or a FeedbackError, never a crash.

Hypothesis feeds arbitrary bytes, and text that starts like each known export, to
:func:`feedback.loaders.load_file` (format detection included). Runs are
deterministic (``derandomize=True``) and keep no example database.
"""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.exceptions import FeedbackError
from feedback.loaders import LoadResult, load_file

FUZZ = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NAMES = ("x.csv", "x.txt", "x.xlsx")

#: Openings of every export format feedback knows.
PREFIXES = (
    "WEBVTT\n",
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n",
    "10:00:00 From A to Everyone:\n",
    "10:00:00\t From  A : ",
    "00:01:02\tA:\t",
    "Attendee Report,\n",
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,\n",
    "Question and Answer Report\n",
    "1. Summary\n",
    "ID,Start time,Completion time,Email,Name\n",
    "Id,Start time,Completion time,Email,Name,Last modified time,Q1\n",
    "Timestamp,",
    "Timestamp,Email Address,Score,Q1\n",
    "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,"
    "Last Name,Custom Data 1,Q1,,\n",
    "StartDate,EndDate,Status,ResponseId,Q1,Q2,Q2 - Topics\n",
    "\ufeffV1,V2,V3,Q1,\nResponseID,ResponseSet,Name,Question one,\n",
    "text,author,timestamp\n",
    "item_id,webinar,source,format,kind,timestamp,author,recipient,is_private,reply_to,"
    "question,response_type,respondent,text,answer,line\n",
)

#: Header rows of the survey and table formats, for structured CSV bodies.
HEADERS = (
    ["ID", "Start time", "Completion time", "Email", "Name", "Q1", "Q2"],
    ["Timestamp", "Email Address", "Q1", "Q2"],
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "First Name", "Q1", "", ""],
    ["StartDate", "EndDate", "Status", "ResponseId", "Q1", "Q2 - Topics"],
    ["V1", "V2", "Q1", "Q2"],
    ["text", "author", "time", "kind", "labels"],
    [
        "item_id",
        "webinar",
        "source",
        "format",
        "kind",
        "timestamp",
        "author",
        "recipient",
        "is_private",
        "reply_to",
        "question",
        "response_type",
        "respondent",
        "text",
        "answer",
        "line",
    ],
)

CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "Yes",
            "Strongly agree",
            "Very useful",
            "A;B;",
            "A, B",
            "7",
            "10",
            "-3",
            "3/12/26 10:01:10",
            "2026-03-12 10:00:00",
            "13/09/2023 10:00",
            '{"ImportId":"QID1"}',
            '{"ImportId":"QID2_TEXT"}',
            "Response",
            "Open-Ended Response",
            "Other (please specify)",
            "True",
            "'=1+1",
            "chat",
            "10:00:00",
            "25:99",
        ]
    ),
)


def check(name: str, data: bytes) -> None:
    """Load ``data`` as file ``name``: a LoadResult, or a FeedbackError."""
    try:
        result = load_file(name, data=data)
    except FeedbackError:
        return
    assert isinstance(result, LoadResult)


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2000))
def test_arbitrary_bytes(name: str, data: bytes) -> None:
    check(name, data)


@FUZZ
@given(
    prefix=st.sampled_from(PREFIXES),
    name=st.sampled_from(NAMES),
    rest=st.text(max_size=400),
    crlf=st.booleans(),
)
def test_text_starting_like_a_format(prefix: str, name: str, rest: str, crlf: bool) -> None:
    text = prefix + rest
    if crlf:
        text = text.replace("\n", "\r\n")
    check(name, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_tables_under_known_headers(header: list[str], rows: list[list[str]], encoding) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    check("x.csv", buffer.getvalue().encode(encoding, errors="replace"))


@settings(FUZZ, max_examples=60)
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(
        st.lists(st.one_of(CELL, st.integers(-5, 20), st.floats(allow_nan=False)), max_size=8),
        max_size=6,
    ),
)
def test_workbooks_under_known_headers(header: list[str], rows: list[list]) -> None:
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = openpyxl.Workbook()
    sheet = book.active
    try:
        for row in [header, *rows]:
            sheet.append(row)
    except IllegalCharacterError:
        return
    buffer = io.BytesIO()
    book.save(buffer)
    check("x.xlsx", buffer.getvalue())
