"""The experiment layer: compare, sweeps, executors, faults, resume and bad specs."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import govsim
from govsim.experiment import replicate_seeds, run_id

DATA = Path(__file__).parent / "data"
GOVSIM = [sys.executable, "-m", "govsim.cli"]


def govsim_cli(*args, **kw):
    return subprocess.run([*GOVSIM, *args], capture_output=True, text=True, timeout=600,
                          **kw)


def write_spec(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


GRID = """
scenario = "baseline"
replicates = 2
steps = 12
seed = 5
residents = 200
[grid]
"dispute.base_rate" = [0.0001, 0.001]
[output]
timeseries = 3
"""


def tables(folder: Path):
    runs = pd.read_csv(folder / "runs.csv").drop(columns="wall_seconds")
    return runs, (folder / "timeseries.csv").read_bytes()


def test_seeds_depend_only_on_the_master_seed_and_the_replicate():
    assert replicate_seeds(3, 4) == replicate_seeds(3, 4)
    assert replicate_seeds(3, 2) == replicate_seeds(3, 4)[:2]
    assert len(set(replicate_seeds(3, 50))) == 50
    a = run_id("s", "baseline", {"x": 1.0}, 0, 7)
    assert a == run_id("s", "baseline", {"x": 1.0}, 0, 7)
    assert a != run_id("s", "intervention", {"x": 1.0}, 0, 7)


def test_compare_of_identical_arms_gives_exact_zeros_and_all_files(tmp_path):
    out = tmp_path / "cmp"
    r = govsim_cli("compare", "baseline", "--replicates", "3", "--steps", "15",
                   "--residents", "200", "--workers", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    for name in ("runs.csv", "timeseries.csv", "effects.csv", "manifest.json",
                 "effects.png", "timeseries.png"):
        assert (out / name).is_file(), name
    eff = pd.read_csv(out / "effects.csv")
    assert list(eff.columns) == ["outcome", "baseline_mean", "intervention_mean",
                                 "diff_mean", "ci_low", "ci_high", "rel_change", "n_pairs",
                                 "p_value", "p_holm", "ci", "better", "rel_improvement",
                                 "verdict", "primary"]
    assert (eff["diff_mean"] == 0).all() and (eff["n_pairs"] == 3).all()
    assert "conflict_rate" in r.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and manifest["runs_done"] == 6
    assert manifest["packages"]["mesa"].startswith("3.")
    runs = pd.read_csv(out / "runs.csv")
    assert {"dispute.base_rate", "conflict_rate_mean", "conflict_rate_final"} <= set(runs)
    # a compare into an occupied folder is refused and leaves it untouched
    before = (out / "runs.csv").read_bytes()
    r = govsim_cli("compare", "baseline", "--replicates", "3", "--steps", "15",
                   "--out", str(out))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "already holds results" in r.stderr
    assert (out / "runs.csv").read_bytes() == before


def test_python_compare_and_sweep_return_dataframes(tmp_path):
    eff = govsim.compare("baseline", replicates=2, steps=8, residents=150, workers=1,
                         out=tmp_path / "c", figures=False)
    assert isinstance(eff, pd.DataFrame) and (eff["diff_mean"] == 0).all()
    spec = write_spec(tmp_path / "g.toml", GRID)
    runs = govsim.sweep(spec, out=tmp_path / "s", workers=1)
    assert len(runs) == 2 * 2 * 2 and (runs["status"] == "done").all()


def test_serial_process_pool_and_dask_give_identical_tables(tmp_path):
    pytest.importorskip("distributed")
    spec = write_spec(tmp_path / "g.toml", GRID)
    outs = {}
    for name, extra in (("serial", ["--workers", "1"]), ("pool", ["--workers", "2"]),
                        ("dask", ["--scheduler", "local", "--workers", "2"])):
        out = tmp_path / name
        r = govsim_cli("sweep", str(spec), "--out", str(out), "--quiet", *extra)
        assert r.returncode == 0, r.stderr
        outs[name] = tables(out)
    runs0, ts0 = outs["serial"]
    for name in ("pool", "dask"):
        runs, ts = outs[name]
        pd.testing.assert_frame_equal(runs, runs0)
        assert ts == ts0
    assert (tmp_path / "serial" / "runs.csv").read_text().count("\n") == 9


def test_a_failing_run_is_recorded_and_the_sweep_finishes(tmp_path):
    spec = write_spec(tmp_path / "f.toml", f"""
scenario = "{DATA / 'faulty.py'}"
arms = ["baseline"]
replicates = 2
steps = 6
[grid]
"fault.day" = [0, 3]
""")
    out = tmp_path / "f"
    r = govsim_cli("sweep", str(spec), "--out", str(out), "--workers", "2")
    assert r.returncode == 1
    assert "2 run(s) failed" in r.stderr
    runs = pd.read_csv(out / "runs.csv")
    assert list(runs["status"]) == ["done", "done", "failed", "failed"]
    assert runs.loc[2, "error"].startswith("Traceback")
    assert "deliberate failure on day 3" in runs.loc[2, "error"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs_failed"] == 2 and manifest["runs_done"] == 2


def test_a_sweep_killed_midway_resumes_to_the_uninterrupted_tables(tmp_path):
    spec = Path(__file__).parent.parent / "examples" / "baseline_grid.toml"
    full = tmp_path / "full"
    r = govsim_cli("sweep", str(spec), "--out", str(full), "--workers", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    part = tmp_path / "part"
    proc = subprocess.Popen([*GOVSIM, "sweep", str(spec), "--out", str(part), "--workers",
                             "1", "--quiet"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    runs_file = part / "runs.csv"
    deadline = time.time() + 300
    while time.time() < deadline:
        if runs_file.exists() and runs_file.read_text().count("\n") >= 12:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = runs_file.read_text().count("\n") - 1
    assert 10 <= done_before < 40
    manifest = json.loads((part / "manifest.json").read_text())
    assert not manifest["complete"]
    # without --resume the folder is refused
    r = govsim_cli("sweep", str(spec), "--out", str(part))
    assert r.returncode == 2 and "--resume" in r.stderr
    r = govsim_cli("sweep", str(spec), "--out", str(part), "--resume", "--workers", "2",
                   "--quiet")
    assert r.returncode == 0, r.stderr
    runs_full, ts_full = tables(full)
    runs_part, ts_part = tables(part)
    pd.testing.assert_frame_equal(runs_part, runs_full)
    assert ts_part == ts_full
    assert runs_part["run_id"].is_unique and len(runs_part) == 40


def test_resume_drops_a_torn_row_and_orphaned_time_series(tmp_path):
    spec = write_spec(tmp_path / "g.toml", GRID)
    full, part = tmp_path / "full", tmp_path / "part"
    assert govsim_cli("sweep", str(spec), "--out", str(full), "--workers", "1").returncode == 0
    assert govsim_cli("sweep", str(spec), "--out", str(part), "--workers", "1").returncode == 0
    # simulate a crash: the last run's commit record is torn, its time series orphaned
    text = (part / "runs.csv").read_text()
    (part / "runs.csv").write_text(text[: len(text) - 40])
    manifest = json.loads((part / "manifest.json").read_text())
    manifest["complete"] = False
    (part / "manifest.json").write_text(json.dumps(manifest))
    r = govsim_cli("sweep", str(spec), "--out", str(part), "--resume", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert tables(part)[1] == tables(full)[1]
    pd.testing.assert_frame_equal(tables(part)[0], tables(full)[0])


def test_resume_refuses_tables_written_with_other_columns(tmp_path):
    """Results of another govsim version (here: a measure it did not have) are not
    appended to, which would misalign every later row; nothing is changed."""
    spec = write_spec(tmp_path / "g.toml", GRID)
    out = tmp_path / "out"
    assert govsim_cli("sweep", str(spec), "--out", str(out), "--workers", "1").returncode == 0
    runs = (out / "runs.csv").read_text()
    header, _, body = runs.partition("\n")
    old_header = ",".join(c for c in header.split(",") if not c.startswith("clustering_"))
    (out / "runs.csv").write_text(f"{old_header}\n{body}")
    before = {f: (out / f).read_bytes() for f in ("runs.csv", "timeseries.csv")}
    r = govsim_cli("sweep", str(spec), "--out", str(out), "--resume", "--workers", "1")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "clustering_final" in r.stderr
    assert "Traceback" not in r.stderr
    assert {f: (out / f).read_bytes() for f in before} == before


@pytest.mark.parametrize("text,expected", [
    ('scenario = "baseline"\nreplicates = 2\nsteps = = 3\n', "line 3"),
    ('scenario = "baseline"\nreplicate = 2\n', "unknown key 'replicate'"),
    ('scenario = "baseline"\n[grid]\n"dispute.base_rat" = [0.1]\n', "did you mean"),
    ('scenario = "baseline"\nsteps = "ten"\n', "'steps' must be an integer"),
    ('scenario = "baseline"\n[grid]\n"dispute.base_rate" = []\n', "is empty"),
    ('scenario = "baseline"\n[grid]\n', "[grid] is empty"),
    ('scenario = "baseline"\n[grid]\n"dispute.base_rate" = [2.0]\n', "must be in [0, 1]"),
    ('scenario = "nosuch"\n', "unknown scenario"),
    ('scenario = "baseline"\n[sample]\nmethod = "grid"\nn = 2\n', "'lhs' or 'sobol'"),
])
def test_malformed_specs_are_refused_in_one_line(tmp_path, text, expected):
    spec = write_spec(tmp_path / "bad.toml", text)
    r = govsim_cli("sweep", str(spec), "--out", str(tmp_path / "o"))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines
    assert not (tmp_path / "o").exists()


def test_an_unreachable_scheduler_is_bad_input(tmp_path):
    pytest.importorskip("distributed")
    spec = write_spec(tmp_path / "g.toml", GRID)
    r = govsim_cli("sweep", str(spec), "--out", str(tmp_path / "o"), "--scheduler",
                   "tcp://127.0.0.1:9")
    assert r.returncode == 2 and "cannot reach" in r.stderr


def test_latin_hypercube_points_cover_their_ranges():
    from govsim.experiment.spec import spec_from_dict
    spec = spec_from_dict({"scenario": "baseline", "sample": {
        "method": "lhs", "n": 10, "seed": 3,
        "ranges": {"dispute.base_rate": [0.0, 0.001], "community.residents": [100, 300]}}})
    points = spec.points()
    assert len(points) == 10
    rates = sorted(p["dispute.base_rate"] for p in points)
    # one point in each tenth of the range: the defining property of a Latin hypercube
    assert [int(r / 0.0001) for r in rates] == list(range(10))
    assert all(isinstance(p["community.residents"], int) for p in points)


def test_plot_draws_the_figures_of_a_folder(tmp_path):
    spec = write_spec(tmp_path / "g.toml", GRID)
    out = tmp_path / "s"
    assert govsim_cli("sweep", str(spec), "--out", str(out), "--workers", "1").returncode == 0
    r = govsim_cli("plot", str(out), "--outcome", "conflicts", "--out", str(tmp_path / "p.png"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "p.png").stat().st_size > 1000
    r = govsim_cli("plot", str(out), "--outcome", "conflictz")
    assert r.returncode == 2 and "did you mean" in r.stderr
    r = govsim_cli("plot", str(tmp_path))
    assert r.returncode == 2
