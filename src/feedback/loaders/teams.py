"""Loader for Microsoft Teams attendance lists ("Download attendance list").

Teams writes the list as UTF-16 text with a BOM, tab separated; people also
re-save it as UTF-8 CSV with ``,`` or ``;``. Three layouts are read (format id
``teams-attendance``), in the organiser's language:

* the 2024+ report with numbered sections: ``1. Summary`` (``key<TAB>value``
  rows: Meeting title, Attended participants, Start time, End time, Meeting
  duration, Average attendance time), ``2. Participants`` (one row per person:
  Name, First join, Last leave, In-meeting duration, Email, Participant ID
  (UPN), Role) and ``3. In-Meeting activities`` (one row per join);
* the 2021+ report with the same sections unnumbered (``Summary``,
  ``Participants``...) or a ``Meeting Summary`` block followed by a
  ``Full Name, Join Time, Leave Time, Duration`` table;
* the 2020 list ``Full Name<TAB>User Action<TAB>Timestamp`` with one
  ``Joined``/``Left`` row per event, from which each person's join, leave and
  minutes are computed.

Section titles, summary keys and headers are translated by Teams. Known words
(:data:`TEAMS_WORDS`, en, pt, fr, pl, de, es, it, nl) are matched first; what is
not known is inferred from the layout: the sections come in a fixed order, and
a column is the join or leave column because it holds dates, the duration
column because it holds durations, the e-mail column because it holds
addresses. So a language not listed still loads.

Names often contain commas (``Goliath, David``), so the delimiter is sniffed
from the whole head of the file. Dates follow the organiser's locale
(``14/11/22, 09:29:07``, ``11/14/2022, 9:29:07 AM``, ``14.11.2022, 09:29:07``)
and durations look like ``1h 2m 3s``, ``2 h 44 m`` or ``2 godz. 18 min 8 s``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from feedback.exceptions import FormatError
from feedback.loaders.base import Loader, LoadOptions, Parsed, Skipped, Source
from feedback.loaders.dates import DateReader, parse_duration_minutes
from feedback.loaders.people import PeopleMerger, person_key
from feedback.loaders.registry import register
from feedback.loaders.tables import (
    TEXT_NAMES,
    Row,
    column,
    head_rows,
    norm,
    person_value,
    read_table,
    to_int,
)
from feedback.schema import PCol, Role

#: Languages whose words are listed below (others are read by layout).
LANGUAGES = ("en", "pt", "fr", "pl", "de", "es", "it", "nl")

_NUMBERED_RE = re.compile(r"^\d{1,2}\.\s*(\S.*)$")

#: The words Teams writes, by what they name (normalised: lower case, single spaces).
TEAMS_WORDS: dict[str, tuple[str, ...]] = {
    # -- section titles
    "summary_section": (
        "summary", "meeting summary", "resumo", "resumo da reunião", "résumé",
        "résumé de la réunion", "podsumowanie", "podsumowanie spotkania", "zusammenfassung",
        "besprechungszusammenfassung", "resumen", "resumen de la reunión", "riepilogo",
        "riepilogo della riunione", "samenvatting", "samenvatting van vergadering",
    ),
    "participants_section": (
        "participants", "participantes", "uczestnicy", "teilnehmer", "teilnehmende",
        "partecipanti", "deelnemers",
    ),
    # -- summary keys
    "title": (
        "meeting title", "title", "meeting name", "título da reunião", "titre de la réunion",
        "tytuł spotkania", "besprechungstitel", "titel der besprechung", "título de la reunión",
        "titolo riunione", "titolo della riunione", "titel van vergadering", "vergadertitel",
    ),
    "start": (
        "start time", "meeting start time", "hora de início", "hora de inicio", "heure de début",
        "godzina rozpoczęcia", "czas rozpoczęcia", "startzeit", "beginnzeit", "ora di inizio",
        "begintijd",
    ),
    "end": (
        "end time", "meeting end time", "hora de término", "hora de fim", "hora de finalización",
        "heure de fin", "godzina zakończenia", "czas zakończenia", "endzeit", "ora di fine",
        "eindtijd",
    ),
    "duration_minutes": (
        "meeting duration", "duração da reunião", "durée de la réunion",
        "czas trwania spotkania", "besprechungsdauer", "dauer der besprechung",
        "duración de la reunión", "durata riunione", "durata della riunione",
        "duur van vergadering", "vergaderduur",
    ),
    "attended_participants": (
        "attended participants", "total number of participants", "total participants",
        "participantes atendidos", "participantes presentes", "participants présents",
        "uczestnicy obecni", "liczba uczestników", "anwesende teilnehmer",
        "teilnehmende personen", "participantes que asistieron", "participantes asistentes",
        "partecipanti presenti", "aanwezige deelnemers", "deelnemers aanwezig",
    ),
    "average_attendance_minutes": (
        "average attendance time", "tempo médio de participação", "tempo médio de presença",
        "durée moyenne de présence", "temps de présence moyen", "średni czas obecności",
        "średni czas uczestnictwa", "durchschnittliche anwesenheitszeit",
        "durchschnittliche teilnahmedauer", "tiempo medio de asistencia",
        "tiempo promedio de asistencia", "tempo medio di partecipazione",
        "tempo medio di presenza", "gemiddelde aanwezigheidstijd", "gemiddelde deelnametijd",
    ),
    # -- columns of the tables of people
    "name": (
        "name", "full name", "participant name", "display name", "nome", "nome completo", "nom",
        "nom complet", "imię i nazwisko", "nazwa", "vollständiger name", "nombre",
        "nombre completo", "nome e cognome", "naam", "volledige naam",
    ),
    "join": (
        "first join", "join time", "first join time", "joined", "primeira entrada",
        "hora de entrada", "primeira participação", "première arrivée", "heure d'arrivée",
        "heure de première arrivée", "pierwsze dołączenie", "godzina dołączenia",
        "czas dołączenia", "erster beitritt", "beitrittszeit", "zeitpunkt des beitritts",
        "primera unión", "primera entrada", "hora de unión", "primo ingresso",
        "ora di ingresso", "primo accesso", "ora di accesso", "eerste deelname",
        "tijdstip van deelname", "deelnametijd",
    ),
    "leave": (
        "last leave", "leave time", "last leave time", "left", "última saída", "hora de saída",
        "dernier départ", "heure de départ", "heure de dernier départ", "ostatnie opuszczenie",
        "godzina opuszczenia", "czas opuszczenia", "letztes verlassen",
        "zeitpunkt des verlassens", "verlassenszeit", "última salida", "hora de salida",
        "ultima uscita", "ora di uscita", "laatste vertrek", "tijdstip van vertrek",
        "vertrektijd",
    ),
    "duration": (
        "in-meeting duration", "duration", "attendance duration", "time in meeting",
        "duração na reunião", "duração", "durée dans la réunion", "durée",
        "czas trwania w spotkaniu", "czas w spotkaniu", "czas trwania",
        "dauer in der besprechung", "dauer", "duración en la reunión", "duración",
        "durata nella riunione", "durata", "duur in vergadering", "duur",
    ),
    "email": (
        "email", "e-mail", "email address", "e-mail address", "endereço de email",
        "endereço de e-mail", "adresse e-mail", "adresse de messagerie", "adres e-mail",
        "e-mail-adresse", "correo electrónico", "indirizzo di posta elettronica",
        "posta elettronica", "e-mailadres",
    ),
    "role": ("role", "função", "papel", "rôle", "rola", "rolle", "rol", "ruolo"),
    "organisation": ("organisation", "organization", "company"),
    # -- the 2020 list
    "action": (
        "user action", "action", "ação do usuário", "atividade do usuário",
        "action de l'utilisateur", "akcja użytkownika", "benutzeraktion", "acción del usuario",
        "azione utente", "azione dell'utente", "gebruikersactie",
    ),
    "timestamp": (
        "timestamp", "time", "carimbo de data/hora", "horodatage", "sygnatura czasowa",
        "znacznik czasu", "zeitstempel", "marca de tiempo", "marca de hora", "tijdstempel",
        "data e ora",
    ),
}  # fmt: skip

#: How a 2020 list says "joined" and "left" (the start of the normalised value).
_JOINED = (
    "join", "ingress", "entrou", "a rejoint", "rejoint", "dołącz", "beigetreten", "unido",
    "se unió", "partecip", "accesso", "deelgenomen", "neemt deel",
)  # fmt: skip
_LEFT = (
    "left", "saiu", "a quitté", "quitt", "opuści", "verlassen", "salió", "abandon", "uscit",
    "ha abbandonato", "vertrokken", "verlaten",
)  # fmt: skip

_ORGANISER_WORDS = ("organi", "organis", "organiz", "organizad", "organizzat")
_PRESENTER_WORDS = ("present", "speaker", "referent", "apresent", "prezent", "prowadz", "relator")

_PERSON_FIELDS = ("name", "join", "leave", "duration", "email", "role", "organisation")


def _is(text: str, what: str) -> bool:
    return norm(text).rstrip(":") in TEAMS_WORDS[what]


def teams_role(text: str) -> str:
    """Map a Teams role (``Organizer``, ``Co-organizer``, ``Presenter``...) to a :class:`Role`."""
    text = unicodedata.normalize("NFKD", (text or "").strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    if any(word in text for word in _ORGANISER_WORDS):
        return Role.ORGANISER
    if any(word in text for word in _PRESENTER_WORDS):
        return Role.PRESENTER
    return Role.ATTENDEE


def _looks_like_action_list(rows: Sequence[Sequence[str]], read: DateReader) -> bool:
    """A 2020 list in any language: three columns, the last a date, the middle few words."""
    if len(rows) < 3 or len(rows[0]) != 3 or read(rows[0][2]) is not None:
        return False
    data = rows[1:9]
    if len(data) < 3 or any(len(cells) != 3 or read(cells[2]) is None for cells in data):
        return False
    actions = [norm(cells[1]) for cells in data]
    if any(len(a) > 30 or any(c.isdigit() for c in a) for a in actions):
        return False
    if norm(rows[0][1]) in TEXT_NAMES or len({norm(cells[0]) for cells in data}) == len(data):
        return False  # a table of messages, or nobody with two events
    return len(set(actions)) <= min(3, len(data) - 1)  # a few words, repeated


def _action_words(rows: Sequence[Sequence[str]], at: dict[str, int | None]):
    """How this list says joined/left: the known words, else learned from the events.

    When no value is a known word, the value that most people's first event has
    is "joined" and the other most common value is "left".
    """
    values = [norm(person_value(cells, at["action"])) for cells in rows]
    if any(_action(v) for v in values):
        return _action
    firsts: Counter[str] = Counter()
    seen: set[str] = set()
    for cells, value in zip(rows, values, strict=True):
        who = norm(person_value(cells, at["name"]))
        if who and who not in seen:
            seen.add(who)
            firsts[value] += 1
    if not firsts:
        return _action
    joined = firsts.most_common(1)[0][0]
    others = Counter(v for v in values if v != joined)
    left = others.most_common(1)[0][0] if others else ""

    def learned(text: str) -> str:
        key = norm(text)
        return "join" if key == joined else "leave" if key == left and key else ""

    return learned


def _action(text: str) -> str:
    """``"join"``, ``"leave"`` or ``""`` for a 2020 list's User Action cell."""
    key = norm(text)
    if key.startswith(_JOINED):
        return "join"
    if key.startswith(_LEFT):
        return "leave"
    return ""


@dataclass
class _Table:
    """One table of people: its section, header and data rows."""

    section: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)


def _person_columns(table: _Table, read: DateReader) -> dict[str, int | None]:
    """Where each field is: by the header's words, else by what the columns hold."""
    at: dict[str, int | None] = {
        key: column(table.header, *TEAMS_WORDS[key]) for key in _PERSON_FIELDS
    }
    at["upn"] = next((i for i, h in enumerate(table.header) if "upn" in norm(h)), None)
    taken = {i for i in at.values() if i is not None}
    width = len(table.header)

    def share(index: int, test) -> float:
        values = [cells[index] for _, cells in table.rows if index < len(cells) and cells[index]]
        return sum(1 for v in values if test(v)) / len(values) if values else 0.0

    free = [i for i in range(width) if i not in taken]
    dates = [i for i in free if share(i, lambda v: read(v) is not None) > 0.8]
    if at["join"] is None and dates:
        at["join"] = dates.pop(0)
    if at["leave"] is None and dates:
        at["leave"] = dates.pop(0)
    free = [i for i in range(width) if i not in {j for j in at.values() if j is not None}]
    if at["duration"] is None:
        at["duration"] = next(
            (i for i in free if share(i, lambda v: parse_duration_minutes(v) is not None) > 0.8),
            None,
        )
    if at["email"] is None:
        at["email"] = next((i for i in free if share(i, lambda v: "@" in v) > 0.5), None)
    if at["name"] is None and 0 not in {j for j in at.values() if j is not None}:
        at["name"] = 0
    if at["role"] is None:
        free = [i for i in range(width) if i not in {j for j in at.values() if j is not None}]
        at["role"] = next(
            (i for i in free if share(i, lambda v: teams_role(v) != Role.ATTENDEE) > 0), None
        )
    return at


@register
class TeamsAttendance(Loader):
    """Microsoft Teams attendance list: participants only."""

    format_id = "teams-attendance"
    description = "Microsoft Teams attendance list (UTF-16 tab separated, or re-saved CSV)"
    recognised_by = (
        "a '1. Summary' section of key/value rows, a 'Summary' or 'Meeting Summary' block "
        "(titles in any language), or a 'Full Name<TAB>User Action<TAB>Timestamp' header"
    )
    family = "report"
    extensions = (".csv", ".tsv", ".txt", ".xlsx")
    layouts = (
        "2024+ report with numbered sections (1. Summary, 2. Participants, "
        "3. In-Meeting Activities)",
        "2021+ report with sections (Summary / Meeting Summary, Participants, activities)",
        "2020 list (Full Name, User Action, Timestamp)",
    )
    languages = LANGUAGES

    @classmethod
    def sniff(cls, source: Source) -> float:
        """Recognise the summary section or the Joined/Left header at the top."""
        try:
            rows = [cells for cells in head_rows(source, 8) if cells]
        except Exception:  # a sniff must never raise
            return 0.0
        if len(rows) < 2:
            return 0.0
        read = DateReader(c for cells in rows for c in cells)
        first = rows[0]
        pairs = [cells for cells in rows[1:5] if len(cells) == 2]
        facts = sum(
            1
            for _, text in pairs
            if read(text) is not None or parse_duration_minutes(text) is not None
        )
        if len(first) == 1 and len(pairs) >= 2:
            numbered = _NUMBERED_RE.match(norm(first[0]))
            if numbered and (facts or any(_is(key, "title") for key, _ in pairs)):
                return 0.95
            if _is(first[0], "summary_section") and (
                facts or any(_is(key, "title") for key, _ in pairs)
            ):
                return 0.9
        if len(first) >= 3 and _is(first[0], "name") and any(_is(c, "action") for c in first):
            return 0.9
        if _looks_like_action_list(rows, read):
            return 0.8
        if len(first) == 1 and len(pairs) >= 2 and facts >= 2 and len(first[0]) < 60:
            return 0.7  # an unnumbered summary section titled in a language not listed
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Read the summary and the participants; merge each person's rows."""
        rows = read_table(source)
        read = DateReader((cell for _, cells in rows for cell in cells), dayfirst=None)
        for _, cells in rows:
            if not cells:
                continue
            if len(cells) >= 3 and any(_is(c, "action") for c in cells):
                return self._parse_actions(source, rows, read)
            break
        if _looks_like_action_list([cells for _, cells in rows[:12] if cells], read):
            return self._parse_actions(source, rows, read)
        return self._parse_sections(source, rows, read)

    # -- the sectioned report ---------------------------------------------------
    def _parse_sections(self, source: Source, rows: list[Row], read: DateReader) -> Parsed:
        meta: dict = {"date_known": True, "time_base": "clock"}
        skipped: list[Skipped] = []
        tables: list[_Table] = []
        section = "summary"
        sections_seen = 0
        table: _Table | None = None
        for line, cells in rows:
            if not cells:
                table = None
                continue
            if len(cells) == 1 and self._is_section_title(cells[0], table):
                sections_seen += 1
                section = self._section_kind(cells[0], sections_seen, tables)
                table = None
                continue
            if table is None and (len(cells) >= 3 or section != "summary"):
                table = _Table(section if section != "summary" else "participants", cells)
                tables.append(table)
                continue
            if table is not None:
                table.rows.append((line, cells))
                continue
            if len(cells) >= 2:
                self._read_summary(cells, read, meta)
                continue
            skipped.append(Skipped(source.name, line, "not part of the report", cells[0]))
        people_tables = [t for t in tables if t.section == "participants"]
        if not people_tables:
            raise FormatError(
                f"{source.name}: no participants table found; expected a Teams attendance "
                "list with a header row such as 'Name<TAB>First join<TAB>Last leave<TAB>...'"
            )
        people = PeopleMerger()
        for people_table in people_tables:
            self._add_people(source, people_table, read, people, skipped)
        sessions: Counter[str] = Counter()
        for activity_table in (t for t in tables if t.section == "activities"):
            at = _person_columns(activity_table, read)
            for _, cells in activity_table.rows:
                key = self._key(cells, at)
                if key:
                    sessions[key] += 1
        records = people.records()
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
    def _is_section_title(text: str, table: _Table | None) -> bool:
        """A one-cell row that opens a section: numbered, a known title, or outside a table."""
        key = norm(text)
        if _NUMBERED_RE.match(key) and not re.match(r"^\d{1,2}\.\d", key):
            return True
        if key in TEAMS_WORDS["summary_section"] or key in TEAMS_WORDS["participants_section"]:
            return True
        return table is None and len(key) < 60 and not any(c.isdigit() for c in key)

    @staticmethod
    def _section_kind(text: str, number: int, tables: list[_Table]) -> str:
        """``summary``, ``participants`` or ``activities``: by its words, else by its place."""
        key = norm(text)
        numbered = _NUMBERED_RE.match(key)
        title = numbered[1] if numbered else key
        if title in TEAMS_WORDS["summary_section"]:
            return "summary"
        if title in TEAMS_WORDS["participants_section"]:
            return "participants"
        if numbered:
            place = int(key.split(".", 1)[0])
            return {1: "summary", 2: "participants"}.get(place, "activities")
        if any(t.section == "participants" for t in tables):
            return "activities"
        return "summary" if number == 1 else "participants"

    @staticmethod
    def _read_summary(cells: Sequence[str], read: DateReader, meta: dict) -> None:
        """One ``key<TAB>value`` row: by its key's words, else by what the value is."""
        key, text = cells[0], cells[1].strip()
        field_name = next((f for f in _SUMMARY_FIELDS if _is(key, f)), None)
        moment = read(text)
        minutes = parse_duration_minutes(text) if moment is None else None
        if field_name is None:
            if moment is not None:
                field_name = "start" if "start" not in meta else "end"
            elif minutes is not None and not text.isdigit():
                field_name = (
                    "duration_minutes"
                    if "duration_minutes" not in meta
                    else "average_attendance_minutes"
                )
            elif to_int(text) is not None and "attended_participants" not in meta:
                field_name = "attended_participants"
            elif "title" not in meta and not meta.get("summary"):
                field_name = "title"
        if field_name in ("start", "end") and moment is not None:
            meta.setdefault(field_name, moment)
        elif field_name in ("duration_minutes", "average_attendance_minutes") and minutes:
            meta.setdefault(field_name, minutes)
        elif field_name == "attended_participants" and to_int(text) is not None:
            meta.setdefault(field_name, to_int(text))
        elif field_name == "title":
            meta.setdefault("title", text)
        else:
            meta.setdefault("summary", {})[key] = text

    @staticmethod
    def _key(cells: Sequence[str], at: dict[str, int | None]) -> str:
        email = person_value(cells, at["email"]) or person_value(cells, at["upn"])
        return person_key(person_value(cells, at["name"]), email)

    def _add_people(
        self,
        source: Source,
        table: _Table,
        read: DateReader,
        people: PeopleMerger,
        skipped: list[Skipped],
    ) -> None:
        at = _person_columns(table, read)
        for line, cells in table.rows:
            name = person_value(cells, at["name"])
            email = person_value(cells, at["email"]) or person_value(cells, at["upn"])
            if not person_key(name, email):
                skipped.append(
                    Skipped(
                        source.name, line, "a row with neither name nor email", "\t".join(cells)
                    )
                )
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
                at = {key: column(header, *TEAMS_WORDS[key]) for key in _ACTION_FIELDS}
                # A language not listed: Full Name, User Action, Timestamp in that order.
                for key, index in (("name", 0), ("action", 1), ("timestamp", 2)):
                    if at[key] is None and index not in at.values():
                        at[key] = index
                actions = _action_words([r for _, r in rows if r and r is not header], at)
                continue
            name = person_value(cells, at["name"])
            email = person_value(cells, at["email"])
            action = actions(person_value(cells, at["action"]))
            when = read(person_value(cells, at["timestamp"]))
            key = person_key(name, email)
            if not key or when is None or not action:
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
            events[key].append((when, action == "join", name, email))
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


_SUMMARY_FIELDS = (
    "title",
    "start",
    "end",
    "duration_minutes",
    "attended_participants",
    "average_attendance_minutes",
)
_ACTION_FIELDS = ("name", "email", "action", "timestamp")
