"""The registry of loaders and format detection.

Each loader module registers its classes with :func:`register`; the modules are
imported on first use so that ``import feedback`` stays free.
"""

from __future__ import annotations

import importlib

from feedback.exceptions import FormatError
from feedback.loaders.base import Loader, Source

#: Modules that define loaders, imported on first use.
LOADER_MODULES = (
    "feedback.loaders.zoom_chat",
    "feedback.loaders.transcripts",
    "feedback.loaders.zoom_reports",
    "feedback.loaders.teams",
    "feedback.loaders.surveys",
    "feedback.loaders.generic",
    "feedback.loaders.qdpx",
)

_REGISTRY: dict[str, type[Loader]] = {}
_loaded = False


def register(cls: type[Loader]) -> type[Loader]:
    """Class decorator: add a loader to the registry under its ``format_id``."""
    if not cls.format_id:
        raise ValueError(f"{cls.__name__} has no format_id")
    if cls.format_id in _REGISTRY and _REGISTRY[cls.format_id] is not cls:
        raise ValueError(f"format id {cls.format_id!r} is registered twice")
    _REGISTRY[cls.format_id] = cls
    return cls


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    for module in LOADER_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
    _loaded = True


def loaders() -> dict[str, type[Loader]]:
    """Return all registered loaders, by format id, in registration order."""
    _ensure_loaded()
    return dict(_REGISTRY)


def get_loader(format_id: str) -> type[Loader]:
    """Return the loader registered as ``format_id``.

    Raises
    ------
    FormatError
        Listing the known format ids when there is no such format.
    """
    known = loaders()
    if format_id not in known:
        raise FormatError(
            f"unknown format {format_id!r}; known formats: {', '.join(sorted(known))}"
        )
    return known[format_id]


def detect(source: Source) -> type[Loader]:
    """Find the loader for ``source``: the one whose ``sniff`` is surest.

    Raises
    ------
    FormatError
        Naming the file, the formats tried and what its first lines look like.
    """
    best: tuple[float, type[Loader]] | None = None
    for cls in loaders().values():
        try:
            score = float(cls.sniff(source))
        except Exception:  # a sniff must never break detection
            score = 0.0
        if score > 0 and (best is None or score > best[0]):
            best = (score, cls)
    if best is None:
        raise FormatError(unrecognised_message(source))
    return best[1]


def unrecognised_message(source: Source) -> str:
    """The error text for a file no loader recognises."""
    if not source.data:
        return f"{source.path}: the file is empty"
    head = source.head(3)
    preview = "\n".join(f"    {line[:100]!r}" for line in head) or "    (no readable lines)"
    tried = ", ".join(loaders())
    return (
        f"{source.path}: not a format feedback recognises.\n"
        f"  Formats tried: {tried}.\n"
        f"  The file starts with:\n{preview}\n"
        "  Use --format to choose one (see 'feedback formats'), or --text-column for a "
        "plain table."
    )
