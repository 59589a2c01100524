"""Loaders for the CSV reports of the Zoom web portal.

Four formats are read here:

``zoom-webinar-attendees``
    The webinar attendee report (blocks ``Host Details``, ``Panelist Details``,
    ``Attendee Details``, ``Other Attended``) and the registration report.
``zoom-meeting-participants``
    The meeting participants report (a meeting summary, then one row per person
    or per join).
``zoom-qa-report``
    The webinar Q&A report: one item of kind ``question`` per question.
``zoom-poll-report``
    The poll report: one item of kind ``answer`` per question a person answered.

Every report is a CSV file of several blocks: a title row, a ``Report
Generated`` row, a topic block (a header row and one row of values), then one or
more tables, each under its own header row. Zoom pads rows with trailing commas,
mixes quoting, writes ``--`` or ``NA`` for missing values and uses the account's
date format, so blocks are found by their header names (case-insensitively), not
by position. Tables are read with :mod:`feedback.loaders.tables`, dates with
:mod:`feedback.loaders.dates` and people merged with :mod:`feedback.loaders.people`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from feedback.exceptions import FormatError
from feedback.loaders.base import (
    Loader,
    LoadOptions,
    Parsed,
    Skipped,
    Source,
)
from feedback.loaders.dates import DateReader, parse_clock_or_datetime
from feedback.loaders.people import PeopleMerger
from feedback.loaders.registry import register
from feedback.loaders.tables import (
    Row,
    column,
    column_matching,
    english,
    first_title,
    head_rows,
    may_be_header,
    person_value,
    read_table,
    to_int,
    to_number,
    value,
)
from feedback.schema import Col, Kind, ResponseType, Role

#: Languages of the Zoom web portal whose report headers are known (see
#: :data:`feedback.loaders.tables.HEADER_TRANSLATIONS`).
ZOOM_REPORT_LANGUAGES = ("en", "ja", "es", "fr", "de", "pt")

_YES = frozenset({"yes", "y", "true", "1", "ja", "oui", "sí", "si", "sim", "はい"})

# -- blocks shared by the Zoom reports ------------------------------------------------
_TITLE_RE = re.compile(r"(report|details|attended|registrants|panelists|attendees)$")
_REPORT_GENERATED = ("report generated", "report generated time", "report generated on")

#: Columns of the topic block, by meta key.
_TOPIC_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("topic", "webinar topic", "meeting topic"),
    "webinar_id": ("webinar id", "meeting id", "id"),
    "start": (
        "actual start time",
        "start time",
        "scheduled time",
        "scheduled start time",
        "date",
    ),
    "duration_minutes": (
        "actual duration (minutes)",
        "duration (minutes)",
        "duration",
        "actual duration",
    ),
    "registered": (
        "# registered",
        "# registrants",
        "registered",
        "registrants",
        "# registrations",
        "total registrants",
    ),
    "cancelled": ("# cancelled", "# cancelled registrants", "cancelled"),
    "unique_viewers": ("unique viewers",),
    "total_users": ("total users",),
    "max_concurrent_views": ("max concurrent views",),
    "participants_count": ("participants", "# participants"),
    "questions_count": ("# question", "# questions"),
}
_TOPIC_INTS = (
    "registered",
    "cancelled",
    "unique_viewers",
    "total_users",
    "max_concurrent_views",
    "participants_count",
    "questions_count",
)


def is_title_row(cells: Sequence[str]) -> bool:
    """A block title such as ``Attendee Report,`` or ``Host Details,`` (one cell)."""
    if len(cells) != 1:
        return False
    text = english(cells[0]).rstrip(":,").strip()
    return bool(text) and len(text) < 60 and bool(_TITLE_RE.search(text))


def is_report_generated_row(cells: Sequence[str]) -> bool:
    """``Report Generated:,"Mar 12, 2026 11:20 AM"`` (or ``Report generated time,...``)."""
    return bool(cells) and english(cells[0]).rstrip(":").strip() in _REPORT_GENERATED


def is_topic_header(cells: Sequence[str]) -> bool:
    """The header of the topic block: ``Topic,Webinar ID,Actual Start Time,...``."""
    normalised = {english(c) for c in cells}
    return bool(normalised & set(_TOPIC_FIELDS["title"])) and bool(
        normalised
        & (
            set(_TOPIC_FIELDS["webinar_id"])
            | set(_TOPIC_FIELDS["start"])
            | set(_TOPIC_FIELDS["duration_minutes"])
        )
    )


def read_topic(header: Sequence[str], cells: Sequence[str], read: DateReader, meta: dict) -> None:
    """Put the values of the topic block into ``meta`` (first block wins)."""
    for key, names in _TOPIC_FIELDS.items():
        index = column(header, *names)
        text = person_value(cells, index)
        if not text or key in meta:
            continue
        if key == "start":
            moment = read(text)
            if moment is not None:
                meta[key] = moment
        elif key == "duration_minutes":
            number = to_number(text)
            if number is not None:
                meta[key] = int(number) if number.is_integer() else number
        elif key in _TOPIC_INTS:
            number = to_int(text)
            if number is not None:
                meta[key] = number
        else:
            meta[key] = text
    if "end" not in meta and meta.get("start") and meta.get("duration_minutes") is not None:
        meta["end"] = meta["start"] + timedelta(minutes=float(meta["duration_minutes"]))


class ReportWalker:
    """Walk the blocks of a Zoom report: the one loop every Zoom report loader uses.

    Blank rows are passed over. The ``Report Generated`` row and the topic
    block (a header row such as ``Topic,Webinar ID,...`` and its row of values)
    go into ``meta``. A row that ``find_header`` recognises (it returns the
    table's columns) starts a table and is not yielded. Every other row is
    yielded as ``(line, cells, is_title)``: ``is_title`` for a block title such
    as ``Attendee Details``. :attr:`columns` holds the current table's columns
    (``None`` before the first table); a loader may reset it at a title.

    Parameters
    ----------
    rows : list of Row
        The report, from :func:`~feedback.loaders.tables.read_table`.
    meta : dict
        Filled with ``report_generated`` and the topic block's fields.
    find_header : callable
        ``find_header(cells)`` gives the columns of a table header, or ``None``.
    vocabulary : frozenset of str
        Header names (English, normalised); only rows naming one are offered to
        ``find_header``.
    topic_reader : callable, optional
        ``topic_reader(header, cells, read, meta)`` reads the topic block
        (default :func:`read_topic`).
    """

    def __init__(
        self,
        rows: Sequence[Row],
        meta: dict,
        find_header: Callable[[list[str]], Any],
        vocabulary: frozenset[str],
        topic_reader: Callable[[Sequence[str], Sequence[str], DateReader, dict], None]
        | None = None,
    ) -> None:
        self.rows = rows
        self.meta = meta
        self.read = DateReader(_date_cells(rows))
        self.find_header = find_header
        self.vocabulary = vocabulary
        self.topic_reader = topic_reader or read_topic
        self.columns: Any = None
        #: Number of table headers found so far.
        self.tables = 0

    def __iter__(self) -> Iterator[tuple[int, list[str], bool]]:
        topic: list[str] | None = None
        for line, cells in self.rows:
            if not cells:
                continue
            found = self.find_header(cells) if may_be_header(cells, self.vocabulary) else None
            if found is not None:
                self.columns, topic = found, None
                self.tables += 1
                continue
            if is_report_generated_row(cells):
                moment = self.read(value(cells, 1))
                if moment is not None:
                    self.meta["report_generated"] = moment
                continue
            if is_topic_header(cells):
                topic, self.columns = cells, None
                continue
            if topic is not None:
                self.topic_reader(topic, cells, self.read, self.meta)
                topic = None
                continue
            yield line, cells, is_title_row(cells)


def _date_cells(rows: Sequence[Row]) -> Iterable[str]:
    for _, cells in rows:
        yield from cells


def _report_meta() -> dict:
    return {"date_known": True, "time_base": "clock"}


def _skip(source: Source, line: int, reason: str, cells: Sequence[str]) -> Skipped:
    return Skipped(source.name, line, reason, ",".join(cells))


class ZoomReport(Loader):
    """What the Zoom web-portal report loaders share: recognising a report and its metadata.

    A report is recognised by its title row (:attr:`_TITLES`), else by
    :meth:`sniff_rows` on its first rows (a header row near the top).
    """

    languages = ZOOM_REPORT_LANGUAGES
    #: Title rows of the report (normalised, in English); matches nothing by default.
    _TITLES: ClassVar[re.Pattern[str]] = re.compile(r"(?!)")

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.95 for the report's title row, else what :meth:`sniff_rows` says; never raise."""
        try:
            rows = head_rows(source, 12)
            if cls._TITLES.match(first_title(rows)):
                return 0.95
            return float(cls.sniff_rows(rows))
        except Exception:  # a sniff must never raise, whatever the bytes
            return 0.0

    @classmethod
    def sniff_rows(cls, rows: list[list[str]]) -> float:
        """How sure the loader is, from the first twelve rows (cells stripped)."""
        return 0.0


# -- webinar attendee and registration report ----------------------------------------
_NAME_COLUMNS = (
    "user name (original name)",
    "user name",
    "name (original name)",
    "name",
    "display name",
    "attendee name",
    "panelist name",
    "full name",
)
_EMAIL_COLUMNS = ("email", "user email", "email address", "e-mail", "attendee email")
_PERSON_MARKERS = frozenset(
    {
        "attended",
        *_EMAIL_COLUMNS,
        "join time",
        "leave time",
        "time in session (minutes)",
        "registration time",
        "approval status",
        "country/region name",
        "first name",
        "last name",
    }
)
_ATTENDEE_VOCABULARY = frozenset(
    {*_NAME_COLUMNS, *_PERSON_MARKERS, *(n for names in _TOPIC_FIELDS.values() for n in names)}
)
_ORGANISATION_RE = r"\b(organi[sz]ations?|company|employer|org|institution|affiliation)\b"


@dataclass
class _PersonColumns:
    """Where the person fields are in an attendee-report table."""

    name: int | None
    first: int | None
    last: int | None
    email: int | None
    attended: int | None
    join: int | None
    leave: int | None
    minutes: int | None
    country: int | None
    organisation: int | None
    role: int | None

    @classmethod
    def find(cls, header: Sequence[str]) -> _PersonColumns | None:
        normalised = {english(c) for c in header}
        name = column(header, *_NAME_COLUMNS)
        first = column(header, "first name")
        if (name is None and first is None) or len(normalised & _PERSON_MARKERS) < 1:
            return None
        if name is None and len(normalised & _PERSON_MARKERS) < 2:
            return None
        organisation = column_matching(header, _ORGANISATION_RE)
        return cls(
            name=name,
            first=first,
            last=column(header, "last name"),
            email=column(header, *_EMAIL_COLUMNS),
            attended=column(header, "attended"),
            join=column(header, "join time", "first join time"),
            leave=column(header, "leave time", "last leave time"),
            minutes=column_matching(header, r"^(time in session|(total )?duration)\b"),
            country=column(header, "country/region name", "country/region", "country"),
            organisation=organisation,
            role=column(header, "role", "user role"),
        )


def _role_from_title(title: str) -> str:
    if "host" in title:
        return Role.HOST
    if "panel" in title:
        return Role.PANELIST
    return Role.ATTENDEE


def zoom_role(text: str, default: str) -> str:
    """Map a Zoom role cell (``Host``, ``Co-host``, ``Panelist``...) to a :class:`Role`."""
    text = text.strip().lower()
    if "host" in text:
        return Role.HOST
    if "panel" in text:
        return Role.PANELIST
    if "attendee" in text or "participant" in text:
        return Role.ATTENDEE
    return default


@register
class ZoomWebinarAttendees(ZoomReport):
    """Zoom webinar attendee report and registration report: participants only."""

    format_id = "zoom-webinar-attendees"
    description = "Zoom webinar attendee report or registration report (CSV from the web portal)"
    recognised_by = (
        "first row 'Attendee Report' or 'Registration Report'; blocks such as "
        "'Host Details', 'Panelist Details', 'Attendee Details', 'Other Attended'"
    )
    layouts = ("attendee report (host, panelist, attendee and other blocks)", "registration report")

    _TITLES = re.compile(
        r"^(webinar |meeting )?(attendee|attendees|registration|registrant|registrants) report$"
    )

    @classmethod
    def sniff_rows(cls, rows: list[list[str]]) -> float:
        """Recognise block titles near the top."""
        for cells in rows:
            if len(cells) == 1 and english(cells[0]).rstrip(":,").strip() in {
                "host details",
                "panelist details",
                "attendee details",
            }:
                return 0.6
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Read every block; one participant per person, rejoins merged."""
        rows = read_table(source)
        title = first_title([cells for _, cells in rows])
        registration = "registr" in title
        meta = _report_meta()
        meta["report"] = "registration" if registration else "attendee"
        people = PeopleMerger()
        skipped: list[Skipped] = []
        role = Role.ATTENDEE
        walker = ReportWalker(rows, meta, _PersonColumns.find, _ATTENDEE_VOCABULARY)
        for line, cells, is_title in walker:
            if is_title:
                section = english(cells[0]).rstrip(":,").strip()
                if not section.endswith("report"):
                    role, walker.columns = _role_from_title(section), None
                continue
            if walker.columns is None:
                skipped.append(_skip(source, line, "not part of a report block", cells))
                continue
            if not self._add_person(cells, walker.columns, role, walker.read, people):
                skipped.append(_skip(source, line, "a row with neither name nor email", cells))
        if not walker.tables:
            raise FormatError(
                f"{source.name}: no table of people found; expected a Zoom attendee or "
                "registration report with a header row such as "
                "'Attended,User Name,Email,Join Time,...' or 'First Name,Last Name,Email,...'"
            )
        records = people.records()
        if registration and "registered" not in meta:
            meta["registered"] = len(records)
        return Parsed(participants=records, skipped=skipped, meta=meta)

    @staticmethod
    def _add_person(
        cells: Sequence[str],
        columns: _PersonColumns,
        role: str,
        read: DateReader,
        people: PeopleMerger,
    ) -> bool:
        name = person_value(cells, columns.name)
        if not name:
            parts = [person_value(cells, columns.first), person_value(cells, columns.last)]
            name = " ".join(p for p in parts if p)
        email = person_value(cells, columns.email)
        join = read(value(cells, columns.join))
        leave = read(value(cells, columns.leave))
        minutes = to_number(value(cells, columns.minutes))
        if columns.attended is not None:
            attended = person_value(cells, columns.attended).lower() in _YES
        else:
            attended = join is not None or bool(minutes)
        return people.add(
            name=name,
            email=email,
            role=zoom_role(person_value(cells, columns.role), role),
            attended=attended,
            join=join,
            leave=leave,
            minutes=minutes if attended else None,
            sessions=1 if attended else 0,
            country=person_value(cells, columns.country),
            organisation=person_value(cells, columns.organisation),
        )


# -- meeting participants report ------------------------------------------------------
_MEETING_NAME_COLUMNS = ("name (original name)", "user name (original name)", "participant")
_MEETING_MARKERS = frozenset(
    {
        "user email",
        "email",
        "join time",
        "leave time",
        "total duration (minutes)",
        "duration (minutes)",
        "guest",
    }
)


_MEETING_VOCABULARY = frozenset({*_MEETING_NAME_COLUMNS, "meeting id"})


@dataclass
class _MeetingColumns:
    """Where the person fields are in a participants table (indexes in the whole row)."""

    header: list[str]
    name: int
    email: int | None
    join: int | None
    leave: int | None
    minutes: int | None
    waiting: int | None
    country: int | None

    @classmethod
    def find(cls, header: Sequence[str]) -> _MeetingColumns | None:
        """The columns of a participants header (``None`` for other rows).

        The header starts at its name column; cells before it (the usage-report
        variant) are the meeting's own fields.
        """
        offset = column(header, *_MEETING_NAME_COLUMNS)
        if offset is None or not {english(c) for c in header[offset:]} & _MEETING_MARKERS:
            return None
        own = header[offset:]

        def at(index: int | None) -> int | None:
            return None if index is None else offset + index

        return cls(
            header=list(header),
            name=offset,
            email=at(column(own, "user email", "email")),
            join=at(column(own, "join time")),
            leave=at(column(own, "leave time")),
            minutes=at(column_matching(own, r"^(total )?duration\b")),
            waiting=at(column(own, "in waiting room")),
            country=at(column(own, "country/region name", "country/region", "country", "location")),
        )


@register
class ZoomMeetingParticipants(ZoomReport):
    """Zoom meeting participants report: participants only."""

    format_id = "zoom-meeting-participants"
    description = "Zoom meeting participants report (CSV from the web portal)"
    recognised_by = (
        "a summary 'Meeting ID,Topic,Start Time,End Time,...' and/or a header "
        "'Name (Original Name),User Email,...'"
    )
    layouts = (
        "participants report (meeting summary, one row per join)",
        "participants table only",
        "usage report (meeting fields on every row)",
    )

    @classmethod
    def sniff_rows(cls, rows: list[list[str]]) -> float:
        """Recognise the meeting summary header or the participants header at the top."""
        for cells in rows[:6]:
            if not cells:
                continue
            normalised = {english(c) for c in cells}
            if {"meeting id", "topic"} <= normalised and (
                normalised & {"start time", "participants", "end time"}
            ):
                return 0.9
            if normalised & set(_MEETING_NAME_COLUMNS) and (
                normalised & {"user email", "email", "join time", "total duration (minutes)"}
            ):
                return 0.85
            return 0.0
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Read the summary block and the people, merging rejoins."""
        rows = read_table(source)
        meta = _report_meta()
        people = PeopleMerger()
        skipped: list[Skipped] = []
        host_email = ""

        def read_summary(header, cells, read: DateReader, meta: dict) -> None:
            nonlocal host_email
            host_email = self._read_summary(header, cells, read, meta) or host_email

        walker = ReportWalker(rows, meta, _MeetingColumns.find, _MEETING_VOCABULARY, read_summary)
        for line, cells, _ in walker:
            columns = walker.columns
            if columns is None:
                skipped.append(_skip(source, line, "not part of the participants report", cells))
                continue
            if columns.name and "title" not in meta:
                # The usage-report variant repeats the meeting's fields on every row.
                read_summary(
                    columns.header[: columns.name], cells[: columns.name], walker.read, meta
                )
            if not self._add_person(columns, cells, host_email, walker.read, people):
                skipped.append(_skip(source, line, "a row with neither name nor email", cells))
        if not walker.tables:
            raise FormatError(
                f"{source.name}: no participants table found; expected a header row "
                "'Name (Original Name),User Email,...' in a Zoom meeting participants report"
            )
        return Parsed(participants=people.records(), skipped=skipped, meta=meta)

    @staticmethod
    def _read_summary(
        header: Sequence[str], cells: Sequence[str], read: DateReader, meta: dict
    ) -> str:
        """Meeting facts into ``meta``; return the host's e-mail."""
        fields = {
            "title": ("topic",),
            "meeting_id": ("meeting id",),
            "start": ("start time",),
            "end": ("end time",),
            "duration_minutes": ("duration (minutes)", "duration"),
            "participants_count": ("participants",),
        }
        for key, names in fields.items():
            text = person_value(cells, column(header, *names))
            if not text or key in meta:
                continue
            if key in ("start", "end"):
                moment = read(text)
                if moment is not None:
                    meta[key] = moment
            elif key in ("duration_minutes", "participants_count"):
                number = to_int(text)
                if number is not None:
                    meta[key] = number
            else:
                meta[key] = text
        return person_value(cells, column(header, "user email", "host email", "email"))

    @staticmethod
    def _add_person(
        columns: _MeetingColumns,
        cells: Sequence[str],
        host_email: str,
        read: DateReader,
        people: PeopleMerger,
    ) -> bool:
        email = person_value(cells, columns.email)
        attended = person_value(cells, columns.waiting).lower() not in _YES
        role = (
            Role.HOST
            if host_email and email and email.lower() == host_email.lower()
            else Role.ATTENDEE
        )
        return people.add(
            name=person_value(cells, columns.name),
            email=email,
            role=role,
            attended=attended,
            join=read(value(cells, columns.join)) if attended else None,
            leave=read(value(cells, columns.leave)) if attended else None,
            minutes=to_number(value(cells, columns.minutes)) if attended else None,
            sessions=1 if attended else 0,
            country=person_value(cells, columns.country),
            organisation="",
        )


# -- Q&A report -------------------------------------------------------------------------
_ASKER_COLUMNS = ("asker name", "asker", "asked by", "name", "user name", "attendee name")
_QUESTION_COLUMNS = ("question", "questions", "question content", "question text")
_ANSWER_COLUMNS = ("answer(s)", "answers", "answer", "answer content", "response")
_QA_VOCABULARY = frozenset(_QUESTION_COLUMNS)
#: Title rows that may appear between Q&A tables (a second session's block).
_QA_SECTION_RE = re.compile(
    r"^((question|questions|q ?& ?a|answer)s?( and answers?)? details|.* report)$"
)


@dataclass
class _QAColumns:
    number: int | None
    question: int
    asker: int | None
    email: int | None
    time: int | None
    answer: int | None
    answered_by: int | None
    width: int

    @classmethod
    def find(cls, header: Sequence[str]) -> _QAColumns | None:
        question = column(header, *_QUESTION_COLUMNS)
        asker = column(header, *_ASKER_COLUMNS)
        if question is None or (asker is None and column(header, *_ANSWER_COLUMNS) is None):
            return None
        return cls(
            number=column(header, "#", "no.", "number"),
            question=question,
            asker=asker,
            email=column(header, "asker email", "email", "user email"),
            time=column_matching(header, r"^(question time|time|asked time|asked at|date)"),
            answer=column(header, *_ANSWER_COLUMNS),
            answered_by=column(header, "answered by", "answerer", "answerer name"),
            width=len(header),
        )


@register
class ZoomQAReport(ZoomReport):
    """Zoom webinar Q&A report: one ``question`` item per question, with its answer."""

    format_id = "zoom-qa-report"
    description = "Zoom webinar Q&A report (CSV from the web portal)"
    recognised_by = (
        "first row 'Question and Answer Report', or a header row with 'Question' and 'Asker Name'"
    )
    layouts = ("Q&A report (one row per question, answers in further cells)",)

    _TITLES = re.compile(r"^(webinar )?(question and answer|questions and answers|q ?& ?a) report")

    @classmethod
    def sniff_rows(cls, rows: list[list[str]]) -> float:
        """Recognise a Q&A header row near the top."""
        for cells in rows:
            normalised = {english(c) for c in cells}
            if normalised & set(_QUESTION_COLUMNS) and normalised & {
                "asker name",
                "asker",
                "asker email",
            }:
                return 0.7
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """One item per question row; rows without question text are skipped."""
        rows = read_table(source)
        meta = _report_meta()
        items: list[dict] = []
        skipped: list[Skipped] = []
        walker = ReportWalker(rows, meta, _QAColumns.find, _QA_VOCABULARY)
        for line, cells, is_title in walker:
            columns = walker.columns
            if columns is None:
                if not is_title:
                    skipped.append(_skip(source, line, "not part of the Q&A report", cells))
                continue
            if len(cells) == 1 and _QA_SECTION_RE.match(english(cells[0]).rstrip(":,")):
                continue
            item = self._item(cells, columns, walker.read, meta)
            if item is None:
                skipped.append(_skip(source, line, "a Q&A row without question text", cells))
                continue
            item[Col.LINE] = line
            items.append(item)
        columns = walker.columns if walker.tables else None
        if columns is None:
            raise FormatError(
                f"{source.name}: no Q&A table found; expected a header row such as "
                "'#,Question,Asker Name,Asker Email,Answer(s)'"
            )
        meta["questions"] = len(items)
        return Parsed(items=items, skipped=skipped, meta=meta)

    @staticmethod
    def _item(
        cells: Sequence[str], columns: _QAColumns, read: DateReader, meta: dict
    ) -> dict | None:
        question = value(cells, columns.question).strip()
        if not question:
            return None
        answers: list[str] = []
        if columns.answer is not None:
            answers.append(value(cells, columns.answer))
        # Ragged rows: cells beyond the header are further answers.
        answers.extend(cells[columns.width :])
        answers = [a.strip() for a in answers if a.strip() and a.strip() != "--"]
        answered_by = person_value(cells, columns.answered_by)
        if answered_by and answers and not re.match(r"(?i)(answered by|live answered)", answers[0]):
            answers[0] = f"Answered by {answered_by}: {answers[0]}"
        start = meta.get("start")
        day = start.date() if isinstance(start, datetime) else None
        return {
            Col.KIND: Kind.QUESTION,
            Col.TEXT: question,
            Col.AUTHOR: person_value(cells, columns.asker),
            Col.TIMESTAMP: parse_clock_or_datetime(value(cells, columns.time), read, day),
            Col.ANSWER: "\n".join(answers),
        }


# -- poll report ------------------------------------------------------------------------
_POLL_FIXED = {
    "number": ("#", "no.", "number"),
    "name": ("user name", "name", "participant name", "user name (original name)"),
    "email": ("user email", "email", "email address"),
    "time": (
        "submitted date and time",
        "submitted date/time",
        "submitted time",
        "submitted at",
        "date submitted",
        "submission time",
    ),
}
_POLL_VOCABULARY = frozenset(n for names in _POLL_FIXED.values() for n in names)
_GENERIC_QA_LABEL = re.compile(r"^(questions?|answers?|responses?)( ?\d+)?(\(s\))?$")


@dataclass
class _PollColumns:
    name: int | None
    email: int | None
    time: int | None
    start: int
    questions: list[str] | None

    @classmethod
    def find(cls, header: Sequence[str]) -> _PollColumns | None:
        found = {key: column(header, *names) for key, names in _POLL_FIXED.items()}
        if found["name"] is None and found["email"] is None:
            return None
        if found["time"] is None and found["number"] is None:
            return None
        start = max(i for i in found.values() if i is not None) + 1
        extra = [h.strip() for h in header[start:]]
        named = [h for h in extra if h and not _GENERIC_QA_LABEL.match(english(h))]
        return cls(
            name=found["name"],
            email=found["email"],
            time=found["time"],
            start=start,
            questions=extra if named else None,
        )


def split_choices(text: str) -> str:
    """Join the answers of a multiple-answer cell (``;`` or line breaks) with ``"; "``."""
    parts = [p.strip() for p in re.split(r"[;\r\n\u2028]+", text or "")]
    return "; ".join(p for p in parts if p)


@register
class ZoomPollReport(ZoomReport):
    """Zoom poll report: one ``answer`` item per question and respondent."""

    format_id = "zoom-poll-report"
    description = "Zoom meeting or webinar poll report (CSV from the web portal)"
    recognised_by = (
        "first row 'Poll Report', or a header '#,User Name,User Email,Submitted Date and Time'"
    )
    layouts = (
        "poll report with question headers (2022+)",
        "poll report with question/answer pairs per row (2020-21, Submitted Date/Time)",
    )

    _TITLES = re.compile(
        r"^(webinar |meeting )?(poll|polls|polling|poll results?) report|^poll results"
    )

    @classmethod
    def sniff_rows(cls, rows: list[list[str]]) -> float:
        """Recognise the poll header near the top."""
        for cells in rows:
            normalised = {english(c) for c in cells}
            if normalised & set(_POLL_FIXED["time"]) and normalised & set(_POLL_FIXED["name"]):
                return 0.7
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """One item per question answered; multiple answers joined with ``"; "``."""
        rows = read_table(source)
        meta = _report_meta()
        items: list[dict] = []
        skipped: list[Skipped] = []
        polls: list[str] = []
        walker = ReportWalker(rows, meta, _PollColumns.find, _POLL_VOCABULARY)
        for line, cells, _ in walker:
            if len(cells) == 1 and not cells[0].isdigit():
                # The report title, or the title of the next poll.
                if not self._TITLES.match(first_title([cells])):
                    polls.append(cells[0])
                continue
            if walker.columns is None:
                skipped.append(_skip(source, line, "not part of the poll report", cells))
                continue
            answers = self._answers(cells, walker.columns, walker.read)
            if not answers:
                skipped.append(_skip(source, line, "a poll row without answers", cells))
                continue
            for answer in answers:
                answer[Col.LINE] = line
            items.extend(answers)
        columns = walker.columns if walker.tables else None
        if columns is None:
            raise FormatError(
                f"{source.name}: no poll table found; expected a header row such as "
                "'#,User Name,User Email,Submitted Date and Time,...'"
            )
        meta["polls"] = [p for p in polls if english(p) not in {"poll details"}]
        return Parsed(items=items, skipped=skipped, meta=meta)

    @staticmethod
    def _answers(cells: Sequence[str], columns: _PollColumns, read: DateReader) -> list[dict]:
        name = person_value(cells, columns.name)
        email = person_value(cells, columns.email)
        when = read(value(cells, columns.time))
        rest = list(cells[columns.start :])
        pairs: list[tuple[str, str]] = []
        if columns.questions is not None:
            pairs = [
                (question, value(rest, index))
                for index, question in enumerate(columns.questions)
                if question
            ]
        else:
            pairs = [(value(rest, i), value(rest, i + 1)) for i in range(0, len(rest), 2)]
        out = []
        for question, answer in pairs:
            text = split_choices(answer)
            if not question.strip() or not text:
                continue
            out.append(
                {
                    Col.KIND: Kind.ANSWER,
                    Col.QUESTION: " ".join(question.split()),
                    Col.RESPONSE_TYPE: ResponseType.CHOICE,
                    Col.RESPONDENT: email or name,
                    Col.AUTHOR: name,
                    Col.TIMESTAMP: when,
                    Col.TEXT: text,
                }
            )
        return out
