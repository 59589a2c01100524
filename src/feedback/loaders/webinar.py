"""Loading a webinar: one file, the files and folders of a webinar, clocks put together.

:func:`load_file` reads one export (its format detected, or forced);
:func:`load_webinar` reads the files and folders of one webinar and puts their
timestamps on one clock; :func:`load_inputs` reads one or several webinars.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedback.exceptions import FeedbackError, FormatError
from feedback.loaders.base import (
    UNKNOWN_DATE,
    LoadOptions,
    LoadResult,
    Skipped,
    Source,
)
from feedback.loaders.registry import detect, get_loader

if TYPE_CHECKING:
    import pandas as pd

#: Files the system puts in folders: never inputs, never listed.
_SYSTEM_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
#: Files found in a folder that are not exports, by suffix: why they are skipped.
_NOT_EXPORTS = {
    **dict.fromkeys((".mp4", ".mov", ".mkv", ".webm", ".avi"), "a video"),
    **dict.fromkeys((".m4a", ".mp3", ".wav", ".aac", ".ogg", ".flac"), "an audio recording"),
    ".zoom": "a Zoom recording not yet converted",
    **dict.fromkeys((".m3u", ".m3u8"), "a playlist"),
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp", ".svg"),
        "an image",
    ),
    ".pdf": "a PDF document",
    **dict.fromkeys((".doc", ".docx", ".ppt", ".pptx", ".key", ".odt", ".odp"), "a document"),
    **dict.fromkeys((".zip", ".7z", ".rar", ".gz"), "an archive"),
    ".md": "notes (Markdown)",
    ".json": "a JSON file",
    **dict.fromkeys((".html", ".htm"), "a web page"),
}
#: Values of :attr:`LoadOptions.panelist_messages`.
PANELIST_CHOICES = ("include", "exclude")


@dataclass(frozen=True)
class SkippedFile:
    """A file found in a folder that was not read, and why.

    Attributes
    ----------
    path : Path
    reason : str
        What the file is ("an audio recording") or why it could not be read.
    """

    path: Path
    reason: str

    def describe(self) -> str:
        """One line for summaries: ``<path>: skipped, <reason>``."""
        return f"{self.path}: skipped, {self.reason}"


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
    panelists = options.panelist_messages if options is not None else "include"
    if panelists not in PANELIST_CHOICES:
        raise FeedbackError(
            f"panelist messages {panelists!r}: expected one of {', '.join(PANELIST_CHOICES)}"
        )
    cls = get_loader(format) if format else detect(source)
    try:
        result = cls().load(source, options)
        if panelists == "exclude":
            _exclude_panelist_messages(result)
        return result
    except FeedbackError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError, OverflowError) as error:
        raise FormatError(
            f"{source.path}: could not be read as {cls.format_id} ({type(error).__name__}: {error})"
        ) from None


def _exclude_panelist_messages(result: LoadResult) -> None:
    """Treat messages to a webinar's panel like private ones: counted, never analysed."""
    from feedback.schema import RECIPIENT_PANELISTS, Col

    items = result.items
    if len(items):
        panel = items[Col.RECIPIENT] == RECIPIENT_PANELISTS
        items[Col.IS_PRIVATE] = items[Col.IS_PRIVATE].astype(bool) | panel


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
    skipped_files : list of SkippedFile
        Files in the folders that are not exports (or could not be read).
    """

    name: str
    files: list[LoadResult] = field(default_factory=list)
    items: pd.DataFrame | None = None
    participants: pd.DataFrame | None = None
    meta: dict = field(default_factory=dict)
    skipped_files: list[SkippedFile] = field(default_factory=list)

    @property
    def skipped(self) -> list[Skipped]:
        """Every skipped line of every file."""
        return [s for f in self.files for s in f.skipped]


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the files they hold that may be exports (sorted).

    Hidden and system files, and files that are not exports (media, images,
    documents: see :func:`collect_inputs`) are left out.
    """
    return [path for path, _ in collect_inputs(paths)[0]]


def as_path_list(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """One path or many, as a list of paths (a single string is one path, not its letters).

    Examples
    --------
    >>> as_path_list("exports/chat.txt")
    [PosixPath('exports/chat.txt')]
    """
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(p) for p in paths]


def collect_inputs(
    paths: Iterable[str | Path],
) -> tuple[list[tuple[Path, bool]], list[SkippedFile]]:
    """The files to read, and the files of folders that are not exports.

    Returns
    -------
    files : list of (Path, bool)
        Each file, and whether it was named explicitly (not found in a folder).
    skipped : list of SkippedFile
        Files in folders that are media, images, documents and the like.

    Raises
    ------
    FormatError
        For a path that does not exist.
    """
    files: list[tuple[Path, bool]] = []
    skipped: list[SkippedFile] = []
    for raw in as_path_list(paths):
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    not child.is_file()
                    or any(p.startswith(".") for p in child.relative_to(path).parts)
                    or child.name.lower() in _SYSTEM_NAMES
                ):
                    continue
                reason = _NOT_EXPORTS.get(child.suffix.lower())
                if reason is not None:
                    skipped.append(SkippedFile(child, f"{reason}, not an export"))
                else:
                    files.append((child, False))
        elif path.exists():
            files.append((path, True))
        else:
            raise FormatError(f"{path}: no such file or folder")
    return files, skipped


def _skip_reason(error: FeedbackError, path: Path) -> str:
    """Why a file in a folder was not read, from the error its loading raised."""
    first = str(error).splitlines()[0]
    if "not a format feedback recognises" in first:
        return "matches no export format"
    if "the file is empty" in first:
        return "the file is empty"
    for prefix in (f"{path}: ", f"{path.name}: "):
        if first.startswith(prefix):
            first = first[len(prefix) :]
    return f"could not be read ({first})"


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

    files, skipped_files = collect_inputs(paths)
    options = options or LoadOptions()
    if options.strict and skipped_files:
        raise FormatError(
            f"{skipped_files[0].path}: {skipped_files[0].reason} "
            "(--strict stops at files in a folder that are not exports)"
        )
    if not files:
        raise FormatError(
            "no input files: "
            + ", ".join(map(str, paths))
            + "".join(f"\n  {s.describe()}" for s in skipped_files)
        )
    if name is None and options.webinar is None:
        first = Path(paths[0])
        name = first.name if first.is_dir() else None
    if name is not None:
        options = LoadOptions(**{**options.__dict__, "webinar": name})
    results = []
    for path, explicit in files:
        if progress is not None:
            progress(path)
        try:
            results.append(load_file(path, format=format, options=options))
        except FeedbackError as error:
            # Only a file named on the command line must be read; one in a folder
            # is skipped (and listed) unless --strict.
            if explicit or options.strict:
                raise
            skipped_files.append(SkippedFile(path, _skip_reason(error, path)))
    if not results:
        raise FormatError(
            "no export could be read in: "
            + ", ".join(map(str, paths))
            + "".join(f"\n  {s.describe()}" for s in skipped_files)
        )

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
        or (items[Col.WEBINAR].iloc[0] if len(items) else results[0].path.stem)
    )
    if len(items):
        items[Col.WEBINAR] = webinar_name
    if len(participants):
        participants["webinar"] = webinar_name
    meta.setdefault("title", webinar_name)
    return Webinar(
        name=webinar_name,
        files=results,
        items=items,
        participants=participants,
        meta=meta,
        skipped_files=skipped_files,
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
    paths = as_path_list(paths)
    if len(paths) > 1 and all(p.is_dir() for p in paths):
        return [
            load_webinar([p], name=p.name, format=format, options=options, progress=progress)
            for p in paths
        ]
    return [load_webinar(paths, format=format, options=options, progress=progress)]
