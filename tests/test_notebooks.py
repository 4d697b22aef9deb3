"""Every notebook runs headless from top to bottom at a small size, without errors, and
shows its figures as images."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")

from tests.run_notebook import LOST_REPLY  # noqa: E402

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


RUNNER = Path(__file__).parent / "run_notebook.py"
#: a healthy run takes 10-30 s at the test size when the machine is idle, and two to three
#: times that beside a statistical test on the other worker; a run this long is a kernel
#: that lost a message
ATTEMPT_SECONDS = 150
ATTEMPTS = 3


def execute(path: Path, tmp_path: Path):
    """Run a notebook in its own process; a run that hangs is stopped and tried again.

    Headless Jupyter execution can wait forever when a reply from the kernel is lost
    (reported for nbclient with jupyter_client 8, nbclient#272; seen here about once in
    a few dozen runs, with the kernel idle). That says nothing about the notebook, so the
    run is repeated in a fresh process and kernel, up to ``ATTEMPTS`` times; an error in
    a cell fails at once.
    """
    out = tmp_path / path.name
    for _ in range(ATTEMPTS):
        try:
            done = subprocess.run([sys.executable, str(RUNNER), str(path), str(out),
                                   str(tmp_path)], capture_output=True, text=True,
                                  timeout=ATTEMPT_SECONDS)
        except subprocess.TimeoutExpired:
            done = None
        if done is not None and done.returncode != LOST_REPLY:
            assert done.returncode == 0, done.stderr[-3000:]
            return nbformat.read(out, as_version=4)
    pytest.fail(f"{path.name} hung {ATTEMPTS} times")


# one worker runs every notebook in turn (make test uses --dist loadgroup)
@pytest.mark.xdist_group("notebooks")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(path, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_NOTEBOOK_RESIDENTS", "300")
    monkeypatch.setenv("GOVSIM_NOTEBOOK_DAYS", "40")
    monkeypatch.setenv("GOVSIM_NOTEBOOK_REPLICATES", "2")
    # the foundation explorer runs at least 240 days unless told otherwise: not in a test
    monkeypatch.setenv("GOVSIM_NOTEBOOK_FOUNDATION_DAYS", "40")
    # the inline backend, as in Jupyter: figures become PNG outputs (Agg would leave text)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for cell in nbformat.read(path, as_version=4).cells:
        assert not cell.get("outputs"), f"{path.name} is committed with outputs"
    nb = execute(path, tmp_path)
    assert any(cell.get("outputs") for cell in nb.cells)
    images = [out for cell in nb.cells for out in cell.get("outputs", [])
              if "image/png" in out.get("data", {})]
    assert images, f"{path.name} shows no figure"
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            if out.get("output_type") == "stream":
                assert out.get("name") != "stderr" or "Warning" not in out.get("text", ""), \
                    out["text"]
