"""Folders as Zoom saves them, and messages to a webinar's panel, through load_webinar and the CLI.

The recording folder ``tests/data/chat/2026-04-02 18.00.00 Community Webinar`` is
hand-made in the shape Zoom writes: ``double_click_to_convert_01.zoom``,
``playback.m3u``, ``audio_only.m4a`` (a few fake bytes), a stray ``notes.txt`` and
``meeting_saved_chat.txt``. The chat has 6 messages (counted by hand): 2 to
Everyone (one a reply), 2 "to All Panelists", 1 "to Hosts and Panelists" and one
direct message.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback.cli import app
from feedback.exceptions import FeedbackError
from feedback.loaders import LoadOptions, load_file, load_inputs, load_webinar
from feedback.privacy import drop_private
from feedback.schema import RECIPIENT_PANELISTS, Col

FOLDER = (
    Path(__file__).resolve().parents[1] / "data" / "chat" / "2026-04-02 18.00.00 Community Webinar"
)
SKIPPED = {
    "audio_only.m4a": "an audio recording, not an export",
    "double_click_to_convert_01.zoom": "a Zoom recording not yet converted, not an export",
    "notes.txt": "matches no export format",
    "playback.m3u": "a playlist, not an export",
}

runner = CliRunner()


def test_recording_folder_reads_the_chat_and_lists_the_rest():
    webinar = load_webinar([FOLDER])
    assert [f.path.name for f in webinar.files] == ["meeting_saved_chat.txt"]
    assert {f.path.name: f.reason for f in webinar.skipped_files} == SKIPPED
    items = webinar.items
    assert len(items) == 6
    assert int((items[Col.RECIPIENT] == RECIPIENT_PANELISTS).sum()) == 3
    assert int(items[Col.IS_PRIVATE].sum()) == 1  # the direct message only


def test_strict_makes_a_file_that_is_not_an_export_an_error():
    with pytest.raises(FeedbackError, match=r"audio_only\.m4a: an audio recording"):
        load_webinar([FOLDER], options=LoadOptions(strict=True))


def test_a_file_named_explicitly_that_cannot_be_read_is_an_error():
    with pytest.raises(FeedbackError, match=r"notes\.txt: not a format feedback recognises"):
        load_inputs([FOLDER / "notes.txt"])


def test_a_broken_export_in_a_folder_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "webinar"
    folder.mkdir()
    shutil.copy(FOLDER / "meeting_saved_chat.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    webinar = load_webinar([folder])
    assert [(f.path.name, f.reason) for f in webinar.skipped_files] == [
        ("empty.txt", "the file is empty")
    ]
    assert len(webinar.items) == 6


def test_a_folder_with_no_export_is_an_error_listing_its_files(tmp_path):
    folder = tmp_path / "recording"
    folder.mkdir()
    for name in ("audio_only.m4a", "playback.m3u", "notes.txt"):
        shutil.copy(FOLDER / name, folder)
    with pytest.raises(FeedbackError, match=r"(?s)no export could be read.*notes\.txt"):
        load_webinar([folder])


def test_panelist_messages_are_kept_by_drop_private_and_excluded_on_request():
    items = load_file(FOLDER / "meeting_saved_chat.txt").items
    public = drop_private(items)
    assert len(public) == 5
    assert int((public[Col.RECIPIENT] == RECIPIENT_PANELISTS).sum()) == 3
    excluded = load_file(
        FOLDER / "meeting_saved_chat.txt", options=LoadOptions(panelist_messages="exclude")
    ).items
    assert int(excluded[Col.IS_PRIVATE].sum()) == 4
    assert len(drop_private(excluded)) == 2
    with pytest.raises(FeedbackError, match="panelist messages 'some'"):
        load_file(FOLDER / "meeting_saved_chat.txt", options=LoadOptions(panelist_messages="some"))


def test_cli_load_lists_skipped_files_and_counts_panel_messages(tmp_path):
    out = tmp_path / "items.csv"
    result = runner.invoke(app, ["load", str(FOLDER), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 messages sent to panelists" in result.output
    assert "4 file(s) in the folders are not exports and were skipped:" in result.output
    for name, reason in SKIPPED.items():
        assert f"{name}: skipped, {reason}" in result.output
    row = next(line for line in result.output.splitlines() if "meeting_saved_chat" in line)
    # messages, private (direct only), panel, reactions
    assert row.split()[2:6] == ["6", "1", "3", "0"]
    written = pd.read_csv(out, keep_default_na=False)
    assert int((written[Col.RECIPIENT] == RECIPIENT_PANELISTS).sum()) == 3


def test_cli_strict_and_panelist_option(tmp_path):
    out = tmp_path / "items.csv"
    strict = runner.invoke(app, ["load", str(FOLDER), "--out", str(out), "--strict"])
    assert strict.exit_code == 1
    assert "audio_only.m4a" in strict.output
    excluded = runner.invoke(
        app,
        [
            "anonymise",
            str(FOLDER),
            "--out",
            str(tmp_path / "anon"),
            "--panelist-messages",
            "exclude",
        ],
    )
    assert excluded.exit_code == 0, excluded.output
    kept = pd.read_csv(tmp_path / "anon" / "items.csv", keep_default_na=False)
    assert len(kept) == 2  # the two messages to Everyone
    included = runner.invoke(app, ["anonymise", str(FOLDER), "--out", str(tmp_path / "anon2")])
    assert included.exit_code == 0, included.output
    kept = pd.read_csv(tmp_path / "anon2" / "items.csv", keep_default_na=False)
    assert len(kept) == 5
    bad = runner.invoke(app, ["load", str(FOLDER), "--out", str(out), "--panelist-messages", "x"])
    assert bad.exit_code == 2
