"""Dose-response checks on the baseline itself, by paired replicates and a 95% interval."""

import pytest

from tests.helpers import compare_arms

pytestmark = pytest.mark.slow


def test_a_higher_dispute_base_rate_raises_conflicts():
    eff = compare_arms("baseline", ["conflicts", "disputes"], replicates=20, steps=120,
                       residents=800, intervention={"dispute.base_rate": 0.0004})
    assert eff.loc["disputes", "ci_low"] > 0
    assert eff.loc["conflicts", "ci_low"] > 0


def test_lower_initial_legitimacy_raises_conflicts():
    low = {"residents.legitimacy_established": 0.2, "residents.legitimacy_migrant": 0.1}
    eff = compare_arms("baseline", ["conflicts", "grievance_mean"], replicates=20,
                       steps=120, residents=800,
                       baseline={"dispute.base_rate": 0.0003},
                       intervention={"dispute.base_rate": 0.0003, **low})
    assert eff.loc["grievance_mean", "ci_low"] > 0
    assert eff.loc["conflicts", "ci_low"] > 0


def test_identical_arms_give_exactly_zero_differences():
    eff = compare_arms("baseline", ["conflicts", "legitimacy_mean", "bridging_share"],
                       replicates=3, steps=20, residents=300)
    assert (eff["diff_mean"] == 0).all()
