"""Series reports: three copies of the sample with one title, named by the names given.

``feedback report --webinar March=<sample> --webinar April=<sample> --webinar May=<sample>``
must not crash on the equal titles, must name each webinar as given, put each
webinar's page in its own sub-folder linked from the overview, and keep the
terminal summary on the series' own figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback.report.build import pages_to_build, unique_names

NAMES = ["March", "April", "May"]


@pytest.fixture(scope="module")
def sample_dir_module() -> Path:
    from importlib.resources import files

    return Path(str(files("feedback.assets") / "sample"))


@pytest.fixture(scope="module")
def three(tmp_path_factory, sample_dir_module, default_tagger):
    """``feedback report`` on three copies of the sample: (result, folder, summary)."""
    from feedback.cli import app

    out = tmp_path_factory.mktemp("three") / "report"
    args = ["report", "--out", str(out)]
    for name in NAMES:
        args += ["--webinar", f"{name}={sample_dir_module}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return result, out, summary


@pytest.fixture(scope="module")
def one(sample_report):
    """summary.json of the sample's own report."""
    _, out = sample_report
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_equal_titles_are_fine_and_webinars_keep_the_names_given(three, one):
    _, _, summary = three
    webinars = summary["webinars"]
    assert [w["name"] for w in webinars] == NAMES
    assert len({w["title"] for w in webinars}) == 1  # the same topic three times
    for webinar in webinars:
        for key in ("messages", "attendees", "chat_users", "reactions", "responses"):
            assert webinar[key] == one[key], key
        assert webinar["question_counts"] == one["question_counts"]
        assert webinar["page"] == f"webinars/{webinar['name'].lower()}/report.html"
    assert summary["messages"] == 3 * one["messages"] == 684
    assert summary["question_counts"] == {k: 3 * v for k, v in one["question_counts"].items()}
    assert summary["conversation_codes"] == {
        code: 3 * count for code, count in one["conversation_codes"].items()
    }


def test_pages_are_in_sub_folders_linked_from_the_overview(three):
    _, out, _ = three
    markdown = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in NAMES:
        folder = out / "webinars" / name.lower()
        assert (folder / "report.html").is_file() and (folder / "report.md").is_file()
        assert f"[{name}](webinars/{name.lower()}/report.md)" in markdown
        assert f'<a href="webinars/{name.lower()}/report.html">{name}</a>' in html
        page = (folder / "report.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {name}\n")
        assert "[Back to the series overview](../../report.md)" in page
        images = re.findall(r"\]\(([^)]+\.png)\)", page)
        assert images and all((folder / image).is_file() for image in images)
    # The overview holds only its own charts; no webinar's report is stacked into it.
    assert sorted(p.name for p in out.glob("*.png")) == ["series-codes.png", "series-figures.png"]
    assert "## What people talked about" not in markdown


def test_webinars_csv_has_one_row_per_webinar(three, one):
    _, out, _ = three
    table = pd.read_csv(out / "webinars.csv", keep_default_na=False)
    assert table["name"].tolist() == NAMES
    assert table["messages"].tolist() == [one["messages"]] * 3
    assert table["open_questions"].tolist() == [one["question_counts"]["open"]] * 3


def test_overview_compares_the_webinars(three, one):
    _, out, summary = three
    markdown = (out / "report.md").read_text(encoding="utf-8")
    share = f"{one['chat_users'] / one['participants']:.0%}"
    rated = f"{summary['webinars'][0]['rated_positively']:.0%}"
    row = (
        f"| [March](webinars/march/report.md) | {one['attendees']} | {one['chat_users']} | "
        f"{share} | {one['messages']} | {one['responses']} | {rated} | "
        f"{one['question_counts']['open']} |"
    )
    assert row in markdown
    # The sample's three bursts, once per webinar, each naming its webinar.
    bursts = re.findall(r"^- (March|April|May): .+ messages in .+ from \d\d:\d\d$", markdown,
                        flags=re.MULTILINE)  # fmt: skip
    assert sorted(bursts) == sorted(NAMES * len(one["bursts"]))
    # Quotes across the series say which webinar they come from.
    attributions = re.findall(r"^> — .+, (March|April|May)$", markdown, flags=re.MULTILINE)
    assert attributions


def test_rated_positively_counts_the_upper_half_of_each_scale(three, one):
    # Sample: "How useful" 4 or 5 from 39 of 42; "How confident" very or extremely
    # confident, as many as the summary's distribution gives.
    _, _, summary = three
    questions = one["survey"]["questions"]
    useful = questions["How useful did you find today's webinar?"]["distribution"]
    confident = questions[
        "How confident do you now feel about applying the seven principles in your work?"
    ]["distribution"]
    positive = useful["4"] + useful["5"] + confident["Very confident"]
    positive += confident["Extremely confident"]
    total = sum(useful.values()) + sum(confident.values())
    assert summary["webinars"][0]["rated_positively"] == pytest.approx(positive / total)


def test_terminal_summary_stays_on_the_series_figures(three, one):
    result, _, summary = three
    output = result.output
    assert f"{3 * one['messages']} public messages" in output
    assert "3 webinars" in output
    counts = summary["question_counts"]
    assert (
        f"{counts['content']} questions about the subject, {counts['open']} still open; "
        f"{counts['session']} about the session"
    ) in output
    top = max(summary["conversation_codes"].values())
    assert f"({top})" in output.split("most discussed: ")[1].splitlines()[0]


def test_pages_none_writes_only_the_overview(tmp_path, sample_dir_module, default_tagger):
    from feedback.cli import app

    out = tmp_path / "report"
    args = ["report", "--out", str(out), "--pages", "none",
            "--webinar", f"A={sample_dir_module}",
            "--webinar", f"B={sample_dir_module}"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not (out / "webinars").exists()
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| A |" in markdown and "| B |" in markdown
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert all("page" not in w for w in summary["webinars"])


def test_pages_option_is_checked(tmp_path, sample_dir_module, default_tagger):
    from feedback.cli import app

    args = ["report", "--out", str(tmp_path / "r"), "--pages", "some",
            "--webinar", f"A={sample_dir_module}",
            "--webinar", f"B={sample_dir_module}"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "expected all, none or linked" in result.output


def test_unique_names_number_repeats():
    assert unique_names(["March", "March", "April", "March"]) == [
        "March",
        "March (2)",
        "April",
        "March (3)",
    ]
    assert unique_names(["A", "A", "A (2)"]) == ["A", "A (3)", "A (2)"]


def test_big_series_link_the_busiest_and_the_latest():
    parts = [
        SimpleNamespace(name=f"W{i:03d}", headline=SimpleNamespace(messages=i % 50))
        for i in range(200)
    ]
    linked = pages_to_build(parts, "linked")
    busiest = {f"W{i:03d}" for i in (49, 99, 149, 199, 48, 98, 148, 198, 47, 97)}
    assert linked == busiest | {"W199"}
    assert len(pages_to_build(parts, "all")) == 200
    assert pages_to_build(parts, "none") == set()
    assert pages_to_build(parts[:20], "linked") == {p.name for p in parts[:20]}
