"""Charts drawn in the background while a report is built give the same PNGs."""

from __future__ import annotations

import os

import pytest

from feedback import plots
from feedback.report import rendering
from feedback.report.parts import Report, Section
from feedback.report.write import render_charts

pytestmark = pytest.mark.skipif(not rendering.can_fork(), reason="needs fork and two cores")


def _section(count: int) -> Section:
    section = Section()
    for i in range(count):
        ax = plots.new_figure(2.4).add_subplot()
        ax.bar(["a", "b", "c"], [i + 1, 2, 3])
        ax.set_title(f"chart {i}")
        section.add_chart(f"chart-{i}", ax, f"bars {i}")
    return section


def _report(section: Section, background) -> Report:
    report = Report(title="t", charts=dict(section.charts), background=background)
    return report


def test_background_charts_equal_charts_drawn_here():
    background = rendering.BackgroundCharts()
    try:
        with rendering.drawing_into(background):
            section = _section(5)
        assert len(background.figures) == 5
        drawn = render_charts(_report(section, background))
        here = {("", name): plots.png_bytes(chart.figure) for name, chart in section.charts.items()}
        assert drawn == here
        assert not background.running and not background.queue
        # Some were drawn by a child, the rest here while it ran.
        assert len(background.finished) + len(background.drawn) == 5
        assert len(background.finished) >= 1
    finally:
        background.close()
    assert not os.path.exists(background.folder)


def test_a_chart_whose_child_fails_is_drawn_here(monkeypatch):
    parent = os.getpid()
    real = plots.png_bytes

    def failing_in_children(figure, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("a child that fails")
        return real(figure, **kwargs)

    monkeypatch.setattr(plots, "png_bytes", failing_in_children)
    background = rendering.BackgroundCharts()
    try:
        with rendering.drawing_into(background):
            section = _section(3)
        drawn = render_charts(_report(section, background))
        assert set(drawn) == {("", f"chart-{i}") for i in range(3)}
        assert all(data[:8] == b"\x89PNG\r\n\x1a\n" for data in drawn.values())
        assert not background.finished  # every child failed
    finally:
        background.close()


def test_charts_are_not_handed_over_outside_a_build():
    section = _section(1)
    assert not rendering._ACTIVE
    assert render_charts(_report(section, None))[("", "chart-0")][:4] == b"\x89PNG"
