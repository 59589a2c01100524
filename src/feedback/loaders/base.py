"""The loader contract and its result.

A loader is a subclass of :class:`Loader` that says how to recognise its files
(:meth:`Loader.sniff`) and how to parse one (:meth:`Loader.parse`). The base
class turns what ``parse`` returns into the canonical items and participants
tables, numbers the items, counts skipped lines, reports lines whose bytes were
replaced when decoding and enforces ``strict`` mode. A file's bytes are read by
:mod:`feedback.loaders.source`, dates by :mod:`feedback.loaders.dates` (both
re-exported here for the loaders that import them from ``base``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from feedback.exceptions import ParseError
from feedback.loaders.dates import (  # noqa: F401 - re-exported for the loaders
    FOLDER_DATE_RE,
    GMT_NAME_RE,
    UNKNOWN_DATE,
    parse_clock,
    parse_offset,
    stamp_times,
)
from feedback.loaders.source import Source, decode_bytes, split_lines  # noqa: F401

if TYPE_CHECKING:
    import pandas as pd

#: A date is taken from a Zoom recording folder name: ``2026-03-12 10.00.00 Topic``.


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
    warnings : list of Skipped
        Lines that were read but not exactly: lines with bytes that were not
        valid in the file's encoding and were replaced with U+FFFD.
    """

    path: Path
    format: str
    items: pd.DataFrame
    participants: pd.DataFrame
    skipped: list[Skipped]
    meta: dict
    encoding: str = ""
    warnings: list[Skipped] = field(default_factory=list)


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
    #: The layouts (versions, shapes) of the format that are read, for ``feedback formats``.
    layouts: ClassVar[tuple[str, ...]] = ()
    #: Languages whose words are known (ISO 639-1 codes); empty when the format has no words.
    languages: ClassVar[tuple[str, ...]] = ()

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
        warnings = decoding_warnings(source)
        if warnings:
            meta["replaced_lines"] = [w.line for w in warnings]
        return LoadResult(
            path=source.path,
            format=self.format_id,
            items=items,
            participants=participants_from_records(parsed.participants),
            skipped=list(parsed.skipped),
            meta=meta,
            encoding=source.encoding if not source.is_binary else "xlsx",
            warnings=warnings,
        )


def decoding_warnings(source: Source) -> list[Skipped]:
    """One warning per line of ``source`` that held bytes replaced with U+FFFD when decoding."""
    if source.is_binary or not source.replaced_lines:
        return []
    lines = source.lines
    numbers = sorted(set(source.replaced_lines))
    return [
        Skipped(
            source.name,
            number,
            f"bytes that are not valid {source.encoding} were replaced (U+FFFD)",
            lines[number - 1] if number <= len(lines) else "",
        )
        for number in numbers
    ]


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
