"""Government purchase of public services from social organizations (report §2, Nanshan).

In 2013 Nanshan District, Shenzhen, spent 780 million RMB — 9% of district expenditure —
on more than 20 public services from 148 social organizations (education, training and
employment, culture and sports, transport, welfare, safety), and inspected and assessed how
far they met residents' needs; only with that assessment were contracts renewed. More than
1,700 social organizations were supported: the pool contracts are drawn from.

Rules (with the purchase on, ``enabled``):

- **Money.** A share ``budget_share`` of the district's expenditure buys service volume:
  ``capacity_per_share`` needs per 1,000 residents a day per unit of budget share, split
  evenly over ``contractors`` organizations per community, each serving one domain. The
  money is spent, not free: a share ``displaced`` of the volume it buys comes out of the
  government's own provision, the residents' committees' service capacity (a negative
  contribution to their capacity), the rest is new money. ``purchase_spent_total``
  counts the money (in units of one day's full district expenditure).
- **Service.** A contract buys a volume of cases, not a door to knock on: each day, after
  help-seeking, a contractor with expected volume r takes on ⌊r⌋ + Bernoulli(r − ⌊r⌋) of
  the still pending needs of its domain in its community (the oldest first;
  :meth:`govsim.processes.needs.Needs.serve_pending`) and meets each with probability
  equal to its quality.
- **The pool.** Each community has ``pool_ratio`` candidate organizations per contract
  (about 1,700 supported for 148 contracted in Nanshan), with qualities ~ Beta of mean
  ``quality`` and concentration ``quality_concentration``; contracts go to candidates
  drawn at random.
- **Moral hazard.** Every day a contractor's quality drifts down by ``drift`` — by only
  ``drift`` · (1 − accuracy) when it knows it is inspected.
- **Inspection.** Every ``contract_days`` days contracts come up for renewal. With
  ``inspection`` the government judges each contractor by what it observably delivered in
  the period: the share of the needs it took on that it met (the complaints of the others
  are what it sees), with an assessment error of standard deviation ``assessment_noise``
  (1 − ``accuracy``), and hands the contracts assessed below ``renew_threshold`` to another
  organization of the pool (a contractor that took on no need is renewed). Without
  inspection every contract is renewed.
"""

from __future__ import annotations

import numpy as np

from govsim.community import DOMAINS as NEED_DOMAINS
from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import daily_volume

DOMAINS = ("education", "employment", "culture", "safety", "eldercare", "health")

register([
    spec("purchase.enabled", False, unit="switch",
         doc="the government buys services from social organizations under contract",
         source="report §2: Nanshan District, Shenzhen, 2013"),
    spec("purchase.budget_share", 0.09, 0.0, 0.5, "share of expenditure",
         "share of the government budget spent on purchased services",
         "report §2: 9% in Nanshan, 2013"),
    spec("purchase.contractors", 6, 0, 200, "organizations per community",
         "social organizations under contract", "report §2: 148 organizations"),
    spec("purchase.capacity_per_share", 30.0, 0.0, 10_000.0,
         "needs per 1,000 residents per day per unit share",
         "service capacity bought per unit of budget share", "assumption"),
    spec("purchase.quality", 0.75, 0.0, 1.0, "probability",
         "mean initial quality of a contractor", "assumption"),
    spec("purchase.quality_concentration", 10.0, 0.1, 1000.0, "pseudo-counts",
         "concentration a + b of the Beta distribution of a new contractor's quality",
         "assumption"),
    spec("purchase.assessment_noise", 0.3, 0.0, 1.0, "quality",
         "standard deviation of an assessment of accuracy 0 (scaled by 1 - accuracy)",
         "assumption"),
    spec("purchase.drift", 0.003, 0.0, 0.1, "per day",
         "daily fall of contractors' quality when nobody checks", "assumption"),
    spec("purchase.inspection", True, unit="switch",
         doc="the government inspects and assesses contracts", source="report §2"),
    spec("purchase.accuracy", 0.8, 0.0, 1.0, "share", "accuracy of the assessment"),
    spec("purchase.renew_threshold", 0.6, 0.0, 1.0, "quality",
         "assessed quality below which a contract is not renewed"),
    spec("purchase.contract_days", 90, 1, 3650, "days", "length of a contract"),
    spec("purchase.displaced", 0.5, 0.0, 1.0, "share",
         "share of the bought volume that comes out of the committees' own service "
         "capacity (0: new money; 1: all reallocated)", "assumption",
         plausible=(0.0, 1.0)),
    spec("purchase.pool_ratio", 11.5, 1.0, 1000.0, "organizations per contract",
         "candidate social organizations per contract",
         "report §2: more than 1,700 supported, 148 contracted"),
])


@register_institution
class ServicePurchase(Institution):
    """Contracts, drifting quality, inspection and renewal."""

    name = "purchase"
    hooks = ("start_of_day", "after_needs", "end_of_day")
    measures = (
        measure("purchase_quality_mean", "state", "contractors' mean quality (chance of "
                "meeting a need they take on)", "probability", "higher"),
        measure("purchase_contracts", "state", "contracts running", "contracts"),
        measure("purchase_capacity", "state", "needs a day the contracts buy", "needs"),
        measure("purchase_served", "day", "needs the contractors met today", "needs",
                "higher"),
        measure("purchase_replaced", "day", "contracts not renewed today", "contracts"),
        measure("purchase_spent_total", "total", "money spent on contracts so far, in days "
                "of the district's full expenditure", "district-days"),
        measure("purchase_assessed_mean", "state", "mean assessed delivery at the last "
                "renewal (share of needs taken on that were met)", "share"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        self.contractors = []
        self.rates: list[float] = []
        self.today_served = 0
        self.replaced = 0
        self.spent = 0.0
        self.assessed_mean = 0.0
        self.taken: list[int] = []
        self.met: list[int] = []
        self.pools: list[list[float]] = []
        self.displaced: list[float] = []   # committee volume a day the money came from
        if not self.enabled or p.budget_share <= 0 or p.contractors == 0:
            return
        rng = m.build_rng
        for c, committee in enumerate(m.committees):
            rate = (p.budget_share * p.capacity_per_share / p.contractors *
                    m.residents_in(c) / 1000)
            self.displaced.append(p.displaced * rate * p.contractors)
            n_pool = max(p.contractors, int(round(p.pool_ratio * p.contractors)))
            self.pools.append([self._new_quality(rng) for _ in range(n_pool)])
            for k in range(p.contractors):
                org = m.add_org("SocialOrg", f"contracted {DOMAINS[k % len(DOMAINS)]} "
                                f"service {c + 1}.{k + 1}", role="contractor",
                                domain=DOMAINS[k % len(DOMAINS)], community=c,
                                funding="government contract",
                                links=((committee.node, "serves", 0.5),))
                org.capacity = 0
                org.quality = self._draw_from_pool(c, rng)
                self.contractors.append(org)
                self.rates.append(rate)
                self.taken.append(0)
                self.met.append(0)

    def _draw_from_pool(self, c: int, rng: np.random.Generator) -> float:
        """A candidate organization of community ``c`` takes a contract (leaving the pool)."""
        pool = self.pools[c]
        return pool.pop(int(rng.integers(len(pool))))

    def _new_quality(self, rng: np.random.Generator) -> float:
        p = self.p
        k = p.quality_concentration
        return float(np.clip(rng.beta(p.quality * k, (1 - p.quality) * k), 0, 1))

    def new_day(self) -> None:
        self.today_served = 0
        self.replaced = 0

    def start_of_day(self) -> None:
        """The money the contracts take comes out of the committees' own provision."""
        if not self.displaced:
            return
        m = self.model
        volume = daily_volume(m.rng, np.array(self.displaced))
        for committee, v in zip(m.committees, volume, strict=True):
            committee.contribute(self.name, -int(v))

    def after_needs(self) -> None:
        """Contractors take on today's volume of pending needs of their domain."""
        if not self.contractors:
            return
        m = self.model
        volume = daily_volume(m.rng, np.array(self.rates))
        for j, (org, cap) in enumerate(zip(self.contractors, volume, strict=True)):
            org.capacity = int(cap)
            met = m.needs.serve_pending(org.community, NEED_DOMAINS.index(org.domain),
                                        org.capacity, org.quality)
            self.today_served += met
            self.met[j] += met
            self.taken[j] += m.needs.last_taken
        self.spent += self.p.budget_share

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        if not self.contractors:
            return
        drift = p.drift * ((1.0 - p.accuracy) if p.inspection else 1.0)
        for org in self.contractors:
            org.quality = max(0.0, org.quality - drift)
        if (m.day + 1) % p.contract_days or not p.inspection:
            return
        rng = m.rng
        noise = p.assessment_noise * (1.0 - p.accuracy)
        scores = []
        for j, org in enumerate(self.contractors):
            if self.taken[j] == 0:
                continue   # nothing delivered to judge: renewed
            assessed = self.met[j] / self.taken[j]
            if noise > 0:
                assessed += rng.normal(0.0, noise)
            scores.append(assessed)
            if assessed < p.renew_threshold:
                # another organization of the pool takes over; this one returns to it
                pool = self.pools[org.community]
                old = org.quality
                org.quality = self._draw_from_pool(org.community, rng)
                pool.append(old)
                self.replaced += 1
        self.assessed_mean = float(np.mean(scores)) if scores else self.assessed_mean
        self.taken = [0] * len(self.contractors)
        self.met = [0] * len(self.contractors)

    def metrics(self) -> dict[str, float]:
        q = [o.quality for o in self.contractors]
        return {"purchase_quality_mean": float(np.mean(q)) if q else 0.0,
                "purchase_contracts": float(len(q)),
                "purchase_capacity": float(sum(self.rates)),
                "purchase_served": float(self.today_served),
                "purchase_replaced": float(self.replaced),
                "purchase_spent_total": self.spent,
                "purchase_assessed_mean": self.assessed_mean}
