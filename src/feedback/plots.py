"""Charts: one function per chart, data in, matplotlib Axes out.

Every function takes ``ax=None`` (a new 16:9 figure is made when omitted), uses
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
#: Size of every chart in inches at 100 dpi: 1600 x 900 px, 16:9.
FIGSIZE = (16, 9)
DPI = 100
TITLE_SIZE = 22
LABEL_SIZE = 16
TICK_SIZE = 15


def new_figure() -> Figure:
    """A 16:9 figure (1600 x 900 px at 100 dpi) not tied to pyplot."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    figure.patch.set_facecolor("white")
    return figure


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    return new_figure().add_subplot()


def _style(ax: Axes, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=TITLE_SIZE, loc="left", pad=16, fontweight="bold")
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


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
    """
    ax = _axes(ax)
    data = counts[counts["count"] > 0].head(max_codes).iloc[::-1]
    colours = [GROUP_COLOURS.get(g, PALETTE["sky"]) for g in data["group"]]
    bars = ax.barh([_wrap(x, 32) for x in data["label"]], data["count"], color=colours)
    for bar, value in zip(bars, data["count"], strict=True):
        ax.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {int(value)}",
            va="center",
            fontsize=TICK_SIZE,
        )
    groups = list(dict.fromkeys(data["group"][::-1]))
    if len(groups) > 1:
        from matplotlib.patches import Patch

        handles = [Patch(color=GROUP_COLOURS.get(g, PALETTE["sky"]), label=g) for g in groups]
        ax.legend(handles=handles, fontsize=TICK_SIZE, frameon=False, loc="lower right")
    if len(data):
        ax.set_xlim(0, float(data["count"].max()) * 1.12)
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
) -> Axes:
    """Messages per minute over the webinar, with bursts shaded and named.

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

    ax = _axes(ax)
    labels = labels or {}
    if len(per_minute):
        ax.bar(per_minute.index, per_minute.values, width=1 / (24 * 60) * 0.9,
               color=PALETTE["sky"], align="edge", label="messages per minute")  # fmt: skip
        top = float(per_minute.max())
    else:
        top = 1.0
    colours = [PALETTE["orange"], PALETTE["green"], PALETTE["pink"], PALETTE["vermillion"]]
    for i, burst in enumerate(bursts):
        colour = colours[i % len(colours)]
        start = pd.Timestamp(burst.start).floor("min")
        end = pd.Timestamp(burst.end).floor("min") + pd.Timedelta(minutes=1)
        ax.axvspan(start, end, color=colour, alpha=0.25, lw=0)
        ax.annotate(
            f"{labels.get(burst.code, burst.code)}\n{burst.count} messages",
            xy=(start + (end - start) / 2, top * (1.02 - 0.14 * (i % 3))),
            ha="center", va="top", fontsize=TICK_SIZE - 1, color="black",
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": colour, "lw": 2},
        )  # fmt: skip
    ax.set_ylim(0, top * 1.2 + 0.5)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    ax.xaxis.set_major_locator(mdates.MinuteLocator(byminute=range(0, 60, 10)))
    _style(ax, title, "Time", "Messages per minute")
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

    Parameters
    ----------
    distributions : dict of str to DataFrame
        Question to the table from :func:`feedback.analysis.rating_distribution`.
    """
    ax = _axes(ax)
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
    questions = list(distributions)
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
            if share >= 6:
                ax.text(left + share / 2, row, f"{share:.0f}%", ha="center", va="center",
                        fontsize=TICK_SIZE - 1)  # fmt: skip
            left += share
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(range(len(questions)))
    ax.set_yticklabels([_wrap(q, 34) for q in reversed(questions)])
    ax.set_xlim(-100, 100)
    ticks = [-100, -75, -50, -25, 0, 25, 50, 75, 100]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{abs(t)}%" if t else "0" for t in ticks])
    ax.legend(fontsize=TICK_SIZE - 2, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.12), ncol=min(4, max(1, len(legend_done))))  # fmt: skip
    _style(ax, title, "Share of respondents (negative left, positive right)")
    return ax


def plot_rating_bars(
    distribution: pd.DataFrame, *, ax: Axes | None = None, title: str = "Ratings"
) -> Axes:
    """Vertical bars of a numeric rating's answers (every score shown, zeros included)."""
    ax = _axes(ax)
    bars = ax.bar(distribution["answer"].astype(str), distribution["count"],
                  color=PALETTE["blue"])  # fmt: skip
    for bar, value in zip(bars, distribution["count"], strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{int(value)}",
                ha="center", va="bottom", fontsize=TICK_SIZE)  # fmt: skip
    if len(distribution):
        ax.set_ylim(0, float(distribution["count"].max()) * 1.15 + 0.5)
    _style(ax, _wrap(title, 70), "Rating", "Respondents")
    return ax


def plot_choice_counts(
    counts: pd.DataFrame, *, ax: Axes | None = None, title: str = "Answers"
) -> Axes:
    """Horizontal bars of how often each option was chosen."""
    ax = _axes(ax)
    data = counts.iloc[::-1]
    bars = ax.barh([_wrap(a, 32) for a in data["answer"]], data["count"], color=PALETTE["green"])
    for bar, value in zip(bars, data["count"], strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {int(value)}",
                va="center", fontsize=TICK_SIZE)  # fmt: skip
    if len(data):
        ax.set_xlim(0, float(data["count"].max()) * 1.12)
    _style(ax, _wrap(title, 70), "Respondents")
    return ax


def plot_sentiment_by_code(
    table: pd.DataFrame, *, ax: Axes | None = None, title: str = "Tone by theme"
) -> Axes:
    """Diverging bars of negative / neutral / positive shares of comments for each code."""
    ax = _axes(ax)
    data = table.iloc[::-1]
    names = [f"{_wrap(label, 30)} ({int(n)})" for label, n in zip(data["label"], data["count"],
                                                                strict=True)]  # fmt: skip
    negative = data["negative"].to_numpy() * 100
    neutral = data["neutral"].to_numpy() * 100
    positive = data["positive"].to_numpy() * 100
    ax.barh(names, -negative - neutral / 2, color=PALETTE["vermillion"], label="negative")
    ax.barh(names, neutral, left=-neutral / 2, color=PALETTE["light"], label="neutral")
    ax.barh(names, positive, left=neutral / 2, color=PALETTE["blue"], label="positive")
    ax.axvline(0, color="black", lw=1)
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100])
    ax.set_xticklabels(["100%", "50%", "0", "50%", "100%"])
    ax.legend(
        fontsize=TICK_SIZE - 1,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=3,
    )
    _style(ax, title, "")
    ax.set_xlabel(
        "Share of comments: negative left, positive right (number of comments in brackets)",
        fontsize=LABEL_SIZE,
        labelpad=36,
    )
    return ax


def plot_group_counts(
    counts: pd.Series, *, ax: Axes | None = None, title: str = "Where people came from",
    xlabel: str = "People",
) -> Axes:  # fmt: skip
    """Horizontal bars of people per group (organisation, country); small groups merged first."""
    ax = _axes(ax)
    data = counts.iloc[::-1]
    colours = [
        PALETTE["grey"] if str(n).startswith("Other") else PALETTE["blue"] for n in data.index
    ]
    names = [n if len(n) <= 44 else n[:42].rstrip() + "…" for n in map(str, data.index)]
    bars = ax.barh(names, data.values, color=colours)
    for bar, value in zip(bars, data.values, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {int(value)}",
                va="center", fontsize=TICK_SIZE)  # fmt: skip
    if len(data):
        ax.set_xlim(0, float(data.max()) * 1.12)
    _style(ax, title, xlabel)
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
    """The figure as PNG bytes (1600 x 900 px at the default size), white background."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def save_figure(figure: Figure, path, *, dpi: int = DPI) -> None:
    """Save a figure as PNG atomically."""
    from feedback.io import write_bytes

    write_bytes(path, png_bytes(figure, dpi=dpi))
