"""WebVTT transcript loader (Zoom ``Name: text`` cues, Teams ``<v Name>`` cues).

Expected counts were taken from the files with grep/awk, not from the parser.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from feedback.exceptions import FormatError, ParseError
from feedback.loaders import LoadOptions, load_file
from feedback.loaders.base import Source
from feedback.loaders.transcripts import VttTranscriptLoader
from feedback.schema import Col, Kind

ZOOM_VTT = "zoom-transcript-meeting001.vtt"


def rows_at(items, line: int):
    return items[items[Col.LINE] == line]


def test_zoom_transcript_real(real_dir):
    result = load_file(real_dir / ZOOM_VTT)
    items = result.items
    assert result.format == "vtt-transcript"
    assert len(items) == 300  # grep -c ' --> '
    assert (items[Col.KIND] == Kind.TRANSCRIPT).all()
    counts = items[Col.AUTHOR].value_counts().to_dict()
    assert counts == {
        "Paul McCartney": 242,
        "Andrew Knight": 45,
        "John Lennon": 7,
        "George Harrison": 3,
        "": 2,  # cues 34 and 38 have no "Name: " prefix
        "Ringo Starr": 1,
    }
    first = items.iloc[0]
    assert first[Col.AUTHOR] == "Andrew Knight"
    assert first[Col.TEXT] == "Okay, so we're recording. We're streaming"
    assert first[Col.TIMESTAMP] == datetime(1900, 1, 1, 0, 0, 4, 859000)
    assert first[Col.LINE] == 3
    assert rows_at(items, 135).iloc[0][Col.TEXT] == "And that"
    last = items.iloc[-1]
    assert last[Col.TIMESTAMP] == datetime(1900, 1, 1, 0, 55, 26, 820000)
    assert last[Col.TEXT].endswith("See you in our next program.")
    assert set(items[Col.RECIPIENT]) == {""}
    assert not items[Col.IS_PRIVATE].any()
    assert result.skipped == []
    assert result.meta["time_base"] == "offset"
    assert result.meta["offset_anchored"] is False


def test_teams_transcript_voice_tags(data_dir):
    result = load_file(data_dir / "chat" / "teams_transcript.vtt")
    items = result.items
    assert result.format == "vtt-transcript"
    assert len(items) == 7
    assert items[Col.AUTHOR].nunique() == 3
    assert list(items[Col.AUTHOR]) == [
        "Ana Pérez",
        "Ben O'Neil",
        "Ana Pérez",
        "Chloe Martin",
        "Ana Pérez",
        "Ben O'Neil",
        "Chloe Martin",
    ]
    assert items.iloc[0][Col.TEXT] == "Good morning, everyone."
    assert items.iloc[0][Col.LINE] == 11  # the GUID id line
    assert items.iloc[1][Col.TEXT] == "Thanks Ana. Q&A will be at the end,\nso keep your questions."
    assert items.iloc[2][Col.TEXT] == "Great, let's start"  # unclosed <v>
    # One cue, two speakers: one row each, same time and line.
    assert items.iloc[3][Col.TEXT] == "Can you share the <agenda>?"
    assert items.iloc[4][Col.TEXT] == "Yes, one moment."
    assert items.iloc[3][Col.LINE] == items.iloc[4][Col.LINE] == 26
    assert items.iloc[3][Col.TIMESTAMP] == datetime(1900, 1, 1, 0, 0, 12)
    # A colon inside a voice span is text, not a speaker.
    assert items.iloc[5][Col.TEXT] == "Note: recording is on"
    assert items.iloc[6][Col.TIMESTAMP] == datetime(1900, 1, 1, 0, 1, 2)
    # The block without timing and the cue with a broken timing line are counted.
    assert [s.line for s in result.skipped] == [24, 34]


def test_teams_transcript_strict_raises(data_dir):
    with pytest.raises(ParseError, match=r"teams_transcript\.vtt:24"):
        load_file(data_dir / "chat" / "teams_transcript.vtt", options=LoadOptions(strict=True))


def test_zoom_transcript_anchored_by_gmt_name_with_bom(data_dir):
    result = load_file(data_dir / "chat" / "GMT20260312-093000_Recording.transcript.vtt")
    items = result.items
    assert result.format == "vtt-transcript"
    assert list(items[Col.AUTHOR]) == ["Ana Pérez", "Ben Okafor", ""]
    assert list(items[Col.TIMESTAMP]) == [
        datetime(2026, 3, 12, 9, 30, 2, 500000),
        datetime(2026, 3, 12, 9, 30, 6),
        datetime(2026, 3, 12, 9, 30, 9),
    ]
    assert items.iloc[1][Col.TEXT] == "See https://example.org/notes\nand the second line"
    assert items.iloc[2][Col.TEXT] == "(inaudible)"
    assert result.meta == {"date_known": True, "time_base": "offset", "offset_anchored": True}


def test_cue_right_after_header_and_short_times():
    data = b"WEBVTT\n00:01.000 --> 00:02.500\nAna: hi\n\n00:03,000 --> 00:04,000\nBen: yo\n"
    items = load_file("short.vtt", data=data).items
    assert list(items[Col.AUTHOR]) == ["Ana", "Ben"]
    assert list(items[Col.TIMESTAMP]) == [
        datetime(1900, 1, 1, 0, 0, 1),
        datetime(1900, 1, 1, 0, 0, 3),
    ]


def test_empty_cue_is_counted():
    data = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Ana></v>\n"
    result = load_file("empty.vtt", data=data)
    assert len(result.items) == 0
    assert [(s.line, s.reason) for s in result.skipped] == [(3, "cue has no text")]


def test_not_a_vtt_is_rejected():
    with pytest.raises(FormatError, match=r"notes\.txt"):
        load_file("notes.txt", data=b"hello\nworld\n", format="vtt-transcript")


@pytest.mark.parametrize(
    ("data", "score"),
    [
        (b"WEBVTT\n\n", 0.95),
        (b"\xef\xbb\xbfWEBVTT\r\n\r\n", 0.95),
        (b"", 0.0),
        (b"\x00\x01binary\xff", 0.0),
        (b"10:00:00 From Ana to Everyone:\n\thi\n", 0.0),
    ],
)
def test_sniff(data, score):
    assert VttTranscriptLoader.sniff(Source("x.txt", data=data)) == score


def test_sniff_leaves_chats_alone(real_dir):
    for name in ("zoom-cloud-chat-meeting001.txt", "zoom-saved-chat-twoline-lrbs.txt"):
        assert VttTranscriptLoader.sniff(Source(real_dir / name)) == 0


@pytest.mark.parametrize(
    "name", ["teams_transcript.vtt", "GMT20260312-093000_Recording.transcript.vtt"]
)
def test_hand_made_transcripts_are_detected(data_dir, name):
    assert load_file(data_dir / "chat" / name).format == "vtt-transcript"


def test_real_transcript_is_detected(real_dir):
    assert load_file(real_dir / ZOOM_VTT).format == "vtt-transcript"
