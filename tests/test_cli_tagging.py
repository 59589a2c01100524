"""The tagging commands through typer's CliRunner: tag, train, evaluate, codebook.

A small model is trained once per module with ``feedback train --no-bundled`` on the
four-code codebook of tests/data/tagging; commands that need the default model depend
on the session fixture ``default_tagger`` (which also fills the model cache they read).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback.classifier import load_model
from feedback.cli import app
from feedback.codebook import default_codebook_text, load_codebook
from feedback.schema import Col, Kind

TAGGING = Path(__file__).resolve().parent / "data" / "tagging"
SMALL_IDS = ["failure", "case_studies", "logistics", "social"]
#: Label counts of labelled_small.csv (28 comments, 29 labels), counted by hand.
SMALL_SUPPORT = {"failure": 8, "case_studies": 7, "logistics": 7, "social": 7}
TAG_COLUMNS = [Col.LABELS, Col.SCORES, Col.SENTIMENT, Col.IS_QUESTION]

runner = CliRunner()


def run(*args: object):
    """Invoke the app; the result must not carry an unexpected exception."""
    return runner.invoke(app, [str(a) for a in args])


def ok(*args: object):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def refused(*args: object):
    """A command that must fail with a message and exit code 1, never a traceback."""
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ")
    return result


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> Path:
    """A model of the four-code codebook, trained by the CLI on labelled_small.csv."""
    path = tmp_path_factory.mktemp("cli-model") / "small.skops"
    result = ok(
        "train",
        TAGGING / "labelled_small.csv",
        "--out",
        path,
        "--codebook",
        TAGGING / "codebook_small.yaml",
        "--no-bundled",
    )
    # 28 labelled comments and the two examples of the codebook.
    assert result.stdout.startswith("trained on 30 comments (28 from labelled_small.csv; ")
    return path


# -- feedback tag ---------------------------------------------------------------------------------
def test_tag_plain_csv_keeps_columns_and_adds_tags(small_model, tmp_path):
    source = TAGGING / "comments.csv"
    out = tmp_path / "tagged.csv"
    result = ok("tag", source, "--out", out, "--model", small_model)
    assert result.stdout.startswith("tagged 5 comments (")
    assert result.stdout.rstrip().endswith(f"wrote 5 rows to {out}")
    tagged = read_csv(out)
    with source.open(encoding="utf-8", newline="") as handle:
        original = list(csv.DictReader(handle))
    # The input's own columns come through unchanged, in order.
    assert tagged["id"].tolist() == [row["id"] for row in original]
    assert tagged["team"].tolist() == [row["team"] for row in original]
    assert tagged[Col.TEXT].tolist() == [row["text"] for row in original]
    # Changed deliberately (issue 9): the last column says which codebook and model tagged.
    assert tagged.columns[-5:].tolist() == [*TAG_COLUMNS, Col.TAGGED_BY]
    book_sha = load_codebook(TAGGING / "codebook_small.yaml").fingerprint()[:12]
    assert set(tagged[Col.TAGGED_BY]) == {
        f"codebook small-test v2 (sha256 {book_sha}); "
        f"small.skops (id {load_model(small_model).fingerprint()})"
    }
    assert Col.EXPLANATION not in tagged.columns
    assert tagged[Col.LABELS].tolist()[:4] == ["logistics", "social", "failure", "case_studies"]
    # Scores name the codes given, with their probability.
    for labels, scores in zip(tagged[Col.LABELS], tagged[Col.SCORES], strict=True):
        assert [s.split(":")[0] for s in scores.split(";") if s] == [
            c for c in labels.split(";") if c
        ]
        assert all(0 < float(s.split(":")[1]) <= 1 for s in scores.split(";") if s)
    assert tagged[Col.IS_QUESTION].tolist() == ["True", "False", "False", "True", "False"]
    sentiment = tagged[Col.SENTIMENT].astype(float).tolist()
    assert sentiment[1] > 0.05  # "Good morning everyone, ..."
    assert sentiment[2] < -0.05  # "... stop things that don't work"


def test_tag_with_the_default_model(default_tagger, tmp_path):
    out = tmp_path / "tagged.csv"
    ok("tag", TAGGING / "comments.csv", "--out", out)
    tagged = read_csv(out)
    expected = ["logistics", "social", "failure", "case_studies"]
    for labels, code in zip(tagged[Col.LABELS], expected, strict=False):
        assert code in labels.split(";")
    assert tagged[Col.IS_QUESTION].tolist() == ["True", "False", "False", "True", "False"]


def test_tag_explain_adds_an_explanation_naming_phrases(small_model, tmp_path):
    out = tmp_path / "tagged.csv"
    ok("tag", TAGGING / "comments.csv", "--out", out, "--model", small_model, "--explain")
    tagged = read_csv(out)
    assert tagged.columns[-2] == Col.EXPLANATION
    explanations = tagged[Col.EXPLANATION].tolist()
    assert explanations[0].startswith("logistics (")
    assert "phrases: can't hear" in explanations[0]
    assert explanations[1].startswith("social (")
    assert "phrases: good morning, joining from" in explanations[1]
    assert "phrases: fail" in explanations[2]
    assert "phrases: case study" in explanations[3]
    assert all("terms: " in text for text in explanations[:4])


def test_tag_zoom_chat_leaves_reactions_untagged(small_model, tmp_path):
    out = tmp_path / "tagged.csv"
    result = ok("tag", TAGGING / "zoom_chat.txt", "--out", out, "--model", small_model)
    # The chat has 4 messages and 3 reactions.
    assert result.stdout.startswith("tagged 4 comments (4 with at least one code); ")
    tagged = read_csv(out)
    assert tagged[Col.KIND].tolist() == [
        Kind.CHAT,
        Kind.CHAT,
        Kind.REACTION,
        Kind.CHAT,
        Kind.REACTION,
        Kind.CHAT,
        Kind.REACTION,
    ]
    reactions = tagged[tagged[Col.KIND] == Kind.REACTION]
    assert (reactions[Col.LABELS] == "").all()
    assert (reactions[Col.SCORES] == "").all()
    assert (reactions[Col.SENTIMENT] == "").all()
    assert (reactions[Col.IS_QUESTION] == "False").all()
    chat = tagged[tagged[Col.KIND] == Kind.CHAT]
    assert chat[Col.LABELS].tolist() == ["social", "logistics", "failure", "case_studies"]
    assert (chat[Col.SENTIMENT] != "").all()


def test_tag_with_a_model_of_another_codebook_is_refused(small_model, tmp_path):
    result = refused(
        "tag",
        TAGGING / "comments.csv",
        "--out",
        tmp_path / "tagged.csv",
        "--model",
        small_model,
        "--codebook",
        TAGGING / "codebook_user.yaml",
    )
    assert "was built for another codebook" in result.stderr
    assert not (tmp_path / "tagged.csv").exists()


def test_tag_with_a_file_that_is_not_a_model_is_refused(tmp_path):
    result = refused(
        "tag",
        TAGGING / "comments.csv",
        "--out",
        tmp_path / "tagged.csv",
        "--model",
        TAGGING / "labelled_small.csv",
    )
    assert "not a feedback model file" in result.stderr


def test_tag_refuses_to_overwrite_its_input(small_model, tmp_path):
    source = tmp_path / "comments.csv"
    source.write_bytes((TAGGING / "comments.csv").read_bytes())
    refused("tag", source, "--out", source, "--model", small_model)
    assert source.read_bytes() == (TAGGING / "comments.csv").read_bytes()


# -- feedback train ------------------------------------------------------------------------------
def test_train_small_file_without_bundled_data(tmp_path):
    out = tmp_path / "model.skops"
    result = ok("train", TAGGING / "labelled_small.csv", "--out", out, "--no-bundled")
    book = load_codebook()
    examples = sum(len(code.examples) for code in book.codes)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"trained on {28 + examples} comments (28 from labelled_small.csv; "
        f"bundled comments used for 0 of {len(book)} codes)"
    )
    assert lines[1].startswith("cross-validated on your 28 comments: micro-F1 ")
    assert f"saved the model to {out}" in result.stdout
    model = load_model(out)
    assert list(model.classes_) == book.ids


def test_train_small_codebook(small_model):
    model = load_model(small_model)
    assert list(model.classes_) == SMALL_IDS
    assert model.codebook_ == load_codebook(TAGGING / "codebook_small.yaml")


def test_train_with_a_users_codebook_follows_its_codes(tmp_path, monkeypatch):
    """A codebook that renames failure, adds accessibility and drops the other codes."""
    import feedback.tagging.training as classifier

    bundled = pd.DataFrame(
        {
            "text": [
                "Can't hear anything",
                "Good morning from Leeds",
                "We need permission to fail",
                "More case studies please",
                "The link does not work",
                "Hello everyone",
                "An infographic would be great",
            ],
            "labels": [
                "logistics",
                "social",
                "failure",
                "case_studies",
                "logistics",
                "social;slides_visuals",
                "slides_visuals",
            ],
        }
    )
    # A small stand-in for the bundled data keeps the test fast.
    monkeypatch.setattr(classifier, "bundled_training_data", lambda: bundled)
    out = tmp_path / "user.skops"
    result = ok(
        "train",
        TAGGING / "labelled_user.csv",
        "--out",
        out,
        "--codebook",
        TAGGING / "codebook_user.yaml",
    )
    # Changed deliberately (issue 9): no code of codebook_user.yaml keeps the default's
    # description, so the bundled comments are left out; codes with few labels are named.
    assert result.stdout.startswith(
        "trained on 12 comments (12 from labelled_user.csv; bundled comments used for 0 of "
        "4 codes)\n"
    )
    assert "fewer than 10 labelled comments" in result.stderr
    model = load_model(out)
    assert list(model.classes_) == [
        "learning_from_failure",
        "accessibility",
        "logistics",
        "social",
    ]
    assert model.predict_labels(["Please turn on the captions"]) == [["accessibility"]]
    # The model is refused with a codebook of other codes.
    result = refused(
        "tag",
        TAGGING / "comments.csv",
        "--out",
        tmp_path / "tagged.csv",
        "--model",
        out,
        "--codebook",
        TAGGING / "codebook_small.yaml",
    )
    assert "codes only in the model: accessibility, learning_from_failure" in result.stderr


def test_train_with_an_unknown_label_names_the_file_and_label(tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "text,labels\nGood morning,social\nWe failed,failure\nSound is off,sound\n",
        encoding="utf-8",
    )
    result = refused(
        "train",
        labelled,
        "--out",
        tmp_path / "m.skops",
        "--codebook",
        TAGGING / "codebook_small.yaml",
        "--no-bundled",
    )
    assert result.stderr.startswith(f"error: {labelled}: ")
    assert "label 'sound' is not a code of the codebook" in result.stderr
    assert not (tmp_path / "m.skops").exists()


def test_train_unknown_label_after_a_blank_row_names_the_file_line(tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "text,labels\nGood morning,social\n,logistics\nWe failed,failure\nSound is off,sound\n",
        encoding="utf-8",
    )
    result = refused(
        "train",
        labelled,
        "--out",
        tmp_path / "m.skops",
        "--codebook",
        TAGGING / "codebook_small.yaml",
        "--no-bundled",
    )
    assert "line 5: label 'sound'" in result.stderr


def test_train_without_a_labels_column_is_refused(tmp_path):
    result = refused(
        "train", TAGGING / "comments.csv", "--out", tmp_path / "m.skops", "--no-bundled"
    )
    assert result.stderr.startswith(f"error: {TAGGING / 'comments.csv'}: ")
    assert "'labels'" in result.stderr


# -- feedback evaluate ----------------------------------------------------------------------------
def _check_evaluation_files(out_dir: Path, codes: list[str], support: dict[str, int]) -> None:
    png = out_dir / "evaluation.png"
    assert png.is_file()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = read_csv(out_dir / "evaluation.csv")
    assert table.columns.tolist() == ["code", "precision", "recall", "f1", "support"]
    assert table["code"].tolist() == [*codes, "micro avg", "macro avg"]
    assert dict(zip(table["code"], table["support"].astype(int), strict=True)) == support
    for column in ("precision", "recall", "f1"):
        assert table[column].astype(float).between(0, 1).all()


def test_evaluate_a_model_on_a_labelled_file(small_model, tmp_path):
    out_dir = tmp_path / "evaluation"
    result = ok(
        "evaluate", TAGGING / "labelled_small.csv", "--model", small_model, "--out-dir", out_dir
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "Evaluation: small.skops on labelled_small.csv (28 comments)"
    assert lines[1].split() == ["precision", "recall", "f1", "support"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:9]}
    assert list(rows) == [*SMALL_IDS, "micro", "macro"]
    assert {code: int(rows[code][-1]) for code in SMALL_IDS} == SMALL_SUPPORT
    assert rows["micro"][0] == "avg" and rows["micro"][-1] == "29"
    assert rows["macro"][0] == "avg" and rows["macro"][-1] == "29"
    assert lines[-1] == (f"saved {out_dir / 'evaluation.csv'} and {out_dir / 'evaluation.png'}")
    _check_evaluation_files(out_dir, SMALL_IDS, {**SMALL_SUPPORT, "micro avg": 29, "macro avg": 29})


def test_evaluate_cross_validation(tmp_path):
    out_dir = tmp_path / "cv"
    result = ok(
        "evaluate",
        TAGGING / "labelled_small.csv",
        "--cv",
        3,
        "--codebook",
        TAGGING / "codebook_small.yaml",
        "--out-dir",
        out_dir,
    )
    assert result.stdout.splitlines()[0] == (
        "Evaluation: 3-fold cross-validation on labelled_small.csv (28 comments)"
    )
    assert "micro avg" in result.stdout and "macro avg" in result.stdout
    _check_evaluation_files(out_dir, SMALL_IDS, {**SMALL_SUPPORT, "micro avg": 29, "macro avg": 29})


def test_evaluate_cross_validation_with_too_many_folds(tmp_path):
    result = refused(
        "evaluate",
        TAGGING / "labelled_small.csv",
        "--cv",
        50,
        "--codebook",
        TAGGING / "codebook_small.yaml",
        "--out-dir",
        tmp_path,
    )
    assert "--cv 50: needs 2 to 28 folds" in result.stderr


def _support(name: str) -> tuple[int, dict[str, int], int]:
    from importlib.resources import files

    heldout = files("feedback.assets").joinpath("labelled").joinpath(name)
    with heldout.open("r", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = Counter(
        label.strip()
        for row in rows
        for label in row["labels"].replace(",", ";").split(";")
        if label.strip()
    )
    support = {code: counts.get(code, 0) for code in load_codebook().ids}
    return len(rows), support, sum(counts.values())


def test_evaluate_heldout_reports_both_sets(default_tagger, tmp_path):
    # Changed deliberately (issue 9): a second held-out set in chat register is reported too,
    # each set in its own folder.
    out_dir = tmp_path / "heldout"
    result = ok("evaluate", "--heldout", "--out-dir", out_dir)
    headings = [line for line in result.stdout.splitlines() if line.startswith("Evaluation:")]
    tidy_rows, tidy, tidy_total = _support("heldout.csv")
    chat_rows, chat, chat_total = _support("heldout_chat.csv")
    assert headings == [
        "Evaluation: the bundled model on held-out set, tidy comments (heldout.csv) "
        f"({tidy_rows} comments)",
        "Evaluation: the bundled model on held-out set, chat register (heldout_chat.csv) "
        f"({chat_rows} comments)",
    ]
    assert (tidy_rows, chat_rows) == (449, 400)
    ids = load_codebook().ids
    _check_evaluation_files(
        out_dir / "heldout", ids, {**tidy, "micro avg": tidy_total, "macro avg": tidy_total}
    )
    _check_evaluation_files(
        out_dir / "heldout_chat", ids, {**chat, "micro avg": chat_total, "macro avg": chat_total}
    )


def test_evaluate_needs_a_file_or_heldout(tmp_path):
    result = refused("evaluate", "--out-dir", tmp_path)
    assert result.stderr == "error: give a labelled CSV file, or --heldout\n"


def test_evaluate_with_an_unknown_label(small_model, tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("text,labels\nHello,social\nNice slides,slides_visuals\n", "utf-8")
    result = refused("evaluate", labelled, "--model", small_model, "--out-dir", tmp_path / "e")
    assert result.stderr.startswith("error: labelled.csv: ")
    assert "label 'slides_visuals' is not a code of the codebook" in result.stderr
    assert not (tmp_path / "e").exists()


# -- feedback codebook ----------------------------------------------------------------------------
def test_codebook_show_default():
    result = ok("codebook", "show")
    book = load_codebook()
    assert result.stdout.splitlines()[0] == (
        f"{book.name} (version {book.version}): {len(book)} codes"
    )
    for code in book.codes:
        assert f"  {code.id:<22} {code.label}\n" in result.stdout


def test_codebook_show_file():
    result = ok("codebook", "show", TAGGING / "codebook_small.yaml")
    assert result.stdout == (
        "small-test (version 2): 4 codes\n"
        "\ntheme\n"
        "  failure                Learning from failure\n"
        "                         Permission to fail, stopping what does not work.\n"
        "\nrequest\n"
        "  case_studies           Case studies\n"
        "                         Requests for worked examples from other places.\n"
        "\nother\n"
        "  logistics              Logistics\n"
        "                         Sound, links, slides not showing, joining problems.\n"
        "  social                 Social\n"
        "                         Greetings, where people join from, thanks.\n"
    )


@pytest.mark.parametrize("name", ["codebook_small.yaml", "codebook_small.toml"])
def test_codebook_validate_valid(name):
    result = ok("codebook", "validate", TAGGING / name)
    assert result.stdout == f"{TAGGING / name}: valid, 4 codes in 3 groups\n"


def test_codebook_validate_invalid_yaml_names_the_line():
    path = TAGGING / "codebook_invalid.yaml"
    result = refused("codebook", "validate", path)
    assert result.stderr == (
        f"error: {path}: line 7: not valid YAML (mapping values are not allowed here)\n"
    )


def test_codebook_validate_duplicate_names_the_line():
    path = TAGGING / "codebook_duplicate.yaml"
    result = refused("codebook", "validate", path)
    assert result.stderr.startswith(f"error: {path}: line 9: duplicate id 'social'")


def test_codebook_validate_missing_file(tmp_path):
    result = refused("codebook", "validate", tmp_path / "nope.yaml")
    assert "cannot read the codebook" in result.stderr


def test_codebook_validate_empty_list_is_an_error_message(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("[]\n", encoding="utf-8")
    refused("codebook", "validate", path)


def test_codebook_init_writes_the_default_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "mine.yaml"
    result = ok("codebook", "init", path)
    assert path.read_text(encoding="utf-8") == default_codebook_text()
    assert result.stdout.startswith(f"wrote {path}; ")
    ok_result = ok("codebook", "validate", path)
    assert f"valid, {len(load_codebook())} codes" in ok_result.stdout

    path.write_text("# my edits\n", encoding="utf-8")
    result = refused("codebook", "init", path)
    assert result.stderr == f"error: {path} exists; use --force to overwrite it\n"
    assert path.read_text(encoding="utf-8") == "# my edits\n"

    ok("codebook", "init", path, "--force")
    assert path.read_text(encoding="utf-8") == default_codebook_text()


# -- issue 9: codebook-only models, suggestions, provenance ---------------------------------------
def test_train_from_the_codebook_alone(tmp_path):
    out = tmp_path / "book.npz"
    result = ok("train", "--out", out, "--codebook", TAGGING / "codebook_small.yaml")
    assert result.stdout.splitlines()[0] == (
        "trained on 2 comments (no labelled file; bundled comments used for 0 of 4 codes)"
    )
    assert "4 code(s) have fewer than 10 labelled comments" in result.stderr
    model = load_model(out)
    assert model.predict_labels(["good morning all from Leeds", "I can't hear anything"]) == [
        ["social"],
        ["logistics"],
    ]


def test_train_default_needs_out():
    result = refused("train", "--default")
    assert "--default: give --out" in result.stderr


def test_tag_with_the_default_model_records_it(default_tagger, tmp_path):
    out = tmp_path / "tagged.csv"
    ok("tag", TAGGING / "comments.csv", "--out", out)
    tagged = read_csv(out)
    line = set(tagged[Col.TAGGED_BY])
    assert len(line) == 1
    assert line.pop().startswith("codebook spread-and-adoption v1 (sha256 ")


def test_codebook_suggest_proposes_phrases(tmp_path):
    labelled = tmp_path / "labelled.csv"
    rows = [
        ("the zoom link in the invite is broken", "logistics"),
        ("zoom link broken for me too", "logistics"),
        ("is the zoom link working for anyone", "logistics"),
        ("good morning from Leeds", "social"),
        ("good morning all", "social"),
        ("morning from a sunny Hull", "social"),
        ("we learned to fail fast", "failure"),
    ]
    with labelled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "labels"])
        writer.writerows(rows)
    result = ok(
        "codebook", "suggest", labelled, "--codebook", TAGGING / "codebook_small.yaml", "--top", "2"
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "# phrases proposed from 7 labelled comments in labelled.csv"
    logistics = lines.index("logistics:")
    assert lines[logistics + 1] == "  - zoom link  # 3/3; 0 elsewhere"
    failure = lines.index("failure:")
    assert lines[failure + 1] == "  # too few labelled comments to propose phrases"


def test_codebook_suggest_names_an_unknown_label(tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("text,labels\nhello,greeting\n", encoding="utf-8")
    result = refused("codebook", "suggest", labelled)
    assert "line 2: label 'greeting' is not a code" in result.stderr
