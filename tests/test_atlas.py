"""The policy atlas: its design (1 + 11 + 55 arms on shared seeds), interactions that must
vanish, where an intervention cannot apply, and resuming a killed atlas."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from govsim.analysis import tost
from govsim.cli import main
from govsim.experiment.atlas import (
    COMMUNITIES,
    atlas,
    atlas_design,
    builtin_interventions,
    intervention_settings,
    merge_settings,
    reference_community,
)
from govsim.experiment.atlas import _plan as plan
from govsim.model import CommunityModel

GOVSIM = [sys.executable, "-m", "govsim.cli"]
#: a small community for the runs of these tests
TINY = {"community.residents": 200, "community.communities": 1, "deeds.enabled": False}


def test_the_design_has_1_11_and_55_arms_on_the_same_seeds_and_no_conflicting_pair():
    names = builtin_interventions()
    assert len(names) == 11
    chosen = {n: intervention_settings(n) for n in names}
    arms, base = atlas_design(COMMUNITIES["sanyuanli"], chosen, pairs=True)
    sizes = [len(a.members) for a in arms]
    assert sizes.count(0) == 1 and sizes.count(1) == 11 and sizes.count(2) == 55
    assert all(a.status == "" for a in arms), [a.status for a in arms if a.status]
    tasks, params, labels = plan(arms, base, 3, 10, 7)
    assert len(tasks) == 67 * 3 and len({t.run_id for t in tasks}) == len(tasks)
    seeds = {}
    for t in tasks:
        seeds.setdefault(t.replicate, set()).add(t.seed)
    assert all(len(s) == 1 for s in seeds.values()) and len(seeds) == 3
    # every arm lists the same institutions: the baseline world is the same in all
    assert len({tuple(p["model.institutions"]) for p in params}) == 1


def test_all_eleven_interventions_run_together():
    merged = {}
    for name in builtin_interventions():
        merged, conflicts = merge_settings(merged, intervention_settings(name))
        assert not conflicts
    arms, base = atlas_design(reference_community(TINY), {"all": merged})
    model = CommunityModel(params={**base, **merged}, rng=1)
    model.run_for(5)
    df = model.timeseries()
    assert len(df) == 5 and not df.isna().any().any()
    assert all(model.params[f"{n}.enabled"] for n in base["model.institutions"])


def test_intervention_settings_leave_the_community_to_the_atlas():
    rule = intervention_settings("response_rule")
    assert rule["rule.enabled"] is True and "rule.site_birth" not in rule
    assert "government.case_rate" not in rule
    assert intervention_settings("community_foundation")["foundation.enabled"] is True
    assert "needs.patience" not in intervention_settings("community_foundation")


def test_conflicting_settings_of_a_pair_are_reported_and_the_pair_is_not_run():
    arms, base = atlas_design(reference_community(TINY), {
        "fast": {"rule.enabled": True, "government.deadline_minutes": 30.0},
        "slow": {"hotline.enabled": True, "government.deadline_minutes": 60.0}}, pairs=True)
    pair = arms[-1]
    assert pair.label == "fast+slow"
    assert pair.status == ("conflicting settings (government.deadline_minutes: fast=30.0, "
                           "slow=60.0)")
    tasks, _, labels = plan(arms, base, 2, 5, 0)
    assert "fast+slow" not in labels.values()


def test_an_intervention_that_cannot_apply_is_said_so_not_reported_as_zero():
    place = reference_community("hesilu")
    arms, _ = atlas_design(place, {n: intervention_settings(n) for n in
                                   ("parking_renewal", "culture_courtyard")}, pairs=True)
    status = {a.label: a.status for a in arms}
    assert status["parking_renewal"] == "not applicable (parking: no parking barriers to remove)"
    assert status["parking_renewal+culture_courtyard"].startswith("not applicable")
    assert status["culture_courtyard"] == ""
    no_sites = reference_community({**TINY, "rule.site_birth": 0.0,
                                    "government.case_rate": 0.0})
    arms, _ = atlas_design(no_sites, {"response_rule": intervention_settings("response_rule")})
    assert "no illicit sites" in arms[1].status


@pytest.fixture(scope="module")
def null_atlas():
    return atlas(TINY, pairs=True, replicates=3, steps=30, workers=1,
                 interventions={"culture_courtyard": None, "null": {}})


def test_the_interaction_with_a_null_intervention_is_exactly_zero(null_atlas):
    inter = null_atlas.interactions
    pair = inter[inter["pair"] == "culture_courtyard+null"]
    assert len(pair) == 10
    assert (pair["interaction"] == 0).all() and (pair["ci_low"] == 0).all()
    assert (pair["ci_high"] == 0).all() and (pair["verdict"] == "additive").all()
    eff = null_atlas.effects.set_index(["intervention", "outcome"])
    assert (eff.loc["null", "diff_mean"] == 0).all()
    # the intervention itself did something, so the zero is not an idle model's
    assert eff.loc[("culture_courtyard", "participation_rate"), "diff_mean"] > 0


def test_the_league_ranking_and_costs_are_consistent(null_atlas):
    league = null_atlas.league.set_index("intervention")
    eff = null_atlas.effects.set_index(["intervention", "outcome"])
    assert league.loc["culture_courtyard", "bridging_share"] == \
        eff.loc[("culture_courtyard", "bridging_share"), "diff_mean"]
    rank = null_atlas.ranking
    part = rank[rank["outcome"] == "participation_rate"].set_index("intervention")
    assert part.loc["culture_courtyard", "rank"] == 1
    assert (rank["best_rank"] <= rank["rank"]).all() and (rank["rank"] <= rank["worst_rank"]).all()


def test_two_institutions_on_disjoint_parts_of_the_model_barely_interact():
    """The unified hotline routes government cases; the library gathers readers. Each has
    a clear effect on its own outcome, and their interaction on it is within half that
    effect (TOST at 5%)."""
    result = atlas({**TINY, "community.residents": 300}, pairs=True, replicates=12,
                   steps=60, warmup=10, workers=1,
                   interventions=["unified_hotline", "book_sharing_library"])
    eff = result.effects.set_index(["intervention", "outcome"])
    inter = result.interactions.set_index("outcome")
    runs = {}
    for label, outcome in (("unified_hotline", "unresolved_cases"),
                           ("book_sharing_library", "participation_rate")):
        main_effect = eff.loc[(label, outcome)]
        assert main_effect["ci_low"] > 0 or main_effect["ci_high"] < 0, (label, outcome)
        runs[outcome] = abs(main_effect["diff_mean"])
    values = _interaction_values(result, list(runs))
    for outcome, effect in runs.items():
        test = tost(values[outcome], margin=0.5 * effect)
        assert test["equivalent"], (outcome, test, inter.loc[outcome, "interaction"])


def _interaction_values(result, outcomes):
    """Per-replicate interactions Y_AB - Y_A - Y_B + Y_0 from the atlas's paired data."""
    rows = result.replicate_values
    out = {}
    for o in outcomes:
        y = {label: rows[label][o].to_numpy() for label in rows}
        out[o] = (y["unified_hotline+book_sharing_library"] - y["unified_hotline"]
                  - y["book_sharing_library"] + y["baseline"])
    return out


def _tables(folder):
    out = {}
    for name in ("effects", "league", "ranking", "interactions", "arms"):
        out[name] = (folder / f"{name}.csv").read_bytes()
    runs = pd.read_csv(folder / "runs.csv").drop(columns="wall_seconds")
    return out, runs


def test_a_killed_atlas_resumes_to_the_tables_of_an_uninterrupted_one(tmp_path):
    args = ["atlas", "--community", str(_community_file(tmp_path)), "--pairs",
            "--intervention", "culture_courtyard", "--intervention", "medical_reimbursement",
            "--replicates", "3", "--steps", "20", "--workers", "1", "--quiet"]
    full = tmp_path / "full"
    assert main([*args, "--out", str(full)]) == 0
    part = tmp_path / "part"
    proc = subprocess.Popen([*GOVSIM, *args, "--out", str(part)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs_file = part / "runs.csv"
    deadline = time.time() + 120
    while time.time() < deadline:
        if runs_file.exists() and runs_file.read_text().count("\n") >= 5:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not json.loads((part / "manifest.json").read_text())["complete"]
    assert not (part / "effects.csv").exists()
    assert main([*args, "--out", str(part)]) == 2           # occupied without --resume
    assert main([*args, "--out", str(part), "--resume"]) == 0
    tables_full, runs_full = _tables(full)
    tables_part, runs_part = _tables(part)
    assert tables_part == tables_full
    pd.testing.assert_frame_equal(runs_part, runs_full)
    assert len(runs_full) == 4 * 3
    # the figures are redrawn from the tables, not as a comparison's forest plot
    assert main(["plot", str(part), "--outcome", "participation_rate"]) == 0
    assert (part / "interactions.png").is_file() and _tables(part)[0] == tables_full


def _community_file(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text('name = "tiny"\ntitle = "a tiny test community"\n'
                    'provenance = ["small enough for a test"]\n[set]\n'
                    '"community.residents" = 150\n"community.communities" = 1\n')
    return path


@pytest.mark.parametrize("argv, message", [
    (["atlas", "--community", "sanyuanlii"], "unknown community 'sanyuanlii'"),
    (["atlas", "--intervention", "parking"], "unknown scenario 'parking'"),
    (["atlas", "--replicates", "3", "--precision", "0.1"], "not both"),
    (["atlas", "--outcome", "conflicts_rate"], "unknown panel outcome"),
    (["atlas", "--set", "community.residentz=5"], "community.residentz"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not (tmp_path / "out").exists()


def test_a_community_file_with_an_unknown_parameter_names_it(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[set]\n"community.residnets" = 100\n')
    with pytest.raises(ValueError, match="community.residnets"):
        reference_community(str(path))
    assert np.isclose(reference_community("luocheng").settings["rule.site_birth"], 0.0)


def test_adaptive_replication_stops_by_law_s_rule_and_keeps_only_the_pairs_it_used(tmp_path):
    """With a half-width target every effect meets at the first batch, the atlas stops at
    the 10 pairs Law's procedure needs at least; with an unreachable one it runs to the
    cap and says the target was not met."""
    small = {**TINY, "community.residents": 100}
    met = atlas(small, steps=8, workers=1, interventions=["culture_courtyard"],
                absolute=1e6, out=tmp_path / "met", figures=False)
    assert met.info["sequential"]["target_met"] and met.info["replicates"] == 10
    assert (met.arms["replicates"] == 10).all()
    capped = atlas(small, steps=8, workers=1, interventions=["culture_courtyard"],
                   precision=1e-9, max_replicates=10, out=tmp_path / "capped",
                   figures=False, outcome="participation_rate")
    assert not capped.info["sequential"]["target_met"]
    assert len(pd.read_csv(tmp_path / "capped" / "runs.csv")) == 2 * 10
