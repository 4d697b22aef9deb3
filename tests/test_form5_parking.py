"""Form 5: parking micro-renewal."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsim import api
from tests.helpers import compare_arms, replicate_seeds, run_arm


@pytest.mark.slow
def test_renewal_lowers_parking_disputes():
    eff = compare_arms("parking_renewal", ["parking_disputes", "parking_occupancy",
                                           "parking_search_minutes"],
                       replicates=20, steps=150, residents=1200)
    for outcome in eff.index:
        assert eff.loc[outcome, "ci_high"] < 0, outcome


def test_without_barriers_to_remove_or_spots_to_add_the_effect_vanishes():
    none = {"parking.added_spots": 0, "parking.barrier_share": 0.0}
    eff = compare_arms("parking_renewal", ["parking_disputes", "parking_occupancy"],
                       replicates=3, steps=60, residents=600, baseline=none,
                       intervention=none)
    assert (eff["diff_mean"] == 0).all()


@pytest.mark.slow
def test_parking_disputes_rise_steeply_above_ninety_percent_occupancy():
    seeds = replicate_seeds(3, 6)
    occ, disputes = [], []
    for spots in (1.3, 0.8, 0.68):
        runs = run_arm("parking_renewal", "baseline", seeds, steps=90, residents=1500,
                       overrides={"parking.spots_per_car": spots,
                                  "parking.barrier_share": 0.0})
        occ.append(runs["parking_occupancy"].mean())
        disputes.append(runs["parking_disputes"].mean())
    assert occ[0] < 0.8 < occ[1] < 0.9 < occ[2]
    low_slope = (disputes[1] - disputes[0]) / (occ[1] - occ[0])
    high_slope = (disputes[2] - disputes[1]) / (occ[2] - occ[1])
    assert high_slope > 3 * max(low_slope, 1e-9), (occ, disputes)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.2, 1.5), st.floats(0.0, 1.0), st.integers(0, 400), st.booleans())
def test_spots_never_exceed_physical_capacity(spots, barriers, added, renewal):
    m = api.build("parking_renewal", residents=400, seed=1,
                  set={"parking.spots_per_car": spots, "parking.barrier_share": barriers,
                       "parking.added_spots": added, "parking.enabled": renewal,
                       "parking.consult_interval": 5})
    inst = m.institutions[0]
    for _ in range(20):
        m.step()
        assert np.all(inst.parked <= inst.spots)
        assert np.all(inst.spots <= np.maximum(inst.capacity, np.floor(
            spots * np.bincount(inst.comm, minlength=len(inst.spots)))))
        assert 0 <= m.timeseries()["parking_occupancy"].iloc[-1] <= 1.5


def test_a_plan_with_more_spots_persuades_more_owners():
    """Same owners, same draws: the plan's promised search time is the only difference."""
    agreed = {}
    for added in (0, 140):
        m = api.build("parking_renewal", "intervention", residents=3000, seed=2,
                      set={"parking.added_spots": added})
        m.step()   # the first round of consultation
        agreed[added] = m.institutions[0].agreed.copy()
    assert np.all(agreed[140] >= agreed[0])
    assert agreed[140].sum() > 1.2 * agreed[0].sum()


def test_without_search_aversion_the_plan_does_not_matter_to_consent():
    agreed = {}
    for added in (0, 140):
        m = api.build("parking_renewal", "intervention", residents=3000, seed=2,
                      set={"parking.added_spots": added, "parking.search_aversion": 0.0})
        m.step()
        agreed[added] = m.institutions[0].agreed.copy()
    assert np.array_equal(agreed[140], agreed[0])
