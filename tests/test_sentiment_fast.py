"""Tests of feedback.sentiment: the same compound scores as VADER, to the last bit."""

from __future__ import annotations

import csv
import io
import random
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from feedback.sentiment import _build_scorer, compound, compound_scores
from feedback.text import sentiment

TESTS = Path(__file__).resolve().parent
ASSETS = TESTS.parent / "src" / "feedback" / "assets"


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _vader(texts: list[str]) -> np.ndarray:
    analyzer = _analyzer()
    return np.array([analyzer.polarity_scores(text)["compound"] for text in texts])


def _assert_same(texts: list[str]) -> np.ndarray:
    """Compare with VADER (batch, one by one, and without the token cache); VADER's scores."""
    expected = _vader(texts)
    got = compound_scores(texts)
    assert got.dtype == np.float64
    assert got.shape == (len(texts),)
    # No text may differ; the first few that do are named.
    wrong = [
        (text, want, have)
        for text, want, have in zip(texts, expected, got, strict=True)
        if abs(want - have) > 1e-12
    ]
    assert wrong[:10] == []
    one_by_one = np.array([compound(text) for text in texts])
    assert np.array_equal(one_by_one, expected)
    for cache_size in (0, 40):  # every text through the full rules; a cache that fills up
        score = _build_scorer(cache_size)
        uncached = np.array([score(text) if text else 0.0 for text in texts])
        assert np.array_equal(uncached, expected)
    return expected


# -- (a) every cell of the CSV files of the tests and of the package ---------------------------
def _csv_cells() -> list[str]:
    from feedback.loaders.source import decode_text, sniff_delimiter

    files = sorted([*(TESTS / "data").rglob("*.csv"), *ASSETS.rglob("*.csv")])
    assert len(files) == 68
    cells: set[str] = set()
    for path in files:
        text = decode_text(path.read_bytes(), path.name).text
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        for row in reader:
            cells.update(cell for cell in row if cell.strip())
    return sorted(cells)


def test_every_csv_cell_scores_as_vader():
    # Every non-empty cell, so every text column (comments, answers, chat, Q&A) is in.
    cells = _csv_cells()
    assert len(cells) == 13485
    expected = _assert_same(cells)
    assert int(np.count_nonzero(expected)) == 5853


# -- (b) hand-written tricky cases ----------------------------------------------------------------
TRICKY = [
    # empty, blank, no words
    "", " ", "   ", "\t\n", "\u00a0", "\u2003good\u2003", "1234", "3.5 out of 5", "10/10",
    "100%", "!!!", "???", "?!?!", "...", "-", "--", ":", "http://example.org/great",
    "https://www.nhs.uk/best-care?ok=1", "www.good.com", "see https://x.org/fail.pdf !",
    "#great", "@sam great", "good@example.com",
    # plain lexicon words, punctuation kept or stripped
    "good", "Good.", "GOOD", "good!", "good!!", "good!!!", "good!!!!", "good!!!!!",
    "good?", "good??", "good???", "good????", "good?!", "bad", "bad!!!", "bad???",
    "ok", "ok!", "OK!", "no", "no!", "NO", "yes", "nice", "lol", "LOL", "meh", "ugh",
    "love", "\"love\"", "(love)", "'love'", "love...", "...love", "l-o-v-e", "lovely!!",
    # caps differential
    "VERY good", "very GOOD", "VERY GOOD", "This is VERY good", "This is very GOOD",
    "THIS IS VERY GOOD", "I love it", "I LOVE it", "i love IT", "The session was GREAT",
    "The session was great", "the SESSION was great", "A great talk", "a GREAT talk!",
    "SO good", "so GOOD", "NOT good", "not GOOD", "NO problem", "no PROBLEM",
    "EXTREMELY bad", "extremely BAD", "ABSOLUTELY brilliant, truly", "BRILLIANT",
    # boosters and dampeners
    "very good", "really very good", "really really good", "incredibly helpful",
    "extremely bad", "slightly bad", "somewhat good", "barely useful", "hardly helpful",
    "quite good", "totally useless", "very very very good", "more helpful", "most useful",
    "less bad", "a little sad", "marginally better", "kinda good", "sorta bad",
    "kind of great", "sort of great", "kind of", "kind", "kind words", "very kind",
    "it was kind of you", "kind of bad really", "just enough good", "only kind of good",
    "The book was only kind of good.",
    # negation
    "not bad", "not good", "not bad at all", "Not bad at all", "not very good",
    "not really good", "isn't good", "isn't bad", "wasn't great", "don't like it",
    "didn't enjoy", "doesn't help", "can't complain", "cannot complain", "won't fail",
    "never good", "never been good", "Sentiment analysis has never been good.",
    "never so good", "Sentiment analysis has never been this good!", "never this good",
    "never so bad", "never really so good", "nothing good", "none good", "nope good",
    "without doubt excellent", "Without a doubt, excellent idea.", "without any doubt good",
    "without good", "neither good nor bad", "rarely good", "seldom bad", "despite good",
    "aint good", "dont like", "isnt bad", "couldn't've been better", "shouldn't've failed",
    "wouldn't'nt good", "it ain't half bad", "uh-uh good", "uhuh bad",
    # "no"
    "no problem", "No problem!", "no problems at all", "no good", "no no good",
    "no bad", "no, good", "no or good", "no problem or nice", "no one nor bad",
    "no doubt", "no way", "no.", "no thanks", "NO thanks", "there is no hope",
    "no fun or love",
    # "least"
    "at least", "at least good", "At least it isn't a horrible book.", "least good",
    "the least good", "very least good", "the very least helpful", "least",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    # "but"
    "good but bad", "bad but good", "good, but bad", "GOOD but bad", "good BUT bad",
    "good but good", "good good but good good", "but", "but good", "good but",
    "it was great but the sound was awful", "nice but nice but nice",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol", "happy happy but sad sad",
    "not bad but not good either",
    # so / this (VADER scales by 1.25 when either is right before, three words in)
    "it was so good", "so good", "this is so good", "this good", "we found this good",
    "I am so happy", "it is this great", "we are so very happy",
    # idioms and special cases
    "the bomb", "this webinar is the bomb", "it was the bomb", "The shit", "is the shit!",
    "With VADER, sentiment analysis is the shit!", "bad ass", "a real bad ass", "badass",
    "VADER is such a badass!", "On the other hand, VADER is quite bad ass",
    "Not such a badass after all.", "bus stop", "wait at the bus stop", "yeah right",
    "oh yeah right", "yeah right, sure", "oh well yeah right", "kiss of death",
    "that was the kiss of death", "it is the kiss of death for us", "to die for",
    "the cake was to die for", "a beating heart", "the beating heart of care",
    "cut the mustard", "it did not cut the mustard", "hand to mouth", "living hand to mouth",
    "under the weather", "on the ball", "break a leg", "in the red", "in the black",
    "blowing smoke", "upper hand", "the bomb is the shit", "kind of the bomb",
    # emoticons and emoji
    ":)", ":-)", ":(", ":-(", ":D", ":d", ";)", ":P", "<3", "</3", "(:", "):", ":-D!",
    "great :)", "great :-(", "sad :(", "thanks :)", "xD", "XD", ":')", "=)", "^_^",
    "👍", "😊", "💔", "😂", "🙄", "👏👏👏", "great 👍", "great👍", "👍great", "👍 great",
    "sad 💔", "love it 😍😍", "😊😊 happy", "thanks!🙏", "❤", "❤️", "♥", "☺", "☹",
    "🇬🇧 flag", "👍🏽 skin tone", "👨‍👩‍👧 family", "©", "™ good", "⭐⭐⭐⭐⭐",
    "‼ good", "⁉", "🆗", "🆙", "🔛", "🔝 top", "no 👍", "not 😊", "very 😊",
    # accents, other scripts, odd case mappings
    "café", "très bien", "naïve approach", "Über good", "über gut", "ÜBER GOOD",
    "Ünïcödé GOOD", "gut gemacht", "Это хорошо", "素晴らしい", "good – really", "good—bad",
    "it’s good", "don’t like it", "isn’t bad", "“great”", "‘nice’", "good…", "…bad",
    "İstanbul was great", "İİİ good", "ΟΔΟΣ good", "ΣΑΣ BAD", "Σ", "ﬁne", "ﬀ good",
    "ǅ good", "𝐆𝐎𝐎𝐃 good", "𝐀 great", "Ⓐ GOOD", "Ⅻ great", "\u212a good", "\u212aISS of death",
    # mixed and longer chat comments
    "Thanks so much, really helpful session!!",
    "Can't hear anything, the sound is terrible",
    "Brilliant session, thank you all - slides please?",
    "Not sure I agree but interesting point",
    "Great point. We struggle with this too, it's really hard",
    "Sorry, what was the name of the tool?? Couldn't catch it",
    "Love this!!! 😍 So inspiring",
    "The audio keeps cutting out, frustrating :(",
    "no problem at all, happy to help",
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Most automated sentiment analysis tools are shit.",
    "Other sentiment analysis tools can be quite bad.",
    "It was one of the worst movies I've seen, despite good reviews.",
    "Unbelievably bad acting!! Poor direction. VERY poor production.",
    "GOOD GOOD GOOD bad", "good good good BAD", "a b c d e f good", "good a b c d e f",
]  # fmt: skip


def test_tricky_cases_score_as_vader():
    assert len(TRICKY) == 361
    assert len(set(TRICKY)) == 361
    expected = _assert_same(TRICKY)
    assert int(np.count_nonzero(expected)) == 294


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("not bad", 0.431),
        ("never so good", 0.5777),
        ("no problem", 0.3089),
        ("kind of great", 0.6249),
        ("this webinar is the bomb", 0.6124),
        ("good but bad", -0.5859),
        ("great 👍", 0.6249),
        ("", 0.0),
    ],
)
def test_known_scores(text, score):
    assert compound(text) == score
    assert sentiment(text) == score


def test_no_text_scores_zero():
    assert compound(None) == 0.0  # type: ignore[arg-type]
    assert sentiment("   ") == 0.0
    assert compound_scores([]).shape == (0,)
    assert compound_scores(["", "good", None]).tolist() == [0.0, 0.4404, 0.0]  # type: ignore[list-item]


# -- (c) random texts made of the words VADER treats specially ------------------------------------
_LEXICON = [
    "good", "bad", "great", "love", "hate", "nice", "awful", "happy", "sad", "brilliant",
    "terrible", "helpful", "useless", "problem", "problems", "fun", "hope", "fail", "kind",
    "no", "yes", "ok", "lol", "wow", "like", "thanks", "doubt", "bomb", "shit", "ass",
    "death", "yeah", "heart", "die", "stop", "ugh", "excellent", "worst", "best", ":)",
    ":-(", ":(", ":D", "<3", "(:", "beating", "kiss", "right",
]  # fmt: skip
_BOOSTERS = [
    "very", "really", "so", "extremely", "incredibly", "slightly", "somewhat", "barely",
    "kinda", "sorta", "more", "most", "less", "little", "totally", "quite", "fucking",
    "uber", "hardly", "almost", "just", "enough",
]  # fmt: skip
_NEGATIONS = [
    "not", "never", "isn't", "don't", "can't", "cannot", "without", "nothing", "none",
    "nor", "or", "neither", "nope", "despite", "rarely", "wouldn't've", "ain't", "dont",
    "least", "at", "but", "BUT", "But", "this", "the", "of", "sort", "to", "for", "bus",
]  # fmt: skip
_FILLERS = [
    "the", "session", "a", "was", "it", "we", "I", "slides", "team", "and", "is", "of",
    "to", "for", "data", "care", "patients", "today", "webinar", "https://x.org/a",
    "123", "-", "...", "&", "é", "café", "naïve", "İ", "ΣΑΣ",
]  # fmt: skip
_EMOJI = ["👍", "😊", "💔", "😂", "🙄", "❤", "👏", "🙏", "😍", "😢", "‼", "🆗", "🔛"]
_PUNCT = ["", "", "", "", ".", ",", "!", "!!", "!!!", "?", "??", "???", "?!", "...", ":", ";"]


def _random_texts(count: int, seed: int = 20240611) -> list[str]:
    rng = random.Random(seed)
    pools = [_LEXICON, _BOOSTERS, _NEGATIONS, _FILLERS, _EMOJI]
    weights = [5, 3, 3, 4, 1]
    texts = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(1, 14)):
            word = rng.choice(rng.choices(pools, weights)[0])
            shape = rng.random()
            if shape < 0.12:
                word = word.upper()
            elif shape < 0.2:
                word = word.capitalize()
            if rng.random() < 0.2:
                word += rng.choice(_PUNCT)
            if rng.random() < 0.05:
                word = rng.choice(["(", '"', "'", "*"]) + word
            words.append(word)
        glue = rng.choice([" ", " ", " ", "  ", "\t", " \n"])
        text = glue.join(words)
        if rng.random() < 0.1:
            text = text.upper()
        if rng.random() < 0.2:
            text += rng.choice(_PUNCT)
        if rng.random() < 0.05:
            text = "  " + text + " "
        texts.append(text)
    return texts


def test_random_texts_score_as_vader():
    texts = _random_texts(6000)
    assert len(texts) == 6000
    assert len(set(texts)) == 5828
    expected = _assert_same(texts)
    assert int(np.count_nonzero(expected)) == 5116
