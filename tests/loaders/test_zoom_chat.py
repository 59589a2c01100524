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
from feedback.schema import Col, Kind

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
    assert int(items[Col.IS_PRIVATE].sum()) == 3
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
    assert (panel[Col.RECIPIENT], panel[Col.IS_PRIVATE]) == ("All Panelists", True)
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
    assert (hosts[Col.RECIPIENT], hosts[Col.IS_PRIVATE]) == ("Hosts and panelists", True)
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
    assert (items.loc[0, Col.AUTHOR], items.loc[0, Col.RECIPIENT]) == ("Ana", "All Panelists")
    assert bool(items.loc[0, Col.IS_PRIVATE]) is True


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
    assert list(items[Col.RECIPIENT]) == ["All panelists and attendees", "All Panelists"]
    assert list(items[Col.IS_PRIVATE]) == [False, True]
