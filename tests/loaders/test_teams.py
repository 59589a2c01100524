"""Tests of the Microsoft Teams attendance-list loader.

Expected values were read from the files (the real one converted with
``iconv -f UTF-16``), not taken from the parser's output.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from feedback.loaders import Source, load_file
from feedback.loaders.dates import parse_duration_minutes
from feedback.loaders.teams import TeamsAttendance
from feedback.schema import PCol, Role

REAL = "teams-attendance-utf16.csv"


def named(participants, name: str):
    rows = participants[participants[PCol.NAME] == name]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows.iloc[0]


# -- the real attendance list -----------------------------------------------------------
@pytest.fixture
def real(real_dir: Path):
    return load_file(real_dir / REAL)


def test_real_list_is_detected(real) -> None:
    assert real.format == "teams-attendance"
    assert real.encoding.startswith("utf-16")
    assert real.skipped == []
    assert real.items.empty


def test_real_list_participant_count_matches_summary(real) -> None:
    # "Attended participants	7" and seven rows under "2. Participants".
    assert real.meta["attended_participants"] == 7
    assert len(real.participants) == 7


def test_real_list_roles(real) -> None:
    participants = real.participants
    assert participants[PCol.ROLE].value_counts().to_dict() == {
        Role.PRESENTER: 6,
        Role.ORGANISER: 1,
    }
    assert named(participants, "JANSSENS JAN (EXT)")[PCol.ROLE] == Role.ORGANISER


def test_real_list_name_with_a_comma(real) -> None:
    pedro = named(real.participants, "García Simón, Pedro")
    assert pedro[PCol.EMAIL] == "pgsimon@spain.es"
    assert pedro[PCol.JOIN_TIME] == datetime(2022, 11, 14, 9, 30, 52)
    assert pedro[PCol.LEAVE_TIME] == datetime(2022, 11, 14, 9, 50, 14)
    assert pedro[PCol.MINUTES] == pytest.approx(19 + 21 / 60)
    assert pedro[PCol.SESSIONS] == 1
    assert named(real.participants, "De Compostela, Santiago")[PCol.ROLE] == Role.PRESENTER


def test_real_list_meta(real) -> None:
    assert real.meta["title"] == "Scrum Meeting"
    assert real.meta["start"] == datetime(2022, 11, 14, 9, 29, 7)
    assert real.meta["end"] == datetime(2022, 11, 14, 9, 50, 14)
    assert real.meta["duration_minutes"] == pytest.approx(21 + 7 / 60)


# -- hand-made lists --------------------------------------------------------------------
def test_joined_left_table(data_dir: Path) -> None:
    result = load_file(data_dir / "reports" / "teams-joined-left-utf16.csv")
    assert result.format == "teams-attendance"
    participants = result.participants
    assert participants[PCol.NAME].tolist() == ["Rivera, Carmen", "Noah Brandt", "Lee Min-jun"]
    carmen = named(participants, "Rivera, Carmen")
    # 3/4/2020 with AM/PM: the US order, 4 March.
    assert carmen[PCol.JOIN_TIME] == datetime(2020, 3, 4, 10, 1, 59)
    assert carmen[PCol.LEAVE_TIME] == datetime(2020, 3, 4, 11, 0, 59)
    assert carmen[PCol.MINUTES] == 59
    noah = named(participants, "Noah Brandt")
    # 10:02:30-10:20:30 and 10:25:00-11:02:00.
    assert (noah[PCol.MINUTES], noah[PCol.SESSIONS]) == (55, 2)
    # Never left: counted up to the last event of the list (11:02:00).
    lee = named(participants, "Lee Min-jun")
    assert lee[PCol.MINUTES] == 62
    assert (participants[PCol.ROLE] == Role.ATTENDEE).all()
    assert [(s.line, s.reason) for s in result.skipped] == [
        (9, "expected name, Joined/Left and a timestamp")
    ]
    assert result.meta["start"] == datetime(2020, 3, 4, 10, 0)
    assert result.meta["end"] == datetime(2020, 3, 4, 11, 2)


def test_dotted_dates_and_activities(data_dir: Path) -> None:
    result = load_file(data_dir / "reports" / "teams-dotted-utf16.csv")
    assert result.format == "teams-attendance"
    assert result.skipped == []
    participants = result.participants
    assert len(participants) == result.meta["attended_participants"] == 3
    anna = named(participants, "Weber, Anna")
    assert anna[PCol.ROLE] == Role.ORGANISER
    assert anna[PCol.JOIN_TIME] == datetime(2023, 12, 5, 14, 0, 3)
    assert anna[PCol.MINUTES] == pytest.approx(62 + 7 / 60)
    jonas = named(participants, "Jonas Keller")
    assert jonas[PCol.ROLE] == Role.PRESENTER
    # Two rows under "3. In-Meeting activities".
    assert jonas[PCol.SESSIONS] == 2
    assert jonas[PCol.MINUTES] == pytest.approx(45.2)
    guest = named(participants, "Guest User (Unverified)")
    assert (guest[PCol.EMAIL], guest[PCol.ROLE], guest[PCol.MINUTES]) == ("", Role.ATTENDEE, 38)
    assert result.meta["title"] == "Quarterly review"
    assert result.meta["start"] == datetime(2023, 12, 5, 14, 0, 3)


def test_us_dates_in_sectioned_list(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "1. Summary",
            "Meeting title\tWeekly sync",
            "Attended participants\t1",
            "Start time\t11/7/2023, 9:58:00 AM",
            "",
            "2. Participants",
            "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tRole",
            "Kai Moore\t11/7/2023, 9:58:00 AM\t11/7/2023, 11:00:30 AM\t1h 2m 30s\tkai@example.com"
            "\tCo-organizer",
        ]
    )
    path = tmp_path / "attendance.csv"
    path.write_bytes(text.encode("utf-16"))
    result = load_file(path)
    kai = named(result.participants, "Kai Moore")
    assert kai[PCol.JOIN_TIME] == datetime(2023, 11, 7, 9, 58)
    assert kai[PCol.MINUTES] == 62.5
    assert kai[PCol.ROLE] == Role.ORGANISER


def test_meeting_summary_variant(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "Meeting Summary",
            "Total Number of Participants\t2",
            "Meeting Title\tBoard prep",
            "Meeting Start Time\t28/07/2021, 10:02:11",
            "Meeting End Time\t28/07/2021, 11:05:54",
            "",
            "Full Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\tParticipant ID (UPN)",
            "Ray Dunn\t28/07/2021, 10:02:11\t28/07/2021, 11:05:54\t1h 3m 43s\tray@example.com"
            "\tOrganizer\tray@example.com",
            "Ivy Cole\t28/07/2021, 10:05:00\t28/07/2021, 11:00:00\t55m\t\tAttendee\t",
        ]
    )
    path = tmp_path / "attendance.csv"
    path.write_bytes(text.encode("utf-16"))
    result = load_file(path)
    assert result.format == "teams-attendance"
    assert result.participants[PCol.NAME].tolist() == ["Ray Dunn", "Ivy Cole"]
    assert result.meta["title"] == "Board prep"
    assert result.meta["attended_participants"] == 2
    assert result.meta["start"] == datetime(2021, 7, 28, 10, 2, 11)


# -- detection and durations -----------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["webinar-attendees-padded.csv", "qa-report.csv", "poll-report.csv", "registration-report.csv"],
)
def test_sniff_ignores_zoom_reports(data_dir: Path, name: str) -> None:
    assert TeamsAttendance.sniff(Source(data_dir / "reports" / name)) == 0.0


def test_sniff_ignores_a_plain_tab_separated_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.tsv"
    path.write_text("text\tauthor\nHello\tAnn\n")
    assert TeamsAttendance.sniff(Source(path)) == 0.0


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h 2m 3s", 62.05),
        ("11m 31s", 11 + 31 / 60),
        ("45s", 0.75),
        ("38m", 38.0),
        ("1 godz. 2 min 3 sek.", 62.05),
        ("01:02:03", 62.05),
        ("", None),
        ("--", None),
    ],
)
def test_parse_duration_minutes(text: str, minutes: float | None) -> None:
    result = parse_duration_minutes(text)
    if minutes is None:
        assert result is None
    else:
        assert result == pytest.approx(minutes)


# -- every layout and language ----------------------------------------------------------
#: Hand-counted from the files in tests/data/teams (people under the participants
#: section or in the Joined/Left list; the organiser; one person's minutes as written
#: in their duration cell; the summary's title and start).
LOCALISED = [
    # file, people, organiser, (person, minutes, sessions), title, start
    (
        "teams-pt-2024-utf16.csv",
        4,
        "Souza, Beatriz",
        ("Rafael Lima", 129, 2),  # "2 h 9 m", two rows under "3. Atividades em reunião"
        "Revisão trimestral",
        datetime(2024, 3, 14, 9, 58, 12),
    ),
    (
        "teams-fr-2024-utf16.csv",
        3,
        "Dubois, Hélène",
        ("Dubois, Hélène", 65.5, 1),  # "1 h 5 min 30 s"
        "Atelier accessibilité",
        datetime(2024, 10, 2, 13, 59, 40),
    ),
    (
        "teams-pl-2024-semicolon.csv",
        3,
        "Kowalska, Anna",
        ("Kowalska, Anna", 138 + 8 / 60, 1),  # "2 godz. 18 min 8 s"
        "Szkolenie wdrożeniowe",
        datetime(2024, 5, 7, 10, 0, 1),
    ),
    (
        "teams-de-2021-sections-utf16.csv",
        3,
        "Schmidt, Jana",
        ("Tobias Wagner", 47, 2),  # "47 Min.", two activity rows
        "Teamrunde Juni",
        datetime(2023, 6, 12, 15, 0, 2),
    ),
    (
        "teams-it-2024-comma.csv",
        3,
        "Rossi, Maria",
        ("Luca Bianchi", 58, 1),
        "Laboratorio di scrittura",
        datetime(2024, 5, 21, 9, 0),
    ),
    (
        "teams-nl-2024-utf16.csv",
        2,
        "Jansen, Sanne",
        ("Jansen, Sanne", 65 + 3 / 60, 1),  # "1 u 5 m 3 s"
        "Projectoverleg",
        datetime(2024, 10, 3, 14, 0),
    ),
    (
        # Swedish is in no word list: sections, columns and summary read by layout.
        "teams-sv-2024-unlisted-language-utf16.csv",
        2,
        "Lindqvist, Karin",
        ("Erik Holm", 35, 1),
        "Veckomöte",
        datetime(2024, 2, 1, 10, 0),
    ),
]


@pytest.mark.parametrize(("name", "people", "organiser", "person", "title", "start"), LOCALISED)
def test_localised_reports(
    data_dir: Path,
    name: str,
    people: int,
    organiser: str,
    person: tuple[str, float, int],
    title: str,
    start: datetime,
) -> None:
    path = data_dir / "teams" / name
    assert TeamsAttendance.sniff(Source(path)) >= 0.9
    result = load_file(path)
    assert result.format == "teams-attendance"
    assert result.skipped == []
    participants = result.participants
    assert len(participants) == people
    assert result.meta.get("attended_participants", people) == people
    assert participants.loc[participants[PCol.ROLE] == Role.ORGANISER, PCol.NAME].tolist() == [
        organiser
    ]
    row = named(participants, person[0])
    assert row[PCol.MINUTES] == pytest.approx(person[1])
    assert row[PCol.SESSIONS] == person[2]
    assert participants[PCol.JOIN_TIME].notna().all()
    assert participants[PCol.LEAVE_TIME].notna().all()
    assert result.meta["title"] == title
    assert result.meta["start"] == start


def test_localised_presenters(data_dir: Path) -> None:
    roles = {
        "teams-pt-2024-utf16.csv": ("Rafael Lima", Role.PRESENTER),  # Apresentador
        "teams-fr-2024-utf16.csv": ("Karim Haddad", Role.PRESENTER),  # Présentateur
        "teams-pl-2024-semicolon.csv": ("Piotr Nowak", Role.PRESENTER),  # Prezenter
        "teams-de-2021-sections-utf16.csv": ("Tobias Wagner", Role.PRESENTER),  # Referent
        "teams-it-2024-comma.csv": ("Luca Bianchi", Role.PRESENTER),  # Relatore
        "teams-nl-2024-utf16.csv": ("Bram de Vries", Role.ATTENDEE),  # Deelnemer
    }
    for name, (person, role) in roles.items():
        assert named(load_file(data_dir / "teams" / name).participants, person)[PCol.ROLE] == role


def test_localised_joined_left_list(data_dir: Path) -> None:
    result = load_file(data_dir / "teams" / "teams-es-2020-list-utf16.csv")
    assert result.format == "teams-attendance"
    assert result.skipped == []
    participants = result.participants
    assert participants[PCol.NAME].tolist() == ["García, Lucía", "Diego Ruiz"]
    # "15/4/2020": day first. Lucía 9:58-11:00; Diego 10:00:30-10:20:30 and 10:30-11:05.
    assert named(participants, "García, Lucía")[PCol.JOIN_TIME] == datetime(2020, 4, 15, 9, 58)
    assert named(participants, "García, Lucía")[PCol.MINUTES] == 62
    diego = named(participants, "Diego Ruiz")
    assert (diego[PCol.MINUTES], diego[PCol.SESSIONS]) == (55, 2)


@pytest.mark.parametrize("separator", [";", ","])
def test_real_list_resaved_as_utf8_csv(real_dir: Path, tmp_path: Path, separator: str) -> None:
    """The real UTF-16 list re-saved by a spreadsheet: UTF-8, CRLF, ``;`` or quoted ``,``."""
    import csv

    text = (real_dir / REAL).read_bytes().decode("utf-16")
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    path = tmp_path / "resaved.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=separator, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    original = load_file(real_dir / REAL)
    resaved = load_file(path)
    assert resaved.format == "teams-attendance"
    assert resaved.skipped == []
    pd_cols = [PCol.NAME, PCol.EMAIL, PCol.ROLE, PCol.JOIN_TIME, PCol.MINUTES, PCol.SESSIONS]
    assert resaved.participants[pd_cols].equals(original.participants[pd_cols])
    assert resaved.meta["title"] == original.meta["title"] == "Scrum Meeting"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2 h 44 m", 164.0),
        ("2 godz. 18 min 8 s", 138 + 8 / 60),
        ("1 hr 5 min", 65.0),
        ("1 Std. 2 Min. 3 Sek.", 62.05),
        ("1 u 5 m 3 s", 65.05),
        ("1 h 5 min 30 s", 65.5),
        ("1時間2分", 62.0),
    ],
)
def test_parse_localised_durations(text: str, minutes: float) -> None:
    assert parse_duration_minutes(text) == pytest.approx(minutes)


def test_joined_left_list_in_a_language_not_listed(data_dir: Path) -> None:
    """Swedish: the columns come in the 2020 order and "Anslöt" is every person's first event.

    Hand count: Astrid 13:58-15:00 (62 min); Olof 14:01-14:21 and 14:30-15:02 (52 min, 2 joins).
    """
    path = data_dir / "teams" / "teams-sv-2020-list-unlisted-language-utf16.csv"
    assert TeamsAttendance.sniff(Source(path)) == 0.8
    result = load_file(path)
    assert result.format == "teams-attendance"
    assert result.skipped == []
    participants = result.participants
    assert participants[PCol.NAME].tolist() == ["Berg, Astrid", "Olof Ek"]
    assert named(participants, "Berg, Astrid")[PCol.MINUTES] == 62
    olof = named(participants, "Olof Ek")
    assert (olof[PCol.MINUTES], olof[PCol.SESSIONS]) == (52, 2)


def test_unnumbered_sections_in_a_language_not_listed(data_dir: Path) -> None:
    """Swedish 2021 layout: summary, participants, activities told apart by their order.

    Hand count: two people; Leo Sand 65 minutes ("1h 5m") in two activity rows.
    """
    path = data_dir / "teams" / "teams-sv-2021-sections-unlisted-language-utf16.csv"
    assert TeamsAttendance.sniff(Source(path)) == 0.7
    result = load_file(path)
    assert result.skipped == []
    assert len(result.participants) == result.meta["attended_participants"] == 2
    leo = named(result.participants, "Leo Sand")
    assert (leo[PCol.MINUTES], leo[PCol.SESSIONS], leo[PCol.ROLE]) == (65, 2, Role.ATTENDEE)
    assert named(result.participants, "Nilsson, Maja")[PCol.ROLE] == Role.ORGANISER
    assert result.meta["title"] == "Studiecirkel"
    assert result.meta["end"] == datetime(2022, 5, 10, 19, 30)


def test_three_column_tables_of_messages_are_not_teams_lists(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    path.write_text(
        "Name,Message,Time\nAna,yes,2026-03-12 10:20:00\nBen,no,2026-03-12 10:21:00\n"
        "Ana,yes,2026-03-12 10:22:00\nCai,yes,2026-03-12 10:23:00\n"
    )
    assert TeamsAttendance.sniff(Source(path)) == 0.0
    path.write_text("Who,Said,When\nAna,ok,10:20\nBen,ok,10:21\nCai,ok,10:22\n")
    assert TeamsAttendance.sniff(Source(path)) == 0.0
