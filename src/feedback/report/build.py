"""Building a report (pure): one function per section, each returning a :class:`Section`.

:func:`build_report` tags each webinar once (:func:`prepare_webinar`, which also
pseudonymises names and computes the figures every section shares) and then asks
each section function for its part. Section functions only read the prepared
:class:`WebinarData`; they can be added, removed or reordered independently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from feedback.analysis.headline import question_counts
from feedback.report.parts import Link, Report, ReportOptions, Section
from feedback.schema import Col, Kind, PCol, ResponseType, Role

if TYPE_CHECKING:
    import pandas as pd

    from feedback.analysis import Burst, Headline
    from feedback.classifier import CommentTagger
    from feedback.codebook import Codebook
    from feedback.loaders import Webinar
    from feedback.privacy import Pseudonymiser


@dataclass
class WebinarData:
    """Everything the sections of one webinar's report read, computed once.

    Attributes
    ----------
    webinar : Webinar
    name, title, slug : str
        The webinar's name (as given), its title (the topic, or the name) and the
        prefix of its chart names.
    options : ReportOptions
    codebook : Codebook
    pseudonymiser : Pseudonymiser
    headline : Headline
        The headline figures (shared by every section, the summary and the CLI).
    tagged : pandas.DataFrame
        Public items, tagged, with names pseudonymised.
    conversation, chat, answers : pandas.DataFrame
        Public messages and Q&A questions; public chat; survey answers (of ``tagged``).
    questions : pandas.DataFrame
        Questions asked (pseudonymised).
    counts : pandas.DataFrame
        Code counts of the conversation (principles and themes).
    bursts : list of Burst
    per_minute : pandas.Series
    substantive : list of str
        Codes of the principle and theme groups.
    labels : dict of str to str
        Code id to label.
    orgs, countries : pandas.Series
        Organisation and country of each person who attended.
    survey : dict
        The survey's figures in machine form (filled by :func:`survey_section`).
    ratings : dict of str to pandas.DataFrame
        Rating question to its distribution.
    series : bool
        Whether the webinar is one of a series.
    page : str, optional
        Folder of its page, relative to the series overview.
    """

    webinar: Webinar
    name: str
    title: str
    slug: str
    options: ReportOptions
    codebook: Codebook
    pseudonymiser: Pseudonymiser
    headline: Headline
    tagged: pd.DataFrame
    conversation: pd.DataFrame
    chat: pd.DataFrame
    answers: pd.DataFrame
    questions: pd.DataFrame
    counts: pd.DataFrame
    bursts: list[Burst]
    per_minute: pd.Series
    substantive: list[str]
    labels: dict[str, str]
    orgs: Any
    countries: Any
    survey: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    series: bool = False
    page: str | None = None

    @property
    def tagged_shared(self) -> pd.DataFrame:
        """The tagged rows as written to ``tagged_comments.csv``."""
        from feedback.analysis import taggable_mask

        return self.tagged[taggable_mask(self.tagged)].reset_index(drop=True)

    @property
    def code_totals(self) -> pd.Series:
        """Rows carrying each code, over every tagged row (chat, transcript, survey)."""
        from feedback.analysis import code_counts

        return code_counts(self.tagged, self.codebook).set_index("code")["count"]

    @property
    def rated_positively(self) -> float | None:
        """Share of the rating answers in the upper half of their scales (None: no ratings)."""
        from feedback.analysis import positive_share

        answered = [t for t in self.ratings.values() if int(t["count"].sum())]
        total = sum(int(t["count"].sum()) for t in answered)
        if not total:
            return None
        return sum(positive_share(t) * int(t["count"].sum()) for t in answered) / total

    def chart_name(self, name: str) -> str:
        """The file name (without ``.png``) of one of this webinar's charts."""
        return f"{self.slug}-{name}" if self.slug else name


# -- building ------------------------------------------------------------------------------------
#: Series up to this size get a page for every webinar with ``pages="linked"``.
LINK_ALL_UP_TO = 20
#: In bigger series, the busiest webinars that get a page (besides the latest).
LINKED_BUSIEST = 10


def build_report(
    webinars: list[Webinar],
    *,
    model: CommentTagger,
    codebook: Codebook | None = None,
    options: ReportOptions | None = None,
    model_info: dict | None = None,
    progress=None,
) -> Report:
    """Build the report of one webinar, or a series report of several.

    A series report is an overview that compares the webinars (one row each, a
    trend chart of the themes, bursts and quotes naming their webinar), with a
    page per webinar in :attr:`Report.pages` (which ones: ``options.pages``).
    The comments of every webinar are tagged in one pass.

    Parameters
    ----------
    webinars : list of Webinar
        From :func:`feedback.loaders.load_inputs`; each is named by its ``name``
        (names given twice get " (2)", " (3)" ...).
    model : CommentTagger
        A fitted tagger.
    codebook : Codebook, optional
        Defaults to the model's codebook.
    options : ReportOptions, optional
    model_info : dict, optional
        What to say about the model (``name``, ``micro_f1``, ``macro_f1``, ``evaluated_on``).
    progress : callable, optional
        Called as ``progress(what, done, total)``: while comments are tagged (``what``
        is the webinar's name, or ``"all webinars"`` for a series) and, in a series,
        as webinars are summarised (``"webinars"``) and pages built (``"pages"``).

    Returns
    -------
    Report
        Its charts are being drawn in the background where the system can fork
        (:mod:`feedback.report.rendering`); :func:`write_report` collects them.
    """
    import weakref

    from feedback.report.rendering import BackgroundCharts, can_fork, drawing_into

    background = BackgroundCharts() if can_fork() else None
    try:
        with drawing_into(background):
            report = _build_report(webinars, model, codebook, options, model_info, progress)
    except BaseException:
        if background is not None:
            background.close()
        raise
    if background is not None:
        report.background = background
        weakref.finalize(report, background.close)
    return report


def _build_report(webinars, model, codebook, options, model_info, progress) -> Report:
    import pandas as pd

    from feedback.privacy import Pseudonymiser

    options = options or ReportOptions()
    codebook = codebook or model.codebook_
    pseudonymiser = Pseudonymiser(options.names, keep=options.keep_names)
    pages_to_build([], options.pages)  # checks the option before any work
    names = unique_names([w.name for w in webinars])
    series = len(webinars) > 1
    tagged_all = tag_webinars(webinars, model, progress) if series else [None]
    parts: list[WebinarData] = []
    for number, (webinar, name, tagged) in enumerate(zip(webinars, names, tagged_all, strict=True)):
        step = None
        if progress is not None and not series:
            total = int(webinar.items[Col.KIND].isin(Kind.TAGGABLE).sum())

            def step(done: int, name=webinar.name, total=total) -> None:
                progress(name, done, total)

        data = prepare_webinar(
            webinar, model, codebook, options, pseudonymiser, step, tagged=tagged, name=name
        )
        data.series = series
        parts.append(data)
        if progress is not None and series:
            progress("webinars", number + 1, len(webinars))
    if not series:
        data = parts[0]
        report = Report(title=options.title or data.title)
        report.blocks.append(("h1", report.title))
        _add(report, webinar_sections(data))
    else:
        report = Report(title=options.title or f"Webinar series: {len(parts)} webinars")
        report.blocks.append(("h1", report.title))
        linked = pages_to_build(parts, options.pages)
        for data in parts:
            if data.name in linked:
                data.page = f"webinars/{data.slug}"
                report.pages[data.page] = webinar_page(data, codebook, model_info or {}, options)
                if progress is not None:
                    progress("pages", len(report.pages), len(linked))
        _add(report, series_overview(parts, codebook, options))
    _add(report, method_note(parts, codebook, model_info or {}, options))
    report.tagged = pd.concat([p.tagged_shared for p in parts], ignore_index=True)
    report.questions = pd.concat(
        [p.questions.assign(webinar=p.name) if series else p.questions for p in parts],
        ignore_index=True,
    )
    report.summary = build_summary(parts, series)
    report.key = pseudonymiser.key()
    return report


def unique_names(names: list[str]) -> list[str]:
    """Names made unique in order: a name given again gets " (2)", " (3)"..."""
    seen: dict[str, int] = {}
    out = []
    taken = set(names)
    for name in names:
        name = str(name).strip() or "webinar"
        count = seen.get(name, 0) + 1
        seen[name] = count
        unique = name
        while count > 1 and (unique := f"{name} ({count})") in taken:
            count += 1
        seen[name] = count
        taken.add(unique)
        out.append(unique)
    return out


def tag_webinars(webinars: list[Webinar], model: CommentTagger, progress=None) -> list:
    """Tag the public items of every webinar in one pass (each distinct text once)."""
    import numpy as np
    import pandas as pd

    from feedback import analysis as an
    from feedback.privacy import drop_private

    publics = [drop_private(w.items) for w in webinars]
    step = None
    if progress is not None:
        total = sum(int(p[Col.KIND].isin(Kind.TAGGABLE).sum()) for p in publics)

        def step(done: int) -> None:
            progress("all webinars", done, total)

    every = pd.concat(publics, ignore_index=True) if publics else pd.DataFrame()
    tagged = an.tag_items(every, model, progress=step)
    bounds = np.cumsum([0] + [len(p) for p in publics])
    return [
        tagged.iloc[bounds[i] : bounds[i + 1]].reset_index(drop=True) for i in range(len(publics))
    ]


def pages_to_build(parts: list[WebinarData], pages: str) -> set[str]:
    """Names of the webinars that get a page of their own.

    ``"all"``: every one; ``"none"``: none; ``"linked"``: every one in a series of up
    to :data:`LINK_ALL_UP_TO` webinars, else the :data:`LINKED_BUSIEST` with the most
    messages and the latest.
    """
    from feedback.exceptions import FeedbackError

    if pages not in {"all", "none", "linked"}:
        raise FeedbackError(f"pages={pages!r}: expected all, none or linked")
    if pages == "none":
        return set()
    if pages == "all" or len(parts) <= LINK_ALL_UP_TO:
        return {p.name for p in parts}
    busiest = sorted(parts, key=lambda p: -p.headline.messages)[:LINKED_BUSIEST]
    return {p.name for p in busiest} | {parts[-1].name}


def webinar_page(
    data: WebinarData, codebook: Codebook, model_info: dict, options: ReportOptions
) -> Report:
    """The page of one webinar of a series (its full report, linked from the overview)."""
    page = Report(title=data.name)
    page.blocks.append(("h1", data.name))
    page.blocks.append(("link", Link("Back to the series overview", "../../report")))
    if data.title != data.name:
        page.blocks.append(("p", f"Topic: {data.title}"))
    _add(page, webinar_sections(data))
    _add(page, method_note([data], codebook, model_info, options))
    return page


def _add(report: Report, section: Section) -> None:
    report.blocks.extend(section.blocks)
    report.charts.update(section.charts)


def webinar_sections(data: WebinarData) -> Section:
    """Every section of one webinar's report, in reading order."""
    out = Section()
    for make in (
        at_a_glance_section,
        themes_section,
        conversation_section,
        took_off_section,
        questions_section,
        survey_section,
        tone_section,
        who_came_section,
    ):
        out.extend(make(data))
    return out


def prepare_webinar(
    webinar: Webinar,
    model: CommentTagger,
    codebook: Codebook,
    options: ReportOptions,
    pseudonymiser: Pseudonymiser,
    progress=None,
    *,
    tagged: pd.DataFrame | None = None,
    name: str | None = None,
) -> WebinarData:
    """Tag a webinar's public items once, pseudonymise them and compute shared figures.

    ``tagged`` (the webinar's public items, already tagged) skips the tagging; ``name``
    replaces the webinar's name (made unique in a series).
    """
    from feedback import analysis as an
    from feedback.codebook import SUBSTANTIVE_GROUPS
    from feedback.privacy import drop_private, learn_people, pseudonymise_items, safe_quote

    items = webinar.items
    participants = webinar.participants
    public = drop_private(items)
    tagged_real = tagged if tagged is not None else an.tag_items(public, model, progress=progress)
    questions_real = an.find_questions(tagged_real, participants, speakers=options.keep_names)
    conversation_real = an.public_conversation(tagged_real)
    chat_real = conversation_real[conversation_real[Col.KIND] == Kind.CHAT]

    # Names: the chat's writers first, then the participants, then people seen only in
    # private messages (so numbering says nothing about who wrote privately); everyone is
    # known, so their names are replaced inside public text too.
    pseudonymiser.learn([a for a in chat_real[Col.AUTHOR] if a])
    learn_people(pseudonymiser, items, participants)
    tagged = pseudonymise_items(tagged_real, pseudonymiser, participants=participants)
    questions = questions_real.copy()
    questions["author"] = questions["author"].map(pseudonymiser.name)
    questions["answered_by"] = questions["answered_by"].map(
        lambda n: pseudonymiser.name(n) if n else ""
    )
    for column in ("text", "answer"):
        questions[column] = questions[column].map(lambda t: safe_quote(str(t), pseudonymiser))

    conversation = an.public_conversation(tagged)
    chat = conversation[conversation[Col.KIND] == Kind.CHAT]
    substantive = codebook.in_groups(list(SUBSTANTIVE_GROUPS))
    attended = an.headline.attended_people(participants)
    data = WebinarData(
        webinar=webinar,
        name=name or webinar.name,
        title=webinar.meta.get("title") or name or webinar.name,
        slug=_slug(name or webinar.name),
        options=options,
        codebook=codebook,
        pseudonymiser=pseudonymiser,
        headline=an.headline_figures(webinar),
        tagged=tagged,
        conversation=conversation,
        chat=chat,
        answers=an.survey_answers(tagged),
        questions=questions,
        counts=an.code_counts(conversation, codebook, groups=list(SUBSTANTIVE_GROUPS)),
        bursts=an.find_bursts(
            chat,
            codes=substantive,
            window_minutes=options.burst_window_minutes,
            min_count=options.burst_min_count,
        ),
        per_minute=an.messages_per_minute(chat),
        substantive=substantive,
        labels={code.id: code.label for code in codebook.codes},
        orgs=an.headline.organisations_of(attended),
        countries=an.headline.countries_of(attended),
        survey={"responses": 0, "questions": {}},
    )
    data.survey["responses"] = data.headline.responses
    data.ratings = rating_tables(data)
    return data


def rating_tables(data: WebinarData) -> dict:
    """Rating question to its distribution, in survey order."""
    from feedback import analysis as an
    from feedback.analysis.headline import survey_meta

    answers = data.answers
    if not len(answers):
        return {}
    meta = survey_meta(data.webinar)
    scales = meta.get("scales", {}) if meta else {}
    return {
        question: an.rating_distribution(answers, question, scales.get(question))
        for question, kind in an.survey_questions(answers)
        if kind == ResponseType.RATING
    }


# -- sections of one webinar ---------------------------------------------------------------------
def at_a_glance_section(data: WebinarData) -> Section:
    """When it was held and the headline figures."""
    h = data.headline
    figures = []
    if h.participants:
        figures.append(
            f"**{h.attendees}** attendees (and {h.participants - h.attendees} hosts and panelists)"
        )
    if h.chat_users:
        share = f" ({h.chat_share:.0%} of those who attended)" if h.participants else ""
        figures.append(f"**{h.chat_users}** people used the chat{share}")
    figures.append(f"**{h.messages}** public chat messages and **{h.reactions}** reactions")
    if h.panelist_messages:
        note = " (left out of the analysis)" if h.panelist_excluded else ""
        figures.append(f"**{h.panelist_messages}** messages sent to panelists{note}")
    if h.qa_questions:
        figures.append(f"**{h.qa_questions}** questions in the Q&A")
    if h.responses:
        rate = f", a response rate of {h.response_rate:.0%}" if h.attendees else ""
        figures.append(f"**{h.responses}** survey responses{rate}")
    if h.organisations:
        figures.append(f"**{h.organisations}** organisations")
    if h.countries:
        figures.append(f"**{h.countries}** countries")
    out = Section()
    start = data.webinar.meta.get("start")
    if start is not None:
        out.add("p", f"Held on {start:%A %d %B %Y}, starting at {start:%H:%M}.")
    out.add("h2", "At a glance")
    out.add("ul", figures)
    return out


def themes_section(data: WebinarData) -> Section:
    """What people talked about: leading codes, their chart and quotes."""
    from feedback import analysis as an
    from feedback import plots

    out = Section()
    counts = data.counts
    discussion = data.conversation
    out.add("h2", "What people talked about")
    top = counts[counts["count"] > 0]
    if len(top):
        leading = ", ".join(
            f"{row.label.lower()} ({row['count']})" for _, row in top.head(5).iterrows()
        )
        out.add(
            "p",
            f"Of {len(discussion)} public messages and questions, the principles and themes "
            f"raised most often were {leading}.",
        )
        ax = plots.plot_code_counts(
            counts,
            title="Principles and themes in the chat",
            xlabel="Public chat messages and Q&A questions",
        )
        out.add_chart(data.chart_name("codes"), ax, plots.alt_code_counts(counts, "messages"))
        said = theme_summaries(data)
        for _, row in top.head(data.options.leading_codes).iterrows():
            quotes = an.representative_quotes(
                discussion, row["code"], n=data.options.quotes_per_code
            )
            if quotes.empty:
                continue
            out.add("h3", f"{row['label']} ({row['count']} messages)")
            if said.get(row["code"]):
                out.add("p", f"**In their words:** {said[row['code']]}")
            for _, quote in quotes.iterrows():
                out.add("quote", quote[Col.TEXT], quote[Col.AUTHOR])
    else:
        out.add("p", "No message carried a principle or theme.")
    principles = data.codebook.in_groups(["principle"])
    overall = an.code_counts(data.tagged, data.codebook, groups=["principle"])
    missing = [
        data.labels[c] for c in principles if int(overall.set_index("code").loc[c, "count"]) == 0
    ]
    if missing:
        out.add("p", "Principles that did not come up at all: " + ", ".join(missing) + ".")
    elif principles:
        out.add("p", "Every one of the principles came up at least once.")
    return out


def conversation_section(data: WebinarData) -> Section:
    """How the conversation moved: the chat's span, busiest minute, bursts and timeline."""
    from feedback import plots

    out = Section()
    per_minute = data.per_minute
    bursts = data.bursts
    if not len(per_minute):
        return out
    out.add("h2", "How the conversation moved")
    busiest = per_minute.idxmax()
    out.add(
        "p",
        f"The chat ran from {per_minute.index[0]:%H:%M} to {per_minute.index[-1]:%H:%M}; "
        f"the busiest minute was {busiest:%H:%M} with {int(per_minute.max())} messages.",
    )
    if bursts:
        out.add("p", "Bursts of conversation on one theme:")
        out.add("ul", [_burst_line(data, b) for b in bursts])
    ax = plots.plot_timeline(per_minute, bursts, labels=data.labels)
    out.add_chart(
        data.chart_name("timeline"), ax, plots.alt_timeline(per_minute, bursts, data.labels)
    )
    return out


def questions_section(data: WebinarData) -> Section:
    """Questions raised: still open, answered, and about the session itself."""
    out = Section()
    questions = data.questions
    if not len(questions):
        return out
    content = questions[questions["about"] == "content"]
    session = questions[questions["about"] == "session"]
    open_q = content[~content["answered"]]
    counts = question_counts(questions)
    out.add("h2", "Questions raised")
    text = (
        f"Participants asked {counts['content']} questions about the subject; "
        f"{counts['answered']} were answered during the webinar and {counts['open']} "
        "are still open."
    )
    if counts["session"]:
        text += (
            f" Another {counts['session']} were about the session itself (sound, slides, links)."
        )
    out.add("p", text)
    roles = _roles(data.webinar.participants, data.pseudonymiser)
    out.extend(open_questions_section(data, open_q))
    answered = content[content["answered"]]
    if len(answered):
        out.add("h3", "Answered during the webinar")
        out.add("ul", [_question_line(q, roles, answered=True) for _, q in answered.iterrows()])
    out.extend(
        open_questions_section(data, session, heading="About the session itself", by_theme=False)
    )
    return out


def survey_section(data: WebinarData) -> Section:
    """What the survey said: free-text answers by code, choices, ratings, prize-draw opt-ins.

    Also fills ``data.survey`` with the survey's figures in machine form.
    """
    from feedback import analysis as an
    from feedback import plots

    out = Section()
    answers = data.answers
    if not len(answers):
        return out
    codebook = data.codebook
    responses = data.headline.responses
    attendees = data.headline.attendees
    summary = data.survey
    out.add("h2", "What the survey said")
    rate = f" ({responses / attendees:.0%} of attendees)" if attendees else ""
    out.add("p", f"{responses} people answered the survey{rate}.")
    ratings: dict[str, Any] = {}
    opt_in = an.opt_in_question(answers)
    said = survey_summaries(data)
    for question, kind in an.survey_questions(answers):
        rows = answers[answers[Col.QUESTION] == question]
        if kind == ResponseType.RATING:
            table = data.ratings[question]
            ratings[question] = table
            summary["questions"][question] = {
                "type": kind,
                "answers": len(rows),
                "distribution": {r.answer: int(r.count) for r in table.itertuples()},
            }
        elif kind == ResponseType.CHOICE:
            table = an.choice_counts(answers, question)
            summary["questions"][question] = {
                "type": kind,
                "answers": len(rows),
                "distribution": {r.answer: int(r.count) for r in table.itertuples()},
            }
            if question == opt_in:
                continue
            out.add("h3", question)
            if len(table) > 2:
                ax = plots.plot_choice_counts(table, title=question)
                alt = f"Bar chart of answers to '{question}': " + ", ".join(
                    f"{r.answer} {int(r.count)}" for r in table.itertuples()
                )
                out.add_chart(data.chart_name(f"survey-choice-{chart_slug(question)}"), ax, alt)
            else:
                out.add("ul", [f"{r.answer}: {int(r.count)}" for r in table.itertuples()])
        else:
            counts = an.code_counts(rows, codebook)
            summary["questions"][question] = {
                "type": kind,
                "answers": len(rows),
                "codes": {r.code: int(r.count) for r in counts.itertuples() if r.count},
            }
            out.add("h3", question)
            if said.get(question):
                out.add("p", f"**In their words:** {said[question]}")
            present = counts[counts["count"] > 0]
            if len(present):
                out.add(
                    "p",
                    f"{len(rows)} answers. Most often: "
                    + ", ".join(
                        f"{r.label.lower()} ({int(r.count)})" for r in present.head(5).itertuples()
                    )
                    + ".",
                )
                ax = plots.plot_code_counts(
                    counts, title=question, xlabel="Survey answers", max_codes=10
                )
                out.add_chart(
                    data.chart_name(f"survey-{chart_slug(question)}"),
                    ax,
                    plots.alt_code_counts(counts, "answers"),
                )
                seen: set[str] = set()
                for r in present.head(3).itertuples():
                    quotes = an.representative_quotes(rows, r.code, n=2, min_words=3)
                    for _, quote in quotes.iterrows():
                        if quote[Col.ITEM_ID] in seen:
                            continue
                        seen.add(quote[Col.ITEM_ID])
                        out.add("quote", quote[Col.TEXT], quote[Col.AUTHOR] or "Anonymous")
            else:
                out.add("p", f"{len(rows)} answers; none carried a code.")
    if ratings:
        out.add("h3", "Ratings")
        for question, table in ratings.items():
            scored = ", ".join(f"{r.answer}: {int(r.count)}" for r in table.itertuples())
            out.add("p", f"{question} ({scored})")
        # Questions on the same scale share one diverging chart; numeric scores get bars.
        by_scale: dict[tuple, dict] = {}
        for question, table in ratings.items():
            by_scale.setdefault(tuple(table["answer"]), {})[question] = table
        for scale, group in by_scale.items():
            numeric = all(str(a).lstrip("-").isdigit() for a in scale)
            if numeric:
                for question, table in group.items():
                    ax = plots.plot_rating_bars(table, title=question)
                    mean = sum(
                        int(a) * c for a, c in zip(table["answer"], table["count"], strict=True)
                    ) / max(1, table["count"].sum())
                    alt = f"Bar chart of answers to '{question}' (mean {mean:.1f}): " + ", ".join(
                        f"{r.answer}: {int(r.count)}" for r in table.itertuples()
                    )
                    out.add_chart(data.chart_name(f"survey-rating-{chart_slug(question)}"), ax, alt)
            else:
                title = next(iter(group)) if len(group) == 1 else "How people rated the webinar"
                ax = plots.plot_likert(group, title=title)
                alt = "Diverging stacked bar chart of ratings: " + "; ".join(
                    f"{q}: " + ", ".join(f"{r.answer} {r.share:.0%}" for r in t.itertuples())
                    for q, t in group.items()
                )
                name = chart_slug(" | ".join(group), words=next(iter(group)))
                out.add_chart(data.chart_name(f"survey-ratings-{name}"), ax, alt)
    if opt_in:
        eligible = an.eligible_respondents(answers, opt_in)
        out.add(
            "p",
            f"{len(eligible)} respondents opted in to the prize draw; run "
            "`feedback draw` on the survey file to pick a winner reproducibly.",
        )
        summary["prize_draw_opt_ins"] = len(eligible)
    return out


def tone_section(data: WebinarData) -> Section:
    """Tone of the chat by principle and theme (the same messages the codes chart counts)."""
    from feedback import analysis as an
    from feedback import plots
    from feedback.codebook import SUBSTANTIVE_GROUPS

    out = Section()
    tone = an.sentiment_by_code(data.conversation, data.codebook, groups=list(SUBSTANTIVE_GROUPS))
    tone = tone[tone["count"] >= 3].head(12)
    if not len(tone):
        return out
    out.add("h2", "Tone")
    warm = tone.sort_values("mean", ascending=False).iloc[0]
    cool = tone.sort_values("mean").iloc[0]
    out.add(
        "p",
        f"Chat messages on {warm['label'].lower()} were the most positive in tone "
        f"({warm['positive']:.0%} positive); those on {cool['label'].lower()} the "
        f"least ({cool['negative']:.0%} negative). Tone is scored with the VADER "
        "lexicon, which reads words, not context: treat it as a rough guide.",
    )
    ax = plots.plot_sentiment_by_code(
        tone,
        title="Tone of chat messages by principle and theme",
        what="chat messages and Q&A questions",
    )
    alt = "Diverging bar chart of the share of negative, neutral and positive comments: " + (
        "; ".join(
            f"{r.label} {r.positive:.0%} positive, {r.negative:.0%} negative"
            for r in tone.itertuples()
        )
    )
    out.add_chart(data.chart_name("tone"), ax, alt)
    return out


def who_came_section(data: WebinarData) -> Section:
    """Who came: attendees by organisation and by country (small groups merged)."""
    import pandas as pd

    from feedback import plots
    from feedback.privacy import merge_small_groups

    out = Section()
    orgs, countries = data.orgs, data.countries
    if not (len(countries) or len(orgs)):
        return out
    minimum = data.options.min_group
    out.add("h2", "Who came")
    for values, name, what in (
        (orgs, "organisations", "organisation"),
        (countries, "countries", "country"),
    ):
        if not len(values):
            continue
        grouped = merge_small_groups(values.value_counts(), minimum=minimum)
        if len(grouped) > 13:
            named = grouped.drop(index="Other", errors="ignore")
            rest = int(grouped.get("Other", 0)) + int(named.iloc[12:].sum())
            grouped = pd.concat([named.iloc[:12], pd.Series({"Other": rest})])
        if len(grouped) <= 1 and "Other" in grouped.index:
            continue
        ax = plots.plot_group_counts(grouped, title=f"Attendees by {what}")
        alt = (
            f"Bar chart of attendees by {what} (groups under {minimum} merged "
            "into Other): " + ", ".join(f"{k} {int(v)}" for k, v in grouped.items())
        )
        out.add_chart(data.chart_name(name), ax, alt)
    return out


# -- sections of the whole report ---------------------------------------------------------------
def series_figures(parts: list[WebinarData]) -> pd.DataFrame:
    """One row of headline figures per webinar of a series, in series order.

    Columns: ``name``, ``attendees``, ``chat_users``, ``chat_share`` (of those who
    attended), ``messages``, ``responses``, ``rated_positively`` (share of rating
    answers in the upper half of their scales), ``open_questions``, ``page``.
    """
    import pandas as pd

    rows = []
    for data in parts:
        h = data.headline
        counts = question_counts(data.questions)
        rows.append(
            {
                "name": data.name,
                "attendees": h.attendees,
                "chat_users": h.chat_users,
                "chat_share": h.chat_share,
                "messages": h.messages,
                "responses": h.responses,
                "rated_positively": data.rated_positively,
                "open_questions": counts["open"],
                "page": data.page,
            }
        )
    return pd.DataFrame(rows)


def series_overview(
    parts: list[WebinarData], codebook: Codebook, options: ReportOptions | None = None
) -> Section:
    """The series at a glance: one row per webinar (linked to its page), attendance and
    themes over the series, bursts and quotes naming their webinar."""
    import pandas as pd

    from feedback import analysis as an
    from feedback import plots

    out = Section()
    table = series_figures(parts)
    out.add("h2", "The series at a glance")
    total_open = int(table["open_questions"].sum())
    out.add(
        "p",
        f"{len(parts)} webinars with **{int(table['attendees'].sum())}** attendees in all, "
        f"**{int(table['messages'].sum())}** public chat messages and "
        f"**{int(table['responses'].sum())}** survey responses; **{total_open}** questions "
        "about the subject are still open.",
    )
    header = ["Webinar", "Attendees", "Chat users", "Chat share", "Messages", "Survey responses",
              "Rated positively", "Open questions"]  # fmt: skip
    rows = []
    for row in table.itertuples():
        name = Link(row.name, f"{row.page}/report") if row.page else row.name
        rows.append(
            [
                name,
                row.attendees,
                row.chat_users,
                _percent(row.chat_share),
                row.messages,
                row.responses,
                _percent(row.rated_positively),
                row.open_questions,
            ]
        )
    out.add("table", header, rows)
    unlinked = int(table["page"].isna().sum())
    if unlinked and unlinked < len(table):
        out.add(
            "note",
            f"Pages are written for the {len(table) - unlinked} linked webinars (the busiest and "
            f"the latest); run `feedback report --pages all` for the other {unlinked}.",
        )
    figures = table.set_index("name")[["attendees", "chat_users", "messages"]]
    figures.columns = ["Attendees", "Chat users", "Public chat messages"]
    ax = plots.plot_series_figures(figures)
    alt = "Line chart of attendees, chat users and public chat messages per webinar: " + "; ".join(
        f"{r.name}: {r.attendees} attendees, {r.chat_users} chat users, {r.messages} messages"
        for r in table.itertuples()
    )
    out.add_chart("series-figures", ax, alt)

    shares = an.series_code_shares({p.name: p.counts for p in parts}, top=6)
    if len(shares):
        labelled = shares.rename(index=codebook.label)
        ax = plots.plot_series_trend(
            labelled,
            title="Themes across the series",
            ylabel="Share of coded chat messages (%)",
        )
        alt = (
            "Line chart of the share of each webinar's coded public chat messages and Q&A "
            "questions that carry each leading theme: "
            + "; ".join(
                f"{label}: " + ", ".join(f"{col} {row[col]:.0%}" for col in labelled.columns)
                for label, row in labelled.iterrows()
            )
        )
        out.add_chart("series-codes", ax, alt)

    bursts = sorted(((b, p) for p in parts for b in p.bursts), key=lambda bp: -bp[0].count)[:12]
    if bursts:
        out.add("h3", "Bursts of conversation across the series")
        out.add("ul", [f"{p.name}: {b.describe(p.labels.get(b.code))}" for b, p in bursts])

    conversation = pd.concat(
        [p.conversation.assign(_webinar=p.name) for p in parts], ignore_index=True
    )
    counts = an.code_counts(conversation, codebook, groups=_substantive(codebook))
    top = counts[counts["count"] > 0].head(3)
    if len(top):
        out.add("h3", "What people said across the series")
        per_code = options.quotes_per_code if options else 3
        for row in top.itertuples():
            quotes = an.representative_quotes(conversation, row.code, n=per_code)
            if quotes.empty:
                continue
            out.add("p", f"**{row.label}** ({row.count} messages over the series)")
            for _, quote in quotes.iterrows():
                author = quote[Col.AUTHOR] or "Someone"
                out.add("quote", quote[Col.TEXT], f"{author}, {quote['_webinar']}")
    return out


def _substantive(codebook: Codebook) -> list[str]:
    from feedback.codebook import SUBSTANTIVE_GROUPS

    return list(SUBSTANTIVE_GROUPS)


def _percent(value) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.0%}"


def method_note(
    parts: list[WebinarData], codebook: Codebook, model_info: dict, options: ReportOptions
) -> Section:
    """How this report was made: the model, what was left out, how names are shown."""
    private = sum(p.headline.private_excluded for p in parts)
    reactions = sum(p.headline.reactions for p in parts)
    skipped = sum(p.headline.skipped_lines for p in parts)
    transcript = sum(p.headline.transcript_cues for p in parts)
    panelist = sum(p.headline.panelist_messages for p in parts)
    panel_excluded = any(p.headline.panelist_excluded for p in parts)
    skipped_files = [f for p in parts for f in p.headline.skipped_files]
    out = Section()
    out.add("h2", "How this report was made")
    lines = [
        f"Comments were tagged automatically against the codebook '{codebook.name}' "
        f"({len(codebook)} codes) by {model_info.get('name', 'a trained model')}.",
    ]
    if model_info.get("macro_f1") is not None:
        lines.append(
            f"On {model_info.get('evaluated_on', 'a held-out test set')} the tagger scores "
            f"micro-F1 {model_info['micro_f1']:.2f} and macro-F1 {model_info['macro_f1']:.2f}: "
            "most tags are right, but treat counts as approximate and read the quotes."
        )
    excluded = [f"{private} private messages excluded (counted, never shown)"]
    if panelist and panel_excluded:
        excluded.append(f"{panelist} messages sent to panelists excluded (counted, never shown)")
    elif panelist:
        excluded.append(
            f"{panelist} messages sent to panelists analysed and quoted like public chat"
        )
    excluded.append(f"{reactions} reactions counted but not analysed as comments")
    if transcript:
        excluded.append(f"{transcript} transcript lines (speakers) not counted as chat")
    excluded.append(f"{skipped} lines of the input files could not be read")
    if skipped_files:
        excluded.append(
            f"{len(skipped_files)} files in the input folders were skipped ("
            + ", ".join(f"{f['file']}: {f['reason']}" for f in skipped_files)
            + ")"
        )
    lines.append("; ".join(excluded) + ".")
    from feedback.privacy import privacy_note

    lines.append(privacy_note(options.names, options.min_group))
    for line in lines:
        out.add("note", line)
    return out


# -- summary.json --------------------------------------------------------------------------------
def build_summary(parts: list[WebinarData], series: bool) -> dict:
    """The report's figures in machine form (``summary.json``).

    One webinar: its figures. A series: the series totals, and under ``webinars``
    one entry per webinar (``name`` first) with the same figures.
    """

    from feedback.report.write import _time_text

    def one(data: WebinarData) -> dict:
        h = data.headline
        code_totals = data.code_totals
        entry = {
            "name": data.name,
            "webinar": data.name,
            "title": data.title,
            "messages": h.messages,
            "participants": h.participants,
            "attendees": h.attendees,
            "chat_users": h.chat_users,
            "chat_share": h.chat_share,
            "reactions": h.reactions,
            "qa_questions": h.qa_questions,
            "responses": h.responses,
            "rated_positively": data.rated_positively,
            "private_excluded": h.private_excluded,
            "panelist_messages": h.panelist_messages,
            "skipped_lines": h.skipped_lines,
            "skipped_files": list(h.skipped_files),
            "organisations": h.organisations,
            "countries": h.countries,
            "codes": {code: int(code_totals.get(code, 0)) for code in data.codebook.ids},
            "conversation_codes": {r.code: int(r.count) for r in data.counts.itertuples()},
            "question_counts": question_counts(data.questions),
            "bursts": [
                {
                    "code": b.code,
                    "start": _time_text(b.start),
                    "end": _time_text(b.end),
                    "count": int(b.count),
                }
                for b in data.bursts
            ],
            "questions": [
                {
                    "author": q.author,
                    "time": _time_text(q.time),
                    "text": q.text,
                    "answered": bool(q.answered),
                    "source": q.source,
                    "about": q.about,
                }
                for q in data.questions.itertuples()
            ],
            "survey": data.survey,
        }
        if data.page:
            entry["page"] = f"{data.page}/report.html"
        return entry

    if not series:
        return one(parts[0])
    each = [one(p) for p in parts]
    totals: dict = {"webinars": each}
    for key in ("messages", "participants", "attendees", "chat_users", "reactions",
                "qa_questions", "responses", "private_excluded", "panelist_messages",
                "skipped_lines"):  # fmt: skip
        totals[key] = sum(w[key] for w in each)
    for key in ("codes", "conversation_codes", "question_counts"):
        totals[key] = {name: sum(w[key].get(name, 0) for w in each) for name in each[0][key]}
    totals["bursts"] = [dict(b, webinar=w["name"]) for w in each for b in w["bursts"]]
    totals["questions"] = [dict(q, webinar=w["name"]) for w in each for q in w["questions"]]
    totals["survey"] = {"responses": totals["responses"]}
    return totals


# -- helpers -------------------------------------------------------------------------------------
def _roles(participants, pseudonymiser) -> dict[str, str]:
    """Shown name to role, for hosts and panelists."""
    if participants is None or not len(participants):
        return {}
    out = {}
    for name, role in zip(participants[PCol.NAME], participants[PCol.ROLE], strict=True):
        if role in Role.SPEAKERS:
            out[pseudonymiser.name(name)] = role
    return out


def _question_line(q, roles: dict[str, str], answered: bool = False) -> str:
    when = f"{q['time']:%H:%M} " if q["time"] is not None and str(q["time"]) != "NaT" else ""
    source = " (Q&A)" if q["source"] == "Q&A" else ""
    line = f"{when}{q['author'] or 'Someone'}{source}: {q['text']}"
    if answered:
        by = q["answered_by"]
        if by:
            role = roles.get(by)
            line += f" (answered by {by}{', ' + role if role else ''})"
        else:
            line += " (answered)"
    return line


def chart_slug(text: str, *, words: str | None = None, limit: int = 40) -> str:
    """A chart's file name from its own words plus a short hash of the whole text.

    Questions sharing a long prefix ("How satisfied were you with the workshop:
    overall / content") get different names.
    """
    import hashlib

    slug = _slug(words if words is not None else text)[:limit].strip("-")
    digest = hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}" if slug else digest


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


# -- the story: threads, open questions, what each theme said, context ---------------------------
def theme_summaries(data: WebinarData) -> dict[str, str]:
    """Code id to one line of the distinctive phrases of its messages (c-TF-IDF)."""
    from feedback.analysis import labels_of
    from feedback.analysis.themes import distinctive_phrases, summary_line

    discussion = data.conversation
    texts = discussion[Col.TEXT].astype(str).tolist()
    codes = labels_of(discussion).tolist()
    groups: dict[str, list[str]] = {code: [] for code in data.codebook.ids}
    rest: list[str] = []
    for text, labels in zip(texts, codes, strict=True):
        for code in labels:
            groups.setdefault(code, []).append(text)
        if not labels:
            rest.append(text)
    found = distinctive_phrases({**groups, "": rest})
    return {code: summary_line(p) for code, p in found.items() if code and p}


def survey_summaries(data: WebinarData) -> dict[str, str]:
    """Free-text survey question to one line of the distinctive phrases of its answers."""
    from feedback.analysis.themes import distinctive_phrases, summary_line

    answers = data.answers
    text = answers[answers[Col.RESPONSE_TYPE] == ResponseType.TEXT]
    if not len(text):
        return {}
    groups = {
        str(question): rows[Col.TEXT].astype(str).tolist()
        for question, rows in text.groupby(Col.QUESTION, sort=False)
    }
    # The chat is one more group, so a question's phrases are distinctive against it too.
    found = distinctive_phrases({**groups, "": data.chat[Col.TEXT].astype(str).tolist()})
    return {q: summary_line(p) for q, p in found.items() if q and p}


def prompted_line(data: WebinarData, moment) -> str | None:
    """'Prompted by Speaker: "...what was said in the minute before"', or None."""
    from feedback.analysis.conversation import prompted_by

    transcript = data.tagged[data.tagged[Col.KIND] == Kind.TRANSCRIPT]
    found = prompted_by(transcript, moment)
    if found is None:
        return None
    speaker, said = found
    who = f" {speaker}" if speaker else " the speaker"
    return f"Prompted by{who}: \u201c{said}\u201d"


def took_off_section(data: WebinarData) -> Section:
    """Conversations that took off: comments that drew the most replies, and well-liked ones."""
    from feedback.analysis.conversation import conversations, took_off

    out = Section()
    public = data.tagged[data.tagged[Col.KIND].isin([Kind.CHAT, Kind.REACTION])]
    if not len(public):
        return out
    speakers = set(_roles(data.webinar.participants, data.pseudonymiser))
    most, liked = took_off(conversations(public, codes=set(data.substantive)), exclude=speakers)
    if not most and not liked:
        return out
    out.add("h2", "Conversations that took off")

    def show(c, what: str) -> None:
        when = f"{c.time:%H:%M}, " if c.time is not None and str(c.time) != "NaT" else ""
        out.add("quote", c.text, f"{c.author or 'Someone'} ({when}{what})")
        context = prompted_line(data, c.time)
        if context:
            out.add("p", context)
        lines = []
        for author, _, text, answering in c.replies:
            to = f" (to {answering or 'someone'})" if answering != c.author else ""
            lines.append(f"{author or 'Someone'}{to}: {_one_line(text)}")
        if lines:
            out.add("ul", lines)

    if most:
        out.add(
            "p",
            "The comments that drew the most replies, each with the replies that followed "
            "(linked by Zoom's replies, @mentions, quotes, \u201c+1\u201d and quick answers on the "
            "same theme).",
        )
        for c in most:
            people = f" from {c.repliers} people" if c.repliers > 1 else ""
            show(c, f"{len(c.replies)} replies{people}")
    if liked:
        out.add("h3", "Well-liked")
        for c in liked:
            parts = []
            if c.reactions:
                parts.append(f"{c.reactions} reaction{'s' if c.reactions != 1 else ''}")
            if c.agreements:
                parts.append(f"{c.agreements} \u201c+1\u201d")
            show(c, " and ".join(parts))
    return out


def open_questions_section(
    data: WebinarData,
    open_q: pd.DataFrame,
    *,
    heading: str = "Still open, ready for a follow-up answer",
    by_theme: bool = True,
) -> Section:
    """Questions a host can answer in one go: duplicates merged, grouped by theme."""
    import pandas as pd

    from feedback.analysis.conversation import AGREE, link_messages
    from feedback.analysis.questions import merge_questions

    out = Section()
    if not len(open_q):
        return out
    links = link_messages(data.chat)
    agreed = links[links["link"] == AGREE]
    if len(agreed):
        backed = agreed.merge(
            data.chat[[Col.ITEM_ID, Col.AUTHOR]].rename(columns={Col.ITEM_ID: "item_id"}),
            on="item_id",
        )
        agreements = pd.DataFrame(
            {"item_id": backed["item_id"], "author": backed[Col.AUTHOR], "parent": backed["parent"]}
        )
    else:  # no chat, or nobody backed a question
        agreements = pd.DataFrame(columns=["item_id", "author", "parent"])
    merged = merge_questions(open_q, agreements=agreements)
    out.add("h3", heading)
    if not by_theme:
        merged["theme"] = ""
    order = list(dict.fromkeys(merged["theme"]))
    for theme in sorted(order, key=lambda t: (t == "", order.index(t))):
        group = merged[merged["theme"] == theme]
        if by_theme and len(order) > 1:
            name = data.labels.get(theme, theme) if theme else "Other questions"
            out.add("p", f"**{name}**")
        lines = []
        for q in group.itertuples():
            when = f"{q.time:%H:%M} " if str(q.time) != "NaT" else ""
            who = (
                f"asked by {q.askers} people"
                if q.askers > 1
                else (q.authors[0] if q.authors and q.authors[0] else "Someone")
            )
            done = " (answered)" if q.answered else ""
            lines.append(f"{when}{_one_line(q.text)} ({who}){done}")
        out.add("ul", lines)
    return out


def _burst_line(data: WebinarData, burst: Burst) -> str:
    """A burst described, with what the speaker said in the minute before it."""
    line = burst.describe(data.labels.get(burst.code))
    context = prompted_line(data, burst.start)
    return f"{line}. {context}" if context else line


def _one_line(text: str) -> str:
    """Text on one line (for list items)."""
    return " ".join(str(text).split())
