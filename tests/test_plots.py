"""Charts: what each bar shows equals the table it was drawn from.

The Axes are read back (bar widths and heights, tick labels, shaded spans)
and compared with the input tables, which are made by hand.
"""

from __future__ import annotations

import itertools
from datetime import datetime

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.figure import Figure

from feedback import plots
from feedback.analysis import Burst


def bars_of(ax):
    """The bars of the first bar container of ``ax``."""
    assert ax.containers, "the Axes holds no bars"
    return list(ax.containers[0])


def tick_texts(ax, axis: str = "y") -> list[str]:
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def pixels(ax) -> tuple[int, int]:
    width, height = ax.figure.get_size_inches() * ax.figure.dpi
    return round(width), round(height)


@pytest.fixture
def counts() -> pd.DataFrame:
    """A code counts table as :func:`feedback.analysis.code_counts` returns it."""
    return pd.DataFrame(
        {
            "code": ["networks", "failure", "individual", "case_studies", "video"],
            "label": ["Networks", "Failure", "Individual", "Case studies", "Video"],
            "group": ["principle", "theme", "principle", "activity", "request"],
            "count": [12, 9, 9, 4, 0],
            "share": [0.4, 0.3, 0.3, 0.13, 0.0],
        }
    )


def test_plot_code_counts_bars_equal_counts(counts):
    ax = plots.plot_code_counts(counts, title="Themes")
    bars = bars_of(ax)
    # Codes with no comment are left out; the largest is drawn last (at the top).
    assert [b.get_width() for b in bars] == [4, 9, 9, 12]
    assert tick_texts(ax) == ["Case studies", "Individual", "Failure", "Networks"]
    assert [t.get_text().strip() for t in ax.texts] == ["4", "9", "9", "12"]
    assert [b.get_facecolor()[:3] for b in bars] == [
        pytest.approx(rgb(plots.GROUP_COLOURS[g]))
        for g in ["activity", "principle", "theme", "principle"]
    ]
    assert ax.get_title(loc="left") == "Themes"
    assert ax.get_xlabel() == "Comments"
    assert pixels(ax)[0] == 640  # shown 640 CSS px wide
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["principle", "theme", "activity"]


def rgb(hex_colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(hex_colour)


def test_plot_code_counts_long_labels_wrap_and_max_codes():
    table = pd.DataFrame(
        {
            "code": [f"c{i}" for i in range(20)],
            "label": ["A rather long label that needs wrapping onto two lines"]
            + [f"Code {i}" for i in range(1, 20)],
            "group": ["theme"] * 20,
            "count": list(range(40, 20, -1)),
            "share": [0.0] * 20,
        }
    )
    ax = plots.plot_code_counts(table, max_codes=15)
    assert [b.get_width() for b in bars_of(ax)] == list(range(26, 41))
    top = tick_texts(ax)[-1]
    # Wrapped at 24 characters to fit the 6.4-inch chart.
    assert top == "A rather long label that\nneeds wrapping onto two\nlines"
    assert ax.get_legend() is None  # one group: no legend


def test_plot_code_counts_on_a_given_axes(counts):
    figure = Figure(figsize=(16, 9), dpi=100)
    left, right = figure.subplots(1, 2)
    returned = plots.plot_code_counts(counts, ax=right, title="Survey")
    assert returned is right
    assert not left.containers
    assert [b.get_width() for b in bars_of(right)] == [4, 9, 9, 12]


def test_alt_code_counts_names_every_bar(counts):
    alt = plots.alt_code_counts(counts, "messages")
    assert alt == (
        "Bar chart of messages per code, largest first: Networks 12, Failure 9, Individual 9, "
        "Case studies 4."
    )
    empty = counts.assign(count=0)
    assert plots.alt_code_counts(empty) == "Bar chart: no comments carried a code."


@pytest.fixture
def per_minute() -> pd.Series:
    index = pd.date_range("2026-03-12 10:00", periods=6, freq="min")
    return pd.Series([2, 0, 5, 7, 1, 0], index=index, dtype="int64")


def test_plot_timeline_bars_equal_messages_per_minute(per_minute):
    burst = Burst("failure", pd.Timestamp("2026-03-12 10:02:10"),
                  pd.Timestamp("2026-03-12 10:03:50"), 9)  # fmt: skip
    ax = plots.plot_timeline(per_minute, [burst], labels={"failure": "Failure"})
    bars = bars_of(ax)
    assert [b.get_height() for b in bars] == [2, 0, 5, 7, 1, 0]
    assert [b.get_x() for b in bars] == pytest.approx(
        [mdates.date2num(t) for t in per_minute.index]
    )
    # One shaded span, from the burst's first minute to the end of its last minute.
    spans = [p for p in ax.patches if p not in bars]
    assert len(spans) == 1
    x0, x1 = spans[0].get_x(), spans[0].get_x() + spans[0].get_width()
    assert x0 == pytest.approx(mdates.date2num(datetime(2026, 3, 12, 10, 2)))
    assert x1 == pytest.approx(mdates.date2num(datetime(2026, 3, 12, 10, 4)))
    assert [t.get_text() for t in ax.texts] == ["Failure: 9"]
    assert ax.get_ylabel() == "Chat messages per minute"
    assert pixels(ax)[0] == 640  # shown 640 CSS px wide


def test_alt_timeline(per_minute):
    burst = Burst("failure", pd.Timestamp("2026-03-12 10:02:10"),
                  pd.Timestamp("2026-03-12 10:03:50"), 9)  # fmt: skip
    alt = plots.alt_timeline(per_minute, [burst], {"failure": "Failure"})
    assert alt == (
        "Bar chart of chat messages per minute from 10:00 to 10:05, peaking at 7 messages at "
        "10:03. Shaded bursts: Failure: 9 messages in 2 minutes from 10:02."
    )
    assert plots.alt_timeline(pd.Series(dtype="int64"), [], {}) == (
        "Timeline chart: no timed messages."
    )


def distribution(answers: list[str], counts: list[int]) -> pd.DataFrame:
    total = sum(counts)
    return pd.DataFrame({"answer": answers, "count": counts, "share": [c / total for c in counts]})


def test_plot_likert_segments_equal_shares():
    scale = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    first = distribution(scale, [1, 3, 4, 8, 4])  # 5%, 15%, 20%, 40%, 20%
    second = distribution(scale, [0, 2, 2, 10, 6])  # 0%, 10%, 10%, 50%, 30%
    ax = plots.plot_likert({"Clear?": first, "Useful?": second})
    bars = list(ax.patches)
    assert len(bars) == 10
    # The first question is drawn on the top row (y = 1), the last at the bottom (y = 0).
    assert tick_texts(ax) == ["Useful?", "Clear?"]
    rows: dict[float, list] = {}
    for bar in bars:
        rows.setdefault(round(bar.get_y() + bar.get_height() / 2, 6), []).append(bar)
    for y, table in ((1.0, first), (0.0, second)):
        segments = rows[y]
        widths = [b.get_width() for b in segments]
        assert widths == pytest.approx((table["share"] * 100).tolist())
        # Negative answers and half of the middle one lie left of zero.
        shares = (table["share"] * 100).tolist()
        assert segments[0].get_x() == pytest.approx(-(shares[0] + shares[1] + shares[2] / 2))
        middle = segments[2]
        assert middle.get_x() + middle.get_width() / 2 == pytest.approx(0)
        # Segments follow each other without gaps.
        for a, b in itertools.pairwise(segments):
            assert b.get_x() == pytest.approx(a.get_x() + a.get_width())
    # The legend sits below the chart, on the figure (clear of the axis label).
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert legend == scale
    assert pixels(ax)[0] == 640  # shown 640 CSS px wide


def test_plot_likert_even_scale_splits_at_zero():
    scale = ["Poor", "Fair", "Good", "Excellent"]
    ax = plots.plot_likert({"Overall": distribution(scale, [1, 1, 4, 4])})
    bars = list(ax.patches)
    assert [b.get_width() for b in bars] == pytest.approx([10, 10, 40, 40])
    assert bars[2].get_x() == pytest.approx(0)  # positive answers start at zero
    assert bars[0].get_x() == pytest.approx(-20)


def test_plot_rating_bars_every_score_shown():
    table = distribution(["1", "2", "3", "4", "5"], [0, 1, 2, 19, 20])
    ax = plots.plot_rating_bars(table, title="How useful did you find today's webinar?")
    assert [b.get_height() for b in bars_of(ax)] == [0, 1, 2, 19, 20]
    assert tick_texts(ax, "x") == ["1", "2", "3", "4", "5"]
    assert [t.get_text() for t in ax.texts] == ["0", "1", "2", "19", "20"]
    assert ax.get_title(loc="left") == "How useful did you find today's webinar?"
    assert ax.get_xlabel() == "Rating"
    assert ax.get_ylabel() == "Survey respondents"


def test_plot_choice_counts_bars_equal_counts():
    table = pd.DataFrame(
        {"answer": ["Case studies", "Short videos", "Podcast"], "count": [21, 16, 8],
         "share": [0.5, 0.38, 0.19]}
    )  # fmt: skip
    ax = plots.plot_choice_counts(table, title="Which of these resources would you use?")
    assert [b.get_width() for b in bars_of(ax)] == [8, 16, 21]
    assert tick_texts(ax) == ["Podcast", "Short videos", "Case studies"]


def test_plot_group_counts_other_in_grey():
    counts = pd.Series({"United Kingdom": 89, "Ireland": 4, "Other": 6})
    ax = plots.plot_group_counts(counts, title="Attendees by country")
    bars = bars_of(ax)
    assert [b.get_width() for b in bars] == [6, 4, 89]
    assert tick_texts(ax) == ["Other", "Ireland", "United Kingdom"]
    assert bars[0].get_facecolor()[:3] == pytest.approx(rgb(plots.PALETTE["grey"]))


def test_plot_sentiment_by_code_segments_equal_shares():
    table = pd.DataFrame(
        {"code": ["failure", "benefit"], "label": ["Failure", "Benefit"], "count": [10, 5],
         "mean": [-0.1, 0.4], "positive": [0.4, 0.8], "neutral": [0.2, 0.2],
         "negative": [0.4, 0.0]}
    )  # fmt: skip
    ax = plots.plot_sentiment_by_code(table)
    negative, neutral, positive = ax.containers
    # Rows are drawn bottom-up: benefit first.
    assert [b.get_width() for b in positive] == pytest.approx([80, 40])
    assert [b.get_width() for b in neutral] == pytest.approx([20, 20])
    assert [-b.get_width() for b in negative] == pytest.approx([10, 50])
    assert tick_texts(ax) == ["Benefit (5)", "Failure (10)"]


def test_save_figure_writes_a_960_px_wide_png_at_150_dpi(tmp_path, counts):
    ax = plots.plot_code_counts(counts)
    path = tmp_path / "codes.png"
    plots.save_figure(ax.figure, path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 960
    height = ax.figure.get_size_inches()[1]
    assert int.from_bytes(data[20:24], "big") == round(height * 150)


def test_new_figure_is_640_css_px_wide_and_not_pyplot():
    figure = plots.new_figure()
    assert tuple(figure.get_size_inches() * figure.dpi) == (640, 360)
    assert figure.canvas.manager is None  # not registered with pyplot
