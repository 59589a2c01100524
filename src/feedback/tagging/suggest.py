"""Propose key phrases for a codebook's codes from labelled comments.

A phrase (one to three words, as written) is proposed for a code when it occurs in
several of the code's comments and rarely in others: phrases are ranked by a smoothed
log-odds of occurring in the code's comments rather than elsewhere, weighted by how
many of the code's comments hold it. Phrases the code already has (after stemming),
phrases made only of common words, and numbers are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from feedback.codebook import Codebook
from feedback.tagging.labels import parse_labels
from feedback.text import stem, tokenise

#: Words that never make a phrase on their own, nor start or end one.
_COMMON_WORDS = (
    "a an the and or but if of to in on at for from by with as is are was were be been being "
    "it its this that these those there their they them we our us you your i me my he she his "
    "her so not no do does did have has had can could would should will just also very really "
    "more most much many some any all what which who whom how when where why than then too "
    "about into out up down over again only own same such other each both few off yes ok "
    "think thing things like get got make made one way well"
)
_COMMON = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True)
class Suggestion:
    """One proposed phrase for a code."""

    phrase: str
    in_code: int
    code_total: int
    elsewhere: int
    score: float


def _phrases(text: str) -> set[str]:
    tokens = tokenise(text)
    out = set()
    for n in (1, 2, 3):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if gram[0] in _COMMON or gram[-1] in _COMMON or any(t.isdigit() for t in gram):
                continue
            if n == 1 and len(gram[0]) < 3:
                continue
            out.add(" ".join(gram))
    return out


def suggest_phrases(
    texts: Sequence[str], labels: Sequence[object], codebook: Codebook, *, top: int = 8
) -> dict[str, list[Suggestion]]:
    """Up to ``top`` new key phrases per code, best first.

    Parameters
    ----------
    texts, labels : sequences
        Labelled comments (label cells as in :func:`feedback.schema.parse_labels`).
    codebook : Codebook
    top : int

    Returns
    -------
    dict
        Code id to its suggestions; codes with fewer than 3 labelled comments get none.
    """
    docs = [_phrases(str(t)) for t in texts]
    codes = [set(parse_labels(v)) for v in labels]
    everywhere: Counter = Counter()
    for doc in docs:
        everywhere.update(doc)
    out: dict[str, list[Suggestion]] = {}
    total = len(docs)
    for code in codebook.codes:
        mine = [doc for doc, cs in zip(docs, codes, strict=True) if code.id in cs]
        if len(mine) < 3:
            out[code.id] = []
            continue
        have = {" ".join(stem(t) for t in tokenise(p)) for p in code.phrases}
        inside: Counter = Counter()
        for doc in mine:
            inside.update(doc)
        others = total - len(mine)
        ranked = []
        for phrase, count in inside.items():
            if count < 2:
                continue
            if " ".join(stem(t) for t in phrase.split()) in have:
                continue
            elsewhere = everywhere[phrase] - count
            odds_in = (count + 0.5) / (len(mine) - count + 0.5)
            odds_out = (elsewhere + 0.5) / (others - elsewhere + 0.5)
            score = math.log(odds_in / odds_out) * math.sqrt(count / len(mine))
            if score > 0:
                ranked.append(Suggestion(phrase, count, len(mine), elsewhere, score))
        # Best first; of equally good phrases the longer, which says more.
        ranked.sort(key=lambda s: (-round(s.score, 9), -s.phrase.count(" "), s.phrase))
        chosen: list[Suggestion] = []
        for item in ranked:
            # Skip a phrase inside a better one already chosen ("care" after "social care").
            if any(f" {item.phrase} " in f" {c.phrase} " for c in chosen):
                continue
            chosen.append(item)
            if len(chosen) >= top:
                break
        out[code.id] = chosen
    return out
