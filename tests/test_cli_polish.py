"""Command-line polish: --version, help in command-line words, progress bars only on a
terminal, a complete repeat line for the draw, and the sample folder as real files."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feedback import __version__
from feedback.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
runner = CliRunner()

COMMANDS = [
    ["load"],
    ["formats"],
    ["tag"],
    ["train"],
    ["evaluate"],
    ["report"],
    ["draw"],
    ["anonymise"],
    ["codebook", "show"],
    ["codebook", "validate"],
    ["codebook", "init"],
    ["codebook", "export"],
]


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"feedback {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_help_names_values_without_python_types(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert re.findall(r"<[^>]*>|list\[|\b(?:str|int|Path)\b", text) == []
    assert "{" not in text.split("\n", 1)[0]


def test_help_shows_inputs_and_option_values():
    text = runner.invoke(app, ["tag", "--help"]).output
    assert text.startswith("Usage: feedback tag [OPTIONS] INPUT...\n")
    assert "  INPUT..." in text
    assert "-o, --out PATH" in text
    assert "--date TEXT" in text
    report = runner.invoke(app, ["report", "--help"]).output
    assert report.startswith("Usage: feedback report [OPTIONS] [INPUT...]\n")
    assert "--min-group N" in report
    draw = runner.invoke(app, ["draw", "--help"]).output
    assert draw.startswith("Usage: feedback draw [OPTIONS] SURVEY\n")
    assert "--winners N" in draw


def test_progress_bars_stay_out_of_logs(tmp_path):
    from feedback.cli import _FileProgress, _progress, _TagProgress

    files = _FileProgress(total=12)
    for number in range(12):
        files(tmp_path / f"f{number}.csv")
    assert files.bar is None  # not a terminal: no bar at all
    with _progress(50_000, "tagging") as bar:
        bar(25_000)
        assert bar.bar.disable
    tagging = _TagProgress()
    tagging("big", 10, 50_000)
    assert tagging.bar is None


def test_progress_bars_on_a_terminal_have_totals(monkeypatch, tmp_path, capsys):
    import feedback.cli as cli

    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    files = cli._FileProgress(total=12)
    for number in range(6):
        files(tmp_path / f"f{number}.csv")
    assert files.bar.total == 12 and files.bar.n == 6
    files.close()
    tagging = cli._TagProgress()
    tagging("big", 10, 50_000)
    assert tagging.bar.total == 50_000
    tagging.close()


def test_draw_repeat_line_repeats_the_draw(tmp_path):
    survey = SAMPLE / "survey.xlsx"
    args = ["draw", str(survey), "--winners", "2", "--exclude", "Sam Okoye",
            "--question", "prize draw"]  # fmt: skip
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    line = next(x for x in first.output.splitlines() if x.startswith("to repeat this draw: "))
    words = shlex.split(line.removeprefix("to repeat this draw: "))
    assert words[:3] == ["feedback", "draw", str(survey)]
    assert "--winners" in words and words[words.index("--winners") + 1] == "2"
    assert words[words.index("--exclude") + 1] == "Sam Okoye"
    assert words[words.index("--question") + 1] == "prize draw"
    again = runner.invoke(app, words[1:])
    assert again.exit_code == 0, again.output
    winners = [x for x in first.output.splitlines() if x.startswith("winner ")]
    assert len(winners) == 2
    assert [x for x in again.output.splitlines() if x.startswith("winner ")] == winners


def test_sample_is_a_real_folder_equal_to_the_shipped_copy():
    from importlib.resources import files

    assert SAMPLE.is_dir() and not SAMPLE.is_symlink()
    shipped = Path(str(files("feedback.assets").joinpath("sample")))
    ours = sorted(p.name for p in SAMPLE.iterdir())
    assert ours == sorted(p.name for p in shipped.iterdir())
    for name in ours:
        assert (SAMPLE / name).read_bytes() == (shipped / name).read_bytes(), name
