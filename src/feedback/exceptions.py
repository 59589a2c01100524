"""Errors raised by feedback.

Every error a user can cause is a :class:`FeedbackError`; the command-line
interface turns it into a one-paragraph message and a non-zero exit code, never
a traceback.
"""

from __future__ import annotations


class FeedbackError(Exception):
    """Base class of every error that feedback raises on purpose."""


class FormatError(FeedbackError):
    """A file could not be read as any known export format, or is malformed."""


class ParseError(FormatError):
    """Lines of a recognised file could not be placed (raised in strict mode)."""


class SchemaError(FeedbackError):
    """A table is missing columns, or a column holds the wrong kind of value."""


class CodebookError(FeedbackError):
    """A codebook file is invalid."""


class ModelError(FeedbackError):
    """A model file cannot be used (wrong codebook, not fitted, unreadable)."""


class OutputError(FeedbackError):
    """An output cannot be written (for instance it would overwrite an input)."""
