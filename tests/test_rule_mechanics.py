"""The response rule's own rules: the case's clock and the departments' staff."""

from govsim import api
from govsim.institutions.response_rule import ELIGIBLE


def _site_cases(delegated: bool, staff_per_10k: float = 2.0, days: int = 90):
    m = api.build("response_rule", "intervention", residents=1000, seed=7,
                  set={"rule.delegated": delegated, "rule.site_birth": 0.2,
                       "government.staff_per_10k": staff_per_10k})
    seen = {}
    m.gov.listeners.append(lambda case, event: seen.setdefault(case.id, case))
    m.run_for(days)
    return m, [c for c in seen.values() if c.resident < 0 and c.category in ELIGIBLE]


def test_the_clock_of_a_whistled_case_starts_at_the_village_report():
    _, cases = _site_cases(delegated=False)
    timed = [c for c in cases if c.response is not None]
    assert timed and all("escalation" in c.tags for c in timed)
    # the town's escalation counts in the response time
    assert all(c.response >= c.tags["escalation"] for c in timed)


def test_a_delegated_whistle_has_no_escalation():
    _, cases = _site_cases(delegated=True)
    assert cases and not any("escalation" in c.tags for c in cases)


def test_a_department_with_one_staff_member_is_never_at_two_scenes_at_once():
    m, cases = _site_cases(delegated=True, staff_per_10k=1.0)
    assert all(q.servers == 1 for q in m.gov.queues)
    scenes: dict[int, list[tuple[float, float]]] = {}
    for c in cases:
        for d, start, end in c.tags.get("scenes", []):
            scenes.setdefault(d, []).append((start, end))
    assert sum(len(v) for v in scenes.values()) > 10
    for intervals in scenes.values():
        intervals.sort()
        for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
            assert start >= end - 1e-9
