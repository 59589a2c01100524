"""Tagged comments and codebooks written in the format their file name asks for.

=============  =================================================================
``.csv``       the tagged items table, as ``feedback tag`` always wrote it
``.xlsx``      an Excel workbook: one column per code group, filters, frozen
               header and wrapped text, and a second sheet with the codebook
``.qdpx``      a REFI-QDA project for NVivo, MAXQDA, ATLAS.ti or QualCoder
               (see :mod:`feedback.refi_qda`)
=============  =================================================================

The workbook and the project are made to be handed to other people: private
messages are left out and participants are named by pseudonyms (by default).
Every file is written atomically and formula-safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from feedback.exceptions import OutputError
from feedback.schema import Col

if TYPE_CHECKING:
    import pandas as pd

    from feedback.codebook import Codebook

#: Extensions :func:`write_tagged` writes itself; other table formats that
#: :func:`feedback.io.write_table` knows (``TABLE_SUFFIXES``) are written by it.
TAGGED_SUFFIXES = (".csv", ".xlsx", ".qdpx")


def tagged_suffixes() -> tuple[str, ...]:
    """Every extension ``feedback tag --out`` accepts."""
    from feedback import io

    return tuple(dict.fromkeys([*TAGGED_SUFFIXES, *getattr(io, "TABLE_SUFFIXES", ())]))


#: Extensions :func:`write_codebook` writes.
CODEBOOK_SUFFIXES = (".yaml", ".yml", ".qdc")

#: Sheet names of the workbook.
COMMENTS_SHEET = "Tagged comments"
CODEBOOK_SHEET = "Codebook"


@dataclass
class Written:
    """What was written: rows (comments or coded selections) and a description."""

    path: Path
    rows: int
    what: str


def check_suffix(path: str | Path, suffixes: Sequence[str], option: str = "--out") -> str:
    """The lower-case suffix of ``path``; an :class:`OutputError` if it is not one of ``suffixes``.

    Examples
    --------
    >>> check_suffix("tagged.XLSX", TAGGED_SUFFIXES)
    '.xlsx'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in suffixes:
        raise OutputError(
            f"{option} {path}: the file name must end in {', '.join(suffixes)} "
            "(the format follows the extension)"
        )
    return suffix


def write_tagged(
    tagged: pd.DataFrame,
    path: str | Path,
    codebook: Codebook,
    *,
    title: str = "Webinar feedback",
    names: str = "pseudonym",
    keep_names: Sequence[str] = (),
) -> Written:
    """Write a tagged table as CSV, Excel or a REFI-QDA project, by the file's extension.

    Parameters
    ----------
    tagged : pandas.DataFrame
        A tagged items table (``labels``, ``scores``, ...).
    path : str or Path
        Ends in ``.csv``, ``.xlsx`` or ``.qdpx`` (or another table format of
        :func:`feedback.io.write_table`, written as that writes it).
    codebook : Codebook
        The codebook the table was tagged with.
    title : str
        Name of the REFI-QDA project.
    names, keep_names
        How people are named in the workbook and the project (pseudonyms by default).

    Returns
    -------
    Written

    Raises
    ------
    OutputError
        For another extension.
    """
    from feedback.io import write_table

    path = Path(path)
    suffix = check_suffix(path, tagged_suffixes())
    if suffix == ".qdpx":
        from feedback.refi_qda import write_project

        summary = write_project(
            tagged, path, codebook, title=title, names=names, keep_names=keep_names
        )
        return Written(
            path,
            summary.selections,
            f"a REFI-QDA project: {summary.selections} coded selections in {summary.sources} "
            f"sources, {summary.cases} cases ({summary.private_left_out} private messages "
            "left out)",
        )
    if suffix == ".xlsx":
        rows = write_workbook(tagged, path, codebook, names=names, keep_names=keep_names)
        return Written(path, rows, f"an Excel workbook of {rows} comments")
    write_table(tagged, path)
    return Written(path, len(tagged), f"{len(tagged)} rows")


def _shareable(
    tagged: pd.DataFrame, names: str, keep_names: Sequence[str]
) -> tuple[pd.DataFrame, int]:
    """Public tagged rows with names pseudonymised; and the count of private rows left out."""
    from feedback.analysis import taggable_mask
    from feedback.privacy import Pseudonymiser, learn_people, pseudonymise_items
    from feedback.schema import coerce_items

    table = coerce_items(tagged)
    private = table[Col.IS_PRIVATE].astype(bool)
    pseudonymiser = Pseudonymiser(names, keep=list(keep_names))
    learn_people(pseudonymiser, table)
    public = pseudonymise_items(table[~private & taggable_mask(table)], pseudonymiser)
    return public.reset_index(drop=True), int(private.sum())


def comments_sheet(tagged: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The comments as the workbook shows them: one column per code group.

    Each group's column holds the labels of the row's codes in that group,
    joined by ``", "``.
    """
    import pandas as pd

    from feedback.classifier import parse_labels

    columns = {
        "Webinar": tagged[Col.WEBINAR],
        "Source": tagged[Col.SOURCE],
        "Kind": tagged[Col.KIND],
        "Time": tagged[Col.TIMESTAMP].dt.tz_localize(None)
        if getattr(tagged[Col.TIMESTAMP].dt, "tz", None) is not None
        else tagged[Col.TIMESTAMP],
        "Author": tagged[Col.AUTHOR],
    }
    if (tagged[Col.QUESTION] != "").any():
        columns["Survey question"] = tagged[Col.QUESTION]
    columns["Comment"] = tagged[Col.TEXT]
    labels = [parse_labels(cell) for cell in tagged[Col.LABELS]]
    for group in codebook.groups:
        columns[group.capitalize()] = [
            ", ".join(codebook.label(c) for c in row if codebook.group_of(c) == group)
            for row in labels
        ]
    if Col.SENTIMENT in tagged.columns:
        columns["Sentiment"] = tagged[Col.SENTIMENT].round(3)
    if Col.IS_QUESTION in tagged.columns:
        columns["Question"] = tagged[Col.IS_QUESTION].map({True: "yes", False: ""})
    return pd.DataFrame(columns)


def codebook_sheet(codebook: Codebook) -> pd.DataFrame:
    """The codebook as a table: group, label, id, description and key phrases."""
    import pandas as pd

    return pd.DataFrame(
        {
            "Group": [c.group for c in codebook.codes],
            "Code": [c.label for c in codebook.codes],
            "Id": [c.id for c in codebook.codes],
            "Description": [c.description for c in codebook.codes],
            "Key phrases": ["; ".join(c.phrases) for c in codebook.codes],
        }
    )


#: Column widths (characters) of the workbook, by header; others get 16.
_WIDTHS = {
    "Comment": 70,
    "Description": 70,
    "Key phrases": 50,
    "Survey question": 40,
    "Time": 20,
    "Author": 20,
}


def write_workbook(
    tagged: pd.DataFrame,
    path: str | Path,
    codebook: Codebook,
    *,
    names: str = "pseudonym",
    keep_names: Sequence[str] = (),
) -> int:
    """Write the tagged comments and the codebook as an Excel workbook, atomically.

    The first sheet has one row per public comment and one column per code group,
    with filters on, the header frozen and long text wrapped; the second sheet is
    the codebook. Private messages are left out, names pseudonymised (by default),
    and cells that a spreadsheet would run as formulas are neutralised.

    Returns
    -------
    int
        The number of comments written.

    Examples
    --------
    >>> write_workbook(tagged, "tagged.xlsx", codebook)  # doctest: +SKIP
    344
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from feedback.io import atomic_path, neutralise_table

    public, _ = _shareable(tagged, names, keep_names)
    book = Workbook()
    sheets = [
        (book.active, COMMENTS_SHEET, comments_sheet(public, codebook)),
        (book.create_sheet(), CODEBOOK_SHEET, codebook_sheet(codebook)),
    ]
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet, name, table in sheets:
        sheet.title = name
        safe = neutralise_table(table)
        sheet.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, header in enumerate(safe.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = _WIDTHS.get(str(header), 16)
            if _WIDTHS.get(str(header), 16) >= 40:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = wrap
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    with atomic_path(path, "wb") as handle:
        book.save(handle)
    return len(public)


#: Most characters an Excel cell holds.
EXCEL_CELL_MAX = 32_767


def _cell(value: object) -> object:
    """A value a workbook can hold: blanks empty, text without control characters and cut
    to Excel's cell limit (ending in "…" when cut), timestamps as plain datetimes."""
    import pandas as pd
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > EXCEL_CELL_MAX:
            value = value[: EXCEL_CELL_MAX - 1] + "…"
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def write_codebook(codebook: Codebook, path: str | Path) -> Written:
    """Write ``codebook`` as YAML (``.yaml``/``.yml``) or a REFI-QDA codebook (``.qdc``).

    Raises
    ------
    OutputError
        For another extension.
    """
    from feedback.io import write_text

    path = Path(path)
    suffix = check_suffix(path, CODEBOOK_SUFFIXES, option="codebook export")
    if suffix == ".qdc":
        from feedback.refi_qda import write_codebook as write_qdc

        write_qdc(codebook, path)
        return Written(path, len(codebook), f"a REFI-QDA codebook of {len(codebook)} codes")
    write_text(path, codebook.to_yaml())
    return Written(path, len(codebook), f"a YAML codebook of {len(codebook)} codes")
