"""Calibration (ABC-SMC, govsim calibrate): recovery, resume, bad specs, shipped fits and
posterior draws in paired comparisons."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govsim.cli import main
from govsim.experiment.calibration import calibrate, posterior_draws, simulate
from govsim.experiment.calibspec import calibration_from_dict, load_calibration

ROOT = Path(__file__).resolve().parents[1]

TINY = """\
scenario = "baseline"
residents = 60
steps = 12
warmup = 2
seed = 5

[prior]
"community.homophily" = [0.0, 0.95]

[[target]]
measure = "bridging_share"
observed = 0.3
tolerance = 0.05
source = "a test value"

[budget]
population = 8
generations = 3
check_replicates = 2
"""


def _write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("change, message", [
    (('"community.homophily" = [0.0, 0.95]', '"community.homophilly" = [0.0, 0.95]'),
     "unknown parameter 'community.homophilly'"),
    (('measure = "bridging_share"', 'measure = "bridging_shares"'),
     "'bridging_shares' names no measure"),
    (('"community.homophily" = [0.0, 0.95]', '"community.homophily" = [0.5, 0.5]'),
     "empty range"),
    (('source = "a test value"\n', ''), "missing 'source'"),
])
def test_bad_calibration_spec_exits_2_with_one_line(tmp_path, capsys, change, message):
    path = _write(tmp_path, TINY.replace(*change))
    out = tmp_path / "out"
    assert main(["calibrate", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "(line " in err        # the TOML line that is wrong
    assert not out.exists()


def test_parameter_recovery_covers_the_true_values(tmp_path):
    """Targets simulated at known values; the posterior's 90% intervals cover them."""
    truth = {"community.homophily": 0.6, "residents.legitimacy_established": 0.45}
    data = {"scenario": "baseline", "residents": 80, "steps": 6, "seed": 11,
            "prior": {"community.homophily": [0.0, 0.95],
                      "residents.legitimacy_established": [0.1, 0.9]},
            "target": [{"measure": "bridging_share", "observed": 0.0, "tolerance": 0.04,
                        "source": "simulated at known values"},
                       {"measure": "legitimacy_mean", "observed": 0.0, "tolerance": 0.02,
                        "source": "simulated at known values"}],
            "budget": {"population": 24, "generations": 3, "check_replicates": 2}}
    spec = calibration_from_dict(data)
    runs = [simulate(spec, truth, seed) for seed in (101, 102, 103, 104)]
    for t in data["target"]:
        name = f"{t['measure']}_mean"
        t["observed"] = float(np.mean([r[name] for r in runs]))
    spec = calibration_from_dict(data)
    result = calibrate(spec, tmp_path / "out")
    summary = result.summary.set_index("parameter")
    for key, value in truth.items():
        assert summary.loc[key, "q05"] <= value <= summary.loc[key, "q95"], summary
    # the posterior is narrower than the prior: the targets carry information
    width = summary["q95"] - summary["q05"]
    assert (width < 0.75 * (summary["prior_high"] - summary["prior_low"])).all(), summary
    assert set(result.fit["target"]) == {"bridging_share_mean", "legitimacy_mean_mean"}


def test_killed_calibration_resumes_to_the_same_generations(tmp_path):
    spec = _write(tmp_path, TINY.replace("generations = 3", "generations = 4"))
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert main(["calibrate", str(spec), "--out", str(whole), "--quiet"]) == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from govsim.cli import main; "
         f"sys.exit(main(['calibrate', {str(spec)!r}, '--out', {str(killed)!r}, "
         "'--quiet']))"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    try:
        while time.time() < deadline and proc.poll() is None:
            try:
                done = json.loads((killed / "manifest.json").read_text())["generations"]
            except (OSError, ValueError, KeyError):
                done = 0
            if done >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the calibration finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    interrupted = json.loads((killed / "manifest.json").read_text())
    assert not interrupted["complete"] and interrupted["generations"] < 4
    assert main(["calibrate", str(spec), "--out", str(killed), "--quiet"]) == 2  # occupied
    assert main(["calibrate", str(spec), "--out", str(killed), "--resume", "--quiet"]) == 0
    a = json.loads((whole / "manifest.json").read_text())
    b = json.loads((killed / "manifest.json").read_text())
    assert b["complete"] and a["generations"] == b["generations"] == 4
    # one worker: each generation's seed depends on the spec and the generation only
    assert (whole / "posterior.csv").read_text() == (killed / "posterior.csv").read_text()
    # --check reruns the fit table at the posterior median with fresh seeds
    assert main(["calibrate", "--check", str(killed), "--replicates", "2"]) in (0, 1)
    check = pd.read_csv(killed / "fit_check.csv")
    assert list(check["target"]) == ["bridging_share_mean"] and (check["runs"] == 2).all()
    entropy = json.loads((killed / "manifest.json").read_text())["checks"][-1]["entropy"]
    assert entropy != 0


def test_a_calibration_of_an_earlier_scale_is_not_resumed(tmp_path, capsys):
    """A database whose particles are on the parameters' own scales (before they were put
    on the unit interval) would be read as unit values: resuming it is refused in one
    line, and the folder is left as it was."""
    spec = _write(tmp_path, TINY.replace("generations = 3", "generations = 1"))
    out = tmp_path / "old"
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scale"] == "unit"
    del manifest["scale"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    bigger = _write(tmp_path, TINY.replace("generations = 3", "generations = 2"), "more.toml")
    assert main(["calibrate", str(bigger), "--out", str(out), "--resume", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "earlier govsim" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_compare_posterior_gives_both_arms_of_a_pair_the_same_draw(tmp_path):
    folder = tmp_path / "calibration"
    folder.mkdir()
    pd.DataFrame({"generation": [2, 2, 2], "weight": [0.2, 0.3, 0.5],
                  "distance": [0.5, 0.4, 0.3],
                  "dispute.base_rate": [0.0001, 0.0002, 0.0003],
                  "community.homophily": [0.3, 0.5, 0.7]}).to_csv(folder / "posterior.csv",
                                                                  index=False)
    out = tmp_path / "compare"
    assert main(["compare", "unified_hotline", "--replicates", "4", "--steps", "3",
                 "--residents", "60", "--workers", "1", "--quiet", "--out", str(out),
                 "--posterior", str(folder)]) == 0
    runs = pd.read_csv(out / "runs.csv")
    draws = posterior_draws(folder, seed=0, n=4)
    for rep, part in runs.groupby("replicate"):
        assert set(part["arm"]) == {"baseline", "intervention"}
        for key in ("dispute.base_rate", "community.homophily"):
            assert part[key].nunique() == 1          # both arms: one draw
            assert part[key].iloc[0] == pytest.approx(draws[rep][key])
    assert runs["dispute.base_rate"].nunique() > 1  # the pairs differ in their draws
    assert main(["compare", "unified_hotline", "--steps", "3", "--residents", "60",
                 "--out", str(tmp_path / "c2"), "--posterior", str(tmp_path)]) == 2
    assert not (tmp_path / "c2").exists()


@pytest.mark.parametrize("name", ["baseline", "cixi", "hesilu"])
def test_shipped_calibration_specs_are_valid(name):
    spec = load_calibration(ROOT / "calibrations" / f"{name}.toml")
    assert spec.targets and all(t.source for t in spec.targets)


COMMITTED = sorted(p.name for p in (ROOT / "calibrations" / "results").iterdir()
                   if (p / "fit.csv").is_file())


def test_the_shipped_calibrations_have_committed_results():
    assert {"baseline", "hesilu"} <= set(COMMITTED)


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_fit_puts_every_target_within_its_tolerance(name):
    spec_text = (ROOT / "calibrations" / f"{name}.toml").read_text()
    targets = {t["name"]: t for t in tomllib.loads(spec_text)["target"]}
    fit = pd.read_csv(ROOT / "calibrations" / "results" / name / "fit.csv")
    assert set(fit["target"]) == set(targets)
    for row in fit.itertuples():
        t = targets[row.target]
        assert row.observed == pytest.approx(t["observed"])
        assert row.tolerance == pytest.approx(t["tolerance"])
        assert abs(row.simulated_mean - t["observed"]) <= t["tolerance"], row
        assert row.within
    manifest = json.loads(
        (ROOT / "calibrations" / "results" / name / "manifest.json").read_text())
    assert manifest["complete"]
    assert manifest["spec"] == load_calibration(
        ROOT / "calibrations" / f"{name}.toml").to_dict()


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_posterior_is_not_carried_by_a_few_particles(name):
    """A posterior whose weight sits on one or two particles is one point, not a
    distribution, and its "median" is that point: the effective sample size of every
    committed posterior is at least a quarter of its population."""
    from govsim.experiment.calibration import effective_sample_size
    folder = ROOT / "calibrations" / "results" / name
    posterior = pd.read_csv(folder / "posterior.csv")
    population = json.loads((folder / "manifest.json").read_text())["spec"]["budget"][
        "population"]
    assert len(posterior) == population
    assert effective_sample_size(posterior) >= population / 4


def test_the_baseline_is_fitted_to_at_least_five_patterns():
    spec = load_calibration(ROOT / "calibrations" / "baseline.toml")
    assert len(spec.targets) >= 5


#: committed fits whose check with fresh seeds misses a target, and why (a known defect of
#: the fit, not of the check: the test fails, and says so, once the fit is redone)
MISSED_AT_FRESH_SEEDS: dict[str, str] = {}


@pytest.mark.slow
@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=MISSED_AT_FRESH_SEEDS[n]))
    if n in MISSED_AT_FRESH_SEEDS else n for n in COMMITTED])
def test_rerunning_a_committed_fit_with_fresh_seeds_meets_its_targets(name, tmp_path):
    """The check of ``govsim calibrate --check``, at the posterior median with seeds the
    fit never saw (fixed here): every target within its tolerance again, with today's
    model."""
    import shutil

    from govsim.experiment.calibration import check_calibration
    folder = tmp_path / name
    shutil.copytree(ROOT / "calibrations" / "results" / name, folder)
    table = check_calibration(folder, entropy=20261202)
    assert table["within"].all(), table[["target", "observed", "simulated_mean", "tolerance"]]


def test_odd_shows_every_committed_fit_the_baselines_first():
    from govsim.docs import calibration_folders
    from govsim.experiment.calibration import fit_markdown, render_odd
    text = (ROOT / "docs" / "ODD.md").read_text()
    folders = calibration_folders()
    assert [f.name for f in folders][:1] == ["baseline"]
    assert {f.name for f in folders} == set(COMMITTED)
    assert render_odd(text, *folders) == text, \
        "docs/ODD.md's calibration block is out of date: run python -m govsim.docs"
    for folder in folders:
        assert fit_markdown(folder) in text


def _medians(name: str) -> dict[str, float]:
    summary = ROOT / "calibrations" / "results" / name / "posterior_summary.csv"
    return dict(pd.read_csv(summary)[["parameter", "median"]].itertuples(index=False))


def test_calibrated_values_are_the_committed_posterior_medians():
    """Every default marked calibrated, and every scenario value marked so, is the posterior
    median (to three significant digits) of the calibration it names; and every free
    parameter of a committed calibration is marked."""
    from govsim.params import specs
    from govsim.scenario import available, load_scenario
    marked: dict[str, set[str]] = {}
    for s in specs().values():
        if s.calibrated:
            assert s.default == pytest.approx(_medians(s.calibrated)[s.key], rel=5e-3), s.key
            marked.setdefault(s.calibrated, set()).add(s.key)
    for name in available():
        sc = load_scenario(name)
        for key, cal in sc.calibrated.items():
            assert sc.base[key] == pytest.approx(_medians(cal)[key], rel=5e-3), (name, key)
            spec = load_calibration(ROOT / "calibrations" / f"{cal}.toml")
            assert spec.scenario == name
            marked.setdefault(cal, set()).add(key)
    for folder in (ROOT / "calibrations" / "results").iterdir():
        if (folder / "posterior_summary.csv").is_file():
            assert marked.get(folder.name) == set(_medians(folder.name)), folder.name


def test_the_atlas_cixi_community_takes_the_scenarios_calibrated_values():
    from govsim.experiment.atlas import COMMUNITIES
    from govsim.scenario import load_scenario
    sc = load_scenario("harmony_association")
    settings = COMMUNITIES["cixi"].settings
    for key in sc.calibrated:
        assert settings[key] == sc.base[key], key
