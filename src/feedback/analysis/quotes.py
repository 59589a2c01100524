"""Representative quotes for a code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback.schema import Col

if TYPE_CHECKING:
    import pandas as pd


from feedback.analysis.tagged import labels_of, require_tagged, score_of


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
