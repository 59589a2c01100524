"""The column-at-a-time CSV writer reads back exactly as pandas' own writer does."""

from __future__ import annotations

import csv
import io
import random

import numpy as np
import pandas as pd
import pytest

from feedback.csv_writer import csv_chunks
from feedback.io import neutralise_table, write_table


def _ours(table: pd.DataFrame, sep: str = ",", safe: bool = True) -> bytes:
    return b"".join(csv_chunks(table, sep, safe=safe))


def _pandas(table: pd.DataFrame, sep: str = ",", safe: bool = True) -> bytes:
    out = neutralise_table(table) if safe else table
    ending = (
        "\r\n"
        if any(out[c].astype(str).str.contains("\r", regex=False).any() for c in out.columns)
        else "\n"
    )
    return out.to_csv(index=False, sep=sep, lineterminator=ending).encode("utf-8")


def _read(data: bytes, sep: str = ",") -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False)


def _mixed_table(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    words = ["care", "ICB", "spread", "=SUM(A1)", "+44 7700", "-", "@host", "it's", "naïve"]
    marks = ["", ",", '"', "\n", "\r", "\r\n", " 👍", "\t", ";"]
    texts = []
    for _ in range(rows):
        parts = [rng.choice(words) for _ in range(rng.randint(0, 5))]
        texts.append(" ".join(parts) + rng.choice(marks) + rng.choice(words))
    stamps = pd.to_datetime("2026-03-05 10:00:00") + pd.to_timedelta(
        [rng.randint(0, 7200) for _ in range(rows)], unit="s"
    )
    frame = pd.DataFrame(
        {
            "item_id": [f"chat-{i:05d}" for i in range(rows)],
            "kind": [rng.choice(["chat", "reaction", "question"]) for _ in range(rows)],
            "timestamp": stamps,
            "is_private": [rng.random() < 0.1 for _ in range(rows)],
            "empty": [""] * rows,
            "text": texts,
            "line": pd.array([i if i % 7 else None for i in range(rows)], dtype="Int64"),
            "score": [rng.random() if i % 5 else np.nan for i in range(rows)],
            "count": np.arange(rows, dtype=np.int64),
            "mixed": [rng.choice([1, "two", None, 3.5, np.nan]) for _ in range(rows)],
        }
    )
    frame.loc[::11, "timestamp"] = pd.NaT
    return frame


@pytest.mark.parametrize("rows", [0, 1, 3, 250, 2_000])
@pytest.mark.parametrize("sep", [",", "\t"])
def test_reads_back_as_pandas_writes(rows, sep):
    table = _mixed_table(rows)
    ours, theirs = _ours(table, sep), _pandas(table, sep)
    back = _read(ours, sep)
    assert len(back) == rows
    pd.testing.assert_frame_equal(back, _read(theirs, sep))


def test_same_bytes_as_pandas_where_quoting_is_sparse():
    # Distinct texts, few of which need quotes: only those are quoted, as pandas does.
    texts = [f"comment {i} naïve 😊" for i in range(200)]
    texts[3], texts[50], texts[77], texts[120] = "x, y", 'say "hi"', "=1+1", None
    table = pd.DataFrame(
        {
            "a": texts,
            "n": pd.array([None if i % 9 == 0 else i for i in range(200)], dtype="Int64"),
            "f": [[0.5, np.nan, 1e-05, 2.0, 1e16, -3.25][i % 6] for i in range(200)],
            "b": [i % 3 == 0 for i in range(200)],
        }
    )
    assert _ours(table) == _pandas(table)


def test_many_cells_needing_quotes_quote_the_whole_column():
    table = pd.DataFrame({"a": [f"{i}, and more" for i in range(1500)], "n": range(1500)})
    lines = _ours(table).splitlines()
    assert lines[1] == b'"0, and more",0'
    assert _read(_ours(table))["a"].tolist() == table["a"].tolist()


def test_exact_text_of_a_small_table():
    table = pd.DataFrame({"a": ["=1+1", "x, y"], "n": [1, None]})
    assert _ours(table) == b'a,n\n\'=1+1,1.0\n"x, y",\n'
    assert _ours(table, safe=False) == b'a,n\n=1+1,1.0\n"x, y",\n'


@pytest.mark.parametrize(
    ("stamps", "expected"),
    [
        (["2026-03-05", "2026-03-06"], ["2026-03-05", "2026-03-06"]),
        (["2026-03-05 10:00:01", "2026-03-06"], ["2026-03-05 10:00:01", "2026-03-06 00:00:00"]),
        (["2026-03-05 10:00:01.250", None], ["2026-03-05 10:00:01.250", ""]),
        (["2026-03-05 10:00:01.000250"], ["2026-03-05 10:00:01.000250"]),
        (
            ["1900-01-01 09:00:03", "1900-01-07 03:58:45"],
            ["1900-01-01 09:00:03", "1900-01-07 03:58:45"],
        ),
    ],
)
def test_times_are_written_as_pandas_writes_them(stamps, expected):
    table = pd.DataFrame({"t": pd.to_datetime(pd.Series(stamps), format="ISO8601")})
    assert _read(_ours(table))["t"].tolist() == expected
    assert _ours(table) == _pandas(table)


def test_formulas_are_neutralised_wherever_they_are():
    cells = ["=A1", "ok", "+1", "-2", "@x", "\tx", "\rx", "fine=1", "a\x00=b"]
    table = pd.DataFrame({"text": cells * 3, "other": ["o"] * len(cells) * 3})
    back = _read(_ours(table))["text"].tolist()
    expected = ["'=A1", "ok", "'+1", "'-2", "'@x", "'\tx", "'\rx", "fine=1", "a\x00=b"] * 3
    assert back == expected
    assert _read(_ours(table, safe=False))["text"].tolist() == cells * 3


def test_line_breaks_and_carriage_returns_stay_in_their_cell():
    cells = ["one\ntwo", "cr\rhere", "crlf\r\nthere", "", "end"]
    table = pd.DataFrame({"text": cells, "n": range(5)})
    data = _ours(table)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [r[0] for r in rows[1:]] == cells
    assert len(rows) == 6


def test_a_single_column_keeps_its_empty_rows():
    table = pd.DataFrame({"text": ["a", "", None, "b"]})
    back = _read(_ours(table))
    assert back["text"].tolist() == ["a", "", "", "b"]
    constant = pd.DataFrame({"text": ["", "", ""]})
    assert len(_read(_ours(constant))) == 3


def test_header_names_are_quoted_and_neutralised():
    table = pd.DataFrame({"=cmd": [1], "a,b": [2]})
    assert _ours(table).splitlines()[0] == b'\'=cmd,"a,b"'


def test_write_table_uses_it(tmp_path):
    table = _mixed_table(500, seed=3)
    write_table(table, tmp_path / "t.csv")
    write_table(table, tmp_path / "t.tsv")
    assert (tmp_path / "t.csv").read_bytes() == _ours(table)
    pd.testing.assert_frame_equal(
        _read((tmp_path / "t.tsv").read_bytes(), "\t"), _read(_pandas(table))
    )
