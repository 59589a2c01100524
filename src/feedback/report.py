"""The webinar report: build it (pure), then write it (Markdown, HTML, PNG, CSV, JSON).

:func:`build_report` turns loaded webinars into a :class:`Report`: blocks of
content, figures with alt text, and tables, with private messages removed and
names pseudonymised. :func:`write_report` writes it to a folder atomically.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import platform
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedback.schema import Col, Kind, PCol, ResponseType, Role

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from feedback.classifier import CommentTagger
    from feedback.codebook import Codebook
    from feedback.loaders import Webinar


@dataclass
class ReportOptions:
    """Choices that shape a report.

    Attributes
    ----------
    title : str, optional
        Title of the report (default: the webinar's topic).
    names : {"pseudonym", "first", "full"}
        How people are named in quotes, questions and tables.
    keep_names : list of str
        Names kept as they are (hosts and panelists who agreed).
    min_group : int
        Organisations and countries with fewer people are merged into "Other".
    quotes_per_code : int
    leading_codes : int
        How many leading principles/themes get quotes.
    """

    title: str | None = None
    names: str = "pseudonym"
    keep_names: list[str] = field(default_factory=list)
    min_group: int = 3
    quotes_per_code: int = 3
    leading_codes: int = 5
    burst_window_minutes: float = 3.0
    burst_min_count: int = 5


@dataclass
class Chart:
    """A figure to save as PNG, with its alt text."""

    name: str
    figure: Figure
    alt: str
    title: str


@dataclass
class Report:
    """A built report, ready to write.

    Attributes
    ----------
    title : str
    blocks : list of tuple
        Content in order: ``("h1"|"h2"|"h3"|"p"|"note", text)``, ``("ul", [items])``,
        ``("quote", text, attribution)``, ``("chart", name)``, ``("table", header, rows)``.
    charts : dict of str to Chart
    tagged : pandas.DataFrame
        Shareable tagged comments (private removed, names pseudonymised, scrubbed).
    questions : pandas.DataFrame
    summary : dict
        The figures in machine form (``summary.json``).
    manifest : dict
    key : dict
        Pseudonym to real name (only written when asked, never into the report folder).
    """

    title: str
    blocks: list[tuple] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)
    tagged: Any = None
    questions: Any = None
    summary: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    key: dict = field(default_factory=dict)


# -- building ------------------------------------------------------------------------------------
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

    Parameters
    ----------
    webinars : list of Webinar
        From :func:`feedback.loaders.load_inputs`.
    model : CommentTagger
        A fitted tagger.
    codebook : Codebook, optional
        Defaults to the model's codebook.
    options : ReportOptions, optional
    model_info : dict, optional
        What to say about the model (``name``, ``micro_f1``, ``macro_f1``, ``evaluated_on``).
    progress : callable, optional
        Called as ``progress(webinar_name, rows_done, rows_total)`` while comments are
        tagged, for progress bars.

    Returns
    -------
    Report
    """
    import pandas as pd

    from feedback.privacy import Pseudonymiser

    options = options or ReportOptions()
    codebook = codebook or model.codebook_
    pseudonymiser = Pseudonymiser(options.names, keep=options.keep_names)
    parts = []
    for webinar in webinars:
        step = None
        if progress is not None:
            total = int(webinar.items[Col.KIND].isin(Kind.TAGGABLE).sum())

            def step(done: int, name=webinar.name, total=total) -> None:
                progress(name, done, total)

        parts.append(_build_webinar(webinar, model, codebook, options, pseudonymiser, step))
    series = len(parts) > 1
    title = options.title or (
        parts[0]["title"] if not series else f"Webinar series: {len(parts)} webinars"
    )
    report = Report(title=title)
    report.blocks.append(("h1", title))
    if series:
        _series_overview(report, parts, codebook)
    for part in parts:
        if series:
            report.blocks.append(("h2", part["title"]))
        report.blocks.extend(part["blocks"])
        report.charts.update(part["charts"])
    _method_note(report, parts, codebook, model, model_info or {}, options)
    report.tagged = pd.concat([p["tagged"] for p in parts], ignore_index=True)
    report.questions = pd.concat([p["questions"] for p in parts], ignore_index=True)
    report.summary = _summary(parts, series)
    report.key = pseudonymiser.key()
    return report


def _build_webinar(webinar, model, codebook, options, pseudonymiser, progress=None) -> dict:
    import pandas as pd

    from feedback import analysis as an
    from feedback import plots
    from feedback.codebook import SUBSTANTIVE_GROUPS
    from feedback.privacy import (
        drop_private,
        learn_people,
        merge_small_groups,
        pseudonymise_items,
        safe_quote,
    )

    items = webinar.items
    participants = webinar.participants
    private = int(items[Col.IS_PRIVATE].astype(bool).sum())
    public = drop_private(items)
    tagged_real = an.tag_items(public, model, progress=progress)
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
    answers = an.survey_answers(tagged)
    substantive = codebook.in_groups(list(SUBSTANTIVE_GROUPS))
    labels = {code.id: code.label for code in codebook.codes}
    blocks: list[tuple] = []
    charts: dict[str, Chart] = {}
    slug = _slug(webinar.name)

    def chart(name: str, ax, alt: str) -> str:
        key = f"{slug}-{name}" if slug else name
        charts[key] = Chart(key, ax.figure, alt, ax.get_title(loc="left") or ax.get_title())
        return key

    # Headline figures ---------------------------------------------------------------------
    attended = participants[participants[PCol.ATTENDED]] if len(participants) else participants
    attendees = int((attended[PCol.ROLE] == Role.ATTENDEE).sum()) if len(attended) else 0
    people = len(attended) if len(attended) else 0
    chat_people = {pseudonymiser.person(a) for a in chat_real[Col.AUTHOR] if a}  # renames: one
    respondents = int(answers[Col.RESPONDENT].nunique()) if len(answers) else 0
    survey_meta = next((f.meta for f in webinar.files if f.meta.get("respondents") is not None), {})
    responses = int(survey_meta.get("respondents", respondents)) if survey_meta else respondents
    orgs = attended[PCol.ORGANISATION].replace("", pd.NA).dropna() if len(attended) else []
    countries = (
        attended[PCol.COUNTRY].replace({"": pd.NA, "--": pd.NA}).dropna() if len(attended) else []
    )
    reactions = int((public[Col.KIND] == Kind.REACTION).sum())
    figures = []
    if people:
        figures.append(f"**{attendees}** attendees (and {people - attendees} hosts and panelists)")
    if chat_people:
        share = f" ({len(chat_people) / people:.0%} of those who attended)" if people else ""
        figures.append(f"**{len(chat_people)}** people used the chat{share}")
    figures.append(f"**{len(chat)}** public chat messages and **{reactions}** reactions")
    qa_count = int((conversation[Col.KIND] == Kind.QUESTION).sum())
    if qa_count:
        figures.append(f"**{qa_count}** questions in the Q&A")
    if responses:
        rate = f", a response rate of {responses / attendees:.0%}" if attendees else ""
        figures.append(f"**{responses}** survey responses{rate}")
    if len(orgs):
        figures.append(f"**{orgs.nunique()}** organisations")
    if len(countries):
        figures.append(f"**{countries.nunique()}** countries")
    if webinar.meta.get("start") is not None:
        start = webinar.meta["start"]
        blocks.append(("p", f"Held on {start:%A %d %B %Y}, starting at {start:%H:%M}."))
    blocks.append(("h2", "At a glance"))
    blocks.append(("ul", figures))

    # What people talked about ---------------------------------------------------------------
    discussion = conversation.copy()
    counts = an.code_counts(discussion, codebook, groups=list(SUBSTANTIVE_GROUPS))
    blocks.append(("h2", "What people talked about"))
    top = counts[counts["count"] > 0]
    if len(top):
        leading = ", ".join(
            f"{row.label.lower()} ({row['count']})" for _, row in top.head(5).iterrows()
        )
        blocks.append(
            (
                "p",
                f"Of {len(discussion)} public messages and questions, the principles and themes "
                f"raised most often were {leading}.",
            )
        )
        ax = plots.plot_code_counts(counts, title="Principles and themes in the chat")
        blocks.append(("chart", chart("codes", ax, plots.alt_code_counts(counts, "messages"))))
        for _, row in top.head(options.leading_codes).iterrows():
            quotes = an.representative_quotes(discussion, row["code"], n=options.quotes_per_code)
            if quotes.empty:
                continue
            blocks.append(("h3", f"{row['label']} ({row['count']} messages)"))
            for _, quote in quotes.iterrows():
                blocks.append(("quote", quote[Col.TEXT], quote[Col.AUTHOR]))
    else:
        blocks.append(("p", "No message carried a principle or theme."))
    principles = codebook.in_groups(["principle"])
    overall = an.code_counts(tagged, codebook, groups=["principle"])
    missing = [labels[c] for c in principles if int(overall.set_index("code").loc[c, "count"]) == 0]
    if missing:
        blocks.append(("p", "Principles that did not come up at all: " + ", ".join(missing) + "."))
    elif principles:
        blocks.append(("p", "Every one of the principles came up at least once."))

    # How the conversation moved ---------------------------------------------------------------
    per_minute = an.messages_per_minute(chat)
    bursts = an.find_bursts(
        chat,
        codes=substantive,
        window_minutes=options.burst_window_minutes,
        min_count=options.burst_min_count,
    )
    if len(per_minute):
        blocks.append(("h2", "How the conversation moved"))
        busiest = per_minute.idxmax()
        text = (
            f"The chat ran from {per_minute.index[0]:%H:%M} to {per_minute.index[-1]:%H:%M}; "
            f"the busiest minute was {busiest:%H:%M} with {int(per_minute.max())} messages."
        )
        blocks.append(("p", text))
        if bursts:
            blocks.append(("p", "Bursts of conversation on one theme:"))
            blocks.append(("ul", [b.describe(labels.get(b.code)) for b in bursts]))
        ax = plots.plot_timeline(per_minute, bursts, labels=labels)
        blocks.append(
            ("chart", chart("timeline", ax, plots.alt_timeline(per_minute, bursts, labels)))
        )

    # Questions --------------------------------------------------------------------------------
    if len(questions):
        content = questions[questions["about"] == "content"]
        session = questions[questions["about"] == "session"]
        open_q = content[~content["answered"]]
        blocks.append(("h2", "Questions raised"))
        text = (
            f"Participants asked {len(content)} questions about the subject; "
            f"{len(content) - len(open_q)} were answered during the webinar and {len(open_q)} "
            "are still open."
        )
        if len(session):
            text += f" Another {len(session)} were about the session itself (sound, slides, links)."
        blocks.append(("p", text))
        roles = _roles(participants, pseudonymiser)
        if len(open_q):
            blocks.append(("h3", "Still open, ready for a follow-up answer"))
            blocks.append(("ul", [_question_line(q, roles) for _, q in open_q.iterrows()]))
        answered = content[content["answered"]]
        if len(answered):
            blocks.append(("h3", "Answered during the webinar"))
            blocks.append(
                ("ul", [_question_line(q, roles, answered=True) for _, q in answered.iterrows()])
            )
        if len(session):
            blocks.append(("h3", "About the session itself"))
            blocks.append(
                (
                    "ul",
                    [
                        _question_line(q, roles, answered=bool(q["answered"]))
                        for _, q in session.iterrows()
                    ],
                )
            )

    # Survey -----------------------------------------------------------------------------------
    survey_summary: dict = {"responses": responses, "questions": {}}
    if len(answers):
        _survey_section(
            blocks,
            chart,
            answers,
            codebook,
            responses,
            attendees,
            survey_meta,
            options,
            survey_summary,
        )

    # Tone -------------------------------------------------------------------------------------
    tone = an.sentiment_by_code(
        pd.concat([discussion, answers[answers[Col.RESPONSE_TYPE] == ResponseType.TEXT]]),
        codebook,
        groups=list(SUBSTANTIVE_GROUPS),
    )
    tone = tone[tone["count"] >= 3].head(12)
    if len(tone):
        blocks.append(("h2", "Tone"))
        warm = tone.sort_values("mean", ascending=False).iloc[0]
        cool = tone.sort_values("mean").iloc[0]
        blocks.append(
            (
                "p",
                f"Comments on {warm['label'].lower()} were the most positive in tone "
                f"({warm['positive']:.0%} positive); comments on {cool['label'].lower()} the "
                f"least ({cool['negative']:.0%} negative). Tone is scored with the VADER "
                "lexicon, which reads words, not context: treat it as a rough guide.",
            )
        )
        ax = plots.plot_sentiment_by_code(tone, title="Tone of comments by principle and theme")
        alt = "Diverging bar chart of the share of negative, neutral and positive comments: " + (
            "; ".join(
                f"{r.label} {r.positive:.0%} positive, {r.negative:.0%} negative"
                for r in tone.itertuples()
            )
        )
        blocks.append(("chart", chart("tone", ax, alt)))

    # Who came ---------------------------------------------------------------------------------
    if len(countries) or len(orgs):
        blocks.append(("h2", "Who came"))
        for values, name, what in (
            (orgs, "organisations", "organisation"),
            (countries, "countries", "country"),
        ):
            if not len(values):
                continue
            grouped = merge_small_groups(values.value_counts(), minimum=options.min_group)
            if len(grouped) > 13:
                named = grouped.drop(index="Other", errors="ignore")
                rest = int(grouped.get("Other", 0)) + int(named.iloc[12:].sum())
                grouped = pd.concat([named.iloc[:12], pd.Series({"Other": rest})])
            if len(grouped) <= 1 and "Other" in grouped.index:
                continue
            ax = plots.plot_group_counts(grouped, title=f"Attendees by {what}")
            alt = (
                f"Bar chart of attendees by {what} (groups under {options.min_group} merged "
                "into Other): " + ", ".join(f"{k} {int(v)}" for k, v in grouped.items())
            )
            blocks.append(("chart", chart(name, ax, alt)))

    skipped = sum(len(f.skipped) for f in webinar.files)
    transcript = int((items[Col.KIND] == Kind.TRANSCRIPT).sum())
    code_totals = an.code_counts(tagged, codebook).set_index("code")["count"]
    return {
        "name": webinar.name,
        "title": webinar.meta.get("title") or webinar.name,
        "blocks": blocks,
        "charts": charts,
        "tagged": tagged[an.taggable_mask(tagged)].reset_index(drop=True),
        "questions": questions,
        "bursts": bursts,
        "counts": counts,
        "figures": {
            "messages": len(chat),
            "participants": int(people),
            "attendees": int(attendees),
            "chat_users": len(chat_people),
            "reactions": reactions,
            "private_excluded": private,
            "skipped_lines": skipped,
            "transcript_cues": transcript,
            "qa_questions": qa_count,
            "organisations": int(orgs.nunique()) if len(orgs) else 0,
            "countries": int(countries.nunique()) if len(countries) else 0,
            "codes": {code: int(code_totals.get(code, 0)) for code in codebook.ids},
            "conversation_codes": {r.code: int(r.count) for r in counts.itertuples()},
        },
        "survey": survey_summary,
        "files": webinar.files,
    }


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


def _survey_section(
    blocks, chart, answers, codebook, responses, attendees, meta, options, summary
) -> None:
    from feedback import analysis as an
    from feedback import plots

    blocks.append(("h2", "What the survey said"))
    rate = f" ({responses / attendees:.0%} of attendees)" if attendees else ""
    blocks.append(("p", f"{responses} people answered the survey{rate}."))
    scales = meta.get("scales", {}) if meta else {}
    ratings: dict[str, Any] = {}
    opt_in = an.opt_in_question(answers)
    for question, kind in an.survey_questions(answers):
        rows = answers[answers[Col.QUESTION] == question]
        if kind == ResponseType.RATING:
            table = an.rating_distribution(answers, question, scales.get(question))
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
            blocks.append(("h3", question))
            if len(table) > 2:
                ax = plots.plot_choice_counts(table, title=question)
                alt = f"Bar chart of answers to '{question}': " + ", ".join(
                    f"{r.answer} {int(r.count)}" for r in table.itertuples()
                )
                blocks.append(("chart", chart(f"survey-choice-{_slug(question)[:30]}", ax, alt)))
            else:
                blocks.append(("ul", [f"{r.answer}: {int(r.count)}" for r in table.itertuples()]))
        else:
            counts = an.code_counts(rows, codebook)
            summary["questions"][question] = {
                "type": kind,
                "answers": len(rows),
                "codes": {r.code: int(r.count) for r in counts.itertuples() if r.count},
            }
            blocks.append(("h3", question))
            present = counts[counts["count"] > 0]
            if len(present):
                blocks.append(
                    (
                        "p",
                        f"{len(rows)} answers. Most often: "
                        + ", ".join(
                            f"{r.label.lower()} ({int(r.count)})"
                            for r in present.head(5).itertuples()
                        )
                        + ".",
                    )
                )
                ax = plots.plot_code_counts(
                    counts, title=_short(question), xlabel="Answers", max_codes=10
                )
                blocks.append(
                    (
                        "chart",
                        chart(
                            f"survey-{_slug(question)[:30]}",
                            ax,
                            plots.alt_code_counts(counts, "answers"),
                        ),
                    )
                )
                seen: set[str] = set()
                for r in present.head(3).itertuples():
                    quotes = an.representative_quotes(rows, r.code, n=2, min_words=3)
                    for _, quote in quotes.iterrows():
                        if quote[Col.ITEM_ID] in seen:
                            continue
                        seen.add(quote[Col.ITEM_ID])
                        blocks.append(("quote", quote[Col.TEXT], quote[Col.AUTHOR] or "Anonymous"))
            else:
                blocks.append(("p", f"{len(rows)} answers; none carried a code."))
    if ratings:
        blocks.append(("h3", "Ratings"))
        for question, table in ratings.items():
            scored = ", ".join(f"{r.answer}: {int(r.count)}" for r in table.itertuples())
            blocks.append(("p", f"{question} ({scored})"))
        # Questions on the same scale share one diverging chart; numeric scores get bars.
        by_scale: dict[tuple, dict] = {}
        for question, table in ratings.items():
            by_scale.setdefault(tuple(table["answer"]), {})[question] = table
        for number, (scale, group) in enumerate(by_scale.items(), start=1):
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
                    blocks.append(
                        ("chart", chart(f"survey-rating-{_slug(question)[:30]}", ax, alt))
                    )
            else:
                title = next(iter(group)) if len(group) == 1 else "How people rated the webinar"
                ax = plots.plot_likert(group, title=title)
                alt = "Diverging stacked bar chart of ratings: " + "; ".join(
                    f"{q}: " + ", ".join(f"{r.answer} {r.share:.0%}" for r in t.itertuples())
                    for q, t in group.items()
                )
                blocks.append(("chart", chart(f"survey-ratings-{number}", ax, alt)))
    if opt_in:
        eligible = an.eligible_respondents(answers, opt_in)
        blocks.append(
            (
                "p",
                f"{len(eligible)} respondents opted in to the prize draw; run "
                "`feedback draw` on the survey file to pick a winner reproducibly.",
            )
        )
        summary["prize_draw_opt_ins"] = len(eligible)


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _series_overview(report: Report, parts: list[dict], codebook) -> None:
    import pandas as pd

    from feedback import plots

    report.blocks.append(("h2", "The series at a glance"))
    header = [
        "Webinar",
        "Attendees",
        "Chat users",
        "Messages",
        "Survey responses",
        "Open questions",
    ]
    rows = []
    for part in parts:
        f = part["figures"]
        open_q = int((~part["questions"]["answered"]).sum()) if len(part["questions"]) else 0
        rows.append(
            [
                part["title"],
                f["attendees"],
                f["chat_users"],
                f["messages"],
                part["survey"]["responses"],
                open_q,
            ]
        )
    report.blocks.append(("table", header, rows))
    table = pd.concat(
        [p["counts"].set_index("code")["count"].rename(p["title"]) for p in parts], axis=1
    ).fillna(0)
    table = table[table.sum(axis=1) > 0]
    if len(table):
        top = table.sum(axis=1).sort_values(ascending=False).head(8).index
        figure = plots.new_figure()
        ax = figure.add_subplot()
        shares = table.loc[top] / table.sum(axis=0).replace(0, 1)
        width = 0.8 / max(1, shares.shape[1])
        colours = list(plots.PALETTE.values())
        for i, column in enumerate(shares.columns):
            ax.barh(
                [j + i * width for j in range(len(top))],
                shares[column] * 100,
                height=width,
                color=colours[i % len(colours)],
                label=plots._wrap(column, 40),
            )
        ax.set_yticks([j + 0.4 - width / 2 for j in range(len(top))])
        ax.set_yticklabels([codebook.label(c) for c in top])
        ax.invert_yaxis()
        ax.legend(fontsize=plots.TICK_SIZE - 2, frameon=False)
        plots._style(ax, "Themes across the series", "Share of each webinar's coded messages (%)")
        alt = (
            "Grouped bar chart comparing the share of messages per theme in each webinar: "
            + "; ".join(
                f"{codebook.label(c)}: "
                + ", ".join(f"{col} {shares.loc[c, col]:.0%}" for col in shares.columns)
                for c in top
            )
        )
        report.charts["series-codes"] = Chart("series-codes", figure, alt, ax.get_title(loc="left"))
        report.blocks.append(("chart", "series-codes"))


def _method_note(report, parts, codebook, model, model_info, options) -> None:
    private = sum(p["figures"]["private_excluded"] for p in parts)
    reactions = sum(p["figures"]["reactions"] for p in parts)
    skipped = sum(p["figures"]["skipped_lines"] for p in parts)
    transcript = sum(p["figures"]["transcript_cues"] for p in parts)
    report.blocks.append(("h2", "How this report was made"))
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
    excluded.append(f"{reactions} reactions counted but not analysed as comments")
    if transcript:
        excluded.append(f"{transcript} transcript lines (speakers) not counted as chat")
    excluded.append(f"{skipped} lines of the input files could not be read")
    lines.append("; ".join(excluded) + ".")
    from feedback.privacy import privacy_note

    lines.append(privacy_note(options.names, options.min_group))
    for line in lines:
        report.blocks.append(("note", line))


def _summary(parts: list[dict], series: bool) -> dict:
    def one(part: dict) -> dict:
        f = part["figures"]
        return {
            "webinar": part["name"],
            "title": part["title"],
            "messages": f["messages"],
            "participants": f["participants"],
            "attendees": f["attendees"],
            "chat_users": f["chat_users"],
            "reactions": f["reactions"],
            "private_excluded": f["private_excluded"],
            "skipped_lines": f["skipped_lines"],
            "organisations": f["organisations"],
            "countries": f["countries"],
            "codes": f["codes"],
            "conversation_codes": f["conversation_codes"],
            "bursts": [
                {
                    "code": b.code,
                    "start": b.start.isoformat(),
                    "end": b.end.isoformat(),
                    "count": int(b.count),
                }
                for b in part["bursts"]
            ],
            "questions": [
                {
                    "author": q.author,
                    "time": None if str(q.time) == "NaT" else q.time.isoformat(),
                    "text": q.text,
                    "answered": bool(q.answered),
                    "source": q.source,
                }
                for q in part["questions"].itertuples()
            ],
            "survey": part["survey"],
        }

    if not series:
        return one(parts[0])
    each = [one(p) for p in parts]
    totals: dict = {"webinars": each}
    for key in ("messages", "participants", "attendees", "reactions", "private_excluded"):
        totals[key] = sum(w[key] for w in each)
    totals["codes"] = {
        code: sum(w["codes"].get(code, 0) for w in each) for code in each[0]["codes"]
    }
    totals["bursts"] = [dict(b, webinar=w["webinar"]) for w in each for b in w["bursts"]]
    totals["questions"] = [dict(q, webinar=w["webinar"]) for w in each for q in w["questions"]]
    totals["survey"] = {"responses": sum(w["survey"]["responses"] for w in each)}
    return totals


def _time_text(moment) -> str | None:
    """ISO date and time; the time alone when the date is unknown; None when missing."""
    from feedback.loaders.base import UNKNOWN_DATE

    if moment is None or str(moment) == "NaT":
        return None
    if moment.date() == UNKNOWN_DATE:
        return moment.strftime("%H:%M:%S")
    return moment.isoformat()


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


# -- rendering -----------------------------------------------------------------------------------
def render_markdown(report: Report) -> str:
    """The report as Markdown, with charts as ``![alt](name.png)``."""
    out: list[str] = []
    for block in report.blocks:
        kind = block[0]
        if kind == "h1":
            out.append(f"# {_md(block[1])}\n")
        elif kind == "h2":
            out.append(f"## {_md(block[1])}\n")
        elif kind == "h3":
            out.append(f"### {_md(block[1])}\n")
        elif kind == "p" or kind == "note":
            out.append(_md(block[1], keep_bold=True) + "\n")
        elif kind == "ul":
            out.append("\n".join(f"- {_md(item, keep_bold=True)}" for item in block[1]) + "\n")
        elif kind == "quote":
            text = " ".join(_md(block[1]).split())
            out.append(f"> {text}\n>\n> — {_md(block[2])}\n")
        elif kind == "chart":
            chart = report.charts[block[1]]
            out.append(f"![{_md(chart.alt)}]({chart.name}.png)\n")
        elif kind == "table":
            header, rows = block[1], block[2]
            lines = [
                "| " + " | ".join(_md(str(h)) for h in header) + " |",
                "|" + "---|" * len(header),
            ]
            lines += ["| " + " | ".join(_md(str(c)) for c in row) + " |" for row in rows]
            out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _md(text: str, keep_bold: bool = False) -> str:
    """Escape text for Markdown (and neutralise any HTML in it)."""
    import re

    text = str(text).replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\")
    for ch in "`*_[]#|":
        text = text.replace(ch, "\\" + ch)
    if keep_bold:
        text = re.sub(r"\\\*\\\*(.+?)\\\*\\\*", r"**\1**", text)
        text = text.replace("\\`feedback draw\\`", "`feedback draw`")
    return text


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:860px;
margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1a1a1a}
h1{font-size:2rem}h2{margin-top:2.2rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
img{max-width:100%;height:auto;display:block;margin:1rem 0}
blockquote{border-left:4px solid #E69F00;margin:1rem 0;padding:.3rem 1rem;background:#faf7f0}
blockquote footer{color:#555;font-size:.9rem}
.note{color:#444;font-size:.92rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
"""


def render_html(report: Report, images: dict[str, bytes]) -> str:
    """The report as one self-contained HTML page (charts embedded as data URIs)."""
    import re

    def inline(text: str) -> str:
        escaped = html.escape(str(text))
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)

    body: list[str] = []
    for block in report.blocks:
        kind = block[0]
        if kind in {"h1", "h2", "h3"}:
            body.append(f"<{kind}>{html.escape(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{inline(block[1])}</p>")
        elif kind == "note":
            body.append(f'<p class="note">{inline(block[1])}</p>')
        elif kind == "ul":
            items = "".join(f"<li>{inline(item)}</li>" for item in block[1])
            body.append(f"<ul>{items}</ul>")
        elif kind == "quote":
            body.append(
                f"<blockquote><p>{html.escape(block[1])}</p>"
                f"<footer>— {html.escape(block[2])}</footer></blockquote>"
            )
        elif kind == "chart":
            chart = report.charts[block[1]]
            data = base64.b64encode(images[chart.name]).decode("ascii")
            body.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(chart.alt)}" '
                f'width="1600" height="900"></figure>'
            )
        elif kind == "table":
            header, rows = block[1], block[2]
            head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
            rows_html = "".join(
                "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                for row in rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(report.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# -- writing -------------------------------------------------------------------------------------
TAGGED_COLUMNS = [
    Col.ITEM_ID,
    Col.WEBINAR,
    Col.SOURCE,
    Col.KIND,
    Col.TIMESTAMP,
    Col.AUTHOR,
    Col.QUESTION,
    Col.RESPONDENT,
    Col.TEXT,
    Col.REPLY_TO,
    Col.LABELS,
    Col.SCORES,
    Col.SENTIMENT,
    Col.IS_QUESTION,
]


def write_report(report: Report, out_dir: str | Path) -> list[Path]:
    """Write the report's files into ``out_dir`` (created if needed), each atomically.

    Returns
    -------
    list of Path
        The files written.
    """

    from feedback.io import write_bytes, write_table, write_text
    from feedback.plots import png_bytes

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    images: dict[str, bytes] = {}
    for name, chart in report.charts.items():
        images[name] = png_bytes(chart.figure)
        path = out / f"{name}.png"
        write_bytes(path, images[name])
        written.append(path)
    write_text(out / "report.md", render_markdown(report))
    write_text(out / "report.html", render_html(report, images))
    tagged = report.tagged[[c for c in TAGGED_COLUMNS if c in report.tagged.columns]].copy()
    tagged[Col.TIMESTAMP] = tagged[Col.TIMESTAMP].map(_time_text)
    questions = report.questions.copy()
    questions["time"] = questions["time"].map(_time_text)
    write_table(tagged, out / "tagged_comments.csv")
    write_table(questions, out / "questions.csv")
    write_text(
        out / "summary.json",
        json.dumps(report.summary, indent=2, ensure_ascii=False, default=str) + "\n",
    )
    manifest = dict(report.manifest)
    manifest["outputs"] = sorted(
        [p.name for p in written]
        + [
            "report.md",
            "report.html",
            "tagged_comments.csv",
            "questions.csv",
            "summary.json",
        ]
    )
    write_text(out / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n")
    written += [
        out / n
        for n in (
            "report.md",
            "report.html",
            "tagged_comments.csv",
            "questions.csv",
            "summary.json",
            "manifest.json",
        )
    ]
    return written


def build_manifest(
    webinars: list[Webinar], *, codebook: Codebook, model_info: dict, options: ReportOptions
) -> dict:
    """What went into a report: inputs with SHA-256, versions, codebook and model."""
    import matplotlib
    import nltk
    import pandas
    import sklearn

    from feedback import __version__

    inputs = []
    for webinar in webinars:
        for result in webinar.files:
            path = Path(result.path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            inputs.append(
                {
                    "webinar": webinar.name,
                    "file": path.name,
                    "format": result.format,
                    "sha256": digest,
                    "bytes": path.stat().st_size if path.is_file() else None,
                    "encoding": result.encoding,
                    "items": len(result.items),
                    "participants": len(result.participants),
                    "skipped_lines": len(result.skipped),
                }
            )
    return {
        "created": datetime.now().isoformat(timespec="seconds"),
        "feedback": __version__,
        "versions": {
            "python": platform.python_version(),
            "pandas": pandas.__version__,
            "scikit-learn": sklearn.__version__,
            "nltk": nltk.__version__,
            "matplotlib": matplotlib.__version__,
        },
        "inputs": inputs,
        "codebook": {
            "name": codebook.name,
            "source": codebook.source,
            "codes": len(codebook),
            "sha256": codebook.fingerprint(),
        },
        "model": model_info,
        "options": {
            "names": options.names,
            "keep_names": len(options.keep_names),
            "min_group": options.min_group,
        },
    }
