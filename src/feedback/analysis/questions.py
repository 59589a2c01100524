"""Questions participants asked, and whether a host or panelist answered them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

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
