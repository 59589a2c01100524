"""Sentence embeddings from a small static model shipped with the package.

The table in ``assets/models/minilm_static.npz`` holds one vector per word piece
of all-MiniLM-L6-v2's vocabulary, distilled once from the transformer by
``scripts/build_static_embeddings.py`` (see there and ``assets/models/NOTICE.md``).
A comment's embedding is the mean of the vectors of its word pieces, L2-normalised:
the same WordPiece rules as the transformer's tokeniser, in plain Python with a
per-word cache, and one sparse-times-dense product per batch. Nothing is downloaded
and no transformer runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

#: File of the shipped table, inside ``feedback.assets/models``.
EMBEDDINGS_FILE = "minilm_static.npz"
_WORD_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_MAX_WORD = 100


class StaticEmbeddings:
    """Word-piece vectors and the tokeniser that splits text into those pieces.

    Parameters
    ----------
    pieces : sequence of str
        The vocabulary; pieces that continue a word start with ``##``.
    vectors : ndarray of shape (n_pieces, dims)
    sha256 : str
        Fingerprint of the table (recorded in models trained with it).

    Examples
    --------
    >>> table = StaticEmbeddings(["good", "##ish", "talk"], np.eye(3, dtype=np.float32))
    >>> table.pieces_of("goodish")
    [0, 1]
    """

    def __init__(self, pieces: Sequence[str], vectors: np.ndarray, sha256: str = "") -> None:
        if len(pieces) != len(vectors):
            raise ValueError(f"{len(pieces)} pieces but {len(vectors)} vectors")
        self.index = {piece: i for i, piece in enumerate(pieces)}
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.sha256 = sha256
        self._cache: dict[str, tuple[int, ...]] = {}

    @property
    def dims(self) -> int:
        """Length of each vector."""
        return int(self.vectors.shape[1])

    def pieces_of(self, word: str) -> list[int]:
        """Indices of the word pieces of one word (greedy longest match first)."""
        if len(word) > _MAX_WORD:
            return []
        index = self.index
        out: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = -1
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = index.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0:
                return []  # like [UNK]: the word adds nothing
            out.append(found)
            start = end
        return out

    def _word(self, word: str) -> tuple[int, ...]:
        entry = self._cache.get(word)
        if entry is None:
            entry = tuple(self.pieces_of(word))
            if len(self._cache) < 500_000:
                self._cache[word] = entry
        return entry

    def embed_words(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """Embeddings of documents given as lists of normalised words.

        Returns
        -------
        ndarray of shape (n_documents, dims), float32
            Unit rows; all zeros for a document with no known piece.
        """
        from scipy import sparse

        cols: list[int] = []
        ptr = [0]
        word = self._word
        for words in documents:
            for token in words:
                cols.extend(word(token))
            ptr.append(len(cols))
        counts = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), np.array(cols, dtype=np.int64), np.array(ptr)),
            shape=(len(documents), len(self.vectors)),
        )
        summed = np.asarray(counts @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        np.divide(summed, norms, out=summed, where=norms > 0)
        return summed

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of raw texts (normalised and split here); see :meth:`embed_words`."""
        from feedback.text import normalise

        return self.embed_words([words(normalise(text)) for text in texts])


def words(normalised: str) -> list[str]:
    """Words and single punctuation marks of normalised text, as BERT's basic tokeniser."""
    return _WORD_RE.findall(normalised)


@lru_cache(maxsize=1)
def load_embeddings() -> StaticEmbeddings:
    """The shipped table (read once per process).

    Raises
    ------
    ModelError
        When the file is missing or damaged.
    """
    import io
    import json
    from importlib.resources import files

    from feedback.exceptions import ModelError

    entry = files("feedback.assets").joinpath("models").joinpath(EMBEDDINGS_FILE)
    try:
        data = entry.read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            vectors = archive["vectors"]
            pieces = str(archive["pieces"]).split("\n")
            meta = json.loads(str(archive["meta"]))
    except (OSError, KeyError, ValueError) as error:
        raise ModelError(
            f"the static embeddings ({EMBEDDINGS_FILE}) are missing or damaged in the "
            f"installation ({error})"
        ) from None
    return StaticEmbeddings(pieces, vectors, sha256=str(meta.get("sha256", "")))
