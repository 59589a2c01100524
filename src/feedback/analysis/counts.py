"""Counts over tagged tables: comments per code, and their tone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedback.schema import Col

if TYPE_CHECKING:
    import pandas as pd

    from feedback.codebook import Codebook

from feedback.analysis.tagged import labels_of, require_tagged


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
