"""Output safety of every command (#13): check first, then work, then swap in.

Each refusal must come before anything is loaded (the loaders are replaced by a trap), be
one line naming the path, and leave every file as it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feedback.cli import app

DATA = Path(__file__).resolve().parent / "data"
CHAT = DATA / "privacy" / "meeting_saved_chat.txt"
SURVEY = DATA / "privacy" / "survey.csv"
LABELLED = DATA / "tagging"


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def no_loading(monkeypatch):
    """Fail the test if a command loads its inputs or a model."""
    import feedback.loaders

    def trap(*args, **kwargs):
        raise AssertionError("the command loaded its inputs before checking its output")

    for name in ("load_inputs", "load_webinar", "load_file"):
        monkeypatch.setattr(feedback.loaders, name, trap)


def _one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


# -- refused before any work ----------------------------------------------------------------------
def test_report_out_existing_file(tmp_path, no_loading):
    target = tmp_path / "report.html"
    target.write_text("mine", encoding="utf-8")
    result = _invoke("report", CHAT, "--out", target)
    _one_line_error(result, f"--out {target}: is a file; expected a folder")
    assert target.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("command", ["anonymise", "report"])
def test_folder_outputs_refuse_a_folder_that_feedback_did_not_write(command, tmp_path, no_loading):
    out = tmp_path / "out"
    (out / "report.md").mkdir(parents=True)  # a folder named like an output
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = _invoke(command, CHAT, "--out", out)
    _one_line_error(result, f"--out {out}: the folder holds files that feedback did not write")
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_anonymise_out_existing_file(tmp_path, no_loading):
    target = tmp_path / "tables"
    target.write_text("mine", encoding="utf-8")
    _one_line_error(_invoke("anonymise", CHAT, "--out", target), "is a file; expected a folder")
    assert target.read_text(encoding="utf-8") == "mine"


def test_load_out_existing_folder(tmp_path, no_loading):
    (tmp_path / "items.csv").mkdir()
    result = _invoke("load", CHAT, "--out", tmp_path / "items.csv")
    _one_line_error(result, f"--out {tmp_path / 'items.csv'}: is a folder; expected a file name")


def test_load_participants_out_inside_an_input_folder(tmp_path, no_loading):
    folder = tmp_path / "webinar"
    shutil.copytree(DATA / "privacy", folder)
    result = _invoke(
        "load", folder, "--out", tmp_path / "items.csv", "--participants-out", folder / "p.csv"
    )
    _one_line_error(result, "--participants-out", "is inside an input folder")
    assert not (tmp_path / "items.csv").exists()


def test_tag_out_is_an_input(tmp_path, no_loading):
    chat = tmp_path / "chat.txt"
    shutil.copy(CHAT, chat)
    _one_line_error(_invoke("tag", chat, "--out", chat), f"--out {chat}: is an input file")
    assert chat.read_bytes() == CHAT.read_bytes()


def test_unwritable_output_place(no_loading):
    result = _invoke("load", CHAT, "--out", "/proc/feedback/items.csv")
    _one_line_error(result, "--out /proc/feedback/items.csv: cannot write in /proc")
    result = _invoke("report", CHAT, "--out", "/proc/feedback-report")
    _one_line_error(result, "--out /proc/feedback-report: cannot write in /proc")


def test_evaluate_out_dir_existing_file(tmp_path):
    target = tmp_path / "evaluation"
    target.write_text("mine", encoding="utf-8")
    result = _invoke("evaluate", "--heldout", "--out-dir", target)
    _one_line_error(result, f"--out-dir {target}: is a file; expected a folder")
    assert target.read_text(encoding="utf-8") == "mine"


def test_train_out_is_the_labelled_file(tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("text,labels\nhello,\n", encoding="utf-8")
    _one_line_error(_invoke("train", labelled, "--out", labelled), "is an input file")


def test_key_out_folder(tmp_path, no_loading):
    (tmp_path / "key").mkdir()
    result = _invoke("anonymise", CHAT, "--out", tmp_path / "t", "--key-out", tmp_path / "key")
    _one_line_error(result, f"--key-out {tmp_path / 'key'}: is a folder; expected a file name")


def test_parquet_without_pyarrow_is_refused_before_loading(tmp_path, no_loading, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = _invoke("load", CHAT, "--out", tmp_path / "items.parquet")
    _one_line_error(result, "items.parquet: writing Parquet needs pyarrow", "feedback[parquet]")


# -- errors while working -------------------------------------------------------------------------
def test_oserror_while_writing_is_one_line(tmp_path, monkeypatch):
    import feedback.io

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(feedback.io.os, "replace", full)
    result = _invoke("load", CHAT, "--out", tmp_path / "items.csv")
    _one_line_error(result, f"{tmp_path / 'items.csv'}: cannot write (no space left on device)")
    assert list(tmp_path.iterdir()) == []


def test_a_bug_shows_its_traceback_and_where_to_report_it(tmp_path, monkeypatch):
    import feedback.loaders

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(feedback.loaders, "load_inputs", broken)
    result = _invoke("load", CHAT, "--out", tmp_path / "items.csv")
    assert result.exit_code == 2
    assert "Traceback" in result.output and "ZeroDivisionError: a bug" in result.output
    assert "This is a bug in feedback" in result.output
    assert "issue tracker" in result.output


# -- tables in every format -----------------------------------------------------------------------
def test_load_writes_parquet(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    result = _invoke("load", CHAT, "--out", tmp_path / "items.parquet")
    assert result.exit_code == 0, result.output
    items = pd.read_parquet(tmp_path / "items.parquet")
    assert len(items) == 33
    assert [p.name for p in tmp_path.iterdir()] == ["items.parquet"]


def test_load_writes_xlsx_and_csv_alike(tmp_path):
    import pandas as pd

    assert _invoke("load", CHAT, "--out", tmp_path / "items.csv").exit_code == 0
    assert _invoke("load", CHAT, "--out", tmp_path / "items.xlsx").exit_code == 0
    csv_items = pd.read_csv(tmp_path / "items.csv", dtype=str, keep_default_na=False)
    xlsx_items = pd.read_excel(tmp_path / "items.xlsx", dtype=str, keep_default_na=False)
    assert len(csv_items) == len(xlsx_items) == 33
    assert csv_items["text"].tolist() == xlsx_items["text"].tolist()


# -- anonymise: re-runs replace the folder whole --------------------------------------------------
def test_anonymise_rerun_replaces_the_folder_and_keeps_no_stale_file(tmp_path):
    out = tmp_path / "tables"
    assert _invoke("anonymise", DATA / "privacy", "--out", out).exit_code == 0
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert first["outputs"] == ["items.csv", "participants.csv"]
    # an output of an older version: listed in the manifest, not written any more
    (out / "old-table.csv").write_text("stale", encoding="utf-8")
    first["outputs"].append("old-table.csv")
    (out / "manifest.json").write_text(json.dumps(first), encoding="utf-8")
    result = _invoke("anonymise", CHAT, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["items.csv", "manifest.json",
                                                      "participants.csv"]  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"] == [
        "meeting_saved_chat.txt"
    ]


def test_anonymise_failure_leaves_the_earlier_output(tmp_path, monkeypatch):
    out = tmp_path / "tables"
    assert _invoke("anonymise", CHAT, "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import feedback.io

    real = feedback.io.write_table

    def fail_second(table, path, **kwargs):
        if Path(path).name == "participants.csv":
            raise OSError(5, "Input/output error", str(path))
        return real(table, path, **kwargs)

    monkeypatch.setattr(feedback.io, "write_table", fail_second)
    result = _invoke("anonymise", DATA / "privacy", "--out", out)
    _one_line_error(result, "participants.csv: input/output error")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


# -- crashes found by scripts/fuzz.py ------------------------------------------------------------
def _broken_workbook(path: Path) -> Path:
    """A real .xlsx whose first sheet's XML has a mismatched tag (found by the fuzzer)."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Timestamp", "What was most useful?"])
    book.active.append(["5/12/2026 11:01:10", "The case studies"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row>", b"</rowx>", 1)
            out.writestr(item.filename, data)
    return path


#: A mutated copy of a test workbook whose sheet fails its CRC check only when its rows are
#: read (saved by scripts/fuzz.py).
BAD_CRC = DATA / "fuzz" / "sheet-bad-crc.xlsx"


@pytest.mark.parametrize("damage", ["xml", "crc"])
def test_a_workbook_with_a_damaged_sheet_is_a_feedback_error(tmp_path, damage):
    from feedback.exceptions import FeedbackError
    from feedback.loaders import load_file

    if damage == "xml":
        path, forced = _broken_workbook(tmp_path / "survey.xlsx"), None
    else:
        path, forced = BAD_CRC, "zoom-webinar-attendees"
    with pytest.raises(FeedbackError, match=path.name.replace(".", r"\.")):
        load_file(path, format=forced)
