"""The 30-minute response rule: "once a village or town calls, a department reports"
(report §1, Jinhaihu Town, Pinggu District, Beijing, 2017).

Illicit activity (illegal gold mining, unapproved construction, ecosystem damage, unsafe
work) starts, spreads and is reported; with the rule, the town — or, delegated further,
the village — "blows the whistle" on an eligible case: the right departments are called
at once and must have personnel on the scene within the deadline, staying until the case is
handled; case-by-case evaluation of the departments consolidates compliance.

Rules:

- **Illicit sites.** New sites start in each community at ``site_birth`` per day
  (Poisson); each active site spawns another in its community with probability
  ``spread`` a day; an unreported site is reported (a community case of category
  "illegal mining") with probability ``detection`` a day. While active, a site adds
  ``site_harm`` hardship a day to its ward's residents.
- **Whistle.** With the rule on, an eligible case (illegal construction, environmental
  damage, work safety, illegal mining) goes straight to the right departments, jointly.
  Its clock starts at the village's report: unless the whistle is delegated to the
  village, the town calls only after the village has told it, an Exp(``escalation_minutes``)
  delay that counts in the response time (and gives the operators time to escape). A
  called department complies with probability equal to its whistle effort e: the first of
  its own staff to be free goes ahead of the cases still to be queued (so a department
  busy on a scene is not serving its queue, and one with a single staff member is never at
  two scenes at once), and is on the scene after mobilisation ~ Exp(mean
  min(``government.mobilise_minutes``/e, ``slack`` · deadline)) — a longer deadline is
  used as slack — plus lognormal travel, staying until its part is handled. Otherwise the
  case waits in the department's queue as usual. An unbounded deadline (≥ 10,000 minutes)
  obliges no one.
- **Evaluation.** With ``evaluation`` on, every late arrival raises that department's whistle
  effort, e ← e + s (1 − e), s = ``evaluation_strength`` (Chen, Pan & Xu 2016).
- **Eradication.** When a site's case is resolved, personnel arriving after T minutes catch
  the activity and shut the site with probability exp(−T/``escape_minutes``); otherwise the
  operators hide and resume, and the site must be reported again.

The deadline is the government's one deadline, ``government.deadline_minutes``; the
measure ``responded_within_deadline_share`` follows it, while
``responded_within_30min_share`` keeps the report's 30 minutes. Without a bounded deadline
a whistle still reaches the right departments directly (no bounces, joint handling), which
shortens mean response times through routing, but nobody is obliged to arrive quickly.
The whistle is a :class:`~govsim.processes.government.CaseLayer` of role ``override``:
it sees every case first and leaves the ineligible ones to the layers below (a unified
hotline's centre, or the government's own handling).
"""

from __future__ import annotations

import math

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.government import MINUTES_PER_DAY, Case, CaseLayer
from govsim.processes.rules import RollingSample

ELIGIBLE = ("illegal construction", "environmental damage", "work safety", "illegal mining")
UNBOUNDED = 10_000.0

register([
    spec("rule.enabled", False, unit="switch",
         doc="departments must report to the scene when a town or village calls",
         source="report §1: Jinhaihu Town, Pinggu, 2017"),
    spec("rule.delegated", False, unit="switch",
         doc="villages blow the whistle themselves (no escalation through the town)",
         source="report §1: Beijing delegated the mechanism to the village level"),
    spec("rule.escalation_minutes", 240.0, 0.0, 100_000.0, "minutes",
         "mean delay before the town calls about a site a village reported, when the "
         "whistle is not delegated to the village"),
    spec("rule.evaluation", True, unit="switch",
         doc="case-by-case evaluation of departments' arrivals",
         source="report §1: consolidated by case-by-case evaluation"),
    spec("rule.evaluation_strength", 0.1, 0.0, 1.0, "per late arrival",
         "effort gained by a department after each late arrival"),
    spec("rule.slack", 0.5, 0.0, 1.0, "share of the deadline",
         "how much of a longer deadline departments use before mobilising"),
    spec("rule.site_birth", 0.02, 0.0, 10.0, "per community per day",
         "new illicit sites (illegal mining and the like)", "assumption"),
    spec("rule.spread", 0.01, 0.0, 1.0, "per site per day",
         "probability that an active site spawns another", "assumption"),
    spec("rule.detection", 0.2, 0.0, 1.0, "per site per day",
         "probability that an unreported active site is reported", "assumption"),
    spec("rule.escape_minutes", 60.0, 1.0, 100_000.0, "minutes",
         "sites are caught and shut with probability exp(-arrival/escape)", "assumption"),
    spec("rule.site_harm", 0.001, 0.0, 1.0, "hardship per day",
         "hardship an active site adds to its ward's residents", "assumption"),
])


@register_institution
class ResponseRule(Institution):
    """Whistle, deadline, evaluation, and the illicit sites they act on."""

    name = "rule"
    hooks = ("start_of_day",)
    measures = (
        measure("rule_illicit_sites", "state", "illicit sites active at the end of the day",
                "sites", "lower"),
        measure("rule_sites_shut", "day", "illicit sites caught and shut today", "sites"),
        measure("rule_whistles", "day", "cases on which the whistle was blown today",
                "cases"),
        measure("rule_effort_mean", "state",
                "departments' mean compliance with a whistle (probability)", "share"),
        measure("rule_site_response_minutes", "window",
                "mean minutes from a village's report of an illicit site until personnel "
                "are on the scene", "minutes", "lower"),
    )

    def attach(self) -> None:
        m = self.model
        gov = m.gov
        self.deadline = m.params["government.deadline_minutes"]
        self.sites: list[dict] = []
        self.shut_today = 0
        self.whistles = 0
        self.effort = {i: gov.depts[i].effort for i in range(len(gov.depts))}
        self.bounded = self.enabled and self.deadline < UNBOUNDED
        self.site_response = RollingSample(m.params["metrics.window_days"])
        gov.listeners.append(self.on_case)
        if self.enabled:
            gov.wrap(WhistleLayer(self))

    def new_day(self) -> None:
        self.shut_today = 0
        self.whistles = 0
        self.site_response.clear(self.model.day)

    # -- sites ---------------------------------------------------------------------------
    def start_of_day(self) -> None:
        m, p, rng = self.model, self.p, self.model.rng
        n_comm = len(m.committees)
        wpc = m.community.wards_per_community
        births = rng.poisson(p.site_birth, size=n_comm)
        spawn = [s["community"] for s in self.sites if rng.random() < p.spread]
        for c in [k for k in range(n_comm) for _ in range(births[k])] + spawn:
            ward = int(c * wpc + rng.integers(wpc))
            self.sites.append({"community": int(c), "ward": ward, "reported": False})
        day0 = m.day * MINUTES_PER_DAY
        for site in self.sites:
            if not site["reported"] and rng.random() < p.detection:
                site["reported"] = True
                t = day0 + rng.random() * MINUTES_PER_DAY   # the village's report
                case = m.gov.new_case("illegal mining", site["community"], site["ward"], -1,
                                      int(rng.integers(len(m.gov.depts))), t)
                case.tags["site"] = site
                m.gov.file(case, case.filed)
        if self.sites and p.site_harm:
            ws = m.community.ward_start
            harm = np.bincount([s["ward"] for s in self.sites], minlength=len(ws) - 1)
            m.state.hardship += p.site_harm * np.repeat(harm, np.diff(ws))

    def on_case(self, case: Case, event: str) -> None:
        site = case.tags.get("site")
        if site is not None and event == "response":
            self.site_response.append(self.model.day, case.response)
        if site is None or event not in ("resolved", "dropped"):
            return
        caught = event == "resolved" and case.response is not None and \
            self.model.rng.random() < math.exp(-case.response / self.p.escape_minutes)
        if caught:
            self.sites.remove(site)
            self.shut_today += 1
        else:
            site["reported"] = False

    # -- the whistle ---------------------------------------------------------------------
    def eligible(self, case: Case) -> bool:
        return case.resident < 0 and case.category in ELIGIBLE

    def dispatch(self, case: Case, d: int) -> float | None:
        """A called department complies with probability e: minutes until its personnel
        are on the scene, or None (the case waits in its queue)."""
        gov, p, g = self.model.gov, self.p, self.model.params.section("government")
        effort = self.effort[d]
        if gov.rng.random() >= effort:
            return None
        mobilise, travel = gov.on_scene_minutes(min(g.mobilise_minutes / effort,
                                                    p.slack * self.deadline))
        arrival = mobilise + travel
        if p.evaluation and arrival > self.deadline:
            self.effort[d] += p.evaluation_strength * (1.0 - effort)
        return arrival

    def metrics(self) -> dict[str, float]:
        responses = self.site_response.values()
        return {"rule_illicit_sites": len(self.sites), "rule_sites_shut": self.shut_today,
                "rule_whistles": self.whistles,
                "rule_effort_mean": float(np.mean(list(self.effort.values()))),
                "rule_site_response_minutes": float(np.mean(responses)) if responses
                else 0.0}


class WhistleLayer(CaseLayer):
    """The whistle in the case-handling policy: an eligible case goes straight to its
    departments, jointly, and a bounded deadline obliges them to send personnel at once;
    every other case is left to the layers below."""

    role = "override"

    def __init__(self, rule: ResponseRule):
        super().__init__()
        self.rule = rule

    def intake(self, case: Case, t: float) -> float:
        if not self.rule.eligible(case):
            return self.inner.intake(case, t)
        if not case.tags.get("whistled"):
            case.tags["whistled"] = True
            self.rule.whistles += 1
            p = self.rule.p
            if not p.delegated and p.escalation_minutes > 0:
                # the village tells the town, which then blows the whistle
                delay = self.rule.model.gov.rng.exponential(p.escalation_minutes)
                case.tags["escalation"] = delay
                t += delay
        return t

    def route(self, case: Case, rng: np.random.Generator) -> int:
        return case.needed[0] if self.rule.eligible(case) else self.inner.route(case, rng)

    def joint(self, case: Case) -> bool:
        return True if self.rule.eligible(case) else self.inner.joint(case)

    def part_route(self, case: Case, d: int, rng: np.random.Generator) -> int:
        return d if self.rule.eligible(case) else self.inner.part_route(case, d, rng)

    def dispatch(self, case: Case, d: int, t: float) -> float | None:
        if self.rule.bounded and self.rule.eligible(case):
            return self.rule.dispatch(case, d)
        return self.inner.dispatch(case, d, t)
