"""Survey loaders: Microsoft Forms, Google Forms, SurveyMonkey, Qualtrics.

Expected values were counted by hand from the fixtures in tests/data/surveys
(see make_fixtures.py for the workbooks) and from the real Qualtrics samples.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from feedback.exceptions import FormatError
from feedback.loaders import LoadOptions, load_file
from feedback.loaders.base import Source
from feedback.loaders.dates import parse_times
from feedback.loaders.surveys import (
    GoogleFormsLoader,
    MicrosoftFormsLoader,
    QualtricsLoader,
    SurveyMonkeyLoader,
    classify,
    detect_scale,
    split_options,
)
from feedback.schema import Col, Kind, ResponseType

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
SATISFIED = [
    "Very dissatisfied",
    "Dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Satisfied",
    "Very satisfied",
]
SURVEY_LOADERS = (MicrosoftFormsLoader, GoogleFormsLoader, SurveyMonkeyLoader, QualtricsLoader)


@pytest.fixture
def surveys(data_dir: Path) -> Path:
    return data_dir / "surveys"


def per_question(items: pd.DataFrame) -> dict[str, int]:
    return items.groupby(Col.QUESTION, sort=False).size().to_dict()


def types(items: pd.DataFrame) -> dict[str, str]:
    return items.groupby(Col.QUESTION, sort=False)[Col.RESPONSE_TYPE].agg(set).to_dict()


def answers(items: pd.DataFrame, question: str) -> list[str]:
    return items.loc[items[Col.QUESTION] == question, Col.TEXT].tolist()


# -- Qualtrics (real exports) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line"), [("qualtrics-sample.csv", 4), ("qualtrics-sample-legacy.csv", 3)]
)
def test_qualtrics_real_samples(real_dir: Path, name: str, line: int) -> None:
    result = load_file(real_dir / name)
    items = result.items
    assert result.format == "qualtrics"
    assert result.skipped == []
    assert result.meta["respondents"] == 1
    assert result.meta["questions"] == [
        "This is a multiple choice question.",
        "This is a free text question.",
    ]
    assert len(items) == 2
    assert set(items[Col.KIND]) == {Kind.ANSWER}
    assert set(items[Col.RESPONDENT]) == {"R_2YPOQ602ER1jkf1"}
    assert set(items[Col.AUTHOR]) == {""}  # no recipient name; legacy "Anonym"
    assert set(items[Col.TIMESTAMP]) == {pd.Timestamp("2017-07-18 08:28:48")}
    assert set(items[Col.LINE]) == {line}
    choice = items.iloc[0]
    assert choice[Col.QUESTION] == "This is a multiple choice question."
    assert choice[Col.TEXT] == "2"
    assert choice[Col.RESPONSE_TYPE] in (ResponseType.RATING, ResponseType.CHOICE)
    free = items.iloc[1]
    assert free[Col.QUESTION] == "This is a free text question."
    assert free[Col.TEXT] == "Hello World!"
    assert free[Col.RESPONSE_TYPE] == ResponseType.TEXT
    assert not any("Topics" in q for q in items[Col.QUESTION])


IMPORT_IDS = [
    "startDate",
    "endDate",
    "status",
    "ipAddress",
    "progress",
    "duration",
    "finished",
    "recordedDate",
    "_recordId",
    "recipientLastName",
    "recipientFirstName",
    "recipientEmail",
    "externalDataReference",
    "locationLatitude",
    "locationLongitude",
    "distributionChannel",
    "userLanguage",
    "QID1",
    "QID2_TEXT",
    "QID2_TEXT_abcTopics",
    "QID2_TEXT_abcSentiment",
    "QID3",
    "QID3_4_TEXT",
    "QID4_FIRST_CLICK",
    "SC0",
]
QUALTRICS_FULL = (
    "StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,"
    "ResponseId,RecipientLastName,RecipientFirstName,RecipientEmail,ExternalReference,"
    "LocationLatitude,LocationLongitude,DistributionChannel,UserLanguage,Q1,Q2,Q2 - Topics,"
    "Q2 - Sentiment,Q3,Q3_4_TEXT,Q4_First Click,SC0\n"
    "Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,"
    "Recorded Date,Response ID,Recipient Last Name,Recipient First Name,Recipient Email,"
    "External Data Reference,Location Latitude,Location Longitude,Distribution Channel,"
    'User Language,The session was well organised,"What, if anything, would you change?",'
    "Q2 - Topics,Q2 - Sentiment,Which sessions did you attend? - Selected Choice,"
    "Which sessions did you attend? - Other - Text,Timing - First Click,Score\n"
    + ",".join(f'"{{""ImportId"":""{i}""}}"' for i in IMPORT_IDS)
    + "\n"
    "2026-03-12 11:00:00,2026-03-12 11:04:00,IP Address,198.51.100.1,100,240,True,"
    "2026-03-12 11:04:01,R_aaa,Lima,Ana,ana@example.org,,51.5,-0.1,email,EN,Strongly agree,"
    '"Fewer slides, more discussion",Slides,Negative,"Morning,Afternoon",,3.2,1\n'
    "2026-03-12 11:01:00,2026-03-12 11:03:00,IP Address,198.51.100.2,100,120,True,"
    "2026-03-12 11:03:01,R_bbb,,,,,51.5,-0.1,anonymous,EN,Agree,,,,"
    '"Morning,Other",Evening drop-in,1.1,0\n'
    "2026-03-12 11:02:00,2026-03-12 11:06:00,IP Address,198.51.100.3,100,240,True,"
    "2026-03-12 11:06:01,R_ccc,,,,,51.5,-0.1,anonymous,EN,Agree,Nothing,,,Afternoon,,2.0,0\n"
)


def test_qualtrics_three_header_rows(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(QUALTRICS_FULL, encoding="utf-8")
    result = load_file(path)
    items = result.items
    assert result.format == "qualtrics"
    assert result.meta["respondents"] == 3
    assert result.meta["questions"] == [
        "The session was well organised",
        "What, if anything, would you change?",
        "Which sessions did you attend? - Selected Choice",
        "Which sessions did you attend? - Other - Text",
    ]
    assert per_question(items) == {
        "The session was well organised": 3,
        "What, if anything, would you change?": 2,
        "Which sessions did you attend? - Selected Choice": 3,
        "Which sessions did you attend? - Other - Text": 1,
    }
    assert types(items) == {
        "The session was well organised": {ResponseType.RATING},
        "What, if anything, would you change?": {ResponseType.TEXT},
        "Which sessions did you attend? - Selected Choice": {ResponseType.CHOICE},
        "Which sessions did you attend? - Other - Text": {ResponseType.TEXT},
    }
    assert result.meta["scales"] == {"The session was well organised": AGREE}
    assert answers(items, "Which sessions did you attend? - Selected Choice") == [
        "Morning; Afternoon",
        "Morning; Other",
        "Afternoon",
    ]
    assert items[Col.RESPONDENT].tolist()[:2] == ["R_aaa", "R_aaa"]
    assert items[Col.AUTHOR].iloc[0] == "Ana Lima"
    assert items[Col.TIMESTAMP].iloc[0] == pd.Timestamp("2026-03-12 11:04:00")


# -- Microsoft Forms --------------------------------------------------------------------


def test_microsoft_forms_workbook(surveys: Path) -> None:
    result = load_file(surveys / "ms-forms.xlsx")
    items = result.items
    assert result.format == "microsoft-forms"
    assert result.meta["respondents"] == 5
    assert result.meta["questions"] == [
        "How useful was the webinar?",
        "Which topics should we cover next?",
        "What did you like most?",
        "Would you recommend it to a colleague?",
    ]
    assert len(items) == 18
    assert per_question(items) == {
        "How useful was the webinar?": 5,
        "Which topics should we cover next?": 4,
        "What did you like most?": 4,
        "Would you recommend it to a colleague?": 5,
    }
    assert types(items) == {
        "How useful was the webinar?": {ResponseType.RATING},
        "Which topics should we cover next?": {ResponseType.CHOICE},
        "What did you like most?": {ResponseType.TEXT},
        "Would you recommend it to a colleague?": {ResponseType.CHOICE},
    }
    assert result.meta["scales"] == {
        "How useful was the webinar?": [
            "Not at all useful",
            "Slightly useful",
            "Moderately useful",
            "Very useful",
            "Extremely useful",
        ]
    }
    assert answers(items, "Which topics should we cover next?") == [
        "Cartography; Python",
        "Python",
        "Cartography; Statistics",
        "Statistics",
    ]
    assert result.meta["multi_select"] == ["Which topics should we cover next?"]
    by_respondent = items.drop_duplicates(Col.RESPONDENT).set_index(Col.RESPONDENT)
    assert by_respondent[Col.AUTHOR].to_dict() == {
        "1": "",
        "2": "Ana Lima",
        "3": "",
        "4": "Ben Okafor",
        "5": "",
    }
    assert by_respondent.loc["2", Col.TIMESTAMP] == pd.Timestamp("2026-03-12 11:04:10")
    assert by_respondent.loc["5", Col.LINE] == 6
    assert set(items[Col.KIND]) == {Kind.ANSWER}


def test_microsoft_forms_cp1252_csv(surveys: Path) -> None:
    raw = (surveys / "ms-forms-cp1252.csv").read_bytes()
    assert b"\x97" in raw and b"\r\n" in raw
    result = load_file(surveys / "ms-forms-cp1252.csv")
    items = result.items
    assert result.format == "microsoft-forms"
    assert not result.encoding.startswith("utf")
    rate = "Rate the session\n(0 = poor, 10 = excellent)"
    formats = "Which formats suit you?"
    comments = "Any other comments \u2014 good or bad?"
    assert result.meta["questions"] == [rate, formats, comments]  # no quiz columns
    assert result.meta["respondents"] == 4
    assert len(items) == 9
    assert per_question(items) == {rate: 3, formats: 3, comments: 3}
    assert types(items) == {
        rate: {ResponseType.RATING},
        formats: {ResponseType.CHOICE},
        comments: {ResponseType.TEXT},
    }
    assert answers(items, rate) == ["9", "7", "10"]
    assert answers(items, formats) == ["Webinar; Workshop", "Webinar", "Workshop; Recorded talk"]
    assert answers(items, comments)[0] == "Great session \u2014 thanks"
    assert items[Col.AUTHOR].unique().tolist() == ["", "Cl\u00e9o Martin", "Dev Patel"]
    assert items[Col.TIMESTAMP].iloc[0] == pd.Timestamp("2026-03-12 10:03:45")


def test_microsoft_forms_columns_mapped_by_name(tmp_path: Path) -> None:
    path = tmp_path / "reordered.csv"
    path.write_text(
        "\ufeffHow was it?,Name,Completion time,ID,Email,Start time,Points - How was it?\n"
        "Great,Anonymous,3/12/26 10:05:00,7,anonymous,3/12/26 10:01:00,1\n"
        "Fine,Ana Lima,3/12/26 10:06:00,8,ana@example.org,3/12/26 10:02:00,0\n",
        encoding="utf-8",
    )
    result = load_file(path)
    assert result.format == "microsoft-forms"
    items = result.items
    assert items[Col.QUESTION].tolist() == ["How was it?", "How was it?"]
    assert items[Col.TEXT].tolist() == ["Great", "Fine"]
    assert items[Col.RESPONDENT].tolist() == ["7", "8"]
    assert items[Col.AUTHOR].tolist() == ["", "Ana Lima"]
    assert items[Col.TIMESTAMP].tolist() == [
        pd.Timestamp("2026-03-12 10:05:00"),
        pd.Timestamp("2026-03-12 10:06:00"),
    ]


# -- Google Forms -----------------------------------------------------------------------


def test_google_forms(surveys: Path) -> None:
    result = load_file(surveys / "google-forms.csv")
    items = result.items
    assert result.format == "google-forms"
    pace = "How would you rate the pace?"
    parts = "Which parts were most useful?"
    change = "What should we change?"
    overall = "Overall I was satisfied with the webinar"
    assert result.meta["questions"] == [pace, parts, change, overall]
    assert result.meta["respondents"] == 5
    assert len(items) == 18
    assert per_question(items) == {pace: 5, parts: 4, change: 4, overall: 5}
    assert types(items) == {
        pace: {ResponseType.RATING},
        parts: {ResponseType.CHOICE},
        change: {ResponseType.TEXT},
        overall: {ResponseType.RATING},
    }
    assert result.meta["scales"] == {
        pace: ["Too slow", "A bit slow", "About right", "A bit fast", "Too fast"],
        overall: AGREE,
    }
    assert answers(items, parts) == ["Demo; Q&A", "Slides; Demo; Q&A", "Demo", "Slides; Q&A"]
    assert "Share the slides before, not after" in answers(items, change)
    assert items[Col.RESPONDENT].unique().tolist() == ["1", "2", "3", "4", "5"]
    assert set(items[Col.AUTHOR]) == {""}
    assert items[Col.TIMESTAMP].iloc[-1] == pd.Timestamp("2026-09-01 10:07:00")


# -- SurveyMonkey -----------------------------------------------------------------------

HEAR = "How did you hear about this webinar?"
LEARNED = "What was the main thing\nyou learned, if anything?"
AGAIN = "Would you attend again?"


@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_surveymonkey_expanded(surveys: Path, name: str) -> None:
    result = load_file(surveys / name)
    items = result.items
    assert result.format == "surveymonkey"
    speakers = "How satisfied were you with: - The speakers"
    slides = "How satisfied were you with: - The slides"
    qa = "How satisfied were you with: - The Q&A"
    assert result.meta["questions"] == [
        HEAR,
        f"{HEAR} (other)",
        speakers,
        slides,
        qa,
        LEARNED,
        AGAIN,
        f"{AGAIN} (other)",
    ]
    assert result.meta["respondents"] == 4
    assert len(items) == 19
    assert per_question(items) == {
        HEAR: 3,
        speakers: 3,
        slides: 2,
        qa: 3,
        LEARNED: 2,
        AGAIN: 4,
        f"{HEAR} (other)": 1,
        f"{AGAIN} (other)": 1,
    }
    assert types(items) == {
        HEAR: {ResponseType.CHOICE},
        speakers: {ResponseType.RATING},
        slides: {ResponseType.RATING},
        qa: {ResponseType.RATING},
        LEARNED: {ResponseType.TEXT},
        AGAIN: {ResponseType.CHOICE},
        f"{HEAR} (other)": {ResponseType.TEXT},
        f"{AGAIN} (other)": {ResponseType.TEXT},
    }
    assert answers(items, HEAR) == [
        "Newsletter",
        "Colleague; Social media",
        "Newsletter; Colleague",
    ]
    assert answers(items, f"{HEAR} (other)") == ["A friend's blog"]
    assert answers(items, f"{AGAIN} (other)") == ["Only if it is in the evening"]
    assert result.meta["scales"] == {speakers: SATISFIED, slides: SATISFIED, qa: SATISFIED}
    by_respondent = items.drop_duplicates(Col.RESPONDENT).set_index(Col.RESPONDENT)
    assert by_respondent[Col.AUTHOR].to_dict() == {
        "114000001": "Ana Lima",
        "114000002": "",
        "114000003": "",
        "114000004": "Ben Okafor",
    }
    assert by_respondent.loc["114000003", Col.TIMESTAMP] == pd.Timestamp("2026-03-12 10:09:59")
    assert by_respondent.loc["114000001", Col.LINE] == 3


def test_surveymonkey_condensed(surveys: Path) -> None:
    result = load_file(surveys / "surveymonkey-condensed.csv")
    items = result.items
    assert result.format == "surveymonkey"
    likely = "How likely are you to recommend us?"
    sessions = "Which sessions did you join?"
    assert result.meta["respondents"] == 3
    assert len(items) == 8
    assert per_question(items) == {likely: 3, sessions: 3, "Any comments?": 2}
    assert types(items) == {
        likely: {ResponseType.RATING},
        sessions: {ResponseType.CHOICE},
        "Any comments?": {ResponseType.TEXT},
    }
    assert answers(items, sessions) == ["Morning; Afternoon", "Morning", "Afternoon"]
    assert answers(items, likely) == ["9", "6", "10"]


# -- detection --------------------------------------------------------------------------

FIXTURE_FORMATS = {
    "ms-forms.xlsx": MicrosoftFormsLoader,
    "ms-forms-cp1252.csv": MicrosoftFormsLoader,
    "google-forms.csv": GoogleFormsLoader,
    "surveymonkey.csv": SurveyMonkeyLoader,
    "surveymonkey.xlsx": SurveyMonkeyLoader,
    "surveymonkey-condensed.csv": SurveyMonkeyLoader,
}

ATTENDEE_REPORT = (
    "Attendee Report,\n"
    'Report Generated:,"Mar 12, 2026 12:00 PM"\n'
    "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered\n"
    'Spread,123-456-789,"Mar 12, 2026 10:00 AM",62,40\n'
)


@pytest.mark.parametrize("name", sorted(FIXTURE_FORMATS))
def test_each_survey_sniffer_claims_only_its_own(surveys: Path, name: str) -> None:
    source = Source(surveys / name)
    own = FIXTURE_FORMATS[name]
    assert own.sniff(source) >= 0.85
    for loader in SURVEY_LOADERS:
        if loader is not own:
            assert loader.sniff(source) == 0, loader.format_id
    assert load_file(surveys / name).format == own.format_id


@pytest.mark.parametrize("name", ["qualtrics-sample.csv", "qualtrics-sample-legacy.csv"])
def test_only_qualtrics_claims_qualtrics(real_dir: Path, name: str) -> None:
    source = Source(real_dir / name)
    assert QualtricsLoader.sniff(source) >= 0.9
    for loader in SURVEY_LOADERS[:3]:
        assert loader.sniff(source) == 0, loader.format_id


def test_survey_sniffers_leave_zoom_reports_alone(real_dir: Path) -> None:
    sources = [
        Source("report.csv", data=ATTENDEE_REPORT.encode()),
        Source(real_dir / "zoom-webinar-attendee-report-anonymised.csv"),
        Source(real_dir / "zoom-participants-meeting001.csv"),
        Source(real_dir / "teams-attendance-utf16.csv"),
        Source(real_dir / "zoom-saved-chat-twoline-lrbs.txt"),
    ]
    for source in sources:
        for loader in SURVEY_LOADERS:
            assert loader.sniff(source) == 0, (loader.format_id, source.name)


def test_google_forms_quiz_columns_are_not_answers(tmp_path: Path) -> None:
    path = tmp_path / "quiz.csv"
    path.write_text(
        "Timestamp,Email address,Score,What is 2 + 2?,What is 2 + 2? [Score],"
        "What is 2 + 2? [Feedback],Why?\n"
        "9/1/2026 10:01:10,a@example.org,1 / 1,4,1 / 1,Well done,Counting\n",
        encoding="utf-8",
    )
    result = load_file(path)
    assert result.format == "google-forms"
    assert result.meta["questions"] == ["What is 2 + 2?", "Why?"]
    assert result.items[Col.TEXT].tolist() == ["4", "Counting"]


def test_google_sniffer_leaves_plain_tables_alone() -> None:
    plain = Source("t.csv", data=b"Timestamp,Name,Comment\n2026-03-12 10:00:00,Ana,Hello\n")
    assert GoogleFormsLoader.sniff(plain) == 0


@pytest.mark.parametrize("loader", SURVEY_LOADERS, ids=lambda c: c.format_id)
def test_forcing_a_survey_format_on_another_file_names_the_file(loader) -> None:
    source = Source("other.csv", data=ATTENDEE_REPORT.encode())
    with pytest.raises(FormatError, match=r"other\.csv"):
        loader().parse(source, LoadOptions())


def test_header_only_survey_has_no_items(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("Timestamp,Email Address,What did you think?\n", encoding="utf-8")
    result = load_file(path)
    assert result.format == "google-forms"
    assert len(result.items) == 0
    assert result.meta["respondents"] == 0
    assert result.meta["questions"] == ["What did you think?"]


def test_extra_cells_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "Timestamp,Q1\n9/1/2026 10:00:00,Yes,stray\n9/1/2026 10:01:00,No\n", encoding="utf-8"
    )
    result = load_file(path)
    assert len(result.items) == 2
    assert [(s.line, s.text) for s in result.skipped] == [(2, "stray")]


# -- response types and scales ----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Agree", "Strongly agree", "agree"], AGREE),
        (
            ["Somewhat agree", "Agree", "Neutral"],
            [
                "Strongly disagree",
                "Disagree",
                "Somewhat disagree",
                "Neutral",
                "Somewhat agree",
                "Agree",
                "Strongly agree",
            ],
        ),
        (
            ["Extremely likely", "Not at all likely"],
            [
                "Not at all likely",
                "Slightly likely",
                "Moderately likely",
                "Very likely",
                "Extremely likely",
            ],
        ),
        (
            ["5 - Very satisfied", "4 - Satisfied"],
            [*SATISFIED[:3], "4 - Satisfied", "5 - Very satisfied"],
        ),
        (["Excellent", "Good", "Very good"], ["Poor", "Fair", "Good", "Very good", "Excellent"]),
        (["Yes", "No"], None),
        (["Very useful", "Very clear"], None),
        (["Hello world"], None),
    ],
)
def test_detect_scale(values: list[str], expected: list[str] | None) -> None:
    assert detect_scale(values) == expected


@pytest.mark.parametrize(
    ("values", "hint", "sep", "expected"),
    [
        (["0", "10", "7", ""], None, None, ResponseType.RATING),
        (["4.5", "3"], None, None, ResponseType.RATING),
        (["11", "12"], None, None, ResponseType.TEXT),
        (["Yes", "No", "Maybe"], None, None, ResponseType.CHOICE),
        (["Blue", "Red", "Blue", "Red", "Blue"], None, None, ResponseType.CHOICE),
        (["Blue", "Red", "Green"], None, None, ResponseType.TEXT),
        (["No"] * 6 + ["Fine", "Loved it", "More breaks"], None, None, ResponseType.TEXT),
        (["Blue", "Red", "Green"], "closed", None, ResponseType.CHOICE),
        (["7", "8"], "text", None, ResponseType.TEXT),
        (["A;B;", "B;"], None, ";", ResponseType.CHOICE),
    ],
)
def test_classify(values, hint, sep, expected) -> None:
    assert classify(values, hint, sep).response_type == expected


def test_split_options_keeps_options_with_the_separator() -> None:
    values = ["Yes, definitely", "Yes, definitely, Other", "Other", "No"]
    assert split_options(values, ", ") == [
        ["Yes, definitely"],
        ["Yes, definitely", "Other"],
        ["Other"],
        ["No"],
    ]
    assert split_options(["I liked it, thanks", "Too long, sorry"], ", ") is None


def test_parse_times_reads_day_first_columns() -> None:
    assert parse_times(["01/09/2023 10:01:10", "13/09/2023 10:01:10"]) == [
        datetime(2023, 9, 1, 10, 1, 10),
        datetime(2023, 9, 13, 10, 1, 10),
    ]
    assert parse_times(["01/09/2023 10:01:10", "", "nonsense"]) == [
        datetime(2023, 1, 9, 10, 1, 10),
        None,
        None,
    ]
    assert parse_times(["9/1/2023 10:01:10 GMT+2", "2026-03-12T10:00:00+01:00"]) == [
        datetime(2023, 9, 1, 10, 1, 10),
        datetime(2026, 3, 12, 10, 0, 0),
    ]


# -- tables as people save them ------------------------------------------------------------
def test_google_forms_resaved_with_semicolons_and_a_summary_row(data_dir: Path) -> None:
    """An Excel re-save in a European locale: BOM, CRLF, ``;``, everything quoted.

    Hand count: four responses (lines 2-5); a blank line 6; line 7 "Promedio" and
    line 8 a lone number were added by hand. Answers: ratings 5, 4, 3 (one "N/A");
    two improvements ("n/a" and "." are not answers); two comments ("-", "none").
    """
    result = load_file(data_dir / "surveys" / "google-forms-semicolon-summary.csv")
    assert result.format == "google-forms"
    assert result.meta["respondents"] == 4
    items = result.items
    counts = items.groupby(Col.QUESTION, sort=False).size().to_dict()
    assert counts == {
        "¿Qué tan útil fue la sesión?": 3,
        "¿Qué mejorarías?": 2,
        "Comentarios": 2,
    }
    assert result.meta["response_types"]["¿Qué tan útil fue la sesión?"] == ResponseType.RATING
    assert not items[Col.TEXT].str.lower().isin(["n/a", "none", "-", "."]).any()
    assert [(s.line, s.reason) for s in result.skipped] == [
        (7, "a summary row (no respondent, only numbers), not a response"),
        (8, "a summary row (no respondent, only numbers), not a response"),
    ]
    # Day-first (13/03/2026 forces it for the whole column).
    assert items[Col.TIMESTAMP].iloc[0] == datetime(2026, 3, 12, 10, 1)


def test_microsoft_forms_with_excel_sep_line_and_a_total_row(data_dir: Path) -> None:
    """``sep=;`` first line; three responses (lines 3-5); a "Total" row on line 6."""
    result = load_file(data_dir / "surveys" / "ms-forms-excel-sep-total.csv")
    assert result.format == "microsoft-forms"
    assert result.meta["respondents"] == 3
    assert result.items[Col.LINE].tolist() == [3, 3, 4, 5, 5]
    assert "N/A" not in set(result.items[Col.TEXT])
    assert [(s.line, s.text) for s in result.skipped] == [(6, "Total | 11")]


@pytest.mark.parametrize(
    ("row", "summary"),
    [
        (["", "4.2", "3,5", ""], True),
        (["Average", "4.2", "3.5"], True),
        (["Moyenne", "85%", ""], True),
        (["12/03/2026 10:00", "4", "5"], False),  # a timestamp: a respondent
        (["", "4", "Great session"], False),  # text: an answer
        (["Average", "Total", "4"], False),
        (["", "", ""], False),
    ],
)
def test_is_summary_row(row: list[str], summary: bool) -> None:
    from feedback.loaders.surveys import SurveyLayout, is_summary_row

    layout = SurveyLayout(
        first=1, width=3, id_col=None, time_col=0, name_cols=(), questions=lambda c: []
    )
    assert is_summary_row(row, layout) is summary


def test_non_answers_are_not_text_answers() -> None:
    typed = classify(["Great", "n/a", "N/A", "none", "-", ".", "Too long", ""])
    assert typed.response_type == ResponseType.TEXT
    assert typed.values == ["Great", "", "", "", "", "", "Too long", ""]
    rating = classify(["4", "5", "N/A", "3"])
    assert rating.response_type == ResponseType.RATING
    assert rating.values == ["4", "5", "", "3"]
