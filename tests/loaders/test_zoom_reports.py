"""Tests of the Zoom report loaders (attendees, registrants, participants, Q&A, polls).

Expected values were counted from the files themselves, not from the parsers:
the real attendee report with ``grep``/``sed`` line ranges per block and a few
lines of the ``csv`` module (distinct e-mails per block), the hand-made files by
reading them.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from feedback.exceptions import FormatError, ParseError
from feedback.loaders import LoadOptions, Source, load_file
from feedback.loaders.dates import DateReader
from feedback.loaders.people import PeopleMerger
from feedback.loaders.teams import TeamsAttendance
from feedback.loaders.zoom_reports import (
    ZoomMeetingParticipants,
    ZoomPollReport,
    ZoomQAReport,
    ZoomWebinarAttendees,
)
from feedback.schema import Col, Kind, PCol, ResponseType, Role

ATTENDEES = "zoom-webinar-attendee-report-anonymised.csv"
PARTICIPANTS = "zoom-participants-meeting001.csv"

REPORT_LOADERS = (
    ZoomWebinarAttendees,
    ZoomMeetingParticipants,
    ZoomQAReport,
    ZoomPollReport,
    TeamsAttendance,
)

#: Which loader each hand-made file belongs to.
HAND_MADE = {
    "webinar-attendees-padded.csv": ZoomWebinarAttendees,
    "registration-report.csv": ZoomWebinarAttendees,
    "meeting-participants-joins.csv": ZoomMeetingParticipants,
    "qa-report.csv": ZoomQAReport,
    "poll-report.csv": ZoomPollReport,
    "teams-joined-left-utf16.csv": TeamsAttendance,
    "teams-dotted-utf16.csv": TeamsAttendance,
}


def person(participants: pd.DataFrame, email: str) -> pd.Series:
    rows = participants[participants[PCol.EMAIL].str.lower() == email.lower()]
    assert len(rows) == 1, f"{email}: {len(rows)} rows"
    return rows.iloc[0]


def named(participants: pd.DataFrame, name: str) -> pd.Series:
    rows = participants[participants[PCol.NAME] == name]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows.iloc[0]


# -- the real webinar attendee report ---------------------------------------------------
@pytest.fixture
def attendees(real_dir: Path):
    return load_file(real_dir / ATTENDEES)


def test_real_attendee_report_is_detected(attendees) -> None:
    assert attendees.format == "zoom-webinar-attendees"
    assert attendees.items.empty
    assert attendees.skipped == []


def test_real_attendee_report_counts_people_once(attendees) -> None:
    # Host block: 1 row. Panelist block (lines 10-82): 73 rows, 31 distinct e-mails.
    # Attendee block (lines 85-1024): 940 rows, 469 distinct e-mails, 10 of them also
    # panelists. Other Attended (lines 1027-1030): 4 people without e-mail.
    # 1 + 31 + (469 - 10) + 4 = 495.
    participants = attendees.participants
    assert len(participants) == 495
    assert participants[PCol.ROLE].value_counts().to_dict() == {
        Role.ATTENDEE: 463,
        Role.PANELIST: 31,
        Role.HOST: 1,
    }
    assert participants[PCol.EMAIL].str.lower().replace("", pd.NA).dropna().is_unique


def test_real_attendee_report_non_attendees(attendees) -> None:
    # 16 "No" rows with 16 distinct e-mails; attendee406 and attendee407 also have a
    # "Yes" row, so 14 people never attended.
    participants = attendees.participants
    assert participants[PCol.ATTENDED].value_counts().to_dict() == {True: 481, False: 14}
    absent = person(participants, "attendee59@email.com")
    assert not absent[PCol.ATTENDED]
    assert pd.isna(absent[PCol.JOIN_TIME]) and pd.isna(absent[PCol.LEAVE_TIME])
    assert math.isnan(absent[PCol.MINUTES])
    assert absent[PCol.SESSIONS] == 0
    assert absent[PCol.COUNTRY] == ""
    assert person(participants, "attendee406@email.com")[PCol.ATTENDED]


def test_real_attendee_report_merges_rejoins(attendees) -> None:
    # attendee52: three rows of 38, 2 and 434 minutes (lines 86-88), the first with
    # registration details and the other two with NA.
    row = person(attendees.participants, "attendee52@email.com")
    assert row[PCol.NAME] == "firstAttendee_52 lastAttendee_52"
    assert row[PCol.MINUTES] == 474
    assert row[PCol.SESSIONS] == 3
    assert row[PCol.JOIN_TIME] == datetime(2020, 3, 28, 9, 20, 36)
    assert row[PCol.LEAVE_TIME] == datetime(2020, 3, 28, 17, 8, 12)
    assert row[PCol.COUNTRY] == "United States of America"
    assert row[PCol.ROLE] == Role.ATTENDEE


def test_real_attendee_report_panelist_who_also_attended(attendees) -> None:
    # attendee327@email.com is panelist userName_1 (25 min, line 10) and attendee
    # firstAttendee_327 (38 min, joined 09:01:24).
    row = person(attendees.participants, "attendee327@email.com")
    assert row[PCol.ROLE] == Role.PANELIST
    assert row[PCol.NAME] == "userName_1"
    assert row[PCol.MINUTES] == 63
    assert row[PCol.SESSIONS] == 2
    assert row[PCol.JOIN_TIME] == datetime(2020, 3, 28, 9, 1, 24)
    assert row[PCol.LEAVE_TIME] == datetime(2020, 3, 28, 10, 3, 38)


def test_real_attendee_report_host_and_panelist_rejoins(attendees) -> None:
    host = person(attendees.participants, "hostName_1@email.com")
    assert host[PCol.ROLE] == Role.HOST
    assert host[PCol.MINUTES] == 548
    # userName_3: three panelist rows of 8, 118 and 5 minutes.
    panelist = person(attendees.participants, "userName_3@email.com")
    assert (panelist[PCol.MINUTES], panelist[PCol.SESSIONS]) == (131, 3)


def test_real_attendee_report_other_attended_block(attendees) -> None:
    participants = attendees.participants
    others = participants[participants[PCol.NAME].str.startswith("userOther_")]
    assert len(others) == 4
    assert (others[PCol.EMAIL] == "").all()
    assert others[PCol.ATTENDED].all()
    assert (others[PCol.ROLE] == Role.ATTENDEE).all()
    fourth = named(participants, "userOther_4")
    # "Mar 28, 2020 1:52 PM" .. "2:40 PM", 48 minutes, no seconds in this block.
    assert fourth[PCol.JOIN_TIME] == datetime(2020, 3, 28, 13, 52)
    assert fourth[PCol.LEAVE_TIME] == datetime(2020, 3, 28, 14, 40)
    assert fourth[PCol.MINUTES] == 48
    assert named(participants, "userOther_2")[PCol.COUNTRY] == "United Kingdom"


def test_real_attendee_report_meta(attendees) -> None:
    meta = attendees.meta
    assert meta["title"] == "satRdays DC 2020"
    assert meta["start"] == datetime(2020, 3, 28, 8, 7)
    assert meta["duration_minutes"] == 548
    assert meta["registered"] == 461
    assert meta["unique_viewers"] == 446
    assert meta["webinar_id"] == "328-972-509"
    assert meta["end"] == datetime(2020, 3, 28, 17, 15)


# -- the real meeting participants report -----------------------------------------------
def test_real_meeting_participants(real_dir: Path) -> None:
    result = load_file(real_dir / PARTICIPANTS)
    assert result.format == "zoom-meeting-participants"
    assert result.skipped == []
    participants = result.participants
    # Ten rows after the header, ten different names (four without e-mail).
    assert len(participants) == 10
    assert (participants[PCol.EMAIL] == "").sum() == 4
    host = participants[participants[PCol.ROLE] == Role.HOST]
    assert host[PCol.NAME].tolist() == ["Andrew Knight"]
    assert participants[PCol.MINUTES].sum() == 629
    assert named(participants, "Eric's iPad (Clapton)")[PCol.MINUTES] == 57
    assert result.meta["title"] == "Meeting about Reunion"
    assert result.meta["start"] == datetime(2020, 9, 24, 11, 35, 16)
    assert result.meta["end"] == datetime(2020, 9, 24, 12, 49, 20)
    assert result.meta["duration_minutes"] == 75


def test_meeting_participants_per_join_variant(data_dir: Path) -> None:
    result = load_file(data_dir / "reports" / "meeting-participants-joins.csv")
    assert result.format == "zoom-meeting-participants"
    participants = result.participants
    assert len(participants) == 3
    eli = person(participants, "eli.ward@example.com")
    # The waiting-room row does not count; the rejoin without e-mail is merged by name.
    assert (eli[PCol.MINUTES], eli[PCol.SESSIONS]) == (62, 2)
    assert eli[PCol.JOIN_TIME] == datetime(2022, 8, 15, 13, 1)
    assert eli[PCol.LEAVE_TIME] == datetime(2022, 8, 15, 14, 5)
    assert person(participants, "dana.host@example.com")[PCol.ROLE] == Role.HOST
    assert named(participants, "Fay Lin (Fay's iPad)")[PCol.ROLE] == Role.ATTENDEE
    # 15/08/2022: day first.
    assert result.meta["start"] == datetime(2022, 8, 15, 13, 0)
    assert result.meta["title"] == "Team retro"


# -- hand-made attendee and registration reports ----------------------------------------
@pytest.fixture
def padded(data_dir: Path):
    return load_file(data_dir / "reports" / "webinar-attendees-padded.csv")


def test_padded_layout_people(padded) -> None:
    participants = padded.participants
    assert padded.format == "zoom-webinar-attendees"
    assert padded.skipped == []
    assert len(participants) == 8
    assert participants[PCol.ROLE].value_counts().to_dict() == {
        Role.ATTENDEE: 5,
        Role.PANELIST: 2,
        Role.HOST: 1,
    }
    assert participants[PCol.ATTENDED].sum() == 7


def test_padded_layout_rejoin_with_other_case_email(padded) -> None:
    kofi = person(padded.participants, "kofi.mensah@example.edu")
    assert kofi[PCol.NAME] == "Dr Kofi Mensah (Kofi)"
    assert (kofi[PCol.MINUTES], kofi[PCol.SESSIONS]) == (98, 2)
    assert kofi[PCol.JOIN_TIME] == datetime(2025, 3, 22, 18, 55, 40)
    assert kofi[PCol.LEAVE_TIME] == datetime(2025, 3, 22, 20, 35, 9)
    sam = person(padded.participants, "sam.w@example.net")
    assert sam[PCol.NAME] == "Sam Whitfield"
    assert (sam[PCol.MINUTES], sam[PCol.SESSIONS]) == (86, 2)


def test_padded_layout_panelist_who_registered_as_attendee(padded) -> None:
    lena = person(padded.participants, "lena.ortiz@example.com")
    assert lena[PCol.ROLE] == Role.PANELIST
    assert (lena[PCol.MINUTES], lena[PCol.SESSIONS]) == (105, 2)
    assert lena[PCol.JOIN_TIME] == datetime(2025, 3, 22, 18, 50, 11)
    assert lena[PCol.ORGANISATION] == "Ortiz Consulting"


def test_padded_layout_organisation_and_quoting(padded) -> None:
    chidi = person(padded.participants, "chidi@example.ng")
    assert chidi[PCol.NAME] == "Okafor, Chidi"
    assert chidi[PCol.ORGANISATION] == "Health Partners, Lagos"
    # A space before the quoted time and before the number.
    assert chidi[PCol.JOIN_TIME] == datetime(2025, 3, 22, 19, 5)
    assert chidi[PCol.MINUTES] == 90
    aiko = person(padded.participants, "aiko.tanaka@example.jp")
    assert aiko[PCol.NAME] == "Aiko Tanaka"
    assert not aiko[PCol.ATTENDED]
    assert aiko[PCol.ORGANISATION] == "Kobe City"
    assert named(padded.participants, "Guest viewer")[PCol.COUNTRY] == "Canada"


def test_padded_layout_meta(padded) -> None:
    assert padded.meta["title"] == "Community health data clinic"
    assert padded.meta["start"] == datetime(2025, 3, 22, 19, 0, 12)
    assert padded.meta["registered"] == 12
    assert padded.meta["unique_viewers"] == 7
    assert padded.meta["duration_minutes"] == 95
    assert padded.meta["webinar_id"] == "847 5984 1045"


def test_registration_report(data_dir: Path) -> None:
    result = load_file(data_dir / "reports" / "registration-report.csv")
    assert result.format == "zoom-webinar-attendees"
    assert result.meta["report"] == "registration"
    participants = result.participants
    assert participants[PCol.NAME].tolist() == [
        "Priya Shah",
        "Tom Rees",
        "Ana Silva",
        "Jo Park",
        "Ben Ode",
    ]
    assert not participants[PCol.ATTENDED].any()
    assert (participants[PCol.SESSIONS] == 0).all()
    assert participants[PCol.JOIN_TIME].isna().all()
    assert (participants[PCol.ROLE] == Role.ATTENDEE).all()
    assert person(participants, "jo.park@example.kr")[PCol.ORGANISATION] == "Seoul Health Lab"
    assert person(participants, "ben.ode@example.com")[PCol.ORGANISATION] == ""
    assert person(participants, "tom.rees@example.org")[PCol.COUNTRY] == "Wales"
    assert result.meta["registered"] == 5
    assert result.meta["start"] == datetime(2026, 3, 12, 10, 0)


# -- Q&A --------------------------------------------------------------------------------
@pytest.fixture
def qa(data_dir: Path):
    return load_file(data_dir / "reports" / "qa-report.csv")


def test_qa_report_items(qa) -> None:
    items = qa.items
    assert qa.format == "zoom-qa-report"
    assert len(items) == 5
    assert (items[Col.KIND] == Kind.QUESTION).all()
    assert items[Col.AUTHOR].tolist() == [
        "Priya Shah",
        "Tom Rees",
        "Ana Silva",
        "Jo Park",
        "Ben Ode",
    ]
    assert items[Col.LINE].tolist() == [7, 8, 9, 10, 13]
    first = items.iloc[0]
    assert first[Col.TEXT] == "How do we keep clinicians involved once the pilot money ends?"
    assert first[Col.TIMESTAMP] == datetime(2026, 3, 12, 10, 14, 22)


def test_qa_report_answers(qa) -> None:
    answers = qa.items[Col.ANSWER].tolist()
    assert answers[0] == (
        "Answered by Dr Amara Okafor: We wrote the time into job plans from the first month."
    )
    assert answers[1] == "Live answered"
    assert answers[2] == ""
    # Two answer cells in one (long, ragged) row.
    assert answers[3] == (
        "Answered by Host: Patient-reported ones.\n"
        "Answered by Dr Amara Okafor: And readmissions at 30 days."
    )


def test_qa_report_multiline_and_ragged_rows(qa) -> None:
    items = qa.items
    assert items.iloc[3][Col.TEXT] == "Which outcome measures\ndid the second site use?"
    short = items.iloc[4]
    assert short[Col.TEXT] == "How long did procurement take?"
    assert pd.isna(short[Col.TIMESTAMP])
    assert short[Col.ANSWER] == ""
    # The row without question text (line 12) is counted, not dropped silently.
    assert [(s.line, s.reason) for s in qa.skipped] == [(12, "a Q&A row without question text")]


def test_qa_report_meta(qa) -> None:
    assert qa.meta["title"] == "Spreading innovation in health and care"
    assert qa.meta["start"] == datetime(2026, 3, 12, 10, 0)
    assert qa.meta["duration_minutes"] == 62
    assert qa.meta["time_base"] == "clock"


def test_qa_report_strict_mode_raises(data_dir: Path) -> None:
    with pytest.raises(ParseError, match=r"qa-report\.csv:12"):
        load_file(data_dir / "reports" / "qa-report.csv", options=LoadOptions(strict=True))


def test_qa_report_older_layout(tmp_path: Path) -> None:
    text = (
        "Question and Answer Report\n"
        "Topic,Webinar ID\n"
        '"Budget basics for small charities",987 654 321\n'
        "\n"
        "#,Question,Asker Name,Asker Email,Answer(s)\n"
        '1,"Can we reuse last year\'s template?",Sol Reyes,sol@example.org,'
        '"Answered by Host: Yes, with the new tab."\n'
        '2,"Where is the recording?",Kim Lo,kim@example.org,\n'
    )
    path = tmp_path / "qa.csv"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    assert result.format == "zoom-qa-report"
    assert result.items[Col.TEXT].tolist() == [
        "Can we reuse last year's template?",
        "Where is the recording?",
    ]
    assert result.items[Col.ANSWER].tolist() == ["Answered by Host: Yes, with the new tab.", ""]
    assert result.items[Col.TIMESTAMP].isna().all()
    assert result.items[Col.LINE].tolist() == [6, 7]
    assert result.meta["title"] == "Budget basics for small charities"


def test_qa_report_answered_by_column_and_clock_times(tmp_path: Path) -> None:
    text = (
        "Question and Answer Report,,,,,,\n"
        "Topic,Webinar ID,Actual Start Time\n"
        'Data clinic,111 222 333,"Apr 02, 2026 14:00:00"\n'
        "Question,Asker Name,Time,Answer,Answered By\n"
        "What is a p-value?,Rae,14:10:05,A probability.,Dr Lim\n"
    )
    path = tmp_path / "questions.csv"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    item = result.items.iloc[0]
    assert item[Col.ANSWER] == "Answered by Dr Lim: A probability."
    assert item[Col.TIMESTAMP] == datetime(2026, 4, 2, 14, 10, 5)


def test_qa_report_resaved_as_workbook(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Question and Answer Report"])
    sheet.append(["#", "Question", "Asker Name", "Asker Email", "Answer(s)"])
    sheet.append([1, "Is the toolkit free?", "Noor", "noor@example.org", "Live answered"])
    path = tmp_path / "qa.xlsx"
    book.save(path)
    result = load_file(path)
    assert result.format == "zoom-qa-report"
    assert result.items[Col.TEXT].tolist() == ["Is the toolkit free?"]
    assert result.items[Col.LINE].tolist() == [3]


def test_qa_report_without_table_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    path.write_text("Question and Answer Report\nTopic,Webinar ID\nX,1\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"qa\.csv.*Question"):
        load_file(path)


# -- polls ------------------------------------------------------------------------------
@pytest.fixture
def poll(data_dir: Path):
    return load_file(data_dir / "reports" / "poll-report.csv")


def test_poll_report_items(poll) -> None:
    items = poll.items
    assert poll.format == "zoom-poll-report"
    assert poll.skipped == []
    assert len(items) == 6
    assert (items[Col.KIND] == Kind.ANSWER).all()
    assert (items[Col.RESPONSE_TYPE] == ResponseType.CHOICE).all()
    assert items[Col.QUESTION].value_counts().to_dict() == {
        "Which best describes your role?": 3,
        "Which topics interest you? (choose all that apply)": 2,
        "How useful was this session?": 1,
    }
    assert items[Col.LINE].tolist() == [8, 8, 9, 9, 11, 14]


def test_poll_report_multiple_answers(poll) -> None:
    topics = poll.items[poll.items[Col.QUESTION].str.startswith("Which topics")]
    assert topics[Col.TEXT].tolist() == ["Digital tools; Workforce", "Funding; Evaluation"]


def test_poll_report_respondents(poll) -> None:
    items = poll.items
    ana = items[items[Col.AUTHOR] == "Ana Silva"].iloc[0]
    assert ana[Col.RESPONDENT] == "Ana Silva"  # no e-mail: the name
    priya = items[items[Col.AUTHOR] == "Priya Shah"]
    assert set(priya[Col.RESPONDENT]) == {"priya.shah@example.nhs.uk"}
    assert priya.iloc[0][Col.TIMESTAMP] == datetime(2026, 3, 12, 10, 5, 40)
    assert poll.meta["polls"] == ["1) Opening poll", "2) Closing poll"]
    assert poll.meta["title"] == "Spreading innovation in health and care"


def test_poll_report_questions_in_header(tmp_path: Path) -> None:
    text = (
        "Poll Report\n"
        "#,User Name,User Email,Submitted Date and Time,Pick a colour,Pick sizes\n"
        '1,Ola,ola@example.org,"Jun 01, 2026 09:00:00",Blue,"S;M"\n'
        '2,Eve,,"Jun 01, 2026 09:00:05",,L\n'
    )
    path = tmp_path / "poll.csv"
    path.write_text(text, encoding="utf-8")
    items = load_file(path).items
    assert list(zip(items[Col.AUTHOR], items[Col.QUESTION], items[Col.TEXT], strict=True)) == [
        ("Ola", "Pick a colour", "Blue"),
        ("Ola", "Pick sizes", "S; M"),
        ("Eve", "Pick sizes", "L"),
    ]


# -- detection --------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(HAND_MADE))
def test_load_file_detects_hand_made_reports(data_dir: Path, name: str) -> None:
    assert load_file(data_dir / "reports" / name).format == HAND_MADE[name].format_id


@pytest.mark.parametrize("name", sorted(HAND_MADE))
def test_only_the_right_sniffer_claims_a_report(data_dir: Path, name: str) -> None:
    source = Source(data_dir / "reports" / name)
    scores = {cls.format_id: cls.sniff(source) for cls in REPORT_LOADERS}
    owner = HAND_MADE[name].format_id
    assert scores[owner] >= 0.9
    assert {k: v for k, v in scores.items() if k != owner} == {k: 0.0 for k in scores if k != owner}


def test_sniffers_ignore_real_exports_of_other_kinds(real_dir: Path) -> None:
    owners = {
        ATTENDEES: "zoom-webinar-attendees",
        PARTICIPANTS: "zoom-meeting-participants",
        "teams-attendance-utf16.csv": "teams-attendance",
    }
    for path in sorted(real_dir.iterdir()):
        if path.suffix == ".md":
            continue
        source = Source(path)
        for cls in REPORT_LOADERS:
            score = cls.sniff(source)
            if owners.get(path.name) == cls.format_id:
                assert score >= 0.9, (path.name, cls.format_id)
            else:
                assert score == 0.0, (path.name, cls.format_id)


def test_sniffers_ignore_a_plain_csv(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text("text,author,time\nGreat session,Ann,10:00\nToo fast,Bo,10:05\n")
    source = Source(path)
    assert [cls.sniff(source) for cls in REPORT_LOADERS] == [0.0] * len(REPORT_LOADERS)


@pytest.mark.parametrize(
    "data", [b"", b"\x00\x01\x02\xff" * 50, b"PK\x03\x04broken", b"Attendee Report\n"]
)
def test_sniff_and_parse_never_raise_other_errors(tmp_path: Path, data: bytes) -> None:
    source = Source(tmp_path / "odd.csv", data=data)
    for cls in REPORT_LOADERS:
        assert 0.0 <= cls.sniff(source) <= 1.0
        with pytest.raises(FormatError):
            cls().load(Source(tmp_path / "odd.csv", data=data))


# -- merging people --------------------------------------------------------------------
def test_people_merger_falls_back_to_name_and_is_repeatable() -> None:
    people = PeopleMerger()
    people.add(name="Ana Lima", email="Ana@Example.org", minutes=10, role=Role.ATTENDEE)
    people.add(name="Ana Lima", email="", minutes=5, role=Role.PANELIST)
    people.add(name="Bo", email="", minutes=None, attended=False, sessions=0)
    assert not people.add(name="", email="")
    for _ in range(2):
        records = {r[PCol.NAME]: r for r in people.records()}
        assert set(records) == {"Ana Lima", "Bo"}
        ana = records["Ana Lima"]
        assert (ana[PCol.EMAIL], ana[PCol.ROLE], ana[PCol.MINUTES], ana[PCol.SESSIONS]) == (
            "Ana@Example.org",
            Role.PANELIST,
            15,
            2,
        )
        assert records["Bo"][PCol.MINUTES] is None


# -- dates ------------------------------------------------------------------------------
def test_date_reader_decides_day_first_per_file() -> None:
    read = DateReader(["15/08/2022 13:00", "01/09/2022 10:00"])
    assert read("01/09/2022 10:00") == datetime(2022, 9, 1, 10, 0)
    read = DateReader(["09/24/2020 11:35:16 AM", "10/01/2020 09:00:00 AM"])
    assert read("10/01/2020 09:00:00 AM") == datetime(2020, 10, 1, 9, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Mar 28, 2020 08:07:27"', datetime(2020, 3, 28, 8, 7, 27)),
        ("Mar 28, 2020 2:20 PM", datetime(2020, 3, 28, 14, 20)),
        ("05/20/2026 10:00:00 AM", datetime(2026, 5, 20, 10, 0)),
        ("2026-03-12 10:00:00", datetime(2026, 3, 12, 10, 0)),
        ("--", None),
        ("NA", None),
    ],
)
def test_date_reader_formats(text: str, expected: datetime | None) -> None:
    assert DateReader()(text) == expected


# -- translated reports and the 2020-21 poll layout ----------------------------------------
#: Hand-counted from tests/data/reports/participants-*.csv: distinct people (rejoins by
#: e-mail merged), the host (the summary's user e-mail), one person's summed minutes and
#: joins, the topic and the start time.
TRANSLATED_PARTICIPANTS = [
    ("ja", 3, "佐藤 花子", ("鈴木 一郎", 29 + 25, 2), "月例勉強会", datetime(2024, 3, 12, 19)),
    ("es", 3, "Lucía Gómez", ("Andrés Molina", 43 + 38, 2), "Taller de datos abiertos",
     datetime(2024, 5, 15, 10)),
    ("fr", 2, "Claire Petit", ("Hugo Laurent", 50, 1), "Café scientifique",
     datetime(2024, 6, 20, 18)),
    ("de", 2, "Petra Klein", ("Lukas Braun", 39, 1), "Sprechstunde", datetime(2024, 3, 12, 16)),
    ("pt", 3, "Ana Ribeiro", ("Marta Alves", 30, 1), "Roda de conversa",
     datetime(2024, 8, 8, 14)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "people", "host", "person", "title", "start"), TRANSLATED_PARTICIPANTS
)
def test_translated_participants_reports(
    data_dir: Path, language, people, host, person, title, start
) -> None:
    result = load_file(data_dir / "reports" / f"participants-{language}.csv")
    assert result.format == "zoom-meeting-participants"
    assert result.skipped == []
    participants = result.participants
    assert len(participants) == people == result.meta["participants_count"]
    assert participants.loc[participants[PCol.ROLE] == Role.HOST, PCol.NAME].tolist() == [host]
    row = participants[participants[PCol.NAME] == person[0]].iloc[0]
    assert (row[PCol.MINUTES], row[PCol.SESSIONS]) == (person[1], person[2])
    assert (result.meta["title"], result.meta["start"]) == (title, start)


@pytest.mark.parametrize(
    ("language", "roles", "registered_absent", "title"),
    [
        # Host 1, panelist 1, attendees 3 (one rejoined, one registered but absent).
        ("ja", {Role.HOST: 1, Role.PANELIST: 1, Role.ATTENDEE: 3}, 1, "地域防災セミナー"),
        ("es", {Role.HOST: 1, Role.ATTENDEE: 3}, 1, "Ciclo de salud comunitaria"),
    ],
)
def test_translated_webinar_attendee_reports(
    data_dir: Path, language, roles, registered_absent, title
) -> None:
    path = data_dir / "reports" / f"webinar-attendees-{language}.csv"
    assert ZoomWebinarAttendees.sniff(Source(path)) == 0.95
    result = load_file(path)
    assert result.format == "zoom-webinar-attendees"
    assert result.skipped == []
    participants = result.participants
    assert participants[PCol.ROLE].value_counts().to_dict() == roles
    assert int((~participants[PCol.ATTENDED]).sum()) == registered_absent
    assert result.meta["title"] == title


def test_japanese_attendee_rejoin_is_one_person(data_dir: Path) -> None:
    result = load_file(data_dir / "reports" / "webinar-attendees-ja.csv")
    misaki = result.participants[result.participants[PCol.EMAIL] == "misaki.ito@example.jp"]
    assert len(misaki) == 1
    assert misaki.iloc[0][PCol.MINUTES] == 39 + 35
    assert misaki.iloc[0][PCol.SESSIONS] == 2


def test_poll_report_2020_layout(data_dir: Path) -> None:
    """One row per respondent with question/answer pairs after the header, multi-line questions."""
    import csv

    path = data_dir / "reports" / "poll-report-2020.csv"
    assert ZoomPollReport.sniff(Source(path)) == 0.95
    result = load_file(path)
    items = result.items
    # Counted with the csv module: cells after "Submitted Date/Time" come in pairs.
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r and r[0].isdigit()]
    pairs = [(q, a) for r in rows for q, a in zip(r[4::2], r[5::2], strict=False) if a]
    assert len(items) == len(pairs) == 5
    assert set(items[Col.KIND]) == {Kind.ANSWER}
    assert "Submitted Date/Time" not in set(items[Col.QUESTION])
    assert sorted(set(items[Col.QUESTION])) == [
        "How confident are you searching the catalogue?",
        "Which session would you attend next?",
    ]
    assert items[Col.TEXT].tolist() == [
        "Somewhat confident",
        "Citation tools",
        "Very confident",
        "Databases; Citation tools",
        "Not confident",
    ]
    assert items[Col.TIMESTAMP].iloc[0] == datetime(2020, 11, 18, 14, 10, 5)
    assert result.meta["title"] == "Library skills drop-in"
    assert result.skipped == []
