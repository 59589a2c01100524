"""Tables for the report: tagging items, code counts, bursts, questions, survey summaries.

Every function takes tables and returns tables (or plain records); nothing here
prints, plots or writes files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedback.schema import Col, Kind, PCol, Role, validate_items

if TYPE_CHECKING:
    import pandas as pd

    from feedback.codebook import Codebook

#: Kinds that count as "messages" of the conversation.
CONVERSATION_KINDS = (Kind.CHAT, Kind.QUESTION)


# -- tagging ----------------------------------------------------------------------------------
# Tagging lives in feedback.tagging.apply; these names stay importable from here.
from feedback.tagging.apply import PARALLEL_FROM, tag_items, taggable_mask  # noqa: E402, F401


def require_tagged(table: pd.DataFrame, *columns: str) -> None:
    """Raise :class:`SchemaError` unless ``table`` is a tagged items table with ``columns``."""
    validate_items(table, required=(Col.LABELS, *columns))


def labels_of(tagged: pd.DataFrame) -> pd.Series:
    """The ``labels`` column as lists of code ids."""
    return tagged[Col.LABELS].fillna("").astype(str).map(lambda s: [x for x in s.split(";") if x])


def score_of(tagged: pd.DataFrame, code: str) -> pd.Series:
    """Probability of ``code`` for each row (0 where the code was not given)."""
    pattern = re.compile(rf"(?:^|;){re.escape(code)}:([0-9.]+)")

    def one(cell: str) -> float:
        match = pattern.search(cell or "")
        return float(match.group(1)) if match else 0.0

    return tagged[Col.SCORES].fillna("").astype(str).map(one)


# -- selections -------------------------------------------------------------------------------
def public_conversation(tagged: pd.DataFrame) -> pd.DataFrame:
    """Public chat messages and Q&A questions (no private messages, reactions or transcript)."""
    keep = tagged[Col.KIND].isin(CONVERSATION_KINDS) & ~tagged[Col.IS_PRIVATE].astype(bool)
    return tagged[keep]


def shareable(tagged: pd.DataFrame) -> pd.DataFrame:
    """Every row that may appear in a shared output: private messages removed."""
    from feedback.privacy import drop_private

    return drop_private(tagged)


# -- counts -----------------------------------------------------------------------------------
def code_counts(
    tagged: pd.DataFrame, codebook: Codebook, *, groups: Sequence[str] | None = None
) -> pd.DataFrame:
    """How many rows carry each code.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``label``, ``group``, ``count``, ``share`` (of the tagged
        rows), in descending count then codebook order; codes with no rows included.
    """
    import pandas as pd

    require_tagged(tagged)
    codes = codebook.in_groups(groups) if groups else codebook.ids
    lists = labels_of(tagged)
    counter = {code: 0 for code in codes}
    for labels in lists:
        for label in labels:
            if label in counter:
                counter[label] += 1
    total = max(1, len(tagged))
    order = {code: i for i, code in enumerate(codes)}
    rows = [
        {
            "code": code,
            "label": codebook.label(code),
            "group": codebook.group_of(code),
            "count": count,
            "share": count / total,
        }
        for code, count in counter.items()
    ]
    table = pd.DataFrame(rows, columns=["code", "label", "group", "count", "share"])
    table["_order"] = table["code"].map(order)
    table = table.sort_values(["count", "_order"], ascending=[False, True]).drop(columns="_order")
    return table.reset_index(drop=True)


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


# -- questions --------------------------------------------------------------------------------
def speaker_names(participants: pd.DataFrame | None, extra: Iterable[str] = ()) -> set[str]:
    """Names (lower case) of hosts, panelists, organisers and presenters."""
    names = {n.strip().lower() for n in extra if n.strip()}
    if participants is not None and len(participants):
        speakers = participants[participants[PCol.ROLE].isin(Role.SPEAKERS)]
        names |= {n.strip().lower() for n in speakers[PCol.NAME] if str(n).strip()}
    return names


def find_questions(
    tagged: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    *,
    speakers: Iterable[str] = (),
    answer_window_minutes: float = 20.0,
    session_codes: Iterable[str] = ("logistics", "social"),
) -> pd.DataFrame:
    """Every question participants asked in the public chat or the Q&A report.

    A chat question is answered when a host or panelist (from the participants
    table, or ``speakers``) replied to it (``reply_to``) or mentioned the asker
    (``@Name`` or the name at the start of the message) within
    ``answer_window_minutes``. When no speakers are known, anyone other than the
    asker counts. A Q&A question is answered when its answer cell is not empty.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``source``, ``author``, ``time``, ``text``,
        ``answered`` (bool), ``answered_by``, ``answer``, ``labels`` and ``about``
        (``"session"`` when every code of the question is in ``session_codes``, i.e.
        sound, slides, links; else ``"content"``).
    """
    import pandas as pd

    require_tagged(
        tagged,
        Col.KIND,
        Col.IS_PRIVATE,
        Col.IS_QUESTION,
        Col.AUTHOR,
        Col.REPLY_TO,
        Col.TEXT,
        Col.TIMESTAMP,
        Col.ITEM_ID,
        Col.ANSWER,
    )
    speaker_set = speaker_names(participants, speakers)
    conversation = public_conversation(tagged)
    chat = conversation[conversation[Col.KIND] == Kind.CHAT]
    qa = conversation[conversation[Col.KIND] == Kind.QUESTION]
    rows = []

    def is_speaker(name: str) -> bool:
        return name.strip().lower() in speaker_set

    import bisect

    asked = chat[chat[Col.IS_QUESTION].astype(bool) & ~chat[Col.AUTHOR].map(is_speaker)]
    # Messages that can answer: by a speaker (or by anyone when no speaker is known),
    # as plain lists sorted by time, so each question looks only at its window.
    answerers = chat if not speaker_set else chat[chat[Col.AUTHOR].map(is_speaker)]
    answerers = answerers[answerers[Col.TIMESTAMP].notna()].sort_values(
        Col.TIMESTAMP, kind="stable"
    )
    times = answerers[Col.TIMESTAMP].tolist()
    authors = answerers[Col.AUTHOR].tolist()
    texts = answerers[Col.TEXT].astype(str).tolist()
    lowered = [t.lower() for t in texts]
    replies_by_target: dict[str, list[tuple[str, str]]] = {}
    for target, author, text in zip(
        chat[Col.REPLY_TO], chat[Col.AUTHOR], chat[Col.TEXT], strict=True
    ):
        if target:
            replies_by_target.setdefault(target, []).append((author, text))
    window = pd.Timedelta(minutes=answer_window_minutes)

    def qualifies(author: str, asker: str) -> bool:
        if author == asker:
            return False
        return is_speaker(author) if speaker_set else True

    for question in asked.itertuples(index=False):
        record = question._asdict()
        asker = record[Col.AUTHOR]
        moment = record[Col.TIMESTAMP]
        answer: tuple[str, str] | None = None
        for author, text in replies_by_target.get(record[Col.ITEM_ID], []):
            if qualifies(author, asker):
                answer = (author, text)
                break
        if answer is None and asker and pd.notna(moment):
            first = _clean_first_name(asker)
            low = bisect.bisect_right(times, moment)
            high = bisect.bisect_right(times, moment + window)
            for k in range(low, high):
                if (
                    first in lowered[k]
                    and qualifies(authors[k], asker)
                    and _mentions(texts[k], asker)
                ):
                    answer = (authors[k], texts[k])
                    break
        rows.append(
            {
                "item_id": record[Col.ITEM_ID],
                "source": "chat",
                "author": asker,
                "time": moment,
                "text": record[Col.TEXT],
                "answered": answer is not None,
                "answered_by": answer[0] if answer is not None else "",
                "answer": answer[1] if answer is not None else "",
                "labels": record.get(Col.LABELS, ""),
            }
        )
    for _, question in qa.iterrows():
        answer_text = str(question[Col.ANSWER]).strip()
        by = ""
        match = re.match(r"answered by ([^:]+):", answer_text, flags=re.IGNORECASE)
        if match:
            by = match.group(1).strip()
        rows.append(
            {
                "item_id": question[Col.ITEM_ID],
                "source": "Q&A",
                "author": question[Col.AUTHOR],
                "time": question[Col.TIMESTAMP],
                "text": question[Col.TEXT],
                "answered": bool(answer_text),
                "answered_by": by,
                "answer": answer_text,
                "labels": question.get(Col.LABELS, ""),
            }
        )
    columns = ["item_id", "source", "author", "time", "text", "answered", "answered_by",
               "answer", "labels"]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    session = set(session_codes)

    def about(cell: str) -> str:
        codes = [c for c in str(cell or "").split(";") if c]
        return "session" if codes and set(codes) <= session else "content"

    table["about"] = table["labels"].map(about) if len(table) else pd.Series(dtype=object)
    table["time"] = pd.to_datetime(table["time"])
    table["answered"] = table["answered"].astype(bool)
    return table.sort_values("time", kind="stable", na_position="last").reset_index(drop=True)


_TITLES = {"dr", "dr.", "prof", "prof.", "professor", "mr", "mrs", "ms", "miss", "mx", "cllr"}


def _name_parts(name: str) -> list[str]:
    """Words of a display name without titles or bracketed notes."""
    name = re.sub(r"\([^)]*\)", " ", name or "")
    return [w for w in name.split() if w.lower() not in _TITLES]


def _clean_first_name(name: str) -> str:
    """Lower-case first name, for a quick substring test before :func:`_mentions`."""
    parts = _name_parts(name)
    return parts[0].lower() if parts else ""


def _mentions(text: str, name: str) -> bool:
    """Whether ``text`` addresses ``name`` (``@Full Name``, ``@First`` or ``First,`` first)."""
    text = (text or "").strip()
    parts = _name_parts(name)
    if not parts:
        return False
    name = " ".join(parts)
    first = parts[0]
    lowered = text.lower()
    if f"@{name.lower()}" in lowered or re.search(rf"@{re.escape(first.lower())}\b", lowered):
        return True
    return bool(re.match(rf"(?:hi |thanks |yes |good question )?{re.escape(first)}\b[,:\- ]",
                         text, flags=re.IGNORECASE))  # fmt: skip


# -- quotes -----------------------------------------------------------------------------------
def representative_quotes(
    tagged: pd.DataFrame,
    code: str,
    *,
    n: int = 3,
    min_words: int = 5,
    max_words: int = 70,
    similarity: float = 0.5,
) -> pd.DataFrame:
    """Pick up to ``n`` quotes for a code: confident, varied, never near-duplicates.

    Candidates carry the code and have ``min_words`` to ``max_words`` words; they are
    taken in order of the code's score, skipping a comment whose word set overlaps an
    already chosen one by more than ``similarity`` (Jaccard) and preferring authors
    not yet quoted.
    """
    from feedback.text import tokenise

    require_tagged(tagged, Col.TEXT, Col.SCORES, Col.AUTHOR)
    lists = labels_of(tagged)
    has = lists.map(lambda labels: code in labels)
    candidates = tagged[has].copy()
    if candidates.empty:
        return candidates
    words = candidates[Col.TEXT].astype(str).str.split().str.len()
    candidates = candidates[(words >= min_words) & (words <= max_words)]
    if candidates.empty:
        return candidates
    candidates["_score"] = score_of(candidates, code)
    candidates["_labels"] = labels_of(candidates).str.len()
    # Replies that open with an @mention read poorly out of context: take them last.
    candidates["_reply"] = candidates[Col.TEXT].astype(str).str.lstrip().str.startswith("@")
    candidates = candidates.sort_values(
        ["_reply", "_score", "_labels"], ascending=[True, False, True]
    )
    chosen_rows = []
    chosen_sets: list[set] = []
    chosen_authors: set[str] = set()
    deferred = []
    for index, row in candidates.iterrows():
        tokens = set(tokenise(row[Col.TEXT]))
        if any(_jaccard(tokens, other) > similarity for other in chosen_sets):
            continue
        if row[Col.AUTHOR] and row[Col.AUTHOR] in chosen_authors:
            deferred.append((index, tokens))
            continue
        chosen_rows.append(index)
        chosen_sets.append(tokens)
        chosen_authors.add(row[Col.AUTHOR])
        if len(chosen_rows) >= n:
            break
    for index, tokens in deferred:
        if len(chosen_rows) >= n:
            break
        if not any(_jaccard(tokens, other) > similarity for other in chosen_sets):
            chosen_rows.append(index)
            chosen_sets.append(tokens)
    return candidates.loc[chosen_rows].drop(columns=["_score", "_labels", "_reply"])


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# -- sentiment --------------------------------------------------------------------------------
def sentiment_by_code(tagged: pd.DataFrame, codebook: Codebook, *, groups=None) -> pd.DataFrame:
    """Mean sentiment and shares of positive/neutral/negative comments for each code.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``label``, ``count``, ``mean``, ``positive``, ``neutral``,
        ``negative`` (shares), for codes with at least one comment, by count.
    """
    import pandas as pd

    codes = codebook.in_groups(groups) if groups else codebook.ids
    lists = labels_of(tagged)
    scores = tagged[Col.SENTIMENT]
    rows = []
    for code in codes:
        mask = lists.map(lambda labels, code=code: code in labels)
        values = scores[mask].dropna()
        if values.empty:
            continue
        rows.append(
            {
                "code": code,
                "label": codebook.label(code),
                "count": len(values),
                "mean": float(values.mean()),
                "positive": float((values >= 0.05).mean()),
                "neutral": float(((values > -0.05) & (values < 0.05)).mean()),
                "negative": float((values <= -0.05).mean()),
            }
        )
    columns = ["code", "label", "count", "mean", "positive", "neutral", "negative"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


# -- survey -----------------------------------------------------------------------------------
#: Likert scales recognised when the loader gave none, least to most.
KNOWN_SCALES: tuple[tuple[str, ...], ...] = (
    ("Not at all confident", "Slightly confident", "Moderately confident", "Very confident",
     "Extremely confident"),
    ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
    ("Not at all useful", "Slightly useful", "Moderately useful", "Very useful",
     "Extremely useful"),
    ("Very poor", "Poor", "Fair", "Good", "Very good", "Excellent"),
    ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
    ("Not at all likely", "Not likely", "Unlikely", "Neutral", "Likely", "Very likely",
     "Extremely likely"),
)  # fmt: skip


def survey_answers(tagged: pd.DataFrame) -> pd.DataFrame:
    """The survey answer rows."""
    return tagged[tagged[Col.KIND] == Kind.ANSWER]


def survey_questions(answers: pd.DataFrame) -> list[tuple[str, str]]:
    """(question, response type) in order of first appearance."""
    seen: dict[str, str] = {}
    for question, kind in zip(answers[Col.QUESTION], answers[Col.RESPONSE_TYPE], strict=True):
        seen.setdefault(question, kind)
    return list(seen.items())


def rating_distribution(
    answers: pd.DataFrame, question: str, scale: Sequence[str] | None = None
) -> pd.DataFrame:
    """Counts of each answer to a rating question, in scale order.

    Numeric ratings are ordered numerically (every whole value from the lowest to
    the highest given, zeros included); text ratings follow ``scale``, or a known
    Likert scale, or the order of first appearance.

    Returns
    -------
    pandas.DataFrame
        Columns ``answer``, ``count``, ``share``.
    """
    import pandas as pd

    values = answers.loc[answers[Col.QUESTION] == question, Col.TEXT].astype(str).str.strip()
    values = values[values != ""]
    numeric = pd.to_numeric(values, errors="coerce")
    if len(values) and numeric.notna().all() and (numeric % 1 == 0).all():
        low, high = int(numeric.min()), int(numeric.max())
        low = min(low, 1) if low >= 0 else low
        order = [str(v) for v in range(low, high + 1)]
        counts = numeric.astype(int).astype(str).value_counts()
    else:
        order = list(scale) if scale else _known_scale(set(values)) or list(dict.fromkeys(values))
        counts = values.value_counts()
        order += [v for v in counts.index if v not in order]
    table = pd.DataFrame({"answer": order, "count": [int(counts.get(v, 0)) for v in order]})
    total = max(1, int(table["count"].sum()))
    table["share"] = table["count"] / total
    return table


def _known_scale(values: set[str]) -> list[str] | None:
    lowered = {v.lower() for v in values}
    for scale in KNOWN_SCALES:
        if lowered <= {s.lower() for s in scale}:
            return list(scale)
    return None


def choice_counts(answers: pd.DataFrame, question: str) -> pd.DataFrame:
    """Counts of each option of a choice question (multi-select answers split on ``;``)."""
    import pandas as pd

    values = answers.loc[answers[Col.QUESTION] == question, Col.TEXT].astype(str)
    options: dict[str, int] = {}
    for value in values:
        for option in re.split(r";", value):
            option = option.strip()
            if option:
                options[option] = options.get(option, 0) + 1
    table = pd.DataFrame(
        sorted(options.items(), key=lambda kv: (-kv[1], kv[0])), columns=["answer", "count"]
    )
    respondents = max(1, int((values.str.strip() != "").sum()))
    table["share"] = table["count"] / respondents
    return table


def opt_in_question(answers: pd.DataFrame, name: str | None = None) -> str | None:
    """The survey question that asks for an opt-in to a prize draw, if any.

    Parameters
    ----------
    name : str, optional
        The question text, or a part of it, to use instead of detection.
    """
    questions = list(dict.fromkeys(answers[Col.QUESTION]))
    if name:
        for question in questions:
            if name.lower() in question.lower():
                return question
        return None
    pattern = re.compile(r"prize|draw|raffle|giveaway|competition|win\b|opt.?in", re.IGNORECASE)
    for question in questions:
        if pattern.search(question):
            return question
    return None


_YES = re.compile(r"^\s*(yes|y|yes please|opt in|opted in|i agree|please enter me|true|1)\b",
                  re.IGNORECASE)  # fmt: skip


def eligible_respondents(answers: pd.DataFrame, question: str) -> pd.DataFrame:
    """Respondents who answered yes to the opt-in ``question`` (one row each)."""
    rows = answers[
        (answers[Col.QUESTION] == question)
        & answers[Col.TEXT].astype(str).map(lambda v: bool(_YES.match(v)))
    ]
    return rows.drop_duplicates(subset=[Col.RESPONDENT]).reset_index(drop=True)
