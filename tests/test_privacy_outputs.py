"""End-to-end privacy checks: ``feedback report`` and ``feedback anonymise`` on adversarial inputs.

The inputs in ``tests/data/privacy`` are one invented webinar: a Zoom two-line chat with six
private items (direct messages, one to a host, a private reaction) holding
unique marker strings, public messages full of emails, phone numbers, NHS numbers, postcodes,
personal links, other participants' names, spreadsheet formulas and HTML; a Zoom attendee report
with hosts, panelists, a dial-in caller whose name is a phone number, organisations and countries
in groups of 1, 2 and 4; and a Microsoft Forms survey. Every output file is read whole.

Expected values were counted by hand from the input files:

* private items (``grep -c "Direct Message"``): 6;
* attendees who attended, by organisation: Alderbrook NHS Trust 4, Fernvale Integrated Care
  Board 2 (Priya Shah's two rows are one person; Kirsty Lowther did not attend), Quayside
  Hospice 1 (two no-shows), Lakeshore Quality Council 1; by country (hosts and panelists
  included): United Kingdom 9, Ireland 2, Norway 1, Canada 1.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feedback.cli import app

DATA = Path(__file__).resolve().parent / "data" / "privacy"

#: Strings found only in private messages.
PRIVATE_MARKERS = [
    "SECRET-DM-MARKER",
    "marcus.private",
    "020 7946 0991",
    "blocking the rollout",
    "home postcode",
    "M1 1AE",
    "sam.okoye.home",
    "can't hear anything",
    "900555",
    "PRIVATEPWD77",
    "your own link",
]
#: Personal details of the public messages, the survey and the attendee report, as written.
RAW_DETAILS = [
    "07700 900123",
    "7946 0018",
    "7700 900124",
    "+353 1 234 5678",
    "234 5678",
    "415 555 0100",
    "7700 900888",
    "900888",
    "07700 900321",
    "943 476 5919",
    "9434765919",
    "4010232137",
    "401 023 2137",
    "LS1 4AP",
    "SW1A 1AA",
    "SeCrEtPwDtOkEn99",
    "TOKENMARKER123",
    "SURVEYPWD42",
    "pwd=",
    "?email=",
    "?token=",
    "linkedin.com/in",
    "siobhan-daly",
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Everyone named in the inputs, except the two people seen only in private messages.
PEOPLE = [
    "Jo Hartley",
    "Marcus Bell",
    "Amara Okafor",
    "Gareth Lewis",
    "Caroline Jones",
    "Caroline Jonesworth",
    "Sam Okoye",
    "Tomasz Nowak",
    "Priya Shah",
    "Siobhan Daly",
    "Ingrid Solberg",
    "Marie-Claire Tremblay",
    "Halvard Eikeland",
    "Solveig Brekke",
    "Kirsty Lowther",
    "Philippa Grantham",
]
#: Seen only in private messages (a sender and a recipient), yet named in public messages.
PRIVATE_ONLY_PEOPLE = ["Ottoline Crabtree", "Leopold Ashcombe"]
SMALL_ORGANISATIONS = [
    "Fernvale Integrated Care Board",
    "Quayside Hospice",
    "Lakeshore Quality Council",
]
SMALL_COUNTRIES = ["Ireland", "Norway", "Canada"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Run:
    """One command run: its output folder, what it printed and the key file (if asked)."""

    out: Path
    output: str
    key: Path | None = None

    def files(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*") if p.is_file())

    def texts(self) -> dict[str, str]:
        """Every output file as text: HTML decoded (data URIs left out), PNG text chunks."""
        out = {}
        for path in self.files():
            if path.suffix == ".png":
                out[path.name] = _png_text(path.read_bytes())
            elif path.suffix == ".html":
                raw = _without_data_uris(path.read_text(encoding="utf-8"))
                out[path.name] = raw
                out[path.name + " (decoded)"] = html.unescape(raw)
            else:
                out[path.name] = path.read_text(encoding="utf-8")
        return out

    def read(self, name: str) -> str:
        return (self.out / name).read_text(encoding="utf-8")

    def rows(self, name: str) -> list[dict[str, str]]:
        with open(self.out / name, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))


def _without_data_uris(text: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,", text)


def _png_text(data: bytes) -> str:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    texts, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            texts.append(body.replace(b"\0", b" ").decode("latin-1"))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            texts.append(key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"))
        elif kind == b"iTXt":
            key, rest = body.split(b"\0", 1)
            compressed, rest = rest[0], rest[2:]
            _, rest = rest.split(b"\0", 1)  # language
            _, text = rest.split(b"\0", 1)  # translated keyword
            text = zlib.decompress(text) if compressed else text
            texts.append(key.decode("latin-1") + " " + text.decode("utf-8"))
        pos += 12 + length
    return "\n".join(texts)


def _invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _report(tmp_path_factory, name: str, *options: str, key: bool = False) -> Run:
    base = tmp_path_factory.mktemp(name)
    key_path = base / "private" / "key.json" if key else None
    extra = ["--key-out", str(key_path)] if key_path else []
    result = _invoke("report", DATA, "--out", base / "report", *options, *extra)
    assert result.exit_code == 0, result.output
    return Run(base / "report", result.output, key_path)


def _anonymise(tmp_path_factory, name: str, *options: str, key: bool = False) -> Run:
    base = tmp_path_factory.mktemp(name)
    key_path = base / "private" / "key.json" if key else None
    extra = ["--key-out", str(key_path)] if key_path else []
    result = _invoke("anonymise", DATA, "--out", base / "tables", *options, *extra)
    assert result.exit_code == 0, result.output
    return Run(base / "tables", result.output, key_path)


@pytest.fixture(scope="module")
def pseudonym_report(tmp_path_factory) -> Run:
    return _report(tmp_path_factory, "pseudonym", "--keep-name", "Jo Hartley", key=True)


@pytest.fixture(scope="module")
def first_report(tmp_path_factory) -> Run:
    return _report(tmp_path_factory, "first", "--names", "first", "--min-group", "2")


@pytest.fixture(scope="module")
def full_report(tmp_path_factory) -> Run:
    return _report(tmp_path_factory, "full", "--names", "full")


@pytest.fixture(scope="module")
def pseudonym_tables(tmp_path_factory) -> Run:
    return _anonymise(tmp_path_factory, "anon", "--keep-name", "Jo Hartley", key=True)


@pytest.fixture(scope="module")
def full_tables(tmp_path_factory) -> Run:
    return _anonymise(tmp_path_factory, "anon-full", "--names", "full", key=True)


REPORTS = ["pseudonym_report", "first_report", "full_report"]
TABLES = ["pseudonym_tables", "full_tables"]
RUNS = REPORTS + TABLES


def _leaks(texts: dict[str, str], needles: list[str], *, ignore_case: bool = False) -> list:
    found = []
    for name, text in texts.items():
        haystack = text.lower() if ignore_case else text
        for needle in needles:
            if (needle.lower() if ignore_case else needle) in haystack:
                found.append((name, needle))
    return found


def _name_words(names: list[str]) -> list[str]:
    return sorted({w for n in names for w in n.split()})


def _word_leaks(texts: dict[str, str], words: list[str]) -> list:
    """Whole-word, case-sensitive occurrences of ``words`` (names as written)."""
    found = []
    for name, text in texts.items():
        for word in words:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append((name, word))
    return found


# -- the files ------------------------------------------------------------------------------------
def test_report_files(pseudonym_report):
    names = [p.name for p in pseudonym_report.files()]
    pngs = [n for n in names if n.endswith(".png")]
    assert sorted(set(names) - set(pngs)) == [
        "manifest.json",
        "questions.csv",
        "report.html",
        "report.md",
        "summary.json",
        "tagged_comments.csv",
    ]
    assert "privacy-organisations.png" in pngs
    assert "privacy-countries.png" in pngs
    # written atomically: no temporary file left behind, and the key is not in the folder
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]
    manifest = json.loads(pseudonym_report.read("manifest.json"))
    assert manifest["outputs"] == sorted(n for n in names if n != "manifest.json")
    assert manifest["options"] == {"names": "pseudonym", "keep_names": 1, "min_group": 3}
    assert pseudonym_report.key is not None and pseudonym_report.key.is_file()
    assert pseudonym_report.key.parent != pseudonym_report.out


def test_anonymise_files(pseudonym_tables):
    # a manifest marks the folder as feedback's, so a re-run may replace it whole (#13)
    assert [p.name for p in pseudonym_tables.files()] == [
        "items.csv",
        "manifest.json",
        "participants.csv",
    ]
    manifest = json.loads(pseudonym_tables.read("manifest.json"))
    assert manifest["outputs"] == ["items.csv", "participants.csv"]
    assert manifest["options"] == {"names": "pseudonym", "keep_names": 1, "min_group": 3}
    assert manifest["private_removed"] == 6


# -- 1. private messages --------------------------------------------------------------------------
@pytest.mark.parametrize("run", RUNS)
def test_no_private_message_reaches_any_output(run, request):
    result: Run = request.getfixturevalue(run)
    texts = result.texts()
    if result.key is not None:
        texts["key"] = result.key.read_text(encoding="utf-8")
    assert _leaks(texts, PRIVATE_MARKERS, ignore_case=True) == []
    assert _leaks({"stdout": result.output}, PRIVATE_MARKERS, ignore_case=True) == []


@pytest.mark.parametrize("run", REPORTS)
def test_private_messages_are_counted(run, request):
    result: Run = request.getfixturevalue(run)
    assert "6 private messages excluded (counted, never shown)" in result.read("report.md")
    assert "6 private messages excluded (counted, never shown)" in result.read("report.html")
    assert json.loads(result.read("summary.json"))["private_excluded"] == 6
    assert "6 private messages excluded" in result.output


def test_private_items_are_counted_only_as_private(pseudonym_report):
    summary = json.loads(pseudonym_report.read("summary.json"))
    # public reactions: Sam Okoye at 10:00:50, Caroline Jones at 10:12:00; the third is private
    assert summary["reactions"] == 2
    # public chat authors: Jo Hartley, Caroline Jones, Caroline Jonesworth, Sam Okoye,
    # Ingrid Solberg, Siobhan Daly, Marie-Claire Tremblay, Priya Shah, Tomasz Nowak,
    # Gareth Lewis, Dr Amara Okafor (not Marcus Bell or Ottoline Crabtree: private only)
    assert summary["chat_users"] == 11
    assert "**2** reactions" in pseudonym_report.read("report.md")


@pytest.mark.parametrize("run", TABLES)
def test_anonymise_removes_private_messages(run, request):
    result: Run = request.getfixturevalue(run)
    assert "(6 private messages removed)" in result.output
    items = result.rows("items.csv")
    # 33 chat items + 18 survey answers, less the 6 private ones
    assert len(items) == 45
    assert {row["is_private"] for row in items} == {"False"}


# -- 2. names -------------------------------------------------------------------------------------
def test_pseudonym_report_names_nobody_but_kept_names(pseudonym_report):
    texts = pseudonym_report.texts()
    others = [p for p in PEOPLE if p != "Jo Hartley"]
    assert _leaks(texts, others, ignore_case=True) == []
    assert _word_leaks(texts, _name_words(others)) == []
    # kept: the host answering a question
    assert "(answered by Jo Hartley, host)" in pseudonym_report.read("report.md")
    questions = {row["text"]: row for row in pseudonym_report.rows("questions.csv")}
    funding = questions["How do we fund the spread of innovation across a whole system?"]
    assert (funding["author"], funding["answered"], funding["answered_by"]) == (
        "Participant 2",
        "True",
        "Jo Hartley",
    )
    assert funding["answer"] == (
        "'@Participant 2 good question: funding usually follows evidence, so evaluate early"
    )


def test_pseudonym_report_replaces_names_inside_text(pseudonym_report):
    texts = [row["text"] for row in pseudonym_report.rows("tagged_comments.csv")]
    assert (
        "Participant 7, Fernvale ICB. As Participant 1 said, spreading innovation needs "
        "champions; @Participant 1 would you share your slides?"
    ) in texts
    assert (
        "Spreading innovation at Alderbrook stalled because nobody owned it. Participant 1 and "
        "Participant 2 said the same. Phone [phone] for the details"
    ) in texts
    assert "We pooled budgets with the council; Dr Participant 10 described the same model" in texts
    assert "Ask Participant 2 how Alderbrook evaluated the pilot" in texts
    key = json.loads(pseudonym_report.key.read_text(encoding="utf-8"))
    philippa = {v: k for k, v in key.items()}["Philippa Grantham"]
    assert f"'@{philippa} thanks for the chat" in texts
    # a webinar group is not a person: "attendees" and "All" stay
    assert (
        "Thanks to all panelists and attendees. All slides will be shared with attendees by Friday."
    ) in texts


def test_key_file(pseudonym_report):
    key = json.loads(pseudonym_report.key.read_text(encoding="utf-8"))
    # Numbered in order of appearance in the public chat, then everyone else; the kept host
    # is shown as she is, so she is not in the key.
    chat_authors = [
        "Caroline Jones",
        "Caroline Jonesworth",
        "Sam Okoye",
        "Ingrid Solberg",
        "Siobhan Daly",
        "Marie-Claire Tremblay",
        "Priya Shah",
        "Tomasz Nowak",
        "Gareth Lewis",
        "Dr Amara Okafor",
    ]
    assert list(key.items())[:10] == [(f"Participant {n}", name)
                                      for n, name in enumerate(chat_authors, start=1)]  # fmt: skip
    everyone_else = {
        "Marcus Bell",
        "+44 7700 900888",
        "Halvard Eikeland",
        "Solveig Brekke",
        "Kirsty Lowther",
        "Philippa Grantham",
        *PRIVATE_ONLY_PEOPLE,
    }
    assert set(list(key.values())[10:]) == everyone_else
    assert list(key) == [f"Participant {n}" for n in range(1, 19)]
    assert "Pseudonym key (keep it private)" in pseudonym_report.output


def test_report_replaces_names_of_people_seen_only_in_private_messages(pseudonym_report):
    texts = pseudonym_report.texts()
    assert _leaks(texts, PRIVATE_ONLY_PEOPLE, ignore_case=True) == []
    assert _word_leaks(texts, _name_words(PRIVATE_ONLY_PEOPLE)) == []
    key = json.loads(pseudonym_report.key.read_text(encoding="utf-8"))
    hello = {v: k for k, v in key.items()}
    expected = (
        f"{hello['Leopold Ashcombe']} and {hello['Ottoline Crabtree']} asked me to say hello, "
        "they're watching together"
    )
    assert expected in [row["text"] for row in pseudonym_report.rows("tagged_comments.csv")]


def test_first_names_report(first_report):
    texts = first_report.texts()
    surnames = _name_words([p.split(" ", 1)[1] for p in PEOPLE])
    assert _leaks(texts, PEOPLE, ignore_case=True) == []
    assert _word_leaks(texts, surnames) == []
    questions = {row["text"]: row for row in first_report.rows("questions.csv")}
    funding = questions["How do we fund the spread of innovation across a whole system?"]
    assert (funding["author"], funding["answered_by"]) == ("Caroline", "Jo")
    texts = [row["text"] for row in first_report.rows("tagged_comments.csv")]
    assert (
        "Spreading innovation at Alderbrook stalled because nobody owned it. Caroline and "
        "Caroline said the same. Phone [phone] for the details"
    ) in texts
    assert "We pooled budgets with the council; Dr Amara described the same model" in texts


def test_full_names_report(full_report):
    questions = {row["text"]: row for row in full_report.rows("questions.csv")}
    funding = questions["How do we fund the spread of innovation across a whole system?"]
    assert (funding["author"], funding["answered_by"]) == ("Caroline Jonesworth", "Jo Hartley")
    texts = [row["text"] for row in full_report.rows("tagged_comments.csv")]
    assert (
        "Morning all, Caroline Jones from Alderbrook NHS Trust. Happy to connect: [email] or "
        "[phone]"
    ) in texts
    assert "People's names are shown in full" in full_report.read("report.md")


def test_anonymised_tables_names(pseudonym_tables):
    texts = pseudonym_tables.texts()
    others = [p for p in PEOPLE + PRIVATE_ONLY_PEOPLE if p != "Jo Hartley"]
    assert _leaks(texts, others, ignore_case=True) == []
    assert _word_leaks(texts, _name_words(others)) == []
    items = pseudonym_tables.rows("items.csv")
    by_text = {row["text"]: row for row in items}
    # people seen only in private messages are replaced too
    assert "Participant 18 and Participant 17 asked me to say hello, they're watching together" in (
        by_text
    )
    # a reaction quotes the safe text of its target, not a cut-off name ("Carolin...")
    reaction = by_text['Reacted to "Morning all, Partici..." with 👍']
    assert (reaction["kind"], reaction["author"], reaction["reply_to"]) == (
        "reaction",
        "Participant 2",
        "meeting-saved-chat-00002",
    )
    group = by_text[
        "Thanks to all panelists and attendees. All slides will be shared with attendees by Friday."
    ]
    assert (group["author"], group["recipient"]) == ("Jo Hartley", "All panelists and attendees")
    participants = pseudonym_tables.rows("participants.csv")
    assert [row["email"] for row in participants] == [""] * 16
    assert [row["name"] for row in participants][:5] == [
        "Jo Hartley",
        "Participant 12",
        "Participant 10",
        "Participant 9",
        "Participant 1",
    ]
    key = json.loads(pseudonym_tables.key.read_text(encoding="utf-8"))
    assert len(key) == 18
    assert [key[f"Participant {n}"] for n in (1, 2, 3, 12, 13, 17, 18)] == [
        "Caroline Jones",
        "Sam Okoye",
        "Caroline Jonesworth",
        "Marcus Bell",
        "+44 7700 900888",
        "Ottoline Crabtree",
        "Leopold Ashcombe",
    ]


def test_anonymised_tables_full_names(full_tables):
    names = [row["name"] for row in full_tables.rows("participants.csv")]
    assert names[:5] == ["Jo Hartley", "Marcus Bell", "Dr Amara Okafor", "Gareth Lewis",
                         "Caroline Jones"]  # fmt: skip
    # the dial-in caller's "name" is a phone number: a pseudonym even in full mode
    assert names[12] == "Participant 1"
    assert json.loads(full_tables.key.read_text(encoding="utf-8")) == {
        "Participant 1": "+44 7700 900888"
    }


# -- 3. scrubbing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("run", RUNS)
def test_no_raw_personal_details(run, request):
    result: Run = request.getfixturevalue(run)
    texts = result.texts()
    assert _leaks(texts, RAW_DETAILS, ignore_case=True) == []
    assert [(name, EMAIL.findall(text)) for name, text in texts.items() if EMAIL.search(text)] == []


@pytest.mark.parametrize("run", ["pseudonym_report", "pseudonym_tables"])
def test_placeholders_and_what_stays(run, request):
    result: Run = request.getfixturevalue(run)
    name = "tagged_comments.csv" if run.endswith("report") else "items.csv"
    texts = [row["text"] for row in result.rows(name)]
    jonesworth = "Participant 2" if run.endswith("report") else "Participant 3"
    expected = [
        "Morning all, Participant 1 from Alderbrook NHS Trust. Happy to connect: [email] or "
        "[phone]",
        f"{jonesworth} here, also Alderbrook. Office line [phone], mobile [phone]",
        "Evaluation matters: one patient (NHS number [nhs number]) waited months, another "
        "([nhs number]) too. Form reference 943 476 5918 is not a patient number.",
        "Rejoin link if you drop: [meeting link] (zoom.us) and the guide is at "
        "https://www.england.nhs.uk/spread-and-adoption/",
        "Feedback form: [url] and slides at [url]",
        "Dia duit from Galway, Participant 5, Fernvale ICB. Ring [phone] for the network or "
        "connect at [url]",
        "Bonjour from Toronto, Participant 6 here. Our US partners are on [phone]",
        "Set up a spread plan with our council, we are based near [postcode]",
        "Talk to Dr Participant 10 about funding; a demo used NHS number [nhs number] on screen",
        "Zoom link for next time: [meeting link] (zoom.us)",
        "Happy to talk more: [email]",
    ]
    assert [t for t in expected if t not in texts] == []


def test_anonymise_clears_emails_and_keeps_groups_of_the_participants(pseudonym_tables):
    rows = pseudonym_tables.rows("participants.csv")
    assert {row["email"] for row in rows} == {""}
    assert [row["organisation"] for row in rows if row["organisation"]][:2] == [
        "Alderbrook NHS Trust",
        "Alderbrook NHS Trust",
    ]


# -- 4. small groups ------------------------------------------------------------------------------
def _alts(result: Run) -> list[str]:
    return re.findall(r"!\[((?:[^\]\\]|\\.)*)\]\(([^)]+\.png)\)", result.read("report.md"))


def test_small_groups_are_merged_in_charts(pseudonym_report):
    alts = dict((png, alt) for alt, png in _alts(pseudonym_report))
    assert alts["privacy-organisations.png"] == (
        "Bar chart of attendees by organisation (groups under 3 merged into Other): "
        "Alderbrook NHS Trust 4, Other 4"
    )
    assert alts["privacy-countries.png"] == (
        "Bar chart of attendees by country (groups under 3 merged into Other): "
        "United Kingdom 9, Other 4"
    )
    page = pseudonym_report.read("report.html")
    assert f'alt="{html.escape(alts["privacy-organisations.png"])}"' in page
    every_alt = " ".join(alts.values())
    assert [g for g in SMALL_ORGANISATIONS + SMALL_COUNTRIES if g in every_alt] == []
    summary = pseudonym_report.read("summary.json")
    assert [g for g in SMALL_ORGANISATIONS if g in summary] == []


def test_min_group_option(first_report):
    alts = dict((png, alt) for alt, png in _alts(first_report))
    assert alts["privacy-organisations.png"] == (
        "Bar chart of attendees by organisation (groups under 2 merged into Other): "
        "Alderbrook NHS Trust 4, Fernvale Integrated Care Board 2, Other 2"
    )
    assert alts["privacy-countries.png"] == (
        "Bar chart of attendees by country (groups under 2 merged into Other): "
        "United Kingdom 9, Ireland 2, Other 2"
    )


# -- 5. safe files --------------------------------------------------------------------------------
@pytest.mark.parametrize("run", RUNS)
def test_csv_cells_cannot_start_a_formula(run, request):
    result: Run = request.getfixturevalue(run)
    unsafe = []
    for path in result.out.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.reader(handle), start=1):
                for cell in row:
                    if cell.startswith(FORMULA_START) and not _is_number(cell):
                        unsafe.append((path.name, line, cell))
    assert unsafe == []
    name = "tagged_comments.csv" if run in REPORTS else "items.csv"
    texts = {row["text"] for row in result.rows(name)}
    neutralised = [
        '\'=HYPERLINK("http://evil.example/x","click")',
        "'+SUM(1)",
        "'-2+3",
        "'@cmd",
        '\'=HYPERLINK("http://evil.example/s","survey")',
        "'+SUM(2) was a joke, sorry",
        "'-1 for the sound quality",
    ]
    assert [cell for cell in neutralised if cell not in texts] == []


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


class _Page(HTMLParser):
    """Every tag, attribute and style text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li",
    "strong", "code", "blockquote", "footer", "figure", "img", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip


@pytest.mark.parametrize("run", REPORTS)
def test_html_escapes_user_text(run, request):
    result: Run = request.getfixturevalue(run)
    page = result.read("report.html")
    assert re.search(r"<\s*script", page, re.IGNORECASE) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    parser = _Page()
    parser.feed(page)
    assert {tag for tag, _ in parser.tags} <= ALLOWED_TAGS
    handlers = [(tag, a) for tag, attrs in parser.tags for a in attrs if a.lower().startswith("on")]
    assert handlers == []
    markdown = result.read("report.md")
    assert re.search(r"<\s*(script|img)", markdown, re.IGNORECASE) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown


@pytest.mark.parametrize("run", REPORTS)
def test_html_loads_nothing_from_outside(run, request):
    result: Run = request.getfixturevalue(run)
    parser = _Page()
    parser.feed(result.read("report.html"))
    links = {"href", "src", "srcset", "action", "formaction", "poster", "background", "data"}
    sources = [
        (tag, name, value)
        for tag, attrs in parser.tags
        for name, value in attrs.items()
        if name in links
    ]
    assert sources, "the page shows its charts"
    assert [s for s in sources if not (s[1] == "src" and s[2].startswith("data:image/png;"))] == []
    assert not [t for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "refresh"]
    csp = [a["content"] for t, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; img-src data:; style-src 'unsafe-inline'"]
    assert re.search(r"url\(|@import", " ".join(parser.styles)) is None


@pytest.mark.parametrize("run", REPORTS)
def test_every_chart_has_alt_text(run, request):
    result: Run = request.getfixturevalue(run)
    pngs = sorted(p.name for p in result.out.glob("*.png"))
    alts = _alts(result)
    assert sorted(png for _, png in alts) == pngs
    assert all(alt.strip() for alt, _ in alts)
    parser = _Page()
    parser.feed(result.read("report.html"))
    images = [a for t, a in parser.tags if t == "img"]
    assert len(images) == len(pngs)
    assert all(a.get("alt", "").strip() for a in images)


# -- refusals -------------------------------------------------------------------------------------
@pytest.fixture
def chat_copy(tmp_path) -> Path:
    path = tmp_path / "inputs" / "meeting_saved_chat.txt"
    path.parent.mkdir()
    shutil.copy(DATA / "meeting_saved_chat.txt", path)
    return path


def test_report_refuses_to_write_over_an_input(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.md"
    shutil.copy(DATA / "meeting_saved_chat.txt", target)
    before = target.read_bytes()
    result = _invoke("report", target, "--out", out)
    assert result.exit_code == 1
    assert f"error: --out {out}: holds an input ({target.name}); refusing to write" in result.output
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["report.md"]


def test_report_refuses_an_input_folder_as_out(tmp_path):
    folder = tmp_path / "webinar"
    shutil.copytree(DATA, folder)
    result = _invoke("report", folder, "--out", folder)
    assert result.exit_code == 1
    assert "is an input folder; choose another folder" in result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in DATA.iterdir())


def test_anonymise_refuses_to_write_over_an_input(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "items.csv"
    shutil.copy(DATA / "survey.csv", target)
    before = target.read_bytes()
    result = _invoke("anonymise", target, "--out", out)
    assert result.exit_code == 1
    assert f"error: --out {out}: holds an input ({target.name}); refusing to write" in result.output
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["items.csv"]


@pytest.mark.parametrize("command", ["report", "anonymise"])
@pytest.mark.parametrize("where", ["key.json", "sub/key.json"])
def test_key_out_inside_out_is_refused(command, where, chat_copy, tmp_path):
    out = tmp_path / "out"
    key = out / where
    result = _invoke(command, chat_copy, "--out", out, "--key-out", key)
    assert result.exit_code == 1
    assert f"error: --key-out {key}: the key must not be written inside {out}" in result.output
    assert not out.exists()


def test_invalid_names_option(chat_copy, tmp_path):
    result = _invoke("anonymise", chat_copy, "--out", tmp_path / "out", "--names", "nickname")
    assert result.exit_code == 1
    assert "--names 'nickname': expected one of pseudonym, first, full" in result.output
    assert not (tmp_path / "out").exists()


def test_report_refuses_to_write_over_an_input_named_like_any_output(chat_copy, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "questions.csv"
    shutil.copy(DATA / "survey.csv", target)
    before = target.read_bytes()
    result = _invoke("report", chat_copy, target, "--out", out)
    assert target.read_bytes() == before
    assert result.exit_code == 1
    assert f"error: --out {out}: holds an input ({target.name}); refusing to write" in result.output


@pytest.mark.parametrize("command", ["report", "anonymise"])
def test_key_out_refuses_an_input_file(command, chat_copy, tmp_path):
    before = chat_copy.read_bytes()
    result = _invoke(command, chat_copy, "--out", tmp_path / "out", "--key-out", chat_copy)
    assert chat_copy.read_bytes() == before
    assert result.exit_code == 1
    assert f"error: --key-out {chat_copy}: is an input file; choose another file" in result.output


# -- the bundled sample ---------------------------------------------------------------------------
#: Strings found only in the sample chat's 12 private items (checked with grep). Its two
#: messages to "Hosts and panelists" are public comments (issue 8), so not listed.
SAMPLE_PRIVATE_MARKERS = [
    "not one for the open chat",
    "kerry.blake.home",
    "07700 900123",
    "paused all our improvement posts",
    "frailty work",
    "Show captions",
    "drop off for a handover",
]


def test_sample_report_is_shareable(sample_report):
    from feedback.loaders import load_inputs

    report, out = sample_report
    webinar = load_inputs([_sample()])[0]
    people = set(webinar.participants["name"]) | (set(webinar.items["author"]) - {""})
    texts = Run(Path(out), "").texts()
    assert _leaks(texts, SAMPLE_PRIVATE_MARKERS, ignore_case=True) == []
    assert _leaks(texts, sorted(people), ignore_case=True) == []
    assert [(name, EMAIL.findall(text)) for name, text in texts.items() if EMAIL.search(text)] == []
    assert report.summary["private_excluded"] == 12
    assert "12 private messages excluded (counted, never shown)" in texts["report.md"]
    assert "2 messages sent to panelists analysed and quoted like public chat" in texts["report.md"]


def _sample() -> Path:
    from importlib.resources import files

    return Path(str(files("feedback.assets").joinpath("sample")))


# -- names as people write them, links, unlinkable surveys (#13) ---------------------------------
#: A second invented webinar (tests/data/privacy_names): names written in lower case and without
#: accents, a speaker renamed mid-session ("Amara N" then "Dr Amara Nwosu (she/her)"), names
#: that are everyday words (Rose, Will), a name given only in the survey's optional name
#: column (Quentin Abernathy) or only as an email (tamsin.okonjo@...), Teams, Meet, Webex and
#: GoToWebinar join links, and organisations and countries of one or two people.
NAMES = DATA.parent / "privacy_names"
NAMES_PEOPLE = [
    "Helena Quist",
    "Amara Nwosu",
    "Deepak Raman",
    "José Ruiz",
    "Siobhán Ní Bhriain",
    "Rose Tiller",
    "Will Harcourt",
    "Bartholomew Quince",
    "Tamsin Okonjo",
    "Quentin Abernathy",
]
#: Name words that are not everyday words: never in any output, in any case or accent.
NAMES_WORDS = ["helena", "quist", "amara", "nwosu", "deepak", "raman", "jose", "ruiz", "siobhan",
               "bhriain", "tiller", "harcourt", "bartholomew", "quince", "tamsin", "okonjo",
               "quentin", "abernathy"]  # fmt: skip
LINK_MARKERS = ["TEAMSTOKEN77", "TENANTID55", "USEROID66", "xqz-wvut-kmp", "pqr-stuv-wxy",
                "bartholomew.quince", "4455667788", "Zk81mQ2pLx7", "meetup-join"]  # fmt: skip
SMALL = ["Oxbow Care Partnership", "Kestrel Lane Surgery", "Ashgrove Clinic", "Spain", "Ireland"]


def _folded(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _name_word_leaks(texts: dict[str, str]) -> list:
    return [
        (name, word)
        for name, text in texts.items()
        for word in NAMES_WORDS
        if re.search(rf"(?<!\w){word}(?!\w)", _folded(text))
    ]


@pytest.fixture(scope="module")
def names_tables(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("names-anon")
    result = _invoke("anonymise", NAMES, "--out", base / "tables", "--key-out", base / "key.json")
    assert result.exit_code == 0, result.output
    return Run(base / "tables", result.output, base / "key.json")


@pytest.fixture(scope="module")
def names_report(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("names-report")
    result = _invoke("report", NAMES, "--out", base / "report", "--key-out", base / "key.json")
    assert result.exit_code == 0, result.output
    return Run(base / "report", result.output, base / "key.json")


@pytest.mark.parametrize("run", ["names_tables", "names_report"])
def test_names_in_any_case_and_accent_never_reach_an_output(run, request):
    result: Run = request.getfixturevalue(run)
    texts = result.texts()
    assert _name_word_leaks(texts) == []
    assert _name_word_leaks({"stdout": result.output}) == []
    assert _leaks(texts, LINK_MARKERS, ignore_case=True) == []
    assert [(name, EMAIL.findall(text)) for name, text in texts.items() if EMAIL.search(text)] == []


@pytest.mark.parametrize("run", ["names_tables", "names_report"])
def test_everyday_word_names_replaced_where_they_name_someone(run, request):
    result: Run = request.getfixturevalue(run)
    rows = result.rows("items.csv" if run == "names_tables" else "tagged_comments.csv")
    key = {v: k for k, v in json.loads(result.key.read_text(encoding="utf-8")).items()}
    rose, will = key["Rose Tiller"], key["Will Harcourt"]
    texts = [row["text"] for row in rows]
    assert f"I hope the slides will be shared. {will}, can you send them?" in texts
    assert f"Yes {rose}, I will. thanks {rose}" in texts
    # everyday words stay words
    assert "a grace period would help; the ward sisters agree" in texts


def test_renamed_and_abbreviated_speaker_is_one_person(names_tables, names_report):
    key = json.loads(names_tables.key.read_text(encoding="utf-8"))
    assert {v: k for k, v in key.items()}["Amara N; Dr Amara Nwosu (she/her)"] == "Participant 2"
    assert key["Participant 9"] == "tamsin.okonjo@example.org; Tamsin Okonjo"
    assert len(key) == 10
    rows = names_tables.rows("items.csv")
    amara = [r["text"] for r in rows if r["author"] == "Participant 2"]
    assert amara == [
        "Hello from Leeds, I'm presenting the second half today.",
        "Dr Participant 2 here again after my audio dropped. Participant 5 made a great point",
    ]
    # chat users: 9 display names, 8 people
    assert json.loads(names_report.read("summary.json"))["chat_users"] == 8


@pytest.mark.parametrize("run", ["names_tables", "names_report"])
def test_join_links_keep_only_their_service(run, request):
    result: Run = request.getfixturevalue(run)
    rows = result.rows("items.csv" if run == "names_tables" else "tagged_comments.csv")
    texts = [row["text"] for row in rows]
    key = {v: k for k, v in json.loads(result.key.read_text(encoding="utf-8")).items()}
    assert "Teams link for the follow-up: [meeting link] (teams.microsoft.com)" in texts
    assert (
        "Or on Google Meet: [meeting link] (meet.google.com) and the backup meeting code "
        "[meeting code]"
    ) in texts
    assert (
        "My Webex room [meeting link] (webex.com) and GoTo [meeting link] (gotowebinar.com) plus "
        "notes at https://example.org/doc?ref=[token]"
    ) in texts
    assert f"Thanks {key['Amara N; Dr Amara Nwosu (she/her)']}, and " in " ".join(texts)


@pytest.mark.parametrize("run", ["names_tables", "names_report"])
def test_survey_answers_cannot_be_linked_to_the_chat(run, request):
    result: Run = request.getfixturevalue(run)
    rows = result.rows("items.csv" if run == "names_tables" else "tagged_comments.csv")
    answers = [r for r in rows if r["kind"] == "answer"]
    if run == "names_tables":
        assert len(answers) == 11  # the 11 answers that are neither a name nor an email
    assert answers
    assert {r["author"] for r in answers} <= {""}
    assert {r["respondent"] for r in answers} <= {f"Respondent {n}" for n in range(1, 5)}
    assert not [r for r in answers if "name" in r["question"].lower()]
    # the writers of the chat are not the keys of the survey
    chat_authors = {r["author"] for r in rows if r["kind"] == "chat"}
    assert not chat_authors & {r["respondent"] for r in answers}
    texts = "\n".join(result.texts().values())
    assert "Quentin Abernathy" not in texts  # the name answer itself


def test_small_groups_in_anonymised_tables(names_tables):
    participants = names_tables.rows("participants.csv")
    assert [r["organisation"] for r in participants] == [
        "", "", "Brackenfield Health", "Brackenfield Health", "Brackenfield Health",
        "Other", "Other", "Other", "Brackenfield Health",
    ]  # fmt: skip
    assert [r["country"] for r in participants].count("Other") == 2
    answers = [r for r in names_tables.rows("items.csv") if r["question"].startswith("Which org")]
    expected = ["Brackenfield Health", "Other", "Brackenfield Health", "Brackenfield Health"]
    assert [r["text"] for r in answers] == expected
    assert _leaks(names_tables.texts(), SMALL) == []


def test_min_group_one_keeps_every_group(tmp_path):
    result = _invoke("anonymise", NAMES, "--out", tmp_path / "t", "--min-group", "1")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "t" / "participants.csv").read_text(encoding="utf-8")
    assert "Kestrel Lane Surgery" in text and "Spain" in text


def test_method_note_lists_the_choice_for_everyday_word_names(names_report):
    note = names_report.read("report.md")
    assert "a name that is also an everyday word (Will, Rose, Hope, Mark, Grace, Ward...)" in note
    assert "cannot be linked to chat messages" in note
