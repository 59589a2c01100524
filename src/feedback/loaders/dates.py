"""One reader of dates, clocks, offsets and durations for every loader.

Export tools write dates in the organiser's locale. :class:`DateReader` reads
the date-times of one file, deciding once per file whether ``1/2/2026`` is
day-first; :func:`parse_duration_minutes` reads durations (``1h 2m 3s``,
``2 godz. 18 min``, ``01:02:03``); :func:`stamp_times` puts times of day on a
date; :func:`parse_offset` reads offsets from a recording's start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

#: A date is taken from a Zoom recording folder name: ``2026-03-12 10.00.00 Topic``.
FOLDER_DATE_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[ _T](?P<time>\d{2}[.:]\d{2}[.:]\d{2}))?"
)
#: Zoom cloud recordings: ``GMT20200924-113516_Topic...``.
GMT_NAME_RE = re.compile(r"GMT(?P<date>\d{8})-(?P<time>\d{6})")

#: Date used when a chat gives only times of day and no date can be found.
UNKNOWN_DATE = date(1900, 1, 1)

#: Cell values that mean "no value".
PLACEHOLDERS = frozenset({"", "--", "-", "na", "n/a", "null"})


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
    """Parse an offset such as ``00:21:14``, ``01:02:03.450`` or ``02:03,450`` into a timedelta."""
    parts = value.strip().replace(",", ".").split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2]) if len(parts) > 1 else 0
    hours = int(parts[-3]) if len(parts) > 2 else 0
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})([/.])(\d{1,2})[/.](\d{2,4})\b")
_TIME_ONLY_RE = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp]\.?[Mm]\.?)?$")

_TIMES = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
_NAMED_MONTH = tuple(
    f"{day} {clock}".strip()
    for day in ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y")
    for clock in (*_TIMES, "")
)
_ISO = tuple(
    f"{day} {clock}".strip()
    for day in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y. %m. %d")
    for clock in (*_TIMES, "")
)


def _numeric(order: str) -> tuple[str, ...]:
    return tuple(
        f"{order.replace('Y', year)} {clock}".strip()
        for year in ("%Y", "%y")
        for clock in (*_TIMES, "")
    )


_MONTH_FIRST = _numeric("%m/%d/Y")
_DAY_FIRST = _numeric("%d/%m/Y")
_DOTTED = _numeric("%d.%m.Y")
_DASHED = _numeric("%d-%m-Y")


class DateReader:
    """Parse the date-times of one file, reading ``1/2/2026`` the same way throughout.

    Zoom writes ``Mar 28, 2020 08:07:27``, ``Mar 28, 2020 2:20 PM`` or the
    account's numeric format; Teams writes ``14/11/22, 09:29:07``,
    ``11/14/2022, 9:29:07 AM`` or ``14.11.2022, 09:29:07``. Whether a slashed
    date is day-first is decided once per file: day-first when some date has a
    first number above 12, month-first when some date has a second number above
    12, otherwise ``dayfirst``.

    Parameters
    ----------
    values : iterable of str
        The file's date cells (other cells are ignored), to decide the order.
    dayfirst : bool or None
        The order to use when the values do not tell. ``None``: day-first unless
        a time carries AM/PM (Teams' European and US forms).

    Examples
    --------
    >>> read = DateReader(["14/11/22, 09:29:07"])
    >>> read("01/12/22, 10:00:00")
    datetime.datetime(2022, 12, 1, 10, 0)
    """

    def __init__(self, values: Iterable[str] = (), *, dayfirst: bool | None = False) -> None:
        day_evidence = month_evidence = has_ampm = False
        for text in values:
            if not text or not text[:1].isdigit() or ("/" not in text and "." not in text):
                continue
            match = _NUMERIC_DATE_RE.match(text)
            if not match:
                continue
            if re.search(r"\d\s*[AaPp]\.?[Mm]\b", text):
                has_ampm = True
            if match[2] == ".":
                continue
            first, second = int(match[1]), int(match[3])
            day_evidence |= first > 12
            month_evidence |= second > 12
        if day_evidence and not month_evidence:
            self.dayfirst = True
        elif month_evidence and not day_evidence:
            self.dayfirst = False
        elif dayfirst is None:
            self.dayfirst = not has_ampm
        else:
            self.dayfirst = dayfirst
        slashed = (_DAY_FIRST + _MONTH_FIRST) if self.dayfirst else (_MONTH_FIRST + _DAY_FIRST)
        self.formats = _NAMED_MONTH + _ISO + slashed + _DOTTED + _DASHED
        self._last: str | None = None
        self._seen: dict[str, datetime | None] = {}

    def __call__(self, text: str) -> datetime | None:
        """Parse one date-time; ``None`` for placeholders and unreadable text."""
        if text in self._seen:
            return self._seen[text]
        moment = self._parse(text)
        if len(self._seen) < 100_000:
            self._seen[text] = moment
        return moment

    def _parse(self, text: str) -> datetime | None:
        text = normalise_date_text(str(text))
        if not text:
            return None
        # A file writes its dates one way: try the format that fitted last time first.
        if self._last is not None:
            try:
                return datetime.strptime(text, self._last)
            except ValueError:
                pass
        if text[:4].isdigit() and "-" in text:
            try:
                return datetime.fromisoformat(text).replace(tzinfo=None)
            except ValueError:
                pass
        for fmt in self.formats:
            try:
                moment = datetime.strptime(text, fmt)
            except ValueError:
                continue
            self._last = fmt
            return moment
        return None


def normalise_date_text(text: str) -> str:
    """Tidy a date cell for parsing: placeholders to ``""``, time zones and stray commas out."""
    text = (text or "").strip().strip('"').strip()
    if text.lower() in PLACEHOLDERS:
        return ""
    text = " ".join(text.split())
    if "GMT" in text or "UTC" in text:
        # Time zone suffixes: "GMT+1", "UTC", "(GMT-05:00)".
        text = re.sub(r"\s*\(?(GMT|UTC)\s*([+-]\d{1,2}(:?\d{2})?)?\)?$", "", text)
    if "," in text:
        # "14/11/22, 09:29:07" and "Mar 28, 2020, 08:07": the comma before the time.
        text = re.sub(r"^(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}),\s*", r"\1 ", text)
        text = re.sub(r"(\d{4}),\s*(?=\d{1,2}:)", r"\1 ", text)
    if text.endswith(("m.", "M.")):
        # "a.m." / "p.m."
        text = re.sub(r"\b([AaPp])\.\s?[Mm]\.?$", r"\1M", text)
    return text.strip()


_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s?[Mm]\.?)?$")


def parse_time_of_day(text: str) -> time | None:
    """Read a time of day: ``14:05``, ``9:05:30``, ``2:05 PM``, ``2:05 p.m.``; else ``None``.

    Examples
    --------
    >>> parse_time_of_day("2:05 p.m.")
    datetime.time(14, 5)
    >>> parse_time_of_day("25:00") is None
    True
    """
    match = _CLOCK_RE.match((text or "").strip())
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def parse_clock_or_datetime(text: str, read: DateReader, day: date | None) -> datetime | None:
    """A date-time, or a time of day put on ``day`` (``None`` when neither fits)."""
    moment = read(text)
    if moment is not None:
        return moment
    clock = parse_time_of_day(normalise_date_text(text)) if day is not None else None
    return None if clock is None else datetime.combine(day, clock)


def parse_when(value: object, *, day_first: bool = False) -> datetime | None:
    """Parse one date-time written by any export tool; ``None`` if none fits.

    A :class:`DateReader` for a single value: ``1/2/2026`` is read day-first only
    when ``day_first`` (or when it cannot be month-first).

    Examples
    --------
    >>> parse_when("7/27/26 19:06:23")
    datetime.datetime(2026, 7, 27, 19, 6, 23)
    >>> parse_when("01/09/2023 10:01:10", day_first=True)
    datetime.datetime(2023, 9, 1, 10, 1, 10)
    """
    text = "" if value is None else str(value).replace("\ufeff", "").strip()
    if not text or len(text) > 64:
        return None
    return DateReader([text], dayfirst=day_first)(text)


def parse_times(values: Sequence[str]) -> list[datetime | None]:
    """Parse a column of date-times, deciding once whether ``1/2/2026`` is day-first.

    A column such as ``13/09/2023`` can only be day-first, so the whole column
    is then read day-first (``01/09/2023`` is 1 September, not 9 January).
    """
    read = DateReader(values)
    return [read(v) if v and len(v) <= 64 else None for v in values]


_UNIT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\d\s]+)")

#: Unit words of durations (their start, lower case), in the languages Teams and Zoom write.
_HOUR_UNITS = ("h", "g", "std", "u", "st", "ore", "ora", "ч", "時間", "시간", "小时")
_MINUTE_UNITS = ("m", "мин", "分", "분")
_SECOND_UNITS = ("s", "с", "秒", "초")


def parse_duration_minutes(text: str) -> float | None:
    """Read a duration as minutes: ``1h 2m 3s``, ``2 h 44 m``, ``01:02:03``...

    Units are read by the start of their word, so localised durations work:
    ``1 hr 5 min``, ``2 godz. 18 min 8 s``, ``1 Std. 2 Min.``, ``1 u 5 m``,
    ``1時間2分``.

    Examples
    --------
    >>> parse_duration_minutes("1h 2m 30s")
    62.5
    >>> parse_duration_minutes("2 godz. 18 min 8 s")
    138.13333333333333
    >>> parse_duration_minutes("--") is None
    True
    """
    text = (text or "").strip()
    if not text or text in {"--", "-"}:
        return None
    if re.fullmatch(r"\d{1,3}:\d{2}(:\d{2}(\.\d+)?)?", text):
        parts = [float(p) for p in text.split(":")]
        if len(parts) == 2:
            parts = [0.0, *parts]
        return parts[0] * 60 + parts[1] + parts[2] / 60
    total = 0.0
    found = False
    for number, unit in _UNIT_RE.findall(text):
        amount = float(number.replace(",", "."))
        unit = unit.lower().strip(".")
        if unit.startswith(_HOUR_UNITS):
            total += amount * 60
        elif unit.startswith(_MINUTE_UNITS):
            total += amount
        elif unit.startswith(_SECOND_UNITS):
            total += amount / 60
        else:
            continue
        found = True
    return total if found else None
