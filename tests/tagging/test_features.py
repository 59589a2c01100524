"""Tests of the chat-register preparation, the static embeddings and the acronym glossary."""

from __future__ import annotations

import numpy as np
import pytest

from feedback.codebook import load_codebook, parse_codebook
from feedback.exceptions import CodebookError
from feedback.tagging.embeddings import StaticEmbeddings, load_embeddings
from feedback.tagging.features import TextPreparer


@pytest.fixture(scope="module")
def prepare() -> TextPreparer:
    return TextPreparer(load_codebook().acronyms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "our ICB has no money for QI",
            "our icb integrated care board has no money for qi quality improvement",
        ),
        ("the icb and the PCNs", "the icb integrated care board and the pcns"),
        ("GP practices", "gp general practice practices"),
        # Acronyms of two letters are matched only as written ("gp" could be anything).
        ("gp practices", "gp practices"),
        ("+1 to more case studies", "plusone to more case studies"),
        ("^ this", "uparrow this"),
        ("^^", "uparrow"),
        ("great session 👍👍", "great session thumbs up thumbs up"),
        ("loved it :) see you 🙏🏽", "loved it smiling face see you person with folded hands"),
        ("C++ and 1+1=2", "c++ and 1+1=2"),
    ],
)
def test_text_preparer(prepare, text, expected):
    assert prepare(text) == expected


def test_preparer_without_acronyms_only_normalises():
    assert TextPreparer()("Our  ICB’s plan") == "our icb's plan"


def test_codebook_acronyms_are_read_and_kept_in_the_dict():
    book = parse_codebook(
        "acronyms:\n  VW: virtual ward\n  HCA: healthcare assistant\n"
        "codes:\n  - {id: a, label: A, group: theme}\n"
    )
    assert book.acronyms == (("VW", "virtual ward"), ("HCA", "healthcare assistant"))
    assert book.to_dict()["acronyms"] == {"VW": "virtual ward", "HCA": "healthcare assistant"}
    assert TextPreparer(book.acronyms)("the vw team") == "the vw team"
    assert TextPreparer(book.acronyms)("the VW team") == "the vw virtual ward team"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("acronyms: [ICB]\n", "must be a mapping of acronym to its meaning"),
        ("acronyms:\n  two words: x\n", "must be one word"),
        ("acronyms:\n  ICB: ''\n", "needs a text meaning"),
    ],
)
def test_bad_acronyms_are_refused(block, message):
    with pytest.raises(CodebookError, match=message):
        parse_codebook(block + "codes:\n  - {id: a, label: A, group: theme}\n", "book.yaml")


def test_default_codebook_glossary_holds_the_usual_acronyms():
    acronyms = dict(load_codebook().acronyms)
    for acronym in ("ICB", "PCN", "QI", "AHP", "VCSE", "MDT"):
        assert acronym in acronyms


def test_wordpiece_split_is_greedy_longest_first():
    table = StaticEmbeddings(
        ["un", "##want", "##ed", "want", "##wanted"], np.eye(5, dtype=np.float32)
    )
    assert table.pieces_of("unwanted") == [0, 4]
    assert table.pieces_of("wanted") == [3, 2]
    assert table.pieces_of("xyz") == []


def test_embeddings_are_unit_rows_and_zero_for_unknown_text():
    table = load_embeddings()
    vectors = table.embed(["share the slides please", "", "🙂"])
    assert vectors.shape == (3, table.dims) == (3, 256)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
    assert not vectors[1].any()


def test_shipped_embeddings_match_their_recorded_fingerprint():
    import hashlib

    table = load_embeddings()
    pieces = [""] * len(table.index)
    for piece, i in table.index.items():
        pieces[i] = piece
    digest = hashlib.sha256(
        table.vectors.astype(np.float16).tobytes() + "\n".join(pieces).encode()
    ).hexdigest()
    assert digest == table.sha256
    assert len(pieces) == 29522


def test_embeddings_put_related_comments_closer():
    table = load_embeddings()
    a, b, c = table.embed(
        [
            "half my patients have no wifi or smartphone",
            "many people cannot afford broadband or a tablet",
            "the speaker explained the governance board structure",
        ]
    )
    assert a @ b > a @ c


def test_ngram_features_of_a_batch_are_those_of_each_comment_alone():
    from scipy import sparse

    from feedback.tagging.features import _Vectoriser

    train = ["we need more staff", "more staff on the ward", "the ward needs staff", "staff"]
    vectoriser = _Vectoriser((1, 3), (3, 4), min_df=1).fit(train)
    names = vectoriser.feature_names()
    texts = ["more staff on the ward please", "", "ward staff staff", "we need more staff"]
    stems: list[str] = []
    batch = vectoriser.transform(texts, stems_out=stems)
    alone = sparse.vstack([vectoriser.transform([t]) for t in texts]).tocsr()
    assert abs(batch - alone).max() == 0
    assert stems == [
        " more staff on the ward pleas ",
        "  ",
        " ward staff staff ",
        " we need more staff ",
    ]
    # Word n-grams never run from one comment into the next ("ward" + "ward staff").
    row = batch.getrow(3)
    words = sorted(names[i] for i in row.indices if names[i].startswith("w:"))
    assert words == ["w:more", "w:more staff", "w:need", "w:need more", "w:need more staff",
                     "w:staff", "w:we", "w:we need", "w:we need more"]  # fmt: skip
    assert batch.getrow(1).nnz == 0
    assert np.allclose(np.asarray(batch.multiply(batch).sum(axis=1)).ravel(), [2, 0, 2, 2])


def test_emoji_become_words_and_other_characters_stay():
    from feedback.tagging.features import _emoji_words

    # Accents, CJK, arrows (a maths symbol) and the trade mark sign (below U+2190) are kept;
    # pictographs become names and the skin tone and variation selector become spaces.
    assert _emoji_words("Café 👍🏽 great ❤️ → done ✔ 中 ™") == (
        "Café  thumbs up   great  heavy black heart   → done  heavy check mark  中 ™"
    )
    assert _emoji_words("plain text") == "plain text"
