"""Every notebook in notebooks/ runs from top to bottom, so none of them rots.

Notebooks are committed without outputs (they may show real names when run on
real exports); each is executed here in a fresh ``python3`` kernel, from the
notebooks folder, and must finish without an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_exploration_notebook_exists():
    assert NOTEBOOKS / "01-explore-webinar.ipynb" in PATHS


def test_the_own_files_notebook_exists_and_uses_the_api():
    import nbformat

    path = NOTEBOOKS / "02-your-own-exports.ipynb"
    assert path in PATHS
    code = "\n".join(
        c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
    )
    for call in ("feedback.load(", "feedback.tag(", "feedback.report(", ".write("):
        assert call in code


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_is_saved_without_outputs(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell was saved with its output"
            assert cell.execution_count is None


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_runs(path, default_tagger):
    # default_tagger: the session's model is trained (and cached in FEEDBACK_CACHE_DIR,
    # which the kernel inherits) before the notebook asks for it.
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == "error"
    ]
    assert errors == []
    assert all(c.execution_count for c in notebook.cells if c.cell_type == "code")
    if path.name == "02-your-own-exports.ipynb":
        _check_own_files_notebook(notebook)
        return
    if path.name != "01-explore-webinar.ipynb":
        return
    # The exploration notebook draws its two charts.
    images = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert len(images) == 2


def _check_own_files_notebook(notebook) -> None:
    """The API notebook shows the report's inline preview, a chart, and writes its files."""
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    previews = [o for o in outputs if "feedback-report" in o.get("data", {}).get("text/html", "")]
    assert len(previews) == 1
    assert previews[0]["data"]["text/html"].count("data:image/png;base64,") >= 3
    assert any("image/png" in o.get("data", {}) for o in outputs)
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "private messages excluded" in printed
    assert "an Excel workbook of" in printed and "a REFI-QDA project:" in printed
    assert "coded passages, 27 codes" in printed
