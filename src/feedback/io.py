"""Safe output: atomic files and folders, formula-safe tables, never over an input.

Library code writes files only through these functions. Every ``OSError`` met
while writing becomes an :class:`~feedback.exceptions.OutputError` naming the
path, so the command line can say what went wrong in one line.

Three habits keep outputs whole:

* **check first**: :func:`check_output` looks at an output path before any work
  is done (wrong kind of path, not writable, an input, inside an input, a folder
  that is not an earlier output of feedback);
* **files**: :func:`atomic_path` writes beside the target and renames over it;
* **folders**: :func:`staged_folder` builds a whole folder beside the target and
  swaps it in only when complete, so a re-run replaces an earlier report as a
  whole and a failure leaves the earlier one untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from feedback.exceptions import OutputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: File every folder written by :func:`staged_folder` carries; it lists the folder's files.
MANIFEST = "manifest.json"

#: Table formats :func:`write_table` writes, by file suffix.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")


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


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or str(column.dtype) in {"string", "str"}


_DANGEROUS = frozenset(FORMULA_START)


def _formula_mask(column: pd.Series) -> np.ndarray:
    """Which cells of a text column are strings that a spreadsheet would run as formulas."""
    import numpy as np

    if column.dtype == object:
        # one pass in C over the values (str.startswith on object columns is slower)
        return np.fromiter(
            (isinstance(v, str) and v[:1] in _DANGEROUS for v in column.to_numpy()),
            dtype=bool,
            count=len(column),
        )
    return column.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool)


def neutralise_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with every text cell (and header) formula-safe.

    Only the string cells whose first character is dangerous are changed; they
    are found with vectorised string operations, and columns without such a
    cell are shared with ``table``, not copied (the input is never modified).

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_table(pd.DataFrame({"a": ["=1+1", "ok"], "n": [1, 2]}))["a"].tolist()
    ["'=1+1", 'ok']
    """
    import pandas as pd

    out = table.copy(deep=False)
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not _is_text(column):
            continue
        mask = _formula_mask(column)
        if not mask.any():
            continue
        fixed = column.to_numpy(dtype=object, copy=True)
        fixed[mask] = ["'" + v for v in fixed[mask]]
        out.isetitem(position, pd.Series(fixed, index=column.index, dtype=object))
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _describe(error: OSError) -> str:
    return (error.strerror or str(error) or type(error).__name__).rstrip(".").lower()


@contextlib.contextmanager
def writing(path: str | Path, what: str = "cannot write") -> Iterator[None]:
    """Turn any ``OSError`` raised inside the block into an ``OutputError`` naming ``path``."""
    try:
        yield
    except OutputError:
        raise
    except OSError as error:
        target = error.filename or path
        raise OutputError(f"{target}: {what} ({_describe(error)})") from None


@contextlib.contextmanager
def atomic_path(path: str | Path, mode: str = "w", **kwargs):
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    A reader never sees a half-written file, and a failure leaves any old file
    in place. Errors of the file system become an ``OutputError`` naming ``path``.
    """
    path = Path(path)
    with writing(path):
        if path.is_dir():
            raise OutputError(f"{path}: is a folder; expected a file name")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with writing(path), os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        with writing(path):
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


def write_json(path: str | Path, data: object) -> None:
    """Write ``data`` as indented UTF-8 JSON atomically."""
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def parquet_available() -> bool:
    """Whether Parquet files can be written (pyarrow is installed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def check_table_path(path: str | Path) -> None:
    """Refuse a table path whose format cannot be written here, before any work.

    Raises
    ------
    OutputError
        For ``.parquet`` without pyarrow, naming how to install it.
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet" and not parquet_available():
        raise OutputError(
            f"{path}: writing Parquet needs pyarrow; install it with "
            "pip install 'feedback[parquet]' (or write .csv or .xlsx)"
        )


def write_table(table: pd.DataFrame, path: str | Path, *, safe: bool = True) -> None:
    """Write a table atomically: CSV (formula-safe), ``.tsv``, ``.xlsx`` or ``.parquet``.

    Parameters
    ----------
    table : pandas.DataFrame
    path : str or Path
        ``.xlsx`` writes a workbook, ``.parquet`` a Parquet file (needs the
        optional ``parquet`` extra, pyarrow), ``.tsv`` tab-separated text;
        anything else CSV.
    safe : bool
        Neutralise cells that would start a formula (on by default). Parquet
        files are read by programs, not spreadsheets, and keep every value as it is.

    Raises
    ------
    OutputError
        When the file cannot be written (the message names it), or Parquet is
        asked for without pyarrow.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        check_table_path(path)
        with atomic_path(path, "wb") as handle:
            table.to_parquet(handle, index=False)
        return
    if suffix == ".xlsx":
        out = neutralise_table(table) if safe else table
        with atomic_path(path, "wb") as handle:
            out.to_excel(handle, index=False)
        return
    from feedback.csv_writer import csv_chunks

    # Column-at-a-time writing (see feedback.csv_writer): formula-safe cells, and a
    # cell holding a line break or carriage return is always quoted.
    with atomic_path(path, "wb") as handle:
        for chunk in csv_chunks(table, "\t" if suffix == ".tsv" else ",", safe=safe):
            handle.write(chunk)


# -- checks before any work ------------------------------------------------------------------
def _input_paths(inputs: Iterable[str | Path]) -> tuple[set[Path], set[Path]]:
    files, folders = set(), set()
    for raw in inputs:
        path = Path(raw)
        with contextlib.suppress(OSError):
            if path.is_dir():
                folders.add(path.resolve())
                files.update(p.resolve() for p in path.rglob("*") if p.is_file())
            elif path.exists():
                files.add(path.resolve())
    return files, folders


def check_not_input(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Refuse to write any output over an input file.

    Raises
    ------
    OutputError
        Naming the output that would overwrite an input.
    """
    input_files, _ = _input_paths(inputs)
    for raw in outputs:
        if raw is None:
            continue
        out = Path(raw).resolve()
        if out in input_files:
            raise OutputError(f"{raw}: refusing to write over an input file")


def _existing_ancestor(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path(path.anchor or ".")


def _writable(folder: Path) -> bool:
    """Whether a file can be made in ``folder`` (tried, since permissions alone mislead root)."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        fd, probe = tempfile.mkstemp(prefix=".feedback-check.", dir=folder)
    except OSError:
        return False
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return True


def read_manifest(folder: str | Path) -> dict | None:
    """The manifest of a folder written by feedback, or ``None`` when it has none."""
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if isinstance(data, dict) and "feedback" in data and isinstance(data.get("outputs"), list):
        return data
    return None


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of ``folder`` that an earlier feedback output did not write (all if no manifest)."""
    entries = sorted(p.name for p in folder.iterdir())
    manifest = read_manifest(folder)
    if manifest is None:
        return entries
    ours = {str(n) for n in manifest["outputs"]} | {MANIFEST}
    return [
        name
        for name in entries
        if name not in ours or not (folder / name).is_file() or (folder / name).is_symlink()
    ]


def check_output(
    path: str | Path | None,
    *,
    kind: str = "file",
    inputs: Iterable[str | Path] = (),
    option: str = "--out",
    replace: bool = False,
) -> None:
    """Check an output path before any work is done; raise a one-line error naming it.

    Parameters
    ----------
    path : str, Path or None
        The output (``None`` is allowed and skipped: an option not given).
    kind : {"file", "folder"}
        What the command writes there.
    inputs : iterable of path
        The command's inputs: the output must not be one of them, inside an
        input folder, or a folder holding an input.
    option : str
        The option's name, for the message (``--out``).
    replace : bool
        For folders written with :func:`staged_folder`: an existing non-empty
        folder must be an earlier output of feedback (it has a manifest listing
        every file in it), since it will be replaced as a whole.

    Raises
    ------
    OutputError
        ``"--out report.html: is a file; expected a folder"`` and the like.
    """
    if path is None:
        return
    if kind not in ("file", "folder"):
        raise ValueError(f"kind must be 'file' or 'folder', not {kind!r}")
    raw = Path(path)
    label = f"{option} {raw}"
    with writing(raw, "cannot check the output"):
        target = raw.resolve()
        files, folders = _input_paths(inputs)
        if target in files:
            raise OutputError(f"{label}: is an input file; choose another {kind}")
        if target in folders:
            raise OutputError(f"{label}: is an input folder; choose another {kind}")
        if any(folder in target.parents for folder in folders):
            raise OutputError(f"{label}: is inside an input folder; choose a {kind} elsewhere")
        held = sorted(f for f in files | folders if target in f.parents)
        if kind == "folder" and held:
            raise OutputError(
                f"{label}: holds an input ({held[0].relative_to(target)}); refusing to write "
                "over an input file, so choose another folder"
            )
        if raw.exists() or raw.is_symlink():
            if kind == "file" and raw.is_dir():
                raise OutputError(f"{label}: is a folder; expected a file name")
            if kind == "folder" and not raw.is_dir():
                raise OutputError(f"{label}: is a file; expected a folder")
        parent = _existing_ancestor(target)
        if not parent.is_dir():
            raise OutputError(f"{label}: {parent} is a file, so the {kind} cannot be made")
        if kind == "folder" and raw.is_dir():
            if not _writable(raw):
                raise OutputError(f"{label}: the folder is not writable")
            if replace:
                if not _writable(target.parent):
                    raise OutputError(
                        f"{label}: cannot replace the folder ({target.parent} is not writable)"
                    )
                foreign = _foreign_entries(raw)
                if foreign and read_manifest(raw) is None:
                    raise OutputError(
                        f"{label}: the folder holds files that feedback did not write "
                        f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
                        "choose an empty or new folder"
                    )
                if foreign:
                    raise OutputError(
                        f"{label}: {foreign[0]} is not part of the earlier output in this "
                        "folder; move it away or choose another folder"
                    )
        elif kind == "file" and raw.exists() and not _writable(target.parent):
            raise OutputError(f"{label}: cannot replace the file ({target.parent} is not writable)")
        elif not _writable(parent):
            raise OutputError(f"{label}: cannot write in {parent} (not writable)")


@contextlib.contextmanager
def staged_folder(target: str | Path, *, option: str = "--out") -> Iterator[Path]:
    """Build a folder beside ``target`` and move it into place only when complete.

    The block writes into the yielded temporary folder (``.NAME.*.partial`` in
    the same parent). When it ends without error the folder replaces ``target``
    as a whole: an earlier output there (recognised by its manifest) is removed,
    so no stale file survives a re-run. When the block fails, the temporary
    folder is removed and ``target`` is left as it was.

    A folder that is not an earlier output of feedback, or that holds files its
    manifest does not list, is never deleted: an ``OutputError`` is raised
    before anything is written (see :func:`check_output`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_folder(base / "out") as folder:
    ...     write_json(folder / MANIFEST, {"feedback": "x", "outputs": []})
    >>> sorted(p.name for p in (base / "out").iterdir())
    ['manifest.json']
    """
    target = Path(target)
    check_output(target, kind="folder", option=option, replace=True)
    parent = target.resolve().parent
    with writing(parent, "cannot make a folder"):
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
    try:
        yield staging
        with writing(target, "cannot put the new folder in place"):
            os.chmod(staging, 0o777 & ~_umask())
            if target.is_dir() and any(target.iterdir()):
                check_output(target, kind="folder", option=option, replace=True)
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
                os.replace(target, old / "previous")
                try:
                    os.replace(staging, target)
                except OSError:
                    os.replace(old / "previous", target)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                if target.is_dir():
                    target.rmdir()
                os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
