"""Charts worth publishing: nothing clipped, whole-number counts, unique names, legible text.

Every chart of the sample report (and of a series overview) is drawn, and the
extents of its texts, legends and bars are read back from the renderer.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from feedback import plots
from feedback.analysis import Burst
from feedback.report.build import chart_slug


def draw(figure):
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def shown_texts(figure):
    """Every text drawn on the figure (tick labels outside the view left out)."""
    renderer = draw(figure)
    texts = []
    for ax in figure.axes:
        for axis, low_high in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted(low_high)
            for tick in axis.get_major_ticks():
                if tick.label1.get_visible() and low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    texts.append(tick.label1)
        texts += [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    for legend in figure.legends:
        texts += legend.get_texts()
    return renderer, [t for t in texts if t.get_visible() and t.get_text().strip()]


def assert_inside(figure, name=""):
    renderer, texts = shown_texts(figure)
    width, height = figure.bbox.width, figure.bbox.height
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= -0.5 and box.x1 <= width + 0.5, (name, text.get_text())
        assert box.y0 >= -0.5 and box.y1 <= height + 0.5, (name, text.get_text())


def all_charts(report):
    charts = dict(report.charts)
    for page in report.pages.values():
        charts.update(page.charts)
    return charts


# -- the sample report ------------------------------------------------------------------------
def test_every_text_of_every_sample_chart_is_inside_its_figure(sample_report):
    report, _ = sample_report
    assert len(report.charts) >= 8
    for name, chart in report.charts.items():
        assert_inside(chart.figure, name)


def test_text_is_legible_at_phone_width(sample_report):
    # A chart shown 330 CSS px wide (a phone) is scaled by 330 / (WIDTH * 72) per point.
    report, _ = sample_report
    scale = 330 / (plots.WIDTH * 72)
    for name, chart in report.charts.items():
        _, texts = shown_texts(chart.figure)
        smallest = min(t.get_fontsize() for t in texts)
        assert smallest * scale >= 8.5, (name, smallest)


def test_count_axes_have_whole_number_ticks(sample_report):
    report, _ = sample_report
    checked = 0
    for name, chart in report.charts.items():
        ax = chart.figure.axes[0]
        label = (ax.get_xlabel() + " " + ax.get_ylabel()).lower()
        if "share" in label:
            continue
        draw(chart.figure)
        axis = ax.yaxis if ("per minute" in label or "respondents" in ax.get_ylabel().lower()) \
            else ax.xaxis  # fmt: skip
        values = [t.get_loc() for t in axis.get_major_ticks()]
        assert values and all(float(v).is_integer() for v in values), (name, values)
        checked += 1
    assert checked >= 6


def test_every_chart_says_what_it_counts(sample_report):
    report, _ = sample_report
    codes = next(c for n, c in report.charts.items() if n.endswith("-codes"))
    tone = next(c for n, c in report.charts.items() if n.endswith("-tone"))
    assert codes.figure.axes[0].get_xlabel() == "Public chat messages and Q&A questions"
    assert "chat messages and Q&A questions" in tone.figure.axes[0].get_xlabel().replace("\n", " ")
    for name, chart in report.charts.items():
        ax = chart.figure.axes[0]
        assert (ax.get_xlabel() + ax.get_ylabel()).strip(), name


def test_codes_and_tone_charts_count_the_same_messages(sample_report):
    # Both count public chat messages and Q&A questions: the numbers in the tone chart's
    # labels equal the bars of the codes chart.
    report, _ = sample_report
    codes = next(c for n, c in report.charts.items() if n.endswith("-codes")).figure.axes[0]
    tone = next(c for n, c in report.charts.items() if n.endswith("-tone")).figure.axes[0]
    bars = {
        t.get_text().replace("\n", " "): b.get_width()
        for t, b in zip(codes.get_yticklabels(), codes.containers[0], strict=True)
    }
    for label in tone.get_yticklabels():
        name, count = label.get_text().replace("\n", " ").rsplit(" (", 1)
        assert bars[name] == int(count.rstrip(")")), name


def test_tone_legend_sits_clear_of_the_axis_label(sample_report):
    report, _ = sample_report
    figure = next(c for n, c in report.charts.items() if n.endswith("-tone")).figure
    renderer = draw(figure)
    legend = figure.legends[0].get_window_extent(renderer)
    label = figure.axes[0].xaxis.label.get_window_extent(renderer)
    assert legend.y1 <= label.y0 or legend.y0 >= label.y1


def test_timeline_burst_names_never_hide_a_bar(sample_report):
    report, _ = sample_report
    figure = next(c for n, c in report.charts.items() if n.endswith("-timeline")).figure
    renderer = draw(figure)
    ax = figure.axes[0]
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == 3  # the sample's three bursts
    bars = [b.get_window_extent(renderer) for b in ax.containers[0]]
    for box in boxes:
        for bar in bars:
            assert box.y0 > bar.y1 or box.x1 < bar.x0 or box.x0 > bar.x1


# -- charts made by hand ----------------------------------------------------------------------
def test_long_titles_wrap_inside_the_figure():
    title = (
        "How satisfied were you with the workshop on spreading innovation across integrated "
        "care systems in the north of England: overall?"
    )
    counts = pd.DataFrame({"answer": ["Yes", "No", "Not sure"], "count": [3, 2, 1]})
    ax = plots.plot_choice_counts(counts, title=title)
    assert ax.get_title(loc="left").count("\n") >= 2
    assert ax.get_title(loc="left").replace("\n", " ") == title
    assert_inside(ax.figure)


def test_long_labels_wrap_rather_than_cut():
    counts = pd.Series({"Northumbria Healthcare NHS Foundation Trust": 12, "Other": 4})
    ax = plots.plot_group_counts(counts, title="Attendees by organisation")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Northumbria Healthcare NHS\nFoundation Trust" in labels
    assert not any("…" in label for label in labels)
    assert_inside(ax.figure)


def likert_table(shares):
    answers = ["Very poor", "Poor", "Fair", "Good", "Very good"]
    return pd.DataFrame({"answer": answers, "count": shares, "share": [s / 10 for s in shares]})


@pytest.mark.parametrize("questions", [1, 4, 10])
def test_likert_gives_each_question_a_row_of_the_same_height(questions):
    distributions = {
        f"Question {i + 1}: how good was part {i + 1} of the day?": likert_table([1, 1, 2, 3, 3])
        for i in range(questions)
    }
    ax = plots.plot_likert(distributions, title="How people rated the day")
    renderer = draw(ax.figure)
    per_row = ax.get_window_extent(renderer).height / questions / 100  # inches
    assert 0.35 <= per_row <= 1.5, per_row
    assert_inside(ax.figure)


def test_a_single_likert_question_does_not_fill_the_frame():
    question = "How confident do you now feel about applying the seven principles in your work?"
    ax = plots.plot_likert({question: likert_table([1, 1, 2, 3, 3])}, title=question)
    assert ax.figure.get_size_inches()[1] < 4
    assert [t.get_text() for t in ax.get_yticklabels()] == [""]  # the title asks it
    assert_inside(ax.figure)


def test_timeline_ticks_are_whole_numbers_with_one_message_a_minute():
    index = pd.date_range("2024-03-01 10:00", periods=20, freq="min")
    per_minute = pd.Series([1] * 20, index=index)
    burst = Burst("failure", datetime(2024, 3, 1, 10, 5), datetime(2024, 3, 1, 10, 8), 4)
    ax = plots.plot_timeline(per_minute, [burst], labels={"failure": "Failure"})
    draw(ax.figure)
    values = [t.get_loc() for t in ax.yaxis.get_major_ticks()]
    assert all(float(v).is_integer() for v in values)
    assert_inside(ax.figure)


def test_chart_names_from_questions_sharing_a_long_prefix_differ():
    stem = "How satisfied were you with the workshop on spreading innovation: "
    names = [chart_slug(stem + part) for part in ("overall", "content", "presenters")]
    assert len(set(names)) == 3
    for name in names:
        assert name.startswith("how-satisfied-were-you-with-the-workshop")
        assert len(name.rsplit("-", 1)[1]) == 6
    assert chart_slug(stem + "overall") == names[0]  # stable from run to run
