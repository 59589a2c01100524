"""The Excel export: one column per code group, filters, frozen header, wrapped text,
a codebook sheet, formula-safe cells, no private messages. Read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback.cli import app
from feedback.codebook import load_codebook
from feedback.exceptions import OutputError
from feedback.export import (
    CODEBOOK_SHEET,
    COMMENTS_SHEET,
    check_suffix,
    write_tagged,
    write_workbook,
)
from feedback.schema import Col, Kind, items_from_records

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
runner = CliRunner()


def _tagged() -> pd.DataFrame:
    """Five hand-made tagged rows: formulas, a private message, two groups."""
    records = [
        {Col.KIND: Kind.CHAT, Col.AUTHOR: "Ann Lee", Col.TEXT: '=HYPERLINK("http://x","y")'},
        {Col.KIND: Kind.CHAT, Col.AUTHOR: "Bob Roy", Col.TEXT: "+1 great networks"},
        {Col.KIND: Kind.CHAT, Col.AUTHOR: "Ann Lee", Col.TEXT: "secret", Col.IS_PRIVATE: True},
        {Col.KIND: Kind.REACTION, Col.AUTHOR: "Bob Roy", Col.TEXT: "👍"},
        {Col.KIND: Kind.CHAT, Col.AUTHOR: "Cat Poe", Col.TEXT: "@all thanks Ann Lee"},
    ]
    for number, record in enumerate(records, start=1):
        record.update({Col.WEBINAR: "w", Col.SOURCE: "chat.txt", Col.ITEM_ID: f"c-{number}"})
        record[Col.TIMESTAMP] = f"2026-03-12 10:0{number}:00"
    items = items_from_records(records)
    items[Col.LABELS] = ["networks;slides_visuals", "networks;learning", "failure", "", "social"]
    items[Col.SCORES] = ["networks:0.9", "networks:0.8;learning:0.7", "failure:0.9", "", ""]
    items[Col.SENTIMENT] = [0.1, 0.6, 0.0, float("nan"), 0.4]
    items[Col.IS_QUESTION] = [False, False, False, False, True]
    return items


@pytest.fixture
def workbook(tmp_path) -> openpyxl.Workbook:
    path = tmp_path / "tagged.xlsx"
    assert write_workbook(_tagged(), path, load_codebook()) == 3
    return openpyxl.load_workbook(path)


def test_sheets_header_filters_and_frozen_row(workbook):
    assert workbook.sheetnames == [COMMENTS_SHEET, CODEBOOK_SHEET]
    sheet = workbook[COMMENTS_SHEET]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Webinar", "Source", "Kind", "Time", "Author", "Comment",
        "Principle", "Activity", "Theme", "Request", "Other", "Sentiment", "Question",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M4"
    assert all(c.font.bold for c in sheet[1])
    comment = header.index("Comment") + 1
    assert all(sheet.cell(row, comment).alignment.wrap_text for row in range(2, 5))


def test_one_column_per_group_and_no_private_row(workbook):
    rows = list(workbook[COMMENTS_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3  # the private message and the reaction are left out
    header = [c.value for c in workbook[COMMENTS_SHEET][1]]
    table = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    assert list(table["Principle"]) == ["Networks", "Networks, Learning", None]
    assert list(table["Request"]) == ["Slides and visuals", None, None]
    assert list(table["Other"]) == [None, None, "Social"]
    assert list(table["Question"]) == [None, None, "yes"]
    assert table["Time"][0].isoformat() == "2026-03-12T10:01:00"
    everything = " ".join(str(v) for row in rows for v in row)
    assert "secret" not in everything
    assert "Ann Lee" not in everything and "Bob Roy" not in everything
    assert list(table["Author"]) == ["Participant 1", "Participant 2", "Participant 3"]
    assert table["Comment"][2] == "'@all thanks Participant 1"


def test_cells_are_formula_safe(workbook):
    sheet = workbook[COMMENTS_SHEET]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    comments = [sheet.cell(row, 6).value for row in range(2, 5)]
    assert comments[0] == '\'=HYPERLINK("http://x","y")'
    assert comments[1] == "'+1 great networks"


def test_control_characters_and_very_long_comments(tmp_path):
    items = _tagged()
    items.loc[0, Col.TEXT] = "bell\x07 and\x0b vertical tab"
    items.loc[1, Col.TEXT] = "x" * 40_000
    path = tmp_path / "odd.xlsx"
    write_workbook(items, path, load_codebook())
    sheet = openpyxl.load_workbook(path)[COMMENTS_SHEET]
    assert sheet.cell(2, 6).value == "bell and vertical tab"
    long = sheet.cell(3, 6).value
    assert len(long) == 32_767 and long.endswith("…")


def test_codebook_sheet(workbook):
    book = load_codebook()
    rows = list(workbook[CODEBOOK_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("Group", "Code", "Id", "Description", "Key phrases")
    assert [r[2] for r in rows[1:]] == book.ids
    assert rows[1][1] == book.codes[0].label
    assert rows[1][4] == "; ".join(book.codes[0].phrases)
    assert workbook[CODEBOOK_SHEET].freeze_panes == "A2"


def test_format_follows_the_extension(tmp_path):
    book = load_codebook()
    written = write_tagged(_tagged(), tmp_path / "t.csv", book)
    assert written.rows == 5
    table = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert table[Col.TEXT][0] == '\'=HYPERLINK("http://x","y")'
    assert write_tagged(_tagged(), tmp_path / "t.XLSX", book).rows == 3
    with pytest.raises(OutputError, match=r"--out t\.json: the file name must end in"):
        check_suffix("t.json", (".csv", ".xlsx", ".qdpx"))
    with pytest.raises(OutputError):
        write_tagged(_tagged(), tmp_path / "t.json", book)
    assert not (tmp_path / "t.json").exists()


def test_tag_command_writes_a_workbook(tmp_path, default_tagger):
    out = tmp_path / "tagged.xlsx"
    result = runner.invoke(app, ["tag", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    rows = book[COMMENTS_SHEET].max_row - 1
    assert f"an Excel workbook of {rows} comments" in result.output
    assert rows > 300
    refused = runner.invoke(app, ["tag", str(SAMPLE), "--out", str(tmp_path / "t.json")])
    assert refused.exit_code == 1 and ".xlsx" in refused.stderr
