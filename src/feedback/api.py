"""The notebook API: :func:`load`, :func:`tag` and :func:`report`, served as ``feedback.*``.

Three calls cover what the command line does, for people who work in a notebook:

>>> import feedback
>>> items = feedback.load("exports/")  # doctest: +SKIP
>>> tagged = feedback.tag(items)  # doctest: +SKIP
>>> result = feedback.report("exports/")  # doctest: +SKIP
>>> result  # an inline preview in Jupyter  # doctest: +SKIP
>>> result.write("report/")  # doctest: +SKIP

Each takes plain strings or paths, and raises a
:class:`~feedback.exceptions.FeedbackError` naming the file and what was expected
when an input cannot be used.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedback.exceptions import FeedbackError, SchemaError
from feedback.schema import Col, Kind

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from feedback.classifier import CommentTagger
    from feedback.codebook import Codebook
    from feedback.loaders import LoadOptions, Webinar

__all__ = ["Report", "load", "report", "tag"]

PathLike = str | Path


# -- inputs ------------------------------------------------------------------------------------
def input_paths(paths: Iterable[Any]) -> list[Path]:
    """Flatten strings, paths and lists of them into a list of paths.

    A string is one path (never a sequence of characters), so ``load("/data/x.txt")``
    reads that file and nothing else.

    Raises
    ------
    FeedbackError
        When no path is given, or an entry is neither a string nor a path.

    Examples
    --------
    >>> [p.name for p in input_paths(["a.txt", ("b.csv", Path("c"))])]
    ['a.txt', 'b.csv', 'c']
    """
    out: list[Path] = []

    def add(value: Any) -> None:
        if isinstance(value, str | Path) or hasattr(value, "__fspath__"):
            text = str(value)
            if not text.strip():
                raise FeedbackError("an input path is empty")
            out.append(Path(value))
        elif isinstance(value, Iterable) and not isinstance(value, bytes | dict):
            for entry in value:
                add(entry)
        else:
            raise FeedbackError(
                f"expected a file or folder path (str or Path), got {type(value).__name__}"
            )

    add(list(paths))
    if not out:
        raise FeedbackError("give at least one export file or folder")
    return out


def load_options(
    *,
    date: Date | str | None = None,
    text_column: str | None = None,
    author_column: str | None = None,
    time_column: str | None = None,
    strict: bool = False,
    webinar: str | None = None,
    panelist_messages: str = "include",
    date_name: str = "date",
) -> LoadOptions:
    """Loader options from plain values (``date`` as a date or ``YYYY-MM-DD`` text).

    ``panelist_messages`` is ``include`` (messages to a webinar's panel are public chat) or
    ``exclude``; ``date_name`` names the date in the error message (``--date`` on the
    command line).
    """
    from feedback.loaders import LoadOptions

    if isinstance(date, str):
        try:
            date = Date.fromisoformat(date.strip()) if date.strip() else None
        except ValueError:
            raise FeedbackError(f"{date_name} {date!r}: expected YYYY-MM-DD") from None
    if panelist_messages not in ("include", "exclude"):
        raise FeedbackError(
            f"panelist_messages {panelist_messages!r}: expected 'include' or 'exclude'"
        )
    return LoadOptions(
        date=date,
        text_column=text_column,
        author_column=author_column,
        time_column=time_column,
        strict=strict,
        webinar=webinar,
        panelist_messages=panelist_messages,
    )


def load_webinars(
    *paths: PathLike | Sequence[PathLike], format: str | None = None, **options: Any
) -> list[Webinar]:
    """Load inputs as webinars (several folders are several webinars, else one).

    Parameters are those of :func:`load`.
    """
    from feedback.loaders import load_inputs

    files = input_paths(paths)
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        raise FeedbackError(f"{missing[0]}: no such file or folder")
    return load_inputs(files, format=format, options=load_options(**options))


def load(
    *paths: PathLike | Sequence[PathLike],
    format: str | None = None,
    date: Date | str | None = None,
    text_column: str | None = None,
    author_column: str | None = None,
    time_column: str | None = None,
    strict: bool = False,
    webinar: str | None = None,
    panelist_messages: str = "include",
) -> pd.DataFrame:
    """Read export files into one items table.

    Parameters
    ----------
    *paths : str, Path, or lists of them
        Export files and folders. A folder is read as one webinar (its files, not
        hidden ones); several folders are several webinars, told apart by the
        ``webinar`` column. Only the paths given are read.
    format : str, optional
        Force a format id (see ``feedback formats``); detected per file otherwise.
    date : datetime.date or str, optional
        Date of the webinar (``YYYY-MM-DD``) for chats that give only times of day.
    text_column, author_column, time_column : str, optional
        Column names for plain tables whose columns are not recognised.
    strict : bool
        Raise on the first line that cannot be read, instead of counting it.
    webinar : str, optional
        Name of the webinar (default: the folder's or the file's name).
    panelist_messages : {"include", "exclude"}
        Messages sent to a webinar's panel ("to All Panelists"): public chat (include),
        or counted but left out like private messages (exclude).

    Returns
    -------
    pandas.DataFrame
        One row per chat message, reaction, transcript cue, question or survey answer
        (columns in :data:`feedback.schema.ITEM_COLUMNS`). ``attrs["skipped"]`` lists
        the lines that could not be read (``file:line: reason``) and
        ``attrs["participants"]`` holds the participants table.

    Raises
    ------
    FeedbackError
        For a path that does not exist or a file that cannot be read, naming it.

    Examples
    --------
    >>> import feedback
    >>> items = feedback.load("data/sample")  # doctest: +SKIP
    >>> items.groupby("kind").size()  # doctest: +SKIP
    >>> feedback.load(["chat.txt", "survey.csv"], date="2026-03-12")  # doctest: +SKIP
    """
    import pandas as pd

    from feedback.schema import empty_items, empty_participants

    webinars = load_webinars(
        *paths,
        format=format,
        date=date,
        text_column=text_column,
        author_column=author_column,
        time_column=time_column,
        strict=strict,
        webinar=webinar,
        panelist_messages=panelist_messages,
    )
    frames = [w.items for w in webinars if len(w.items)]
    items = pd.concat(frames, ignore_index=True) if frames else empty_items()
    people = [w.participants for w in webinars if len(w.participants)]
    participants = pd.concat(people, ignore_index=True) if people else empty_participants()
    items.attrs["skipped"] = [s.describe() for w in webinars for s in w.skipped]
    items.attrs["participants"] = participants
    return items


# -- tagging -----------------------------------------------------------------------------------
def resolve_model(
    model: CommentTagger | PathLike | None = None, codebook: Codebook | PathLike | None = None
) -> tuple[CommentTagger, Codebook, dict]:
    """The tagger, its codebook and what to say about it in a report.

    Parameters
    ----------
    model : CommentTagger, str or Path, optional
        A fitted tagger, or a model file from ``feedback train``; the bundled model
        (trained on the bundled labelled comments and cached) when omitted.
    codebook : Codebook, str or Path, optional
        A codebook (``.yaml``, ``.toml`` or REFI-QDA ``.qdc``); the model's own, or the
        bundled one, when omitted.
    """
    from feedback.classifier import CommentTagger, default_model, load_model
    from feedback.codebook import Codebook, load_codebook

    book = None
    if codebook is not None:
        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    if isinstance(model, CommentTagger):
        if not hasattr(model, "codebook_"):
            raise FeedbackError("the model is not fitted; train it first")
        if book is not None:
            from feedback.classifier import check_model_codebook

            check_model_codebook(model, book)
        scores = getattr(model, "cv_scores_", {}) or {}
        info = {"name": "a model given in the notebook", **_scores(scores)}
        return model, book or model.codebook_, info
    if model is not None:
        tagger = load_model(model, codebook=book)
        info = {
            "name": f"the model {Path(model).name}",
            "path": str(model),
            **_scores(tagger.cv_scores_),
            "evaluated_on": "cross-validation on its training data",
        }
        return tagger, book or tagger.codebook_, info
    tagger = default_model(book)
    info = {
        "name": "the bundled model (trained on the bundled labelled comments)",
        **_scores(tagger.cv_scores_),
        "evaluated_on": "cross-validation on the bundled training data",
    }
    return tagger, book or tagger.codebook_, info


def _scores(cv_scores: dict) -> dict:
    return {key: cv_scores.get(key) for key in ("micro_f1", "macro_f1") if key in cv_scores}


#: Columns that :func:`tag` adds.
TAG_COLUMNS = (Col.LABELS, Col.SCORES, Col.SENTIMENT, Col.IS_QUESTION)


def as_items(items: pd.DataFrame | str | Iterable[str]) -> pd.DataFrame:
    """An items table from an items table, a table with a ``text`` column, or texts.

    Rows without a ``kind`` are chat messages; missing columns are filled as the
    loaders fill them.

    Raises
    ------
    SchemaError
        When a table has no ``text`` column.
    """
    import pandas as pd

    from feedback.schema import coerce_items

    if isinstance(items, str):
        items = [items]
    if not isinstance(items, pd.DataFrame):
        texts = [str(t) for t in items]
        items = pd.DataFrame({Col.TEXT: texts, Col.KIND: Kind.CHAT})
    if Col.TEXT not in items.columns:
        raise SchemaError(
            f"the table to tag needs a '{Col.TEXT}' column "
            f"(it has: {', '.join(map(str, items.columns)) or 'no columns'})"
        )
    if Col.KIND not in items.columns:
        items = items.assign(**{Col.KIND: Kind.CHAT})
    return coerce_items(items)


def tag(
    items: pd.DataFrame | str | Iterable[str],
    model: CommentTagger | PathLike | None = None,
    codebook: Codebook | PathLike | None = None,
    *,
    explain: bool = False,
) -> pd.DataFrame:
    """Tag the public comments of an items table against the codebook.

    Parameters
    ----------
    items : pandas.DataFrame, str or list of str
        An items table from :func:`load`, any table with a ``text`` column, or
        comments as plain text.
    model : CommentTagger, str or Path, optional
        A fitted tagger or a model file from ``feedback train`` (default: the bundled
        model, trained once and cached).
    codebook : Codebook, str or Path, optional
        A codebook (``.yaml``, ``.toml`` or a REFI-QDA ``.qdc``); default: the model's.
    explain : bool
        Add an ``explanation`` column naming the phrases and terms behind each code.

    Returns
    -------
    pandas.DataFrame
        A copy of ``items`` with ``labels`` (code ids joined by ``;``), ``scores``
        (``code:probability`` joined by ``;``), ``sentiment`` and ``is_question``.
        Private messages are never tagged: their tag columns stay empty.

    Examples
    --------
    >>> import feedback
    >>> tagged = feedback.tag(["Could you share the slides?", "Great talk!"])  # doctest: +SKIP
    >>> tagged[["text", "labels"]]  # doctest: +SKIP
    """
    import numpy as np

    from feedback.analysis import tag_items

    table = as_items(items)
    tagger, _, _ = resolve_model(model, codebook)
    private = table[Col.IS_PRIVATE].astype(bool).to_numpy()
    public = table.loc[~private]
    tagged = tag_items(public, tagger, explain=explain)
    out = table.copy()
    columns = [*TAG_COLUMNS, Col.EXPLANATION] if explain else list(TAG_COLUMNS)
    for column in columns:
        filler, dtype = {Col.SENTIMENT: (np.nan, float), Col.IS_QUESTION: (False, bool)}.get(
            column, ("", object)
        )
        values = np.full(len(out), filler, dtype=dtype)
        values[~private] = tagged[column].to_numpy(dtype=dtype)
        out[column] = values
    return out


# -- the report --------------------------------------------------------------------------------
class Report:
    """A built report: look at it in a notebook, then write it to a folder.

    Made by :func:`feedback.report`. Displaying it in Jupyter shows a preview
    (title, headline figures and charts); :meth:`write` writes the full report
    (Markdown, HTML, charts, tagged comments, questions, summary and manifest).

    Attributes
    ----------
    title : str
    summary : dict
        Headline figures: messages, private messages excluded, codes, bursts,
        questions, survey.
    charts : dict of str to matplotlib.figure.Figure
        The report's charts by name.
    tagged : pandas.DataFrame
        The shareable tagged comments (no private messages, names pseudonymised).
    questions : pandas.DataFrame
    """

    def __init__(self, built, *, webinars, codebook, model_info, options) -> None:
        self._built = built
        self._webinars = webinars
        self._codebook = codebook
        self._model_info = model_info
        self._options = options

    @property
    def title(self) -> str:
        """The report's title."""
        return self._built.title

    @property
    def summary(self) -> dict:
        """Headline figures in machine form (as in ``summary.json``)."""
        return self._built.summary

    @property
    def charts(self) -> dict[str, Figure]:
        """The charts (matplotlib figures) by name."""
        return {name: chart.figure for name, chart in self._built.charts.items()}

    @property
    def tagged(self) -> pd.DataFrame:
        """The shareable tagged comments."""
        return self._built.tagged

    @property
    def questions(self) -> pd.DataFrame:
        """The questions participants asked, and whether they were answered."""
        return self._built.questions

    @property
    def key(self) -> dict:
        """Pseudonym to real name: keep it private, it is never written by :meth:`write`."""
        return dict(self._built.key)

    def write(self, out_dir: PathLike) -> list[Path]:
        """Write the report into ``out_dir`` (created if needed), each file atomically.

        Parameters
        ----------
        out_dir : str or Path

        Returns
        -------
        list of Path
            The files written.

        Raises
        ------
        OutputError
            When a file would be written over (or the folder is) an input.
        """
        from feedback.io import check_not_input
        from feedback.report import build_manifest, write_report

        out = Path(out_dir)
        sources = [Path(result.path) for w in self._webinars for result in w.files]
        planned = [out / f"{name}.png" for name in self._built.charts]
        planned += [out / name for name in _REPORT_FILES]
        check_not_input(planned, sources)
        for source in sources:
            if source.parent.resolve() == out.resolve():
                from feedback.exceptions import OutputError

                raise OutputError(f"{out}: holds the input {source.name}; choose another folder")
        self._built.manifest = build_manifest(
            self._webinars,
            codebook=self._codebook,
            model_info=self._model_info,
            options=self._options,
        )
        return write_report(self._built, out)

    def _repr_html_(self) -> str:
        import base64

        from feedback.plots import png_bytes

        summary = self.summary
        facts = [
            f"{summary.get('messages', 0)} public messages",
            f"{summary.get('private_excluded', 0)} private messages excluded",
            f"{summary.get('reactions', 0)} reactions",
        ]
        questions = summary.get("questions") or []
        if questions:
            still_open = sum(1 for q in questions if not q.get("answered"))
            facts.append(f"{len(questions)} questions ({still_open} still open)")
        responses = (summary.get("survey") or {}).get("responses")
        if responses:
            facts.append(f"{responses} survey responses")
        codes = summary.get("conversation_codes") or summary.get("codes") or {}
        top = sorted(((n, c) for c, n in codes.items() if n), reverse=True)[:5]
        parts = [
            '<div class="feedback-report">',
            f"<h2>{html.escape(self.title)}</h2>",
            "<p>" + " &middot; ".join(html.escape(f) for f in facts) + "</p>",
        ]
        if top:
            listed = ", ".join(f"{html.escape(self._codebook.label(c))} ({n})" for n, c in top)
            parts.append(f"<p><b>Most discussed:</b> {listed}</p>")
        for chart in self._built.charts.values():
            data = base64.b64encode(png_bytes(chart.figure)).decode("ascii")
            parts.append(
                f'<img src="data:image/png;base64,{data}" alt="{html.escape(chart.alt)}" '
                'style="width:100%;max-width:760px;display:block;margin:0.5em 0">'
            )
        parts.append("<p><i>Write the full report with <code>.write(folder)</code>.</i></p>")
        parts.append("</div>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        summary = self.summary
        return (
            f"<Report {self.title!r}: {summary.get('messages', 0)} public messages, "
            f"{len(self._built.charts)} charts>"
        )


#: Files every report writes besides its charts.
_REPORT_FILES = (
    "report.md",
    "report.html",
    "tagged_comments.csv",
    "questions.csv",
    "summary.json",
    "manifest.json",
)


def report(
    *paths: PathLike | Sequence[PathLike],
    title: str | None = None,
    names: str = "pseudonym",
    keep_names: Sequence[str] = (),
    min_group: int = 3,
    model: CommentTagger | PathLike | None = None,
    codebook: Codebook | PathLike | None = None,
    format: str | None = None,
    date: Date | str | None = None,
    strict: bool = False,
) -> Report:
    """Build the report of one webinar (or a series of several) from its exports.

    Parameters
    ----------
    *paths : str, Path, or lists of them
        Export files and folders of one webinar; several folders make a series report.
    title : str, optional
        Title of the report (default: the webinar's topic).
    names : {"pseudonym", "first", "full"}
        How people are named in quotes and tables (pseudonyms by default).
    keep_names : sequence of str
        Names kept as they are (hosts and panelists who agreed).
    min_group : int
        Organisations and countries with fewer people are merged into "Other".
    model, codebook
        As for :func:`tag`.
    format, date, strict
        As for :func:`load`.

    Returns
    -------
    Report
        Displayed inline in a notebook; ``.summary``, ``.charts`` and ``.write(folder)``.

    Examples
    --------
    >>> import feedback
    >>> result = feedback.report("data/sample")  # doctest: +SKIP
    >>> result.summary["messages"]  # doctest: +SKIP
    >>> result.charts  # doctest: +SKIP
    >>> result.write("report")  # doctest: +SKIP
    """
    from feedback.report import ReportOptions, build_report

    webinars = load_webinars(*paths, format=format, date=date, strict=strict)
    tagger, book, info = resolve_model(model, codebook)
    options = ReportOptions(
        title=title, names=names, keep_names=list(keep_names), min_group=min_group
    )
    built = build_report(webinars, model=tagger, codebook=book, options=options, model_info=info)
    return Report(built, webinars=webinars, codebook=book, model_info=info, options=options)
