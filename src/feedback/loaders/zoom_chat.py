"""Zoom in-meeting chat: the saved chat (old one-line and new two-line) and cloud chat.

Three loaders share the message model of this module:

``zoom-chat-oneline``
    The old local "saved chat" (2020 to about 2021), one header per message::

        09:03:42\\t From  Ann Lee : text
        09:04:41\\t From  Ann Lee  to  Bo Chan(Privately) : text

    and the German client's ``10:00:01 Von Ann an Alle : text``.
``zoom-chat-twoline``
    The new saved chat (2021 onward), a header then tab-indented body lines::

        17:06:15 From Ann Lee to Everyone:
        \\tSlides for today: ...

    Reactions (``Reacted to "..." with 👍``) and replies (``Replying to "..."``)
    are written as ordinary messages; they are recognised and linked to the
    message they point at.
``zoom-chat-cloud``
    The chat file of a cloud (or local) recording, ``00:21:14\\tAnn Lee:\\ttext``,
    timed from the start of the session.

Lines are split on ``\\r\\n`` and ``\\n`` only: Zoom writes a bare ``\\r`` or
U+2028 for a line break inside one message, so they stay in that message (as
``\\n``). Lines without a header continue the message before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from feedback.exceptions import FormatError
from feedback.loaders.base import (
    GMT_NAME_RE,
    UNKNOWN_DATE,
    Loader,
    LoadOptions,
    Parsed,
    Skipped,
    Source,
    item_id,
    parse_offset,
    resolve_day,
    stamp_times,
)
from feedback.loaders.registry import register
from feedback.schema import Col, Kind

#: Value of the ``recipient`` column for messages to everyone.
EVERYONE = "Everyone"

#: How many non-empty lines ``sniff`` looks at.
_SNIFF_LINES = 20

# -- headers -------------------------------------------------------------------------
#: ``[YYYY-MM-DD ]HH:MM:SS[ AM] From|Von <rest>`` (the start of a saved-chat header).
_SAVED_HEAD_RE = re.compile(
    r"^\ufeff?(?:(?P<date>\d{4}-\d{2}-\d{2})[ T]+)?"
    r"(?P<time>\d{1,2}:\d{2}:\d{2})(?:[ ]?(?P<ampm>[AaPp][Mm]))?"
    r"[ \t]+(?P<keyword>From|Von)[ \t]+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
#: Word that separates the sender from the recipient, per header keyword.
_RECIPIENT_WORDS = {"from": "to", "von": "an"}
#: The end of the sender (and recipient) in a one-line header: the first `` : ``.
_ONELINE_COLON_RE = re.compile(r"\s+:(?:\s|$)")
#: A privacy marker after a recipient (or, in old German files, the sender).
_PRIVATE_RE = re.compile(
    r"\s*\(\s*(?:privately|private|direct\s+message|direktnachricht|privat)\s*\)",
    re.IGNORECASE,
)
#: Recipients that mean everyone (English and German clients).
_EVERYONE_WORDS = {"everyone", "everybody", "all", "alle", "jeder", "allen", "all participants"}
#: Webinar group recipients ("All Panelists", "Hosts and panelists").
_GROUP_RE = re.compile(
    r"^(?:all|alle)?\s*(?:hosts?|co-?hosts?|panelists?|attendees?|diskussionsteilnehmer(?:n)?"
    r"|teilnehmer(?:n)?|moderatoren?)"
    r"(?:\s*(?:and|&|und|,)\s*(?:hosts?|co-?hosts?|panelists?|attendees?"
    r"|diskussionsteilnehmer(?:n)?|teilnehmer(?:n)?|moderatoren?))*$",
    re.IGNORECASE,
)
#: Webinar recipients that reach everyone: "All panelists and attendees".
_PUBLIC_GROUP_RE = re.compile(
    r"^(?:all\s+|alle\s+)?(?:(?:panelists?|attendees?)\s*(?:and|&)\s*(?:panelists?|attendees?)"
    r"|diskussionsteilnehmer(?:n)?\s*(?:und|&)\s*teilnehmer(?:n)?)$",
    re.IGNORECASE,
)
#: Cloud-recording chat: ``HH:MM:SS<TAB>Name:<TAB>text``.
_CLOUD_RE = re.compile(
    r"^\ufeff?(?P<time>\d{1,2}:\d{2}:\d{2})\t(?P<name>[^\t]*?):(?:\t(?P<text>.*))?$"
)
#: A body line of the two-line format: indented by a tab or spaces.
_INDENT_RE = re.compile(r"^(?:\t| {1,2})")

# -- reactions and replies -------------------------------------------------------------
_REACTED_RE = re.compile(r'^Reacted to "(?P<snippet>.*)" with (?P<emoji>[^\n]{1,32})$', re.DOTALL)
_REMOVED_RE = re.compile(
    r'^Removed an? (?P<emoji>[^\n]{1,32}?) reaction from "(?P<snippet>.*)"$', re.DOTALL
)
_ADD_REMOVE_RE = re.compile(r"^(?:add|remove) (?P<emoji>[^\s\w][^\s]{0,15})$")
_REPLYING = 'Replying to "'
#: Longest snippet a reply's quote is taken to hold (Zoom writes 20 characters + "...").
_MAX_SNIPPET = 64
#: Lengths of the keys reaction targets are indexed by (Zoom quotes 20 characters).
_SNIPPET_KEYS = (20, 10)
#: How many earlier candidate messages are compared with a snippet, at most.
_SCAN_BACK = 1000


@dataclass
class _Message:
    """A chat message being assembled from its header and continuation lines."""

    line: int
    clock: time | timedelta
    day: date | None
    author: str
    recipient: str
    is_private: bool
    parts: list[str] = field(default_factory=list)
    indented: bool = False

    def text(self) -> str:
        """The message text: in-message breaks as ``\\n``, trailing blanks removed."""
        joined = "\n".join(self.parts)
        joined = joined.replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        return "\n".join(part.rstrip() for part in joined.split("\n")).strip()


# -- reading lines -----------------------------------------------------------------------
def _chat_lines(source: Source) -> list[str]:
    """The file's lines; a file with only bare CRs (old Mac style) is split on them."""
    lines = source.lines
    if len(lines) == 1 and "\r" in lines[0].rstrip("\r"):
        return lines[0].rstrip("\r").split("\r")
    return lines


def _sniff_lines(source: Source) -> list[str]:
    """The first lines of a file, enough to hold :data:`_SNIFF_LINES` non-empty ones."""
    head = source.head(_SNIFF_LINES * 4)
    if len(head) == 1 and "\r" in head[0].rstrip("\r"):
        head = head[0].rstrip("\r").split("\r")[: _SNIFF_LINES * 4]
    out: list[str] = []
    seen = 0
    for line in head:
        out.append(line)
        if line.strip():
            seen += 1
            if seen >= _SNIFF_LINES:
                break
    return out


def _to_clock(value: str, ampm: str | None) -> time:
    """``HH:MM:SS`` (and an optional AM/PM) as a time of day."""
    hh, mm, ss = (int(part) for part in value.split(":"))
    if ampm:
        hh = hh % 12 + (12 if ampm.lower() == "pm" else 0)
    return time(hh, mm, ss)


# -- recipients --------------------------------------------------------------------------
def _normalise_recipient(raw: str) -> tuple[str, bool]:
    """Split a recipient field into ``(recipient, is_private)``.

    Everyone (in English or German) becomes :data:`EVERYONE`. A webinar's "All
    panelists and attendees" is public too but kept as written. Any other
    recipient (a person, "All Panelists", "Hosts and panelists") or a privacy
    marker makes the message private.
    """
    marker = bool(_PRIVATE_RE.search(raw))
    name = _PRIVATE_RE.sub("", raw).strip()
    if not name or name.lower() in _EVERYONE_WORDS:
        return EVERYONE, marker
    if _PUBLIC_GROUP_RE.match(name):
        return name, marker
    return name, True


def _is_recipient(raw: str) -> bool:
    """True for a recipient field that must follow a ``to``: everyone, a group, a marker."""
    name = raw.strip()
    marker = _PRIVATE_RE.search(name)
    if marker is not None and marker.end() == len(name) and name[: marker.start()].strip():
        return True
    return name.lower() in _EVERYONE_WORDS or bool(_GROUP_RE.match(name))


def _split_people(head: str, keyword: str, *, any_recipient: bool) -> tuple[str, str]:
    """Split ``<sender> to <recipient>`` into its two names.

    ``to`` (``an`` for the German client) separates them only when the
    recipient is everyone, a webinar group or carries a privacy marker, because
    display names may hold the word. With ``any_recipient`` (two-line headers
    and German headers, which always name a recipient) the last separator is
    used when none qualifies.
    """
    word = _RECIPIENT_WORDS.get(keyword.lower(), "to")
    separators = list(re.finditer(rf"\s+{word}\s+", head, re.IGNORECASE))
    for match in separators:
        if _is_recipient(head[match.end() :]):
            return head[: match.start()], head[match.end() :]
    if any_recipient and separators:
        last = separators[-1]
        return head[: last.start()], head[last.end() :]
    return head, ""


@dataclass(frozen=True)
class _Header:
    """A parsed saved-chat header line."""

    clock: time
    day: date | None
    author: str
    recipient: str
    is_private: bool
    first_text: str | None  # None for a two-line header (the body follows)


def _parse_saved_header(line: str, next_line: str | None) -> _Header | None:
    """Read a one-line or two-line saved-chat header; ``None`` if ``line`` is not one."""
    match = _SAVED_HEAD_RE.match(line.rstrip())
    if match is None:
        return None
    rest = match["rest"]
    keyword = match["keyword"]
    german = keyword.lower() == "von"
    colon = _ONELINE_COLON_RE.search(rest)
    next_indented = bool(
        next_line is not None and next_line.strip() and _INDENT_RE.match(next_line)
    )
    if colon is not None:
        text = rest[colon.end() :]
        if text.strip() or not next_indented or not rest.rstrip().endswith(":"):
            head = rest[: colon.start()]
            return _header(match, head, text, keyword, any_recipient=german)
    stripped = rest.rstrip()
    if stripped.endswith(":") and len(stripped) > 1:
        head = stripped[:-1].rstrip()
        return _header(match, head, None, keyword, any_recipient=True)
    return None


def _header(
    match: re.Match[str], head: str, text: str | None, keyword: str, *, any_recipient: bool
) -> _Header | None:
    try:
        clock = _to_clock(match["time"], match["ampm"])
        day = date.fromisoformat(match["date"]) if match["date"] else None
    except ValueError:
        return None
    sender, recipient_raw = _split_people(head, keyword, any_recipient=any_recipient)
    # Old German files mark private messages with "(privat)" after the sender.
    old_marker = bool(_PRIVATE_RE.search(sender))
    sender = _PRIVATE_RE.sub("", sender).strip()
    recipient, private = _normalise_recipient(recipient_raw)
    if not sender:
        return None
    return _Header(
        clock=clock,
        day=day,
        author=sender,
        recipient=recipient,
        is_private=private or old_marker,
        first_text=text,
    )


# -- timestamps ---------------------------------------------------------------------------
def _stamp_clock(messages: list[_Message], day: date) -> list[datetime]:
    """Dates for times of day: explicit line dates win; midnight rollover is handled."""
    out: list[datetime] = []
    start = 0
    current_day = day
    while start < len(messages):
        end = start + 1
        while end < len(messages) and messages[end].day is None:
            end += 1
        segment = messages[start:end]
        if segment[0].day is not None:
            current_day = segment[0].day
        stamped = stamp_times([m.clock for m in segment], current_day)  # type: ignore[misc]
        out.extend(stamped)
        current_day = stamped[-1].date()
        start = end
    return out


# -- reactions and replies ------------------------------------------------------------------
def _squash(text: str) -> str:
    return " ".join(text.split())


def _snippet_prefix(snippet: str) -> str:
    """The quoted part of a snippet, without Zoom's trailing ``...``."""
    if snippet.endswith("..."):
        return snippet[:-3]
    return snippet[:-1] if snippet.endswith("…") else snippet


class _Targets:
    """Earlier non-reaction messages, found again from the snippet a reaction quotes.

    Zoom quotes the first 20 characters of the target and ``...`` (or the whole
    text when it is shorter). Messages are indexed by their first 20 and first
    10 characters (whitespace squashed), so a snippet of either length finds
    its target without a scan; shorter snippets (and Zoom counting characters
    differently, as with emoji) fall back to a bounded scan of recent messages.
    """

    def __init__(self) -> None:
        self._items: list[tuple[str, str, str]] = []  # (item id, text, squashed text)
        self._by_key: dict[int, dict[str, list[int]]] = {size: {} for size in _SNIPPET_KEYS}

    def add(self, identifier: str, text: str) -> None:
        """Remember a message that later reactions and replies may point at."""
        squashed = _squash(text)
        for size, index in self._by_key.items():
            index.setdefault(squashed[:size], []).append(len(self._items))
        self._items.append((identifier, text, squashed))

    @property
    def last(self) -> str:
        """Item id of the latest message ("" when there is none)."""
        return self._items[-1][0] if self._items else ""

    def find(self, snippet: str) -> str:
        """Item id of the latest message whose text starts with ``snippet`` ("" if none)."""
        prefix = _snippet_prefix(snippet)
        squashed = _squash(prefix)
        if not squashed:
            return ""
        for size in _SNIPPET_KEYS:
            if len(squashed) >= size:
                bucket = self._by_key[size].get(squashed[:size], [])
                for position in reversed(bucket[-_SCAN_BACK:]):
                    identifier, _, text = self._items[position]
                    if text.startswith(squashed):
                        return identifier
                return ""
        for identifier, text, squashed_text in reversed(self._items[-_SCAN_BACK:]):
            if text.startswith(prefix) or squashed_text.startswith(squashed):
                return identifier
        return ""


def _split_reply(body: str, targets: _Targets) -> tuple[str, str] | None:
    """Split ``Replying to "<snippet>" <reply>`` into ``(reply, target id)``.

    The snippet's quotes are not escaped, so every closing quote followed by a
    space or the end is a candidate; one that matches an earlier message wins
    (longest first), then one ending in ``...``, then the first.
    """
    if not body.startswith(_REPLYING):
        return None
    rest = body[len(_REPLYING) :]
    candidates = [
        index
        for index, char in enumerate(rest[: _MAX_SNIPPET + 1])
        if char == '"' and (index + 1 == len(rest) or rest[index + 1].isspace())
    ]
    if not candidates:
        return None
    for index in sorted(candidates, reverse=True):
        target = targets.find(rest[:index])
        if target:
            return rest[index + 1 :].strip(), target
    dotted = [i for i in candidates if rest[:i].endswith(("...", "…"))]
    index = dotted[0] if dotted else candidates[0]
    return rest[index + 1 :].strip(), ""


def _records(
    messages: list[_Message], stamps: list[datetime], source: Source
) -> list[dict[str, object]]:
    """Turn messages into item records, recognising reactions and replies."""
    records: list[dict[str, object]] = []
    targets = _Targets()
    for message, stamp in zip(messages, stamps, strict=True):
        number = len(records) + 1
        identifier = item_id(source, number)
        text = message.text()
        kind = Kind.CHAT
        reply_to = ""
        reacted = _REACTED_RE.match(text) or _REMOVED_RE.match(text)
        if reacted:
            kind = Kind.REACTION
            reply_to = targets.find(reacted["snippet"])
        elif _ADD_REMOVE_RE.match(text) and not any(ch.isalpha() for ch in text.split(" ", 1)[1]):
            kind = Kind.REACTION
            reply_to = targets.last
        else:
            reply = _split_reply(text, targets)
            if reply is not None:
                text, reply_to = reply
            targets.add(identifier, text)
        records.append(
            {
                Col.KIND: kind,
                Col.TIMESTAMP: stamp,
                Col.AUTHOR: message.author,
                Col.RECIPIENT: message.recipient,
                Col.IS_PRIVATE: message.is_private,
                Col.REPLY_TO: reply_to,
                Col.TEXT: text,
                Col.LINE: message.line,
            }
        )
    return records


# -- the saved chat -------------------------------------------------------------------------
def _saved_chat_evidence(source: Source) -> tuple[int, int]:
    """Count one-line and two-line headers among the first lines of ``source``."""
    lines = _sniff_lines(source)
    oneline = twoline = 0
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        header = _parse_saved_header(line, following)
        if header is None:
            continue
        if header.first_text is None:
            twoline += 1 if following is not None and _INDENT_RE.match(following) else 0
        else:
            oneline += 1
    return oneline, twoline


def _parse_saved_chat(source: Source, options: LoadOptions) -> Parsed:
    """Parse a saved chat in either layout (one header per message, body inline or below)."""
    lines = _chat_lines(source)
    skipped: list[Skipped] = []
    messages: list[_Message] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        header = _parse_saved_header(line, following)
        if header is not None:
            message = _Message(
                line=index + 1,
                clock=header.clock,
                day=header.day,
                author=header.author,
                recipient=header.recipient,
                is_private=header.is_private,
                indented=header.first_text is None,
            )
            if header.first_text is not None:
                message.parts.append(header.first_text)
            messages.append(message)
            continue
        if not messages:
            if line.strip():
                skipped.append(
                    Skipped(source.name, index + 1, "text before the first chat message", line)
                )
            continue
        current = messages[-1]
        if current.indented:
            line = _INDENT_RE.sub("", line, count=1)
        current.parts.append(line)
    if not messages:
        raise FormatError(
            f"{source.name}: no Zoom chat message found (expected lines such as "
            "'10:01:02 From Ann Lee to Everyone:' or '10:01:02\\t From  Ann Lee : text')"
        )
    day, known = resolve_day(source, options)
    stamps = _stamp_clock(messages, day)
    dated = all(m.day is not None for m in messages)
    return Parsed(
        items=_records(messages, stamps, source),
        skipped=skipped,
        meta={"date_known": known or dated, "time_base": "clock", "offset_anchored": False},
    )


@register
class ZoomChatOneLineLoader(Loader):
    """Zoom saved chat, old layout: ``HH:MM:SS\\t From  Name : text`` (one line a message)."""

    format_id = "zoom-chat-oneline"
    description = "Zoom saved meeting chat, old one-line layout (2020-2021), also German"
    recognised_by = "lines 'HH:MM:SS From Name : text' or 'HH:MM:SS Von Name an Alle : text'"
    family = "chat"
    extensions = (".txt",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.9 when the first lines hold one-line headers and no two-line ones."""
        try:
            oneline, twoline = _saved_chat_evidence(source)
        except Exception:
            return 0.0
        if oneline and not twoline:
            return 0.9
        if oneline > twoline:
            return 0.5
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Parse the chat; every message is a ``chat`` (or ``reaction``) item."""
        return _parse_saved_chat(source, options)


@register
class ZoomChatTwoLineLoader(Loader):
    """Zoom saved chat, new layout: a ``HH:MM:SS From A to B:`` header, then indented lines."""

    format_id = "zoom-chat-twoline"
    description = "Zoom saved meeting chat, new layout (2021 on): header line, indented body"
    recognised_by = "a line 'HH:MM:SS From Name to Everyone:' followed by a tab-indented line"
    family = "chat"
    extensions = (".txt",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.9 when a header ending in ``:`` is followed by an indented body line."""
        try:
            oneline, twoline = _saved_chat_evidence(source)
        except Exception:
            return 0.0
        if twoline and twoline >= oneline:
            return 0.9
        if twoline:
            return 0.4
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Parse the chat, with reactions and replies linked to their messages."""
        return _parse_saved_chat(source, options)


# -- cloud recording chat ------------------------------------------------------------------------
def _cloud_match(line: str) -> re.Match[str] | None:
    match = _CLOUD_RE.match(line.rstrip("\r\n"))
    if match is None or _SAVED_HEAD_RE.match(line):
        return None
    return match


@register
class ZoomChatCloudLoader(Loader):
    """Zoom cloud-recording chat: ``HH:MM:SS<TAB>Name:<TAB>text``, timed from the start."""

    format_id = "zoom-chat-cloud"
    description = "Zoom cloud-recording chat (GMT..._Topic.txt); times from the session start"
    recognised_by = "lines 'HH:MM:SS<TAB>Name:<TAB>text'"
    family = "chat"
    extensions = (".txt",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.9 when the first non-empty line is a cloud-chat line, 0.7 when a later one is."""
        try:
            lines = [line for line in _sniff_lines(source) if line.strip()]
            hits = [i for i, line in enumerate(lines) if _cloud_match(line)]
        except Exception:
            return 0.0
        if not hits:
            return 0.0
        return 0.9 if hits[0] == 0 or len(hits) >= 2 else 0.7

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Parse the chat; timestamps are offsets, anchored when the name gives the start."""
        lines = _chat_lines(source)
        skipped: list[Skipped] = []
        messages: list[_Message] = []
        for index, line in enumerate(lines):
            match = _cloud_match(line)
            if match is not None:
                message = _Message(
                    line=index + 1,
                    clock=parse_offset(match["time"]),
                    day=None,
                    author=match["name"].strip(),
                    recipient="",
                    is_private=False,
                )
                message.parts.append(match["text"] or "")
                messages.append(message)
            elif messages:
                messages[-1].parts.append(line)
            elif line.strip():
                skipped.append(
                    Skipped(source.name, index + 1, "text before the first chat message", line)
                )
        if not messages:
            raise FormatError(
                f"{source.name}: no cloud-recording chat line found "
                "(expected lines such as '00:21:14<TAB>Ann Lee:<TAB>text')"
            )
        anchored = GMT_NAME_RE.search(source.name) is not None and source.date_hint is not None
        base = source.date_hint if anchored else datetime.combine(UNKNOWN_DATE, time())
        stamps = [base + m.clock for m in messages]  # type: ignore[operator]
        return Parsed(
            items=_records(messages, stamps, source),
            skipped=skipped,
            meta={"date_known": anchored, "time_base": "offset", "offset_anchored": anchored},
        )
