"""The result store under faults other than a kill: a second writer, a full disk, a write
that fails at each of the store's write points, paths that nobody may write, bad TOML.

Most cases call the command in this process (``govsim.cli.main``), with the store's
``open`` replaced by one that fails where a test wants it; the cases that need a real
second process or a real mount run the command as a subprocess.
"""

import builtins
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from govsim.cli import main
from govsim.experiment import store
from govsim.experiment.lock import FolderLocked, folder_lock, holder
from govsim.experiment.spec import SpecError, load_spec
from govsim.model import CommunityModel

GOVSIM = [sys.executable, "-m", "govsim.cli"]
FAILING_RATE = 0.001
SPEC = f"""
scenario = "baseline"
replicates = 2
steps = 5
seed = 3
residents = 80
[grid]
"dispute.base_rate" = [0.0001, {FAILING_RATE}]
[output]
timeseries = "daily"
"""
RUNS = 8


@contextmanager
def failing_runs():
    """Runs at the higher dispute rate raise, so that half the commit records carry a
    multi-line traceback in a quoted field (where a torn record is hardest to spot)."""
    real = CommunityModel.run_for

    def run_for(self, *args, **kwargs):
        if self.params["dispute.base_rate"] == FAILING_RATE:
            raise RuntimeError("deliberate failure\n  of a run at the higher rate")
        return real(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(CommunityModel, "run_for", run_for)
        yield


def sweep(spec, out, *extra):
    return main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet", *extra])


def tables(folder: Path):
    runs = pd.read_csv(folder / "runs.csv").drop(columns="wall_seconds")
    return runs, (folder / "timeseries.csv").read_bytes()


def assert_same_tables(folder: Path, reference: Path) -> None:
    runs, ts = tables(folder)
    runs_ref, ts_ref = tables(reference)
    pd.testing.assert_frame_equal(runs, runs_ref)
    assert ts == ts_ref
    assert json.loads((folder / "manifest.json").read_text())["complete"]


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture(scope="module")
def spec(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "grid.toml"
    path.write_text(SPEC)
    return path


@pytest.fixture(scope="module")
def uninterrupted(spec, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full") / "out"
    assert sweep(spec, out) == 0
    return out


@pytest.fixture(scope="module")
def uninterrupted_with_failures(spec, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full-failing") / "out"
    with failing_runs():
        assert sweep(spec, out) == 1
    return out


@pytest.fixture
def failures():
    with failing_runs():
        yield


# -- disks that fail ---------------------------------------------------------------------
class _Failing:
    """A file whose next write puts in part of its data and then fails with ``err``: up
    to its first inner newline (for a commit record of a failed run, that is inside the
    quoted traceback; for a time-series block, a whole first row) or else half of it."""

    def __init__(self, fh, err: int):
        self._fh, self._err = fh, err

    def write(self, data):
        data = bytes(data) if isinstance(data, memoryview) else data
        newline = data.find(b"\n" if isinstance(data, bytes) else "\n")
        cut = newline + 1 if 0 <= newline < len(data) - 1 else len(data) // 2
        self._fh.write(data[:cut])
        self._fh.flush()
        raise OSError(self._err, os.strerror(self._err))

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


class FailOnce:
    """``open`` for the store: the ``k``-th opening for writing of a file called ``name``
    gives a file whose first write fails."""

    def __init__(self, name: str, k: int, err: int = errno.ENOSPC):
        self.name, self.k, self.err, self.calls = name, k, err, 0

    def __call__(self, file, mode="r", *args, **kwargs):
        fh = builtins.open(file, mode, *args, **kwargs)
        if Path(file).name == self.name and ("w" in mode or "a" in mode):
            self.calls += 1
            if self.calls == self.k:
                return _Failing(fh, self.err)
        return fh


class _Metered:
    def __init__(self, fh, disk):
        self._fh, self._disk = fh, disk

    def write(self, data):
        data = bytes(data) if isinstance(data, memoryview) else data
        size = len(data.encode() if isinstance(data, str) else data)
        if size <= self._disk.free:
            self._disk.free -= size
            return self._fh.write(data)
        part = data[:self._disk.free]
        self._disk.free = 0
        self._fh.write(part)
        self._fh.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


class FullDisk:
    """``open`` for the store on a disk with ``free`` bytes left: the write that would
    pass them puts in what fits and then fails with ENOSPC, as a real disk does."""

    def __init__(self, free: int):
        self.free = free

    def __call__(self, file, mode="r", *args, **kwargs):
        fh = builtins.open(file, mode, *args, **kwargs)
        return _Metered(fh, self) if ("w" in mode or "a" in mode) else fh


def committed_runs(message: str) -> int:
    part = next(p for p in message.split("; ") if p.endswith(" runs are committed"))
    done, _, total = part.split()[:3]
    assert int(total) == RUNS
    return int(done)


def test_a_full_disk_ends_in_one_line_with_status_3_and_a_folder_that_resumes(
        spec, uninterrupted_with_failures, failures, tmp_path, monkeypatch, capsys):
    uninterrupted = uninterrupted_with_failures
    out = tmp_path / "out"
    full_size = sum((uninterrupted / f).stat().st_size for f in store.RESULT_FILES)
    monkeypatch.setattr(store, "open", FullDisk(full_size // 2), raising=False)
    assert sweep(spec, out) == 3
    line = one_line(capsys)
    assert line.startswith(f"govsim: error: no space left on the device holding {out}; ")
    assert line.endswith("free space and rerun with --resume")
    done = committed_runs(line)
    assert 0 < done < RUNS
    # the tables hold exactly the committed runs, whole: nothing a resume would keep
    assert len(pd.read_csv(out / "runs.csv")) == done
    assert (out / "runs.csv").read_bytes().endswith(b"\n")
    assert not json.loads((out / "manifest.json").read_text())["complete"]
    monkeypatch.undo()
    assert sweep(spec, out, "--resume") == 1
    assert_same_tables(out, uninterrupted)


# each write point of the store, failing in turn: (file opened for writing, which opening)
WRITE_POINTS = {
    "time series rows": ("timeseries.csv", 3),     # the third run's block
    "commit row": ("runs.csv", 6),                 # a failed run's row (a traceback)
    "manifest": (".manifest.json.tmp", 2),         # the final one, after the tables
    "canonical runs.csv": (".runs.csv.tmp", 2),    # 1: the header, 2: the final rewrite
    "canonical timeseries.csv": (".timeseries.csv.tmp", 2),
}


# and the appends once more on a device that cannot even cut their torn bytes off
CASES = [(point, False) for point in WRITE_POINTS] + [("time series rows", True),
                                                       ("commit row", True)]


@pytest.mark.parametrize("point,cut_fails", CASES,
                         ids=[p + (", torn bytes stay" if c else "") for p, c in CASES])
def test_each_write_point_failing_leaves_a_folder_that_resumes_to_the_same_tables(
        point, cut_fails, spec, uninterrupted_with_failures, failures, tmp_path,
        monkeypatch, capsys):
    uninterrupted = uninterrupted_with_failures
    name, k = WRITE_POINTS[point]
    out = tmp_path / "out"
    monkeypatch.setattr(store, "open", FailOnce(name, k), raising=False)
    if cut_fails:
        def refuse(*args):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        monkeypatch.setattr(store.os, "truncate", refuse)
    assert sweep(spec, out) == 3
    line = one_line(capsys)
    assert f"no space left on the device holding {out}" in line and "--resume" in line
    assert not json.loads((out / "manifest.json").read_text())["complete"]
    done = committed_runs(line)
    if not cut_fails:
        assert len(pd.read_csv(out / "runs.csv")) == done
    monkeypatch.undo()
    assert sweep(spec, out, "--resume") == 1
    assert_same_tables(out, uninterrupted)
    assert not list(out.glob(".*.tmp"))


def test_a_failing_first_manifest_says_to_rerun_and_a_rerun_succeeds(
        spec, uninterrupted, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.setattr(store, "open", FailOnce(".manifest.json.tmp", 1, errno.EACCES),
                        raising=False)
    assert sweep(spec, out) == 3
    line = one_line(capsys)
    assert f"permission to write in {out} was lost; 0 of {RUNS} runs" in line
    assert line.endswith("restore it and rerun")
    monkeypatch.undo()
    assert sweep(spec, out) == 0
    assert_same_tables(out, uninterrupted)


def test_compare_that_cannot_write_its_effects_resumes_to_write_them(tmp_path, monkeypatch,
                                                                     capsys):
    out = tmp_path / "cmp"
    args = ["compare", "baseline", "--replicates", "2", "--steps", "3", "--residents", "60",
            "--workers", "1", "--quiet", "--out", str(out)]

    def no_space(*a, **kw):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(pd.DataFrame, "to_csv", no_space)
    assert main(args) == 3
    monkeypatch.undo()
    line = one_line(capsys)
    assert f"holding {out}; 4 of 4 runs are committed; free space and rerun with --resume" \
        in line
    assert not (out / "effects.csv").exists()
    assert main([*args, "--resume"]) == 0
    assert len(pd.read_csv(out / "effects.csv")) > 0 and (out / "effects.png").is_file()


def test_run_reports_a_failed_write_in_one_line_and_leaves_no_file(tmp_path, monkeypatch,
                                                                   capsys):
    out = tmp_path / "a.csv"

    def no_space(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "replace", no_space)
    assert main(["run", "baseline", "--steps", "2", "--residents", "60", "--out",
                 str(out)]) == 3
    monkeypatch.undo()
    line = one_line(capsys)
    assert f"no space left on the device holding {tmp_path}; {out} was not written" in line
    assert list(tmp_path.iterdir()) == []


# -- one writer per folder ---------------------------------------------------------------
def test_a_second_writer_is_refused_and_the_first_finishes_as_if_alone(
        spec, uninterrupted, tmp_path, capsys):
    out = tmp_path / "out"
    first = subprocess.Popen([*GOVSIM, "sweep", str(spec), "--out", str(out), "--workers",
                              "1", "--quiet"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while holder(out) != first.pid and first.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    # hold the first still while the others try, so that the test cannot race it
    first.send_signal(signal.SIGSTOP)
    try:
        assert holder(out) == first.pid
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        for extra in (["--resume"], ["--force"], []):
            assert sweep(spec, out, *extra) == 2
            line = one_line(capsys)
            assert f"{out} is being written by another govsim process (PID {first.pid})" \
                in line
        assert main(["compare", "baseline", "--replicates", "2", "--steps", "3",
                     "--residents", "60", "--workers", "1", "--quiet", "--force",
                     "--out", str(out)]) == 2
        assert f"PID {first.pid}" in one_line(capsys)
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    finally:
        first.send_signal(signal.SIGCONT)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert_same_tables(out, uninterrupted)
    assert holder(out) is None  # the kernel released the lock with the process


def test_another_thread_of_the_same_process_is_refused(tmp_path):
    refused = []

    def second():
        try:
            with folder_lock(tmp_path):
                pass
        except FolderLocked as exc:
            refused.append(str(exc))

    with folder_lock(tmp_path), folder_lock(tmp_path):  # re-entrant in one thread
        thread = threading.Thread(target=second)
        thread.start()
        thread.join()
    assert refused and f"PID {os.getpid()}" in refused[0]
    assert holder(tmp_path) is None


# -- paths that cannot be written, even by root ------------------------------------------
def test_paths_that_nobody_may_write_are_bad_input(spec, tmp_path, capsys):
    regular = tmp_path / "file.txt"
    regular.write_text("precious")
    for target in (Path("/proc/govsim-x.csv"), regular / "x.csv"):
        assert main(["run", "baseline", "--steps", "2", "--residents", "60", "--out",
                     str(target)]) == 2
        assert f"cannot write {target}" in one_line(capsys)
    for target in (Path("/proc/govsim-x"), regular / "x"):
        assert sweep(spec, target) == 2
        assert str(target) in one_line(capsys)
    assert regular.read_text() == "precious" and list(tmp_path.iterdir()) == [regular]


def _in_own_mount_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``script`` (sh) where it may mount file systems that no one else sees and that
    vanish with it; skip when the system allows no such namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not available")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs tmpfs {tmp_path}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mounting in a user namespace is not allowed here")
    return subprocess.run(["unshare", "-rm", "sh", "-ec", script], capture_output=True,
                          text=True, timeout=600)


def test_a_read_only_mount_is_bad_input_for_run_and_sweep(spec, tmp_path):
    mnt = tmp_path / "ro"
    mnt.mkdir()
    code = textwrap.dedent(f"""
        from govsim.cli import main
        print(main(["run", "baseline", "--steps", "2", "--residents", "60",
                    "--out", "{mnt}/x.csv"]))
        print(main(["sweep", "{spec}", "--out", "{mnt}/o", "--workers", "1"]))
    """)
    r = _in_own_mount_namespace(f"mount -t tmpfs -o ro tmpfs {mnt}\n"
                                f"{sys.executable} -c '{code}'", mnt)
    assert r.stdout.split() == ["2", "2"], (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in r.stderr, r.stderr
    assert f"cannot write {mnt}/x.csv" in lines[0] and f"{mnt}/o" in lines[1]


def test_a_really_full_tmpfs_ends_with_status_3_and_resumes_when_space_returns(
        spec, uninterrupted, tmp_path):
    mnt, copy = tmp_path / "small", tmp_path / "copy"
    mnt.mkdir()
    # room for the lock file, the manifest and its copy aside (a page each), the side file
    # of every resolved parameter (written whole before the runs), and about half the
    # tables
    tables_size = sum((uninterrupted / f).stat().st_size
                      for f in ("runs.csv", "timeseries.csv"))
    params_pages = -(-(uninterrupted / "parameters.csv").stat().st_size // 4096)
    size = (3 + params_pages) * 4096 + tables_size // 2
    code = textwrap.dedent(f"""
        import subprocess
        from govsim.cli import main
        print("status", main(["sweep", "{spec}", "--out", "{mnt}/o", "--workers", "1",
                              "--quiet"]))
        subprocess.run(["mount", "-o", "remount,size=4m", "{mnt}"], check=True)
        print("status", main(["sweep", "{spec}", "--out", "{mnt}/o", "--workers", "1",
                              "--quiet", "--resume"]))
    """)
    r = _in_own_mount_namespace(f"mount -t tmpfs -o size={size} tmpfs {mnt}\n"
                                f"{sys.executable} -c '{code}'\n"
                                f"cp -r {mnt}/o {copy}", mnt)
    statuses = [line.split()[1] for line in r.stdout.splitlines()
                if line.startswith("status")]
    assert statuses == ["3", "0"], (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    line = r.stderr.strip()
    assert "\n" not in line, r.stderr
    assert line.startswith(f"govsim: error: no space left on the device holding {mnt}/o")
    assert 0 < committed_runs(line) < RUNS, line
    assert_same_tables(copy, uninterrupted)


# -- bad TOML ----------------------------------------------------------------------------
def test_toml_that_ends_inside_an_array_names_the_last_line(tmp_path):
    path = tmp_path / "open.toml"
    path.write_text('scenario = "baseline"\nsteps = 3\nreplicates = [\n\n')
    with pytest.raises(SpecError, match=r"bad TOML: .*at line 3, the end of the file"):
        load_spec(path)
