"""What each theme said: distinctive phrases of a group of comments (class-based TF-IDF).

Each group's comments (a code's messages, a survey question's answers) are read
as one document; a phrase scores high when it is frequent in that group and rare
in the others (c-TF-IDF: ``tf(phrase, group) * log(1 + mean words per group / total
frequency of phrase)``). The summary is the few best phrases, as people wrote them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from feedback.text import normalise

#: Words that carry no theme on their own (function words and chat filler).
_STOP_TEXT = """a about above after again against all also am an and any are aren't as at
    be because been before being below between both but by can can't cannot could couldn't
    did didn't do does doesn't doing don't down during each few for from further get got
    had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
    itself just let's me more most mustn't my myself no nor not now of off on once only or
    other ought our ours ourselves out over own really same shan't she she'd she'll she's
    should shouldn't so some such than thank thanks that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those
    through to too under until up us very was wasn't we we'd we'll we're we've were
    weren't what what's when when's where where's which while who who's whom why why's
    will with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves yes yeah ok okay lot lots bit quite much many well great good thing things
    think really way one also maybe still even like just get going go went said say says
    need want us re etc hi hello everyone all folks morning afternoon person always never
    often sometimes every everything something anything nothing talk talked talking know
    knew see saw feel felt make made makes take took come came put kind sort bit lots
    actually honestly totally absolutely definitely probably use used using today day week
    year years time times part point points sure true right back around already again ever
    else though although since without within across along another"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z][a-z0-9'\-]*[a-z0-9]|[a-z]")
_PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|<[^>]*>|@[\w'-]+(?: \d+)?|\b(?:person|participant|attendee) \d+\b",
    re.IGNORECASE,
)


def _phrases(text: str, max_words: int) -> list[str]:
    """Word n-grams of ``text`` that neither start nor end with a stop word."""
    text = _PLACEHOLDER.sub(" | ", text or "")
    found: list[str] = []
    for chunk in re.split(r"[.,;:!?()\[\]\"|/\n]+|\s-+\s", normalise(text)):
        words = _WORD.findall(chunk)
        for size in range(1, max_words + 1):
            for start in range(len(words) - size + 1):
                gram = words[start : start + size]
                if gram[0] in STOP_WORDS or gram[-1] in STOP_WORDS:
                    continue
                if size == 1 and len(gram[0]) < 3:
                    continue
                found.append(" ".join(gram))
    return found


def distinctive_phrases(
    groups: Mapping[str, Sequence[str]],
    *,
    n: int = 5,
    max_words: int = 3,
    min_comments: int = 2,
) -> dict[str, list[str]]:
    """The phrases that set each group of comments apart from the others.

    Parameters
    ----------
    groups : mapping of str to sequence of str
        Group name (a code, a survey question) to its comments.
    n : int
        Phrases per group, at most.
    max_words : int
        Longest phrase, in words.
    min_comments : int
        A phrase must occur in this many comments of the group (one comment is
        enough when the group has fewer than three), so a summary speaks for
        more than one person.

    Returns
    -------
    dict of str to list of str
        Group name to its phrases, best first; a phrase contained in a better one
        is left out. Groups without comments get an empty list.

    Examples
    --------
    >>> distinctive_phrases({
    ...     "format": ["short and bite sized", "bite sized and clear", "clear slides"],
    ...     "funding": ["funding ran out", "no recurrent funding", "funding is short term"],
    ... }, n=2)
    {'format': ['bite sized', 'clear'], 'funding': ['funding']}
    """
    from feedback.text import stem

    names = list(groups)
    counts: dict[str, Counter] = {}
    spread: dict[str, Counter] = {}
    where: dict[str, dict[str, set[int]]] = {}
    for name in names:
        tf: Counter = Counter()
        df: Counter = Counter()
        seen: dict[str, set[int]] = {}
        for number, comment in enumerate(groups[name]):
            grams = _phrases(str(comment), max_words)
            tf.update(grams)
            df.update(set(grams))
            for gram in grams:
                seen.setdefault(gram, set()).add(number)
        counts[name], spread[name], where[name] = tf, df, seen
    total: Counter = Counter()
    for tf in counts.values():
        total.update(tf)
    sizes = [sum(1 for g in tf.elements() if " " not in g) for tf in counts.values()]
    average = (sum(sizes) / len(sizes)) if sizes else 0.0
    result: dict[str, list[str]] = {}
    for name in names:
        tf, df = counts[name], spread[name]
        needed = min_comments if len(groups[name]) >= 3 else 1
        words = max(1, sum(1 for g in tf.elements() if " " not in g))
        scored = []
        for gram, count in tf.items():
            # Distinctive: at least half of all its uses are in this group.
            if df[gram] < needed or count * 2 < total[gram]:
                continue
            weight = (count / words) * math.log(1 + average / total[gram])
            # Longer phrases read better; favour them a little over their parts.
            weight *= 1 + 0.25 * gram.count(" ")
            scored.append((weight, gram))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        chosen: list[str] = []
        stems: set[tuple[str, ...]] = set()
        comments: list[set[int]] = []
        for _, gram in scored:
            padded = f" {gram} "
            key = tuple(stem(w) for w in gram.split())
            # Leave out a phrase inside a better one, another form of one ("patient",
            # "patients"), or one found in exactly the same comments (the same remark).
            if (
                any(padded in f" {c} " or f" {c} " in padded for c in chosen)
                or key in stems
                or where[name][gram] in comments
            ):
                continue
            chosen.append(gram)
            stems.add(key)
            comments.append(where[name][gram])
            if len(chosen) == n:
                break
        result[name] = chosen
    return result


def summary_line(phrases: Sequence[str]) -> str:
    """Phrases as one line: ``"bite sized, clear, easy to navigate"``."""
    return ", ".join(phrases)
