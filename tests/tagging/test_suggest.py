"""Tests of phrase suggestions from labelled comments (``feedback codebook suggest``)."""

from __future__ import annotations

from feedback.codebook import parse_codebook
from feedback.tagging.suggest import suggest_phrases

BOOK = parse_codebook(
    "codes:\n"
    "  - {id: kit, label: Kit, group: theme, phrases: [tablet]}\n"
    "  - {id: staff, label: Staff, group: theme}\n"
    "  - {id: rare, label: Rare, group: theme}\n"
)
TEXTS = [
    "the blood pressure cuff kept failing",
    "our blood pressure cuff needs charging every day",
    "pulse oximeter readings wrong on dark skin",
    "the tablet froze again, and the blood pressure cuff",
    "night shift nurses have no training on the kit",
    "we lost two band 6 nurses to the acute trust",
    "night shift cover is the hardest part",
    "training for nurses is booked for next month",
    "rare thing",
]
LABELS = ["kit", "kit", "kit", "kit", "staff;kit", "staff", "staff", "staff", "rare"]


def test_suggests_distinctive_phrases_of_each_code():
    found = suggest_phrases(TEXTS, LABELS, BOOK, top=3)
    kit = [(s.phrase, s.in_code, s.code_total, s.elsewhere) for s in found["kit"]]
    assert kit[0] == ("blood pressure cuff", 3, 5, 0)
    staff = [s.phrase for s in found["staff"]]
    assert staff[:2] == ["nurses", "night shift"]
    # "shift" alone is inside "night shift", already chosen; "tablet" is a phrase already.
    assert "shift" not in staff
    assert all(s.phrase != "tablet" for s in found["kit"])


def test_codes_with_fewer_than_three_comments_get_nothing():
    assert suggest_phrases(TEXTS, LABELS, BOOK)["rare"] == []
