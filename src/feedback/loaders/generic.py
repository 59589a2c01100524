"""Plain tables (CSV, TSV, ``.xlsx``) with a text column, and items tables read back.

The generic loader is the fallback for anything tabular that no specific loader
claims: Slido or Mentimeter exports, hand-made spreadsheets, labelled training
data. It also reads back the CSV that ``feedback load --out items.csv`` writes,
keeping every column as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feedback.exceptions import FormatError
from feedback.loaders.base import (
    Loader,
    LoadOptions,
    LoadResult,
    Parsed,
    Skipped,
    Source,
    resolve_day,
)
from feedback.loaders.dates import parse_time_of_day, parse_times, stamp_times
from feedback.loaders.registry import register
from feedback.loaders.tables import (
    AUTHOR_NAMES,
    TEXT_NAMES,
    TIME_NAMES,
    cell_at,
    clean_cell,
    column,
    norm_header,
    table_head,
    unique_names,
)
from feedback.schema import ITEM_COLUMNS, Col, Kind

#: Item columns that a plain table may also carry under their own names.
_DIRECT = (
    Col.ITEM_ID,
    Col.RECIPIENT,
    Col.IS_PRIVATE,
    Col.REPLY_TO,
    Col.QUESTION,
    Col.RESPONSE_TYPE,
    Col.RESPONDENT,
    Col.ANSWER,
)
#: Item columns the loader fills itself; a plain table's own are kept renamed.
_FILLED = (Col.SOURCE, Col.FORMAT, Col.WEBINAR, Col.LINE)
#: Columns added by tagging, named canonically when read back.
_TAG_COLUMNS = (Col.LABELS, Col.SCORES, Col.SENTIMENT, Col.IS_QUESTION, Col.EXPLANATION)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"true", "1", "yes", "y"}


def _restore_cell(value: str) -> str:
    """Undo the ``'`` that :func:`feedback.io.neutralise_cell` puts before formula starts."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def _cell(row: Sequence[Any], index: int | None) -> str:
    return _restore_cell(cell_at(row, index))


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in _TRUE


def _header_index(rows: Sequence[Sequence[Any]], wanted: Sequence[str]) -> int:
    """The header row: the first of the first ten rows holding a wanted name."""
    first_filled = None
    for index, row in enumerate(rows[:10]):
        keys = {norm_header(clean_cell(c)) for c in row}
        if first_filled is None and any(keys - {""}):
            first_filled = index
        if keys & set(wanted):
            return index
    return first_filled or 0


@register
class GenericTableLoader(Loader):
    """Any CSV/TSV or ``.xlsx`` table with a text column (and items tables read back)."""

    format_id = "generic-table"
    description = "Any CSV/TSV/Excel table with a text column; items CSVs read back as is"
    recognised_by = (
        "a column named text/comment/message/feedback/... (or --text-column); "
        "all items columns for a table written by 'feedback load'"
    )
    family = "chat"
    extensions = (".csv", ".tsv", ".txt", ".xlsx")
    layouts = (
        "CSV with , ; tab or | (sniffed), Excel re-saves with sep=",
        ".xlsx",
        "items tables written by feedback load",
    )

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.95 for an items table, 0.1 for a table with an obvious text column, else 0."""
        try:
            head = table_head(source, 5)
            row = next((r for r in head if any(clean_cell(c) for c in r)), None)
            if row is None:
                return 0.0
            keys = {norm_header(clean_cell(c)) for c in row}
            if set(ITEM_COLUMNS) <= keys:
                return 0.95
            if keys & set(TEXT_NAMES):
                return 0.1
            return 0.0
        except Exception:
            return 0.0

    # -- parsing ---------------------------------------------------------------------
    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Map the table's columns onto items; keep every other column under its name."""
        rows = source.rows
        if not any(any(clean_cell(c) for c in row) for row in rows):
            raise FormatError(f"{source.name}: the file is empty (expected a table)")
        wanted = [norm_header(options.text_column)] if options.text_column else list(TEXT_NAMES)
        first = rows[0] if rows else []
        if set(ITEM_COLUMNS) <= {norm_header(clean_cell(c)) for c in first}:
            return self._parse_items(source, rows, options)
        header_at = _header_index(rows, wanted)
        header = unique_names([clean_cell(c) for c in rows[header_at]])
        keys = [norm_header(h) for h in header]
        shown = ", ".join(repr(h) for h in header if h) or "none"

        def named(option: str | None, what: str) -> int | None:
            if option is None:
                return None
            index = column(keys, norm_header(option))
            if index is None:
                raise FormatError(
                    f"{source.name}: there is no {what} column named {option!r} "
                    f"(row {header_at + 1} has the columns: {shown})"
                )
            return index

        text_col = named(options.text_column, "text")
        if text_col is None:
            text_col = column(keys, *TEXT_NAMES)
        if text_col is None:
            raise FormatError(
                f"{source.name}: no text column found (looked for "
                + ", ".join(TEXT_NAMES[:8])
                + f", ...); the columns are: {shown}. "
                "Name the text column with --text-column (and --format generic-table)."
            )
        used = {text_col}
        author_col = named(options.author_column, "author")
        if author_col is None:
            author_col = column(keys, *AUTHOR_NAMES, exclude=used)
        if author_col is not None:
            used.add(author_col)
        time_col = named(options.time_column, "time")
        if time_col is None:
            time_col = column(keys, *TIME_NAMES, exclude=used)
        date_col = None
        if time_col is not None:
            used.add(time_col)
            if keys[time_col] == "time":
                date_col = column(keys, "date", exclude=used)
                if date_col is not None:
                    used.add(date_col)
        kind_col = column(keys, Col.KIND, exclude=used)
        if kind_col is not None:
            used.add(kind_col)
        direct = {}
        for name in _DIRECT:
            index = column(keys, name, exclude=used)
            if index is not None:
                direct[name] = index
                used.add(index)
        extras = {}
        for index, name in enumerate(header):
            if index in used:
                continue
            key = keys[index]
            if key in _TAG_COLUMNS:
                name = key
            elif key in _FILLED or key in ITEM_COLUMNS:
                name = f"{key}_original"
            extras[index] = name or f"column {index + 1}"

        records: list[dict] = []
        skipped: list[Skipped] = []
        stamps: list[str] = []
        for index in range(header_at + 1, len(rows)):
            row = rows[index]
            if not any(clean_cell(c) for c in row):
                continue
            text = _cell(row, text_col)
            if not text:
                skipped.append(
                    Skipped(
                        source.name,
                        index + 1,
                        f"no text in column {header[text_col]!r}",
                        " | ".join(clean_cell(c) for c in row if clean_cell(c)),
                    )
                )
                continue
            kind = _cell(row, kind_col).lower()
            record: dict[str, Any] = {
                Col.KIND: kind if kind in Kind.ALL else Kind.CHAT,
                Col.AUTHOR: _cell(row, author_col),
                Col.TEXT: text,
                Col.LINE: index + 1,
            }
            for name, col in direct.items():
                value = _cell(row, col)
                record[name] = _parse_bool(value) if name == Col.IS_PRIVATE else value
            if record.get(Col.ITEM_ID) == "":
                del record[Col.ITEM_ID]
            for col, name in extras.items():
                record[name] = _cell(row, col)
            when = _cell(row, time_col)
            if date_col is not None and when:
                when = f"{_cell(row, date_col)} {when}".strip()
            stamps.append(when)
            records.append(record)

        date_known = self._stamp(records, stamps, source, options)
        self._extras = list(extras.values())
        self._records = records
        meta = {"time_base": "clock", "date_known": date_known, "text_column": header[text_col]}
        return Parsed(items=records, skipped=skipped, meta=meta)

    @staticmethod
    def _stamp(records: list[dict], stamps: list[str], source: Source, options) -> bool:
        """Put parsed times on the records; times of day get the webinar's date."""
        parsed = parse_times(stamps)
        clock_rows = []
        for record, stamp, when in zip(records, stamps, parsed, strict=True):
            record[Col.TIMESTAMP] = when
            if when is None and stamp:
                clock = parse_time_of_day(stamp)
                if clock is not None:
                    clock_rows.append((record, clock))
        if not clock_rows:
            return True
        day, known = resolve_day(source, options)
        for (record, _), moment in zip(
            clock_rows, stamp_times([c for _, c in clock_rows], day), strict=True
        ):
            record[Col.TIMESTAMP] = moment
        return known

    def _parse_items(
        self, source: Source, rows: Sequence[Sequence[Any]], options: LoadOptions
    ) -> Parsed:
        """Read back an items table: every column kept, types restored."""
        header = unique_names([clean_cell(c) for c in rows[0]])
        keys = [norm_header(h) for h in header]
        where = {name: keys.index(name) for name in ITEM_COLUMNS}
        mapped = set(where.values())
        extras = {
            i: (keys[i] if keys[i] in _TAG_COLUMNS else name or f"column {i + 1}")
            for i, name in enumerate(header)
            if i not in mapped
        }
        records: list[dict] = []
        kept: list[dict] = []
        stamps: list[str] = []
        for index in range(1, len(rows)):
            row = rows[index]
            if not any(clean_cell(c) for c in row):
                continue
            record: dict[str, Any] = {name: _cell(row, col) for name, col in where.items()}
            if record[Col.KIND] not in Kind.ALL:
                record[Col.KIND] = Kind.CHAT
            record[Col.IS_PRIVATE] = _parse_bool(record[Col.IS_PRIVATE])
            line = record[Col.LINE]
            record[Col.LINE] = int(line) if line.isdigit() else None
            if not record[Col.ITEM_ID]:
                del record[Col.ITEM_ID]
            kept.append({c: record[c] for c in (Col.SOURCE, Col.FORMAT, Col.WEBINAR)})
            stamps.append(_cell(row, where[Col.TIMESTAMP]))
            for col, name in extras.items():
                record[name] = _cell(row, col)
            records.append(record)
        for record, when in zip(records, parse_times(stamps), strict=True):
            record[Col.TIMESTAMP] = when
        self._extras = list(extras.values())
        self._records = records
        self._kept = kept
        self._keep_webinar = options.webinar is None
        return Parsed(items=records, meta={"round_trip": True})

    # -- loading ---------------------------------------------------------------------
    def load(self, source: Source, options: LoadOptions | None = None) -> LoadResult:
        """Load as the base class does, then put back extra and round-tripped columns."""
        import pandas as pd

        self._extras: list[str] = []
        self._records: list[dict] = []
        self._kept: list[dict] = []
        self._keep_webinar = True
        result = super().load(source, options)
        items = result.items
        for record, kept in zip(self._records, self._kept, strict=False):
            for name, value in kept.items():
                if value and (name != Col.WEBINAR or self._keep_webinar):
                    record[name] = value
        if self._kept:
            items = items.copy()
            for name in (Col.SOURCE, Col.FORMAT, Col.WEBINAR):
                items[name] = pd.Series(
                    [r[name] for r in self._records], index=items.index, dtype=object
                )
        missing = [name for name in self._extras if name not in items.columns]
        if missing:
            extra = pd.DataFrame(
                {name: [r.get(name, "") for r in self._records] for name in missing},
                index=items.index,
                dtype=object,
            )
            items = pd.concat([items, extra], axis=1)
        result.items = items
        return result
