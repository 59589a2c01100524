"""``feedback formats`` lists the layouts and languages each loader knows."""

from __future__ import annotations

from typer.testing import CliRunner

from feedback.cli import app
from feedback.loaders import loaders


def test_every_loader_of_reports_and_surveys_names_its_layouts() -> None:
    for format_id, cls in loaders().items():
        if cls.family in ("report", "survey"):
            assert cls.layouts, format_id


def test_formats_command_lists_layouts_and_languages() -> None:
    result = CliRunner().invoke(app, ["formats"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    teams = lines.index(next(line for line in lines if line.startswith("teams-attendance")))
    block = "\n".join(lines[teams : teams + 4])
    assert "languages: en, pt, fr, pl, de, es, it, nl" in block
    assert "2020 list (Full Name, User Action, Timestamp)" in block
    assert "2020-21, Submitted Date/Time" in result.output
    assert result.output.count("languages: en, ja, es, fr, de, pt") == 4  # the Zoom reports
