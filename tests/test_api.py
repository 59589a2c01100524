"""The notebook API: feedback.load, feedback.tag and feedback.report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import feedback
from feedback.exceptions import FeedbackError, OutputError, SchemaError
from feedback.schema import ITEM_COLUMNS, Col

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SAMPLE_FILES = ["attendee_report.csv", "meeting_saved_chat.txt", "qa_report.csv", "survey.xlsx"]
#: Strings found only in the sample chat's private messages.
# Text of the sample's direct messages. (Its message "to Hosts and panelists" is public chat
# since issue 8: the panel is the audience's channel in a webinar.)
PRIVATE_MARKERS = ["07700 900123", "kerry.blake.home", "frailty work"]


def _python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.strip()


def test_import_is_cheap_and_shows_the_api():
    out = _python(
        "import sys, feedback; "
        "print(sorted(m for m in ('pandas', 'numpy', 'sklearn', 'matplotlib', 'lxml') "
        "if m in sys.modules)); print(dir(feedback))"
    )
    loaded, names = out.splitlines()
    assert loaded == "[]"
    assert names == "['__version__', 'load', 'report', 'tag']"


def test_report_is_both_the_function_and_the_module():
    import feedback.report as module
    from feedback import report

    assert report is feedback.report is module
    assert callable(feedback.report)
    assert feedback.report.build_report is module.build_report
    # in a fresh interpreter, in both import orders
    assert _python("import feedback; print(callable(feedback.report))") == "True"
    assert _python("import feedback.report, feedback; print(callable(feedback.report))") == "True"


# -- load ----------------------------------------------------------------------------------------
def test_load_a_folder_as_str_path_or_list():
    items = feedback.load(str(SAMPLE))
    assert list(items.columns)[: len(ITEM_COLUMNS)] == list(ITEM_COLUMNS)
    # the attendee report holds participants only
    assert sorted(items[Col.SOURCE].unique()) == [n for n in SAMPLE_FILES if "attendee" not in n]
    assert len(feedback.load(SAMPLE)) == len(items)
    files = [SAMPLE / name for name in SAMPLE_FILES]
    assert len(feedback.load(files)) == len(items)
    assert len(feedback.load(*files)) == len(items)
    assert len(items.attrs["participants"]) > 100
    assert items.attrs["skipped"] == []


def test_load_an_absolute_file_reads_only_that_file(monkeypatch):
    chat = (SAMPLE / "meeting_saved_chat.txt").resolve()
    walked = []
    original = Path.rglob

    def spy(self, pattern):
        walked.append(self)
        return original(self, pattern)

    monkeypatch.setattr(Path, "rglob", spy)
    items = feedback.load(str(chat), date="2026-03-12")
    assert set(items[Col.SOURCE]) == {"meeting_saved_chat.txt"}
    assert walked == []
    assert items[Col.TIMESTAMP].dt.date.astype(str).unique().tolist() == ["2026-03-12"]


def test_load_refuses_what_is_not_there(tmp_path):
    with pytest.raises(FeedbackError, match="no such file or folder"):
        feedback.load(str(tmp_path / "missing.txt"))
    with pytest.raises(FeedbackError, match="give at least one"):
        feedback.load()
    with pytest.raises(FeedbackError, match="expected a file or folder path"):
        feedback.load(42)
    with pytest.raises(FeedbackError, match="expected YYYY-MM-DD"):
        feedback.load(SAMPLE, date="12/03/2026")


# -- tag -----------------------------------------------------------------------------------------
def test_tag_never_tags_private_rows(default_tagger):
    items = feedback.load(SAMPLE)
    tagged = feedback.tag(items, model=default_tagger)
    private = tagged[Col.IS_PRIVATE]
    # the sample's 12 direct messages; its 2 messages to the panel are public (issue 8)
    assert int(private.sum()) == 12
    assert (tagged.loc[private, Col.LABELS] == "").all()
    assert (tagged.loc[private, Col.SCORES] == "").all()
    assert tagged.loc[private, Col.SENTIMENT].isna().all()
    assert not tagged.loc[private, Col.IS_QUESTION].any()
    public = tagged[~private]
    assert (public[Col.LABELS] != "").sum() > 300
    assert len(tagged) == len(items)
    assert list(tagged[Col.ITEM_ID]) == list(items[Col.ITEM_ID])
    # the public rows are tagged exactly as tag_items tags them
    from feedback.analysis import tag_items

    direct = tag_items(items[~items[Col.IS_PRIVATE]], default_tagger)
    assert list(public[Col.LABELS]) == list(direct[Col.LABELS])


def test_tag_plain_texts_and_tables(default_tagger):
    tagged = feedback.tag(["Could you share the slides?", "Great talk!"], model=default_tagger)
    assert list(tagged[Col.TEXT]) == ["Could you share the slides?", "Great talk!"]
    assert list(tagged[Col.IS_QUESTION]) == [True, False]
    assert tagged[Col.LABELS][0] != ""
    assert tagged[Col.SCORES][0].startswith(tagged[Col.LABELS][0].split(";")[0] + ":")
    one = feedback.tag("Could you share the slides?", model=default_tagger)
    assert list(one[Col.LABELS]) == [tagged[Col.LABELS][0]]
    table = pd.DataFrame({"text": ["Could you share the slides?"], "mine": [7]})
    from_table = feedback.tag(table, model=default_tagger)
    assert list(from_table["mine"]) == [7]
    assert list(from_table[Col.LABELS]) == [tagged[Col.LABELS][0]]
    with pytest.raises(SchemaError, match="needs a 'text' column"):
        feedback.tag(pd.DataFrame({"comment": ["x"]}), model=default_tagger)


def test_tag_with_a_model_file_and_default(tmp_path, default_tagger):
    from feedback.classifier import save_model

    path = tmp_path / "model.npz"
    save_model(default_tagger, path)
    by_file = feedback.tag(["Could you share the slides?"], model=str(path))
    by_default = feedback.tag(["Could you share the slides?"])  # reads the session's cache
    by_object = feedback.tag(["Could you share the slides?"], model=default_tagger)
    assert list(by_file[Col.LABELS]) == list(by_default[Col.LABELS]) == list(by_object[Col.LABELS])
    with pytest.raises(FeedbackError, match="cannot read the model"):
        feedback.tag(["x"], model=tmp_path / "missing.npz")


# -- report --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(default_tagger):
    return feedback.report(SAMPLE, model=default_tagger, title="Sample in a notebook")


def test_report_summary_and_charts(built):
    from matplotlib.figure import Figure

    assert built.title == "Sample in a notebook"
    # 12 direct messages; the messages to the panel are public
    assert built.summary["private_excluded"] == 12
    assert built.summary["messages"] > 200
    assert built.charts and all(isinstance(f, Figure) for f in built.charts.values())
    assert "Sample in a notebook" in repr(built)


def test_report_inline_preview(built):
    preview = built._repr_html_()
    assert preview.startswith('<div class="feedback-report">')
    assert "<h2>Sample in a notebook</h2>" in preview
    assert preview.count('<img src="data:image/png;base64,') == len(built.charts)
    assert "12 private messages excluded" in preview
    lowered = preview.lower()
    assert [m for m in PRIVATE_MARKERS if m.lower() in lowered] == []
    authors = set(feedback.load(SAMPLE)[Col.AUTHOR]) - {""}
    assert [a for a in authors if a in preview] == []


def test_report_write(built, tmp_path):
    import json

    written = built.write(tmp_path / "out")
    names = {p.name for p in written}
    assert {"report.md", "report.html", "summary.json", "manifest.json"} <= names
    assert {f"{name}.png" for name in built.charts} <= names
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert sorted(i["file"] for i in manifest["inputs"]) == SAMPLE_FILES
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["private_excluded"] == 12


def test_report_refuses_to_write_over_its_inputs(tmp_path, default_tagger):
    import shutil

    folder = tmp_path / "exports"
    shutil.copytree(SAMPLE, folder)
    built = feedback.report(folder / "qa_report.csv", model=default_tagger)
    with pytest.raises(OutputError, match=r"qa_report\.csv"):
        built.write(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*SAMPLE_FILES, "README.md"])


def test_load_takes_the_panel_option_as_the_command_line_does():
    kept = feedback.load(SAMPLE)
    left_out = feedback.load(SAMPLE, panelist_messages="exclude")
    # the sample's 2 messages "to Hosts and panelists" become private only when excluded
    assert int(kept[Col.IS_PRIVATE].sum()) == 12
    assert int(left_out[Col.IS_PRIVATE].sum()) == 14
    with pytest.raises(FeedbackError, match="panelist_messages"):
        feedback.load(SAMPLE, panelist_messages="maybe")
