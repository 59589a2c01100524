"""Tests of feedback.codebook: loading, validation errors (with lines), helpers."""

from __future__ import annotations

import pytest

from feedback.codebook import (
    Code,
    Codebook,
    codebook_from_dict,
    default_codebook_text,
    load_codebook,
    parse_codebook,
)
from feedback.exceptions import CodebookError, FeedbackError

SMALL_IDS = ["failure", "case_studies", "logistics", "social"]

#: A valid two-code codebook; tests break one line of it at a time.
VALID = """\
name: tiny
codes:
  - id: social
    label: Social
    group: other
    phrases: [hello, good morning]
  - id: logistics
    label: Logistics
    group: other
"""


def _error(text: str, *, toml: bool = False) -> str:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "cb.yaml" if not toml else "cb.toml", toml=toml)
    return str(caught.value)


# -- loading --------------------------------------------------------------------------------
def test_default_codebook_loads_with_unique_valid_ids():
    book = load_codebook()
    assert len(book) == len(set(book.ids)) > 20
    for code_id in ("failure", "case_studies", "slides_visuals", "logistics", "social"):
        assert code_id in book
    assert book.source == "codebook.yaml (default)"
    assert all(code.label and code.group for code in book.codes)


def test_default_codebook_text_is_the_yaml_with_comments():
    text = default_codebook_text()
    assert text.startswith("#")
    assert parse_codebook(text).ids == load_codebook().ids


def test_small_yaml_codebook(data_dir):
    book = load_codebook(data_dir / "tagging" / "codebook_small.yaml")
    assert book.ids == SMALL_IDS
    assert book.name == "small-test"
    assert book.version == "2"
    assert book.description == "Four codes for fast tests."
    assert book.groups == ["theme", "request", "other"]
    assert book.in_groups(["other"]) == ["logistics", "social"]
    failure = book["failure"]
    assert failure == Code(
        id="failure",
        label="Learning from failure",
        group="theme",
        description="Permission to fail, stopping what does not work.",
        phrases=("fail", "failure", "stop doing"),
        examples=("We need to be allowed to fail.",),
    )
    assert book.label("case_studies") == "Case studies"
    assert book.label("unknown") == "unknown"
    assert book.group_of("social") == "other"
    assert book.group_of("unknown") == ""
    assert "social" in book and "praise" not in book
    with pytest.raises(KeyError):
        book["praise"]


def test_toml_codebook_equals_the_yaml_one(data_dir):
    yaml_book = load_codebook(data_dir / "tagging" / "codebook_small.yaml")
    toml_book = load_codebook(data_dir / "tagging" / "codebook_small.toml")
    assert toml_book == yaml_book
    assert toml_book.fingerprint() == yaml_book.fingerprint()
    assert toml_book.source.endswith("codebook_small.toml")


def test_round_trip_through_dict_and_yaml(data_dir):
    book = load_codebook(data_dir / "tagging" / "codebook_small.yaml")
    assert codebook_from_dict(book.to_dict()) == book
    assert parse_codebook(book.to_yaml()) == book


def test_fingerprint_changes_with_a_phrase(data_dir):
    book = load_codebook(data_dir / "tagging" / "codebook_small.yaml")
    data = book.to_dict()
    data["codes"][0]["phrases"].append("fail fast")
    assert codebook_from_dict(data).fingerprint() != book.fingerprint()


def test_description_spaces_are_collapsed_and_ids_stripped():
    book = parse_codebook(
        "codes:\n  - id: ' social '\n    label: ' Social '\n    group: other\n"
        "    description: >\n      two\n      lines\n"
    )
    assert book.ids == ["social"]
    assert book["social"].label == "Social"
    assert book["social"].description == "two lines"


# -- validation errors ----------------------------------------------------------------------
def test_valid_text_parses():
    assert parse_codebook(VALID).ids == ["social", "logistics"]


@pytest.mark.parametrize(
    ("second", "key"),
    [
        ("  - label: Logistics\n    group: other\n", "id"),
        ("  - id: logistics\n    group: other\n", "label"),
        ("  - id: logistics\n    label: Logistics\n", "group"),
    ],
)
def test_missing_required_key_names_the_line(second, key):
    first_code = "".join(VALID.splitlines(keepends=True)[:6])
    message = _error(first_code + second)
    assert message == f"cb.yaml: line 7: the code needs a text '{key}'"


def test_empty_label_is_refused():
    message = _error(VALID.replace("label: Social", "label: '  '"))
    assert message == "cb.yaml: line 3: the code needs a text 'label'"


@pytest.mark.parametrize("bad", ["Social", "1social", "social-chat", "social chat", "sociál"])
def test_bad_id_is_refused_with_line(bad):
    message = _error(VALID.replace("id: social", f"id: '{bad}'"))
    assert message.startswith("cb.yaml: line 3: id ")
    assert repr(bad) in message
    assert "lower-case letters, digits and underscores" in message


def test_numeric_id_is_refused():
    message = _error(VALID.replace("id: social", "id: 12"))
    assert message == "cb.yaml: line 3: the code needs a text 'id'"


def test_duplicate_id_names_the_line_of_the_duplicate(data_dir):
    path = data_dir / "tagging" / "codebook_duplicate.yaml"
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 9: duplicate id 'social'")


def test_duplicate_id_names_the_line_of_the_first_use(data_dir):
    with pytest.raises(CodebookError) as caught:
        load_codebook(data_dir / "tagging" / "codebook_duplicate.yaml")
    assert "line 3" in str(caught.value)


def test_unknown_code_key_is_refused():
    message = _error(VALID.replace("    phrases:", "    phrase:"))
    assert message.startswith("cb.yaml: line 3: unknown key(s) ['phrase']")
    assert "'phrases'" in message


def test_unknown_top_level_key_is_refused():
    message = _error("title: tiny\n" + VALID)
    assert message.startswith("cb.yaml: unknown top-level key(s) ['title']")


def test_invalid_yaml_names_the_line(data_dir):
    path = data_dir / "tagging" / "codebook_invalid.yaml"
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == (
        f"{path}: line 7: not valid YAML (mapping values are not allowed here)"
    )


@pytest.mark.parametrize(
    "text",
    ["", "# only a comment\n", "- id: social\n", "codes: []\n", "codes: social\n", "codes:\n"],
)
def test_missing_or_empty_codes_list_is_refused(text):
    message = _error(text)
    assert message.startswith("cb.yaml: ")
    assert "codes" in message


@pytest.mark.parametrize("text", ["{}\n", "[]\n"])
def test_empty_mapping_or_list_is_a_codebook_error(text):
    _error(text)


def test_code_that_is_not_a_mapping_is_refused():
    message = _error("codes:\n  - social\n")
    assert message == "cb.yaml: line 2: each code must be a mapping with id, label and group"


def test_empty_phrase_entry_is_refused():
    message = _error(VALID.replace("[hello, good morning]", "[hello, '']"))
    assert message == "cb.yaml: line 3: 'phrases' of 'social' holds an empty entry"


def test_blank_dash_entry_under_phrases_is_refused():
    text = VALID.replace("[hello, good morning]", "\n      - hello\n      -\n")
    message = _error(text)
    assert message.startswith("cb.yaml: line 3: 'phrases' of 'social'")


def test_phrases_must_be_a_list():
    message = _error(VALID.replace("[hello, good morning]", "hello"))
    assert message == "cb.yaml: line 3: 'phrases' of 'social' must be a list of texts"


def test_empty_example_is_refused():
    message = _error(VALID + "    examples: ['  ']\n")
    assert message == "cb.yaml: line 7: 'examples' of 'logistics' holds an empty entry"


def test_description_must_be_text():
    message = _error(VALID + "    description: [a, b]\n")
    assert message == "cb.yaml: line 7: 'description' of 'logistics' must be text"


def test_toml_errors_name_the_line():
    text = (
        '[[codes]]\nid = "social"\nlabel = "Social"\ngroup = "other"\n\n'
        '[[codes]]\nid = "Logistics"\nlabel = "Logistics"\ngroup = "other"\n'
    )
    message = _error(text, toml=True)
    assert message.startswith("cb.toml: line 6: id 'Logistics'")


def test_invalid_toml_is_refused_with_its_line():
    message = _error('[[codes]]\nid = "social\n', toml=True)
    assert message.startswith("cb.toml: not valid TOML (")
    assert "line 2" in message


def test_toml_inline_codes_fall_back_to_the_code_number():
    message = _error('codes = [{id = "social", label = "Social"}]\n', toml=True)
    assert message == "cb.toml: code 1: the code needs a text 'group'"


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(CodebookError, match="cannot read the codebook"):
        load_codebook(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(VALID.replace("Social", "Soci\xe9t\xe9").encode("latin-1"))
    with pytest.raises(CodebookError, match="must be UTF-8"):
        load_codebook(latin)


def test_codebook_error_is_a_feedback_error():
    assert issubclass(CodebookError, FeedbackError)


def test_codebook_dataclass_helpers():
    book = Codebook(codes=(Code("a", "A", "g1"), Code("b", "B", "g2"), Code("c", "C", "g1")))
    assert book.ids == ["a", "b", "c"]
    assert book.groups == ["g1", "g2"]
    assert book.in_groups(("g1",)) == ["a", "c"]
    assert len(book) == 3
