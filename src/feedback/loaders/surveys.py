"""Survey exports: Microsoft Forms, Google Forms, SurveyMonkey and Qualtrics.

Every survey loader gives one ``answer`` item per respondent and non-empty
answer. Columns are mapped by their header text, never by position (Microsoft
says Forms columns can come out of order), and metadata columns (ids, times,
emails, Text iQ topics...) are never answers.

Each answer gets a ``response_type``:

``rating``
    every answer of the question is a number from 0 to 10, or a label of a
    recognised ordered scale ("Strongly agree", "Very useful", "Extremely
    likely"...). The scale's order is kept in ``meta["scales"]``.
``choice``
    yes/no answers, multi-select answers (stored as ``"A; B"``), or a question
    with few distinct answers for its number of responses.
``text``
    everything else.

The loaders also put ``meta["questions"]`` (question texts in column order),
``meta["respondents"]`` (number of responses), ``meta["response_types"]``
(question -> type) and ``meta["multi_select"]`` (questions whose answers join
several options with ``"; "``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from feedback.exceptions import FormatError
from feedback.loaders.base import (
    Loader,
    LoadOptions,
    Parsed,
    Skipped,
    Source,
)
from feedback.loaders.dates import parse_times, parse_when
from feedback.loaders.registry import register
from feedback.loaders.tables import (
    AUTHOR_NAMES,
    TEXT_NAMES,
    cell_at,
    clean_cell,
    column,
    norm_header,
    table_head,
    unique_names,
)
from feedback.schema import Col, Kind, ResponseType

# -- scales and response types ----------------------------------------------------------

_NEUTRAL_AGREE = "Neither agree nor disagree|Neutral|Neither disagree nor agree|Undecided"
_STRONG_DIS = "Strongly disagree|Completely disagree|Totally disagree"
_STRONG_AGR = "Strongly agree|Completely agree|Totally agree"
_VERY_DISSAT = "Very dissatisfied|Extremely dissatisfied|Very unsatisfied|Completely dissatisfied"
_VERY_SAT = "Very satisfied|Extremely satisfied|Completely satisfied"
_NEUTRAL_SAT = "Neither satisfied nor dissatisfied|Neutral|Neither dissatisfied nor satisfied"

#: Ordered scales, most negative (or lowest) first; ``|`` separates synonyms of a level.
_SCALES: tuple[tuple[str, ...], ...] = (
    (_STRONG_DIS, "Disagree", _NEUTRAL_AGREE, "Agree", _STRONG_AGR),
    (
        _STRONG_DIS,
        "Disagree",
        "Somewhat disagree|Slightly disagree|Mildly disagree",
        _NEUTRAL_AGREE,
        "Somewhat agree|Slightly agree|Mildly agree",
        "Agree",
        _STRONG_AGR,
    ),
    (
        _VERY_DISSAT,
        "Dissatisfied|Somewhat dissatisfied|Unsatisfied",
        _NEUTRAL_SAT,
        "Satisfied|Somewhat satisfied",
        _VERY_SAT,
    ),
    (
        _VERY_DISSAT,
        "Dissatisfied|Unsatisfied",
        "Somewhat dissatisfied|Slightly dissatisfied",
        _NEUTRAL_SAT,
        "Somewhat satisfied|Slightly satisfied",
        "Satisfied",
        _VERY_SAT,
    ),
    (
        "Very unlikely|Extremely unlikely",
        "Unlikely|Somewhat unlikely",
        "Neither likely nor unlikely|Neutral|Not sure|Unsure",
        "Likely|Somewhat likely",
        "Very likely|Extremely likely",
    ),
    ("Poor", "Fair", "Good", "Very good", "Excellent"),
    (
        "Very poor|Terrible|Very bad",
        "Poor|Bad",
        "Fair|Average|Okay|OK|Neutral|Neither good nor poor|Neither good nor bad",
        "Good",
        "Very good|Excellent",
    ),
    ("Very poor|Terrible", "Poor", "Fair|Average", "Good", "Very good", "Excellent"),
    ("Never", "Rarely|Seldom", "Sometimes|Occasionally", "Often|Usually|Frequently", "Always"),
    (
        "Too slow|Much too slow|Far too slow",
        "A bit slow|A little slow|Slightly slow|Slightly too slow|Somewhat slow",
        "About right|Just right|Right pace",
        "A bit fast|A little fast|Slightly fast|Slightly too fast|Somewhat fast",
        "Too fast|Much too fast|Far too fast",
    ),
    (
        "Too short|Much too short",
        "A bit short|A little short|Slightly too short",
        "About right|Just right",
        "A bit long|A little long|Slightly too long",
        "Too long|Much too long",
    ),
    (
        "Too easy|Too basic|Much too easy",
        "A bit easy|A bit basic|Slightly too easy|Slightly too basic",
        "About right|Just right",
        "A bit difficult|A bit hard|A bit advanced|Slightly too difficult|Slightly too advanced",
        "Too difficult|Too hard|Too advanced|Much too difficult",
    ),
    (
        "Very easy",
        "Easy|Somewhat easy",
        "Neither easy nor difficult|Neutral",
        "Difficult|Hard|Somewhat difficult",
        "Very difficult|Very hard",
    ),
    (
        "Far below expectations|Much worse than expected",
        "Below expectations|Worse than expected|Did not meet expectations",
        "Met expectations|Meets expectations|Met my expectations|As expected",
        "Above expectations|Exceeded expectations|Exceeded my expectations|Better than expected",
        "Far above expectations|Far exceeded expectations|Much better than expected",
    ),
    (
        "Definitely not|Definitely won't|Definitely would not",
        "Probably not|Probably won't|Probably would not",
        "Might or might not|Not sure|Maybe|Unsure",
        "Probably|Probably yes|Probably will|Probably would",
        "Definitely|Definitely yes|Definitely will|Definitely would",
    ),
)

#: Intensity words of "<word> <adjective>" scales ("Not at all useful" ... "Extremely useful").
_INTENSITY = {
    "not at all": 0.0,
    "not": 0.0,
    "slightly": 1.0,
    "a little": 1.0,
    "a bit": 1.0,
    "somewhat": 2.0,
    "moderately": 2.0,
    "fairly": 2.0,
    "quite": 2.0,
    "very": 3.0,
    "extremely": 4.0,
}
_INTENSITY_RE = re.compile(
    r"^(?P<word>" + "|".join(sorted(map(re.escape, _INTENSITY), key=len, reverse=True)) + r")"
    r" (?P<adj>[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2})$"
)
_STANDARD_INTENSITY = ("Not at all", "Slightly", "Moderately", "Very", "Extremely")

_YES_NO = {
    "yes",
    "no",
    "y",
    "n",
    "true",
    "false",
    "maybe",
    "not sure",
    "unsure",
    "don't know",
    "dont know",
    "n/a",
    "prefer not to say",
}

_NUMBER_RE = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d+)?$")
_ANONYMOUS = {"anonymous", "anonym", "anonyme", "anónimo", "anonimo", "anoniem", "anonimowy"}

#: Hints a format gives about a question's answers.
_TEXT, _CLOSED, _MULTI = "text", "closed", "multi"


def scale_key(value: str) -> str:
    """Normalise a scale label for matching: case, spaces, "5 - " prefixes and end dots."""
    key = value.lower().replace("\u2019", "'").strip()
    key = re.sub(r"^\(?\d{1,2}\)?\s*[-–—.:)=]\s*", "", key)
    key = re.sub(r"\s*(?:[-–—=:]\s*\d{1,2}|\(\d{1,2}\))$", "", key)
    key = re.sub(r"[.!]+$", "", key)
    return re.sub(r"\s+", " ", key).strip()


def detect_scale(values: Sequence[str]) -> list[str] | None:
    """The ordered scale that every one of ``values`` belongs to, if any.

    Parameters
    ----------
    values : sequence of str
        The non-empty answers of one question.

    Returns
    -------
    list of str or None
        The scale's labels, lowest first, spelled as in the answers where they
        occur (the scale's own spelling elsewhere); ``None`` when the answers are
        not all labels of one known scale.

    Examples
    --------
    >>> detect_scale(["Agree", "Strongly agree", "agree"])
    ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']
    """
    spelled: dict[str, str] = {}
    for value in values:
        key = scale_key(value)
        if not key:
            return None
        spelled.setdefault(key, value.strip())
    if not spelled:
        return None
    best: tuple[int, list[str]] | None = None
    for scale in _SCALES:
        levels = [[s.lower() for s in level.split("|")] for level in scale]
        where: dict[str, int] = {}
        for key in spelled:
            index = next((i for i, syn in enumerate(levels) if key in syn), None)
            if index is None:
                break
            where[key] = index
        else:
            if len(set(where.values())) != len(where):
                continue  # two answers on one level: not this scale
            if best is None or len(scale) < best[0]:
                labels = [level.split("|")[0] for level in scale]
                for key, index in where.items():
                    labels[index] = spelled[key]
                best = (len(scale), labels)
    if best is not None:
        return best[1]
    return _intensity_scale(spelled)


def _intensity_scale(spelled: dict[str, str]) -> list[str] | None:
    """A "<not at all|slightly|...> <adjective>" scale (bare adjective allowed)."""
    adjective = None
    ranks: dict[str, float] = {}
    bare = []
    for key in spelled:
        match = _INTENSITY_RE.match(key)
        if match is None:
            bare.append(key)
            continue
        if adjective not in (None, match["adj"]):
            return None
        adjective = match["adj"]
        ranks[key] = _INTENSITY[match["word"]]
    if adjective is None or any(b != adjective for b in bare):
        return None
    for key in bare:
        ranks[key] = 2.5
    if len(set(ranks.values())) != len(ranks):
        return None
    if not bare and set(ranks.values()) <= {0.0, 1.0, 2.0, 3.0, 4.0}:
        by_rank = {rank: spelled[key] for key, rank in ranks.items()}
        return [
            by_rank.get(float(i), f"{word} {adjective}")
            for i, word in enumerate(_STANDARD_INTENSITY)
        ]
    return [spelled[key] for key in sorted(ranks, key=ranks.__getitem__)]


def _as_number(value: str) -> float | None:
    if not _NUMBER_RE.match(value):
        return None
    return float(value.replace(",", "."))


def split_options(values: Sequence[str], sep: str) -> list[list[str]] | None:
    """Split multi-select answers joined by ``sep``; ``None`` if they do not look so.

    An answer that holds ``sep`` is read as one option when it also occurs
    inside a longer answer and one of its pieces never occurs without the others
    (so ``"Yes, definitely"`` survives in ``"Yes, definitely, Other"``). The
    answers look multi-select when at least one holds several options and most
    option occurrences are of recurring options.

    Examples
    --------
    >>> split_options(["Demo, Q&A", "Slides, Demo, Q&A", "Demo", "Slides, Q&A"], ", ")
    [['Demo', 'Q&A'], ['Slides', 'Demo', 'Q&A'], ['Demo'], ['Slides', 'Q&A']]
    >>> split_options(["Yes, definitely", "Yes, definitely, Other", "Other"], ", ")
    [['Yes, definitely'], ['Yes, definitely', 'Other'], ['Other']]
    """
    distinct = list(dict.fromkeys(values))
    if not any(sep in v for v in distinct) or len(distinct) > 2000:
        return None
    compounds: set[str] = set()
    candidates = [v for v in distinct if sep in v]
    if len(candidates) <= 300:
        tokens = Counter(t.strip() for v in values for t in v.split(sep))
        padded = [f"{sep}{v}{sep}" for v in values]
        for value in candidates:
            needle = f"{sep}{value}{sep}"
            inside = [p.count(needle) for p in padded if len(p) > len(needle)]
            if not any(inside):
                continue  # never part of a longer answer: no evidence it is one option
            seen = sum(p.count(needle) for p in padded)
            pieces = [t.strip() for t in value.split(sep)]
            if any(tokens[p] == seen * pieces.count(p) for p in pieces):
                compounds.add(value)  # one of its pieces never occurs without the others
    split = [_split_known(value, sep, compounds) for value in values]
    counts = Counter(part for parts in split for part in parts)
    total = sum(counts.values())
    if not total or not any(len(parts) > 1 for parts in split):
        return None
    recurring = sum(c for c in counts.values() if c > 1)
    if len(counts) > 30 or recurring / total < 0.6 or max(map(len, counts)) > 100:
        return None
    return split


def _split_known(value: str, sep: str, compounds: set[str]) -> list[str]:
    tokens = value.split(sep)
    parts = []
    i = 0
    while i < len(tokens):
        step = 1
        for j in range(len(tokens), i + 1, -1):
            if sep.join(tokens[i:j]) in compounds:
                step = j - i
                break
        part = sep.join(tokens[i : i + step]).strip()
        if part:
            parts.append(part)
        i += step
    return parts


@dataclass
class _Typed:
    """A question's response type, its answers as stored, and its scale."""

    response_type: str
    values: list[str]
    scale: list[str] | None = None
    multi: bool = False


def classify(
    values: Sequence[str], hint: str | None = None, multi_sep: str | None = None
) -> _Typed:
    """Decide a question's response type from all its answers.

    Parameters
    ----------
    values : sequence of str
        One answer per response (``""`` for no answer).
    hint : {"text", "closed", "multi"}, optional
        What the export says about the question: free text, a closed question
        (choice or rating), or options already joined with ``"; "``.
    multi_sep : str, optional
        Separator of multi-select answers in this export (``";"`` Microsoft
        Forms, ``", "`` Google Forms, ``","`` Qualtrics).

    Returns
    -------
    _Typed
    """
    values = list(values)
    answers = [v for v in values if v]
    if hint == _TEXT:
        return _Typed(ResponseType.TEXT, blank_non_answers(values))
    if hint == _MULTI:
        return _Typed(ResponseType.CHOICE, values, multi=True)
    if not answers:
        return _Typed(ResponseType.CHOICE if hint == _CLOSED else ResponseType.TEXT, values)
    if multi_sep == ";" and all(v.rstrip().endswith(";") for v in answers):
        joined = ["; ".join(p.strip() for p in v.split(";") if p.strip()) for v in values]
        return _Typed(ResponseType.CHOICE, joined, multi=True)
    meaningful = [v for v in answers if not is_non_answer(v)]
    numbers = [_as_number(v) for v in meaningful]
    if meaningful and all(n is not None and 0 <= n <= 10 for n in numbers):
        return _Typed(ResponseType.RATING, blank_non_answers(values))
    scale = detect_scale(meaningful) if meaningful else None
    if scale is not None:
        return _Typed(ResponseType.RATING, blank_non_answers(values), scale=scale)
    if multi_sep and multi_sep != ";":
        split = split_options(answers, multi_sep)
        if split is not None:
            parts = iter(split)
            joined = ["; ".join(next(parts)) if v else "" for v in values]
            return _Typed(ResponseType.CHOICE, joined, multi=True)
    if hint == _CLOSED:
        return _Typed(ResponseType.CHOICE, values)
    distinct = {v.lower() for v in answers}
    if distinct <= _YES_NO:
        return _Typed(ResponseType.CHOICE, values)
    counts = Counter(v.lower() for v in answers)
    singles = sum(1 for c in counts.values() if c == 1)
    few = len(answers) >= 2 and len(distinct) <= 12 and 2 * len(distinct) <= len(answers)
    if few and singles <= max(1, len(answers) // 5) and max(map(len, answers)) <= 100:
        return _Typed(ResponseType.CHOICE, values)
    return _Typed(ResponseType.TEXT, blank_non_answers(values))


#: Cells that fill a text answer without saying anything ("n/a", "none", "-", ".").
NON_ANSWERS = frozenset(
    {"n/a", "na", "n.a.", "n/a.", "none", "none.", "nil", "null", "-", "--", "---", ".", "..",
     "...", "/", "?"}
)  # fmt: skip


def is_non_answer(value: str) -> bool:
    """True for a cell that stands for no answer: ``n/a``, ``N/A``, ``none``, ``-``, ``.``."""
    return value.strip().lower() in NON_ANSWERS


def blank_non_answers(values: Sequence[str]) -> list[str]:
    """``values`` with the non-answers (see :func:`is_non_answer`) made ``""``."""
    return ["" if is_non_answer(v) else v for v in values]


# -- the shared survey builder ----------------------------------------------------------


@dataclass
class _Question:
    text: str
    values: list[str]
    hint: str | None = None
    multi_sep: str | None = None


@dataclass
class _Response:
    line: int
    respondent: str
    author: str
    when: str


def _author(*parts: str) -> str:
    name = " ".join(p for p in (clean_cell(p) for p in parts) if p)
    return "" if name.lower() in _ANONYMOUS else name


#: Labels people write in a summary row they add by hand under the responses.
SUMMARY_LABELS = frozenset(
    {
        "average", "mean", "total", "sum", "count", "median", "min", "max", "avg",
        "moyenne", "promedio", "media", "durchschnitt", "mittelwert", "summe", "gesamt",
        "totaal", "gemiddelde", "média", "średnia", "suma", "razem", "合計", "平均",
    }
)  # fmt: skip
_NUMBER_CELL_RE = re.compile(r"^[+-]?(\d{1,3}([ ,.]\d{3})+|\d+)([.,]\d+)?\s*%?$")


def is_summary_row(row: Sequence[str], layout: SurveyLayout) -> bool:
    """True for a row someone added under the responses: no respondent, only numbers.

    The row has no respondent id, time or name (a summary label such as
    "Average" may stand in one of them), at least one number, and no other text.
    """
    filled = [c for c in (clean_cell(c) for c in row) if c]
    labels = [c for c in filled if not _NUMBER_CELL_RE.match(c)]
    if len(labels) > 1 or len(labels) == len(filled):
        return False
    if labels and labels[0].lower().rstrip(":") not in SUMMARY_LABELS:
        return False
    for index in (layout.id_col, layout.time_col, *layout.name_cols):
        value = cell_at(row, index)
        if value and value not in labels:
            return False
    return True


def _responses(
    source: Source,
    rows: Sequence[Sequence[str]],
    layout: SurveyLayout,
    skipped: list[Skipped],
) -> list[tuple[int, Sequence[str]]]:
    """Data rows from ``layout.first`` on, as ``(line, row)``; blank rows left out.

    A summary row added by hand (see :func:`is_summary_row`) is skipped and
    reported. A row with non-empty cells beyond the header is still read; the
    extra cells are reported as skipped.
    """
    out = []
    for index in range(layout.first, len(rows)):
        row = rows[index]
        if not any(clean_cell(c) for c in row):
            continue
        if is_summary_row(row, layout):
            skipped.append(
                Skipped(
                    source.name,
                    index + 1,
                    "a summary row (no respondent, only numbers), not a response",
                    " | ".join(c for c in (clean_cell(c) for c in row) if c),
                )
            )
            continue
        extra = [clean_cell(c) for c in row[layout.width :] if clean_cell(c)]
        if extra:
            skipped.append(
                Skipped(
                    source.name,
                    index + 1,
                    f"{len(extra)} cell(s) beyond the last header column were left out",
                    " | ".join(extra),
                )
            )
        out.append((index + 1, row))
    return out


def _build(
    questions: list[_Question], responses: list[_Response], skipped: list[Skipped]
) -> Parsed:
    """Turn questions (one answer per response) into answer items and survey meta."""
    texts = unique_names([q.text for q in questions])
    times = parse_times([r.when for r in responses])
    typed = [classify(q.values, q.hint, q.multi_sep) for q in questions]
    items = []
    for number, response in enumerate(responses):
        for text, kind in zip(texts, typed, strict=True):
            value = kind.values[number]
            if not value:
                continue
            items.append(
                {
                    Col.KIND: Kind.ANSWER,
                    Col.TIMESTAMP: times[number],
                    Col.AUTHOR: response.author,
                    Col.QUESTION: text,
                    Col.RESPONSE_TYPE: kind.response_type,
                    Col.RESPONDENT: response.respondent,
                    Col.TEXT: value,
                    Col.LINE: response.line,
                }
            )
    meta = {
        "questions": texts,
        "respondents": len(responses),
        "scales": {t: k.scale for t, k in zip(texts, typed, strict=True) if k.scale},
        "response_types": {t: k.response_type for t, k in zip(texts, typed, strict=True)},
        "multi_select": [t for t, k in zip(texts, typed, strict=True) if k.multi],
        "time_base": "clock",
        "date_known": True,
    }
    return Parsed(items=items, skipped=skipped, meta=meta)


def _rows(source: Source, what: str) -> tuple[list[list[str]], int]:
    """The table's rows and the index of its first non-blank row (the header)."""
    rows = [list(r) for r in source.rows]
    start = next((i for i, row in enumerate(rows) if any(clean_cell(c) for c in row)), None)
    if start is None:
        raise FormatError(f"{source.name}: the file is empty (expected a {what} export)")
    return rows, start


@dataclass
class SurveyLayout:
    """What a survey export's header rows say.

    Attributes
    ----------
    first : int
        Index of the first data row.
    width : int
        Number of header columns.
    id_col, time_col : int or None
        Columns of the respondent id and of the response's time.
    name_cols : tuple of int or None
        Columns whose cells, joined, name the respondent.
    questions : callable
        Called with ``column(i)`` (the cells of column ``i``, one per response)
        and returns the questions.
    """

    first: int
    width: int
    id_col: int | None
    time_col: int | None
    name_cols: tuple[int | None, ...]
    questions: Callable[[Callable[[int], list[str]]], list[_Question]]


class SurveyLoader(Loader):
    """The parse skeleton every survey export shares.

    A subclass says only how to read its header rows (:meth:`layout`): where
    the data starts, the respondent id, time and name columns, and the
    questions. The skeleton reads the responses (skipping blank and summary
    rows), types each question's answers and builds the answer items.
    """

    family = "survey"
    extensions = (".csv", ".xlsx")
    #: The tool's name, for messages ("Google Forms").
    export_name: ClassVar[str] = ""
    #: How many rows :meth:`sniff_head` looks at.
    head_size: ClassVar[int] = 1

    @classmethod
    def sniff(cls, source: Source) -> float:
        """Read the first rows cheaply and let :meth:`sniff_head` judge them; never raise."""
        try:
            head = table_head(source, cls.head_size)
            return cls.sniff_head(head) if head and head[0] else 0.0
        except Exception:  # a sniff must never raise, whatever the bytes
            return 0.0

    @classmethod
    def sniff_head(cls, head: list[list[str]]) -> float:
        """How sure the loader is, from the first :attr:`head_size` rows (the first not empty)."""
        raise NotImplementedError

    def layout(self, source: Source, rows: list[list[str]], start: int) -> SurveyLayout:
        """Read the header rows that start at ``rows[start]``."""
        raise NotImplementedError

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """One ``answer`` item per respondent and non-empty answer."""
        rows, start = _rows(source, self.export_name)
        layout = self.layout(source, rows, start)
        skipped: list[Skipped] = []
        data = _responses(source, rows, layout, skipped)
        responses = [
            _Response(
                line,
                _response_id(row, layout.id_col, number),
                _author(*(cell_at(row, c) for c in layout.name_cols)),
                cell_at(row, layout.time_col),
            )
            for number, (line, row) in enumerate(data, start=1)
        ]

        def column(index: int) -> list[str]:
            return [cell_at(row, index) for _, row in data]

        return _build(layout.questions(column), responses, skipped)


def _response_id(row: Sequence[str], index: int | None, number: int) -> str:
    return cell_at(row, index) or str(number)


# -- Microsoft Forms --------------------------------------------------------------------

_MS_META = {
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "total points",
    "quiz feedback",
    "grade posted time",
}


def _ms_is_meta(key: str) -> bool:
    return key in _MS_META or key.startswith(("points - ", "feedback - "))


@register
class MicrosoftFormsLoader(SurveyLoader):
    """Microsoft Forms responses (``.xlsx``, or the workbook re-saved as CSV)."""

    format_id = "microsoft-forms"
    description = "Microsoft Forms responses (Excel workbook or CSV re-save)"
    recognised_by = "header row starting ID, Start time, Completion time, Email, Name"
    extensions = (".xlsx", ".csv")
    export_name = "Microsoft Forms"
    layouts = ("responses workbook (.xlsx)", "workbook re-saved as CSV (, ; or tab)")

    head_size = 1

    @classmethod
    def sniff_head(cls, head: list[list[str]]) -> float:
        """Recognise the ``ID,Start time,Completion time`` header row."""
        keys = [norm_header(c) for c in head[0]]
        if "start time" in keys and "completion time" in keys:
            return 0.95 if keys[0] == "id" else 0.85
        return 0.0

    def layout(self, source: Source, rows: list[list[str]], start: int) -> SurveyLayout:
        """One header row: ID, Start time, Completion time, Email, Name, then the questions."""
        header = [clean_cell(c) for c in rows[start]]
        keys = [norm_header(h) for h in header]
        if len({"id", "start time", "completion time"} & set(keys)) < 2:
            raise FormatError(
                f"{source.name}: row {start + 1} is not a Microsoft Forms header "
                "(expected ID, Start time, Completion time, Email, Name, then the questions)"
            )
        columns = [i for i, key in enumerate(keys) if not _ms_is_meta(key)]
        return SurveyLayout(
            first=start + 1,
            width=len(header),
            id_col=column(keys, "id"),
            time_col=column(keys, "completion time", "last modified time", "start time"),
            name_cols=(column(keys, "name"),),
            questions=lambda column: [
                _Question(header[i] or f"Column {i + 1}", column(i), multi_sep=";") for i in columns
            ],
        )


# -- Google Forms -----------------------------------------------------------------------

_GOOGLE_TIMESTAMP = {
    "timestamp",
    "zeitstempel",
    "marca temporal",
    "horodateur",
    "carimbo de data/hora",
    "informazioni cronologiche",
    "tijdstempel",
}
_GOOGLE_META = {*_GOOGLE_TIMESTAMP, "email address", "score", "e-mail-adresse", "punkte"}
#: Quiz columns Google adds after a graded question: ``<Q> [Score]``, ``<Q> [Feedback]``.
_GOOGLE_QUIZ_RE = re.compile(r"\[(?:score|feedback)\]$")


def _google_is_meta(key: str) -> bool:
    return key in _GOOGLE_META or bool(_GOOGLE_QUIZ_RE.search(key))


#: Headers of plain tables that a Google Forms sniff must leave to the generic loader.
_PLAIN_NAMES = {*TEXT_NAMES, *AUTHOR_NAMES, "to", "kind", "labels", "label", "id", ""}


@register
class GoogleFormsLoader(SurveyLoader):
    """Google Forms responses downloaded as CSV (or the Sheets workbook)."""

    format_id = "google-forms"
    description = "Google Forms responses (CSV download or Sheets .xlsx)"
    recognised_by = "first header Timestamp, question texts as the other headers"
    export_name = "Google Forms"
    layouts = ("responses CSV download", "Sheets workbook (.xlsx)", "re-saved CSV (, ; or tab)")
    languages = ("en", "de", "es", "fr", "pt", "it", "nl")

    head_size = 2

    @classmethod
    def sniff_head(cls, head: list[list[str]]) -> float:
        """Recognise a first column ``Timestamp`` followed by question columns."""
        if not head or len(head[0]) < 2:
            return 0.0
        keys = [norm_header(c) for c in head[0]]
        if keys[0] not in _GOOGLE_TIMESTAMP:
            return 0.0
        rest = [k for k in keys[1:] if not _google_is_meta(k)]
        if not rest or all(k in _PLAIN_NAMES for k in rest):
            return 0.0  # a plain table with a timestamp column
        if len(head) > 1 and head[1] and clean_cell(head[1][0]) and parse_when(head[1][0]) is None:
            return 0.3
        return 0.85

    def layout(self, source: Source, rows: list[list[str]], start: int) -> SurveyLayout:
        """One header row: Timestamp, then the questions; checkbox answers become ``"A; B"``."""
        header = [clean_cell(c) for c in rows[start]]
        keys = [norm_header(h) for h in header]
        time_col = column(keys, *_GOOGLE_TIMESTAMP)
        if time_col is None:
            raise FormatError(
                f"{source.name}: row {start + 1} has no Timestamp column "
                "(expected a Google Forms responses header: Timestamp, then the questions)"
            )
        columns = [i for i, key in enumerate(keys) if not _google_is_meta(key)]
        return SurveyLayout(
            first=start + 1,
            width=len(header),
            id_col=None,
            time_col=time_col,
            name_cols=(),
            questions=lambda column: [
                _Question(header[i] or f"Column {i + 1}", column(i), multi_sep=", ")
                for i in columns
            ],
        )


# -- SurveyMonkey -----------------------------------------------------------------------

_SM_META = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
}
_SM_CUSTOM_RE = re.compile(r"^custom data(?: \d+)?$")
_SM_OPEN = {"open-ended response", "open ended response"}
_SM_OTHER_RE = re.compile(r"^(?:open-ended response|other \(please specify\)|other \(please)")
_CHECKED = {"1", "x", "yes", "true", "checked", "selected", "\u2713", "\u2714"}


def _sm_is_meta(key: str) -> bool:
    return key in _SM_META or bool(_SM_CUSTOM_RE.match(key))


def _option_like(values: Sequence[str], label: str) -> bool:
    """True when every answer in an option column just repeats the option (or ticks it)."""
    target = norm_header(label)
    return all(norm_header(v) in (target, *_CHECKED) for v in values if v)


@register
class SurveyMonkeyLoader(SurveyLoader):
    """SurveyMonkey "All responses data" export, expanded or condensed (CSV or ``.xlsx``)."""

    format_id = "surveymonkey"
    description = "SurveyMonkey all-responses export (two header rows; CSV or .xlsx)"
    recognised_by = "first header row with Respondent ID, Collector ID, Start Date, End Date"
    export_name = "SurveyMonkey"
    layouts = ("expanded (two header rows)", "condensed (one header row)")

    head_size = 1

    @classmethod
    def sniff_head(cls, head: list[list[str]]) -> float:
        """Recognise ``Respondent ID`` with the other SurveyMonkey metadata headers."""
        keys = {norm_header(c) for c in head[0]}
        if "respondent id" not in keys:
            return 0.0
        if keys & {"collector id", "start date", "end date"}:
            return 0.95
        return 0.6

    def layout(self, source: Source, rows: list[list[str]], start: int) -> SurveyLayout:
        """Combine the two header rows: question texts above, option labels below."""
        top = [clean_cell(c) for c in rows[start]]
        keys = [norm_header(c) for c in top]
        id_col = column(keys, "respondent id")
        if id_col is None:
            raise FormatError(
                f"{source.name}: row {start + 1} has no 'Respondent ID' column "
                "(expected a SurveyMonkey export: Respondent ID, Collector ID, Start Date, ...)"
            )
        second = rows[start + 1] if len(rows) > start + 1 else []
        two_rows = bool(second) and not cell_at(second, id_col)
        labels = [cell_at(second, i) for i in range(len(top))] if two_rows else [""] * len(top)
        condensed = not any(labels)
        width = max(len(top), len(second) if two_rows else 0)
        top += [""] * (width - len(top))
        keys += [""] * (width - len(keys))
        labels += [""] * (width - len(labels))

        # Forward-fill row 1: a question owns the blank columns that follow it.
        groups: list[tuple[str, list[int]]] = []
        current: list[int] | None = None
        for i in range(width):
            if top[i]:
                if _sm_is_meta(keys[i]):
                    current = None
                    continue
                current = [i]
                groups.append((top[i], current))
            elif current is not None:
                current.append(i)
            elif labels[i]:  # a question column with no text above it at all
                current = [i]
                groups.append((f"Column {i + 1}", current))

        def questions(column: Callable[[int], list[str]]) -> list[_Question]:
            out: list[_Question] = []
            for text, cols in groups:
                out.extend(_sm_group(text, cols, labels, column, condensed))
            return out

        return SurveyLayout(
            first=start + (2 if two_rows else 1),
            width=width,
            id_col=id_col,
            time_col=column(keys, "end date", "start date"),
            name_cols=(column(keys, "first name"), column(keys, "last name")),
            questions=questions,
        )


def _sm_group(text, cols, labels, column, condensed) -> list[_Question]:
    """The questions of one SurveyMonkey question group (one row-1 text)."""
    if len(cols) == 1:
        label = labels[cols[0]]
        key = norm_header(label)
        values = column(cols[0])
        if condensed or key == "response":
            return [_Question(text, values, _CLOSED if key == "response" else None)]
        if key in _SM_OPEN:
            return [_Question(text, values, _TEXT)]
        if _option_like(values, label):
            return [_Question(text, [label if v else "" for v in values], _MULTI)]
        return [_Question(f"{text} - {label}", values)]
    if condensed:
        per_col = [column(i) for i in cols]
        joined = ["; ".join(v for v in cells if v) for cells in zip(*per_col, strict=True)]
        return [_Question(text, joined, _MULTI)]
    main = [i for i in cols if not _SM_OTHER_RE.match(norm_header(labels[i]))]
    others = [i for i in cols if i not in main]
    out: list[_Question] = []
    response_cols = [i for i in main if norm_header(labels[i]) == "response"]
    option_cols = [i for i in main if i not in response_cols]
    for i in response_cols:
        out.append(_Question(text, column(i), _CLOSED))
    if option_cols:
        per_col = {i: column(i) for i in option_cols}
        if all(_option_like(per_col[i], labels[i]) for i in option_cols):
            names = [labels[i] or f"Option {n}" for n, i in enumerate(option_cols, start=1)]
            chosen = [
                "; ".join(name for name, cell in zip(names, row, strict=True) if cell)
                for row in zip(*(per_col[i] for i in option_cols), strict=True)
            ]
            out.append(_Question(text, chosen, _MULTI))
        else:
            for i in option_cols:
                out.append(_Question(f"{text} - {labels[i] or i + 1}", per_col[i]))
    for n, i in enumerate(others, start=1):
        suffix = " (other)" if n == 1 else f" (other {n})"
        out.append(_Question(f"{text}{suffix}" if main else text, column(i), _TEXT))
    return out


# -- Qualtrics --------------------------------------------------------------------------

_QX_META = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "responseset",
    "externalreference",
    "externaldatareference",
    "distributionchannel",
    "userlanguage",
    "emailaddress",
    "_recordid",
}
#: Labels of the legacy export's metadata columns (its tags are V1..Vn).
_QX_LEGACY_META = {*_QX_META, "name"}
_QX_META_RE = re.compile(
    r"^(?:v\d+|q_.*|location.*|recipient.*|sc\d+|fl_\d+.*)$"
    r"|(?:\s-\s|_)(?:parent topics|topics|topic .*|sentiment.*|actionability.*|emotion.*"
    r"|effort.*|language)$"
    r"|_(?:first click|last click|page submit|click count|do)$"
)
_QX_IMPORT_RE = re.compile(r'"ImportId"\s*:\s*"([^"]*)"')
_QX_IMPORT_META_RE = re.compile(
    r"(?:Topics|Sentiment\w*|Actionability\w*|Emotion\w*|Effort\w*|_FIRST_CLICK|_LAST_CLICK"
    r"|_PAGE_SUBMIT|_CLICK_COUNT|_DO)$"
)


def _qx_legacy(tags: Sequence[str]) -> bool:
    keys = [norm_header(t) for t in tags[:3]]
    return len(keys) >= 2 and keys[0] == "v1" and keys[1] == "v2"


@register
class QualtricsLoader(SurveyLoader):
    """Qualtrics CSV export: three header rows (tags, question text, ImportId), or legacy."""

    format_id = "qualtrics"
    description = "Qualtrics survey export (CSV or .xlsx; three header rows, or legacy V1..Vn)"
    recognised_by = "StartDate,EndDate,Status,... ResponseId tags (or V1,V2,... with ResponseID)"
    export_name = "Qualtrics"
    layouts = ("three header rows with ImportId", "two header rows", "legacy V1..Vn")

    head_size = 3

    @classmethod
    def sniff_head(cls, head: list[list[str]]) -> float:
        """Recognise Qualtrics tags, the ImportId row, or the legacy V1..Vn row."""
        keys = {norm_header(c) for c in head[0]}
        if _qx_legacy(head[0]):
            labels = {norm_header(c) for c in head[1]} if len(head) > 1 else set()
            return 0.95 if "responseid" in labels else 0.5
        known = "responseid" in keys or (
            {"startdate", "enddate"} <= keys
            and bool(keys & {"status", "recordeddate", "progress", "finished"})
        )
        if not known:
            return 0.0
        if len(head) > 2 and any("importid" in c.lower() for c in head[2]):
            return 0.97
        return 0.9

    def layout(self, source: Source, rows: list[list[str]], start: int) -> SurveyLayout:
        """Read the tag row, the question-text row and the ImportId row (or the legacy two)."""
        rows = rows[start:]
        tags = [clean_cell(c) for c in rows[0]]
        tag_keys = [norm_header(t) for t in tags]
        width = len(tags)
        legacy = _qx_legacy(tags)
        import_ids: list[str] | None = None
        if legacy:
            labels = [cell_at(rows[1], i) for i in range(width)] if len(rows) > 1 else []
            first = 2
        else:
            start_col = column(tag_keys, "startdate", "enddate", "recordeddate")
            second = rows[1] if len(rows) > 1 else []
            third = rows[2] if len(rows) > 2 else []
            if third and any("importid" in clean_cell(c).lower() for c in third):
                first = 3
                import_ids = []
                for i in range(width):
                    match = _QX_IMPORT_RE.search(cell_at(third, i))
                    import_ids.append(match[1] if match else "")
            elif second and parse_when(cell_at(second, start_col)) is None:
                first = 2
            else:
                first = 1
            labels = [cell_at(second, i) for i in range(width)] if first > 1 else []
        labels = labels + [""] * (width - len(labels))
        label_keys = [norm_header(c) for c in labels]
        if not legacy and not {"responseid", "startdate", "enddate"} & set(tag_keys):
            raise FormatError(
                f"{source.name}: row 1 is not a Qualtrics header "
                "(expected StartDate, EndDate, ..., ResponseId, then question tags)"
            )

        def role(*names: str) -> int | None:
            keys = label_keys if legacy else tag_keys
            return column(keys, *names)

        id_col = role("responseid")
        if id_col is None and import_ids is not None and "_recordId" in import_ids:
            id_col = import_ids.index("_recordId")
        time_col = role("enddate", "recordeddate", "startdate")
        if legacy:
            name_cols = [role("name")]
        else:
            name_cols = [role("recipientfirstname"), role("recipientlastname")]

        columns = []
        for i in range(width):
            tag = tag_keys[i]
            if not tag and not label_keys[i]:
                continue
            if tag in _QX_META or _QX_META_RE.search(tag):
                continue
            if legacy and label_keys[i] in _QX_LEGACY_META:
                continue
            if import_ids is not None:
                import_id = import_ids[i]
                if import_id and (
                    not import_id.startswith("QID") or _QX_IMPORT_META_RE.search(import_id)
                ):
                    continue
            columns.append(i)

        def questions(column: Callable[[int], list[str]]) -> list[_Question]:
            out = []
            for i in columns:
                text_entry = import_ids is not None and import_ids[i].endswith("_TEXT")
                out.append(
                    _Question(
                        labels[i] or tags[i] or f"Column {i + 1}",
                        column(i),
                        _TEXT if text_entry else None,
                        multi_sep=",",
                    )
                )
            return out

        return SurveyLayout(
            first=start + first,
            width=width,
            id_col=id_col,
            time_col=time_col,
            name_cols=tuple(name_cols),
            questions=questions,
        )
