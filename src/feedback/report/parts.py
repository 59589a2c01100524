"""The parts a report is made of: options, charts, sections and the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class ReportOptions:
    """Choices that shape a report.

    Attributes
    ----------
    title : str, optional
        Title of the report (default: the webinar's topic).
    names : {"pseudonym", "first", "full"}
        How people are named in quotes, questions and tables.
    keep_names : list of str
        Names kept as they are (hosts and panelists who agreed).
    min_group : int
        Organisations and countries with fewer people are merged into "Other".
    quotes_per_code : int
    leading_codes : int
        How many leading principles/themes get quotes.
    pages : {"linked", "all", "none"}
        Which webinars of a series get a page of their own: those the overview links
        to (every one in a series of up to 20, else the busiest and the latest), all
        of them, or none.
    """

    title: str | None = None
    names: str = "pseudonym"
    keep_names: list[str] = field(default_factory=list)
    min_group: int = 3
    quotes_per_code: int = 3
    leading_codes: int = 5
    burst_window_minutes: float = 3.0
    burst_min_count: int = 5
    pages: str = "linked"


@dataclass
class Chart:
    """A figure to save as PNG, with its alt text."""

    name: str
    figure: Figure
    alt: str
    title: str


@dataclass(frozen=True)
class Link:
    """A link to another page of the report: ``target`` without its extension.

    Markdown links to ``target.md``, HTML to ``target.html``.
    """

    text: str
    target: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Section:
    """One section of a report: its content blocks and the charts they show.

    Attributes
    ----------
    blocks : list of tuple
        See :class:`Report`.
    charts : dict of str to Chart
    """

    blocks: list[tuple] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)

    def add(self, *block) -> None:
        """Append a block, e.g. ``add("p", "text")``."""
        self.blocks.append(tuple(block))

    def add_chart(self, name: str, ax, alt: str) -> str:
        """Keep the figure of ``ax`` as chart ``name`` and show it here; returns the name."""
        from feedback.report.rendering import hand_over

        title = ax.get_title(loc="left") or ax.get_title()
        self.charts[name] = Chart(name, ax.figure, alt, title)
        self.blocks.append(("chart", name))
        hand_over(ax.figure)  # the figure is complete: draw it while the report goes on
        return name

    def extend(self, other: Section) -> None:
        """Append the blocks and charts of another section."""
        self.blocks.extend(other.blocks)
        self.charts.update(other.charts)


@dataclass
class Report:
    """A built report, ready to write.

    Attributes
    ----------
    title : str
    blocks : list of tuple
        Content in order: ``("h1"|"h2"|"h3"|"p"|"note", text)``, ``("ul", [items])``,
        ``("quote", text, attribution)``, ``("chart", name)``, ``("table", header, rows)``
        (a cell may be a :class:`Link`), ``("link", Link)``.
    charts : dict of str to Chart
    tagged : pandas.DataFrame
        Shareable tagged comments (private removed, names pseudonymised, scrubbed).
    questions : pandas.DataFrame
    summary : dict
        The figures in machine form (``summary.json``).
    manifest : dict
    key : dict
        Pseudonym to real name (only written when asked, never into the report folder).
    pages : dict of str to Report
        Pages of a series report: folder (relative to the report, e.g.
        ``webinars/march``) to the page written there.
    """

    title: str
    blocks: list[tuple] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)
    tagged: Any = None
    questions: Any = None
    summary: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    key: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    #: Charts being drawn in the background (:mod:`feedback.report.rendering`), or None.
    background: Any = field(default=None, repr=False, compare=False)
