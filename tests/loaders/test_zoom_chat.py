"""Zoom chat loaders: saved chat (one-line, two-line) and cloud-recording chat.

Expected counts were taken from the files with grep, not from the parser.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from feedback.exceptions import FormatError, ParseError
from feedback.loaders import LoadOptions, load_file
from feedback.loaders.base import Source
from feedback.loaders.zoom_chat import (
    EVERYONE,
    ZoomChatCloudLoader,
    ZoomChatOneLineLoader,
    ZoomChatTwoLineLoader,
)
from feedback.schema import RECIPIENT_PANELISTS, Col, Kind

SSVC = "zoom-saved-chat-oneline-crlf-ssvc.txt"
AGU = "zoom-saved-chat-oneline-agu2020.txt"
LRBS = "zoom-saved-chat-twoline-lrbs.txt"
CLOUD = "zoom-cloud-chat-meeting001.txt"


def row_at(items, line: int):
    """The item that starts on ``line`` of its file."""
    rows = items[items[Col.LINE] == line]
    assert len(rows) == 1, f"expected one item on line {line}, got {len(rows)}"
    return rows.iloc[0]


def id_at(items, line: int) -> str:
    return row_at(items, line)[Col.ITEM_ID]


# -- real exports ---------------------------------------------------------------------
def test_ssvc_oneline_crlf_with_bare_cr(real_dir):
    result = load_file(real_dir / SSVC)
    items = result.items
    assert result.format == "zoom-chat-oneline"
    assert len(items) == 49  # grep -cP '^\d\d:\d\d:\d\d\t From'
    assert (items[Col.KIND] == Kind.CHAT).all()
    assert int(items[Col.IS_PRIVATE].sum()) == 0
    assert items[Col.AUTHOR].nunique() == 4
    assert set(items[Col.RECIPIENT]) == {EVERYONE}
    assert result.skipped == []
    first = row_at(items, 1)
    assert first[Col.AUTHOR] == "Laurie Tyzenhaus"
    assert first[Col.TEXT] == (
        "is it only patch applier/patch developer? or are there more terms involved?"
        '\n\n02:11 PM\n\n\n"patch" should go away\n\nsupplier, user\n\nvendor, user'
    )
    # The pasted "02:11 PM" did not start a message of its own.
    assert items[Col.TEXT].str.contains("02:11 PM").sum() == 1
    remediation = row_at(items, 44)
    assert remediation[Col.TEXT].startswith(
        "What's another word for remediation?\nProper noun, singular\n\ndecontamination"
    )
    assert first[Col.TIMESTAMP] == datetime(1900, 1, 1, 9, 3, 42)
    assert row_at(items, 49)[Col.TIMESTAMP] == datetime(1900, 1, 1, 10, 3, 27)
    assert result.meta["date_known"] is False
    assert result.meta["time_base"] == "clock"


def test_agu_oneline_long_display_names(real_dir):
    result = load_file(real_dir / AGU)
    items = result.items
    assert result.format == "zoom-chat-oneline"
    assert len(items) == 121
    assert int(items[Col.IS_PRIVATE].sum()) == 0
    assert items[Col.AUTHOR].nunique() == 21
    leah = "Leah Wasser (she/her) Earth Lab / earthdatascience.org / pyOpenSci"
    assert row_at(items, 1)[Col.AUTHOR] == leah
    assert row_at(items, 1)[Col.TEXT] == "Welcome  everyone!!"
    assert (items[Col.AUTHOR] == leah).sum() == 51  # grep -c "From Leah Wasser"
    assert row_at(items, 28)[Col.AUTHOR] == "Cécile Coulon"
    assert row_at(items, 121)[Col.TEXT] == "Thank you!"


def test_lrbs_twoline_reactions_and_direct_messages(real_dir):
    result = load_file(real_dir / LRBS)
    items = result.items
    assert result.format == "zoom-chat-twoline"
    assert len(items) == 46  # headers
    reactions = items[items[Col.KIND] == Kind.REACTION]
    assert len(reactions) == 6  # grep -cP '^\tReacted to'
    assert (items[Col.KIND] == Kind.CHAT).sum() == 40
    assert int(items[Col.IS_PRIVATE].sum()) == 2  # "(Direct Message)"
    private = items[items[Col.IS_PRIVATE]]
    assert set(private[Col.RECIPIENT]) == {"Christopher Ohge"}
    assert set(private[Col.AUTHOR]) == {"Giles Bergel"}
    assert items[Col.AUTHOR].nunique() == 13
    assert (items[Col.AUTHOR] == "Giles Bergel").sum() == 12
    assert row_at(items, 1)[Col.TEXT].startswith("Slides for today: https://docs.google.com/")
    assert row_at(items, 49)[Col.AUTHOR] == "Heather Wolfe (she/her)"
    # Each reaction points at the message it quotes.
    assert row_at(items, 7)[Col.REPLY_TO] == id_at(items, 5)  # "Windows now has Powe..."
    assert row_at(items, 13)[Col.REPLY_TO] == id_at(items, 9)  # "https://github.com/l..."
    assert row_at(items, 33)[Col.REPLY_TO] == id_at(items, 31)  # "Yes, thanks a lot!"
    assert row_at(items, 37)[Col.REPLY_TO] == id_at(items, 35)  # "I was able to get in..."


def test_lrbs_reaction_with_embedded_quotes(real_dir):
    items = load_file(real_dir / LRBS).items
    target = row_at(items, 15)
    assert target[Col.TEXT].startswith('"Head First Git" (Gandhi) from Oreilly')
    for line in (17, 19):
        reaction = row_at(items, line)
        assert reaction[Col.KIND] == Kind.REACTION
        assert reaction[Col.TEXT] == 'Reacted to ""Head First Git" (Ga..." with 👍'
        assert reaction[Col.REPLY_TO] == target[Col.ITEM_ID]


def test_cloud_chat_offsets(real_dir):
    result = load_file(real_dir / CLOUD)
    items = result.items
    assert result.format == "zoom-chat-cloud"
    assert len(items) == 10
    assert items[Col.AUTHOR].nunique() == 5
    assert set(items[Col.RECIPIENT]) == {""}
    assert int(items[Col.IS_PRIVATE].sum()) == 0
    assert row_at(items, 1)[Col.AUTHOR] == "Andrew Knight"
    assert row_at(items, 1)[Col.TIMESTAMP] == datetime(1900, 1, 1, 0, 21, 14)
    assert row_at(items, 10)[Col.TEXT] == "Fuselage"
    assert result.meta["time_base"] == "offset"
    assert result.meta["offset_anchored"] is False


@pytest.mark.parametrize(
    ("name", "format_id"),
    [
        (SSVC, "zoom-chat-oneline"),
        (AGU, "zoom-chat-oneline"),
        (LRBS, "zoom-chat-twoline"),
        (CLOUD, "zoom-chat-cloud"),
    ],
)
def test_real_files_are_detected(real_dir, name, format_id):
    assert load_file(real_dir / name).format == format_id


def test_sniffers_leave_other_real_files_alone(real_dir):
    others = [
        "zoom-transcript-meeting001.vtt",
        "zoom-participants-meeting001.csv",
        "zoom-webinar-attendee-report-anonymised.csv",
        "qualtrics-sample.csv",
        "teams-attendance-utf16.csv",
    ]
    for name in others:
        source = Source(real_dir / name)
        for loader in (ZoomChatOneLineLoader, ZoomChatTwoLineLoader, ZoomChatCloudLoader):
            assert loader.sniff(source) == 0, (loader.format_id, name)


# -- hand-made samples ----------------------------------------------------------------
def test_oneline_variants(data_dir):
    result = load_file(data_dir / "chat" / "oneline_variants.txt")
    items = result.items
    assert result.format == "zoom-chat-oneline"
    assert len(items) == 10
    assert int(items[Col.IS_PRIVATE].sum()) == 3
    assert items[Col.AUTHOR].nunique() == 7
    ben = "Ben Okafor (he/him) / Data Team"
    assert row_at(items, 2)[Col.AUTHOR] == ben
    dm = row_at(items, 3)
    assert (dm[Col.AUTHOR], dm[Col.RECIPIENT], dm[Col.IS_PRIVATE]) == ("Ana Pérez", ben, True)
    assert row_at(items, 4)[Col.RECIPIENT] == EVERYONE  # no tab after the time
    assert not row_at(items, 4)[Col.IS_PRIVATE]
    lower = row_at(items, 5)  # "To" and "(privately)"
    assert (lower[Col.AUTHOR], lower[Col.RECIPIENT]) == ("Dev Shah", "Ana Pérez")
    spaced = row_at(items, 6)  # "(Direct Message)" after a space
    assert (spaced[Col.AUTHOR], spaced[Col.RECIPIENT]) == ("Eve Tan", "Ana Pérez")
    assert spaced[Col.IS_PRIVATE]
    welcome = row_at(items, 7)  # " to " inside the name is not a recipient
    assert welcome[Col.AUTHOR] == "Frank Welcome to Zoom"
    assert welcome[Col.TEXT] == "Here is my list:\n- item one\n- item two"
    assert row_at(items, 10)[Col.TEXT] == "first line\nsecond line\nthird line"  # U+2028
    assert row_at(items, 11)[Col.TEXT] == "the ratio is 3 : 2 here"
    assert row_at(items, 12)[Col.TEXT] == "02:11 PM works for me\n\nsee you then"
    assert result.skipped == []


def test_oneline_german_client(data_dir):
    result = load_file(data_dir / "chat" / "oneline_german.txt")
    items = result.items
    assert result.format == "zoom-chat-oneline"
    assert len(items) == 5
    assert items[Col.AUTHOR].nunique() == 4
    assert int(items[Col.IS_PRIVATE].sum()) == 2
    assert row_at(items, 1)[Col.RECIPIENT] == EVERYONE
    direct = row_at(items, 2)
    assert (direct[Col.AUTHOR], direct[Col.RECIPIENT]) == ("Jonas Weber", "Anna Schmidt")
    old = row_at(items, 3)  # "(privat)" after the sender
    assert (old[Col.AUTHOR], old[Col.RECIPIENT], old[Col.IS_PRIVATE]) == (
        "Lena Vogel",
        "Jonas Weber",
        True,
    )
    assert row_at(items, 4)[Col.TEXT] == "Frage: gibt es eine Aufzeichnung?\nDanke!"
    assert row_at(items, 4)[Col.TIMESTAMP] == datetime(1900, 1, 1, 14, 16, 30)


def test_oneline_dates_in_lines_and_midnight(data_dir):
    result = load_file(data_dir / "chat" / "oneline_dated.txt")
    stamps = list(result.items[Col.TIMESTAMP])
    assert stamps == [
        datetime(2026, 3, 12, 23, 58, 30),
        datetime(2026, 3, 12, 23, 59, 59),
        datetime(2026, 3, 13, 0, 0, 20),
    ]
    assert result.meta["date_known"] is True


def test_stray_line_is_counted_and_strict_raises(data_dir):
    path = data_dir / "chat" / "oneline_stray.txt"
    result = load_file(path)
    assert result.format == "zoom-chat-oneline"
    assert len(result.items) == 2
    assert [(s.line, s.text) for s in result.skipped] == [
        (1, "Chat saved from the Tuesday session")
    ]
    with pytest.raises(ParseError, match=r"oneline_stray\.txt:1"):
        load_file(path, options=LoadOptions(strict=True))


def test_twoline_features(data_dir):
    result = load_file(data_dir / "chat" / "twoline_features.txt")
    items = result.items
    assert result.format == "zoom-chat-twoline"
    assert len(items) == 13
    assert (items[Col.KIND] == Kind.REACTION).sum() == 5
    assert (items[Col.KIND] == Kind.CHAT).sum() == 8
    # One direct message; "to All Panelists" and "to Hosts and panelists" are public.
    assert int(items[Col.IS_PRIVATE].sum()) == 1
    assert items[Col.AUTHOR].nunique() == 8
    welcome = row_at(items, 1)
    assert welcome[Col.AUTHOR] == "Priya Nair"  # double spaces, trailing space
    assert welcome[Col.TEXT] == "Welcome to the late session!\nAgenda:\n1. intro\t2. demo"
    reply = row_at(items, 5)  # reply on the same line as the quote
    assert reply[Col.KIND] == Kind.CHAT
    assert reply[Col.TEXT] == "Thanks Priya, glad to be here"
    assert reply[Col.REPLY_TO] == welcome[Col.ITEM_ID]
    clap = row_at(items, 7)  # two-space indent, skin-tone emoji
    assert clap[Col.KIND] == Kind.REACTION
    assert clap[Col.TEXT] == 'Reacted to "Welcome to the late ..." with 👏🏽'
    assert clap[Col.REPLY_TO] == welcome[Col.ITEM_ID]
    panel = row_at(items, 9)
    assert (panel[Col.RECIPIENT], panel[Col.IS_PRIVATE]) == (RECIPIENT_PANELISTS, False)
    direct = row_at(items, 11)
    assert (direct[Col.RECIPIENT], direct[Col.IS_PRIVATE]) == ("Priya Nair", True)
    question = row_at(items, 13)
    assert question[Col.TEXT] == 'Is "open" the same as "free"?'
    assert row_at(items, 15)[Col.REPLY_TO] == question[Col.ITEM_ID]  # quotes in snippet
    add, remove = row_at(items, 17), row_at(items, 19)
    assert (add[Col.KIND], add[Col.TEXT], add[Col.REPLY_TO]) == (
        Kind.REACTION,
        "add ❤️",
        question[Col.ITEM_ID],
    )
    assert (remove[Col.KIND], remove[Col.REPLY_TO]) == (Kind.REACTION, question[Col.ITEM_ID])
    removed = row_at(items, 21)
    assert removed[Col.KIND] == Kind.REACTION
    assert removed[Col.REPLY_TO] == welcome[Col.ITEM_ID]
    hosts = row_at(items, 23)
    assert (hosts[Col.RECIPIENT], hosts[Col.IS_PRIVATE]) == (RECIPIENT_PANELISTS, False)
    late_reply = row_at(items, 25)  # reply text on the next body line
    assert late_reply[Col.TEXT] == "Not quite, open means you can see the source"
    assert late_reply[Col.REPLY_TO] == question[Col.ITEM_ID]
    code = row_at(items, 28)
    assert code[Col.TEXT] == "Code from the demo:\nfor i in range(3):\t    print(i)"


def test_twoline_midnight_rollover_with_given_date(data_dir):
    options = LoadOptions(date=date(2026, 3, 12))
    result = load_file(data_dir / "chat" / "twoline_features.txt", options=options)
    items = result.items
    assert row_at(items, 13)[Col.TIMESTAMP] == datetime(2026, 3, 12, 23, 59, 40)
    assert row_at(items, 15)[Col.TIMESTAMP] == datetime(2026, 3, 13, 0, 0, 15)
    assert row_at(items, 28)[Col.TIMESTAMP] == datetime(2026, 3, 13, 0, 4, 0)
    assert result.meta["date_known"] is True


def test_twoline_rollover_without_date(data_dir):
    result = load_file(data_dir / "chat" / "twoline_features.txt")
    assert row_at(result.items, 28)[Col.TIMESTAMP] == datetime(1900, 1, 2, 0, 4, 0)
    assert result.meta["date_known"] is False


def test_date_from_zoom_folder_name(data_dir):
    path = data_dir / "chat" / "2026-03-12 10.00.00 Topic" / "meeting_saved_chat.txt"
    result = load_file(path)
    items = result.items
    assert result.format == "zoom-chat-twoline"
    assert list(items[Col.TIMESTAMP]) == [
        datetime(2026, 3, 12, 10, 2, 0),
        datetime(2026, 3, 12, 10, 3, 30),
    ]
    assert list(items[Col.TEXT]) == ["Hello from the folder test", "Hi!"]
    assert result.meta["date_known"] is True
    assert result.meta["time_base"] == "clock"


def test_cloud_chat_anchored_by_gmt_name(data_dir):
    result = load_file(data_dir / "chat" / "GMT20260312-093000_Design-Review.txt")
    items = result.items
    assert result.format == "zoom-chat-cloud"
    assert len(items) == 4
    assert list(items[Col.TIMESTAMP]) == [
        datetime(2026, 3, 12, 9, 30, 12),
        datetime(2026, 3, 12, 9, 31, 5),
        datetime(2026, 3, 12, 9, 32, 30),
        datetime(2026, 3, 12, 9, 33, 0),
    ]
    assert row_at(items, 2)[Col.TEXT] == "Question:\tdoes the chat get saved?"
    steps = row_at(items, 3)
    assert steps[Col.TEXT] == "Here are the steps\n1) open the file\n2) save it"
    reaction = row_at(items, 6)
    assert reaction[Col.KIND] == Kind.REACTION
    assert reaction[Col.REPLY_TO] == steps[Col.ITEM_ID]
    assert result.meta == {
        "date_known": True,
        "time_base": "offset",
        "offset_anchored": True,
    }


@pytest.mark.parametrize(
    ("name", "format_id"),
    [
        ("oneline_variants.txt", "zoom-chat-oneline"),
        ("oneline_german.txt", "zoom-chat-oneline"),
        ("oneline_dated.txt", "zoom-chat-oneline"),
        ("oneline_stray.txt", "zoom-chat-oneline"),
        ("twoline_features.txt", "zoom-chat-twoline"),
        ("2026-03-12 10.00.00 Topic/meeting_saved_chat.txt", "zoom-chat-twoline"),
        ("GMT20260312-093000_Design-Review.txt", "zoom-chat-cloud"),
    ],
)
def test_hand_made_files_are_detected(data_dir, name, format_id):
    assert load_file(data_dir / "chat" / name).format == format_id


# -- errors and edge cases --------------------------------------------------------------
@pytest.mark.parametrize("format_id", ["zoom-chat-oneline", "zoom-chat-twoline", "zoom-chat-cloud"])
def test_file_without_any_header_is_rejected(format_id):
    data = b"just some notes\nnothing that looks like a chat\n"
    with pytest.raises(FormatError, match=r"notes\.txt"):
        load_file("notes.txt", format=format_id, data=data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02binary\xff\xfe", b"09:00:00 From", b"\n\n\n", b"WEBVTT\n\n"],
)
def test_sniff_never_raises(data):
    source = Source("odd.txt", data=data)
    for loader in (ZoomChatOneLineLoader, ZoomChatTwoLineLoader, ZoomChatCloudLoader):
        assert loader.sniff(source) == 0


def test_forced_oneline_reads_a_twoline_file(data_dir):
    result = load_file(data_dir / "chat" / "twoline_features.txt", format="zoom-chat-oneline")
    assert len(result.items) == 13
    assert result.items[Col.FORMAT].iloc[0] == "zoom-chat-oneline"


def test_cr_only_file_is_split_on_cr():
    data = b"09:00:05\t From  Ana : one\r09:00:10\t From  Ben : two\r"
    result = load_file("old_mac.txt", data=data, format="zoom-chat-oneline")
    assert list(result.items[Col.TEXT]) == ["one", "two"]


def test_webinar_recipient_in_oneline_header():
    data = b"10:00:00 From  Ana  to  All Panelists : is the poll ready?\n"
    items = load_file("chat.txt", data=data).items
    assert (items.loc[0, Col.AUTHOR], items.loc[0, Col.RECIPIENT]) == ("Ana", RECIPIENT_PANELISTS)
    assert bool(items.loc[0, Col.IS_PRIVATE]) is False


def test_cr_only_file_is_detected():
    data = b"09:00:05\t From  Ana : one\r09:00:10\t From  Ben : two\r"
    assert load_file("old_mac.txt", data=data).format == "zoom-chat-oneline"


def test_reaction_targets_with_shorter_or_unusual_snippets():
    lines = [
        "10:00:00 From Ana to Everyone:",
        "\t🎉🎉 We made it to the final round everyone",
        "10:00:05 From Ben to Everyone:",
        "\tOk",
        "10:00:10 From Cy to Everyone:",
        # 18 characters: Zoom counted each emoji as two units.
        '\tReacted to "🎉🎉 We made it to t..." with 👍',
        "10:00:15 From Dee to Everyone:",
        # Quoted whole although the message is longer (not Zoom's rule, still matched).
        '\tReacted to "Ok" with 👍',
        "10:00:20 From Eli to Everyone:",
        '\tReacted to "nothing like this was said" with 👍',
    ]
    data = ("\r\n".join(lines) + "\r\n").encode()
    items = load_file("reactions.txt", data=data).items
    assert list(items[Col.KIND]) == [Kind.CHAT, Kind.CHAT] + [Kind.REACTION] * 3
    assert list(items[Col.REPLY_TO]) == [
        "",
        "",
        items.loc[0, Col.ITEM_ID],
        items.loc[1, Col.ITEM_ID],
        "",
    ]


def test_webinar_message_to_panelists_and_attendees_is_public():
    data = (
        b"10:00:00 From Host to All panelists and attendees:\n\tWelcome!\n"
        b"10:00:05 From Ana to All Panelists:\n\tthanks\n"
    )
    items = load_file("webinar_chat.txt", data=data).items
    assert list(items[Col.RECIPIENT]) == ["All panelists and attendees", RECIPIENT_PANELISTS]
    assert list(items[Col.IS_PRIVATE]) == [False, False]


# -- big chats: the bulk reader and the line-by-line reader agree ----------------------
BULK_LINES = [
    "09:00:00 From Ann Lee to Everyone:",
    "\tWelcome all",
    "09:00:05 From Bo Chan to Ann Lee(Direct Message):",
    "\tsecret  question   ",
    "09:00:09 From Cy Dee to Everyone:",
    "\tline one",
    "\t  line two",
    "",
    "\tline three",
    "09:01:00 From Ann Lee to Everyone:",
    "\tbreak\u2028inside",
    "09:01:30 From Eve to Everyone:",
    "09:02:00 From Bo Chan to Everyone:",
    '\tReacted to "Welcome all" with 👍',
    "09:02:10 From Cy Dee to Everyone:",
    '\tReplying to "secret question..." yes',
    "09:03:00 From Eve to Everyone:",
    "\tadd 👍",
    "08:00:00 From Ann Lee to Everyone:",
    "\tlate",
    "08:00:30 From Ann Lee to Everyone:",
    "\tno line break at the end",
]


def bulk_chat(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode()  # CRLF, and no line break after the last line


def test_plain_two_line_chat_read_in_bulk(monkeypatch):
    from feedback.loaders import zoom_chat

    def not_plain(*args):
        raise AssertionError("every message is plain: no line should be read one by one")

    monkeypatch.setattr(zoom_chat._SavedChatReader, "read", not_plain)
    items = load_file("chat.txt", data=bulk_chat(BULK_LINES)).items
    ids = list(items[Col.ITEM_ID])
    assert list(items[Col.LINE]) == [1, 3, 5, 10, 12, 13, 15, 17, 19, 21]
    assert list(items[Col.TEXT]) == [
        "Welcome all",
        "secret  question",
        "line one\n  line two\n\nline three",
        "break\ninside",
        "",
        'Reacted to "Welcome all" with 👍',
        "yes",
        "add 👍",
        "late",
        "no line break at the end",
    ]
    assert (
        list(items[Col.KIND])
        == [Kind.CHAT] * 5 + [Kind.REACTION, Kind.CHAT, Kind.REACTION] + [Kind.CHAT] * 2
    )
    assert list(items[Col.REPLY_TO]) == ["", "", "", "", "", ids[0], ids[1], ids[6], "", ""]
    assert list(items[Col.IS_PRIVATE]) == [False, True] + [False] * 8
    assert items.loc[1, Col.RECIPIENT] == "Ann Lee"
    assert items.loc[0, Col.RECIPIENT] == EVERYONE
    assert items.loc[7, Col.TIMESTAMP] == datetime(1900, 1, 1, 9, 3, 0)
    assert items.loc[8, Col.TIMESTAMP] == datetime(1900, 1, 2, 8, 0, 0)  # past midnight
    assert items.loc[9, Col.TIMESTAMP] == datetime(1900, 1, 2, 8, 0, 30)


def test_bulk_and_line_by_line_reading_agree():
    import pandas as pd

    bulk = load_file("chat.txt", data=bulk_chat(BULK_LINES))
    # "from" is not the bulk reader's "From", so every line is read one by one.
    lower = [line.replace(" From ", " from ", 1) for line in BULK_LINES]
    by_line = load_file("chat.txt", data=bulk_chat(lower))
    pd.testing.assert_frame_equal(bulk.items, by_line.items)
    assert bulk.meta == by_line.meta
    # A stray first line: read line by line, the messages after it in bulk.
    stray = load_file("chat.txt", data=bulk_chat(["Chat saved from the session", *BULK_LINES]))
    assert [(s.line, s.text) for s in stray.skipped] == [(1, "Chat saved from the session")]
    shifted = stray.items.assign(**{Col.LINE: stray.items[Col.LINE] - 1})
    pd.testing.assert_frame_equal(bulk.items, shifted)


def test_irregular_lines_inside_a_big_chat():
    lines = []  # message n: header on line 2n + 1, body on line 2n + 2
    for number in range(300):
        lines += [
            f"10:{number // 60:02d}:{number % 60:02d} From Ann to Everyone:",
            f"\tmessage {number}",
        ]
    # After message 50 (lines 101-102): a header with an impossible time and an
    # unindented line, both continuing message 50 (lines 103-104).
    lines[102:102] = ["25:00:00 From Bo to Everyone:", "unindented line"]
    # After message 97 (now lines 197-198): an old one-line header (line 199).
    lines.insert(198, "10:50:00\t From  Cy : one-line header in the middle")
    items = load_file("chat.txt", data="\n".join(lines).encode() + b"\n").items
    assert len(items) == 301
    assert row_at(items, 101)[Col.TEXT] == (
        "message 50\n25:00:00 From Bo to Everyone:\nunindented line"
    )
    assert row_at(items, 105)[Col.TEXT] == "message 51"
    one_line = row_at(items, 199)
    assert (one_line[Col.AUTHOR], one_line[Col.TEXT]) == ("Cy", "one-line header in the middle")
    assert row_at(items, 200)[Col.TEXT] == "message 98"
    assert items[Col.LINE].iloc[-1] == 602
    assert items[Col.TEXT].iloc[-1] == "message 299"
    assert items[Col.TIMESTAMP].iloc[-1] == datetime(1900, 1, 1, 10, 4, 59)


def chat_with_fillers(target: str, filler: str, count: int, snippet: str) -> bytes:
    lines = ["09:00:00 From Ann to Everyone:", f"\t{target}"]
    for number in range(count):
        lines += ["09:00:01 From Bo to Everyone:", f"\t{filler} {number}"]
    lines += ["09:00:02 From Cy to Everyone:", f'\tReacted to "{snippet}" with 👍']
    return "\n".join(lines).encode() + b"\n"


@pytest.mark.parametrize(("fillers", "linked"), [(999, True), (1000, False)])
def test_reaction_target_among_the_last_thousand_of_its_key(fillers, linked):
    # Every filler shares the 20-character key but not the 25-character snippet:
    # the target is found while fewer than a thousand of them came after it.
    data = chat_with_fillers(
        "Thanks for the great talk, Ann",
        "Thanks for the great demo",
        fillers,
        "Thanks for the great talk...",
    )
    items = load_file("chat.txt", data=data).items
    assert len(items) == fillers + 2
    assert items[Col.KIND].iloc[-1] == Kind.REACTION
    assert items[Col.REPLY_TO].iloc[-1] == (items[Col.ITEM_ID].iloc[0] if linked else "")


@pytest.mark.parametrize(("fillers", "linked"), [(999, True), (1000, False)])
def test_short_snippet_looks_at_the_last_thousand_messages(fillers, linked):
    # Message 1 is the target: with 999 fillers it is the 1000th message back.
    data = chat_with_fillers("Ok", "fine", fillers, "Ok")
    items = load_file("chat.txt", data=data).items
    assert items[Col.REPLY_TO].iloc[-1] == (items[Col.ITEM_ID].iloc[0] if linked else "")


def test_reaction_to_a_text_with_odd_whitespace_far_back():
    # Zoom's snippet has single spaces; the target's tab and double space squash away.
    data = chat_with_fillers(
        "Thanks\tfor  the great talk", "Thanks for the great demo", 500, "Thanks for the great..."
    )
    items = load_file("chat.txt", data=data).items
    # The latest text starting with the snippet is the last filler.
    assert items[Col.REPLY_TO].iloc[-1] == items[Col.ITEM_ID].iloc[-2]
    data = chat_with_fillers(
        "Thanks\tfor  the great talk", "Other text", 500, "Thanks for the great..."
    )
    items = load_file("chat.txt", data=data).items
    assert items[Col.REPLY_TO].iloc[-1] == items[Col.ITEM_ID].iloc[0]


def test_items_table_has_canonical_dtypes():
    import pandas as pd

    from feedback.schema import ITEM_COLUMNS, coerce_items

    items = load_file("chat.txt", data=bulk_chat(BULK_LINES)).items
    assert list(items.columns) == list(ITEM_COLUMNS)
    pd.testing.assert_frame_equal(items, coerce_items(items))
    assert str(items[Col.TIMESTAMP].dtype) == "datetime64[us]"
    assert str(items[Col.LINE].dtype) == "Int64"
    assert items[Col.TEXT].dtype == object
    assert set(items[Col.QUESTION]) == {""}
    assert set(items[Col.FORMAT]) == {"zoom-chat-twoline"}
    # Columns do not share memory: writing one leaves the others alone.
    items.loc[0, Col.QUESTION] = "changed"
    assert items.loc[0, Col.ANSWER] == ""


def test_garbage_collector_state_is_restored():
    import gc

    load_file("chat.txt", data=bulk_chat(BULK_LINES))
    assert gc.isenabled()
    gc.disable()
    try:
        load_file("chat.txt", data=bulk_chat(BULK_LINES))
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- Source helpers the chat reader relies on --------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\r\nb", "a\r\r\nb\r", "\r\n", "a\rb\n\nc\r\n\r\n", "x\u2028y\n"],
)
def test_split_lines_matches_replace_then_split(text):
    from feedback.loaders.base import split_lines

    expected = text.replace("\r\n", "\n").split("\n") if text else []
    if expected and expected[-1] == "":
        expected.pop()
    assert split_lines(text) == expected


def test_source_head_and_release(tmp_path):
    from feedback.loaders.base import item_id, item_ids

    path = tmp_path / "My Chat (1).txt"
    path.write_bytes("".join(f"line {n}\r\n" for n in range(50)).encode("utf-8-sig"))
    source = Source(path)
    assert source.head(3) == ["line 0", "line 1", "line 2"]
    assert "lines" not in source.__dict__  # the head did not split the whole file
    assert source.head(60) == source.lines == [f"line {n}" for n in range(50)]
    source.release()
    assert source.encoding == "utf-8-sig"
    assert source.text.startswith("line 0\r\n")  # read again
    assert item_ids(source, 3) == [item_id(source, n) for n in (1, 2, 3)]
    assert item_ids(source, 3) == ["my-chat-1-00001", "my-chat-1-00002", "my-chat-1-00003"]


def test_irregular_text_at_both_ends_of_a_big_chat():
    lines = ["Saved by the host", "10:00:00\t From  Dee : one-line first message"]
    for number in range(100):
        lines += [f"10:01:{number % 60:02d} From Ann to Everyone:", f"\tmessage {number}"]
    lines += ["2024 was a good year", "10:05:00 From Eve to Everyone:"]  # no line break after
    result = load_file("chat.txt", data="\r\n".join(lines).encode())
    items = result.items
    assert [(s.line, s.text) for s in result.skipped] == [(1, "Saved by the host")]
    assert len(items) == 102
    assert (row_at(items, 2)[Col.AUTHOR], row_at(items, 2)[Col.TEXT]) == (
        "Dee",
        "one-line first message",
    )
    assert row_at(items, 201)[Col.TEXT] == "message 99\n2024 was a good year"
    last = row_at(items, 204)
    assert (last[Col.AUTHOR], last[Col.TEXT]) == ("Eve", "")
    assert last[Col.TIMESTAMP] == datetime(1900, 1, 1, 10, 5, 0)
