"""Tagging many comments at once: every feature of a batch computed with array operations.

:meth:`CommentTagger.predict_proba` spends its time here. The features are exactly
those of :meth:`CommentTagger._features` (which training and explanations use), but
computed differently:

* comments are prepared together: the ASCII ones joined into one string, so that each
  regular expression of :class:`~feedback.tagging.features.TextPreparer` and
  :func:`~feedback.text.normalise` runs once per batch instead of once per comment
  (a NUL between comments stops every pattern exactly where a comment ends);
* the words of the whole batch are found by one scan, numbered, and each distinct word
  is looked up once (stem, n-gram columns, word pieces, codebook stems);
* n-grams, phrases, word overlap and embeddings are then gathered per comment with
  numpy; the TF-IDF weights and each block's unit length are folded into the weights
  of the model instead of into a feature matrix.

The probabilities agree with the comment-by-comment computation to rounding
(``tests/test_tagging_batch.py`` checks it on thousands of comments).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from feedback.tagging.features import _WORD, TextPreparer

if TYPE_CHECKING:
    from feedback.tagging.estimator import CommentTagger

#: Word tokens (as :data:`feedback.tagging.features._TOKEN_RE`), or the NUL between comments.
_TOKENS_OR_GAP = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*|\x00")
#: Word pieces for the embeddings (as ``_PIECE_RE``); NUL is a piece of its own.
_PIECES = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_SPACES = re.compile(r"\s+")
_GAP = "\x00"


def prepare_batch(preparer: TextPreparer, texts: Sequence[str]) -> list[str]:
    """``[preparer(t) for t in texts]``, with the comments prepared in one go.

    Each step of :meth:`TextPreparer.__call__` and :func:`~feedback.text.normalise`
    runs once on the comments joined by NUL; the steps that are skipped for ASCII
    comments (emoji names, accents) change nothing in ASCII text, so they run on the
    whole batch. Comments with links (removed only from comments holding ``://`` or
    ``www.``, after the acronyms are expanded) or with NUL go one by one.
    """
    import unicodedata

    from feedback.tagging.features import _MARK_RE, _emoji_words, _mark_word
    from feedback.text import _APOSTROPHES

    out: list[str] = [""] * len(texts)
    together: list[int] = []
    for i, text in enumerate(texts):
        text = text or ""
        if _GAP not in text and "://" not in text and "www." not in text:
            together.append(i)
        else:
            out[i] = preparer(text)
    if not together:
        return out
    joined = _GAP.join([texts[i] or "" for i in together])
    plain = joined.isascii()
    if not plain:
        joined = _emoji_words(joined)
    if preparer._regex is not None:
        joined = preparer._regex.sub(preparer._expand, joined)
    if "+" in joined or "^" in joined or ":" in joined or "<" in joined:
        joined = _MARK_RE.sub(_mark_word, joined)
    if not plain:
        joined = joined.translate(_APOSTROPHES)
        if not joined.isascii():
            joined = unicodedata.normalize("NFKD", joined)
            marks = {ord(ch): None for ch in set(joined) if unicodedata.combining(ch)}
            if marks:
                joined = joined.translate(marks)
    joined = _SPACES.sub(" ", joined.lower())
    for i, text in zip(together, joined.split(_GAP), strict=True):
        out[i] = text.strip()
    return out


class BatchWords:
    """The words of a batch of prepared comments, found once and numbered.

    Attributes
    ----------
    ids : ndarray
        For each word occurrence (in comment order), its number among ``uniques``.
    uniques : list of str
        The distinct words.
    doc_of : ndarray
        The comment of each occurrence.
    starts : ndarray
        Offsets of each comment's first occurrence (one more entry: the total).
    """

    def __init__(self, prepared: Sequence[str], pattern: re.Pattern = _TOKENS_OR_GAP) -> None:
        import pandas as pd

        n = len(prepared)
        joined = _GAP.join(prepared) + _GAP
        if joined.count(_GAP) != n:
            # A comment holds NUL itself: to words and pieces alike it separates nothing.
            joined = _GAP.join(p.replace(_GAP, " ") for p in prepared) + _GAP
        found = pattern.findall(joined) if n else []
        codes, uniques = pd.factorize(pd.Series(found, dtype=object), sort=False)
        codes = np.asarray(codes, dtype=np.int64)
        gap = int(np.flatnonzero(uniques == _GAP)[0]) if n else -1
        is_gap = codes == gap
        gaps = np.flatnonzero(is_gap)
        lengths = np.diff(np.concatenate([[-1], gaps])) - 1
        self.n_docs = n
        self.uniques = list(uniques)
        self.gap = gap
        self.ids = codes[~is_gap]
        self.lengths = lengths.astype(np.int64)
        self.doc_of = np.repeat(np.arange(n, dtype=np.int64), self.lengths)
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)]).astype(np.int64)


def _csr(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, shape: tuple[int, int]):
    """A CSR matrix from entries already sorted by row (duplicates are summed by matmul)."""
    from scipy import sparse

    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return sparse.csr_matrix((data, cols, indptr), shape=shape)


def _binary(rows: np.ndarray, cols: np.ndarray, n_docs: int, width: int):
    """Binary CSR matrix of (row, col) pairs, repeats counted once.

    The pairs come as a few runs each sorted by row; repeats are dropped by hashing
    (no sort), and one stable sort (merging the runs) puts the rows in order.
    """
    import pandas as pd

    keys = pd.unique(rows * width + cols)
    order = np.argsort(keys // width, kind="stable")
    keys = keys[order]
    return _csr(keys // width, keys % width, np.ones(len(keys)), (n_docs, width))


class _Weights:
    """The model's weights rearranged for batches (built once per fitted model)."""

    def __init__(self, model: CommentTagger) -> None:
        vectoriser = model._vectoriser
        n_vocab = len(vectoriser.vocabulary)
        idf = vectoriser.idf
        coef = model.coef_
        self.n_vocab = n_vocab
        self.idf_squared = idf**2
        # X @ coef.T with X = unit(B * idf): (B @ (idf * coef.T)) / |B * idf|.
        self.vocab = (coef[:, :n_vocab].T * idf[:, None]).astype(np.float64)
        self.phrases = coef[:, n_vocab:].T * float(model.phrase_weight)
        self.embedding = model.coef_embedding_.T.astype(np.float32)
        self.n_word = vectoriser.n_word
        self.source = coef  # the weights these were made from (refitting replaces them)


def batch_logits(model: CommentTagger, texts: Sequence[str]) -> np.ndarray:
    """Log-odds of each code for raw ``texts``, shape (n, n_codes); see the module notes."""
    from feedback.tagging.prior import matcher_logits

    weights = model.__dict__.get("_batch_weights")
    if weights is None or weights.source is not model.coef_:
        weights = model.__dict__["_batch_weights"] = _Weights(model)
    prepared = prepare_batch(model._prepare, texts)
    n = len(prepared)
    words = BatchWords(prepared)
    vectoriser = model._vectoriser
    entries = [vectoriser._entry(token) for token in words.uniques]
    if words.gap >= 0:
        entries[words.gap] = ("", -1, [])
    logits = np.zeros((n, len(model.classes_)))
    # -- word n-grams and character n-grams (binary TF-IDF, each block of unit length)
    stem_names = [entry[0] for entry in entries]
    import pandas as pd

    stem_ids, stem_uniques = pd.factorize(pd.Series(stem_names, dtype=object), sort=False)
    stem_ids = np.asarray(stem_ids, dtype=np.int64)
    stem_uniques = list(stem_uniques)
    token_stems = stem_ids[words.ids] if len(words.ids) else np.zeros(0, np.int64)
    vocab = vectoriser.vocabulary
    if vocab:
        rows, cols = _word_ngrams(vectoriser, entries, words, token_stems, stem_uniques)
        word_block = _binary(rows, cols, n, len(vocab))
        char_block = _char_block(entries, words, len(vocab))
        for block in (word_block, char_block):
            norms = np.sqrt(np.asarray(block @ weights.idf_squared).ravel())
            part = np.asarray(block @ weights.vocab)
            np.divide(part, norms[:, None], out=part, where=norms[:, None] > 0)
            logits += part
    # -- phrases, word overlap, embeddings and the codebook prior
    hits = _phrase_hits(model._matcher, words, token_stems, stem_uniques)
    if model.phrase_weight:
        logits += hits @ weights.phrases
    embedded = _embed(model._embeddings, prepared)
    overlap = _overlap(model._prior, words, token_stems, stem_uniques)
    pairs = model._prior.pair_features(embedded, hits, overlap=overlap)
    prior = matcher_logits(pairs, model.matcher_)
    logits += embedded @ weights.embedding
    logits += prior * model.coef_prior_ + model.intercept_
    if model.coef_centroid_.any():
        logits += (embedded @ model.centroids_.T) * model.coef_centroid_
    return logits


class _NgramIndex:
    """The vocabulary's word n-grams (n >= 2) as sorted integer keys, for array look-ups.

    Every stem that occurs in one of them gets a number; an n-gram is the number
    ``((s1 * S) + s2) * S + ...`` of its stems' numbers (S stems in all).
    """

    def __init__(self, vectoriser) -> None:
        grams: list[tuple[list[str], int]] = []
        for feature, column in vectoriser.vocabulary.items():
            if feature.startswith(_WORD) and " " in feature:
                grams.append((feature[len(_WORD) :].split(" "), column))
        stems = sorted({s for parts, _ in grams for s in parts})
        self.stem_number = {s: i for i, s in enumerate(stems)}
        self.width = max(len(stems), 1)
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        by_length: dict[int, list[tuple[int, int]]] = {}
        for parts, column in grams:
            key = 0
            for part in parts:
                key = key * self.width + self.stem_number[part]
            by_length.setdefault(len(parts), []).append((key, column))
        for n, pairs in by_length.items():
            pairs.sort()
            self.keys[n] = (
                np.array([k for k, _ in pairs], dtype=np.int64),
                np.array([c for _, c in pairs], dtype=np.int64),
            )


def _word_ngrams(vectoriser, entries, words: BatchWords, token_stems, stem_uniques):
    """(comment, column) of every word n-gram of the vocabulary in the batch."""
    lo, hi = vectoriser.word_ngrams or (0, 0)
    rows = [np.zeros(0, np.int64)]
    cols = [np.zeros(0, np.int64)]
    if not vectoriser.word_ngrams or not len(words.ids):
        return np.concatenate(rows), np.concatenate(cols)
    if lo <= 1:
        unigram = np.array([entry[1] for entry in entries], dtype=np.int64)[words.ids]
        keep = unigram >= 0
        rows.append(words.doc_of[keep])
        cols.append(unigram[keep])
    index = vectoriser.__dict__.get("_ngram_index")
    if index is None or index.source is not vectoriser.vocabulary:
        index = vectoriser.__dict__["_ngram_index"] = _NgramIndex(vectoriser)
        index.source = vectoriser.vocabulary
    numbers = np.array([index.stem_number.get(s, -1) for s in stem_uniques], dtype=np.int64)
    token_numbers = numbers[token_stems]
    ids = words.ids
    for n in range(max(lo, 2), hi + 1):
        if len(ids) < n or n not in index.keys:
            continue
        first = np.arange(len(ids) - n + 1)
        first = first[first + n <= words.starts[words.doc_of[first] + 1]]
        keys = np.zeros(len(first), dtype=np.int64)
        known = np.ones(len(first), dtype=bool)
        for k in range(n):
            part = token_numbers[first + k]
            known &= part >= 0
            keys = keys * index.width + np.maximum(part, 0)
        first, keys = first[known], keys[known]
        vocab_keys, vocab_columns = index.keys[n]
        at = np.minimum(np.searchsorted(vocab_keys, keys), len(vocab_keys) - 1)
        hit = vocab_keys[at] == keys
        rows.append(words.doc_of[first[hit]])
        cols.append(vocab_columns[at[hit]])
    return np.concatenate(rows), np.concatenate(cols)


def _char_block(entries, words: BatchWords, width: int):
    """Binary (comments x vocabulary) matrix of the character n-grams in each comment."""
    from scipy import sparse

    n_unique = len(entries)
    lengths = np.fromiter((len(entry[2]) for entry in entries), dtype=np.int64, count=n_unique)
    ptr = np.concatenate([[0], np.cumsum(lengths)])
    flat = [c for entry in entries for c in entry[2]]
    token_chars = sparse.csr_matrix(
        (np.ones(len(flat)), np.array(flat, dtype=np.int64), ptr), shape=(n_unique, width)
    )
    doc_tokens = _csr(words.doc_of, words.ids, np.ones(len(words.ids)), (words.n_docs, n_unique))
    chars = doc_tokens @ token_chars
    chars.data[:] = 1.0  # a product has one entry per (comment, n-gram): binary as it is
    return chars


class _PhraseIndex:
    """A phrase matcher's phrases as integer keys of numbered stems, by length."""

    def __init__(self, matcher) -> None:
        phrases = [
            (key, matcher._index[code])
            for entries in matcher._by_first.values()
            for key, code, _ in entries
        ]
        stems = sorted({s for key, _ in phrases for s in key})
        self.stem_number = {s: i for i, s in enumerate(stems)}
        self.width = max(len(stems), 1)
        self.by_length: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        grouped: dict[int, list[tuple[int, int]]] = {}
        for key, code in phrases:
            number = 0
            for part in key:
                number = number * self.width + self.stem_number[part]
            grouped.setdefault(len(key), []).append((number, code))
        for n, pairs in grouped.items():
            pairs.sort()
            self.by_length[n] = (
                np.array([k for k, _ in pairs], dtype=np.int64),
                np.array([c for _, c in pairs], dtype=np.int64),
            )


def _phrase_hits(matcher, words: BatchWords, token_stems, stem_uniques) -> np.ndarray:
    """(comments x codes) 0/1: a key phrase of the code occurs (as ``indicator_stemmed``)."""
    n_codes = len(matcher.codes)
    hits = np.zeros((words.n_docs, n_codes))
    if not len(token_stems):
        return hits
    index = matcher.__dict__.get("_phrase_index")
    if index is None:
        index = matcher.__dict__["_phrase_index"] = _PhraseIndex(matcher)
    numbers = np.array([index.stem_number.get(s, -1) for s in stem_uniques], dtype=np.int64)
    token_numbers = numbers[token_stems]
    total = len(token_numbers)
    for n, (keys, codes) in index.by_length.items():
        if total < n:
            continue
        first = np.arange(total - n + 1)
        if n > 1:
            first = first[first + n <= words.starts[words.doc_of[first] + 1]]
        found = np.zeros(len(first), dtype=np.int64)
        known = np.ones(len(first), dtype=bool)
        for k in range(n):
            part = token_numbers[first + k]
            known &= part >= 0
            found = found * index.width + np.maximum(part, 0)
        first, found = first[known], found[known]
        low = np.searchsorted(keys, found, side="left")
        high = np.searchsorted(keys, found, side="right")
        matched = high > low
        docs = words.doc_of[first[matched]]
        low, high = low[matched], high[matched]
        single = high - low == 1
        hits[docs[single], codes[low[single]]] = 1.0
        for doc, start, stop in zip(docs[~single], low[~single], high[~single], strict=True):
            hits[doc, codes[start:stop]] = 1.0  # one phrase kept by several codes
    return hits


def _overlap(prior, words: BatchWords, token_stems, stem_uniques) -> np.ndarray:
    """Word-overlap cosine of each comment with each code (as ``CodebookPrior.overlap``)."""
    index = prior._stem_index
    column = np.array([index.get(s, -1) for s in stem_uniques], dtype=np.int64)
    if not len(token_stems):
        return np.zeros((words.n_docs, prior.n_codes), dtype=np.float32)
    at = column[token_stems]
    keep = at >= 0
    matrix = _binary(words.doc_of[keep], at[keep], words.n_docs, max(len(index), 1))
    matrix.data = prior._stem_idf[matrix.indices].astype(np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).astype(np.float32)
    scores = np.asarray(matrix @ prior._stem_table, dtype=np.float32)
    return np.divide(scores, norms, out=np.zeros_like(scores), where=norms > 0)


def _embed(embeddings, prepared: Sequence[str]) -> np.ndarray:
    """Unit embeddings of prepared comments (as ``embed_words`` of their pieces)."""
    pieces = BatchWords(prepared, _PIECES)
    n_unique = len(pieces.uniques)
    parts = [embeddings._word(word) for word in pieces.uniques]
    if pieces.gap >= 0:
        parts[pieces.gap] = ()
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=n_unique)
    ptr = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.fromiter((p for part in parts for p in part), dtype=np.int64, count=int(ptr[-1]))
    counts = lengths[pieces.ids]
    total = int(counts.sum())
    first = np.repeat(ptr[pieces.ids], counts)
    within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = np.repeat(pieces.doc_of, counts)
    cols = flat[first + within]
    matrix = _csr(rows, cols, np.ones(total, dtype=np.float32),
                  (pieces.n_docs, len(embeddings.vectors)))  # fmt: skip
    summed = np.asarray(matrix @ embeddings.vectors, dtype=np.float32)
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    np.divide(summed, norms, out=summed, where=norms > 0)
    return summed


__all__ = ["BatchWords", "batch_logits", "prepare_batch"]
