"""Form 2: the community foundation — participation and the conservation of money."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsim import api
from tests.helpers import compare_arms


@pytest.mark.slow
def test_donors_taking_part_raises_participation():
    eff = compare_arms("community_foundation", ["participation_rate", "social_trust_mean"],
                       replicates=20, steps=200, residents=1000)
    assert eff.loc["participation_rate", "ci_low"] > 0
    assert eff.loc["social_trust_mean", "ci_low"] > 0


@pytest.mark.slow
def test_the_foundations_projects_raise_the_targeted_needs_met():
    """Against no foundation at all (the same community, the same seeds)."""
    eff = compare_arms("community_foundation", ["needs_met_share_targeted",
                                                "foundation_served"],
                       replicates=10, steps=200, residents=1000,
                       baseline={"foundation.enabled": False})
    assert eff.loc["needs_met_share_targeted", "ci_low"] > 0
    assert eff.loc["foundation_served", "ci_low"] > 0


@pytest.mark.slow
def test_without_donations_the_effect_on_targeted_needs_vanishes():
    zero = {"foundation.donate_rate": 0.0}
    eff = compare_arms("community_foundation", ["needs_met_share_targeted", "donations",
                                                "projects_funded"],
                       replicates=12, steps=90, residents=600, baseline=zero,
                       intervention=zero)
    row = eff.loc["needs_met_share_targeted"]
    assert row["ci_low"] <= 0 <= row["ci_high"]
    assert eff.loc["donations", "intervention_mean"] == 0
    assert eff.loc["projects_funded", "intervention_mean"] == 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.floats(0.0, 0.05), st.floats(1.0, 200.0), st.integers(1, 40))
def test_money_in_equals_money_spent_plus_balance(participation, rate, cost, interval):
    m = api.build("community_foundation", residents=300, seed=2,
                  set={"foundation.participation": participation,
                       "foundation.donate_rate": rate, "foundation.project_cost": cost,
                       "foundation.project_interval": interval})
    inst = m.institutions[0]
    for _ in range(60):
        m.step()
        money_in = inst.donated + inst.subsidy_total
        assert inst.balance >= 0
        assert money_in == pytest.approx(inst.spent + inst.balance, rel=1e-9, abs=1e-9)
