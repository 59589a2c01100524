"""Write the binary and non-UTF-8 survey fixtures of this folder.

Run from the repository root: ``python tests/data/surveys/make_fixtures.py``.
The content is hand-made; the expected counts in tests/loaders/test_surveys.py
were counted from the tables below, not from the parser.

Files written:

ms-forms.xlsx
    Microsoft Forms workbook (newer header with ``Last modified time``),
    5 responses; dates are real Excel datetimes.
ms-forms-cp1252.csv
    Microsoft Forms CSV re-saved by Excel in Windows-1252 (em dash = byte 0x97,
    CRLF), older ``Id`` header, quiz columns, a question header with a line
    break, multi-select answers with a trailing ``;``.
surveymonkey.xlsx
    surveymonkey.csv as a workbook (Respondent IDs as numbers).
generic.xlsx
    A plain table: Author, Feedback, Timestamp, Kind.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

MS_FORMS_XLSX = [
    [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "How useful was the webinar?",
        "Which topics should we cover next?",
        "What did you like most?",
        "Would you recommend it to a colleague?",
    ],
    [
        1,
        datetime(2026, 3, 12, 11, 0, 5),
        datetime(2026, 3, 12, 11, 2, 30),
        "anonymous",
        "Anonymous",
        None,
        "Very useful",
        "Cartography;Python;",
        "Clear examples",
        "Yes",
    ],
    [
        2,
        datetime(2026, 3, 12, 11, 1, 0),
        datetime(2026, 3, 12, 11, 4, 10),
        "ana@example.org",
        "Ana Lima",
        None,
        "Extremely useful",
        "Python;",
        "The live demo",
        "Yes",
    ],
    [
        3,
        datetime(2026, 3, 12, 11, 3, 0),
        datetime(2026, 3, 12, 11, 5, 45),
        "anonymous",
        None,
        None,
        "Moderately useful",
        "Cartography;Statistics;",
        None,
        "No",
    ],
    [
        4,
        datetime(2026, 3, 12, 11, 6, 0),
        datetime(2026, 3, 12, 11, 9, 0),
        "ben@example.org",
        "Ben Okafor",
        None,
        "Very useful",
        None,
        "Pace was good, slides a bit dense",
        "Yes",
    ],
    [
        5,
        datetime(2026, 3, 12, 11, 10, 0),
        datetime(2026, 3, 12, 11, 12, 20),
        "anonymous",
        "Anonymous",
        None,
        "Slightly useful",
        "Statistics;",
        "Nothing in particular",
        "Yes",
    ],
]

MS_FORMS_CP1252 = [
    [
        "Id",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Total points",
        "Quiz feedback",
        "Points - Which formats suit you?",
        "Rate the session\n(0 = poor, 10 = excellent)",
        "Which formats suit you?",
        "Feedback - Which formats suit you?",
        "Any other comments \u2014 good or bad?",
    ],
    [
        "1",
        "3/12/26 10:01:10",
        "3/12/26 10:03:45",
        "anonymous",
        "",
        "0",
        "",
        "0",
        "9",
        "Webinar;Workshop;",
        "",
        "Great session \u2014 thanks",
    ],
    [
        "2",
        "3/12/26 10:02:00",
        "3/12/26 10:06:12",
        "cleo@example.org",
        "Cl\u00e9o Martin",
        "0",
        "",
        "0",
        "7",
        "Webinar;",
        "",
        "",
    ],
    [
        "3",
        "3/12/26 10:04:30",
        "3/12/26 10:07:01",
        "anonymous",
        "Anonymous",
        "0",
        "",
        "0",
        "10",
        "Workshop;Recorded talk;",
        "",
        "More time for Q&A, please",
    ],
    [
        "4",
        "3/12/26 10:05:00",
        "3/12/26 10:08:20",
        "dev@example.org",
        "Dev Patel",
        "0",
        "",
        "0",
        "",
        "",
        "",
        "Audio dropped twice \u2014 please check the mic",
    ],
]

GENERIC_XLSX = [
    ["Author", "Feedback", "Timestamp", "Kind"],
    ["Ana", "Loved the examples", datetime(2026, 3, 12, 10, 30, 0), "chat"],
    ["Ben", "Will the recording be shared?", datetime(2026, 3, 12, 10, 31, 15), "question"],
    ["Cleo", "Thanks all", datetime(2026, 3, 12, 10, 40, 0), "not-a-kind"],
]


def write_xlsx(path: Path, rows: list[list]) -> None:
    """Write ``rows`` to the first sheet of a new workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    book.save(path)


def main() -> None:
    """Write every fixture."""
    write_xlsx(HERE / "ms-forms.xlsx", MS_FORMS_XLSX)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(MS_FORMS_CP1252)
    (HERE / "ms-forms-cp1252.csv").write_bytes(buffer.getvalue().encode("cp1252"))
    with (HERE / "surveymonkey.csv").open(newline="", encoding="utf-8") as handle:
        monkey = [list(row) for row in csv.reader(handle)]
    for row in monkey[2:]:
        row[0], row[1] = int(row[0]), int(row[1])
    write_xlsx(HERE / "surveymonkey.xlsx", [[c if c != "" else None for c in r] for r in monkey])
    write_xlsx(HERE / "generic.xlsx", GENERIC_XLSX)


if __name__ == "__main__":
    main()
