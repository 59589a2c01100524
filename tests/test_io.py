"""Tests of feedback.io: formula-safe tables, Parquet, atomic files, checks and staged folders."""

from __future__ import annotations

import json
import os
import sys

import pandas as pd
import pytest

from feedback.exceptions import OutputError
from feedback.io import (
    MANIFEST,
    check_output,
    check_table_path,
    neutralise_cell,
    neutralise_table,
    read_manifest,
    staged_folder,
    write_bytes,
    write_json,
    write_table,
)


# -- formula-safe tables --------------------------------------------------------------------------
def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": ["=1+1", "+SUM(A1)", "-3 for sound", "@Sam hi", "\tTAB", "\rCR", "fine", ""],
            "n": [1, 2, 3, 4, 5, 6, 7, 8],
            "mixed": pd.Series(["=x", 1, None, "ok", 2.5, "-y", "z", "@"], dtype=object),
        }
    )


def test_neutralise_table_changes_only_dangerous_string_cells():
    table = _table()
    before = table.copy()
    out = neutralise_table(table)
    assert out["text"].tolist() == [
        "'=1+1", "'+SUM(A1)", "'-3 for sound", "'@Sam hi", "'\tTAB", "'\rCR", "fine", ""
    ]  # fmt: skip
    assert out["n"].tolist() == list(range(1, 9))
    assert out["mixed"].tolist() == ["'=x", 1, None, "ok", 2.5, "'-y", "z", "'@"]
    pd.testing.assert_frame_equal(table, before)  # the input is never modified


def test_neutralise_table_agrees_with_the_cell_function():
    values = ["=a", "a=", "", "-", "+1", "@", "x@y", " =", "'=", "\t", "ü=", None]
    table = pd.DataFrame({"v": pd.Series(values, dtype=object), "w": values})
    out = neutralise_table(table)
    expected = [neutralise_cell(v) for v in values]
    assert out["v"].tolist() == expected
    assert [v if v is not None else None for v in out["w"].tolist()][:11] == expected[:11]


def test_neutralise_table_headers_and_non_text_columns():
    table = pd.DataFrame({"=HYPERLINK()": ["a"], "@when": pd.to_datetime(["2026-01-01"])})
    out = neutralise_table(table)
    assert list(out.columns) == ["'=HYPERLINK()", "'@when"]
    assert out.iloc[0, 1] == pd.Timestamp("2026-01-01")


def test_neutralise_table_object_column_without_strings():
    table = pd.DataFrame({"o": pd.Series([1, None, 2.0], dtype=object)})
    assert neutralise_table(table)["o"].tolist() == [1, None, 2.0]


def test_csv_is_formula_safe_and_reads_back(tmp_path):
    path = tmp_path / "t.csv"
    write_table(_table(), path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["text"].tolist()[:4] == ["'=1+1", "'+SUM(A1)", "'-3 for sound", "'@Sam hi"]
    assert len(back) == 8


def test_tsv_and_unsafe_csv(tmp_path):
    write_table(_table(), tmp_path / "t.tsv")
    assert (tmp_path / "t.tsv").read_text(encoding="utf-8").splitlines()[0] == "text\tn\tmixed"
    write_table(_table(), tmp_path / "raw.csv", safe=False)
    assert pd.read_csv(tmp_path / "raw.csv")["text"].iloc[0] == "=1+1"


def test_large_table_round_trip(tmp_path):
    n = 30_000
    table = pd.DataFrame({"text": ["=x", "plain", "-1", "ok"] * (n // 4), "k": range(n)})
    write_table(table, tmp_path / "big.csv")
    back = pd.read_csv(tmp_path / "big.csv", dtype=str, keep_default_na=False)
    assert len(back) == n
    assert (back["text"] == "'=x").sum() == n // 4
    assert (back["text"] == "'-1").sum() == n // 4
    assert (back["text"] == "plain").sum() == n // 4


# -- Parquet --------------------------------------------------------------------------------------
def test_parquet_round_trip_keeps_values(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "items.parquet"
    write_table(_table()[["text", "n"]], path)
    back = pd.read_parquet(path)
    assert back["text"].tolist()[0] == "=1+1"  # programs read Parquet, not spreadsheets
    assert back["n"].tolist() == list(range(1, 9))
    assert [p.name for p in tmp_path.iterdir()] == ["items.parquet"]


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # "import pyarrow" now fails
    with pytest.raises(OutputError, match=r"items\.parquet: writing Parquet needs pyarrow"):
        check_table_path(tmp_path / "items.parquet")
    with pytest.raises(OutputError, match=r"pip install 'feedback\[parquet\]'"):
        write_table(_table(), tmp_path / "items.parquet")
    assert list(tmp_path.iterdir()) == []


# -- atomic files ---------------------------------------------------------------------------------
def test_write_over_a_folder_is_a_one_line_error(tmp_path):
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(OutputError, match=r"out\.csv: is a folder; expected a file name"):
        write_table(_table(), tmp_path / "out.csv")


def test_oserror_names_the_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"file.*(not a directory|file exists)") as info:
        write_bytes(blocker / "inside.png", b"x")
    assert "\n" not in str(info.value)


def test_write_json(tmp_path):
    write_json(tmp_path / "a.json", {"b": "é", "n": 1})
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == {"b": "é", "n": 1}


# -- checks before any work -----------------------------------------------------------------------
@pytest.fixture
def layout(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    chat = inputs / "chat.txt"
    chat.write_text("x", encoding="utf-8")
    existing = tmp_path / "existing.txt"
    existing.write_text("x", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    return tmp_path, inputs, chat, existing, folder


@pytest.mark.parametrize(
    ("case", "kind", "message"),
    [
        ("chat", "file", "is an input file"),
        ("inputs", "folder", "is an input folder"),
        ("inside", "file", "is inside an input folder"),
        ("inside", "folder", "is inside an input folder"),
        ("existing", "folder", "is a file; expected a folder"),
        ("folder", "file", "is a folder; expected a file name"),
        ("under_file", "file", "is a file, so the file cannot be made"),
        ("base", "folder", "holds an input"),
    ],
)
def test_check_output_refusals(layout, case, kind, message):
    base, inputs, chat, existing, folder = layout
    path = {
        "chat": chat,
        "inputs": inputs,
        "inside": inputs / "out",
        "existing": existing,
        "folder": folder,
        "under_file": existing / "deeper" / "x.csv",
        "base": base,
    }[case]
    with pytest.raises(OutputError) as info:
        check_output(path, kind=kind, inputs=[inputs])
    text = str(info.value)
    assert text.startswith(f"--out {path}: ")
    assert message in text
    assert "\n" not in text


def test_check_output_accepts_new_and_existing_outputs(layout):
    base, inputs, chat, existing, folder = layout
    check_output(None, inputs=[inputs])
    check_output(base / "new" / "items.csv", inputs=[inputs])
    check_output(existing, inputs=[inputs])  # a file output may be replaced
    check_output(folder, kind="folder", inputs=[inputs], replace=True)  # empty folder
    check_output(base / "report", kind="folder", inputs=[chat], replace=True)


def test_check_output_unwritable_place():
    with pytest.raises(OutputError, match=r"^--out /proc/feedback-out: cannot write in /proc"):
        check_output("/proc/feedback-out", kind="folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_check_output_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="not writable"):
            check_output(folder, kind="folder")
        with pytest.raises(OutputError, match="not writable"):
            check_output(folder / "items.csv")
    finally:
        folder.chmod(0o755)


def test_check_output_refuses_a_folder_that_is_not_a_feedback_output(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "report.md").mkdir()
    with pytest.raises(OutputError, match="holds files that feedback did not write") as info:
        check_output(folder, kind="folder", replace=True)
    assert "notes.txt" in str(info.value)
    check_output(folder, kind="folder")  # writing single files into it is fine


def test_check_output_refuses_a_file_the_earlier_report_did_not_list(tmp_path):
    folder = tmp_path / "report"
    folder.mkdir()
    write_json(folder / MANIFEST, {"feedback": "0.1.0", "outputs": ["report.md"]})
    (folder / "report.md").write_text("old", encoding="utf-8")
    check_output(folder, kind="folder", replace=True)
    (folder / "my-notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"my-notes\.txt is not part of the earlier output"):
        check_output(folder, kind="folder", replace=True)


def test_read_manifest(tmp_path):
    assert read_manifest(tmp_path) is None
    (tmp_path / MANIFEST).write_text("[1, 2]", encoding="utf-8")
    assert read_manifest(tmp_path) is None
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    assert read_manifest(tmp_path) is None
    write_json(tmp_path / MANIFEST, {"feedback": "0.1.0", "outputs": ["a.png"]})
    assert read_manifest(tmp_path) == {"feedback": "0.1.0", "outputs": ["a.png"]}


# -- staged folders -------------------------------------------------------------------------------
def _write_output(folder, names):
    for name in names:
        (folder / name).write_text(name, encoding="utf-8")
    write_json(folder / MANIFEST, {"feedback": "0.1.0", "outputs": sorted(names)})


def test_staged_folder_replaces_an_earlier_output_as_a_whole(tmp_path):
    target = tmp_path / "report"
    with staged_folder(target) as folder:
        assert folder.parent == tmp_path and folder.name.startswith(".report.")
        _write_output(folder, ["a.png", "b.png", "report.md"])
    assert sorted(p.name for p in target.iterdir()) == ["a.png", "b.png", MANIFEST, "report.md"]
    with staged_folder(target) as folder:
        _write_output(folder, ["report.md"])
    # no stale chart from the first run, and no temporary folder left beside the target
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "report.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_staged_folder_failure_leaves_the_earlier_output(tmp_path):
    target = tmp_path / "report"
    with staged_folder(target) as folder:
        _write_output(folder, ["report.md"])
    with pytest.raises(RuntimeError, match="boom"), staged_folder(target) as folder:
        _write_output(folder, ["new.png"])
        raise RuntimeError("boom")
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "report.md"]
    assert (target / "report.md").read_text(encoding="utf-8") == "report.md"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_staged_folder_into_an_empty_or_new_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with staged_folder(tmp_path / "empty") as folder:
        _write_output(folder, ["x.csv"])
    with staged_folder(tmp_path / "deep" / "new") as folder:
        _write_output(folder, ["x.csv"])
    assert (tmp_path / "empty" / "x.csv").is_file()
    assert (tmp_path / "deep" / "new" / "x.csv").is_file()


def test_staged_folder_never_deletes_a_foreign_folder(tmp_path):
    target = tmp_path / "photos"
    target.mkdir()
    (target / "holiday.jpg").write_bytes(b"jpg")
    refused = pytest.raises(OutputError, match="holds files that feedback did not write")
    with refused, staged_folder(target) as folder:
        _write_output(folder, ["report.md"])
    assert [p.name for p in target.iterdir()] == ["holiday.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]


def test_staged_folder_when_the_swap_fails(tmp_path, monkeypatch):
    target = tmp_path / "report"
    with staged_folder(target) as folder:
        _write_output(folder, ["report.md"])
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # moving the new folder into place
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    failed = pytest.raises(OutputError, match=r"report: cannot put the new folder in place")
    with failed, staged_folder(target) as folder:
        _write_output(folder, ["other.md"])
    monkeypatch.undo()
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "report.md"]
