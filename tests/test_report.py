"""The report of the bundled sample, a two-webinar series report, and ``feedback report``.

Facts about the sample were counted in its files, independently of the loaders:

- ``meeting_saved_chat.txt``: 281 messages (``grep -c '^..:..:.. From '``): 267 to
  Everyone, 12 direct messages, 2 to "Hosts and panelists"; 41 of those to Everyone
  are reactions (``grep -c $'^\\tReacted to'``), so 228 public chat messages (messages to
  the panel are public comments) and 12 private ones. The test parses the file with a
  regular expression of its own.
- ``qa_report.csv``: 10 questions; #1, #4, #6, #9 answered in writing, #2 and #7
  "Live answered", #3, #5, #8, #10 without an answer.
- ``survey.xlsx``: 42 responses, 32 "Yes" to the prize draw, usefulness twenty 5s,
  nineteen 4s, two 3s and one 2 (read with openpyxl below).

The tagger's counts are not fixed here (the model may change); they are checked
against each other: summary, tables and charts must tell the same story.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback import analysis as an
from feedback.codebook import SUBSTANTIVE_GROUPS, load_codebook
from feedback.schema import Col, Kind

HEADER_RE = re.compile(r"^(\d\d:\d\d:\d\d) From (.+?) to (.+?):$")
SAMPLE_FILES = {"attendee_report.csv", "meeting_saved_chat.txt", "qa_report.csv", "survey.xlsx"}
USEFUL = "How useful did you find today's webinar?"
CONFIDENT = "How confident do you now feel about applying the seven principles in your work?"
CONFIDENCE_SCALE = [
    "Not at all confident",
    "Slightly confident",
    "Moderately confident",
    "Very confident",
    "Extremely confident",
]


# -- independent readings of the sample --------------------------------------------------------
def chat_messages(path: Path) -> list[dict]:
    """Messages of a two-line Zoom chat: time, author, recipient, body lines."""
    messages: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        header = HEADER_RE.match(line)
        if header:
            time, author, recipient = header.groups()
            messages.append({"time": time, "author": author, "to": recipient, "body": []})
        elif line.startswith("\t") and messages:
            messages[-1]["body"].append(line[1:])
    return messages


def is_public(message: dict) -> bool:
    # Messages to the panel are the audience's public comments (issue 8).
    return message["to"] in ("Everyone", "Hosts and panelists")


def is_reaction(message: dict) -> bool:
    return message["body"][0].startswith("Reacted to ")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


class _Page(HTMLParser):
    """Every start tag of an HTML page with its attributes, and the text of <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def parse_html(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def chat(sample_dir_module) -> list[dict]:
    return chat_messages(sample_dir_module / "meeting_saved_chat.txt")


@pytest.fixture(scope="module")
def sample_dir_module() -> Path:
    from importlib.resources import files

    return Path(str(files("feedback.assets") / "sample"))


@pytest.fixture(scope="module")
def built(sample_report):
    """(report, folder, summary, tagged_comments.csv) of the sample."""
    report, out = sample_report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    tagged = pd.read_csv(out / "tagged_comments.csv", dtype=str, keep_default_na=False)
    return report, out, summary, tagged


def label_counts(rows: pd.DataFrame) -> Counter:
    return Counter(code for cell in rows[Col.LABELS] for code in cell.split(";") if code)


# -- the chat file, read independently ---------------------------------------------------------
def test_sample_chat_facts(chat):
    assert len(chat) == 281
    recipients = Counter(m["to"] for m in chat)
    assert recipients["Everyone"] == 267
    assert recipients["Hosts and panelists"] == 2
    assert sum(n for to, n in recipients.items() if to.endswith("(Direct Message)")) == 12
    assert sum(is_reaction(m) for m in chat) == 41
    assert all(is_public(m) for m in chat if is_reaction(m))


# -- summary.json against the tables -----------------------------------------------------------
def test_summary_counts_match_the_chat_file(built, chat):
    _, _, summary, tagged = built
    public = [m for m in chat if is_public(m) and not is_reaction(m)]
    assert summary["messages"] == len(public) == 228
    assert summary["reactions"] == 41
    assert summary["private_excluded"] == 12
    assert summary["panelist_messages"] == 2
    assert summary["skipped_lines"] == 0
    # The shareable tagged table holds exactly the public chat messages as chat rows,
    # the 10 Q&A questions, and no reactions.
    kinds = Counter(tagged[Col.KIND])
    assert kinds[Kind.CHAT] == summary["messages"]
    assert kinds[Kind.QUESTION] == 10
    assert kinds[Kind.REACTION] == 0
    # People who wrote in the public chat (reactions are not writing); in the sample
    # everyone who wrote privately also wrote publicly.
    assert summary["chat_users"] == len({m["author"] for m in public}) == 85


def test_summary_codes_equal_label_counts_of_the_tagged_rows(built):
    report, _, summary, tagged = built
    book = load_codebook()
    counted = label_counts(tagged)
    assert set(counted) <= set(book.ids)
    assert summary["codes"] == {code: counted.get(code, 0) for code in book.ids}
    # The table in memory says the same as the CSV.
    assert label_counts(report.tagged.astype({Col.LABELS: str})) == counted
    assert sum(summary["codes"].values()) > 0


def test_conversation_codes_equal_label_counts_of_public_messages(built):
    _, _, summary, tagged = built
    book = load_codebook()
    conversation = tagged[tagged[Col.KIND].isin([Kind.CHAT, Kind.QUESTION])]
    counted = label_counts(conversation)
    substantive = book.in_groups(list(SUBSTANTIVE_GROUPS))
    assert summary["conversation_codes"] == {c: counted.get(c, 0) for c in substantive}
    assert set(summary["conversation_codes"]) == set(substantive)
    # Ordered as the report shows them: most frequent first.
    values = list(summary["conversation_codes"].values())
    assert values == sorted(values, reverse=True)


def test_no_private_message_reaches_any_output(built, chat):
    _, out, _, tagged = built
    private = [" ".join(m["body"]) for m in chat if not is_public(m)]
    assert len(private) == 12
    outputs = {
        name: (out / name).read_text(encoding="utf-8")
        for name in ("report.md", "report.html", "tagged_comments.csv", "questions.csv",
                     "summary.json")
    }  # fmt: skip
    for body in private:
        fragment = body[:40]
        for name, text in outputs.items():
            assert fragment not in text, f"private message {fragment!r} in {name}"
    # No author in the shared table is a real name from the chat.
    real = {m["author"] for m in chat}
    assert not real & set(tagged[Col.AUTHOR])


# -- bursts ------------------------------------------------------------------------------------
def overlaps(burst: dict, start: str, end: str) -> bool:
    """Whether a burst covers most of ``start``-``end`` (clock times on the sample's day)."""
    day = "2026-03-12T"
    first, last = pd.Timestamp(burst["start"]), pd.Timestamp(burst["end"])
    lo, hi = pd.Timestamp(day + start), pd.Timestamp(day + end)
    covered = (min(last, hi) - max(first, lo)).total_seconds()
    return covered >= 0.6 * (hi - lo).total_seconds() and (last - first).total_seconds() <= 600


def test_bursts_found_where_the_sample_has_them(built):
    _, _, summary, _ = built
    bursts = summary["bursts"]
    # The author wrote 13 messages on failure from 10:21:05 to 10:24:05 and 14 on
    # networks between 10:38:00 and 10:41:00.
    assert any(b["code"] == "failure" and overlaps(b, "10:21:05", "10:24:05") for b in bursts)
    assert any(b["code"] == "networks" and overlaps(b, "10:38:00", "10:41:00") for b in bursts)
    assert [b["start"] for b in bursts] == sorted(b["start"] for b in bursts)


def test_burst_counts_equal_tagged_messages_in_their_span(built):
    _, _, summary, tagged = built
    chat = tagged[tagged[Col.KIND] == Kind.CHAT]
    times = pd.to_datetime(chat[Col.TIMESTAMP])
    for burst in summary["bursts"]:
        inside = (times >= pd.Timestamp(burst["start"])) & (times <= pd.Timestamp(burst["end"]))
        carrying = chat[inside][Col.LABELS].map(lambda cell, c=burst["code"]: c in cell.split(";"))
        assert int(carrying.sum()) == burst["count"], burst
        assert burst["count"] >= 5


def test_report_text_names_the_bursts(built):
    _, out, summary, _ = built
    markdown = (out / "report.md").read_text(encoding="utf-8")
    book = load_codebook()
    for burst in summary["bursts"]:
        label = book.label(burst["code"])
        assert f"{label}: {burst['count']} messages" in markdown


# -- questions ---------------------------------------------------------------------------------
ANSWERED_IN_CHAT = {
    # asker: (words of the question, who answered)
    "Daniel Kerr": ("how do you square complexity and local adaptation", "Dr Amara Okafor"),
    "Farah Chaudhry": ("wondering how you'd measure benefit for staff", "Gareth Lewis"),
    "Olivia Stanton": ("Is there a version of the Guide for social care", "Marcus Bell"),
    "Zainab Ali": ("What level of evidence did the adopting trusts ask for", "Gareth Lewis"),
    "Neil Garside": ("Who pays for the backfill", "Siobhan Murphy"),
    "Marie-Claire Tremblay": ("how do you keep a network alive", "Siobhan Murphy"),
    "Jasmine Clarke": ("Is systems convening something you can put in a job", "Dr Amara Okafor"),
    "Sunita Patel": ("How do you involve unpaid carers in spread", "Gareth Lewis"),
    "Harpreet Gill": ("Are there plans for a community of practice", "Jo Hartley"),
}
OPEN_IN_CHAT = {
    "Lorraine Hughes": "how do you get middle managers on board",
    "Tariq Aziz": "Could we have it as a separate image",
    "Kwame Mensah": "any tips for getting protected time signed off by finance",
    "Mitch O'Brien": "what does adopter mean here",
    "Adeel Hussain": "does the guide say anything about digital tools",
    "Ciarán Doyle": "How do we make psychological safety real",
    "Femke de Boer": "Are there similar examples in the UK",
}
QA = {
    # number: (words of the question, answered)
    1: ("How would you measure the benefit of spreading a frailty model", True),
    2: ("How do you get senior buy-in", True),  # "Live answered"
    3: ("Where does the time for spread come from", False),
    4: ("What kind of evidence do adopters actually need", True),
    5: ("Is there national funding for spreading innovations", False),
    6: ("How can organisations outside the NHS", True),
    7: ("What does psychological safety look like at board level", True),  # live
    8: ("Do you have examples of the principles being applied in palliative", False),
    9: ("How do you stop spread turning into a competition", True),
    10: ("Are there plans to adapt the Guide for health systems outside the UK", False),
}


def question_row(report, words: str, source: str) -> pd.Series:
    questions = report.questions
    rows = questions[
        (questions["source"] == source) & questions["text"].str.contains(words, regex=False)
    ]
    assert len(rows) == 1, f"expected one {source} question with {words!r}, got {len(rows)}"
    return rows.iloc[0]


@pytest.mark.parametrize("asker", sorted(ANSWERED_IN_CHAT))
def test_chat_questions_answered_by_a_host_or_panelist(built, asker):
    report = built[0]
    words, answerer = ANSWERED_IN_CHAT[asker]
    row = question_row(report, words, "chat")
    assert row["answered"]
    # Names are pseudonyms in the report; the key maps them back.
    assert report.key[row["author"]] == asker
    assert report.key[row["answered_by"]] == answerer
    assert asker not in row["text"] and answerer not in row["answer"]


@pytest.mark.parametrize("asker", sorted(OPEN_IN_CHAT))
def test_chat_questions_left_open(built, asker):
    report = built[0]
    row = question_row(report, OPEN_IN_CHAT[asker], "chat")
    assert not row["answered"]
    assert row["answered_by"] == ""
    assert report.key[row["author"]] == asker


def test_qa_questions_answered_in_writing_or_live(built):
    report = built[0]
    qa = report.questions[report.questions["source"] == "Q&A"]
    assert len(qa) == 10
    for number, (words, answered) in QA.items():
        row = question_row(report, words, "Q&A")
        assert bool(row["answered"]) is answered, f"Q&A #{number}"
    live = question_row(report, QA[2][0], "Q&A")
    assert live["answer"] == "Live answered"
    assert live["answered_by"] == ""
    written = question_row(report, QA[9][0], "Q&A")
    assert report.key[written["answered_by"]] == "Jo Hartley"


def test_questions_table_summary_and_report_agree(built):
    report, out, summary, _ = built
    table = pd.read_csv(out / "questions.csv", dtype=str, keep_default_na=False)
    assert len(table) == len(summary["questions"]) == len(report.questions)
    assert table["answered"].map({"True": True, "False": False}).tolist() == [
        q["answered"] for q in summary["questions"]
    ]
    markdown = (out / "report.md").read_text(encoding="utf-8")
    content = report.questions[report.questions["about"] == "content"]
    still_open = int((~content["answered"]).sum())
    assert (
        f"Participants asked {len(content)} questions about the subject; "
        f"{len(content) - still_open} were answered during the webinar and {still_open} "
        "are still open."
    ) in markdown


def test_questions_table_holds_no_statements(built):
    report = built[0]
    assert not report.questions["text"].str.contains("was my headset").any()


# -- survey ------------------------------------------------------------------------------------
def test_survey_summary_matches_the_workbook(built, sample_dir_module):
    from openpyxl import load_workbook

    _, _, summary, _ = built
    workbook = load_workbook(sample_dir_module / "survey.xlsx", read_only=True)
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    header, data = rows[0], rows[1:]
    useful = Counter(str(r[header.index(USEFUL)]) for r in data)
    confident = Counter(r[header.index(CONFIDENT)] for r in data)
    assert summary["survey"]["responses"] == len(data) == 42
    assert useful == {"5": 20, "4": 19, "3": 2, "2": 1}
    questions = summary["survey"]["questions"]
    assert questions[USEFUL]["distribution"] == {"1": 0, "2": 1, "3": 2, "4": 19, "5": 20}
    assert questions[CONFIDENT]["distribution"] == {a: confident[a] for a in CONFIDENCE_SCALE}
    assert list(questions[CONFIDENT]["distribution"]) == CONFIDENCE_SCALE
    assert summary["survey"]["prize_draw_opt_ins"] == 32


# -- charts ------------------------------------------------------------------------------------
def chart(report, part: str):
    """The one chart whose name holds ``part`` (names end with a short hash)."""
    found = [c for name, c in report.charts.items() if part in name]
    suffix = part
    assert len(found) == 1, f"expected one chart named *{suffix}, got {list(report.charts)}"
    return found[0]


def test_codes_chart_bars_equal_the_codes_shown(built):
    report, _, summary, _ = built
    ax = chart(report, "-codes").figure.axes[0]
    shown = [(c, n) for c, n in summary["conversation_codes"].items() if n][:15]
    book = load_codebook()
    bars = list(ax.containers[0])
    assert [b.get_width() for b in bars] == [n for _, n in reversed(shown)]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels == [book.label(c) for c, _ in reversed(shown)]
    alt = chart(report, "-codes").alt
    assert alt.endswith(", ".join(f"{book.label(c)} {n}" for c, n in shown) + ".")


def test_timeline_bars_equal_messages_per_minute_in_the_file(built, chat):
    report = built[0]
    per_minute = Counter(m["time"][:5] for m in chat if is_public(m) and not is_reaction(m))
    ax = chart(report, "-timeline").figure.axes[0]
    bars = list(ax.containers[0])
    first, last = min(per_minute), max(per_minute)
    assert (first, last) == ("10:00", "11:01")
    minutes = [f"{10 + m // 60:02d}:{m % 60:02d}" for m in range(62)]
    assert [b.get_height() for b in bars] == [per_minute.get(m, 0) for m in minutes]
    # And the same as the analysis function gives on the report's own table.
    tagged = report.tagged[report.tagged[Col.KIND] == Kind.CHAT]
    assert [b.get_height() for b in bars] == an.messages_per_minute(tagged).tolist()


def test_rating_chart_bars_equal_the_distribution(built):
    report = built[0]
    useful = chart(report, "-survey-rating-how-useful-did-you-find-today-s-webinar-")
    ax = useful.figure.axes[0]
    assert [b.get_height() for b in ax.containers[0]] == [0, 1, 2, 19, 20]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]
    assert "1: 0, 2: 1, 3: 2, 4: 19, 5: 20" in useful.alt


def test_likert_chart_segments_equal_the_shares(built):
    report, _, summary, _ = built
    distribution = summary["survey"]["questions"][CONFIDENT]["distribution"]
    total = sum(distribution.values())
    shares = [100 * distribution[a] / total for a in CONFIDENCE_SCALE]
    ax = chart(report, "-survey-ratings-how-confident-do-you-now-feel").figure.axes[0]
    assert [b.get_width() for b in ax.patches] == pytest.approx(shares)
    middle = ax.patches[2]
    assert middle.get_x() + middle.get_width() / 2 == pytest.approx(0)


def test_choice_chart_bars_equal_the_distribution(built):
    report, _, summary, _ = built
    question = "Which of these resources would you use?"
    distribution = summary["survey"]["questions"][question]["distribution"]
    ax = chart(report, "-survey-choice-which-of-these-resources-would").figure.axes[0]
    widths = [b.get_width() for b in ax.containers[0]]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert dict(zip(labels, widths, strict=True)) == distribution
    # The opt-in question is summarised, never charted.
    assert not any("prize" in name for name in report.charts)


# -- files -------------------------------------------------------------------------------------
def test_every_chart_png_is_960_wide_at_the_height_its_content_needs(built):
    # Charts are 6.4 inches wide (shown 640 CSS px wide) and saved at 150 dpi.
    report, out, _, _ = built
    pngs = sorted(out.glob("*.png"))
    assert {p.stem for p in pngs} == set(report.charts)
    assert len(pngs) >= 8
    for path in pngs:
        width, height = report.charts[path.stem].figure.get_size_inches() * 150
        assert png_size(path.read_bytes()) == (round(width), round(height)), path.name
        assert round(width) == 960


def test_markdown_gives_every_chart_alt_text(built):
    report, out, _, _ = built
    markdown = (out / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)", markdown)
    assert sorted(src for _, src in images) == sorted(f"{n}.png" for n in report.charts)
    for alt, src in images:
        assert len(alt) >= 40, src
        assert (out / src).is_file()
    for name, c in report.charts.items():
        assert c.alt.strip(), name


def test_chart_titles_are_recorded(built):
    report = built[0]
    assert chart(report, "-codes").title == "Principles and themes in the chat"
    assert all(c.title for c in report.charts.values())


def test_html_is_self_contained_with_alt_text(built):
    report, out, _, _ = built
    text = (out / "report.html").read_text(encoding="utf-8")
    page = parse_html(text)
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "link", "iframe", "object", "embed", "base", "video", "audio"}
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == len(report.charts)
    by_alt = {c.alt: name for name, c in report.charts.items()}
    for attrs in images:
        src = attrs["src"]
        assert src.startswith("data:image/png;base64,")
        data = base64.b64decode(src.split(",", 1)[1])
        assert attrs["alt"] in by_alt  # html.parser unescapes the attribute
        assert data == (out / f"{by_alt[attrs['alt']]}.png").read_bytes()
        # Shown at two thirds of the PNG's pixels (150 dpi PNG, 100 CSS px per inch).
        width, height = png_size(data)
        assert (attrs["width"], attrs["height"]) == (str(width * 2 // 3), str(round(height / 1.5)))
    for _, attrs in page.tags:
        for key, value in attrs.items():
            if key in {"src", "href", "srcset", "poster", "action", "data"} and value:
                assert value.startswith("data:"), f"{key}={value[:60]}"
    assert "url(" not in page.style and "@import" not in page.style
    assert '<html lang="en">' in text


# -- feedback report (command line) ------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_sample(tmp_path_factory, default_tagger):
    """``feedback report`` with no inputs, run in an empty folder: (result, folder)."""
    from feedback.cli import app

    folder = tmp_path_factory.mktemp("cli-sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(app, ["report"])
    return result, folder


def test_cli_report_without_inputs_reports_on_the_sample(cli_sample):
    result, folder = cli_sample
    assert result.exit_code == 0, result.output
    assert "No inputs given: reporting on the bundled sample webinar." in result.output
    report_html = (folder / "report" / "report.html").resolve()
    assert result.output.rstrip().splitlines()[-1] == f"Report: {report_html}"
    assert report_html.is_file()
    summary = json.loads((folder / "report" / "summary.json").read_text(encoding="utf-8"))
    assert summary["messages"] == 228
    assert "228 public messages, 12 private messages excluded, 41 reactions" in result.output
    assert "2 messages sent to panelists" in result.output
    assert f"{summary['survey']['responses']} survey responses" in result.output


def test_manifest_lists_inputs_codebook_and_model(cli_sample, sample_dir_module):
    _, folder = cli_sample
    out = folder / "report"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = {entry["file"]: entry for entry in manifest["inputs"]}
    assert set(inputs) == SAMPLE_FILES
    for name, entry in inputs.items():
        data = (sample_dir_module / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["bytes"] == len(data)
        assert entry["webinar"] == "sample"
    assert inputs["meeting_saved_chat.txt"]["format"] == "zoom-chat-twoline"
    assert inputs["meeting_saved_chat.txt"]["items"] == 281
    assert inputs["qa_report.csv"]["format"] == "zoom-qa-report"
    assert inputs["qa_report.csv"]["items"] == 10
    assert inputs["survey.xlsx"]["format"] == "microsoft-forms"
    book = load_codebook()
    assert manifest["codebook"]["name"] == book.name == "spread-and-adoption"
    assert manifest["codebook"]["codes"] == len(book)
    assert manifest["codebook"]["sha256"] == book.fingerprint()
    model = manifest["model"]
    assert model["name"].startswith("the bundled model")
    assert 0 < model["micro_f1"] <= 1 and 0 < model["macro_f1"] <= 1
    assert "held-out" in model["evaluated_on"]
    written = sorted(p.name for p in out.iterdir() if p.name != "manifest.json")
    assert manifest["outputs"] == written
    assert {"pandas", "scikit-learn", "matplotlib", "python"} <= set(manifest["versions"])


@pytest.fixture(scope="module")
def series(tmp_path_factory, sample_dir_module, default_tagger):
    """``feedback report --webinar A=<sample> --webinar B=<follow-up>``: (result, folder)."""
    from feedback.cli import app

    followup = Path(__file__).parent / "data" / "series" / "followup"
    out = tmp_path_factory.mktemp("series") / "report"
    args = ["report", "--webinar", f"A={sample_dir_module}", "--webinar", f"B={followup}",
            "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    return result, out


def test_series_report_compares_the_webinars(series):
    result, out = series
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    webinars = summary["webinars"]
    assert [w["webinar"] for w in webinars] == ["A", "B"]
    a, b = webinars
    assert a["messages"] == 228
    # The follow-up chat: 13 messages, 1 reaction, 1 direct message, 11 public.
    assert (b["messages"], b["reactions"], b["private_excluded"]) == (11, 1, 1)
    assert b["survey"]["responses"] == 5
    rating = b["survey"]["questions"]["How would you rate the follow-up clinic?"]
    assert rating["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 2, "5": 2}
    assert summary["messages"] == 239
    assert summary["reactions"] == 42
    assert summary["private_excluded"] == 13
    assert summary["survey"]["responses"] == 47
    assert summary["codes"] == {c: a["codes"][c] + b["codes"][c] for c in a["codes"]}
    assert {q["webinar"] for q in summary["questions"]} == {"A", "B"}
    followup = {q["text"]: q["answered"] for q in b["questions"]}
    assert followup == {
        "How do we keep clinicians engaged once the pilot funding stops?": True,
        "Is there a template for writing up what did not work, so other teams can learn "
        "from it?": False,
    }


def test_series_report_has_a_comparison_chart_and_table(series):
    _, out = series
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert png_size((out / "series-codes.png").read_bytes())[0] == 960
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "## The series at a glance" in markdown
    a, b = summary["webinars"]
    share = f"{a['chat_users'] / a['participants']:.0%}"
    assert (
        f"| [A](webinars/a/report.md) | {a['attendees']} | {a['chat_users']} | {share} | 228 | 42 |"
    ) in markdown
    assert "| [B](webinars/b/report.md) | 0 | 5 | – | 11 | 5 | 80% |" in markdown
    alt = re.search(r"!\[([^\]]*)\]\(series-codes\.png\)", markdown).group(1)
    # Each webinar's share of its coded messages, as the chart's alt text gives it.
    book = load_codebook()
    for webinar in (a, b):
        codes = webinar["conversation_codes"]
        total = sum(codes.values())
        for code, count in codes.items():
            entry = f"{webinar['name']} {count / total:.0%}"
            if f"{book.label(code)}: " in alt:
                part = alt.split(f"{book.label(code)}: ", 1)[1].split(";")[0]
                assert entry in part, (code, part)
    for name in ("a/a-codes.png", "b/b-codes.png", "a/a-timeline.png", "b/b-timeline.png"):
        assert (out / "webinars" / name).is_file()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<img ") == len(list(out.glob("*.png"))) == 2
    for page in ("a", "b"):
        page_html = (out / "webinars" / page / "report.html").read_text(encoding="utf-8")
        assert page_html.count("<img ") == len(list((out / "webinars" / page).glob("*.png")))


def test_series_manifest_covers_both_webinars(series, sample_dir_module):
    _, out = series
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    followup = Path(__file__).parent / "data" / "series" / "followup"
    folders = {"A": sample_dir_module, "B": followup}
    pairs = sorted((e["webinar"], e["file"]) for e in manifest["inputs"])
    assert pairs == sorted(
        [("A", n) for n in SAMPLE_FILES] + [("B", "meeting_saved_chat.txt"), ("B", "survey.csv")]
    )
    for entry in manifest["inputs"]:
        data = (folders[entry["webinar"]] / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_report_refuses_to_write_into_an_input_folder(tmp_path, data_dir):
    import shutil

    from feedback.cli import app

    folder = tmp_path / "followup"
    shutil.copytree(data_dir / "series" / "followup", folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(folder)])
    assert result.exit_code == 1
    assert "is an input folder" in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_report_refuses_to_overwrite_an_input_file_of_any_output_name(tmp_path, data_dir):
    import shutil

    from feedback.cli import app

    followup = data_dir / "series" / "followup"
    shutil.copy(followup / "meeting_saved_chat.txt", tmp_path / "meeting_saved_chat.txt")
    shutil.copy(followup / "survey.csv", tmp_path / "questions.csv")
    original = (tmp_path / "questions.csv").read_bytes()
    args = ["report", str(tmp_path / "meeting_saved_chat.txt"), str(tmp_path / "questions.csv"),
            "--out", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert (tmp_path / "questions.csv").read_bytes() == original
    assert result.exit_code == 1
    assert "refusing to write over an input file" in result.output
