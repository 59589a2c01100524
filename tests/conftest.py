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
