"""The words Zoom clients write in saved chat headers, per client language.

A saved chat header is ``<time> <opener> <sender> <connector> <recipient>:``
(``10:00:01 De Ana a Todos:``), or without an opener and with a word after the
recipient in some Asian clients. The grammar of a file is inferred from the
file itself (:mod:`feedback.loaders.zoom_chat.grammar`); this table only says
what the known words *mean*: which recipients are everyone, which are a
webinar's panelists, which markers make a message private, and how replies
and reactions start. A language missing here still parses; its messages are
then told apart by structure (see :func:`~feedback.loaders.zoom_chat.grammar.infer_grammar`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class ChatWords:
    """The header and message words of one Zoom client language.

    Attributes
    ----------
    code, name : str
        Language code (``"es"``) and English name.
    openers : tuple of str
        Words that open a header (``"De"``); several where clients differ.
    connectors : tuple of str
        Words between sender and recipient (``"a"``).
    everyone : tuple of str
        Recipients meaning everyone (``"Todos"``).
    panelists : tuple of str
        Webinar recipients meaning the panel (``"Todos los panelistas"``,
        ``"Anfitriones y panelistas"``).
    private : tuple of str
        Markers, written in brackets after a name, of a private message.
    replying : tuple of str
        How a reply starts, before the quoted snippet (``"Respondiendo a"``).
    reacted : tuple of str
        Words of a reaction message around the quoted snippet.
    suffixes : tuple of str
        Words or particles written after the recipient (``"へ"``, ``"에게"``).
    """

    code: str
    name: str
    openers: tuple[str, ...]
    connectors: tuple[str, ...]
    everyone: tuple[str, ...]
    panelists: tuple[str, ...]
    private: tuple[str, ...]
    replying: tuple[str, ...] = ()
    reacted: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()


#: Every language known, in the order ``feedback formats`` lists them.
LANGUAGES: tuple[ChatWords, ...] = (
    ChatWords(
        "en",
        "English",
        openers=("From",),
        connectors=("to",),
        everyone=("Everyone", "Everybody", "All", "All participants"),
        panelists=("All Panelists", "Panelists", "Hosts and panelists", "Host and panelists"),
        private=("Privately", "Private", "Direct Message", "Direct"),
        replying=("Replying to",),
        reacted=("Reacted to", "with", "Removed a", "reaction from"),
    ),
    ChatWords(
        "de",
        "German",
        openers=("Von",),
        connectors=("an",),
        everyone=("Alle", "Jeder", "Allen", "Alle Teilnehmer"),
        panelists=(
            "Alle Diskussionsteilnehmer",
            "Diskussionsteilnehmer",
            "Alle Panelisten",
            "Hosts und Diskussionsteilnehmer",
            "Hosts und Panelisten",
            "Moderatoren und Diskussionsteilnehmer",
        ),
        private=("Privat", "Direktnachricht"),
        replying=("Antwort auf", "Antworten auf"),
        reacted=("Hat mit", "reagiert", "Reagiert auf", "mit"),
    ),
    ChatWords(
        "es",
        "Spanish",
        openers=("De",),
        connectors=("a",),
        everyone=("Todos", "Todo el mundo", "Todos los participantes"),
        panelists=(
            "Todos los panelistas",
            "Panelistas",
            "Anfitriones y panelistas",
            "Anfitrión y panelistas",
        ),
        private=("En privado", "Mensaje directo", "Privado"),
        replying=("Respondiendo a", "En respuesta a"),
        reacted=("Reaccionó a", "con", "Ha reaccionado a"),
    ),
    ChatWords(
        "fr",
        "French",
        openers=("De",),
        connectors=("à", "a"),
        everyone=("Tout le monde", "Tous", "Tous les participants"),
        panelists=(
            "Tous les panélistes",
            "Panélistes",
            "Hôtes et panélistes",
            "Animateurs et panélistes",
        ),
        private=("en privé", "Message direct", "Privé"),
        replying=("En réponse à", "Répondre à", "Réponse à"),
        reacted=("A réagi à", "avec", "Réaction à"),
    ),
    ChatWords(
        "pt",
        "Portuguese",
        openers=("De",),
        connectors=("para",),
        everyone=("Todos", "Todas as pessoas", "Todos os participantes"),
        panelists=(
            "Todos os painelistas",
            "Painelistas",
            "Anfitriões e painelistas",
            "Hosts e painelistas",
        ),
        private=("Em privado", "Privadamente", "Mensagem direta", "Privado"),
        replying=("Respondendo a", "Em resposta a"),
        reacted=("Reagiu a", "com"),
    ),
    ChatWords(
        "it",
        "Italian",
        openers=("Da",),
        connectors=("a",),
        everyone=("Tutti", "Tutti i partecipanti"),
        panelists=(
            "Tutti i relatori",
            "Relatori",
            "Tutti i panelist",
            "Organizzatori e relatori",
            "Host e relatori",
        ),
        private=("In privato", "Messaggio diretto", "Privato"),
        replying=("In risposta a", "Risposta a"),
        reacted=("Ha reagito a", "con"),
    ),
    ChatWords(
        "nl",
        "Dutch",
        openers=("Van",),
        connectors=("naar", "aan"),
        everyone=("Iedereen", "Alle deelnemers"),
        panelists=("Alle panelleden", "Panelleden", "Hosts en panelleden", "Host en panelleden"),
        private=("Privé", "Direct bericht", "Privébericht"),
        replying=("Antwoord op", "Reageren op"),
        reacted=("Heeft gereageerd op", "met", "Reageerde op"),
    ),
    ChatWords(
        "pl",
        "Polish",
        openers=("Od",),
        connectors=("do",),
        everyone=("Wszyscy", "Wszystkich", "Wszystkie osoby"),
        panelists=(
            "Wszyscy paneliści",
            "Wszystkich panelistów",
            "Paneliści",
            "Gospodarze i paneliści",
            "Prowadzący i paneliści",
        ),
        private=("Prywatnie", "Wiadomość bezpośrednia", "Wiadomość prywatna"),
        replying=("Odpowiedź na", "Odpowiadanie na"),
        reacted=("Zareagowano na", "Zareagował(a) na", "za pomocą"),
    ),
    ChatWords(
        "ru",
        "Russian",
        openers=("От",),
        connectors=("для", "кому"),
        everyone=("Все", "Всем", "Все участники"),
        panelists=(
            "Все участники дискуссии",
            "Участники дискуссии",
            "Все докладчики",
            "Организаторы и участники дискуссии",
            "Организатор и участники дискуссии",
        ),
        private=("Лично", "Личное сообщение", "Прямое сообщение", "Личное"),
        replying=("Ответ на",),
        reacted=("Отреагировал(а) на", "Реакция на"),
    ),
    ChatWords(
        "ja",
        "Japanese",
        openers=("開始", "送信元", "送信者"),
        connectors=("宛先", "から", "→"),
        everyone=("全員", "皆さん", "みなさん"),
        panelists=("すべてのパネリスト", "パネリスト全員", "全パネリスト", "ホストとパネリスト"),
        private=("プライベート", "ダイレクトメッセージ", "ダイレクト メッセージ", "非公開"),
        replying=("返信先", "返信:", "に返信"),
        reacted=("にリアクション", "でリアクションしました", "リアクション"),
        suffixes=("へ", "に", "宛て"),
    ),
    ChatWords(
        "zh",
        "Chinese",
        openers=("来自", "來自", "从", "從"),
        connectors=("发送给", "傳送給", "发给", "至", "到", "对", "對"),
        everyone=("所有人", "每个人", "每個人", "所有人员", "所有人員", "大家"),
        panelists=("所有嘉宾", "所有嘉賓", "所有小组成员", "主持人和嘉宾", "主持人和嘉賓"),
        private=("私聊", "私信", "直接消息", "私人", "私下"),
        replying=("回复", "回覆", "答复"),
        reacted=("回应了", "做出了回应", "表情回应"),
    ),
    ChatWords(
        "ko",
        "Korean",
        openers=("발신자", "보낸 사람"),
        connectors=("수신자", "받는 사람", "님이"),
        everyone=("모두", "모든 사람", "모두에게", "전체"),
        panelists=("모든 패널리스트", "패널리스트", "호스트 및 패널리스트", "호스트와 패널리스트"),
        private=("비공개", "다이렉트 메시지", "개인 메시지", "개인"),
        replying=("답장", "회신", "에 답장"),
        reacted=("반응", "에 반응했습니다"),
        suffixes=("에게", "님에게", "님께"),
    ),
)

#: Quotation marks that open (and close) a quoted snippet, in any language.
QUOTE_OPEN = '"“„«「『‘'
QUOTE_CLOSE = '"”“»」』’'


def fold(word: str) -> str:
    """A word as compared: lower case, spaces squashed."""
    return " ".join(word.casefold().split())


@lru_cache(maxsize=1)
def word_sets() -> dict[str, frozenset[str]]:
    """Every known word by role (folded): openers, connectors, everyone, panelists, ..."""
    roles = ("openers", "connectors", "everyone", "panelists", "private", "suffixes")
    return {
        role: frozenset(fold(w) for lang in LANGUAGES for w in getattr(lang, role))
        for role in roles
    }


def languages_of_opener(opener: str) -> tuple[ChatWords, ...]:
    """The languages whose clients open headers with ``opener``."""
    folded = fold(opener)
    return tuple(lang for lang in LANGUAGES if folded in {fold(w) for w in lang.openers})


def is_everyone(name: str) -> bool:
    """True for a recipient that means everyone in a known language."""
    return fold(name) in word_sets()["everyone"]


def is_panelists(name: str) -> bool:
    """True for a webinar recipient meaning the panel ("All Panelists", "Todos los panelistas")."""
    return fold(name) in word_sets()["panelists"]


@lru_cache(maxsize=1)
def private_marker_re() -> re.Pattern[str]:
    """A known privacy marker in round (or full-width) brackets, as written after a name."""
    words = sorted(word_sets()["private"], key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"\s*[(（]\s*(?:{alternatives})\s*[)）]", re.IGNORECASE)


@lru_cache(maxsize=1)
def replying_re() -> re.Pattern[str]:
    """The start of a reply in any known language, up to its opening quotation mark."""
    words = sorted({w for lang in LANGUAGES for w in lang.replying}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^(?:{alternatives})\s*[:：]?\s*(?=[{QUOTE_OPEN}])", re.IGNORECASE)


def language_table() -> list[tuple[str, str, str]]:
    """``(code, name, example header)`` of every known language, for ``feedback formats``."""
    rows = []
    for lang in LANGUAGES:
        opener, connector, everyone = lang.openers[0], lang.connectors[0], lang.everyone[0]
        rows.append((lang.code, lang.name, f"{opener} <name> {connector} {everyone}:"))
    return rows
