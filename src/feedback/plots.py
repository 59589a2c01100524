"""Charts: one function per chart, data in, matplotlib Axes out.

Every function takes ``ax=None`` (a new figure :data:`WIDTH` inches wide, as tall as
its content needs, is made when omitted), uses
only ``ax.`` methods (no pyplot state), and returns the Axes. Colours come from
one colour-blind-safe palette (Okabe and Ito). :func:`alt_text` functions give
the text alternative used in the report.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe-Ito palette: distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "pink": "#CC79A7",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
    "light": "#DDDDDD",
}
#: Colour of each codebook group.
GROUP_COLOURS = {
    "principle": PALETTE["blue"],
    "activity": PALETTE["green"],
    "theme": PALETTE["orange"],
    "request": PALETTE["pink"],
    "other": PALETTE["grey"],
}
#: Width of every chart in inches. Charts are shown at 100 CSS pixels per inch (640 px wide)
#: and saved at :data:`DPI` for sharp text; heights follow the content.
WIDTH = 6.4
#: Height of a chart whose height does not depend on its content.
HEIGHT = 3.6
#: Dots per inch of the saved PNG (960 px wide).
DPI = 150
#: CSS pixels per inch at which the HTML shows a chart.
CSS_DPI = 100
#: Size of every chart, in inches (width, default height).
FIGSIZE = (WIDTH, HEIGHT)
#: Font sizes in points. On a phone (about 330 CSS px of content width) a 6.4-inch chart
#: is shrunk to about half its size, and 13 pt still reads as about 9 px.
TITLE_SIZE = 16
LABEL_SIZE = 13
TICK_SIZE = 13
#: Characters of a title line (bold, :data:`TITLE_SIZE`) that fit the chart's width.
TITLE_CHARS = 44


def new_figure(height: float = HEIGHT) -> Figure:
    """A figure :data:`WIDTH` inches wide (``height`` tall), not tied to pyplot."""
    from matplotlib.figure import Figure

    # Heights in steps of 1/50 inch: whole pixels both as shown and as saved.
    height = max(1.0, round(height * 50) / 50)
    figure = Figure(figsize=(WIDTH, height), dpi=CSS_DPI, layout="constrained")
    figure.patch.set_facecolor("white")
    return figure


def bar_height(
    bars: int, *, title: str = "", extra: float = 0.0, labels: Sequence[str] = ()
) -> float:
    """Height in inches of a bar chart of ``bars`` rows, a wrapped ``title`` and ``extra``.

    Rows grow with the lines of the longest (wrapped) label, so labels never touch.
    """
    lines = len(_wrap_title(title).splitlines()) if title else 1
    label_lines = max((len(str(label).splitlines()) for label in labels), default=1)
    row = max(0.36, 0.1 + 0.24 * label_lines)
    return max(2.4, 1.0 + 0.3 * lines + row * bars + extra)


def _axes(ax: Axes | None, height: float = HEIGHT) -> Axes:
    if ax is not None:
        return ax
    return new_figure(height).add_subplot()


def _wrap_title(title: str) -> str:
    return "\n".join(textwrap.wrap(str(title), TITLE_CHARS)) or str(title)


def _style(ax: Axes, title: str, xlabel: str = "", ylabel: str = "") -> None:
    from matplotlib.transforms import blended_transform_factory

    text = ax.set_title(
        _wrap_title(title), fontsize=TITLE_SIZE, loc="left", pad=10, fontweight="bold"
    )
    # The title starts at the figure's left edge (not the axes'), so long tick labels
    # on the left never push it off the right edge; it is wrapped to the figure's width.
    text.set_transform(blended_transform_factory(ax.figure.transFigure, ax.transAxes))
    text.set_x(0.015)
    ax.set_xlabel(_wrap(xlabel, 40) if xlabel else "", fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _whole_numbers(axis) -> None:
    """Ticks at whole numbers only (for axes that count things)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, nbins=6))


def _wrap(label: str, width: int = 28, lines: int = 3) -> str:
    """Wrap a label on word boundaries; cut (with …) only beyond ``lines`` lines."""
    wrapped = textwrap.wrap(str(label), width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped) or str(label)


def plot_code_counts(
    counts: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "What people talked about",
    xlabel: str = "Comments",
    max_codes: int = 15,
) -> Axes:
    """Horizontal bars of comments per code, largest at the top, coloured by group.

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`feedback.analysis.code_counts` (``label``, ``group``, ``count``).
    xlabel : str
        What is counted (e.g. "Public chat messages and Q&A questions").
    """
    data = counts[counts["count"] > 0].head(max_codes).iloc[::-1]
    groups = list(dict.fromkeys(data["group"][::-1]))
    names = [_wrap(x, 24) for x in data["label"]]
    extra = 0.35 if len(groups) > 1 else 0
    ax = _axes(ax, bar_height(len(data), title=title, extra=extra, labels=names))
    colours = [GROUP_COLOURS.get(g, PALETTE["sky"]) for g in data["group"]]
    bars = ax.barh(names, data["count"], color=colours)
    for bar, value in zip(bars, data["count"], strict=True):
        ax.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {int(value)}",
            va="center",
            fontsize=TICK_SIZE,
        )
    if len(groups) > 1:
        from matplotlib.patches import Patch

        handles = [Patch(color=GROUP_COLOURS.get(g, PALETTE["sky"]), label=g) for g in groups]
        ax.legend(handles=handles, fontsize=TICK_SIZE - 1, frameon=False, loc="lower right")
    if len(data):
        ax.set_xlim(0, float(data["count"].max()) * 1.15)
    _whole_numbers(ax.xaxis)
    _style(ax, title, xlabel)
    return ax


def alt_code_counts(counts: pd.DataFrame, what: str = "comments") -> str:
    """Alt text for :func:`plot_code_counts`."""
    data = counts[counts["count"] > 0]
    if data.empty:
        return f"Bar chart: no {what} carried a code."
    parts = [f"{label} {int(count)}" for label, count in zip(data["label"], data["count"],
                                                              strict=True)]  # fmt: skip
    return f"Bar chart of {what} per code, largest first: " + ", ".join(parts[:15]) + "."


def plot_timeline(
    per_minute: pd.Series,
    bursts: Sequence = (),
    *,
    labels: dict[str, str] | None = None,
    ax: Axes | None = None,
    title: str = "How the conversation moved",
    ylabel: str = "Chat messages per minute",
) -> Axes:
    """Messages per minute over the webinar, with bursts shaded and named above the bars.

    The bars take the lower two thirds of the chart; the names of the bursts sit in
    the band above them, so they never hide a bar.

    Parameters
    ----------
    per_minute : pandas.Series
        From :func:`feedback.analysis.messages_per_minute` (datetime index).
    bursts : sequence of Burst
    labels : dict, optional
        Code id to display label.
    """
    import matplotlib.dates as mdates
    import pandas as pd

    levels = min(3, len(bursts))
    ax = _axes(ax, HEIGHT + 0.45 * max(0, levels - 1))
    labels = labels or {}
    if len(per_minute):
        ax.bar(per_minute.index, per_minute.values, width=1 / (24 * 60) * 0.9,
               color=PALETTE["blue"], align="edge", label="messages per minute",
               zorder=2)  # fmt: skip
        top = float(per_minute.max())
        span = (per_minute.index[-1] - per_minute.index[0]).total_seconds() / 60
    else:
        top, span = 1.0, 60.0
    # Bars fill the lower part; each level of burst names takes a band above them.
    room = 0.68 - 0.1 * max(0, levels - 1)
    ax.set_ylim(0, max(1.0, top) / room)
    colours = [PALETTE["orange"], PALETTE["green"], PALETTE["pink"], PALETTE["vermillion"]]
    transform = ax.get_xaxis_transform()
    for i, burst in enumerate(bursts):
        colour = colours[i % len(colours)]
        start = pd.Timestamp(burst.start).floor("min")
        end = pd.Timestamp(burst.end).floor("min") + pd.Timedelta(minutes=1)
        ax.axvspan(start, end, color=colour, alpha=0.3, lw=0, zorder=1)
        level = i % max(1, levels)
        ax.annotate(
            f"{_wrap(labels.get(burst.code, burst.code), 18, 2)}: {burst.count}",
            xy=(start + (end - start) / 2, 0.98 - level * (1 - room) / max(1, levels)),
            xycoords=transform, ha="center", va="top", fontsize=TICK_SIZE - 1,
            color="black", annotation_clip=False,
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": colour, "lw": 1.5},
        )  # fmt: skip
    step = 10 if span <= 75 else 30 if span <= 200 else 60
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    ax.xaxis.set_major_locator(mdates.MinuteLocator(byminute=range(0, 60, step)))
    _whole_numbers(ax.yaxis)
    _style(ax, title, "Time", ylabel)
    return ax


def alt_timeline(per_minute: pd.Series, bursts: Sequence, labels: dict[str, str]) -> str:
    """Alt text for :func:`plot_timeline`."""
    if not len(per_minute):
        return "Timeline chart: no timed messages."
    text = (
        f"Bar chart of chat messages per minute from {per_minute.index[0]:%H:%M} to "
        f"{per_minute.index[-1]:%H:%M}, peaking at {int(per_minute.max())} messages at "
        f"{per_minute.idxmax():%H:%M}."
    )
    if bursts:
        text += " Shaded bursts: " + "; ".join(b.describe(labels.get(b.code)) for b in bursts) + "."
    return text


def plot_likert(
    distributions: dict[str, pd.DataFrame],
    *,
    ax: Axes | None = None,
    title: str = "How people rated the webinar",
) -> Axes:
    """Diverging stacked bars: one row per question, negative answers left of zero.

    The middle answer of an odd scale is split across zero. Shares are in percent.
    The chart's height follows the number of questions, so one question gives a
    short chart and ten a tall one; the legend sits below the axis label.

    Parameters
    ----------
    distributions : dict of str to DataFrame
        Question to the table from :func:`feedback.analysis.rating_distribution`.
    """
    questions = list(distributions)
    answers_all = list(dict.fromkeys(a for t in distributions.values() for a in t["answer"]))
    legend_rows = -(-len(answers_all) // 3)
    label_lines = max([len(_wrap(q, 22, 4).splitlines()) for q in questions] or [1])
    ax = _axes(
        ax,
        1.5
        + 0.3 * len(_wrap_title(title).splitlines())
        + max(0.55, 0.2 * label_lines + 0.15) * len(questions)
        + 0.28 * legend_rows,
    )
    colours_by_size = {
        2: [PALETTE["vermillion"], PALETTE["blue"]],
        3: [PALETTE["vermillion"], PALETTE["light"], PALETTE["blue"]],
        4: [PALETTE["vermillion"], PALETTE["orange"], PALETTE["sky"], PALETTE["blue"]],
        5: [PALETTE["vermillion"], PALETTE["orange"], PALETTE["light"], PALETTE["sky"],
            PALETTE["blue"]],
        6: [PALETTE["vermillion"], PALETTE["orange"], PALETTE["yellow"], PALETTE["light"],
            PALETTE["sky"], PALETTE["blue"]],
        7: [PALETTE["vermillion"], PALETTE["orange"], PALETTE["yellow"], PALETTE["light"],
            PALETTE["sky"], PALETTE["green"], PALETTE["blue"]],
    }  # fmt: skip
    legend_done: set[str] = set()
    for row, question in enumerate(reversed(questions)):
        table = distributions[question]
        shares = (table["share"] * 100).tolist()
        answers = table["answer"].tolist()
        n = len(shares)
        colours = colours_by_size.get(n) or [PALETTE["blue"]] * n
        half = n // 2
        left = -sum(shares[:half]) - (shares[half] / 2 if n % 2 else 0)
        for answer, share, colour in zip(answers, shares, colours, strict=True):
            label = answer if answer not in legend_done else None
            legend_done.add(answer)
            ax.barh(row, share, left=left, color=colour, edgecolor="white", label=label, height=0.6)
            if share >= 8:
                ax.text(left + share / 2, row, f"{share:.0f}%", ha="center", va="center",
                        fontsize=TICK_SIZE - 1)  # fmt: skip
            left += share
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(range(len(questions)))
    if len(questions) == 1 and questions[0] == title:
        ax.set_yticklabels([""])  # the title already asks the question
        ax.tick_params(axis="y", length=0)
    else:
        ax.set_yticklabels([_wrap(q, 22, 4) for q in reversed(questions)])
    ax.set_ylim(-0.6, len(questions) - 0.4)
    ax.set_xlim(-110, 110)
    ticks = [-100, -50, 0, 50, 100]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{abs(t)}%" if t else "0" for t in ticks])
    _style(ax, title, "Share of survey respondents (negative left, positive right)")
    _figure_legend(ax)
    return ax


def _figure_legend(ax: Axes, *, ncol: int | None = None) -> None:
    """The Axes' legend below everything else of its figure (never on the axis label).

    As many columns as fit the figure's width.
    """
    handles, names = ax.get_legend_handles_labels()
    if ncol is None:
        size = TICK_SIZE - 1
        entry = max((len(n) for n in names), default=1) * 0.6 * size + 3 * size
        ncol = max(1, min(len(names), int(WIDTH * 72 * 0.92 // entry)))
    ax.figure.legend(handles, names, loc="outside lower center", ncol=ncol, frameon=False,
                     fontsize=TICK_SIZE - 1)  # fmt: skip


def plot_rating_bars(
    distribution: pd.DataFrame, *, ax: Axes | None = None, title: str = "Ratings"
) -> Axes:
    """Vertical bars of a numeric rating's answers (every score shown, zeros included)."""
    ax = _axes(ax, HEIGHT + 0.3 * (len(_wrap_title(title).splitlines()) - 1))
    bars = ax.bar(distribution["answer"].astype(str), distribution["count"],
                  color=PALETTE["blue"])  # fmt: skip
    for bar, value in zip(bars, distribution["count"], strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{int(value)}",
                ha="center", va="bottom", fontsize=TICK_SIZE)  # fmt: skip
    if len(distribution):
        ax.set_ylim(0, float(distribution["count"].max()) * 1.15 + 0.5)
    _whole_numbers(ax.yaxis)
    _style(ax, title, "Rating", "Survey respondents")
    return ax


def plot_choice_counts(
    counts: pd.DataFrame, *, ax: Axes | None = None, title: str = "Answers"
) -> Axes:
    """Horizontal bars of how often each option was chosen."""
    data = counts.iloc[::-1]
    names = [_wrap(a, 24) for a in data["answer"]]
    ax = _axes(ax, bar_height(len(counts), title=title, labels=names))
    bars = ax.barh(names, data["count"], color=PALETTE["green"])
    for bar, value in zip(bars, data["count"], strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {int(value)}",
                va="center", fontsize=TICK_SIZE)  # fmt: skip
    if len(data):
        ax.set_xlim(0, float(data["count"].max()) * 1.15)
    _whole_numbers(ax.xaxis)
    _style(ax, title, "Survey respondents")
    return ax


def plot_sentiment_by_code(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "Tone by theme",
    what: str = "comments",
) -> Axes:
    """Diverging bars of negative / neutral / positive shares of comments for each code.

    Parameters
    ----------
    what : str
        What is counted, for the axis label (e.g. "public chat messages and Q&A questions").
    """
    data = table.iloc[::-1]
    names = [f"{_wrap(label, 22)} ({int(n)})" for label, n in zip(data["label"], data["count"],
                                                                strict=True)]  # fmt: skip
    ax = _axes(ax, bar_height(len(table), title=title, extra=0.6, labels=names))
    negative = data["negative"].to_numpy() * 100
    neutral = data["neutral"].to_numpy() * 100
    positive = data["positive"].to_numpy() * 100
    ax.barh(names, -negative - neutral / 2, color=PALETTE["vermillion"], label="negative")
    ax.barh(names, neutral, left=-neutral / 2, color=PALETTE["light"], label="neutral")
    ax.barh(names, positive, left=neutral / 2, color=PALETTE["blue"], label="positive")
    ax.axvline(0, color="black", lw=1)
    ax.set_xlim(-110, 110)
    ax.set_xticks([-100, -50, 0, 50, 100])
    ax.set_xticklabels(["100%", "50%", "0", "50%", "100%"])
    _style(ax, title, f"Share of {what} (number in brackets)")
    _figure_legend(ax)
    return ax


def plot_group_counts(
    counts: pd.Series, *, ax: Axes | None = None, title: str = "Where people came from",
    xlabel: str = "People who attended",
) -> Axes:  # fmt: skip
    """Horizontal bars of people per group (organisation, country); small groups merged first."""
    data = counts.iloc[::-1]
    names = [_wrap(n, 26) for n in map(str, data.index)]
    ax = _axes(ax, bar_height(len(counts), title=title, labels=names))
    colours = [
        PALETTE["grey"] if str(n).startswith("Other") else PALETTE["blue"] for n in data.index
    ]
    bars = ax.barh(names, data.values, color=colours)
    for bar, value in zip(bars, data.values, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {int(value)}",
                va="center", fontsize=TICK_SIZE)  # fmt: skip
    if len(data):
        ax.set_xlim(0, float(data.max()) * 1.15)
    _whole_numbers(ax.xaxis)
    _style(ax, title, xlabel)
    return ax


def plot_series_trend(
    shares: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "Themes across the series",
    ylabel: str = "Share of coded messages (%)",
    max_labels: int = 12,
) -> Axes:
    """Lines of each code's share over the webinars of a series, in series order.

    Parameters
    ----------
    shares : pandas.DataFrame
        One row per line (index: its label), one column per webinar, values 0..1.
    """
    ax = _axes(ax, HEIGHT + 0.9)
    positions = list(range(shares.shape[1]))
    colours = list(PALETTE.values())
    markers = "osD^vP*X"
    for i, (label, row) in enumerate(shares.iterrows()):
        ax.plot(positions, row.to_numpy() * 100, marker=markers[i % len(markers)],
                color=colours[i % len(colours)], label=_wrap(label, 22, 2), lw=2,
                markersize=5 if len(positions) > 30 else 7)  # fmt: skip
    step = max(1, -(-len(positions) // max_labels))
    shown = positions[::step]
    ax.set_xticks(shown)
    ax.set_xticklabels([_wrap(shares.columns[p], 12, 2) for p in shown], rotation=0)
    ax.set_ylim(bottom=0)
    ax.set_xlim(-0.5, len(positions) - 0.5)
    _style(ax, title, "Webinar (in series order)", ylabel)
    _figure_legend(ax)
    return ax


def plot_series_figures(
    figures: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = "Attendance and chat across the series",
    max_labels: int = 12,
) -> Axes:
    """Lines of attendees, chat users and messages per webinar, in series order.

    Parameters
    ----------
    figures : pandas.DataFrame
        One row per webinar (index: its name), one column per figure to draw.
    """
    ax = _axes(ax, HEIGHT + 0.6)
    positions = list(range(len(figures)))
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["pink"]]
    for i, column in enumerate(figures.columns):
        ax.plot(positions, figures[column].to_numpy(), marker="o", lw=2, label=column,
                color=colours[i % len(colours)],
                markersize=4 if len(positions) > 30 else 7)  # fmt: skip
    step = max(1, -(-len(positions) // max_labels))
    shown = positions[::step]
    ax.set_xticks(shown)
    ax.set_xticklabels([_wrap(figures.index[p], 12, 2) for p in shown])
    ax.set_ylim(bottom=0)
    ax.set_xlim(-0.5, len(positions) - 0.5)
    _whole_numbers(ax.yaxis)
    _style(ax, title, "Webinar (in series order)", "People or messages")
    _figure_legend(ax)
    return ax


def plot_evaluation(table: pd.DataFrame, *, ax: Axes | None = None,
                    title: str = "Tagging accuracy by code (F1)") -> Axes:  # fmt: skip
    """Bars of F1 per code from an evaluation table, with the macro average marked."""
    ax = _axes(ax)
    codes = table.drop(index=[i for i in ("micro avg", "macro avg") if i in table.index])
    codes = codes.sort_values("f1")
    colours = [PALETTE["vermillion"] if f < 0.6 else PALETTE["blue"] for f in codes["f1"]]
    ax.barh([f"{c} ({int(s)})" for c, s in zip(codes.index, codes["support"], strict=True)],
            codes["f1"], color=colours)  # fmt: skip
    if "macro avg" in table.index:
        macro = float(table.loc["macro avg", "f1"])
        ax.axvline(macro, color="black", ls="--", lw=1.5)
        ax.text(macro, len(codes) - 0.5, f" macro F1 {macro:.2f}", fontsize=TICK_SIZE,
                va="bottom")  # fmt: skip
    ax.set_xlim(0, 1.05)
    ax.tick_params(axis="y", labelsize=TICK_SIZE - 4)
    _style(ax, title, "F1 (support in brackets)")
    return ax


def png_bytes(figure: Figure, *, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes at ``dpi`` (960 px wide by default), white background."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def save_figure(figure: Figure, path, *, dpi: int = DPI) -> None:
    """Save a figure as PNG atomically."""
    from feedback.io import write_bytes

    write_bytes(path, png_bytes(figure, dpi=dpi))
