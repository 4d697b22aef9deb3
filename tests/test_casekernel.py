"""The compiled case loop (govsim.processes.casekernel) against the Python loop it
replaces: the same runs, byte for byte, on random settings."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsim import CommunityModel
from govsim.processes.rules import occurrences

BASE = {"community.residents": 400, "community.communities": 2}


def run(over: dict, days: int, compiled: bool, move_at: int | None = None):
    m = CommunityModel(params={**BASE, **over}, rng=5)
    m.gov.use_compiled = compiled
    for day in range(days):
        if move_at is not None and day == move_at:
            assert m.gov._store is not None
            assert isinstance(m.gov.cases, dict)  # asking for them moves cases to Python
            assert m.gov._store is None
        m.step()
    st_ = m.state
    return (m.timeseries().to_csv(index=False), st_.legitimacy.tobytes(),
            st_.hardship.tobytes(), [d.performance for d in m.gov.depts],
            [d.cases_handled for d in m.gov.depts]), m


settings_ = st.fixed_dictionaries({
    "community.departments": st.integers(1, 6),
    "government.case_rate": st.sampled_from([0.0, 20.0, 200.0]),
    "government.cross_share": st.sampled_from([0.0, 0.6, 1.0]),
    "government.extra_departments": st.sampled_from([0.0, 0.5, 4.0]),
    "government.staff_per_10k": st.sampled_from([0.0, 20.0]),
    "government.service_minutes": st.sampled_from([1.0, 420.0]),
    "government.triage_minutes": st.sampled_from([0.0, 45.0]),
    "government.pick_confusion": st.sampled_from([0.0, 0.5, 10.0]),
    "government.drop_prob": st.sampled_from([0.0, 0.3, 1.0]),
    "government.refile_minutes": st.sampled_from([0.0, 1440.0]),
    "government.handoff_minutes": st.sampled_from([0.0, 720.0]),
    "government.mobilise_minutes": st.sampled_from([0.0, 30.0]),
    "government.travel_minutes": st.sampled_from([0.0, 20.0]),
    "government.max_age_days": st.sampled_from([1, 3, 60]),
    "needs.rate": st.sampled_from([0.01, 0.05]),
})


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(settings_)
def test_the_compiled_loop_equals_the_python_loop(over):
    fast, m = run(over, 12, compiled=True)
    assert m.gov._store is not None            # the compiled loop did run
    slow, m = run(over, 12, compiled=False)
    assert m.gov._store is None
    assert fast == slow


def test_moving_to_python_mid_run_continues_the_same_run():
    over = {"government.case_rate": 50.0, "government.max_age_days": 4}
    moved, _ = run(over, 20, compiled=True, move_at=9)
    slow, _ = run(over, 20, compiled=False)
    assert moved == slow


def test_a_listener_moves_the_handling_to_python():
    m = CommunityModel(params=BASE, rng=5)
    m.run_for(3)
    assert m.gov._store is not None
    seen = []
    m.gov.listeners.append(lambda case, event: seen.append(event))
    m.run_for(3)
    assert m.gov._store is None and seen


@given(st.lists(st.integers(0, 5), max_size=30))
def test_occurrences_count_earlier_entries_of_the_same_key(rows):
    rows = np.array(rows, dtype=np.int64)
    want = [rows[:i].tolist().count(r) for i, r in enumerate(rows.tolist())]
    assert occurrences(rows).tolist() == want
