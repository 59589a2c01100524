"""Safe output: atomic writes, formula-safe CSV cells, never over an input.

Library code writes files only through these functions.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from feedback.exceptions import OutputError

if TYPE_CHECKING:
    import pandas as pd

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell("fine")
    'fine'
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``table`` with every text cell (and header) formula-safe."""
    table = table.copy()
    for column in table.columns:
        if table[column].dtype == object or str(table[column].dtype) in {"string", "str"}:
            table[column] = table[column].map(neutralise_cell)
    table.columns = [neutralise_cell(str(c)) for c in table.columns]
    return table


@contextlib.contextmanager
def atomic_path(path: str | Path, mode: str = "w", **kwargs):
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    A reader never sees a half-written file, and a failure leaves any old file
    in place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    with atomic_path(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_path(path, "wb") as handle:
        handle.write(data)


def write_table(table: pd.DataFrame, path: str | Path, *, safe: bool = True) -> None:
    """Write a table as UTF-8 CSV (or ``.xlsx``), atomically and formula-safe.

    Parameters
    ----------
    table : pandas.DataFrame
    path : str or Path
        ``.xlsx`` writes a workbook; anything else CSV.
    safe : bool
        Neutralise cells that would start a formula (on by default).
    """
    out = neutralise_table(table) if safe else table
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        with atomic_path(path, "wb") as handle:
            out.to_excel(handle, index=False)
        return
    with atomic_path(path, "w", encoding="utf-8", newline="") as handle:
        out.to_csv(handle, index=False)


def check_not_input(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Refuse to write any output over (or inside the folder of) an input file.

    Raises
    ------
    OutputError
        Naming the output that would overwrite an input.
    """
    input_files = set()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            input_files.update(p.resolve() for p in path.rglob("*") if p.is_file())
        elif path.exists():
            input_files.add(path.resolve())
    for raw in outputs:
        if raw is None:
            continue
        out = Path(raw).resolve()
        if out in input_files:
            raise OutputError(f"{raw}: refusing to write over an input file")
