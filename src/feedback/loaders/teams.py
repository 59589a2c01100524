"""Loader for Microsoft Teams attendance lists ("Download attendance list").

Teams writes the list as UTF-16 text with a BOM, tab separated. Two layouts
are read (format id ``teams-attendance``):

* the sectioned report (2021 onward): ``1. Summary`` (``key<TAB>value`` rows:
  Meeting title, Attended participants, Start time, End time, Meeting
  duration...), ``2. Participants`` (one row per person: Name, First join, Last
  leave, In-meeting duration, Email, Participant ID (UPN), Role) and
  ``3. In-Meeting activities`` (one row per join). A 2021 variant has a
  ``Meeting Summary`` block and a ``Full Name, Join Time, Leave Time, Duration``
  table instead;
* the older single table ``Full Name<TAB>User Action<TAB>Timestamp`` with one
  ``Joined``/``Left`` row per event, from which each person's join, leave and
  minutes are computed.

Names often contain commas (``Goliath, David``), so the file is never split on
commas. Dates follow the organiser's locale (``14/11/22, 09:29:07``,
``11/14/2022, 9:29:07 AM``, ``14.11.2022, 09:29:07``) and durations look like
``1h 2m 3s`` (or localised, ``1 godz. 2 min 3 sek.``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from feedback.exceptions import FormatError
from feedback.loaders.base import Loader, LoadOptions, Parsed, Skipped, Source
from feedback.loaders.dates import DateReader, parse_duration_minutes
from feedback.loaders.people import PeopleMerger, person_key
from feedback.loaders.registry import register
from feedback.loaders.tables import (
    Row,
    column,
    head_rows,
    norm,
    person_value,
    read_table,
    to_int,
)
from feedback.schema import PCol, Role

_SECTION_RE = re.compile(r"^\d{1,2}\.\s+\S")

#: Summary keys (normalised) by meta key.
_SUMMARY_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("meeting title", "title", "meeting name"),
    "start": ("start time", "meeting start time", "first join"),
    "end": ("end time", "meeting end time", "last leave"),
    "duration_minutes": ("meeting duration", "duration"),
    "attended_participants": (
        "attended participants",
        "total number of participants",
        "participants",
        "total participants",
    ),
    "average_attendance_minutes": ("average attendance time",),
}

_NAME_COLUMNS = ("name", "full name", "participant name", "display name")
_JOIN_COLUMNS = ("first join", "join time", "first join time", "joined")
_LEAVE_COLUMNS = ("last leave", "leave time", "last leave time", "left")
_DURATION_COLUMNS = ("in-meeting duration", "duration", "attendance duration", "time in meeting")
_EMAIL_COLUMNS = ("email", "e-mail", "email address")
_UPN_COLUMNS = ("participant id (upn)", "upn", "participant id")


def _columns(header: Sequence[str]) -> dict[str, int | None]:
    """Where each field is in a table of people (``None`` when absent)."""
    return {
        "name": column(header, *_NAME_COLUMNS),
        "email": column(header, *_EMAIL_COLUMNS),
        "upn": column(header, *_UPN_COLUMNS),
        "join": column(header, *_JOIN_COLUMNS),
        "leave": column(header, *_LEAVE_COLUMNS),
        "duration": column(header, *_DURATION_COLUMNS),
        "role": column(header, "role"),
        "organisation": column(header, "organisation", "organization", "company"),
        "action": column(header, "user action", "action"),
        "timestamp": column(header, "timestamp", "time"),
    }


def teams_role(text: str) -> str:
    """Map a Teams role (``Organizer``, ``Co-organizer``, ``Presenter``...) to a :class:`Role`."""
    text = (text or "").strip().lower()
    if "organi" in text or "organis" in text:
        return Role.ORGANISER
    if "present" in text or "speaker" in text or "referent" in text:
        return Role.PRESENTER
    return Role.ATTENDEE


@register
class TeamsAttendance(Loader):
    """Microsoft Teams attendance list: participants only."""

    format_id = "teams-attendance"
    description = "Microsoft Teams attendance list (UTF-16, tab separated)"
    recognised_by = (
        "'1. Summary' and 'Meeting title' rows, a 'Meeting Summary' block, or a "
        "'Full Name<TAB>User Action<TAB>Timestamp' header"
    )
    family = "report"
    extensions = (".csv", ".tsv", ".txt", ".xlsx")

    @classmethod
    def sniff(cls, source: Source) -> float:
        """Recognise the summary section or the Joined/Left header at the top."""
        try:
            rows = [cells for cells in head_rows(source, 6) if cells]
        except Exception:  # a sniff must never raise
            return 0.0
        if not rows:
            return 0.0
        first = norm(rows[0][0])
        keys = {norm(cells[0]) for cells in rows[1:4]}
        if _SECTION_RE.match(first) and keys & {
            "meeting title",
            "attended participants",
            "start time",
            "title",
        }:
            return 0.95
        if first == "meeting summary" and keys & {
            "total number of participants",
            "meeting title",
            "meeting start time",
        }:
            return 0.9
        normalised = {norm(c) for c in rows[0]}
        if {"user action", "timestamp"} <= normalised and normalised & set(_NAME_COLUMNS):
            return 0.9
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Read the summary and the participants; merge each person's rows."""
        rows = read_table(source)
        read = DateReader((cell for _, cells in rows for cell in cells), dayfirst=None)
        for _, cells in rows:
            if not cells:
                continue
            normalised = {norm(c) for c in cells}
            if "user action" in normalised:
                return self._parse_actions(source, rows, read)
            break
        return self._parse_sections(source, rows, read)

    # -- the sectioned report ---------------------------------------------------
    def _parse_sections(self, source: Source, rows: list[Row], read: DateReader) -> Parsed:
        meta: dict = {"date_known": True, "time_base": "clock"}
        skipped: list[Skipped] = []
        people = PeopleMerger()
        sessions: dict[str, int] = {}
        section = "summary"
        header: list[str] | None = None
        at: dict[str, int | None] = {}
        table = ""  # "participants" or "activities"
        found_people = False
        for line, cells in rows:
            if not cells:
                header = None
                continue
            first = norm(cells[0])
            if len(cells) == 1 and (_SECTION_RE.match(first) or first == "meeting summary"):
                section = re.sub(r"^\d{1,2}\.\s+", "", first)
                header = None
                continue
            if header is None and self._is_people_header(cells):
                header = cells
                at = _columns(header)
                table = "activities" if "activit" in section or found_people else "participants"
                found_people = found_people or table == "participants"
                continue
            if header is None:
                if len(cells) >= 2 and self._read_summary(cells, read, meta):
                    continue
                if len(cells) >= 2:
                    meta.setdefault("summary", {})[cells[0]] = cells[1]
                    continue
                skipped.append(Skipped(source.name, line, "not part of the report", cells[0]))
                continue
            name = person_value(cells, at["name"])
            email = person_value(cells, at["email"]) or person_value(cells, at["upn"])
            key = person_key(name, email)
            if not key:
                skipped.append(
                    Skipped(
                        source.name, line, "a row with neither name nor email", "\t".join(cells)
                    )
                )
                continue
            if table == "activities":
                sessions[key] = sessions.get(key, 0) + 1
                continue
            join = read(person_value(cells, at["join"]))
            leave = read(person_value(cells, at["leave"]))
            minutes = parse_duration_minutes(person_value(cells, at["duration"]))
            if minutes is None and join is not None and leave is not None:
                minutes = (leave - join).total_seconds() / 60
            people.add(
                name=name,
                email=email,
                role=teams_role(person_value(cells, at["role"])),
                attended=True,
                join=join,
                leave=leave,
                minutes=minutes,
                sessions=1,
                country="",
                organisation=person_value(cells, at["organisation"]),
            )
        if not found_people:
            raise FormatError(
                f"{source.name}: no participants table found; expected a Teams attendance "
                "list with a header row such as 'Name<TAB>First join<TAB>Last leave<TAB>...'"
            )
        records = people.records()
        if sessions:
            for record in records:
                count = sessions.get(person_key(record[PCol.NAME], record[PCol.EMAIL]))
                if count is None:
                    count = sessions.get(person_key(record[PCol.NAME], ""))
                if count:
                    record[PCol.SESSIONS] = count
        if meta.get("start") and meta.get("end") and "duration_minutes" not in meta:
            meta["duration_minutes"] = (meta["end"] - meta["start"]).total_seconds() / 60
        return Parsed(participants=records, skipped=skipped, meta=meta)

    @staticmethod
    def _is_people_header(cells: Sequence[str]) -> bool:
        normalised = {norm(c) for c in cells}
        return bool(normalised & set(_NAME_COLUMNS)) and bool(
            normalised & (set(_JOIN_COLUMNS) | set(_DURATION_COLUMNS) | set(_EMAIL_COLUMNS))
        )

    @staticmethod
    def _read_summary(cells: Sequence[str], read: DateReader, meta: dict) -> bool:
        key = norm(cells[0]).rstrip(":")
        text = cells[1].strip()
        for field, names in _SUMMARY_KEYS.items():
            if key not in names:
                continue
            if field in ("start", "end"):
                moment = read(text)
                if moment is None:
                    return False
                meta.setdefault(field, moment)
            elif field in ("duration_minutes", "average_attendance_minutes"):
                minutes = parse_duration_minutes(text)
                if minutes is None:
                    return False
                meta.setdefault(field, minutes)
            elif field == "attended_participants":
                number = to_int(text)
                if number is None:
                    return False
                meta.setdefault(field, number)
            else:
                meta.setdefault(field, text)
            return True
        return False

    # -- the Joined/Left table ----------------------------------------------------
    def _parse_actions(self, source: Source, rows: list[Row], read: DateReader) -> Parsed:
        skipped: list[Skipped] = []
        header: list[str] | None = None
        at: dict[str, int | None] = {}
        events: dict[str, list[tuple[datetime, bool, str, str]]] = {}
        order: list[str] = []
        last_seen: datetime | None = None
        for line, cells in rows:
            if not cells:
                continue
            if header is None:
                header = cells
                at = _columns(header)
                continue
            name = person_value(cells, at["name"])
            email = person_value(cells, at["email"])
            action = person_value(cells, at["action"]).lower()
            when = read(person_value(cells, at["timestamp"]))
            key = person_key(name, email)
            joined = action.startswith("join")
            if not key or when is None or not (joined or action.startswith("left")):
                skipped.append(
                    Skipped(
                        source.name,
                        line,
                        "expected name, Joined/Left and a timestamp",
                        "\t".join(cells),
                    )
                )
                continue
            if key not in events:
                events[key] = []
                order.append(key)
            events[key].append((when, joined, name, email))
            last_seen = when if last_seen is None else max(last_seen, when)
        if header is None:
            raise FormatError(f"{source.name}: the file is empty; expected a Teams attendance list")
        people = PeopleMerger()
        for key in order:
            person = sorted(events[key], key=lambda e: e[0])
            minutes = 0.0
            opened: datetime | None = None
            joins = 0
            for when, joined, _, _ in person:
                if joined:
                    joins += 1
                    opened = opened or when
                elif opened is not None:
                    minutes += (when - opened).total_seconds() / 60
                    opened = None
            if opened is not None and last_seen is not None:
                # Still in the meeting when the list was downloaded.
                minutes += (last_seen - opened).total_seconds() / 60
            join_times = [when for when, joined, _, _ in person if joined]
            leave_times = [when for when, joined, _, _ in person if not joined]
            people.add(
                name=person[0][2],
                email=person[0][3],
                role=Role.ATTENDEE,
                attended=True,
                join=min(join_times) if join_times else person[0][0],
                leave=max(leave_times) if leave_times else None,
                minutes=minutes,
                sessions=max(joins, 1),
            )
        meta: dict = {"date_known": True, "time_base": "clock", "report": "actions"}
        moments = [e[0] for key in order for e in events[key]]
        if moments:
            meta["start"] = min(moments)
            meta["end"] = max(moments)
        return Parsed(participants=people.records(), skipped=skipped, meta=meta)
