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


def test_without_donations_or_subsidy_nothing_is_funded():
    zero = {"foundation.donate_rate": 0.0}
    eff = compare_arms("community_foundation", ["needs_met_share_targeted", "donations"],
                       replicates=3, steps=60, residents=300, baseline=zero,
                       intervention=zero)
    assert (eff["diff_mean"] == 0).all()
    assert eff.loc["donations", "intervention_mean"] == 0


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
