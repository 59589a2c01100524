"""Text handling: normalising, tokenising, stemming, phrase matching, questions, sentiment.

Uses nltk's regular-expression tokeniser and Snowball stemmer, which need no
downloaded data, and the VADER lexicon shipped by the ``vaderSentiment`` package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION_RE = re.compile(r"@\w+")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, straighten quotes, drop URLs, fold accents and collapse spaces.

    Examples
    --------
    >>> normalise("Won’t   work HERE https://x.org")
    "won't work here"
    """
    text = (text or "").translate(_APOSTROPHES)
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACE_RE.sub(" ", text.lower()).strip()


def tokenise(text: str) -> list[str]:
    """Split normalised text into word tokens (keeping ``won't`` and ``co-design`` whole)."""
    return _TOKEN_RE.findall(normalise(text))


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball stem of one token (cached). Hyphenated parts are stemmed one by one."""
    if "-" in token:
        return "-".join(stem(part) for part in token.split("-"))
    return _stemmer().stem(token.replace("'", ""))


def stem_tokens(text: str) -> list[str]:
    """Tokenise and stem ``text``."""
    return [stem(token) for token in tokenise(text)]


def stemmed_text(text: str) -> str:
    """Stemmed tokens joined by single spaces, with a space at each end (for matching)."""
    return " " + " ".join(stem_tokens(text)) + " "


class PhraseMatcher:
    """Find a codebook's key phrases in text, after stemming both.

    Phrases are matched token by token (indexed by their first stem), so the cost
    grows with the length of the text, not with the number of phrases.

    Parameters
    ----------
    phrases : dict of str to sequence of str
        Code id to its key phrases.

    Examples
    --------
    >>> matcher = PhraseMatcher({"failure": ["fail fast", "failure"]})
    >>> matcher.match("We failed fast and learned")
    {'failure': ['fail fast']}
    """

    def __init__(self, phrases: dict[str, Sequence[str]]) -> None:
        self.codes = list(phrases)
        self._index = {code: i for i, code in enumerate(self.codes)}
        # first stem -> list of (stem tuple, code, phrase as written)
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        seen: set[tuple[tuple[str, ...], str]] = set()
        for code, code_phrases in phrases.items():
            for phrase in code_phrases:
                key = tuple(stem_tokens(phrase))
                if not key or (key, code) in seen:
                    continue
                seen.add((key, code))
                self._by_first.setdefault(key[0], []).append((key, code, phrase))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def _scan(self, stems: Sequence[str]):
        by_first = self._by_first
        n = len(stems)
        for i, first in enumerate(stems):
            entries = by_first.get(first)
            if not entries:
                continue
            for key, code, phrase in entries:
                k = len(key)
                if k == 1 or (i + k <= n and tuple(stems[i : i + k]) == key):
                    yield code, phrase

    def match(self, text: str) -> dict[str, list[str]]:
        """Code id to the phrases of that code found in ``text``."""
        return self.match_stemmed(stemmed_text(text))

    def match_stemmed(self, stemmed: str) -> dict[str, list[str]]:
        """Like :meth:`match` for text already passed through :func:`stemmed_text`."""
        found: dict[str, list[str]] = {}
        for code, phrase in self._scan(stemmed.split()):
            phrases = found.setdefault(code, [])
            if phrase not in phrases:
                phrases.append(phrase)
        return found

    def indicator(self, texts: Iterable[str]):
        """A sparse matrix (n_texts x n_codes) of 1 where a code's phrase occurs."""
        return self.indicator_stemmed([stemmed_text(text) for text in texts])

    def indicator_stemmed(self, stemmed: Sequence[str]):
        """Like :meth:`indicator` for texts already passed through :func:`stemmed_text`."""
        import numpy as np
        from scipy import sparse

        rows, cols = [], []
        index = self._index
        for row, text in enumerate(stemmed):
            seen = set()
            for code, _ in self._scan(text.split()):
                if code not in seen:
                    seen.add(code)
                    rows.append(row)
                    cols.append(index[code])
        data = np.ones(len(rows), dtype=np.float64)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(stemmed), len(index)))


# -- questions ----------------------------------------------------------------------------
_PRONOUNS = (
    r"(?:you|we|i|they|it|there|this|that|these|those|the|a|an|any|anyone|anybody|someone|"
    r"somebody|he|she|people|your|our|their|my|slides|recording|one|other|others|trusts|teams)"
)
#: Openings that make a sentence a question even without a question mark.
_QUESTION_OPENINGS = re.compile(
    r"^(?:why\b|which\b|whose\b|"
    r"how (?:do|does|did|can|could|would|should|will|is|are|was|were|much|many|long|often|far|"
    r"to|come|about)\b|"
    r"what (?:do|does|did|can|could|would|should|will|is|are|was|were|about|if|happens|kind|"
    r"sort|type|level|sorts|kinds|types|counts|evidence|would)\b|"
    r"(?:when|where|who) (?:do|does|did|can|could|would|should|will|is|are|was|were)\b|"
    rf"(?:is|are|can|could|would|will|do|does|did|should|has|have) "
    rf"{_PRONOUNS}\b)"
)
_QUESTION_PHRASES = re.compile(
    r"\b(?:i wonder|wondering|i'?d (?:like|love) to (?:know|hear)|interested to (?:know|hear)|"
    r"keen to (?:know|hear)|curious (?:how|what|whether|if|about|to)|does anyone|has anyone|"
    r"is anyone|anyone (?:know|got|have|tried|else)|any (?:thoughts|advice|tips|ideas|examples|"
    r"recommendations|suggestions|pointers)\b|would (?:be|love) (?:good|great|useful|"
    r"interesting|helpful) to (?:know|hear)|question for|quick question|q for)"
)
#: "What would help is more time": a statement that opens like a question.
_PSEUDO_CLEFT = re.compile(
    r"^what (?:is|was|would|will|could|can|should)"
    r"(?: (?!(?:what|you|we|i|they|he|she|it|people|anyone|someone)\b)[\w']+){1,3} (?:is|was)\b"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!;:])\s+|\n+")


def is_question(text: str) -> bool:
    """Whether a comment asks something, with or without a question mark.

    A question mark (outside links) makes a question; so does a sentence that
    opens like one ("how do we...", "is there...") or a phrase such as
    "wondering how" or "any tips".

    Examples
    --------
    >>> is_question("wondering how you'd measure benefit for staff")
    True
    >>> is_question("What a brilliant session!")
    False
    >>> is_question("What worked on our ward didn't work next door")
    False
    """
    raw = _URL_RE.sub(" ", text or "")
    if "?" in raw:
        return True
    words = normalise(_MENTION_RE.sub(" ", raw))
    if not words:
        return False
    if _QUESTION_PHRASES.search(words):
        return True
    for sentence in _SENTENCE_SPLIT.split(words):
        sentence = sentence.strip(" ,-")
        if (
            sentence
            and not sentence.endswith("!")
            and _QUESTION_OPENINGS.match(sentence)
            and not _PSEUDO_CLEFT.match(sentence)
        ):
            return True
    return False


# -- sentiment ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER compound score of ``text``, from -1 (negative) to +1 (positive)."""
    if not text or not text.strip():
        return 0.0
    return float(_vader().polarity_scores(text)["compound"])


def sentiment_label(score: float) -> str:
    """``positive`` (>= 0.05), ``negative`` (<= -0.05) or ``neutral``, VADER's usual cut-offs."""
    if score >= 0.05:
        return "positive"
    if score <= -0.05:
        return "negative"
    return "neutral"
