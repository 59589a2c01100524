"""Loaders: every export a webinar team has, read into one tidy items table.

Use :func:`load_file` for one file and :func:`load_inputs` for files and
folders that make up one or more webinars. Formats are detected automatically
(see :func:`feedback.loaders.registry.detect`); ``format=`` forces one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedback.exceptions import FeedbackError, FormatError
from feedback.loaders.base import (
    UNKNOWN_DATE,
    Loader,
    LoadOptions,
    LoadResult,
    Skipped,
    Source,
)
from feedback.loaders.registry import detect, get_loader, loaders, register

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LoadOptions",
    "LoadResult",
    "Loader",
    "Skipped",
    "Source",
    "Webinar",
    "detect",
    "get_loader",
    "load_file",
    "load_inputs",
    "loaders",
    "register",
]

#: File names in a folder that are never inputs.
_IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_IGNORED_SUFFIXES = {".md", ".json", ".png", ".jpg", ".jpeg", ".mp4", ".m4a", ".html", ".pdf"}


def load_file(
    path: str | Path,
    *,
    format: str | None = None,
    options: LoadOptions | None = None,
    data: bytes | None = None,
) -> LoadResult:
    """Load one export file.

    Parameters
    ----------
    path : str or Path
        The file.
    format : str, optional
        A format id (see ``feedback formats``); detected when omitted.
    options : LoadOptions, optional
    data : bytes, optional
        The file's bytes, if already read (``path`` then only names it).

    Returns
    -------
    LoadResult

    Raises
    ------
    FeedbackError
        For a file that cannot be read; the message names the file.

    Examples
    --------
    >>> result = load_file("data/sample/meeting_saved_chat.txt")  # doctest: +SKIP
    >>> result.format  # doctest: +SKIP
    'zoom-chat-twoline'
    """
    source = Source(path, data=data)
    if data is None and not source.path.is_file():
        raise FormatError(f"{source.path}: no such file")
    cls = get_loader(format) if format else detect(source)
    try:
        return cls().load(source, options)
    except FeedbackError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError, OverflowError) as error:
        raise FormatError(
            f"{source.path}: could not be read as {cls.format_id} ({type(error).__name__}: {error})"
        ) from None


@dataclass
class Webinar:
    """The inputs of one webinar, loaded and combined.

    Attributes
    ----------
    name : str
    files : list of LoadResult
    items : pandas.DataFrame
        Items of every file, with timestamps put on one clock where possible.
    participants : pandas.DataFrame
    meta : dict
        ``title``, ``start`` and ``registered`` when a report gives them.
    """

    name: str
    files: list[LoadResult] = field(default_factory=list)
    items: pd.DataFrame | None = None
    participants: pd.DataFrame | None = None
    meta: dict = field(default_factory=dict)

    @property
    def skipped(self) -> list[Skipped]:
        """Every skipped line of every file."""
        return [s for f in self.files for s in f.skipped]


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the files they hold (sorted; hidden and non-export files left out)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and not any(p.startswith(".") for p in child.relative_to(path).parts)
                    and child.name.lower() not in _IGNORED_NAMES
                    and child.suffix.lower() not in _IGNORED_SUFFIXES
                ):
                    out.append(child)
        elif path.exists():
            out.append(path)
        else:
            raise FormatError(f"{path}: no such file or folder")
    return out


def load_webinar(
    paths: Sequence[str | Path],
    *,
    name: str | None = None,
    format: str | None = None,
    options: LoadOptions | None = None,
    progress=None,
) -> Webinar:
    """Load the files of one webinar and combine them.

    Chats that give only times of day take their date from a report of the same
    webinar (its start time) when no date was found otherwise; chats and
    transcripts timed from the recording start are put on the report's clock.

    Parameters
    ----------
    paths : sequence of str or Path
        Files and folders.
    name : str, optional
        The webinar's name (default: the folder's or the first file's).
    format : str, optional
        Force one format for every file.
    options : LoadOptions, optional
    progress : callable, optional
        Called as ``progress(path)`` before each file is read.
    """
    import pandas as pd

    from feedback.schema import Col, empty_items, empty_participants

    files = expand_inputs(paths)
    if not files:
        raise FormatError("no input files: " + ", ".join(map(str, paths)))
    options = options or LoadOptions()
    if name is None and options.webinar is None:
        first = Path(paths[0])
        name = first.name if first.is_dir() else None
    if name is not None:
        options = LoadOptions(**{**options.__dict__, "webinar": name})
    results = []
    for path in files:
        if progress is not None:
            progress(path)
        results.append(load_file(path, format=format, options=options))

    meta: dict = {}
    for result in results:
        for key in ("title", "start", "end", "registered", "duration_minutes"):
            if result.meta.get(key) is not None and key not in meta:
                meta[key] = result.meta[key]
    start: datetime | None = meta.get("start")
    frames = []
    for result in results:
        items = result.items
        if start is not None and len(items):
            time_base = result.meta.get("time_base")
            if time_base == "offset" and not result.meta.get("offset_anchored"):
                base = datetime.combine(UNKNOWN_DATE, datetime.min.time())
                items = items.assign(**{Col.TIMESTAMP: items[Col.TIMESTAMP] - base + start})
            elif time_base == "clock" and not result.meta.get("date_known", True):
                shift = datetime.combine(start.date(), datetime.min.time()) - datetime.combine(
                    UNKNOWN_DATE, datetime.min.time()
                )
                items = items.assign(**{Col.TIMESTAMP: items[Col.TIMESTAMP] + shift})
        frames.append(items)
    items = (
        pd.concat([f for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else empty_items()
    )
    parts = [r.participants for r in results if len(r.participants)]
    participants = pd.concat(parts, ignore_index=True) if parts else empty_participants()
    webinar_name = (
        name
        or options.webinar
        or (items[Col.WEBINAR].iloc[0] if len(items) else Path(files[0]).stem)
    )
    if len(items):
        items[Col.WEBINAR] = webinar_name
    if len(participants):
        participants["webinar"] = webinar_name
    meta.setdefault("title", webinar_name)
    return Webinar(
        name=webinar_name, files=results, items=items, participants=participants, meta=meta
    )


def load_inputs(
    paths: Sequence[str | Path],
    *,
    format: str | None = None,
    options: LoadOptions | None = None,
    progress=None,
) -> list[Webinar]:
    """Load inputs as webinars: several folders are several webinars, else one.

    Parameters
    ----------
    paths : sequence of str or Path
        Files and folders. When every path is a folder and there are two or more,
        each folder is one webinar; otherwise all the files make one webinar.

    Returns
    -------
    list of Webinar
    """
    paths = [Path(p) for p in paths]
    if len(paths) > 1 and all(p.is_dir() for p in paths):
        return [
            load_webinar([p], name=p.name, format=format, options=options, progress=progress)
            for p in paths
        ]
    return [load_webinar(paths, format=format, options=options, progress=progress)]
