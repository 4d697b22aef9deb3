"""What a newcomer meets first: the measure catalogue, messages and hints, resizing,
warnings for degenerate settings, effect tables, figures and tidy exports."""

import dataclasses
import json

import matplotlib
import numpy as np
import pandas as pd
import pytest

from govsim import catalog, checks, style
from govsim.analysis import effects, paired_effect, with_direction
from govsim.cli import main
from govsim.metrics import measure_columns
from govsim.scenario import available, load_scenario

matplotlib.use("Agg")


# -- the measure catalogue -----------------------------------------------------------
def test_every_column_of_every_scenario_is_catalogued_with_kind_unit_and_formula():
    for name in available():
        table = catalog.measure_table(name)
        sc = load_scenario(name)
        deeds = bool(sc.params("baseline")["deeds.enabled"])
        assert list(table["measure"]) == measure_columns(sc.institutions, deeds)
        assert table["kind"].isin(["day", "total", "window", "state"]).all()
        assert (table["formula"].str.startswith("ODD ")).all(), name
        assert (table["meaning"] != "").all()


def test_the_readme_measure_list_is_generated_from_the_declarations():
    text = catalog.README.read_text()
    assert catalog.BEGIN in text and catalog.render(text) == text
    for m in ("hardship_mean", "hall_pass_rate_total", "hall_motions"):
        assert f"`{m}`" in text


def test_measures_verb_lists_a_scenarios_columns_with_their_kind(capsys):
    assert main(["measures", "deliberation_hall"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.strip().startswith("hall_pass_rate_total"))
    assert " total " in line and "ODD 7.15" in line
    assert "merit_accepted" not in out


# -- show, hints, refusals -------------------------------------------------------------
def test_show_lists_only_the_parameters_the_scenario_uses_unless_all(capsys):
    assert main(["show", "deliberation_hall"]) == 0
    short = capsys.readouterr().out
    assert "hall.threshold" in short and "merit.table_scale" not in short
    assert "community.communities scale" in short
    assert main(["show", "deliberation_hall", "--all"]) == 0
    assert "merit.table_scale" in capsys.readouterr().out


def test_a_set_without_equals_sign_gets_a_key_value_hint(capsys):
    assert main(["run", "baseline", "--steps", "1", "--set", "hall.threshold", "0.5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "KEY=VALUE" in err[0]


def test_an_unquoted_dotted_toml_key_gets_a_hint_to_quote_it(tmp_path, capsys):
    spec = tmp_path / "s.toml"
    spec.write_text('scenario = "baseline"\n[grid]\nhall.threshold = [0.5, 1.0]\n')
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "quote" in err and '"hall.threshold"' in err
    assert not (tmp_path / "o").exists()


def test_one_replicate_is_refused_before_anything_runs(tmp_path, capsys):
    assert main(["compare", "baseline", "--replicates", "1", "--out",
                 str(tmp_path / "c")]) == 2
    assert "at least 2" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_run_without_out_says_it_wrote_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "baseline", "--steps", "2", "--residents", "100"]) == 0
    assert "no file written" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


# -- resizing and degenerate settings ----------------------------------------------------
def test_the_hall_scenario_keeps_its_seat_share_when_resized():
    sc = load_scenario("deliberation_hall")
    own = sc.params("intervention")
    small = sc.params("intervention", residents=600)
    assert own["community.communities"] == 13 and small["community.communities"] == 3
    share = {n: p["hall.migrant_seats"] * p["community.communities"]
             / (p["community.residents"] * p["community.migrant_share"])
             for n, p in (("own", own), ("small", small))}
    assert share["small"] == pytest.approx(share["own"], rel=0.2)
    explicit = sc.params("intervention", {"community.communities": 13}, residents=600)
    assert explicit["community.communities"] == 13
    assert not checks.check_setting(sc, 365, residents=600)


def test_a_hall_holding_a_large_share_of_its_group_is_warned_about():
    sc = dataclasses.replace(load_scenario("deliberation_hall"), scales_with_residents=())
    messages = checks.check_setting(sc, 365, residents=600)
    assert any("hall.migrant_seats" in m and "5.5%" in m for m in messages), messages


def test_a_horizon_shorter_than_the_institutions_cycle_is_warned_about():
    assert any("foundation.project_days" in m
               for m in checks.check_setting("community_foundation", 60))
    assert not checks.check_setting("community_foundation", 240)
    assert not checks.check_setting("baseline", 5)  # no institution, no cycle


def test_rare_counts_and_identical_arms_are_warned_about():
    table = pd.DataFrame({"outcome": ["intergroup_conflicts", "legitimacy_mean"],
                          "baseline_mean": [0.01, 0.5], "intervention_mean": [0.01, 0.5],
                          "diff_mean": [0.0, 0.0], "ci_low": [0.0, 0.0],
                          "ci_high": [0.0, 0.0], "n_pairs": [4, 4]})
    messages = checks.check_events(table, 120, ["intergroup_conflicts", "legitimacy_mean"])
    assert any(m.startswith("intergroup_conflicts: about 1 events") for m in messages)
    assert any("identical" in m for m in messages)
    table.loc[0, ["baseline_mean", "intervention_mean", "diff_mean"]] = [2.0, 1.0, -1.0]
    assert not checks.check_events(table, 120, ["intergroup_conflicts"])


# -- effects ------------------------------------------------------------------------------
def test_a_negative_gap_that_shrinks_is_a_rise_in_the_good_direction():
    e = paired_effect([-0.15, -0.154], [-0.095, -0.099])
    row = with_direction(pd.DataFrame([{"outcome": "hardship_gap", **e}])).iloc[0]
    assert row["rel_change"] == pytest.approx(0.362, abs=0.01)
    assert row["better"] == "zero" and row["rel_improvement"] > 0
    assert row["verdict"] == "better"
    assert isinstance(e["diff_mean"], float) and isinstance(e["n_pairs"], int)


def test_effects_by_lever_pairs_runs_by_point_and_replicate():
    rows = []
    for point, level in enumerate([0.5, 1.0]):
        for rep in range(3):
            base = 2.0 + rep
            rows += [{"arm": "baseline", "point": point, "replicate": rep, "status": "done",
                      "hall.threshold": level, "conflicts_mean": base},
                     {"arm": "intervention", "point": point, "replicate": rep,
                      "status": "done", "hall.threshold": level,
                      "conflicts_mean": base - level}]
    table = effects(pd.DataFrame(rows), by="hall.threshold")
    assert list(table["hall.threshold"]) == [0.5, 1.0]
    assert list(table["diff_mean"]) == [-0.5, -1.0]
    assert (table["n_pairs"] == 3).all() and table["n_pairs"].dtype.kind == "i"
    assert (table["verdict"] == "better").all()
    with pytest.raises(KeyError):
        effects(pd.DataFrame(rows), by="no.such")


# -- figures --------------------------------------------------------------------------------
def test_forest_plot_has_relative_and_absolute_panels_a_legend_and_the_primary_mark():
    from govsim.plots import forest
    table = pd.DataFrame({"outcome": ["legitimacy_mean", "intergroup_conflicts"],
                          "baseline_mean": [0.5, 0.0], "intervention_mean": [0.55, 0.1],
                          "diff_mean": [0.05, 0.1], "ci_low": [0.02, -0.1],
                          "ci_high": [0.08, 0.3], "rel_change": [0.1, float("nan")],
                          "n_pairs": [5, 5]})
    fig = forest(table, primary="legitimacy_mean", subtitle="hall.enabled off → on")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["relative change",
                                                 "absolute difference (baseline mean 0)"]
    labels = [t.get_text() for t in panels[0].get_yticklabels()]
    assert labels == ["★ legitimacy_mean (↑ better)"]
    assert fig.legends and "hall.enabled" in fig._suptitle.get_text()
    x = panels[0].lines[0].get_xdata()[0]
    assert x == pytest.approx(10.0)  # percent of |baseline|


def test_style_smooths_daily_counts_and_clips_to_the_possible_range():
    daily = np.array([[0.0, 7.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    smoothed, done = style.smooth("conflicts", daily)
    assert done and smoothed.shape == daily.shape
    assert smoothed[0, 7] == pytest.approx(1.0) and smoothed[0, 8] == 0.0
    same, done = style.smooth("legitimacy_mean", daily)
    assert not done and same is daily
    lo, hi = style.clip("needs_met_share", np.array([-0.2, 0.5]), np.array([0.9, 1.4]))
    assert list(lo) == [0.0, 0.5] and list(hi) == [0.9, 1.0]
    (lo,) = style.clip("conflicts", np.array([-1.0]))
    assert lo[0] == 0.0
    assert "7-day mean" in style.axis_label("conflicts", smoothed=True)
    assert style.axis_label("response_minutes_mean") == "minutes"


# -- sweeps: tidy tables, plots by lever, the side file of parameters -----------------------
@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    spec = folder / "s.toml"
    spec.write_text('scenario = "baseline"\nreplicates = 2\nsteps = 4\nresidents = 100\n'
                    '[grid]\n"dispute.base_rate" = [0.0001, 0.001]\n')
    assert main(["sweep", str(spec), "--out", str(folder / "out"), "--workers", "1",
                 "--quiet"]) == 0
    return folder / "out"


def test_runs_csv_keeps_the_active_parameters_and_parameters_csv_all(small_sweep):
    runs = pd.read_csv(small_sweep / "runs.csv")
    full = pd.read_csv(small_sweep / "parameters.csv")
    assert "dispute.base_rate" in runs and "merit.table_scale" not in runs
    assert "merit.table_scale" in full and list(full["run_id"]) == list(runs["run_id"])


def test_export_long_joins_arm_lever_and_replicate_to_every_row(small_sweep, capsys):
    assert main(["export", str(small_sweep), "--long"]) == 0
    long = pd.read_csv(small_sweep / "long.csv")
    ts = pd.read_csv(small_sweep / "timeseries.csv")
    assert len(long) == len(ts)
    assert {"arm", "replicate", "point", "dispute.base_rate", "step", "conflicts"} <= set(long)
    assert main(["export", str(small_sweep), "--long"]) == 2  # not overwritten
    capsys.readouterr()


def test_plot_effects_by_a_swept_lever_and_refuse_another(small_sweep, capsys):
    assert main(["plot", str(small_sweep), "--effects-by", "dispute.base_rate"]) == 0
    assert (small_sweep / "effects-dispute.base_rate.png").is_file()
    assert main(["plot", str(small_sweep), "--effects-by", "hall.threshold"]) == 2
    assert "not a swept lever" in capsys.readouterr().err


def test_plot_of_a_comparison_announces_both_files_in_the_chosen_format(tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["compare", "baseline", "--replicates", "2", "--steps", "4",
                 "--residents", "100", "--workers", "1", "--quiet", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["plot", str(out), "--out", str(tmp_path / "x.pdf")]) == 0
    printed = capsys.readouterr().out
    assert "x.pdf" in printed and "x-timeseries.pdf" in printed
    assert (tmp_path / "x-timeseries.pdf").read_bytes()[:4] == b"%PDF"
    effects_csv = pd.read_csv(out / "effects.csv")
    assert {"better", "rel_improvement", "verdict"} <= set(effects_csv)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"]
