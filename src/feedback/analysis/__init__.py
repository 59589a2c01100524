"""Tables for the report: tagging items, code counts, bursts, questions, survey summaries.

Every function takes tables and returns tables (or plain records); nothing here
prints, plots or writes files. The modules, one concern each:

- :mod:`~feedback.analysis.tagged`: tagging an items table, labels and scores, selections
- :mod:`~feedback.analysis.counts`: comments per code and their tone
- :mod:`~feedback.analysis.conversation`: messages per minute, bursts
- :mod:`~feedback.analysis.questions`: questions asked and whether they were answered
- :mod:`~feedback.analysis.quotes`: representative quotes
- :mod:`~feedback.analysis.survey`: survey questions, ratings, choices, opt-ins
- :mod:`~feedback.analysis.headline`: the headline figures of one webinar
- :mod:`~feedback.analysis.series`: figures that compare the webinars of a series
"""

from feedback.analysis.conversation import Burst, find_bursts, messages_per_minute
from feedback.analysis.counts import code_counts, sentiment_by_code
from feedback.analysis.headline import Headline, headline_figures, question_counts
from feedback.analysis.questions import find_questions, speaker_names
from feedback.analysis.quotes import representative_quotes
from feedback.analysis.series import series_code_shares
from feedback.analysis.survey import (
    KNOWN_SCALES,
    choice_counts,
    eligible_respondents,
    opt_in_question,
    positive_share,
    rating_distribution,
    survey_answers,
    survey_questions,
)
from feedback.analysis.tagged import (
    CONVERSATION_KINDS,
    labels_of,
    public_conversation,
    require_tagged,
    score_of,
    shareable,
)
from feedback.tagging.apply import PARALLEL_FROM, tag_items, taggable_mask

__all__ = [
    "CONVERSATION_KINDS",
    "KNOWN_SCALES",
    "PARALLEL_FROM",
    "Burst",
    "Headline",
    "choice_counts",
    "code_counts",
    "eligible_respondents",
    "find_bursts",
    "find_questions",
    "headline_figures",
    "labels_of",
    "messages_per_minute",
    "opt_in_question",
    "positive_share",
    "public_conversation",
    "question_counts",
    "rating_distribution",
    "representative_quotes",
    "require_tagged",
    "score_of",
    "sentiment_by_code",
    "series_code_shares",
    "shareable",
    "speaker_names",
    "survey_answers",
    "survey_questions",
    "tag_items",
    "taggable_mask",
]
