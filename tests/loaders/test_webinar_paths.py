"""Paths given to the webinar loaders: one string is one path, never its letters."""

from __future__ import annotations

from feedback.loaders import load_inputs, load_webinar
from feedback.loaders.webinar import as_path_list


def test_a_single_string_is_one_path(sample_dir):
    qa = sample_dir / "qa_report.csv"
    webinar = load_webinar(str(qa))
    assert [f.path.name for f in webinar.files] == ["qa_report.csv"]
    (from_list,) = load_inputs([qa])
    (from_string,) = load_inputs(str(qa))
    assert len(from_string.items) == len(from_list.items) == len(webinar.items) > 0


def test_as_path_list_keeps_lists_and_wraps_single_paths(sample_dir):
    assert as_path_list(sample_dir) == [sample_dir]
    assert as_path_list(str(sample_dir)) == [sample_dir]
    assert as_path_list([str(sample_dir), sample_dir]) == [sample_dir, sample_dir]
