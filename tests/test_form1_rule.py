"""Form 1, vertical: the response rule against ordinary handling."""

import pytest

from govsim.analysis import tost
from tests.helpers import compare_arms, replicate_seeds, run_arm

pytestmark = pytest.mark.slow
SIZE = dict(replicates=20, steps=200, residents=1000)


def test_the_rule_gets_personnel_to_reported_sites_sooner():
    """As in Jinhaihu, the town blows the whistle on what its villages report: even with
    the town's escalation delay, personnel reach reported sites sooner than through the
    ordinary hotlines and queues. (Shutting sites needs them there before the operators
    escape, which the escalation mostly prevents: see the delegation test.)"""
    eff = compare_arms("response_rule", ["rule_site_response_minutes"], **SIZE)
    assert eff.loc["rule_site_response_minutes", "ci_high"] < 0


def test_at_the_calibrated_mobilisation_the_deadline_adds_nothing_to_the_whistle():
    """The deadline obliges a called department to send its first free staff member at
    once, mobilising within min(mobilise/e, slack x deadline). At the calibrated
    mobilisation (8.7 minutes) and a scenario's one staff member per department, the
    ordinary queue is short and mobilisation already fast, so the obligation has nothing
    to speed up: with the rule on, a 30-minute deadline and no deadline at all give site
    response times equivalent within 20% of the whistle's own effect (TOST at 5%). The
    rule acts by routing (straight to the right departments, jointly) and, delegated, by
    saving the escalation; what a deadline does where departments are congested is an
    uncertainty (government.staff_per_10k, government.mobilise_minutes)."""
    seeds = replicate_seeds(12345, SIZE["replicates"])
    size = dict(steps=SIZE["steps"], residents=SIZE["residents"])
    outcome = "rule_site_response_minutes"
    none = run_arm("response_rule", "baseline", seeds, **size)[outcome]
    rule = run_arm("response_rule", "intervention", seeds, **size)[outcome]
    unbounded = run_arm("response_rule", "intervention", seeds,
                        overrides={"government.deadline_minutes": 10_000.0}, **size)[outcome]
    assert (rule - none).mean() < 0                # the whistle itself speeds responses
    margin = 0.2 * abs((rule - none).mean())
    test = tost(rule - unbounded, margin)
    assert test["equivalent"], test


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
