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
