"""A file to load: its bytes, decoded text, lines, CSV dialect and workbook rows.

Everything a loader reads of a file goes through :class:`Source`, which reads
the bytes once, decodes them once and caches what it derives (lines, rows, the
CSV delimiter, the head of the file).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from feedback.exceptions import FormatError
from feedback.loaders.dates import FOLDER_DATE_RE, GMT_NAME_RE


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
        decoded = decode_text(self.data, self.name)
        self.__dict__["replaced_lines"] = decoded.replaced_lines
        return decoded.text, decoded.encoding

    @cached_property
    def replaced_lines(self) -> tuple[int, ...]:
        """Lines whose bytes were not valid in :attr:`encoding` (replaced with U+FFFD).

        Empty for workbooks and binary files, and for text that decoded cleanly.
        """
        if self.is_binary:
            return ()
        self._decoded  # noqa: B018 - decoding fills this attribute
        return self.__dict__.get("replaced_lines", ())

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
            # replaced_lines was set when decoding and stays.
        for name in ("data", "_decoded", "text", "lines", "rows"):
            cache.pop(name, None)

    @cached_property
    def id_stem(self) -> str:
        """The file stem as used in item ids: lower case, runs of other characters as ``-``."""
        return re.sub(r"[^A-Za-z0-9]+", "-", self.path.stem).strip("-").lower() or "file"

    # -- tables --------------------------------------------------------------------
    @cached_property
    def delimiter(self) -> str:
        """The CSV delimiter, sniffed from the head of the file (see :func:`sniff_delimiter`)."""
        if self.is_xlsx:
            return ","
        return sniff_delimiter(self.text[:_SNIFF_CHARS])

    @cached_property
    def rows(self) -> list[list[str]]:
        """All rows of the table: CSV rows, or the first sheet of a workbook.

        Cells are strings; empty cells are ``""``. Workbook dates become ISO
        strings (``2026-03-12 10:00:00``). The ``sep=;`` line that Excel writes
        first is read as an empty row, so that row numbers stay line numbers.
        """
        if self.is_xlsx:
            return read_xlsx_rows(self.data, self.name)
        text = self.text
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        try:
            rows = [list(row) for row in reader]
        except csv.Error as error:
            raise FormatError(f"{self.name}: not a readable CSV table ({error})") from None
        if rows and is_separator_line(rows[0]):
            rows[0] = []
        return rows

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


#: Characters of a text file looked at to find its CSV delimiter.
_SNIFF_CHARS = 65_536
#: Delimiters people save tables with, in order of preference on a tie.
DELIMITERS = ("\t", ",", ";", "|")
_SEPARATOR_LINE_RE = re.compile(r"^\ufeff?\"?sep=(.)\"?\r?$")


def is_separator_line(row: list[str]) -> bool:
    """True for the ``sep=;`` line Excel writes first (read as a row of cells)."""
    return len(row) <= 2 and bool(re.match(r'^\ufeff?"?sep=.?"?$', "".join(row).strip()))


def sniff_delimiter(text: str) -> str:
    r"""The delimiter of a CSV text: the one found in most records, outside quotes.

    A ``sep=;`` first line (Excel) names it. Otherwise each of tab, comma,
    semicolon and bar is counted per record (quoted cells, which may hold
    delimiters and line breaks, are not looked into); the delimiter present in
    the most records wins, then the one whose count per record is most often
    the same. A text without any gives ``","``.

    Examples
    --------
    >>> sniff_delimiter("Name;Joined\r\nWeber, Anna;10:00\r\nLee, Min;10:01\r\n")
    ';'
    >>> sniff_delimiter('sep=;\na,b;c\n')
    ';'
    >>> sniff_delimiter('a,"b;c;d"\n1,2\n')
    ','
    """
    first = text.split("\n", 1)[0]
    match = _SEPARATOR_LINE_RE.match(first.strip("\r") if first.endswith("\r") else first)
    if match:
        return match[1]
    counts: dict[str, list[int]] = {d: [] for d in DELIMITERS}
    current = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    filled = False
    records = 0
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "\n":
            if filled:
                for d in DELIMITERS:
                    counts[d].append(current[d])
                records += 1
            current = dict.fromkeys(DELIMITERS, 0)
            filled = False
            if records >= 200:
                break
        elif char in current:
            current[char] += 1
            filled = True
        elif not filled and not char.isspace():
            filled = True
    if filled:
        for d in DELIMITERS:
            counts[d].append(current[d])
    best, best_score = ",", (0, 0.0)
    for d in DELIMITERS:
        present = [c for c in counts[d] if c]
        if not present:
            continue
        modal = max(present.count(c) for c in set(present))
        score = (len(present), modal / len(present))
        if score > best_score:
            best, best_score = d, score
    return best


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
    """Decode a text file's bytes, returning ``(text, encoding)`` (see :func:`decode_text`)."""
    decoded = decode_text(data, name)
    return decoded.text, decoded.encoding


@dataclass(frozen=True)
class Decoded:
    """A decoded text file.

    Attributes
    ----------
    text : str
        The text, BOM removed.
    encoding : str
        The encoding it was decoded with.
    replaced_lines : tuple of int
        1-based numbers of the lines that held bytes that were not valid in
        ``encoding`` and were replaced with U+FFFD (one entry per bad byte run).
    """

    text: str
    encoding: str
    replaced_lines: tuple[int, ...] = ()


#: A file with more bad byte runs than this is not read as UTF-8 with a few mistakes.
_MAX_BAD_RUNS = 200


def decode_text(data: bytes, name: str = "<bytes>") -> Decoded:
    r"""Decode a text file's bytes.

    BOMs are honoured (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM is detected by
    its NUL bytes. Otherwise the file is read as UTF-8 when it is UTF-8 apart
    from a few bad bytes: those are replaced with U+FFFD and their lines listed
    in :attr:`Decoded.replaced_lines`. Only a file that is mostly not UTF-8
    goes to charset-normalizer's best guess, then Windows-1252 (which decodes
    almost any byte).

    Examples
    --------
    >>> decode_text("caf\u00e9 \U0001F600\n".encode() + b"\xff ok\n").replaced_lines
    (2,)
    >>> decode_text(b"caf\xe9 cr\xe8me\n").encoding != "utf-8"
    True
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text, bad = _utf8_with_replacements(data, 3, limit=None)
        return Decoded(text or "", "utf-8-sig", _line_numbers(data, bad))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", errors="replace").lstrip("\ufeff"), "utf-16")
    if _looks_utf16(data[:4096]):
        evens = data[0::2][:2048]
        encoding = "utf-16-be" if evens.count(0) > len(evens) * 0.4 else "utf-16-le"
        return Decoded(data.decode(encoding, errors="replace"), encoding)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text, bad = _utf8_with_replacements(data, 0, limit=_MAX_BAD_RUNS)
    if text is not None:
        good_bytes = len(data) - sum(end - start for start, end in bad)
        multibyte = good_bytes - (len(text) - len(bad))  # extra bytes of multi-byte characters
        if multibyte >= 4 * len(bad):
            return Decoded(text, "utf-8", _line_numbers(data, bad))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return Decoded(data.decode(best.encoding, errors="replace"), best.encoding)
    except (LookupError, ValueError):  # pragma: no cover - defensive
        pass
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252")


def _utf8_with_replacements(
    data: bytes, start: int, *, limit: int | None
) -> tuple[str | None, list[tuple[int, int]]]:
    """Decode UTF-8 from ``start``, each bad byte run replaced with U+FFFD.

    Returns the text and the ``(start, end)`` offsets of the bad runs; the text
    is ``None`` when there are more than ``limit`` runs.
    """
    view = memoryview(data)
    parts: list[str] = []
    bad: list[tuple[int, int]] = []
    position = start
    while True:
        try:
            parts.append(str(view[position:], "utf-8"))
            break
        except UnicodeDecodeError as error:
            parts.append(str(view[position : position + error.start], "utf-8"))
            parts.append("\ufffd")
            bad.append((position + error.start, position + error.end))
            position += error.end
            if limit is not None and len(bad) > limit:
                return None, bad
    return "".join(parts), bad


def _line_numbers(data: bytes, runs: list[tuple[int, int]]) -> tuple[int, ...]:
    """The 1-based line of each offset in ``runs`` (counted in one pass)."""
    lines = []
    line, previous = 1, 0
    for offset, _ in runs:
        line += data.count(b"\n", previous, offset)
        previous = offset
        lines.append(line)
    return tuple(lines)


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
    rows = []
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
    except Exception as error:  # a sheet's XML is read lazily, row by row
        raise FormatError(
            f"{name}: row {len(rows) + 1} of the first sheet cannot be read ({error})"
        ) from None
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
