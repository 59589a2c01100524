"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) written, validated, read back.

Every file written here is validated against the official REFI-QDA Project schema
(``../shared/formats/refi-qda/Project.xsd``; skipped when it is absent). A codebook
is checked against the same code definitions: its ``Codes`` are validated inside a
project document (both schemas define ``CodeType`` alike), and against
``Codebook.xsd`` too when that file is present.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback.cli import app
from feedback.codebook import load_codebook
from feedback.exceptions import CodebookError, FeedbackError, FormatError
from feedback.refi_qda import (
    CODEBOOK_NS,
    PROJECT_NS,
    agreement_table,
    code_guid,
    cohen_kappa,
    read_codebook,
    read_project,
    slug_id,
    write_codebook,
    write_project,
)
from feedback.schema import Col

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
TAGGING = ROOT / "tests" / "data" / "tagging"
XSD_DIR = ROOT.parent / "shared" / "formats" / "refi-qda"
runner = CliRunner()

#: Strings found only in the sample chat's private messages.
# Text of the sample's direct messages. (Its message "to Hosts and panelists" is public chat
# since issue 8: the panel is the audience's channel in a webinar.)
PRIVATE_MARKERS = ["07700 900123", "kerry.blake.home", "frailty work"]


def _schema(name: str):
    from lxml import etree

    path = XSD_DIR / name
    if not path.is_file():
        return None
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid_project(path: Path) -> bytes:
    """Validate a .qdpx against Project.xsd; return its project.qde."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde")
        names = archive.namelist()
    root = etree.fromstring(qde)
    assert root.tag == f"{{{PROJECT_NS}}}Project"
    for source in root.iter(f"{{{PROJECT_NS}}}TextSource"):
        internal = source.get("plainTextPath").removeprefix("internal://")
        assert f"sources/{internal}" in names
    schema = _schema("Project.xsd")
    if schema is None:
        pytest.skip("Project.xsd is not available")
    schema.assertValid(root)
    return qde


def assert_valid_codebook(path: Path) -> None:
    """Validate a .qdc: its codes inside a project against Project.xsd (and Codebook.xsd)."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    codebook_schema = _schema("Codebook.xsd")
    if codebook_schema is not None:
        codebook_schema.assertValid(root)
    schema = _schema("Project.xsd")
    if schema is None:
        pytest.skip("Project.xsd is not available")
    text = etree.tostring(root).decode().replace(CODEBOOK_NS, PROJECT_NS)
    codes = etree.fromstring(text)
    project = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS}, name="check")
    book = etree.SubElement(project, f"{{{PROJECT_NS}}}CodeBook")
    for child in codes:
        book.append(child)
    schema.assertValid(project)


@pytest.fixture(scope="module")
def tagged(default_tagger) -> pd.DataFrame:
    import feedback

    return feedback.tag(feedback.load(SAMPLE), model=default_tagger)


@pytest.fixture(scope="module")
def project_path(tagged, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("qdpx") / "sample.qdpx"
    summary = write_project(tagged, path, load_codebook(), title="Sample webinar")
    assert summary.private_left_out == 12  # direct messages only: messages to the panel are public
    return path


def test_project_validates_and_holds_one_source_per_input_file(project_path, tagged):
    from lxml import etree

    qde = assert_valid_project(project_path)
    root = etree.fromstring(qde)
    sources = [s.get("name") for s in root.iter(f"{{{PROJECT_NS}}}TextSource")]
    public = tagged[~tagged[Col.IS_PRIVATE]]
    coded = public[public[Col.LABELS] != ""]
    assert sorted(sources) == sorted(coded[Col.SOURCE].unique())
    selections = list(root.iter(f"{{{PROJECT_NS}}}PlainTextSelection"))
    assert len(selections) == len(coded)
    codings = list(root.iter(f"{{{PROJECT_NS}}}Coding"))
    assert len(codings) == sum(len(cell.split(";")) for cell in coded[Col.LABELS])
    assert root.get("name") == "Sample webinar"


def test_codebook_groups_are_parent_codes(project_path):
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(project_path).read("project.qde"))
    codes = root.find(f"{{{PROJECT_NS}}}CodeBook/{{{PROJECT_NS}}}Codes")
    book = load_codebook()
    parents = [c for c in codes if c.tag == f"{{{PROJECT_NS}}}Code"]
    assert [p.get("name") for p in parents] == book.groups
    assert {p.get("isCodable") for p in parents} == {"false"}
    principle = parents[0]
    children = [c.get("name") for c in principle if c.tag == f"{{{PROJECT_NS}}}Code"]
    assert children == [book.label(c) for c in book.in_groups(["principle"])]
    assert principle[0].get("guid") == code_guid(book.in_groups(["principle"])[0])


def test_selections_point_at_the_message_text_with_confidence(project_path, tagged):
    from lxml import etree

    archive = zipfile.ZipFile(project_path)
    root = etree.fromstring(archive.read("project.qde"))
    book = load_codebook()
    labels = {code_guid(c): c for c in book.ids}
    public = tagged[~tagged[Col.IS_PRIVATE] & (tagged[Col.LABELS] != "")]
    scores = dict(zip(public[Col.ITEM_ID], public[Col.SCORES], strict=True))
    checked = 0
    for source in root.iter(f"{{{PROJECT_NS}}}TextSource"):
        path = source.get("plainTextPath").removeprefix("internal://")
        text = archive.read(f"sources/{path}").decode("utf-8")
        for selection in source.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            passage = text[start:end]
            assert passage.strip() == passage and passage
            codes = [
                labels[c.find(f"{{{PROJECT_NS}}}CodeRef").get("targetGUID")]
                for c in selection.iter(f"{{{PROJECT_NS}}}Coding")
            ]
            description = selection.find(f"{{{PROJECT_NS}}}Description").text
            first = codes[0]
            score = dict(p.split(":") for p in scores[selection.get("name")].split(";"))
            assert f"{book.label(first)} {float(score[first]):.2f}" in description
            checked += 1
    assert checked == len(public)


def test_round_trip_gives_the_same_texts_and_codes(project_path, tagged):
    from feedback.privacy import Pseudonymiser, learn_people, pseudonymise_items

    project = read_project(project_path)
    pseudonymiser = Pseudonymiser("pseudonym")
    learn_people(pseudonymiser, tagged)
    public = tagged[~tagged[Col.IS_PRIVATE] & (tagged[Col.LABELS] != "")]
    expected = pseudonymise_items(public, pseudonymiser)
    assert [s.text for s in project.selections] == [t.strip() for t in expected[Col.TEXT]]
    assert project.labels == list(expected[Col.LABELS])
    assert project.codebook.ids == load_codebook().ids
    assert project.skipped == []
    # cases are the pseudonymised authors
    assert [s.case for s in project.selections] == list(expected[Col.AUTHOR])


def test_project_holds_no_private_message_and_no_real_name(project_path, tagged):
    archive = zipfile.ZipFile(project_path)
    everything = "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    lowered = everything.lower()
    assert [m for m in PRIVATE_MARKERS if m.lower() in lowered] == []
    authors = sorted(set(tagged[Col.AUTHOR]) - {""})
    assert len(authors) > 20
    assert [a for a in authors if a in everything] == []
    assert "Participant 1" in everything


def test_loader_reads_a_project_as_items(project_path, tmp_path):
    import feedback

    items = feedback.load(project_path)
    project = read_project(project_path)
    assert len(items) == len(project.selections)
    assert set(items[Col.FORMAT]) == {"refi-qda-project"}
    assert list(items[Col.LABELS]) == project.labels
    assert list(items[Col.TEXT]) == project.texts
    result = runner.invoke(app, ["load", str(project_path), "--out", str(tmp_path / "i.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "i.csv", dtype=str, keep_default_na=False)
    assert list(table[Col.LABELS]) == project.labels


def test_codebook_qdc_validates_and_reads_back(tmp_path):
    book = load_codebook()
    path = tmp_path / "book.qdc"
    write_codebook(book, path)
    assert_valid_codebook(path)
    again = load_codebook(path)
    assert again.ids == book.ids
    assert [c.label for c in again.codes] == [c.label for c in book.codes]
    assert [c.group for c in again.codes] == [c.group for c in book.codes]
    assert [c.description for c in again.codes] == [c.description for c in book.codes]


def test_codebook_export_command_and_codebook_option(tmp_path):
    path = tmp_path / "book.qdc"
    result = runner.invoke(app, ["codebook", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert "27 codes" in result.output
    assert_valid_codebook(path)
    again = runner.invoke(app, ["codebook", "export", str(path)])
    assert again.exit_code == 1 and "--force" in again.stderr
    bad = runner.invoke(app, ["codebook", "export", str(tmp_path / "book.txt")])
    assert bad.exit_code == 1 and ".qdc" in bad.stderr
    shown = runner.invoke(app, ["codebook", "show", str(path)])
    assert shown.exit_code == 0 and "27 codes" in shown.output


def test_a_qdc_codebook_trains_and_tags(tmp_path):
    """A .qdc works wherever --codebook does; ids survive even a renamed label."""
    small = TAGGING / "codebook_small.yaml"
    qdc = tmp_path / "small.qdc"
    result = runner.invoke(app, ["codebook", "export", str(qdc), "--codebook", str(small)])
    assert result.exit_code == 0, result.output
    assert_valid_codebook(qdc)
    assert load_codebook(qdc).ids == load_codebook(small).ids
    model = tmp_path / "small.npz"
    labelled = TAGGING / "labelled_small.csv"
    trained = runner.invoke(
        app,
        ["train", str(labelled), "--codebook", str(qdc), "--no-bundled", "--out", str(model)],
    )
    assert trained.exit_code == 0, trained.output
    out = tmp_path / "tagged.csv"
    chat = TAGGING / "zoom_chat.txt"
    tagged = runner.invoke(
        app, ["tag", str(chat), "--model", str(model), "--codebook", str(qdc), "--out", str(out)]
    )
    assert tagged.exit_code == 0, tagged.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    used = {c for cell in table[Col.LABELS] for c in cell.split(";") if c}
    assert used and used <= set(load_codebook(small).ids)
    # --gold also takes a labelled CSV
    out_dir = tmp_path / "eval"
    compared = runner.invoke(
        app,
        ["evaluate", "--gold", str(labelled), "--model", str(model), "--codebook", str(qdc),
         "--out-dir", str(out_dir)],
    )  # fmt: skip
    assert compared.exit_code == 0, compared.output
    table = pd.read_csv(out_dir / "evaluation.csv")
    assert list(table["code"]) == [*load_codebook(small).ids, "micro avg", "macro avg"]
    assert list(table["support"][:4]) == [8, 7, 7, 7]
    assert table["kappa"].between(-1, 1).all()


def test_tag_command_writes_a_valid_project(tmp_path, default_tagger):
    out = tmp_path / "webinar.qdpx"
    result = runner.invoke(app, ["tag", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "REFI-QDA project" in result.output and "12 private messages left out" in result.output
    assert_valid_project(out)
    project = read_project(out)
    assert len(project.selections) > 300


def test_train_and_evaluate_from_a_project(project_path, tmp_path, default_tagger):
    model = tmp_path / "model.npz"
    result = runner.invoke(app, ["train", str(project_path), "--out", str(model), "--no-bundled"])
    assert result.exit_code == 0, result.output
    project = read_project(project_path)
    assert f"{len(project.selections)} coded selections" in result.output
    assert f"trained on {len(project.selections)} comments" in result.output
    out_dir = tmp_path / "eval"
    result = runner.invoke(
        app, ["evaluate", "--gold", str(project_path), "--out-dir", str(out_dir)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out_dir / "evaluation.csv")
    assert list(table.columns) == ["code", "precision", "recall", "f1", "support", "kappa"]
    # the gold coding is the bundled model's own (of the pseudonymised texts): near agreement
    used = table[(table["support"] > 0) & ~table["code"].str.endswith("avg")]
    assert len(used) > 10
    micro = table.set_index("code").loc["micro avg"]
    assert micro["f1"] > 0.97 and micro["kappa"] > 0.97
    assert (used["f1"] > 0.9).all()
    assert (out_dir / "evaluation.png").stat().st_size > 10_000


def test_agreement_table_counts_disagreement(default_tagger):
    texts = ["Could you share the slides please?", "The recording link does not work"]
    predicted = default_tagger.predict_labels(texts)
    flipped = ["" if codes else "social" for codes in predicted]
    table = agreement_table(default_tagger, texts, flipped)
    assert table.loc["micro avg", "f1"] == 0.0
    assert table.loc["micro avg", "kappa"] <= 0.0


def test_cohen_kappa_by_hand():
    # 10 items: both yes 4, both no 3, a yes only 2, b yes only 1
    a = [1] * 4 + [0] * 3 + [1] * 2 + [0]
    b = [1] * 4 + [0] * 3 + [0] * 2 + [1]
    # observed 0.7; expected 0.6*0.5 + 0.4*0.5 = 0.5; kappa = 0.2 / 0.5
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa([0, 0], [0, 0]) == 1.0


def test_slug_ids():
    assert slug_id("Motivation & energy") == "motivation_energy"
    assert slug_id("Über-Thema") == "uber_thema"
    assert slug_id("42") == "c_42"
    assert slug_id("a", taken={"a", "a_2"}) == "a_3"


# -- projects written by other tools ---------------------------------------------------------
G = "{{{:08X}-0000-4000-8000-000000000000}}"


def _guid(n: int) -> str:
    return G.format(n)


INTERVIEW_A = (
    "We never get protected time. The rota has gaps every week. Our regional network helped a lot."
)
HAND_MADE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Evaluation interviews" origin="hand">
  <CodeBook><Codes>
    <Code guid="{_guid(1)}" name="Barriers" isCodable="true">
      <Code guid="{_guid(2)}" name="Time pressure" isCodable="true">
        <Description>No protected time.</Description>
        <Code guid="{_guid(3)}" name="Rota gaps" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="{_guid(4)}" name="Networks" isCodable="true"/>
    <Code guid="{_guid(5)}" name="Not codable" isCodable="false"/>
  </Codes></CodeBook>
  <Cases>
    <Case guid="{_guid(20)}" name="Interviewee A"><SourceRef targetGUID="{_guid(10)}"/></Case>
  </Cases>
  <Sources>
    <TextSource guid="{_guid(10)}" name="Interview A">
      <PlainTextContent>{INTERVIEW_A}</PlainTextContent>
      <PlainTextSelection guid="{_guid(11)}" startPosition="0" endPosition="28">
        <Coding guid="{_guid(12)}"><CodeRef targetGUID="{_guid(2)}"/></Coding>
        <Coding guid="{_guid(13)}"><CodeRef targetGUID="{_guid(1)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{_guid(14)}" startPosition="29" endPosition="58">
        <Coding guid="{_guid(15)}"><CodeRef targetGUID="{_guid(3)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{_guid(16)}" startPosition="59" endPosition="93">
        <Coding guid="{_guid(17)}"><CodeRef targetGUID="{_guid(4)}"/></Coding>
        <Coding guid="{_guid(18)}"><CodeRef targetGUID="{_guid(99)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{_guid(19)}" startPosition="80" endPosition="500">
        <Coding guid="{_guid(21)}"><CodeRef targetGUID="{_guid(4)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{_guid(30)}" name="Interview B" plainTextPath="internal://{_guid(30)[1:-1]}.txt">
      <PlainTextSelection guid="{_guid(31)}" startPosition="4" endPosition="25">
        <Coding guid="{_guid(32)}"><CodeRef targetGUID="{_guid(4)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""


def _hand_made(tmp_path: Path) -> Path:
    path = tmp_path / "interviews.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", HAND_MADE)
        archive.writestr(f"sources/{_guid(30)[1:-1]}.txt", "Ah, peer networks matter.\n")
    return path


def test_hand_made_project_is_valid_and_read_with_nested_codes(tmp_path):
    path = _hand_made(tmp_path)
    schema = _schema("Project.xsd")
    if schema is not None:
        from lxml import etree

        schema.assertValid(etree.fromstring(HAND_MADE.encode()))
    project = read_project(path)
    book = project.codebook
    # "Networks" matches the bundled code by its label and keeps its id
    assert book.ids == ["barriers", "time_pressure", "rota_gaps", "networks"]
    assert [c.group for c in book.codes] == ["Barriers", "Barriers", "Barriers", "theme"]
    assert book["time_pressure"].description == "No protected time."
    assert [(s.source, s.text, s.codes) for s in project.selections] == [
        ("Interview A", "We never get protected time.", ["time_pressure", "barriers"]),
        ("Interview A", "The rota has gaps every week.", ["rota_gaps"]),
        ("Interview A", "Our regional network helped a lot.", ["networks"]),
        ("Interview B", "peer networks matter.", ["networks"]),
    ]
    assert {s.case for s in project.selections[:3]} == {"Interviewee A"}
    reasons = [reason for _, reason in project.skipped]
    assert reasons == [
        "a coding refers to no codable code",
        "positions 80-500 are outside the text of 'Interview A' (93 characters)",
    ]
    items = __import__("feedback").load(path)
    assert len(items) == 4
    assert items.attrs["skipped"][1].startswith("interviews.qdpx:")


def test_unreadable_projects_are_errors_naming_the_file(tmp_path):
    not_zip = tmp_path / "broken.qdpx"
    not_zip.write_bytes(b"PK\x03\x04 nothing")
    with pytest.raises(FormatError, match=r"broken\.qdpx"):
        read_project(not_zip)
    no_qde = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(no_qde, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(FormatError, match=r"empty\.qdpx: the archive holds no project\.qde"):
        read_project(no_qde)
    bad_xml = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad_xml, "w") as archive:
        archive.writestr("project.qde", "<Project>\n<CodeBook>\n</Project>")
    with pytest.raises(FormatError, match=r"bad\.qdpx:project\.qde: line 3: not valid XML"):
        read_project(bad_xml)
    qdc = tmp_path / "bad.qdc"
    qdc.write_text("<Something/>")
    with pytest.raises(CodebookError, match=r"bad\.qdc: expected a REFI-QDA codebook"):
        read_codebook(qdc)
    entity = tmp_path / "entity.qdc"
    entity.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code guid="{_guid(1)[1:-1]}" name="&e;" '
        'isCodable="true"/></Codes></CodeBook>'
    )
    with pytest.raises(CodebookError, match=r"entity\.qdc: line 1: not valid XML"):
        read_codebook(entity)


def test_write_project_needs_a_tagged_table(tmp_path):
    import feedback

    with pytest.raises(FeedbackError, match="tag it before"):
        write_project(feedback.load(SAMPLE / "qa_report.csv"), tmp_path / "x.qdpx", load_codebook())
    assert not (tmp_path / "x.qdpx").exists()


def test_taguette_codebook_is_read(tmp_path):
    """A codebook exported by Taguette (a QDA tool on PyPI) reads as a codebook."""
    export = pytest.importorskip("taguette.export")

    class Tag:
        def __init__(self, path: str) -> None:
            self.path = path

    buffer = io.BytesIO()
    export.codebook_xml([Tag("Networks"), Tag("Time pressure"), Tag("Sustainability")], buffer)
    path = tmp_path / "taguette.qdc"
    path.write_bytes(buffer.getvalue())
    book = load_codebook(path)
    assert book.ids == ["networks", "time_pressure", "sustainability"]
    assert {c.group for c in book.codes} == {"theme"}


def test_qualitative_coding_opens_our_project(project_path, tmp_path, monkeypatch):
    """qualitative-coding (a QDA tool on PyPI) validates and imports our export.

    Its reader checks project.qde against its own copy of the REFI-QDA schema, then
    imports the codebook (as a tree), each text source and the coded lines.
    """
    pytest.importorskip("qualitative_coding.refi_qda.reader")
    import yaml
    from qualitative_coding.corpus import QCCorpus
    from qualitative_coding.refi_qda.reader import REFIQDAReader

    monkeypatch.setenv("PYTHONBREAKPOINT", "0")  # its 1.7.8 reader calls breakpoint()
    destination = tmp_path / "qc"
    destination.mkdir()
    monkeypatch.chdir(destination)  # it writes its settings in the working folder
    reader = REFIQDAReader(str(project_path))
    reader.unpack_project(str(destination))
    book = load_codebook()
    tree = yaml.safe_load((destination / "codebook.yaml").read_text())
    groups = {next(iter(node)): set(next(iter(node.values()))) for node in tree}
    assert groups == {g: {book.label(c) for c in book.in_groups([g])} for g in book.groups}
    imported = sorted(p.name for p in (destination / "corpus").iterdir())
    assert imported == ["meeting_saved_chat.txt", "qa_report.txt", "survey.txt"]
    corpus = QCCorpus(destination / "settings.yaml")
    with corpus.session():
        counts = corpus.count_codes()
    assert set(counts) <= {c.label for c in book.codes} and sum(counts.values()) > 0


def test_a_real_nvivo_export_is_read():
    """The NVivo for Mac project that qualitative-coding ships: nested codes, no codings."""
    reader = pytest.importorskip("qualitative_coding.refi_qda.reader")
    path = Path(reader.__file__).parent / "nvivo_project.qdpx"
    if not path.is_file():
        pytest.skip("qualitative-coding ships no NVivo project in this version")
    project = read_project(path)
    assert project.name == "qc project"
    book = project.codebook
    assert book.ids[:4] == ["rq1_definition", "competencies", "programming", "concepts"]
    assert book["programming"].group == "rq1_definition"  # a third-level code
    assert len(set(book.ids)) == len(book)
    assert project.selections == [] and project.skipped == []
    import feedback

    assert len(feedback.load(path)) == 0
