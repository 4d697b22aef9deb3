"""Form 4: the Harmony Promotion Association — calibration, paired effects, vice chair."""

import numpy as np
import pytest
from scipy import stats

from govsim import api
from tests.helpers import compare_arms

pytestmark = pytest.mark.slow
# the calibrated world, at the scenario's size
CALIBRATED = dict(replicates=20, steps=365, residents=3000)
# a high-conflict world (fifty times the calibrated rate of disputes), where 20 pairs of
# 2,000 residents see enough inter-group conflicts to test the sign of a mechanism
CONFLICTED = {"dispute.base_rate": 0.001}
SIZE = dict(replicates=20, steps=240, residents=2000)


def test_the_calibrated_baseline_reproduces_the_reported_conflict_rate():
    """About 600 conflicts a year among 2.12 million people: 0.28 per 1,000 a year.

    Six one-year runs of 10,000 residents give 60,000 person-years; the observed count must
    be compatible with a Poisson count of mean 0.28 per 1,000 person-years (two-sided exact
    test at the 1% level), i.e. within about a factor 1.7 of the target either way.
    """
    events, person_years = 0, 0.0
    for seed in range(6):
        df = api.run("harmony_association", steps=365, seed=1000 + seed, residents=10_000)
        events += int(df["intergroup_conflicts"].sum())
        person_years += 10_000 / 1000
    expected = 0.28 * person_years
    p_low = stats.poisson.cdf(events, expected)
    p_high = stats.poisson.sf(events - 1, expected)
    assert min(p_low, p_high) > 0.005, (events, expected)


def test_at_the_calibrated_rates_the_association_brokers_bridging_ties():
    """Cixi's world as calibrated, at the scenario's size. Inter-group conflicts and the
    success of mediation are not claimed here: at 0.28 per 1,000 a year a community of
    3,000 has under one conflict a year, and even 10 pairs of 100,000 residents do not
    resolve the association's effect on them (docs/ODD.md, 7.14)."""
    eff = compare_arms("harmony_association", ["bridging_share"], **CALIBRATED)
    assert eff.loc["bridging_share", "ci_low"] > 0


def test_where_conflicts_are_many_the_association_mediates_them_more_successfully():
    """The sign of the mechanism, where there are conflicts to count: a rate of disputes
    fifty times the calibrated one."""
    eff = compare_arms("harmony_association", ["harmony_intergroup_success_share",
                                               "intergroup_conflicts"],
                       baseline=CONFLICTED, intervention=CONFLICTED, **SIZE)
    assert eff.loc["harmony_intergroup_success_share", "ci_low"] > 0
    # the fall in intergroup conflicts no longer resolves (next test); they do not rise
    assert eff.loc["intergroup_conflicts", "ci_low"] < 0


@pytest.mark.xfail(strict=True, reason=(
    "at the refitted baseline and Cixi defaults the same 20 pairs give +0.0008 [-0.024, "
    "0.026] a day (it was barely resolved before the refits, -0.027 [-0.050, -0.003]): "
    "the association mediates more successfully (+0.066 [0.042, 0.090]), and the disputes "
    "its brokered ties bring offset that in this design"))
def test_where_conflicts_are_many_the_association_lowers_them():
    eff = compare_arms("harmony_association", ["intergroup_conflicts"],
                       baseline=CONFLICTED, intervention=CONFLICTED, **SIZE)
    assert eff.loc["intergroup_conflicts", "ci_high"] < 0


def test_the_ties_ward_leaders_broker_bring_disputes_across_origins():
    """With its ward leaders the association also brokers bridging ties, and contact
    along them brings disputes: against the association without members, disputes
    and bridging both rise (what offsets its mediation; docs/ODD.md, 7.14)."""
    eff = compare_arms("harmony_association", ["disputes", "bridging_share"],
                       baseline={**CONFLICTED, "harmony.join_share": 0.0},
                       intervention=CONFLICTED, **SIZE)
    assert eff.loc["bridging_share", "ci_low"] > 0
    assert eff.loc["disputes", "ci_low"] > 0


def test_without_a_migrant_vice_chair_migrant_parties_are_mediated_less_successfully():
    """The rule itself, on 4,000 disputes between an established resident and a migrant
    of a ward with no migrant leader, all taken by the association: each succeeds with
    logistic(a + b (T_u + T_v - 1)), and a migrant vice chair raises the migrant's trust
    T. At an intercept below the ceiling (a = -0.5) the two success rates dock with the
    formula and differ. (At an earlier calibrated intercept, 2.26, mediation succeeded
    about 95% of the time and the window share the scenario reports moved by about +0.010
    [-0.007, 0.028] in 20 pairs of 2,000 residents of the high-conflict world: too little
    to resolve there.)"""
    from govsim.processes.day import DayCounts
    from govsim.processes.rules import logistic
    rates, expected = [], []
    for vice_chair in (False, True):
        m = api.build("harmony_association", "intervention", residents=600, seed=5,
                      set={"harmony.vice_chair_migrant": vice_chair,
                           "mediation.intercept": -0.5, "dispute.settle_base": 0.0,
                           "dispute.settle_tie": 0.0, "dispute.seek_mediation": 1.0})
        inst = next(i for i in m.institutions if i.name == "harmony")
        med = next(x for x in m.disputes.mediators if x.name == "harmony association")
        st = m.state
        lonely = np.nonzero((st.origin == 1) & ~inst.leader_of[st.ward, 1])[0]
        local = np.nonzero((st.origin == 0) & (st.community == st.community[lonely[0]]))[0]
        n = 4000
        u = np.full(n, local[0], dtype=np.int64)
        v = np.full(n, lonely[0], dtype=np.int64)
        med.capacity = lambda c, n=n: n  # type: ignore[method-assign]
        m.today = DayCounts()
        q = m.params.section("mediation")
        expected.append(logistic(np.array([q.intercept + q.trust_slope * (
            med.trust(u[:1]) + med.trust(v[:1]) - 1.0)[0]]))[0])
        rates.append(m.disputes.resolve(u, v, np.full(n, -1))["mediated"].mean())
    assert expected[1] > expected[0]
    # four binomial standard errors of 4,000 trials
    for rate, exp in zip(rates, expected, strict=True):
        assert abs(rate - exp) < 4 * np.sqrt(exp * (1 - exp) / n), (rates, expected)
    assert rates[1] > rates[0]


def test_disabled_association_changes_nothing():
    a = api.run("harmony_association", steps=30, seed=3, residents=400)
    b = api.run("harmony_association", steps=30, seed=3, residents=400,
                set={"harmony.vice_chair_migrant": False, "harmony.ward_size": 20})
    assert np.array_equal(a.drop(columns="step").to_numpy(), b.drop(columns="step").to_numpy())


def test_a_party_trusts_the_association_more_when_someone_of_their_origin_mediates():
    """Insider-partial mediation: a migrant party in a ward without a migrant leader
    trusts the team more with a migrant vice chair; an established party always has the
    chair."""
    def mediator(vice_chair_migrant):
        m = api.build("harmony_association", "intervention", residents=600, seed=5,
                      set={"harmony.vice_chair_migrant": vice_chair_migrant})
        inst = next(i for i in m.institutions if i.name == "harmony")
        med = next(x for x in m.disputes.mediators if x.name == "harmony association")
        return m, inst, med

    m, inst, with_vc = mediator(True)
    _, _, without_vc = mediator(False)
    st = m.state
    lonely = np.nonzero((st.origin == 1) & ~inst.leader_of[st.ward, 1])[0]
    local = np.nonzero(st.origin == 0)[0]
    assert len(lonely) and len(local)
    assert np.all(with_vc.trust(lonely) > without_vc.trust(lonely))
    assert np.array_equal(with_vc.trust(local), without_vc.trust(local))
    gap = 1.0 - st.legitimacy[local]
    assert np.allclose(with_vc.trust(local) - st.legitimacy[local],
                       m.params["harmony.insider_trust"] * gap)


def test_ward_leaders_are_members_nominated_by_members():
    m = api.build("harmony_association", "intervention", residents=800, seed=2)
    inst = next(i for i in m.institutions if i.name == "harmony")
    assert len(inst.leaders) > 0
    assert np.all(m.state.age_group[inst.leaders] == 2)
    # brokered ties are not set at attachment: they form through leaders' meetings
    base = api.build("harmony_association", "baseline", residents=800, seed=2)
    assert len(m.ties) == len(base.ties)
