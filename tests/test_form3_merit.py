"""Form 3: the Bank of Merit — accounting invariants, assessment docking, paired effects
and the controls where the effect must vanish, shrink or widen."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from govsim import api
from govsim.analysis import paired_effects
from govsim.institutions.bank_of_merit import YEAR, BankOfMerit, acceptance_probability, gini
from govsim.metrics import measure_columns
from govsim.processes.deeds import Deeds, deed_probability
from govsim.processes.rules import votes_needed
from tests.helpers import replicate_seeds, run_arm

SCENARIO = "bank_of_merit"
PAIRED = dict(steps=200, residents=800)
REPLICATES = 20
ZERO_REPLICATES = 3


def _bank(model):
    return next(i for i in model.institutions if i.name == "merit")


def _table(p):
    return p["merit.table_scale"] * np.array([p["merit.points_help"], p["merit.points_eldercare"],
                                              p["merit.points_upkeep"],
                                              p["merit.points_mediation"]])


# -- the rules in isolation ---------------------------------------------------------------
def test_votes_needed_is_the_quorum_of_the_parties():
    assert [votes_needed(4, q) for q in (0.01, 0.5, 0.75, 1.0)] == [1, 2, 3, 4]
    assert votes_needed(3, 2 / 3) == 2


@pytest.mark.parametrize("parties,needed,approve", [(4, 3, 0.9), (4, 3, 0.5), (4, 1, 0.5),
                                                    (3, 2, 0.7), (1, 1, 0.2)])
def test_acceptance_probability_docks_with_the_binomial_tail(parties, needed, approve):
    assert acceptance_probability(parties, needed, approve) == pytest.approx(
        stats.binom.sf(needed - 1, parties, approve))


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=50))
def test_gini_is_zero_for_equal_accounts_and_within_bounds(values):
    x = np.array(values)
    g = gini(x)
    assert 0.0 <= g <= 1.0 - 1.0 / len(x) + 1e-9
    assert gini(np.full(len(x), x.mean())) == pytest.approx(0.0, abs=1e-12)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 0.5), st.floats(0, 0.5))
def test_deeds_are_more_likely_with_more_motivation_and_reward(m, dm, e, de):
    p = lambda m_, e_: deed_probability(np.array([m_]), np.array([0.1]), np.array([e_]),  # noqa: E731
                                        0.5, 0.1)[0]
    assert p(m + dm, e) >= p(m, e)
    assert p(m, e + de) >= p(m, e)


# -- accounting invariants ------------------------------------------------------------------
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale=st.sampled_from([0.0, 0.5, 1.0, 3.0]),
       help_pts=st.floats(0.0, 20.0), upkeep_pts=st.floats(0.0, 20.0),
       interval=st.integers(5, 60), quorum=st.floats(0.01, 1.0), parties=st.integers(1, 4),
       detection=st.floats(0.0, 1.0), gaming=st.floats(0.0, 0.1),
       retro=st.floats(0.0, 1.0), seed=st.integers(0, 1000))
def test_points_are_the_accepted_claims_times_the_table(scale, help_pts, upkeep_pts, interval,
                                                        quorum, parties, detection, gaming,
                                                        retro, seed):
    overrides = {"merit.table_scale": scale, "merit.points_help": help_pts,
                 "merit.points_upkeep": upkeep_pts, "merit.publication_interval": interval,
                 "merit.quorum": quorum, "merit.parties": parties,
                 "merit.detection": detection, "merit.gaming_rate": gaming,
                 "merit.retro_share": retro, "merit.retro_lag": 10.0,
                 "deeds.opportunity_rate": 0.05}
    model = api.build(SCENARIO, "intervention", seed=seed, residents=300, set=overrides)
    bank, state = _bank(model), model.state
    table = _table(model.params)
    # the ledger of accepted claims, kept beside the Bank's own accounts
    accepted = np.zeros((state.n, len(table)), dtype=np.int64)
    credit = bank.credit

    def booked(rows, kinds):
        np.add.at(accepted, (rows, kinds), 1)
        credit(rows, kinds)

    bank.credit = booked
    steps = 100
    for _ in range(steps):
        model.step()
        assert np.allclose(state.points, accepted @ table)
        assert (state.points >= 0).all()
        assert np.array_equal(bank.published, state.points) or \
            model.day % interval != 0
    # publication on schedule, and never in between
    assert bank.publications == list(range(interval, steps + 1, interval))
    ts = model.timeseries()
    assert (ts["merit_accepted"] <= ts["merit_claims"]).all()
    assert (ts["merit_false_accepted"] <= ts["merit_accepted"]).all()
    assert int(ts["merit_accepted"].sum()) == int(accepted.sum())


@pytest.mark.parametrize("scale,exemplar", [(1.0, True), (0.0, True), (1.0, False)])
def test_exactly_one_exemplar_a_year_when_anyone_earned_points(scale, exemplar):
    model = api.build(SCENARIO, "intervention", seed=4, residents=300,
                      set={"merit.table_scale": scale, "merit.exemplar": exemplar})
    bank, state = _bank(model), model.state
    for year in (1, 2):
        start = state.points.copy()
        model.run_for(YEAR)
        gained = state.points - start
        titles = [row for step, row in bank.exemplars if step == year * YEAR]
        expected = 1 if exemplar and gained.max() > 0 else 0
        assert len(titles) == expected
        if expected:
            assert gained[titles[0]] == gained.max()
    assert all(step % YEAR == 0 for step, _ in bank.exemplars)
    if scale > 0 and exemplar:
        assert len(bank.exemplars) == 2


def test_the_deed_process_and_the_bank_record_the_measures_they_declare():
    model = api.build(SCENARIO, "intervention", seed=5, residents=200)
    model.run_for(2)
    row = model.timeseries().columns
    names = BankOfMerit.measure_names()
    assert list(row[-len(Deeds.measures) - len(names):]) == [*Deeds.measures, *names]
    assert list(row[1:]) == measure_columns(("merit",), deeds=True)


def test_the_bank_is_off_in_the_baseline_arm():
    model = api.build(SCENARIO, "baseline", seed=2, residents=300)
    model.run_for(120)
    bank = _bank(model)
    assert not model.state.points.any() and not bank.publications
    ts = model.timeseries()
    assert ts["deeds_done"].sum() > 0         # intrinsic deeds go on without accounts
    assert ts["merit_claims"].sum() == 0


def test_recorded_deeds_match_hesilu():
    """More than 10,000 deeds of 300+ households in about nine years (Chinanews 2017):
    about 3.7 recorded deeds a household a year. The first year's accepted claims per
    household must be within a factor of two of it."""
    rates = []
    for seed in (1, 2):
        model = api.build(SCENARIO, "intervention", seed=seed)
        model.run_for(YEAR)
        households = len(np.unique(model.state.household))
        rates.append(model.timeseries()["merit_accepted"].sum() / households)
    assert 3.7 / 2 <= np.mean(rates) <= 3.7 * 2, rates


# -- paired comparisons ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def arms():
    """The summary rows of each arm, on the same seeds (common random numbers)."""
    seeds = replicate_seeds(2024, REPLICATES)
    runs = {"baseline": ("baseline", {}), "bank": ("intervention", {}),
            "crowding": ("intervention", {"merit.crowding_out": 0.5}),
            "eligible": ("intervention", {"merit.migrants_eligible": True})}
    out = {name: run_arm(SCENARIO, arm, seeds, overrides=over, **PAIRED)
           for name, (arm, over) in runs.items()}
    # with the active ingredient structurally off the arms must agree exactly, so a few
    # replicates decide
    out["zero"] = run_arm(SCENARIO, "intervention", seeds[:ZERO_REPLICATES],
                          overrides={"merit.table_scale": 0.0, "merit.exemplar": False},
                          **PAIRED)
    return out


def _effect(arms, before, after, outcomes):
    return paired_effects(arms[before], arms[after], outcomes).set_index("outcome")


@pytest.mark.slow
def test_the_bank_raises_deeds_and_weighted_degree(arms):
    """More deeds strengthen the ties they run along and form new ones, so residents'
    weighted degree (the sum of their tie strengths) rises. Mean tie strength is not
    claimed: new ties form weaker than the mean, and at Hesilu's calibrated rate of deeds
    its change does not resolve in 20 pairs (docs/ODD.md, section 7.12)."""
    eff = _effect(arms, "baseline", "bank", ["deeds_done", "deeds_weighted_degree_mean"])
    assert (eff["ci_low"] > 0).all(), eff


@pytest.mark.slow
def test_with_a_zero_point_table_and_no_exemplar_the_effect_on_deeds_vanishes(arms):
    base = arms["baseline"].iloc[:ZERO_REPLICATES]
    eff = paired_effects(base, arms["zero"], ["deeds_done", "tie_strength_mean",
                                              "deeds_motivation_mean"]).set_index("outcome")
    # the active ingredient is structurally off: the arms are identical
    assert (eff["diff_mean"] == 0).all(), eff
    assert arms["zero"]["merit_claims"].sum() > 0   # claims are still filed and assessed


@pytest.mark.slow
def test_strong_crowding_out_shrinks_the_effect_on_deeds(arms):
    eff = _effect(arms, "bank", "crowding", ["deeds_done", "deeds_motivation_mean"])
    assert eff.loc["deeds_done", "ci_high"] < 0, eff
    assert eff.loc["deeds_motivation_mean", "ci_high"] < 0, eff
    # what is left of the Bank's effect is below half of it
    full = _effect(arms, "baseline", "bank", ["deeds_done"]).loc["deeds_done", "diff_mean"]
    left = _effect(arms, "baseline", "crowding", ["deeds_done"]).loc["deeds_done",
                                                                       "diff_mean"]
    assert left < full / 2, (left, full)


@pytest.mark.slow
def test_migrants_ineligible_for_homesteads_widen_the_points_gap(arms):
    eff = _effect(arms, "eligible", "bank", ["merit_points_gap"])
    assert eff.loc["merit_points_gap", "ci_low"] > 0, eff


def test_without_the_deed_process_the_bank_assesses_only_false_claims():
    model = api.build(SCENARIO, "intervention", seed=3, residents=300,
                      set={"deeds.enabled": False, "merit.gaming_rate": 0.05,
                           "merit.reward_value": 10.0, "merit.retro_share": 0.0})
    assert model.deeds is None
    model.run_for(40)
    ts = model.timeseries()
    assert not any(c.startswith("deeds_") for c in ts.columns)
    assert ts["merit_false_claims"].sum() > 0
    assert (ts["merit_claims"] == ts["merit_false_claims"]).all()
