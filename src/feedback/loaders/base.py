"""Shared machinery of the loaders: reading a file, the loader contract, the result.

A loader is a subclass of :class:`Loader` that says how to recognise its files
(:meth:`Loader.sniff`) and how to parse one (:meth:`Loader.parse`). The base
class turns what ``parse`` returns into the canonical items and participants
tables, numbers the items, counts skipped lines and enforces ``strict`` mode.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from feedback.exceptions import FormatError, ParseError

if TYPE_CHECKING:
    import pandas as pd

#: A date is taken from a Zoom recording folder name: ``2026-03-12 10.00.00 Topic``.
FOLDER_DATE_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[ _T](?P<time>\d{2}[.:]\d{2}[.:]\d{2}))?"
)
#: Zoom cloud recordings: ``GMT20200924-113516_Topic...``.
GMT_NAME_RE = re.compile(r"GMT(?P<date>\d{8})-(?P<time>\d{6})")

#: Date used when a chat gives only times of day and no date can be found.
UNKNOWN_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class Skipped:
    """A line (or row) that a loader could not place.

    Attributes
    ----------
    source : str
        File name.
    line : int
        1-based line (text files) or row (spreadsheets) number.
    reason : str
        What was expected there.
    text : str
        The start of the line, for the summary.
    """

    source: str
    line: int
    reason: str
    text: str = ""

    def describe(self) -> str:
        """Return ``file:line: reason: 'text'`` for messages and summaries."""
        snippet = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.source}:{self.line}: {self.reason}: {snippet!r}"


@dataclass
class LoadOptions:
    """Options that apply to every loader.

    Attributes
    ----------
    date : datetime.date, optional
        Date of the webinar, for chats that only give times of day.
    text_column, author_column, time_column : str, optional
        Column names for generic CSV/Excel files whose columns are not obvious.
    strict : bool
        Raise :class:`~feedback.exceptions.ParseError` on the first line a
        parser cannot place, instead of counting it.
    webinar : str, optional
        Name of the webinar the file belongs to (default: folder or file stem).
    panelist_messages : {"include", "exclude"}
        Webinar chat messages sent to the panel ("to All Panelists") are public
        comments by default; ``"exclude"`` treats them like private messages.
    """

    date: date | None = None
    text_column: str | None = None
    author_column: str | None = None
    time_column: str | None = None
    strict: bool = False
    webinar: str | None = None
    panelist_messages: str = "include"


class Source:
    """A file to load: its bytes, decoded text and lines, read once and cached.

    A loader that has taken what it needs may call :meth:`release` to let the
    big copies go; they are read again if anything asks for them later.

    Parameters
    ----------
    path : str or Path
        The file. It is only ever read.
    data : bytes, optional
        The file's bytes, when already in memory (tests, fuzzing).
    """

    def __init__(self, path: str | Path, data: bytes | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._data = data

    # -- raw bytes -----------------------------------------------------------------
    @cached_property
    def data(self) -> bytes:
        """The file's bytes."""
        if self._data is not None:
            return self._data
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise FormatError(f"{self.path}: cannot read the file ({error.strerror})") from None

    @property
    def suffix(self) -> str:
        """Lower-case file extension, with the dot (``.csv``)."""
        return self.path.suffix.lower()

    @cached_property
    def is_xlsx(self) -> bool:
        """True when the bytes are an Excel workbook (a zip with ``xl/``)."""
        if not self.data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                return any(name.startswith("xl/") for name in archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False

    @cached_property
    def is_binary(self) -> bool:
        """True for files that are not text (and not UTF-16 text)."""
        if self.is_xlsx:
            return True
        head = self.data[:4096]
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
            return False
        if b"\x00" in head:
            return True
        controls = sum(1 for b in head if b < 9 or (13 < b < 32 and b != 27))
        return bool(head) and controls / len(head) > 0.05

    # -- text ----------------------------------------------------------------------
    @cached_property
    def encoding(self) -> str:
        """The encoding used to decode the file."""
        return self._decoded[1]

    @cached_property
    def text(self) -> str:
        """The decoded text, BOM removed, line endings untouched.

        Raises
        ------
        FormatError
            For workbooks and binary files, which have no text.
        """
        return self._decoded[0]

    @cached_property
    def _decoded(self) -> tuple[str, str]:
        """``(text, encoding)``, decoded once for both properties."""
        if self.is_binary:
            raise FormatError(f"{self.name}: this is a binary file, not text")
        return decode_bytes(self.data, self.name)

    @cached_property
    def lines(self) -> list[str]:
        """Lines split on ``\\r\\n`` and ``\\n`` only.

        A bare ``\\r`` and U+2028 stay inside the line: Zoom writes them for line
        breaks inside one message. (``str.splitlines`` would split on them.)
        """
        return split_lines(self.text)

    def _text_head(self, n: int) -> list[str]:
        """``self.lines[:n]``, without splitting the whole file when it is big."""
        if n <= 0 or "lines" in self.__dict__:
            return self.lines[:n]
        text = self.text
        end = -1
        for _ in range(n):
            end = text.find("\n", end + 1)
            if end < 0:
                return self.lines[:n]
        return split_lines(text[: end + 1])

    def head(self, n: int = 5) -> list[str]:
        """Return the first ``n`` lines (rows of the first sheet for workbooks)."""
        if self.is_xlsx:
            try:
                return [",".join("" if c is None else str(c) for c in row) for row in self.rows[:n]]
            except FormatError:
                return []
        if self.is_binary:
            return [repr(self.data[:60])]
        try:
            return self._text_head(n)
        except FormatError:
            return []

    def release(self) -> None:
        """Forget the bytes, text, lines and rows read so far, to free their memory.

        Everything else (encoding, binary checks, dates) stays; the forgotten
        values are read again if they are asked for later.
        """
        cache = self.__dict__
        if "_decoded" in cache:
            cache.setdefault("encoding", cache["_decoded"][1])
        for name in ("data", "_decoded", "text", "lines", "rows"):
            cache.pop(name, None)

    @cached_property
    def id_stem(self) -> str:
        """The file stem as used in item ids: lower case, runs of other characters as ``-``."""
        return re.sub(r"[^A-Za-z0-9]+", "-", self.path.stem).strip("-").lower() or "file"

    # -- tables --------------------------------------------------------------------
    @cached_property
    def delimiter(self) -> str:
        """The CSV delimiter: tab when the first lines hold more tabs than commas."""
        sample = "\n".join(self._text_head(20))
        tabs, commas, semis = sample.count("\t"), sample.count(","), sample.count(";")
        if tabs > commas and tabs >= semis:
            return "\t"
        if semis > commas * 2:
            return ";"
        return ","

    @cached_property
    def rows(self) -> list[list[str]]:
        """All rows of the table: CSV rows, or the first sheet of a workbook.

        Cells are strings; empty cells are ``""``. Workbook dates become ISO
        strings (``2026-03-12 10:00:00``).
        """
        if self.is_xlsx:
            return read_xlsx_rows(self.data, self.name)
        text = self.text
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        try:
            return [list(row) for row in reader]
        except csv.Error as error:
            raise FormatError(f"{self.name}: not a readable CSV table ({error})") from None

    # -- dates ---------------------------------------------------------------------
    @cached_property
    def date_hint(self) -> datetime | None:
        """A date (and maybe time) read from the file's folder or file name."""
        match = GMT_NAME_RE.search(self.name)
        if match:
            return datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M%S")
        for part in [self.path.stem, *reversed(self.path.parent.parts)]:
            match = FOLDER_DATE_RE.search(part)
            if match:
                try:
                    day = datetime.strptime(match["date"], "%Y-%m-%d")
                except ValueError:
                    continue
                if match["time"]:
                    hh, mm, ss = re.split(r"[.:]", match["time"])
                    return day.replace(hour=int(hh), minute=int(mm), second=int(ss))
                return day
        return None


def split_lines(text: str) -> list[str]:
    """Split ``text`` into lines on ``\\r\\n`` and ``\\n`` only (see :attr:`Source.lines`).

    A final empty line (after the last line break) is dropped. Unlike
    ``text.replace("\\r\\n", "\\n").split("\\n")`` this makes no copy of the text.

    Examples
    --------
    >>> split_lines("a\\r\\nb\\rc\\n")
    ['a', 'b\\rc']
    """
    if not text:
        return []
    lines = text.split("\n")
    if "\r" in text:
        tail = lines[-1]  # not followed by a line break: keeps its CR
        lines = [line[:-1] if line[-1:] == "\r" else line for line in lines]
        lines[-1] = tail
    if lines[-1] == "":
        lines.pop()
    return lines


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: every other byte is NUL in ASCII-heavy text."""
    if len(head) < 8:
        return False
    evens, odds = head[0::2], head[1::2]
    return evens.count(0) > 0.4 * len(evens) or odds.count(0) > 0.4 * len(odds)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a text file's bytes, returning ``(text, encoding)``.

    BOMs are honoured (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM is detected by
    its NUL bytes; otherwise UTF-8 is tried, then charset-normalizer's best guess,
    then Windows-1252 (which decodes almost any byte).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff"), "utf-16"
    if _looks_utf16(data[:4096]):
        evens = data[0::2][:2048]
        encoding = "utf-16-be" if evens.count(0) > len(evens) * 0.4 else "utf-16-le"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace"), best.encoding
    except (LookupError, ValueError):  # pragma: no cover - defensive
        pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def read_xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    """Read the first sheet of a workbook as rows of strings."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on broken files
        raise FormatError(f"{name}: not a readable Excel workbook ({error})") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
    finally:
        book.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- times -----------------------------------------------------------------------------
def parse_clock(value: str) -> time:
    """Parse ``HH:MM:SS`` (or ``H:MM:SS``) into a time of day."""
    hh, mm, ss = value.strip().split(":")
    return time(int(hh), int(mm), int(ss))


def stamp_times(times: Sequence[time], day: date) -> list[datetime]:
    """Attach a date to times of day, adding a day each time the clock goes back.

    A chat that runs past midnight goes from ``23:59:59`` to ``00:00:01``; a
    backwards step of more than an hour is read as such a rollover.

    Examples
    --------
    >>> from datetime import date, time
    >>> [t.day for t in stamp_times([time(23, 59), time(0, 1)], date(2026, 3, 1))]
    [1, 2]
    """
    out: list[datetime] = []
    offset = 0
    previous: datetime | None = None
    for moment in times:
        current = datetime.combine(day, moment) + timedelta(days=offset)
        if previous is not None and current < previous - timedelta(hours=1):
            offset += 1
            current += timedelta(days=1)
        out.append(current)
        previous = current
    return out


def parse_offset(value: str) -> timedelta:
    """Parse an offset such as ``00:21:14`` or ``01:02:03.450`` into a timedelta."""
    parts = value.strip().split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2]) if len(parts) > 1 else 0
    hours = int(parts[-3]) if len(parts) > 2 else 0
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y, %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%m/%d/%Y",
    "%d/%m/%Y",
)


def parse_datetime(value: str, formats: Iterable[str] = _DATE_FORMATS) -> datetime | None:
    """Parse a date-time in any of the layouts export tools write; ``None`` if none fits.

    Month-first is tried before day-first for ``/`` dates (Zoom and Microsoft
    Forms write US dates); pass ``formats`` to prefer another order.
    """
    value = (value or "").strip().strip('"')
    if not value or value in {"--", "NA", "N/A"}:
        return None
    value = re.sub(r"\s+", " ", value)
    value = re.sub(r"\s*(GMT|UTC)[+-]?\d*:?\d*$", "", value)
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


# -- the loader contract -------------------------------------------------------------
@dataclass
class Parsed:
    """What :meth:`Loader.parse` returns: plain records, turned into tables once.

    Attributes
    ----------
    items : list of dict
        Item records keyed by :data:`feedback.schema.ITEM_COLUMNS` (``source``,
        ``format``, ``webinar`` and ``item_id`` are filled in by the base class).
    participants : list of dict
        Participant records keyed by :data:`feedback.schema.PARTICIPANT_COLUMNS`.
    skipped : list of Skipped
        Lines the parser could not place.
    meta : dict
        Facts about the webinar: ``title``, ``start`` (datetime), ``registered``,
        ``date_known`` (False when times of day got :data:`UNKNOWN_DATE`),
        ``time_base`` (``"clock"`` or ``"offset"``) and anything else useful.
    columns : dict, optional
        The items as ready columns instead of ``items`` records, for big files:
        column name to a list or array of one value per item (see
        :func:`items_from_columns`). ``items`` is ignored when this is set.
    """

    items: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    columns: dict[str, Any] | None = None


@dataclass
class LoadResult:
    """One loaded file.

    Attributes
    ----------
    path : Path
    format : str
        Id of the loader that read it.
    items : pandas.DataFrame
        Items table (:data:`feedback.schema.ITEM_COLUMNS`).
    participants : pandas.DataFrame
        Participants table (:data:`feedback.schema.PARTICIPANT_COLUMNS`).
    skipped : list of Skipped
    meta : dict
    encoding : str
    """

    path: Path
    format: str
    items: pd.DataFrame
    participants: pd.DataFrame
    skipped: list[Skipped]
    meta: dict
    encoding: str = ""


class Loader:
    """Base class of the loaders: one subclass per export format.

    Subclasses set the class attributes and implement :meth:`sniff` and
    :meth:`parse`, and are registered with :func:`feedback.loaders.registry.register`.
    """

    #: Short id used by ``--format`` and in the ``format`` column.
    format_id: ClassVar[str] = ""
    #: One line for ``feedback formats``.
    description: ClassVar[str] = ""
    #: How a file is recognised, for ``feedback formats``.
    recognised_by: ClassVar[str] = ""
    #: ``chat``, ``report`` or ``survey``.
    family: ClassVar[str] = ""
    #: Extensions the format is written with (lower case, with the dot).
    extensions: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def sniff(cls, source: Source) -> float:
        """Return how sure this loader is that it reads ``source``: 0 (no) to 1 (yes).

        Must not raise for any input (return 0 instead).
        """
        raise NotImplementedError

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Parse ``source`` into records; raise :class:`FormatError` if it cannot."""
        raise NotImplementedError

    def load(self, source: Source, options: LoadOptions | None = None) -> LoadResult:
        """Parse ``source`` and build its tables.

        Raises
        ------
        FormatError
            When the file is not of this format or is malformed.
        ParseError
            In strict mode, when any line was skipped.
        """
        from feedback.schema import Col, items_from_records, participants_from_records

        options = options or LoadOptions()
        parsed = self.parse(source, options)
        if options.strict and parsed.skipped:
            first = parsed.skipped[0]
            raise ParseError(
                f"{len(parsed.skipped)} line(s) could not be read (strict mode); first: "
                + first.describe()
            )
        webinar = options.webinar or _webinar_name(source)
        if parsed.columns is not None:
            items = items_from_columns(
                parsed.columns,
                {Col.SOURCE: source.name, Col.FORMAT: self.format_id, Col.WEBINAR: webinar},
                source=source,
            )
        else:
            for number, record in enumerate(parsed.items, start=1):
                record.setdefault(Col.ITEM_ID, item_id(source, number))
                record[Col.SOURCE] = source.name
                record[Col.FORMAT] = self.format_id
                record[Col.WEBINAR] = webinar
            items = items_from_records(parsed.items)
        for record in parsed.participants:
            record["source"] = source.name
            record["webinar"] = webinar
        meta = {"date_known": True, **parsed.meta}
        return LoadResult(
            path=source.path,
            format=self.format_id,
            items=items,
            participants=participants_from_records(parsed.participants),
            skipped=list(parsed.skipped),
            meta=meta,
            encoding=source.encoding if not source.is_binary else "xlsx",
        )


def item_id(source: Source, number: int) -> str:
    """The stable id of the ``number``-th item (1-based) of ``source``.

    Parsers that link items (replies, reactions) use it to fill ``reply_to``
    before the base class numbers the items the same way.
    """
    return f"{source.id_stem}-{number:05d}"


def item_ids(source: Source, count: int) -> list[str]:
    """The ids of items 1 to ``count`` of ``source`` (as :func:`item_id` gives them).

    Built as one block of text per number width (numbers are padded to five
    digits), which is several times quicker than formatting a million ids.
    """
    import numpy as np

    stem = source.id_stem  # ASCII letters, digits and "-" only
    ids: list[str] = []
    low, width = 1, 5
    while low <= count:
        high = min(count, 10**width - 1)
        numbers = np.arange(low, high + 1, dtype=np.int64)
        block = np.empty((len(numbers), len(stem) + width + 2), dtype=np.uint8)
        block[:, : len(stem)] = np.frombuffer(stem.encode("ascii"), dtype=np.uint8)
        block[:, len(stem)] = ord("-")
        for place in range(width):
            digits = numbers // 10 ** (width - 1 - place) % 10
            block[:, len(stem) + 1 + place] = digits + ord("0")
        block[:, -1] = ord("\n")
        ids.extend(block.tobytes().decode("ascii").split("\n")[:-1])
        low, width = high + 1, width + 1
    return ids


def items_from_columns(
    columns: dict[str, Any], constants: dict[str, str], *, source: Source
) -> pd.DataFrame:
    """Build the items table from ready columns (the fast path of :meth:`Loader.load`).

    The result equals what :func:`feedback.schema.coerce_items` makes of the same
    values, without its per-cell conversions (which cost seconds on a million
    rows).

    Parameters
    ----------
    columns : dict
        Column name to one value per item: text columns as ``str`` values,
        ``timestamp`` as ``datetime64[us]`` values (or datetimes), ``is_private``
        as booleans, ``line`` as integers. Missing item columns are filled as
        ``coerce_items`` fills them.
    constants : dict
        Column name to the one value of every row (``source``, ``format``,
        ``webinar``).
    source : Source
        The file, for the item ids when ``columns`` has none.

    Notes
    -----
    Arrays of the right dtype are used as they are, not copied: pass fresh
    ones and do not change them afterwards.
    """
    import numpy as np
    import pandas as pd

    from feedback.schema import ITEM_COLUMNS, ITEM_TEXT_COLUMNS, Col

    unknown = sorted(set(columns) - set(ITEM_COLUMNS))
    if unknown:
        raise ValueError(f"items_from_columns: not item columns: {unknown}")
    sizes = {len(values) for values in columns.values()}
    if len(sizes) > 1:
        raise ValueError(f"items_from_columns: columns of different lengths {sorted(sizes)}")
    count = sizes.pop() if sizes else 0

    def objects(values: Iterable[Any]) -> pd.Series:
        if not isinstance(values, np.ndarray) or values.dtype != object:
            # fromiter does not look into each value (np.array checks for sequences).
            values = np.fromiter(values, dtype=object, count=count)
        return pd.Series(values, dtype=object, copy=False)

    def same(value: str) -> pd.Series:
        array = np.empty(count, dtype=object)
        array.fill(value)  # the one object everywhere (np.full would convert a str)
        return pd.Series(array, dtype=object, copy=False)

    data: dict[str, pd.Series] = {}
    for column in ITEM_COLUMNS:
        values = columns.get(column)
        if column in constants:
            data[column] = same(constants[column])
        elif column == Col.ITEM_ID and values is None:
            data[column] = objects(item_ids(source, count))
        elif column in ITEM_TEXT_COLUMNS:
            data[column] = same("") if values is None else objects(values)
        elif values is None:  # as coerce_items fills a missing column
            empty = pd.Series([None] * count, dtype=object)
            if column == Col.TIMESTAMP:
                data[column] = pd.to_datetime(empty, errors="coerce")
            elif column == Col.IS_PRIVATE:
                data[column] = pd.Series(np.zeros(count, dtype=bool))
            else:  # Col.LINE
                data[column] = pd.to_numeric(empty, errors="coerce").astype("Int64")
        elif column == Col.TIMESTAMP:
            data[column] = pd.Series(np.asarray(values, dtype="datetime64[us]"), copy=False)
        elif column == Col.IS_PRIVATE:
            data[column] = pd.Series(np.asarray(values, dtype=bool), copy=False)
        else:  # Col.LINE
            data[column] = pd.Series(pd.array(np.asarray(values, dtype=np.int64), dtype="Int64"))
    # copy=False: the columns are fresh, and copying them into one block costs more
    # than the whole parse of a big chat.
    return pd.DataFrame(data, columns=list(ITEM_COLUMNS), copy=False)


def _webinar_name(source: Source) -> str:
    """Default webinar name: the Zoom folder's topic, else the folder, else the file stem."""
    parent = source.path.parent.name
    match = FOLDER_DATE_RE.match(parent)
    if match:
        topic = parent[match.end() :].strip(" _-")
        if topic:
            return topic
    if parent and parent not in {".", ""}:
        return parent
    return source.path.stem


def resolve_day(source: Source, options: LoadOptions) -> tuple[date, bool]:
    """The date for a chat's times of day: ``--date``, then the folder name.

    Returns
    -------
    (date, known)
        ``known`` is False when :data:`UNKNOWN_DATE` was used.
    """
    if options.date is not None:
        return options.date, True
    hint = source.date_hint
    if hint is not None:
        return hint.date(), True
    return UNKNOWN_DATE, False


def find_header_row(
    rows: Sequence[Sequence[str]], wanted: Iterable[str], *, start: int = 0, minimum: int = 2
) -> int | None:
    """Index of the first row (from ``start``) holding at least ``minimum`` wanted headers.

    Headers are compared case-insensitively, ignoring surrounding spaces.
    """
    wanted_set = {w.strip().lower() for w in wanted}
    for index in range(start, len(rows)):
        cells = {str(c).strip().lower() for c in rows[index]}
        if len(cells & wanted_set) >= minimum:
            return index
    return None


def norm_header(value: str) -> str:
    """Normalise a header cell for matching: lower case, single spaces, no BOM."""
    return re.sub(r"\s+", " ", str(value).replace("\ufeff", "")).strip().lower()
