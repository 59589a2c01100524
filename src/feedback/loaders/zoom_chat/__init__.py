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

Zoom clients write these headers in their own language (``10:00:01 De Ana a
Todos:``, ``来自 张伟 发送给 所有人:``, ``김민수 님이 모두에게:``); the grammar of each
file is learned from its first headers (:mod:`.grammar`) and the known words
of twelve languages (:mod:`.words`) tell everyone, the webinar panel and
private messages apart. Messages to the panel ("to All Panelists") are public,
with the recipient :data:`~feedback.schema.RECIPIENT_PANELISTS`.

Lines are split on ``\\r\\n`` and ``\\n`` only: Zoom writes a bare ``\\r`` or
U+2028 for a line break inside one message, so they stay in that message (as
``\\n``). Lines without a header continue the message before them.

Saved chats can hold a million messages, so they are read in bulk: one regular
expression over the whole text cuts out every message of the common two-line
shape (a ``HH:MM:SS From ...`` header and the body lines below it), headers
are parsed once per distinct header, and the columns are built with list and
array operations. Whatever that pass does not recognise (one-line headers,
dated or AM/PM headers, stray lines, ...) is read line by line by the detailed
parser, which gives the same result for every line, only slower; the runs of
plain messages around such text are still taken in bulk.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import compress, filterfalse, repeat
from operator import not_
from typing import TYPE_CHECKING, Any

from feedback.exceptions import FormatError
from feedback.loaders.base import (
    GMT_NAME_RE,
    UNKNOWN_DATE,
    Loader,
    LoadOptions,
    Parsed,
    Skipped,
    Source,
    parse_offset,
    resolve_day,
    split_lines,
)
from feedback.loaders.registry import register
from feedback.loaders.zoom_chat.grammar import (
    ENGLISH,
    ONELINE_COLON_RE,
    TIMED_RE,
    Grammar,
    infer_grammar,
)
from feedback.loaders.zoom_chat.words import (
    LANGUAGES,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    is_panelists,
    replying_re,
)
from feedback.schema import RECIPIENT_EVERYONE, RECIPIENT_PANELISTS, Col, Kind

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np

#: Value of the ``recipient`` column for messages to everyone.
EVERYONE = RECIPIENT_EVERYONE

#: How many non-empty lines ``sniff`` looks at.
_SNIFF_LINES = 20

# -- headers -------------------------------------------------------------------------
#: Webinar group recipients other than the panel ("Hosts", "Host and co-hosts"): private.
_GROUP_RE = re.compile(
    r"^(?:all|alle)?\s*(?:hosts?|co-?hosts?|attendees?|teilnehmer(?:n)?|moderatoren?)"
    r"(?:\s*(?:and|&|und|,)\s*(?:hosts?|co-?hosts?|attendees?|teilnehmer(?:n)?|moderatoren?))*$",
    re.IGNORECASE,
)
#: Webinar recipients that reach everyone: "All panelists and attendees".
_PUBLIC_GROUP_RE = re.compile(
    r"^(?:all\s+|alle\s+)?(?:(?:panelists?|attendees?)\s*(?:and|&)\s*(?:panelists?|attendees?)"
    r"|diskussionsteilnehmer(?:n)?\s*(?:und|&)\s*teilnehmer(?:n)?)$",
    re.IGNORECASE,
)
#: A saved-chat header that could pass for a cloud-recording line (``From``/``Von`` only:
#: names such as "De Souza" or "Van Dijk" start cloud lines too).
_SAVED_LOOKALIKE_RE = re.compile(
    r"^\ufeff?(?:\d{4}-\d{2}-\d{2}[ T]+)?\d{1,2}:\d{2}:\d{2}(?:[ ]?[AaPp][Mm])?"
    r"[ \t]+(?:From|Von)[ \t]+\S",
    re.IGNORECASE,
)
#: Cloud-recording chat: ``HH:MM:SS<TAB>Name:<TAB>text``.
_CLOUD_RE = re.compile(
    r"^\ufeff?(?P<time>\d{1,2}:\d{2}:\d{2})\t(?P<name>[^\t]*?):(?:\t(?P<text>.*))?$"
)
#: A body line of the two-line format: indented by a tab or spaces.
_INDENT_RE = re.compile(r"^(?:\t| {1,2})")

#: A body line for the bulk pass: one that cannot be a header (empty, or not starting
#: with a digit or BOM); the last may end the file without a line break.
_BODY_LINE = r"(?:\t[^\n]*+\n|[^\d\ufeff\n][^\n]*+(?:\n|\Z)|\n)"
#: One message of the common two-line shape, for the bulk pass. ``split`` gives
#: :data:`_BULK_STEP` pieces a message: the text before it (empty when all is
#: plain), the time, the rest of the header line (``From <sender> to <recipient>:``),
#: then the first body line as its tab (or ""), the first letter of its text when
#: that is R, a or r (else None: it is no reaction or reply), the rest of it and its
#: line break ("" when there is no first body line), and last the other body lines.
_BULK_TAIL = (
    r"(\t?+)(?:(?=[^\S\n]*+([Rar])))?+((?<=\t)[^\n]*+|[^\d\ufeff\n][^\n]*+|(?=\n)|)(\n|\Z|)"
    rf"({_BODY_LINE}*+)"
)


@lru_cache(maxsize=64)
def _bulk_re(grammar: Grammar) -> re.Pattern[str]:
    """The bulk-pass pattern for headers written in ``grammar``."""
    if grammar.opener is None:
        head = r"([^\s\d][^\n]*+)"
    else:
        # As written (other spellings are read line by line, by the detailed parser).
        head = rf"({re.escape(grammar.opener)} [^\n]*+)"
    return re.compile(rf"^([0-9]{{1,2}}:[0-9]{{2}}:[0-9]{{2}}) {head}\n" + _BULK_TAIL, re.MULTILINE)


_BULK_STEP = 8
#: The usual header rest, ``From <sender> to <recipient>:``, with names of single-spaced
#: words without colons (so no `` : ``), for a shortcut through the header rules.
_SIMPLE_HEAD_RE = re.compile(r"From ([^\s:]+(?: [^\s:]+)*?) to ([^\s:]+(?: [^\s:]+)*):\s*")
#: Characters that break a message body into lines (besides ``\n``).
_BREAK_RE = re.compile("[\r\u2028\u2029]")
#: Cache limit for header strings (a one-line chat has a new one on every line).
_CACHE_SIZE = 1 << 16

# -- reactions and replies -------------------------------------------------------------
_REACTED_RE = re.compile(r'^Reacted to "(?P<snippet>.*)" with (?P<emoji>[^\n]{1,32})$', re.DOTALL)
_REMOVED_RE = re.compile(
    r'^Removed an? (?P<emoji>[^\n]{1,32}?) reaction from "(?P<snippet>.*)"$', re.DOTALL
)
_ADD_REMOVE_RE = re.compile(r"^(?:add|remove) (?P<emoji>[^\s\w][^\s]{0,15})$")
_REPLYING = 'Replying to "'
#: Words of reactions in every known language (a reaction's shape is sure with them).
_REACTION_WORDS = tuple({word for lang in LANGUAGES for word in lang.reacted})
#: How every reaction or reply starts (the others are plain messages).
_SPECIAL_STARTS = ('Reacted to "', "Removed a", "add ", "remove ", _REPLYING)
#: Longest snippet a reply's quote is taken to hold (Zoom writes 20 characters + "...").
_MAX_SNIPPET = 64
#: Lengths of the keys reaction targets are indexed by (Zoom quotes 20 characters).
_SNIPPET_KEYS = (20, 10)
#: How many earlier candidate messages are compared with a snippet, at most.
_SCAN_BACK = 1000
#: How many of the latest messages are compared before the snippet index is used,
#: the nearest ones first.
_QUICK_SCAN = 200
_NEAR = 48
#: Whitespace that squashing changes: any but a single space. A stripped text
#: without it in its first ``n`` characters has ``_squash(text)[:n] == text[:n]``.
_ODD_SPACE_RE = re.compile(r"[^\S ]| {2}")


@dataclass(slots=True)
class _Message:
    """A chat message being assembled from its header and continuation lines.

    ``clock`` is the time of day in seconds (saved chats) or the offset from
    the start of the session (cloud chats).
    """

    line: int
    clock: int | timedelta
    day: date | None
    author: str
    recipient: str
    is_private: bool
    parts: list[str] = field(default_factory=list)
    indented: bool = False

    def text(self) -> str:
        """The message text: in-message breaks as ``\\n``, trailing blanks removed."""
        return _join_parts(self.parts)


def _join_parts(parts: list[str]) -> str:
    """The text of a message from its lines: breaks as ``\\n``, trailing blanks removed."""
    joined = "\n".join(parts)
    joined = joined.replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join([part.rstrip() for part in joined.split("\n")]).strip()


def _body_text(body: str) -> str:
    """The text of a two-line message from the raw body lines below its header."""
    if _BREAK_RE.search(body) is None:  # the lines are the parts: no other breaks
        lines = body.split("\n")
        if lines[-1] == "":
            lines.pop()
        parts = [
            line[1:].rstrip() if line[:1] == "\t" else _INDENT_RE.sub("", line, count=1).rstrip()
            for line in lines
        ]
        return "\n".join(parts).strip()
    return _join_parts([_INDENT_RE.sub("", line, count=1) for line in split_lines(body)])


# -- reading lines -----------------------------------------------------------------------
def _chat_lines(source: Source) -> list[str]:
    """The file's lines; a file with only bare CRs (old Mac style) is split on them."""
    return _cr_only(source.lines)


def _cr_only(lines: list[str]) -> list[str]:
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


@lru_cache(maxsize=_CACHE_SIZE)
def _clock_seconds(value: str, ampm: str | None) -> int:
    """``HH:MM:SS`` (and an optional AM/PM) as seconds since midnight.

    Raises
    ------
    ValueError
        When it is not a time of day (``25:00:00``).
    """
    hh, mm, ss = (int(part) for part in value.split(":"))
    if ampm:
        hh = hh % 12 + (12 if ampm.lower() == "pm" else 0)
    moment = time(hh, mm, ss)
    return moment.hour * 3600 + moment.minute * 60 + moment.second


# -- recipients --------------------------------------------------------------------------
@lru_cache(maxsize=_CACHE_SIZE)
def _normalise_recipient(raw: str, grammar: Grammar = ENGLISH) -> tuple[str, bool]:
    """Split a recipient field into ``(recipient, is_private)``.

    Everyone (in any known language, or the word learned from the file)
    becomes :data:`EVERYONE` and a webinar's panel ("All Panelists", "Hosts and
    panelists", "Todos los panelistas") :data:`~feedback.schema.RECIPIENT_PANELISTS`;
    both are public unless marked private. "All panelists and attendees" is
    public too but kept as written. Any other recipient (a person, "Hosts") or
    a privacy marker makes the message private.
    """
    marker_re = grammar.marker_re
    marker = bool(marker_re.search(raw))
    name = grammar.strip_suffix(marker_re.sub("", raw).strip()).strip()
    if not name or grammar.is_everyone(name):
        return EVERYONE, marker
    if is_panelists(name):
        return RECIPIENT_PANELISTS, marker
    if _PUBLIC_GROUP_RE.match(name):
        return name, marker
    return name, True


@lru_cache(maxsize=_CACHE_SIZE)
def _is_recipient(raw: str, grammar: Grammar = ENGLISH) -> bool:
    """True for a recipient field that must follow a ``to``: everyone, a group, a marker."""
    name = raw.strip()
    marker = grammar.marker_re.search(name)
    if marker is not None and marker.end() == len(name) and name[: marker.start()].strip():
        return True
    name = grammar.strip_suffix(name).strip()
    return (
        grammar.is_everyone(name)
        or is_panelists(name)
        or bool(_GROUP_RE.match(name) or _PUBLIC_GROUP_RE.match(name))
    )


def _split_people(head: str, grammar: Grammar, *, any_recipient: bool) -> tuple[str, str]:
    """Split ``<sender> <connector> <recipient>`` into its two names.

    The connector (``to``, ``an``, ``a``...) separates them only when the
    recipient is everyone, a webinar group or carries a privacy marker, because
    display names may hold the word. With ``any_recipient`` (two-line headers,
    and one-line headers of clients that always name a recipient) the last
    connector is used when none qualifies.
    """
    separators = list(grammar.connector_re.finditer(head))
    for match in separators:
        if _is_recipient(head[match.end() :], grammar):
            return head[: match.start()], head[match.end() :]
    if any_recipient and separators:
        last = separators[-1]
        return head[: last.start()], head[last.end() :]
    return head, ""


@lru_cache(maxsize=_CACHE_SIZE)
def _people(head: str, grammar: Grammar, any_recipient: bool) -> tuple[str, str, bool] | None:
    """``(sender, recipient, is_private)`` of a header's names; ``None`` without a sender."""
    sender, recipient_raw = _split_people(head, grammar, any_recipient=any_recipient)
    sender, old_marker = _sender(sender, grammar)
    recipient, private = _normalise_recipient(recipient_raw, grammar)
    if not sender:
        return None
    return sender, recipient, private or old_marker


@lru_cache(maxsize=_CACHE_SIZE)
def _sender(raw: str, grammar: Grammar = ENGLISH) -> tuple[str, bool]:
    """``(sender, marked private)``: old German files put "(privat)" after the sender."""
    marker_re = grammar.marker_re
    return marker_re.sub("", raw).strip(), bool(marker_re.search(raw))


@dataclass(frozen=True, slots=True)
class _Header:
    """A parsed saved-chat header line."""

    clock: int  # seconds since midnight
    day: date | None
    author: str
    recipient: str
    is_private: bool
    first_text: str | None  # None for a two-line header (the body follows)


def _parse_saved_header(
    line: str, next_line: str | None, grammar: Grammar = ENGLISH
) -> _Header | None:
    """Read a one-line or two-line saved-chat header; ``None`` if ``line`` is not one."""
    match = TIMED_RE.match(line.rstrip())
    if match is None:
        return None
    rest = grammar.after_opener(match["rest"], match["sep"])
    if rest is None:
        return None
    colon = ONELINE_COLON_RE.search(rest)
    next_indented = bool(
        next_line is not None and next_line.strip() and _INDENT_RE.match(next_line)
    )
    if colon is not None:
        text = rest[colon.end() :]
        if text.strip() or not next_indented or not rest.rstrip().endswith((":", "：")):
            head = rest[: colon.start()]
            return _header(match, head, text, grammar, any_recipient=grammar.always_recipient)
    stripped = rest.rstrip()
    if stripped.endswith((":", "：")) and len(stripped) > 1:
        head = stripped[:-1].rstrip()
        return _header(match, head, None, grammar, any_recipient=True)
    return None


def _header(
    match: re.Match[str], head: str, text: str | None, grammar: Grammar, *, any_recipient: bool
) -> _Header | None:
    try:
        clock = _clock_seconds(match["time"], match["ampm"])
        day = date.fromisoformat(match["date"]) if match["date"] else None
    except ValueError:
        return None
    people = _people(head, grammar, any_recipient)
    if people is None:
        return None
    return _Header(clock, day, *people, first_text=text)


@lru_cache(maxsize=_CACHE_SIZE)
def _bulk_header(rest: str, grammar: Grammar = ENGLISH) -> tuple[str, str, bool] | None:
    """People of a bulk-pass header line ``<time> <rest>``; ``None`` unless a plain two-line one.

    Plain means: :func:`_parse_saved_header` reads it as a two-line header
    whatever the next line is (so no `` : `` in it) and it names a sender. The
    time does not change that, so a stand-in time is used.
    """
    if grammar.is_english:
        simple = _SIMPLE_HEAD_RE.fullmatch(rest)
        if simple is not None:
            sender, recipient = simple.groups()
            sender_of, recipient_of = _simple_name(sender), _simple_name(recipient)
            if sender_of is not None and recipient_of is not None:
                # The one " to " splits the names, as _split_people would.
                name, old_marker = sender_of[0]
                recipient, private = recipient_of[1]
                return (name, recipient, private or old_marker) if name else None
    match = TIMED_RE.match(("00:00:00 " + rest).rstrip())
    if match is None:
        return None
    after = grammar.after_opener(match["rest"], match["sep"])
    if after is None or ONELINE_COLON_RE.search(after):
        return None
    stripped = after.rstrip()
    if not (stripped.endswith((":", "：")) and len(stripped) > 1):
        return None
    return _people(stripped[:-1].rstrip(), grammar, True)


@lru_cache(maxsize=_CACHE_SIZE)
def _simple_name(name: str) -> tuple[tuple[str, bool], tuple[str, bool]] | None:
    """A name of a simple English header as sender and recipient; ``None`` if it holds "to"."""
    if ENGLISH.connector_word_re.search(name) is not None:
        return None
    return _sender(name), _normalise_recipient(name)


def _bulk_seconds(times: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since midnight of bulk-pass times, and which of them are valid times."""
    import numpy as np

    count = len(times)
    joined = "".join(times)
    if len(joined) != 8 * count:  # some hours of one digit
        codes, uniques = _factorize(times)
        seconds = [_bulk_clock(value) for value in uniques]
        valid = np.array([value is not None for value in seconds], dtype=bool)
        values = np.array([value or 0 for value in seconds], dtype=np.int64)
        return values[codes], valid[codes]
    chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(count, 8)

    def number(at: int) -> np.ndarray:
        return (chars[:, at].astype(np.int64) - 48) * 10 + chars[:, at + 1] - 48

    hours, minutes, seconds = number(0), number(3), number(6)
    valid = (hours < 24) & (minutes < 60) & (seconds < 60)
    return hours * 3600 + minutes * 60 + seconds, valid


def _bulk_clock(value: str) -> int | None:
    """Seconds since midnight of a bulk-pass ``H:MM:SS`` time; ``None`` when out of range."""
    hh, mm, ss = value.split(":")
    if int(hh) < 24 and int(mm) < 60 and int(ss) < 60:
        return int(hh) * 3600 + int(mm) * 60 + int(ss)
    return None


# -- timestamps ---------------------------------------------------------------------------
#: Microseconds in a day, and the ordinal of the epoch of ``datetime64``.
_DAY_US = 86_400_000_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _stamp_clock(seconds: np.ndarray, days: list[date | None] | None, day: date) -> np.ndarray:
    """Timestamps (``datetime64[us]``) for times of day, as :func:`stamp_times` gives them.

    Explicit line dates win and start a new run; a date-less run starts on
    ``day``; within a run a step back of more than an hour is a midnight.
    """
    import numpy as np

    count = len(seconds)
    rolled = np.zeros(count, dtype=bool)
    rolled[1:] = seconds[1:] < seconds[:-1] - 3600
    starts = np.zeros(count, dtype=bool)
    starts[0] = True
    if days is None or all(d is None for d in days):
        ordinals = day.toordinal() + np.cumsum(rolled)
    else:
        starts |= np.fromiter((d is not None for d in days), dtype=bool, count=count)
        rolled[starts] = False
        cumulative = np.cumsum(rolled)
        first = np.flatnonzero(starts)
        run = np.cumsum(starts) - 1
        run_days = np.array([(days[i] or day).toordinal() for i in first], dtype=np.int64)
        ordinals = run_days[run] + cumulative - cumulative[first][run]
    # Where stamp_times would step out of datetime's range: past 9999, or an hour
    # back from the first hour of year 1 (compared with the next message).
    early = (ordinals[:-1] == 1) & (seconds[:-1] < 3600) & ~starts[1:]
    if int(ordinals.max()) > date.max.toordinal() or early.any():
        raise OverflowError("date value out of range")
    micros = (ordinals - _EPOCH_ORDINAL) * _DAY_US + np.asarray(seconds, dtype=np.int64) * 1_000_000
    return micros.astype("datetime64[us]")


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
    text when it is shorter). The answer is the latest earlier message whose
    text (whitespace squashed) starts with the snippet, among the last
    :data:`_SCAN_BACK` that share its first 20 (or 10) characters; shorter
    snippets (and Zoom counting characters differently, as with emoji) are
    compared with the last :data:`_SCAN_BACK` messages. The latest
    :data:`_QUICK_SCAN` messages are compared first, which finds nearly every
    target; the index by 20 and 10 characters is built (as far as needed) only
    for the others.

    Parameters
    ----------
    texts : list of str
        Texts of all the messages, stripped. Lookups only look before the
        message that asks, so a reply's text must be final in ``texts`` (and
        passed to :meth:`update`) before later messages are looked up.
    reactions : list of int
        Positions (in ``texts``) of the messages that are not targets, ascending.
    """

    def __init__(self, texts: list[str], reactions: list[int]) -> None:
        self._texts = texts
        self._reactions = reactions
        self._skip = set(reactions)
        #: For each reaction, how many targets come before it (ascending).
        self._targets_before = [position - index for index, position in enumerate(reactions)]
        self._squashed: dict[int, str] = {}
        self._by_key: dict[int, dict[str, list[int]]] = {size: {} for size in _SNIPPET_KEYS}
        self._indexed = 0  # positions below this are in _by_key

    def update(self, position: int) -> None:
        """Forget what was worked out from the old text at ``position`` (a reply's)."""
        self._squashed.pop(position, None)

    def last(self, before: int) -> int:
        """Position of the latest target before position ``before`` (-1 if none)."""
        rank = self._rank(before) - 1
        return self._position(rank) if rank >= 0 else -1

    def find(self, snippet: str, before: int) -> int:
        """Position of the message ``snippet`` quotes, before ``before`` (-1 if none)."""
        prefix = _snippet_prefix(snippet)
        squashed = _squash(prefix)
        if not squashed:
            return -1
        for size in _SNIPPET_KEYS:
            if len(squashed) >= size:
                return self._find_keyed(squashed, size, before)
        low = self._position(max(self._rank(before) - _SCAN_BACK, 0))
        return self._latest(low, before, squashed, prefix)

    def _rank(self, position: int) -> int:
        """How many targets come before ``position``."""
        return position - bisect_left(self._reactions, position)

    def _position(self, rank: int) -> int:
        """Position of the target with ``rank`` targets before it."""
        return rank + bisect_right(self._targets_before, rank)

    def _find_keyed(self, squashed: str, size: int, before: int) -> int:
        # The latest match among the last few targets is the latest of its key too,
        # and well within the last _SCAN_BACK of them.
        low = self._position(max(self._rank(before) - _QUICK_SCAN, 0))
        near = max(before - _NEAR, low)  # most targets are this near: look there first
        found = self._latest(near, before, squashed)
        if found < 0 and near > low:
            found = self._latest(low, near, squashed)
        if found >= 0 or self._rank(low) == 0:
            return found
        self._index_to(before)
        bucket = self._by_key[size].get(squashed[:size], [])
        stop = bisect_left(bucket, before)
        for position in reversed(bucket[max(stop - _SCAN_BACK, 0) : stop]):
            if self._starts(position, squashed):
                return position
        return -1

    def _latest(self, low: int, end: int, squashed: str, prefix: str | None = None) -> int:
        """The latest target in ``low:end`` that starts with ``squashed`` once squashed.

        With ``prefix``, one whose text starts with ``prefix`` counts too.
        Returns -1 when there is none.

        A text that starts with ``squashed`` does so squashed too. One that does
        not can only do so squashed when ``squashed`` holds a space and the text
        starts with the same first word, then odd whitespace; only those are
        squashed.
        """
        window = self._texts[low:end]
        window.reverse()
        positions = range(end - 1, low - 1, -1)
        skip = self._skip.__contains__
        hits = compress(positions, map(str.startswith, window, repeat(squashed)))
        hit = next(filterfalse(skip, hits), -1)
        if prefix is not None and prefix != squashed:
            hits = compress(positions, map(str.startswith, window, repeat(prefix)))
            hit = max(hit, next(filterfalse(skip, hits), -1))
        space = squashed.find(" ")
        if space > 0:
            later = end - 1 - max(hit, low - 1)  # how many positions come after the hit
            first_word = map(str.startswith, window[:later], repeat(squashed[:space]))
            for position in filterfalse(skip, compress(positions[:later], first_word)):
                if self._starts(position, squashed):
                    return position
        return hit

    def _starts(self, position: int, squashed: str) -> bool:
        """True when the text at ``position``, whitespace squashed, starts with ``squashed``."""
        text = self._texts[position]
        if text.startswith(squashed):
            return True
        if _ODD_SPACE_RE.search(text, 0, len(squashed) + 1) is None:
            return False
        return self._squash(position).startswith(squashed)

    def _squash(self, position: int) -> str:
        if position not in self._squashed:
            self._squashed[position] = _squash(self._texts[position])
        return self._squashed[position]

    def _index_to(self, end: int) -> None:
        """Index the targets before position ``end`` by their first 20 and 10 characters."""
        long_keys, short_keys = (self._by_key[size] for size in _SNIPPET_KEYS)
        long_size, short_size = _SNIPPET_KEYS
        for position in range(self._indexed, end):
            if position in self._skip:
                continue
            text = self._texts[position]
            if _ODD_SPACE_RE.search(text, 0, long_size) is None:
                key = text[:long_size]
            else:
                key = self._squash(position)[:long_size]
            long_keys.setdefault(key, []).append(position)
            short_keys.setdefault(key[:short_size], []).append(position)
        self._indexed = max(self._indexed, end)


def _split_reply(body: str, targets: _Targets, before: int) -> tuple[str, int] | None:
    """Split ``Replying to "<snippet>" <reply>`` into ``(reply, target position)``.

    Any known language's start of a reply counts (``Respondiendo a "..."``),
    with any quotation marks. The snippet's quotes are not escaped, so every
    closing quote followed by a space or the end is a candidate; one that
    matches an earlier message wins (longest first), then one ending in
    ``...``, then the first. The position is -1 when no earlier message matches.
    """
    if body.startswith(_REPLYING):
        rest = body[len(_REPLYING) :]
        closing: str = '"'
    else:
        match = replying_re().match(body)
        if match is None:
            return None
        rest = body[match.end() + 1 :].lstrip()  # French quotes have spaces inside
        closing = QUOTE_CLOSE
    candidates = [
        index
        for index, char in enumerate(rest[: _MAX_SNIPPET + 1])
        if char in closing and (index + 1 == len(rest) or rest[index + 1].isspace())
    ]
    if not candidates:
        return None
    for index in sorted(candidates, reverse=True):
        snippet = rest[:index] if closing == '"' else rest[:index].rstrip()
        target = targets.find(snippet, before)
        if target >= 0:
            return rest[index + 1 :].strip(), target
    dotted = [
        i
        for i in candidates
        if (rest[:i] if closing == '"' else rest[:i].rstrip()).endswith(("...", "…"))
    ]
    index = dotted[0] if dotted else candidates[0]
    return rest[index + 1 :].strip(), -1


#: A reaction in any language: a few words and an emoji around one quoted snippet.
_FOREIGN_REACTION_RE = re.compile(
    rf"^(?P<pre>[^{QUOTE_OPEN}\n]{{0,48}}?)[{QUOTE_OPEN}](?P<snippet>.+)[{QUOTE_CLOSE}]"
    rf"(?P<post>[^{QUOTE_CLOSE}\n]{{0,48}})$",
    re.DOTALL,
)
#: Texts that may be a reaction or reply in another language: they hold a quotation mark.
_QUOTE_RE = re.compile(f"[{QUOTE_OPEN}]")


def _is_symbol(char: str) -> bool:
    """True for an emoji or other pictograph (what a reaction is made of)."""
    return unicodedata.category(char) == "So" or ord(char) >= 0x1F000


def _foreign_reaction(text: str) -> tuple[str, bool] | None:
    """``(snippet, sure)`` of a reaction written in any language, else ``None``.

    A reaction is a quoted snippet with at most a few words and an emoji
    around it; ``sure`` when those words are a known language's reaction
    words (otherwise it counts only if the snippet quotes an earlier message).
    """
    match = _FOREIGN_REACTION_RE.match(text)
    if match is None:
        return None
    around = f"{match['pre']} {match['post']}"
    if not any(map(_is_symbol, around)) or len(around.split()) > 8:
        return None
    folded = around.casefold()
    sure = any(word.casefold() in folded for word in _REACTION_WORDS if len(word) > 3)
    return match["snippet"].strip(), sure


def _link(
    texts: list[str], stem: str, candidates: list[int] | None = None, *, foreign: bool = False
) -> tuple[list[str], list[str]]:
    """Recognise reactions and replies: ``(kinds, reply_to)``, one per message.

    Reactions point at the message they quote (``add``/``remove`` ones at the
    message before); replies lose their quote from ``texts`` (changed in
    place) and point at the message it comes from. ``candidates`` (ascending
    positions) may say which messages can be reactions or replies at all.
    With ``foreign`` (a chat saved by a client in another language) reactions
    and replies in every known language, and reactions by their shape, count too.
    """
    count = len(texts)
    kinds = [Kind.CHAT] * count
    reply_to = [""] * count
    if foreign:
        specials = [
            p
            for p, text in enumerate(texts)
            if text.startswith(_SPECIAL_STARTS) or _QUOTE_RE.search(text, 0, 64)
        ]
    elif candidates is None:
        starts = map(str.startswith, texts, repeat(_SPECIAL_STARTS))
        specials = list(compress(range(count), starts))
    else:
        specials = [p for p in candidates if texts[p].startswith(_SPECIAL_STARTS)]
    if not specials:
        return kinds, reply_to
    snippets: dict[int, str | None] = {}  # reactions: quoted snippet, None for add/remove
    unsure: set[int] = set()  # reactions known by shape only: kept if their target is found
    for position in specials:
        text = texts[position]
        reacted = _REACTED_RE.match(text) or _REMOVED_RE.match(text)
        if reacted:
            snippets[position] = reacted["snippet"]
        elif _ADD_REMOVE_RE.match(text) and not any(ch.isalpha() for ch in text.split(" ", 1)[1]):
            snippets[position] = None
        elif foreign and (shaped := _foreign_reaction(text)) is not None:
            snippets[position] = shaped[0]
            if not shaped[1]:
                unsure.add(position)
        else:
            continue
        kinds[position] = Kind.REACTION
    targets = _Targets(texts, list(snippets))
    for position in specials:
        if position in snippets:
            snippet = snippets[position]
            target = targets.last(position) if snippet is None else targets.find(snippet, position)
            if target < 0 and position in unsure:
                kinds[position] = Kind.CHAT
        else:
            reply = _split_reply(texts[position], targets, position)
            if reply is None:
                continue
            texts[position], target = reply
            targets.update(position)
        if target >= 0:
            reply_to[position] = f"{stem}-{target + 1:05d}"
    return kinds, reply_to


def _columns(
    texts: list[str],
    stamps: np.ndarray,
    authors: Any,
    recipients: Any,
    private: Any,
    lines: Any,
    source: Source,
    candidates: list[int] | None = None,
    *,
    foreign: bool = False,
) -> dict[str, Any]:
    """The item columns of a chat's messages, with reactions and replies linked."""
    kinds, reply_to = _link(texts, source.id_stem, candidates, foreign=foreign)
    return {
        Col.KIND: kinds,
        Col.TIMESTAMP: stamps,
        Col.AUTHOR: authors,
        Col.RECIPIENT: recipients,
        Col.IS_PRIVATE: private,
        Col.REPLY_TO: reply_to,
        Col.TEXT: texts,
        Col.LINE: lines,
    }


# -- the saved chat -------------------------------------------------------------------------
def _saved_chat_evidence(source: Source) -> tuple[int, int]:
    """Count one-line and two-line headers among the first lines of ``source``."""
    lines = _sniff_lines(source)
    grammar = infer_grammar(lines)
    if grammar is None:
        return 0, 0
    oneline = twoline = 0
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        header = _parse_saved_header(line, following, grammar)
        if header is None:
            continue
        if header.first_text is None:
            twoline += 1 if following is not None and _INDENT_RE.match(following) else 0
        else:
            oneline += 1
    return oneline, twoline


class _SavedChatReader:
    """Reads the lines of a saved chat into messages, one line at a time.

    The detailed parser: every line is tried as a header (one-line or two-line,
    dated, AM/PM, German); any other line continues the message before it, and
    lines before the first message are skipped.
    """

    def __init__(self, name: str, grammar: Grammar = ENGLISH) -> None:
        self.name = name
        self.grammar = grammar
        self.messages: list[_Message] = []
        self.skipped: list[Skipped] = []

    def read(self, lines: list[str], first: int, after: str | None) -> int:
        """Read ``lines`` (the first is line ``first``), followed in the file by ``after``.

        Returns the number of the line after them.
        """
        messages = self.messages
        last = len(lines) - 1
        for index, line in enumerate(lines):
            following = lines[index + 1] if index < last else after
            header = _parse_saved_header(line, following, self.grammar)
            if header is not None:
                message = _Message(
                    line=first + index,
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
                    self.skipped.append(
                        Skipped(
                            self.name, first + index, "text before the first chat message", line
                        )
                    )
                continue
            current = messages[-1]
            if current.indented:
                line = _INDENT_RE.sub("", line, count=1)
            current.parts.append(line)
        return first + len(lines)


def _no_messages(source: Source) -> FormatError:
    return FormatError(
        f"{source.name}: no Zoom chat message found (expected lines such as "
        "'10:01:02 From Ann Lee to Everyone:' or '10:01:02\\t From  Ann Lee : text')"
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big file makes millions of objects.

    None of them form cycles; the collector would only walk the big lists again
    and again (a tenth of the time of a big chat).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_saved_chat(source: Source, options: LoadOptions) -> Parsed:
    """Parse a saved chat in either layout (one header per message, body inline or below)."""
    with _gc_paused():
        return _parse_saved_text(source, options)


def _has_breaks(source: Source, text: str) -> bool:
    """True when ``text`` (the text of ``source``) holds a CR, U+2028 or U+2029.

    UTF-8 bytes are searched first when they can be: single bytes are found
    quickest, and without the last byte of U+2028 (U+2029) it is not there.
    """
    if source.encoding not in ("utf-8", "utf-8-sig"):
        return "\r" in text or "\u2028" in text or "\u2029" in text
    data = source.data
    return (
        b"\r" in data
        or (b"\xa8" in data and "\u2028" in text)
        or (b"\xa9" in data and "\u2029" in text)
    )


def _parse_saved_text(source: Source, options: LoadOptions) -> Parsed:
    """:func:`_parse_saved_chat`: in bulk if every message is plain, else partly line by line."""
    text = source.text
    breaks = _has_breaks(source, text)
    source.release()
    day, known = resolve_day(source, options)
    newline = text.find("\n")
    if newline < 0 or newline == len(text) - 1:  # one line: maybe split on bare CRs
        lines = _cr_only(split_lines(text))
        reader = _SavedChatReader(source.name, _file_grammar(lines))
        reader.read(lines, 1, None)
        return _from_messages(reader, source, day, known)
    grammar = _file_grammar(split_lines(text[:_LEARN_CHARS]))
    pieces = _bulk_re(grammar).split(text)
    del text
    return _from_pieces(pieces, breaks, source, day, known, grammar)


#: How much of a chat's text its header grammar is learned from.
_LEARN_CHARS = 64_000


def _file_grammar(lines: list[str]) -> Grammar:
    """The header grammar of a chat from its first lines (English when none is found)."""
    return infer_grammar(lines) or ENGLISH


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """``(codes, uniques)``: ``values[i] == uniques[codes[i]]``."""
    import numpy as np

    uniques = list(dict.fromkeys(values))
    index = {value: code for code, value in enumerate(uniques)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))
    return codes, uniques


def _objects(values: list[Any]) -> np.ndarray:
    import numpy as np

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class _Bulk:
    """The messages the bulk pass cut out, as columns, one entry a match.

    ``pieces`` is the text split by :data:`_BULK_RE` (emptied here). A match is
    plain when its header is a plain two-line header with a valid time; the
    text between matches, and matches that are not plain, are read line by
    line (:meth:`_SavedChatReader.read`).

    Attributes
    ----------
    gaps : list of str
        The text before each match, and after the last (``count + 1`` of them).
    plain : numpy.ndarray of bool
    texts : list of str
        Each match's text (right for plain matches only).
    sizes : numpy.ndarray of int
        How many lines each match takes.
    lines : numpy.ndarray of int
        The line of each match's header (lines between matches counted).
    """

    def __init__(self, pieces: list[str], breaks: bool, grammar: Grammar = ENGLISH) -> None:
        import numpy as np

        step = _BULK_STEP
        self.count = count = (len(pieces) - 1) // step
        self.gaps = pieces[0::step]
        self.times, self.rests = pieces[1::step], pieces[2::step]
        self.tabs, self.letters, self.firsts, self.ends, self.mores = (
            pieces[index::step] for index in range(3, step)
        )
        pieces.clear()
        self.seconds, valid = _bulk_seconds(self.times)
        head_codes, heads = _factorize(self.rests)
        people = [_bulk_header(head, grammar) for head in heads]
        self.plain = valid & np.array([p is not None for p in people], dtype=bool)[head_codes]
        self.authors = _objects([p[0] if p else "" for p in people])[head_codes]
        self.recipients = _objects([p[1] if p else "" for p in people])[head_codes]
        self.private = np.array([p[2] if p else False for p in people], dtype=bool)[head_codes]
        # A one-line body is its text, stripped, unless a CR or U+2028 breaks it inside.
        self.texts = texts = list(map(str.strip, self.firsts))
        longer = list(compress(range(count), self.mores))
        self.detailed = set(longer)
        if count:
            self.detailed.add(count - 1)  # the last body may end without a line break
        if breaks:
            self.detailed.update(compress(range(count), map(_BREAK_RE.search, texts)))
        for position in self.detailed:
            texts[position] = _body_text(self.body(position))
        # Each match: its header, its first body line (if any), its further lines.
        sizes = np.full(count, 2, dtype=np.int64)
        if "" in self.ends:
            sizes[list(compress(range(count), map(not_, self.ends)))] = 1
        for position in longer:
            sizes[position] += self.mores[position].count("\n")
        self.sizes = sizes
        # Lines between matches (each piece of text there ends with a line break).
        between = np.zeros(count + 1, dtype=np.int64)
        self.odd = sorted({*compress(range(count + 1), self.gaps), *np.flatnonzero(~self.plain)})
        for position in self.odd:
            between[position] = self.gaps[position].count("\n")
        lines = np.ones(count + 1, dtype=np.int64)
        lines[1:] += np.cumsum(sizes)
        lines += np.cumsum(between)
        self.lines = lines  # one more: where the text after the last match starts

    def body(self, position: int) -> str:
        """The raw body lines of match ``position``."""
        return (
            self.tabs[position] + self.firsts[position] + self.ends[position] + self.mores[position]
        )

    def raw(self, position: int) -> str:
        """The whole text of match ``position``."""
        return f"{self.times[position]} {self.rests[position]}\n{self.body(position)}"

    def message(self, position: int) -> _Message:
        """Match ``position`` as a message that more lines can be added to."""
        return _Message(
            int(self.lines[position]),
            int(self.seconds[position]),
            None,
            self.authors[position],
            self.recipients[position],
            bool(self.private[position]),
            parts=[_INDENT_RE.sub("", line, count=1) for line in split_lines(self.body(position))],
            indented=True,
        )


def _from_pieces(
    pieces: list[str],
    breaks: bool,
    source: Source,
    day: date,
    known: bool,
    grammar: Grammar = ENGLISH,
) -> Parsed:
    """Parse a saved chat split by :data:`_BULK_RE`.

    Runs of plain messages are taken as columns; the text between them is read
    line by line, its first lines maybe continuing the message before it.
    """
    import numpy as np

    bulk = _Bulk(pieces, breaks, grammar)
    foreign = not grammar.is_english
    count = bulk.count
    meta = {"date_known": known, "time_base": "clock", "offset_anchored": False}
    if not bulk.odd:  # all plain: the columns as they are
        lines = bulk.lines[:-1]
        # Only texts starting with R, a or r (or worked out line by line) can be reactions.
        candidates = sorted({*compress(range(count), bulk.letters), *bulk.detailed})
        stamps = _stamp_clock(bulk.seconds, None, day)
        columns = _columns(
            bulk.texts,
            stamps,
            bulk.authors,
            bulk.recipients,
            bulk.private,
            lines,
            source,
            candidates,
            foreign=foreign,
        )
        return Parsed(columns=columns, meta=_with_language(meta, grammar))
    # Runs of plain matches, and between them the text read line by line.
    reader = _SavedChatReader(source.name, grammar)
    segments: list[tuple[int, int] | list[_Message]] = []
    done = 0  # matches before this one are taken
    index = 0
    while index < len(bulk.odd):
        first = bulk.odd[index]
        if first > done:
            segments.append((done, first))
        region = [bulk.gaps[first]]
        end = first
        while end < count and not bulk.plain[end]:
            region += [bulk.raw(end), bulk.gaps[end + 1]]
            end += 1
        after = None
        if end < count:
            header = f"{bulk.times[end]} {bulk.rests[end]}"
            after = header[:-1] if header.endswith("\r") else header
        before = bulk.message(first - 1) if first > 0 else None
        reader.messages = [before] if before is not None else []
        size = len(before.parts) if before is not None else 0
        start = int(bulk.lines[first] - bulk.gaps[first].count("\n"))
        reader.read(split_lines("".join(region)), start, after)
        if before is not None:
            if len(before.parts) > size:  # lines added to it: its text changes
                bulk.texts[first - 1] = before.text()
            del reader.messages[0]
        if reader.messages:
            segments.append(reader.messages)
        done = end
        index = bisect_right(bulk.odd, end)
    if done < count:
        segments.append((done, count))
    texts: list[str] = []
    parts: dict[str, list[Any]] = {"seconds": [], "authors": [], "recipients": [], "private": []}
    parts["lines"], days = [], []
    for segment in segments:
        if isinstance(segment, tuple):
            low, high = segment
            texts += bulk.texts[low:high]
            for name, values in (
                ("seconds", bulk.seconds),
                ("authors", bulk.authors),
                ("recipients", bulk.recipients),
                ("private", bulk.private),
                ("lines", bulk.lines),
            ):
                parts[name].append(values[low:high])
            days += [None] * (high - low)
        else:
            texts += [m.text() for m in segment]
            parts["seconds"].append(np.array([m.clock for m in segment], dtype=np.int64))
            parts["authors"].append(_objects([m.author for m in segment]))
            parts["recipients"].append(_objects([m.recipient for m in segment]))
            parts["private"].append(np.array([m.is_private for m in segment], dtype=bool))
            parts["lines"].append(np.array([m.line for m in segment], dtype=np.int64))
            days += [m.day for m in segment]
    if not texts:
        raise _no_messages(source)
    joined = {name: np.concatenate(values) for name, values in parts.items()}
    meta["date_known"] = known or all(d is not None for d in days)
    stamps = _stamp_clock(joined["seconds"], days, day)
    columns = _columns(
        texts,
        stamps,
        joined["authors"],
        joined["recipients"],
        joined["private"],
        joined["lines"],
        source,
        foreign=foreign,
    )
    return Parsed(columns=columns, skipped=reader.skipped, meta=_with_language(meta, grammar))


def _with_language(meta: dict[str, Any], grammar: Grammar) -> dict[str, Any]:
    """``meta`` with the chat's client language (a code, or "inferred")."""
    return {**meta, "chat_language": grammar.language or "inferred"}


def _from_messages(reader: _SavedChatReader, source: Source, day: date, known: bool) -> Parsed:
    """The parse result of a saved chat read by :class:`_SavedChatReader`."""
    messages = reader.messages
    if not messages:
        raise _no_messages(source)
    import numpy as np

    days = [m.day for m in messages]
    dated = all(d is not None for d in days)
    seconds = np.fromiter((m.clock for m in messages), dtype=np.int64, count=len(messages))
    stamps = _stamp_clock(seconds, days, day)
    columns = _columns(
        [m.text() for m in messages],
        stamps,
        [m.author for m in messages],
        [m.recipient for m in messages],
        [m.is_private for m in messages],
        [m.line for m in messages],
        source,
        foreign=not reader.grammar.is_english,
    )
    meta = {"date_known": known or dated, "time_base": "clock", "offset_anchored": False}
    return Parsed(
        columns=columns, skipped=reader.skipped, meta=_with_language(meta, reader.grammar)
    )


@register
class ZoomChatOneLineLoader(Loader):
    """Zoom saved chat, old layout: ``HH:MM:SS\\t From  Name : text`` (one line a message)."""

    format_id = "zoom-chat-oneline"
    description = "Zoom saved meeting chat, old one-line layout (2020-2021), any client language"
    recognised_by = (
        "lines 'HH:MM:SS From Name : text', 'HH:MM:SS Von Name an Alle : text', ... "
        "(header words learned from the file)"
    )
    family = "chat"
    extensions = (".txt",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.9 when the first lines hold one-line headers and no two-line ones."""
        oneline, twoline = _saved_chat_evidence(source)  # the registry guards errors
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
    description = (
        "Zoom saved meeting chat, new layout (2021 on): header line, indented body; "
        "any client language"
    )
    recognised_by = (
        "a line 'HH:MM:SS From Name to Everyone:' (or 'De Ana a Todos:', "
        "'来自 张伟 发送给 所有人:', ...) followed by a tab-indented line"
    )
    family = "chat"
    extensions = (".txt",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.9 when a header ending in ``:`` is followed by an indented body line."""
        oneline, twoline = _saved_chat_evidence(source)  # the registry guards errors
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
    if match is None:
        return None
    if _SAVED_LOOKALIKE_RE.match(line):
        return None  # a saved-chat header (``HH:MM:SS<TAB>From Ann:<TAB>...``)
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
        source.release()
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
        columns = _columns(
            [m.text() for m in messages],
            stamps,  # type: ignore[arg-type]
            [m.author for m in messages],
            [m.recipient for m in messages],
            [m.is_private for m in messages],
            [m.line for m in messages],
            source,
        )
        return Parsed(
            columns=columns,
            skipped=skipped,
            meta={"date_known": anchored, "time_base": "offset", "offset_anchored": anchored},
        )
