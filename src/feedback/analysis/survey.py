"""Survey answers: questions, rating distributions, choice counts, prize-draw opt-ins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedback.schema import Col, Kind

if TYPE_CHECKING:
    import pandas as pd


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


def positive_share(distribution: pd.DataFrame) -> float | None:
    """Share of the answers in the upper half of a rating scale (None without answers).

    On a numeric scale the answers above its middle count (4 and 5 of 1 to 5); on a
    scale of words the upper half of the words (the middle word of an odd scale not
    counted).

    Parameters
    ----------
    distribution : pandas.DataFrame
        From :func:`rating_distribution` (``answer``, ``count``), in scale order.
    """
    total = int(distribution["count"].sum())
    if not total:
        return None
    answers = [str(a) for a in distribution["answer"]]
    counts = distribution["count"].tolist()
    if all(a.lstrip("-").isdigit() for a in answers):
        values = [int(a) for a in answers]
        middle = (min(values) + max(values)) / 2
        positive = sum(c for v, c in zip(values, counts, strict=True) if v > middle)
    else:
        start = len(answers) // 2 + len(answers) % 2
        positive = sum(counts[start:])
    return positive / total
