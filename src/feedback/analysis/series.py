"""Figures that compare the webinars of a series."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def series_code_shares(counts: dict[str, pd.DataFrame], *, top: int = 8) -> pd.DataFrame:
    """Share of each webinar's coded messages that carry each of the leading codes.

    Parameters
    ----------
    counts : dict of str to pandas.DataFrame
        Webinar name to its :func:`~feedback.analysis.code_counts` table.
    top : int
        How many codes to keep (those with the most messages over the series).

    Returns
    -------
    pandas.DataFrame
        One row per code (index ``code``), one column per webinar, shares in 0..1;
        codes with no message anywhere are left out.
    """
    import pandas as pd

    table = pd.concat(
        [table.set_index("code")["count"].rename(name) for name, table in counts.items()], axis=1
    ).fillna(0)
    table = table[table.sum(axis=1) > 0]
    leading = table.sum(axis=1).sort_values(ascending=False).head(top).index
    return table.loc[leading] / table.sum(axis=0).replace(0, 1)
