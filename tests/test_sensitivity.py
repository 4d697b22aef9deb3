"""Sensitivity analysis of a scenario's uncertainties (SALib), and the sweep figures."""

import numpy as np
import pandas as pd
import pytest

from govsim import plots
from govsim.scenario import load_scenario

pytest.importorskip("SALib")

from govsim.experiment.sensitivity import analyze, evaluate, problem, sample, sensitivity  # noqa: E402

FACTORS = ["dispute.base_rate", "community.homophily", "interaction.decay"]


def test_the_problem_is_the_scenarios_uncertainties_and_their_ranges():
    prob = problem("deliberation_hall")
    ranges = load_scenario("deliberation_hall").uncertainties
    assert prob["names"] == [r.key for r in ranges]
    assert prob["bounds"] == [[r.low, r.high] for r in ranges]
    with pytest.raises(KeyError, match="neither an uncertainty nor a lever"):
        problem("baseline", ["dispute.base_rate", "hall.threshold"])


def test_designs_have_the_documented_size_and_stay_in_range():
    morris = sample("baseline", "morris", n=3, factors=FACTORS, seed=1)
    sobol = sample("baseline", "sobol", n=4, factors=FACTORS, seed=1)
    assert morris.shape == (3 * (3 + 1), 3)
    assert sobol.shape == (4 * (3 + 2), 3)
    for design in (morris, sobol):
        for (low, high), key in zip(problem("baseline", FACTORS)["bounds"], FACTORS,
                                    strict=True):
            assert design[key].between(low, high).all()
    assert sample("baseline", "morris", n=3, factors=FACTORS, seed=1).equals(morris)
    with pytest.raises(ValueError, match="power of 2"):
        sample("baseline", "sobol", n=6, factors=FACTORS)


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_analysis_ranks_a_known_function_correctly(method):
    design = sample("baseline", method, n=64, factors=FACTORS, seed=3)
    unit = (design - design.min()) / (design.max() - design.min())
    results = pd.DataFrame({
        # strong effect of the first factor, weak of the second, none of the third
        "y": 10 * unit[FACTORS[0]] + unit[FACTORS[1]],
        "flat": np.ones(len(design)),
    })
    table = analyze(design, results, method).set_index(["outcome", "parameter"])
    col = "mu_star" if method == "morris" else "ST"
    y = table.loc["y", col]
    assert list(y.index) == FACTORS          # sorted by importance
    assert y[FACTORS[2]] == pytest.approx(0, abs=1e-9)
    if method == "sobol":
        assert table.loc["y", "S1"][FACTORS[0]] > 0.9
        assert table.loc["flat", "ST"].isna().all()
    else:
        assert (table.loc["flat", "mu_star"] == 0).all()


def test_identical_arms_have_no_effect_at_any_design_point():
    # both arms of `baseline` are identical: on common seeds every paired effect is 0
    design = sample("baseline", "morris", n=1, factors=FACTORS[:2], seed=0)
    effect = evaluate("baseline", design, ["disputes", "bridging_share"], arm="effect",
                      steps=10, residents=150)
    assert effect.shape == (3, 2)
    assert (effect.to_numpy() == 0).all()


def test_the_dispute_rate_drives_disputes_in_the_model():
    # at the calibrated rates (about 23 disputes per 1,000 residents a year) a run must be
    # large enough to see disputes at all: 2,000 residents for 60 days expect about 8,
    # where 200 residents for 20 days expect 0.25 and every design point saw none
    table = sensitivity("baseline", ["disputes"], n=2, factors=FACTORS[::2], steps=60,
                        residents=2000, seed=5)
    assert list(table.columns) == ["outcome", "parameter", "mu", "mu_star", "sigma",
                                   "mu_star_conf"]
    assert table.iloc[0]["parameter"] == "dispute.base_rate"
    assert table.iloc[0]["mu"] > 0           # more disputes at a higher base rate
    assert plots.sensitivity_bars(table).axes


def test_sweep_effects_draws_the_paired_difference_per_dose():
    rows = []
    for point, dose in enumerate([0.0, 1.0, 2.0]):
        for rep in range(3):
            for arm in ("baseline", "intervention"):
                rows.append({"point": point, "replicate": rep, "arm": arm, "status": "done",
                             "lever": dose, "x_mean": rep + (dose if arm == "intervention"
                                                             else 0.0)})
    fig = plots.sweep_effects(pd.DataFrame(rows), ["lever"], ["x"])
    line = fig.axes[0].lines[-1]
    assert list(line.get_ydata()) == [0.0, 1.0, 2.0]   # the effect equals the dose
