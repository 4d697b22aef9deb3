"""Form 2: purchased services raise needs met, more with inspection than without."""

import pytest

from tests.helpers import compare_arms

SIZE = dict(replicates=20, steps=200, residents=1000)


NEW_MONEY = {"purchase.displaced": 0.0}


@pytest.mark.slow
def test_purchase_with_new_money_raises_needs_met():
    eff = compare_arms("service_purchase", ["needs_met_share"], intervention=NEW_MONEY,
                       **SIZE)
    assert eff.loc["needs_met_share", "ci_low"] > 0


@pytest.mark.slow
def test_money_taken_from_the_committees_buys_less_than_new_money():
    """The budget share is spent: the more of it comes out of the committees' own
    provision, the fewer needs are met (both arms buy services, on the same seeds)."""
    eff = compare_arms("service_purchase", ["needs_met_share"],
                       baseline={"purchase.enabled": True, **NEW_MONEY},
                       intervention={"purchase.displaced": 1.0}, **SIZE)
    assert eff.loc["needs_met_share", "ci_high"] < 0


@pytest.mark.slow
def test_inspection_makes_purchase_work_better():
    eff = compare_arms("service_purchase", ["needs_met_share", "purchase_quality_mean"],
                       baseline={"purchase.enabled": True, "purchase.budget_share": 0.09,
                                 "purchase.inspection": False, **NEW_MONEY},
                       intervention=NEW_MONEY, **SIZE)
    assert eff.loc["needs_met_share", "ci_low"] > 0
    assert eff.loc["purchase_quality_mean", "ci_low"] > 0


@pytest.mark.slow
def test_needs_met_rise_with_the_budget_share():
    eff = compare_arms("service_purchase", ["needs_met_share", "purchase_served"],
                       replicates=10, steps=150, residents=1000,
                       baseline={"purchase.enabled": True, "purchase.budget_share": 0.03,
                                 **NEW_MONEY},
                       intervention={"purchase.budget_share": 0.2, **NEW_MONEY})
    assert eff.loc["needs_met_share", "ci_low"] > 0
    assert eff.loc["purchase_served", "ci_low"] > 0


def test_a_zero_budget_share_buys_nothing():
    eff = compare_arms("service_purchase", ["needs_met_share", "hardship_mean"],
                       replicates=3, steps=30, residents=300,
                       intervention={"purchase.budget_share": 0.0})
    assert (eff["diff_mean"] == 0).all()


def _replaced_after_one_contract(needs_rate: float) -> float:
    from govsim import api
    m = api.build("service_purchase", "intervention", residents=600, seed=4,
                  set={"purchase.quality": 0.1, "purchase.accuracy": 1.0,
                       "purchase.contract_days": 30, "needs.rate": needs_rate})
    m.run_for(30)
    return m.timeseries()["purchase_replaced"].sum()


def test_inspection_judges_what_a_contractor_delivered_not_its_latent_quality():
    """Poor contractors (latent quality 0.1) with needs to serve are found out and
    replaced; with no needs to serve they deliver nothing to judge and are renewed."""
    assert _replaced_after_one_contract(0.02) > 0
    assert _replaced_after_one_contract(0.0) == 0


def test_the_money_comes_out_of_the_committees_provision():
    from govsim import api
    m = api.build("service_purchase", "intervention", residents=1000, seed=2,
                  set={"purchase.displaced": 1.0})
    m.step()
    assert any(c.contributions.get("purchase", 0) < 0 for c in m.committees)
    assert m.timeseries()["purchase_spent_total"].iloc[-1] == pytest.approx(0.09)
