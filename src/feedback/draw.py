"""A reproducible prize draw among survey respondents who opted in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedback.exceptions import FeedbackError
from feedback.schema import Col, Kind

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DrawResult:
    """The outcome of a draw.

    Attributes
    ----------
    question : str
        The opt-in question used.
    opted_in : int
        Respondents who answered yes.
    excluded : int
        Of those, how many were left out by ``exclude``.
    eligible : int
        Respondents in the draw.
    winners : list of str
        ``respondent id (name)`` of each winner, in draw order.
    """

    question: str
    opted_in: int
    excluded: int
    eligible: int
    winners: list[str]


def prize_draw(
    items: pd.DataFrame,
    *,
    seed: int,
    exclude: list[str] | tuple[str, ...] = (),
    question: str | None = None,
    winners: int = 1,
) -> DrawResult:
    """Draw winners among respondents who opted in; the same seed gives the same winners.

    Respondents are sorted by respondent id before drawing, so the result depends
    only on the survey's content, the exclusions and the seed.

    Raises
    ------
    FeedbackError
        When the survey has no opt-in question, nobody is eligible, or more winners
        are asked for than there are eligible respondents.
    """
    from feedback.analysis import eligible_respondents, opt_in_question

    answers = items[items[Col.KIND] == Kind.ANSWER]
    if answers.empty:
        raise FeedbackError("the file has no survey answers")
    found = opt_in_question(answers, question)
    if found is None:
        asked = f" matching {question!r}" if question else ""
        listed = "; ".join(dict.fromkeys(answers[Col.QUESTION]))
        raise FeedbackError(
            f"no opt-in question{asked} found (questions: {listed}); name it with --question"
        )
    opted = eligible_respondents(answers, found)
    lowered = {e.strip().lower() for e in exclude if e.strip()}
    known = {str(v).strip().lower() for v in answers[Col.AUTHOR]} | {
        str(v).strip().lower() for v in answers[Col.RESPONDENT]
    }
    unknown = sorted(e for e in lowered if e not in known)
    if unknown:
        raise FeedbackError(
            f"--exclude {', '.join(unknown)}: matches no respondent's name or respondent id "
            "(email addresses are not kept from survey files; use the name or the id)"
        )

    def excluded(row) -> bool:
        return bool({str(row[Col.AUTHOR]).lower(), str(row[Col.RESPONDENT]).lower()} & lowered)

    keep = opted[~opted.apply(excluded, axis=1)] if len(opted) else opted
    if keep.empty:
        raise FeedbackError(f"nobody is eligible: {len(opted)} opted in, all excluded or none")
    if winners < 1 or winners > len(keep):
        raise FeedbackError(f"--winners {winners}: must be between 1 and {len(keep)}")
    ordered = sorted(
        keep[[Col.RESPONDENT, Col.AUTHOR]].itertuples(index=False),
        key=lambda r: (_sort_key(r[0]), r[1]),
    )
    picked = random.Random(seed).sample(ordered, winners)
    return DrawResult(
        question=found,
        opted_in=len(opted),
        excluded=len(opted) - len(keep),
        eligible=len(keep),
        winners=[f"{r[0]} ({r[1] or 'no name given'})" for r in picked],
    )


def _sort_key(value: str) -> tuple:
    text = str(value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)
