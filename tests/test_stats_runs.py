"""The experiment layer's statistics on tiny model runs: warm-up gating, adaptive
replication (and its resume), ablation with an inert ingredient, horizon robustness,
replicated sensitivity, and bad input on the new verbs."""

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govsim.analysis import sequential_stop
from govsim.cli import main
from govsim.experiment.ablate import ablate
from govsim.experiment.horizon import horizon_table
from govsim.experiment.sweep import compare
from govsim.metrics import core_measures
from govsim.model import CommunityModel
from govsim.scenario import load_scenario

TINY = dict(steps=16, residents=200, workers=1)


def test_institutions_are_dormant_until_the_warm_up_ends():
    sc = load_scenario("deliberation_hall")
    w = 6
    runs = {}
    for arm in ("baseline", "intervention"):
        m = CommunityModel(params=sc.params(arm, {"model.warmup": w}, residents=260), rng=3)
        m.run_for(w)
        assert not m.institutions_active
        m.run_for(30)
        assert m.institutions_active
        runs[arm] = m.timeseries()
    hall = runs["intervention"]
    measures = [c for c in hall if c.startswith("hall_")]
    assert measures
    assert (hall.loc[hall["step"] <= w, measures] == 0).all().all()
    assert hall.loc[hall["step"] > w, "hall_motions"].sum() > 0
    # with the institution dormant, both arms are the same model day for day
    core = list(core_measures())
    early = [df.loc[df["step"] <= w, core].to_numpy() for df in runs.values()]
    assert np.array_equal(*early)
    assert not np.array_equal(runs["baseline"][core].to_numpy(), hall[core].to_numpy())


def test_compare_records_the_warm_up_and_summarises_after_it(tmp_path):
    out = tmp_path / "cmp"
    table = compare("deliberation_hall", replicates=2, warmup=10, out=out, figures=False,
                    **TINY)
    runs = pd.read_csv(out / "runs.csv")
    assert (runs["model.warmup"] == 10).all()
    assert json.loads((out / "manifest.json").read_text())["spec"]["warmup"] == 10
    ts = pd.read_csv(out / "timeseries.csv")
    first = ts[ts["run_id"] == runs["run_id"].iloc[0]]
    expected = first.loc[first["step"] > 10, "legitimacy_mean"].iloc[-2:].mean()
    assert runs["legitimacy_mean_mean"].iloc[0] == pytest.approx(expected)
    assert table.attrs["primary"] == "legitimacy_mean_migrant"
    assert table.loc[table["primary"], "outcome"].tolist() == ["legitimacy_mean_migrant"]
    key = table[table["p_holm"].notna()]["outcome"].tolist()
    assert key == list(load_scenario("deliberation_hall").key_outcomes)


def _without_wall(path: Path) -> pd.DataFrame:
    return pd.read_csv(path).drop(columns=["wall_seconds"])


def test_adaptive_replication_stops_by_the_rule_and_resumes_to_the_same_tables(tmp_path,
                                                                              monkeypatch):
    out = tmp_path / "seq"
    kw = dict(replicates=10, precision=0.3, max_replicates=12, steps=10, residents=200,
              figures=False, warmup=3)
    table = compare("deliberation_hall", out=out, workers=1, **kw)
    seq = json.loads((out / "manifest.json").read_text())["sequential"]
    runs = pd.read_csv(out / "runs.csv")
    pairs = seq["pairs"]
    assert 10 <= pairs <= 12 and table.attrs["sequential"] == seq
    assert len(runs) == 2 * pairs and runs["replicate"].max() == pairs - 1
    b = runs[runs["arm"] == "baseline"].sort_values("replicate")
    i = runs[runs["arm"] == "intervention"].sort_values("replicate")
    d = (i["legitimacy_mean_migrant_mean"].to_numpy() -
         b["legitimacy_mean_migrant_mean"].to_numpy())
    stop = sequential_stop(d, relative=0.3)
    assert seq["target_met"] == (stop is not None)
    if stop is not None:
        assert stop == pairs
    # a kill after the first rows: resume, in batches of three pairs this time (as with
    # three workers), completes the same tables: the pairs used do not depend on the width
    reference = _without_wall(out / "runs.csv")
    lines = (out / "runs.csv").read_text().splitlines(keepends=True)
    (out / "runs.csv").write_text("".join(lines[:14]) + lines[14][:20])
    monkeypatch.setattr(importlib.import_module("govsim.experiment.sweep"), "_batch_width",
                        lambda *a: 3)
    compare("deliberation_hall", out=out, workers=1, resume=True, **kw)
    pd.testing.assert_frame_equal(_without_wall(out / "runs.csv"), reference)


def _scenario_with_an_inert_ingredient(folder: Path) -> Path:
    path = folder / "hall_inert.py"
    path.write_text('''
from govsim.scenario import Scenario

SCENARIO = Scenario(
    name="hall_inert", title="a hall with an ingredient that does nothing",
    institutions=("hall",),
    base={"community.communities": 2, "dispute.social_distance": 2.0},
    baseline={"hall.enabled": False},
    intervention={"hall.enabled": True},
    primary="legitimacy_mean_migrant",
    key_outcomes=("bridging_share",),
    # the medical scheme is not among the institutions: its switch cannot matter
    ingredients={"migrant_seats": {"hall.migrant_seats": 0},
                 "inert": {"medical.enabled": True}},
)
''')
    return path


def test_ablate_gives_an_inert_ingredient_no_share_and_adds_up(tmp_path):
    scenario = str(_scenario_with_an_inert_ingredient(tmp_path))
    table = ablate(scenario, replicates=3, out=tmp_path / "abl", figures=True, warmup=4,
                   **TINY)
    assert (tmp_path / "abl" / "ablation.png").is_file()
    saved = pd.read_csv(tmp_path / "abl" / "ablation.csv")
    assert list(saved["component"].unique()) == ["migrant_seats", "inert", "interaction",
                                                 "effect"]
    for _, part in table.groupby("outcome"):
        part = part.set_index("component")
        inert = part.loc["inert"]
        assert inert["ci_low"] <= 0 <= inert["ci_high"]
        assert inert["contribution"] == 0
        total = part.loc[["migrant_seats", "inert", "interaction"], "contribution"].sum()
        assert total == pytest.approx(part.loc["effect", "contribution"], abs=1e-12)
    runs = pd.read_csv(tmp_path / "abl" / "runs.csv")
    assert runs.groupby("variant")["seed"].apply(tuple).nunique() == 1   # common seeds
    assert len(runs) == 4 * 3
    again = ablate(scenario, replicates=3, out=tmp_path / "abl", resume=True,
                   figures=False, warmup=4, **TINY)
    pd.testing.assert_frame_equal(again, table)


def test_the_horizon_table_ends_at_the_compare_effect(tmp_path):
    out = tmp_path / "cmp"
    table = compare("deliberation_hall", replicates=3, warmup=4, out=out, figures=False,
                    **TINY).set_index("outcome")
    hz = horizon_table(out, ["bridging_share"], points=5)
    assert hz["horizon"].tolist() == sorted(set(hz["horizon"]))
    assert hz["horizon"].iloc[-1] == 16 and hz["horizon"].iloc[0] == 8
    assert hz["diff_mean"].iloc[-1] == pytest.approx(table.loc["bridging_share",
                                                               "diff_mean"])
    assert main(["plot", str(out), "--by-horizon"]) == 0
    assert (out / "horizon.png").is_file() and (out / "horizon.csv").is_file()


def test_sensitivity_from_the_cli_replicates_every_point(tmp_path, capsys):
    pytest.importorskip("SALib")
    out = tmp_path / "sens"
    args = ["sensitivity", "harmony_association", "--method", "morris", "--n", "2",
            "--replicates", "2", "--steps", "12", "--residents", "200", "--workers", "1",
            "--factor", "dispute.base_rate", "--factor", "dispute.social_distance",
            "--outcome", "disputes", "--out", str(out), "--warmup", "3"]
    assert main(args) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert {"mu_star", "mu_star_low", "mu_star_high"} <= set(table.columns)
    assert (table["mu_star_low"] <= table["mu_star_high"]).all()
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 6 * 2 and runs.groupby("point")["seed"].apply(tuple).nunique() == 1
    assert main([*args, "--resume"]) == 0
    assert "6 design points x 2 replicates" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["compare", "baseline", "--precision", "-1"], "expected a number > 0"),
    (["compare", "baseline", "--steps", "10", "--warmup", "10"], "--warmup must be"),
    (["compare", "baseline", "--ci", "normal"], "invalid choice"),
    (["compare", "baseline", "--precision", "0.1", "--max-replicates", "5"],
     "--max-replicates must be at least 10"),
    (["ablate", "baseline", "--steps", "5"], "declares no ingredients"),
    (["ablate", "deliberation_hall", "--outcome", "legitimacy_mean_migrnt"],
     "did you mean"),
    (["sensitivity", "baseline", "--method", "sobol", "--n", "3"], "power of 2"),
])
def test_bad_input_to_the_new_options_is_one_line_and_status_2(argv, message, tmp_path,
                                                                capsys):
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_a_sweep_spec_takes_a_warm_up_and_refuses_one_past_its_horizon(tmp_path, capsys):
    from govsim.experiment.spec import DEFAULT_WARMUP, default_warmup, spec_from_dict
    spec = spec_from_dict({"scenario": "baseline", "steps": 30, "warmup": 10})
    assert spec.warmup == 10 and all(p["model.warmup"] == 10 for p in spec.points())
    assert spec_from_dict({"scenario": "baseline", "steps": 365}).warmup == DEFAULT_WARMUP
    assert default_warmup(2 * DEFAULT_WARMUP - 1) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('scenario = "baseline"\nsteps = 30\nwarmup = 30\n')
    assert main(["sweep", str(bad), "--out", str(tmp_path / "x")]) == 2
    assert "'warmup' must be an integer >= 0 and below steps" in capsys.readouterr().err
