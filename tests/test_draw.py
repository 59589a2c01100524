"""The prize draw: reproducible, honest about who is eligible, clear when it cannot run.

The sample survey (``survey.xlsx``) has 42 responses; 32 answered "Yes" to
"Would you like to be entered into the prize draw for a signed copy of the
Guide?" (counted with openpyxl in :func:`test_sample_opt_ins_counted_from_the_workbook`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feedback.cli import app
from feedback.draw import prize_draw
from feedback.exceptions import FeedbackError
from feedback.loaders import load_file

OPT_INS = 32
DRAW_QUESTION = "Would you like to be entered into the prize draw for a signed copy of the Guide?"


@pytest.fixture
def survey(sample_dir) -> Path:
    return sample_dir / "survey.xlsx"


@pytest.fixture(scope="module")
def survey_items():
    from importlib.resources import files

    return load_file(Path(str(files("feedback.assets") / "sample" / "survey.xlsx"))).items


def run_draw(*args: str):
    result = CliRunner().invoke(app, ["draw", *map(str, args)])
    return result


def parse(output: str) -> dict:
    """The figures and winners printed by ``feedback draw``."""
    eligible = re.search(
        r"eligible respondents: (\d+) \(opted in: (\d+), excluded: (\d+)\)", output
    )
    assert eligible, output
    return {
        "eligible": int(eligible.group(1)),
        "opted_in": int(eligible.group(2)),
        "excluded": int(eligible.group(3)),
        "winners": re.findall(r"^winner \d+: (.+)$", output, flags=re.MULTILINE),
    }


def test_sample_opt_ins_counted_from_the_workbook(survey):
    from openpyxl import load_workbook

    workbook = load_workbook(survey, read_only=True)
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    column = rows[0].index(DRAW_QUESTION)
    answers = [row[column] for row in rows[1:]]
    assert len(answers) == 42
    assert answers.count("Yes") == OPT_INS
    assert answers.count("No") == 42 - OPT_INS


def test_same_seed_same_winner(survey):
    first = run_draw(survey, "--seed", "2026")
    second = run_draw(survey, "--seed", "2026")
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    drawn = parse(first.output)
    assert drawn["eligible"] == OPT_INS
    assert drawn["opted_in"] == OPT_INS
    assert drawn["excluded"] == 0
    assert len(drawn["winners"]) == 1
    assert f"opt-in question: {DRAW_QUESTION}" in first.output
    assert "seed: 2026" in first.output
    assert f"to repeat this draw: feedback draw {survey} --seed 2026" in first.output


def test_different_seeds_can_differ(survey_items):
    winners = {prize_draw(survey_items, seed=seed).winners[0] for seed in range(12)}
    assert len(winners) > 1


def test_seedless_draw_prints_its_seed_so_it_can_be_repeated(survey):
    result = run_draw(survey)
    assert result.exit_code == 0, result.output
    seed = re.search(r"^seed: (\d+)$", result.output, flags=re.MULTILINE).group(1)
    again = run_draw(survey, "--seed", seed)
    assert parse(again.output)["winners"] == parse(result.output)["winners"]


def test_exclude_removes_the_winner_from_eligibility(survey):
    first = parse(run_draw(survey, "--seed", "7").output)
    winner = first["winners"][0]
    respondent, name = re.match(r"(\S+) \((.+)\)$", winner).groups()
    by_name = run_draw(survey, "--seed", "7", "--exclude", name)
    assert by_name.exit_code == 0, by_name.output
    drawn = parse(by_name.output)
    assert drawn["eligible"] == OPT_INS - 1
    assert drawn["excluded"] == 1
    assert drawn["opted_in"] == OPT_INS
    assert winner not in drawn["winners"]
    assert f"--exclude '{name}'" in by_name.output  # the repeat line keeps the exclusion
    # By respondent id, and regardless of case, the same person is left out.
    by_id = parse(run_draw(survey, "--seed", "7", "--exclude", respondent).output)
    by_upper = parse(run_draw(survey, "--seed", "7", "--exclude", name.upper()).output)
    assert by_id == drawn
    assert by_upper == drawn


def test_eligible_is_opt_ins_minus_exclusions(survey_items):
    # Respondents 1 (Sam Okoye) and 3 (Rachel Whitfield) opted in; 2 is anonymous and
    # said no, so excluding them changes nothing.
    assert prize_draw(survey_items, seed=1, exclude=["Sam Okoye"]).eligible == OPT_INS - 1
    two = prize_draw(survey_items, seed=1, exclude=["Sam Okoye", "3"])
    assert (two.eligible, two.excluded, two.opted_in) == (OPT_INS - 2, 2, OPT_INS)
    assert prize_draw(survey_items, seed=1, exclude=["2"]).eligible == OPT_INS
    assert prize_draw(survey_items, seed=1, exclude=["  "]).eligible == OPT_INS


def test_draw_does_not_depend_on_row_order(survey_items):
    shuffled = survey_items.sample(frac=1, random_state=3).reset_index(drop=True)
    for seed in (1, 2, 3):
        assert prize_draw(shuffled, seed=seed) == prize_draw(survey_items, seed=seed)


def test_several_winners_are_distinct(survey):
    result = run_draw(survey, "--seed", "11", "--winners", "3")
    assert result.exit_code == 0, result.output
    winners = parse(result.output)["winners"]
    assert len(winners) == 3
    assert len(set(winners)) == 3
    too_many = run_draw(survey, "--seed", "11", "--winners", str(OPT_INS + 1))
    assert too_many.exit_code == 1
    assert f"must be between 1 and {OPT_INS}" in too_many.output


def test_survey_without_opt_in_question_gives_a_clear_error(data_dir):
    survey = data_dir / "series" / "followup" / "survey.csv"
    result = run_draw(survey, "--seed", "1")
    assert result.exit_code == 1
    assert "error: no opt-in question found" in result.output
    # The message lists the questions the survey does have, and how to name one.
    assert "How would you rate the follow-up clinic?" in result.output
    assert "--question" in result.output
    assert "Traceback" not in result.output


def test_named_question_that_is_not_there(survey):
    result = run_draw(survey, "--seed", "1", "--question", "raffle for a mug")
    assert result.exit_code == 1
    assert "no opt-in question matching 'raffle for a mug'" in result.output


def test_a_file_that_is_not_a_survey(data_dir):
    from feedback.schema import Col, Kind

    chat = data_dir / "series" / "followup" / "meeting_saved_chat.txt"
    result = run_draw(chat, "--seed", "1")
    assert result.exit_code == 1
    assert "error: the file has no survey answers" in result.output
    assert (load_file(chat).items[Col.KIND] == Kind.CHAT).any()


def test_nobody_eligible(survey_items):
    from feedback.schema import Col

    everyone = survey_items[Col.RESPONDENT].unique().tolist()
    with pytest.raises(FeedbackError, match=f"nobody is eligible: {OPT_INS} opted in"):
        prize_draw(survey_items, seed=1, exclude=everyone)


def test_exclude_by_email_is_never_silently_ignored(survey_items):
    # Respondent 1, Sam Okoye, gave sam.okoye@example.nhs.uk and opted in.
    try:
        result = prize_draw(survey_items, seed=1, exclude=["sam.okoye@example.nhs.uk"])
    except FeedbackError:
        return  # refusing an exclusion it cannot apply is fine too
    assert result.excluded == 1
    assert result.eligible == OPT_INS - 1
