"""Form 3: the culture courtyard raises participation, tie strength and, with mixed groups,
bridging; effects grow with the number of groups and vanish without groups."""

import numpy as np
import pytest

from govsim import api
from govsim.analysis import paired_effects
from tests.helpers import compare_arms, replicate_seeds, run_arm

SCENARIO = "culture_courtyard"
OUTCOMES = ["participation_rate", "tie_strength_mean", "bridging_share"]
PAIRED = dict(steps=120, residents=600)


@pytest.fixture(scope="module")
def arms():
    seeds = replicate_seeds(77, 20)
    return {"baseline": run_arm(SCENARIO, "baseline", seeds, **PAIRED),
            "mixed": run_arm(SCENARIO, "intervention", seeds, **PAIRED),
            "single_origin": run_arm(SCENARIO, "intervention", seeds,
                                     overrides={"courtyard.mixed": False}, **PAIRED)}


@pytest.mark.slow
def test_the_courtyard_raises_participation_ties_and_bridging(arms):
    eff = paired_effects(arms["baseline"], arms["mixed"], OUTCOMES).set_index("outcome")
    assert (eff["ci_low"] > 0).all(), eff


@pytest.mark.slow
def test_bridging_needs_mixed_groups(arms):
    eff = paired_effects(arms["single_origin"], arms["mixed"],
                         ["bridging_share"]).set_index("outcome")
    assert eff.loc["bridging_share", "ci_low"] > 0, eff
    # single-origin groups still raise participation and tie strength
    alone = paired_effects(arms["baseline"], arms["single_origin"],
                           OUTCOMES).set_index("outcome")
    assert alone.loc["participation_rate", "ci_low"] > 0, alone
    assert alone.loc["bridging_share", "ci_high"] < \
        paired_effects(arms["baseline"], arms["mixed"],
                       ["bridging_share"]).set_index("outcome").loc["bridging_share", "ci_low"]


def test_with_zero_groups_nothing_changes():
    eff = compare_arms(SCENARIO, OUTCOMES, replicates=3, steps=40, residents=300,
                       intervention={"courtyard.groups": 0})
    assert (eff["diff_mean"] == 0).all()


def test_groups_respect_capacity_origin_and_the_courtyard_ward():
    model = api.build(SCENARIO, "intervention", seed=5, residents=600,
                      set={"courtyard.capacity": 12, "courtyard.open": False,
                           "courtyard.mixed": False})
    yard = model.institutions[0]
    st = model.state
    members = np.concatenate(yard.groups)
    assert len(members) == len(np.unique(members))           # one group a resident
    assert all(len(g) <= 12 for g in yard.groups)
    assert (st.ward[members] == 0).all()                       # the courtyard's ward only
    assert (st.age_group[members] >= 1).all()
    for g, rows in enumerate(yard.groups):
        assert (st.origin[rows] == g % 2).all()
    orgs = [o for o in model.orgs if o.role == "culture group"]
    assert len(orgs) == 8
    model.run_for(14)
    assert (st.last_participation[members] >= 0).any()


@pytest.mark.slow
def test_effects_grow_with_the_number_of_groups():
    seeds = replicate_seeds(11, 8)
    means = {o: [] for o in OUTCOMES}
    for groups in (0, 2, 8, 16):
        runs = run_arm(SCENARIO, "intervention", seeds, steps=120, residents=600,
                       overrides={"courtyard.groups": groups})
        for o in OUTCOMES:
            means[o].append(runs[o].mean())
    for o in ("participation_rate", "tie_strength_mean"):
        assert np.all(np.diff(means[o]) > 0), (o, means[o])
    assert means["bridging_share"][-1] > means["bridging_share"][0]
