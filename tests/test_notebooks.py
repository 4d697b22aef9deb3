"""Every notebook runs headless from top to bottom at a small size, without errors."""

import os
from pathlib import Path

import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(path, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_NOTEBOOK_RESIDENTS", "300")
    monkeypatch.setenv("GOVSIM_NOTEBOOK_DAYS", "40")
    monkeypatch.setenv("GOVSIM_NOTEBOOK_REPLICATES", "2")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert not cell.get("outputs"), f"{path.name} is committed with outputs"
    client = nbclient.NotebookClient(nb, timeout=600, startup_timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            if out.get("output_type") == "stream":
                assert out.get("name") != "stderr" or "Warning" not in out.get("text", ""), \
                    out["text"]
    assert os.environ.get("GOVSIM_NOTEBOOK_RESIDENTS") == "300"
