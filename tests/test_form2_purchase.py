"""Form 2: purchased services raise needs met, more with inspection than without."""

import pytest

from tests.helpers import compare_arms

SIZE = dict(replicates=20, steps=200, residents=1000)


@pytest.mark.slow
def test_purchase_raises_needs_met():
    eff = compare_arms("service_purchase", ["needs_met_share"], **SIZE)
    assert eff.loc["needs_met_share", "ci_low"] > 0


@pytest.mark.slow
def test_inspection_makes_purchase_work_better():
    eff = compare_arms("service_purchase", ["needs_met_share", "purchase_quality_mean"],
                       baseline={"purchase.enabled": True, "purchase.budget_share": 0.09,
                                 "purchase.inspection": False}, **SIZE)
    assert eff.loc["needs_met_share", "ci_low"] > 0
    assert eff.loc["purchase_quality_mean", "ci_low"] > 0


@pytest.mark.slow
def test_needs_met_rise_with_the_budget_share():
    eff = compare_arms("service_purchase", ["needs_met_share", "purchase_served"],
                       replicates=10, steps=150, residents=1000,
                       baseline={"purchase.enabled": True, "purchase.budget_share": 0.03},
                       intervention={"purchase.budget_share": 0.2})
    assert eff.loc["needs_met_share", "ci_low"] > 0
    assert eff.loc["purchase_served", "ci_low"] > 0


def test_a_zero_budget_share_buys_nothing():
    eff = compare_arms("service_purchase", ["needs_met_share", "hardship_mean"],
                       replicates=3, steps=30, residents=300,
                       intervention={"purchase.budget_share": 0.0})
    assert (eff["diff_mean"] == 0).all()
