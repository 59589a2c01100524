"""Writing tables as CSV quickly: whole columns are formatted at once, not cell by cell.

:func:`csv_chunks` gives UTF-8 CSV that reads back (``pandas.read_csv``, spreadsheets,
Python's csv module) as ``DataFrame.to_csv(index=False)`` does, for the column types of
``feedback``'s tables: text, dates and times (written as ``to_csv`` writes them: the
shortest of date, seconds, milli-, micro- or nanoseconds), booleans, integers with or
without gaps, and floats. The differences only make the file safer or simpler:

* a long text column in which many cells need quotes is quoted throughout (elsewhere
  only the cells holding the separator, a quote or a line break are quoted);
* a cell holding a carriage return or a line break is always quoted, whatever the line
  ending (Python's csv module leaves a bare ``\\r`` unquoted with ``\\n`` endings, which
  splits the row when it is read back);
* with ``safe=True`` a text cell that a spreadsheet would run as a formula (it starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``.

Where the speed comes from:

* a text column becomes bytes in one go: its cells are joined with NUL (which cannot
  occur in them), encoded once, quoted with ``bytes.replace`` and split again, all in C;
  the few cells that need a change are found with C-level scans and only those are
  touched in Python;
* columns with few distinct values (kinds, recipients, times to the second, days) are
  formatted once per distinct value and expanded by indexing;
* a column that is the same in every row costs nothing per row;
* rows are assembled with ``bytes.join``, which never widens text the way ``str``
  does when one cell holds an emoji.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Cells are joined with this character to turn a whole column into bytes at once.
_GLUE = "\x00"
#: A cell that starts with one of these is a formula to a spreadsheet (after the glue).
_FORMULA_AT_START = re.compile(b"\x00[=+\\-@\t\r]")
_FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_BYTES = tuple(ch.encode() for ch in _FORMULA_CHARACTERS)
#: Rows assembled and written at a time (bounds the memory of the assembled text).
CHUNK_ROWS = 100_000
#: Columns with fewer distinct values than this share of rows are formatted per value.
_REPEATED_SHARE = 0.5
#: A text column of at least ``_QUOTE_ALL_FROM`` cells in which at least this share of
#: cells needs quotes is quoted throughout.
_QUOTE_ALL_SHARE = 0.1
_QUOTE_ALL_FROM = 1000

#: One column as pieces of each row: a list (one bytes per row) or bytes (every row).
Piece = "list[bytes] | bytes"


def _take(formatted: list[bytes], codes: np.ndarray) -> list[bytes]:
    """``[formatted[c] for c in codes]`` in C (code -1 takes the last entry)."""
    import numpy as np

    table = np.empty(len(formatted), dtype=object)
    table[:] = formatted
    return table[codes].tolist()


def _quote(cell: bytes) -> bytes:
    return b'"' + cell.replace(b'"', b'""') + b'"'


def _encoded(cells: list[str]) -> list[bytes]:
    """UTF-8 bytes of each cell (``map`` in C; lone surrogates are kept as they are)."""
    try:
        return list(map(str.encode, cells))
    except UnicodeEncodeError:
        return [c.encode("utf-8", "surrogatepass") for c in cells]


def _text_pieces(cells: list[str], sep: str, safe: bool) -> list[Piece]:
    """Pieces of a column of strings: neutralised, then quoted where needed.

    When many cells need quotes the whole column is quoted: the quotes go into the
    pieces every row shares, so no cell is copied for them.
    """
    import numpy as np

    out = _encoded(cells)
    if not out:
        return [out]
    glued = b"\x00".join(out)
    ends = None  # offsets of the NULs in ``glued``, computed when needed
    if safe and any(ch.encode() in glued for ch in _FORMULA_CHARACTERS):
        found = np.array([m.start() for m in _FORMULA_AT_START.finditer(glued)], np.int64)
        if len(found):
            ends = _cell_ends(out)
            at = np.searchsorted(ends, found)
            # Only a NUL that separates two cells counts (a cell may hold NUL itself).
            for i in (at[ends[np.minimum(at, len(ends) - 1)] == found] + 1).tolist():
                out[i] = b"'" + out[i]
        if out[0][:1] in _FORMULA_BYTES:
            out[0] = b"'" + out[0]
    sep_bytes = sep.encode()
    needing = 0
    for special in (sep_bytes, b"\n", b'"', b"\r"):
        needing += glued.count(special)
        if needing >= _QUOTE_ALL_SHARE * len(out) and len(out) >= _QUOTE_ALL_FROM:
            if b'"' in glued:
                found = np.array([m.start() for m in re.finditer(b'"', glued)], np.int64)
                ends = _cell_ends(out) if ends is None else ends
                for i in np.unique(np.searchsorted(ends, found)).tolist():
                    out[i] = out[i].replace(b'"', b'""')
            return [b'"', out, b'"']
    if needing:
        search = re.compile(b"[" + re.escape(sep_bytes) + b'"\r\n]').search
        flagged = np.fromiter(map(bool, map(search, out)), dtype=bool, count=len(out))
        for i in np.flatnonzero(flagged).tolist():
            out[i] = _quote(out[i])
    return [out]


def _cell_ends(out: list[bytes]) -> np.ndarray:
    """Offset of the NUL after each cell in ``b"\\x00".join(out)`` (one past the last)."""
    import numpy as np

    lengths = np.fromiter(map(len, out), dtype=np.int64, count=len(out))
    return np.cumsum(lengths + 1) - 1


def _text_bytes(cells: list[str], sep: str, safe: bool) -> list[bytes]:
    """Formatted cells of a list of strings, each cell complete with its quotes."""
    pieces = _text_pieces(cells, sep, safe)
    if len(pieces) == 1:
        return pieces[0]
    return [b'"' + cell + b'"' for cell in pieces[1]]


def _one_text_cell(cell: str, sep: str, safe: bool) -> bytes:
    if safe and cell[:1] in _FORMULA_CHARACTERS:
        cell = "'" + cell
    data = cell.encode("utf-8", "surrogatepass")
    if sep in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return _quote(data)
    return data


def _time_pieces(values: np.ndarray) -> list[Piece]:
    """Times as ``to_csv`` writes them, as two pieces: the date, then the time of day."""
    import numpy as np
    import pandas as pd

    values = values.astype("datetime64[ns]")
    missing = np.isnat(values)
    ns = values.view(np.int64)
    day_ns = 86_400 * 10**9
    present = ns[~missing]
    days = np.where(missing, 0, ns // day_ns)
    clock = np.where(missing, 0, ns % day_ns)
    day_codes, day_values = pd.factorize(days)
    day_codes = np.where(missing, -1, day_codes)
    day_text = np.datetime_as_string(day_values.astype("datetime64[D]"), unit="D")
    pieces: list[Piece] = [_take([d.encode() for d in day_text.tolist()] + [b""], day_codes)]
    if len(present) and (present % day_ns).any():
        unit = "s" if not (present % 10**9).any() else "ms"
        if unit == "ms" and (present % 10**6).any():
            unit = "us" if not (present % 10**3).any() else "ns"
        clock_codes, clock_values = pd.factorize(clock)
        clock_codes = np.where(missing, -1, clock_codes)
        text = np.datetime_as_string(clock_values.astype("datetime64[ns]"), unit=unit)
        formatted = [b" " + t[11:].encode() for t in text.tolist()]
        pieces.append(_take([*formatted, b""], clock_codes))
    return pieces


def _number_cells(column: pd.Series) -> list[bytes] | None:
    """Cells of a number column (never quoted or neutralised), or None for other columns."""
    import numpy as np
    from pandas.api import types

    dtype = column.dtype
    if types.is_integer_dtype(dtype):
        missing = column.isna().to_numpy()
        cells = column.fillna(0).to_numpy(dtype=np.int64).astype("S20").tolist()
        for i in np.flatnonzero(missing).tolist():
            cells[i] = b""
        return cells
    if types.is_float_dtype(dtype) and isinstance(dtype, np.dtype):
        values = column.to_numpy(dtype=np.float64)
        cells = _encoded(list(map(repr, values.tolist())))
        for i in np.flatnonzero(np.isnan(values)).tolist():
            cells[i] = b""
        return cells
    return None


def column_pieces(column: pd.Series, sep: str = ",", *, safe: bool = True) -> list[Piece]:
    """One column's CSV cells as UTF-8 pieces, concatenated per row (see the module notes).

    A piece is a list with one ``bytes`` per row, or a single ``bytes`` that every
    row shares.
    """
    import numpy as np
    import pandas as pd
    from pandas.api import types

    n = len(column)
    dtype = column.dtype
    if types.is_bool_dtype(dtype) and not isinstance(dtype, pd.BooleanDtype):
        flags = column.to_numpy(dtype=bool)
        if flags.all() or not flags.any():
            return [b"True" if n and flags[0] else b"False"]
        return [_take([b"False", b"True"], flags.astype(np.int8))]
    if types.is_datetime64_any_dtype(dtype) and not isinstance(dtype, pd.DatetimeTZDtype):
        return _time_pieces(column.to_numpy(dtype="datetime64[ns]"))
    numbers = _number_cells(column)
    if numbers is not None:
        return [numbers]
    values = column.to_numpy(dtype=object)
    strings = types.infer_dtype(values, skipna=False) in ("string", "empty")
    if not strings:
        missing = pd.isna(values)
        values = np.array([_as_text(v) for v in values], dtype=object)
        values[missing] = ""
    if n and len(set(values[:1000].tolist())) < _REPEATED_SHARE * min(n, 1000):
        codes, uniques = pd.factorize(values)
        if len(uniques) == 1:
            return _text_bytes([_as_text(uniques[0])], sep, safe)
        if len(uniques) < _REPEATED_SHARE * n:
            formatted = _text_bytes([_as_text(v) for v in uniques], sep, safe)
            return [_take(formatted, codes)]
    return _text_pieces(values.tolist(), sep, safe)


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _joined(pieces: list[Piece], rows: int) -> list[bytes]:
    """Each row's bytes: its pieces concatenated."""
    parts = [itertools.repeat(p, rows) if isinstance(p, bytes) else p for p in pieces]
    return list(map(b"".join, zip(*parts, strict=True)))


def csv_chunks(table: pd.DataFrame, sep: str = ",", *, safe: bool = True) -> Iterator[bytes]:
    """The UTF-8 CSV of ``table`` (header first), in pieces of :data:`CHUNK_ROWS` rows.

    Parameters
    ----------
    table : pandas.DataFrame
    sep : str
        One-character field separator.
    safe : bool
        Neutralise text cells (and header names) that would start a formula.

    Examples
    --------
    >>> import pandas as pd
    >>> b"".join(csv_chunks(pd.DataFrame({"a": ["=1+1", "x, y"], "n": [1, None]})))
    b'a,n\\n\\'=1+1,1.0\\n"x, y",\\n'
    """
    sep_bytes = sep.encode()
    header = _text_bytes([str(c) for c in table.columns], sep, safe)
    yield sep_bytes.join(header) + b"\n"
    rows = len(table)
    if not rows:
        return
    if table.shape[1] == 0:
        yield b"\n" * rows
        return
    # Pieces of a row in order, with the separators as pieces every row shares.
    pieces: list[Piece] = []
    for i in range(table.shape[1]):
        if i:
            pieces.append(sep_bytes)
        column = column_pieces(table.iloc[:, i], sep, safe=safe)
        if table.shape[1] == 1:
            # A row of one empty cell would be a blank line, which readers skip.
            column = [[cell or b'""' for cell in _joined(column, rows)]]
        pieces.extend(column)
    pieces.append(b"\n")
    merged: list[Piece] = []
    for piece in pieces:  # neighbouring shared pieces become one
        if isinstance(piece, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += piece
        else:
            merged.append(piece)
    for start in range(0, rows, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, rows)
        parts = [
            itertools.repeat(p, stop - start) if isinstance(p, bytes) else p[start:stop]
            for p in merged
        ]
        yield b"".join(map(b"".join, zip(*parts, strict=True)))
