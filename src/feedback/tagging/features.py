"""Features of comments: stemmed word n-grams and in-word character n-grams (TF-IDF).

The phrase indicators come from :class:`feedback.text.PhraseMatcher`; this module
owns the n-gram vocabulary and its weighting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from feedback.text import normalise, stem

_WORD = "w:"
_CHAR = "c:"
_PHRASE = "p:"


_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
#: Words and single punctuation marks, as the embeddings' WordPiece tokeniser splits.
_PIECE_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def _char_grams(token: str, ngrams: tuple[int, int]) -> list[str]:
    """Character n-grams of one token padded with spaces (like scikit-learn's ``char_wb``)."""
    padded = " " + token + " "
    out = []
    for n in range(ngrams[0], ngrams[1] + 1):
        if len(padded) < n:
            break
        out.extend(_CHAR + padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


class _Vectoriser:
    """Binary TF-IDF over stemmed word n-grams and in-word character n-grams.

    Each block (words, characters) is L2-normalised on its own. Per-token work
    (stemming, character n-grams, vocabulary look-up) is cached, so transforming
    costs a few dictionary look-ups per token.
    """

    def __init__(self, word_ngrams, char_ngrams, min_df: int = 1) -> None:
        self.word_ngrams = tuple(word_ngrams) if word_ngrams else None
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.min_df = min_df
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.n_word = 0
        self._cache: dict[str, tuple[str, int, list[int]]] = {}

    @staticmethod
    def tokens(text: str) -> list[str]:
        """Word tokens of prepared (already normalised) text."""
        return _TOKEN_RE.findall(text)

    def _doc_features(self, tokens: list[str]) -> tuple[set[str], set[str]]:
        stems = [stem(t) for t in tokens]
        words: set[str] = set()
        if self.word_ngrams:
            lo, hi = self.word_ngrams
            for n in range(lo, hi + 1):
                words.update(_WORD + " ".join(stems[i : i + n]) for i in range(len(stems) - n + 1))
        chars: set[str] = set()
        if self.char_ngrams:
            for token in set(tokens):
                chars.update(_char_grams(token, self.char_ngrams))
        return words, chars

    def fit(self, texts: Sequence[str]) -> _Vectoriser:
        df: Counter = Counter()
        for text in texts:
            words, chars = self._doc_features(self.tokens(text))
            df.update(words)
            df.update(chars)
        kept = sorted(f for f, c in df.items() if c >= self.min_df)
        words = [f for f in kept if f.startswith(_WORD)]
        chars = [f for f in kept if f.startswith(_CHAR)]
        self.set_vocabulary(words + chars, len(words))
        n = len(texts)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[f])) + 1.0 for f in words + chars], dtype=np.float64
        )
        return self

    def set_vocabulary(self, features: list[str], n_word: int) -> None:
        self.vocabulary = {f: i for i, f in enumerate(features)}
        self.n_word = n_word
        self._cache = {}

    def _entry(self, token: str) -> tuple[str, int, list[int]]:
        entry = self._cache.get(token)
        if entry is None:
            stemmed = stem(token)
            vocab = self.vocabulary
            word = vocab.get(_WORD + stemmed, -1) if self.word_ngrams else -1
            chars: list[int] = []
            if self.char_ngrams:
                chars = sorted(
                    {vocab[g] for g in _char_grams(token, self.char_ngrams) if g in vocab}
                )
            entry = (stemmed, word, chars)
            if len(self._cache) < 500_000:
                self._cache[token] = entry
        return entry

    def transform(
        self, texts: Sequence[str], stems_out: list | None = None, tokens_out: list | None = None
    ):
        """Feature matrix of prepared ``texts``.

        ``stems_out`` receives each text's stemmed form, ``tokens_out`` its words and
        punctuation (for the embeddings). Each distinct word is looked up once; the
        columns of all comments are then gathered with array operations.
        """
        import pandas as pd
        from scipy import sparse

        vocab = self.vocabulary
        lo, hi = self.word_ngrams or (0, 0)
        n_docs = len(texts)
        findall = _TOKEN_RE.findall
        flat: list[str] = []
        lengths = np.zeros(n_docs, dtype=np.int64)
        for d, text in enumerate(texts):
            found = findall(text)
            flat.extend(found)
            lengths[d] = len(found)
            if tokens_out is not None:
                tokens_out.append(_PIECE_RE.findall(text))
        ids, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
        ids = np.asarray(ids, dtype=np.int64)
        entries = [self._entry(token) for token in uniques]
        n_unique = len(entries)
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        # Stems of the distinct words, numbered, for the word n-grams and ``stems_out``.
        stem_names = [entry[0] for entry in entries]
        stem_ids, stem_uniques = pd.factorize(pd.Series(stem_names, dtype=object), sort=False)
        stem_ids = np.asarray(stem_ids, dtype=np.int64)
        stem_uniques = list(stem_uniques)
        word_rows = [np.zeros(0, np.int64)]
        word_cols = [np.zeros(0, np.int64)]
        if lo <= 1 and self.word_ngrams and n_unique:
            unigram = np.array([entry[1] for entry in entries], dtype=np.int64)[ids]
            keep = unigram >= 0
            word_rows.append(doc_of[keep])
            word_cols.append(unigram[keep])
        token_stems = stem_ids[ids] if n_unique else np.zeros(0, np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)])
        for n in range(max(lo, 2), hi + 1):
            if len(ids) < n:
                break
            first = np.arange(len(ids) - n + 1)
            first = first[first + n <= starts[doc_of[first] + 1]]  # n-grams inside one comment
            if not len(first):
                continue
            width = len(stem_uniques)
            keys = np.zeros(len(first), dtype=np.int64)
            for k in range(n):
                keys = keys * width + token_stems[first + k]
            distinct, inverse = np.unique(keys, return_inverse=True)
            lookup = np.empty(len(distinct), dtype=np.int64)
            for u, key in enumerate(distinct.tolist()):
                parts = []
                for _ in range(n):
                    key, part = divmod(key, width)
                    parts.append(stem_uniques[part])
                lookup[u] = vocab.get(_WORD + " ".join(reversed(parts)), -1)
            found = lookup[inverse.ravel()]
            keep = found >= 0
            word_rows.append(doc_of[first[keep]])
            word_cols.append(found[keep])
        rows = np.concatenate(word_rows)
        cols = np.concatenate(word_cols)
        words = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n_docs, len(vocab)))
        words.sum_duplicates()
        words.data[:] = 1.0
        # Character n-grams: comments x distinct words, times distinct words x n-grams.
        char_ptr = np.zeros(n_unique + 1, dtype=np.int64)
        char_ptr[1:] = np.cumsum([len(entry[2]) for entry in entries])
        char_cols = [c for entry in entries for c in entry[2]]
        token_chars = sparse.csr_matrix(
            (np.ones(len(char_cols)), np.array(char_cols, dtype=np.int64), char_ptr),
            shape=(n_unique, len(vocab)),
        )
        doc_tokens = sparse.csr_matrix((np.ones(len(ids)), (doc_of, ids)), shape=(n_docs, n_unique))
        chars = (doc_tokens @ token_chars).tocsr()
        chars.sum_duplicates()
        chars.data[:] = 1.0
        chars.eliminate_zeros()
        if stems_out is not None:
            stems_list = [stem_uniques[i] for i in token_stems.tolist()]
            for d in range(n_docs):
                stems_out.append(" " + " ".join(stems_list[starts[d] : starts[d + 1]]) + " ")
        if not vocab:
            return words
        weighted = [_unit_rows(b.multiply(self.idf).tocsr()) for b in (words, chars)]
        return (weighted[0] + weighted[1]).tocsr()

    def feature_names(self) -> list[str]:
        names = [""] * len(self.vocabulary)
        for feature, index in self.vocabulary.items():
            names[index] = feature
        return names


def _unit_rows(matrix):
    """``matrix`` (CSR) with each non-zero row scaled to unit length."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


# -- chat register: acronyms, emoji, reply marks ------------------------------------------------
#: Marks of chat replies and emoticons, written as words so that features can see them.
_CHAT_MARKS = {
    "+1": " plusone ",
    "^": " uparrow ",
    ":)": " smiling face ",
    ":-)": " smiling face ",
    ":d": " smiling face ",
    ":(": " sad face ",
    ":-(": " sad face ",
    "<3": " heart ",
}
_MARK_RE = re.compile(r"(?<![\w:+^<])(?:\+1|\^+|:-?\)|:-?\(|:D|:d|<3)(?![\w)(])")


#: Characters from U+2190 on: the only ones :func:`_emoji_words` may change.
_PICTOGRAPH_RE = re.compile(r"[^\x00-\u218f]")


def _pictograph_word(match: re.Match) -> str:
    import unicodedata

    ch = match.group(0)
    category = unicodedata.category(ch)
    if category == "So":
        name = unicodedata.name(ch, "").lower()
        return f" {name.removesuffix(' sign')} " if name else " "
    if ord(ch) >= 0xFE00 and category in ("Mn", "Cf", "Sk"):
        return " "  # variation selectors, joiners, skin tones
    return ch


def _emoji_words(text: str) -> str:
    """Emoji and other pictographs replaced by their Unicode names ("thumbs up sign")."""
    return _PICTOGRAPH_RE.sub(_pictograph_word, text)


def _mark_word(match: re.Match) -> str:
    mark = match.group(0).lower()
    return _CHAT_MARKS["^"] if mark.startswith("^") else _CHAT_MARKS.get(mark, " ")


class TextPreparer:
    """Turn a raw comment into the normalised text that every feature reads.

    Acronyms of the codebook's glossary get their meaning added after them ("our ICB"
    becomes "our ICB integrated care board"), emoji become their names, reply marks
    ("^", "+1") and emoticons become words, then :func:`feedback.text.normalise` applies.

    Parameters
    ----------
    acronyms : sequence of (acronym, meaning) pairs
        Matched as whole words; case-insensitively when longer than two characters.

    Examples
    --------
    >>> TextPreparer([("ICB", "integrated care board")])("our icb loved it 👍")
    'our icb integrated care board loved it thumbs up'
    """

    def __init__(self, acronyms=()) -> None:
        self.acronyms = tuple((str(a), str(m)) for a, m in acronyms)
        self._meaning: dict[str, str] = {}
        exact, folded = [], []
        for acronym, meaning in self.acronyms:
            if len(acronym) > 2:
                self._meaning[acronym.lower()] = meaning
                folded.append(re.escape(acronym))
            else:
                self._meaning[acronym] = meaning
                exact.append(re.escape(acronym))
        patterns = []
        if folded:
            patterns.append(rf"(?i:{'|'.join(sorted(folded, key=len, reverse=True))})")
        if exact:
            patterns.append("|".join(sorted(exact, key=len, reverse=True)))
        self._regex = (
            re.compile(rf"(?<![\w&])(?:{'|'.join(patterns)})(?![\w&])") if patterns else None
        )

    def _expand(self, match: re.Match) -> str:
        word = match.group(0)
        meaning = self._meaning.get(word) or self._meaning.get(word.lower(), "")
        return f"{word} {meaning}"

    def __call__(self, text: str) -> str:
        text = text or ""
        if not text.isascii():
            text = _emoji_words(text)
        if self._regex is not None:
            text = self._regex.sub(self._expand, text)
        if "+" in text or "^" in text or ":" in text or "<" in text:
            text = _MARK_RE.sub(_mark_word, text)
        return normalise(text)
