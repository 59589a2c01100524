"""The one toolkit for tabular exports: rows, cells, headers and columns.

Loaders of CSV, tab-separated and Excel exports read their rows with
:func:`read_table` (or :func:`table_head` in a ``sniff``), find columns by
their normalised header text with :func:`column` and read cells with
:func:`value`, :func:`person_value` or :func:`cell_at`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from feedback.exceptions import FormatError
from feedback.loaders.dates import PLACEHOLDERS
from feedback.loaders.source import is_separator_line

if TYPE_CHECKING:
    from feedback.loaders.source import Source

#: A table row: the 1-based line it starts on and its cells.
Row = tuple[int, list[str]]


#: Header names of a plain table's text column, in order of preference.
TEXT_NAMES = (
    "text", "comment", "comments", "message", "messages", "feedback", "response", "responses",
    "answer", "answers", "body", "content",
)  # fmt: skip
#: Header names of a plain table's author column, in order of preference.
AUTHOR_NAMES = (
    "author", "name", "sender", "from", "user", "participant", "user name", "username",
    "display name", "speaker",
)  # fmt: skip
#: Header names of a plain table's time column, in order of preference.
TIME_NAMES = (
    "timestamp", "time", "date", "datetime", "date time", "created", "created_at", "created at",
)  # fmt: skip

#: Characters of a text file looked at by :func:`table_head`.
_HEAD_CHARS = 65_536


def read_table(source: Source) -> list[Row]:
    """Read a report as rows of stripped cells, each with the line it starts on.

    Cells are stripped of spaces and of U+FEFF; trailing empty cells (Zoom pads
    rows with commas) are dropped, so a blank row is ``[]``. For workbooks the
    number is the sheet row.

    Parameters
    ----------
    source : Source
        A CSV or tab-separated text file, or an Excel workbook.

    Returns
    -------
    list of (int, list of str)

    Raises
    ------
    FormatError
        When the text is not a readable CSV table.
    """
    if source.is_xlsx:
        return [(number, clean_cells(row)) for number, row in enumerate(source.rows, start=1)]
    text = source.text
    delimiter = source.delimiter
    try:
        return _csv_rows(text, delimiter, newline="\n")
    except csv.Error:
        pass
    try:
        # A bare CR outside quotes: read it as a line break.
        return _csv_rows(text, delimiter, newline="")
    except csv.Error as error:
        raise FormatError(f"{source.name}: not a readable CSV table ({error})") from None


def _csv_rows(text: str, delimiter: str, *, newline: str) -> list[Row]:
    reader = csv.reader(
        io.StringIO(text, newline=newline),
        delimiter=delimiter,
        skipinitialspace=delimiter == ",",
    )
    out: list[Row] = []
    previous = 0
    for row in reader:
        out.append((previous + 1, clean_cells(row)))
        previous = reader.line_num
    if out and is_separator_line(out[0][1]):
        out[0] = (1, [])
    return out


def clean_cells(row: Sequence[str]) -> list[str]:
    """Strip each cell (spaces, quotes left by odd quoting, U+FEFF) and drop trailing empties."""
    cells = [str(c).replace("\ufeff", "").strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def head_rows(source: Source, n: int = 12) -> list[list[str]]:
    """The first ``n`` lines of ``source`` split into cells (cheap; for ``sniff``)."""
    lines = source.head(n)
    if not lines:
        return []
    delimiter = "," if source.is_xlsx else source.delimiter
    try:
        reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=delimiter == ",")
        rows = [clean_cells(row) for row in reader]
    except csv.Error:
        return []
    return rows[1:] if rows and is_separator_line(rows[0]) else rows


def first_title(rows: Sequence[Sequence[str]]) -> str:
    """The normalised first cell of the first non-empty row (``""`` when none)."""
    for cells in rows:
        if cells:
            return english(cells[0].strip('"')).rstrip(":,").strip()
    return ""


def norm(text: str) -> str:
    """Normalise a header cell: lower case, single spaces, no BOM (a fast ``norm_header``)."""
    return " ".join(str(text).replace("\ufeff", "").lower().split())


#: Translated headers of Zoom's web-portal reports (ja, es, fr, de, pt), by the English
#: header they stand for. Keys and values are normalised as :func:`english` does
#: (NFKC, so full-width brackets are ASCII; lower case).
HEADER_TRANSLATIONS: dict[str, tuple[str, ...]] = {
    "name (original name)": (
        "名前(元の名前)", "nombre (nombre original)", "nom (nom original)",
        "name (ursprünglicher name)", "nome (nome original)",
    ),
    "user name (original name)": (
        "ユーザー名(元の名前)", "nombre de usuario (nombre original)",
        "nom d'utilisateur (nom original)", "benutzername (ursprünglicher name)",
        "nome de usuário (nome original)", "nome do usuário (nome original)",
    ),
    "user name": ("ユーザー名", "nombre de usuario", "nom d'utilisateur", "benutzername",
                  "nome de usuário", "nome do usuário"),
    "user email": (
        "ユーザーのメール", "ユーザーメール", "correo electrónico del usuario",
        "e-mail de l'utilisateur", "adresse e-mail de l'utilisateur", "e-mail des benutzers",
        "benutzer-e-mail", "e-mail do usuário", "email do usuário",
    ),
    "email": ("メール", "メールアドレス", "correo electrónico", "e-mail", "adresse e-mail",
              "e-mail-adresse"),
    "email address": ("電子メールアドレス", "dirección de correo electrónico",
                      "endereço de e-mail", "endereço de email"),
    "join time": ("参加時間", "hora de ingreso", "hora de unión", "heure d'arrivée",
                  "heure de connexion", "beitrittszeit", "zeitpunkt des beitritts",
                  "hora de entrada"),
    "leave time": ("退出時間", "hora de salida", "heure de départ", "heure de déconnexion",
                   "zeitpunkt des verlassens", "verlassenszeit", "hora de saída"),
    "duration (minutes)": ("期間(分)", "duración (minutos)", "durée (minutes)",
                           "dauer (minuten)", "duração (minutos)"),
    "total duration (minutes)": ("合計期間(分)", "duración total (minutos)",
                                 "durée totale (minutes)", "gesamtdauer (minuten)",
                                 "duração total (minutos)"),
    "guest": ("ゲスト", "invitado", "invité", "gast", "convidado"),
    "is guest": ("ゲストである", "es invitado", "est un invité", "ist gast", "é convidado"),
    "in waiting room": ("待機室", "en la sala de espera", "en salle d'attente",
                        "im warteraum", "na sala de espera"),
    "meeting id": ("ミーティングid", "id de reunión", "id de la reunión", "id de réunion",
                   "meeting-id", "id da reunião"),
    "webinar id": ("ウェビナーid", "id del seminario web", "id del webinar", "id du webinaire",
                   "webinar-id", "id do webinar"),
    "topic": ("トピック", "tema", "sujet", "thema", "tópico"),
    "start time": ("開始時間", "hora de inicio", "heure de début", "startzeit",
                   "hora de início"),
    "end time": ("終了時間", "hora de finalización", "heure de fin", "endzeit",
                 "hora de término"),
    "actual start time": ("実際の開始時間", "hora de inicio real", "heure de début réelle",
                          "tatsächliche startzeit", "hora de início real"),
    "actual duration (minutes)": ("実際の期間(分)", "duración real (minutos)",
                                  "durée réelle (minutes)", "tatsächliche dauer (minuten)",
                                  "duração real (minutos)"),
    "participants": ("参加者", "participantes", "teilnehmer"),
    "attended": ("出席済み", "出席", "asistió", "a participé", "teilgenommen", "compareceu"),
    "time in session (minutes)": ("セッション時間(分)", "tiempo en la sesión (minutos)",
                                  "temps passé dans la session (minutes)",
                                  "zeit in der sitzung (minuten)", "tempo na sessão (minutos)"),
    "country/region name": ("国/地域名", "nombre del país/región", "nom du pays/de la région",
                            "name des landes/der region", "nome do país/região"),
    "registration time": ("登録時間", "hora de registro", "heure d'inscription",
                          "registrierungszeit", "hora de inscrição"),
    "approval status": ("承認ステータス", "estado de aprobación", "statut d'approbation",
                        "genehmigungsstatus", "status de aprovação"),
    "first name": ("名", "prénom", "vorname", "primeiro nome"),
    "last name": ("姓", "apellido", "apellidos", "nachname", "sobrenome"),
    "host details": ("ホストの詳細", "detalles del anfitrión", "détails de l'hôte",
                     "host-details", "details zum host", "detalhes do anfitrião"),
    "panelist details": ("パネリストの詳細", "detalles del panelista", "détails du panéliste",
                         "details zum diskussionsteilnehmer", "detalhes do painelista"),
    "attendee details": ("出席者の詳細", "detalles del asistente", "détails du participant",
                         "teilnehmerdetails", "detalhes do participante"),
    "attendee report": ("出席者レポート", "informe de asistentes", "rapport des participants",
                        "teilnehmerbericht", "relatório de participantes"),
    "report generated": ("レポート生成日時", "レポート作成日時", "informe generado",
                         "rapport généré", "bericht erstellt", "relatório gerado"),
    "poll report": ("投票レポート", "informe de encuestas", "rapport de sondage",
                    "umfragebericht", "relatório de enquetes"),
    "submitted date/time": ("送信日時", "fecha/hora de envío", "date/heure de soumission",
                            "übermittlungsdatum/-zeit", "data/hora do envio"),
}  # fmt: skip

_ENGLISH = {
    unicodedata.normalize("NFKC", translated): english
    for english, translations in HEADER_TRANSLATIONS.items()
    for translated in translations
}


@lru_cache(maxsize=8192)
def english(text: str) -> str:
    """A header cell normalised (NFKC, lower case, single spaces) and put in English.

    Headers of translated exports are mapped to the English header they stand for
    (:data:`HEADER_TRANSLATIONS`); anything else is only normalised.

    Examples
    --------
    >>> english("名前（元の名前）")
    'name (original name)'
    >>> english("  Join   Time ")
    'join time'
    """
    key = norm(unicodedata.normalize("NFKC", str(text)))
    found = _ENGLISH.get(key)
    if found is None and key.endswith(":"):
        found = _ENGLISH.get(key.rstrip(":").strip())
    return key if found is None else found


def may_be_header(cells: Sequence[str], vocabulary: frozenset[str]) -> bool:
    """Cheap test run on every row: does any cell (normalised, in English) name a known column?"""
    return not vocabulary.isdisjoint(english(c) for c in cells if len(c) < 80)


def value(cells: Sequence[str], index: int | None) -> str:
    """The cell at ``index`` (``""`` when the row is short or the column is absent)."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def person_value(cells: Sequence[str], index: int | None) -> str:
    """Like :func:`value`, with placeholders (``--``, ``NA``) read as empty."""
    text = value(cells, index)
    return "" if text.lower() in PLACEHOLDERS else text


def column(header: Sequence[str], *names: str, exclude: Iterable[int] = ()) -> int | None:
    """Index of the header cell named by the first of ``names`` found (as written, or in English).

    Header cells are normalised (:func:`norm`); a translated Zoom header also
    matches the English name it stands for (:func:`english`). Columns in
    ``exclude`` (already taken) are passed over.

    Examples
    --------
    >>> column(["Name", "Comment", "comment"], "text", "comment", exclude={1})
    2
    """
    skip = set(exclude)
    normalised = [norm(h) for h in header]
    translated = [english(h) for h in header]
    for name in names:
        for index, (plain, english_name) in enumerate(zip(normalised, translated, strict=True)):
            if index not in skip and name in (plain, english_name):
                return index
    return None


def column_matching(header: Sequence[str], pattern: str) -> int | None:
    """Index of the first header cell whose normalised text matches ``pattern``."""
    regex = re.compile(pattern)
    for index, cell in enumerate(header):
        if regex.search(norm(cell)) or regex.search(english(cell)):
            return index
    return None


def to_number(text: str) -> float | None:
    """Read a count or a number of minutes; ``None`` for placeholders and non-numbers."""
    text = (text or "").strip().strip('"').strip()
    if text.lower() in PLACEHOLDERS:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    text = text.replace(",", ".").replace(" ", "")
    try:
        return float(text)
    except ValueError:
        return None


def to_int(text: str) -> int | None:
    """Like :func:`to_number`, as a whole number."""
    number = to_number(text)
    return None if number is None else round(number)


def table_head(source: Source, n: int = 5) -> list[list[str]]:
    """Return the first ``n`` rows of a CSV/TSV or workbook, cheaply; never raise.

    Parameters
    ----------
    source : Source
        The file.
    n : int
        Number of rows wanted.

    Returns
    -------
    list of list of str
        Rows as read by a real CSV parser (so quoted cells may span lines);
        an empty list for files that are not tables.
    """
    try:
        if source.is_xlsx:
            return [list(row) for row in source.rows[:n]]
        if source.is_binary:
            return []
        text = source.text[:_HEAD_CHARS]
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter)
        rows: list[list[str]] = []
        for row in reader:
            if not rows and is_separator_line(row):
                continue
            rows.append(list(row))
            if len(rows) >= n:
                break
        return rows
    except Exception:  # a sniff must never raise, whatever the bytes
        return []


def clean_cell(value: object) -> str:
    """A cell as text: ``\\r\\n`` made ``\\n``, BOM and surrounding spaces removed."""
    if value is None:
        return ""
    return str(value).replace("\ufeff", "").replace("\r\n", "\n").strip()


def cell_at(row: Sequence[str], index: int | None) -> str:
    """The cleaned cell ``index`` of ``row`` (``""`` when the row is shorter)."""
    if index is None or index >= len(row):
        return ""
    return clean_cell(row[index])


def unique_names(names: Sequence[str]) -> list[str]:
    """Make names unique by adding `` (2)``, `` (3)``... to repeats."""
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def norm_header(value: str) -> str:
    """Normalise a header cell for matching: lower case, single spaces, no BOM."""
    return re.sub(r"\s+", " ", str(value).replace("\ufeff", "")).strip().lower()
