"""VADER's compound sentiment score, the same numbers computed several times faster.

:func:`compound_scores` (a batch) and :func:`compound` (one text) return what
``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]`` of vaderSentiment 3.3.2
returns, to the last bit. The rules are VADER's own, reimplemented over precomputed tables,
and its lexicon, booster, negation and idiom tables are read from the installed package:

- the emoji pass (each single-character emoji of VADER's emoji lexicon replaced by its
  description, with a space before it unless one is already there);
- the tokens: the text split on whitespace, each token stripped of ASCII punctuation unless
  that leaves two characters or fewer (so ``:)`` and ``ok!`` stay as they are), looked up in
  lower case;
- the caps differential (some tokens, not all, in capitals), the boosters and dampeners among
  the three tokens before a lexicon word (scaled by 0.95 and 0.9 with distance, ignored when
  themselves in the lexicon), "kind of", negations one to three tokens back (any word with
  "n't"), "never so/this" and VADER's quirk of scaling by 1.25 whenever the word before is
  "so" or "this", "without doubt", the "no" rules, "least" (but not "at least" or "very
  least"), the special idioms ("the bomb", "kiss of death", "yeah right", ...) and the
  "kind of" / "sort of" / "just enough" n-grams, checked only where VADER checks them;
- the "but" rule, including VADER's way of finding each score by its value (so repeated
  scores move together), replayed on the whole list of scores when a text has "but";
- the sum in VADER's order, the ``!`` and ``?`` emphasis, the normalisation and rounding.

The fast paths change no result:

- each distinct token is classified once and kept in a bounded cache (the lower-cased item
  VADER makes of it, its lexicon value, whether it is in capitals, holds "n't" or is a word
  that can change another's score), so most texts are decided by a few set operations on
  ``text.split()``: a text with no lexicon word scores 0, and one with no modifier, "but",
  idiom word or capitalised lexicon word or booster scores the plain sum of its lexicon
  values;
- the other texts go through the full rules, which skip a lexicon word's context when
  none of the three tokens before it can change it, and look idioms up only in a text
  where one occurs;
- the emoji pass is made only when a non-ASCII text has a character in the ranges that
  hold VADER's emoji (ASCII text has none).

Examples
--------
>>> compound("The book was good.")
0.4404
>>> compound("At least it isn't a horrible book.")
0.431
>>> compound_scores(["VADER is VERY SMART, handsome, and FUNNY!!!", "", "bus stop"]).tolist()
[0.9342, 0.0, -0.296]
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Distinct tokens remembered between calls (a few hundred bytes each).
TOKEN_CACHE_SIZE = 100_000


def compound_scores(texts: Sequence[str]) -> np.ndarray:
    """VADER compound scores of many texts, exactly as VADER computes them.

    Parameters
    ----------
    texts : sequence of str
        The texts. Empty and blank texts (and ``None``) score 0.

    Returns
    -------
    numpy.ndarray
        One float64 score per text, from -1 (negative) to +1 (positive).

    Examples
    --------
    >>> compound_scores(["not bad at all", "no problem", "kind of great"]).tolist()
    [0.431, 0.3089, 0.6249]
    """
    import numpy as np

    score = _scorer()
    return np.array([score(text) if text else 0.0 for text in texts], dtype=np.float64)


def compound(text: str) -> float:
    """VADER compound score of one text (see :func:`compound_scores`).

    Examples
    --------
    >>> compound("never so good")
    0.5777
    """
    return _scorer()(text) if text else 0.0


@lru_cache(maxsize=1)
def _scorer() -> Callable[[str], float]:
    """The function that scores one non-empty text, built once."""
    return _build_scorer(TOKEN_CACHE_SIZE)


def _build_scorer(cache_size: int) -> Callable[[str], float]:
    """Build VADER's tables and return a function that scores one non-empty text.

    ``cache_size`` bounds the token cache (0 sends every text through the full rules).
    """
    from vaderSentiment.vaderSentiment import (
        BOOSTER_DICT,
        C_INCR,
        N_SCALAR,
        NEGATE,
        SPECIAL_CASES,
        SentimentIntensityAnalyzer,
    )

    analyzer = SentimentIntensityAnalyzer()
    lexicon: dict[str, float] = dict(analyzer.lexicon)
    # Lexicon words that get a score of their own (VADER gives boosters 0 first).
    scored = frozenset(word for word in lexicon if word not in BOOSTER_DICT)
    negations = frozenset(NEGATE)
    boosters = {word: value for word, value in BOOSTER_DICT.items() if " " not in word}
    # Multi-word keys as tuples: tokens never hold a space, so a tuple matches exactly
    # when VADER's space-joined string does, and a one-word key never matches.
    special_cases = {
        tuple(key.split(" ")): value for key, value in SPECIAL_CASES.items() if " " in key
    }
    booster_grams = {
        tuple(key.split(" ")): value for key, value in BOOSTER_DICT.items() if " " in key
    }
    # VADER looks at one character at a time, so longer emoji sequences never match.
    emojis = {key: value for key, value in analyzer.emojis.items() if len(key) == 1}
    ascii_emojis = any(key.isascii() for key in emojis)  # none in vaderSentiment 3.3.2
    # A character class listing every emoji is slow to search; one of a few wide ranges
    # that hold them all is fast, and what it finds is checked against the emoji table.
    ranges: list[list[int]] = []
    for code in sorted(map(ord, emojis)):
        if ranges and code - ranges[-1][1] < 0x1000:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    near_emoji = re.compile(
        "[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]"
    )
    punctuation = string.punctuation
    so_this = ("so", "this")
    # Tokens that change the score of a lexicon word up to three places after them (with
    # the words holding "n't"); a word with none of them before it scores its lexicon value.
    modifiers = frozenset((*boosters, *negations, "no", "least", "so", "this", "never"))
    # Scored words whose own score needs the full rules.
    slow_words = frozenset(word for word in ("no", "kind") if word in scored)
    # In a text where an idiom occurs, the words that start one are modifiers too.
    idiom_keys = (*special_cases, *booster_grams)
    idiom_starts = frozenset(key[0] for key in idiom_keys)
    # A quick test that a text may hold an idiom: its second word is there, and for the
    # idioms whose second word is "of", the first word too.
    idiom_seconds = frozenset(key[1] for key in idiom_keys if key[1] != "of")
    of_starts = frozenset(key[0] for key in idiom_keys if key[1] == "of")
    idiom_re = re.compile(
        "(?<![^ ])(?:" + "|".join(re.escape(" ".join(key)) for key in idiom_keys) + ")(?![^ ])"
    )
    idiom_modifiers = modifiers | idiom_starts
    idiom_slow_words = slow_words | (idiom_starts & scored)
    del analyzer

    # Tokens whose presence may make a score differ from the plain sum of lexicon values:
    # modifiers, "but", "no" and "kind", and the words an idiom needs (with those holding
    # "n't", and scored words or boosters in capitals, found per token).
    unusual = modifiers | slow_words | idiom_seconds | of_starts | {"but"}

    # Token cache, by token as written: ``items`` gives the lower-cased lexicon item VADER
    # makes of a token, ``values`` the lexicon value of those that are scored words (all
    # non-zero). The sets hold the tokens seen (known), scored (hot), unusual, in capitals
    # and scored or boosters (loud), or holding "n't" (negating). A token enters its sets
    # before ``known`` and ``items``; once ``items`` is full nothing more is added.
    items: dict[str, str] = {}
    values: dict[str, float] = {}
    known: set[str] = set()
    hot: set[str] = set()
    unusual_tokens: set[str] = set()
    loud: set[str] = set()
    negating: set[str] = set()
    get_item = items.get
    get_value = values.get
    limit = cache_size

    def item_of(token: str) -> str:
        stripped = token.strip(punctuation)
        return (stripped if len(stripped) > 2 else token).lower()

    def learn(tokens: list[str]) -> list[str]:
        words = list(map(get_item, tokens))
        if None in words:
            for position, token in enumerate(tokens):
                if words[position] is None:
                    word = words[position] = item_of(token)
                    if len(items) < limit:
                        if word in scored:
                            values[token] = lexicon[word]
                            hot.add(token)
                        if token.isupper() and (word in scored or word in boosters):
                            loud.add(token)
                            unusual_tokens.add(token)
                        if "n't" in word:
                            negating.add(token)
                            unusual_tokens.add(token)
                        if word in unusual:
                            unusual_tokens.add(token)
                        known.add(token)
                        items[token] = word
        return words

    def booster(word: str, valence: float, upper: bool) -> float:
        # VADER's scalar_inc_dec for a word known to be a booster.
        scalar = boosters[word]
        if valence < 0:
            scalar *= -1
        if upper:
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
        return scalar

    def idioms(valence: float, words: list[str], i: int, n: int) -> float:
        # VADER's special idioms check (only reached with i > 2).
        w3, w2, w1, w0 = words[i - 3], words[i - 2], words[i - 1], words[i]
        for key in ((w1, w0), (w2, w1, w0), (w2, w1), (w3, w2, w1), (w3, w2)):
            if key in special_cases:
                valence = special_cases[key]
                break
        if n - 1 > i:
            key = (w0, words[i + 1])
            if key in special_cases:
                valence = special_cases[key]
        if n - 1 > i + 1:
            key = (w0, words[i + 1], words[i + 2])
            if key in special_cases:
                valence = special_cases[key]
        for key in ((w3, w2, w1), (w3, w2), (w2, w1)):
            if key in booster_grams:
                valence = valence + booster_grams[key]
        return valence

    def valence_at(
        i: int, words: list[str], n: int, upper: list[bool] | None, idiomatic: bool
    ) -> float:
        # VADER's sentiment_valence for the scored lexicon word at position i.
        word = words[i]
        valence = lexicon[word]
        if word == "no" and i != n - 1 and words[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and words[i - 1] == "no")
            or (i > 1 and words[i - 2] == "no")
            or (i > 2 and words[i - 3] == "no" and words[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[word] * N_SCALAR
        if upper is not None and upper[i]:
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        if i > 0:
            before = words[i - 1]
            if before not in lexicon:
                if before in boosters:
                    valence = valence + booster(before, valence, upper is not None and upper[i - 1])
                if before in negations or "n't" in before:
                    valence = valence * N_SCALAR
            if i > 1:
                before = words[i - 2]
                if before not in lexicon:
                    if before in boosters:
                        scalar = booster(before, valence, upper is not None and upper[i - 2])
                        if scalar != 0:
                            scalar = scalar * 0.95
                        valence = valence + scalar
                    if before == "never" and words[i - 1] in so_this:
                        valence = valence * 1.25
                    elif before == "without" and words[i - 1] == "doubt":
                        pass
                    elif before in negations or "n't" in before:
                        valence = valence * N_SCALAR
                if i > 2:
                    before = words[i - 3]
                    if before not in lexicon:
                        if before in boosters:
                            scalar = booster(before, valence, upper is not None and upper[i - 3])
                            if scalar != 0:
                                scalar = scalar * 0.9
                            valence = valence + scalar
                        # VADER's precedence: (never and so/this two back) or so/this one back
                        if (before == "never" and words[i - 2] in so_this) or words[
                            i - 1
                        ] in so_this:
                            valence = valence * 1.25
                        elif before == "without" and "doubt" in (words[i - 2], words[i - 1]):
                            pass
                        elif before in negations or "n't" in before:
                            valence = valence * N_SCALAR
                        if idiomatic:
                            valence = idioms(valence, words, i, n)
            if words[i - 1] == "least" and (i == 1 or words[i - 2] not in ("at", "very")):
                valence = valence * N_SCALAR
        return valence

    def finish(text: str, words: list[str], raw: list[str] | None, nt: bool) -> float:
        # Scores of the scored words, VADER's "but" rule, sum, emphasis and normalisation.
        # ``raw`` holds the tokens as written (None when none is in capitals); ``nt`` says
        # whether a token may hold "n't" (a negation wherever it is).
        n = len(words)
        upper = None
        if raw is not None:
            flags = list(map(str.isupper, raw))
            if True in flags and False in flags:  # VADER's caps differential
                upper = flags
        idiomatic = (
            not idiom_seconds.isdisjoint(words)
            or ("of" in words and not of_starts.isdisjoint(words))
        ) and idiom_re.search(" ".join(words)) is not None
        near, slow = (idiom_modifiers, idiom_slow_words) if idiomatic else (modifiers, slow_words)
        if nt:
            near = near.union([word for word in words if "n't" in word])
        plain = near.isdisjoint(words)
        scores: list[float] = [0] * n  # VADER's list: 0 for every word not scored
        for i, word in enumerate(words):
            if word not in scored:
                continue
            if word in slow:
                if word == "kind" and i < n - 1 and words[i + 1] == "of":
                    continue
                scores[i] = valence_at(i, words, n, upper, idiomatic)
            elif plain or near.isdisjoint(words[i - 3 if i > 3 else 0 : i]):
                value = lexicon[word]
                if upper is not None and upper[i]:
                    value = value + C_INCR if value > 0 else value - C_INCR
                scores[i] = value
            else:
                scores[i] = valence_at(i, words, n, upper, idiomatic)
        if "but" in words:
            but = words.index("but")
            for value in scores:  # VADER looks each score up by its value, as here
                at = scores.index(value)
                if at < but:
                    scores[at] = value * 0.5
                elif at > but:
                    scores[at] = value * 1.5
        return emphasised(text, float(sum(scores)))

    def emphasised(text: str, total: float) -> float:
        # VADER's emphasis of "!" and "?", normalisation and rounding of the summed scores.
        if total == 0:
            return 0.0
        exclamations = text.count("!")
        emphasis = (exclamations if exclamations < 4 else 4) * 0.292
        questions = text.count("?")
        if questions > 1:
            emphasis = emphasis + (questions * 0.18 if questions <= 3 else 0.96)
        total = total + emphasis if total > 0 else total - emphasis
        value = total / math.sqrt((total * total) + 15)
        return round(-1.0 if value < -1.0 else 1.0 if value > 1.0 else value, 4)

    def describe(match: re.Match, text: str) -> str:
        # VADER's emoji pass for one character: its description, after a space unless the
        # character before is a space (or there is none); other characters stay.
        description = emojis.get(match[0])
        if description is None:
            return match[0]
        start = match.start()
        return description if start == 0 or text[start - 1] == " " else " " + description

    def score(text: str) -> float:
        if ascii_emojis or not text.isascii():
            near = near_emoji.search(text)
            if near is not None and not emojis.keys().isdisjoint(
                near_emoji.findall(text, near.start())
            ):
                text = near_emoji.sub(lambda m, t=text: describe(m, t), text)
        tokens = text.split()
        if not known.issuperset(tokens):
            words = learn(tokens)
            if len(items) >= limit:  # some tokens may be uncached: the full rules
                return 0.0 if scored.isdisjoint(words) else finish(text, words, tokens, True)
        if hot.isdisjoint(tokens):
            return 0.0
        if unusual_tokens.isdisjoint(tokens):
            return emphasised(text, float(sum(filter(None, map(get_value, tokens)))))
        return finish(
            text,
            list(map(get_item, tokens)),
            None if loud.isdisjoint(tokens) else tokens,
            not negating.isdisjoint(tokens),
        )

    return score
