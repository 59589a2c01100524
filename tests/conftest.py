"""Shared fixtures: paths to hand-made samples and to the real exports in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
SAMPLE = ROOT / "data" / "sample"
REAL = ROOT.parent / "shared" / "fixtures" / "real"


@pytest.fixture
def data_dir() -> Path:
    """Folder of the hand-made test files."""
    return DATA


@pytest.fixture
def real_dir() -> Path:
    """Folder of real exports from public projects; the test is skipped without it."""
    if not REAL.is_dir():
        pytest.skip("../shared/fixtures/real is not available")
    return REAL


@pytest.fixture
def sample_dir() -> Path:
    """The bundled sample webinar."""
    return SAMPLE


def pytest_configure(config) -> None:
    """Keep the model cache of the test run out of the user's home folder."""
    import os
    import tempfile

    if "FEEDBACK_CACHE_DIR" not in os.environ:
        os.environ["FEEDBACK_CACHE_DIR"] = tempfile.mkdtemp(prefix="feedback-test-cache-")


@pytest.fixture(scope="session")
def default_tagger():
    """The default model, trained once per test session (about ten seconds)."""
    from feedback.classifier import default_model

    return default_model()


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory, default_tagger):
    """The report of the bundled sample, built once: (report, output folder)."""
    from feedback.loaders import load_inputs
    from feedback.report import ReportOptions, build_report, write_report

    webinars = load_inputs([SAMPLE])
    report = build_report(webinars, model=default_tagger, options=ReportOptions())
    out = tmp_path_factory.mktemp("sample-report")
    write_report(report, out)
    return report, out
