"""Zoom saved chats written by clients in other languages (tests/data/chat/languages).

Every fixture is hand-made after the shapes real clients write. The expected
counts in :data:`CASES` were counted by hand from the files (one header line per
message; see the comment on each row); the number of messages is also checked
against a plain count of the lines that start with a time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feedback.loaders import load_file
from feedback.loaders.zoom_chat.grammar import infer_grammar
from feedback.schema import RECIPIENT_EVERYONE, RECIPIENT_PANELISTS, Col, Kind

LANGUAGES = Path(__file__).resolve().parents[1] / "data" / "chat" / "languages"

#: (file, format, language, messages, private, to the panel, reactions, replies).
CASES = [
    # es: 8 headers; 1 "(Mensaje directo)"; "Todos los panelistas" and
    # "Anfitriones y panelistas"; 1 "Reaccionó a"; 1 "Respondiendo a".
    ("es_twoline.txt", "zoom-chat-twoline", "es", 8, 1, 2, 1, 1),
    # es old one-line: 6 lines; 1 "(En privado)"; 1 "Todos los panelistas".
    ("es_oneline.txt", "zoom-chat-oneline", "es", 6, 1, 1, 0, 0),
    # fr: 7 headers; 1 "(Message direct)"; "Tous les panélistes", "Hôtes et panélistes";
    # 1 "A réagi à « ... »"; 1 "En réponse à « ... »".
    ("fr_twoline.txt", "zoom-chat-twoline", "fr", 7, 1, 2, 1, 1),
    # fr old one-line (CRLF): 4 lines; 1 "(en privé)".
    ("fr_oneline.txt", "zoom-chat-oneline", "fr", 4, 1, 0, 0, 0),
    # pt: 7 headers; 1 "(Mensagem direta)"; 1 "Todos os painelistas"; 1 "Reagiu a"; 1 reply.
    ("pt_twoline.txt", "zoom-chat-twoline", "pt", 7, 1, 1, 1, 1),
    # it: 6 headers; 1 "(In privato)"; 1 "Tutti i relatori"; 1 "Ha reagito a"; 1 reply.
    ("it_twoline.txt", "zoom-chat-twoline", "it", 6, 1, 1, 1, 1),
    # nl: 7 headers; 1 "(Direct bericht)"; 1 "Alle panelleden"; 1 reaction; 1 "Antwoord op".
    ("nl_twoline.txt", "zoom-chat-twoline", "nl", 7, 1, 1, 1, 1),
    # pl (CRLF): 6 headers; 1 "(Prywatnie)"; 1 "Wszyscy paneliści"; 1 reaction; 1 reply.
    ("pl_twoline.txt", "zoom-chat-twoline", "pl", 6, 1, 1, 1, 1),
    # ru: 7 headers; 1 "(Лично)"; 1 "Все участники дискуссии"; 1 reaction; 1 "Ответ на".
    ("ru_twoline.txt", "zoom-chat-twoline", "ru", 7, 1, 1, 1, 1),
    # ja: 6 headers "送信元 ... 宛先 ..."; 1 "(ダイレクトメッセージ)"; 1 "すべてのパネリスト";
    # 1 reaction quoting 「...」; 1 "返信先".
    ("ja_twoline.txt", "zoom-chat-twoline", "ja", 6, 1, 1, 1, 1),
    # ja old one-line "開始 <name> : text": 4 lines; 1 "(プライベート)".
    ("ja_oneline.txt", "zoom-chat-oneline", "ja", 4, 1, 0, 0, 0),
    # ja, "開始 <sender> から <recipient> :" then the body: 4 headers; 1 private; 1 panel.
    ("ja_suffix.txt", "zoom-chat-twoline", "ja", 4, 1, 1, 0, 0),
    # zh: 7 headers "来自 ... 发送给 ..." (one with a full-width colon); 1 "(私聊)";
    # 1 "所有嘉宾"; 1 "回应了"; 1 "回复".
    ("zh_twoline.txt", "zoom-chat-twoline", "zh", 7, 1, 1, 1, 1),
    # ko, sender first: "<sender> 님이 <recipient>에게:": 6 headers; 1 "(비공개)";
    # 1 "모든 패널리스트에게"; 1 reaction ("...에 👍 반응"); 1 "답장".
    ("ko_twoline.txt", "zoom-chat-twoline", "ko", 6, 1, 1, 1, 1),
    # ko with a two-word opener and connector ("보낸 사람 ... 받는 사람 ..."): 3; 1 private.
    ("ko_opener.txt", "zoom-chat-twoline", "ko", 3, 1, 0, 0, 0),
    # de new layout: 7 headers; 1 "(Direktnachricht)"; "Alle Diskussionsteilnehmer" and
    # "Hosts und Diskussionsteilnehmer"; 1 "Hat mit 👍 auf ... reagiert"; 1 "Antwort auf".
    ("de_twoline.txt", "zoom-chat-twoline", "de", 7, 1, 2, 1, 1),
    # sv (in no table): 7 headers; "(Direktmeddelande)" and "Alla paneldeltagare" (a group
    # in no table stays private); 1 reaction known by its shape ("Reagerade på ... 👍").
    ("sv_twoline.txt", "zoom-chat-twoline", "inferred", 7, 2, 0, 1, 0),
    # tr (in no table), "Kimden <sender> Kime <recipient>:": 5 headers; 2 "(Doğrudan mesaj)".
    ("tr_twoline.txt", "zoom-chat-twoline", "inferred", 5, 2, 0, 0, 0),
]

#: A header line: a time at the start of the line, then a blank.
_HEADER_RE = re.compile(r"^\d{1,2}:\d{2}:\d{2}[ \t]", re.MULTILINE)


@pytest.mark.parametrize(
    ("name", "fmt", "language", "messages", "private", "panel", "reactions", "replies"), CASES
)
def test_language_counts(name, fmt, language, messages, private, panel, reactions, replies):
    path = LANGUAGES / name
    assert len(_HEADER_RE.findall(path.read_text(encoding="utf-8"))) == messages
    result = load_file(path)
    items = result.items
    assert result.format == fmt
    assert result.meta["chat_language"] == language
    assert len(items) == messages
    assert result.skipped == []
    assert int(items[Col.IS_PRIVATE].sum()) == private
    assert int((items[Col.RECIPIENT] == RECIPIENT_PANELISTS).sum()) == panel
    assert int((items[Col.KIND] == Kind.REACTION).sum()) == reactions
    chat = items[items[Col.KIND] == Kind.CHAT]
    assert int((chat[Col.REPLY_TO] != "").sum()) == replies
    # Public messages name everyone or the panel; private ones name a person.
    public = items[~items[Col.IS_PRIVATE]]
    assert set(public[Col.RECIPIENT]) <= {RECIPIENT_EVERYONE, RECIPIENT_PANELISTS}
    # No header word is left in a name.
    assert not items[Col.AUTHOR].str.contains(r"[:：()（）]").any()


def test_spanish_names_reply_and_reaction():
    items = load_file(LANGUAGES / "es_twoline.txt").items
    assert list(items[Col.AUTHOR][:3]) == ["Lucía Fernández", "Martín Gómez", "Sofía Ruiz"]
    welcome, question, reaction = items.iloc[0], items.iloc[1], items.iloc[2]
    assert reaction[Col.KIND] == Kind.REACTION
    assert reaction[Col.REPLY_TO] == welcome[Col.ITEM_ID]
    reply = items.iloc[5]
    assert reply[Col.TEXT] == "Sí, enviaremos la grabación mañana."
    assert reply[Col.REPLY_TO] == question[Col.ITEM_ID]
    direct = items.iloc[4]
    assert (direct[Col.AUTHOR], direct[Col.RECIPIENT]) == ("Carla Ortiz", "Lucía Fernández")
    assert items.iloc[6][Col.TEXT] == "Muy interesante la parte de métricas.\n¿Hay diapositivas?"


def test_dutch_names_holding_small_words():
    items = load_file(LANGUAGES / "nl_twoline.txt").items
    assert items[Col.AUTHOR].iloc[0] == "Jan de Vries"
    assert items[Col.AUTHOR].iloc[1] == "Sanne van Dijk"
    assert items[Col.RECIPIENT].iloc[4] == "Jan de Vries"


def test_asian_clients_names_and_recipients():
    ja = load_file(LANGUAGES / "ja_twoline.txt").items
    assert ja[Col.AUTHOR].iloc[0] == "山田 太郎"
    assert ja[Col.RECIPIENT].iloc[4] == "山田 太郎"
    assert ja[Col.TEXT].iloc[5] == "はい、明日録画を送ります。"
    ko = load_file(LANGUAGES / "ko_twoline.txt").items
    assert list(ko[Col.AUTHOR][:2]) == ["김민수", "이지은"]
    assert ko[Col.RECIPIENT].iloc[4] == "김민수"  # "김민수 님에게 (비공개)"
    zh = load_file(LANGUAGES / "zh_twoline.txt").items
    assert zh[Col.AUTHOR].iloc[6] == "陈静"  # header ends with a full-width colon
    assert zh[Col.RECIPIENT].iloc[4] == "张伟"


def test_grammar_learned_for_a_language_in_no_table():
    lines = (LANGUAGES / "sv_twoline.txt").read_text(encoding="utf-8").splitlines()
    grammar = infer_grammar(lines)
    assert (grammar.opener, grammar.connector, grammar.language) == ("Från", "till", "")
    assert grammar.everyone == {"alla"}
    assert grammar.markers == {"direktmeddelande"}
    items = load_file(LANGUAGES / "sv_twoline.txt").items
    assert items[Col.RECIPIENT].iloc[3] == "Anna Berg"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Opener, sender, connector, recipient.
        (["10:00:01 De Ana a Todos:", "\thola", "10:00:09 De Bo a Todos:"], ("De", "a", "es")),
        # Sender first, then the connector (Korean).
        (
            ["10:00:01 김민수 님이 모두에게:", "\t네", "10:00:09 이지은 님이 모두에게:"],
            (None, "님이", "ko"),
        ),
        # A made-up language: the word after the sender in every header.
        (
            [
                "9:00:01 Ot Ana Bel zu Vsi:",
                "\tx",
                "9:00:02 Ot Cy zu Vsi:",
                "9:00:03 Ot Di Ek zu Vsi:",
            ],
            ("Ot", "zu", ""),
        ),
    ],
)
def test_infer_grammar(lines, expected):
    grammar = infer_grammar(lines)
    assert (grammar.opener, grammar.connector, grammar.language) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["00:21:14\tAnn Lee:\thello", "00:21:20\tBo Chan:\thi"],  # cloud-recording chat
        ["10:00:01 Ann said hello", "10:00:09 Bo said hi"],  # no header colon
        ["no times here", "at all"],
    ],
)
def test_no_grammar_in_other_text(lines):
    assert infer_grammar(lines) is None


def test_a_message_to_the_panel_in_another_language_is_public():
    data = (
        "10:00:00 De Ana a Todos los panelistas:\n\t¿Se oye bien?\n"
        "10:00:05 De Bo a Anfitriones y panelistas:\n\tsí\n"
        "10:00:09 De Cy a Ana:\n\tprivado\n"
    ).encode()
    items = load_file("chat.txt", data=data).items
    assert list(items[Col.RECIPIENT]) == [RECIPIENT_PANELISTS, RECIPIENT_PANELISTS, "Ana"]
    assert list(items[Col.IS_PRIVATE]) == [False, False, True]


def test_formats_lists_the_chat_languages():
    from typer.testing import CliRunner

    from feedback.cli import app

    result = CliRunner().invoke(app, ["formats"])
    assert result.exit_code == 0
    listed = re.findall(r"^  ([a-z]{2})\s+\w+\s+\S", result.output, re.MULTILINE)
    assert listed == ["en", "de", "es", "fr", "pt", "it", "nl", "pl", "ru", "ja", "zh", "ko"]
    assert "Other languages" in result.output
    assert "inferred from the file" in result.output


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Japanese order without an opener: sender, connector, recipient, particle.
        (
            [
                "19:00:01 山田 太郎 から 全員 へ:",
                "19:00:30 佐藤 花子 から 全員 へ:",
                "19:01:10 高橋 美咲 から 山田 太郎 へ (プライベート):",
                "19:02:00 鈴木 一郎 から すべてのパネリスト へ:",
            ],
            [
                ("山田 太郎", RECIPIENT_EVERYONE, False),
                ("佐藤 花子", RECIPIENT_EVERYONE, False),
                ("高橋 美咲", "山田 太郎", True),
                ("鈴木 一郎", RECIPIENT_PANELISTS, False),
            ],
        ),
        # A made-up language in the same order: connector, suffix and "everyone" learned.
        (
            [
                "09:00:01 Ana Lee ke Semua nya:",
                "09:00:30 Budi ke Semua nya:",
                "09:01:10 Citra Dewi ke Ana Lee nya:",
                "09:02:00 Dodi ke Semua nya:",
            ],
            [
                ("Ana Lee", RECIPIENT_EVERYONE, False),
                ("Budi", RECIPIENT_EVERYONE, False),
                ("Citra Dewi", "Ana Lee", True),
                ("Dodi", RECIPIENT_EVERYONE, False),
            ],
        ),
    ],
)
def test_sender_first_headers_with_a_word_after_the_recipient(lines, expected):
    data = "".join(f"{line}\n\tmessage {n}\n" for n, line in enumerate(lines)).encode()
    items = load_file("chat.txt", data=data).items
    people = zip(items[Col.AUTHOR], items[Col.RECIPIENT], items[Col.IS_PRIVATE], strict=True)
    assert list(people) == expected
    assert list(items[Col.TEXT]) == [f"message {n}" for n in range(len(lines))]


def test_cloud_chat_names_that_start_like_a_header_word():
    # "De", "Van", "Da" open headers in other languages, and names too.
    data = b"00:21:14\tDe Souza:\thello\n00:21:20\tVan Dijk:\thi\n00:21:30\tDa Silva:\tyo\n"
    result = load_file("GMT20260312-093000_Recording.txt", data=data)
    assert result.format == "zoom-chat-cloud"
    assert list(result.items[Col.AUTHOR]) == ["De Souza", "Van Dijk", "Da Silva"]
