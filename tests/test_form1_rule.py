"""Form 1, vertical: the response rule against ordinary handling."""

import numpy as np
import pytest

from govsim.analysis import tost
from tests.helpers import compare_arms, replicate_seeds, run_arm

pytestmark = pytest.mark.slow
SIZE = dict(replicates=20, steps=200, residents=1000)


def test_the_rule_speeds_responses_and_eradicates_illicit_sites():
    eff = compare_arms("response_rule", ["responded_within_30min_share", "illicit_sites",
                                         "hardship_mean"], **SIZE)
    assert eff.loc["responded_within_30min_share", "ci_low"] > 0
    assert eff.loc["illicit_sites", "ci_high"] < 0


def test_without_evaluation_and_deadline_the_effect_on_timeliness_vanishes():
    """The threshold falls back to 30 minutes; the whistle still routes directly."""
    unbounded = {"rule.deadline_minutes": 100_000.0}
    seeds = replicate_seeds(12345, SIZE["replicates"])
    size = dict(steps=SIZE["steps"], residents=SIZE["residents"])
    base = run_arm("response_rule", "baseline", seeds, overrides=unbounded, **size)
    full = run_arm("response_rule", "intervention", seeds, **size)
    ablated = run_arm("response_rule", "intervention", seeds,
                      overrides={**unbounded, "rule.evaluation": False}, **size)
    for outcome in ["responded_within_30min_share"]:
        # equivalence within 20% of the full rule's effect (TOST at 5%): with 20
        # pairs a 10% margin is below what the noise of these outcomes can resolve
        margin = 0.2 * abs((full[outcome] - base[outcome]).mean())
        test = tost(ablated[outcome] - base[outcome], margin)
        assert test["equivalent"], (outcome, test)


def test_timeliness_and_remaining_sites_change_monotonically_with_the_deadline():
    seeds = replicate_seeds(99, 12)
    within, sites = [], []
    for deadline in (15.0, 30.0, 60.0, 120.0):
        runs = run_arm("response_rule", "intervention", seeds, steps=200, residents=1000,
                       overrides={"rule.deadline_minutes": deadline})
        within.append(runs["responded_within_30min_share"].mean())
        sites.append(runs["illicit_sites"].mean())
    assert np.all(np.diff(within) > 0), within   # a longer deadline is easier to meet
    assert np.all(np.diff(sites) > 0), sites     # but arriving later lets operators escape


@pytest.mark.parametrize("order", [("hotline", "rule"), ("rule", "hotline")])
def test_the_whistle_bypasses_a_unified_hotline_whatever_the_order(order):
    """Both institutions at once: eligible cases go straight to the department called
    (the rule), every other case goes through the centre (the hotline)."""
    from govsim import api
    from govsim.institutions.response_rule import ELIGIBLE
    m = api.build("response_rule", "intervention", residents=1000, seed=4,
                  set={"model.institutions": order, "hotline.merged": 23})
    seen = []
    m.gov.listeners.append(lambda case, outcome: seen.append(case))
    m.run_for(60)
    eligible = [c for c in seen if c.resident < 0 and c.category in ELIGIBLE]
    others = [c for c in seen if c.resident >= 0]
    assert eligible and others
    assert all("centre" not in c.tags and c.tags.get("whistled") for c in eligible)
    assert sum(bool(c.tags.get("centre")) for c in others) > len(others) / 2
    assert m.timeseries()["hotline_centre_cases"].sum() > 0
