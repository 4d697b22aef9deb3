"""Form 1, vertical: the response rule against ordinary handling."""

import pytest

from tests.helpers import compare_arms

pytestmark = pytest.mark.slow
SIZE = dict(replicates=20, steps=200, residents=1000)


def test_the_rule_gets_personnel_to_reported_sites_sooner():
    """As in Jinhaihu, the town blows the whistle on what its villages report: even with
    the town's escalation delay, personnel reach reported sites sooner than through the
    ordinary hotlines and queues. (Shutting sites needs them there before the operators
    escape, which the escalation mostly prevents: see the delegation test.)"""
    eff = compare_arms("response_rule", ["rule_site_response_minutes"], **SIZE)
    assert eff.loc["rule_site_response_minutes", "ci_high"] < 0


@pytest.mark.xfail(strict=True, reason="at the calibrated mobilisation (8.7 min) the town's "
                   "escalation swamps the deadline: 15 against 60 minutes does not resolve")
def test_a_shorter_deadline_gets_personnel_to_sites_sooner():
    """Dose-response by paired intervals between two deadlines on the same seeds (the rule
    on in both arms), not by ordering means. The share of all responses within 30
    minutes, dominated by residents' needs, does not resolve the difference at 20 pairs."""
    on = {"rule.enabled": True}
    eff = compare_arms("response_rule", ["rule_site_response_minutes"],
                       baseline={**on, "government.deadline_minutes": 60.0},
                       intervention={"government.deadline_minutes": 15.0}, **SIZE)
    assert eff.loc["rule_site_response_minutes", "ci_high"] < 0


def test_delegating_the_whistle_to_villages_saves_the_escalation_and_shuts_more_sites():
    eff = compare_arms("response_rule", ["rule_site_response_minutes", "rule_illicit_sites"],
                       baseline={"rule.enabled": True, "rule.delegated": False},
                       intervention={"rule.delegated": True}, **SIZE)
    assert eff.loc["rule_site_response_minutes", "ci_high"] < 0
    assert eff.loc["rule_illicit_sites", "ci_high"] < 0



@pytest.mark.parametrize("order", [("hotline", "rule"), ("rule", "hotline")])
def test_the_whistle_bypasses_a_unified_hotline_whatever_the_order(order):
    """Both institutions at once: eligible cases go straight to the department called
    (the rule), every other case goes through the centre (the hotline)."""
    from govsim import api
    from govsim.institutions.response_rule import ELIGIBLE
    m = api.build("response_rule", "intervention", residents=1000, seed=4,
                  set={"model.institutions": order, "hotline.enabled": True})
    seen = []
    m.gov.listeners.append(lambda case, outcome: seen.append(case))
    m.run_for(60)
    eligible = [c for c in seen if c.resident < 0 and c.category in ELIGIBLE]
    others = [c for c in seen if c.resident >= 0]
    assert eligible and others
    assert all("centre" not in c.tags and c.tags.get("whistled") for c in eligible)
    assert sum(bool(c.tags.get("centre")) for c in others) > len(others) / 2
    assert m.timeseries()["hotline_centre_cases"].sum() > 0
