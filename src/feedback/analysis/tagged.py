"""Tagged tables: tagging an items table, reading its labels and scores, selections."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from feedback.schema import Col, Kind, validate_items

if TYPE_CHECKING:
    import pandas as pd


#: Kinds that count as "messages" of the conversation.
CONVERSATION_KINDS = (Kind.CHAT, Kind.QUESTION)


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
