"""Invariants that hold for any parameters (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsim import CommunityModel
from govsim.agents import AGENT_CLASSES
from govsim.metrics import core_measures

SHARES = ("bridging_share", "participation_rate", "needs_met_share",
          "responded_within_30min_share", "social_trust_mean", "legitimacy_mean",
          "grievance_mean", "hardship_mean", "clustering", "tie_strength_mean")
COUNTS = ("disputes", "conflicts", "intergroup_conflicts", "mediated", "unresolved_cases",
          "bounced_cases", "conflict_rate", "response_minutes_mean", "resolution_days_mean")

params = st.fixed_dictionaries({
    "community.residents": st.integers(30, 400),
    "community.communities": st.integers(1, 3),
    "community.wards_per_community": st.integers(1, 6),
    "community.migrant_share": st.floats(0.0, 1.0),
    "community.homophily": st.floats(0.0, 0.99),
    "community.household_size": st.floats(1.0, 5.0),
    "community.departments": st.integers(1, 30),
    "dispute.base_rate": st.floats(0.0, 0.05),
    "interaction.decay": st.floats(0.0, 0.3),
    "interaction.contact_rate": st.floats(0.0, 1.0),
    "needs.rate": st.floats(0.0, 0.3),
    "government.cross_share": st.floats(0.0, 1.0),
    "residents.legitimacy_established": st.floats(0.0, 1.0),
    "residents.hardship_migrant": st.floats(0.0, 1.0),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params, st.integers(0, 2**32 - 1))
def test_state_and_measures_stay_in_bounds(p, seed):
    m = CommunityModel(params=p, rng=seed)
    m.run_for(12)
    df = m.timeseries()
    st_ = m.state
    # agent counts as specified
    assert len(m.agents_by_type[AGENT_CLASSES["Resident"]]) == p["community.residents"]
    assert len(m.departments) == p["community.departments"]
    assert len(m.committees) == p["community.communities"]
    # tie strengths in (0, 1], shares in [0, 1], counts non-negative, no NaN
    assert np.all((m.ties.w > 0) & (m.ties.w <= 1))
    for arr in (st_.hardship, st_.legitimacy, st_.social_trust, st_.prosociality):
        assert np.all((arr >= 0) & (arr <= 1))
    assert not df.isna().any().any()
    assert set(core_measures()) <= set(df.columns)
    for col in SHARES:
        assert df[col].between(0, 1).all(), col
    assert df["ei_index"].between(-1, 1).all()
    for col in COUNTS:
        assert (df[col] >= 0).all(), col
    assert (df["conflicts"] <= df["disputes"]).all()
    assert (df["intergroup_conflicts"] <= df["conflicts"]).all()
