"""Questions participants asked, and whether a host or panelist answered them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from feedback.exceptions import SchemaError
from feedback.schema import Col, Kind, PCol, Role

if TYPE_CHECKING:
    import pandas as pd


from feedback.analysis.tagged import public_conversation, require_tagged


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
        (``"session"`` when its words ask about the session itself, see
        :func:`~feedback.text.question_topic`, or when every code of the question is in
        ``session_codes``, i.e. sound, slides, links; else ``"content"``).
    """
    import pandas as pd

    from feedback.text import question_topic

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

    def about(text: str, cell: str) -> str:
        if question_topic(str(text)) == "session":
            return "session"
        codes = [c for c in str(cell or "").split(";") if c]
        return "session" if codes and set(codes) <= session else "content"

    table["about"] = (
        [about(t, c) for t, c in zip(table["text"], table["labels"], strict=True)]
        if len(table)
        else pd.Series(dtype=object)
    )
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


# -- merging near-duplicates ------------------------------------------------------------------
def _question_words(text: str) -> set[str]:
    """Stems of a question's content words (function words and filler left out)."""
    from feedback.analysis.themes import STOP_WORDS
    from feedback.text import stem, tokenise

    ignore = STOP_WORDS | _ASKING_WORDS
    return {stem(t) for t in tokenise(text) if t not in ignore and len(t) > 1}


#: Words that only say something is being asked ("please", "anyone", "wondering").
_ASKING_TEXT = (
    "please pls plz anyone anybody someone wondering wonder curious interested keen love like "
    "know hear question quick sorry missed possible could would can tell share"
)
_ASKING_WORDS = frozenset(_ASKING_TEXT.split())


def _similarity(a: set[str], b: set[str]) -> float:
    """1 when one question's words are all in the other ("slides?" in "will the slides be
    shared?"), else the share of words they have in common (Jaccard)."""
    if not a or not b:
        return 0.0
    if a <= b or b <= a:
        return 1.0
    return len(a & b) / len(a | b)


def _phrasing_score(text: str) -> float:
    """How well a question reads on its own: a question mark, a sentence's length, a capital."""
    words = len(text.split())
    score = 1.0 if text.rstrip().endswith("?") else 0.0
    score += 1.0 if 6 <= words <= 30 else (0.5 if 4 <= words < 6 else 0.0)
    score += 0.25 if text[:1].isupper() else 0.0
    score -= 0.5 if "@" in text else 0.0
    return score


#: How many versions of a merged question a new question is compared with.
GROUP_SAMPLE = 25


def merge_questions(
    questions: pd.DataFrame,
    *,
    agreements: pd.DataFrame | None = None,
    threshold: float = 0.6,
) -> pd.DataFrame:
    """Near-duplicate questions merged into one, with everyone who asked it.

    Two questions are merged when they are about the same thing (session or
    topic) and the content words of one (stemmed, without function words or
    "please"/"wondering") are all in the other, or ``threshold`` of their words
    are shared.

    Parameters
    ----------
    questions : pandas.DataFrame
        The table from :func:`find_questions`.
    agreements : pandas.DataFrame, optional
        ``item_id`` and ``author`` of "+1"/"^" messages, and ``parent`` (the
        question they back); their authors count as askers.
    threshold : float
        Share of their content words (Jaccard) two questions must have in common.

    Returns
    -------
    pandas.DataFrame
        One row per question asked: ``text`` (the best-phrased version: a full
        sentence with a question mark first), ``askers`` (how many people asked or
        backed it), ``authors`` (list), ``variants`` (the other wordings),
        ``item_ids`` (list), ``time`` (first asked), ``answered`` (any was),
        ``about`` and ``theme`` (the code most of its versions carry, or "").
        Most-asked first, then by time.
    """
    import pandas as pd

    columns = ["text", "askers", "authors", "variants", "item_ids", "time", "answered",
               "about", "theme"]  # fmt: skip
    missing = [c for c in ("item_id", "author", "text", "time", "answered", "about", "labels")
               if c not in questions]  # fmt: skip
    if missing:
        raise SchemaError(f"questions table is missing columns: {', '.join(missing)}")
    if not len(questions):
        return pd.DataFrame(columns=columns)
    groups: list[list[int]] = []
    words = [_question_words(t) for t in questions["text"].astype(str)]
    about = questions["about"].tolist()
    # Only groups sharing a word with a question can score above 0: an index of the groups
    # each word occurs in keeps this near-linear on big chats (same result as a full scan).
    groups_of_word: dict[str, set[int]] = {}
    for k in range(len(questions)):
        best, best_score = -1, 0.0
        candidates = set().union(*(groups_of_word.get(w, ()) for w in words[k]))
        for g in sorted(candidates):
            members = groups[g]
            if about[members[0]] != about[k]:
                continue
            # A group's first versions stand for it: big chats asking one thing many
            # times stay fast (groups of up to GROUP_SAMPLE are compared in full).
            score = max(_similarity(words[k], words[m]) for m in members[:GROUP_SAMPLE])
            if score > best_score:
                best, best_score = g, score
        if best >= 0 and best_score >= threshold:
            groups[best].append(k)
            chosen = best
        else:
            groups.append([k])
            chosen = len(groups) - 1
        for w in words[k]:
            groups_of_word.setdefault(w, set()).add(chosen)
    backers: dict[str, list[str]] = {}
    if agreements is not None and len(agreements):
        for parent, author in zip(agreements["parent"], agreements["author"], strict=True):
            backers.setdefault(str(parent), []).append(author)
    rows = []
    texts = questions["text"].astype(str).tolist()
    for members in groups:
        part = questions.iloc[members]
        best = max(members, key=lambda m: (_phrasing_score(texts[m]), -m))
        authors = list(dict.fromkeys(part["author"]))
        for item in part["item_id"].astype(str):
            for author in backers.get(item, []):
                if author not in authors:
                    authors.append(author)
        codes = [c for cell in part["labels"] for c in str(cell or "").split(";")[:1] if c]
        theme = max(set(codes), key=lambda c: (codes.count(c), -codes.index(c))) if codes else ""
        rows.append(
            {
                "text": texts[best],
                "askers": len(authors),
                "authors": authors,
                "variants": [texts[m] for m in members if m != best],
                "item_ids": part["item_id"].tolist(),
                "time": part["time"].min(),
                "answered": bool(part["answered"].any()),
                "about": about[members[0]],
                "theme": theme.split(":")[0],
            }
        )
    merged = pd.DataFrame(rows, columns=columns)
    merged["_order"] = range(len(merged))
    merged = merged.sort_values(["askers", "_order"], ascending=[False, True], kind="stable")
    return merged.drop(columns="_order").reset_index(drop=True)


# -- evaluation -------------------------------------------------------------------------------
def score_questions(labelled: pd.DataFrame) -> dict[str, float]:
    """Precision, recall and F1 of :func:`~feedback.text.is_question` on labelled messages,
    and the accuracy of :func:`~feedback.text.question_topic` on the true questions found.

    Parameters
    ----------
    labelled : pandas.DataFrame
        Columns ``text``, ``is_question`` (0/1) and ``kind`` (``session``/``topic``
        for questions).

    Returns
    -------
    dict
        ``messages``, ``questions``, ``precision``, ``recall``, ``f1``,
        ``split_accuracy`` and ``split_checked`` (true questions that were found).
    """
    from feedback.text import is_question, question_topic

    missing = [c for c in ("text", "is_question", "kind") if c not in labelled]
    if missing:
        raise SchemaError(f"labelled table is missing columns: {', '.join(missing)}")
    texts = labelled["text"].fillna("").astype(str).tolist()
    truth = [bool(int(v)) for v in labelled["is_question"]]
    kinds = labelled["kind"].fillna("").astype(str).tolist()
    found = [is_question(t) for t in texts]
    tp = sum(t and f for t, f in zip(truth, found, strict=True))
    fp = sum(f and not t for t, f in zip(truth, found, strict=True))
    fn = sum(t and not f for t, f in zip(truth, found, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    checked = [k for k, (t, f) in enumerate(zip(truth, found, strict=True)) if t and f]
    right = sum(question_topic(texts[k]) == kinds[k] for k in checked)
    return {
        "messages": len(texts),
        "questions": sum(truth),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "split_accuracy": right / len(checked) if checked else 0.0,
        "split_checked": len(checked),
    }
