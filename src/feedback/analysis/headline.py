"""The headline figures of one webinar: who came, who wrote, what was sent.

One :class:`Headline` per webinar is computed once and shared by the report's
"At a glance" section, ``summary.json``, the series comparison and the terminal
summary, so every place gives the same figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from feedback.schema import RECIPIENT_PANELISTS, Col, Kind, PCol, Role

if TYPE_CHECKING:
    import pandas as pd

    from feedback.loaders import Webinar


@dataclass(frozen=True)
class Headline:
    """Headline figures of one webinar.

    Attributes
    ----------
    participants : int
        People who attended (attendees, hosts and panelists).
    attendees : int
        Attendees who attended (hosts and panelists not counted).
    chat_users : int
        People who wrote at least one public chat message.
    messages : int
        Public chat messages.
    reactions : int
        Reactions (counted, not analysed as comments).
    qa_questions : int
        Questions in the Q&A report.
    responses : int
        Survey responses.
    organisations, countries : int
        Distinct organisations and countries of the people who attended.
    private_excluded : int
        Private messages left out of every output.
    skipped_lines : int
        Lines of the input files that could not be read.
    transcript_cues : int
        Transcript lines (speakers), not counted as chat.
    panelist_messages : int
        Messages sent to the panel of a webinar ("to All Panelists"), counted apart.
    panelist_excluded : bool
        Whether those messages were left out (``--panelist-messages exclude``).
    skipped_files : tuple of dict
        Files in the input folders that were skipped (``file`` and ``reason``).
    """

    participants: int
    attendees: int
    chat_users: int
    messages: int
    reactions: int
    qa_questions: int
    responses: int
    organisations: int
    countries: int
    private_excluded: int
    skipped_lines: int
    transcript_cues: int
    panelist_messages: int = 0
    panelist_excluded: bool = False
    skipped_files: tuple[dict, ...] = ()

    @property
    def chat_share(self) -> float | None:
        """Share of the people who attended who used the chat (None when unknown)."""
        return self.chat_users / self.participants if self.participants else None

    @property
    def response_rate(self) -> float | None:
        """Survey responses per attendee (None when attendance is unknown)."""
        return self.responses / self.attendees if self.attendees else None

    def as_dict(self) -> dict:
        """The figures as a plain dict (for ``summary.json``)."""
        return asdict(self)


def attended_people(participants: pd.DataFrame | None) -> pd.DataFrame | None:
    """Participants who attended."""
    if participants is None or not len(participants):
        return participants
    return participants[participants[PCol.ATTENDED]]


def organisations_of(attended: pd.DataFrame | None) -> pd.Series:
    """Organisations of the people who attended (blanks removed)."""
    import pandas as pd

    if attended is None or not len(attended):
        return pd.Series(dtype=object)
    return attended[PCol.ORGANISATION].replace("", pd.NA).dropna()


def countries_of(attended: pd.DataFrame | None) -> pd.Series:
    """Countries of the people who attended (blanks and ``--`` removed)."""
    import pandas as pd

    if attended is None or not len(attended):
        return pd.Series(dtype=object)
    return attended[PCol.COUNTRY].replace({"": pd.NA, "--": pd.NA}).dropna()


def survey_meta(webinar: Webinar) -> dict:
    """What the survey loader said about the survey (scales, respondents), or ``{}``."""
    return next((f.meta for f in webinar.files if f.meta.get("respondents") is not None), {})


def headline_figures(webinar: Webinar) -> Headline:
    """The headline figures of a loaded webinar.

    Examples
    --------
    >>> from feedback.loaders import load_inputs  # doctest: +SKIP
    >>> headline_figures(load_inputs(["export/"])[0]).messages  # doctest: +SKIP
    """
    from feedback.privacy import count_people

    items = webinar.items
    private = items[Col.IS_PRIVATE].astype(bool)
    # Messages to a webinar's panel are counted apart (public unless excluded by option).
    to_panel = items[Col.RECIPIENT] == RECIPIENT_PANELISTS
    panelist_messages = int(to_panel.sum())
    kind = items[Col.KIND]
    public = items[~private]
    chat = public[public[Col.KIND] == Kind.CHAT]
    attended = attended_people(webinar.participants)
    people = len(attended) if attended is not None and len(attended) else 0
    attendees = int((attended[PCol.ROLE] == Role.ATTENDEE).sum()) if people else 0
    answers = public[public[Col.KIND] == Kind.ANSWER]
    respondents = int(answers[Col.RESPONDENT].nunique()) if len(answers) else 0
    meta = survey_meta(webinar)
    responses = int(meta.get("respondents", respondents)) if meta else respondents
    orgs = organisations_of(attended)
    countries = countries_of(attended)
    return Headline(
        participants=int(people),
        attendees=attendees,
        chat_users=count_people(chat[Col.AUTHOR]),  # a renamed speaker counts once
        messages=len(chat),
        reactions=int((public[Col.KIND] == Kind.REACTION).sum()),
        qa_questions=int((public[Col.KIND] == Kind.QUESTION).sum()),
        responses=responses,
        organisations=int(orgs.nunique()) if len(orgs) else 0,
        countries=int(countries.nunique()) if len(countries) else 0,
        private_excluded=int((private & ~to_panel).sum()),
        skipped_lines=sum(len(f.skipped) for f in webinar.files),
        transcript_cues=int((kind == Kind.TRANSCRIPT).sum()),
        panelist_messages=panelist_messages,
        panelist_excluded=bool(panelist_messages) and bool(private[to_panel].all()),
        skipped_files=tuple(
            {"file": f.path.name, "reason": f.reason} for f in getattr(webinar, "skipped_files", [])
        ),
    )


def question_counts(questions: pd.DataFrame) -> dict[str, int]:
    """How many questions were asked, by what they were about and whether answered.

    Parameters
    ----------
    questions : pandas.DataFrame
        From :func:`~feedback.analysis.find_questions` (``about``, ``answered``).

    Returns
    -------
    dict
        ``asked`` (every question), ``content`` (about the subject), ``answered`` and
        ``open`` (of those about the subject), ``session`` (about the session itself).
        The report, ``summary.json`` and the terminal summary all give these figures.
    """
    if questions is None or not len(questions):
        return {"asked": 0, "content": 0, "answered": 0, "open": 0, "session": 0}
    content = questions["about"] == "content"
    answered = questions["answered"].astype(bool)
    return {
        "asked": len(questions),
        "content": int(content.sum()),
        "answered": int((content & answered).sum()),
        "open": int((content & ~answered).sum()),
        "session": int((~content).sum()),
    }
