"""The compiled passes of govsim.kernels against the numpy code they stand for: the same
bytes on random inputs."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from govsim import kernels

KIN = 0


@st.composite
def ties(draw):
    n = draw(st.integers(1, 40))
    m = draw(st.integers(0, 120))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    u = rng.integers(n, size=m).astype(np.int32)
    v = rng.integers(n, size=m).astype(np.int32)
    w = rng.random(m)
    kind = rng.integers(3, size=m).astype(np.int8)
    origin = rng.integers(2, size=n).astype(np.int8)
    return n, u, v, w, kind, origin, seed


@settings(max_examples=60, deadline=None)
@given(ties())
def test_sums_by_group_and_end_add_as_bincount_does(t):
    n, u, v, w, kind, origin, _ = t
    assert kernels.group_sums(w, u, n).tobytes() == \
        np.bincount(u, weights=w, minlength=n).tobytes()
    by_origin = origin[u]
    assert kernels.group_sums(w, by_origin, 2).tobytes() == \
        np.bincount(by_origin, weights=w, minlength=2).tobytes()
    want = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    assert kernels.weighted_degree(u, v, w, n).tobytes() == want.tobytes()
    external, ends, wsum, csum = kernels.tie_origins(origin, u, v, w)
    ou, ov = origin[u], origin[v]
    assert external.tobytes() == w[ou != ov].tobytes()
    assert (ends == np.bincount(ou, minlength=2) + np.bincount(ov, minlength=2)).all()
    assert wsum.tobytes() == (np.bincount(ou, weights=w, minlength=2)
                              + np.bincount(ov, weights=w, minlength=2)).tobytes()
    assert csum.tobytes() == (np.bincount(ou, weights=ou != ov, minlength=2)
                              + np.bincount(ov, weights=ou != ov, minlength=2)).tobytes()


@settings(max_examples=60, deadline=None)
@given(ties(), st.sampled_from([0.0, 0.05, 0.6]), st.sampled_from([1.0, 3.0, 50.0]),
       st.sampled_from([0.0, 0.01, 0.5]), st.sampled_from([0.02, 0.3]))
def test_contacts_decay_and_pruning_equal_the_numpy_rule(t, rate, kin_x, decay, w_min):
    n, u, v, w, kind, origin, seed = t
    prob = np.multiply(w, 0.7)
    prob += 0.3
    prob *= rate
    kin = kind == KIN
    prob[kin] = np.minimum(1.0, prob[kin] * kin_x)
    want = np.nonzero(np.random.default_rng(seed).random(len(w)) < prob)[0]
    got = kernels.contacts_of(np.random.default_rng(seed).random(len(w)), w, kind, KIN,
                              rate, kin_x)
    assert got.tolist() == want.tolist()

    mask = ~kin
    mask[want] = False
    expect = w.copy()
    np.multiply(expect, 1.0 - decay, out=expect, where=mask)
    kernels.decay_ties(w, kind, KIN, got, 1.0 - decay)
    assert w.tobytes() == expect.tobytes()

    weak = (w < w_min) & (kind != KIN)
    np.maximum(expect, w_min, out=expect, where=kind == KIN)
    got_weak, k = kernels.weak_ties(w, kind, KIN, w_min)
    assert (got_weak == weak).all() and k == weak.sum()
    assert w.tobytes() == expect.tobytes()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_groups_meeting_in_turn_equal_one_meeting_after_another(seed, n_groups):
    from types import SimpleNamespace

    from govsim.processes.rules import meet_in_turn, strengthen_or_form
    from govsim.state import FRIEND, TieStore
    rng = np.random.default_rng(seed)
    n = 12

    def model():
        r = np.random.default_rng(seed + 1)
        t = TieStore(n, r.integers(n, size=20), r.integers(n, size=20), r.random(20),
                     r.integers(3, size=20).astype(np.int8))
        return SimpleNamespace(ties=t, params={"interaction.new_tie_strength": 0.2})
    groups = []
    for _ in range(n_groups):
        here = rng.choice(n, size=int(rng.integers(2, 6)), replace=False)
        i, j = np.triu_indices(len(here), 1)
        groups.append((here[i], here[j]))
    one, bulk = model(), model()
    formed = sum(strengthen_or_form(one, a, b, FRIEND, gain=0.3) for a, b in groups)
    got = meet_in_turn(bulk, np.concatenate([a for a, _ in groups]),
                       np.concatenate([b for _, b in groups]), FRIEND, 0.3)
    assert got == formed
    for name in ("keys", "u", "v", "w", "kind"):
        assert getattr(one.ties, name).tobytes() == getattr(bulk.ties, name).tobytes()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 60))
def test_closed_cases_observed_in_order_equal_one_observe_decision_per_case(seed, n_cases):
    """The government's compiled observation of a day's closed cases: a resident's own
    case seen by them, a community case by its whole ward, one after another."""
    from govsim.model import CommunityModel
    from govsim.processes.attitudes import observe_decision
    model = CommunityModel(params={"community.residents": 120}, rng=1)
    rng = np.random.default_rng(seed)
    n, ws = model.state.n, model.community.ward_start
    n_wards = len(ws) - 1
    model.state.legitimacy[:] = rng.random(n)
    res = np.where(rng.random(n_cases) < 0.3, -1, rng.integers(n, size=n_cases))
    ward = rng.integers(n_wards, size=n_cases)
    favourable = (rng.random(n_cases) < 0.6).astype(float)
    fair = rng.random(n_cases)
    start = model.state.legitimacy.copy()
    for j in range(n_cases):
        rows = slice(ws[ward[j]], ws[ward[j] + 1]) if res[j] < 0 else np.array([res[j]])
        observe_decision(model, rows, favourable[j], fair[j])
    want = model.state.legitimacy.copy()
    got = start.copy()
    a = model.params.section("attitudes")
    kernels.observe_in_order(got, res.astype(np.int64), ward.astype(np.int64), favourable,
                             fair, ws, a.procedure_weight, a.legitimacy_rate)
    assert got.tobytes() == want.tobytes()
    if n_cases and (res < 0).any():
        assert not np.array_equal(got, start)
