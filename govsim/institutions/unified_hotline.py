"""The unified hotline: one number for many department hotlines (report §1, Qingdao).

The Social Governance Center of West Coast New Town (Qingdao, 2014) merged the hotlines of
23 government departments into one number ("6712345"); the centre routes each case,
coordinates tasks, manages complaints and evaluates implementation (report §1).

Rules (acting on :mod:`govsim.processes.government`):

- **Merging.** With the hotline on (``enabled``) and ``merged = m`` of the D departments
  merged, a caller chooses among
  h = D − m + 1 numbers and picks the right one with probability 1/(1 + c (h − 1)) (the
  baseline rule); a case of a merged department, or any case that reaches the centre's
  number, goes to the centre.
- **Centre intake.** The centre is a FIFO queue of ``centre_staff`` operators with
  exponential handling times of mean ``routing_minutes`` (M/M/c; Koole & Mandelbaum 2002);
  it then routes the case to the right department with probability ``routing_accuracy``.
- **Coordination.** With ``coordination`` on, all departments a centre case needs are
  dispatched at once (joint handling) instead of by sequential hand-offs.
- **Tracking.** With ``tracking`` on, a bounced centre case is re-routed by the centre
  instead of being abandoned by the caller.
- **Evaluation.** With ``evaluation`` on, each day every department whose performance
  (share of responses within the deadline) is below ``performance_target`` raises its
  effort, e ← e + s (target − performance)(1 − e), s = ``evaluation_strength``; effort
  speeds mobilisation (principal–agent oversight; Chen, Pan & Xu 2016 find that the threat
  of oversight by superiors raises local responsiveness).
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.government import Case, CaseLayer, ServiceQueue, wrong_department

register([
    spec("hotline.enabled", False, unit="switch",
         doc="department hotlines are merged into one number with a routing centre",
         source="report §1: West Coast New Town, Qingdao, 2014"),
    spec("hotline.merged", 23, 0, 100, "hotlines",
         "department hotlines merged into the one number (0: none)",
         "report §1: 23 in Qingdao's West Coast New Town"),
    spec("hotline.routing_accuracy", 0.9, 0.0, 1.0, "probability",
         "probability that the centre routes a case to the right department", "assumption"),
    spec("hotline.centre_staff", 3, 1, 1000, "operators",
         "operators of the centre's intake queue (per 10,000 residents, at least 1)",
         "assumption"),
    spec("hotline.routing_minutes", 10.0, 0.0, 10_000.0, "minutes",
         "mean time an operator needs to take in and route a case", "assumption"),
    spec("hotline.coordination", True, unit="switch",
         doc="dispatch all departments of a cross-department case at once",
         source="report §1: the centre coordinates tasks"),
    spec("hotline.tracking", True, unit="switch",
         doc="the centre re-routes bounced cases instead of letting them drop",
         source="report §1: the centre manages complaints"),
    spec("hotline.evaluation", True, unit="switch",
         doc="the centre evaluates departments' implementation",
         source="report §1; Chen, Pan & Xu 2016"),
    spec("hotline.evaluation_strength", 0.05, 0.0, 1.0, "per day",
         "how fast evaluated departments below target raise their effort", "assumption"),
    spec("hotline.performance_target", 0.8, 0.0, 1.0, "share",
         "share of timely responses the centre expects of a department", "assumption"),
])


@register_institution
class UnifiedHotline(Institution):
    """One number, a routing centre, joint handling, tracking and evaluation."""

    name = "hotline"
    hooks = ("end_of_day",)
    measures = (
        measure("hotline_centre_cases", "day", "cases taken in by the centre today",
                "cases"),
        measure("hotline_centre_wait_minutes", "day",
                "mean wait in the centre's intake queue of today's cases", "minutes",
                "lower"),
        measure("hotline_performance_mean", "state",
                "departments' mean share of responses within the deadline (moving "
                "average)", "share", "higher"),
        measure("hotline_effort_mean", "state", "departments' mean effort", "share"),
    )

    def attach(self) -> None:
        gov = self.model.gov
        p = self.p
        n_dept = len(gov.depts)
        self.merged = min(p.merged, n_dept)
        self.active = self.enabled and self.merged > 0
        self.waits: list[float] = []
        self.centre_cases = 0
        if not self.active:
            return
        gov.hotlines = n_dept - self.merged + 1
        staff = max(1, round(p.centre_staff * self.model.state.n / 10_000))
        self.queue = ServiceQueue(staff)
        gov.wrap(CentreLayer(self))

    def new_day(self) -> None:
        self.waits = []
        self.centre_cases = 0

    def _to_centre(self, case: Case) -> bool:
        if "centre" not in case.tags:
            gov = self.model.gov
            picked = gov.caller_pick(case, gov.rng)
            # the merged departments are the first `merged` ones; their number is the centre's
            case.tags["centre"] = (case.needed[0] < self.merged or picked < self.merged
                                   or gov.hotlines == 1)
            case.tags["caller_pick"] = picked
        return case.tags["centre"]

    def intake(self, case: Case, t: float) -> float:
        if not self._to_centre(case):
            return t
        gov, p = self.model.gov, self.p
        handling = gov.rng.exponential(p.routing_minutes) if p.routing_minutes > 0 else 0.0
        start = self.queue.assign(t, handling)
        self.waits.append(start - t)
        self.centre_cases += 1
        return start + handling

    def route(self, case: Case, rng: np.random.Generator) -> int:
        if not self._to_centre(case):
            return case.tags["caller_pick"]
        return self.route_part(case, case.needed[0], rng)

    def route_part(self, case: Case, d: int, rng: np.random.Generator) -> int:
        """A coordinated dispatch reaches department ``d`` with the routing accuracy."""
        n = len(self.model.gov.depts)
        if rng.random() < self.p.routing_accuracy or n == 1:
            return d
        return wrong_department(rng, n, d)

    def joint(self, case: Case) -> bool:
        return bool(self.p.coordination and self._to_centre(case))

    def tracked(self, case: Case) -> bool:
        return bool(self.p.tracking and case.tags.get("centre", False))

    def end_of_day(self) -> None:
        if not (self.active and self.p.evaluation):
            return
        p = self.p
        for dept in self.model.gov.depts:
            gap = p.performance_target - dept.performance
            if gap > 0:
                dept.effort = min(1.0, dept.effort + p.evaluation_strength * gap *
                                  (1.0 - dept.effort))

    def metrics(self) -> dict[str, float]:
        depts = self.model.gov.depts
        return {"hotline_centre_cases": self.centre_cases,
                "hotline_centre_wait_minutes": float(np.mean(self.waits)) if self.waits
                else 0.0,
                "hotline_performance_mean": float(np.mean([d.performance for d in depts])),
                "hotline_effort_mean": float(np.mean([d.effort for d in depts]))}


class CentreLayer(CaseLayer):
    """The centre in the case-handling policy: its intake queue, its routing, joint
    handling of the cases it coordinates and tracking of those that bounce."""

    role = "channel"

    def __init__(self, hotline: UnifiedHotline):
        super().__init__()
        self.hotline = hotline

    def intake(self, case: Case, t: float) -> float:
        return self.hotline.intake(case, t)

    def route(self, case: Case, rng: np.random.Generator) -> int:
        return self.hotline.route(case, rng)

    def joint(self, case: Case) -> bool:
        return self.hotline.joint(case)

    def part_route(self, case: Case, d: int, rng: np.random.Generator) -> int:
        return self.hotline.route_part(case, d, rng)

    def tracked(self, case: Case) -> bool:
        return self.hotline.tracked(case)
