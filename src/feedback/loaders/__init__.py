"""Loaders: every export a webinar team has, read into one tidy items table.

Use :func:`load_file` for one file and :func:`load_inputs` for files and
folders that make up one or more webinars. Formats are detected automatically
(see :func:`feedback.loaders.registry.detect`); ``format=`` forces one.

This module only re-exports; the code lives in :mod:`feedback.loaders.webinar`
(loading files and webinars), :mod:`~feedback.loaders.base` (the loader
contract) and :mod:`~feedback.loaders.registry` (registration and detection).
"""

from __future__ import annotations

from feedback.loaders.base import Loader, LoadOptions, LoadResult, Skipped, Source
from feedback.loaders.registry import detect, get_loader, loaders, register
from feedback.loaders.webinar import (
    SkippedFile,
    Webinar,
    expand_inputs,
    load_file,
    load_inputs,
    load_webinar,
)

__all__ = [
    "LoadOptions",
    "LoadResult",
    "Loader",
    "Skipped",
    "SkippedFile",
    "Source",
    "Webinar",
    "detect",
    "expand_inputs",
    "get_loader",
    "load_file",
    "load_inputs",
    "load_webinar",
    "loaders",
    "register",
]
