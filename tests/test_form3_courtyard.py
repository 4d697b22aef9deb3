"""Form 3: the culture courtyard raises participation, tie strength and bridging."""

import numpy as np
import pytest

from tests.helpers import compare_arms, replicate_seeds, run_arm

OUTCOMES = ["participation_rate", "tie_strength_mean", "bridging_share"]


@pytest.mark.slow
def test_the_courtyard_raises_participation_ties_and_bridging():
    eff = compare_arms("culture_courtyard", OUTCOMES, replicates=20, steps=150,
                       residents=800)
    for outcome in OUTCOMES:
        assert eff.loc[outcome, "ci_low"] > 0, outcome


def test_with_zero_groups_nothing_changes():
    eff = compare_arms("culture_courtyard", OUTCOMES, replicates=3, steps=40,
                       residents=300, intervention={"courtyard.groups": 0})
    assert (eff["diff_mean"] == 0).all()


@pytest.mark.slow
def test_effects_grow_with_the_number_of_groups():
    seeds = replicate_seeds(11, 8)
    means = {o: [] for o in OUTCOMES}
    for groups in (0, 2, 8, 16):
        runs = run_arm("culture_courtyard", "intervention", seeds, steps=120, residents=800,
                       overrides={"courtyard.groups": groups})
        for o in OUTCOMES:
            means[o].append(runs[o].mean())
    for o in ("participation_rate", "tie_strength_mean"):
        assert np.all(np.diff(means[o]) > 0), (o, means[o])
    assert means["bridging_share"][-1] > means["bridging_share"][0]
