"""Unit tests of each baseline daily rule."""

import math

import numpy as np
import pytest

from govsim import CommunityModel
from govsim.processes.day import DayCounts
from govsim.processes.government import ServiceQueue, erlang_c_wait
from govsim.processes.rules import logistic
from govsim.state import KIN, TieStore

SMALL = {"community.residents": 400, "community.communities": 2}


def make(**over):
    return CommunityModel(params={**SMALL, **over}, rng=11)


def run_counts(model, days):
    """Totals over ``days`` of the day counts the processes publish (``model.today``) and
    of the government's case events (told to its listeners)."""
    from dataclasses import asdict
    total: dict[str, int] = {}
    model.gov.listeners.append(
        lambda case, event: total.__setitem__(f"cases_{event}",
                                              total.get(f"cases_{event}", 0) + 1))
    for _ in range(days):
        model.step()
        for k, v in asdict(model.today).items():
            total[k] = total.get(k, 0) + v
    return total


# -- needs and help-seeking ------------------------------------------------------------
def test_no_needs_arise_when_the_rate_is_zero():
    m = make(**{"needs.rate": 0.0})
    for _ in range(10):
        m.step()
        assert len(m.needs.pending.resident) == 0
    assert m.state.needs_met.sum() == 0 and m.state.needs_unmet.sum() == 0


def test_formal_channels_never_serve_more_than_their_capacity():
    m = make(**{"needs.rate": 0.5, "needs.pref_informal": 0.0,
                "needs.pref_government": 0.0})
    served = []
    original = m.needs.close

    def spy(rows, met, formal, domains=None, **kw):
        if met and formal:
            served.append(len(rows))
        original(rows, met, formal, domains, **kw)
    m.needs.close = spy
    m.step()
    total_capacity = sum(o.capacity for o in m.committees + m.social_orgs + m.private_orgs)
    assert 0 < sum(served) <= total_capacity


def test_an_outreach_service_meets_the_oldest_pending_needs_of_its_cell_up_to_capacity():
    m = make(**{"needs.rate": 0.3, "needs.pref_informal": 0.0,
                "needs.committee_capacity": 0.0, "needs.social_capacity": 0.0,
                "needs.private_capacity": 0.0, "needs.pref_government": 0.0})
    for _ in range(3):
        m.step()
    needs, st = m.needs, m.state
    cell = (needs.dom == 1) & (st.community[needs.res] == 0)
    pending = int(cell.sum())
    assert pending > 5
    ages = np.sort(needs.age[cell])
    met_before = int(st.needs_met.sum())
    served = needs.serve_pending(0, 1, capacity=3, quality=1.0)
    assert served == 3 and int(st.needs_met.sum()) == met_before + 3
    still = (needs.dom == 1) & (st.community[needs.res] == 0)
    assert int(still.sum()) == pending - 3
    # the three served were the longest-waiting of the cell
    assert np.array_equal(np.sort(needs.age[still]), ages[:-3])
    assert needs.serve_pending(0, 1, capacity=5, quality=0.0) == 0
    assert int(((needs.dom == 1) & (st.community[needs.res] == 0)).sum()) == pending - 3


def test_needs_expire_unmet_after_the_patience():
    m = make(**{"needs.rate": 0.2, "needs.patience": 2, "needs.committee_capacity": 0.0,
                "needs.social_capacity": 0.0, "needs.private_capacity": 0.0,
                "needs.pref_informal": 0.0, "needs.pref_government": 0.0})
    for o in m.committees + m.social_orgs + m.private_orgs:
        o.capacity = 0
    run_counts(m, 6)
    assert m.state.needs_unmet.sum() > 0
    assert m.needs.age.max() <= 2


def test_met_needs_lower_hardship():
    m = make(**{"needs.met_relief": 0.3, "civic.relax": 0.0})
    before = m.state.hardship.copy()
    rows = np.array([1, 2, 3])
    m.needs.close(rows, met=True, formal=True, domains=np.array([1, 1, 1]))
    assert np.allclose(m.state.hardship[rows], before[rows] - 0.3)


# -- government ----------------------------------------------------------------------
def test_service_queue_is_first_come_first_served():
    q = ServiceQueue(2)
    starts = [q.assign(t, s) for t, s in [(0, 10), (1, 10), (2, 10), (3, 1)]]
    assert starts == [0, 1, 10, 11]


def test_erlang_c_matches_the_mm1_closed_form():
    lam, mu = 0.8, 1.0
    assert erlang_c_wait(lam, mu, 1) == pytest.approx(lam / (mu * (mu - lam)))
    assert math.isinf(erlang_c_wait(2.0, 1.0, 2))


def test_callers_pick_the_right_hotline_as_often_as_the_rule_says():
    m = make(**{"government.pick_confusion": 0.1})
    from govsim.processes.government import Case
    case = Case(0, "health", 0, 0, 1, [4], 0.0, 0)
    rng = np.random.default_rng(0)
    picks = np.array([m.gov.caller_pick(case, rng) for _ in range(4000)])
    expected = 1 / (1 + 0.1 * 22)
    assert abs((picks == 4).mean() - expected) < 4 * math.sqrt(expected * (1 - expected) / 4000)


def test_without_confusion_no_case_is_bounced():
    counts = run_counts(make(**{"government.pick_confusion": 0.0}), 20)
    assert counts.get("bounced_cases", 0) == 0 and counts["cases_response"] > 0


def _closed_case(m, bounces: int, resolved: bool) -> tuple[int, float]:
    from govsim.processes.government import Case
    r = 3
    m.state.legitimacy[r] = 0.5
    case = Case(10**6, "health", 0, 0, r, [], 0.0, 0)
    case.bounces = bounces
    m.gov.cases[case.id] = case
    m.gov._close(case, 60.0, resolved=resolved)
    return r, float(m.state.legitimacy[r])


def test_a_closed_case_moves_legitimacy_towards_its_outcome_and_its_handling():
    # L* = w_p F + (1 - w_p) O, L <- L + alpha (L* - L): resolved without a bounce
    # supports 1, each bounce less, a dropped case 0 (processes/attitudes.py)
    m = make()
    a, w = m.params["attitudes.legitimacy_rate"], m.params["attitudes.procedure_weight"]
    _, clean = _closed_case(m, 0, True)
    assert clean == pytest.approx(0.5 + a * (1.0 - 0.5))
    _, bounced = _closed_case(m, 3, True)
    assert bounced == pytest.approx(0.5 + a * (w / 4 + (1 - w) - 0.5))
    _, dropped = _closed_case(m, 0, False)
    assert dropped == pytest.approx(0.5 - a * 0.5)
    # procedures weigh more than outcomes: a need met after three bounces still lowers
    # the legitimacy of a resident at 0.5
    assert dropped < bounced < 0.5 < clean


def test_legitimacy_saturates_at_the_level_repeated_experience_supports():
    from govsim.processes.attitudes import observe_decision
    m = make()
    rows = np.arange(50)
    m.state.legitimacy[rows] = 0.2
    for _ in range(400):
        observe_decision(m, rows, 1.0, 0.5)
    w = m.params["attitudes.procedure_weight"]
    assert np.allclose(m.state.legitimacy[rows], w * 0.5 + (1 - w), atol=1e-6)


def test_an_unseen_procedure_moves_legitimacy_by_the_outcome_alone():
    from govsim.processes.attitudes import observe_decision
    m = make()
    rows = np.array([1, 2])
    m.state.legitimacy[rows] = 0.4
    observe_decision(m, rows, 1.0, None)
    a, w = m.params["attitudes.legitimacy_rate"], m.params["attitudes.procedure_weight"]
    assert np.allclose(m.state.legitimacy[rows], 0.4 + a * (1 - w) * 0.6)


def test_a_conflict_moves_trust_further_than_help_of_the_same_size():
    from govsim.processes.attitudes import experience_trust
    m = make()
    m.state.social_trust[:2] = 0.5
    experience_trust(m, np.array([0]), 1.0)
    experience_trust(m, np.array([1]), 0.0)
    up, down = m.state.social_trust[0] - 0.5, 0.5 - m.state.social_trust[1]
    assert up == pytest.approx(m.params["attitudes.trust_rate"] * 0.5)
    assert down == pytest.approx(m.params["attitudes.negativity"] * up)


def test_resolution_raises_legitimacy_of_the_people_concerned():
    m = make(**{"attitudes.legitimacy_rate": 0.2})
    counts = run_counts(m, 15)
    assert counts["cases_resolved"] > 0
    m2 = make(**{"attitudes.legitimacy_rate": 0.0})
    run_counts(m2, 15)
    assert m.state.legitimacy.mean() > m2.state.legitimacy.mean()


# -- interaction ---------------------------------------------------------------------
def test_positive_contact_strengthens_and_unused_ties_decay():
    m = make(**{"dispute.base_rate": 0.0, "interaction.contact_rate": 1.0,
                "interaction.kin_contact": 1.0, "interaction.focus_rate": 0.0,
                "interaction.closure_rate": 0.0, "interaction.decay": 0.0})
    w0 = m.ties.w.copy()
    m.interaction.step(m)
    assert np.all(m.ties.w >= w0) and np.any(m.ties.w > w0)
    m = make(**{"interaction.contact_rate": 0.0, "interaction.decay": 0.5,
                "interaction.focus_rate": 0.0, "interaction.closure_rate": 0.0})
    kin_before = m.ties.w[m.ties.kind == KIN].copy()
    n_before = len(m.ties)
    for _ in range(8):
        m.interaction.step(m)
    assert np.array_equal(m.ties.w[m.ties.kind == KIN], kin_before)
    assert len(m.ties) < n_before and np.all(m.ties.w >= m.ties.w_min)


def test_positive_contact_across_origins_lowers_felt_distance_only_when_switched_on():
    quiet = {"dispute.base_rate": 0.0, "interaction.contact_rate": 1.0,
             "interaction.kin_contact": 1.0, "interaction.focus_rate": 0.0,
             "interaction.closure_rate": 0.0}
    off = make(**quiet)
    on = make(**quiet, **{"interaction.contact_distance": 0.2})
    for m in (off, on):
        m.interaction.step(m)
    assert np.all(off.state.outgroup_distance == 1.0)
    t, st = on.ties, on.state
    cross = st.origin[t.u] != st.origin[t.v]
    bridged = np.unique(np.concatenate([t.u[cross], t.v[cross]]))
    d = st.outgroup_distance[bridged]   # a tie of strength w is met with p = 0.3 + 0.7 w
    assert np.all(np.isclose(d, 0.8) | (d == 1.0)) and np.mean(np.isclose(d, 0.8)) > 0.5
    others = np.setdiff1d(np.arange(st.n), bridged)
    assert np.all(st.outgroup_distance[others] == 1.0)


def test_new_ties_form_in_foci_and_by_triadic_closure():
    for key in ("interaction.focus_rate", "interaction.closure_rate"):
        other = ({"interaction.closure_rate": 0.0} if key == "interaction.focus_rate"
                 else {"interaction.focus_rate": 0.0})
        m = make(**{key: 0.2, **other, "interaction.decay": 0.0})
        n0 = len(m.ties)
        m.interaction.step(m)
        assert len(m.ties) > n0


def test_tie_store_adds_only_new_pairs_and_finds_them():
    t = TieStore(10, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.5]),
                 np.array([2, 2], dtype=np.int8))
    assert t.add(np.array([1, 3, 3, 4]), np.array([0, 4, 4, 4]), 0.2, 2) == 1
    assert len(t) == 3
    assert list(t.find(np.array([4, 2, 5]), np.array([3, 1, 6]))) == [2, 1, -1]


# -- disputes ------------------------------------------------------------------------
def test_no_disputes_without_a_base_rate():
    counts = run_counts(make(**{"dispute.base_rate": 0.0}), 20)
    assert counts.get("disputes", 0) == 0 and counts.get("conflicts", 0) == 0


def test_disputes_that_always_settle_never_become_conflicts():
    counts = run_counts(make(**{"dispute.base_rate": 0.01, "dispute.settle_base": 1.0}), 20)
    assert counts["disputes"] > 0 and counts.get("conflicts", 0) == 0


def test_without_escalation_there_are_no_conflicts():
    counts = run_counts(make(**{"dispute.base_rate": 0.01, "dispute.escalation_base": 0.0,
                                "dispute.escalation_grievance": 0.0}), 20)
    assert counts["disputes"] > 0 and counts.get("conflicts", 0) == 0


def test_mediation_succeeds_more_often_with_trusted_mediators():
    assert logistic(np.array([-0.5 + 3.0 * 0.6]))[0] > logistic(np.array([-0.5]))[0]
    # an intercept well below the ceiling, so that the slope shows in both rates
    m = make(**{"mediation.capacity": 100.0, "dispute.settle_base": 0.0,
                "dispute.settle_tie": 0.0, "dispute.seek_mediation": 1.0,
                "mediation.intercept": -0.5})
    q = m.params.section("mediation")
    n = 4000
    u = np.zeros(n, dtype=np.int64)
    v = np.ones(n, dtype=np.int64)
    rates = []
    for trust in (0.2, 0.9):
        m.state.legitimacy[:2] = trust
        m.today = DayCounts()
        m.disputes.mediators[0].capacity = lambda c: n  # type: ignore[method-assign]
        out = m.disputes.resolve(u, v, np.full(n, -1))
        rates.append(out["mediated"].mean())
    expected = logistic(np.array([q.intercept + q.trust_slope * (2 * 0.9 - 1)]))[0]
    assert rates[1] > rates[0]
    assert abs(rates[1] - expected) < 0.03


def test_a_conflict_weakens_the_tie_and_raises_hardship():
    m = make(**{"dispute.settle_base": 0.0, "dispute.settle_tie": 0.0,
                "dispute.seek_mediation": 0.0, "dispute.escalation_base": 1.0,
                "civic.relax": 0.0})
    e = 0
    u, v = m.ties.u[e:e + 1].astype(np.int64), m.ties.v[e:e + 1].astype(np.int64)
    w0, h0 = m.ties.w[e], m.state.hardship[u[0]]
    out = m.disputes.resolve(u, v, np.array([e]))
    assert out["conflict"][0]
    assert m.ties.w[e] == pytest.approx(w0 * 0.5)
    assert m.state.hardship[u[0]] > h0


# -- civic ---------------------------------------------------------------------------
def test_attitudes_relax_towards_their_baseline():
    m = make(**{"civic.activity_rate": 0.0, "civic.relax": 0.5})
    m.state.hardship[:] = 1.0
    m.civic.step(m)
    expected = np.clip(1.0 + 0.5 * (m.state.hardship0 - 1.0), 0, 1)
    assert np.allclose(m.state.hardship, expected)


def test_participation_counts_activity_in_the_last_30_days():
    m = make(**{"civic.activity_rate": 0.0})
    m.civic.participate(np.arange(40))
    m.step()
    assert m.timeseries()["participation_rate"].iloc[-1] == pytest.approx(40 / 400)
