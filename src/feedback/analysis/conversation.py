"""How the conversation moved: messages per minute, bursts on one code, and threads.

Zoom keeps a reply's target (``reply_to``) only for its own replies and reactions;
people also answer with an ``@mention``, by quoting, with a bare "^" or "+1", or
simply by writing on the same theme a few seconds later. :func:`link_messages`
finds the message each one answers; :func:`find_threads` follows those links to
the comment that started each thread; :func:`conversations` and :func:`took_off`
rank the comments that drew the most replies and the most reactions;
:func:`prompted_by` says what the speaker was saying just before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from feedback.schema import Col, Kind

if TYPE_CHECKING:
    import pandas as pd


from feedback.analysis.tagged import labels_of, require_tagged


def messages_per_minute(conversation: pd.DataFrame) -> pd.Series:
    """Messages in each minute from the first to the last (zeros included)."""
    import pandas as pd

    times = conversation[Col.TIMESTAMP].dropna()
    if times.empty:
        return pd.Series(dtype="int64")
    minutes = times.dt.floor("min")
    counts = minutes.value_counts().sort_index()
    full = pd.date_range(minutes.min(), minutes.max(), freq="min")
    return counts.reindex(full, fill_value=0).astype("int64")


@dataclass(frozen=True)
class Burst:
    """A run of messages on one code, denser than that code's usual rate.

    Attributes
    ----------
    code : str
    start, end : pandas.Timestamp
        Times of the first and last message of the run.
    count : int
        Messages on the code between ``start`` and ``end``.
    """

    code: str
    start: object
    end: object
    count: int

    def describe(self, label: str | None = None) -> str:
        """E.g. ``failure: 9 messages in 3 minutes from 10:21``."""
        minutes = max(1, round((self.end - self.start).total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return (
            f"{label or self.code}: {self.count} messages in {minutes} {unit} "
            f"from {self.start:%H:%M}"
        )


def find_bursts(
    conversation: pd.DataFrame,
    *,
    codes: Iterable[str] | None = None,
    window_minutes: float = 3.0,
    min_count: int = 5,
    min_ratio: float = 3.0,
    min_share: float = 0.4,
    min_volume: float = 0.75,
) -> list[Burst]:
    """Find bursts: at least ``min_count`` messages on a code within ``window_minutes``.

    A window counts only when it holds ``min_ratio`` times more messages on the code
    than the code's average rate over the whole conversation would give, and when
    the code carries at least ``min_share`` of all messages in the window (so a busy
    spell of mixed talk is not a burst), and when the code alone reaches
    ``min_volume`` times the number of messages of any kind that an average window
    holds (so a steady chat that moves from topic to topic has no bursts, while a
    quiet chat can still burst with ``min_count`` messages). Overlapping windows
    merge into one burst.

    Parameters
    ----------
    conversation : pandas.DataFrame
        Tagged public messages with timestamps.
    codes : iterable of str, optional
        Codes to look at (default: every code present).

    Returns
    -------
    list of Burst
        Ordered by start time.
    """
    import bisect

    import pandas as pd

    require_tagged(conversation, Col.TIMESTAMP)
    times_all = conversation[Col.TIMESTAMP]
    valid = times_all.notna()
    frame = conversation[valid]
    if frame.empty:
        return []
    span_minutes = max(
        window_minutes,
        (frame[Col.TIMESTAMP].max() - frame[Col.TIMESTAMP].min()).total_seconds() / 60,
    )
    lists = labels_of(frame)
    by_code: dict[str, list] = {}
    for time, labels in zip(frame[Col.TIMESTAMP], lists, strict=True):
        for label in labels:
            by_code.setdefault(label, []).append(time)
    wanted = set(codes) if codes is not None else set(by_code)
    window = pd.Timedelta(minutes=window_minutes)
    every = sorted(frame[Col.TIMESTAMP])
    average_window = len(every) * window_minutes / span_minutes
    bursts: list[Burst] = []
    for code, times in by_code.items():
        if code not in wanted or len(times) < min_count:
            continue
        times = sorted(times)
        expected = len(times) * window_minutes / span_minutes
        needed = max(min_count, min_ratio * expected, min_volume * average_window)
        spans: list[list] = []
        j = 0
        for i in range(len(times)):
            j = max(j, i)
            while j + 1 < len(times) and times[j + 1] - times[i] <= window:
                j += 1
            total = bisect.bisect_right(every, times[j]) - bisect.bisect_left(every, times[i])
            if j - i + 1 >= needed and (j - i + 1) >= min_share * total:
                if spans and times[i] <= spans[-1][1]:
                    spans[-1][1] = max(spans[-1][1], times[j])
                else:
                    spans.append([times[i], times[j]])
        for start, end in spans:
            count = sum(1 for t in times if start <= t <= end)
            bursts.append(Burst(code=code, start=start, end=end, count=count))
    return sorted(bursts, key=lambda b: (b.start, -b.count))


# -- threads ----------------------------------------------------------------------------------
#: How a message was linked to the one it answers.
REPLY, MENTION, QUOTE, AGREE, ADJACENT = "reply", "mention", "quote", "agree", "adjacent"

#: Messages that only agree with the one before: "+1", "^", "^ this", "same here", "👍".
_AGREE_WORD = (
    r"(?:\+\s?1+|\^+|this|agreed?|same|same here|same for us|me too|seconded|second this|yes+|"
    r"exactly|absolutely|hear,? hear|so true|100 ?%)"
)
_AGREEMENT = re.compile(
    rf"^\W*{_AGREE_WORD}(?:[ ,.!:-]+(?:this|that|here|too|for (?:us|me)|exactly|"
    r"(?:to|with) (?:that|this|[\w'-]+)(?: (?:q|question|point|comment))?))*\W*$",
    re.IGNORECASE,
)
_EMOJI_ONLY = re.compile(r"^[\W_]+$")
_QUOTE = re.compile(r"\"([^\"]{12,})\"|\u201c([^\u201d]{12,})\u201d|^>\s?(.{12,})$", re.MULTILINE)
_AT = re.compile(r"@([\w'-]+(?: [\w'-]+)?)")
_TO_NAME = re.compile(r"\b(?:to|with) ([\w'-]+?)(?:'s)?\b", re.IGNORECASE)


def is_agreement(text: str) -> bool:
    """Whether a message only agrees with another ("+1", "^", "same here", an emoji).

    Examples
    --------
    >>> is_agreement("+1")
    True
    >>> is_agreement("^ this")
    True
    >>> is_agreement("+1 to Jess's question")
    True
    >>> is_agreement("this is the crux of it")
    False
    """
    text = (text or "").strip()
    if not text:
        return False
    return bool(_AGREEMENT.match(text)) or bool(_EMOJI_ONLY.match(text) and "?" not in text)


def _codes(cell) -> frozenset[str]:
    return frozenset(c.split(":")[0] for c in str(cell or "").split(";") if c)


def _first_names(name: str) -> list[str]:
    """Lower-case ways a display name is addressed: full name and first name."""
    from feedback.analysis.questions import _name_parts

    parts = _name_parts(name)
    if not parts:
        return []
    full = " ".join(parts).lower()
    first = re.split(r"[^a-z0-9'-]+", parts[0].lower())[0]
    return [full, first] if first and first != full else [full]


def link_messages(
    chat: pd.DataFrame,
    *,
    adjacency_seconds: float = 60.0,
    mention_minutes: float = 15.0,
    codes: frozenset[str] | set[str] | None = None,
) -> pd.DataFrame:
    """The message each chat message answers, and how that was found.

    In order of trust: Zoom's own reply link (``reply_to``); an ``@mention`` of,
    or the opening "Name," addressed to, someone who wrote in the last
    ``mention_minutes``; a quotation of an earlier message; a bare agreement
    ("+1", "^", "same here") with the message before it; and a message on the same
    code (one of ``codes``, or any code) as the message just before it, by someone else,
    within ``adjacency_seconds`` when that message started something (adjacency never
    chains, so a busy minute is not one long thread). New questions never join a thread
    by adjacency alone.

    Parameters
    ----------
    chat : pandas.DataFrame
        Public chat messages of one webinar (tagged items).

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``parent`` (item id, empty when the message starts
        something new) and ``link`` (``reply``, ``mention``, ``quote``, ``agree``,
        ``adjacent`` or empty), in time order.
    """
    import pandas as pd

    from feedback.analysis.questions import _mentions

    require_tagged(chat, Col.ITEM_ID, Col.AUTHOR, Col.TEXT, Col.TIMESTAMP, Col.REPLY_TO)
    ordered = chat.sort_values(Col.TIMESTAMP, kind="stable", na_position="first")
    ids = ordered[Col.ITEM_ID].astype(str).tolist()
    authors = ordered[Col.AUTHOR].fillna("").astype(str).tolist()
    texts = ordered[Col.TEXT].fillna("").astype(str).tolist()
    times = ordered[Col.TIMESTAMP].tolist()
    targets = ordered[Col.REPLY_TO].fillna("").astype(str).tolist()
    labels = [_codes(c) for c in ordered[Col.LABELS]]
    asks = (
        ordered[Col.IS_QUESTION].astype(bool).tolist()
        if Col.IS_QUESTION in ordered
        else [False] * len(ids)
    )
    wanted = set(codes) if codes is not None else None
    position_of = {item: k for k, item in enumerate(ids)}
    normalised = [re.sub(r"\s+", " ", t.lower()) for t in texts]
    window = pd.Timedelta(minutes=mention_minutes)
    adjacency = pd.Timedelta(seconds=adjacency_seconds)
    last_by_name: dict[str, int] = {}
    parents, links = [""] * len(ids), [""] * len(ids)

    for k, text in enumerate(texts):
        moment = times[k]
        parent, link = -1, ""
        if targets[k] and position_of.get(targets[k], k) < k:
            parent, link = position_of[targets[k]], REPLY
        if parent < 0 and ("@" in text or "," in text[:40] or is_agreement(text)):
            names = [m.group(1).lower() for m in _AT.finditer(text)]
            if is_agreement(text):
                names += [m.group(1).lower() for m in _TO_NAME.finditer(text)]
            lead = re.match(r"^\W*([\w'-]+)\s*[,:\-]", text)
            if lead:
                names.append(lead.group(1).lower())
            for name in names:
                # The fullest name that matches wins: "@Participant 1" is not "Participant 12".
                words = name.split()
                for size in range(len(words), 0, -1):
                    j = last_by_name.get(" ".join(words[:size]), -1)
                    if (
                        j >= 0
                        and authors[j] != authors[k]
                        and (pd.isna(moment) or pd.isna(times[j]) or moment - times[j] <= window)
                        and (is_agreement(text) or _mentions(text, authors[j]))
                    ):
                        parent, link = j, MENTION
                        break
                if parent >= 0:
                    break
        if parent < 0 and ('"' in text or "\u201c" in text or text.startswith(">")):
            for match in _QUOTE.finditer(text):
                quoted = re.sub(r"\s+", " ", next(g for g in match.groups() if g).lower()).strip()
                quoted = quoted.rstrip(".…").strip()
                for j in range(k - 1, max(-1, k - 1000), -1):
                    if quoted and quoted in normalised[j]:
                        parent, link = j, QUOTE
                        break
                if parent >= 0:
                    break
        if parent < 0 and is_agreement(text):
            for j in range(k - 1, -1, -1):
                if authors[j] != authors[k] and not is_agreement(texts[j]):
                    parent, link = j, AGREE
                    break
        if parent < 0 and not asks[k] and labels[k] and k and pd.notna(moment):
            # The message just before, if it started something: a busy minute is not one
            # long thread, so adjacency never chains.
            j = k - 1
            shared = labels[k] if wanted is None else labels[k] & wanted
            if (
                pd.notna(times[j])
                and moment - times[j] <= adjacency
                and authors[j] != authors[k]
                and shared & labels[j]
                and not parents[j]
            ):
                parent, link = j, ADJACENT
        if parent >= 0:
            parents[k], links[k] = ids[parent], link
        for key in _first_names(authors[k]):
            last_by_name[key] = k
    return pd.DataFrame(
        {"item_id": ids, "parent": parents, "link": links}, columns=["item_id", "parent", "link"]
    )


def find_threads(links: pd.DataFrame) -> pd.DataFrame:
    """The comment that started the thread of each message (following ``parent`` links).

    Parameters
    ----------
    links : pandas.DataFrame
        The table from :func:`link_messages`.

    Returns
    -------
    pandas.DataFrame
        ``links`` with ``thread`` (item id of the thread's first comment) and
        ``depth`` (0 for that comment, 1 for a direct answer, ...).
    """
    parent_of = dict(zip(links["item_id"], links["parent"], strict=True))
    threads, depths = [], []
    for item in links["item_id"]:
        node, depth, seen = item, 0, {item}
        while parent_of.get(node) and parent_of[node] not in seen:
            node = parent_of[node]
            seen.add(node)
            depth += 1
        threads.append(node)
        depths.append(depth)
    out = links.copy()
    out["thread"] = threads
    out["depth"] = depths
    return out


@dataclass(frozen=True)
class Conversation:
    """A comment and what followed it.

    Attributes
    ----------
    item_id, author, time, text :
        The comment that started it.
    replies : tuple of (author, time, text, answering)
        Messages in its thread, in time order (agreements left out); ``answering`` is
        the author of the message each one answers.
    linked : int
        Replies linked by Zoom, a mention or a quotation (not by time alone).
    repliers : int
        Distinct people, other than the author, who replied or agreed.
    agreements : int
        "+1", "^" and similar replies.
    reactions : int
        Emoji reactions to the comment itself.
    """

    item_id: str
    author: str
    time: object
    text: str
    replies: tuple = field(default_factory=tuple)
    linked: int = 0
    repliers: int = 0
    agreements: int = 0
    reactions: int = 0

    @property
    def likes(self) -> int:
        """Reactions and agreements together: how well liked the comment was."""
        return self.reactions + self.agreements


def conversations(
    conversation: pd.DataFrame,
    *,
    reactions: pd.DataFrame | None = None,
    adjacency_seconds: float = 60.0,
    codes: frozenset[str] | set[str] | None = None,
) -> list[Conversation]:
    """Every comment of the public chat with the replies, agreements and reactions it drew.

    Parameters
    ----------
    conversation : pandas.DataFrame
        Tagged public items; chat messages are used.
    reactions : pandas.DataFrame, optional
        Items whose ``kind`` is ``reaction`` (their ``reply_to`` names the comment);
        taken from ``conversation`` when not given.

    Returns
    -------
    list of Conversation
        One per comment that started a thread, in time order.
    """
    require_tagged(conversation, Col.KIND, Col.IS_PRIVATE, Col.REPLY_TO)
    public = conversation[~conversation[Col.IS_PRIVATE].astype(bool)]
    chat = public[public[Col.KIND] == Kind.CHAT]
    if reactions is None:
        reactions = public[public[Col.KIND] == Kind.REACTION]
    counts = reactions[Col.REPLY_TO].astype(str).value_counts() if len(reactions) else {}
    threads = find_threads(link_messages(chat, adjacency_seconds=adjacency_seconds, codes=codes))
    how = dict(zip(threads["item_id"], threads["link"], strict=True))
    parent_of = dict(zip(threads["item_id"], threads["parent"], strict=True))
    rows = {
        item: (author, moment, text)
        for item, author, moment, text in zip(
            chat[Col.ITEM_ID].astype(str),
            chat[Col.AUTHOR],
            chat[Col.TIMESTAMP],
            chat[Col.TEXT],
            strict=True,
        )
    }
    members: dict[str, list[str]] = {}
    for item, thread in zip(threads["item_id"], threads["thread"], strict=True):
        members.setdefault(thread, []).append(item)
    found = []
    for root, items in members.items():
        head_author, head_time, head_text = rows[root]
        replies, agreements, linked, people = [], 0, 0, set()
        for item in items[1:]:
            author, moment, text = rows[item]
            if author != head_author:
                people.add(author)
            if is_agreement(text):
                agreements += 1
            else:
                answering = rows[parent_of[item]][0]
                replies.append((author, moment, text, answering))
                linked += how[item] in (REPLY, MENTION, QUOTE)
        found.append(
            Conversation(
                item_id=str(root),
                author=head_author,
                time=head_time,
                text=head_text,
                replies=tuple(replies),
                linked=linked,
                repliers=len(people),
                agreements=agreements,
                reactions=int(counts.get(str(root), 0)),
            )
        )
    return found


def took_off(
    found: list[Conversation],
    *,
    n: int = 3,
    min_replies: int = 2,
    min_likes: int = 2,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[Conversation], list[Conversation]]:
    """The comments that drew the most replies, and the best-liked ones.

    Replies linked explicitly (Zoom reply, mention, quotation) count twice as much
    as those linked by time and theme alone.

    Parameters
    ----------
    exclude : set of str
        Authors whose comments are not ranked (hosts' welcomes and goodbyes).

    Returns
    -------
    (most_replies, well_liked)
        Up to ``n`` comments with at least ``min_replies`` replies, most first, and up
        to ``n`` others with at least ``min_likes`` reactions and agreements.
    """
    found = [c for c in found if c.author not in exclude]
    by_replies = sorted(
        (c for c in found if len(c.replies) >= min_replies),
        key=lambda c: (-(len(c.replies) + c.linked), -c.repliers, -c.likes, str(c.time)),
    )[:n]
    chosen = {c.item_id for c in by_replies}
    liked = sorted(
        (c for c in found if c.likes >= min_likes and c.item_id not in chosen),
        key=lambda c: (-c.likes, -len(c.replies), str(c.time)),
    )[:n]
    return by_replies, liked


def prompted_by(
    transcript: pd.DataFrame, moment, *, seconds: float = 60.0, max_words: int = 40
) -> tuple[str, str] | None:
    """What the speaker was saying in the minute before ``moment``.

    Parameters
    ----------
    transcript : pandas.DataFrame
        Transcript cues (items whose ``kind`` is ``transcript``), on the chat's clock.
    moment : pandas.Timestamp
        When a burst or thread started.

    Returns
    -------
    (speaker, words) or None
        The last speaker in that minute and the last ``max_words`` words they said
        there (an ellipsis marks a cut); None when nothing was said.

    Examples
    --------
    >>> import pandas as pd
    >>> cues = pd.DataFrame({"timestamp": pd.to_datetime(["2026-03-12 10:00:05"]),
    ...                      "author": ["Ana"], "text": ["We stopped the pilot."]})
    >>> prompted_by(cues, pd.Timestamp("2026-03-12 10:00:30"))
    ('Ana', 'We stopped the pilot.')
    """
    import pandas as pd

    if transcript is None or not len(transcript) or moment is None or pd.isna(moment):
        return None
    times = transcript[Col.TIMESTAMP]
    start = moment - pd.Timedelta(seconds=seconds)
    cues = transcript[(times >= start) & (times < moment)].sort_values(Col.TIMESTAMP)
    if not len(cues):
        return None
    speakers = cues[Col.AUTHOR].fillna("").astype(str).tolist()
    speaker = speakers[-1]
    first = len(speakers) - 1
    while first and speakers[first - 1] == speaker:
        first -= 1
    words = " ".join(str(t).strip() for t in cues[Col.TEXT].iloc[first:]).split()
    said = " ".join(words[-max_words:])
    if len(words) > max_words:
        said = "…" + said
    return speaker, said
