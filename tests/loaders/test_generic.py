"""The generic table loader: plain CSV/TSV/Excel tables and items tables read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from feedback.exceptions import FormatError
from feedback.io import write_table
from feedback.loaders import LoadOptions, load_file
from feedback.loaders.base import Source
from feedback.loaders.generic import GenericTableLoader
from feedback.schema import ITEM_COLUMNS, Col, Kind


@pytest.fixture
def surveys(data_dir: Path) -> Path:
    return data_dir / "surveys"


def test_comment_and_name_columns(surveys: Path) -> None:
    result = load_file(surveys / "generic-comments.csv")
    items = result.items
    assert result.format == "generic-table"
    assert items[Col.TEXT].tolist() == [
        "Really clear explanation of the codebook",
        "Could you share the slides?",
        "Line one\nline two",
    ]
    assert items[Col.AUTHOR].tolist() == ["Ana", "", "Cleo"]
    assert set(items[Col.KIND]) == {Kind.CHAT}
    assert items[Col.LINE].tolist() == [2, 4, 5]
    assert items[Col.TIMESTAMP].tolist() == [
        pd.Timestamp("2026-03-12 10:05:00"),
        pd.Timestamp("2026-03-12 10:07:30"),
        pd.Timestamp("2026-03-12 10:09:00"),
    ]
    # Columns that are not mapped survive, after the canonical ones.
    assert list(items.columns) == [*ITEM_COLUMNS, "Session", Col.LABELS]
    assert items["Session"].tolist() == ["Morning", "Afternoon", "Afternoon"]
    assert items[Col.LABELS].tolist() == ["praise", "request", ""]
    # Ben's row has no comment: reported, not silently dropped.
    assert [(s.line, s.reason) for s in result.skipped] == [(3, "no text in column 'Comment'")]


def test_strict_mode_refuses_rows_without_text(surveys: Path) -> None:
    with pytest.raises(FormatError, match=r"generic-comments\.csv:3"):
        load_file(surveys / "generic-comments.csv", options=LoadOptions(strict=True))


def test_tsv_with_times_of_day(surveys: Path) -> None:
    result = load_file(surveys / "generic.tsv")
    assert result.format == "generic-table"
    assert result.meta["date_known"] is False
    items = result.items
    assert items[Col.AUTHOR].tolist() == ["Ana", "Ben", "Ana"]
    assert items[Col.TEXT].tolist() == [
        "Hello everyone, glad to be here",
        "Can you hear me?",
        "Yes, loud and clear",
    ]
    dated = load_file(surveys / "generic.tsv", options=LoadOptions(date=date(2026, 3, 12)))
    assert dated.meta["date_known"] is True
    assert dated.items[Col.TIMESTAMP].tolist() == [
        pd.Timestamp("2026-03-12 10:00:05"),
        pd.Timestamp("2026-03-12 10:01:10"),
        pd.Timestamp("2026-03-12 10:02:45"),
    ]


def test_workbook(surveys: Path) -> None:
    result = load_file(surveys / "generic.xlsx")
    items = result.items
    assert result.format == "generic-table"
    assert items[Col.TEXT].tolist() == [
        "Loved the examples",
        "Will the recording be shared?",
        "Thanks all",
    ]
    assert items[Col.AUTHOR].tolist() == ["Ana", "Ben", "Cleo"]
    # A valid kind is kept; an unknown one falls back to chat.
    assert items[Col.KIND].tolist() == [Kind.CHAT, Kind.QUESTION, Kind.CHAT]
    assert items[Col.TIMESTAMP].iloc[1] == pd.Timestamp("2026-03-12 10:31:15")


def test_text_column_must_be_named_when_not_obvious(surveys: Path) -> None:
    path = surveys / "generic-custom.csv"
    assert GenericTableLoader.sniff(Source(path)) == 0
    with pytest.raises(FormatError, match="not a format feedback recognises"):
        load_file(path)
    with pytest.raises(FormatError) as error:
        load_file(path, format="generic-table")
    message = str(error.value)
    assert "generic-custom.csv" in message
    assert "'Participant remark'" in message and "'Who'" in message
    assert "--text-column" in message
    with pytest.raises(FormatError, match=r"generic-custom.csv.*no text column named 'remark'"):
        load_file(path, format="generic-table", options=LoadOptions(text_column="remark"))
    options = LoadOptions(text_column="participant remark", author_column="Who", time_column="When")
    result = load_file(path, format="generic-table", options=options)
    assert result.items[Col.TEXT].tolist() == [
        "The breakout rooms worked well",
        "Please record the next one",
    ]
    assert result.items[Col.AUTHOR].tolist() == ["Ana", "Ben"]
    assert result.items[Col.TIMESTAMP].iloc[0] == pd.Timestamp("2026-03-12 10:20:00")


def test_missing_author_column_names_the_columns(surveys: Path) -> None:
    options = LoadOptions(text_column="Participant remark", author_column="Speaker")
    with pytest.raises(FormatError, match=r"no author column named 'Speaker'.*'Who'"):
        load_file(surveys / "generic-custom.csv", format="generic-table", options=options)


def test_separate_date_and_time_columns(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    path.write_text(
        "Date,Time,From,Message\n12/03/2026,23:59:30,Ana,Late here\n13/03/2026,00:00:10,Ben,Hi\n",
        encoding="utf-8",
    )
    items = load_file(path).items
    assert items[Col.TIMESTAMP].tolist() == [
        pd.Timestamp("2026-03-12 23:59:30"),
        pd.Timestamp("2026-03-13 00:00:10"),
    ]
    assert items[Col.AUTHOR].tolist() == ["Ana", "Ben"]


def test_labelled_table_keeps_its_own_source_column(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(
        'text,labels,source,voice\n"Hello, all",social,chat,nurse\nNo sound?,logistics,chat,gp\n',
        encoding="utf-8",
    )
    items = load_file(path).items
    assert items[Col.SOURCE].tolist() == ["labelled.csv", "labelled.csv"]
    assert items["source_original"].tolist() == ["chat", "chat"]
    assert items[Col.LABELS].tolist() == ["social", "logistics"]
    assert items["voice"].tolist() == ["nurse", "gp"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_items_table_round_trip(surveys: Path, tmp_path: Path, suffix: str) -> None:
    original = load_file(surveys / "google-forms.csv").items
    original[Col.LABELS] = ["praise;pace"] + [""] * (len(original) - 1)
    original.loc[0, Col.TEXT] = "=SUM(A1:A3)"  # written neutralised, read back as it was
    original.loc[1, Col.TEXT] = "- a dash first"
    original.loc[2, Col.IS_PRIVATE] = True
    original.loc[3, Col.KIND] = Kind.CHAT
    path = tmp_path / f"items{suffix}"
    write_table(original, path)
    source = Source(path)
    assert GenericTableLoader.sniff(source) == 0.95
    result = load_file(path)
    assert result.format == "generic-table"
    assert result.meta["round_trip"] is True
    back = result.items
    assert list(back.columns) == [*ITEM_COLUMNS, Col.LABELS]
    assert back[Col.SOURCE].tolist() == ["google-forms.csv"] * len(original)
    assert back[Col.FORMAT].tolist() == ["google-forms"] * len(original)
    assert back[Col.ITEM_ID].tolist() == original[Col.ITEM_ID].tolist()
    assert back[Col.TEXT].iloc[0] == "=SUM(A1:A3)"
    assert back[Col.IS_PRIVATE].tolist() == [False, False, True] + [False] * (len(original) - 3)
    for column in back.columns:
        if column != Col.TIMESTAMP:
            assert back[column].tolist() == original[column].tolist(), column
    assert back[Col.TIMESTAMP].tolist() == original[Col.TIMESTAMP].tolist()
    assert back[Col.SOURCE].dtype == object


def test_round_trip_takes_a_new_webinar_name_when_given(surveys: Path, tmp_path: Path) -> None:
    original = load_file(surveys / "google-forms.csv").items
    path = tmp_path / "items.csv"
    write_table(original, path)
    renamed = load_file(path, options=LoadOptions(webinar="Spring series")).items
    assert set(renamed[Col.WEBINAR]) == {"Spring series"}
    assert set(renamed[Col.SOURCE]) == {"google-forms.csv"}


@pytest.mark.parametrize(
    ("data", "score"),
    [
        (b"Name,Comment\nAna,Hi\n", 0.1),
        (b"id;MESSAGE;user\n1;Hi;Ana\n", 0.1),
        (b"Who,What\nAna,Hi\n", 0.0),
        (b"Attendee Report,\nReport Generated:,x\n", 0.0),
        (b"10:00:00 From A to Everyone:\n\tHello\n", 0.0),
        (b"", 0.0),
        (b"PK\x03\x04garbage", 0.0),
    ],
)
def test_sniff_scores(data: bytes, score: float) -> None:
    assert GenericTableLoader.sniff(Source("t.csv", data=data)) == score


def test_empty_file_is_an_error() -> None:
    with pytest.raises(FormatError, match=r"empty\.csv"):
        load_file("empty.csv", format="generic-table", data=b"\n\n")
