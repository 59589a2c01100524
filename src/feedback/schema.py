"""Column names, dtypes and order of every table feedback builds.

Every module and every test takes column names from here, never from string
literals, so a rename happens in one place.

Tables
------
items
    One row per chat message, reaction, transcript cue, Q&A question or survey
    answer (see :data:`ITEM_COLUMNS`).
participants
    One row per person from attendee, participant or attendance reports, with
    rejoins merged (see :data:`PARTICIPANT_COLUMNS`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback.exceptions import SchemaError

if TYPE_CHECKING:
    import pandas as pd


class Col:
    """Names of the columns of the items table (and of the tagged table)."""

    ITEM_ID = "item_id"
    WEBINAR = "webinar"
    SOURCE = "source"
    FORMAT = "format"
    KIND = "kind"
    TIMESTAMP = "timestamp"
    AUTHOR = "author"
    RECIPIENT = "recipient"
    IS_PRIVATE = "is_private"
    REPLY_TO = "reply_to"
    QUESTION = "question"
    RESPONSE_TYPE = "response_type"
    RESPONDENT = "respondent"
    TEXT = "text"
    # Q&A reports: the answer given live (empty when none).
    ANSWER = "answer"
    # Line (or row) of the source file the item starts on, 1-based.
    LINE = "line"

    # Added by tagging.
    LABELS = "labels"
    SCORES = "scores"
    SENTIMENT = "sentiment"
    IS_QUESTION = "is_question"
    EXPLANATION = "explanation"
    # Which codebook and model tagged the row (written by ``feedback tag``).
    TAGGED_BY = "tagged_by"


#: Value of the ``recipient`` column for chat messages to everyone.
RECIPIENT_EVERYONE = "Everyone"
#: Value of the ``recipient`` column for webinar chat messages to the panel ("to All
#: Panelists", "to Hosts and Panelists"): the audience's comments when the chat is
#: closed to attendees; public, not private.
RECIPIENT_PANELISTS = "All Panelists"


class PCol:
    """Names of the columns of the participants table."""

    WEBINAR = "webinar"
    SOURCE = "source"
    NAME = "name"
    EMAIL = "email"
    ROLE = "role"
    ATTENDED = "attended"
    JOIN_TIME = "join_time"
    LEAVE_TIME = "leave_time"
    MINUTES = "minutes"
    SESSIONS = "sessions"
    COUNTRY = "country"
    ORGANISATION = "organisation"


class Kind:
    """Values of the ``kind`` column."""

    CHAT = "chat"
    REACTION = "reaction"
    TRANSCRIPT = "transcript"
    QUESTION = "question"
    ANSWER = "answer"
    ALL = (CHAT, REACTION, TRANSCRIPT, QUESTION, ANSWER)
    #: Kinds whose text is tagged (survey answers only when free text).
    TAGGABLE = (CHAT, TRANSCRIPT, QUESTION, ANSWER)


class ResponseType:
    """Values of the ``response_type`` column (survey answers only)."""

    TEXT = "text"
    RATING = "rating"
    CHOICE = "choice"
    ALL = (TEXT, RATING, CHOICE)


class Role:
    """Values of the participants' ``role`` column."""

    HOST = "host"
    PANELIST = "panelist"
    ATTENDEE = "attendee"
    ORGANISER = "organiser"
    PRESENTER = "presenter"
    #: Roles that can answer participants' questions.
    SPEAKERS = (HOST, PANELIST, ORGANISER, PRESENTER)


ITEM_COLUMNS: tuple[str, ...] = (
    Col.ITEM_ID,
    Col.WEBINAR,
    Col.SOURCE,
    Col.FORMAT,
    Col.KIND,
    Col.TIMESTAMP,
    Col.AUTHOR,
    Col.RECIPIENT,
    Col.IS_PRIVATE,
    Col.REPLY_TO,
    Col.QUESTION,
    Col.RESPONSE_TYPE,
    Col.RESPONDENT,
    Col.TEXT,
    Col.ANSWER,
    Col.LINE,
)

#: Columns that hold free text (object/str dtype, empty string for missing).
ITEM_TEXT_COLUMNS: tuple[str, ...] = (
    Col.ITEM_ID,
    Col.WEBINAR,
    Col.SOURCE,
    Col.FORMAT,
    Col.KIND,
    Col.AUTHOR,
    Col.RECIPIENT,
    Col.REPLY_TO,
    Col.QUESTION,
    Col.RESPONSE_TYPE,
    Col.RESPONDENT,
    Col.TEXT,
    Col.ANSWER,
)

PARTICIPANT_COLUMNS: tuple[str, ...] = (
    PCol.WEBINAR,
    PCol.SOURCE,
    PCol.NAME,
    PCol.EMAIL,
    PCol.ROLE,
    PCol.ATTENDED,
    PCol.JOIN_TIME,
    PCol.LEAVE_TIME,
    PCol.MINUTES,
    PCol.SESSIONS,
    PCol.COUNTRY,
    PCol.ORGANISATION,
)

PARTICIPANT_TEXT_COLUMNS: tuple[str, ...] = (
    PCol.WEBINAR,
    PCol.SOURCE,
    PCol.NAME,
    PCol.EMAIL,
    PCol.ROLE,
    PCol.COUNTRY,
    PCol.ORGANISATION,
)


def empty_items() -> pd.DataFrame:
    """Return an items table with no rows and the right columns and dtypes."""
    return items_from_records([])


def items_from_records(records: list[dict]) -> pd.DataFrame:
    """Build an items table from a list of dicts, filling missing columns.

    Parameters
    ----------
    records : list of dict
        Each dict maps column names from :data:`ITEM_COLUMNS` to values; missing
        keys become empty strings (text), ``NaT`` (timestamp), ``False``
        (``is_private``) or ``<NA>`` (``line``).

    Returns
    -------
    pandas.DataFrame
        Columns in :data:`ITEM_COLUMNS` order.
    """
    import pandas as pd

    extra = list(dict.fromkeys(k for r in records for k in r if k not in ITEM_COLUMNS))
    frame = pd.DataFrame.from_records(records, columns=[*ITEM_COLUMNS, *extra])
    return coerce_items(frame)


def coerce_items(frame: pd.DataFrame) -> pd.DataFrame:
    """Give an items table its canonical dtypes and column order (a copy)."""
    import pandas as pd

    frame = frame.copy()
    for column in ITEM_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    for column in ITEM_TEXT_COLUMNS:
        frame[column] = _text_column(frame[column])
    frame[Col.TIMESTAMP] = pd.to_datetime(frame[Col.TIMESTAMP], errors="coerce")
    frame[Col.IS_PRIVATE] = _bool_column(frame[Col.IS_PRIVATE], default=False)
    frame[Col.LINE] = pd.to_numeric(frame[Col.LINE], errors="coerce").astype("Int64")
    extra = [c for c in frame.columns if c not in ITEM_COLUMNS]
    return frame[list(ITEM_COLUMNS) + extra].reset_index(drop=True)


def _text_column(series: pd.Series) -> pd.Series:
    """Strings, with missing values as ``""`` (object dtype)."""
    values = series.astype(object)
    return values.where(values.notna(), "").map(str).astype(object)


def _bool_column(series: pd.Series, *, default: bool) -> pd.Series:
    """Booleans, with missing values as ``default``."""
    values = series.astype(object)
    return values.where(values.notna(), default).map(bool).astype(bool)


def empty_participants() -> pd.DataFrame:
    """Return a participants table with no rows."""
    return participants_from_records([])


def participants_from_records(records: list[dict]) -> pd.DataFrame:
    """Build a participants table from a list of dicts (see :data:`PARTICIPANT_COLUMNS`)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=list(PARTICIPANT_COLUMNS))
    for column in PARTICIPANT_TEXT_COLUMNS:
        frame[column] = _text_column(frame[column])
    frame[PCol.JOIN_TIME] = pd.to_datetime(frame[PCol.JOIN_TIME], errors="coerce")
    frame[PCol.LEAVE_TIME] = pd.to_datetime(frame[PCol.LEAVE_TIME], errors="coerce")
    frame[PCol.MINUTES] = pd.to_numeric(frame[PCol.MINUTES], errors="coerce")
    frame[PCol.SESSIONS] = pd.to_numeric(frame[PCol.SESSIONS], errors="coerce").astype("Int64")
    frame[PCol.ATTENDED] = _bool_column(frame[PCol.ATTENDED], default=True)
    return frame.reset_index(drop=True)


def validate_items(frame: pd.DataFrame, *, required: tuple[str, ...] = ITEM_COLUMNS) -> None:
    """Check that ``frame`` is an items table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to check.
    required : tuple of str, optional
        Columns that must be present (all of :data:`ITEM_COLUMNS` by default).

    Raises
    ------
    SchemaError
        Naming the missing columns, or the column whose values are malformed.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame of items, got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SchemaError(
            "the items table is missing column(s): "
            + ", ".join(missing)
            + f" (it has: {', '.join(map(str, frame.columns)) or 'no columns'})"
        )
    if Col.KIND in frame.columns:
        bad = sorted(set(frame[Col.KIND].dropna().astype(str)) - set(Kind.ALL))
        if bad:
            raise SchemaError(
                f"column '{Col.KIND}' holds unknown value(s) {bad}; expected one of {Kind.ALL}"
            )
    if Col.TIMESTAMP in frame.columns and not pd.api.types.is_datetime64_any_dtype(
        frame[Col.TIMESTAMP]
    ):
        raise SchemaError(f"column '{Col.TIMESTAMP}' must hold datetimes")


def validate_participants(frame: pd.DataFrame) -> None:
    """Check that ``frame`` is a participants table; raise :class:`SchemaError` if not."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(
            f"expected a pandas DataFrame of participants, got {type(frame).__name__}"
        )
    missing = [c for c in PARTICIPANT_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError("the participants table is missing column(s): " + ", ".join(missing))


# -- the tagged cell format ----------------------------------------------------------------------
#: Separator of code ids in a ``labels`` cell (``"a;b"``) and of entries in a ``scores`` cell.
LABEL_SEP = ";"


def parse_labels(value: object) -> list[str]:
    """Labels from a cell: ``"a;b"``, ``"a, b"``, a list, or empty/NaN for none.

    Examples
    --------
    >>> parse_labels("failure; social")
    ['failure', 'social']
    >>> parse_labels(float("nan"))
    []
    """
    if value is None:
        return []
    if isinstance(value, float) and value != value:
        return []
    if isinstance(value, list | tuple | set) or type(value).__name__ == "ndarray":
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).replace(",", LABEL_SEP)
    return [part.strip() for part in text.split(LABEL_SEP) if part.strip()]


def format_labels(codes: list[str]) -> str:
    """A ``labels`` cell from code ids: ``"a;b"`` (empty for none)."""
    return LABEL_SEP.join(codes)


def format_scores(scores: list[tuple[str, float]]) -> str:
    """A ``scores`` cell from (code, probability) pairs: ``"a:0.87;b:0.61"``."""
    return LABEL_SEP.join(f"{code}:{probability:.2f}" for code, probability in scores)
