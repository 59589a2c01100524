"""Tests of feedback.text: normalising, stemming, phrase matching, questions, sentiment."""

from __future__ import annotations

import pytest

from feedback.text import (
    PhraseMatcher,
    is_question,
    normalise,
    question_topic,
    sentiment,
    sentiment_label,
    stem,
    stem_tokens,
    stemmed_text,
    tokenise,
)


# -- normalising and stemming ----------------------------------------------------------------
def test_normalise():
    assert normalise("Won\u2019t   work HERE https://x.org/a?b=1") == "won't work here"
    assert normalise("  Caf\u00e9 na\u00efve\nR\u00e9sum\u00e9 ") == "cafe naive resume"
    assert normalise("see www.example.org now") == "see now"
    assert normalise("") == ""
    assert normalise(None) == ""


def test_tokenise_keeps_apostrophes_and_hyphens_inside_words():
    assert tokenise("Co-design WON\u2019T work, e-mail me!") == [
        "co-design",
        "won't",
        "work",
        "e-mail",
        "me",
    ]
    assert tokenise("--- ... !!!") == []


def test_stemming():
    assert stem("failing") == stem("fails") == stem("failed") == "fail"
    assert stem("co-designing") == "co-design"
    assert stem_tokens("Failing fast, learning faster") == ["fail", "fast", "learn", "faster"]
    assert stemmed_text("We FAILED!") == " we fail "
    assert stemmed_text("") == "  "


# -- phrase matching -----------------------------------------------------------------------------
def test_phrase_matching_uses_stems():
    matcher = PhraseMatcher({"failure": ["fail"]})
    assert matcher.match("We keep failing and that's fine") == {"failure": ["fail"]}
    assert matcher.match("Our pilot FAILED twice") == {"failure": ["fail"]}
    assert matcher.match("a failsafe plan") == {}


def test_phrase_matching_respects_word_boundaries():
    matcher = PhraseMatcher({"social": ["hi"]})
    assert matcher.match("Hi all") == {"social": ["hi"]}
    assert matcher.match("this is a high bar") == {}
    assert matcher.match("shipping things") == {}


def test_multi_word_phrases_match_in_order_only():
    matcher = PhraseMatcher({"case_studies": ["case study", "real example"]})
    assert matcher.match("More case studies please") == {"case_studies": ["case study"]}
    assert matcher.match("A study of the case") == {}
    # Phrases are listed in the order they occur.
    assert matcher.match("real examples and a case study") == {
        "case_studies": ["real example", "case study"]
    }


def test_phrases_with_punctuation_between_words_still_match():
    matcher = PhraseMatcher({"failure": ["fail fast"]})
    assert matcher.match("We fail. Fast!") == {"failure": ["fail fast"]}


def test_overlapping_phrases_at_different_starts_are_all_found():
    matcher = PhraseMatcher({"failure": ["fail fast"], "timeframes": ["fast track"]})
    assert matcher.match("Can we fail fast track the rest?") == {
        "failure": ["fail fast"],
        "timeframes": ["fast track"],
    }


def test_two_phrases_of_one_code_are_both_reported():
    matcher = PhraseMatcher({"social": ["good morning", "joining from"]})
    assert matcher.match("Good morning everyone, joining from Swansea") == {
        "social": ["good morning", "joining from"]
    }


def test_same_phrase_in_two_codes_matches_both():
    matcher = PhraseMatcher({"video": ["recording"], "logistics": ["recordings"]})
    assert matcher.match("Will the recording be shared") == {
        "video": ["recording"],
        "logistics": ["recordings"],
    }


def test_nested_phrases_starting_at_the_same_word_are_all_found():
    matcher = PhraseMatcher({"failure": ["failure"], "case_studies": ["failure stories"]})
    assert matcher.match("We want more failure stories") == {
        "case_studies": ["failure stories"],
        "failure": ["failure"],
    }
    assert matcher.indicator(["We want more failure stories"]).toarray().tolist() == [[1.0, 1.0]]


def test_a_long_and_a_short_phrase_of_one_code_are_both_reported():
    matcher = PhraseMatcher({"failure": ["fail fast", "fail"]})
    assert matcher.match("We failed fast") == {"failure": ["fail fast", "fail"]}


def test_indicator_matrix():
    matcher = PhraseMatcher({"failure": ["fail"], "social": ["hello"], "logistics": ["no sound"]})
    matrix = matcher.indicator(["Hello, we failed", "no sound", "nothing here", "fail fail fail"])
    assert matrix.shape == (4, 3)
    assert matrix.toarray().tolist() == [
        [1.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
    ]


def test_matcher_without_phrases_matches_nothing():
    matcher = PhraseMatcher({"a": [], "b": ["!!!"]})
    assert matcher.match("anything at all") == {}
    assert matcher.indicator(["x", "y"]).shape == (2, 2)
    assert matcher.indicator(["x", "y"]).nnz == 0


def test_phrase_match_with_apostrophes_and_curly_quotes():
    matcher = PhraseMatcher({"logistics": ["can't hear"]})
    assert matcher.match("I can\u2019t hear a thing") == {"logistics": ["can't hear"]}
    assert matcher.match("CAN'T HEAR") == {"logistics": ["can't hear"]}


# -- questions ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Will the slides be shared?",
        "Can't hear anything, is it just me?",
        "slides?",
        "Is the recording going to be shared",
        "how do we get board buy in",
        "What evidence would convince a finance director",
        "Where can I find the guide",
        "Why did the pilot stop",
        "Does anyone have a template for the business case",
        "wondering how you measured the benefit for staff",
        "Any tips for getting consultants on board",
        "Great talk. How did you fund the posts",
        "@Sam is there a link to the toolkit",
        "What do you think is the biggest barrier",
        "What would you say is the key lesson",
        "What is the evidence that it works",
        "What is it that makes it stick",
    ],
)
def test_questions(text):
    assert is_question(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "What a brilliant session!",
        "What we learned was that nurses led the change",
        "What worked on our ward did not work next door",
        "What really struck me was the energy in the room",
        "How we spread it was mostly word of mouth",
        "How lovely to see so many familiar faces",
        "How refreshing to hear a chief executive talk about failure",
        "Thanks, great session",
        "See https://example.org/faq?id=3 for the details",
        "Is this brilliant or what!",
        "",
        "   ",
    ],
)
def test_statements(text):
    assert is_question(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "What would help is more case studies",
        "What is clear is that funding matters",
        "What was missing was time to reflect",
    ],
)
def test_what_statements_with_a_second_verb_are_not_questions(text):
    assert is_question(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "please share the link",
        "slides pls",
        "would love to hear how other ICBs resource this",
        "I'd be interested in whether the ward kept its staff",
        "is this being recorded",
        "sorry if I missed it but what was the sample size",
        "I am struck by the absence of communication ... why was there not more focus on families",
        "Tom did the ICB fund the posts or the trust",
        "out of interest, who led the co-design",
        "if anyone finds the page can you drop it in here",
        "the survey link isn't working for me",
        "still interested in the staffing question if there's time",
        "did reception get any training before go-live",
    ],
)
def test_questions_without_a_question_mark(text):
    assert is_question(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "have a look at the Academy of Fab Stuff",
        "After action reviews: what did we expect, what happened, why was there a difference",
        "why not.",
        "She asked me 'why bother?' and walked off",
        'she said "is this ever going to work?" and we all laughed',
        "Here is the report https://example.org/report?id=4",
        "We started in 2019 (?) with two wards",
        "each trust does its own, which is exactly the problem",
        "Did this last year and it worked",
        "the big question for us was how to fund it",
        "that's the real question isn't it",
        "We ask three questions: what went well? what didn't? what next?",
        "Sam, do you want to take Ali's question?",
        "Who knew a spreadsheet could be so divisive?",
        "we spent a year on it, any guidance would have helped",
        "Happy to connect with anyone doing this in mental health",
        "sorted, thank you! was my headset",
        "What's worked for us:\n- small wins shared monthly",
    ],
)
def test_not_questions_despite_question_words_or_marks(text):
    assert is_question(text) is False


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("could we have the slide as a separate image?", "session"),
        ("where can I find the recording", "session"),
        ("will we get a certificate", "session"),
        ("can you pop the evaluation link in the chat", "session"),
        ("no sound, is it just me", "session"),
        ("is there a follow up session planned?", "session"),
        ("the link gives me a 404", "session"),
        ("what was the sample size", "topic"),
        ("on slide 12, how did you measure outcomes?", "topic"),
        ("what's the link between frailty and falls?", "topic"),
        ("what does ICB stand for", "topic"),
        ("", "topic"),
    ],
)
def test_question_topic(text, topic):
    assert question_topic(text) == topic


# -- sentiment ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "This was brilliant, really inspiring and useful, thank you!",
        "Loved the case studies, great session",
    ],
)
def test_clearly_positive_comments(text):
    score = sentiment(text)
    assert 0.5 < score <= 1.0
    assert sentiment_label(score) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Awful sound, I could not hear anything and it was a waste of time",
        "Terrible, frustrating and disappointing",
    ],
)
def test_clearly_negative_comments(text):
    score = sentiment(text)
    assert -1.0 <= score < -0.5
    assert sentiment_label(score) == "negative"


def test_empty_text_is_neutral():
    assert sentiment("") == 0.0
    assert sentiment("   ") == 0.0
    assert sentiment_label(0.0) == "neutral"


def test_sentiment_label_cut_offs():
    assert sentiment_label(0.05) == "positive"
    assert sentiment_label(0.0499) == "neutral"
    assert sentiment_label(-0.0499) == "neutral"
    assert sentiment_label(-0.05) == "negative"
